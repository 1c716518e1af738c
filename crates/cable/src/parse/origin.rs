//! The sender's display name, as the original site showed it on browse pages: `FM AMEMBASSY
//! PARIS` is "Embassy Paris", `FM USMISSION USNATO` is "Mission USNATO". Raw telegrams have only
//! the `FM` line, and links into mirrors of the original site depend on the same names.

use super::text::title_case;

/// Acronyms that stay in capitals inside a display name.
const ACRONYMS: &[&str] = &[
    "USNATO",
    "USUN",
    "USEU",
    "USOSCE",
    "UNVIE",
    "UNESCO",
    "OECD",
    "ICAO",
    "IAEA",
    "FAO",
    "NATO",
    "EU",
    "UN",
    "USAU",
    "USTR",
    "AIT",
    "CIA",
    "DIA",
    "NSC",
    "JCS",
    "HQ",
    "DC",
    "USDA",
    "USAID",
    "SECDEF",
    "USCINCPAC",
    "USEUCOM",
    "CDR",
];

fn keep(word: &str) -> bool {
    ACRONYMS.contains(&word)
        || (word.len() > 3 && word.starts_with("US") && !word.starts_with("USS"))
}

/// Turns the `FM` addressee into a display name. Known forms map to the names of the original
/// site; unknown forms are title-cased with acronyms kept, which reads well enough.
pub fn display_name(sender: &str) -> String {
    let words: Vec<&str> = sender.split_whitespace().collect();
    let Some((&first, rest)) = words.split_first() else {
        return String::new();
    };
    let place = |w: &[&str]| title_case(w, |_| false);
    match first {
        "AMEMBASSY" | "EMBASSY" if !rest.is_empty() => format!("Embassy {}", place(rest)),
        "AMCONSUL" | "AMCONSULATE" | "CONSULATE" if !rest.is_empty() => {
            format!("Consulate {}", place(rest))
        }
        "SECSTATE" => "Secretary of State".to_string(),
        "USMISSION" if rest.first() == Some(&"USUN") => {
            format!("USUN {}", title_case(&rest[1..], keep))
                .trim_end()
                .to_string()
        }
        "USMISSION" if !rest.is_empty() => format!("Mission {}", title_case(rest, keep)),
        "USUN" => format!("USUN {}", place(rest)).trim_end().to_string(),
        "USEU" => format!("USEU {}", place(rest)).trim_end().to_string(),
        "USINT" if !rest.is_empty() => format!("US Interests Section {}", place(rest)),
        "USOFFICE" if !rest.is_empty() => format!("US Office {}", place(rest)),
        "USLO" if !rest.is_empty() => format!("US Liaison Office {}", place(rest)),
        "USDEL" if !rest.is_empty() => format!("US Delegation {}", title_case(rest, keep)),
        _ => title_case(&words, keep),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_forms() {
        assert_eq!(display_name("AMEMBASSY PARIS"), "Embassy Paris");
        assert_eq!(display_name("USMISSION USNATO"), "Mission USNATO");
        assert_eq!(display_name("SECSTATE WASHDC"), "Secretary of State");
        assert_eq!(display_name("AMCONSUL DUBAI"), "Consulate Dubai");
        assert_eq!(display_name("USMISSION USUN NEW YORK"), "USUN New York");
        assert_eq!(display_name("USEU BRUSSELS"), "USEU Brussels");
        assert_eq!(display_name("USINT HAVANA"), "US Interests Section Havana");
        assert_eq!(display_name("AMEMBASSY THE HAGUE"), "Embassy The Hague");
        assert_eq!(
            display_name("AMCONSUL RIO DE JANEIRO"),
            "Consulate Rio De Janeiro"
        );
        assert_eq!(display_name("USMISSION GENEVA"), "Mission Geneva");
    }

    #[test]
    fn unknown_forms_are_title_cased() {
        assert_eq!(display_name("SECDEF WASHINGTON DC"), "SECDEF Washington DC");
        assert_eq!(
            display_name("CDR USEUCOM VAIHINGEN GE"),
            "CDR USEUCOM Vaihingen Ge"
        );
        assert_eq!(display_name(""), "");
    }
}

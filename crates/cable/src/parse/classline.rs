//! The telegram's classification line: `C O N F I D E N T I A L PARIS 001115`,
//! `S E C R E T SECTION 01 OF 03 USNATO 000577`, `UNCLAS STATE 012345`, `SECRET//NOFORN`.
//! It gives the classification of a raw telegram and, with the date-time group's year, its
//! identifier (station + serial).

use super::text::{has_lowercase, is_digits, is_upper_word};
use crate::model::{Caveat, Level};

/// What a classification line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassLine {
    /// The level written at the start of the line.
    pub level: Level,
    /// A caveat written on the line itself (`SECRET//NOFORN`, `UNCLAS SENSITIVE`); a `NOFORN`
    /// on a line of its own below is handled by the caller.
    pub caveat: Option<Caveat>,
    /// The sending station with multi-word names joined: `THEHAGUE`, `USNATO`.
    pub station: Option<String>,
    /// The serial as written, with its leading zeros: `000577`.
    pub serial: Option<String>,
}

/// The longest classification line that is not letter-spaced: a longer line is prose.
const MAX_LINE: usize = 200;

/// Parses a trimmed line as a classification line.
///
/// The letter-spaced form (`S E C R E T …`) is unmistakable and always accepted. The plain form
/// (`UNCLAS …`, `SECRET`) could be a word of prose, so it is accepted only when `allow_plain` is
/// set (the caller allows it in the telegram header, not in the body), when the line has no
/// lowercase letters, and when it is the level alone or ends with a serial number.
pub fn parse(t: &str, allow_plain: bool) -> Option<ClassLine> {
    let first = *t.as_bytes().first()?;
    // A long line is prose, unless it starts letter-spaced: a copy that lost the header's
    // line breaks runs the whole header into it (10ATHENS57: `C O N F I D E N T I A L
    // SECTION 01 OF 02 ATHENS 000057 NOFORN SIPDIS AMEMBASSY ANKARA PASS TO … TAGS: …`).
    let spaced_start = t.as_bytes().get(1) == Some(&b' ') && t.as_bytes().get(3) == Some(&b' ');
    if (t.len() > MAX_LINE && !spaced_start)
        || !matches!(first.to_ascii_uppercase(), b'C' | b'S' | b'U' | b'T')
    {
        return None;
    }
    // The letter-spaced form, in any case after conversions (`C o n f i d e n t i a l`) and
    // with a doubled first letter (`SS E C R E T`): its words after the level are read in
    // capitals too (`section 01 of 02 rome 000123`).
    // Lines already in capitals (nearly all) go straight on; only a lower-case start or a
    // doubled first letter can need the conversion.
    let b = t.as_bytes();
    let maybe_converted = !first.is_ascii_uppercase() || b.get(1).is_some_and(|&c| c == first);
    if maybe_converted || b.get(1) == Some(&b' ') {
        if let Some(line) = spaced_form(t) {
            return parse_upper(&line, allow_plain);
        }
    }
    if !first.is_ascii_uppercase() {
        return None;
    }
    parse_upper(t, allow_plain)
}

/// The line in capitals with a doubled first letter undone, when it starts with at least five
/// letters written one by one (`C O N F I D E N T I A L`, `c o n f i d e n t i a l`, `SS E C R
/// E T`); `None` otherwise.
fn spaced_form(t: &str) -> Option<String> {
    // Cheap refusal first: this runs on every line of a telegram that starts with c, s, u or t.
    let b = t.as_bytes();
    let one_by_one = b.get(1) == Some(&b' ') && b.get(3) == Some(&b' ');
    let doubled_first =
        b.len() > 4 && b[0].eq_ignore_ascii_case(&b[1]) && b[2] == b' ' && b[4] == b' ';
    if !(one_by_one || doubled_first) {
        return None;
    }
    let tokens: Vec<&str> = t.split_whitespace().collect();
    let first = tokens.first()?;
    let doubled = first.len() == 2
        && first.as_bytes()[0].eq_ignore_ascii_case(&first.as_bytes()[1])
        && first.bytes().all(|b| b.is_ascii_alphabetic());
    let single = |w: &&&str| w.len() == 1 && w.as_bytes()[0].is_ascii_alphabetic();
    let skip = usize::from(doubled);
    let letters = tokens[skip..].iter().take_while(single).count() + skip;
    if letters < 5 {
        return None;
    }
    let already = !doubled && tokens.iter().all(|w| !has_lowercase(w));
    if already {
        return None; // the plain capital form, handled as it is
    }
    let mut out = String::with_capacity(t.len());
    for (k, w) in tokens.iter().enumerate() {
        if !out.is_empty() {
            out.push(' ');
        }
        let w = if k == 0 && doubled { &w[..1] } else { w };
        out.push_str(&w.to_ascii_uppercase());
    }
    Some(out)
}

fn parse_upper(t: &str, allow_plain: bool) -> Option<ClassLine> {
    let spaced = t.as_bytes().get(1) == Some(&b' ');
    if !spaced
        && (!allow_plain
            || !["UNCLAS", "CONFIDENTIAL", "SECRET", "TOP"]
                .iter()
                .any(|p| t.starts_with(p)))
    {
        return None;
    }
    let tokens: Vec<&str> = t.split_whitespace().collect();
    let mut caveat = None;
    let (level, rest_start) = if spaced {
        let n = tokens
            .iter()
            .take_while(|w| w.len() == 1 && w.as_bytes()[0].is_ascii_uppercase())
            .count();
        if n < 5 {
            return None;
        }
        let word: String = tokens[..n].concat();
        let (level, used) = level_prefix(&word)?;
        match &word[used..] {
            "NOFORN" | "NF" => caveat = Some(Caveat::Noforn),
            _ => {} // `E F T O` and similar handling letters
        }
        (level, n)
    } else {
        if has_lowercase(t) {
            return None;
        }
        let (head, glued) = match tokens[0].split_once("//") {
            Some((h, c)) => (h, Some(c)),
            None => (tokens[0], None),
        };
        let (level, n) = match head {
            "UNCLAS" | "UNCLASSIFIED" => (Level::Unclassified, 1),
            "CONFIDENTIAL" => (Level::Confidential, 1),
            "SECRET" => (Level::Secret, 1),
            "TOP"
                if glued.is_none()
                    && tokens.get(1).map(|w| w.split("//").next()) == Some(Some("SECRET")) =>
            {
                (Level::TopSecret, 2)
            }
            _ => return None,
        };
        if let Some(c) = glued.or_else(|| {
            (n == 2)
                .then(|| tokens[1].split_once("//").map(|(_, c)| c))
                .flatten()
        }) {
            caveat = caveat_word(c);
        }
        (level, n)
    };

    let mut station: Vec<&str> = Vec::new();
    let mut serial: Option<&str> = None;
    let mut unknown = false;
    let mut k = rest_start;
    while k < tokens.len() {
        let tok = tokens[k].trim_matches('/');
        if tok == "SECTION"
            && k + 3 < tokens.len()
            && is_digits(tokens[k + 1])
            && tokens[k + 2] == "OF"
            && is_digits(tokens[k + 3])
        {
            k += 4;
            continue;
        }
        k += 1;
        if tok.is_empty() || (tok.len() == 1 && tok.as_bytes()[0].is_ascii_uppercase()) {
            continue; // `//` or letter-spaced handling letters (`E F T O`)
        }
        if let Some(c) = caveat_word(tok) {
            caveat = caveat.or(Some(c));
            continue;
        }
        if matches!(
            tok,
            "EFTO" | "NODIS" | "EXDIS" | "LIMDIS" | "STADIS" | "SIPDIS" | "CHEROKEE"
        ) {
            continue;
        }
        if is_digits(tok) {
            // In a header run into the line, the first number is the serial; later ones
            // are the header's (`AMEMBASSY … 1420`).
            if serial.is_none() || t.len() <= MAX_LINE {
                serial = Some(tok);
            }
        } else if serial.is_none() && is_upper_word(tok) {
            station.push(tok);
        } else {
            unknown = true;
        }
    }
    if !spaced && (unknown || (serial.is_none() && !station.is_empty())) {
        return None;
    }
    if caveat == Some(Caveat::ForOfficialUseOnly) && level != Level::Unclassified {
        caveat = None;
    }
    Some(ClassLine {
        level,
        caveat,
        station: (!station.is_empty()).then(|| station.concat()),
        serial: serial.map(str::to_string),
    })
}

/// Every level label as its letters read squeezed together (`S E C R E T` → `SECRET`), with
/// its level; `LIMITED OFFICIAL USE`, a label of older cables, has none of its own here. A
/// label that starts another comes after it (`UNCLASSIFIED` before `UNCLAS`).
const LEVEL_LABELS: [(&str, Option<Level>); 6] = [
    ("TOPSECRET", Some(Level::TopSecret)),
    ("CONFIDENTIAL", Some(Level::Confidential)),
    ("UNCLASSIFIED", Some(Level::Unclassified)),
    ("UNCLAS", Some(Level::Unclassified)),
    ("SECRET", Some(Level::Secret)),
    ("LIMITEDOFFICIALUSE", None),
];

/// The level a run of letter-spaced capitals starts with, and how many letters it used.
fn level_prefix(word: &str) -> Option<(Level, usize)> {
    LEVEL_LABELS
        .iter()
        .find(|(w, _)| word.starts_with(w))
        .and_then(|(w, l)| l.map(|l| (l, w.len())))
}

/// The length of the level label that `squeezed` (a line with its spaces taken out) starts
/// with, `LIMITEDOFFICIALUSE` included: the foot of a telegram and a header run into one line
/// are found by it.
pub fn label_len(squeezed: &str) -> Option<usize> {
    LEVEL_LABELS
        .iter()
        .find(|(w, _)| squeezed.starts_with(w))
        .map(|(w, _)| w.len())
}

/// What follows the level label a line starts with once its spaces are taken out (`S E C R E T
/// NOFORN` → `NOFORN`, `CONFIDENTIAL` → ``), or `None` when it starts with no label: the
/// telegram's foot and a printed copy's page foot are found by it.
pub fn after_label(line: &str) -> Option<String> {
    let mut squeezed: String = line.split(' ').collect();
    let n = label_len(&squeezed)?;
    squeezed.drain(..n);
    Some(squeezed)
}

/// A caveat word as it appears on classification and marker lines.
pub fn caveat_word(w: &str) -> Option<Caveat> {
    match w {
        "NOFORN" | "NF" => Some(Caveat::Noforn),
        "SENSITIVE" | "SBU" | "FOUO" => Some(Caveat::ForOfficialUseOnly),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Parts = (Level, Option<Caveat>, Option<String>, Option<String>);

    fn cl(t: &str) -> Option<Parts> {
        parse(t, true).map(|c| (c.level, c.caveat, c.station, c.serial))
    }

    #[test]
    fn what_follows_a_level_label_with_the_spaces_out() {
        assert_eq!(after_label("S E C R E T NOFORN").as_deref(), Some("NOFORN"));
        assert_eq!(after_label(" CONFIDENTIAL").as_deref(), Some(""));
        assert_eq!(after_label("LIMITED OFFICIAL USE").as_deref(), Some(""));
        assert_eq!(
            after_label("UNCLAS SECTION 01 OF 02").as_deref(),
            Some("SECTION01OF02")
        );
        assert_eq!(after_label("Classified by DCM"), None);
        assert_eq!(after_label("THE SECRETARY"), None);
    }

    #[test]
    fn a_header_run_into_a_letter_spaced_line_is_still_one() {
        let pass_to = "AMEMBASSY BERLIN PASS TO AMCONSUL LEIPZIG ".repeat(6);
        let line = format!(
            "C O N F I D E N T I A L SECTION 01 OF 02 ATHENS 000057 NOFORN SIPDIS {pass_to}\
             TO RUEHC/SECSTATE 1420 E.O. 12958: DECL: 2035/01/29 TAGS: PREL GR"
        );
        assert!(line.len() > MAX_LINE);
        assert_eq!(
            cl(&line),
            Some((
                Level::Confidential,
                Some(Caveat::Noforn),
                Some("ATHENS".into()),
                Some("000057".into())
            ))
        );
        // A long line of capitals that is not letter-spaced is prose.
        assert_eq!(cl(&format!("SECRET TALKS {pass_to} 000057")), None);
    }

    #[test]
    fn letter_spaced_lines() {
        assert_eq!(
            cl("C O N F I D E N T I A L PARIS 001115"),
            Some((
                Level::Confidential,
                None,
                Some("PARIS".into()),
                Some("001115".into())
            ))
        );
        assert_eq!(
            cl("C O N F I D E N T I A L SECTION 01 OF 03 USNATO 000577"),
            Some((
                Level::Confidential,
                None,
                Some("USNATO".into()),
                Some("000577".into())
            ))
        );
        assert_eq!(
            cl("S E C R E T THE HAGUE 000109").unwrap().2.as_deref(),
            Some("THEHAGUE")
        );
        assert_eq!(cl("S E C R E T").unwrap().0, Level::Secret);
        assert_eq!(cl("T O P S E C R E T STATE 1").unwrap().0, Level::TopSecret);
        assert_eq!(
            cl("S E C R E T NOFORN STATE 000123").unwrap().1,
            Some(Caveat::Noforn)
        );
    }

    #[test]
    fn plain_lines() {
        assert_eq!(
            cl("UNCLAS SECTION 01 OF 02 RIO DE JANEIRO 000044"),
            Some((
                Level::Unclassified,
                None,
                Some("RIODEJANEIRO".into()),
                Some("000044".into())
            ))
        );
        assert_eq!(cl("UNCLAS").unwrap().0, Level::Unclassified);
        assert_eq!(cl("UNCLASSIFIED").unwrap().0, Level::Unclassified);
        assert_eq!(cl("TOP SECRET").unwrap().0, Level::TopSecret);
        assert_eq!(
            cl("SECRET//NOFORN BAGHDAD 001234").unwrap().1,
            Some(Caveat::Noforn)
        );
        assert_eq!(
            cl("UNCLAS SENSITIVE STATE 000001").unwrap().1,
            Some(Caveat::ForOfficialUseOnly)
        );
        assert_eq!(
            cl("UNCLAS E F T O ANKARA 001234").unwrap().2.as_deref(),
            Some("ANKARA")
        );
    }

    #[test]
    fn prose_is_not_a_classification_line() {
        assert_eq!(cl("SECRET talks were held"), None);
        assert_eq!(cl("SECRET SERVICE AGENTS"), None);
        assert_eq!(cl("Summary: blah"), None);
        assert_eq!(cl("C O"), None);
        assert_eq!(parse("UNCLAS STATE 000001", false), None);
        assert!(parse("U N C L A S STATE 000001", false).is_some());
    }
}

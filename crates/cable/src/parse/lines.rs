//! Line classifiers: each answers "is this trimmed, cleaned line a …?" for one kind of telegram
//! line. They look at a few bytes at the start of a line before doing anything costlier, because
//! they run on every line of two gigabytes of text.

use super::date::parse_dtg;
use super::text::{has_lowercase, is_digits, is_upper_word};

/// Which labelled header field a line opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// `E.O. 12958: DECL: 03/16/2017`
    ExecutiveOrder,
    /// `TAGS: MARR MNUC PARM FR`
    Tags,
    /// `SUBJECT: …` or `SUBJ: …`
    Subject,
    /// `REF: …`, `REFS: …`, `REFTEL: …`
    Ref,
    /// `Classified By: …`
    ClassifiedBy,
}

/// A field's opening line split into its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldStart<'a> {
    /// Which field.
    pub kind: FieldKind,
    /// The label as written, without its colon: `SUBJECT`, `E.O.`, `Classified By`.
    pub label: &'a str,
    /// The rest of the line after the label and colon, trimmed.
    pub rest: &'a str,
}

/// Recognises the opening line of a header field. Only called in the telegram header, so `REF`
/// followed by anything in capitals counts, but a sentence starting "Subject to…" does not.
pub fn field_start(t: &str) -> Option<FieldStart<'_>> {
    let first = t.as_bytes().first()?.to_ascii_uppercase();
    let (kind, label, after) = match first {
        b'E' => {
            let label_len = ["E.O.", "E. O.", "E.0.", "E.O", "EO"]
                .iter()
                .find(|p| {
                    t.len() >= p.len() && t.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
                })
                .map(|p| p.len())?;
            let after = &t[label_len..];
            // `EO` and `E.O` need a number or colon after them to be the field.
            let next = after.trim_start().as_bytes().first().copied();
            if !matches!(next, Some(b'0'..=b'9' | b':') | None) {
                return None;
            }
            (FieldKind::ExecutiveOrder, &t[..label_len], after)
        }
        b'T' => word_label(t, &["TAGS"], FieldKind::Tags)?,
        b'S' => word_label(t, &["SUBJECT", "SUBJ"], FieldKind::Subject)?,
        b'R' => word_label(
            t,
            &[
                "REFERENCES",
                "REFERENCE",
                "REFTELS",
                "REFTEL",
                "REF(S)",
                "REFS",
                "REF",
            ],
            FieldKind::Ref,
        )?,
        b'C' => {
            const L: &str = "CLASSIFIED BY";
            if t.len() < L.len() || !t.as_bytes()[..L.len()].eq_ignore_ascii_case(L.as_bytes()) {
                return None;
            }
            let after = &t[L.len()..];
            if !(after.is_empty() || after.starts_with([':', ' ', '\u{a0}'])) {
                return None;
            }
            (FieldKind::ClassifiedBy, &t[..L.len()], after)
        }
        _ => return None,
    };
    let rest = after.trim_start();
    let rest = rest.strip_prefix(':').unwrap_or(rest).trim();
    Some(FieldStart { kind, label, rest })
}

/// Matches a one-word label (any case) followed by a colon, or, when written in capitals, by a
/// space and a line without lowercase letters (`TAGS PREL PGOV`, `REF A. STATE 1234`).
fn word_label<'a>(
    t: &'a str,
    words: &[&str],
    kind: FieldKind,
) -> Option<(FieldKind, &'a str, &'a str)> {
    for w in words {
        if t.len() < w.len() || !t.as_bytes()[..w.len()].eq_ignore_ascii_case(w.as_bytes()) {
            continue;
        }
        let label = &t[..w.len()];
        let after = &t[w.len()..];
        let after_trim = after.trim_start();
        if after_trim.starts_with(':') || (after.is_empty() && label == *w) {
            return Some((kind, label, after));
        }
        if label == *w && after.starts_with([' ', '\u{a0}']) && !has_lowercase(after) {
            return Some((kind, label, after));
        }
        return None;
    }
    None
}

/// Recognises a page-break line: station words, an eight-digit serial, `002 OF 003`
/// (`USNATO 00000577 002 OF 003`, `THE HAGUE 00000109 002 OF 004`).
pub fn is_page_break(t: &str) -> bool {
    if t.len() > 80
        || !t.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
        || !t.as_bytes().last().is_some_and(u8::is_ascii_digit)
        || !t.contains(" OF ")
    {
        return false;
    }
    let toks: Vec<&str> = t.split_whitespace().collect();
    let n = toks.len();
    n >= 5
        && is_digits(toks[n - 1])
        && toks[n - 2] == "OF"
        && is_page_number(toks[n - 3])
        && is_digits(toks[n - 4])
        && toks[n - 4].len() >= 5
        && toks[..n - 4].iter().all(|w| is_upper_word(w))
}

/// A page number of a page-break line: `002`, or `001.2` (a page inserted after page 1).
fn is_page_number(t: &str) -> bool {
    match t.split_once('.') {
        Some((a, b)) => is_digits(a) && is_digits(b),
        None => is_digits(t),
    }
}

/// True for a line of dashes (possibly with spaces: `-------------- ---`) that sets off a heading.
pub fn is_dash_line(t: &str) -> bool {
    t.starts_with("---") && t.bytes().all(|b| b == b'-' || b == b' ')
}

/// The start of a numbered paragraph: `5. (C) text`, `12. (S//NF) text`, `3. text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParaStart<'a> {
    /// The number before the dot.
    pub number: u32,
    /// The marking without parentheses, when the paragraph has one.
    pub marking: Option<&'a str>,
    /// The text after number and marking, trimmed at the start.
    pub rest: &'a str,
}

/// Recognises the first line of a numbered paragraph (after `¶` and `[1](#)` were cleaned off).
/// The caller decides whether an unmarked `3. text` really starts a paragraph.
pub fn paragraph_start(t: &str) -> Option<ParaStart<'_>> {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 3 {
        return None;
    }
    let after = t[digits..].strip_prefix('.')?;
    if !(after.is_empty() || after.starts_with([' ', '(', '\u{a0}'])) {
        return None;
    }
    let number: u32 = t[..digits].parse().ok()?;
    let after = after.trim_start();
    if let Some(inner) = after.strip_prefix('(') {
        if let Some(close) = inner.bytes().take(32).position(|b| b == b')') {
            let marking = &inner[..close];
            if is_marking(marking) {
                return Some(ParaStart {
                    number,
                    marking: Some(marking),
                    rest: inner[close + 1..].trim_start(),
                });
            }
        }
    }
    Some(ParaStart {
        number,
        marking: None,
        rest: after,
    })
}

/// True for a paragraph marking: `C`, `S/NF`, `S//NF`, `C/REL NATO`, `U//FOUO`, `SBU`, `TS`.
fn is_marking(m: &str) -> bool {
    if m.is_empty()
        || !m
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || matches!(b, b'/' | b' ' | b',' | b'-'))
    {
        return false;
    }
    let head = m.split(['/', ' ']).next().unwrap_or("");
    ["U", "C", "S", "TS", "SBU", "FOUO", "NF"]
        .iter()
        .any(|h| head.eq_ignore_ascii_case(h))
        && (m.len() <= 4 || !has_lowercase(m))
}

/// Handling words that make up a marker line on their own: `SIPDIS`, `NOFORN`, `SENSITIVE BUT
/// UNCLASSIFIED`, `FOR OFFICIAL USE ONLY`.
pub fn is_marker_keyword(t: &str) -> bool {
    if t.len() > 40 || !t.as_bytes().first().is_some_and(u8::is_ascii_uppercase) {
        return false;
    }
    matches!(
        t,
        "SENSITIVE BUT UNCLASSIFIED" | "FOR OFFICIAL USE ONLY" | "E F T O" | "SENSITIVE SIPDIS"
    ) || t.split_whitespace().all(|w| {
        matches!(
            w,
            "SIPDIS"
                | "NOFORN"
                | "NODIS"
                | "EXDIS"
                | "LIMDIS"
                | "STADIS"
                | "SENSITIVE"
                | "SBU"
                | "CXHR"
                | "EFTO"
                | "ROGER"
                | "FOUO"
        )
    })
}

/// An address line in the telegram header: `DEPARTMENT FOR EUR/PRA`, `STATE FOR EAP/CM`.
pub fn is_address_line(t: &str) -> bool {
    (t.starts_with("DEPARTMENT FOR ")
        || t.starts_with("DEPT FOR ")
        || t.starts_with("STATE FOR ")
        || t.starts_with("PASS TO "))
        && !has_lowercase(t)
}

/// How a line reads as a closing signature: one or two words (`NULAND`, `VAN VOORST`), not
/// a handling word or a classification, either in capitals or, as many cables of the 2000s sign,
/// capitalised (`Stapleton`, `McCarthy`). Trailing full stops and the `##` a garbled
/// transmission leaves are not part of the name ([`signature_name`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureCase {
    /// Every letter a capital: a signature wherever it stands last.
    Capitals,
    /// Capitalised words: also the shape of the last word of a sentence broken over two lines
    /// (`… the Minister of` / `Defense`), so the segmenter wants more before taking it.
    Capitalised,
}

/// The name a signature line gives, without the full stop or `#` marks after it, nor the
/// title a chargé signs with before it (08QUITO672: `CDA Griffiths` is Griffiths), once when
/// written twice.
pub fn signature_name(t: &str) -> &str {
    let name = t.trim().trim_end_matches(['.', '#']).trim_end();
    // A name written twice (05SOFIA1207: `PARDEW PARDEW`) is one name.
    let name = match name.split_once(' ') {
        Some((a, b)) if a == b.trim() => a,
        _ => name,
    };
    match name.split_once(' ') {
        Some((title, rest))
            if matches!(title, "CDA" | "CDA:" | "AMB" | "AMB:" | "DCM" | "DCM:")
                && !rest.trim().is_empty() =>
        {
            rest.trim()
        }
        _ => name,
    }
}

/// A lower-case particle of a surname (`van Voorst`, `de la Cruz`).
fn is_particle(w: &str) -> bool {
    matches!(
        w,
        "van"
            | "von"
            | "de"
            | "da"
            | "del"
            | "della"
            | "der"
            | "den"
            | "du"
            | "la"
            | "le"
            | "di"
            | "dos"
            | "das"
            | "ter"
            | "ten"
    )
}

/// Whether `t` could be a closing signature, and in which case ([`SignatureCase`]).
pub fn signature_case(t: &str) -> Option<SignatureCase> {
    let name = signature_name(t);
    if name.len() > 40 {
        return None;
    }
    let mut words = 0;
    let mut capitals = true;
    let mut particle_last = false;
    for w in name.split_whitespace() {
        // A particle (`van Voorst`) counts as no word of its own, but a name goes on after it.
        particle_last = is_particle(w);
        if particle_last {
            capitals = false;
            continue;
        }
        words += 1;
        let upper = w.bytes().filter(u8::is_ascii_uppercase).count();
        let lower = w.bytes().filter(u8::is_ascii_lowercase).count();
        let shape_ok = w
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || matches!(b, b'\'' | b'-' | b'.'));
        if words > 2 || !shape_ok || upper + lower < 2 {
            return None;
        }
        if lower > 0 {
            // Capitalised: a capital first, and more small letters than capitals (`McCarthy`,
            // `O'Neill`, not `pHd`).
            if !w.as_bytes()[0].is_ascii_uppercase() || upper > lower {
                return None;
            }
            capitals = false;
        }
        // Nor is a redaction (`XXXXXXXXXXXX`) a name.
        if is_not_a_name(&w.to_ascii_uppercase()) || (w.len() >= 4 && w.bytes().all(|b| b == b'X'))
        {
            return None;
        }
    }
    match (words, capitals) {
        (0, _) => None,
        _ if particle_last => None,
        (_, true) => Some(SignatureCase::Capitals),
        (_, false) => Some(SignatureCase::Capitalised),
    }
}

/// Words that end telegrams but name nobody (handling words, classifications, the ends of
/// quotations and comments, courtesies), given in capitals.
fn is_not_a_name(w: &str) -> bool {
    matches!(
        w.trim_end_matches('.'),
        "SIPDIS"
            | "NOFORN"
            | "NODIS"
            | "EXDIS"
            | "LIMDIS"
            | "SENSITIVE"
            | "BT"
            | "NNNN"
            | "END"
            | "UNCLAS"
            | "UNCLASSIFIED"
            | "CONFIDENTIAL"
            | "SECRET"
            | "COMMENT"
            | "SUMMARY"
            | "NOTE"
            | "TAGS"
            | "SUBJECT"
            | "REF"
            | "REFS"
            | "QUOTE"
            | "UNQUOTE"
            | "ENDQUOTE"
            | "MINIMIZE"
            | "THANKS"
            | "REGARDS"
            | "CORRECTED"
            | "COPY"
            | "TEXT"
            | "ENDS"
            | "STOP"
            | "MORE"
            | "ALSO"
            | "ONLY"
            | "THEN"
            | "HERE"
            | "THERE"
            | "ALL"
            | "NONE"
            | "YES"
            | "OK"
            | "CHEERS"
    )
}

/// True for the first line of a routing header: `VZCZC…`, a precedence line (`OO RUEHWEB`),
/// `DE RUEHFR …`, `ZNY CCCCC ZZH` or a date-time group.
pub fn is_routing_start(t: &str) -> bool {
    if t.starts_with("VZCZC")
        || t.starts_with("DE RU")
        || t.starts_with("ZNY ")
        || t.starts_with("ZNR ")
        || (t.starts_with("FM ") && !has_lowercase(t))
    {
        return true;
    }
    let mut toks = t.split_whitespace();
    if let (Some(p), Some(r)) = (toks.next(), toks.next()) {
        if p.len() == 2
            && p.bytes().all(|b| matches!(b, b'O' | b'P' | b'R' | b'Z'))
            && r.starts_with('R')
            && is_upper_word(r)
        {
            return true;
        }
    }
    parse_dtg(t).is_some()
}

/// True for a line that can continue a routing header: transmission lines are written in
/// capitals, so any line without lowercase letters qualifies.
pub fn is_routing_like(t: &str) -> bool {
    !has_lowercase(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        let f = field_start("E.O. 12958: DECL: 03/16/2017").unwrap();
        assert_eq!(
            (f.kind, f.label, f.rest),
            (FieldKind::ExecutiveOrder, "E.O.", "12958: DECL: 03/16/2017")
        );
        let f = field_start("SUBJECT: MISSILE DEFENSE").unwrap();
        assert_eq!(
            (f.kind, f.label, f.rest),
            (FieldKind::Subject, "SUBJECT", "MISSILE DEFENSE")
        );
        let f = field_start("SUBJ: X").unwrap();
        assert_eq!(f.label, "SUBJ");
        let f = field_start("TAGS: NATO PGOV").unwrap();
        assert_eq!((f.kind, f.rest), (FieldKind::Tags, "NATO PGOV"));
        let f = field_start("REF: A. USNATO 263").unwrap();
        assert_eq!(
            (f.kind, f.label, f.rest),
            (FieldKind::Ref, "REF", "A. USNATO 263")
        );
        let f = field_start("REFS A) STATE 1; B) STATE 2").unwrap();
        assert_eq!((f.label, f.rest), ("REFS", "A) STATE 1; B) STATE 2"));
        let f = field_start("Classified By: Charge Richard Olson").unwrap();
        assert_eq!(
            (f.kind, f.label, f.rest),
            (
                FieldKind::ClassifiedBy,
                "Classified By",
                "Charge Richard Olson"
            )
        );
        assert_eq!(field_start("REF:").unwrap().rest, "");
        assert_eq!(field_start("Subject to approval, we agreed"), None);
        assert_eq!(field_start("REFORM: of the army"), None);
        assert_eq!(field_start("Reference is made to the talks"), None);
        assert_eq!(field_start("Europe is"), None);
        assert_eq!(field_start("TAGSET"), None);
    }

    #[test]
    fn page_breaks() {
        assert!(is_page_break("USNATO 00000577 002 OF 003"));
        assert!(is_page_break("THE HAGUE 00000109 002 OF 004"));
        assert!(!is_page_break("SECTION 01 OF 03"));
        assert!(!is_page_break("He met 00000577 002 OF 003"));
    }

    #[test]
    fn paragraphs() {
        let p = paragraph_start("1. (C) Summary: MOD").unwrap();
        assert_eq!(
            (p.number, p.marking, p.rest),
            (1, Some("C"), "Summary: MOD")
        );
        let p = paragraph_start("12. (C/REL NATO) Text").unwrap();
        assert_eq!(p.marking, Some("C/REL NATO"));
        let p = paragraph_start("3. (S//NF) Text").unwrap();
        assert_eq!(p.marking, Some("S//NF"));
        let p = paragraph_start("4. (U//FOUO) Text").unwrap();
        assert_eq!(p.marking, Some("U//FOUO"));
        let p = paragraph_start("5. (Note: x) y").unwrap();
        assert_eq!((p.marking, p.rest), (None, "(Note: x) y"));
        let p = paragraph_start("7. Summary").unwrap();
        assert_eq!((p.number, p.marking), (7, None));
        assert_eq!(paragraph_start("2.5 million"), None);
        assert_eq!(paragraph_start("2007. That"), None);
        assert_eq!(paragraph_start("(C) x"), None);
    }

    #[test]
    fn markers_and_signatures() {
        assert!(is_marker_keyword("SIPDIS"));
        assert!(is_marker_keyword("NOFORN"));
        assert!(is_marker_keyword("SENSITIVE BUT UNCLASSIFIED"));
        assert!(!is_marker_keyword("SIPDIS is a word"));
        assert!(is_address_line("DEPARTMENT FOR EUR/PRA"));
        assert_eq!(signature_case("NULAND"), Some(SignatureCase::Capitals));
        assert_eq!(signature_case("VAN VOORST"), Some(SignatureCase::Capitals));
        assert_eq!(signature_case("SIPDIS"), None);
        assert_eq!(signature_case("End Comment."), None);
        assert_eq!(signature_case("A B C"), None);
        assert_eq!(signature_case("X"), None);
        assert_eq!(signature_case("YATES."), Some(SignatureCase::Capitals));
        assert_eq!(signature_name("GILLESPIE##"), "GILLESPIE");
        assert_eq!(
            signature_case("Blankenship"),
            Some(SignatureCase::Capitalised)
        );
        assert_eq!(signature_case("McCarthy"), Some(SignatureCase::Capitalised));
        assert_eq!(
            signature_case("Van Voorst"),
            Some(SignatureCase::Capitalised)
        );
        assert_eq!(signature_case("Thanks."), None);
        assert_eq!(signature_case("UNQUOTE"), None);
        assert_eq!(signature_case("pHd"), None);
        assert_eq!(signature_case("the end"), None);
        // A surname with a lower-case particle (06REYKJAVIK141), but not a particle alone or
        // last, nor a sentence's last words.
        assert_eq!(
            signature_case("van Voorst"),
            Some(SignatureCase::Capitalised)
        );
        assert_eq!(
            signature_case("de la Cruz"),
            Some(SignatureCase::Capitalised)
        );
        assert_eq!(signature_case("van"), None);
        assert_eq!(signature_case("Voorst van"), None);
        assert_eq!(signature_case("of Defense"), None);
        assert_eq!(signature_case("XXXXXXXXXXXX MOLLER"), None);
        // A chargé's title is not part of the name (08QUITO672).
        assert_eq!(signature_name("CDA Griffiths"), "Griffiths");
        assert_eq!(signature_name("CDA"), "CDA");
        assert_eq!(signature_name("DCMS SMITH"), "DCMS SMITH");
        assert_eq!(signature_name("PARDEW PARDEW"), "PARDEW");
    }

    #[test]
    fn routing() {
        assert!(is_routing_start("VZCZCXYZ0000"));
        assert!(is_routing_start("OO RUEHWEB"));
        assert!(is_routing_start("O 221325Z MAR 07"));
        assert!(is_routing_start("FM AMEMBASSY PARIS"));
        assert!(!is_routing_start("FM radio stations said"));
        assert!(!is_routing_start("OK RUN"));
        assert!(!is_routing_start("Summary"));
    }
}

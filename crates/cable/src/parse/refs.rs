//! The `REF:` block: which cables (and other documents) a cable cites.
//!
//! Forms met in the collection, all handled here:
//! - `PARIS 1111` (no year: the citing cable's year), `06 MOSCOW 1234`, `2006 STATE 55`,
//!   `(99) ROME 2196`, `07PARIS1111`;
//! - lettered lists, one item per line or several on a line: `A. USNATO 263`, `A) STATE 135205;
//!   B) …`, `(A) …`;
//! - station spellings: `SECSTATE` is `STATE`, multi-word stations are joined (`THE HAGUE` →
//!   `THEHAGUE`), serials lose their leading zeros;
//! - items that are not cables (e-mails, memos, `SECDEF R162245Z OCT 08`) are kept as text with
//!   no identifier.

use super::date::month_number;
use super::text::{is_digits, is_upper_word};
use crate::model::{CableId, Reference};

/// Parses the text of a `REF:` field (its lines, without the label) into references.
/// `citing_year` is the two-digit year of the citing cable, for items that give none.
pub fn parse(text: &str, citing_year: Option<u16>) -> Vec<Reference> {
    split_items(text)
        .into_iter()
        .filter(|(_, t)| !t.is_empty())
        .map(|(label, text)| {
            let id = cable_id(&text, citing_year);
            Reference { label, text, id }
        })
        .collect()
}

/// The identifier an item names, if it names a cable. `citing_year` fills in a missing year.
pub fn cable_id(item: &str, citing_year: Option<u16>) -> Option<CableId> {
    let (year, station, serial) = id_parts(item)?;
    let year = match year {
        Some(y) => y,
        None => format!("{:02}", citing_year? % 100),
    };
    Some(CableId::from_parts(&year, &station, serial))
}

/// Words that start or make up non-cable items; none of them is a station.
const NOT_STATION: &[&str] = &[
    "EMAIL",
    "MEMO",
    "MEMCON",
    "TELCON",
    "FAX",
    "LETTER",
    "SEPTEL",
    "REFTEL",
    "REFTELS",
    "DIPNOTE",
    "NOTE",
    "CABLE",
    "MSG",
    "MESSAGE",
    "DTG",
    "FROM",
    "DATED",
    "PARA",
    "PARAS",
    "PARAGRAPH",
    "AND",
    "OR",
    "TO",
    "ON",
    "IN",
    "AT",
    "BY",
    "CONVERSATION",
    "MEETING",
    "REPORT",
    "EXCHANGE",
    "WEBSITE",
    "ARTICLE",
    "PAGE",
    "NO",
    "NUMBER",
    "SECTION",
    "IIR",
    "NOTAL",
    "PHONE",
    "CALL",
    "DATE",
    "ETC",
];

/// Splits an item into year (two digits, when given), station and serial.
fn id_parts(item: &str) -> Option<(Option<String>, String, &str)> {
    let mut toks = item.split_whitespace();
    let first = toks.next()?;
    let first_clean = first.trim_end_matches([',', ';', '.', ':']);
    if let Some(parts) = glued_id(first_clean) {
        return Some(parts);
    }
    let (year, mut tok) = match year_token(first_clean) {
        Some(y) => (Some(y), toks.next()?),
        None => (None, first),
    };
    let mut station = String::new();
    let mut words = 0;
    let serial = loop {
        let clean = tok.trim_end_matches([',', ';', '.', ':', ')']);
        if is_digits(clean) {
            if clean.len() > 8 {
                return None;
            }
            break clean;
        }
        if words >= 4
            || !is_upper_word(tok)
            || NOT_STATION.contains(&tok)
            || month_number(tok).is_some()
            || (words == 0 && tok == "OF")
        {
            return None;
        }
        match tok {
            "SECSTATE" => station.push_str("STATE"),
            "WASHDC" if station == "STATE" => {}
            _ => station.push_str(tok),
        }
        words += 1;
        tok = toks.next()?;
    };
    if station.is_empty() {
        return None;
    }
    // `12 MAY` after a number is a date, not a serial.
    if toks.next().is_some_and(|next| month_number(next).is_some()) {
        return None;
    }
    Some((year, station, serial))
}

/// `07PARIS1111`: two digits, capitals, digits.
fn glued_id(t: &str) -> Option<(Option<String>, String, &str)> {
    let b = t.as_bytes();
    if b.len() < 4 || !b[0].is_ascii_digit() || !b[1].is_ascii_digit() {
        return None;
    }
    let letters = b[2..].iter().take_while(|c| c.is_ascii_uppercase()).count();
    let serial = &t[2 + letters..];
    if letters == 0 || !is_digits(serial) {
        return None;
    }
    Some((
        Some(t[..2].to_string()),
        t[2..2 + letters].to_string(),
        serial,
    ))
}

/// A year before the station: `06`, `2006`, `(99)`, `(2006)`, `'06`. Returns two digits.
fn year_token(t: &str) -> Option<String> {
    let inner = t
        .strip_prefix('(')
        .and_then(|x| x.strip_suffix(')'))
        .or_else(|| t.strip_prefix('\''))
        .unwrap_or(t);
    if !is_digits(inner) {
        return None;
    }
    match inner.len() {
        2 => Some(inner.to_string()),
        4 => {
            let y: u16 = inner.parse().ok()?;
            (1966..=2065).contains(&y).then(|| inner[2..].to_string())
        }
        _ => None,
    }
}

/// Splits the block into `(label, text)` items. A block whose first item starts with a letter
/// marker (`A.`, `A)`, `(A)`) is lettered: items are cut at the next letter in sequence, wherever
/// it stands. Otherwise items are cut at `;`, and at a comma or line break followed by something
/// that names a cable (a wrapped line of an e-mail's description stays with its item).
fn split_items(s: &str) -> Vec<(Option<String>, String)> {
    let start = s.len() - s.trim_start().len();
    match marker_at(s, start) {
        Some((b'A', _)) => lettered(s),
        _ => unlettered(s),
    }
}

fn lettered(s: &str) -> Vec<(Option<String>, String)> {
    // Every place a letter marker could start an item: (position, letter, length, whether it
    // starts a line).
    let b = s.as_bytes();
    let candidates: Vec<(usize, u8, usize, bool)> = (0..b.len())
        .filter(|&pos| pos == 0 || matches!(b[pos - 1], b' ' | b'\t' | b'\n' | b';' | b','))
        .filter_map(|pos| {
            let (letter, len) = marker_at(s, pos)?;
            let line_start = s[..pos].trim_end_matches([' ', '\t']).ends_with('\n') || pos == 0;
            Some((pos, letter, len, line_start))
        })
        .collect();
    let mut items = Vec::new();
    let mut expected = b'A';
    let mut current: Option<(u8, usize)> = None;
    let mut from = 0;
    loop {
        let next = candidates.iter().filter(|c| c.0 >= from && c.1 == expected);
        // An initial inside an item (`A. EMAIL FROM B. GARZA` then `B. BUCHAREST 264` on the
        // next line) must not end it: when the next letter starts a line somewhere, only that
        // counts; a marker inside a line counts only for one-line blocks (`A) …; B) …`).
        let chosen = next.clone().find(|c| c.3).or_else(|| next.clone().next());
        let Some(&(pos, letter, len, _)) = chosen else {
            break;
        };
        if let Some((l, start)) = current {
            items.push((Some((l as char).to_string()), normalize(&s[start..pos])));
        }
        current = Some((letter, pos + len));
        from = pos + len;
        expected += 1;
        if expected > b'Z' {
            break;
        }
    }
    if let Some((l, start)) = current {
        items.push((Some((l as char).to_string()), normalize(&s[start..])));
    }
    items
}

/// The letter of a lettered item starting a line (`B. USNATO 430` → `B`), so the body
/// segmenter can tell a REF block's next item from the body text after it.
pub fn item_letter(line: &str) -> Option<u8> {
    let start = line.len() - line.trim_start().len();
    marker_at(line, start).map(|(letter, _)| letter)
}

/// A letter marker at `pos`: `A.`, `A)`, `(A)` followed by whitespace or the end. Returns the
/// letter in upper case and the marker's length.
fn marker_at(s: &str, pos: usize) -> Option<(u8, usize)> {
    let b = s.as_bytes();
    let (letter, len) = match b.get(pos)? {
        b'(' if b.get(pos + 2) == Some(&b')') => (*b.get(pos + 1)?, 3),
        &c if matches!(b.get(pos + 1), Some(b'.' | b')')) => (c, 2),
        _ => return None,
    };
    if !letter.is_ascii_alphabetic() {
        return None;
    }
    match b.get(pos + len) {
        None | Some(b' ' | b'\t' | b'\n') => Some((letter.to_ascii_uppercase(), len)),
        _ => None,
    }
}

fn unlettered(s: &str) -> Vec<(Option<String>, String)> {
    let mut items: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut piece_start = 0;
    let mut sep: Option<u8> = None;
    let bytes = s.as_bytes();
    for pos in 0..=bytes.len() {
        let here = bytes.get(pos).copied();
        if !matches!(here, None | Some(b';' | b',' | b'\n')) {
            continue;
        }
        let piece = s[piece_start..pos].trim();
        let starts_item = match sep {
            None | Some(b';') => true,
            Some(_) => id_parts(piece).is_some(),
        };
        if starts_item {
            if !current.trim().is_empty() {
                items.push(std::mem::take(&mut current));
            }
            current.clear();
            current.push_str(piece);
        } else {
            if sep == Some(b',') {
                current.push(',');
            }
            if !piece.is_empty() {
                current.push(' ');
                current.push_str(piece);
            }
        }
        sep = here;
        piece_start = pos + 1;
    }
    if !current.trim().is_empty() {
        items.push(current);
    }
    items.into_iter().map(|t| (None, normalize(&t))).collect()
}

/// One line, single spaces, without the separators that joined it to the next item.
fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    loop {
        let before = out.len();
        let t = out.trim_end_matches([';', ',', '.', ' ']);
        let t = t
            .strip_suffix(" AND")
            .or_else(|| t.strip_suffix(" and"))
            .unwrap_or(t);
        let len = t.len();
        out.truncate(len);
        if out.len() == before {
            return out;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<Option<String>> {
        parse(text, Some(7))
            .into_iter()
            .map(|r| r.id.map(|i| i.0))
            .collect()
    }

    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    #[test]
    fn single_reference_takes_the_citing_year() {
        let r = parse("PARIS 1111", Some(7));
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].label, None);
        assert_eq!(r[0].text, "PARIS 1111");
        assert_eq!(r[0].id.as_ref().unwrap().as_str(), "07PARIS1111");
        assert_eq!(parse("PARIS 1111", None)[0].id, None);
    }

    #[test]
    fn lettered_lines() {
        let r = parse("A. USNATO 263\nB. USNATO 430\nC. USNATO 000544", Some(7));
        let got: Vec<(Option<&str>, &str, Option<&str>)> = r
            .iter()
            .map(|r| {
                (
                    r.label.as_deref(),
                    r.text.as_str(),
                    r.id.as_ref().map(|i| i.as_str()),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("A"), "USNATO 263", Some("07USNATO263")),
                (Some("B"), "USNATO 430", Some("07USNATO430")),
                (Some("C"), "USNATO 000544", Some("07USNATO544")),
            ]
        );
    }

    #[test]
    fn an_initial_inside_an_item_does_not_start_the_next() {
        let refs = parse(
            "A. EMAIL FROM B. GARZA 3/25/08\n\nB. BUCHAREST 264",
            Some(2008),
        );
        assert_eq!(refs.len(), 2, "{refs:?}");
        assert_eq!(refs[0].text, "EMAIL FROM B. GARZA 3/25/08");
        assert_eq!(refs[0].id, None);
        assert_eq!(refs[1].label.as_deref(), Some("B"));
        assert_eq!(
            refs[1].id.as_ref().map(|i| i.as_str()),
            Some("08BUCHAREST264")
        );
        // One-line blocks still split inside the line.
        let refs = parse("A. USNATO 263 B. USNATO 430", Some(2007));
        assert_eq!(refs.len(), 2, "{refs:?}");
    }

    #[test]
    fn other_forms() {
        assert_eq!(
            ids("A. 06 MOSCOW 1234\nB. 2006 STATE 55\nC. (99) ROME 2196"),
            vec![s("06MOSCOW1234"), s("06STATE55"), s("99ROME2196")]
        );
        assert_eq!(
            ids("A) STATE 135205; B) SECSTATE 12; C) THE HAGUE 000109"),
            vec![s("07STATE135205"), s("07STATE12"), s("07THEHAGUE109")]
        );
        assert_eq!(
            ids("(A) RIO DE JANEIRO 44 (B) 08STATE74879"),
            vec![s("07RIODEJANEIRO44"), s("08STATE74879")]
        );
        assert_eq!(ids("07 STATE 12345 AND EARLIER"), vec![s("07STATE12345")]);
        assert_eq!(
            ids("STATE 1234, STATE 5678"),
            vec![s("07STATE1234"), s("07STATE5678")]
        );
        assert_eq!(ids("(99) ROME 2196"), vec![s("99ROME2196")]);
    }

    #[test]
    fn non_cables_have_no_id() {
        assert_eq!(ids("SECDEF R162245Z OCT 08"), vec![None]);
        assert_eq!(
            ids("A. EMAIL FROM POL/MIL, 3/17/07\nB. MEMO OF CONVERSATION 12 MARCH\nC. USNATO 430"),
            vec![None, None, s("07USNATO430")]
        );
        assert_eq!(ids("STATE 12 MAY 2007"), vec![None]);
        assert_eq!(ids("Email from Smith to Jones"), vec![None]);
        assert_eq!(ids("NONE"), vec![None]);
    }

    #[test]
    fn texts_are_kept_without_letters_or_separators() {
        let r = parse("A) STATE 135205; B) e-mail of 3 May;", Some(7));
        assert_eq!(r[0].text, "STATE 135205");
        assert_eq!(r[1].text, "e-mail of 3 May");
        assert_eq!(r[1].label.as_deref(), Some("B"));
        let r = parse("EMAIL FROM X\nTO Y", Some(7));
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].text, "EMAIL FROM X TO Y");
    }
}

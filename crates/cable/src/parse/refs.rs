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
use crate::gazetteer::Gazetteer;
use crate::model::{CableId, Mention, Reference};
use std::ops::Range;

/// Parses the text of a `REF:` field (its lines, without the label) into references.
/// `citing_year` is the two-digit year of the citing cable, for items that give none; `gazetteer`
/// turns the item's station spelling into its identifier token.
///
/// An item that names several serials of one station (`STATE 1234 AND 5678`, `STATE 1234,
/// 5678`) gives one reference per serial, all with the item's label; the later ones have the
/// station and serial as their text.
pub fn parse(text: &str, citing_year: Option<u16>, gazetteer: &Gazetteer) -> Vec<Reference> {
    parse_positioned(text, citing_year, gazetteer).0
}

/// [`parse`], and where each reference stands in `text`: one [`Mention`] per reference, in
/// order, covering the item as written (across its line breaks), so the page links an item
/// that wraps onto a second line as one link. A further serial of a multi-serial item is its
/// own mention (`5678` in `STATE 1234 AND 5678`).
pub fn parse_positioned(
    text: &str,
    citing_year: Option<u16>,
    gazetteer: &Gazetteer,
) -> (Vec<Reference>, Vec<Mention>) {
    // `REF:  REFS:  A) …`: the label written twice; the items start after the second one.
    let skip = repeated_label(text);
    let items = split_items(&text[skip..], gazetteer);
    resolve(text, skip, items, citing_year, gazetteer)
}

/// The items of a lettered REF block that goes on after a printed copy's page header, from
/// letter `first` on (02ROME1196: `B. ROME 1098  C. ROME 894 …` after `PAGE 02 ROME 01196 01 OF
/// 02 082030Z`).
pub fn parse_continued(
    text: &str,
    first: u8,
    citing_year: Option<u16>,
    gazetteer: &Gazetteer,
) -> Vec<Reference> {
    resolve(text, 0, lettered(text, first, b'Z'), citing_year, gazetteer).0
}

/// The references of `items` (split from `text[skip..]`), with where each stands in `text`.
fn resolve(
    text: &str,
    skip: usize,
    items: Vec<Item>,
    citing_year: Option<u16>,
    gazetteer: &Gazetteer,
) -> (Vec<Reference>, Vec<Mention>) {
    let mut refs = Vec::new();
    let mut mentions = Vec::new();
    for (label, item, range) in items {
        let range = range.start + skip..range.end + skip;
        if item.is_empty() {
            continue;
        }
        let raw = &text[range.clone()];
        match item_ids(&item, citing_year, gazetteer) {
            Some((first, more, cut)) => {
                // Where each further cable is written, from the end of the item backwards: its
                // serial, and the words before it that are its own (a second cable's year and
                // station).
                let mut extra_spans = Vec::new();
                let mut limit = raw.len();
                for (_, more_text, words) in more.iter().rev() {
                    let serial = more_text.rsplit(' ').next().unwrap_or_default();
                    let found = find_serial(&raw[..limit], serial)
                        .map(|(start, end)| (words_back(raw, start, words - 1), end));
                    extra_spans.push(found);
                    if let Some((start, _)) = found {
                        limit = start;
                    }
                }
                extra_spans.reverse();
                let first_end = extra_spans
                    .iter()
                    .flatten()
                    .map(|&(start, _)| start)
                    .next()
                    .map_or(raw.len(), |start| without_joiners(&raw[..start]).len());
                // The first cable's text without the second cable of the item.
                let first_text = match cut {
                    Some(cut) => without_joiners(&item[..cut]).to_string(),
                    None => item.clone(),
                };
                mentions.push(Mention {
                    start: range.start,
                    end: range.start + first_end,
                    references: vec![refs.len()],
                });
                refs.push(Reference {
                    label: label.clone(),
                    text: first_text,
                    id: Some(first),
                });
                for ((id, more_text, _), span) in more.into_iter().zip(extra_spans) {
                    if let Some((start, end)) = span {
                        mentions.push(Mention {
                            start: range.start + start,
                            end: range.start + end,
                            references: vec![refs.len()],
                        });
                    }
                    refs.push(Reference {
                        label: label.clone(),
                        text: more_text,
                        id: Some(id),
                    });
                }
            }
            None => {
                mentions.push(Mention {
                    start: range.start,
                    end: range.end,
                    references: vec![refs.len()],
                });
                refs.push(Reference {
                    label,
                    text: item,
                    id: None,
                });
            }
        }
    }
    mentions.retain(|m| m.start < m.end);
    (refs, mentions)
}

/// The length of a second REF label at the start of a REF field's text (`REFS:` in `REF:
/// REFS: A) …`), with the blank after it; 0 when there is none.
fn repeated_label(text: &str) -> usize {
    let trimmed = text.trim_start();
    let lead = text.len() - trimmed.len();
    for label in [
        "REFERENCES:",
        "REFTELS:",
        "REFTEL:",
        "REFS:",
        "REF:",
        "REF(S):",
    ] {
        if trimmed
            .get(..label.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(label))
        {
            let rest = &trimmed[label.len()..];
            return lead + label.len() + (rest.len() - rest.trim_start().len());
        }
    }
    0
}

/// The last place in `s` where `serial` (without leading zeros) is written as a whole token,
/// with or without leading zeros or letter O for zero: its byte range.
fn find_serial(s: &str, serial: &str) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let mut end = b.len();
    while end > 0 {
        while end > 0 && !(b[end - 1].is_ascii_digit() || b[end - 1] == b'O') {
            end -= 1;
        }
        let mut start = end;
        while start > 0 && (b[start - 1].is_ascii_digit() || b[start - 1] == b'O') {
            start -= 1;
        }
        if start == end {
            return None;
        }
        let whole = (start == 0 || !b[start - 1].is_ascii_alphanumeric())
            && (end == b.len() || !b[end].is_ascii_alphanumeric());
        if whole && serial_token(&s[start..end]).as_deref() == Some(serial) {
            return Some((start, end));
        }
        end = start;
    }
    None
}

/// Where the `n` words before byte `at` of `s` start (`at` itself for none).
fn words_back(s: &str, at: usize, n: usize) -> usize {
    let mut start = at;
    for _ in 0..n {
        let before = s[..start].trim_end();
        match before.rfind(char::is_whitespace) {
            Some(space) => start = space + 1,
            None => return 0,
        }
    }
    start
}

/// `s` without the separators and joining words at its end (`STATE 297614 AND PREVIOUS ` →
/// `STATE 297614`, `ROME 1, ` → `ROME 1`).
fn without_joiners(mut s: &str) -> &str {
    loop {
        let t = s.trim_end_matches(|c: char| c.is_whitespace() || c == ',' || c == '/');
        let word_start = t.rfind(char::is_whitespace).map_or(0, |k| k + 1);
        let joiner = ["AND", "PREVIOUS", "ALSO", "OR", "&"]
            .iter()
            .any(|j| t[word_start..].eq_ignore_ascii_case(j));
        if !joiner || word_start == 0 {
            return t;
        }
        s = &t[..word_start];
    }
}

/// The identifier an item names and those of further serials of the same station.
/// A further cable an item names: its identifier, its text, and how many words of the item it
/// is written in, ending with its serial (1 for a further serial of the same station, `495`;
/// 3 for a second cable with its own year and station, `03 RANGOON 1427`).
type Further = (CableId, String, usize);

/// What [`item_ids`] reads: the first cable, the further ones, and where in the item a second
/// cable with its own station starts (the first cable's text ends before it).
type ItemIds = (CableId, Vec<Further>, Option<usize>);

fn item_ids(item: &str, citing_year: Option<u16>, gazetteer: &Gazetteer) -> Option<ItemIds> {
    let parts = id_parts(item, gazetteer)?;
    let year = match &parts.year {
        Some(y) => y.clone(),
        None => format!("{:02}", citing_year? % 100),
    };
    let first = CableId::from_parts(&year, &parts.station, &parts.serial);
    let mut more: Vec<Further> = parts
        .more
        .iter()
        .map(|serial| {
            (
                CableId::from_parts(&year, &parts.station, serial),
                format!("{} {serial}", parts.written),
                1,
            )
        })
        .collect();
    // A second cable after the first in one item, with its year written (04RANGOON88: `STATE
    // 297614 AND PREVIOUS 03 RANGOON 1427`; 10HANOI7, a lost semicolon: `09 HANOI 1182 09
    // HANOI 1084`).
    let mut cut = None;
    if let Some(rest) = following_cable(item, &parts.serial) {
        if let (Some(next), Some((id, further, _))) = (
            id_parts(rest, gazetteer),
            item_ids(rest, citing_year, gazetteer),
        ) {
            // Its words as written, up to its serial: year, station, serial.
            let words = rest
                .split_whitespace()
                .position(|w| {
                    serial_token(w.trim_end_matches([',', ';', '.', ':', ')'])).as_deref()
                        == Some(next.serial.as_str())
                })
                .map_or(1, |k| k + 1);
            more.push((id, format!("{} {}", next.written, next.serial), words));
            more.extend(further);
            cut = Some(rest.as_ptr() as usize - item.as_ptr() as usize);
        }
    }
    Some((first, more, cut))
}

/// The text of a cable reference that follows the one whose serial is `serial` in `item`,
/// straight after it or after joining words (`AND PREVIOUS`), with its year first (`03 RANGOON
/// 1427`). A year is required: without it, numbers after a reference would be read as cables.
fn following_cable<'t>(item: &'t str, serial: &str) -> Option<&'t str> {
    let mut words = item
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - item.as_ptr() as usize, w));
    words.find(|(_, w)| {
        let clean = w.trim_end_matches([',', ';', '.', ':', ')']);
        // Most words are no serial: only a word with a digit is asked (`serial_token` allocates).
        clean.bytes().any(|b| b.is_ascii_digit()) && serial_token(clean).as_deref() == Some(serial)
    })?;
    // Only joining words between the two (never other text: `HARARE 5346  CONFIDENTIAL` /
    // `PAGE 02 HARARE 05461 …` is a page header after the item, not a cable).
    let (at, _) = words.find(|(_, w)| {
        let w = w.trim_end_matches(',');
        !["AND", "PREVIOUS", "ALSO", "OR", "&"]
            .iter()
            .any(|joiner| w.eq_ignore_ascii_case(joiner))
    })?;
    let rest = &item[at..];
    let first = rest.split_whitespace().next()?;
    (year_token(first.trim_end_matches([',', ';', '.', ':'])).is_some()
        && rest.split_whitespace().nth(2).is_some())
    .then_some(rest)
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
    "ITEM",
    "ITEMS",
    "CHAPTER",
    "VOLUME",
    "ANNEX",
    "ENCLOSURE",
    "TAB",
    "PART",
    "TITLE",
    "CASE",
    "FILE",
    "RESOLUTION",
    "LAW",
    "LINE",
    "PAGES",
];

/// What an item that names a cable says: the year (two digits) when it gives one, the station
/// token, the serial without leading zeros, further serials of the same station, and the
/// station as written (for the text of the further references).
#[derive(Debug, PartialEq)]
struct IdParts {
    year: Option<String>,
    station: String,
    serial: String,
    more: Vec<String>,
    written: String,
}

/// Reads an item as a cable reference: `[year] STATION serial [(year)] [AND serial …]`, with
/// the year also glued (`05ROME1`, `2005ROME1`), dashed (`05-ROME-1`) or given by the item's own
/// date (`DUBAI 1058 28 AUG 01`). Case does not matter for stations the gazetteer knows; an
/// unknown station must be written in capitals (a lower-case word is prose, not a station).
fn id_parts(item: &str, gazetteer: &Gazetteer) -> Option<IdParts> {
    let mut words: Vec<&str> = item
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    // `10SHENYANG 003`: the year glued to the station, the serial apart.
    if let Some(first) = words.first().copied() {
        let digits = first.bytes().take_while(u8::is_ascii_digit).count();
        let glued = (digits == 2 || digits == 4)
            && first.len() > digits
            && first[digits..].bytes().all(|b| b.is_ascii_uppercase());
        if glued {
            words.splice(0..1, [&first[..digits], &first[digits..]]);
        }
    }
    // The serial written first, zero-padded, then a station the gazetteer knows and nothing
    // else (07ASMARA850: `A. A) 00821 ASMARA`): a post's own serial order.
    if let [serial, station @ ..] = words.as_slice() {
        let serial_first = serial.len() >= 4
            && serial.len() <= 7
            && serial.starts_with('0')
            && serial.bytes().all(|b| b.is_ascii_digit())
            && (1..=3).contains(&station.len())
            && station
                .iter()
                .all(|w| gazetteer.token(&w.to_ascii_uppercase()).is_some());
        if serial_first {
            let station_words: Vec<&str> = station.to_vec();
            let station = station_token(&station_words, gazetteer)?;
            return Some(IdParts {
                year: None,
                station,
                serial: serial.trim_start_matches('0').to_string(),
                more: Vec::new(),
                written: station_words.join(" "),
            });
        }
    }
    let (first, rest) = words.split_first()?;
    let first_clean = first.trim_end_matches([',', ';', '.', ':']);
    if let Some(parts) = glued_id(first_clean, gazetteer) {
        return Some(parts);
    }
    let (year, start) = match year_token(first_clean) {
        Some(y) => (Some(y), 1),
        None => (None, 0),
    };
    let mut station_words: Vec<&str> = Vec::new();
    let mut k = start;
    let serial = loop {
        let tok = *words.get(k)?;
        let clean = tok.trim_end_matches([',', ';', '.', ':', ')']);
        if let Some(serial) = serial_token(clean) {
            if !station_words.is_empty() {
                break serial;
            }
        }
        let upper = clean.to_ascii_uppercase();
        let known_spelling = || gazetteer.token(&upper).is_some();
        if station_words.len() >= 4
            || !(is_upper_word(&upper) || known_spelling())
            || NOT_STATION.contains(&upper.as_str())
            || month_number(&upper).is_some()
            || (station_words.is_empty() && upper == "OF")
        {
            return None;
        }
        station_words.push(clean);
        k += 1;
    };
    let written = station_words.join(" ");
    let station = station_token(&station_words, gazetteer)?;
    let mut parts = IdParts {
        year,
        station,
        serial,
        more: Vec::new(),
        written,
    };
    let after = &words[k + 1..];
    let _ = rest;
    // `12 MAY` after a number is a date, not a serial: the item names a day, not a cable.
    if after
        .first()
        .is_some_and(|next| month_number(&next.to_ascii_uppercase()).is_some())
    {
        return None;
    }
    let mut j = 0;
    // A year after the serial: `ROME 12 (08)`.
    if parts.year.is_none() {
        if let Some(y) = after
            .first()
            .filter(|t| t.starts_with('('))
            .and_then(|t| year_token(t.trim_end_matches([',', ';', '.', ':'])))
        {
            parts.year = Some(y);
            j = 1;
        }
    }
    // The item's own date: `DUBAI 1058 28 AUG 01` (day, month, two- or four-digit year).
    if parts.year.is_none() && after.len() >= 3 {
        let day = after[0].trim_matches(|c: char| !c.is_ascii_alphanumeric());
        let month = after[1].trim_matches(|c: char| !c.is_ascii_alphanumeric());
        let y = after[2].trim_matches(|c: char| !c.is_ascii_alphanumeric());
        if is_digits(day) && day.len() <= 2 && month_number(&month.to_ascii_uppercase()).is_some() {
            if let Some(y) = year_token(y) {
                parts.year = Some(y);
                j = 3;
            }
        }
    }
    // Further serials: `AND 5678`, `, 5678`, `/5678`.
    while j < after.len() {
        let tok = after[j].trim_start_matches(['/', ',']);
        let tok_upper = tok.to_ascii_uppercase();
        if tok_upper == "AND" || tok.is_empty() {
            j += 1;
            continue;
        }
        let joined_by_and = j > 0 && after[j - 1].eq_ignore_ascii_case("AND");
        let joined_by_comma = j == 0 && words[k].ends_with(',')
            || j > 0 && after[j - 1].ends_with(',')
            || after[j].starts_with(['/', ',']);
        let clean = tok.trim_end_matches([',', ';', '.', ':', ')']);
        match serial_token(clean) {
            Some(serial) if joined_by_and || joined_by_comma => parts.more.push(serial),
            _ => break,
        }
        j += 1;
    }
    Some(parts)
}

/// A serial: digits (a letter O typed for a zero counts as a zero), at most eight of them,
/// without leading zeros.
fn serial_token(t: &str) -> Option<String> {
    if t.is_empty() || t.len() > 8 || !t.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    if !t.bytes().all(|b| b.is_ascii_digit() || b == b'O') {
        return None;
    }
    let digits: String = t.chars().map(|c| if c == 'O' { '0' } else { c }).collect();
    let trimmed = digits.trim_start_matches('0');
    Some(if trimmed.is_empty() { "0" } else { trimmed }.to_string())
}

/// The identifier token of a station written as `words`: the gazetteer's when it knows the
/// spelling (`SECSTATE` → `STATE`, `RIO DE JANEIRO` → `RIODEJANEIRO`, `UNVIE` → `UNVIEVIENNA`);
/// otherwise the words joined, if they were written in capitals. `WASHDC` after `SECSTATE`
/// belongs to the address, not the station.
fn station_token(words: &[&str], gazetteer: &Gazetteer) -> Option<String> {
    let mut words: Vec<&str> = words.to_vec();
    if words.len() > 1
        && words
            .last()
            .is_some_and(|w| w.eq_ignore_ascii_case("WASHDC"))
    {
        words.pop();
    }
    let written = words.join(" ");
    if let Some(token) = gazetteer.token(&written) {
        return Some(token.to_string());
    }
    // A station the gazetteer does not know stays as written, if it is one word in capitals:
    // the release's posts with several words are all in the gazetteer, so several unknown words
    // (`RMH CHAPTER 3`) are prose, not a station; a redacted one (`XXXXXXXXXXXX 167`) is no
    // station either.
    match words.as_slice() {
        [one] if is_upper_word(one) && !one.bytes().all(|b| b == b'X') => Some(one.to_string()),
        _ => None,
    }
}

/// `07PARIS1111`, `2007PARIS1111`, `07-PARIS-1111`: a year, capitals, digits.
fn glued_id(t: &str, gazetteer: &Gazetteer) -> Option<IdParts> {
    let t = t.trim_end_matches([',', ';', '.', ':', ')']);
    let dashed: String;
    let t = if t.contains('-') {
        dashed = t.replace('-', "");
        &dashed
    } else {
        t
    };
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits != 2 && digits != 4 {
        return None;
    }
    let year = year_token(&t[..digits])?;
    let letters = t[digits..]
        .bytes()
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    let serial = serial_token(&t[digits + letters..])?;
    if letters == 0 || !t[digits + letters..].bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let written = &t[digits..digits + letters];
    let station = gazetteer
        .token(written)
        .map_or_else(|| written.to_string(), str::to_string);
    Some(IdParts {
        year: Some(year),
        station,
        serial,
        more: Vec::new(),
        written: written.to_string(),
    })
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
/// An item of a REF block: its label, its text on one line, and the byte range it covers in the
/// block's text (without the label and the separators around it).
type Item = (Option<String>, String, Range<usize>);

fn split_items(s: &str, gazetteer: &Gazetteer) -> Vec<Item> {
    let start = s.len() - s.trim_start().len();
    match marker_at(s, start) {
        Some((b'A', _)) => {
            let items = lettered(s, b'A', b'Z');
            // A lone letter before a list of items apart by semicolons (10HANOI7: `A) HANOI 5;
            // HANOI 3; 09 HANOI 1398; …`): the letter is the first item's, the others have none.
            match items.as_slice() {
                [(label, _, range)] if s[range.clone()].contains(';') => {
                    let range = range.clone();
                    let mut rest = unlettered(&s[range.clone()], gazetteer);
                    for (i, item) in rest.iter_mut().enumerate() {
                        item.2 = item.2.start + range.start..item.2.end + range.start;
                        if i == 0 {
                            item.0.clone_from(label);
                        }
                    }
                    rest
                }
                _ => items,
            }
        }
        Some((b'1', _)) => lettered(s, b'1', b'9'),
        _ => unlettered(s, gazetteer),
    }
}

fn lettered(s: &str, first: u8, last: u8) -> Vec<Item> {
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
    let mut expected = first;
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
            items.push(lettered_item(s, l, start..pos));
        }
        current = Some((letter, pos + len));
        from = pos + len;
        expected += 1;
        if expected > last {
            break;
        }
    }
    if let Some((l, start)) = current {
        items.push(lettered_item(s, l, start..s.len()));
    }
    items
}

/// Item `letter` of a lettered block, at `range` (after its marker, up to the next marker).
fn lettered_item(s: &str, letter: u8, range: Range<usize>) -> Item {
    let text = undecorate(letter, &normalize(&s[range.clone()]));
    (
        Some((letter as char).to_string()),
        text.clone(),
        written_range(s, range, &text),
    )
}

/// The part of `s[range]` where an item's normalised `text` is written: from its first word to
/// its last, so a mention covers what the item says and not the blank or separators around it.
fn written_range(s: &str, range: Range<usize>, text: &str) -> Range<usize> {
    let raw = &s[range.clone()];
    let (Some(first), Some(last)) = (text.split(' ').next(), text.rsplit(' ').next()) else {
        return range.start..range.start;
    };
    let start = raw.find(first).unwrap_or(0);
    let end = raw
        .rfind(last)
        .map_or(raw.len(), |p| p + last.len())
        .max(start);
    range.start + start..range.start + end
}

/// An item's text without a second copy of its letter: `A. A) ROME 1`, `A. (A) ROME 1`,
/// `A. REF A: ROME 1` are all item A, `ROME 1`.
fn undecorate(letter: u8, text: &str) -> String {
    let t = text
        .strip_prefix("REF ")
        .or_else(|| text.strip_prefix("Ref "))
        .unwrap_or(text);
    let b = t.as_bytes();
    let l = letter;
    let same = |i: usize| b.get(i).is_some_and(|c| c.to_ascii_uppercase() == l);
    // `(A) `, `[A] `: three bytes and a space; `A) `, `A. `, `A: `: two and a space.
    let cut = if matches!(b.first(), Some(b'(' | b'['))
        && same(1)
        && matches!(b.get(2), Some(b')' | b']'))
        && b.get(3) == Some(&b' ')
    {
        4
    } else if same(0) && matches!(b.get(1), Some(b')' | b'.' | b':')) && b.get(2) == Some(&b' ') {
        3
    } else {
        0
    };
    t[cut..].to_string()
}

/// The letter of a lettered item starting a line (`B. USNATO 430` → `B`), so the body
/// segmenter can tell a REF block's next item from the body text after it.
pub fn item_letter(line: &str) -> Option<u8> {
    let start = line.len() - line.trim_start().len();
    marker_at(line, start).map(|(letter, _)| letter)
}

/// A letter marker at `pos`: `A.`, `A)`, `A.)`, `A:`, `(A)`, `[A]`, or the same with a digit
/// (`(1)`, `1)`), followed by whitespace or the end. Returns the letter in upper case and the
/// marker's length.
fn marker_at(s: &str, pos: usize) -> Option<(u8, usize)> {
    let b = s.as_bytes();
    let (letter, len) = match b.get(pos)? {
        b'(' if b.get(pos + 2) == Some(&b')') => (*b.get(pos + 1)?, 3),
        b'[' if b.get(pos + 2) == Some(&b']') => (*b.get(pos + 1)?, 3),
        &c if b.get(pos + 1) == Some(&b'.') && b.get(pos + 2) == Some(&b')') => (c, 3),
        &c if matches!(b.get(pos + 1), Some(b'.' | b')' | b':')) => (c, 2),
        _ => return None,
    };
    let digit_ok = letter.is_ascii_digit() && letter != b'0' && b.get(pos + len - 1) != Some(&b'.');
    if !(letter.is_ascii_alphabetic() || digit_ok) {
        return None;
    }
    match b.get(pos + len) {
        None | Some(b' ' | b'\t' | b'\n') => Some((letter.to_ascii_uppercase(), len)),
        _ => None,
    }
}

fn unlettered(s: &str, gazetteer: &Gazetteer) -> Vec<Item> {
    let mut items: Vec<(String, Range<usize>)> = Vec::new();
    let mut current = String::new();
    let mut current_range = 0..0;
    let mut piece_start = 0;
    let mut sep: Option<u8> = None;
    let bytes = s.as_bytes();
    for pos in 0..=bytes.len() {
        let here = bytes.get(pos).copied();
        if !matches!(here, None | Some(b';' | b',' | b'\n' | b':')) {
            continue;
        }
        let piece = s[piece_start..pos].trim();
        // An item broken by the line wrap (`2004` / `HAVANA 643`, `05 PRAGUE` / `393`, `TOKYO` /
        // `780 (08)`): the piece is no cable, but with the next line's first piece it is one,
        // and that piece alone is not (or this one is only its year). Read on across the break.
        if here == Some(b'\n') && !piece.is_empty() && id_parts(piece, gazetteer).is_none() {
            let rest = &s[pos + 1..];
            let next_end = rest.find([';', ',', '\n', ':']).unwrap_or(rest.len());
            let next = rest[..next_end].trim();
            if !next.is_empty() {
                let joined = format!("{piece} {next}");
                let only_a_year = !piece.contains(' ') && year_token(piece).is_some();
                // `(06) USNATO` / `BRUSSELS 816`: the piece is a cable but for its serial.
                let wants_a_serial = id_parts(&format!("{piece} 1"), gazetteer).is_some();
                if id_parts(&joined, gazetteer).is_some()
                    && (only_a_year || wants_a_serial || id_parts(next, gazetteer).is_none())
                {
                    continue;
                }
            }
        }
        let starts_item = match sep {
            None | Some(b';') => true,
            Some(_) => id_parts(piece, gazetteer).is_some(),
        };
        let piece_at =
            piece_start + (s[piece_start..pos].len() - s[piece_start..pos].trim_start().len());
        if starts_item {
            if !current.trim().is_empty() {
                items.push((std::mem::take(&mut current), current_range.clone()));
            }
            current.clear();
            current.push_str(piece);
            current_range = piece_at..piece_at + piece.len();
        } else {
            if !piece.is_empty() {
                current_range.end = piece_at + piece.len();
            }
            if let Some(c @ (b',' | b':')) = sep {
                current.push(c as char);
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
        items.push((current, current_range));
    }
    items
        .into_iter()
        .map(|(t, range)| {
            let text = normalize(&t);
            let range = written_range(s, range, &text);
            (None, text, range)
        })
        .collect()
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

    fn parse(text: &str, year: Option<u16>) -> Vec<Reference> {
        super::parse(text, year, Gazetteer::builtin())
    }

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
    fn a_lone_letter_before_items_apart_by_semicolons() {
        let r = parse(
            "A) HANOI 5; HANOI 3; 09 HANOI 1398; 09 HANOI 1182 09 HANOI 1084; 09 HANOI 694",
            Some(10),
        );
        let got: Vec<(Option<&str>, Option<&str>)> = r
            .iter()
            .map(|r| (r.label.as_deref(), r.id.as_ref().map(|i| i.as_str())))
            .collect();
        assert_eq!(
            got,
            [
                (Some("A"), Some("10HANOI5")),
                (None, Some("10HANOI3")),
                (None, Some("09HANOI1398")),
                (None, Some("09HANOI1182")),
                (None, Some("09HANOI1084")),
                (None, Some("09HANOI694")),
            ]
        );
    }

    #[test]
    fn a_second_cable_with_its_year_after_the_first_in_one_item() {
        assert_eq!(
            ids("STATE 297614 AND PREVIOUS 03 RANGOON 1427"),
            [s("07STATE297614"), s("03RANGOON1427")]
        );
        // Not a page header run onto the item, nor the item's own date.
        assert_eq!(
            ids("HARARE 5346  CONFIDENTIAL\nPAGE 02 HARARE 05461 01 OF 02 271458Z"),
            [s("07HARARE5346")]
        );
        assert_eq!(ids("DUBAI 1058 28 AUG 01"), [s("01DUBAI1058")]);
    }

    #[test]
    fn a_zero_padded_serial_written_before_its_station() {
        assert_eq!(
            ids("A. A) 00821 ASMARA\n\nB. B) 00838 ASMARA"),
            [s("07ASMARA821"), s("07ASMARA838")]
        );
        // Not a number before a word that is no station, nor one without its zeros.
        assert_eq!(ids("00821 PEOPLE"), [None]);
        assert_eq!(ids("1984 ASMARA"), [None]);
    }

    #[test]
    fn each_of_two_cables_in_one_item_has_its_own_text_and_link() {
        let linked = |text: &str| {
            let (refs, mentions) = parse_positioned(text, Some(4), Gazetteer::builtin());
            let texts: Vec<String> = refs.iter().map(|r| r.text.clone()).collect();
            let spans: Vec<&str> = mentions.iter().map(|m| &text[m.start..m.end]).collect();
            (
                texts,
                spans.into_iter().map(String::from).collect::<Vec<_>>(),
            )
        };
        let (texts, spans) = linked("STATE 297614 AND PREVIOUS 03 RANGOON 1427");
        assert_eq!(texts, ["STATE 297614", "RANGOON 1427"]);
        assert_eq!(spans, ["STATE 297614", "03 RANGOON 1427"]);
        let (_, spans) = linked("A. 2004 STATE 112285 AND PREVIOUS 84 AMMAN 1234\nB. 04 AMMAN 55");
        assert_eq!(spans, ["2004 STATE 112285", "84 AMMAN 1234", "04 AMMAN 55"]);
        // A further serial of the same station is linked on its serial, as before.
        let (texts, spans) = linked("ROME 1234 AND 1250");
        assert_eq!(texts, ["ROME 1234 AND 1250", "ROME 1250"]);
        assert_eq!(spans, ["ROME 1234", "1250"]);
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

    #[test]
    fn items_broken_by_the_line_wrap() {
        let ids = |t: &str| -> Vec<Option<String>> {
            parse(t, Some(4))
                .into_iter()
                .map(|r| r.id.map(|i| i.0))
                .collect()
        };
        assert_eq!(
            ids("04-NAIROBI-531, 04-HAVANA-75, (04) tokyo 003315, 2004\nHAVANA 643"),
            [
                s("04NAIROBI531"),
                s("04HAVANA75"),
                s("04TOKYO3315"),
                s("04HAVANA643")
            ]
        );
        assert_eq!(
            ids("07PRETORIA 350; 2007PRETORIA218; 07 WARSAW 196; 07\nPRETORIA 000144; 06PRETORIA 126"),
            [s("07PRETORIA350"), s("07PRETORIA218"), s("07WARSAW196"), s("07PRETORIA144"), s("06PRETORIA126")]
        );
        assert_eq!(
            ids("05 Prague 000554, 2004TELAVIV415, 01PRAGUE7, 05 PRAGUE\n393"),
            [
                s("05PRAGUE554"),
                s("04TELAVIV415"),
                s("01PRAGUE7"),
                s("05PRAGUE393")
            ]
        );
        assert_eq!(
            ids("08 STATE 58544, 07 STATE 98963, 2008 TOKYO 957, TOKYO\n780 (08)"),
            [
                s("08STATE58544"),
                s("07STATE98963"),
                s("08TOKYO957"),
                s("08TOKYO780")
            ]
        );
        assert_eq!(ids("A. 05 0TTAWA 104"), [s("05OTTAWA104")]);
        assert_eq!(
            ids("03STATE 107567 (NOTAL): (06) USNATO\nBRUSSELS 816: 2007 USNATO 943"),
            [s("03STATE107567"), s("06USNATO816"), s("07USNATO943")]
        );
        // A wrapped e-mail stays one item of text.
        assert_eq!(ids("EMAIL FROM J. SMITH\n3/4/07"), [None]);
    }
}

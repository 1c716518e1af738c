//! Phase 3 of the index build: terms and documents → the script files the browser loads.
//!
//! Every file is a plain script that hands its data to a global registration function
//! (`ArchiveSearch.terms(7, …)`), because under `file://` a page may load scripts but not
//! `fetch` or XHR other files. File names are short numbers (`t/7.js`), safe on every disk and
//! in every URL whatever the terms contain.
//!
//! - `meta.js`: counts, the first term of every term shard (so the browser finds a term's shard
//!   by binary search) and the filter values for the search form.
//! - `t/N.js`: term shard N, consecutive terms of the sorted dictionary, each one string
//!   `"term head"` or `"term head tail w"`: head and tail in base64 (the tail prefixed `b` for a
//!   bitset, `v` for a varint list), `w` the tail's weight; or `"term @P bytes"` when the
//!   postings are big enough to have their own file `p/P.js`. The client computes document
//!   frequency and idf from the decoded lists, so they are not stored.
//! - `p/P.js`: `ArchiveSearch.postings(P, "head[ tail w]")`.
//! - `q/N.js`: the word positions of term shard N's terms, one string per term in the same
//!   order: empty for a key, the positions in base64, or `"@P"` when they are big enough to
//!   have their own file `r/P.js` (`ArchiveSearch.positionsFile(P, "…")`). Only a phrase loads
//!   them, so word queries cost what they cost before.
//! - `d/N.js`: display data of documents `N×DOC_SHARD …`: `[id, date, classification, origin,
//!   subject, snippet, page]` (`page` empty when it is the usual `cable/YYYY/MM/ID.html`).

use super::encode::base64_into;
use super::postings::Term;
use archive_corpus::LinkedCable;

/// Documents per display-data shard. Results of one query are spread over the whole archive, so
/// each shown result usually costs one shard: small shards keep a page of results cheap.
pub const DOC_SHARD: usize = 64;

/// A term shard is closed once its text passes this many bytes.
pub const TERM_SHARD_BYTES: usize = 24 * 1024;

/// Postings larger than this (encoded bytes) get their own file, so that a shard of small terms
/// stays small and a common word costs only its own list.
pub const OWN_FILE_BYTES: usize = 2048;

/// Characters of the first paragraph kept to show under a result.
pub const SNIPPET_CHARS: usize = 200;

/// JSON text of a string, safe inside a script (`serde_json` escapes quotes and controls; the
/// line separators U+2028/9 are escaped too for old engines).
pub fn js_string(s: &str) -> String {
    let json = serde_json::to_string(s).expect("strings serialise");
    escape_line_separators(json)
}

/// `json` with U+2028/9 escaped; as it is (no copy) when it has neither, as nearly always.
fn escape_line_separators(json: String) -> String {
    // Both are E2 80 A8/A9 in UTF-8: a byte search rules them out.
    if json.as_bytes().contains(&0xe2) && json.contains(['\u{2028}', '\u{2029}']) {
        json.replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029")
    } else {
        json
    }
}

/// The postings part of an entry: `head`, or `head tail weight` when there is a tail.
fn push_postings(term: &Term, s: &mut String) {
    base64_into(&term.head, s);
    if !term.tail.is_empty() {
        s.push(' ');
        s.push(if term.tail_bitset { 'b' } else { 'v' });
        base64_into(&term.tail, s);
        use std::fmt::Write;
        write!(s, " {}", term.tail_weight).expect("writing to a String cannot fail");
    }
}

/// The `p/P.js` text of a term with its own postings file.
pub fn postings_file(number: usize, term: &Term) -> String {
    let mut s = String::new();
    push_postings(term, &mut s);
    format!("ArchiveSearch.postings({number},\"{s}\");\n")
}

/// A term's entry in its positions shard (`q/N.js`), as a script string literal: its positions
/// in base64, or `"@P"` when they are in `r/P.js`.
pub fn positions_entry(term: &Term, own_file: Option<usize>, s: &mut String) {
    s.push('"');
    match own_file {
        Some(number) => {
            use std::fmt::Write;
            write!(s, "@{number}").expect("writing to a String cannot fail");
        }
        None => base64_into(&term.positions, s),
    }
    s.push('"');
}

/// Whether a term's positions go to their own file (the same size rule as postings).
pub fn has_own_positions_file(term: &Term) -> bool {
    term.positions.len() > OWN_FILE_BYTES
}

/// The `r/P.js` text of a term with its own positions file.
pub fn positions_file(number: usize, term: &Term) -> String {
    let mut s = String::with_capacity(term.positions.len() * 4 / 3 + 48);
    s.push_str(&format!("ArchiveSearch.positionsFile({number},\""));
    base64_into(&term.positions, &mut s);
    s.push_str("\");\n");
    s
}

/// The `q/N.js` text for already formatted entries.
pub fn positions_shard_file(number: usize, entries: &str) -> String {
    format!("ArchiveSearch.positions({number},[\n{entries}]);\n")
}

/// Whether a term's postings go to their own file.
pub fn has_own_file(term: &Term) -> bool {
    term.head.len() + term.tail.len() > OWN_FILE_BYTES
}

/// A term's dictionary entry, as a script string literal: `"term postings"` (see
/// [`push_postings`]), or `"term @P bytes"` when its postings are in `p/P.js` of that size.
/// Terms never contain a space (the tokenizer splits on white space), so the first space ends
/// the term.
pub fn dictionary_entry(term: &Term, own_file: Option<(usize, usize)>, s: &mut String) {
    // Written straight into `s`, the same bytes as `js_string` of the entry: only the term's
    // text can need escaping (the rest is digits, spaces, `@`, `b`, `v` and base64). Going
    // through `serde_json` cost two allocations and a copy per term.
    s.push('"');
    push_js_string_body(&term.term, s);
    s.push(' ');
    match own_file {
        Some((number, bytes)) => {
            use std::fmt::Write;
            write!(s, "@{number} {bytes}").expect("writing to a String cannot fail");
        }
        None => push_postings(term, s),
    }
    s.push('"');
}

/// The inside of [`js_string`]`(text)` (without its quotes), appended to `s`. A term nearly
/// always needs no escaping (no `"`, `\`, control or possible U+2028/9 lead byte 0xE2), and is
/// copied as it is; any other goes through [`js_string`] itself, the one escaper.
fn push_js_string_body(text: &str, s: &mut String) {
    let plain = |b: u8| b >= 0x20 && b != b'"' && b != b'\\' && b != 0xe2;
    if text.bytes().all(plain) {
        s.push_str(text);
        return;
    }
    let quoted = js_string(text);
    s.push_str(&quoted[1..quoted.len() - 1]);
}

/// The `t/N.js` text for already formatted entries.
pub fn term_shard_file(number: usize, entries: &str) -> String {
    format!("ArchiveSearch.terms({number},[\n{entries}]);\n")
}

/// The first paragraph's opening words, whitespace collapsed, cut at a word boundary.
pub fn snippet(cable: &archive_cable::model::Cable) -> String {
    use archive_cable::model::BlockKind;
    let body = &cable.body;
    let block = body
        .iter()
        .find(|b| b.kind == BlockKind::Paragraph && !b.text.trim().is_empty())
        .or_else(|| {
            body.iter()
                .find(|b| b.kind == BlockKind::Text && !b.text.trim().is_empty())
        });
    let Some(block) = block else {
        return String::new();
    };
    let mut out = String::new();
    let mut chars = 0;
    for word in block.text.split_whitespace() {
        let n = word.chars().count();
        if chars + n + 1 > SNIPPET_CHARS {
            if out.is_empty() {
                out.extend(word.chars().take(SNIPPET_CHARS));
            }
            out.push_str(" …");
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        out.push_str(word);
        chars += n;
    }
    out
}

/// The `d/N.js` text for the given documents, with each one's [`snippet`].
pub fn doc_shard_file(number: usize, docs: &[&LinkedCable], snippets: &[String]) -> String {
    let mut s = format!("ArchiveSearch.docs({number},[\n");
    for (i, (linked, snippet)) in docs.iter().zip(snippets).enumerate() {
        let c = &linked.cable;
        let usual = format!(
            "cable/{:04}/{:02}/{}.html",
            c.created.year,
            c.created.month,
            c.id.as_str()
        );
        let page = if linked.page == usual {
            ""
        } else {
            linked.page.as_str()
        };
        let date = format!(
            "{:04}-{:02}-{:02}",
            c.created.year, c.created.month, c.created.day
        );
        let label = c.classification.label();
        push_doc_row(
            &[
                c.id.as_str(),
                &date,
                &label,
                &c.origin,
                &c.subject,
                snippet,
                page,
            ],
            &mut s,
        );
        s.push_str(if i + 1 < docs.len() { ",\n" } else { "\n" });
    }
    s.push_str("]);\n");
    s
}

/// One document's row of `d/N.js`, appended to `s`: the same bytes as [`js_string_value`] of
/// the JSON array of `fields`, written straight in (through `serde_json::Value` it cost seven
/// string copies and a serialisation per document, and made the display data the slower half
/// of the vocabulary phase of the merge).
fn push_doc_row(fields: &[&str; 7], s: &mut String) {
    s.push('[');
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push('"');
        push_js_string_body(field, s);
        s.push('"');
    }
    s.push(']');
}

/// A JSON value as script text, with U+2028/9 escaped.
pub fn js_string_value(v: &serde_json::Value) -> String {
    escape_line_separators(v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entry as it was written before it was written directly: the text, then
    /// `js_string` of it.
    fn through_json(term: &Term, own_file: Option<(usize, usize)>) -> String {
        let mut e = String::new();
        e.push_str(&term.term);
        e.push(' ');
        match own_file {
            Some((number, bytes)) => e.push_str(&format!("@{number} {bytes}")),
            None => push_postings(term, &mut e),
        }
        js_string(&e)
    }

    #[test]
    fn document_rows_are_their_json_arrays() {
        let hostile = [
            "07PARIS1115",
            "2007-03-22",
            "SECRET//NOFORN",
            "Embassy \"Paris\"",
            "back\\slash ministère",
            "line\u{2028}sep\u{2029} en–dash €uro \u{7f}",
            "",
        ];
        let controls: Vec<String> = (0u8..0x20).map(|b| format!("c{}x", b as char)).collect();
        for k in 0..hostile.len() + controls.len() {
            let mut fields = hostile;
            fields.rotate_left(k % hostile.len());
            if let Some(c) = controls.get(k) {
                fields[k % 7] = c;
            }
            let mut s = String::from("x");
            push_doc_row(&fields, &mut s);
            let reference = js_string_value(&serde_json::json!(fields));
            assert_eq!(s[1..], reference, "{fields:?}");
        }
    }

    #[test]
    fn dictionary_entries_are_their_json_strings() {
        let mut texts: Vec<String> = [
            "missil",
            "-tag:prel",
            "a\"b",
            "back\\slash",
            "ministère",
            "line\u{2028}sep\u{2029}",
            "en–dash €uro",
            "\u{7f}del",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        texts.extend((0u8..0x20).map(|b| format!("c{}x", b as char)));
        for (i, text) in texts.iter().enumerate() {
            for tail in [Vec::new(), vec![1, 2, 3, 250]] {
                let term = Term {
                    term: text.as_str().into(),
                    df: 1,
                    idf100: 1,
                    head: (0..i as u8).collect(),
                    tail,
                    tail_bitset: i % 2 == 0,
                    tail_weight: i as u8,
                    positions: Vec::new(),
                };
                for own in [None, Some((i, 10 * i + 7))] {
                    let mut s = String::from("x");
                    dictionary_entry(&term, own, &mut s);
                    assert_eq!(s[1..], through_json(&term, own), "{text:?}");
                }
            }
        }
    }
}

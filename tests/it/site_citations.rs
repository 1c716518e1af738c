//! Citations as a reference manager reads them: the `citation_*` (Highwire) meta tags of each
//! cable page (the `DC.*` duplicates were dropped for the size budget: Zotero reads Highwire
//! first), read with a real HTML tokenizer (html5ever: attribute values
//! decoded as a browser decodes them, quoted or not) the way Zotero's "Embedded Metadata"
//! reader collects them, and checked against `archive export`, not against the page generator;
//! and the Cite box, with how to cite one paragraph.

use crate::site_util::*;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};
use serde_json::Value;
use std::cell::RefCell;
use std::path::Path;
use std::process::Command;

/// The `<meta name content>` pairs of a page, in order, names as written.
struct Metas(RefCell<Vec<(String, String)>>);

impl TokenSink for Metas {
    type Handle = ();
    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token {
            if tag.kind == TagKind::StartTag && &*tag.name == "meta" {
                let get = |n: &str| {
                    tag.attrs
                        .iter()
                        .find(|a| &*a.name.local == n)
                        .map(|a| a.value.to_string())
                };
                if let (Some(name), Some(content)) = (get("name"), get("content")) {
                    self.0.borrow_mut().push((name, content));
                }
            }
        }
        TokenSinkResult::Continue
    }
}

/// What a Highwire reader collects: every `citation_*` / `DC.*` meta tag, by lower-cased name
/// (Zotero matches names case-insensitively), the first value of each.
pub fn citation_tags(html: &str) -> std::collections::BTreeMap<String, String> {
    let input = BufferQueue::default();
    input.push_back(html.into());
    let tok = Tokenizer::new(Metas(RefCell::new(Vec::new())), Default::default());
    let _ = tok.feed(&input);
    tok.end();
    let mut out = std::collections::BTreeMap::new();
    for (name, content) in tok.sink.0.take() {
        let name = name.to_ascii_lowercase();
        if name.starts_with("citation_") || name.starts_with("dc.") {
            out.entry(name).or_insert(content);
        }
    }
    out
}

fn export(content: &Path) -> Vec<Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_archive"))
        .current_dir(repo())
        .args(["export", "--content"])
        .arg(content)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Zotero's date reading of a Highwire date (`2007/03/22`, `2007`): year, month, day.
fn zotero_date(text: &str) -> (u32, u32, u32) {
    let parts: Vec<u32> = text
        .split(['/', '-'])
        .map(|p| p.parse().expect("numeric date part"))
        .collect();
    (
        parts[0],
        *parts.get(1).unwrap_or(&0),
        *parts.get(2).unwrap_or(&0),
    )
}

/// The date `archive export` gives (`2007-03-22T13:25:00Z`, `2007-03-22`, `2007`), as year,
/// month, day (0 where the text gives none).
fn export_date(record: &Value) -> (u32, u32, u32) {
    let created = record["created"].as_str().unwrap();
    let date = &created[..created.len().min(10)];
    zotero_date(date)
}

const CSS: &str = include_str!("../../assets/style.css");

fn check_site(out: &Path, records: &[Value], base: Option<&str>) {
    assert!(!records.is_empty());
    for r in records {
        let page = r["page"].as_str().unwrap();
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        let tags = citation_tags(&html);
        let id = r["id"].as_str().unwrap();
        let subject = r["subject"].as_str().unwrap();
        assert_eq!(tags["citation_technical_report_number"], id, "{page}");
        if !subject.is_empty() {
            assert_eq!(tags["citation_title"], subject, "{page}");
        }
        assert_eq!(tags["citation_publisher"], r["origin"].as_str().unwrap());
        let date = zotero_date(&tags["citation_date"]);
        assert_eq!(date, export_date(r), "{page}: {}", tags["citation_date"]);
        // To the cable's precision: a year alone for a cable the text does not date.
        let parts = tags["citation_date"].split('/').count();
        match r["created_precision"].as_str().unwrap() {
            "year" => assert_eq!(parts, 1, "{page}"),
            _ => assert_eq!(parts, 3, "{page}"),
        }
        let url = match base {
            Some(b) => format!("{b}{page}"),
            None => page.to_string(),
        };
        // Only an absolute address is worth a tag: without base_url the page's own is used.
        match base {
            Some(_) => assert_eq!(tags["citation_public_url"], url),
            None => assert!(!tags.contains_key("citation_public_url"), "{page}"),
        }
        // The Cite box: no script, the identifier and the address in both citations.
        let cite = &html[html.find("<details class=cite>").expect("a Cite box")..];
        let cite = &cite[..cite.find("</details>").unwrap()];
        assert!(cite.contains("<summary>Cite</summary>"));
        assert!(cite.contains(&format!("@techreport{{{id},")), "{cite}");
        assert!(cite.matches(id).count() >= 3, "{cite}");
        assert!(cite.matches(url.as_str()).count() == 2, "{cite}");
        assert!(!html.contains("<script"));
        // A paragraph's citation: the box says how (“para. N”, the address with `#pN`), and
        // every numbered paragraph's number is the link to its anchor.
        // (The stylesheet writes that line under the citation: 75 bytes a page saved.)
        assert!(
            CSS.contains("content: \"A paragraph: add “para. N” and #pN to the address.\""),
            "the Cite box's paragraph line is in assets/style.css"
        );
        let telegram = &html[html.find("<section class=telegram>").unwrap()..];
        for anchor in telegram.split("<p id=p").skip(1) {
            let n: String = anchor.chars().take_while(char::is_ascii_digit).collect();
            assert!(
                anchor.starts_with(&format!("{n}><a href=#p{n}>{n}.</a>")),
                "{page}: paragraph {n}"
            );
        }
    }
}

#[test]
fn cable_pages_carry_citation_tags_a_reference_manager_reads() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_default_archive(&out);
    let records = export(&repo().join("content"));
    assert_eq!(records.len(), 5);
    let base = std::fs::read_to_string(repo().join("site.toml"))
        .unwrap()
        .lines()
        .find_map(|l| {
            l.strip_prefix("base_url = \"")
                .map(|v| v.trim_end_matches('"').to_string())
        })
        .map(|b| if b.ends_with('/') { b } else { format!("{b}/") });
    check_site(&out, &records, base.as_deref());
    // A cable known to the minute is cited to the day (Highwire dates have no time).
    let paris = citation_tags(
        &std::fs::read_to_string(out.join("cable/2007/03/07PARIS1115.html")).unwrap(),
    );
    assert_eq!(paris["citation_date"], "2007/03/22");
}

#[test]
fn generated_cable_pages_cite_with_the_base_url() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let config = archive_dev::generate::GenConfig::new(150, 14);
    archive_dev::generate::generate(&config, &content.join("cables")).unwrap();
    std::fs::write(
        dir.path().join("site.toml"),
        "base_url = \"https://example.org/cables\"\n",
    )
    .unwrap();
    let out = dir.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_archive"))
        .current_dir(dir.path())
        .args(["build", "--quiet"])
        .status()
        .unwrap();
    assert!(status.success());
    let records = export(&content);
    assert!(records.len() >= 150);
    check_site(&out, &records, Some("https://example.org/cables/"));
}

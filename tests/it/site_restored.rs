//! What the 1.7 × budget gave back (issue 14): the date in every listing row, tag listings
//! included, and each tag's meaning beside it on the cable page. Checked on the default archive
//! against `archive export` (ids, dates, tags) and `data/tags.toml` read here as plain text.

use crate::site_util::*;
use serde_json::Value;
use std::process::Command;

#[test]
fn tag_listings_are_dated_and_cable_pages_say_what_tags_mean() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_default_archive(&out);
    let export = Command::new(env!("CARGO_BIN_EXE_archive"))
        .current_dir(repo())
        .args(["export", "--content", "content"])
        .output()
        .unwrap();
    let records: Vec<Value> = String::from_utf8(export.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 5);
    // `CODE = "meaning"` lines, the vocabulary's own format.
    let vocabulary = std::fs::read_to_string(repo().join("data/tags.toml")).unwrap();
    let meaning = |tag: &str| {
        vocabulary.lines().find_map(|l| {
            let (code, value) = l.split_once(" = \"")?;
            (code.trim() == tag).then(|| value.trim_end().trim_end_matches('"').to_string())
        })
    };
    let mut meanings_seen = 0;
    for r in &records {
        let id = r["id"].as_str().unwrap();
        let day = &r["created"].as_str().unwrap()[..10];
        let page = std::fs::read_to_string(out.join(r["page"].as_str().unwrap())).unwrap();
        for tag in r["tags"].as_array().unwrap() {
            let tag = tag.as_str().unwrap();
            let listing = std::fs::read_to_string(out.join(format!("tag/{tag}.html"))).unwrap();
            assert!(listing.contains("<th>Created"), "tag/{tag}.html");
            let row = listing
                .lines()
                .find(|l| l.contains(&format!(">{id}</a>")))
                .unwrap_or_else(|| panic!("{id} in tag/{tag}.html"));
            assert!(row.contains(&format!("<td>{day}<td")), "{row}");
            if let Some(m) = meaning(tag) {
                let m = m.replace('&', "&amp;").replace('\'', "&#39;");
                assert!(
                    page.contains(&format!(">{tag}</a> {m}")),
                    "{id}: meaning of {tag} ({m})"
                );
                meanings_seen += 1;
            }
        }
    }
    assert!(meanings_seen >= 5, "{meanings_seen}");
}

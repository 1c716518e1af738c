//! Real cables of the 2010 release (`tests/real/`), read as a careful reader reads them.
//!
//! Each set under `tests/real/` holds the files as they were published (text dumps, cablegate
//! pages, rows of `cables.csv`) and a `facts.toml` written by a person reading each file: the
//! identifier, the date to the precision the text gives, classification, origin, subject, tags,
//! signer and every item of the REF block with the canonical identifier it names. Nothing in
//! those files came from this parser, so this test is the parser's ground truth.
//!
//! The test reads every file through the same entry point as a build (`sources::read_file`),
//! compares field by field, prints every disagreement, and holds the parser to the issue's
//! floor: identifier, date, classification and origin right for at least 99 % of cables,
//! subject and tags for 98 %, the closing signature for 95 %, and 95 % of the REF items that
//! name a cable resolved to the right identifier.

use archive::cable::{Cable, Precision};
use archive::sources::read_file;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One cable's facts as the reader wrote them.
#[derive(Debug, serde::Deserialize)]
struct Facts {
    file: String,
    id: String,
    created: Option<String>,
    classification: Option<String>,
    origin: Option<String>,
    subject: Option<String>,
    tags: Option<Vec<String>>,
    signer: Option<String>,
    #[serde(default)]
    references: Vec<RefFact>,
    /// What the reader expects `archive check` to warn of for this cable (a part of each
    /// warning's text): any other warning is a fault the facts would not show (a value read
    /// from the wrong cell, covered up by the telegram's own).
    #[serde(default)]
    warnings: Vec<String>,
}

#[derive(Debug, serde::Deserialize)]
struct RefFact {
    id: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
struct FactsFile {
    cable: Vec<Facts>,
}

/// Every `facts.toml` (or `*.facts.toml`) under `tests/real/`, with the folder its `file`
/// names are relative to.
fn fact_files() -> Vec<(PathBuf, PathBuf)> {
    let root = crate::site_util::repo().join("tests/real");
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_file() && name.ends_with("facts.toml") {
            let dir = entry.path().parent().unwrap().to_path_buf();
            let files = if dir.join("cables").is_dir() {
                dir.join("cables")
            } else {
                dir.clone()
            };
            found.push((entry.path().to_path_buf(), files));
        }
    }
    found
}

/// Tally of one field: how many cables had a fact for it, how many the parser got right, and
/// the disagreements to print.
#[derive(Default)]
struct Tally {
    checked: usize,
    right: usize,
    wrong: Vec<String>,
}

impl Tally {
    fn check(&mut self, who: &str, expected: &str, got: &str) {
        self.checked += 1;
        if expected == got {
            self.right += 1;
        } else {
            self.wrong
                .push(format!("{who}: expected {expected:?}, got {got:?}"));
        }
    }

    fn share(&self) -> f64 {
        if self.checked == 0 {
            1.0
        } else {
            self.right as f64 / self.checked as f64
        }
    }
}

/// The parsed date written at the precision the reader gave (`2007-03-22T13:25`, `2007-03-22`,
/// `2007`), with the parser's own precision so that guessing more than the text says is wrong.
fn date_as(cable: &Cable, expected: &str) -> String {
    let d = cable.created;
    let shown = match expected.len() {
        4 => format!("{:04}", d.year),
        10 => format!("{:04}-{:02}-{:02}", d.year, d.month, d.day),
        _ => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}",
            d.year, d.month, d.day, d.hour, d.minute
        ),
    };
    let claimed = match cable.precision {
        Precision::Year => 4,
        Precision::Day => 10,
        Precision::Minute => 16,
    };
    if claimed == expected.len() {
        shown
    } else {
        format!("{shown} (claims {:?})", cable.precision)
    }
}

#[test]
fn real_cables_read_as_a_careful_reader_reads_them() {
    let mut fields: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut refs = Tally::default();
    // Identifiers the parser gave that the reader did not see in the REF block: misreadings
    // (a date taken for a serial), or citations from the body that a CSV dump's own reference
    // column adds. Counted against every identifier the parser gave.
    let mut extra: Vec<String> = Vec::new();
    let mut given = 0;
    let mut cables_checked = 0;
    let mut cache: BTreeMap<PathBuf, Vec<Cable>> = BTreeMap::new();
    // Each file's warnings, and the parts of them its facts expect.
    let mut warned: BTreeMap<PathBuf, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for (facts_path, dir) in fact_files() {
        let text = std::fs::read_to_string(&facts_path).unwrap();
        let facts: FactsFile =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", facts_path.display()));
        for fact in facts.cable {
            let path = dir.join(&fact.file);
            let cables = cache.entry(path.clone()).or_insert_with(|| {
                let result = read_file(&path);
                assert!(
                    !result.cables.is_empty(),
                    "{}: no cable read: {:?}",
                    path.display(),
                    result.problems
                );
                let messages = result.problems.iter().map(|p| p.message.clone()).collect();
                warned.insert(path.clone(), (messages, Vec::new()));
                result.cables
            });
            if let Some((_, expected)) = warned.get_mut(&path) {
                expected.extend(fact.warnings.iter().cloned());
            }
            let who = format!("{} {}", short(&path), fact.id);
            // A file holds one cable, or (a CSV dump) many: then the row is found by its
            // identifier column, which the dump states outright.
            let cable = if cables.len() == 1 {
                &cables[0]
            } else {
                match cables.iter().find(|c| c.id.as_str() == fact.id) {
                    Some(c) => c,
                    None => {
                        fields
                            .entry("id")
                            .or_default()
                            .check(&who, &fact.id, "(no such row)");
                        continue;
                    }
                }
            };
            cables_checked += 1;
            fields
                .entry("id")
                .or_default()
                .check(&who, &fact.id, cable.id.as_str());
            if let Some(created) = &fact.created {
                fields
                    .entry("date")
                    .or_default()
                    .check(&who, created, &date_as(cable, created));
            }
            if let Some(c) = &fact.classification {
                fields.entry("classification").or_default().check(
                    &who,
                    c,
                    &cable.classification.label(),
                );
            }
            if let Some(o) = &fact.origin {
                fields
                    .entry("origin")
                    .or_default()
                    .check(&who, o, &cable.origin);
            }
            if let Some(s) = &fact.subject {
                fields.entry("subject").or_default().check(
                    &who,
                    &squeeze(s),
                    &squeeze(&cable.subject),
                );
            }
            // Tag codes are case-insensitive (a cable tagged `sy` is listed under `SY`): the
            // reader may keep a free-text tag's case as written.
            if let Some(t) = &fact.tags {
                fields.entry("tags").or_default().check(
                    &who,
                    &t.join(" ").to_uppercase(),
                    &cable.tags.join(" ").to_uppercase(),
                );
            }
            // The closing signature, as the people pages list it.
            if let Some(s) = &fact.signer {
                fields.entry("signer").or_default().check(
                    &who,
                    s,
                    cable.signer.as_deref().unwrap_or("(none)"),
                );
            }
            // References: each item that names a cable must be found among the parsed
            // references with the same identifier (in any order: a block's items are matched
            // as a multiset).
            let mut parsed: Vec<&str> = cable
                .references
                .iter()
                .filter_map(|r| r.id.as_ref().map(|i| i.as_str()))
                .collect();
            for expected in fact.references.iter().filter_map(|r| r.id.as_deref()) {
                let found = parsed.iter().position(|p| *p == expected);
                let got = match found {
                    Some(k) => parsed.remove(k).to_string(),
                    None => format!(
                        "not among {:?}",
                        cable
                            .references
                            .iter()
                            .map(|r| r.id.as_ref().map_or(r.text.as_str(), |i| i.as_str()))
                            .collect::<Vec<_>>()
                    ),
                };
                refs.check(&who, expected, &got);
            }
            given += cable.references.iter().filter(|r| r.id.is_some()).count();
            extra.extend(parsed.iter().map(|p| format!("{who}: {p}")));
        }
    }
    let mut report = format!("{cables_checked} real cables checked\n");
    let mut failed = Vec::new();
    let floors = [
        ("id", 0.99),
        ("date", 0.99),
        ("classification", 0.99),
        ("origin", 0.99),
        ("subject", 0.98),
        ("tags", 0.98),
        ("signer", 0.95),
    ];
    for (name, floor) in floors {
        let tally = fields.remove(name).unwrap_or_default();
        report.push_str(&summary(name, &tally));
        if tally.share() < floor {
            failed.push(name);
        }
    }
    report.push_str(&summary("REF items naming a cable", &refs));
    if refs.share() < 0.95 {
        failed.push("references");
    }
    report.push_str(&format!(
        "identifiers given that the reader did not list: {}/{given}\n",
        extra.len()
    ));
    for e in &extra {
        report.push_str(&format!("    {e}\n"));
    }
    if extra.len() as f64 > 0.05 * given as f64 {
        failed.push("references not in the text");
    }
    let unexpected: Vec<String> = warned
        .iter()
        .flat_map(|(path, (messages, expected))| {
            messages
                .iter()
                .filter(|m| !expected.iter().any(|e| m.contains(e.as_str())))
                .map(move |m| format!("{}: {m}", short(path)))
        })
        .collect();
    let warnings: usize = warned.values().map(|(m, _)| m.len()).sum();
    report.push_str(&format!(
        "warnings: {warnings}, of them not expected by the facts: {}\n",
        unexpected.len()
    ));
    for u in &unexpected {
        report.push_str(&format!("    {u}\n"));
    }
    if !unexpected.is_empty() {
        failed.push("warnings the reader does not expect");
    }
    println!("{report}");
    assert!(cables_checked >= 20, "the real corpus is missing: {report}");
    assert!(failed.is_empty(), "below the floor: {failed:?}\n{report}");
}

fn summary(name: &str, tally: &Tally) -> String {
    let mut s = format!(
        "{name}: {}/{} right ({:.1} %)\n",
        tally.right,
        tally.checked,
        100.0 * tally.share()
    );
    for w in &tally.wrong {
        s.push_str("    ");
        s.push_str(w);
        s.push('\n');
    }
    s
}

/// Runs of white space as one space, trimmed: a subject wrapped over lines is one line of text.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn short(path: &Path) -> String {
    let parts: Vec<_> = path.iter().rev().take(2).collect();
    format!(
        "{}/{}",
        parts[1].to_string_lossy(),
        parts[0].to_string_lossy()
    )
}

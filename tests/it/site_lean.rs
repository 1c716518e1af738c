//! A build keeps every cable's facts in memory but lets each telegram go once parsed, and reads
//! it again from its file (or its `cables.csv` record) when its page is written and its words
//! indexed (`archive_corpus::load_lean`, `Corpus::full`). These tests hold that reading again
//! to the promise a user relies on: the pages show the same text as when every telegram is kept,
//! and a file that changes in between is caught, named, and leaves the previous site in place.

use crate::site_util::*;
use archive::corpus::{self, Loaded};
use archive::site::{self, BuildOptions};
use std::path::Path;
use std::time::Duration;

const QUIET: BuildOptions = BuildOptions {
    quiet: true,
    verbose: false,
    cache: false,
};

/// A site folder with the given cables under `content/cables/`.
fn site_with(files: &[(&Path, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let cables = dir.path().join("content/cables");
    std::fs::create_dir_all(&cables).unwrap();
    for (from, name) in files {
        std::fs::copy(from, cables.join(name)).unwrap();
    }
    dir
}

fn site_config(dir: &Path, out: &str) -> site::config::Config {
    site::config::Config {
        content_dir: dir.join("content"),
        output_dir: dir.join(out),
        site_dir: dir.join("no-site-overrides"),
        ..site::config::Config::default()
    }
}

/// Builds with every telegram kept in memory, the way the pipeline ran before it read them
/// again: the reference the lean build must equal.
fn build_keeping_bodies(config: &site::config::Config) {
    let loaded = corpus::load(&corpus::cables_dir(&config.content_dir));
    assert!(loaded.cables.iter().all(|c| c.body_set_aside.is_none()));
    site::Build::from_loaded(loaded, Duration::ZERO, config.clone())
        .unwrap()
        .write(&QUIET)
        .unwrap();
}

#[test]
fn pages_read_again_equal_pages_kept_in_memory_for_text_html_csv_and_json() {
    let real = repo().join("tests/real");
    let mut files: Vec<(std::path::PathBuf, String)> = Vec::new();
    for sub in ["csv", "pages/cables", "dumps/cables", "texts2/cables"] {
        for entry in std::fs::read_dir(real.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.contains("SOURCES") || name.contains("facts") || name.ends_with(".tsv") {
                continue;
            }
            files.push((path, format!("{}-{name}", sub.replace('/', "-"))));
        }
    }
    files.sort();
    let borrowed: Vec<(&Path, &str)> = files
        .iter()
        .map(|(p, n)| (p.as_path(), n.as_str()))
        .collect();
    let dir = site_with(&borrowed);
    let lean = site_config(dir.path(), "lean");
    let kept = site_config(dir.path(), "kept");

    let build = site::Build::load(lean.clone(), &QUIET).unwrap();
    let cables = &build.site.corpus.cables;
    let from_csv = cables.iter().filter(|c| c.cable.record.is_some()).count();
    assert!(
        from_csv >= 4,
        "the real cables.csv rows and the JSON record are read: {from_csv}"
    );
    assert!(
        cables
            .iter()
            .any(|c| c.cable.source.extension().is_some_and(|e| e == "json")),
        "the JSON record is read"
    );
    assert!(
        cables
            .iter()
            .all(|c| c.cable.body.is_empty() && c.cable.body_set_aside.is_some()),
        "a build holds no telegram in memory"
    );
    build.write(&QUIET).unwrap();
    build_keeping_bodies(&kept);

    let (lean_tree, kept_tree) = (tree(&lean.output_dir), tree(&kept.output_dir));
    assert_eq!(
        lean_tree.keys().collect::<Vec<_>>(),
        kept_tree.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &lean_tree {
        assert!(kept_tree[path] == *bytes, "{path} differs");
    }
    // And the pages do hold the telegrams: every paragraph number the parser found is an anchor.
    let full = corpus::read(&dir.path().join("content"));
    for linked in &full.cables {
        let html = String::from_utf8_lossy(&lean_tree[&linked.page]).into_owned();
        for block in linked.cable.body.iter().filter(|b| b.number.is_some()) {
            let anchor = format!("id=p{}", block.number.unwrap());
            assert!(html.contains(&anchor), "{}: no {anchor}", linked.page);
        }
    }
}

#[test]
fn a_cable_changed_during_the_build_fails_it_by_name_and_keeps_the_previous_site() {
    let seeds = repo().join("content/cables");
    let names: Vec<String> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let files: Vec<(std::path::PathBuf, &str)> =
        names.iter().map(|n| (seeds.join(n), n.as_str())).collect();
    let borrowed: Vec<(&Path, &str)> = files.iter().map(|(p, n)| (p.as_path(), *n)).collect();
    let dir = site_with(&borrowed);
    let config = site_config(dir.path(), "public");
    site::build(&config, &QUIET).unwrap();
    let before = tree(&config.output_dir);

    // Loaded (every telegram set aside), then one file's text is edited before the pages are
    // written: its page would mix the old facts with the new text.
    let build = site::Build::load(config.clone(), &QUIET).unwrap();
    let victim = &build.site.corpus.cables[0].cable.source;
    let text = std::fs::read_to_string(victim).unwrap();
    let last_word = text
        .split_whitespace()
        .rev()
        .find(|w| w.len() > 4)
        .unwrap()
        .to_string();
    let edited = text.replacen(&last_word, "CHANGED", 1);
    assert_ne!(edited, text);
    std::fs::write(victim, edited).unwrap();
    let err = build.write(&QUIET).unwrap_err().to_string();
    assert!(
        err.contains(&*victim.to_string_lossy())
            && err.contains("changed while the site was being built"),
        "{err}"
    );
    assert_eq!(tree(&config.output_dir), before, "the previous site stays");

    // A file removed in between is named too.
    let build = site::Build::load(config.clone(), &QUIET).unwrap();
    let gone = build.site.corpus.cables[1].cable.source.clone();
    std::fs::remove_file(&gone).unwrap();
    let err = build.write(&QUIET).unwrap_err().to_string();
    assert!(
        err.contains(&*gone.to_string_lossy()) && err.contains("build again"),
        "{err}"
    );
    assert_eq!(tree(&config.output_dir), before);

    // Hand-made cables (bodies in memory, no file) need no reading again.
    let loaded = Loaded {
        files_read: 1,
        cables: vec![cable("07USNATO577", 2007, 10, 24)],
        ..Loaded::default()
    };
    let out = dir.path().join("hand-made");
    site::Build::from_loaded(loaded, Duration::ZERO, crate::site_util::config(&out))
        .unwrap()
        .write(&QUIET)
        .unwrap();
    assert!(out.join("cable/2007/10/07USNATO577.html").exists());
}

#[test]
fn a_cables_csv_record_changed_during_the_build_is_named_by_file_and_line() {
    let dump = repo().join("tests/real/csv/a.csv");
    let dir = site_with(&[(dump.as_path(), "cables.csv")]);
    let config = site_config(dir.path(), "public");
    let build = site::Build::load(config.clone(), &QUIET).unwrap();
    // The last cable by date: its record need not be the file's first.
    let victim = &build.site.corpus.cables.last().unwrap().cable;
    let offset = victim.record.expect("read from cables.csv") as usize;
    let csv = victim.source.clone();
    let text = std::fs::read_to_string(&csv).unwrap();

    // Where a reader finds that record: the line that opens with its row number and date and
    // names its identifier as the third field.
    let quoted = format!("\",\"{}\",\"", victim.id);
    let line = text
        .lines()
        .position(|l| l.starts_with('"') && l.find(&quoted).is_some_and(|at| at < 40))
        .map(|i| i + 1)
        .expect("the record's first line");

    // One word of its telegram (past the record's first 40 words, which cover its header fields)
    // replaced by another of the same length: every other record stays where it was.
    let (at, word) = text[offset..]
        .split_inclusive(char::is_whitespace)
        .scan(offset, |at, w| {
            let start = *at;
            *at += w.len();
            Some((start, w.trim_end()))
        })
        .skip(40)
        .find(|(_, w)| w.len() > 5 && w.chars().all(|c| c.is_ascii_uppercase()))
        .unwrap();
    let mut edited = text.clone();
    edited.replace_range(at..at + word.len(), &"X".repeat(word.len()));
    std::fs::write(&csv, edited).unwrap();

    let err = build.write(&QUIET).unwrap_err().to_string();
    let named = format!("{}:{line}: ", csv.display());
    assert!(
        err.contains(&named) && err.contains("changed while the site was being built"),
        "expected {named:?} in: {err}"
    );
    assert!(!config.output_dir.exists(), "no half-written site");
}

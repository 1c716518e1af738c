//! Very large inputs finish, in time proportional to their size, and report what they must.
//!
//! Sizes are the issue's (a 50 MB cable, a 10 MB line, 100,000 references, 10,000 tags,
//! 100,000 empty files, 20,000 copies of one identifier) times `ARCHIVE_SCALE`, which defaults
//! to 0.05 so that the debug test suite stays quick. Full size, with timings printed:
//!
//! ```text
//! ARCHIVE_SCALE=1 cargo test --release --test hostile_scale -- --nocapture --test-threads 1
//! ```
//!
//! Time bounds are generous sanity checks (a quadratic step at these sizes takes minutes to
//! hours); the figures to compare are printed.

use crate::hostile_util::*;
use std::path::Path;
use std::time::{Duration, Instant};

fn scale() -> f64 {
    std::env::var("ARCHIVE_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.05)
}

fn scaled(n: usize) -> usize {
    ((n as f64 * scale()) as usize).max(1)
}

/// Builds `dir` with `-v`, prints the time, checks it was bounded; returns stderr.
fn timed_build(dir: &Path, what: &str, bytes: usize) -> (bool, String) {
    let started = Instant::now();
    let out = build(dir, &["--verbose"]);
    let took = started.elapsed();
    let err = stderr(&out);
    let phases: Vec<&str> = err.lines().filter(|l| l.starts_with("phase ")).collect();
    eprintln!(
        "{what}: {:.1} MB input, {:.2} s ({})",
        bytes as f64 / 1e6,
        took.as_secs_f64(),
        phases.join(", ")
    );
    assert!(took < Duration::from_secs(300), "{what} took {took:?}");
    (out.status.success(), err)
}

fn one_cable(dir: &Path, text: &str) -> usize {
    write_cables(dir, &[("big.txt".into(), text.as_bytes().to_vec())]);
    text.len()
}

#[test]
fn a_50_mb_cable() {
    let dir = tempfile::tempdir().unwrap();
    let target = scaled(50_000_000);
    let mut text = seed(1);
    let para = "Allies discussed the proposal at length; see REF A and reftel. ".repeat(16);
    let mut n = 0;
    while text.len() < target {
        n += 1;
        text.push_str(&format!("\n{n}. (C) {para}\n"));
    }
    let bytes = one_cable(dir.path(), &text);
    let (ok, err) = timed_build(dir.path(), "one cable with a big body", bytes);
    assert!(ok, "{err}");
    assert!(err.contains("built 1 cables"), "{err}");
    let page = dir.path().join("public/cable/2007/10/07USNATO536.html");
    assert!(std::fs::metadata(page).unwrap().len() as usize > bytes);
}

#[test]
fn a_10_mb_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = seed(4);
    text.push('\n');
    text.push_str(&"WORD ".repeat(scaled(10_000_000) / 5));
    text.push_str("\n\nNULAND\n");
    let bytes = one_cable(dir.path(), &text);
    let (ok, err) = timed_build(dir.path(), "one 10 MB line", bytes);
    assert!(ok, "{err}");
    assert!(err.contains("built 1 cables"), "{err}");
}

/// References one per line, and as many `reftel` and `REF A` mentions: the mentions must not
/// cost references × mentions.
#[test]
fn a_100000_reference_cable() {
    let dir = tempfile::tempdir().unwrap();
    let n = scaled(100_000);
    let s = seed(1);
    let at = s.find("Classified By:").unwrap();
    let mut text = String::with_capacity(n * 80);
    text.push_str(&s[..at]);
    text.push_str("REF: ");
    for k in 1..=n {
        text.push_str(&format!("USNATO {k}\n"));
    }
    text.push('\n');
    text.push_str(&s[at..]);
    for k in 1..=n / 10 {
        text.push_str(&format!(
            "\n{k}. (C) As reported in reftel and REF A, see reftels.\n"
        ));
    }
    let bytes = one_cable(dir.path(), &text);
    let (ok, err) = timed_build(dir.path(), "one cable with many references", bytes);
    assert!(ok, "{err}");
    let corpus = archive::corpus::read(&dir.path().join("content"));
    assert_eq!(corpus.cables[0].cable.references.len(), n);
    let mentions: usize = corpus.cables[0]
        .cable
        .body
        .iter()
        .map(|b| b.mentions.iter().map(|m| m.references.len()).sum::<usize>())
        .sum();
    // Bounded per mention, not references × mentions (plus one mention per REF item, in the
    // REF field itself).
    assert!(mentions <= 2 * (n / 10) * 256 + n + 1000, "{mentions}");
}

#[test]
fn a_10000_tag_cable() {
    let dir = tempfile::tempdir().unwrap();
    let n = scaled(10_000);
    let tags: Vec<String> = (0..n).map(|k| format!("T{k:05}")).collect();
    let text = seed(1).replacen(
        "TAGS: NATO PREL MARR KCFE RU",
        &format!("TAGS: {}", tags.join(" ")),
        2,
    );
    let bytes = one_cable(dir.path(), &text);
    let (ok, err) = timed_build(dir.path(), "one cable with many tags", bytes);
    assert!(ok, "{err}");
    let tag_pages = std::fs::read_dir(dir.path().join("public/tag"))
        .unwrap()
        .count();
    assert_eq!(tag_pages, n);
}

#[test]
fn a_folder_of_100000_empty_files() {
    let dir = tempfile::tempdir().unwrap();
    let n = scaled(100_000);
    let cables = dir.path().join("content/cables");
    for k in 0..n {
        let sub = cables.join(format!("{:03}", k / 1000));
        if k % 1000 == 0 {
            std::fs::create_dir_all(&sub).unwrap();
        }
        std::fs::write(sub.join(format!("{k:06}.txt")), b"").unwrap();
    }
    std::fs::write(cables.join("good.txt"), seed(1)).unwrap();
    let (ok, err) = timed_build(dir.path(), "a folder of empty files", 0);
    assert!(ok, "{err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), n);
    let mut unique = errors.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), n, "a file reported twice");
    assert!(errors[0].starts_with("content/cables/000/000000.txt: error: "));
}

/// Linking 10,000 (100,000 at full scale) copies of one identifier, half of them in lower case: page
/// names stay linear. Library-level, so the count can be high in a debug build.
#[test]
fn many_copies_of_one_identifier() {
    let n = scaled(20_000).max(2000) * 5;
    let cable = match archive::parse::parse(seed(4).as_bytes(), Path::new("x.txt")) {
        archive::cable::Parsed::Cable { cable, .. } => *cable,
        _ => panic!("seed is a cable"),
    };
    let cables: Vec<_> = (0..n)
        .map(|k| {
            let mut c = cable.clone();
            c.body.clear();
            c.source = format!("c/{k:06}.txt").into();
            if k % 2 == 1 {
                c.id = archive::cable::CableId(c.id.as_str().to_ascii_lowercase());
            }
            c
        })
        .collect();
    let started = Instant::now();
    let corpus = archive::corpus::link(archive::corpus::Loaded {
        files_read: n,
        cables,
        ..Default::default()
    });
    let took = started.elapsed();
    eprintln!(
        "link {n} copies of one identifier: {:.2} s",
        took.as_secs_f64()
    );
    assert!(took < Duration::from_secs(60), "{took:?}");
    let mut pages: Vec<String> = corpus
        .cables
        .iter()
        .map(|c| c.page.to_ascii_lowercase())
        .collect();
    pages.sort();
    pages.dedup();
    assert_eq!(pages.len(), n);
    // Every copy but the first of each spelling is a duplicate; the other spelling's first is
    // a case clash; each reported once.
    assert_eq!(corpus.problems.len(), n - 1);
}

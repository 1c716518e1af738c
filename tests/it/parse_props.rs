//! No input makes the parser panic, and what it returns always keeps the model's invariants:
//! arbitrary bytes, every truncation of every seed, and seeds with lines deleted, inserted and
//! duplicated.

use archive::cable::{BlockKind, Parsed, Severity};
use proptest::prelude::*;
use std::path::Path;

fn seeds() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/cables");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("content/cables exists")
        .map(|e| e.expect("dir entry").path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("seed is UTF-8"))
        .collect()
}

/// Parses and checks the invariants of the result; panics (fails the test) on any breach.
fn check(bytes: &[u8]) {
    let path = Path::new("p/x.txt");
    match archive::parse::parse(bytes, path) {
        Parsed::NotACable(problems) => {
            assert!(!problems.is_empty());
            assert!(problems
                .iter()
                .all(|p| p.severity == Severity::Error && p.path == path));
        }
        Parsed::Cable { cable, warnings } => {
            assert!(warnings
                .iter()
                .all(|p| p.severity == Severity::Warning && p.path == path));
            assert!(
                cable.created_is_sound(),
                "{:?} at {:?}",
                cable.created,
                cable.precision
            );
            // Lines as an editor counts them (`\r\n` counts twice here, an upper bound is enough).
            let line_count = bytes.len() + 1;
            let mut last_line = 0;
            for block in &cable.body {
                assert!(block.line >= 1 && block.line as usize <= line_count);
                assert!(block.line >= last_line, "blocks out of order");
                last_line = block.line;
                assert_eq!(block.kind == BlockKind::Paragraph, block.number.is_some());
                assert_eq!(block.kind == BlockKind::Field, block.label.is_some());
                assert!(block.marking.is_none() || block.kind == BlockKind::Paragraph);
                let mut end = 0;
                for m in &block.mentions {
                    assert!(m.start < m.end && m.end <= block.text.len());
                    assert!(m.start >= end, "mentions overlap or are out of order");
                    end = m.end;
                    assert!(block.text.is_char_boundary(m.start));
                    assert!(block.text.is_char_boundary(m.end));
                    assert!(!m.references.is_empty());
                    assert!(m.references.iter().all(|&r| r < cable.references.len()));
                }
                for line in block.text.lines() {
                    assert_eq!(line, line.trim_end(), "trailing whitespace kept");
                }
            }
            for r in &cable.references {
                assert!(!r.text.is_empty());
            }
            assert!(cable.tags.iter().all(|t| !t.is_empty()));
        }
    }
}

/// Every prefix that ends on a char boundary of one seed of each layout: 001 (header table) and
/// 004 (raw telegram), about 13,000 parses. All five would take a minute in a debug build; the
/// other three are cut at every line boundary here and at random points below.
#[test]
fn every_truncation_of_a_seed_of_each_layout() {
    let seeds = seeds();
    for which in [1, 4] {
        let seed = &seeds[which];
        for end in (0..=seed.len()).filter(|&e| seed.is_char_boundary(e)) {
            check(&seed.as_bytes()[..end]);
        }
    }
    for which in [0, 2, 3] {
        let seed = &seeds[which];
        for (end, _) in seed.match_indices('\n') {
            check(&seed.as_bytes()[..end]);
            check(&seed.as_bytes()[..end + 1]);
        }
    }
}

/// Every prefix of the seeds cut at a byte that is *not* a char boundary gives invalid UTF-8,
/// which takes the Windows-1252 path.
#[test]
fn truncations_inside_characters() {
    for seed in seeds() {
        let bytes = seed.as_bytes();
        for end in (1..bytes.len()).filter(|&e| !seed.is_char_boundary(e)) {
            check(&bytes[..end]);
        }
    }
}

/// Lines worth inserting: each trips a different recogniser.
const LINES: &[&str] = &[
    "",
    "REF: A. USNATO 263",
    "B. 2006 STATE 55",
    "REFS A AND B and reftel",
    "C O N F I D E N T I A L SECTION 01 OF 03 THE HAGUE 000109",
    "UNCLAS",
    "SECRET//NOFORN",
    "NOFORN",
    "SENSITIVE BUT UNCLASSIFIED",
    "--------------",
    "-------------- ---",
    "USNATO 00000577 002 OF 003",
    "1. (C/NF) Paragraph",
    "[1](#)2. (S//NF) x",
    "\u{b6}3. (U//FOUO)",
    "999. (",
    "SUBJECT:",
    "TAGS: [NATO](#) [](#) [",
    "E.O. 12958: DECL: 03/16/2017",
    "Classified By: x, Reason 1",
    ".4 B/D",
    "O 321325Z FEB 07",
    "FM AMEMBASSY RIO DE JANEIRO",
    "TO RUEHC/SECSTATE WASHDC IMMEDIATE 5836",
    "VZCZCXYZ0000",
    "Identifier",
    "Cable title:\u{a0}",
    "NULAND",
    "\\$ \\ \u{a0} é ¶ (see REF C)",
    "REF",
    "REF (",
];

#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Insert(usize, String),
    Duplicate(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        (
            any::<usize>(),
            prop::sample::select(LINES).prop_map(str::to_string)
        )
            .prop_map(|(at, l)| Edit::Insert(at, l)),
        (any::<usize>(), "[ -~\u{a0}é¶]{0,40}").prop_map(|(at, l)| Edit::Insert(at, l)),
        any::<usize>().prop_map(Edit::Duplicate),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_seed_truncated_anywhere(which in 0usize..5, cut in any::<prop::sample::Index>()) {
        let seed = &seeds()[which];
        let mut end = cut.index(seed.len() + 1);
        while !seed.is_char_boundary(end) {
            end -= 1;
        }
        check(&seed.as_bytes()[..end]);
    }

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        check(&bytes);
    }

    #[test]
    fn arbitrary_text(text in "[ -~\n\u{a0}\u{b6}\r]{0,600}") {
        check(text.as_bytes());
    }

    #[test]
    fn seeds_with_lines_edited(
        which in 0usize..5,
        edits in prop::collection::vec(edit(), 1..12),
        crlf in any::<bool>(),
    ) {
        let seed = &seeds()[which];
        let mut lines: Vec<String> = seed.split('\n').map(str::to_string).collect();
        for e in edits {
            let n = lines.len().max(1);
            match e {
                Edit::Delete(at) if !lines.is_empty() => {
                    lines.remove(at % n);
                }
                Edit::Delete(_) => {}
                Edit::Insert(at, line) => lines.insert(at % (lines.len() + 1), line),
                Edit::Duplicate(at) if !lines.is_empty() => {
                    let l = lines[at % n].clone();
                    lines.insert(at % n, l);
                }
                Edit::Duplicate(_) => {}
            }
        }
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        check(text.as_bytes());
    }
}

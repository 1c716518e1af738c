//! The five seed cables parse to what `CABLES.md` says they are.

use archive::cable::{Block, BlockKind, Cable, Layout, Parsed, RecipientKind};
use std::path::{Path, PathBuf};

fn seed(prefix: &str) -> (Cable, PathBuf) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/cables");
    let path = std::fs::read_dir(&dir)
        .expect("content/cables exists")
        .map(|e| e.expect("readable dir entry").path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
        })
        .expect("seed file exists");
    let bytes = std::fs::read(&path).expect("seed readable");
    match archive::parse::parse(&bytes, &path) {
        Parsed::Cable { cable, warnings } => {
            assert!(
                warnings.is_empty(),
                "{prefix}: unexpected warnings {warnings:?}"
            );
            (*cable, path)
        }
        Parsed::NotACable(problems) => panic!("{prefix}: not a cable: {problems:?}"),
    }
}

fn ref_ids(c: &Cable) -> Vec<&str> {
    c.references
        .iter()
        .map(|r| r.id.as_ref().map_or("-", |i| i.as_str()))
        .collect()
}

fn blocks(c: &Cable, kind: BlockKind) -> Vec<&Block> {
    c.body.iter().filter(|b| b.kind == kind).collect()
}

fn paragraphs(c: &Cable) -> Vec<(u32, &str)> {
    blocks(c, BlockKind::Paragraph)
        .into_iter()
        .map(|b| (b.number.unwrap(), b.marking.as_deref().unwrap_or("")))
        .collect()
}

fn headings(c: &Cable) -> Vec<&str> {
    blocks(c, BlockKind::Heading)
        .into_iter()
        .map(|b| &*b.text)
        .collect()
}

/// One row of the table: seed, identifier, created, classification, origin, reference ids.
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

/// The table in CABLES.md, row by row.
#[test]
fn table_of_cables_md() {
    let rows: [Row; 5] = [
        (
            "000",
            "07PARIS1115",
            "2007-03-22 13:25",
            "CONFIDENTIAL",
            "Embassy Paris",
            &["07PARIS1111"],
        ),
        (
            "001",
            "07USNATO536",
            "2007-10-01 16:43",
            "SECRET",
            "Mission USNATO",
            &[],
        ),
        (
            "002",
            "07USNATO362",
            "2007-06-11 10:25",
            "CONFIDENTIAL",
            "Mission USNATO",
            &[],
        ),
        (
            "003",
            "07USNATO577",
            "2007-10-24 15:09",
            "CONFIDENTIAL//NOFORN",
            "Mission USNATO",
            &["07USNATO263", "07USNATO430", "07USNATO544"],
        ),
        (
            "004",
            "07USNATO265",
            "2007-04-23 17:11",
            "CONFIDENTIAL",
            "Mission USNATO",
            &["07USNATO263", "07USNATO264"],
        ),
    ];
    for (prefix, id, created, class, origin, refs) in rows {
        let (c, path) = seed(prefix);
        assert_eq!(c.id.as_str(), id, "{prefix} id");
        assert_eq!(c.created.display(), created, "{prefix} created");
        assert_eq!(c.created.second, 0, "{prefix} seconds");
        assert_eq!(c.classification.label(), class, "{prefix} classification");
        assert_eq!(c.origin, origin, "{prefix} origin");
        assert_eq!(ref_ids(&c), refs, "{prefix} references");
        assert_eq!(c.source, path);
    }
}

#[test]
fn layouts_are_detected_from_content() {
    for (prefix, layout) in [
        ("000", Layout::HeaderTable),
        ("001", Layout::HeaderTable),
        ("002", Layout::RawTelegram),
        ("003", Layout::HeaderTable),
        ("004", Layout::RawTelegram),
    ] {
        assert_eq!(seed(prefix).0.layout, layout, "{prefix}");
    }
}

#[test]
fn seed_000_paris() {
    let (c, _) = seed("000");
    // The header table's title is cut short; the telegram's SUBJECT is the full subject.
    assert_eq!(
        c.subject,
        "GENERAL OBERING'S MARCH 16 MISSILE DEFENSE DISCUSSIONS IN PARIS (CORRECTED COPY)"
    );
    assert_eq!(c.tags, ["MARR", "MNUC", "PARM", "FR"]);
    assert_eq!(c.signer.as_deref(), Some("STAPLETON"));
    assert_eq!(c.sender.as_deref(), Some("AMEMBASSY PARIS"));
    assert_eq!(
        c.classified_by.as_deref(),
        Some("Political Minister-Counselor Josiah Rosenblatt, Reason 1.4 B/D")
    );
    assert_eq!(
        c.declassification.as_deref(),
        Some("12958: DECL: 03/16/2017")
    );
    assert_eq!(c.references.len(), 1);
    assert_eq!(c.references[0].label.as_deref(), None);
    assert_eq!(&*c.references[0].text, "PARIS 1111");

    assert_eq!(
        recipient_names(&c),
        [
            (RecipientKind::To, "SECSTATE WASHDC"),
            (RecipientKind::Info, "NATO EU COLLECTIVE"),
            (RecipientKind::Info, "AMEMBASSY BEIJING"),
            (RecipientKind::Info, "AMEMBASSY MOSCOW"),
            (RecipientKind::Info, "HQ USEUCOM VAIHINGEN GE"),
            (RecipientKind::Info, "JOINT STAFF WASHINGTON DC"),
            (RecipientKind::Info, "SECDEF WASHINGTON DC"),
        ]
    );
    assert_eq!(
        &*c.recipients[0].text,
        "RUEHC/SECSTATE WASHDC IMMEDIATE 5836"
    );

    let numbers: Vec<u32> = paragraphs(&c).iter().map(|p| p.0).collect();
    // Paragraph 12 is missing in the original.
    assert_eq!(numbers, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15]);
    assert!(paragraphs(&c).iter().all(|p| p.1 == "C" || p.0 == 15));
    assert_eq!(paragraphs(&c).last(), Some(&(15, "U")));
    assert_eq!(
        headings(&c),
        [
            "MFA WORRIED ABOUT DIVISIONS AT NATO",
            "No Immediate Reaction to Cooperation Offer",
            "MOD Thinking on U.S. Missile Defense",
        ]
    );
    // A paragraph continues across a page gap in mid-sentence.
    let p3 = blocks(&c, BlockKind::Paragraph)[2];
    assert!(p3
        .text
        .contains("and not\nbe a substitute for, deterrence."));
    assert!(p3.text.ends_with("End Summary."));
    // `$` survives and nothing trails a line.
    assert!(c
        .body
        .iter()
        .any(|b| b.text.contains("invested $100 billion")));
    // `reftel` in the header text is linked to the single reference, in both copies.
    let text = blocks(&c, BlockKind::Text);
    assert_eq!(
        &*text[0].text,
        "(U) CORRECTED COPY, this message replaces reftel."
    );
    for t in &text[..2] {
        assert_eq!(t.mentions.len(), 1);
        let m = &t.mentions[0];
        assert_eq!(&t.text[m.start..m.end], "reftel");
        assert_eq!(m.references, [0]);
    }
    assert_eq!(&*text[2].text,
        "Please visit Paris' Classified Website at:\nhttp://www.state.sgov.gov/p/eur/paris/index.c fm"
    );
    let last = c.body.last().unwrap();
    assert_eq!(
        (last.kind, &*last.text),
        (BlockKind::Signature, "STAPLETON")
    );
}

#[test]
fn seed_001_usnato_secret() {
    let (c, _) = seed("001");
    assert_eq!(
        c.subject,
        "MISSILE DEFENSE: 9/25 EXECUTIVE WORKING GROUP-REINFORCED MEETING READOUT"
    );
    assert_eq!(c.tags, ["NATO", "PREL", "MARR", "KCFE", "RU"]);
    assert_eq!(c.signer.as_deref(), Some("NULAND"));
    assert!(c.references.is_empty());
    assert_eq!(c.recipients.len(), 11);
    assert_eq!(c.recipients[10].name, "USNMR SHAPE BE");
    assert_eq!(
        paragraphs(&c),
        [
            (1, "S"),
            (2, "S"),
            (3, "S"),
            (4, "S"),
            (5, "SBU"),
            (6, "S"),
            (7, "S")
        ]
    );
    assert_eq!(
        headings(&c),
        [
            "IS FINALLY AGREES TO CARRY OUT RIGA TASKING",
            "U.S. WANTS POLITICAL DECISION ON MD AT BUCHAREST",
            "BUT KEY ALLIES NEED CONVINCING",
        ]
    );
    // The address lines below the classification line are one marker block.
    let markers: Vec<&str> = blocks(&c, BlockKind::Marker)
        .into_iter()
        .map(|b| &*b.text)
        .collect();
    assert!(markers.contains(
        &"EUR/PRA FOR ANITA FRIEDT, OSD/MD FOR PAUL IARROBINO, OSD/P\nFOR BRIAN GREEN, EUR/RPM"
    ));
    // The signature follows the last paragraph without a blank line.
    let last_para = blocks(&c, BlockKind::Paragraph).pop().unwrap();
    assert!(last_para.text.ends_with("End Comment."));
}

#[test]
fn seed_002_raw_telegram() {
    let (c, _) = seed("002");
    assert_eq!(
        c.subject,
        "U.S. UPDATES NATO ALLIES ON MISSILE DEFENSE PLANS"
    );
    assert_eq!(c.tags, ["NATO", "PGOV", "PREL"]);
    assert_eq!(c.signer.as_deref(), Some("NULAND"));
    assert_eq!(c.sender.as_deref(), Some("USMISSION USNATO"));
    assert_eq!(c.recipients.len(), 6);
    assert_eq!(c.recipients[5].name, "JCS WASHDC");
    assert_eq!(
        c.classified_by.as_deref(),
        Some("Ambassador Victoria Nuland, Reasons 1.5 (b & d)")
    );
    // `¶1.` … `¶3.`, then the source itself numbers on from 14.
    let numbers: Vec<u32> = paragraphs(&c).iter().map(|p| p.0).collect();
    assert_eq!(numbers, [1, 2, 3, 14, 15, 16, 17, 18, 19]);
    assert!(paragraphs(&c).iter().all(|p| p.1 == "C"));
    assert_eq!(
        headings(&c),
        [
            "Bilat Meeting with NATO Secretary General",
            "PermReps Discuss MD, Transparency, Russia, and NATO MD Plans;\nU.S. Offers a \"Tour For MD Experts\" and an NC3A Link-Up",
            "Alarming Russian Statements and Need to Maintain Allied Unity",
        ]
    );
    // Markdown escapes and leftovers are gone; trailing double spaces too.
    let all: String = c
        .body
        .iter()
        .map(|b| &*b.text)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(all.contains("the House had funded $8.3 billion"));
    for bad in ["\\$", "\u{b6}", "](#)", "  \n"] {
        assert!(!all.contains(bad), "{bad:?} left in the body");
    }
    assert!(c
        .body
        .iter()
        .all(|b| b.text.lines().all(|l| l == l.trim_end())));
    let tags = c
        .body
        .iter()
        .find(|b| b.label.as_deref() == Some("TAGS"))
        .unwrap();
    assert_eq!(&*tags.text, "NATO PGOV PREL");
}

#[test]
fn seed_003_noforn_and_lettered_refs() {
    let (c, _) = seed("003");
    assert_eq!(
        c.subject,
        "NRC: RUSSIANS ILL-PREPARED TO RESPOND TO US 2+2 MISSILE DEFENSE OFFER"
    );
    assert_eq!(c.tags, ["NATO", "PREL", "MARR", "RU"]);
    assert_eq!(c.signer.as_deref(), Some("OLSON"));
    let refs: Vec<(Option<&str>, &str)> = c
        .references
        .iter()
        .map(|r| (r.label.as_deref(), &*r.text))
        .collect();
    assert_eq!(
        refs,
        [
            (Some("A"), "USNATO 263"),
            (Some("B"), "USNATO 430"),
            (Some("C"), "USNATO 544")
        ]
    );
    assert_eq!(
        paragraphs(&c),
        [
            (1, "C/NF"),
            (2, "C"),
            (3, "C"),
            (4, "C"),
            (5, "C"),
            (6, "C/NF"),
            (7, "C"),
            (8, "C/NF"),
            (9, "C/NF"),
            (10, "C"),
            (11, "C"),
            (12, "C/NF"),
            (13, "U"),
        ]
    );
    assert_eq!(
        headings(&c),
        [
            "U.S. OFFERS FRESH PROPOSALS IN 2 PLUS 2",
            "2 PLUS 2 TALKS: RUSSIANS A STEP BEHIND AND A DOLLAR SHORT",
            "IRAN IS NOT AN ENEMY",
            "ALLIES MAKE ANTONOV HOT UNDER THE COLLAR",
            "RUSSIAN CANCELLATION OF TMD EXERCISE",
            "POST-START",
            "COMMENT",
        ]
    );
    let breaks: Vec<&str> = blocks(&c, BlockKind::PageBreak)
        .into_iter()
        .map(|b| &*b.text)
        .collect();
    assert_eq!(
        breaks,
        ["USNATO 00000577 002 OF 003", "USNATO 00000577 003 OF 003"]
    );
    // `(see REF C)` links to the third reference.
    let p10 = blocks(&c, BlockKind::Paragraph)
        .into_iter()
        .find(|b| b.number == Some(10))
        .unwrap();
    assert_eq!(p10.mentions.len(), 1);
    let m = &p10.mentions[0];
    assert_eq!(&p10.text[m.start..m.end], "REF C");
    assert_eq!(m.references, [2]);
}

#[test]
fn seed_004_markdown_leftovers_in_refs() {
    let (c, _) = seed("004");
    assert_eq!(
        c.subject,
        "MISSILE DEFENSE: A/S ROOD CONSULTS WITH CZECH, POLISH, FRENCH, AND GERMAN COUNTERPARTS"
    );
    assert_eq!(c.tags, ["NATO", "PREL", "CZ", "PL", "RU"]);
    assert_eq!(c.signer.as_deref(), Some("NULAND"));
    let labels: Vec<Option<&str>> = c.references.iter().map(|r| r.label.as_deref()).collect();
    assert_eq!(labels, [Some("A"), Some("B")]);
    assert_eq!(
        paragraphs(&c),
        [
            (1, "C"),
            (2, "C"),
            (3, "C"),
            (4, "C"),
            (5, "C"),
            (6, "C"),
            (7, "C"),
            (8, "C")
        ]
    );
    assert_eq!(
        headings(&c),
        ["PERSISTENT POLE", "LAID-BACK CZECH", "FRENCH AND GERMANS"]
    );
    // `(reftels)` cites both references.
    let p1 = blocks(&c, BlockKind::Paragraph)[0];
    assert_eq!(p1.mentions.len(), 1);
    assert_eq!(
        &p1.text[p1.mentions[0].start..p1.mentions[0].end],
        "reftels"
    );
    assert_eq!(p1.mentions[0].references, [0, 1]);
}

/// The web export repeats the telegram header; the body shows it twice, the metadata once.
#[test]
fn doubled_header_is_not_doubled_metadata() {
    for prefix in ["000", "001", "003"] {
        let (c, _) = seed(prefix);
        assert_eq!(
            blocks(&c, BlockKind::ClassificationLine).len(),
            2,
            "{prefix}"
        );
        let subjects = c
            .body
            .iter()
            .filter(|b| b.label.as_deref() == Some("SUBJECT"))
            .count();
        assert_eq!(subjects, 2, "{prefix}: both copies are in the body");
        let mut tags = c.tags.clone();
        tags.dedup();
        tags.sort();
        tags.dedup();
        assert_eq!(tags.len(), c.tags.len(), "{prefix}: tags doubled");
        assert!(
            !c.subject.contains("MISSILE DEFENSE MISSILE DEFENSE"),
            "{prefix}"
        );
    }
    assert_eq!(seed("000").0.references.len(), 1);
    assert_eq!(seed("003").0.references.len(), 3);
}

/// The body covers the telegram from its first routing line to the end, and nothing of the
/// header table.
#[test]
fn body_covers_the_telegram_only() {
    for prefix in ["000", "001", "002", "003", "004"] {
        let (c, path) = seed(prefix);
        let source = std::fs::read_to_string(&path).unwrap();
        let first = &c.body[0];
        assert_eq!(first.kind, BlockKind::RoutingHeader, "{prefix}");
        assert!(first.text.starts_with("VZCZCXYZ") || first.text.starts_with("VZCZCXRO"));
        assert!(!c.body.iter().any(|b| b.text.contains("Cable title")
            || b.text.contains("how-to read a cable")
            || b.text.starts_with("Identifier")));
        // Nothing is dropped: the words of the blocks, with labels, numbers and markings put
        // back, are the words of the telegram (after Markdown cleaning, without dash lines).
        let start = source.find("VZCZC").unwrap();
        let cleaned = source[start..]
            .replace("[1](#)", "")
            .replace('\u{b6}', "")
            .replace("\\$", "$");
        let expected = words(&cleaned.replace("](#)", "").replace('[', ""));
        let mut rebuilt = String::new();
        for b in &c.body {
            if let Some(label) = &b.label {
                rebuilt.push_str(label);
                rebuilt.push(' ');
            }
            if let Some(n) = b.number {
                rebuilt.push_str(&format!("{n}. "));
            }
            if let Some(m) = &b.marking {
                rebuilt.push_str(&format!("({m}) "));
            }
            rebuilt.push_str(&b.text);
            rebuilt.push('\n');
        }
        assert_eq!(words(&rebuilt), expected, "{prefix}");
        // Block line numbers point at the source line where the block starts.
        let src_lines: Vec<&str> = source.lines().collect();
        for b in &c.body {
            let src = src_lines[b.line as usize - 1];
            assert!(
                !src.trim().is_empty(),
                "{prefix}: block at blank line {}",
                b.line
            );
        }
    }
}

/// Words of a text without colons and dash-only tokens, for comparing content.
fn words(text: &str) -> Vec<String> {
    text.split_whitespace()
        .map(|w| w.replace(':', ""))
        .filter(|w| !w.is_empty() && !w.chars().all(|ch| ch == '-'))
        .collect()
}

/// Each recipient's kind and name, in order.
pub fn recipient_names(c: &archive::cable::Cable) -> Vec<(RecipientKind, &str)> {
    c.recipients
        .iter()
        .map(|r| (r.kind, r.name.as_str()))
        .collect()
}

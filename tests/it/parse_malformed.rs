//! Files that are broken, odd or not cables at all. Inputs are byte literals so each test shows
//! exactly what the parser was given.

use archive::cable::{BlockKind, Cable, Layout, Parsed, Problem, Severity};
use std::path::Path;
use std::time::{Duration, Instant};

const RAW: &[u8] = b"VZCZCXYZ0002
OO RUEHWEB

DE RUEHNO #0362/01 1621025
ZNY CCCCC ZZH
O 111025Z JUN 07
FM USMISSION USNATO
TO RUEHC/SECSTATE WASHDC IMMEDIATE 0949
INFO RUEHZG/NATO EU COLLECTIVE IMMEDIATE

C O N F I D E N T I A L USNATO 000362

SIPDIS

E.O. 12958: DECL: 06/05/2017
TAGS: NATO PGOV
SUBJECT: U.S. UPDATES NATO ALLIES

Classified By: Ambassador Victoria Nuland, Reasons 1.5 (b & d)

1. (C) SUMMARY: Under Secretary Eric Edelman met the SYG.

2. (C) PermReps noted the statements.

NULAND
";

const TABLE: &[u8] = b"Identifier
Created
Classification
Origin
07PARIS1115
2007-03-22 13:25:00
CONFIDENTIAL
Embassy Paris
Cable title:\xC2\xA0 \xC2\xA0

GENERAL OBERING'S MARCH 16 MISSILE DEFENSE

Tags:\xC2\xA0 \xC2\xA0MARR\xC2\xA0MNUC\xC2\xA0PARM\xC2\xA0FR\xC2\xA0
pdf\xC2\xA0how-to read a cable
";

fn cable_at(bytes: &[u8], path: &str) -> (Cable, Vec<Problem>) {
    match archive::parse::parse(bytes, Path::new(path)) {
        Parsed::Cable { cable, warnings } => (*cable, warnings),
        Parsed::NotACable(p) => panic!("not a cable: {p:?}"),
    }
}

fn cable(bytes: &[u8]) -> (Cable, Vec<Problem>) {
    cable_at(bytes, "cables/x.txt")
}

fn not_a_cable(bytes: &[u8]) -> Vec<Problem> {
    match archive::parse::parse(bytes, Path::new("cables/x.txt")) {
        Parsed::Cable { cable, .. } => panic!("parsed as a cable: {}", cable.id),
        Parsed::NotACable(p) => {
            assert!(!p.is_empty());
            for problem in &p {
                assert_eq!(problem.severity, Severity::Error);
                assert_eq!(problem.path, Path::new("cables/x.txt"));
            }
            p
        }
    }
}

#[test]
fn empty_files_are_not_cables() {
    for bytes in [&b""[..], b"\n\n", b"  \r\n\t ", b"\xEF\xBB\xBF"] {
        let p = not_a_cable(bytes);
        assert!(p[0].message.contains("does not look like a cable"), "{p:?}");
        assert!(p[0].message.contains("empty"), "{p:?}");
    }
}

#[test]
fn binary_files_are_not_cables() {
    // A PNG header followed by bytes from a fixed pseudo-random sequence.
    let mut bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x02\x00".to_vec();
    let mut x: u32 = 0x2545_F491;
    for _ in 0..4096 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bytes.push((x >> 24) as u8);
    }
    let p = not_a_cable(&bytes);
    assert!(p[0].message.contains("binary"), "{p:?}");
    let p = not_a_cable(b"\x00\x01\x02\x03\x00\xff\xfe\x00C O N F I D E N T I A L\x00\x00");
    assert!(p[0].message.contains("binary"), "{p:?}");
}

#[test]
fn prose_is_not_a_cable() {
    let p = not_a_cable(
        b"Dear reader,\n\nThis folder holds the cables. See the README for how to build the site.\n",
    );
    assert_eq!(
        p[0].message,
        "no identifier, date or classification found: this does not look like a cable"
    );
    assert_eq!(p[0].line, None);
}

#[test]
fn latin1_bytes_are_read_as_windows_1252() {
    let mut bytes = RAW.to_vec();
    let at = bytes.windows(7).position(|w| w == b"met the").unwrap();
    bytes.splice(at..at, b"caf\xE9 \x93quoted\x94 ".iter().copied());
    let (c, w) = cable(&bytes);
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(c.id.as_str(), "07USNATO362");
    let p1 = c.body.iter().find(|b| b.number == Some(1)).unwrap();
    assert!(
        p1.text.contains("caf\u{e9} \u{201c}quoted\u{201d} met the"),
        "{}",
        p1.text
    );
}

#[test]
fn crlf_and_cr_line_endings_parse_like_lf() {
    let (lf, _) = cable(RAW);
    let crlf: Vec<u8> = RAW
        .iter()
        .flat_map(|&b| {
            if b == b'\n' {
                vec![b'\r', b'\n']
            } else {
                vec![b]
            }
        })
        .collect();
    let cr: Vec<u8> = RAW
        .iter()
        .map(|&b| if b == b'\n' { b'\r' } else { b })
        .collect();
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(&crlf);
    for bytes in [crlf, cr, bom] {
        let (c, w) = cable(&bytes);
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(c.body, lf.body);
        assert_eq!(c.subject, lf.subject);
        assert_eq!(c.recipients, lf.recipients);
        assert_eq!(c.created, lf.created);
    }
    assert_eq!(lf.subject, "U.S. UPDATES NATO ALLIES");
    assert_eq!(lf.tags, ["NATO", "PGOV"]);
    assert_eq!(lf.signer.as_deref(), Some("NULAND"));
}

#[test]
fn truncated_right_after_the_header_table() {
    let (c, w) = cable(TABLE);
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(c.layout, Layout::HeaderTable);
    assert_eq!(c.id.as_str(), "07PARIS1115");
    assert_eq!(c.created.display(), "2007-03-22 13:25");
    assert_eq!(c.classification.label(), "CONFIDENTIAL");
    assert_eq!(c.origin, "Embassy Paris");
    // No telegram: the title and the table's tags stand in.
    assert_eq!(c.subject, "GENERAL OBERING'S MARCH 16 MISSILE DEFENSE");
    assert_eq!(c.tags, ["MARR", "MNUC", "PARM", "FR"]);
    assert!(c.body.is_empty());
    assert_eq!(c.signer, None);

    // Cut in the middle of the values.
    let (c, w) = cable(&TABLE[..TABLE.windows(11).position(|w| w == b"CONFIDENTIA").unwrap()]);
    assert_eq!(c.id.as_str(), "07PARIS1115");
    assert_eq!(c.created.year, 2007);
    assert!(
        w.iter().any(|p| p.message.contains("classification")),
        "{w:?}"
    );
}

#[test]
fn truncated_right_after_the_routing_header() {
    let end = RAW.windows(5).position(|w| w == b"C O N").unwrap();
    let (c, w) = cable_at(&RAW[..end], "cables/07USNATO362.txt");
    assert_eq!(c.created.display(), "2007-06-11 10:25");
    assert_eq!(c.classification.label(), "CONFIDENTIAL"); // from ZNY CCCCC
    assert_eq!(c.origin, "Mission USNATO");
    assert_eq!(c.recipients.len(), 2);
    assert_eq!(c.body.len(), 1);
    assert_eq!(c.body[0].kind, BlockKind::RoutingHeader);
    // No classification line, so no station and serial: the file name stands in, with a warning.
    assert_eq!(c.id.as_str(), "07USNATO362");
    assert!(w.iter().any(|p| p.message.contains("file name")), "{w:?}");
    assert!(w
        .iter()
        .all(|p| p.path == Path::new("cables/07USNATO362.txt")));
}

#[test]
fn no_subject_and_no_tags() {
    let text = String::from_utf8(RAW.to_vec())
        .unwrap()
        .replace("TAGS: NATO PGOV\n", "")
        .replace("SUBJECT: U.S. UPDATES NATO ALLIES\n", "");
    let (c, w) = cable(text.as_bytes());
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(c.subject, "");
    assert!(c.tags.is_empty());
    assert_eq!(c.id.as_str(), "07USNATO362");

    // In the header-table layout the title stands in for a missing SUBJECT.
    let mut both = TABLE.to_vec();
    both.extend_from_slice(text.as_bytes());
    let (c, _) = cable(&both);
    assert_eq!(c.subject, "GENERAL OBERING'S MARCH 16 MISSILE DEFENSE");
    assert_eq!(c.tags, ["MARR", "MNUC", "PARM", "FR"]);
    assert_eq!(
        c.id.as_str(),
        "07PARIS1115",
        "the table wins over the telegram"
    );
}

#[test]
fn a_huge_single_line() {
    // 8 MB without a line break: prose, then the same inside a cable's paragraph.
    let line = "The quick brown fox REF A jumps over the lazy dog reftel. ".repeat(140_000);
    let start = Instant::now();
    let p = not_a_cable(line.as_bytes());
    assert!(p[0].message.contains("does not look like a cable"));
    let text = String::from_utf8(RAW.to_vec()).unwrap().replace(
        "2. (C) PermReps noted the statements.",
        &format!("2. (C) {line}"),
    );
    let (c, _) = cable(text.as_bytes());
    let p2 = c.body.iter().find(|b| b.number == Some(2)).unwrap();
    assert_eq!(p2.text.len(), line.trim_end().len());
    // The same line swallowed by header fields that are normally one line long.
    let numbered: String = (0..200_000).map(|k| format!("W{k} ")).collect();
    for field in ["TAGS: ", "SUBJECT: ", "REF: ", "E.O. ", "Classified By: "] {
        let text = String::from_utf8(RAW.to_vec())
            .unwrap()
            .replace("TAGS: NATO PGOV", &format!("{field}{numbered}"));
        let (c, _) = cable(text.as_bytes());
        assert_eq!(c.id.as_str(), "07USNATO362");
    }
    assert!(start.elapsed() < Duration::from_secs(30));
}

#[test]
fn bad_dates_and_unknown_classifications_are_warnings_with_lines() {
    let text = String::from_utf8(TABLE.to_vec())
        .unwrap()
        .replace("2007-03-22 13:25:00", "2007-02-30 13:25:00")
        .replace("\nCONFIDENTIAL\n", "\nRESTRICTED\n");
    let (c, w) = cable(text.as_bytes());
    // The bad date is not used; the identifier (07…) still gives the year.
    assert_eq!(
        (c.created.year, c.created.month, c.precision),
        (2007, 0, archive::cable::Precision::Year)
    );
    let lines: Vec<(Option<u32>, &str)> = w.iter().map(|p| (p.line, p.message.as_str())).collect();
    assert!(
        lines
            .iter()
            .any(|(l, m)| *l == Some(6) && m.contains("not a valid date")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|(l, m)| *l == Some(7) && m.contains("RESTRICTED")),
        "{lines:?}"
    );
    assert!(w.iter().all(|p| p.severity == Severity::Warning));

    // A garbled date-time group in a raw telegram: its line is named.
    let text = String::from_utf8(RAW.to_vec())
        .unwrap()
        .replace("O 111025Z JUN 07", "O 321025Z JUN 07");
    let (c, w) = cable(text.as_bytes());
    assert_eq!(
        c.id.as_str(),
        "07USNATO362",
        "the year still makes the identifier"
    );
    assert!(w.iter().any(|p| p.line == Some(6)), "{w:?}");
    assert!(w.iter().all(|p| p.to_string().starts_with("cables/x.txt:")));
}

#[test]
fn unlikely_but_possible_shapes() {
    // Only a classification line and prose: a partial extract.
    let (c, w) = cable(b"UNCLAS\n\nSome text about nothing.\n");
    assert_eq!(c.classification.label(), "UNCLASSIFIED");
    assert!(!w.is_empty());
    // Top secret does not occur, but must not break anything.
    let (c, _) = cable(b"T O P S E C R E T STATE 000001\n\nNOFORN\n\nE.O. 12958: DECL: X1\n");
    assert_eq!(c.classification.label(), "TOP SECRET//NOFORN");
    // A lone dash line, a paragraph with nothing after its marking, an empty REF.
    let (c, _) = cable(b"S E C R E T ROME 000002\n\nREF:\n\n-----\n\n1. (S)\nText.\n");
    assert!(c.references.is_empty());
    let p = c
        .body
        .iter()
        .find(|b| b.kind == BlockKind::Paragraph)
        .unwrap();
    assert_eq!(&*p.text, "Text.");
    // UTF-16 with a BOM.
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "UNCLAS STATE 000003\n".encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    let (c, _) = cable_at(&utf16, "09STATE3.txt");
    assert_eq!(c.id.as_str(), "09STATE3");
}

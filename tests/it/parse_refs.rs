//! Every `REF:` form listed in CABLES.md, through the whole parser: what is a cable and what is
//! not, the labels and texts kept, where the block ends, and how the body's mentions link.

use archive::cable::{BlockKind, Cable, Parsed};
use std::path::Path;

/// A small raw telegram from 2007 with the given lines between SUBJECT and the body.
fn telegram(ref_block: &str, body: &str) -> String {
    format!(
        "VZCZCXYZ0001\nOO RUEHWEB\nDE RUEHFR #1115/01 0811325\nZNY CCCCC ZZH\nO 221325Z MAR 07\n\
         FM AMEMBASSY PARIS\nTO RUEHC/SECSTATE WASHDC IMMEDIATE 5836\n\n\
         C O N F I D E N T I A L PARIS 001115\n\nSIPDIS\n\nE.O. 12958: DECL: 03/16/2017\n\
         TAGS: PREL FR\nSUBJECT: A TEST\n\n{ref_block}\n\n\
         Classified By: Someone, Reason 1.4 (b)\n\n{body}\n\nSTAPLETON\n"
    )
}

fn parse(text: &str) -> Cable {
    match archive::parse::parse(text.as_bytes(), Path::new("t.txt")) {
        Parsed::Cable { cable, .. } => *cable,
        Parsed::NotACable(p) => panic!("not a cable: {p:?}"),
    }
}

/// `(label, text, id)` of each reference.
fn refs(ref_block: &str) -> Vec<(Option<String>, String, Option<String>)> {
    parse(&telegram(ref_block, "1. (C) Body."))
        .references
        .into_iter()
        .map(|r| (r.label, r.text, r.id.map(|i| i.0)))
        .collect()
}

fn ids(ref_block: &str) -> Vec<Option<String>> {
    refs(ref_block).into_iter().map(|r| r.2).collect()
}

fn some(s: &str) -> Option<String> {
    Some(s.to_string())
}

#[test]
fn no_year_means_the_citing_cables_year() {
    assert_eq!(
        refs("REF: PARIS 1111"),
        [(None, "PARIS 1111".to_string(), some("07PARIS1111"))]
    );
}

#[test]
fn lettered_on_following_lines() {
    assert_eq!(
        refs("REF: A. USNATO 263\nB. USNATO 430"),
        [
            (some("A"), "USNATO 263".to_string(), some("07USNATO263")),
            (some("B"), "USNATO 430".to_string(), some("07USNATO430")),
        ]
    );
}

#[test]
fn lettered_separated_by_blank_lines_and_markdown_leftovers() {
    assert_eq!(
        ids("REF: A. USNATO 263\n\nB. USNATO 430\n\n[1](#)C. USNATO 000544  "),
        [
            some("07USNATO263"),
            some("07USNATO430"),
            some("07USNATO544")
        ]
    );
}

#[test]
fn years_written_in_the_item() {
    assert_eq!(
        ids("REF: A. 06 MOSCOW 1234\nB. 2006 STATE 55\nC. (99) ROME 2196"),
        [some("06MOSCOW1234"), some("06STATE55"), some("99ROME2196")]
    );
    assert_eq!(ids("REF: (99) ROME 2196"), [some("99ROME2196")]);
    assert_eq!(ids("REF: 08STATE74879"), [some("08STATE74879")]);
}

#[test]
fn several_items_on_one_line() {
    assert_eq!(
        refs("REFS: A) STATE 135205; B) SECSTATE 000012"),
        [
            (some("A"), "STATE 135205".to_string(), some("07STATE135205")),
            (some("B"), "SECSTATE 000012".to_string(), some("07STATE12")),
        ]
    );
}

#[test]
fn station_spellings_are_normalised() {
    assert_eq!(
        ids("REF: A. SECSTATE 1\nB. THE HAGUE 000109\nC. RIO DE JANEIRO 0044\nD. USNATO 000263"),
        [
            some("07STATE1"),
            some("07THEHAGUE109"),
            some("07RIODEJANEIRO44"),
            some("07USNATO263")
        ]
    );
}

#[test]
fn non_cable_items_are_kept_without_id() {
    let got = refs(
        "REF: A. EMAIL FROM POL/MIL 3/17/07\nB. SECDEF R162245Z OCT 08\nC. MEMO OF CONVERSATION 12 MARCH\nD. 07 STATE 12345 AND EARLIER",
    );
    assert_eq!(
        got,
        [
            (some("A"), "EMAIL FROM POL/MIL 3/17/07".to_string(), None),
            (some("B"), "SECDEF R162245Z OCT 08".to_string(), None),
            (some("C"), "MEMO OF CONVERSATION 12 MARCH".to_string(), None),
            (
                some("D"),
                "07 STATE 12345 AND EARLIER".to_string(),
                some("07STATE12345")
            ),
        ]
    );
    assert_eq!(ids("REF: Embassy e-mail of March 3"), [None]);
}

#[test]
fn block_ends_at_a_blank_line_followed_by_text() {
    let c = parse(&telegram(
        "REF: A. USNATO 263\n\nThis is not a reference.",
        "1. (C) Body.",
    ));
    assert_eq!(c.references.len(), 1);
    let texts: Vec<(BlockKind, &str)> = c.body.iter().map(|b| (b.kind, &*b.text)).collect();
    assert!(texts.contains(&(BlockKind::Text, "This is not a reference.")));
}

#[test]
fn block_ends_at_classified_by_and_at_a_numbered_paragraph() {
    let c = parse(&telegram(
        "REF: A. USNATO 263\nB. USNATO 430",
        "1. (C) Body.",
    ));
    let field = c
        .body
        .iter()
        .find(|b| b.label.as_deref() == Some("REF"))
        .unwrap();
    assert_eq!(&*field.text, "A. USNATO 263\nB. USNATO 430");
    // No Classified By: a numbered paragraph ends the block.
    let text = "C O N F I D E N T I A L PARIS 001115\n\nREF: A. USNATO 263\nB. USNATO 430\n1. (C) Body cites REF B.\n";
    let c = match archive::parse::parse(text.as_bytes(), Path::new("07PARIS1115.txt")) {
        Parsed::Cable { cable, .. } => cable,
        Parsed::NotACable(p) => panic!("{p:?}"),
    };
    assert_eq!(c.references.len(), 2);
    let para = c
        .body
        .iter()
        .find(|b| b.kind == BlockKind::Paragraph)
        .unwrap();
    assert_eq!(&*para.text, "Body cites REF B.");
    assert_eq!(para.mentions.len(), 1);
    assert_eq!(para.mentions[0].references, [1]);
}

#[test]
fn metadata_is_not_read_from_a_second_copy_of_the_header() {
    let once = "REF: A. USNATO 263\nB. USNATO 430";
    let text = telegram(once, "(U) Corrected copy.").replace(
        "\n\nSTAPLETON",
        &format!("\n\nC O N F I D E N T I A L PARIS 001115\n\nSUBJECT: A TEST\n\n{once}\n\n1. (C) Body.\n\nSTAPLETON"),
    );
    let c = parse(&text);
    assert_eq!(c.references.len(), 2);
    assert_eq!(c.subject, "A TEST");
}

#[test]
fn mentions_in_body_text() {
    let body = "1. (C) As REF A said (see REF C), and REFS A AND B agree; reftels differ.\n\n\
                2. (C) REF D does not exist.";
    let c = parse(&telegram(
        "REF: A. USNATO 263\nB. USNATO 430\nC. USNATO 544",
        body,
    ));
    let paras: Vec<_> = c
        .body
        .iter()
        .filter(|b| b.kind == BlockKind::Paragraph)
        .collect();
    let found: Vec<(&str, Vec<usize>)> = paras[0]
        .mentions
        .iter()
        .map(|m| (&paras[0].text[m.start..m.end], m.references.clone()))
        .collect();
    assert_eq!(
        found,
        [
            ("REF A", vec![0]),
            ("REF C", vec![2]),
            ("REFS A AND B", vec![0, 1]),
            ("reftels", vec![0, 1, 2]),
        ]
    );
    assert!(paras[1].mentions.is_empty());
    // The REF field's own letters are labels, not mentions: its mentions are its items, each
    // where it is written, and the parser says which block it is.
    let k = c.references_block.expect("the REF field is known");
    let field = &c.body[k];
    assert_eq!(field.label.as_deref(), Some("REF"));
    let items: Vec<(&str, &[usize])> = field
        .mentions
        .iter()
        .map(|m| (&field.text[m.start..m.end], &m.references[..]))
        .collect();
    assert_eq!(items.len(), c.references.len(), "{items:?}");
    for (k, (text, refs)) in items.iter().enumerate() {
        assert_eq!(refs, &[k]);
        assert_eq!(*text, c.references[k].text);
    }
}

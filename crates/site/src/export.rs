//! `archive export`: the linked corpus as JSON Lines or CSV, for researchers and for tests.
//!
//! The record's fields are a published format: add fields at the end, never rename or remove.

use archive_cable::model::{Cable, RecipientKind};
use archive_corpus::{Corpus, LinkedCable};
use serde::Serialize;
use std::io::{self, Write};

/// One reference as exported.
#[derive(Debug, Serialize)]
pub struct ExportedReference<'a> {
    pub label: Option<&'a str>,
    pub text: &'a str,
    pub id: Option<&'a str>,
    pub in_archive: bool,
}

/// One cable as exported: exactly these fields, in this order.
#[derive(Debug, Serialize)]
pub struct Record<'a> {
    pub id: &'a str,
    pub created: String,
    pub classification: String,
    pub origin: &'a str,
    pub subject: &'a str,
    pub tags: &'a [String],
    pub references: Vec<ExportedReference<'a>>,
    pub referenced_by: Vec<&'a str>,
    pub signer: Option<&'a str>,
    pub source: String,
    pub page: &'a str,
    /// How much of `created` the text gives: `minute`, `day` or `year` (then `created` is the
    /// year alone, `2005`; a day is `2005-02-15`).
    pub created_precision: &'static str,
    /// The action addressees (`TO` line), their readable names: `SECSTATE WASHDC`.
    pub to: Vec<&'a str>,
    /// The information addressees (`INFO` line), likewise.
    pub info: Vec<&'a str>,
    /// The "Classified by" line as written, reasons included.
    pub classified_by: Option<&'a str>,
}

impl<'a> Record<'a> {
    /// The record for the cable at `linked`, looking up citing cables in `corpus`.
    pub fn new(corpus: &'a Corpus, linked: &'a LinkedCable) -> Record<'a> {
        let cable = &linked.cable;
        Record {
            id: cable.id.as_str(),
            created: cable.created.iso_as(cable.precision),
            classification: cable.classification.label(),
            origin: &cable.origin,
            subject: &cable.subject,
            tags: &cable.tags,
            references: cable
                .references
                .iter()
                .zip(&linked.resolved)
                .map(|(r, target)| ExportedReference {
                    label: r.label.as_deref(),
                    text: &r.text,
                    id: r.id.as_ref().map(|id| id.as_str()),
                    in_archive: target.is_some(),
                })
                .collect(),
            referenced_by: linked
                .cited_by
                .iter()
                .map(|&i| corpus.cables[i].cable.id.as_str())
                .collect(),
            signer: cable.signer.as_deref(),
            source: cable.source.display().to_string(),
            page: &linked.page,
            created_precision: cable.precision.word(),
            to: recipients(cable, RecipientKind::To),
            info: recipients(cable, RecipientKind::Info),
            classified_by: cable.classified_by.as_deref(),
        }
    }
}

/// The names of the cable's addressees of one kind, in the order of the telegram.
fn recipients(cable: &Cable, kind: RecipientKind) -> Vec<&str> {
    cable
        .recipients
        .iter()
        .filter(|r| r.kind == kind)
        .map(|r| r.name.as_str())
        .collect()
}

/// Output format of `archive export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// A header row, then one row per cable; lists joined with `; `.
    Csv,
}

/// Writes every cable of the corpus, in corpus (date) order.
pub fn write(corpus: &Corpus, format: Format, out: impl Write) -> io::Result<()> {
    match format {
        Format::Jsonl => write_jsonl(corpus, out),
        Format::Csv => write_csv(corpus, out),
    }
}

fn write_jsonl(corpus: &Corpus, out: impl Write) -> io::Result<()> {
    let mut out = io::BufWriter::new(out);
    for linked in &corpus.cables {
        serde_json::to_writer(&mut out, &Record::new(corpus, linked))?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// The record's fields, in order: the CSV header, and the keys of every JSON line. A published
/// format, so fields are only ever added at the end.
pub const FIELDS: [&str; 15] = [
    "id",
    "created",
    "classification",
    "origin",
    "subject",
    "tags",
    "references",
    "referenced_by",
    "signer",
    "source",
    "page",
    "created_precision",
    "to",
    "info",
    "classified_by",
];

fn write_csv(corpus: &Corpus, out: impl Write) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(FIELDS)?;
    for linked in &corpus.cables {
        let r = Record::new(corpus, linked);
        // A reference is written as its identifier when it names a cable, else as its text.
        let references: Vec<&str> = r
            .references
            .iter()
            .map(|reference| reference.id.unwrap_or(reference.text))
            .collect();
        writer.write_record([
            r.id,
            &r.created,
            &r.classification,
            r.origin,
            r.subject,
            &r.tags.join("; "),
            &references.join("; "),
            &r.referenced_by.join("; "),
            r.signer.unwrap_or(""),
            &r.source,
            r.page,
            r.created_precision,
            &r.to.join("; "),
            &r.info.join("; "),
            r.classified_by.unwrap_or(""),
        ])?;
    }
    writer.flush()
}

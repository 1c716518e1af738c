//! Cables as JSON records: what search services, scrapers and their users' scripts save
//! (a cablesearch.org answer `{"info": …, "items": [{"id": …, "text": …, "header": …}]}`, an
//! array of such objects, one object per file, or JSON lines, one object a line).
//!
//! Like a cablegate page or a `cables.csv` row, a record is turned back into the header-table
//! text layout the parser reads: its metadata as `Label: value` lines (only those it has), then
//! the routing header, then the telegram. So every parser fix serves this format too, and the
//! parser never sees JSON. Field names differ between tools, so each fact is looked for under
//! the few names they use (case ignored); a record without a telegram text is reported, not
//! guessed at.
//!
//! A record is named by the byte offset at which it starts, as a `cables.csv` row is
//! ([`Cable::record`]): a build that has let a telegram go reads that one record again, and an
//! error names the record's line.

use super::{Bodies, FileResult};
use archive_cable::gazetteer::Gazetteer;
use archive_cable::model::{Cable, Parsed, Problem};
use rayon::prelude::*;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// `.json`, `.jsonl` and `.ndjson` files are read as JSON records.
pub(super) fn is_json(path: &Path) -> bool {
    path.extension().is_some_and(|e| {
        ["json", "jsonl", "ndjson"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// Names a record's telegram text goes by, tried in this order.
const TEXT_KEYS: &[&str] = &[
    "text",
    "body",
    "content",
    "telegram",
    "cable_text",
    "full_text",
];
/// The routing header (`VZCZC…`, `DE RUEH…`, the date-time group), kept apart by some services.
const HEADER_KEYS: &[&str] = &["header", "routing", "cable_header"];
const ID_KEYS: &[&str] = &["id", "identifier", "reference_id", "refid", "cable_id"];
const DATE_KEYS: &[&str] = &["date", "created", "datetime", "date_time"];
const CLASSIFICATION_KEYS: &[&str] = &["classification"];
const ORIGIN_KEYS: &[&str] = &["origin"];
const SUBJECT_KEYS: &[&str] = &["subject", "title"];
const TAGS_KEYS: &[&str] = &["tags"];
/// Where an answer that wraps its records keeps them; any other member holding an array of
/// objects is taken after these.
const LIST_KEYS: &[&str] = &[
    "items", "cables", "results", "records", "data", "docs", "rows",
];

/// Reads every record of a JSON file, parsing them in parallel, in file order. A `.jsonl` or
/// `.ndjson` file is streamed a batch of lines at a time, so memory stays bounded by the batch
/// whatever the file's size; a `.json` file is read whole (one answer, or an array: keep a
/// collection of hundreds of megabytes as JSON lines).
pub(super) fn read_json(
    path: &Path,
    gazetteer: &Gazetteer,
    bodies: Bodies,
    result: &mut FileResult,
) {
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        read_json_lines(path, gazetteer, bodies, result);
        return;
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) => {
            result
                .problems
                .push(Problem::error(path, None, format!("cannot read: {err}")));
            return;
        }
    };
    let records = match records(&bytes) {
        Ok(records) => records,
        Err(problem) => {
            result.problems.push(problem.at(path));
            return;
        }
    };
    if records.is_empty() {
        result.problems.push(Problem::error(
            path,
            None,
            "a JSON file with no records in it: expected an object with a \"text\" field, an array of them, or one a line",
        ));
        return;
    }
    let parsed: Vec<(Option<Cable>, Vec<Problem>)> = records
        .par_iter()
        .map(|&(offset, raw)| {
            let line = line_of(&bytes, offset);
            match serde_json::from_str::<Map<String, Value>>(raw.get()) {
                Ok(record) => parse_record(path, gazetteer, offset, line, &record),
                Err(err) => (
                    None,
                    vec![Problem::error(
                        path,
                        Some(line),
                        format!("a JSON record that is not an object: {err}"),
                    )],
                ),
            }
        })
        .collect();
    collect(parsed, bodies, result);
}

/// One line of a JSON lines file: where it starts, its line number, its bytes.
type Line = (u64, u32, Vec<u8>);

/// [`read_json`] for JSON lines: one record a line, read and parsed a batch at a time.
fn read_json_lines(path: &Path, gazetteer: &Gazetteer, bodies: Bodies, result: &mut FileResult) {
    use std::io::BufRead;
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(err) => {
            result
                .problems
                .push(Problem::error(path, None, format!("cannot read: {err}")));
            return;
        }
    };
    let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
    let mut batch: Vec<Line> = Vec::with_capacity(super::CSV_BATCH);
    let (mut offset, mut line_no, mut records) = (0u64, 0u32, 0usize);
    loop {
        let mut line = Vec::new();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(n) => {
                line_no += 1;
                let start = offset;
                offset += n as u64;
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                records += 1;
                batch.push((start, line_no, line));
                if batch.len() == super::CSV_BATCH {
                    parse_lines(path, gazetteer, bodies, &mut batch, result);
                }
            }
            Err(err) => {
                result.problems.push(Problem::error(
                    path,
                    Some(line_no + 1),
                    format!("cannot read: {err}; the rest of the file is skipped"),
                ));
                break;
            }
        }
    }
    parse_lines(path, gazetteer, bodies, &mut batch, result);
    if records == 0 {
        result.problems.push(Problem::error(
            path,
            None,
            "an empty JSON lines file: no records in it",
        ));
    }
}

fn parse_lines(
    path: &Path,
    gazetteer: &Gazetteer,
    bodies: Bodies,
    batch: &mut Vec<Line>,
    result: &mut FileResult,
) {
    let parsed: Vec<(Option<Cable>, Vec<Problem>)> = batch
        .par_iter()
        .map(
            |(offset, line, bytes)| match serde_json::from_slice::<Map<String, Value>>(bytes) {
                Ok(record) => parse_record(path, gazetteer, *offset, *line, &record),
                Err(err) => (
                    None,
                    vec![Problem::error(
                        path,
                        Some(*line),
                        format!(
                            "not a JSON object ({err}); a JSON lines file holds one record a line"
                        ),
                    )],
                ),
            },
        )
        .collect();
    batch.clear();
    collect(parsed, bodies, result);
}

fn collect(parsed: Vec<(Option<Cable>, Vec<Problem>)>, bodies: Bodies, result: &mut FileResult) {
    for (cable, problems) in parsed {
        if let Some(mut cable) = cable {
            bodies.apply(&mut cable);
            result.cables.push(cable);
        }
        result.problems.extend(problems);
    }
}

/// The record of `path` that starts at byte `offset`, read and parsed again (its warnings were
/// reported by the load). `None` when there is no record there any more.
pub(super) fn reread(
    path: &Path,
    offset: u64,
    gazetteer: &Gazetteer,
) -> std::io::Result<Option<Cable>> {
    use std::io::{Seek, SeekFrom};
    let mut file = std::fs::File::open(path)?;
    file.seek(SeekFrom::Start(offset))?;
    let reader = std::io::BufReader::with_capacity(1 << 16, file);
    let record = serde_json::Deserializer::from_reader(reader)
        .into_iter::<Map<String, Value>>()
        .next();
    Ok(match record {
        Some(Ok(record)) => parse_record(path, gazetteer, offset, 0, &record).0,
        _ => None,
    })
}

/// A JSON error, placed at its line once the path is known.
struct JsonError {
    line: u32,
    message: String,
}

impl JsonError {
    fn at(self, path: &Path) -> Problem {
        Problem::error(path, Some(self.line), self.message)
    }
}

/// Every record of the file with the byte offset it starts at: the top-level values in turn
/// (one, or one a line), each an object that is a record, an array of records, or an object
/// wrapping an array of records.
fn records(bytes: &[u8]) -> Result<Vec<(u64, &RawValue)>, JsonError> {
    let mut out = Vec::new();
    let offset_of = |raw: &RawValue| (raw.get().as_ptr() as usize - bytes.as_ptr() as usize) as u64;
    let not_json = |err: serde_json::Error| {
        JsonError {
        line: u32::try_from(err.line()).unwrap_or(u32::MAX),
        message: format!(
            "not readable as JSON ({err}); a cable file must be text, a cablegate page, cables.csv or JSON records"
        ),
    }
    };
    for value in serde_json::Deserializer::from_slice(bytes).into_iter::<&RawValue>() {
        let value = value.map_err(not_json)?;
        let text = value.get();
        if text.starts_with('[') {
            let items: Vec<&RawValue> = serde_json::from_str(text).map_err(not_json)?;
            out.extend(items.into_iter().map(|item| (offset_of(item), item)));
        } else if text.starts_with('{') {
            let members: BTreeMap<&str, &RawValue> =
                serde_json::from_str(text).map_err(not_json)?;
            if members.keys().any(|k| is_one_of(k, TEXT_KEYS)) {
                out.push((offset_of(value), value));
                continue;
            }
            let list = LIST_KEYS
                .iter()
                .find_map(|key| {
                    members
                        .iter()
                        .find(|(k, v)| k.eq_ignore_ascii_case(key) && v.get().starts_with('['))
                })
                .or_else(|| {
                    members.iter().find(|(_, v)| {
                        let v = v.get();
                        v.starts_with('[') && v[1..].trim_start().starts_with('{')
                    })
                });
            // An object that is neither a record with a text nor a wrapper of records is a
            // record without its text: reported as one, at its line.
            let Some((_, list)) = list else {
                out.push((offset_of(value), value));
                continue;
            };
            let items: Vec<&RawValue> = serde_json::from_str(list.get()).map_err(not_json)?;
            out.extend(items.into_iter().map(|item| (offset_of(item), item)));
        } else {
            return Err(JsonError {
                line: line_of(bytes, offset_of(value)),
                message: "a JSON value that is neither an object nor an array of records"
                    .to_string(),
            });
        }
    }
    Ok(out)
}

fn is_one_of(key: &str, names: &[&str]) -> bool {
    names.iter().any(|n| key.eq_ignore_ascii_case(n))
}

/// The 1-based line at which byte `offset` of `bytes` stands.
fn line_of(bytes: &[u8], offset: u64) -> u32 {
    let end = (offset as usize).min(bytes.len());
    u32::try_from(memchr::memchr_iter(b'\n', &bytes[..end]).count() + 1).unwrap_or(u32::MAX)
}

/// The first of `names` the record has, as text (a number is written out; other kinds are not
/// text).
fn field<'a>(record: &'a Map<String, Value>, names: &[&str]) -> Option<std::borrow::Cow<'a, str>> {
    names.iter().find_map(|name| {
        let (_, value) = record.iter().find(|(k, _)| k.eq_ignore_ascii_case(name))?;
        match value {
            Value::String(s) if !s.trim().is_empty() => Some(std::borrow::Cow::Borrowed(s.trim())),
            Value::Number(n) => Some(std::borrow::Cow::Owned(n.to_string())),
            _ => None,
        }
    })
}

/// The record's tags as one line: a string as given, an array of strings joined by spaces.
fn tags(record: &Map<String, Value>) -> Option<String> {
    let (_, value) = record.iter().find(|(k, _)| is_one_of(k, TAGS_KEYS))?;
    let line = match value {
        Value::String(s) => s.trim().to_string(),
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" "),
        _ => return None,
    };
    (!line.is_empty()).then_some(line)
}

/// A record's date in the header table's form (`2008-02-15 17:05:00`): `T` for the space, a
/// time without seconds completed, a zone or fraction after the seconds dropped. Anything else
/// is passed on as given, for the parser to judge and report.
fn table_date(date: &str) -> String {
    let date = date.replacen('T', " ", 1);
    match date.len() {
        16 => format!("{date}:00"),
        n if n > 19 && date.as_bytes()[10] == b' ' => date[..19].to_string(),
        _ => date,
    }
}

/// One record as the text the parser reads, parsed; problems point at the record's line.
fn parse_record(
    path: &Path,
    gazetteer: &Gazetteer,
    offset: u64,
    line: u32,
    record: &Map<String, Value>,
) -> (Option<Cable>, Vec<Problem>) {
    let Some(telegram) = field(record, TEXT_KEYS) else {
        return (
            None,
            vec![Problem::error(
                path,
                Some(line),
                "a JSON record without the telegram's text (no \"text\", \"body\" or \"content\" field): skipped",
            )],
        );
    };
    let mut text = String::with_capacity(telegram.len() + 512);
    let labelled = [
        ("Identifier", field(record, ID_KEYS).map(|s| s.into_owned())),
        ("Created", field(record, DATE_KEYS).map(|d| table_date(&d))),
        (
            "Classification",
            field(record, CLASSIFICATION_KEYS).map(|s| s.into_owned()),
        ),
        ("Origin", field(record, ORIGIN_KEYS).map(|s| s.into_owned())),
        (
            "Cable title",
            field(record, SUBJECT_KEYS).map(|s| s.into_owned()),
        ),
        ("Tags", tags(record)),
    ];
    for (label, value) in labelled {
        if let Some(value) = value {
            // A value is one line of the table; a line break in it would end the table.
            let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
            text.push_str(&format!("{label}: {value}\n"));
        }
    }
    if !text.is_empty() {
        text.push('\n');
    }
    if let Some(header) = field(record, HEADER_KEYS) {
        text.push_str(header.trim_matches('\n'));
        text.push_str("\n\n");
    }
    text.push_str(telegram.trim_matches('\n'));
    text.push('\n');
    let at_record = |mut p: Problem| {
        p.line = Some(line);
        p
    };
    match archive_cable::parse::parse_with(text.as_bytes(), path, gazetteer) {
        Parsed::Cable {
            mut cable,
            warnings,
        } => {
            cable.record = Some(offset);
            (Some(*cable), warnings.into_iter().map(at_record).collect())
        }
        Parsed::NotACable(errors) => (None, errors.into_iter().map(at_record).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A short telegram in the form the release's JSON services hand out (`\n` line ends).
    fn telegram(serial: u32, signer: &str) -> String {
        format!(
            "C O N F I D E N T I A L MADRID {serial:06}\n\nSIPDIS\n\nE.O. 12958: DECL: 02/15/2018\nTAGS: PHUM PREL SP\nSUBJECT: SPAIN AND THE GAERC NUMBER {serial}\n\nREF: A. STATE 15648\nB. MADRID 162\n\nClassified By: DCM Hugo Llorens for reasons 1.4 (b) and (d)\n\n1. (C) Spain would oppose any statement.\n\n{signer}\n"
        )
    }

    fn record(serial: u32, signer: &str) -> Value {
        serde_json::json!({
            "id": format!("08MADRID{serial}"),
            "subject": format!("SPAIN AND THE GAERC NUMBER {serial}"),
            "date": "2008-02-15 17:05:00",
            "classification": "CONFIDENTIAL",
            "origin": "Embassy Madrid",
            "text": telegram(serial, signer),
            "header": "VZCZCXRO9835\nPP RUEHAG\nDE RUEHMD #0174/01 0461739\nZNY CCCCC ZZH\nP 151739Z FEB 08\nFM AMEMBASSY MADRID\nTO RUEHC/SECSTATE WASHDC PRIORITY 4242",
            "tags": "PHUM PREL SP",
        })
    }

    fn read(name: &str, contents: &str) -> (tempfile::TempDir, FileResult) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, contents).unwrap();
        let result = super::super::read_file(&path);
        (dir, result)
    }

    #[test]
    fn every_shape_of_file_gives_its_records_in_order() {
        let one = record(174, "AGUIRRE").to_string();
        let two = record(175, "LLORENS").to_string();
        let shapes = [
            ("object.json", one.clone()),
            ("array.json", format!("[{one},\n {two}]")),
            (
                "answer.json",
                format!("{{\"info\":{{\"response\":\"OK\"}},\"items\":[{one},{two}]}}"),
            ),
            ("lines.jsonl", format!("{one}\n{two}\n")),
        ];
        for (name, contents) in shapes {
            let (_dir, result) = read(name, &contents);
            assert_eq!(result.kind, super::super::SourceKind::Json, "{name}");
            assert!(result.problems.is_empty(), "{name}: {:?}", result.problems);
            let ids: Vec<&str> = result.cables.iter().map(|c| c.id.0.as_str()).collect();
            let expected: &[&str] = if name == "object.json" {
                &["08MADRID174"]
            } else {
                &["08MADRID174", "08MADRID175"]
            };
            assert_eq!(ids, expected, "{name}");
            let first = &result.cables[0];
            assert_eq!(first.subject, "SPAIN AND THE GAERC NUMBER 174");
            assert_eq!(first.tags, ["PHUM", "PREL", "SP"]);
            assert_eq!(first.signer.as_deref(), Some("AGUIRRE"), "{name}");
            // The table's date (the record's metadata), not the date-time group's 17:39.
            assert_eq!(first.created.display(), "2008-02-15 17:05", "{name}");
        }
    }

    #[test]
    fn a_record_set_aside_is_read_again_from_its_offset() {
        let contents = format!(
            "[{},\n{},\n{}]",
            record(174, "AGUIRRE"),
            record(175, "LLORENS"),
            record(176, "SOLOMONT")
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cables.json");
        std::fs::write(&path, &contents).unwrap();
        let gazetteer = Gazetteer::builtin();
        let lean = super::super::read_file_lean(&path, gazetteer);
        let middle = &lean.cables[1];
        assert!(middle.body_set_aside.is_some());
        let full = super::super::reread(middle, gazetteer).unwrap();
        assert_eq!(full.id.0, "08MADRID175");
        assert_eq!(full.signer.as_deref(), Some("LLORENS"));
        assert!(!full.body.is_empty());
        // Changed under the build: the record at that offset is another cable now.
        std::fs::write(&path, contents.replace("08MADRID175", "08MADRID179")).unwrap();
        let err = super::super::reread(middle, gazetteer).unwrap_err();
        assert!(
            err.message
                .contains("changed while the site was being built"),
            "{err:?}"
        );
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn a_record_without_text_is_reported_at_its_line_and_the_others_are_read() {
        let contents = format!(
            "{}\n{{\"id\": \"08MADRID999\", \"subject\": \"NO TEXT\"}}\n{}\n",
            record(174, "AGUIRRE"),
            record(176, "SOLOMONT")
        );
        let (_dir, result) = read("mixed.ndjson", &contents);
        let ids: Vec<&str> = result.cables.iter().map(|c| c.id.0.as_str()).collect();
        assert_eq!(ids, ["08MADRID174", "08MADRID176"]);
        assert_eq!(result.problems.len(), 1, "{:?}", result.problems);
        assert_eq!(result.problems[0].line, Some(2));
        assert!(result.problems[0]
            .message
            .contains("without the telegram's text"));
    }

    #[test]
    fn broken_json_names_the_line_and_loses_nothing_else() {
        let (_dir, result) = read(
            "broken.json",
            "[\n{\"id\": \"08MADRID174\",\n\"text\": }\n]",
        );
        assert!(result.cables.is_empty());
        assert_eq!(result.problems.len(), 1);
        assert_eq!(result.problems[0].line, Some(3));
        assert!(result.problems[0].message.contains("not readable as JSON"));
        let (_dir, result) = read("empty.json", "[]");
        assert!(result.problems[0].message.contains("no records"));
        let (_dir, result) = read("other.json", "{\"name\": \"a package\", \"version\": 1}");
        assert!(result.problems[0]
            .message
            .contains("without the telegram's text"));
        let (_dir, result) = read("scalar.json", "42");
        assert!(result.problems[0]
            .message
            .contains("neither an object nor an array"));
    }

    #[test]
    fn names_and_forms_of_fields_vary_between_tools() {
        let rec = serde_json::json!({
            "Identifier": "08MADRID174",
            "Created": "2008-02-15T17:05:00Z",
            "Body": telegram(174, "AGUIRRE"),
            "tags": ["PHUM", "PREL", "SP"],
        });
        let (_dir, result) = read("tool.json", &rec.to_string());
        assert!(result.problems.is_empty(), "{:?}", result.problems);
        let cable = &result.cables[0];
        assert_eq!(cable.id.0, "08MADRID174");
        assert_eq!(cable.created.display(), "2008-02-15 17:05");
        assert_eq!(cable.subject, "SPAIN AND THE GAERC NUMBER 174");
        // Without metadata, the telegram's own facts (the year from its date-time group).
        let mut bare = record(174, "AGUIRRE");
        bare.as_object_mut()
            .unwrap()
            .retain(|k, _| k == "text" || k == "header");
        let (_dir, result) = read("bare.json", &bare.to_string());
        assert_eq!(result.cables[0].id.0, "08MADRID174");
        assert_eq!(result.cables[0].classification.to_string(), "CONFIDENTIAL");
    }

    #[test]
    fn json_lines_are_streamed_in_batches_and_a_bad_line_loses_nothing_else() {
        let n = super::super::CSV_BATCH + 5;
        let mut contents = String::new();
        for k in 0..n {
            contents.push_str(&record(1000 + k as u32, "AGUIRRE").to_string());
            contents.push('\n');
            if k == 3 {
                contents.push_str("{\"id\": \"08MADRID9\", \"text\": \n\n");
            }
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("all.jsonl");
        std::fs::write(&path, &contents).unwrap();
        let gazetteer = Gazetteer::builtin();
        let result = super::super::read_file_lean(&path, gazetteer);
        assert_eq!(result.cables.len(), n);
        let in_order = result
            .cables
            .iter()
            .enumerate()
            .all(|(k, c)| c.id.0 == format!("08MADRID{}", 1000 + k));
        assert!(in_order);
        assert_eq!(result.problems.len(), 1, "{:?}", result.problems);
        assert_eq!(result.problems[0].line, Some(5));
        assert!(result.problems[0].message.contains("not a JSON object"));
        // A record of the second batch is read again from its own line.
        let last = result.cables.last().unwrap();
        let full = super::super::reread(last, gazetteer).unwrap();
        assert_eq!(full.id, last.id);
        assert!(!full.body.is_empty());
    }

    #[test]
    fn table_dates_take_the_forms_services_write() {
        assert_eq!(table_date("2008-02-15 17:05:00"), "2008-02-15 17:05:00");
        assert_eq!(table_date("2008-02-15T17:05"), "2008-02-15 17:05:00");
        assert_eq!(
            table_date("2008-02-15T17:05:00.000+01:00"),
            "2008-02-15 17:05:00"
        );
        assert_eq!(table_date("15 Feb 2008"), "15 Feb 2008");
    }
}

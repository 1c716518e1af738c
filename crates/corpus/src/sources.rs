//! The file formats cables come in, and how each becomes text the parser reads.
//!
//! People have cables in four forms: plain text files (the seed layouts), the cable pages of a
//! cablegate mirror (`cable/YYYY/MM/<ID>.html`), the `cables.csv` dump of the full release
//! (one row per cable, about 1.7 GB), and JSON records saved from search services and scripts
//! ([`json`]). Rather than a parser per format, the HTML page, the CSV row and the JSON record
//! are turned back into the web-export text layout (a header table, then the telegram), which
//! [`archive_cable::parse::parse`] already reads. So every format gets every parser fix for free, and the
//! parser stays one pure function of text.
//!
//! The CSV dump is streamed: rows are read in batches and each batch is parsed in parallel, so
//! memory stays bounded by the batch, never by the file.

use archive_cable::gazetteer::Gazetteer;
use archive_cable::model::{Cable, Parsed, Problem};
use rayon::prelude::*;
use serde::Serialize;
use std::io::Read;
use std::path::{Path, PathBuf};

mod json;

/// What a file was read as; `archive check` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A cable as text, in either seed layout.
    Text,
    /// A cable page of a cablegate mirror.
    WikileaksHtml,
    /// The `cables.csv` dump: many cables in one file.
    CablesCsv,
    /// JSON records (a search service's answer, an array, JSON lines): one or many cables.
    Json,
}

impl SourceKind {
    /// How `archive check` names the kind.
    pub fn describe(self) -> &'static str {
        match self {
            SourceKind::Text => "text cable",
            SourceKind::WikileaksHtml => "cablegate HTML page",
            SourceKind::CablesCsv => "cables.csv dump",
            SourceKind::Json => "JSON records",
        }
    }
}

/// What one file gave: its kind, its cables, its problems.
#[derive(Debug)]
pub struct FileResult {
    pub path: PathBuf,
    pub kind: SourceKind,
    pub cables: Vec<Cable>,
    pub problems: Vec<Problem>,
}

/// Rows parsed together from a CSV dump: enough to keep both cores busy, small enough that
/// memory stays flat (a few MB of text).
const CSV_BATCH: usize = 2048;

/// Reads one file of any supported kind. Never fails as a whole: problems name the file (and
/// the line, for CSV rows).
pub fn read_file(path: &Path) -> FileResult {
    read_file_with(path, Gazetteer::builtin())
}

/// [`read_file`] with a site's gazetteer (the built-in one extended by its `stations.toml`).
pub fn read_file_with(path: &Path, gazetteer: &Gazetteer) -> FileResult {
    read(path, gazetteer, Bodies::Keep)
}

/// [`read_file_with`], letting each cable's telegram go as soon as it is parsed
/// ([`Cable::set_body_aside`]): what a build reads, so that memory holds the facts of every
/// cable but never every text. [`reread`] gives a cable's telegram back.
pub fn read_file_lean(path: &Path, gazetteer: &Gazetteer) -> FileResult {
    read(path, gazetteer, Bodies::SetAside)
}

/// Whether a reader keeps the telegrams it parses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bodies {
    Keep,
    SetAside,
}

impl Bodies {
    fn apply(self, cable: &mut Cable) {
        if self == Bodies::SetAside {
            cable.set_body_aside();
        }
    }
}

/// The whole cable again, telegram included, from the file (or the `cables.csv` record) a
/// cable whose body was set aside was read from. Fails, naming the file, when the file can no
/// longer be read or no longer holds the same text: it changed while the site was being built.
pub fn reread(cable: &Cable, gazetteer: &Gazetteer) -> Result<Cable, Problem> {
    let path = cable.source.as_path();
    // A `cables.csv` record is named by its line, as the load names it: a dump holds them all.
    let line = || cable.record.and_then(|offset| line_at(path, offset));
    let changed = || {
        Problem::error(
            path,
            line(),
            format!(
                "{} changed while the site was being built (its text is not the one read at the start): build again",
                cable.id
            ),
        )
    };
    let cannot = |err: std::io::Error| {
        Problem::error(
            path,
            line(),
            format!("cannot read again while building: {err}: build again"),
        )
    };
    let full = match cable.record {
        Some(offset) if json::is_json(path) => match json::reread(path, offset, gazetteer) {
            Ok(Some(full)) => full,
            Ok(None) => return Err(changed()),
            Err(err) => return Err(cannot(err)),
        },
        Some(offset) => {
            use std::io::{Seek, SeekFrom};
            let mut file = std::fs::File::open(path).map_err(cannot)?;
            file.seek(SeekFrom::Start(offset)).map_err(cannot)?;
            let mut reader = csv_reader(std::io::BufReader::with_capacity(1 << 16, file));
            let mut record = csv::ByteRecord::new();
            match reader.read_byte_record(&mut record) {
                Ok(true) => {}
                _ => return Err(changed()),
            }
            let fields = record.iter().map(decode_field).collect::<Vec<String>>();
            match parse_csv_row(
                path,
                gazetteer,
                CsvRow {
                    // Its warnings were reported, with the line, by the load; these are dropped.
                    line: 0,
                    offset,
                    fields,
                },
            ) {
                (Some(full), _) => full,
                (None, _) => return Err(changed()),
            }
        }
        None => {
            let bytes = std::fs::read(path).map_err(cannot)?;
            let mut kind = SourceKind::Text;
            match parse_bytes(&bytes, path, gazetteer, &mut kind) {
                Parsed::Cable { cable, .. } => *cable,
                Parsed::NotACable(_) => return Err(changed()),
            }
        }
    };
    if cable.body_set_aside != Some(full.body_digest()) || full.id != cable.id {
        return Err(changed());
    }
    Ok(Cable {
        body_set_aside: cable.body_set_aside,
        ..full
    })
}

fn read(path: &Path, gazetteer: &Gazetteer, bodies: Bodies) -> FileResult {
    let mut result = FileResult {
        path: path.to_path_buf(),
        kind: SourceKind::Text,
        cables: Vec::new(),
        problems: Vec::new(),
    };
    if is_csv_dump(path) {
        result.kind = SourceKind::CablesCsv;
        read_csv_dump(path, gazetteer, bodies, &mut result);
        return result;
    }
    if json::is_json(path) {
        result.kind = SourceKind::Json;
        json::read_json(path, gazetteer, bodies, &mut result);
        return result;
    }
    let parsed = READ_BUFFER.with(|buffer| {
        let mut bytes = buffer.borrow_mut();
        bytes.clear();
        if let Err(err) = std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)) {
            return Err(Problem::error(path, None, format!("cannot read: {err}")));
        }
        let parsed = parse_bytes(&bytes, path, gazetteer, &mut result.kind);
        if bytes.capacity() > KEPT_BUFFER {
            *bytes = Vec::new();
        }
        Ok(parsed)
    });
    let parsed = match parsed {
        Ok(parsed) => parsed,
        Err(problem) => {
            result.problems.push(problem);
            return result;
        }
    };
    match parsed {
        Parsed::Cable {
            mut cable,
            warnings,
        } => {
            bodies.apply(&mut cable);
            result.cables.push(*cable);
            result.problems.extend(warnings);
        }
        Parsed::NotACable(errors) => result.problems.extend(errors),
    }
    result
}

thread_local! {
    /// Each loading thread reads every file into the same buffer: one allocation per thread
    /// instead of one per file (peak memory measured the same either way).
    static READ_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Largest read buffer kept for the next file; a buffer grown by a huge file is given back.
const KEPT_BUFFER: usize = 1 << 20;

/// Parses a text file or a cablegate HTML page, and says which it was in `kind`.
fn parse_bytes(bytes: &[u8], path: &Path, gazetteer: &Gazetteer, kind: &mut SourceKind) -> Parsed {
    if looks_like_cablegate_html(bytes) {
        *kind = SourceKind::WikileaksHtml;
        match html_to_text(&String::from_utf8_lossy(bytes)) {
            Some(text) => archive_cable::parse::parse_with(text.as_bytes(), path, gazetteer),
            None => Parsed::NotACable(vec![Problem::error(
                path,
                None,
                "an HTML page without a cable table and text blocks: not a cablegate cable page",
            )]),
        }
    } else {
        archive_cable::parse::parse_with(bytes, path, gazetteer)
    }
}

// ---------------------------------------------------------------------------------------------
// cablegate HTML pages

/// A cablegate cable page has the metadata table `<table class='cable'>` and `<pre>` blocks.
fn looks_like_cablegate_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    // This runs on every file; a text cable rarely holds a `<` at all, and then needs no copy.
    if memchr::memchr(b'<', head).is_none() {
        return false;
    }
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    if !(head.contains("<html") || head.contains("<!doctype") || head.contains("<table")) {
        return false;
    }
    // The cable table anywhere in the page: the pages of the final site (August 2011) have
    // 184,000 characters of navigation before it (tests/real/pages21).
    let has = |needle: &[u8]| {
        bytes
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
    };
    has(b"class='cable'") || has(b"class=\"cable\"")
}

/// Turns a cablegate cable page into the header-table text layout: the table's identifier,
/// created, classification and origin; the `<h3>` title; the tags from the tag links; then the
/// page's preformatted blocks with links, tags and entities undone. `None` when the page has no
/// cable table or no text block.
pub fn html_to_text(html: &str) -> Option<String> {
    let table_start =
        find_ci(html, "class='cable'").or_else(|| find_ci(html, "class=\"cable\""))?;
    let table_end =
        find_ci(&html[table_start..], "</table>").map_or(html.len(), |e| table_start + e);
    // The values are the cells of the first row that has four or more (a snapshot adds a row
    // of one empty `<td colspan='4'>` under them, which is no fifth value).
    let table_html = &html[table_start..table_end];
    let cells: Vec<String> = element_bodies(table_html, "tr")
        .map(split_cells)
        .find(|cells| cells.len() >= 4)
        .unwrap_or_else(|| split_cells(table_html));
    // Reference ID | Created | Released | Classification | Origin (older pages lack Released).
    let (id, created, classification, origin) = match cells.len() {
        n if n >= 5 => (&cells[0], &cells[1], &cells[3], &cells[4]),
        4 => (&cells[0], &cells[1], &cells[2], &cells[3]),
        _ => return None,
    };
    let title = find_ci(html, "<h3>")
        .and_then(|s| {
            let rest = &html[s + 4..];
            let end = find_ci(rest, "</h3>")?;
            let h3 = strip_tags_and_entities(&rest[..end]);
            h3.split_once(", ")
                .map(|(_, title)| title.trim().to_string())
        })
        .unwrap_or_default();
    // The tags are the tag links of the header table; the page's navigation links every tag
    // of the archive and must not be read as this cable's.
    let table = html.find("<table").and_then(|start| {
        html[start..]
            .find("</table>")
            .map(|end| &html[start..start + end])
    });
    let tags = tag_links(table.unwrap_or(html));
    let blocks = pre_blocks(html);
    if blocks.is_empty() {
        return None;
    }
    let created = if created.len() == 16 {
        format!("{created}:00") // `2007-03-22 13:25` on the pages
    } else {
        created.clone()
    };
    let mut text = header_table(id, &created, classification, origin, &title, &tags);
    for block in blocks {
        text.push_str(block.trim_matches('\n'));
        text.push('\n');
    }
    Some(text)
}

/// The web-export header table that the parser reads, from known metadata.
fn header_table(
    id: &str,
    created: &str,
    classification: &str,
    origin: &str,
    title: &str,
    tags: &[String],
) -> String {
    let nbsp = '\u{a0}';
    let mut text = format!(
        "Identifier\nCreated\nClassification\nOrigin\n{id}\n{created}\n{classification}\n{origin}\nCable title:{nbsp} \n\n{title}\n\nTags:{nbsp} "
    );
    for tag in tags {
        text.push_str(tag);
        text.push(nbsp);
        text.push(' ');
    }
    text.push_str(&format!("\npdf{nbsp} how-to read a cable\n"));
    text
}

fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The text of each `<td>` of a table, tags and entities undone.
fn split_cells(table: &str) -> Vec<String> {
    element_bodies(table, "td")
        .map(|body| strip_tags_and_entities(body).trim().to_string())
        .collect()
}

/// The inner HTML of each `<name …>…</name>` element, in order (an unclosed last one runs to the
/// end). Enough for the fixed layout of cablegate pages; not a general HTML parser.
fn element_bodies<'a>(html: &'a str, name: &str) -> impl Iterator<Item = &'a str> {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    let mut rest = html;
    std::iter::from_fn(move || {
        let start = find_ci(rest, &open)?;
        let after = &rest[start..];
        let body = &after[after.find('>')? + 1..];
        let end = find_ci(body, &close).unwrap_or(body.len());
        rest = &body[end..];
        Some(&body[..end])
    })
}

/// Tags from links to tag pages (`/tag/PREL_0.html`), in order, without duplicates.
fn tag_links(html: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("/tag/") {
        let after = &rest[i + 5..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let rest_after_name = &after[name.len()..];
        if !name.is_empty()
            && (rest_after_name.starts_with('_') || rest_after_name.starts_with(".htm"))
            && !tags.contains(&name)
        {
            tags.push(name);
        }
        rest = after;
    }
    tags
}

/// The text of every `<pre>` block, in order, with tags, links and entities undone and the
/// pilcrows of paragraph anchors removed.
fn pre_blocks(html: &str) -> Vec<String> {
    element_bodies(html, "pre")
        .map(|body| strip_tags_and_entities(body).replace('¶', ""))
        .collect()
}

/// Removes markup and decodes character references: numeric ones (`&#x000A;`, `&#182;`) and
/// every HTML5 named one (`&amp;`, `&eacute;`, `&rsquo;`, `&NotEqualTilde;`). One that names
/// nothing (`&bogus;`) is kept as it is.
pub fn strip_tags_and_entities(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut chars = html.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '<' => {
                // Skip to the end of the tag; a `<` that starts no tag is kept.
                match html[i..].find('>') {
                    Some(end)
                        if html[i + 1..].starts_with(|c: char| {
                            c.is_ascii_alphabetic() || c == '/' || c == '!'
                        }) =>
                    {
                        while let Some(&(j, _)) = chars.peek() {
                            if j > i + end {
                                break;
                            }
                            chars.next();
                        }
                    }
                    _ => out.push('<'),
                }
            }
            '&' => {
                let rest = &html[i + 1..];
                match rest
                    .find(';')
                    .filter(|&e| e <= LONGEST_REFERENCE)
                    .and_then(|e| decode_reference(&rest[..e]).map(|d| (e, d)))
                {
                    Some((end, decoded)) => {
                        out.extend(decoded.into_iter().flatten());
                        for _ in 0..=end {
                            chars.next();
                        }
                    }
                    None => out.push('&'),
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// The longest reference name between `&` and `;`: `CounterClockwiseContourIntegral`, the
/// longest HTML5 entity, has 31 characters.
const LONGEST_REFERENCE: usize = 32;

/// The one or two characters a reference stands for (`name` is what stands between `&` and
/// `;`). Named references come from html5ever's table of the HTML5 entities, the one its
/// tokenizer uses, so every name a browser knows decodes here too; a few stand for two code
/// points (`&NotEqualTilde;`).
fn decode_reference(name: &str) -> Option<[Option<char>; 2]> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code)
            .filter(|&c| c != '\0')
            .map(|c| [Some(c), None]);
    }
    // The table's keys end with `;` (those without are the legacy forms, taken only with it
    // here); a value of 0 marks a prefix of a longer name, not an entity.
    let &(first, second) = html5ever::data::NAMED_ENTITIES.get(format!("{name};").as_str())?;
    let first = char::from_u32(first).filter(|&c| c != '\0')?;
    Some([Some(first), char::from_u32(second).filter(|&c| c != '\0')])
}

// ---------------------------------------------------------------------------------------------
// cables.csv

/// A `.csv` file is read as the dump; its rows are checked as they come.
fn is_csv_dump(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// The 1-based line of `path` at which byte `offset` stands (`None` when the file cannot be
/// read that far). Only for error messages: it reads the file up to there.
fn line_at(path: &Path, offset: u64) -> Option<u32> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).ok()?.take(offset);
    let mut buffer = vec![0; 1 << 16];
    let (mut newlines, mut read) = (0u64, 0u64);
    loop {
        match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => {
                newlines += memchr::memchr_iter(b'\n', &buffer[..n]).count() as u64;
                read += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
    (read == offset).then(|| u32::try_from(newlines + 1).unwrap_or(u32::MAX))
}

/// One row of the dump: row number, date (`12/28/1966 18:48`), identifier, origin,
/// classification, references, header, body.
struct CsvRow {
    line: u32,
    /// Where the record starts in the file ([`Cable::record`]).
    offset: u64,
    fields: Vec<String>,
}

fn read_csv_dump(path: &Path, gazetteer: &Gazetteer, bodies: Bodies, result: &mut FileResult) {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(err) => {
            result
                .problems
                .push(Problem::error(path, None, format!("cannot read: {err}")));
            return;
        }
    };
    let mut reader = csv_reader(std::io::BufReader::with_capacity(1 << 20, file));
    let mut batch: Vec<CsvRow> = Vec::with_capacity(CSV_BATCH);
    let mut record = csv::ByteRecord::new();
    let mut rows = 0usize;
    loop {
        let line = reader.position().line() as u32;
        let offset = reader.position().byte();
        match reader.read_byte_record(&mut record) {
            Ok(true) => {
                rows += 1;
                let fields = record.iter().map(decode_field).collect::<Vec<String>>();
                if rows == 1 && fields.first().is_some_and(|f| f.parse::<u64>().is_err()) {
                    continue; // a header row
                }
                batch.push(CsvRow {
                    line,
                    offset,
                    fields,
                });
                if batch.len() == CSV_BATCH {
                    parse_csv_batch(path, gazetteer, bodies, &mut batch, result);
                }
            }
            Ok(false) => break,
            Err(err) => {
                let line = err.position().map_or(line, |p| p.line() as u32);
                result.problems.push(Problem::error(
                    path,
                    Some(line),
                    format!("cables.csv: {err}; the rest of the file is skipped"),
                ));
                break;
            }
        }
    }
    parse_csv_batch(path, gazetteer, bodies, &mut batch, result);
    if rows == 0 {
        result.problems.push(Problem::error(
            path,
            None,
            "an empty .csv file: no cables in it",
        ));
    }
}

/// The dump's dialect: no header row, `"` quotes, backslash escapes (`\"`), rows of varying
/// length reported rather than fatal.
fn csv_reader<R: Read>(input: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .double_quote(true)
        .escape(Some(b'\\'))
        .from_reader(input)
}

/// Bytes of a field as text: UTF-8, or Windows-1252 for the rows that are not.
fn decode_field(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

fn parse_csv_batch(
    path: &Path,
    gazetteer: &Gazetteer,
    bodies: Bodies,
    batch: &mut Vec<CsvRow>,
    result: &mut FileResult,
) {
    let parsed: Vec<(Option<Cable>, Vec<Problem>)> = batch
        .par_drain(..)
        .map(|row| {
            let (mut cable, problems) = parse_csv_row(path, gazetteer, row);
            if let Some(cable) = &mut cable {
                bodies.apply(cable);
            }
            (cable, problems)
        })
        .collect();
    for (cable, problems) in parsed {
        result.cables.extend(cable);
        result.problems.extend(problems);
    }
}

fn parse_csv_row(path: &Path, gazetteer: &Gazetteer, row: CsvRow) -> (Option<Cable>, Vec<Problem>) {
    let rejected = |message: String| (None, vec![Problem::error(path, Some(row.line), message)]);
    if row.fields.len() < 8 {
        return rejected(format!(
            "cables.csv row has {} fields, expected 8 (row, date, id, origin, classification, references, header, body)",
            row.fields.len()
        ));
    }
    let f = &row.fields;
    let Some(created) = csv_date(&f[1]) else {
        return rejected(format!(
            "cables.csv: cannot read the date {:?} (expected MM/DD/YYYY HH:MM)",
            f[1]
        ));
    };
    let mut text = header_table(f[2].trim(), &created, f[4].trim(), f[3].trim(), "", &[]);
    text.push_str(f[6].trim_matches('\n'));
    text.push('\n');
    text.push_str(f[7].trim_start_matches('\n'));
    // Problems point at the row's line in the dump, not at a line of the rebuilt text.
    let at_row = |mut p: Problem| {
        p.line = Some(row.line);
        p
    };
    match archive_cable::parse::parse_with(text.as_bytes(), path, gazetteer) {
        Parsed::Cable {
            mut cable,
            warnings,
        } => {
            add_listed_references(&mut cable, &f[5], gazetteer);
            cable.record = Some(row.offset);
            (Some(*cable), warnings.into_iter().map(at_row).collect())
        }
        Parsed::NotACable(errors) => (None, errors.into_iter().map(at_row).collect()),
    }
}

/// The dump's references column lists cited identifiers; those the telegram's REF block did
/// not give are added, so no citation the dump knows of is lost (it also lists some that the
/// body cites). The column is the release's own reading and is often wrong where the text is
/// clear (`01DUBAI1197` for an item dated 8 Nov 00, `04SECSTATE108776`): a listed identifier
/// whose station (through the gazetteer) and serial match a reference already read from the
/// text is that reference, whatever year the column gives it.
fn add_listed_references(cable: &mut Cable, column: &str, gazetteer: &Gazetteer) {
    // (station token, serial) of a well-formed identifier: `04SECSTATE108776` → `STATE`, `108776`.
    let key = |id: &str| -> Option<(String, String)> {
        let station = archive_cable::model::id_station(id)?;
        let serial = id[2 + station.len()..].to_string();
        let token = gazetteer.token(station).unwrap_or(station).to_string();
        Some((token, serial))
    };
    let known: Vec<(String, String)> = cable
        .references
        .iter()
        .filter_map(|r| key(r.id.as_ref()?.as_str()))
        .collect();
    for listed in column
        .split([',', ';', ' ', '|', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let id = match key(listed) {
            Some((station, serial)) => {
                if known.iter().any(|k| k.0 == station && k.1 == serial) {
                    continue;
                }
                archive_cable::model::CableId(format!("{}{station}{serial}", &listed[..2]))
            }
            None => archive_cable::model::CableId(listed.to_string()),
        };
        if !cable.references.iter().any(|r| r.id.as_ref() == Some(&id)) {
            cable.references.push(archive_cable::model::Reference {
                label: None,
                text: id.0.clone(),
                id: Some(id),
            });
        }
    }
}

/// `12/28/1966 18:48` → `1966-12-28 18:48:00`, the header table's form.
fn csv_date(text: &str) -> Option<String> {
    let (date, time) = text
        .trim()
        .split_once(' ')
        .unwrap_or((text.trim(), "00:00"));
    let mut parts = date.split('/');
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    let year: u16 = parts.next()?.parse().ok()?;
    let (hour, minute) = time.split_once(':')?;
    let (hour, minute): (u8, u8) = (
        hour.parse().ok()?,
        minute.get(..2).unwrap_or(minute).parse().ok()?,
    );
    Some(format!(
        "{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:00"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_four_column_table_with_an_empty_row_under_it() {
        // An HTTrack copy of the site of 29 November 2010 (tests/real/texts3): four columns,
        // then a row of one empty `<td colspan='4'>`.
        let page = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../tests/real/texts3/cables/09BISHKEK135.html"),
        )
        .unwrap();
        let text = html_to_text(&page).unwrap();
        assert!(
            text.starts_with(
                "Identifier\nCreated\nClassification\nOrigin\n09BISHKEK135\n2009-02-13 11:11:00\nCONFIDENTIAL\nEmbassy Bishkek\n"
            ),
            "{}",
            &text[..200]
        );
        let result = read_file(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../tests/real/texts3/cables/09BISHKEK135.html"),
        );
        assert!(result.problems.is_empty(), "{:?}", result.problems);
    }

    #[test]
    fn entities_and_tags_are_undone() {
        assert_eq!(
            strip_tags_and_entities(
                "a&amp;b&#x000A;<a href='#par1'>&#182;1.</a> x &lt; y &bogus; <3"
            ),
            "a&b\n¶1. x < y &bogus; <3"
        );
    }

    #[test]
    fn every_html5_named_reference_is_decoded() {
        assert_eq!(
            strip_tags_and_entities(
                "caf&eacute;&nbsp;&rsquo;s &#x2019;&#8212;&mdash; &Auml;&szlig; &hellip;&para;&apos;&quot; &NotEqualTilde; &CounterClockwiseContourIntegral;"
            ),
            "café\u{a0}\u{2019}s \u{2019}\u{2014}\u{2014} Äß …¶'\" \u{2242}\u{338} \u{2233}"
        );
        // Not references: left as written.
        assert_eq!(
            strip_tags_and_entities("AT&T; R&D &#0; &#xZZ; &eacute"),
            "AT&T; R&D &#0; &#xZZ; &eacute"
        );
    }

    #[test]
    fn csv_dates() {
        assert_eq!(csv_date("12/28/1966 18:48").unwrap(), "1966-12-28 18:48:00");
        assert_eq!(csv_date("1/2/2007 03:04").unwrap(), "2007-01-02 03:04:00");
        assert!(csv_date("yesterday").is_none());
    }
}

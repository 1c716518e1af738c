//! The data model: what a cable *is*, independent of where it came from and of how it is shown.
//!
//! Everything downstream of the parser (linking, export, rendering, search) reads these types and
//! nothing else, so a change of input format never reaches the templates and a change of page design
//! never reaches the parser. The types are plain data: owned strings, no lifetimes, `Serialize` so
//! that templates and `archive export` can use them directly.

use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

/// A cable identifier such as `07PARIS1115`: two-digit year, station, serial without leading zeros.
///
/// Kept as a string because a few dozen identifiers in the real set are malformed
/// (`08ECTION01OF02MANAMA492`) and must still be built. Never use it as a file name directly:
/// `archive_corpus` derives a safe page path from it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct CableId(pub String);

impl CableId {
    /// Builds an identifier from its parts, dropping the serial's leading zeros
    /// (`("07", "USNATO", "000263")` → `07USNATO263`).
    pub fn from_parts(year2: &str, station: &str, serial: &str) -> CableId {
        let serial = serial.trim_start_matches('0');
        let serial = if serial.is_empty() { "0" } else { serial };
        CableId(format!("{year2}{station}{serial}"))
    }

    /// The identifier as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The station of a well-formed identifier: `05LIMA583` → `LIMA` (see [`id_station`]).
    pub fn station(&self) -> Option<&str> {
        id_station(&self.0)
    }
}

/// The station of a well-formed identifier written as text: `05LIMA583` → `LIMA`; `None` for
/// a malformed one (`Ab12`, `x`). The parser names a cable's origin from it, `archive check`
/// counts the stations it does not know, the `cables.csv` reader matches its reference column.
pub fn id_station(id: &str) -> Option<&str> {
    let b = id.as_bytes();
    if b.len() < 4 || !b[0].is_ascii_digit() || !b[1].is_ascii_digit() {
        return None;
    }
    let rest = &id[2..];
    let station = rest.trim_end_matches(|c: char| c.is_ascii_digit());
    let well_formed = !station.is_empty()
        && station.len() < rest.len()
        && station.bytes().all(|c| c.is_ascii_uppercase());
    well_formed.then_some(station)
}

impl fmt::Display for CableId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A moment in UTC, to the second. Cables carry no time zone: the date-time group is Zulu time and
/// the web export's `Created` is UTC too.
///
/// A hand-rolled type rather than a date crate: we only ever parse, order and format it, and
/// ordering by the derived `Ord` (year, month, day, …) is exactly chronological.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct DateTime {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

/// English month names, January first: for listings and for the generator's prose.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl DateTime {
    /// A moment to the minute, second 0: what a date-time group (`221325Z MAR 07`) and the web
    /// export's `Created` give, and what the generator and tests make.
    pub const fn at_minute(year: u16, month: u8, day: u8, hour: u8, minute: u8) -> DateTime {
        DateTime {
            year,
            month,
            day,
            hour,
            minute,
            second: 0,
        }
    }

    /// ISO 8601 in UTC, as `archive export` prints it: `2007-03-22T13:25:00Z`.
    pub fn iso(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// The form readers see on pages: `2007-03-22 13:25`.
    pub fn display(&self) -> String {
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute
        )
    }

    /// The form readers see, to the precision the text gives: `2007-03-22 13:25`,
    /// `2007-03-22`, or `2007` for a cable known only to its year.
    pub fn display_as(&self, precision: Precision) -> String {
        match precision {
            Precision::Minute => self.display(),
            Precision::Day => self.display()[..10].to_string(),
            Precision::Year => format!("{:04}", self.year),
        }
    }

    /// ISO 8601 to the precision the text gives: `2007-03-22T13:25:00Z`, `2007-03-22`, `2007`.
    pub fn iso_as(&self, precision: Precision) -> String {
        match precision {
            Precision::Minute => self.iso(),
            Precision::Day => self.iso()[..10].to_string(),
            Precision::Year => format!("{:04}", self.year),
        }
    }

    /// The day of the year, 1 for the first of January: what a telegram's `DE` line stamps
    /// (`DE RUEHRY #0184/01 1331241`: day 133), so the generator writes it and the parser
    /// checks a page's date with it.
    pub fn day_of_year(&self) -> u16 {
        (1..self.month)
            .map(|m| u16::from(DateTime::days_in_month(self.year, m)))
            .sum::<u16>()
            + u16::from(self.day)
    }

    /// Days in a month of the Gregorian calendar; 0 for a month number outside 1–12.
    pub fn days_in_month(year: u16, month: u8) -> u8 {
        match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
            2 => 28,
            _ => 0,
        }
    }

    /// True when every field is within its calendar range (days are checked against the month).
    pub fn is_valid(&self) -> bool {
        (1..=DateTime::days_in_month(self.year, self.month)).contains(&self.day)
            && self.hour < 24
            && self.minute < 60
            && self.second < 60
    }
}

impl Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

/// The level of a classification, in increasing order of secrecy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Unclassified,
    Confidential,
    Secret,
    TopSecret,
}

impl Level {
    /// The label as written in the archive: `UNCLASSIFIED`, `TOP SECRET`, …
    pub fn label(self) -> &'static str {
        match self {
            Level::Unclassified => "UNCLASSIFIED",
            Level::Confidential => "CONFIDENTIAL",
            Level::Secret => "SECRET",
            Level::TopSecret => "TOP SECRET",
        }
    }

    /// A lowercase word for CSS classes and URLs: `unclassified`, `top-secret`.
    pub fn slug(self) -> &'static str {
        match self {
            Level::Unclassified => "unclassified",
            Level::Confidential => "confidential",
            Level::Secret => "secret",
            Level::TopSecret => "top-secret",
        }
    }
}

/// A dissemination caveat that qualifies a level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Caveat {
    /// `NOFORN`: not releasable to foreign nationals.
    Noforn,
    /// `FOR OFFICIAL USE ONLY` (also written `SENSITIVE BUT UNCLASSIFIED` on unclassified cables).
    ForOfficialUseOnly,
}

impl Caveat {
    /// The caveat as written after `//` in a label.
    pub fn label(self) -> &'static str {
        match self {
            Caveat::Noforn => "NOFORN",
            Caveat::ForOfficialUseOnly => "FOR OFFICIAL USE ONLY",
        }
    }
}

/// A cable's classification: one of the six labels of the cablegate set
/// (`UNCLASSIFIED`, `UNCLASSIFIED//FOR OFFICIAL USE ONLY`, `CONFIDENTIAL`, `CONFIDENTIAL//NOFORN`,
/// `SECRET`, `SECRET//NOFORN`), plus `TOP SECRET` forms so the model never breaks on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Classification {
    pub level: Level,
    pub caveat: Option<Caveat>,
}

impl Classification {
    /// Every label the archive knows, in increasing order of secrecy; index pages list them in
    /// this order.
    pub const ALL: [Classification; 8] = [
        Classification::new(Level::Unclassified, None),
        Classification::new(Level::Unclassified, Some(Caveat::ForOfficialUseOnly)),
        Classification::new(Level::Confidential, None),
        Classification::new(Level::Confidential, Some(Caveat::Noforn)),
        Classification::new(Level::Secret, None),
        Classification::new(Level::Secret, Some(Caveat::Noforn)),
        Classification::new(Level::TopSecret, None),
        Classification::new(Level::TopSecret, Some(Caveat::Noforn)),
    ];

    pub const fn new(level: Level, caveat: Option<Caveat>) -> Classification {
        Classification { level, caveat }
    }

    /// The normalised label: `CONFIDENTIAL//NOFORN`.
    pub fn label(&self) -> String {
        match self.caveat {
            Some(c) => format!("{}//{}", self.level.label(), c.label()),
            None => self.level.label().to_string(),
        }
    }

    /// The standard abbreviation, as in paragraph markings: `U`, `U//FOUO`, `C//NF`, `TS`.
    pub fn abbreviation(&self) -> String {
        let level = match self.level {
            Level::Unclassified => "U",
            Level::Confidential => "C",
            Level::Secret => "S",
            Level::TopSecret => "TS",
        };
        match self.caveat {
            Some(Caveat::Noforn) => format!("{level}//NF"),
            Some(Caveat::ForOfficialUseOnly) => format!("{level}//FOUO"),
            None => level.to_string(),
        }
    }

    /// A file-name-safe slug for listing pages: `confidential-noforn`.
    pub fn slug(&self) -> String {
        match self.caveat {
            Some(Caveat::Noforn) => format!("{}-noforn", self.level.slug()),
            Some(Caveat::ForOfficialUseOnly) => format!("{}-fouo", self.level.slug()),
            None => self.level.slug().to_string(),
        }
    }

    /// Reads a label in the archive's own spelling (`SECRET//NOFORN`), tolerant of case, spaces
    /// and a single slash. Returns `None` for anything else.
    pub fn from_label(text: &str) -> Option<Classification> {
        let norm: String = text
            .trim()
            .to_ascii_uppercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let (level_text, caveat_text) = match norm.split_once('/') {
            Some((l, c)) => (l.trim(), Some(c.trim_start_matches('/').trim())),
            None => (norm.as_str(), None),
        };
        let level = match level_text {
            "UNCLASSIFIED" | "UNCLAS" => Level::Unclassified,
            "CONFIDENTIAL" => Level::Confidential,
            "SECRET" => Level::Secret,
            "TOP SECRET" => Level::TopSecret,
            _ => return None,
        };
        let caveat = match caveat_text {
            None | Some("") => None,
            Some("NOFORN") | Some("NF") => Some(Caveat::Noforn),
            Some("FOR OFFICIAL USE ONLY") | Some("FOUO") | Some("SENSITIVE BUT UNCLASSIFIED") => {
                Some(Caveat::ForOfficialUseOnly)
            }
            Some(_) => return None,
        };
        Some(Classification { level, caveat })
    }
}

impl fmt::Display for Classification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

impl Serialize for Classification {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.label())
    }
}

/// Which of the two known file layouts a cable came in. Detected from the content, never the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Web export: a header table (`Identifier`, `Created`, `Classification`, `Origin`), a
    /// `Cable title:` and `Tags:`, then the telegram.
    HeaderTable,
    /// The telegram alone, often with HTML-to-Markdown leftovers (`[NATO](#)`, `¶1.`).
    RawTelegram,
    /// A community text dump: five unlabelled lines (identifier, subject, a date such as `Wed
    /// Nov 13 00:00:00 +0100 2002`, classification, origin), then the telegram or its extract.
    TextDump,
}

/// One item of a cable's `REF:` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// The item's letter (`A`, `B`, …) when the block is lettered; body text cites it as `REF A`.
    pub label: Option<String>,
    /// The item as written, without its letter: `USNATO 263`, `06 MOSCOW 1234`, `SECDEF R162245Z OCT 08`.
    pub text: String,
    /// The cited cable's identifier when the item names a cable (`07USNATO263`); `None` for e-mails,
    /// memos, date-time groups and anything else that is not a cable.
    pub id: Option<CableId>,
}

/// Whether a recipient line came from `TO` or `INFO`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientKind {
    To,
    Info,
}

/// One addressee of the telegram: `RUEHC/SECSTATE WASHDC IMMEDIATE 5836` is kept whole in `text`,
/// with the readable part (`SECSTATE WASHDC`) in `name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recipient {
    pub kind: RecipientKind,
    /// The addressee without routing indicator, precedence or serial: `SECSTATE WASHDC`.
    pub name: String,
    /// The line as written; empty when `name` is known and the cable's body was set aside
    /// ([`Cable::set_body_aside`]).
    pub text: String,
}

/// What a block of the telegram is, so that pages can show each kind as it should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// Transmission lines before the classification line: `VZCZC…`, `OO RUEHWEB`, `DE …`, `ZNY …`,
    /// the date-time group, `FM`, `TO`, `INFO` and their continuation lines. Shown, but quietly.
    RoutingHeader,
    /// The letter-spaced classification line: `C O N F I D E N T I A L PARIS 001115`.
    ClassificationLine,
    /// Handling and address lines: `SIPDIS`, `NOFORN`, `DEPARTMENT FOR EUR/PRA`.
    Marker,
    /// A labelled header field: `E.O. 12958: …`, `TAGS: …`, `SUBJECT: …`, `REF: …`, `Classified By: …`.
    /// `label` holds the label as written (`SUBJECT`).
    Field,
    /// A heading, set between lines of dashes in the original (the dashes are not kept in `text`).
    Heading,
    /// A numbered paragraph: `number` and `marking` are set, `text` starts after the marking.
    Paragraph,
    /// A page-break line inside the text: `USNATO 00000577 002 OF 003`.
    PageBreak,
    /// The closing signature line: `NULAND`.
    Signature,
    /// Any other run of text (unnumbered paragraphs, comments, addresses).
    Text,
}

/// A place in a block's text that mentions one or more references (`REF A`, `reftel`,
/// `(see REF C)`), so pages can link it without parsing anything themselves.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Mention {
    /// Byte range of the mention inside [`Block::text`]; always on `char` boundaries.
    pub start: usize,
    pub end: usize,
    /// Indices into [`Cable::references`] that the mention cites (at most 256: a bare `reftels`
    /// in a cable with more references lists the first 256).
    pub references: Vec<usize>,
}

/// A run of the telegram, in document order. The blocks of a cable, joined in order with blank
/// lines, give back its telegram text: nothing is dropped, so a page can show the text faithfully.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Block {
    pub kind: BlockKind,
    /// 1-based line number in the source file where the block starts (for error messages and
    /// for linking back to the raw text).
    pub line: u32,
    /// For [`BlockKind::Field`]: the label (`SUBJECT`). For headings and others: `None`.
    pub label: Option<Box<str>>,
    /// For [`BlockKind::Paragraph`]: the paragraph number (`5` in `5. (C)` or `¶5.`).
    pub number: Option<u32>,
    /// For [`BlockKind::Paragraph`]: the marking without parentheses (`C`, `S/NF`, `U//FOUO`).
    pub marking: Option<Box<str>>,
    /// The text, with the source's line breaks kept and Markdown leftovers (`[1](#)`, `¶`) removed.
    pub text: Box<str>,
    /// Reference mentions inside `text`, in order, non-overlapping.
    pub mentions: Box<[Mention]>,
}

impl Block {
    /// A block of the given kind with only text; the other fields empty.
    pub fn new(kind: BlockKind, line: u32, text: impl Into<Box<str>>) -> Block {
        Block {
            kind,
            line,
            label: None,
            number: None,
            marking: None,
            text: text.into(),
            mentions: Box::default(),
        }
    }
}

/// How much of [`Cable::created`] the text gives. A partial extract may keep only a bare
/// date-time group (minute), a community dump only a calendar day, and some cables no date at
/// all: then only the identifier's year is known, and the rest of `created` is zero. Pages,
/// listings and the export say which, so that a reader never takes a guess for a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// Known only to the year (from the identifier): month and day are 0.
    Year,
    /// Known to the calendar day; the time of day is 0.
    Day,
    /// Known to the minute (a date-time group or the header table's `Created`).
    #[default]
    Minute,
}

impl Precision {
    /// The word `archive export` writes: `minute`, `day`, `year`.
    pub fn word(self) -> &'static str {
        match self {
            Precision::Year => "year",
            Precision::Day => "day",
            Precision::Minute => "minute",
        }
    }
}

/// A parsed cable: every fact the site shows and the text it keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cable {
    pub id: CableId,
    pub created: DateTime,
    /// How much of `created` the text gives.
    pub precision: Precision,
    pub classification: Classification,
    /// Display name of the sending post: "Embassy Paris", "Mission USNATO", "Secretary of State".
    pub origin: String,
    /// The full `SUBJECT:` line joined across lines; the header table's title when there is none;
    /// empty when neither exists.
    pub subject: String,
    /// Subject tags in order of appearance, without duplicates or Markdown link syntax.
    pub tags: Vec<String>,
    pub references: Vec<Reference>,
    /// The index in [`Cable::body`] of the `REF:` field block whose mentions place every item
    /// of [`Cable::references`] (`None` when the cable has no such field): the page's `#refs`
    /// target, told by the parser so that no page searches the text for it.
    pub references_block: Option<usize>,
    /// The `FM` line's addressee: `AMEMBASSY PARIS`. `None` once [`Cable::set_body_aside`]
    /// has run: read the cable again (`Corpus::full`) for it.
    pub sender: Option<String>,
    /// The `TO` and `INFO` addressees, in the telegram's order. Once [`Cable::set_body_aside`]
    /// has run, a named addressee's `text` is empty (a build may also drop the list, when no
    /// page lists addressees): read the cable again (`Corpus::full`) for the lines as written.
    pub recipients: Vec<Recipient>,
    /// The `Classified By:` line's text, joined across lines.
    pub classified_by: Option<String>,
    /// The `E.O.` line's text: `12958: DECL: 03/16/2017`. `None` once
    /// [`Cable::set_body_aside`] has run: read the cable again for it.
    pub declassification: Option<String>,
    /// The closing signature: `STAPLETON`.
    pub signer: Option<String>,
    pub layout: Layout,
    /// The telegram, block by block. Empty once [`Cable::set_body_aside`] has let it go (a
    /// build keeps the facts of every cable but reads each telegram again when it needs it).
    pub body: Vec<Block>,
    /// The file the cable was read from, as given to the parser.
    pub source: PathBuf,
    /// For a file of many cables (the `cables.csv` dump), the byte offset of this cable's
    /// record in it, so the one record can be read again; `None` when the file is the cable.
    pub record: Option<u64>,
    /// Set by [`Cable::set_body_aside`]: the [`Cable::body_digest`] of the body that was let
    /// go, so the text read again later is known to be the very one that was linked.
    pub body_set_aside: Option<u64>,
}

impl Cable {
    /// The model's promise about `created`: a real date (minute or day precision), or the
    /// identifier's year alone (precision `Year`, month and day 0), or nothing known at all
    /// (every field 0). Property tests and the fuzzer hold the parser to it.
    pub fn created_is_sound(&self) -> bool {
        let year_only =
            self.precision == Precision::Year && self.created.month == 0 && self.created.day == 0;
        self.created.is_valid() || year_only || self.created == DateTime::default()
    }

    /// A digest of the telegram (every block, with its place, markings and mentions): equal
    /// digests mean the same text, for telling whether a file read again still holds it.
    pub fn body_digest(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        self.body.hash(&mut h);
        h.finish()
    }

    /// Lets the telegram go, keeping its digest. The body is most of a cable's memory (about
    /// nine tenths); a build holds every cable's facts at once but needs each telegram only
    /// while its page is written and its words are indexed, so it reads it again then
    /// ([`Cable::body_set_aside`]; the cable read again has every field back).
    ///
    /// What only the cable's own page shows goes too: the `FM` line (`sender`), the `E.O.`
    /// line (`declassification`) and the routing line of each addressee whose name is known
    /// (`Recipient::text`; the name stays, for the listings by addressee and the export). What
    /// is kept is shrunk to its length: at a million cables every spare byte a cable is a
    /// megabyte.
    pub fn set_body_aside(&mut self) {
        if self.body_set_aside.is_some() {
            return;
        }
        self.body_set_aside = Some(self.body_digest());
        self.body = Vec::new();
        self.sender = None;
        self.declassification = None;
        for r in &mut self.recipients {
            if !r.name.is_empty() {
                r.text = String::new();
            }
            r.name.shrink_to_fit();
            r.text.shrink_to_fit();
        }
        self.recipients.shrink_to_fit();
        self.id.0.shrink_to_fit();
        self.origin.shrink_to_fit();
        self.subject.shrink_to_fit();
        for t in &mut self.tags {
            t.shrink_to_fit();
        }
        self.tags.shrink_to_fit();
        for r in &mut self.references {
            r.text.shrink_to_fit();
            if let Some(label) = &mut r.label {
                label.shrink_to_fit();
            }
            if let Some(id) = &mut r.id {
                id.0.shrink_to_fit();
            }
        }
        self.references.shrink_to_fit();
        for text in [&mut self.classified_by, &mut self.signer]
            .into_iter()
            .flatten()
        {
            text.shrink_to_fit();
        }
        self.source.shrink_to_fit();
    }
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Something was guessed or left out, but the cable was read (an identifier taken from the
    /// file name, a reference that could not be understood, a duplicate identifier).
    Warning,
    /// The file could not be read as a cable at all; it is left out of the site.
    Error,
}

/// Something wrong with an input file, reported to the user as `path:line: message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub path: PathBuf,
    /// 1-based line number, when the problem is at a place in the file.
    pub line: Option<u32>,
    pub severity: Severity,
    pub message: String,
}

impl Problem {
    pub fn error(path: impl Into<PathBuf>, line: Option<u32>, message: impl Into<String>) -> Self {
        Problem {
            path: path.into(),
            line,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    pub fn warning(
        path: impl Into<PathBuf>,
        line: Option<u32>,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            path: path.into(),
            line,
            severity: Severity::Warning,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        // File names and messages quote input text: control characters (a newline that would
        // fake a second problem line, a terminal escape) are written as escapes.
        let path = self.path.display().to_string();
        let path = printable(&path);
        let message = printable(&self.message);
        match self.line {
            Some(line) => write!(f, "{path}:{line}: {kind}: {message}"),
            None => write!(f, "{path}: {kind}: {message}"),
        }
    }
}

/// `text` with control characters written as Rust escapes (`\n`, `\u{1b}`).
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_debug().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// What the parser gives for one file: a cable with the warnings met on the way, or the errors
/// that kept it from being one.
#[derive(Debug, Clone)]
pub enum Parsed {
    Cable {
        cable: Box<Cable>,
        warnings: Vec<Problem>,
    },
    NotACable(Vec<Problem>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        for c in Classification::ALL {
            assert_eq!(Classification::from_label(&c.label()), Some(c));
        }
        assert_eq!(
            Classification::from_label("SECRET/NOFORN").unwrap().label(),
            "SECRET//NOFORN"
        );
        assert_eq!(Classification::from_label("PUBLIC"), None);
        assert_eq!(Classification::from_label("SECRET//ORCON"), None);
    }

    #[test]
    fn problems_print_on_one_line() {
        let p = Problem::warning("a\nb.txt", Some(3), "bad `x\u{1b}[2J\nerror: fake`");
        assert_eq!(
            p.to_string(),
            "a\\nb.txt:3: warning: bad `x\\u{1b}[2J\\nerror: fake`"
        );
    }

    #[test]
    fn ids_drop_leading_zeros() {
        assert_eq!(
            CableId::from_parts("07", "USNATO", "000263").as_str(),
            "07USNATO263"
        );
        assert_eq!(
            CableId::from_parts("07", "USNATO", "0000").as_str(),
            "07USNATO0"
        );
    }

    #[test]
    fn dates_validate() {
        let d = DateTime::at_minute(2008, 2, 29, 23, 59);
        assert!(d.is_valid());
        assert_eq!(d.iso(), "2008-02-29T23:59:00Z");
        assert!(!DateTime { year: 2007, ..d }.is_valid());
        assert!(!DateTime { month: 13, ..d }.is_valid());
    }
}

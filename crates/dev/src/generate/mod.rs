//! A realistic test corpus: synthetic cables in the two layouts of the cablegate set, with the
//! collection's proportions (classifications, stations, years, sizes, references), written from a
//! seed so that the same seed always gives byte-identical files.
//!
//! [`generate`] writes a corpus and returns a [`Manifest`]: for every cable the facts a correct
//! parser must recover from its text (identifier, creation time, classification, origin,
//! subject, tags, cited identifiers, signer). Tests compare the parser and the linked corpus against it;
//! the benchmark uses it to size its work. [`render_cable`] renders one hand-made [`CableSpec`],
//! for tests that need specific cables (for instance two that cite each other).
//!
//! What the text contains, and why (see `CABLES.md` for the formats):
//! * Layout 1 (web export): the header table, `Cable title:` (the first line of the subject, so
//!   sometimes cut short), `Tags:` with NO-BREAK SPACEs, `pdf how-to read a cable`, then the
//!   telegram, its header block usually printed twice.
//! * Layout 2 (raw telegram): Markdown leftovers (`TAGS: [NATO](#)`, `¶1.`, `[1](#)`, lines
//!   ending in two spaces, `\$`), paragraphs as single long lines.
//! * `REF:` blocks in every documented form; about 70 % of cited cables exist in the corpus
//!   (always earlier in time), the rest are plausible identifiers that do not.
//! * A few malformed identifiers (`08ECTION01OF02MANAMA492`) in header tables; about 1 % of
//!   cables without `SUBJECT:` or `TAGS:`; rarely tags glued together (`PRELPGOV`).
//! * The forms of real cables beyond the seeds' (`CABLES.md`, "What real cables add"; rates in
//!   `rates`, each a few per cent): partial extracts (no routing header or `FM` line; a bare
//!   date-time group in any case, or no date at all: then only the identifier's year is known
//!   and the file is named by the identifier), layout 3 text dumps (five lines, then the
//!   telegram, its extract or nothing), mixed-case and doubled-letter classification lines,
//!   `SENSITIVE` before the first paragraph, subjects across a page break, `TAGS` without a
//!   colon, with commas, wrapped or in lower case, person tags (`OVIP (SMITH, JOHN)`), and
//!   `REF` blocks in the wild forms ([`Forms::wild_refs`]). Origins and REF spellings of posts
//!   come from the parser's gazetteer (`data/stations.toml`) where it knows the post. The
//!   manifest says what a correct parser finds in each, including how precise the date is.
//! * Forms the hand-read cables of tests/real showed later (a few per cent or less each, drawn
//!   after all the older ones so that those keep their draws): signatures run onto the last
//!   line (`... indeed. MORIARTY`), after `END TEXT` on the same line, with a chargé's title
//!   (`CDA GRIFFITHS`: the signer is `GRIFFITHS`), capitalised (`McMullen`), with a suffix
//!   (`TIMKEN JR`) or a particle (`van Voorst`), or missing ([`SignForm`]; the manifest's
//!   `signer` is then `None`); REF blocks with one lone `A)` before items apart by semicolons,
//!   two cables in one item (`STATE 297614 AND PREVIOUS 03 RANGOON 1427`) and doubled labels
//!   `A. A.` ([`RefVariant`]); tags and subject run into a sentence-case `E.o.` line
//!   ([`TagsForm::EoRunOn`]). The seeds' signer is decided with the spec now (it is in the
//!   manifest), so the one cable in ten signed by another name than the post's chief took a
//!   new name when this came in.
//!
//! Everything is drawn from a hand-written SplitMix64 generator with one stream per cable, so
//! output is the same whatever the number of threads.

#![warn(missing_docs)]

mod data;
mod plan;
mod render;
pub mod rng;
mod words;

use archive_cable::gazetteer::Gazetteer;
use archive_cable::model::{Classification, DateTime, Layout, Precision};
use data::{data, title_case, Country, Kind, Station};
use plan::{PlannedRef, LABELS, STREAM_FORMS, STREAM_META};
use rayon::prelude::*;
use rng::Rng;
use serde::Serialize;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct GenConfig {
    /// Number of cables.
    pub count: usize,
    /// Master seed: the same seed (and other settings) gives byte-identical files.
    pub seed: u64,
    /// Share of cited cables that exist in the corpus (the real set: about 0.7).
    pub resolvable: f64,
    /// Share of cables that have a `REF:` block (about 0.4).
    pub with_refs: f64,
    /// Share of cables in layout 1, the web export with a header table (about 0.5).
    pub header_table: f64,
    /// Files per output folder (`0000/`, `0001/`, …).
    pub files_per_dir: usize,
}

impl Default for GenConfig {
    fn default() -> Self {
        GenConfig {
            count: 1000,
            seed: 1,
            resolvable: 0.70,
            with_refs: 0.40,
            header_table: 0.5,
            files_per_dir: 1000,
        }
    }
}

impl GenConfig {
    /// The default settings for `count` cables from `seed`.
    pub fn new(count: usize, seed: u64) -> GenConfig {
        GenConfig {
            count,
            seed,
            ..GenConfig::default()
        }
    }
}

/// One item of a cable's `REF:` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefItem {
    /// A cited cable by identifier (`07PARIS1111`); the renderer writes it in one of the
    /// telegram forms (`PARIS 1111`, `07 PARIS 1111`, `2007 PARIS 1111`, `(07) PARIS 1111`,
    /// `PARIS 001111`, `SECSTATE`, `THE HAGUE`, …). The year-less form is used only when the
    /// cited cable is from the citing cable's year.
    Cable(String),
    /// Anything else, written as given: `EMAIL FROM J. SMITH 3/4/07`, `SECDEF R162245Z OCT 08`.
    Other(String),
}

/// How much of the telegram a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Extract {
    /// The whole telegram: routing header, `FM` line, date-time group.
    #[default]
    Full,
    /// "This record is a partial extract of the original cable…": no routing header and no
    /// `FM` line, but the date-time group stands alone on a line (`151030Z Feb 05`).
    BareDtg,
    /// A partial extract with no date in its text at all. In a raw telegram only the
    /// identifier's year is then known (the file is named by the identifier, as people keep
    /// them); in a text dump the dump's date gives the day.
    NoDate,
    /// A text dump whose five lines are all there is (no telegram below them).
    Empty,
}

/// The classification line's spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClassLine {
    /// `C O N F I D E N T I A L SECTION 01 OF 02 ROME 000123`.
    #[default]
    Standard,
    /// `C o n f i d e n t i a l section 01 of 02 rome 000123` (after a case conversion).
    MixedCase,
    /// `SS E C R E T ROME 000123`, `CC O N F I D E N T I A L …` (the first letter doubled).
    Doubled,
}

/// The `TAGS` line's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TagsForm {
    /// `TAGS: PREL PGOV` (or with Markdown links in layout 2).
    #[default]
    Standard,
    /// `TAGS PREL PGOV`, or in layout 2 `TAGS [PREL,](#) [PGOV,](#)`.
    NoColon,
    /// `TAGS: PREL, PGOV, IZ`.
    Commas,
    /// The list wrapped onto the next line: `TAGS: PREL PGOV PHUM` / `IZ TU`.
    Wrapped,
    /// Lower-case codes after a conversion: `Tags: prel, pgov, iz` (the manifest upper-cases).
    Lower,
    /// Tags and subject run into a sentence-case `E.o.` line, as a copy that lost the line
    /// breaks and the case writes it (04ANKARA348: `E.o. 12958: decl: 01/07/2014 Tags: prel,
    /// pgov, tu Subject: turkish p.m. …`). The subject is then in small letters, and so in the
    /// manifest. Only for classified cables with tags and a subject.
    EoRunOn,
}

/// How the closing signature is written. Real cables sign in more ways than the seeds' name
/// in capitals on a line of its own (tests/real, pages7 to pages14); each form here is one the
/// parser reads, and [`CableSpec::signer`] is what it must find.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignForm {
    /// The name in capitals on the last line: `STAPLETON`.
    #[default]
    Standard,
    /// Run onto the last paragraph's last line after its full stop, as copies that lost the
    /// line break write it (`...are high indeed. MORIARTY`). Only where that line is a finished
    /// sentence of three words or more; otherwise the name stands on its own line.
    RunOn,
    /// After the formula that closes a quoted text, on the same line (`END TEXT HEFFERN`):
    /// the last paragraph quotes a short text.
    EndText,
    /// A chargé's title before the name (`CDA GRIFFITHS`, `CDA Griffiths`); the signer is the
    /// name without it.
    Titled,
    /// Capitalised, as many cables of the 2000s sign (`Baxter`, `McMullen`).
    Capitalised,
    /// With a suffix (`TIMKEN JR`); the signer keeps it, as the text writes it.
    Suffix,
    /// A surname with a particle, in capitals or with the particle in lower case
    /// (`VAN VOORST`, `van Voorst`).
    Particle,
    /// No signature at all: the text ends with a short closing paragraph (the signer is none).
    Unsigned,
}

/// A `REF` block in one of the forms of real cables that the seeds' and the wild forms do not
/// write (see tests/real, pages9 to pages14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RefVariant {
    /// The seeds' or the wild forms ([`Forms::wild_refs`]).
    #[default]
    Standard,
    /// One label before items apart by semicolons (10HANOI7: `REF: A) HANOI 5; HANOI 3; 09
    /// HANOI 1398`): the letter belongs to the first item only. For blocks of cables only.
    LoneLabel,
    /// Two cables in one item, the second with its year after joining words (04RANGOON88:
    /// `STATE 297614 AND PREVIOUS 03 RANGOON 1427`). For blocks of two cables or more.
    AndPrevious,
    /// Every label written twice with full stops (`A. A. STATE 1234` / `B. B. PARIS 55`), one
    /// item a line, as some mirrors' copies do.
    DoubledDots,
}

/// Real-world forms a cable is written in beyond the seeds' (see `CABLES.md`, "What real
/// cables add"). The default is the seeds' forms only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Forms {
    /// The classification line's spelling.
    pub class_line: ClassLine,
    /// For `UNCLASSIFIED//FOR OFFICIAL USE ONLY`: the `SENSITIVE` / `SENSITIVE BUT
    /// UNCLASSIFIED` / `FOR OFFICIAL USE ONLY` line stands after the header fields, just
    /// before the first numbered paragraph, instead of below the classification line.
    pub late_caveat: bool,
    /// The subject wraps across a page-break line (`ROME 00000123 001.2 OF 003`); only for
    /// cables of more than one page whose subject takes more than one line.
    pub subject_break: bool,
    /// The `TAGS` line's form.
    pub tags: TagsForm,
    /// The `REF` block in the wild forms: other labels (`REFS:`, `Ref:`, `Reftel:`,
    /// `Ref(s):`), item markers (`(A)`, `[A]`, `A.)`, `A:`, `(1)`, `A. A)`), items run on one
    /// line, several serials of one station (`STATE 1234 AND 5678`), years after or glued to
    /// the serial, the gazetteer's spellings of stations, wrapped items, `(NOTAL)`.
    pub wild_refs: bool,
    /// The `REF` block in a form of real cables beyond the wild ones (used only when
    /// [`Forms::wild_refs`] is off).
    pub refs: RefVariant,
    /// How the closing signature is written.
    pub signature: SignForm,
}

impl Forms {
    /// True when only the seeds' forms are used.
    pub fn is_standard(&self) -> bool {
        *self == Forms::default()
    }
}

/// Everything that decides one cable's text. The facts (identifier, date, classification, …)
/// are exactly those a correct parser must find; the rest of the text is drawn from `seed`.
#[derive(Debug, Clone, PartialEq)]
pub struct CableSpec {
    /// Station token: `PARIS`, `USNATO`, `THEHAGUE`, `STATE`. Tokens the generator does not know
    /// are treated as embassies of that name.
    pub station: String,
    /// Serial number, without leading zeros.
    pub serial: u32,
    /// Creation time (UTC, seconds are not written).
    pub created: DateTime,
    /// The classification; `TOP SECRET` renders too, though the real set has none.
    pub classification: Classification,
    /// Web export with header table, or raw telegram.
    pub layout: Layout,
    /// The full subject; `None` leaves out the `SUBJECT:` line. Words should not end in `-`
    /// (a wrapped line ending in `-` joins without a space).
    pub subject: Option<String>,
    /// Layout 1's `Cable title:`; by default the subject's first wrapped line.
    pub title: Option<String>,
    /// Tags in order; empty leaves out the `TAGS:` line.
    pub tags: Vec<String>,
    /// The `REF:` block's items, in order (at most 26).
    pub references: Vec<RefItem>,
    /// Approximate size of the file in bytes (the body is filled up to it).
    pub target_bytes: usize,
    /// Seed for everything not fixed above (routing lines, wording, body text).
    pub seed: u64,
    /// Writes the identifier as the real set's broken ones: `08ECTION01OF02MANAMA492`. Only
    /// meaningful in layout 1, where the header table carries the identifier.
    pub malformed_id: bool,
    /// Glues the first two four-letter tags in the telegram's `TAGS:` line (`PRELPGOV`).
    pub glue_tags: bool,
    /// Whole telegram or partial extract. With [`Layout::TextDump`] the five lines come first.
    pub extract: Extract,
    /// The real-world forms of classification line, subject, tags and references.
    pub forms: Forms,
    /// The signer as a correct parser gives it (the name as written, without a chargé's
    /// title: `STAPLETON`, `McMullen`, `TIMKEN JR`, `van Voorst`); `None` for an unsigned
    /// cable. Written as [`Forms::signature`] says.
    pub signer: Option<String>,
}

impl CableSpec {
    /// A plain confidential layout-1 cable with a subject, two tags and no references.
    pub fn new(station: &str, serial: u32, created: DateTime) -> CableSpec {
        CableSpec {
            station: station.to_string(),
            serial,
            created,
            classification: Classification::from_label("CONFIDENTIAL").expect("known label"),
            layout: Layout::HeaderTable,
            subject: Some("TEST CABLE SUBJECT".to_string()),
            title: None,
            tags: vec!["PREL".to_string(), "PGOV".to_string()],
            references: Vec::new(),
            target_bytes: 3000,
            seed: u64::from(serial) ^ u64::from(created.year),
            malformed_id: false,
            glue_tags: false,
            extract: Extract::Full,
            forms: Forms::default(),
            signer: Some(data().signer(&data().station(station), created.year)),
        }
    }

    /// How much of [`CableSpec::created`] the text gives: the header table's `Created` and a
    /// date-time group give the minute, a text dump's date line the day, and a raw telegram
    /// with no date at all only the identifier's year.
    pub fn precision(&self) -> Precision {
        match (self.layout, self.extract) {
            (Layout::RawTelegram, Extract::NoDate | Extract::Empty) => Precision::Year,
            (Layout::TextDump, Extract::NoDate | Extract::Empty) => Precision::Day,
            _ => Precision::Minute,
        }
    }

    /// [`CableSpec::created`] as far as the text gives it (the rest zero).
    pub fn created_known(&self) -> DateTime {
        let c = self.created;
        match self.precision() {
            Precision::Minute => c,
            Precision::Day => DateTime {
                hour: 0,
                minute: 0,
                second: 0,
                ..c
            },
            Precision::Year => DateTime {
                year: c.year,
                ..DateTime::default()
            },
        }
    }

    /// True when the file has no routing header (and so no `FM` line).
    pub fn is_extract(&self) -> bool {
        self.extract != Extract::Full
    }

    /// True when the cable is written in the seeds' forms only (no extract, no text dump, no
    /// real-world variant): what the generator's own independent reader (in its tests) reads.
    pub fn is_standard(&self) -> bool {
        self.layout != Layout::TextDump
            && !self.is_extract()
            && self.forms.is_standard()
            && !self.tags.iter().any(|t| t.contains(' '))
    }

    /// The identifier a parser must find: `07PARIS1115` (or the malformed form).
    pub fn id(&self) -> String {
        let yy = self.created.year % 100;
        if self.malformed_id {
            let pages = page_count(self.target_bytes, true);
            format!("{yy:02}ECTION01OF{pages:02}{}{}", self.station, self.serial)
        } else {
            format!("{yy:02}{}{}", self.station, self.serial)
        }
    }

    /// The manifest entry for this cable (with an empty path and zero bytes): what a correct
    /// parse of [`render_cable`]'s output gives.
    pub fn expected(&self) -> GeneratedCable {
        let station = data().station(&self.station);
        let empty = self.extract == Extract::Empty;
        let subject = match (&self.subject, &self.title, self.layout) {
            (Some(s), _, _) if self.extract != Extract::Empty => s.clone(),
            (_, Some(t), Layout::HeaderTable | Layout::TextDump) => t.clone(),
            (Some(s), None, Layout::TextDump) => s.clone(),
            _ => String::new(),
        };
        GeneratedCable {
            id: self.id(),
            created: self.created_known().iso(),
            precision: self.precision(),
            classification: self.classification.label(),
            origin: station.display.clone(),
            subject,
            tags: if empty { Vec::new() } else { self.tags.clone() },
            references: self
                .references
                .iter()
                .filter(|_| !empty)
                .filter_map(|r| match r {
                    RefItem::Cable(id) => Some(id.clone()),
                    RefItem::Other(_) => None,
                })
                .collect(),
            non_cable_refs: self
                .references
                .iter()
                .filter(|_| !empty)
                .filter(|r| matches!(r, RefItem::Other(_)))
                .count(),
            signer: self.signer.clone().filter(|_| !empty),
            layout: self.layout,
            path: PathBuf::new(),
            bytes: 0,
        }
    }
}

/// One generated cable: the facts a correct parser recovers from its file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GeneratedCable {
    /// Identifier (`07PARIS1115`; a few are malformed like the real set's).
    pub id: String,
    /// Creation time in ISO 8601 UTC: `2007-03-22T13:25:00Z`; as far as the text gives it, the
    /// rest zero (`2002-11-13T00:00:00Z` to the day, `2005-00-00T00:00:00Z` to the year: what
    /// the parser's `Cable::created` must be).
    pub created: String,
    /// How much of `created` the text gives (the parser's `Cable::precision`).
    pub precision: Precision,
    /// Normalised classification label: `CONFIDENTIAL//NOFORN`.
    pub classification: String,
    /// Display name of the sending post: `Embassy Paris`.
    pub origin: String,
    /// The full subject (joined across lines); the header table's title when the telegram has
    /// no `SUBJECT:` line; empty when neither exists.
    pub subject: String,
    /// Tags in order. Where the telegram glues two (`PRELPGOV`) they are listed apart here.
    pub tags: Vec<String>,
    /// Identifiers of cited cables, in `REF:` order; cable items only.
    pub references: Vec<String>,
    /// Number of `REF:` items that are not cables.
    pub non_cable_refs: usize,
    /// The closing signature as the parser's `Cable::signer` gives it (`STAPLETON`,
    /// `McMullen`, `TIMKEN JR`; a chargé's `CDA GRIFFITHS` is `GRIFFITHS`); `None` when the
    /// cable is unsigned or the file holds no telegram.
    pub signer: Option<String>,
    /// Which layout the file is in.
    pub layout: Layout,
    /// The file, relative to the output folder.
    pub path: PathBuf,
    /// File size in bytes.
    pub bytes: usize,
}

/// What [`generate`] wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Manifest {
    /// Every cable, in generation order (which is not date order).
    pub cables: Vec<GeneratedCable>,
    /// Sum of the file sizes.
    pub total_bytes: u64,
}

impl Manifest {
    /// Median file size in bytes (0 for an empty manifest).
    pub fn median_bytes(&self) -> usize {
        let mut sizes: Vec<usize> = self.cables.iter().map(|c| c.bytes).collect();
        sizes.sort_unstable();
        sizes.get(sizes.len() / 2).copied().unwrap_or(0)
    }

    /// Mean file size in bytes.
    pub fn mean_bytes(&self) -> f64 {
        if self.cables.is_empty() {
            0.0
        } else {
            self.total_bytes as f64 / self.cables.len() as f64
        }
    }

    /// Largest file size in bytes.
    pub fn max_bytes(&self) -> usize {
        self.cables.iter().map(|c| c.bytes).max().unwrap_or(0)
    }

    /// Share of cited cable identifiers that are cables of this manifest.
    pub fn resolvable_fraction(&self) -> f64 {
        let ids: std::collections::HashSet<&str> =
            self.cables.iter().map(|c| c.id.as_str()).collect();
        let (mut total, mut found) = (0usize, 0usize);
        for c in &self.cables {
            for r in &c.references {
                total += 1;
                found += usize::from(ids.contains(r.as_str()));
            }
        }
        if total == 0 {
            0.0
        } else {
            found as f64 / total as f64
        }
    }
}

/// Renders one cable's text.
pub fn render_cable(spec: &CableSpec) -> String {
    let mut out = String::with_capacity(spec.target_bytes + 1024);
    render::render(spec, &mut out);
    out
}

/// Writes `config.count` cables under `out` (created if needed) in folders of
/// `config.files_per_dir` files, and returns the manifest.
pub fn generate(config: &GenConfig, out: &Path) -> io::Result<Manifest> {
    std::fs::create_dir_all(out)?;
    let per_dir = config.files_per_dir.max(1);
    let dirs = config.count.div_ceil(per_dir);
    for k in 0..dirs {
        std::fs::create_dir_all(out.join(dir_name(k)))?;
    }
    generate_with(config, |cable, text| {
        let file = std::fs::File::create(out.join(&cable.path))?;
        let mut w = io::BufWriter::with_capacity(64 * 1024, file);
        w.write_all(text.as_bytes())?;
        w.flush()
    })
}

/// Renders every cable of `config` in memory, in parallel, and hands each (with its manifest
/// entry) to `sink`; nothing is written. [`generate`] is this with a sink that writes files.
pub fn generate_with<F>(config: &GenConfig, sink: F) -> io::Result<Manifest>
where
    F: Fn(&GeneratedCable, &str) -> io::Result<()> + Sync,
{
    let plan = plan::build(config);
    let per_dir = config.files_per_dir.max(1);
    let digits = config.count.saturating_sub(1).to_string().len().max(6);
    let chunks: Vec<io::Result<Vec<GeneratedCable>>> = (0..config.count.div_ceil(per_dir))
        .into_par_iter()
        .map(|k| {
            let mut buf = String::with_capacity(64 * 1024);
            let lo = k * per_dir;
            let hi = (lo + per_dir).min(config.count);
            let mut cables = Vec::with_capacity(hi - lo);
            for i in lo..hi {
                let spec = spec_for(&plan, i);
                buf.clear();
                render::render(&spec, &mut buf);
                let mut cable = spec.expected();
                let tag = rng::mix(config.seed ^ rng::mix(i as u64));
                // A raw telegram with no date is known by its file name, as people keep them.
                let name = if spec.precision() == Precision::Year {
                    format!("{}.txt", cable.id)
                } else {
                    format!("{i:0digits$}_{tag:016x}.txt")
                };
                cable.path = PathBuf::from(dir_name(k)).join(name);
                cable.bytes = buf.len();
                sink(&cable, &buf)?;
                cables.push(cable);
            }
            Ok(cables)
        })
        .collect();
    let mut manifest = Manifest::default();
    for chunk in chunks {
        for c in chunk? {
            manifest.total_bytes += c.bytes as u64;
            manifest.cables.push(c);
        }
    }
    Ok(manifest)
}

fn dir_name(k: usize) -> String {
    format!("{k:04}")
}

/// Number of pages (and sections) of a cable of about `target_bytes`.
pub(crate) fn page_count(target_bytes: usize, malformed: bool) -> u32 {
    let pages = if target_bytes > 5_500 {
        1 + (target_bytes - 1_500) / 4_500
    } else {
        1
    };
    let pages = pages.min(99) as u32;
    if malformed {
        pages.max(2)
    } else {
        pages
    }
}

/// Splits a well-formed identifier into two-digit year, station and serial.
pub(crate) fn split_id(id: &str) -> Option<(u32, &str, u32)> {
    let b = id.as_bytes();
    if b.len() < 4 || !b[0].is_ascii_digit() || !b[1].is_ascii_digit() {
        return None;
    }
    let digits_at = id[2..].find(|c: char| c.is_ascii_digit())? + 2;
    let station = &id[2..digits_at];
    if station.is_empty() || !station.bytes().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let serial: u32 = id[digits_at..].parse().ok()?;
    Some((id[..2].parse().ok()?, station, serial))
}

#[cfg(test)]
/// Joins wrapped subject lines as a parser must: with a space, or with nothing after a line
/// ending in `-`.
pub(crate) fn join_subject(lines: &[String]) -> String {
    let mut s = String::new();
    for l in lines {
        let l = l.trim();
        if !s.is_empty() && !s.ends_with('-') {
            s.push(' ');
        }
        s.push_str(l);
    }
    s
}

// ---- turning the plan into specs ----

const TOPICS: &[&str] = &[
    "MISSILE DEFENSE",
    "ENERGY SECURITY",
    "COUNTERTERRORISM COOPERATION",
    "HUMAN RIGHTS",
    "PARLIAMENTARY ELECTIONS",
    "PRESIDENTIAL ELECTIONS",
    "CONSTITUTIONAL REFORM",
    "PRESS FREEDOM",
    "TRAFFICKING IN PERSONS",
    "NARCOTICS CONTROL",
    "BORDER SECURITY",
    "NUCLEAR PROGRAM",
    "ARMS CONTROL",
    "CFE TREATY",
    "WTO ACCESSION",
    "FREE TRADE AGREEMENT",
    "INVESTMENT CLIMATE",
    "BUDGET DEBATE",
    "OIL AND GAS",
    "GAS PIPELINE",
    "REFUGEE FLOWS",
    "AVIAN INFLUENZA",
    "HIV/AIDS",
    "CORRUPTION",
    "JUDICIAL REFORM",
    "MILITARY COOPERATION",
    "PEACEKEEPING",
    "SANCTIONS",
    "EXPORT CONTROLS",
    "CLIMATE CHANGE",
    "FOOD SECURITY",
    "RELIGIOUS FREEDOM",
    "MEDIA LAW",
    "OPPOSITION PROTESTS",
    "COALITION TALKS",
    "CABINET RESHUFFLE",
    "PROVINCIAL ELECTIONS",
    "SECURITY AGREEMENT",
    "STATUS OF FORCES AGREEMENT",
    "VISA POLICY",
    "INTELLECTUAL PROPERTY RIGHTS",
    "FINANCIAL CRISIS",
    "BANKING SECTOR",
    "INFLATION",
    "PRIVATIZATION",
    "DEFENSE BUDGET",
    "ARMS SALES",
    "PIRACY",
    "KURDISH ISSUE",
    "IRAN",
    "NORTH KOREA",
    "KOSOVO STATUS",
    "AFGHANISTAN",
    "ISAF CONTRIBUTIONS",
    "NATO ENLARGEMENT",
    "EU ACCESSION",
    "POST-ELECTION VIOLENCE",
    "NATO-RUSSIA COUNCIL",
    "COUNTER-NARCOTICS",
    "HIGH-LEVEL DIALOGUE",
    "EXECUTIVE WORKING GROUP-REINFORCED",
    "CIVIL-MILITARY RELATIONS",
    "MIDDLE EAST PEACE PROCESS",
    "UN SECURITY COUNCIL REFORM",
    "DARFUR",
    "SOMALIA",
    "GUANTANAMO",
    "DETAINEE TRANSFERS",
    "TERRORIST FINANCE",
    "MONEY LAUNDERING",
    "RULE OF LAW",
    "LOCAL ELECTIONS",
    "MINORITY RIGHTS",
    "WATER RIGHTS",
    "ELECTRICITY SHORTAGES",
    "REGIONAL SECURITY",
    "CHEMICAL WEAPONS",
    "SPACE COOPERATION",
    "CYBER SECURITY",
];
const VERBS: &[&str] = &[
    "DISCUSSES",
    "WELCOMES",
    "REJECTS",
    "SEEKS",
    "PRESSES",
    "OUTLINES",
    "REVIEWS",
    "BRIEFS ON",
    "SIGNALS FLEXIBILITY ON",
    "WARNS ON",
    "DEFENDS",
    "QUESTIONS",
    "CONSULTS ON",
    "PUSHES",
];
const OFFICIALS: &[&str] = &[
    "COUNTERPARTS",
    "OFFICIALS",
    "MFA",
    "MOD",
    "OPPOSITION LEADERS",
    "PARLIAMENTARIANS",
    "BUSINESS LEADERS",
    "NGOS",
    "JOURNALISTS",
    "CLERICS",
    "GOVERNORS",
    "ALLIES",
];
const REACTIONS: &[&str] = &[
    "VIEWS",
    "RESPONSE",
    "CONCERNS",
    "REACTION",
    "NEXT STEPS",
    "POSITION",
    "PERSPECTIVE",
    "UPDATE",
    "READOUT",
];
const SUBJECT_TITLES: &[&str] = &[
    "A/S",
    "U/S",
    "DAS",
    "AMBASSADOR",
    "SECRETARY",
    "CODEL",
    "GENERAL",
    "FM",
    "PM",
    "PRESIDENT",
    "DEPUTY SECRETARY",
    "SPECIAL ENVOY",
];

fn upper_name(s: &str) -> String {
    s.to_uppercase()
}

fn make_subject(r: &mut Rng, c: &Country, st: &Station) -> String {
    let v = words::vocab();
    let cname = c.name.to_uppercase();
    let adj = c.adjective.to_uppercase();
    let topic = |r: &mut Rng| *r.pick(TOPICS);
    let official = |r: &mut Rng| upper_name(&c.officials[r.below(c.officials.len())]);
    let city = if st.kind == Kind::State {
        cname.clone()
    } else {
        st.written.clone()
    };
    let mut s = match r.below(10) {
        0 | 1 => format!("{cname}: {}", topic(r)),
        2 => format!(
            "{} {} {} {} WITH {adj} {}",
            r.pick(SUBJECT_TITLES),
            upper_name(r.pick_str(data::US_SURNAMES)),
            r.pick(VERBS),
            topic(r),
            r.pick(OFFICIALS)
        ),
        3 => format!(
            "SCENESETTER FOR {} {}'S VISIT TO {city}",
            r.pick(SUBJECT_TITLES),
            upper_name(r.pick_str(data::US_SURNAMES))
        ),
        4 => format!(
            "{adj} {} ON {} AND {}",
            r.pick(OFFICIALS),
            topic(r),
            topic(r)
        ),
        5 => format!("{}: {adj} {}", topic(r), r.pick(REACTIONS)),
        6 => format!(
            "{}: {}/{} {} MEETING READOUT",
            topic(r),
            1 + r.below(12),
            1 + r.below(28),
            topic(r)
        ),
        7 => {
            let mut s = format!("{cname}:");
            for _ in 0..2 + r.below(4) {
                s.push(' ');
                s.push_str(&v.content_word(r).to_uppercase());
            }
            s.push(' ');
            s.push_str(topic(r));
            s
        }
        8 => format!("{} {} ON {}", official(r), r.pick(VERBS), topic(r)),
        _ => format!("{} IN {city}: {}", topic(r), r.pick(REACTIONS)),
    };
    match r.below(40) {
        0 => s.push_str(" (CORRECTED COPY)"),
        1 => s.push_str(&format!(" (PART {} OF {})", 1 + r.below(2), 2 + r.below(2))),
        2 => s.push_str(": UPDATE"),
        3 | 4 => s.push_str(&format!(" DISCUSSIONS IN {city}")),
        _ => {}
    }
    // Single spaces, no word ending in '-' (a wrapped line ending in '-' joins without space).
    s.split_whitespace()
        .filter(|w| !w.ends_with('-'))
        .collect::<Vec<_>>()
        .join(" ")
}

fn make_tags(r: &mut Rng, st: &Station, country: &Country) -> Vec<String> {
    let d = data();
    let n = 2 + r.weighted(&[10, 25, 30, 23, 12]);
    let mut tags: Vec<String> = Vec::with_capacity(n);
    let org_first = match &st.org_tag {
        Some(t) if r.chance(0.8) => Some(t.clone()),
        _ if r.chance(0.04) => Some(r.pick(data::ORG_TAGS).to_string()),
        _ => None,
    };
    if let Some(t) = &org_first {
        tags.push(t.clone());
    }
    let mut countries = vec![country.tag.clone()];
    if r.chance(0.25) {
        let other = &d.countries[d.busy_countries[r.below(d.busy_countries.len())]];
        if other.tag != country.tag {
            countries.push(other.tag.clone());
        }
    }
    if r.chance(0.05) {
        countries.clear();
    }
    let subject_n = n.saturating_sub(tags.len() + countries.len()).max(1);
    let mut guard = 0;
    while tags.len() < subject_n + usize::from(org_first.is_some()) && guard < 100 {
        guard += 1;
        let k = r.geometric(7.0).min(data::SUBJECT_TAGS.len() - 1);
        let t = data::SUBJECT_TAGS[k].to_string();
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    for c in countries {
        if tags.len() < 6 && !tags.contains(&c) {
            tags.push(c);
        }
    }
    tags
}

fn other_ref(r: &mut Rng, created: &DateTime) -> String {
    let yy = created.year % 100;
    let m = 1 + r.below(usize::from(created.month)) as u32;
    let d = 1 + r.below(28) as u32;
    match r.below(6) {
        0 | 1 => format!(
            "EMAIL FROM {}. {} {m}/{d}/{yy:02}",
            (b'A' + r.below(26) as u8) as char,
            r.pick(data::US_SURNAMES).to_uppercase()
        ),
        2 | 3 => format!(
            "{} {}{:02}{:02}{:02}Z {} {yy:02}",
            r.pick(&[
                "SECDEF",
                "CJCS",
                "USCENTCOM",
                "JOINT STAFF",
                "CIA",
                "DIA",
                "USEUCOM"
            ]),
            r.pick(&['R', 'P', 'O']),
            d,
            r.below(24),
            r.below(60),
            render::MON[m as usize - 1]
        ),
        4 => format!("MEMCON OF {m}/{d}"),
        _ => format!("TELCON {m}/{d}/{yy:02}"),
    }
}

/// The spec of cable `i` of the plan.
fn spec_for(plan: &plan::Plan, i: usize) -> CableSpec {
    let d = data();
    let e = &plan.entries[i];
    let st = &d.stations[e.station as usize];
    let mut r = Rng::derive(plan.seed, STREAM_META, i as u64);
    let country_idx = st.country.unwrap_or_else(|| {
        if r.chance(0.7) {
            d.busy_countries[r.below(d.busy_countries.len())]
        } else {
            1 + r.below(d.countries.len() - 1)
        }
    });
    let country = &d.countries[country_idx];
    let mut tags = make_tags(&mut r, st, country);
    let subject = make_subject(&mut r, country, st);
    let no_subject = r.chance(0.005);
    if r.chance(0.005) {
        tags.clear();
    }
    let glue_tags = r.chance(0.004) && tags.windows(2).any(|w| w[0].len() == 4 && w[1].len() == 4);
    let mut references: Vec<RefItem> = e
        .refs
        .iter()
        .map(|p| match *p {
            PlannedRef::Known(j) => {
                let t = &plan.entries[j as usize];
                RefItem::Cable(format!(
                    "{:02}{}{}",
                    t.created.year % 100,
                    d.stations[t.station as usize].token,
                    t.serial
                ))
            }
            PlannedRef::Unknown {
                station,
                year,
                serial,
            } => RefItem::Cable(format!(
                "{:02}{}{}",
                year % 100,
                d.stations[station as usize].token,
                serial
            )),
            PlannedRef::Other => RefItem::Other(other_ref(&mut r, &e.created)),
        })
        .collect();
    // `B. EMAIL FROM C. WOOD`: an initial that is the next item's letter reads as that item
    // even to a careful reader; real blocks do not play that trick, so take another initial.
    for (k, item) in references.iter_mut().enumerate() {
        if let RefItem::Other(text) = item {
            let next = (b'A' + k as u8 + 1) as char;
            if let Some(rest) = text.strip_prefix(&format!("EMAIL FROM {next}. ")) {
                let other = (b'A' + (k as u8 + 3) % 26) as char;
                *text = format!("EMAIL FROM {other}. {rest}");
            }
        }
    }
    let classification = LABELS[e.label as usize].0;
    let seed = r.next_u64();
    // The signer as the seeds write it: now and then another name than the post's chief.
    let mut signer = Some(if r.chance(0.1) {
        r.pick(data::US_SURNAMES).to_uppercase()
    } else {
        d.signer(st, e.created.year)
    });
    let (layout, extract, forms) =
        draw_forms(plan.seed, i, e, st, classification, &mut tags, &mut signer);
    let mut forms = forms;
    let mut subject = subject;
    if forms.tags == TagsForm::EoRunOn {
        // Only plain tags and a subject to run in; the line is in small letters.
        if no_subject || glue_tags || tags.iter().any(|t| t.contains(' ')) {
            forms.tags = TagsForm::Standard;
        } else {
            subject = subject.to_lowercase();
        }
    }
    let (subject, title) = if no_subject {
        let title =
            matches!(layout, Layout::HeaderTable | Layout::TextDump).then(|| subject.clone());
        (None, title)
    } else if layout == Layout::TextDump {
        (Some(subject.clone()), Some(subject))
    } else {
        (Some(subject), None)
    };
    CableSpec {
        station: st.token.clone(),
        serial: e.serial,
        created: e.created,
        classification,
        layout,
        subject,
        title,
        tags,
        references,
        target_bytes: e.target as usize,
        seed,
        malformed_id: e.malformed,
        glue_tags,
        extract,
        forms,
        signer,
    }
}

/// Rates of the real-world forms, per 1,000 cables (or per 1,000 cables that can have them).
mod rates {
    /// Text dumps (the third layout).
    pub const DUMP: usize = 30;
    /// Partial extracts in the other two layouts.
    pub const EXTRACT: usize = 40;
    /// Letter-spaced classification lines in mixed case (confidential and secret cables).
    pub const CLASS_MIXED: usize = 30;
    /// Doubled first letter (`SS E C R E T`).
    pub const CLASS_DOUBLED: usize = 20;
    /// `SENSITIVE …` before the first paragraph (unclassified//FOUO cables).
    pub const LATE_CAVEAT: usize = 150;
    /// Subject across a page break (cables of several pages with a wrapped subject).
    pub const SUBJECT_BREAK: usize = 60;
    /// Each of the four `TAGS` variants.
    pub const TAGS_EACH: usize = 20;
    /// A person tag `OVIP (SMITH, JOHN)`.
    pub const PERSON_TAG: usize = 20;
    /// Tags and subject run into a sentence-case `E.o.` line (of the cables that can have it).
    pub const TAGS_EO_RUN_ON: usize = 10;
    /// Wild `REF` blocks (of the cables with one).
    pub const WILD_REFS: usize = 300;
    /// A lone `A)` before items apart by semicolons (of the cables with a REF block in the
    /// seeds' forms that can have it).
    pub const REF_LONE_LABEL: usize = 20;
    /// Two cables in one item with `AND PREVIOUS` (04RANGOON88); each is linked on its own
    /// words (`site_generated` checks the links).
    pub const REF_AND_PREVIOUS: usize = 20;
    /// Doubled labels `A. A.`.
    pub const REF_DOUBLED_DOTS: usize = 20;
    /// A signature run onto the last paragraph's last line.
    pub const SIGN_RUN_ON: usize = 30;
    /// A signature after `END TEXT` on the same line.
    pub const SIGN_END_TEXT: usize = 5;
    /// A chargé's title before the name (`CDA GRIFFITHS`).
    pub const SIGN_TITLED: usize = 10;
    /// A capitalised signature (`Baxter`, `McMullen`).
    pub const SIGN_CAPITALISED: usize = 30;
    /// A suffix after the name (`TIMKEN JR`).
    pub const SIGN_SUFFIX: usize = 5;
    /// A surname with a particle (`VAN VOORST`, `van Voorst`).
    pub const SIGN_PARTICLE: usize = 5;
    /// No signature.
    pub const UNSIGNED: usize = 20;
}

/// A name in capitals written capitalised as cables of the 2000s sign: `BAXTER` → `Baxter`,
/// `MCMULLEN` → `McMullen` (the parser keeps the case, so the manifest must too).
fn capitalised(name: &str) -> String {
    let mut t = title_case(&name.to_lowercase());
    if t.len() > 3 && t.starts_with("Mc") && t.is_char_boundary(3) {
        let third = t[2..3].to_uppercase();
        t.replace_range(2..3, &third);
    }
    t
}

/// The layout, extract and forms of cable `i`, and a person tag added to `tags` now and then.
/// Drawn from a stream of their own: a cable left in the seeds' forms is unchanged by them.
fn draw_forms(
    seed: u64,
    i: usize,
    e: &plan::Entry,
    st: &Station,
    classification: Classification,
    tags: &mut Vec<String>,
    signer: &mut Option<String>,
) -> (Layout, Extract, Forms) {
    use archive_cable::model::{Caveat, Level};
    let mut f = Rng::derive(seed, STREAM_FORMS, i as u64);
    let g = Gazetteer::builtin();
    // Without an `FM` line the origin is the gazetteer's name for the station of the
    // classification line: only stations it knows by their written form.
    let known = g.token(&st.written) == Some(st.token.as_str());
    let mut layout = e.layout;
    let mut extract = Extract::Full;
    if !e.malformed {
        let x = f.below(1000);
        if x < rates::DUMP {
            layout = Layout::TextDump;
            extract = [
                Extract::Full,
                Extract::BareDtg,
                Extract::NoDate,
                Extract::Empty,
            ][f.weighted(&[40, 25, 20, 15])];
        } else if x < rates::DUMP + rates::EXTRACT && (known || layout == Layout::HeaderTable) {
            extract = if f.chance(0.5) {
                Extract::BareDtg
            } else {
                Extract::NoDate
            };
        }
    }
    let mut forms = Forms::default();
    if matches!(classification.level, Level::Confidential | Level::Secret) {
        let x = f.below(1000);
        if x < rates::CLASS_MIXED {
            forms.class_line = ClassLine::MixedCase;
        } else if x < rates::CLASS_MIXED + rates::CLASS_DOUBLED {
            forms.class_line = ClassLine::Doubled;
        }
    }
    if classification.level == Level::Unclassified
        && classification.caveat == Some(Caveat::ForOfficialUseOnly)
    {
        forms.late_caveat = f.below(1000) < rates::LATE_CAVEAT;
    }
    forms.subject_break = f.below(1000) < rates::SUBJECT_BREAK;
    let x = f.below(1000);
    forms.tags = match x / rates::TAGS_EACH {
        0 => TagsForm::NoColon,
        1 => TagsForm::Commas,
        2 => TagsForm::Wrapped,
        3 => TagsForm::Lower,
        _ if x < 4 * rates::TAGS_EACH + rates::TAGS_EO_RUN_ON
            && classification.level != Level::Unclassified
            && e.created.year >= 1995
            && layout != Layout::TextDump
            && !tags.is_empty() =>
        {
            TagsForm::EoRunOn
        }
        _ => TagsForm::Standard,
    };
    if !tags.is_empty() && f.below(1000) < rates::PERSON_TAG {
        let person = format!(
            "OVIP ({}, {})",
            f.pick(data::US_SURNAMES).to_uppercase(),
            f.pick(data::FIRST_NAMES).to_uppercase()
        );
        // The visit's tag is the person tag; a plain `OVIP` beside it would be the same tag.
        tags.retain(|t| t != "OVIP");
        if tags.len() >= 6 {
            tags.pop();
        }
        let at = f.below(tags.len() + 1);
        tags.insert(at, person);
    }
    forms.wild_refs = !e.refs.is_empty() && f.below(1000) < rates::WILD_REFS;
    // Drawn after every older form, so that those stay as they were.
    if !e.refs.is_empty() && !forms.wild_refs {
        let cables = e
            .refs
            .iter()
            .filter(|p| !matches!(p, PlannedRef::Other))
            .count();
        let pair = e
            .refs
            .windows(2)
            .any(|w| !matches!(w[0], PlannedRef::Other) && !matches!(w[1], PlannedRef::Other));
        let y = f.below(1000);
        let lone = rates::REF_LONE_LABEL;
        let and_previous = lone + rates::REF_AND_PREVIOUS;
        let doubled = and_previous + rates::REF_DOUBLED_DOTS;
        forms.refs = if y < lone {
            if cables >= 2 && cables == e.refs.len() {
                RefVariant::LoneLabel
            } else {
                RefVariant::Standard
            }
        } else if y < and_previous {
            if pair {
                RefVariant::AndPrevious
            } else {
                RefVariant::Standard
            }
        } else if y < doubled && e.refs.len() >= 2 {
            RefVariant::DoubledDots
        } else {
            RefVariant::Standard
        };
    }
    let x = f.below(1000);
    let mut at = 0;
    let mut next = |rate: usize| {
        at += rate;
        x < at
    };
    forms.signature = if next(rates::SIGN_RUN_ON) {
        SignForm::RunOn
    } else if next(rates::SIGN_END_TEXT) {
        SignForm::EndText
    } else if next(rates::SIGN_TITLED) {
        SignForm::Titled
    } else if next(rates::SIGN_CAPITALISED) {
        SignForm::Capitalised
    } else if next(rates::SIGN_SUFFIX) {
        SignForm::Suffix
    } else if next(rates::SIGN_PARTICLE) {
        SignForm::Particle
    } else if next(rates::UNSIGNED) {
        SignForm::Unsigned
    } else {
        SignForm::Standard
    };
    let name = signer.clone().unwrap_or_default();
    *signer = match forms.signature {
        SignForm::Standard | SignForm::RunOn | SignForm::EndText => Some(name),
        SignForm::Titled if f.chance(0.5) => Some(capitalised(&name)),
        SignForm::Titled => Some(name),
        SignForm::Capitalised => Some(capitalised(&name)),
        SignForm::Suffix => Some(format!("{name} JR")),
        SignForm::Particle => {
            let particle = *f.pick(&["van", "de", "von", "van der"]);
            let surname = f.pick(data::US_SURNAMES);
            // In capitals a name is at most two words (`VAN VOORST`); a lower-case particle
            // is no word of its own (`van der Hoffman`).
            Some(if !particle.contains(' ') && f.chance(0.5) {
                format!("{} {}", particle.to_uppercase(), surname.to_uppercase())
            } else {
                format!("{particle} {}", capitalised(surname))
            })
        }
        SignForm::Unsigned => None,
    };
    (layout, extract, forms)
}

#[cfg(test)]
mod tests;

//! Parsed files kept between builds: what the load of one input file gave (its cables with their
//! telegrams set aside, and its problems), in a compact binary form, with the identity of the
//! file it was read from. A build with a cache of these reads again only the files whose
//! identity changed ([`crate::load_lean_reusing`]); for the rest it decodes what the previous
//! build parsed, which is exactly what parsing them again would give (the same bytes, the same
//! gazetteer and the same program give the same result: `parse` is a pure function).
//!
//! The codec is this crate's own, not a serde format: the model's `Serialize` is the export's
//! JSON shape, and what is stored here is the lean cable only (a cable with its telegram is
//! refused: [`encode_file`] returns `false`), field for field, so that a decoded cable is
//! `==` to the one that was encoded (tested on the seeds, the real cables and generated ones).

use crate::sources::{FileResult, SourceKind};
use archive_cable::model::{
    Cable, CableId, Classification, DateTime, Layout, Precision, Problem, Recipient, RecipientKind,
    Reference, Severity,
};
use std::path::{Path, PathBuf};

/// What an input file was when it was read: enough to tell that it still holds the same bytes
/// without reading them. The change time is part of it, so that a file whose content was
/// replaced with its old modification time put back (`cp -p`, `rsync -a`, `touch -r`) still
/// counts as changed: only the kernel sets the change time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SourceId {
    /// The inode number (0 where the platform has none).
    pub ino: u64,
    /// Length in bytes.
    pub len: u64,
    /// Modification time, nanoseconds since the epoch (-1 when unknown).
    pub mtime_ns: i128,
    /// Change time (inode change), nanoseconds since the epoch (0 where the platform has none).
    pub ctime_ns: i128,
}

impl SourceId {
    /// The identity of the file `meta` describes.
    pub fn of(meta: &std::fs::Metadata) -> SourceId {
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(-1, |d| d.as_nanos() as i128);
        #[cfg(unix)]
        let (ino, ctime_ns) = {
            use std::os::unix::fs::MetadataExt;
            (
                meta.ino(),
                i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
            )
        };
        #[cfg(not(unix))]
        let (ino, ctime_ns) = (0, 0);
        SourceId {
            ino,
            len: meta.len(),
            mtime_ns,
            ctime_ns,
        }
    }
}

/// Appends the record of one file read (`result`, whose file had identity `id`) to `out`.
/// Returns `false`, appending nothing, when `result` holds a cable whose telegram was kept
/// (only a lean load's results are stored).
pub fn encode_file(result: &FileResult, id: SourceId, out: &mut Vec<u8>) -> bool {
    if result.cables.iter().any(|c| c.body_set_aside.is_none()) {
        return false;
    }
    let mut w = Writer(out);
    w.path(&result.path);
    w.u64(id.ino);
    w.u64(id.len);
    w.i128(id.mtime_ns);
    w.i128(id.ctime_ns);
    w.u8(match result.kind {
        SourceKind::Text => 0,
        SourceKind::WikileaksHtml => 1,
        SourceKind::CablesCsv => 2,
        SourceKind::Json => 3,
    });
    w.u64(result.cables.len() as u64);
    for cable in &result.cables {
        w.cable(cable, true);
    }
    w.u64(result.problems.len() as u64);
    for problem in &result.problems {
        w.path(&problem.path);
        w.opt(problem.line, |w, l| w.u64(u64::from(l)));
        w.u8(match problem.severity {
            Severity::Warning => 0,
            Severity::Error => 1,
        });
        w.str(&problem.message);
    }
    true
}

/// Decodes the record at the start of `bytes` and moves `bytes` past it: the file's path, its
/// identity when read, and what reading it gave. `None` when the bytes are not such a record
/// (a damaged cache: the caller stops reading it).
pub fn decode_file(bytes: &mut &[u8]) -> Option<(SourceId, FileResult)> {
    let mut r = Reader(bytes);
    let path = r.path()?;
    let id = SourceId {
        ino: r.u64()?,
        len: r.u64()?,
        mtime_ns: r.i128()?,
        ctime_ns: r.i128()?,
    };
    let kind = match r.u8()? {
        0 => SourceKind::Text,
        1 => SourceKind::WikileaksHtml,
        2 => SourceKind::CablesCsv,
        3 => SourceKind::Json,
        _ => return None,
    };
    let cables = (0..r.count()?)
        .map(|_| r.cable())
        .collect::<Option<Vec<Cable>>>()?;
    let problems = (0..r.count()?)
        .map(|_| {
            Some(Problem {
                path: r.path()?,
                line: r.opt(|r| r.u64().and_then(|l| u32::try_from(l).ok()))?,
                severity: match r.u8()? {
                    0 => Severity::Warning,
                    1 => Severity::Error,
                    _ => return None,
                },
                message: r.string()?,
            })
        })
        .collect::<Option<Vec<Problem>>>()?;
    Some((
        id,
        FileResult {
            path,
            kind,
            cables,
            problems,
        },
    ))
}

/// Appends `cable`'s facts to `out`, as its record stores them: every field but the telegram
/// (for a lean cable, the telegram's digest stands for it) and the byte offset of its row in a
/// `cables.csv` (where to read it again, which nothing shows). Equal bytes mean equal facts,
/// so the build cache fingerprints a cable by these bytes rather than by its file: an edit to
/// one row of a `cables.csv` changes that row's cables' fingerprints only, though the rows
/// after it moved.
pub fn facts_bytes(cable: &Cable, out: &mut Vec<u8>) {
    Writer(out).cable(cable, false);
}

/// Appends to a byte vector: LEB128 numbers, length-prefixed strings, tagged options.
struct Writer<'a>(&'a mut Vec<u8>);

impl Writer<'_> {
    fn u8(&mut self, b: u8) {
        self.0.push(b);
    }

    fn u64(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(byte);
                return;
            }
            self.0.push(byte | 0x80);
        }
    }

    fn i128(&mut self, v: i128) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.0.extend_from_slice(b);
    }

    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    fn path(&mut self, p: &Path) {
        #[cfg(unix)]
        self.bytes(std::os::unix::ffi::OsStrExt::as_bytes(p.as_os_str()));
        // Elsewhere a path that is not Unicode is stored changed, so it matches no file read
        // again and that file is parsed again: slower, never wrong.
        #[cfg(not(unix))]
        self.str(&p.to_string_lossy());
    }

    fn opt<T>(&mut self, v: Option<T>, f: impl FnOnce(&mut Self, T)) {
        match v {
            None => self.u8(0),
            Some(v) => {
                self.u8(1);
                f(self, v);
            }
        }
    }

    fn opt_str(&mut self, v: Option<&str>) {
        self.opt(v, |w, s| w.str(s));
    }

    /// A cable's fields; its row's offset (`record`) only with `place`.
    fn cable(&mut self, c: &Cable, place: bool) {
        self.str(&c.id.0);
        let d = c.created;
        self.u64(u64::from(d.year));
        for b in [d.month, d.day, d.hour, d.minute, d.second] {
            self.u8(b);
        }
        self.u8(match c.precision {
            Precision::Year => 0,
            Precision::Day => 1,
            Precision::Minute => 2,
        });
        let class = Classification::ALL
            .iter()
            .position(|k| *k == c.classification)
            .expect("every classification is one of Classification::ALL");
        self.u8(class as u8);
        self.str(&c.origin);
        self.str(&c.subject);
        self.u64(c.tags.len() as u64);
        for tag in &c.tags {
            self.str(tag);
        }
        self.u64(c.references.len() as u64);
        for r in &c.references {
            self.opt_str(r.label.as_deref());
            self.str(&r.text);
            self.opt_str(r.id.as_ref().map(|id| id.0.as_str()));
        }
        self.opt(c.references_block, |w, b| w.u64(b as u64));
        self.opt_str(c.sender.as_deref());
        self.u64(c.recipients.len() as u64);
        for r in &c.recipients {
            self.u8(match r.kind {
                RecipientKind::To => 0,
                RecipientKind::Info => 1,
            });
            self.str(&r.name);
            self.str(&r.text);
        }
        self.opt_str(c.classified_by.as_deref());
        self.opt_str(c.declassification.as_deref());
        self.opt_str(c.signer.as_deref());
        self.u8(match c.layout {
            Layout::HeaderTable => 0,
            Layout::RawTelegram => 1,
            Layout::TextDump => 2,
        });
        self.path(&c.source);
        if place {
            self.opt(c.record, |w, r| w.u64(r));
        }
        self.opt(c.body_set_aside, |w, d| w.u64(d));
    }
}

/// Reads what [`Writer`] wrote; every read fails (`None`) rather than panics on bad bytes.
struct Reader<'a, 'b>(&'a mut &'b [u8]);

impl Reader<'_, '_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        *self.0 = rest;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u64(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            v |= u64::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    /// A count of items that follow, each at least a byte: never more than the bytes left, so
    /// damaged bytes cannot make a huge allocation.
    fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.u64()?).ok()?;
        (n <= self.0.len()).then_some(n)
    }

    fn i128(&mut self) -> Option<i128> {
        Some(i128::from_le_bytes(self.take(16)?.try_into().ok()?))
    }

    fn bytes(&mut self) -> Option<&[u8]> {
        let n = self.count()?;
        self.take(n)
    }

    fn string(&mut self) -> Option<String> {
        Some(std::str::from_utf8(self.bytes()?).ok()?.to_string())
    }

    fn path(&mut self) -> Option<PathBuf> {
        #[cfg(unix)]
        {
            let bytes = self.bytes()?;
            Some(PathBuf::from(
                <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(bytes),
            ))
        }
        #[cfg(not(unix))]
        {
            self.string().map(PathBuf::from)
        }
    }

    fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.u8()? {
            0 => Some(None),
            1 => f(self).map(Some),
            _ => None,
        }
    }

    fn opt_string(&mut self) -> Option<Option<String>> {
        self.opt(|r| r.string())
    }

    fn cable(&mut self) -> Option<Cable> {
        let id = CableId(self.string()?);
        let created = DateTime {
            year: u16::try_from(self.u64()?).ok()?,
            month: self.u8()?,
            day: self.u8()?,
            hour: self.u8()?,
            minute: self.u8()?,
            second: self.u8()?,
        };
        let precision = match self.u8()? {
            0 => Precision::Year,
            1 => Precision::Day,
            2 => Precision::Minute,
            _ => return None,
        };
        let classification = *Classification::ALL.get(usize::from(self.u8()?))?;
        let origin = self.string()?;
        let subject = self.string()?;
        let tags = (0..self.count()?)
            .map(|_| self.string())
            .collect::<Option<Vec<String>>>()?;
        let references = (0..self.count()?)
            .map(|_| {
                Some(Reference {
                    label: self.opt_string()?,
                    text: self.string()?,
                    id: self.opt_string()?.map(CableId),
                })
            })
            .collect::<Option<Vec<Reference>>>()?;
        let references_block = self.opt(|r| r.u64().and_then(|b| usize::try_from(b).ok()))?;
        let sender = self.opt_string()?;
        let recipients = (0..self.count()?)
            .map(|_| {
                Some(Recipient {
                    kind: match self.u8()? {
                        0 => RecipientKind::To,
                        1 => RecipientKind::Info,
                        _ => return None,
                    },
                    name: self.string()?,
                    text: self.string()?,
                })
            })
            .collect::<Option<Vec<Recipient>>>()?;
        let classified_by = self.opt_string()?;
        let declassification = self.opt_string()?;
        let signer = self.opt_string()?;
        let layout = match self.u8()? {
            0 => Layout::HeaderTable,
            1 => Layout::RawTelegram,
            2 => Layout::TextDump,
            _ => return None,
        };
        let source = self.path()?;
        let record = self.opt(|r| r.u64())?;
        let body_set_aside = self.opt(|r| r.u64())?;
        Some(Cable {
            id,
            created,
            precision,
            classification,
            origin,
            subject,
            tags,
            references,
            references_block,
            sender,
            recipients,
            classified_by,
            declassification,
            signer,
            layout,
            body: Vec::new(),
            source,
            record,
            body_set_aside,
        })
    }
}

/// The records of a previous build's load, indexed by file: [`crate::load_lean_reusing`] takes
/// from it the result of each file whose identity is unchanged.
#[derive(Debug, Default)]
pub struct Prior {
    bytes: Vec<u8>,
    /// Path → the identity recorded and where its record is in `bytes` (length prefix
    /// included, so that it can be copied whole into the next build's records). Keyed by the
    /// path's bytes, Fx-hashed: a `Path` hashes component by component (3 % of a rebuild's
    /// load in a profile, SipHash 2 % more); the load names every file the same way each time.
    records: rustc_hash::FxHashMap<std::ffi::OsString, (SourceId, std::ops::Range<usize>)>,
}

impl Prior {
    /// Indexes `bytes`, a sequence of records as [`frame`] writes them. A damaged record ends
    /// the sequence: the files it and those after it describe are parsed again.
    pub fn new(bytes: Vec<u8>) -> Prior {
        let mut records = rustc_hash::FxHashMap::default();
        let mut at = 0;
        while at < bytes.len() {
            let mut rest = &bytes[at..];
            let Some(len) = Reader(&mut rest)
                .u64()
                .and_then(|n| usize::try_from(n).ok())
            else {
                break;
            };
            let start = bytes.len() - rest.len();
            let Some(end) = start
                .checked_add(len)
                .and_then(|e| e.checked_add(CHECKSUM))
                .filter(|&e| e <= bytes.len())
            else {
                break;
            };
            let mut record = &bytes[start..end - CHECKSUM];
            let mut r = Reader(&mut record);
            let (Some(path), Some(ino), Some(flen), Some(mtime_ns), Some(ctime_ns)) =
                (r.path(), r.u64(), r.u64(), r.i128(), r.i128())
            else {
                break;
            };
            let id = SourceId {
                ino,
                len: flen,
                mtime_ns,
                ctime_ns,
            };
            records.insert(path.into_os_string(), (id, at..end));
            at = end;
        }
        Prior { bytes, records }
    }

    /// How many files the previous build recorded.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether it recorded none.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// What reading `path` gave the previous build, when its identity then was `id`: the
    /// result and the framed record (to copy into the next build's records as it is).
    pub fn take(&self, path: &Path, id: SourceId) -> Option<(FileResult, &[u8])> {
        let (recorded, range) = self.records.get(path.as_os_str())?;
        if *recorded != id {
            return None;
        }
        let framed = &self.bytes[range.clone()];
        let (record, sum) = framed.split_at(framed.len() - CHECKSUM);
        if checksum(&[record]).to_le_bytes() != sum {
            return None;
        }
        let mut rest = record;
        Reader(&mut rest).u64()?;
        let (decoded, result) = decode_file(&mut rest)?;
        (decoded == id && result.path.as_os_str() == path.as_os_str() && rest.is_empty())
            .then_some((result, framed))
    }
}

/// The framed record of one file read: the length of [`encode_file`]'s bytes, the bytes, and
/// a checksum of both (so that a damaged record is parsed again, never decoded into other
/// facts). `None` when the result cannot be stored (a cable with its telegram kept).
pub fn frame(result: &FileResult, id: SourceId) -> Option<Vec<u8>> {
    let mut body = Vec::with_capacity(256 + 512 * result.cables.len());
    if !encode_file(result, id, &mut body) {
        return None;
    }
    let mut framed = Vec::with_capacity(body.len() + 10 + CHECKSUM);
    Writer(&mut framed).u64(body.len() as u64);
    framed.extend_from_slice(&body);
    let sum = checksum(&[&framed]);
    framed.extend_from_slice(&sum.to_le_bytes());
    Some(framed)
}

/// Bytes of the checksum that ends a framed record.
const CHECKSUM: usize = 8;

/// A checksum of `sections`, each hashed on its own (with its length), so that a flipped byte
/// anywhere in a cached record or search run is caught before it is decoded. Not
/// cryptographic: it guards against damage, not against someone forging a cache. Shared by the
/// records of this module and the search index's run files.
pub fn checksum(sections: &[&[u8]]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    // Four lanes over consecutive 32-byte blocks, so that the four multiplications of a block
    // do not wait on each other (one lane did 8 bytes per multiplication's latency: a rebuild
    // checks 680 MB of runs), folded into one at the end of each section.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mix = |h: u64, v: u64| (h ^ v).wrapping_mul(K).rotate_left(29);
    for s in sections {
        h = mix(h, s.len() as u64);
        let mut lanes = [h, h ^ 1, h ^ 2, h ^ 3];
        let mut blocks = s.chunks_exact(32);
        for b in &mut blocks {
            for (j, lane) in lanes.iter_mut().enumerate() {
                let w = u64::from_le_bytes(b[8 * j..8 * j + 8].try_into().expect("8 bytes"));
                *lane = mix(*lane, w);
            }
        }
        h = lanes.iter().fold(h, |h, &lane| mix(h, lane));
        let mut words = blocks.remainder().chunks_exact(8);
        for w in &mut words {
            h = mix(h, u64::from_le_bytes(w.try_into().expect("8 bytes")));
        }
        let rest = words.remainder();
        let mut buf = [0u8; 8];
        buf[..rest.len()].copy_from_slice(rest);
        h = mix(h, u64::from_le_bytes(buf));
    }
    h ^ (h >> 31)
}

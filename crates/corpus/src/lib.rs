//! The corpus: every cable of a content folder, parsed in parallel and linked to each other.
//!
//! Two phases, each a plain function so the build can time them:
//! - [`load`] walks the folder, reads and parses every file in parallel, and keeps the problems;
//! - [`link`] orders the cables, gives each a page path, resolves references and computes the
//!   inverse ("cited by").
//!
//! Invariants that the rest of the program relies on:
//! - `Corpus::cables` is sorted by (created, id, source): previous/next by date are neighbours,
//!   and the order never depends on thread scheduling or hash-map order.
//! - Every page path is unique even on a case-insensitive disk, contains only `[A-Za-z0-9._/-]`,
//!   and stays inside the output folder whatever the identifier says.
//! - `cited_by` is exactly the inverse of the resolved references (each citing cable once).

pub mod facts;
pub mod progress;
pub mod sources;

use crate::progress::{Mode, Progress};
use crate::sources::{FileResult, SourceKind};
use archive_cable::gazetteer::Gazetteer;
use archive_cable::model::{Cable, CableId, DateTime, Problem};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A cable with what linking adds to it.
#[derive(Debug, Clone)]
pub struct LinkedCable {
    pub cable: Cable,
    /// The page path relative to the site root: `cable/2007/03/07PARIS1115.html`.
    pub page: String,
    /// For each of `cable.references`, the index in [`Corpus::cables`] of the cited cable when it
    /// is in the archive.
    pub resolved: Vec<Option<usize>>,
    /// Indices of the cables that cite this one, in corpus (date) order, each once.
    pub cited_by: Vec<usize>,
}

/// Every cable of an archive, linked. Built by [`load`] then [`link`], or by [`read`].
#[derive(Debug, Default)]
pub struct Corpus {
    /// Sorted by (created, id, source).
    pub cables: Vec<LinkedCable>,
    /// Identifier → index of the first (earliest) cable that carries it. Fx-hashed: the link
    /// looks up every reference of the archive here, and SipHash (this map's and the page-name
    /// sets') was 10 % of a rebuild's link phase in a profile at 251,287 cables; the map is
    /// never iterated, so its order cannot leak.
    pub by_id: FxHashMap<CableId, usize>,
    /// Everything wrong with the input, in file order: unreadable files, non-cables, warnings.
    pub problems: Vec<Problem>,
    /// How many files were looked at.
    pub files_read: usize,
    /// Each file, what it was read as, and how many cables it gave.
    pub sources: Vec<SourceSummary>,
    /// The gazetteer the cables were read with, to read a set-aside telegram again the same
    /// way ([`Corpus::full`]); the built-in one when `None`.
    pub gazetteer: Option<Arc<Gazetteer>>,
}

impl Corpus {
    /// The cable at `index` with its telegram: the cable itself when its body is in memory,
    /// else read again from its file ([`sources::reread`]), which fails, naming the file, if
    /// the file changed since it was loaded. The pages and the search index need each telegram
    /// once, so a build reads its cables lean ([`load_lean`]) and the text comes back here.
    pub fn full(&self, index: usize) -> Result<std::borrow::Cow<'_, Cable>, Problem> {
        let cable = &self.cables[index].cable;
        if cable.body_set_aside.is_none() {
            return Ok(std::borrow::Cow::Borrowed(cable));
        }
        let gazetteer = self.gazetteer.as_deref().unwrap_or(Gazetteer::builtin());
        sources::reread(cable, gazetteer).map(std::borrow::Cow::Owned)
    }

    /// The cable with this identifier, if the archive has it.
    pub fn get(&self, id: &CableId) -> Option<&LinkedCable> {
        self.by_id.get(id).map(|&i| &self.cables[i])
    }

    /// Counts of references that point at a cable in the archive and at one outside it (items
    /// that are not cables at all are not counted).
    pub fn reference_counts(&self) -> (usize, usize) {
        let mut resolved = 0;
        let mut unresolved = 0;
        for linked in &self.cables {
            for (reference, target) in linked.cable.references.iter().zip(&linked.resolved) {
                match (reference.id.is_some(), target.is_some()) {
                    (_, true) => resolved += 1,
                    (true, false) => unresolved += 1,
                    (false, false) => {}
                }
            }
        }
        (resolved, unresolved)
    }

    /// Station tokens that the gazetteer does not know, with how many identifiers (the cables'
    /// own and those their references name) carry each, most frequent first: what a site owner
    /// adds to `stations.toml` so origins and references read right.
    pub fn unknown_stations(&self, gazetteer: &Gazetteer) -> Vec<(String, usize)> {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for linked in &self.cables {
            let cable = &linked.cable;
            let ids = std::iter::once(&cable.id)
                .chain(cable.references.iter().filter_map(|r| r.id.as_ref()));
            for id in ids {
                if let Some(station) = id.station() {
                    if gazetteer.station(station).is_none() {
                        *counts.entry(station).or_default() += 1;
                    }
                }
            }
        }
        let mut list: Vec<(String, usize)> = counts
            .into_iter()
            .map(|(s, n)| (s.to_string(), n))
            .collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        list
    }

    /// The cables whose text gives no date, known only to the year of their identifier.
    pub fn year_only(&self) -> impl Iterator<Item = &LinkedCable> {
        self.cables
            .iter()
            .filter(|c| c.cable.precision == archive_cable::model::Precision::Year)
    }

    /// Number of problems that kept a file out of the archive.
    pub fn error_count(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == archive_cable::model::Severity::Error)
            .count()
    }
}

/// The output of [`load`]: parsed cables in file order, with the problems met.
#[derive(Debug, Default)]
pub struct Loaded {
    pub cables: Vec<Cable>,
    pub problems: Vec<Problem>,
    pub files_read: usize,
    /// Each file, what it was read as, and how many cables it gave, in file order.
    pub sources: Vec<SourceSummary>,
    /// The gazetteer the cables were read with, kept for [`Corpus::full`] (`None`: the
    /// built-in one).
    pub gazetteer: Option<Arc<Gazetteer>>,
    /// Of `files_read`, how many were not read but taken from a previous build's records
    /// ([`load_lean_reusing`]).
    pub files_reused: usize,
}

/// What one input file was read as (`archive check --verbose` lists these).
#[derive(Debug, Clone)]
pub struct SourceSummary {
    pub path: PathBuf,
    pub kind: SourceKind,
    pub cables: usize,
}

/// Where the cables of a content folder are: `DIR/cables` when it exists, else `DIR` itself, so
/// that `--content` accepts both a site's `content/` and a bare folder of cables.
pub fn cables_dir(content: &Path) -> PathBuf {
    let nested = content.join("cables");
    if nested.is_dir() {
        nested
    } else {
        content.to_path_buf()
    }
}

/// An entry's file name, as `walkdir`'s `sort_by_file_name` compares them: the bytes after
/// the path's last `/`. `Path::file_name` parses the path into components, and the sort calls
/// it twice per comparison: at 251,287 files that was 5 % of a rebuild's load in a profile, on
/// one core.
fn entry_name(entry: &walkdir::DirEntry) -> &std::ffi::OsStr {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = entry.path().as_os_str().as_bytes();
        let name = memchr::memrchr(b'/', bytes).map_or(bytes, |i| &bytes[i + 1..]);
        std::ffi::OsStr::from_bytes(name)
    }
    #[cfg(not(unix))]
    {
        entry.file_name()
    }
}

/// Lists the files under `dir`, recursively, sorted by path, skipping hidden files and folders
/// (`.git`, `.DS_Store`). Folders that cannot be read become problems, never a failure.
pub fn list_files(dir: &Path) -> (Vec<PathBuf>, Vec<Problem>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    // Links are followed only while they stay inside the folder: a content folder from elsewhere
    // could otherwise make the build read (and publish) `/etc`, or block on `/proc/kmsg`.
    let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let outside = std::cell::RefCell::new(Vec::new());
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by(|a, b| entry_name(a).cmp(entry_name(b)))
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            if e.file_name().to_string_lossy().starts_with('.') {
                return false;
            }
            match e.path_is_symlink().then(|| std::fs::canonicalize(e.path())) {
                Some(Ok(target)) if !target.starts_with(&root) => {
                    outside.borrow_mut().push(e.path().to_path_buf());
                    false
                }
                _ => true,
            }
        });
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => files.push(e.into_path()),
            Ok(e) if e.file_type().is_dir() => {}
            // A FIFO, socket or device: reading it could block the build for ever.
            Ok(e) => problems.push(Problem::warning(
                e.path(),
                None,
                "not a regular file (a pipe, socket or device): skipped",
            )),
            Err(err) => {
                let path = err.path().unwrap_or(dir).to_path_buf();
                problems.push(Problem::error(path, None, format!("cannot read: {err}")));
            }
        }
    }
    for path in outside.into_inner() {
        problems.push(Problem::warning(
            path,
            None,
            "a link to a place outside the content folder: skipped",
        ));
    }
    (files, problems)
}

/// Reads and parses every file under `dir` in parallel, whatever its kind (text, cablegate HTML
/// page, `cables.csv` dump: see [`crate::sources`]). Never fails as a whole: a file that cannot
/// be read or is not a cable becomes a problem and the others go on.
pub fn load(dir: &Path) -> Loaded {
    load_with_progress(dir, Mode::Silent)
}

/// Reading threads per core of the build's pool, and at least this many in all.
const READERS_PER_CORE: usize = 4;
const MIN_READERS: usize = 8;

/// [`load`], counting files read on a progress display (`archive build` on a terminal).
pub fn load_with_progress(dir: &Path, mode: Mode) -> Loaded {
    load_with(dir, mode, Gazetteer::builtin())
}

/// [`load_with_progress`] with a site's gazetteer (the built-in one extended by its
/// `stations.toml`), which names origins and the stations of REF items.
pub fn load_with(dir: &Path, mode: Mode, gazetteer: &Gazetteer) -> Loaded {
    load_files(dir, mode, gazetteer, crate::sources::read_file_with, None)
}

/// [`load_with`] for a build: each telegram is let go once parsed
/// ([`archive_cable::model::Cable::set_body_aside`]) and read again when its page is written
/// ([`Corpus::full`]), so memory holds every cable's facts (a few hundred bytes each) but never
/// the whole text of the archive.
pub fn load_lean(dir: &Path, mode: Mode, gazetteer: Arc<Gazetteer>) -> Loaded {
    let mut loaded = load_files(dir, mode, &gazetteer, crate::sources::read_file_lean, None);
    loaded.gazetteer = Some(gazetteer);
    loaded
}

/// [`load_lean`] that takes each file's result from `prior` (a previous build's records) when
/// the file's identity ([`facts::SourceId`]: inode, length, modification and change times) is
/// the one recorded, and reads and parses only the others. The records of this load, every
/// file's, are written to `record` in file order, for the next build. A failure to write them
/// loses nothing of the load: it is returned beside it, and the records written are incomplete
/// (the caller drops them).
pub fn load_lean_reusing(
    dir: &Path,
    mode: Mode,
    gazetteer: Arc<Gazetteer>,
    prior: &facts::Prior,
    record: &mut dyn std::io::Write,
) -> (Loaded, std::io::Result<()>) {
    let mut written = Ok(());
    let mut loaded = load_files(
        dir,
        mode,
        &gazetteer,
        crate::sources::read_file_lean,
        Some(Reuse {
            prior,
            record,
            written: &mut written,
        }),
    );
    loaded.gazetteer = Some(gazetteer);
    (loaded, written)
}

/// What [`load_files`] needs to take results from a previous build and record this one's.
struct Reuse<'a> {
    prior: &'a facts::Prior,
    record: &'a mut dyn std::io::Write,
    written: &'a mut std::io::Result<()>,
}

/// One file's result, and what the next build records of it.
enum Recorded<'a> {
    /// Not recorded (no records kept, or the file could not be looked at).
    Nothing,
    /// Taken from the previous build: its record, as it was.
    Reused(&'a [u8]),
    /// Read now: its new record (`None` when it cannot be stored).
    Read(Option<Vec<u8>>),
}

fn load_files(
    dir: &Path,
    mode: Mode,
    gazetteer: &Gazetteer,
    read: fn(&Path, &Gazetteer) -> FileResult,
    mut reuse: Option<Reuse<'_>>,
) -> Loaded {
    let (files, mut problems) = list_files(dir);
    if !dir.is_dir() {
        problems.push(Problem::error(
            dir,
            None,
            "no such folder: give the folder that holds the cables with --content",
        ));
    }
    let progress = Progress::new("read", files.len(), mode);
    let prior = reuse.as_ref().map(|r| r.prior);
    let read_all = |files: &[PathBuf]| -> Vec<(FileResult, Recorded<'_>)> {
        files
            .par_iter()
            .map(|path| {
                let result = match prior {
                    None => (read(path, gazetteer), Recorded::Nothing),
                    // The identity is taken before the file is read: a file that changes
                    // while it is read is recorded with its older identity, and read again
                    // by the next build.
                    Some(prior) => match std::fs::metadata(path) {
                        Ok(meta) => {
                            let id = facts::SourceId::of(&meta);
                            match prior.take(path, id) {
                                Some((result, framed)) => (result, Recorded::Reused(framed)),
                                None => {
                                    let result = read(path, gazetteer);
                                    let framed = facts::frame(&result, id);
                                    (result, Recorded::Read(framed))
                                }
                            }
                        }
                        Err(_) => (read(path, gazetteer), Recorded::Nothing),
                    },
                };
                progress.inc();
                result
            })
            .collect()
    };
    // More readers than cores: a file not in the page cache makes its thread wait on the disk,
    // and with one reader per core both cores would sit idle. Reading the 100,000-cable corpus
    // from a cold cache took 11.7 s with 2 readers (BENCHMARKS.md); parsing is CPU work, which
    // the extra threads only share.
    let readers = (rayon::current_num_threads() * READERS_PER_CORE).max(MIN_READERS);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(readers)
        .build()
        .ok();
    let mut cables = Vec::with_capacity(files.len());
    let mut sources = Vec::with_capacity(files.len());
    let mut files_reused = 0;
    // A batch of files at a time: each file's result (its cables, its new record) is moved
    // into the corpus and the cache's records once its batch is read, so the results of the
    // whole archive and the corpus made of them are never both held (at 1,000,000 files that
    // was a transient gigabyte at the end of the load, the build's peak).
    for batch in files.chunks(LOAD_BATCH) {
        let results = match &pool {
            Some(pool) => pool.install(|| read_all(batch)),
            None => read_all(batch),
        };
        take_results(
            results,
            &mut reuse,
            &mut cables,
            &mut sources,
            &mut problems,
            &mut files_reused,
        );
    }
    progress.finish();
    Loaded {
        cables,
        problems,
        files_read: files.len(),
        sources,
        gazetteer: None,
        files_reused,
    }
}

/// How many files [`load_files`] reads before it moves their results into the corpus. Each
/// batch ends waiting for its slowest file, so batches should not be small; a batch's results
/// are held twice while they are moved, so they should not be large. At 8,192 (31 batches for
/// 251,287 files) the load was no slower in the runs measured (BENCHMARKS.md, session 13).
const LOAD_BATCH: usize = 8192;

/// Moves one batch of [`load_files`]'s results into the corpus being loaded, and writes their
/// records (in file order) when the cache keeps them.
fn take_results(
    results: Vec<(FileResult, Recorded<'_>)>,
    reuse: &mut Option<Reuse<'_>>,
    cables: &mut Vec<Cable>,
    sources: &mut Vec<SourceSummary>,
    problems: &mut Vec<Problem>,
    files_reused: &mut usize,
) {
    for (result, recorded) in results {
        if let Some(reuse) = reuse {
            let bytes = match &recorded {
                Recorded::Nothing | Recorded::Read(None) => None,
                Recorded::Reused(framed) => {
                    *files_reused += 1;
                    Some(*framed)
                }
                Recorded::Read(Some(framed)) => Some(framed.as_slice()),
            };
            if let (Some(bytes), Ok(())) = (bytes, &*reuse.written) {
                *reuse.written = reuse.record.write_all(bytes);
            }
        }
        sources.push(SourceSummary {
            path: result.path,
            kind: result.kind,
            cables: result.cables.len(),
        });
        cables.extend(result.cables);
        problems.extend(result.problems);
    }
}

/// Orders the cables, gives each a unique safe page path, resolves references and computes
/// "cited by". Duplicate identifiers are kept (both pages exist) and reported.
pub fn link(loaded: Loaded) -> Corpus {
    let Loaded {
        cables,
        mut problems,
        files_read,
        sources,
        gazetteer,
        files_reused: _,
    } = loaded;
    let cables = sorted(cables);

    let mut by_id: FxHashMap<CableId, usize> =
        FxHashMap::with_capacity_and_hasher(cables.len(), Default::default());
    // Page paths compared case-insensitively: two pages that differ only in case would be one
    // file on macOS and Windows disks.
    let mut taken_pages: FxHashSet<String> =
        FxHashSet::with_capacity_and_hasher(cables.len(), Default::default());
    // Lowercased page base → (first cable that wanted it, next `-N` suffix to try). Remembering
    // the suffix keeps naming linear when thousands of cables share one identifier.
    let mut bases: FxHashMap<String, (usize, usize)> = FxHashMap::default();
    let mut pages = Vec::with_capacity(cables.len());
    for (index, cable) in cables.iter().enumerate() {
        let duplicate = by_id.get(&cable.id).copied();
        if let Some(first) = duplicate {
            problems.push(Problem::warning(
                cable.source.clone(),
                None,
                format!(
                    "duplicate identifier {}: also in {}; both are kept, this one on its own page",
                    cable.id,
                    cables[first].source.display()
                ),
            ));
        } else {
            by_id.insert(cable.id.clone(), index);
        }
        let base = page_base(cable);
        let mut page = format!("{base}.html");
        let (first, next) = bases.entry(base.to_ascii_lowercase()).or_insert((index, 2));
        if !taken_pages.insert(page.to_ascii_lowercase()) {
            loop {
                page = format!("{base}-{next}.html");
                *next += 1;
                if taken_pages.insert(page.to_ascii_lowercase()) {
                    break;
                }
            }
            // Exact duplicates are reported above; this is a different identifier whose file
            // name would be the same on a case-insensitive disk (or once made safe).
            if duplicate.is_none() {
                problems.push(Problem::warning(
                    cable.source.clone(),
                    None,
                    format!(
                        "identifier {:?} would share a file name with {:?} (in {}) once made safe or on a case-insensitive disk; its page is {page}",
                        cable.id.as_str(),
                        cables[*first].id.as_str(),
                        cables[*first].source.display()
                    ),
                ));
            }
        }
        if safe_stem(cable.id.as_str()) != cable.id.as_str() {
            problems.push(Problem::warning(
                cable.source.clone(),
                None,
                format!(
                    "identifier {:?} is not safe as a file name; its page is {page}",
                    cable.id.as_str()
                ),
            ));
        }
        page.shrink_to_fit();
        pages.push(page);
    }
    // The name sets hold a lowercased copy of every page path: let them go before the
    // references are resolved, as every page path and list is held from here to the build's end.
    drop(taken_pages);
    drop(bases);

    let resolved: Vec<Vec<Option<usize>>> = cables
        .par_iter()
        .map(|cable| {
            cable
                .references
                .iter()
                .map(|r| r.id.as_ref().and_then(|id| by_id.get(id).copied()))
                .collect()
        })
        .collect();

    let mut cited_by: Vec<Vec<usize>> = vec![Vec::new(); cables.len()];
    for (citing, targets) in resolved.iter().enumerate() {
        for &target in targets.iter().flatten() {
            // Citing cables are visited in order, so a repeat can only be the last one pushed.
            if cited_by[target].last() != Some(&citing) {
                cited_by[target].push(citing);
            }
        }
    }

    for list in &mut cited_by {
        list.shrink_to_fit();
    }
    let cables = cables
        .into_iter()
        .zip(pages)
        .zip(resolved)
        .zip(cited_by)
        .map(|(((cable, page), resolved), cited_by)| LinkedCable {
            cable,
            page,
            resolved,
            cited_by,
        })
        .collect();
    Corpus {
        cables,
        by_id,
        problems,
        files_read,
        sources,
        gazetteer,
    }
}

/// `cables` in the corpus order, by (created, id, source), ties in load order. Compact keys
/// are sorted, not the cables: a merge sort moves each element some twenty times (and wants a
/// buffer as large as the slice): moving cables of several hundred bytes was 9 % of a
/// rebuild's link phase in a profile, the comparisons 3 %. A key holds the date and the identifier's first 8 bytes, so
/// most comparisons end without reading a cable.
fn sorted(mut cables: Vec<Cable>) -> Vec<Cable> {
    let mut keys: Vec<(DateTime, u64, u32)> = cables
        .iter()
        .enumerate()
        .map(|(i, c)| (c.created, prefix_key(c.id.as_str().as_bytes()), i as u32))
        .collect();
    keys.par_sort_by(|a, b| {
        (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| {
            let (x, y) = (&cables[a.2 as usize], &cables[b.2 as usize]);
            (&x.id, &x.source).cmp(&(&y.id, &y.source))
        })
    });
    // The order applied in place, cycle by cycle (position `k` takes the cable at `order[k]`):
    // each cable moved once or twice, and no second array of every cable at the link's peak
    // (the merge sort's buffer was one: 20-30 MB of address space at 40,000 cables).
    let order: Vec<u32> = keys.into_iter().map(|(.., i)| i).collect();
    let mut placed = vec![false; cables.len()];
    for start in 0..cables.len() {
        if placed[start] {
            continue;
        }
        placed[start] = true;
        let mut k = start;
        while order[k] as usize != start {
            let next = order[k] as usize;
            cables.swap(k, next);
            k = next;
            placed[k] = true;
        }
    }
    cables
}

/// The first 8 bytes of `bytes` as a big-endian number (zero-padded): ordering by it, then by
/// the whole string, is ordering by the string, and most comparisons of a sort end at the
/// number. Used wherever many strings are sorted or merged: the cables by identifier here, the
/// terms of the search index.
pub fn prefix_key(bytes: &[u8]) -> u64 {
    let mut buf = [0u8; 8];
    let n = bytes.len().min(8);
    buf[..n].copy_from_slice(&bytes[..n]);
    u64::from_be_bytes(buf)
}

/// Loads and links a content folder: what `export`, `check` and `build` all start with.
pub fn read(content: &Path) -> Corpus {
    link(load(&cables_dir(content)))
}

/// Longest file-name stem we write for a cable page; real identifiers are under 30 characters.
const MAX_STEM: usize = 100;

/// `cable/YYYY/MM/<safe id>` for a cable, without the `.html`.
fn page_base(cable: &Cable) -> String {
    format!(
        "cable/{:04}/{:02}/{}",
        cable.created.year,
        cable.created.month,
        safe_stem(cable.id.as_str())
    )
}

/// Names Windows reserves for devices, whatever the extension (`CON.html` cannot be created or
/// checked out there).
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// A file-name stem from any identifier: ASCII letters, digits and `-` kept, everything else
/// (`/`, `.`, NUL, spaces, non-ASCII) becomes `_`, and the length is capped. An empty result
/// becomes `_`, so `..` or `` can never name a folder; a Windows device name (`COM1`, `con`)
/// gets a `_` after it.
pub fn safe_stem(id: &str) -> String {
    let mut stem: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(MAX_STEM)
        .collect();
    if stem.is_empty() || is_device_name(&stem) {
        stem.push('_');
    }
    stem
}

/// Whether `stem` is a name Windows reserves for a device (`CON`, `com1`, …).
pub fn is_device_name(stem: &str) -> bool {
    RESERVED.iter().any(|r| stem.eq_ignore_ascii_case(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_safe() {
        assert_eq!(safe_stem("07PARIS1115"), "07PARIS1115");
        assert_eq!(safe_stem("../../etc/x"), "______etc_x");
        assert_eq!(safe_stem(""), "_");
        assert_eq!(safe_stem("a\0b"), "a_b");
        assert_eq!(safe_stem(&"X".repeat(500)).len(), MAX_STEM);
        assert_eq!(safe_stem("COM1"), "COM1_");
        assert_eq!(safe_stem("con"), "con_");
        assert_eq!(safe_stem("CONSUL"), "CONSUL");
    }
}

//! The build cache: what `archive build` keeps beside its output so that the next build redoes
//! only what changed, and still writes, byte for byte, what a full build would.
//!
//! It lives in `.<output name>.cache/` beside the output folder (never inside it: the output is
//! what gets published) and holds:
//!
//! - `pages`: one line per file a cable's page wrote (the page, and its raw text with
//!   `raw_text`): the page's *fingerprint* (a hash of everything the page is made of: the
//!   site's settings, theme and binary, the cable's facts as loaded (its file's path and the
//!   digest of its text among them: [`BuildCache::cable_fingerprints`]), and the page's
//!   neighbourhood, [`crate::cable_page::neighbourhood_hash`]), and
//!   what the file in the output was when written (inode, length, modification time);
//! - `runs/`: the search index's analysis of each chunk of cables, named by a hash of the
//!   chunk's cables' fingerprints ([`archive_search::RunCache`]), each naming its cables by
//!   their fingerprints, so that a changed chunk takes its unchanged cables' words from the
//!   runs that hold them ([`archive_search::Indexer::pieces`]). Cables' fingerprints are
//!   taken under the *search key*, which leaves out the theme and the Markdown pages (the
//!   index reads neither), so a change of the theme renders every page but keeps every run;
//! - `search`: a manifest like `pages` (under the search key) of each file of `search/` as
//!   written (inode, length, time), with the key of the whole index (every chunk's key, in
//!   order) as each one's fingerprint: when the next build's chunks have the same
//!   keys and the files are still those, the index is hard-linked from the output whole
//!   ([`BuildCache::link_index`]) instead of merged again (the merge was most of a rebuild
//!   that changes no cable: 6.3–6.6 s of 10.2–10.7 s at 251,287, measured in session 16);
//! - `files`: what loading each input file gave (its cables' facts and its problems,
//!   [`archive_corpus::facts`]) with the file's identity then (inode, length, modification and
//!   change times), under a key of what parsing depends on (this program and `stations.toml`):
//!   [`BuildCache::load`] parses again only the files whose identity changed;
//! - `spare/` and `spare.pages`: the output before the live one, pruned to the cable pages
//!   its manifest lists (most of them hard links to the live output's files), and that
//!   manifest. The next build builds in it ([`crate::output::Staging::adopt`]): a page still
//!   the recorded file with the same fingerprint stays ([`BuildCache::keep`]), every other path
//!   is removed before it is written, so that no file shared with the live site is written
//!   through.
//!
//! A cable page whose fingerprint is unchanged, and whose file in the live output is still the
//! one recorded, is hard-linked from the output into the staging folder instead of being read
//! and rendered again; a chunk whose run is in the cache is not analysed again, and of a chunk
//! whose run is not, only the cables no previous run holds; an index whose every chunk is
//! unchanged is linked, not merged. Everything else of a build (loading and linking every
//! cable, the listings, the merge of an index that changed, the swap into place) runs as in a
//! full build, so the guarantees are the same: the site is swapped in whole, and the bytes are
//! those of a full build of the same input.
//!
//! The cache is self-checking rather than trusted: a manifest written by another version of the
//! program, or for other settings, is ignored whole; a page whose output file was touched since
//! (by `archive serve`, which rewrites pages in place, by a build without the cache, or by
//! hand) no longer matches its recorded inode and time, and is rendered again. The new
//! generation is written as `.<name>.cache.tmp-<pid>` and renamed into place only after the
//! output was swapped in, so an interrupted build leaves the previous cache, whose entries still
//! describe the files they name.

use crate::config::Config;
use crate::output::Output;
use crate::BuildError;
use archive_cable::gazetteer::Gazetteer;
use archive_cable::model::Problem;
use archive_corpus::facts::Prior;
use archive_corpus::progress::Mode;
use archive_corpus::{self as corpus, Corpus, Loaded};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The version of what the cache stores and how fingerprints are made: bump it whenever either
/// changes, and every cache written before is ignored.
pub const FORMAT: u32 = 5;

/// The manifest of the pages, in the cache folder.
const MANIFEST: &str = "pages";
/// The search index's runs, in the cache folder.
const RUNS: &str = "runs";
/// The records of the load, in the cache folder.
const FILES: &str = "files";
/// The spare generation: the output before the live one, its cable pages only.
const SPARE: &str = "spare";
/// The record of the search index: a manifest (under the search key) of every file of it as
/// written, each with the index's key as its fingerprint.
const INDEX: &str = "search";
/// The manifest of the spare generation's pages.
const SPARE_MANIFEST: &str = "spare.pages";

/// What a file of the output was when a build wrote it: enough to tell that it is still the
/// same file (an edit in place changes the time, a replacement the inode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileId {
    /// The inode number (0 where the platform has none).
    pub ino: u64,
    /// Length in bytes.
    pub len: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: i128,
}

impl FileId {
    /// The identity of the file `meta` describes.
    pub fn of(meta: &std::fs::Metadata) -> FileId {
        #[cfg(unix)]
        let ino = std::os::unix::fs::MetadataExt::ino(meta);
        #[cfg(not(unix))]
        let ino = 0;
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(-1, |d| d.as_nanos() as i128);
        FileId {
            ino,
            len: meta.len(),
            mtime_ns,
        }
    }
}

/// One manifest entry: a file of a cable page, what it was made of and what it was on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// The page's fingerprint ([`BuildCache::page_fingerprint`]).
    pub fingerprint: u64,
    /// The file as written.
    pub file: FileId,
}

/// The cache of one build: the previous generation's manifest, read, and the folder of the
/// generation this build writes (removed on drop unless [`BuildCache::commit`] put it in place).
#[derive(Debug)]
pub struct BuildCache {
    /// Where the cache lives: `.<name>.cache` beside the output.
    dir: PathBuf,
    /// The generation this build writes: `.<name>.cache.tmp-<pid>`.
    next: PathBuf,
    /// The live output folder, which unchanged pages are linked from.
    output: PathBuf,
    /// Everything a page depends on besides its cables: settings, theme, binary.
    site_key: u128,
    /// Everything the search index depends on besides its cables: the site key without the
    /// theme and the Markdown pages, which the index never reads ([`search_key`]).
    search_key: u128,
    /// Everything parsing a file depends on besides its bytes: binary, gazetteer.
    parse_key: u128,
    /// Whether pages publish their cable's file as it is (`raw_text`).
    raw_text: bool,
    /// The previous manifest (empty when there was none or it was for another site key).
    previous: FxHashMap<Box<str>, Stamp>,
    /// The spare generation's manifest (empty when there is no spare, or it was for another
    /// site key).
    spare: FxHashMap<Box<str>, Stamp>,
    /// Cleared at the first hard link the file system refuses (FAT32 has none): the rest of the
    /// build renders, without trying a link per page.
    links: AtomicBool,
    committed: bool,
}

impl BuildCache {
    /// Opens the cache of the output folder of `config`: removes generations that interrupted
    /// builds left, reads the previous manifest and makes the folder of the next one.
    pub fn open(config: &Config) -> Result<BuildCache, BuildError> {
        let (parent, name) = crate::output::parent_and_name(&config.output_dir);
        let dir = parent.join(format!(".{name}.cache"));
        clean_stale(&parent, &name);
        let next = parent.join(format!(".{name}.cache.tmp-{}", std::process::id()));
        if next.exists() {
            std::fs::remove_dir_all(&next).map_err(BuildError::io_at(&next))?;
        }
        let runs = next.join(RUNS);
        std::fs::create_dir_all(&runs).map_err(BuildError::io_at(&runs))?;
        let site_key = site_key_of(config, true)?;
        let search_key = site_key_of(config, false)?;
        let parse_key = parse_key(config)?;
        let previous = read_manifest(&dir.join(MANIFEST), site_key).unwrap_or_default();
        let spare = match dir.join(SPARE).is_dir() {
            true => read_manifest(&dir.join(SPARE_MANIFEST), site_key).unwrap_or_default(),
            false => FxHashMap::default(),
        };
        Ok(BuildCache {
            dir,
            next,
            output: config.output_dir.clone(),
            site_key,
            search_key,
            parse_key,
            raw_text: config.raw_text,
            previous,
            spare,
            links: AtomicBool::new(true),
            committed: false,
        })
    }

    /// The `load` phase through the cache: the cables of `dir` as [`archive_corpus::load_lean`]
    /// gives them, parsing only the files that changed since the previous build (by their
    /// identity: [`archive_corpus::facts::SourceId`]) and taking the others' results from its
    /// records; this build's records go into the new generation. A failure to write them is
    /// the warning returned (the next build then parses every file).
    pub fn load(
        &self,
        dir: &Path,
        mode: Mode,
        gazetteer: Arc<Gazetteer>,
    ) -> (Loaded, Option<Problem>) {
        let header = files_header(self.parse_key);
        let prior = std::fs::read(self.dir.join(FILES))
            .ok()
            .and_then(|mut bytes| {
                bytes.starts_with(header.as_bytes()).then(|| {
                    bytes.drain(..header.len());
                    bytes
                })
            })
            .map(Prior::new)
            .unwrap_or_default();
        let path = self.next.join(FILES);
        let file = std::fs::File::create(&path);
        let mut record = file.map(|f| std::io::BufWriter::with_capacity(1 << 20, f));
        let (loaded, written) = match &mut record {
            Ok(writer) => {
                let (loaded, written) = match writer.write_all(header.as_bytes()) {
                    Ok(()) => corpus::load_lean_reusing(dir, mode, gazetteer, &prior, writer),
                    Err(e) => (corpus::load_lean(dir, mode, gazetteer), Err(e)),
                };
                (loaded, written.and_then(|()| writer.flush()))
            }
            Err(e) => {
                let e = std::io::Error::new(e.kind(), e.to_string());
                (corpus::load_lean(dir, mode, gazetteer), Err(e))
            }
        };
        drop(record);
        let problem = written.err().map(|e| {
            let _ = std::fs::remove_file(&path);
            Problem::warning(
                &path,
                None,
                format!("build cache: the parsed files not saved ({e}); the next build parses every file"),
            )
        });
        (loaded, problem)
    }

    /// The spare generation to build in ([`crate::output::Staging::adopt`]), when there is one
    /// this build can use: the output before the live one, pruned to its cable pages, most of
    /// them hard links shared with the live output. Building in it replaces the pages that
    /// changed instead of linking 250,000 unchanged ones again, and the swap leaves nothing to
    /// delete but the files that are not cable pages.
    pub fn spare(&self) -> Option<PathBuf> {
        (!self.spare.is_empty()).then(|| self.dir.join(SPARE))
    }

    /// The folder the cache lives in (for messages and tests).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the search index reads the previous runs from and writes this build's.
    pub fn runs(&self) -> archive_search::RunCache {
        let from = self.dir.join(RUNS);
        archive_search::RunCache {
            from: from.is_dir().then_some(from),
            to: self.next.join(RUNS),
        }
    }

    /// The fingerprint of each cable of `corpus`, in corpus order, under the search key (the
    /// theme does not change it; a page's fingerprint adds the site key): its
    /// facts as loaded ([`archive_corpus::facts::facts_bytes`]: every field, its file and its
    /// place in it, and the digest of its telegram), which is everything its page and its
    /// words are made of, so that a file rewritten with the same text reuses its page, and an
    /// edit to one row of a `cables.csv` renders that row's page only. With `raw_text`, a page
    /// of a text file also publishes the file's bytes as they are, which the facts do not
    /// describe (white space the parser drops): the file's identity is added for those, and
    /// `None` given when the file cannot be looked at any more (that cable is read again,
    /// which reports it).
    pub fn cable_fingerprints(&self, corpus: &Corpus) -> Vec<Option<u64>> {
        thread_local! {
            static BYTES: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        corpus
            .cables
            .par_iter()
            .map(|linked| {
                let cable = &linked.cable;
                let mut h = self.search_hasher("cable");
                BYTES.with(|bytes| {
                    let mut bytes = bytes.borrow_mut();
                    bytes.clear();
                    corpus::facts::facts_bytes(cable, &mut bytes);
                    bytes.hash(&mut h);
                });
                if cable.body_set_aside.is_none() {
                    cable.body_digest().hash(&mut h);
                }
                if self.raw_text && crate::is_single_text_source(&cable.source) {
                    let file = FileId::of(&std::fs::metadata(&cable.source).ok()?);
                    (file.ino, file.len, file.mtime_ns).hash(&mut h);
                }
                Some(h.finish())
            })
            .collect()
    }

    /// The fingerprint of a cable page: its cable's fingerprint and its neighbourhood.
    pub fn page_fingerprint(&self, cable: u64, neighbourhood: u64) -> u64 {
        let mut h = self.hasher("page");
        (cable, neighbourhood).hash(&mut h);
        h.finish()
    }

    /// The key of a search chunk's run: its cables' fingerprints, in order.
    pub fn chunk_key(&self, cables: &[u64]) -> u128 {
        let mut a = self.search_hasher("chunk a");
        let mut b = self.search_hasher("chunk b");
        cables.hash(&mut a);
        cables.hash(&mut b);
        (u128::from(a.finish()) << 64) | u128::from(b.finish())
    }

    /// The key of the whole search index: every chunk's key ([`BuildCache::chunk_key`]), in
    /// order. The chunks' keys cover every cable's facts and text, in order, under the search
    /// key, and those are all the index is made of (its documents' display data, their order
    /// and page paths included), so an index recorded with the same key is the one a full
    /// build would write.
    pub fn index_key(&self, chunks: &[u128]) -> u64 {
        let mut h = self.search_hasher("index");
        chunks.hash(&mut h);
        h.finish()
    }

    /// Hard-links the previous build's search index from the live output into `out`'s
    /// `search/` (which holds no file yet) when the previous build recorded it with `key` and
    /// every file of it is still the one recorded (inode, length, time), and returns `true`.
    /// Otherwise, or when a link fails, nothing is left linked and the index is merged again:
    /// `false`. The caller writes nothing under `search/` after a `true`, so no file shared
    /// with the live output is written through.
    pub fn link_index(&self, out: &Output, key: u64) -> Result<bool, BuildError> {
        if !self.links.load(Ordering::Relaxed) {
            return Ok(false);
        }
        // A manifest of the index's files under the search key, each with the index key.
        let Some(record) = read_manifest(&self.dir.join(INDEX), self.search_key) else {
            return Ok(false);
        };
        let files: Vec<&str> = record.keys().map(|p| &**p).collect();
        if files.is_empty() || !files.iter().all(|p| p.starts_with("search/")) {
            return Ok(false);
        }
        if still_recorded(&record, &self.output, &files, key).is_none() {
            return Ok(false);
        }
        for dir in folders_of(&files) {
            let dir = out.path(dir)?;
            std::fs::create_dir_all(&dir).map_err(BuildError::io_at(&dir))?;
        }
        let linked = files.par_iter().try_for_each(|path| {
            let to = out
                .path(path)
                .map_err(|e| std::io::Error::other(e.to_string()))?;
            std::fs::hard_link(self.output.join(path), to)
        });
        if let Err(e) = linked {
            for path in &files {
                if let Ok(to) = out.path(path) {
                    let _ = std::fs::remove_file(to);
                }
            }
            if e.kind() != std::io::ErrorKind::NotFound {
                self.links.store(false, Ordering::Relaxed);
            }
            return Ok(false);
        }
        Ok(true)
    }

    /// Records the search index in `out`'s `search/` under `key` in this build's generation,
    /// for the next build's [`BuildCache::link_index`]. A record that cannot be written is the
    /// warning returned: the next build merges the index again.
    pub fn record_index(&self, out: &Output, key: u64) -> Option<Problem> {
        let path = self.next.join(INDEX);
        let record = || -> std::io::Result<()> {
            let root = out.root();
            let mut files = Vec::new();
            for entry in walkdir::WalkDir::new(root.join("search")).sort_by_file_name() {
                let entry = entry.map_err(std::io::Error::other)?;
                if entry.file_type().is_file() {
                    let meta = entry.metadata().map_err(std::io::Error::other)?;
                    let rel = entry
                        .path()
                        .strip_prefix(root)
                        .map_err(std::io::Error::other)?;
                    let rel = rel
                        .to_str()
                        .ok_or_else(|| std::io::Error::other("a path that is not UTF-8"))?;
                    let stamp = Stamp {
                        fingerprint: key,
                        file: FileId::of(&meta),
                    };
                    files.push((rel.replace(std::path::MAIN_SEPARATOR, "/"), stamp));
                }
            }
            std::fs::write(&path, manifest_text(self.search_key, &files))
        };
        record().err().map(|e| {
            let _ = std::fs::remove_file(&path);
            Problem::warning(
                &path,
                None,
                format!("build cache: the search index not recorded ({e}); the next build merges it again"),
            )
        })
    }

    /// Hard-links the files of a cable page (`paths`) from the live output into `out`, when the
    /// previous build recorded each with `fingerprint` and each is still the file it recorded.
    /// Returns their stamps, or `None` (nothing linked) when the page must be rendered.
    pub fn link(
        &self,
        out: &Output,
        paths: &[&str],
        fingerprint: u64,
    ) -> Result<Option<Vec<Stamp>>, BuildError> {
        if out.is_replacing() {
            if let Some(kept) = self.keep(out, paths, fingerprint)? {
                return Ok(Some(kept));
            }
        }
        if !self.links.load(Ordering::Relaxed) {
            return Ok(None);
        }
        let Some(stamps) = still_recorded(&self.previous, &self.output, paths, fingerprint) else {
            return Ok(None);
        };
        for (k, path) in paths.iter().enumerate() {
            if let Err(e) = out.hard_link(&self.output.join(path), path, stamps[k].file.len) {
                // Never leave a link behind: the page is written next, and writing through a
                // link would change the live output's file.
                for done in &paths[..k] {
                    out.unlink(done)?;
                }
                if e.kind() != std::io::ErrorKind::NotFound {
                    self.links.store(false, Ordering::Relaxed);
                }
                return Ok(None);
            }
        }
        Ok(Some(stamps))
    }

    /// The files of a cable page already in the staging folder, when it was made from the spare
    /// generation ([`Output::replacing`]) and the spare recorded each with `fingerprint` and each
    /// is still the file it recorded: kept as they are (and counted). Returns their stamps.
    fn keep(
        &self,
        out: &Output,
        paths: &[&str],
        fingerprint: u64,
    ) -> Result<Option<Vec<Stamp>>, BuildError> {
        let Some(stamps) = still_recorded(&self.spare, out.root(), paths, fingerprint) else {
            return Ok(None);
        };
        for stamp in &stamps {
            out.keep(stamp.file.len);
        }
        Ok(Some(stamps))
    }

    /// Removes from a staging folder made from the spare generation the pages that this build
    /// does not write (`wanted`: every file of every cable page of this build), and the folders
    /// they leave empty. Called after the cable pages and before anything else is written, so
    /// that nothing of this build is removed.
    pub fn remove_unwanted_spare_pages(
        &self,
        out: &Output,
        wanted: &std::collections::HashSet<String>,
    ) -> Result<(), BuildError> {
        let gone: Vec<&str> = self
            .spare
            .keys()
            .map(|p| &**p)
            .filter(|p| !wanted.contains(*p))
            .collect();
        gone.par_iter()
            .try_for_each(|path| out.remove_if_present(path))?;
        let dirs = folders_of(&gone);
        // Deepest first; a folder still holding files stays.
        for dir in dirs.iter().rev() {
            let mut dir = *dir;
            loop {
                if std::fs::remove_dir(out.path(dir)?).is_err() {
                    break;
                }
                match dir.rsplit_once('/') {
                    Some((parent, _)) => dir = parent,
                    None => break,
                }
            }
        }
        Ok(())
    }

    /// Writes this build's manifest (`entries`: every file of every cable page) and puts this
    /// generation in place of the previous one. Called once the output was swapped in, with the
    /// previous output (`old`, if there was one): it becomes the spare generation, pruned to the
    /// cable pages its manifest lists, or is deleted when there is no manifest of it. Returns
    /// the warning of an old output that could not be deleted.
    pub fn commit(
        self,
        entries: Vec<(String, Stamp)>,
        old: Option<PathBuf>,
    ) -> (Result<(), BuildError>, Option<Problem>) {
        let mut old = old;
        let result = self.commit_keeping(entries, &mut old);
        let problem = old.and_then(|old| crate::output::remove_old(&old));
        (result, problem)
    }

    /// [`BuildCache::commit`]; takes `old` when it became the spare.
    fn commit_keeping(
        mut self,
        mut entries: Vec<(String, Stamp)>,
        old: &mut Option<PathBuf>,
    ) -> Result<(), BuildError> {
        entries.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let text = manifest_text(self.site_key, &entries);
        let manifest = self.next.join(MANIFEST);
        std::fs::write(&manifest, text).map_err(BuildError::io_at(&manifest))?;
        if let (Some(folder), false) = (old.as_ref(), self.previous.is_empty()) {
            // The previous output becomes the spare: its pages stay (the live output shares
            // most of their files), everything else goes. Its manifest is the previous one.
            prune_to(folder, &self.previous).map_err(BuildError::io_at(folder))?;
            let spare_manifest = self.next.join(SPARE_MANIFEST);
            let previous = self.dir.join(MANIFEST);
            std::fs::rename(&previous, &spare_manifest).map_err(BuildError::io_at(&previous))?;
            let spare = self.next.join(SPARE);
            std::fs::rename(folder, &spare).map_err(BuildError::io_at(&spare))?;
            *old = None;
        }
        if self.dir.exists() {
            crate::output::remove_tree(&self.dir).map_err(BuildError::io_at(&self.dir))?;
        }
        std::fs::rename(&self.next, &self.dir).map_err(BuildError::io_at(&self.dir))?;
        self.committed = true;
        Ok(())
    }

    /// A hasher under the site key, for one purpose: what a page is made of.
    fn hasher(&self, purpose: &str) -> std::hash::DefaultHasher {
        keyed_hasher(self.site_key, purpose)
    }

    /// A hasher under the search key, for one purpose: what the search index is made of.
    fn search_hasher(&self, purpose: &str) -> std::hash::DefaultHasher {
        keyed_hasher(self.search_key, purpose)
    }
}

impl Drop for BuildCache {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.next);
        }
    }
}

/// The stamps of a page's files (`paths`, under `root`) when `manifest` recorded each with
/// `fingerprint` and each is still the file it recorded (inode, length, time); `None` otherwise.
fn still_recorded(
    manifest: &FxHashMap<Box<str>, Stamp>,
    root: &Path,
    paths: &[&str],
    fingerprint: u64,
) -> Option<Vec<Stamp>> {
    paths
        .iter()
        .map(|path| {
            let stamp = *manifest.get(*path)?;
            if stamp.fingerprint != fingerprint {
                return None;
            }
            let meta = std::fs::symlink_metadata(root.join(path)).ok()?;
            (meta.is_file() && FileId::of(&meta) == stamp.file).then_some(stamp)
        })
        .collect()
}

/// A hasher seeded with `key` and `purpose`, so that no two uses of one key share hashes.
fn keyed_hasher(key: u128, purpose: &str) -> std::hash::DefaultHasher {
    let mut h = std::hash::DefaultHasher::new();
    (key, purpose).hash(&mut h);
    h
}

/// The folders holding the site paths `paths` (each path's part before its last `/`), sorted,
/// each once: parents before their children.
fn folders_of<'a>(paths: &[&'a str]) -> Vec<&'a str> {
    let mut dirs: Vec<&str> = paths
        .iter()
        .filter_map(|p| p.rsplit_once('/').map(|(dir, _)| dir))
        .collect();
    dirs.sort_unstable();
    dirs.dedup();
    dirs
}

/// Removes from `folder` every file that `keep` (a manifest of paths relative to it) does not
/// list, then the folders left empty.
fn prune_to(folder: &Path, keep: &FxHashMap<Box<str>, Stamp>) -> std::io::Result<()> {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(folder).min_depth(1) {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_dir() {
            dirs.push(entry.into_path());
            continue;
        }
        let listed = entry
            .path()
            .strip_prefix(folder)
            .ok()
            .and_then(|p| p.to_str())
            .is_some_and(|p| keep.contains_key(p));
        if !listed {
            files.push(entry.into_path());
        }
    }
    crate::output::remove_files(&files)?;
    for dir in dirs.iter().rev() {
        let _ = std::fs::remove_dir(dir);
    }
    Ok(())
}

/// Removes the generations (`.<name>.cache.tmp-<pid>`) of builds that are no longer running.
fn clean_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{name}.cache.tmp-");
    let me = std::process::id();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file
            .strip_prefix(&prefix)
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != me && !crate::output::is_running(pid, &entry.path()) {
            let _ = crate::output::remove_tree(&entry.path());
        }
    }
}

/// The first line of the load's records: what wrote them, for which parse key.
fn files_header(parse_key: u128) -> String {
    format!("archive parsed files {FORMAT} {parse_key:032x}\n")
}

/// What parsing a file depends on besides its bytes and path: the cache format, this program
/// (its version and its binary's identity) and the site's `stations.toml` (the gazetteer names
/// origins and REF stations). Not the settings or the theme: changing those renders every page
/// again, but parses no file again.
fn parse_key(config: &Config) -> Result<u128, BuildError> {
    let mut a = std::hash::DefaultHasher::new();
    ("parse", FORMAT, env!("CARGO_PKG_VERSION")).hash(&mut a);
    binary_identity().hash(&mut a);
    let path = crate::site_dir(config).join("stations.toml");
    match std::fs::read(&path) {
        Ok(bytes) => bytes.hash(&mut a),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => "absent".hash(&mut a),
        Err(e) => return Err(BuildError::io_at(&path)(e)),
    }
    let first = a.finish();
    first.hash(&mut a);
    Ok((u128::from(first) << 64) | u128::from(a.finish()))
}

/// This program's binary: inode, length and modification time (a new build of the program is
/// a new file).
fn binary_identity() -> Option<(u64, u64, i128)> {
    let meta = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    let id = FileId::of(&meta);
    Some((id.ino, id.len, id.mtime_ns))
}

/// A manifest's text: its first line ([`header`]) for `key`, then one line per file: the
/// fingerprint, inode, length, time and path of its stamp (`entries` in the order given).
fn manifest_text(key: u128, entries: &[(String, Stamp)]) -> String {
    use std::fmt::Write;
    let mut text = String::with_capacity(entries.len() * 80 + 64);
    text.push_str(&header(key));
    for (path, stamp) in entries {
        let _ = writeln!(
            text,
            "{:016x} {} {} {} {path}",
            stamp.fingerprint, stamp.file.ino, stamp.file.len, stamp.file.mtime_ns
        );
    }
    text
}

/// The manifest's first line: what wrote it, for which site key.
fn header(site_key: u128) -> String {
    format!("archive build cache {FORMAT} {site_key:032x}\n")
}

/// The previous manifest, when it is there, readable, and for this format and site key.
fn read_manifest(path: &Path, site_key: u128) -> Option<FxHashMap<Box<str>, Stamp>> {
    let text = std::fs::read_to_string(path).ok()?;
    let rest = text.strip_prefix(&header(site_key))?;
    let mut map = FxHashMap::with_capacity_and_hasher(rest.len() / 80, Default::default());
    for line in rest.lines() {
        let mut parts = line.splitn(5, ' ');
        let fingerprint = u64::from_str_radix(parts.next()?, 16).ok()?;
        let ino = parts.next()?.parse().ok()?;
        let len = parts.next()?.parse().ok()?;
        let mtime_ns = parts.next()?.parse().ok()?;
        let path = parts.next()?;
        map.insert(
            path.into(),
            Stamp {
                fingerprint,
                file: FileId { ino, len, mtime_ns },
            },
        );
    }
    Some(map)
}

/// Everything a page depends on besides its cables (with `theme`, the site key): the cache
/// format, this program (its version and its binary's identity), the settings (`site.toml` as
/// read) and every file of the site that the build reads besides the cables (the theme's
/// `templates/` and `assets/`, `tags.toml`, `stations.toml`, the Markdown pages). Without
/// `theme`, the search key: the same but for `templates/`, `assets/` and the Markdown pages,
/// which the search index does not read (it is made of the cables' facts and words, in
/// `archive_search`, and `assets/search.js` is copied with the other assets, not part of
/// it), so that a change of the theme or of a page renders every page again but analyses
/// and merges no cable's words again.
fn site_key_of(config: &Config, theme: bool) -> Result<u128, BuildError> {
    let mut a = std::hash::DefaultHasher::new();
    FORMAT.hash(&mut a);
    theme.hash(&mut a);
    env!("CARGO_PKG_VERSION").hash(&mut a);
    if let Some(id) = binary_identity() {
        id.hash(&mut a);
    }
    format!("{config:?}").hash(&mut a);
    let site = crate::site_dir(config);
    for file in ["tags.toml", "stations.toml"] {
        let path = site.join(file);
        match std::fs::read(&path) {
            Ok(bytes) => (file, bytes).hash(&mut a),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (file, "absent").hash(&mut a),
            Err(e) => return Err(BuildError::io_at(&path)(e)),
        }
    }
    let theme_folders = match theme {
        true => vec![
            site.join("templates"),
            site.join("assets"),
            config.content_dir.join("pages"),
        ],
        false => Vec::new(),
    };
    for folder in theme_folders {
        folder.hash(&mut a);
        if !folder.is_dir() {
            continue;
        }
        let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&folder)
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect();
        files.sort();
        for path in files {
            let bytes = std::fs::read(&path).map_err(BuildError::io_at(&path))?;
            (&path, bytes).hash(&mut a);
        }
    }
    let first = a.finish();
    first.hash(&mut a);
    Ok((u128::from(first) << 64) | u128::from(a.finish()))
}

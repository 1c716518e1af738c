//! Client-side full-text search: the index the browser searches without a server.
//!
//! The browser cannot run a database and, opened from `file://`, cannot even `fetch` a file: it
//! can only load scripts. So the build writes the index as many small scripts under
//! `search/`, and `assets/search.js` loads only the few a query needs (see [`shards`] for the
//! files and [`encode`] for the bytes). Terms are made by elasticlunr's English pipeline
//! ([`tokenize`]), and the page runs the very same pipeline (vendored elasticlunr.js) on the
//! query, so both sides agree on every stem and stop word.
//!
//! Why not elasticlunr's own JSON index: at 251,287 cables it would hold ~110 M (term, document)
//! pairs at 20+ bytes each, over 2 GB, and the browser would have to load all of it. Here a pair
//! costs about 2–3 bytes, the dictionary is split in shards by term, display data in shards of
//! [`shards::DOC_SHARD`] documents, and the text of the cables is not stored at all (only a
//! short snippet per cable).
//!
//! The build runs in three parallel phases: [`analyze`] (each chunk of consecutive documents →
//! its own small inverted index), [`postings`] (blocks of the sorted vocabulary → merged,
//! weighted, compressed lists) and [`shards`] (→ files). Output is byte-identical across runs:
//! nothing depends on thread timing or hash-map order.

pub mod analyze;
pub mod compose;
pub mod encode;
pub mod postings;
pub mod shards;
pub mod spill;
pub mod tokenize;

use archive_cable::model::Classification;
use archive_corpus::{Corpus, LinkedCable};
use rayon::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Version of the file format, checked by `assets/search.js`.
pub const FORMAT_VERSION: u32 = 2;

/// Vocabulary terms per parallel task of the merge phase.
const BLOCK_TERMS: usize = 4096;

/// Tags listed in the search form's tag filter (the others can still be typed as `tag:xxxx`).
const LISTED_TAGS: usize = 400;

/// What the search phase wrote, for the build summary and the benchmarks.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SearchStats {
    /// Files written under `search/`.
    pub files: usize,
    /// Their total size in bytes.
    pub bytes: u64,
    /// Distinct dictionary keys (word terms and filter keys).
    pub terms: usize,
    /// (term, document) pairs.
    pub postings: u64,
    /// Files and bytes of the term dictionary, postings files and document shards, and meta.
    pub term_shards: usize,
    pub postings_files: usize,
    pub doc_shards: usize,
    pub meta_bytes: u64,
    /// Bytes of the word positions (positions shards and own files), which only phrases load.
    pub positions_bytes: u64,
    /// Positions files of their own (`r/P.js`).
    pub positions_files: usize,
}

/// Builds the search index of every cable of the corpus into `out_dir/search/`.
pub fn build(
    corpus: &Corpus,
    config: &SearchConfig,
    out_dir: &Path,
) -> Result<SearchStats, SearchError> {
    let all: Vec<usize> = (0..corpus.cables.len()).collect();
    build_subset(corpus, &all, config, out_dir)
}

/// Builds the search index of the cables at `published` (indices into `corpus.cables`, in the
/// order results should break ties: corpus order) into `out_dir/search/`. Nothing is written
/// when search is disabled. The folder is replaced whole. Each chunk's telegrams are read again
/// here ([`Corpus::full`]); a build that reads them anyway for its pages hands them to an
/// [`Indexer`] instead.
pub fn build_subset(
    corpus: &Corpus,
    published: &[usize],
    config: &SearchConfig,
    out_dir: &Path,
) -> Result<SearchStats, SearchError> {
    if !config.enabled {
        return Ok(SearchStats::default());
    }
    let docs: Vec<&LinkedCable> = published.iter().map(|&i| &corpus.cables[i]).collect();
    let indexer = Indexer::with_options(config, out_dir, chunk_plan(&docs), None)?;
    indexer.plan().par_iter().enumerate().try_for_each(
        |(i, range)| -> Result<(), SearchError> {
            let indices = &published[range.clone()];
            let full = indices
                .iter()
                .map(|&k| corpus.full(k))
                .collect::<Result<Vec<_>, _>>()
                .map_err(SearchError::Reread)?;
            let cables: Vec<&archive_cable::model::Cable> = full.iter().map(|c| &**c).collect();
            indexer.add_chunk(i, &cables)
        },
    )?;
    let docs: Vec<&LinkedCable> = published.iter().map(|&i| &corpus.cables[i]).collect();
    indexer.finish(&docs)
}

/// The search index built in two steps, so that the telegrams are read once for both the pages
/// and the index: [`Indexer::add_chunk`] for each chunk of [`analyze::CHUNK_DOCS`] consecutive
/// documents (in any order, from any thread, while their text is at hand), then
/// [`Indexer::finish`] merges and writes everything. Never a telegram is kept; each chunk's
/// small inverted index and its snippets are kept in memory while they fit in the budget
/// ([`DEFAULT_SPILL_BUDGET`]) and written to a run file of the spill folder `search/.spill`
/// past it (see [`spill`]), so that memory does not grow with the archive.
pub struct Indexer {
    config: SearchConfig,
    dir: PathBuf,
    docs: usize,
    budget: usize,
    spill: spill::SpillDir,
    plan: Vec<std::ops::Range<usize>>,
    cache: Option<RunCache>,
    /// The documents of the previous build's runs by their keys, read when a chunk first asks
    /// ([`Indexer::pieces`]).
    previous: std::sync::OnceLock<Previous>,
    state: std::sync::Mutex<IndexerState>,
}

/// The documents of the previous build's runs: (run, place in it) by document key, and each
/// run's number of documents.
#[derive(Default)]
struct Previous {
    documents: rustc_hash::FxHashMap<u64, (u128, u32)>,
    sizes: rustc_hash::FxHashMap<u128, usize>,
}

/// The documents of a chunk that runs of the previous build hold, with those runs read
/// ([`Indexer::pieces`]): what [`Indexer::add_composed_chunk`] takes them from.
pub struct Pieces {
    runs: Vec<spill::WholeRun>,
    /// Per document of the chunk: (run, place in it), or `None` for one to analyse.
    from: Vec<Option<(u32, u32)>>,
}

impl Pieces {
    /// Whether document `i` of the chunk comes from a previous run (else it must be analysed:
    /// its cable is given to [`Indexer::add_composed_chunk`]).
    pub fn has(&self, i: usize) -> bool {
        self.from[i].is_some()
    }

    /// Documents of the chunk found in previous runs.
    pub fn found(&self) -> usize {
        self.from.iter().filter(|f| f.is_some()).count()
    }
}

/// A previous run is read for a chunk only when it gives at least this share (1 in N) of its
/// documents: composing costs about a run's size, analysing about its documents' text.
const PIECES_SHARE: usize = 8;

/// What [`Indexer`] gathers from its chunks.
struct IndexerState {
    runs: Vec<Option<spill::Run>>,
    /// Weighted length of every document (4 bytes each: what the weights need).
    lens: Vec<u32>,
    /// Bytes of the chunks held in memory.
    held: usize,
}

/// Bytes of chunk indexes an [`Indexer`] holds in memory before it writes further chunks to
/// run files: enough that a small archive (10,000 cables, ~40 MB of chunks) never touches the
/// disk, small beside the ~1 GB that the chunks of 251,287 cables weigh.
pub const DEFAULT_SPILL_BUDGET: usize = 64 << 20;

/// Where an [`Indexer`] keeps its chunks' runs between builds, so that an incremental build
/// re-analyses only the chunks whose cables changed: a chunk's analysis depends only on its
/// cables and the [`SearchConfig`] (postings are relative to the chunk's first document), so
/// a run of the same cables is valid wherever the chunk now sits.
///
/// Runs are named by the caller's key, `<key as 32 hex digits>.run`. The key must cover
/// everything the analysis reads: the chunk's cables (their full text, in order) and whatever
/// of the site's configuration reaches them. The run's header also records
/// [`spill::RUN_VERSION`] and [`SearchConfig::fingerprint`], and a run is checked (size,
/// checksum) before it is used, so a stale or damaged file is re-analysed, not trusted.
#[derive(Debug, Clone)]
pub struct RunCache {
    /// The previous build's folder of runs, read (and hard-linked from) only; `None` for a cold
    /// build. May be the same folder as `to`. Neither may lie under `out_dir/search/`, which
    /// every build replaces whole.
    pub from: Option<PathBuf>,
    /// This build's folder of runs (created if missing): every chunk's run ends up here and is
    /// kept after [`Indexer::finish`]. Files of other keys already there are left alone: pruning
    /// them is the caller's business (it knows which keys are current).
    pub to: PathBuf,
}

/// The plan a build uses for these documents: the chunks, as consecutive ranges of document
/// numbers covering `0..docs.len()` in order. Callers that key runs by their chunk's cables
/// (see [`RunCache`]) take it from here so that the plan can change (e.g. become
/// content-defined) without them. The plan is content-defined ([`content_plan`] on a 64-bit
/// FNV-1a of each document's page path), so that inserting or deleting a cable changes only
/// the chunks around it and the others keep their keys. The index does not depend on it.
pub fn chunk_plan(docs: &[&LinkedCable]) -> Vec<std::ops::Range<usize>> {
    let keys: Vec<u64> = docs.iter().map(|d| fnv1a(d.page.as_bytes())).collect();
    content_plan(&keys)
}

/// Fewest documents of a content-defined chunk (but the last): per-chunk overheads stay small.
pub const PLAN_MIN: usize = 256;
/// Most documents of a content-defined chunk: memory per chunk stays bounded.
pub const PLAN_MAX: usize = 4096;
/// A chunk ends after a document whose key is 0 modulo this (past [`PLAN_MIN`]): chunks of
/// about `PLAN_MIN + PLAN_CUT` documents on average.
pub const PLAN_CUT: u64 = 1024;

/// 64-bit FNV-1a: a document's stable key, from its page path.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The content-defined plan of documents with these keys: a chunk is cut after a document
/// whose key is 0 modulo [`PLAN_CUT`] once it holds [`PLAN_MIN`] documents, or at
/// [`PLAN_MAX`]. The cut depends only on the documents since the last cut, so an insertion or
/// deletion changes only the chunks around it, and the others keep their runs.
pub fn content_plan(keys: &[u64]) -> Vec<std::ops::Range<usize>> {
    let mut plan = Vec::new();
    let mut start = 0;
    for (i, &k) in keys.iter().enumerate() {
        let len = i + 1 - start;
        if (len >= PLAN_MIN && k % PLAN_CUT == 0) || len == PLAN_MAX {
            plan.push(start..i + 1);
            start = i + 1;
        }
    }
    if start < keys.len() {
        plan.push(start..keys.len());
    }
    plan
}

/// Chunks of [`analyze::CHUNK_DOCS`] documents, the last one shorter.
fn fixed_plan(docs: usize) -> Vec<std::ops::Range<usize>> {
    (0..docs.div_ceil(analyze::CHUNK_DOCS))
        .map(|c| c * analyze::CHUNK_DOCS..((c + 1) * analyze::CHUNK_DOCS).min(docs))
        .collect()
}

impl Indexer {
    /// Starts an index of `docs` documents under `out_dir/search/` (replaced whole).
    pub fn new(config: &SearchConfig, out_dir: &Path, docs: usize) -> Result<Indexer, SearchError> {
        Indexer::with_budget(config, out_dir, docs, DEFAULT_SPILL_BUDGET)
    }

    /// Like [`Indexer::new`], but with an explicit chunk `plan` (consecutive ranges covering
    /// `0..docs`, in order; usually [`chunk_plan`]) and optionally a run `cache`, so that an
    /// incremental build can reuse the runs of unchanged chunks ([`Indexer::reuse_chunk`]).
    /// With a cache, every keyed chunk is written to its run file in `cache.to`, whatever the
    /// memory budget, so that the next build can reuse it.
    ///
    /// # Panics
    /// When the plan is not non-empty consecutive ranges from 0: a bug of the caller.
    pub fn with_options(
        config: &SearchConfig,
        out_dir: &Path,
        plan: Vec<std::ops::Range<usize>>,
        cache: Option<RunCache>,
    ) -> Result<Indexer, SearchError> {
        let mut at = 0;
        for (c, r) in plan.iter().enumerate() {
            assert!(
                r.start == at && r.end > r.start,
                "chunk {c} of the plan is {r:?}, not a non-empty range from {at}"
            );
            at = r.end;
        }
        let mut indexer = Indexer::with_budget(config, out_dir, at, DEFAULT_SPILL_BUDGET)?;
        if let Some(cache) = &cache {
            std::fs::create_dir_all(&cache.to).map_err(|e| io_error(&cache.to, e))?;
        }
        let state = indexer.state.get_mut().unwrap_or_else(|e| e.into_inner());
        state.runs = plan.iter().map(|_| None).collect();
        indexer.plan = plan;
        indexer.cache = cache;
        Ok(indexer)
    }

    /// The chunks, in order: the caller passes chunk `number` = the documents `plan()[number]`.
    pub fn plan(&self) -> &[std::ops::Range<usize>] {
        &self.plan
    }

    /// The run file of `key` in `dir`.
    fn run_path(dir: &Path, key: u128) -> PathBuf {
        dir.join(format!("{key:032x}.run"))
    }

    /// [`Indexer::add_chunk`], and with a cache the run is written to `to/<key>.run` (a
    /// temporary file renamed into place, so that a crash never leaves a half run under a
    /// key's name) and kept after [`Indexer::finish`], for the next build's
    /// [`Indexer::reuse_chunk`]. Without a cache the key is not used.
    ///
    /// `doc_keys` name the chunk's documents (one each, or none at all), as the key names the
    /// chunk: a key must change whenever anything the analysis reads of its document does,
    /// and 0 is no key. The run records them, so that a later chunk holding some of these
    /// documents can take their analysis from it ([`Indexer::pieces`]).
    pub fn add_keyed_chunk(
        &self,
        number: usize,
        cables: &[&archive_cable::model::Cable],
        key: u128,
        doc_keys: &[u64],
    ) -> Result<(), SearchError> {
        if self.cache.is_none() {
            return self.add_chunk(number, cables);
        }
        let range = self.plan[number].clone();
        assert_eq!(cables.len(), range.len(), "chunk {number} has another size");
        let snippets: Vec<String> = cables.iter().map(|c| shards::snippet(c)).collect();
        let index = analyze::chunk(cables, range.start as u32, &self.config);
        self.store_keyed(number, key, index, doc_keys, &snippets)
    }

    /// Writes chunk `number`'s run to the cache under `key` and takes it for the chunk.
    fn store_keyed(
        &self,
        number: usize,
        key: u128,
        mut index: analyze::ChunkIndex,
        doc_keys: &[u64],
        snippets: &[String],
    ) -> Result<(), SearchError> {
        let cache = self.cache.as_ref().expect("a keyed chunk needs a cache");
        let range = self.plan[number].clone();
        assert!(
            doc_keys.is_empty() || doc_keys.len() == range.len(),
            "a key for every document, or none"
        );
        let lens = std::mem::take(&mut index.lens);
        let path = Indexer::run_path(&cache.to, key);
        let tmp = cache.to.join(format!("{key:032x}.run.{number}.tmp"));
        let fingerprint = self.config.fingerprint();
        let mut file = spill::write_run(&tmp, &index, &lens, doc_keys, snippets, fingerprint)?;
        std::fs::rename(&tmp, &path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            io_error(&path, e)
        })?;
        file.path = path;
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.lens[range].copy_from_slice(&lens);
        state.runs[number] = Some(spill::Run::Disk(file));
        Ok(())
    }

    /// The documents of the previous build's runs, by key: each run's header names them.
    fn previous_documents(&self) -> &Previous {
        self.previous.get_or_init(|| {
            let mut found = Previous::default();
            let Some(from) = self.cache.as_ref().and_then(|c| c.from.as_ref()) else {
                return found;
            };
            let Ok(listing) = std::fs::read_dir(from) else {
                return found;
            };
            let mut runs: Vec<u128> = listing
                .flatten()
                .filter_map(|e| {
                    let name = e.file_name();
                    let hex = name.to_str()?.strip_suffix(".run")?;
                    (hex.len() == 32).then(|| u128::from_str_radix(hex, 16).ok())?
                })
                .collect();
            runs.sort_unstable();
            let fingerprint = self.config.fingerprint();
            let keys: Vec<Option<Vec<u64>>> = runs
                .par_iter()
                .map(|&run| spill::read_keys(&Indexer::run_path(from, run), fingerprint))
                .collect();
            for (&run, keys) in runs.iter().zip(keys) {
                let Some(keys) = keys else {
                    continue;
                };
                found.sizes.insert(run, keys.len());
                for (local, key) in keys.into_iter().enumerate() {
                    if key != 0 {
                        found.documents.entry(key).or_insert((run, local as u32));
                    }
                }
            }
            found
        })
    }

    /// For a chunk whose run is not in the cache, the documents (by `doc_keys`, one each, as
    /// given to [`Indexer::add_keyed_chunk`]) that runs of the previous build hold, with
    /// those runs read and checked. `None` when there is no cache, or none of the documents
    /// is found in a run that gives at least one in [`PIECES_SHARE`] of its documents; the
    /// chunk is then analysed whole. A damaged run is never an error: its documents are
    /// analysed.
    pub fn pieces(&self, doc_keys: &[u64]) -> Result<Option<Pieces>, SearchError> {
        let Some(from) = self.cache.as_ref().and_then(|c| c.from.as_ref()) else {
            return Ok(None);
        };
        let previous = self.previous_documents();
        let found: Vec<Option<(u128, u32)>> = doc_keys
            .iter()
            .map(|k| previous.documents.get(k).copied())
            .collect();
        // The runs that give enough, in the order the chunk first meets them.
        let mut runs: Vec<(u128, usize)> = Vec::new();
        for &(run, _) in found.iter().flatten() {
            match runs.iter_mut().find(|(r, _)| *r == run) {
                Some((_, n)) => *n += 1,
                None => runs.push((run, 1)),
            }
        }
        let fingerprint = self.config.fingerprint();
        let mut read: Vec<(u128, spill::WholeRun)> = Vec::new();
        for (run, n) in runs {
            if n * PIECES_SHARE < previous.sizes[&run] {
                continue;
            }
            let path = Indexer::run_path(from, run);
            // An unreadable run is as good as a missing one: its documents are analysed.
            let Some(whole) = spill::read_whole(&path, fingerprint).ok().flatten() else {
                continue;
            };
            read.push((run, whole));
        }
        let from: Vec<Option<(u32, u32)>> = found
            .iter()
            .zip(doc_keys)
            .map(|(f, key)| {
                let &(run, local) = f.as_ref()?;
                let r = read.iter().position(|(k, _)| *k == run)?;
                // The run says it holds this document there (its keys are checked now).
                (read[r].1.keys.get(local as usize) == Some(key)).then_some((r as u32, local))
            })
            .collect();
        if from.iter().all(Option::is_none) {
            return Ok(None);
        }
        Ok(Some(Pieces {
            runs: read.into_iter().map(|(_, w)| w).collect(),
            from,
        }))
    }

    /// [`Indexer::add_keyed_chunk`] for a chunk of which `pieces` holds some documents
    /// already: only `fresh`, the cables of the others (in order), are analysed, and the run is
    /// put together from both, the run a whole analysis would give. `Ok(false)` when the
    /// pieces turn out unusable (the caller then calls [`Indexer::add_keyed_chunk`] with every
    /// cable).
    pub fn add_composed_chunk(
        &self,
        number: usize,
        key: u128,
        doc_keys: &[u64],
        pieces: &Pieces,
        fresh: &[&archive_cable::model::Cable],
    ) -> Result<bool, SearchError> {
        let range = self.plan[number].clone();
        assert_eq!(
            pieces.from.len(),
            range.len(),
            "chunk {number} has another size"
        );
        assert_eq!(
            fresh.len(),
            range.len() - pieces.found(),
            "a cable for every document not in the pieces"
        );
        let snippets: Vec<String> = fresh.iter().map(|c| shards::snippet(c)).collect();
        let analysed = analyze::chunk(fresh, 0, &self.config);
        let fresh_part = pieces.runs.len() as u32;
        let mut next = 0u32;
        let from: Vec<(u32, u32)> = pieces
            .from
            .iter()
            .map(|f| {
                f.unwrap_or_else(|| {
                    next += 1;
                    (fresh_part, next - 1)
                })
            })
            .collect();
        let mut parts: Vec<compose::Part> = pieces
            .runs
            .iter()
            .map(|w| compose::Part {
                index: &w.index,
                lens: &w.lens,
                snippets: &w.snippets,
            })
            .collect();
        parts.push(compose::Part {
            index: &analysed,
            lens: &analysed.lens,
            snippets: &snippets,
        });
        let Some((index, snippets)) = compose::compose(&parts, &from, range.start as u32) else {
            return Ok(false);
        };
        drop(parts);
        self.store_keyed(number, key, index, doc_keys, &snippets)?;
        Ok(true)
    }

    /// With a cache: when `to/<key>.run` or `from/<key>.run` is a valid run of exactly
    /// `plan()[number].len()` documents of this analysis (magic, [`spill::RUN_VERSION`],
    /// [`SearchConfig::fingerprint`], sizes, checksum), uses it for chunk `number` (one from
    /// `from` is hard-linked into `to`, or copied where links fail) and returns `Ok(true)`;
    /// the caller then has nothing more to do for the chunk. Otherwise `Ok(false)`, and the
    /// caller calls [`Indexer::add_keyed_chunk`]. A corrupt file is never an error, only
    /// `Ok(false)`; `Err` is left for a file system that fails (a run it cannot link or copy).
    /// Without a cache: always `Ok(false)`.
    pub fn reuse_chunk(&self, number: usize, key: u128) -> Result<bool, SearchError> {
        let Some(cache) = &self.cache else {
            return Ok(false);
        };
        let range = self.plan[number].clone();
        let fingerprint = self.config.fingerprint();
        let path = Indexer::run_path(&cache.to, key);
        let open = |p: &Path| {
            // An unreadable file is as good as a missing one: it is analysed again.
            spill::open_run(p, range.start as u32, range.len(), fingerprint)
                .ok()
                .flatten()
        };
        let mut found = open(&path);
        if found.is_none() {
            if let Some(from) = &cache.from {
                let old = Indexer::run_path(from, key);
                if old != path {
                    if let Some((mut file, lens)) = open(&old) {
                        let tmp = cache.to.join(format!("{key:032x}.run.{number}.tmp"));
                        let _ = std::fs::remove_file(&tmp);
                        if std::fs::hard_link(&old, &tmp).is_err() {
                            std::fs::copy(&old, &tmp).map_err(|e| {
                                let _ = std::fs::remove_file(&tmp);
                                io_error(&tmp, e)
                            })?;
                        }
                        std::fs::rename(&tmp, &path).map_err(|e| {
                            let _ = std::fs::remove_file(&tmp);
                            io_error(&path, e)
                        })?;
                        file.path = path.clone();
                        found = Some((file, lens));
                    }
                }
            }
        }
        let Some((file, lens)) = found else {
            return Ok(false);
        };
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.lens[range].copy_from_slice(&lens);
        state.runs[number] = Some(spill::Run::Disk(file));
        Ok(true)
    }

    /// [`Indexer::new`] holding at most `budget` bytes of chunk indexes in memory (0: every
    /// chunk goes to its run file; `usize::MAX`: none does). The index is the same, byte for
    /// byte, whatever the budget; only memory and disk traffic change (tests and tuning).
    pub fn with_budget(
        config: &SearchConfig,
        out_dir: &Path,
        docs: usize,
        budget: usize,
    ) -> Result<Indexer, SearchError> {
        if docs > u32::MAX as usize / 2 {
            return Err(SearchError::TooManyCables(docs));
        }
        let dir = out_dir.join("search");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
        }
        for sub in ["t", "p", "d", "q", "r", ".spill"] {
            let d = dir.join(sub);
            std::fs::create_dir_all(&d).map_err(|e| io_error(&d, e))?;
        }
        let plan = fixed_plan(docs);
        let runs = plan.iter().map(|_| None).collect();
        Ok(Indexer {
            config: config.clone(),
            spill: spill::SpillDir(dir.join(".spill")),
            dir,
            docs,
            budget,
            plan,
            cache: None,
            previous: std::sync::OnceLock::new(),
            state: std::sync::Mutex::new(IndexerState {
                runs,
                lens: vec![0; docs],
                held: 0,
            }),
        })
    }

    /// Indexes chunk `number`: the documents `plan()[number]` (with [`Indexer::new`]:
    /// `number * CHUNK_DOCS ..`), all of them, in order. Held in memory or spilled to
    /// `search/.spill` by the budget, cache or not (only [`Indexer::add_keyed_chunk`] writes
    /// to the cache). Fails when the chunk had to be written to its run file and could not be.
    pub fn add_chunk(
        &self,
        number: usize,
        cables: &[&archive_cable::model::Cable],
    ) -> Result<(), SearchError> {
        let start = self.plan[number].start;
        assert_eq!(
            cables.len(),
            self.plan[number].len(),
            "chunk {number} has another size"
        );
        let snippets: Vec<String> = cables.iter().map(|c| shards::snippet(c)).collect();
        let mut index = analyze::chunk(cables, start as u32, &self.config);
        let lens = std::mem::take(&mut index.lens);
        let size = index.heap_bytes() + snippets.iter().map(|s| s.len() + 24).sum::<usize>();
        let keep = {
            let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            state.lens[start..start + lens.len()].copy_from_slice(&lens);
            let keep = state.held.saturating_add(size) <= self.budget;
            if keep {
                state.held += size;
            }
            keep
        };
        let run = if keep {
            spill::Run::Memory(index, snippets)
        } else {
            let path = self.spill.0.join(format!("{number}.run"));
            spill::Run::Disk(spill::write_run(
                &path,
                &index,
                &lens,
                &[],
                &snippets,
                self.config.fingerprint(),
            )?)
        };
        self.state.lock().unwrap_or_else(|e| e.into_inner()).runs[number] = Some(run);
        Ok(())
    }

    /// Merges the chunks and writes the index; `docs` are the indexed cables, in order. The
    /// spill folder is removed, whether it succeeds or not.
    ///
    /// # Panics
    /// When a chunk was not added or `docs` is not as long as announced: a bug of the caller.
    pub fn finish(self, docs: &[&LinkedCable]) -> Result<SearchStats, SearchError> {
        assert_eq!(
            docs.len(),
            self.docs,
            "the indexer was told another number of documents"
        );
        rayon::broadcast(|_| analyze::release_worker());
        let state = std::mem::replace(
            &mut *self.state.lock().unwrap_or_else(|e| e.into_inner()),
            IndexerState {
                runs: Vec::new(),
                lens: Vec::new(),
                held: 0,
            },
        );
        let runs: Vec<spill::Run> = state
            .runs
            .into_iter()
            .map(|c| c.expect("every chunk of the index was added"))
            .collect();
        let starts: Vec<usize> = self.plan.iter().map(|r| r.start).collect();
        let stats = write_index(&self.dir, docs, &runs, &starts, &state.lens)?;
        drop(runs);
        self.spill.remove()?;
        Ok(stats)
    }
}

/// Blocks of the vocabulary merged per round: each round's dictionary text is packed into
/// shards and written before the next starts, so only this many blocks wait at once.
fn blocks_per_round() -> usize {
    4 * rayon::current_num_threads()
}

/// The merge and write phases of [`Indexer::finish`].
fn write_index(
    dir: &Path,
    docs: &[&LinkedCable],
    runs: &[spill::Run],
    starts: &[usize],
    lens: &[u32],
) -> Result<SearchStats, SearchError> {
    let timer = Timer::new();
    let coll = postings::Collection::new(docs.len() as u32, lens);
    timer.lap("analyze");
    if std::env::var_os("ARCHIVE_SEARCH_TIMES").is_some() {
        let (mut entries, mut names, mut bytes, mut positions) = (0, 0, 0, 0);
        for run in runs {
            let (e, n, b, p) = run.sizes();
            (entries, names, bytes, positions) = (entries + e, names + n, bytes + b, positions + p);
        }
        let spilled = runs
            .iter()
            .filter(|r| matches!(r, spill::Run::Disk(_)))
            .count();
        eprintln!("search chunks: {entries} entries, {names} name bytes, {bytes} postings bytes, {positions} positions bytes; {spilled} of {} chunks spilled", runs.len());
    }
    // The vocabulary: a k-way merge of the runs' sorted names, which numbers the terms and
    // says where each block of BLOCK_TERMS terms starts in each run.
    // The display data alongside it, on the other threads: it needs nothing of the merge.
    let (vocab, documents) = rayon::join(
        || {
            let started = std::time::Instant::now();
            (spill::vocabulary(runs, BLOCK_TERMS), started.elapsed())
        },
        || write_documents(dir, docs, runs, starts),
    );
    let ((vocab, vocabulary_time), (doc_bytes, filters, documents_time)) =
        ((vocab.0?, vocab.1), documents?);
    let mut stats = SearchStats {
        terms: vocab.terms,
        doc_shards: docs.len().div_ceil(shards::DOC_SHARD),
        bytes: doc_bytes,
        ..SearchStats::default()
    };
    stats.files += stats.doc_shards;
    timer.lap("vocabulary");
    if std::env::var_os("ARCHIVE_SEARCH_TIMES").is_some() {
        eprintln!(
            "search vocabulary alone {:.2} s, documents alongside it {:.2} s wall",
            vocabulary_time.as_secs_f64(),
            documents_time.as_secs_f64()
        );
    }

    // Phase 2: merged postings, a round of blocks at a time; big lists written at once to
    // their own files. Phase 3 alongside: the dictionary packed into shards, in order, each
    // written once full. The positions shards follow the term shards' bounds, entry for entry.
    let p_dir = dir.join("p");
    let r_dir = dir.join("r");
    let (t_dir, q_dir) = (dir.join("t"), dir.join("q"));
    let mut bounds: Vec<Box<str>> = Vec::new();
    let mut current = String::new();
    let mut current_positions = String::new();
    let mut full: Vec<(String, String)> = Vec::new();
    let mut shard_number = 0usize;
    let blocks = vocab.blocks();
    let mut dictionary_time = std::time::Duration::ZERO;
    let flush = |full: &mut Vec<(String, String)>,
                 shard_number: &mut usize,
                 stats: &mut SearchStats|
     -> Result<(), SearchError> {
        let first = *shard_number;
        let sizes: Vec<(u64, u64)> = full
            .par_iter()
            .enumerate()
            .map(|(k, (text, positions))| {
                let n = first + k;
                let t = shards::term_shard_file(n, text);
                write(&t_dir.join(format!("{n}.js")), &t)?;
                let q = shards::positions_shard_file(n, positions);
                write(&q_dir.join(format!("{n}.js")), &q)?;
                Ok((t.len() as u64, q.len() as u64))
            })
            .collect::<Result<_, SearchError>>()?;
        for (t, q) in sizes {
            stats.bytes += t + q;
            stats.positions_bytes += q;
            stats.files += 2;
            stats.term_shards += 1;
        }
        *shard_number += full.len();
        full.clear();
        Ok(())
    };
    for round in (0..blocks).step_by(blocks_per_round()) {
        let built: Vec<Result<Block, SearchError>> = (round
            ..(round + blocks_per_round()).min(blocks))
            .into_par_iter()
            .map(|b| {
                let slices = (0..runs.len())
                    .map(|r| {
                        let (from, to) = vocab.range(b, r);
                        runs[r].slice(from, to)
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let block_vocab: Vec<&str> = {
                    let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
                    for c in &slices {
                        seen.extend((0..c.len()).map(|i| c.term(i)));
                    }
                    let mut v: Vec<&str> = seen.into_iter().collect();
                    v.sort_unstable();
                    v
                };
                debug_assert_eq!(
                    block_vocab.len(),
                    BLOCK_TERMS.min(vocab.terms - b * BLOCK_TERMS)
                );
                let terms = postings::build_block(&block_vocab, &slices, &coll);
                drop(slices);
                let mut out = Block::default();
                for (i, term) in terms.into_iter().enumerate() {
                    let own = if shards::has_own_file(&term) {
                        let number = b * BLOCK_TERMS + i;
                        let file = shards::postings_file(number, &term);
                        write(&p_dir.join(format!("{number}.js")), &file)?;
                        shards::dictionary_entry(&term, Some((number, file.len())), &mut out.text);
                        Some(file.len() as u64)
                    } else {
                        shards::dictionary_entry(&term, None, &mut out.text);
                        None
                    };
                    let own_positions = if shards::has_own_positions_file(&term) {
                        let number = b * BLOCK_TERMS + i;
                        let file = shards::positions_file(number, &term);
                        write(&r_dir.join(format!("{number}.js")), &file)?;
                        shards::positions_entry(&term, Some(number), &mut out.positions);
                        Some(file.len() as u64)
                    } else {
                        shards::positions_entry(&term, None, &mut out.positions);
                        None
                    };
                    out.terms.push_str(&term.term);
                    out.entries.push(Entry {
                        term_end: out.terms.len(),
                        text_end: out.text.len(),
                        positions_end: out.positions.len(),
                        df: term.df,
                        own,
                        own_positions,
                    });
                }
                Ok(out)
            })
            .collect();
        let packing = std::time::Instant::now();
        for block in built {
            let block = block?;
            let (mut term_start, mut text_start, mut positions_start) = (0, 0, 0);
            for entry in &block.entries {
                let term = &block.terms[term_start..entry.term_end];
                let text = &block.text[text_start..entry.text_end];
                let positions = &block.positions[positions_start..entry.positions_end];
                (term_start, text_start, positions_start) =
                    (entry.term_end, entry.text_end, entry.positions_end);
                stats.postings += u64::from(entry.df);
                if let Some(bytes) = entry.own {
                    stats.postings_files += 1;
                    stats.files += 1;
                    stats.bytes += bytes;
                }
                if let Some(bytes) = entry.own_positions {
                    stats.positions_files += 1;
                    stats.positions_bytes += bytes;
                    stats.files += 1;
                    stats.bytes += bytes;
                }
                if current.is_empty() {
                    bounds.push(term.into());
                } else {
                    current.push_str(",\n");
                    current_positions.push_str(",\n");
                }
                current.push_str(text);
                current_positions.push_str(positions);
                if current.len() >= shards::TERM_SHARD_BYTES {
                    full.push((
                        std::mem::take(&mut current),
                        std::mem::take(&mut current_positions),
                    ));
                }
            }
        }
        flush(&mut full, &mut shard_number, &mut stats)?;
        dictionary_time += packing.elapsed();
    }
    if !current.is_empty() {
        full.push((current, current_positions));
    }
    flush(&mut full, &mut shard_number, &mut stats)?;
    timer.lap("postings");
    if std::env::var_os("ARCHIVE_SEARCH_TIMES").is_some() {
        eprintln!(
            "search dictionary (within postings): {:.2} s wall",
            dictionary_time.as_secs_f64()
        );
    }

    let meta = meta_file(docs.len(), &filters, &bounds);
    write(&dir.join("meta.js"), &meta)?;
    stats.meta_bytes = meta.len() as u64;
    stats.bytes += meta.len() as u64;
    stats.files += 1;
    timer.lap("meta");
    Ok(stats)
}

/// The display data of every document (`d/N.js`, chunk by chunk, each chunk's snippets read
/// once) and the counts of `meta.js`'s filters: what the merge does not need, done alongside
/// its vocabulary (which is one thread's work). Returns the shards' bytes, the filters, and the
/// wall time it took.
fn write_documents(
    dir: &Path,
    docs: &[&LinkedCable],
    runs: &[spill::Run],
    starts: &[usize],
) -> Result<(u64, Filters, std::time::Duration), SearchError> {
    let started = std::time::Instant::now();
    // A shard that lies across chunk boundaries is put together from its pieces afterwards.
    let d_dir = dir.join("d");
    let ds = shards::DOC_SHARD;
    let write_shard = |n: usize, part: &[String]| -> Result<u64, SearchError> {
        let start = n * ds;
        let text = shards::doc_shard_file(n, &docs[start..start + part.len()], part);
        write(&d_dir.join(format!("{n}.js")), &text)?;
        Ok(text.len() as u64)
    };
    type Pieces = Vec<(usize, usize, Vec<String>)>;
    let done: Vec<(u64, Pieces)> = runs
        .par_iter()
        .enumerate()
        .map(|(c, run)| -> Result<(u64, Pieces), SearchError> {
            let snippets = run.snippets()?;
            let (first, end) = (starts[c], starts[c] + snippets.len());
            let mut bytes = 0;
            let mut pieces = Vec::new();
            let mut at = first;
            while at < end {
                let n = at / ds;
                let to = ((n + 1) * ds).min(end);
                let part = &snippets[at - first..to - first];
                let whole = at == n * ds && (to == (n + 1) * ds || to == docs.len());
                if whole {
                    bytes += write_shard(n, part)?;
                } else {
                    pieces.push((n, at, part.to_vec()));
                }
                at = to;
            }
            Ok((bytes, pieces))
        })
        .collect::<Result<_, _>>()?;
    let mut sizes: Vec<u64> = Vec::with_capacity(done.len() + 1);
    let mut pieces: Pieces = Vec::new();
    for (bytes, p) in done {
        sizes.push(bytes);
        pieces.extend(p);
    }
    pieces.sort_by_key(|p| (p.0, p.1));
    let mut k = 0;
    while k < pieces.len() {
        let n = pieces[k].0;
        let mut part = Vec::new();
        while k < pieces.len() && pieces[k].0 == n {
            part.append(&mut pieces[k].2);
            k += 1;
        }
        sizes.push(write_shard(n, &part)?);
    }
    let filters = Filters::of(docs);
    Ok((sizes.iter().sum::<u64>(), filters, started.elapsed()))
}

/// `[search]` in `site.toml`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// Build the search index and page at all.
    pub enabled: bool,
    /// Index the body text, not only subject, tags, origin and identifier. Turning it off makes
    /// the index several times smaller.
    pub index_body: bool,
}

impl SearchConfig {
    /// A stable number of the settings that change a chunk's analysis, recorded in every run
    /// file so that a cached run of another configuration is never reused (even when the
    /// caller's key forgot them). Must name every field that reaches [`analyze::chunk`] or
    /// [`shards::snippet`]; `enabled` does not (nothing is analysed without it).
    pub fn fingerprint(&self) -> u64 {
        0x5345_4152_4348_0000 | u64::from(self.index_body)
    }
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            enabled: true,
            index_body: true,
        }
    }
}

/// Phase times on standard error when `ARCHIVE_SEARCH_TIMES` is set (for tuning the build): the
/// wall time of each phase. CPU time and memory are the benchmarks' to measure
/// (`examples/search_bench.rs`), so that the shipped library reads nothing from `/proc`.
struct Timer(Option<std::cell::Cell<std::time::Instant>>);

impl Timer {
    fn new() -> Timer {
        let timer = Timer(
            std::env::var_os("ARCHIVE_SEARCH_TIMES")
                .map(|_| std::cell::Cell::new(std::time::Instant::now())),
        );
        timer.lap("start");
        timer
    }

    fn lap(&self, phase: &str) {
        if let Some(start) = &self.0 {
            let now = std::time::Instant::now();
            eprintln!(
                "search {phase}: {:.2} s wall",
                (now - start.get()).as_secs_f64()
            );
            start.set(now);
        }
    }
}

/// One block of the merged vocabulary on its way to the shards: its terms' texts and their
/// dictionary entries, each concatenated, so that a block is a few allocations rather than two
/// per term.
#[derive(Default)]
struct Block {
    terms: String,
    text: String,
    /// The terms' positions entries (see [`shards::positions_entry`]), concatenated.
    positions: String,
    entries: Vec<Entry>,
}

/// Where one term's text and dictionary entry end in its [`Block`], and its counts.
struct Entry {
    term_end: usize,
    text_end: usize,
    positions_end: usize,
    df: u32,
    /// Size of its own postings file, when it has one.
    own: Option<u64>,
    /// Size of its own positions file, when it has one.
    own_positions: Option<u64>,
}

/// The counts of `meta.js`'s filter choices: classifications, years, origins and tags (slug →
/// display name of its first cable, count).
struct Filters {
    classes: BTreeMap<Classification, u32>,
    years: BTreeMap<u16, u32>,
    origins: BTreeMap<String, (String, u32)>,
    tags: BTreeMap<String, (String, u32)>,
}

impl Filters {
    /// The counts of `docs`. Each origin and tag is a display name under its slug: the spelling
    /// of the first document (in document order) with that slug. Counted per spelling first, in
    /// parallel, and each spelling slugged once: a slug and two sorted-map look-ups per document
    /// and tag took 0.5 s at 251,287 on one core, the slower half of the vocabulary phase.
    fn of(docs: &[&LinkedCable]) -> Filters {
        use rustc_hash::FxHashMap;
        /// Counts per spelling: (first place, as (document, place among its tags), count).
        #[derive(Default)]
        struct Tally<'a> {
            classes: BTreeMap<Classification, u32>,
            years: BTreeMap<u16, u32>,
            origins: FxHashMap<&'a str, (Place, u32)>,
            tags: FxHashMap<&'a str, (Place, u32)>,
        }
        type Place = (usize, usize);
        /// `n` more of `key`, met first at `at` or earlier.
        fn add<'a>(map: &mut FxHashMap<&'a str, (Place, u32)>, key: &'a str, at: Place, n: u32) {
            let e = map.entry(key).or_insert((at, 0));
            e.0 = e.0.min(at);
            e.1 += n;
        }
        fn merge<'a>(
            into: &mut FxHashMap<&'a str, (Place, u32)>,
            from: FxHashMap<&'a str, (Place, u32)>,
        ) {
            for (key, (first, n)) in from {
                add(into, key, first, n);
            }
        }
        let tally = docs
            .par_iter()
            .enumerate()
            .fold(Tally::default, |mut t, (i, linked)| {
                let c = &linked.cable;
                *t.classes.entry(c.classification).or_default() += 1;
                *t.years.entry(c.created.year).or_default() += 1;
                add(&mut t.origins, &c.origin, (i, 0), 1);
                for (j, tag) in c.tags.iter().enumerate() {
                    add(&mut t.tags, tag, (i, j), 1);
                }
                t
            })
            .reduce(Tally::default, |mut a, b| {
                for (k, n) in b.classes {
                    *a.classes.entry(k).or_default() += n;
                }
                for (k, n) in b.years {
                    *a.years.entry(k).or_default() += n;
                }
                merge(&mut a.origins, b.origins);
                merge(&mut a.tags, b.tags);
                a
            });
        // Spellings folded into their slugs: the first one met, in document and tag order,
        // names it (places are unique, so no tie).
        let by_slug = |spellings: FxHashMap<&str, (Place, u32)>| {
            let mut slugs: BTreeMap<String, (Place, &str, u32)> = BTreeMap::new();
            for (spelling, (first, n)) in spellings {
                let s = analyze::slug(spelling);
                if s.is_empty() {
                    continue;
                }
                let e = slugs.entry(s).or_insert((first, spelling, 0));
                if first < e.0 {
                    (e.0, e.1) = (first, spelling);
                }
                e.2 += n;
            }
            slugs
                .into_iter()
                .map(|(s, (_, spelling, n))| (s, (spelling.to_string(), n)))
                .collect::<BTreeMap<String, (String, u32)>>()
        };
        Filters {
            classes: tally.classes,
            years: tally.years,
            origins: by_slug(tally.origins),
            tags: by_slug(tally.tags),
        }
    }
}

/// `meta.js`: what the page needs before any query: sizes, shard bounds, filter choices.
fn meta_file(docs: usize, filters: &Filters, bounds: &[Box<str>]) -> String {
    let Filters {
        classes,
        years,
        origins,
        tags,
    } = filters;
    let mut top_tags: Vec<(&String, &(String, u32))> = tags.iter().collect();
    top_tags.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then(a.0.cmp(b.0)));
    top_tags.truncate(LISTED_TAGS);
    top_tags.sort_by(|a, b| a.0.cmp(b.0));
    let meta = json!({
        "version": FORMAT_VERSION,
        "docs": docs,
        "docShard": shards::DOC_SHARD,
        "bounds": bounds.iter().map(|b| &**b).collect::<Vec<_>>(),
        "filters": {
            "class": classes.iter().map(|(c, n)| json!([c.slug(), c.label(), n])).collect::<Vec<_>>(),
            "year": years.iter().map(|(y, n)| json!([y.to_string(), y.to_string(), n])).collect::<Vec<_>>(),
            "origin": origins.iter().map(|(s, (name, n))| json!([s, name, n])).collect::<Vec<_>>(),
            "tag": top_tags.iter().map(|(s, (name, n))| json!([s, name, n])).collect::<Vec<_>>(),
        }
    });
    format!("ArchiveSearch.meta({});\n", shards::js_string_value(&meta))
}

#[cfg(test)]
mod plan_tests {
    use super::*;
    use proptest::prelude::*;

    fn check(plan: &[std::ops::Range<usize>], n: usize) {
        let mut at = 0;
        for (c, r) in plan.iter().enumerate() {
            assert_eq!(r.start, at);
            assert!(r.len() <= PLAN_MAX);
            assert!(r.len() >= PLAN_MIN || c + 1 == plan.len());
            at = r.end;
        }
        assert_eq!(at, n);
    }

    /// The chunks of a plan as the key sequences they hold.
    fn chunks(keys: &[u64]) -> std::collections::BTreeSet<Vec<u64>> {
        content_plan(keys)
            .into_iter()
            .map(|r| keys[r].to_vec())
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn plans_cover_in_order_and_edits_stay_local(
            seed in any::<u64>(),
            n in 0usize..40_000,
            at in any::<prop::sample::Index>(),
            k in 1usize..4,
        ) {
            let keys: Vec<u64> = (0..n as u64)
                .map(|i| fnv1a(&(seed ^ i.wrapping_mul(0x9e37_79b9_7f4a_7c15)).to_le_bytes()))
                .collect();
            check(&content_plan(&keys), n);
            let mut edited = keys.clone();
            let pos = at.index(n + 1);
            for j in 0..k {
                edited.insert(pos, fnv1a(&(seed, j, "new").0.to_be_bytes()) ^ j as u64);
            }
            check(&content_plan(&edited), n + k);
            let before = chunks(&keys);
            let after = chunks(&edited);
            let changed = after.difference(&before).count();
            prop_assert!(changed <= 2 * k + 2, "{changed} chunks changed");
        }
    }
}

fn write(path: &PathBuf, text: &str) -> Result<(), SearchError> {
    std::fs::write(path, text).map_err(|e| io_error(path, e))
}

pub(crate) fn io_error(path: &Path, source: std::io::Error) -> SearchError {
    SearchError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Why the search index could not be written. The message names the file and includes the
/// cause's text, so it reads whole on its own; the cause stays available as `source()` for code
/// that needs its kind (a full disk, a permission).
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// A file or folder under `search/` could not be removed, created or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: std::io::Error,
    },
    /// A cable's file, read again for its words, no longer holds the text it was linked with.
    #[error("{0}")]
    Reread(archive_cable::model::Problem),
    /// Document numbers are `u32` with a bit to spare; an archive past that cannot be indexed.
    #[error("too many cables for the search index ({0})")]
    TooManyCables(usize),
}

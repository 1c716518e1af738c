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
pub mod encode;
pub mod postings;
pub mod shards;
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
    let indexer = Indexer::new(config, out_dir, published.len())?;
    published
        .par_chunks(analyze::CHUNK_DOCS)
        .enumerate()
        .try_for_each(|(i, indices)| -> Result<(), SearchError> {
            let full = indices
                .iter()
                .map(|&k| corpus.full(k))
                .collect::<Result<Vec<_>, _>>()
                .map_err(SearchError::Reread)?;
            let cables: Vec<&archive_cable::model::Cable> = full.iter().map(|c| &**c).collect();
            indexer.add_chunk(i, &cables);
            Ok(())
        })?;
    let docs: Vec<&LinkedCable> = published.iter().map(|&i| &corpus.cables[i]).collect();
    indexer.finish(&docs)
}

/// The search index built in two steps, so that the telegrams are read once for both the pages
/// and the index: [`Indexer::add_chunk`] for each chunk of [`analyze::CHUNK_DOCS`] consecutive
/// documents (in any order, from any thread, while their text is at hand), then
/// [`Indexer::finish`] merges and writes everything. Only each chunk's small inverted index and
/// its snippets are kept, never a telegram.
pub struct Indexer {
    config: SearchConfig,
    dir: PathBuf,
    docs: usize,
    chunks: std::sync::Mutex<Vec<Option<Analysed>>>,
}

/// One chunk's inverted index and the snippets of its documents.
type Analysed = (analyze::ChunkIndex, Vec<String>);

impl Indexer {
    /// Starts an index of `docs` documents under `out_dir/search/` (replaced whole).
    pub fn new(config: &SearchConfig, out_dir: &Path, docs: usize) -> Result<Indexer, SearchError> {
        if docs > u32::MAX as usize / 2 {
            return Err(SearchError::TooManyCables(docs));
        }
        let dir = out_dir.join("search");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
        }
        for sub in ["t", "p", "d", "q", "r"] {
            let d = dir.join(sub);
            std::fs::create_dir_all(&d).map_err(|e| io_error(&d, e))?;
        }
        let chunks = (0..docs.div_ceil(analyze::CHUNK_DOCS))
            .map(|_| None)
            .collect();
        Ok(Indexer {
            config: config.clone(),
            dir,
            docs,
            chunks: std::sync::Mutex::new(chunks),
        })
    }

    /// Indexes chunk `number`: the documents `number * CHUNK_DOCS ..`, all of them, in order.
    pub fn add_chunk(&self, number: usize, cables: &[&archive_cable::model::Cable]) {
        let snippets = cables.iter().map(|c| shards::snippet(c)).collect();
        let index = analyze::chunk(cables, (number * analyze::CHUNK_DOCS) as u32, &self.config);
        self.chunks.lock().unwrap_or_else(|e| e.into_inner())[number] = Some((index, snippets));
    }

    /// Merges the chunks and writes the index; `docs` are the indexed cables, in order.
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
        let (chunks, snippets): (Vec<analyze::ChunkIndex>, Vec<Vec<String>>) = self
            .chunks
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .map(|c| c.expect("every chunk of the index was added"))
            .unzip();
        let snippets: Vec<String> = snippets.into_iter().flatten().collect();
        write_index(&self.dir, docs, chunks, &snippets)
    }
}

/// The merge and write phases of [`Indexer::finish`].
fn write_index(
    dir: &Path,
    docs: &[&LinkedCable],
    chunks: Vec<analyze::ChunkIndex>,
    snippets: &[String],
) -> Result<SearchStats, SearchError> {
    let timer = Timer::new();
    let lens: Vec<u32> = chunks.iter().flat_map(|c| c.lens.iter().copied()).collect();
    let total: u64 = lens.iter().map(|&l| u64::from(l)).sum();
    let coll = postings::Collection {
        docs: docs.len() as u32,
        avg_len: total as f64 / docs.len().max(1) as f64,
        lens: &lens,
    };
    timer.lap("analyze");
    if std::env::var_os("ARCHIVE_SEARCH_TIMES").is_some() {
        let entries: usize = chunks.iter().map(|c| c.len()).sum();
        let names: usize = chunks.iter().map(|c| c.names_len()).sum();
        let bytes: usize = chunks.iter().map(|c| c.bytes_len()).sum();
        let positions: usize = chunks.iter().map(|c| c.positions_len()).sum();
        eprintln!("search chunks: {entries} entries, {names} name bytes, {bytes} postings bytes, {positions} positions bytes");
    }
    // Distinct terms first (a hash set: each chunk repeats most of the common vocabulary, so
    // sorting every chunk's terms would sort many times too much), then sorted.
    let mut vocab: Vec<&str> = {
        let mut seen: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
        for c in &chunks {
            seen.extend((0..c.len()).map(|i| c.term(i)));
        }
        seen.into_iter().collect()
    };
    vocab.par_sort_unstable();
    timer.lap("vocabulary");

    // Phase 2: merged postings; big lists written at once to their own files.
    let p_dir = dir.join("p");
    let r_dir = dir.join("r");
    let blocks: Vec<Result<Block, SearchError>> = vocab
        .par_chunks(BLOCK_TERMS)
        .enumerate()
        .map(|(b, block)| {
            let terms = postings::build_block(block, &chunks, &coll);
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
            out.terms.shrink_to_fit();
            out.text.shrink_to_fit();
            out.positions.shrink_to_fit();
            Ok(out)
        })
        .collect();
    let mut stats = SearchStats {
        terms: vocab.len(),
        ..SearchStats::default()
    };
    drop(vocab);
    drop(chunks);
    timer.lap("postings");

    // Phase 3: pack the dictionary into shards, in order.
    // The positions shards follow the term shards' bounds, entry for entry.
    let mut bounds: Vec<Box<str>> = Vec::new();
    let mut shard_texts: Vec<String> = Vec::new();
    let mut position_texts: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut current_positions = String::new();
    for block in blocks {
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
                shard_texts.push(std::mem::take(&mut current));
                position_texts.push(std::mem::take(&mut current_positions));
            }
        }
    }
    if !current.is_empty() {
        shard_texts.push(current);
        position_texts.push(current_positions);
    }
    stats.term_shards = shard_texts.len();
    stats.bytes += write_numbered(&dir.join("t"), shard_texts.len(), |n| {
        shards::term_shard_file(n, &shard_texts[n])
    })?;
    drop(shard_texts);
    let positions_shards = write_numbered(&dir.join("q"), position_texts.len(), |n| {
        shards::positions_shard_file(n, &position_texts[n])
    })?;
    stats.bytes += positions_shards;
    stats.positions_bytes += positions_shards;
    stats.files += position_texts.len();
    drop(position_texts);
    timer.lap("dictionary");

    // Display data.
    stats.doc_shards = docs.len().div_ceil(shards::DOC_SHARD);
    stats.bytes += write_numbered(&dir.join("d"), stats.doc_shards, |n| {
        let start = n * shards::DOC_SHARD;
        let end = (start + shards::DOC_SHARD).min(docs.len());
        shards::doc_shard_file(n, &docs[start..end], &snippets[start..end])
    })?;
    stats.files += stats.term_shards + stats.doc_shards;

    let meta = meta_file(docs, &bounds);
    write(&dir.join("meta.js"), &meta)?;
    stats.meta_bytes = meta.len() as u64;
    stats.bytes += meta.len() as u64;
    stats.files += 1;
    timer.lap("documents");
    Ok(stats)
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
/// per term (millions of terms wait here at once, while every chunk is still held).
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

/// `meta.js`: what the page needs before any query: sizes, shard bounds, filter choices.
fn meta_file(docs: &[&LinkedCable], bounds: &[Box<str>]) -> String {
    let mut classes: BTreeMap<Classification, u32> = BTreeMap::new();
    let mut years: BTreeMap<u16, u32> = BTreeMap::new();
    // slug → (display name of its first cable, count)
    let mut origins: BTreeMap<String, (String, u32)> = BTreeMap::new();
    let mut tags: BTreeMap<String, (String, u32)> = BTreeMap::new();
    for linked in docs {
        let c = &linked.cable;
        *classes.entry(c.classification).or_default() += 1;
        *years.entry(c.created.year).or_default() += 1;
        let o = analyze::slug(&c.origin);
        if !o.is_empty() {
            origins.entry(o).or_insert_with(|| (c.origin.clone(), 0)).1 += 1;
        }
        for tag in &c.tags {
            let t = analyze::slug(tag);
            if !t.is_empty() {
                tags.entry(t).or_insert_with(|| (tag.clone(), 0)).1 += 1;
            }
        }
    }
    let mut top_tags: Vec<(&String, &(String, u32))> = tags.iter().collect();
    top_tags.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then(a.0.cmp(b.0)));
    top_tags.truncate(LISTED_TAGS);
    top_tags.sort_by(|a, b| a.0.cmp(b.0));
    let meta = json!({
        "version": FORMAT_VERSION,
        "docs": docs.len(),
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

/// Writes `count` files `dir/0.js`, `dir/1.js`, …, the text of file `n` made by `file(n)`, in
/// parallel; returns their total size.
fn write_numbered(
    dir: &Path,
    count: usize,
    file: impl Fn(usize) -> String + Sync,
) -> Result<u64, SearchError> {
    let sizes: Vec<u64> = (0..count)
        .into_par_iter()
        .map(|n| {
            let text = file(n);
            write(&dir.join(format!("{n}.js")), &text)?;
            Ok(text.len() as u64)
        })
        .collect::<Result<_, SearchError>>()?;
    Ok(sizes.iter().sum())
}

fn write(path: &PathBuf, text: &str) -> Result<(), SearchError> {
    std::fs::write(path, text).map_err(|e| io_error(path, e))
}

fn io_error(path: &Path, source: std::io::Error) -> SearchError {
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

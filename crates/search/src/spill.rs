//! The chunks' inverted indexes on their way to the merge, in bounded memory (an external sort).
//!
//! Every chunk's index is sorted by term already ([`analyze::chunk`]), so each one is a sorted
//! run. While the chunks held in memory stay under the indexer's budget they stay there; past
//! it, each further chunk is written to its own run file, `search/.spill/N.run` (N the chunk
//! number, so nothing depends on thread timing), and dropped. The merge then reads:
//!
//! - the vocabulary, by a k-way merge of the runs' term names, streamed through a small buffer
//!   per run ([`vocabulary`]): it gives each distinct term its global number and, for every
//!   block of [`crate::BLOCK_TERMS`] terms, where the block starts in each run, without holding
//!   the vocabulary;
//! - for each block, the contiguous slice of its terms in each run ([`Run::slice`]);
//! - for the display data, each chunk's snippets ([`Run::snippets`]).
//!
//! A run file is a header, the documents' weighted lengths and their keys (see [`RunFile`]),
//! then the chunk's term table (`[u32; 3]` little-endian ends of each term's name,
//! postings and positions), then its names, postings and positions as in memory, then its
//! documents' snippets (varint length, UTF-8 bytes). No file is held open between reads (a
//! million cables is 977 runs, past the usual limit of open files), and the folder is removed
//! by [`crate::Indexer::finish`] and, on any failure, by [`SpillDir`]'s drop.

use crate::analyze::ChunkIndex;
use crate::encode::{get_varint, put_varint};
use crate::{io_error, SearchError};
use archive_corpus::facts::checksum;
use archive_corpus::prefix_key;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Bytes read at a time from a run file while streaming its names: the vocabulary merge holds
/// two such buffers per run (977 runs at a million cables: 64 MB).
pub const READ_BUFFER: usize = 32 * 1024;

/// The spill folder, removed (whatever it holds) when dropped, so a failed or panicking build
/// leaves no run file behind.
pub struct SpillDir(pub PathBuf);

impl SpillDir {
    /// Removes the folder now, reporting a failure (the drop after it then has nothing to do).
    pub fn remove(&self) -> Result<(), SearchError> {
        match std::fs::remove_dir_all(&self.0) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_error(&self.0, e)),
        }
    }
}

impl Drop for SpillDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One chunk's index and snippets: held, or in its run file.
pub enum Run {
    /// Kept in memory (within the budget).
    Memory(ChunkIndex, Vec<String>),
    /// Written to `path`; only its sizes are held.
    Disk(RunFile),
}

/// The first bytes of every run file, so that a stray or foreign file is never read as a run.
pub const RUN_MAGIC: [u8; 8] = *b"ARCHSRUN";

/// Version of the run file's layout *and* of the analysis that produced it. A run kept in a
/// [`crate::RunCache`] outlives the binary that wrote it, so this must be bumped whenever the
/// layout below, [`crate::analyze::chunk`]'s output (terms, weights, positions, postings
/// encoding), the tokenizer or [`crate::shards::snippet`] changes: a run of another version is
/// then re-analysed instead of silently giving a different index.
pub const RUN_VERSION: u32 = 3;

/// Bytes of the header: magic, version, config fingerprint, documents, terms, the four section
/// sizes and the checksum. The documents' lengths and keys follow it (12 bytes a document).
pub const HEADER_BYTES: u64 = 8 + 4 + 8 + 4 + 4 + 8 * 4 + 8;

/// Where a spilled chunk's parts are in its run file.
///
/// A run file is: the header (all little-endian: [`RUN_MAGIC`], [`RUN_VERSION`] as u32, the
/// [`crate::SearchConfig`] fingerprint as u64, documents u32, terms u32, then the sizes of the
/// names, postings, positions and snippets sections as u64, then a checksum u64 of everything
/// after the header), the documents' weighted lengths (u32 each, so that a reused run brings
/// them), the documents' keys (u64 each: the caller's names of the documents, so that a later
/// build can find a document in the run and take its analysis from it,
/// [`crate::compose`]; 0 where the caller gave none), then the sections described in the
/// module's documentation.
pub struct RunFile {
    pub path: PathBuf,
    pub base: u32,
    /// Documents of the chunk.
    pub docs: u32,
    /// Where the term table starts (after the header, the lengths and the keys).
    pub offset: u64,
    pub terms: u32,
    pub names: u64,
    pub bytes: u64,
    pub positions: u64,
    pub snippets: u64,
}

impl RunFile {
    fn names_at(&self) -> u64 {
        self.offset + u64::from(self.terms) * 12
    }
    fn bytes_at(&self) -> u64 {
        self.names_at() + self.names
    }
    fn positions_at(&self) -> u64 {
        self.bytes_at() + self.bytes
    }
    fn snippets_at(&self) -> u64 {
        self.positions_at() + self.positions
    }
}

/// Writes `chunk`, its documents' weighted `lens`, their `keys` (empty: none known, written as
/// 0) and `snippets` to the run file `path`. `fingerprint` is
/// [`crate::SearchConfig::fingerprint`] of the analysis.
pub fn write_run(
    path: &Path,
    chunk: &ChunkIndex,
    lens: &[u32],
    keys: &[u64],
    snippets: &[String],
    fingerprint: u64,
) -> Result<RunFile, SearchError> {
    assert!(
        keys.is_empty() || keys.len() == lens.len(),
        "a key for every document or none"
    );
    let file = std::fs::File::create(path).map_err(|e| io_error(path, e))?;
    let mut w = std::io::BufWriter::with_capacity(256 * 1024, file);
    let mut snippet_bytes = Vec::new();
    for s in snippets {
        put_varint(&mut snippet_bytes, s.len() as u32);
        snippet_bytes.extend_from_slice(s.as_bytes());
    }
    let mut table = Vec::with_capacity(chunk.terms.len() * 12);
    for t in &chunk.terms {
        for v in t {
            table.extend_from_slice(&v.to_le_bytes());
        }
    }
    let mut lens_bytes: Vec<u8> = lens.iter().flat_map(|l| l.to_le_bytes()).collect();
    match keys.is_empty() {
        true => lens_bytes.resize(lens.len() * 12, 0),
        false => lens_bytes.extend(keys.iter().flat_map(|k| k.to_le_bytes())),
    }
    let sum = checksum(&[
        &lens_bytes,
        &table,
        chunk.names.as_bytes(),
        &chunk.bytes,
        &chunk.positions,
        &snippet_bytes,
    ]);
    let mut header = Vec::with_capacity(HEADER_BYTES as usize);
    header.extend_from_slice(&RUN_MAGIC);
    header.extend_from_slice(&RUN_VERSION.to_le_bytes());
    header.extend_from_slice(&fingerprint.to_le_bytes());
    header.extend_from_slice(&(lens.len() as u32).to_le_bytes());
    header.extend_from_slice(&(chunk.terms.len() as u32).to_le_bytes());
    for n in [
        chunk.names.len(),
        chunk.bytes.len(),
        chunk.positions.len(),
        snippet_bytes.len(),
    ] {
        header.extend_from_slice(&(n as u64).to_le_bytes());
    }
    header.extend_from_slice(&sum.to_le_bytes());
    debug_assert_eq!(header.len() as u64, HEADER_BYTES);
    let result = (|| -> std::io::Result<()> {
        w.write_all(&header)?;
        w.write_all(&lens_bytes)?;
        w.write_all(&table)?;
        w.write_all(chunk.names.as_bytes())?;
        w.write_all(&chunk.bytes)?;
        w.write_all(&chunk.positions)?;
        w.write_all(&snippet_bytes)?;
        w.flush()
    })();
    result.map_err(|e| io_error(path, e))?;
    Ok(RunFile {
        path: path.to_path_buf(),
        base: chunk.base,
        docs: lens.len() as u32,
        offset: HEADER_BYTES + lens.len() as u64 * 12,
        terms: chunk.terms.len() as u32,
        names: chunk.names.len() as u64,
        bytes: chunk.bytes.len() as u64,
        positions: chunk.positions.len() as u64,
        snippets: snippet_bytes.len() as u64,
    })
}

/// Reads `len` bytes at `at` of an open run file.
fn read_at(file: &mut std::fs::File, at: u64, len: u64) -> std::io::Result<Vec<u8>> {
    let mut buf = vec![0u8; len as usize];
    if len > 0 {
        file.seek(SeekFrom::Start(at))?;
        file.read_exact(&mut buf)?;
    }
    Ok(buf)
}

fn corrupt(what: &str) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("{what} (the spill file changed during the build)"),
    )
}

impl Run {
    /// Number of distinct terms of the chunk.
    pub fn terms(&self) -> usize {
        match self {
            Run::Memory(c, _) => c.len(),
            Run::Disk(f) => f.terms as usize,
        }
    }

    /// Sizes for the `ARCHIVE_SEARCH_TIMES` report: (entries, name bytes, postings bytes,
    /// positions bytes).
    pub fn sizes(&self) -> (usize, usize, usize, usize) {
        match self {
            Run::Memory(c, _) => (c.len(), c.names_len(), c.bytes_len(), c.positions_len()),
            Run::Disk(f) => (
                f.terms as usize,
                f.names as usize,
                f.bytes as usize,
                f.positions as usize,
            ),
        }
    }

    /// Terms `from..to` of the run, read from its file when it was spilled.
    pub fn slice(&self, from: usize, to: usize) -> Result<ChunkIndex, SearchError> {
        match self {
            Run::Memory(c, _) => Ok(c.slice(from, to)),
            Run::Disk(f) => read_slice(f, from, to).map_err(|e| io_error(&f.path, e)),
        }
    }

    /// The snippets of the chunk's documents, in order.
    pub fn snippets(&self) -> Result<Vec<String>, SearchError> {
        match self {
            Run::Memory(_, s) => Ok(s.clone()),
            Run::Disk(f) => read_snippets(f).map_err(|e| io_error(&f.path, e)),
        }
    }
}

fn read_slice(f: &RunFile, from: usize, to: usize) -> std::io::Result<ChunkIndex> {
    if from >= to {
        return Ok(ChunkIndex::from_parts(
            f.base,
            String::new(),
            Vec::new(),
            Vec::new(),
            Vec::new(),
        ));
    }
    let mut file = std::fs::File::open(&f.path)?;
    // The entry before the slice says where its parts start.
    let first = from.saturating_sub(1);
    let raw = read_at(
        &mut file,
        f.offset + first as u64 * 12,
        (to - first) as u64 * 12,
    )?;
    let mut table: Vec<[u32; 3]> = raw.chunks_exact(12).map(table_entry).collect();
    let start = if from == 0 { [0; 3] } else { table.remove(0) };
    let end = *table.last().expect("a non-empty slice");
    if (0..3).any(|k| end[k] < start[k]) {
        return Err(corrupt("a term table out of order"));
    }
    for t in &mut table {
        for k in 0..3 {
            t[k] = t[k]
                .checked_sub(start[k])
                .ok_or_else(|| corrupt("a term table out of order"))?;
        }
    }
    let part = |file: &mut std::fs::File, at: u64, k: usize| {
        read_at(file, at + u64::from(start[k]), u64::from(end[k] - start[k]))
    };
    let names = part(&mut file, f.names_at(), 0)?;
    let names = String::from_utf8(names).map_err(|_| corrupt("a term that is not UTF-8"))?;
    let bytes = part(&mut file, f.bytes_at(), 1)?;
    let positions = part(&mut file, f.positions_at(), 2)?;
    Ok(ChunkIndex::from_parts(
        f.base, names, bytes, positions, table,
    ))
}

/// One entry of a run file's term table (12 bytes): the ends of the term's name, postings and
/// positions.
fn table_entry(e: &[u8]) -> [u32; 3] {
    let v = |k: usize| u32::from_le_bytes(e[k..k + 4].try_into().expect("4 bytes"));
    [v(0), v(4), v(8)]
}

fn read_snippets(f: &RunFile) -> std::io::Result<Vec<String>> {
    let mut file = std::fs::File::open(&f.path)?;
    decode_snippets(&read_at(&mut file, f.snippets_at(), f.snippets)?)
}

/// A run file's snippets section: a varint length and the UTF-8 bytes of each snippet.
fn decode_snippets(raw: &[u8]) -> std::io::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < raw.len() {
        let len = get_varint(raw, &mut pos).ok_or_else(|| corrupt("a snippet length"))? as usize;
        let text = raw
            .get(pos..pos + len)
            .ok_or_else(|| corrupt("a snippet cut short"))?;
        out.push(String::from_utf8(text.to_vec()).map_err(|_| corrupt("a snippet not UTF-8"))?);
        pos += len;
    }
    Ok(out)
}

/// A section of a run file read front to back through a buffer of [`READ_BUFFER`] bytes,
/// opening the file for each refill so that no descriptor is held between them.
struct Stream<'a> {
    path: &'a Path,
    pos: u64,
    end: u64,
    buf: Vec<u8>,
    at: usize,
}

impl<'a> Stream<'a> {
    fn new(path: &'a Path, pos: u64, len: u64) -> Stream<'a> {
        Stream {
            path,
            pos,
            end: pos + len,
            buf: Vec::new(),
            at: 0,
        }
    }

    /// Appends the next `n` bytes to `out`.
    fn take(&mut self, mut n: usize, out: &mut Vec<u8>) -> std::io::Result<()> {
        while n > 0 {
            if self.at == self.buf.len() {
                let len = (self.end - self.pos).min(READ_BUFFER as u64);
                if len == 0 {
                    return Err(corrupt("a run file cut short"));
                }
                let mut file = std::fs::File::open(self.path)?;
                self.buf = read_at(&mut file, self.pos, len)?;
                self.pos += len;
                self.at = 0;
            }
            let k = n.min(self.buf.len() - self.at);
            out.extend_from_slice(&self.buf[self.at..self.at + k]);
            self.at += k;
            n -= k;
        }
        Ok(())
    }
}

/// Reads one run's term names in order.
enum Names<'a> {
    Memory(&'a ChunkIndex, usize),
    Disk {
        table: Stream<'a>,
        names: Stream<'a>,
        left: u32,
        end: u32,
        entry: Vec<u8>,
    },
}

impl Names<'_> {
    /// Puts the next name in `out` (cleared first); false at the end.
    fn next(&mut self, out: &mut Vec<u8>) -> std::io::Result<bool> {
        out.clear();
        match self {
            Names::Memory(c, i) => {
                if *i == c.len() {
                    return Ok(false);
                }
                out.extend_from_slice(c.term(*i).as_bytes());
                *i += 1;
                Ok(true)
            }
            Names::Disk {
                table,
                names,
                left,
                end,
                entry,
            } => {
                if *left == 0 {
                    return Ok(false);
                }
                entry.clear();
                table.take(12, entry)?;
                let next = u32::from_le_bytes(entry[0..4].try_into().expect("4 bytes"));
                let len = next
                    .checked_sub(*end)
                    .ok_or_else(|| corrupt("a term table out of order"))?;
                names.take(len as usize, out)?;
                *end = next;
                *left -= 1;
                Ok(true)
            }
        }
    }
}

/// The merged vocabulary, without its terms: how many distinct terms there are, and for each
/// block of `block_terms` consecutive terms (and the end), the index in each run of its first
/// term: `cuts[b * runs + r]`.
pub struct Vocabulary {
    pub terms: usize,
    pub runs: usize,
    pub cuts: Vec<u32>,
}

impl Vocabulary {
    /// Number of blocks.
    pub fn blocks(&self) -> usize {
        (self.cuts.len() / self.runs.max(1)).saturating_sub(1)
    }

    /// The range of run `r`'s terms that belong to block `b`.
    pub fn range(&self, b: usize, r: usize) -> (usize, usize) {
        (
            self.cuts[b * self.runs + r] as usize,
            self.cuts[(b + 1) * self.runs + r] as usize,
        )
    }
}

/// The k-way merge of the runs' names: see [`Vocabulary`]. Holds one name and two read
/// buffers per run.
pub fn vocabulary(runs: &[Run], block_terms: usize) -> Result<Vocabulary, SearchError> {
    let mut cursors: Vec<Names> = runs
        .iter()
        .map(|run| match run {
            Run::Memory(c, _) => Names::Memory(c, 0),
            Run::Disk(f) => Names::Disk {
                table: Stream::new(&f.path, f.offset, u64::from(f.terms) * 12),
                names: Stream::new(&f.path, f.names_at(), f.names),
                left: f.terms,
                end: 0,
                entry: Vec::new(),
            },
        })
        .collect();
    let path_of = |r: usize| match &runs[r] {
        Run::Disk(f) => f.path.clone(),
        Run::Memory(..) => PathBuf::new(),
    };
    // Each run's current name (empty once the run is done) and its first 8 bytes as a number
    // (most comparisons end there, without touching the names); a tournament of the runs
    // finds the least. A heap of (number, name, run) moved its 40-byte elements at every pop
    // and push: 0.47–0.56 s against 0.42–0.47 s for 180 runs at 251,287 cables.
    let k = runs.len();
    let mut names: Vec<Vec<u8>> = vec![Vec::new(); k];
    let mut prefixes = vec![0u64; k];
    let mut live = vec![false; k];
    for (r, cursor) in cursors.iter_mut().enumerate() {
        live[r] = cursor
            .next(&mut names[r])
            .map_err(|e| io_error(&path_of(r), e))?;
        prefixes[r] = prefix_key(&names[r]);
    }
    let mut tree = Tournament::new(k, |a, b| name_before(&names, &prefixes, &live, a, b));
    let mut consumed = vec![0u32; k];
    let mut cuts = Vec::new();
    let mut terms = 0usize;
    let mut last: Vec<u8> = Vec::new();
    while let Some(r) = tree.winner().filter(|&r| live[r]) {
        if terms == 0 || last != names[r] {
            if terms % block_terms == 0 {
                cuts.extend_from_slice(&consumed);
            }
            terms += 1;
            // The name becomes the last one; its buffer takes the run's next.
            std::mem::swap(&mut last, &mut names[r]);
        }
        consumed[r] += 1;
        live[r] = cursors[r]
            .next(&mut names[r])
            .map_err(|e| io_error(&path_of(r), e))?;
        prefixes[r] = prefix_key(&names[r]);
        tree.replay(r, |a, b| name_before(&names, &prefixes, &live, a, b));
    }
    cuts.extend_from_slice(&consumed);
    if runs.is_empty() {
        cuts.clear();
    }
    Ok(Vocabulary {
        terms,
        runs: runs.len(),
        cuts,
    })
}

/// Whether run `a`'s current name comes before run `b`'s in the merge: by name, a finished run
/// after every other, ties by run number (so the order of the merge is fixed).
fn name_before(names: &[Vec<u8>], prefixes: &[u64], live: &[bool], a: usize, b: usize) -> bool {
    match (live[a], live[b]) {
        (false, _) => false,
        (true, false) => true,
        (true, true) => (prefixes[a], &names[a], a) < (prefixes[b], &names[b], b),
    }
}

/// A tournament (loser) tree over `k` players: the winner is found again after one player's
/// value changes with one comparison per level (`log2 k`) and nothing moved but player
/// numbers. `before(a, b)` says whether player `a` beats `b`; the caller keeps the values.
/// Players past `k` (the tree is padded to a power of two) never win.
struct Tournament {
    k: usize,
    /// `nodes[0]`: the winner; `nodes[i]` for `i` ≥ 1: the loser of the match at node `i`
    /// (leaves are nodes `n..2n`, player `p` at node `n + p`).
    nodes: Vec<usize>,
}

impl Tournament {
    fn new(k: usize, before: impl Fn(usize, usize) -> bool) -> Tournament {
        let n = k.next_power_of_two();
        let beats = |a: usize, b: usize| b >= k || (a < k && before(a, b));
        let mut winners = vec![0usize; 2 * n];
        for (p, w) in winners[n..].iter_mut().enumerate() {
            *w = p;
        }
        let mut nodes = vec![usize::MAX; n.max(1)];
        for i in (1..n).rev() {
            let (a, b) = (winners[2 * i], winners[2 * i + 1]);
            let (w, l) = if beats(a, b) { (a, b) } else { (b, a) };
            winners[i] = w;
            nodes[i] = l;
        }
        nodes[0] = if k == 0 { usize::MAX } else { winners[1] };
        Tournament { k, nodes }
    }

    /// The winning player, `None` when there are none.
    fn winner(&self) -> Option<usize> {
        (self.nodes[0] < self.k).then_some(self.nodes[0])
    }

    /// Plays player `p`'s matches again from its leaf up, after its value changed.
    fn replay(&mut self, p: usize, before: impl Fn(usize, usize) -> bool) {
        let k = self.k;
        let beats = |a: usize, b: usize| b >= k || (a < k && before(a, b));
        let n = self.nodes.len();
        let mut winner = p;
        let mut i = (n + p) / 2;
        while i >= 1 {
            if beats(self.nodes[i], winner) {
                std::mem::swap(&mut self.nodes[i], &mut winner);
            }
            i /= 2;
        }
        self.nodes[0] = winner;
    }
}

/// Reads and checks the run file `path` written by [`write_run`]: the magic, [`RUN_VERSION`],
/// the `fingerprint`, that it holds exactly `docs` documents, that the file is as long as its
/// header says, the checksum, and that the term table is in order and ends at the sections'
/// sizes. `Ok(None)` for any file that fails a check (a corrupt run must be re-analysed, never
/// read or panicked on); `Err` only when it cannot be read at all for another reason than not
/// existing. On success: the run (at `base`) and its documents' weighted lengths.
pub fn open_run(
    path: &Path,
    base: u32,
    docs: usize,
    fingerprint: u64,
) -> std::io::Result<Option<(RunFile, Vec<u32>)>> {
    thread_local! {
        /// The bytes of the run being checked, kept from run to run: a rebuild checks some 180
        /// runs of 4 MB, and a fresh buffer for each was faulted in page by page.
        static RAW: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    RAW.with(|raw| {
        let mut raw = raw.borrow_mut();
        raw.clear();
        match std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut raw)) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        }
        Ok(
            parse_run(&raw, Some(docs), fingerprint).map(|(mut f, lens, _)| {
                f.path = path.to_path_buf();
                f.base = base;
                (f, lens)
            }),
        )
    })
}

/// A run file read whole and checked as [`open_run`] checks it (but for any number of
/// documents): what [`crate::compose`] takes documents from.
pub struct WholeRun {
    /// The chunk's index, at base 0.
    pub index: ChunkIndex,
    pub lens: Vec<u32>,
    /// The documents' keys (0 where the writer gave none).
    pub keys: Vec<u64>,
    pub snippets: Vec<String>,
}

/// Reads the run file `path` whole; `Ok(None)` for a missing file or one that fails a check
/// of [`open_run`], `Err` for one that cannot be read.
pub fn read_whole(path: &Path, fingerprint: u64) -> std::io::Result<Option<WholeRun>> {
    let raw = match std::fs::read(path) {
        Ok(raw) => raw,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let Some((f, lens, keys)) = parse_run(&raw, None, fingerprint) else {
        return Ok(None);
    };
    let section = |at: u64, len: u64| raw[at as usize..(at + len) as usize].to_vec();
    let table: Vec<[u32; 3]> = raw[f.offset as usize..f.names_at() as usize]
        .chunks_exact(12)
        .map(table_entry)
        .collect();
    let Ok(names) = String::from_utf8(section(f.names_at(), f.names)) else {
        return Ok(None);
    };
    let index = ChunkIndex::from_parts(
        0,
        names,
        section(f.bytes_at(), f.bytes),
        section(f.positions_at(), f.positions),
        table,
    );
    let Ok(snippets) = decode_snippets(&raw[f.snippets_at() as usize..]) else {
        return Ok(None);
    };
    Ok(Some(WholeRun {
        index,
        lens,
        keys,
        snippets,
    }))
}

/// The documents' keys of the run file `path` (its header and the lengths and keys only, not
/// checked beyond the header: [`read_whole`] checks the file before any of it is used), or
/// `None` when it is no run of this `fingerprint`.
pub fn read_keys(path: &Path, fingerprint: u64) -> Option<Vec<u64>> {
    let mut file = std::fs::File::open(path).ok()?;
    let header = read_at(&mut file, 0, HEADER_BYTES).ok()?;
    if !header_matches(&header, fingerprint) {
        return None;
    }
    let n = u64::from(u32::from_le_bytes(
        header[20..24].try_into().expect("4 bytes"),
    ));
    let keys = read_at(&mut file, HEADER_BYTES + n * 4, n * 8).ok()?;
    Some(
        keys.chunks_exact(8)
            .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
            .collect(),
    )
}

/// Whether `header` (a run file's first [`HEADER_BYTES`]) starts with [`RUN_MAGIC`],
/// [`RUN_VERSION`] and `fingerprint`: a run of this layout and analysis.
fn header_matches(header: &[u8], fingerprint: u64) -> bool {
    header.len() >= 20
        && header[..8] == RUN_MAGIC
        && header[8..12] == RUN_VERSION.to_le_bytes()
        && header[12..20] == fingerprint.to_le_bytes()
}

/// The checks of [`open_run`] on the file's bytes (`docs`: the number of documents the run
/// must hold, or any). Gives the run, its documents' lengths and their keys.
fn parse_run(
    raw: &[u8],
    docs: Option<usize>,
    fingerprint: u64,
) -> Option<(RunFile, Vec<u32>, Vec<u64>)> {
    let header = raw.get(..HEADER_BYTES as usize)?;
    let u32_at = |k: usize| u32::from_le_bytes(header[k..k + 4].try_into().expect("4 bytes"));
    let u64_at = |k: usize| u64::from_le_bytes(header[k..k + 8].try_into().expect("8 bytes"));
    if !header_matches(header, fingerprint) {
        return None;
    }
    let (n, terms) = (u32_at(20), u32_at(24));
    if docs.is_some_and(|docs| n as usize != docs) {
        return None;
    }
    let sizes = [u64_at(28), u64_at(36), u64_at(44), u64_at(52)];
    let sum = u64_at(60);
    let offset = HEADER_BYTES + u64::from(n) * 12;
    let table_len = u64::from(terms) * 12;
    let total = sizes
        .iter()
        .try_fold(offset.checked_add(table_len)?, |a, &b| a.checked_add(b))?;
    if total != raw.len() as u64 || sizes[..3].iter().any(|&s| s > u64::from(u32::MAX)) {
        return None;
    }
    let mut at = HEADER_BYTES as usize;
    let mut section = |len: u64| {
        let s = &raw[at..at + len as usize];
        at += len as usize;
        s
    };
    let lens_bytes = section(u64::from(n) * 12);
    let table = section(table_len);
    let names = section(sizes[0]);
    let bytes = section(sizes[1]);
    let positions = section(sizes[2]);
    let snippets = section(sizes[3]);
    if checksum(&[lens_bytes, table, names, bytes, positions, snippets]) != sum {
        return None;
    }
    // The term table: every end at or past the previous one, the last at each section's size,
    // and the names valid UTF-8 cut at character bounds (what the merge assumes).
    let mut prev = [0u32; 3];
    for e in table.chunks_exact(12) {
        let cur = table_entry(e);
        if (0..3).any(|k| cur[k] < prev[k]) {
            return None;
        }
        std::str::from_utf8(names.get(prev[0] as usize..cur[0] as usize)?).ok()?;
        prev = cur;
    }
    if (0..3).any(|k| u64::from(prev[k]) != sizes[k]) {
        return None;
    }
    // The snippets: exactly one per document.
    let mut pos = 0;
    let mut count = 0;
    while pos < snippets.len() {
        let len = get_varint(snippets, &mut pos)? as usize;
        std::str::from_utf8(snippets.get(pos..pos.checked_add(len)?)?).ok()?;
        pos += len;
        count += 1;
    }
    if count != n as usize {
        return None;
    }
    let (lens_bytes, keys_bytes) = lens_bytes.split_at(n as usize * 4);
    let lens = lens_bytes
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
        .collect();
    let keys = keys_bytes
        .chunks_exact(8)
        .map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
        .collect();
    Some((
        RunFile {
            path: PathBuf::new(),
            base: 0,
            docs: n,
            offset,
            terms,
            names: sizes[0],
            bytes: sizes[1],
            positions: sizes[2],
            snippets: sizes[3],
        },
        lens,
        keys,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run of one document with two terms, written to a temporary folder.
    fn small_run(dir: &Path) -> PathBuf {
        let chunk = ChunkIndex::from_parts(
            0,
            "ab".to_string(),
            vec![0, 1, 0, 2],
            vec![2],
            vec![[1, 2, 0], [2, 4, 1]],
        );
        let path = dir.join("r.run");
        write_run(&path, &chunk, &[7], &[99], &["a snippet".to_string()], 42).unwrap();
        path
    }

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("archive-spill-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_tournament_finds_the_least_value_after_every_change() {
        // A fixed pseudo-random sequence: values change one player at a time, as runs advance;
        // the winner must always be the least value, the lower player on a tie.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for k in [0usize, 1, 2, 3, 5, 8, 9, 180] {
            let mut values: Vec<u64> = (0..k).map(|_| next() % 50).collect();
            let least = |values: &[u64]| (0..values.len()).min_by_key(|&p| (values[p], p));
            let mut tree = Tournament::new(k, |a, b| (values[a], a) < (values[b], b));
            assert_eq!(tree.winner(), least(&values), "{k} players, at the start");
            for step in 0..2000 {
                let Some(p) = tree.winner() else { break };
                values[p] += next() % 20;
                tree.replay(p, |a, b| (values[a], a) < (values[b], b));
                assert_eq!(tree.winner(), least(&values), "{k} players, step {step}");
            }
        }
    }

    #[test]
    fn a_run_reads_back_with_its_lengths() {
        let dir = temp_dir("back");
        let path = small_run(&dir);
        let (file, lens) = open_run(&path, 3, 1, 42).unwrap().expect("a valid run");
        assert_eq!(lens, vec![7]);
        assert_eq!((file.base, file.docs, file.terms), (3, 1, 2));
        let run = Run::Disk(file);
        assert_eq!(run.snippets().unwrap(), vec!["a snippet".to_string()]);
        let slice = run.slice(1, 2).unwrap();
        assert_eq!(slice.term(0), "b");
        assert_eq!(slice.postings(0), &[0, 2]);
        // Another configuration or another number of documents: refused.
        assert!(open_run(&path, 3, 1, 43).unwrap().is_none());
        assert!(open_run(&path, 3, 2, 42).unwrap().is_none());
        // A missing file is no error either.
        assert!(open_run(&dir.join("none.run"), 0, 1, 42).unwrap().is_none());
        // Whole, with the document's key.
        assert_eq!(read_keys(&path, 42), Some(vec![99]));
        assert_eq!(read_keys(&path, 43), None);
        let whole = read_whole(&path, 42).unwrap().expect("a valid run");
        assert_eq!((whole.lens, whole.keys), (vec![7], vec![99]));
        assert_eq!(whole.snippets, vec!["a snippet".to_string()]);
        assert_eq!(
            (whole.index.term(1), whole.index.postings(1)),
            ("b", &[0u8, 2][..])
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn truncated_or_flipped_runs_are_rejected_not_panicked_on() {
        let dir = temp_dir("damage");
        let path = small_run(&dir);
        let whole = std::fs::read(&path).unwrap();
        assert!(parse_run(&whole, Some(1), 42).is_some());
        for len in 0..whole.len() {
            assert!(
                parse_run(&whole[..len], Some(1), 42).is_none(),
                "cut at {len}"
            );
        }
        let mut longer = whole.clone();
        longer.push(0);
        assert!(parse_run(&longer, Some(1), 42).is_none(), "a byte too many");
        for at in 0..whole.len() {
            for bit in 0..8 {
                let mut bytes = whole.clone();
                bytes[at] ^= 1 << bit;
                assert!(
                    parse_run(&bytes, Some(1), 42).is_none(),
                    "byte {at} bit {bit}"
                );
            }
        }
        // Through the file, too.
        std::fs::write(&path, &whole[..whole.len() - 3]).unwrap();
        assert!(open_run(&path, 0, 1, 42).unwrap().is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

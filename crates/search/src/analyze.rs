//! Phase 1 of the index build: each run of consecutive documents → its own small inverted index
//! (term → documents with term frequencies), in parallel.
//!
//! Working per chunk of consecutive documents keeps memory low (each chunk's postings are held
//! as varint bytes, about 2 bytes per (term, document) pair) and makes the merge cheap: chunks
//! are in document order, so concatenating a term's entries across chunks gives its postings in
//! order without sorting.

use super::encode::{get_varint, put_varint};
use super::tokenize::Analyzer;
use crate::SearchConfig;
use archive_cable::model::Cable;
use archive_corpus::prefix_key;
use std::cell::RefCell;

/// Documents per chunk: large enough that per-chunk overheads vanish, small enough that two
/// cores stay busy and a chunk's maps stay in cache-friendly sizes.
pub const CHUNK_DOCS: usize = 1024;

/// How much one occurrence counts, by field: a word of the subject says more about a cable than
/// one deep in the body, and an identifier match should always win.
pub const WEIGHT_ID: u32 = 10;
pub const WEIGHT_SUBJECT: u32 = 5;
pub const WEIGHT_TAGS: u32 = 3;
pub const WEIGHT_ORIGIN: u32 = 2;
pub const WEIGHT_BODY: u32 = 1;

/// Where each field's words are numbered in a cable's word positions (see [`chunk`]): a field
/// starts at its own offset, so a phrase never runs from one field into the next, and the page
/// can tell a phrase in the subject (`subject:"…"`) from one in the body by its position. Words
/// past their field's end (a subject of more than 100 words) keep their postings but are put
/// at [`POS_MAX`], where no phrase can match. Between two tags, or two paragraphs of the body, one position is left empty, so
/// that a phrase does not cross them either.
///
/// The offsets are small (the body starts at 160) because a position costs about its bit
/// length (see [`crate::encode::positions_stream`]); a subject of more than 100 words is rare.
pub const POS_ID: u32 = 0;
pub const POS_SUBJECT: u32 = 4;
pub const POS_TAGS: u32 = 104;
pub const POS_ORIGIN: u32 = 136;
pub const POS_BODY: u32 = 160;
/// The position of a word past its field's end: no word is ever at `POS_MAX + 1`, so it
/// starts no phrase and ends none (`position << 1` still fits a `u32`).
pub const POS_MAX: u32 = 1 << 30;

/// Subject words longer than this many terms are counted as this many in the length the
/// `-subject:` keys carry (it is a 4-bit weight).
pub const SUBJECT_LEN_MAX: u32 = 15;

/// Filter keys start with `-`: the tokenizer splits on `-`, so no word term can start with it,
/// and the two kinds never collide in the one dictionary.
pub fn filter_key(kind: &str, value: &str) -> String {
    format!("-{kind}:{value}")
}

/// A lowercase slug for a filter value: letters and digits (any script's, lowercased) kept, runs
/// of anything else become one `-` (`Embassy Paris` → `embassy-paris`).
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_slug(text, &mut out);
    out
}

/// [`slug`] of `text` appended to `out` (what comes before in `out` is left alone).
fn push_slug(text: &str, out: &mut String) {
    let start = out.len();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if out.len() > start && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.len() > start && out.ends_with('-') {
        out.pop();
    }
}

/// The filter keys of one cable: classification, year, month and day, origin and each tag.
///
/// Month (`-month:2007-03`) and day (`-day:2007-03-22`) keys let the page answer
/// `after:`/`before:` exactly: a range is a union of whole years, whole months and single days,
/// each one key. A cable known only to its year has no month or day key, so it matches a range
/// only when the range covers its whole year (the search page documents this).
///
/// Each key is built in `buf` (cleared first) and given to `f`: no string of its own per key.
/// `f` may be given one key twice (two tags with one slug): the caller keeps each once.
pub fn for_each_filter_key(c: &Cable, buf: &mut String, mut f: impl FnMut(&str)) {
    use archive_cable::model::Precision;
    use std::fmt::Write;
    const INFALLIBLE: &str = "writing to a String cannot fail";
    let d = &c.created;
    buf.clear();
    buf.push_str("-class:");
    buf.push_str(&c.classification.slug());
    f(buf);
    buf.clear();
    write!(buf, "-year:{}", d.year).expect(INFALLIBLE);
    f(buf);
    if c.precision != Precision::Year && d.month > 0 {
        buf.clear();
        write!(buf, "-month:{:04}-{:02}", d.year, d.month).expect(INFALLIBLE);
        f(buf);
        if d.day > 0 {
            buf.clear();
            write!(buf, "-day:{:04}-{:02}-{:02}", d.year, d.month, d.day).expect(INFALLIBLE);
            f(buf);
        }
    }
    let mut slugged = |prefix: &str, text: &str, f: &mut dyn FnMut(&str)| {
        buf.clear();
        buf.push_str(prefix);
        push_slug(text, buf);
        if buf.len() > prefix.len() {
            f(buf);
        }
    };
    slugged("-origin:", &c.origin, &mut f);
    for tag in &c.tags {
        slugged("-tag:", tag, &mut f);
    }
}

/// What the field keys are made of: their prefixes, by kind (the `kind` of
/// [`Analyzer::derived_key`]).
const FIELD_KINDS: [&str; crate::tokenize::DERIVED_KINDS] = ["-subject:", "-signer:", "-to:"];

/// The keys of the words of the subject, signer and recipients (`-subject:missil`,
/// `-signer:clinton`, `-to:secstat`), made by the same pipeline as the word terms, so that
/// `subject:missiles` finds the cables whose subject has the word, and `to:` the cables sent to
/// an addressee. Each key is given once per cable, with the cable's subject length in terms for
/// the `-subject:` keys (the page ranks a cable whose subject has every query word and no other
/// first).
///
/// Appended to `keys` as (term number, weight), skipping a key already there. A word's key of
/// each kind is made once and remembered by the analyzer ([`Analyzer::derived_key`], forgotten
/// with its numbering), so a cable's keys cost no string.
fn push_field_keys(
    analyzer: &mut Analyzer,
    ids: &mut Vec<u32>,
    text: &mut String,
    c: &Cable,
    keys: &mut Vec<(u32, u32)>,
) {
    let mut push = |analyzer: &mut Analyzer, kind: usize, ids: &[u32], weight: u32| {
        for &id in ids {
            let key = analyzer.derived_key(id, kind, FIELD_KINDS[kind], text);
            if !keys.iter().any(|&(k, _)| k == key) {
                keys.push((key, weight));
            }
        }
    };
    ids.clear();
    analyzer.for_each_id(&c.subject, |id| ids.push(id));
    let len = (ids.len() as u32).min(SUBJECT_LEN_MAX);
    push(analyzer, 0, ids, len.max(1));
    if let Some(signer) = &c.signer {
        ids.clear();
        analyzer.for_each_id(signer, |id| ids.push(id));
        push(analyzer, 1, ids, 0);
    }
    for r in &c.recipients {
        ids.clear();
        analyzer.for_each_id(&r.name, |id| ids.push(id));
        push(analyzer, 2, ids, 0);
    }
}

/// One chunk's inverted index, packed: all term texts in one string and all postings in one
/// byte buffer, so a chunk is three allocations, not two per term (at 251,287 cables that was
/// 15 million small allocations and a gigabyte of overhead).
pub struct ChunkIndex {
    /// Number of the chunk's first document.
    pub base: u32,
    /// Weighted length (sum of field-weighted term counts) of each document of the chunk.
    pub lens: Vec<u32>,
    /// Term texts, concatenated.
    pub(crate) names: String,
    /// Postings, concatenated: for each document, varint(difference to the previous local
    /// document number, the first relative to `base`), varint(weighted count).
    pub(crate) bytes: Vec<u8>,
    /// Word positions, concatenated: for each document of each term, in order, its positions as
    /// varints of `(first position << 1) | more`, then `(difference << 1) | more` (`more` = 1
    /// when another position of the same document follows). Self-delimiting, so a term's
    /// positions over the whole archive are its chunks' pieces put end to end. Filter keys
    /// have none.
    pub(crate) positions: Vec<u8>,
    /// Per term, in byte order of the text: where its text, its postings and its positions end
    /// in `names`, `bytes` and `positions` (each starts where the previous term's ends). Held
    /// for every chunk until the merge (or written to its run file, see [`crate::spill`]): at
    /// 251,287 cables there are 7.4 million.
    pub(crate) terms: Vec<[u32; 3]>,
}

impl ChunkIndex {
    /// Number of distinct terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Bytes of term text the chunk holds (for the phase report of `ARCHIVE_SEARCH_TIMES`).
    pub fn names_len(&self) -> usize {
        self.names.len()
    }
    /// Bytes of postings the chunk holds.
    pub fn bytes_len(&self) -> usize {
        self.bytes.len()
    }
    /// Whether the chunk has no terms.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The text of term `i` (terms are sorted).
    pub fn term(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.terms[i - 1][0] };
        &self.names[start as usize..self.terms[i][0] as usize]
    }

    /// The postings bytes of term `i`.
    pub fn postings(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.terms[i - 1][1] };
        &self.bytes[start as usize..self.terms[i][1] as usize]
    }

    /// The positions bytes of term `i` (see [`ChunkIndex::positions`] the field).
    pub fn positions(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.terms[i - 1][2] };
        &self.positions[start as usize..self.terms[i][2] as usize]
    }

    /// Bytes of positions the chunk holds.
    pub fn positions_len(&self) -> usize {
        self.positions.len()
    }

    /// Bytes of memory the chunk's index holds (what the indexer's budget counts).
    pub fn heap_bytes(&self) -> usize {
        self.names.len()
            + self.bytes.len()
            + self.positions.len()
            + self.terms.len() * std::mem::size_of::<[u32; 3]>()
            + self.lens.len() * 4
    }

    /// Terms `from..to` as a chunk of their own (same `base`, no `lens`): what one block of
    /// the merge reads of this chunk.
    pub fn slice(&self, from: usize, to: usize) -> ChunkIndex {
        let start = if from == 0 {
            [0; 3]
        } else {
            self.terms[from - 1]
        };
        let end = if to == 0 { [0; 3] } else { self.terms[to - 1] };
        ChunkIndex {
            base: self.base,
            lens: Vec::new(),
            names: self.names[start[0] as usize..end[0] as usize].to_string(),
            bytes: self.bytes[start[1] as usize..end[1] as usize].to_vec(),
            positions: self.positions[start[2] as usize..end[2] as usize].to_vec(),
            terms: self.terms[from..to]
                .iter()
                .map(|t| [t[0] - start[0], t[1] - start[1], t[2] - start[2]])
                .collect(),
        }
    }

    /// Appends term `name` (greater than every term before it) with its documents: (local
    /// number, ascending; weighted count; its positions' bytes) each. The one place that lays
    /// out a term of a chunk, for the analysis and for [`crate::compose`] alike.
    #[inline]
    pub(crate) fn push_term<'a>(
        &mut self,
        name: &str,
        docs: impl IntoIterator<Item = (u32, u32, &'a [u8])>,
    ) {
        self.names.push_str(name);
        let mut previous = None;
        for (local, count, positions) in docs {
            put_varint(&mut self.bytes, previous.map_or(local, |p| local - p));
            put_varint(&mut self.bytes, count);
            self.positions.extend_from_slice(positions);
            previous = Some(local);
        }
        self.terms.push([
            self.names.len() as u32,
            self.bytes.len() as u32,
            self.positions.len() as u32,
        ]);
    }

    /// A chunk from its parts, as [`crate::spill`] reads them back from a run file.
    pub(crate) fn from_parts(
        base: u32,
        names: String,
        bytes: Vec<u8>,
        positions: Vec<u8>,
        terms: Vec<[u32; 3]>,
    ) -> ChunkIndex {
        ChunkIndex {
            base,
            lens: Vec::new(),
            names,
            bytes,
            positions,
            terms,
        }
    }

    /// Index of the first term not less than `term`.
    pub fn lower_bound(&self, term: &str) -> usize {
        self.first_where(|t| t >= term)
    }

    /// Index of the first term greater than `term`.
    pub fn upper_bound(&self, term: &str) -> usize {
        self.first_where(|t| t > term)
    }

    /// Index of the first term for which `past` holds (the terms are sorted, so it holds for
    /// all after it), by the standard library's binary search. A term's text starts where the
    /// previous entry ends, so the closure needs the entry's index: its offset in the slice.
    fn first_where(&self, past: impl Fn(&str) -> bool) -> usize {
        let first = self.terms.as_ptr() as usize;
        self.terms.partition_point(|entry| {
            let i = (entry as *const [u32; 3] as usize - first) / std::mem::size_of::<[u32; 3]>();
            !past(self.term(i))
        })
    }
}

/// What a worker thread keeps between chunks: the analyzer (and its word cache), and scratch
/// space sized by the number of terms.
#[derive(Default)]
struct Worker {
    analyzer: Analyzer,
    /// Weighted count of each term number in the current document (0 when absent).
    counts: Vec<u32>,
    /// Per term number, its rank among the current chunk's terms plus one (0: not in it).
    rank: Vec<u32>,
    /// Per term number, the first and last of its occurrences in the current document (indices
    /// into the document's occurrence list; [`NO_OCCURRENCE`] when it has none yet).
    links: Vec<[u32; 2]>,
    /// Scratch: a field's term numbers, and a key's text.
    field_ids: Vec<u32>,
    key_text: String,
    /// The per-chunk lists of [`chunk`], emptied and reused by the next chunk: allocated
    /// afresh, they grew by reallocation and were faulted in page by page for every chunk
    /// (a tenth of a 251,287-cable build's CPU was page faults, about half of them here).
    lists: ChunkLists,
}

/// The growing lists of one [`chunk`] call, kept in the [`Worker`] so their capacity outlives
/// the call. Each is cleared before use.
#[derive(Default)]
struct ChunkLists {
    pairs: Vec<(u32, u32, u32, u32, u32)>,
    scratch: Vec<u8>,
    occurrences: Vec<(u32, u32)>,
    late: Vec<u32>,
    keys: Vec<(u32, u32)>,
    touched: Vec<u32>,
    distinct: Vec<u32>,
    order: Vec<(u64, u32)>,
    starts: Vec<u32>,
    next: Vec<u32>,
    grouped: Vec<(u32, u32, u32, u32)>,
}

impl ChunkLists {
    /// Empties every list, keeping its capacity.
    fn clear(&mut self) {
        self.pairs.clear();
        self.scratch.clear();
        self.occurrences.clear();
        self.late.clear();
        self.keys.clear();
        self.touched.clear();
        self.distinct.clear();
        self.order.clear();
        self.starts.clear();
        self.next.clear();
        self.grouped.clear();
    }
}

/// "No occurrence" in [`Worker::links`] and as the end of an occurrence list.
const NO_OCCURRENCE: u32 = u32::MAX;

thread_local! {
    /// One worker per thread, reused across chunks.
    static WORKER: RefCell<Worker> = RefCell::new(Worker::default());
}

/// Frees the calling thread's worker (its caches hold up to about 100 MB, its lists what the
/// largest chunk needed). Call on every thread of the pool once the chunks are analysed: the
/// thread outlives the search phase.
pub fn release_worker() {
    WORKER.with(|w| *w.borrow_mut() = Worker::default());
}

/// Builds the inverted index of `docs`, whose first document is number `base`.
///
/// Every (term, document, count) of the chunk goes into one flat list in document order; the
/// chunk's distinct terms are then sorted by text, and a counting sort by that rank groups the
/// list term by term while keeping document order. No map or vector per term: at 251,287
/// cables that was tens of millions of small allocations.
pub fn chunk(docs: &[&Cable], base: u32, config: &SearchConfig) -> ChunkIndex {
    WORKER.with(|w| {
        let Worker {
            analyzer,
            counts,
            rank,
            links,
            field_ids,
            key_text,
            lists,
        } = &mut *w.borrow_mut();
        analyzer.reset_if_large();
        lists.clear();
        let ChunkLists {
            pairs,
            scratch,
            occurrences,
            late,
            keys,
            touched,
            distinct,
            order,
            starts,
            next,
            grouped,
        } = lists;
        let mut lens = Vec::with_capacity(docs.len());
        // (term number, local document, weighted count, positions start, end), in document
        // order (`pairs`); the positions in `scratch`.
        // The current document's word occurrences, (position, index of the same term's next
        // occurrence): one list per term, threaded through `links`, in position order. Words
        // past their field's end (at POS_MAX, after every other position) wait in `late` and
        // join their lists once the document is read, so each list stays in order without a
        // sort. `touched`: the terms of the current document; `distinct`: the chunk's.
        for (local, &c) in docs.iter().enumerate() {
            let local = local as u32;
            let mut len = 0u32;
            {
                // Adds a field's words from position `at` (none past `end`); returns the
                // position after its last word.
                let mut add =
                    |analyzer: &mut Analyzer, text: &str, weight: u32, at: u32, end: u32| {
                        let n = analyzer.for_each_id_at(text, |id, token| {
                            len += weight;
                            let i = id as usize;
                            if i >= counts.len() {
                                grow(counts, i, 0);
                            }
                            if counts[i] == 0 {
                                touched.push(id);
                            }
                            counts[i] += weight;
                            // Past its field's end a word is at POS_MAX, which nothing
                            // follows: every (term, cable) pair keeps at least one position,
                            // so the positions stay aligned with the postings.
                            let p = at.saturating_add(token);
                            if p < end {
                                append(links, occurrences, id, p);
                            } else {
                                late.push(id);
                            }
                        });
                        at.saturating_add(n)
                    };
                add(analyzer, c.id.as_str(), WEIGHT_ID, POS_ID, POS_SUBJECT);
                add(analyzer, &c.subject, WEIGHT_SUBJECT, POS_SUBJECT, POS_TAGS);
                let mut at = POS_TAGS;
                for tag in &c.tags {
                    at = add(analyzer, tag, WEIGHT_TAGS, at, POS_ORIGIN) + 1;
                }
                add(analyzer, &c.origin, WEIGHT_ORIGIN, POS_ORIGIN, POS_BODY);
                if config.index_body {
                    let mut at = POS_BODY;
                    for block in &c.body {
                        at = add(analyzer, &block.text, WEIGHT_BODY, at, POS_MAX).saturating_add(1);
                    }
                }
            }
            lens.push(len);
            for id in late.drain(..) {
                append(links, occurrences, id, POS_MAX);
            }
            // Filter keys count 0 (they match, they don't score).
            // The field keys carry a count of their own (the subject's length), given once.
            // Each key once: a key is never a word (words never start with `-`), so none is
            // in `touched` yet.
            keys.clear();
            for_each_filter_key(c, key_text, |key| {
                let id = analyzer.intern(key);
                if !keys.iter().any(|&(k, _)| k == id) {
                    keys.push((id, 0));
                }
            });
            push_field_keys(analyzer, field_ids, key_text, c, keys);
            for &(id, weight) in keys.iter() {
                let i = id as usize;
                if i >= counts.len() {
                    grow(counts, i, 0);
                }
                debug_assert_eq!(counts[i], 0, "a key is counted once");
                touched.push(id);
                counts[i] = weight;
            }
            for id in touched.drain(..) {
                let i = id as usize;
                if i >= rank.len() {
                    grow(rank, i, 0);
                }
                if rank[i] == 0 {
                    rank[i] = u32::MAX;
                    distinct.push(id);
                }
                // Its positions (a key has none), coded now: nothing but its pair points at
                // them.
                let (start, end) = match links.get(i) {
                    Some(&[first, _]) if first != NO_OCCURRENCE => {
                        links[i] = [NO_OCCURRENCE; 2];
                        let start = scratch.len() as u32;
                        put_positions(occurrences, first, scratch);
                        (start, scratch.len() as u32)
                    }
                    _ => (0, 0),
                };
                pairs.push((id, local, std::mem::take(&mut counts[i]), start, end));
            }
            occurrences.clear();
        }
        // Sort the distinct terms by text, comparing an 8-byte big-endian prefix first: most
        // comparisons end there, without touching the strings.
        order.extend(
            distinct
                .iter()
                .map(|&id| (prefix_key(analyzer.term(id).as_bytes()), id)),
        );
        order.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| analyzer.term(a.1).cmp(analyzer.term(b.1)))
        });
        // Counting sort of the pairs by the rank of their term (stable: document order kept).
        starts.resize(order.len() + 1, 0);
        for (r, &(_, id)) in order.iter().enumerate() {
            rank[id as usize] = r as u32 + 1;
        }
        for &(id, ..) in pairs.iter() {
            starts[rank[id as usize] as usize] += 1;
        }
        for r in 1..starts.len() {
            starts[r] += starts[r - 1];
        }
        grouped.resize(pairs.len(), (0, 0, 0, 0));
        next.extend_from_slice(starts);
        for &(id, local, count, ps, pe) in pairs.iter() {
            let r = rank[id as usize] as usize - 1;
            grouped[next[r] as usize] = (local, count, ps, pe);
            next[r] += 1;
        }
        let mut chunk = ChunkIndex {
            base,
            lens,
            names: String::new(),
            bytes: Vec::with_capacity(grouped.len() * 2),
            positions: Vec::with_capacity(scratch.len()),
            terms: Vec::with_capacity(order.len()),
        };
        for (r, &(_, id)) in order.iter().enumerate() {
            rank[id as usize] = 0;
            chunk.push_term(
                analyzer.term(id),
                grouped[starts[r] as usize..starts[r + 1] as usize]
                    .iter()
                    .map(|&(local, count, ps, pe)| {
                        (local, count, &scratch[ps as usize..pe as usize])
                    }),
            );
        }
        // Every chunk is held until the merge: give back what the growth strategy over-reserved.
        chunk.names.shrink_to_fit();
        chunk.bytes.shrink_to_fit();
        chunk.positions.shrink_to_fit();
        chunk
    })
}

/// Adds an occurrence of term `id` at position `p` to the end of its list. Inlined into the
/// per-word loop (it runs for every word; a call cost more than its body), the rare growth
/// of `links` kept out of line.
#[inline(always)]
fn append(links: &mut Vec<[u32; 2]>, occurrences: &mut Vec<(u32, u32)>, id: u32, p: u32) {
    let i = id as usize;
    if i >= links.len() {
        grow(links, i, [NO_OCCURRENCE; 2]);
    }
    let k = occurrences.len() as u32;
    let [first, last] = links[i];
    if first == NO_OCCURRENCE {
        links[i] = [k, k];
    } else {
        occurrences[last as usize].1 = k;
        links[i][1] = k;
    }
    occurrences.push((p, NO_OCCURRENCE));
}

/// Makes room in a per-term-number vector for number `i` (and half as many again), new slots
/// `fill`. Out of line: it is rare, and inlined into the per-word loop it cost registers.
#[cold]
#[inline(never)]
fn grow<T: Clone>(v: &mut Vec<T>, i: usize, fill: T) {
    v.resize(i + 1 + i / 2, fill);
}

/// Codes the positions of the list that starts at occurrence `k` (see
/// [`ChunkIndex::positions`] the field): the first, then each difference to the previous one,
/// as varints of `value << 1 | more`.
fn put_positions(occurrences: &[(u32, u32)], mut k: u32, out: &mut Vec<u8>) {
    let mut previous = 0;
    loop {
        let (p, next) = occurrences[k as usize];
        let more = next != NO_OCCURRENCE;
        put_varint(out, ((p - previous) << 1) | u32::from(more));
        if !more {
            return;
        }
        previous = p;
        k = next;
    }
}

/// Decodes a chunk's postings bytes into (global document, weighted count) pairs appended to
/// `out`.
pub fn decode_chunk_postings(bytes: &[u8], base: u32, out: &mut Vec<(u32, u32)>) {
    // Nearly every delta and count is one byte: those skip the general varint reader.
    let next = |pos: &mut usize| -> u32 {
        let b = bytes[*pos];
        if b < 0x80 {
            *pos += 1;
            u32::from(b)
        } else {
            get_varint(bytes, pos).expect("chunk postings are well formed")
        }
    };
    let mut pos = 0;
    let mut doc = base;
    while pos < bytes.len() {
        doc += next(&mut pos);
        let count = next(&mut pos);
        out.push((doc, count));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Embassy Paris"), "embassy-paris");
        assert_eq!(slug("  US Mission, USNATO "), "us-mission-usnato");
        assert_eq!(slug("PREL"), "prel");
    }

    #[test]
    fn slugs_after_a_prefix_are_the_slugs() {
        // What comes before in the buffer (a key's `-tag:`, ending in a separator of its own)
        // changes nothing: a slug starts with no `-` and an empty one adds nothing.
        for text in [
            "Embassy Paris",
            "  US Mission, USNATO ",
            "PREL",
            "",
            "--",
            " ,x, ",
            "Ǆ É",
        ] {
            let mut out = String::from("-tag:");
            push_slug(text, &mut out);
            assert_eq!(out, format!("-tag:{}", slug(text)), "{text:?}");
        }
    }
}

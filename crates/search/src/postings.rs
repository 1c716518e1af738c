//! Phase 2 of the index build: the chunks' postings merged term by term into the final,
//! ranked and compressed postings lists.
//!
//! Ranking is decided here, at build time, so the browser only adds numbers: each (term,
//! document) pair gets a BM25 term-frequency factor, normalised by the document's length and
//! quantised to 4 bits; each term gets its inverse document frequency. A document's score for a
//! query is `Σ idf(term) × weight(term, document)`.
//!
//! Very common words would make big lists (a word in 200,000 cables is 200,000 entries). They are
//! split in two, impact-ordered: the **head** keeps the [`HEAD_DOCS`] documents where the word
//! weighs most, with their weights; the **tail** keeps the others *without* weights (they all get
//! the tail's mean weight), as a bitset when that is smaller. At 251,287 cables a bitset is
//! 31 KB, so even the commonest word costs well under 100 KB to fetch, while the documents it
//! matters most to still rank correctly.

use super::analyze::{decode_chunk_postings, ChunkIndex};
use super::encode;
use rustc_hash::FxHashMap;

/// BM25 parameters (the usual ones).
pub const K1: f64 = 1.2;
pub const B: f64 = 0.75;

/// Documents kept with their own weight in a term's head.
pub const HEAD_DOCS: usize = 4096;

/// One term of the final index.
pub struct Term {
    pub term: Box<str>,
    /// Number of documents with the term.
    pub df: u32,
    /// Inverse document frequency × 100, rounded.
    pub idf100: u32,
    /// Head: weighted list (see [`encode::weighted_list`]).
    pub head: Vec<u8>,
    /// Tail: unweighted list; `tail_bitset` says which encoding. Empty when there is no tail.
    pub tail: Vec<u8>,
    pub tail_bitset: bool,
    /// Weight given to every tail document (0 for filter keys, which carry no weight).
    pub tail_weight: u8,
    /// The word positions of every document of the term, in document order, as
    /// [`encode::positions_stream`]: what the page reads to match a phrase. Empty for keys.
    pub positions: Vec<u8>,
}

/// Corpus-wide numbers the weights depend on.
pub struct Collection {
    pub docs: u32,
    /// Each document's BM25 length norm ([`length_norm`] of its length), computed once per
    /// document rather than once per posting.
    pub norms: Vec<f64>,
    /// [`quantise_normed`] of every count `1..=TABLE_COUNTS` for every document, count-major
    /// (`levels[(count - 1) * documents + document]`): nearly every posting's count is small,
    /// so its weight is a look-up instead of a division and a rounding, 110 M times at 251,287
    /// cables. The same function, so the same bytes.
    levels: Vec<u8>,
}

/// Counts whose weights [`Collection`] tabulates (a word in the body, subject, tags and
/// origin of a cable weighs 11; more is rare).
pub const TABLE_COUNTS: usize = 16;

impl Collection {
    /// The collection of `docs` documents whose weighted lengths are `lens`: the average length
    /// over `docs`, and each document's norm from it.
    pub fn new(docs: u32, lens: &[u32]) -> Collection {
        use rayon::prelude::*;
        let total: u64 = lens.iter().map(|&l| u64::from(l)).sum();
        let avg_len = total as f64 / docs.max(1) as f64;
        let norms: Vec<f64> = lens.iter().map(|&l| length_norm(l, avg_len)).collect();
        let mut levels = vec![0u8; norms.len() * TABLE_COUNTS];
        if !norms.is_empty() {
            levels
                .par_chunks_mut(norms.len())
                .enumerate()
                .for_each(|(c, row)| {
                    for (level, &norm) in row.iter_mut().zip(&norms) {
                        *level = quantise_normed(c as u32 + 1, norm);
                    }
                });
        }
        Collection {
            docs,
            norms,
            levels,
        }
    }

    /// [`quantise_normed`] of `count` for document `doc`: its [`quantise`]d weight.
    #[inline]
    pub fn weight(&self, count: u32, doc: u32) -> u8 {
        let c = count.wrapping_sub(1) as usize;
        if c < TABLE_COUNTS {
            self.levels[c * self.norms.len() + doc as usize]
        } else {
            quantise_normed(count, self.norms[doc as usize])
        }
    }
}

/// The BM25 length norm of a document of weighted length `len`: `K1 × (1 − B + B × len /
/// avg_len)`, the part of [`quantise`] that depends on the document alone.
pub fn length_norm(len: u32, avg_len: f64) -> f64 {
    K1 * (1.0 - B + B * f64::from(len) / avg_len.max(1.0))
}

/// Levels of the quantised weight: 1–15 (fits a nibble, see [`encode::weighted_list`]).
pub const LEVELS: f64 = 15.0;

/// The BM25 term-frequency factor, quantised to 1–15 (15 = the saturation limit `K1 + 1`).
pub fn quantise(count: u32, len: u32, avg_len: f64) -> u8 {
    quantise_normed(count, length_norm(len, avg_len))
}

/// [`quantise`] for a document whose [`length_norm`] is `norm`.
pub fn quantise_normed(count: u32, norm: f64) -> u8 {
    let tf = f64::from(count);
    let w = tf * (K1 + 1.0) / (tf + norm);
    ((w / (K1 + 1.0) * LEVELS).round() as u32).clamp(1, LEVELS as u32) as u8
}

/// Merges the term's entries from every chunk (in chunk order) and encodes it.
pub fn build_term(term: &str, entries: &[(u32, u32)], coll: &Collection) -> Term {
    let df = entries.len() as u32;
    let n = f64::from(coll.docs);
    let idf = (1.0 + (n - f64::from(df) + 0.5) / (f64::from(df) + 0.5)).ln();
    let docs: Vec<u32> = entries.iter().map(|e| e.0).collect();
    if term.starts_with("-subject:") {
        // A subject word: every document with its subject's length in terms as the weight,
        // so the page can tell a subject made of the query's words alone.
        let weights: Vec<u8> = entries
            .iter()
            .map(|&(_, c)| c.clamp(1, LEVELS as u32) as u8)
            .collect();
        return Term {
            term: term.into(),
            df,
            idf100: 0,
            head: encode::weighted_list(&docs, &weights),
            tail: Vec::new(),
            tail_bitset: false,
            tail_weight: 0,
            positions: Vec::new(),
        };
    }
    if term.starts_with('-') {
        // A filter key: a set of documents, no weights.
        let (bitset, bytes) = encode::unweighted(&docs);
        return Term {
            term: term.into(),
            df,
            idf100: 0,
            head: Vec::new(),
            tail: bytes,
            tail_bitset: bitset,
            tail_weight: 0,
            positions: Vec::new(),
        };
    }
    let weights: Vec<u8> = entries.iter().map(|&(d, c)| coll.weight(c, d)).collect();
    let idf100 = (idf * 100.0).round() as u32;
    if docs.len() <= HEAD_DOCS + HEAD_DOCS / 4 {
        return Term {
            term: term.into(),
            df,
            idf100,
            head: encode::weighted_list(&docs, &weights),
            tail: Vec::new(),
            tail_bitset: false,
            tail_weight: 0,
            positions: Vec::new(),
        };
    }
    let in_head = heaviest(&weights, HEAD_DOCS);
    let head = HEAD_DOCS.min(docs.len());
    let (mut head_docs, mut head_w, mut tail_docs) = (
        Vec::with_capacity(head),
        Vec::with_capacity(head),
        Vec::with_capacity(docs.len() - head),
    );
    let mut tail_sum = 0u64;
    for i in 0..docs.len() {
        if in_head[i] {
            head_docs.push(docs[i]);
            head_w.push(weights[i]);
        } else {
            tail_docs.push(docs[i]);
            tail_sum += u64::from(weights[i]);
        }
    }
    let tail_weight =
        ((tail_sum as f64 / tail_docs.len() as f64).round() as u32).clamp(1, LEVELS as u32);
    let (tail_bitset, tail) = encode::unweighted(&tail_docs);
    Term {
        term: term.into(),
        df,
        idf100,
        head: encode::weighted_list(&head_docs, &head_w),
        tail,
        tail_bitset,
        tail_weight: tail_weight as u8,
        positions: Vec::new(),
    }
}

/// Marks the `n` heaviest of `weights` (ties by lower index, so the split is deterministic):
/// the first `n` of the impact order, heaviest first and ties by document number.
///
/// A weight is a byte (the index's are 1 to [`LEVELS`]), so this counts each value instead of
/// sorting: the head of a word in every cable was a sort of 251,287 entries, the merge's
/// slowest single step.
fn heaviest(weights: &[u8], n: usize) -> Vec<bool> {
    if n >= weights.len() {
        return vec![true; weights.len()];
    }
    let mut count = [0usize; 256];
    for &w in weights {
        count[usize::from(w)] += 1;
    }
    // The lightest weight that is in the head, and how many of that weight it takes (the
    // first ones by index); every heavier weight is in it whole.
    let (mut threshold, mut above) = (0usize, 0usize);
    for w in (0..256).rev() {
        if above + count[w] >= n {
            threshold = w;
            break;
        }
        above += count[w];
    }
    let mut at_threshold = n - above;
    weights
        .iter()
        .map(|&w| {
            let w = usize::from(w);
            if w > threshold {
                true
            } else if w == threshold && at_threshold > 0 {
                at_threshold -= 1;
                true
            } else {
                false
            }
        })
        .collect()
}

/// Encodes every term of `vocab` (a sorted slice of the global vocabulary), reading their
/// entries from all chunks.
///
/// The block first notes where each term sits in each chunk, then decodes one term's entries
/// at a time: decoding the whole block at once held every posting of its terms in memory
/// together (8 bytes each), which for the blocks of the most common words made the build's
/// memory peak.
pub fn build_block(vocab: &[&str], chunks: &[ChunkIndex], coll: &Collection) -> Vec<Term> {
    let (Some(first), Some(last)) = (vocab.first(), vocab.last()) else {
        return Vec::new();
    };
    // For each term of the block, (chunk, index in the chunk) of its entries, in chunk order
    // (which is document order): all terms' places in one vector, term after term (`starts`
    // says where each one's begin), rather than a vector per term grown a place at a time.
    let position: FxHashMap<&str, usize> = vocab.iter().enumerate().map(|(i, t)| (*t, i)).collect();
    let ranges: Vec<(usize, usize)> = chunks
        .iter()
        .map(|chunk| (chunk.lower_bound(first), chunk.upper_bound(last)))
        .collect();
    let mut owner: Vec<u32> = Vec::with_capacity(ranges.iter().map(|&(a, b)| b - a).sum());
    let mut starts = vec![0usize; vocab.len() + 1];
    for (chunk, &(from, to)) in chunks.iter().zip(&ranges) {
        for i in from..to {
            let p = position[chunk.term(i)];
            owner.push(p as u32);
            starts[p + 1] += 1;
        }
    }
    for p in 0..vocab.len() {
        starts[p + 1] += starts[p];
    }
    let mut all = vec![(0u32, 0u32); owner.len()];
    let mut fill = starts.clone();
    let mut owners = owner.iter();
    for (c, &(from, to)) in ranges.iter().enumerate() {
        for i in from..to {
            let p = *owners.next().expect("one owner per place") as usize;
            all[fill[p]] = (c as u32, i as u32);
            fill[p] += 1;
        }
    }
    let places = (0..vocab.len()).map(|p| &all[starts[p]..starts[p + 1]]);
    let mut entries: Vec<(u32, u32)> = Vec::new();
    vocab
        .iter()
        .zip(places)
        .map(|(term, places)| {
            entries.clear();
            for &(c, i) in places {
                let chunk = &chunks[c as usize];
                decode_chunk_postings(chunk.postings(i as usize), chunk.base, &mut entries);
            }
            let mut t = build_term(term, &entries, coll);
            t.positions = encode::positions_stream_of(
                places
                    .iter()
                    .map(|&(c, i)| chunks[c as usize].positions(i as usize)),
            );
            t
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_saturate_and_normalise() {
        assert!(quantise(1, 100, 100.0) < quantise(5, 100, 100.0));
        assert!(quantise(3, 1000, 100.0) < quantise(3, 50, 100.0));
        assert_eq!(quantise(1_000_000, 1, 100.0), 15);
        assert!(quantise(1, 1_000_000, 100.0) >= 1);
    }

    #[test]
    fn tabulated_weights_are_the_computed_ones() {
        let lens: Vec<u32> = (0..500).map(|d| d * 37 % 1000).collect();
        let coll = Collection::new(lens.len() as u32, &lens);
        for d in 0..lens.len() as u32 {
            for count in 0..40 {
                assert_eq!(
                    coll.weight(count, d),
                    quantise_normed(count, coll.norms[d as usize]),
                    "count {count}, document {d}"
                );
            }
        }
    }

    #[test]
    fn common_terms_are_split() {
        let n = 20_000u32;
        let coll = Collection::new(n, &vec![100u32; n as usize]);
        let entries: Vec<(u32, u32)> = (0..n).map(|d| (d, 1 + d % 7)).collect();
        let t = build_term("state", &entries, &coll);
        let (head, w) = encode::decode_weighted_list(&t.head).unwrap();
        assert_eq!(head.len(), HEAD_DOCS);
        assert!(t.tail_bitset);
        let tail = encode::decode_bitset(&t.tail).unwrap();
        assert_eq!(head.len() + tail.len(), n as usize);
        let min_head = *w.iter().min().unwrap();
        assert!(min_head >= t.tail_weight);
    }

    /// The impact order as it was first written: a sort by weight (heaviest first), ties by
    /// index, and the first `n` of it.
    fn heaviest_by_sorting(weights: &[u8], n: usize) -> Vec<bool> {
        let mut order: Vec<usize> = (0..weights.len()).collect();
        order.sort_by(|&a, &b| weights[b].cmp(&weights[a]).then(a.cmp(&b)));
        let mut marked = vec![false; weights.len()];
        for &i in order.iter().take(n) {
            marked[i] = true;
        }
        marked
    }

    proptest::proptest! {
        #[test]
        fn the_head_is_the_first_of_the_impact_order(
            weights in proptest::collection::vec(0u8..=15, 0..400),
            n in 0usize..450,
        ) {
            proptest::prop_assert_eq!(heaviest(&weights, n), heaviest_by_sorting(&weights, n));
        }
    }

    #[test]
    fn the_head_takes_the_first_documents_of_a_tied_weight() {
        // Every weight alike: the head is the first documents, as a stable sort gives.
        let weights = vec![7u8; 10];
        let head = heaviest(&weights, 4);
        assert_eq!(
            head,
            [true, true, true, true, false, false, false, false, false, false]
        );
        // Weights at the extremes of a byte.
        let weights = [255u8, 0, 255, 0, 1];
        assert_eq!(heaviest(&weights, 3), [true, false, true, false, true]);
    }
}

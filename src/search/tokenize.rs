//! Text → index terms, exactly as elasticlunr does it, so that the browser (which runs the
//! vendored elasticlunr.js pipeline on the query) finds what the build indexed.
//!
//! The pipeline is elasticlunr-rs's English one: split on whitespace and `-`, lowercase, trim
//! non-word characters at both ends, drop stop words, Porter-stem. Running it through
//! `elasticlunr::Pipeline` for every one of the ~300 M tokens of the full archive would allocate
//! several strings per token, so [`Analyzer`] splits and lowercases without allocating and keeps
//! a per-thread cache from word to stem: the pipeline runs once per distinct word. The cache is
//! exactly equivalent because every pipeline step is a pure function of the token.

use super::fxhash::FxHashMap;
use elasticlunr::lang::{English, Language};
use elasticlunr::Pipeline;

/// Turns text into stemmed terms. Not `Sync` (elasticlunr's pipeline is not): make one per
/// thread.
///
/// Terms are interned: [`Analyzer::for_each_id`] gives small numbers, [`Analyzer::term`] their
/// text, so that counting words in a document is array indexing, not string hashing. Numbers
/// stay valid until [`Analyzer::reset_if_large`] is called.
pub struct Analyzer {
    pipeline: Pipeline,
    /// 128-bit hash of a lowercased word → its term number, or [`DROPPED`] when the pipeline
    /// drops it (stop word, punctuation). Keyed by hash rather than by the word so that a lookup
    /// touches one table slot and no separately allocated string: with the millions of distinct
    /// words of the full archive (identifiers, numbers, names), chasing those pointers made the
    /// lookups memory-bound. Two words with the same 128-bit hash are, for natural text, as good
    /// as impossible (about 2^-90 for ten million distinct words).
    cache: FxHashMap<u128, u32>,
    /// A small direct-mapped copy of the most recent cache entries, indexed by the hash's low
    /// bits. Words follow Zipf's law: a few thousand of them make most of any text, and this
    /// table (768 KB) stays in the core's cache where the big one cannot, so most lookups never
    /// miss to memory. Same keys and values as `cache`: it changes speed, never terms.
    hot: Vec<HotEntry>,
    /// Term number → term.
    terms: Vec<Box<str>>,
    /// Term → term number.
    ids: FxHashMap<Box<str>, u32>,
    /// Scratch buffer for lowercasing.
    lower: String,
}

/// One slot of [`Analyzer::hot`]: a 128-bit key in two halves (8-byte aligned, 24 bytes a slot)
/// and its term number. An empty slot has key 0, which [`hash128`] never returns for real
/// text in practice and which would anyway only cost a lookup in the big cache.
#[derive(Clone, Copy, Default)]
struct HotEntry {
    high: u64,
    low: u64,
    id: u32,
}

/// Slots in the hot table (a power of two).
const HOT_SLOTS: usize = 1 << 15;

/// Cache value of a word the pipeline drops.
const DROPPED: u32 = u32::MAX;

/// Bound on the cache so a pathological input (millions of distinct numbers) cannot eat memory.
const CACHE_LIMIT: usize = 1 << 21;

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::new()
    }
}

impl Analyzer {
    /// A new analyzer with an empty cache.
    pub fn new() -> Analyzer {
        Analyzer {
            pipeline: English::new().make_pipeline(),
            cache: FxHashMap::default(),
            hot: vec![HotEntry::default(); HOT_SLOTS],
            terms: Vec::new(),
            ids: FxHashMap::default(),
            lower: String::new(),
        }
    }

    /// Forgets every word and term when the cache has grown past its bound. Term numbers given
    /// before are invalid afterwards.
    pub fn reset_if_large(&mut self) {
        if self.cache.len() + self.terms.len() > CACHE_LIMIT {
            self.cache.clear();
            self.hot.fill(HotEntry::default());
            self.terms.clear();
            self.ids.clear();
        }
    }

    /// Number of terms interned so far (term numbers are below it).
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// The text of term number `id`.
    pub fn term(&self, id: u32) -> &str {
        &self.terms[id as usize]
    }

    /// The number of a term given as text (used for filter keys, which bypass the pipeline).
    pub fn intern(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.terms.push(term.into());
        self.ids.insert(term.into(), id);
        id
    }

    /// Calls `f` with the number of each term of `text`, in order (repeats included).
    pub fn for_each_id(&mut self, text: &str, mut f: impl FnMut(u32)) {
        for raw in text.split(|c: char| c.is_whitespace() || c == '-') {
            // elasticlunr-rs: `.filter(|s| !s.is_empty()).map(|s| s.trim().to_lowercase())`.
            if raw.is_empty() {
                continue;
            }
            let raw = raw.trim();
            self.lower.clear();
            if raw.is_ascii() {
                self.lower.push_str(raw);
                self.lower.make_ascii_lowercase();
            } else {
                self.lower.push_str(&raw.to_lowercase());
            }
            let key = hash128(self.lower.as_bytes());
            let (high, low) = ((key >> 64) as u64, key as u64);
            let slot = low as usize & (HOT_SLOTS - 1);
            let hot = self.hot[slot];
            if hot.high == high && hot.low == low && key != 0 {
                if hot.id != DROPPED {
                    f(hot.id);
                }
                continue;
            }
            if let Some(&id) = self.cache.get(&key) {
                self.hot[slot] = HotEntry { high, low, id };
                if id != DROPPED {
                    f(id);
                }
                continue;
            }
            let id = match self.pipeline.run(vec![self.lower.clone()]).pop() {
                Some(term) => self.intern(&term),
                None => DROPPED,
            };
            if id != DROPPED {
                f(id);
            }
            self.cache.insert(key, id);
            self.hot[slot] = HotEntry { high, low, id };
        }
    }

    /// The terms of `text`, in order.
    pub fn terms(&mut self, text: &str) -> Vec<String> {
        let mut ids = Vec::new();
        self.for_each_id(text, |id| ids.push(id));
        ids.into_iter()
            .map(|id| self.term(id).to_string())
            .collect()
    }
}

/// Two independent 64-bit hashes of `bytes` (multiply-xorshift over 8-byte words, murmur3
/// finaliser), as one 128-bit key.
fn hash128(bytes: &[u8]) -> u128 {
    fn fmix(mut h: u64) -> u64 {
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
    let mut a: u64 = 0x9e37_79b9_7f4a_7c15 ^ bytes.len() as u64;
    let mut b: u64 = 0x2545_f491_4f6c_dd1d ^ (bytes.len() as u64).rotate_left(32);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        a = (a ^ w).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29);
        b = (b ^ w.rotate_left(17))
            .wrapping_mul(0xd6e8_feb8_6659_fd93)
            .rotate_left(31);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut buf = [0u8; 8];
        buf[..rest.len()].copy_from_slice(rest);
        let w = u64::from_le_bytes(buf);
        a = (a ^ w).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29);
        b = (b ^ w.rotate_left(17))
            .wrapping_mul(0xd6e8_feb8_6659_fd93)
            .rotate_left(31);
    }
    (u128::from(fmix(a)) << 64) | u128::from(fmix(b ^ a.rotate_left(7)))
}

/// The reference: elasticlunr-rs's own tokenizer and pipeline, uncached. Used by tests to prove
/// [`Analyzer`] is the same function.
pub fn reference_terms(text: &str) -> Vec<String> {
    let english = English::new();
    english.make_pipeline().run(english.tokenize(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_elasticlunr_pipeline() {
        let samples = [
            "GENERAL OBERING'S MARCH 16 MISSILE DEFENSE DISCUSSIONS IN PARIS (CORRECTED COPY)",
            "The U.S. Embassy's political-military officers met Kennebunkport's mayor -- again.",
            "  ¶5. (C/NF) Ministère des Affaires étrangères: «non»; ÉTATS-UNIS  07PARIS1115 ",
            "running runs ran easily fairly generously caresses ponies ties",
            "a an the of is ... --- !!! 12958: DECL: 03/16/2017",
            "İstanbul ǅemal ΣΟΦΙΑ straße Ꭰ",
        ];
        let mut analyzer = Analyzer::new();
        for s in samples {
            // Twice: once filling the cache, once reading it.
            assert_eq!(analyzer.terms(s), reference_terms(s), "{s}");
            assert_eq!(analyzer.terms(s), reference_terms(s), "{s}");
        }
    }

    #[test]
    fn stems_and_drops_stop_words() {
        let mut analyzer = Analyzer::new();
        assert_eq!(
            analyzer.terms("The Missiles were discussed in Paris"),
            ["missil", "discuss", "pari"]
        );
    }
}

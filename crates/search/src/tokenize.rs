//! Text → index terms, exactly as elasticlunr does it, so that the browser (which runs the
//! vendored elasticlunr.js pipeline on the query) finds what the build indexed.
//!
//! The pipeline is elasticlunr-rs's English one: split on whitespace and `-`, lowercase, trim
//! non-word characters at both ends, drop stop words, Porter-stem. Running it through
//! `elasticlunr::Pipeline` for every one of the ~300 M tokens of the full archive would allocate
//! several strings per token, so [`Analyzer`] splits and lowercases without allocating and keeps
//! a per-thread cache from word to stem: the pipeline runs once per distinct word. The cache is
//! exactly equivalent because every pipeline step is a pure function of the token.

use elasticlunr::lang::{English, Language};
use elasticlunr::Pipeline;
use indexmap::IndexSet;
use rustc_hash::{FxHashMap, FxHasher};
use std::hash::BuildHasherDefault;

/// Turns text into stemmed terms. Not `Sync` (elasticlunr's pipeline is not): make one per
/// thread.
///
/// Terms are interned: [`Analyzer::for_each_id`] gives small numbers, [`Analyzer::term`] their
/// text, so that counting words in a document is array indexing, not string hashing. Numbers
/// stay valid until [`Analyzer::reset_if_large`] is called.
///
/// Almost every word of a cable is ASCII and at most 15 bytes long once trimmed; such a word is
/// its own key ([`pack`]: the bytes and the length in one `u128`), so the common path reads the
/// word once, allocates nothing, and compares keys exactly (no hash stands for a word). Longer
/// or non-ASCII words take a slower path, keyed by their text.
pub struct Analyzer {
    pipeline: Pipeline,
    /// Packed short word → its term number, or [`DROPPED`] when the pipeline drops it (stop
    /// word, punctuation).
    short: FxHashMap<u128, u32>,
    /// The same for every other word (longer than 15 bytes, or not ASCII), keyed by its
    /// lowercased text.
    long: FxHashMap<Box<str>, u32>,
    /// A small direct-mapped copy of the most recent `short` entries, indexed by a hash of the
    /// key. Words follow Zipf's law: a few thousand of them make most of any text, and this
    /// table (384 KB) stays in the core's cache where the big one cannot, so most lookups never
    /// miss to memory. Same keys and values as `short`: it changes speed, never terms.
    hot: Box<[HotEntry; 1 << HOT_BITS]>,
    /// The terms, numbered by their position: one copy of each term's text serves both ways
    /// (number → term and term → number).
    terms: IndexSet<Box<str>, BuildHasherDefault<FxHasher>>,
    /// Scratch buffer for lowercasing.
    lower: String,
    /// Per word's term number, the term numbers (plus one, 0: not made yet) of keys made from
    /// it ([`Analyzer::derived_key`]: the search index's `-subject:`, `-signer:`, `-to:`).
    /// Kept here, beside the numbering it is keyed by, so that [`Analyzer::reset_if_large`]
    /// forgets both at once: a cache kept elsewhere would name other terms after a reset.
    derived: Vec<[u32; DERIVED_KINDS]>,
}

/// How many kinds of key [`Analyzer::derived_key`] keeps per word.
pub const DERIVED_KINDS: usize = 3;

/// One slot of [`Analyzer::hot`]: a packed key in two halves (8-byte aligned, 24 bytes a slot)
/// and its term number. An empty slot has key 0, which [`pack`] never makes (it stores the
/// length, and the empty word is looked up in `short` directly).
#[derive(Clone, Copy, Default)]
struct HotEntry {
    high: u64,
    low: u64,
    id: u32,
}

/// Slots in the hot table (a power of two).
const HOT_BITS: u32 = 14;

/// Cache value of a word the pipeline drops.
const DROPPED: u32 = u32::MAX;

/// Bound on the caches so that the many distinct words of a big archive (names, numbers) cannot
/// eat memory: each thread's caches hold about 100 bytes per entry. Past it they start again,
/// which costs little, since the words that matter come back in the first chunk.
const CACHE_LIMIT: usize = 1 << 20;

/// Longest word [`pack`] takes: 15 bytes and a length byte make 16.
const PACKED_MAX: usize = 15;

/// Byte classes for the scanner: what splits words (elasticlunr splits on Unicode white space
/// and `-`), and what elasticlunr's English trimmer keeps at a word's ends (ASCII letters,
/// digits and `_`; it trims every other character, ASCII or not).
const SPLIT: u8 = 1;
const WORD: u8 = 2;
/// Bytes from 0x80 up are in neither class (indexing by any byte needs no bounds check).
static CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c == b'-' || c == b' ' || (c >= 0x09 && c <= 0x0d) {
            table[b] = SPLIT;
        } else if c.is_ascii_alphanumeric() || c == b'_' {
            table[b] = WORD;
        }
        b += 1;
    }
    table
};

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::new()
    }
}

impl Analyzer {
    /// A new analyzer with empty caches.
    pub fn new() -> Analyzer {
        let pipeline = English::new().make_pipeline();
        // `run_pipeline` skips the first step for words it has trimmed already.
        assert_eq!(
            pipeline.queue.first().map(|step| step.name()).as_deref(),
            Some("trimmer"),
            "elasticlunr's English pipeline starts with its trimmer"
        );
        Analyzer {
            pipeline,
            short: FxHashMap::default(),
            long: FxHashMap::default(),
            hot: vec![HotEntry::default(); 1 << HOT_BITS]
                .into_boxed_slice()
                .try_into()
                .unwrap_or_else(|_| unreachable!("the hot table has 1 << HOT_BITS slots")),
            terms: IndexSet::default(),
            lower: String::new(),
            derived: Vec::new(),
        }
    }

    /// Forgets every word and term when the caches have grown past their bound; says whether
    /// it did. Term numbers given before are invalid afterwards.
    pub fn reset_if_large(&mut self) -> bool {
        if self.short.len() + self.long.len() + self.terms.len() > CACHE_LIMIT {
            self.short.clear();
            self.long.clear();
            self.hot.fill(HotEntry::default());
            self.terms.clear();
            self.derived.clear();
            return true;
        }
        false
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
        match self.terms.get_index_of(term) {
            Some(id) => id as u32,
            None => self.terms.insert_full(term.into()).0 as u32,
        }
    }

    /// The number of the term `prefix` + the text of term `id` (a key made from a word, kind
    /// `kind` < [`DERIVED_KINDS`], each kind with its one prefix), made once per word and then
    /// remembered, so that a word seen again costs no string (`text` is scratch).
    pub fn derived_key(&mut self, id: u32, kind: usize, prefix: &str, text: &mut String) -> u32 {
        let i = id as usize;
        if i >= self.derived.len() {
            self.grow_derived(i);
        }
        match self.derived[i][kind] {
            0 => {
                text.clear();
                text.push_str(prefix);
                text.push_str(self.term(id));
                let key = self.intern(text);
                self.derived[i][kind] = key + 1;
                key
            }
            known => known - 1,
        }
    }

    /// Room in [`Analyzer::derived`] for term number `i`. Out of line: it is rare.
    #[cold]
    #[inline(never)]
    fn grow_derived(&mut self, i: usize) {
        self.derived.resize(i + 1 + i / 2, [0; DERIVED_KINDS]);
    }

    /// Calls `f` with the number of each term of `text`, in order (repeats included).
    ///
    /// The same terms as elasticlunr-rs's `tokenize_whitespace` then its English pipeline
    /// (split on white space and `-`, trim, lowercase, trim non-word characters, drop stop
    /// words, stem), proved by the tests against [`reference_terms`].
    pub fn for_each_id(&mut self, text: &str, mut f: impl FnMut(u32)) {
        self.for_each_id_at(text, |id, _| f(id));
    }

    /// Like [`Analyzer::for_each_id`], with each term's token number: the count of words before
    /// it in `text`, dropped ones (stop words, punctuation) included. Phrases are matched on
    /// these numbers, and the page numbers the words of a quoted phrase the same way (split on
    /// white space and `-`, empty pieces skipped), so `bank of america` finds `bank` and
    /// `america` two apart.
    /// Returns the number of words of `text`, dropped ones included.
    pub fn for_each_id_at(&mut self, text: &str, mut f: impl FnMut(u32, u32)) -> u32 {
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut token = 0u32;
        while i < bytes.len() {
            // Skip separators.
            let b = bytes[i];
            if b < 0x80 {
                if CLASS[b as usize] == SPLIT {
                    i += 1;
                    continue;
                }
            } else if let Some(c) = text[i..].chars().next() {
                if c.is_whitespace() {
                    i += c.len_utf8();
                    continue;
                }
            }
            // A word: up to the next separator. ASCII bytes are read eight at a time (the first
            // eight kept: for a short word they are already its key); the first byte that is a
            // separator or not ASCII stops the fast scan.
            let start = i;
            let (first8, stop) = load8(bytes, i);
            let mut stop = stop | stops(first8);
            while stop == 0 {
                i += 8;
                let (x, past) = load8(bytes, i);
                stop = past | stops(x);
            }
            i += (stop.trailing_zeros() / 8) as usize;
            let mut ascii = true;
            if i < bytes.len() && bytes[i] >= 0x80 {
                // Not ASCII: the rest of the word character by character.
                while i < bytes.len() {
                    let b = bytes[i];
                    if b < 0x80 {
                        if CLASS[b as usize] == SPLIT {
                            break;
                        }
                        i += 1;
                    } else {
                        let c = text[i..].chars().next().unwrap_or(' ');
                        if c.is_whitespace() {
                            break;
                        }
                        ascii = false;
                        i += c.len_utf8();
                    }
                }
            }
            let id = if ascii {
                self.ascii_word(&bytes[start..i], first8)
            } else {
                self.other_word(&text[start..i])
            };
            if id != DROPPED {
                f(id, token);
            }
            token += 1;
        }
        token
    }

    /// The term number of an ASCII word (or [`DROPPED`]); `first8` is its first eight bytes
    /// as [`load8`] read them (bytes past the word are ignored). The common word, of at most
    /// 8 bytes and with nothing to trim, is `first8` cut to its length: the same key as
    /// [`pack`] gives, without reading the word again.
    #[inline(always)]
    fn ascii_word(&mut self, word: &[u8], first8: u64) -> u32 {
        let n = word.len();
        match (word.first(), word.last()) {
            (Some(&a), Some(&z))
                if n <= 8 && CLASS[a as usize] == WORD && CLASS[z as usize] == WORD =>
            {
                let low = first8 & (u64::MAX >> (64 - 8 * n));
                self.hot_word((n as u64) << 56, ascii_lowercase8(low))
            }
            _ => self.trimmed_ascii_word(word),
        }
    }

    /// [`Analyzer::ascii_word`] for a word that is longer than 8 bytes or starts or ends with
    /// a character the trimmer removes.
    #[inline(never)]
    fn trimmed_ascii_word(&mut self, word: &[u8]) -> u32 {
        // The trimmer removes non-word characters from both ends; removing the ASCII ones here
        // first changes nothing it returns, and lets `paris,` share `paris`'s cache entry.
        let Some(first) = word.iter().position(|&b| CLASS[b as usize] == WORD) else {
            return self.short_word(pack(&[]));
        };
        let last = word
            .iter()
            .rposition(|&b| CLASS[b as usize] == WORD)
            .unwrap_or(first);
        let word = &word[first..=last];
        if word.len() > PACKED_MAX {
            self.lower.clear();
            self.lower
                .push_str(std::str::from_utf8(word).expect("ASCII is UTF-8"));
            self.lower.make_ascii_lowercase();
            return self.long_word(true);
        }
        let key = pack(word);
        self.hot_word((key >> 64) as u64, key as u64)
    }

    /// The term number of a [`pack`]ed key given in halves, through the hot table.
    #[inline(always)]
    fn hot_word(&mut self, high: u64, low: u64) -> u32 {
        let slot = hot_slot(high, low);
        let hot = self.hot[slot];
        if hot.high == high && hot.low == low {
            return hot.id;
        }
        let id = self.short_word((u128::from(high) << 64) | u128::from(low));
        self.hot[slot] = HotEntry { high, low, id };
        id
    }

    /// The term number of a [`pack`]ed word, from the `short` cache or, the first time, from
    /// the pipeline.
    #[inline(never)]
    fn short_word(&mut self, key: u128) -> u32 {
        if let Some(&id) = self.short.get(&key) {
            return id;
        }
        // A packed word is ASCII with no character the trimmer removes at either end.
        let id = self.run_pipeline(unpack(key), true);
        self.short.insert(key, id);
        id
    }

    /// The term number of a word that is not ASCII.
    fn other_word(&mut self, word: &str) -> u32 {
        self.lower.clear();
        // `tokenize_whitespace` trims (a no-op: words hold no white space) then lowercases.
        self.lower.push_str(&word.trim().to_lowercase());
        self.long_word(false)
    }

    /// The term number of the lowercased word in `self.lower`, through the `long` cache;
    /// `trimmed` when the word is ASCII and already trimmed (see [`Analyzer::run_pipeline`]).
    fn long_word(&mut self, trimmed: bool) -> u32 {
        if let Some(&id) = self.long.get(self.lower.as_str()) {
            return id;
        }
        let id = self.run_pipeline(self.lower.clone(), trimmed);
        self.long.insert(self.lower.as_str().into(), id);
        id
    }

    /// The pipeline's steps on one word, as `Pipeline::run` does them on a list of one (without
    /// its two vectors); `trimmed` skips the first step, the trimmer, which returns unchanged
    /// (but copied) an ASCII word that starts and ends with a character it keeps, or is empty.
    fn run_pipeline(&mut self, word: String, trimmed: bool) -> u32 {
        let mut token = word;
        for step in &self.pipeline.queue[usize::from(trimmed)..] {
            match step.filter(token) {
                Some(t) => token = t,
                None => return DROPPED,
            }
        }
        self.intern(&token)
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

/// Eight bytes of `bytes` from `at` as a little-endian number (zero-padded past the end), and
/// the high bit of every byte lane past the end (so that [`stops`] stops there).
fn load8(bytes: &[u8], at: usize) -> (u64, u64) {
    match bytes.get(at..at + 8) {
        Some(eight) => (u64::from_le_bytes(eight.try_into().expect("8 bytes")), 0),
        None => {
            let rest = &bytes[at.min(bytes.len())..];
            (read_le(rest), HIGH_BITS << (8 * rest.len()))
        }
    }
}

/// One in each byte lane: `ONES * b` is `b` in every lane.
const ONES: u64 = 0x0101_0101_0101_0101;

/// The high bit of each byte.
const HIGH_BITS: u64 = ONES * 0x80;

/// The high bit of each byte lane of `x` that ends an ASCII word scan: a separator (`SPLIT`
/// in [`CLASS`]: space, `-`, 0x09–0x0d) or a byte that is not ASCII. Exact in every lane (no
/// carry crosses lanes: every sum is of two numbers below 0x80).
fn stops(x: u64) -> u64 {
    const LOW7: u64 = ONES * 0x7f;
    let y = x & LOW7;
    // Lane high bit set when the lane is not zero.
    let nonzero = |v: u64| (v + LOW7) & HIGH_BITS;
    let space = !nonzero(y ^ (ONES * u64::from(b' '))) & HIGH_BITS;
    let dash = !nonzero(y ^ (ONES * u64::from(b'-'))) & HIGH_BITS;
    let control = (y + ONES * (0x80 - 0x09)) & !(y + ONES * (0x80 - 0x0e)) & HIGH_BITS;
    (x & HIGH_BITS) | space | dash | control
}

/// An ASCII word of at most [`PACKED_MAX`] bytes, lowercased, as an exact key: its bytes in
/// the low 15 bytes and its length in the top one. Never 0 for a non-empty word.
fn pack(word: &[u8]) -> u128 {
    debug_assert!(word.len() <= PACKED_MAX && word.is_ascii());
    // Two little-endian words read straight from the slice (no copy through a buffer, which
    // stalled on store forwarding), the top one holding the length.
    let n = word.len();
    let low = read_le(&word[..n.min(8)]);
    let high = read_le(&word[n.min(8)..]) | ((n as u64) << 56);
    // The length byte (≤ 15) is below 'A', so lowercasing leaves it alone.
    (u128::from(ascii_lowercase8(high)) << 64) | u128::from(ascii_lowercase8(low))
}

/// Up to 8 bytes as a little-endian number, zero-extended.
fn read_le(bytes: &[u8]) -> u64 {
    match bytes.len() {
        8.. => u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes")),
        4..=7 => {
            let n = bytes.len();
            let low = u64::from(u32::from_le_bytes(bytes[..4].try_into().expect("4 bytes")));
            let high = u64::from(u32::from_le_bytes(
                bytes[n - 4..].try_into().expect("4 bytes"),
            ));
            // The two 4-byte reads overlap; shift the high one so its bytes land at 4..n.
            low | (high << (8 * (n - 4)))
        }
        0 => 0,
        n => {
            let mut x = 0u64;
            for (i, &b) in bytes[..n].iter().enumerate() {
                x |= u64::from(b) << (8 * i);
            }
            x
        }
    }
}

/// The word a [`pack`]ed key holds.
fn unpack(key: u128) -> String {
    let bytes = key.to_le_bytes();
    let len = bytes[15] as usize;
    String::from_utf8_lossy(&bytes[..len]).into_owned()
}

/// ASCII lowercase of eight bytes at once (bytes below 0x80): `A`..=`Z` gain 0x20.
fn ascii_lowercase8(x: u64) -> u64 {
    let at_least_a = x.wrapping_add(ONES * (0x80 - u64::from(b'A')));
    let above_z = x.wrapping_add(ONES * (0x80 - u64::from(b'Z') - 1));
    let upper = at_least_a & !above_z & HIGH_BITS;
    x | (upper >> 2)
}

/// Slot of a packed key in the hot table.
fn hot_slot(high: u64, low: u64) -> usize {
    let h = low.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ high.wrapping_mul(0xc2b2_ae3d_27d4_eb4f);
    (h >> (64 - HOT_BITS)) as usize
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
    fn derived_keys_are_forgotten_with_the_numbering() {
        let mut a = Analyzer::new();
        let mut text = String::new();
        let mut word = Vec::new();
        a.for_each_id("missiles", |id| word.push(id));
        let key = a.derived_key(word[0], 1, "-signer:", &mut text);
        assert_eq!(a.term(key), "-signer:missil");
        assert_eq!(
            a.derived_key(word[0], 1, "-signer:", &mut text),
            key,
            "remembered"
        );
        // Past the bound the numbering starts again: other terms take the old numbers, and a
        // key remembered from before would name one of them.
        for n in 0..=CACHE_LIMIT {
            a.intern(&format!("t{n}"));
        }
        assert!(a.reset_if_large());
        // The word takes its old number again, and another term the old key's number.
        let old_word = word[0];
        word.clear();
        a.for_each_id("missiles", |id| word.push(id));
        assert_eq!(word[0], old_word);
        a.intern("other");
        let key = a.derived_key(word[0], 1, "-signer:", &mut text);
        assert_eq!(a.term(key), "-signer:missil");
    }

    #[test]
    fn matches_elasticlunr_pipeline() {
        let samples = [
            "GENERAL OBERING'S MARCH 16 MISSILE DEFENSE DISCUSSIONS IN PARIS (CORRECTED COPY)",
            "The U.S. Embassy's political-military officers met Kennebunkport's mayor -- again.",
            "  ¶5. (C/NF) Ministère des Affaires étrangères: «non»; ÉTATS-UNIS  07PARIS1115 ",
            "running runs ran easily fairly generously caresses ponies ties",
            "a an the of is ... --- !!! 12958: DECL: 03/16/2017",
            "İstanbul ǅemal ΣΟΦΙΑ straße Ꭰ",
            "KELVIN 5\u{212A} ĳssel NEL\u{85}SPLIT nbsp\u{a0}x em\u{2003}y tab\tz\x0bv\x0cf\rc",
            "INTERNATIONALIZATION counterproliferation's (NON-PROLIFERATION) ___ _x_ a_b",
            "NUL\0INSIDE \0lead trail\0 \u{1c}fs\u{1f} 123456789012345 1234567890123456",
            "...paris,, PARIS; (paris) paris's \"Paris\" Paris.",
        ];
        let mut analyzer = Analyzer::new();
        for s in samples {
            // Twice: once filling the cache, once reading it.
            assert_eq!(analyzer.terms(s), reference_terms(s), "{s}");
            assert_eq!(analyzer.terms(s), reference_terms(s), "{s}");
        }
    }

    proptest::proptest! {
        /// Any text, cut from an alphabet that mixes the cases the fast paths treat apart:
        /// ASCII letters of both cases, digits, `_`, punctuation the trimmer removes, `-`,
        /// ASCII and Unicode white space, NUL, and letters whose lowercase is ASCII or longer.
        #[test]
        fn same_terms_as_elasticlunr(
            text in "([aAzZsSeE0_.,'()\\-\\x00 \t\u{85}\u{a0}\u{2003}\u{212A}İßΣé]|running|STATE|the|[A-Z]{14,18}){0,40}"
        ) {
            let mut analyzer = Analyzer::new();
            proptest::prop_assert_eq!(analyzer.terms(&text), reference_terms(&text));
            proptest::prop_assert_eq!(analyzer.terms(&text), reference_terms(&text));
        }
    }

    #[test]
    fn the_eight_byte_scan_stops_where_the_byte_scan_does() {
        for b in 0..=255u8 {
            let expected = b >= 0x80 || CLASS[b as usize] == SPLIT;
            for lane in 0..8 {
                let mut bytes = *b"aZ0_.,'(";
                bytes[lane] = b;
                let stop = stops(u64::from_le_bytes(bytes));
                let want = if expected { 0x80u64 << (8 * lane) } else { 0 };
                assert_eq!(stop, want, "byte {b:#x} in lane {lane}");
            }
        }
        // Past the end of the text every lane stops.
        assert_eq!(load8(b"abc", 0), (0x0063_6261, 0x8080_8080_8000_0000));
        assert_eq!(load8(b"abcdefgh", 8), (0, HIGH_BITS));
    }

    #[test]
    fn numbers_words_counting_dropped_ones() {
        let mut analyzer = Analyzer::new();
        let mut seen = Vec::new();
        // Words: Bank of America ... the talks (`--` is only separators: no word).
        let n = analyzer.for_each_id_at("Bank of  America -- ... the talks", |id, at| {
            seen.push((id, at))
        });
        let terms: Vec<(&str, u32)> = seen
            .iter()
            .map(|&(id, at)| (analyzer.term(id), at))
            .collect();
        assert_eq!(terms, [("bank", 0), ("america", 2), ("talk", 5)]);
        assert_eq!(n, 6);
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

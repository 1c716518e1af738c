//! Stand-in corpora for the search tests and benchmarks, built in memory.
//!
//! Until the corpus generator (branch `gen`) lands, this module makes large corpora directly: the
//! seed cables of `content/cables/` (read by the parser), and synthetic cables whose words follow
//! a Zipf law over a large invented vocabulary (so that index sizes behave like real text: a few
//! very common words, a long tail of rare ones). Shared by `tests/search.rs` and
//! `examples/search_bench.rs` through `#[path]`.
#![allow(dead_code)]

use archive::cable::*;
use archive::corpus::{self, Corpus, Loaded};
use std::path::{Path, PathBuf};

/// splitmix64: tiny, deterministic, good enough for test data.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[allow(clippy::too_many_arguments)]
fn cable(
    id: CableId,
    created: DateTime,
    classification: Classification,
    origin: String,
    subject: String,
    tags: Vec<String>,
    body: Vec<Block>,
    source: PathBuf,
) -> Cable {
    Cable {
        id,
        created,
        classification,
        origin,
        subject,
        tags,
        references: Vec::new(),
        sender: None,
        recipients: Vec::new(),
        classified_by: None,
        declassification: None,
        signer: None,
        layout: Layout::HeaderTable,
        body,
        source,
    }
}

/// The seed cables of `content/cables/`, read by the parser.
pub fn seeds() -> Vec<Cable> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/cables");
    let loaded = corpus::load(&dir);
    assert!(
        loaded.cables.len() >= 5,
        "seeds parse: {:?}",
        loaded.problems
    );
    loaded.cables
}

const STATIONS: [(&str, &str); 12] = [
    ("PARIS", "Embassy Paris"),
    ("LONDON", "Embassy London"),
    ("MOSCOW", "Embassy Moscow"),
    ("BEIJING", "Embassy Beijing"),
    ("USNATO", "Mission USNATO"),
    ("STATE", "Secretary of State"),
    ("BAGHDAD", "Embassy Baghdad"),
    ("TOKYO", "Embassy Tokyo"),
    ("ANKARA", "Embassy Ankara"),
    ("CAIRO", "Embassy Cairo"),
    ("BERLIN", "Embassy Berlin"),
    ("MADRID", "Embassy Madrid"),
];
const TAGS: [&str; 16] = [
    "PREL", "PGOV", "ECON", "MARR", "PTER", "KNNP", "ETRD", "PHUM", "SNAR", "MOPS", "PINR", "EFIN",
    "ENRG", "KDEM", "FR", "RU",
];

/// An invented word for Zipf rank `r`: short for frequent ranks, longer for rare ones.
pub fn word(r: u64) -> String {
    const C: &[u8] = b"bcdfghjklmnprstvwz";
    const V: &[u8] = b"aeiou";
    let mut s = String::new();
    let mut n = r + 7;
    while n > 0 {
        s.push(C[(n % 18) as usize] as char);
        n /= 18;
        s.push(V[(n % 5) as usize] as char);
        n /= 5;
    }
    s
}

/// Distinct invented words: with the Zipf law below, 10,000 cables use about 100,000 of them
/// and 250,000 cables about 300,000, in line with Heaps' law for English text.
const VOCABULARY: f64 = 400_000.0;

/// Zipf(s = 1) rank in 1..=vocab by inverse transform on the harmonic approximation.
fn zipf(rng: &mut Rng, vocab: f64) -> u64 {
    let u = rng.unit();
    // H(n) ≈ ln(n) + γ; solve ln(r) + γ = u × H(vocab).
    let h = vocab.ln() + 0.5772;
    ((u * h - 0.5772).exp().max(1.0)) as u64
}

/// `count` synthetic cables over 2003–2010, about 1,000 words (~7 KB) each.
pub fn synthetic(count: usize, seed: u64) -> Vec<Cable> {
    let mut rng = Rng(seed);
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let (station, origin) = STATIONS[rng.below(STATIONS.len() as u64) as usize];
        let year = 2003 + (i * 8 / count.max(1)) as u16;
        let created = DateTime {
            year,
            month: 1 + rng.below(12) as u8,
            day: 1 + rng.below(28) as u8,
            hour: rng.below(24) as u8,
            minute: rng.below(60) as u8,
            second: 0,
        };
        let classification = Classification::ALL[rng.below(6) as usize];
        let id = CableId(format!("{:02}{station}{}", year % 100, 100 + i));
        let sentence = |rng: &mut Rng, words: usize| -> String {
            let mut s = String::new();
            for w in 0..words {
                if w > 0 {
                    s.push(' ');
                }
                if rng.below(40) == 0 {
                    let n = if rng.below(10) == 0 { 100_000 } else { 2_000 };
                    s.push_str(&rng.below(n).to_string());
                } else {
                    s.push_str(&word(zipf(rng, VOCABULARY)));
                }
            }
            s
        };
        let subject = sentence(&mut rng, 8).to_uppercase();
        let ntags = 1 + rng.below(4) as usize;
        let mut tags: Vec<String> = Vec::new();
        for _ in 0..ntags {
            let t = TAGS[rng.below(TAGS.len() as u64) as usize].to_string();
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        let mut body = Vec::new();
        let paragraphs = 4 + rng.below(10) as usize;
        for p in 0..paragraphs {
            let mut b = Block::new(BlockKind::Paragraph, 20 + p as u32 * 10, {
                let words = 60 + rng.below(120) as usize;
                format!("{}. {}.", p + 1, sentence(&mut rng, words))
            });
            b.number = Some(p as u32 + 1);
            body.push(b);
        }
        out.push(cable(
            id,
            created,
            classification,
            origin.to_string(),
            subject,
            tags,
            body,
            PathBuf::from(format!("synthetic/{i}.txt")),
        ));
    }
    out
}

/// A linked corpus of the seeds plus `extra` synthetic cables.
pub fn corpus(extra: usize) -> Corpus {
    let mut cables = seeds();
    cables.extend(synthetic(extra, 42));
    corpus::link(Loaded {
        files_read: cables.len(),
        cables,
        problems: Vec::new(),
        sources: Vec::new(),
    })
}

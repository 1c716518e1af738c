//! Stand-in corpora for the search tests and benchmarks, built in memory.
//!
//! Made directly in memory, without files or parsing: the seed cables of `content/cables/` (read
//! by the parser), and synthetic cables whose words follow a Zipf law over a large invented
//! vocabulary (so that index sizes behave like real text: a few very common words, a long tail of
//! rare ones). Faster to make than [`crate::generate`]'s files when only the search index is
//! under test; used by the search tests and `examples/search_bench.rs`.

use crate::generate::rng::Rng;
use archive_cable::model::*;
use archive_corpus::{self as corpus, Corpus, Loaded};
use std::path::{Path, PathBuf};

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
        precision: Precision::Minute,
        classification,
        origin,
        subject,
        tags,
        references: Vec::new(),
        references_block: None,
        sender: None,
        recipients: Vec::new(),
        classified_by: None,
        declassification: None,
        signer: None,
        layout: Layout::HeaderTable,
        body,
        source,
        record: None,
        body_set_aside: None,
    }
}

/// The seed cables of `content/cables/`, read by the parser.
pub fn seeds() -> Vec<Cable> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/cables");
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
    let u = rng.f64();
    // H(n) ≈ ln(n) + γ; solve ln(r) + γ = u × H(vocab).
    let h = vocab.ln() + 0.5772;
    ((u * h - 0.5772).exp().max(1.0)) as u64
}

/// `count` synthetic cables over 2003–2010, about 1,000 words (~7 KB) each.
pub fn synthetic(count: usize, seed: u64) -> Vec<Cable> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let (station, origin) = STATIONS[rng.below(STATIONS.len())];
        let year = 2003 + (i * 8 / count.max(1)) as u16;
        let created = DateTime::at_minute(
            year,
            1 + rng.below(12) as u8,
            1 + rng.below(28) as u8,
            rng.below(24) as u8,
            rng.below(60) as u8,
        );
        let classification = Classification::ALL[rng.below(6)];
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
        let ntags = 1 + rng.below(4);
        let mut tags: Vec<String> = Vec::new();
        for _ in 0..ntags {
            let t = TAGS[rng.below(TAGS.len())].to_string();
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        let mut body = Vec::new();
        let paragraphs = 4 + rng.below(10);
        for p in 0..paragraphs {
            let mut b = Block::new(BlockKind::Paragraph, 20 + p as u32 * 10, {
                let words = 60 + rng.below(120);
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
        ..Loaded::default()
    })
}

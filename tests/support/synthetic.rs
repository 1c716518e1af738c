//! Stand-in corpora for the search tests and benchmarks, built in memory.
//!
//! Until the parser (branch `parser`) and the corpus generator (branch `gen`) land, the search
//! code cannot read cables from disk, so this module makes cables directly: the seed cables of
//! `content/cables/` read with a rough line-based reader, and synthetic cables whose words follow
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

/// Reads a seed cable roughly: header table, title, tags, then paragraphs split on blank lines.
pub fn read_seed(path: &Path) -> Cable {
    let text = std::fs::read_to_string(path).expect("seed readable");
    let lines: Vec<&str> = text.lines().collect();
    if !(lines.len() > 8 && lines[0].trim() == "Identifier") {
        return read_raw_seed(path, &lines);
    }
    let id = lines[4].trim().to_string();
    let created = lines[5].trim();
    let num = |r: std::ops::Range<usize>| created[r].parse::<u32>().unwrap();
    let created = DateTime {
        year: num(0..4) as u16,
        month: num(5..7) as u8,
        day: num(8..10) as u8,
        hour: num(11..13) as u8,
        minute: num(14..16) as u8,
        second: num(17..19) as u8,
    };
    let classification = Classification::from_label(lines[6])
        .unwrap_or(Classification::new(Level::Unclassified, None));
    let origin = lines[7].trim().to_string();
    let mut subject = String::new();
    let mut tags = Vec::new();
    let mut i = 8;
    while i < lines.len() {
        let l = lines[i];
        if let Some(rest) = l.strip_prefix("Cable title:") {
            let rest = rest.trim();
            subject = if rest.is_empty() {
                lines[i + 1..]
                    .iter()
                    .find(|l| !l.trim().is_empty())
                    .unwrap_or(&"")
                    .trim()
                    .to_string()
            } else {
                rest.to_string()
            };
        }
        if let Some(t) = l.strip_prefix("Tags:") {
            tags = t.split_whitespace().map(str::to_string).collect();
            i += 1;
            break;
        }
        i += 1;
    }
    let body = paragraphs(&lines, i);
    cable(
        CableId(id),
        created,
        classification,
        origin,
        subject,
        tags,
        body,
        path.to_path_buf(),
    )
}

/// A raw telegram seed: only the facts the search needs, guessed crudely.
fn read_raw_seed(path: &Path, lines: &[&str]) -> Cable {
    let stem = path.file_name().unwrap().to_string_lossy();
    let id = CableId(format!("07SEED{}", &stem[..3]));
    let field = |label: &str| {
        lines
            .iter()
            .find_map(|l| l.trim().strip_prefix(label))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let classification = if lines.iter().any(|l| l.starts_with("S E C R E T")) {
        Classification::new(Level::Secret, None)
    } else if lines
        .iter()
        .any(|l| l.starts_with("C O N F I D E N T I A L"))
    {
        Classification::new(Level::Confidential, None)
    } else {
        Classification::new(Level::Unclassified, None)
    };
    let created = DateTime {
        year: 2007,
        month: 6,
        day: 1,
        ..DateTime::default()
    };
    let tags = field("TAGS:")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    cable(
        id,
        created,
        classification,
        "Mission USNATO".to_string(),
        field("SUBJECT:"),
        tags,
        paragraphs(lines, 0),
        path.to_path_buf(),
    )
}

/// Blocks separated by blank lines, from line `i` on.
fn paragraphs(lines: &[&str], i: usize) -> Vec<Block> {
    let mut body = Vec::new();
    let mut para = String::new();
    let mut start = i;
    for (n, l) in lines.iter().enumerate().skip(i) {
        if l.trim().is_empty() {
            if !para.is_empty() {
                body.push(block(&para, start));
                para.clear();
            }
            start = n + 1;
        } else {
            if !para.is_empty() {
                para.push('\n');
            }
            para.push_str(l);
        }
    }
    if !para.is_empty() {
        body.push(block(&para, start));
    }
    body
}

fn block(text: &str, line: usize) -> Block {
    let numbered = text
        .split('.')
        .next()
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    let mut b = Block::new(
        if numbered {
            BlockKind::Paragraph
        } else {
            BlockKind::Text
        },
        line as u32 + 1,
        text,
    );
    if numbered {
        b.number = text.split('.').next().unwrap().parse().ok();
    }
    b
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

/// The seed cables of `content/cables/`.
pub fn seeds() -> Vec<Cable> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/cables");
    let (files, _) = corpus::list_files(&dir);
    files.iter().map(|f| read_seed(f)).collect()
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
    })
}

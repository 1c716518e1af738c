//! A quick way to measure the build at scale, before the generator and parser are in:
//! synthesizes N cables of realistic size (≈ 8 KB of text, like the real average) that cite
//! each other, and builds them with the phases printed.
//!
//! `SITE_BENCH_COUNT=20000 cargo test --release --test site_bench -- --ignored --nocapture`

mod site_util;
use archive::cable::{Block, BlockKind, CableId, Classification, Level, Mention, Reference};
use site_util::*;

const TAGS: [&str; 24] = [
    "PREL", "PGOV", "MARR", "PARM", "MNUC", "ECON", "EFIN", "ETRD", "PHUM", "PTER", "KDEM", "SNAR",
    "ENRG", "EAID", "KNNP", "NATO", "RS", "FR", "GM", "CH", "IZ", "TU", "AF", "PK",
];

fn synth(n: usize) -> Vec<archive::cable::Cable> {
    let words = "the minister said that allies would consider the proposal on missile defense \
        and that the embassy expects a response before the summit in the coming weeks while \
        officials in the capital remain divided over the timing of any public statement ";
    (0..n)
        .map(|i| {
            let year = 2004 + (i * 7 / n) as u16;
            let month = (i % 12) as u8 + 1;
            let id = format!("{:02}STATION{}{}", year % 100, i % 175, i);
            let mut c = cable(&id, year, month, (i % 28) as u8 + 1);
            c.origin = format!("Embassy {}", i % 175);
            c.tags = (0..4)
                .map(|k| TAGS[(i * 7 + k * 5) % TAGS.len()].to_string())
                .collect();
            c.classification = Classification::ALL[i % 6];
            if i % 13 == 0 {
                c.classification = Classification::new(Level::Secret, None);
            }
            c.subject = format!("SUBJECT {i}: {}", &words[..60]);
            for k in 0..12 {
                let mut p = Block::new(
                    BlockKind::Paragraph,
                    60 + k,
                    format!("{} {}", words, words)
                        .replace("  ", " ")
                        .chars()
                        .take(520)
                        .collect::<String>(),
                );
                p.number = Some(k + 4);
                p.marking = Some("C".into());
                if k == 0 && i > 10 {
                    c.references.push(Reference {
                        label: Some("A".into()),
                        text: "STATION 1".into(),
                        id: Some(CableId(format!(
                            "{:02}STATION{}{}",
                            year % 100,
                            (i - 7) % 175,
                            i - 7
                        ))),
                    });
                    c.references.push(Reference {
                        label: Some("B".into()),
                        text: "STATE 2".into(),
                        id: Some(CableId(format!("X{i}"))),
                    });
                    p.text = format!("As REF A and REF B said, {}", p.text).into();
                    p.mentions = vec![
                        Mention {
                            start: 3,
                            end: 8,
                            references: vec![0],
                        },
                        Mention {
                            start: 13,
                            end: 18,
                            references: vec![1],
                        },
                    ]
                    .into();
                }
                c.body.push(p);
            }
            c
        })
        .collect()
}

#[test]
#[ignore]
fn bench_build() {
    let n: usize = std::env::var("SITE_BENCH_COUNT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let dir = std::env::var("SITE_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::env::temp_dir().join("site-bench"));
    let cables = synth(n);
    let text: usize = cables
        .iter()
        .map(|c| c.body.iter().map(|b| b.text.len()).sum::<usize>())
        .sum();
    let mut config = config(&dir.join("public"));
    config.page_size = 100;
    let started = std::time::Instant::now();
    let report = build(cables, &config).unwrap();
    let total = started.elapsed();
    for (phase, t) in &report.phases {
        println!("phase {phase}: {:.3} s", t.as_secs_f64());
    }
    println!(
        "{n} cables, {:.1} MB of text → {} files, {:.1} MB ({:.2}×) in {:.2} s ({:.1} µs/cable)",
        text as f64 / 1e6,
        report.files,
        report.bytes as f64 / 1e6,
        report.bytes as f64 / text as f64,
        total.as_secs_f64(),
        total.as_secs_f64() * 1e6 / n as f64
    );
}

/// Render only, no files: what the cable pages cost in CPU, apart from the file system.
/// `SITE_BENCH_COUNT=20000 cargo test --release --test site_bench -- --ignored --nocapture`
#[test]
#[ignore]
fn bench_render_only() {
    use archive::site::cable_page;
    use rayon::prelude::*;
    let n: usize = std::env::var("SITE_BENCH_COUNT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let cables = synth(n);
    let corpus = archive::corpus::link(archive::corpus::Loaded {
        files_read: n,
        cables,
        ..Default::default()
    });
    let config = config(&std::env::temp_dir().join("site-bench-unused/public"));
    let site = archive::site::prepare(&corpus, &config).unwrap();
    archive::site::highlight::init();
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let started = std::time::Instant::now();
        let bytes: usize = pool.install(|| {
            (0..n)
                .into_par_iter()
                .map(|i| cable_page::render(&site, i, None).unwrap().len())
                .sum()
        });
        let t = started.elapsed().as_secs_f64();
        println!("render only, {threads} thread(s): {n} pages, {:.1} MB in {t:.2} s = {:.1} µs/page wall", bytes as f64 / 1e6, t * 1e6 / n as f64);
    }
}

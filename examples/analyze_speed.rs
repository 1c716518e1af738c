//! Throughput of the search index's analysis on one core: the chunk-by-chunk inverted index
//! (`search::analyze::chunk`) of a folder of cables, parsed once beforehand, run over and over.
//! It is the largest part of a full build's CPU (a third of a 20,000-cable build's samples),
//! so changes to the tokenizer or the chunk index are timed here, away from the noise of a
//! whole build. Prints cables/s by wall time and by the thread's on-CPU time, and a checksum
//! of what was built (the same before and after a change that should not change the index).
//!
//! ```sh
//! cargo run --release --example analyze_speed -- /work/bench-out/corpus-20000 [ROUNDS]
//! ```

use archive::config::SearchConfig;
use archive::search::analyze;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .expect("usage: analyze_speed CONTENT_DIR [ROUNDS]"),
    );
    let rounds: usize = args
        .next()
        .map(|a| a.parse().expect("second argument: number of rounds"))
        .unwrap_or(3);
    let corpus = archive::corpus::read(&dir);
    let cables: Vec<&archive::cable::Cable> = corpus.cables.iter().map(|c| &c.cable).collect();
    let config = SearchConfig::default();
    // Warm up the thread's caches the way a build's first chunk does.
    let _ = analyze::chunk(&cables[..cables.len().min(analyze::CHUNK_DOCS)], 0, &config);
    let start = Instant::now();
    let cpu_start = archive_dev::procstat::thread_cpu_seconds();
    let mut terms = 0usize;
    for _ in 0..rounds {
        for (i, docs) in cables.chunks(analyze::CHUNK_DOCS).enumerate() {
            terms += analyze::chunk(docs, (i * analyze::CHUNK_DOCS) as u32, &config).len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu_start
        .zip(archive_dev::procstat::thread_cpu_seconds())
        .map(|(a, b)| b - a);
    // The checksum once more, untimed.
    let mut check = terms as u64;
    for (i, docs) in cables.chunks(analyze::CHUNK_DOCS).enumerate() {
        check = fold(
            check,
            &analyze::chunk(docs, (i * analyze::CHUNK_DOCS) as u32, &config),
        );
    }
    let n = (cables.len() * rounds) as f64;
    println!(
        "{} cables × {rounds} rounds in {secs:.2} s wall: {:.0} cables/s (checksum {check:016x})",
        cables.len(),
        n / secs
    );
    if let Some(cpu) = cpu {
        println!("on-CPU {cpu:.2} s: {:.0} cables/s per core", n / cpu);
    }
}

/// `check` folded (FNV-1a) with every term, postings list, positions list and length of `chunk`.
fn fold(mut check: u64, chunk: &analyze::ChunkIndex) -> u64 {
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            check = (check ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
        check = (check ^ 0xff).wrapping_mul(0x100_0000_01b3);
    };
    for i in 0..chunk.len() {
        eat(chunk.term(i).as_bytes());
        eat(chunk.postings(i));
        eat(chunk.positions(i));
    }
    for len in &chunk.lens {
        eat(&len.to_le_bytes());
    }
    check
}

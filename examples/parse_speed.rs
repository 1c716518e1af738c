//! Throughput of the cable parser on one core: parses the seed cables (or the files given as
//! arguments) over and over and prints MB/s and cables/s, by wall time and (on Linux) by the
//! thread's on-CPU time, which is the fair figure on a machine shared with other work.
//!
//! ```sh
//! cargo run --release --example parse_speed            # seeds, 20,000 rounds
//! cargo run --release --example parse_speed -- 5000 a.txt b.txt
//! ```

use archive::cable::Parsed;
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args
        .next()
        .map(|a| a.parse().expect("first argument: number of rounds"))
        .unwrap_or(20_000);
    let mut paths: Vec<PathBuf> = args.map(PathBuf::from).collect();
    if paths.is_empty() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content/cables");
        paths = std::fs::read_dir(dir)
            .expect("content/cables")
            .map(|e| e.expect("entry").path())
            .collect();
        paths.sort();
    }
    let files: Vec<(PathBuf, Vec<u8>)> = paths
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("readable file");
            (p, bytes)
        })
        .collect();
    let bytes_per_round: usize = files.iter().map(|(_, b)| b.len()).sum();

    // Warm up, and make sure the inputs parse.
    for (path, bytes) in &files {
        if let Parsed::NotACable(p) = archive::parse::parse(bytes, path) {
            eprintln!("warning: {} is not a cable: {p:?}", path.display());
        }
    }

    let start = Instant::now();
    let cpu_start = archive_dev::procstat::thread_cpu_seconds();
    let mut blocks = 0usize;
    for _ in 0..rounds {
        for (path, bytes) in &files {
            if let Parsed::Cable { cable, .. } = archive::parse::parse(bytes, path) {
                blocks += cable.body.len();
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu_start
        .zip(archive_dev::procstat::thread_cpu_seconds())
        .map(|(a, b)| b - a);
    let total = (bytes_per_round * rounds) as f64;
    let cables = (files.len() * rounds) as f64;
    println!(
        "{} cables, {:.1} MB in {:.2} s wall: {:.0} MB/s, {:.0} cables/s ({} blocks)",
        cables,
        total / 1e6,
        secs,
        total / 1e6 / secs,
        cables / secs,
        blocks
    );
    // On a shared machine wall time counts other processes' turns; on-CPU time does not.
    if let Some(cpu) = cpu {
        println!(
            "on-CPU {:.2} s: {:.0} MB/s, {:.0} cables/s per core",
            cpu,
            total / 1e6 / cpu,
            cables / cpu
        );
    }
}

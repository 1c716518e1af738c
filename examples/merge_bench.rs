//! Times the search index's merge alone, as an incremental rebuild runs it: every chunk's run
//! reused from a run cache, then [`search::Indexer::finish`].
//!
//! `ARCHIVE_SEARCH_TIMES=1 cargo run --release --example merge_bench -- CONTENT OUT CACHE`: the
//! first run analyses every chunk into `CACHE` (keys from the chunk's page paths); later runs
//! reuse them all and time only `reuse_chunk` and `finish`. The index goes to `OUT/search/`.

use archive::config::SearchConfig;
use archive::search;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The allocator and options of the `archive` binary, so that the merge is timed as it runs there.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[allow(non_upper_case_globals)]
#[export_name = "_rjem_malloc_conf"]
pub static malloc_conf: &[u8; 47] = b"narenas:2,dirty_decay_ms:2000,muzzy_decay_ms:0\0";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let corpus = archive::corpus::read(Path::new(&args[0]));
    let out = PathBuf::from(&args[1]);
    let cache = PathBuf::from(&args[2]);
    let config = SearchConfig::default();
    let docs: Vec<&archive::corpus::LinkedCable> = corpus.cables.iter().collect();
    let plan = search::chunk_plan(&docs);
    let keys: Vec<u128> = plan
        .iter()
        .map(|r| {
            let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
            for d in &docs[r.clone()] {
                for &b in d.page.as_bytes() {
                    h = (h ^ u128::from(b)).wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
                }
            }
            h
        })
        .collect();
    let indexer = search::Indexer::with_options(
        &config,
        &out,
        plan.clone(),
        Some(search::RunCache {
            from: Some(cache.clone()),
            to: cache,
        }),
    )
    .expect("indexer");
    let t = Instant::now();
    let mut analysed = 0;
    for (i, r) in plan.iter().enumerate() {
        if !indexer.reuse_chunk(i, keys[i]).expect("reuse") {
            let full: Vec<_> = r.clone().map(|k| corpus.full(k).expect("full")).collect();
            let cables: Vec<&archive::cable::Cable> = full.iter().map(|c| &**c).collect();
            indexer
                .add_keyed_chunk(i, &cables, keys[i], &[])
                .expect("add");
            analysed += 1;
        }
    }
    let reuse = t.elapsed();
    // With MERGE_BENCH_CPU set: the process's CPU use every quarter second, to see how busy
    // the cores are in each phase.
    let watch = std::env::var_os("MERGE_BENCH_CPU").map(|_| {
        std::thread::spawn(|| {
            let start = Instant::now();
            let mut last = (0.0, 0.0);
            loop {
                let cpu = archive_dev::procstat::cpu_seconds();
                let now = start.elapsed().as_secs_f64();
                if now > 0.0 {
                    eprintln!(
                        "cpu {now:6.2} s: {:4.0} %",
                        100.0 * (cpu - last.1) / (now - last.0)
                    );
                }
                last = (now, cpu);
                std::thread::sleep(std::time::Duration::from_millis(250));
            }
        })
    });
    drop(watch);
    // With MERGE_BENCH_PERF=FILE: `perf record` of the finish alone, into FILE.
    let perf = std::env::var_os("MERGE_BENCH_PERF").map(|file| {
        let child = std::process::Command::new("perf")
            .args(["record", "-F", "250", "--call-graph", "dwarf,16384", "-o"])
            .arg(file)
            .arg("-p")
            .arg(std::process::id().to_string())
            .spawn()
            .expect("perf");
        std::thread::sleep(std::time::Duration::from_millis(1500));
        child
    });
    let t = Instant::now();
    let cpu = archive_dev::procstat::cpu_seconds();
    let stats = indexer.finish(&docs).expect("finish");
    let cpu = archive_dev::procstat::cpu_seconds() - cpu;
    if let Some(child) = perf {
        let _ = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
        let _ = child.wait_with_output();
    }
    eprintln!(
        "chunks {} (analysed {analysed}): reuse {:.2} s, finish {:.2} s wall {cpu:.2} s CPU; {} files, {} bytes",
        plan.len(),
        reuse.as_secs_f64(),
        t.elapsed().as_secs_f64(),
        stats.files,
        stats.bytes
    );
}

//! Writes a synthetic cable corpus.
//!
//! ```text
//! cargo run --release --example generate -- --count 251287 --out /tmp/gen [--seed 1]
//!     [--resolvable 0.7] [--manifest manifest.json] [--dry-run]
//! ```
//!
//! `--dry-run` renders every cable in memory and writes nothing (to time the generator alone).
//!
//! Prints the number of files and bytes written, the median and mean file size, and the time.

use archive_dev::generate::{generate, generate_with, GenConfig};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str =
    "usage: generate --count N --out DIR [--seed S] [--resolvable F] [--manifest FILE] [--dry-run]";

fn main() -> ExitCode {
    let mut config = GenConfig::default();
    let mut count = None;
    let mut out = None;
    let mut manifest_path: Option<PathBuf> = None;
    let mut dry_run = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        let result: Result<(), String> = (|| {
            match arg.as_str() {
                "--count" => {
                    count = Some(
                        value("--count")?
                            .parse()
                            .map_err(|e| format!("--count: {e}"))?,
                    )
                }
                "--out" => out = Some(PathBuf::from(value("--out")?)),
                "--seed" => {
                    config.seed = value("--seed")?
                        .parse()
                        .map_err(|e| format!("--seed: {e}"))?
                }
                "--resolvable" => {
                    config.resolvable = value("--resolvable")?
                        .parse()
                        .map_err(|e| format!("--resolvable: {e}"))?
                }
                "--manifest" => manifest_path = Some(PathBuf::from(value("--manifest")?)),
                "--dry-run" => dry_run = true,
                "-h" | "--help" => return Err(USAGE.to_string()),
                other => return Err(format!("unknown argument {other}\n{USAGE}")),
            }
            Ok(())
        })();
        if let Err(e) = result {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    }
    let (Some(count), Some(out)) = (count, out) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    config.count = count;

    let start = Instant::now();
    let result = if dry_run {
        generate_with(&config, |_, _| Ok(()))
    } else {
        generate(&config, &out)
    };
    let manifest = match result {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: writing {}: {e}", out.display());
            return ExitCode::FAILURE;
        }
    };
    let elapsed = start.elapsed();
    println!(
        "{} {} files, {} bytes ({:.1} MB) to {} in {:.2} s",
        if dry_run {
            "rendered (not written)"
        } else {
            "wrote"
        },
        manifest.cables.len(),
        manifest.total_bytes,
        manifest.total_bytes as f64 / 1e6,
        out.display(),
        elapsed.as_secs_f64()
    );
    println!(
        "file size: median {} B, mean {:.0} B, max {} B; {:.1} % of cited cables in the corpus",
        manifest.median_bytes(),
        manifest.mean_bytes(),
        manifest.max_bytes(),
        100.0 * manifest.resolvable_fraction()
    );
    if let Some(path) = manifest_path {
        let written = std::fs::File::create(&path)
            .map_err(|e| e.to_string())
            .and_then(|f| {
                serde_json::to_writer(std::io::BufWriter::new(f), &manifest)
                    .map_err(|e| e.to_string())
            });
        if let Err(e) = written {
            eprintln!("error: writing {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("manifest: {}", path.display());
    }
    ExitCode::SUCCESS
}

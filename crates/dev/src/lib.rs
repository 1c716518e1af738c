//! `archive-dev`: tooling for the tests and benchmarks, kept out of the shipped binary.
//!
//! - [`generate`]: the one realistic corpus generator (files on disk, with a manifest of what it
//!   wrote, so tests can check the build against an independent account of the input);
//! - [`synthetic`]: large corpora built in memory for the search tests and benchmarks;
//! - [`procstat`]: this process's CPU time and resident memory, for benchmark reports.

pub mod generate;
pub mod procstat;
pub mod synthetic;

use std::path::PathBuf;

/// The repository's top folder (where `content/`, `templates/` and `tests/` are).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The text of a seed cable of `content/cables/` (`which`: 0–4, in file-name order). 1 has a
/// header table, 4 is a raw telegram.
pub fn seed_text(which: usize) -> String {
    let mut paths: Vec<_> = std::fs::read_dir(repo().join("content/cables"))
        .expect("content/cables/ holds the seed cables")
        .map(|e| e.expect("a readable folder entry").path())
        .collect();
    paths.sort();
    std::fs::read_to_string(&paths[which]).expect("a seed cable is UTF-8 text")
}

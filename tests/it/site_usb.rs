//! The site on a USB stick: FAT32 and exFAT, the usual file systems of sticks, hold at most 65,534
//! entries in one folder (FAT32, counting long names' extra entries, fewer), and are
//! case-insensitive. So no folder of a full 251,287-cable site may hold more than 65,000 entries,
//! and no two paths may differ only in case.

use archive::config::Config;
use archive_dev::generate::{generate, GenConfig};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The cablegate release's size.
const FULL: usize = 251_287;
/// The most entries one folder may hold on the sticks we aim at.
const MAX_ENTRIES: usize = 65_000;
/// The generated corpus measured here.
const MEASURED: usize = 3_000;

/// Entries (files and folders) of every folder under `root`, by path relative to it.
fn folder_sizes(root: &Path, at: &Path, sizes: &mut BTreeMap<String, usize>) {
    let mut n = 0;
    for entry in std::fs::read_dir(at).unwrap() {
        let entry = entry.unwrap();
        n += 1;
        if entry.file_type().unwrap().is_dir() {
            folder_sizes(root, &entry.path(), sizes);
        }
    }
    let relative = at
        .strip_prefix(root)
        .unwrap()
        .to_string_lossy()
        .into_owned();
    sizes.insert(
        if relative.is_empty() {
            ".".into()
        } else {
            relative
        },
        n,
    );
}

/// Every path under `root`, relative, with `/` between parts.
fn all_paths(root: &Path) -> Vec<String> {
    walkdir::WalkDir::new(root)
        .min_depth(1)
        .into_iter()
        .map(|e| {
            e.unwrap()
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

/// How many entries each folder of a 251,287-cable site holds at most, from a measured build of
/// 3,000 generated cables (the generator's proportions of years, months, stations, tags and
/// classifications, with `raw_text` on, which doubles the files of each cable folder, and the
/// default `page_size` of 500), scaled by 251,287 / 3,000 ≈ 84.
///
/// Why scaling each folder linearly is an upper bound: every layout rule adds entries per cable
/// or per group of cables, never per pair of them.
/// - `cable/YYYY/MM/`: one page (and one `.txt`) per cable of the month: linear in the cables.
///   The generator's busiest months (2007: a fifth of the cables, about 4,200 a month at full
///   size) set the maximum; the measured maximum month, scaled, over-estimates it, since the
///   largest of many noisy counts is above its expected value.
/// - `tag/`, `month/`, `origin/`, `classification/`, `year/`: one file per key (tag, month,
///   origin, level, year) and one more per further 500 rows of it. The number of distinct keys
///   grows more slowly than the cables (drawn from fixed vocabularies, new keys get rarer), and
///   the extra pages add at most rows / 500, which is linear: so the count scales at most
///   linearly.
/// - `search/` shards: doc shards hold a fixed number of cables each, term shards a share of a
///   vocabulary that grows more slowly than the text: at most linear.
/// - The top folder, `assets/`, `pages/`: a fixed number of files, whatever the size.
///
/// The build of 251,287 cables itself (`cargo run --release --example bench`, BENCHMARKS.md:
/// 269,742 files without `raw_text`) takes a minute and 3 GB of disk: too much for the suite.
#[test]
fn no_folder_of_a_full_site_holds_more_than_65000_entries_nor_two_paths_differ_in_case() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    generate(&GenConfig::new(MEASURED, 11), &content.join("cables")).unwrap();
    let out = dir.path().join("public");
    let config = Config {
        content_dir: content,
        output_dir: out.clone(),
        site_dir: dir.path().join("no-site-overrides"),
        raw_text: true,
        ..Config::default()
    };
    assert_eq!(config.page_size, 500, "the default page size is measured");
    let report = archive::site::build(
        &config,
        &archive::site::BuildOptions {
            quiet: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(report.cables, MEASURED);

    let mut sizes = BTreeMap::new();
    folder_sizes(&out, &out, &mut sizes);
    let fixed = |folder: &str| folder == "." || folder.starts_with("assets") || folder == "pages";
    let scale = FULL as f64 / MEASURED as f64;
    let mut worst: Vec<(usize, &str, usize)> = sizes
        .iter()
        .map(|(folder, &n)| {
            let at_full = if fixed(folder) {
                n
            } else {
                (n as f64 * scale).ceil() as usize
            };
            (at_full, folder.as_str(), n)
        })
        .collect();
    worst.sort_by(|a, b| b.cmp(a));
    for (at_full, folder, n) in worst.iter().take(6) {
        println!("{folder}/: {n} entries at {MEASURED} cables, at most {at_full} at {FULL}");
    }
    // The measure sees what it must: cable months, listings and search shards all exist.
    for folder in [
        "cable/2007/03",
        "tag",
        "month",
        "origin",
        "search/t",
        "search/d",
    ] {
        assert!(sizes.contains_key(folder), "{folder} in {:?}", sizes.keys());
    }
    assert!(
        sizes["cable/2007/03"] >= 2 * 30,
        "a 2007 month holds its pages and texts: {}",
        sizes["cable/2007/03"]
    );
    let over: Vec<_> = worst.iter().filter(|w| w.0 > MAX_ENTRIES).collect();
    assert!(
        over.is_empty(),
        "folders over {MAX_ENTRIES} entries at {FULL} cables: {over:?}"
    );

    // No two paths differ only in case (names are made unique case-insensitively).
    let mut seen: HashMap<String, String> = HashMap::new();
    let paths = all_paths(&out);
    assert!(paths.len() > 2 * MEASURED);
    for path in paths {
        if let Some(other) = seen.insert(path.to_lowercase(), path.clone()) {
            panic!("{path} and {other} differ only in case");
        }
    }
}

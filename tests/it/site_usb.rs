//! The site on a USB stick: FAT32, the usual file system of sticks, holds at most 65,534 directory
//! entries in one folder, and FAT32 and exFAT are case-insensitive. So no folder of a full
//! 251,287-cable site may hold more than 65,000 entries (files and folders), nor, on FAT32, need
//! more than 65,534 directory slots (a long name takes one slot more per 13 characters: a
//! 16-character name such as `07PARIS1115.html` takes 3), and no two paths may differ only in
//! case.

use archive::config::Config;
use archive_dev::generate::{generate, GenConfig};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The cablegate release's size.
const FULL: usize = 251_287;
/// The most entries one folder may hold on the sticks we aim at.
const MAX_ENTRIES: usize = 65_000;
/// The most directory slots of one FAT32 folder.
const FAT32_SLOTS: usize = 65_534;
/// The generated corpora measured here: the first `SMALL` cables of the `LARGE` ones (the
/// generator draws cable i the same whatever the count).
const SMALL: usize = 1_500;
const LARGE: usize = 3_000;
/// Rows a cable adds to the listings of one kind, at most: tags (the generator gives at most 6),
/// one month, origin, classification, signer and classifying official, and one row per
/// addressee (the generator writes at most 4 + 1 `TO` and 8 `INFO` lines; real cables to a
/// collective name it once).
const ROWS_PER_CABLE: [(&str, usize); 7] = [
    ("tag", 6),
    ("month", 1),
    ("origin", 1),
    ("classification", 1),
    ("signer", 1),
    ("classifier", 1),
    ("to", 13),
];

/// What one folder holds: entries, of which first pages of a listing key (`X.html`, not
/// `X.2.html`), and the longest name.
#[derive(Debug, Default, Clone, Copy)]
struct Folder {
    entries: usize,
    keys: usize,
    longest: usize,
}

fn folders(root: &Path, at: &Path, sizes: &mut BTreeMap<String, Folder>) {
    let mut folder = Folder::default();
    for entry in std::fs::read_dir(at).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        folder.entries += 1;
        folder.longest = folder.longest.max(name.encode_utf16().count());
        let continued = name
            .strip_suffix(".html")
            .and_then(|stem| stem.rsplit_once('.'))
            .is_some_and(|(_, n)| n.parse::<u32>().is_ok());
        if !continued {
            folder.keys += 1;
        }
        if entry.file_type().unwrap().is_dir() {
            folders(root, &entry.path(), sizes);
        }
    }
    let relative = at
        .strip_prefix(root)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/");
    sizes.insert(
        if relative.is_empty() {
            ".".into()
        } else {
            relative
        },
        folder,
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

/// Builds `count` generated cables (seed 11) with `raw_text` and `addressee_pages` on and the
/// default page size into
/// `dir/public-COUNT`.
fn build(dir: &Path, count: usize) -> PathBuf {
    let content = dir.join(format!("content-{count}"));
    generate(&GenConfig::new(count, 11), &content.join("cables")).unwrap();
    let out = dir.join(format!("public-{count}"));
    let config = Config {
        content_dir: content,
        output_dir: out.clone(),
        site_dir: dir.join("no-site-overrides"),
        raw_text: true,
        // The most folders a site can have: with the listings by addressee.
        addressee_pages: true,
        ..Config::default()
    };
    assert_eq!(config.page_size, 500, "the default page size is measured");
    let options = archive::site::BuildOptions {
        quiet: true,
        ..Default::default()
    };
    let report = archive::site::build(&config, &options).unwrap();
    assert_eq!(report.cables, count);
    out
}

/// How many entries each folder of a 251,287-cable site holds at most, from builds of 1,500 and
/// 3,000 generated cables (the generator's proportions of years, months, stations, tags and
/// classifications; `raw_text` on, which doubles the files of each cable folder; the default
/// `page_size` of 500).
///
/// Each layout rule adds entries per cable or per group of cables, never per pair of them:
/// - `cable/YYYY/MM/`: one page and one `.txt` per cable of the month: linear in the cables, so
///   the measured count × 251,287 / 3,000 (≈ 84). The busiest months (2007: a fifth of the
///   cables, about 4,200 a month at full size) set the maximum; the largest measured month,
///   scaled, over-estimates it, since the largest of many noisy counts is above its expectation.
/// - Listings (`tag/`, `month/`, `origin/`, `classification/`, `year/`): one file per key and one
///   more per further 500 rows of it. Further pages: at most rows / 500, where each cable adds at
///   most 6 tag rows and 1 row of each other kind, so at most 251,287 × rows per cable / 500.
///   Keys (tags, months, origins, levels) are drawn from fixed vocabularies: the expected number
///   of distinct keys grows ever more slowly (concave in the cables), so the keys added between
///   1,500 and 3,000 cables, plus three standard deviations, bound those added by each further
///   1,500; never more than linear scaling gives.
/// - People and addressees (`signer/`, `classifier/`, `to/`): the same, per shard folder of
///   their first character (`to/s/`); each shard is bounded as if it held the whole kind's
///   further pages.
/// - `search/` shards: doc shards hold a fixed number of cables each, term shards a share of a
///   vocabulary that grows more slowly than the text: linear scaling bounds them.
/// - The top folder, `assets/`, `pages/`: a fixed number of files, whatever the size.
///
/// FAT32 slots: each entry counted as a long name of the folder's longest name plus 4 characters
/// (page numbers grow), one slot per 13 characters and one for the short name.
///
/// The build of 251,287 cables itself (`cargo run --release --example bench`, BENCHMARKS.md:
/// 269,742 files without `raw_text`) takes a minute and 3 GB of disk: too much for the suite.
#[test]
fn no_folder_of_a_full_site_overfills_a_fat32_folder_nor_two_paths_differ_in_case() {
    let dir = tempfile::tempdir().unwrap();
    let (small, large) = (build(dir.path(), SMALL), build(dir.path(), LARGE));
    let (mut at_small, mut at_large) = (BTreeMap::new(), BTreeMap::new());
    folders(&small, &small, &mut at_small);
    folders(&large, &large, &mut at_large);

    let linear = |n: usize| (n as f64 * FULL as f64 / LARGE as f64).ceil() as usize;
    let mut worst: Vec<(usize, usize, String, usize)> = Vec::new();
    for (name, folder) in &at_large {
        let fixed = name == "." || name.starts_with("assets") || name == "pages";
        // People and addressees are sharded by first character (`to/s/`): each shard is a
        // listing folder of its kind, its keys drawn from the same vocabularies.
        let kind = match name.split_once('/') {
            Some((top, _)) if ["signer", "classifier", "to"].contains(&top) => top,
            _ => name.as_str(),
        };
        let rows = ROWS_PER_CABLE.iter().find(|(k, _)| *k == kind);
        let at_full = if fixed {
            folder.entries
        } else if let Some((_, per_cable)) =
            rows.copied().or((name == "year").then_some(("year", 0)))
        {
            let before = at_small.get(name).map_or(0, |f: &Folder| f.keys);
            let added = folder.keys.saturating_sub(before) as f64;
            let steps = (FULL - LARGE) as f64 / (LARGE - SMALL) as f64;
            let keys = (folder.keys as f64 + (added + 3.0 * added.sqrt()) * steps).ceil() as usize;
            keys.min(linear(folder.keys)) + FULL * per_cable / 500
        } else {
            linear(folder.entries)
        };
        let slots = at_full * (1 + (folder.longest + 4).div_ceil(13));
        worst.push((at_full, slots, name.clone(), folder.entries));
    }
    worst.sort_by(|a, b| b.cmp(a));
    let listings = [
        "tag",
        "month",
        "origin",
        "classification",
        "year",
        "signer",
        "classifier",
        "to",
    ];
    let shown = worst
        .iter()
        .take(5)
        .chain(worst.iter().filter(|w| listings.contains(&w.2.as_str())));
    for (at_full, slots, name, n) in shown {
        println!("{name}/: {n} entries at {LARGE} cables; at most {at_full} entries, {slots} FAT32 slots at {FULL}");
    }
    // The measure sees what it must: cable months, listings and search shards all exist.
    for name in [
        "cable/2007/03",
        "tag",
        "month",
        "origin",
        "classification",
        "year",
        "signer",
        "classifier",
        "to",
        "search/t",
        "search/d",
    ] {
        assert!(
            at_large.contains_key(name),
            "{name} in {:?}",
            at_large.keys()
        );
    }
    assert!(
        at_large["cable/2007/03"].entries >= 2 * 30,
        "a 2007 month holds its pages and texts: {:?}",
        at_large["cable/2007/03"]
    );
    let over: Vec<_> = worst
        .iter()
        .filter(|w| w.0 > MAX_ENTRIES || w.1 > FAT32_SLOTS)
        .collect();
    assert!(
        over.is_empty(),
        "folders over {MAX_ENTRIES} entries or {FAT32_SLOTS} FAT32 slots at {FULL} cables: {over:?}"
    );

    // No two paths differ only in case (names are made unique case-insensitively).
    let mut seen: HashMap<String, String> = HashMap::new();
    let paths = all_paths(&large);
    assert!(paths.len() > 2 * LARGE);
    for path in paths {
        if let Some(other) = seen.insert(path.to_lowercase(), path.clone()) {
            panic!("{path} and {other} differ only in case");
        }
    }
}

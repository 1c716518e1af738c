//! The search index on a stand-in corpus: it builds, is deterministic, decodes back to what
//! was indexed, and keeps to its size budgets.

use archive_dev::synthetic;

use archive::config::SearchConfig;
use archive::search::{self, encode, tokenize::Analyzer};
use std::collections::BTreeMap;
use std::path::Path;

/// Every file under `dir`, path → bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Parses a `t/N.js` file's entries (a JSON array of strings).
fn entries(text: &str) -> Vec<String> {
    let start = text.find('[').unwrap();
    let end = text.rfind(']').unwrap();
    serde_json::from_str(&text[start..=end]).unwrap()
}

/// Finds a term's postings in the written index: documents and their weights, in order.
fn lookup(dir: &Path, term: &str) -> Option<(Vec<u32>, Vec<u32>)> {
    let meta = std::fs::read_to_string(dir.join("meta.js")).unwrap();
    let meta: serde_json::Value =
        serde_json::from_str(&meta["ArchiveSearch.meta(".len()..meta.len() - 3]).unwrap();
    let bounds: Vec<&str> = meta["bounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap())
        .collect();
    let shard = bounds.partition_point(|b| *b <= term).checked_sub(1)?;
    let text = std::fs::read_to_string(dir.join(format!("t/{shard}.js"))).unwrap();
    let entry = entries(&text)
        .into_iter()
        .find(|e| e.split(' ').next() == Some(term))?;
    let mut fields: Vec<String> = entry.split(' ').skip(1).map(str::to_string).collect();
    if let Some(n) = fields[0].strip_prefix('@') {
        let p = std::fs::read_to_string(dir.join(format!("p/{n}.js"))).unwrap();
        assert_eq!(p.len().to_string(), fields[1]);
        fields = p
            .split('"')
            .nth(1)
            .unwrap()
            .split(' ')
            .map(str::to_string)
            .collect();
    }
    let (mut docs, weights) =
        encode::decode_weighted_list(&encode::decode_base64(&fields[0]).unwrap()).unwrap();
    let mut weights: Vec<u32> = weights.into_iter().map(u32::from).collect();
    if let Some(tail) = fields.get(1) {
        let bytes = encode::decode_base64(&tail[1..]).unwrap();
        let t = if tail.starts_with('b') {
            encode::decode_bitset(&bytes).unwrap()
        } else {
            encode::decode_varint_list(&bytes, false).unwrap().0
        };
        let w: u32 = fields[2].parse().unwrap();
        weights.extend(t.iter().map(|_| w));
        docs.extend(t);
    }
    let mut pairs: Vec<(u32, u32)> = docs.into_iter().zip(weights).collect();
    pairs.sort();
    Some(pairs.into_iter().unzip())
}

#[test]
fn index_round_trips_and_is_deterministic() {
    let corpus = synthetic::corpus(1500);
    let config = SearchConfig::default();
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let stats = search::build(&corpus, &config, a.path()).unwrap();
    search::build(&corpus, &config, b.path()).unwrap();
    let (sa, sb) = (snapshot(a.path()), snapshot(b.path()));
    assert_eq!(sa.len(), stats.files);
    assert_eq!(
        sa.values().map(|v| v.len() as u64).sum::<u64>(),
        stats.bytes
    );
    assert!(sa == sb, "two builds differ");

    // Every term of some documents, recomputed here, is found with those documents.
    let dir = a.path().join("search");
    let mut analyzer = Analyzer::new();
    let mut expected: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (d, linked) in corpus.cables.iter().enumerate() {
        let c = &linked.cable;
        let mut terms = analyzer.terms(&c.subject);
        terms.extend(analyzer.terms(c.id.as_str()));
        for block in &c.body {
            terms.extend(analyzer.terms(&block.text));
        }
        terms.sort();
        terms.dedup();
        for t in terms {
            expected.entry(t).or_default().push(d as u32);
        }
    }
    let mut checked = 0;
    for (term, docs) in expected.iter().step_by(97) {
        let (found, weights) = lookup(&dir, term).unwrap_or_else(|| panic!("{term} missing"));
        for d in docs {
            assert!(found.contains(d), "{term}: doc {d} missing");
        }
        assert!(term.starts_with('-') || weights.iter().all(|&w| (1..=15).contains(&w)));
        checked += 1;
    }
    assert!(checked > 100);
    // Seed 000 mentions Obering; filters are keys too.
    let obering = corpus
        .cables
        .iter()
        .position(|c| c.cable.id.as_str() == "07PARIS1115")
        .unwrap() as u32;
    assert!(lookup(&dir, "ober").unwrap().0.contains(&obering));
    assert!(lookup(&dir, "07paris1115").unwrap().0 == vec![obering]);
    let secret = lookup(&dir, "-class:secret").unwrap().0;
    let count = corpus
        .cables
        .iter()
        .filter(|c| c.cable.classification.slug() == "secret")
        .count();
    assert_eq!(secret.len(), count);
    // Month and day keys hold exactly the cables dated to that month or day (none known only
    // to its year).
    use archive_cable::model::{Cable, Precision};
    let month = |c: &Cable| format!("-month:{:04}-{:02}", c.created.year, c.created.month);
    let day = |c: &Cable| format!("{}-{:02}", month(c).replace("month", "day"), c.created.day);
    let seed = &corpus.cables[obering as usize].cable;
    for key_of in [&month as &dyn Fn(&Cable) -> String, &day] {
        let key = key_of(seed);
        let want: Vec<u32> = (0..corpus.cables.len() as u32)
            .filter(|&i| {
                let c = &corpus.cables[i as usize].cable;
                c.precision != Precision::Year && key_of(c) == key
            })
            .collect();
        assert_eq!(lookup(&dir, &key).unwrap().0, want, "{key}");
    }
}

/// A word term's positions in the written index (`q/N.js`, or its `r/P.js`), one list per
/// document of its postings.
fn positions(dir: &Path, term: &str, docs: usize) -> Vec<Vec<u32>> {
    let meta = std::fs::read_to_string(dir.join("meta.js")).unwrap();
    let meta: serde_json::Value =
        serde_json::from_str(&meta["ArchiveSearch.meta(".len()..meta.len() - 3]).unwrap();
    let bounds: Vec<&str> = meta["bounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap())
        .collect();
    let shard = bounds.partition_point(|b| *b <= term) - 1;
    let text = std::fs::read_to_string(dir.join(format!("t/{shard}.js"))).unwrap();
    let i = entries(&text)
        .iter()
        .position(|e| e.split(' ').next() == Some(term))
        .unwrap();
    let q = std::fs::read_to_string(dir.join(format!("q/{shard}.js"))).unwrap();
    let mut entry = entries(&q)[i].clone();
    if let Some(n) = entry.strip_prefix('@') {
        let r = std::fs::read_to_string(dir.join(format!("r/{n}.js"))).unwrap();
        entry = r.split('"').nth(1).unwrap().to_string();
    }
    encode::decode_positions_stream(&encode::decode_base64(&entry).unwrap(), docs).unwrap()
}

/// Word positions, read back from the files, are where the words stand in each field (the
/// field offsets and gaps of `search::analyze`), recounted here word by word.
#[test]
fn positions_round_trip() {
    use archive::search::analyze::{POS_BODY, POS_ID, POS_MAX, POS_ORIGIN, POS_SUBJECT, POS_TAGS};
    let mut corpus = synthetic::corpus(600);
    // Every third cable gets fields that run past their end (a subject of 120 words, a tag of
    // 40), in words its body has too: the words past a field's end stand at POS_MAX, after
    // and among the body's, which is the indexer's one out-of-order case.
    for linked in corpus.cables.iter_mut().step_by(3) {
        let c = &mut linked.cable;
        let words: Vec<String> = c
            .body
            .iter()
            .flat_map(|b| {
                b.text
                    .split_whitespace()
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .take(40)
            .collect();
        if words.is_empty() {
            continue;
        }
        c.subject = words
            .iter()
            .cycle()
            .take(120)
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        c.tags.push(words.join(" "));
    }
    let out = tempfile::tempdir().unwrap();
    search::build(&corpus, &SearchConfig::default(), out.path()).unwrap();
    let dir = out.path().join("search");
    let mut analyzer = Analyzer::new();
    // term → document → positions, recounted: each field from its offset, a word past its
    // field's end at POS_MAX, one empty position between tags and between paragraphs.
    let mut expected: BTreeMap<String, BTreeMap<u32, Vec<u32>>> = BTreeMap::new();
    for (d, linked) in corpus.cables.iter().enumerate() {
        let c = &linked.cable;
        let mut fields: Vec<(String, u32, u32)> = vec![
            (c.id.as_str().to_string(), POS_ID, POS_SUBJECT),
            (c.subject.clone(), POS_SUBJECT, POS_TAGS),
        ];
        let mut at = POS_TAGS;
        for tag in &c.tags {
            fields.push((tag.clone(), at, POS_ORIGIN));
            at += tag
                .split(|ch: char| ch.is_whitespace() || ch == '-')
                .filter(|w| !w.is_empty())
                .count() as u32
                + 1;
        }
        fields.push((c.origin.clone(), POS_ORIGIN, POS_BODY));
        let mut at = POS_BODY;
        for block in &c.body {
            fields.push((block.text.to_string(), at, POS_MAX));
            at += block
                .text
                .split(|ch: char| ch.is_whitespace() || ch == '-')
                .filter(|w| !w.is_empty())
                .count() as u32
                + 1;
        }
        for (text, start, end) in fields {
            let mut found = Vec::new();
            analyzer.for_each_id_at(&text, |id, n| found.push((id, n)));
            for (id, n) in found {
                let p = if start + n < end { start + n } else { POS_MAX };
                let list = expected
                    .entry(analyzer.term(id).to_string())
                    .or_default()
                    .entry(d as u32)
                    .or_default();
                list.push(p);
            }
        }
    }
    let mut checked = 0;
    for (term, by_doc) in expected.iter().step_by(7) {
        let (docs, _) = lookup(&dir, term).unwrap();
        let got = positions(&dir, term, docs.len());
        let want: Vec<Vec<u32>> = by_doc
            .values()
            .map(|l| {
                let mut l = l.clone();
                l.sort_unstable();
                l
            })
            .collect();
        assert_eq!(
            docs,
            by_doc.keys().copied().collect::<Vec<_>>(),
            "{term}: documents"
        );
        assert_eq!(got, want, "{term}: positions");
        checked += 1;
    }
    assert!(checked > 100, "{checked} terms checked");
}

#[test]
fn disabled_writes_nothing() {
    let corpus = synthetic::corpus(10);
    let dir = tempfile::tempdir().unwrap();
    let config = SearchConfig {
        enabled: false,
        ..SearchConfig::default()
    };
    let stats = search::build(&corpus, &config, dir.path()).unwrap();
    assert_eq!(stats.files, 0);
    assert!(!dir.path().join("search").exists());
}

/// Builds the index of `corpus` through an indexer that holds at most `budget` bytes of chunk
/// indexes in memory, adding the chunks in `order`; returns the files under `search/`, the
/// stats, and the sizes of the run files written.
fn build_with_budget(
    corpus: &archive::corpus::Corpus,
    budget: usize,
    order: &[usize],
) -> (BTreeMap<String, Vec<u8>>, search::SearchStats, Vec<u64>) {
    let config = SearchConfig::default();
    let out = tempfile::tempdir().unwrap();
    let n = corpus.cables.len();
    let indexer = search::Indexer::with_budget(&config, out.path(), n, budget).unwrap();
    for &number in order {
        let start = number * search::analyze::CHUNK_DOCS;
        let end = (start + search::analyze::CHUNK_DOCS).min(n);
        let full: Vec<_> = (start..end).map(|k| corpus.full(k).unwrap()).collect();
        let cables: Vec<&archive::cable::Cable> = full.iter().map(|c| &**c).collect();
        indexer.add_chunk(number, &cables).unwrap();
    }
    let spilled = std::fs::read_dir(out.path().join("search/.spill"))
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .collect();
    let docs: Vec<_> = corpus.cables.iter().collect();
    let stats = indexer.finish(&docs).unwrap();
    let files = snapshot(&out.path().join("search"));
    (files, stats, spilled)
}

#[test]
fn spilled_index_equals_the_one_built_in_memory() {
    // 2,100 generated cables: three chunks, the last one short (52 cables).
    let corpus = synthetic::corpus(2100);
    let chunks = corpus.cables.len().div_ceil(search::analyze::CHUNK_DOCS);
    assert_eq!(chunks, 3);
    let forward: Vec<usize> = (0..chunks).collect();
    let backward: Vec<usize> = (0..chunks).rev().collect();
    let (memory, stats, none) = build_with_budget(&corpus, usize::MAX, &forward);
    assert!(none.is_empty());
    assert!(stats.terms > 2 * 4096, "several blocks of the vocabulary");
    assert_eq!(memory.len(), stats.files);
    assert!(!memory.keys().any(|k| k.starts_with(".spill")));
    // Every chunk through its run file.
    let (all, all_stats, runs) = build_with_budget(&corpus, 0, &forward);
    assert_eq!(runs.len(), 3);
    // Arriving last to first, the short chunk held (the budget a little over its size) while
    // the full ones are spilled.
    let short = *runs.iter().min().unwrap();
    let (mixed, mixed_stats, mixed_runs) =
        build_with_budget(&corpus, short as usize + (64 << 10), &backward);
    assert_eq!(mixed_runs.len(), 2, "{runs:?} → {mixed_runs:?}");
    for (spilled, spilled_stats, budget) in [(all, all_stats, "0"), (mixed, mixed_stats, "one")] {
        assert_eq!(spilled_stats, stats, "budget {budget}");
        assert_eq!(
            spilled.keys().collect::<Vec<_>>(),
            memory.keys().collect::<Vec<_>>(),
            "budget {budget}: the spill folder is removed, the files are the same"
        );
        for (path, bytes) in &memory {
            assert!(&spilled[path] == bytes, "budget {budget}: {path} differs");
        }
    }
    // The default path (search::build) gives the same index.
    let out = tempfile::tempdir().unwrap();
    search::build(&corpus, &SearchConfig::default(), out.path()).unwrap();
    assert!(snapshot(&out.path().join("search")) == memory);
}

#[test]
fn an_unfinished_index_leaves_no_run_file() {
    let corpus = synthetic::corpus(1100);
    let out = tempfile::tempdir().unwrap();
    let indexer =
        search::Indexer::with_budget(&SearchConfig::default(), out.path(), 1100, 0).unwrap();
    let full: Vec<_> = (0..1024).map(|k| corpus.full(k).unwrap()).collect();
    let cables: Vec<&archive::cable::Cable> = full.iter().map(|c| &**c).collect();
    indexer.add_chunk(0, &cables).unwrap();
    let spill = out.path().join("search/.spill");
    assert!(
        spill.join("0.run").is_file(),
        "the chunk went to its run file"
    );
    // The build fails elsewhere and the indexer is dropped unfinished.
    drop(indexer);
    assert!(!spill.exists(), "the spill folder is removed");
}

/// The key of chunk `number` in the run-cache tests: any number that differs between chunks
/// will do here (the site's key covers the chunk's cables; these tests keep the cables).
fn test_key(number: usize) -> u128 {
    0x5eed_0000_0000_0000_0000_0000_0000_0000 | number as u128
}

/// Builds the index of `corpus` through an indexer with the run `cache`: each chunk is first
/// offered to `reuse_chunk`, and analysed with `add_keyed_chunk` when refused. Returns the
/// files under `search/` and, per chunk, whether it was reused.
fn build_with_cache(
    corpus: &archive::corpus::Corpus,
    cache: Option<search::RunCache>,
) -> (BTreeMap<String, Vec<u8>>, Vec<bool>) {
    let config = SearchConfig::default();
    let out = tempfile::tempdir().unwrap();
    let docs: Vec<_> = corpus.cables.iter().collect();
    let plan = search::chunk_plan(&docs);
    let indexer = search::Indexer::with_options(&config, out.path(), plan, cache).unwrap();
    let mut reused = Vec::new();
    for (number, range) in indexer.plan().to_vec().into_iter().enumerate() {
        let key = test_key(number);
        if indexer.reuse_chunk(number, key).unwrap() {
            reused.push(true);
            continue;
        }
        reused.push(false);
        let full: Vec<_> = range.map(|k| corpus.full(k).unwrap()).collect();
        let cables: Vec<&archive::cable::Cable> = full.iter().map(|c| &**c).collect();
        indexer.add_keyed_chunk(number, &cables, key, &[]).unwrap();
    }
    indexer.finish(&docs).unwrap();
    let files = snapshot(&out.path().join("search"));
    (files, reused)
}

/// A test's key of a cable: everything the analysis reads of it is in its `Debug` text.
fn doc_key(cable: &archive::cable::Cable) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    format!("{cable:?}").hash(&mut h);
    h.finish() | 1
}

/// What [`build_composing`] did: chunks reused whole, chunks put together from previous runs,
/// and the cables it analysed.
#[derive(Debug, Default)]
struct Composing {
    reused: usize,
    composed: usize,
    analysed: usize,
}

/// Builds the index of `corpus` as a cached rebuild does, with keys from the cables (a chunk's
/// key from its cables' keys): each chunk reused when its run is in the cache, else put
/// together from the previous runs' documents and the cables they lack, else analysed whole.
fn build_composing(
    corpus: &archive::corpus::Corpus,
    cache: search::RunCache,
) -> (BTreeMap<String, Vec<u8>>, Composing) {
    use std::hash::{Hash, Hasher};
    let config = SearchConfig::default();
    let out = tempfile::tempdir().unwrap();
    let docs: Vec<_> = corpus.cables.iter().collect();
    let plan = search::chunk_plan(&docs);
    let indexer = search::Indexer::with_options(&config, out.path(), plan, Some(cache)).unwrap();
    let mut did = Composing::default();
    for (number, range) in indexer.plan().to_vec().into_iter().enumerate() {
        let full: Vec<_> = range.map(|k| corpus.full(k).unwrap()).collect();
        let keys: Vec<u64> = full.iter().map(|c| doc_key(c)).collect();
        let key = {
            let mut a = std::collections::hash_map::DefaultHasher::new();
            (1u8, &keys).hash(&mut a);
            let mut b = std::collections::hash_map::DefaultHasher::new();
            (2u8, &keys).hash(&mut b);
            (u128::from(a.finish()) << 64) | u128::from(b.finish())
        };
        if indexer.reuse_chunk(number, key).unwrap() {
            did.reused += 1;
            continue;
        }
        if let Some(pieces) = indexer.pieces(&keys).unwrap() {
            let fresh: Vec<&archive::cable::Cable> = full
                .iter()
                .enumerate()
                .filter(|&(i, _)| !pieces.has(i))
                .map(|(_, c)| &**c)
                .collect();
            if indexer
                .add_composed_chunk(number, key, &keys, &pieces, &fresh)
                .unwrap()
            {
                did.composed += 1;
                did.analysed += fresh.len();
                continue;
            }
        }
        let cables: Vec<&archive::cable::Cable> = full.iter().map(|c| &**c).collect();
        indexer
            .add_keyed_chunk(number, &cables, key, &keys)
            .unwrap();
        did.analysed += cables.len();
    }
    indexer.finish(&docs).unwrap();
    (snapshot(&out.path().join("search")), did)
}

/// A corpus of these cables, linked.
fn linked(cables: Vec<archive::cable::Cable>) -> archive::corpus::Corpus {
    archive::corpus::link(archive::corpus::Loaded {
        files_read: cables.len(),
        cables,
        ..archive::corpus::Loaded::default()
    })
}

#[test]
fn chunks_put_together_from_previous_runs_are_the_runs_of_a_whole_analysis() {
    // 6,000 cables, then every 50th removed, four edited and 40 added: the changes reach
    // most chunks of the plan.
    let before: Vec<archive::cable::Cable> = synthetic::synthetic(6000, 7);
    let mut after: Vec<archive::cable::Cable> = before
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 50 != 7)
        .map(|(_, c)| c.clone())
        .collect();
    for c in after.iter_mut().step_by(1500) {
        c.subject.push_str(" EDITED");
    }
    for (i, mut c) in synthetic::synthetic(40, 8).into_iter().enumerate() {
        c.id = archive::cable::CableId(format!("{}A", c.id.0));
        c.source = std::path::PathBuf::from(format!("added/{i}.txt"));
        after.push(c);
    }
    let (before, after) = (linked(before), linked(after));
    let caches = tempfile::tempdir().unwrap();
    let (first, second, cold) = (
        caches.path().join("first"),
        caches.path().join("second"),
        caches.path().join("cold"),
    );
    let (_, did) = build_composing(
        &before,
        search::RunCache {
            from: None,
            to: first.clone(),
        },
    );
    assert_eq!((did.reused, did.composed), (0, 0), "a cold build: {did:?}");
    // A copy of the first build's runs with one damaged in its middle (only its checksum
    // can tell): its cables are analysed again, nothing of it is used.
    let damaged = caches.path().join("damaged");
    std::fs::create_dir(&damaged).unwrap();
    for name in runs_in(&first) {
        std::fs::copy(first.join(&name), damaged.join(&name)).unwrap();
    }
    let victim = damaged.join(&runs_in(&first)[1]);
    let mut bytes = std::fs::read(&victim).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x10;
    std::fs::write(&victim, &bytes).unwrap();
    let (composed, did) = build_composing(
        &after,
        search::RunCache {
            from: Some(first),
            to: second.clone(),
        },
    );
    // The index is the one a build without any cache gives, byte for byte.
    let out = tempfile::tempdir().unwrap();
    search::build(&after, &SearchConfig::default(), out.path()).unwrap();
    let plain = snapshot(&out.path().join("search"));
    assert_same(&plain, &composed, "composed");
    let (repaired, with_damage) = build_composing(
        &after,
        search::RunCache {
            from: Some(damaged),
            to: caches.path().join("repaired"),
        },
    );
    assert_same(&plain, &repaired, "composed from a damaged cache");
    assert!(
        with_damage.analysed > did.analysed,
        "{with_damage:?} {did:?}"
    );
    // Only the cables the first build did not have were analysed: counted independently,
    // by their keys.
    let known: std::collections::HashSet<u64> = (0..before.cables.len())
        .map(|k| doc_key(&before.full(k).unwrap()))
        .collect();
    let new = (0..after.cables.len())
        .filter(|&k| !known.contains(&doc_key(&after.full(k).unwrap())))
        .count();
    assert_eq!(new, 44, "40 added and 4 edited");
    assert!(did.composed >= 3, "{did:?}");
    assert_eq!(did.analysed, new, "{did:?}");
    // And each run is the one a cold build of the same cables writes, byte for byte.
    let (_, did) = build_composing(
        &after,
        search::RunCache {
            from: None,
            to: cold.clone(),
        },
    );
    assert_eq!(did.analysed, after.cables.len());
    assert_eq!(runs_in(&second), runs_in(&cold));
    for name in runs_in(&cold) {
        assert!(
            std::fs::read(second.join(&name)).unwrap() == std::fs::read(cold.join(&name)).unwrap(),
            "run {name} differs"
        );
    }
}

/// The run files of a cache folder, by name.
fn runs_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

fn assert_same(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: the same files"
    );
    for (path, bytes) in a {
        assert!(&b[path] == bytes, "{what}: {path} differs");
    }
}

#[test]
fn cached_runs_give_the_same_index_cold_warm_and_damaged() {
    // 8,000 generated cables: at least five chunks, cut by content (not at display shards).
    let corpus = synthetic::corpus(8000);
    let docs: Vec<_> = corpus.cables.iter().collect();
    let chunks = search::chunk_plan(&docs).len();
    assert!(chunks >= 5, "{chunks} chunks");
    assert!(
        search::chunk_plan(&docs)
            .iter()
            .any(|r| r.start % search::shards::DOC_SHARD != 0),
        "a display shard lies across chunks"
    );

    // (a) The plain indexer (through search::build).
    let out = tempfile::tempdir().unwrap();
    search::build(&corpus, &SearchConfig::default(), out.path()).unwrap();
    let plain = snapshot(&out.path().join("search"));
    assert!(!plain.is_empty());

    // (b) Cold: nothing to reuse, every run written to `to` and kept.
    let caches = tempfile::tempdir().unwrap();
    let cold_dir = caches.path().join("cold");
    let (cold, reused) = build_with_cache(
        &corpus,
        Some(search::RunCache {
            from: None,
            to: cold_dir.clone(),
        }),
    );
    assert_eq!(reused, vec![false; chunks]);
    assert_same(&plain, &cold, "cold cache");
    let names: Vec<String> = (0..chunks)
        .map(|c| format!("{:032x}.run", test_key(c)))
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(
        runs_in(&cold_dir),
        sorted,
        "one run per chunk, no temporary file"
    );

    // (c) Warm: every chunk reused from the cold build's runs, into a new folder.
    let warm_dir = caches.path().join("warm");
    let (warm, reused) = build_with_cache(
        &corpus,
        Some(search::RunCache {
            from: Some(cold_dir.clone()),
            to: warm_dir.clone(),
        }),
    );
    assert_eq!(reused, vec![true; chunks]);
    assert_same(&plain, &warm, "warm cache");
    assert_eq!(runs_in(&warm_dir), sorted);
    for name in &names {
        assert_eq!(
            std::fs::read(cold_dir.join(name)).unwrap(),
            std::fs::read(warm_dir.join(name)).unwrap()
        );
    }
    // Warm again in place (`from` = `to`): the runs are already there.
    let (again, reused) = build_with_cache(
        &corpus,
        Some(search::RunCache {
            from: Some(warm_dir.clone()),
            to: warm_dir.clone(),
        }),
    );
    assert_eq!(reused, vec![true; chunks]);
    assert_same(&plain, &again, "warm in place");

    // (d) Damaged: chunk 0's run deleted, 1's truncated, 2's version byte flipped, 3's body
    // byte flipped (only the checksum can tell); the others intact.
    let damaged_dir = caches.path().join("damaged");
    std::fs::create_dir(&damaged_dir).unwrap();
    for name in &names {
        std::fs::copy(cold_dir.join(name), damaged_dir.join(name)).unwrap();
    }
    std::fs::remove_file(damaged_dir.join(&names[0])).unwrap();
    let bytes = std::fs::read(damaged_dir.join(&names[1])).unwrap();
    std::fs::write(damaged_dir.join(&names[1]), &bytes[..bytes.len() / 2]).unwrap();
    let mut bytes = std::fs::read(damaged_dir.join(&names[2])).unwrap();
    bytes[8] ^= 1;
    std::fs::write(damaged_dir.join(&names[2]), &bytes).unwrap();
    let mut bytes = std::fs::read(damaged_dir.join(&names[3])).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x40;
    std::fs::write(damaged_dir.join(&names[3]), &bytes).unwrap();
    let repaired_dir = caches.path().join("repaired");
    let (repaired, reused) = build_with_cache(
        &corpus,
        Some(search::RunCache {
            from: Some(damaged_dir.clone()),
            to: repaired_dir.clone(),
        }),
    );
    let mut expected = vec![true; chunks];
    expected[..4].fill(false);
    assert_eq!(reused, expected);
    assert_same(&plain, &repaired, "damaged cache");
    // The re-analysed runs are whole again.
    for name in &names {
        assert_eq!(
            std::fs::read(cold_dir.join(name)).unwrap(),
            std::fs::read(repaired_dir.join(name)).unwrap(),
            "{name}"
        );
    }

    // Damage in `to` itself, with a good run in `from`: the good one replaces it.
    let mut bytes = std::fs::read(repaired_dir.join(&names[chunks - 1])).unwrap();
    bytes.truncate(10);
    std::fs::write(repaired_dir.join(&names[chunks - 1]), &bytes).unwrap();
    let (mended, reused) = build_with_cache(
        &corpus,
        Some(search::RunCache {
            from: Some(cold_dir.clone()),
            to: repaired_dir.clone(),
        }),
    );
    assert_eq!(reused, vec![true; chunks]);
    assert_same(&plain, &mended, "mended from `from`");
}

#[test]
fn without_a_cache_nothing_is_reused_or_kept() {
    let corpus = synthetic::corpus(1100);
    let (files, reused) = build_with_cache(&corpus, None);
    assert!(reused.iter().all(|r| !r));
    let out = tempfile::tempdir().unwrap();
    search::build(&corpus, &SearchConfig::default(), out.path()).unwrap();
    assert_same(&snapshot(&out.path().join("search")), &files, "no cache");
}

/// The filters of `meta.js` (`[slug, name, count]` per origin and listed tag) are counted over
/// every document, and each is named by the spelling of the first document, in corpus order
/// and tag order, whose origin or tag has that slug: checked against a plain recount on the
/// real cables of `tests/real` as they are, and on generated ones with spellings made to share
/// slugs (case, spaces, punctuation) across and within cables.
#[test]
fn filter_counts_and_names_are_those_of_a_plain_recount() {
    let real = archive::corpus::read(&crate::site_util::repo().join("tests/real"));
    assert!(real.cables.len() > 100, "{} real cables", real.cables.len());
    let (origins, tags) = assert_filters_recount(&real);
    assert!(origins > 10 && tags > 30, "{origins} origins, {tags} tags");

    let mut corpus = synthetic::corpus(2500);
    let n = corpus.cables.len();
    for (i, linked) in corpus.cables.iter_mut().enumerate() {
        let c = &mut linked.cable;
        match i % 5 {
            1 => c.origin = c.origin.to_uppercase(),
            2 => c.origin = c.origin.replace(' ', "  "),
            3 => c.tags.push("K DEM".into()),
            4 => c.tags.extend(["K-DEM".to_string(), "KDEM".to_string()]),
            _ => {}
        }
        if i == n / 2 {
            c.tags.insert(0, "k.dem".into());
        }
    }
    assert_filters_recount(&corpus);
    let (_, listed_tags) = listed_filters(&corpus);
    let kdem = &listed_tags["k-dem"];
    let expected = (0..n).filter(|i| i % 5 == 3 || i % 5 == 4).count() + 1;
    assert_eq!(kdem.1 as usize, expected, "{kdem:?}");
    assert_eq!(kdem.0, "K DEM", "the first cable's spelling");
}

/// Slug → (name, count).
type Listed = BTreeMap<String, (String, u64)>;

/// The origin and tag filters of `meta.js` in the index of `corpus`.
fn listed_filters(corpus: &archive::corpus::Corpus) -> (Listed, Listed) {
    let dir = tempfile::tempdir().unwrap();
    search::build(corpus, &SearchConfig::default(), dir.path()).unwrap();
    let meta = std::fs::read_to_string(dir.path().join("search").join("meta.js")).unwrap();
    let json = &meta[meta.find('(').unwrap() + 1..meta.rfind(')').unwrap()];
    let meta: serde_json::Value = serde_json::from_str(json).unwrap();
    let listed = |kind: &str| -> Listed {
        meta["filters"][kind]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let e = e.as_array().unwrap();
                (
                    e[0].as_str().unwrap().to_string(),
                    (e[1].as_str().unwrap().to_string(), e[2].as_u64().unwrap()),
                )
            })
            .collect()
    };
    (listed("origin"), listed("tag"))
}

/// Asserts that `corpus`'s filters are a plain recount's (every origin; the listed tags, the
/// 400 commonest); gives the numbers of origins and of listed tags.
fn assert_filters_recount(corpus: &archive::corpus::Corpus) -> (usize, usize) {
    let (listed_origins, listed_tags) = listed_filters(corpus);
    // The recount: one pass in corpus order, the first spelling of a slug kept.
    let mut origins = Listed::new();
    let mut tags = Listed::new();
    for linked in &corpus.cables {
        let c = &linked.cable;
        let s = search::analyze::slug(&c.origin);
        if !s.is_empty() {
            origins.entry(s).or_insert_with(|| (c.origin.clone(), 0)).1 += 1;
        }
        for t in &c.tags {
            let s = search::analyze::slug(t);
            if !s.is_empty() {
                tags.entry(s).or_insert_with(|| (t.clone(), 0)).1 += 1;
            }
        }
    }
    assert_eq!(listed_origins, origins);
    for (slug, entry) in &listed_tags {
        assert_eq!(tags.get(slug), Some(entry), "{slug}");
    }
    assert_eq!(
        listed_tags.len(),
        tags.len().min(400),
        "the commonest tags are listed"
    );
    (origins.len(), listed_tags.len())
}

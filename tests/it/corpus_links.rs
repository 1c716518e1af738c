//! Linking on a generated corpus whose cables cite each other, checked against the generator's
//! own record of what each cable cites (the ground truth), not against the linker's output.

use archive_dev::generate::{generate, GenConfig};
use std::collections::{BTreeSet, HashMap, HashSet};

#[test]
fn references_resolve_exactly_and_referenced_by_is_their_inverse() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = generate(&GenConfig::new(3000, 11), dir.path()).unwrap();
    let corpus = archive::corpus::read(dir.path());
    assert_eq!(corpus.cables.len(), 3000, "{:?}", corpus.problems.first());

    let generated: HashSet<&str> = manifest.cables.iter().map(|c| c.id.as_str()).collect();
    let mut resolvable = 0;
    let mut missing = 0;
    for expected in &manifest.cables {
        let linked = corpus
            .get(&archive::cable::CableId(expected.id.clone()))
            .unwrap_or_else(|| panic!("{} is in the corpus", expected.id));
        // Every cable the generator cited is found, in order, and resolved exactly when the
        // cited cable was generated.
        let cited: Vec<&str> = linked
            .cable
            .references
            .iter()
            .filter_map(|r| r.id.as_ref().map(|id| id.as_str()))
            .collect();
        assert_eq!(cited, expected.references, "{}", expected.id);
        for (reference, target) in linked.cable.references.iter().zip(&linked.resolved) {
            let Some(id) = &reference.id else {
                assert!(target.is_none());
                continue;
            };
            if generated.contains(id.as_str()) {
                resolvable += 1;
                let target = target.unwrap_or_else(|| panic!("{} → {id} resolves", expected.id));
                assert_eq!(&corpus.cables[target].cable.id, id);
            } else {
                missing += 1;
                assert!(
                    target.is_none(),
                    "{} → {id} is not in the archive",
                    expected.id
                );
            }
        }
    }
    assert!(
        resolvable > 500 && missing > 100,
        "{resolvable} resolvable, {missing} missing"
    );

    // referenced_by is exactly the set of (citing, cited) pairs, each citing cable once.
    let mut citations: HashMap<usize, BTreeSet<usize>> = HashMap::new();
    for (citing, linked) in corpus.cables.iter().enumerate() {
        for &target in linked.resolved.iter().flatten() {
            citations.entry(target).or_default().insert(citing);
        }
    }
    for (index, linked) in corpus.cables.iter().enumerate() {
        let expected: Vec<usize> = citations
            .remove(&index)
            .unwrap_or_default()
            .into_iter()
            .collect();
        assert_eq!(linked.cited_by, expected, "{}", linked.cable.id);
    }
}

#[test]
fn the_corpus_is_in_date_identifier_source_order_ties_in_load_order() {
    // 3,000 generated cables, shuffled, with many ties made on purpose: every third one shares
    // its date with another, some share an identifier's first 8 bytes or the whole identifier,
    // and a few are exact copies (same date, identifier and file: only the load order tells
    // them apart, marked by their subjects).
    let mut cables = archive_dev::synthetic::synthetic(3000, 21);
    let n = cables.len();
    for i in (0..n).step_by(3) {
        cables[i].created = cables[(i * 7 + 1) % n].created;
    }
    for i in (0..n).step_by(11) {
        let id = format!(
            "{}X{i}",
            &cables[(i + 5) % n].id.as_str()[..8.min(cables[(i + 5) % n].id.as_str().len())]
        );
        cables[i].id = archive::cable::CableId(id);
    }
    for (k, i) in (0..n).step_by(97).enumerate() {
        let mut copy = cables[i].clone();
        copy.subject = format!("copy {k}");
        cables.push(copy);
    }
    for (k, c) in cables.iter_mut().enumerate() {
        c.subject.push_str(&format!(" #{k}"));
    }
    // A fixed shuffle (a multiplicative permutation of the places).
    let m = cables.len();
    let step = (1..m)
        .rev()
        .find(|s| gcd(*s, m) == 1 && *s > m / 3)
        .unwrap();
    let shuffled: Vec<archive::cable::Cable> =
        (0..m).map(|i| cables[(i * step) % m].clone()).collect();
    // The expected order, computed independently: a stable sort of (load place, cable) by the
    // three keys, so that ties keep their load order.
    let mut expected: Vec<(usize, &archive::cable::Cable)> = shuffled.iter().enumerate().collect();
    expected.sort_by(|(_, a), (_, b)| {
        (a.created, &a.id, &a.source).cmp(&(b.created, &b.id, &b.source))
    });
    let expected: Vec<&str> = expected.iter().map(|(_, c)| c.subject.as_str()).collect();
    let corpus = archive::corpus::link(archive::corpus::Loaded {
        files_read: m,
        cables: shuffled.clone(),
        ..archive::corpus::Loaded::default()
    });
    let got: Vec<&str> = corpus
        .cables
        .iter()
        .map(|c| c.cable.subject.as_str())
        .collect();
    assert_eq!(got.len(), m);
    assert!(
        got == expected,
        "the corpus order differs from a stable sort by date, identifier, file"
    );
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

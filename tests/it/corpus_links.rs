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

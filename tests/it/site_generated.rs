//! On a generated corpus whose cables cite each other (about 70 % of cited cables present),
//! every resolvable reference is a working link to the right page, every unresolvable one is
//! marked "not in this archive" (`<x-m>`), and "cited by" matches `archive export`.

use crate::site_util::*;
use archive_dev::generate::{generate, GenConfig};

#[test]
fn generated_references_link_or_are_marked_and_cited_by_matches_export() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    generate(&GenConfig::new(400, 7), &content.join("cables")).unwrap();
    let out = dir.path().join("public");
    let mut config = config(&out);
    config.content_dir = content.clone();
    config.page_size = 50;
    let report = archive::site::build(&config, &archive::site::BuildOptions::default()).unwrap();
    assert_eq!(report.cables, 400);

    let (broken, checked) = crawl(&out);
    assert!(checked > 5000, "{checked}");
    assert!(broken.is_empty(), "{broken:#?}");

    let corpus = archive::corpus::read(&content);
    let (mut linked_refs, mut marked_refs) = (0, 0);
    for linked in &corpus.cables {
        let html = std::fs::read_to_string(out.join(&linked.page)).unwrap();
        // The telegram's REF field (`#refs`) shows every reference: each cable in the archive
        // linked, each other cable marked, anything else (memos, e-mails) plain text.
        let references = &linked.cable.references;
        assert!(!html.contains("<th>References"), "{}", linked.page);
        let field = match html.split_once("<p class=fd id=refs>") {
            Some((_, rest)) => {
                let end = ["\n<p", "\n<h2", "\n<pre", "</section>"]
                    .iter()
                    .filter_map(|e| rest.find(e))
                    .min()
                    .unwrap();
                &rest[..end]
            }
            None => {
                assert!(references.is_empty(), "{}: no #refs", linked.page);
                ""
            }
        };
        let items = marked_items(field);
        let cables: Vec<_> = references
            .iter()
            .zip(&linked.resolved)
            .filter(|(r, t)| t.is_some() || r.id.is_some())
            .collect();
        assert_eq!(items.len(), cables.len(), "{}: {field}", linked.page);
        for (item, (reference, target)) in items.iter().zip(cables) {
            let escaped = reference.text.replace('&', "&amp;").replace('<', "&lt;");
            // An item wrapped onto the next line is one link across the line break.
            let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                squeeze(item).contains(&squeeze(&escaped.replace('>', "&gt;"))),
                "{item}"
            );
            match target {
                Some(t) => {
                    let href = attributes(item, "href")[0];
                    assert_eq!(
                        resolve(&linked.page, href).unwrap(),
                        corpus.cables[*t].page,
                        "{item}"
                    );
                    assert!(!is_missing_mark(item), "{item}");
                    linked_refs += 1;
                }
                None => {
                    assert!(is_missing_mark(item), "{item}");
                    assert!(attributes(item, "href").is_empty(), "{item}");
                    marked_refs += 1;
                }
            }
        }
        let record = archive::export::Record::new(&corpus, linked);
        let shown: Vec<String> = match html.split("id=cited>").nth(1) {
            Some(section) => attributes(section.split("</section>").next().unwrap(), "href")
                .iter()
                .map(|h| resolve(&linked.page, h).unwrap())
                .collect(),
            None => vec![],
        };
        let expected: Vec<String> = linked
            .cited_by
            .iter()
            .map(|&i| corpus.cables[i].page.clone())
            .collect();
        assert_eq!(shown, expected, "{}", linked.page);
        assert_eq!(record.referenced_by.len(), shown.len());
    }
    assert!(
        linked_refs > 50 && marked_refs > 10,
        "{linked_refs} linked, {marked_refs} marked"
    );
}

/// The links and missing-reference marks of a piece of a page, in order.
fn marked_items(html: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut rest = html;
    loop {
        let next = ["<a ", MISSING_START]
            .iter()
            .filter_map(|open| rest.find(open).map(|at| (at, *open)))
            .min();
        let Some((at, open)) = next else { break };
        let close = if open == MISSING_START {
            MISSING_END
        } else {
            "</a>"
        };
        let end = at + rest[at..].find(close).unwrap() + close.len();
        items.push(&rest[at..end]);
        rest = &rest[end..];
    }
    items
}

/// How a reference that is not in the archive is marked (the stylesheet adds the words "not in
/// this archive": `tests/site_references.rs` checks it).
const MISSING_START: &str = "<x-m>";
const MISSING_END: &str = "</x-m>";

fn is_missing_mark(item: &str) -> bool {
    item.starts_with(MISSING_START) && item.ends_with(MISSING_END)
}

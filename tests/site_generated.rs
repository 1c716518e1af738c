//! On a generated corpus whose cables cite each other (about 70 % of cited cables present),
//! every resolvable reference is a working link to the right page, every unresolvable one is
//! marked "not in this archive", and "cited by" matches `archive export`.

mod site_util;
use archive::generate::{generate, GenConfig};
use site_util::*;

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
        let refs = html
            .split("<ol id=refs>")
            .nth(1)
            .map(|s| s.split("</ol>").next().unwrap())
            .unwrap_or("");
        let items: Vec<&str> = refs.split("<li ").skip(1).collect();
        assert_eq!(
            items.len(),
            linked.cable.references.len(),
            "{}",
            linked.page
        );
        for ((item, reference), target) in items
            .iter()
            .zip(&linked.cable.references)
            .zip(&linked.resolved)
        {
            match (target, &reference.id) {
                (Some(t), _) => {
                    let href = attributes(item, "href")[0];
                    assert_eq!(
                        resolve(&linked.page, href).unwrap(),
                        corpus.cables[*t].page,
                        "{item}"
                    );
                    assert!(!item.contains("not in this archive"), "{item}");
                    linked_refs += 1;
                }
                (None, Some(_)) => {
                    assert!(item.contains("not in this archive"), "{item}");
                    assert!(attributes(item, "href").is_empty(), "{item}");
                    marked_refs += 1;
                }
                (None, None) => assert!(attributes(item, "href").is_empty(), "{item}"),
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

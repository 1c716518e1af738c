//! References on a hand-made corpus: a resolvable reference is a working link, an unresolvable
//! one is marked "not in this archive" (or linked to the configured mirror), and "cited by"
//! matches `archive export`.

use crate::site_util::*;

fn corpus() -> Vec<archive::cable::Cable> {
    let a = cable("07USNATO263", 2007, 3, 1);
    let b = cable("07USNATO430", 2007, 5, 2);
    let mut c = cable("07USNATO577", 2007, 10, 24);
    cite(&mut c, &["07USNATO263", "07USNATO430", "07USNATO999"]);
    let mut d = cable("08STATE100", 2008, 1, 5);
    cite(&mut d, &["07USNATO263"]);
    vec![d, c, b, a]
}

#[test]
fn resolvable_references_link_and_others_are_marked() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let report = build(corpus(), &config(&out)).unwrap();
    assert_eq!(report.cables, 4);
    let page = std::fs::read_to_string(out.join("cable/2007/10/07USNATO577.html")).unwrap();
    // REF A and REF B: links to the cited pages, in the REF field and the text.
    let hrefs = attributes(&page, "href");
    let links_to = |target: &str| hrefs.iter().filter(|h| **h == target).count();
    assert!(links_to("../03/07USNATO263.html") >= 2, "{page}");
    assert!(links_to("../05/07USNATO430.html") >= 2, "{page}");
    // The REF field shows every reference, so the facts table does not list them again.
    assert!(!page.contains("<th>References"), "{page}");
    // REF C is not in the archive: marked, never linked; the stylesheet says so after it.
    assert!(page.contains("C. <x-m>USNATO 999</x-m>"), "{page}");
    assert!(!page.contains("07USNATO999.html"), "{page}");
    assert!(
        !page.contains("<a href=#refs><x-m>") && !page.contains("<x-m><a"),
        "{page}"
    );
    let css = std::fs::read_to_string(out.join("assets/style.css")).unwrap();
    assert!(
        css.contains(r#"x-m::after { content: " (not in this archive)";"#),
        "no x-m::after rule"
    );
    // `reftels` points at the REF field, which lists every reference.
    assert!(links_to("#refs") >= 1, "{page}");
    assert!(
        page.contains("<p class=fd id=refs>REF: A. <a href="),
        "{page}"
    );
    // Paragraph anchors.
    assert!(
        attributes(&page, "id").contains(&"p1") && links_to("#p1") == 1,
        "{page}"
    );

    let cited = std::fs::read_to_string(out.join("cable/2007/03/07USNATO263.html")).unwrap();
    let section = cited.split("id=cited>").nth(1).expect("a cited-by section");
    assert!(section.contains("07USNATO577.html"), "{section}");
    assert!(section.contains("2008/01/08STATE100.html"), "{section}");

    let (broken, checked) = crawl(&out);
    assert!(checked > 100);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn cited_by_matches_export() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let cables = corpus();
    build(cables.clone(), &config(&out)).unwrap();
    let corpus = archive::corpus::link(archive::corpus::Loaded {
        files_read: cables.len(),
        cables,
        ..Default::default()
    });
    for linked in &corpus.cables {
        let record = archive::export::Record::new(&corpus, linked);
        let html = std::fs::read_to_string(out.join(&linked.page)).unwrap();
        let shown: Vec<String> = match html.split("id=cited>").nth(1) {
            Some(section) => {
                let section = section.split("</section>").next().unwrap();
                attributes(section, "href")
                    .iter()
                    .map(|h| {
                        h.rsplit('/')
                            .next()
                            .unwrap()
                            .trim_end_matches(".html")
                            .to_string()
                    })
                    .collect()
            }
            None => vec![],
        };
        let expected: Vec<String> = record.referenced_by.iter().map(|s| s.to_string()).collect();
        assert_eq!(shown, expected, "{}", linked.page);
    }
}

#[test]
fn external_mirror_links_references_not_in_the_archive() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let mut config = config(&out);
    config.external_cable_url = Some("https://mirror.example/cable/{year}/{id}.html".into());
    build(corpus(), &config).unwrap();
    let page = std::fs::read_to_string(out.join("cable/2007/10/07USNATO577.html")).unwrap();
    assert!(
        page.contains("href=\"https://mirror.example/cable/2007/07USNATO999.html\""),
        "{page}"
    );
    assert!(page.contains("not in this archive"), "{page}");
}

#[test]
fn filtered_out_cables_count_as_not_in_the_archive() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let mut config = config(&out);
    config.filter.years = vec![2007];
    let report = build(corpus(), &config).unwrap();
    assert_eq!(report.cables, 3);
    let cited = std::fs::read_to_string(out.join("cable/2007/03/07USNATO263.html")).unwrap();
    assert!(!cited.contains("08STATE100"), "{cited}");
    let (broken, _) = crawl(&out);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn references_the_ref_field_leaves_out_are_listed_in_the_facts_table() {
    let mut cables = corpus();
    let c = cables
        .iter_mut()
        .find(|c| c.id.as_str() == "07USNATO577")
        .unwrap();
    let field = c
        .body
        .iter_mut()
        .find(|b| b.label.as_deref() == Some("REF"))
        .unwrap();
    // The field loses its item C: the facts table must list all three.
    field.text = field
        .text
        .lines()
        .take(2)
        .collect::<Vec<_>>()
        .join("\n")
        .into();
    // …and with it the mention that placed item C in the field.
    field.mentions = field
        .mentions
        .iter()
        .filter(|m| m.end <= field.text.len())
        .cloned()
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(cables, &config(&out)).unwrap();
    let page = std::fs::read_to_string(out.join("cable/2007/10/07USNATO577.html")).unwrap();
    let facts = page.split("</table>").next().unwrap();
    assert!(facts.contains("<th>References<td><ol id=refs>"), "{page}");
    assert!(facts.contains("USNATO 999"), "{facts}");
    assert!(!page.contains("<p class=fd id=refs>"), "{page}");
    let (broken, _) = crawl(&out);
    assert!(broken.is_empty(), "{broken:#?}");
}

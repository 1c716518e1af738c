//! The output folder: a failed build leaves the previous output intact, a successful one
//! replaces it whole, two builds of the same input are identical.

use crate::site_util::*;

fn cables() -> Vec<archive::cable::Cable> {
    let mut c = cable("07USNATO577", 2007, 10, 24);
    cite(&mut c, &["07USNATO263", "07USNATO1"]);
    (1..=12)
        .map(|i| cable(&format!("07USNATO{i}"), 2007, (i % 12 + 1) as u8, 1))
        .chain([c, cable("07USNATO263", 2007, 2, 2)])
        .collect()
}

#[test]
fn a_failed_build_leaves_the_previous_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let mut config = config(&out);
    build(cables(), &config).unwrap();
    std::fs::write(out.join("marker.txt"), "from before").unwrap();
    let before = tree(&out);

    // A site template with a syntax error: the build fails after rendering has started.
    config.site_dir = dir.path().join("site");
    std::fs::create_dir_all(config.site_dir.join("templates")).unwrap();
    std::fs::write(
        config.site_dir.join("templates/listing.html"),
        "{% if %}broken",
    )
    .unwrap();
    let err = build(cables(), &config).unwrap_err();
    assert!(err.to_string().contains("listing.html"), "{err}");
    assert_eq!(tree(&out), before);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // A template that parses but fails while rendering cable pages.
    std::fs::write(
        config.site_dir.join("templates/listing.html"),
        "{{ rows | safe }}",
    )
    .unwrap();
    std::fs::write(
        config.site_dir.join("templates/cable.html"),
        "{{ c.no_such_field.x }}",
    )
    .unwrap();
    assert!(build(cables(), &config).is_err());
    assert_eq!(tree(&out), before);

    // A good build replaces the folder whole: the stray file is gone.
    std::fs::remove_dir_all(&config.site_dir).unwrap();
    build(cables(), &config).unwrap();
    assert!(!out.join("marker.txt").exists());
    assert!(out.join("index.html").exists());
}

#[cfg(unix)]
#[test]
fn an_unwritable_parent_fails_cleanly() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let parent = dir.path().join("locked");
    let out = parent.join("public");
    build(cables(), &config(&out)).unwrap();
    let before = tree(&out);
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o555)).unwrap();
    let result = build(cables(), &config(&out));
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o755)).unwrap();
    // Root may write anyway; what matters is that the output is whole either way.
    if result.is_err() {
        assert_eq!(tree(&out), before);
    }
    assert!(out.join("index.html").exists());
}

#[test]
fn builds_are_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one");
    let two = dir.path().join("two");
    let mut reversed = cables();
    reversed.reverse();
    build(cables(), &config(&one)).unwrap();
    build(reversed, &config(&two)).unwrap();
    let (a, b) = (tree(&one), tree(&two));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs");
    }
}

#[test]
fn pages_are_listed_paginated_and_linked() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let mut config = config(&out);
    config.base_url = Some("https://example.org/cables".into());
    let report = build(cables(), &config).unwrap();
    let phases: Vec<_> = report.phases.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        phases,
        ["load", "link", "render", "listings", "search", "write"]
    );
    // 14 cables share NATO; page size 3 → 5 pages.
    for f in [
        "tag/NATO.html",
        "tag/NATO.5.html",
        "month/2007-10.html",
        "year/2007.html",
        "origin/mission-usnato.html",
        "classification/confidential.html",
        "tags.html",
        "months.html",
        "origins.html",
        "classifications.html",
        "index.html",
        "404.html",
        ".nojekyll",
        "robots.txt",
        "sitemap.xml",
        "feed.xml",
        "search.html",
        "pages/about.html",
        "pages/how-to-read-a-cable.html",
        "assets/style.css",
    ] {
        assert!(out.join(f).exists(), "{f} missing");
    }
    assert!(!out.join("tag/NATO.6.html").exists());
    // A year's page is an index of its months (one page, no cable rows), linking each month.
    let year = std::fs::read_to_string(out.join("year/2007.html")).unwrap();
    assert!(!out.join("year/2007.2.html").exists());
    assert!(
        attributes(&year, "href").contains(&"../month/2007-10.html"),
        "{year}"
    );
    assert!(!year.contains("<tr>"), "{year}");
    // Listings show identifier, subject, date and the classification abbreviated, its column
    // header a link to the legend on classifications.html (once, not on every listing page); no
    // origin (the identifier names the station). A tag's listing shows the date too (issue 14
    // gave it back from the 1.7 × budget).
    let tag = std::fs::read_to_string(out.join("tag/NATO.html")).unwrap();
    let header = "<thead><tr><th>Identifier<th>Subject<th>Created<th><a href=../classifications.html#legend>Classification</a>\n";
    assert!(tag.contains(header), "{tag}");
    assert_eq!(
        resolve("cable/x.html", "../classifications.html#legend").as_deref(),
        Some("classifications.html#legend"),
        "from the listing's <base href=../cable/>"
    );
    assert!(tag.contains("<td>2007-"), "{tag}");
    assert!(tag.contains("<td class=c>C\n"), "{tag}");
    assert!(
        !tag.contains("CONFIDENTIAL") && !tag.contains("Mission USNATO"),
        "{tag}"
    );
    let legend = "<p class=legend>Classification: <b>U</b> unclassified, <b>C</b> confidential,";
    assert!(!tag.contains(legend), "{tag}");
    let levels = std::fs::read_to_string(out.join("classifications.html")).unwrap();
    let (_, after) = levels
        .split_once("<div id=legend>")
        .expect("the legend's anchor");
    assert!(
        after.trim_start().starts_with(legend) && after.contains("<b>//NF</b> NOFORN"),
        "{levels}"
    );
    let origin = std::fs::read_to_string(out.join("origin/mission-usnato.html")).unwrap();
    assert!(origin.contains(">Classification</a>") && !origin.contains("<th>Origin"));
    assert!(
        origin.contains("<th>Subject<th>Created<th>") && origin.contains("<td>2007-"),
        "{origin}"
    );
    let month = std::fs::read_to_string(out.join("month/2007-10.html")).unwrap();
    assert!(
        month.contains(header) && month.contains("<td>2007-10-"),
        "{month}"
    );
    assert!(
        origin.contains(header) && !origin.contains("<td>Mission USNATO"),
        "{origin}"
    );
    // A listing by classification leaves out the column all its rows share, and the legend.
    let level = std::fs::read_to_string(out.join("classification/confidential.html")).unwrap();
    assert!(
        !level.contains(">Classification</a>") && !level.contains(legend),
        "{level}"
    );
    assert!(!level.contains("<td class=c>"), "{level}");
    // Listing pages resolve links from `cable/` (shorter rows); the CSP allows exactly that.
    assert!(tag.contains("<base href=../cable/>") && tag.contains("base-uri 'self'"));
    assert!(
        tag.contains("<tr><td><a href=2007/01/07USNATO12.html>07USNATO12</a>"),
        "{tag}"
    );
    assert!(tag.contains("<a href=../tag/NATO.html#main>Skip to content</a>"));
    assert!(
        tag.contains("<a rel=next href=../tag/NATO.2.html>"),
        "{tag}"
    );
    let cable_page = std::fs::read_to_string(out.join("cable/2007/10/07USNATO577.html")).unwrap();
    assert!(!cable_page.contains("<base") && cable_page.contains("base-uri 'none'"));
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains(legend) && home.contains("<td class=c>C\n"),
        "{home}"
    );
    let tag = std::fs::read_to_string(out.join("tag/NATO.html")).unwrap();
    assert!(tag.contains("North Atlantic Treaty Organization"), "{tag}");
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.org/cables/cable/2007/10/07USNATO577.html</loc>")
    );
    let (broken, checked) = crawl(&out);
    assert!(checked > 200);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn refuses_outputs_whose_replacement_would_destroy_something() {
    let dir = tempfile::tempdir().unwrap();
    // A folder with other things in it, that this program did not build.
    let precious = dir.path().join("documents");
    std::fs::create_dir_all(&precious).unwrap();
    std::fs::write(precious.join("thesis.txt"), "years of work").unwrap();
    let err = build(cables(), &config(&precious)).unwrap_err();
    assert!(
        err.to_string().contains("does not look like a site"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(precious.join("thesis.txt")).unwrap(),
        "years of work"
    );

    // The folder that holds the content (`--output .` from the site folder).
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("content/cables")).unwrap();
    std::fs::write(site.join("index.html"), "").unwrap();
    let mut config = config(&site);
    config.content_dir = site.join("content");
    let err = build(cables(), &config).unwrap_err();
    assert!(err.to_string().contains("contains"), "{err}");
    assert!(site.join("content/cables").is_dir());
}

/// A cable whose text gives no date is filed under its identifier's year, never under 0000: its
/// page says the date is not in the text, and the year's "undated" listing lists it.
#[test]
fn an_undated_cable_is_filed_under_its_year() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content/cables");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        content.join("05LIMA583.txt"),
        "This record is a partial extract of the original cable.\n\nC O N F I D E N T I A L LIMA 000583\n\nE.O. 12958: DECL: 02/15/2015\nTAGS: PREL, PE\nSUBJECT: PERU: AN UNDATED EXTRACT\n\n1. (C) Text of the extract.\n",
    )
    .unwrap();
    let out = dir.path().join("public");
    let loaded = archive::corpus::load(&content);
    build(loaded.cables, &config(&out)).unwrap();
    let page = std::fs::read_to_string(out.join("cable/2005/00/05LIMA583.html")).unwrap();
    assert!(page.contains("2005 (date not in the text)</a>"), "{page}");
    assert!(!page.contains(" UTC"), "no time, so no time zone: {page}");
    assert!(!out.join("cable/0000").exists());
    let month = std::fs::read_to_string(out.join("month/2005-00.html")).unwrap();
    assert!(
        month.contains("Cables of 2005, date not in the text"),
        "{month}"
    );
    assert!(month.contains("05LIMA583"), "{month}");
    let months = std::fs::read_to_string(out.join("months.html")).unwrap();
    assert!(months.contains(">Undated</a>"), "{months}");
    let (broken, _) = crawl(&out);
    assert!(broken.is_empty(), "{broken:#?}");
}

/// A site's own `cable.html` written for earlier versions reads the facts as `c.id`, … : it
/// still renders them, beside the top-level names the default template reads.
#[test]
fn a_site_cable_template_reading_c_still_renders() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let mut config = config(&out);
    config.site_dir = dir.path().join("site");
    std::fs::create_dir_all(config.site_dir.join("templates")).unwrap();
    std::fs::write(
        config.site_dir.join("templates/cable.html"),
        "{{ c.id }}|{{ c.classification }}|{% for t in c.tags %}{{ t.code }}{% endfor %}|{{ id }}",
    )
    .unwrap();
    build(cables(), &config).unwrap();
    let page = std::fs::read_to_string(out.join("cable/2007/10/07USNATO577.html")).unwrap();
    assert!(page.starts_with("07USNATO577|"), "{page}");
    assert!(page.ends_with("|07USNATO577"), "{page}");
    assert!(!page.contains("||"), "{page}");
}

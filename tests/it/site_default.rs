//! The default archive, built as a new user would (`archive build` in the repository, with its
//! `site.toml` and `content/`): every page's every link resolves to a file of the output, every
//! `#pN` anchor exists, raw text sits beside each cable, and every seed cable has its page.

use crate::site_util::*;
use std::process::Command;

#[test]
fn default_content_builds_and_every_link_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_default_archive(&out);
    let files = tree(&out);
    for page in [
        "cable/2007/03/07PARIS1115.html",
        "cable/2007/10/07USNATO536.html",
        "cable/2007/06/07USNATO362.html",
        "cable/2007/10/07USNATO577.html",
        "cable/2007/04/07USNATO265.html",
        "cable/2007/10/07USNATO577.txt",
        "index.html",
        "404.html",
        ".nojekyll",
        "robots.txt",
        "pages/about.html",
        "pages/how-to-read-a-cable.html",
    ] {
        assert!(files.contains_key(page), "{page} missing");
    }
    let (broken, checked) = crawl(&out);
    assert!(checked > 300, "only {checked} links checked");
    assert!(broken.is_empty(), "{broken:#?}");

    // Paragraph anchors that readers cite, and the quiet routing header.
    let page = String::from_utf8(files["cable/2007/10/07USNATO577.html"].clone()).unwrap();
    assert!(page.contains("<p id=p1><a href=#p1>1.</a>"));
    assert!(page.contains("<pre class=routing>"));
    assert!(page.contains("CONFIDENTIAL//NOFORN"));
    assert!(page.contains("A. <x-m>USNATO 263</x-m>"), "{page}");
    // No sitemap or feed without base_url.
    assert!(!files.contains_key("sitemap.xml") && !files.contains_key("feed.xml"));
}

/// A folder with only `site.toml` and `content/` builds with the built-in theme; a site's own
/// `tags.toml`, `templates/` and `assets/` files override or extend it.
#[test]
fn a_bare_folder_builds_and_site_files_override_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path();
    std::fs::create_dir_all(site.join("content/cables")).unwrap();
    for entry in std::fs::read_dir(repo().join("content/cables")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(
            &path,
            site.join("content/cables").join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    std::fs::write(site.join("site.toml"), "title = \"My cables\"\n").unwrap();
    let build = || {
        Command::new(env!("CARGO_BIN_EXE_archive"))
            .current_dir(site)
            .args(["build", "--quiet"])
            .status()
            .unwrap()
    };
    assert!(build().success());
    let out = site.join("public");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("My cables"));
    assert!(out.join("assets/style.css").exists());
    assert!(!out.join("pages").exists(), "no content/pages, no pages");
    let (broken, _) = crawl(&out);
    assert!(broken.is_empty(), "{broken:#?}");

    std::fs::write(
        site.join("tags.toml"),
        "PREL = \"Our own meaning\"\nZZTOP = \"A new tag\"\n",
    )
    .unwrap();
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(
        site.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Custom 404</h1>{% endblock content %}",
    )
    .unwrap();
    std::fs::create_dir_all(site.join("assets")).unwrap();
    std::fs::write(site.join("assets/extra.css"), "body{}").unwrap();
    assert!(build().success());
    let tag = std::fs::read_to_string(out.join("tag/PREL.html")).unwrap();
    assert!(tag.contains("Our own meaning"), "{tag}");
    let nato = std::fs::read_to_string(out.join("tag/NATO.html")).unwrap();
    assert!(nato.contains("North Atlantic Treaty Organization"));
    assert!(std::fs::read_to_string(out.join("404.html"))
        .unwrap()
        .contains("Custom 404"));
    assert!(out.join("assets/extra.css").exists());
}

/// The cable page is written in Rust when the site overrides neither `base.html` nor
/// `cable.html` (`Theme::cable_in_rust`), and by Tera from the templates otherwise: both must
/// give the same bytes. Each site is built twice, the second time with the repository's own
/// `base.html` and `cable.html` as the site's templates (which makes Tera render the pages),
/// over the seeds and a generated corpus (senders, unlinked addressees, citing cables,
/// conversations), with and without the footer's pages, the feed link, the search box, raw
/// text and a title that needs escaping.
#[test]
fn cable_pages_written_in_rust_equal_the_templates_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let copy_folder = |from: &std::path::Path, to: &std::path::Path| {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    };
    let (no_pages, with_pages) = (dir.path().join("no-pages"), dir.path().join("with-pages"));
    for content in [&no_pages, &with_pages] {
        let generated = archive_dev::generate::GenConfig::new(300, 11);
        archive_dev::generate::generate(&generated, &content.join("cables/generated")).unwrap();
        copy_folder(&repo().join("content/cables"), &content.join("cables"));
    }
    copy_folder(&repo().join("content/pages"), &with_pages.join("pages"));
    let templates = dir.path().join("tera-site/templates");
    std::fs::create_dir_all(&templates).unwrap();
    for name in ["base.html", "cable.html"] {
        std::fs::copy(repo().join("templates").join(name), templates.join(name)).unwrap();
    }
    // The comparison means something only if the two builds took the two paths.
    let theme =
        |site_dir: &str| archive::site::templates::load(&dir.path().join(site_dir)).unwrap();
    assert!(
        theme("plain-site").cable_in_rust,
        "no site templates: pages in Rust"
    );
    assert!(
        !theme("tera-site").cable_in_rust,
        "the site's own base.html and cable.html: Tera"
    );
    for variant in 0..2 {
        let build = |site_dir: &str| {
            let out = dir.path().join(format!("out-{variant}-{site_dir}"));
            let mut config = config(&out);
            config.content_dir = with_pages.clone();
            config.site_dir = dir.path().join(site_dir);
            if variant == 1 {
                config.content_dir = no_pages.clone();
                config.base_url = Some("https://example.org/c/".into());
                config.search.enabled = false;
                config.raw_text = !config.raw_text;
                config.title = "A & B's <\"cables\">".into();
            }
            archive::site::build(&config, &archive::site::BuildOptions::default()).unwrap();
            tree(&out)
        };
        let rust = build("plain-site");
        let tera = build("tera-site");
        assert!(rust.keys().filter(|k| k.starts_with("cable/")).count() > 300);
        assert_eq!(rust.len(), tera.len());
        for (name, bytes) in &rust {
            assert!(
                tera.get(name) == Some(bytes),
                "variant {variant}: {name} differs:\n{}\n---\n{}",
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&tera[name])
            );
        }
    }
}

//! The default archive, built as a new user would (`archive build` in the repository, with its
//! `site.toml` and `content/`): every page's every link resolves to a file of the output, every
//! `#pN` anchor exists, raw text sits beside each cable, and every seed cable has its page.

mod site_util;
use site_util::*;
use std::process::Command;

#[test]
fn default_content_builds_and_every_link_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_archive"))
        .current_dir(repo())
        .args(["build", "--quiet", "--output"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
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
    assert!(page.contains("id=\"p1\""));
    assert!(page.contains("class=\"routing\""));
    assert!(page.contains("CONFIDENTIAL//NOFORN"));
    assert!(page.contains("not in this archive"));
    // No sitemap or feed without base_url.
    assert!(!files.contains_key("sitemap.xml") && !files.contains_key("feed.xml"));
}

//! Escaping and paths: cable text never becomes markup, identifiers and tags never make the
//! build write outside its folder, and every page carries the Content-Security-Policy.

use crate::site_util::*;

const EVIL: &str = "<script>alert(1)</script>";

#[test]
fn cable_text_is_escaped_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let mut c = cable("07PARIS1115", 2007, 3, 22);
    c.subject = EVIL.into();
    c.origin = format!("Embassy {EVIL}");
    c.tags.push(EVIL.into());
    c.signer = Some(EVIL.into());
    c.body[4].text = format!("Text with {EVIL} and \"quotes\" & <b>tags</b>.").into();
    c.body[0].text = format!("{}{}", c.body[0].text, &format!("\nINFO {EVIL}")).into();
    let mut other = cable("07PARIS1116", 2007, 3, 23);
    other.references.push(archive::cable::Reference {
        label: Some(EVIL.into()),
        text: EVIL.into(),
        id: Some(archive::cable::CableId("07PARIS1115".into())),
    });
    build(vec![c, other], &config(&out)).unwrap();
    let mut pages = 0;
    // The search index holds subjects as data inside JavaScript strings, which the client only
    // ever puts into the page as text (checked below); `hostile_injection` runs those files in
    // Node to check the strings come back intact.
    let client =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/search.js")).unwrap();
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
    ] {
        assert!(!client.contains(sink), "search.js must not use {sink}");
    }
    for (path, bytes) in tree(&out) {
        if path.starts_with("search/") {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("<script>alert"),
            "{path} has unescaped script"
        );
        assert!(!text.contains("<b>tags"), "{path} has unescaped markup");
        if path.ends_with(".html") {
            pages += 1;
            assert!(text.contains("Content-Security-Policy"), "{path}");
            assert!(
                !text.contains("<script>") && !text.contains(" style="),
                "{path}"
            );
        }
    }
    assert!(pages > 5);
    let (broken, _) = crawl(&out);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn hostile_identifiers_stay_inside_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site").join("public");
    let mut a = cable("../../../escaped", 2007, 3, 22);
    a.tags = vec!["../../x".into(), "..".into(), "a/b".into(), "".into()];
    a.origin = "../../..".into();
    let b = cable("07PARIS/../1", 2007, 3, 22);
    build(vec![a, b], &config(&out)).unwrap();
    // Nothing but the output folder (and the absent override folder) beside it.
    let siblings: Vec<_> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(siblings, vec!["public".to_string()]);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    let (broken, _) = crawl(&out);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn raw_text_is_written_beside_the_page_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("07PARIS1115.txt");
    std::fs::write(&source, "the original text <script>").unwrap();
    let mut c = cable("07PARIS1115", 2007, 3, 22);
    c.source = source;
    let out = dir.path().join("public");
    let mut config = config(&out);
    build(vec![c.clone()], &config).unwrap();
    assert!(!out.join("cable/2007/03/07PARIS1115.txt").exists());
    let page = std::fs::read_to_string(out.join("cable/2007/03/07PARIS1115.html")).unwrap();
    assert!(!page.contains("Raw text"));
    config.raw_text = true;
    build(vec![c], &config).unwrap();
    assert_eq!(
        std::fs::read_to_string(out.join("cable/2007/03/07PARIS1115.txt")).unwrap(),
        "the original text <script>"
    );
    let page = std::fs::read_to_string(out.join("cable/2007/03/07PARIS1115.html")).unwrap();
    assert!(
        page.contains("<a href=07PARIS1115.txt>Raw text</a>"),
        "{page}"
    );
}

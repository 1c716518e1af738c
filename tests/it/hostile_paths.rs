//! No input can make the build write outside its output folder, and names that would clash on
//! a case-insensitive disk (or on Windows) are made distinct and reported: identifiers, tags,
//! origins and Markdown page names, built with the real binary.

use crate::hostile_util::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const DEVICES: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Every file name of the output is portable: `[A-Za-z0-9._-]`, not a Windows device name,
/// not too long, and unique case-insensitively within its folder.
fn assert_portable(files: &BTreeMap<String, Vec<u8>>) {
    let mut seen = BTreeSet::new();
    for path in files.keys() {
        for part in path.split('/') {
            assert!(
                !part.is_empty()
                    && part != ".."
                    && part.len() <= 120
                    && part
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')),
                "unportable name {path:?}"
            );
            let stem = part.split('.').next().unwrap();
            assert!(
                !DEVICES.iter().any(|d| d.eq_ignore_ascii_case(stem)),
                "device name {path:?}"
            );
        }
        assert!(
            seen.insert(path.to_ascii_lowercase()),
            "{path} clashes case-insensitively"
        );
    }
}

/// Only `content` and `public` (and site.toml and the build cache) in the build folder: nothing
/// escaped beside it.
fn assert_nothing_beside(dir: &Path) {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.retain(|n| n != "site.toml" && n != ".public.cache");
    assert_eq!(names, ["content", "public"]);
    assert!(!dir.join("etc").exists() && !Path::new("/abs/x").exists());
}

/// Builds the site in `dir`, which must succeed, leave nothing beside `content` and `public`,
/// and write only portable file names; gives standard error and the output.
fn build_portable(dir: &Path) -> (String, BTreeMap<String, Vec<u8>>) {
    let out = build(dir, &[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert_nothing_beside(dir);
    let public = tree(&dir.join("public"));
    assert_portable(&public);
    (err, public)
}

/// The problem lines of a build, each checked to be printed once.
fn problem_lines(err: &str) -> Vec<&str> {
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| l.contains(": warning: ") || l.contains(": error: "))
        .collect();
    let unique: BTreeSet<&&str> = lines.iter().collect();
    assert_eq!(unique.len(), lines.len(), "a problem printed twice:\n{err}");
    lines
}

#[test]
fn hostile_identifiers_get_safe_distinct_pages_and_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let long = "X".repeat(300);
    let longer = "X".repeat(301);
    let ids: Vec<(&str, String)> = vec![
        ("traversal", "../../etc/x".into()),
        ("absolute", "/abs/x".into()),
        ("nul", "a\0b".into()),
        ("long", long.clone()),
        ("longer", longer.clone()),
        ("device", "COM1".into()),
        ("device-lower", "lpt9".into()),
        ("upper", "07PARIS1115".into()),
        ("lower", "07paris1115".into()),
        ("dup", "07PARIS1115".into()),
        ("dots", "..".into()),
        ("dot", ".".into()),
        ("windows", "C:\\x\\..\\..\\y".into()),
        ("unicode", "07PARÍS1".into()),
        ("suffix-clash", "07PARIS1115-2".into()),
    ];
    let files: Vec<(String, Vec<u8>)> = ids
        .iter()
        .map(|(name, id)| {
            (
                format!("{name}.txt"),
                table_cable(id, "Embassy Paris", "S").into_bytes(),
            )
        })
        .collect();
    write_cables(dir.path(), &files);
    let (err, public) = build_portable(dir.path());
    let pages: Vec<&String> = public.keys().filter(|p| p.starts_with("cable/")).collect();
    assert_eq!(pages.len(), ids.len(), "{pages:#?}");

    // Each hostile file is named in a warning; the two exact duplicates too; each line once.
    let lines = problem_lines(&err);
    for name in [
        "traversal",
        "absolute",
        "nul",
        "long",
        "longer",
        "device",
        "device-lower",
        "lower",
        "dots",
        "dot",
        "windows",
        "unicode",
    ] {
        let prefix = format!("content/cables/{name}.txt: warning: ");
        assert!(
            lines.iter().any(|l| l.starts_with(&prefix)),
            "no warning for {name}:\n{err}"
        );
    }
    assert!(
        lines
            .iter()
            .any(|l| l.contains("duplicate identifier 07PARIS1115")
                && l.contains("dup.txt")
                && l.contains("upper.txt")),
        "{err}"
    );
    assert!(err.contains("a\\0b"), "NUL printed raw:\n{err}");
    assert!(!err.contains('\0'));

    // --strict: same build, failing exit.
    let strict = build(dir.path(), &["--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(stderr(&strict).contains("--strict"));
    assert_eq!(tree(&dir.path().join("public")), public);

    let (broken, checked) = crate::site_util::crawl(&dir.path().join("public"));
    assert!(checked > 100);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn the_release_s_tags_with_names_get_safe_listings_without_a_warning_but_a_clash_is_reported() {
    // `OVIP (NAME, FIRST)` tags (visits of officials) are ordinary in the release: their
    // listings trade the spaces and punctuation for `_` and say nothing. Two such tags that
    // come out as one file name are told apart, and that is reported.
    let dir = tempfile::tempdir().unwrap();
    let with_tags = |id: &str, tags: &str| {
        table_cable(id, "Embassy Paris", "S")
            .replacen("TAGS: NATO PREL MARR KCFE RU", &format!("TAGS: {tags}"), 2)
            .into_bytes()
    };
    write_cables(
        dir.path(),
        &[
            (
                "a.txt".into(),
                with_tags("07PARIS1", "PREL, OVIP (BAKER, JAMES)"),
            ),
            (
                "b.txt".into(),
                with_tags("07PARIS2", "PREL, OVIP (BAKER. JAMES)"),
            ),
            // The form of a real cable's tag, as a parser's fixture in a public repository
            // quotes the release: a visit's tag with a period.
            (
                "c.txt".into(),
                with_tags("07PARIS3", "OVIP (STEINBERG, JAMES B.), PREL"),
            ),
        ],
    );
    let (err, public) = build_portable(dir.path());
    let lines = problem_lines(&err);
    let about_tags: Vec<&&str> = lines.iter().filter(|l| l.contains("OVIP")).collect();
    assert_eq!(about_tags.len(), 1, "{err}");
    assert!(
        about_tags[0].starts_with(
            "content/cables/b.txt: warning: tag \"OVIP (BAKER. JAMES)\" would share a file name"
        ),
        "{err}"
    );
    for (page, label) in [
        ("tag/OVIP__BAKER__JAMES_.html", "OVIP (BAKER, JAMES)"),
        ("tag/OVIP__BAKER__JAMES_-2.html", "OVIP (BAKER. JAMES)"),
        (
            "tag/OVIP__STEINBERG__JAMES_B__.html",
            "OVIP (STEINBERG, JAMES B.)",
        ),
    ] {
        let html = String::from_utf8_lossy(&public[page]);
        assert!(html.contains(label), "{page} does not name {label}");
    }
    let cable = public
        .iter()
        .find(|(p, _)| p.starts_with("cable/") && p.ends_with("07PARIS1.html"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .expect("the page of 07PARIS1");
    assert!(
        cable.contains("tag/OVIP__BAKER__JAMES_.html>"),
        "the cable links its tag's listing"
    );
    let (broken, _) = crate::site_util::crawl(&dir.path().join("public"));
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn hostile_tags_and_origins_get_safe_listings_and_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let tags = "../x .. CON nul PREL prel a/b \\..\\ \u{e9}t\u{e9} ....";
    let mut text = table_cable("07PARIS1", "Embassy ../../x", "S");
    text = text.replacen("TAGS: NATO PREL MARR KCFE RU", &format!("TAGS: {tags}"), 2);
    let other = table_cable("07PARIS2", "Embassy //x", "S");
    let third = table_cable("07PARIS3", "/", "S");
    write_cables(
        dir.path(),
        &[
            ("tags.txt".into(), text.into_bytes()),
            ("other.txt".into(), other.into_bytes()),
            ("third.txt".into(), third.into_bytes()),
        ],
    );
    let (err, public) = build_portable(dir.path());
    let tag_pages = public.keys().filter(|p| p.starts_with("tag/")).count();
    let origin_pages = public.keys().filter(|p| p.starts_with("origin/")).count();
    assert!(tag_pages >= 8, "{:#?}", public.keys());
    assert_eq!(origin_pages, 3, "{:#?}", public.keys());
    let lines = problem_lines(&err);
    // Tags are upper-cased when read (`prel` is `PREL`, one listing), so `nul` and `a/b`
    // arrive as `NUL` and `A/B`: still device names and slashes to make safe.
    for tag in ["CON", "NUL", "A/B"] {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("content/cables/tags.txt: warning: tag ")
                    && l.contains(&format!("{tag:?}"))),
            "{tag} not reported:\n{err}"
        );
    }
    assert!(
        lines
            .iter()
            .any(|l| l.contains("origin") && l.contains("would share a file name")),
        "{err}"
    );
    let (broken, _) = crate::site_util::crawl(&dir.path().join("public"));
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn markdown_page_names_land_safely() {
    let dir = tempfile::tempdir().unwrap();
    write_cables(dir.path(), &[("a.txt".into(), seed(1).into_bytes())]);
    let pages = dir.path().join("content/pages");
    std::fs::create_dir_all(&pages).unwrap();
    let long = format!("{}.md", "p".repeat(250));
    for name in [
        "..md",
        "...md",
        "a..b.md",
        "\u{e9}t\u{e9} \u{fc}.md",
        "About.md",
        "about.md",
        "CON.md",
        "-.md",
        long.as_str(),
    ] {
        std::fs::write(pages.join(name), format!("# {name}\n\ntext\n")).unwrap();
    }
    std::fs::write(pages.join("latin1.md"), b"# caf\xe9\n").unwrap();
    let (err, public) = build_portable(dir.path());
    let written: Vec<&String> = public.keys().filter(|p| p.starts_with("pages/")).collect();
    assert_eq!(written.len(), 9, "{written:#?}");
    let lines = problem_lines(&err);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("content/pages/latin1.md: error: page left out")),
        "{err}"
    );
    for name in ["..md", "a..b.md", "about.md", "CON.md"] {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("content/pages/{name}: warning: "))),
            "{name} not reported:\n{err}"
        );
    }
    let (broken, _) = crate::site_util::crawl(&dir.path().join("public"));
    assert!(broken.is_empty(), "{broken:#?}");
}

/// Links in the content folder are followed only while they stay inside it: a link to `/` or
/// to a file elsewhere is reported and skipped, not read (and published).
#[cfg(unix)]
#[test]
fn links_out_of_the_content_folder_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let secret = tempfile::tempdir().unwrap();
    let secret_cable = table_cable("07SECRET1", "Embassy Elsewhere", "NOT FOR PUBLICATION");
    std::fs::write(secret.path().join("secret.txt"), &secret_cable).unwrap();
    let content = write_cables(dir.path(), &[("good.txt".into(), seed(1).into_bytes())]);
    let cables = content.join("cables");
    std::fs::create_dir(cables.join("sub")).unwrap();
    std::fs::write(cables.join("sub/inner.txt"), seed(4)).unwrap();
    use std::os::unix::fs::symlink;
    symlink("/", cables.join("root")).unwrap();
    symlink(secret.path().join("secret.txt"), cables.join("secret.txt")).unwrap();
    symlink(secret.path(), cables.join("elsewhere")).unwrap();
    symlink(cables.join("sub"), cables.join("inside")).unwrap();
    let pages = content.join("pages");
    std::fs::create_dir(&pages).unwrap();
    std::fs::write(secret.path().join("page.md"), "# NOT FOR PUBLICATION\n").unwrap();
    symlink(secret.path().join("page.md"), pages.join("leak.md")).unwrap();
    let out = build(dir.path(), &[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    // good, sub/inner and inside/inner (the same file twice, reported as a duplicate).
    assert!(err.contains("built 3 cables"), "{err}");
    for name in ["root", "secret.txt", "elsewhere"] {
        assert!(
            err.contains(&format!(
                "content/cables/{name}: warning: a link to a place outside the content folder"
            )),
            "{name}:\n{err}"
        );
    }
    assert!(
        err.contains("content/pages/leak.md: warning: a link to a place outside"),
        "{err}"
    );
    let public = tree(&dir.path().join("public"));
    assert!(public
        .values()
        .all(|b| !String::from_utf8_lossy(b).contains("NOT FOR PUBLICATION")));
}

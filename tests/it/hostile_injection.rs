//! No input can inject markup or script into the site: payloads in every field of a cable (both
//! layouts), in Markdown pages and in every string of `site.toml`, built with the real binary;
//! every output file is scanned the way an attacker would look at it. The search index's
//! scripts are loaded in Node (when installed) to prove hostile strings stay inert data.

use crate::hostile_util::*;
use std::path::Path;

/// A folder with one header-table cable and one raw telegram per payload, each payload in the
/// identifier, origin, subject, tags, REF items, recipients, paragraph text and signature.
fn hostile_site(dir: &Path) {
    let mut files = Vec::new();
    for (k, p) in PAYLOADS.iter().enumerate() {
        // Layout 1: identifier, origin and subject from the header table; tags from both.
        let id = format!("07EVIL{k}{p}");
        let mut text = table_cable(&id, &format!("Embassy {p}"), &format!("SUBJECT {p}"));
        text = text.replacen(
            "TAGS: NATO PREL MARR KCFE RU",
            &format!("TAGS: NATO {p} T{k}"),
            2,
        );
        text = text.replacen(
            "Tags:\u{a0} NATO",
            &format!("Tags:\u{a0} {p}\u{a0} NATO"),
            1,
        );
        files.push((format!("table{k}.txt"), text.into_bytes()));

        // Layout 2: recipients, REF items, paragraphs, signature; cites 07USNATO536 (in the
        // archive as seed 1's twin below) and 07NOWHERE9 (external link with a hostile mirror).
        let mut raw = seed(4)
            // Routing lines are upper case, or they are not routing lines.
            .replacen(
                "TO RUEHC/SECSTATE WASHDC IMMEDIATE 0766",
                &format!("TO RUEHC/SECSTATE {} IMMEDIATE 0766", p.to_uppercase()),
                1,
            )
            .replacen(
                "INFO RUEHZG/NATO EU COLLECTIVE IMMEDIATE",
                &format!(
                    "INFO RUEHZG/NATO EU COLLECTIVE IMMEDIATE\nRUEHXX/AMEMBASSY {} PRIORITY",
                    p.to_uppercase()
                ),
                1,
            )
            .replacen(
                "REF: A. USNATO 263  \n[1](#)B. USNATO 264",
                &format!("REF: A. USNATO 536\nB. NOWHERE 9\nC. {p}\nD. EMAIL {p}"),
                1,
            )
            .replacen("USNATO 000265", &format!("USNATO 00077{k}"), 1)
            .replacen(
                "(C) SUMMARY:",
                &format!("(C) SUMMARY: {p} (REF A, REF B, REF C) {p}"),
                1,
            )
            .replacen(
                "-----  \nPERSISTENT POLE  \n-----",
                &format!("-----\n{p}\n-----"),
                1,
            );
        raw = raw.trim_end().trim_end_matches("NULAND").to_string() + &format!("\n{p}\n");
        files.push((format!("raw{k}.txt"), raw.into_bytes()));
    }
    files.push(("seed.txt".into(), seed(1).into_bytes()));
    let content = write_cables(dir, &files);

    let pages = content.join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    std::fs::write(
        pages.join("about.md"),
        "# About <script>alert(1)</script> {{ 7*7 }}\n\n\
         <script>alert(1)</script>\n\n\
         <iframe src=\"https://evil.example/\"></iframe>\n\n\
         <img src=x onerror=alert(1)> <img src=\"https://evil.example/t.gif\">\n\n\
         <a href=\"javascript:alert(1)\">a</a> <a href=\"JaVaScRiPt&#58;alert(1)\">b</a>\n\n\
         [c](javascript:alert%281%29) [d](<javascript:alert(1)>) [e]( javascript:alert(1))\n\n\
         [f](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) <javascript:alert(1)>\n\n\
         <div style=\"background:url(https://evil.example/)\" onclick=\"alert(1)\">s</div>\n\n\
         <form action=\"https://evil.example/\"><input name=q><button formaction=\"javascript:alert(1)\">go</button></form>\n\n\
         <svg onload=alert(1)></svg> <math><mtext></textarea><img src=x onerror=alert(1)></mtext></math>\n\n\
         <object data=\"x.swf\"></object><embed src=\"x.swf\"><base href=\"https://evil.example/\">\n\n\
         [ok](tags.html) [ext](https://example.org/)\n",
    )
    .unwrap();

    let q = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let all = PAYLOADS.join(" ");
    std::fs::write(
        dir.join("site.toml"),
        format!(
            "title = \"T {}\"\ndescription = \"D {}\"\nbase_url = \"https://example.org/%22%3E/\"\n\
             external_cable_url = \"https://mirror.example/%22%3E%3Cscript%3E{{id}}?a=1&b=2\"\n",
            q(&all),
            q(&all)
        ),
    )
    .unwrap();
}

#[test]
fn payloads_in_every_field_never_become_markup() {
    let dir = tempfile::tempdir().unwrap();
    hostile_site(dir.path());
    let out = build(dir.path(), &[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");

    let files = tree(&dir.path().join("public"));
    let mut violations = Vec::new();
    let mut pages = 0;
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        if path.ends_with(".html") {
            pages += 1;
            violations.extend(html_violations(path, &text));
        }
        if path.ends_with(".html") || path.ends_with(".xml") {
            // The payloads' markup never appears as markup, whatever file it reaches.
            for needle in [
                "<script>alert",
                "<img src=x",
                // The payload's, not the theme's charts (`<svg class=timeline`, `<svg width=`).
                "<svg onload",
                "</textarea",
                "<iframe",
                "<b>double",
                "onerror=alert(1)>",
            ] {
                if text.contains(needle) {
                    violations.push(format!("{path}: contains {needle:?}"));
                }
            }
            assert!(!text.contains('\0'), "{path} has a NUL");
        }
    }
    assert!(pages > 30, "{pages} pages");
    let violations = except_404_base(violations, "https://example.org/");
    assert!(violations.is_empty(), "{violations:#?}");

    // Every cable was published (payloads are text, not reasons to drop a cable).
    assert!(
        err.contains(&format!("built {} cables", 2 * PAYLOADS.len() + 1)),
        "{err}"
    );

    // The payloads are shown as text: escaped once, not twice, and Tera syntax not evaluated.
    let all_html: String = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(all_html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(
        all_html.contains("&amp;lt;b&amp;gt;double"),
        "double-escape case"
    );
    assert!(
        all_html.contains("{{ 7*7 }}{% raw %}"),
        "Tera syntax kept as text"
    );
    assert!(!all_html.contains("&amp;amp;"), "escaped twice somewhere");

    // The payloads reached the fields they were put in (so the scan above tested something).
    for needle in [
        // Addressees are shown in the routing header (a facts row only holds one the header's
        // markup does not show as written).
        "SECSTATE &lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;",
        "AMEMBASSY \"&gt;&lt;IMG SRC=X ONERROR=ALERT(1)&gt;",
        "\nC. &lt;script&gt;alert(1)&lt;/script&gt;\nD. EMAIL ",
        "<h1><code>07EVIL0&lt;script&gt;alert(1)&lt;/script&gt;</code> SUBJECT &lt;script&gt;",
        // Tags are upper-cased when read.
        "<a href=../../../tag/_SCRIPT_ALERT_1___SCRIPT_.html>&lt;SCRIPT&gt;ALERT(1)&lt;/SCRIPT&gt;</a>",
        "Embassy &lt;script&gt;alert(1)&lt;/script&gt;</a>",
    ] {
        let near = needle.get(..12).and_then(|n| all_html.find(n)).map(|i| &all_html[i..(i + 300).min(all_html.len())]);
        assert!(all_html.contains(needle), "{needle} not found; near: {near:?}");
    }

    // The hostile mirror address is one attribute value, escaped.
    assert!(
        all_html
            .contains("href=\"https://mirror.example/%22%3E%3Cscript%3E07NOWHERE9?a=1&amp;b=2\""),
        "external link not found or not escaped"
    );

    // The Markdown page kept its harmless parts.
    let about = String::from_utf8_lossy(&files["pages/about.html"]).into_owned();
    assert!(about.contains("href=\"../tags.html\""), "{about}");
    assert!(about.contains("href=\"https://example.org/\""), "{about}");
    // Dangerous links lose their address and keep their text.
    assert!(
        about.contains("<a rel=\"noopener noreferrer\">a</a>"),
        "{about}"
    );
    assert!(
        !about.to_ascii_lowercase().contains("href=\"javascript"),
        "{about}"
    );

    // The feed and sitemap are well-formed enough: no raw `<` from input.
    for xml in ["feed.xml", "sitemap.xml"] {
        let text = String::from_utf8_lossy(&files[xml]);
        assert!(!text.contains("<script"), "{xml}");
    }
}

/// Addresses in site.toml go into attributes, XML and robots.txt unescaped by nature: quotes,
/// angle brackets, spaces and line breaks in them are refused with a message naming the key.
#[test]
fn hostile_addresses_in_site_toml_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    write_cables(dir.path(), &[("a.txt".into(), seed(1).into_bytes())]);
    for (key, value) in [
        (
            "base_url",
            "https://example.org/\\\"><script>alert(1)</script>",
        ),
        ("base_url", "https://example.org/\\nDisallow: /"),
        ("base_url", "https://example.org/ x"),
        ("external_cable_url", "https://m.example/{id}'><script>"),
        ("external_cable_url", "https://m.example/<{id}>"),
    ] {
        std::fs::write(
            dir.path().join("site.toml"),
            format!("{key} = \"{value}\"\n"),
        )
        .unwrap();
        let out = build(dir.path(), &[]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{value}: {err}");
        assert!(err.contains("site.toml") && err.contains(key), "{err}");
        assert!(!dir.path().join("public").exists());
    }
}

/// The shipped site (templates and CSS) works under its own CSP: no inline script, no style
/// attribute, no inline event handler, nothing loaded from elsewhere, on any page.
#[test]
fn the_default_site_keeps_its_content_security_policy() {
    let dir = tempfile::tempdir().unwrap();
    let content = generated(dir.path(), 60, 7);
    std::fs::create_dir_all(content.join("pages")).unwrap();
    for page in ["about.md", "how-to-read-a-cable.md"] {
        std::fs::copy(
            repo().join("content/pages").join(page),
            content.join("pages").join(page),
        )
        .unwrap();
    }
    std::fs::write(
        dir.path().join("site.toml"),
        "base_url = \"https://example.org/\"\n",
    )
    .unwrap();
    let out = build(dir.path(), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut violations = Vec::new();
    let files = tree(&dir.path().join("public"));
    for (path, bytes) in &files {
        if path.ends_with(".html") {
            violations.extend(html_violations(path, &String::from_utf8_lossy(bytes)));
        }
        if path.ends_with(".css") {
            let css = String::from_utf8_lossy(bytes);
            assert!(
                !css.contains("url(http") && !css.contains("@import"),
                "{path}"
            );
        }
    }
    let violations = except_404_base(violations, "https://example.org/");
    assert!(violations.is_empty(), "{violations:#?}");
}

/// The scanner itself catches what it must (so a passing test means something).
#[test]
fn the_scanner_sees_attacks() {
    let csp = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self';base-uri 'none'\">";
    assert!(html_violations("x", csp).is_empty());
    // A base URL inside the site, on a page whose CSP allows one, as listing pages have.
    let listing = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self';base-uri 'self'\"><base href=../cable/>";
    assert!(html_violations("x", listing).is_empty());
    for attack in [
        format!("{csp}<base href=../cable/>"),
        listing.replace("../cable/", "https://evil.example/"),
        listing.replace("../cable/", "//evil.example/"),
        listing.replace("<base href=../cable/>", ""),
    ] {
        assert!(!html_violations("x", &attack).is_empty(), "{attack}");
    }
    for attack in [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\" JaVaScRiPt:alert(1)\">x</a>",
        "<p style=\"color:red\">",
        "<iframe src=x>",
        "<script src=\"https://evil.example/x.js\"></script>",
        "<img src='https://evil.example/t.gif'>",
    ] {
        assert!(
            !html_violations("x", &format!("{csp}{attack}")).is_empty(),
            "{attack}"
        );
    }
    assert!(!html_violations("x", "<p>no csp</p>").is_empty());
    let weak = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self' 'unsafe-inline'\">";
    assert!(!html_violations("x", weak).is_empty());
}

/// The search index is scripts that the search page loads with `<script src>`: subjects with
/// `</script>`, quotes, backslashes and U+2028 must stay data. Node evaluates every file with a
/// stub `ArchiveSearch` and gives back the documents, which must equal the input.
#[test]
fn search_scripts_keep_hostile_strings_inert() {
    assert!(
        std::process::Command::new("node")
            .arg("--version")
            .output()
            .is_ok(),
        "this test runs the search scripts in Node.js: install Node.js 18 or newer"
    );
    let dir = tempfile::tempdir().unwrap();
    let subjects: Vec<String> = PAYLOADS
        .iter()
        .map(|p| p.to_string())
        .chain([
            "</script><script>alert(1)</script>".to_string(),
            "line\u{2028}sep\u{2029}para \\\" \\u0041 ${x} `tick`".to_string(),
            "\u{0}\u{1b}[31m".to_string(),
        ])
        .collect();
    let mut files = Vec::new();
    for (k, s) in subjects.iter().enumerate() {
        let text = table_cable(&format!("07EVIL{k}"), "Embassy Paris", &format!("S{k} {s}"));
        files.push((format!("{k}.txt"), text.into_bytes()));
    }
    let content = write_cables(dir.path(), &files);
    let corpus = archive::corpus::read(&content);
    assert_eq!(corpus.cables.len(), subjects.len());
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    archive::search::build(&corpus, &archive::config::SearchConfig::default(), &out).unwrap();

    let script = r#"
const fs = require('fs'), path = require('path'), vm = require('vm');
const docs = [], calls = {};
const ArchiveSearch = new Proxy({}, { get: (_, name) => (...args) => {
  calls[name] = (calls[name] || 0) + 1;
  if (name === 'docs') docs.push(...args[1]);
}});
const ctx = vm.createContext({ ArchiveSearch, window: {}, document: {} });
function walk(d) { for (const f of fs.readdirSync(d).sort()) {
  const p = path.join(d, f);
  if (fs.statSync(p).isDirectory()) walk(p);
  else if (p.endsWith('.js')) vm.runInContext(fs.readFileSync(p, 'utf8'), ctx, { filename: p });
}}
walk(process.argv[1]);
process.stdout.write(JSON.stringify({ calls, subjects: docs.map(d => d[4]) }));
"#;
    let node = std::process::Command::new("node")
        .arg("-e")
        .arg(script)
        .arg(out.join("search"))
        .output()
        .unwrap();
    assert!(
        node.status.success(),
        "a search script does not load: {}",
        String::from_utf8_lossy(&node.stderr)
    );
    let result: serde_json::Value = serde_json::from_slice(&node.stdout).unwrap();
    let mut got: Vec<String> = result["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    let mut want: Vec<String> = corpus
        .cables
        .iter()
        .map(|c| c.cable.subject.clone())
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "calls: {}", result["calls"]);
    assert!(want.iter().any(|s| s.contains("</script>")));
}

//! Shared helpers for the `hostile_*` tests: seed cables edited into attacks, the real binary
//! run on a folder, and scanners for what a reader (or an attacker) would look for in the output.

use std::path::{Path, PathBuf};

// The site tests' helpers for the repository folder and for reading a built tree, shared so
// both suites compare output the same way.
pub use crate::site_util::{repo, tree};
use std::process::{Command, Output};

/// The payloads every text field is tried with.
pub const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "</textarea><svg onload=alert(1)>",
    "{{ 7*7 }}{% raw %}",
    "&lt;b&gt;double&lt;/b&gt;",
    "' onmouseover='alert(1)",
];

/// A seed cable of `content/cables/` (`which`: 0–4). 1 has a header table, 4 is a raw telegram.
pub fn seed(which: usize) -> String {
    archive_dev::seed_text(which)
}

/// Seed 1 (header table, `07USNATO536`) with its identifier, origin and subject replaced.
pub fn table_cable(id: &str, origin: &str, subject: &str) -> String {
    let s = seed(1);
    let s = s.replacen("\n07USNATO536\n", &format!("\n{id}\n"), 1);
    let s = s.replacen("\nMission USNATO\n", &format!("\n{origin}\n"), 1);
    s.replace(
        "MISSILE DEFENSE: 9/25 EXECUTIVE WORKING GROUP-",
        &subject.replace('\n', " "),
    )
}

/// Writes `files` (name → bytes) under `dir/content/cables/`.
pub fn write_cables(dir: &Path, files: &[(String, Vec<u8>)]) -> PathBuf {
    let cables = dir.join("content/cables");
    std::fs::create_dir_all(&cables).unwrap();
    for (name, bytes) in files {
        std::fs::write(cables.join(name), bytes).unwrap();
    }
    dir.join("content")
}

/// Runs `archive ARGS` in `dir`.
pub fn archive(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_archive"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// `archive build` in `dir` with its `site.toml` (or the defaults), content/ → public/.
pub fn build(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build"];
    args.extend_from_slice(extra);
    archive(dir, &args)
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The tags of an HTML text: `(name, [(attribute, value)])`, lowercased names. Text is escaped
/// by the site, so every `<` followed by a letter or `/` starts a real tag.
pub fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(pos) = html[i..].find('<') {
        let start = i + pos + 1;
        i = start;
        if start >= b.len() || !(b[start].is_ascii_alphabetic() || b[start] == b'/') {
            continue;
        }
        let end = html[start..].find('>').map_or(b.len(), |e| start + e);
        let inner = &html[start..end];
        i = end;
        let mut chars = inner.char_indices().peekable();
        let mut name = String::new();
        while let Some(&(_, c)) = chars.peek() {
            if c.is_whitespace() || c == '>' {
                break;
            }
            name.push(c.to_ascii_lowercase());
            chars.next();
        }
        let mut attrs = Vec::new();
        loop {
            while chars
                .peek()
                .is_some_and(|&(_, c)| c.is_whitespace() || c == '/')
            {
                chars.next();
            }
            let mut attr = String::new();
            while let Some(&(_, c)) = chars.peek() {
                if c.is_whitespace() || c == '=' || c == '/' {
                    break;
                }
                attr.push(c.to_ascii_lowercase());
                chars.next();
            }
            if attr.is_empty() {
                if chars.next().is_none() {
                    break;
                }
                continue;
            }
            let mut value = String::new();
            if chars.peek().is_some_and(|&(_, c)| c == '=') {
                chars.next();
                match chars.peek().map(|&(_, c)| c) {
                    Some(q @ ('"' | '\'')) => {
                        chars.next();
                        for (_, c) in chars.by_ref() {
                            if c == q {
                                break;
                            }
                            value.push(c);
                        }
                    }
                    _ => {
                        while let Some(&(_, c)) = chars.peek() {
                            if c.is_whitespace() {
                                break;
                            }
                            value.push(c);
                            chars.next();
                        }
                    }
                }
            }
            attrs.push((attr, value));
        }
        out.push((name, attrs));
    }
    out
}

/// Decodes the few entities a browser would undo before reading a URL scheme.
fn unentity(s: &str) -> String {
    s.replace("&#58;", ":")
        .replace("&colon;", ":")
        .replace("&#x3a;", ":")
        .replace("&#x3A;", ":")
        .replace("&amp;", "&")
}

/// What is wrong with one HTML page from a security point of view: any element or attribute
/// that runs script, styles inline, loads from elsewhere, or a missing/weak CSP.
pub fn html_violations(path: &str, html: &str) -> Vec<String> {
    let mut bad = Vec::new();
    let csp: Vec<String> = tags(html)
        .into_iter()
        .filter(|(n, a)| {
            n == "meta"
                && a.iter().any(|(k, v)| {
                    k == "http-equiv" && v.eq_ignore_ascii_case("content-security-policy")
                })
        })
        .filter_map(|(_, a)| a.into_iter().find(|(k, _)| k == "content").map(|(_, v)| v))
        .collect();
    match csp.as_slice() {
        [policy] => {
            for weak in [
                "unsafe-inline",
                "unsafe-eval",
                "http:",
                "https:",
                "*",
                "data: 'self'",
            ] {
                if policy
                    .split(';')
                    .filter(|d| {
                        d.trim_start().starts_with("script-src")
                            || d.trim_start().starts_with("default-src")
                    })
                    .any(|d| d.contains(weak))
                {
                    bad.push(format!("{path}: CSP allows {weak}: {policy}"));
                }
            }
            if !policy.contains("default-src 'self'") && !policy.contains("default-src 'none'") {
                bad.push(format!(
                    "{path}: CSP has no restrictive default-src: {policy}"
                ));
            }
        }
        other => bad.push(format!("{path}: {} CSP meta tags", other.len())),
    }
    let mut has_base = false;
    for (name, attrs) in tags(html) {
        // The theme's own charts (`charts.rs`) are SVG with presentational attributes only; an
        // `<svg>` with anything else (`onload`) came from input.
        let chart = name == "svg"
            && attrs.iter().all(|(k, _)| {
                matches!(
                    k.to_ascii_lowercase().as_str(),
                    "class"
                        | "viewbox"
                        | "width"
                        | "height"
                        | "role"
                        | "aria-label"
                        | "aria-hidden"
                )
            });
        if matches!(
            name.as_str(),
            "iframe" | "object" | "embed" | "frame" | "svg" | "math" | "textarea" | "/textarea"
        ) && !chart
        {
            bad.push(format!("{path}: <{name}> element"));
        }
        // Listing pages set a base URL inside the site (`../cable/`); nothing else may, and only
        // a page whose CSP allows base-uri 'self' (and no other origin).
        if name == "base" {
            has_base = true;
            let href = attrs
                .iter()
                .find(|(k, _)| k == "href")
                .map(|(_, v)| v.as_str());
            let inside = href.is_some_and(|h| {
                !h.contains(':') && !h.starts_with('/') && h.chars().all(|c| c != '\\')
            });
            let allowed = csp.len() == 1 && csp[0].contains("base-uri 'self'");
            if !inside || !allowed || attrs.len() != 1 {
                bad.push(format!("{path}: <base> {attrs:?} with CSP {csp:?}"));
            }
        }
        if name == "script" {
            match attrs.iter().find(|(k, _)| k == "src") {
                Some((_, src)) if !src.contains(':') && !src.starts_with("//") => {}
                _ => bad.push(format!("{path}: inline or remote <script> {attrs:?}")),
            }
        }
        for (attr, value) in &attrs {
            if attr.starts_with("on") || attr == "style" || attr == "srcdoc" || attr == "formaction"
            {
                bad.push(format!("{path}: <{name} {attr}={value:?}>"));
            }
            if matches!(attr.as_str(), "href" | "src" | "action" | "xlink:href") {
                let v: String = unentity(value)
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                if v.starts_with("javascript:")
                    || v.starts_with("vbscript:")
                    || v.starts_with("data:text")
                {
                    bad.push(format!("{path}: <{name} {attr}={value:?}>"));
                }
                if name != "a"
                    && (v.starts_with("http:") || v.starts_with("https:") || v.starts_with("//"))
                {
                    bad.push(format!("{path}: <{name}> loads from elsewhere: {value:?}"));
                }
            }
        }
    }
    if !has_base && !csp.iter().all(|p| p.contains("base-uri 'none'")) {
        bad.push(format!("{path}: no <base> but the CSP allows one: {csp:?}"));
    }
    bad
}

/// Drops the findings that are by design: 404.html links with the configured `base_url`
/// (GitHub Pages serves it at any depth, so its links are absolute, to the site's own origin).
pub fn except_404_base(violations: Vec<String>, base_url: &str) -> Vec<String> {
    violations
        .into_iter()
        .filter(|v| {
            !(v.starts_with("404.html: ")
                && v.contains("loads from elsewhere: \"")
                && v.contains(&format!("\"{base_url}")))
        })
        .collect()
}

/// Builds `count` plain generated cables (layouts mixed) under `dir/content/cables`.
pub fn generated(dir: &Path, count: usize, seed: u64) -> PathBuf {
    let cables = dir.join("content/cables");
    let mut config = archive_dev::generate::GenConfig::new(count, seed);
    config.files_per_dir = 500;
    archive_dev::generate::generate(&config, &cables).unwrap();
    dir.join("content")
}

//! Markdown pages from `content/pages/*.md` ("About this archive", "How to read a cable").
//!
//! Rendered with pulldown-cmark, then sanitised with ammonia so that a page cannot inject script
//! (raw `<script>`, `on…=` attributes and `javascript:` links are dropped). Links written
//! relative to the site root (`tags.html`, `cable/2007/03/07PARIS1115.html`) are rewritten to be
//! relative to the page, which lives in `pages/`.

use super::links::{slug, Slugger};
use archive_cable::model::Problem;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use std::path::Path;

/// A page ready to be placed in the site.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// From the first level-1 heading, else the file name.
    pub title: String,
    /// Site path: `pages/about.html`.
    pub path: String,
    /// Sanitised HTML of the body.
    #[serde(skip)]
    pub html: String,
}

/// Reads and renders every `*.md` of `dir`, sorted by file name. No folder means no pages. A
/// file that cannot be read (or is not UTF-8) is a problem and is left out; a file whose name
/// had to be changed to be safe (`..md`, `été.md`, two names that differ only in case) is
/// reported with the name it got.
pub fn load(dir: &Path) -> (Vec<Page>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut files: Vec<_> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "md") && p.is_file())
            .collect(),
        Err(_) => return (Vec::new(), problems),
    };
    files.sort();
    let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut slugs = Slugger::default();
    let mut pages = Vec::new();
    for file in files {
        // As for cables: a link out of the folder (to /etc/passwd.md, say) is not published.
        if !std::fs::canonicalize(&file).is_ok_and(|f| f.starts_with(&root)) {
            problems.push(Problem::warning(
                &file,
                None,
                "a link to a place outside the pages folder: skipped",
            ));
            continue;
        }
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(e) => {
                problems.push(Problem::error(
                    &file,
                    None,
                    format!("page left out: cannot read as UTF-8 text: {e}"),
                ));
                continue;
            }
        };
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let wanted = stem.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_');
        let plain = slug(wanted);
        let stem = slugs.unique(plain.clone());
        let odd = wanted
            .chars()
            .any(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ' ')));
        if stem != plain || odd || wanted.is_empty() || archive_corpus::is_device_name(wanted) {
            problems.push(Problem::warning(
                &file,
                None,
                format!("page name {wanted:?} is not safe as a file name; the page is pages/{stem}.html"),
            ));
        }
        let (title, html) = render(&text, "../");
        pages.push(Page {
            title: title.unwrap_or_else(|| stem.replace('-', " ")),
            path: format!("pages/{stem}.html"),
            html,
        });
    }
    (pages, problems)
}

/// Markdown → sanitised HTML, with the text of the first `#` heading. Relative links get `root`
/// in front.
pub fn render(markdown: &str, root: &str) -> (Option<String>, String) {
    let mut title = None;
    let mut in_title = false;
    let mut title_text = String::new();
    let events = Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES)
        .map(|event| match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: rebase(dest_url, root),
                title,
                id,
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Image {
                link_type,
                dest_url: rebase(dest_url, root),
                title,
                id,
            }),
            other => other,
        })
        .inspect(|event| match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) if title.is_none() => in_title = true,
            Event::End(TagEnd::Heading(HeadingLevel::H1)) if in_title => {
                in_title = false;
                title = Some(std::mem::take(&mut title_text));
            }
            Event::Text(t) | Event::Code(t) if in_title => title_text.push_str(t),
            _ => {}
        });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    let clean = ammonia::Builder::default()
        .add_tag_attributes("h2", &["id"])
        .add_tag_attributes("h3", &["id"])
        .link_rel(Some("noopener noreferrer"))
        // An image from another site would be blocked by the pages' Content-Security-Policy
        // anyway (and would tell that site who reads the archive): it is dropped here.
        .attribute_filter(|element, attribute, value| {
            let remote = value.contains("//") || value.contains(':');
            if matches!(element, "img" | "source" | "video" | "audio")
                && attribute == "src"
                && remote
            {
                None
            } else {
                Some(value.into())
            }
        })
        .clean(&html)
        .to_string();
    (title, clean)
}

fn rebase<'a>(url: CowStr<'a>, root: &str) -> CowStr<'a> {
    let is_relative =
        !url.is_empty() && !url.starts_with('#') && !url.starts_with('/') && !url.contains(':');
    if is_relative {
        CowStr::from(format!("{root}{url}"))
    } else {
        url
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn markdown_is_sanitised_and_rebased() {
        let (title, html) = super::render(
            "# About\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) [t](tags.html) [e](https://example.org/)\n\n<img src=x onerror=alert(1)> <img src=\"https://t.example/p.gif\">",
            "../",
        );
        assert_eq!(title.as_deref(), Some("About"));
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(html.contains("href=\"../tags.html\""), "{html}");
        assert!(html.contains("https://example.org/"), "{html}");
        assert!(!html.contains("t.example"), "{html}");
    }
}

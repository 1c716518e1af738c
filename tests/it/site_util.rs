//! Shared helpers for the site tests: hand-made cables, a build into a temporary folder, and a
//! crawler that checks every link of a built site.

use archive::cable::{
    Block, BlockKind, Cable, CableId, Classification, DateTime, Layout, Level, Mention, Precision,
    Recipient, RecipientKind, Reference,
};
use archive::config::Config;
use archive::corpus::Loaded;
use archive::site::{self, BuildError, BuildOptions, BuildReport};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A plausible cable with a routing header, fields, two paragraphs and a signature.
pub fn cable(id: &str, year: u16, month: u8, day: u8) -> Cable {
    let routing = "VZCZCXRO8195\nOO RUEHDE\nDE RUEHNO #0577/01 2971509\nZNY CCCCC ZZH\nO 241509Z OCT 07\nFM USMISSION USNATO\nTO RUEHC/SECSTATE WASHDC IMMEDIATE 1311";
    let mut p2 = Block::new(
        BlockKind::Paragraph,
        30,
        "Allies discussed the proposal at length.",
    );
    p2.number = Some(2);
    p2.marking = Some("C".into());
    let mut p1 = Block::new(
        BlockKind::Paragraph,
        20,
        "Summary: the meeting went well. End summary.",
    );
    p1.number = Some(1);
    p1.marking = Some("C/NF".into());
    let mut subject = Block::new(BlockKind::Field, 15, "SUBJECT: TEST SUBJECT");
    subject.label = Some("SUBJECT".into());
    Cable {
        id: CableId(id.to_string()),
        created: DateTime::at_minute(year, month, day, 12, 0),
        precision: Precision::Minute,
        classification: Classification::new(Level::Confidential, None),
        origin: "Mission USNATO".into(),
        subject: format!("Subject of {id}"),
        tags: vec!["NATO".into(), "PREL".into(), "RS".into()],
        references: Vec::new(),
        references_block: None,
        sender: Some("USMISSION USNATO".into()),
        recipients: vec![Recipient {
            kind: RecipientKind::To,
            name: "SECSTATE WASHDC".into(),
            text: "RUEHC/SECSTATE WASHDC IMMEDIATE 1311".into(),
        }],
        classified_by: Some("Ambassador for reasons 1.4 (b),(d)".into()),
        declassification: Some("12958: DECL: 10/17/2017".into()),
        signer: Some("NULAND".into()),
        layout: Layout::RawTelegram,
        body: vec![
            Block::new(BlockKind::RoutingHeader, 1, routing),
            Block::new(
                BlockKind::ClassificationLine,
                10,
                "C O N F I D E N T I A L USNATO 000577",
            ),
            Block::new(BlockKind::Marker, 12, "SIPDIS"),
            subject,
            p1,
            Block::new(BlockKind::Heading, 25, "U.S. OFFERS FRESH PROPOSALS"),
            p2,
            Block::new(BlockKind::PageBreak, 35, "USNATO 00000577 002 OF 003"),
            Block::new(BlockKind::Signature, 40, "NULAND"),
        ],
        source: PathBuf::from(format!("/nonexistent/{id}.txt")),
        record: None,
        body_set_aside: None,
    }
}

/// Adds a lettered REF block citing `ids` (lettered A, B, …), a body paragraph that mentions
/// each as `REF X`, and a `reftels` mention of all of them.
pub fn cite(cable: &mut Cable, ids: &[&str]) {
    let mut ref_text = String::from("REF: ");
    let mut item_mentions = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let letter = ((b'A' + i as u8) as char).to_string();
        let station = id.trim_start_matches(|c: char| c.is_ascii_digit());
        let station: String = station
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        let serial: String = id
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let text = format!("{station} {serial}");
        ref_text.push_str(&format!("{letter}. "));
        // Each item is a mention of its reference where it is written, as the parser places it.
        item_mentions.push(Mention {
            start: ref_text.len(),
            end: ref_text.len() + text.len(),
            references: vec![i],
        });
        ref_text.push_str(&format!("{text}\n"));
        cable.references.push(Reference {
            label: Some(letter),
            text,
            id: Some(CableId(id.to_string())),
        });
    }
    let mut block = Block::new(BlockKind::Field, 16, ref_text.trim_end());
    block.label = Some("REF".into());
    block.mentions = item_mentions.into_boxed_slice();
    cable.body.insert(4, block);
    cable.references_block = Some(4);
    let mut text = String::new();
    let mut mentions = Vec::new();
    for i in 0..ids.len() {
        let letter = (b'A' + i as u8) as char;
        text.push_str("As reported in ");
        let start = text.len();
        text.push_str(&format!("REF {letter}"));
        mentions.push(Mention {
            start,
            end: text.len(),
            references: vec![i],
        });
        text.push_str(", things moved. ");
    }
    text.push_str("See ");
    let start = text.len();
    text.push_str("reftels");
    mentions.push(Mention {
        start,
        end: text.len(),
        references: (0..ids.len()).collect(),
    });
    text.push('.');
    let mut p = Block::new(BlockKind::Paragraph, 50, text);
    p.number = Some(3);
    p.marking = Some("S".into());
    p.mentions = mentions.into();
    cable.body.push(p);
}

/// The repository's folder (for its content/pages).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Builds the default archive as a new user does: the real binary, `archive build` in the
/// repository (its `site.toml` and `content/`), written to `out`.
pub fn build_default_archive(out: &Path) {
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_archive"))
        .current_dir(repo())
        .args(["build", "--quiet", "--output"])
        .arg(out)
        .status()
        .expect("run archive");
    assert!(
        status.success(),
        "archive build of the default archive failed"
    );
}

/// A config writing into `out`, with the repository's Markdown pages and no site overrides.
pub fn config(out: &Path) -> Config {
    Config {
        content_dir: repo().join("content"),
        output_dir: out.to_path_buf(),
        site_dir: out.parent().unwrap().join("no-site-overrides"),
        page_size: 3,
        ..Config::default()
    }
}

/// Builds hand-made cables.
pub fn build(cables: Vec<Cable>, config: &Config) -> Result<BuildReport, BuildError> {
    // `..Default::default()`: the other fields (problems, per-file summaries) stay empty.
    let loaded = Loaded {
        files_read: cables.len(),
        cables,
        ..Default::default()
    };
    let options = BuildOptions {
        quiet: true,
        verbose: false,
        cache: false,
    };
    site::Build::from_loaded(loaded, Duration::ZERO, config.clone())?.write(&options)
}

/// The paths of every file under `dir`, sorted (the cable files of a content folder, the pages
/// of a site).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// Every file under `root`, by `/`-separated relative path, with its bytes (none when `root`
/// does not exist, as after a build that was refused).
pub fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !root.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(root).unwrap();
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.insert(rel.join("/"), std::fs::read(entry.path()).unwrap());
        }
    }
    out
}

/// The values of every `attr="…"`, `attr='…'` and unquoted `attr=…` in `html` (pages leave
/// plain values unquoted, as HTML allows).
pub fn attributes<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(pos) = rest.find(&needle) {
        rest = &rest[pos + needle.len()..];
        let end = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => {
                rest = &rest[1..];
                rest.find(q).unwrap_or(rest.len())
            }
            _ => rest
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .unwrap_or(rest.len()),
        };
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

/// Crawls every HTML page of a built site: every `href`, `src` and form `action` that is not
/// external must name a file in the output (never a folder), and a `#fragment` must be an `id`
/// on the target page. Links resolve from the page's `<base href>` when it has one (as a browser
/// resolves them: a bare `#fragment` too). Returns the broken links as `page: link (why)`; also
/// the count checked.
pub fn crawl(root: &Path) -> (Vec<String>, usize) {
    let files = tree(root);
    let mut broken = Vec::new();
    let mut checked = 0;
    let mut ids_cache: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (page, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let mut html = String::from_utf8_lossy(bytes).into_owned();
        // `<base href=../cable/>`: links resolve as if from a file in that folder, and a link
        // that is only a fragment points at the base itself (a folder: broken).
        let mut from = page.clone();
        let mut base_dir = None;
        if let Some(start) = html.find("<base ") {
            let end = start + html[start..].find('>').unwrap() + 1;
            let href = attributes(&html[start..end], "href")[0].to_string();
            match resolve(page, &format!("{href}_")) {
                Some(f) => {
                    base_dir = Some(href);
                    from = f;
                }
                None => broken.push(format!("{page}: base {href} (leaves the site)")),
            }
            html.replace_range(start..end, "");
        }
        let mut links: Vec<&str> = attributes(&html, "href");
        links.extend(attributes(&html, "src"));
        links.extend(attributes(&html, "action"));
        for link in links {
            let link = link.replace("&amp;", "&");
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("data:")
                || link.starts_with("mailto:")
            {
                continue;
            }
            checked += 1;
            let (path, fragment) = match link.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (link.clone(), None),
            };
            let path = path.split('?').next().unwrap().to_string();
            let target = if path.is_empty() {
                if let Some(base) = &base_dir {
                    broken.push(format!("{page}: {link} (the base {base} is a folder)"));
                    continue;
                }
                page.clone()
            } else {
                if path.ends_with('/') || path.starts_with('/') {
                    broken.push(format!("{page}: {link} (folder or absolute)"));
                    continue;
                }
                match resolve(&from, &path) {
                    Some(t) => t,
                    None => {
                        broken.push(format!("{page}: {link} (leaves the site)"));
                        continue;
                    }
                }
            };
            if !files.contains_key(&target) {
                broken.push(format!("{page}: {link} (no file {target})"));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let ids = ids_cache.entry(target.clone()).or_insert_with(|| {
                    attributes(&String::from_utf8_lossy(&files[&target]), "id")
                        .into_iter()
                        .map(String::from)
                        .collect()
                });
                if !ids.contains(&fragment) {
                    broken.push(format!("{page}: {link} (no id {fragment} in {target})"));
                }
            }
        }
    }
    (broken, checked)
}

/// Resolves a relative link from a page to a site path; `None` when it climbs out of the site.
pub fn resolve(page: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for part in link.split('/') {
        match part {
            ".." => {
                parts.pop()?;
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

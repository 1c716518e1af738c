//! People, addressees and time (issue 14): the signer, classified-by and addressee listings, their
//! index pages, the timeline and the histograms by year. Checked on the seeds and on a generated
//! corpus against a recount over the parsed cables made here, with this file's own reading of
//! the fields (the generator writes `Classified By: <title> <First> <Last>, <reason>` or
//! `… <Last> for <reason>`; signatures and addressees are compared upper-cased), never against
//! the site's own grouping code. Every link must resolve, and a rebuild is byte-identical.

use crate::site_util::*;
use archive::cable::{Cable, Precision};
use archive::config::Config;
use archive_dev::generate::{generate, GenConfig};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The identifiers a listing shows, over all its pages (`to/x.html`, `to/x.2.html`, …).
fn listing_ids(out: &Path, first: &str) -> Vec<String> {
    let base = first.strip_suffix(".html").unwrap();
    let mut ids = Vec::new();
    for n in 1.. {
        let path = if n == 1 {
            format!("{base}.html")
        } else {
            format!("{base}.{n}.html")
        };
        let Ok(html) = std::fs::read_to_string(out.join(&path)) else {
            break;
        };
        for row in html.split("<tr><td><a href=").skip(1) {
            let id = row.split_once('>').unwrap().1.split_once("</a>").unwrap().0;
            ids.push(id.to_string());
        }
    }
    ids
}

/// The items of one section of an index page: (label, href, count).
fn index_items(html: &str, section: &str) -> Vec<(String, String, usize)> {
    let start = html
        .find(&format!("<section class=groups id={section} "))
        .unwrap_or_else(|| panic!("section {section}"));
    let body = &html[start..start + html[start..].find("</section>").unwrap()];
    body.split("<li><a href=")
        .skip(1)
        .map(|item| {
            let (href, rest) = item.split_once('>').unwrap();
            let (label, rest) = rest.split_once("</a> <span class=n>").unwrap();
            let count = rest.split_once("</span>").unwrap().0.parse().unwrap();
            (unescape(label), href.to_string(), count)
        })
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn upper_words(s: &str) -> String {
    s.to_uppercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// This test's own reading of a `Classified By:` line as the generator and the seeds write it
/// (`Ambassador Victoria Nuland, Reasons …`, `DCM Richard Olson for reasons …`): the name is
/// the two words before the joiner (`, ` or ` for `), upper-cased.
fn official_words(line: &str) -> Option<String> {
    let cut = [", ", " for "].iter().filter_map(|j| line.find(j)).min()?;
    let words: Vec<&str> = line[..cut].split_whitespace().collect();
    (words.len() >= 2).then(|| upper_words(&words[words.len() - 2..].join(" ")))
}

/// Identifiers by key, in corpus order (the order listings use).
type Recount = BTreeMap<String, Vec<String>>;

/// Recounts signers, officials and addressees over the cables in date order.
fn recount(cables: &[&Cable], official: impl Fn(&str) -> Option<String>) -> [Recount; 3] {
    let (mut signers, mut officials, mut addressees) =
        (Recount::new(), Recount::new(), Recount::new());
    for c in cables {
        let id = c.id.as_str().to_string();
        if let Some(s) = &c.signer {
            let key = upper_words(s.trim_matches(|ch: char| !ch.is_alphanumeric()));
            signers.entry(key).or_default().push(id.clone());
        }
        if let Some(key) = c.classified_by.as_deref().and_then(&official) {
            officials.entry(key).or_default().push(id.clone());
        }
        let names: BTreeSet<String> = c
            .recipients
            .iter()
            .map(|r| upper_words(if r.name.is_empty() { &r.text } else { &r.name }))
            .collect();
        for name in names {
            addressees.entry(name).or_default().push(id.clone());
        }
    }
    [signers, officials, addressees]
}

/// The parsed cables of a content folder, in the site's order (created, then identifier).
fn parsed(content: &Path) -> Vec<Cable> {
    let loaded = archive::corpus::load(&archive::corpus::cables_dir(content));
    let corpus = archive::corpus::link(loaded);
    corpus.cables.into_iter().map(|l| l.cable).collect()
}

/// Checks one index section against a recount: the same keys (by the label upper-cased), the
/// same counts, and each listing shows exactly the recounted cables in date order. Returns how
/// many listings were checked.
fn check_section(out: &Path, index: &str, section: &str, expected: &Recount) -> usize {
    let html = std::fs::read_to_string(out.join(index)).unwrap();
    let items = index_items(&html, section);
    let shown: BTreeMap<String, (String, usize)> = items
        .iter()
        .map(|(label, href, n)| (upper_words(label), (href.clone(), *n)))
        .collect();
    assert_eq!(
        shown.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "{index}#{section}: the people listed"
    );
    for (key, ids) in expected {
        let (href, count) = &shown[key];
        assert_eq!(*count, ids.len(), "{index}#{section}: count of {key}");
        assert_eq!(&listing_ids(out, href), ids, "{href}: the cables of {key}");
    }
    expected.len()
}

/// The timeline's bars: month file → count, from each bar's link and label.
fn timeline_bars(out: &Path) -> BTreeMap<String, usize> {
    let html = std::fs::read_to_string(out.join("timeline.html")).unwrap();
    let svg = &html[html.find("<svg class=timeline").unwrap()..html.find("</svg>").unwrap()];
    svg.split("<a href=")
        .skip(1)
        .map(|bar| {
            let (href, rest) = bar.split_once(' ').unwrap();
            let label = rest.split_once("aria-label=\"").unwrap().1;
            let count = label
                .split_once('"')
                .unwrap()
                .0
                .rsplit_once(": ")
                .unwrap()
                .1;
            (href.to_string(), count.parse().unwrap())
        })
        .collect()
}

/// Month file → count, recounted over the dated cables.
fn months_recount(cables: &[&Cable]) -> BTreeMap<String, usize> {
    let mut months = BTreeMap::new();
    for c in cables.iter().filter(|c| c.precision != Precision::Year) {
        *months
            .entry(format!(
                "month/{:04}-{:02}.html",
                c.created.year, c.created.month
            ))
            .or_default() += 1;
    }
    months
}

/// Year → count as a listing's histogram caption says it.
fn histogram(html: &str) -> BTreeMap<u16, usize> {
    let start = html.find("<figcaption>By year: ").expect("a histogram") + 21;
    let caption = &html[start..start + html[start..].find("</figcaption>").unwrap()];
    caption
        .split(", ")
        .map(|part| {
            let (year, n) = part.split_once(" <b>").unwrap();
            (
                year.parse().unwrap(),
                n.trim_end_matches("</b>").parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn seeds_people_addressees_and_timeline_match_a_recount() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let cables = parsed(&repo().join("content"));
    let config = Config {
        addressee_pages: true,
        ..config(&out)
    };
    build(cables.clone(), &config).unwrap();
    let refs: Vec<&Cable> = cables.iter().collect();
    // Richard Olson classified as DCM and as Charge: one official.
    let [signers, officials, addressees] = recount(&refs, official_words);
    assert!(
        signers.len() >= 3 && addressees.len() >= 3,
        "{signers:?} {addressees:?}"
    );
    check_section(&out, "people-az.html", "signed", &signers);
    check_section(&out, "people.html", "signed", &signers);
    check_section(&out, "to.html", "to", &addressees);
    check_section(&out, "to-az.html", "to", &addressees);
    assert!(!officials.is_empty());
    check_section(&out, "people.html", "classified", &officials);
    assert_eq!(timeline_bars(&out), months_recount(&refs));
    // Linked from the home page, and from each cable page's facts.
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    for page in ["timeline.html", "people.html", "to.html"] {
        assert!(
            home.contains(&format!("href=\"{page}\"")),
            "home links {page}"
        );
    }
    let first = &cables[0];
    let page = std::fs::read_to_string(out.join(format!(
        "cable/{:04}/{:02}/{}.html",
        first.created.year,
        first.created.month,
        first.id.as_str()
    )))
    .unwrap();
    // The telegram's own lines link: the TO line of the routing header, the Classified By
    // field, the signature. No facts row repeats them.
    let routing = &page[page.find("<pre class=routing>").unwrap()..];
    let routing = &routing[..routing.find("</pre>").unwrap()];
    assert!(
        routing.contains("RUEHC/<a href=../../../to/s/secstate-washdc.html>SECSTATE WASHDC</a>"),
        "{routing}"
    );
    assert!(
        page.contains(
            "<a href=../../../classifier/j/josiah-rosenblatt.html>Josiah Rosenblatt</a>, Reason 1"
        ),
        "{page}"
    );
    assert!(page.contains("<p class=sg><a href=../../../signer/s/stapleton.html>STAPLETON</a>"));
    assert!(!page.contains("<th>To<td>") && !page.contains("<th>Signed<td>"));
    let (broken, checked) = crawl(&out);
    assert!(broken.is_empty(), "{broken:#?}");
    assert!(checked > 100);
}

#[test]
fn a_generated_corpus_lists_each_person_and_addressee_exactly_and_rebuilds_identically() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let manifest = generate(&GenConfig::new(400, 14), &content.join("cables")).unwrap();
    let config = |out: &str| Config {
        content_dir: content.clone(),
        output_dir: dir.path().join(out),
        site_dir: dir.path().join("no-site-overrides"),
        page_size: 40,
        addressee_pages: true,
        ..Config::default()
    };
    let options = archive::site::BuildOptions {
        quiet: true,
        ..Default::default()
    };
    let report = archive::site::build(&config("a"), &options).unwrap();
    assert_eq!(report.cables, manifest.cables.len());
    let out = dir.path().join("a");
    let cables = parsed(&content);
    assert_eq!(cables.len(), manifest.cables.len());
    let refs: Vec<&Cable> = cables.iter().collect();
    let [signers, officials, addressees] = recount(&refs, official_words);
    // The generator's corpus has many people and addressees, some on several listing pages.
    assert!(signers.len() >= 20, "{}", signers.len());
    assert!(officials.len() >= 50, "{}", officials.len());
    assert!(addressees.values().any(|ids| ids.len() > 40));
    check_section(&out, "people.html", "signed", &signers);
    check_section(&out, "people-az.html", "classified", &officials);
    check_section(&out, "to.html", "to", &addressees);

    // Sorted by count on people.html and to.html, by name on the -az pages.
    for (page, section, by_count) in [
        ("people.html", "signed", true),
        ("people.html", "classified", true),
        ("to.html", "to", true),
        ("people-az.html", "signed", false),
        ("to-az.html", "to", false),
    ] {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        let items = index_items(&html, section);
        let ordered = items.windows(2).all(|w| {
            if by_count {
                w[0].2 >= w[1].2
            } else {
                upper_words(&w[0].0) <= upper_words(&w[1].0)
            }
        });
        assert!(ordered, "{page}#{section} order");
    }

    // The timeline's bars are the manifest's months (the generator's dates, not the parser's).
    let mut months: BTreeMap<String, usize> = BTreeMap::new();
    for c in manifest
        .cables
        .iter()
        .filter(|c| c.precision != Precision::Year)
    {
        *months
            .entry(format!("month/{}.html", &c.created[..7]))
            .or_default() += 1;
    }
    assert_eq!(timeline_bars(&out), months);
    assert_eq!(timeline_bars(&out), months_recount(&refs));

    // Histograms by year: a tag's, an origin's, a signer's and an addressee's listing say the
    // recounted years, on every page of the listing.
    let year_counts = |ids: &[String]| {
        let mut years: BTreeMap<u16, usize> = BTreeMap::new();
        for c in cables
            .iter()
            .filter(|c| ids.contains(&c.id.as_str().to_string()))
        {
            if c.created.year > 0 {
                *years.entry(c.created.year).or_default() += 1;
            }
        }
        years
    };
    let busiest = |r: &Recount| {
        r.iter()
            .max_by_key(|(k, ids)| (ids.len(), std::cmp::Reverse((*k).clone())))
            .map(|(k, ids)| (k.clone(), ids.clone()))
            .unwrap()
    };
    let (to_key, to_ids) = busiest(&addressees);
    let to_html = std::fs::read_to_string(out.join("to.html")).unwrap();
    let to_href = index_items(&to_html, "to")
        .into_iter()
        .find(|(l, _, _)| upper_words(l) == to_key)
        .unwrap()
        .1;
    let to_first = std::fs::read_to_string(out.join(&to_href)).unwrap();
    assert_eq!(histogram(&to_first), year_counts(&to_ids), "{to_href}");
    let to_second = std::fs::read_to_string(out.join(to_href.replace(".html", ".2.html"))).unwrap();
    assert_eq!(
        histogram(&to_second),
        year_counts(&to_ids),
        "page 2 of {to_href}"
    );
    let (signer_key, signer_ids) = busiest(&signers);
    let people = std::fs::read_to_string(out.join("people.html")).unwrap();
    let signer_href = index_items(&people, "signed")
        .into_iter()
        .find(|(l, _, _)| upper_words(l) == signer_key)
        .unwrap()
        .1;
    let signer_page = std::fs::read_to_string(out.join(&signer_href)).unwrap();
    assert_eq!(histogram(&signer_page), year_counts(&signer_ids));
    let tag = &cables[0].tags[0];
    let tag_ids: Vec<String> = cables
        .iter()
        .filter(|c| c.tags.contains(tag))
        .map(|c| c.id.as_str().to_string())
        .collect();
    let tag_page = std::fs::read_to_string(out.join(format!("tag/{tag}.html"))).unwrap();
    assert_eq!(histogram(&tag_page), year_counts(&tag_ids), "tag {tag}");
    let month_page = std::fs::read_to_string(out.join(months.keys().next().unwrap())).unwrap();
    assert!(
        !month_page.contains("<figure class=hist>"),
        "a month is one year"
    );

    let (broken, checked) = crawl(&out);
    assert!(broken.is_empty(), "{broken:#?}");
    assert!(checked > 10_000, "{checked}");

    archive::site::build(&config("b"), &options).unwrap();
    assert!(
        tree(&out) == tree(&dir.path().join("b")),
        "two builds of the same corpus differ"
    );
}

#[test]
fn without_addressee_pages_the_default_archive_links_people_and_leaves_addressees_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_default_archive(&out);
    assert!(!out.join("to.html").exists() && !out.join("to").exists());
    let cables = parsed(&repo().join("content"));
    let refs: Vec<&Cable> = cables.iter().collect();
    let [signers, officials, _] = recount(&refs, official_words);
    check_section(&out, "people.html", "signed", &signers);
    check_section(&out, "people-az.html", "classified", &officials);
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!home.contains("href=\"to.html\""));
    // The routing header shows every addressee as written, unlinked, and no row repeats them.
    for c in &cables {
        let page = std::fs::read_to_string(out.join(format!(
            "cable/{:04}/{:02}/{}.html",
            c.created.year,
            c.created.month,
            c.id.as_str()
        )))
        .unwrap();
        assert!(!page.contains("/to/"), "{}", c.id.as_str());
        if let Some(r) = c.recipients.first() {
            assert!(page.contains(&r.name), "{}: {}", c.id.as_str(), r.name);
            assert!(!page.contains("<th>To<td>"));
        }
    }
    let (broken, _) = crawl(&out);
    assert!(broken.is_empty(), "{broken:#?}");
}

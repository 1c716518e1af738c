//! The reference graph (issue 14): `refs/missing.html` lists exactly the cited cables that are
//! not in the archive, with their citers; `refs/most-cited.html` the most-cited ones in it; each
//! cable page's "Conversation" is the two-step neighbourhood along references. Every figure is
//! checked against a recount over the generator's manifest (what each generated cable cites) or
//! over the parsed cables' own REF items, never against the graph code's output.

use crate::site_util::*;
use archive_dev::generate::{generate, GenConfig, Manifest};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// The text of an HTML fragment without its tags, entities `&amp;` and `&lt;` undone.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The texts of the `<a …>…</a>` links of a fragment, in order.
fn link_texts(html: &str) -> Vec<String> {
    html.split("<a ")
        .skip(1)
        .map(|s| {
            let s = &s[s.find('>').unwrap() + 1..];
            text_of(&s[..s.find("</a>").unwrap()])
        })
        .collect()
}

/// The rows of the table body of a page, each as its cells' HTML.
fn rows(html: &str) -> Vec<Vec<String>> {
    let Some((_, body)) = html.split_once("<tbody>") else {
        return Vec::new();
    };
    let body = &body[..body.find("</table>").unwrap()];
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            row.split("<td")
                .skip(1)
                .map(|c| c[c.find('>').unwrap() + 1..].trim_end().to_string())
                .collect()
        })
        .collect()
}

/// One row of the missing listing: identifier, marked as left out by the filter, count, citers.
#[derive(Debug, PartialEq)]
struct MissingRow {
    id: String,
    left_out: bool,
    count: usize,
    citers: Vec<String>,
}

/// Every row of every page of `refs/missing*.html`, following the "Next" links.
fn missing_rows(out: &Path) -> Vec<MissingRow> {
    let mut result = Vec::new();
    let mut page = "refs/missing.html".to_string();
    let mut seen = BTreeSet::new();
    loop {
        assert!(seen.insert(page.clone()), "the pager loops at {page}");
        let html = std::fs::read_to_string(out.join(&page)).unwrap();
        for cells in rows(&html) {
            assert_eq!(cells.len(), 3, "{page}: {cells:?}");
            let left_out = cells[0].contains("left out by the filter");
            let id = text_of(cells[0].split(" <small>").next().unwrap());
            result.push(MissingRow {
                id,
                left_out,
                count: cells[1].parse().unwrap(),
                citers: link_texts(&cells[2]),
            });
        }
        // The pager's links resolve from `<base href=../cable/>`: `../refs/missing.2.html`.
        let next = html
            .split("<a rel=next href=")
            .nth(1)
            .map(|s| s[..s.find('>').unwrap()].to_string());
        match next {
            Some(link) => page = resolve("cable/x.html", &link).unwrap(),
            None => break,
        }
    }
    result
}

/// The rows of `refs/most-cited.html`: (count, identifier).
fn most_cited_rows(out: &Path) -> Vec<(usize, String)> {
    let html = std::fs::read_to_string(out.join("refs/most-cited.html")).unwrap();
    rows(&html)
        .into_iter()
        .map(|cells| {
            assert_eq!(cells.len(), 5, "{cells:?}");
            (text_of(&cells[4]).parse().unwrap(), text_of(&cells[0]))
        })
        .collect()
}

/// A recount of the reference graph over (identifier, date, cited identifiers) triples: the
/// missing identifiers with their distinct citers, the in-archive ones with theirs, and the
/// undirected neighbourhood of each cable.
struct Recount {
    /// Identifier → date (sortable ISO text), for the archive's cables.
    dates: BTreeMap<String, String>,
    missing: BTreeMap<String, BTreeSet<String>>,
    cited: BTreeMap<String, BTreeSet<String>>,
    neighbours: BTreeMap<String, BTreeSet<String>>,
}

impl Recount {
    fn new(cables: &[(String, String, Vec<String>)]) -> Recount {
        let dates: BTreeMap<String, String> = cables
            .iter()
            .map(|(id, date, _)| (id.clone(), date.clone()))
            .collect();
        assert_eq!(dates.len(), cables.len(), "identifiers are unique");
        let mut missing: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut cited: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut neighbours: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (id, _, references) in cables {
            for r in references {
                if dates.contains_key(r) {
                    cited.entry(r.clone()).or_default().insert(id.clone());
                    if r != id {
                        neighbours.entry(id.clone()).or_default().insert(r.clone());
                        neighbours.entry(r.clone()).or_default().insert(id.clone());
                    }
                } else {
                    missing.entry(r.clone()).or_default().insert(id.clone());
                }
            }
        }
        Recount {
            dates,
            missing,
            cited,
            neighbours,
        }
    }

    fn from_manifest(manifest: &Manifest) -> Recount {
        let cables: Vec<_> = manifest
            .cables
            .iter()
            .map(|c| (c.id.clone(), c.created.clone(), c.references.clone()))
            .collect();
        Recount::new(&cables)
    }

    /// Breadth first, two steps: (first step, second step), neither holding `id`.
    fn bfs(&self, id: &str) -> (BTreeSet<String>, BTreeSet<String>) {
        let empty = BTreeSet::new();
        let first = self.neighbours.get(id).unwrap_or(&empty).clone();
        let mut second = BTreeSet::new();
        for n in &first {
            for m in self.neighbours.get(n).unwrap_or(&empty) {
                if m != id && !first.contains(m) {
                    second.insert(m.clone());
                }
            }
        }
        (first, second)
    }

    /// The missing listing as it must read: most-cited first, then by identifier.
    fn expected_missing(&self, left_out: &BTreeSet<String>) -> Vec<MissingRow> {
        let mut rows: Vec<MissingRow> = self
            .missing
            .iter()
            .map(|(id, citers)| {
                let mut citers: Vec<String> = citers.iter().cloned().collect();
                // The citers in date order (then identifier, as the corpus sorts).
                citers.sort_by_key(|c| (self.dates[c].clone(), c.clone()));
                MissingRow {
                    id: id.clone(),
                    left_out: left_out.contains(id),
                    count: citers.len(),
                    citers,
                }
            })
            .collect();
        rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.id.cmp(&b.id)));
        rows
    }

    /// The most-cited page as it must read: by count, then date, then identifier; at most 500.
    fn expected_most_cited(&self) -> Vec<(usize, String)> {
        let mut rows: Vec<(usize, String)> = self
            .cited
            .iter()
            .map(|(id, citers)| (citers.len(), id.clone()))
            .collect();
        rows.sort_by_key(|(count, id)| {
            (
                std::cmp::Reverse(*count),
                self.dates[id].clone(),
                id.clone(),
            )
        });
        rows.truncate(500);
        rows
    }
}

/// What a cable page's "Conversation" section shows: the listed identifiers in order (the cable
/// itself included), which are bold (the first step), and the "and N more" count.
#[derive(Debug)]
struct Talk {
    listed: Vec<String>,
    bold: BTreeSet<String>,
    more: usize,
}

fn talk(html: &str) -> Option<Talk> {
    let section = html.split("<section class=talk").nth(1)?;
    let section = &section[..section.find("</section>").unwrap()];
    let list = &section[section.find("<ol>").unwrap() + 4..section.find("</ol>").unwrap()];
    let mut listed = Vec::new();
    let mut bold = BTreeSet::new();
    for item in list.split("<li").skip(1) {
        let item = &item[item.find('>').unwrap() + 1..];
        let id = text_of(item).split(' ').next().unwrap().to_string();
        if item.starts_with("<b>") {
            bold.insert(id.clone());
        }
        listed.push(id);
    }
    let more = section
        .split("<p>and ")
        .nth(1)
        .map(|s| {
            s.trim_start_matches("at least ")
                .split(' ')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .unwrap_or(0);
    Some(Talk { listed, bold, more })
}

/// Checks every cable page's conversation against the recount's breadth-first search.
fn check_conversations(out: &Path, recount: &Recount, pages: &[(String, String)]) -> usize {
    let mut with_talk = 0;
    for (id, page) in pages {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        let (first, second) = recount.bfs(id);
        let Some(talk) = talk(&html) else {
            assert!(
                second.is_empty(),
                "{id}: no conversation, but {second:?} are two steps away"
            );
            continue;
        };
        with_talk += 1;
        assert!(
            !second.is_empty(),
            "{id}: a conversation with no second step"
        );
        let others: Vec<&String> = talk.listed.iter().filter(|l| *l != id).collect();
        assert_eq!(talk.listed.len(), others.len() + 1, "{id} listed once");
        // Listed and counted: the whole two-step neighbourhood.
        assert_eq!(
            others.len() + talk.more,
            first.len() + second.len(),
            "{id}: {talk:?}"
        );
        for other in &others {
            assert!(
                first.contains(*other) || second.contains(*other),
                "{id}: {other} is not within two steps"
            );
            assert_eq!(
                talk.bold.contains(*other),
                first.contains(*other),
                "{id}: {other}"
            );
        }
        // At most five others (the page's cap), the first step before the second.
        assert!(others.len() <= SHOWN, "{id}");
        if first.len() + second.len() <= SHOWN {
            let listed: BTreeSet<&String> = others.iter().copied().collect();
            let all: BTreeSet<&String> = first.iter().chain(&second).collect();
            assert_eq!(listed, all, "{id}");
        } else if first.len() >= SHOWN {
            assert!(others.iter().all(|o| first.contains(*o)), "{id}: {talk:?}");
        }
        // In date order.
        let dates: Vec<(&String, &String)> =
            talk.listed.iter().map(|l| (&recount.dates[l], l)).collect();
        assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{id}: {dates:?}");
    }
    with_talk
}

/// How many other cables a conversation shows before "and N more".
const SHOWN: usize = 5;

fn generated_site(count: usize, seed: u64, filter_years: &[u16]) -> (tempfile::TempDir, Manifest) {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let manifest = generate(&GenConfig::new(count, seed), &content.join("cables")).unwrap();
    let out = dir.path().join("public");
    let mut config = config(&out);
    config.content_dir = content;
    config.page_size = 40;
    config.filter.years = filter_years.to_vec();
    archive::site::build(&config, &archive::site::BuildOptions::default()).unwrap();
    (dir, manifest)
}

#[test]
fn missing_most_cited_and_conversations_match_a_recount_of_the_manifest() {
    let (dir, manifest) = generated_site(600, 7, &[]);
    let out = dir.path().join("public");
    let recount = Recount::from_manifest(&manifest);

    let expected = recount.expected_missing(&BTreeSet::new());
    assert!(expected.len() > 80, "{} missing", expected.len());
    // Paginated: 40 rows a page.
    assert!(out.join("refs/missing.3.html").exists());
    let shown = missing_rows(&out);
    assert_eq!(shown.len(), expected.len());
    for (s, e) in shown.iter().zip(&expected) {
        assert_eq!(s, e);
    }
    // The generator's cables outside the corpus are each cited once; the subset test below has
    // missing cables cited several times, which puts the order by count to the test.

    let most = most_cited_rows(&out);
    assert_eq!(most, recount.expected_most_cited());
    assert!(most.len() > 50 && most[0].0 > 2, "{:?}", &most[..3]);

    let pages: Vec<(String, String)> = manifest
        .cables
        .iter()
        .map(|c| {
            let (y, m) = (&c.created[..4], &c.created[5..7]);
            (c.id.clone(), format!("cable/{y}/{m}/{}.html", c.id))
        })
        .collect();
    for (_, page) in &pages {
        assert!(out.join(page).exists(), "{page}");
    }
    let with_talk = check_conversations(&out, &recount, &pages);
    assert!(with_talk > 100, "{with_talk} cables show a conversation");

    // The home page leads to both pages, with their counts.
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("href=\"refs/missing.html\""), "{home}");
    assert!(home.contains("href=\"refs/most-cited.html\""), "{home}");
    assert!(home.contains(&format!(
        "{} cables cited but not in this archive",
        expected.len()
    )));
    assert!(home.contains(&format!(
        "{} cables cited by others here",
        recount.cited.len()
    )));

    let (broken, checked) = crawl(&out);
    assert!(checked > 10_000, "{checked}");
    assert!(broken.is_empty(), "{broken:#?}");
}

/// A subset archive: the cables the filter left out are listed as missing (the kept cables cite
/// them) and marked as left out; the ones the full set never had are not.
#[test]
fn a_subset_marks_the_cables_its_filter_left_out() {
    let full = generate(&GenConfig::new(600, 7), tempfile::tempdir().unwrap().path()).unwrap();
    let mut years: BTreeMap<u16, usize> = BTreeMap::new();
    for c in &full.cables {
        *years.entry(c.created[..4].parse().unwrap()).or_default() += 1;
    }
    // The busiest year: many of its cables cite cables of other years.
    let year = *years.iter().max_by_key(|(_, n)| **n).unwrap().0;
    let (dir, manifest) = generated_site(600, 7, &[year]);
    let out = dir.path().join("public");
    let kept: Vec<_> = manifest
        .cables
        .iter()
        .filter(|c| c.created.starts_with(&year.to_string()))
        .map(|c| (c.id.clone(), c.created.clone(), c.references.clone()))
        .collect();
    let dropped: BTreeSet<String> = manifest
        .cables
        .iter()
        .filter(|c| !c.created.starts_with(&year.to_string()))
        .map(|c| c.id.clone())
        .collect();
    let recount = Recount::new(&kept);
    let expected = recount.expected_missing(&dropped);
    let marked = expected.iter().filter(|r| r.left_out).count();
    assert!(
        marked > 5 && marked < expected.len(),
        "{marked} of {}",
        expected.len()
    );
    assert!(expected[0].count > 1, "some missing cable is cited twice");
    assert_eq!(missing_rows(&out), expected);
    let first = std::fs::read_to_string(out.join("refs/missing.html")).unwrap();
    assert!(
        first.contains(&format!(
            "{marked} of them are in the full set but were left out by the filter"
        )),
        "{first}"
    );
    let (broken, _) = crawl(&out);
    assert!(broken.is_empty(), "{broken:#?}");
}

/// The seeds (the default archive, built as a user does): missing and most-cited recounted from
/// the parsed cables' REF items, every link resolving, and two builds byte-identical.
#[test]
fn the_default_archive_lists_its_missing_cables_and_rebuilds_identically() {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one");
    let two = dir.path().join("two");
    build_default_archive(&one);
    build_default_archive(&two);
    assert_eq!(tree(&one), tree(&two));

    let corpus = archive::corpus::read(&repo().join("content"));
    let cables: Vec<(String, String, Vec<String>)> = corpus
        .cables
        .iter()
        .map(|l| {
            (
                l.cable.id.as_str().to_string(),
                l.cable.created.iso(),
                l.cable
                    .references
                    .iter()
                    .filter_map(|r| r.id.as_ref().map(|id| id.as_str().to_string()))
                    .collect(),
            )
        })
        .collect();
    let recount = Recount::new(&cables);
    let expected = recount.expected_missing(&BTreeSet::new());
    assert!(
        !expected.is_empty(),
        "the seeds cite cables they do not hold"
    );
    assert_eq!(missing_rows(&one), expected);
    assert_eq!(most_cited_rows(&one), recount.expected_most_cited());
    let pages: Vec<(String, String)> = corpus
        .cables
        .iter()
        .map(|l| (l.cable.id.as_str().to_string(), l.page.clone()))
        .collect();
    check_conversations(&one, &recount, &pages);
    let (broken, _) = crawl(&one);
    assert!(broken.is_empty(), "{broken:#?}");
}

/// A hand-made chain A ← B ← C ← D plus E citing B: the conversation of A is B (one step), C and
/// E (two steps), never D (three); D's is C, then B; B's bolds A, C and E and adds D. A pair
/// F ← G has no second step, so no section.
#[test]
fn a_conversation_stops_two_steps_out() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let a = cable("07USNATO1", 2007, 1, 1);
    let mut b = cable("07USNATO2", 2007, 2, 1);
    cite(&mut b, &["07USNATO1"]);
    let mut c = cable("07USNATO3", 2007, 3, 1);
    cite(&mut c, &["07USNATO2"]);
    let mut d = cable("07USNATO4", 2007, 4, 1);
    cite(&mut d, &["07USNATO3"]);
    let mut e = cable("07USNATO5", 2007, 5, 1);
    cite(&mut e, &["07USNATO2", "07USNATO99"]);
    let f = cable("07USNATO6", 2007, 6, 1);
    let mut g = cable("07USNATO7", 2007, 7, 1);
    cite(&mut g, &["07USNATO6"]);
    build(vec![a, b, c, d, e, f, g], &config(&out)).unwrap();
    let talk_of = |id: &str, month: u8| {
        let html =
            std::fs::read_to_string(out.join(format!("cable/2007/{month:02}/{id}.html"))).unwrap();
        talk(&html)
    };
    let t = talk_of("07USNATO1", 1).unwrap();
    assert_eq!(
        t.listed,
        ["07USNATO1", "07USNATO2", "07USNATO3", "07USNATO5"]
    );
    assert_eq!(t.bold, BTreeSet::from(["07USNATO2".to_string()]));
    let t = talk_of("07USNATO4", 4).unwrap();
    assert_eq!(t.listed, ["07USNATO2", "07USNATO3", "07USNATO4"]);
    let t = talk_of("07USNATO2", 2).unwrap();
    assert_eq!(
        t.listed,
        [
            "07USNATO1",
            "07USNATO2",
            "07USNATO3",
            "07USNATO4",
            "07USNATO5"
        ]
    );
    let bold: BTreeSet<String> = ["07USNATO1", "07USNATO3", "07USNATO5"]
        .map(String::from)
        .into();
    assert_eq!(t.bold, bold);
    assert_eq!(t.more, 0);
    assert!(talk_of("07USNATO6", 6).is_none());
    assert!(talk_of("07USNATO7", 7).is_none());
    let counts: HashMap<String, usize> = missing_rows(&out)
        .into_iter()
        .map(|r| (r.id, r.count))
        .collect();
    assert_eq!(counts, HashMap::from([("07USNATO99".to_string(), 1)]));
}

/// A cable next to a hub cited by more cables than a conversation may follow: the walk stops at
/// its bound (a page must not cost the size of the archive) but still shows part of the second
/// step, and the page says "at least".
#[test]
fn a_conversation_next_to_a_huge_hub_is_bounded() {
    use archive::site::graph::{conversation, CONVERSATION_WORK};
    let n = CONVERSATION_WORK + 50;
    let hub = cable("07USNATO1", 2007, 1, 1);
    let mut cables = vec![hub];
    for k in 0..n {
        let mut c = cable(&format!("07USNATO{}", k + 2), 2007, 2, 1);
        cite(&mut c, &["07USNATO1"]);
        cables.push(c);
    }
    let corpus = archive::corpus::link(archive::corpus::Loaded {
        files_read: cables.len(),
        cables,
        ..Default::default()
    });
    let one = corpus.by_id[&archive::cable::CableId("07USNATO2".into())];
    let talk = conversation(&corpus, one);
    assert_eq!(talk.first.len(), 1, "the hub");
    assert!(talk.cut);
    // Every other citer of the hub is two steps away; the walk kept a bounded part of them.
    assert!(!talk.second.is_empty() && talk.second.len() <= CONVERSATION_WORK);
    assert!(talk.second.len() < n - 1);
    let hub = corpus.by_id[&archive::cable::CableId("07USNATO1".into())];
    assert!(talk.second.iter().all(|&i| i != one && i != hub));
}

//! Listings: by tag, by month of creation, by origin, by classification; their index pages
//! (`tags.html`, `months.html`, `origins.html`, `classifications.html`); and the home page.
//!
//! Every listing page lives one folder deep (`tag/PREL.html`, `tag/PREL.2.html`,
//! `month/2007-03.html`), so a cable's row is the same HTML on every listing that shows it: rows
//! are rendered once per cable, in parallel, and pages are concatenations of rows. Pagination
//! shows a window of page links, so no page grows with the size of the archive.

use super::escape::push_text;
use super::links::{paginated, slug, Slugger};
use super::output::Output;
use super::{cable_page::subject_or_placeholder, templates, BuildError, Site};
use archive_cable::model::{Cable, Classification, Problem};
use archive_corpus::{safe_stem, Corpus, LinkedCable};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One listing: the cables that share a tag, a month, an origin or a classification.
#[derive(Debug)]
pub struct Group {
    /// What the cables share, as shown: `PREL`, `2007-03`, `Embassy Paris`, `SECRET//NOFORN`.
    pub label: String,
    /// A second line: the tag's meaning, the month's name.
    pub note: Option<String>,
    /// Site path of the listing without `.html`: `tag/PREL`.
    pub base: String,
    /// Indices into `Corpus::cables`, in date order.
    pub members: Vec<usize>,
}

/// A kind of listing and its groups, sorted for display.
#[derive(Debug)]
pub struct Kind {
    /// Folder of the listing pages: `tag`.
    pub folder: &'static str,
    /// The index page: `tags.html`.
    pub index: &'static str,
    /// Title of the index page: `Tags`.
    pub title: &'static str,
    /// The listings of this kind, sorted by key.
    pub groups: Vec<Group>,
    /// Group key (tag, origin, …) → index in `groups`.
    lookup: HashMap<String, usize>,
}

impl Kind {
    fn page_of(&self, key: &str) -> String {
        match self.lookup.get(key) {
            Some(&i) => format!("{}.html", self.groups[i].base),
            None => self.index.to_string(),
        }
    }
}

/// Every listing of the site. Computed before the cable pages, which link to them.
#[derive(Debug)]
pub struct Groups {
    /// By tag: `tag/<TAG>.html`.
    pub tags: Kind,
    /// By month of creation: `month/YYYY-MM.html`, grouped by year on `months.html`.
    pub months: Kind,
    /// By year of creation: `year/YYYY.html`, linked from the year headings of `months.html`.
    pub years: Kind,
    /// By sending post: `origin/<slug>.html`.
    pub origins: Kind,
    /// By classification label: `classification/<slug>.html`.
    pub classifications: Kind,
    /// Tags and origins whose listing file had to get another name, each reported once (with
    /// the first cable that has it).
    pub problems: Vec<Problem>,
}

use archive_cable::model::MONTH_NAMES as MONTHS;

impl Groups {
    /// Groups the corpus. One pass over the cables; keys sorted; slugs handed out in sorted order,
    /// so the file names do not depend on anything but the input.
    pub fn new(corpus: &Corpus, vocabulary: &super::tags::Vocabulary) -> Groups {
        let mut tags: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut months: BTreeMap<(u16, u8), Vec<usize>> = BTreeMap::new();
        let mut years: BTreeMap<u16, Vec<usize>> = BTreeMap::new();
        let mut origins: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut classes: BTreeMap<Classification, Vec<usize>> = BTreeMap::new();
        for (i, linked) in corpus.cables.iter().enumerate() {
            let c = &linked.cable;
            for t in &c.tags {
                tags.entry(t.as_str()).or_default().push(i);
            }
            months
                .entry((c.created.year, c.created.month))
                .or_default()
                .push(i);
            years.entry(c.created.year).or_default().push(i);
            origins.entry(c.origin.as_str()).or_default().push(i);
            classes.entry(c.classification).or_default().push(i);
        }
        let mut problems = Vec::new();
        let mut slugs = Slugger::default();
        let tags = kind(
            "tag",
            "tags.html",
            "Tags",
            tags.into_iter().map(|(t, m)| {
                let stem = slugs.unique(safe_stem(t));
                if stem != t {
                    problems.push(Problem::warning(
                        corpus.cables[m[0]].cable.source.clone(),
                        None,
                        format!(
                            "tag {t:?} is not safe as a file name; its listing is tag/{stem}.html"
                        ),
                    ));
                }
                (
                    t.to_string(),
                    t.to_string(),
                    vocabulary.meaning(t).map(String::from),
                    stem,
                    m,
                )
            }),
        );
        let months = kind(
            "month",
            "months.html",
            "Dates",
            months.into_iter().map(|((y, m), members)| {
                let key = format!("{y:04}-{m:02}");
                let name = MONTHS
                    .get(usize::from(m).wrapping_sub(1))
                    .copied()
                    .unwrap_or("?");
                (
                    key.clone(),
                    key.clone(),
                    Some(format!("{name} {y}")),
                    key,
                    members,
                )
            }),
        );
        let years = kind(
            "year",
            "months.html",
            "Dates",
            years.into_iter().map(|(y, members)| {
                let key = format!("{y:04}");
                (key.clone(), key.clone(), None, key, members)
            }),
        );
        let mut slugs = Slugger::default();
        let origins = kind(
            "origin",
            "origins.html",
            "Origins",
            origins.into_iter().map(|(o, m)| {
                let label = if o.trim().is_empty() {
                    "(unknown origin)"
                } else {
                    o
                };
                let plain = slug(label);
                let stem = slugs.unique(plain.clone());
                if stem != plain {
                    problems.push(Problem::warning(
                        corpus.cables[m[0]].cable.source.clone(),
                        None,
                        format!("origin {o:?} would share a file name with another origin; its listing is origin/{stem}.html"),
                    ));
                }
                (o.to_string(), label.to_string(), None, stem, m)
            }),
        );
        let classifications = kind(
            "classification",
            "classifications.html",
            "Classifications",
            classes
                .into_iter()
                .map(|(c, m)| (c.label(), c.label(), None, c.slug(), m)),
        );
        Groups {
            tags,
            months,
            years,
            origins,
            classifications,
            problems,
        }
    }

    /// Site path of a tag's first listing page.
    pub fn tag_page(&self, tag: &str) -> String {
        self.tags.page_of(tag)
    }

    /// Site path of an origin's first listing page.
    pub fn origin_page(&self, origin: &str) -> String {
        self.origins.page_of(origin)
    }

    /// Site path of a month's first listing page.
    pub fn month_page(&self, year: u16, month: u8) -> String {
        self.months.page_of(&format!("{year:04}-{month:02}"))
    }

    /// Site path of a classification's first listing page.
    pub fn classification_page(&self, c: Classification) -> String {
        self.classifications.page_of(&c.label())
    }

    /// Site path of a year's first listing page.
    pub fn year_page(&self, year: u16) -> String {
        self.years.page_of(&format!("{year:04}"))
    }

    /// All kinds, in the order the site presents them.
    pub fn kinds(&self) -> [&Kind; 5] {
        [
            &self.months,
            &self.years,
            &self.tags,
            &self.origins,
            &self.classifications,
        ]
    }
}

type Entry = (String, String, Option<String>, String, Vec<usize>);

fn kind(
    folder: &'static str,
    index: &'static str,
    title: &'static str,
    entries: impl Iterator<Item = Entry>,
) -> Kind {
    let mut groups = Vec::new();
    let mut lookup = HashMap::new();
    for (key, label, note, stem, members) in entries {
        lookup.insert(key, groups.len());
        groups.push(Group {
            label,
            note,
            base: format!("{folder}/{stem}"),
            members,
        });
    }
    Kind {
        folder,
        index,
        title,
        groups,
        lookup,
    }
}

/// A cable's row in a listing table, linking `href` (the cable's page as the page that shows
/// the row resolves it: see [`LISTING_BASE`]). Terse, since it is repeated in every listing that shows the
/// cable: no end tags (HTML closes a cell at the next cell, a row at the next row), the page path
/// unquoted (letters, digits, `-`, `.` and `/` only), the classification abbreviated (`C//NF`,
/// explained by the legend above each table) with the level as a one- or two-letter class
/// ([`level_class`]), and no origin (the identifier names the station).
pub fn row_html(href: &str, linked: &LinkedCable) -> String {
    let cable: &Cable = &linked.cable;
    let mut out = String::with_capacity(100 + cable.subject.len());
    out.push_str("<tr><td><a href=");
    out.push_str(href);
    out.push('>');
    push_text(&mut out, cable.id.as_str());
    out.push_str("</a><td>");
    push_text(&mut out, subject_or_placeholder(cable));
    out.push_str("<td>");
    out.push_str(&cable.created.display()[..10]);
    match level_class(cable.classification.level) {
        "" => out.push_str("<td>"),
        class => {
            out.push_str("<td class=");
            out.push_str(class);
            out.push('>');
        }
    }
    out.push_str(&cable.classification.abbreviation());
    out.push('\n');
    out
}

/// Appends a row made by [`row_html`] without the cells numbered in `left_out` (0: identifier,
/// 1: subject, 2: date, 3: classification). Cells start at `<td`, which escaped text never
/// contains.
fn push_row(out: &mut String, row: &str, left_out: &[usize]) {
    if left_out.is_empty() {
        out.push_str(row);
        return;
    }
    let body = row.strip_suffix('\n').unwrap_or(row);
    let mut start = body.find("<td").unwrap_or(body.len());
    out.push_str(&body[..start]);
    let mut cell = 0;
    while start < body.len() {
        let end = body[start + 3..]
            .find("<td")
            .map_or(body.len(), |e| start + 3 + e);
        if !left_out.contains(&cell) {
            out.push_str(&body[start..end]);
        }
        start = end;
        cell += 1;
    }
    out.push('\n');
}

/// The class of a listing's classification cell, which colours its dot, and of a cable page's
/// banners (`assets/style.css`): `c`, `s`, `ts`; none for unclassified, the default.
pub fn level_class(level: archive_cable::model::Level) -> &'static str {
    use archive_cable::model::Level;
    match level {
        Level::Unclassified => "",
        Level::Confidential => "c",
        Level::Secret => "s",
        Level::TopSecret => "ts",
    }
}

/// The base URL of every listing page (`<base href>`, `templates/base.html`): listing pages are
/// one folder deep, like `cable/`, so links to the site's other pages read the same from there
/// (`../tags.html`), and each row's link is nine bytes shorter (`2007/03/07PARIS1115.html`
/// instead of `../cable/2007/03/07PARIS1115.html`). Links within the page itself (the pager, the
/// skip link) name the page (`../tag/PREL.2.html`).
pub const LISTING_BASE: &str = "../cable/";

/// Writes every listing page and the index pages.
pub fn write(site: &Site, out: &Output) -> Result<(), BuildError> {
    let rows: Vec<String> = site
        .corpus
        .cables
        .par_iter()
        .map(|linked| {
            let href = match linked.page.strip_prefix("cable/") {
                Some(inside) => inside.to_string(),
                None => format!("../{}", linked.page),
            };
            row_html(&href, linked)
        })
        .collect();
    let page_size = site.config.page_size;
    let mut jobs = Vec::new();
    for kind in site.groups.kinds() {
        out.create_dir(kind.folder).map_err(io)?;
        if kind.folder == "year" {
            continue; // a year's page indexes its months: `write_years`
        }
        for group in &kind.groups {
            let pages = group.members.len().div_ceil(page_size).max(1);
            for n in 1..=pages {
                jobs.push((kind, group, n, pages));
            }
        }
    }
    jobs.par_iter().try_for_each(|&(kind, group, n, pages)| {
        let members = &group.members[(n - 1) * page_size..(n * page_size).min(group.members.len())];
        let size: usize = members.iter().map(|&i| rows[i].len()).sum();
        let mut body = String::with_capacity(size);
        // A listing by classification leaves out the column all its rows share; a tag's
        // listing, the most repeated of all (a cable is in one per tag), leaves out the date,
        // which its rows' order and identifiers (`07PARIS1115`: 2007) already give.
        let level_shared = kind.folder == "classification";
        let dated = kind.folder != "tag";
        let left_out: &[usize] = match (level_shared, dated) {
            (true, _) => &[3],
            (false, false) => &[2],
            (false, true) => &[],
        };
        for &i in members {
            push_row(&mut body, &rows[i], left_out);
        }
        let mut context = site.base_context.clone();
        context.insert("root", "../");
        context.insert("heading", &heading(kind, group));
        // A tag's meaning; a month's name is already in the heading.
        context.insert(
            "meaning",
            &group.note.as_ref().filter(|_| kind.folder == "tag"),
        );
        context.insert("count", &group.members.len());
        context.insert("page", &n);
        context.insert("page_count", &pages);
        context.insert("index_href", kind.index);
        context.insert("index_title", kind.title);
        context.insert("pager", &pager(&group.base, n, pages));
        // Links resolve from `cable/` (`<base href>`), so the page names itself from there.
        context.insert("base", LISTING_BASE);
        context.insert("here", &format!("../{}", paginated(&group.base, n)));
        context.insert("shared", &level_shared.then_some("classification"));
        context.insert("dated", &dated);
        context.insert("rows", &body);
        let html = templates::render(&site.theme, "listing.html", &context)?;
        out.write(&paginated(&group.base, n), html.as_bytes())
            .map_err(io)
    })?;
    for kind in site.groups.kinds() {
        // Years share the months' index page (`months.html`, one section per year).
        if kind.folder != "year" {
            write_index(site, out, kind)?;
        }
    }
    write_years(site, out)
}

/// Writes `year/YYYY.html`: the year's months, each with its count and a link to its listing.
/// The cables themselves are listed once, by month: listing them again by year would add a
/// row per cable to the site for nothing the month pages do not show.
fn write_years(site: &Site, out: &Output) -> Result<(), BuildError> {
    let months = &site.groups.months.groups;
    site.groups.years.groups.par_iter().try_for_each(|year| {
        let items: Vec<Item> = months
            .iter()
            .filter(|m| m.label.split('-').next() == Some(year.label.as_str()))
            .map(|m| Item {
                label: m.note.clone().unwrap_or_else(|| m.label.clone()),
                href: format!("../{}.html", m.base),
                count: m.members.len(),
                note: None,
            })
            .collect();
        let sections = [Section {
            id: None,
            title: None,
            href: None,
            count: items.len(),
            compact: false,
            items,
        }];
        let count = year.members.len();
        let mut context = site.base_context.clone();
        context.insert("root", "../");
        context.insert("heading", &format!("Cables of {}", year.label));
        context.insert(
            "intro",
            &format!(
                "{count} cable{} created in {}, by month (UTC).",
                if count == 1 { "" } else { "s" },
                year.label
            ),
        );
        context.insert("index_href", site.groups.years.index);
        context.insert("index_title", site.groups.years.title);
        context.insert("sections", &sections);
        let html = templates::render(&site.theme, "groups.html", &context)?;
        out.write(&format!("{}.html", year.base), html.as_bytes())
            .map_err(io)
    })
}

fn heading(kind: &Kind, group: &Group) -> String {
    match kind.folder {
        "tag" => format!("Tag {}", group.label),
        "month" | "year" => format!(
            "Cables of {}",
            group.note.clone().unwrap_or_else(|| group.label.clone())
        ),
        "origin" => format!("Cables from {}", group.label),
        _ => format!("{} cables", group.label),
    }
}

/// Links to the first, previous, nearby, next and last pages: constant size whatever the count.
/// As seen from [`LISTING_BASE`]: `../tag/PREL.2.html`.
fn pager(base: &str, n: usize, pages: usize) -> String {
    if pages <= 1 {
        return String::new();
    }
    let file = |k: usize| format!("../{}", paginated(base, k));
    let mut out = String::from("<nav class=pager aria-label=Pages>");
    if n > 1 {
        out.push_str(&format!("<a rel=prev href={}>← Previous</a>", file(n - 1)));
    }
    let window = 3;
    let mut shown_gap = false;
    for k in 1..=pages {
        let near = k == 1 || k == pages || k.abs_diff(n) <= window;
        if !near {
            if !shown_gap {
                out.push_str("<span class=gap>…</span>");
                shown_gap = true;
            }
            continue;
        }
        shown_gap = false;
        if k == n {
            out.push_str(&format!("<span aria-current=page>{k}</span>"));
        } else {
            out.push_str(&format!("<a href={}>{k}</a>", file(k)));
        }
    }
    if n < pages {
        out.push_str(&format!("<a rel=next href={}>Next →</a>", file(n + 1)));
    }
    out.push_str("</nav>");
    out
}

/// An index that lists every group of its kind in one section (tags, origins, classifications).
fn flat_section(kind: &Kind) -> Vec<Section> {
    vec![Section {
        id: None,
        title: None,
        href: None,
        count: kind.groups.len(),
        compact: false,
        items: kind.groups.iter().map(item).collect(),
    }]
}

#[derive(Serialize)]
struct Section {
    id: Option<String>,
    title: Option<String>,
    /// Where the title links: the year's own listing.
    href: Option<String>,
    count: usize,
    compact: bool,
    items: Vec<Item>,
}

#[derive(Serialize)]
struct Item {
    label: String,
    href: String,
    count: usize,
    note: Option<String>,
}

fn item(group: &Group) -> Item {
    Item {
        label: group.label.clone(),
        href: format!("{}.html", group.base),
        count: group.members.len(),
        note: group.note.clone(),
    }
}

fn write_index(site: &Site, out: &Output, kind: &Kind) -> Result<(), BuildError> {
    let (intro, sections) = match kind.folder {
        "month" => {
            let mut years: BTreeMap<&str, Vec<&Group>> = BTreeMap::new();
            for g in &kind.groups {
                years.entry(&g.label[..4]).or_default().push(g);
            }
            let sections = years
                .into_iter()
                .rev()
                .map(|(year, groups)| Section {
                    id: Some(format!("y{year}")),
                    title: Some(year.to_string()),
                    href: year
                        .parse()
                        .ok()
                        .map(|y| site.groups.year_page(y)),
                    count: groups.iter().map(|g| g.members.len()).sum(),
                    compact: true,
                    items: groups
                        .into_iter()
                        .map(|g| Item {
                            note: None,
                            label: g
                                .note
                                .as_deref()
                                .and_then(|n| n.split(' ').next())
                                .unwrap_or(&g.label)
                                .to_string(),
                            ..item(g)
                        })
                        .collect(),
                })
                .collect();
            ("Cables by year and month of creation (UTC).", sections)
        }
        "tag" => (
            "Subject, program, organisation and country tags (TAGS line). Country codes are the State Department's two-letter codes, not ISO codes.",
            flat_section(kind),
        ),
        "origin" => (
            "The embassy, consulate, mission or office that sent the cable.",
            flat_section(kind),
        ),
        _ => (
            "Classification as marked on the cable, from least to most restricted.",
            flat_section(kind),
        ),
    };
    let mut context = site.base_context.clone();
    context.insert("root", "");
    context.insert(
        "heading",
        &format!("Browse by {}", kind.title.to_lowercase()),
    );
    context.insert("intro", intro);
    context.insert("sections", &sections);
    let html = templates::render(&site.theme, "groups.html", &context)?;
    out.write(kind.index, html.as_bytes()).map_err(io)
}

/// Number of newest cables on the home page.
const NEWEST: usize = 20;

/// Writes `index.html`: counts, entry points to every listing, the newest cables.
pub fn write_home(site: &Site, out: &Output) -> Result<(), BuildError> {
    let cables = &site.corpus.cables;
    let newest: String = cables
        .iter()
        .rev()
        .take(NEWEST)
        .map(|linked| row_html(&linked.page, linked))
        .collect();
    let years: std::collections::BTreeSet<u16> =
        cables.iter().map(|c| c.cable.created.year).collect();
    let counts = serde_json::json!({
        "cables": cables.len(),
        "first": years.first().map(|y| y.to_string()).unwrap_or_default(),
        "last": years.last().map(|y| y.to_string()).unwrap_or_default(),
        "years": years.len(),
        "months": site.groups.months.groups.len(),
        "tags": site.groups.tags.groups.len(),
        "origins": site.groups.origins.groups.len(),
    });
    let levels: Vec<_> = site
        .groups
        .classifications
        .groups
        .iter()
        .map(|g| serde_json::json!({"label": g.label, "count": g.members.len()}))
        .collect();
    let mut context = site.base_context.clone();
    context.insert("root", "");
    context.insert("counts", &counts);
    context.insert("levels", &levels);
    context.insert("newest", &newest);
    context.insert("home", &true);
    let html = templates::render(&site.theme, "home.html", &context)?;
    out.write("index.html", html.as_bytes()).map_err(io)
}

fn io(e: std::io::Error) -> BuildError {
    BuildError(e.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn pager_is_windowed() {
        let p = super::pager("tag/PREL", 50, 600);
        assert!(p.contains("href=../tag/PREL.html>"));
        assert!(p.contains("href=../tag/PREL.600.html>"));
        assert!(p.contains("href=../tag/PREL.49.html>"));
        assert!(!p.contains("PREL.10.html"));
        assert!(p.len() < 1000);
        assert_eq!(super::pager("tag/X", 1, 1), "");
    }

    #[test]
    fn rows_abbreviate_the_classification() {
        use archive_cable::model::Classification;
        let abbreviations: Vec<String> = Classification::ALL
            .iter()
            .map(Classification::abbreviation)
            .collect();
        assert_eq!(
            abbreviations,
            ["U", "U//FOUO", "C", "C//NF", "S", "S//NF", "TS", "TS//NF"]
        );
    }
}

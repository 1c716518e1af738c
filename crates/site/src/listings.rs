//! Listing pages rendered from the model of [`super::groups`]: by tag, by month of creation,
//! by origin, by classification, the year pages; their index pages (`tags.html`, `months.html`,
//! `origins.html`, `classifications.html`); and the home page.
//!
//! Every listing page lives one folder deep (`tag/PREL.html`, `tag/PREL.2.html`,
//! `month/2007-03.html`), so a cable's row is the same HTML on every listing that shows it: rows
//! are rendered once per cable, in parallel, and pages are concatenations of rows. Pagination
//! shows a window of page links, so no page grows with the size of the archive.

use super::escape::push_text;
use super::groups::{Group, Grouping, ListingKind};
use super::links::paginated;
use super::output::Output;
use super::pager::pager;
use super::present::{level_class, subject_or_placeholder};
use super::{map, templates, BuildError, Site};
use archive_cable::model::Cable;
use archive_corpus::LinkedCable;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

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
    crate::cable_page::push_short_date(&mut out, cable);
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
    // A kind with no group (addressees when `addressee_pages` is off) gets no folder.
    for grouping in site.groups.all() {
        if !grouping.groups.is_empty() {
            out.create_dir(grouping.kind.folder())?;
        }
    }
    // People and addressees live one folder further down (`to/s/secstate-washdc.html`).
    let subfolders: std::collections::BTreeSet<&str> = site
        .groups
        .all()
        .into_iter()
        .flat_map(|g| &g.groups)
        .filter_map(|g| g.base.rsplit_once('/').map(|(dir, _)| dir))
        .collect();
    for dir in subfolders {
        out.create_dir(dir)?;
    }
    // Each listing's histogram by year, drawn once for all its pages (month listings have none:
    // a month is within one year).
    let years: Vec<u16> = site
        .corpus
        .cables
        .iter()
        .map(|c| c.cable.created.year)
        .collect();
    let charts: std::collections::HashMap<&str, String> = jobs_groups(site)
        .par_iter()
        .map(|group| {
            let years = super::charts::years_of(&years, &group.members);
            (group.base.as_str(), super::charts::year_histogram(&years))
        })
        .collect();
    let jobs = pages(site);
    jobs.par_iter().try_for_each(|&(kind, group, n, pages)| {
        let members = &group.members[(n - 1) * page_size..(n * page_size).min(group.members.len())];
        let size: usize = members.iter().map(|&i| rows[i].len()).sum();
        let mut body = String::with_capacity(size);
        // A listing by classification leaves out the column all its rows share. Every
        // listing shows the date (tag listings too: the 1.7 × budget has room for it).
        let level_shared = kind == ListingKind::Classification;
        let left_out: &[usize] = if level_shared { &[3] } else { &[] };
        for &i in members {
            push_row(&mut body, &rows[i], left_out);
        }
        let mut context = site.base_context.clone();
        context.insert("root", "../");
        context.insert("heading", &heading(kind, group));
        // A tag's meaning, an official's titles, an addressee's TO and INFO counts; a month's
        // name is already in the heading.
        context.insert(
            "meaning",
            &group.note.as_ref().filter(|_| {
                matches!(
                    kind,
                    ListingKind::Tag | ListingKind::Classifier | ListingKind::Addressee
                )
            }),
        );
        context.insert("chart", charts.get(group.base.as_str()).map_or("", |c| c));
        context.insert("count", &group.members.len());
        context.insert("page", &n);
        context.insert("page_count", &pages);
        context.insert("index_href", kind.index_page());
        context.insert("index_title", kind.title());
        context.insert("pager", &pager(&group.base, n, pages));
        // Links resolve from `cable/` (`<base href>`), so the page names itself from there.
        // A listing one folder further down (`to/s/…`) reaches `cable/` one step further up.
        let depth = group.base.matches('/').count();
        let base = format!("{}{}", "../".repeat(depth - 1), LISTING_BASE);
        context.insert("base", &base);
        context.insert("here", &format!("../{}", paginated(&group.base, n)));
        context.insert("shared", &level_shared.then_some("classification"));
        context.insert("dated", &true);
        context.insert("rows", &body);
        let html = templates::render(&site.theme, "listing.html", &context)?;
        out.write(&paginated(&group.base, n), html.as_bytes())
    })?;
    for grouping in site.groups.all() {
        // Years share the months' index page (`months.html`, one section per year); people
        // and addressees have theirs ([`super::people::write_indexes`]).
        if !matches!(
            grouping.kind,
            ListingKind::Year
                | ListingKind::Signer
                | ListingKind::Classifier
                | ListingKind::Addressee
        ) {
            write_index(site, out, grouping)?;
        }
    }
    super::people::write_indexes(site, out)?;
    write_years(site, out)
}

/// The groups whose listing pages show a histogram by year: all but months and years.
fn jobs_groups(site: &Site) -> Vec<&Group> {
    site.groups
        .all()
        .into_iter()
        .filter(|g| !matches!(g.kind, ListingKind::Month | ListingKind::Year))
        .flat_map(|g| &g.groups)
        .collect()
}

/// Every page of every listing by tag, month, origin and classification, as (kind, group, page
/// number, page count). Year pages are not among them: a year's page indexes its months
/// ([`write_years`]).
fn pages(site: &Site) -> Vec<(ListingKind, &Group, usize, usize)> {
    let mut jobs = Vec::new();
    for grouping in site.groups.all() {
        if grouping.kind == ListingKind::Year {
            continue;
        }
        for group in &grouping.groups {
            let pages = group.members.len().div_ceil(site.config.page_size).max(1);
            for n in 1..=pages {
                jobs.push((grouping.kind, group, n, pages));
            }
        }
    }
    jobs
}

/// The site path of every file [`write()`] writes into the listing folders (`tag/PREL.2.html`,
/// `year/2007.html`, …). `archive serve` removes the other files of those folders after a
/// rebuild, the listings of a tag or a page that is gone.
pub fn page_paths(site: &Site) -> std::collections::BTreeSet<String> {
    let mut paths: std::collections::BTreeSet<String> = pages(site)
        .into_iter()
        .map(|(_, group, n, _)| paginated(&group.base, n))
        .collect();
    paths.extend(
        site.groups
            .years
            .groups
            .iter()
            .map(|year| format!("{}.html", year.base)),
    );
    paths
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
        context.insert("index_href", ListingKind::Year.index_page());
        context.insert("index_title", ListingKind::Year.title());
        context.insert("sections", &sections);
        let html = templates::render(&site.theme, "groups.html", &context)?;
        out.write(&format!("{}.html", year.base), html.as_bytes())
    })
}

/// The heading of a group's listing page: `Tag PREL`, `Cables of March 2007`.
fn heading(kind: ListingKind, group: &Group) -> String {
    match kind {
        ListingKind::Tag => format!("Tag {}", group.label),
        ListingKind::Month | ListingKind::Year => format!(
            "Cables of {}",
            group.note.clone().unwrap_or_else(|| group.label.clone())
        ),
        ListingKind::Origin => format!("Cables from {}", group.label),
        ListingKind::Classification => format!("{} cables", group.label),
        ListingKind::Signer => format!("Cables signed {}", group.label),
        ListingKind::Classifier => format!("Cables classified by {}", group.label),
        ListingKind::Addressee => format!("Cables to {}", group.label),
    }
}

/// An index that lists every group of its kind in one section (tags, origins, classifications).
fn flat_section(grouping: &Grouping) -> Vec<Section> {
    vec![Section {
        id: None,
        title: None,
        href: None,
        count: grouping.groups.len(),
        compact: false,
        items: grouping.groups.iter().map(item).collect(),
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

fn write_index(site: &Site, out: &Output, grouping: &Grouping) -> Result<(), BuildError> {
    let kind = grouping.kind;
    let (intro, sections) = match kind {
        ListingKind::Month | ListingKind::Year => {
            let mut years: BTreeMap<&str, Vec<&Group>> = BTreeMap::new();
            for g in &grouping.groups {
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
                            // The month's name alone (`March`); month 00 holds the cables whose
                            // text gives no date (its page says so in full).
                            label: if g.label.ends_with("-00") {
                                "Undated".to_string()
                            } else {
                                g.note
                                    .as_deref()
                                    .and_then(|n| n.split(' ').next())
                                    .unwrap_or(&g.label)
                                    .to_string()
                            },
                            ..item(g)
                        })
                        .collect(),
                })
                .collect();
            ("Cables by year and month of creation (UTC).", sections)
        }
        ListingKind::Tag => (
            "Subject, program, organisation and country tags (TAGS line). Country codes are the State Department's two-letter codes, not ISO codes.",
            flat_section(grouping),
        ),
        ListingKind::Origin => (
            "The embassy, consulate, mission or office that sent the cable.",
            flat_section(grouping),
        ),
        ListingKind::Classification => (
            "Classification as marked on the cable, from least to most restricted.",
            flat_section(grouping),
        ),
        // Written by `people::write_indexes`.
        ListingKind::Signer | ListingKind::Classifier | ListingKind::Addressee => return Ok(()),
    };
    let mut context = site.base_context.clone();
    context.insert("root", "");
    context.insert(
        "heading",
        &format!("Browse by {}", kind.title().to_lowercase()),
    );
    context.insert("intro", intro);
    context.insert("sections", &sections);
    if kind == ListingKind::Origin {
        context.insert("figure", &origin_map(site, grouping)?);
    }
    if kind == ListingKind::Month {
        context.insert("timeline", &true);
    }
    if kind == ListingKind::Classification {
        context.insert("legend", &true);
    }
    let html = templates::render(&site.theme, "groups.html", &context)?;
    out.write(kind.index_page(), html.as_bytes())
}

/// The map of posts for the origins index ([`crate::map`]). An origin's place is that of the
/// station most of its cables' identifiers name (`05LIMA583` → `LIMA`; ties go to the first
/// token in byte order), looked up in the site's gazetteer: the identifier is what the cable
/// itself says, where the origin's display name is only a label.
fn origin_map(site: &Site, grouping: &Grouping) -> Result<Option<String>, BuildError> {
    let gazetteer = site.config.gazetteer()?;
    let posts: Vec<map::Post> = grouping
        .groups
        .iter()
        .map(|group| {
            let mut stations: BTreeMap<&str, usize> = BTreeMap::new();
            for &i in &group.members {
                if let Some(token) = site.corpus.cables[i].cable.id.station() {
                    *stations.entry(token).or_default() += 1;
                }
            }
            let station = stations
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(token, _)| *token);
            let at = station
                .and_then(|token| gazetteer.station(token))
                .and_then(|s| Some((s.lat?, s.lon?)));
            map::Post {
                label: group.label.clone(),
                href: format!("{}.html", group.base),
                count: group.members.len(),
                at,
            }
        })
        .collect();
    Ok(map::figure(&posts))
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
        "signers": site.groups.signers.groups.len(),
        "classifiers": site.groups.classifiers.groups.len(),
        "addressees": site.groups.addressees.groups.len(),
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
    context.insert("refs", &super::graph::counts(site));
    context.insert("home", &true);
    let html = templates::render(&site.theme, "home.html", &context)?;
    out.write("index.html", html.as_bytes())
}

#[cfg(test)]
mod tests {
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

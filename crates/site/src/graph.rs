//! The reference graph: which cables cite which, seen as a whole.
//!
//! Three things a researcher asks of it, none of which one cable page answers:
//! - which cables the archive cites but does not hold (`refs/missing.html`, paginated, most-cited
//!   first, each with the cables that cite it; in a subset archive, the ones the `[filter]` left
//!   out are marked as such, since the reader can get them by building without the filter);
//! - which of its cables are cited most (`refs/most-cited.html`, the top [`MOST_CITED`]);
//! - the conversation a cable belongs to: the cables it cites and that cite it, two steps out, in
//!   date order ([`conversation`], shown compactly on the cable page by [`conversation_html`]).
//!
//! The pages live one folder deep (`refs/`) with `<base href=../cable/>`, like every listing, so
//! rows link cables by their short path and the pager of [`super::pager`] works unchanged.
//! Everything here is computed from the linked corpus when it is written and then dropped: the
//! build holds nothing for it beyond [`Site::left_out`].

use super::escape::{push_escaped, push_text};
use super::links::{paginated, relative};
use super::listings::LISTING_BASE;
use super::output::Output;
use super::pager::pager;
use super::{templates, BuildError, Site};
use archive_cable::model::{Cable, CableId};
use archive_corpus::{Corpus, LinkedCable};
use rayon::prelude::*;
use std::collections::BTreeSet;

/// The folder of the reference-graph pages.
pub const FOLDER: &str = "refs";
/// The listing of cited cables that are not in the archive (`refs/missing.html`, then
/// `refs/missing.2.html`, …).
pub const MISSING_BASE: &str = "refs/missing";
/// The page of the most-cited cables of the archive.
pub const MOST_CITED_PAGE: &str = "refs/most-cited.html";
/// How many cables the most-cited page lists: enough to see who the archive's hubs are, one
/// page long whatever the size of the archive.
pub const MOST_CITED: usize = 500;
/// How many cables of a conversation a cable page names; the others are counted ("and 7
/// more"), so the page stays small when a cable sits next to a much-cited one.
pub const CONVERSATION_SHOWN: usize = 5;
/// How many references a conversation may follow from the second step before it stops
/// counting: a page about one cable must not cost the size of the archive (a cable that cites
/// a cable cited by 100,000 others). Past it the page says "and at least N more".
pub const CONVERSATION_WORK: usize = 20_000;

/// A cable cited by the archive but not in it, with the cables that cite it.
#[derive(Debug)]
pub struct Missing<'a> {
    /// The identifier as the references give it.
    pub id: &'a CableId,
    /// The citing cables, as indices into [`Corpus::cables`], in date order, each once.
    pub citers: Vec<usize>,
    /// Whether the full set holds it and the site's `[filter]` left it out.
    pub left_out: bool,
}

/// Every cable cited but not in the archive, most-cited first (then by identifier): a
/// reference counts when it names a cable (it has an identifier) that did not resolve.
pub fn missing<'a>(corpus: &'a Corpus, left_out: &BTreeSet<CableId>) -> Vec<Missing<'a>> {
    let mut pairs: Vec<(&CableId, usize)> = corpus
        .cables
        .par_iter()
        .enumerate()
        .flat_map_iter(|(index, linked)| {
            linked
                .cable
                .references
                .iter()
                .zip(&linked.resolved)
                .filter_map(
                    move |(reference, resolved)| match (reference.id.as_ref(), resolved) {
                        (Some(id), None) => Some((id, index)),
                        _ => None,
                    },
                )
        })
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    let mut out: Vec<Missing> = Vec::new();
    for (id, citer) in pairs {
        match out.last_mut() {
            Some(last) if last.id == id => last.citers.push(citer),
            _ => out.push(Missing {
                id,
                citers: vec![citer],
                left_out: left_out.contains(id),
            }),
        }
    }
    out.sort_by(|a, b| b.citers.len().cmp(&a.citers.len()).then(a.id.cmp(b.id)));
    out
}

/// The indices of the most-cited cables of the archive (at most `n`, each cited at least once),
/// most-cited first, then in date order.
pub fn most_cited(corpus: &Corpus, n: usize) -> Vec<usize> {
    let mut cited: Vec<usize> = (0..corpus.cables.len())
        .filter(|&i| !corpus.cables[i].cited_by.is_empty())
        .collect();
    cited.sort_by(|&a, &b| {
        corpus.cables[b]
            .cited_by
            .len()
            .cmp(&corpus.cables[a].cited_by.len())
            .then(a.cmp(&b))
    });
    cited.truncate(n);
    cited
}

/// The identifiers, among the cables a `[filter]` left out, that the kept cables cite: what
/// the missing page marks "left out by the filter". Only those are kept, not every dropped
/// identifier (a subset of 10,000 of 251,287 cables would otherwise hold 241,287 of them).
pub fn left_out(kept: &[Cable], dropped: &[Cable]) -> BTreeSet<CableId> {
    let cited: std::collections::HashSet<&CableId> = kept
        .iter()
        .flat_map(|c| c.references.iter().filter_map(|r| r.id.as_ref()))
        .collect();
    dropped
        .iter()
        .filter(|c| cited.contains(&c.id))
        .map(|c| c.id.clone())
        .collect()
}

/// The neighbours of a cable in the reference graph, both ways: the cables of the archive it
/// cites and those that cite it, itself excluded. Unsorted, possibly repeated.
fn neighbours(linked: &LinkedCable, index: usize) -> impl Iterator<Item = usize> + '_ {
    linked
        .resolved
        .iter()
        .flatten()
        .copied()
        .chain(linked.cited_by.iter().copied())
        .filter(move |&i| i != index)
}

/// The conversation of one cable: the cables one and two steps away along references (either
/// way), each as indices into [`Corpus::cables`], so in date order.
#[derive(Debug, Default, PartialEq, Eq, Hash)]
pub struct Conversation {
    /// Cited by the cable or citing it.
    pub first: Vec<usize>,
    /// One step further, not in `first` and not the cable itself.
    pub second: Vec<usize>,
    /// The second step stopped at [`CONVERSATION_WORK`] references: `second` is a part.
    pub cut: bool,
}

/// The conversation of `corpus.cables[index]` (breadth first, two steps).
pub fn conversation(corpus: &Corpus, index: usize) -> Conversation {
    let cables = &corpus.cables;
    let mut first: Vec<usize> = neighbours(&cables[index], index).collect();
    first.sort_unstable();
    first.dedup();
    let mut second = Vec::new();
    let mut cut = false;
    for &i in &first {
        let linked = &cables[i];
        let room = CONVERSATION_WORK.saturating_sub(second.len());
        if linked.resolved.len() + linked.cited_by.len() > room {
            // A part of this neighbour's neighbours, so a cable next to a huge hub still shows
            // some of its conversation, and the count says "at least".
            second.extend(neighbours(linked, index).take(room));
            cut = true;
            break;
        }
        second.extend(neighbours(linked, index));
    }
    second.sort_unstable();
    second.dedup();
    second.retain(|i| first.binary_search(i).is_err());
    Conversation { first, second, cut }
}

/// The cable page's "Conversation" section, or nothing when the conversation has no second
/// step (the first step is on the page already: the REF field and "Cited by"). Compact, since
/// it is on every page that has one: the cables in date order by identifier and day, the first
/// step in bold (the stylesheet says so after the heading, `.talk h2::after`), this cable in
/// its place, at most [`CONVERSATION_SHOWN`] others (the first step before the second, each
/// the nearest to this cable in the conversation's date order), the rest counted.
pub fn conversation_html(site: &Site, index: usize) -> String {
    let cables = &site.corpus.cables;
    let talk = conversation(&site.corpus, index);
    if talk.second.is_empty() {
        return String::new();
    }
    let total = talk.first.len() + talk.second.len();
    // Nearness is by rank in the conversation's own date order, not by corpus index: a cable
    // added elsewhere in the archive then changes nothing here (the page's fingerprint,
    // [`hash_conversation`], sees only the conversation's members).
    let mut all: Vec<usize> = talk.first.iter().chain(&talk.second).copied().collect();
    all.push(index);
    all.sort_unstable();
    let rank = |i: usize| all.binary_search(&i).unwrap_or(0);
    let here = rank(index);
    let nearest = |list: &[usize], n: usize| -> Vec<usize> {
        let mut by_distance: Vec<usize> = list.to_vec();
        by_distance.sort_by_key(|&i| (rank(i).abs_diff(here), i));
        by_distance.truncate(n);
        by_distance
    };
    let mut shown = nearest(&talk.first, CONVERSATION_SHOWN);
    let room = CONVERSATION_SHOWN - shown.len();
    shown.extend(nearest(&talk.second, room));
    shown.push(index);
    shown.sort_unstable();
    let page = &cables[index].page;
    let mut out = String::with_capacity(64 * shown.len() + 200);
    out.push_str("<section class=talk><h2 id=talk>Conversation</h2>\n<ol>");
    for &i in &shown {
        let other = &cables[i];
        if i == index {
            out.push_str("<li aria-current=true>");
            push_text(&mut out, other.cable.id.as_str());
        } else {
            let near = talk.first.binary_search(&i).is_ok();
            out.push_str(if near {
                "<li><b><a href="
            } else {
                "<li><a href="
            });
            out.push_str(&relative(page, &other.page));
            out.push('>');
            push_text(&mut out, other.cable.id.as_str());
            out.push_str(if near { "</a></b>" } else { "</a>" });
        }
        out.push(' ');
        super::cable_page::push_short_date(&mut out, &other.cable);
    }
    out.push_str("</ol>\n");
    let more = total - (shown.len() - 1);
    if more > 0 {
        out.push_str(if talk.cut {
            "<p>and at least "
        } else {
            "<p>and "
        });
        out.push_str(&more.to_string());
        out.push_str(" more\n");
    }
    out.push_str("</section>\n");
    out
}

/// Feeds what [`conversation_html`] shows about other cables into a page's fingerprint
/// ([`super::cable_page::neighbourhood_hash`]): their pages, identifiers, dates and steps.
pub fn hash_conversation<H: std::hash::Hasher>(corpus: &Corpus, index: usize, h: &mut H) {
    use std::hash::Hash;
    // Not the indices themselves: a cable added earlier in date order shifts every later index
    // without changing what the page shows.
    let talk = conversation(corpus, index);
    for (step, list) in [(1u8, &talk.first), (2, &talk.second)] {
        list.len().hash(h);
        for &i in list {
            let other = &corpus.cables[i];
            (step, &other.page, &other.cable.id, other.cable.created).hash(h);
        }
    }
    talk.cut.hash(h);
}

/// How many cables are cited but missing, and how many of the archive's are cited: for the
/// home page's entry points.
pub fn counts(site: &Site) -> serde_json::Value {
    let missing = site.missing_count;
    let cited = site
        .corpus
        .cables
        .iter()
        .filter(|c| !c.cited_by.is_empty())
        .count();
    serde_json::json!({"missing": missing, "cited": cited})
}

/// The site path of every file [`write`] writes: `archive serve` removes the others of
/// [`FOLDER`] after a rebuild (a page past the missing listing's new end).
pub fn page_paths(site: &Site) -> BTreeSet<String> {
    let pages = site.missing_count.div_ceil(site.config.page_size).max(1);
    let mut paths: BTreeSet<String> = (1..=pages).map(|n| paginated(MISSING_BASE, n)).collect();
    paths.insert(MOST_CITED_PAGE.to_string());
    paths
}

/// A cable's link as seen from [`LISTING_BASE`] (`2007/03/X.html`).
fn listing_href(linked: &LinkedCable) -> String {
    match linked.page.strip_prefix("cable/") {
        Some(inside) => inside.to_string(),
        None => format!("../{}", linked.page),
    }
}

/// Writes the missing-cables listing and the most-cited page.
pub fn write(site: &Site, out: &Output) -> Result<(), BuildError> {
    out.create_dir(FOLDER)?;
    let cables = &site.corpus.cables;
    let missing = missing(&site.corpus, &site.left_out);
    let left_out = missing.iter().filter(|m| m.left_out).count();
    let page_size = site.config.page_size;
    let pages = missing.len().div_ceil(page_size).max(1);
    let citations: usize = missing.iter().map(|m| m.citers.len()).sum();
    let mut intro = format!(
        "{} cable{} cited by cables of this archive {} not in it ({citations} citation{}), most-cited first, each with the cables that cite it.",
        missing.len(),
        if missing.len() == 1 { "" } else { "s" },
        if missing.len() == 1 { "is" } else { "are" },
        if citations == 1 { "" } else { "s" },
    );
    if !site.config.filter.is_empty() {
        intro.push_str(&format!(
            " This archive is a subset ([filter] in site.toml): {left_out} of them are in the full set but were left out by the filter, marked as such."
        ));
    }
    (1..=pages).into_par_iter().try_for_each(|n| {
        let part =
            &missing[((n - 1) * page_size).min(missing.len())..(n * page_size).min(missing.len())];
        let mut rows = String::with_capacity(part.len() * 120);
        for m in part {
            rows.push_str("<tr><td>");
            match site.external_url(m.id.as_str()) {
                Some(url) => {
                    rows.push_str("<a class=ext rel=\"external noopener noreferrer\" href=\"");
                    push_escaped(&mut rows, &url);
                    rows.push_str("\">");
                    push_text(&mut rows, m.id.as_str());
                    rows.push_str("</a>");
                }
                None => push_text(&mut rows, m.id.as_str()),
            }
            if m.left_out {
                rows.push_str(" <small>left out by the filter</small>");
            }
            rows.push_str("<td>");
            rows.push_str(&m.citers.len().to_string());
            rows.push_str("<td>");
            for (k, &i) in m.citers.iter().enumerate() {
                if k > 0 {
                    rows.push_str(", ");
                }
                rows.push_str("<a href=");
                rows.push_str(&listing_href(&cables[i]));
                rows.push('>');
                push_text(&mut rows, cables[i].cable.id.as_str());
                rows.push_str("</a>");
            }
            rows.push('\n');
        }
        let mut context = site.base_context.clone();
        context.insert("root", "../");
        context.insert("heading", "Cited, not in this archive");
        context.insert("intro", &intro);
        context.insert("page", &n);
        context.insert("page_count", &pages);
        context.insert("pager", &pager(MISSING_BASE, n, pages));
        context.insert("base", LISTING_BASE);
        context.insert("here", &format!("../{}", paginated(MISSING_BASE, n)));
        context.insert("table_class", "list missing nolevel");
        context.insert(
            "head",
            "<tr><th>Identifier<th>Cited by (cables)<th>Citing cables",
        );
        context.insert("rows", &rows);
        context.insert("empty", "No reference of this archive points outside it.");
        context.insert("other_href", &format!("../{MOST_CITED_PAGE}"));
        context.insert("other_title", "Most-cited cables");
        let html = templates::render(&site.theme, "refs.html", &context)?;
        out.write(&paginated(MISSING_BASE, n), html.as_bytes())
    })?;

    let top = most_cited(&site.corpus, MOST_CITED);
    let mut rows = String::with_capacity(top.len() * 140);
    for &i in &top {
        let linked = &cables[i];
        let href = listing_href(linked);
        let row = super::listings::row_html(&href, linked);
        // The listing's row, then the count, linking the cable's "Cited by" list.
        rows.push_str(row.strip_suffix('\n').unwrap_or(&row));
        rows.push_str("<td><a href=");
        rows.push_str(&href);
        rows.push_str("#cited>");
        rows.push_str(&linked.cited_by.len().to_string());
        rows.push_str("</a>\n");
    }
    let cited = cables.iter().filter(|c| !c.cited_by.is_empty()).count();
    let intro = if cited > top.len() {
        format!(
            "The {} most-cited of the {cited} cables of this archive that other cables of it cite, by the number of cables citing each.",
            top.len()
        )
    } else {
        format!(
            "The {cited} cable{} of this archive that other cables of it cite, by the number of cables citing each.",
            if cited == 1 { "" } else { "s" }
        )
    };
    let mut context = site.base_context.clone();
    context.insert("root", "../");
    context.insert("heading", "Most-cited cables");
    context.insert("intro", &intro);
    context.insert("page", &1);
    context.insert("page_count", &1);
    context.insert("pager", "");
    context.insert("base", LISTING_BASE);
    context.insert("here", &format!("../{MOST_CITED_PAGE}"));
    context.insert("table_class", "list");
    context.insert(
        "head",
        "<tr><th>Identifier<th>Subject<th>Created<th><a href=../classifications.html#legend>Classification</a><th>Cited by",
    );
    context.insert("rows", &rows);
    context.insert("empty", "No cable of this archive cites another of it.");
    context.insert("other_href", &format!("../{MISSING_BASE}.html"));
    context.insert("other_title", "Cited, not in this archive");
    let html = templates::render(&site.theme, "refs.html", &context)?;
    out.write(MOST_CITED_PAGE, html.as_bytes())
}

//! One cable's page: `cable/YYYY/MM/<ID>.html`.
//!
//! The telegram body is turned into HTML here, in Rust, block by block (escaped text, paragraph
//! anchors, reference links); the page around it (banners, facts table, navigation) is the
//! `cable.html` template. Building the body in Rust keeps the 250,000-page render fast and leaves
//! what a site owner is likely to restyle in the template. When the site overrides neither
//! `cable.html` nor `base.html`, the page around the body is written in Rust too
//! (`write_default`: the same bytes as the templates give), which spares Tera's context and
//! template walk on every page; a site's own templates are rendered by Tera.

use super::escape::{push_escaped, push_text};
use super::links::relative;
use super::present::{level_class, subject_or_placeholder};
use super::{highlight, templates, BuildError, Site};
use archive_cable::model::{Block, BlockKind, Cable};
use archive_corpus::LinkedCable;
use serde::Serialize;
use std::fmt::Write as _;

/// The facts `cable.html` sees as top-level variables (`id`, `subject`, …), and as `c` too when
/// a template of the site's own names it (`Theme::cable_as_c`).
#[derive(Serialize)]
struct CableView<'a> {
    id: &'a str,
    subject: &'a str,
    created: String,
    /// Whether `created` has a time of day (then the page says it is UTC).
    precise: bool,
    /// CSS class of the level: none for unclassified, `c`, `s`, `ts` (as in listings).
    level: &'static str,
    classification: String,
    classification_href: String,
    month_href: String,
    origin: &'a str,
    origin_href: String,
    sender: Option<&'a str>,
    /// Pre-escaped links to the addressees' listings (one per line), the signer's and the
    /// classifying official's, for those the telegram's text could not link in place
    /// ([`super::people_links`]): usually all empty.
    to: String,
    info: String,
    signer: String,
    classifier: String,
    tags: Vec<TagView<'a>>,
    /// `tags` as the facts table's list items, pre-escaped: what the default template shows
    /// (a Tera loop over `tags` costs three dotted lookups a tag).
    tags_html: String,
    /// Pre-rendered list of the REF items, only when the telegram's `REF` field does not show
    /// every one of them (it nearly always does, and then links or marks each itself).
    refs: String,
    /// Link to `<ID>.txt` when raw text is written.
    raw: Option<String>,
    neighbours: String,
    body: String,
    cited_by: String,
    /// The "Conversation" section: two steps along references ([`super::graph`]).
    conversation: String,
    /// Pre-escaped `citation_*` and `DC.*` meta tags for reference managers ([`super::cite`]).
    meta: String,
    /// Pre-escaped Chicago-style citation and BibTeX entry of the "Cite" box.
    chicago: String,
    bibtex: String,
}

#[derive(Serialize)]
struct TagView<'a> {
    code: &'a str,
    href: String,
    /// What the tag stands for (`data/tags.toml`, the site's `tags.toml`), beside the code.
    meaning: Option<&'a str>,
}

/// How one reference of the cable is shown, wherever it appears.
enum Target {
    /// In the archive: a relative link to its page.
    Page(String),
    /// Not in the archive but the site has a mirror for it.
    External(String),
    /// A cable, not in the archive, no mirror.
    Missing,
    /// Not a cable at all (an e-mail, a memo, a date-time group): plain text.
    NotACable,
}

fn targets(site: &Site, linked: &LinkedCable) -> Vec<Target> {
    linked
        .cable
        .references
        .iter()
        .zip(&linked.resolved)
        .map(|(reference, resolved)| match (resolved, &reference.id) {
            (Some(i), _) => Target::Page(relative(&linked.page, &site.corpus.cables[*i].page)),
            (None, Some(id)) => match site.external_url(id.as_str()) {
                Some(url) => Target::External(url),
                None => Target::Missing,
            },
            (None, None) => Target::NotACable,
        })
        .collect()
}

/// Renders the page of `corpus.cables[index]`. `raw` is the link to its raw text, if written.
pub fn render(site: &Site, index: usize, raw: Option<String>) -> Result<String, BuildError> {
    let full = site.corpus.full(index).map_err(BuildError::Reread)?;
    render_full(site, index, &full, raw)
}

/// [`render`] with the cable's telegram already at hand (`cable`: the cable at `index`, body
/// included, as [`archive_corpus::Corpus::full`] gives it).
pub fn render_full(
    site: &Site,
    index: usize,
    cable: &Cable,
    raw: Option<String>,
) -> Result<String, BuildError> {
    let linked = &site.corpus.cables[index];
    let page = &linked.page;
    let targets = targets(site, linked);
    let groups = &site.groups;
    // The facts table lists the references only when the telegram's REF field leaves one out.
    let in_ref_field = all_in_ref_field(cable);
    let cite_url = super::cite::url(site.config.base_url.as_deref(), page);

    let tags = cable
        .tags
        .iter()
        .map(|t| TagView {
            code: t,
            href: relative(page, &groups.tag_page(t)),
            meaning: site.tags.meaning(t),
        })
        .collect::<Vec<_>>();
    let tags_html = tags_html(&tags);
    let mut body = body_html(cable, &targets, in_ref_field);
    // People and addressees are linked where the telegram names them; what it could not link
    // is listed in the facts table.
    let unlinked = super::people_links::link(site, page, cable, &mut body);
    let view = CableView {
        id: cable.id.as_str(),
        subject: subject_or_placeholder(cable),
        // To the precision the text gives: a cable known only to its year says so.
        created: match cable.precision {
            archive_cable::model::Precision::Year => {
                format!("{} (date not in the text)", cable.created.year)
            }
            p => cable.created.display_as(p),
        },
        precise: cable.precision == archive_cable::model::Precision::Minute,
        level: level_class(cable.classification.level),
        classification: cable.classification.label(),
        classification_href: relative(page, &groups.classification_page(cable.classification)),
        month_href: relative(
            page,
            &groups.month_page(cable.created.year, cable.created.month),
        ),
        origin: &cable.origin,
        origin_href: relative(page, &groups.origin_page(&cable.origin)),
        sender: cable
            .sender
            .as_deref()
            .filter(|sender| !routing_header_names(cable, sender)),
        to: unlinked.to,
        info: unlinked.info,
        signer: unlinked.signer,
        classifier: unlinked.classifier,
        tags,
        tags_html,
        refs: if in_ref_field {
            String::new()
        } else {
            references_html(cable, &targets)
        },
        raw,
        neighbours: neighbours_html(site, index),
        body,
        cited_by: cited_by_html(site, linked),
        conversation: super::graph::conversation_html(site, index),
        meta: super::cite::meta_tags(cable, &cite_url, site.config.base_url.is_some()),
        chicago: super::cite::chicago(cable, &site.config.title, &cite_url),
        bibtex: super::cite::bibtex(cable, &cite_url),
    };
    // The page is its body plus the frame, facts, citation and navigation: a few kilobytes,
    // more with many tags or citing cables.
    let capacity = view.body.len() + view.cited_by.len() + view.meta.len() + 8192;
    let root = super::links::root_of(page);
    if site.theme.cable_in_rust {
        return Ok(write_default(site, &view, &root, capacity));
    }
    let mut context = site.base_context.clone();
    context.insert("root", &root);
    // The facts as top-level variables, which the default template reads (a dotted `c.id`
    // costs Tera about 1,600 instructions, two allocations per segment), and, when a template
    // of the site may read them so (`Theme::cable_as_c`), as `c` too, as earlier versions gave
    // them. None of the view's names is one of the base context's (`site`, `search`, `feed`,
    // `pages`, `root`).
    let fields = serde_json::to_value(&view).map_err(|e| BuildError::Render {
        name: "cable.html".to_string(),
        source: tera::Error::json(e),
    })?;
    if site.theme.cable_as_c {
        context.insert("c", &fields);
    }
    let fields = tera::Context::from_value(fields).map_err(|source| BuildError::Render {
        name: "cable.html".to_string(),
        source,
    })?;
    context.extend(fields);
    templates::render_sized(&site.theme, "cable.html", &context, capacity)
}

/// The page the embedded `base.html` and `cable.html` give for `view`, byte for byte, written
/// without Tera ([`templates::Theme::cable_in_rust`]: only when the site overrides neither).
/// Each piece below is the templates' text or value in their order, escaped as Tera escapes a
/// `{{ name }}` (the theme's escape function is [`push_escaped`]) and left as it is where they
/// say `| safe`; a Tera `{% if name %}` on a string is true when it is not empty. Change it with
/// the templates: `tests/it/site_default.rs` builds sites both ways and compares every file.
fn write_default(site: &Site, view: &CableView, root: &str, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let text = |out: &mut String, parts: &[&str]| parts.iter().for_each(|p| out.push_str(p));
    let level_attr = |out: &mut String| {
        if !view.level.is_empty() {
            out.push_str(" class=");
            push_escaped(out, view.level);
        }
    };
    // base.html, up to its `content` block (`title` and `head` as cable.html fills them, its
    // `description` empty).
    out.push_str(concat!(
        "<!DOCTYPE html>\n<html lang=en>\n<meta charset=utf-8>\n",
        "<meta name=viewport content=\"width=device-width,initial-scale=1\">\n",
        "<meta http-equiv=Content-Security-Policy content=\"default-src 'self';base-uri 'none';",
        "form-action 'self'\">\n<title>"
    ));
    push_escaped(&mut out, view.id);
    out.push_str(": ");
    push_escaped(&mut out, view.subject);
    text(
        &mut out,
        &[
            "</title>\n<link rel=stylesheet href=",
            root,
            "assets/style.css>\n",
        ],
    );
    if site.config.base_url.is_some() {
        text(
            &mut out,
            &[
                "<link rel=alternate type=application/atom+xml title=\"Newest cables\" href=",
                root,
                "feed.xml>\n",
            ],
        );
    }
    out.push_str(&view.meta);
    text(
        &mut out,
        &[
            "<a href=#main>Skip to content</a>\n<header><a href=",
            root,
            "index.html>",
        ],
    );
    push_escaped(&mut out, &site.config.title);
    text(
        &mut out,
        &[
            "</a>\n<nav><a href=",
            root,
            "months.html>Dates</a> <a href=",
            root,
            "tags.html>Tags</a> <a href=",
            root,
            "origins.html>Origins</a> <a href=",
            root,
            "classifications.html>Classifications</a></nav>\n",
        ],
    );
    if site.config.search.enabled {
        text(
            &mut out,
            &[
                "<form role=search action=",
                root,
                "search.html><input type=search name=q placeholder=\"Search cables\"></form>\n",
            ],
        );
    }
    out.push_str("</header>\n<main id=main>\n");
    // cable.html's `content` block.
    out.push_str("<article class=cable>\n<p");
    level_attr(&mut out);
    out.push_str(" role=note aria-label=Classification>");
    push_escaped(&mut out, &view.classification);
    out.push_str("\n<h1><code>");
    push_escaped(&mut out, view.id);
    out.push_str("</code> ");
    push_escaped(&mut out, view.subject);
    text(
        &mut out,
        &[
            "</h1>\n<table>\n<tr><th>Created<td><a href=",
            &view.month_href,
            ">",
        ],
    );
    push_escaped(&mut out, &view.created);
    out.push_str("</a>");
    if view.precise {
        out.push_str(" UTC");
    }
    if let Some(raw) = view.raw.as_deref().filter(|r| !r.is_empty()) {
        text(&mut out, &[" · <a href=", raw, ">Raw text</a>"]);
    }
    text(
        &mut out,
        &[
            "\n<tr><th>Classification<td><a href=",
            &view.classification_href,
            ">",
        ],
    );
    push_escaped(&mut out, &view.classification);
    text(
        &mut out,
        &["</a>\n<tr><th>Origin<td><a href=", &view.origin_href, ">"],
    );
    push_escaped(&mut out, view.origin);
    out.push_str("</a>\n");
    if let Some(sender) = view.sender.filter(|s| !s.is_empty()) {
        out.push_str("<tr><th>Sender<td>");
        push_escaped(&mut out, sender);
        out.push('\n');
    }
    for (head, value) in [
        ("<tr><th>To<td>", &view.to),
        ("<tr><th>Info<td>", &view.info),
        ("<tr><th>Signed<td>", &view.signer),
        ("<tr><th>Classified by<td>", &view.classifier),
    ] {
        if !value.is_empty() {
            text(&mut out, &[head, value, "\n"]);
        }
    }
    if !view.tags_html.is_empty() {
        text(
            &mut out,
            &["<tr><th>Tags<td><ul>", &view.tags_html, "</ul>\n"],
        );
    }
    if !view.refs.is_empty() {
        text(&mut out, &["<tr><th>References<td>", &view.refs, "\n"]);
    }
    text(
        &mut out,
        &[
            "</table>\n<section class=telegram>\n",
            &view.body,
            "</section>\n",
        ],
    );
    if !view.cited_by.is_empty() {
        text(
            &mut out,
            &[
                "<section class=cited aria-labelledby=cited><h2 id=cited>Cited by</h2>\n",
                &view.cited_by,
                "\n</section>\n",
            ],
        );
    }
    text(
        &mut out,
        &[
            &view.conversation,
            "<details class=cite><summary>Cite</summary>\n<p>",
            &view.chicago,
            "\n<pre>",
            &view.bibtex,
            "</pre>\n</details>\n",
            &view.neighbours,
            "\n<p",
        ],
    );
    level_attr(&mut out);
    out.push_str(" aria-hidden=true>");
    push_escaped(&mut out, &view.classification);
    // The end of base.html: the footer's guides (a cable page is not `home`).
    out.push_str("\n</article>\n</main>");
    if !site.pages.is_empty() {
        out.push_str("<footer><nav aria-label=About>");
        for page in &site.pages {
            text(&mut out, &["<a href=", root, &page.path, ">"]);
            push_escaped(&mut out, &page.title);
            out.push_str("</a> ");
        }
        out.push_str("</nav></footer>\n");
    }
    out.push('\n');
    out
}

/// A hash of everything the page of `corpus.cables[index]` reads from outside its own cable:
/// its page path, the pages of the cables it cites, the listing pages it links, its previous and
/// next cables, and the cables that cite it. `archive serve` re-renders a page only when this or
/// the cable itself changed, so keep it in step with [`render`]: anything new that a page shows
/// about another cable must be hashed here too.
pub fn neighbourhood_hash(site: &Site, index: usize) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    let cables = &site.corpus.cables;
    let linked = &cables[index];
    linked.page.hash(&mut h);
    for resolved in &linked.resolved {
        resolved.map(|i| &cables[i].page).hash(&mut h);
    }
    // The listings it links: tags, origin, month, classification, people (their file names
    // depend on the other cables' names too).
    for base in site.groups.linked_from(index) {
        base.hash(&mut h);
    }
    let neighbours = [index.checked_sub(1), Some(index + 1)];
    for other in neighbours
        .into_iter()
        .flatten()
        .filter_map(|i| cables.get(i))
    {
        (&other.page, &other.cable.id).hash(&mut h);
    }
    for &i in &linked.cited_by {
        let other = &cables[i];
        (
            &other.page,
            &other.cable.id,
            &other.cable.subject,
            other.cable.created,
        )
            .hash(&mut h);
    }
    super::graph::hash_conversation(&site.corpus, index, &mut h);
    h.finish()
}

/// The tags as list items, byte for byte what the template's loop over `tags` wrote:
/// `<li><a href=HREF>CODE</a> MEANING`, code and meaning escaped as Tera's `{{ }}` escapes them,
/// the meaning left out when there is none or it is empty.
fn tags_html(tags: &[TagView<'_>]) -> String {
    let mut out = String::with_capacity(tags.len() * 64);
    for tag in tags {
        out.push_str("<li><a href=");
        out.push_str(&tag.href);
        out.push('>');
        push_escaped(&mut out, tag.code);
        out.push_str("</a>");
        if let Some(meaning) = tag.meaning.filter(|m| !m.is_empty()) {
            out.push(' ');
            push_escaped(&mut out, meaning);
        }
    }
    out
}

fn references_html(cable: &Cable, targets: &[Target]) -> String {
    if cable.references.is_empty() {
        return String::new();
    }
    let mut out = String::from("<ol id=refs>");
    for (reference, target) in cable.references.iter().zip(targets) {
        out.push_str("<li>");
        if let Some(label) = &reference.label {
            out.push_str("<b>");
            push_text(&mut out, label);
            out.push_str(".</b> ");
        }
        link(&mut out, &reference.text, target);
        if let Some(id) = &reference.id {
            out.push_str(" <code>");
            push_text(&mut out, id.as_str());
            out.push_str("</code>");
        }
    }
    out.push_str("</ol>");
    out
}

/// Appends `text` linked to `target`, or marked as not in the archive (`<x-m>`, short since a
/// cable may cite many cables that are not in the archive).
fn link(out: &mut String, text: &str, target: &Target) {
    match target {
        Target::Page(href) => {
            // A page path: only letters, digits, `-`, `.` and `/`, so the value needs no quotes.
            out.push_str("<a href=");
            out.push_str(href);
            out.push('>');
            push_text(out, text);
            out.push_str("</a>");
        }
        Target::External(url) => {
            out.push_str("<a class=ext rel=\"external noopener noreferrer\" href=\"");
            push_escaped(out, url); // an attribute: full escaping
            out.push_str("\">");
            push_text(out, text);
            out.push_str("</a><span class=nia> (not in this archive; external copy)</span>");
        }
        Target::Missing => {
            // A custom element: the stylesheet adds " (not in this archive)" after it
            // (`x-m::after`), which browsers give to assistive technology as text too.
            out.push_str("<x-m>");
            push_text(out, text);
            out.push_str("</x-m>");
        }
        Target::NotACable => push_text(out, text),
    }
}

fn neighbours_html(site: &Site, index: usize) -> String {
    let cables = &site.corpus.cables;
    let page = &cables[index].page;
    // Terse (on every page): the arrows and rel say which is which; the nav's label says what
    // the two links are. `.cable > nav` in the stylesheet.
    let mut out = String::from("<nav aria-label=Neighbours>");
    if index > 0 {
        let prev = &cables[index - 1];
        out.push_str(&format!(
            "<a rel=prev href={}>← ",
            relative(page, &prev.page)
        ));
        push_text(&mut out, prev.cable.id.as_str());
        out.push_str("</a>");
    }
    if index + 1 < cables.len() {
        let next = &cables[index + 1];
        out.push_str(&format!("<a rel=next href={}>", relative(page, &next.page)));
        push_text(&mut out, next.cable.id.as_str());
        out.push_str(" →</a>");
    }
    out.push_str("</nav>");
    out
}

fn cited_by_html(site: &Site, linked: &LinkedCable) -> String {
    if linked.cited_by.is_empty() {
        return String::new();
    }
    let mut out = String::from("<ul>");
    for &i in &linked.cited_by {
        let other = &site.corpus.cables[i];
        out.push_str("<li><a href=");
        out.push_str(&relative(&linked.page, &other.page));
        out.push('>');
        push_text(&mut out, other.cable.id.as_str());
        out.push_str("</a> ");
        push_text(&mut out, subject_or_placeholder(&other.cable));
        out.push_str(" <small>");
        push_short_date(&mut out, &other.cable);
        out.push_str("</small>");
    }
    out.push_str("</ul>");
    out
}

/// Whether the routing header the page shows has the FM line naming `sender` as written: then
/// the facts table does not repeat it. Read from the parsed blocks, not from the rendered page.
fn routing_header_names(cable: &Cable, sender: &str) -> bool {
    cable
        .body
        .iter()
        .filter(|b| b.kind == BlockKind::RoutingHeader)
        .flat_map(|b| b.text.lines())
        .any(|line| line.strip_prefix("FM ") == Some(sender))
}

/// The telegram, block by block. Markup is kept terse, since it is repeated on every page of
/// 250,000 cables: unquoted attribute values where they are known to be plain, and no `</p>`
/// (a paragraph ends where the next block starts or the section ends, as HTML defines).
/// `refs_here`: the first references field is the `#refs` target (the facts table lists no
/// references).
fn body_html(cable: &Cable, targets: &[Target], refs_here: bool) -> String {
    let size: usize = cable.body.iter().map(|b| b.text.len() + 40).sum();
    let mut out = String::with_capacity(size + size / 8);
    let mut used_numbers = std::collections::HashSet::new();
    let mut refs_id = refs_here && !cable.references.is_empty();
    for (index, block) in cable.body.iter().enumerate() {
        match block.kind {
            BlockKind::RoutingHeader => {
                out.push_str("<pre class=routing>");
                highlight::routing_header(&block.text, &mut out);
                out.push_str("</pre>\n");
            }
            BlockKind::ClassificationLine => para(&mut out, "cl", block, targets),
            BlockKind::Marker => para(&mut out, "mk", block, targets),
            BlockKind::Field => {
                if refs_id && cable.references_block == Some(index) {
                    // What `reftels` links point at, and where a reader finds every reference.
                    out.push_str("<p class=fd id=refs>");
                    refs_id = false;
                } else {
                    out.push_str("<p class=fd>");
                }
                if let Some(label) = &block.label {
                    if !block.text.starts_with(&**label) {
                        out.push_str("<b>");
                        push_text(&mut out, label);
                        out.push_str(":</b> ");
                    }
                }
                text_with_links(&mut out, block, targets);
                out.push('\n');
            }
            BlockKind::Heading => {
                out.push_str("<h2 class=hd>");
                text_with_links(&mut out, block, targets);
                out.push_str("</h2>\n");
            }
            BlockKind::Paragraph => {
                match block.number {
                    Some(n) if used_numbers.insert(n) => {
                        out.push_str(&format!("<p id=p{n}><a href=#p{n}>{n}.</a> "))
                    }
                    Some(n) => out.push_str(&format!("<p><span class=pn>{n}.</span> ")),
                    None => out.push_str("<p>"),
                }
                if let Some(marking) = &block.marking {
                    out.push_str("<small>(");
                    push_text(&mut out, marking);
                    out.push_str(")</small> ");
                }
                text_with_links(&mut out, block, targets);
                out.push('\n');
            }
            BlockKind::PageBreak => para(&mut out, "pb", block, targets),
            BlockKind::Signature => para(&mut out, "sg", block, targets),
            BlockKind::Text => {
                if looks_tabular(&block.text) {
                    out.push_str("<pre class=tx>");
                    text_with_links(&mut out, block, targets);
                    out.push_str("</pre>\n");
                } else {
                    // The most common block: no class, to keep pages small.
                    out.push_str("<p>");
                    text_with_links(&mut out, block, targets);
                    out.push('\n');
                }
            }
        }
    }
    out
}

/// Text laid out with spaces (tables, addresses in columns) keeps its lines; prose reflows.
fn looks_tabular(text: &str) -> bool {
    text.lines()
        .any(|l| l.starts_with("  ") || l.trim_end().contains("   "))
}

/// A paragraph of class `class` (a plain word, so unquoted), closed by whatever follows it.
fn para(out: &mut String, class: &str, block: &Block, targets: &[Target]) {
    out.push_str("<p class=");
    out.push_str(class);
    out.push('>');
    text_with_links(out, block, targets);
    out.push('\n');
}

/// A cable's date in a list of cables, appended to `out`: the day, or the year alone when the
/// text gives no date (`2007-03-22`, `1985`).
pub(crate) fn push_short_date(out: &mut String, cable: &Cable) {
    let d = cable.created;
    // Writing to a `String` cannot fail.
    let _ = match cable.precision {
        archive_cable::model::Precision::Year => write!(out, "{:04}", d.year),
        // The first ten characters of `display()`, which a field wider than its two or four
        // digits would shift (the parser gives none; a hand-made `Cable` may).
        _ if d.year > 9999 || d.month > 99 || d.day > 99 => write!(out, "{}", &d.display()[..10]),
        _ => write!(out, "{:04}-{:02}-{:02}", d.year, d.month, d.day),
    };
}

/// The reference spans of a block: the mentions the parser placed (`REF A`, `reftel`, and in
/// the `REF:` field every item where it is written).
fn spans(block: &Block) -> impl Iterator<Item = (usize, usize, &[usize])> {
    block
        .mentions
        .iter()
        .map(|m| (m.start, m.end, m.references.as_slice()))
}

/// True when the first references field of the telegram shows every reference item (so it links
/// or marks each one, and the facts table need not list them again).
fn all_in_ref_field(cable: &Cable) -> bool {
    if cable.references.is_empty() {
        return true;
    }
    let Some(field) = cable.references_block.and_then(|k| cable.body.get(k)) else {
        return false;
    };
    let mut shown = vec![false; cable.references.len()];
    for (_, _, refs) in spans(field) {
        if let [i] = refs[..] {
            if let Some(s) = shown.get_mut(i) {
                *s = true;
            }
        }
    }
    shown.into_iter().all(|s| s)
}

/// The block's text, escaped, with each reference mention linked.
fn text_with_links(out: &mut String, block: &Block, targets: &[Target]) {
    let text: &str = &block.text;
    let mut last = 0;
    for (start, end, refs) in spans(block) {
        let valid = start >= last
            && start < end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end);
        if !valid {
            continue;
        }
        push_text(out, &text[last..start]);
        let mention = &text[start..end];
        let known: Vec<&Target> = refs.iter().filter_map(|&r| targets.get(r)).collect();
        match known.as_slice() {
            [] => push_text(out, mention),
            [one] => link(out, mention, one),
            _ => {
                // `reftels`: several references at once; point at the list that names them all.
                out.push_str("<a href=#refs>");
                push_text(out, mention);
                out.push_str("</a>");
            }
        }
        last = end;
    }
    push_text(out, &text[last..]);
}

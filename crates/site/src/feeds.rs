//! Files for machines: `sitemap.xml` and the Atom feed `feed.xml` (only with `base_url`, since
//! both need absolute links), and `robots.txt`. No timestamps but the cables' own dates, so two
//! builds of the same input are identical.

use super::escape::escape;
use super::output::Output;
use super::present::subject_or_placeholder;
use super::{BuildError, Site};

/// Newest cables in the feed.
const FEED_ENTRIES: usize = 50;
/// The sitemap protocol's limit of URLs per file.
const SITEMAP_LIMIT: usize = 50_000;

/// Writes `robots.txt`, and with `base_url` the sitemap(s) and the feed.
pub fn write(site: &Site, out: &Output, other_pages: &[String]) -> Result<(), BuildError> {
    let base = site.config.base_url.as_deref().map(|b| {
        if b.ends_with('/') {
            b.to_string()
        } else {
            format!("{b}/")
        }
    });
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = &base {
        robots.push_str(&format!("Sitemap: {base}sitemap.xml\n"));
        let mut urls: Vec<&str> = other_pages.iter().map(String::as_str).collect();
        urls.extend(site.corpus.cables.iter().map(|c| c.page.as_str()));
        let chunks: Vec<&[&str]> = urls.chunks(SITEMAP_LIMIT).collect();
        let urlset = |chunk: &[&str]| {
            let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
            for u in chunk {
                xml.push_str(&format!(
                    "<url><loc>{}</loc></url>\n",
                    escape(&format!("{base}{u}"))
                ));
            }
            xml.push_str("</urlset>\n");
            xml
        };
        if chunks.len() <= 1 {
            out.write(
                "sitemap.xml",
                urlset(chunks.first().copied().unwrap_or(&[])).as_bytes(),
            )?;
        } else {
            let mut index = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
            for (i, chunk) in chunks.iter().enumerate() {
                let name = format!("sitemap-{}.xml", i + 1);
                out.write(&name, urlset(chunk).as_bytes())?;
                index.push_str(&format!(
                    "<sitemap><loc>{}</loc></sitemap>\n",
                    escape(&format!("{base}{name}"))
                ));
            }
            index.push_str("</sitemapindex>\n");
            out.write("sitemap.xml", index.as_bytes())?;
        }
        out.write("feed.xml", feed(site, base).as_bytes())?;
    }
    out.write("robots.txt", robots.as_bytes())
}

fn feed(site: &Site, base: &str) -> String {
    let cables = &site.corpus.cables;
    let updated = cables
        .last()
        .map(|c| c.cable.created.iso())
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>{}</title>\n<subtitle>{}</subtitle>\n<id>{}</id>\n<link rel=\"self\" href=\"{}feed.xml\"/>\n<link href=\"{}index.html\"/>\n<updated>{}</updated>\n",
        escape(&site.config.title),
        escape(&site.config.description),
        escape(base),
        escape(base),
        escape(base),
        updated
    );
    for linked in cables.iter().rev().take(FEED_ENTRIES) {
        let c = &linked.cable;
        let url = escape(&format!("{base}{}", linked.page));
        xml.push_str(&format!(
            "<entry>\n<title>{}: {}</title>\n<id>{url}</id>\n<link href=\"{url}\"/>\n<updated>{}</updated>\n<author><name>{}</name></author>\n<summary>{}, {}, {}</summary>\n</entry>\n",
            escape(c.id.as_str()),
            escape(subject_or_placeholder(c)),
            c.created.iso(),
            escape(if c.origin.is_empty() { "Unknown" } else { &c.origin }),
            c.classification.label(),
            escape(&c.origin),
            escape(&c.tags.join(" ")),
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

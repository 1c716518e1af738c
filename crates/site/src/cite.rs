//! How a researcher cites a cable: the Highwire `citation_*` meta tags that reference managers
//! (Zotero's "Embedded Metadata" reader, Mendeley, Google Scholar) read from a page's head, and
//! the "Cite" box of the cable page (a Chicago-style citation and a BibTeX entry; the template
//! adds how to cite one paragraph: "para. N" and the address with `#pN`, the paragraph's number
//! being its link). One place for both, so the box and the tags never disagree on a title or a
//! date. The Dublin Core duplicates (`DC.identifier`, `DC.date`) were dropped to pay for the
//! reference graph's conversation within the 1.7 × budget: Zotero reads the Highwire tags
//! first, and they carry the same identifier and date.

use super::escape::{push_escaped, push_text};
use super::present::subject_or_placeholder;
use archive_cable::model::{Cable, Precision, MONTH_NAMES};
use std::fmt::Write as _;

/// Where a citation points: `base_url` joined with the page's site path when the site has one
/// (a citation must work outside the site), else the page's site path (`cable/2007/03/X.html`),
/// which a reader completes with wherever they found the archive.
pub fn url(base_url: Option<&str>, page: &str) -> String {
    match base_url {
        Some(b) if b.ends_with('/') => format!("{b}{page}"),
        Some(b) => format!("{b}/{page}"),
        None => page.to_string(),
    }
}

/// The Highwire date of the cable, to the precision the text gives: `2007/03/22`, or `2007` for
/// a cable known only to its year (Highwire dates have no time of day).
pub fn citation_date(cable: &Cable) -> String {
    let d = &cable.created;
    match cable.precision {
        Precision::Year => format!("{:04}", d.year),
        _ => format!("{:04}/{:02}/{:02}", d.year, d.month, d.day),
    }
}

/// The meta tags of a cable page's head, escaped (every value quoted: cable text may hold
/// anything). `url` as [`url`] gives it; `citation_public_url` is written only for a site with
/// a `base_url`: a reference manager stores the value as it is, and a bare site path
/// (`cable/2007/03/X.html`) is no address outside the site (it takes the page's own address
/// instead), so without `base_url` the tag would cost 70 bytes a page for nothing.
pub fn meta_tags(cable: &Cable, url: &str, absolute: bool) -> String {
    let mut out = String::with_capacity(400);
    let mut tag = |name: &str, value: &str| {
        out.push_str("<meta name=");
        out.push_str(name);
        out.push_str(" content=\"");
        push_escaped(&mut out, value);
        out.push_str("\">\n");
    };
    tag("citation_title", subject_or_placeholder(cable));
    tag("citation_date", &citation_date(cable));
    tag("citation_publisher", &cable.origin);
    tag("citation_technical_report_number", cable.id.as_str());
    if absolute {
        tag("citation_public_url", url);
    }
    out
}

/// The date as a Chicago citation writes it: `March 22, 2007`, or `2007`.
fn chicago_date(cable: &Cable) -> String {
    let d = &cable.created;
    match (
        cable.precision,
        MONTH_NAMES.get(usize::from(d.month).wrapping_sub(1)),
    ) {
        (Precision::Year, _) | (_, None) => format!("{:04}", d.year),
        (_, Some(month)) => format!("{month} {}, {:04}", d.day, d.year),
    }
}

/// A Chicago-style (notes and bibliography) citation of the cable as an unpublished document,
/// escaped for HTML text: `Embassy Paris. "Subject." Diplomatic cable 07PARIS1115, March 22,
/// 2007. CONFIDENTIAL. Archive title. url.`
pub fn chicago(cable: &Cable, site_title: &str, url: &str) -> String {
    let mut out = String::with_capacity(200);
    let origin = if cable.origin.trim().is_empty() {
        "Unknown origin"
    } else {
        &cable.origin
    };
    push_text(&mut out, origin);
    out.push_str(". “");
    push_text(&mut out, subject_or_placeholder(cable));
    out.push_str(".” Diplomatic cable ");
    push_text(&mut out, cable.id.as_str());
    out.push_str(", ");
    out.push_str(&chicago_date(cable));
    out.push_str(". ");
    push_text(&mut out, &cable.classification.label());
    out.push_str(". ");
    push_text(&mut out, site_title);
    out.push_str(". ");
    push_text(&mut out, url);
    out.push('.');
    out
}

/// The bytes [`bib`] writes as they are: printable ASCII but the ten it replaces.
const BIB_PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0x20;
    while b < 0x7f {
        table[b] = true;
        b += 1;
    }
    let special = b"{}\\&%$#_~^";
    let mut k = 0;
    while k < special.len() {
        table[special[k] as usize] = false;
        k += 1;
    }
    table
};

/// Escapes a BibTeX field value: braces and the characters LaTeX treats as commands.
fn bib(out: &mut String, text: &str) {
    // Nearly every subject, origin and identifier is printable ASCII with nothing to replace:
    // then it is only escaped for HTML, without the copy char by char.
    if text.as_bytes().iter().all(|&b| BIB_PLAIN[usize::from(b)]) {
        push_text(out, text);
        return;
    }
    let mut s = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '{' | '}' | '\\' => s.push(' '),
            '&' | '%' | '$' | '#' | '_' => {
                s.push('\\');
                s.push(ch);
            }
            '~' | '^' => s.push(' '),
            c if c.is_control() => s.push(' '),
            c => s.push(c),
        }
    }
    push_text(out, &s);
}

/// A BibTeX `@techreport` entry for the cable (the closest standard type: an institution's
/// numbered report), escaped for HTML text; its key is the identifier. One line, fields
/// separated by `, ` (the box wraps it): every cable page carries one, and the indentation and
/// line breaks of the usual layout cost 40 bytes a page for nothing a reference manager reads.
pub fn bibtex(cable: &Cable, url: &str) -> String {
    let d = &cable.created;
    let mut out = String::with_capacity(300);
    out.push_str("@techreport{");
    // Identifiers are letters and digits; anything else would break the key.
    let key: String = cable
        .id
        .as_str()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    out.push_str(if key.is_empty() { "cable" } else { &key });
    out.push_str(", title={");
    bib(&mut out, subject_or_placeholder(cable));
    out.push_str("}, institution={");
    bib(&mut out, &cable.origin);
    out.push_str("}, type={Diplomatic cable}, number={");
    bib(&mut out, cable.id.as_str());
    // Written in place (`write!` into a `String` cannot fail).
    let _ = write!(out, "}}, year={{{:04}}}", d.year);
    if cable.precision != Precision::Year {
        let _ = write!(out, ", month={{{}}}, day={{{}}}", d.month, d.day);
    }
    out.push_str(", note={");
    bib(&mut out, &cable.classification.label());
    out.push_str("}, url={");
    // A URL is written as it is (the `url` package reads it verbatim); only braces would end
    // the field, and neither a page path nor a validated `base_url` has any.
    push_text(&mut out, &url.replace(['{', '}'], ""));
    out.push_str("}}");
    out
}

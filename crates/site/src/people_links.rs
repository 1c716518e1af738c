//! Links from a cable's telegram to the people and addressee listings ([`super::people`]): the
//! addressees where the routing header names them (`TO RUEHC/SECSTATE WASHDC IMMEDIATE 5836`),
//! the official in the `Classified By:` field and the closing signature. The telegram already
//! shows each name, so a link costs only its `<a href=…>` and `</a>` (about 45 bytes), where a
//! facts row repeating the names would cost the names again on 250,000 pages. A name the
//! telegram's markup does not show as written (a name wrapped across lines) is returned, so the
//! page lists it in its facts table instead.

use super::escape::push_text;
use super::links::relative;
use super::people::{addressee_key, classifier_of, signer_key};
use super::Site;
use archive_cable::model::{Cable, RecipientKind};

/// What the telegram could not link, for the facts table: pre-escaped links (or text), empty
/// when all were linked in place.
#[derive(Default)]
pub struct Unlinked {
    /// `TO` addressees, one per line.
    pub to: String,
    /// `INFO` addressees, one per line.
    pub info: String,
    /// The signer.
    pub signer: String,
    /// The official who classified.
    pub classifier: String,
}

fn escaped(text: &str) -> String {
    let mut out = String::new();
    push_text(&mut out, text);
    out
}

fn link_html(page: &str, target: &str, text_html: &str) -> String {
    format!("<a href={}>{text_html}</a>", relative(page, target))
}

/// Wraps the first whole occurrence of `needle` in `html[from..to]` in a link to `target`; the
/// position after the link, or `None` when the name is not there (or only inside a longer
/// word).
fn wrap(
    html: &mut String,
    from: usize,
    to: usize,
    needle: &str,
    page: &str,
    target: &str,
) -> Option<usize> {
    let mut start = from;
    while let Some(i) = html.get(start..to)?.find(needle) {
        let at = start + i;
        let end = at + needle.len();
        let word = |c: char| c.is_alphanumeric();
        let before_ok = !html[..at].ends_with(word);
        let after_ok = !html[end..].starts_with(word);
        if before_ok && after_ok {
            let link = link_html(page, target, needle);
            let added = link.len() - needle.len();
            html.replace_range(at..end, &link);
            return Some(end + added);
        }
        start = end;
    }
    None
}

/// Links the people and addressees of `cable` in `body` (its telegram as rendered), and says
/// what it could not link.
pub fn link(site: &Site, page: &str, cable: &Cable, body: &mut String) -> Unlinked {
    let groups = &site.groups;
    let mut unlinked = Unlinked::default();

    // Addressees, in order, within the routing header (whose end moves as links are added).
    // Without addressee pages they are only looked for: one the header shows needs no row.
    let link_addressees = !groups.addressees.groups.is_empty();
    let mut cursor = body.find("<pre class=routing>");
    for r in &cable.recipients {
        let name = if r.name.is_empty() { &r.text } else { &r.name };
        let Some(key) = addressee_key(name) else {
            continue;
        };
        let target = groups.addressee_page(&key);
        let needle = escaped(name);
        let placed = cursor.and_then(|from| {
            let end = body[from..].find("</pre>").map(|e| from + e)?;
            if link_addressees {
                wrap(body, from, end, &needle, page, &target)
            } else {
                body[from..end]
                    .find(&needle)
                    .map(|i| from + i + needle.len())
            }
        });
        match placed {
            Some(after) => cursor = Some(after),
            None => {
                let list = match r.kind {
                    RecipientKind::To => &mut unlinked.to,
                    RecipientKind::Info => &mut unlinked.info,
                };
                if !list.is_empty() {
                    list.push_str("<br>");
                }
                if link_addressees {
                    list.push_str(&link_html(page, &target, &needle));
                } else {
                    list.push_str(&needle);
                }
            }
        }
    }

    // The official, in the first field that holds the name (the `Classified By:` field).
    if let Some((key, official)) = classifier_of(cable) {
        let target = groups.classifier_page(&key);
        let needle = escaped(&official.name);
        let mut placed = false;
        let mut at = 0;
        while let Some(i) = body[at..].find("<p class=fd>") {
            let start = at + i;
            let end = body[start..].find('\n').map_or(body.len(), |e| start + e);
            let line = body[start..end].to_ascii_lowercase();
            if line.contains("classifi") || line.contains("classifed") {
                placed = wrap(body, start, end, &needle, page, &target).is_some();
                break;
            }
            at = end;
        }
        if !placed {
            unlinked.classifier = link_html(page, &target, &needle);
        }
    }

    // The signature: the last signature paragraph.
    if let Some(signer) = cable.signer.as_deref() {
        if let Some(key) = signer_key(signer) {
            let target = groups.signer_page(&key);
            let needle = escaped(signer.trim());
            let placed = body.rfind("<p class=sg>").is_some_and(|start| {
                let end = body[start..].find('\n').map_or(body.len(), |e| start + e);
                wrap(body, start, end, &needle, page, &target).is_some()
            });
            if !placed {
                unlinked.signer = link_html(page, &target, &needle);
            }
        }
    }
    unlinked
}

//! The page links under a paginated listing.

use super::links::paginated;

/// Links to the first, previous, nearby, next and last pages of the listing at `base` (`tag/PREL`)
/// as seen from page `n` of `pages`: constant size whatever the count, so no page grows with the
/// archive. Links are written as seen from [`super::listings::LISTING_BASE`]
/// (`../tag/PREL.2.html`). Empty when there is one page.
pub fn pager(base: &str, n: usize, pages: usize) -> String {
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
}

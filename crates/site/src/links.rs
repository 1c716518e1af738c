//! Relative links between pages.
//!
//! Every link the site writes is relative to the page that holds it and names a file, never a
//! folder: the same output then works from `file://`, from a USB stick and under a GitHub Pages
//! project path, with no `base_url` and no server rewriting `/x/` to `/x/index.html`.
//!
//! Paths here are site paths: relative to the output root, `/`-separated, no `..`, no leading `/`.

/// The prefix that leads from `page` back to the site root: `""` for `index.html`,
/// `"../../../"` for `cable/2007/03/07PARIS1115.html`.
pub fn root_of(page: &str) -> String {
    "../".repeat(page.matches('/').count())
}

/// The shortest relative link from the page at `from` to the file at `to`:
/// `relative("cable/2007/03/A.html", "cable/2006/12/B.html")` is `"../../2006/12/B.html"`.
pub fn relative(from: &str, to: &str) -> String {
    // One pass over the bytes and one allocation (it runs some ten times per cable page): the
    // folders both paths share are the prefix up to the last `/` before they first differ;
    // every `/` of `from`'s folders after it is one step up.
    let from_dir = &from.as_bytes()[..from.rfind('/').map_or(0, |i| i + 1)];
    let common = from_dir
        .iter()
        .zip(to.as_bytes())
        .take_while(|(a, b)| a == b)
        .enumerate()
        .filter(|(_, (&a, _))| a == b'/')
        .last()
        .map_or(0, |(i, _)| i + 1);
    let ups = from_dir[common..].iter().filter(|&&b| b == b'/').count();
    let rest = &to[common..];
    let mut out = String::with_capacity(3 * ups + rest.len());
    for _ in 0..ups {
        out.push_str("../");
    }
    out.push_str(rest);
    out
}

/// A slug for a listing file name from a display name ("Embassy Paris" → `embassy-paris`):
/// lowercase ASCII letters and digits, runs of anything else become one `-`. Never empty, never
/// contains `.` or `/`, so it can neither leave its folder nor clash with a page-number suffix;
/// never a Windows device name (`con` becomes `con_`).
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out.truncate(80);
    if out.is_empty() || archive_corpus::is_device_name(&out) {
        out.push('_');
    }
    out
}

/// Hands out unique file stems within one folder, comparing case-insensitively (two names that
/// differ only in case would be one file on macOS and Windows disks). Call it in a fixed order
/// and the result is deterministic.
#[derive(Debug, Default)]
pub struct Slugger {
    taken: std::collections::HashSet<String>,
    /// Lowercased stem → next suffix to try, so that thousands of names with one stem stay
    /// linear.
    next: std::collections::HashMap<String, usize>,
}

impl Slugger {
    /// `stem` itself when free, else `stem-2`, `stem-3`, …
    pub fn unique(&mut self, stem: String) -> String {
        if self.taken.insert(stem.to_ascii_lowercase()) {
            return stem;
        }
        let n = self.next.entry(stem.to_ascii_lowercase()).or_insert(2);
        loop {
            let candidate = format!("{stem}-{n}");
            *n += 1;
            if self.taken.insert(candidate.to_ascii_lowercase()) {
                return candidate;
            }
        }
    }
}

/// The file of page `n` (1-based) of a paginated listing whose first page is `<base>.html`:
/// `tag/PREL.html`, `tag/PREL.2.html`. Slugs never contain `.`, so no name can clash.
pub fn paginated(base: &str, n: usize) -> String {
    if n <= 1 {
        format!("{base}.html")
    } else {
        format!("{base}.{n}.html")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The component-by-component definition [`relative`] must agree with.
    fn relative_by_components(from: &str, to: &str) -> String {
        let from_dirs: Vec<&str> = from.split('/').collect();
        let from_dirs = &from_dirs[..from_dirs.len() - 1];
        let to_parts: Vec<&str> = to.split('/').collect();
        let to_dirs = &to_parts[..to_parts.len() - 1];
        let common = from_dirs
            .iter()
            .zip(to_dirs)
            .take_while(|(a, b)| a == b)
            .count();
        let mut out = "../".repeat(from_dirs.len() - common);
        out.push_str(&to_parts[common..].join("/"));
        out
    }

    #[test]
    fn relative_agrees_with_components() {
        let paths = [
            "index.html",
            "a.html",
            "tag/PREL.html",
            "tag/PREL.2.html",
            "tags.html",
            "tag",
            "a/b",
            "a/b/",
            "a/b/c.html",
            "a/bc/d.html",
            "ab/c.html",
            "cable/2007/03/A.html",
            "cable/2007/03/B.html",
            "cable/2007/3/B.html",
            "cable/2007/00/B.html",
            "cable/2006/12/B.html",
            "cable/20071/03/B.html",
            "cable/2007/03/sub/C.html",
            "people/signer/x.html",
        ];
        for from in paths {
            for to in paths {
                assert_eq!(
                    relative(from, to),
                    relative_by_components(from, to),
                    "{from} → {to}"
                );
            }
        }
    }

    #[test]
    fn relative_links() {
        assert_eq!(root_of("index.html"), "");
        assert_eq!(root_of("cable/2007/03/A.html"), "../../../");
        assert_eq!(
            relative("cable/2007/03/A.html", "cable/2006/12/B.html"),
            "../../2006/12/B.html"
        );
        assert_eq!(
            relative("cable/2007/03/A.html", "cable/2007/03/B.html"),
            "B.html"
        );
        assert_eq!(
            relative("cable/2007/03/A.html", "tag/PREL.html"),
            "../../../tag/PREL.html"
        );
        assert_eq!(relative("index.html", "tag/PREL.html"), "tag/PREL.html");
        assert_eq!(
            relative("tag/X.html", "cable/2007/03/B.html"),
            "../cable/2007/03/B.html"
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Embassy Paris"), "embassy-paris");
        assert_eq!(slug("../.."), "_");
        assert_eq!(slug("Con"), "con_");
        assert_eq!(
            slug("US Interests Section Havana!"),
            "us-interests-section-havana"
        );
        let mut s = Slugger::default();
        assert_eq!(s.unique("a".into()), "a");
        assert_eq!(s.unique("A".into()), "A-2");
        assert_eq!(s.unique("a-3".into()), "a-3");
        assert_eq!(s.unique("a".into()), "a-4");
    }
}

//! The routing header, highlighted with syntect through a grammar of our own
//! (`telegram.sublime-syntax`), emitted as CSS classes rather than inline styles so that the
//! Content-Security-Policy (`style-src 'self'`) holds and dark mode can recolour it.
//!
//! Only the routing header goes through syntect: it is a few lines per cable, while the body is
//! escaped directly, which keeps the 250,000-page build fast.

use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::{SyntaxDefinition, SyntaxSet, SyntaxSetBuilder};

const GRAMMAR: &str = include_str!("telegram.sublime-syntax");

/// Classes are `t-` + scope atom (`t-k`, `t-d`, …); [`to_elements`] turns them into element
/// names, styled in `assets/style.css`.
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "t-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(|| {
        let def = SyntaxDefinition::load_from_str(GRAMMAR, true, Some("telegram"))
            .expect("the built-in telegram grammar is valid");
        let mut builder = SyntaxSetBuilder::new();
        builder.add(def);
        builder.build()
    })
}

/// Appends the highlighted routing header to `out` (no `<pre>`: the caller wraps it). The text
/// is escaped; keys are `<t-k>` and the date-time group `<t-d>` elements.
///
/// Syntect costs a few microseconds per line even for a trivial grammar, which at 250,000 cables
/// of ~15 header lines would dominate the build. Our grammar has a single context, so a line's
/// highlighting depends on that line alone, and its rules treat every digit alike; so lines are
/// highlighted once per *shape* (digits replaced by `0`) per thread, and the cached HTML is
/// re-filled with the line's own characters. The output is exactly what highlighting each line
/// would give: the cache changes the speed, never the bytes.
pub fn routing_header(text: &str, out: &mut String) {
    // Control characters become U+FFFD, as everywhere else text is escaped.
    let is_control = |c: char| c < ' ' && !matches!(c, '\t' | '\n' | '\r');
    let cleaned;
    let text = if text.contains(is_control) {
        cleaned = text.replace(is_control, "\u{fffd}");
        cleaned.as_str()
    } else {
        text
    };
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() > CACHE_LIMIT {
            cache.clear();
        }
        // The shape as bytes: digits are ASCII, so it is the line's UTF-8 with each digit byte
        // replaced, as long as the line and with the same character boundaries.
        let mut shape: Vec<u8> = Vec::with_capacity(128);
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            shape.clear();
            shape.extend(
                line.bytes()
                    .map(|b| if b.is_ascii_digit() { b'0' } else { b }),
            );
            if let Some(html) = cache.get(shape.as_slice()) {
                refill(html, line, out);
            } else {
                let html = highlight_line(
                    std::str::from_utf8(&shape).expect("digits swapped for b'0' keep UTF-8"),
                );
                refill(&html, line, out);
                cache.insert(shape.clone(), html);
            }
        }
    });
}

/// Entries kept per thread before the cache starts over (bounded memory on any input).
const CACHE_LIMIT: usize = 50_000;

thread_local! {
    /// Keyed by line shape. FxHash, not SipHash: the keys are the build's own text, hashed for
    /// every header line of every cable, and no one chooses them to collide.
    static CACHE: std::cell::RefCell<rustc_hash::FxHashMap<Vec<u8>, String>> =
        std::cell::RefCell::new(rustc_hash::FxHashMap::default());
}

/// Highlights one line with syntect and returns its HTML without the newline, each scope as a
/// custom element named after its class (`<t-k>DE</t-k>`, see [`to_elements`]). Falls back to
/// plain escaping if syntect fails.
fn highlight_line(line: &str) -> String {
    let set = syntaxes();
    let syntax = &set.syntaxes()[0];
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
    let with_newline = format!("{line}\n");
    if generator
        .parse_html_for_line_which_includes_newline(&with_newline)
        .is_err()
    {
        return super::escape::escape(line);
    }
    to_elements(&generator.finalize()).replace('\n', "")
}

/// Rewrites syntect's `<span class="t-k">DE</span>` as `<t-k>DE</t-k>`: an autonomous custom
/// element is valid HTML, styles like a `<span>`, and costs 11 bytes of markup instead of 24 on
/// each highlighted token of every page. The grammar's base scope (`t-tg`, the whole line) is
/// dropped, and so are empty elements and the seam between two neighbours of the same kind.
/// Only the tokens a reader scans for are kept: keys (`DE`, `FM`, `TO`, `INFO`: `t-k`) and the
/// date-time group (`t-d`); the `VZCZC` line and the precedence (`t-v`, `t-p`) stay plain text,
/// which saves 33 bytes on every cable page.
fn to_elements(html: &str) -> String {
    /// Scopes written as plain text: the whole line, the `VZCZC` line, the precedence.
    const UNMARKED: [&str; 3] = ["t-tg", "t-v", "t-p"];
    let mut out = String::with_capacity(html.len());
    let mut open: Vec<&str> = Vec::new();
    let mut rest = html;
    while let Some(pos) = rest.find('<') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        if let Some(after) = rest.strip_prefix("<span class=\"") {
            let end = after.find('"').unwrap_or(after.len());
            // Scopes are single atoms; should one ever have several, its first names it.
            let name = after[..end].split(' ').next().unwrap_or("t-x");
            rest = after[end..].find('>').map_or("", |e| &after[end + e + 1..]);
            open.push(name);
            if !UNMARKED.contains(&name) {
                out.push('<');
                out.push_str(name);
                out.push('>');
            }
        } else if let Some(after) = rest.strip_prefix("</span>") {
            rest = after;
            match open.pop() {
                Some(name) if UNMARKED.contains(&name) => {}
                None => {}
                Some(name) => {
                    let start = format!("<{name}>");
                    if out.ends_with(&start) {
                        out.truncate(out.len() - start.len());
                    } else {
                        out.push_str("</");
                        out.push_str(name);
                        out.push('>');
                    }
                }
            }
        } else {
            // An entity's `&…;` never holds `<`; anything else is copied as it is.
            out.push('<');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    // `</t-k><t-k>`: two tokens of the same kind side by side read as one.
    for name in ["t-k", "t-d"] {
        let seam = format!("</{name}><{name}>");
        if out.contains(&seam) {
            out = out.replace(&seam, "");
        }
    }
    out
}

/// Copies `html` (highlighted from the line's shape) to `out`, with each text character taken
/// from `line` instead. Tags are copied; an entity stands for one character, which the shape
/// and the line share (only digits differ).
///
/// The text between tags and entities is the shape's own text, byte for byte, so it is copied
/// from the line a run at a time; should the two ever not line up, the character-by-character
/// [`refill_by_chars`] writes the line instead.
fn refill(html: &str, line: &str, out: &mut String) {
    let start = out.len();
    let h = html.as_bytes();
    let mut at = 0; // in `line`
    let mut i = 0; // in `html`
    while i < h.len() {
        let run = memchr::memchr2(b'<', b'&', &h[i..]).unwrap_or(h.len() - i);
        if run > 0 {
            let Some(text) = line.get(at..at + run) else {
                out.truncate(start);
                return refill_by_chars(html, line, out);
            };
            out.push_str(text);
            at += run;
            i += run;
            continue;
        }
        let close = if h[i] == b'<' { b'>' } else { b';' };
        let end = memchr::memchr(close, &h[i..]).map_or(h.len(), |e| i + e + 1);
        out.push_str(&html[i..end]);
        if close == b';' {
            // An entity stands for one character of the line.
            at += line[at.min(line.len())..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
        }
        i = end;
    }
    if at != line.len() {
        out.truncate(start);
        refill_by_chars(html, line, out);
    }
}

/// What [`refill`] writes, one character at a time.
fn refill_by_chars(html: &str, line: &str, out: &mut String) {
    let mut chars = line.chars();
    let mut rest = html;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => {
                let end = rest.find('>').map_or(rest.len(), |e| e + 1);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
            '&' => {
                let end = rest.find(';').map_or(rest.len(), |e| e + 1);
                out.push_str(&rest[..end]);
                chars.next();
                rest = &rest[end..];
            }
            _ => {
                out.push(chars.next().unwrap_or(c));
                rest = &rest[c.len_utf8()..];
            }
        }
    }
}

/// Warms the grammar up once, so the first pages rendered in parallel do not all wait on it.
pub fn init() {
    syntaxes();
}

#[cfg(test)]
mod tests {
    #[test]
    fn highlights_with_classes() {
        let mut out = String::new();
        super::routing_header(
            "VZCZCXRO8195\nOO RUEHDE\nDE RUEHNO #0577/01 2971509\nO 241509Z OCT 07\nFM USMISSION USNATO\nTO RUEHC/SECSTATE WASHDC IMMEDIATE 1311 <x>",
            &mut out,
        );
        assert!(out.contains("<t-k>DE</t-k> RUEHNO"), "{out}");
        assert!(
            out.contains("\nO <t-d>241509Z OCT 07</t-d>") && !out.contains("<t-p>"),
            "{out}"
        );
        assert!(!out.contains("<span") && !out.contains("t-tg"), "{out}");
        assert!(out.contains("&lt;x&gt;"), "{out}");
        assert!(!out.contains("style="), "{out}");
        assert!(out.contains("0577/01 2971509"), "{out}");
    }

    /// Copying the line run by run writes what copying it character by character wrote.
    #[test]
    fn refill_by_runs_equals_by_chars() {
        let lines = [
            "VZCZCXRO8195",
            "DE RUEHNO #0577/01 2971509",
            "O 241509Z OCT 07",
            "FM AMEMBASSY SÃO PAULO",
            "TO RUEHC/SECSTATE WASHDC IMMEDIATE 1311 <x> & \"q\" 'a'",
            "INFO\tRUEHBS/USEU BRUSSELS 0042 \u{fffd}",
            "R 011200Z JAN 07 ÉTÉ",
            "",
            "&&<<>>",
        ];
        for line in lines {
            let shape: String = line
                .chars()
                .map(|c| if c.is_ascii_digit() { '0' } else { c })
                .collect();
            let html = super::highlight_line(&shape);
            let (mut runs, mut chars) = (String::new(), String::new());
            super::refill(&html, line, &mut runs);
            super::refill_by_chars(&html, line, &mut chars);
            assert_eq!(runs, chars, "{line}");
            // And on HTML that does not fit the line, it falls back to the same result.
            let (mut runs, mut chars) = (String::from("x"), String::from("x"));
            super::refill("ab<t-k>cdé</t-k>&amp;zzzzzzzz", line, &mut runs);
            super::refill_by_chars("ab<t-k>cdé</t-k>&amp;zzzzzzzz", line, &mut chars);
            assert_eq!(runs, chars, "{line}");
        }
    }

    #[test]
    fn cached_lines_keep_their_own_digits() {
        let mut one = String::new();
        super::routing_header(
            "TO RUEHC/SECSTATE WASHDC IMMEDIATE 1311\nDE RUEHNO #0577",
            &mut one,
        );
        let mut two = String::new();
        super::routing_header(
            "TO RUEHC/SECSTATE WASHDC IMMEDIATE 9876\nDE RUEHNO #1234 <&>",
            &mut two,
        );
        assert!(one.contains("1311") && !one.contains("9876"), "{one}");
        assert!(
            two.contains("9876") && two.contains("#1234 &lt;&amp;&gt;"),
            "{two}"
        );
        assert_eq!(one.matches("<t-k>").count(), 2, "{one}");
        assert_eq!(one.matches("</t-k>").count(), 2, "{one}");
    }
}

#[cfg(test)]
mod bench {
    /// `cargo test --release --lib highlight::bench -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn time_routing_header() {
        let header = "VZCZCXRO8195\nOO RUEHDE\nDE RUEHNO #0577/01 2971509\nZNY CCCCC ZZH\nO 241509Z OCT 07\nFM USMISSION USNATO\nTO RUEHC/SECSTATE WASHDC IMMEDIATE 1311\nINFO RUEHZG/NATO EU COLLECTIVE IMMEDIATE\nRUEHMO/AMEMBASSY MOSCOW IMMEDIATE 5780\nRUEHDE/AMCONSUL DUBAI IMMEDIATE 0009\nRHEFDIA/DIA WASHDC IMMEDIATE\nRHEHNSC/NSC WASHDC IMMEDIATE\nRUEKJCS/JOINT STAFF WASHDC IMMEDIATE\nRUEKJCS/SECDEF WASHINGTON DC IMMEDIATE\nRUEAIIA/CIA WASHDC IMMEDIATE";
        super::init();
        let n = 5000;
        let started = std::time::Instant::now();
        let mut size = 0;
        for _ in 0..n {
            let mut out = String::new();
            super::routing_header(header, &mut out);
            size = out.len();
        }
        let per = started.elapsed().as_secs_f64() * 1e6 / n as f64;
        println!(
            "routing header, 15 lines: {per:.1} µs, {size} bytes for {} of text",
            header.len()
        );
    }
}

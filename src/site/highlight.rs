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

/// Classes are `t-` + scope atom (`t-k`, `t-d`, …), defined in `assets/style.css`.
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
/// is escaped by syntect; if the grammar ever fails on a line, the rest is escaped plainly.
pub fn routing_header(text: &str, out: &mut String) {
    let set = syntaxes();
    let syntax = &set.syntaxes()[0];
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
    let mut rest_from = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let with_newline;
        let line_nl = if line.ends_with('\n') {
            line
        } else {
            with_newline = format!("{line}\n");
            &with_newline
        };
        if generator
            .parse_html_for_line_which_includes_newline(line_nl)
            .is_err()
        {
            rest_from = Some(offset);
            break;
        }
        offset += line.len();
    }
    let html = generator.finalize();
    out.push_str(html.strip_suffix('\n').unwrap_or(&html));
    if let Some(from) = rest_from {
        super::escape::push_escaped(out, &text[from..]);
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
        assert!(out.contains("class=\"t-k\""), "{out}");
        assert!(out.contains("class=\"t-d\""), "{out}");
        assert!(out.contains("class=\"t-r\""), "{out}");
        assert!(out.contains("&lt;x&gt;"), "{out}");
        assert!(!out.contains("style="), "{out}");
    }
}

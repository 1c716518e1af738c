//! Small string helpers shared by the parser's modules: cleaning HTML-to-Markdown leftovers off a
//! line, joining wrapped lines, title-casing place names. All of them work line by line or word by
//! word, never allocate per character, and never panic.

use std::borrow::Cow;

/// Splits decoded text into lines (`\n` only: the decoder has normalised line endings). A final
/// newline does not make an extra empty line, so line `i` of the result is line `i + 1` in an
/// editor.
pub fn split_lines(text: &str) -> Vec<&str> {
    // memchr finds the line ends many bytes at a time (`str::split` goes through a generic
    // searcher); `\n` is ASCII, so every cut is on a character boundary.
    let mut lines: Vec<&str> = Vec::with_capacity(text.len() / 40 + 1);
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
        lines.push(&text[start..end]);
        start = end + 1;
    }
    // What follows the last newline, unless the text ends with one (then there is nothing).
    if !text.ends_with('\n') {
        lines.push(&text[start..]);
    }
    lines
}

/// Cleans one line for the telegram body: trailing whitespace is cut, `[1](#)` (a numeric
/// Markdown link left by the HTML conversion) vanishes, `[NATO](#)` becomes `NATO`, `¶` vanishes,
/// and when `unescape` is set (raw telegrams, which went through Markdown) a backslash before ASCII
/// punctuation is dropped (`\$` → `$`). Borrows when the line has none of these, which is nearly
/// always.
pub fn clean_line(line: &str, unescape: bool) -> Cow<'_, str> {
    let line = line.trim_end();
    // `¶` is U+00B6, encoded C2 B6; testing for 0xC2 also catches NBSP, which is harmless.
    let backslash = if unescape { b'\\' } else { b'[' };
    let bytes = line.as_bytes();
    // memchr3 decides the common case, nothing to clean, many bytes at a time, and then jumps
    // from one special byte to the next.
    let Some(first) = memchr::memchr3(b'[', 0xC2, backslash, bytes) else {
        return Cow::Borrowed(line);
    };
    let mut out = String::with_capacity(line.len());
    let mut run_start = 0;
    let mut i = first;
    while i < bytes.len() {
        let Some(at) = memchr::memchr3(b'[', 0xC2, backslash, &bytes[i..]) else {
            break;
        };
        i += at;
        let b = bytes[i];
        // Everything up to `i` is plain; `i` is on a char boundary because the special bytes are
        // ASCII or the lead byte of a two-byte sequence.
        let replacement: Option<(usize, &str)> = if b == b'[' {
            markdown_link(&line[i..]).map(|(inner, len)| {
                let keep = if inner.bytes().all(|c| c.is_ascii_digit()) {
                    ""
                } else {
                    inner
                };
                (len, keep)
            })
        } else if b == 0xC2 {
            line[i..].starts_with('\u{b6}').then_some((2, ""))
        } else {
            match bytes.get(i + 1) {
                Some(&n) if n.is_ascii_punctuation() => Some((2, &line[i + 1..i + 2])),
                _ => None,
            }
        };
        match replacement {
            Some((len, keep)) => {
                out.push_str(&line[run_start..i]);
                out.push_str(keep);
                i += len;
                run_start = i;
            }
            None => i += 1,
        }
    }
    out.push_str(&line[run_start..]);
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    Cow::Owned(out)
}

/// Recognises `[text](#)` at the start of `s`, returning the link text and the length of the
/// whole link. The text is short and has no brackets: anything else is left alone.
fn markdown_link(s: &str) -> Option<(&str, usize)> {
    let body = s.strip_prefix('[')?;
    let close = body.bytes().take(80).position(|b| b == b']')?;
    let inner = &body[..close];
    if inner.contains('[') {
        return None;
    }
    body[close + 1..]
        .starts_with("(#)")
        .then_some((inner, close + 5))
}

/// The text with every NO-BREAK SPACE turned into a plain space and the ends trimmed. The web
/// export's header table separates values with NBSP; this makes them ordinary words.
pub fn nbsp_to_space(s: &str) -> Cow<'_, str> {
    let s = s.trim();
    if s.contains('\u{a0}') {
        Cow::Owned(s.replace('\u{a0}', " ").trim().to_string())
    } else {
        Cow::Borrowed(s)
    }
}

/// Joins a block's lines into one line the way a reader would: with a space, except after a word
/// ending in a hyphen (`GROUP-` + `REINFORCED`) and before a line starting with punctuation
/// (`Reason 1` + `.4 B/D` → `Reason 1.4 B/D`), where the break was inside a word or number.
pub fn join_wrapped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut line = line.trim();
        // A line of dots alone is the release's mark that it cut the text (73TEHRAN2077:
        // `SUBJECT: AUDIENCE WITH SHAH APRIL 5` / ` ...`), no words of it.
        if line.is_empty() || line.bytes().all(|b| b == b'.') || line == "\u{2026}" {
            continue;
        }
        // A continuation line that starts with a dash and a gap (`-        CEASEFIRE`) carries
        // a filler, not a word of the text.
        if !out.is_empty() {
            if let Some(rest) = line.strip_prefix('-').filter(|r| r.starts_with("  ")) {
                line = rest.trim_start();
            }
        }
        if !out.is_empty() {
            let glued_hyphen = out.ends_with('-')
                && out[..out.len() - 1]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric());
            let starts_punct = line.starts_with(['.', ',', ';', ':', ')']);
            if !glued_hyphen && !starts_punct {
                out.push(' ');
            }
        }
        out.push_str(line);
    }
    out
}

/// True when a line of prose ends a sentence (`.`, `!`, `?`, `:`, `;`, possibly followed by a
/// closing quote or parenthesis). A paragraph whose last line does not end a sentence continues
/// across a blank line: the blank was a page break in the original, not a paragraph break.
pub fn ends_sentence(line: &str) -> bool {
    let t = line
        .trim_end()
        .trim_end_matches(['"', '\'', ')', '\u{201d}', '\u{2019}']);
    t.ends_with(['.', '!', '?', ':', ';'])
}

/// True when the text has an ASCII lowercase letter; telegram header lines never do, prose does.
pub fn has_lowercase(s: &str) -> bool {
    s.bytes().any(|b| b.is_ascii_lowercase())
}

/// True for a non-empty string of ASCII digits.
pub fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// True for a non-empty string of ASCII uppercase letters.
pub fn is_upper_word(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// Title-cases a place name written in capitals: `RIO DE JANEIRO` → `Rio De Janeiro`,
/// `GUINEA-BISSAU` → `Guinea-Bissau`. Words in `keep` (acronyms such as `USNATO`) stay as they are.
pub fn title_case(words: &[&str], keep: impl Fn(&str) -> bool) -> String {
    let mut out = String::new();
    for word in words {
        if !out.is_empty() {
            out.push(' ');
        }
        if keep(word) {
            out.push_str(word);
            continue;
        }
        let mut upper_next = true;
        for c in word.chars() {
            if upper_next {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
            upper_next = matches!(c, '-' | '\'' | '/' | '(');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_without_a_phantom_last_line() {
        assert_eq!(split_lines("a\nb\n"), vec!["a", "b"]);
        assert_eq!(split_lines("a\n\nb"), vec!["a", "", "b"]);
    }

    #[test]
    fn markdown_leftovers_are_cleaned() {
        assert_eq!(clean_line("[1](#)1. (C) Text  ", false), "1. (C) Text");
        assert_eq!(
            clean_line("TAGS: [NATO](#) [PGOV](#)", false),
            "TAGS: NATO PGOV"
        );
        assert_eq!(clean_line("\u{b6}1. (C) x", false), "1. (C) x");
        assert_eq!(
            clean_line("of the \\$8.9 billion", true),
            "of the $8.9 billion"
        );
        assert_eq!(
            clean_line("of the \\$8.9 billion", false),
            "of the \\$8.9 billion"
        );
        assert_eq!(clean_line("a [b] c\u{a0}d", false), "a [b] c\u{a0}d");
        assert!(matches!(
            clean_line("plain  ", true),
            Cow::Borrowed("plain")
        ));
        assert_eq!(clean_line("ends \\", true), "ends \\");
    }

    #[test]
    fn wrapped_lines_join() {
        assert_eq!(
            join_wrapped("WORKING GROUP-\nREINFORCED MEETING"),
            "WORKING GROUP-REINFORCED MEETING"
        );
        assert_eq!(join_wrapped("Reason 1\n.4 B/D"), "Reason 1.4 B/D");
        assert_eq!(join_wrapped("IRAQ -\nELECTIONS"), "IRAQ - ELECTIONS");
        assert_eq!(join_wrapped("A\n\nB"), "A B");
    }

    #[test]
    fn sentence_ends() {
        assert!(ends_sentence("End Summary."));
        assert!(ends_sentence("End note.)"));
        assert!(ends_sentence("he said \"no.\""));
        assert!(!ends_sentence("and not"));
        assert!(!ends_sentence("missile defense (MD)"));
    }

    #[test]
    fn title_case_places() {
        assert_eq!(
            title_case(&["RIO", "DE", "JANEIRO"], |_| false),
            "Rio De Janeiro"
        );
        assert_eq!(title_case(&["GUINEA-BISSAU"], |_| false), "Guinea-Bissau");
        assert_eq!(title_case(&["USNATO", "X"], |w| w == "USNATO"), "USNATO X");
    }
}

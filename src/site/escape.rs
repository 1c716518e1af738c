//! HTML escaping, used for every piece of cable text and as Tera's escape function.
//!
//! Tera's own escaper also escapes `/` (as `&#x2F;`), which makes every subject like
//! `U.S./NATO` longer and unreadable in the source; `/` is harmless in text and in quoted
//! attributes, so we escape only what HTML needs: `& < > " '`.

/// What control characters other than tab and line breaks become: NUL and the other C0 controls
/// are errors in HTML and make XML (the feed, the sitemap) unreadable, and a cable's text is
/// never meant to hold them.
const CONTROL: &str = "\u{fffd}";

/// Appends `text` to `out`, escaped for HTML text and quoted attribute values; control
/// characters become U+FFFD.
pub fn push_escaped(out: &mut String, text: &str) {
    push::<true>(out, text);
}

/// Appends `text` to `out`, escaped for HTML *text content* only (`& < >`, controls as in
/// [`push_escaped`]): quotes need no escaping outside attribute values, and apostrophes are
/// common in cables (`OBERING'S`), so this saves four bytes each on every page. Never use it
/// inside an attribute.
pub fn push_text(out: &mut String, text: &str) {
    push::<false>(out, text);
}

/// The one escaping loop; `QUOTES` (a constant, so each use compiles to its own tight loop)
/// decides whether `"` and `'` are escaped too.
fn push<const QUOTES: bool>(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if QUOTES => "&quot;",
            b'\'' if QUOTES => "&#39;",
            b'\t' | b'\n' | b'\r' => continue,
            0..=0x1f => CONTROL,
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

/// `text` escaped for HTML, as a new string (the signature Tera wants for its escape function).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_escaped(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_escaping_keeps_quotes() {
        let mut out = String::new();
        super::push_text(&mut out, "OBERING'S \"plan\" <b> & co");
        assert_eq!(out, "OBERING'S \"plan\" &lt;b&gt; &amp; co");
    }

    #[test]
    fn controls_are_replaced() {
        let mut out = String::new();
        super::push_text(&mut out, "a\0b\x1bc\td\ne");
        assert_eq!(out, "a\u{fffd}b\u{fffd}c\td\ne");
        assert_eq!(super::escape("x\x07"), "x\u{fffd}");
    }

    #[test]
    fn escapes() {
        assert_eq!(
            super::escape("<script>alert('x')</script> & \"U.S./NATO\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;U.S./NATO&quot;"
        );
    }
}

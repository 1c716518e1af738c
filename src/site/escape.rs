//! HTML escaping, used for every piece of cable text and as Tera's escape function.
//!
//! Tera's own escaper also escapes `/` (as `&#x2F;`), which makes every subject like
//! `U.S./NATO` longer and unreadable in the source; `/` is harmless in text and in quoted
//! attributes, so we escape only what HTML needs: `& < > " '`.

/// Appends `text` to `out`, escaped for HTML text and quoted attribute values.
pub fn push_escaped(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

/// Appends `text` to `out`, escaped for HTML *text content* only (`& < >`): quotes need no
/// escaping outside attribute values, and apostrophes are common in cables (`OBERING'S`), so
/// this saves four bytes each on every page. Never use it inside an attribute.
pub fn push_text(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
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
    fn escapes() {
        assert_eq!(
            super::escape("<script>alert('x')</script> & \"U.S./NATO\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;U.S./NATO&quot;"
        );
    }
}

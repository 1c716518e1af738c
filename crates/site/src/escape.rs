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
///
/// Cable text is mostly plain capitals and spaces, so the loop skips sixty-four bytes at a time
/// while none of them needs a replacement ([`block_needs_escape`]), then eight (a test on a
/// `u64`, see [`may_need_escape`]); only a group that may hold one is looked at byte by byte.
fn push<const QUOTES: bool>(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len());
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Sixty-four bytes at a time first (a test the compiler vectorises): a paragraph of
        // plain text is passed over in a few instructions per group.
        let group_end = i + BLOCK;
        if let Some(block) = bytes.get(i..group_end) {
            if !block_needs_escape::<QUOTES>(block.try_into().expect("BLOCK bytes")) {
                i = group_end;
                continue;
            }
        }
        let end = group_end.min(bytes.len());
        while i < end {
            i = push_group::<QUOTES>(out, text, &mut last, i);
        }
    }
    out.push_str(&text[last..]);
}

/// Bytes tested at once by [`block_needs_escape`].
const BLOCK: usize = 64;

/// Whether any byte of `block` needs a replacement: exact (tab and line breaks do not count).
/// Branch-free, with flags OR-ed into one byte, so that it vectorises.
fn block_needs_escape<const QUOTES: bool>(block: &[u8; BLOCK]) -> bool {
    block.iter().fold(0u8, |found, &b| {
        let control = (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r');
        let markup = (b == b'&') | (b == b'<') | (b == b'>');
        let quote = QUOTES & ((b == b'"') | (b == b'\''));
        found | u8::from(control | markup | quote)
    }) != 0
}

/// Escapes from byte `i` of `text` on: eight bytes passed over when none needs escaping, else
/// the byte at `i` handled (replaced, with the plain text since `last` written out before it).
/// Returns where to go on.
fn push_group<const QUOTES: bool>(
    out: &mut String,
    text: &str,
    last: &mut usize,
    i: usize,
) -> usize {
    let bytes = text.as_bytes();
    if let Some(group) = bytes.get(i..i + 8) {
        let word = u64::from_le_bytes(group.try_into().expect("8 bytes"));
        if !may_need_escape::<QUOTES>(word) {
            return i + 8;
        }
    }
    let rep = match bytes[i] {
        b'&' => "&amp;",
        b'<' => "&lt;",
        b'>' => "&gt;",
        b'"' if QUOTES => "&quot;",
        b'\'' if QUOTES => "&#39;",
        b'\t' | b'\n' | b'\r' => return i + 1,
        0..=0x1f => CONTROL,
        _ => return i + 1,
    };
    out.push_str(&text[*last..i]);
    out.push_str(rep);
    *last = i + 1;
    i + 1
}

/// Whether any of the eight bytes of `word` is a control character or one of `& < >` (and
/// `" '` when `QUOTES`). Exact when it says no; it says yes for tab and line breaks too, which
/// the byte loop then passes over.
fn may_need_escape<const QUOTES: bool>(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // Some byte is zero exactly when this is not zero.
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let has = |c: u8| has_zero(word ^ (ONES * u64::from(c)));
    // Some byte is below 0x20 (bytes of 0x80 and above, in UTF-8 sequences, never count).
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    let mut found = control | has(b'&') | has(b'<') | has(b'>');
    if QUOTES {
        found |= has(b'"') | has(b'\'');
    }
    found != 0
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

    /// Byte by byte, what `escape` must give: the reference the fast paths are held to.
    fn naive_escape(text: &str) -> String {
        let mut naive = String::new();
        for c in text.chars() {
            match c {
                '&' => naive.push_str("&amp;"),
                '<' => naive.push_str("&lt;"),
                '>' => naive.push_str("&gt;"),
                '"' => naive.push_str("&quot;"),
                '\'' => naive.push_str("&#39;"),
                '\t' | '\n' | '\r' => naive.push(c),
                c if (c as u32) < 0x20 => naive.push('\u{fffd}'),
                c => naive.push(c),
            }
        }
        naive
    }

    /// Every special byte at every position of texts of the given lengths, with a two-byte
    /// letter every `wide`-th character so that it falls at every offset of a group: `escape`,
    /// `push_escaped` and `push_text` against [`naive_escape`].
    fn check_every_position(lengths: impl Iterator<Item = usize> + Clone, wide: usize) {
        for special in (0u8..0x20).chain(*b"&<>\"'") {
            for len in lengths.clone() {
                for at in 0..len {
                    let mut chars: Vec<char> = (0..len)
                        .map(|i| if i % wide == wide - 1 { 'é' } else { 'A' })
                        .collect();
                    chars[at] = char::from(special);
                    let text: String = chars.into_iter().collect();
                    let naive = naive_escape(&text);
                    assert_eq!(super::escape(&text), naive, "{special:#x} at {at} of {len}");
                    let mut fast = String::new();
                    super::push_escaped(&mut fast, &text);
                    assert_eq!(fast, naive, "{special:#x} at {at} of {len}");
                    let mut in_text = String::new();
                    super::push_text(&mut in_text, &text);
                    let naive_text = naive.replace("&quot;", "\"").replace("&#39;", "'");
                    assert_eq!(in_text, naive_text, "{special:#x} at {at} of {len}");
                }
            }
        }
    }

    /// The eight-byte skip never skips a byte that needs escaping, wherever it falls.
    #[test]
    fn every_position_of_every_special_byte() {
        check_every_position(1..24, 3);
    }

    /// The same across the sixty-four-byte blocks: every special byte at every position of
    /// texts one, two and more blocks long.
    #[test]
    fn every_position_across_blocks() {
        check_every_position([63, 64, 65, 71, 72, 127, 128, 129, 150].into_iter(), 5);
    }
}

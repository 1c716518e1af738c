//! Bytes → text. The collection is mostly UTF-8, with a minority of files saved as Windows-1252
//! (Latin-1 accents such as `0xE9`), a few with a byte-order mark or Windows line endings, and the
//! odd binary file that slipped into a cable folder. Everything after this module works on a
//! `&str` with `\n` line endings only, so the rest of the parser never thinks about encodings.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use std::borrow::Cow;

/// Why a file could not be turned into text worth parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// Zero bytes, or only whitespace: there is nothing to read.
    Empty,
    /// NUL bytes or mostly control bytes: an image, archive or other binary file, not a cable.
    /// The payload says what gave it away, for the error message.
    Binary(String),
}

impl DecodeError {
    /// The message shown to the user, phrased so that it says what to do about it.
    pub fn message(&self) -> String {
        match self {
            DecodeError::Empty => {
                "empty file: no identifier, date or classification found: this does not look like a cable".to_string()
            }
            DecodeError::Binary(why) => {
                format!("binary file ({why}): this does not look like a cable")
            }
        }
    }
}

/// How many leading bytes are sampled to tell text from binary (the same window git uses).
const SAMPLE: usize = 8000;

/// Decodes a file's bytes into text with `\n` line endings.
///
/// - A UTF-8 BOM is stripped; a UTF-16 BOM selects UTF-16 (those files are full of NULs and would
///   otherwise look binary).
/// - Valid UTF-8 is borrowed as is; anything else is read as Windows-1252, the encoding of the
///   collection's non-UTF-8 files (a superset of Latin-1 for printable text, and it never fails).
/// - `\r\n` and lone `\r` become `\n`, so line numbers still match what an editor shows.
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, DecodeError> {
    let (bytes, utf16) = match Encoding::for_bom(bytes) {
        Some((enc, bom_len)) if enc == UTF_8 => (&bytes[bom_len..], None),
        Some((enc, bom_len)) => (&bytes[bom_len..], Some(enc)),
        None => (bytes, None),
    };
    let text: Cow<'_, str> = if let Some(enc) = utf16 {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        Cow::Owned(text.into_owned())
    } else {
        if let Some(why) = binary_reason(bytes) {
            return Err(DecodeError::Binary(why));
        }
        match std::str::from_utf8(bytes) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => {
                let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
                text
            }
        }
    };
    let text = normalize_newlines(text);
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(text)
}

/// Says why a byte string looks binary, or `None` for text. A NUL in the sample together with a
/// few percent of control bytes, or a tenth of the sample being control bytes, means binary; a
/// single stray NUL in an otherwise clean cable does not lose the cable.
fn binary_reason(bytes: &[u8]) -> Option<String> {
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    if sample.is_empty() {
        return None;
    }
    // Control bytes: C0 but tab, line breaks and form feed, and DEL. Branch-free (bitwise `|`,
    // no `||`) and counted in one byte per lane, 255 bytes at a time, so the loop vectorises
    // sixteen or more bytes to an instruction: it runs over every file, twice per build. (Three
    // `u32` counters did not vectorise: ~5 instructions a byte.)
    let mut control = 0usize;
    for chunk in sample.chunks(255) {
        let mut n = 0u8;
        for &b in chunk {
            let allowed = (b == b'\t') | (b == b'\n') | (b == b'\r') | (b == 0x0c);
            n += u8::from(((b < 0x20) & !allowed) | (b == 0x7f));
        }
        control += usize::from(n);
    }
    if control == 0 {
        return None;
    }
    let nul = sample.iter().filter(|&&b| b == 0).count();
    if nul > 0 && control * 50 > sample.len() {
        Some(format!(
            "{nul} NUL byte(s) in the first {} bytes",
            sample.len()
        ))
    } else if control * 10 > sample.len() {
        Some(format!(
            "{control} of the first {} bytes are control characters",
            sample.len()
        ))
    } else {
        None
    }
}

/// Turns `\r\n` and lone `\r` into `\n`; borrows when there is nothing to do (the common case).
fn normalize_newlines(text: Cow<'_, str>) -> Cow<'_, str> {
    // An OR of byte flags vectorises; `contains` (a word-at-a-time memchr) cost about one
    // instruction a byte on every file, twice per build.
    if text
        .bytes()
        .fold(0u8, |found, b| found | u8::from(b == b'\r'))
        == 0
    {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(pos) = rest.find('\r') {
        out.push_str(&rest[..pos]);
        out.push('\n');
        rest = &rest[pos + 1..];
        if let Some(after) = rest.strip_prefix('\n') {
            rest = after;
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_borrowed() {
        assert!(matches!(decode(b"UNCLAS\n").unwrap(), Cow::Borrowed(_)));
    }

    #[test]
    fn bom_is_stripped() {
        assert_eq!(decode(b"\xEF\xBB\xBFUNCLAS").unwrap(), "UNCLAS");
    }

    #[test]
    fn latin1_falls_back_to_windows_1252() {
        assert_eq!(
            decode(b"caf\xE9 \x93ok\x94").unwrap(),
            "caf\u{e9} \u{201c}ok\u{201d}"
        );
    }

    #[test]
    fn line_endings_are_normalised() {
        assert_eq!(decode(b"a\r\nb\rc\n").unwrap(), "a\nb\nc\n");
        assert_eq!(decode(b"a\r\r\nb").unwrap(), "a\n\nb");
    }

    #[test]
    fn utf16_with_bom_is_read() {
        let mut bytes = vec![0xFF, 0xFE];
        for c in "SECRET\n".encode_utf16() {
            bytes.extend_from_slice(&c.to_le_bytes());
        }
        assert_eq!(decode(&bytes).unwrap(), "SECRET\n");
    }

    #[test]
    fn empty_and_blank_are_errors() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b"  \n\r\n \t"), Err(DecodeError::Empty));
    }

    #[test]
    fn binary_is_detected_but_a_stray_nul_is_tolerated() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0";
        assert!(matches!(decode(png), Err(DecodeError::Binary(_))));
        let mut text = b"UNCLAS STATE 000123\n".repeat(20);
        text.push(0);
        assert!(decode(&text).is_ok());
    }
}

//! Places in the body that cite the `REF:` block: `REF A`, `REFS A AND B`, `(see REF C)`,
//! `reftel`, `reftels`. Found here once so pages can link them without parsing text.

use crate::model::{Mention, Reference};

/// Most references a single mention lists. A bare `reftels` cites every reference, and a
/// hostile cable with 100,000 references and 100,000 `reftel`s would otherwise hold 10^10
/// indices; real cables have a few dozen references at most. Pages link a mention of several
/// references to the list of all of them, so the cap changes no page.
pub const MAX_CITED: usize = 256;

/// The references of a cable, indexed by letter once, so that finding mentions costs time in
/// proportion to the text, not to text × references.
pub struct Index {
    /// `by_letter[L - b'A']`: the references labelled `L`, in order (at most [`MAX_CITED`]).
    by_letter: [Vec<usize>; 26],
    /// What a bare keyword cites: every reference, up to [`MAX_CITED`].
    all: Vec<usize>,
}

impl Index {
    pub fn new(refs: &[Reference]) -> Index {
        let mut by_letter: [Vec<usize>; 26] = Default::default();
        for (k, r) in refs.iter().enumerate() {
            if let Some(&[letter]) = r.label.as_deref().map(str::as_bytes) {
                if letter.is_ascii_uppercase() {
                    let slot = &mut by_letter[usize::from(letter - b'A')];
                    if slot.len() < MAX_CITED {
                        slot.push(k);
                    }
                }
            }
        }
        Index {
            by_letter,
            all: (0..refs.len().min(MAX_CITED)).collect(),
        }
    }
}

/// [`find_indexed`] for one block (tests).
#[cfg(test)]
pub fn find(text: &str, refs: &[Reference]) -> Vec<Mention> {
    if refs.is_empty() {
        return Vec::new();
    }
    find_indexed(text, &Index::new(refs))
}

/// Finds the mentions in `text` with the references already indexed (one index for all the
/// blocks of a cable). Offsets are on char boundaries, in order, never overlapping. Keywords
/// match whole words in any case; letters must be capitals and name a labelled reference. A
/// keyword without letters cites every reference (up to [`MAX_CITED`]); a letter that names no
/// reference makes no mention (linking it to the wrong cable would be worse than no link).
pub fn find_indexed(text: &str, index: &Index) -> Vec<Mention> {
    let mut out = Vec::new();
    if index.all.is_empty() {
        return out;
    }
    let b = text.as_bytes();
    let mut i = 0;
    while let Some(at) = next_ref(b, i) {
        i = at;
        if !word_start(b, i) {
            i += 1;
            continue;
        }
        let Some(kw_end) = keyword_end(b, i) else {
            i += 1;
            continue;
        };
        let (letters, end) = letter_list(b, kw_end);
        if letters.is_empty() {
            if end > kw_end {
                // Letters were written but name no reference.
                i = end;
                continue;
            }
            out.push(Mention {
                start: i,
                end: kw_end,
                references: index.all.clone(),
            });
            i = kw_end;
            continue;
        }
        let mut cited = Vec::new();
        for letter in letters {
            if letter.is_ascii_uppercase() {
                cited.extend_from_slice(&index.by_letter[usize::from(letter - b'A')]);
            }
        }
        // In order of the letters as written, each reference once.
        let mut seen = std::collections::HashSet::with_capacity(cited.len());
        cited.retain(|k| seen.insert(*k));
        cited.truncate(MAX_CITED);
        if cited.is_empty() {
            i = end;
            continue;
        }
        out.push(Mention {
            start: i,
            end,
            references: cited,
        });
        i = end;
    }
    out
}

/// The index of the next `ref` (any case) at or after `from`. Blocks of 64 positions are tested
/// without a branch per byte so the test vectorises; most text has no `ref` at all.
fn next_ref(b: &[u8], from: usize) -> Option<usize> {
    const BLOCK: usize = 64;
    let is_ref = |x: u8, y: u8, z: u8| (x | 0x20 == b'r') & (y | 0x20 == b'e') & (z | 0x20 == b'f');
    let mut i = from;
    while i + 3 <= b.len() {
        let end = (i + BLOCK).min(b.len() - 2);
        let (w0, w1, w2) = (&b[i..end], &b[i + 1..end + 1], &b[i + 2..end + 2]);
        let hit = w0
            .iter()
            .zip(w1)
            .zip(w2)
            .fold(false, |found, ((&x, &y), &z)| found | is_ref(x, y, z));
        if hit {
            return w0
                .iter()
                .zip(w1)
                .zip(w2)
                .position(|((&x, &y), &z)| is_ref(x, y, z))
                .map(|p| i + p);
        }
        i = end;
    }
    None
}

/// The end of `REF`, `REFS`, `REFTEL` or `REFTELS` starting at `i`, when it is a whole word.
fn keyword_end(b: &[u8], i: usize) -> Option<usize> {
    for suffix in [&b"tels"[..], b"tel", b"s", b""] {
        let end = i + 3 + suffix.len();
        if end <= b.len() && b[i + 3..end].eq_ignore_ascii_case(suffix) && word_end(b, end) {
            return Some(end);
        }
    }
    None
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn word_start(b: &[u8], i: usize) -> bool {
    i == 0 || !is_word(b[i - 1])
}

fn word_end(b: &[u8], i: usize) -> bool {
    i >= b.len() || !is_word(b[i])
}

/// Reads `A`, `A AND B`, `A, B AND C`, `A-C`, `A THROUGH C`, `(A)` after a keyword. Returns the
/// letters and where the list ends (`from` when there is none).
fn letter_list(b: &[u8], from: usize) -> (Vec<u8>, usize) {
    let mut letters = Vec::new();
    let Some((first, mut end)) = letter_at(b, skip_spaces(b, from)) else {
        return (letters, from);
    };
    if skip_spaces(b, from) == from {
        return (letters, from); // `REFA` is not `REF A`
    }
    letters.push(first);
    loop {
        let mut j = skip_spaces(b, end);
        let mut range = false;
        let mut sep = false;
        if j < b.len() && matches!(b[j], b',' | b'/' | b'&' | b'-') {
            range = b[j] == b'-';
            j = skip_spaces(b, j + 1);
            sep = true;
        }
        for word in [&b"AND"[..], b"THROUGH", b"THRU"] {
            if b.len() >= j + word.len()
                && b[j..j + word.len()].eq_ignore_ascii_case(word)
                && word_end(b, j + word.len())
            {
                range = word != b"AND";
                j = skip_spaces(b, j + word.len());
                sep = true;
                break;
            }
        }
        if !sep {
            break;
        }
        let Some((letter, next_end)) = letter_at(b, j) else {
            break;
        };
        let prev = *letters.last().unwrap_or(&letter);
        if range && letter > prev {
            letters.extend(prev + 1..=letter);
        } else {
            letters.push(letter);
        }
        end = next_end;
    }
    (letters, end)
}

/// A capital letter standing alone at `j` (`A`, or `(A)`), and where it ends.
fn letter_at(b: &[u8], j: usize) -> Option<(u8, usize)> {
    let (c, end) = if b.get(j) == Some(&b'(') && b.get(j + 2) == Some(&b')') {
        (*b.get(j + 1)?, j + 3)
    } else {
        (*b.get(j)?, j + 1)
    };
    (c.is_ascii_uppercase() && word_end(b, end)).then_some((c, end))
}

fn skip_spaces(b: &[u8], mut j: usize) -> usize {
    while j < b.len() && b[j] == b' ' {
        j += 1;
    }
    j
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CableId;

    fn refs(labels: &[Option<&str>]) -> Vec<Reference> {
        labels
            .iter()
            .enumerate()
            .map(|(k, l)| Reference {
                label: l.map(str::to_string),
                text: format!("STATE {k}"),
                id: Some(CableId(format!("07STATE{k}"))),
            })
            .collect()
    }

    fn spans<'a>(text: &'a str, r: &[Reference]) -> Vec<(&'a str, Vec<usize>)> {
        find(text, r)
            .into_iter()
            .map(|m| (&text[m.start..m.end], m.references))
            .collect()
    }

    #[test]
    fn lettered_mentions() {
        let r = refs(&[Some("A"), Some("B"), Some("C")]);
        assert_eq!(
            spans("As REF A said, (see REF C) and REFS A AND B.", &r),
            vec![
                ("REF A", vec![0]),
                ("REF C", vec![2]),
                ("REFS A AND B", vec![0, 1])
            ]
        );
        assert_eq!(spans("REFS A-C", &r), vec![("REFS A-C", vec![0, 1, 2])]);
        assert_eq!(
            spans("REFS A, B, AND C", &r),
            vec![("REFS A, B, AND C", vec![0, 1, 2])]
        );
        assert_eq!(spans("reftels", &r), vec![("reftels", vec![0, 1, 2])]);
        assert_eq!(spans("REF D says", &r), vec![]);
        assert_eq!(spans("REF (B)", &r), vec![("REF (B)", vec![1])]);
    }

    #[test]
    fn reftel_and_word_boundaries() {
        let r = refs(&[None]);
        assert_eq!(
            spans("this message replaces reftel.", &r),
            vec![("reftel", vec![0])]
        );
        assert_eq!(spans("REFORM and PREFS and refteller", &r), vec![]);
        assert_eq!(spans("Reftel A", &r), vec![]);
        assert!(find("reftel", &[]).is_empty());
    }

    #[test]
    fn offsets_are_char_boundaries() {
        let r = refs(&[Some("A")]);
        let text = "é REF A ¶ reftel";
        for m in find(text, &r) {
            assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        }
    }
}

//! Subject tags: `TAGS: MARR MNUC PARM FR`, `TAGS: [NATO](#) [PGOV](#)` (link syntax is cleaned
//! off earlier), the header table's NBSP-separated `Tags:` line, and the odd `PREL, PGOV` or
//! `OVIP (RICE, CONDOLEEZZA)`.

use std::collections::HashSet;

/// Splits a tags line into tags, in order, without duplicates. Commas and semicolons separate
/// like spaces; a parenthesised group (a person's name after `OVIP`) is one tag.
pub fn parse(text: &str) -> Vec<String> {
    let mut tags = Tags::default();
    let mut group: Option<String> = None;
    for word in text.split(|c: char| c.is_whitespace() || c == ';') {
        if word.is_empty() {
            continue;
        }
        if let Some(g) = group.as_mut() {
            g.push(' ');
            g.push_str(word);
            if word.ends_with(')') {
                let done = group.take().unwrap_or_default();
                add(
                    &mut tags,
                    done.trim_start_matches('(').trim_end_matches(')'),
                );
            }
            continue;
        }
        if word.starts_with('(') && !word.ends_with(')') {
            group = Some(word.to_string());
            continue;
        }
        for part in word.split(',') {
            add(
                &mut tags,
                part.trim_matches(|c: char| matches!(c, '(' | ')' | '.' | ':')),
            );
        }
    }
    if let Some(g) = group {
        add(&mut tags, g.trim_start_matches('('));
    }
    tags.list
}

/// Tags in order plus a set for de-duplication, so that a field that swallowed a whole text by
/// mistake costs linear time, not quadratic.
#[derive(Default)]
struct Tags {
    list: Vec<String>,
    seen: HashSet<String>,
}

fn add(tags: &mut Tags, tag: &str) {
    let tag = tag.trim().trim_end_matches(',');
    if !tag.is_empty() && !tags.seen.contains(tag) {
        tags.seen.insert(tag.to_string());
        tags.list.push(tag.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_in_order_without_duplicates() {
        assert_eq!(parse("MARR MNUC PARM FR"), ["MARR", "MNUC", "PARM", "FR"]);
        assert_eq!(parse("NATO\u{a0}PREL\u{a0}NATO "), ["NATO", "PREL"]);
        assert_eq!(parse("PREL, PGOV; ECON."), ["PREL", "PGOV", "ECON"]);
        assert_eq!(
            parse("OVIP (RICE, CONDOLEEZZA) PREL"),
            ["OVIP", "RICE, CONDOLEEZZA", "PREL"]
        );
        assert!(parse("  ").is_empty());
    }
}

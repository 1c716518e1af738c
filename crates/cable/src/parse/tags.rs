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
            if word.trim_end_matches(',').ends_with(')') {
                let done = group.take().unwrap_or_default();
                attach(&mut tags, done.trim_end_matches(',').trim_end_matches(')'));
            }
            continue;
        }
        if word.starts_with('(') {
            if word.trim_end_matches(',').ends_with(')') {
                attach(&mut tags, word.trim_end_matches(',').trim_end_matches(')'));
            } else {
                group = Some(word.to_string());
            }
            continue;
        }
        for part in word.split(',') {
            let part = part.trim_matches(|c: char| matches!(c, '(' | ')' | '.' | ':'));
            match unglue(part) {
                Some((a, b)) => {
                    add(&mut tags, a);
                    add(&mut tags, b);
                }
                None => add(&mut tags, part),
            }
        }
    }
    if let Some(g) = group {
        attach(&mut tags, &g);
    }
    tags.list
}

/// A parenthesised group (`(SMITH, JOHN)`, given with its opening parenthesis and without the
/// closing one) belongs to the tag before it: `OVIP (SMITH, JOHN)` is one tag, the visit of a
/// person. With no tag before it, the group's text is the tag.
fn attach(tags: &mut Tags, group: &str) {
    let inner = group.trim_start_matches('(').trim();
    match tags.list.pop() {
        Some(last) => {
            tags.seen.remove(&last);
            add(tags, &format!("{last} ({inner})"));
        }
        None => add(tags, inner),
    }
}

/// Subject tags of four letters, from the shipped vocabulary (`data/tags.toml`), for telling two
/// glued tags (`PRELPGOV`) from one long word.
fn four_letter_tags() -> &'static HashSet<&'static str> {
    static TAGS: std::sync::OnceLock<HashSet<&'static str>> = std::sync::OnceLock::new();
    TAGS.get_or_init(|| {
        include_str!("../../../../data/tags.toml")
            .lines()
            .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim()))
            .filter(|k| k.len() == 4 && k.bytes().all(|b| b.is_ascii_uppercase()))
            .collect()
    })
}

/// Two four-letter subject tags written without a space (`PGOVETRD` → `PGOV`, `ETRD`), when
/// both halves are known tags; anything else is one tag as written.
fn unglue(word: &str) -> Option<(&str, &str)> {
    if word.len() != 8 || !word.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let (a, b) = word.split_at(4);
    let known = four_letter_tags();
    (known.contains(a) && known.contains(b)).then_some((a, b))
}

/// Tags in order plus a set for de-duplication, so that a field that swallowed a whole text by
/// mistake costs linear time, not quadratic.
#[derive(Default)]
struct Tags {
    list: Vec<String>,
    seen: HashSet<String>,
}

/// Adds a tag in upper case: tag codes are case-insensitive (`sy` is `SY`), and a listing per
/// spelling would split one tag's cables in two.
fn add(tags: &mut Tags, tag: &str) {
    let tag = tag.trim().trim_end_matches(',');
    let tag = if tag.chars().any(char::is_lowercase) {
        tag.to_uppercase()
    } else {
        tag.to_string()
    };
    if !tag.is_empty() && !tags.seen.contains(&tag) {
        tags.seen.insert(tag.clone());
        tags.list.push(tag);
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
            ["OVIP (RICE, CONDOLEEZZA)", "PREL"]
        );
        assert_eq!(parse("OVIP (SMITH) sy"), ["OVIP (SMITH)", "SY"]);
        assert_eq!(parse("pgov Sy SY"), ["PGOV", "SY"]);
        assert_eq!(parse("OAS PGOVETRD AR"), ["OAS", "PGOV", "ETRD", "AR"]);
        assert_eq!(parse("KDEMOCRA PGOV"), ["KDEMOCRA", "PGOV"]);
        assert_eq!(
            parse("MARR, OVIP (HALL, LAURA), TW"),
            ["MARR", "OVIP (HALL, LAURA)", "TW"]
        );
        assert!(parse("  ").is_empty());
    }
}

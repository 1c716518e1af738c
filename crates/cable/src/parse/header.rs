//! The web export's header table (layout 1): four label lines (`Identifier`, `Created`,
//! `Classification`, `Origin`), their four values, `Cable title:` with a (possibly cut) title,
//! `Tags:` and the leftover link text `pdf how-to read a cable`. Values are separated by
//! NO-BREAK SPACEs. The telegram follows; this module only says where it starts.

use super::text::nbsp_to_space;

/// One value of the header table with the 1-based line it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    /// The value with NBSPs turned into spaces and the ends trimmed.
    pub text: String,
    /// Where it was read, for problems that point at it.
    pub line: u32,
}

/// What the header table says. Every part is optional: partial exports exist, and a value that
/// is missing here is looked for in the telegram instead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeaderTable {
    /// `07PARIS1115`
    pub id: Option<Value>,
    /// `2007-03-22 13:25:00`
    pub created: Option<Value>,
    /// `CONFIDENTIAL//NOFORN`
    pub classification: Option<Value>,
    /// `Embassy Paris`
    pub origin: Option<Value>,
    /// The `Cable title:` text, lines joined with spaces.
    pub title: Option<String>,
    /// The words of the `Tags:` line, in order (not yet de-duplicated).
    pub tags: Option<String>,
    /// Index (0-based) of the first line after the table: where the telegram begins.
    pub telegram_start: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Label {
    Identifier,
    Created,
    Classification,
    Origin,
}

/// How far past the four values the title, tags and `pdf` lines are looked for.
const LOOKAHEAD: usize = 40;

/// Reads the header table at the top of the file, or returns `None` when the file does not start
/// with one (layout 2). Detection is by content: the first non-blank line must be one of the
/// table's labels or `Cable title:`.
pub fn parse(lines: &[&str]) -> Option<HeaderTable> {
    let first = lines.iter().position(|l| !l.trim().is_empty())?;
    let mut i = first;
    let mut table = HeaderTable::default();

    // Label lines, possibly with the value on the same line (`Identifier: 07PARIS1115`).
    let mut pending: Vec<Label> = Vec::new();
    while i < lines.len() && pending.len() + count(&table) < 4 {
        let line = nbsp_to_space(lines[i]);
        let Some((label, inline)) = label_of(&line) else {
            break;
        };
        if inline.is_empty() {
            pending.push(label);
        } else {
            set(&mut table, label, inline.to_string(), i);
        }
        i += 1;
    }
    let found_labels = i > first;
    if !found_labels && !is_title_line(&nbsp_to_space(lines[first])) {
        return None;
    }
    // Values, one line each, in the order of the labels.
    for label in pending {
        let Some(raw) = lines.get(i) else { break };
        let value = nbsp_to_space(raw);
        if is_title_line(&value) {
            break;
        }
        if !value.is_empty() {
            set(&mut table, label, value.into_owned(), i);
        }
        i += 1;
    }
    table.telegram_start = i;

    // `Cable title:`, `Tags:`, `pdf how-to read a cable`, separated by blank lines.
    let end = lines.len().min(i + LOOKAHEAD);
    while i < end {
        let line = nbsp_to_space(lines[i]);
        if line.is_empty() {
            i += 1;
            continue;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(rest) = lower.strip_prefix("cable title:") {
            let inline = line[line.len() - rest.len()..].trim();
            i += 1;
            let mut title = inline.to_string();
            if title.is_empty() {
                while i < end && lines[i].trim().is_empty() {
                    i += 1;
                }
                while i < end {
                    let l = nbsp_to_space(lines[i]);
                    if l.is_empty() || l.to_ascii_lowercase().starts_with("tags:") {
                        break;
                    }
                    if !title.is_empty() {
                        title.push(' ');
                    }
                    title.push_str(&l);
                    i += 1;
                }
            }
            table.title = Some(title);
            table.telegram_start = i;
        } else if let Some(rest) = lower.strip_prefix("tags:") {
            table.tags = Some(line[line.len() - rest.len()..].trim().to_string());
            i += 1;
            table.telegram_start = i;
        } else if lower.starts_with("pdf") && lower.contains("how-to read a cable") {
            i += 1;
            table.telegram_start = i;
        } else {
            break;
        }
    }
    Some(table)
}

fn is_title_line(line: &str) -> bool {
    line.len() >= 12 && line.as_bytes()[..12].eq_ignore_ascii_case(b"cable title:")
}

fn label_of(line: &str) -> Option<(Label, &str)> {
    let (word, inline) = match line.split_once(':') {
        Some((w, v)) => (w.trim(), v.trim()),
        None => (line, ""),
    };
    let label = match word.to_ascii_lowercase().as_str() {
        "identifier" => Label::Identifier,
        "created" => Label::Created,
        "classification" => Label::Classification,
        "origin" => Label::Origin,
        _ => return None,
    };
    Some((label, inline))
}

fn count(t: &HeaderTable) -> usize {
    [&t.id, &t.created, &t.classification, &t.origin]
        .iter()
        .filter(|v| v.is_some())
        .count()
}

fn set(t: &mut HeaderTable, label: Label, text: String, index: usize) {
    let v = Some(Value {
        text,
        line: u32::try_from(index + 1).unwrap_or(u32::MAX),
    });
    match label {
        Label::Identifier => t.id = v,
        Label::Created => t.created = v,
        Label::Classification => t.classification = v,
        Label::Origin => t.origin = v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_table() {
        let lines = [
            "Identifier",
            "Created",
            "Classification",
            "Origin",
            "07PARIS1115",
            "2007-03-22 13:25:00",
            "CONFIDENTIAL",
            "Embassy Paris",
            "Cable title:\u{a0} \u{a0}",
            "",
            "GENERAL OBERING'S MARCH 16",
            "",
            "Tags:\u{a0} \u{a0}MARR\u{a0}MNUC\u{a0}",
            "pdf\u{a0}how-to read a cable",
            "VZCZCXYZ0000",
        ];
        let t = parse(&lines).unwrap();
        assert_eq!(t.id.as_ref().unwrap().text, "07PARIS1115");
        assert_eq!(t.id.as_ref().unwrap().line, 5);
        assert_eq!(t.created.unwrap().text, "2007-03-22 13:25:00");
        assert_eq!(t.classification.unwrap().text, "CONFIDENTIAL");
        assert_eq!(t.origin.unwrap().text, "Embassy Paris");
        assert_eq!(t.title.as_deref(), Some("GENERAL OBERING'S MARCH 16"));
        assert_eq!(t.tags.as_deref(), Some("MARR MNUC"));
        assert_eq!(t.telegram_start, 14);
    }

    #[test]
    fn inline_values_and_truncation() {
        let t = parse(&["Identifier: 07X1", "Created"]).unwrap();
        assert_eq!(t.id.unwrap().text, "07X1");
        assert_eq!(t.created, None);
        assert_eq!(t.telegram_start, 2);
    }

    #[test]
    fn raw_telegrams_have_no_table() {
        assert_eq!(parse(&["", "VZCZCXYZ0002", "OO RUEHWEB"]), None);
        assert_eq!(parse(&[]), None);
    }
}

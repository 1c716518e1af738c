//! The routing header: `VZCZC…`, `DE …`, `ZNY CCCCC ZZH`, the date-time group, `FM`, `TO` and
//! `INFO` with their continuation lines. It gives a raw telegram its date, its sender, its
//! addressees, and a last-resort classification.

use super::date::{parse_dtg, Dtg};
use crate::model::{Level, Recipient, RecipientKind};

/// What the routing header says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Routing {
    /// The first date-time group and the 1-based line it is on.
    pub dtg: Option<(Dtg, u32)>,
    /// The `FM` line's addressee: `AMEMBASSY PARIS`.
    pub sender: Option<String>,
    /// `TO` and `INFO` addressees in order.
    pub recipients: Vec<Recipient>,
    /// The level from `ZNY CCCCC` / `ZNR UUUUU`, used when the classification line is missing.
    pub zny_level: Option<Level>,
    /// The day of the year the `DE` line's station-serial-time stamp gives (`DE RUEHRY
    /// #0184/01 1331241`: day 133, 12:41): a second mark of the day the telegram was sent.
    pub de_day: Option<u16>,
}

/// Reads the routing header from its lines; `first_line` is the 1-based number of `lines[0]`.
pub fn parse(lines: &[&str], first_line: usize) -> Routing {
    let mut r = Routing::default();
    let mut mode: Option<RecipientKind> = None;
    for (k, line) in lines.iter().enumerate() {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if let Some(rest) = word_prefix(t, "TO") {
            mode = Some(RecipientKind::To);
            push(&mut r.recipients, RecipientKind::To, rest);
        } else if let Some(rest) = word_prefix(t, "INFO") {
            mode = Some(RecipientKind::Info);
            push(&mut r.recipients, RecipientKind::Info, rest);
        } else if let Some(rest) = word_prefix(t, "FM") {
            mode = None;
            if r.sender.is_none() && !rest.is_empty() {
                r.sender = Some(rest.to_string());
            }
        } else if let Some(rest) = word_prefix(t, "ZNY").or_else(|| word_prefix(t, "ZNR")) {
            mode = None;
            if r.zny_level.is_none() {
                r.zny_level = zny_level(rest);
            }
        } else if let Some(dtg) = parse_dtg(t) {
            mode = None;
            if r.dtg.is_none() {
                let line = u32::try_from(first_line + k).unwrap_or(u32::MAX);
                r.dtg = Some((dtg, line));
            }
        } else if t.starts_with("VZCZC")
            || t.starts_with("BT")
            || t.starts_with('#')
            || word_prefix(t, "DE").is_some()
            || word_prefix(t, "XMT").is_some()
        {
            mode = None;
            if let Some(rest) = word_prefix(t, "DE") {
                r.de_day = r.de_day.or_else(|| de_day(rest));
            }
        } else if let Some(kind) = mode {
            push(&mut r.recipients, kind, t);
        }
    }
    r
}

/// `rest` when `t` is `word` followed by a space (or is `word` alone).
fn word_prefix<'a>(t: &'a str, word: &str) -> Option<&'a str> {
    let rest = t.strip_prefix(word)?;
    if rest.is_empty() {
        Some(rest)
    } else if rest.starts_with(' ') {
        Some(rest.trim())
    } else {
        None
    }
}

fn push(list: &mut Vec<Recipient>, kind: RecipientKind, text: &str) {
    if text.is_empty() {
        return;
    }
    list.push(Recipient {
        kind,
        name: recipient_name(text),
        text: text.to_string(),
    });
}

/// The readable addressee of a recipient line: `RUEHC/SECSTATE WASHDC IMMEDIATE 5836` →
/// `SECSTATE WASHDC`. The routing indicator before the slash, the precedence word and the
/// trailing serial are transmission detail.
pub fn recipient_name(text: &str) -> String {
    let body = match text.split_once('/') {
        Some((ri, rest))
            if (2..=9).contains(&ri.len())
                && ri
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) =>
        {
            rest
        }
        _ => text,
    };
    let mut words: Vec<&str> = body.split_whitespace().collect();
    while let Some(last) = words.last() {
        let is_serial = last.bytes().all(|b| b.is_ascii_digit());
        let is_precedence = matches!(
            *last,
            "IMMEDIATE" | "PRIORITY" | "ROUTINE" | "FLASH" | "NIACT"
        );
        if (is_serial || is_precedence) && words.len() > 1 {
            words.pop();
        } else {
            break;
        }
    }
    words.join(" ")
}

/// The day of the year of a `DE` line's last group, `DDDHHMM` (`1331241`).
fn de_day(rest: &str) -> Option<u16> {
    let stamp = rest.split_whitespace().last()?;
    if stamp.len() != 7 || !stamp.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let day: u16 = stamp[..3].parse().ok()?;
    (1..=366).contains(&day).then_some(day)
}

fn zny_level(rest: &str) -> Option<Level> {
    let code = rest.split_whitespace().next()?;
    match code.as_bytes().first()? {
        b'C' => Some(Level::Confidential),
        b'S' => Some(Level::Secret),
        b'U' => Some(Level::Unclassified),
        b'T' => Some(Level::TopSecret),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routing_header() {
        let lines = [
            "VZCZCXYZ0000",
            "OO RUEHWEB",
            "",
            "DE RUEHFR #1115/01 0811325",
            "ZNY CCCCC ZZH",
            "O 221325Z MAR 07",
            "FM AMEMBASSY PARIS",
            "TO RUEHC/SECSTATE WASHDC IMMEDIATE 5836",
            "INFO RUEHZG/NATO EU COLLECTIVE PRIORITY",
            "RUEHBJ/AMEMBASSY BEIJING PRIORITY 1448",
            "RHMFISS/HQ USEUCOM VAIHINGEN GE PRIORITY",
        ];
        let r = parse(&lines, 15);
        assert_eq!(r.sender.as_deref(), Some("AMEMBASSY PARIS"));
        assert_eq!(r.zny_level, Some(Level::Confidential));
        assert_eq!(r.dtg.unwrap().1, 20);
        assert_eq!(r.dtg.unwrap().0.year2, 7);
        // 22 March 2007 is day 81.
        assert_eq!(r.de_day, Some(81));
        assert_eq!(de_day("RUEHRY #0184/01 1331241"), Some(133));
        assert_eq!(de_day("RUEHRY #0184"), None);
        assert_eq!(de_day("RUEHRY #0184 9991241"), None);
        let names: Vec<(RecipientKind, &str)> = r
            .recipients
            .iter()
            .map(|x| (x.kind, x.name.as_str()))
            .collect();
        assert_eq!(
            names,
            vec![
                (RecipientKind::To, "SECSTATE WASHDC"),
                (RecipientKind::Info, "NATO EU COLLECTIVE"),
                (RecipientKind::Info, "AMEMBASSY BEIJING"),
                (RecipientKind::Info, "HQ USEUCOM VAIHINGEN GE"),
            ]
        );
        assert_eq!(r.recipients[0].text, "RUEHC/SECSTATE WASHDC IMMEDIATE 5836");
    }

    #[test]
    fn names_without_routing_indicator() {
        assert_eq!(recipient_name("AMEMBASSY ROME PRIORITY"), "AMEMBASSY ROME");
        assert_eq!(recipient_name("ZEN/AMCONSUL LAGOS 0001"), "AMCONSUL LAGOS");
        assert_eq!(recipient_name("IMMEDIATE"), "IMMEDIATE");
    }
}

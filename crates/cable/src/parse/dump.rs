//! The community text dumps of the release (a third layout): five unlabelled lines before the
//! telegram — identifier, subject, a date, classification, origin — then the body, which often
//! starts with the partial-extract sentence and is sometimes empty.
//!
//! ```text
//! 02ROME5123
//! ITALY: PRODI ON THE EU CONVENTION
//! Wed Nov 13 00:00:00 +0100 2002
//! CONFIDENTIAL
//! Embassy Rome
//! This record is a partial extract of the original cable. …
//! ```
//!
//! Detected by content, never by the file name: the first line must be shaped like an
//! identifier, the third must be such a date and the fourth a classification label. The date is
//! a local midnight that means the calendar day shown (the dumps were made from day-precise
//! metadata), so it gives a day, not a moment.

use super::header::{HeaderTable, Value};
use super::looks_like_id;
use crate::model::{Classification, DateTime, MONTH_NAMES};

/// Reads the five lines, or `None` when the file does not start with them. The result is a
/// header table (the same facts in the same roles): `created` is `YYYY-MM-DD`, the telegram
/// starts on the sixth line.
pub fn parse(lines: &[&str]) -> Option<HeaderTable> {
    let first = lines.iter().position(|l| !l.trim().is_empty())?;
    let five: Vec<&str> = lines
        .get(first..first + 5)?
        .iter()
        .map(|l| l.trim())
        .collect();
    if !looks_like_id(five[0]) {
        return None;
    }
    let day = day_of(five[2])?;
    Classification::from_label(five[3])?;
    let value = |k: usize| Value {
        text: five[k].to_string(),
        line: (first + k + 1) as u32,
    };
    Some(HeaderTable {
        id: Some(value(0)),
        created: Some(Value {
            text: format!("{:04}-{:02}-{:02}", day.year, day.month, day.day),
            line: (first + 3) as u32,
        }),
        classification: Some(value(3)),
        origin: (!five[4].is_empty()).then(|| value(4)),
        title: (!five[1].is_empty()).then(|| five[1].to_string()),
        tags: None,
        telegram_start: first + 5,
    })
}

/// `Wed Nov 13 00:00:00 +0100 2002` (weekday, month, day, time, offset, year): the calendar
/// day shown. The weekday is not checked (a dump's weekday is the local one).
fn day_of(s: &str) -> Option<DateTime> {
    let w: Vec<&str> = s.split_whitespace().collect();
    let [weekday, month, day, time, offset, year] = w.as_slice() else {
        return None;
    };
    let weekday_ok = weekday.len() == 3 && weekday.bytes().all(|b| b.is_ascii_alphabetic());
    let offset_ok = offset.len() == 5
        && offset.starts_with(['+', '-'])
        && offset[1..].bytes().all(|b| b.is_ascii_digit());
    let time_ok = time.len() == 8 && time.bytes().filter(|&b| b == b':').count() == 2;
    if !(weekday_ok && offset_ok && time_ok) {
        return None;
    }
    let month = MONTH_NAMES
        .iter()
        .position(|m| m[..3].eq_ignore_ascii_case(month))? as u8
        + 1;
    let d = DateTime {
        year: year.parse().ok()?,
        month,
        day: day.parse().ok()?,
        ..DateTime::default()
    };
    d.is_valid().then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_five_lines() {
        let lines = [
            "02ROME5123",
            "ITALY: PRODI ON THE EU CONVENTION",
            "Wed Nov 13 00:00:00 +0100 2002",
            "CONFIDENTIAL",
            "Embassy Rome",
            "This record is a partial extract of the original cable.",
        ];
        let t = parse(&lines).unwrap();
        assert_eq!(t.id.unwrap().text, "02ROME5123");
        assert_eq!(t.created.unwrap().text, "2002-11-13");
        assert_eq!(t.classification.unwrap().text, "CONFIDENTIAL");
        assert_eq!(t.origin.unwrap().text, "Embassy Rome");
        assert_eq!(
            t.title.as_deref(),
            Some("ITALY: PRODI ON THE EU CONVENTION")
        );
        assert_eq!(t.telegram_start, 5);
    }

    #[test]
    fn other_files_are_not_dumps() {
        assert!(parse(&["UNCLAS STATE 000123", "", "E.O. 12958: N/A", "x", "y"]).is_none());
        assert!(parse(&[
            "02ROME5123",
            "S",
            "Nov 13 2002",
            "CONFIDENTIAL",
            "Embassy Rome"
        ])
        .is_none());
        assert!(parse(&[
            "02ROME5123",
            "S",
            "Wed Feb 30 00:00:00 +0100 2002",
            "SECRET",
            "E"
        ])
        .is_none());
        assert!(parse(&[
            "02ROME5123",
            "S",
            "Wed Nov 13 00:00:00 +0100 2002",
            "PUBLIC",
            "E"
        ])
        .is_none());
        assert!(parse(&["02ROME5123"]).is_none());
    }
}

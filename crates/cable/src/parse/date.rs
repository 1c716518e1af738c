//! Dates: the web export's `Created` value (`2007-03-22 13:25:00`) and the telegram's date-time
//! group (`O 221325Z MAR 07`: precedence, day, hour, minute, Zulu, month, two-digit year).

use crate::model::DateTime;

/// Expands a two-digit year the way the collection needs it: 66–99 are 19xx, 00–65 are 20xx
/// (the set spans 1966–2010).
pub fn expand_year(yy: u16) -> u16 {
    if yy >= 66 {
        1900 + yy
    } else {
        2000 + yy
    }
}

/// Parses the header table's `YYYY-MM-DD HH:MM:SS` (seconds and time optional). Returns `None`
/// unless the shape is right and the date exists.
pub fn parse_created(s: &str) -> Option<DateTime> {
    let s = s.trim();
    let (date, time) = match s.split_once([' ', 'T']) {
        Some((d, t)) => (d, t.trim().trim_end_matches('Z')),
        None => (s, ""),
    };
    let mut d = date.split('-');
    let year = num(d.next()?, 4)?;
    let month = num(d.next()?, 2)?;
    let day = num(d.next()?, 2)?;
    if d.next().is_some() {
        return None;
    }
    let (mut hour, mut minute, mut second) = (0, 0, 0);
    if !time.is_empty() {
        let mut t = time.split(':');
        hour = num(t.next()?, 2)?;
        minute = num(t.next()?, 2)?;
        if let Some(sec) = t.next() {
            second = num(sec, 2)?;
        }
        if t.next().is_some() {
            return None;
        }
    }
    let dt = DateTime {
        year,
        month: month as u8,
        day: day as u8,
        hour: hour as u8,
        minute: minute as u8,
        second: second as u8,
    };
    dt.is_valid().then_some(dt)
}

/// A date-time group found on a line: its date when it is a real one, and its two-digit year
/// (which the identifier needs even if day or month are garbled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dtg {
    /// `None` when the group has the right shape but names no real moment (`321325Z FEB 07`).
    pub date: Option<DateTime>,
    /// The year as written, reduced to two digits: `7` for `07` or `2007`.
    pub year2: u16,
}

/// Recognises a date-time group line: `O 221325Z MAR 07`, `R 011643Z OCT 07`, `221325Z MAR 2007`.
/// The precedence letters are optional; anything after the year is ignored.
pub fn parse_dtg(line: &str) -> Option<Dtg> {
    let mut toks = line.split_whitespace();
    let mut tok = toks.next()?;
    if tok.len() <= 2 && tok.bytes().all(|b| b.is_ascii_alphabetic()) {
        tok = toks.next()?;
    }
    let group = tok.strip_suffix(['Z', 'z'])?;
    if group.len() != 6 || !group.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let month = month_number(toks.next()?)?;
    let year_tok = toks.next()?;
    let year = match year_tok.len() {
        2 | 4 => num(year_tok, year_tok.len())?,
        _ => return None,
    };
    let (year, year2) = if year < 100 {
        (expand_year(year), year)
    } else {
        (year, year % 100)
    };
    let day = num(&group[0..2], 2)? as u8;
    let hour = num(&group[2..4], 2)? as u8;
    let minute = num(&group[4..6], 2)? as u8;
    let dt = DateTime::at_minute(year, month, day, hour, minute);
    Some(Dtg {
        date: dt.is_valid().then_some(dt),
        year2,
    })
}

/// The month number of a three-letter abbreviation or full English month name, any case.
pub fn month_number(word: &str) -> Option<u8> {
    const MONTHS: [&str; 12] = [
        "JANUARY",
        "FEBRUARY",
        "MARCH",
        "APRIL",
        "MAY",
        "JUNE",
        "JULY",
        "AUGUST",
        "SEPTEMBER",
        "OCTOBER",
        "NOVEMBER",
        "DECEMBER",
    ];
    let w = word.trim_end_matches(['.', ',']);
    if w.len() < 3 || w.len() > 9 || !w.is_ascii() {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| {
            (w.len() == 3 || w.len() == m.len())
                && m.as_bytes()[..w.len()].eq_ignore_ascii_case(w.as_bytes())
        })
        .map(|i| i as u8 + 1)
        .or_else(|| w.eq_ignore_ascii_case("SEPT").then_some(9))
}

/// Parses exactly `width` ASCII digits.
fn num(s: &str, width: usize) -> Option<u16> {
    if s.len() != width || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_values() {
        assert_eq!(
            parse_created("2007-03-22 13:25:00"),
            Some(DateTime::at_minute(2007, 3, 22, 13, 25))
        );
        assert_eq!(
            parse_created("2007-03-22"),
            Some(DateTime::at_minute(2007, 3, 22, 0, 0))
        );
        assert_eq!(parse_created("2007-02-30 13:25:00"), None);
        assert_eq!(parse_created("22 March 2007"), None);
    }

    #[test]
    fn date_time_groups() {
        assert_eq!(
            parse_dtg("O 221325Z MAR 07"),
            Some(Dtg {
                date: Some(DateTime::at_minute(2007, 3, 22, 13, 25)),
                year2: 7
            })
        );
        assert_eq!(
            parse_dtg("R 011643Z OCT 99").unwrap().date,
            Some(DateTime::at_minute(1999, 10, 1, 16, 43))
        );
        assert_eq!(
            parse_dtg("221325Z MAR 2007").unwrap().date,
            Some(DateTime::at_minute(2007, 3, 22, 13, 25))
        );
        assert_eq!(parse_dtg("O 321325Z MAR 07").unwrap().date, None);
        assert_eq!(parse_dtg("O 321325Z MAR 07").unwrap().year2, 7);
        assert_eq!(parse_dtg("SECDEF R162245Z OCT 08"), None);
        assert_eq!(parse_dtg("FM AMEMBASSY PARIS"), None);
    }

    #[test]
    fn years_pivot_at_66() {
        assert_eq!(expand_year(66), 1966);
        assert_eq!(expand_year(65), 2065);
        assert_eq!(expand_year(10), 2010);
    }

    #[test]
    fn months() {
        assert_eq!(month_number("MAR"), Some(3));
        assert_eq!(month_number("march"), Some(3));
        assert_eq!(month_number("Sept"), Some(9));
        assert_eq!(month_number("MARS"), None);
        assert_eq!(month_number("MA"), None);
    }
}

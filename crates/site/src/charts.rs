//! Charts drawn at build time as inline SVG, so they need no script: the small histogram of a
//! listing's cables by year, and the timeline of the archive's cables by month
//! (`timeline.html`).
//!
//! Every chart is drawn in `currentColor` (the stylesheet gives the colour, so dark mode and
//! print follow it) and is hidden from assistive technology behind a text alternative that holds
//! the same numbers: the histogram's caption names each year's count, the timeline has a table of
//! months below it, and each of its bars is a link named by its month and count. The histogram
//! repeats on every listing page, so it is one `<path>` (a bar is about 15 bytes) and nothing
//! else.

use super::escape::push_text;
use super::groups::Group;
use super::{templates, BuildError, Site};
use archive_cable::model::MONTH_NAMES;
use std::fmt::Write;

/// Height of a histogram bar at its tallest, in SVG units (and pixels).
const HIST_HEIGHT: usize = 32;
/// Width of one year of a histogram, gap included, at the least (three times that at most).
const HIST_STEP: usize = 8;
/// The width a histogram of few years is stretched to.
const HIST_WIDEST: usize = 120;

/// Cables per year of the cables at `members` (indices into `years`, each cable's year of
/// creation in corpus order), from the first year to the last; year 0 (a cable whose date
/// nothing gives) is left out. The years come as their own list, not from the cables: every
/// cable is a member of a dozen listings, and a look into the corpus for each was a memory
/// miss each.
pub fn years_of(years: &[u16], members: &[usize]) -> Vec<(u16, usize)> {
    let mut counts: std::collections::BTreeMap<u16, usize> = std::collections::BTreeMap::new();
    for &i in members {
        let year = years[i];
        if year > 0 {
            *counts.entry(year).or_default() += 1;
        }
    }
    counts.into_iter().collect()
}

/// The small histogram of a listing by year: a `<figure>` with one SVG path of bars (a year
/// with no cable is an empty slot, so the time axis is even) and a caption that says each
/// year's count, the chart's text alternative. Empty when the cables span less than two years.
pub fn year_histogram(years: &[(u16, usize)]) -> String {
    let (Some(&(first, _)), Some(&(last, _))) = (years.first(), years.last()) else {
        return String::new();
    };
    // A listing within one year: the count above it says all a chart would.
    if first == last {
        return String::new();
    }
    let max = years.iter().map(|&(_, n)| n).max().unwrap_or(1).max(1);
    let slots = usize::from(last - first) + 1;
    // Wider bars when there are few years, so a listing of one year is not a sliver.
    let step = (HIST_WIDEST / slots).clamp(HIST_STEP, 3 * HIST_STEP);
    let width = slots * step;
    let mut out = format!(
        "<figure class=hist><svg width={width} height={HIST_HEIGHT} viewBox=\"0 0 {width} {HIST_HEIGHT}\" aria-hidden=true><path d=\""
    );
    for &(year, n) in years {
        // At least 1 unit high, so a year with one cable among thousands still shows.
        let h = (n * HIST_HEIGHT).div_ceil(max).max(1);
        let x = usize::from(year - first) * step;
        let _ = write!(out, "M{x} {HIST_HEIGHT}v-{h}h{}v{h}z", step - 2);
    }
    out.push_str("\"/></svg><figcaption>By year: ");
    for (k, &(year, n)) in years.iter().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{year} <b>{n}</b>");
    }
    out.push_str("</figcaption></figure>");
    out
}

/// Width of one month of the timeline, gap included, at the least.
const TL_STEP: usize = 4;
/// The width (in SVG units) the timeline of a few years is stretched to.
const TL_WIDTH: usize = 960;
/// How many of the largest months the timeline names.
const LARGEST: usize = 5;

/// A dated month of the timeline.
struct Month<'a> {
    year: u16,
    month: u8,
    group: &'a Group,
}

fn month_name(m: u8) -> &'static str {
    MONTH_NAMES
        .get(usize::from(m).wrapping_sub(1))
        .copied()
        .unwrap_or("")
}

/// The month listings with a real month (not month 00, the cables whose text gives no date).
fn dated_months(site: &Site) -> (Vec<Month<'_>>, usize) {
    let mut months = Vec::new();
    let mut undated = 0;
    for group in &site.groups.months.groups {
        let (y, m) = group.label.split_once('-').unwrap_or((&group.label, "0"));
        let (Ok(year), Ok(month)) = (y.parse::<u16>(), m.parse::<u8>()) else {
            continue;
        };
        if month == 0 || year == 0 {
            undated += group.members.len();
        } else {
            months.push(Month { year, month, group });
        }
    }
    (months, undated)
}

/// The timeline's SVG: a bar per month from the first dated month to the last, each a link to
/// its listing (named by its month and count), the largest months drawn in the accent class
/// `top`, a year label under each January of a labelled year.
fn timeline_svg(months: &[Month<'_>], top: &[usize]) -> String {
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return String::new();
    };
    // Whole years, January of the first to December of the last, so the axis reads evenly.
    let start = usize::from(first.year) * 12;
    let slots = (usize::from(last.year) + 1) * 12 - start;
    let index = |m: &Month| usize::from(m.year) * 12 + usize::from(m.month) - 1 - start;
    let step = TL_WIDTH.div_ceil(slots).max(TL_STEP);
    let width = slots * step;
    // Proportions and text that read the same at any width: the chart is scaled to the page.
    let bars = width / 5;
    let font = width / 70;
    let height = bars + font * 3 / 2;
    let max = months
        .iter()
        .map(|m| m.group.members.len())
        .max()
        .unwrap_or(1)
        .max(1);
    // Room on the right for the last year's label.
    let mut out = format!(
        "<svg class=timeline viewBox=\"0 0 {} {height}\" role=group aria-label=\"Cables per month\">",
        width + font * 3
    );
    let years = usize::from(last.year - first.year) + 1;
    let every = match years {
        0..=12 => 1,
        13..=30 => 5,
        _ => 10,
    };
    for year in first.year..=last.year {
        if usize::from(year) % every != 0 && year != first.year {
            continue;
        }
        let x = (usize::from(year) * 12 - start) * step;
        let _ = write!(
            out,
            "<text x={x} y={height} font-size={font}>{year}</text><path class=tick d=\"M{x} {bars}v{}\"/>",
            font / 3
        );
    }
    for (k, m) in months.iter().enumerate() {
        let n = m.group.members.len();
        let h = (n * bars).div_ceil(max).max(1);
        let _ = write!(
            out,
            "<a href={}.html aria-label=\"{} {}: {n}\"><rect{} x={} y={} width={} height={h} /></a>",
            m.group.base,
            month_name(m.month),
            m.year,
            if top.contains(&k) { " class=top" } else { "" },
            index(m) * step,
            bars - h,
            step - (step / 4).max(1),
        );
    }
    out.push_str("</svg>");
    out
}

/// The timeline's text alternative: a table with a row per year, a column per month (each
/// count a link to the month's listing), and the year's total.
fn timeline_table(months: &[Month<'_>]) -> String {
    let mut out = String::from(
        "<div class=scroll><table class=months><caption>Cables per month (UTC)</caption><thead><tr><th scope=col>Year",
    );
    for m in MONTH_NAMES {
        let _ = write!(out, "<th scope=col><abbr title={m}>{}</abbr>", &m[..3]);
    }
    out.push_str("<th scope=col>Total<tbody>");
    let mut k = 0;
    while k < months.len() {
        let year = months[k].year;
        let _ = write!(out, "\n<tr><th scope=row>{year}");
        let mut total = 0;
        for month in 1..=12u8 {
            out.push_str("<td>");
            if let Some(m) = months[k..]
                .iter()
                .take_while(|m| m.year == year)
                .find(|m| m.month == month)
            {
                let n = m.group.members.len();
                total += n;
                let _ = write!(out, "<a href={}.html>{n}</a>", m.group.base);
            }
        }
        let _ = write!(out, "<td>{total}");
        while k < months.len() && months[k].year == year {
            k += 1;
        }
    }
    out.push_str("\n</table></div>");
    out
}

/// Writes `timeline.html`: the archive's cables per month as a bar chart, the largest months
/// named, and the table of every month.
pub fn write_timeline(site: &Site, out: &super::output::Output) -> Result<(), BuildError> {
    let (months, undated) = dated_months(site);
    let mut by_size: Vec<usize> = (0..months.len()).collect();
    // Largest first; the earlier month first on a tie.
    by_size.sort_by(|&a, &b| {
        months[b]
            .group
            .members
            .len()
            .cmp(&months[a].group.members.len())
            .then(a.cmp(&b))
    });
    let top: Vec<usize> = by_size.into_iter().take(LARGEST).collect();
    let mut largest = String::new();
    for &k in &top {
        let m = &months[k];
        let _ = write!(
            largest,
            "<li><a href={}.html>{} {}</a> <span class=n>{}</span>",
            m.group.base,
            month_name(m.month),
            m.year,
            m.group.members.len()
        );
    }
    let mut intro = String::new();
    let dated: usize = months.iter().map(|m| m.group.members.len()).sum();
    let _ = write!(
        intro,
        "{dated} cable{} by month of creation (UTC); each bar links to its month.",
        if dated == 1 { "" } else { "s" }
    );
    if undated > 0 {
        let _ = write!(
            intro,
            " {undated} cable{} whose text gives no month {} not shown.",
            if undated == 1 { "" } else { "s" },
            if undated == 1 { "is" } else { "are" }
        );
    }
    let mut escaped_intro = String::new();
    push_text(&mut escaped_intro, &intro);
    let mut context = site.base_context.clone();
    context.insert("root", "");
    context.insert("intro", &escaped_intro);
    context.insert("chart", &timeline_svg(&months, &top));
    context.insert("largest", &largest);
    context.insert("table", &timeline_table(&months));
    let html = templates::render(&site.theme, "timeline.html", &context)?;
    out.write("timeline.html", html.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_histogram_has_a_bar_per_year_and_says_every_count() {
        let svg = year_histogram(&[(2006, 2), (2008, 4)]);
        // Two bars, the second twice as tall; 2007 is an empty slot (three years: 24 units each).
        assert!(svg.contains("M0 32v-16h22v16zM48 32v-32h22v32z"), "{svg}");
        assert!(
            svg.contains("By year: 2006 <b>2</b>, 2008 <b>4</b>"),
            "{svg}"
        );
        assert_eq!(year_histogram(&[]), "");
        assert_eq!(year_histogram(&[(2007, 9)]), "");
    }
}

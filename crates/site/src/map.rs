//! The map of posts on the origins index: one dot per post, its area proportional to the
//! post's cables, each a link to the post's listing, on a world outline drawn as inline SVG.
//!
//! Why inline SVG drawn at build time: the map must show from `file://` and without script,
//! in dark mode and in print (it takes its colours from the page's CSS variables), and a
//! reader's browser then needs nothing but the page.
//!
//! The outline is Natural Earth's 1:110m land (public domain), as packaged on npm by
//! `world-atlas`, projected and simplified once by `scripts/world/outline.mjs` into
//! `data/world-110m.path` (about 17 KB, one SVG path). Posts are placed with the same plate
//! carrée formula as the outline ([`project`]); their coordinates come from the gazetteer
//! (`data/stations.toml` and the site's own `stations.toml`). A post without coordinates is
//! listed under the map, never guessed.

use crate::escape::push_escaped;
use std::fmt::Write as _;

/// The world outline: an SVG path on the grid of [`project`].
const WORLD: &str = include_str!("../../../data/world-110m.path");

/// Latitude of the outline's top edge; must match `NORTH` in `scripts/world/outline.mjs`.
const NORTH: f64 = 84.0;
/// Latitude of the outline's bottom edge; must match `SOUTH` in `scripts/world/outline.mjs`.
const SOUTH: f64 = -58.0;
/// Grid units per degree; must match `UNITS_PER_DEGREE` in `scripts/world/outline.mjs`.
const UNITS: f64 = 2.0;
/// Width of the grid: 360 degrees.
const WIDTH: f64 = 360.0 * UNITS;
/// Height of the grid.
const HEIGHT: f64 = (NORTH - SOUTH) * UNITS;

/// Radius of the dot of the post with the most cables, in grid units (the grid is 720 wide).
const MAX_RADIUS: f64 = 14.0;
/// Radius of the smallest dot, so that a post with one cable can still be seen and clicked.
const MIN_RADIUS: f64 = 1.6;

/// One post for the map.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    /// The origin as listed: `Embassy Paris`.
    pub label: String,
    /// Link to its listing, relative to the origins index: `origin/embassy-paris.html`.
    pub href: String,
    /// Its cables in the archive.
    pub count: usize,
    /// Latitude and longitude in degrees, when the gazetteer knows them.
    pub at: Option<(f64, f64)>,
}

/// Where a latitude and longitude fall on the outline's grid: plate carrée, 2 units per
/// degree, west edge 180°W, top edge [`NORTH`]. Latitudes beyond the grid are kept on its edge.
pub fn project(lat: f64, lon: f64) -> (f64, f64) {
    let x = (lon + 180.0).clamp(0.0, 360.0) * UNITS;
    let y = (NORTH - lat.clamp(SOUTH, NORTH)) * UNITS;
    (x, y)
}

/// The dot's radius: its area is proportional to the count, with a floor so that every post
/// stays visible.
pub fn radius(count: usize, max: usize) -> f64 {
    if max == 0 {
        return MIN_RADIUS;
    }
    (MAX_RADIUS * (count as f64 / max as f64).sqrt()).max(MIN_RADIUS)
}

/// The map as an HTML `<figure>`: the SVG (outline, then the dots, largest first so that a
/// small post drawn later stays clickable on top of a big neighbour), a caption saying how to
/// read it, and the posts without coordinates by name. `None` when no post has coordinates (a
/// map without dots tells nothing). Deterministic: the same posts give the same bytes.
pub fn figure(posts: &[Post]) -> Option<String> {
    let mut placed: Vec<(&Post, (f64, f64))> = posts
        .iter()
        .filter_map(|p| p.at.map(|(lat, lon)| (p, project(lat, lon))))
        .collect();
    if placed.is_empty() {
        return None;
    }
    placed.sort_by(|a, b| b.0.count.cmp(&a.0.count).then(a.0.label.cmp(&b.0.label)));
    let max = placed[0].0.count;
    let cables: usize = placed.iter().map(|(p, _)| p.count).sum();
    let mut html = String::with_capacity(WORLD.len() + placed.len() * 120 + 1024);
    let _ = write!(
        html,
        "<figure class=map><svg viewBox=\"0 0 {WIDTH} {HEIGHT}\" aria-labelledby=map-title>\
         <title id=map-title>World map of the posts that sent the cables</title>\
         <path class=land d=\"{}\"/>",
        WORLD.trim_end()
    );
    for (post, (x, y)) in &placed {
        html.push_str("<a href=\"");
        push_escaped(&mut html, &post.href);
        html.push_str("\"><title>");
        push_escaped(&mut html, &post.label);
        let _ = write!(
            html,
            ": {} cable{}</title><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{:.1}\"/></a>",
            post.count,
            if post.count == 1 { "" } else { "s" },
            radius(post.count, max)
        );
    }
    html.push_str("</svg><figcaption>");
    let _ = write!(
        html,
        "{} post{} on the map, {cables} cable{}; a dot's area is proportional to the post's cables, and each dot links to them. The list below gives every post with its count.",
        placed.len(),
        if placed.len() == 1 { "" } else { "s" },
        if cables == 1 { "" } else { "s" },
    );
    let mut unplaced: Vec<&Post> = posts.iter().filter(|p| p.at.is_none()).collect();
    if !unplaced.is_empty() {
        unplaced.sort_by(|a, b| a.label.cmp(&b.label));
        html.push_str(" Not on the map, for want of coordinates in the gazetteer (<code>stations.toml</code>): ");
        for (i, post) in unplaced.iter().enumerate() {
            if i > 0 {
                html.push_str(", ");
            }
            html.push_str("<a href=\"");
            push_escaped(&mut html, &post.href);
            html.push_str("\">");
            push_escaped(&mut html, &post.label);
            html.push_str("</a>");
        }
        html.push('.');
    }
    html.push_str("</figcaption></figure>");
    Some(html)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(label: &str, count: usize, at: Option<(f64, f64)>) -> Post {
        Post {
            label: label.to_string(),
            href: format!("origin/{}.html", label.to_lowercase()),
            count,
            at,
        }
    }

    #[test]
    fn the_grid_corners_and_a_known_city() {
        assert_eq!(project(NORTH, -180.0), (0.0, 0.0));
        assert_eq!(project(SOUTH, 180.0), (WIDTH, HEIGHT));
        // Paris (48.86 N, 2.35 E) is just right of the middle, in the upper third.
        let (x, y) = project(48.86, 2.35);
        assert!(
            (x - 364.7).abs() < 0.01 && (y - 70.28).abs() < 0.01,
            "{x} {y}"
        );
        // Beyond the grid stays on its edge rather than off the picture.
        assert_eq!(project(-77.85, 166.67).1, HEIGHT);
    }

    #[test]
    fn area_is_proportional_to_count_with_a_floor() {
        let big = radius(400, 400);
        let quarter = radius(100, 400);
        assert!((big - MAX_RADIUS).abs() < 1e-9);
        assert!((quarter * quarter * 4.0 - big * big).abs() < 1e-9);
        assert_eq!(radius(1, 1_000_000), MIN_RADIUS);
    }

    #[test]
    fn every_placed_post_is_a_link_and_the_rest_are_named() {
        let posts = [
            post("Paris", 3, Some((48.86, 2.35))),
            post("Lima", 10, Some((-12.05, -77.04))),
            post("Delegation", 2, None),
        ];
        let html = figure(&posts).unwrap();
        assert_eq!(html.matches("<circle").count(), 2);
        // Largest first.
        assert!(html.find("origin/lima.html").unwrap() < html.find("origin/paris.html").unwrap());
        assert!(html.contains("<title>Lima: 10 cables</title>"));
        assert!(html.contains("2 posts on the map, 13 cables"));
        assert!(html.contains("<a href=\"origin/delegation.html\">Delegation</a>."));
        assert_eq!(figure(&posts[2..]), None, "no coordinates, no map");
    }

    #[test]
    fn the_outline_is_one_path_of_relative_moves_inside_the_grid() {
        assert!(WORLD.starts_with('M') && WORLD.trim_end().ends_with('z'));
        assert!(WORLD
            .trim_end()
            .bytes()
            .all(|b| b.is_ascii_digit() || b" -Mmlz".contains(&b)));
        // Walk the path and check that every point is on the grid.
        let (mut x, mut y, mut start) = (0i64, 0i64, (0i64, 0i64));
        let mut numbers = Vec::new();
        let mut command = b' ';
        let flush = |command: u8,
                     numbers: &mut Vec<i64>,
                     x: &mut i64,
                     y: &mut i64,
                     start: &mut (i64, i64)| {
            for pair in numbers.chunks(2) {
                match command {
                    b'M' => (*x, *y) = (pair[0], pair[1]),
                    _ => (*x, *y) = (*x + pair[0], *y + pair[1]),
                }
                if command != b'l' {
                    *start = (*x, *y);
                }
                // Rings across the antimeridian are drawn twice, a turn apart; their
                // off-map points are pinned to a line 4 units outside the edge.
                assert!(
                    (-4..=WIDTH as i64 + 4).contains(x) && (0..=HEIGHT as i64).contains(y),
                    "{x} {y}"
                );
            }
            numbers.clear();
        };
        let mut token = String::new();
        for c in WORLD.trim_end().chars() {
            if c.is_ascii_digit() || (c == '-' && token.is_empty()) {
                token.push(c);
                continue;
            }
            if !token.is_empty() {
                numbers.push(token.parse().unwrap());
                token.clear();
            }
            if c == '-' {
                token.push(c);
            } else if c != ' ' {
                flush(command, &mut numbers, &mut x, &mut y, &mut start);
                if c == 'z' {
                    (x, y) = start;
                }
                command = c as u8;
            }
        }
        assert!(numbers.is_empty() && token.is_empty());
    }
}

//! The map of posts on `origins.html`: one dot per post with coordinates, at its place, named
//! with its count, linking to its listing; the posts without coordinates named under it.
//! Expected values are recomputed here from the generator's manifest and from
//! `data/stations.toml` read as plain TOML, not from the site's gazetteer or listing code.

use crate::site_util::*;
use archive_dev::generate::{generate, GenConfig};
use std::collections::{BTreeMap, BTreeSet};

/// `(label, count, cx, cy)` of every dot, and the names listed as not on the map.
type Dots = BTreeSet<(String, usize, String, String)>;

fn dots(html: &str) -> (Dots, BTreeSet<String>) {
    let figure = &html[html.find("<figure class=map>").expect("a map")..];
    let figure = &figure[..figure.find("</figure>").unwrap()];
    let mut dots = Dots::new();
    for part in figure.split("<a href=\"").skip(1) {
        let Some((_, rest)) = part.split_once("\"><title>") else {
            continue;
        };
        let Some((title, rest)) = rest.split_once("</title><circle cx=\"") else {
            continue;
        };
        let (label, count) = title.rsplit_once(": ").unwrap();
        let count: usize = count.split(' ').next().unwrap().parse().unwrap();
        let (cx, rest) = rest.split_once("\" cy=\"").unwrap();
        let (cy, _) = rest.split_once('"').unwrap();
        dots.insert((label.to_string(), count, cx.to_string(), cy.to_string()));
    }
    let mut unplaced = BTreeSet::new();
    if let Some((_, list)) = figure.split_once("Not on the map") {
        for part in list.split("\">").skip(1) {
            unplaced.insert(part.split("</a>").next().unwrap().to_string());
        }
    }
    (dots, unplaced)
}

/// The station token of an identifier: what follows the two-digit year, up to the serial.
fn station(id: &str) -> &str {
    id[2..].trim_end_matches(|c: char| c.is_ascii_digit())
}

fn coordinates() -> BTreeMap<String, (f64, f64)> {
    let text = std::fs::read_to_string(repo().join("data/stations.toml")).unwrap();
    let table: toml::Table = text.parse().unwrap();
    table
        .iter()
        .filter_map(|(token, entry)| {
            let lat = entry.get("lat")?.as_float()?;
            let lon = entry.get("lon")?.as_float()?;
            Some((token.clone(), (lat, lon)))
        })
        .collect()
}

/// Plate carrée, 2 units per degree, from 180° W and 84° N (the outline's grid).
fn place(lat: f64, lon: f64) -> (String, String) {
    (
        format!("{:.1}", (lon + 180.0) * 2.0),
        format!("{:.1}", (84.0 - lat.clamp(-58.0, 84.0)) * 2.0),
    )
}

#[test]
fn every_post_of_a_generated_archive_is_a_dot_at_its_place_or_named_as_not_on_the_map() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let manifest = generate(&GenConfig::new(600, 11), &content.join("cables")).unwrap();
    let out = dir.path().join("public");
    let mut config = config(&out);
    config.content_dir = content.clone();
    archive::site::build(&config, &archive::site::BuildOptions::default()).unwrap();

    // Per origin: its cables, and how many of them each station token sent.
    let mut origins: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for cable in &manifest.cables {
        *origins
            .entry(cable.origin.as_str())
            .or_default()
            .entry(station(&cable.id))
            .or_default() += 1;
    }
    let known = coordinates();
    let (mut expected, mut expected_unplaced) = (Dots::new(), BTreeSet::new());
    for (origin, stations) in &origins {
        let count = stations.values().sum();
        // The station most of its cables name; on a tie the first in byte order.
        let mut ranked: Vec<(&&str, &usize)> = stations.iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        match known.get(*ranked[0].0) {
            Some(&(lat, lon)) => {
                let (cx, cy) = place(lat, lon);
                expected.insert((origin.to_string(), count, cx, cy));
            }
            None => {
                expected_unplaced.insert(origin.to_string());
            }
        }
    }
    assert!(expected.len() > 20 && !expected_unplaced.is_empty());

    let html = std::fs::read_to_string(out.join("origins.html")).unwrap();
    let (dots, unplaced) = dots(&html);
    assert_eq!(dots, expected);
    assert_eq!(unplaced, expected_unplaced);
    let placed: usize = expected.iter().map(|d| d.1).sum();
    assert!(
        html.contains(&format!(
            "{} posts on the map, {placed} cables",
            expected.len()
        )),
        "the caption counts the dots and their cables"
    );
    // Every dot and every name links to its origin's listing, which lists that many cables.
    let (broken, _) = crawl(&out);
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn the_default_archive_puts_all_its_posts_on_the_map() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build_default_archive(&out);
    let html = std::fs::read_to_string(out.join("origins.html")).unwrap();
    let (dots, unplaced) = dots(&html);
    let corpus = archive::corpus::read(&repo().join("content"));
    let origins: BTreeSet<&str> = corpus
        .cables
        .iter()
        .map(|c| c.cable.origin.as_str())
        .collect();
    assert_eq!(
        dots.iter().map(|d| d.0.as_str()).collect::<BTreeSet<_>>(),
        origins,
        "the seeds come from real posts, all in the gazetteer"
    );
    assert!(unplaced.is_empty());
    assert!(!html.contains("Not on the map"));
    // The outline is drawn once, from the shipped data.
    let outline = std::fs::read_to_string(repo().join("data/world-110m.path")).unwrap();
    assert_eq!(html.matches(outline.trim_end()).count(), 1);
}

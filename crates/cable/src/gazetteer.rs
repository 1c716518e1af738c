//! The gazetteer of posts: station token → display name, the spellings under which cable text
//! names the station, and the post's coordinates.
//!
//! Why the parser needs it: a partial extract has no `FM` line, so its origin ("Embassy Lima")
//! can only come from its station (`LIMA 000583`, `05LIMA583`); and REF items name stations in
//! many ways (`SECSTATE`, `UNVIE`, `RIO DE JANEIRO`, `HAGUE`) that must become the token of the
//! cited cable's identifier (`STATE`, `UNVIEVIENNA`, `RIODEJANEIRO`, `THEHAGUE`). The data is
//! `data/stations.toml`, embedded in the binary; a site owner extends it with a `stations.toml`
//! of the same shape ([`Gazetteer::extend_from_toml`]).
//!
//! Spellings are matched after [`normalize`]: upper case, runs of white space as one space. A
//! spelling is also matched with its spaces removed, so `NEW DELHI` and `NEWDELHI` are one.

use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

/// The built-in gazetteer's source.
const BUILTIN: &str = include_str!("../../../data/stations.toml");

/// One post.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Station {
    /// The origin display name of the cablegate website: "Embassy Lima", "Mission USNATO".
    pub name: String,
    /// Forms of the station in cable text, upper case.
    #[serde(default)]
    pub spellings: Vec<String>,
    /// Latitude of the post, decimal degrees (none for a travelling delegation).
    pub lat: Option<f64>,
    /// Longitude of the post, decimal degrees.
    pub lon: Option<f64>,
}

/// Every known post, with an index of spellings.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    stations: BTreeMap<String, Station>,
    /// Normalised spelling (and the same without spaces) → token.
    spellings: HashMap<String, String>,
}

/// Why a gazetteer file could not be read.
#[derive(Debug)]
pub struct GazetteerError(pub String);

impl std::fmt::Display for GazetteerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GazetteerError {}

/// Upper case, single spaces, trimmed; `.` and `-` inside a name read as spaces
/// (`PORT-AU-PRINCE`, `ST. PETERSBURG`).
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| c.is_whitespace() || c == '-' || c == '.')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_uppercase));
    }
    out
}

impl Gazetteer {
    /// The gazetteer shipped with the program (`data/stations.toml`), parsed once.
    pub fn builtin() -> &'static Gazetteer {
        static BUILT: OnceLock<Gazetteer> = OnceLock::new();
        BUILT.get_or_init(|| {
            let mut g = Gazetteer::default();
            g.extend_from_toml(BUILTIN)
                .expect("data/stations.toml is valid (a unit test parses it)");
            g
        })
    }

    /// Adds the stations of a `stations.toml` text; a token already known is replaced whole.
    pub fn extend_from_toml(&mut self, text: &str) -> Result<(), GazetteerError> {
        let table: BTreeMap<String, Station> =
            toml::from_str(text).map_err(|e| GazetteerError(e.to_string()))?;
        for (token, station) in table {
            let token = token.to_ascii_uppercase();
            if let Some(old) = self.stations.remove(&token) {
                for s in old.spellings.iter().chain([&token]) {
                    for key in keys(s) {
                        if self.spellings.get(&key) == Some(&token) {
                            self.spellings.remove(&key);
                        }
                    }
                }
            }
            for s in station.spellings.iter().chain([&token]) {
                for key in keys(s) {
                    self.spellings.insert(key, token.clone());
                }
            }
            self.stations.insert(token, station);
        }
        Ok(())
    }

    /// The token a spelling names: `UNVIE` → `UNVIEVIENNA`, `rio de janeiro` → `RIODEJANEIRO`.
    pub fn token(&self, spelling: &str) -> Option<&str> {
        // Most spellings arrive normalised already (`PARIS`, `NEW DELHI`): look them up as they
        // are, and normalise (an allocation) only when they are not.
        let plain = !spelling.is_empty()
            && !spelling.starts_with(' ')
            && !spelling.ends_with(' ')
            && !spelling.contains("  ")
            && spelling
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ' || b == b'\'');
        let owned;
        let n = if plain {
            spelling
        } else {
            owned = normalize(spelling);
            owned.as_str()
        };
        let found = self.spellings.get(n).or_else(|| {
            n.contains(' ')
                .then(|| self.spellings.get(&n.replace(' ', "")))
                .flatten()
        });
        found.map(String::as_str)
    }

    /// The post of a token.
    pub fn station(&self, token: &str) -> Option<&Station> {
        self.stations.get(token)
    }

    /// Every post, by token.
    pub fn stations(&self) -> impl Iterator<Item = (&str, &Station)> {
        self.stations.iter().map(|(t, s)| (t.as_str(), s))
    }

    /// The display name of the post that sent a cable, from its `FM` line's addressee
    /// (`AMEMBASSY PARIS`, `USMISSION USNATO`, `SECSTATE WASHDC`), when the gazetteer knows it.
    pub fn sender_name(&self, sender: &str) -> Option<&str> {
        let sender = sender.trim();
        let token = self.token(sender).or_else(|| {
            let rest = SENDER_PREFIXES
                .iter()
                .find_map(|p| sender.strip_prefix(p).and_then(|r| r.strip_prefix(' ')))?;
            self.token(rest)
        })?;
        self.station(token).map(|s| s.name.as_str())
    }
}

/// Words that stand before the post in an `FM` line.
const SENDER_PREFIXES: &[&str] = &[
    "AMEMBASSY",
    "AMCONSUL",
    "AMCONSULATE",
    "USMISSION",
    "USOFFICE",
    "USINT",
    "USLO",
    "AMEMB",
];

/// The index keys of a spelling: normalised, and normalised without spaces.
fn keys(spelling: &str) -> Vec<String> {
    let n = normalize(spelling);
    let joined = n.replace(' ', "");
    if joined == n {
        vec![n]
    } else {
        vec![n, joined]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_gazetteer_parses_and_knows_the_seed_posts() {
        let g = Gazetteer::builtin();
        assert!(g.stations().count() > 250);
        assert_eq!(g.station("USNATO").unwrap().name, "Mission USNATO");
        assert_eq!(g.station("PARIS").unwrap().name, "Embassy Paris");
        assert_eq!(g.token("SECSTATE"), Some("STATE"));
        assert_eq!(g.token("rio de janeiro"), Some("RIODEJANEIRO"));
        assert_eq!(g.token("UNVIE"), Some("UNVIEVIENNA"));
        assert_eq!(g.token("NEW DELHI"), Some("NEWDELHI"));
        assert_eq!(g.token("NOWHERE"), None);
        assert_eq!(g.sender_name("AMEMBASSY PARIS"), Some("Embassy Paris"));
        assert_eq!(g.sender_name("USMISSION USNATO"), Some("Mission USNATO"));
        assert_eq!(g.sender_name("SECSTATE WASHDC"), Some("Secretary of State"));
    }

    #[test]
    fn no_spelling_names_two_posts() {
        let table: BTreeMap<String, Station> = toml::from_str(BUILTIN).unwrap();
        let mut seen: HashMap<String, &str> = HashMap::new();
        for (token, station) in &table {
            for s in station.spellings.iter().chain([token]) {
                for key in keys(s) {
                    if let Some(other) = seen.insert(key.clone(), token) {
                        assert_eq!(other, token, "{key:?} names {other} and {token}");
                    }
                }
            }
        }
    }

    #[test]
    fn an_owner_extends_and_overrides() {
        let mut g = Gazetteer::builtin().clone();
        g.extend_from_toml(
            "[PARIS]\nname = \"Our Paris\"\nspellings = [\"LUTETIA\"]\n[ATLANTIS]\nname = \"Embassy Atlantis\"\n",
        )
        .unwrap();
        assert_eq!(g.station("PARIS").unwrap().name, "Our Paris");
        assert_eq!(g.token("LUTETIA"), Some("PARIS"));
        assert_eq!(g.token("ATLANTIS"), Some("ATLANTIS"));
        assert!(g.extend_from_toml("[X]\nnom = 1\n").is_err());
    }
}

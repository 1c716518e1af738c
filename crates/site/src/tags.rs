//! The tag vocabulary: what `PREL`, `KNNP` or `IZ` mean, for the tag pages and cable headers.
//!
//! Kept as data, not code: the default list is `data/tags.toml` built into the binary, and a
//! `tags.toml` in the site folder adds codes or replaces meanings (a flat table, `CODE = "meaning"`).

use super::BuildError;
use std::collections::HashMap;
use std::path::Path;

/// The built-in vocabulary.
const DEFAULT: &str = include_str!("../../../data/tags.toml");

/// Tag code → readable meaning.
#[derive(Debug, Default, Clone)]
pub struct Vocabulary {
    meanings: HashMap<String, String>,
}

impl Vocabulary {
    /// The built-in list, extended by `site_dir/tags.toml` when it exists.
    pub fn load(site_dir: &Path) -> Result<Vocabulary, BuildError> {
        let mut meanings = parse(DEFAULT, "built-in tags.toml")?;
        let path = site_dir.join("tags.toml");
        if path.is_file() {
            let text = std::fs::read_to_string(&path).map_err(BuildError::io_at(&path))?;
            meanings.extend(parse(&text, &path.display().to_string())?);
        }
        Ok(Vocabulary { meanings })
    }

    /// The meaning of a tag, looked up case-insensitively.
    pub fn meaning(&self, code: &str) -> Option<&str> {
        self.meanings
            .get(code)
            .or_else(|| self.meanings.get(&code.to_ascii_uppercase()))
            .map(String::as_str)
    }

    /// Number of known codes.
    pub fn len(&self) -> usize {
        self.meanings.len()
    }

    /// True when no code is known.
    pub fn is_empty(&self) -> bool {
        self.meanings.is_empty()
    }
}

fn parse(text: &str, name: &str) -> Result<HashMap<String, String>, BuildError> {
    let table: HashMap<String, String> =
        toml::from_str(text).map_err(|source| BuildError::Tags {
            name: name.to_string(),
            source,
        })?;
    Ok(table
        .into_iter()
        .map(|(k, v)| (k.to_ascii_uppercase(), v))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_vocabulary_knows_the_common_tags() {
        let v = Vocabulary::load(Path::new("/nonexistent")).unwrap();
        assert!(v.len() > 200);
        for code in [
            "PREL", "PGOV", "MARR", "KNNP", "NATO", "RS", "GM", "IZ", "EZ", "CH",
        ] {
            assert!(v.meaning(code).is_some(), "{code}");
        }
        assert_eq!(v.meaning("GM"), Some("Germany"));
        assert_eq!(v.meaning("prel"), v.meaning("PREL"));
    }
}

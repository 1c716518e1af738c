//! `site.toml`: what a site owner can set, with defaults that make an empty file work.
//!
//! Unknown keys are an error that names the key, because a misspelt setting that is silently
//! ignored is worse than no setting at all.

use archive_cable::gazetteer::Gazetteer;
pub use archive_search::SearchConfig;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The whole of `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The site's title, shown in every page header and in the browser tab.
    pub title: String,
    /// One or two sentences on the home page and in `<meta name="description">`.
    pub description: String,
    /// Absolute address where the site is published (`https://example.org/cables/`). Used only
    /// for the sitemap and the Atom feed, which need absolute links; pages never use it, so the
    /// site works from `file://` whatever it says. Without it, no sitemap or feed is written.
    pub base_url: Option<String>,
    /// Folder with `cables/` and `pages/`, relative to `site.toml`.
    pub content_dir: PathBuf,
    /// Folder the site is written to, relative to `site.toml`. Replaced whole by each build.
    pub output_dir: PathBuf,
    /// Rows on one page of a listing (by tag, month, origin, classification); 500 by default
    /// (fewer pages repeat less of the page around the rows).
    pub page_size: usize,
    /// Where a cited cable that is not in this archive can be read, as a template with `{id}`
    /// (and optionally `{year}`, `{month}`), for example
    /// `https://mirror.example/cable/{year}/{month}/{id}.html`. Without it, such references are
    /// shown as "not in this archive" and link nowhere.
    pub external_cable_url: Option<String>,
    /// Search settings.
    pub search: SearchConfig,
    /// Which cables to publish; empty means all.
    pub filter: FilterConfig,
    /// Write each cable's source text as `<ID>.txt` beside its page and link it ("Raw text").
    /// Off by default because the copy roughly doubles the size of the output (the text is
    /// already on the page); turn it on when readers need the exact file to cite or diff.
    pub raw_text: bool,
    /// Write a listing per addressee of the `TO` and `INFO` lines (`to/`, `to.html`) and link
    /// each addressee of a telegram's routing header to it. Off by default: a cable has four or
    /// five addressees, so their listings add about a row and a half of text per cable for every
    /// row a tag adds, 0.09 × the input at 10,000 cables (BENCHMARKS.md), more than the 1.7 ×
    /// output budget leaves. Turn it on when the site is not bound by GitHub Pages' 1 GB.
    pub addressee_pages: bool,
    /// The folder of `site.toml`: its `templates/`, `assets/` and `tags.toml`, when present,
    /// override the defaults built into the program. Not a key of the file: set by
    /// [`Config::load`] (empty, meaning the current folder, for [`Config::default`]).
    #[serde(skip)]
    pub site_dir: PathBuf,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Cable archive".to_string(),
            description: "Diplomatic cables, to browse, cite and search.".to_string(),
            base_url: None,
            content_dir: PathBuf::from("content"),
            output_dir: PathBuf::from("public"),
            page_size: 500,
            external_cable_url: None,
            search: SearchConfig::default(),
            filter: FilterConfig::default(),
            raw_text: false,
            addressee_pages: false,
            site_dir: PathBuf::new(),
        }
    }
}

/// `[filter]` in `site.toml`: publish a subset, for example the 2007 cables of USNATO. Each list
/// that is not empty must match (a cable passes when its value is in every non-empty list).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FilterConfig {
    /// Years of creation (`[2007, 2008]`).
    pub years: Vec<u16>,
    /// Origins as displayed (`["Mission USNATO"]`).
    pub origins: Vec<String>,
    /// Tags; a cable passes when it has any of them.
    pub tags: Vec<String>,
    /// Classification labels (`["UNCLASSIFIED", "CONFIDENTIAL"]`).
    pub classifications: Vec<String>,
}

impl FilterConfig {
    /// True when nothing is filtered out.
    pub fn is_empty(&self) -> bool {
        self.years.is_empty()
            && self.origins.is_empty()
            && self.tags.is_empty()
            && self.classifications.is_empty()
    }

    /// Whether a cable is published under this filter.
    pub fn accepts(&self, cable: &archive_cable::model::Cable) -> bool {
        (self.years.is_empty() || self.years.contains(&cable.created.year))
            && (self.origins.is_empty()
                || self
                    .origins
                    .iter()
                    .any(|o| o.eq_ignore_ascii_case(&cable.origin)))
            && (self.tags.is_empty()
                || cable
                    .tags
                    .iter()
                    .any(|t| self.tags.iter().any(|f| f.eq_ignore_ascii_case(t))))
            && (self.classifications.is_empty()
                || self.classifications.iter().any(|c| {
                    archive_cable::model::Classification::from_label(c)
                        == Some(cable.classification)
                }))
    }
}

/// Why `site.toml` could not be used. Each message names the file; it includes its cause's
/// text, so it reads whole when printed alone.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read (most often: there is none here).
    #[error("{}: cannot read: {source} (run `archive new DIR` to start a new archive, or pass --config)", path.display())]
    Read {
        /// The settings file.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: std::io::Error,
    },
    /// Not TOML, or a key this program does not know (named by the message), or a value of the
    /// wrong type.
    #[error("{}: {source}", path.display())]
    Parse {
        /// The settings file.
        path: PathBuf,
        /// The TOML parser's error, with the line and the key.
        #[source]
        source: toml::de::Error,
    },
    /// A value that parses but cannot be used; the message says which and why.
    #[error("{}: {message}", path.display())]
    Invalid {
        /// The settings file.
        path: PathBuf,
        /// What is wrong, and how to write it instead.
        message: String,
    },
}

/// A [`ConfigError::Invalid`] for the file at `path`.
fn invalid(path: &Path, message: String) -> ConfigError {
    ConfigError::Invalid {
        path: path.to_path_buf(),
        message,
    }
}

impl Config {
    /// The gazetteer of posts for this site: the built-in one (`data/stations.toml`), extended
    /// and overridden by a `stations.toml` beside `site.toml` when there is one. It names the
    /// origin of cables without an `FM` line and the stations of REF items, so a post the
    /// built-in list lacks (`archive check` lists them) is added there.
    pub fn gazetteer(&self) -> Result<Gazetteer, crate::BuildError> {
        let path = if self.site_dir.as_os_str().is_empty() {
            PathBuf::from("stations.toml")
        } else {
            self.site_dir.join("stations.toml")
        };
        let mut gazetteer = Gazetteer::builtin().clone();
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                gazetteer
                    .extend_from_toml(&text)
                    .map_err(|e| crate::BuildError::Stations {
                        path,
                        message: e.to_string(),
                    })?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(crate::BuildError::Io { path, source }),
        }
        Ok(gazetteer)
    }

    /// Reads `site.toml`. Relative folders in it are taken relative to the file's own folder, so
    /// `archive build --config other/site.toml` works from anywhere.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut config = Config::from_toml(&text, path)?;
        let base = path.parent().unwrap_or(Path::new(""));
        config.content_dir = base.join(&config.content_dir);
        config.output_dir = base.join(&config.output_dir);
        config.site_dir = base.to_path_buf();
        Ok(config)
    }

    /// Parses the text of a `site.toml` (`path` only names it in errors) and checks the values.
    pub fn from_toml(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|source| ConfigError::Parse {
            path: path.to_path_buf(),
            source,
        })?;
        if config.page_size == 0 {
            return Err(invalid(path, "page_size must be at least 1".to_string()));
        }
        // Addresses go into attributes, XML and robots.txt lines: characters that no address
        // needs raw (spaces, line breaks, quotes, angle brackets) are refused, not escaped.
        for (key, url) in [
            ("base_url", &config.base_url),
            ("external_cable_url", &config.external_cable_url),
        ] {
            if let Some(url) = url {
                if let Some(c) = url
                    .chars()
                    .find(|c| c.is_whitespace() || c.is_control() || "\"'<>`\\".contains(*c))
                {
                    return Err(invalid(
                        path,
                        format!("{key} contains {c:?}, which an address cannot hold unescaped (write it %-encoded)"),
                    ));
                }
            }
        }
        if let Some(url) = &config.external_cable_url {
            if !url.contains("{id}") {
                return Err(invalid(
                    path,
                    "external_cable_url must contain {id}, where the cable identifier goes"
                        .to_string(),
                ));
            }
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(invalid(
                    path,
                    "external_cable_url must start with https:// or http://".to_string(),
                ));
            }
        }
        if let Some(url) = &config.base_url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(invalid(
                    path,
                    "base_url must start with https:// or http://".to_string(),
                ));
            }
        }
        for label in &config.filter.classifications {
            if archive_cable::model::Classification::from_label(label).is_none() {
                return Err(invalid(
                    path,
                    format!("filter.classifications: unknown label {label:?} (use e.g. \"SECRET//NOFORN\")"),
                ));
            }
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_defaults() {
        let c = Config::from_toml("", Path::new("site.toml")).unwrap();
        assert_eq!(c.output_dir, PathBuf::from("public"));
        assert!(c.search.enabled);
    }

    #[test]
    fn unknown_key_is_named() {
        let err = Config::from_toml("titel = \"x\"\n", Path::new("site.toml")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("titel"), "{msg}");
        assert!(msg.contains("site.toml"), "{msg}");
        let err = Config::from_toml("[search]\nenable = true\n", Path::new("s.toml")).unwrap_err();
        assert!(err.to_string().contains("enable"), "{err}");
    }

    #[test]
    fn bad_values_are_rejected() {
        assert!(Config::from_toml("page_size = 0", Path::new("s")).is_err());
        assert!(Config::from_toml("external_cable_url = \"https://x/\"", Path::new("s")).is_err());
        assert!(Config::from_toml("base_url = \"javascript:alert(1)\"", Path::new("s")).is_err());
        assert!(
            Config::from_toml("base_url = \"https://x/\\nDisallow: /\"", Path::new("s")).is_err()
        );
        assert!(Config::from_toml(
            "external_cable_url = \"https://x/\\\"><b>{id}\"",
            Path::new("s")
        )
        .is_err());
        assert!(Config::from_toml(
            "external_cable_url = \"https://x/{id}?a=1&b=2\"",
            Path::new("s")
        )
        .is_ok());
        assert!(
            Config::from_toml("[filter]\nclassifications = [\"PUBLIC\"]", Path::new("s")).is_err()
        );
    }
}

//! Why a build failed as a whole. Single bad cables never make it fail: they are problems,
//! reported and left out.
//!
//! Every message names the file (or the setting) and, where there is one, what to do; it also
//! includes its cause's text, so it reads whole when printed alone (`error: {e}`), as the
//! command line does. The cause itself stays available as `source()`, for code that needs its
//! kind (a full disk, a permission).

use std::path::PathBuf;

/// Why a build failed as a whole.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// A file or folder of the output (or of the site's theme) could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: std::io::Error,
    },
    /// A site path that would leave the output folder. Site paths are built from safe slugs, so
    /// this is a bug, reported rather than obeyed.
    #[error("refusing to write outside the output folder: {0:?}")]
    UnsafePath(String),
    /// The output folder cannot be replaced safely.
    #[error(transparent)]
    Target(#[from] super::output::TargetError),
    /// Cables were read, but the `[filter]` of `site.toml` keeps none.
    #[error("nothing to build: the [filter] of site.toml leaves none of the {read} cables")]
    FilteredOut {
        /// Cables read before filtering.
        read: usize,
    },
    /// No file of the cables folder could be read as a cable.
    #[error("nothing to build: no cable could be read from {} ({files} files looked at)", dir.display())]
    NoCables {
        /// The cables folder.
        dir: PathBuf,
        /// Files looked at in it.
        files: usize,
    },
    /// A template of the site's `templates/` folder is not UTF-8 text.
    #[error("templates/{name}: not UTF-8 text")]
    TemplateNotText {
        /// Its path inside `templates/`.
        name: String,
    },
    /// The templates do not compile (Tera's message names the template and the line).
    #[error("templates: {}", super::templates::error_chain(source))]
    Templates {
        /// Tera's error.
        #[source]
        source: tera::Error,
    },
    /// A template failed while rendering a page.
    #[error("rendering {name}: {}", super::templates::error_chain(source))]
    Render {
        /// The template.
        name: String,
        /// Tera's error.
        #[source]
        source: tera::Error,
    },
    /// A tag vocabulary (`tags.toml`) is not a flat table of strings.
    #[error("{name}: {source}")]
    Tags {
        /// The file, or `built-in tags.toml`.
        name: String,
        /// The TOML parser's error (with the line).
        #[source]
        source: toml::de::Error,
    },
    /// The search index could not be written.
    #[error("search index: {0}")]
    Search(#[from] archive_search::SearchError),
    /// A cable's file, read again for its page, no longer holds the text it was linked with.
    #[error("{0}")]
    Reread(archive_cable::model::Problem),
    /// The site's `stations.toml` is not a table of stations of the gazetteer's shape.
    #[error("{}: {message} (each station is a table: [TOKEN] with name = \"Embassy X\", and optional spellings = [...], lat, lon; see data/stations.toml)", path.display())]
    Stations {
        /// The file.
        path: PathBuf,
        /// What the TOML parser said, with the line.
        message: String,
    },
}

impl BuildError {
    /// A closure for `map_err` that keeps the path beside an I/O error.
    pub fn io_at(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> BuildError {
        let path = path.into();
        move |source| BuildError::Io { path, source }
    }
}

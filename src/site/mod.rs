//! The site: the linked corpus → rendered pages, listings and search index → a written folder.

use crate::cable::Problem;
use crate::config::Config;
use std::fmt;
use std::time::Duration;

/// How a build reports on itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions {
    /// Print nothing but errors.
    pub quiet: bool,
    /// Print each phase's time.
    pub verbose: bool,
}

/// What a build did, for the summary the CLI prints and for tests and benchmarks.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Cables published.
    pub cables: usize,
    /// Files and bytes in the written site.
    pub files: usize,
    pub bytes: u64,
    /// Every problem met, each once, in file order.
    pub problems: Vec<Problem>,
    /// Each phase's name and wall time, in order: `load`, `link`, `render`, `listings`,
    /// `search`, `write`.
    pub phases: Vec<(&'static str, Duration)>,
}

/// Why a build failed as a whole (single bad cables never make it fail: they are problems).
#[derive(Debug)]
pub struct BuildError(pub String);

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BuildError {}

/// Builds the site described by `config` into `config.output_dir`.
pub fn build(config: &Config, options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let _ = (config, options);
    Err(BuildError("the site builder is not written yet".into()))
}

//! `archive serve`: build, serve the site on 127.0.0.1, rebuild what changed, reload open pages.
//!
//! The first build is a normal full build. After it, the operating system reports changes to
//! the site's files ([`watch`], polling where it cannot); when only cables changed, the rebuild
//! is incremental:
//!
//! 1. only the changed files are read and parsed again (the others come from a cache of parsed
//!    files), and the corpus is linked again (linear, milliseconds for ten thousand cables);
//! 2. a cable page is rendered again only when its cable's file changed or when something it
//!    shows of other cables did ([`crate::site::cable_page::neighbourhood_hash`]): a new cable
//!    re-renders itself, its neighbours by date and the cables it cites, not the archive;
//! 3. listings, the home page and the static files are rewritten (a small fraction of the
//!    site; a file that holds the same bytes is left alone), and listing pages and cable pages
//!    that are gone are removed;
//! 4. open pages are told to reload; the search index is rebuilt after that.
//!
//! A change to `site.toml`, templates, assets, tag meanings or Markdown pages rebuilds everything.
//!
//! Both kinds of rebuild go through [`site::Build`], which loads, links and prepares once. A full
//! rebuild writes through the staging folder and the swap, like `archive build`; an incremental
//! one writes into the live output folder ([`Output::updating`]) and the search index into its
//! `search/` folder in place, so a reader may see a page change under them: fine for a preview
//! server, and what makes a one-cable change cost milliseconds (ARCHITECTURE.md, *Invariants*).
//! After either, the output is byte for byte what `archive build` writes from the same input.

pub mod http;
pub mod watch;

use crate::cable::Problem;
use crate::config::Config;
use crate::corpus::{self, Loaded};
use crate::progress::Mode;
use crate::site::{self, cable_page, output::Output, Build, BuildOptions};
use crate::sources::{read_file_lean, FileResult};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use watch::{Snapshot, Watcher};

/// How long [`Session::step`] waits for the watcher to report a change that was just made.
const STEP_WAIT: Duration = Duration::from_secs(2);

/// Why `serve` stopped, or why one rebuild failed (the site then keeps its last good build).
/// The message reads whole on its own, as [`site::BuildError`]'s do.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A build or rebuild failed.
    #[error(transparent)]
    Build(#[from] site::BuildError),
    /// The port is taken or not allowed.
    #[error("cannot listen on 127.0.0.1:{port}: {source} (try --port 0 for a free port)")]
    Listen {
        /// The port asked for.
        port: u16,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
}

/// What `serve` keeps between rebuilds.
struct State {
    config: Config,
    options: BuildOptions,
    /// Parsed content of each cable file, by path.
    files: BTreeMap<PathBuf, FileResult>,
    /// The site's gazetteer (built-in, extended by its `stations.toml`), read at each full build.
    gazetteer: std::sync::Arc<crate::gazetteer::Gazetteer>,
    /// Size and time of every watched file at the last build.
    snapshot: Snapshot,
    /// Where files changed since the last look.
    watcher: Watcher,
    /// Page path → fingerprint of what the page showed at the last build.
    fingerprints: HashMap<String, u64>,
    /// The last incremental rebuild, until its search index is written ([`State::rebuild_search`]).
    pending_search: Option<Build>,
}

/// What one rebuild did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Rebuild {
    /// Whether everything was rebuilt (a setting, template or page changed).
    pub full: bool,
    /// Cable pages rendered again.
    pub pages: usize,
    /// Cable pages deleted because their cable is gone.
    pub removed: usize,
}

/// Serves `config`'s site on 127.0.0.1:`port` until the process is stopped. `ready` is called
/// once with the address, after the first build (tests use it to find the port).
pub fn run(
    config: Config,
    options: BuildOptions,
    port: u16,
    ready: impl FnOnce(std::net::SocketAddr),
) -> Result<(), ServeError> {
    let mut state = State::new(config, options)?;
    let server = http::Server::new(state.config.output_dir.clone());
    let address = server
        .start(port)
        .map_err(|source| ServeError::Listen { port, source })?;
    ready(address);
    loop {
        let touched = state.watcher.burst(Duration::from_secs(3600));
        match state.rebuild_if_changed(&touched) {
            Ok(Some((rebuild, took))) => {
                server.bump();
                if !state.options.quiet {
                    eprintln!(
                        "rebuilt {} in {} ms: {} cable pages written, {} removed",
                        if rebuild.full {
                            "everything"
                        } else {
                            "what changed"
                        },
                        took.as_millis(),
                        rebuild.pages,
                        rebuild.removed
                    );
                }
                if let Err(e) = state.rebuild_search() {
                    eprintln!("error: {e}");
                }
            }
            Ok(None) => {}
            Err(e) => eprintln!("error: {e} (the site keeps its last good build)"),
        }
    }
}

/// Everything the build reads: cables and pages, templates, assets, tag meanings, settings.
fn watched(config: &Config) -> Vec<PathBuf> {
    let site_dir = if config.site_dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        config.site_dir.clone()
    };
    vec![
        config.content_dir.clone(),
        site_dir.join("templates"),
        site_dir.join("assets"),
        site_dir.join("tags.toml"),
        site_dir.join("stations.toml"),
        site_dir.join("site.toml"),
    ]
}

impl State {
    /// The first, full build.
    fn new(config: Config, options: BuildOptions) -> Result<State, ServeError> {
        // Watching starts before the first build looks at the files, so no change is missed.
        let watcher = Watcher::new(&watched(&config));
        if watcher.is_polling() && !options.quiet {
            eprintln!(
                "note: this file system does not report changes; looking at the files every {} ms",
                watch::POLL.as_millis()
            );
        }
        let mut state = State {
            snapshot: Snapshot::default(),
            watcher,
            files: BTreeMap::new(),
            gazetteer: Default::default(),
            fingerprints: HashMap::new(),
            pending_search: None,
            config,
            options,
        };
        state.full_build()?;
        Ok(state)
    }

    fn cables_dir(&self) -> PathBuf {
        corpus::cables_dir(&self.config.content_dir)
    }

    fn full_build(&mut self) -> Result<Rebuild, ServeError> {
        self.snapshot = Snapshot::take(&watched(&self.config));
        // Settings, templates or stations.toml changed (or the first build): read the gazetteer
        // again, then every cable.
        self.gazetteer = std::sync::Arc::new(self.config.gazetteer()?);
        let (paths, _) = corpus::list_files(&self.cables_dir());
        self.files = paths
            .par_iter()
            .map(|path| (path.clone(), read_file_lean(path, &self.gazetteer)))
            .collect();
        let build = Build::from_loaded(self.loaded(), Duration::ZERO, self.config.clone())?;
        let report = build.write(&self.options)?;
        if !self.options.quiet {
            for problem in &report.problems {
                eprintln!("{problem}");
            }
            eprintln!(
                "built {} cables into {}",
                report.cables,
                self.config.output_dir.display()
            );
        }
        self.fingerprints = self.fingerprints_of(&build.site);
        self.pending_search = None;
        Ok(Rebuild {
            full: true,
            pages: build.site.corpus.cables.len(),
            removed: 0,
        })
    }

    /// The cached cables as the build's input, in file order, filtered as configured.
    fn loaded(&self) -> Loaded {
        let mut loaded = Loaded {
            files_read: self.files.len(),
            gazetteer: Some(self.gazetteer.clone()),
            ..Loaded::default()
        };
        for result in self.files.values() {
            loaded.cables.extend(
                result
                    .cables
                    .iter()
                    .filter(|c| self.config.filter.accepts(c))
                    .cloned(),
            );
            loaded.problems.extend(result.problems.iter().cloned());
        }
        loaded
    }

    /// Every cable page's fingerprint: what it shows of other cables, and its own file's stamp.
    fn fingerprints_of(&self, site: &site::Site) -> HashMap<String, u64> {
        let snapshot = &self.snapshot; // the watcher's receiver is not shared between threads
        (0..site.corpus.cables.len())
            .into_par_iter()
            .map(|index| {
                let linked = &site.corpus.cables[index];
                let mut h = rustc_hash::FxHasher::default();
                cable_page::neighbourhood_hash(site, index).hash(&mut h);
                linked.cable.source.hash(&mut h);
                snapshot.stamp(&linked.cable.source).hash(&mut h);
                (linked.page.clone(), h.finish())
            })
            .collect()
    }

    /// Looks at the files where the watcher saw something (`touched`); rebuilds when something
    /// changed. Returns what was done and how long it took, or `None` when nothing changed.
    fn rebuild_if_changed(
        &mut self,
        touched: &[PathBuf],
    ) -> Result<Option<(Rebuild, Duration)>, ServeError> {
        let changes = self.snapshot.refresh(&watched(&self.config), touched);
        if changes.is_empty() {
            return Ok(None);
        }
        let started = Instant::now();
        let cables_dir = self.cables_dir();
        let only_cables = changes.paths.iter().all(|p| p.starts_with(&cables_dir));
        let rebuild = if only_cables {
            self.incremental(&changes.paths)?
        } else {
            self.full_build()?
        };
        Ok(Some((rebuild, started.elapsed())))
    }

    fn incremental(&mut self, changed: &[PathBuf]) -> Result<Rebuild, ServeError> {
        let mut timer = StepTimer::new(self.options.verbose);
        for path in changed {
            if path.is_file() {
                self.files
                    .insert(path.clone(), read_file_lean(path, &self.gazetteer));
            } else {
                self.files.remove(path);
            }
        }
        timer.step("parse");
        let build = Build::from_loaded(self.loaded(), Duration::ZERO, self.config.clone())?;
        timer.step("link and prepare");
        let site = &build.site;
        let corpus = &site.corpus;
        let fingerprints = self.fingerprints_of(site);
        timer.step("fingerprints");
        let dirty: Vec<usize> = corpus
            .cables
            .iter()
            .enumerate()
            .filter(|(_, linked)| {
                self.fingerprints.get(&linked.page) != fingerprints.get(&linked.page)
            })
            .map(|(i, _)| i)
            .collect();
        let out = Output::updating(self.config.output_dir.clone());
        let problems = Mutex::new(Vec::<Problem>::new());
        let progress = crate::progress::Progress::new("render", dirty.len(), Mode::Silent);
        build.write_cables(&out, &dirty, &problems, &progress)?;
        timer.step("render");
        let mut removed = 0;
        for page in self.fingerprints.keys() {
            if !fingerprints.contains_key(page) {
                let html = out.path(page)?;
                let _ = std::fs::remove_file(html.with_extension("txt"));
                if std::fs::remove_file(&html).is_ok() {
                    removed += 1;
                }
            }
        }
        build.write_listings(&out)?;
        let mut written = site::listings::page_paths(site);
        written.extend(site::graph::page_paths(site));
        remove_stale_listings(&out, &written)?;
        build.write_static(&out)?;
        timer.step("listings");
        if !self.options.quiet {
            for problem in corpus
                .problems
                .iter()
                .filter(|p| changed.iter().any(|c| p.path.starts_with(c)))
                .chain(problems.into_inner().unwrap_or_default().iter())
            {
                eprintln!("{problem}");
            }
        }
        self.fingerprints = fingerprints;
        let pages = dirty.len();
        self.pending_search = Some(build);
        Ok(Rebuild {
            full: false,
            pages,
            removed,
        })
    }

    /// The search index of the last incremental rebuild, rebuilt whole after its pages (it lags
    /// them by its build time), in place. A full rebuild wrote its own.
    fn rebuild_search(&mut self) -> Result<(), ServeError> {
        match self.pending_search.take() {
            Some(build) => Ok(build.write_search(&self.config.output_dir)?),
            None => Ok(()),
        }
    }
}

/// Removes the files of the listing folders that the last listings write did not produce: the
/// listing of a tag or origin no cable has any more, a page past a listing's new end.
fn remove_stale_listings(out: &Output, written: &BTreeSet<String>) -> Result<(), ServeError> {
    for folder in [
        "tag",
        "month",
        "year",
        "origin",
        "classification",
        site::graph::FOLDER,
        "signer",
        "classifier",
        "to",
    ] {
        let dir = out.path(folder)?;
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        // People and addressees are one folder further down (`to/s/secstate-washdc.html`).
        let mut files: Vec<(String, std::path::PathBuf)> = Vec::new();
        for entry in entries.flatten() {
            let name = format!("{folder}/{}", entry.file_name().to_string_lossy());
            if entry.path().is_dir() {
                for inner in std::fs::read_dir(entry.path())
                    .into_iter()
                    .flatten()
                    .flatten()
                {
                    let inner_name = format!("{name}/{}", inner.file_name().to_string_lossy());
                    files.push((inner_name, inner.path()));
                }
            } else {
                files.push((name, entry.path()));
            }
        }
        for (name, path) in files {
            if !written.contains(&name) && path.is_file() {
                std::fs::remove_file(&path)
                    .map_err(|e| ServeError::Build(site::BuildError::io_at(&path)(e)))?;
            }
        }
    }
    Ok(())
}

/// With `--verbose`, prints how long each step of an incremental rebuild took.
struct StepTimer {
    verbose: bool,
    last: Instant,
}

impl StepTimer {
    fn new(verbose: bool) -> StepTimer {
        StepTimer {
            verbose,
            last: Instant::now(),
        }
    }

    fn step(&mut self, name: &str) {
        if self.verbose {
            eprintln!("  {name}: {} ms", self.last.elapsed().as_millis());
        }
        self.last = Instant::now();
    }
}

/// For tests: one poll-and-rebuild step on a site folder, without the server.
pub struct Session(State);

impl Session {
    /// Builds the site fully, as `serve` does first.
    pub fn start(config: Config) -> Result<Session, ServeError> {
        let options = BuildOptions {
            quiet: true,
            verbose: false,
            cache: false,
        };
        State::new(config, options).map(Session)
    }

    /// Rebuilds what changed since the last call (or the start), if anything, search index
    /// included.
    pub fn step(&mut self) -> Result<Option<Rebuild>, ServeError> {
        let touched = self.0.watcher.burst(STEP_WAIT);
        let rebuild = self
            .0
            .rebuild_if_changed(&touched)?
            .map(|(rebuild, _)| rebuild);
        self.0.rebuild_search()?;
        Ok(rebuild)
    }

    /// The folder the site is written to.
    pub fn output(&self) -> &Path {
        &self.0.config.output_dir
    }
}

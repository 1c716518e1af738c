//! The site: the linked corpus → rendered pages, listings and search index → a written folder.
//!
//! [`Build`] is the one owner of the pipeline (the command line, `archive serve` and the tests
//! all use it); it runs the phases in order, timing each (`--verbose` prints them):
//! - `load`: read and parse every cable (in parallel; [`archive_corpus::load`]);
//! - `link`: apply `[filter]`, then order, resolve references, compute "cited by"; check the
//!   output folder; prepare what every page shares (theme, tag meanings, listing groups,
//!   Markdown pages). Filtering first means a reference to a filtered-out cable counts as not
//!   in the archive;
//! - `render`: every cable page rendered and written inside one rayon `par_iter`, so no more
//!   than a page per thread is ever held in memory;
//! - `listings`: tag, month, origin and classification listings, their indexes, the home page;
//! - `search`: the search index (written by `archive_search`, when it is part of the build);
//! - `write`: static assets, Markdown pages, 404, feeds, then the swap into place.
//!
//! Everything is written into a temporary folder beside the output and swapped in only when
//! complete ([`output::Staging`]): a failed build leaves the previous site untouched.
//!
//! Modules: [`templates`] (embedded, overridable theme), [`cable_page`], [`groups`] (the
//! listing model, no HTML), [`listings`] (listing pages), [`pager`], [`present`] (what the cable
//! page, listings and feeds show alike), [`pages`] (Markdown), [`highlight`] (routing header), [`feeds`] (sitemap, Atom, robots),
//! [`people`] (signers, officials who classified, addressees), [`charts`] (the timeline and the
//! histograms by year, SVG), [`links`] (relative paths and slugs), [`output`] (safe paths and atomic swap), [`tags`]
//! (tag vocabulary), [`escape`].

pub mod cable_page;
pub mod cache;
pub mod charts;
pub mod cite;
pub mod config;
mod error;
pub mod escape;
pub mod export;
pub mod feeds;
pub mod graph;
pub mod groups;
pub mod highlight;
pub mod links;
pub mod listings;
pub mod map;
pub mod output;
pub mod pager;
pub mod pages;
pub mod people;
pub mod people_links;
pub mod present;
pub mod tags;
pub mod templates;

use crate::config::Config;
use archive_cable::model::Problem;
use archive_corpus::progress::{Mode, Progress};
use archive_corpus::{self as corpus, Corpus, Loaded};
pub use error::BuildError;
use output::{Output, Staging};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How a build reports on itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions {
    /// Print nothing but errors.
    pub quiet: bool,
    /// Print each phase's time.
    pub verbose: bool,
    /// Keep a build cache beside the output and reuse the previous build's unchanged pages and
    /// search runs ([`cache`]): what `archive build` does unless told `--no-cache`. The output is
    /// the same either way.
    pub cache: bool,
}

/// What a build did, for the summary the CLI prints and for tests and benchmarks.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Cables published.
    pub cables: usize,
    /// Files in the written site.
    pub files: usize,
    /// Bytes in the written site (the size budget is measured against the input's).
    pub bytes: u64,
    /// Every problem met, each once, in file order.
    pub problems: Vec<Problem>,
    /// Each phase's name and wall time, in order: `load`, `link`, `render`, `listings`,
    /// `search`, `write`.
    pub phases: Vec<(&'static str, Duration)>,
    /// Cable pages linked unchanged from the previous output by the build cache (0 without it).
    pub pages_reused: usize,
    /// Search chunks whose analysis came from the build cache, of `chunks`.
    pub chunks_reused: usize,
    /// Search chunks whose run was put together from the previous build's runs and the
    /// analysis of their new cables only ([`archive_search::Indexer::add_composed_chunk`]).
    pub chunks_composed: usize,
    /// Cables whose text was analysed for the search index (all of them in a full build).
    pub cables_analysed: usize,
    /// Search chunks of the index (0 when search is off).
    pub chunks: usize,
    /// Whether the search index was linked whole from the previous output, its chunks' keys
    /// all the same ([`cache::BuildCache::link_index`]), instead of merged again.
    pub index_reused: bool,
}

/// GitHub Pages refuses sites over 1 GB.
pub const GITHUB_PAGES_BYTES: u64 = 1_000_000_000;
/// File-count limits of common static hosts (some free plans stop at 20,000 files, others at
/// 100,000).
pub const HOST_FILE_LIMITS: [usize; 2] = [20_000, 100_000];

/// Warnings for a built site that will not fit common hosts, with what to do about it.
pub fn host_limit_warnings(files: usize, bytes: u64) -> Vec<String> {
    let mut warnings = Vec::new();
    if bytes > GITHUB_PAGES_BYTES {
        warnings.push(format!(
            "the site is {:.2} GB, over GitHub Pages' 1 GB limit: publish a subset with [filter] in site.toml, or another host",
            bytes as f64 / 1e9
        ));
    }
    if let Some(limit) = HOST_FILE_LIMITS.iter().rev().find(|&&limit| files > limit) {
        warnings.push(format!(
            "the site has {files} files, over the {limit}-file limit of some static hosts: check your host's limit, or publish a subset with [filter]"
        ));
    }
    warnings
}

/// Everything the page renderers share: read-only, so the parallel render needs no locks.
/// Made once per build by [`Build`], which owns it.
pub struct Site {
    /// The linked, filtered cables.
    pub corpus: Corpus,
    /// The site's settings.
    pub config: Config,
    /// Templates and assets, built in or overridden by the site.
    pub theme: templates::Theme,
    /// Tag meanings, for cable headers and tag pages.
    pub tags: tags::Vocabulary,
    /// Every listing, computed before the cable pages because they link to them.
    pub groups: groups::Groups,
    /// Markdown pages, linked from every page's footer.
    pub pages: Vec<pages::Page>,
    /// The identifiers of the cables the `[filter]` left out that kept cables cite (empty
    /// without a filter): the missing-cables page marks them ([`graph::left_out`]).
    pub left_out: BTreeSet<archive_cable::model::CableId>,
    /// How many cables the archive cites but does not hold ([`graph::missing`]'s length),
    /// counted once here for the home page and for `serve`'s list of `refs/` pages.
    pub missing_count: usize,
    /// What was wrong with the Markdown pages (renamed, unreadable, unsafe links).
    pub page_problems: Vec<Problem>,
    /// What every template sees: `site` (title, description), `search` (show the search box),
    /// `feed` (an Atom feed exists), `pages` (Markdown pages for the footer).
    pub base_context: tera::Context,
}

impl Site {
    /// The configured external address of a cable that is not in the archive, when the
    /// template can be filled: `{id}` always, `{year}` from the identifier's two-digit year;
    /// `{month}` cannot be known for a cable we do not have, so such templates give `None`.
    pub fn external_url(&self, id: &str) -> Option<String> {
        let template = self.config.external_cable_url.as_deref()?;
        if template.contains("{month}") {
            return None;
        }
        let mut url = template.replace("{id}", id);
        if url.contains("{year}") {
            let yy: u16 = id.get(..2)?.parse().ok()?;
            let year = if yy >= 66 { 1900 + yy } else { 2000 + yy };
            url = url.replace("{year}", &year.to_string());
        }
        Some(url)
    }

    /// Everything the pages share, made from the linked corpus: the theme (templates and
    /// assets), tag meanings, listing groups, Markdown pages and the base template context.
    fn prepare(
        corpus: Corpus,
        config: Config,
        left_out: BTreeSet<archive_cable::model::CableId>,
    ) -> Result<Site, BuildError> {
        let theme = templates::load(&config.site_dir)?;
        let vocabulary = tags::Vocabulary::load(&config.site_dir)?;
        let mut groups = groups::Groups::new(&corpus, &vocabulary);
        if !config.addressee_pages {
            groups = groups.without_addressees();
        }
        let (md_pages, page_problems) = pages::load(&config.content_dir.join("pages"));
        let mut base_context = tera::Context::new();
        base_context.insert(
            "site",
            &serde_json::json!({"title": config.title, "description": config.description}),
        );
        base_context.insert("search", &config.search.enabled);
        base_context.insert("feed", &config.base_url.is_some());
        base_context.insert("pages", &md_pages);
        highlight::init();
        let missing_count = graph::missing(&corpus, &left_out).len();
        Ok(Site {
            missing_count,
            corpus,
            config,
            theme,
            tags: vocabulary,
            groups,
            pages: md_pages,
            left_out,
            page_problems,
            base_context,
        })
    }
}

/// Builds the site described by `config` into `config.output_dir`: [`Build::load`], then
/// [`Build::write`].
pub fn build(config: &Config, options: &BuildOptions) -> Result<BuildReport, BuildError> {
    Build::load(config.clone(), options)?.write(options)
}

/// The one owner of the pipeline: loads, filters, links and prepares once, then writes. The
/// command line's `build`, `archive serve` (its first build and each rebuild) and the tests all
/// go through it, so there is one place where the phases run and in which order.
pub struct Build {
    /// The prepared site, for the writers and for `serve`'s fingerprints.
    pub site: Site,
    /// The `load` and `link` phase times, for the report.
    phases: Vec<(&'static str, Duration)>,
}

impl Build {
    /// Reads and parses every cable of `config.content_dir` (the `load` phase), then
    /// [`Build::from_loaded`].
    pub fn load(config: Config, options: &BuildOptions) -> Result<Build, BuildError> {
        let started = Instant::now();
        let dir = corpus::cables_dir(&config.content_dir);
        let gazetteer = std::sync::Arc::new(config.gazetteer()?);
        let loaded = corpus::load_lean(&dir, Mode::detect(options.quiet), gazetteer);
        Build::from_loaded(loaded, started.elapsed(), config)
    }

    /// From cables already loaded (the `load` phase took `load_time`): the command line loads
    /// them itself to print their problems even when the build fails, `serve` from its cache of
    /// parsed files, tests from hand-made cables. The `link` phase: apply `[filter]` (first, so
    /// a reference to a filtered-out cable counts as not in the archive), refuse an empty
    /// result, link, check that the output folder may be replaced, and prepare what every page
    /// shares.
    pub fn from_loaded(
        mut loaded: Loaded,
        load_time: Duration,
        config: Config,
    ) -> Result<Build, BuildError> {
        let started = Instant::now();
        let read = loaded.cables.len();
        let mut left_out = BTreeSet::new();
        if !config.filter.is_empty() {
            let (kept, dropped): (Vec<_>, Vec<_>) = std::mem::take(&mut loaded.cables)
                .into_iter()
                .partition(|c| config.filter.accepts(c));
            left_out = graph::left_out(&kept, &dropped);
            loaded.cables = kept;
        }
        // What no later phase of a build reads, let go before linking (the peak of a build is
        // its end, every cable's facts held beside the merge of the search index): the list of
        // files (`archive check` shows it; a build never does), and without `addressee_pages`
        // the addressees, which only those listings read of other cables (each page reads its
        // own again with its telegram; a cable whose telegram is kept is its own full cable,
        // so it keeps them for its page and its `-to:` search keys). 1,000,000 cables: about
        // 600 bytes a cable.
        loaded.sources = Vec::new();
        if !config.addressee_pages {
            for cable in &mut loaded.cables {
                if cable.body_set_aside.is_some() {
                    cable.recipients = Vec::new();
                }
            }
        }
        if loaded.cables.is_empty() {
            return Err(if read > 0 {
                BuildError::FilteredOut { read }
            } else {
                BuildError::NoCables {
                    dir: corpus::cables_dir(&config.content_dir),
                    files: loaded.files_read,
                }
            });
        }
        let corpus = corpus::link(loaded);
        output::check_target(
            &config.output_dir,
            &[
                &config.content_dir,
                &corpus::cables_dir(&config.content_dir),
                &site_dir(&config),
            ],
        )?;
        let site = Site::prepare(corpus, config, left_out)?;
        Ok(Build {
            site,
            phases: vec![("load", load_time), ("link", started.elapsed())],
        })
    }

    /// Writes the whole site into a staging folder beside `config.output_dir` and swaps it in
    /// when complete (phases `render`, `listings`, `search`, `write`).
    pub fn write(&self, options: &BuildOptions) -> Result<BuildReport, BuildError> {
        let cache = match options.cache {
            true => Some(cache::BuildCache::open(&self.site.config)?),
            false => None,
        };
        self.write_cached(options, cache)
    }

    /// [`Build::write`] with a build cache already open (`archive build` opens it before the
    /// load, which reads through it: [`cache::BuildCache::load`]); `options.cache` is not
    /// looked at.
    pub fn write_cached(
        &self,
        options: &BuildOptions,
        cache: Option<cache::BuildCache>,
    ) -> Result<BuildReport, BuildError> {
        let site = &self.site;
        let mut phases = self.phases.clone();
        let started = Instant::now();
        // A rebuild builds in the cache's spare generation, replacing what changed.
        let (staging, adopted) = match cache.as_ref().and_then(|c| c.spare()) {
            Some(spare) => Staging::adopt(&site.config.output_dir, &spare)?,
            None => (Staging::create(&site.config.output_dir)?, false),
        };
        let out = match adopted {
            true => Output::replacing(staging.path().to_path_buf()),
            false => Output::new(staging.path().to_path_buf()),
        };
        let problems = Mutex::new(Vec::new());
        let count = site.corpus.cables.len();
        let progress = Progress::new("render", count, Mode::detect(options.quiet));
        // Each telegram is read once more (the load let it go) for both its page and its
        // words: the pages are written chunk by chunk of the search index's chunks, and each
        // chunk, its text at hand, is indexed before it is let go again.
        let docs: Vec<&archive_corpus::LinkedCable> = site.corpus.cables.iter().collect();
        let plan = archive_search::chunk_plan(&docs);
        let indexer = match site.config.search.enabled {
            true => Some(archive_search::Indexer::with_options(
                &site.config.search,
                out.root(),
                plan.clone(),
                cache.as_ref().map(|c| c.runs()),
            )?),
            false => None,
        };
        let fingerprints = cache.as_ref().map(|c| c.cable_fingerprints(&site.corpus));
        let stamps = Mutex::new(Vec::new());
        let chunks_reused = std::sync::atomic::AtomicUsize::new(0);
        let chunks_composed = std::sync::atomic::AtomicUsize::new(0);
        let cables_analysed = std::sync::atomic::AtomicUsize::new(0);
        let pages_reused = std::sync::atomic::AtomicUsize::new(0);
        create_page_dirs(site, &out, 0..count)?;
        // The chunks whose run the cache holds are known before any page is written: the
        // others (every chunk of a full build) are read, rendered and analysed first, so that
        // in a rebuild the merge of the index, which needs every run, starts as soon as the
        // few changed chunks are analysed, and runs beside the pages of the unchanged chunks
        // and the listings (one core merging, the other writing) instead of after them.
        // Per chunk: whether its index is already known (its run reused, or no search), and
        // its key.
        let indexed_and_key = plan
            .par_iter()
            .enumerate()
            .map(
                |(number, range)| -> Result<(bool, Option<u128>), BuildError> {
                    // The chunk's key, when every one of its cables has a fingerprint.
                    let key = match (&cache, &fingerprints) {
                        (Some(cache), Some(fps)) => fps[range.clone()]
                            .iter()
                            .copied()
                            .collect::<Option<Vec<u64>>>()
                            .map(|fps| cache.chunk_key(&fps)),
                        _ => None,
                    };
                    let indexed = match (&indexer, key) {
                        (None, _) => true,
                        (Some(indexer), Some(key)) => {
                            let reused = indexer.reuse_chunk(number, key)?;
                            if reused {
                                chunks_reused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            }
                            reused
                        }
                        (Some(_), None) => false,
                    };
                    Ok((indexed, key))
                },
            )
            .collect::<Result<Vec<_>, BuildError>>()?;
        // The pages of chunk `number`, and its analysis by `indexer` unless it is already
        // `indexed` (the chunks written beside the merge all are: they get no indexer).
        let write_chunk = |number: usize,
                           indexer: Option<&archive_search::Indexer>|
         -> Result<(), BuildError> {
            let range = plan[number].clone();
            let (indexed, key) = indexed_and_key[number];
            // A chunk to analyse whose cables all have keys: those the previous build's
            // runs hold are taken from them, and only the others are read and analysed.
            let doc_keys: Option<Vec<u64>> = match (indexer, indexed, key, &fingerprints) {
                (Some(_), false, Some(_), Some(fps)) => {
                    fps[range.clone()].iter().copied().collect()
                }
                _ => None,
            };
            let pieces = match (indexer, &doc_keys) {
                (Some(indexer), Some(doc_keys)) => indexer.pieces(doc_keys)?,
                _ => None,
            };
            let first = range.start;
            let full = range
                .clone()
                .into_par_iter()
                .map(|index| {
                    let need_text =
                        !indexed && !pieces.as_ref().is_some_and(|p| p.has(index - first));
                    let fingerprint = match (&cache, &fingerprints) {
                        (Some(cache), Some(fps)) => fps[index].map(|fp| {
                            let near = cable_page::neighbourhood_hash(site, index);
                            (cache, cache.page_fingerprint(fp, near))
                        }),
                        _ => None,
                    };
                    let (full, linked) = write_or_link(
                        site,
                        &out,
                        index,
                        fingerprint,
                        need_text,
                        &problems,
                        &stamps,
                    )?;
                    if linked {
                        pages_reused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    progress.inc();
                    Ok(full)
                })
                .collect::<Result<Vec<_>, BuildError>>()?;
            let (Some(indexer), false) = (indexer, indexed) else {
                return Ok(());
            };
            if let (Some(key), Some(doc_keys), Some(pieces)) = (key, &doc_keys, &pieces) {
                let fresh: Vec<&archive_cable::model::Cable> = full
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| !pieces.has(i))
                    .map(|(_, c)| &**c.as_ref().expect("a cable not in the pieces is read"))
                    .collect();
                if indexer.add_composed_chunk(number, key, doc_keys, pieces, &fresh)? {
                    chunks_composed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    cables_analysed.fetch_add(fresh.len(), std::sync::atomic::Ordering::Relaxed);
                    return Ok(());
                }
                // The pieces were unusable: every cable is read and analysed.
                let full = range
                    .into_par_iter()
                    .map(|index| site.corpus.full(index).map_err(BuildError::Reread))
                    .collect::<Result<Vec<_>, BuildError>>()?;
                let cables: Vec<&archive_cable::model::Cable> = full.iter().map(|c| &**c).collect();
                cables_analysed.fetch_add(cables.len(), std::sync::atomic::Ordering::Relaxed);
                return Ok(indexer.add_keyed_chunk(number, &cables, key, doc_keys)?);
            }
            let cables: Vec<&archive_cable::model::Cable> =
                full.iter().flatten().map(|c| &**c).collect();
            cables_analysed.fetch_add(cables.len(), std::sync::atomic::Ordering::Relaxed);
            // A key means that every cable of the chunk has a fingerprint: `doc_keys` is there.
            match key {
                Some(key) => indexer.add_keyed_chunk(
                    number,
                    &cables,
                    key,
                    doc_keys.as_deref().unwrap_or_default(),
                )?,
                None => indexer.add_chunk(number, &cables)?,
            }
            Ok(())
        };
        let (to_analyse, already_indexed): (Vec<usize>, Vec<usize>) =
            (0..plan.len()).partition(|&number| !indexed_and_key[number].0);
        // The key of the whole index, when every chunk has one: the previous build's index is
        // linked as it is when it was recorded with the same key.
        let index_key = match (&cache, &indexer) {
            (Some(cache), Some(_)) => indexed_and_key
                .iter()
                .map(|&(_, key)| key)
                .collect::<Option<Vec<u128>>>()
                .map(|keys| cache.index_key(&keys)),
            _ => None,
        };
        let index_reused = AtomicBool::new(false);
        to_analyse
            .par_iter()
            .try_for_each(|&number| write_chunk(number, indexer.as_ref()))?;
        // The rest of the pages, then the listings, while the index is merged: one waits on
        // the file system more, the other only on the CPU.
        let rest_started = Instant::now();
        let analysed = started.elapsed();
        let (rendered, searched) = rayon::join(
            || -> Result<(Duration, Duration), BuildError> {
                already_indexed
                    .par_iter()
                    .try_for_each(|&number| write_chunk(number, None))?;
                progress.finish();
                if let (Some(cache), true) = (&cache, adopted) {
                    let wanted: std::collections::HashSet<String> = (0..count)
                        .into_par_iter()
                        .flat_map_iter(|index| cable_files(site, index))
                        .collect();
                    cache.remove_unwanted_spare_pages(&out, &wanted)?;
                }
                let rendered = analysed + rest_started.elapsed();
                let listings_started = Instant::now();
                self.write_listings(&out)?;
                Ok((rendered, listings_started.elapsed()))
            },
            || -> Result<Duration, BuildError> {
                if let Some(indexer) = indexer {
                    let linked = match (&cache, index_key) {
                        (Some(cache), Some(key)) => cache.link_index(&out, key)?,
                        _ => false,
                    };
                    match linked {
                        // Its spill folder goes with it; nothing is written under `search/`.
                        true => drop(indexer),
                        false => {
                            indexer.finish(&docs)?;
                        }
                    }
                    index_reused.store(linked, Ordering::Relaxed);
                    out.count_folder("search")?;
                    if let (Some(cache), Some(key)) = (&cache, index_key) {
                        let unrecorded = cache.record_index(&out, key);
                        problems
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .extend(unrecorded);
                    }
                }
                Ok(rest_started.elapsed())
            },
        );
        let (rendered, listed) = rendered?;
        phases.push(("render", rendered));
        phases.push(("listings", listed));
        phases.push(("search", searched?));

        let started = Instant::now();
        self.write_static(&out)?;
        let (files, bytes) = out.totals();
        let stamps = stamps.into_inner().unwrap_or_default();
        let mut all_problems = self.problems();
        all_problems.extend(problems.into_inner().unwrap_or_default());
        if let Some(cache) = cache {
            // The site is in place; a cache that cannot be saved only makes the next build a
            // full one, which the report says. The previous output becomes the cache's spare.
            let old = staging.swap()?;
            let dir = cache.dir().to_path_buf();
            let (saved, left_behind) = cache.commit(stamps, old);
            all_problems.extend(left_behind);
            if let Err(e) = saved {
                all_problems.push(Problem::warning(
                    dir,
                    None,
                    format!("build cache not saved ({e}); the next build renders every page"),
                ));
            }
        } else {
            all_problems.extend(staging.commit()?);
        }
        phases.push(("write", started.elapsed()));

        Ok(BuildReport {
            cables: site.corpus.cables.len(),
            files,
            bytes,
            problems: all_problems,
            phases,
            pages_reused: pages_reused.into_inner(),
            chunks_reused: chunks_reused.into_inner(),
            chunks_composed: chunks_composed.into_inner(),
            cables_analysed: cables_analysed.into_inner(),
            index_reused: index_reused.into_inner(),
            chunks: if site.config.search.enabled {
                plan.len()
            } else {
                0
            },
        })
    }

    /// The problems of the input (files that are not cables, renamed listings, bad Markdown
    /// pages), in that order.
    pub fn problems(&self) -> Vec<Problem> {
        let site = &self.site;
        let mut problems = site.corpus.problems.clone();
        problems.extend(site.groups.problems.iter().cloned());
        problems.extend(site.page_problems.iter().cloned());
        problems
    }

    /// Renders and writes the pages of the cables at `indices` (and their raw text when
    /// `raw_text` is on), in parallel.
    pub fn write_cables(
        &self,
        out: &Output,
        indices: &[usize],
        problems: &Mutex<Vec<Problem>>,
        progress: &Progress,
    ) -> Result<(), BuildError> {
        render_cables(&self.site, out, indices, problems, progress)
    }

    /// Every listing page, their index pages, the reference-graph pages and the home page.
    pub fn write_listings(&self, out: &Output) -> Result<(), BuildError> {
        listings::write(&self.site, out)?;
        graph::write(&self.site, out)?;
        charts::write_timeline(&self.site, out)?;
        listings::write_home(&self.site, out)
    }

    /// The search index under `out_dir/search/`, replaced whole (nothing when search is off).
    pub fn write_search(&self, out_dir: &std::path::Path) -> Result<(), BuildError> {
        let site = &self.site;
        if site.config.search.enabled {
            archive_search::build(&site.corpus, &site.config.search, out_dir)?;
        }
        Ok(())
    }

    /// Static assets, Markdown pages, 404, the search page, `.nojekyll`, feeds and robots.
    pub fn write_static(&self, out: &Output) -> Result<(), BuildError> {
        write_static(&self.site, out)
    }
}

/// The site folder, with an empty path meaning the current folder.
pub(crate) fn site_dir(config: &Config) -> std::path::PathBuf {
    if config.site_dir.as_os_str().is_empty() {
        std::path::PathBuf::from(".")
    } else {
        config.site_dir.clone()
    }
}

/// The folders of the pages of the cables at `indices`, made before the pages are written in
/// parallel.
fn create_page_dirs(
    site: &Site,
    out: &Output,
    indices: impl Iterator<Item = usize>,
) -> Result<(), BuildError> {
    let dirs: BTreeSet<&str> = indices
        .filter_map(|i| {
            site.corpus.cables[i]
                .page
                .rsplit_once('/')
                .map(|(dir, _)| dir)
        })
        .collect();
    for dir in dirs {
        out.create_dir(dir)?;
    }
    Ok(())
}

/// [`Build::write_cables`].
fn render_cables(
    site: &Site,
    out: &Output,
    indices: &[usize],
    problems: &Mutex<Vec<Problem>>,
    progress: &Progress,
) -> Result<(), BuildError> {
    create_page_dirs(site, out, indices.iter().copied())?;
    indices.par_iter().try_for_each(|&index| {
        let full = site.corpus.full(index).map_err(BuildError::Reread)?;
        write_cable(site, out, index, &full, problems)?;
        progress.inc();
        Ok(())
    })
}

/// The files a cable's page writes: the page, and its raw text when `raw_text` is on.
fn cable_files(site: &Site, index: usize) -> Vec<String> {
    let linked = &site.corpus.cables[index];
    let mut files = vec![linked.page.clone()];
    if site.config.raw_text && is_single_text_source(&linked.cable.source) {
        files.push(format!("{}.txt", linked.page.trim_end_matches(".html")));
    }
    files
}

/// The page of the cable at `index`, hard-linked from the previous output when the build cache
/// knows it unchanged (`fingerprint`: the cache and the page's fingerprint), rendered and
/// written otherwise; each file it wrote is stamped into `stamps` for the next build's cache.
/// Returns the cable with its telegram when it was read again, or when `need_text` (the search
/// index analyses its chunk), and whether the page was linked.
#[allow(clippy::too_many_arguments)]
fn write_or_link<'a>(
    site: &'a Site,
    out: &Output,
    index: usize,
    fingerprint: Option<(&cache::BuildCache, u64)>,
    need_text: bool,
    problems: &Mutex<Vec<Problem>>,
    stamps: &Mutex<Vec<(String, cache::Stamp)>>,
) -> Result<
    (
        Option<std::borrow::Cow<'a, archive_cable::model::Cable>>,
        bool,
    ),
    BuildError,
> {
    let files = (fingerprint.is_some() || out.is_replacing()).then(|| cable_files(site, index));
    if let (Some((cache, fp)), Some(files)) = (fingerprint, &files) {
        let paths: Vec<&str> = files.iter().map(String::as_str).collect();
        if let Some(linked) = cache.link(out, &paths, fp)? {
            let mut stamps = stamps.lock().unwrap_or_else(|e| e.into_inner());
            stamps.extend(files.iter().cloned().zip(linked));
            let full = match need_text {
                true => Some(site.corpus.full(index).map_err(BuildError::Reread)?),
                false => None,
            };
            return Ok((full, true));
        }
    }
    if out.is_replacing() {
        // What the spare generation had for this page goes, even a file this build may not
        // write (a raw text that can no longer be read).
        for file in files.iter().flatten() {
            out.remove_if_present(file)?;
        }
    }
    let full = site.corpus.full(index).map_err(BuildError::Reread)?;
    write_cable(site, out, index, &full, problems)?;
    if let (Some((_, fp)), Some(files)) = (fingerprint, files) {
        let mut written = Vec::with_capacity(files.len());
        for file in files {
            let path = out.path(&file)?;
            // A raw text that could not be read was not written (and was reported): the page
            // is not stamped, so the next build renders it again and reports it again.
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                return Ok((Some(full), false));
            };
            written.push((
                file,
                cache::Stamp {
                    fingerprint: fp,
                    file: cache::FileId::of(&meta),
                },
            ));
        }
        stamps
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(written);
    }
    Ok((Some(full), false))
}

/// Renders and writes the page of the cable at `index` (`cable`: it with its telegram), and
/// its raw text when `raw_text` is on.
fn write_cable(
    site: &Site,
    out: &Output,
    index: usize,
    cable: &archive_cable::model::Cable,
    problems: &Mutex<Vec<Problem>>,
) -> Result<(), BuildError> {
    let linked = &site.corpus.cables[index];
    let mut raw = None;
    if site.config.raw_text && is_single_text_source(&linked.cable.source) {
        let txt_path = format!("{}.txt", linked.page.trim_end_matches(".html"));
        match std::fs::read(&linked.cable.source) {
            Ok(bytes) => {
                out.write(&txt_path, &bytes)?;
                raw = txt_path.rsplit('/').next().map(String::from);
            }
            Err(e) => problems.lock().unwrap().push(Problem::warning(
                linked.cable.source.clone(),
                None,
                format!("raw text not written: cannot read: {e}"),
            )),
        }
    }
    let html = cable_page::render_full(site, index, cable, raw)?;
    out.write(&linked.page, html.as_bytes())?;
    Ok(())
}

/// Whether a cable's source file is the cable's own text, so it can be published as its raw
/// text. A `cables.csv` dump holds a quarter of a million cables, a cablegate page is HTML and a
/// JSON file holds records: copying any of them beside each page would be wrong (and, for the
/// dump, gigabytes per cable).
pub(crate) fn is_single_text_source(source: &std::path::Path) -> bool {
    let extension = source
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    !matches!(
        extension.as_deref(),
        Some("csv" | "html" | "htm" | "json" | "jsonl" | "ndjson")
    )
}

/// Static assets, Markdown pages, 404, the search page, `.nojekyll`, feeds and robots.
fn write_static(site: &Site, out: &Output) -> Result<(), BuildError> {
    for (name, bytes) in &site.theme.assets {
        out.write_creating(&format!("assets/{name}"), bytes)?;
    }
    let mut other_pages = vec!["index.html".to_string()];
    for grouping in site.groups.all() {
        if grouping.kind != groups::ListingKind::Addressee || site.config.addressee_pages {
            other_pages.push(grouping.kind.index_page().to_string());
        }
    }
    // Kinds that share an index page (months and years, signers and classifiers) are adjacent.
    other_pages.dedup();
    other_pages.extend(["timeline.html", "people-az.html"].map(String::from));
    if site.config.addressee_pages {
        other_pages.push("to-az.html".to_string());
    }
    other_pages.extend(graph::page_paths(site));
    for page in &site.pages {
        let mut context = site.base_context.clone();
        context.insert("root", "../");
        context.insert("title", &page.title);
        context.insert("content", &page.html);
        let html = templates::render(&site.theme, "page.html", &context)?;
        out.write_creating(&page.path, html.as_bytes())?;
        other_pages.push(page.path.clone());
    }

    // GitHub Pages serves 404.html at any depth, so relative links cannot work there; with a
    // base_url its links are absolute, without one they work at the site root.
    let mut context = site.base_context.clone();
    let root = match &site.config.base_url {
        Some(b) if b.ends_with('/') => b.clone(),
        Some(b) => format!("{b}/"),
        None => String::new(),
    };
    // Templates write `root` unescaped (`{{ root | safe }}`): elsewhere it is made of `../`, here
    // it comes from site.toml, so it is escaped for the attributes it goes into.
    context.insert("root", &escape::escape(&root));
    let html = templates::render(&site.theme, "404.html", &context)?;
    out.write("404.html", html.as_bytes())?;

    if site.config.search.enabled {
        let mut context = site.base_context.clone();
        context.insert("root", "");
        let html = if site.theme.has_template("search.html") {
            templates::render(&site.theme, "search.html", &context)?
        } else {
            context.insert("title", "Search");
            context.insert(
                "content",
                "<h1>Search</h1><p>Search is not part of this build of the archive yet. Browse by <a href=\"months.html\">date</a>, <a href=\"tags.html\">tag</a> or <a href=\"origins.html\">origin</a> instead.</p>",
            );
            templates::render(&site.theme, "page.html", &context)?
        };
        out.write("search.html", html.as_bytes())?;
    }

    // GitHub Pages would otherwise run Jekyll, which skips files and folders starting with `_`.
    out.write(".nojekyll", b"")?;
    feeds::write(site, out, &other_pages)
}

#[cfg(test)]
mod host_limit_tests {
    use super::host_limit_warnings;

    #[test]
    fn warns_past_each_limit() {
        assert!(host_limit_warnings(19_999, 999_000_000).is_empty());
        let w = host_limit_warnings(20_001, 1_200_000_000);
        assert_eq!(w.len(), 2);
        assert!(w[0].contains("1.20 GB") && w[0].contains("GitHub Pages"));
        assert!(w[1].contains("20000-file"));
        assert!(host_limit_warnings(150_000, 1)[0].contains("100000-file"));
    }
}

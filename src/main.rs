//! The `archive` command line: parses arguments, calls the library, prints what happened.
//! No logic of its own beyond choosing exit codes and wording messages.

use archive::cable::Severity;
use archive::config::Config;
use archive::corpus::{self, Corpus};
use archive::export;
use archive::site::{self, BuildOptions};
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// jemalloc instead of the system allocator: a build makes tens of millions of small
/// allocations from every thread (block texts, rendered pages, search scratch). At 100,000
/// cables on tmpfs it took the build from 49.2 to 45.1 CPU-seconds and `check` from 8.8 to
/// 6.8, with the same peak memory (BENCHMARKS.md). mimalloc was tried too: less user time,
/// but more system time and 360 MB more memory.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read before `main` (the `_rjem_` prefix is tikv-jemalloc-sys's; the
/// environment's `_RJEM_MALLOC_CONF` still overrides them). By default jemalloc keeps eight
/// arenas here (four a core) and holds freed pages ten seconds before giving them back, so a
/// build's resident memory was its live heap plus every arena's recent garbage: the telegrams
/// read again and the search chunks of the last seconds. Two arenas and two seconds, measured
/// back to back at 251,287 generated cables: peak 1,284 -> 967 MB for about the same CPU
/// (one arena and no delay: 926 MB, but about a fifth more CPU in purging) (BENCHMARKS.md).
#[allow(non_upper_case_globals)]
#[export_name = "_rjem_malloc_conf"]
pub static malloc_conf: &[u8; 47] = b"narenas:2,dirty_decay_ms:2000,muzzy_decay_ms:0\0";

/// Turn a folder of diplomatic cables into a static website to browse, cite and search.
///
/// The site opens straight from a folder or a USB stick (no server) and can be published on
/// GitHub Pages or any static host.
#[derive(Parser, Debug)]
#[command(name = "archive", version, about, long_about)]
struct Cli {
    /// Print nothing but errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more: the time of each build phase.
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

/// Where a site is: its settings and the folders that override them (`build` and `serve`).
#[derive(clap::Args, Debug)]
struct SiteArgs {
    /// The site's configuration file.
    #[arg(long, default_value = "site.toml")]
    config: PathBuf,
    /// Content folder (with cables/ and pages/), instead of the one in site.toml.
    #[arg(long)]
    content: Option<PathBuf>,
    /// Output folder, instead of the one in site.toml.
    #[arg(long)]
    output: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the site from site.toml and content/ into public/ (or the configured folder).
    ///
    /// Bad cables are reported and left out; the build goes on with the others. The previous
    /// output stays in place until the new one is complete.
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Absolute address where the site will be published (for the sitemap and feed only).
        #[arg(long)]
        base_url: Option<String>,
        /// Exit with status 1 when any problem (even a warning) was reported.
        #[arg(long)]
        strict: bool,
        /// Open the built site's home page in the default browser (prints its address when no
        /// browser can be started).
        #[arg(long)]
        open: bool,
        /// Build every page and the whole search index from scratch, without reading or
        /// writing the build cache (`.<output>.cache/` beside the output, which makes a
        /// rebuild after a few changes redo only those; the output is the same either way).
        /// Delete that folder to free its space.
        #[arg(long)]
        no_cache: bool,
    },
    /// Start a new archive folder: site.toml, content/cables/ with one example cable,
    /// content/pages/, a README and a GitHub Pages workflow, ready for `archive build`.
    New {
        /// The folder to create; it must not exist or must be empty.
        dir: PathBuf,
        /// Git URL of the archive tool's source, written into the GitHub Pages workflow, which
        /// installs the tool from it (`cargo install --git URL archive`). Without it, the
        /// workflow reads the repository variable ARCHIVE_TOOL_REPO, and says so when it is unset.
        #[arg(long, value_name = "URL")]
        tool_repo: Option<String>,
    },
    /// Build, serve the site on 127.0.0.1, and rebuild what changed while you edit.
    ///
    /// Watches content/, templates/, assets/, tags.toml and site.toml. When only cables change,
    /// only the pages that show them are written again; open pages reload by themselves.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Port on 127.0.0.1 (0 picks a free one).
        #[arg(long, default_value_t = 8000)]
        port: u16,
    },
    /// Print every cable's facts as JSON Lines (or CSV) on standard output.
    ///
    /// Fields: id, created, classification, origin, subject, tags, references, referenced_by,
    /// signer, source, page, created_precision, to, info, classified_by. Files that are not
    /// cables are reported on standard error.
    Export {
        /// Content folder: a folder with cables/ in it, or a folder of cables.
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
        format: ExportFormat,
    },
    /// Read and link every cable, and report every problem with its file and line.
    ///
    /// Exit status 1 when any file could not be read as a cable.
    Check {
        /// Content folder: a folder with cables/ in it, or a folder of cables.
        #[arg(long, default_value = "content")]
        content: PathBuf,
    },
}

/// `archive export --format`: the command line's names for [`export::Format`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ExportFormat {
    /// One JSON object per line.
    Jsonl,
    /// A header row, then one row per cable; lists joined with `; `.
    Csv,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let options = BuildOptions {
        quiet: cli.quiet,
        verbose: cli.verbose,
        cache: false,
    };
    match cli.command {
        Command::Export { content, format } => export_command(&content, format, cli.quiet),
        Command::Serve { site, port } => serve_command(site, port, options),
        Command::New { dir, tool_repo } => match archive::new::create(&dir, tool_repo.as_deref()) {
            Ok(files) => {
                if !cli.quiet {
                    for file in &files {
                        println!("created {}", file.display());
                    }
                    println!(
                        "\nnext: cd {} && archive build --open   (put your cables in content/cables/)",
                        dir.display()
                    );
                    if tool_repo.is_none() {
                        println!(
                            "GitHub Pages: the workflow installs the archive tool from the repository \
                             variable ARCHIVE_TOOL_REPO (a git URL of its source): set it in the \
                             repository's Settings, or run `archive new` with --tool-repo URL"
                        );
                    }
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Check { content } => check_command(&content, cli.quiet, cli.verbose),
        Command::Build {
            site,
            base_url,
            strict,
            open,
            no_cache,
        } => {
            let options = BuildOptions {
                cache: !no_cache,
                ..options
            };
            let status = build_command(site, base_url, strict, options);
            if let (true, Some(built)) = (open, &status) {
                open_in_browser(built);
            }
            match status {
                Some(built) if !(strict && built.problems > 0) => ExitCode::SUCCESS,
                _ => ExitCode::FAILURE,
            }
        }
    }
}

/// The corpus of a content folder, read with the gazetteer of its site: the built-in one, and a
/// `stations.toml` in the folder above `content` (the site folder) when there is one.
fn read_corpus(
    content: &Path,
) -> Result<(Corpus, std::sync::Arc<archive::gazetteer::Gazetteer>), ExitCode> {
    let site_dir = content
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let config = Config {
        site_dir: site_dir.to_path_buf(),
        ..Config::default()
    };
    match config.gazetteer() {
        Ok(gazetteer) => {
            // Lean: `check` and `export` need every cable's facts, never its telegram, so
            // memory stays that of the facts (a few hundred bytes a cable).
            let gazetteer = std::sync::Arc::new(gazetteer);
            let loaded = corpus::load_lean(
                &corpus::cables_dir(content),
                archive::progress::Mode::Silent,
                gazetteer.clone(),
            );
            Ok((corpus::link(loaded), gazetteer))
        }
        Err(e) => {
            eprintln!("error: {e}");
            Err(ExitCode::FAILURE)
        }
    }
}

fn export_command(content: &Path, format: ExportFormat, quiet: bool) -> ExitCode {
    let format = match format {
        ExportFormat::Jsonl => export::Format::Jsonl,
        ExportFormat::Csv => export::Format::Csv,
    };
    let (corpus, _) = match read_corpus(content) {
        Ok(read) => read,
        Err(code) => return code,
    };
    print_problems(&corpus, quiet);
    if corpus.cables.is_empty() {
        eprintln!(
            "error: no cable could be read from {} ({} files looked at)",
            corpus::cables_dir(content).display(),
            corpus.files_read
        );
        return ExitCode::FAILURE;
    }
    let stdout = std::io::stdout().lock();
    match export::write(&corpus, format, stdout) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`archive export | head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: writing the export: {e}");
            ExitCode::FAILURE
        }
    }
}

fn check_command(content: &Path, quiet: bool, verbose: bool) -> ExitCode {
    let (corpus, gazetteer) = match read_corpus(content) {
        Ok(read) => read,
        Err(code) => return code,
    };
    print_problems(&corpus, false);
    if !quiet {
        print_sources(&corpus, verbose);
    }
    let (resolved, unresolved) = corpus.reference_counts();
    let errors = corpus.error_count();
    let warnings = corpus.problems.len() - errors;
    if !quiet {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(
            out,
            "{} files, {} cables read, {} not cables, {} warnings; references: {} resolved, {} not in the archive",
            corpus.files_read,
            corpus.cables.len(),
            errors,
            warnings,
            resolved,
            unresolved
        );
        // What the owner can mend: stations to add to stations.toml, cables without a date.
        let unknown = corpus.unknown_stations(&gazetteer);
        if !unknown.is_empty() {
            let total: usize = unknown.iter().map(|(_, n)| n).sum();
            let _ = writeln!(
                out,
                "{} station{} not in the gazetteer ({total} identifiers; add them to stations.toml beside site.toml):",
                unknown.len(),
                if unknown.len() == 1 { "" } else { "s" }
            );
            for (station, count) in &unknown {
                let _ = writeln!(out, "  {station}: {count}");
            }
        }
        let undated: Vec<_> = corpus.year_only().collect();
        if !undated.is_empty() {
            let _ = writeln!(
                out,
                "{} cable{} with no date in the text, dated by the year of the identifier only:",
                undated.len(),
                if undated.len() == 1 { "" } else { "s" }
            );
            for linked in undated {
                let _ = writeln!(
                    out,
                    "  {} ({})",
                    linked.cable.id,
                    linked.cable.source.display()
                );
            }
        }
    }
    if errors > 0 || corpus.files_read == 0 {
        if corpus.files_read == 0 {
            eprintln!(
                "error: no files in {}",
                corpus::cables_dir(content).display()
            );
        }
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// What the files were read as: a count per kind, and with `verbose` a line per file.
fn print_sources(corpus: &Corpus, verbose: bool) {
    let mut out = std::io::stdout().lock();
    let mut per_kind: std::collections::BTreeMap<_, (usize, usize)> = Default::default();
    for source in &corpus.sources {
        if verbose {
            let _ = writeln!(
                out,
                "{}: read as {}, {} cables",
                source.path.display(),
                source.kind.describe(),
                source.cables
            );
        }
        let entry = per_kind.entry(source.kind).or_default();
        entry.0 += 1;
        entry.1 += source.cables;
    }
    for (kind, (files, cables)) in per_kind {
        let _ = writeln!(
            out,
            "{files} files read as {}: {cables} cables",
            kind.describe()
        );
    }
}

/// Problems go to standard error, one per line, `path:line: severity: message`. With `quiet`,
/// only errors.
fn print_problems(corpus: &Corpus, quiet: bool) {
    let mut err = std::io::stderr().lock();
    for problem in &corpus.problems {
        if quiet && problem.severity == Severity::Warning {
            continue;
        }
        let _ = writeln!(err, "{problem}");
    }
}

/// What `build_command` tells `main` about a build that succeeded.
struct Built {
    output: PathBuf,
    problems: usize,
}

/// Opens `index.html` of the built site with the platform's opener; prints its address either way
/// so that a headless machine still tells the user where to look.
fn open_in_browser(built: &Built) {
    let index = built.output.join("index.html");
    let index = std::fs::canonicalize(&index).unwrap_or(index);
    eprintln!("open file://{}", index.display());
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener)
        .arg(&index)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_err()
    {
        eprintln!("({opener} is not available: open the address above in a browser)");
    }
}

fn serve_command(site: SiteArgs, port: u16, options: BuildOptions) -> ExitCode {
    let Some(config) = load_config(site, None) else {
        return ExitCode::FAILURE;
    };
    let result = archive::serve::run(config, options, port, |address| {
        eprintln!("serving on http://{address}/ (Ctrl-C to stop); watching for changes");
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `site.toml` (or the defaults when there is none in this folder), with the command line's
/// overrides. Prints the error and returns `None` when the file cannot be used.
fn load_config(site: SiteArgs, base_url: Option<String>) -> Option<Config> {
    let SiteArgs {
        config: config_path,
        content,
        output,
    } = site;
    let config_path = config_path.as_path();
    let mut config = if config_path.exists() || config_path != Path::new("site.toml") {
        match Config::load(config_path) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: {e}");
                return None;
            }
        }
    } else {
        // No site.toml in this folder: the defaults (content/ → public/) still make a site.
        Config::default()
    };
    if let Some(content) = content {
        config.content_dir = content;
    }
    if let Some(output) = output {
        config.output_dir = output;
    }
    if base_url.is_some() {
        config.base_url = base_url;
    }
    Some(config)
}

fn build_command(
    site: SiteArgs,
    base_url: Option<String>,
    strict: bool,
    options: BuildOptions,
) -> Option<Built> {
    let config = load_config(site, base_url)?;
    // Loaded here rather than by `site::Build::load` so that the problems of the input can still be
    // printed when the build as a whole fails (a folder of files that are all broken, a full
    // disk): the user needs them most then.
    let started = std::time::Instant::now();
    let gazetteer = match config.gazetteer() {
        Ok(g) => g,
        Err(e) => {
            eprintln!("error: {e}");
            return None;
        }
    };
    let cables = corpus::cables_dir(&config.content_dir);
    let mode = archive::progress::Mode::detect(options.quiet);
    let gazetteer = std::sync::Arc::new(gazetteer);
    // With the build cache, the files unchanged since the previous build are not parsed again.
    let cache = match options.cache {
        true => match site::cache::BuildCache::open(&config) {
            Ok(cache) => Some(cache),
            Err(e) => {
                eprintln!("error: {e}");
                return None;
            }
        },
        false => None,
    };
    let loaded = match &cache {
        Some(cache) => {
            let (mut loaded, not_saved) = cache.load(&cables, mode, gazetteer);
            loaded.problems.extend(not_saved);
            loaded
        }
        None => corpus::load_lean(&cables, mode, gazetteer),
    };
    let load_problems = loaded.problems.clone();
    let (files_reused, files_read) = (loaded.files_reused, loaded.files_read);
    let built =
        site::Build::from_loaded(loaded, started.elapsed(), config.clone()).and_then(|build| {
            let report = build.write_cached(&options, cache);
            // The process ends once the report is printed, and the system takes its memory
            // back at once: dropping the corpus piece by piece took 0.2 s on one core at
            // 251,287 cables (a profile of a rebuild), after the site was in place.
            std::mem::forget(build);
            report
        });
    match built {
        Ok(report) => {
            let mut err = std::io::stderr().lock();
            for problem in &report.problems {
                if !(options.quiet && problem.severity == Severity::Warning) {
                    let _ = writeln!(err, "{problem}");
                }
            }
            if options.verbose {
                for (phase, time) in &report.phases {
                    let _ = writeln!(err, "phase {phase}: {:.3} s", time.as_secs_f64());
                }
            }
            if !options.quiet {
                let _ = writeln!(
                    err,
                    "built {} cables into {}: {} files, {:.1} MB; {} problems",
                    report.cables,
                    config.output_dir.display(),
                    report.files,
                    report.bytes as f64 / 1e6,
                    report.problems.len()
                );
                if report.pages_reused > 0 || report.chunks_reused > 0 || files_reused > 0 {
                    let _ = writeln!(
                        err,
                        "reused from the build cache: {} of {} files parsed, {} of {} cable pages, {} of {} search chunks ({} more put together from earlier runs; {} cables analysed){}",
                        files_reused,
                        files_read,
                        report.pages_reused,
                        report.cables,
                        report.chunks_reused,
                        report.chunks,
                        report.chunks_composed,
                        report.cables_analysed,
                        match report.index_reused {
                            true => "; the search index as it was, not merged again",
                            false => "",
                        }
                    );
                }
                for warning in site::host_limit_warnings(report.files, report.bytes) {
                    let _ = writeln!(err, "warning: {warning}");
                }
            }
            if strict && !report.problems.is_empty() {
                let _ = writeln!(
                    err,
                    "error: --strict: {} problems reported",
                    report.problems.len()
                );
            }
            Some(Built {
                output: config.output_dir,
                problems: report.problems.len(),
            })
        }
        Err(e) => {
            let mut err = std::io::stderr().lock();
            for problem in &load_problems {
                if !(options.quiet && problem.severity == Severity::Warning) {
                    let _ = writeln!(err, "{problem}");
                }
            }
            let _ = writeln!(err, "error: {e}");
            None
        }
    }
}

//! The build benchmark: generates corpora of realistic cables, builds each with the release
//! binary, and prints what a user with that archive would wait for and get.
//!
//! ```text
//! cargo run --release --example bench                      # 10,000, 100,000, 251,287, Hugo at 20,000
//! cargo run --release --example bench -- 10000 20000       # chosen sizes
//! cargo run --release --example bench -- --dir /tmp/b 10000
//! cargo run --release --example bench -- --million               # and 1,000,000
//! cargo run --release --example bench -- --hugo 20000            # archive ÷ Hugo, one size
//! ```
//!
//! For each size it prints wall and CPU seconds, cables per second, peak resident memory, input
//! and output bytes, the output's file count, the search index's bytes and files, and the time of
//! each build phase as `archive build --verbose` reports it. Corpora are kept in `--dir`
//! (default `bench-out/`) and reused when already generated with the same size and seed.
//!
//! `--hugo N` times Debian's `hugo` against `archive build` on the same N generated cables, back
//! to back, as `../shared/peers/README.md` describes: Hugo gets each cable as ready Markdown
//! (front matter with title, date, tags and classification, the text as paragraphs) in a copy
//! of the skeleton `../shared/peers/hugo`, so it is spared the parsing. It prints both wall
//! times and peak memories and the ratio of cables per second (archive ÷ Hugo). It fails when
//! `hugo` or the skeleton is missing.
//!
//! Built sites are deleted only after the last build (unless `--keep-sites`), and a site left by
//! an earlier run is moved aside and deleted at the end too: on ext4 without a journal (this
//! project's build machine) the inode allocator skips inodes freed in the last minute or more,
//! so a build right after deleting 100,000 files ran up to several times slower than the same
//! build on a quiet disk. That cost belongs to the benchmark's cleanup, not to the build.

use archive_dev::generate::{generate, GenConfig};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const SEED: u64 = 20101128;

struct Args {
    dir: PathBuf,
    sizes: Vec<usize>,
    keep_sites: bool,
    /// Cables of the side-by-side run with Hugo, when asked.
    hugo: Option<usize>,
    /// Also time rebuilds with the build cache (one cable edited, 100 added).
    rebuild: bool,
}

fn parse_args() -> Args {
    let mut dir = PathBuf::from("bench-out");
    let mut sizes = Vec::new();
    let mut keep_sites = false;
    let mut hugo = None;
    let mut million = false;
    let mut rebuild = false;
    let mut args = std::env::args().skip(1);
    let size = |n: &str| -> usize {
        n.replace([',', '_'], "").parse().unwrap_or_else(|_| {
            eprintln!("not a size: {n}");
            std::process::exit(2)
        })
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--dir" => dir = PathBuf::from(args.next().expect("--dir takes a folder")),
            "--keep-sites" => keep_sites = true,
            "--million" => million = true,
            "--rebuild" => rebuild = true,
            "--hugo" => hugo = Some(size(&args.next().expect("--hugo takes a number of cables"))),
            "-h" | "--help" => {
                println!("usage: bench [--dir DIR] [--keep-sites] [--million] [--rebuild] [--hugo N] [SIZE …]\n  (no sizes: 10000 100000 251287, --rebuild and --hugo 20000; --million adds 1000000; --rebuild times, after each full build, a cold build with the build cache and rebuilds after one cable is edited and after 100 are added; --hugo N alone runs only the Hugo comparison)");
                std::process::exit(0);
            }
            n => sizes.push(size(n)),
        }
    }
    if sizes.is_empty() && hugo.is_none() {
        // The full run: issue 15's sizes and the Hugo ratio at 20,000.
        sizes = vec![10_000, 100_000, 251_287];
        hugo = Some(20_000);
        rebuild = true;
    }
    if million {
        sizes.push(1_000_000);
    }
    Args {
        dir,
        sizes,
        keep_sites,
        hugo,
        rebuild,
    }
}

/// Resource use of one finished child process, from `wait4`.
struct Usage {
    wall: f64,
    cpu: f64,
    max_rss_bytes: u64,
    success: bool,
    stderr: String,
}

// The child is reaped by `wait4` below (std's `wait` cannot report its resource use).
#[allow(clippy::zombie_processes)]
fn run_measured(cmd: &mut Command) -> Usage {
    let start = Instant::now();
    let stderr_file = tempfile::NamedTempFile::new().expect("temp file");
    let child = cmd
        .stdout(Stdio::null())
        .stderr(stderr_file.reopen().expect("reopen"))
        .spawn()
        .expect("start archive");
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain old data, zero is a valid value; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    // SAFETY: waiting on our own child's pid with valid pointers to locals.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4 failed");
    let wall = start.elapsed().as_secs_f64();
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Usage {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        // Linux reports ru_maxrss in kilobytes.
        max_rss_bytes: usage.ru_maxrss as u64 * 1024,
        success: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        stderr: std::fs::read_to_string(stderr_file.path()).unwrap_or_default(),
    }
}

/// Bytes and files under a folder.
fn tree_size(dir: &Path) -> (u64, usize) {
    let mut bytes = 0;
    let mut files = 0;
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if entry.file_type().is_file() {
            files += 1;
            bytes += entry.metadata().map(|m| m.len()).unwrap_or(0);
        }
    }
    (bytes, files)
}

fn ensure_corpus(dir: &Path, count: usize) -> u64 {
    let corpus = dir.join(format!("corpus-{count}"));
    let stamp = corpus.join(".generated");
    let want = format!("count={count} seed={SEED}\n");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(want.as_str()) {
        return tree_size(&corpus).0;
    }
    let _ = std::fs::remove_dir_all(&corpus);
    std::fs::create_dir_all(&corpus).expect("create corpus folder");
    let start = Instant::now();
    let config = GenConfig {
        count,
        seed: SEED,
        ..GenConfig::default()
    };
    let manifest = generate(&config, &corpus).expect("generate corpus");
    std::fs::write(&stamp, want).expect("write stamp");
    eprintln!(
        "generated {count} cables ({:.0} MB) in {:.1} s",
        manifest.total_bytes as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );
    manifest.total_bytes
}

fn release_binary() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let status = Command::new(cargo)
        .args(["build", "--release", "--quiet", "--bin", "archive"])
        .status()
        .expect("run cargo build");
    assert!(status.success(), "cargo build --release failed");
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".to_string());
    let binary = Path::new(&target).join("release/archive");
    std::fs::canonicalize(&binary).unwrap_or(binary)
}

fn main() {
    let args = parse_args();
    std::fs::create_dir_all(&args.dir).expect("create bench folder");
    if args.hugo.is_some() {
        // Before hours of building, not after: the comparison needs Debian's hugo.
        require_hugo();
    }
    let binary = release_binary();
    println!(
        "machine: {} cores, {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|m| m.lines().next().map(|l| l
                .split_whitespace()
                .skip(1)
                .collect::<Vec<_>>()
                .join(" ")))
            .unwrap_or_default()
    );
    let trash = args.dir.join(format!("old-sites-{}", std::process::id()));
    let mut built = Vec::new();
    for &count in &args.sizes {
        let input_bytes = ensure_corpus(&args.dir, count);
        let site = args.dir.join(format!("site-{count}"));
        if site.exists() {
            std::fs::create_dir_all(&trash).expect("create a folder for old sites");
            std::fs::rename(&site, trash.join(format!("site-{count}")))
                .expect("move an old site aside");
        }
        // Run in the bench folder, which has no site.toml: the defaults are what is measured.
        let usage = run_measured(
            Command::new(&binary)
                .current_dir(&args.dir)
                .arg("--verbose")
                .arg("build")
                .arg("--no-cache")
                .arg("--content")
                .arg(format!("corpus-{count}"))
                .arg("--output")
                .arg(format!("site-{count}")),
        );
        if !usage.success {
            eprintln!("build of {count} cables failed:\n{}", usage.stderr);
            std::process::exit(1);
        }
        let (out_bytes, out_files) = tree_size(&site);
        let (search_bytes, search_files) = tree_size(&site.join("search"));
        println!(
            "\n== {count} cables, {:.0} MB of text ==",
            input_bytes as f64 / 1e6
        );
        println!("wall            {:8.2} s", usage.wall);
        println!("cpu             {:8.2} s", usage.cpu);
        println!("cables/s        {:8.0}", count as f64 / usage.wall);
        println!(
            "peak memory     {:8.0} MB",
            usage.max_rss_bytes as f64 / 1e6
        );
        println!(
            "output          {:8.0} MB in {out_files} files ({:.2} × input; {:.2} × input without search)",
            out_bytes as f64 / 1e6,
            out_bytes as f64 / input_bytes as f64,
            (out_bytes - search_bytes) as f64 / input_bytes as f64
        );
        println!(
            "search index    {:8.0} MB in {search_files} files ({:.0} % of input)",
            search_bytes as f64 / 1e6,
            100.0 * search_bytes as f64 / input_bytes as f64
        );
        for line in usage.stderr.lines() {
            if let Some(rest) = line.strip_prefix("phase ") {
                println!("  phase {rest}");
            }
        }
        built.push(site);
        if args.rebuild {
            rebuilds(&args.dir, &binary, count);
        }
    }
    if let Some(count) = args.hugo {
        side_by_side_with_hugo(&args.dir, &binary, count);
    }
    let _ = std::fs::remove_dir_all(&trash);
    if !args.keep_sites {
        for site in built {
            let _ = std::fs::remove_dir_all(&site);
        }
    }
}

/// Builds with the build cache (`archive build` as a user runs it) into `site-N-cached`: cold,
/// then after one cable of the corpus is edited, then after 100 generated cables are added
/// (`corpus-N/added-100/`); prints each build's figures and what it reused. The corpus is put
/// back as it was, and the cached site and its cache removed.
fn rebuilds(dir: &Path, binary: &Path, count: usize) {
    let corpus = dir.join(format!("corpus-{count}"));
    let out = format!("site-{count}-cached");
    let cache = dir.join(format!(".{out}.cache"));
    let _ = std::fs::remove_dir_all(dir.join(&out));
    let _ = std::fs::remove_dir_all(&cache);
    let build = |what: &str| {
        let usage = run_measured(
            Command::new(binary)
                .current_dir(dir)
                .args(["build", "--content"])
                .arg(format!("corpus-{count}"))
                .arg("--output")
                .arg(&out),
        );
        if !usage.success {
            eprintln!("cached build of {count} cables failed:\n{}", usage.stderr);
            std::process::exit(1);
        }
        let reused = usage
            .stderr
            .lines()
            .find_map(|l| l.strip_prefix("reused from the build cache: "))
            .unwrap_or("nothing reused");
        println!(
            "{what:<28} {:7.2} s wall, {:7.2} s cpu, {:6.0} MB peak ({reused})",
            usage.wall,
            usage.cpu,
            usage.max_rss_bytes as f64 / 1e6
        );
    };
    println!("-- with the build cache, {count} cables --");
    build("cold (no cache yet)");
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&corpus)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.file_name() != ".generated")
        .map(|e| e.into_path())
        .collect();
    files.sort();
    let edited = &files[files.len() / 2];
    let original = std::fs::read(edited).expect("read a cable");
    let mut text = original.clone();
    let at = text.len() / 2;
    let at = at + text[at..].iter().position(|&b| b == b' ').unwrap_or(0);
    text.splice(at..at, b" CORRECTED".iter().copied());
    std::fs::write(edited, &text).expect("edit a cable");
    build("rebuild, 1 cable edited");
    let added = corpus.join("added-100");
    let _ = std::fs::remove_dir_all(&added);
    generate(
        &GenConfig {
            count: 100,
            seed: SEED + 1,
            ..GenConfig::default()
        },
        &added,
    )
    .expect("generate 100 cables");
    build("rebuild, 100 cables added");
    std::fs::remove_dir_all(&added).expect("remove the added cables");
    std::fs::write(edited, &original).expect("put the edited cable back");
    let _ = std::fs::remove_dir_all(dir.join(&out));
    let _ = std::fs::remove_dir_all(&cache);
}

/// The skeleton of the Hugo site (`../shared/peers/hugo`, beside this checkout).
fn hugo_skeleton() -> PathBuf {
    archive_dev::repo().join("../shared/peers/hugo")
}

/// Writes the Hugo site of a corpus (once per size: reused when its stamp matches): the
/// skeleton, and `content/cables/<ID>.md` per cable, parsed by archive's own parser so that
/// both tools show the same facts.
fn ensure_hugo_site(dir: &Path, count: usize) -> PathBuf {
    let site = dir.join(format!("hugo-{count}"));
    let stamp = site.join(".written");
    let want = format!("count={count} seed={SEED}\n");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(want.as_str()) {
        return site;
    }
    let skeleton = hugo_skeleton();
    if !skeleton.join("hugo.toml").is_file() {
        eprintln!(
            "the Hugo skeleton is missing: {} (../shared/peers/hugo beside this checkout)",
            skeleton.display()
        );
        std::process::exit(1);
    }
    let _ = std::fs::remove_dir_all(&site);
    let copied = Command::new("cp")
        .arg("-r")
        .arg(&skeleton)
        .arg(&site)
        .status()
        .expect("run cp");
    assert!(copied.success(), "copy the Hugo skeleton");
    let cables = site.join("content/cables");
    std::fs::create_dir_all(&cables).expect("create the Hugo content folder");
    let corpus = archive::corpus::read(&dir.join(format!("corpus-{count}")));
    for linked in &corpus.cables {
        let cable = &linked.cable;
        let mut md = String::with_capacity(8192);
        md.push_str("---\ntitle: \"");
        md.push_str(&cable.subject.replace('\\', "\\\\").replace('"', "\\\""));
        md.push_str("\"\ndate: ");
        // Hugo wants a real date: a cable known only to its year or month gets the 1st.
        let t = &cable.created;
        md.push_str(&format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:00Z",
            t.year,
            t.month.max(1),
            t.day.max(1),
            t.hour,
            t.minute
        ));
        md.push_str("\ntags: [");
        let tags: Vec<String> = cable.tags.iter().map(|t| format!("\"{t}\"")).collect();
        md.push_str(&tags.join(", "));
        md.push_str("]\nclassification: \"");
        md.push_str(&cable.classification.to_string());
        md.push_str("\"\n---\n");
        for block in &cable.body {
            md.push_str(&block.text);
            md.push_str("\n\n");
        }
        std::fs::write(cables.join(format!("{}.md", cable.id)), md)
            .expect("write a Markdown cable");
    }
    std::fs::write(&stamp, want).expect("write stamp");
    site
}

/// Exits with a message naming the package when Debian's `hugo` cannot be run.
fn require_hugo() {
    if Command::new("hugo").arg("version").output().is_err() {
        eprintln!("hugo is not installed: apt-get install hugo (Debian's package)");
        std::process::exit(1);
    }
}

/// archive and Hugo on the same `count` cables, back to back, and the ratio of their speeds.
fn side_by_side_with_hugo(dir: &Path, binary: &Path, count: usize) {
    require_hugo();
    ensure_corpus(dir, count);
    let hugo_site = ensure_hugo_site(dir, count);
    let archive_out = dir.join(format!("site-{count}-vs-hugo"));
    let hugo_out = dir.join(format!("hugo-{count}-out"));
    let _ = std::fs::remove_dir_all(&archive_out);
    let _ = std::fs::remove_dir_all(&hugo_out);
    let archive = run_measured(
        Command::new(binary)
            .current_dir(dir)
            .args(["--quiet", "build", "--no-cache", "--content"])
            .arg(format!("corpus-{count}"))
            .arg("--output")
            .arg(&archive_out),
    );
    assert!(archive.success, "archive build failed:\n{}", archive.stderr);
    let hugo = run_measured(
        Command::new("hugo")
            .current_dir(&hugo_site)
            .args(["--quiet", "-d"])
            .arg(
                std::fs::canonicalize(dir)
                    .unwrap()
                    .join(format!("hugo-{count}-out")),
            ),
    );
    assert!(hugo.success, "hugo failed:\n{}", hugo.stderr);
    println!("\n== side by side with Hugo, {count} cables ==");
    println!(
        "archive         {:8.2} s wall, {:6.0} MB peak",
        archive.wall,
        archive.max_rss_bytes as f64 / 1e6
    );
    println!(
        "hugo            {:8.2} s wall, {:6.0} MB peak",
        hugo.wall,
        hugo.max_rss_bytes as f64 / 1e6
    );
    println!(
        "ratio           {:8.1} × (archive's cables per second ÷ Hugo's)",
        hugo.wall / archive.wall
    );
    let _ = std::fs::remove_dir_all(&archive_out);
    let _ = std::fs::remove_dir_all(&hugo_out);
}

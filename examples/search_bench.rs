//! Builds the search index for corpora of given sizes and prints its size figures.
//!
//! `cargo run --release --example search_bench -- 10000 100000 251287` builds a stand-in corpus
//! of each size (the seed cables plus synthetic ones, see `tests/support/synthetic.rs`), writes
//! the index under `bench-out/search-N/`, and prints time, files, bytes, and how the index size
//! compares with the text it indexes. With `--site DIR N` it instead writes a browsable test site
//! (search page, assets, a stub page per cable up to 30,000) of the seeds and N synthetic cables,
//! or of content folders (`--site DIR CONTENT...`), for the browser test; with `--index CONTENT SITE` it adds the index of a content folder to a
//! site built by `archive build`.

use archive_dev::synthetic;

use archive::config::SearchConfig;
use archive::corpus::Corpus;
use archive::search;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn text_bytes(corpus: &Corpus) -> u64 {
    corpus
        .cables
        .iter()
        .map(|c| {
            let c = &c.cable;
            (c.subject.len() + c.body.iter().map(|b| b.text.len() + 1).sum::<usize>()) as u64
        })
        .sum()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--index") {
        // Adds the search index to a site built by `archive build` (for as long as the site
        // builder's search phase does not call `search::build` itself).
        let corpus = archive::corpus::read(Path::new(&args[1]));
        let stats = search::build(&corpus, &SearchConfig::default(), Path::new(&args[2]))
            .expect("search index");
        println!(
            "search index of {} cables: {} files, {} bytes",
            corpus.cables.len(),
            stats.files,
            stats.bytes
        );
        return;
    }
    if args.first().map(String::as_str) == Some("--site") {
        let dir = PathBuf::from(&args[1]);
        let what = args.get(2).map_or("0", String::as_str);
        // A number: the seeds and that many synthetic cables; otherwise content folders, read
        // and linked together (for example the seeds and a generated corpus).
        let corpus = match what.parse::<usize>() {
            Ok(n) => synthetic::corpus(n),
            Err(_) => {
                let mut all = archive::corpus::Loaded::default();
                for dir in &args[2..] {
                    let loaded =
                        archive::corpus::load(&archive::corpus::cables_dir(Path::new(dir)));
                    all.cables.extend(loaded.cables);
                    all.files_read += loaded.files_read;
                }
                archive::corpus::link(all)
            }
        };
        site(&dir, &corpus);
        return;
    }
    let sizes: Vec<usize> = if args.is_empty() {
        vec![10_000]
    } else {
        args.iter().map(|a| a.parse().expect("sizes")).collect()
    };
    for n in sizes {
        let t = Instant::now();
        let corpus = synthetic::corpus(n.saturating_sub(5));
        let gen = t.elapsed();
        let text = text_bytes(&corpus);
        let out = PathBuf::from(format!("bench-out/search-{n}"));
        let t = Instant::now();
        let stats = search::build(&corpus, &SearchConfig::default(), &out).expect("build");
        let build = t.elapsed();
        println!(
            "{n} cables: text {:.1} MB (generated in {:.1} s); index built in {:.2} s: {}",
            text as f64 / 1e6,
            gen.as_secs_f64(),
            build.as_secs_f64(),
            describe(&stats, text, "of text")
        );
    }
}

/// The index's figures, its size as a share of `of` bytes (`what` names them).
fn describe(stats: &search::SearchStats, of: u64, what: &str) -> String {
    format!(
        "{} files, {:.1} MB = {:.1} % {what}; {} terms, {} postings; {} term shards, {} postings files, {} doc shards; meta.js {:.1} KB",
        stats.files,
        stats.bytes as f64 / 1e6,
        stats.bytes as f64 * 100.0 / of.max(1) as f64,
        stats.terms,
        stats.postings,
        stats.term_shards,
        stats.postings_files,
        stats.doc_shards,
        stats.meta_bytes as f64 / 1e3
    )
}

/// A minimal site around the search page (search page, assets, index, stub cable pages): the
/// browser test's large corpus is built this way, since a full `archive build` of 20,000 cables
/// would spend most of its time writing pages the test never opens.
fn site(dir: &Path, corpus: &Corpus) {
    if dir.exists() {
        std::fs::remove_dir_all(dir).unwrap();
    }
    std::fs::create_dir_all(dir.join("assets/vendor")).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let t = Instant::now();
    let stats = search::build(corpus, &SearchConfig::default(), dir).expect("build");
    let build = t.elapsed();
    let files: u64 = corpus
        .cables
        .iter()
        .filter_map(|c| std::fs::metadata(&c.cable.source).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "{} cables, {:.1} MB of cable files ({:.1} MB of text in subjects and bodies); index built in {:.2} s: {}",
        corpus.cables.len(),
        files as f64 / 1e6,
        text_bytes(corpus) as f64 / 1e6,
        build.as_secs_f64(),
        describe(&stats, files, "of the cable files")
    );
    for entry in std::fs::read_dir(root.join("assets")).unwrap().flatten() {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), dir.join("assets").join(entry.file_name())).unwrap();
        }
    }
    for entry in std::fs::read_dir(root.join("assets/vendor"))
        .unwrap()
        .flatten()
    {
        std::fs::copy(
            entry.path(),
            dir.join("assets/vendor").join(entry.file_name()),
        )
        .unwrap();
    }
    let mut tera = tera::Tera::default();
    let base = std::fs::read_to_string(root.join("templates/base.html")).unwrap();
    tera.add_raw_template("base.html", &base).unwrap();
    tera.add_raw_template(
        "search.html",
        &std::fs::read_to_string(root.join("templates/search.html")).unwrap(),
    )
    .unwrap();
    let mut ctx = tera::Context::new();
    ctx.insert("root", "");
    ctx.insert(
        "site",
        &serde_json::json!({"title": "Cable archive", "description": "Test site"}),
    );
    ctx.insert("search", &true);
    ctx.insert("pages", &Vec::<String>::new());
    std::fs::write(
        dir.join("search.html"),
        tera.render("search.html", &ctx).unwrap(),
    )
    .unwrap();
    // Stub pages let the test follow result links; for the large benchmark sites they would only
    // be hundreds of thousands of files nobody opens.
    let stubs = corpus.cables.len() <= 30_000;
    for linked in corpus.cables.iter().filter(|_| stubs) {
        let page = dir.join(&linked.page);
        std::fs::create_dir_all(page.parent().unwrap()).unwrap();
        std::fs::write(
            page,
            format!(
                "<!doctype html><meta charset=utf-8><title>{id}</title><h1 id=cable-id>{id}</h1>\n",
                id = linked.cable.id
            ),
        )
        .unwrap();
    }
    println!(
        "test site with {} cables in {}",
        corpus.cables.len(),
        dir.display()
    );
}

//! The input formats people have: cablegate HTML pages and the `cables.csv` dump, written the
//! way the real ones are (from the seeds), must give the same facts as the seed text itself.

use archive::cable::{Cable, Parsed};
use archive::corpus;
use archive::sources::{read_file, SourceKind};
use std::path::{Path, PathBuf};

fn seeds() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/cables");
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    seeds.sort();
    seeds
}

fn parse_seed(path: &Path) -> Cable {
    match archive::parse::parse(&std::fs::read(path).unwrap(), path) {
        Parsed::Cable { cable, .. } => *cable,
        Parsed::NotACable(p) => panic!("seed {} does not parse: {p:?}", path.display()),
    }
}

/// The telegram of a seed split where the cablegate pages split it: the routing header (up to
/// the classification line) and the rest.
fn telegram_parts(text: &str) -> (String, String) {
    let telegram = match text.find("how-to read a cable\n") {
        Some(i) => &text[i + "how-to read a cable\n".len()..],
        None => text,
    };
    let lines: Vec<&str> = telegram.lines().collect();
    let split = lines
        .iter()
        .position(|l| {
            let l = l.trim();
            l.starts_with("C O N F") || l.starts_with("S E C R E T") || l.starts_with("UNCLAS")
        })
        .unwrap_or(0);
    (lines[..split].join("\n"), lines[split..].join("\n"))
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// A page as the cablegate site served it: the `Viewing cable` heading, the metadata table with
/// links, tag links, and two `<code><pre>` blocks whose newlines are `&#x000A;` and whose
/// numbered paragraphs carry pilcrow anchors.
fn cablegate_page(cable: &Cable, text: &str) -> String {
    let (header, body) = telegram_parts(text);
    let pre = |t: &str| {
        let mut out = String::new();
        for (i, line) in t.lines().enumerate() {
            if i > 0 {
                out.push_str("&#x000A;");
            }
            let escaped = html_escape(line.trim_start_matches('¶'));
            match escaped.split_once(". (") {
                Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty() => {
                    out.push_str(&format!(
                        "<a style='color: white;' name='par{n}' href='#par{n}'>&#182;</a>{n}. ({rest}"
                    ));
                }
                _ => out.push_str(&escaped),
            }
        }
        out
    };
    let date = cable.created.display();
    let tags: String = cable
        .tags
        .iter()
        .map(|t| format!("<a href='/tag/{t}_0.html' title='{t}'>{t}</a>\n"))
        .collect();
    format!(
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\">\n<html><head><title>Cable reference id: #{id}</title></head>\n<body>\n<h3>Viewing cable {id}, {subject}</h3>\n<div class='paginator'></div>\n<table class='cable'>\n<tr><th>Reference ID</th><th>Created</th><th>Released</th><th>Classification</th><th>Origin</th></tr>\n<tr>\n<td><a href='/cable/{y}/{m:02}/{id}.html'>{id}</a></td>\n<td><a href='/date/{y}-{m:02}_0.html'>{date}</a></td>\n<td><a href='/reldate/2011-08-30_0.html'>2011-08-30 01:44</a></td>\n<td><a href='/classification/{c}_0.html'>{c}</a></td>\n<td><a href='/origin/38_0.html'>{o}</a></td>\n</tr>\n</table>\n<div id='tags'>{tags}</div>\n<code><pre>{h}</pre></code>\n<code><pre>{b}</pre></code>\n</body></html>\n",
        id = cable.id,
        subject = html_escape(&cable.subject),
        y = cable.created.year,
        m = cable.created.month,
        c = cable.classification.label(),
        o = html_escape(&cable.origin),
        h = pre(&header),
        b = pre(&body),
    )
}

fn assert_same_facts(a: &Cable, b: &Cable, what: &str) {
    assert_eq!(a.id, b.id, "{what}");
    assert_eq!(a.created, b.created, "{what}: {}", a.id);
    assert_eq!(a.classification, b.classification, "{what}: {}", a.id);
    assert_eq!(a.origin, b.origin, "{what}: {}", a.id);
    assert_eq!(a.subject, b.subject, "{what}: {}", a.id);
    assert_eq!(a.tags, b.tags, "{what}: {}", a.id);
    let ids = |c: &Cable| {
        c.references
            .iter()
            .map(|r| r.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(a), ids(b), "{what}: {}", a.id);
    assert_eq!(a.signer, b.signer, "{what}: {}", a.id);
    let paragraphs = |c: &Cable| {
        c.body
            .iter()
            .filter_map(|b| b.number.map(|n| (n, b.marking.clone())))
            .collect::<Vec<_>>()
    };
    assert_eq!(paragraphs(a), paragraphs(b), "{what}: {}", a.id);
}

#[test]
fn cablegate_html_pages_read_like_the_text() {
    let dir = tempfile::tempdir().unwrap();
    for seed in seeds() {
        let text = std::fs::read_to_string(&seed).unwrap();
        let expected = parse_seed(&seed);
        let page = dir.path().join(format!("{}.html", expected.id));
        std::fs::write(&page, cablegate_page(&expected, &text)).unwrap();
        let result = read_file(&page);
        assert_eq!(result.kind, SourceKind::WikileaksHtml);
        assert_eq!(
            result.cables.len(),
            1,
            "{}: {:?}",
            page.display(),
            result.problems
        );
        let got = &result.cables[0];
        assert_same_facts(got, &expected, "html");
        let all_text: String = got.body.iter().map(|b| &*b.text).collect();
        assert!(!all_text.contains("&#"), "entities are undone");
        assert!(!all_text.contains("<a"), "anchors are undone");
        assert!(!all_text.contains('¶'), "pilcrows are undone");
    }
}

/// A field of the dump: quoted, with `"` escaped as `\"` and `\` as `\\`.
fn dump_field(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn dump_row(n: usize, cable: &Cable, text: &str) -> String {
    let (header, body) = telegram_parts(text);
    let c = cable.created;
    let refs: Vec<&str> = cable
        .references
        .iter()
        .filter_map(|r| r.id.as_ref().map(|id| id.as_str()))
        .collect();
    [
        dump_field(&n.to_string()),
        dump_field(&format!(
            "{}/{}/{} {:02}:{:02}",
            c.month, c.day, c.year, c.hour, c.minute
        )),
        dump_field(cable.id.as_str()),
        dump_field(&cable.origin),
        dump_field(&cable.classification.label()),
        dump_field(&refs.join(",")),
        dump_field(&header),
        dump_field(&body),
    ]
    .join(",")
}

#[test]
fn cables_csv_dump_reads_like_the_text_and_reports_bad_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut dump = String::new();
    let mut expected = Vec::new();
    for (i, seed) in seeds().iter().enumerate() {
        let text = std::fs::read_to_string(seed).unwrap();
        let cable = parse_seed(seed);
        dump.push_str(&dump_row(i + 1, &cable, &text));
        dump.push('\n');
        expected.push(cable);
    }
    // A row over 64 KB whose body quotes and escapes: the seed 000 text, its paragraphs
    // repeated, with a quoted phrase and a backslash.
    let seed0 = std::fs::read_to_string(&seeds()[0]).unwrap();
    let mut long = parse_seed(&seeds()[0]);
    long.id = archive::cable::CableId("07PARIS9999".to_string());
    let (_, body) = telegram_parts(&seed0);
    let mut long_text = seed0.replace("PARIS 001115", "PARIS 009999");
    while long_text.len() < 70_000 {
        long_text.push_str("\n\n");
        long_text.push_str(&body.replace("SUBJECT:", "Subject line:"));
    }
    long_text.push_str("\n\nHe said \"no comment\" and C:\\path stays.\n");
    let long_row = dump_row(6, &long, &long_text);
    assert!(long_row.len() > 64 * 1024);
    dump.push_str(&long_row);
    dump.push('\n');
    // A broken row: too few fields. Rows span many lines (bodies keep their newlines), so the
    // problem must name the line where the row starts in the file, as an editor shows it.
    let broken_line = dump.matches('\n').count() as u32 + 1;
    dump.push_str("\"7\",\"01/01/2007 00:00\",\"07BROKEN1\"\n");
    let path = dir.path().join("cables.csv");
    std::fs::write(&path, &dump).unwrap();

    let result = read_file(&path);
    assert_eq!(result.kind, SourceKind::CablesCsv);
    assert_eq!(result.cables.len(), 6, "{:?}", result.problems);
    for cable in &expected {
        let got = result
            .cables
            .iter()
            .find(|c| c.id == cable.id)
            .expect("row read");
        assert_same_facts(got, cable, "csv");
    }
    let got_long = result
        .cables
        .iter()
        .find(|c| c.id.as_str() == "07PARIS9999")
        .unwrap();
    let text: String = got_long
        .body
        .iter()
        .map(|b| &*b.text)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        text.contains("He said \"no comment\" and C:\\path stays."),
        "escapes undone"
    );
    assert!(text.len() > 60_000);
    let broken: Vec<_> = result
        .problems
        .iter()
        .filter(|p| p.message.contains("fields"))
        .collect();
    assert_eq!(broken.len(), 1, "{:?}", result.problems);
    assert_eq!(
        broken[0].line,
        Some(broken_line),
        "the broken row's line is named"
    );

    // Mixed with text cables in one content folder, everything is found once.
    let content = dir.path().join("content");
    std::fs::create_dir_all(content.join("cables/text")).unwrap();
    std::fs::rename(&path, content.join("cables/cables.csv")).unwrap();
    for seed in seeds() {
        std::fs::copy(
            &seed,
            content.join("cables/text").join(seed.file_name().unwrap()),
        )
        .unwrap();
    }
    let corpus = corpus::read(&content);
    assert_eq!(corpus.cables.len(), 11);
    assert_eq!(
        corpus.by_id.len(),
        6,
        "the seeds are duplicated between the dump and the text files"
    );
    let duplicates = corpus
        .problems
        .iter()
        .filter(|p| p.message.contains("duplicate identifier"))
        .count();
    assert_eq!(duplicates, 5);
}

/// `raw_text = true` publishes each cable's own file; a cable read from the dump has none, so
/// no copy of the (possibly gigabyte) dump may appear beside its page.
#[test]
fn a_dump_is_never_copied_as_raw_text() {
    let dir = tempfile::tempdir().unwrap();
    let cables = dir.path().join("content/cables");
    std::fs::create_dir_all(&cables).unwrap();
    let mut dump = String::new();
    for (i, seed) in seeds().iter().enumerate() {
        let text = std::fs::read_to_string(seed).unwrap();
        dump.push_str(&dump_row(i + 1, &parse_seed(seed), &text));
        dump.push('\n');
    }
    std::fs::write(cables.join("cables.csv"), &dump).unwrap();
    let seed = &seeds()[0];
    std::fs::copy(seed, cables.join("one.txt")).unwrap();
    std::fs::write(dir.path().join("site.toml"), "raw_text = true\n").unwrap();
    let config = archive::config::Config::load(&dir.path().join("site.toml")).unwrap();
    let report = archive::site::build(&config, &Default::default()).unwrap();
    assert_eq!(report.cables, 6, "{:?}", report.problems);
    let txt: Vec<PathBuf> = walkdir::WalkDir::new(dir.path().join("public/cable"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    assert_eq!(
        txt.len(),
        1,
        "only the text file's cable has a raw copy: {txt:?}"
    );
    assert_eq!(
        std::fs::read(&txt[0]).unwrap(),
        std::fs::read(seed).unwrap()
    );
}

/// The build cache's records of parsed files (`corpus::facts`) give back, field for field,
/// what parsing gives: for the seeds, every real cable of `tests/real` (text, cablegate pages,
/// dumps, `cables.csv`) and a generated corpus. A record is taken only for the identity it was
/// made with, and a damaged one is refused, never decoded into other facts.
#[test]
fn parsed_file_records_give_back_exactly_what_parsing_gives() {
    use archive::corpus::facts::{frame, Prior, SourceId};
    let gen = tempfile::tempdir().unwrap();
    let generated = crate::hostile_util::generated(gen.path(), 400, 5);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [
        repo.join("content/cables"),
        repo.join("tests/real"),
        generated,
    ] {
        files.extend(corpus::list_files(&dir).0);
    }
    let gazetteer = archive::gazetteer::Gazetteer::builtin();
    let mut records = Vec::new();
    let mut read = Vec::new();
    let mut cables = 0;
    for path in &files {
        let result = archive::sources::read_file_lean(path, gazetteer);
        let id = SourceId::of(&std::fs::metadata(path).unwrap());
        if let Some(framed) = frame(&result, id) {
            records.extend_from_slice(&framed);
        } else {
            panic!("{}: a lean result that cannot be recorded", path.display());
        }
        cables += result.cables.len();
        read.push((path.clone(), id, result));
    }
    assert!(cables > 500, "{cables} cables");
    assert!(
        read.iter().any(|(_, _, r)| r.kind == SourceKind::CablesCsv),
        "a cables.csv among the inputs"
    );
    assert!(
        read.iter().any(|(_, _, r)| !r.problems.is_empty()),
        "files with problems among the inputs"
    );
    let prior = Prior::new(records.clone());
    assert_eq!(prior.len(), files.len());
    for (path, id, result) in &read {
        let (back, _) = prior
            .take(path, *id)
            .unwrap_or_else(|| panic!("{}: no record", path.display()));
        assert_eq!(&back.path, &result.path);
        assert_eq!(back.kind, result.kind, "{}", path.display());
        assert_eq!(back.cables, result.cables, "{}", path.display());
        assert_eq!(back.problems, result.problems, "{}", path.display());
        let later = SourceId {
            ctime_ns: id.ctime_ns + 1,
            ..*id
        };
        assert!(prior.take(path, later).is_none(), "{}", path.display());
    }
    // One byte changed in the middle of the records: the record it falls in is refused
    // (checksum), the ones before it still taken.
    let mut damaged = records;
    let middle = damaged.len() / 2;
    damaged[middle] ^= 0x20;
    let prior = Prior::new(damaged);
    let taken = read
        .iter()
        .filter(|(path, id, result)| match prior.take(path, *id) {
            Some((back, _)) => {
                assert_eq!(back.cables, result.cables, "{}", path.display());
                true
            }
            None => false,
        })
        .count();
    assert!(taken > 0 && taken < read.len(), "{taken} of {}", read.len());
}

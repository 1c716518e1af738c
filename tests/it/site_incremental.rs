//! `archive build` with its build cache (`.<output>.cache/` beside the output): a rebuild after
//! edits, additions and deletions, after an interrupted rebuild, after the output was touched
//! and after a settings change writes exactly what a full build (`--no-cache`) of the same input
//! writes, and reuses what did not change (the summary line says how much, checked here against
//! what changed).

use super::site_util::tree;
use archive_dev::generate::{generate, GenConfig};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A site folder with a generated corpus in `content/cables`, built through the real binary.
struct Site {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

/// What a cached build said it reused: input files not parsed again (of files read), cable
/// pages (of cables), search chunks (of chunks).
#[derive(Debug, PartialEq, Eq)]
struct Reused {
    parsed: usize,
    files: usize,
    pages: usize,
    cables: usize,
    chunks: usize,
    of_chunks: usize,
    /// Chunks put together from earlier runs, and the cables analysed for the index.
    composed: usize,
    analysed: usize,
    /// Whether the search index was linked whole from the previous output, not merged.
    index: bool,
}

impl Site {
    fn new(cables: usize, seed: u64) -> Site {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        generate(
            &GenConfig::new(cables, seed),
            &root.join("content").join("cables"),
        )
        .unwrap();
        Site { _tmp: tmp, root }
    }

    fn cables(&self) -> PathBuf {
        self.root.join("content").join("cables")
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new(env!("CARGO_BIN_EXE_archive"))
            .current_dir(&self.root)
            .arg("build")
            .args(args)
            .output()
            .expect("run archive");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(
            out.status.success(),
            "archive build {args:?} failed: {stderr}"
        );
        stderr
    }

    /// A build with the cache into `public/`: what it reused (all zero when nothing).
    fn cached(&self) -> Reused {
        let stderr = self.run(&["--output", "public"]);
        let cables = stderr
            .lines()
            .find_map(|l| l.strip_prefix("built ")?.split(' ').next()?.parse().ok())
            .expect("a summary line");
        let Some(line) = stderr
            .lines()
            .find_map(|l| l.strip_prefix("reused from the build cache: "))
        else {
            return Reused {
                parsed: 0,
                files: self.files().len(),
                pages: 0,
                cables,
                chunks: 0,
                of_chunks: 0,
                composed: 0,
                analysed: cables,
                index: false,
            };
        };
        let numbers: Vec<usize> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|w| w.parse().ok())
            .collect();
        assert_eq!(numbers.len(), 8, "{line}");
        assert_eq!(numbers[1], self.files().len(), "{line}");
        assert_eq!(numbers[3], cables, "{line}");
        Reused {
            parsed: numbers[0],
            files: numbers[1],
            pages: numbers[2],
            cables,
            chunks: numbers[4],
            of_chunks: numbers[5],
            composed: numbers[6],
            analysed: numbers[7],
            index: line.ends_with("; the search index as it was, not merged again"),
        }
    }

    /// Asserts that `public/` (the cached build's output) is, file for file and byte for byte,
    /// what a full build of the same input writes.
    fn assert_equals_full_build(&self, when: &str) {
        self.run(&["--quiet", "--no-cache", "--output", "full"]);
        let (cached, full) = (
            tree(&self.root.join("public")),
            tree(&self.root.join("full")),
        );
        assert!(
            full.len() > 100,
            "{when}: a full build wrote {} files",
            full.len()
        );
        let names =
            |t: &std::collections::BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
        assert_eq!(names(&cached), names(&full), "{when}: other files");
        for (path, bytes) in &full {
            assert!(
                cached[path] == *bytes,
                "{when}: {path} differs from a full build's"
            );
        }
        std::fs::remove_dir_all(self.root.join("full")).unwrap();
    }

    /// The generated cable files, sorted.
    fn files(&self) -> Vec<PathBuf> {
        super::site_util::files_under(&self.cables())
    }
}

/// Changes a cable's telegram (a word inserted before the first long word past its middle), as
/// a correction of a transcription would.
fn edit(file: &Path) {
    let text = std::fs::read_to_string(file).unwrap();
    let bytes = text.as_bytes();
    let mut at = text.len() / 2;
    while !text.is_char_boundary(at) {
        at += 1;
    }
    let start = (at..bytes.len().saturating_sub(4))
        .find(|&i| {
            (i == 0 || !bytes[i - 1].is_ascii_alphabetic())
                && bytes[i..i + 4].iter().all(u8::is_ascii_alphabetic)
        })
        .expect("a word to change");
    let edited = format!("{}CORRECTED {}", &text[..start], &text[start..]);
    std::fs::write(file, edited).unwrap();
}

#[test]
fn a_cached_rebuild_equals_a_full_build_after_edits_additions_deletions_and_settings() {
    let site = Site::new(1500, 11);
    let first = site.cached();
    assert_eq!(first.pages, 0, "a first build has nothing to reuse");
    assert_eq!(first.parsed, 0, "a first build has nothing to reuse");
    assert!(site.root.join(".public.cache").join("pages").is_file());
    assert!(
        !site.root.join("public").join(".public.cache").exists(),
        "the cache is never published"
    );

    // Nothing changed: every page and every chunk is reused.
    let same = site.cached();
    assert_eq!(same.parsed, same.files, "{same:?}");
    assert_eq!(same.pages, same.cables, "{same:?}");
    assert_eq!(same.chunks, same.of_chunks, "{same:?}");
    site.assert_equals_full_build("unchanged");

    // A file written again with the same bytes is parsed again (its times changed), and its
    // page is still reused: the facts and the text it gives are the same.
    let files = site.files();
    let same_bytes = std::fs::read(&files[200]).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(10));
    std::fs::write(&files[200], &same_bytes).unwrap();
    let touched = site.cached();
    assert_eq!(touched.parsed + 1, touched.files, "{touched:?}");
    assert_eq!(touched.pages, touched.cables, "{touched:?}");
    assert_eq!(touched.chunks, touched.of_chunks, "{touched:?}");

    // A file rewritten with other bytes of the same length and its modification time put back
    // (as `cp -p` or `rsync -a` leave it) is parsed again: its change time tells.
    let target = &files[300];
    let mtime = std::fs::metadata(target).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(target).unwrap();
    let swapped = swap_letters(&text);
    assert_eq!(swapped.len(), text.len());
    std::fs::write(target, &swapped).unwrap();
    std::fs::File::options()
        .write(true)
        .open(target)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    assert_eq!(
        std::fs::metadata(target).unwrap().modified().unwrap(),
        mtime
    );
    let sneaked = site.cached();
    assert_eq!(sneaked.parsed + 1, sneaked.files, "{sneaked:?}");
    assert!(sneaked.pages < sneaked.cables, "{sneaked:?}");
    site.assert_equals_full_build("a file changed behind its old time");

    // One cable's text corrected: its page is rendered again (and the pages that show its
    // subject or neighbours, a handful), and only its search chunk analysed again.
    let before = tree(&site.root.join("public"));
    edit(&files[700]);
    let edited = site.cached();
    assert_eq!(edited.parsed + 1, edited.files, "{edited:?}");
    assert!(edited.pages < edited.cables, "{edited:?}");
    assert!(edited.pages + 40 > edited.cables, "{edited:?}");
    assert_eq!(edited.chunks + 1, edited.of_chunks, "{edited:?}");
    // The chunk's other cables are taken from its previous run: only the edited one is read
    // and analysed.
    assert_eq!((edited.composed, edited.analysed), (1, 1), "{edited:?}");
    let after = tree(&site.root.join("public"));
    let changed = before
        .iter()
        .filter(|(path, bytes)| path.starts_with("cable/") && after.get(*path) != Some(*bytes))
        .count();
    assert!(changed >= 1, "the edit changed no cable page");
    site.assert_equals_full_build("one cable edited");

    // Twenty cables added (another generated corpus), five deleted.
    let extra = tempfile::tempdir().unwrap();
    generate(&GenConfig::new(20, 99), extra.path()).unwrap();
    let added = site.cables().join("added");
    std::fs::create_dir_all(&added).unwrap();
    let mut copied = 0;
    for entry in walkdir::WalkDir::new(extra.path()) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            std::fs::copy(entry.path(), added.join(entry.file_name())).unwrap();
            copied += 1;
        }
    }
    for file in files.iter().step_by(300).take(5) {
        std::fs::remove_file(file).unwrap();
    }
    let grown = site.cached();
    assert_eq!(grown.cables, edited.cables + 20 - 5, "{grown:?}");
    assert_eq!(grown.files, edited.files + copied - 5, "{grown:?}");
    assert_eq!(grown.parsed, grown.files - copied, "{grown:?}");
    assert!(grown.pages > grown.cables / 2, "{grown:?}");
    assert!(grown.pages < grown.cables, "{grown:?}");
    // Only the added cables are analysed; the others' words come from the previous runs.
    assert_eq!(
        grown.analysed,
        grown.cables - (edited.cables - 5),
        "{grown:?}"
    );
    assert!(grown.composed >= 1, "{grown:?}");
    site.assert_equals_full_build("cables added and deleted");

    // A setting changes every page: no page or chunk is reused, but no file is parsed again
    // (parsing does not depend on the settings).
    std::fs::write(site.root.join("site.toml"), "title = \"Another title\"\n").unwrap();
    let retitled = site.cached();
    assert_eq!(retitled.pages, 0, "{retitled:?}");
    assert_eq!(retitled.chunks, 0, "{retitled:?}");
    assert_eq!(retitled.analysed, retitled.cables, "{retitled:?}");
    assert_eq!(retitled.parsed, retitled.files, "{retitled:?}");
    site.assert_equals_full_build("settings changed");

    // The gazetteer names origins and REF stations: a new `stations.toml` parses every file
    // again.
    std::fs::write(
        site.root.join("stations.toml"),
        "[ATLANTIS]\nname = \"Embassy Atlantis\"\nlat = 36.4\nlon = 25.4\n",
    )
    .unwrap();
    let stations = site.cached();
    assert_eq!(stations.parsed, 0, "{stations:?}");
    site.assert_equals_full_build("stations.toml added");
}

/// The release's own form, a `cables.csv` dump, holds many cables in one file: a row corrected
/// renders that row's page again, not every page of the dump (real rows of `tests/real/csv`).
/// The load reads files in batches (`LOAD_BATCH`, 8,192), moving each batch's results and
/// cache records on before the next: across three batches no cable, and no file's record, is
/// lost or given to another file.
#[test]
fn a_load_of_several_batches_keeps_every_file_and_every_record() {
    let n = 2 * 8192 + 600;
    let site = Site::new(n, 29);
    let files = site.files();
    assert_eq!(files.len(), n, "the generator writes a file per cable");
    let first = site.cached();
    assert_eq!(first.cables, n, "{first:?}");
    let same = site.cached();
    assert_eq!((same.parsed, same.cables), (n, n), "{same:?}");
    // One file in the second batch and the last file of all, changed: only those two are
    // parsed again, and only their pages (and their neighbours') are rendered.
    edit(&files[8192 + 100]);
    edit(&files[n - 1]);
    let edited = site.cached();
    assert_eq!((edited.parsed, edited.cables), (n - 2, n), "{edited:?}");
    assert!(edited.pages < n && edited.pages > n - 100, "{edited:?}");
}

#[test]
fn one_row_corrected_in_a_cables_csv_renders_that_page_only() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let cables = root.join("content").join("cables");
    std::fs::create_dir_all(&cables).unwrap();
    let real = super::site_util::repo().join("tests/real/csv");
    for name in ["a.csv", "b.csv", "c.csv"] {
        std::fs::copy(real.join(name), cables.join(name)).unwrap();
    }
    let site = Site { _tmp: tmp, root };
    let first = site.cached();
    assert!(first.cables > 60, "{first:?}");
    assert_eq!(first.files, 3, "{first:?}");
    let dump = cables.join("b.csv");
    let text = std::fs::read_to_string(&dump).unwrap();
    let at = text[text.len() / 2..]
        .find("\n1.  (")
        .map(|i| text.len() / 2 + i + "\n1.  (".len())
        .expect("a numbered paragraph in the second half");
    let corrected = format!(
        "{}{}",
        &text[..at],
        &text[at..].replacen(")", ") CORRECTED", 1)
    );
    std::fs::write(&dump, corrected).unwrap();
    let after = site.cached();
    assert_eq!(
        after.parsed, 2,
        "the two other dumps are not parsed again: {after:?}"
    );
    assert_eq!(after.pages + 1, after.cables, "{after:?}");
    site.assert_equals_full_build("a row of cables.csv corrected");
}

#[test]
fn a_page_changed_in_the_output_or_a_broken_cache_is_rendered_again() {
    let site = Site::new(1500, 12);
    site.cached();
    // A page edited in the output (as `archive serve` does in place, or by hand) is not the
    // recorded file any more: it is rendered, not linked, and the edit is gone.
    let page = walkdir::WalkDir::new(site.root.join("public").join("cable"))
        .into_iter()
        .map(|e| e.unwrap())
        .find(|e| e.file_type().is_file())
        .unwrap()
        .into_path();
    let mut bytes = std::fs::read(&page).unwrap();
    bytes[0] = b'X';
    std::fs::write(&page, &bytes).unwrap();
    let reused = site.cached();
    assert_eq!(reused.pages + 1, reused.cables, "{reused:?}");
    site.assert_equals_full_build("a page edited in the output");

    // A manifest that is not one (truncated, garbage) is ignored whole, the spare
    // generation's too; a run file that is damaged is analysed again.
    let cache = site.root.join(".public.cache");
    assert!(
        cache.join("spare").is_dir(),
        "the second cached build keeps the first one's pages as the spare"
    );
    for manifest in ["pages", "spare.pages"] {
        std::fs::write(
            cache.join(manifest),
            "archive build cache 1 garbage\n\u{0}\u{1}",
        )
        .unwrap();
    }
    let runs: Vec<PathBuf> = std::fs::read_dir(cache.join("runs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!runs.is_empty(), "the cache keeps the search runs");
    let damaged = &runs[0];
    let mut run = std::fs::read(damaged).unwrap();
    run.truncate(run.len() / 2);
    std::fs::write(damaged, run).unwrap();
    // The records of the parsed files cut in the middle: the files from there on are parsed
    // again, the ones before are not.
    let records = cache.join("files");
    let mut bytes = std::fs::read(&records).unwrap();
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&records, bytes).unwrap();
    let broken = site.cached();
    assert_eq!(broken.pages, 0, "{broken:?}");
    assert_eq!(broken.chunks + 1, broken.of_chunks, "{broken:?}");
    assert!(
        broken.parsed > 0 && broken.parsed < broken.files,
        "{broken:?}"
    );
    site.assert_equals_full_build("a broken cache");
}

#[test]
fn the_search_index_is_linked_as_it_was_when_its_cables_did_not_change_and_merged_otherwise() {
    let site = Site::new(900, 13);
    let first = site.cached();
    assert!(!first.index, "a first build merges the index: {first:?}");
    let public = site.root.join("public");
    let meta = public.join("search").join("meta.js");
    let inode =
        |path: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(path).unwrap());

    // Nothing changed: the index is the previous one, the same files (hard links).
    let before = inode(&meta);
    let same = site.cached();
    assert!(same.index, "{same:?}");
    assert_eq!(
        inode(&meta),
        before,
        "the index's files are linked, not written again"
    );
    site.assert_equals_full_build("nothing changed");

    // The theme and the Markdown pages change every page but not the index: every page is
    // rendered again, no cable analysed, and the index linked as it was.
    let templates = site.root.join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    let base = include_str!("../../templates/base.html");
    assert!(base.contains("</footer>"));
    let themed = base.replace("</footer>", "<p>A local theme</p></footer>");
    std::fs::write(templates.join("base.html"), themed).unwrap();
    let pages = site.root.join("content").join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    std::fs::write(
        pages.join("about.md"),
        "# About\n\nThe archive of a test.\n",
    )
    .unwrap();
    let retheme = site.cached();
    assert_eq!(retheme.pages, 0, "{retheme:?}");
    assert_eq!(retheme.chunks, retheme.of_chunks, "{retheme:?}");
    assert_eq!(retheme.analysed, 0, "{retheme:?}");
    assert!(retheme.index, "{retheme:?}");
    let page = walkdir::WalkDir::new(public.join("cable"))
        .into_iter()
        .map(|e| e.unwrap())
        .find(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .unwrap()
        .into_path();
    assert!(
        std::fs::read_to_string(&page)
            .unwrap()
            .contains("A local theme"),
        "the new theme is on {page:?}"
    );
    site.assert_equals_full_build("the theme and a page changed");

    // A file of the index written again in the output (same bytes, so another time) is not
    // the recorded one: the index is merged again, and recorded again for the next build.
    let shard = public.join("search").join("d").join("0.js");
    let bytes = std::fs::read(&shard).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(10));
    std::fs::write(&shard, &bytes).unwrap();
    let touched = site.cached();
    assert!(!touched.index, "{touched:?}");
    assert_eq!(touched.analysed, 0, "{touched:?}");
    site.assert_equals_full_build("a file of the index touched");
    assert!(site.cached().index, "recorded again after the merge");

    // A file of the index gone from the output, or a record that does not read: merged again.
    std::fs::remove_file(&meta).unwrap();
    assert!(!site.cached().index);
    site.assert_equals_full_build("a file of the index deleted");
    let record = site.root.join(".public.cache").join("search");
    let text = std::fs::read_to_string(&record).unwrap();
    let mut lines = text.lines();
    let first_line = lines.next().unwrap();
    assert!(
        first_line.starts_with("archive build cache "),
        "{first_line}"
    );
    // A well-formed line, with the index's key, naming a file outside `search/` as it is.
    let key = lines.next().unwrap().split(' ').next().unwrap();
    let outside = public.join("outside.js");
    std::fs::write(&outside, "x").unwrap();
    let meta = std::fs::metadata(&outside).unwrap();
    let mtime = meta
        .modified()
        .unwrap()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let line = format!(
        "{key} {} {} {mtime} outside.js",
        std::os::unix::fs::MetadataExt::ino(&meta),
        meta.len()
    );
    std::fs::write(&record, format!("{first_line}\n{line}\n")).unwrap();
    assert!(
        !site.cached().index,
        "a record naming a path outside search/ is not followed"
    );
    site.assert_equals_full_build("a record naming a file outside the index");

    // One cable's text corrected: its chunk changes, so does the index.
    edit(&site.files()[400]);
    let edited = site.cached();
    assert!(!edited.index, "{edited:?}");
    assert_eq!((edited.composed, edited.analysed), (1, 1), "{edited:?}");
    site.assert_equals_full_build("one cable edited");
}

#[test]
fn a_chunk_whose_previous_run_does_not_decode_is_analysed_whole() {
    // 300 cables: one search chunk, so its one run is the one the edited cable's chunk is put
    // together from.
    let site = Site::new(300, 13);
    site.cached();
    let runs: Vec<PathBuf> = std::fs::read_dir(site.root.join(".public.cache").join("runs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(runs.len(), 1, "{runs:?}");
    // The run damaged where only decoding its words can tell: the last byte of its positions
    // made one that says another byte follows (a number cut short), and the checksum made
    // again, as damage that the checksum misses would leave it.
    forge_undecodable_positions(&runs[0]);
    edit(&site.files()[150]);
    let edited = site.cached();
    // Putting the chunk together fails on the run's words, so every cable of the chunk is read
    // and analysed, as in a build without the cache, and the site is the same.
    assert_eq!(
        (edited.chunks, edited.composed, edited.analysed),
        (0, 0, edited.cables),
        "{edited:?}"
    );
    site.assert_equals_full_build("a previous run that does not decode");
    // The run this build wrote in its place serves the next edit as usual.
    edit(&site.files()[151]);
    let again = site.cached();
    assert_eq!((again.composed, again.analysed), (1, 1), "{again:?}");
    site.assert_equals_full_build("an edit after the run was replaced");
}

/// Rewrites the search run at `path` (the layout of `archive_search::spill::write_run`: a
/// header of `HEADER_BYTES` with the documents and terms at 20 and 24, the four section sizes
/// from 28 and the checksum at 60; then 12 bytes a document, 12 a term, the names, postings,
/// positions and snippets) with the last byte of its positions given the varint's
/// continuation bit (0x80: another byte follows, and none does), and its checksum made again.
fn forge_undecodable_positions(path: &Path) {
    use archive::search::spill::HEADER_BYTES;
    let mut run = std::fs::read(path).unwrap();
    let u32_at = |b: &[u8], k: usize| u32::from_le_bytes(b[k..k + 4].try_into().unwrap()) as usize;
    let u64_at = |b: &[u8], k: usize| u64::from_le_bytes(b[k..k + 8].try_into().unwrap()) as usize;
    let (docs, terms) = (u32_at(&run, 20), u32_at(&run, 24));
    let sizes: Vec<usize> = (0..4).map(|i| u64_at(&run, 28 + 8 * i)).collect();
    let mut bounds = vec![HEADER_BYTES as usize];
    for len in [
        docs * 12,
        terms * 12,
        sizes[0],
        sizes[1],
        sizes[2],
        sizes[3],
    ] {
        bounds.push(bounds.last().unwrap() + len);
    }
    assert_eq!(*bounds.last().unwrap(), run.len(), "the run's layout");
    let last_position = bounds[5] - 1;
    assert_eq!(run[last_position] & 0x80, 0, "a varint's last byte");
    run[last_position] = 0x80;
    let sections: Vec<&[u8]> = bounds.windows(2).map(|w| &run[w[0]..w[1]]).collect();
    let sum = archive::corpus::facts::checksum(&sections);
    run[60..68].copy_from_slice(&sum.to_le_bytes());
    std::fs::write(path, run).unwrap();
}

#[test]
fn an_interrupted_rebuild_leaves_what_the_next_build_completes_byte_for_byte() {
    let site = Site::new(3000, 13);
    site.cached();
    // A second build, so that the interrupted one builds in the spare generation, whose files
    // are hard links shared with the published site's.
    site.cached();
    assert!(site.root.join(".public.cache").join("spare").is_dir());
    let built = tree(&site.root.join("public"));

    // Killed in the middle of a rebuild (every tenth cable touched, so it renders and
    // analyses): the previous site stays whole, and the next build cleans up and completes.
    let files = site.files();
    for file in files.iter().step_by(10) {
        edit(file);
    }
    let mut killed = false;
    for _ in 0..5 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_archive"))
            .current_dir(&site.root)
            .args(["--quiet", "build", "--output", "public"])
            .spawn()
            .unwrap();
        let staging = site.root.join(format!(".public.tmp-{}", child.id()));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !staging.join("cable").exists() && std::time::Instant::now() < deadline {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            child.wait().unwrap();
            killed = true;
            break;
        }
    }
    assert!(
        killed,
        "the rebuild always ended before it could be interrupted"
    );
    assert!(
        tree(&site.root.join("public")) == built,
        "an interrupted build changed the published site"
    );
    let rebuilt = site.cached();
    assert!(rebuilt.pages < rebuilt.cables, "{rebuilt:?}");
    let leftovers: Vec<String> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
    site.assert_equals_full_build("after an interrupted rebuild");

    // Interrupted after the new site was swapped in but before its cache was: the previous
    // generation of the cache beside the new output. Emulated by putting it back.
    let cache = site.root.join(".public.cache");
    let saved = site.root.join("saved-cache");
    copy_tree(&cache, &saved);
    edit(&files[5]);
    site.cached();
    std::fs::remove_dir_all(&cache).unwrap();
    std::fs::rename(&saved, &cache).unwrap();
    edit(&files[6]);
    let stale = site.cached();
    assert!(stale.pages > 0 && stale.pages < stale.cables, "{stale:?}");
    site.assert_equals_full_build("with the cache of the build before");
}

#[test]
fn a_rebuild_in_the_spare_generation_changes_nothing_of_the_published_site_until_the_swap() {
    let site = Site::new(1200, 21);
    site.cached();
    site.cached();
    // The spare generation is the output before the live one, its cable pages only, each a
    // hard link to the live page (nothing changed): it costs directory entries, not disk.
    let public = site.root.join("public");
    let spare = site.root.join(".public.cache").join("spare");
    let spare_files = super::site_util::files_under(&spare);
    let pages: Vec<PathBuf> = super::site_util::files_under(&public.join("cable"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    let mut cable_pages: Vec<PathBuf> = pages
        .iter()
        .filter(|p| {
            // A cable's page, not a listing under cable/ (an index.html of a folder).
            p.file_name().is_some_and(|n| n != "index.html")
        })
        .map(|p| p.strip_prefix(&public).unwrap().to_path_buf())
        .collect();
    cable_pages.sort();
    let mut in_spare: Vec<PathBuf> = spare_files
        .iter()
        .map(|p| p.strip_prefix(&spare).unwrap().to_path_buf())
        .collect();
    in_spare.sort();
    assert_eq!(in_spare.len(), 1200, "one page per cable in the spare");
    assert_eq!(
        in_spare, cable_pages,
        "the spare holds the cable pages only"
    );
    {
        use std::os::unix::fs::MetadataExt;
        for page in &in_spare {
            let (a, b) = (
                std::fs::metadata(spare.join(page)).unwrap(),
                std::fs::metadata(public.join(page)).unwrap(),
            );
            assert_eq!(
                a.ino(),
                b.ino(),
                "{page:?} is not shared with the live page"
            );
        }
    }

    // Edits, a deletion and additions: the rebuild writes in the spare, replacing what
    // changed. The live site's files, which the spare shares, keep their bytes: once swapped
    // out, the old output (now the spare again) holds exactly the pages it published.
    let before = tree(&public);
    let files = site.files();
    for file in files.iter().step_by(97) {
        edit(file);
    }
    std::fs::remove_file(&files[3]).unwrap();
    let extra = tempfile::tempdir().unwrap();
    generate(&GenConfig::new(5, 77), extra.path()).unwrap();
    for (k, file) in super::site_util::files_under(extra.path())
        .iter()
        .enumerate()
    {
        std::fs::copy(file, site.cables().join(format!("added-{k}.txt"))).unwrap();
    }
    let rebuilt = site.cached();
    assert_eq!(rebuilt.cables, 1200 - 1 + 5, "{rebuilt:?}");
    assert!(
        rebuilt.pages > 1000 && rebuilt.pages < rebuilt.cables - 5,
        "{rebuilt:?}"
    );
    site.assert_equals_full_build("a rebuild in the spare generation");
    for path in super::site_util::files_under(&spare) {
        let page = path
            .strip_prefix(&spare)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(
            before.get(&page) == Some(&std::fs::read(&path).unwrap()),
            "{page}: the published page changed during the rebuild"
        );
    }
    // The spare of this build is the previous output's pages, the deleted cable's among them.
    assert_eq!(super::site_util::files_under(&spare).len(), 1200);

    // Built again with nothing changed: every page is kept where it is.
    let again = site.cached();
    assert_eq!(again.pages, again.cables, "{again:?}");
    site.assert_equals_full_build("a rebuild with nothing changed");
}

/// `text` with its first two different adjacent ASCII letters past the middle swapped: other
/// bytes, the same length.
fn swap_letters(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let at = (bytes.len() / 2..bytes.len() - 1)
        .find(|&i| {
            bytes[i].is_ascii_alphabetic()
                && bytes[i + 1].is_ascii_alphabetic()
                && bytes[i] != bytes[i + 1]
        })
        .expect("two different letters side by side");
    bytes.swap(at, at + 1);
    String::from_utf8(bytes).unwrap()
}

/// Copies a folder (files copied, not linked).
fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A cable page's fingerprint hashes the listings the page links as `Groups::linked_from`
/// names them, taken from the groups' members rather than looked up again from the cable's
/// text. That is only sound if they are exactly the listings the written page links: read every
/// page of a generated corpus (with people and addressee pages) and of the real cables of
/// `tests/real`, and compare the listing links each holds (tag/, origin/, month/, year/,
/// classification/, signer/, classifier/, to/) with them. A new kind of listing link on cable
/// pages that the fingerprint misses fails here.
#[test]
fn a_cable_page_fingerprint_covers_every_listing_the_page_links() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    generate(&GenConfig::new(300, 41), &content.join("cables")).unwrap();
    let kinds = listings_linked_and_fingerprinted(&content, &dir.path().join("generated"));
    // The corpus exercises every kind a cable page links.
    for kind in [
        "tag",
        "origin",
        "month",
        "classification",
        "signer",
        "classifier",
        "to",
    ] {
        assert!(
            kinds.contains(kind),
            "no cable page links a {kind}/ listing"
        );
    }
    let real = super::site_util::repo().join("tests/real");
    let kinds = listings_linked_and_fingerprinted(&real, &dir.path().join("real"));
    assert_eq!(kinds.len(), 7, "the real cables' pages link {kinds:?}");
}

/// Builds `content` into `out` and checks, page by page, that the listings each cable page
/// links are those `Groups::linked_from` gives; returns the listing folders seen.
fn listings_linked_and_fingerprinted(
    content: &Path,
    out: &Path,
) -> std::collections::BTreeSet<String> {
    let config = archive::site::config::Config {
        content_dir: content.to_path_buf(),
        output_dir: out.to_path_buf(),
        site_dir: out.with_extension("no-site-overrides"),
        addressee_pages: true,
        ..Default::default()
    };
    let options = archive::site::BuildOptions {
        quiet: true,
        ..Default::default()
    };
    let build = archive::site::Build::load(config.clone(), &options).unwrap();
    build.write(&options).unwrap();
    let folders = [
        "tag",
        "origin",
        "month",
        "year",
        "classification",
        "signer",
        "classifier",
        "to",
    ];
    let mut kinds_seen = std::collections::BTreeSet::new();
    assert!(!build.site.corpus.cables.is_empty());
    for (i, linked) in build.site.corpus.cables.iter().enumerate() {
        let html = std::fs::read_to_string(config.output_dir.join(&linked.page)).unwrap();
        let on_page: std::collections::BTreeSet<String> =
            super::site_util::attributes(&html, "href")
                .into_iter()
                .filter_map(|href| super::site_util::resolve(&linked.page, href))
                .filter(|path| folders.iter().any(|f| path.starts_with(&format!("{f}/"))))
                .map(|path| path.trim_end_matches(".html").to_string())
                .collect();
        let fingerprinted: std::collections::BTreeSet<String> =
            build.site.groups.linked_from(i).map(String::from).collect();
        assert_eq!(
            on_page, fingerprinted,
            "{}: the listings its page links and those its fingerprint covers",
            linked.page
        );
        kinds_seen.extend(
            on_page
                .iter()
                .filter_map(|p| p.split('/').next().map(String::from)),
        );
    }
    kinds_seen
}

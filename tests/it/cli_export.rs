//! `archive export` and `archive check` as a user runs them: the binary, on real files.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn archive(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_archive"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run archive")
}

fn export_jsonl(content: &Path) -> (Vec<Value>, String, bool) {
    let out = archive(&["export", "--content", content.to_str().unwrap()]);
    let records = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    (
        records,
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.success(),
    )
}

fn by_id<'a>(records: &'a [Value], id: &str) -> &'a Value {
    records
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{id} is exported"))
}

fn ref_ids(record: &Value) -> Vec<String> {
    record["references"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["id"].as_str().map(str::to_string))
        .collect()
}

/// The table in `shared/CABLES.md`, "What a correct parse of the seeds gives".
#[test]
fn export_of_default_content_matches_the_seed_table() {
    let (records, stderr, ok) = export_jsonl(Path::new("content"));
    assert!(ok, "export failed: {stderr}");
    assert_eq!(records.len(), 5, "five seed cables: {stderr}");
    let table: [(&str, &str, &str, &str, &[&str]); 5] = [
        (
            "07PARIS1115",
            "2007-03-22T13:25:00Z",
            "CONFIDENTIAL",
            "Embassy Paris",
            &["07PARIS1111"],
        ),
        (
            "07USNATO536",
            "2007-10-01T16:43:00Z",
            "SECRET",
            "Mission USNATO",
            &[],
        ),
        (
            "07USNATO362",
            "2007-06-11T10:25:00Z",
            "CONFIDENTIAL",
            "Mission USNATO",
            &[],
        ),
        (
            "07USNATO577",
            "2007-10-24T15:09:00Z",
            "CONFIDENTIAL//NOFORN",
            "Mission USNATO",
            &["07USNATO263", "07USNATO430", "07USNATO544"],
        ),
        (
            "07USNATO265",
            "2007-04-23T17:11:00Z",
            "CONFIDENTIAL",
            "Mission USNATO",
            &["07USNATO263", "07USNATO264"],
        ),
    ];
    for (id, created, classification, origin, refs) in table {
        let r = by_id(&records, id);
        assert_eq!(r["created"], created, "{id}");
        assert_eq!(r["classification"], classification, "{id}");
        assert_eq!(r["origin"], origin, "{id}");
        assert_eq!(ref_ids(r), refs, "{id}");
        // None of the seeds cites another seed.
        for reference in r["references"].as_array().unwrap() {
            assert_eq!(reference["in_archive"], false, "{id}: {reference}");
        }
        assert_eq!(r["referenced_by"].as_array().unwrap().len(), 0, "{id}");
        let page = r["page"].as_str().unwrap();
        assert_eq!(page, format!("cable/2007/{}/{id}.html", &created[5..7]));
        assert!(
            Path::new(r["source"].as_str().unwrap()).exists(),
            "{id}: source exists"
        );
    }
    // Exactly the documented fields, in this order in every line.
    // The README's list, written out: the library's own FIELDS must agree with it.
    let keys = [
        "id",
        "created",
        "classification",
        "origin",
        "subject",
        "tags",
        "references",
        "referenced_by",
        "signer",
        "source",
        "page",
        "created_precision",
        "to",
        "info",
        "classified_by",
    ];
    assert_eq!(archive::export::FIELDS, keys);
    for record in &records {
        // The seeds all carry a date-time group or a `Created` time.
        assert_eq!(record["created_precision"], "minute", "{record}");
        assert_eq!(record.as_object().unwrap().len(), keys.len(), "{record}");
    }
    let out = archive(&["export", "--content", "content"]);
    let first_line = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    let positions: Vec<usize> = keys
        .iter()
        .map(|k| {
            first_line
                .find(&format!("\"{k}\":"))
                .unwrap_or_else(|| panic!("{k} in {first_line}"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "field order: {first_line}"
    );
    assert_eq!(by_id(&records, "07PARIS1115")["signer"], "STAPLETON");
    // The addressees and the classifying official, as the seed's telegram writes them.
    let paris = by_id(&records, "07PARIS1115");
    assert_eq!(paris["to"][0], "SECSTATE WASHDC", "{paris}");
    assert!(
        paris["classified_by"]
            .as_str()
            .is_some_and(|c| c.contains("Rosenblatt")),
        "{paris}"
    );
    assert_eq!(
        by_id(&records, "07USNATO577")["references"][0]["label"],
        "A",
        "lettered references keep their letter"
    );
}

#[test]
fn csv_export_has_a_header_and_a_row_per_cable() {
    let out = archive(&["export", "--content", "content", "--format", "csv"]);
    assert!(out.status.success());
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header[0], "id");
    assert_eq!(header[10], "page");
    assert_eq!(header[11], "created_precision");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 5);
    let paris = rows.iter().find(|r| &r[0] == "07PARIS1115").unwrap();
    assert_eq!(&paris[6], "07PARIS1111");
}

/// A scratch folder with the seeds and some files that are not cables.
fn mixed_folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let cables = dir.path().join("cables");
    std::fs::create_dir_all(cables.join("deeper")).unwrap();
    for entry in
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("content/cables")).unwrap()
    {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), cables.join("deeper").join(entry.file_name())).unwrap();
    }
    std::fs::write(cables.join("empty.txt"), b"").unwrap();
    std::fs::write(
        cables.join("binary.bin"),
        [0u8, 159, 146, 150, 0, 1, 2, 3, 255, 0],
    )
    .unwrap();
    std::fs::write(
        cables.join("notes.txt"),
        b"Some notes about the archive.\nNothing to see.\n",
    )
    .unwrap();
    let content = dir.path().to_path_buf();
    (dir, content)
}

#[test]
fn non_cables_are_reported_and_the_rest_is_exported() {
    let (_dir, content) = mixed_folder();
    let (records, stderr, ok) = export_jsonl(&content);
    assert!(ok, "exit 0 while some files are cables");
    assert_eq!(
        records.len(),
        5,
        "the five seeds in a nested folder are found"
    );
    for name in ["empty.txt", "binary.bin", "notes.txt"] {
        assert!(stderr.contains(name), "{name} is reported: {stderr}");
    }
}

#[test]
fn export_fails_when_no_file_is_a_cable() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.txt"), b"").unwrap();
    let out = archive(&["export", "--content", dir.path().to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no cable could be read"));
}

#[test]
fn check_reports_each_problem_with_its_file_and_fails() {
    let (_dir, content) = mixed_folder();
    let out = archive(&["check", "--content", content.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a file that is not a cable fails check"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for name in ["empty.txt", "binary.bin", "notes.txt"] {
        let lines = stderr.lines().filter(|l| l.contains(name)).count();
        assert!(lines >= 1, "{name} reported: {stderr}");
    }
    assert!(stdout.contains("5 cables read"), "{stdout}");
    assert!(stdout.contains("8 files"), "{stdout}");

    let out = archive(&["check", "--content", "content"]);
    assert!(
        out.status.success(),
        "the default content checks clean: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `archive new DIR` then `archive build` in it gives a working site; `new` never overwrites.
#[test]
fn new_archive_builds_into_a_site() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("my archive");
    let out = archive(&["new", site.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for file in [
        "site.toml",
        "content/pages/about.md",
        ".github/workflows/pages.yml",
        "README.md",
    ] {
        assert!(site.join(file).is_file(), "{file}");
    }
    let build = Command::new(env!("CARGO_BIN_EXE_archive"))
        .args(["--quiet", "build"])
        .current_dir(&site)
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let page = site.join("public/cable/2007/03/07PARIS1115.html");
    assert!(std::fs::read_to_string(page)
        .unwrap()
        .contains("GENERAL OBERING"));
    assert!(site.join("public/index.html").is_file());

    let again = archive(&["new", site.to_str().unwrap()]);
    assert!(
        !again.status.success(),
        "a folder with files in it is refused"
    );
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
}

/// A post the built-in gazetteer does not know: `archive check` names it, and a `stations.toml`
/// beside `content/` adds it, so the cable's origin and the REF items citing it read right in
/// `check`, `export` and `build`.
#[test]
fn a_sites_stations_toml_extends_the_gazetteer() {
    let dir = tempfile::tempdir().unwrap();
    let cables = dir.path().join("content/cables");
    std::fs::create_dir_all(&cables).unwrap();
    std::fs::write(
        cables.join("05ATLANTIS12.txt"),
        "This record is a partial extract of the original cable.\n\nC O N F I D E N T I A L ATLANTIS 000012\n\n151030Z FEB 05\n\nSUBJECT: A POST NOBODY KNOWS\n\nREF: A. ATLANTIS 7 B. POSEIDONIA 9\n\n1. (C) Text.\n",
    )
    .unwrap();
    let content = dir.path().join("content");
    let content = content.to_str().unwrap();
    let check = archive(&["check", "--content", content]);
    let said = String::from_utf8_lossy(&check.stdout).to_string();
    assert!(said.contains("2 stations not in the gazetteer"), "{said}");
    assert!(said.contains("  ATLANTIS: 2\n"), "{said}");
    assert!(said.contains("  POSEIDONIA: 1\n"), "{said}");

    std::fs::write(
        dir.path().join("stations.toml"),
        "[ATLANTIS]\nname = \"Embassy Atlantis\"\nspellings = [\"POSEIDONIA\"]\nlat = 36.4\nlon = 25.4\n",
    )
    .unwrap();
    let check = archive(&["check", "--content", content]);
    let said = String::from_utf8_lossy(&check.stdout).to_string();
    assert!(!said.contains("not in the gazetteer"), "{said}");
    let (records, _, ok) = export_jsonl(&dir.path().join("content"));
    assert!(ok);
    assert_eq!(records[0]["origin"], "Embassy Atlantis");
    let cited: Vec<&str> = records[0]["references"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(cited, ["05ATLANTIS7", "05ATLANTIS9"]);

    // A broken stations.toml is an error that names the file.
    std::fs::write(dir.path().join("stations.toml"), "[ATLANTIS]\nnom = 1\n").unwrap();
    let check = archive(&["check", "--content", content]);
    assert!(!check.status.success());
    let err = String::from_utf8_lossy(&check.stderr).to_string();
    assert!(
        err.contains("stations.toml") && err.contains("name = "),
        "{err}"
    );
}

#[test]
fn export_help_names_every_published_field_in_order() {
    let out = archive(&["export", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let listed = help
        .split_once("Fields: ")
        .and_then(|(_, rest)| rest.split_once('.'))
        .map(|(fields, _)| fields.split(", ").map(str::to_string).collect::<Vec<_>>())
        .expect("the help lists the fields");
    assert_eq!(listed, archive::site::export::FIELDS.to_vec());
    // And those are the keys of a record, in that order.
    let (records, _, ok) = export_jsonl(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("content"));
    assert!(ok);
    let keys: Vec<&str> = records[0]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    let mut sorted_fields = listed.clone();
    sorted_fields.sort();
    let mut sorted_keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    sorted_keys.sort();
    assert_eq!(sorted_keys, sorted_fields);
}

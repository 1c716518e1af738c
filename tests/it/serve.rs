//! `archive serve`: the real binary on a free port, fetched over HTTP while a cable changes; and
//! the incremental rebuild, which must write only the pages a change touches.

use archive::config::Config;
use archive::serve::Session;
use archive_dev::generate::{generate, GenConfig};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn seeds_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let cables = dir.path().join("content/cables");
    std::fs::create_dir_all(&cables).unwrap();
    for entry in
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("content/cables")).unwrap()
    {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), cables.join(entry.file_name())).unwrap();
    }
    std::fs::write(dir.path().join("site.toml"), "title = \"Served\"\n").unwrap();
    dir
}

/// GET over HTTP/1.1; returns status code and body.
fn get(port: u16, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_builds_serves_and_rebuilds_a_changed_cable() {
    let site = seeds_site();
    let mut child = Command::new(env!("CARGO_BIN_EXE_archive"))
        .args(["serve", "--port", "0"])
        .current_dir(site.path())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let server = Server(child);
    let mut lines = BufReader::new(stderr).lines();
    let port: u16 = loop {
        let line = lines.next().expect("serve prints its address").unwrap();
        if let Some(rest) = line.strip_prefix("serving on http://127.0.0.1:") {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    // Keep reading stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});

    let (status, home) = get(port, "/");
    assert_eq!(status, 200);
    assert!(home.contains("Served"), "the site's title");
    assert!(
        home.contains("/__archive/reload.js"),
        "live reload is injected"
    );
    let page = "/cable/2007/03/07PARIS1115.html";
    let (status, before) = get(port, page);
    assert_eq!(status, 200);
    assert!(before.contains("GENERAL OBERING"));
    assert_eq!(
        get(port, "/../site.toml").0,
        404,
        "nothing outside the site is served"
    );
    assert_eq!(get(port, "/no/such/page.html").0, 404);
    let (_, version) = get(port, "/__archive/version");

    let cable = site.path().join("content/cables/000_63948343a81429d0.txt");
    let text = std::fs::read_to_string(&cable).unwrap();
    std::fs::write(
        &cable,
        text.replace("GENERAL OBERING'S MARCH 16", "GENERAL OBERING'S APRIL 1"),
    )
    .unwrap();

    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, now) = get(port, page);
        if now.contains("GENERAL OBERING'S APRIL 1") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the changed cable's page was not rebuilt"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // The reload signal follows the rebuild that wrote the page (listings are written between).
    while get(port, "/__archive/version").1 == version {
        assert!(Instant::now() < deadline, "open pages are told to reload");
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(server);
}

fn write_cable_citing(dir: &Path, name: &str, id_serial: &str, cites: &str) -> PathBuf {
    let text = format!(
        "VZCZCXYZ0000\nOO RUEHWEB\n\nDE RUEHFR #{id_serial}/01 3651200\nZNY CCCCC ZZH\nO 311200Z DEC 09\nFM AMEMBASSY PARIS\nTO RUEHC/SECSTATE WASHDC IMMEDIATE 1\nC O N F I D E N T I A L PARIS {id_serial:0>6}\n\nE.O. 12958: DECL: 12/31/2019\nTAGS: PREL FR\nSUBJECT: A NEW CABLE CITING AN OLD ONE\n\nREF: {cites}\n\nClassified By: Someone, reasons 1.4 (b)\n\n1. (C) As reftel said, nothing new.\n\nSMITH\n"
    );
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn an_incremental_rebuild_writes_only_what_a_change_touches() {
    let dir = tempfile::tempdir().unwrap();
    let cables = dir.path().join("content/cables");
    let manifest = generate(&GenConfig::new(1500, 7), &cables).unwrap();
    std::fs::write(dir.path().join("site.toml"), "[search]\nenabled = false\n").unwrap();
    let config = Config::load(&dir.path().join("site.toml")).unwrap();
    let mut session = Session::start(config).unwrap();
    assert_eq!(
        session.step().unwrap(),
        None,
        "nothing changed, nothing rebuilt"
    );

    // A new cable, the newest by date, citing an existing one: its own page, its previous
    // neighbour by date and the cited cable's page (cited by) are written, not the archive.
    let cited = manifest
        .cables
        .iter()
        .find(|c| c.id.starts_with("07") && !c.id.contains("ECTION"))
        .expect("a 2007 cable");
    let station_serial = &cited.id[2..];
    let split = station_serial.find(|c: char| c.is_ascii_digit()).unwrap();
    let cites = format!("{} {}", &station_serial[..split], &station_serial[split..]);
    let cites = format!("07 {cites}");
    write_cable_citing(&cables, "new.txt", "99999", &cites);
    let rebuild = session.step().unwrap().expect("a rebuild");
    assert!(!rebuild.full);
    assert!(
        (2..=6).contains(&rebuild.pages),
        "the new page, its neighbour and the cited cable, not {} pages",
        rebuild.pages
    );
    let new_page = session.output().join("cable/2009/12/09PARIS99999.html");
    assert!(new_page.is_file());
    let cited_page =
        std::fs::read_to_string(session.output().join(cited_page_path(cited))).unwrap();
    assert!(
        cited_page.contains("09PARIS99999"),
        "the cited cable lists its new citer"
    );

    // Removing it removes its page, and the cited cable no longer lists it.
    std::fs::remove_file(cables.join("new.txt")).unwrap();
    let rebuild = session.step().unwrap().expect("a rebuild");
    assert_eq!(rebuild.removed, 1);
    assert!(!new_page.exists());
    let cited_page =
        std::fs::read_to_string(session.output().join(cited_page_path(cited))).unwrap();
    assert!(!cited_page.contains("09PARIS99999"));

    // A template change rebuilds everything.
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(dir.path().join("tags.toml"), "XYZ = \"A tag of our own\"\n").unwrap();
    let rebuild = session.step().unwrap().expect("a rebuild");
    assert!(rebuild.full);
}

fn cited_page_path(cable: &archive_dev::generate::GeneratedCable) -> String {
    let (year, month) = (&cable.created[..4], &cable.created[5..7]);
    format!("cable/{year}/{month}/{}.html", cable.id)
}

#[test]
fn an_incremental_rebuild_equals_a_full_build_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let cables = dir.path().join("content/cables");
    generate(&GenConfig::new(400, 11), &cables).unwrap();
    // Small pages, so that a cable more or less moves listing pages; a base URL, so that the
    // sitemap and the feed are written too; search on (the default).
    std::fs::write(
        dir.path().join("site.toml"),
        "base_url = \"https://example.org/cables/\"\npage_size = 7\n",
    )
    .unwrap();
    let config = Config::load(&dir.path().join("site.toml")).unwrap();
    let mut session = Session::start(config.clone()).unwrap();

    // One cable changed, one added (citing an existing one), one removed, seen in one step.
    let files = super::site_util::files_under(&cables);
    let changed = &files[3];
    let text = std::fs::read(changed).unwrap();
    let mut edited = text.clone();
    edited.extend_from_slice(b"\n5. (U) A paragraph added while serving.\n");
    std::fs::write(changed, edited).unwrap();
    write_cable_citing(&cables, "new.txt", "99999", "07 PARIS 1115");
    std::fs::remove_file(&files[10]).unwrap();
    let rebuild = session.step().unwrap().expect("a rebuild");
    assert!(!rebuild.full, "only cables changed: an incremental rebuild");
    assert_eq!(rebuild.removed, 1);

    let mut full = config;
    full.output_dir = dir.path().join("full");
    archive::site::build(
        &full,
        &archive::site::BuildOptions {
            quiet: true,
            verbose: false,
            cache: false,
        },
    )
    .unwrap();
    let served = crate::site_util::tree(session.output());
    let built = crate::site_util::tree(&full.output_dir);
    let only = |a: &std::collections::BTreeMap<String, Vec<u8>>,
                b: &std::collections::BTreeMap<String, Vec<u8>>| {
        a.keys()
            .filter(|k| !b.contains_key(*k))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(only(&served, &built), Vec::<String>::new(), "stale files");
    assert_eq!(only(&built, &served), Vec::<String>::new(), "missing files");
    for (name, bytes) in &built {
        assert!(served[name] == *bytes, "{name} differs from a full build's");
    }
}

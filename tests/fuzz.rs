//! Fuzzing on stable Rust: random and mutated inputs for the parser (and through it the
//! reference and mention parsers, which are private to it) and for the cablegate HTML reader,
//! for a time budget: `ARCHIVE_FUZZ_SECS` (default 6) and `ARCHIVE_FUZZ_SEED` (default fixed,
//! so CI runs are reproducible; set it to explore). CI runs this with the other tests.
//!
//! Inputs: arbitrary bytes; seeds with byte flips, insertions, deletions and duplicated ranges;
//! splices of two seeds; seeds with long `REF:` blocks of every item form (huge numbers,
//! letters, glued identifiers) and `reftel` mentions; Unicode (combining marks, bidi controls,
//! U+2028, NUL, emoji) dropped anywhere; generated cables of random specs, mutated.
//!
//! Checked for every input: no panic; no input of a few KB takes more than a second to parse
//! (a sign of a quadratic step); the model's invariants (problems name the file, dates valid
//! or zero, blocks in order, mentions on char boundaries and in order with valid indices,
//! references and tags not empty); and after linking the cable with a duplicate and a case
//! twin, page paths safe and distinct case-insensitively.
//!
//! A failing input is shrunk and printed as a byte literal, to be pasted into
//! `regressions()` below with the fix.

use archive::cable::{BlockKind, Cable, CableId, Parsed, Severity};
use std::path::Path;
use std::time::{Duration, Instant};

/// Inputs that once failed, kept as regression tests (none found so far by this fuzzer; the
/// entries are the shapes of the two quadratic cases fixed while writing it, shrunk).
fn regressions() -> Vec<Vec<u8>> {
    let mut many_reftels = b"UNCLAS STATE 000001\n\nREF: ".to_vec();
    for k in 0..2000 {
        many_reftels.extend(format!("USNATO {k}\n").as_bytes());
    }
    many_reftels.extend(b"\n1. (U) reftel reftel REF A reftels\n".repeat(200).iter());
    vec![
        // A REF label check sliced a multi-byte character in half.
        b"class=\'cable\'<td></td><td></td><td>SECRET</td><td<pre>REF \x17\x1f\xb6".to_vec(),
        many_reftels,
        b"REF: A. USNATO 99999999999999999999999\n\n1. (C) REF A".to_vec(),
        b"Identifier\nCreated\nClassification\nOrigin\n../../x\n\0\n".to_vec(),
    ]
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn seeds() -> Vec<Vec<u8>> {
    (0..5)
        .map(|k| archive_dev::seed_text(k).into_bytes())
        .collect()
}

const UNICODE: &[&str] = &[
    "\u{301}",
    "\u{202e}",
    "\u{2028}",
    "\u{2029}",
    "\0",
    "\u{feff}",
    "\u{1f600}",
    "\u{a0}",
    "\u{b6}",
    "é",
    "\r",
    "\r\n",
    "\t",
    "\u{85}",
    "\u{ffff}",
    "ẞ",
    "İ",
];

const REF_ITEMS: &[&str] = &[
    "USNATO 263",
    "06 MOSCOW 1234",
    "2006 STATE 55",
    "(99) ROME 2196",
    "07PARIS1111",
    "SECSTATE 999999999999999999999",
    "THE HAGUE 0001",
    "SECDEF R162245Z OCT 08",
    "EMAIL FROM J. SMITH 3/4/07",
    "99999999999999999999 PARIS 1",
    "A) STATE 135205; B) ROME 1",
    "(A) USNATO 1",
    "07 ",
    "REF",
    "",
];

fn mutate(rng: &mut Rng, input: &mut Vec<u8>, seeds: &[Vec<u8>]) {
    let rounds = 1 + rng.below(8);
    for _ in 0..rounds {
        let len = input.len();
        match rng.below(9) {
            0 if len > 0 => {
                let at = rng.below(len);
                input[at] ^= 1 << rng.below(8);
            }
            1 => {
                let at = rng.below(len + 1);
                let n = rng.below(16);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                input.splice(at..at, bytes);
            }
            2 if len > 0 => {
                let a = rng.below(len);
                let b = (a + rng.below(256)).min(len);
                input.drain(a..b);
            }
            3 if len > 0 => {
                let a = rng.below(len);
                let b = (a + rng.below(512)).min(len);
                let copy = input[a..b].to_vec();
                let times = 1 + rng.below(20);
                let at = rng.below(len + 1);
                input.splice(at..at, copy.repeat(times));
            }
            4 => {
                let other = &seeds[rng.below(seeds.len())];
                let cut = rng.below(len + 1);
                let from = rng.below(other.len() + 1);
                input.truncate(cut);
                input.extend_from_slice(&other[from..]);
            }
            5 => {
                let at = line_start(input, rng.below(len + 1));
                let mut block = String::from("REF: ");
                let n = if rng.chance(10) {
                    500
                } else {
                    1 + rng.below(30)
                };
                for k in 0..n {
                    if rng.chance(50) {
                        block.push_str(&format!("{}. ", (b'A' + (k % 26) as u8) as char));
                    }
                    block.push_str(REF_ITEMS[rng.below(REF_ITEMS.len())]);
                    block.push('\n');
                }
                block.push_str("\n1. (C) As reported in reftel, REF A, REFS B AND C, (REF D-F).\n");
                input.splice(at..at, block.into_bytes());
            }
            6 => {
                let at = char_start(input, rng.below(len + 1));
                let s = UNICODE[rng.below(UNICODE.len())].repeat(1 + rng.below(4));
                input.splice(at..at, s.into_bytes());
            }
            7 if len > 0 => {
                let at = line_start(input, rng.below(len));
                let end = input[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(len, |p| at + p + 1);
                let line = input[at..end].to_vec();
                let times = if rng.chance(5) {
                    2000
                } else {
                    1 + rng.below(10)
                };
                input.splice(at..at, line.repeat(times));
            }
            _ => {
                let numbers = [
                    "0",
                    "99999999999999999999",
                    "-1",
                    "4294967296",
                    "2147483648",
                ];
                let at = line_start(input, rng.below(len + 1));
                let n = numbers[rng.below(numbers.len())];
                input.splice(at..at, format!("{n}. ({n}) {n}\n").into_bytes());
            }
        }
    }
}

fn line_start(b: &[u8], at: usize) -> usize {
    b[..at]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |p| p + 1)
}

fn char_start(b: &[u8], mut at: usize) -> usize {
    while at > 0 && at < b.len() && b[at] & 0xc0 == 0x80 {
        at -= 1;
    }
    at
}

fn generated(rng: &mut Rng) -> Vec<u8> {
    use archive::cable::{Classification, DateTime};
    use archive_dev::generate::{render_cable, CableSpec, RefItem};
    let created = DateTime::at_minute(
        1966 + rng.below(45) as u16,
        1 + rng.below(12) as u8,
        1 + rng.below(28) as u8,
        rng.below(24) as u8,
        rng.below(60) as u8,
    );
    let stations = ["PARIS", "USNATO", "THEHAGUE", "STATE", "RIODEJANEIRO", "X"];
    let mut spec = CableSpec::new(
        stations[rng.below(stations.len())],
        rng.below(100_000) as u32,
        created,
    );
    spec.classification = Classification::ALL[rng.below(Classification::ALL.len())];
    spec.layout = if rng.chance(50) {
        archive::cable::Layout::HeaderTable
    } else {
        archive::cable::Layout::RawTelegram
    };
    spec.target_bytes = 500 + rng.below(6000);
    spec.seed = rng.next();
    spec.malformed_id = rng.chance(10);
    spec.glue_tags = rng.chance(10);
    spec.references = (0..rng.below(26))
        .map(|k| {
            if rng.chance(70) {
                RefItem::Cable(format!("{:02}PARIS{}", 7, k + 1))
            } else {
                RefItem::Other(REF_ITEMS[rng.below(REF_ITEMS.len())].to_string())
            }
        })
        .collect();
    render_cable(&spec).into_bytes()
}

/// Parses and checks every invariant; panics on a breach.
fn check(bytes: &[u8]) {
    let path = Path::new("fuzz/x.txt");
    let started = Instant::now();
    let parsed = archive::parse::parse(bytes, path);
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(1) + Duration::from_micros(bytes.len() as u64 * 20),
        "parsing {} bytes took {took:?}",
        bytes.len()
    );
    let cable = match parsed {
        Parsed::NotACable(problems) => {
            assert!(!problems.is_empty());
            assert!(problems
                .iter()
                .all(|p| p.severity == Severity::Error && p.path == path));
            return;
        }
        Parsed::Cable { cable, warnings } => {
            assert!(warnings
                .iter()
                .all(|p| p.severity == Severity::Warning && p.path == path));
            *cable
        }
    };
    assert!(
        cable.created_is_sound(),
        "{:?} at {:?}",
        cable.created,
        cable.precision
    );
    let mut last_line = 0;
    for block in &cable.body {
        assert!(block.line >= 1 && block.line >= last_line);
        last_line = block.line;
        assert_eq!(block.kind == BlockKind::Paragraph, block.number.is_some());
        let mut end = 0;
        for m in &block.mentions {
            assert!(m.start < m.end && m.end <= block.text.len());
            assert!(m.start >= end, "mentions overlap");
            end = m.end;
            assert!(block.text.is_char_boundary(m.start) && block.text.is_char_boundary(m.end));
            assert!(!m.references.is_empty() && m.references.len() <= 256);
            assert!(m.references.iter().all(|&r| r < cable.references.len()));
        }
    }
    assert!(cable.references.iter().all(|r| !r.text.is_empty()));
    assert!(cable.tags.iter().all(|t| !t.is_empty()));
    check_pages(cable);
}

/// Links the cable with a duplicate and a case twin: every page path safe, all distinct.
fn check_pages(cable: Cable) {
    let mut twin = cable.clone();
    twin.id = CableId(cable.id.as_str().to_ascii_lowercase());
    twin.source = "fuzz/twin.txt".into();
    let mut dup = cable.clone();
    dup.source = "fuzz/dup.txt".into();
    let corpus = archive::corpus::link(archive::corpus::Loaded {
        files_read: 3,
        cables: vec![cable, twin, dup],
        ..Default::default()
    });
    let mut seen = std::collections::HashSet::new();
    for c in &corpus.cables {
        let page = &c.page;
        assert!(
            page.starts_with("cable/") && page.ends_with(".html"),
            "{page}"
        );
        assert!(
            page.split('/').all(|part| !part.is_empty()
                && part != ".."
                && part.len() <= 110
                && part
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.'))),
            "unsafe page {page:?}"
        );
        assert!(seen.insert(page.to_ascii_lowercase()), "clash {page}");
    }
}

fn check_html(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    if let Some(t) = archive::sources::html_to_text(&text) {
        check(t.as_bytes());
    }
}

/// Removes chunks of a failing input while it still fails.
fn shrink(mut input: Vec<u8>, fails: impl Fn(&[u8]) -> bool) -> Vec<u8> {
    let mut chunk = input.len() / 2;
    let mut tries = 0;
    while chunk > 0 && tries < 3000 {
        let mut at = 0;
        let mut progress = false;
        while at < input.len() && tries < 3000 {
            tries += 1;
            let mut candidate = input.clone();
            candidate.drain(at..(at + chunk).min(input.len()));
            if fails(&candidate) {
                input = candidate;
                progress = true;
            } else {
                at += chunk;
            }
        }
        if !progress {
            chunk /= 2;
        }
    }
    input
}

fn fails(f: fn(&[u8]), input: &[u8]) -> bool {
    std::panic::catch_unwind(|| f(input)).is_err()
}

#[test]
fn regressions_still_pass() {
    for input in regressions() {
        check(&input);
    }
}

#[test]
fn fuzz_the_parser_for_a_time_budget() {
    let secs: u64 = std::env::var("ARCHIVE_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(6);
    let seed: u64 = std::env::var("ARCHIVE_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_cab1e);
    let seeds = seeds();
    let html_seed = {
        let mut h = String::from("<html><table class='cable'><tr><td>07PARIS1</td><td>2007-03-22 13:25</td><td>2011-01-01</td><td>SECRET</td><td>Embassy Paris</td></tr></table><h3>Viewing cable 07PARIS1, SUBJECT &amp; &lt;x&gt;</h3><a href='/tag/PREL_0.html'>PREL</a><pre>");
        h.push_str(&archive_dev::seed_text(4));
        h.push_str("</pre></html>");
        h.into_bytes()
    };
    let mut rng = Rng(seed | 1);
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut runs = 0u64;
    let mut total_bytes = 0u64;
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut failure = None;
    while Instant::now() < deadline {
        let (target, input): (fn(&[u8]), Vec<u8>) = match rng.below(10) {
            0 => (
                check,
                (0..rng.below(4096)).map(|_| rng.next() as u8).collect(),
            ),
            1 => {
                let mut h = html_seed.clone();
                mutate(&mut rng, &mut h, &seeds);
                (check_html, h)
            }
            2 | 3 => {
                let mut g = generated(&mut rng);
                mutate(&mut rng, &mut g, &seeds);
                (check, g)
            }
            _ => {
                let mut s = seeds[rng.below(seeds.len())].clone();
                mutate(&mut rng, &mut s, &seeds);
                (check, s)
            }
        };
        runs += 1;
        total_bytes += input.len() as u64;
        if fails(target, &input) {
            failure = Some((target, input));
            break;
        }
    }
    std::panic::set_hook(previous_hook);
    eprintln!(
        "fuzz: {runs} inputs, {:.1} MB, seed {seed}, {secs} s",
        total_bytes as f64 / 1e6
    );
    if let Some((target, input)) = failure {
        std::panic::set_hook(Box::new(|_| {}));
        let small = shrink(input, |i| fails(target, i));
        let _ = std::panic::take_hook();
        // Run it once more, unguarded, to show the panic message, after the literal.
        eprintln!(
            "failing input ({} bytes), add to regressions():\nb\"{}\".to_vec(),",
            small.len(),
            small.escape_ascii()
        );
        target(&small);
        panic!("the shrunk input no longer fails on its own");
    }
    assert!(runs > 100, "only {runs} inputs in {secs} s");
}

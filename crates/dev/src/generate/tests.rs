//! Tests of the generator: determinism, proportions, citations, forms, sizes, and a small
//! independent reader that checks every rendered text against its manifest entry by the rules of
//! `CABLES.md` (what a correct parser must find is what the manifest says).

use super::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::OnceLock;

const SEED: u64 = 20_100_228;

/// A 20,000-cable plan and its manifest entries, without text (cheap: no bodies).
fn corpus20k() -> &'static (plan::Plan, Vec<GeneratedCable>) {
    static C: OnceLock<(plan::Plan, Vec<GeneratedCable>)> = OnceLock::new();
    C.get_or_init(|| {
        let config = GenConfig::new(20_000, SEED);
        let plan = plan::build(&config);
        let cables = (0..config.count)
            .into_par_iter()
            .map(|i| spec_for(&plan, i).expected())
            .collect();
        (plan, cables)
    })
}

/// Fully rendered cables, in memory: (manifest entry, text).
fn rendered() -> &'static Vec<(GeneratedCable, String)> {
    &rendered_specs().1
}

/// Specs, and their manifest entries with texts.
type Rendered = (Vec<CableSpec>, Vec<(GeneratedCable, String)>);

/// The first 3,000 cables of [`corpus20k`]: their specs and (manifest entry, text).
fn rendered_specs() -> &'static Rendered {
    static R: OnceLock<Rendered> = OnceLock::new();
    R.get_or_init(|| {
        let (plan, _) = corpus20k();
        let specs: Vec<CableSpec> = (0..3_000).map(|i| spec_for(plan, i)).collect();
        let texts = specs
            .par_iter()
            .map(|spec| {
                let text = render_cable(spec);
                let mut c = spec.expected();
                c.bytes = text.len();
                (c, text)
            })
            .collect();
        (specs, texts)
    })
}

// ---- the parser, held to the manifest ----

/// Parses `text` with the archive's parser and compares every fact with the manifest entry:
/// the names of the facts it gets wrong, with what it found.
fn parser_disagrees(c: &GeneratedCable, text: &str) -> Vec<(&'static str, String)> {
    use archive_cable::model::Parsed;
    use archive_cable::parse::parse;
    // Named as `generate` names it: by the identifier when the text gives no date.
    let name = if c.precision == Precision::Year {
        PathBuf::from(format!("{}.txt", c.id))
    } else {
        PathBuf::from("000001_0123456789abcdef.txt")
    };
    let cable = match parse(text.as_bytes(), &name) {
        Parsed::Cable { cable, .. } => cable,
        Parsed::NotACable(p) => return vec![("a cable", format!("{p:?}"))],
    };
    let mut wrong = Vec::new();
    let mut fact = |what: &'static str, ok: bool, got: String| {
        if !ok {
            wrong.push((what, got));
        }
    };
    fact("id", cable.id.as_str() == c.id, cable.id.to_string());
    fact(
        "created",
        cable.created.iso() == c.created,
        cable.created.iso(),
    );
    fact(
        "precision",
        cable.precision == c.precision,
        format!("{:?}", cable.precision),
    );
    fact(
        "classification",
        cable.classification.label() == c.classification,
        cable.classification.label(),
    );
    fact("origin", cable.origin == c.origin, cable.origin.clone());
    fact("subject", cable.subject == c.subject, cable.subject.clone());
    fact("tags", cable.tags == c.tags, format!("{:?}", cable.tags));
    let cited: Vec<&str> = cable
        .references
        .iter()
        .filter_map(|r| r.id.as_ref().map(|id| id.as_str()))
        .collect();
    let others = cable.references.iter().filter(|r| r.id.is_none()).count();
    fact(
        "references",
        cited == c.references,
        format!("{cited:?} vs {:?}", c.references),
    );
    fact(
        "non-cable references",
        others == c.non_cable_refs,
        format!(
            "{others} vs {}: {:?}",
            c.non_cable_refs,
            cable
                .references
                .iter()
                .filter(|r| r.id.is_none())
                .map(|r| r.text.as_str())
                .collect::<Vec<_>>()
        ),
    );
    fact(
        "signer",
        cable.signer == c.signer,
        format!("{:?} vs {:?}", cable.signer, c.signer),
    );
    fact(
        "layout",
        cable.layout == c.layout,
        format!("{:?}", cable.layout),
    );
    wrong
}

// ---- an independent reader ----

fn month_number(mon: &str) -> Option<u32> {
    render::MON
        .iter()
        .position(|m| *m == mon)
        .map(|i| i as u32 + 1)
}

fn is_item_start(line: &str) -> bool {
    let b = line.as_bytes();
    b.len() > 3 && (b'A'..=b'E').contains(&b[0]) && (b[1] == b'.' || b[1] == b')') && b[2] == b' '
}

/// A `REF:` item to a cable identifier by the documented rules, or `None` if it is not a cable.
fn ref_item_id(item: &str, citing_yy: u32) -> Option<String> {
    let toks: Vec<&str> = item.split_whitespace().collect();
    if toks.len() < 2 {
        return None;
    }
    let serial: u32 = toks.last()?.parse().ok()?;
    let (yy, names) = {
        let first = toks[0];
        let inner = first.trim_start_matches('(').trim_end_matches(')');
        if inner.bytes().all(|b| b.is_ascii_digit()) && (inner.len() == 2 || inner.len() == 4) {
            let y: u32 = inner.parse().ok()?;
            (y % 100, &toks[1..toks.len() - 1])
        } else {
            (citing_yy, &toks[..toks.len() - 1])
        }
    };
    if names.is_empty()
        || !names
            .iter()
            .all(|w| w.bytes().all(|b| b.is_ascii_uppercase()))
    {
        return None;
    }
    let mut station = names.concat();
    if station == "SECSTATE" {
        station = "STATE".to_string();
    }
    Some(format!("{yy:02}{station}{serial}"))
}

/// Reads `text` as a parser should and compares it with `c`.
fn check(c: &GeneratedCable, text: &str) -> Result<(), String> {
    let d = data();
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches("  ")).collect();
    let layout1 = text.starts_with("Identifier\nCreated\nClassification\nOrigin\n");
    if layout1 != (c.layout == Layout::HeaderTable) {
        return Err("layout".into());
    }
    let mut title = None;
    if layout1 {
        if lines[4] != c.id {
            return Err(format!("table id {}", lines[4]));
        }
        let created = format!("{}:00", &c.created[..16].replace('T', " "));
        if lines[5] != created {
            return Err(format!("table created {} vs {created}", lines[5]));
        }
        if lines[6] != c.classification || lines[7] != c.origin {
            return Err("table classification/origin".into());
        }
        if lines[8] != "Cable title:\u{a0}\u{a0}" || !lines[9].is_empty() || !lines[11].is_empty() {
            return Err("cable title lines".into());
        }
        title = Some(lines[10]);
        let tags: Vec<&str> = lines[12]
            .strip_prefix("Tags:")
            .ok_or("tags line")?
            .split('\u{a0}')
            .filter(|t| !t.is_empty())
            .collect();
        if tags != c.tags {
            return Err(format!("table tags {tags:?}"));
        }
        if lines[13] != "pdf\u{a0}how-to read a cable" {
            return Err("pdf line".into());
        }
    }

    // Date-time group and DE line.
    let dtg = lines
        .iter()
        .find(|l| {
            let b = l.as_bytes();
            l.len() == 16 && b"OPRZ".contains(&b[0]) && b[1] == b' ' && b[8] == b'Z'
        })
        .ok_or("no DTG")?;
    let day: u32 = dtg[2..4].parse().map_err(|_| "dtg day")?;
    let hhmm = &dtg[4..8];
    let month = month_number(&dtg[10..13]).ok_or("dtg month")?;
    let yy: u32 = dtg[14..16].parse().map_err(|_| "dtg year")?;
    let iso = format!(
        "{}-{month:02}-{day:02}T{}:{}:00Z",
        if yy >= 66 { 1900 + yy } else { 2000 + yy },
        &hhmm[..2],
        &hhmm[2..]
    );
    if iso != c.created {
        return Err(format!("DTG {dtg} vs {}", c.created));
    }
    let de_at = lines
        .iter()
        .position(|l| l.starts_with("DE R"))
        .ok_or("no DE")?;
    if !lines[de_at].ends_with(hhmm) {
        return Err(format!("DE time {}", lines[de_at]));
    }
    // The routing FM line (a title or subject line may start with "FM " too).
    let fm = lines[de_at..]
        .iter()
        .find_map(|l| l.strip_prefix("FM "))
        .ok_or("no FM")?;
    let origin = d
        .stations
        .iter()
        .find(|s| s.fm == fm)
        .map(|s| s.display.clone())
        .ok_or(format!("unknown FM {fm}"))?;
    if origin != c.origin {
        return Err(format!("FM {fm} gives {origin}"));
    }

    // Classification line and caveat.
    let ci = lines
        .iter()
        .position(|l| {
            l.starts_with("UNCLAS ") || l.starts_with("C O N F") || l.starts_with("S E C R E T")
        })
        .ok_or("no classification line")?;
    let cl = lines[ci].trim_end();
    let (level, rest) = if let Some(r) = cl.strip_prefix("UNCLAS ") {
        ("UNCLASSIFIED", r)
    } else if let Some(r) = cl.strip_prefix("C O N F I D E N T I A L ") {
        ("CONFIDENTIAL", r)
    } else {
        (
            "SECRET",
            cl.strip_prefix("S E C R E T ").ok_or("class line")?,
        )
    };
    let zny = match level {
        "UNCLASSIFIED" => "ZNR UUUUU ZZH",
        "CONFIDENTIAL" => "ZNY CCCCC ZZH",
        _ => "ZNY SSSSS ZZH",
    };
    if !lines.contains(&zny) {
        return Err(format!("no {zny}"));
    }
    let (section, rest) = match rest.strip_prefix("SECTION 01 OF ") {
        Some(r) => (Some(&r[..2]), &r[3..]),
        None => (None, rest),
    };
    let (written, serial6) = rest.rsplit_once(' ').ok_or("class line serial")?;
    if serial6.len() != 6 {
        return Err(format!("serial {serial6}"));
    }
    let serial: u32 = serial6.parse().map_err(|_| "serial digits")?;
    let station = written.replace(' ', "");
    let id = format!("{yy:02}{station}{serial}");
    if c.id.contains("ECTION") {
        let want = format!(
            "{yy:02}ECTION01OF{}{station}{serial}",
            section.ok_or("section")?
        );
        if c.id != want {
            return Err(format!("malformed id {} vs {want}", c.id));
        }
    } else if id != c.id {
        return Err(format!("id from text {id}"));
    }
    let eo = ci
        + lines[ci..]
            .iter()
            .position(|l| l.starts_with("E.O."))
            .ok_or("no E.O.")?;
    let markers = &lines[ci + 1..eo];
    let caveat = if markers.contains(&"NOFORN") {
        "//NOFORN"
    } else if markers.contains(&"SENSITIVE BUT UNCLASSIFIED")
        || markers.contains(&"FOR OFFICIAL USE ONLY")
    {
        "//FOR OFFICIAL USE ONLY"
    } else {
        ""
    };
    if format!("{level}{caveat}") != c.classification {
        return Err(format!("classification {level}{caveat}"));
    }

    // Header fields of the first copy: until the first body paragraph or the second copy.
    let end = lines[eo..]
        .iter()
        .position(|l| *l == cl || l.starts_with("1. ") || l.contains("1. ("))
        .map_or(lines.len(), |p| eo + p);
    let fields = &lines[eo..end];
    let tags: Vec<String> = match fields.iter().find_map(|l| l.strip_prefix("TAGS: ")) {
        None => Vec::new(),
        Some(t) => t
            .replace("](#)", " ")
            .replace(['[', ','], " ")
            .split_whitespace()
            .flat_map(|t| {
                if t.len() == 8 && !c.tags.iter().any(|x| x == t) {
                    vec![t[..4].to_string(), t[4..].to_string()]
                } else {
                    vec![t.to_string()]
                }
            })
            .collect(),
    };
    if tags != c.tags {
        return Err(format!("tags {tags:?} vs {:?}", c.tags));
    }
    let subject = match fields.iter().position(|l| l.starts_with("SUBJECT: ")) {
        None => title.filter(|_| layout1).unwrap_or("").to_string(),
        Some(p) => {
            let mut parts = vec![fields[p]["SUBJECT: ".len()..].to_string()];
            parts.extend(
                fields[p + 1..]
                    .iter()
                    .take_while(|l| !l.is_empty())
                    .map(|l| l.to_string()),
            );
            if let Some(t) = title {
                if t != parts[0] {
                    return Err(format!("title {t:?} is not the subject's first line"));
                }
            }
            join_subject(&parts)
        }
    };
    if subject != c.subject {
        return Err(format!("subject {subject:?} vs {:?}", c.subject));
    }
    let mut refs = Vec::new();
    let mut others = 0;
    if let Some(p) = fields.iter().position(|l| l.starts_with("REF: ")) {
        let mut items: Vec<String> = Vec::new();
        let first = &fields[p]["REF: ".len()..];
        if first.starts_with("A) ") && first.contains("; B) ") {
            items.extend(first.split("; ").map(|i| i[3..].to_string()));
        } else {
            let strip = |l: &str| -> String {
                let l = l.trim_start_matches("[1](#)");
                if is_item_start(l) {
                    l[3..].to_string()
                } else {
                    l.to_string()
                }
            };
            items.push(strip(first));
            for l in &fields[p + 1..] {
                let l2 = l.trim_start_matches("[1](#)");
                if l.is_empty() {
                    continue;
                }
                if !is_item_start(l2) {
                    break;
                }
                items.push(strip(l));
            }
        }
        for item in items {
            match ref_item_id(&item, yy) {
                Some(id) => refs.push(id),
                None => others += 1,
            }
        }
    }
    if refs != c.references || others != c.non_cable_refs {
        return Err(format!(
            "refs {refs:?} +{others} vs {:?} +{}",
            c.references, c.non_cable_refs
        ));
    }

    // Signature: the last line, no newline after it.
    let last = *lines.last().ok_or("empty")?;
    if text.ends_with('\n')
        || last.is_empty()
        || !last.bytes().all(|b| b.is_ascii_uppercase())
        || c.signer.as_deref() != Some(last)
    {
        return Err(format!("signature {last:?} vs {:?}", c.signer));
    }
    // Page-break lines (`USNATO 00000577 002 OF 003`) name this cable.
    for l in &lines {
        let t: Vec<&str> = l.split(' ').collect();
        let n = t.len();
        let is_break = n >= 5
            && t[n - 2] == "OF"
            && t[n - 4].len() == 8
            && [t[n - 4], t[n - 3], t[n - 1]]
                .iter()
                .all(|x| x.bytes().all(|b| b.is_ascii_digit()));
        if is_break && (t[..n - 4].join(" ") != written || t[n - 4] != format!("{serial:08}")) {
            return Err(format!("page break {l:?}"));
        }
    }
    Ok(())
}

// ---- tests ----

#[test]
fn same_seed_same_bytes_whatever_the_threads() {
    let config = GenConfig {
        files_per_dir: 40,
        ..GenConfig::new(120, 7)
    };
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let ma = generate(&config, a.path()).unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let mb = pool.install(|| generate(&config, b.path())).unwrap();
    assert_eq!(ma.cables, mb.cables);
    assert_eq!(ma.total_bytes, mb.total_bytes);
    assert_eq!(ma.cables.len(), 120);
    for c in &ma.cables {
        assert_eq!(c.path.components().count(), 2, "{:?}", c.path);
        let x = std::fs::read(a.path().join(&c.path)).unwrap();
        let y = std::fs::read(b.path().join(&c.path)).unwrap();
        assert_eq!(x.len(), c.bytes);
        assert!(x == y, "{:?} differs", c.path);
    }
    let dirs = std::fs::read_dir(a.path()).unwrap().count();
    assert_eq!(dirs, 3);

    // Another seed: other cables.
    let other = GenConfig { seed: 8, ..config };
    let texts = |cfg: &GenConfig| {
        let out = std::sync::Mutex::new(Vec::new());
        generate_with(cfg, |c, t| {
            out.lock().unwrap().push((c.path.clone(), t.to_string()));
            Ok(())
        })
        .unwrap();
        let mut v = out.into_inner().unwrap();
        v.sort();
        v
    };
    let t7 = texts(&config);
    let t8 = texts(&other);
    assert_eq!(t7.len(), t8.len());
    let same = t7.iter().zip(&t8).filter(|(x, y)| x.1 == y.1).count();
    assert_eq!(same, 0);
    // And generate_with gives the files' bytes.
    for (path, text) in &t7 {
        assert_eq!(std::fs::read_to_string(a.path().join(path)).unwrap(), *text);
    }
}

#[test]
fn hand_made_cables_render_as_specified() {
    let created = DateTime::at_minute(2007, 3, 22, 13, 25);
    let mut spec = CableSpec::new("PARIS", 1115, created);
    spec.subject = Some(
        "GENERAL OBERING'S MARCH 16 MISSILE DEFENSE DISCUSSIONS IN PARIS (CORRECTED COPY)"
            .to_string(),
    );
    spec.tags = ["MARR", "MNUC", "PARM", "FR"].map(String::from).to_vec();
    spec.references = vec![
        RefItem::Cable("07PARIS1111".into()),
        RefItem::Cable("06THEHAGUE12".into()),
        RefItem::Other("EMAIL FROM J. SMITH 3/4/07".into()),
    ];
    for layout in [Layout::HeaderTable, Layout::RawTelegram] {
        for seed in 0..30 {
            spec.layout = layout;
            spec.seed = seed;
            spec.target_bytes = 2_000 + 700 * seed as usize;
            let text = render_cable(&spec);
            assert_eq!(text, render_cable(&spec));
            let expected = spec.expected();
            assert_eq!(expected.id, "07PARIS1115");
            assert_eq!(expected.created, "2007-03-22T13:25:00Z");
            assert_eq!(expected.origin, "Embassy Paris");
            assert_eq!(expected.references, ["07PARIS1111", "06THEHAGUE12"]);
            assert_eq!(expected.non_cable_refs, 1);
            check(&expected, &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
            assert!(text.contains("DE RUEHFR #1115/01 0811325"), "{text}");
            assert!(text.contains("O 221325Z MAR 07") || text.contains(" 221325Z MAR 07"));
            assert!(text.contains("PARIS 001115"));
        }
    }
    // Layout 1 shows the seeds' header table.
    spec.layout = Layout::HeaderTable;
    let text = render_cable(&spec);
    assert!(text.starts_with(
        "Identifier\nCreated\nClassification\nOrigin\n07PARIS1115\n2007-03-22 13:25:00\n\
         CONFIDENTIAL\nEmbassy Paris\nCable title:\u{a0}\u{a0}\n\n\
         GENERAL OBERING'S MARCH 16 MISSILE DEFENSE\n\n\
         Tags:\u{a0}\u{a0}MARR\u{a0}MNUC\u{a0}PARM\u{a0}FR\u{a0}\npdf\u{a0}how-to read a cable\n"
    ));
    // A malformed identifier.
    spec.malformed_id = true;
    spec.station = "MANAMA".into();
    spec.serial = 492;
    spec.created.year = 2008;
    spec.references.clear();
    spec.target_bytes = 6_000;
    let text = render_cable(&spec);
    assert_eq!(spec.id(), "08ECTION01OF02MANAMA492");
    assert!(text.contains("\n08ECTION01OF02MANAMA492\n"));
    assert!(text.contains("SECTION 01 OF 02 MANAMA 000492"));
    check(&spec.expected(), &text).unwrap();
}

#[test]
fn signatures_and_ref_variants_render_as_real_cables_write_them() {
    // Each form by hand, in both layouts and over many seeds: the text has the form's shape
    // and the parser finds what the manifest says (signer and references included).
    let created = DateTime::at_minute(2007, 3, 22, 13, 25);
    let base = {
        let mut spec = CableSpec::new("PARIS", 1115, created);
        spec.references = vec![
            RefItem::Cable("07STATE29761".into()),
            RefItem::Cable("03RANGOON1427".into()),
            RefItem::Cable("07PARIS1111".into()),
        ];
        spec
    };
    let signed = [
        (SignForm::Standard, Some("STAPLETON")),
        (SignForm::RunOn, Some("MORIARTY")),
        (SignForm::EndText, Some("HEFFERN")),
        (SignForm::Titled, Some("GRIFFITHS")),
        (SignForm::Titled, Some("Griffiths")),
        (SignForm::Capitalised, Some("McMullen")),
        (SignForm::Suffix, Some("TIMKEN JR")),
        (SignForm::Particle, Some("van Voorst")),
        (SignForm::Particle, Some("VAN VOORST")),
        (SignForm::Unsigned, None),
    ];
    let variants = [
        RefVariant::Standard,
        RefVariant::LoneLabel,
        RefVariant::AndPrevious,
        RefVariant::DoubledDots,
    ];
    let mut run_on = 0;
    for layout in [Layout::HeaderTable, Layout::RawTelegram] {
        for seed in 0..40u64 {
            let (form, name) = signed[seed as usize % signed.len()];
            let mut spec = base.clone();
            spec.layout = layout;
            spec.seed = seed;
            spec.target_bytes = 1_500 + 400 * seed as usize;
            spec.forms.signature = form;
            spec.signer = name.map(String::from);
            spec.forms.refs = variants[seed as usize / signed.len() % variants.len()];
            let text = render_cable(&spec);
            assert_eq!(text, render_cable(&spec));
            let c = spec.expected();
            assert_eq!(c.signer.as_deref(), name);
            assert_eq!(
                c.references,
                ["07STATE29761", "03RANGOON1427", "07PARIS1111"]
            );
            let wrong = parser_disagrees(&c, &text);
            assert!(
                wrong.is_empty(),
                "{form:?} {:?}: {wrong:?}\n{text}",
                spec.forms.refs
            );
            let last = text.lines().last().unwrap();
            match form {
                SignForm::RunOn if last.len() > 12 => {
                    assert!(last.ends_with(". MORIARTY"), "{last:?}");
                    run_on += 1;
                }
                SignForm::EndText => assert_eq!(last, "END TEXT HEFFERN"),
                SignForm::Titled => assert_eq!(last, format!("CDA {}", name.unwrap())),
                SignForm::Unsigned => assert!(last.ends_with('.') && !text.contains("STAPLETON")),
                _ if form != SignForm::RunOn => assert_eq!(Some(last), name),
                _ => {}
            }
            let head = &text[..text.find("\nREF: ").expect("a REF block") + 40];
            match spec.forms.refs {
                RefVariant::LoneLabel => assert!(head.contains("REF: A) ") && head.contains("; ")),
                RefVariant::AndPrevious => {
                    assert!(text.contains(" AND PREVIOUS 03 "), "{head}")
                }
                RefVariant::DoubledDots => assert!(head.contains("REF: A. A. "), "{head}"),
                RefVariant::Standard => {}
            }
        }
    }
    assert!(run_on >= 3, "{run_on}");
    // Tags and subject run into a sentence-case `E.o.` line (04ANKARA348).
    for layout in [Layout::HeaderTable, Layout::RawTelegram] {
        let mut spec = base.clone();
        spec.layout = layout;
        spec.forms.tags = TagsForm::EoRunOn;
        spec.subject = Some("turkish p.m. goes to washington: how strong a leader?".into());
        let text = render_cable(&spec);
        // Layout 1 wraps the line at the telegram's width.
        let flat = text.replace('\n', " ");
        assert!(
            flat.contains(" E.o. 12958: decl: 03/22/2017 Tags: prel, pgov Subject: turkish p.m.")
                || flat.contains(" E.o. 12958: decl: 03/22/2017 Tags: prel pgov Subject: "),
            "{text}"
        );
        assert!(!text.contains("\nSUBJECT:") && !text.contains("\nTAGS"));
        let c = spec.expected();
        assert_eq!(c.tags, ["PREL", "PGOV"]);
        let wrong = parser_disagrees(&c, &text);
        assert!(wrong.is_empty(), "{wrong:?}\n{text}");
    }
    // In the corpus most run-on signatures find a finished sentence to run onto.
    let (specs, r) = rendered_specs();
    let (mut on, mut apart) = (0, 0);
    for (spec, (c, text)) in specs.iter().zip(r) {
        if spec.forms.signature == SignForm::RunOn && c.signer.is_some() {
            let last = text.lines().last().unwrap_or("");
            if Some(last) == c.signer.as_deref() {
                apart += 1;
            } else {
                assert!(last.ends_with(&format!(". {}", c.signer.as_deref().unwrap())));
                on += 1;
            }
        }
    }
    eprintln!("run-on signatures: {on} run on, {apart} on their own line");
    assert!(on > 2 * apart && on > 30, "{on} run on, {apart} apart");
    assert_eq!(capitalised("MCMULLEN"), "McMullen");
    assert_eq!(capitalised("BAXTER"), "Baxter");
}

#[test]
fn classification_proportions_match_the_collection() {
    let (_, cables) = corpus20k();
    let n = cables.len() as f64;
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for c in cables {
        *counts.entry(c.classification.as_str()).or_default() += 1;
    }
    for (label, real) in plan::LABELS {
        let want = f64::from(real) / 251_287.0;
        let got = counts.get(label.label().as_str()).copied().unwrap_or(0) as f64 / n;
        assert!(
            (got - want).abs() < 0.1 * want + 0.002,
            "{}: {got:.4} vs {want:.4}",
            label.label()
        );
    }
    let unclassified = cables
        .iter()
        .filter(|c| c.classification.starts_with("UNCLASSIFIED"))
        .count() as f64
        / n;
    let secret = cables
        .iter()
        .filter(|c| c.classification.starts_with("SECRET"))
        .count() as f64
        / n;
    assert!((0.51..0.555).contains(&unclassified), "{unclassified}");
    assert!((0.055..0.072).contains(&secret), "{secret}");
}

#[test]
fn about_seventy_percent_of_citations_resolve_to_earlier_cables() {
    let (_, cables) = corpus20k();
    let manifest = Manifest {
        cables: cables.clone(),
        total_bytes: 0,
    };
    let f = manifest.resolvable_fraction();
    assert!((0.66..0.74).contains(&f), "{f}");
    let with_refs = cables
        .iter()
        .filter(|c| !c.references.is_empty() || c.non_cable_refs > 0)
        .count() as f64
        / cables.len() as f64;
    assert!((0.37..0.43).contains(&with_refs), "{with_refs}");
    let (plan, _) = corpus20k();
    let by_id: HashMap<&str, usize> = cables
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    assert_eq!(by_id.len(), cables.len(), "identifiers are unique");
    let mut others = 0;
    for c in cables {
        let n = c.references.len() + c.non_cable_refs;
        assert!(n <= 5);
        others += c.non_cable_refs;
        let mut seen = HashSet::new();
        for r in &c.references {
            assert!(seen.insert(r), "{} cites {r} twice", c.id);
            assert!(split_id(r).is_some(), "{r}");
            if let Some(&j) = by_id.get(r.as_str()) {
                // The plan's times: a manifest gives only what the text says (a year, a day).
                let i = by_id[c.id.as_str()];
                let t = &cables[j];
                assert!(
                    plan.entries[j].created < plan.entries[i].created,
                    "{} cites later {}",
                    c.id,
                    t.id
                );
                assert!(!t.id.contains("ECTION"));
            }
        }
    }
    assert!(others > 100);
}

#[test]
fn layouts_stations_years_and_quirks() {
    let (plan, cables) = corpus20k();
    let n = cables.len();
    let l1 = cables
        .iter()
        .filter(|c| c.layout == Layout::HeaderTable)
        .count();
    assert!((9_500..10_500).contains(&l1), "{l1}");
    let malformed: Vec<&str> = cables
        .iter()
        .filter(|c| c.id.contains("ECTION"))
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(malformed.len(), 2, "{malformed:?}");
    assert!(cables
        .iter()
        .filter(|c| c.id.contains("ECTION"))
        .all(|c| c.layout == Layout::HeaderTable));
    let few = plan::build(&GenConfig::new(2_000, 3));
    assert_eq!(few.entries.iter().filter(|e| e.malformed).count(), 1);
    let none = plan::build(&GenConfig::new(1_999, 3));
    assert_eq!(none.entries.iter().filter(|e| e.malformed).count(), 0);

    let no_subject = cables.iter().filter(|c| c.subject.is_empty()).count();
    let no_tags = cables.iter().filter(|c| c.tags.is_empty()).count();
    assert!(no_subject > 20 && no_subject < 100, "{no_subject}");
    // Plus the text dumps that are only their five lines (about 0.45 %).
    assert!(no_tags > 50 && no_tags < 320, "{no_tags}");
    assert!(cables
        .iter()
        .all(|c| c.tags.is_empty() || (2..=6).contains(&c.tags.len())));

    let stations: HashSet<u16> = plan.entries.iter().map(|e| e.station).collect();
    assert!(stations.len() > 300, "{}", stations.len());
    let mut per_station: HashMap<&str, usize> = HashMap::new();
    for c in cables {
        *per_station.entry(c.origin.as_str()).or_default() += 1;
    }
    let mut busiest: Vec<(&str, usize)> = per_station.into_iter().collect();
    busiest.sort_by_key(|x| std::cmp::Reverse(x.1));
    let top: Vec<&str> = busiest[..3].iter().map(|x| x.0).collect();
    assert!(top.contains(&"Secretary of State"), "{top:?}");
    assert!(busiest[0].1 < n / 20, "{busiest:?}");

    let recent = plan
        .entries
        .iter()
        .filter(|e| (2004..=2010).contains(&e.created.year))
        .count();
    assert!(recent as f64 > 0.9 * n as f64);
    assert!(plan.entries.iter().any(|e| e.created.year < 1990));
    assert!(plan
        .entries
        .iter()
        .all(|e| (1966..=2010).contains(&e.created.year) && e.created.is_valid()));
    assert!(plan
        .entries
        .iter()
        .filter(|e| e.created.year == 2010)
        .all(|e| e.created.month <= 2));
}

#[test]
fn every_reference_form_appears_in_20k() {
    let (plan, cables) = corpus20k();
    // Headers alone are the same bytes as the files' beginnings.
    for i in 0..40 {
        let spec = spec_for(plan, i);
        let mut head = String::new();
        render::render_head(&spec, &mut head);
        assert!(render_cable(&spec).starts_with(&head));
    }
    let blocks: Vec<(Layout, String)> = (0..cables.len())
        .into_par_iter()
        .filter(|&i| !cables[i].references.is_empty() || cables[i].non_cable_refs > 0)
        .map(|i| spec_for(plan, i))
        // The seeds' forms of the block (the wild ones: the test of real-world forms).
        .filter(|spec| !spec.forms.wild_refs)
        .map(|spec| {
            let mut head = String::new();
            render::render_head(&spec, &mut head);
            let start = head.find("\nREF: ").expect("REF block") + 1;
            let end = head[start..]
                .find("\n\nClassified By")
                .or_else(|| head[start..].find("\n\n("))
                .or_else(|| head[start..].find("\n\nC O N F"))
                .or_else(|| head[start..].find("\n\nS E C"))
                .or_else(|| head[start..].find("\n\nUNCLAS"))
                .map_or(head.len(), |e| start + e);
            (spec.layout, head[start..end].to_string())
        })
        .collect();
    let any = |f: &dyn Fn(&str) -> bool| blocks.iter().any(|(_, b)| f(b));
    let lines_of = |b: &str| {
        b.lines()
            .map(|l| l.trim_end().to_string())
            .collect::<Vec<_>>()
    };
    let forms: Vec<(&str, bool)> = vec![
        (
            "REF: PARIS 1111 (single, no year)",
            any(&|b| {
                let l = lines_of(b);
                l.len() == 1
                    && l[0]
                        .strip_prefix("REF: ")
                        .map(|r| {
                            let t: Vec<&str> = r.split(' ').collect();
                            t.len() == 2
                                && t[0].bytes().all(|c| c.is_ascii_uppercase())
                                && t[1].bytes().all(|c| c.is_ascii_digit())
                        })
                        .unwrap_or(false)
            }),
        ),
        (
            "lettered on following lines",
            any(&|b| b.starts_with("REF: A. ") && b.contains("\nB. ")),
        ),
        (
            "blank lines between items",
            any(&|b| b.contains("\n\nB. ") || b.contains("\n\n[1](#)B. ")),
        ),
        ("[1](#) before an item", any(&|b| b.contains("[1](#)B. "))),
        (
            "A) X; B) Y on one line",
            any(&|b| b.contains("REF: A) ") && b.contains("; B) ")),
        ),
        ("A) lettered lines", any(&|b| b.contains("\nB) "))),
        (
            "two-digit year",
            any(&|b| {
                b.lines().any(|l| {
                    let r = l.trim_start_matches("REF: ").trim_start_matches("[1](#)");
                    is_item_start(r)
                        && r[3..5].bytes().all(|c| c.is_ascii_digit())
                        && r.as_bytes().get(5) == Some(&b' ')
                })
            }),
        ),
        (
            "four-digit year",
            any(&|b| b.contains(". 2006 ") || b.contains(". 2007 ") || b.contains(". 2008 ")),
        ),
        (
            "(99) parenthesised year",
            any(&|b| b.contains(" (9") || b.contains(" (0")),
        ),
        ("SECSTATE", any(&|b| b.contains("SECSTATE "))),
        ("THE HAGUE", any(&|b| b.contains("THE HAGUE "))),
        ("RIO DE JANEIRO", any(&|b| b.contains("RIO DE JANEIRO "))),
        (
            "zero-padded serial",
            any(&|b| {
                b.split_whitespace().any(|t| {
                    t.len() == 6 && t.starts_with('0') && t.bytes().all(|c| c.is_ascii_digit())
                })
            }),
        ),
        ("e-mail", any(&|b| b.contains("EMAIL FROM "))),
        (
            "date-time group",
            any(&|b| b.contains("SECDEF R") || b.contains("SECDEF P") || b.contains("SECDEF O")),
        ),
        ("memcon", any(&|b| b.contains("MEMCON OF "))),
        (
            "up to five items",
            any(&|b| b.contains("E. ") || b.contains("E) ")),
        ),
    ];
    let missing: Vec<&str> = forms.iter().filter(|f| !f.1).map(|f| f.0).collect();
    assert!(missing.is_empty(), "missing forms: {missing:?}");
    assert!(blocks.iter().any(|(l, _)| *l == Layout::HeaderTable));
    assert!(blocks.iter().any(|(l, _)| *l == Layout::RawTelegram));
}

#[test]
fn sizes_have_a_long_tail() {
    let (specs, r) = rendered_specs();
    let mut sizes: Vec<usize> = r.iter().map(|(_, t)| t.len()).collect();
    // A text dump that is only its five lines is small, as real ones are.
    let full = |(s, (_, t)): (&CableSpec, &(GeneratedCable, String))| {
        (s.extract != Extract::Empty).then_some(t.len())
    };
    let smallest = specs.iter().zip(r).filter_map(full).min().unwrap();
    assert!(smallest > 500, "{smallest}");
    sizes.sort_unstable();
    let median = sizes[sizes.len() / 2];
    let mean = sizes.iter().sum::<usize>() as f64 / sizes.len() as f64;
    let max = *sizes.last().unwrap();
    assert!((3_000..5_000).contains(&median), "median {median}");
    assert!((6_000.0..8_000.0).contains(&mean), "mean {mean}");
    assert!(max > 60_000, "max {max}");
    assert!(sizes[0] > 50);
}

#[test]
fn rendered_texts_say_what_the_manifest_says() {
    // The independent reader knows the seeds' forms only; the parser test below reads all.
    let (specs, r) = rendered_specs();
    let mut read = 0;
    for (spec, (c, text)) in specs.iter().zip(r).take(1_500) {
        if spec.is_standard() {
            check(c, text).unwrap_or_else(|e| panic!("{}: {e}\n{text}", c.id));
            read += 1;
        }
    }
    // About 11 % of cables sign or cite in the forms added after the wild ones.
    assert!(read > 800, "{read}");
}

/// Forms the parser is known to misread, each reported to its owner with a real-world example
/// (this crate does not bend the generator to the parser): the name of the bug that explains a
/// wrong fact, if one does. Remove an entry when the parser is fixed; the test then holds the
/// parser to that form too.
fn known_parser_bug(
    _spec: &CableSpec,
    _text: &str,
    _fact: &str,
    _got: &str,
) -> Option<&'static str> {
    // None known: the five found when the generator first wrote the real-world forms (glued
    // tags, a person tag in a comma list, a subject across a page break running past the blank
    // line, digit-typo stations, REF items broken by the line wrap) are fixed in the parser.
    None
}

#[test]
fn the_parser_recovers_every_fact_of_every_form() {
    let (specs, r) = rendered_specs();
    // By fact: how many cables it gets wrong, and the first few (id, found, the text's head).
    let mut wrong: BTreeMap<&str, (usize, Vec<String>)> = BTreeMap::new();
    let mut by_form: BTreeMap<String, usize> = BTreeMap::new();
    let mut known: BTreeMap<&str, usize> = BTreeMap::new();
    for (spec, (c, text)) in specs.iter().zip(r) {
        let bad: Vec<(&str, String)> = parser_disagrees(c, text)
            .into_iter()
            .filter(
                |(what, got)| match known_parser_bug(spec, text, what, got) {
                    Some(bug) => {
                        *known.entry(bug).or_default() += 1;
                        false
                    }
                    None => true,
                },
            )
            .collect();
        if !bad.is_empty() {
            *by_form.entry(form_name(spec)).or_default() += 1;
        }
        for (what, got) in bad {
            let e = wrong.entry(what).or_default();
            e.0 += 1;
            if e.1.len() < 3 {
                // The text around the fact in question (the subject may sit far down).
                let at = if what == "subject" {
                    text.find("SUBJECT").unwrap_or(0)
                } else {
                    0
                };
                let head: String = text[at..].chars().take(1_500).collect();
                e.1.push(format!(
                    "{} ({}): found {got}\n{head}\n",
                    c.id,
                    form_name(spec)
                ));
            }
        }
    }
    for (bug, n) in &known {
        eprintln!("known parser bug, {n} facts of {} cables: {bug}", r.len());
    }
    let report: Vec<String> = wrong
        .iter()
        .map(|(what, (n, examples))| format!("{what}: {n} wrong\n{}", examples.join("\n")))
        .collect();
    assert!(
        wrong.is_empty(),
        "of {} cables, wrong by form {by_form:?}\n{}",
        r.len(),
        report.join("\n")
    );
    // The known bugs stay rare: no new way for them to spread unseen.
    let total: usize = known.values().sum();
    assert!(total * 100 < r.len() * 2, "{known:?}");
}

/// A short name of a spec's non-standard forms, for reports.
fn form_name(spec: &CableSpec) -> String {
    let mut parts = vec![format!("{:?}", spec.layout)];
    if spec.extract != Extract::Full {
        parts.push(format!("{:?}", spec.extract));
    }
    let f = spec.forms;
    if f.class_line != ClassLine::Standard {
        parts.push(format!("{:?}", f.class_line));
    }
    if f.late_caveat {
        parts.push("late caveat".into());
    }
    if f.subject_break {
        parts.push("subject break".into());
    }
    if f.tags != TagsForm::Standard {
        parts.push(format!("tags {:?}", f.tags));
    }
    if spec.tags.iter().any(|t| t.contains(' ')) {
        parts.push("person tag".into());
    }
    if f.wild_refs {
        parts.push("wild refs".into());
    }
    if f.refs != RefVariant::Standard {
        parts.push(format!("refs {:?}", f.refs));
    }
    if f.signature != SignForm::Standard {
        parts.push(format!("signature {:?}", f.signature));
    }
    parts.join("+")
}

#[test]
fn bodies_carry_the_real_leftovers() {
    let r = rendered();
    let has = |f: &dyn Fn(&GeneratedCable, &str) -> bool| r.iter().any(|(c, t)| f(c, t));
    let count =
        |f: &dyn Fn(&GeneratedCable, &str) -> bool| r.iter().filter(|(c, t)| f(c, t)).count();
    let l2 = |c: &GeneratedCable| c.layout == Layout::RawTelegram;
    // Layout 2 leftovers.
    assert!(has(&|c, t| l2(c)
        && t.contains("TAGS: [")
        && t.contains("](#) [")));
    assert!(has(&|c, t| l2(c) && t.contains("\n¶1. (")));
    assert!(has(&|c, t| l2(c) && t.contains("\n[1](#)2. (")));
    assert!(has(&|c, t| l2(c) && t.contains("  \n")));
    assert!(has(&|c, t| l2(c) && t.contains("\\$")));
    assert!(!has(
        &|c, t| !l2(c) && (t.contains("](#)") || t.contains('¶'))
    ));
    // Layout 1: header printed twice, lines wrapped.
    let twice = count(&|c, t| {
        !l2(c) && t.matches("\nE.O. ").count() == 2 && t.matches("\nTAGS: ").count() <= 2
    });
    assert!(twice > 1_000, "{twice}");
    assert!(r
        .iter()
        .filter(|(c, _)| !l2(c))
        .all(|(_, t)| t.lines().skip(14).all(|l| l.len() <= 120)));
    // Page breaks, headings, markers, redactions, mentions, markings.
    assert!(has(&|c, t| !l2(c) && t.contains(" 002 OF 00")));
    assert!(has(&|c, t| l2(c) && t.contains(" 002 OF 00")));
    assert!(has(&|_, t| t.contains("\n--------------\n")));
    assert!(has(
        &|_, t| t.contains("\n-----  \n") || t.contains("\n-----\n")
    ));
    assert!(has(&|_, t| t.contains("XXXXXXXXXXXX")));
    assert!(has(&|_, t| t.contains("\nSIPDIS\n")));
    assert!(has(&|_, t| t.contains("(REF A)") || t.contains("REF B")));
    assert!(has(&|_, t| t.contains("(see REF ")));
    assert!(has(&|_, t| t.contains("reftel")));
    for m in [
        "(U)",
        "(C)",
        "(S)",
        "(SBU)",
        "(C/NF)",
        "(S/NF)",
        "(S//NF)",
        "(C/REL NATO)",
        "(U//FOUO)",
    ] {
        assert!(has(&|_, t| t.contains(&format!(". {m} "))), "{m}");
    }
    assert!(has(&|_, t| t.contains("End summary.")));
    assert!(has(&|_, t| t.contains("SENSITIVE BUT UNCLASSIFIED")));
    assert!(has(&|_, t| t.contains("\nFOR OFFICIAL USE ONLY\n")));
    assert!(has(&|_, t| t.contains("FM SECSTATE WASHDC")));
    assert!(has(&|_, t| t.contains("FM USMISSION USNATO")));
    assert!(has(&|_, t| t.contains("FM AMCONSUL ")));
    // Glued tags: the telegram writes two tags as one word, the manifest lists them apart.
    assert!(has(&|c, t| c
        .tags
        .windows(2)
        .any(|w| t.contains(&format!("{}{}", w[0], w[1])))));
}

#[test]
fn full_text_search_has_a_vocabulary() {
    let r = rendered();
    let mut freq: HashMap<&str, usize> = HashMap::new();
    for (_, t) in r.iter().take(1_000) {
        for w in t.split(|c: char| !c.is_alphanumeric()) {
            if w.len() > 2 {
                *freq.entry(w).or_default() += 1;
            }
        }
    }
    assert!(freq.len() > 15_000, "{}", freq.len());
    for w in ["Russia", "NATO", "Erdogan", "ministry", "Baghdad"] {
        assert!(freq.get(w).copied().unwrap_or(0) > 3, "{w}");
    }
}

#[test]
fn every_real_world_form_appears_at_its_rate_in_20k() {
    let (plan, cables) = corpus20k();
    let specs: Vec<CableSpec> = (0..cables.len())
        .into_par_iter()
        .map(|i| spec_for(plan, i))
        .collect();
    let count = |f: &dyn Fn(&CableSpec) -> bool| specs.iter().filter(|s| f(s)).count();
    let between = |what: &str, n: usize, lo: usize, hi: usize| {
        assert!(
            (lo..=hi).contains(&n),
            "{what}: {n} of 20,000, not {lo}..={hi}"
        );
    };
    between(
        "text dumps",
        count(&|s| s.layout == Layout::TextDump),
        450,
        750,
    );
    between(
        "partial extracts in the other layouts",
        count(&|s| s.layout != Layout::TextDump && s.is_extract()),
        550,
        850,
    );
    between(
        "dumps that are only their five lines",
        count(&|s| s.extract == Extract::Empty),
        50,
        150,
    );
    let precision = |p: Precision| cables.iter().filter(|c| c.precision == p).count();
    between("known to the year", precision(Precision::Year), 100, 260);
    between("known to the day", precision(Precision::Day), 120, 300);
    assert!(cables
        .iter()
        .filter(|c| c.precision == Precision::Year)
        .all(|c| c.created == format!("20{}-00-00T00:00:00Z", &c.id[..2])
            || c.created == format!("19{}-00-00T00:00:00Z", &c.id[..2])));
    between(
        "mixed-case classification lines",
        count(&|s| s.forms.class_line == ClassLine::MixedCase),
        170,
        340,
    );
    between(
        "doubled first letters",
        count(&|s| s.forms.class_line == ClassLine::Doubled),
        100,
        240,
    );
    between(
        "late SENSITIVE lines",
        count(&|s| s.forms.late_caveat),
        500,
        1_000,
    );
    for form in [
        TagsForm::NoColon,
        TagsForm::Commas,
        TagsForm::Wrapped,
        TagsForm::Lower,
    ] {
        between(
            &format!("{form:?} tags"),
            count(&|s| s.forms.tags == form),
            300,
            500,
        );
    }
    between(
        "tags and subject run into a sentence-case E.o. line",
        count(&|s| s.forms.tags == TagsForm::EoRunOn),
        40,
        160,
    );
    assert!(specs
        .iter()
        .filter(|s| s.forms.tags == TagsForm::EoRunOn)
        .all(|s| s.subject.as_ref().is_some_and(|t| *t == t.to_lowercase())));
    between(
        "person tags",
        count(&|s| s.tags.iter().any(|t| t.starts_with("OVIP ("))),
        300,
        500,
    );
    between(
        "wild REF blocks",
        count(&|s| s.forms.wild_refs),
        2_000,
        2_800,
    );
    for (variant, lo, hi) in [
        (RefVariant::LoneLabel, 25, 120),
        (RefVariant::AndPrevious, 25, 120),
        (RefVariant::DoubledDots, 25, 120),
    ] {
        between(
            &format!("{variant:?} REF blocks"),
            count(&|s| s.forms.refs == variant),
            lo,
            hi,
        );
    }
    for (form, rate) in [
        (SignForm::RunOn, rates::SIGN_RUN_ON),
        (SignForm::EndText, rates::SIGN_END_TEXT),
        (SignForm::Titled, rates::SIGN_TITLED),
        (SignForm::Capitalised, rates::SIGN_CAPITALISED),
        (SignForm::Suffix, rates::SIGN_SUFFIX),
        (SignForm::Particle, rates::SIGN_PARTICLE),
        (SignForm::Unsigned, rates::UNSIGNED),
    ] {
        // 20 per 1,000 rate: about 20 × rate, give or take a third (and 40).
        let mid = 20 * rate;
        between(
            &format!("{form:?} signatures"),
            count(&|s| s.forms.signature == form),
            mid - mid / 3 - 40,
            mid + mid / 3 + 40,
        );
    }
    let unsigned = cables.iter().filter(|c| c.signer.is_none()).count();
    between("cables with no signer", unsigned, 300, 650);
    assert!(cables
        .iter()
        .any(|c| c.signer.as_deref().is_some_and(|n| n.ends_with(" JR"))));
    assert!(cables.iter().any(|c| c
        .signer
        .as_deref()
        .is_some_and(|n| n.starts_with("van ") || n.starts_with("VAN "))));
    assert!(cables.iter().any(|c| c
        .signer
        .as_deref()
        .is_some_and(|n| n.starts_with("Mc") && n.as_bytes()[2].is_ascii_uppercase())));

    // The texts: headers alone (the same bytes as the files' beginnings).
    let heads: Vec<String> = specs
        .par_iter()
        .filter(|s| !s.is_standard())
        .map(|s| {
            let mut head = String::new();
            render::render_head(s, &mut head);
            head
        })
        .collect();
    let any = |f: &dyn Fn(&str) -> bool| heads.iter().any(|h| f(h));
    let glued = |h: &str| {
        h.lines().any(|l| {
            l.split_whitespace().any(|w| {
                let b = w.as_bytes();
                b.len() > 4
                    && b[..2].iter().all(u8::is_ascii_digit)
                    && b[2].is_ascii_uppercase()
                    && b[b.len() - 1].is_ascii_digit()
                    && b.iter().skip(2).any(u8::is_ascii_uppercase)
            })
        })
    };
    let forms: Vec<(&str, bool)> = vec![
        (
            "extract sentence",
            any(&|h| h.contains(render::EXTRACT_SENTENCE)),
        ),
        (
            "bare DTG in mixed case",
            any(&|h| {
                h.lines().any(|l| {
                    l.len() == 14
                        && l.as_bytes()[6] == b'Z'
                        && l[8..11].bytes().any(|b| b.is_ascii_lowercase())
                })
            }),
        ),
        ("dump date line", any(&|h| h.contains(" 00:00:00 +0"))),
        (
            "C o n f i d e n t i a l",
            any(&|h| h.contains("\nC o n f i d e n t i a l ")),
        ),
        ("S e c r e t", any(&|h| h.contains("\nS e c r e t "))),
        ("SS E C R E T", any(&|h| h.contains("\nSS E C R E T "))),
        ("SENSITIVE alone", any(&|h| h.contains("\nSENSITIVE\n"))),
        (
            "page break in a subject",
            any(&|h| h.contains(" 001.2 OF 0")),
        ),
        (
            "TAGS without colon",
            any(&|h| h.contains("\nTAGS ") && !h.contains("\nTAGS: ")),
        ),
        (
            "TAGS [X,](#)",
            any(&|h| h.contains("\nTAGS [") && h.contains(",](#) [")),
        ),
        ("lower-case Tags:", any(&|h| h.contains("\nTags: "))),
        ("person tag", any(&|h| h.contains("OVIP ("))),
        ("REFS:", any(&|h| h.contains("\nREFS: "))),
        ("Ref:", any(&|h| h.contains("\nRef: "))),
        ("Reftel:", any(&|h| h.contains("\nReftel: "))),
        ("Ref(s):", any(&|h| h.contains("\nRef(s): "))),
        ("REF: REFS:", any(&|h| h.contains("\nREF: REFS: "))),
        ("(A)", any(&|h| h.contains(" (A) ") && h.contains("(B) "))),
        ("[A]", any(&|h| h.contains(" [A] "))),
        ("A.)", any(&|h| h.contains(" A.) "))),
        ("A:", any(&|h| h.contains(" A: ") && h.contains("B: "))),
        ("(1)", any(&|h| h.contains(" (1) ") && h.contains("(2) "))),
        ("A. A)", any(&|h| h.contains(" A. A) "))),
        (
            "several serials with AND",
            any(&|h| {
                h.lines().any(|l| {
                    let t: Vec<&str> = l.split(' ').collect();
                    t.windows(3).any(|w| {
                        w[1] == "AND"
                            && w[0].bytes().all(|b| b.is_ascii_digit())
                            && w[2].bytes().all(|b| b.is_ascii_digit())
                            && !w[0].is_empty()
                            && !w[2].is_empty()
                    })
                })
            }),
        ),
        (
            "year after the serial",
            any(&|h| {
                h.lines().any(|l| {
                    l.starts_with("R") && l.contains(") (0")
                        || l.contains(" (0") && l.trim_end().ends_with(')') && !l.contains("NOTAL")
                })
            }),
        ),
        ("glued year, station, serial", any(&glued)),
        (
            "dashed",
            any(&|h| {
                h.lines().any(|l| {
                    l.split_whitespace()
                        .any(|w| w.matches('-').count() == 2 && w.as_bytes()[0].is_ascii_digit())
                })
            }),
        ),
        ("(NOTAL)", any(&|h| h.contains(" (NOTAL)"))),
        ("UNVIE", any(&|h| h.contains(" UNVIE "))),
        (
            "E.o. line with Tags: and Subject:",
            any(&|h| {
                h.lines().any(|l| {
                    l.starts_with("E.o. 12958: decl: ")
                        && l.contains(" Tags: ")
                        && l.contains(" Subject: ")
                })
            }),
        ),
        (
            "A. A.",
            any(&|h| h.contains("\nREF: A. A. ") && h.contains("\nB. B. ")),
        ),
        (
            "a lone A) before items apart by semicolons",
            any(&|h| {
                h.lines()
                    .any(|l| l.starts_with("REF: A) ") && l.contains("; ") && !l.contains("B) "))
            }),
        ),
        (
            "lower-case station",
            any(&|h| h.contains(" state ") || h.contains(" State ")),
        ),
        (
            "items separated by two spaces",
            any(&|h| {
                h.lines()
                    .any(|l| l.starts_with("RE") && l.contains("  ") && !l.ends_with("  "))
            }),
        ),
    ];
    let missing: Vec<&str> = forms.iter().filter(|f| !f.1).map(|f| f.0).collect();
    assert!(missing.is_empty(), "missing forms: {missing:?}");
}

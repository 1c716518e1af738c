//! People and addressees: who signed a cable (its closing signature), who classified it (the
//! `Classified By:` line) and to whom it was sent (the `TO` and `INFO` lines). No HTML: this is
//! the grouping model behind `signer/`, `classifier/` and `to/` (rendered like every listing by
//! [`super::listings`]) and the index pages `people.html`, `people-az.html` and `to.html`.
//!
//! The same person is written many ways, so grouping goes by a normalised key, and what the page
//! shows is what the cables wrote:
//! - **Signer** (`Cable::signer`, `STAPLETON`, `Murphy`): letters upper-cased, runs of spaces one
//!   space, surrounding punctuation dropped. `Murphy` and `MURPHY` are one signer.
//! - **Classified by** (`Cable::classified_by`, `Ambassador Victoria Nuland for reasons 1.4 (b)`):
//!   a leading repeated `Classified by` is dropped; the line is cut where the reason starts
//!   (`for reason`, `reason`, `1.4`, `1.5`, `E.O.`); what is left is split into a title and a
//!   name. With a comma (`Eric Wong, Political Officer`), the part that holds fewer title words
//!   is the name; without one, the leading title words (`Ambassador`, `DCM`, `Charge
//!   d'Affaires`, `Political Minister-Counselor`, `A/PolCouns`: a word from [`TITLE_WORDS`], any
//!   word with a `/`, or an all-capital acronym of two to four letters before a name written in
//!   mixed case) are the title and the rest is the name. The grouping key is the name upper-cased
//!   without dots, with middle initials (a single letter after the first word) left out, so
//!   `Jon P. Dorschner` and `JON DORSCHNER` are one official; the page's label is the spelling
//!   used most (the first in sorted order on a tie) and it lists every title the cables give.
//! - **Addressee** (`Recipient::name`, `SECSTATE WASHDC`, `NATO EU COLLECTIVE`): upper-cased, runs
//!   of spaces one space. The cables write addressees in capitals already.
//!
//! File names are [`slug`]s handed out in key order by a [`Slugger`] (lower case, unique
//! case-insensitively), so no two paths differ only in case on a FAT32 or exFAT stick, in a
//! subfolder per first character (`classifier/v/victoria-nuland.html`), so no folder of a full
//! archive overfills a FAT32 folder.

use super::groups::{Group, Grouping};
use super::links::{slug, Slugger};
use super::output::Output;
use super::{templates, BuildError, Site};
use archive_cable::model::{Cable, RecipientKind};
use archive_corpus::Corpus;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Words that make a title, not a name, in a `Classified By:` line (compared upper-cased,
/// without dots and commas). A title written as an abbreviation with a slash (`A/DCM`,
/// `POL M/C`) is recognised by the slash.
pub const TITLE_WORDS: &[&str] = &[
    "ACTING",
    "ADMIN",
    "AF",
    "EAP",
    "EUR",
    "INL",
    "INR",
    "IO",
    "ISN",
    "NEA",
    "SCA",
    "WHA",
    "AFFAIRS",
    "AMBASSADOR",
    "AMB",
    "ASSISTANT",
    "ASST",
    "ATTACHE",
    "CDA",
    "CG",
    "CHARGE",
    "CHARGÉ",
    "CHIEF",
    "COMMERCIAL",
    "CONSUL",
    "CONSULAR",
    "COORDINATOR",
    "COUNSELOR",
    "COUNSELLOR",
    "COUNS",
    "D'AFFAIRES",
    "DAFFAIRES",
    "DAS",
    "DCM",
    "DEPUTY",
    "DIRECTOR",
    "ECON",
    "ECONOFF",
    "ECONOMIC",
    "ECONCOUNS",
    "ENVOY",
    "GENERAL",
    "HEAD",
    "INTERIM",
    "MGMT",
    "MINISTER",
    "MINISTER-COUNSELOR",
    "MISSION",
    "OF",
    "OFFICE",
    "OFFICER",
    "PAO",
    "POL",
    "POL-ECON",
    "POLCOUNS",
    "POLECON",
    "POLITICAL",
    "POLOFF",
    "POLMILOFF",
    "PRINCIPAL",
    "PUBLIC",
    "REGIONAL",
    "REPRESENTATIVE",
    "SECRETARY",
    "SECTION",
    "SENIOR",
    "SPECIAL",
    "STATE",
    "THE",
    "UNDER",
    "US",
    "USUN",
    "AND",
    "FOR",
];

/// An official named in a `Classified By:` line, as written: `Victoria Nuland`, `Ambassador`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Official {
    /// The name as written (`Jon P. Dorschner`).
    pub name: String,
    /// The title as written (`A/PolCouns`), when the line gives one.
    pub title: Option<String>,
}

/// Whether a word (as written) is part of a title rather than of a name.
fn is_title_word(word: &str, mixed_case_line: bool) -> bool {
    let bare: String = word
        .trim_matches(|c: char| c == ',' || c == '.' || c == ';' || c == ':')
        .to_uppercase();
    if bare.is_empty() {
        return true;
    }
    if bare.contains('/') || TITLE_WORDS.contains(&bare.as_str()) {
        return true;
    }
    // `IO`, `EUR`, `NEA` before a name written in mixed case: an office, not a person. In a
    // line written all in capitals every word looks like that, so the rule does not apply.
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    mixed_case_line
        && (2..=4).contains(&letters)
        && word.chars().all(|c| !c.is_lowercase())
        && !word.contains('.')
}

/// Where the reason of a `Classified By:` line starts (`for reasons 1.4 (b)`), in the
/// upper-cased line.
fn reason_start(upper: &str) -> usize {
    let mut cut = upper.len();
    for marker in [
        "FOR REASON",
        "REASON",
        "1.4",
        "1.5",
        "1.6",
        "E.O.",
        "E. O.",
        "EO 1",
        "(B)",
        "(D)",
    ] {
        if let Some(i) = upper.find(marker) {
            cut = cut.min(i);
        }
    }
    cut
}

/// Reads the official of a `Classified By:` line (see the module's rules), or `None` when the
/// line names nobody (`Classified By: reasons 1.4 (b)`, a line of redaction marks).
pub fn official(line: &str) -> Option<Official> {
    let mut text = line.trim();
    // `Classified By: Classified by Ambassador …`, `Classifed by POL M/C …`.
    loop {
        let rest = ["CLASSIFIED BY", "CLASSIFED BY", "CLASSIFIED", "BY:"]
            .iter()
            .find(|p| {
                text.get(..p.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(p))
            })
            .map(|p| &text[p.len()..]);
        match rest {
            Some(rest) => text = rest.trim_start_matches([':', ' ', '.']),
            None => break,
        }
    }
    let upper = text.to_uppercase();
    // The upper-cased line may be longer than the line (`ß`): cut by the first marker only when
    // the two are the same length, which holds for every line of the release.
    let cut = if upper.len() == text.len() {
        reason_start(&upper)
    } else {
        text.len()
    };
    let mut who = text[..cut].trim();
    // A line wrapped before the reason: `Political Section Chief Mark D. Clark for`.
    for tail in [" for", " FOR", " For", ","] {
        if let Some(stripped) = who.strip_suffix(tail) {
            who = stripped;
        }
    }
    let who = who.trim_matches(|c: char| c == ',' || c == ';' || c == ':' || c.is_whitespace());
    let who = who.strip_suffix('.').unwrap_or(who).trim();
    if who.is_empty() || !who.chars().any(char::is_alphabetic) || who.contains("XXXX") {
        return None;
    }
    let mixed = who.chars().any(char::is_lowercase);
    let (title, name) = match who.split_once(',') {
        Some((a, b)) => {
            let titles = |s: &str| {
                s.split_whitespace()
                    .filter(|w| is_title_word(w, mixed))
                    .count()
            };
            let (a, b) = (a.trim(), b.trim());
            if titles(a) > titles(b) {
                (a, b)
            } else {
                (b, a)
            }
        }
        None => {
            let words: Vec<&str> = who.split_whitespace().collect();
            let first_name = words
                .iter()
                .position(|w| !is_title_word(w, mixed))
                .unwrap_or(words.len());
            if first_name == words.len() {
                return None;
            }
            // The byte offset of that word: the start of the `first_name`-th run of
            // non-space characters.
            let split = who
                .char_indices()
                .filter(|&(i, c)| {
                    !c.is_whitespace() && (i == 0 || who[..i].ends_with(char::is_whitespace))
                })
                .nth(first_name)
                .map_or(0, |(i, _)| i);
            (who[..split].trim(), who[split..].trim())
        }
    };
    let name = name.trim_matches(|c: char| c == ',' || c == '.' || c.is_whitespace());
    if name.is_empty() || !name.chars().any(char::is_alphabetic) || name.chars().count() > 60 {
        return None;
    }
    Some(Official {
        name: name.to_string(),
        title: (!title.is_empty()).then(|| title.to_string()),
    })
}

/// The grouping key of an official's name: upper-cased, dots dropped, words separated by one
/// space, single letters after the first word (middle initials) left out.
pub fn person_key(name: &str) -> String {
    let upper = name.to_uppercase().replace('.', " ");
    let words: Vec<&str> = upper.split_whitespace().collect();
    let mut key = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 && i + 1 < words.len() && w.chars().count() == 1 {
            continue;
        }
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(w);
    }
    key
}

/// The grouping key of a signature (`Murphy` → `MURPHY`), or `None` when it holds no letter or
/// is too long to be a name.
pub fn signer_key(signer: &str) -> Option<String> {
    let key = words_upper(signer.trim_matches(|c: char| !c.is_alphanumeric()));
    (key.chars().any(char::is_alphabetic) && key.chars().count() <= 40).then_some(key)
}

/// The grouping key of an addressee (`SECSTATE  WASHDC` → `SECSTATE WASHDC`), or `None` when it
/// holds no letter.
pub fn addressee_key(name: &str) -> Option<String> {
    let key = words_upper(name);
    key.chars().any(char::is_alphabetic).then_some(key)
}

fn words_upper(text: &str) -> String {
    text.to_uppercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The official a cable's `Classified By:` line names, with their grouping key.
pub fn classifier_of(cable: &Cable) -> Option<(String, Official)> {
    let official = official(cable.classified_by.as_deref()?)?;
    let key = person_key(&official.name);
    (!key.is_empty()).then_some((key, official))
}

/// Every distinct addressee key of a cable, each once, with whether it is an action addressee
/// (`TO`) of the cable (a name in both lines counts as `TO`).
pub fn addressees_of(cable: &Cable) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    for r in &cable.recipients {
        let Some(key) = addressee_key(if r.name.is_empty() { &r.text } else { &r.name }) else {
            continue;
        };
        let to = r.kind == RecipientKind::To;
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some(seen) => seen.1 |= to,
            None => out.push((key, to)),
        }
    }
    out
}

/// One person or addressee, before it becomes a listing group: key, label, note, file stem and
/// members (indices into `Corpus::cables`, in date order).
pub struct Found {
    /// Grouping key.
    pub key: String,
    /// As shown: the spelling used most.
    pub label: String,
    /// Titles as written (classified by), or how many cables were sent `TO` it (addressee).
    pub note: Option<String>,
    /// File name without `.html`.
    pub stem: String,
    /// The cables, in corpus (date) order.
    pub members: Vec<usize>,
}

/// A listing's file stem inside a subfolder named by its first character (`j/jon-dorschner`):
/// a full archive names tens of thousands of officials and addressees, more than one FAT32
/// folder holds (65,534 directory slots, a long name taking several), and a letter's share
/// stays far below it. Listing pages resolve their links from `<base href=../cable/>`, so
/// their depth changes none of them.
fn sharded(stem: String) -> String {
    let shard: String = stem.chars().take(1).collect();
    format!("{shard}/{stem}")
}

/// Collects spellings and members under each key.
#[derive(Default)]
struct Tally {
    spellings: BTreeMap<String, usize>,
    titles: BTreeMap<String, usize>,
    members: Vec<usize>,
    to: usize,
}

/// The most used of the counted strings, the first in sorted order on a tie.
fn most_used(counts: &BTreeMap<String, usize>) -> Option<&str> {
    let mut best: Option<(&str, usize)> = None;
    for (s, &n) in counts {
        if best.map_or(true, |(_, m)| n > m) {
            best = Some((s, n));
        }
    }
    best.map(|(s, _)| s)
}

/// The tally of `key`, made on its first use (the key copied only then).
fn tally<'a>(tallies: &'a mut FxHashMap<String, Tally>, key: &str) -> &'a mut Tally {
    if !tallies.contains_key(key) {
        tallies.insert(key.to_string(), Tally::default());
    }
    tallies.get_mut(key).expect("inserted above")
}

/// The groups of `tallies` in the order of their keys, each named by a slug of its key
/// (unique: handed out in that order) and labelled with its most used spelling.
fn finish(
    tallies: FxHashMap<String, Tally>,
    note: impl Fn(&Tally) -> Option<String>,
) -> Vec<Found> {
    let mut slugs = Slugger::default();
    super::groups::sorted(tallies)
        .into_iter()
        .map(|(key, tally)| Found {
            stem: sharded(slugs.unique(slug(&key))),
            label: most_used(&tally.spellings).unwrap_or(&key).to_string(),
            note: note(&tally),
            key,
            members: tally.members,
        })
        .collect()
}

/// The signers, officials who classified and addressees of the corpus, each sorted by key. One
/// pass over the cables.
pub fn find(corpus: &Corpus) -> [Vec<Found>; 3] {
    // Hash maps while the cables are visited, sorted by key once in `finish`: a sorted map
    // compared strings a dozen times per name, and every addressee of every cable is one.
    let mut signers: FxHashMap<String, Tally> = FxHashMap::default();
    let mut classifiers: FxHashMap<String, Tally> = FxHashMap::default();
    let mut addressees: FxHashMap<String, Tally> = FxHashMap::default();
    for (i, linked) in corpus.cables.iter().enumerate() {
        let cable = &linked.cable;
        if let Some(key) = cable.signer.as_deref().and_then(signer_key) {
            let t = tally(&mut signers, &key);
            *t.spellings.entry(key).or_default() += 1;
            t.members.push(i);
        }
        if let Some((key, official)) = classifier_of(cable) {
            let t = tally(&mut classifiers, &key);
            *t.spellings.entry(official.name).or_default() += 1;
            if let Some(title) = official.title {
                *t.titles.entry(title).or_default() += 1;
            }
            t.members.push(i);
        }
        for (key, to) in addressees_of(cable) {
            let t = tally(&mut addressees, &key);
            *t.spellings.entry(key).or_default() += 1;
            t.members.push(i);
            t.to += usize::from(to);
        }
    }
    let signers = finish(signers, |_| None);
    let classifiers = finish(classifiers, |t| {
        let mut titles: Vec<(&String, &usize)> = t.titles.iter().collect();
        titles.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let shown: Vec<&str> = titles.iter().take(6).map(|(s, _)| s.as_str()).collect();
        (!shown.is_empty()).then(|| format!("Titles as written: {}", shown.join(" · ")))
    });
    let addressees = finish(addressees, |t| {
        Some(format!(
            "Action addressee (TO) of {}, information addressee (INFO) of {}.",
            t.to,
            t.members.len() - t.to
        ))
    });
    [signers, classifiers, addressees]
}

/// A section of an index page of people or addressees.
#[derive(serde::Serialize)]
struct Section {
    id: &'static str,
    title: &'static str,
    count: usize,
    items: Vec<Item>,
}

#[derive(serde::Serialize)]
struct Item {
    label: String,
    href: String,
    count: usize,
    note: Option<String>,
}

/// The other order of an index page: the one shown is `strong`, the other a link.
#[derive(serde::Serialize)]
struct Order {
    label: &'static str,
    href: Option<&'static str>,
}

fn section(
    grouping: &Grouping,
    id: &'static str,
    title: &'static str,
    by_count: bool,
    notes: bool,
) -> Section {
    let mut groups: Vec<&Group> = grouping.groups.iter().collect();
    if by_count {
        // Most cables first, then by name (the groups are in key order).
        groups.sort_by_key(|g| std::cmp::Reverse(g.members.len()));
    }
    Section {
        id,
        title,
        count: groups.len(),
        items: groups
            .into_iter()
            .map(|g| Item {
                label: g.label.clone(),
                href: format!("{}.html", g.base),
                count: g.members.len(),
                note: g.note.clone().filter(|_| notes),
            })
            .collect(),
    }
}

/// Writes the index pages: `people.html` (signers and officials who classified, most cables
/// first), `people-az.html` (the same by name), `to.html` and `to-az.html` (addressees).
pub fn write_indexes(site: &Site, out: &Output) -> Result<(), BuildError> {
    let g = &site.groups;
    let pages = [
        ("people.html", "people-az.html", true, true),
        ("people-az.html", "people.html", false, true),
        ("to.html", "to-az.html", true, false),
        ("to-az.html", "to.html", false, false),
    ];
    for (path, other, by_count, people) in pages {
        if !people && !site.config.addressee_pages {
            continue;
        }
        let orders = if by_count {
            [
                Order {
                    label: "By number of cables",
                    href: None,
                },
                Order {
                    label: "By name",
                    href: Some(other),
                },
            ]
        } else {
            [
                Order {
                    label: "By number of cables",
                    href: Some(other),
                },
                Order {
                    label: "By name",
                    href: None,
                },
            ]
        };
        let (heading, intro, sections) = if people {
            (
                "People",
                "Who signed the cables (the closing signature) and who classified them (the Classified By line). Names are grouped whatever their case, dots and middle initials; titles are as the cables write them.",
                vec![
                    section(&g.signers, "signed", "Signed", by_count, false),
                    section(&g.classifiers, "classified", "Classified by", by_count, true),
                ],
            )
        } else {
            (
                "Addressees",
                "To whom the cables were sent: the TO (action) and INFO (information) lines, collectives included.",
                vec![section(&g.addressees, "to", "Addressees", by_count, false)],
            )
        };
        let mut context = site.base_context.clone();
        context.insert("root", "");
        context.insert("heading", heading);
        context.insert("intro", intro);
        context.insert("orders", &orders);
        context.insert("sections", &sections);
        let html = templates::render(&site.theme, "people.html", &context)?;
        out.write(path, html.as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(line: &str) -> (String, Option<String>) {
        let o = official(line).unwrap_or_else(|| panic!("no official in {line:?}"));
        (o.name, o.title)
    }

    #[test]
    fn classified_by_lines_of_the_release_give_name_and_title() {
        let cases = [
            (
                "Political Minister-Counselor Josiah Rosenblatt, Reason 1",
                "Josiah Rosenblatt",
                Some("Political Minister-Counselor"),
            ),
            (
                "Kathleen Allegrone, Political Minister-Counselor, 1.4 (b",
                "Kathleen Allegrone",
                Some("Political Minister-Counselor"),
            ),
            (
                "DCM Richard Olson for reasons 1.4 (b),(d)",
                "Richard Olson",
                Some("DCM"),
            ),
            (
                "Charge Richard Olson for reasons 1.4 (b),(d)",
                "Richard Olson",
                Some("Charge"),
            ),
            (
                "Ambassador Richard L. Baltimore III. ",
                "Richard L. Baltimore III",
                Some("Ambassador"),
            ),
            (
                "A/PolCouns Jon P. Dorschner for reasons 1.4 (B,D) ",
                "Jon P. Dorschner",
                Some("A/PolCouns"),
            ),
            (
                "Political Section Chief Mark D. Clark for ",
                "Mark D. Clark",
                Some("Political Section Chief"),
            ),
            (
                "Classified by Ambassador Ronald E. Neumann.",
                "Ronald E. Neumann",
                Some("Ambassador"),
            ),
            (
                "Classifed by POL M/C Kathleen Allegrone for reasons 1.4",
                "Kathleen Allegrone",
                Some("POL M/C"),
            ),
            (
                "POLITICAL OFFICER JOEY R. HOOD. REASONS: 1.4 ",
                "JOEY R. HOOD",
                Some("POLITICAL OFFICER"),
            ),
            (
                "POL CHIEF JOHN HALL, REASONS 1.5(B) AND (D) ",
                "JOHN HALL",
                Some("POL CHIEF"),
            ),
            (
                "ERIC WONG, POLITICAL OFFICER.  REASON: 1.4 (D). ",
                "ERIC WONG",
                Some("POLITICAL OFFICER"),
            ),
            (
                "CHARGE D'AFFAIRES ALEX WOLFF FOR REASONS 1.5 (B) AND (D). ",
                "ALEX WOLFF",
                Some("CHARGE D'AFFAIRES"),
            ),
            (
                "IO ASSISTANT SECRETARY DAVID WELCH.  REASON: ",
                "DAVID WELCH",
                Some("IO ASSISTANT SECRETARY"),
            ),
            ("D. HALSTED. REASON 1.5 (B,D). ", "D. HALSTED", None),
            (
                "Consul General Tatiana Gfoeller,for reasons 1.4 (b) and (d).",
                "Tatiana Gfoeller",
                Some("Consul General"),
            ),
            (
                "EUR/RPM Director Anne Smith, Reasons 1.4 (b) and (d)",
                "Anne Smith",
                Some("EUR/RPM Director"),
            ),
            (
                "NEA A/S Jeffrey Feltman for reasons 1.4 (b)",
                "Jeffrey Feltman",
                Some("NEA A/S"),
            ),
            // A name that starts like a title word (`Gene` in `General`).
            (
                "Consul General Gene Powell, Reason 1.4 (d)",
                "Gene Powell",
                Some("Consul General"),
            ),
        ];
        for (line, name, title) in cases {
            assert_eq!(
                o(line),
                (name.to_string(), title.map(String::from)),
                "{line:?}"
            );
        }
        assert_eq!(official("reasons 1.4 (b) and (d)"), None);
        assert_eq!(official("XXXXXXXXXXXX, reason 1.4"), None);
    }

    #[test]
    fn one_official_whatever_the_case_dots_and_middle_initials() {
        assert_eq!(person_key("Jon P. Dorschner"), "JON DORSCHNER");
        assert_eq!(person_key("JON DORSCHNER"), "JON DORSCHNER");
        assert_eq!(person_key("D. HALSTED"), "D HALSTED");
        assert_eq!(
            person_key("Richard L. Baltimore III"),
            "RICHARD BALTIMORE III"
        );
        assert_eq!(signer_key(" Murphy. ").as_deref(), Some("MURPHY"));
        assert_eq!(signer_key("---"), None);
        assert_eq!(
            addressee_key("SECSTATE  WASHDC").as_deref(),
            Some("SECSTATE WASHDC")
        );
    }
}

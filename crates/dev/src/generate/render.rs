//! One cable's text from its [`CableSpec`]: header table (layout 1), routing header,
//! classification line, header fields, `REF:` block, body and signature.
//!
//! Everything a correct parser must recover (identifier, date, classification, origin, subject,
//! tags, references) comes from the spec; the renderer only chooses how to write it, from the
//! spec's own seed, so a spec always renders to the same bytes.

use super::data::{data, title_case, Kind, Station, US_SURNAMES};
use super::rng::Rng;
use super::words::{vocab, MONTHS};
use super::{
    page_count, split_id, CableSpec, ClassLine, Extract, RefItem, RefVariant, SignForm, TagsForm,
};
use archive_cable::gazetteer::Gazetteer;
use archive_cable::model::{Caveat, DateTime, Layout, Level};

/// The sentence that opens a partial extract.
pub(crate) const EXTRACT_SENTENCE: &str =
    "This record is a partial extract of the original cable. \
The full text of the original cable is not available.";

/// Weekdays of a text dump's date line, Sunday first.
const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/// Three-letter months of date-time groups.
pub(crate) const MON: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

const NBSP: char = '\u{a0}';
/// Width of wrapped lines in layout 1 and of wrapped subjects.
const WIDTH: usize = 62;

/// Collective and agency addressees for `INFO` lines.
const AGENCIES: &[&str] = &[
    "RUEHZG/NATO EU COLLECTIVE",
    "RUEHEE/ARAB LEAGUE COLLECTIVE",
    "RUCNMEM/EU MEMBER STATES COLLECTIVE",
    "RUEHZL/EUROPEAN POLITICAL COLLECTIVE",
    "RHEHNSC/NSC WASHDC",
    "RUEKJCS/SECDEF WASHINGTON DC",
    "RUEKJCS/JOINT STAFF WASHDC",
    "RUEAIIA/CIA WASHDC",
    "RHEFDIA/DIA WASHDC",
    "RHMFISS/HQ USEUCOM VAIHINGEN GE",
    "RHMFISS/CDR USCENTCOM MACDILL AFB FL",
    "RUEATRS/DEPT OF TREASURY WASHINGTON DC",
    "RUCPDOC/USDOC WASHINGTON DC",
    "RUEAWJA/DEPT OF JUSTICE WASHINGTON DC",
    "RHMCSUU/FBI WASHINGTON DC",
    "RUEHNO/USDELMC BRUSSELS BE",
    "RHMFISS/USNMR SHAPE BE",
    "RULSOCA/NSF WASHDC",
];

/// Internal address lines printed after `SIPDIS`.
const ADDRESS_LINES: &[&str] = &[
    "DEPARTMENT FOR EUR/PRA",
    "DEPARTMENT FOR EUR/RPM",
    "DEPARTMENT FOR NEA/I AND EEB",
    "DEPARTMENT FOR SCA/A, S/SRAP",
    "DEPARTMENT FOR INL/AAE",
    "DEPARTMENT FOR WHA/AND",
    "DEPARTMENT FOR AF/E",
    "DEPARTMENT FOR EAP/CM",
    "DEPARTMENT FOR ISN/MNSA",
    "DEPARTMENT PASS TO USTR",
    "DEPARTMENT PASS TO USAID",
    "TREASURY FOR OASIA",
    "USDOC FOR 4212/ITA/MAC",
    "DEPT FOR DRL/NESCA",
    "EUR/PRA FOR ANITA FRIEDT, OSD/MD FOR PAUL IARROBINO, OSD/P",
];

/// Titles that go before officials' names in text.
const TITLES: &[&str] = &[
    "FM",
    "PM",
    "President",
    "Minister",
    "DFM",
    "Deputy Minister",
    "MFA Director",
    "Ambassador",
    "General",
    "Admiral",
    "MP",
    "Governor",
    "Chairman",
    "Spokesman",
    "Deputy PM",
    "Defense Minister",
    "Interior Minister",
    "Finance Minister",
    "Senator",
];
const US_TITLES: &[&str] = &[
    "Ambassador",
    "A/S",
    "U/S",
    "DAS",
    "Secretary",
    "Charge",
    "DCM",
    "Poloff",
    "Econoff",
    "Codel",
    "General",
    "Admiral",
    "Special Envoy",
    "S/E",
];
const CLASSIFIER_TITLES: &[&str] = &[
    "Ambassador",
    "DCM",
    "Charge d'Affaires",
    "Political Counselor",
    "PolCouns",
    "Political Minister-Counselor",
    "Economic Counselor",
    "A/DCM",
    "Deputy Chief of Mission",
    "Acting DCM",
    "Pol/Econ Chief",
    "Poloff",
    "PolMilOff",
    "Consul General",
    "Principal Officer",
];
const STATE_CLASSIFIERS: &[&str] = &[
    "EUR/RPM Director",
    "NEA A/S",
    "ISN/MNSA Director",
    "Under Secretary for Political Affairs",
    "EAP DAS",
    "SCA Acting A/S",
    "WHA/AND Director",
    "AF/E Director",
    "INR Director",
    "PM/RSAT Director",
    "EEB DAS",
    "S/CT Coordinator",
];
const REASONS: &[&str] = &[
    "Reason 1.4 (b),(d)",
    "reasons 1.4 (b) and (d)",
    "Reasons 1.4 (b/d)",
    "reason 1.4(d)",
    "Reasons 1.4 (b), (d)",
    "Reason 1.4 (c)",
    "reasons 1.4 (b), (d), and (h)",
    "E.O. 12958 reasons 1.4 (b) and (d)",
    "Reason 1.4 (b)",
];
const HEADING_WORDS: &[&str] = &[
    "BACKGROUND",
    "COMMENT",
    "SUMMARY",
    "NEXT STEPS",
    "ACTION REQUEST",
    "OVERVIEW",
    "BILATERAL RELATIONS",
    "ECONOMIC OUTLOOK",
    "SECURITY SITUATION",
    "POLITICAL DYNAMICS",
    "REGIONAL ISSUES",
    "HUMAN RIGHTS",
    "ENERGY",
    "THE WAY FORWARD",
    "VIEW FROM THE MFA",
];

/// How the body cites references.
#[derive(Clone, Copy, PartialEq)]
enum Mentions {
    None,
    Single,
    Lettered(usize),
}

struct Renderer<'a> {
    rng: Rng,
    /// Draws for the real-world forms only, so that a cable in the seeds' forms is the same
    /// bytes as before they existed.
    wild: Rng,
    /// Draws for the forms added after the wild ones (REF variants, signatures), so that the
    /// wild forms keep their bytes.
    extra: Rng,
    out: &'a mut String,
    spec: &'a CableSpec,
    st: &'a Station,
    l2: bool,
    /// Layout 2: lines of the header end in two spaces.
    md: bool,
    pages: u32,
    /// The number the next paragraph would take (for a closing paragraph after the body).
    next_number: u32,
    sipdis: bool,
    mentions: Mentions,
    topic: Vec<String>,
    people: Vec<String>,
    redact: bool,
    scratch: String,
    /// Stop after the header block (tests).
    head_only: bool,
}

/// Writes the cable described by `spec` to `out` (appending).
pub(crate) fn render(spec: &CableSpec, out: &mut String) {
    render_impl(spec, out, false);
}

/// Writes only the cable's beginning, up to where the body starts: the same bytes as the start
/// of [`render`]'s output, for tests that look at headers of many cables.
#[cfg(test)]
pub(crate) fn render_head(spec: &CableSpec, out: &mut String) {
    render_impl(spec, out, true);
}

fn render_impl(spec: &CableSpec, out: &mut String, head_only: bool) {
    let d = data();
    let st = d.station(&spec.station);
    let mut rng = Rng::new(spec.seed);
    let l2 = spec.layout == Layout::RawTelegram;
    let md = l2 && rng.chance(0.8);
    let pages = page_count(spec.target_bytes, spec.malformed_id);
    let mut r = Renderer {
        rng,
        wild: Rng::new(super::rng::mix(spec.seed ^ 0x5eed_f0f0)),
        extra: Rng::new(super::rng::mix(spec.seed ^ 0x0e57_a11e)),
        out,
        spec,
        st: &st,
        l2,
        md,
        pages,
        next_number: 1,
        sipdis: false,
        mentions: Mentions::None,
        topic: Vec::new(),
        people: Vec::new(),
        redact: false,
        scratch: String::new(),
        head_only,
    };
    r.run();
}

/// Splits a subject into lines the way telegrams wrap it: at spaces, or after a hyphen when a
/// hyphenated word does not fit (the line then ends in `-` and joins without a space).
pub(crate) fn wrap_subject(subject: &str, first_width: usize, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in subject.split_whitespace() {
        let w = if lines.is_empty() { first_width } else { width };
        let mut word = word.to_string();
        loop {
            let need = if line.is_empty() {
                word.len()
            } else {
                line.len() + 1 + word.len()
            };
            if need <= w || line.is_empty() && !word.contains('-') {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(&word);
                break;
            }
            // Try breaking the word after a hyphen.
            let room = if line.is_empty() {
                w
            } else {
                w.saturating_sub(line.len() + 1)
            };
            let cut = word
                .char_indices()
                .rev()
                .find(|&(i, c)| c == '-' && i < room && i + 1 < word.len())
                .map(|(i, _)| i + 1);
            match cut {
                Some(cut) => {
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.push_str(&word[..cut]);
                    lines.push(std::mem::take(&mut line));
                    word = word[cut..].to_string();
                }
                None if line.is_empty() => {
                    line.push_str(&word);
                    break;
                }
                None => lines.push(std::mem::take(&mut line)),
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Splits a line at single spaces into lines of at most `width` bytes where possible (a word
/// is never cut; runs of spaces elsewhere are kept).
fn wrap_at_spaces(line: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line;
    while rest.len() > width {
        let b = rest.as_bytes();
        // Never before an initial (`EMAIL FROM J. SMITH`): a line starting `J. ` reads as an
        // item's letter.
        let initial = |i: usize| b.get(i + 2) == Some(&b'.') && b.get(i + 3) == Some(&b' ');
        let ok = |i: usize| b[i] == b' ' && b[i - 1] != b' ' && !initial(i);
        let at = (1..=width)
            .rev()
            .find(|&i| ok(i) && b.get(i + 1) != Some(&b' '))
            .or_else(|| (width..b.len()).find(|&i| ok(i)));
        let Some(at) = at else { break };
        out.push(rest[..at].to_string());
        rest = &rest[at + 1..];
    }
    out.push(rest.to_string());
    out
}

/// Day of the week, 0 for Sunday (Sakamoto's method).
fn weekday(year: u16, month: u8, day: u8) -> usize {
    const T: [u32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = u32::from(year) - u32::from(month < 3);
    ((y + y / 4 - y / 100 + y / 400 + T[month as usize - 1] + u32::from(day)) % 7) as usize
}

fn day_of_year(d: &DateTime) -> u32 {
    u32::from(d.day_of_year())
}

impl Renderer<'_> {
    fn run(&mut self) {
        let start = self.out.len();
        let spec = self.spec;
        // Draws made before the body never depend on the target size, so a header rendered
        // alone (see `render_head`) is byte-identical to the full file's.
        let section_roll = self.rng.chance(0.85);
        let section = self.pages > 1 && (spec.malformed_id || section_roll);
        self.sipdis = spec.created.year >= 2005 && self.rng.chance(0.95)
            || spec.created.year >= 2002 && self.rng.chance(0.1);
        self.redact = self.rng.chance(0.3);
        self.mentions = match spec.references.len() {
            0 => Mentions::None,
            1 => Mentions::Single,
            n => Mentions::Lettered(n),
        };
        self.prepare_topic();

        // Subject lines.
        let subject_lines = match &spec.subject {
            Some(s) if self.l2 && self.rng.chance(0.3) => vec![s.clone()],
            Some(s) => wrap_subject(s, WIDTH - 9, WIDTH),
            None => Vec::new(),
        };

        match spec.layout {
            Layout::HeaderTable => {
                let title = spec
                    .title
                    .clone()
                    .or_else(|| subject_lines.first().cloned())
                    .unwrap_or_default();
                self.header_table(&title);
            }
            Layout::TextDump => {
                self.dump_lines();
                if spec.extract == Extract::Empty {
                    return;
                }
                self.out.push('\n');
            }
            Layout::RawTelegram => {}
        }
        // A partial extract: the sentence, then a bare date-time group where one is kept.
        if spec.is_extract() {
            if self.l2 {
                self.out.push_str("\n\n");
            }
            self.out.push_str(EXTRACT_SENTENCE);
            self.out
                .push_str(if self.wild.chance(0.5) { "\n\n" } else { "\n" });
            if spec.extract == Extract::BareDtg {
                let dtg = self.bare_dtg();
                self.out.push_str(&dtg);
                self.out.push_str("\n\n");
            }
        } else {
            self.routing();
        }
        let class_line = self.class_line(section);
        let rest = self.header_rest(&subject_lines);
        if self.l2 {
            self.out.push_str(&class_line);
            self.out.push('\n');
            self.out.push_str(&rest);
        } else {
            self.out.push_str(&class_line);
            self.out.push_str(" \n");
            self.out.push_str(&rest);
            // The web export repeats the telegram's header; an extract and a dump do not.
            if spec.layout == Layout::HeaderTable && !spec.is_extract() && self.rng.chance(0.85) {
                self.out.push_str(&class_line);
                self.out.push('\n');
                self.out.push_str(&rest);
            }
            self.out.push('\n');
        }
        if self.head_only {
            return;
        }

        let used = self.out.len() - start;
        let min_body = 250 + self.rng.below(400);
        let body_target = (spec.target_bytes.saturating_sub(used + 20)).max(min_body);
        self.body(body_target);
        self.closing();
    }

    fn push_line(&mut self, text: &str, md: bool) {
        self.out.push_str(text);
        if md && self.md {
            self.out.push_str("  ");
        }
        self.out.push('\n');
    }

    fn prepare_topic(&mut self) {
        let d = data();
        let v = vocab();
        let spec = self.spec;
        let country = self
            .st
            .country
            .or_else(|| {
                spec.tags
                    .iter()
                    .find_map(|t| d.country_by_tag.get(t.as_str()).copied())
            })
            .unwrap_or(0);
        let c = &d.countries[country];
        let mut topic: Vec<String> = Vec::new();
        topic.extend(c.name.split(' ').map(str::to_string));
        topic.push(c.adjective.clone());
        if self.st.kind != Kind::State {
            topic.push(title_case(&self.st.written));
        }
        if let Some(s) = &spec.subject {
            for w in s.split(|c: char| !c.is_ascii_alphabetic()) {
                if w.len() >= 4 {
                    topic.push(v.natural_case(w));
                }
            }
        }
        for _ in 0..4 {
            topic.push(v.content_word(&mut self.rng).to_string());
        }
        for _ in 0..3 {
            topic.push(c.officials[self.rng.below(c.officials.len())].clone());
        }
        let mut people = Vec::new();
        for _ in 0..4 {
            let name = &c.officials[self.rng.below(c.officials.len())];
            people.push(format!("{} {}", self.rng.pick(TITLES), name));
        }
        for _ in 0..2 {
            let name = if self.rng.chance(0.5) {
                d.countries[0].officials[self.rng.below(d.countries[0].officials.len())].clone()
            } else {
                self.rng.pick(US_SURNAMES).to_string()
            };
            people.push(format!("{} {}", self.rng.pick(US_TITLES), name));
        }
        self.topic = topic;
        self.people = people;
    }

    fn header_table(&mut self, title: &str) {
        let spec = self.spec;
        let c = &spec.created;
        let out = &mut *self.out;
        out.push_str("Identifier\nCreated\nClassification\nOrigin\n");
        out.push_str(&spec.id());
        out.push('\n');
        out.push_str(&format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:00\n",
            c.year, c.month, c.day, c.hour, c.minute
        ));
        out.push_str(&spec.classification.label());
        out.push('\n');
        out.push_str(&self.st.display);
        out.push('\n');
        out.push_str("Cable title:\u{a0}\u{a0}\n\n");
        out.push_str(title);
        out.push_str("\n\nTags:");
        out.push(NBSP);
        out.push(NBSP);
        for t in &spec.tags {
            out.push_str(t);
            out.push(NBSP);
        }
        out.push_str("\npdf\u{a0}how-to read a cable\n");
    }

    /// The five lines of a community text dump: identifier, subject, the day as a local
    /// midnight, classification label, origin.
    fn dump_lines(&mut self) {
        let spec = self.spec;
        let c = spec.created;
        let weekday = weekday(c.year, c.month, c.day);
        let offset = *self.wild.pick(&["+0100", "+0100", "+0200", "+0000"]);
        let subject = spec.title.clone().or_else(|| spec.subject.clone());
        let lines = [
            spec.id(),
            subject.unwrap_or_default(),
            format!(
                "{} {} {:02} 00:00:00 {offset} {}",
                WEEKDAYS[weekday],
                title_case(MON[c.month as usize - 1]),
                c.day,
                c.year
            ),
            spec.classification.label(),
            self.st.display.clone(),
        ];
        self.out.push_str(&lines.join("\n"));
    }

    /// A date-time group standing alone, in any case: `151030Z FEB 05`, `151030Z Feb 05`,
    /// `O 151030Z FEB 05`.
    fn bare_dtg(&mut self) -> String {
        let c = self.spec.created;
        let mon = MON[c.month as usize - 1];
        let (prefix, mon) = match self.wild.below(5) {
            0 => ("", mon.to_string()),
            1 => ("", title_case(mon)),
            2 => ("", mon.to_lowercase()),
            3 => ("O ", mon.to_string()),
            _ => ("R ", mon.to_string()),
        };
        format!(
            "{prefix}{:02}{:02}{:02}Z {mon} {:02}",
            c.day,
            c.hour,
            c.minute,
            c.year % 100
        )
    }

    fn routing(&mut self) {
        let d = data();
        let spec = self.spec;
        let c = spec.created;
        if self.l2 {
            self.out.push_str("\n\n");
        }
        let (prec, word) = match self.rng.weighted(&[45, 35, 18, 2]) {
            0 => ('O', "IMMEDIATE"),
            1 => ('P', "PRIORITY"),
            2 => ('R', "ROUTINE"),
            _ => ('Z', "FLASH"),
        };
        let vz = match self.rng.below(10) {
            0..=2 => "VZCZCXYZ0000".to_string(),
            3..=6 => format!("VZCZCXRO{:04}", self.rng.below(10_000)),
            _ => format!(
                "VZCZC{}{}{}{:04}",
                (b'A' + self.rng.below(26) as u8) as char,
                (b'A' + self.rng.below(26) as u8) as char,
                (b'A' + self.rng.below(26) as u8) as char,
                self.rng.below(10_000)
            ),
        };
        self.push_line(&vz, true);
        let relay = if self.rng.chance(0.8) {
            "RUEHWEB".to_string()
        } else {
            d.stations[d.station_alias.sample(&mut self.rng)]
                .route
                .clone()
        };
        self.out.push_str(&format!("{prec}{prec} {relay}\n"));
        if self.l2 || self.rng.chance(0.6) {
            self.out.push('\n');
        }
        let de = format!(
            "DE {} #{:04}/01 {:03}{:02}{:02}",
            self.st.route,
            spec.serial % 10_000,
            day_of_year(&c),
            c.hour,
            c.minute
        );
        self.push_line(&de, true);
        let zny = match spec.classification.level {
            Level::Unclassified => "ZNR UUUUU ZZH",
            Level::Confidential => "ZNY CCCCC ZZH",
            Level::Secret | Level::TopSecret => "ZNY SSSSS ZZH",
        };
        self.push_line(zny, true);
        let dtg = format!(
            "{prec} {:02}{:02}{:02}Z {} {:02}",
            c.day,
            c.hour,
            c.minute,
            MON[c.month as usize - 1],
            c.year % 100
        );
        self.push_line(&dtg, true);
        let fm = format!("FM {}", self.st.fm);
        self.push_line(&fm, true);

        // Addressees.
        let mut lines: Vec<String> = Vec::new();
        let station_addr = |rng: &mut Rng| -> String {
            loop {
                let s = &d.stations[d.station_alias.sample(rng)];
                if s.kind != Kind::State && s.token != spec.station {
                    return format!("{}/{} {word} {:04}", s.route, s.fm, rng.below(10_000));
                }
            }
        };
        if self.st.kind == Kind::State {
            let n = 1 + self.rng.below(4);
            for _ in 0..n {
                lines.push(station_addr(&mut self.rng));
            }
            if self.rng.chance(0.2) {
                lines.push(format!("RUEHZG/NATO EU COLLECTIVE {word}"));
            }
        } else {
            lines.push(format!(
                "RUEHC/SECSTATE WASHDC {word} {:04}",
                self.rng.below(10_000)
            ));
        }
        let to_count = lines.len();
        let n_info = self.rng.weighted(&[15, 15, 15, 15, 10, 10, 8, 7, 5]);
        for _ in 0..n_info {
            let line = if self.rng.chance(0.5) {
                format!("{} {word}", self.rng.pick(AGENCIES))
            } else {
                station_addr(&mut self.rng)
            };
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
        let last = lines.len() - 1;
        for (i, line) in lines.iter().enumerate() {
            let prefix = if i == 0 {
                "TO "
            } else if i == to_count {
                "INFO "
            } else {
                ""
            };
            let text = format!("{prefix}{line}");
            self.push_line(&text, i != last);
        }
        if self.l2 {
            self.out.push('\n');
        }
    }

    fn class_line(&mut self, section: bool) -> String {
        let spec = self.spec;
        let level = match spec.classification.level {
            Level::Unclassified => "UNCLAS",
            Level::Confidential => "C O N F I D E N T I A L",
            Level::Secret => "S E C R E T",
            Level::TopSecret => "T O P S E C R E T",
        };
        let mut line = level.to_string();
        if section {
            line.push_str(&format!(" SECTION 01 OF {:02}", self.pages));
        }
        line.push_str(&format!(" {} {:06}", self.st.written, spec.serial));
        match (spec.forms.class_line, spec.classification.level) {
            (ClassLine::MixedCase, Level::Confidential | Level::Secret) => {
                // `C o n f i d e n t i a l section 01 of 02 rome 000123`: the letters after
                // the first in lower case, and the rest of the line too.
                let (head, tail) = line.split_at(level.len());
                let mut mixed: String = head
                    .chars()
                    .enumerate()
                    .map(|(k, c)| if k == 0 { c } else { c.to_ascii_lowercase() })
                    .collect();
                mixed.push_str(&tail.to_lowercase());
                mixed
            }
            (ClassLine::Doubled, Level::Confidential | Level::Secret) => {
                format!("{}{line}", &line[..1])
            }
            _ => line,
        }
    }

    /// Everything after the classification line up to the body: markers, `E.O.`, `TAGS`,
    /// `SUBJECT`, `REF`, `Classified By`, ending with a blank line.
    fn header_rest(&mut self, subject_lines: &[String]) -> String {
        let spec = self.spec;
        let md = self.md;
        let mut s = String::new();
        let line = |s: &mut String, text: &str, m: bool| {
            s.push_str(text);
            if m && md {
                s.push_str("  ");
            }
            s.push('\n');
        };
        s.push('\n');
        let caveat = match spec.classification.caveat {
            Some(Caveat::Noforn) => Some("NOFORN"),
            Some(Caveat::ForOfficialUseOnly) => {
                if spec.classification.level == Level::Unclassified && self.rng.chance(0.65) {
                    Some("SENSITIVE BUT UNCLASSIFIED")
                } else {
                    Some("FOR OFFICIAL USE ONLY")
                }
            }
            None => None,
        };
        // `SENSITIVE` and its kin later, just before the first numbered paragraph.
        let (caveat, late_caveat) = if spec.forms.late_caveat && caveat.is_some() {
            let late = *self.wild.pick(&[
                "SENSITIVE",
                "SENSITIVE",
                "SENSITIVE BUT UNCLASSIFIED",
                "FOR OFFICIAL USE ONLY",
            ]);
            (None, Some(late))
        } else {
            (caveat, None)
        };
        let n_sipdis = if self.sipdis {
            1 + usize::from(self.rng.chance(0.6))
        } else {
            0
        };
        let caveat_pos = if n_sipdis == 2 {
            self.rng.below(3)
        } else {
            self.rng.below(2) * 2
        };
        if let (Some(c), 0) = (caveat, caveat_pos) {
            line(&mut s, c, false);
            s.push('\n');
        }
        if n_sipdis >= 1 {
            line(&mut s, "SIPDIS", false);
            s.push('\n');
        }
        if let (Some(c), 1) = (caveat, caveat_pos) {
            line(&mut s, c, false);
        }
        if n_sipdis == 2 {
            line(&mut s, "SIPDIS", false);
            s.push('\n');
        }
        if let (Some(c), 2) = (caveat, caveat_pos) {
            line(&mut s, c, false);
            s.push('\n');
        }
        if self.rng.chance(0.25) {
            line(&mut s, self.rng.pick_str(ADDRESS_LINES), false);
            s.push('\n');
        }
        let gap = self.l2 && self.rng.chance(0.3);
        let eo = self.eo_line();
        let eo_run_on = spec.forms.tags == TagsForm::EoRunOn && spec.subject.is_some();
        if eo_run_on {
            // Layout 1 wraps it at the telegram's width, as it does every header line.
            let l = self.eo_run_on_line();
            let lines = if self.l2 {
                vec![l]
            } else {
                wrap_at_spaces(&l, WIDTH)
            };
            for l in &lines {
                line(&mut s, l, true);
            }
        } else {
            line(&mut s, &eo, true);
        }
        if gap {
            s.push('\n');
        }
        if !spec.tags.is_empty() && !eo_run_on {
            let tags = self.tags_line();
            line(&mut s, &tags, true);
            if gap {
                s.push('\n');
            }
        }
        // A page break inside a wrapped subject (the web export's pages of the original).
        let break_after = (spec.forms.subject_break && subject_lines.len() > 1 && self.pages > 1)
            .then(|| 1 + self.wild.below(subject_lines.len() - 1));
        for (i, l) in subject_lines.iter().enumerate().filter(|_| !eo_run_on) {
            let text = if i == 0 {
                format!("SUBJECT: {l}")
            } else {
                l.clone()
            };
            line(&mut s, &text, i + 1 < subject_lines.len());
            if break_after == Some(i + 1) {
                let page = if self.wild.chance(0.5) {
                    "001.2"
                } else {
                    "002"
                };
                let pb = format!(
                    "{} {:08} {page} OF {:03}",
                    self.st.written, spec.serial, self.pages
                );
                line(&mut s, &pb, true);
            }
        }
        s.push('\n');
        if !spec.references.is_empty() {
            let refs = self.ref_lines();
            let n = refs.len();
            for (i, l) in refs.iter().enumerate() {
                line(&mut s, l, !l.is_empty() && i + 1 < n);
            }
            s.push('\n');
        }
        if spec.classification.level != Level::Unclassified {
            let cb = self.classified_by();
            line(&mut s, &cb, false);
            s.push('\n');
        }
        let preamble = self.rng.below(100);
        if preamble < 2 && self.mentions == Mentions::Single {
            line(
                &mut s,
                "(U) CORRECTED COPY, this message replaces reftel.",
                false,
            );
            s.push('\n');
        } else if preamble < 5 {
            let text = format!(
                "(U) This is an action request. See paragraph {}.",
                2 + self.rng.below(8)
            );
            line(&mut s, &text, false);
            s.push('\n');
        } else if preamble < 8 && spec.classification.caveat == Some(Caveat::ForOfficialUseOnly) {
            line(
                &mut s,
                "(U) Sensitive but unclassified. Please protect accordingly.",
                false,
            );
            s.push('\n');
        }
        if let Some(c) = late_caveat {
            line(&mut s, c, false);
            s.push('\n');
        }
        s
    }

    fn eo_line(&mut self) -> String {
        let c = self.spec.created;
        let classified = self.spec.classification.level != Level::Unclassified;
        if c.year < 1995 {
            return if classified {
                "E.O. 12356: DECL: OADR".to_string()
            } else {
                "E.O. 12356: N/A".to_string()
            };
        }
        if !classified {
            return match self.rng.below(20) {
                0 => "E.O. 12958:N/A".to_string(),
                1 => "E.O. 12958: N/A ".to_string(),
                _ => "E.O. 12958: N/A".to_string(),
            };
        }
        let years = match self.rng.below(10) {
            0..=7 => 10,
            8 => 25,
            _ => 5 + self.rng.below(16) as u16,
        };
        let day = c.day.saturating_sub(self.rng.below(7) as u8).max(1);
        match self.rng.below(40) {
            0 => format!("E.O. 12958: DECL: 1.6X{}", 1 + self.rng.below(8)),
            1 => format!(
                "E.O. 12958: DECL:{:02}/{:02}/{}",
                c.month,
                day,
                c.year + years
            ),
            2 => format!(
                "E.O. 12958: DECL: {:02}/{:02}/{:02}",
                c.month,
                day,
                (c.year + years) % 100
            ),
            3 => "E.O. 12958: DECL: 10 YEARS".to_string(),
            _ if c.year >= 2010 && self.rng.chance(0.5) => format!(
                "E.O. 13526: DECL: {}/{:02}/{:02}",
                c.year + years,
                c.month,
                day
            ),
            _ => format!(
                "E.O. 12958: DECL: {:02}/{:02}/{}",
                c.month,
                day,
                c.year + years
            ),
        }
    }

    /// The `E.o.` line with the tags and the subject run into it, in sentence case
    /// ([`TagsForm::EoRunOn`]): `E.o. 12958: decl: 01/07/2014 Tags: prel, pgov, tu Subject:
    /// …`.
    fn eo_run_on_line(&mut self) -> String {
        let c = self.spec.created;
        let years = 10 + 15 * u16::from(self.extra.chance(0.2));
        let tags: Vec<String> = self.spec.tags.iter().map(|t| t.to_lowercase()).collect();
        let sep = if self.extra.chance(0.7) { ", " } else { " " };
        format!(
            "E.o. 12958: decl: {:02}/{:02}/{} Tags: {} Subject: {}",
            c.month,
            c.day,
            c.year + years,
            tags.join(sep),
            self.spec.subject.as_deref().unwrap_or_default()
        )
    }

    fn tags_line(&mut self) -> String {
        let spec = self.spec;
        let mut tags: Vec<String> = spec.tags.clone();
        if spec.glue_tags {
            if let Some(i) = (0..tags.len().saturating_sub(1))
                .find(|&i| tags[i].len() == 4 && tags[i + 1].len() == 4)
            {
                let next = tags.remove(i + 1);
                tags[i].push_str(&next);
            }
        }
        if spec.forms.tags != TagsForm::Standard || tags.iter().any(|t| t.contains(' ')) {
            return self.wild_tags_line(&tags);
        }
        if self.l2 && self.rng.chance(0.85) {
            let linked: Vec<String> = tags.iter().map(|t| format!("[{t}](#)")).collect();
            format!("TAGS: {}", linked.join(" "))
        } else if self.rng.chance(0.03) {
            format!("TAGS: {}", tags.join(", "))
        } else {
            format!("TAGS: {}", tags.join(" "))
        }
    }

    /// The `TAGS` line in a real-world form: without a colon, with commas, wrapped, in lower
    /// case, or holding a person tag (`OVIP (SMITH, JOHN)`, never a Markdown link).
    fn wild_tags_line(&mut self, tags: &[String]) -> String {
        let person = tags.iter().any(|t| t.contains(' '));
        let links = self.l2 && !person && self.wild.chance(0.7);
        let link = |t: &str, comma: bool| {
            let c = if comma { "," } else { "" };
            if links {
                format!("[{t}{c}](#)")
            } else {
                format!("{t}{c}")
            }
        };
        let n = tags.len();
        match self.spec.forms.tags {
            TagsForm::NoColon => {
                let comma = links || self.wild.chance(0.3);
                let parts: Vec<String> = tags
                    .iter()
                    .enumerate()
                    .map(|(k, t)| link(t, comma && (links || k + 1 < n)))
                    .collect();
                format!("TAGS {}", parts.join(" "))
            }
            TagsForm::Commas => {
                let parts: Vec<String> = tags.iter().map(|t| link(t, false)).collect();
                format!("TAGS: {}", parts.join(", "))
            }
            TagsForm::Wrapped if n >= 3 => {
                // The first line as usual, the rest plain on the next line.
                let cut = 2 + self.wild.below(n - 2);
                let comma = self.wild.chance(0.5);
                let sep = if comma { ", " } else { " " };
                let first: Vec<String> = tags[..cut].iter().map(|t| link(t, false)).collect();
                let tail = if comma { "," } else { "" };
                format!("TAGS: {}{tail}\n{}", first.join(sep), tags[cut..].join(sep))
            }
            TagsForm::Lower => {
                let sep = if self.wild.chance(0.6) { ", " } else { " " };
                let label = if self.wild.chance(0.6) {
                    "Tags:"
                } else {
                    "TAGS:"
                };
                let lower: Vec<String> = tags.iter().map(|t| t.to_lowercase()).collect();
                format!("{label} {}", lower.join(sep))
            }
            _ => format!("TAGS: {}", tags.join(" ")),
        }
    }

    /// A station as written in a `REF:` item.
    fn ref_station(&mut self, token: &str) -> String {
        match token {
            "STATE" if self.rng.chance(0.35) => "SECSTATE".to_string(),
            "THEHAGUE" if self.rng.chance(0.6) => "THE HAGUE".to_string(),
            "RIODEJANEIRO" if self.rng.chance(0.7) => "RIO DE JANEIRO".to_string(),
            _ => {
                let written = &data().station(token).written;
                if written != token && self.rng.chance(0.5) {
                    written.clone()
                } else {
                    token.to_string()
                }
            }
        }
    }

    /// A cited cable as written in a `REF:` item: `PARIS 1111`, `06 MOSCOW 1234`,
    /// `2006 STATE 55`, `(99) ROME 2196`, `USNATO 000263`.
    fn ref_cable_text(&mut self, id: &str) -> String {
        let Some((yy, token, serial)) = split_id(id) else {
            return id.to_string();
        };
        let same_year = u32::from(self.spec.created.year % 100) == yy;
        let station = self.ref_station(token);
        let serial = if self.rng.chance(0.2) {
            format!("{serial:06}")
        } else {
            serial.to_string()
        };
        let form = if same_year {
            self.rng.weighted(&[50, 25, 10, 15])
        } else {
            1 + self.rng.weighted(&[60, 20, 20])
        };
        let full = if yy >= 66 { 1900 + yy } else { 2000 + yy };
        match form {
            0 => format!("{station} {serial}"),
            1 => format!("{yy:02} {station} {serial}"),
            2 => format!("{full} {station} {serial}"),
            _ => format!("({yy:02}) {station} {serial}"),
        }
    }

    fn ref_lines(&mut self) -> Vec<String> {
        let spec = self.spec;
        if spec.forms.wild_refs {
            return self.wild_ref_lines();
        }
        if spec.forms.refs != RefVariant::Standard {
            return self.variant_ref_lines();
        }
        let items: Vec<String> = spec
            .references
            .iter()
            .map(|r| match r {
                RefItem::Cable(id) => self.ref_cable_text(id),
                RefItem::Other(text) => text.clone(),
            })
            .collect();
        if items.len() == 1 {
            return vec![format!("REF: {}", items[0])];
        }
        let all_cables = spec
            .references
            .iter()
            .all(|r| matches!(r, RefItem::Cable(_)));
        if items.len() <= 3 && all_cables && self.rng.chance(0.2) {
            let parts: Vec<String> = items
                .iter()
                .enumerate()
                .map(|(i, t)| format!("{}) {t}", (b'A' + i as u8) as char))
                .collect();
            return vec![format!("REF: {}", parts.join("; "))];
        }
        let mark = if self.rng.chance(0.8) { '.' } else { ')' };
        let gap = self.rng.chance(0.3);
        let links = self.l2 && self.rng.chance(0.4);
        let mut lines = Vec::new();
        for (i, t) in items.iter().enumerate() {
            let letter = (b'A' + i as u8) as char;
            if i == 0 {
                lines.push(format!("REF: {letter}{mark} {t}"));
            } else {
                if gap {
                    lines.push(String::new());
                }
                let link = if links && self.rng.chance(0.7) {
                    "[1](#)"
                } else {
                    ""
                };
                lines.push(format!("{link}{letter}{mark} {t}"));
            }
        }
        lines
    }

    /// A cited cable as the REF variants write it, from their own stream: `STATE 1234` (of
    /// the citing year, unless `with_year`), `07 PARIS 55`, `2007 THE HAGUE 55`, now and then
    /// with the serial zero-padded (`BOGOTA 008224`).
    fn variant_cable_text(&mut self, id: &str, with_year: bool) -> String {
        let Some((yy, token, serial)) = split_id(id) else {
            return id.to_string();
        };
        let same_year = u32::from(self.spec.created.year % 100) == yy;
        let written = data().station(token).written.clone();
        let station = if self.extra.chance(0.5) {
            written
        } else {
            token.to_string()
        };
        let serial = if self.extra.chance(0.15) {
            format!("{serial:06}")
        } else {
            serial.to_string()
        };
        let full = if yy >= 66 { 1900 + yy } else { 2000 + yy };
        let form = if same_year && !with_year {
            self.extra.below(3)
        } else if with_year {
            1
        } else {
            1 + self.extra.below(2)
        };
        match form {
            0 => format!("{station} {serial}"),
            1 => format!("{yy:02} {station} {serial}"),
            _ => format!("{full} {station} {serial}"),
        }
    }

    /// The REF block in one of [`RefVariant`]'s forms.
    fn variant_ref_lines(&mut self) -> Vec<String> {
        let refs = &self.spec.references;
        let variant = self.spec.forms.refs;
        let mut items: Vec<String> = Vec::with_capacity(refs.len());
        let mut k = 0;
        // `AND PREVIOUS` joins the first two cables that stand together.
        let mut joined = false;
        while k < refs.len() {
            let text = match &refs[k] {
                RefItem::Other(text) => text.clone(),
                RefItem::Cable(id) => {
                    let first = self.variant_cable_text(id, false);
                    match refs.get(k + 1) {
                        Some(RefItem::Cable(next))
                            if variant == RefVariant::AndPrevious && !joined =>
                        {
                            joined = true;
                            k += 1;
                            let second = self.variant_cable_text(next, true);
                            format!("{first} AND PREVIOUS {second}")
                        }
                        _ => first,
                    }
                }
            };
            items.push(text);
            k += 1;
        }
        if items.len() == 1 {
            return vec![format!("REF: {}", items[0])];
        }
        match variant {
            RefVariant::LoneLabel => {
                let line = format!("REF: A) {}", items.join("; "));
                if self.l2 {
                    vec![line]
                } else {
                    wrap_at_spaces(&line, WIDTH)
                }
            }
            RefVariant::DoubledDots => items
                .iter()
                .enumerate()
                .map(|(k, t)| {
                    let l = (b'A' + k as u8) as char;
                    let label = if k == 0 { "REF: " } else { "" };
                    format!("{label}{l}. {l}. {t}")
                })
                .collect(),
            _ => items
                .iter()
                .enumerate()
                .map(|(k, t)| {
                    let l = (b'A' + k as u8) as char;
                    let label = if k == 0 { "REF: " } else { "" };
                    format!("{label}{l}. {t}")
                })
                .collect(),
        }
    }

    /// A station as a wild `REF` item writes it: one of the gazetteer's spellings of the post
    /// (`SECSTATE`, `UNVIE`, `HAGUE`, `USUN NEW YORK`, `RIO DE JANEIRO`, typos), sometimes in
    /// mixed or lower case (`State`, `vienna`).
    fn wild_station(&mut self, token: &str) -> String {
        // Routing forms of the `FM` and `TO` lines, not how a REF item names a post.
        const FM_WORDS: [&str; 10] = [
            "AMEMBASSY",
            "AMEMB",
            "AMCONSUL",
            "USMISSION",
            "USOFFICE",
            "USINT",
            "USLO",
            "WASHDC",
            "WASHINGTON",
            "DC",
        ];
        let g = Gazetteer::builtin();
        let mut names: Vec<String> = vec![token.to_string()];
        if let Some(st) = g.station(token) {
            names.extend(
                st.spellings
                    .iter()
                    .filter(|s| {
                        !s.split(' ').any(|w| FM_WORDS.contains(&w))
                            && g.token(s) == Some(token)
                            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ')
                    })
                    .cloned(),
            );
        }
        // Mostly the token or the city in words, now and then another of the gazetteer's
        // spellings (aliases, short forms, the typos seen in real REF lines).
        let name = if names.len() > 1 && self.wild.chance(0.3) {
            self.wild.pick(&names[1..]).clone()
        } else {
            let written = data().station(token).written.clone();
            if self.wild.chance(0.5) {
                written
            } else {
                token.to_string()
            }
        };
        // Case changes after a conversion (`State 1234`, `vienna 350`): of real posts' names.
        let letters = name.bytes().all(|b| b.is_ascii_uppercase() || b == b' ');
        match self.wild.below(16) {
            0 if letters && g.station(token).is_some() => title_case(&name.to_lowercase()),
            1 if letters && g.station(token).is_some() => name.to_lowercase(),
            _ => name,
        }
    }

    /// A cited cable (or several serials of one station and year) in a wild form: years before,
    /// after or glued to the serial, dashed, zero-padded serials, `(NOTAL)`.
    fn wild_cable_text(&mut self, yy: u32, token: &str, serials: &[u32], join: &str) -> String {
        let same_year = u32::from(self.spec.created.year % 100) == yy;
        let full = if yy >= 66 { 1900 + yy } else { 2000 + yy };
        let pad = self.wild.chance(0.2);
        let fmt_serial = |n: u32| {
            if pad {
                format!("{n:06}")
            } else {
                n.to_string()
            }
        };
        let rest: Vec<String> = serials[1..].iter().map(|&n| fmt_serial(n)).collect();
        let more = if rest.is_empty() {
            String::new()
        } else {
            format!("{join}{}", rest.join(join))
        };
        let first = serials[0];
        // Glued and dashed forms use the token (`05RIODEJANEIRO44`), never a spelling in words.
        let form = if serials.len() > 1 {
            self.wild.below(if same_year { 4 } else { 3 })
        } else {
            self.wild.below(if same_year { 11 } else { 10 })
        };
        let station = self.wild_station(token);
        let mut text = match form {
            0 => format!("{yy:02} {station} {}{more}", fmt_serial(first)),
            1 => format!("{full} {station} {}{more}", fmt_serial(first)),
            2 => format!("({yy:02}) {station} {}{more}", fmt_serial(first)),
            3 if serials.len() > 1 => format!("{station} {}{more}", fmt_serial(first)),
            3 => format!("{station} {} ({yy:02})", fmt_serial(first)),
            4 => format!("{yy:02}{token}{first}"),
            5 => format!("{full}{token}{first}"),
            6 => format!("{yy:02}-{token}-{first}"),
            7 => format!("{yy:02}{token} {first:03}"),
            8 | 9 => format!("{yy:02} {station} {}", fmt_serial(first)),
            _ => format!("{station} {}", fmt_serial(first)),
        };
        if self.wild.chance(0.05) {
            text.push_str(" (NOTAL)");
        }
        text
    }

    /// The `REF` block in the forms real cables use beyond the seeds'.
    fn wild_ref_lines(&mut self) -> Vec<String> {
        let refs = &self.spec.references;
        // Items: consecutive cables of one station and year now and then share one item
        // (`STATE 1234 AND 5678`, `STATE 1234, 5678`); they keep their order.
        let mut items: Vec<String> = Vec::new();
        let mut comma_inside = false;
        let mut k = 0;
        while k < refs.len() {
            match &refs[k] {
                RefItem::Other(text) => {
                    items.push(text.clone());
                    k += 1;
                }
                RefItem::Cable(id) => {
                    let Some((yy, token, serial)) = split_id(id) else {
                        items.push(id.clone());
                        k += 1;
                        continue;
                    };
                    let mut serials = vec![serial];
                    if self.wild.chance(0.5) {
                        while let Some(RefItem::Cable(next)) = refs.get(k + serials.len()) {
                            match split_id(next) {
                                Some((y2, t2, s2)) if y2 == yy && t2 == token => serials.push(s2),
                                _ => break,
                            }
                        }
                    }
                    let join = if serials.len() > 1 && self.wild.chance(0.5) {
                        comma_inside = true;
                        ", "
                    } else {
                        " AND "
                    };
                    k += serials.len();
                    let text = self.wild_cable_text(yy, token, &serials, join);
                    items.push(text);
                }
            }
        }
        let n = items.len();
        let label = if n == 1 {
            *self
                .wild
                .pick(&["REF:", "Ref:", "Reftel:", "REFTEL:", "REF:", "Ref(s):"])
        } else {
            *self
                .wild
                .pick(&["REF:", "REFS:", "Ref:", "Refs:", "Ref(s):", "REF: REFS:"])
        };
        if n == 1 {
            return vec![format!("{label} {}", items[0])];
        }
        let marker = self.wild.below(8);
        let mark = |k: usize| {
            let l = (b'A' + k as u8) as char;
            match marker {
                0 => format!("{l}."),
                1 => format!("{l})"),
                2 => format!("({l})"),
                3 => format!("[{l}]"),
                4 => format!("{l}.)"),
                5 => format!("{l}:"),
                6 => format!("({})", k + 1),
                _ => format!("{l}. {l})"),
            }
        };
        let all_cables = refs.iter().all(|r| matches!(r, RefItem::Cable(_)));
        match self.wild.below(3) {
            // One item a line; now and then an item wraps onto the next line.
            0 => {
                let mut lines = Vec::new();
                for (k, item) in items.iter().enumerate() {
                    let first = if k == 0 {
                        format!("{label} {} {item}", mark(k))
                    } else {
                        format!("{} {item}", mark(k))
                    };
                    match first.rfind(' ').filter(|_| self.wild.chance(0.15)) {
                        Some(at) if at > label.len() + 4 => {
                            lines.push(first[..at].to_string());
                            lines.push(first[at + 1..].to_string());
                        }
                        _ => lines.push(first),
                    }
                }
                lines
            }
            // Marked items run on one line (wrapped at the telegram's width), separated by
            // `;`, `,`, `:` or two spaces.
            1 => {
                let seps: &[&str] = if comma_inside {
                    &["; ", "  "]
                } else {
                    &["; ", ", ", "  ", "; "]
                };
                let mut sep = *self.wild.pick(seps);
                if marker == 5 && sep == ": " {
                    sep = "; ";
                }
                let parts: Vec<String> = items
                    .iter()
                    .enumerate()
                    .map(|(k, t)| format!("{} {t}", mark(k)))
                    .collect();
                let line = format!("{label} {}", parts.join(sep));
                wrap_at_spaces(&line, WIDTH)
            }
            // Unmarked cables on one line: `REF: STATE 1234; STATE 5678`.
            _ if all_cables => {
                let seps: &[&str] = if comma_inside {
                    &["; "]
                } else {
                    &["; ", ", ", ": "]
                };
                let sep = *self.wild.pick(seps);
                let line = format!("{label} {}", items.join(sep));
                wrap_at_spaces(&line, WIDTH)
            }
            _ => {
                let parts: Vec<String> = items
                    .iter()
                    .enumerate()
                    .map(|(k, t)| format!("{} {t}", mark(k)))
                    .collect();
                let mut lines = vec![format!("{label} {}", parts[0])];
                lines.extend(parts[1..].iter().cloned());
                lines
            }
        }
    }

    fn classified_by(&mut self) -> String {
        let d = data();
        // As in the release, a post has a few classifying officers at a time, each for a tenure
        // (here three years): the name is drawn from the post, the office and the tenure, so a
        // person classifies many cables, sometimes under several titles (`DCM Richard Olson`,
        // `Charge Richard Olson`). The random draws are still made (and dropped), so the rest of the corpus
        // is what it was before names were tied to posts.
        let year = self.spec.created.year;
        let tenure = |office: &str, list: &'static [&'static str], salt: u64| -> &'static str {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ salt;
            for b in self.spec.station.bytes().chain(office.bytes()) {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
            h = (h ^ u64::from(year / 3)).wrapping_mul(0x0100_0000_01b3);
            list[(h % list.len() as u64) as usize]
        };
        let who = if self.st.kind == Kind::State {
            let title = *self.rng.pick(STATE_CLASSIFIERS);
            self.rng.pick(super::data::FIRST_NAMES);
            self.rng.pick(US_SURNAMES);
            format!(
                "{title} {} {}",
                tenure(title, super::data::FIRST_NAMES, 1),
                tenure(title, US_SURNAMES, 2)
            )
        } else {
            let title = *self.rng.pick(CLASSIFIER_TITLES);
            // The ambassador and two other officers.
            let office = match title {
                "Ambassador" => "Ambassador",
                t if t.len() % 2 == 0 => "first",
                _ => "second",
            };
            let last = if title == "Ambassador" {
                title_case(&d.signer(self.st, year))
            } else {
                self.rng.pick(US_SURNAMES);
                tenure(office, US_SURNAMES, 2).to_string()
            };
            self.rng.pick(super::data::FIRST_NAMES);
            format!(
                "{title} {} {last}",
                tenure(office, super::data::FIRST_NAMES, 1)
            )
        };
        let reason = if self.spec.created.year < 2003 && self.rng.chance(0.5) {
            "Reason 1.5 (b & d)"
        } else {
            *self.rng.pick(REASONS)
        };
        let joiner = if self.rng.chance(0.5) { ", " } else { " for " };
        let line = format!("Classified By: {who}{joiner}{reason}");
        if line.len() > 70 && line.is_ascii() && self.rng.chance(0.3) {
            format!("{}\n{}", &line[..70], &line[70..])
        } else {
            line
        }
    }

    // ---- body text ----

    fn number(&mut self, s: &mut String) {
        match self.rng.below(8) {
            0..=2 => s.push_str(&(2 + self.rng.below(59)).to_string()),
            3 => s.push_str(&(1990 + self.rng.below(21)).to_string()),
            4 => s.push_str(&format!(
                "{},{:03}",
                1 + self.rng.below(99),
                self.rng.below(1000)
            )),
            5 => {
                if self.l2 {
                    s.push('\\');
                }
                s.push_str(&format!(
                    "${}.{} {}",
                    1 + self.rng.below(99),
                    self.rng.below(10),
                    if self.rng.chance(0.5) {
                        "million"
                    } else {
                        "billion"
                    }
                ));
            }
            6 => s.push_str(&format!("{} percent", 1 + self.rng.below(99))),
            _ => s.push_str(self.rng.pick_str(&[
                "two", "three", "four", "five", "ten", "dozen", "several", "hundreds",
            ])),
        }
    }

    fn sentence(&mut self, s: &mut String, n: usize) {
        let v = vocab();
        for k in 0..n {
            if k > 0 {
                s.push(' ');
            }
            let start = s.len();
            let last = k + 1 == n;
            let x = self.rng.below(1000);
            if x < 60 {
                let w = &self.topic[self.rng.below(self.topic.len())];
                s.push_str(w);
            } else if x < 72 && !last {
                let p = &self.people[self.rng.below(self.people.len())];
                s.push_str(p);
            } else if x < 84 && !last {
                self.number(s);
            } else if x < 90 && !last {
                s.push_str(MONTHS[self.rng.below(12)]);
                s.push(' ');
                s.push_str(&(1 + self.rng.below(28)).to_string());
            } else if x < 94 && self.redact {
                s.push_str("XXXXXXXXXXXX");
            } else {
                s.push_str(v.word(&mut self.rng));
            }
            if k == 0 {
                if let Some(c) = s[start..].chars().next() {
                    if c.is_ascii_lowercase() {
                        let upper = c.to_ascii_uppercase().to_string();
                        s.replace_range(start..start + 1, &upper);
                    }
                }
            } else if !last && self.rng.below(100) < 7 {
                s.push(',');
            }
        }
        // A reference mention before the full stop.
        if self.mentions != Mentions::None && self.rng.below(100) < 4 {
            match self.mentions {
                Mentions::Single => {
                    s.push_str(
                        self.rng
                            .pick_str(&[" (reftel)", " reftel", ", as reported reftel"]),
                    )
                }
                Mentions::Lettered(n) => {
                    let letter = (b'A' + self.rng.below(n) as u8) as char;
                    match self.rng.below(4) {
                        0 => s.push_str(&format!(" (REF {letter})")),
                        1 => s.push_str(&format!(" (see REF {letter})")),
                        2 => s.push_str(&format!(", per REF {letter}")),
                        _ => s.push_str(" (reftels)"),
                    }
                }
                Mentions::None => {}
            }
        }
        s.push('.');
    }

    /// One paragraph's running text (without number or marking) into `s`.
    fn paragraph_text(&mut self, s: &mut String, target: usize, kind: u8) {
        match kind {
            1 => s.push_str(if self.rng.chance(0.7) {
                "Summary: "
            } else {
                "SUMMARY: "
            }),
            2 => s.push_str("Comment: "),
            _ => {}
        }
        let base = s.len();
        loop {
            let n = 6 + self.rng.below(22);
            if self.rng.below(100) < 3 {
                s.push_str("(Note: ");
                self.sentence(s, n);
                s.push_str(" End note.)");
            } else {
                self.sentence(s, n);
            }
            if s.len() - base >= target {
                break;
            }
            s.push(' ');
        }
        match kind {
            1 => s.push_str(" End summary."),
            2 => s.push_str(" End comment."),
            _ => {}
        }
    }

    fn marking(&mut self) -> &'static str {
        let c = self.spec.classification;
        match (c.level, c.caveat) {
            (Level::Unclassified, None) => "U",
            (Level::Unclassified, Some(_)) => {
                ["SBU", "U", "U//FOUO"][self.rng.weighted(&[60, 30, 10])]
            }
            (Level::Confidential, Some(Caveat::Noforn)) => {
                ["C/NF", "C", "U", "SBU"][self.rng.weighted(&[40, 45, 10, 5])]
            }
            (Level::Confidential, _) => {
                ["C", "U", "SBU", "C/REL NATO"][self.rng.weighted(&[72, 12, 10, 6])]
            }
            (Level::Secret, Some(Caveat::Noforn)) => {
                ["S/NF", "S//NF", "S", "C", "U"][self.rng.weighted(&[35, 10, 35, 15, 5])]
            }
            (Level::Secret, _) => {
                ["S", "C", "U", "S/REL NATO"][self.rng.weighted(&[60, 25, 10, 5])]
            }
            (Level::TopSecret, _) => ["TS", "S", "C"][self.rng.weighted(&[60, 30, 10])],
        }
    }

    fn page_break_line(&self, page: u32) -> String {
        format!(
            "{} {:08} {:03} OF {:03}",
            self.st.written, self.spec.serial, page, self.pages
        )
    }

    fn body(&mut self, body_target: usize) {
        let start = self.out.len();
        let thresholds: Vec<usize> = (1..self.pages as usize)
            .map(|k| start + body_target * k / self.pages as usize)
            .collect();
        let mut next_break = 0usize; // index into thresholds
        let unmarked = self.spec.classification.level == Level::Unclassified
            && self.spec.classification.caveat.is_none()
            && self.rng.chance(0.3);
        let heading_style = self.rng.below(2);
        let heading_case_upper = self.rng.chance(0.7);
        let dash_len = *self.rng.pick(&[14usize, 14, 14, 5, 20]);
        let (p_pilcrow, p_link) = match self.rng.below(3) {
            0 => (70, 10),
            1 => (30, 40),
            _ => (50, 20),
        };
        let mut number = 1u32;
        let mut scratch = std::mem::take(&mut self.scratch);
        loop {
            let written = self.out.len() - start;
            if written >= body_target && number > 1 {
                break;
            }
            if number > 2 && self.rng.chance(0.15) {
                self.heading(heading_style, heading_case_upper, dash_len);
            }
            let remaining = body_target.saturating_sub(self.out.len() - start);
            let mut plen = (600.0 * (0.55 * self.rng.normal()).exp()) as usize;
            plen = plen.clamp(120, 3000);
            let last = remaining < plen + plen / 2;
            if last {
                plen = remaining.max(100);
            }
            let kind = if number == 1 && self.rng.chance(0.5) {
                1
            } else if last && number > 3 && self.rng.chance(0.3) {
                2
            } else {
                0
            };
            // Prefix: number and marking.
            scratch.clear();
            let numbered = self.rng.below(100) < 96;
            if self.l2 && numbered {
                let x = self.rng.below(100);
                if x < p_link {
                    scratch.push_str("[1](#)");
                } else if x < p_link + p_pilcrow {
                    scratch.push('¶');
                }
            }
            if numbered {
                scratch.push_str(&format!("{number}. "));
            }
            if !unmarked {
                let m = self.marking();
                scratch.push('(');
                scratch.push_str(m);
                scratch.push_str(") ");
            }
            self.paragraph_text(&mut scratch, plen, kind);
            self.emit_paragraph(&scratch, &thresholds, &mut next_break);
            number += if self.rng.chance(0.02) { 2 } else { 1 };
        }
        // Page breaks not yet reached (short final paragraph): print them at the end.
        while next_break < thresholds.len() {
            next_break += 1;
            let pb = self.page_break_line(next_break as u32 + 1);
            self.out.push_str(&pb);
            self.out.push_str("\n\n");
        }
        self.scratch = scratch;
        self.next_number = number;
    }

    fn heading(&mut self, style: usize, upper: bool, dash_len: usize) {
        let v = vocab();
        let mut h = String::new();
        if self.rng.chance(0.3) {
            h.push_str(self.rng.pick_str(HEADING_WORDS));
        } else {
            let n = 2 + self.rng.below(5);
            for i in 0..n {
                if i > 0 {
                    h.push(' ');
                }
                let w = if self.rng.chance(0.3) {
                    self.topic[self.rng.below(self.topic.len())].clone()
                } else {
                    v.content_word(&mut self.rng).to_string()
                };
                h.push_str(&w);
            }
            h = if upper {
                h.to_uppercase()
            } else {
                let mut c = h.chars();
                match c.next() {
                    Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                    None => h,
                }
            };
        }
        if self.l2 {
            self.push_line("-----", true);
            self.push_line(&h, true);
            self.out.push_str("-----\n\n");
        } else {
            let dashes = "-".repeat(dash_len);
            if style == 1 {
                self.out.push_str(&dashes);
                self.out.push('\n');
            }
            self.out.push_str(&h);
            self.out.push('\n');
            self.out.push_str(&dashes);
            self.out.push_str("\n\n\n");
        }
    }

    /// Writes a paragraph: wrapped at [`WIDTH`] in layout 1, one long line in layout 2, with
    /// page breaks where the running length crosses a threshold.
    fn emit_paragraph(&mut self, text: &str, thresholds: &[usize], next: &mut usize) {
        if self.l2 {
            let mut rest = text;
            while *next < thresholds.len() && self.out.len() + rest.len() > thresholds[*next] {
                let want = thresholds[*next].saturating_sub(self.out.len());
                let bytes = rest.as_bytes();
                let split = (want..bytes.len()).find(|&i| bytes[i] == b' ');
                let Some(split) = split.filter(|&i| i > 0) else {
                    break;
                };
                self.out.push_str(&rest[..split]);
                self.out.push_str("\n\n");
                *next += 1;
                match self.rng.below(10) {
                    0..=2 => {
                        let pb = self.page_break_line(*next as u32 + 1);
                        self.out.push_str(&pb);
                        self.out.push_str("\n\n");
                    }
                    3 if self.sipdis => self.out.push_str("SIPDIS\n\n"),
                    _ => {}
                }
                rest = &rest[split + 1..];
            }
            self.out.push_str(rest);
            self.out.push_str("\n\n");
            return;
        }
        let bytes = text.as_bytes();
        let mut start = 0;
        while start < bytes.len() {
            let end = if bytes.len() - start <= WIDTH {
                bytes.len()
            } else {
                match bytes[start..=start + WIDTH]
                    .iter()
                    .rposition(|&b| b == b' ')
                {
                    Some(p) if p > 0 => start + p,
                    _ => match bytes[start + WIDTH..].iter().position(|&b| b == b' ') {
                        Some(p) => start + WIDTH + p,
                        None => bytes.len(),
                    },
                }
            };
            self.out.push_str(&text[start..end]);
            self.out.push('\n');
            start = if end < bytes.len() { end + 1 } else { end };
            if *next < thresholds.len() && self.out.len() >= thresholds[*next] {
                *next += 1;
                if self.rng.chance(0.9) {
                    let pb = self.page_break_line(*next as u32 + 1);
                    self.out.push('\n');
                    self.out.push_str(&pb);
                    self.out.push_str("\n\n\n");
                } else {
                    self.out.push('\n');
                }
                if self.sipdis && self.rng.chance(0.1) {
                    self.out.push_str("\nSIPDIS\n");
                }
            }
        }
        self.out.push_str("\n\n");
    }

    fn closing(&mut self) {
        let form = self.spec.forms.signature;
        // The post's web address above the name; never under a quoted text or instead of a
        // name (the draw is made all the same, so the seeds' forms keep their bytes).
        if !self.l2
            && matches!(self.st.kind, Kind::Embassy | Kind::Consulate)
            && self.rng.chance(0.08)
            && !matches!(form, SignForm::EndText | SignForm::Unsigned)
        {
            let city = title_case(&self.st.written);
            self.out.push_str(&format!(
                "\n\n\n\nPlease visit {city}' Classified Website at:\nhttp://www.state.sgov.gov/p/{}/{}/index.cfm\n\n",
                self.rng.pick(&["eur", "nea", "sca", "eap", "wha", "af"]),
                self.st.token.to_lowercase()
            ));
        }
        let Some(name) = self.spec.signer.clone() else {
            // Unsigned: a short closing paragraph, one line, ending in a small word, so that
            // nothing in its last line reads as a name.
            let n = self.next_number;
            let marking = self.marking();
            let sentence = self.extra.pick_str(UNSIGNED_ENDINGS);
            self.out.push_str(&format!("{n}. ({marking}) {sentence}\n"));
            return;
        };
        match form {
            SignForm::RunOn => {
                if let Some(at) = self.run_on_point() {
                    self.out.truncate(at);
                    self.out.push(' ');
                } else {
                    // The last line is no finished sentence of three words: on its own line.
                }
                self.out.push_str(&name);
            }
            SignForm::EndText => {
                let n = self.next_number;
                let marking = self.marking();
                self.out.push_str(&format!(
                    "{n}. ({marking}) {}\nBEGIN TEXT\n",
                    self.extra.pick_str(QUOTE_INTROS)
                ));
                for _ in 0..1 + self.extra.below(3) {
                    let point = self.extra.pick_str(QUOTED_POINTS);
                    self.out.push_str(&format!("-- {point}\n"));
                }
                self.out.push_str(&format!("END TEXT {name}"));
            }
            SignForm::Titled => self.out.push_str(&format!("CDA {name}")),
            _ => self.out.push_str(&name),
        }
    }

    /// Where a run-on signature goes: the end of the text's last line (the blank lines after
    /// it cut off) when that line ends a sentence of three words or more, as the parser needs
    /// to tell a name from a sentence broken over two lines.
    fn run_on_point(&self) -> Option<usize> {
        let body = self.out.trim_end_matches('\n');
        if body.len() + 2 > self.out.len() {
            return None;
        }
        let last = &body[body.rfind('\n').map_or(0, |k| k + 1)..];
        (last.ends_with('.') && !last.ends_with(" .") && last.split_whitespace().count() >= 3)
            .then_some(body.len())
    }
}

/// Closing paragraphs of unsigned cables: one short line each, ending in a word in small
/// letters (a last word in capitals would read as a signature).
const UNSIGNED_ENDINGS: &[&str] = &[
    "Embassy will continue to follow this issue.",
    "Post will report further developments.",
    "We will continue to monitor the situation.",
    "Embassy appreciates the Department's support.",
    "Post will follow up as appropriate.",
];

/// What leads into a quoted text at the end of a cable.
const QUOTE_INTROS: &[&str] = &[
    "Post delivered the following points.",
    "The text of the statement follows.",
    "Begin text of the non-paper:",
    "The Department may wish to draw on the following.",
];

/// Points of a quoted text (each one short line).
const QUOTED_POINTS: &[&str] = &[
    "We urge all partners to support the plan.",
    "The United States welcomes the agreement.",
    "We remain committed to close cooperation.",
    "We call on all parties to exercise restraint.",
    "The Government should act without delay.",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_wrap_like_telegrams() {
        let s = "MISSILE DEFENSE: 9/25 EXECUTIVE WORKING GROUP-REINFORCED MEETING READOUT";
        let lines = wrap_subject(s, 53, 62);
        assert_eq!(lines[0], "MISSILE DEFENSE: 9/25 EXECUTIVE WORKING GROUP-");
        assert_eq!(lines[1], "REINFORCED MEETING READOUT");
        let joined = super::super::join_subject(&lines);
        assert_eq!(joined, s);
        assert_eq!(wrap_subject("SHORT", 53, 62), vec!["SHORT"]);
    }

    #[test]
    fn julian_days() {
        let d = DateTime::at_minute(2007, 3, 22, 13, 25);
        assert_eq!(day_of_year(&d), 81);
    }
}

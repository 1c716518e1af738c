//! The body-text vocabulary: a few thousand real words plus about twenty thousand synthetic ones
//! (real stems with affixes, invented proper names), drawn with a Zipf distribution so that
//! full-text search sees common words, rare words and everything between.

use super::data::{data, synthetic_name};
use super::rng::{Alias, Rng};
use std::collections::HashSet;
use std::sync::OnceLock;

/// Function words, most frequent first.
const FUNCTION: &str = "the of and to in a that for on with is was as by said he be at from it \
are would his have not this will an has their they which also but or its had were we been more \
about who other all there one new two can her after she than over into some during could our \
should only these when what any if no may such most them those while however because against \
between under since including both through where before three well first being each further \
many without across among within whether until following toward upon very must might so then \
now just even much own same another several four five up out";

/// Frequent content words, roughly in order.
const COMMON: &str = "government minister officials president security political prime \
foreign ministry support military economic cooperation national meeting ambassador issue \
agreement election party parliament forces international relations public leaders regional \
embassy policy reform law process talks country region local noted stated stressed told \
according reported visit plan efforts progress concerns continue important including";

/// General and diplomatic vocabulary.
const GENERAL: &str = "official elections vote votes voters parliamentary council committee \
commission agreements treaty negotiations meetings visits delegation mission post relationship \
policies issues concern question questions program programs plans project projects reforms \
laws legislation constitution constitutional court courts judge judges justice rights human \
freedom freedoms press media journalists newspaper television radio internet opposition leader \
leadership coalition cabinet deputy director general secretary spokesman adviser advisor \
counselor staff team group groups members member state states countries border borders area \
areas province provinces district city capital village villages people population citizens \
community communities society civil organization organizations force troops army navy police \
militia insurgents insurgency terrorist terrorists terrorism attack attacks violence conflict \
war peace stability crisis threat threats risk risks nuclear missile missiles weapons arms \
control proliferation enrichment uranium reactor inspectors inspection sanctions resolution \
resolutions energy oil gas pipeline electricity power water trade investment investors market \
markets economy growth budget deficit debt inflation bank banks banking finance financial tax \
taxes revenue revenues exports imports export import goods products company companies firms \
industry industrial sector sectors business businesses labor workers unions jobs unemployment \
poverty health education schools students university hospital disease influenza aid \
assistance funding funds donors donor development infrastructure roads construction \
agriculture farmers food prices wheat rice corn land environment climate emissions fisheries \
tourism transport airport port ports shipping aviation visa visas consular citizen passport \
migration migrants refugees asylum trafficking smuggling narcotics drugs cocaine heroin opium \
traffickers corruption fraud investigation investigations arrest arrested detained detention \
prison prisoners trial sentence charges prosecutor prosecutors case cases evidence witness \
intelligence information report reports reporting statement statements remarks comments \
interview speech announcement decision decisions proposal proposals initiative initiatives \
strategy approach framework mechanism dialogue consultations discussion discussions exchange \
exchanges contacts partner partners ally allies alliance membership accession integration \
summit conference forum session sessions agenda declaration communique text draft language \
position positions view views assessment analysis perspective interest interests priority \
priorities goal goals objective objectives role influence pressure leverage effort action \
actions steps measures response reaction outcome result results impact effect consequences \
implications situation conditions context background history future time period year years \
month months week weeks day days today yesterday recently currently previously earlier later \
soon already still again although though whereas despite therefore thus meanwhile moreover \
indeed nevertheless instead rather quite particularly especially largely mainly mostly fully \
clearly strongly closely directly publicly privately separately jointly formally informally \
officially reportedly apparently likely unlikely possible impossible necessary significant \
serious major minor key main primary principal senior junior old former current recent next \
last final initial early late long short high low large small strong weak good bad better \
worse best worst positive negative constructive productive useful helpful difficult easy hard \
complex simple clear unclear open closed free fair credible legitimate illegal legal formal \
informal technical practical bilateral multilateral trilateral global domestic internal \
external western eastern northern southern central told noted explained described argued \
claimed asserted insisted suggested proposed recommended urged asked requested called welcomed \
praised criticized condemned rejected denied accepted agreed disagreed supported opposed \
expressed raised discussed reviewed considered addressed outlined presented briefed informed \
confirmed acknowledged admitted recognized understood believed expected hoped planned intended \
wanted sought tried continued remained became seemed appeared began started ended finished \
completed signed ratified approved passed adopted implemented launched established created \
formed appointed elected resigned replaced dismissed visited met hosted attended participated \
joined left returned arrived departed traveled moved received sent delivered provided offered \
gave took made held kept brought put set led followed allowed helped enabled prevented blocked \
delayed postponed cancelled suspended resumed renewed extended expanded increased decreased \
reduced cut lowered improved strengthened weakened undermined threatened warned promised \
pledged committed demanded pressed pushed encouraged discouraged ensure ensuring maintain \
maintaining develop developing build building improve improving strengthen strengthening \
reduce reducing increase increasing provide providing supporting address addressing resolve \
resolving work working continuing seek seeking move moving take taking make making engage \
engaging ceasefire negotiator mediator mediation envoy emissary demarche non-paper readout \
scenesetter codel staffdel message letter note memorandum request invitation signature \
ratification parliamentarian lawmakers senator senators congressman legislators mayor governor \
governors ministers deputies spokesperson chairman chairwoman commander commanders generals \
admiral colonel officer officers soldiers personnel contractors advisors trainers training \
exercise exercises operation operations deployment deployments base bases facility facilities \
equipment helicopters aircraft vehicles ships vessels submarine radar interceptors warheads \
launcher launchers satellite satellites space cyber network networks communications technology \
technologies research science scientists engineers experts expert specialists observers \
monitors monitoring verification compliance violation violations breach dispute disputes \
claims territory territorial sovereignty independence autonomy federalism decentralization \
governance administration bureaucracy institutions institution agency agencies department \
departments office offices directorate bureau unit units brigade battalion division corps \
headquarters command presidency premier monarchy king crown prince royal palace tribe tribal \
tribes clan sheikh cleric clerics mosque church religious religion muslim christian sunni \
shia kurdish arab ethnic minority minorities majority seats seat ballot ballots campaign \
candidates candidate polls poll turnout fraudulent recount observers referendum amendment \
amendments decree decrees ordinance regulation regulations license licenses permit permits \
tender contract contracts procurement privatization subsidies subsidy tariff tariffs quota \
quotas customs duties currency exchange rate reserves bonds loan loans credit lending \
mortgage housing property properties estate wages salaries pension pensions welfare benefits \
insurance healthcare medicines vaccine vaccines epidemic outbreak cases deaths casualties \
wounded killed injured victims civilians hostages kidnapping kidnapped bombing bomb bombs \
explosion suicide gunmen rocket rockets mortar shelling airstrike airstrikes raid raids patrol \
patrols checkpoint checkpoints convoy convoys ambush clashes fighting offensive withdrawal \
reconstruction humanitarian displaced returnees camps shelter relief emergency disaster \
earthquake flood floods drought famine harvest crops livestock irrigation dam dams river \
rivers coast coastal island islands sea maritime naval fleet strait straits gulf desert \
mountain mountains valley plains north south east west northeast southwest frontier \
crossing crossings corridor transit route routes railway highway bridge bridges tunnel \
terminal refinery refineries reserves exploration production output barrels consumption \
supply supplies supplier suppliers demand shortage shortages prices rising falling stable \
volatile sustainable renewable nuclear-powered coal hydropower grid generation capacity \
megawatts contractual arbitration litigation lawsuit verdict appeal acquittal conviction \
pardon amnesty release released custody interrogation torture abuse abuses accountability \
impunity transparency integrity ethics watchdog ombudsman auditor audit inspector inspectors \
vetting screening recruitment retention morale discipline professionalism capability \
capabilities readiness interoperability modernization procurement acquisition logistics \
sustainment maintenance spare parts ammunition rifles artillery tanks armored mine mines \
demining explosives detonator chemical biological radiological materials precursor \
precursors dual-use licensing end-user diversion shipment shipments cargo container \
containers inspection interdiction seizure seized confiscated smuggled contraband \
counterfeit laundering financing financier financiers donations charity charities cash \
transfers remittances hawala accounts assets freeze frozen designation designated listing \
delisting embargo blockade isolation engagement outreach incentives carrots sticks bargain \
compromise concession concessions deadline ultimatum roadmap timetable benchmarks milestones \
phase phases stage stages round rounds track tracks channel channels backchannel envoy \
facilitator guarantor guarantees assurances commitments obligations undertakings \
understanding understandings consensus unanimity veto abstention abstain quorum plenary \
chamber senate assembly congress upper lower speaker caucus faction factions bloc blocs \
platform manifesto ideology nationalist nationalists liberal liberals conservative \
conservatives socialist socialists communist communists islamist islamists secular \
moderate moderates hardline hardliners reformist reformists populist populists \
separatist separatists rebel rebels militants extremist extremists radical radicals \
fighters recruits cells network safe haven havens sanctuary sanctuaries hideout \
stronghold strongholds territory controlled contested";

/// Organisations and acronyms.
const ACRONYMS: &str = "NATO EU UN IAEA OSCE MFA MOD MOI MOJ MOF GOT GOI GOP GOA GOJ GOE GOG \
GOK GON GOS USG EUR NEA SCA EAP WHA ISN INR DRL EEB PRT ISAF OEF UNAMA UNSC NAC NRC EWG CFE \
START NPT IMF WTO OPEC ASEAN OAS ECOWAS SADC GCC APEC G8 G20 MDA NGO NGOs USAID MCC PEPFAR \
DEA FBI DHS DOD DOE DOJ CENTCOM EUCOM AFRICOM SOUTHCOM PACOM JCS NSC ODA FTA WMD IED IEDs \
PKK HAMAS Hizballah FARC LTTE TTP KFOR EUFOR UNIFIL UNMIK MINUSTAH AMISOM UNAMID ICC ICTY \
UNHCR UNDP WFP WHO UNICEF OECD EBRD ADB IDB GDP FDI LNG DPRK PRC ROK UAE KRG PLO SOFA MOU \
UAV UAVs PSI BTWC CWC CTBT FMCT MTCR NSG HEU LEU ISI FSB SVR GRU TFG SPLM NCP JEM ANC MDC \
BJP PPP ANP AKP CHP MHP DTP SPD CDU CSU FDP UMP PSOE ALTBMD EWG-R CAX Taliban al-Qaida \
Allies Alliance Secretariat Politburo Duma Knesset Majlis Rada Sejm Bundestag Assembly";

/// Months (used in dates as well as words).
pub(crate) use archive_cable::model::MONTH_NAMES as MONTHS;

/// Prefixes and suffixes for synthetic words.
const PREFIXES: &[&str] = &[
    "re", "pre", "counter", "inter", "trans", "non", "post", "sub", "co", "multi", "bi", "mis",
    "over", "under", "de", "anti", "pro", "semi", "super", "neo", "para", "cross", "extra",
];
const SUFFIXES: &[&str] = &[
    "ation", "ment", "ity", "ize", "ism", "ist", "al", "ive", "ness", "ship", "ing", "ed", "er",
    "ers", "ally", "ism", "ists", "ology", "ward", "ary", "ence", "ian", "ous", "ful", "less",
];

/// The vocabulary and its Zipf table.
pub(crate) struct Vocab {
    pub words: Vec<String>,
    pub alias: Alias,
    /// Indices of real content words (not function words, not synthetic): subject material.
    pub content: std::ops::Range<usize>,
    /// Real words by their lowercase form, to write subject words in their usual case.
    pub natural: std::collections::HashMap<String, usize>,
}

/// Number of synthetic affixed words.
const SYNTHETIC_WORDS: usize = 19_000;
/// Number of synthetic proper names.
const SYNTHETIC_NAMES: usize = 3_000;
/// Weight factor of synthetic words relative to the Zipf curve.
const SYNTHETIC_DAMPING: f64 = 0.3;

/// The shared vocabulary.
pub(crate) fn vocab() -> &'static Vocab {
    static VOCAB: OnceLock<Vocab> = OnceLock::new();
    VOCAB.get_or_init(build)
}

fn build() -> Vocab {
    let d = data();
    let mut seen: HashSet<String> = HashSet::new();
    let mut words: Vec<String> = Vec::new();
    let mut push = |w: &str, words: &mut Vec<String>| {
        if !w.is_empty() && seen.insert(w.to_string()) {
            words.push(w.to_string());
        }
    };
    for w in FUNCTION.split_whitespace() {
        push(w, &mut words);
    }
    for w in COMMON.split_whitespace() {
        push(w, &mut words);
    }
    let content_start = words.len();

    // The rest of the real vocabulary, mixed.
    let mut rest: Vec<String> = GENERAL
        .split_whitespace()
        .chain(ACRONYMS.split_whitespace())
        .chain(MONTHS.iter().copied())
        .map(str::to_string)
        .collect();
    for c in &d.countries {
        rest.extend(c.name.split(' ').map(str::to_string));
        rest.extend(c.adjective.split(' ').map(str::to_string));
    }
    for s in &d.stations {
        if s.kind != super::data::Kind::State && !s.synthetic {
            rest.extend(
                super::data::title_case(&s.written)
                    .split(' ')
                    .filter(|w| w.len() > 2)
                    .map(str::to_string),
            );
        }
    }
    rest.extend(d.surnames.iter().cloned());
    let mut rng = Rng::new(0x0057_4F52_4453);
    rng.shuffle(&mut rest);
    for w in &rest {
        push(w, &mut words);
    }
    let content_end = words.len();

    // Synthetic words: real stems with affixes, and invented names.
    // (whole word, stem for suffixes): `reform` / `reform`, `argued` / `argu`.
    let stems: Vec<(String, String)> = words[content_start..content_end]
        .iter()
        .filter(|w| w.len() >= 4 && w.bytes().all(|b| b.is_ascii_lowercase()))
        .map(|w| {
            let s = w.trim_end_matches('s');
            let s = s.trim_end_matches("ed");
            (w.to_string(), s.trim_end_matches('e').to_string())
        })
        .filter(|(_, s)| s.len() >= 3)
        .collect();
    let mut synthetic = Vec::with_capacity(SYNTHETIC_WORDS + SYNTHETIC_NAMES);
    let mut made = 0;
    while made < SYNTHETIC_WORDS {
        let (word, stem) = rng.pick(&stems);
        let w = match rng.below(10) {
            0..=2 => format!("{}{}", rng.pick(PREFIXES), word),
            3..=6 => format!("{}{}", stem, rng.pick(SUFFIXES)),
            _ => format!("{}{}{}", rng.pick(PREFIXES), stem, rng.pick(SUFFIXES)),
        };
        if w.len() <= 20 && !seen.contains(&w) {
            seen.insert(w.clone());
            synthetic.push(w);
            made += 1;
        }
    }
    // Invented posts and officials belong to the rare tail too.
    for s in d.stations.iter().filter(|s| s.synthetic) {
        let name = super::data::title_case(&s.written);
        if seen.insert(name.clone()) {
            synthetic.push(name);
        }
    }
    for c in &d.countries {
        for o in &c.officials[c.real_officials..] {
            if seen.insert(o.clone()) {
                synthetic.push(o.clone());
            }
        }
    }
    made = 0;
    while made < SYNTHETIC_NAMES {
        let w = synthetic_name(&mut rng, 2, 3);
        if w.len() >= 4 && !seen.contains(&w) {
            seen.insert(w.clone());
            synthetic.push(w);
            made += 1;
        }
    }
    rng.shuffle(&mut synthetic);
    words.extend(synthetic);

    // Zipf over the rank; the synthetic tail is damped so that it makes up under a tenth of
    // the running text (each synthetic word still occurs hundreds of times in a full corpus).
    let weights: Vec<f64> = (0..words.len())
        .map(|r| {
            let w = 1.0 / (r as f64 + 2.7).powf(1.02);
            if r >= content_end {
                w * SYNTHETIC_DAMPING
            } else {
                w
            }
        })
        .collect();
    let natural = (0..content_end)
        .map(|i| (words[i].to_lowercase(), i))
        .collect();
    Vocab {
        alias: Alias::new(&weights),
        words,
        content: content_start..content_end,
        natural,
    }
}

impl Vocab {
    /// One word, Zipf-distributed.
    #[inline]
    pub fn word(&self, rng: &mut Rng) -> &str {
        &self.words[self.alias.sample(rng)]
    }

    /// A word as usually written (`iraqi` → `Iraqi`, `nato` → `NATO`), or lowercase.
    pub fn natural_case(&self, word: &str) -> String {
        let lower = word.to_lowercase();
        match self.natural.get(&lower) {
            Some(&i) => self.words[i].clone(),
            None => lower,
        }
    }

    /// A real content word, uniformly (for subjects and topics).
    pub fn content_word(&self, rng: &mut Rng) -> &str {
        &self.words[self.content.start + rng.below(self.content.len())]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_is_large_and_clean() {
        let v = vocab();
        assert!(v.words.len() > 20_000, "{}", v.words.len());
        assert!(v.content.len() > 1_500, "{}", v.content.len());
        for w in &v.words {
            assert!(!w.is_empty() && !w.contains(char::is_whitespace), "{w:?}");
            assert!(!w.ends_with('-') && !w.ends_with('.'), "{w:?}");
            assert!(!matches!(
                w.as_str(),
                "SIPDIS" | "NOFORN" | "REF" | "reftel"
            ));
        }
    }
}

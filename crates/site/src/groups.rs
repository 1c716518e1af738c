//! The listing model: which cables share a tag, a month, a year, an origin or a classification,
//! and the file name of each listing. No HTML: [`super::listings`] renders it, and the cable
//! pages link to it ([`Groups::tag_page`] and the like), which is why it is computed before them.

use super::links::{slug, Slugger};
use super::tags::Vocabulary;
use archive_cable::model::{Classification, Problem, MONTH_NAMES};
use archive_corpus::{safe_stem, Corpus};
use rustc_hash::FxHashMap;

/// The kinds of listing, each with its folder, its index page and the index page's title. An
/// enum rather than folder strings, so a new kind is a compile error wherever it is not handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingKind {
    /// By tag: `tag/<TAG>.html`.
    Tag,
    /// By month of creation: `month/YYYY-MM.html`, grouped by year on `months.html`.
    Month,
    /// By year of creation: `year/YYYY.html`, linked from the year headings of `months.html`.
    Year,
    /// By sending post: `origin/<slug>.html`.
    Origin,
    /// By classification label: `classification/<slug>.html`.
    Classification,
    /// By closing signature: `signer/<slug>.html` ([`super::people`]), indexed on `people.html`.
    Signer,
    /// By the official of the `Classified By:` line: `classifier/<slug>.html`, on `people.html`.
    Classifier,
    /// By addressee of the `TO` and `INFO` lines: `to/<slug>.html`, indexed on `to.html`.
    Addressee,
}

impl ListingKind {
    /// Folder of the listing pages: `tag`.
    pub fn folder(self) -> &'static str {
        match self {
            ListingKind::Tag => "tag",
            ListingKind::Month => "month",
            ListingKind::Year => "year",
            ListingKind::Origin => "origin",
            ListingKind::Classification => "classification",
            ListingKind::Signer => "signer",
            ListingKind::Classifier => "classifier",
            ListingKind::Addressee => "to",
        }
    }

    /// The index page that lists every group of the kind: `tags.html`. Years share the months'
    /// (`months.html` has one section per year).
    pub fn index_page(self) -> &'static str {
        match self {
            ListingKind::Tag => "tags.html",
            ListingKind::Month | ListingKind::Year => "months.html",
            ListingKind::Origin => "origins.html",
            ListingKind::Classification => "classifications.html",
            ListingKind::Signer | ListingKind::Classifier => "people.html",
            ListingKind::Addressee => "to.html",
        }
    }

    /// Title of the index page: `Tags`.
    pub fn title(self) -> &'static str {
        match self {
            ListingKind::Tag => "Tags",
            ListingKind::Month | ListingKind::Year => "Dates",
            ListingKind::Origin => "Origins",
            ListingKind::Classification => "Classifications",
            ListingKind::Signer | ListingKind::Classifier => "People",
            ListingKind::Addressee => "Addressees",
        }
    }
}

/// How listings name the month of the cables whose text gives no date.
pub const UNDATED: &str = "date not in the text";

/// One listing: the cables that share a tag, a month, an origin or a classification.
#[derive(Debug)]
pub struct Group {
    /// What the cables share, as shown: `PREL`, `2007-03`, `Embassy Paris`, `SECRET//NOFORN`.
    pub label: String,
    /// A second line: the tag's meaning, the month's name.
    pub note: Option<String>,
    /// Site path of the listing without `.html`: `tag/PREL`.
    pub base: String,
    /// Indices into `Corpus::cables`, in date order.
    pub members: Vec<usize>,
}

/// One kind of listing and its groups, sorted for display.
#[derive(Debug)]
pub struct Grouping {
    /// Which kind.
    pub kind: ListingKind,
    /// The listings of this kind, sorted by key.
    pub groups: Vec<Group>,
    /// Group key (tag, origin, …) → index in `groups`.
    lookup: FxHashMap<String, usize>,
}

/// A group as it is found, before it becomes a [`Group`]: the key pages look it up by, what it
/// shows, and the stem of its file name.
struct Entry {
    key: String,
    label: String,
    note: Option<String>,
    stem: String,
    members: Vec<usize>,
}

impl Grouping {
    /// A grouping with no groups yet (filled in by [`Groups::new`]).
    fn empty(kind: ListingKind) -> Grouping {
        Grouping::new(kind, std::iter::empty())
    }

    fn new(kind: ListingKind, entries: impl Iterator<Item = Entry>) -> Grouping {
        let mut groups = Vec::new();
        let mut lookup = FxHashMap::default();
        for mut entry in entries {
            // Members were pushed one by one: up to half of a list is spare room, held for
            // the whole build (a million cables are members of a dozen groups each).
            entry.members.shrink_to_fit();
            lookup.insert(entry.key, groups.len());
            groups.push(Group {
                label: entry.label,
                note: entry.note,
                base: format!("{}/{}", kind.folder(), entry.stem),
                members: entry.members,
            });
        }
        Grouping {
            kind,
            groups,
            lookup,
        }
    }

    /// Site path of the first listing page of the group with this key, or of the kind's index
    /// page when there is no such group.
    fn page_of(&self, key: &str) -> String {
        match self.lookup.get(key) {
            Some(&i) => format!("{}.html", self.groups[i].base),
            None => self.kind.index_page().to_string(),
        }
    }
}

/// Every listing of the site. Computed before the cable pages, which link to them.
#[derive(Debug)]
pub struct Groups {
    /// By tag.
    pub tags: Grouping,
    /// By month of creation.
    pub months: Grouping,
    /// By year of creation.
    pub years: Grouping,
    /// By sending post.
    pub origins: Grouping,
    /// By classification label.
    pub classifications: Grouping,
    /// By signer, by the official who classified, by addressee ([`super::people`]).
    pub signers: Grouping,
    /// By the official of the `Classified By:` line.
    pub classifiers: Grouping,
    /// By addressee (`TO` and `INFO`).
    pub addressees: Grouping,
    /// Tags and origins whose listing file had to get another name than their safe one (two
    /// would have shared it), each reported once (with the first cable that has it).
    pub problems: Vec<Problem>,
    /// Per cable, the listings its page links ([`Groups::linked_from`]).
    linked: Linked,
}

/// For every cable, the groups whose listing its page links (its tags, origin, month,
/// classification, signer, classifying official, addressees), taken once from the groups'
/// members: one flat list, cable by cable, each entry a kind (its place in [`Linked::kinds`]) and a group
/// number. A page's fingerprint hashes these listings' file names for each of the 251,287
/// pages of every rebuild; looking them up again from the cable's text (the people's keys
/// parsed out of the `Classified By:` line, a map look-up and a formatted path per listing) was
/// 12 % of the samples of a rebuild of 251,287 cables in which nothing changed.
#[derive(Debug, Default)]
struct Linked {
    /// Where each cable's entries start in `entries`; one more at the end.
    starts: Vec<u32>,
    /// `kind << GROUP_BITS | group`.
    entries: Vec<u32>,
}

impl Linked {
    /// Bits of an entry that number the group (the kind is above them).
    const GROUP_BITS: u32 = 28;

    /// The groupings whose listings a cable page links, in the order of an entry's kind.
    fn kinds(groups: &Groups) -> [&Grouping; 7] {
        [
            &groups.tags,
            &groups.origins,
            &groups.months,
            &groups.classifications,
            &groups.signers,
            &groups.classifiers,
            &groups.addressees,
        ]
    }

    /// The entries of the `cables` cables of `groups` (a counting sort by cable of every
    /// membership, kind by kind and group by group: the order is the groups', whatever the
    /// threads).
    fn of(groups: &Groups, cables: usize) -> Linked {
        let kinds = Linked::kinds(groups);
        let mut starts = vec![0u32; cables + 1];
        for grouping in kinds {
            assert!(
                grouping.groups.len() < 1 << Linked::GROUP_BITS,
                "groups fit an entry"
            );
            for group in &grouping.groups {
                for &m in &group.members {
                    starts[m + 1] += 1;
                }
            }
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut entries = vec![0u32; starts[cables] as usize];
        for (kind, grouping) in kinds.iter().enumerate() {
            for (number, group) in grouping.groups.iter().enumerate() {
                for &m in &group.members {
                    entries[next[m] as usize] = (kind as u32) << Linked::GROUP_BITS | number as u32;
                    next[m] += 1;
                }
            }
        }
        Linked { starts, entries }
    }
}

impl Groups {
    /// The site paths (without `.html`) of the listings the page of `corpus.cables[index]`
    /// links, the same listings whichever way they are looked up: its tags, origin, month,
    /// classification and people, each a group the cable is a member of. For page
    /// fingerprints: a listing renamed (two tags now sharing a safe name) changes them.
    pub fn linked_from(&self, index: usize) -> impl Iterator<Item = &str> {
        let kinds = Linked::kinds(self);
        let (from, to) = match (
            self.linked.starts.get(index),
            self.linked.starts.get(index + 1),
        ) {
            (Some(&from), Some(&to)) => (from as usize, to as usize),
            _ => (0, 0),
        };
        self.linked.entries[from..to].iter().map(move |&e| {
            let group = (e & ((1 << Linked::GROUP_BITS) - 1)) as usize;
            kinds[(e >> Linked::GROUP_BITS) as usize].groups[group]
                .base
                .as_str()
        })
    }

    /// Groups the corpus: two passes over the cables run at once (people on one core, the
    /// rest on the other); keys sorted; slugs handed out in sorted order,
    /// so the file names do not depend on anything but the input.
    pub fn new(corpus: &Corpus, vocabulary: &Vocabulary) -> Groups {
        // People are grouped on one core while the rest is grouped on another: both read
        // every cable, and nothing else of the build can run until they are done.
        let (people, mut groups) = rayon::join(
            || super::people::find(corpus),
            || Groups::without_people(corpus, vocabulary),
        );
        let [signers, classifiers, addressees] = people.map(|found| {
            found.into_iter().map(|f| Entry {
                key: f.key,
                label: f.label,
                note: f.note,
                stem: f.stem,
                members: f.members,
            })
        });
        groups.signers = Grouping::new(ListingKind::Signer, signers);
        groups.classifiers = Grouping::new(ListingKind::Classifier, classifiers);
        groups.addressees = Grouping::new(ListingKind::Addressee, addressees);
        groups.linked = Linked::of(&groups, corpus.cables.len());
        groups
    }

    /// The groups by tag, month, year, origin and classification; the people's groupings
    /// empty.
    fn without_people(corpus: &Corpus, vocabulary: &Vocabulary) -> Groups {
        // Hash maps while the cables are visited, then each sorted by key once: sorted maps
        // compared strings a dozen times per cable (`memcmp` was 15 % of a rebuild's link
        // phase in a profile, with the people's maps).
        let mut tags: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        let mut months: FxHashMap<(u16, u8), Vec<usize>> = FxHashMap::default();
        let mut years: FxHashMap<u16, Vec<usize>> = FxHashMap::default();
        let mut origins: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        let mut classes: FxHashMap<Classification, Vec<usize>> = FxHashMap::default();
        for (i, linked) in corpus.cables.iter().enumerate() {
            let c = &linked.cable;
            for t in &c.tags {
                tags.entry(t.as_str()).or_default().push(i);
            }
            months
                .entry((c.created.year, c.created.month))
                .or_default()
                .push(i);
            years.entry(c.created.year).or_default().push(i);
            origins.entry(c.origin.as_str()).or_default().push(i);
            classes.entry(c.classification).or_default().push(i);
        }
        let (tags, months, years, origins, classes) = (
            sorted(tags),
            sorted(months),
            sorted(years),
            sorted(origins),
            sorted(classes),
        );
        let mut problems = Vec::new();
        let mut slugs = Slugger::default();
        let tags = Grouping::new(
            ListingKind::Tag,
            tags.into_iter().map(|(t, members)| {
                let safe = safe_stem(t);
                let stem = slugs.unique(safe.clone());
                let message = if !ordinary_tag(t, &safe) {
                    Some(format!(
                        "tag {t:?} is not safe as a file name; its listing is tag/{stem}.html"
                    ))
                } else if stem != safe {
                    Some(format!(
                        "tag {t:?} would share a file name with another tag; its listing is tag/{stem}.html"
                    ))
                } else {
                    None
                };
                if let Some(message) = message {
                    problems.push(Problem::warning(
                        corpus.cables[members[0]].cable.source.clone(),
                        None,
                        message,
                    ));
                }
                Entry {
                    key: t.to_string(),
                    label: t.to_string(),
                    note: vocabulary.meaning(t).map(String::from),
                    stem,
                    members,
                }
            }),
        );
        let months = Grouping::new(
            ListingKind::Month,
            months.into_iter().map(|((y, m), members)| {
                let key = format!("{y:04}-{m:02}");
                // Month 0 holds the cables whose text gives no date: known only to the year of
                // their identifier (`month/2005-00.html`).
                let note = match MONTH_NAMES.get(usize::from(m).wrapping_sub(1)) {
                    Some(name) => format!("{name} {y}"),
                    None => format!("{y}, {UNDATED}"),
                };
                Entry {
                    label: key.clone(),
                    note: Some(note),
                    stem: key.clone(),
                    key,
                    members,
                }
            }),
        );
        let years = Grouping::new(
            ListingKind::Year,
            years.into_iter().map(|(y, members)| {
                let key = format!("{y:04}");
                Entry {
                    label: key.clone(),
                    note: None,
                    stem: key.clone(),
                    key,
                    members,
                }
            }),
        );
        let mut slugs = Slugger::default();
        let origins = Grouping::new(
            ListingKind::Origin,
            origins.into_iter().map(|(o, members)| {
                let label = if o.trim().is_empty() {
                    "(unknown origin)"
                } else {
                    o
                };
                let plain = slug(label);
                let stem = slugs.unique(plain.clone());
                if stem != plain {
                    problems.push(Problem::warning(
                        corpus.cables[members[0]].cable.source.clone(),
                        None,
                        format!("origin {o:?} would share a file name with another origin; its listing is origin/{stem}.html"),
                    ));
                }
                Entry {
                    key: o.to_string(),
                    label: label.to_string(),
                    note: None,
                    stem,
                    members,
                }
            }),
        );
        let classifications = Grouping::new(
            ListingKind::Classification,
            classes.into_iter().map(|(c, members)| Entry {
                key: c.label(),
                label: c.label(),
                note: None,
                stem: c.slug(),
                members,
            }),
        );
        Groups {
            tags,
            months,
            years,
            origins,
            classifications,
            signers: Grouping::empty(ListingKind::Signer),
            classifiers: Grouping::empty(ListingKind::Classifier),
            addressees: Grouping::empty(ListingKind::Addressee),
            problems,
            linked: Linked::default(),
        }
    }

    /// Site path of a tag's first listing page.
    pub fn tag_page(&self, tag: &str) -> String {
        self.tags.page_of(tag)
    }

    /// Site path of an origin's first listing page.
    pub fn origin_page(&self, origin: &str) -> String {
        self.origins.page_of(origin)
    }

    /// Site path of a month's first listing page.
    pub fn month_page(&self, year: u16, month: u8) -> String {
        self.months.page_of(&format!("{year:04}-{month:02}"))
    }

    /// Site path of a classification's first listing page.
    pub fn classification_page(&self, c: Classification) -> String {
        self.classifications.page_of(&c.label())
    }

    /// Site path of a year's first listing page.
    pub fn year_page(&self, year: u16) -> String {
        self.years.page_of(&format!("{year:04}"))
    }

    /// Site path of a signer's first listing page (the key of [`super::people::signer_key`]).
    pub fn signer_page(&self, key: &str) -> String {
        self.signers.page_of(key)
    }

    /// Site path of a classifying official's first listing page ([`super::people::person_key`]).
    pub fn classifier_page(&self, key: &str) -> String {
        self.classifiers.page_of(key)
    }

    /// Site path of an addressee's first listing page ([`super::people::addressee_key`]).
    pub fn addressee_page(&self, key: &str) -> String {
        self.addressees.page_of(key)
    }

    /// Leaves out the listings by addressee (`addressee_pages` off): the kind stays, with no
    /// group, so nothing links to it.
    pub fn without_addressees(mut self) -> Groups {
        self.addressees = Grouping::empty(ListingKind::Addressee);
        let cables = self.linked.starts.len().saturating_sub(1);
        self.linked = Linked::of(&self, cables);
        self
    }

    /// All kinds, in the order the site presents them.
    pub fn all(&self) -> [&Grouping; 8] {
        [
            &self.months,
            &self.years,
            &self.tags,
            &self.origins,
            &self.classifications,
            &self.signers,
            &self.classifiers,
            &self.addressees,
        ]
    }
}

/// The entries of `map` in the order of their keys (keys are unique: no two compare equal).
pub(super) fn sorted<K: Ord, V>(map: FxHashMap<K, V>) -> Vec<(K, V)> {
    let mut entries: Vec<(K, V)> = map.into_iter().collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    entries
}

/// Whether `tag` is of the release's ordinary shapes, whose file name `safe` (its
/// [`safe_stem`]) only trades spaces and punctuation for `_`: `OVIP (STEINBERG, JAMES B.)`
/// (a visit's tag as a real cable of the release writes it), `KDEM, PREL`. Such a tag is
/// renamed without a warning: a warning per tag (372 of them at 20,000 generated cables, half
/// of all problems) drowned the real problems of the input, and failed `--strict`. A tag that
/// starts with punctuation, holds a slash or a character outside ASCII, is a device name or
/// too long is still reported.
fn ordinary_tag(tag: &str, safe: &str) -> bool {
    let plain: String = tag
        .chars()
        .map(|c| match c.is_ascii_alphanumeric() || c == '-' {
            true => c,
            false => '_',
        })
        .collect();
    tag.starts_with(|c: char| c.is_ascii_alphanumeric())
        && tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " (),.'&-".contains(c))
        && plain == safe
}

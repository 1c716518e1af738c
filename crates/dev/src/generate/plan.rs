//! The corpus plan: for every cable its station, date, classification, layout, size, serial and
//! citations, decided before any text is written so that references can point at cables that
//! exist (and earlier in time) or, on purpose, at identifiers that do not.
//!
//! Every per-cable draw uses its own generator derived from the master seed and the cable's
//! index, so the plan (and hence the output) does not depend on the number of threads.

use super::data::{data, Kind};
use super::rng::Rng;
use super::GenConfig;
use archive_cable::model::{Caveat, Classification, DateTime, Layout, Level};
use rayon::prelude::*;
use std::collections::HashSet;

/// The six labels of the collection, with their real counts out of 251,287.
pub(crate) const LABELS: [(Classification, u32); 6] = [
    (Classification::new(Level::Unclassified, None), 75_792),
    (
        Classification::new(Level::Unclassified, Some(Caveat::ForOfficialUseOnly)),
        58_095,
    ),
    (Classification::new(Level::Confidential, None), 97_070),
    (
        Classification::new(Level::Confidential, Some(Caveat::Noforn)),
        4_678,
    ),
    (Classification::new(Level::Secret, None), 11_322),
    (
        Classification::new(Level::Secret, Some(Caveat::Noforn)),
        4_330,
    ),
];

/// Streams of per-cable randomness.
pub(crate) const STREAM_ENTRY: u64 = 1;
pub(crate) const STREAM_REFS: u64 = 2;
pub(crate) const STREAM_META: u64 = 3;
const STREAM_PLAN: u64 = 4;
/// Real-world forms (extracts, dumps, variants): a stream of its own, so that cables in the
/// seeds' forms are the same bytes whatever the rates of the others.
pub(crate) const STREAM_FORMS: u64 = 5;

/// Share of `REF:` items that are not cables (e-mails, memos, date-time groups).
const OTHER_REF_SHARE: f64 = 0.08;

/// Log-normal size draw: median and spread of the target size in bytes.
const SIZE_MEDIAN: f64 = 3_700.0;
const SIZE_SIGMA: f64 = 1.1;
const SIZE_MIN: f64 = 600.0;
const SIZE_MAX: f64 = 420_000.0;

/// A cited item in the plan.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PlannedRef {
    /// A cable of the corpus, by index.
    Known(u32),
    /// A plausible cable that is not generated.
    Unknown {
        station: u16,
        year: u16,
        serial: u32,
    },
    /// An e-mail, memo or date-time group.
    Other,
}

/// One cable of the plan.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub station: u16,
    pub created: DateTime,
    pub label: u8,
    pub layout: Layout,
    pub target: u32,
    pub serial: u32,
    pub malformed: bool,
    pub n_refs: u8,
    pub refs: Vec<PlannedRef>,
}

/// The whole corpus plan.
pub(crate) struct Plan {
    pub seed: u64,
    pub entries: Vec<Entry>,
}

/// Year weights per 10,000 cables, 1966–2010.
fn year_weights() -> Vec<(u16, u32)> {
    let mut w = Vec::new();
    for y in 1966..=1989 {
        w.push((y, 1));
    }
    for y in 1990..=1999 {
        w.push((y, 3));
    }
    for (y, n) in [
        (2000, 40),
        (2001, 60),
        (2002, 100),
        (2003, 220),
        (2004, 600),
        (2005, 1300),
        (2006, 1900),
        (2007, 2000),
        (2008, 1750),
        (2009, 1650),
        (2010, 330),
    ] {
        w.push((y, n));
    }
    w
}

const HOUR_WEIGHTS: [u32; 24] = [
    1, 1, 1, 1, 2, 3, 5, 7, 9, 10, 11, 11, 11, 11, 11, 10, 9, 7, 5, 4, 3, 2, 2, 1,
];

fn draw_entry(config: &GenConfig, years: &[(u16, u32)], i: usize) -> Entry {
    let d = data();
    let mut r = Rng::derive(config.seed, STREAM_ENTRY, i as u64);
    let station = d.station_alias.sample(&mut r) as u16;
    let year_w: Vec<u32> = years.iter().map(|y| y.1).collect();
    let year = years[r.weighted(&year_w)].0;
    // The collection ends in February 2010.
    let month = if year == 2010 {
        1 + r.below(2) as u8
    } else {
        1 + r.below(12) as u8
    };
    let day = 1 + r.below(DateTime::days_in_month(year, month) as usize) as u8;
    let hour = r.weighted(&HOUR_WEIGHTS) as u8;
    let minute = r.below(60) as u8;
    let label_w: Vec<u32> = LABELS.iter().map(|l| l.1).collect();
    let label = r.weighted(&label_w) as u8;
    let layout = if r.chance(config.header_table) {
        Layout::HeaderTable
    } else {
        Layout::RawTelegram
    };
    let size = (SIZE_MEDIAN.ln() + SIZE_SIGMA * r.normal()).exp();
    let target = size.clamp(SIZE_MIN, SIZE_MAX) as u32;
    let n_refs = if r.chance(config.with_refs) {
        1 + r.weighted(&[45, 25, 15, 9, 6]) as u8
    } else {
        0
    };
    Entry {
        station,
        created: DateTime::at_minute(year, month, day, hour, minute),
        label,
        layout,
        target,
        serial: 0,
        malformed: false,
        n_refs,
        refs: Vec::new(),
    }
}

/// Day of year as a fraction of the year, for serial numbers that grow through the year.
fn year_fraction(c: &DateTime) -> f64 {
    let mut days = 0u32;
    for m in 1..c.month {
        days += u32::from(DateTime::days_in_month(c.year, m));
    }
    (f64::from(days + u32::from(c.day) - 1) + f64::from(c.hour) / 24.0) / 366.0
}

/// Builds the plan for `config`.
pub(crate) fn build(config: &GenConfig) -> Plan {
    let d = data();
    let n = config.count;
    assert!(n < u32::MAX as usize, "too many cables");
    let years = year_weights();
    let mut entries: Vec<Entry> = (0..n)
        .into_par_iter()
        .map(|i| draw_entry(config, &years, i))
        .collect();

    // Malformed identifiers: about 1 in 10,000, at least one from 2,000 cables on. They are
    // multi-section cables in layout 1 (the header table carries the broken identifier).
    let mut rng = Rng::derive(config.seed, STREAM_PLAN, 0);
    let n_bad = if n >= 2000 { (n / 10_000).max(1) } else { 0 };
    let mut bad: Vec<usize> = Vec::with_capacity(n_bad);
    while bad.len() < n_bad {
        let i = rng.below(n);
        if !bad.contains(&i) {
            bad.push(i);
        }
    }
    for &i in &bad {
        let e = &mut entries[i];
        e.malformed = true;
        e.layout = Layout::HeaderTable;
        e.target = e.target.max(9_000 + rng.below(6_000) as u32);
    }

    // Serials: per station and year, increasing with the date, unique.
    let mut idx: Vec<u32> = (0..n as u32).collect();
    idx.par_sort_unstable_by_key(|&i| {
        let e = &entries[i as usize];
        (e.station, e.created.year, e.created, i)
    });
    let mut ids: HashSet<(u16, u16, u32)> = HashSet::with_capacity(n);
    let mut g = 0;
    while g < idx.len() {
        let first = &entries[idx[g] as usize];
        let key = (first.station, first.created.year);
        let mut h = g;
        while h < idx.len() && {
            let e = &entries[idx[h] as usize];
            (e.station, e.created.year) == key
        } {
            h += 1;
        }
        let annual = d.stations[key.0 as usize].annual;
        let volume = f64::from(annual.max(((h - g) as f64 * 1.3).ceil() as u32));
        let mut prev = 0u32;
        for &i in &idx[g..h] {
            let e = &mut entries[i as usize];
            let base = 1 + (year_fraction(&e.created) * volume) as u32 + rng.below(3) as u32;
            let serial = base.max(prev + 1);
            e.serial = serial;
            prev = serial;
            ids.insert((e.station, e.created.year, serial));
        }
        g = h;
    }

    // Date order, globally and per station (malformed cables are never cited).
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.par_sort_unstable_by_key(|&i| (entries[i as usize].created, i));
    let mut pos_global = vec![0u32; n];
    let mut pos_station = vec![0u32; n];
    let mut by_station: Vec<Vec<u32>> = vec![Vec::new(); d.stations.len()];
    for (p, &i) in order.iter().enumerate() {
        let e = &entries[i as usize];
        pos_global[i as usize] = p as u32;
        let list = &mut by_station[e.station as usize];
        pos_station[i as usize] = list.len() as u32;
        if !e.malformed {
            list.push(i);
        }
    }
    let state = d.by_token["STATE"];

    let ctx = RefCtx {
        config,
        entries: &entries,
        ids: &ids,
        order: &order,
        pos_global: &pos_global,
        pos_station: &pos_station,
        by_station: &by_station,
        state,
    };
    let refs: Vec<Vec<PlannedRef>> = (0..n).into_par_iter().map(|i| ctx.draw(i)).collect();
    for (e, r) in entries.iter_mut().zip(refs) {
        e.refs = r;
    }
    Plan {
        seed: config.seed,
        entries,
    }
}

struct RefCtx<'a> {
    config: &'a GenConfig,
    entries: &'a [Entry],
    ids: &'a HashSet<(u16, u16, u32)>,
    order: &'a [u32],
    pos_global: &'a [u32],
    pos_station: &'a [u32],
    by_station: &'a [Vec<u32>],
    state: usize,
}

impl RefCtx<'_> {
    fn draw(&self, i: usize) -> Vec<PlannedRef> {
        let e = &self.entries[i];
        if e.n_refs == 0 {
            return Vec::new();
        }
        let mut r = Rng::derive(self.config.seed, STREAM_REFS, i as u64);
        let mut out: Vec<PlannedRef> = Vec::with_capacity(e.n_refs as usize);
        let mut known: HashSet<u32> = HashSet::new();
        let mut unknown: HashSet<(u16, u16, u32)> = HashSet::new();
        for _ in 0..e.n_refs {
            if r.chance(OTHER_REF_SHARE) {
                out.push(PlannedRef::Other);
                continue;
            }
            if r.chance(self.config.resolvable) {
                let mut found = None;
                for _ in 0..4 {
                    if let Some(t) = self.pick_known(&mut r, i) {
                        if known.insert(t) {
                            found = Some(t);
                            break;
                        }
                    }
                }
                if let Some(t) = found {
                    out.push(PlannedRef::Known(t));
                    continue;
                }
            }
            let u = self.pick_unknown(&mut r, i, &unknown);
            unknown.insert(u);
            out.push(PlannedRef::Unknown {
                station: u.0,
                year: u.1,
                serial: u.2,
            });
        }
        out
    }

    /// An earlier cable: of the same post, of STATE, or any, preferring recent ones. Never one
    /// of the same minute (possible in date order, odd in a citation).
    fn pick_known(&self, r: &mut Rng, i: usize) -> Option<u32> {
        let created = self.entries[i].created;
        self.pick_in_order(r, i)
            .filter(|&j| self.entries[j as usize].created < created)
    }

    fn pick_in_order(&self, r: &mut Rng, i: usize) -> Option<u32> {
        let e = &self.entries[i];
        let s = e.station as usize;
        let choice = r.below(100);
        let ps = self.pos_station[i] as usize;
        if choice < 55 && ps > 0 {
            let k = r.geometric(12.0).min(ps - 1);
            return Some(self.by_station[s][ps - 1 - k]);
        }
        if choice < 80 && s != self.state {
            let list = &self.by_station[self.state];
            let key = (e.created, i as u32);
            let p = list.partition_point(|&j| (self.entries[j as usize].created, j) < key);
            if p > 0 {
                let k = r.geometric(40.0).min(p - 1);
                return Some(list[p - 1 - k]);
            }
        }
        let pg = self.pos_global[i] as usize;
        if pg == 0 {
            return None;
        }
        let k = r.geometric(4000.0).min(pg - 1);
        let mut p = pg - 1 - k;
        loop {
            let j = self.order[p];
            if !self.entries[j as usize].malformed {
                return Some(j);
            }
            if p == 0 {
                return None;
            }
            p -= 1;
        }
    }

    /// A plausible identifier that is not in the corpus.
    fn pick_unknown(
        &self,
        r: &mut Rng,
        i: usize,
        taken: &HashSet<(u16, u16, u32)>,
    ) -> (u16, u16, u32) {
        let d = data();
        let e = &self.entries[i];
        for attempt in 0.. {
            let station = match r.below(10) {
                0..=4 => e.station,
                5 | 6 => self.state as u16,
                _ => d.station_alias.sample(r) as u16,
            };
            let year = if r.chance(0.65) {
                e.created.year
            } else {
                e.created
                    .year
                    .saturating_sub(1 + r.below(3) as u16)
                    .max(1966)
            };
            let annual = d.stations[station as usize].annual;
            let annual = if d.stations[station as usize].kind == Kind::State {
                annual
            } else {
                annual * 11 / 10
            };
            let serial = if attempt < 20 {
                1 + r.below(annual as usize) as u32
            } else {
                annual * 2 + r.below(10_000) as u32
            };
            let key = (station, year, serial);
            if !self.ids.contains(&key) && !taken.contains(&key) {
                return key;
            }
        }
        unreachable!()
    }
}

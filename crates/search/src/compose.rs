//! A chunk's analysis put together from the runs of a previous build, so that a rebuild reads
//! and analyses only the cables that are new to it.
//!
//! A chunk's run ([`ChunkIndex`]) depends only on its documents, in order: each document's
//! postings (its weighted count per term) and positions are its own, and the run lists them by
//! term, then by the document's place in the chunk. When 100 cables are added to an archive of
//! 251,287, 70 of the 180 chunks of the content-defined plan ([`crate::chunk_plan`]) change,
//! and each holds about 1,400 cables the previous build analysed already: reading, parsing
//! and analysing all of them again was 9.0 s (the `render` phase) of that rebuild's 16.8 s
//! (BENCHMARKS.md, session 14). [`compose`] takes those
//! documents' entries from the previous runs that hold them (found by the caller's document
//! keys, which every run records) and only the new documents from a fresh analysis, and
//! writes the run a fresh analysis of the whole chunk would give, byte for byte (the tests
//! compare the two).

use crate::analyze::ChunkIndex;
use crate::encode::get_varint;

/// One source of documents for [`compose`]: a chunk's index (at any base) with its
/// documents' weighted lengths and snippets.
pub(crate) struct Part<'a> {
    pub index: &'a ChunkIndex,
    pub lens: &'a [u32],
    pub snippets: &'a [String],
}

/// No document of the new chunk.
const NONE: u32 = u32::MAX;

/// The analysis of a chunk at `base` whose document `j` is document `from[j].1` of
/// `parts[from[j].0]`: its index (with its lengths) and its snippets. `None` when `from` names
/// a document that is not there or one document twice, or a part's entries do not decode
/// (the caller then analyses the chunk afresh).
pub(crate) fn compose(
    parts: &[Part],
    from: &[(u32, u32)],
    base: u32,
) -> Option<(ChunkIndex, Vec<String>)> {
    // Where each part's documents go in the new chunk.
    let mut maps: Vec<Vec<u32>> = parts.iter().map(|p| vec![NONE; p.lens.len()]).collect();
    let mut lens = Vec::with_capacity(from.len());
    let mut snippets = Vec::with_capacity(from.len());
    for (j, &(p, local)) in from.iter().enumerate() {
        let part = parts.get(p as usize)?;
        let slot = maps[p as usize].get_mut(local as usize)?;
        if *slot != NONE {
            return None;
        }
        *slot = j as u32;
        lens.push(part.lens[local as usize]);
        snippets.push(part.snippets.get(local as usize)?.clone());
    }
    let total: usize = parts.iter().map(|p| p.index.bytes.len()).sum();
    let mut out = ChunkIndex {
        base,
        lens,
        names: String::new(),
        bytes: Vec::with_capacity(total),
        positions: Vec::new(),
        terms: Vec::new(),
    };
    // A k-way merge of the parts' terms (each part is sorted by term, in byte order, as the
    // analysis sorts them); a handful of parts, so the smallest is found by looking at each.
    let mut cursor = vec![0usize; parts.len()];
    // (document in the new chunk, count, part, term's index in the part, its positions).
    let mut entries: Vec<(u32, u32, u32, u32, u32, u32)> = Vec::new();
    loop {
        let mut smallest: Option<&str> = None;
        for (p, part) in parts.iter().enumerate() {
            if cursor[p] < part.index.len() {
                let t = part.index.term(cursor[p]);
                if smallest.map_or(true, |s| t < s) {
                    smallest = Some(t);
                }
            }
        }
        let Some(term) = smallest else {
            break;
        };
        entries.clear();
        for (p, part) in parts.iter().enumerate() {
            let i = cursor[p];
            if i >= part.index.len() || part.index.term(i) != term {
                continue;
            }
            cursor[p] += 1;
            let postings = part.index.postings(i);
            let positions = part.index.positions(i);
            let (mut at, mut at_positions, mut local) = (0, 0, None::<u32>);
            while at < postings.len() {
                let delta = get_varint(postings, &mut at)?;
                let doc = match local {
                    None => delta,
                    Some(previous) => previous.checked_add(delta)?,
                };
                local = Some(doc);
                let count = get_varint(postings, &mut at)?;
                // A document's positions end at the first value without the `more` bit; a
                // term with none (a filter key) has none for any document.
                let start = at_positions;
                if !positions.is_empty() {
                    while get_varint(positions, &mut at_positions)? & 1 == 1 {}
                }
                let to = *maps[p].get(doc as usize)?;
                if to != NONE {
                    entries.push((
                        to,
                        count,
                        p as u32,
                        i as u32,
                        start as u32,
                        at_positions as u32,
                    ));
                }
            }
            if at_positions != positions.len() {
                return None;
            }
        }
        if entries.is_empty() {
            // Only in documents the new chunk does not hold.
            continue;
        }
        entries.sort_unstable_by_key(|e| e.0);
        out.push_term(
            term,
            entries.iter().map(|&(doc, count, p, i, start, end)| {
                let positions = parts[p as usize].index.positions(i as usize);
                (doc, count, &positions[start as usize..end as usize])
            }),
        );
    }
    out.names.shrink_to_fit();
    out.bytes.shrink_to_fit();
    out.positions.shrink_to_fit();
    Some((out, snippets))
}

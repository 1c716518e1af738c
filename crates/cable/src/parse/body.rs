//! Cuts the telegram into [`Block`]s in document order: routing header, classification line,
//! markers, header fields, headings, numbered paragraphs, page breaks, signature and other text.
//!
//! One pass over the lines with a little lookahead (headings, the signature). Blank lines separate
//! blocks and are not kept inside them, except that a paragraph (or other prose) whose last line
//! stops mid-sentence continues across them: in the originals those blanks are page breaks.
//!
//! The telegram header (classification line … `Classified By`) may appear twice in the web
//! export; both copies become blocks here, and the caller takes metadata from the first.

use super::classline;
use super::lines::{
    field_start, is_address_line, is_dash_line, is_marker_keyword, is_page_break, is_routing_like,
    is_routing_start, paragraph_start, signature_case, FieldKind, SignatureCase,
};
use super::refs::item_letter;
use super::text::{ends_sentence, has_lowercase};
use crate::model::{Block, BlockKind};
use std::borrow::Cow;
use std::ops::Range;

/// The telegram cut into blocks.
#[derive(Debug, Default)]
pub struct Segmented {
    /// The blocks in document order.
    pub blocks: Vec<Block>,
    /// For each block, which header field it is (parallel to `blocks`), so metadata can be read
    /// without re-recognising labels.
    pub fields: Vec<Option<FieldKind>>,
    /// Line indices (0-based) of the routing header, for reading its facts with line numbers.
    pub routing: Option<Range<usize>>,
    /// The first classification line block (its index in `blocks`) as read while segmenting,
    /// when it was read as the cable's facts read it (`classline::parse(text, true)`, in the
    /// header zone): the facts take it instead of reading the line a second time.
    pub first_class_line: Option<(usize, classline::ClassLine)>,
}

/// A block still receiving lines. Its text is the segmenter's `pieces` (borrowed from the
/// lines), joined once into the block when it closes: one allocation of the right size.
struct Open<'a> {
    block: Block,
    field: Option<FieldKind>,
    /// For a `REF` field: the letter the next lettered item would carry.
    next_letter: u8,
    /// The last piece of its text (its last line), for "does it end a sentence".
    last: &'a str,
}

struct Segmenter<'a> {
    out: Segmented,
    open: Option<Open<'a>>,
    /// The open block's text, piece by piece (the first line's text, then each further line);
    /// kept from block to block so that it is allocated once per cable.
    pieces: Vec<&'a str>,
    /// Until the first numbered paragraph: header fields and plain classification lines are
    /// recognised only here.
    header_zone: bool,
    /// A classification line was seen (address lines follow it).
    after_class: bool,
    /// A header field was seen since the last classification line.
    seen_field: bool,
}

/// 1-based line number of line index `i`.
fn line_no(i: usize) -> u32 {
    u32::try_from(i + 1).unwrap_or(u32::MAX)
}

fn append(text: &mut String, line: &str) {
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(line);
}

/// The pieces joined as [`append`] would join them one by one (a line break before each piece
/// but when nothing is written yet), in one allocation.
fn join_pieces(pieces: &[&str]) -> Box<str> {
    // The exact length, so that the boxed string needs no second allocation to shrink.
    let len = pieces.iter().fold(0, |len, p| match len {
        0 => p.len(),
        _ => len + 1 + p.len(),
    });
    let mut text = String::with_capacity(len);
    for piece in pieces {
        append(&mut text, piece);
    }
    text.into_boxed_str()
}

impl<'a> Segmenter<'a> {
    fn push(&mut self, block: Block, field: Option<FieldKind>) {
        self.out.blocks.push(block);
        self.out.fields.push(field);
    }

    /// Moves the name run onto the end of the last prose block (from line `line`) into a
    /// signature block of its own after it; nothing when that block does not end with it.
    fn split_signature(&mut self, line: u32, name: &str) {
        let blocks = &mut self.out.blocks;
        let Some(k) = blocks.iter().rposition(|b| b.line <= line) else {
            return;
        };
        let b = &mut blocks[k];
        if !matches!(b.kind, BlockKind::Paragraph | BlockKind::Text) {
            return;
        }
        let text = b.text.trim_end();
        let (text, tail) = match mirror_tail(text) {
            Some((before, tail)) => (before, Some(Box::<str>::from(tail))),
            None => (text, None),
        };
        let Some(before) = text.strip_suffix(name) else {
            return;
        };
        b.text = before.trim_end().into();
        blocks.insert(k + 1, Block::new(BlockKind::Signature, line, name));
        self.out.fields.insert(k + 1, None);
        // What the mirror wrote after the name (a date, another export's record) stays in the
        // text, as a line of its own.
        if let Some(tail) = tail {
            blocks.insert(k + 2, Block::new(BlockKind::Text, line, tail));
            self.out.fields.insert(k + 2, None);
        }
    }

    fn close(&mut self) {
        if let Some(mut open) = self.open.take() {
            open.block.text = join_pieces(&self.pieces);
            self.pieces.clear();
            self.push(open.block, open.field);
        }
    }

    /// Opens `block` (its text empty) with `first` as the start of its text.
    fn start(&mut self, block: Block, first: &'a str, field: Option<FieldKind>) {
        self.close();
        let next_letter = match field {
            Some(FieldKind::Ref) => item_letter(first).map_or(b'A', |l| l + 1),
            _ => b'A',
        };
        self.pieces.push(first);
        self.open = Some(Open {
            block,
            field,
            next_letter,
            last: first,
        });
    }

    /// Adds a line to the open block.
    fn push_line(&mut self, line: &'a str) {
        if let Some(open) = &mut self.open {
            self.pieces.push(line);
            open.last = line;
        }
    }

    /// Opens a block for a line that is nothing in particular: an address line right after the
    /// classification line, else text.
    fn start_text(&mut self, i: usize, line: &'a str) {
        let t = line.trim();
        let kind = if self.header_zone && self.after_class && !self.seen_field && !has_lowercase(t)
        {
            BlockKind::Marker
        } else {
            BlockKind::Text
        };
        self.start(Block::new(kind, line_no(i), ""), line, None);
    }
}

/// Segments the cleaned lines (trailing whitespace already cut) from `start` to the end.
pub fn segment<'a>(lines: &'a [Cow<'_, str>], start: usize) -> Segmented {
    let n = lines.len();
    let t = |i: usize| lines[i].trim();
    // About one block for every four lines (a telegram's paragraphs, fields and headers).
    let blocks = (n - start.min(n)) / 4 + 4;
    let mut seg = Segmenter {
        out: Segmented {
            blocks: Vec::with_capacity(blocks),
            fields: Vec::with_capacity(blocks),
            routing: None,
            first_class_line: None,
        },
        open: None,
        pieces: Vec::new(),
        header_zone: true,
        after_class: false,
        seen_field: false,
    };
    let mut i = start;
    while i < n && t(i).is_empty() {
        i += 1;
    }
    if i < n && is_routing_start(t(i)) {
        let end = routing_end(lines, i);
        let mut text = String::new();
        for line in &lines[i..end] {
            if !line.trim().is_empty() {
                append(&mut text, line);
            }
        }
        seg.push(Block::new(BlockKind::RoutingHeader, line_no(i), text), None);
        seg.out.routing = Some(i..end);
        i = end;
    }
    // The signature is the last line, before any end-of-transmission lines (`BT`, `#2345`).
    // In capitals it is one wherever it stands; capitalised (`Stapleton`) it could also end a
    // sentence broken over two lines, so it must stand apart: after a blank line, a finished
    // sentence, or the web address many posts give just above the name.
    // A communications centre's note at the very end (`NOTE BY DO/CC: POSSIBLE OMISSION …`)
    // comes after the signature.
    let foot = (i..n)
        .rev()
        .filter(|&k| !t(k).is_empty())
        .take(6)
        .find(|&k| t(k).starts_with("NOTE BY "))
        .unwrap_or(n);
    let last_before = |end: usize| {
        (i..end).rev().find(|&k| {
            !t(k).is_empty()
                && !is_trailer(t(k))
                && !is_closing_line(t(k))
                && !is_csv_leftover(t(k))
        })
    };
    let is_signature = |k: usize| match signature_case(t(k)) {
        Some(SignatureCase::Capitals) => true,
        Some(SignatureCase::Capitalised) => {
            (i..k).rev().find(|&j| !t(j).is_empty()).map_or(true, |j| {
                // A paragraph the release redacted to its end is finished too (08LISBON1808:
                // `3. (SBU) XXXXXXXXXXXX` / `Stephenson`).
                j + 1 < k || ends_sentence(t(j)) || is_web_address(t(j)) || t(j).ends_with("XXXXXX")
            })
        }
        None => false,
    };
    let last = last_before(foot);
    // Some mirror pages of partial extracts hold, after the telegram, rows of the release's
    // `cables.csv` dump (the cable's full text, the start of the next cable's row): the
    // signature is then the last line before one of those rows (04THEHAGUE1923, 06THEHAGUE2415).
    // When such a row holds a whole other cable (07BERN881's page: `CARTER` / row of
    // 07TBILISI2290 … `TEFFT`), the last line is that cable's: the line before the first row
    // is this one's.
    // A copy the release cut and pasted another cable after (73TEHRAN2077: `…` / `50133
    // 2006-01-19  06THEHAGUE131 …`; 73TEHRAN8233: `I ASKED TO ST...` / `08STATE15228` / `S E C
    // R E T THE HAGUE 000174` … `Schofer`): the names after the paste are the other cable's.
    // One pass finds both; a pasted record is asked for only under a line ending in `...`.
    let (mut first_row, mut pasted) = (None, None);
    let mut after_cut = false;
    for k in i..foot {
        let line = t(k);
        if line.is_empty() {
            continue;
        }
        if first_row.is_none() && csv_row_start(line) {
            first_row = Some(k);
        }
        if after_cut && pasted.is_none() && pasted_record_start(line) {
            pasted = Some(k);
        }
        if first_row.is_some() && pasted.is_some() {
            break;
        }
        after_cut = line.ends_with("...");
    }
    let first_row_signature =
        first_row.and_then(|row| last_before(row).filter(|&k| is_signature(k)));
    let signature = match pasted {
        Some(row) => last_before(row).filter(|&k| is_signature(k)),
        None => first_row_signature
            .or_else(|| last.filter(|&k| is_signature(k)))
            .or_else(|| {
                (i..foot)
                    .rev()
                    .filter(|&k| csv_row_start(t(k)))
                    .find_map(|row| last_before(row).filter(|&k| is_signature(k)))
            }),
    };
    // A copy that ran each paragraph into one line (the cablegate pages) ran the name onto the
    // end of the last one: `… End Comment. Stroum`.
    // Only this cable's lines can end with its name run on.
    let last = match pasted {
        Some(row) => last_before(row),
        None => last,
    };
    let run_on = match (signature, last) {
        (None, Some(k)) => {
            // A paragraph's last words after a page break (07ACCRA2140: `ACCRA 00002140 003 OF
            // 003` / `intelligence with. BRIDGEWATER`) are a sentence's end, however few.
            let after_break = (i..k)
                .rev()
                .find(|&j| !t(j).is_empty())
                .is_some_and(|j| is_page_break(t(j)));
            run_on_signature(t(k), after_break).map(|name| (k, name))
        }
        _ => None,
    };

    let mut blank_before = true;
    let mut closed_run_on = false;
    while i < n {
        let line: &'a str = &lines[i];
        let tt = line.trim();
        if tt.is_empty() {
            blank_before = true;
            let closes = match &seg.open {
                Some(o) => match o.block.kind {
                    BlockKind::Field => o.field != Some(FieldKind::Ref),
                    BlockKind::Marker => true,
                    _ => false,
                },
                None => false,
            };
            if closes {
                seg.close();
            }
            i += 1;
            continue;
        }
        let was_blank = blank_before;
        blank_before = false;
        // Nothing after a run-on signature continues the paragraph it ended.
        if !closed_run_on && run_on.is_some_and(|(k, _)| i > k) {
            seg.close();
            closed_run_on = true;
        }

        // The signature stands alone or closes prose; right under a header field it is the
        // field's last line (`SUBJECT: …` / `MISSILE DEFENSE` in a truncated file).
        let closes_prose = matches!(
            &seg.open,
            None | Some(Open {
                block: Block {
                    kind: BlockKind::Paragraph | BlockKind::Text,
                    ..
                },
                ..
            })
        );
        if Some(i) == signature && (was_blank || closes_prose) {
            seg.close();
            seg.push(Block::new(BlockKind::Signature, line_no(i), tt), None);
            i += 1;
            continue;
        }
        if is_page_break(tt) {
            seg.close();
            seg.push(Block::new(BlockKind::PageBreak, line_no(i), tt), None);
            i += 1;
            continue;
        }
        if let Some(class_line) = classline::parse(tt, seg.header_zone) {
            seg.close();
            // `after_class` is still false for the first one.
            if !seg.after_class && seg.header_zone {
                seg.out.first_class_line = Some((seg.out.blocks.len(), class_line));
            }
            seg.push(
                Block::new(BlockKind::ClassificationLine, line_no(i), tt),
                None,
            );
            seg.after_class = true;
            seg.seen_field = false;
            i += 1;
            continue;
        }
        if seg.header_zone {
            if let Some(f) = field_start(tt) {
                let mut block = Block::new(BlockKind::Field, line_no(i), "");
                block.label = Some(f.label.into());
                seg.start(block, f.rest, Some(f.kind));
                seg.seen_field = true;
                i += 1;
                continue;
            }
        }
        if let Some(p) = paragraph_start(tt) {
            // An unmarked `3. text` right under other text could be a wrapped line. It starts a
            // paragraph after a blank line; or after a finished sentence when it continues the
            // numbering (allowing for one wrapped `N.` line taken as text); or as paragraph 1
            // right under a header field.
            let starts = p.marking.is_some()
                || was_blank
                || match &seg.open {
                    None => true,
                    Some(o) => {
                        let last = o.last;
                        match o.block.kind {
                            BlockKind::Paragraph => {
                                o.block
                                    .number
                                    .is_some_and(|n| p.number > n && p.number - n <= 2)
                                    && ends_sentence(last)
                            }
                            BlockKind::Field => p.number == 1,
                            BlockKind::Text => p.number == 1 && ends_sentence(last),
                            _ => true,
                        }
                    }
                };
            if starts {
                let mut block = Block::new(BlockKind::Paragraph, line_no(i), "");
                block.number = Some(p.number);
                block.marking = p.marking.map(Box::from);
                seg.start(block, p.rest, None);
                seg.header_zone = false;
                i += 1;
                continue;
            }
        }
        if is_dash_line(tt) {
            if let Some((text, next)) = dashed_heading(lines, i) {
                seg.close();
                seg.push(Block::new(BlockKind::Heading, line_no(i), text), None);
                i = next;
                continue;
            }
        } else if was_blank
            && tt.len() <= 120
            && i + 1 < n
            && is_dash_line(t(i + 1))
            && (i + 2 >= n || t(i + 2).is_empty())
        {
            seg.close();
            seg.push(Block::new(BlockKind::Heading, line_no(i), tt), None);
            i += 2;
            continue;
        }
        if is_marker_keyword(tt) || (seg.header_zone && is_address_line(tt)) {
            seg.close();
            seg.push(Block::new(BlockKind::Marker, line_no(i), tt), None);
            i += 1;
            continue;
        }

        // A line of text: it continues the open block or starts a new one.
        let continues = match &seg.open {
            None => false,
            Some(o) => match o.block.kind {
                BlockKind::Field if o.field == Some(FieldKind::Ref) => {
                    !was_blank || item_letter(tt) == Some(o.next_letter)
                }
                BlockKind::Field => true,
                BlockKind::Marker => !has_lowercase(tt),
                _ => !was_blank || !ends_sentence(o.last),
            },
        };
        match (&mut seg.open, continues) {
            (Some(o), true) => {
                if o.field == Some(FieldKind::Ref) {
                    if let Some(letter) = item_letter(tt) {
                        o.next_letter = letter.saturating_add(1);
                    }
                }
                seg.push_line(line);
            }
            _ => seg.start_text(i, line),
        }
        i += 1;
    }
    seg.close();
    if let Some((k, name)) = run_on {
        seg.split_signature(line_no(k), name);
    }
    seg.out
}

/// The name run onto the end of a last line (`… End Comment. Stroum`): one word that reads as
/// a signature, after a finished sentence of at least three words.
fn run_on_signature(line: &str, after_break: bool) -> Option<&str> {
    let line = line.trim_end();
    let line = mirror_tail(line).map_or(line, |(before, _)| before);
    let (before, name) = line.rsplit_once(char::is_whitespace)?;
    let before = before.trim_end();
    let finished = before.trim_end_matches(['"', '\'', ')', '\u{201d}', '\u{2019}']);
    // A paragraph the release redacted to its end (07BUJUMBURA515: `9. (C/NF) XXXXXXXXXXXX
    // MOLLER`) is as finished as a sentence.
    let redacted = finished.ends_with("XXXXXX");
    // So is the post's web address (08LONDON929: `Visit London's Classified Website:
    // http://www.state.sgov.gov/p/eur/london/index. cfm Tuttle`).
    (((finished.ends_with(['.', '!', '?']) || redacted || is_web_address(finished))
        && before
            .split_whitespace()
            .nth(if after_break { 1 } else { 2 })
            .is_some()
        || ends_quoted_text(finished))
        && signature_case(name).is_some())
    .then_some(name)
}

/// What a mirror wrote after the telegram's last words on the same line, with the line before
/// it (trimmed): a date in the ISO form (05BRASILIA1207, a partial extract: `… bode well for
/// U.S. interests. DANILOVICH 2005-05-06`; telegrams write dates otherwise: `May 6`, `06 MAY
/// 05`), or the start of another export's record of the cable, a number, a date and a number
/// (08TRIPOLI220: `… End comment. STEVENS 0 03/13/2008 9871 PGOV,PREL,… DETAINED …`).
fn mirror_tail(line: &str) -> Option<(&str, &str)> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some((before, date)) = line.rsplit_once(' ') {
        if is_iso_date(date.as_bytes()) {
            return Some((before.trim_end(), date));
        }
    }
    let words: Vec<(usize, &str)> = line
        .split(' ')
        .scan(0, |at, w| {
            let start = *at;
            *at += w.len() + 1;
            Some((start, w))
        })
        .filter(|(_, w)| !w.is_empty())
        .collect();
    words.windows(3).find_map(|w| {
        let slashed = w[1].1.split('/').collect::<Vec<_>>();
        let date = slashed.len() == 3 && slashed.iter().all(|p| digits(p)) && slashed[2].len() == 4;
        (digits(w[0].1) && date && digits(w[2].1) && w[0].0 > 0)
            .then(|| (line[..w[0].0].trim_end(), &line[w[0].0..]))
    })
}

/// Whether a line ends with the formula that closes a quoted text or a comment (`END TEXT`,
/// `END QUOTE`, `UNQUOTE`, `END COMMENT`), after which a name on the same line is the
/// signature (10USNATO52: `END TEXT HEFFERN`).
fn ends_quoted_text(line: &str) -> bool {
    let line = line.trim_end_matches(['.', ' ']);
    [
        "END TEXT",
        "END QUOTE",
        "UNQUOTE",
        "END COMMENT",
        "END NOTE",
        "END SUMMARY",
    ]
    .iter()
    .any(|formula| {
        line.len() >= formula.len()
            && line.is_char_boundary(line.len() - formula.len())
            && line[line.len() - formula.len()..].eq_ignore_ascii_case(formula)
            && line[..line.len() - formula.len()]
                .chars()
                .next_back()
                .map_or(true, |c| !c.is_alphanumeric())
    })
}

/// A line that starts a row of the release's `cables.csv` dump: number, date and time,
/// identifier (`19310,7/30/2004 17:38,04THEHAGUE1924,"Embassy The Hague",…`).
fn csv_row_start(t: &str) -> bool {
    // Asked of every line: the row number and its separator decide most at once (`1. (C)`).
    let number = t.bytes().take_while(u8::is_ascii_digit).count();
    if number == 0 || !matches!(t.as_bytes().get(number), Some(b',' | b'\t')) {
        return false;
    }
    // Or of a tab-separated export of it: number, `2007-09-11 12:50:00`, identifier
    // (07BERN881's page: `121752<TAB>2007-09-11 12:50:00<TAB>07TBILISI2290<TAB>…`).
    let mut tabbed = t.splitn(4, '\t');
    if let (Some(number), Some(when), Some(id), Some(_)) =
        (tabbed.next(), tabbed.next(), tabbed.next(), tabbed.next())
    {
        let b = when.as_bytes();
        let iso = b.len() == 19 && is_iso_date(&b[..10]) && b[10] == b' ' && b[13] == b':';
        return number.bytes().all(|c| c.is_ascii_digit())
            && iso
            && crate::model::id_station(id).is_some();
    }
    let mut fields = t.splitn(4, ',');
    let (Some(number), Some(when), Some(id)) = (fields.next(), fields.next(), fields.next()) else {
        return false;
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let date_time = when.split_once(' ').is_some_and(|(date, time)| {
        date.split('/').count() == 3
            && date.split('/').all(digits)
            && time
                .split_once(':')
                .is_some_and(|(h, m)| digits(h) && digits(m))
    });
    digits(number) && date_time && crate::model::id_station(id).is_some()
}

/// `2005-05-06`: the date form of the release's exports and mirrors, never a telegram's.
fn is_iso_date(b: &[u8]) -> bool {
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0..4, 5..7, 8..10]
            .iter()
            .all(|r| b[r.clone()].iter().all(u8::is_ascii_digit))
}

/// A line that starts another cable the release pasted after a cut one: a row of a
/// space-separated export (`50133  2006-01-19  06THEHAGUE131  Embassy The Hague …`) or the
/// identifier alone (`08STATE15228`).
fn pasted_record_start(t: &str) -> bool {
    let looks_like_id = |w: &str| {
        let b = w.as_bytes();
        b.len() > 4
            && b[..2].iter().all(u8::is_ascii_digit)
            && b.last().is_some_and(u8::is_ascii_digit)
            && crate::model::id_station(w).is_some()
    };
    let mut words = t.split_whitespace();
    match (words.next(), words.next(), words.next()) {
        (Some(id), None, None) => looks_like_id(id),
        (Some(number), Some(date), Some(id)) => {
            number.bytes().all(|b| b.is_ascii_digit())
                && is_iso_date(date.as_bytes())
                && looks_like_id(id)
        }
        _ => false,
    }
}

/// What a `cables.csv` row leaves at the end of its text field: the closing quote and the
/// comma (`",`).
fn is_csv_leftover(t: &str) -> bool {
    matches!(t, "\"" | "\"," | "\",\"")
}

/// A line that gives a web address (`http://www.state.sgov.gov/p/eur/paris/index.cfm`).
fn is_web_address(t: &str) -> bool {
    t.contains("http://") || t.contains("https://") || t.contains("www.")
}

/// End-of-transmission lines after the text: `BT`, `NNNN`, `#2345`, `End Cable Text`; and a
/// stray mark a copy left under the signature (09PANAMA905: `STEPHENSON` / ` ` / `..`;
/// 00HARARE5461: `MCDONALD` / ` CONFIDENTIAL` / `>`).
fn is_trailer(t: &str) -> bool {
    t == "BT"
        // After a declassification stamp (73TEHRAN7005: `HELMS` / `Declassified/Released …` /
        // `NNN`).
        || t == "NNN"
        // With what a mirror put after it (05ROME1593: `NNNN  2005ROME01593 - Classification: SECRET`).
        || t.starts_with("NNNN ")
        // The mirror's end-of-record lines (02ROME1196: `>  2002ROME01196 - Classification:
        // CONFIDENTIAL`, `> @@@OASYS@@@`).
        // A cut tail of the title a mirror left under the text (05CARACAS90: `Brownfield` /
        // `HAVEZ...`, of `… CRITICISM OF CHAVEZ`): one word in capitals and `...`.
        || t.strip_suffix("...").is_some_and(|w| {
            w.len() >= 2 && w.bytes().all(|b| b.is_ascii_uppercase())
        })
        || t.strip_prefix('>').is_some_and(|r| {
            let r = r.trim_start();
            r.starts_with("@@@") || r.contains(" - Classification: ")
        })
        || t.eq_ignore_ascii_case("End Cable Text")
        // The stamp of the State Department inbox the copy was printed from (10BRUSSELS183:
        // `Zenaida X Toledo 07/30/2008 04:04:14 PM From DB/Inbox: TRANS`).
        || t.contains(" From DB/Inbox:")
        || (!t.is_empty() && t.len() <= 3 && t.bytes().all(|b| matches!(b, b'.' | b'>' | b'<')))
        || t == "NNNN"
        || t.strip_prefix('#')
            .is_some_and(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A line that may follow the signature without being text: the classification repeated at
/// the foot (`CONFIDENTIAL`, `S E C R E T`, `LIMITED OFFICIAL USE`) or the stamp of a later
/// declassification review (`Declassified/Released US Department of State EO` / `Systematic
/// Review 05 JUL 2006`).
fn is_closing_line(t: &str) -> bool {
    if t.starts_with("Declassified/Released") || t.starts_with("Systematic Review") {
        return true;
    }
    classline::after_label(t)
        .is_some_and(|rest| matches!(&*rest, "" | "NOFORN" | "NODIS" | "EXDIS"))
}

/// Where the routing header that starts at `start` ends (exclusive, trailing blank lines left
/// out): at the classification line, or at the first line that is plainly not transmission
/// detail (a field, a paragraph, a marker, prose in lowercase).
fn routing_end(lines: &[Cow<'_, str>], start: usize) -> usize {
    let mut end = start + 1;
    for (k, line) in lines.iter().enumerate().skip(start + 1) {
        let tt = line.trim();
        if tt.is_empty() {
            continue;
        }
        if !is_routing_like(tt)
            || classline::parse(tt, true).is_some()
            || field_start(tt).is_some()
            || paragraph_start(tt).is_some()
            || is_marker_keyword(tt)
            || is_page_break(tt)
        {
            break;
        }
        end = k + 1;
    }
    end
}

/// A heading set between dash lines starting at the dash line `i`: up to three lines of text
/// and a closing dash line. Returns the text and the index after the closing line.
fn dashed_heading(lines: &[Cow<'_, str>], i: usize) -> Option<(String, usize)> {
    let mut text = String::new();
    let mut k = i + 1;
    while k < lines.len() {
        let tt = lines[k].trim();
        if tt.is_empty() || k - i > 3 {
            return None;
        }
        if is_dash_line(tt) {
            return (!text.is_empty()).then_some((text, k + 1));
        }
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(tt);
        k += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(text: &str) -> Vec<(BlockKind, String)> {
        let lines: Vec<Cow<str>> = text.lines().map(Cow::Borrowed).collect();
        segment(&lines, 0)
            .blocks
            .into_iter()
            .map(|b| (b.kind, b.text.into()))
            .collect()
    }

    #[test]
    fn paragraphs_continue_across_page_gaps_only_mid_sentence() {
        let got = seg("1. (C) One and not\n\nbe a thing.\n\n2. (C) Two.\n\nLoose text.\n\nMore");
        assert_eq!(
            got,
            vec![
                (BlockKind::Paragraph, "One and not\nbe a thing.".into()),
                (BlockKind::Paragraph, "Two.".into()),
                (BlockKind::Text, "Loose text.".into()),
                (BlockKind::Text, "More".into()),
            ]
        );
    }

    #[test]
    fn unmarked_paragraphs_without_blank_lines() {
        let got = seg("SUBJECT: X\n1. ONE ENDS.\n2. TWO WRAPS AT\n3. PERCENT.\n4. FOUR.");
        let texts: Vec<&str> = got.iter().map(|b| b.1.as_str()).collect();
        assert_eq!(
            texts,
            ["X", "ONE ENDS.", "TWO WRAPS AT\n3. PERCENT.", "FOUR."]
        );
    }

    #[test]
    fn headings_both_ways() {
        let got = seg("1. (C) x.\n\nUNDERLINED\n-----\n\n-----\nTWO\nLINES\n-----\n2. (C) y.");
        assert_eq!(got[1], (BlockKind::Heading, "UNDERLINED".into()));
        assert_eq!(got[2], (BlockKind::Heading, "TWO\nLINES".into()));
        assert_eq!(got[3].0, BlockKind::Paragraph);
    }

    #[test]
    fn ref_block_spans_blank_lines_between_letters() {
        let got = seg("UNCLAS\n\nREF: A. STATE 1\n\nB. STATE 2\n\nSome text\n\n1. (U) Body");
        assert_eq!(got[1], (BlockKind::Field, "A. STATE 1\nB. STATE 2".into()));
        assert_eq!(got[2], (BlockKind::Text, "Some text".into()));
    }

    #[test]
    fn routing_header_ends_at_classification_line() {
        let got = seg("VZCZC1\nOO RUEHWEB\n\nDE X\nFM AMEMBASSY PARIS\nTO RUEHC/SECSTATE WASHDC\n\nS E C R E T PARIS 000001\n\nSIPDIS\nDEPARTMENT FOR EUR\n\nE.O. 12958: N/A\nEND\n\nOLSON");
        assert_eq!(got[0].0, BlockKind::RoutingHeader);
        assert_eq!(got[0].1.lines().count(), 5);
        assert_eq!(got[1].0, BlockKind::ClassificationLine);
        assert_eq!(got[2], (BlockKind::Marker, "SIPDIS".into()));
        assert_eq!(got[3], (BlockKind::Marker, "DEPARTMENT FOR EUR".into()));
        assert_eq!(got[4], (BlockKind::Field, "12958: N/A\nEND".into()));
        assert_eq!(got[5], (BlockKind::Signature, "OLSON".into()));
    }

    #[test]
    fn signature_before_end_of_transmission_lines() {
        let got = seg("1. (U) Text.\n\nEAGLEBURGER\nBT\n#2345\n");
        assert_eq!(got[1], (BlockKind::Signature, "EAGLEBURGER".into()));
        assert_eq!(got[2], (BlockKind::Text, "BT\n#2345".into()));
        let got = seg(
            "1. (U) Text.\nMURRAY\nEnd Cable Text\nZenaida X Toledo 07/30/2008 04:04:14 PM From DB/Inbox: TRANS\n.\n",
        );
        assert!(
            got.contains(&(BlockKind::Signature, "MURRAY".into())),
            "{got:?}"
        );
    }

    #[test]
    fn capitalised_signatures_stand_apart() {
        let got = seg("1. (U) Text ends here.\n\nBlankenship\n");
        assert_eq!(got[1], (BlockKind::Signature, "Blankenship".into()));
        let got = seg("1. (U) The group will make that function\npermanent.\nHamilton\n");
        assert_eq!(got[1], (BlockKind::Signature, "Hamilton".into()));
        let got = seg("Please visit the website at:\nhttp://www.state.sgov.gov/x\nStapleton\n");
        assert_eq!(
            got.last().unwrap(),
            &(BlockKind::Signature, "Stapleton".into())
        );
        // The end of a sentence broken over two lines is not a name.
        let got = seg("1. (U) He met the Minister of\nDefense\n");
        assert!(
            got.iter().all(|(k, _)| *k != BlockKind::Signature),
            "{got:?}"
        );
    }

    #[test]
    fn the_classification_or_a_review_stamp_at_the_foot_is_not_the_last_line() {
        let got = seg("1. (C) TEXT.\n\nLAINGEN\n \nCONFIDENTIAL\n");
        assert_eq!(got[1], (BlockKind::Signature, "LAINGEN".into()));
        let got = seg(
            "1. TEXT.\n\nHELMS\n\nDeclassified/Released US Department of State EO\n\
             Systematic Review 05 JUL 2006\n",
        );
        assert_eq!(got[1], (BlockKind::Signature, "HELMS".into()));
        let got = seg("1. TEXT.\n\nKISSINGER\n\nC O N F I D E N T I A L NOFORN\n");
        assert_eq!(got[1], (BlockKind::Signature, "KISSINGER".into()));
        let got = seg(
            "1. PLEASE ADVISE.  QUAINTON\n\n\nNOTE BY DO/CC:  POSSIBLE OMISSION.\n\
             CORRECTION TO FOLLOW.\n\n    UNCLASSIFIED\n\nNNNN\n",
        );
        assert_eq!(got[1], (BlockKind::Signature, "QUAINTON".into()));
    }

    #[test]
    fn a_name_run_onto_the_last_paragraph_is_the_signature() {
        let got = seg("1. (U) First.\n\n2. (U) Please see the film. Stroum\n");
        assert_eq!(
            got[1],
            (BlockKind::Paragraph, "Please see the film.".into())
        );
        assert_eq!(got[2], (BlockKind::Signature, "Stroum".into()));
        let got = seg("1. (C) THE MILITANTS ARE WINNING IN FATA. VIA\n");
        assert_eq!(got[1], (BlockKind::Signature, "VIA".into()));
        // Not after an unfinished sentence, nor a handling word.
        let got = seg("1. (U) We will meet the Minister of Defense\n");
        assert!(
            got.iter().all(|(k, _)| *k != BlockKind::Signature),
            "{got:?}"
        );
        let got = seg("1. (U) END OF TEXT. UNQUOTE\n");
        assert!(
            got.iter().all(|(k, _)| *k != BlockKind::Signature),
            "{got:?}"
        );
    }

    #[test]
    fn a_name_after_the_end_of_a_quoted_text_is_the_signature() {
        let got = seg("1. (U) Text follows.\nBEGIN TEXT\n-- Urge partners.\nEND TEXT HEFFERN\n");
        assert_eq!(
            got.last().unwrap(),
            &(BlockKind::Signature, "HEFFERN".into())
        );
        assert!(got[0].1.ends_with("END TEXT"), "{got:?}");
        // A word glued to the formula (`UNQUOTED`) or a formula without a name is not one.
        for text in [
            "1. (U) Text.\nSO IT WAS UNQUOTED HEFFERNAN\n",
            "1. (U) Text.\nEND TEXT\n",
        ] {
            let got = seg(text);
            assert!(
                got.iter().all(|(k, _)| *k != BlockKind::Signature),
                "{got:?}"
            );
        }
    }

    #[test]
    fn stray_dots_under_the_signature_are_passed_over() {
        let got = seg("1. (SBU) We will be pleased to help.\nSTEPHENSON\n \n..\n");
        assert!(
            got.contains(&(BlockKind::Signature, "STEPHENSON".into())),
            "{got:?}"
        );
        let got = seg("1. (C) We will see.\nMCDONALD\n CONFIDENTIAL\n>\n");
        assert!(
            got.contains(&(BlockKind::Signature, "MCDONALD".into())),
            "{got:?}"
        );
        // The mirror's end-of-record lines (02ROME1196), with the name run on.
        let got = seg(
            "8. (C) AND WE JUST HANDED THEM SOME NEW ONES. POPE\n CONFIDENTIAL\n>  2002ROME01196 - Classification: CONFIDENTIAL\n",
        );
        assert!(
            got.contains(&(BlockKind::Signature, "POPE".into())),
            "{got:?}"
        );
        let got = seg("8. (C) We will see.\nPOPE\n CONFIDENTIAL\n> @@@OASYS@@@\n");
        assert!(
            got.contains(&(BlockKind::Signature, "POPE".into())),
            "{got:?}"
        );
        // A cut tail of the title under the signature (05CARACAS90) is passed over; a word
        // with dots is never the name.
        let got = seg("1. (C) Despite Chavez's efforts.\n\nBrownfield\nHAVEZ...\n");
        assert!(
            got.contains(&(BlockKind::Signature, "Brownfield".into())),
            "{got:?}"
        );
        let got = seg("1. (C) Despite Chavez's efforts.\n\nHAVEZ...\n");
        assert!(
            got.iter().all(|(k, _)| *k != BlockKind::Signature),
            "{got:?}"
        );
        // And `End Cable Text` after `NNNN` (08STATE23763), with the name run on.
        let got = seg("9. (U) XXXXXXXXXXXX. RICE\nNNNN\nEnd Cable Text\n");
        assert!(
            got.contains(&(BlockKind::Signature, "RICE".into())),
            "{got:?}"
        );
    }

    #[test]
    fn no_signature_from_a_cable_pasted_after_a_cut_one() {
        let got = seg(
            "1. (C) I ASKED TO ST...\n\n\n08STATE15228\nS E C R E T THE HAGUE 000174\n\n\
             1. (S) Through the Department of Justice.\nSchofer\n",
        );
        assert!(
            got.iter().all(|(k, _)| *k != BlockKind::Signature),
            "{got:?}"
        );
        let got = seg("SUBJECT: AUDIENCE WITH SHAH APRIL 5\n ...\n\n\n\
             50133  2006-01-19  06THEHAGUE131  Embassy The Hague  CONFIDENTIAL  TEXT\n\
             1. (C) An uphill battle in Parliament.\nBLAKEMAN\n");
        assert!(
            got.iter().all(|(k, _)| *k != BlockKind::Signature),
            "{got:?}"
        );
        // Not after text that was not cut.
        let got = seg("1. (C) We asked.\n\n08STATE15228\n\n1. (S) Text.\nSchofer\n");
        assert!(
            got.contains(&(BlockKind::Signature, "Schofer".into())),
            "{got:?}"
        );
    }

    #[test]
    fn a_signature_before_rows_of_the_csv_dump_left_on_a_page() {
        // The cable's full row, then the start of the next cable's row.
        let got = seg("SUBJECT: SURVEILLANCE ON\n...\n\n\nSOBEL\n\",\n\
             19309,7/30/2004 17:29,04THEHAGUE1923,\"Embassy The Hague\",CONFIDENTIAL,,\"Text\n\n\
             3. (SBU) Post was updated through 1900 hrs.\nSOBEL\n\",\n\
             19310,7/30/2004 17:38,04THEHAGUE1924,\"Embassy The Hague\",SECRET,,\"Extract\n\
             \",\"S E C R E T SECTION 01 OF 03 THE HAGUE 001924\n");
        let signatures: Vec<&str> = got
            .iter()
            .filter(|(k, _)| *k == BlockKind::Signature)
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(signatures, ["SOBEL"], "{got:?}");
        // The signature only in the cut copy, before the cable's own row.
        let got = seg(
            "SUBJECT: SIX SUSPECTS ARRESTED FOR JIHAD RECRUITM...\n\n\nARNALL\n\",\n\
             84924,11/8/2006 16:22,06THEHAGUE2415,\"Embassy The Hague\",UNCLASSIFIED,,\"UNCLAS\n\n\
             3. The NR said that it is continuing its investigation.\n",
        );
        assert!(
            got.contains(&(BlockKind::Signature, "ARNALL".into())),
            "{got:?}"
        );
        // The tab-separated export's rows too (07BERN881's page).
        let got = seg("1. (S) With other Swiss officials.\nCARTER\n\n\
             121752\t2007-09-11 12:50:00\t07TBILISI2290\tEmbassy Tbilisi\tUNCLASSIFIED\t\tVZCZC\n\
             1. Text of the next one.\nTEFFT\n");
        assert!(
            got.contains(&(BlockKind::Signature, "CARTER".into())),
            "{got:?}"
        );
        assert!(!csv_row_start("1\t2\t3\t4"));
        // A line of numbers and commas is not a row.
        assert!(!csv_row_start("1,2,3"));
        assert!(csv_row_start(
            "84924,11/8/2006 16:22,06THEHAGUE2415,\"Embassy\""
        ));
    }

    #[test]
    fn a_name_run_on_after_a_page_break_or_above_a_mirror_s_nnnn_line() {
        let got = seg(
            "1. (C) They share sensitive narcotics\n\nACCRA 00002140 003 OF 003\n\n\
             intelligence with. BRIDGEWATER\n",
        );
        assert!(
            got.contains(&(BlockKind::Signature, "BRIDGEWATER".into())),
            "{got:?}"
        );
        let got = seg("1. (S) Text.\nSEMBLER\nNNNN  2005ROME01593 - Classification: SECRET\n");
        assert!(
            got.contains(&(BlockKind::Signature, "SEMBLER".into())),
            "{got:?}"
        );
        // Two words after a paragraph (no page break) are not enough.
        let got = seg("1. (C) Text.\n\nwith them. BRIDGEWATER\n");
        assert!(
            got.iter().all(|(k, _)| *k != BlockKind::Signature),
            "{got:?}"
        );
    }

    #[test]
    fn a_name_run_onto_the_post_s_web_address_is_the_signature() {
        let got = seg("1. (C) Text.\n\nVisit London's Classified Website: \
             http://www.state.sgov.gov/p/eur/london/index. cfm Tuttle\n");
        assert!(
            got.contains(&(BlockKind::Signature, "Tuttle".into())),
            "{got:?}"
        );
    }

    #[test]
    fn a_name_run_on_before_a_mirror_s_date_is_the_signature_and_the_date_stays() {
        let got = seg(
            "5. (C) All in all, his presence bodes well for U.S. interests. DANILOVICH 2005-05-06\n",
        );
        let k = got
            .iter()
            .position(|b| *b == (BlockKind::Signature, "DANILOVICH".into()))
            .unwrap_or_else(|| panic!("{got:?}"));
        assert_eq!(
            &*got[k - 1].1,
            "All in all, his presence bodes well for U.S. interests."
        );
        assert_eq!(got[k + 1], (BlockKind::Text, "2005-05-06".into()));
        // Or before the start of another export's record on the same line (08TRIPOLI220).
        let got = seg(
            "5. (C) Comment: on the terms of his treatment. End comment. STEVENS 0 03/13/2008 9871 PGOV,PREL,LY DETAINED ACTIVIST\n",
        );
        assert!(
            got.contains(&(BlockKind::Signature, "STEVENS".into())),
            "{got:?}"
        );
        // A date alone after a sentence gives no name; nor does a date that is not ISO.
        for text in [
            "5. (C) All in all, his presence bodes well for interests. 2005-05-06\n",
            "5. (C) All in all, his presence bodes well for interests. DANILOVICH 2005-5-6\n",
            "5. (C) All in all, his presence bodes well for interests. DANILOVICH 20050506\n",
        ] {
            let got = seg(text);
            assert!(
                got.iter().all(|(k, _)| *k != BlockKind::Signature),
                "{got:?}"
            );
        }
    }

    #[test]
    fn a_name_after_a_redaction_that_ends_the_text_is_the_signature() {
        let got = seg("8. (C) Text.\n\n9. (C/NF) XXXXXXXXXXXX MOLLER\n");
        assert!(
            got.contains(&(BlockKind::Signature, "MOLLER".into())),
            "{got:?}"
        );
        // A capitalised name on the line under a paragraph redacted to its end (08LISBON1808).
        let got = seg("2. (SBU) Text.\n\n3. (SBU) XXXXXXXXXXXX\nStephenson\n");
        assert!(
            got.contains(&(BlockKind::Signature, "Stephenson".into())),
            "{got:?}"
        );
        // But not under an unfinished line that merely has a redaction inside it.
        let got = seg("2. (SBU) Text.\n\n3. (SBU) He met XXXXXXXXXXXX and\nStephenson\n");
        assert!(
            got.iter().all(|(k, _)| *k != BlockKind::Signature),
            "{got:?}"
        );
        // Not a name under a short redacted line (fewer than three words before it).
        let got = seg("8. (C) Text.\n\nXXXXXXXXXXXX MOLLER\n");
        assert!(
            got.iter().all(|(k, _)| *k != BlockKind::Signature),
            "{got:?}"
        );
    }

    #[test]
    fn a_capitalised_last_line_under_a_field_is_not_a_signature() {
        let got = seg("UNCLAS\n\nSUBJECT: A LONG SUBJECT ON\nMISSILE DEFENSE");
        assert_eq!(
            got[1],
            (
                BlockKind::Field,
                "A LONG SUBJECT ON\nMISSILE DEFENSE".into()
            )
        );
        assert_eq!(got.len(), 2);
    }
}

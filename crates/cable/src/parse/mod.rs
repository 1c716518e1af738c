//! The cable parser: a pure function from a file's bytes to a [`Cable`] or the problems that kept
//! it from being one. It knows nothing of HTML, templates or other cables.
//!
//! The work is split by concern, each module small enough to test on its own:
//!
//! - `decode`: bytes → text (UTF-8 or Windows-1252, BOM, line endings, binary detection);
//! - `header`: the web export's header table (layout 1), which also says where the telegram
//!   starts;
//! - `body`: the telegram cut into blocks, using the line classifiers of `lines` and
//!   `classline`;
//! - `routing`, `date`, `origin`, `refs`, `tags`: facts read from those blocks;
//! - `mentions`: `REF A` / `reftel` places in the text, linked to the references.
//!
//! This module runs them in order and decides, for each fact, which source wins: the header table
//! over the telegram, the first copy of a doubled telegram header over the second.

mod body;
mod classline;
mod date;
mod decode;
mod dump;
mod header;
mod lines;
mod mentions;
mod origin;
mod refs;
mod routing;
mod tags;
mod text;

use crate::gazetteer::Gazetteer;
use crate::model::{
    Block, BlockKind, Cable, CableId, Caveat, Classification, DateTime, Layout, Level, Parsed,
    Precision, Problem, Reference,
};
use lines::FieldKind;
use std::borrow::Cow;
use std::path::Path;

/// The message for files that have none of the marks of a cable.
const NOT_A_CABLE: &str =
    "no identifier, date or classification found: this does not look like a cable";

/// Parses one file. `path` is used only as a fallback for the identifier and in problems.
///
/// Never panics and never does I/O; the same bytes always give the same result, so the corpus
/// can parse files in parallel and cache nothing.
pub fn parse(bytes: &[u8], path: &Path) -> Parsed {
    parse_with(bytes, path, Gazetteer::builtin())
}

/// [`parse`] with a site's own gazetteer (the built-in one extended by its `stations.toml`).
pub fn parse_with(bytes: &[u8], path: &Path, gazetteer: &Gazetteer) -> Parsed {
    let text = match decode::decode(bytes) {
        Ok(text) => text,
        Err(e) => return Parsed::NotACable(vec![Problem::error(path, None, e.message())]),
    };
    let raw = text::split_lines(&text);
    let (table, layout) = match header::parse(&raw) {
        Some(t) => (Some(t), Layout::HeaderTable),
        None => match dump::parse(&raw) {
            Some(t) => (Some(t), Layout::TextDump),
            None => (None, Layout::RawTelegram),
        },
    };
    let start = table.as_ref().map_or(0, |t| t.telegram_start);
    let unescape = layout == Layout::RawTelegram;
    // A copy of the dump's raw fields, every line ended by the backslash that escaped its line
    // break (07BERN881 on a mirror page: `SUBJECT: FM CALMY-REY … CONCERNS \` / `REGARDING …
    // \`): the backslashes are no text. Only when most lines have one, which no telegram does.
    // Asked of every cable: each line's last byte that is not a space, no trimming.
    let backslashed = {
        let last_bytes = raw
            .iter()
            .skip(start)
            .filter_map(|line| line.bytes().rev().find(|b| !b.is_ascii_whitespace()));
        let (lines, ended) = last_bytes.fold((0usize, 0usize), |(n, e), b| {
            (n + 1, e + usize::from(b == b'\\'))
        });
        lines >= 10 && ended * 2 > lines
    };
    let cleaned: Vec<Cow<'_, str>> = raw
        .iter()
        .enumerate()
        .map(|(k, line)| {
            if k < start {
                Cow::Borrowed(*line)
            } else if backslashed {
                let line = line.trim_end();
                text::clean_line(line.strip_suffix('\\').unwrap_or(line), unescape)
            } else {
                text::clean_line(line, unescape)
            }
        })
        .collect();
    let mut seg = body::segment(&cleaned, start);
    let facts = Facts::collect(&mut seg, &cleaned);
    let table = table.unwrap_or_default();
    let mut warnings = Vec::new();
    let warn = |warnings: &mut Vec<Problem>, line: Option<u32>, msg: String| {
        warnings.push(Problem::warning(path, line, msg));
    };

    // Date: header table, else the date-time group of the routing header, else a date-time
    // group standing alone on a line before the text (partial extracts keep only that).
    let mut created = None;
    let mut precision = Precision::Minute;
    if let Some(v) = &table.created {
        created = date::parse_created(&v.text);
        if created.is_some() && !v.text.trim().contains([' ', 'T']) {
            precision = Precision::Day;
        }
        if created.is_none() {
            warn(
                &mut warnings,
                Some(v.line),
                format!("`Created` value `{}` is not a valid date", v.text),
            );
        }
    }
    // A community dump's date is a day; the telegram's own date-time group, when it falls on
    // that day (give or take one, for the dump's local time zone), gives the minute.
    if layout == Layout::TextDump {
        if let (Some(day), Some((dtg, _))) = (created, facts.dtg) {
            if let Some(moment) = dtg.date.filter(|m| days_apart(m, &day) <= 1) {
                created = Some(moment);
                precision = Precision::Minute;
            }
        }
    }
    // A table whose day two marks of the telegram itself contradict: its date-time group and
    // its `DE` line's day of the year agree on another day (08CONAKRY184: the page says
    // 2008-03-06, the telegram `R 121241Z MAY 08` and `DE RUEHRY #0184/01 1331241`).
    if let (Some(from_table), Some((dtg, line)), Some(de_day)) = (created, facts.dtg, facts.de_day)
    {
        if let Some(moment) = dtg.date {
            if days_apart(&moment, &from_table) > 1 && moment.day_of_year().abs_diff(de_day) <= 1 {
                warn(
                    &mut warnings,
                    Some(line),
                    format!(
                        "the page says {} but the telegram is dated {} (its date-time group \
                         and its DE line): shown as the telegram says",
                        from_table.display(),
                        moment.display()
                    ),
                );
                created = Some(moment);
                precision = Precision::Minute;
            }
        }
    }
    if created.is_none() {
        if let Some((dtg, line)) = facts.dtg {
            created = dtg.date;
            if created.is_none() {
                warn(
                    &mut warnings,
                    Some(line),
                    "the date-time group names no real date".to_string(),
                );
            }
        }
    }

    // Classification: header table, else the classification line and the markers below it,
    // else the `ZNY CCCCC` routing line.
    let mut classification = None;
    if let Some(v) = &table.classification {
        classification = Classification::from_label(&v.text);
        if classification.is_none() {
            warn(
                &mut warnings,
                Some(v.line),
                format!("unknown classification `{}`", v.text),
            );
        }
    }
    // A table whose level two marks of the telegram itself contradict: its classification
    // line and its `ZNY` routing line agree on another level (09RPODUBAI349: the table says
    // SECRET//NOFORN, the telegram `C O N F I D E N T I A L …` and `ZNY CCCCC`, every
    // paragraph (C)). The telegram is what was sent; one mark alone does not outvote the table.
    if let (Some(from_table), Some((line, line_no)), Some(zny)) =
        (classification, &facts.class_line, facts.zny_level)
    {
        if line.level == zny && from_table.level != zny {
            warn(
                &mut warnings,
                Some(*line_no),
                format!(
                    "the page says {} but the telegram is marked {} (its classification line \
                     and its ZNY line): shown as the telegram says",
                    from_table.label(),
                    zny.label()
                ),
            );
            classification = facts.classification();
        }
    }
    if classification.is_none() {
        classification = facts.classification();
    }
    // A table that says only UNCLASSIFIED of a telegram marked SENSITIVE BUT UNCLASSIFIED or
    // FOR OFFICIAL USE ONLY before its text: the telegram's own marking is the more precise.
    // So is a table's bare SECRET of a telegram marked NOFORN below its classification line
    // (06CARACAS219: `SECRET NOFORN`): the same level, with its caveat.
    if let Some(from_table) = classification.filter(|c| c.caveat.is_none()) {
        let own = facts.classification();
        if own.is_some_and(|c| c.level == from_table.level && c.caveat.is_some()) {
            classification = own;
        }
    }

    // Identifier: header table, else station and serial of the classification line with the
    // year of the date-time group.
    let mut id = table
        .id
        .as_ref()
        .filter(|v| !v.text.is_empty())
        .map(|v| CableId(v.text.replace(' ', "")));
    if id.is_none() {
        if let Some((station, serial)) = facts.station_serial() {
            let year2 = facts
                .dtg
                .map(|(d, _)| d.year2)
                .or(created.map(|c| c.year % 100));
            if let Some(y) = year2 {
                id = Some(CableId::from_parts(&format!("{y:02}"), station, serial));
            }
        }
    }

    if id.is_none() && created.is_none() && classification.is_none() {
        return Parsed::NotACable(vec![Problem::error(path, None, NOT_A_CABLE)]);
    }

    let id = id.unwrap_or_else(|| {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let message = if looks_like_id(&stem) {
            format!("no identifier in the cable; taken from the file name: `{stem}`")
        } else {
            format!(
                "no identifier in the cable and the file name does not look like one; using `{stem}`"
            )
        };
        warn(&mut warnings, None, message);
        CableId(stem)
    });
    // No date in the text: the identifier's year is still known (`05LIMA583`: 2005). Such a
    // cable is dated 1 January of that year internally, month and day 0, precision `Year`.
    let created = created.unwrap_or_else(|| {
        let year =
            id.0.get(..2)
                .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|y| y.parse::<u16>().ok())
                .map(date::expand_year);
        if let Some(year) = year {
            precision = Precision::Year;
            if facts.dtg.is_none() && table.created.is_none() {
                warn(
                    &mut warnings,
                    None,
                    format!("no date in the text: dated {year} from the identifier"),
                );
            }
            DateTime {
                year,
                ..DateTime::default()
            }
        } else {
            if facts.dtg.is_none() && table.created.is_none() {
                warn(&mut warnings, None, "no date found".to_string());
            }
            DateTime::default()
        }
    });
    let classification = classification.unwrap_or_else(|| {
        warn(
            &mut warnings,
            facts.class_line.as_ref().map(|c| c.1),
            "unknown classification; shown as UNCLASSIFIED".to_string(),
        );
        Classification::new(Level::Unclassified, None)
    });

    // Origin: header table, else the `FM` line (the gazetteer's name for the post, else a
    // name made from the line), else the station of the classification line or identifier.
    let station_name = || {
        let station = facts
            .station_serial()
            .map(|(station, _)| station.to_string())
            .or_else(|| id.station().map(str::to_string))?;
        let token = gazetteer.token(&station)?;
        gazetteer.station(token).map(|s| s.name.clone())
    };
    let origin = match (&table.origin, &facts.sender) {
        (Some(v), _) if !v.text.is_empty() => v.text.clone(),
        (_, Some(sender)) => gazetteer
            .sender_name(sender)
            .map(str::to_string)
            .unwrap_or_else(|| origin::display_name(sender)),
        _ => station_name().unwrap_or_else(|| {
            warn(
                &mut warnings,
                None,
                "no origin found (no `FM` line, and the station is not in the gazetteer)"
                    .to_string(),
            );
            String::new()
        }),
    };

    let citing_year = if created.year > 0 {
        Some(created.year % 100)
    } else {
        id.0.get(..2).and_then(|y| y.parse().ok())
    };
    // A label run on in another field's line after a lost line break: `SUBJECT: … REF: STATE
    // 123`, `E.O. 12958: DECL: 1/3/2019 TAGS: PTER …`. The field before it ends there.
    let subject_field = facts.first_field[FieldKind::Subject as usize].map(|k| {
        let own = &seg.blocks[k].text;
        // A subject that wraps across a page break (`ROME 00000123 001.2 OF 003` right after
        // its first line) goes on in the text block straight after the break (up to the blank
        // line that ends it).
        if let [brk, next, ..] = &seg.blocks[k + 1..] {
            let straight_on = brk.kind == BlockKind::PageBreak
                && next.kind == BlockKind::Text
                && next.line == brk.line + 1
                && seg.fields.get(k + 2) == Some(&None);
            if straight_on {
                // Up to the first blank line of the file (the text block itself may run on
                // across one, taking it for a page break).
                let rest: Vec<&str> = cleaned
                    .iter()
                    .skip((next.line as usize).saturating_sub(1))
                    .map(|l| l.as_ref())
                    .take_while(|l| !l.trim().is_empty())
                    .collect();
                return text::join_wrapped(&format!("{own}\n{}", rest.join("\n")));
            }
        }
        // A last word set apart by a blank line (`… AFTER CURRENCY` / blank / `REFORM`), then
        // the next field: one short line in capitals between the subject and a field is the
        // subject's end, not text of its own.
        if let [lone, after, ..] = &seg.blocks[k + 1..] {
            let t = lone.text.trim();
            let stray_end = matches!(lone.kind, BlockKind::Text | BlockKind::Marker)
                && !t.contains('\n')
                && t.split_whitespace().count() <= 3
                && t.bytes()
                    .all(|b| b.is_ascii_uppercase() || b == b' ' || b == b'-')
                && !lines::is_marker_keyword(t)
                && after.kind == BlockKind::Field
                && !own.trim_end().ends_with(['.', '?', '!', ')']);
            if stray_end || mixed_case_subject_end(own, lone, after) {
                return text::join_wrapped(&format!("{own}\n{t}"));
            }
        }
        // A printed copy's page foot and next page header inside the subject, its last words
        // after the header (00HARARE6677: `SUBJECT: ASSISTANT SECRETARY MEETS WITH ZIMBABWE` /
        // ` CONFIDENTIAL` / `PAGE 02 HARARE 06677 01 OF 03 291400Z OPPOSITION LEADER`).
        if let [foot, header, ..] = &seg.blocks[k + 1..] {
            let bare_level = foot.kind == BlockKind::ClassificationLine
                && classline::after_label(&foot.text).is_some_and(|rest| rest.is_empty());
            if let Some(rest) = bare_level
                .then(|| printed_page_header_rest(&header.text))
                .flatten()
            {
                return text::join_wrapped(&format!("{own}\n{rest}"));
            }
        }
        text::join_wrapped(own)
    });
    // The handling notice run onto the subject line by a lost line break (03BRASILIA1066:
    // `SUBJECT: … FOR THE NEGOTIATIONS SENSITIVE BUT UNCLASSIFIED, PLEASE TREAT ACCORDINGLY`)
    // is not the subject's.
    let subject_field = subject_field.map(|s| match handling_notice_at(&s) {
        Some(at) => s[..at].trim_end().to_string(),
        None => s,
    });
    // The label written twice (10BRUSSELS183: `SUBJECT: SUBJECT: DEPUTY NSA MICHAEL FROMAN …`).
    let subject_field = subject_field.map(|s| {
        let doubled = s.len() >= 8 && s.as_bytes()[..8].eq_ignore_ascii_case(b"SUBJECT:");
        if doubled {
            s[8..].trim_start().to_string()
        } else {
            s
        }
    });
    let (subject_text, run_on_ref) = match subject_field {
        Some(s) => match run_on(&s, &["REF:", "REFS:", "REFTEL:", "Ref:", "Refs:"]) {
            Some((before, after)) => (Some(before.to_string()), Some(after.to_string())),
            None => (Some(s), None),
        },
        None => (None, None),
    };
    // The REF field's items are positioned mentions of its own block, so a page links each
    // item where it is written (a wrapped item too) without searching for it.
    let references_block = facts.first_field[FieldKind::Ref as usize];
    let (references, ref_mentions) = match (facts.field(&seg, FieldKind::Ref), run_on_ref) {
        (Some(block), _) => refs::parse_positioned(&block.text, citing_year, gazetteer),
        (None, Some(text)) => (refs::parse(&text, citing_year, gazetteer), Vec::new()),
        (None, None) => Default::default(),
    };
    let mut references = references;
    // A printed copy's page foot and next page header inside the REF block, its later items
    // after the header (02ROME1196: `REF: A. STATE 40721` / ` CONFIDENTIAL` / `PAGE 02 ROME
    // 01196 01 OF 02 082030Z  B. ROME 1098  C. ROME 894 …`), as the subject's rule above.
    if let Some(k) = references_block {
        if let [foot, header, ..] = seg.blocks.get(k + 1..).unwrap_or(&[]) {
            let next_label = references
                .last()
                .and_then(|r| r.label.as_deref())
                .and_then(|l| l.bytes().next())
                .map(|l| l + 1);
            let bare_level = foot.kind == BlockKind::ClassificationLine
                && classline::after_label(&foot.text).is_some_and(|rest| rest.is_empty());
            let rest = bare_level
                .then(|| printed_page_header_rest(&header.text))
                .flatten()
                .filter(|rest| {
                    let b = rest.as_bytes();
                    next_label.is_some_and(|l| b.first() == Some(&l))
                        && matches!(b.get(1), Some(b'.' | b')'))
                });
            if let Some(rest) = rest {
                let first = next_label.unwrap_or(b'B');
                references.extend(refs::parse_continued(rest, first, citing_year, gazetteer));
            }
        }
        // A last item's serial that a mirror pushed past a blank line, onto the handling
        // notice's line (06SAOPAULO1197: `B) BRASILIA` / blank / `2314 SENSITIVE BUT
        // UNCLASSIFIED; PLEASE PROTECT ACCORDINGLY`).
        if let (Some(last), Some(next)) = (references.last_mut(), seg.blocks.get(k + 1)) {
            let first_line = next.text.lines().next().unwrap_or("");
            let (serial, rest) = first_line.split_once(' ').unwrap_or((first_line, ""));
            let pushed = last.id.is_none()
                && !last.text.bytes().any(|b| b.is_ascii_digit())
                && text::is_digits(serial)
                && serial.len() <= 6
                && is_handling_notice(rest);
            if pushed {
                let joined = format!("{} {serial}", last.text);
                if let [one] = refs::parse(&joined, citing_year, gazetteer).as_slice() {
                    if one.id.is_some() {
                        last.text = joined;
                        last.id = one.id.clone();
                    }
                }
            }
        }
    }
    own_post_spelling(&mut references, &id, gazetteer);

    // The `E.O.` line with the fields a copy ran into it (`E.O. 12958: DECL: 1/3/2019 TAGS:
    // PTER …`; 04ANKARA348, in the telegram's sentence case: `E.o. 12958: decl: 01/07/2014
    // Tags: prel, pgov, pins, tu Subject: turkish p.m. Erdogan goes to washington: …`).
    // Joined only when a field is missing (most cables have both).
    let eo_joined = || {
        facts
            .field(&seg, FieldKind::ExecutiveOrder)
            .map(|eo| text::join_wrapped(&eo.text))
    };
    let run_on_subject = || {
        let joined = eo_joined()?;
        run_on(&joined, &["SUBJECT:", "Subject:"]).map(|(_, after)| after.to_string())
    };
    // A subject written without its label, alone between the TAGS line and the next field or
    // the first paragraph (06SAOPAULO910: `TAGS: KIPR ETRD …` / blank / `BRAZIL'S NATIONAL PLAN
    // TO COMBAT PIRACY: AN UPDATE ON IMPLEMENTATION EFFORTS` / blank / `REF: A) Brasilia 599`).
    let unlabelled_subject = || {
        let k = facts.first_field[FieldKind::Tags as usize]?;
        let [lone, after, ..] = seg.blocks.get(k + 1..)? else {
            return None;
        };
        let t = lone.text.trim();
        let capitals =
            t.bytes().any(|b| b.is_ascii_uppercase()) && !t.bytes().any(|b| b.is_ascii_lowercase());
        (matches!(lone.kind, BlockKind::Text | BlockKind::Marker)
            && !t.contains('\n')
            && capitals
            && t.split_whitespace().count() >= 3
            && !lines::is_marker_keyword(t)
            && !lines::is_address_line(t)
            && (after.kind == BlockKind::Field || after.kind == BlockKind::Paragraph))
            .then(|| t.to_string())
    };
    let subject = subject_text
        .filter(|s| !s.is_empty())
        .or_else(run_on_subject)
        .or_else(unlabelled_subject)
        .or_else(|| table.title.clone())
        .unwrap_or_default();
    let run_on_tags = || {
        let joined = eo_joined()?;
        run_on(&joined, &["TAGS:", "TAGS ", "Tags:"]).map(|(_, after)| {
            let before_subject = run_on(after, &["SUBJECT:", "Subject:"]).map_or(after, |(t, _)| t);
            tags::parse(before_subject)
        })
    };
    // A whole header run into the classification line by lost line breaks (10ATHENS57:
    // `C O N F I D E N T I A L SECTION 01 OF 02 ATHENS 000057 NOFORN SIPDIS … E.O. 12958:
    // DECL: 2035/01/29 TAGS: PREL PGOV … GR`, too long to be read as a classification line,
    // so the routing header goes on over it): the tags end that line, after its `E.O.` label.
    let classline_tags = || {
        seg.blocks
            .iter()
            .take_while(|b| !matches!(b.kind, BlockKind::Field | BlockKind::Paragraph))
            .flat_map(|b| b.text.lines())
            .find_map(|line| {
                // Glued on too, where the copy lost the spaces with the line breaks
                // (06TUNIS55: `… E.O. 12958: DECL: 01/04/2016TAGS: PGOV PREL TS`).
                let at = line.find("TAGS:")?;
                let (before, after) = (&line[..at], &line[at + "TAGS:".len()..]);
                let after = after.split("SUBJECT:").next().unwrap_or(after);
                let squeezed: String = before.chars().take(60).filter(|c| *c != ' ').collect();
                let level_first = squeezed
                    .char_indices()
                    .any(|(at, _)| classline::label_len(&squeezed[at..]).is_some());
                (level_first && before.contains("E.O.")).then(|| tags::parse(after))
            })
    };
    let tags = facts
        .field(&seg, FieldKind::Tags)
        .map(|b| tags::parse(&b.text))
        .or_else(run_on_tags)
        .or_else(classline_tags)
        .filter(|t| !t.is_empty())
        .or_else(|| table.tags.as_deref().map(tags::parse))
        .unwrap_or_default();
    let classified_by = facts
        .field(&seg, FieldKind::ClassifiedBy)
        .map(|b| text::join_wrapped(&b.text));
    let declassification = facts
        .field(&seg, FieldKind::ExecutiveOrder)
        .map(|b| text::join_wrapped(&b.text));
    let signer = seg
        .blocks
        .iter()
        .rev()
        .find(|b| b.kind == BlockKind::Signature)
        .map(|b| lines::signature_name(&b.text).to_string());

    let mut body = seg.blocks;
    add_mentions(&mut body, &seg.fields, &references);
    if let Some(k) = references_block.filter(|&k| k < body.len()) {
        let mentions: Box<[crate::model::Mention]> = ref_mentions.into_boxed_slice();
        // The web export repeats the telegram header: a second copy of the same REF field
        // links the same items.
        for j in (k + 1)..body.len() {
            if seg.fields.get(j) == Some(&Some(FieldKind::Ref)) && body[j].text == body[k].text {
                body[j].mentions = mentions.clone();
            }
        }
        body[k].mentions = mentions;
    }
    // A build holds every cable in memory at once (a quarter of a million of them): no spare
    // capacity (block texts are boxed strings, which have none).
    body.shrink_to_fit();

    let cable = Cable {
        id,
        created,
        precision,
        classification,
        origin,
        subject,
        tags,
        references,
        references_block,
        sender: facts.sender,
        recipients: facts.recipients,
        classified_by,
        declassification,
        signer,
        layout,
        body,
        source: path.to_path_buf(),
        record: None,
        body_set_aside: None,
    };
    Parsed::Cable {
        cable: Box::new(cable),
        warnings,
    }
}

/// Whole days between two dates (of the same or neighbouring months; enough to compare a day with
/// a date-time group meant for it).
fn days_apart(a: &DateTime, b: &DateTime) -> u32 {
    let ordinal = |d: &DateTime| u32::from(d.year) * 366 + u32::from(d.day_of_year());
    ordinal(a).abs_diff(ordinal(b))
}

/// A reference to the citing cable's own post in the cable's own year takes the station as
/// the cable's identifier writes it. A post known under two tokens (`IRANRPODUBAI` and
/// `RPODUBAI`, `KIEV` and `KYIV`) used one of them in a given year, and the citing cable's
/// identifier shows which: 09RPODUBAI349's `REF: IRAN RPO DUBAI 50` is 09RPODUBAI50, not
/// 09IRANRPODUBAI50. A reference to another year keeps the gazetteer's token.
fn own_post_spelling(references: &mut [Reference], id: &CableId, gazetteer: &Gazetteer) {
    if references.is_empty() {
        return;
    }
    let Some(own) = id.station() else { return };
    let Some(own_post) = gazetteer.station(own) else {
        return;
    };
    for r in references.iter_mut() {
        let Some(cited) = &r.id else { continue };
        let Some(station) = cited.station() else {
            continue;
        };
        let same_post = station != own
            && cited.as_str()[..2] == id.as_str()[..2]
            && gazetteer
                .station(station)
                .is_some_and(|s| s.name == own_post.name);
        if same_post {
            let serial = &cited.as_str()[2 + station.len()..];
            r.id = Some(CableId(format!("{}{own}{serial}", &id.as_str()[..2])));
        }
    }
}

/// What follows a printed copy's page header on its line (`PAGE 02 HARARE 06677 01 OF 03
/// 291400Z OPPOSITION LEADER` → `OPPOSITION LEADER`): `PAGE`, the page number, the station
/// and serial, the section (`01 OF 03`) and the time (`291400Z`), then text.
fn printed_page_header_rest(line: &str) -> Option<&str> {
    let line = line.lines().next()?.trim();
    let mut words = line
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - line.as_ptr() as usize, w));
    let digits = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit());
    (words.next()?.1 == "PAGE" && digits(words.next()?.1)).then_some(())?;
    // The station's words up to the serial.
    words.find(|(_, w)| digits(w))?;
    let (section, of, sections) = (words.next()?.1, words.next()?.1, words.next()?.1);
    (digits(section) && of == "OF" && digits(sections)).then_some(())?;
    let time = words.next()?.1;
    let stamp = time.strip_suffix('Z')?;
    (stamp.len() == 6 && digits(stamp)).then_some(())?;
    let (at, _) = words.next()?;
    Some(&line[at..])
}

/// Where a handling notice at the end of `s` starts (` SENSITIVE BUT UNCLASSIFIED, PLEASE
/// TREAT ACCORDINGLY`, `… PLEASE PROTECT ACCORDINGLY.`), when something comes before it.
fn handling_notice_at(s: &str) -> Option<usize> {
    const NOTICE: &[u8] = b" SENSITIVE BUT UNCLASSIFIED";
    // Every subject is asked: no copy of it, a search from the end in place.
    let at = s
        .as_bytes()
        .windows(NOTICE.len())
        .rposition(|w| w.eq_ignore_ascii_case(NOTICE))?;
    (at > 0 && is_handling_notice(&s[at + 1..])).then_some(at)
}

/// Whether `line` is the handling notice and nothing else: `SENSITIVE BUT UNCLASSIFIED`, with
/// `PLEASE TREAT (PROTECT, HANDLE) ACCORDINGLY` after it or not.
fn is_handling_notice(line: &str) -> bool {
    const NOTICE: &str = "SENSITIVE BUT UNCLASSIFIED";
    let line = line.trim();
    if line.len() < NOTICE.len() || !line[..NOTICE.len()].eq_ignore_ascii_case(NOTICE) {
        return false;
    }
    let rest = line[NOTICE.len()..]
        .trim_start_matches([',', ';', '.', ' '])
        .trim_end_matches(['.', ' '])
        .to_ascii_uppercase();
    rest.is_empty()
        || ["TREAT", "PROTECT", "HANDLE"]
            .iter()
            .any(|verb| rest == format!("PLEASE {verb} ACCORDINGLY"))
}

/// Whether the tags of `later` are those of `first` and more (an inbox print's cut list, then
/// the telegram's whole `TAGS` line).
fn tags_extend(later: &str, first: &str) -> bool {
    // The web export prints the header twice: the same line again extends nothing.
    if later.len() <= first.len() {
        return false;
    }
    let (later, first) = (tags::parse(later), tags::parse(first));
    !first.is_empty() && later.len() > first.len() && later.starts_with(&first)
}

/// A REF field that says there is none (`Ref:      None`, `REF: N/A`), with any rule a print
/// drew under it.
fn names_nothing(text: &str) -> bool {
    let mut words = text.split_whitespace();
    words
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("NONE") || w.eq_ignore_ascii_case("N/A"))
        && words.all(|w| w.bytes().all(|b| b == b'_'))
}

/// A mixed-case subject's last line set apart by a blank line (09STATE30049: `SUBJECT: (U)
/// Secretary Clinton’s March 24, 2009` / blank / `Conversation with Australian Prime Minister
/// Kevin Rudd` / blank / `1. Classified by …`): one line of text in the subject's own case,
/// unfinished like a title (no full stop, colon or question mark at its end), right before a
/// field or the first numbered paragraph. A heading (`Summary and Comment`) or a handling line
/// is never taken, nor a line under a subject that ends a sentence.
fn mixed_case_subject_end(own: &str, lone: &Block, after: &Block) -> bool {
    let t = lone.text.trim();
    let words = t.split_whitespace().count();
    let has_lower = |s: &str| s.bytes().any(|b| b.is_ascii_lowercase());
    let first_word = t.split_whitespace().next().unwrap_or("");
    lone.kind == BlockKind::Text
        && !t.contains('\n')
        && (2..=12).contains(&words)
        && has_lower(own)
        && has_lower(t)
        && t.chars().next().is_some_and(char::is_alphabetic)
        && !t.ends_with(['.', ':', '?', '!', ';', ','])
        && !own.trim_end().ends_with(['.', '?', '!', ':'])
        && !matches!(
            first_word
                .trim_end_matches(':')
                .to_ascii_lowercase()
                .as_str(),
            "summary"
                | "comment"
                | "background"
                | "introduction"
                | "begin"
                | "end"
                | "action"
                | "participants"
                | "classified"
                | "ref"
                | "refs"
                | "reference"
                | "references"
                | "reftel"
                | "please"
                | "this"
                | "see"
        )
        && (after.kind == BlockKind::Field
            || (after.kind == BlockKind::Paragraph && after.number == Some(1)))
}

/// Splits a field's text at the first label of `labels` that follows a space: the text before it
/// (trimmed) and after it.
fn run_on<'t>(text: &'t str, labels: &[&str]) -> Option<(&'t str, &'t str)> {
    // Every label starts with `REF`, `Ref`, `TAGS`, `Tags` or `SUBJECT`, `Subject`: most fields
    // have none of them.
    let b = text.as_bytes();
    if memchr::memmem::find(b, b" R").is_none()
        && memchr::memmem::find(b, b" T").is_none()
        && memchr::memmem::find(b, b" S").is_none()
    {
        return None;
    }
    labels
        .iter()
        .filter_map(|label| {
            let at = text
                .match_indices(label)
                .map(|(at, _)| at)
                .find(|&at| at > 0 && text.as_bytes()[at - 1] == b' ')?;
            Some((at - 1, at + label.len()))
        })
        .min()
        .map(|(at, rest)| (text[..at].trim(), text[rest..].trim()))
}

/// A date-time group standing alone on a line before the first numbered paragraph
/// (`151030Z Feb 05`, `R 221325Z MAR 07`): a partial extract without a routing header often
/// keeps only that. A line of more than five words is text, not a date-time group.
fn bare_dtg(seg: &body::Segmented, lines: &[Cow<'_, str>]) -> Option<(date::Dtg, u32)> {
    let end = seg
        .blocks
        .iter()
        .find(|b| b.kind == BlockKind::Paragraph)
        .map_or(lines.len(), |b| (b.line as usize).saturating_sub(1));
    lines
        .iter()
        .take(end.min(lines.len()))
        .enumerate()
        .find_map(|(k, line)| {
            let t = line.trim();
            if t.split_whitespace().count() > 5 {
                return None;
            }
            date::parse_dtg(t).map(|d| (d, k as u32 + 1))
        })
}

/// True for names shaped like an identifier: two digits, capitals, digits (`07PARIS1115`).
pub(super) fn looks_like_id(s: &str) -> bool {
    let b = s.as_bytes();
    let letters = b
        .iter()
        .skip(2)
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    b.len() > 3
        && b[0].is_ascii_digit()
        && b[1].is_ascii_digit()
        && letters > 0
        && b[2 + letters..].iter().all(u8::is_ascii_digit)
        && b.len() > 2 + letters
}

/// Links `REF A` / `reftel` mentions in text, paragraph and field blocks (not in the `REF` field
/// itself, whose letters are labels, not citations).
fn add_mentions(body: &mut [Block], fields: &[Option<FieldKind>], references: &[Reference]) {
    if references.is_empty() {
        return;
    }
    let index = mentions::Index::new(references);
    for (block, field) in body.iter_mut().zip(fields) {
        let eligible = match block.kind {
            BlockKind::Paragraph | BlockKind::Text => true,
            BlockKind::Field => *field != Some(FieldKind::Ref),
            _ => false,
        };
        if eligible {
            block.mentions = mentions::find_indexed(&block.text, &index).into_boxed_slice();
        }
    }
}

/// Facts read from the telegram's blocks, first occurrence winning (the web export may repeat
/// the telegram header; its second copy must not double anything).
struct Facts {
    dtg: Option<(date::Dtg, u32)>,
    sender: Option<String>,
    recipients: Vec<crate::model::Recipient>,
    zny_level: Option<Level>,
    /// The day of the year of the `DE` line ([`routing::Routing::de_day`]).
    de_day: Option<u16>,
    /// The first classification line, its line number.
    class_line: Option<(classline::ClassLine, u32)>,
    /// Caveats from marker lines in the telegram header (`NOFORN`, `SENSITIVE BUT UNCLASSIFIED`).
    marker_caveats: Vec<Caveat>,
    /// Index of the first block of each field kind.
    first_field: [Option<usize>; 5],
}

/// True when `cut` ends with the `...` of a copy cut short and `longer` starts with what is
/// before them and goes on (`SIX SUSPECTS ARRESTED FOR JIHAD RECRUITM...` and `SIX SUSPECTS
/// ARRESTED FOR JIHAD RECRUITMENT`), comparing without case and with white space as one space.
fn completes_cut(longer: &str, cut: &str) -> bool {
    let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut = squeeze(cut);
    let Some(kept) = cut
        .strip_suffix("...")
        .or_else(|| cut.strip_suffix('\u{2026}'))
    else {
        return false;
    };
    let kept = kept.trim_end();
    let longer = squeeze(longer);
    kept.len() >= 8
        && longer.len() > kept.len() + 1
        && longer.is_char_boundary(kept.len())
        && longer[..kept.len()].eq_ignore_ascii_case(kept)
        && !longer.ends_with("...")
}

/// True when `longer` says all of `shorter` and more, comparing words without case
/// (`MONGOLIA'S … FOREIGN` and `mongolia's … foreign` / `minister kim`).
fn extends(longer: &str, shorter: &str) -> bool {
    let mut long = longer.split_whitespace();
    let mut short = shorter.split_whitespace().peekable();
    short.peek().is_some()
        && short.all(|w| long.next().is_some_and(|l| l.eq_ignore_ascii_case(w)))
        && long.next().is_some()
}

impl Facts {
    fn collect(seg: &mut body::Segmented, lines: &[Cow<'_, str>]) -> Facts {
        // The first classification line as the segmenter read it, when it read it so.
        let mut first_class_line = seg.first_class_line.take();
        let routing = seg.routing.as_ref().map(|r| {
            let slice: Vec<&str> = lines[r.clone()].iter().map(|l| l.as_ref()).collect();
            routing::parse(&slice, r.start + 1)
        });
        let routing = routing.unwrap_or_default();
        let mut facts = Facts {
            dtg: routing.dtg,
            sender: routing.sender,
            recipients: routing.recipients,
            zny_level: routing.zny_level,
            de_day: routing.de_day,
            class_line: None,
            marker_caveats: Vec::new(),
            first_field: [None; 5],
        };
        let mut in_header = true;
        for (k, (block, field)) in seg.blocks.iter().zip(&seg.fields).enumerate() {
            match block.kind {
                BlockKind::ClassificationLine if facts.class_line.is_none() => {
                    let read = match first_class_line.take() {
                        Some((at, read)) if at == k => Some(read),
                        _ => classline::parse(&block.text, true),
                    };
                    facts.class_line = read.map(|c| (c, block.line));
                }
                // A caveat line that repeats the level (06CARACAS219: `S E C R E T SECTION 01
                // OF 06 CARACAS 000219` / `SIPDIS` / `SECRET NOFORN`) reads as a classification
                // line of its own: its caveat is the telegram's, as a bare `NOFORN` line's is.
                BlockKind::ClassificationLine if in_header => {
                    let first_level = facts.class_line.as_ref().map(|(c, _)| c.level);
                    if let Some(c) = classline::parse(&block.text, true) {
                        if Some(c.level) == first_level && c.station.is_none() && c.serial.is_none()
                        {
                            facts.marker_caveats.extend(c.caveat);
                        }
                    }
                }
                BlockKind::Marker if in_header => {
                    for line in block.text.lines() {
                        let line = line.trim();
                        let caveat = match line {
                            "SENSITIVE BUT UNCLASSIFIED" | "FOR OFFICIAL USE ONLY" => {
                                Some(Caveat::ForOfficialUseOnly)
                            }
                            _ => line.split_whitespace().find_map(classline::caveat_word),
                        };
                        facts.marker_caveats.extend(caveat);
                    }
                }
                BlockKind::Paragraph => in_header = false,
                // The handling notice some posts put under the header fields (08BEIJING3899:
                // `THIS CABLE IS SENSITIVE BUT UNCLASSIFIED. NOT FOR` / `INTERNET
                // DISTRIBUTION.`; 06SAOPAULO1197, after a REF serial a mirror pushed down:
                // `2314 SENSITIVE BUT UNCLASSIFIED; PLEASE PROTECT ACCORDINGLY`) marks the
                // telegram as a marker line does: a short first line that says so.
                BlockKind::Text
                    if in_header
                        && block.text.lines().next().is_some_and(|l| {
                            l.len() <= 80
                                && l.to_ascii_uppercase()
                                    .contains("SENSITIVE BUT UNCLASSIFIED")
                        }) =>
                {
                    facts.marker_caveats.push(Caveat::ForOfficialUseOnly);
                }
                BlockKind::Field => {
                    if let Some(kind) = field {
                        let slot = &mut facts.first_field[*kind as usize];
                        match *slot {
                            None => *slot = Some(k),
                            // A copy that put an export's header before the telegram cut the
                            // subject there to its first line; the telegram's own `Subject:`
                            // below gives it whole (`… DPRK VICE FOREIGN` / `minister kim`).
                            // So does the full copy of a telegram whose first, cut copy
                            // ends its subject with `...` (04THEHAGUE1923).
                            // A State Department inbox print before the telegram (03ABUDHABI2641:
                            // `TAGS:     PREL, EPET, EAID, PGOV` … `Ref:      None` / `____…`)
                            // lists the first tags only and no references; the telegram's own
                            // fields below give them.
                            Some(j)
                                if in_header
                                    && ((*kind == FieldKind::Tags
                                        && tags_extend(&block.text, &seg.blocks[j].text))
                                        || (*kind == FieldKind::Ref
                                            && names_nothing(&seg.blocks[j].text))) =>
                            {
                                *slot = Some(k)
                            }
                            Some(j)
                                if in_header
                                    && *kind == FieldKind::Subject
                                    && (extends(&block.text, &seg.blocks[j].text)
                                        || completes_cut(&block.text, &seg.blocks[j].text)) =>
                            {
                                *slot = Some(k)
                            }
                            Some(_) => {}
                        }
                    }
                }
                _ => {}
            }
        }
        if facts.dtg.is_none() {
            facts.dtg = bare_dtg(seg, lines);
        }
        facts
    }

    fn field<'s>(&self, seg: &'s body::Segmented, kind: FieldKind) -> Option<&'s Block> {
        self.first_field[kind as usize].and_then(|k| seg.blocks.get(k))
    }

    fn station_serial(&self) -> Option<(&str, &str)> {
        let (c, _) = self.class_line.as_ref()?;
        Some((c.station.as_deref()?, c.serial.as_deref()?))
    }

    fn classification(&self) -> Option<Classification> {
        let Some((line, _)) = &self.class_line else {
            return self.zny_level.map(|l| Classification::new(l, None));
        };
        let level = line.level;
        let noforn =
            line.caveat == Some(Caveat::Noforn) || self.marker_caveats.contains(&Caveat::Noforn);
        let fouo = level == Level::Unclassified
            && (line.caveat == Some(Caveat::ForOfficialUseOnly)
                || self.marker_caveats.contains(&Caveat::ForOfficialUseOnly));
        let caveat = if noforn {
            Some(Caveat::Noforn)
        } else if fouo {
            Some(Caveat::ForOfficialUseOnly)
        } else {
            None
        };
        Some(Classification::new(level, caveat))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cable(text: &str) -> (Cable, Vec<Problem>) {
        match parse(text.as_bytes(), Path::new("x/07TEST1.txt")) {
            Parsed::Cable { cable, warnings } => (*cable, warnings),
            Parsed::NotACable(p) => panic!("not a cable: {p:?}"),
        }
    }

    #[test]
    fn a_subject_cut_with_dots_is_taken_from_the_full_copy_below() {
        let (c, _) = cable(
            "UNCLAS THE HAGUE 002415\n\nTAGS: PTER, NL\n\
             SUBJECT: SIX SUSPECTS ARRESTED FOR JIHAD RECRUITM...\n\n\nARNALL\n\",\n\
             84924,11/8/2006 16:22,06THEHAGUE2415,\"Embassy The Hague\",UNCLASSIFIED,,\"\
             UNCLAS THE HAGUE 002415\n\nTAGS: PTER, NL\n\
             SUBJECT: SIX SUSPECTS ARRESTED FOR JIHAD RECRUITMENT\n\n1. Text.\n",
        );
        assert_eq!(c.subject, "SIX SUSPECTS ARRESTED FOR JIHAD RECRUITMENT");
        assert!(completes_cut(
            "SURVEILLANCE OF U.S. EMBASSY",
            "SURVEILLANCE OF U.S..."
        ));
        assert!(!completes_cut(
            "SURVEILLANCE OF U.S. EMBASSY",
            "SURVEILLANCE OF U.S."
        ));
        assert!(!completes_cut(
            "OTHER THINGS ENTIRELY",
            "SURVEILLANCE OF U.S..."
        ));
    }

    #[test]
    fn a_subject_cut_by_an_export_header_is_taken_whole_from_the_telegram() {
        let (c, _) = cable(
            "SECRET\nTAGS: PREL, MG\nSUBJECT: TALKS WITH DPRK VICE FOREIGN\n\n\
             S e c r e t ulaanbaatar 000234\n\nTags: prel, mg\n\
             Subject: talks with dprk vice foreign\nminister kim\n\n1. (S) Text.\n",
        );
        assert_eq!(c.subject, "talks with dprk vice foreign minister kim");
        // A second subject that says something else does not replace the first.
        let (c, _) = cable(
            "SECRET\nSUBJECT: TALKS WITH DPRK\n\nSUBJECT: OTHER THINGS ENTIRELY\n\n1. (S) Text.\n",
        );
        assert_eq!(c.subject, "TALKS WITH DPRK");
    }

    #[test]
    fn a_mixed_case_subject_goes_on_across_a_blank_line() {
        let head =
            "CONFIDENTIAL\nTAGS: PREL, AS\nSUBJECT: (U) Secretary Clinton's March 24, 2009 \n\n";
        let (c, _) = cable(&format!(
            "{head}Conversation with Australian Prime Minister Kevin Rudd\n\n\
             1. Classified by A/S Arvizu. Reason: 1.4 (d)\n\n2. (U) March 24.\n"
        ));
        assert_eq!(
            c.subject,
            "(U) Secretary Clinton's March 24, 2009 Conversation with Australian Prime Minister Kevin Rudd"
        );
        // A heading, a sentence or a lone line before text that is not the first paragraph
        // is not the subject's end.
        for (lone, next) in [
            ("Summary and Comment", "1. (C) Text."),
            ("The meeting went well.", "1. (C) Text."),
            (
                "Conversation with the Prime Minister",
                "Some more text here.",
            ),
        ] {
            let (c, _) = cable(&format!("{head}{lone}\n\n{next}\n"));
            assert_eq!(
                c.subject, "(U) Secretary Clinton's March 24, 2009",
                "{lone}"
            );
        }
        // An all-capitals subject takes the rule for capitals (at most three words).
        let (c, _) = cable(
            "SECRET\nSUBJECT: TALKS WITH DPRK\n\nSUMMARY AND COMMENT FOLLOW HERE\n\n1. (S) Text.\n",
        );
        assert_eq!(c.subject, "TALKS WITH DPRK");
    }

    #[test]
    fn a_reference_to_the_own_post_takes_the_token_of_the_own_identifier() {
        let text = "C O N F I D E N T I A L SECTION 01 OF 03 RPO DUBAI 000349\n\n\
                    SUBJECT: IRAN: SHOW TRIAL\n\n\
                    REF: A. IRAN RPO DUBAI 50 B. 07 IRAN RPO DUBAI 42 C. 09 DUBAI 7\n\n\
                    1. (C) Text.\n";
        let Parsed::Cable { cable, .. } = parse(text.as_bytes(), Path::new("x/09RPODUBAI349.txt"))
        else {
            panic!("not a cable");
        };
        let ids: Vec<&str> = cable
            .references
            .iter()
            .map(|r| r.id.as_ref().map_or("", |id| id.as_str()))
            .collect();
        // Another year keeps the gazetteer's token; another post (Consulate Dubai) its own.
        assert_eq!(ids, ["09RPODUBAI50", "07IRANRPODUBAI42", "09DUBAI7"]);
    }

    #[test]
    fn tags_and_subject_run_into_a_sentence_case_eo_line() {
        let (c, _) = cable(
            "C o n f i d e n t i a l section 01 of 04 ankara 000348\n\nSipdis\n\n\
             E.o. 12958: decl: 01/07/2014 Tags: prel, pgov, pins, tu Subject: turkish p.m. \
             Erdogan goes to washington: how strong a leader?\n\n1. (C) Summary: Text.\n",
        );
        assert_eq!(c.tags, ["PREL", "PGOV", "PINS", "TU"]);
        assert_eq!(
            c.subject,
            "turkish p.m. Erdogan goes to washington: how strong a leader?"
        );
    }

    #[test]
    fn an_sbu_notice_under_the_header_fields_marks_the_telegram() {
        let text = |notice: &str| {
            format!(
                "UNCLAS BEIJING 003899\n\nSIPDIS\n\nE.O. 12958: N/A\nTAGS: ECON, CH\n\
                 SUBJECT: SAFE\n\nRef: Beijing 03888\n\n{notice}\n\n1. (SBU) Summary. Text.\n"
            )
        };
        let (c, _) = cable(&text(
            "THIS CABLE IS SENSITIVE BUT UNCLASSIFIED. NOT FOR\nINTERNET DISTRIBUTION.",
        ));
        assert_eq!(
            c.classification.label(),
            "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
        );
        let (c, _) = cable(&text("THIS CABLE IS ABOUT SENSITIVE MATTERS."));
        assert_eq!(c.classification.label(), "UNCLASSIFIED");
        let (c, _) = cable(&text(
            "2314 SENSITIVE BUT UNCLASSIFIED; PLEASE PROTECT ACCORDINGLY",
        ));
        assert_eq!(
            c.classification.label(),
            "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
        );
        // Not a long line of text that mentions the words.
        let (c, _) = cable(&text(&format!(
            "WE DISCUSSED WHAT {}MEANS IN SENSITIVE BUT UNCLASSIFIED TRAFFIC.",
            "THE MINISTRY ".repeat(4)
        )));
        assert_eq!(c.classification.label(), "UNCLASSIFIED");
    }

    #[test]
    fn a_subject_goes_on_after_a_printed_page_header() {
        let (c, _) = cable(
            "C O N F I D E N T I A L SECTION 01 OF 03 HARARE 006677\n\n\
             TAGS PGOV, ZI\nSUBJECT: ASSISTANT SECRETARY MEETS WITH ZIMBABWE\n CONFIDENTIAL\n\
             PAGE 02 HARARE 06677 01 OF 03 291400Z OPPOSITION LEADER\n\n\
             REFTEL: HARARE 6584\n\n1. (C) SUMMARY: TEXT.\n",
        );
        assert_eq!(
            c.subject,
            "ASSISTANT SECRETARY MEETS WITH ZIMBABWE OPPOSITION LEADER"
        );
        assert_eq!(
            printed_page_header_rest("PAGE 02 HARARE 06677 01 OF 03 291400Z"),
            None
        );
        assert_eq!(
            printed_page_header_rest("PAGE 2 OF THE REPORT SAYS 291400Z MORE"),
            None
        );
    }

    #[test]
    fn a_caveat_line_that_repeats_the_level() {
        let (c, _) = cable(
            "S E C R E T SECTION 01 OF 06 CARACAS 000219\n\nSIPDIS\n\nSECRET NOFORN\n\n\
             E.O. 12958: DECL: 01/31/2021\nTAGS: PREL, VE\nSUBJECT: X\n\n1. (S//NF) Text.\n",
        );
        assert_eq!(c.classification.label(), "SECRET//NOFORN");
        // Another level is not this telegram's caveat.
        let (c, _) = cable(
            "S E C R E T SECTION 01 OF 06 CARACAS 000219\n\nCONFIDENTIAL NOFORN\n\n\
             SUBJECT: X\n\n1. (S) Text.\n",
        );
        assert_eq!(c.classification.label(), "SECRET");
    }

    #[test]
    fn a_subject_without_its_label_between_tags_and_ref() {
        let text = |lone: &str| {
            format!(
                "UNCLAS SAO PAULO 000910\n\nSIPDIS\n\nE.O. 12958: N/A\n\nTAGS: KIPR, BR\n\n\
                 {lone}\n\nREF: A) Brasilia 599\n\n1. SENSITIVE BUT UNCLASSIFIED\n"
            )
        };
        let (c, _) = cable(&text(
            "BRAZIL'S NATIONAL PLAN TO COMBAT PIRACY: AN UPDATE ON IMPLEMENTATION EFFORTS",
        ));
        assert_eq!(
            c.subject,
            "BRAZIL'S NATIONAL PLAN TO COMBAT PIRACY: AN UPDATE ON IMPLEMENTATION EFFORTS"
        );
        // Not a handling line, nor text in lower case.
        let (c, _) = cable(&text("PASS TO USTR AND USDOC"));
        assert_eq!(c.subject, "");
        let (c, _) = cable(&text("Brazil's plan to combat piracy"));
        assert_eq!(c.subject, "");
    }

    #[test]
    fn an_inbox_print_s_fields_give_way_to_the_telegram_s() {
        let print = "TELEGRAM                                            June 03, 2003\n\n\
             TAGS:     PREL, EPET, EAID, PGOV\n\nCaptions: None\n\n\
             Subject:  UAE TO SUPPORT JORDAN OIL NEEDS\n\nRef:      None\n\
             _________________________________________________________________\n";
        let telegram = "C O N F I D E N T I A L ABU DHABI 002641\n\nSIPDIS\n\n\
             EO 12958 DECL: 06/03/08\nTAGS PREL, EPET, EAID, PGOV, JO, MO\n\
             SUBJECT:  UAE TO SUPPORT JORDAN OIL NEEDS\nREF: Abu Dhabi 1384\n\n\
             1. (C) Text.\n\nWAHBA\n";
        let (c, _) = cable(&format!("{print}{telegram}"));
        assert_eq!(c.tags, ["PREL", "EPET", "EAID", "PGOV", "JO", "MO"]);
        let ids: Vec<_> = c.references.iter().filter_map(|r| r.id.as_ref()).collect();
        assert_eq!(ids.len(), 1, "{:?}", c.references);
        assert_eq!(ids[0].0, "07ABUDHABI1384");
        // Tags that are not the first's and more, or a REF that names something, stay first.
        let (c, _) = cable(&format!(
            "{}{}",
            print.replace("Ref:      None", "Ref:      STATE 1234"),
            telegram.replace("PGOV, JO, MO", "KU")
        ));
        assert_eq!(c.tags, ["PREL", "EPET", "EAID", "PGOV"]);
        assert_eq!(c.references[0].id.as_ref().unwrap().0, "07STATE1234");
    }

    #[test]
    fn a_ref_block_across_a_printed_page_break() {
        let text = |rest: &str| {
            format!(
                "C O N F I D E N T I A L SECTION 01 OF 02 ROME 001196\nSIPDIS\n\
                 EO 12958 DECL: 03/05/2007\nTAGS PHUM, IT\nSUBJECT: AS PREDICTED\n\
                 REF: A. STATE 40721\n CONFIDENTIAL\nPAGE 02 ROME 01196 01 OF 02 082030Z  {rest}\n\
                 CLASSIFIED BY: POL MINCOUNS THOMAS COUNTRYMAN, REASONS 1.5 (B) AND (D).\n\
                 1. (C) SUMMARY: TEXT.\n"
            )
        };
        let (c, _) = cable(&text(
            "B. ROME 1098  C. ROME 894  D. MYRIAD POST-DEPARTMENT E-MAILS  E. ROME 348",
        ));
        let ids: Vec<_> = c
            .references
            .iter()
            .map(|r| r.id.as_ref().map(|i| i.0.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                Some("07STATE40721"),
                Some("07ROME1098"),
                Some("07ROME894"),
                None,
                Some("07ROME348")
            ]
        );
        // Text after the page header that is not the next item is the paragraph's, not a REF.
        let (c, _) = cable(&text("THE MINISTER SAID ROME 1098 WAS WRONG"));
        assert_eq!(c.references.len(), 1);
    }

    #[test]
    fn a_handling_notice_run_onto_the_subject_is_not_the_subject_s() {
        let subject = |line: &str| {
            cable(&format!(
                "UNCLAS BRASILIA 001066\n\nSIPDIS\n\nE.O. 12958: N/A\nTAGS: ETRD, BR\n\
                 SUBJECT: {line}\n\n1. (SBU) Text.\n"
            ))
            .0
            .subject
        };
        assert_eq!(
            subject("FTAA COORDINATOR ON A SOCIAL AGENDA SENSITIVE BUT UNCLASSIFIED, PLEASE TREAT ACCORDINGLY"),
            "FTAA COORDINATOR ON A SOCIAL AGENDA"
        );
        assert_eq!(
            subject("FTAA TALKS SENSITIVE BUT UNCLASSIFIED; PLEASE PROTECT ACCORDINGLY."),
            "FTAA TALKS"
        );
        // Words about the notice inside a subject stay.
        assert_eq!(
            subject("RULES FOR SENSITIVE BUT UNCLASSIFIED MAIL"),
            "RULES FOR SENSITIVE BUT UNCLASSIFIED MAIL"
        );
    }

    #[test]
    fn a_ref_serial_pushed_onto_the_handling_notice_s_line() {
        let refs = |tail: &str| {
            cable(&format!(
                "UNCLAS SECTION 01 OF 04 SAO PAULO 001197\n\nSIPDIS\n\nE.O. 12958: N/A\n\
                 TAGS: KIPR, ETRD\nSUBJECT: X\n\nREF: A) SAO PAULO 675,\nB) BRASILIA\n\n{tail}\n\n\
                 1. (SBU) Summary.\n"
            ))
            .0
            .references
            .into_iter()
            .map(|r| r.id.map(|i| i.0))
            .collect::<Vec<_>>()
        };
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            refs("2314 SENSITIVE BUT UNCLASSIFIED; PLEASE PROTECT ACCORDINGLY"),
            [some("07SAOPAULO675"), some("07BRASILIA2314")]
        );
        // A number before other text is not a serial.
        assert_eq!(refs("2314 PEOPLE CAME"), [some("07SAOPAULO675"), None]);
    }

    #[test]
    fn a_subject_label_written_twice_is_one_label() {
        let (c, _) = cable(
            "UNCLAS BRUSSELS 000183\n\nSIPDIS\n\nE.O. 12958: N/A\nTAGS: PREL, EUN\n\
             SUBJECT: SUBJECT: DEPUTY NSA MICHAEL FROMAN VISIT TO\nBRUSSELS, JANUARY 27, 2010\n\n\
             1. (U) Text.\n",
        );
        assert_eq!(
            c.subject,
            "DEPUTY NSA MICHAEL FROMAN VISIT TO BRUSSELS, JANUARY 27, 2010"
        );
        // A subject about subjects keeps its words.
        let (c, _) =
            cable("UNCLAS BRUSSELS 000183\n\nSUBJECT: SUBJECTS FOR THE SUMMIT\n\n1. (U) Text.\n");
        assert_eq!(c.subject, "SUBJECTS FOR THE SUMMIT");
    }

    #[test]
    fn ids_look_like_ids() {
        assert!(looks_like_id("07PARIS1115"));
        assert!(!looks_like_id("000_63948343a81429d0"));
        assert!(!looks_like_id("07PARIS"));
    }

    #[test]
    fn tags_at_the_end_of_a_header_run_into_the_classification_line() {
        let (c, _) = cable(
            "C O N F I D E N T I A L SECTION 01 OF 02 ATHENS 000057 NOFORN SIPDIS AMEMBASSY \
             ANKARA PASS TO AMCONSUL ADANA E.O. 12958: DECL: 2035/01/29 TAGS: PREL PGOV KTIP GR\n\n\
             CLASSIFIED BY: Daniel V. Speckhard, Ambassador; REASON: 1.4(B)\n\n1. (C) Text.\n",
        );
        assert_eq!(c.tags, ["PREL", "PGOV", "KTIP", "GR"]);
        assert_eq!(c.classification.label(), "CONFIDENTIAL//NOFORN");
        // Too long to be read as a classification line, it goes on the routing header.
        let pass_to = "AMEMBASSY BERLIN PASS TO AMCONSUL LEIPZIG ".repeat(6);
        let (c, _) = cable(&format!(
            "VZCZCXRO1595\nOO RUEHAG\nDE RUEHTH #0057/01 0291534\nZNY CCCCC ZZH\n\
             O R 291533Z JAN 10\nFM AMEMBASSY ATHENS\nTO RUEHC/SECSTATE WASHDC IMMEDIATE 1420\n\
             INFO EUROPEAN POLITICAL COLLECTIVE\n\
             C O N F I D E N T I A L SECTION 01 OF 02 ATHENS 000057 NOFORN SIPDIS {pass_to}\
             E.O. 12958: DECL: 2035/01/29 TAGS: PREL PGOV GR\n\n\
             CLASSIFIED BY: Daniel V. Speckhard, Ambassador; REASON: 1.4(B)\n\n1. (C) Text.\n"
        ));
        assert_eq!(c.tags, ["PREL", "PGOV", "GR"]);
        // Glued to the declassification date, after a header that lost every line break.
        let (c, _) = cable(
            "VZCZCXRO0001\nDE RUEHTU #0055/01 0091514\nZNY SSSSS ZZH\nP 091514Z JAN 06\n\
             FM AMEMBASSY TUNIS\nTO RUEHC/SECSTATE WASHDC PRIORITY 9506\n\n\
             Cable dated:2006-01-09T15:14:00S E C R E T TUNIS 000055SIPDISSIPDISSTATE FOR \
             NEA/MAG - LAWRENCE AND INR  PARIS FOR ZEYALONDON FOR TSOUE.O. 12958: DECL: \
             01/04/2016TAGS: PGOV PREL TS\n\n1. (S) SUMMARY: Text.\n",
        );
        assert_eq!(c.tags, ["PGOV", "PREL", "TS"]);
        // `TAGS:` in a line that is not a classification line with an `E.O.` is text.
        let (c, _) = cable(
            "CONFIDENTIAL\n\nSUBJECT: X\n\n1. (C) WE DISCUSSED E.O. 13224 AND THE TAGS: PTER.\n",
        );
        assert!(c.tags.is_empty(), "{:?}", c.tags);
    }

    #[test]
    fn unclas_with_sbu_marker_is_fouo() {
        let (c, w) =
            cable("UNCLAS STATE 000123\n\nSENSITIVE BUT UNCLASSIFIED\nSIPDIS\n\nE.O. 12958: N/A\n");
        assert_eq!(
            c.classification.label(),
            "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
        );
        assert_eq!(c.id.as_str(), "07TEST1");
        assert!(w.iter().any(|p| p.message.contains("file name")));
        assert!(w.iter().any(|p| p.message.contains("no date")));
    }

    #[test]
    fn a_table_two_marks_of_the_telegram_contradict_gives_way() {
        let page = |table: &str, zny: &str, line: &str| {
            format!(
                "Identifier\nCreated\nClassification\nOrigin\n09RPODUBAI349\n\
                 2009-08-25 08:08:00\n{table}\nIran RPO Dubai\n\
                 VZCZCXRO1234\nPP RUEHDE\nDE RUEHDIR #0349/01 2370814\n{zny}\n\
                 P R 250814Z AUG 09\nFM RPO DUBAI\nTO RUEHC/SECSTATE WASHDC PRIORITY 0503\n\
                 {line}\n\nSUBJECT: IRAN: SHOW TRIAL\n\n1. (C) Text.\n"
            )
        };
        let line = "C O N F I D E N T I A L SECTION 01 OF 03 RPO DUBAI 000349";
        let (c, w) = cable(&page("SECRET//NOFORN", "ZNY CCCCC ZZH", line));
        assert_eq!(c.classification.label(), "CONFIDENTIAL");
        assert!(
            w.iter()
                .any(|p| p.message.contains("the page says SECRET//NOFORN")),
            "{w:?}"
        );
        // One mark alone does not outvote the table, nor a telegram that agrees with it.
        let (c, _) = cable(&page("SECRET//NOFORN", "ZNY SSSSS ZZH", line));
        assert_eq!(c.classification.label(), "SECRET//NOFORN");
        let (c, _) = cable(&page(
            "SECRET//NOFORN",
            "ZNY SSSSS ZZH",
            "S E C R E T SECTION 01 OF 03 RPO DUBAI 000349",
        ));
        assert_eq!(c.classification.label(), "SECRET//NOFORN");
    }

    #[test]
    fn a_table_date_two_marks_of_the_telegram_contradict_gives_way() {
        let page = |created: &str, de: &str| {
            format!(
                "Identifier\nCreated\nClassification\nOrigin\n08CONAKRY184\n{created}\n\
                 SECRET\nEmbassy Conakry\nVZCZCXRO1234\nRR RUEHPA\nDE RUEHRY #0184/01 {de}\n\
                 ZNY SSSSS ZZH\nR 121241Z MAY 08\nFM AMEMBASSY CONAKRY\n\
                 TO RUEHC/SECSTATE WASHDC 2422\n\
                 S E C R E T SECTION 01 OF 02 CONAKRY 000184\n\nSUBJECT: X\n\n1. (S) Text.\n"
            )
        };
        let (c, w) = cable(&page("2008-03-06 14:02:00", "1331241"));
        assert_eq!(c.created.display(), "2008-05-12 12:41");
        assert!(
            w.iter()
                .any(|p| p.message.contains("the page says 2008-03-06")),
            "{w:?}"
        );
        // The usual case: the table's minute a little off the telegram's, kept.
        let (c, _) = cable(&page("2008-05-12 12:11:00", "1331241"));
        assert_eq!(c.created.display(), "2008-05-12 12:11");
        // One mark alone (a DE line that says another day) does not outvote the table.
        let (c, _) = cable(&page("2008-03-06 14:02:00", "0661402"));
        assert_eq!(c.created.display(), "2008-03-06 14:02");
    }

    #[test]
    fn zny_is_the_last_resort_for_classification() {
        let (c, _) = cable("VZCZCXYZ0001\nZNY SSSSS ZZH\nO 011643Z OCT 07\nFM AMEMBASSY ROME\n");
        assert_eq!(c.classification.label(), "SECRET");
        assert_eq!(c.origin, "Embassy Rome");
        assert_eq!(c.created.display(), "2007-10-01 16:43");
    }

    #[test]
    fn fouo_only_qualifies_unclassified() {
        let (c, _) = cable("C O N F I D E N T I A L ROME 000001\n\nSENSITIVE\n\nE.O. 12958: N/A\n");
        assert_eq!(c.classification.label(), "CONFIDENTIAL");
    }
}

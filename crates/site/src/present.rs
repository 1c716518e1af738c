//! Small facts about a cable as every page shows them, shared by the cable page, the listings
//! and the feeds. They live here, apart from all three, so that none of those modules has to
//! import another.

use archive_cable::model::{Cable, Level};

/// The subject, or a placeholder for the cables that have none, so no heading, row or feed
/// entry is empty.
pub fn subject_or_placeholder(cable: &Cable) -> &str {
    if cable.subject.trim().is_empty() {
        "(no subject)"
    } else {
        &cable.subject
    }
}

/// The class of a listing's classification cell, which colours its dot, and of a cable page's
/// banners (`assets/style.css`): `c`, `s`, `ts`; none for unclassified, the default. One
/// function for both, so a row and a page never disagree on a level's colour.
pub fn level_class(level: Level) -> &'static str {
    match level {
        Level::Unclassified => "",
        Level::Confidential => "c",
        Level::Secret => "s",
        Level::TopSecret => "ts",
    }
}

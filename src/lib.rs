//! `archive`: a static site generator for archives of diplomatic cables.
//!
//! This crate is the command line (`src/main.rs`), `archive serve` and `archive new`; the
//! pipeline lives in the workspace's crates, re-exported here under the names the rest of the
//! code and the tests use:
//!
//! 1. [`parse`] (`archive-cable`): a file's bytes → [`cable::Cable`] (or the problems that kept
//!    it from being one). No HTML, no I/O.
//! 2. [`corpus`] (`archive-corpus`): a content folder → every cable read ([`sources`]) and parsed
//!    in parallel, then linked: references resolved, "cited by" computed.
//! 3. [`site`] (`archive-site`): the linked corpus → rendered pages, listings, the [`search`]
//!    index (`archive-search`) → a written site.
//!
//! See `ARCHITECTURE.md` for the map and the invariants.

pub use archive_cable::gazetteer;
pub use archive_cable::model as cable;
pub use archive_cable::parse;
pub use archive_corpus as corpus;
pub use archive_corpus::{progress, sources};
pub use archive_search as search;
pub use archive_site as site;
pub use archive_site::{config, export};

pub mod new;
pub mod serve;

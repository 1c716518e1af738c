//! `archive`: a static site generator for archives of diplomatic cables.
//!
//! The pipeline is plain data flowing forward through stages, each owned by one module:
//!
//! 1. [`parse`]: a file's bytes → [`cable::Cable`] (or the problems that kept it from being one).
//! 2. [`corpus`]: a content folder → every cable parsed in parallel, then linked: references
//!    resolved, "cited by" computed, duplicate identifiers given distinct pages.
//! 3. [`site`]: the linked corpus → rendered pages, listings, search index → written site.
//!
//! See `ARCHITECTURE.md` for the map and the invariants.

pub mod cable;
pub mod config;
pub mod corpus;
pub mod export;
pub mod generate;
pub mod new;
pub mod parse;
pub mod procstat;
pub mod progress;
pub mod search;
pub mod serve;
pub mod site;
pub mod sources;

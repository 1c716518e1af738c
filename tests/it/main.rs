//! The integration tests, in one binary (one link of the library instead of twenty): the real
//! binary and the library on the seeds, real cables, generated corpora and malformed files.
//! Shared helpers: [`site_util`] (hand-made cables, builds into temporary folders, a link
//! crawler) and [`hostile_util`] (attacks built from the seeds, scanners of the output).
//!
//! `tests/fuzz.rs` is its own binary because CI runs it optimised for a time budget.
#![allow(dead_code)] // each module uses a part of the shared helpers

mod cli_export;
mod corpus_links;
mod hostile_faults;
mod hostile_injection;
mod hostile_paths;
mod hostile_scale;
mod hostile_util;
mod parse_malformed;
mod parse_props;
mod parse_refs;
mod parse_seeds;
mod parse_variants;
mod publish_workflow;
mod real;
mod search;
mod serve;
mod serve_load;
mod site_citations;
mod site_default;
mod site_generated;
mod site_graph;
mod site_incremental;
mod site_lean;
mod site_map;
mod site_memory;
mod site_output;
mod site_people;
mod site_references;
mod site_restored;
mod site_safety;
mod site_usb;
mod site_util;
mod sources;

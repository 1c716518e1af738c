//! `archive-cable`: what a diplomatic cable is ([`model`]) and how to read one ([`parse`]).
//!
//! This crate is the bottom of the pipeline and has no HTML, template or file-system dependency
//! by construction: parsing is a pure function from bytes to a [`model::Cable`] (or the problems
//! that kept a file from being one). Everything downstream reads the model and nothing else.

pub mod gazetteer;
pub mod model;
pub mod parse;

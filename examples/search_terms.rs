//! Prints the index terms of each line of standard input, space-separated, one line per line:
//! the build side of the tokenizer/stemmer agreement test (`tests/browser/stemmer.test.js`).

use archive::search::tokenize::Analyzer;
use std::io::{BufRead, Write};

fn main() {
    let mut analyzer = Analyzer::new();
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line.expect("UTF-8 input");
        writeln!(out, "{}", analyzer.terms(&line).join(" ")).expect("write");
    }
}

//! Embeds every file of `templates/` and `assets/` into the binary, so `archive build` works in a
//! folder that has only `site.toml` and `content/`.
//!
//! The list is generated, not written by hand: a new template or asset (for example the search
//! page and its script) is picked up by just being in the folder. The generated file defines
//! `TEMPLATES: &[(&str, &str)]` and `ASSETS: &[(&str, &[u8])]`, sorted by name.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn files(dir: &Path, prefix: &str, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            files(&path, &format!("{prefix}{name}/"), out);
        } else {
            out.push((format!("{prefix}{name}"), path));
        }
    }
}

fn main() {
    // The theme lives at the top of the workspace, where a site owner finds it to copy.
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../..");
    let mut code = String::new();
    for (dir, constant, macro_name, ty) in [
        ("templates", "TEMPLATES", "include_str", "&str"),
        ("assets", "ASSETS", "include_bytes", "&[u8]"),
    ] {
        // Cargo scans a folder named here for any file added, removed or changed. It must be the
        // real path: a path relative to this crate would name a folder that does not exist,
        // which cargo takes as always changed, and every build would compile this crate and all
        // above it again.
        println!("cargo:rerun-if-changed={}", root.join(dir).display());
        let mut list = Vec::new();
        files(&root.join(dir), "", &mut list);
        list.sort();
        writeln!(
            code,
            "/// Every file of `{dir}/`, by path inside it, sorted."
        )
        .unwrap();
        writeln!(code, "pub static {constant}: &[(&str, {ty})] = &[").unwrap();
        for (name, path) in &list {
            writeln!(
                code,
                "    ({name:?}, {macro_name}!({:?})),",
                path.display().to_string()
            )
            .unwrap();
        }
        writeln!(code, "];").unwrap();
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded.rs");
    std::fs::write(out, code).unwrap();
}

//! `archive new DIR`: a new archive folder, ready for `archive build`.
//!
//! The files come from the default archive this program ships (its `site.toml`, its pages, one
//! seed cable), embedded at compile time so that `new` works from an installed binary with no
//! source tree around.

use std::path::{Path, PathBuf};

/// Every file a new archive starts with: path inside the new folder, contents.
const FILES: &[(&str, &str)] = &[
    ("site.toml", include_str!("../site.toml")),
    (
        "content/cables/07PARIS1115.txt",
        include_str!("../content/cables/000_63948343a81429d0.txt"),
    ),
    (
        "content/pages/about.md",
        include_str!("../content/pages/about.md"),
    ),
    (
        "content/pages/how-to-read-a-cable.md",
        include_str!("../content/pages/how-to-read-a-cable.md"),
    ),
    (
        ".github/workflows/pages.yml",
        include_str!("../docs/github-pages.yml"),
    ),
    (".gitignore", "/public/\n"),
    ("README.md", NEW_README),
];

const NEW_README: &str = "# A cable archive

Built with `archive`: a static website to browse, cite and search diplomatic cables.

- Put cables in `content/cables/` (text files in either cablegate layout, cablegate HTML pages,
  or a `cables.csv` dump), in any folder depth. One example cable is there.
- Put your own pages (Markdown) in `content/pages/`.
- Settings are in `site.toml`.

```sh
archive check            # read every cable, report problems
archive build --open     # write the site to public/ and open it
archive serve            # build, serve on 127.0.0.1 and rebuild on every change
```

`public/` opens from a folder or a USB stick with no server. To publish on GitHub Pages, push this
folder to a repository and choose Settings → Pages → Source: GitHub Actions; the workflow in
`.github/workflows/pages.yml` builds and publishes on every push.
";

/// Why a new archive could not be made.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    /// The folder exists and has files in it: `new` never overwrites anything.
    #[error("{} exists and is not empty: choose a new folder name (nothing was written)", .0.display())]
    NotEmpty(PathBuf),
    /// A file or folder could not be written (the path, and what the file system said).
    #[error("{}: {}", .0.display(), .1)]
    Io(PathBuf, #[source] std::io::Error),
}

/// Creates `dir` with a starter archive and returns the files written. Refuses a folder that
/// already has anything in it.
pub fn create(dir: &Path) -> Result<Vec<PathBuf>, NewError> {
    if let Ok(mut entries) = std::fs::read_dir(dir) {
        if entries.next().is_some() {
            return Err(NewError::NotEmpty(dir.to_path_buf()));
        }
    }
    let mut written = Vec::with_capacity(FILES.len());
    for (relative, contents) in FILES {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| NewError::Io(parent.to_path_buf(), e))?;
        }
        std::fs::write(&path, contents).map_err(|e| NewError::Io(path.clone(), e))?;
        written.push(path);
    }
    Ok(written)
}

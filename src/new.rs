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
    (".gitignore", "/public/\n/.public.cache/\n"),
    ("README.md", NEW_README),
];

const NEW_README: &str = "# A cable archive

Built with `archive`: a static website to browse, cite and search diplomatic cables.

- Put cables in `content/cables/` (text files in either cablegate layout, cablegate HTML pages,
  a `cables.csv` dump, or JSON records), in any folder depth. One example cable is there.
- Put your own pages (Markdown) in `content/pages/`.
- Settings are in `site.toml`.

```sh
archive check            # read every cable, report problems
archive build --open     # write the site to public/ and open it
archive serve            # build, serve on 127.0.0.1 and rebuild on every change
```

`public/` opens from a folder or a USB stick with no server. To publish on GitHub Pages, push this
folder to a repository and choose Settings → Pages → Source: GitHub Actions; the workflow in
`.github/workflows/pages.yml` builds and publishes on every push. It installs the archive tool
from the git URL in its `ARCHIVE_TOOL_REPO` line, or, when that line reads the repository
variable, from the variable `ARCHIVE_TOOL_REPO` (Settings → Secrets and variables → Actions →
Variables); its first step says so when neither is set.
";

/// The GitHub Pages workflow, the same file as `docs/github-pages.yml` in this repository.
const WORKFLOW: &str = include_str!("../docs/github-pages.yml");
/// Where the workflow is written in a new archive.
pub const WORKFLOW_PATH: &str = ".github/workflows/pages.yml";
/// The template's line that takes the tool's git URL from the repository variable; `--tool-repo`
/// replaces it with the URL itself.
const TOOL_REPO_LINE: &str = "  ARCHIVE_TOOL_REPO: ${{ vars.ARCHIVE_TOOL_REPO }}\n";

/// The workflow for a new archive: the template as it is when `tool_repo` is `None` (the tool's
/// URL then comes from the repository variable), or with the URL written in.
///
/// The URL is checked first, because it lands in YAML that GitHub evaluates: anything that is not
/// one plain word of printable ASCII (whitespace, quotes, `$`, a backtick, `{`/`}`) is refused,
/// so it can neither break the file nor be read as a `${{ }}` expression.
pub fn workflow(tool_repo: Option<&str>) -> Result<String, NewError> {
    let Some(url) = tool_repo else {
        return Ok(WORKFLOW.to_string());
    };
    let plain = !url.is_empty()
        && url
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"'\"$`{}\\".contains(&b));
    if !plain {
        return Err(NewError::BadToolRepo(url.to_string()));
    }
    assert!(
        WORKFLOW.contains(TOOL_REPO_LINE),
        "docs/github-pages.yml has the ARCHIVE_TOOL_REPO line"
    );
    let line = format!(
        "  # Written by `archive new --tool-repo`; put back `${{{{ vars.ARCHIVE_TOOL_REPO }}}}` to use the\n  # repository variable instead.\n  ARCHIVE_TOOL_REPO: '{url}'\n"
    );
    Ok(WORKFLOW.replacen(TOOL_REPO_LINE, &line, 1))
}

/// Why a new archive could not be made.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    /// The folder exists and has files in it: `new` never overwrites anything.
    #[error("{} exists and is not empty: choose a new folder name (nothing was written)", .0.display())]
    NotEmpty(PathBuf),
    /// The `--tool-repo` URL has characters that have no place in a git URL written into YAML.
    #[error("--tool-repo {0:?}: give a git URL without spaces, quotes, `$`, backticks or braces, such as the HTTPS address of the tool's repository (nothing was written)")]
    BadToolRepo(String),
    /// A file or folder could not be written (the path, and what the file system said).
    #[error("{}: {}", .0.display(), .1)]
    Io(PathBuf, #[source] std::io::Error),
}

/// Creates `dir` with a starter archive and returns the files written. Refuses a folder that
/// already has anything in it. `tool_repo` is the git URL the Pages workflow installs the archive
/// tool from (see [`workflow`]); without it the workflow reads the repository variable.
pub fn create(dir: &Path, tool_repo: Option<&str>) -> Result<Vec<PathBuf>, NewError> {
    let workflow = workflow(tool_repo)?;
    if let Ok(mut entries) = std::fs::read_dir(dir) {
        if entries.next().is_some() {
            return Err(NewError::NotEmpty(dir.to_path_buf()));
        }
    }
    let mut written = Vec::with_capacity(FILES.len() + 1);
    let files = FILES
        .iter()
        .copied()
        .chain([(WORKFLOW_PATH, workflow.as_str())]);
    for (relative, contents) in files {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| NewError::Io(parent.to_path_buf(), e))?;
        }
        std::fs::write(&path, contents).map_err(|e| NewError::Io(path.clone(), e))?;
        written.push(path);
    }
    Ok(written)
}

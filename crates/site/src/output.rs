//! Writing the site: safe paths inside a temporary folder, and the atomic swap into place.
//!
//! A build writes everything into `.<name>.tmp-<pid>` beside the output folder (same parent, so
//! the final `rename` cannot cross file systems). Only a complete build is swapped in: the old
//! output is renamed away, the new one renamed in, the old one deleted. A failed build removes
//! its temporary folder and never touches the previous output.

use super::BuildError;
use archive_cable::model::Problem;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// A folder being written, with counts of what went in. Shared by reference across threads.
#[derive(Debug)]
pub struct Output {
    root: PathBuf,
    files: AtomicUsize,
    bytes: AtomicU64,
    /// Leave a file alone when it already holds the same bytes (see [`Output::updating`]).
    skip_unchanged: bool,
    /// The folder already holds files, some of them hard links shared with the live output
    /// (see [`Output::replacing`]): never write through an existing file, replace it.
    replace: bool,
}

impl Output {
    /// Writes into `root`, which must exist.
    pub fn new(root: PathBuf) -> Output {
        Output {
            root,
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            skip_unchanged: false,
            replace: false,
        }
    }

    /// Writes into a staging folder made from the build cache's spare generation
    /// ([`Staging::adopt`]), whose files may be hard links to the live output's: each write and
    /// each link first removes what is at its path, so that no byte of the live site changes.
    pub fn replacing(root: PathBuf) -> Output {
        Output {
            replace: true,
            ..Output::new(root)
        }
    }

    /// Whether this folder held files before the build ([`Output::replacing`]).
    pub fn is_replacing(&self) -> bool {
        self.replace
    }

    /// Counts a file that was already in place ([`Output::replacing`]) and is kept as it is.
    pub fn keep(&self, len: u64) {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(len, Ordering::Relaxed);
    }

    /// Removes the file at a site path if there is one (not counted: it was not written by
    /// this build).
    pub fn remove_if_present(&self, site_path: &str) -> Result<(), BuildError> {
        let path = self.path(site_path)?;
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(BuildError::io_at(&path)(e)),
            _ => Ok(()),
        }
    }

    /// Writes into an existing, complete site (`archive serve`'s rebuilds): a file that already
    /// holds the same bytes is not written again. Reading is much cheaper than writing on most
    /// disks, and an untouched file keeps its time, so tools that sync the folder see less.
    pub fn updating(root: PathBuf) -> Output {
        Output {
            skip_unchanged: true,
            ..Output::new(root)
        }
    }

    /// The folder written into.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file system path of a site path, refusing anything that could leave the folder
    /// (absolute paths, `..`, empty components). Site paths are built from safe slugs, so a
    /// refusal here is a bug, reported rather than obeyed.
    pub fn path(&self, site_path: &str) -> Result<PathBuf, BuildError> {
        let rel = Path::new(site_path);
        let ok = !site_path.is_empty()
            && !site_path.contains('\\')
            && !site_path.contains("//")
            && rel.components().all(|c| matches!(c, Component::Normal(_)));
        if !ok {
            return Err(BuildError::UnsafePath(site_path.to_string()));
        }
        Ok(self.root.join(rel))
    }

    /// Writes one file at a site path; its folder must exist (see [`Output::create_dir`]).
    pub fn write(&self, site_path: &str, contents: &[u8]) -> Result<(), BuildError> {
        let path = self.path(site_path)?;
        if self.skip_unchanged && std::fs::read(&path).is_ok_and(|old| old == contents) {
            return Ok(());
        }
        if self.replace {
            self.remove_if_present(site_path)?;
        }
        std::fs::write(&path, contents).map_err(BuildError::io_at(&path))?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes
            .fetch_add(contents.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Hard-links `existing` (a file of the previous output, of `len` bytes) at a site path, for
    /// a page the build cache knows to be unchanged ([`crate::cache`]); counted as written.
    pub fn hard_link(&self, existing: &Path, site_path: &str, len: u64) -> std::io::Result<()> {
        let path = self
            .path(site_path)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()))?;
        if self.replace {
            match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        std::fs::hard_link(existing, &path)?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(len, Ordering::Relaxed);
        Ok(())
    }

    /// Removes a file [`Output::hard_link`] made (the counts go back too), so that the page can
    /// be written instead: writing through the link would change the previous output's file.
    pub fn unlink(&self, site_path: &str) -> Result<(), BuildError> {
        let path = self.path(site_path)?;
        let len = std::fs::metadata(&path)
            .map_err(BuildError::io_at(&path))?
            .len();
        std::fs::remove_file(&path).map_err(BuildError::io_at(&path))?;
        self.files.fetch_sub(1, Ordering::Relaxed);
        self.bytes.fetch_sub(len, Ordering::Relaxed);
        Ok(())
    }

    /// Writes one file, creating its folders first.
    pub fn write_creating(&self, site_path: &str, contents: &[u8]) -> Result<(), BuildError> {
        if let Some((dir, _)) = site_path.rsplit_once('/') {
            self.create_dir(dir)?;
        }
        self.write(site_path, contents)
    }

    /// Creates a folder (and its parents) at a site path.
    pub fn create_dir(&self, site_dir: &str) -> Result<(), BuildError> {
        let path = self.path(site_dir)?;
        std::fs::create_dir_all(&path).map_err(BuildError::io_at(&path))
    }

    /// Counts the files that another module wrote under a site folder directly (the search
    /// index under `search/`), so the report's totals stay true.
    pub fn count_folder(&self, site_dir: &str) -> Result<(), BuildError> {
        let path = self.path(site_dir)?;
        if !path.is_dir() {
            return Ok(());
        }
        for entry in walkdir::WalkDir::new(&path) {
            let entry = entry.map_err(|e| BuildError::io_at(&path)(e.into()))?;
            if entry.file_type().is_file() {
                self.files.fetch_add(1, Ordering::Relaxed);
                let len = entry
                    .metadata()
                    .map_err(|e| BuildError::io_at(entry.path())(e.into()))?
                    .len();
                self.bytes.fetch_add(len, Ordering::Relaxed);
            }
        }
        Ok(())
    }

    /// Files and bytes written so far.
    pub fn totals(&self) -> (usize, u64) {
        (
            self.files.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
        )
    }
}

/// Refuses an output folder whose replacement would destroy something else: one that holds the
/// content or the site's own files (`--output .`, `--output content`), or an existing folder
/// that does not look like a site this program built (no `index.html`, not empty), since a
/// build deletes the previous output whole.
pub fn check_target(target: &Path, keep: &[&Path]) -> Result<(), TargetError> {
    let absolute = |p: &Path| {
        std::fs::canonicalize(p).unwrap_or_else(|_| {
            std::env::current_dir()
                .map(|d| d.join(p))
                .unwrap_or_else(|_| p.to_path_buf())
        })
    };
    let out = absolute(target);
    if out.parent().is_none() {
        return Err(TargetError::Root(target.to_path_buf()));
    }
    for folder in keep {
        if absolute(folder).starts_with(&out) {
            return Err(TargetError::HoldsInput {
                target: target.to_path_buf(),
                kept: folder.to_path_buf(),
            });
        }
    }
    if out.is_dir() {
        let mut entries = std::fs::read_dir(&out).map_err(|source| TargetError::Unreadable {
            path: target.to_path_buf(),
            source,
        })?;
        let empty = entries.next().is_none();
        if !empty && !out.join("index.html").is_file() {
            return Err(TargetError::NotASite(target.to_path_buf()));
        }
    } else if out.exists() {
        return Err(TargetError::IsAFile(target.to_path_buf()));
    }
    Ok(())
}

/// Why the output folder cannot be replaced: a build deletes the previous output whole, so it
/// refuses any folder whose loss would destroy something else. Each message says what to do.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// The output is a file system root.
    #[error("refusing to use {} as the output folder", .0.display())]
    Root(PathBuf),
    /// The output folder holds the content or the site's own files (`--output .`).
    #[error("the output folder {} contains {}, which a build would delete; choose another output folder", target.display(), kept.display())]
    HoldsInput {
        /// The output folder.
        target: PathBuf,
        /// The folder inside it that must be kept.
        kept: PathBuf,
    },
    /// The output folder exists but cannot be listed.
    #[error("{}: {source}", path.display())]
    Unreadable {
        /// The output folder.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: std::io::Error,
    },
    /// The output folder is not empty and has no `index.html`.
    #[error("refusing to replace {}: it is not empty and has no index.html, so it does not look like a site built by archive; remove it or choose another output folder", .0.display())]
    NotASite(PathBuf),
    /// The output is a file.
    #[error("the output {} is a file, not a folder", .0.display())]
    IsAFile(PathBuf),
}

/// A temporary folder beside the final output, removed on drop unless [`Staging::commit`]
/// swapped it into place. Dropping on any error path is what keeps the previous output intact.
#[derive(Debug)]
pub struct Staging {
    temp: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates `.<name>.tmp-<pid>` in the output's parent folder (creating the parent if needed).
    /// A stale folder of the same name, left by a crashed build with the same pid, is removed,
    /// as are those of builds that are no longer running.
    pub fn create(target: &Path) -> Result<Staging, BuildError> {
        let temp = Staging::clear_place(target)?;
        std::fs::create_dir(&temp).map_err(BuildError::io_at(&temp))?;
        Ok(Staging {
            temp,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    /// Like [`Staging::create`], but the staging folder is `folder` (the build cache's spare
    /// generation, [`crate::cache`]), renamed into place, instead of an empty one: a rebuild then
    /// replaces the files that changed instead of linking every unchanged one again. Falls back
    /// to an empty folder (`adopted` false) when the rename fails.
    pub fn adopt(target: &Path, folder: &Path) -> Result<(Staging, bool), BuildError> {
        let temp = Staging::clear_place(target)?;
        let adopted = std::fs::rename(folder, &temp).is_ok();
        if !adopted {
            std::fs::create_dir(&temp).map_err(BuildError::io_at(&temp))?;
        }
        let staging = Staging {
            temp,
            target: target.to_path_buf(),
            committed: false,
        };
        Ok((staging, adopted))
    }

    /// The path of this build's staging folder, `.<name>.tmp-<pid>`, with nothing there: the
    /// output's parent created, what dead builds left beside it cleaned ([`clean_stale`]), a
    /// folder of the same name (a crashed build with this pid) removed.
    fn clear_place(target: &Path) -> Result<PathBuf, BuildError> {
        let (parent, name) = parent_and_name(target);
        std::fs::create_dir_all(&parent).map_err(BuildError::io_at(&parent))?;
        clean_stale(&parent, &name, target);
        let temp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if temp.exists() {
            std::fs::remove_dir_all(&temp).map_err(BuildError::io_at(&temp))?;
        }
        Ok(temp)
    }

    /// The temporary folder to write into.
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// Swaps the finished folder into place: the old output (if any) is renamed away, the new
    /// one renamed in, then the old one deleted. The two renames are the only moment the output
    /// path is missing; if the second fails, the old output is put back.
    ///
    /// Once the new site is in place the build has succeeded: an old output that cannot be
    /// deleted (a file system that refuses, a process limit) is not an error but the warning
    /// returned, naming the folder left behind, which the next build removes.
    pub fn commit(self) -> Result<Option<Problem>, BuildError> {
        match self.swap()? {
            Some(old) => Ok(remove_old(&old)),
            None => Ok(None),
        }
    }

    /// The swap of [`Staging::commit`] without the deletion: returns the previous output's
    /// folder (`.<name>.old-<pid>`), if there was one, for the build cache to keep as its spare
    /// generation; the caller deletes it ([`remove_old`]) when it cannot.
    pub fn swap(mut self) -> Result<Option<PathBuf>, BuildError> {
        let old = self.temp.with_file_name(
            self.temp
                .file_name()
                .unwrap()
                .to_string_lossy()
                .replace(".tmp-", ".old-"),
        );
        let had_old = self.target.exists();
        if had_old {
            if old.exists() {
                std::fs::remove_dir_all(&old).map_err(BuildError::io_at(&old))?;
            }
            std::fs::rename(&self.target, &old).map_err(BuildError::io_at(&self.target))?;
        }
        if let Err(e) = std::fs::rename(&self.temp, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(BuildError::io_at(&self.target)(e));
        }
        self.committed = true;
        Ok(had_old.then_some(old))
    }
}

/// Deletes the previous output once the new one is in place. Once the new site is in place the
/// build has succeeded: a folder that cannot be deleted is the warning returned, naming it (the
/// next build removes it).
pub fn remove_old(old: &Path) -> Option<Problem> {
    let e = remove_tree(old).err()?;
    Some(Problem::warning(
        old,
        None,
        format!(
            "the new site is in place, but its previous version could not be deleted ({e}); \
             the next build removes it, or delete the folder by hand"
        ),
    ))
}

/// The output folder's parent (`.` for a bare name) and its name: where the staging folder and
/// the build cache go beside it, and what they are named after.
pub(crate) fn parent_and_name(target: &Path) -> (PathBuf, String) {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".to_string());
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    (parent, name)
}

/// Removes what interrupted builds (Ctrl-C, a kill, a power cut) left beside the output:
/// `.<name>.tmp-<pid>` and `.<name>.old-<pid>` folders of processes that are no longer running.
/// If a build died between its two renames, the output is missing and its previous version is
/// the `.old-` folder: that is put back first. Best effort: a folder that cannot be removed is
/// left for the next build.
fn clean_stale(parent: &Path, name: &str, target: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let me = std::process::id();
    let mut stale: Vec<(PathBuf, bool)> = entries
        .flatten()
        .filter_map(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            let rest = file.strip_prefix('.')?.strip_prefix(name)?;
            let (old, pid) = match (rest.strip_prefix(".tmp-"), rest.strip_prefix(".old-")) {
                (Some(pid), _) => (false, pid),
                (_, Some(pid)) => (true, pid),
                _ => return None,
            };
            let pid: u32 = pid.parse().ok()?;
            (pid != me && !is_running(pid, &e.path())).then(|| (e.path(), old))
        })
        .collect();
    stale.sort();
    if !target.exists() {
        if let Some((old, _)) = stale.iter().find(|(_, old)| *old) {
            let _ = std::fs::rename(old, target);
        }
    }
    for (path, _) in stale {
        if path.exists() {
            let _ = remove_tree(&path);
        }
    }
}

/// Whether the build that owns a temporary folder may still be running. Where `/proc` lists
/// processes, that says; elsewhere a folder untouched for a day is taken as abandoned.
pub(crate) fn is_running(pid: u32, folder: &Path) -> bool {
    if Path::new("/proc/self").exists() {
        return Path::new(&format!("/proc/{pid}")).exists();
    }
    let day = std::time::Duration::from_secs(24 * 3600);
    std::fs::metadata(folder)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .map_or(true, |age| age < day)
}

/// Threads used to delete the previous output. Deleting is waiting on the disk, not computing:
/// on disks that discard freed blocks synchronously (many cloud volumes) each unlink can take
/// milliseconds, so many requests in flight make it several times faster than `rm -rf`.
const DELETE_THREADS: usize = 32;

/// Removes a folder and everything in it, deleting files from many threads at once (from the
/// calling thread alone when no threads can be started: under a tight process or memory limit
/// the deletion is slower, not refused).
pub fn remove_tree(root: &Path) -> std::io::Result<()> {
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_dir() {
            dirs.push(entry.into_path());
        } else {
            files.push(entry.into_path());
        }
    }
    remove_files(&files)?;
    // Deepest first, so each folder is empty when its turn comes.
    for dir in dirs.iter().rev() {
        std::fs::remove_dir(dir)?;
    }
    Ok(())
}

/// Deletes files from many threads at once ([`DELETE_THREADS`]), or from the calling thread
/// alone when no threads can be started.
pub fn remove_files(files: &[PathBuf]) -> std::io::Result<()> {
    use rayon::prelude::*;
    match rayon::ThreadPoolBuilder::new()
        .num_threads(DELETE_THREADS)
        .build()
    {
        Ok(pool) => pool.install(|| {
            files
                .par_iter()
                .with_max_len(16)
                .try_for_each(std::fs::remove_file)
        }),
        Err(_) => files.iter().try_for_each(std::fs::remove_file),
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_tree(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_leave_the_folder() {
        let out = Output::new(PathBuf::from("/tmp/x"));
        for bad in ["../a", "/etc/passwd", "a/../../b", "", "a//b", "a\\..\\b"] {
            assert!(out.path(bad).is_err(), "{bad}");
        }
        assert!(out.path("cable/2007/03/A.html").is_ok());
    }
}

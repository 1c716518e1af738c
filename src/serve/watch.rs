//! Noticing changes to a site's files by polling their size and modification time.
//!
//! Polling rather than OS notifications: it needs no dependency, behaves the same on every
//! platform and file system (network drives and USB sticks included), and stat'ing ten thousand
//! files a few times a second costs a few milliseconds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Size and modification time of every watched file.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Snapshot {
    files: BTreeMap<PathBuf, (u64, Option<SystemTime>)>,
}

/// What changed between two snapshots.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files that appeared, changed or disappeared, sorted.
    pub paths: Vec<PathBuf>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }
}

impl Snapshot {
    /// Looks at every file under each root (a root may be a single file or missing), skipping
    /// hidden files and folders as the build does.
    pub fn take(roots: &[PathBuf]) -> Snapshot {
        let mut files = BTreeMap::new();
        for root in roots {
            let walker = walkdir::WalkDir::new(root)
                .follow_links(true)
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                });
            for entry in walker.flatten() {
                if entry.file_type().is_file() {
                    if let Ok(meta) = entry.metadata() {
                        files.insert(entry.into_path(), (meta.len(), meta.modified().ok()));
                    }
                }
            }
        }
        Snapshot { files }
    }

    /// Files that differ between `self` (before) and `now`.
    pub fn changes(&self, now: &Snapshot) -> Changes {
        let mut paths: Vec<PathBuf> = now
            .files
            .iter()
            .filter(|(path, stamp)| self.files.get(*path) != Some(stamp))
            .map(|(path, _)| path.clone())
            .collect();
        paths.extend(
            self.files
                .keys()
                .filter(|path| !now.files.contains_key(*path))
                .cloned(),
        );
        paths.sort();
        Changes { paths }
    }

    /// A file's size and modification time, when it is in the snapshot.
    pub fn stamp(&self, path: &Path) -> Option<(u64, Option<SystemTime>)> {
        self.files.get(path).copied()
    }

    /// Whether a file is in the snapshot.
    pub fn contains(&self, path: &Path) -> bool {
        self.files.contains_key(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sees_new_changed_and_removed_files() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.txt");
        let b = dir.path().join("b.txt");
        std::fs::write(&a, "one").unwrap();
        std::fs::write(&b, "two").unwrap();
        std::fs::write(dir.path().join(".hidden"), "x").unwrap();
        let roots = [dir.path().to_path_buf()];
        let before = Snapshot::take(&roots);
        assert!(!before.contains(&dir.path().join(".hidden")));
        assert!(before.changes(&Snapshot::take(&roots)).is_empty());

        std::fs::write(&a, "one, longer").unwrap();
        std::fs::remove_file(&b).unwrap();
        let c = dir.path().join("c.txt");
        std::fs::write(&c, "three").unwrap();
        let changes = before.changes(&Snapshot::take(&roots));
        assert_eq!(changes.paths, vec![a, b, c]);
    }
}

//! Noticing changes to a site's files.
//!
//! [`Watcher`] asks the operating system to report changes (`notify`'s recommended watcher:
//! inotify, FSEvents, ReadDirectoryChangesW), so an idle `serve` costs nothing and a change is
//! seen at once, however many cables there are. When that watcher cannot be set up (a network
//! drive, a file system without notifications, too few inotify watches for the tree), it falls
//! back to `notify`'s polling watcher, which stats the tree every [`POLL`].
//!
//! The watcher only says *where* something happened. What changed is decided by [`Snapshot`]:
//! the size and modification time of every watched file at the last build, looked at again only
//! where an event pointed, so the rebuild sees the same [`Changes`] whichever watcher reported
//! them.

use notify::{PollWatcher, RecommendedWatcher, RecursiveMode, Watcher as _};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant, SystemTime};

/// How often the polling fallback looks at the files.
pub const POLL: Duration = Duration::from_millis(300);

/// A burst of events (an editor saving, a `git checkout`, a copy of many cables) is one rebuild:
/// the burst ends when no event came for this long…
const QUIET: Duration = Duration::from_millis(100);

/// …or, when events never stop, after this long, so the site does not wait forever.
const LONGEST_BURST: Duration = Duration::from_secs(2);

/// Size and modification time of every watched file.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Snapshot {
    files: BTreeMap<PathBuf, (u64, Option<SystemTime>)>,
}

/// What changed between two looks at the files.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files that appeared, changed or disappeared, sorted.
    pub paths: Vec<PathBuf>,
}

impl Changes {
    /// True when no file changed (an event that touched nothing the build reads).
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

    /// Looks again at `touched` only (files or folders, present or gone, each under one of
    /// `roots`), brings the snapshot up to date there and returns what changed. A path under no
    /// root, or hidden below its root, is none of the build's business and is passed over.
    pub fn refresh(&mut self, roots: &[PathBuf], touched: &[PathBuf]) -> Changes {
        let mut changed = BTreeSet::new();
        for path in touched {
            let Some(root) = roots.iter().find(|root| path.starts_with(root)) else {
                continue;
            };
            let hidden = path
                .strip_prefix(root)
                .into_iter()
                .flat_map(Path::components)
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
            if hidden {
                continue;
            }
            let now = Snapshot::take(std::slice::from_ref(path));
            let before: Vec<PathBuf> = self
                .files
                .range(path.clone()..)
                .take_while(|(known, _)| known.starts_with(path))
                .map(|(known, _)| known.clone())
                .collect();
            for gone in before.into_iter().filter(|p| !now.files.contains_key(p)) {
                self.files.remove(&gone);
                changed.insert(gone);
            }
            for (file, stamp) in now.files {
                if self.files.get(&file) != Some(&stamp) {
                    self.files.insert(file.clone(), stamp);
                    changed.insert(file);
                }
            }
        }
        Changes {
            paths: changed.into_iter().collect(),
        }
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

/// The OS's watcher, or the polling one when the OS's could not be set up.
enum Backend {
    Native(RecommendedWatcher),
    Poll(PollWatcher),
}

impl Backend {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Backend::Native(w) => w.watch(path, mode),
            Backend::Poll(w) => w.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) {
        let _ = match self {
            Backend::Native(w) => w.unwatch(path),
            Backend::Poll(w) => w.unwatch(path),
        };
    }
}

/// Reports where the watched files changed, a burst of changes at a time.
pub struct Watcher {
    backend: Backend,
    events: Receiver<notify::Result<notify::Event>>,
    /// Each root as the build names it (relative or not: the snapshot's and the cables' paths
    /// start the same way) and as an absolute path (how the watcher reports events).
    roots: Vec<(PathBuf, PathBuf)>,
    /// Root folders watched recursively now: one that appears later (a new `templates/`) is
    /// added, one that disappears dropped.
    watching: BTreeSet<PathBuf>,
}

impl Watcher {
    /// Watches `roots` (folders or files, present or not): each folder recursively, and the
    /// folder around each root, so that a root that appears or goes is seen too. The OS's
    /// watcher when it can be set up, else the polling one.
    pub fn new(roots: &[PathBuf]) -> Watcher {
        Watcher::start(roots, true).unwrap_or_else(|_| Watcher::polling(roots))
    }

    /// The polling watcher on `roots`.
    fn polling(roots: &[PathBuf]) -> Watcher {
        Watcher::start(roots, false).expect("the polling watcher needs no OS support")
    }

    fn start(roots: &[PathBuf], native: bool) -> notify::Result<Watcher> {
        let roots: Vec<(PathBuf, PathBuf)> = roots
            .iter()
            .map(|root| {
                let absolute = std::path::absolute(root).unwrap_or_else(|_| root.clone());
                (root.clone(), absolute)
            })
            .collect();
        let parents: BTreeSet<PathBuf> = roots
            .iter()
            .filter_map(|(_, absolute)| absolute.parent())
            .filter(|parent| parent.is_dir())
            .map(Path::to_path_buf)
            .collect();
        let (sender, events) = channel();
        let backend = if native {
            Backend::Native(RecommendedWatcher::new(sender, notify::Config::default())?)
        } else {
            let config = notify::Config::default().with_poll_interval(POLL);
            Backend::Poll(PollWatcher::new(sender, config)?)
        };
        let mut watcher = Watcher {
            backend,
            events,
            roots,
            watching: BTreeSet::new(),
        };
        for parent in &parents {
            watcher.backend.watch(parent, RecursiveMode::NonRecursive)?;
        }
        // Fails most often with more folders than the system's inotify watches allow.
        watcher.watch_roots()?;
        Ok(watcher)
    }

    /// Whether the polling fallback is in use.
    pub fn is_polling(&self) -> bool {
        matches!(self.backend, Backend::Poll(_))
    }

    /// The roots, as the build names them.
    pub fn roots(&self) -> Vec<PathBuf> {
        self.roots.iter().map(|(root, _)| root.clone()).collect()
    }

    /// Waits up to `wait` for the first event, then until the burst ends; returns every place
    /// an event named, as the build names it (empty when nothing happened). When the watcher
    /// lost events (its queue overflowed), the roots themselves, so that all is looked at.
    pub fn burst(&mut self, wait: Duration) -> Vec<PathBuf> {
        let mut touched = BTreeSet::new();
        let mut deadline = Instant::now() + wait;
        let mut burst_end = None;
        loop {
            let timeout = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(timeout) {
                Ok(event) => {
                    if !self.note(event, &mut touched) {
                        continue;
                    }
                    let end = *burst_end.get_or_insert_with(|| Instant::now() + LONGEST_BURST);
                    deadline = (Instant::now() + QUIET).min(end);
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
        }
        if !touched.is_empty() && self.watch_roots().is_err() {
            // A root folder appeared that the OS's watcher cannot take: poll from now on, and
            // look at everything once, since events may have been missed meanwhile.
            *self = Watcher::polling(&self.roots());
            touched.extend(self.roots());
        }
        touched.into_iter().collect()
    }

    /// Adds the places one event names to `touched`; false for an event that changes nothing
    /// (a file read: the build reads every cable), which does not prolong a burst.
    fn note(&self, event: notify::Result<notify::Event>, touched: &mut BTreeSet<PathBuf>) -> bool {
        match event {
            Ok(event) if matches!(event.kind, notify::EventKind::Access(_)) => false,
            Ok(event) if !event.need_rescan() => {
                touched.extend(event.paths.iter().filter_map(|p| self.as_named(p)));
                true
            }
            _ => {
                touched.extend(self.roots());
                true
            }
        }
    }

    /// An event's path as the build names it: under the same root, spelt the same way.
    fn as_named(&self, path: &Path) -> Option<PathBuf> {
        self.roots.iter().find_map(|(root, absolute)| {
            let rest = path.strip_prefix(absolute).ok()?;
            Some(if rest.as_os_str().is_empty() {
                root.clone()
            } else {
                root.join(rest)
            })
        })
    }

    /// Watches every root folder that exists and is not watched yet; forgets those that are
    /// gone. Root files are seen through the folder around them.
    fn watch_roots(&mut self) -> notify::Result<()> {
        for (_, absolute) in &self.roots {
            let present = absolute.is_dir();
            let watched = self.watching.contains(absolute);
            if present && !watched {
                self.backend.watch(absolute, RecursiveMode::Recursive)?;
                self.watching.insert(absolute.clone());
            } else if !present && watched {
                self.backend.unwatch(absolute);
                self.watching.remove(absolute);
            }
        }
        Ok(())
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
        assert!(before.clone().refresh(&roots, &roots).is_empty());

        std::fs::write(&a, "one, longer").unwrap();
        std::fs::remove_file(&b).unwrap();
        let c = dir.path().join("c.txt");
        std::fs::write(&c, "three").unwrap();
        let changes = before.clone().refresh(&roots, &roots);
        assert_eq!(changes.paths, vec![a.clone(), b.clone(), c.clone()]);

        // Looking again only where something happened finds the same, and leaves the
        // snapshot as a full look would.
        let mut refreshed = before.clone();
        let touched = [a.clone(), b.clone(), c.clone(), dir.path().join(".hidden")];
        assert_eq!(refreshed.refresh(&roots, &touched).paths, vec![a, b, c]);
        assert_eq!(refreshed, Snapshot::take(&roots));
        // A folder that went away: everything under it.
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(sub.join("d.txt"), "four").unwrap();
        let mut snapshot = Snapshot::take(&roots);
        std::fs::remove_dir_all(&sub).unwrap();
        assert_eq!(
            snapshot.refresh(&roots, std::slice::from_ref(&sub)).paths,
            vec![sub.join("d.txt")]
        );
    }

    /// A burst of writes under a watched folder, and a root that appears, as either watcher
    /// reports them.
    fn reports_a_burst(native: bool) {
        let dir = tempfile::tempdir().unwrap();
        let cables = dir.path().join("cables");
        std::fs::create_dir(&cables).unwrap();
        let templates = dir.path().join("templates");
        let roots = [cables.clone(), templates.clone()];
        let mut watcher = Watcher::start(&roots, native).unwrap();
        assert_eq!(watcher.is_polling(), !native);
        assert!(watcher.burst(Duration::from_millis(50)).is_empty());

        let mut snapshot = Snapshot::take(&roots);
        for n in 0..5 {
            std::fs::write(cables.join(format!("{n}.txt")), "a cable").unwrap();
        }
        std::fs::create_dir(&templates).unwrap();
        std::fs::write(templates.join("base.html"), "<p>").unwrap();
        let mut changes = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(10);
        while changes.len() < 6 && Instant::now() < deadline {
            let touched = watcher.burst(Duration::from_secs(2));
            changes.extend(snapshot.refresh(&roots, &touched).paths);
        }
        changes.sort();
        let mut expected: Vec<PathBuf> = (0..5).map(|n| cables.join(format!("{n}.txt"))).collect();
        expected.push(templates.join("base.html"));
        assert_eq!(changes, expected);
    }

    #[test]
    fn the_native_watcher_reports_a_burst() {
        reports_a_burst(true);
    }

    #[test]
    fn the_polling_watcher_reports_a_burst() {
        reports_a_burst(false);
    }
}

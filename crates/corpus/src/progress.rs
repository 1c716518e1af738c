//! Progress of long work (reading and rendering a quarter of a million cables), for people
//! watching a terminal and for logs.
//!
//! Three modes, chosen once from how the program was started:
//! - a terminal: one line redrawn in place, `render  123456/251287  49%  8213/s`;
//! - not a terminal (CI logs, pipes): a plain line every 10 % so logs stay short;
//! - `--quiet`: nothing.
//!
//! Counting is a relaxed atomic add, cheap enough to call once per cable from rayon workers;
//! drawing happens on whichever worker crosses the next drawing moment, never more than ten times
//! a second. Nothing is shown before the work has run for [`QUIET_START`]: a small archive builds
//! in a blink and needs no progress report.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// How long work runs before its progress is shown.
pub const QUIET_START: std::time::Duration = std::time::Duration::from_secs(1);

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Redraw one line on standard error.
    Bar,
    /// A line now and then, for logs.
    Lines,
    /// Nothing.
    Silent,
}

impl Mode {
    /// `Bar` when standard error is a terminal, `Lines` otherwise, `Silent` when quiet.
    pub fn detect(quiet: bool) -> Mode {
        if quiet {
            Mode::Silent
        } else if std::io::stderr().is_terminal() {
            Mode::Bar
        } else {
            Mode::Lines
        }
    }
}

/// A counter of done items out of a known total.
pub struct Progress {
    label: &'static str,
    total: usize,
    mode: Mode,
    done: AtomicUsize,
    start: Instant,
    /// Milliseconds since `start` at which the next redraw is due (bar mode).
    next_draw_ms: AtomicU64,
    /// Next tenth of the total to report (lines mode).
    next_tenth: AtomicUsize,
    draw: Mutex<()>,
}

impl Progress {
    /// Starts counting `total` items of work called `label`.
    pub fn new(label: &'static str, total: usize, mode: Mode) -> Progress {
        Progress {
            label,
            total,
            mode,
            done: AtomicUsize::new(0),
            start: Instant::now(),
            next_draw_ms: AtomicU64::new(QUIET_START.as_millis() as u64),
            next_tenth: AtomicUsize::new(1),
            draw: Mutex::new(()),
        }
    }

    /// Counts one item done.
    pub fn inc(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        match self.mode {
            Mode::Silent => {}
            Mode::Bar => {
                let now_ms = self.start.elapsed().as_millis() as u64;
                let due = self.next_draw_ms.load(Ordering::Relaxed);
                if now_ms >= due
                    && self
                        .next_draw_ms
                        .compare_exchange(due, now_ms + 100, Ordering::Relaxed, Ordering::Relaxed)
                        .is_ok()
                {
                    self.draw_bar(done);
                }
            }
            Mode::Lines => {
                let tenth = self.next_tenth.load(Ordering::Relaxed);
                if tenth < 10
                    && self.start.elapsed() >= QUIET_START
                    && done * 10 >= self.total * tenth
                    && self
                        .next_tenth
                        .compare_exchange(tenth, tenth + 1, Ordering::Relaxed, Ordering::Relaxed)
                        .is_ok()
                {
                    let _guard = self.draw.lock();
                    eprintln!("{}", self.status(done));
                }
            }
        }
    }

    /// Ends the display: clears the bar line so the next message starts clean.
    pub fn finish(&self) {
        if self.mode == Mode::Bar && self.start.elapsed() >= QUIET_START {
            let _guard = self.draw.lock();
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }

    fn draw_bar(&self, done: usize) {
        let _guard = self.draw.lock();
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{}", self.status(done));
        let _ = err.flush();
    }

    /// `render  123456/251287  49%  8213/s`
    fn status(&self, done: usize) -> String {
        let secs = self.start.elapsed().as_secs_f64().max(1e-3);
        let percent = (done * 100).checked_div(self.total).unwrap_or(100);
        format!(
            "{:<8} {done}/{}  {percent}%  {:.0}/s",
            self.label,
            self.total,
            done as f64 / secs
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_from_many_threads() {
        let progress = Progress::new("test", 10_000, Mode::Silent);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| (0..2_500).for_each(|_| progress.inc()));
            }
        });
        assert_eq!(progress.done.load(Ordering::Relaxed), 10_000);
        assert!(progress.status(10_000).contains("10000/10000  100%"));
    }
}

//! This process's CPU time and resident memory, read from `/proc` (Linux; 0 elsewhere). The
//! search phase's timings (`ARCHIVE_SEARCH_TIMES`) report CPU time, which says more than wall
//! time on a machine shared with other work; `examples/mem_probe.rs` reports resident memory.

/// CPU seconds used by this process so far (Linux; 0 elsewhere).
pub fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses and may contain spaces).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name; 100 ticks/s.
    (ticks(11) + ticks(12)) / 100.0
}

/// Seconds the calling thread has spent on a CPU (Linux `/proc/thread-self/schedstat`, in
/// nanoseconds), `None` where it cannot be read. The fair figure for a single-threaded timing
/// loop on a machine shared with other work: other processes' turns do not count.
pub fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// Resident memory of this process in MB (Linux; 0 elsewhere).
pub fn resident_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

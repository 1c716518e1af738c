//! `archive serve` under load and abuse, on loopback only: the real binary serving the seeds,
//! while this test holds 1,000 idle connections (half of them sent half a request head and
//! stopped) and fires 200 requests at once. A reader's page must still answer in under a second,
//! every request gets a whole response, and the idle connections are closed by the server after
//! its head timeout. Bounded: 1,200 connections, one run, every socket with a read timeout; the
//! server is killed when the test ends, whatever happens.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

const IDLE: usize = 1_000;
const CONCURRENT: usize = 200;
const PAGE: &str = "/cable/2007/03/07PARIS1115.html";

struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The seeds in a temporary site, served by `archive serve --port 0`; returns the port.
fn serve_seeds(dir: &Path) -> (Served, u16) {
    let cables = dir.join("content/cables");
    std::fs::create_dir_all(&cables).unwrap();
    for entry in
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("content/cables")).unwrap()
    {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), cables.join(entry.file_name())).unwrap();
    }
    std::fs::write(dir.join("site.toml"), "title = \"Under load\"\n").unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_archive"))
        .args(["serve", "--port", "0"])
        .current_dir(dir)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let served = Served(child);
    let mut lines = BufReader::new(stderr).lines();
    let port = loop {
        let line = lines.next().expect("serve prints its address").unwrap();
        if let Some(rest) = line.strip_prefix("serving on http://127.0.0.1:") {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (served, port)
}

/// One GET on a new connection: status, body length and the time to the whole response.
fn timed_get(port: u16, path: &str) -> (u16, usize, Duration) {
    let started = Instant::now();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("a whole response");
    let took = started.elapsed();
    let text = String::from_utf8_lossy(&response);
    let status = text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map_or(0, |(_, b)| b.len());
    (status, body, took)
}

/// Raises this process's open-file limit (the server inherits it) so 1,200 sockets fit.
fn allow_open_files(n: u64) {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit with a valid pointer to a local rlimit.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0);
        if limit.rlim_cur < n {
            limit.rlim_cur = n.min(limit.rlim_max);
            assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &limit), 0);
        }
    }
}

/// The number of threads of process `pid`, from `/proc/PID/status`.
fn server_threads(pid: u32) -> usize {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a Threads: line")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[test]
fn serve_answers_under_1000_idle_connections_and_200_concurrent_requests() {
    allow_open_files(4096);
    let dir = tempfile::tempdir().unwrap();
    let (served, port) = serve_seeds(dir.path());
    let (status, page_len, quiet) = timed_get(port, PAGE);
    assert_eq!(status, 200);

    // 1,000 connections that send nothing, or half a request head, and wait.
    let started = Instant::now();
    let mut idle = Vec::with_capacity(IDLE);
    for i in 0..IDLE {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("an idle connection");
        if i % 2 == 1 {
            stream
                .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
                .unwrap();
        }
        idle.push((stream, Instant::now()));
    }
    let opening = started.elapsed();

    // A bounded pool, not a thread per connection: the server's threads, with 1,000 open.
    std::thread::sleep(Duration::from_millis(200));
    let server_threads = server_threads(served.0.id());
    assert!(
        server_threads <= 32,
        "the server runs {server_threads} threads with {IDLE} connections open"
    );

    // 200 requests at once, while those are held open.
    let barrier = Arc::new(Barrier::new(CONCURRENT));
    let threads: Vec<_> = (0..CONCURRENT)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                timed_get(port, PAGE)
            })
        })
        .collect();
    let mut answers: Vec<(u16, usize, Duration)> =
        threads.into_iter().map(|t| t.join().unwrap()).collect();
    answers.sort_by_key(|a| a.2);
    let statuses = |code| answers.iter().filter(|a| a.0 == code).count();
    assert!(
        answers.iter().all(|a| a.0 == 200 || a.0 == 503),
        "each request is answered or refused cleanly: {:?}",
        answers.iter().map(|a| a.0).collect::<Vec<_>>()
    );
    assert_eq!(
        statuses(200),
        CONCURRENT,
        "200 requests fit the queue: none is refused"
    );
    assert!(
        answers.iter().all(|a| a.1 == page_len),
        "every response is the whole page"
    );

    // A reader's page, with the idle connections still open.
    let (status, len, loaded) = timed_get(port, PAGE);
    assert_eq!((status, len), (200, page_len));
    let (status, _, home) = timed_get(port, "/");
    assert_eq!(status, 200);
    println!(
        "serve under load: {server_threads} server threads; quiet {:.1} ms; {CONCURRENT} concurrent (with {IDLE} idle open): median {:.1} ms, slowest {:.1} ms; then a page {:.1} ms, the home page {:.1} ms",
        ms(quiet),
        ms(answers[CONCURRENT / 2].2),
        ms(answers[CONCURRENT - 1].2),
        ms(loaded),
        ms(home)
    );
    assert!(
        loaded < Duration::from_secs(1) && home < Duration::from_secs(1),
        "a page answers within a second under load: {loaded:?}, {home:?}"
    );
    assert!(
        answers[CONCURRENT - 1].2 < Duration::from_secs(5),
        "no request waits behind the idle connections"
    );

    // The server closes the idle connections after its head timeout (5 s), with a 408 for those
    // that said nothing useful, rather than keep them forever.
    let mut longest = Duration::ZERO;
    for (stream, opened) in idle.iter_mut().step_by(97) {
        stream
            .set_read_timeout(Some(Duration::from_secs(15)))
            .unwrap();
        let mut got = Vec::new();
        stream
            .read_to_end(&mut got)
            .expect("the server closes an idle connection before 15 s");
        let open_for = opened.elapsed();
        let got = String::from_utf8_lossy(&got);
        assert!(
            got.is_empty() || got.starts_with("HTTP/1.1 408 "),
            "an idle connection is closed with a 408: {got}"
        );
        assert!(
            open_for >= Duration::from_secs(4) && open_for < Duration::from_secs(8),
            "an idle connection is closed about 5 s after it opened, not after {open_for:?}"
        );
        longest = longest.max(open_for);
    }
    println!(
        "opening {IDLE} idle connections took {:.0} ms; the server closed them after at most {:.2} s",
        ms(opening),
        longest.as_secs_f64()
    );
    drop(idle);
    let (status, _, _) = timed_get(port, PAGE);
    assert_eq!(status, 200, "and the server goes on serving");
    drop(served);
}

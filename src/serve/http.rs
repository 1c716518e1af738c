//! A small HTTP/1.1 server for the built site on 127.0.0.1: GET and HEAD of files under one
//! folder, nothing else.
//!
//! Hand-written on `std::net` rather than a framework: it serves a folder to one person on their
//! own machine, and a dependency tree for that would outweigh the whole program. It binds the
//! loopback address only and refuses any path that leaves the folder.
//!
//! Under load or abuse (a browser's dozen connections, a script's thousand idle ones, a client
//! that sends one byte a second) it stays answering with a fixed number of threads:
//!
//! - **Reception** (one thread): accepts connections and reads their request heads without
//!   blocking, so an idle connection costs a slot in a list, not a thread. A connection whose
//!   head has not arrived within [`HEAD_TIMEOUT`] of its accept is closed (`408`). At most
//!   [`MAX_PENDING`] connections wait for their heads; when one more arrives, the one that has
//!   waited longest is closed, since the newest is the likeliest to be a reader's browser.
//! - **Workers** ([`WORKERS`] threads): answer complete requests from a bounded queue of
//!   [`QUEUE`]; when it is full, the request is refused at once with `503` and `Retry-After`.
//!   Writes time out after [`WRITE_TIMEOUT`], so a client that stops reading frees its worker.
//!
//! Live reload: every HTML page it serves gets one extra `<script src="/__archive/reload.js">`
//! (an external script, so the site's Content-Security-Policy still holds). The script polls
//! `/__archive/version` and reloads the page when the number changes after a rebuild.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Threads that answer complete requests. Files are small and local, so a few keep up with a
/// browser; more would only compete with the rebuilds for the cores.
pub const WORKERS: usize = 8;
/// Complete requests waiting for a worker; one more is refused with `503`.
pub const QUEUE: usize = 256;
/// Connections whose request head is still arriving; one more closes the oldest.
pub const MAX_PENDING: usize = 2048;
/// How long a connection may take, from its accept, to send its request head (idle or slow
/// clients are closed after it).
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a worker waits for a client to take the response's bytes.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// A request head longer than this is not from a browser (`431`).
const MAX_HEAD: usize = 16 * 1024;
/// The reception thread's pause when a sweep over waiting connections found nothing to do.
const IDLE_SWEEP: Duration = Duration::from_millis(2);

/// Where the live-reload script is served; no site file can have this name.
const RELOAD_SCRIPT: &str = "/__archive/reload.js";
/// The current build number, as text.
const VERSION_PATH: &str = "/__archive/version";

const RELOAD_JS: &str = r#"(function () {
  "use strict";
  var seen = null;
  function poll() {
    fetch("/__archive/version", { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (v) {
        if (seen !== null && v !== seen) { location.reload(); return; }
        seen = v;
        setTimeout(poll, 500);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
"#;

/// The server's shared state: the folder it serves and the build number.
pub struct Server {
    root: PathBuf,
    version: AtomicU64,
}

impl Server {
    /// A server for the files under `root`.
    pub fn new(root: PathBuf) -> Arc<Server> {
        Arc::new(Server {
            root,
            version: AtomicU64::new(1),
        })
    }

    /// Tells open pages to reload.
    pub fn bump(&self) {
        self.version.fetch_add(1, Ordering::SeqCst);
    }

    /// The build number pages compare against.
    pub fn version(&self) -> u64 {
        self.version.load(Ordering::SeqCst)
    }

    /// Binds 127.0.0.1:`port` (0 picks a free port) and serves on background threads (one
    /// reception thread and [`WORKERS`] workers). Returns the address actually bound.
    pub fn start(self: &Arc<Server>, port: u16) -> std::io::Result<SocketAddr> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let address = listener.local_addr()?;
        let (queue, requests) = sync_channel::<(TcpStream, Vec<u8>)>(QUEUE);
        let requests = Arc::new(Mutex::new(requests));
        for _ in 0..WORKERS {
            let server = Arc::clone(self);
            let requests = Arc::clone(&requests);
            std::thread::spawn(move || server.work(&requests));
        }
        std::thread::spawn(move || receive(listener, queue));
        Ok(address)
    }

    /// A worker: answers requests from the queue until the reception thread is gone.
    fn work(&self, requests: &Mutex<Receiver<(TcpStream, Vec<u8>)>>) {
        loop {
            let next = requests.lock().map(|r| r.recv());
            let Ok(Ok((stream, head))) = next else { return };
            let _ = self.answer(stream, &head);
        }
    }

    fn answer(&self, mut stream: TcpStream, head: &[u8]) -> std::io::Result<()> {
        stream.set_nonblocking(false)?;
        stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
        // Headers are ignored: we keep no connection state.
        let request_line = head.split(|&b| b == b'\n').next().unwrap_or(b"");
        let request_line = String::from_utf8_lossy(request_line);
        let mut parts = request_line.split_whitespace();
        let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
        let head_only = method == "HEAD";
        if method != "GET" && !head_only {
            return respond(
                &mut stream,
                405,
                "text/plain",
                b"only GET and HEAD\n",
                head_only,
            );
        }
        let path = target.split(['?', '#']).next().unwrap_or("/");
        if path == RELOAD_SCRIPT {
            return respond(
                &mut stream,
                200,
                "text/javascript",
                RELOAD_JS.as_bytes(),
                head_only,
            );
        }
        if path == VERSION_PATH {
            let v = self.version().to_string();
            return respond(&mut stream, 200, "text/plain", v.as_bytes(), head_only);
        }
        match self.file_for(path) {
            Some(file) => match std::fs::read(&file) {
                Ok(bytes) => {
                    let kind = content_type(&file);
                    if kind.starts_with("text/html") {
                        let html = with_reload_script(&bytes);
                        respond(&mut stream, 200, kind, &html, head_only)
                    } else {
                        respond(&mut stream, 200, kind, &bytes, head_only)
                    }
                }
                Err(_) => self.not_found(&mut stream, head_only),
            },
            None => self.not_found(&mut stream, head_only),
        }
    }

    fn not_found(&self, stream: &mut TcpStream, head_only: bool) -> std::io::Result<()> {
        match std::fs::read(self.root.join("404.html")) {
            Ok(bytes) => respond(stream, 404, "text/html; charset=utf-8", &bytes, head_only),
            Err(_) => respond(stream, 404, "text/plain", b"not found\n", head_only),
        }
    }

    /// The file a URL path names, or `None` when it would leave the folder or does not exist.
    /// `/` and folder paths give their `index.html`.
    fn file_for(&self, url_path: &str) -> Option<PathBuf> {
        let decoded = percent_decode(url_path)?;
        let relative = Path::new(decoded.trim_start_matches('/'));
        if relative
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
        {
            return None;
        }
        let mut file = self.root.join(relative);
        if file.is_dir() {
            file = file.join("index.html");
        }
        file.is_file().then_some(file)
    }
}

/// A connection whose request head is still arriving.
struct Pending {
    stream: TcpStream,
    head: Vec<u8>,
    since: Instant,
}

/// What one read of a waiting connection gave.
enum Progress {
    /// Nothing yet; keep waiting.
    Waiting,
    /// Some bytes, not yet the whole head.
    Partial,
    /// The whole head: hand it to a worker.
    Complete,
    /// Closed by the client, or an error: forget it.
    Gone,
    /// A head longer than [`MAX_HEAD`].
    TooLong,
}

impl Pending {
    fn read(&mut self) -> Progress {
        let mut buf = [0u8; 4096];
        match self.stream.read(&mut buf) {
            Ok(0) => Progress::Gone,
            Ok(n) => {
                // Look for the blank line from a little before the new bytes on.
                let from = self.head.len().saturating_sub(3);
                self.head.extend_from_slice(&buf[..n]);
                let tail = &self.head[from..];
                if tail.windows(4).any(|w| w == b"\r\n\r\n")
                    || tail.windows(2).any(|w| w == b"\n\n")
                {
                    Progress::Complete
                } else if self.head.len() > MAX_HEAD {
                    Progress::TooLong
                } else {
                    Progress::Partial
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => Progress::Waiting,
            Err(e) if e.kind() == ErrorKind::Interrupted => Progress::Waiting,
            Err(_) => Progress::Gone,
        }
    }
}

/// The reception thread: accepts connections, gathers their request heads without blocking and
/// queues complete ones for the workers (see the module's doc for the limits).
fn receive(listener: TcpListener, queue: SyncSender<(TcpStream, Vec<u8>)>) {
    let mut pending: Vec<Pending> = Vec::new();
    let mut listener_blocks = None;
    loop {
        // With nothing to watch, wait in accept() and cost nothing.
        let idle = pending.is_empty();
        if listener_blocks != Some(idle) {
            if listener.set_nonblocking(!idle).is_err() {
                return;
            }
            listener_blocks = Some(idle);
        }
        let mut busy = accept_ready(&listener, &mut pending, idle);
        let now = Instant::now();
        // One pass over the waiting connections. New ones are accepted every 64 reads too, so
        // the kernel's accept queue never fills while many connections wait.
        let mut i = 0;
        while i < pending.len() {
            if i % 64 == 63 && !idle {
                busy |= accept_ready(&listener, &mut pending, false);
            }
            let progress = pending[i].read();
            if !matches!(progress, Progress::Waiting) {
                busy = true;
            }
            match progress {
                Progress::Waiting | Progress::Partial => {
                    if now.duration_since(pending[i].since) > HEAD_TIMEOUT {
                        refuse(&mut pending.swap_remove(i).stream, 408);
                    } else {
                        i += 1;
                    }
                }
                Progress::Gone => {
                    pending.swap_remove(i);
                }
                Progress::TooLong => refuse(&mut pending.swap_remove(i).stream, 431),
                Progress::Complete => {
                    let done = pending.swap_remove(i);
                    match queue.try_send((done.stream, done.head)) {
                        Ok(()) => {}
                        Err(TrySendError::Full((mut stream, _))) => refuse(&mut stream, 503),
                        Err(TrySendError::Disconnected(_)) => return,
                    }
                }
            }
        }
        if !busy && !pending.is_empty() {
            std::thread::sleep(IDLE_SWEEP);
        }
    }
}

/// Accepts the connections that are ready (only one when the listener `blocks`, which then
/// waits for it) into `pending`, closing the oldest waiting one when it is full. True when any
/// was accepted.
fn accept_ready(listener: &TcpListener, pending: &mut Vec<Pending>, blocks: bool) -> bool {
    let mut accepted = false;
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                accepted = true;
                if stream.set_nonblocking(true).is_err() {
                    continue;
                }
                let _ = stream.set_nodelay(true);
                if pending.len() >= MAX_PENDING {
                    close_oldest(pending);
                }
                pending.push(Pending {
                    stream,
                    head: Vec::new(),
                    since: Instant::now(),
                });
                if blocks {
                    return true;
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => return accepted,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => {
                // Out of file descriptors (or another passing error): make room and go on.
                close_oldest(pending);
                std::thread::sleep(IDLE_SWEEP);
                return accepted;
            }
        }
    }
}

/// Closes, with a `408`, the connection that has waited longest for its head.
fn close_oldest(pending: &mut Vec<Pending>) {
    if let Some(oldest) = (0..pending.len()).min_by_key(|&i| pending[i].since) {
        refuse(&mut pending.swap_remove(oldest).stream, 408);
    }
}

/// A short error response, written without waiting (the socket is non-blocking; a client that
/// cannot take a few hundred bytes gets nothing), then the connection is closed.
fn refuse(stream: &mut TcpStream, status: u16) {
    let body = match status {
        503 => "busy: try again in a second\n",
        408 => "the request took too long to arrive\n",
        _ => "request head too long\n",
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status} {}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n{body}",
        reason(status),
        body.len()
    );
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

fn respond(
    stream: &mut TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        reason(status),
        body.len()
    )?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

/// The page with the live-reload script before `</body>` (or at the end).
fn with_reload_script(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{RELOAD_SCRIPT}\"></script>\n");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        _ => "application/octet-stream",
    }
}

/// `%2F`-style escapes undone; `None` for malformed escapes or a NUL.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    if out.contains(&0) {
        return None;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_never_leave_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<html><body>x</body></html>").unwrap();
        let server = Server::new(dir.path().to_path_buf());
        assert!(server.file_for("/").is_some());
        assert!(server.file_for("/index.html").is_some());
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/../../x",
            "/%00",
            "/%zz",
        ] {
            assert!(server.file_for(bad).is_none(), "{bad}");
        }
    }

    /// A server on a free loopback port for a folder with `index.html` and a 64 MB `big.bin` (more than loopback buffers hold: 32 MB to receive, 4 MB to send, at most).
    fn serving() -> (tempfile::TempDir, SocketAddr) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<html><body>x</body></html>").unwrap();
        std::fs::write(dir.path().join("big.bin"), vec![7u8; 64 << 20]).unwrap();
        let address = Server::new(dir.path().to_path_buf()).start(0).unwrap();
        (dir, address)
    }

    fn connect(address: SocketAddr) -> TcpStream {
        let stream = TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        stream
    }

    /// The status of the response on `stream`, read to its end.
    fn status(mut stream: TcpStream) -> u16 {
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let text = String::from_utf8_lossy(&response);
        text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0)
    }

    #[test]
    fn a_head_in_pieces_is_answered_and_an_endless_one_refused() {
        let (_dir, address) = serving();
        let mut slow = connect(address);
        for piece in ["GET /index", ".html HTTP/1.1\r\n", "Host: x\r\n", "\r\n"] {
            slow.write_all(piece.as_bytes()).unwrap();
            std::thread::sleep(Duration::from_millis(30));
        }
        assert_eq!(status(slow), 200);
        let mut endless = connect(address);
        let line = format!("X-Filler: {}\r\n", "a".repeat(1000));
        for _ in 0..(MAX_HEAD / line.len() + 2) {
            if endless.write_all(line.as_bytes()).is_err() {
                break; // closed by the server: the status was sent first
            }
        }
        assert_eq!(status(endless), 431);
    }

    #[test]
    fn when_every_worker_is_busy_and_the_queue_full_a_request_gets_503_at_once() {
        let (_dir, address) = serving();
        // Clients that ask for 64 MB and read none of it: each holds a worker in its write.
        let stuck: Vec<TcpStream> = (0..WORKERS)
            .map(|_| {
                let mut s = connect(address);
                s.write_all(b"GET /big.bin HTTP/1.1\r\n\r\n").unwrap();
                s
            })
            .collect();
        std::thread::sleep(Duration::from_millis(500));
        // The queue fills with complete requests no worker can take yet.
        let queued: Vec<TcpStream> = (0..QUEUE)
            .map(|_| {
                let mut s = connect(address);
                s.write_all(b"GET /index.html HTTP/1.1\r\n\r\n").unwrap();
                s
            })
            .collect();
        std::thread::sleep(Duration::from_millis(500));
        let started = Instant::now();
        let mut one_more = connect(address);
        one_more
            .write_all(b"GET /index.html HTTP/1.1\r\n\r\n")
            .unwrap();
        assert_eq!(status(one_more), 503, "refused cleanly, with a status");
        assert!(started.elapsed() < Duration::from_secs(2), "and at once");
        // Once the stuck clients go, the queued requests are answered.
        drop(stuck);
        for s in queued {
            assert_eq!(status(s), 200);
        }
    }

    #[test]
    fn reload_script_goes_before_the_body_end() {
        let html = with_reload_script(b"<html><body><p>x</p></body></html>");
        let html = String::from_utf8(html).unwrap();
        assert!(html.ends_with("<script src=\"/__archive/reload.js\"></script>\n</body></html>"));
    }
}

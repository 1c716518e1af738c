//! A small HTTP/1.1 server for the built site on 127.0.0.1: GET and HEAD of files under one
//! folder, nothing else.
//!
//! Hand-written on `std::net` rather than a framework: it serves a folder to one person on their
//! own machine, and a dependency tree for that would outweigh the whole program. It binds the
//! loopback address only, refuses any path that leaves the folder, and answers each connection on
//! its own thread (a browser opens a handful).
//!
//! Live reload: every HTML page it serves gets one extra `<script src="/__archive/reload.js">`
//! (an external script, so the site's Content-Security-Policy still holds). The script polls
//! `/__archive/version` and reloads the page when the number changes after a rebuild.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

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

    /// Binds 127.0.0.1:`port` (0 picks a free port) and serves on a background thread.
    /// Returns the address actually bound.
    pub fn start(self: &Arc<Server>, port: u16) -> std::io::Result<SocketAddr> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let address = listener.local_addr()?;
        let server = Arc::clone(self);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let server = Arc::clone(&server);
                std::thread::spawn(move || {
                    let _ = server.answer(stream);
                });
            }
        });
        Ok(address)
    }

    fn answer(&self, mut stream: TcpStream) -> std::io::Result<()> {
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        let mut reader = BufReader::new(stream.try_clone()?);
        let mut request_line = String::new();
        // A request line longer than this is not from a browser.
        reader.by_ref().take(8192).read_line(&mut request_line)?;
        // Headers are read and ignored: we keep no connection state.
        loop {
            let mut line = String::new();
            let n = reader.by_ref().take(8192).read_line(&mut line)?;
            if n == 0 || line == "\r\n" || line == "\n" {
                break;
            }
        }
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

fn respond(
    stream: &mut TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
    head_only: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
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

    #[test]
    fn reload_script_goes_before_the_body_end() {
        let html = with_reload_script(b"<html><body><p>x</p></body></html>");
        let html = String::from_utf8(html).unwrap();
        assert!(html.ends_with("<script src=\"/__archive/reload.js\"></script>\n</body></html>"));
    }
}

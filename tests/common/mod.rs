//! `lotse serve` as a child process, for the integration tests that need a real socket and
//! real signals. Each test file that uses it says `mod common;`; not every file uses every
//! helper.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running server; killed when dropped.
pub struct Server {
    pub child: Child,
    pub addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `lotse serve --bind 127.0.0.1:0 ARGS`, its log (stderr) discarded.
pub fn serve(args: &[&str]) -> Server {
    spawn(args, Stdio::null())
}

/// `lotse serve --bind 127.0.0.1:0 ARGS` with its log (stderr) written to `log`.
pub fn serve_logging_to(args: &[&str], log: &Path) -> Server {
    spawn(args, std::fs::File::create(log).unwrap().into())
}

fn spawn(args: &[&str], stderr: Stdio) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lotse"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args(args)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("lotse serve starts");
    // "lotse is serving on http://127.0.0.1:PORT/ …"
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    Server { child, addr }
}

/// One request with a JSON body on a fresh connection: status and body.
pub fn request(addr: SocketAddr, method: &str, path: &str, body: &str) -> (u16, String) {
    let (status, _head, body) = exchange(addr, method, path, "application/json", body);
    (status, body)
}

/// One request on a fresh connection with the given content type: status, head (lower case)
/// and body. A connection the server cuts yields what arrived (status 0 if nothing did).
pub fn exchange(
    addr: SocketAddr,
    method: &str,
    path: &str,
    content_type: &str,
    body: &str,
) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let out = String::from_utf8_lossy(&out).to_string();
    let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_ascii_lowercase(), body.to_string())
}

/// The input hash of the atlas the server is serving, from `/healthz`.
pub fn health_hash(addr: SocketAddr) -> String {
    let (status, body) = request(addr, "GET", "/healthz", "");
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    v["atlas_input_hash"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Sends SIGHUP: reload the atlas file.
pub fn hangup(srv: &Server) {
    let ok = Command::new("kill")
        .args(["-HUP", &srv.child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
}

/// Replaces `path` as `lotse ingest --out` does: write beside, then rename.
pub fn replace(path: &Path, contents: &str) {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, contents).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

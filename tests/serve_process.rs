//! `lotse serve` as a real process on a real socket (issue 7): slow clients are cut without
//! holding a worker, a slow body runs into the request timeout, and SIGHUP swaps in a new atlas
//! only when it is complete and valid.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running server; killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lotse"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args(args)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
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

/// One request on a fresh connection: status and body.
fn request(addr: SocketAddr, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = out.split("\r\n\r\n").nth(1).unwrap_or("").to_string();
    (status, body)
}

/// Whether the server closed `s` (read returns 0 or an error) within `limit`.
fn closed_within(s: &mut TcpStream, limit: Duration) -> bool {
    s.set_read_timeout(Some(limit)).unwrap();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue, // e.g. a 408 before the close
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return false,
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => return false,
            Err(_) => return true,
        }
    }
}

#[test]
fn a_client_sending_one_byte_at_a_time_is_cut_and_holds_no_worker() {
    // One request at a time: if the slow client held the slot, nobody else would get in.
    let srv = serve(&["--header-timeout-ms", "800", "--concurrency", "1"]);
    let mut slow = TcpStream::connect(srv.addr).unwrap();
    let started = Instant::now();
    let mut cut = false;
    for b in b"GET /healthz HTTP/1.1\r\nHost: example\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n" {
        if slow.write_all(&[*b]).is_err() {
            cut = true;
            break;
        }
        // Meanwhile other clients are served at once.
        if started.elapsed() < Duration::from_millis(500) {
            let t = Instant::now();
            assert_eq!(request(srv.addr, "GET", "/healthz", "").0, 200);
            assert!(t.elapsed() < Duration::from_millis(500));
        }
        std::thread::sleep(Duration::from_millis(100));
        if started.elapsed() > Duration::from_secs(5) {
            break;
        }
    }
    assert!(
        cut || closed_within(&mut slow, Duration::from_secs(3)),
        "the slow connection was still open after {:?}",
        started.elapsed()
    );
    assert!(started.elapsed() < Duration::from_secs(6));
}

#[test]
fn an_idle_kept_alive_connection_is_closed() {
    let srv = serve(&["--header-timeout-ms", "500"]);
    let mut s = TcpStream::connect(srv.addr).unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut buf = [0u8; 2048];
    let n = s.read(&mut buf).unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    assert!(closed_within(&mut s, Duration::from_secs(3)));
}

#[test]
fn a_slow_body_runs_into_the_request_timeout() {
    let srv = serve(&["--timeout-ms", "600"]);
    let mut s = TcpStream::connect(srv.addr).unwrap();
    s.write_all(
        b"POST /api/v1/rank HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{",
    )
    .unwrap();
    let started = Instant::now();
    s.set_read_timeout(Some(Duration::from_millis(150)))
        .unwrap();
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while started.elapsed() < Duration::from_secs(5) {
        let _ = s.write_all(b" ");
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                answer.extend_from_slice(&buf[..n]);
                if answer.windows(4).any(|w| w == b"\r\n\r\n") {
                    break;
                }
            }
            Err(_) => {}
        }
    }
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
    assert!(
        text.to_ascii_lowercase().contains("retry-after: 1"),
        "{text}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}

fn health_hash(addr: SocketAddr) -> String {
    let (status, body) = request(addr, "GET", "/healthz", "");
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    v["atlas_input_hash"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn hangup(srv: &Server) {
    let ok = Command::new("kill")
        .args(["-HUP", &srv.child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
}

fn replace(path: &Path, contents: &str) {
    // As `lotse ingest --out` does: write beside, then rename.
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, contents).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

#[test]
fn sighup_swaps_in_only_a_complete_valid_atlas() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("atlas.json");
    let bundled = datasets::atlas_file::BUNDLED_ATLAS;
    std::fs::write(&file, bundled).unwrap();
    let srv = serve(&["--atlas", file.to_str().unwrap()]);
    let before = health_hash(srv.addr);
    assert!(!before.is_empty());

    // A new, valid atlas: served after SIGHUP.
    let mut v: serde_json::Value = serde_json::from_str(bundled).unwrap();
    v["input_hash"] = serde_json::Value::from("reloaded-by-the-test");
    replace(&file, &serde_json::to_string(&v).unwrap());
    hangup(&srv);
    let started = Instant::now();
    while health_hash(srv.addr) != "reloaded-by-the-test" {
        assert!(started.elapsed() < Duration::from_secs(20), "not reloaded");
        std::thread::sleep(Duration::from_millis(50));
    }

    // A truncated file, then one of another format version: refused, the last good atlas
    // keeps serving, and ranking goes on.
    replace(&file, &bundled[..bundled.len() / 2]);
    hangup(&srv);
    let mut other = v.clone();
    other["format_version"] = serde_json::Value::from(999);
    std::thread::sleep(Duration::from_millis(500));
    replace(&file, &serde_json::to_string(&other).unwrap());
    hangup(&srv);
    std::thread::sleep(Duration::from_millis(1000));
    assert_eq!(health_hash(srv.addr), "reloaded-by-the-test");
    let (status, body) = request(srv.addr, "POST", "/api/v1/rank?top=1", r#"{"adults": 1}"#);
    assert_eq!(status, 200, "{body}");
}

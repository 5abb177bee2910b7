//! `lotse serve` as a real process on a real socket (issue 7): slow clients are cut without
//! holding a worker, a slow body runs into the request timeout, and SIGHUP swaps in a new atlas
//! only when it is complete and valid.

mod common;

use common::{exchange, hangup, health_hash, replace, request, serve};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

/// Held by the tests that load the machine (a flood of timed-out batches) or measure it
/// (resident memory), so that they do not run at the same time as each other.
static ALONE: std::sync::Mutex<()> = std::sync::Mutex::new(());

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

/// `n` distinct profiles as JSON Lines, each with two workplaces, a hard limit and the
/// geometric mean (1,000 of them with `top=50` take about 50 ms on two cores).
fn batch_body(n: usize, salt: usize) -> String {
    (0..n)
        .map(|k| {
            format!(
                "{{\"adults\": 2, \"children\": [{}], \"rent_budget_eur\": {}, \"workplace\": [\"Dresden\", \"Leipzig\"], \"aggregation\": \"geometric\", \"must\": {{\"within_km\": {{\"gymnasium\": 10}}}}}}\n",
                k % 18,
                500 + (k + salt) % 1500
            )
        })
        .collect()
}

/// CPU time (user + system, seconds) process `pid` has used so far.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // After the command name in parentheses: field 3 (state) first; utime and stime are fields
    // 14 and 15.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .unwrap()
        .1
        .split_whitespace()
        .collect();
    let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    let per_second = Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse::<f64>().ok())
        .unwrap_or(100.0);
    ticks / per_second
}

/// Resident memory of process `pid` in KiB once it has settled: the least of five readings
/// over half a second, after a pause (the server gives freed pages back just after a swap).
fn settled_rss_kib(pid: u32) -> u64 {
    // A replaced atlas is freed and its pages given back on a blocking thread once its last
    // request ended; on a loaded machine that takes a moment. Settled: one second (10 samples)
    // without a new low, at most 10 s.
    let mut low = rss_kib(pid);
    let mut since_low = 0;
    for _ in 0..100 {
        if since_low >= 10 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
        let now = rss_kib(pid);
        if now < low {
            low = now;
            since_low = 0;
        } else {
            since_low += 1;
        }
    }
    low
}

/// Resident memory of process `pid` in KiB.
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/<pid>/status")
}

/// Issue 11, item 6: work whose request timed out used to stay queued on the CPU pool and run
/// anyway, so the cores stayed busy long after the clients had gone and every uncached ranking
/// meanwhile was a 503. Now queued work whose request is gone is skipped.
#[test]
fn work_of_timed_out_requests_is_dropped_and_does_not_starve_later_requests() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    // Limits far above what the clients send: only the request timeout is at work here (the
    // limits alone, counting queued work, would also bound the pile-up).
    let srv = serve(&[
        "--timeout-ms",
        "300",
        "--concurrency",
        "4096",
        "--batch-concurrency",
        "1024",
    ]);
    let pid = srv.child.id();
    let addr = srv.addr;
    // 48 clients sending batches of 1,000 profiles for 4 s: several times the work two cores
    // do meanwhile, so most requests time out (and used to leave their work queued).
    let flood_until = Instant::now() + Duration::from_secs(4);
    let clients: Vec<_> = (0..48)
        .map(|c| {
            std::thread::spawn(move || {
                let body = batch_body(1000, c);
                let mut answers = [0u32; 2]; // [200, 503]
                while Instant::now() < flood_until {
                    let (status, _, _) = exchange(
                        addr,
                        "POST",
                        "/api/v1/batch?top=50",
                        "application/x-ndjson",
                        &body,
                    );
                    match status {
                        200 => answers[0] += 1,
                        503 => answers[1] += 1,
                        other => panic!("batch answered {other}"),
                    }
                }
                answers
            })
        })
        .collect();
    let mut timed_out = 0;
    for c in clients {
        timed_out += c.join().unwrap()[1];
    }
    assert!(
        timed_out > 48,
        "the flood should have run into the time limit: {timed_out} 503s"
    );
    let stopped = Instant::now();
    // A second after the clients stopped, the server is idle…
    std::thread::sleep(Duration::from_secs(1));
    let before = cpu_seconds(pid);
    std::thread::sleep(Duration::from_secs(1));
    let busy = cpu_seconds(pid) - before;
    assert!(
        busy < 0.3,
        "the server used {busy:.2} s of CPU in the second second after its clients stopped"
    );
    // …and a ranking nobody asked for before is computed at once.
    let (status, _, body) = exchange(
        addr,
        "POST",
        "/api/v1/rank?top=1",
        "application/json",
        r#"{"adults": 3, "children": [1, 4, 9], "rent_budget_eur": 1234}"#,
    );
    assert_eq!(
        status,
        200,
        "{:?} after the flood: {body}",
        stopped.elapsed()
    );
}

/// Issue 11, item 7: `/api/v1/batch` has its own concurrency limit; a batch beyond it gets a
/// fast 503 problem with `Retry-After` while other routes are served.
#[test]
fn batches_beyond_the_batch_limit_get_a_fast_503() {
    let srv = serve(&["--batch-concurrency", "1"]);
    // One batch whose body is still arriving holds the only batch slot.
    let line = "{\"adults\": 2}\n";
    let mut slow = TcpStream::connect(srv.addr).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        slow,
        "POST /api/v1/batch HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-ndjson\r\nContent-Length: {}\r\n\r\n{line}",
        line.len() * 2
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let (status, head, body) = exchange(
        srv.addr,
        "POST",
        "/api/v1/batch",
        "application/x-ndjson",
        &batch_body(3, 0),
    );
    assert_eq!(status, 503, "{body}");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(head.contains("retry-after: 1"), "{head}");
    assert!(
        head.contains("content-type: application/problem+json"),
        "{head}"
    );
    assert!(body.contains("--batch-concurrency"), "{body}");
    // Other routes are not limited by it.
    let (status, _, body) = exchange(
        srv.addr,
        "POST",
        "/api/v1/rank?top=1",
        "application/json",
        r#"{"adults": 1}"#,
    );
    assert_eq!(status, 200, "{body}");
    // The held batch finishes once its body is complete, and frees its slot.
    slow.write_all(line.as_bytes()).unwrap();
    let mut answer = String::new();
    slow.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert_eq!(answer.matches("\"ranked\"").count(), 2, "{answer}");
    let (status, _, body) = exchange(
        srv.addr,
        "POST",
        "/api/v1/batch",
        "application/x-ndjson",
        &batch_body(3, 0),
    );
    assert_eq!(status, 200, "{body}");
}

/// Issue 11, item 8: every SIGHUP used to leak the replaced atlas (measured here: 31 MiB after
/// one reload, 193 MiB after 50). Now a replaced atlas is freed once no request uses it and
/// its pages are given back, and large blocks no longer fragment the heap (`src/server/heap.rs`):
/// measured 27 MiB after one reload, 28.5–30 MiB after 50. The issue's bound: within 10 %.
/// With the larger atlas of issue 14 it grew 7–12 %; since gap reasons are a `MissingTable`
/// and reloads run on one loader thread, 26.8 MiB after one, 28.0–28.4 MiB after 50 (5.0–5.5 %).
#[test]
fn fifty_reloads_keep_memory_flat() {
    let _alone = ALONE.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("atlas.json");
    let bundled = datasets::atlas_file::BUNDLED_ATLAS;
    std::fs::write(&file, bundled).unwrap();
    let srv = serve(&["--atlas", file.to_str().unwrap()]);
    let pid = srv.child.id();
    let mut v: serde_json::Value = serde_json::from_str(bundled).unwrap();
    let mut reload = |i: u32| {
        // The same atlas, told apart by its input hash so the test sees the swap.
        let hash = format!("reload-{i}");
        v["input_hash"] = serde_json::Value::from(hash.clone());
        replace(&file, &serde_json::to_string(&v).unwrap());
        hangup(&srv);
        let started = Instant::now();
        while health_hash(srv.addr) != hash {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "reload {i} not served"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        // A request on each atlas, so each has served before it is replaced.
        let (status, body) = request(srv.addr, "POST", "/api/v1/rank?top=1", r#"{"adults": 2}"#);
        assert_eq!(status, 200, "{body}");
    };
    reload(1);
    let after_one = settled_rss_kib(pid);
    for i in 2..=50 {
        reload(i);
    }
    let after_fifty = settled_rss_kib(pid);
    eprintln!("resident memory after one reload {after_one} KiB, after 50 {after_fifty} KiB");
    assert!(
        after_fifty * 10 <= after_one * 11,
        "resident memory grew from {after_one} KiB after one reload to {after_fifty} KiB after 50"
    );
}

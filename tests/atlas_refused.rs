//! An atlas with a value outside its plausible range is refused wherever an atlas is loaded
//! (issue 11): `--atlas FILE` for any command, `lotse serve` at start, and a SIGHUP reload,
//! after which the current atlas keeps serving.

mod common;

use common::{hangup, health_hash, replace, request, serve_logging_to};
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DRESDEN: &str = "14612000";

/// The bundled atlas with Dresden's existing-lease rent set to `rent` and the input hash
/// replaced (so a reload that went through would show).
fn atlas_with_rent(rent: f64) -> String {
    let mut v: serde_json::Value =
        serde_json::from_str(datasets::atlas_file::BUNDLED_ATLAS).unwrap();
    let i = v["municipalities"]
        .as_array()
        .unwrap()
        .iter()
        .position(|m| m["ags"] == DRESDEN)
        .unwrap();
    let ind = v["indicators"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|ind| ind["id"] == "rent_existing_eur_m2")
        .unwrap();
    ind["values"][i] = serde_json::Value::from(rent);
    v["input_hash"] = serde_json::Value::from("implausible-by-the-test");
    serde_json::to_string_pretty(&v).unwrap()
}

const REFUSAL: &str = "indicator rent_existing_eur_m2, municipality 14612000 (Dresden): -5.5 EUR/m2 is outside the plausible range 2–40 EUR/m2";

#[test]
fn an_implausible_atlas_file_is_refused_naming_indicator_municipality_and_range() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, atlas_with_rent(-5.5)).unwrap();
    let err = datasets::atlas_file::read(&bad).unwrap_err().to_string();
    assert!(err.contains("bad.json") && err.contains(REFUSAL), "{err}");

    let run = Command::new(env!("CARGO_BIN_EXE_lotse"))
        .args(["atlas", "show", "Dresden", "--atlas"])
        .arg(&bad)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(stderr.contains(REFUSAL), "{stderr}");

    // The untouched copy loads.
    let good = dir.path().join("good.json");
    std::fs::write(&good, datasets::atlas_file::BUNDLED_ATLAS).unwrap();
    datasets::atlas_file::read(&good).unwrap();
}

#[test]
fn serve_refuses_to_start_on_an_implausible_atlas() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, atlas_with_rent(-5.5)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_lotse"))
        .args(["serve", "--bind", "127.0.0.1:0", "--atlas"])
        .arg(&bad)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("lotse serve is running on an implausible atlas");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(!status.success());
    assert!(
        stderr.contains("bad.json") && stderr.contains(REFUSAL),
        "{stderr}"
    );
}

#[test]
fn sighup_refuses_an_implausible_atlas_and_keeps_serving_the_current_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("atlas.json");
    let log = dir.path().join("serve.log");
    std::fs::write(&file, datasets::atlas_file::BUNDLED_ATLAS).unwrap();
    let srv = serve_logging_to(&["--atlas", file.to_str().unwrap()], &log);
    let path = format!("/api/v1/municipalities/{DRESDEN}");
    let (status, before) = request(srv.addr, "GET", &path, "");
    assert_eq!(status, 200, "{before}");
    assert!(before.contains("rent_existing_eur_m2"), "{before}");
    let hash_before = health_hash(srv.addr);
    assert!(!hash_before.is_empty());

    replace(&file, &atlas_with_rent(-5.5));
    hangup(&srv);

    // Wait until the reload finished, one way or the other.
    let started = Instant::now();
    let text = loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if text.contains("still serving the previous one")
            || text.contains("serving the reloaded atlas")
        {
            break text;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no reload logged: {text}"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        text.contains("still serving the previous one") && text.contains(REFUSAL),
        "{text}"
    );
    let (status, after) = request(srv.addr, "GET", &path, "");
    assert_eq!(status, 200);
    assert_eq!(after, before, "Dresden's figures unchanged");
    assert_eq!(health_hash(srv.addr), hash_before);
}

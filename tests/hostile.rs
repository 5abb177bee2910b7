//! Hostile and broken input against the HTTP API, in process (issue 7): every answer is a
//! problem document with a 4xx status (never a 5xx, never a panic), names the field where there
//! is one, and leaks no internals. The socket-level cases (slow clients, over capacity, atlas
//! reload) are in `tests/serve_process.rs`.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use lotse::server::{AppState, ServeArgs, router};
use serde_json::Value;
use std::time::{Duration, Instant};
use tower::ServiceExt;

fn app_with(args: &ServeArgs) -> Router {
    let atlas = datasets::atlas_file::bundled().unwrap();
    router(AppState::new(atlas, None).unwrap(), args)
}

async fn send(app: Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Value) {
    let res = app.oneshot(req).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let body = axum::body::to_bytes(res.into_body(), 50_000_000)
        .await
        .unwrap();
    (
        status,
        headers,
        serde_json::from_slice(&body).unwrap_or(Value::Null),
    )
}

fn post(path: &str, content_type: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    let mut r = Request::post(path);
    if let Some(ct) = content_type {
        r = r.header(header::CONTENT_TYPE, ct);
    }
    r.body(body.into()).unwrap()
}

fn get(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

/// A 4xx problem document without internals; returns it for further checks.
fn problem(status: StatusCode, headers: &axum::http::HeaderMap, v: &Value, want: u16) -> Value {
    assert_eq!(status.as_u16(), want, "{v}");
    assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
    assert_eq!(v["status"], want);
    let text = v.to_string();
    for leak in ["src/", ".rs:", "panicked", "/root", "/home", "/work"] {
        assert!(!text.contains(leak), "`{leak}` leaked: {text}");
    }
    v.clone()
}

const JSON: Option<&str> = Some("application/json");

#[tokio::test]
async fn numbers_out_of_range_name_their_field() {
    let app = app_with(&ServeArgs::default());
    let cases: &[(&str, u16, Option<&str>)] = &[
        (
            r#"{"adults": 2, "rent_budget_eur": 1e308}"#,
            422,
            Some("rent_budget_eur"),
        ),
        (
            r#"{"adults": 2, "rent_budget_eur": -900}"#,
            422,
            Some("rent_budget_eur"),
        ),
        (r#"{"adults": 2, "children": [-3]}"#, 422, None),
        (r#"{"adults": 2, "children": [4294967296]}"#, 422, None),
        (r#"{"adults": 0}"#, 422, Some("adults")),
        (r#"{"adults": 100000}"#, 422, Some("adults")),
        (
            r#"{"adults": 2, "weights": {"leisure": 1e308}}"#,
            422,
            Some("weights.leisure"),
        ),
        (
            r#"{"adults": 2, "max_commute_km": -1}"#,
            422,
            Some("max_commute_km"),
        ),
        (
            r#"{"adults": 2, "workplace": {"lat": 95, "lon": 13}}"#,
            422,
            Some("workplace"),
        ),
        (
            r#"{"adults": 2, "workplace": "99999999"}"#,
            422,
            Some("workplace"),
        ),
        (r#"{"adults": 2, "workplace": ""}"#, 422, Some("workplace")),
        // JSON has no NaN; an exponent beyond f64 is named as out of range.
        (r#"{"adults": 2, "rent_budget_eur": NaN}"#, 400, None),
        (
            r#"{"adults": 2, "rent_budget_eur": 1e999}"#,
            422,
            Some("rent_budget_eur"),
        ),
        (r#"{"adults": 2, "rent_budget_eur": "900"}"#, 422, None),
        (r#"[]"#, 422, None),
        (r#"null"#, 422, None),
        (r#""a string""#, 422, None),
    ];
    for (body, want, field) in cases {
        let (s, h, v) = send(app.clone(), post("/api/v1/rank", JSON, *body)).await;
        let p = problem(s, &h, &v, *want);
        if let Some(f) = field {
            assert!(
                p["field"].as_str().is_some_and(|x| x.starts_with(f)),
                "{body}: field {} (want {f})",
                p["field"]
            );
        }
    }
    // 200 children: a field error, not a huge computation.
    let many = format!(
        r#"{{"adults": 2, "children": [{}]}}"#,
        vec!["5"; 200].join(",")
    );
    let (s, h, v) = send(app.clone(), post("/api/v1/rank", JSON, many)).await;
    assert_eq!(problem(s, &h, &v, 422)["field"], "children");
}

#[tokio::test]
async fn bodies_of_every_shape_get_a_4xx() {
    let app = app_with(&ServeArgs::default());
    // 0 bytes, with and without a content type.
    let (s, h, v) = send(app.clone(), post("/api/v1/rank", JSON, "")).await;
    problem(s, &h, &v, 400);
    let (s, h, v) = send(app.clone(), post("/api/v1/rank", None, "")).await;
    problem(s, &h, &v, 415);
    // 10 MB: refused by the size limit without being parsed.
    let ten_mb = format!(r#"{{"adults": 2, "pad": "{}"}}"#, "x".repeat(10 << 20));
    let started = Instant::now();
    let (s, h, v) = send(app.clone(), post("/api/v1/rank", JSON, ten_mb)).await;
    problem(s, &h, &v, 413);
    assert!(started.elapsed() < Duration::from_secs(2));
    // Nested 10,000 deep, as objects this time.
    let deep = format!("{}{}", r#"{"a":"#.repeat(10_000), "}".repeat(10_000));
    let (s, h, v) = send(app.clone(), post("/api/v1/rank", JSON, deep)).await;
    problem(s, &h, &v, 400);
    // Wrong content types.
    for ct in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "",
        "application/json\u{0}",
    ] {
        let Ok(req) = Request::post("/api/v1/rank")
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(r#"{"adults": 2}"#))
        else {
            continue; // not even a valid header value
        };
        let (s, h, v) = send(app.clone(), req).await;
        problem(s, &h, &v, 415);
    }
    // Invalid UTF-8 inside a string, and a lone surrogate escape.
    let (s, h, v) = send(
        app.clone(),
        post(
            "/api/v1/rank",
            JSON,
            b"{\"adults\": 2, \"workplace\": \"Dres\xc3\x28den\"}".to_vec(),
        ),
    )
    .await;
    problem(s, &h, &v, 400);
    let (s, h, v) = send(
        app.clone(),
        post(
            "/api/v1/rank",
            JSON,
            r#"{"adults": 2, "workplace": "\ud800"}"#,
        ),
    )
    .await;
    assert!(s.is_client_error(), "{s}");
    problem(s, &h, &v, s.as_u16());
    // Compare, explain and batch get the same treatment.
    let (s, h, v) = send(
        app.clone(),
        post("/api/v1/compare?ags=Dresden,Leipzig", JSON, "["),
    )
    .await;
    problem(s, &h, &v, 400);
    for (body, want) in [
        ("[", 400),
        ("", 400),
        ("[]", 422),
        (r#"{"adults": 0}"#, 422),
    ] {
        let (s, h, v) = send(
            app.clone(),
            post("/api/v1/municipalities/14612000/explain", JSON, body),
        )
        .await;
        problem(s, &h, &v, want);
    }
    let (s, h, v) = send(
        app.clone(),
        post(
            "/api/v1/batch",
            Some("application/x-ndjson"),
            vec![0xff, 0xfe, b'\n'],
        ),
    )
    .await;
    problem(s, &h, &v, 400);
}

#[tokio::test]
async fn unknown_places_and_paths_are_404_without_contents() {
    let app = app_with(&ServeArgs::default());
    for path in [
        "/api/v1/municipalities/99999999",
        "/api/v1/municipalities/14",
        "/api/v1/municipalities/..%2F..%2Fetc%2Fpasswd",
        "/api/v1/municipalities/%00",
        "/..%2F..%2Fetc%2Fpasswd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/app.js/../../Cargo.toml",
        "/static/../../../../etc/passwd",
        "/web/app.js",
        "/.git/config",
        "/atlas/saxony.json",
    ] {
        let (s, h, v) = send(app.clone(), get(path)).await;
        assert!(
            s == StatusCode::NOT_FOUND || s == StatusCode::BAD_REQUEST,
            "{path}: {s}"
        );
        problem(s, &h, &v, s.as_u16());
        let text = v.to_string();
        assert!(
            !text.contains("root:") && !text.contains("[core]"),
            "{path}: {text}"
        );
    }
    let (s, h, v) = send(app.clone(), get("/api/v1/compare?ags=Dresden,Atlantis")).await;
    assert!(s.is_client_error(), "{s}");
    problem(s, &h, &v, s.as_u16());
    let (s, h, v) = send(app.clone(), get("/api/v1/rank?top=-1")).await;
    problem(s, &h, &v, 405);
    for q in [
        "top=-1",
        "top=1e9",
        "top=abc",
        "top=",
        "unknown=1",
        "lang=%ff",
    ] {
        let (s, h, v) = send(
            app.clone(),
            post(&format!("/api/v1/rank?{q}"), JSON, r#"{"adults": 1}"#),
        )
        .await;
        problem(s, &h, &v, 400);
    }
}

/// A request body that does not end until told to: send chunks on the sender, drop it to end.
fn open_body() -> (
    tokio::sync::mpsc::Sender<Result<axum::body::Bytes, std::io::Error>>,
    Body,
) {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<axum::body::Bytes, std::io::Error>>(1);
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    (tx, Body::from_stream(stream))
}

/// The concurrency limit counts the whole server: with one slot taken by a request still
/// sending its body, a request to another route gets a fast 503 with `Retry-After`.
#[tokio::test]
async fn over_capacity_is_a_fast_503_on_every_route() {
    let args = ServeArgs {
        concurrency: 1,
        ..ServeArgs::default()
    };
    let app = app_with(&args);
    let (tx, body) = open_body();
    let slow = tokio::spawn(app.clone().oneshot(post("/api/v1/rank", JSON, body)));
    tokio::time::sleep(Duration::from_millis(100)).await;
    for req in [
        get("/healthz"),
        get("/api/v1/criteria"),
        post("/api/v1/rank", JSON, r#"{"adults": 1}"#),
    ] {
        let started = Instant::now();
        let (s, h, v) = send(app.clone(), req).await;
        problem(s, &h, &v, 503);
        assert_eq!(h[header::RETRY_AFTER], "1");
        assert!(started.elapsed() < Duration::from_millis(500));
    }
    // The slow request finishes normally once its body arrives, and the slot is free again.
    tx.send(Ok(r#"{"adults": 1}"#.into())).await.unwrap();
    drop(tx);
    let res = slow.await.unwrap().unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let (s, _, _) = send(app.clone(), get("/healthz")).await;
    assert_eq!(s, StatusCode::OK);
}

/// Issue 11, item 9: a path parameter that is not UTF-8 once percent-decoded is a 400 problem
/// naming the field (axum's own rejection is text/plain).
#[tokio::test]
async fn a_path_parameter_that_is_not_utf8_is_a_400_problem() {
    let app = app_with(&ServeArgs::default());
    for path in [
        "/api/v1/municipalities/%FF",
        "/api/v1/municipalities/%C3%28",
        "/api/v1/municipalities/1461%FE2000",
    ] {
        let (s, h, v) = send(app.clone(), get(path)).await;
        let p = problem(s, &h, &v, 400);
        assert_eq!(p["field"], "ags", "{path}: {p}");
    }
}

/// Occupies every thread of rayon's global pool until the returned sender is dropped.
fn block_the_cpu_pool() -> std::sync::mpsc::Sender<()> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};
    let threads = rayon::current_num_threads();
    let (release, wait) = std::sync::mpsc::channel::<()>();
    let wait = Arc::new(Mutex::new(wait));
    let started = Arc::new(AtomicUsize::new(0));
    for _ in 0..threads {
        let (wait, started) = (wait.clone(), started.clone());
        rayon::spawn(move || {
            started.fetch_add(1, Ordering::SeqCst);
            // Returns when the sender is dropped (every blocker gets the disconnect).
            let _ = wait.lock().map(|rx| rx.recv());
        });
    }
    let t = Instant::now();
    while started.load(Ordering::SeqCst) < threads {
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "the pool did not start"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    release
}

/// Issue 11, item 6: work queued on the CPU pool whose request is gone (timed out) is skipped
/// when a thread takes it up, and holds the request's slot until then: the limit counts queued
/// work. (Work used to run anyway, long after its request had been answered with a 503.)
#[tokio::test]
async fn queued_work_of_a_timed_out_request_is_skipped_and_holds_its_slot() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let limit = Arc::new(tokio::sync::Semaphore::new(1));
    let permit = limit.clone().try_acquire_owned().unwrap();
    let ran = Arc::new(AtomicBool::new(false));
    let release = block_the_cpu_pool();
    let work = {
        let ran = ran.clone();
        lotse::server::on_cpu_pool(permit, move |_| ran.store(true, Ordering::SeqCst))
    };
    // The request times out while its work waits in the queue.
    assert!(
        tokio::time::timeout(Duration::from_millis(100), work)
            .await
            .is_err()
    );
    assert_eq!(
        limit.available_permits(),
        0,
        "the slot is free while the work is still queued"
    );
    drop(release);
    let t = Instant::now();
    while limit.available_permits() == 0 {
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "the slot was never freed"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(
        !ran.load(Ordering::SeqCst),
        "work of a request that is gone was run"
    );
    // Work whose request still waits runs as before.
    let out = lotse::server::on_cpu_pool((), |wanted| wanted.still()).await;
    assert_eq!(out.ok(), Some(true));
}

/// Issue 11, item 6, over HTTP: a batch that timed out while queued keeps its slot (the next
/// request gets a fast 503 "concurrency limit", not a place in the queue behind it) until the
/// pool drops it unrun; then the server answers again.
#[tokio::test]
async fn a_timed_out_batch_keeps_its_slot_until_its_work_is_dropped() {
    let args = ServeArgs {
        concurrency: 1,
        timeout_ms: 200,
        ..ServeArgs::default()
    };
    let app = app_with(&args);
    let release = block_the_cpu_pool();
    let body: String = (0..1000)
        .map(|k| format!("{{\"adults\": {}}}\n", 1 + k % 5))
        .collect();
    let (s, h, v) = send(
        app.clone(),
        post("/api/v1/batch", Some("application/x-ndjson"), body),
    )
    .await;
    problem(s, &h, &v, 503);
    assert!(v["detail"].as_str().unwrap().contains("time limit"), "{v}");
    let (s, h, v) = send(app.clone(), get("/healthz")).await;
    problem(s, &h, &v, 503);
    assert!(
        v["detail"].as_str().unwrap().contains("concurrency limit"),
        "{v}"
    );
    drop(release);
    let t = Instant::now();
    loop {
        let (s, _, _) = send(app.clone(), get("/healthz")).await;
        if s == StatusCode::OK {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "the slot was never freed"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Issue 11, item 7, in process: with `batch_concurrency: 1` and one batch still sending its
/// body, another batch gets a fast 503 naming the flag, and other routes are served.
#[tokio::test]
async fn a_batch_beyond_the_batch_limit_is_a_fast_503() {
    let args = ServeArgs {
        batch_concurrency: 1,
        ..ServeArgs::default()
    };
    let app = app_with(&args);
    let (tx, body) = open_body();
    let ndjson = Some("application/x-ndjson");
    let slow = tokio::spawn(app.clone().oneshot(post("/api/v1/batch", ndjson, body)));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    let (s, h, v) = send(
        app.clone(),
        post("/api/v1/batch", ndjson, "{\"adults\": 1}\n"),
    )
    .await;
    problem(s, &h, &v, 503);
    assert_eq!(h[header::RETRY_AFTER], "1");
    assert!(
        v["detail"]
            .as_str()
            .unwrap()
            .contains("--batch-concurrency"),
        "{v}"
    );
    assert!(started.elapsed() < Duration::from_millis(500));
    let (s, _, _) = send(app.clone(), post("/api/v1/rank", JSON, r#"{"adults": 1}"#)).await;
    assert_eq!(s, StatusCode::OK);
    tx.send(Ok("{\"adults\": 2}\n".into())).await.unwrap();
    drop(tx);
    assert_eq!(slow.await.unwrap().unwrap().status(), StatusCode::OK);
    let (s, _, _) = send(
        app.clone(),
        post("/api/v1/batch", ndjson, "{\"adults\": 1}\n"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
}

/// Issue 11, item 8: an atlas swapped out (as SIGHUP does) is freed once the last request that
/// started on it has ended; it used to be leaked for good.
#[tokio::test]
async fn a_swapped_out_atlas_is_freed_after_its_last_request() {
    use lotse::server::listen::Current;
    use lotse::server::{around, routes};
    let state = AppState::new(datasets::atlas_file::bundled().unwrap(), None).unwrap();
    let old = std::sync::Arc::downgrade(state.atlas_arc());
    let (current, swap) = Current::new(routes(state));
    let app = around(current, &ServeArgs::default());
    // A request on the old atlas, still sending its body.
    let (tx, body) = open_body();
    let slow = tokio::spawn(app.clone().oneshot(post("/api/v1/rank", JSON, body)));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let new = AppState::new(datasets::atlas_file::bundled().unwrap(), None).unwrap();
    drop(swap.send_replace(routes(new)));
    assert!(
        old.upgrade().is_some(),
        "freed under a request still using it"
    );
    tx.send(Ok(r#"{"adults": 1}"#.into())).await.unwrap();
    drop(tx);
    assert_eq!(slow.await.unwrap().unwrap().status(), StatusCode::OK);
    assert!(
        old.upgrade().is_none(),
        "the swapped-out atlas is still alive"
    );
    let (s, _, _) = send(app.clone(), get("/healthz")).await;
    assert_eq!(s, StatusCode::OK);
}

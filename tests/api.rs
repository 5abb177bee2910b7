//! The HTTP API, driven in-process (no socket): every route's happy path and each error class.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use lotse::server::{AppState, ServeArgs, router};
use serde_json::Value;
use tower::ServiceExt;

fn app_with(args: ServeArgs) -> Router {
    let atlas = datasets::atlas_file::bundled().unwrap();
    let state = AppState::new(
        atlas,
        Some(datasets::atlas_file::BUNDLED_BOUNDARIES.to_string()),
    )
    .unwrap();
    router(state, &args)
}

fn app() -> Router {
    app_with(ServeArgs::default())
}

async fn send(app: Router, req: Request<Body>) -> (StatusCode, String, Vec<u8>) {
    let res = app.oneshot(req).await.unwrap();
    let status = res.status();
    let ct = res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = axum::body::to_bytes(res.into_body(), 50_000_000)
        .await
        .unwrap()
        .to_vec();
    (status, ct, body)
}

async fn get(path: &str) -> (StatusCode, String, Value) {
    let (s, ct, b) = send(app(), Request::get(path).body(Body::empty()).unwrap()).await;
    let v = serde_json::from_slice(&b).unwrap_or(Value::Null);
    (s, ct, v)
}

async fn post(
    path: &str,
    content_type: &str,
    body: impl Into<Body>,
) -> (StatusCode, String, Value) {
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, content_type)
        .body(body.into())
        .unwrap();
    let (s, ct, b) = send(app(), req).await;
    (s, ct, serde_json::from_slice(&b).unwrap_or(Value::Null))
}

const FAMILY: &str =
    r#"{"adults": 2, "children": [3, 7], "rent_budget_eur": 900, "workplace": "Dresden"}"#;

fn assert_problem(ct: &str, v: &Value, status: StatusCode) {
    assert_eq!(ct, "application/problem+json");
    assert_eq!(v["status"], status.as_u16());
    assert!(v["title"].is_string() && v["detail"].is_string(), "{v}");
    let text = v.to_string();
    // No file paths, source locations or panic text in an error body.
    let root = datasets::manifest::repo_root().display().to_string();
    assert!(
        !text.contains(&root)
            && !text.contains("src/")
            && !text.contains(".rs:")
            && !text.contains("panicked"),
        "internals leaked: {text}"
    );
}

#[tokio::test]
async fn healthz_reports_the_atlas() {
    let (s, ct, v) = get("/healthz").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ct, "application/json");
    assert_eq!(v["status"], "ok");
    assert_eq!(v["municipalities"], 418);
}

/// Every ranked municipality of a ranking answer in rank order as (rank, AGS, score): the
/// rows with details, then the `rest` columns.
fn all_ranked(v: &Value) -> Vec<(u64, String, f64)> {
    let mut out: Vec<(u64, String, f64)> = v["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let ags = r["ags"].as_str().unwrap().to_string();
            (
                r["rank"].as_u64().unwrap(),
                ags,
                r["score"].as_f64().unwrap(),
            )
        })
        .collect();
    let rest = &v["rest"];
    let first = rest["first_rank"].as_u64().unwrap();
    let scores = rest["score"].as_array().unwrap();
    for (i, a) in rest["ags"].as_array().unwrap().iter().enumerate() {
        let ags = a.as_str().unwrap().to_string();
        out.push((first + i as u64, ags, scores[i].as_f64().unwrap()));
    }
    out
}

/// Every missed limit of a ranking answer as one object each: its group's fields with this
/// municipality's `ags`, `value` and `by` (|value − threshold|, as the answer documents it).
fn exclusions(v: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for g in v["excluded"].as_array().unwrap() {
        let threshold = g["threshold"].as_f64().unwrap();
        let values = g["value"].as_array().unwrap();
        for (i, a) in g["ags"].as_array().unwrap().iter().enumerate() {
            let mut e = g.clone();
            let value = values[i].as_f64().unwrap();
            e["ags"] = a.clone();
            e["value"] = value.into();
            e["by"] = (value - threshold).abs().into();
            out.push(e);
        }
    }
    out
}

#[tokio::test]
async fn rank_returns_every_municipality_with_explained_top() {
    let (s, _, v) = post("/api/v1/rank?lang=en&top=5", "application/json", FAMILY).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let detailed = v["ranked"].as_array().unwrap();
    let ranked = all_ranked(&v);
    // Every municipality is ranked, unranked or excluded (the default commute limit, an hour
    // from Dresden, excludes most of Saxony).
    let excluded: std::collections::BTreeSet<String> = exclusions(&v)
        .iter()
        .map(|e| e["ags"].as_str().unwrap().to_string())
        .collect();
    let total = ranked.len() + v["unranked"].as_array().unwrap().len() + excluded.len();
    assert!(total == 418 && ranked.len() > 50, "{}", ranked.len());
    assert!(ranked.iter().enumerate().all(|(i, r)| r.0 == i as u64 + 1));
    // The top 5 are explained (the robustness top 10 carry their shares), the rest are columns.
    assert!(!detailed[0]["explanations"].as_array().unwrap().is_empty());
    assert_eq!(detailed.len(), 10);
    assert!(
        detailed[5]["explanations"].is_null() && detailed[5]["top_k_share"].is_number(),
        "only the top 5 are explained"
    );
    let sentence = detailed[0]["explanations"][0]["sentence"].as_str().unwrap();
    assert!(sentence.is_ascii() || sentence.contains("km") || !sentence.is_empty());
    assert_eq!(v["lang"], "en");
    // Scores are sorted and within 0–100.
    let scores: Vec<f64> = ranked.iter().map(|r| r.2).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));
    assert!(scores.iter().all(|s| (0.0..=100.0).contains(s)));
}

/// The commute limit in force is in the answer (default or the household's), the towns beyond
/// it are listed apart with by how much, and a criterion the household sets to 5 vetoes below
/// its floor.
#[tokio::test]
async fn rank_states_the_commute_limit_in_force_and_lists_the_towns_beyond_it() {
    let (s, _, v) = post("/api/v1/rank?lang=en&top=3", "application/json", FAMILY).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        v["commute_limit"],
        serde_json::json!({"minutes": 60.0, "set_by": "default"})
    );
    let all = exclusions(&v);
    let beyond: Vec<&Value> = all
        .iter()
        .filter(|e| e["limit"] == "max_commute_min")
        .collect();
    assert!(beyond.len() > 100, "{}", beyond.len());
    for e in &beyond {
        let (value, threshold, by) = (
            e["value"].as_f64().unwrap(),
            e["threshold"].as_f64().unwrap(),
            e["by"].as_f64().unwrap(),
        );
        assert_eq!(
            (e["workplace"].as_u64(), e["unit"].as_str()),
            (Some(0), Some("min"))
        );
        assert!(value > threshold && threshold == 60.0);
        assert!((by - (value - threshold)).abs() < 1e-9, "{e}");
    }
    // Leipzig is far more than an hour from Dresden: listed apart, not ranked.
    let ranked = |v: &Value, ags: &str| all_ranked(v).iter().any(|r| r.1 == ags);
    assert!(beyond.iter().any(|e| e["ags"] == "14713000"));
    assert!(!ranked(&v, "14713000"));

    // Raised by the household: the limit says so and Leipzig is ranked again.
    let raised = FAMILY.replace('}', r#", "max_commute_min": 600}"#);
    let (s, _, w) = post("/api/v1/rank?top=1", "application/json", raised).await;
    assert_eq!(s, StatusCode::OK, "{w}");
    assert_eq!(
        w["commute_limit"],
        serde_json::json!({"minutes": 600.0, "set_by": "household"})
    );
    assert!(ranked(&w, "14713000"));
    // Out of range or without a workplace: a 422 naming the field.
    for bad in [
        FAMILY.replace('}', r#", "max_commute_min": 2}"#),
        r#"{"adults": 2, "max_commute_min": 45}"#.to_string(),
    ] {
        let (s, ct, e) = post("/api/v1/rank", "application/json", bad).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_problem(&ct, &e, s);
        assert_eq!(e["field"], "max_commute_min");
    }

    // Everyday services set to 5 by the household: towns below the floor are vetoed, with by
    // how much, and the criterion carries its floor.
    let essential = FAMILY.replace(
        '}',
        r#", "max_commute_min": 1440, "weights": {"everyday_services": 5}}"#,
    );
    let (s, _, x) = post("/api/v1/rank?top=1", "application/json", essential).await;
    assert_eq!(s, StatusCode::OK, "{x}");
    let floor = x["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["criterion"] == "everyday_services")
        .unwrap()["essential_floor"]
        .as_f64()
        .unwrap();
    let all = exclusions(&x);
    let vetoed: Vec<&Value> = all.iter().filter(|e| e["limit"] == "essential").collect();
    assert!(!vetoed.is_empty());
    for e in vetoed {
        assert_eq!(e["criterion"], "everyday_services");
        assert_eq!(e["threshold"].as_f64(), Some(floor));
        assert!(e["value"].as_f64().unwrap() < floor && e["by"].as_f64().unwrap() > 0.0);
    }
}

/// One POST with optional extra headers: status, the response headers, the body as sent.
async fn post_raw(
    app: Router,
    path: &str,
    body: &str,
    extra: &[(&str, &str)],
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut req = Request::post(path).header(header::CONTENT_TYPE, "application/json");
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    let res = app
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = axum::body::to_bytes(res.into_body(), 50_000_000)
        .await
        .unwrap()
        .to_vec();
    (status, headers, bytes)
}

#[tokio::test]
async fn repeated_questions_are_answered_from_the_cache_with_the_same_bytes() {
    use std::io::Read;
    let app = app();
    let cache = |h: &axum::http::HeaderMap| h["x-lotse-cache"].to_str().unwrap().to_string();
    let (s, h, first) = post_raw(app.clone(), "/api/v1/rank", FAMILY, &[]).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(cache(&h), "miss");
    // The same profile written differently (order, spacing, a default spelt out) is the same
    // question.
    let same = r#"{ "workplace":"Dresden","rent_budget_eur":900.0, "children":[3,7], "adults":2, "lang":"de" }"#;
    let (_, h, again) = post_raw(app.clone(), "/api/v1/rank", same, &[]).await;
    assert_eq!(cache(&h), "hit");
    assert_eq!(again, first);
    // A browser gets the same answer gzip-compressed.
    let (_, h, zipped) = post_raw(
        app.clone(),
        "/api/v1/rank",
        FAMILY,
        &[("accept-encoding", "gzip, br")],
    )
    .await;
    assert_eq!(cache(&h), "hit");
    assert_eq!(h[header::CONTENT_ENCODING], "gzip");
    assert!(zipped.len() * 3 < first.len());
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&zipped[..])
        .read_to_end(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, first);
    // gzip refused with q=0: plain JSON.
    let (_, h, plain) = post_raw(
        app.clone(),
        "/api/v1/rank",
        FAMILY,
        &[("accept-encoding", "gzip;q=0")],
    )
    .await;
    assert!(h.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(plain, first);
    // Another number of explained rows or another language is another question.
    let (_, h, top3) = post_raw(app.clone(), "/api/v1/rank?top=3", FAMILY, &[]).await;
    assert_eq!(cache(&h), "miss");
    assert_ne!(top3, first);
    let (_, h, _) = post_raw(app.clone(), "/api/v1/rank?lang=en", FAMILY, &[]).await;
    assert_eq!(cache(&h), "miss");
    // An invalid profile is never kept: the same 422 each time.
    for _ in 0..2 {
        let bad = r#"{"adults": 2, "workplace": "Atlantis"}"#;
        let (s, h, _) = post_raw(app.clone(), "/api/v1/rank", bad, &[]).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(h.get("x-lotse-cache").is_none());
    }
    // Without a cache every answer is computed, and it is the same answer.
    let atlas = datasets::atlas_file::bundled().unwrap();
    let uncached = router(
        AppState::new(atlas, None).unwrap().with_rank_cache(0),
        &ServeArgs::default(),
    );
    for _ in 0..2 {
        let (_, h, body) = post_raw(uncached.clone(), "/api/v1/rank", FAMILY, &[]).await;
        assert_eq!(cache(&h), "miss");
        assert_eq!(body, first);
    }
}

#[tokio::test]
async fn rank_errors_name_the_field() {
    let (s, ct, v) = post(
        "/api/v1/rank",
        "application/json",
        r#"{"adults": 2, "children": [3, 70]}"#,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_problem(&ct, &v, s);
    assert_eq!(v["field"], "children[1]");

    let (s, ct, v) = post(
        "/api/v1/rank",
        "application/json",
        r#"{"adults": 2, "childs": [3]}"#,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_problem(&ct, &v, s);

    let (s, ct, v) = post("/api/v1/rank", "application/json", r#"{"adults": 2,"#).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_problem(&ct, &v, s);
    assert!(v["detail"].as_str().unwrap().contains("malformed JSON"));

    let (s, ct, v) = post("/api/v1/rank", "text/plain", FAMILY).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_problem(&ct, &v, s);

    let (s, ct, v) = post("/api/v1/rank", "application/json", "").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_problem(&ct, &v, s);

    let (s, ct, v) = post("/api/v1/rank", "application/json", vec![0xff, 0xfe, b'{']).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_problem(&ct, &v, s);

    let (s, ct, v) = post("/api/v1/rank?top=0", "application/json", FAMILY).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_problem(&ct, &v, s);
    assert_eq!(v["field"], "top");

    let (s, ct, v) = post("/api/v1/rank?lang=fr", "application/json", FAMILY).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_problem(&ct, &v, s);

    // The query string is checked before the body is read: `top` out of range is the answer
    // whatever the body.
    for body in [r#"{"adults": 0}"#, r#"{"adults": 2,"#, ""] {
        let (s, ct, v) = post("/api/v1/rank?top=51", "application/json", body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
        assert_problem(&ct, &v, s);
        assert_eq!(v["field"], "top", "{body}");
    }

    // Valid JSON nested 10,000 deep: not a profile (and no stack overflow).
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let (s, ct, v) = post("/api/v1/rank", "application/json", deep).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_problem(&ct, &v, s);
}

#[tokio::test]
async fn oversized_bodies_get_413() {
    let big = format!(r#"{{"adults": 2, "pad": "{}"}}"#, "x".repeat(200_000));
    let (s, ct, v) = post("/api/v1/rank", "application/json", big).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_problem(&ct, &v, s);
}

#[tokio::test]
async fn municipalities_list_and_detail_with_sources() {
    let (s, _, v) = get("/api/v1/municipalities").await;
    assert_eq!(s, StatusCode::OK);
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 418);
    assert!(
        list.iter()
            .any(|m| m["name"] == "Dresden" && m["ags"] == "14612000")
    );

    let (s, _, v) = get("/api/v1/municipalities/14612000?lang=de").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["name"], "Dresden");
    let inds = v["indicators"].as_array().unwrap();
    assert!(inds.len() > 80);
    for i in inds {
        assert!(i["value"].is_number() || i["missing"].is_string(), "{i}");
        assert!(!i["sources"].as_array().unwrap().is_empty() && i["reference_date"].is_string());
    }
    assert!(
        v["sources"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["licence"].is_string() && s["attribution"].is_string())
    );
    assert!(!v["help"].as_array().unwrap().is_empty());

    let (s, ct, v) = get("/api/v1/municipalities/99999999").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_problem(&ct, &v, s);
}

/// The group of named places of category `id` in a municipality detail.
fn place_group<'a>(detail: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    detail["places"]
        .as_array()
        .and_then(|groups| groups.iter().find(|g| g["category"] == id))
        .unwrap_or_else(|| panic!("no {id} in {detail}"))
}

/// Issue 14, item 1: the detail names the Kitas, schools … nearest where people live (name,
/// type, town, km, source), the station with its DB category, and says where Kitas are not
/// mapped, in German and English; the rank answer does not carry them.
#[tokio::test]
async fn the_detail_names_the_nearest_places_and_the_station() {
    let (s, _, v) = get("/api/v1/municipalities/14612000?lang=de").await;
    assert_eq!(s, StatusCode::OK);
    let kitas = place_group(&v, "childcare");
    assert_eq!(kitas["label"], "Kita");
    let near = kitas["nearest"].as_array().unwrap();
    assert_eq!(near.len(), 3, "{kitas}");
    let sources: Vec<&str> = v["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    for p in near {
        assert!(!p["name"].as_str().unwrap().is_empty());
        assert_eq!(p["town"], "Dresden");
        assert!(p["distance_km"].as_f64().unwrap() < 5.0);
        assert!(sources.contains(&p["source"].as_str().unwrap()), "{p}");
    }
    let km: Vec<f64> = near
        .iter()
        .map(|p| p["distance_km"].as_f64().unwrap())
        .collect();
    assert!(km.windows(2).all(|w| w[0] <= w[1]), "{km:?}");
    assert_eq!(place_group(&v, "primary_school")["label"], "Grundschule");
    assert!(v["station"]["name"].as_str().unwrap().contains("Dresden"));
    assert!(v["station"]["category"].is_number(), "{v}");
    assert!(
        v["station_category"]
            .as_str()
            .unwrap()
            .starts_with("DB-Bahnhofskategorie")
    );

    // The district's help contacts carry the street address where the source records one.
    let (_, _, v) = get("/api/v1/municipalities/14713000?lang=en").await;
    let wzl = v["help"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| {
            h["name"]
                .as_str()
                .unwrap()
                .starts_with("Willkommenszentrum Leipzig")
        })
        .unwrap()
        .clone();
    assert_eq!(wzl["address"], "Otto-Schill-Straße 2", "{wzl}");
    assert!(wzl["website"].is_string() && wzl["kind"].is_string());

    // Plauen: no Kita data; the group says so in the answer's language, and lists none.
    for (lang, words) in [("de", "keine Standortdaten"), ("en", "no location data")] {
        let (s, _, v) = get(&format!("/api/v1/municipalities/14523320?lang={lang}")).await;
        assert_eq!(s, StatusCode::OK);
        let kitas = place_group(&v, "childcare");
        assert!(kitas["nearest"].as_array().unwrap().is_empty());
        let why = kitas["not_mapped"].as_str().unwrap();
        assert!(why.contains(words), "{lang}: {why}");
        let schools = place_group(&v, "primary_school");
        assert_eq!(schools["nearest"].as_array().unwrap().len(), 3);
    }

    // The ranking stays lean: no places in it.
    let (s, _, v) = post(
        "/api/v1/rank",
        "application/json",
        r#"{"adults": 2, "children": [4]}"#.to_string(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(!v.to_string().contains("\"nearest\""));
}

/// Issue 14: a place that matches nothing offers close names ("Dresdn" → Dresden), one that
/// matches several lists them, as `choices` the page turns into buttons, in rank and compare.
#[tokio::test]
async fn a_mistyped_or_ambiguous_place_offers_names_to_choose() {
    let (s, ct, v) = post(
        "/api/v1/rank",
        "application/json",
        r#"{"adults": 2, "workplace": "Dresdn"}"#.to_string(),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_problem(&ct, &v, s);
    assert_eq!(v["field"], "workplace");
    assert_eq!(v["choices"]["kind"], "did_you_mean");
    assert_eq!(v["choices"]["names"], serde_json::json!(["Dresden"]));
    assert!(
        v["detail"]
            .as_str()
            .unwrap()
            .contains("did you mean Dresden?"),
        "{v}"
    );

    let (s, _, v) = post(
        "/api/v1/rank",
        "application/json",
        r#"{"adults": 2, "workplace": "Neukirchen"}"#.to_string(),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["choices"]["kind"], "one_of");
    let names = v["choices"]["names"].as_array().unwrap();
    assert_eq!(names.len(), 2, "{v}");
    assert!(
        names
            .iter()
            .all(|n| n.as_str().unwrap().starts_with("Neukirchen/")),
        "{v}"
    );

    // Nothing close: no choices, the field's usual answer.
    let (_, _, v) = post(
        "/api/v1/rank",
        "application/json",
        r#"{"adults": 2, "workplace": "Atlantis"}"#.to_string(),
    )
    .await;
    assert!(v.get("choices").is_none(), "{v}");

    let (s, _, v) = get("/api/v1/compare?ags=Lepzig&ags=Dresden").await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    assert_eq!(v["choices"]["names"], serde_json::json!(["Leipzig"]));
}

/// Issue 14: `ags` may be repeated as well as comma-separated, the GET answer says which
/// household it compared for (in the language asked), and a wrong parameter is a 400 naming it.
#[tokio::test]
async fn compare_by_get_takes_repeated_ags_and_names_its_household() {
    let (s, _, repeated) = get("/api/v1/compare?ags=14612000&ags=14713000&lang=de").await;
    assert_eq!(s, StatusCode::OK, "{repeated}");
    let (_, _, commas) = get("/api/v1/compare?ags=14612000,14713000&lang=de").await;
    assert_eq!(repeated, commas);
    let (_, _, mixed) = get("/api/v1/compare?ags=14612000&ags=%2014713000%20&lang=de").await;
    assert_eq!(repeated, mixed);
    assert_eq!(repeated["notes"][0]["code"], "default_household");
    let text = repeated["notes"][0]["text"].as_str().unwrap();
    assert!(
        text.starts_with("Verglichen für einen Standardhaushalt"),
        "{text}"
    );
    // POST compares for the profile sent: no such note.
    let body = format!(r#"{{"ags": ["Dresden", "14713000"], "profile": {FAMILY}}}"#);
    let (_, _, posted) = post("/api/v1/compare", "application/json", body).await;
    assert!(
        !posted["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["code"] == "default_household")
    );
    for (query, field) in [
        ("ags=14612000&ags=14713000&top=3", "query"),
        ("ags=14612000&ags=14713000&lang=de&lang=en", "lang"),
        ("ags=14612000&ags=14713000&lang=fr", "lang"),
    ] {
        let (s, ct, v) = get(&format!("/api/v1/compare?{query}")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{query}: {v}");
        assert_problem(&ct, &v, s);
        assert_eq!(v["field"], field, "{query}");
    }
}

#[tokio::test]
async fn compare_side_by_side() {
    let (s, _, v) = get("/api/v1/compare?ags=14612000,14713000,14511000&lang=en").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["municipalities"].as_array().unwrap().len(), 3);

    let body = format!(r#"{{"ags": ["Dresden", "14713000"], "profile": {FAMILY}}}"#);
    let (s, _, v) = post("/api/v1/compare", "application/json", body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["municipalities"].as_array().unwrap().len(), 2);

    let (s, ct, v) = get("/api/v1/compare?ags=14612000").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_problem(&ct, &v, s);
    assert_eq!(v["field"], "ags");

    let (s, ct, v) = get("/api/v1/compare?ags=14612000,nowhere").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_problem(&ct, &v, s);

    // The profile is validated once, when the comparison plans it, and its error still comes
    // first: an invalid profile with one town too few or an unknown town is the profile's 422.
    for ags in [r#"["14612000"]"#, r#"["14612000", "nowhere"]"#] {
        let body = format!(r#"{{"ags": {ags}, "profile": {{"adults": 0}}}}"#);
        let (s, ct, v) = post("/api/v1/compare", "application/json", body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_problem(&ct, &v, s);
        assert_eq!(v["field"], "adults");
    }
}

/// One municipality explained for a profile: the same explanations the ranking gives its top
/// rows and compare gives every town, for any municipality; the profile's errors as for rank.
#[tokio::test]
async fn explain_one_municipality_for_a_profile() {
    let (s, _, ranking) = post("/api/v1/rank?top=1", "application/json", FAMILY).await;
    assert_eq!(s, StatusCode::OK);
    let best = &ranking["ranked"][0];
    let path = format!(
        "/api/v1/municipalities/{}/explain",
        best["ags"].as_str().unwrap()
    );
    let (s, ct, v) = post(&path, "application/json", FAMILY).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(ct, "application/json");
    let m = &v["municipality"];
    assert_eq!(m["ags"], best["ags"]);
    assert_eq!(m["status"]["status"], "ranked");
    assert_eq!(m["status"]["rank"], 1);
    assert_eq!(m["explanations"], best["explanations"]);
    assert_eq!(v["criteria"], ranking["criteria"]);

    // A town far down the ranking (not explained there, in the `rest` columns): as compare
    // explains it.
    let (rank, ags, _) = all_ranked(&ranking).swap_remove(50);
    let ags = ags.as_str();
    let (s, _, v) = post(
        &format!("/api/v1/municipalities/{ags}/explain"),
        "application/json",
        FAMILY,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["municipality"]["status"]["rank"], rank);
    let body = format!(r#"{{"ags": ["{ags}", "14612000"], "profile": {FAMILY}}}"#);
    let (_, _, c) = post("/api/v1/compare", "application/json", body).await;
    assert_eq!(v["municipality"], c["municipalities"][0]);
    assert!(
        !v["municipality"]["explanations"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // `lang` overrides the profile's; GET explains for the default family.
    let (_, _, en) = post(&format!("{path}?lang=en"), "application/json", FAMILY).await;
    let (_, _, de) = post(&path, "application/json", FAMILY).await;
    assert_eq!(
        en["criteria"][0]["criterion"],
        de["criteria"][0]["criterion"]
    );
    assert_ne!(en["criteria"][0]["label"], de["criteria"][0]["label"]);
    let (s, _, v) = get("/api/v1/municipalities/14612000/explain?lang=en").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["municipality"]["name"], "Dresden");

    // Errors: unknown AGS (before the body is read), invalid and malformed profiles, query.
    let (s, ct, v) = post(
        "/api/v1/municipalities/99999999/explain",
        "application/json",
        "{",
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_problem(&ct, &v, s);
    assert_eq!(v["field"], "ags");
    let (s, ct, v) = post(
        &path,
        "application/json",
        r#"{"adults": 2, "children": [3, 70]}"#,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_problem(&ct, &v, s);
    assert_eq!(v["field"], "children[1]");
    let (s, ct, v) = post(&path, "application/json", r#"{"adults": 2,"#).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_problem(&ct, &v, s);
    assert!(v["detail"].as_str().unwrap().contains("malformed JSON"));
    let (s, ct, v) = post(&path, "text/plain", FAMILY).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_problem(&ct, &v, s);
    let (s, ct, v) = get("/api/v1/municipalities/14612000/explain?top=3").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_problem(&ct, &v, s);
    let (s, ct, v) = get("/api/v1/municipalities/%FF/explain").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_problem(&ct, &v, s);
    assert_eq!(v["field"], "ags");
}

#[tokio::test]
async fn criteria_sources_and_boundaries() {
    let (s, _, v) = get("/api/v1/criteria").await;
    assert_eq!(s, StatusCode::OK);
    assert!(v.is_object() || v.is_array());
    let (s, _, v) = get("/api/v1/sources").await;
    assert_eq!(s, StatusCode::OK);
    assert!(v.as_array().unwrap().len() >= 25);
    let (s, ct, v) = get("/api/v1/boundaries").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ct, "application/geo+json");
    assert_eq!(v["features"].as_array().unwrap().len(), 418);
}

#[tokio::test]
async fn unknown_routes_and_methods_are_problems() {
    let (s, ct, v) = get("/api/v1/nothing").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_problem(&ct, &v, s);
    let (s, ct, v) = get("/api/v1/rank").await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    assert_problem(&ct, &v, s);
    let (s, ct, v) = get("/../../etc/passwd").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_problem(&ct, &v, s);
}

#[tokio::test]
async fn the_page_is_served_with_security_headers() {
    let res = app()
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers();
    assert!(
        h[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        h[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("script-src 'self'")
    );
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(
        h.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none(),
        "CORS is off by default"
    );
}

#[tokio::test]
async fn cors_only_for_listed_origins() {
    let args = ServeArgs {
        cors_origins: vec!["https://welcome.example".into()],
        ..ServeArgs::default()
    };
    let req = Request::get("/healthz")
        .header(header::ORIGIN, "https://welcome.example")
        .body(Body::empty())
        .unwrap();
    let res = app_with(args).oneshot(req).await.unwrap();
    assert_eq!(
        res.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://welcome.example"
    );
}

/// A GET with optional extra headers: status, headers and the body as it came (not copied).
async fn get_raw(
    app: Router,
    path: &str,
    extra: &[(&str, &str)],
) -> (StatusCode, axum::http::HeaderMap, axum::body::Bytes) {
    let mut req = Request::get(path);
    for (k, v) in extra {
        req = req.header(*k, *v);
    }
    let res = app.oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = axum::body::to_bytes(res.into_body(), 50_000_000)
        .await
        .unwrap();
    (status, headers, bytes)
}

/// Issue 11, item 9: the boundaries and the OpenAPI document are serialised and compressed once
/// and served from memory: every request gets the very same bytes, and the gzip form decodes
/// to the plain one.
#[tokio::test]
async fn boundaries_and_the_openapi_document_are_made_once() {
    use std::io::Read;
    let app = app();
    for (path, ct) in [
        ("/api/v1/boundaries", "application/geo+json"),
        ("/openapi.json", "application/json"),
    ] {
        let (s, h, plain) = get_raw(app.clone(), path, &[]).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert_eq!(h[header::CONTENT_TYPE], ct, "{path}");
        assert!(h.get(header::CONTENT_ENCODING).is_none(), "{path}");
        let (_, _, plain_again) = get_raw(app.clone(), path, &[]).await;
        assert_eq!(plain.as_ptr(), plain_again.as_ptr(), "{path}: made again");
        let gzip = [("accept-encoding", "gzip, deflate, br")];
        let (s, h, zipped) = get_raw(app.clone(), path, &gzip).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert_eq!(h[header::CONTENT_ENCODING], "gzip", "{path}");
        assert_eq!(h[header::CONTENT_TYPE], ct, "{path}");
        let (_, _, zipped_again) = get_raw(app.clone(), path, &gzip).await;
        assert_eq!(
            zipped.as_ptr(),
            zipped_again.as_ptr(),
            "{path}: compressed again for the second request"
        );
        assert!(zipped.len() * 3 < plain.len(), "{path}");
        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(&zipped[..])
            .read_to_end(&mut unzipped)
            .unwrap();
        assert_eq!(unzipped, plain, "{path}");
    }
}

/// Issue 11, item 10: a positive weight below the minimum (5e-324 made every town 100 in the
/// geometric mean) is refused in either aggregation, naming the field and the range; the
/// smallest allowed weight ranks as any other.
#[tokio::test]
async fn weights_below_the_minimum_are_refused() {
    let app = app();
    for aggregation in ["arithmetic", "geometric"] {
        let all = |w: &str| {
            let weights: Vec<String> = scoring::Criterion::ALL
                .iter()
                .map(|c| format!("\"{}\": {w}", c.id()))
                .collect();
            format!(
                r#"{{"adults": 2, "children": [4], "aggregation": "{aggregation}", "weights": {{{}}}}}"#,
                weights.join(", ")
            )
        };
        for tiny in ["5e-324", "1e-200", "0.001"] {
            let (s, h, body) = post_raw(app.clone(), "/api/v1/rank?top=1", &all(tiny), &[]).await;
            let v: Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(
                s,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{aggregation} {tiny}: {v}"
            );
            assert_problem(h[header::CONTENT_TYPE].to_str().unwrap(), &v, s);
            assert!(v["field"].as_str().unwrap().starts_with("weights."), "{v}");
            assert_eq!(v["allowed"], "0, or 0.01–5", "{v}");
        }
        let (s, _, body) = post_raw(app.clone(), "/api/v1/rank?top=1", &all("0.01"), &[]).await;
        let v: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(s, StatusCode::OK, "{aggregation}: {v}");
        let scores: Vec<f64> = all_ranked(&v).iter().map(|r| r.2).collect();
        assert!(scores.len() > 300, "{aggregation}");
        assert!(
            scores.first() > scores.last() && scores.iter().any(|&s| s < 99.0),
            "{aggregation}: equal small weights must rank as equal weights do, not all alike"
        );
    }
}

/// A ranking answer carries what every row shares once: labels, units, medians and parts in
/// `criteria`, none of them in the rows; the page joins them back.
#[tokio::test]
async fn rank_answers_carry_labels_and_medians_once() {
    let (s, _, v) = post("/api/v1/rank?lang=en", "application/json", FAMILY).await;
    assert_eq!(s, StatusCode::OK);
    let criteria = v["criteria"].as_array().unwrap();
    let childcare = criteria
        .iter()
        .find(|c| c["criterion"] == "childcare")
        .unwrap();
    assert_eq!(childcare["unit"], "%");
    let kita = &childcare["parts"][0];
    assert_eq!(
        (kita["part"].as_str(), kita["role"].as_str()),
        (Some("kita_distance"), Some("shown"))
    );
    assert!(
        kita["label"].is_string() && kita["note"].is_string(),
        "{kita}"
    );
    let row = &v["ranked"][0];
    for e in row["explanations"].as_array().unwrap() {
        for key in ["label", "unit", "median", "resolution", "weight"] {
            assert!(e.get(key).is_none(), "{key} repeated in a row: {e}");
        }
        for p in e["parts"].as_array().into_iter().flatten() {
            assert!(p.get("label").is_none() && p.get("median").is_none(), "{p}");
        }
    }
    assert!(v["context"][0]["label"].is_string());
    assert!(row["context"][0].get("label").is_none());
}

/// A warm-rent budget is accepted, compared with the warm rent, and needs a budget.
#[tokio::test]
async fn a_warm_rent_budget_is_compared_with_the_warm_rent() {
    let warm = r#"{"adults": 2, "children": [3], "rent_budget_eur": 1100, "rent_budget_basis": "warm", "lang": "en"}"#;
    let (s, _, v) = post("/api/v1/rank", "application/json", warm).await;
    assert_eq!(s, StatusCode::OK);
    let afford = v["ranked"][0]["explanations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["criterion"] == "affordability")
        .unwrap();
    let sentence = afford["sentence"].as_str().unwrap();
    assert!(
        sentence.contains("warm-rent budget of 1,100 €"),
        "{sentence}"
    );
    let (s, ct, v) = post(
        "/api/v1/rank",
        "application/json",
        r#"{"adults": 1, "rent_budget_basis": "warm"}"#,
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_problem(&ct, &v, s);
    assert_eq!(v["field"], "rent_budget_basis");
}

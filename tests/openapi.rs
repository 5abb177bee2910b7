//! `GET /openapi.json`: the document is OpenAPI 3.1, parses into an independent typed model
//! (`oas3`), every `$ref` resolves, every schema is a valid JSON Schema 2020-12, it lists every
//! route of the API router (read from the router's source, so a new route without
//! `#[utoipa::path]` fails here) and nothing else, and real responses of every route — success
//! and each error class — carry a documented status and content type and validate against the
//! documented schema (`jsonschema`).

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use lotse::server::{AppState, ServeArgs, router};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use tower::ServiceExt;

fn app_with(boundaries: bool) -> Router {
    let atlas = datasets::atlas_file::bundled().unwrap();
    let boundaries = boundaries.then(|| datasets::atlas_file::BUNDLED_BOUNDARIES.to_string());
    router(
        AppState::new(atlas, boundaries).unwrap(),
        &ServeArgs::default(),
    )
}

async fn send(
    app: Router,
    method: Method,
    uri: &str,
    content_type: Option<&str>,
    body: impl Into<Body>,
) -> (StatusCode, String, Vec<u8>) {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(ct) = content_type {
        req = req.header(header::CONTENT_TYPE, ct);
    }
    let res = app.oneshot(req.body(body.into()).unwrap()).await.unwrap();
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

async fn document() -> (String, Value) {
    let (s, ct, b) = send(app_with(true), Method::GET, "/openapi.json", None, "").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ct, "application/json");
    let text = String::from_utf8(b).unwrap();
    let doc = serde_json::from_str(&text).unwrap();
    (text, doc)
}

/// Every API route: (method, path template).
const ROUTES: &[(&str, &str)] = &[
    ("GET", "/healthz"),
    ("POST", "/api/v1/rank"),
    ("GET", "/api/v1/municipalities"),
    ("GET", "/api/v1/municipalities/{ags}"),
    ("GET", "/api/v1/municipalities/{ags}/explain"),
    ("POST", "/api/v1/municipalities/{ags}/explain"),
    ("GET", "/api/v1/compare"),
    ("POST", "/api/v1/compare"),
    ("GET", "/api/v1/criteria"),
    ("GET", "/api/v1/sources"),
    ("GET", "/api/v1/boundaries"),
    ("POST", "/api/v1/batch"),
    ("GET", "/openapi.json"),
];

/// `(METHOD, path)` of every `.route(…)` in a router's source.
fn routes_in_source(src: &str) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for chunk in src.split(".route(").skip(1) {
        let path = chunk
            .trim_start()
            .strip_prefix('"')
            .and_then(|r| r.split('"').next())
            .expect("a route path literal");
        // The arguments of this .route( call: up to its closing parenthesis.
        let mut depth = 1;
        let end = chunk
            .char_indices()
            .find(|&(_, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .map(|(i, _)| i)
            .unwrap();
        let args = &chunk[..end];
        for m in ["get", "post", "put", "patch", "delete"] {
            let needle = format!("{m}(");
            let found = args.match_indices(&needle).any(|(i, _)| {
                i == 0
                    || !args.as_bytes()[i - 1].is_ascii_alphanumeric()
                        && args.as_bytes()[i - 1] != b'_'
            });
            if found {
                out.insert((m.to_ascii_uppercase(), path.to_string()));
            }
        }
    }
    out
}

#[tokio::test]
async fn document_is_openapi_31_and_lists_every_route() {
    let (text, doc) = document().await;
    let version = doc["openapi"].as_str().unwrap();
    assert!(version.starts_with("3.1."), "OpenAPI {version}");
    assert_eq!(doc["info"]["title"], "lotse");

    // An independent typed model of OpenAPI 3.1 reads it, and its version check passes.
    let spec = oas3::from_json(&text).expect("the document parses as OpenAPI 3.1");
    spec.validate_version()
        .expect("a supported OpenAPI version");
    let documented: BTreeSet<(String, String)> = spec
        .operations()
        .map(|(path, method, _)| (method.to_string(), path))
        .collect();
    let expected: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(documented, expected);

    // The routers' source agrees: no route is served without being documented. (The page,
    // `/`, `/app.js` and `/style.css` in web.rs, is deliberately not part of the API.)
    let mut in_source = routes_in_source(include_str!("../src/server/api.rs"));
    in_source.extend(routes_in_source(include_str!("../src/server/openapi.rs")));
    in_source.extend(routes_in_source(include_str!("../src/server/batch.rs")));
    assert_eq!(
        in_source, expected,
        "routes in src/server/{{api,batch,openapi}}.rs"
    );
    for page in ["/", "/app.js", "/style.css"] {
        assert!(doc["paths"].get(page).is_none());
    }

    // Every operation has an id, a summary, a 2xx response and describes its errors.
    for (path, method, op) in spec.operations() {
        let what = format!("{method} {path}");
        assert!(op.operation_id.is_some(), "{what}: operationId");
        assert!(op.summary.is_some(), "{what}: summary");
        let codes: Vec<&String> = op.responses.as_ref().unwrap().keys().collect();
        assert!(
            codes.iter().any(|c| c.starts_with('2')),
            "{what}: {codes:?}"
        );
        for (code, res) in op.responses.as_ref().unwrap() {
            let res = res.resolve(&spec).unwrap();
            if !code.starts_with('2') {
                assert!(
                    res.content.contains_key("application/problem+json"),
                    "{what} {code}: errors are problem+json"
                );
            }
        }
    }
    // Path parameters are declared.
    let op = spec
        .operation(&Method::GET, "/api/v1/municipalities/{ags}")
        .unwrap();
    assert!(op.parameters.iter().any(|p| {
        let p = p.resolve(&spec).unwrap();
        p.name == "ags" && p.location == oas3::spec::ParameterIn::Path && p.required == Some(true)
    }));
    let op = spec.operation(&Method::POST, "/api/v1/rank").unwrap();
    let query: BTreeSet<String> = op
        .parameters
        .iter()
        .map(|p| p.resolve(&spec).unwrap().name)
        .collect();
    assert_eq!(query, BTreeSet::from(["lang".into(), "top".into()]));
    assert!(op.request_body.is_some());

    // Every reference points into the document and resolves.
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(refs.len() > 50, "only {} refs", refs.len());
    for r in &refs {
        let pointer = r
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("external $ref {r}"));
        assert!(doc.pointer(pointer).is_some(), "unresolved $ref {r}");
    }
    // … and every component is used.
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in schemas.keys() {
        let r = format!("#/components/schemas/{name}");
        assert!(refs.contains(&r), "unused component {name}");
    }
    for name in [
        "Problem",
        "Ranking",
        "Profile",
        "Comparison",
        "Table",
        "Source",
        "CriterionSet",
    ] {
        assert!(schemas.contains_key(name), "component {name}");
    }
    assert_eq!(schemas["CriterionSet"]["type"], "array");

    // Every schema is a valid JSON Schema (OpenAPI 3.1 schemas are JSON Schema 2020-12).
    let all = json!({"$schema": DIALECT, "$defs": schemas});
    if let Err(e) = jsonschema::meta::validate(&all) {
        panic!("invalid schema at {}: {e}", e.instance_path());
    }
}

const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "$ref" {
                    out.push(x.as_str().unwrap().to_string());
                } else {
                    collect_refs(x, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

const FAMILY: &str =
    r#"{"adults": 2, "children": [3, 7], "rent_budget_eur": 900, "workplace": "Dresden"}"#;
/// The documented path of one municipality explained.
const EXPLAIN: &str = "/api/v1/municipalities/{ags}/explain";

/// Hard limits (exclusions of several kinds), two workplaces, a commute limit of the
/// household's, an essential criterion (leisure 5), no car, geometric mean.
const DEMANDING: &str = r#"{"adults": 2, "children": [1, 11], "income_eur": 4200,
    "rent_budget_eur": 1100, "workplace": ["Leipzig", {"lat": 51.05, "lon": 13.74}],
    "max_commute_km": 90, "max_commute_min": 240, "car": false, "weights": {"leisure": 5, "town_size": 2},
    "must": {"within_km": {"gymnasium": 8}, "max_rent_share_pct": 40, "min_population": 3000},
    "town_size": "small_town", "lang": "de", "aggregation": "geometric"}"#;

struct Case {
    method: Method,
    uri: &'static str,
    /// The documented path template.
    template: &'static str,
    content_type: Option<&'static str>,
    body: String,
    status: StatusCode,
    boundaries: bool,
}

fn case(method: Method, uri: &'static str, template: &'static str, status: u16) -> Case {
    Case {
        method,
        uri,
        template,
        content_type: None,
        body: String::new(),
        status: StatusCode::from_u16(status).unwrap(),
        boundaries: true,
    }
}

fn json_case(uri: &'static str, template: &'static str, body: &str, status: u16) -> Case {
    Case {
        content_type: Some("application/json"),
        body: body.to_string(),
        ..case(Method::POST, uri, template, status)
    }
}

/// Real requests of every route and every error class the handlers answer with.
fn cases() -> Vec<Case> {
    use Method as M;
    let compare = |ags: &str, profile: &str| format!(r#"{{"ags": {ags}, "profile": {profile}}}"#);
    vec![
        case(M::GET, "/healthz", "/healthz", 200),
        json_case("/api/v1/rank?lang=en&top=5", "/api/v1/rank", FAMILY, 200),
        json_case("/api/v1/rank", "/api/v1/rank", DEMANDING, 200),
        json_case("/api/v1/rank", "/api/v1/rank", r#"{"adults": 1}"#, 200),
        json_case("/api/v1/rank?top=0", "/api/v1/rank", FAMILY, 400),
        json_case("/api/v1/rank?colour=red", "/api/v1/rank", FAMILY, 400),
        json_case("/api/v1/rank", "/api/v1/rank", r#"{"adults": 2,"#, 400),
        json_case("/api/v1/rank", "/api/v1/rank", "", 400),
        json_case(
            "/api/v1/rank",
            "/api/v1/rank",
            &format!(r#"{{"adults": 2, "x": "{}"}}"#, "a".repeat(100_000)),
            413,
        ),
        Case {
            content_type: Some("text/plain"),
            ..json_case("/api/v1/rank", "/api/v1/rank", FAMILY, 415)
        },
        json_case("/api/v1/rank", "/api/v1/rank", r#"{"adults": 0}"#, 422),
        json_case(
            "/api/v1/rank",
            "/api/v1/rank",
            r#"{"adults": 2, "children": [4, 19]}"#,
            422,
        ),
        case(
            M::GET,
            "/api/v1/municipalities",
            "/api/v1/municipalities",
            200,
        ),
        case(
            M::GET,
            "/api/v1/municipalities/14612000?lang=de",
            "/api/v1/municipalities/{ags}",
            200,
        ),
        case(
            M::GET,
            "/api/v1/municipalities/14521010",
            "/api/v1/municipalities/{ags}",
            200,
        ),
        case(
            M::GET,
            "/api/v1/municipalities/99999999",
            "/api/v1/municipalities/{ags}",
            404,
        ),
        case(
            M::GET,
            "/api/v1/municipalities/14612000?lang=fr",
            "/api/v1/municipalities/{ags}",
            400,
        ),
        case(
            M::GET,
            "/api/v1/municipalities/14612000/explain?lang=de",
            EXPLAIN,
            200,
        ),
        case(
            M::GET,
            "/api/v1/municipalities/99999999/explain",
            EXPLAIN,
            404,
        ),
        case(
            M::GET,
            "/api/v1/municipalities/14612000/explain?lang=fr",
            EXPLAIN,
            400,
        ),
        json_case(
            "/api/v1/municipalities/14713000/explain",
            EXPLAIN,
            FAMILY,
            200,
        ),
        json_case(
            "/api/v1/municipalities/14730230/explain",
            EXPLAIN,
            DEMANDING,
            200,
        ),
        json_case(
            "/api/v1/municipalities/14521010/explain",
            EXPLAIN,
            DEMANDING,
            200,
        ),
        json_case(
            "/api/v1/municipalities/14713000/explain",
            EXPLAIN,
            "{\"adults\": 2,",
            400,
        ),
        json_case(
            "/api/v1/municipalities/99999999/explain",
            EXPLAIN,
            FAMILY,
            404,
        ),
        json_case(
            "/api/v1/municipalities/14713000/explain",
            EXPLAIN,
            &format!(r#"{{"adults": 2, "x": "{}"}}"#, "a".repeat(100_000)),
            413,
        ),
        Case {
            content_type: Some("text/plain"),
            ..json_case(
                "/api/v1/municipalities/14713000/explain",
                EXPLAIN,
                FAMILY,
                415,
            )
        },
        json_case(
            "/api/v1/municipalities/14713000/explain",
            EXPLAIN,
            r#"{"adults": 0}"#,
            422,
        ),
        case(
            M::GET,
            "/api/v1/compare?ags=14612000,14713000,14521010&lang=de",
            "/api/v1/compare",
            200,
        ),
        case(
            M::GET,
            "/api/v1/compare?ags=14612000",
            "/api/v1/compare",
            400,
        ),
        case(
            M::GET,
            "/api/v1/compare?ags=14612000,Atlantis",
            "/api/v1/compare",
            404,
        ),
        case(
            M::GET,
            "/api/v1/compare?ags=14612000,Bad",
            "/api/v1/compare",
            422,
        ),
        json_case(
            "/api/v1/compare",
            "/api/v1/compare",
            &compare(r#"["14730230", "Leipzig", "14521010"]"#, DEMANDING),
            200,
        ),
        json_case(
            "/api/v1/compare",
            "/api/v1/compare",
            &compare(r#"["14612000", "14713000"]"#, FAMILY),
            200,
        ),
        json_case(
            "/api/v1/compare",
            "/api/v1/compare",
            &compare(r#"["14612000", "14713000"]"#, r#"{"adults": 0}"#),
            422,
        ),
        json_case(
            "/api/v1/compare",
            "/api/v1/compare",
            r#"{"ags": ["14612000", "14713000"]}"#,
            422,
        ),
        json_case(
            "/api/v1/compare",
            "/api/v1/compare",
            &compare(r#"["14612000"]"#, FAMILY),
            400,
        ),
        case(M::GET, "/api/v1/criteria", "/api/v1/criteria", 200),
        case(M::GET, "/api/v1/sources", "/api/v1/sources", 200),
        case(M::GET, "/api/v1/boundaries", "/api/v1/boundaries", 200),
        Case {
            boundaries: false,
            ..case(M::GET, "/api/v1/boundaries", "/api/v1/boundaries", 404)
        },
        case(M::GET, "/openapi.json", "/openapi.json", 200),
        // One line per answer line: a one-profile body validates as one `BatchLine`.
        ndjson_case("/api/v1/batch?top=3", FAMILY.replace('\n', " "), 200),
        ndjson_case(
            "/api/v1/batch",
            r#"{"profile_id": "x", "adults": 0}"#.into(),
            200,
        ),
        ndjson_case("/api/v1/batch?top=0", FAMILY.replace('\n', " "), 400),
        ndjson_case("/api/v1/batch", "\n\n".into(), 400),
        ndjson_case("/api/v1/batch", "{\"adults\": 1}\n".repeat(1001), 413),
        Case {
            content_type: Some("application/json"),
            ..ndjson_case("/api/v1/batch", FAMILY.into(), 415)
        },
    ]
}

fn ndjson_case(uri: &'static str, body: String, status: u16) -> Case {
    Case {
        content_type: Some("application/x-ndjson"),
        body,
        ..case(Method::POST, uri, "/api/v1/batch", status)
    }
}

#[tokio::test]
async fn real_responses_validate_against_their_documented_schemas() {
    let (_, doc) = document().await;
    let mut succeeded = BTreeSet::new();
    let mut bodies: Vec<(&str, Value)> = Vec::new();
    for c in cases() {
        let what = format!("{} {} → {}", c.method, c.uri, c.status);
        let (status, ct, body) = send(
            app_with(c.boundaries),
            c.method.clone(),
            c.uri,
            c.content_type,
            c.body.clone(),
        )
        .await;
        assert_eq!(
            status,
            c.status,
            "{what}: {}",
            String::from_utf8_lossy(&body[..body.len().min(500)])
        );
        let op = &doc["paths"][c.template][c.method.as_str().to_ascii_lowercase()];
        assert!(op.is_object(), "{what}: not documented");
        let res = &op["responses"][status.as_str()];
        assert!(res.is_object(), "{what}: status not documented");
        let media = ct.split(';').next().unwrap().trim();
        let schema = res["content"][media]["schema"].clone();
        assert!(
            schema.is_object(),
            "{what}: content type {ct} not documented: {res}"
        );
        let instance: Value = serde_json::from_slice(&body).unwrap();
        let mut root = match schema {
            Value::Object(m) => m,
            _ => unreachable!(),
        };
        root.insert("$schema".into(), DIALECT.into());
        root.insert("components".into(), doc["components"].clone());
        let validator = jsonschema::validator_for(&Value::Object(root)).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .take(5)
            .map(|e| format!("at {}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{what}: {errors:#?}");
        if status.is_success() {
            succeeded.insert((c.method.to_string(), c.template.to_string()));
            bodies.push((c.template, instance));
        }
    }
    // The validated answers include the optional and tagged shapes, so their schemas were
    // exercised: exclusions (flattened `limit` tag), dominated rows, help contacts,
    // robustness, and compared towns both ranked and excluded.
    let rankings: Vec<&Value> = bodies
        .iter()
        .filter(|(t, _)| *t == "/api/v1/rank")
        .map(|(_, v)| v)
        .collect();
    let rows = || {
        rankings
            .iter()
            .flat_map(|r| r["ranked"].as_array().unwrap())
    };
    let limits: BTreeSet<&str> = rankings
        .iter()
        .flat_map(|r| r["excluded"].as_array().unwrap())
        .map(|e| e["limit"].as_str().unwrap())
        .collect();
    assert!(limits.len() >= 3, "{limits:?}");
    assert!(rows().any(|r| r["dominated_by"].is_object()));
    assert!(
        rankings
            .iter()
            .any(|r| r["help"][0]["district_ags5"].is_array())
    );
    assert!(rankings.iter().any(|r| r["rest"]["ags"][0].is_string()));
    assert!(rows().any(|r| r["explanations"][0]["parts"].is_array()));
    assert!(
        rankings
            .iter()
            .any(|r| r["robustness"]["draws"].as_u64() == Some(10_000))
    );
    // Every explained row carries its robustness: share, rank interval and group.
    assert!(rows().all(|r| {
        r["explanations"].is_null()
            || (r["top_k_share"].is_f64()
                && r["rank_interval"].as_array().is_some_and(|i| i.len() == 2)
                && r["group"].as_u64().is_some_and(|g| g >= 1))
    }));
    let statuses: BTreeSet<&str> = bodies
        .iter()
        .filter(|(t, _)| *t == "/api/v1/compare")
        .flat_map(|(_, v)| v["municipalities"].as_array().unwrap())
        .map(|m| m["status"]["status"].as_str().unwrap())
        .collect();
    assert!(
        statuses.contains("ranked") && statuses.contains("excluded"),
        "{statuses:?}"
    );
    let explained: BTreeSet<&str> = bodies
        .iter()
        .filter(|(t, _)| *t == EXPLAIN)
        .map(|(_, v)| v["municipality"]["status"]["status"].as_str().unwrap())
        .collect();
    assert!(
        explained.contains("ranked") && explained.contains("excluded"),
        "{explained:?}"
    );
    // Every route was exercised successfully.
    let all: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(succeeded, all);
}

/// The schemas are strict enough to catch a drifted shape: a ranking without its rows, or a
/// problem with a numeric title, does not validate.
#[tokio::test]
async fn schemas_reject_wrong_shapes() {
    let (_, doc) = document().await;
    let validator = |name: &str| {
        jsonschema::validator_for(&json!({
            "$schema": DIALECT,
            "$ref": format!("#/components/schemas/{name}"),
            "components": doc["components"].clone(),
        }))
        .unwrap()
    };
    let problem = validator("Problem");
    let good = json!({"type": "about:blank", "title": "Not Found", "status": 404, "detail": "x"});
    assert!(problem.is_valid(&good));
    assert!(
        !problem
            .is_valid(&json!({"type": "about:blank", "title": 404, "status": 404, "detail": "x"}))
    );
    assert!(!problem.is_valid(&json!({"title": "Not Found", "status": 404})));

    let (_, _, body) = send(
        app_with(true),
        Method::POST,
        "/api/v1/rank",
        Some("application/json"),
        FAMILY,
    )
    .await;
    let mut ranking: Value = serde_json::from_slice(&body).unwrap();
    let ranking_schema = validator("Ranking");
    assert!(ranking_schema.is_valid(&ranking));
    // The commute limit in force is documented: who set it is one of two words.
    assert_eq!(ranking["commute_limit"]["set_by"], "default");
    ranking["commute_limit"]["set_by"] = json!("nobody");
    assert!(!ranking_schema.is_valid(&ranking));
    ranking["commute_limit"]["set_by"] = json!("household");
    assert!(ranking_schema.is_valid(&ranking));
    // A rank interval is two ranks, a group counts from 1.
    for (field, wrong) in [
        ("rank_interval", json!([3])),
        ("rank_interval", json!([3, 9, 12])),
        ("group", json!(0)),
    ] {
        let mut drifted = ranking.clone();
        drifted["ranked"][0][field] = wrong;
        assert!(!ranking_schema.is_valid(&drifted), "{field}");
    }
    ranking["ranked"][0]["score"] = json!("high");
    assert!(!ranking_schema.is_valid(&ranking));
    ranking.as_object_mut().unwrap().remove("ranked");
    assert!(!ranking_schema.is_valid(&ranking));

    // The request schema accepts the profiles the API accepts, one workplace or several.
    let profile = validator("Profile");
    for p in [FAMILY, DEMANDING, r#"{"adults": 1, "workplace": 14612000}"#] {
        let v: Value = serde_json::from_str(p).unwrap();
        assert!(profile.is_valid(&v), "{p}");
    }
    // The commute limit's range is documented as validation enforces it.
    let mut p: Value = serde_json::from_str(FAMILY).unwrap();
    p["max_commute_min"] = json!(2);
    assert!(!profile.is_valid(&p));
    p["max_commute_min"] = json!(90);
    assert!(profile.is_valid(&p));
}

//! The JSON API under `/api/v1`. Handlers are thin: they take their input from the
//! extractors of [`super::extract`] (parsed and checked there, refused there as a
//! [`Problem`]), call the scoring core, serialise. Every error is a [`Problem`].

use super::answer;
use super::extract::{
    AgsPath, ApiQuery, CompareBody, CompareRequest, CompareTowns, Params, ProfileBody, Top,
};
use super::problem::Problem;
use super::{AppState, Slot};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, FromRequest, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use scoring::atlas::{Atlas, CentralPlace, Source};
use scoring::criteria::Table;
use scoring::rank::{ActiveCriterion, Compared, Comparison, ContextInfo, Note, ResolvedWorkplace};
use scoring::{Lang, Profile, RankOptions};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

type AppStateRef = State<Arc<AppState>>;

/// Media type of every error body.
const PROBLEM: &str = "application/problem+json";
/// Every route may answer 503 (concurrency limit reached or per-request time limit exceeded).
const UNAVAILABLE: &str = "The server is at its concurrency limit or the request exceeded its time limit (`Retry-After` says when to retry)";

pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/v1/rank", post(rank))
        .route("/api/v1/municipalities", get(municipalities))
        .route("/api/v1/municipalities/{ags}", get(municipality))
        .route(
            "/api/v1/municipalities/{ags}/explain",
            get(explain_get).post(explain_post),
        )
        .route("/api/v1/compare", get(compare_get).post(compare_post))
        .route("/api/v1/criteria", get(criteria))
        .route("/api/v1/sources", get(sources))
        .route("/api/v1/boundaries", get(boundaries))
}

/// JSON with the right content type from pre-serialised bytes.
fn json_bytes(bytes: impl Into<Bytes>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], bytes.into()).into_response()
}

fn json<T: Serialize>(value: &T) -> Result<Response, Problem> {
    serde_json::to_vec(value)
        .map(json_bytes)
        .map_err(|_| serialise_failed())
}

fn serialise_failed() -> Problem {
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Internal Server Error",
        "could not serialise the answer",
    )
}

/// Liveness, with the size and input hash of the loaded atlas.
#[derive(Serialize, utoipa::ToSchema)]
struct Health<'a> {
    /// Always `ok`.
    #[schema(example = "ok")]
    status: &'static str,
    /// Municipalities in the atlas.
    municipalities: usize,
    /// Indicators in the atlas.
    indicators: usize,
    /// Hash of the inputs the atlas was built from.
    atlas_input_hash: &'a str,
}

/// Liveness and the loaded atlas.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "meta",
    responses(
        (status = 200, description = "The server is up", body = Health),
        (status = 503, description = UNAVAILABLE, body = Problem, content_type = PROBLEM),
    )
)]
async fn healthz(State(s): AppStateRef) -> Response {
    json_bytes(
        serde_json::to_vec(&Health {
            status: "ok",
            municipalities: s.atlas().municipalities.len(),
            indicators: s.atlas().indicators.len(),
            atlas_input_hash: &s.atlas().input_hash,
        })
        .unwrap_or_default(),
    )
}

/// Query parameters of `POST /api/v1/rank`.
#[derive(Deserialize, Debug, Default, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RankQuery {
    /// Overrides the profile's `lang`.
    lang: Option<Lang>,
    /// How many of the best municipalities are explained in full (1–50, default 10).
    #[param(minimum = 1, maximum = 50, default = 10)]
    top: Option<usize>,
}

/// [`RankQuery`] checked: the language override and `top`.
pub struct RankParams {
    lang: Option<Lang>,
    top: Top,
}

impl Params for RankQuery {
    type Checked = RankParams;
    fn check(self) -> Result<RankParams, Problem> {
        Ok(RankParams {
            lang: self.lang,
            top: Top::check(self.top)?,
        })
    }
}

/// Ranks every municipality for one household profile.
///
/// The top `top` rows carry explanations (one per active criterion, with a sentence in the
/// profile's language), context figures, help contacts, the Pareto check and the robustness
/// (SMAA, 10,000 draws of weights and estimated inputs, described in `robustness`): the share
/// of draws in the top k, the rank interval (5th–95th percentile) and a group number — rows
/// whose intervals overlap share a group, and their order within it is not settled. The body
/// may be `application/json` or any `application/*+json`.
#[utoipa::path(
    post,
    path = "/api/v1/rank",
    tag = "ranking",
    params(RankQuery),
    request_body(content = Profile, description = "The household profile", content_type = "application/json"),
    responses(
        (status = 200, description = "The ranking (gzip-compressed when the client accepts gzip)", body = scoring::rank::RankingJson,
            headers(("x-lotse-cache" = String, description = "`hit` when the answer came from the rank cache, `miss` when it was computed"))),
        (status = 400, description = "Invalid query string (unknown parameter, `top` out of range), or a body that is empty, not UTF-8 or malformed JSON", body = Problem, content_type = PROBLEM),
        (status = 413, description = "The body exceeds the server's size limit", body = Problem, content_type = PROBLEM),
        (status = 415, description = "The body is not sent as JSON", body = Problem, content_type = PROBLEM),
        (status = 422, description = "The profile is well-formed JSON but invalid; `field` names the offending field and `allowed` what is accepted", body = Problem, content_type = PROBLEM),
        (status = 503, description = UNAVAILABLE, body = Problem, content_type = PROBLEM),
    )
)]
async fn rank(
    State(s): AppStateRef,
    ApiQuery(q): ApiQuery<RankQuery>,
    slot: Option<Extension<Slot>>,
    headers: HeaderMap,
    ProfileBody(mut profile): ProfileBody,
) -> Result<Response, Problem> {
    if let Some(lang) = q.lang {
        profile.lang = lang;
    }
    let top = q.top.get();
    // The profile is valid: planning is the validation (unknown workplace, out-of-range field).
    let plan = s.ranker().plan(&profile)?;
    let opts = RankOptions {
        explain_top: top,
        ..RankOptions::default()
    };
    // The parsed profile serialised again (plus `top`) is the cache key: spacing, field order
    // and spelt-out defaults do not matter.
    let mut key = serde_json::to_vec(&profile).map_err(|_| serialise_failed())?;
    key.extend_from_slice(format!("|top={top}").as_bytes());
    let gzip = answer::accepts_gzip(&headers);
    let (answer, hit) = match s.rank_cache.get(&key) {
        Some(answer) => (answer, true),
        None => {
            let state = s.clone();
            let json = super::on_cpu_pool(slot.clone(), move |_| {
                serde_json::to_vec(&state.ranker().rank_plan(&plan, &opts)).map(Bytes::from)
            })
            .await?
            .map_err(|_| serialise_failed())?;
            (s.rank_cache.insert(key, json), false)
        }
    };
    if gzip && answer.gzip_made().is_none() {
        // Compressing 100–200 kB: on the pool too.
        let a = answer.clone();
        super::on_cpu_pool(slot, move |_| a.gzip()).await?;
    }
    Ok(answer::respond(
        &answer,
        gzip,
        Some((CACHE_HEADER, if hit { "hit" } else { "miss" })),
    ))
}

/// `hit` when the answer came from the rank cache, `miss` when it was computed.
const CACHE_HEADER: header::HeaderName = header::HeaderName::from_static("x-lotse-cache");

/// One row of `GET /api/v1/municipalities`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MunicipalityListItem<'a> {
    ags: &'a str,
    name: &'a str,
    district: &'a str,
    population: Option<f64>,
    central_place: Option<CentralPlace>,
    lat: f64,
    lon: f64,
}

pub fn municipality_list(atlas: &Atlas) -> Vec<MunicipalityListItem<'_>> {
    let pop = atlas.indicator("population");
    atlas
        .municipalities
        .iter()
        .enumerate()
        .map(|(i, m)| MunicipalityListItem {
            ags: &m.ags,
            name: &m.name,
            district: atlas.district_of(m).map(|d| d.name.as_str()).unwrap_or(""),
            population: pop.and_then(|p| p.values[i]),
            central_place: m.central_place,
            lat: m.lat,
            lon: m.lon,
        })
        .collect()
}

/// Every municipality with its base facts, in AGS order.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities",
    tag = "atlas",
    responses(
        (status = 200, description = "All municipalities", body = Vec<MunicipalityListItem>),
        (status = 503, description = UNAVAILABLE, body = Problem, content_type = PROBLEM),
    )
)]
async fn municipalities(State(s): AppStateRef) -> Response {
    json_bytes(s.municipalities_json.clone())
}

/// One indicator of one municipality, with everything needed to cite it.
#[derive(Serialize, utoipa::ToSchema)]
struct IndicatorValue<'a> {
    id: &'a str,
    label: &'a str,
    unit: &'a str,
    value: Option<f64>,
    /// Why there is no value, in the answer's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    missing: Option<std::borrow::Cow<'a, str>>,
    resolution: scoring::atlas::Resolution,
    sources: &'a [String],
    reference_date: &'a str,
    method: &'a str,
    estimate: bool,
    derived_from_osm: bool,
}

/// One municipality with every indicator of the atlas, the sources they cite, its named station
/// and nearest places, and the district's help contacts.
#[derive(Serialize, utoipa::ToSchema)]
struct MunicipalityDetail<'a> {
    ags: &'a str,
    name: &'a str,
    official_name: &'a str,
    district_ags5: &'a str,
    district: &'a str,
    central_place: Option<CentralPlace>,
    lat: f64,
    lon: f64,
    predecessors: &'a [String],
    indicators: Vec<IndicatorValue<'a>>,
    sources: Vec<&'a scoring::atlas::Source>,
    /// The railway station nearest where its people live, with its DB category where DB runs it.
    #[serde(skip_serializing_if = "Option::is_none")]
    station: Option<&'a scoring::atlas::Station>,
    /// The station's category in words, in the answer's language.
    #[serde(skip_serializing_if = "Option::is_none")]
    station_category: Option<String>,
    /// Per facility category, the named places nearest where its people live (or why the
    /// category is not mapped here).
    places: Vec<scoring::places::PlaceGroup<'a>>,
    /// The district's help contacts (before the statewide ones), each with the street address
    /// its source records, where it records one.
    help: Vec<HelpItem<'a>>,
    /// Statewide services (recognition counselling, skilled-worker alliance, …) that serve every
    /// district.
    statewide_help: Vec<HelpItem<'a>>,
}

/// A help contact with the street address its source records (only in the detail: the rank
/// answer stays lean).
#[derive(Serialize, utoipa::ToSchema)]
struct HelpItem<'a> {
    #[serde(flatten)]
    contact: &'a scoring::atlas::HelpContact,
    /// E.g. "Otto-Schill-Straße 2"; absent where the source records none.
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<&'a str>,
}

impl<'a> From<&'a scoring::atlas::HelpContact> for HelpItem<'a> {
    fn from(contact: &'a scoring::atlas::HelpContact) -> Self {
        HelpItem {
            contact,
            address: contact.address(),
        }
    }
}

#[derive(Deserialize, Debug, Default, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct LangQuery {
    /// Language of the labels (default `en`).
    lang: Option<Lang>,
}

impl Params for LangQuery {
    type Checked = Option<Lang>;
    fn check(self) -> Result<Option<Lang>, Problem> {
        Ok(self.lang)
    }
}

/// One municipality: all indicators with their sources.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{ags}",
    tag = "atlas",
    params(
        ("ags" = String, Path, description = "8-digit AGS, e.g. 14612000", example = "14612000"),
        LangQuery,
    ),
    responses(
        (status = 200, description = "The municipality", body = MunicipalityDetail),
        (status = 400, description = "Invalid query string, or an AGS that is not UTF-8 once percent-decoded", body = Problem, content_type = PROBLEM),
        (status = 404, description = "No municipality with that AGS", body = Problem, content_type = PROBLEM),
        (status = 503, description = UNAVAILABLE, body = Problem, content_type = PROBLEM),
    )
)]
async fn municipality(
    State(s): AppStateRef,
    AgsPath(ags): AgsPath,
    ApiQuery(lang): ApiQuery<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let lang = lang.unwrap_or(Lang::En);
    let i = s.town(&ags)?;
    // The same bytes for every request of this municipality and language: made once.
    let slot = &s.details[i][(lang == Lang::De) as usize];
    let answer = match slot.get() {
        Some(a) => a.clone(),
        None => {
            let json = serde_json::to_vec(&municipality_detail(s.atlas(), i, lang))
                .map_err(|_| serialise_failed())?;
            slot.get_or_init(|| answer::Answer::new(json.into()))
                .clone()
        }
    };
    Ok(answer::respond(
        &answer,
        answer::accepts_gzip(&headers),
        None,
    ))
}

/// Everything about municipality `i` of the atlas, in `lang`.
fn municipality_detail(a: &Atlas, i: usize, lang: Lang) -> MunicipalityDetail<'_> {
    let m = &a.municipalities[i];
    let indicators: Vec<IndicatorValue> = a
        .indicators
        .iter()
        .map(|ind| IndicatorValue {
            id: &ind.meta.id,
            label: if lang == Lang::De {
                &ind.meta.label_de
            } else {
                &ind.meta.label_en
            },
            unit: &ind.meta.unit,
            value: ind.values[i],
            missing: ind
                .missing
                .get(&m.ags)
                .map(|why| scoring::gaps::reason(why, lang)),
            resolution: ind.meta.resolution,
            sources: &ind.meta.sources,
            reference_date: &ind.meta.reference_date,
            method: &ind.meta.method,
            estimate: ind.meta.estimate,
            derived_from_osm: ind.meta.derived_from_osm,
        })
        .collect();
    let places = scoring::places::places_near(a, i, lang);
    let mut used: Vec<&str> = indicators
        .iter()
        .flat_map(|i| i.sources.iter().map(String::as_str))
        .chain(
            places
                .iter()
                .flat_map(|g| g.sources.iter().map(String::as_str)),
        )
        .collect();
    used.sort_unstable();
    used.dedup();
    MunicipalityDetail {
        ags: &m.ags,
        name: &m.name,
        official_name: &m.official_name,
        district_ags5: &m.district_ags5,
        district: a.district_of(m).map(|d| d.name.as_str()).unwrap_or(""),
        central_place: m.central_place,
        lat: m.lat,
        lon: m.lon,
        predecessors: &m.predecessors,
        indicators,
        sources: used.into_iter().filter_map(|id| a.source(id)).collect(),
        station: m.station.as_ref(),
        station_category: m
            .station
            .as_ref()
            .and_then(|s| s.category)
            .map(|c| scoring::places::station_category(c, lang)),
        places,
        help: a
            .district_help(&m.district_ags5)
            .map(HelpItem::from)
            .collect(),
        statewide_help: a.statewide_help().map(HelpItem::from).collect(),
    }
}

/// The query string of `GET /api/v1/compare` as the OpenAPI document describes it (parsed by
/// [`CompareTowns`], which also takes `ags` repeated).
#[derive(Deserialize, Debug, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // documents the parameters; CompareTowns reads them
struct CompareQuery {
    /// 2–6 AGS or unique municipality names: repeated (`ags=14612000&ags=14713000`) or
    /// comma-separated (`ags=14612000,14713000`).
    #[param(example = "14612000,14713000")]
    ags: Option<String>,
    /// Language of labels and sentences (default `en`).
    lang: Option<Lang>,
}

/// The household the `GET` forms of compare and explain answer for: two adults, one child
/// of 6, no workplace; labels and sentences in `lang` (default `en`).
fn default_family(lang: Option<Lang>) -> Profile {
    let mut profile = Profile::new(2);
    profile.children = vec![6];
    profile.lang = lang.unwrap_or(Lang::En);
    profile
}

/// Compares for a profile (validated here, once, by the comparison: its errors come first),
/// with `note` first among the answer's notes when given (which household was compared).
fn do_compare(
    s: &AppState,
    profile: &Profile,
    ags: &[&str],
    note: Option<Note>,
) -> Result<Response, Problem> {
    match s.ranker().compare(profile, ags) {
        Ok(mut c) => {
            if let Some(note) = note {
                c.notes.insert(0, note);
            }
            json(&c)
        }
        Err(scoring::rank::RequestError::Profile(e)) => Err(e.into()),
        Err(scoring::rank::RequestError::Count { found }) => Err(Problem::bad_request(format!(
            "{found} municipalities given"
        ))
        .with_field("ags", "2–6 AGS or names, repeated or comma-separated")),
        Err(e @ scoring::rank::RequestError::NotFound { .. }) => {
            Err(Problem::not_found(e.to_string())
                .with_field("ags", "AGS or exact names")
                .with_choices(e.choices()))
        }
        Err(e) => Err(Problem::unprocessable(e.to_string())
            .with_field("ags", "2–6 distinct AGS or unique names")
            .with_choices(e.choices())),
    }
}

/// Compares 2–6 municipalities side by side for a default family profile (two adults, one
/// child of 6, no workplace).
#[utoipa::path(
    get,
    path = "/api/v1/compare",
    tag = "ranking",
    params(CompareQuery),
    responses(
        (status = 200, description = "The comparison", body = Comparison),
        (status = 400, description = "Invalid query string, or not 2–6 municipalities given", body = Problem, content_type = PROBLEM),
        (status = 404, description = "A municipality matches nothing", body = Problem, content_type = PROBLEM),
        (status = 422, description = "A name matches several municipalities", body = Problem, content_type = PROBLEM),
        (status = 503, description = UNAVAILABLE, body = Problem, content_type = PROBLEM),
    )
)]
async fn compare_get(State(s): AppStateRef, q: CompareTowns) -> Result<Response, Problem> {
    let ags: Vec<&str> = q.ags.iter().map(String::as_str).collect();
    let lang = q.lang.unwrap_or(Lang::En);
    let note = Note {
        code: "default_household",
        text: match lang {
            Lang::De => "Verglichen für einen Standardhaushalt: zwei Erwachsene, ein Kind von 6 \
                         Jahren, kein Arbeitsort, kein Budget. Für Ihren Haushalt: POST mit Ihrem \
                         Profil."
                .into(),
            Lang::En => "Compared for a default household: two adults, one child of 6, no \
                         workplace, no budget. For your household, POST your profile."
                .into(),
        },
    };
    do_compare(&s, &default_family(Some(lang)), &ags, Some(note))
}

/// Compares 2–6 municipalities side by side for a household profile.
#[utoipa::path(
    post,
    path = "/api/v1/compare",
    tag = "ranking",
    request_body(content = CompareBody, content_type = "application/json"),
    responses(
        (status = 200, description = "The comparison", body = Comparison),
        (status = 400, description = "Not 2–6 municipalities given, or a body that is empty, not UTF-8 or malformed JSON", body = Problem, content_type = PROBLEM),
        (status = 404, description = "A municipality matches nothing", body = Problem, content_type = PROBLEM),
        (status = 413, description = "The body exceeds the server's size limit", body = Problem, content_type = PROBLEM),
        (status = 415, description = "The body is not sent as JSON", body = Problem, content_type = PROBLEM),
        (status = 422, description = "The body is not `{ags, profile}`, the profile is invalid (`field` names it), or a name is ambiguous", body = Problem, content_type = PROBLEM),
        (status = 503, description = UNAVAILABLE, body = Problem, content_type = PROBLEM),
    )
)]
async fn compare_post(
    State(s): AppStateRef,
    CompareRequest { ags, profile }: CompareRequest,
) -> Result<Response, Problem> {
    let ags: Vec<&str> = ags.iter().map(String::as_str).collect();
    do_compare(&s, &profile, &ags, None)
}

/// One municipality explained for one household: where it stands in the household's ranking
/// and why, criterion by criterion (what the page shows for a town the ranking did not
/// explain).
#[derive(Serialize, utoipa::ToSchema)]
struct TownExplanation<'a> {
    /// The criteria that take part for this household, with their weights.
    criteria: Vec<ActiveCriterion<'a>>,
    /// The household's workplaces as found in the atlas.
    workplaces: Vec<ResolvedWorkplace>,
    /// Living space the household needs (m²), as the rent estimate uses it.
    living_space_m2: f64,
    /// What the town's `context` figures are (label, unit, level, median).
    context: Vec<ContextInfo<'a>>,
    /// Remarks on the profile (criteria switched on or off, and why).
    notes: Vec<Note>,
    /// The municipality: its rank and score (or why it has none), one explanation per
    /// criterion, context figures.
    municipality: Compared<'a>,
}

/// Municipality `i` of the atlas explained for `profile`, as JSON; on the CPU pool (it ranks
/// every municipality to place this one).
async fn explain(
    s: Arc<AppState>,
    i: usize,
    profile: Profile,
    slot: Option<Extension<Slot>>,
) -> Result<Response, Problem> {
    let json = super::on_cpu_pool(slot, move |_| {
        let atlas = s.atlas();
        let ags = atlas.municipalities[i].ags.as_str();
        let c = s.ranker().explain(&profile, ags).map_err(|e| match e {
            scoring::rank::RequestError::Profile(e) => e.into(),
            // An AGS of the atlas: nothing else can be wrong with it.
            _ => not_explained(),
        })?;
        let municipality = c
            .municipalities
            .into_iter()
            .next()
            .ok_or_else(not_explained)?;
        serde_json::to_vec(&TownExplanation {
            criteria: c.criteria,
            workplaces: c.workplaces,
            living_space_m2: c.living_space_m2,
            context: c.context,
            notes: c.notes,
            municipality,
        })
        .map_err(|_| serialise_failed())
    })
    .await??;
    Ok(json_bytes(json))
}

fn not_explained() -> Problem {
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Internal Server Error",
        "the municipality could not be explained",
    )
}

/// Explains one municipality for a default family profile (two adults, one child of 6, no
/// workplace): where it stands in that household's ranking and why.
#[utoipa::path(
    get,
    path = "/api/v1/municipalities/{ags}/explain",
    tag = "ranking",
    params(
        ("ags" = String, Path, description = "8-digit AGS, e.g. 14612000", example = "14612000"),
        LangQuery,
    ),
    responses(
        (status = 200, description = "The municipality explained", body = TownExplanation),
        (status = 400, description = "Invalid query string, or an AGS that is not UTF-8 once percent-decoded", body = Problem, content_type = PROBLEM),
        (status = 404, description = "No municipality with that AGS", body = Problem, content_type = PROBLEM),
        (status = 503, description = UNAVAILABLE, body = Problem, content_type = PROBLEM),
    )
)]
async fn explain_get(
    State(s): AppStateRef,
    AgsPath(ags): AgsPath,
    ApiQuery(lang): ApiQuery<LangQuery>,
    slot: Option<Extension<Slot>>,
) -> Result<Response, Problem> {
    let i = s.town(&ags)?;
    explain(s, i, default_family(lang), slot).await
}

/// Explains one municipality for a household profile: its rank and score in the household's
/// ranking (or the limits it misses, or why it has no rank), one explanation per active
/// criterion with a sentence in the profile's language, and context figures. The explanations
/// are those `POST /api/v1/rank` gives its top rows, for any municipality. The body is the
/// profile, as for `POST /api/v1/rank`.
#[utoipa::path(
    post,
    path = "/api/v1/municipalities/{ags}/explain",
    tag = "ranking",
    params(
        ("ags" = String, Path, description = "8-digit AGS, e.g. 14612000", example = "14612000"),
        ("lang" = Option<Lang>, Query, description = "Overrides the profile's `lang`"),
    ),
    request_body(content = Profile, description = "The household profile", content_type = "application/json"),
    responses(
        (status = 200, description = "The municipality explained", body = TownExplanation),
        (status = 400, description = "Invalid query string, an AGS that is not UTF-8 once percent-decoded, or a body that is empty, not UTF-8 or malformed JSON", body = Problem, content_type = PROBLEM),
        (status = 404, description = "No municipality with that AGS", body = Problem, content_type = PROBLEM),
        (status = 413, description = "The body exceeds the server's size limit", body = Problem, content_type = PROBLEM),
        (status = 415, description = "The body is not sent as JSON", body = Problem, content_type = PROBLEM),
        (status = 422, description = "The profile is well-formed JSON but invalid; `field` names the offending field and `allowed` what is accepted", body = Problem, content_type = PROBLEM),
        (status = 503, description = UNAVAILABLE, body = Problem, content_type = PROBLEM),
    )
)]
async fn explain_post(
    State(s): AppStateRef,
    AgsPath(ags): AgsPath,
    ApiQuery(lang): ApiQuery<LangQuery>,
    slot: Option<Extension<Slot>>,
    req: Request,
) -> Result<Response, Problem> {
    // An unknown AGS is a 404 before the body is read.
    let i = s.town(&ags)?;
    let ProfileBody(mut profile) = ProfileBody::from_request(req, &()).await?;
    if let Some(lang) = lang {
        profile.lang = lang;
    }
    explain(s, i, profile, slot).await
}

/// The criteria table: parameters, curves with breakpoints and reasons, criteria with their
/// parts and default weights.
#[utoipa::path(
    get,
    path = "/api/v1/criteria",
    tag = "atlas",
    responses(
        (status = 200, description = "The criteria table", body = Table),
        (status = 503, description = UNAVAILABLE, body = Problem, content_type = PROBLEM),
    )
)]
async fn criteria() -> Result<Response, Problem> {
    json(&scoring::criteria::table())
}

/// Every dataset of the atlas: publisher, licence, reference date.
#[utoipa::path(
    get,
    path = "/api/v1/sources",
    tag = "atlas",
    responses(
        (status = 200, description = "The sources", body = Vec<Source>),
        (status = 503, description = UNAVAILABLE, body = Problem, content_type = PROBLEM),
    )
)]
async fn sources(State(s): AppStateRef) -> Result<Response, Problem> {
    json(&s.atlas().sources)
}

/// Municipality boundaries of the atlas as a GeoJSON FeatureCollection (RFC 7946), for maps.
#[utoipa::path(
    get,
    path = "/api/v1/boundaries",
    tag = "atlas",
    responses(
        (status = 200, description = "A GeoJSON FeatureCollection: one feature per municipality, its AGS and name in the properties (gzip-compressed when the client accepts gzip; made once per atlas)", body = Object, content_type = "application/geo+json"),
        (status = 404, description = "No boundaries belong to the loaded atlas", body = Problem, content_type = PROBLEM),
        (status = 503, description = UNAVAILABLE, body = Problem, content_type = PROBLEM),
    )
)]
async fn boundaries(State(s): AppStateRef, headers: HeaderMap) -> Result<Response, Problem> {
    match &s.boundaries {
        // Serialised and compressed when the atlas was loaded: served from memory.
        Some(b) => Ok(answer::respond(
            b,
            answer::accepts_gzip(&headers),
            Some((header::CACHE_CONTROL, "public, max-age=300")),
        )),
        None => Err(Problem::not_found(
            "no boundaries belong to the loaded atlas",
        )),
    }
}

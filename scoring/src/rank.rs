//! Ranking: one profile over every municipality of an atlas, with reasons.
//!
//! [`Ranker::new`] does once per atlas everything that does not depend on the household: it
//! reorders the atlas into a dense column per indicator (AGS order, `NaN` for a gap), computes
//! state medians, and evaluates the curve of every indicator-based criterion for every
//! municipality in each household situation that changes it (car or not, children or not, the
//! youngest child's age band). [`Ranker::rank`] then only computes the profile-dependent
//! criteria (rent × space against budget and income, distance to the workplace, town size),
//! takes weighted means, applies the hard limits, sorts, and explains the top rows.
//!
//! Rules (see `shared/DOMAIN.md`):
//! - a hard limit excludes a municipality and says which limit and by how much; a limit that
//!   cannot be checked (no figure) excludes nothing but is flagged;
//! - a missing value is never 0 or 100: the criterion drops out for that municipality, its
//!   weight is shared among the others, the row shows which criteria dropped and what share of
//!   the weights its score rests on; below [`criteria::MIN_WEIGHT_COVERAGE`] it gets no rank;
//! - ties are broken by AGS, so the output is deterministic;
//! - a criterion whose indicators are absent from the whole atlas is left out for everyone and
//!   named in the notes, and does not count against the coverage of any municipality.

use crate::atlas::{Atlas, HelpContact, Municipality, Resolution};
use crate::criteria::{
    self, AgeBand, CAR_SPEED_KMH, CRITERIA as CRITERIA_ALL_SPECS, Combine, Criterion,
    DETOUR_FACTOR, EARTH_RADIUS_KM, GEOMETRIC_FLOOR, MIN_WEIGHT_COVERAGE, Pick, TRANSIT_SPEED_KMH,
};
use crate::profile::{Aggregation, Change, Lang, Profile, ProfileError, TownSize, Workplace};
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Indicator ids the computed criteria and the context read.
pub mod ids {
    pub const POPULATION: &str = "population";
    pub const RENT_NEW: &str = "rent_new_lease_estimate_eur_m2";
    pub const RENT_EXISTING: &str = "rent_existing_eur_m2";
    pub const ASKING_RENT_DISTRICT: &str = "asking_rent_district_eur_m2";
    pub const VACANCY: &str = "vacancy_pct";
    pub const COMMUTE_DISTANCE: &str = "commute_distance_km";
    pub const HORT_RATE: &str = "childcare_rate_6to10_pct";
    pub const SCHOOL_LEAVERS: &str = "school_leavers_no_qualification_pct";
}

/// Atlas positions of the indicators the computed criteria and the context read, looked up
/// once per atlas rather than per ranking.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Known {
    pub population: Option<usize>,
    pub rent_new: Option<usize>,
    pub rent_existing: Option<usize>,
    pub asking: Option<usize>,
    pub vacancy: Option<usize>,
    pub commute_distance: Option<usize>,
    pub hort: Option<usize>,
    pub school_leavers: Option<usize>,
}

/// A set of criteria (bit per [`Criterion::index`]); serialises as a list of ids.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(value_type = Vec<Criterion>)
)]
pub struct CriterionSet(u16);

impl CriterionSet {
    pub fn contains(self, c: Criterion) -> bool {
        self.0 & (1 << c.index()) != 0
    }
    pub fn insert(&mut self, c: Criterion) {
        self.0 |= 1 << c.index();
    }
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }
    pub fn iter(self) -> impl Iterator<Item = Criterion> {
        Criterion::ALL
            .into_iter()
            .filter(move |c| self.contains(*c))
    }
}

impl Serialize for CriterionSet {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter().map(|c| c.id()))
    }
}

/// What a ranking computes beyond scores. Deserialisable (missing fields take the defaults) so
/// that an API can accept it as it stands.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RankOptions {
    /// How many of the top rows get explanations, context, help contacts and the Pareto check.
    pub explain_top: usize,
    /// Whether to check the explained rows for Pareto dominance.
    pub pareto: bool,
    /// Weight-perturbation robustness of the top k, or none.
    pub robustness: Option<Robustness>,
}

impl Default for RankOptions {
    /// Top 10 explained, Pareto on, robustness of the top 10 with the table's defaults.
    fn default() -> Self {
        RankOptions {
            explain_top: 10,
            pareto: true,
            robustness: Some(Robustness::default()),
        }
    }
}

impl RankOptions {
    /// Scores and ranks only: no explanations, no Pareto check, no robustness.
    pub fn bare() -> Self {
        RankOptions {
            explain_top: 0,
            pareto: false,
            robustness: None,
        }
    }
}

/// Settings of the robustness check (SMAA-style weight perturbation).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Robustness {
    /// Size of the top group whose stability is reported.
    pub k: usize,
    /// Number of perturbed weight vectors.
    pub draws: u32,
    /// Each weight × uniform(1 − spread, 1 + spread).
    pub spread: f64,
    /// Seed: the same seed gives the same shares.
    pub seed: u64,
}

impl Default for Robustness {
    fn default() -> Self {
        Robustness {
            k: 10,
            draws: criteria::PERTURBATION_DRAWS.value as u32,
            spread: criteria::PERTURBATION_SPREAD.value,
            seed: 2001,
        }
    }
}

/// Why a criterion takes part.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SwitchedOn {
    /// Always on, default weight.
    Default,
    /// Switched on by the children's ages, the budget, the workplace or the town size.
    Profile,
    /// The profile set the weight explicitly.
    Weight,
}

/// A criterion in play for this profile.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActiveCriterion {
    pub criterion: Criterion,
    pub label: &'static str,
    /// The weight 0–5 in use.
    pub weight: f64,
    /// Share of all weights, before any per-municipality redistribution.
    pub share: f64,
    pub switched_on: SwitchedOn,
    /// False when the atlas has none of its indicators: then it is left out for everyone.
    pub available: bool,
    /// For childcare: the age band whose district rate stands in where no Kita is mapped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_band: Option<AgeBand>,
}

/// A note about the whole ranking (a criterion off or unavailable, a far workplace).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Note {
    /// Stable code, e.g. `affordability_needs_money`.
    pub code: &'static str,
    pub text: String,
}

/// A workplace as resolved against the atlas.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResolvedWorkplace {
    /// Municipality name or the coordinate.
    pub label: String,
    /// AGS when given as a municipality (its population-weighted centre is used).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ags: Option<String>,
    pub lat: f64,
    pub lon: f64,
}

/// A hard limit of the profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "limit", rename_all = "snake_case")]
pub enum Limit {
    /// `max_commute_km` for workplace number `workplace` (index into [`Ranking::workplaces`]).
    MaxCommuteKm {
        workplace: usize,
    },
    RentWithinBudget,
    MaxRentSharePct,
    /// `must.within_km.<facility>`.
    WithinKm {
        facility: &'static str,
    },
    MinPopulation,
    MaxPopulation,
}

/// One missed hard limit of one municipality.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Exclusion<'a> {
    pub ags: &'a str,
    pub name: &'a str,
    #[serde(flatten)]
    pub limit: Limit,
    /// The municipality's figure.
    pub value: f64,
    /// The limit.
    pub threshold: f64,
    pub unit: &'static str,
    /// By how much it missed (always positive, in `unit`).
    pub by: f64,
}

/// A municipality that dominates another on every active criterion.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dominator<'a> {
    pub ags: &'a str,
    pub name: &'a str,
    pub rank: u32,
}

/// A figure shown for context beside the score, never scored.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContextValue<'a> {
    pub indicator: &'a str,
    pub label: &'a str,
    pub value: Option<f64>,
    pub unit: &'a str,
    pub resolution: Resolution,
    pub median: Option<f64>,
}

/// One of the best k of [`Ranker::rank_top`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TopScore<'a> {
    pub rank: u32,
    pub ags: &'a str,
    pub name: &'a str,
    pub score: f64,
}

/// Intermediate state of one plan's scoring (see [`Ranker::sums`]).
struct Sums<'r, 'p, 'a> {
    d: Dynamic<'r>,
    excluded_rows: Vec<bool>,
    excluded: Vec<Exclusion<'a>>,
    unchecked: Vec<(usize, Limit)>,
    active: Vec<&'p Planned>,
    total: f64,
    sw: Vec<f64>,
    su: Vec<f64>,
    geo: bool,
}

/// One ranked municipality.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ranked<'a> {
    /// 1-based.
    pub rank: u32,
    pub ags: &'a str,
    pub name: &'a str,
    pub district: &'a str,
    /// 0–100.
    pub score: f64,
    /// Share (0–1) of the profile's weights the score rests on.
    pub weight_coverage: f64,
    /// Criteria left out for lack of data (weight redistributed).
    #[serde(skip_serializing_if = "CriterionSet::is_empty")]
    pub dropped: CriterionSet,
    /// Hard limits that could not be checked for lack of data.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unchecked_limits: Vec<Limit>,
    /// Share of the robustness draws in which it stays in the top k (top k only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_k_share: Option<f64>,
    /// Pareto check (explained rows only): true when no ranked municipality is at least as
    /// good on every active criterion and better on one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pareto_optimal: Option<bool>,
    /// The best-ranked municipality that dominates this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dominated_by: Option<Dominator<'a>>,
    /// Per criterion (explained rows only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub explanations: Vec<crate::explain::Explanation<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub context: Vec<ContextValue<'a>>,
    /// The district's Welcome Center, immigration office and the like (explained rows only;
    /// contacts for all of Saxony are in [`Ranking::statewide_help`], once).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub help: Vec<&'a HelpContact>,
}

/// A municipality without a rank because too little of the profile's weight has data.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unranked<'a> {
    pub ags: &'a str,
    pub name: &'a str,
    pub district: &'a str,
    /// Score on the criteria that do have data (not comparable with ranked scores).
    pub partial_score: Option<f64>,
    pub weight_coverage: f64,
    pub dropped: CriterionSet,
}

/// The result of ranking one profile.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ranking<'a> {
    pub region: &'a str,
    pub lang: Lang,
    pub aggregation: Aggregation,
    pub criteria: Vec<ActiveCriterion>,
    pub workplaces: Vec<ResolvedWorkplace>,
    pub living_space_m2: f64,
    /// Below this weight coverage a municipality gets no rank.
    pub min_weight_coverage: f64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// In rank order.
    pub ranked: Vec<Ranked<'a>>,
    pub unranked: Vec<Unranked<'a>>,
    /// One entry per missed limit, grouped by municipality in AGS order.
    pub excluded: Vec<Exclusion<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub robustness: Option<Robustness>,
    /// Contacts that help newcomers anywhere in the region (e.g. recognition of foreign
    /// qualifications), when any row is explained.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statewide_help: Vec<&'a HelpContact>,
}

/// Where a criterion's utilities come from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Source {
    /// A precomputed column of [`Ranker`].
    Column(usize),
    Affordability,
    Commute,
    TownSize,
}

#[derive(Clone, Debug)]
pub(crate) struct Planned {
    pub criterion: Criterion,
    pub weight: f64,
    pub source: Source,
    pub available: bool,
    pub switched_on: SwitchedOn,
}

#[derive(Clone, Debug)]
pub(crate) struct PlannedWorkplace {
    pub out: ResolvedWorkplace,
    pub unit: [f64; 3],
    /// Internal row when the workplace is a municipality (its commute median is precomputed).
    pub row: Option<usize>,
}

/// A profile resolved against the atlas: criteria, weights, workplaces, limits.
#[derive(Clone, Debug)]
pub struct Plan {
    pub(crate) lang: Lang,
    pub(crate) aggregation: Aggregation,
    pub(crate) car: bool,
    pub(crate) band: AgeBand,
    pub(crate) school_age: bool,
    pub(crate) hort_age: bool,
    pub(crate) criteria: Vec<Planned>,
    pub(crate) workplaces: Vec<PlannedWorkplace>,
    pub(crate) space_m2: f64,
    pub(crate) budget: Option<f64>,
    pub(crate) income: Option<f64>,
    pub(crate) max_commute_km: Option<f64>,
    pub(crate) within: Vec<(&'static str, Option<usize>, f64)>,
    pub(crate) rent_within_budget: bool,
    pub(crate) max_rent_share: Option<f64>,
    pub(crate) min_population: Option<f64>,
    pub(crate) max_population: Option<f64>,
    pub(crate) town_size: Option<TownSize>,
    pub(crate) notes: Vec<Note>,
}

/// Precomputed utilities of one indicator-based criterion in one household situation.
#[derive(Clone, Debug)]
pub(crate) struct Column {
    pub criterion: Criterion,
    pub util: Vec<f64>,
    pub ln: Vec<f64>,
    pub available: bool,
    /// A value for every row (no gap): its weight counts everywhere.
    pub complete: bool,
    /// Parts used in this situation: (part index, with car).
    pub parts: Vec<(usize, bool)>,
}

/// The atlas prepared for ranking many profiles fast.
#[derive(Clone, Debug)]
pub struct Ranker<'a> {
    pub(crate) atlas: &'a Atlas,
    pub(crate) n: usize,
    /// Atlas row of each internal row (internal order = ascending AGS).
    pub(crate) rows: Vec<usize>,
    pub(crate) ags: Vec<&'a str>,
    pub(crate) names: Vec<&'a str>,
    pub(crate) districts: Vec<&'a str>,
    lower_names: Vec<(String, String)>,
    /// Lower-case name and official name → rows, for exact lookups without a scan.
    name_index: HashMap<String, Vec<usize>>,
    /// Per atlas indicator: values in internal order, `NaN` for a gap.
    pub(crate) raw: Vec<Vec<f64>>,
    pub(crate) medians: Vec<f64>,
    by_id: HashMap<&'a str, usize>,
    centres: Vec<[f64; 3]>,
    pub(crate) columns: Vec<Column>,
    /// Atlas indicators present for each criterion's part, without and with a car.
    part_ind: Vec<Vec<[Vec<usize>; 2]>>,
    /// Median of each part's raw value over the rows that have one, without and with a car.
    pub(crate) part_median: Vec<Vec<[f64; 2]>>,
    /// Column per criterion and situation key (see [`situation`]); `usize::MAX` for computed.
    column_of: [[usize; 8]; 12],
    /// The region's name in English where it differs ("Saxony").
    pub(crate) region_en: &'a str,
    help: Vec<Vec<&'a HelpContact>>,
    pub(crate) district_of_row: Vec<usize>,
    pub(crate) known: Known,
    pub(crate) pre: crate::explain::Precomputed<'a>,
    /// Per row: median crow-flies distance from every municipality's centre to this one's, for
    /// "the median municipality is X km from your workplace" without a per-ranking selection.
    pub(crate) crow_median_km: Vec<f64>,
    /// Per row as the one workplace: road distances from every row to it (km) and the commute
    /// utilities [without, with] a car, made on first use. They depend only on the workplace,
    /// so a batch of a million profiles with a handful of workplaces computes each once.
    by_workplace: Vec<WorkplaceCache>,
}

/// What one workplace municipality determines for every row (see [`Ranker::by_workplace`]).
#[derive(Clone, Debug, Default)]
struct WorkplaceCache {
    road_km: OnceLock<Box<[f64]>>,
    commute: [OnceLock<Box<[f64]>>; 2],
}

/// The atlas cannot be ranked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RankerError {
    #[error("indicator {indicator} has {found} values for {expected} municipalities")]
    ColumnLength {
        indicator: String,
        found: usize,
        expected: usize,
    },
    #[error("the atlas has no municipalities")]
    Empty,
    #[error("two municipalities share the AGS {0}")]
    DuplicateAgs(String),
}

/// A request that names municipalities failed.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
pub enum RequestError {
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error("`{query}` matches no municipality")]
    NotFound { query: String },
    #[error("`{query}` matches several municipalities: {}", candidates.join(", "))]
    Ambiguous {
        query: String,
        candidates: Vec<String>,
    },
    #[error("compare takes 2–6 municipalities, got {found}")]
    Count { found: usize },
}

fn situation(car: bool, children: bool, band: AgeBand) -> usize {
    (car as usize) * 4 + (children as usize) * 2 + (band == AgeBand::From3To6) as usize
}

fn unit_vector(lat: f64, lon: f64) -> [f64; 3] {
    let (la, lo) = (lat.to_radians(), lon.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

/// Great-circle distance in km between two unit vectors: 2R·asin(c/2) for the chord c, by its
/// series c + c³/24, exact to 1e-6 relative for any distance within Europe and free of trig on
/// the hot path.
#[inline]
/// Door-to-door speed assumed for the commute: by car, or by bus and train without one.
fn commute_speed_kmh(car: bool) -> f64 {
    if car {
        CAR_SPEED_KMH.value
    } else {
        TRANSIT_SPEED_KMH.value
    }
}

pub(crate) fn distance_km(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    let dx = a[0] - b[0];
    let dy = a[1] - b[1];
    let dz = a[2] - b[2];
    let c2 = dx * dx + dy * dy + dz * dz;
    let c = c2.sqrt();
    EARTH_RADIUS_KM.value * c * (1.0 + c2 / 24.0 + 3.0 * c2 * c2 / 640.0)
}

pub(crate) fn median_of(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_unstable_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    }
}

fn ln_floor(u: f64) -> f64 {
    if u.is_nan() {
        f64::NAN
    } else {
        u.max(GEOMETRIC_FLOOR.value).ln()
    }
}

/// Weighted mean of the utilities present, the reference definition of a score.
///
/// `utilities[c]` is `None` where criterion `c` has no data for the municipality; `weights[c]`
/// is its weight (≥ 0). Returns `(score, weight coverage)`, where the coverage is the share of
/// the total weight whose criteria have data, or `None` when no weighted criterion has data.
/// The ranker computes exactly this, column by column.
pub fn aggregate(
    utilities: &[Option<f64>],
    weights: &[f64],
    aggregation: Aggregation,
) -> Option<(f64, f64)> {
    let total: f64 = weights.iter().sum();
    let (mut sw, mut su) = (0.0, 0.0);
    for (u, &w) in utilities.iter().zip(weights) {
        if let Some(u) = u
            && w > 0.0
        {
            sw += w;
            su += w * match aggregation {
                Aggregation::Arithmetic => *u,
                Aggregation::Geometric => ln_floor(*u),
            };
        }
    }
    if sw <= 0.0 {
        return None;
    }
    let score = match aggregation {
        Aggregation::Arithmetic => su / sw,
        Aggregation::Geometric => (su / sw).exp(),
    };
    Some((score.clamp(0.0, 100.0), sw / total))
}

/// Per-call values of the computed criteria.
pub(crate) struct Dynamic<'r> {
    /// Monthly cold rent of the needed flat, per row.
    pub cost: Vec<f64>,
    pub afford: Vec<f64>,
    /// Estimated road km per row and workplace (row-major, `workplaces` per row); borrowed
    /// from the ranker's per-workplace cache for one workplace municipality.
    pub road: Cow<'r, [f64]>,
    pub commute: Cow<'r, [f64]>,
    pub town: Vec<f64>,
    pub ln_afford: Vec<f64>,
    pub ln_commute: Vec<f64>,
    pub ln_town: Vec<f64>,
}

impl<'a> Ranker<'a> {
    /// Prepares an atlas for ranking. Checks the shape it relies on (one value per municipality
    /// in every column, unique AGS); the row order of the atlas does not matter.
    pub fn new(atlas: &'a Atlas) -> Result<Self, RankerError> {
        let n = atlas.municipalities.len();
        if n == 0 {
            return Err(RankerError::Empty);
        }
        for ind in &atlas.indicators {
            if ind.values.len() != n {
                return Err(RankerError::ColumnLength {
                    indicator: ind.meta.id.clone(),
                    found: ind.values.len(),
                    expected: n,
                });
            }
        }
        let mut rows: Vec<usize> = (0..n).collect();
        rows.sort_by(|&a, &b| {
            atlas.municipalities[a]
                .ags
                .cmp(&atlas.municipalities[b].ags)
        });
        for w in rows.windows(2) {
            if atlas.municipalities[w[0]].ags == atlas.municipalities[w[1]].ags {
                return Err(RankerError::DuplicateAgs(
                    atlas.municipalities[w[0]].ags.clone(),
                ));
            }
        }
        let ms: Vec<&'a Municipality> = rows.iter().map(|&r| &atlas.municipalities[r]).collect();
        let district_index: HashMap<&str, usize> = atlas
            .districts
            .iter()
            .enumerate()
            .map(|(i, d)| (d.ags5.as_str(), i))
            .collect();
        let district_of_row: Vec<usize> = ms
            .iter()
            .map(|m| {
                district_index
                    .get(m.district_ags5.as_str())
                    .copied()
                    .unwrap_or(usize::MAX)
            })
            .collect();
        let districts = district_of_row
            .iter()
            .zip(&ms)
            .map(|(&d, m)| {
                if d == usize::MAX {
                    m.district_ags5.as_str()
                } else {
                    atlas.districts[d].name.as_str()
                }
            })
            .collect();
        let help = atlas
            .districts
            .iter()
            .map(|d| atlas.district_help(&d.ags5).collect())
            .collect();
        let raw: Vec<Vec<f64>> = atlas
            .indicators
            .iter()
            .map(|ind| {
                rows.iter()
                    .map(|&r| match ind.values[r] {
                        Some(v) if v.is_finite() => v,
                        _ => f64::NAN,
                    })
                    .collect()
            })
            .collect();
        let medians = raw.iter().map(|c| median_of(c)).collect();
        let by_id = atlas
            .indicators
            .iter()
            .enumerate()
            .map(|(i, ind)| (ind.meta.id.as_str(), i))
            .collect();
        let mut r = Ranker {
            atlas,
            n,
            ags: ms.iter().map(|m| m.ags.as_str()).collect(),
            names: ms.iter().map(|m| m.name.as_str()).collect(),
            districts,
            lower_names: ms
                .iter()
                .map(|m| (m.name.to_lowercase(), m.official_name.to_lowercase()))
                .collect(),
            name_index: HashMap::new(),
            centres: ms
                .iter()
                .map(|m| unit_vector(m.centre_lat, m.centre_lon))
                .collect(),
            rows,
            raw,
            medians,
            by_id,
            columns: Vec::new(),
            part_ind: Vec::new(),
            part_median: Vec::new(),
            column_of: [[usize::MAX; 8]; 12],
            region_en: if atlas.region == "Sachsen" {
                "Saxony"
            } else {
                atlas.region.as_str()
            },
            help,
            district_of_row,
            known: Known::default(),
            pre: Default::default(),
            crow_median_km: Vec::new(),
            by_workplace: (0..n).map(|_| WorkplaceCache::default()).collect(),
        };
        r.known = Known {
            population: r.indicator(ids::POPULATION),
            rent_new: r.indicator(ids::RENT_NEW),
            rent_existing: r.indicator(ids::RENT_EXISTING),
            asking: r.indicator(ids::ASKING_RENT_DISTRICT),
            vacancy: r.indicator(ids::VACANCY),
            commute_distance: r.indicator(ids::COMMUTE_DISTANCE),
            hort: r.indicator(ids::HORT_RATE),
            school_leavers: r.indicator(ids::SCHOOL_LEAVERS),
        };
        for (row, (name, official)) in r.lower_names.iter().enumerate() {
            r.name_index.entry(name.clone()).or_default().push(row);
            if official != name {
                r.name_index.entry(official.clone()).or_default().push(row);
            }
        }
        let mut scratch = vec![0.0; n];
        r.crow_median_km = (0..n)
            .map(|row| {
                for (x, c) in scratch.iter_mut().zip(&r.centres) {
                    *x = distance_km(c, &r.centres[row]);
                }
                crate::explain::median_in_place(&mut scratch)
            })
            .collect();
        r.build_columns();
        r.pre = crate::explain::Precomputed::build(&r);
        Ok(r)
    }

    /// The atlas this ranker reads.
    pub fn atlas(&self) -> &'a Atlas {
        self.atlas
    }

    /// Number of municipalities.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Always false: an empty atlas is refused by [`Ranker::new`].
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Index of an indicator in the atlas.
    pub(crate) fn indicator(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Parts of an indicator-based criterion used in a situation.
    pub(crate) fn selected_parts(
        spec: &criteria::CriterionSpec,
        car: bool,
        children: bool,
        band: AgeBand,
    ) -> Vec<(usize, bool)> {
        spec.parts
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                (children || !p.only_with_children) && p.band.is_none_or(|b| b == band)
            })
            .map(|(i, _)| (i, car))
            .collect()
    }

    /// Raw value of a part for a row: the indicator(s) picked as the measure says, and the
    /// atlas indicator it came from (or the first one that exists, when there is no value).
    pub(crate) fn part_raw(
        &self,
        c: Criterion,
        pi: usize,
        car: bool,
        row: usize,
    ) -> (f64, Option<usize>) {
        let m = c.spec().parts[pi].measure(car);
        let mut best = f64::NAN;
        let mut from = None;
        for &k in &self.part_ind[c.index()][pi][car as usize] {
            {
                let v = self.raw[k][row];
                if v.is_nan() {
                    if from.is_none() {
                        from = Some(k);
                    }
                    continue;
                }
                match m.pick {
                    Pick::First => return (v, Some(k)),
                    Pick::Min => {
                        if best.is_nan() || v < best {
                            best = v;
                            from = Some(k);
                        }
                    }
                }
            }
        }
        (best, from)
    }

    fn build_columns(&mut self) {
        self.part_ind = CRITERIA_ALL_SPECS
            .iter()
            .map(|spec| {
                spec.parts
                    .iter()
                    .map(|p| {
                        [false, true].map(|car| {
                            p.measure(car)
                                .indicators
                                .iter()
                                .filter_map(|id| self.indicator(id))
                                .collect()
                        })
                    })
                    .collect()
            })
            .collect();
        self.part_median = CRITERIA_ALL_SPECS
            .iter()
            .map(|spec| {
                (0..spec.parts.len())
                    .map(|pi| {
                        [false, true].map(|car| {
                            let v: Vec<f64> = (0..self.n)
                                .map(|row| self.part_raw(spec.criterion, pi, car, row).0)
                                .collect();
                            median_of(&v)
                        })
                    })
                    .collect()
            })
            .collect();
        // (criterion, parts used with the car flag that matters, column index)
        type Seen = (Criterion, Vec<(usize, bool)>, usize);
        let mut cache: Vec<Seen> = Vec::new();
        for c in Criterion::ALL {
            let spec = c.spec();
            if spec.combine == Combine::Computed {
                continue;
            }
            for car in [false, true] {
                for children in [false, true] {
                    for band in [AgeBand::Under3, AgeBand::From3To6] {
                        let parts = Self::selected_parts(spec, car, children, band);
                        // Only the car matters for parts whose measures are identical.
                        let key: Vec<(usize, bool)> = parts
                            .iter()
                            .map(|&(i, car)| {
                                let p = &spec.parts[i];
                                (i, car && p.with_car != p.without_car)
                            })
                            .collect();
                        let idx = match cache.iter().find(|(cc, k, _)| *cc == c && *k == key) {
                            Some(&(_, _, idx)) => idx,
                            None => {
                                let col = self.compute_column(spec, &parts);
                                self.columns.push(col);
                                let idx = self.columns.len() - 1;
                                cache.push((c, key, idx));
                                idx
                            }
                        };
                        self.column_of[c.index()][situation(car, children, band)] = idx;
                    }
                }
            }
        }
    }

    fn compute_column(&self, spec: &criteria::CriterionSpec, parts: &[(usize, bool)]) -> Column {
        let mut util = vec![f64::NAN; self.n];
        for (row, u) in util.iter_mut().enumerate() {
            let (mut sw, mut su) = (0.0, 0.0);
            for &(i, car) in parts {
                let p = &spec.parts[i];
                let (x, _) = self.part_raw(spec.criterion, i, car, row);
                if x.is_nan() {
                    continue;
                }
                let v = p.measure(car).curve.eval(x);
                if spec.combine == Combine::Fallback {
                    sw = 1.0;
                    su = v;
                    break;
                }
                sw += p.weight;
                su += p.weight * v;
            }
            if sw > 0.0 {
                *u = su / sw;
            }
        }
        let available = util.iter().any(|u| !u.is_nan());
        let complete = util.iter().all(|u| !u.is_nan());
        let ln = util.iter().map(|&u| ln_floor(u)).collect();
        Column {
            criterion: spec.criterion,
            util,
            ln,
            available,
            complete,
            parts: parts.to_vec(),
        }
    }

    /// Internal row of a municipality by AGS, name or official name (case-insensitive), or a
    /// unique name prefix. Several rows when the query is ambiguous.
    pub(crate) fn find_rows(&self, query: &str) -> Vec<usize> {
        let q = query.trim();
        if let Ok(r) = self.ags.binary_search(&q) {
            return vec![r];
        }
        let ql = q.to_lowercase();
        if let Some(rows) = self.name_index.get(&ql) {
            let mut rows = rows.clone();
            rows.sort_unstable();
            rows.dedup();
            return rows;
        }
        (0..self.n)
            .filter(|&r| self.lower_names[r].0.starts_with(&ql))
            .collect()
    }

    fn find_one(&self, query: &str) -> Result<usize, RequestError> {
        let rows = self.find_rows(query);
        match rows.len() {
            0 => Err(RequestError::NotFound {
                query: query.to_string(),
            }),
            1 => Ok(rows[0]),
            _ => Err(RequestError::Ambiguous {
                query: query.to_string(),
                candidates: rows
                    .iter()
                    .take(8)
                    .map(|&r| format!("{} ({})", self.names[r], self.ags[r]))
                    .collect(),
            }),
        }
    }

    /// Resolves a profile against the atlas: validates it, decides which criteria take part
    /// with which weight, finds the workplaces, and prepares the hard limits.
    pub fn plan(&self, profile: &Profile) -> Result<Plan, ProfileError> {
        profile.validate()?;
        let lang = profile.lang;
        let car = profile.car;
        let children = !profile.children.is_empty();
        let band = profile.youngest_band().unwrap_or(AgeBand::Under3);
        let money = profile.rent_budget_eur.is_some() || profile.income_eur.is_some();
        let mut notes = Vec::new();
        let mut planned = Vec::new();
        for c in Criterion::ALL {
            let spec = c.spec();
            let explicit = profile.weights.get(c.id()).copied();
            let missing_input = match c {
                Criterion::Affordability => (!money).then_some((
                    "affordability_needs_money",
                    "Bezahlbarkeit ist aus: dafür rent_budget_eur oder income_eur angeben.",
                    "Affordability is off: give rent_budget_eur or income_eur.",
                )),
                Criterion::Commute => profile.workplace.is_empty().then_some((
                    "commute_needs_workplace",
                    "Arbeitsweg ist aus: dafür workplace angeben.",
                    "Commute is off: give a workplace.",
                )),
                Criterion::TownSize => profile.town_size.is_none().then_some((
                    "town_size_needs_preference",
                    "Ortsgröße ist aus: dafür town_size angeben.",
                    "Town size is off: give town_size.",
                )),
                _ => None,
            };
            if let Some((code, de, en)) = missing_input {
                if explicit.is_some_and(|w| w > 0.0) {
                    notes.push(Note {
                        code,
                        text: pick(lang, de, en).to_string(),
                    });
                }
                continue;
            }
            let by_profile = match c {
                Criterion::Childcare
                | Criterion::PrimarySchool
                | Criterion::SecondarySchool
                | Criterion::Gymnasium => profile.ages_switch_on(c),
                _ => true,
            };
            if !by_profile && explicit.is_none() {
                continue;
            }
            let switched_on = if explicit.is_some() {
                SwitchedOn::Weight
            } else if matches!(
                c,
                Criterion::Childcare
                    | Criterion::PrimarySchool
                    | Criterion::SecondarySchool
                    | Criterion::Gymnasium
                    | Criterion::Affordability
                    | Criterion::Commute
                    | Criterion::TownSize
            ) {
                SwitchedOn::Profile
            } else {
                SwitchedOn::Default
            };
            let weight = explicit.unwrap_or(spec.default_weight_for(car));
            let source = match c {
                Criterion::Affordability => Source::Affordability,
                Criterion::Commute => Source::Commute,
                Criterion::TownSize => Source::TownSize,
                _ => Source::Column(self.column_of[c.index()][situation(car, children, band)]),
            };
            let available = match source {
                Source::Column(k) => self.columns[k].available,
                Source::Affordability => self
                    .known
                    .rent_new
                    .is_some_and(|k| self.raw[k].iter().any(|v| !v.is_nan())),
                Source::Commute => true,
                Source::TownSize => self
                    .known
                    .population
                    .is_some_and(|k| self.raw[k].iter().any(|v| !v.is_nan())),
            };
            if !available && weight > 0.0 {
                notes.push(Note {
                    code: "criterion_unavailable",
                    text: match lang {
                        Lang::De => format!(
                            "{}: keine Daten im Atlas, für alle Gemeinden ausgelassen.",
                            spec.label_de
                        ),
                        Lang::En => format!(
                            "{}: no data in the atlas, left out for every municipality.",
                            spec.label_en
                        ),
                    },
                });
            }
            planned.push(Planned {
                criterion: c,
                weight,
                source,
                available,
                switched_on,
            });
        }
        if !planned.iter().any(|p| p.available && p.weight > 0.0) {
            return Err(ProfileError::new(
                "weights",
                "no criterion with data has a weight above 0",
                "at least one weight above 0",
            ));
        }
        let mut workplaces = Vec::with_capacity(profile.workplace.len());
        for (i, w) in profile.workplace.iter().enumerate() {
            let field = if profile.workplace.len() == 1 {
                "workplace".to_string()
            } else {
                format!("workplace[{i}]")
            };
            let query = match w {
                Workplace::Point(p) => {
                    let mut label = String::with_capacity(24);
                    crate::text::push_num(&mut label, p.lat, 4, Lang::En);
                    label.push_str("° N, ");
                    crate::text::push_num(&mut label, p.lon, 4, Lang::En);
                    label.push_str("° E");
                    workplaces.push(PlannedWorkplace {
                        out: ResolvedWorkplace {
                            label,
                            ags: None,
                            lat: p.lat,
                            lon: p.lon,
                        },
                        unit: unit_vector(p.lat, p.lon),
                        row: None,
                    });
                    continue;
                }
                Workplace::Code(c) => format!("{c:08}"),
                Workplace::Place(s) => s.clone(),
            };
            let row = self.find_one(&query).map_err(|e| match e {
                RequestError::Ambiguous { candidates, .. } => ProfileError::new(
                    field.clone(),
                    format!("`{query}` matches several municipalities"),
                    candidates.join(", "),
                ),
                _ => ProfileError::new(
                    field.clone(),
                    format!("`{query}` matches no municipality of {}", self.atlas.region),
                    "an AGS, a municipality name or {\"lat\": …, \"lon\": …}",
                ),
            })?;
            let m = &self.atlas.municipalities[self.rows[row]];
            workplaces.push(PlannedWorkplace {
                out: ResolvedWorkplace {
                    label: m.name.clone(),
                    ags: Some(m.ags.clone()),
                    lat: m.centre_lat,
                    lon: m.centre_lon,
                },
                unit: self.centres[row],
                row: Some(row),
            });
        }
        for w in &workplaces {
            if !self
                .centres
                .iter()
                .any(|c| distance_km(c, &w.unit) <= 100.0)
            {
                notes.push(Note {
                    code: "workplace_far",
                    text: match lang {
                        Lang::De => format!(
                            "Der Arbeitsort {} liegt über 100 km von jeder Gemeinde entfernt.",
                            w.out.label
                        ),
                        Lang::En => format!(
                            "The workplace {} is more than 100 km from every municipality.",
                            w.out.label
                        ),
                    },
                });
            }
        }
        let within = profile
            .must
            .within_km
            .iter()
            .map(|(k, &km)| {
                let cat = criteria::FACILITIES
                    .iter()
                    .find(|f| f.0 == k)
                    .map(|f| f.0)
                    .unwrap_or("");
                (cat, self.indicator(&format!("{cat}_distance_km")), km)
            })
            .collect();
        Ok(Plan {
            lang,
            aggregation: profile.aggregation,
            car,

            band,
            school_age: profile.children.iter().any(|&a| a >= 6),
            hort_age: profile.children.iter().any(|&a| (6..=10).contains(&a)),
            criteria: planned,
            workplaces,
            space_m2: profile.living_space(),
            budget: profile.rent_budget_eur,
            income: profile.income_eur,
            max_commute_km: profile.max_commute_km,
            within,
            rent_within_budget: profile.must.rent_within_budget,
            max_rent_share: profile.must.max_rent_share_pct,
            min_population: profile.must.min_population,
            max_population: profile.must.max_population,
            town_size: profile.town_size,
            notes,
        })
    }

    /// The profile-dependent criteria for every row.
    pub(crate) fn dynamic(&self, plan: &Plan) -> Dynamic<'_> {
        let mut d = self.geometry(plan);
        self.dynamic_utilities(plan, &mut d, None);
        d
    }

    /// Monthly cost of the needed flat and estimated road distances: what the hard limits read.
    fn geometry(&self, plan: &Plan) -> Dynamic<'_> {
        let n = self.n;
        let mut d = Dynamic {
            cost: Vec::new(),
            afford: Vec::new(),
            road: Cow::Borrowed(&[]),
            commute: Cow::Borrowed(&[]),
            town: Vec::new(),
            ln_afford: Vec::new(),
            ln_commute: Vec::new(),
            ln_town: Vec::new(),
        };
        let need_cost = plan
            .criteria
            .iter()
            .any(|p| p.source == Source::Affordability)
            || plan.rent_within_budget
            || plan.max_rent_share.is_some();
        if need_cost {
            d.cost = match self.known.rent_new {
                Some(k) => self.raw[k].iter().map(|&x| x * plan.space_m2).collect(),
                None => vec![f64::NAN; n],
            };
        }
        let w = plan.workplaces.len();
        if let [PlannedWorkplace { row: Some(r), .. }] = plan.workplaces[..] {
            d.road = Cow::Borrowed(self.road_km_to(r));
        } else if w > 0 {
            let mut road = Vec::with_capacity(n * w);
            for c in &self.centres {
                for wp in &plan.workplaces {
                    road.push(distance_km(c, &wp.unit) * DETOUR_FACTOR.value);
                }
            }
            d.road = Cow::Owned(road);
        }
        d
    }

    /// Road distances (km) from every row to municipality `r` as the one workplace: the same
    /// numbers the general loop in [`geometry`](Self::geometry) computes, made once.
    fn road_km_to(&self, r: usize) -> &[f64] {
        self.by_workplace[r].road_km.get_or_init(|| {
            let to = self.centres[r];
            self.centres
                .iter()
                .map(|c| distance_km(c, &to) * DETOUR_FACTOR.value)
                .collect()
        })
    }

    /// Commute utility of every row for municipality `r` as the one workplace, by car or not.
    fn commute_to(&self, r: usize, car: bool) -> &[f64] {
        self.by_workplace[r].commute[car as usize].get_or_init(|| {
            let minutes_per_km = 60.0 / commute_speed_kmh(car);
            self.road_km_to(r)
                .iter()
                .map(|&km| criteria::COMMUTE_MIN.eval(km * minutes_per_km))
                .collect()
        })
    }

    /// Utilities of the profile-dependent criteria; rows marked in `skip` (already excluded by
    /// a hard limit) get none, which saves the curve evaluations nobody will look at.
    fn dynamic_utilities<'s>(&'s self, plan: &Plan, d: &mut Dynamic<'s>, skip: Option<&[bool]>) {
        let n = self.n;
        let on = |s: Source| {
            plan.criteria
                .iter()
                .any(|p| p.source == s && p.weight > 0.0)
        };
        let skipped = |i: usize| skip.is_some_and(|s| s[i]);
        if on(Source::Affordability) {
            d.afford = (0..n)
                .map(|i| {
                    let c = d.cost[i];
                    if c.is_nan() || skipped(i) {
                        return f64::NAN;
                    }
                    let b = plan
                        .budget
                        .map_or(f64::INFINITY, |b| criteria::RENT_BUDGET_RATIO.eval(c / b));
                    let inc = plan
                        .income
                        .map_or(f64::INFINITY, |x| criteria::RENT_INCOME_SHARE.eval(c / x));
                    b.min(inc)
                })
                .collect();
        }
        let w = plan.workplaces.len();
        if let ([PlannedWorkplace { row: Some(r), .. }], true) =
            (&plan.workplaces[..], on(Source::Commute))
        {
            // Rows excluded by a limit keep their utility here; nothing reads it.
            d.commute = Cow::Borrowed(self.commute_to(*r, plan.car));
        } else if w > 0 && on(Source::Commute) {
            let minutes_per_km = 60.0 / commute_speed_kmh(plan.car);
            d.commute = (0..n)
                .map(|i| {
                    if skipped(i) {
                        return f64::NAN;
                    }
                    let roads = &d.road[i * w..(i + 1) * w];
                    let sum: f64 = roads
                        .iter()
                        .map(|&r| criteria::COMMUTE_MIN.eval(r * minutes_per_km))
                        .sum();
                    sum / w as f64
                })
                .collect();
        }
        if let (Some(ts), true) = (plan.town_size, on(Source::TownSize)) {
            let (lo, hi) = ts.bounds();
            d.town = match self.known.population {
                Some(k) => self.raw[k]
                    .iter()
                    .map(|&x| criteria::TOWN_SIZE_LOG.eval(town_factor(x, lo, hi)))
                    .collect(),
                None => vec![f64::NAN; n],
            };
        }
        if plan.aggregation == Aggregation::Geometric {
            d.ln_afford = d.afford.iter().map(|&u| ln_floor(u)).collect();
            d.ln_commute = d.commute.iter().map(|&u| ln_floor(u)).collect();
            d.ln_town = d.town.iter().map(|&u| ln_floor(u)).collect();
        }
    }

    /// Whether a planned criterion has a utility in every row: a precomputed column without
    /// gaps, or commute utilities from the per-workplace cache (distances always exist).
    fn complete(&self, d: &Dynamic<'_>, p: &Planned) -> bool {
        match p.source {
            Source::Column(k) => self.columns[k].complete,
            Source::Commute => matches!(d.commute, Cow::Borrowed(_)),
            Source::Affordability | Source::TownSize => false,
        }
    }

    /// Utilities (or their logs) of one planned criterion, per row.
    pub(crate) fn utilities<'s>(&'s self, d: &'s Dynamic, p: &Planned, ln: bool) -> &'s [f64] {
        match (p.source, ln) {
            (Source::Column(k), false) => &self.columns[k].util,
            (Source::Column(k), true) => &self.columns[k].ln,
            (Source::Affordability, false) => &d.afford,
            (Source::Affordability, true) => &d.ln_afford,
            (Source::Commute, false) => &d.commute,
            (Source::Commute, true) => &d.ln_commute,
            (Source::TownSize, false) => &d.town,
            (Source::TownSize, true) => &d.ln_town,
        }
    }

    /// Ranks every municipality for one profile.
    pub fn rank(&self, profile: &Profile, opts: &RankOptions) -> Result<Ranking<'_>, ProfileError> {
        let plan = self.plan(profile)?;
        Ok(self.rank_plan(&plan, opts))
    }

    /// Hard limits, profile-dependent utilities and the weighted sums of one plan: what a full
    /// ranking and a top-k selection share. `record_exclusions` false skips collecting the
    /// exclusion details (rows are still excluded).
    fn sums<'s, 'p>(&'s self, plan: &'p Plan, record_exclusions: bool) -> Sums<'s, 'p, 'a> {
        let n = self.n;
        // Hard limits first: they read only costs and distances, and the curves of the
        // profile-dependent criteria need not be evaluated for excluded rows.
        let mut d = self.geometry(plan);
        let mut excluded_rows = vec![false; n];
        let mut excluded =
            Vec::with_capacity(if record_exclusions && plan.max_commute_km.is_some() {
                n
            } else {
                0
            });
        let mut unchecked: Vec<(usize, Limit)> = Vec::new();
        self.apply_limits(plan, &d, &mut excluded_rows, &mut excluded, &mut unchecked);
        if !record_exclusions {
            excluded.clear();
        }
        self.dynamic_utilities(plan, &mut d, Some(&excluded_rows));
        let geo = plan.aggregation == Aggregation::Geometric;
        let active: Vec<&Planned> = plan
            .criteria
            .iter()
            .filter(|p| p.available && p.weight > 0.0)
            .collect();
        let total: f64 = active.iter().map(|p| p.weight).sum();

        // Weighted sums, column by column.
        let mut sw = vec![0.0f64; n];
        let mut su = vec![0.0f64; n];
        // The weights of criteria with a value in every row are the same for every row: added
        // once at the end (so that with no gaps at all, every row's weight sum is `total`).
        let mut sw_everywhere = 0.0;
        for p in &active {
            let u = &self.utilities(&d, p, geo)[..n];
            let w = p.weight;
            // Branch-free over equal-length slices, so that the compiler can vectorise it.
            let (a, b) = (&mut sw[..n], &mut su[..n]);
            if self.complete(&d, p) {
                sw_everywhere += w;
                for i in 0..n {
                    b[i] += w * u[i];
                }
            } else {
                for i in 0..n {
                    let x = u[i];
                    let present = !x.is_nan();
                    a[i] += if present { w } else { 0.0 };
                    b[i] += if present { w * x } else { 0.0 };
                }
            }
        }
        if sw_everywhere != 0.0 {
            sw.iter_mut().for_each(|x| *x += sw_everywhere);
        }
        Sums {
            d,
            excluded_rows,
            excluded,
            unchecked,
            active,
            total,
            sw,
            su,
            geo,
        }
    }

    /// Only the best `k` municipalities with their scores, in rank order: the same ranks and
    /// scores as the first `k` rows of [`rank_plan`](Self::rank_plan), without building a row
    /// (explanation slots, flags) for every municipality and without sorting them all. For batch
    /// runs over many profiles, where only the top k is kept.
    pub fn rank_top(&self, plan: &Plan, k: usize) -> Vec<TopScore<'a>> {
        let Sums {
            excluded_rows,
            total,
            sw,
            mut su,
            geo,
            ..
        } = self.sums(plan, false);
        let min_cov = MIN_WEIGHT_COVERAGE.value - 1e-12;
        // Scores in place of the sums, NaN for a row without a rank: branch-free, so the
        // arithmetic case vectorises. (Kept apart from the geometric case, where a select
        // would evaluate the exponential for every row and throw it away.)
        let scores = &mut su[..self.n];
        let (sw, excluded_rows) = (&sw[..self.n], &excluded_rows[..self.n]);
        if geo {
            for i in 0..self.n {
                let ranked = !excluded_rows[i] && sw[i] > 0.0 && sw[i] / total >= min_cov;
                scores[i] = if ranked {
                    (scores[i] / sw[i]).exp().clamp(0.0, 100.0)
                } else {
                    f64::NAN
                };
            }
        } else {
            for i in 0..self.n {
                let ranked = !excluded_rows[i] & (sw[i] > 0.0) & (sw[i] / total >= min_cov);
                let s = (scores[i] / sw[i]).clamp(0.0, 100.0);
                scores[i] = if ranked { s } else { f64::NAN };
            }
        }
        // The best k so far, best first; a row enters only when it beats the k-th. Once k rows
        // are in, nearly every row fails the first comparison.
        let mut order: Vec<(f64, u32)> = Vec::with_capacity(k + 1);
        let cmp = |a: &(f64, u32), b: &(f64, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        for (i, &s) in scores.iter().enumerate() {
            if s.is_nan() || k == 0 {
                continue;
            }
            if order.len() == k {
                let last = order[k - 1];
                // Quick reject; the full order (ties by AGS) decides the rest.
                if s < last.0 || cmp(&(s, i as u32), &last).is_ge() {
                    continue;
                }
            }
            let row = (s, i as u32);
            let at = order.partition_point(|x| cmp(x, &row).is_lt());
            order.insert(at, row);
            order.truncate(k);
        }
        order
            .into_iter()
            .enumerate()
            .map(|(r, (score, i))| TopScore {
                rank: r as u32 + 1,
                ags: self.ags[i as usize],
                name: self.names[i as usize],
                score,
            })
            .collect()
    }

    /// Ranks for an already resolved plan (reuse it to rank the same profile again).
    pub fn rank_plan(&self, plan: &Plan, opts: &RankOptions) -> Ranking<'_> {
        let n = self.n;
        let Sums {
            d,
            excluded_rows,
            excluded,
            unchecked,
            active,
            total,
            sw,
            su,
            geo,
        } = self.sums(plan, true);
        // Which criteria dropped out, for the rows that are shown.
        let cols: Vec<(&[f64], u16)> = active
            .iter()
            .map(|p| (self.utilities(&d, p, geo), 1u16 << p.criterion.index()))
            .collect();
        let dropped_of = |i: usize| -> CriterionSet {
            let mut set = CriterionSet::default();
            for (u, bit) in &cols {
                if u[i].is_nan() {
                    set.0 |= bit;
                }
            }
            set
        };
        let score_of = |i: usize| -> f64 {
            if sw[i] <= 0.0 {
                return f64::NAN;
            }
            let m = su[i] / sw[i];
            let s = if geo { m.exp() } else { m };
            s.clamp(0.0, 100.0)
        };

        // Order.
        let min_cov = MIN_WEIGHT_COVERAGE.value;
        let mut order: Vec<(f64, u32)> = Vec::with_capacity(n);
        let mut unranked = Vec::new();
        for i in 0..n {
            if excluded_rows[i] {
                continue;
            }
            let s = score_of(i);
            let cov = sw[i] / total;
            if s.is_nan() || cov < min_cov - 1e-12 {
                unranked.push(Unranked {
                    ags: self.ags[i],
                    name: self.names[i],
                    district: self.districts[i],
                    partial_score: (!s.is_nan()).then_some(s),
                    weight_coverage: cov,
                    dropped: dropped_of(i),
                });
            } else {
                order.push((s, i as u32));
            }
        }
        order.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut ranked: Vec<Ranked<'_>> = order
            .iter()
            .enumerate()
            .map(|(k, &(s, i))| {
                let i = i as usize;
                Ranked {
                    rank: k as u32 + 1,
                    ags: self.ags[i],
                    name: self.names[i],
                    district: self.districts[i],
                    score: s,
                    weight_coverage: sw[i] / total,
                    dropped: dropped_of(i),
                    unchecked_limits: Vec::new(),
                    top_k_share: None,
                    pareto_optimal: None,
                    dominated_by: None,
                    explanations: Vec::new(),
                    context: Vec::new(),
                    help: Vec::new(),
                }
            })
            .collect();
        if !unchecked.is_empty() {
            let mut pos = vec![u32::MAX; n];
            for (k, &(_, i)) in order.iter().enumerate() {
                pos[i as usize] = k as u32;
            }
            for (i, l) in unchecked {
                if pos[i] != u32::MAX {
                    ranked[pos[i] as usize].unchecked_limits.push(l);
                }
            }
        }

        // Details of the top rows.
        let top = opts.explain_top.min(ranked.len());
        if top > 0 {
            let medians = crate::explain::DynamicMedians::new(self, plan, &d);
            for k in 0..top {
                let i = order[k].1 as usize;
                let row = &mut ranked[k];
                row.explanations = crate::explain::explain_row(self, plan, &d, &medians, i, &sw);
                row.context = self.context(plan, i);
                row.help = self.help_of(i);
            }
            if opts.pareto {
                self.pareto(&active, &d, &order, top, &mut ranked, geo);
            }
        }
        if let Some(rb) = opts.robustness {
            crate::robust::top_k_shares(self, &active, &d, &order, &rb, geo, &mut ranked);
        }

        let criteria = plan
            .criteria
            .iter()
            .map(|p| ActiveCriterion {
                criterion: p.criterion,
                label: p.criterion.spec().label(plan.lang),
                weight: p.weight,
                share: if p.available && total > 0.0 {
                    p.weight / total
                } else {
                    0.0
                },
                switched_on: p.switched_on,
                available: p.available,
                age_band: (p.criterion == Criterion::Childcare).then_some(plan.band),
            })
            .collect();
        Ranking {
            region: &self.atlas.region,
            lang: plan.lang,
            aggregation: plan.aggregation,
            criteria,
            workplaces: plan.workplaces.iter().map(|w| w.out.clone()).collect(),
            living_space_m2: plan.space_m2,
            min_weight_coverage: min_cov,
            notes: plan.notes.clone(),
            ranked,
            unranked,
            statewide_help: if top > 0 {
                self.atlas.statewide_help().collect()
            } else {
                Vec::new()
            },
            excluded,
            robustness: opts.robustness,
        }
    }

    fn apply_limits(
        &self,
        plan: &Plan,
        d: &Dynamic,
        excluded_rows: &mut [bool],
        out: &mut Vec<Exclusion<'a>>,
        unchecked: &mut Vec<(usize, Limit)>,
    ) {
        let w = plan.workplaces.len();
        let pop = self.known.population.map(|k| &self.raw[k]);
        let has_limits = plan.max_commute_km.is_some()
            || plan.rent_within_budget
            || plan.max_rent_share.is_some()
            || !plan.within.is_empty()
            || plan.min_population.is_some()
            || plan.max_population.is_some();
        if !has_limits {
            return;
        }
        for i in 0..self.n {
            let mut miss = |limit: Limit, value: f64, threshold: f64, unit: &'static str| {
                excluded_rows[i] = true;
                out.push(Exclusion {
                    ags: self.ags[i],
                    name: self.names[i],
                    limit,
                    value,
                    threshold,
                    unit,
                    by: (value - threshold).abs(),
                });
            };
            if let Some(max) = plan.max_commute_km {
                for k in 0..w {
                    let road = d.road[i * w + k];
                    if road > max {
                        miss(Limit::MaxCommuteKm { workplace: k }, road, max, "km");
                    }
                }
            }
            let cost = d.cost.get(i).copied().unwrap_or(f64::NAN);
            if plan.rent_within_budget
                && let Some(b) = plan.budget
            {
                if cost.is_nan() {
                    unchecked.push((i, Limit::RentWithinBudget));
                } else if cost > b {
                    miss(Limit::RentWithinBudget, cost, b, "EUR");
                }
            }
            if let (Some(max), Some(inc)) = (plan.max_rent_share, plan.income) {
                if cost.is_nan() {
                    unchecked.push((i, Limit::MaxRentSharePct));
                } else {
                    let share = cost / inc * 100.0;
                    if share > max {
                        miss(Limit::MaxRentSharePct, share, max, "%");
                    }
                }
            }
            for &(facility, k, km) in &plan.within {
                let v = k.map_or(f64::NAN, |k| self.raw[k][i]);
                if v.is_nan() {
                    unchecked.push((i, Limit::WithinKm { facility }));
                } else if v > km {
                    miss(Limit::WithinKm { facility }, v, km, "km");
                }
            }
            let p = pop.map_or(f64::NAN, |p| p[i]);
            for (limit, bound, low) in [
                (Limit::MinPopulation, plan.min_population, true),
                (Limit::MaxPopulation, plan.max_population, false),
            ] {
                if let Some(b) = bound {
                    if p.is_nan() {
                        unchecked.push((i, limit));
                    } else if (low && p < b) || (!low && p > b) {
                        miss(limit, p, b, "residents");
                    }
                }
            }
        }
    }

    fn context(&self, plan: &Plan, i: usize) -> Vec<ContextValue<'a>> {
        let k = &self.known;
        let wanted = [
            k.population,
            k.vacancy,
            k.commute_distance,
            if plan.hort_age { k.hort } else { None },
            if plan.school_age {
                k.school_leavers
            } else {
                None
            },
        ];
        let mut out = Vec::with_capacity(wanted.len());
        for k in wanted.into_iter().flatten() {
            let ind = &self.atlas.indicators[k];
            let v = self.raw[k][i];
            let m = self.medians[k];
            out.push(ContextValue {
                indicator: &ind.meta.id,
                label: match plan.lang {
                    Lang::De => &ind.meta.label_de,
                    Lang::En => &ind.meta.label_en,
                },
                value: (!v.is_nan()).then_some(v),
                unit: &ind.meta.unit,
                resolution: ind.meta.resolution,
                median: (!m.is_nan()).then_some(m),
            });
        }
        out
    }

    fn help_of(&self, i: usize) -> Vec<&'a HelpContact> {
        match self.help.get(self.district_of_row[i]) {
            Some(h) => h.clone(),
            None => Vec::new(),
        }
    }

    /// Pareto check of the top rows: the best-ranked municipality at least as good on every
    /// active criterion where the row has data (and with data there itself), better on one.
    #[allow(clippy::too_many_arguments)]
    fn pareto<'r>(
        &'r self,
        active: &[&Planned],
        d: &Dynamic,
        order: &[(f64, u32)],
        top: usize,
        ranked: &mut [Ranked<'r>],
        geo: bool,
    ) {
        let cols: Vec<&[f64]> = active.iter().map(|p| self.utilities(d, p, false)).collect();
        // Dropped sets of the ranked rows, in rank order.
        let dropped: Vec<u16> = ranked.iter().map(|r| r.dropped.0).collect();
        for k in 0..top {
            let (si, i) = (order[k].0, order[k].1 as usize);
            let di = dropped[k];
            let mut found = None;
            for (kj, &(sj, j)) in order.iter().enumerate() {
                let j = j as usize;
                if kj == k {
                    continue;
                }
                let dj = dropped[kj];
                // j must have data wherever i has.
                if dj & !di != 0 {
                    continue;
                }
                if kj > k && dj == di {
                    // Same data, ranked below: a dominator scores strictly higher in the
                    // arithmetic mean, so none can be here; in the geometric mean the floor can
                    // make scores equal, so only an equal score needs a look.
                    if !geo || sj < si {
                        if di == 0 {
                            // Everyone below has the same (full) data or less: done.
                            break;
                        }
                        continue;
                    }
                }
                let mut better = false;
                let mut worse = false;
                for c in &cols {
                    let (ui, uj) = (c[i], c[j]);
                    if ui.is_nan() {
                        continue;
                    }
                    if uj < ui {
                        worse = true;
                        break;
                    }
                    if uj > ui {
                        better = true;
                    }
                }
                if !worse && better {
                    found = Some(kj);
                    break;
                }
            }
            let row = &mut ranked[k];
            row.pareto_optimal = Some(found.is_none());
            row.dominated_by = found.map(|kj| {
                let j = order[kj].1 as usize;
                Dominator {
                    ags: self.ags[j],
                    name: self.names[j],
                    rank: kj as u32 + 1,
                }
            });
        }
    }

    /// Compares 2–6 municipalities (AGS or names) side by side: every active criterion with
    /// raw value and utility, their ranks, and any limit they miss.
    pub fn compare(
        &self,
        profile: &Profile,
        municipalities: &[&str],
    ) -> Result<Comparison<'_>, RequestError> {
        if !(2..=6).contains(&municipalities.len()) {
            return Err(RequestError::Count {
                found: municipalities.len(),
            });
        }
        let rows = municipalities
            .iter()
            .map(|q| self.find_one(q))
            .collect::<Result<Vec<_>, _>>()?;
        let plan = self.plan(profile)?;
        let ranking = self.rank_plan(&plan, &RankOptions::bare());
        let d = self.dynamic(&plan);
        let medians = crate::explain::DynamicMedians::new(self, &plan, &d);
        // Weight sums per row, as the ranking computed them.
        let mut sw = vec![0.0; self.n];
        for p in plan
            .criteria
            .iter()
            .filter(|p| p.available && p.weight > 0.0)
        {
            let u = self.utilities(&d, p, false);
            for &i in &rows {
                if !u[i].is_nan() {
                    sw[i] += p.weight;
                }
            }
        }
        let entries = rows
            .iter()
            .map(|&i| {
                let ags = self.ags[i];
                let status = if let Some(r) = ranking.ranked.iter().find(|r| r.ags == ags) {
                    Status::Ranked {
                        rank: r.rank,
                        score: r.score,
                        weight_coverage: r.weight_coverage,
                    }
                } else if let Some(u) = ranking.unranked.iter().find(|u| u.ags == ags) {
                    Status::Unranked {
                        partial_score: u.partial_score,
                        weight_coverage: u.weight_coverage,
                    }
                } else {
                    Status::Excluded {
                        misses: ranking
                            .excluded
                            .iter()
                            .filter(|e| e.ags == ags)
                            .cloned()
                            .collect(),
                    }
                };
                Compared {
                    ags,
                    name: self.names[i],
                    district: self.districts[i],
                    status,
                    explanations: crate::explain::explain_row(self, &plan, &d, &medians, i, &sw),
                    context: self.context(&plan, i),
                }
            })
            .collect();
        Ok(Comparison {
            criteria: ranking.criteria,
            workplaces: ranking.workplaces,
            living_space_m2: ranking.living_space_m2,
            notes: ranking.notes,
            municipalities: entries,
        })
    }

    /// Re-ranks with one change to the profile and reports how the ranks move.
    pub fn what_if(
        &self,
        profile: &Profile,
        change: &Change,
        opts: &RankOptions,
    ) -> Result<WhatIf<'_>, ProfileError> {
        let changed = change.apply(profile)?;
        let before = self.rank(
            profile,
            &RankOptions {
                robustness: None,
                ..*opts
            },
        )?;
        let after = self.rank(&changed, opts)?;
        let place = |r: &Ranking<'_>, ags: &str| -> Place {
            if let Some(x) = r.ranked.iter().find(|x| x.ags == ags) {
                Place::Ranked {
                    rank: x.rank,
                    score: x.score,
                }
            } else if r.unranked.iter().any(|x| x.ags == ags) {
                Place::Unranked
            } else {
                Place::Excluded
            }
        };
        let top = opts.explain_top.max(10);
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for r in before
            .ranked
            .iter()
            .take(top)
            .chain(after.ranked.iter().take(top))
        {
            if !seen.iter().any(|s| s.0 == r.ags) {
                seen.push((r.ags, r.name));
            }
        }
        let mut moves: Vec<RankMove<'_>> = seen
            .into_iter()
            .map(|(ags, name)| {
                let b = place(&before, ags);
                let a = place(&after, ags);
                let up = match (b, a) {
                    (Place::Ranked { rank: rb, .. }, Place::Ranked { rank: ra, .. }) => {
                        Some(rb as i64 - ra as i64)
                    }
                    _ => None,
                };
                RankMove {
                    ags,
                    name,
                    before: b,
                    after: a,
                    moved_up: up,
                }
            })
            .collect();
        moves.sort_by_key(|m| match m.after {
            Place::Ranked { rank, .. } => (0, rank),
            Place::Unranked => (1, 0),
            Place::Excluded => (2, 0),
        });
        let changed_ranks = after
            .ranked
            .iter()
            .filter(
                |a| !matches!(place(&before, a.ags), Place::Ranked { rank, .. } if rank == a.rank),
            )
            .count();
        Ok(WhatIf {
            change: change.clone(),
            profile_after: changed,
            moves,
            changed_ranks,
            ranked_before: before.ranked.len(),
            ranked_after: after.ranked.len(),
            after,
        })
    }
}

/// Where a municipality stands in one ranking.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Place {
    Ranked { rank: u32, score: f64 },
    Unranked,
    Excluded,
}

/// How one municipality moved.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RankMove<'a> {
    pub ags: &'a str,
    pub name: &'a str,
    pub before: Place,
    pub after: Place,
    /// Positive: moved up by that many places.
    pub moved_up: Option<i64>,
}

/// The result of a what-if: the moves among the top of either ranking, and the new ranking.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WhatIf<'a> {
    pub change: Change,
    pub profile_after: Profile,
    /// Every municipality in the top (at least 10) before or after, in the new order.
    pub moves: Vec<RankMove<'a>>,
    /// How many ranked municipalities hold a different rank than before.
    pub changed_ranks: usize,
    pub ranked_before: usize,
    pub ranked_after: usize,
    pub after: Ranking<'a>,
}

/// Status of a compared municipality.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status<'a> {
    Ranked {
        rank: u32,
        score: f64,
        weight_coverage: f64,
    },
    Unranked {
        partial_score: Option<f64>,
        weight_coverage: f64,
    },
    Excluded {
        misses: Vec<Exclusion<'a>>,
    },
}

/// One municipality in a comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Compared<'a> {
    pub ags: &'a str,
    pub name: &'a str,
    pub district: &'a str,
    pub status: Status<'a>,
    pub explanations: Vec<crate::explain::Explanation<'a>>,
    pub context: Vec<ContextValue<'a>>,
}

/// Side-by-side view of 2–6 municipalities.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Comparison<'a> {
    pub criteria: Vec<ActiveCriterion>,
    pub workplaces: Vec<ResolvedWorkplace>,
    pub living_space_m2: f64,
    pub notes: Vec<Note>,
    pub municipalities: Vec<Compared<'a>>,
}

/// How far (in orders of magnitude) a population lies outside `[lo, hi)`.
pub(crate) fn town_factor(pop: f64, lo: f64, hi: f64) -> f64 {
    if pop.is_nan() {
        f64::NAN
    } else if pop < lo {
        (lo / pop.max(1.0)).log10()
    } else if pop >= hi {
        (pop / hi).log10()
    } else {
        0.0
    }
}

pub(crate) fn pick(lang: Lang, de: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::De => de,
        Lang::En => en,
    }
}

impl Ranking<'_> {
    /// One sentence for an exclusion, e.g. "Misses your maximum commute to Dresden by 12.4 km
    /// (52.4 km against 40 km)."
    pub fn describe_exclusion(&self, e: &Exclusion<'_>) -> String {
        crate::explain::describe_exclusion(self, e)
    }
}

//! What a ranking answers: the ranked, unranked and excluded municipalities with their scores,
//! limits, notes and options. Plain data (serialised by the API and the CLI); no logic but the
//! criterion set.

use super::decimals::{decimals, opt_decimals};
use super::explanation::{Explanation, PartInfo};
use crate::atlas::{HelpContact, Resolution};
use crate::criteria::{self, AgeBand, Criterion};
use crate::profile::{Aggregation, Lang, ProfileError};
use serde::{Serialize, Serializer};

/// A set of criteria (bit per [`Criterion::index`]); serialises as a list of ids.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(value_type = Vec<Criterion>)
)]
pub struct CriterionSet(pub(crate) u16);

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
    /// Robustness (SMAA) of the explained rows and the top k, or none.
    pub robustness: Option<Robustness>,
}

impl Default for RankOptions {
    /// Top 10 explained, Pareto on, robustness of the top 10 with the table's defaults.
    fn default() -> Self {
        RankOptions {
            explain_top: Self::DEFAULT_EXPLAIN_TOP,
            pareto: true,
            robustness: Some(Robustness::default()),
        }
    }
}

impl RankOptions {
    /// Rows explained when the caller does not say (the API's and Python's `top`).
    pub const DEFAULT_EXPLAIN_TOP: usize = 10;
    /// The most rows one answer of the API or the Python package explains: more than a
    /// shortlist needs, and it bounds an answer's size and time. (`lotse rank` has no bound.)
    pub const MAX_EXPLAIN_TOP: usize = 50;

    /// Whether `top` is a number of rows an answer may explain (1 to [`Self::MAX_EXPLAIN_TOP`]).
    pub fn explain_top_allowed(top: usize) -> bool {
        (1..=Self::MAX_EXPLAIN_TOP).contains(&top)
    }

    /// Scores and ranks only: no explanations, no Pareto check, no robustness.
    pub fn bare() -> Self {
        RankOptions {
            explain_top: 0,
            pareto: false,
            robustness: None,
        }
    }
}

/// Settings of the robustness check (SMAA: weights drawn around the household's, estimated
/// inputs drawn within their error), and in an answer the distribution the figures come from.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Robustness {
    /// Size of the top group whose share is reported ("top 10 in 62 % of draws").
    pub k: usize,
    /// Number of draws.
    pub draws: u32,
    /// Each active weight w is drawn uniformly from
    /// `[max(w − weight_step, w × weight_floor), min(w + weight_step, 5)]`, then the weights are
    /// normalised to sum to 1 (criteria table: `smaa_weight_step`).
    pub weight_step: f64,
    /// The least share of its weight a criterion keeps (`smaa_weight_floor`).
    pub weight_floor: f64,
    /// Mean absolute relative error of the estimated commute minutes: each municipality's
    /// minutes × uniform(1 − 2e, 1 + 2e), independently (`commute_minutes_error`).
    pub commute_error: f64,
    /// Mean absolute relative error of the estimated new-lease rent, drawn the same way
    /// (`rent_new_lease_error`).
    pub rent_error: f64,
    /// Seed: the same seed gives the same figures.
    pub seed: u64,
}

impl Default for Robustness {
    fn default() -> Self {
        Robustness {
            k: 10,
            draws: criteria::SMAA_DRAWS.value as u32,
            weight_step: criteria::SMAA_WEIGHT_STEP.value,
            weight_floor: criteria::SMAA_WEIGHT_FLOOR.value,
            commute_error: criteria::COMMUTE_MINUTES_ERROR.value,
            rent_error: criteria::RENT_NEW_LEASE_ERROR.value,
            seed: 2001,
        }
    }
}

impl Robustness {
    /// No doubt at all: every draw is the household's own weights and the estimates as they
    /// are (for tests and comparisons).
    pub fn without_doubt(self) -> Self {
        Robustness {
            weight_step: 0.0,
            commute_error: 0.0,
            rent_error: 0.0,
            ..self
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

/// A criterion in play for this profile, with what every municipality's explanation of it
/// shares (unit, median, spatial level, parts): carried once here, not in every row.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActiveCriterion<'a> {
    pub criterion: Criterion,
    pub label: &'static str,
    /// The weight 0–5 in use.
    pub weight: f64,
    /// Share of all weights, before any per-municipality redistribution (four decimals).
    #[serde(serialize_with = "decimals::<4, _>")]
    pub share: f64,
    pub switched_on: SwitchedOn,
    /// False when the atlas has none of its indicators: then it is left out for everyone.
    pub available: bool,
    /// For childcare: the age band whose district care rate is scored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_band: Option<AgeBand>,
    /// Set when the household made the criterion essential (weight 5 of its own): below this
    /// utility a town is excluded ([`Limit::Essential`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub essential_floor: Option<f64>,
    /// Unit of each explanation's headline `value` (absent when the criterion is explained
    /// by its parts, or when no row is explained).
    #[serde(skip_serializing_if = "str::is_empty")]
    pub unit: &'static str,
    /// The median resident's value of the headline figure (population-weighted).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_decimals::<4, _>"
    )]
    pub median: Option<f64>,
    /// Spatial level of the headline figure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Resolution>,
    /// True when the headline figure is lotse's estimate.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub estimate: bool,
    /// The parts each explanation lists, in the same order (when rows are explained).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PartInfo<'a>>,
    /// The medians to read each explanation's sentence against, in the answer's language
    /// ("median resident in Saxony: 0.8 km"): once here, not in every sentence. Absent when
    /// there are none or no row is explained.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub median_text: std::borrow::Cow<'a, str>,
    /// How the explanations' estimated figures are made, where that is the same for every
    /// municipality (the commute's speed model), in the answer's language; absent otherwise.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub method_text: std::borrow::Cow<'a, str>,
}

impl<'a> ActiveCriterion<'a> {
    /// Takes the shared figures (unit, median, level, parts) from one municipality's
    /// explanation of this criterion: they are the same in every row.
    pub(crate) fn describe(&mut self, e: &Explanation<'a>) {
        self.unit = e.unit;
        self.median = e.median;
        self.resolution = e.resolution;
        self.estimate = e.estimate;
        self.parts = e.parts.iter().map(PartInfo::of).collect();
        self.median_text = e.median_text.clone();
        self.method_text = e.method_text.clone();
    }
}

/// Fills each active criterion's shared figures from one explained row (see
/// [`ActiveCriterion::describe`]); criteria the row does not explain keep none.
pub(crate) fn describe_criteria<'a>(criteria: &mut [ActiveCriterion<'a>], row: &[Explanation<'a>]) {
    for c in criteria {
        if let Some(e) = row.iter().find(|e| e.criterion == c.criterion) {
            c.describe(e);
        }
    }
}

/// Who set the commute limit in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SetBy {
    /// The default: the commute curve's zero point.
    Default,
    /// The profile's `max_commute_min`.
    Household,
}

/// The commute limit in force: a town whose estimated one-way commute to a workplace is longer
/// is excluded ([`Limit::MaxCommuteMin`]).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommuteLimit {
    /// Estimated one-way minutes to each workplace.
    pub minutes: f64,
    pub set_by: SetBy,
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
    /// The commute limit in force ([`Ranking::commute_limit`]) for workplace number
    /// `workplace`, on the estimated one-way minutes.
    MaxCommuteMin {
        workplace: usize,
    },
    /// A criterion the household made essential (weight 5) has a utility below the floor
    /// ([`crate::criteria::ESSENTIAL_FLOOR`]).
    Essential {
        criterion: Criterion,
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
    /// The municipality's figure (serialised to two decimals, as every exclusion is: the
    /// sentences show one, and a full-precision figure for each of some hundred excluded towns
    /// would be a fifth of an answer).
    #[serde(serialize_with = "decimals::<2, _>")]
    pub value: f64,
    /// The limit.
    #[serde(serialize_with = "decimals::<2, _>")]
    pub threshold: f64,
    pub unit: &'static str,
    /// By how much it missed (always positive, in `unit`).
    #[serde(serialize_with = "decimals::<2, _>")]
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

/// A figure shown for context beside the score, never scored. In JSON only its value (null
/// when unknown), at the position of its indicator in the answer's `context` list
/// ([`ContextInfo`]): indicator, label, unit, level and median are the same for every
/// municipality and are carried there, once.
#[derive(Clone, Debug, PartialEq)]
pub struct ContextValue<'a> {
    pub indicator: &'a str,
    pub label: &'a str,
    pub value: Option<f64>,
    pub unit: &'a str,
    pub resolution: Resolution,
    /// The median resident's value (population-weighted).
    pub median: Option<f64>,
}

impl Serialize for ContextValue<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

/// What a context figure is, the same for every municipality: carried once per answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContextInfo<'a> {
    pub indicator: &'a str,
    pub label: &'a str,
    pub unit: &'a str,
    pub resolution: Resolution,
    /// The median resident's value (population-weighted).
    pub median: Option<f64>,
}

impl<'a> ContextInfo<'a> {
    /// The shared fields of every row's context figures, from one row's.
    pub fn of_row(row: &[ContextValue<'a>]) -> Vec<Self> {
        row.iter()
            .map(|c| ContextInfo {
                indicator: c.indicator,
                label: c.label,
                unit: c.unit,
                resolution: c.resolution,
                median: c.median,
            })
            .collect()
    }
}

/// One of the best k of [`Ranker::rank_top`](super::Ranker::rank_top).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TopScore<'a> {
    pub rank: u32,
    pub ags: &'a str,
    pub name: &'a str,
    pub score: f64,
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
    /// Share of the robustness draws in which it is in the top k (explained rows and the top
    /// k only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top_k_share: Option<f64>,
    /// 5th and 95th percentile of its rank over the robustness draws (same rows): in 90 % of
    /// the draws its rank lies within.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_items = 2, max_items = 2))]
    pub rank_interval: Option<[u32; 2]>,
    /// Group number (from 1) among the same rows: consecutive rows whose rank intervals overlap
    /// (directly or through a row between them) share a group, and their order within it is
    /// not settled.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub group: Option<u32>,
    /// Pareto check (explained rows only): true when no ranked municipality is at least as
    /// good on every active criterion and better on one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pareto_optimal: Option<bool>,
    /// The best-ranked municipality that dominates this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dominated_by: Option<Dominator<'a>>,
    /// Per criterion (explained rows only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub explanations: Vec<Explanation<'a>>,
    /// Context figures (explained rows only): values in the order of the answer's `context`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Option<f64>>))]
    pub context: Vec<ContextValue<'a>>,
    /// The district's Welcome Center, immigration office and the like (explained rows only;
    /// contacts for all of Saxony are in [`Ranking::statewide_help`], once). In JSON once
    /// per answer, not per row ([`super::json::RankingJson::help`]).
    #[serde(skip_serializing)]
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

/// The result of ranking one profile. Serialised lean ([`super::json::RankingJson`]): the
/// rows without details as columns, the exclusions grouped by limit, help contacts once.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranking<'a> {
    pub region: &'a str,
    pub lang: Lang,
    pub aggregation: Aggregation,
    pub criteria: Vec<ActiveCriterion<'a>>,
    pub workplaces: Vec<ResolvedWorkplace>,
    pub living_space_m2: f64,
    /// The commute limit in force, when a workplace is given and the commute counts (weight
    /// above 0) or the profile sets `max_commute_min`.
    pub commute_limit: Option<CommuteLimit>,
    /// What each explained row's `context` figures are (label, unit, level, median), once.
    pub context: Vec<ContextInfo<'a>>,
    /// Below this weight coverage a municipality gets no rank.
    pub min_weight_coverage: f64,
    pub notes: Vec<Note>,
    /// In rank order, every ranked municipality.
    pub ranked: Vec<Ranked<'a>>,
    pub unranked: Vec<Unranked<'a>>,
    /// One entry per missed limit (hard limits, the commute limit, essential criteria),
    /// grouped by municipality in AGS order.
    pub excluded: Vec<Exclusion<'a>>,
    pub robustness: Option<Robustness>,
    /// Contacts that help newcomers anywhere in the region (e.g. recognition of foreign
    /// qualifications), when any row is explained.
    pub statewide_help: Vec<&'a HelpContact>,
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
    #[error("`{query}` matches no municipality{}", did_you_mean(suggestions))]
    NotFound {
        query: String,
        /// Close names (edit distance), as a place field takes them; may be empty.
        suggestions: Vec<String>,
    },
    #[error("`{query}` matches several municipalities: {}", candidates.join(", "))]
    Ambiguous {
        query: String,
        /// "Name (AGS)" of each match, for the message.
        candidates: Vec<String>,
        /// Each match as a place field takes it (the name, or "name (district)").
        choices: Vec<String>,
    },
    #[error("compare takes 2–6 municipalities, got {found}")]
    Count { found: usize },
}

impl RequestError {
    /// Names to pick instead of a place that matched nothing (close ones) or several.
    pub fn choices(&self) -> Option<crate::profile::Choices> {
        match self {
            RequestError::NotFound { suggestions, .. } if !suggestions.is_empty() => {
                Some(crate::profile::Choices::DidYouMean(suggestions.clone()))
            }
            RequestError::Ambiguous { choices, .. } => {
                Some(crate::profile::Choices::OneOf(choices.clone()))
            }
            _ => None,
        }
    }
}

/// "; did you mean A or B?" for an error message, or nothing without suggestions.
fn did_you_mean(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!("; did you mean {one}?"),
        [init @ .., last] => format!("; did you mean {} or {last}?", init.join(", ")),
    }
}

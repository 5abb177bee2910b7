//! How a [`Ranking`] is written as JSON: lean, so that an answer stays small as the atlas and
//! the explanations grow (a ranking with 10 explained rows ≤ 60 kB plain).
//!
//! The Rust value keeps every row as a [`Ranked`] and every missed limit as an [`Exclusion`];
//! the JSON carries what is the same for many rows once:
//! - `ranked`: the rows with details (explanations, context, robustness figures), in full;
//! - `rest`: the ranked municipalities after them as columns ([`RestColumns`]);
//! - `excluded`: one group per limit with its threshold and unit, the municipalities and
//!   their figures as columns ([`ExclusionGroup`]);
//! - `help`: the help contacts of the explained rows' districts, once each ([`HelpBrief`],
//!   without the provenance note, which the municipality detail carries).
//!
//! Names and districts of the `rest` and `excluded` municipalities are not repeated:
//! `GET /api/v1/municipalities` lists them by AGS.

use super::decimals::round;
use super::output::{
    ActiveCriterion, CommuteLimit, ContextInfo, CriterionSet, Exclusion, Limit, Note, Ranked,
    Ranking, ResolvedWorkplace, Robustness, Unranked,
};
use crate::atlas::HelpContact;
use crate::profile::{Aggregation, Lang};
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;

impl Serialize for Ranking<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        RankingJson::of(self).serialize(s)
    }
}

/// The JSON form of a [`Ranking`] (what `POST /api/v1/rank` answers).
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = Ranking))]
pub struct RankingJson<'r, 'a> {
    pub region: &'a str,
    pub lang: Lang,
    pub aggregation: Aggregation,
    pub criteria: &'r [ActiveCriterion<'a>],
    pub workplaces: &'r [ResolvedWorkplace],
    pub living_space_m2: f64,
    /// The commute limit in force, when a workplace is given and the commute counts (weight
    /// above 0) or the profile sets `max_commute_min`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commute_limit: Option<CommuteLimit>,
    /// What each explained row's `context` figures are (label, unit, level, median), once.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub context: &'r [ContextInfo<'a>],
    /// Below this weight coverage a municipality gets no rank.
    pub min_weight_coverage: f64,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub notes: &'r [Note],
    /// The best-ranked rows, in rank order, each with its details: every row that has
    /// explanations or robustness figures (the top `top`, and the robustness top k).
    pub ranked: &'r [Ranked<'a>],
    /// The ranked municipalities after the last row of `ranked`, as columns.
    pub rest: RestColumns<'r>,
    pub unranked: &'r [Unranked<'a>],
    /// The municipalities that miss a limit, one group per limit (hard limits, the commute
    /// limit, essential criteria); a municipality that misses two is in two groups.
    pub excluded: Vec<ExclusionGroup<'r>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub robustness: Option<Robustness>,
    /// The help contacts of the districts of the explained rows, once each: a row's are those
    /// whose `district_ags5` holds the first five digits of its AGS.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub help: Vec<HelpBrief<'r>>,
    /// Contacts that help newcomers anywhere in the region (e.g. recognition of foreign
    /// qualifications), when any row is explained.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statewide_help: Vec<HelpBrief<'r>>,
}

/// Ranked municipalities without details, as columns in rank order: the first has rank
/// `first_rank`, each next one the rank after. Scores and weight coverages to three
/// decimals.
#[derive(Serialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RestColumns<'r> {
    pub first_rank: u32,
    pub ags: Vec<&'r str>,
    /// 0–100.
    pub score: Vec<f64>,
    /// Share (0–1) of the profile's weights each score rests on.
    pub weight_coverage: Vec<f64>,
    /// The rows that left criteria out for lack of data: AGS → criteria.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub dropped: BTreeMap<&'r str, CriterionSet>,
    /// The rows with hard limits that could not be checked for lack of data: AGS → limits.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub unchecked_limits: BTreeMap<&'r str, &'r [Limit]>,
}

/// Every municipality that misses one limit: the limit, its threshold and unit once, each
/// municipality's figure beside its AGS (two decimals; it missed by |value − threshold|).
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExclusionGroup<'r> {
    #[serde(flatten)]
    pub limit: Limit,
    pub threshold: f64,
    pub unit: &'static str,
    /// In AGS order.
    pub ags: Vec<&'r str>,
    pub value: Vec<f64>,
}

/// A help contact as a ranking answer carries it: who, where, how to reach them, and whether
/// the source marks the entry as inferred.
#[derive(Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HelpBrief<'r> {
    pub name: &'r str,
    /// e.g. `welcome_center`, `auslaenderbehoerde`.
    pub kind: &'r str,
    /// The 5-digit codes of the districts it serves.
    pub district_ags5: &'r [String],
    pub town: &'r str,
    pub website: &'r str,
    /// True when the source marks the entry's existence or address as inferred, not verified.
    pub inferred: bool,
}

impl<'r> HelpBrief<'r> {
    fn of(h: &'r HelpContact) -> Self {
        HelpBrief {
            name: &h.name,
            kind: &h.kind,
            district_ags5: &h.district_ags5,
            town: &h.town,
            website: &h.website,
            inferred: h.inferred,
        }
    }
}

impl<'r, 'a> RankingJson<'r, 'a> {
    pub fn of(r: &'r Ranking<'a>) -> Self {
        let detailed = r
            .ranked
            .iter()
            .rposition(has_details)
            .map_or(0, |last| last + 1);
        let (ranked, rest) = r.ranked.split_at(detailed);
        let mut help: Vec<&HelpContact> = Vec::new();
        for h in ranked.iter().flat_map(|row| row.help.iter().copied()) {
            if !help.iter().any(|&seen| std::ptr::eq(seen, h)) {
                help.push(h);
            }
        }
        RankingJson {
            region: r.region,
            lang: r.lang,
            aggregation: r.aggregation,
            criteria: &r.criteria,
            workplaces: &r.workplaces,
            living_space_m2: r.living_space_m2,
            commute_limit: r.commute_limit,
            context: &r.context,
            min_weight_coverage: r.min_weight_coverage,
            notes: &r.notes,
            ranked,
            rest: RestColumns::of(rest, detailed as u32 + 1),
            unranked: &r.unranked,
            excluded: ExclusionGroup::of(&r.excluded),
            robustness: r.robustness,
            help: help.into_iter().map(HelpBrief::of).collect(),
            statewide_help: r.statewide_help.iter().map(|h| HelpBrief::of(h)).collect(),
        }
    }
}

/// Whether a row carries more than its rank, score and coverage.
fn has_details(row: &Ranked<'_>) -> bool {
    !row.explanations.is_empty()
        || !row.context.is_empty()
        || !row.help.is_empty()
        || row.top_k_share.is_some()
        || row.rank_interval.is_some()
        || row.pareto_optimal.is_some()
}

impl<'r> RestColumns<'r> {
    fn of(rows: &'r [Ranked<'_>], first_rank: u32) -> Self {
        let mut c = RestColumns {
            first_rank,
            ags: Vec::with_capacity(rows.len()),
            score: Vec::with_capacity(rows.len()),
            weight_coverage: Vec::with_capacity(rows.len()),
            ..RestColumns::default()
        };
        for row in rows {
            c.ags.push(row.ags);
            c.score.push(round(row.score, 3));
            c.weight_coverage.push(round(row.weight_coverage, 3));
            if !row.dropped.is_empty() {
                c.dropped.insert(row.ags, row.dropped);
            }
            if !row.unchecked_limits.is_empty() {
                c.unchecked_limits.insert(row.ags, &row.unchecked_limits);
            }
        }
        c
    }
}

impl<'r> ExclusionGroup<'r> {
    /// One group per (limit, threshold, unit), in the order the limits first occur;
    /// municipalities in the order given (AGS order).
    fn of(excluded: &'r [Exclusion<'_>]) -> Vec<Self> {
        let mut groups: Vec<ExclusionGroup<'r>> = Vec::new();
        for e in excluded {
            let threshold = round(e.threshold, 2);
            let at = groups
                .iter()
                .position(|g| g.limit == e.limit && g.threshold == threshold && g.unit == e.unit);
            let g = match at {
                Some(at) => &mut groups[at],
                None => {
                    groups.push(ExclusionGroup {
                        limit: e.limit,
                        threshold,
                        unit: e.unit,
                        ags: Vec::new(),
                        value: Vec::new(),
                    });
                    groups.last_mut().expect("just pushed")
                }
            };
            g.ags.push(e.ags);
            g.value.push(round(e.value, 2));
        }
        groups
    }
}

//! Side by side and what-if: 2–6 municipalities compared on every active criterion, and how
//! the ranks move when one thing about the household changes. Both read the plan, the sums and
//! the ranking below them; a comparison scores once.

use super::explain::{DynamicMedians, Sentences, explain_row};
use super::explanation::Explanation;
use super::output::{
    ActiveCriterion, ContextInfo, ContextValue, Exclusion, Note, RankOptions, Ranking,
    RequestError, ResolvedWorkplace, describe_criteria,
};
use super::plan::{Plan, plan};
use super::precompute::Prepared;
use super::ranking::{context, rank_plan, ranking_of};
use super::sums::{Purpose, sums};
use crate::change::Change;
use crate::profile::{Profile, ProfileError};
use serde::Serialize;

/// Compares 2–6 municipalities (AGS or names) side by side: every active criterion with
/// raw value and utility, their ranks, and any limit they miss.
pub(crate) fn compare<'r, 'a: 'r>(
    r: &'r Prepared<'a>,
    sentences: &'r Sentences<'a>,
    profile: &Profile,
    municipalities: &[&str],
) -> Result<Comparison<'r>, RequestError> {
    // The profile first (as when it was checked on arrival): an invalid profile is the error
    // even when the list of towns is wrong too.
    let plan = plan(r, profile)?;
    if !(2..=6).contains(&municipalities.len()) {
        return Err(RequestError::Count {
            found: municipalities.len(),
        });
    }
    compared(r, sentences, &plan, municipalities)
}

/// One municipality (AGS or name) explained for the household: its rank or why it has none,
/// every active criterion with raw value and utility — its entry of a comparison, without
/// another town beside it (what the page shows for a town below the explained top).
pub(crate) fn explain_one<'r, 'a: 'r>(
    r: &'r Prepared<'a>,
    sentences: &'r Sentences<'a>,
    profile: &Profile,
    municipality: &str,
) -> Result<Comparison<'r>, RequestError> {
    compared(r, sentences, &plan(r, profile)?, &[municipality])
}

/// The entries of `municipalities` (any number) for a planned profile, in one scoring pass.
fn compared<'r, 'a: 'r>(
    r: &'r Prepared<'a>,
    sentences: &'r Sentences<'a>,
    plan: &Plan,
    municipalities: &[&str],
) -> Result<Comparison<'r>, RequestError> {
    let rows = municipalities
        .iter()
        .map(|q| r.find_one(q))
        .collect::<Result<Vec<_>, _>>()?;
    // One pass: the sums of the ranking, with utilities for excluded rows too, so that a
    // compared municipality a limit excludes is still explained.
    let mut s = sums(r, plan, Purpose::Comparison);
    let ranking = ranking_of(r, sentences, plan, &mut s, &RankOptions::bare());
    let medians = DynamicMedians::new(r, plan, &s.d);
    let entries: Vec<Compared<'_>> = rows
        .iter()
        .map(|&i| {
            let ags = r.ags[i];
            let status = if let Some(x) = ranking.ranked.iter().find(|x| x.ags == ags) {
                Status::Ranked {
                    rank: x.rank,
                    score: x.score,
                    weight_coverage: x.weight_coverage,
                }
            } else if let Some(u) = ranking.unranked.iter().find(|u| u.ags == ags) {
                Status::Unranked {
                    partial_score: u.partial_score,
                    weight_coverage: u.weight_coverage,
                }
            } else {
                let misses: Vec<Exclusion<'_>> = ranking
                    .excluded
                    .iter()
                    .filter(|e| e.ags == ags)
                    .cloned()
                    .collect();
                let reasons = misses
                    .iter()
                    .map(|e| ranking.describe_exclusion(e))
                    .collect();
                Status::Excluded { misses, reasons }
            };
            Compared {
                ags,
                name: r.names[i],
                district: r.districts[i],
                status,
                explanations: explain_row(r, sentences, plan, &s.d, &medians, i, &s.sw),
                context: context(r, plan, i),
            }
        })
        .collect();
    let mut criteria = ranking.criteria;
    if let Some(first) = entries.first() {
        describe_criteria(&mut criteria, &first.explanations);
    }
    Ok(Comparison {
        context: entries
            .first()
            .map_or_else(Vec::new, |m| ContextInfo::of_row(&m.context)),
        criteria,
        workplaces: ranking.workplaces,
        living_space_m2: ranking.living_space_m2,
        notes: ranking.notes,
        municipalities: entries,
    })
}

/// Re-ranks with one change to the profile and reports how the ranks move.
pub(crate) fn what_if<'r, 'a: 'r>(
    r: &'r Prepared<'a>,
    sentences: &'r Sentences<'a>,
    profile: &Profile,
    change: &Change,
    opts: &RankOptions,
) -> Result<WhatIf<'r>, ProfileError> {
    let changed = change.apply(profile)?;
    let before = rank_plan(
        r,
        sentences,
        &plan(r, profile)?,
        &RankOptions {
            robustness: None,
            ..*opts
        },
    );
    let after = rank_plan(r, sentences, &plan(r, &changed)?, opts);
    let place = |ranking: &Ranking<'_>, ags: &str| -> Place {
        if let Some(x) = ranking.ranked.iter().find(|x| x.ags == ags) {
            Place::Ranked {
                rank: x.rank,
                score: x.score,
            }
        } else if ranking.unranked.iter().any(|x| x.ags == ags) {
            Place::Unranked
        } else {
            Place::Excluded
        }
    };
    let top = opts.explain_top.max(10);
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for x in before
        .ranked
        .iter()
        .take(top)
        .chain(after.ranked.iter().take(top))
    {
        if !seen.iter().any(|s| s.0 == x.ags) {
            seen.push((x.ags, x.name));
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
        .filter(|a| !matches!(place(&before, a.ags), Place::Ranked { rank, .. } if rank == a.rank))
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
        /// One sentence per miss, in the profile's language (as a ranking's exclusions are
        /// described), so no reader has to word a limit itself.
        reasons: Vec<String>,
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
    pub explanations: Vec<Explanation<'a>>,
    /// Context figures: values in the order of the answer's `context`.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Option<f64>>))]
    pub context: Vec<ContextValue<'a>>,
}

/// Side-by-side view of 2–6 municipalities.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Comparison<'a> {
    pub criteria: Vec<ActiveCriterion<'a>>,
    pub workplaces: Vec<ResolvedWorkplace>,
    pub living_space_m2: f64,
    /// What each town's `context` figures are (label, unit, level, median), once.
    pub context: Vec<ContextInfo<'a>>,
    pub notes: Vec<Note>,
    pub municipalities: Vec<Compared<'a>>,
}

//! The profile-dependent criteria: the monthly cost of the needed flat, the road distances to
//! the workplaces, and the utilities of affordability, commute and town size per municipality;
//! and [`utilities`], where every stage reads the utilities of a planned criterion.

use super::plan::{Plan, Planned, PlannedWorkplace, Source};
use super::precompute::{Prepared, distance_km};
use super::score::ln_floor;
use crate::criteria;
use crate::profile::Aggregation;
use std::borrow::Cow;

/// Per-plan values of the computed criteria.
pub(crate) struct Dynamic<'r> {
    /// Monthly cold rent of the needed flat, per row (a warm budget adds `plan.budget_extra`).
    pub cost: Vec<f64>,
    pub afford: Vec<f64>,
    /// Estimated road km per row and workplace (row-major, `workplaces` per row); borrowed
    /// from the per-workplace cache for one workplace municipality.
    pub road: Cow<'r, [f64]>,
    /// Estimated one-way minutes per row and workplace (same layout as `road`): the one
    /// figure the commute utility, the commute limit and the sentences read.
    pub minutes: Cow<'r, [f64]>,
    pub commute: Cow<'r, [f64]>,
    pub town: Vec<f64>,
    pub ln_afford: Vec<f64>,
    pub ln_commute: Vec<f64>,
    pub ln_town: Vec<f64>,
}

/// Monthly cost of the needed flat, estimated road distances and minutes: what the hard limits
/// read.
pub(crate) fn geometry<'r>(r: &'r Prepared<'_>, plan: &Plan) -> Dynamic<'r> {
    let n = r.n;
    let mut d = Dynamic {
        cost: Vec::new(),
        afford: Vec::new(),
        road: Cow::Borrowed(&[]),
        minutes: Cow::Borrowed(&[]),
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
        d.cost = match r.known.rent_new {
            Some(k) => r.raw[k].iter().map(|&x| x * plan.space_m2).collect(),
            None => vec![f64::NAN; n],
        };
    }
    let w = plan.workplaces.len();
    if let [PlannedWorkplace { row: Some(row), .. }] = plan.workplaces[..] {
        d.road = Cow::Borrowed(r.road_km_to(row));
        d.minutes = Cow::Borrowed(r.minutes_to(row, plan.car));
    } else if w > 0 {
        let mut road = Vec::with_capacity(n * w);
        let mut minutes = Vec::with_capacity(n * w);
        let stations: Vec<_> = plan
            .workplaces
            .iter()
            .map(|wp| r.workplace_station(wp.row, &wp.unit))
            .collect();
        for (row, c) in r.centres.iter().enumerate() {
            for (wp, &station) in plan.workplaces.iter().zip(&stations) {
                road.push(crate::travel::road_km(distance_km(c, &wp.unit)));
                minutes.push(r.commute_minutes(row, wp.row, &wp.unit, station, plan.car));
            }
        }
        d.minutes = Cow::Owned(minutes);
        d.road = Cow::Owned(road);
    }
    d
}

/// Utilities of the profile-dependent criteria; rows marked in `skip` (already excluded by
/// a hard limit) get none, which saves the curve evaluations nobody will look at.
pub(crate) fn fill_utilities<'r>(
    r: &'r Prepared<'_>,
    plan: &Plan,
    d: &mut Dynamic<'r>,
    skip: Option<&[bool]>,
) {
    let n = r.n;
    let on = |s: Source| {
        plan.criteria
            .iter()
            .any(|p| p.source == s && p.weight > 0.0)
    };
    let skipped = |i: usize| skip.is_some_and(|s| s[i]);
    if on(Source::Affordability) {
        d.afford = (0..n)
            .map(|i| {
                if skipped(i) {
                    return f64::NAN;
                }
                affordability(plan, d.cost[i])
            })
            .collect();
    }
    let w = plan.workplaces.len();
    if let ([PlannedWorkplace { row: Some(row), .. }], true) =
        (&plan.workplaces[..], on(Source::Commute))
    {
        // Rows excluded by a limit keep their utility here; nothing reads it.
        d.commute = Cow::Borrowed(r.commute_to(*row, plan.car));
    } else if w > 0 && on(Source::Commute) {
        d.commute = (0..n)
            .map(|i| {
                if skipped(i) {
                    return f64::NAN;
                }
                commute(&d.minutes[i * w..(i + 1) * w], 1.0)
            })
            .collect();
    }
    if let (Some(ts), true) = (plan.town_size, on(Source::TownSize)) {
        let (lo, hi) = ts.bounds();
        d.town = match r.known.population {
            Some(k) => r.raw[k]
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

/// Affordability utility of a monthly cost: the lower of the budget and the income curve
/// (whichever the plan has), none without a cost. The robustness draws read it too, for a
/// cost with an error.
#[inline]
pub(crate) fn affordability(plan: &Plan, cost: f64) -> f64 {
    if cost.is_nan() {
        return f64::NAN;
    }
    // A warm budget is compared with the warm rent (cold + operating costs).
    let b = plan.budget.map_or(f64::INFINITY, |b| {
        criteria::RENT_BUDGET_RATIO.eval((cost + plan.budget_extra) / b)
    });
    let inc = plan.income.map_or(f64::INFINITY, |x| {
        criteria::RENT_INCOME_SHARE.eval(cost / x)
    });
    b.min(inc)
}

/// Commute utility of one row from its minutes to each workplace, each × `factor`: the mean
/// of the commute curve over the workplaces. The robustness draws pass a factor for the
/// error of the estimate; the ranking passes 1.
#[inline]
pub(crate) fn commute(minutes: &[f64], factor: f64) -> f64 {
    let sum: f64 = minutes
        .iter()
        .map(|&min| criteria::COMMUTE_MIN.eval(min * factor))
        .sum();
    sum / minutes.len() as f64
}

/// Whether a planned criterion has a utility in every row: a precomputed column without
/// gaps, or commute utilities from the per-workplace cache (distances always exist).
pub(crate) fn complete(r: &Prepared<'_>, d: &Dynamic<'_>, p: &Planned) -> bool {
    match p.source {
        Source::Column(k) => r.columns[k].complete,
        Source::Commute => matches!(d.commute, Cow::Borrowed(_)),
        Source::Affordability | Source::TownSize | Source::Missing => false,
    }
}

/// Utilities (or their logs) of one planned criterion, per row.
pub(crate) fn utilities<'s>(
    r: &'s Prepared<'_>,
    d: &'s Dynamic<'_>,
    p: &Planned,
    ln: bool,
) -> &'s [f64] {
    match (p.source, ln) {
        (Source::Column(k), false) => &r.columns[k].util,
        (Source::Column(k), true) => &r.columns[k].ln,
        (Source::Affordability, false) => &d.afford,
        (Source::Affordability, true) => &d.ln_afford,
        (Source::Commute, false) => &d.commute,
        (Source::Commute, true) => &d.ln_commute,
        (Source::TownSize, false) => &d.town,
        (Source::TownSize, true) => &d.ln_town,
        // Never read: a missing source is unavailable, so never active.
        (Source::Missing, _) => &[],
    }
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

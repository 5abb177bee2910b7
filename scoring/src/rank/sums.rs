//! The weighted sums of one plan: hard limits first, then the profile-dependent utilities of
//! the rows that remain, then the essential vetoes (they read utilities), then per row the sum of the weights with data (`sw`) and of weight ×
//! utility (`su`), column by column. What the full ranking, the top-k selection and the
//! comparison share; [`super::score::score`] turns the sums into scores.

use super::dynamic::{Dynamic, complete, fill_utilities, geometry, utilities};
use super::limits::{Misses, apply_essential, apply_limits};
use super::output::{Exclusion, Limit};
use super::plan::{Plan, Planned};
use super::precompute::Prepared;
use crate::profile::Aggregation;

/// What the sums are for, which decides what they keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// Scores only: excluded rows are marked but their exclusions not described.
    TopK,
    /// A full ranking: exclusions described; excluded rows get no profile-dependent utilities
    /// (nobody reads them), which saves the curve evaluations.
    Ranking,
    /// A comparison: exclusions described, and utilities for every row, excluded or not, since
    /// a compared municipality is explained even when a limit excludes it.
    Comparison,
}

/// The state of one plan's scoring.
pub(crate) struct Sums<'r, 'p, 'a> {
    pub d: Dynamic<'r>,
    pub excluded_rows: Vec<bool>,
    pub excluded: Vec<Exclusion<'a>>,
    pub unchecked: Vec<(usize, Limit)>,
    /// The planned criteria that count: available, with a weight above 0.
    pub active: Vec<&'p Planned>,
    /// Sum of the active weights.
    pub total: f64,
    pub sw: Vec<f64>,
    pub su: Vec<f64>,
    pub geo: bool,
}

/// Hard limits, profile-dependent utilities and the weighted sums of one plan.
pub(crate) fn sums<'r, 'p, 'a>(
    r: &'r Prepared<'a>,
    plan: &'p Plan,
    purpose: Purpose,
) -> Sums<'r, 'p, 'a> {
    let n = r.n;
    // Hard limits first: they read only costs and distances, and the curves of the
    // profile-dependent criteria need not be evaluated for excluded rows.
    let mut d = geometry(r, plan);
    let commute_limits = plan.max_commute_km.is_some() || plan.commute_limit.is_some();
    let mut misses = Misses::new(
        n,
        purpose != Purpose::TopK,
        if commute_limits { n } else { 0 },
    );
    apply_limits(r, plan, &d, &mut misses);
    let skip = (purpose != Purpose::Comparison).then_some(&misses.rows[..]);
    fill_utilities(r, plan, &mut d, skip);
    // The essential vetoes read utilities, so they come after them (for the rows left).
    apply_essential(r, plan, &d, &mut misses);
    let Misses {
        rows: excluded_rows,
        out: excluded,
        unchecked,
        ..
    } = misses;
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
        let u = &utilities(r, &d, p, geo)[..n];
        let w = p.weight;
        // Branch-free over equal-length slices, so that the compiler can vectorise it.
        let (a, b) = (&mut sw[..n], &mut su[..n]);
        if complete(r, &d, p) {
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

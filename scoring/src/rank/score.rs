//! The score and the order: written once here and used by the full ranking, the top-k
//! selection, the comparison and the robustness draws, so that they cannot disagree.
//!
//! A municipality's score is the weighted mean of the utilities it has data for (or, for the
//! geometric mean, the exponential of the weighted mean of their floored logarithms), clamped
//! to 0–100. Callers accumulate `sw` (the weights with data) and `su` (weight × utility, or
//! weight × log utility) per row, column by column, and turn them into a score with [`score`].
//! Higher scores rank first; equal scores are ordered by AGS ([`ranks_before`]).

use crate::criteria::{GEOMETRIC_FLOOR, MIN_WEIGHT_COVERAGE};
use crate::profile::Aggregation;
use std::cmp::Ordering;

/// What the geometric mean sums for a utility: its logarithm, floored at
/// [`GEOMETRIC_FLOOR`] so that one utility of 0 does not make every score 0. `NaN` (no data)
/// stays `NaN`.
#[inline]
pub(crate) fn ln_floor(u: f64) -> f64 {
    if u.is_nan() {
        f64::NAN
    } else {
        u.max(GEOMETRIC_FLOOR.value).ln()
    }
}

/// THE score of one municipality from its weighted sums: `sw` the sum of the weights of the
/// criteria with data, `su` the sum of weight × utility (`geo` false) or weight × [`ln_floor`]
/// of the utility (`geo` true). Meaningful for `sw > 0` only (see [`has_rank`]); callers that
/// may pass `sw = 0` check first. Inlined, so that loops over rows vectorise.
#[inline(always)]
pub(crate) fn score(sw: f64, su: f64, geo: bool) -> f64 {
    let mean = su / sw;
    let s = if geo { mean.exp() } else { mean };
    s.clamp(0.0, 100.0)
}

/// Whether a municipality (not excluded by a limit) gets a rank: some weighted criterion has
/// data, and the criteria with data carry at least [`MIN_WEIGHT_COVERAGE`] of the profile's
/// total weight `total`. Non-short-circuiting, so that loops over rows stay branch-free.
#[inline(always)]
pub(crate) fn has_rank(sw: f64, total: f64) -> bool {
    (sw > 0.0) & (sw / total >= MIN_WEIGHT_COVERAGE.value - 1e-12)
}

/// A ranked municipality as the order sees it: its score and its internal row (rows are in
/// AGS order, so the row breaks ties by AGS).
pub(crate) type Key = (f64, u32);

/// THE order of a ranking: higher score first, equal scores by lower AGS. Deterministic for
/// any input, `NaN` included (by `total_cmp`).
#[inline]
pub(crate) fn ranks_before(a: &Key, b: &Key) -> Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
}

/// Weighted mean of the utilities present, the reference definition of a score.
///
/// `utilities[c]` is `None` where criterion `c` has no data for the municipality; `weights[c]`
/// is its weight (≥ 0). Returns `(score, weight coverage)`, where the coverage is the share of
/// the total weight whose criteria have data, or `None` when no weighted criterion has data.
/// The ranker computes exactly this, column by column, with the same score function.
pub fn aggregate(
    utilities: &[Option<f64>],
    weights: &[f64],
    aggregation: Aggregation,
) -> Option<(f64, f64)> {
    let total: f64 = weights.iter().sum();
    let geo = aggregation == Aggregation::Geometric;
    let (mut sw, mut su) = (0.0, 0.0);
    for (u, &w) in utilities.iter().zip(weights) {
        if let Some(u) = u
            && w > 0.0
        {
            sw += w;
            su += w * if geo { ln_floor(*u) } else { *u };
        }
    }
    if sw <= 0.0 {
        return None;
    }
    Some((score(sw, su, geo), sw / total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_score_is_the_weighted_mean() {
        // 2 × 80 + 1 × 50 over 3.
        assert_eq!(score(3.0, 2.0 * 80.0 + 50.0, false), 70.0);
        assert_eq!(score(1.0, 100.0, false), 100.0);
        assert_eq!(score(1.0, 0.0, false), 0.0);
    }

    #[test]
    fn geometric_score_is_the_weighted_geometric_mean() {
        let (a, b) = (ln_floor(25.0), ln_floor(100.0));
        // Equal weights: √(25 × 100) = 50.
        let s = score(2.0, a + b, true);
        assert!((s - 50.0).abs() < 1e-9, "{s}");
        // A utility of 0 counts as the floor, not as 0.
        let floor = GEOMETRIC_FLOOR.value;
        let s = score(1.0, ln_floor(0.0), true);
        assert!((s - floor).abs() < 1e-9, "{s}");
        assert!(ln_floor(f64::NAN).is_nan());
    }

    #[test]
    fn score_is_clamped_to_0_100() {
        // Rounding can carry a mean of utilities ≤ 100 just above 100.
        assert_eq!(score(1.0, 100.000_000_1, false), 100.0);
        assert_eq!(score(1.0, -1e-9, false), 0.0);
        assert_eq!(score(1.0, 100f64.ln() + 1e-9, true), 100.0);
    }

    #[test]
    fn aggregate_uses_the_same_score() {
        let u = [Some(80.0), None, Some(50.0)];
        let w = [2.0, 1.0, 1.0];
        let (s, cov) = aggregate(&u, &w, Aggregation::Arithmetic).unwrap();
        assert_eq!(s, score(3.0, 2.0 * 80.0 + 50.0, false));
        assert_eq!(cov, 0.75);
        let (g, _) = aggregate(&u, &w, Aggregation::Geometric).unwrap();
        assert_eq!(g, score(3.0, 2.0 * ln_floor(80.0) + ln_floor(50.0), true));
        assert_eq!(
            aggregate(&[None, Some(10.0)], &[1.0, 0.0], Aggregation::Arithmetic),
            None
        );
    }

    #[test]
    fn rank_needs_data_and_coverage() {
        let min = MIN_WEIGHT_COVERAGE.value;
        assert!(!has_rank(0.0, 10.0));
        assert!(has_rank(10.0 * min, 10.0), "exactly at the threshold ranks");
        assert!(!has_rank(10.0 * min - 0.01, 10.0));
        assert!(has_rank(10.0, 10.0));
    }

    #[test]
    fn order_is_higher_score_first_then_lower_ags() {
        let mut keys: Vec<Key> = vec![(50.0, 3), (70.0, 9), (50.0, 1), (70.0, 2), (10.0, 0)];
        keys.sort_by(ranks_before);
        assert_eq!(
            keys,
            vec![(70.0, 2), (70.0, 9), (50.0, 1), (50.0, 3), (10.0, 0)]
        );
        assert_eq!(ranks_before(&(1.0, 5), &(1.0, 5)), Ordering::Equal);
        // Total: NaN never makes the order undefined.
        assert_eq!(
            ranks_before(&(f64::NAN, 0), &(f64::NAN, 0)),
            Ordering::Equal
        );
    }
}

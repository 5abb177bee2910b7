//! Exact pruning for the robustness draws: the lowest and highest score a municipality can
//! reach anywhere in the draws' range (every weight in its box, every estimated input within
//! its error range), and from them the municipalities that can ever rank before a tracked one.

use super::super::score::Key;

/// What one criterion contributes to a row's bounds: its weight box and the range of its value
/// (a utility, or its floored log for the geometric mean) over the draws.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Term {
    pub w_lo: f64,
    pub w_hi: f64,
    pub v_lo: f64,
    pub v_hi: f64,
}

/// Lowest and highest weighted mean of `terms` (the criteria with data in one row) with each
/// weight anywhere in its box and each value anywhere in its range.
///
/// The mean rises with every value, so the highest mean takes every value at its top and the
/// lowest at its bottom. Over the weights, the highest mean gives the top weight to the best
/// values and the bottom weight to the rest, for some split of the values sorted from best to
/// worst (moving weight towards values above the mean raises it), and the lowest mean the
/// reverse: every split is tried. `terms` is reordered.
pub(crate) fn mean_bounds(terms: &mut [Term]) -> (f64, f64) {
    if terms.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    // Highest: values at their top, best first; the first t get w_hi, the rest w_lo.
    terms.sort_unstable_by(|a, b| b.v_hi.total_cmp(&a.v_hi));
    let upper = best_split(terms, |t| t.v_hi, true);
    // Lowest: values at their bottom, best first; the first t get w_lo, the rest w_hi.
    terms.sort_unstable_by(|a, b| b.v_lo.total_cmp(&a.v_lo));
    let lower = best_split(terms, |t| t.v_lo, false);
    (lower, upper)
}

/// The extreme mean over the splits of `terms` (sorted best first): with `up`, the first t
/// terms take their top weight and the rest their bottom one, and the largest mean is
/// returned; without, the reverse and the smallest.
fn best_split(terms: &[Term], v: impl Fn(&Term) -> f64, up: bool) -> f64 {
    // (weight in the first group, weight in the rest)
    let split = |t: &Term| {
        if up {
            (t.w_hi, t.w_lo)
        } else {
            (t.w_lo, t.w_hi)
        }
    };
    let (mut num, mut den) = (0.0, 0.0);
    for t in terms {
        let w = split(t).1;
        num += w * v(t);
        den += w;
    }
    let mut best = num / den;
    for t in terms {
        let (a, b) = split(t);
        num += (a - b) * v(t);
        den += a - b;
        let mean = num / den;
        best = if up { best.max(mean) } else { best.min(mean) };
    }
    best
}

/// Whether row `j` (bounds `(lo, hi)`) can ever rank before a tracked row with lower bound
/// `floor`: only a row whose best score reaches it. A margin far above rounding error keeps a
/// row that is a hair's breadth away.
#[inline]
pub(crate) fn can_reach(hi: f64, floor: f64) -> bool {
    hi >= floor - 1e-9 * (1.0 + floor.abs())
}

/// The rows (internal indices) whose rank the draws must evaluate: the first `tracked` of
/// `order` (in that order), then every other ranked row that can rank before one of them —
/// its best score reaches the lowest worst score of the tracked rows.
///
/// Why this loses nothing: every draw scores each row within its bounds, so a row whose best
/// score is below every tracked row's worst score never ranks before any of them, and leaving
/// it out changes no tracked row's rank in any draw.
pub(crate) fn candidates(order: &[Key], bounds: &[(f64, f64)], tracked: usize) -> Vec<usize> {
    let floor = bounds[..tracked]
        .iter()
        .map(|b| b.0)
        .fold(f64::INFINITY, f64::min);
    let mut rows: Vec<usize> = order[..tracked].iter().map(|o| o.1 as usize).collect();
    rows.extend(
        order[tracked..]
            .iter()
            .zip(&bounds[tracked..])
            .filter(|(_, b)| can_reach(b.1, floor))
            .map(|(o, _)| o.1 as usize),
    );
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SplitMix64;

    fn term(w: (f64, f64), v: (f64, f64)) -> Term {
        Term {
            w_lo: w.0,
            w_hi: w.1,
            v_lo: v.0,
            v_hi: v.1,
        }
    }

    #[test]
    fn bounds_contain_every_sampled_mean_and_are_the_best_corners() {
        let mut rng = SplitMix64::new(11);
        for _ in 0..200 {
            let n = 1 + (rng.next_u64() % 6) as usize;
            let terms: Vec<Term> = (0..n)
                .map(|_| {
                    let w = 0.1 + 4.0 * rng.next_f64();
                    let v = 100.0 * rng.next_f64();
                    let e = 20.0 * rng.next_f64();
                    term((w * 0.5, w + 1.0), ((v - e).max(0.0), v))
                })
                .collect();
            let (lo, hi) = mean_bounds(&mut terms.clone());
            let (mut seen_lo, mut seen_hi) = (f64::MAX, f64::MIN);
            for _ in 0..2000 {
                let (mut num, mut den) = (0.0, 0.0);
                for t in &terms {
                    // Corners as well as inner points.
                    let pick = |a: f64, b: f64, r: f64| match (r * 4.0) as u32 {
                        0 => a,
                        1 => b,
                        _ => a + (b - a) * r,
                    };
                    let w = pick(t.w_lo, t.w_hi, rng.next_f64());
                    let v = pick(t.v_lo, t.v_hi, rng.next_f64());
                    num += w * v;
                    den += w;
                }
                let m = num / den;
                assert!(m >= lo - 1e-9 && m <= hi + 1e-9, "{lo} ≤ {m} ≤ {hi}");
                seen_lo = seen_lo.min(m);
                seen_hi = seen_hi.max(m);
            }
            // Tight: the extremes lie at corners of the weight boxes (values at their ends),
            // and the best corner is found.
            let (mut best, mut worst) = (f64::MIN, f64::MAX);
            for corner in 0u32..(1 << n) {
                let (mut nh, mut nl, mut den) = (0.0, 0.0, 0.0);
                for (c, t) in terms.iter().enumerate() {
                    let w = if corner & (1 << c) != 0 {
                        t.w_hi
                    } else {
                        t.w_lo
                    };
                    nh += w * t.v_hi;
                    nl += w * t.v_lo;
                    den += w;
                }
                best = best.max(nh / den);
                worst = worst.min(nl / den);
            }
            assert!((best - hi).abs() < 1e-9 && (worst - lo).abs() < 1e-9);
            assert!(seen_hi <= hi + 1e-9 && seen_lo >= lo - 1e-9);
        }
    }

    #[test]
    fn candidates_keep_rows_that_can_reach_the_tracked_ones() {
        let order: Vec<Key> = vec![(90.0, 0), (80.0, 1), (70.0, 2), (60.0, 3), (50.0, 4)];
        let bounds = [
            (85.0, 95.0),
            (75.0, 85.0),
            (60.0, 76.0),
            (40.0, 74.9),
            (30.0, 80.0),
        ];
        // Tracked: the first two; the lowest worst score among them is 75.
        assert_eq!(candidates(&order, &bounds, 2), vec![0, 1, 2, 4]);
        assert_eq!(candidates(&order, &bounds, 5), vec![0, 1, 2, 3, 4]);
    }
}

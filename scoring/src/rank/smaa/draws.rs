//! The distribution the robustness draws come from: weights in a box around the household's
//! weights, normalised onto the simplex, and a multiplicative error on each estimated input,
//! drawn per municipality from a counter-based hash so that a municipality's error in a draw
//! does not depend on which other municipalities take part (what keeps the pruning exact).

use crate::criteria::ranges::WEIGHT;
use crate::rng::{SplitMix64, mix64};

/// Levels an estimate's error factor is drawn from: the midpoints of 64 equal slices of the
/// error range. A municipality's utility at every level is computed once per ranking, so a
/// draw reads a table instead of evaluating a curve (and a logarithm); the slices are 0.9 % of
/// the commute's range and 0.5 % of the rent's, far below the errors themselves.
pub(crate) const LEVELS: usize = 64;

/// Bits of a 64-bit hash one level takes.
const LEVEL_BITS: u32 = LEVELS.trailing_zeros();

/// The box each active weight is drawn from: `[max(w − step, w × floor), min(w + step, max)]`,
/// `max` the largest weight a profile may give (5).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct WeightBoxes {
    pub lo: Vec<f64>,
    pub hi: Vec<f64>,
}

impl WeightBoxes {
    pub fn new(weights: &[f64], step: f64, floor: f64) -> Self {
        let (lo, hi) = weights
            .iter()
            .map(|&w| {
                let top = (w + step).min(WEIGHT.max).max(w);
                let bottom = (w - step).max(w * floor).min(w);
                (bottom, top)
            })
            .unzip();
        WeightBoxes { lo, hi }
    }

    /// One weight vector: each weight uniform in its box, then divided by their sum, so the
    /// vector lies on the simplex. Writes into `out` (one per box).
    #[inline]
    pub fn draw(&self, rng: &mut SplitMix64, out: &mut [f64]) {
        let mut sum = 0.0;
        for ((o, &lo), &hi) in out.iter_mut().zip(&self.lo).zip(&self.hi) {
            *o = lo + (hi - lo) * rng.next_f64();
            sum += *o;
        }
        if sum > 0.0 {
            out.iter_mut().for_each(|o| *o /= sum);
        }
    }
}

/// The multiplicative error factor of level `l` for a mean absolute relative error `mae`: the
/// factor is uniform in `1 ± 2 × mae` (a uniform error of that half-width has mean absolute
/// error `mae`), taken at the midpoint of slice `l`.
#[inline]
pub(crate) fn level_factor(mae: f64, l: usize) -> f64 {
    let half = 2.0 * mae;
    1.0 - half + 2.0 * half * (l as f64 + 0.5) / LEVELS as f64
}

/// The start of a municipality's own stream of error levels (from the seed and its row, not
/// from its place among the rows the draws evaluate): never 0, which xorshift cannot leave.
#[inline]
pub(crate) fn row_stream(seed: u64, row: usize) -> u64 {
    mix64(seed ^ (row as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03) | 1
}

/// The next state of a municipality's stream, one per draw: Marsaglia's xorshift64 (13, 7,
/// 17), period 2⁶⁴ − 1. Shifts and exclusive-ors only, so a pass over all evaluated rows runs
/// in vector lanes; the levels are read from its top bits, which are evenly spread (tested).
/// A municipality that is evaluated advances its own stream once per draw (it is evaluated
/// in every draw or in none), so its error in draw d is the same with or without pruning.
#[inline]
pub(crate) fn next_levels(state: u64) -> u64 {
    let mut x = state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

/// Level of estimated input `slot` (up to `64 / LEVEL_BITS` of them) from a state of
/// [`next_levels`].
#[inline]
pub(crate) fn level(hash: u64, slot: u32) -> usize {
    ((hash >> (64 - LEVEL_BITS * (slot + 1))) as usize) & (LEVELS - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_are_one_step_around_each_weight_within_the_scale() {
        let b = WeightBoxes::new(&[1.0, 2.0, 3.0, 5.0, 0.4], 1.0, 0.5);
        assert_eq!(b.lo, vec![0.5, 1.0, 2.0, 4.0, 0.2]);
        assert_eq!(b.hi, vec![2.0, 3.0, 4.0, 5.0, 1.4]);
        // No doubt: the box is the weight.
        let b = WeightBoxes::new(&[1.0, 3.0], 0.0, 0.5);
        assert_eq!(
            (b.lo.clone(), b.hi.clone()),
            (vec![1.0, 3.0], vec![1.0, 3.0])
        );
    }

    #[test]
    fn draws_stay_in_their_boxes_and_sum_to_one() {
        let weights = [1.0, 2.0, 3.0, 5.0, 4.5, 0.01];
        let b = WeightBoxes::new(&weights, 1.0, 0.5);
        let mut rng = SplitMix64::new(3);
        let mut w = vec![0.0; weights.len()];
        let mut raw = vec![0.0; weights.len()];
        let (mut seen_lo, mut seen_hi) = (vec![f64::MAX; 6], vec![f64::MIN; 6]);
        for _ in 0..20_000 {
            // The same generator state drawn twice: once normalised, once as drawn.
            let mut copy = rng.clone();
            b.draw(&mut rng, &mut w);
            for ((r, &lo), &hi) in raw.iter_mut().zip(&b.lo).zip(&b.hi) {
                *r = lo + (hi - lo) * copy.next_f64();
            }
            let sum: f64 = raw.iter().sum();
            assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            for c in 0..weights.len() {
                assert!(raw[c] >= b.lo[c] && raw[c] <= b.hi[c]);
                assert!((w[c] * sum - raw[c]).abs() < 1e-9);
                seen_lo[c] = seen_lo[c].min(raw[c]);
                seen_hi[c] = seen_hi[c].max(raw[c]);
            }
        }
        // The whole box is used.
        for c in 0..weights.len() {
            let width = b.hi[c] - b.lo[c];
            assert!(seen_lo[c] - b.lo[c] < 0.01 * width, "{c}");
            assert!(b.hi[c] - seen_hi[c] < 0.01 * width, "{c}");
        }
    }

    #[test]
    fn error_levels_cover_the_range_evenly() {
        // Mean absolute error 15 %: factors 0.7–1.3, mean absolute deviation 0.15.
        let f: Vec<f64> = (0..LEVELS).map(|l| level_factor(0.15, l)).collect();
        assert!((f[0] - 0.7).abs() < 0.01 && (f[LEVELS - 1] - 1.3).abs() < 0.01);
        let mad = f.iter().map(|x| (x - 1.0).abs()).sum::<f64>() / LEVELS as f64;
        assert!((mad - 0.15).abs() < 1e-3, "{mad}");
        assert!(f.windows(2).all(|w| w[0] < w[1]));
        // A stream spreads levels evenly over draws, for each slot, and two municipalities'
        // streams do not move together.
        let (mut x, mut y) = (row_stream(2001, 17), row_stream(2001, 18));
        let mut counts = [[0u32; LEVELS]; 2];
        let mut same = 0;
        for _ in 0..64_000 {
            x = next_levels(x);
            y = next_levels(y);
            counts[0][level(x, 0)] += 1;
            counts[1][level(x, 1)] += 1;
            same += (level(x, 0) == level(y, 0)) as u32;
        }
        assert!((800..1200).contains(&same), "{same}");
        for c in counts.iter().flatten() {
            assert!((800..1200).contains(c), "{c}");
        }
    }
}

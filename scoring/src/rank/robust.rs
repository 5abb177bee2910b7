//! Robustness of the top k under plausible changes of the weights (in the spirit of SMAA,
//! Lahdelma & Salminen 2001).
//!
//! Weights of 0–5 are rough answers. Each draw multiplies every active weight by an independent
//! uniform factor in 1 ± spread, re-scores every ranked municipality (the set of ranked
//! municipalities and their missing criteria stay as they are) and notes who is in the top k.
//! A top-k municipality's share is the fraction of draws in which it stays there: "top 10 in
//! 92 % of plausible weightings". The draws come from a fixed seed, so the shares are
//! reproducible.

use super::dynamic::{Dynamic, utilities};
use super::output::{Ranked, Robustness};
use super::plan::Planned;
use super::precompute::Prepared;
use super::score::{Key, ranks_before, score};
use crate::rng::SplitMix64;
use std::cmp::Ordering;

thread_local! {
    /// Whether the draws skip rows that cannot reach the top k ([`candidates`]). Always on,
    /// but for the test that checks the shares are the same without it.
    static PRUNE: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// Runs `f` with the candidate pruning switched off on this thread (for tests).
#[doc(hidden)]
pub fn without_pruning<T>(f: impl FnOnce() -> T) -> T {
    PRUNE.with(|p| p.set(false));
    let out = f();
    PRUNE.with(|p| p.set(true));
    out
}

/// Sets `top_k_share` of the first k rows of `ranked` (in the order `order`).
pub(crate) fn top_k_shares(
    r: &Prepared<'_>,
    active: &[&Planned],
    d: &Dynamic,
    order: &[Key],
    rb: &Robustness,
    geo: bool,
    ranked: &mut [Ranked<'_>],
) {
    let k = rb.k.min(order.len());
    if k == 0 || rb.draws == 0 {
        return;
    }
    let utils: Vec<&[f64]> = active.iter().map(|p| utilities(r, d, p, geo)).collect();
    let weights: Vec<f64> = active.iter().map(|p| p.weight).collect();
    // Only rows that can reach the top k under some weighting in the box take part in the
    // draws; the first k of `order` always do, and they come first.
    let rows = if PRUNE.with(|p| p.get()) {
        candidates(&utils, &weights, order, k, rb.spread)
    } else {
        order.iter().map(|o| o.1 as usize).collect()
    };
    let m = rows.len();
    // Utilities of the candidate rows, criterion-major, gathered once, as (utility or 0, 1 if
    // present else 0): the inner loop below is then branch-free and vectorises, and adding
    // w × 0 leaves a sum exactly as skipping would.
    let (cols, present): (Vec<Vec<f64>>, Vec<Vec<f64>>) = utils
        .iter()
        .map(|u| {
            let vals = rows
                .iter()
                .map(|&i| if u[i].is_nan() { 0.0 } else { u[i] })
                .collect();
            let mask = rows
                .iter()
                .map(|&i| if u[i].is_nan() { 0.0 } else { 1.0 })
                .collect();
            (vals, mask)
        })
        .unzip();
    let mut rng = SplitMix64::new(rb.seed);
    let mut hits = vec![0u32; k];
    let mut sw = vec![0.0; m];
    let mut su = vec![0.0; m];
    let mut keys: Vec<Key> = Vec::with_capacity(m);
    let mut scores = vec![0.0; m];
    let mut w = vec![0.0; active.len()];
    for _ in 0..rb.draws {
        for (wi, &base) in w.iter_mut().zip(&weights) {
            *wi = base * (1.0 + rb.spread * (2.0 * rng.next_f64() - 1.0));
        }
        sw.iter_mut().for_each(|x| *x = 0.0);
        su.iter_mut().for_each(|x| *x = 0.0);
        for ((c, a), &wc) in cols.iter().zip(&present).zip(&w) {
            for ((swj, suj), (&x, &aj)) in sw.iter_mut().zip(su.iter_mut()).zip(c.iter().zip(a)) {
                *swj += wc * aj;
                *suj += wc * x;
            }
        }
        // The ranking's own score function (a candidate row has data on some criterion).
        if geo {
            for j in 0..m {
                scores[j] = score(sw[j], su[j], true);
            }
        } else {
            for j in 0..m {
                scores[j] = score(sw[j], su[j], false);
            }
        }
        keys.clear();
        // Ties by AGS: internal rows are in AGS order.
        keys.extend((0..m).map(|j| (scores[j], rows[j] as u32)));
        if k < m {
            keys.select_nth_unstable_by(k - 1, ranks_before);
        }
        let cutoff = if k < m {
            keys[k - 1]
        } else {
            // Everyone is in the top k.
            (f64::NEG_INFINITY, u32::MAX)
        };
        for (j, h) in hits.iter_mut().enumerate() {
            let mine = (scores[j], rows[j] as u32);
            if ranks_before(&mine, &cutoff) != Ordering::Greater {
                *h += 1;
            }
        }
    }
    for (j, h) in hits.iter().enumerate() {
        ranked[j].top_k_share = Some(*h as f64 / rb.draws as f64);
    }
}

/// The rows (internal indices) that can be in the top k in some draw: the first k of `order`,
/// then every other ranked row whose best possible score reaches the k-th best worst possible
/// score.
///
/// Why this loses nothing: with every weight anywhere in `[w(1 − spread), w(1 + spread)]`, a
/// row's score (a weighted mean of its utilities, or of their logs for the geometric mean) lies
/// between the bounds [`mean_bounds`] computes. If k rows have a lower bound of at least `L`,
/// every draw has k rows scoring at least `L`, so a row whose upper bound is below `L` is never
/// in a draw's top k, and leaving it out changes neither the draw's cut-off nor any share. On
/// the real atlas this keeps a few dozen of the ranked rows.
fn candidates(
    utils: &[&[f64]],
    weights: &[f64],
    order: &[Key],
    k: usize,
    spread: f64,
) -> Vec<usize> {
    let all = || order.iter().map(|o| o.1 as usize).collect();
    // The bounds assume positive weights in the box.
    if !(0.0..1.0).contains(&spread)
        || weights.iter().any(|&w| w.is_nan() || w <= 0.0)
        || k >= order.len()
    {
        return all();
    }
    let mut scratch = Vec::with_capacity(weights.len());
    let bounds: Vec<(f64, f64)> = order
        .iter()
        .map(|o| mean_bounds(utils, weights, o.1 as usize, spread, &mut scratch))
        .collect();
    let mut lows: Vec<f64> = bounds.iter().map(|b| b.0).collect();
    lows.select_nth_unstable_by(k - 1, |a, b| b.total_cmp(a));
    let kth_low = lows[k - 1];
    // A margin far above rounding error: a row is dropped only when clearly out of reach.
    let margin = 1e-9 * (1.0 + kth_low.abs());
    let mut rows: Vec<usize> = order[..k].iter().map(|o| o.1 as usize).collect();
    rows.extend(
        order[k..]
            .iter()
            .zip(&bounds[k..])
            .filter(|(_, b)| b.1 >= kth_low - margin)
            .map(|(o, _)| o.1 as usize),
    );
    rows
}

/// Lowest and highest weighted mean of row `i`'s present values when weight `c` may be
/// anything in `[w_c(1 − spread), w_c(1 + spread)]`.
///
/// The highest mean gives the top weight to the best values and the bottom weight to the rest,
/// for some split of the values sorted from best to worst (and the lowest mean the reverse):
/// moving weight towards values above the mean raises it. All splits are tried.
fn mean_bounds(
    utils: &[&[f64]],
    weights: &[f64],
    i: usize,
    spread: f64,
    scratch: &mut Vec<(f64, f64)>,
) -> (f64, f64) {
    scratch.clear();
    scratch.extend(
        utils
            .iter()
            .zip(weights)
            .filter(|(u, _)| !u[i].is_nan())
            .map(|(u, &w)| (u[i], w)),
    );
    scratch.sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
    let (lo, hi) = (1.0 - spread, 1.0 + spread);
    // Split t: the first t values (the best) get factor `a`, the rest factor `b`.
    let best_split = |a: f64, b: f64| {
        let (mut num, mut den) = (0.0, 0.0);
        for &(v, w) in scratch.iter() {
            num += b * w * v;
            den += b * w;
        }
        let mut best = num / den;
        let mut worst = best;
        for &(v, w) in scratch.iter() {
            num += (a - b) * w * v;
            den += (a - b) * w;
            let mean = num / den;
            best = best.max(mean);
            worst = worst.min(mean);
        }
        (worst, best)
    };
    // Best values up-weighted: the maximum; best values down-weighted: the minimum.
    let (_, upper) = best_split(hi, lo);
    let (lower, _) = best_split(lo, hi);
    (lower, upper)
}

//! Robustness of the ranking as SMAA, stochastic multicriteria acceptability analysis
//! (Lahdelma & Salminen 2001; Tervonen's `smaa` package).
//!
//! A household's weights of 0–5 are rough answers, and two inputs are estimates: the commute
//! minutes and the rent of a new lease. Each draw takes every active weight from a box one step
//! of the 0–5 scale around the household's (never below half of it, never above 5) and puts
//! the vector on the simplex, multiplies each municipality's estimated commute minutes and rent
//! by an independent error factor within the documented error of the estimate, reads the
//! utility curves again, and ranks. The set of ranked municipalities and their missing
//! criteria stay as they are (limits are decided on the estimates). Over the draws, each
//! tracked row (the explained rows and at least the top k) gets its share of draws in the top k
//! ("top 10 in 62 % of plausible weightings"), the 5th–95th percentile of its rank, and a group
//! with the rows whose intervals overlap theirs: a group's order is not settled. The
//! distribution's parameters are `Param`s of the criteria table; the draws come from a fixed
//! seed, so every figure is reproducible.
//!
//! Speed: before the draws, each pair of a tracked row and another ranked row is settled where
//! it can be ([`bounds`], exact): a row that is before (or after) the tracked one in every
//! possible draw is counted once, not drawn; only the open pairs are compared in each draw, and
//! only rows in some open pair are evaluated. A draw is a few passes over dense columns of
//! those rows, in single precision (four lanes of a vector register; the pruning's margin is
//! far above its rounding); an estimated input is read from a table of its utility at
//! [`draws::LEVELS`] error levels. No allocation per draw.
//!
//! - [`draws`]: the weight boxes and the error levels (the distribution);
//! - [`bounds`]: score ranges over the draws, and which pairs the draws must decide;
//! - [`stats`]: percentiles and groups.

mod bounds;
mod draws;
mod stats;

use super::dynamic::{Dynamic, affordability, commute, utilities};
use super::output::{Ranked, Robustness};
use super::plan::{Plan, Planned, Source};
use super::precompute::Prepared;
use super::score::{Key, ln_floor};
use crate::rng::SplitMix64;
use bounds::Rivals;
use draws::{LEVELS, WeightBoxes, level, level_factor, next_levels, row_stream};
use stats::{INTERVAL, groups, percentile};

thread_local! {
    /// Whether the draws skip rows that cannot rank before a tracked row ([`Rivals`]).
    /// Always on, but for the test that checks the results are the same without it.
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

/// An estimated input whose error the draws model.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Estimate {
    Commute,
    Rent,
}

/// Where a criterion's value comes from in the draws.
enum Kind<'s> {
    /// The ranking's own utilities (or logs).
    Fixed(&'s [f64]),
    /// Re-read through its curve at each error level.
    Estimated(Estimate),
}

/// The value (utility, or its floored log for the geometric mean) of an estimated input for
/// row `i` at error level `l`.
fn estimated(
    e: Estimate,
    plan: &Plan,
    d: &Dynamic<'_>,
    rb: &Robustness,
    i: usize,
    l: usize,
    geo: bool,
) -> f64 {
    let u = match e {
        Estimate::Commute => {
            let w = plan.workplaces.len();
            commute(
                &d.minutes[i * w..(i + 1) * w],
                level_factor(rb.commute_error, l),
            )
        }
        Estimate::Rent => affordability(plan, d.cost[i] * level_factor(rb.rent_error, l)),
    };
    if geo { ln_floor(u) } else { u }
}

/// Sets `top_k_share`, `rank_interval` and `group` of the first `max(k, tracked)` rows of
/// `ranked` (in the order `order`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn robustness(
    r: &Prepared<'_>,
    plan: &Plan,
    active: &[&Planned],
    d: &Dynamic<'_>,
    order: &[Key],
    rb: &Robustness,
    tracked: usize,
    geo: bool,
    ranked: &mut [Ranked<'_>],
) {
    let k = rb.k.min(order.len());
    let t = tracked.max(rb.k).min(order.len());
    if t == 0 || rb.draws == 0 || active.is_empty() {
        return;
    }
    let kinds: Vec<Kind<'_>> = active
        .iter()
        .map(|p| match p.source {
            Source::Commute if rb.commute_error > 0.0 && !plan.workplaces.is_empty() => {
                Kind::Estimated(Estimate::Commute)
            }
            Source::Affordability if rb.rent_error > 0.0 => Kind::Estimated(Estimate::Rent),
            _ => Kind::Fixed(utilities(r, d, p, geo)),
        })
        .collect();
    let weights: Vec<f64> = active.iter().map(|p| p.weight).collect();
    let boxes = WeightBoxes::new(&weights, rb.weight_step, rb.weight_floor);
    let nc = kinds.len();

    // Each ranked row's value range per criterion over the draws (NaN where it has no data),
    // in the order `order`.
    let mut ranges = vec![(f64::NAN, f64::NAN); order.len() * nc];
    for (o, slot) in order.iter().zip(ranges.chunks_exact_mut(nc)) {
        let i = o.1 as usize;
        for (kind, v) in kinds.iter().zip(slot.iter_mut()) {
            *v = match kind {
                Kind::Fixed(u) => (u[i], u[i]),
                // Curves are monotone: the extremes are at the extreme levels.
                Kind::Estimated(e) => {
                    let a = estimated(*e, plan, d, rb, i, 0, geo);
                    let b = estimated(*e, plan, d, rb, i, LEVELS - 1, geo);
                    (a.min(b), a.max(b))
                }
            };
        }
    }
    let rivals = Rivals::of(&ranges, &boxes, t, PRUNE.with(|p| p.get()));
    let rows: Vec<usize> = rivals
        .rows
        .iter()
        .map(|&p| order[p as usize].1 as usize)
        .collect();
    let m = rows.len();

    // Dense columns of the rows that take part, criterion-major: a value (0 where missing)
    // and, for a criterion with gaps among them, a mask (1 present, 0 missing). Adding
    // w × 0 leaves a sum exactly as skipping would.
    let mut fixed: Vec<(usize, Vec<f32>)> = Vec::new();
    let mut tables: Vec<(usize, Vec<f32>)> = Vec::new();
    let mut masks: Vec<(usize, Vec<f32>)> = Vec::new();
    for (c, kind) in kinds.iter().enumerate() {
        let present: Vec<f32> = match kind {
            Kind::Fixed(u) => {
                let vals = rows
                    .iter()
                    .map(|&i| if u[i].is_nan() { 0.0 } else { u[i] as f32 });
                fixed.push((c, vals.collect()));
                rows.iter()
                    .map(|&i| if u[i].is_nan() { 0.0 } else { 1.0 })
                    .collect()
            }
            Kind::Estimated(e) => {
                let mut table = vec![0.0; m * LEVELS];
                let mut present = vec![1.0; m];
                for (j, &i) in rows.iter().enumerate() {
                    for l in 0..LEVELS {
                        let v = estimated(*e, plan, d, rb, i, l, geo);
                        if v.is_nan() {
                            present[j] = 0.0;
                        } else {
                            table[j * LEVELS + l] = v as f32;
                        }
                    }
                }
                tables.push((c, table));
                present
            }
        };
        if present.contains(&0.0) {
            masks.push((c, present));
        }
    }
    // Criteria with a value in every row that takes part: their weights add to every row.
    let complete: Vec<usize> = (0..nc)
        .filter(|c| !masks.iter().any(|(mc, _)| mc == c))
        .collect();
    let mut streams: Vec<u64> = rows.iter().map(|&i| row_stream(rb.seed, i)).collect();
    // Rows as floats, so that the comparisons below run in lanes of one width.
    let rowf: Vec<f32> = rows.iter().map(|&i| i as f32).collect();

    let mut rng = SplitMix64::new(rb.seed);
    let mut w64 = vec![0.0; nc];
    let mut w = vec![0.0f32; nc];
    let mut su = vec![0.0f32; m];
    let mut sw = vec![0.0f32; m];
    // Ranks 1..=order.len() per tracked row.
    let stride = order.len() + 1;
    let mut hist = vec![0u32; t * stride];
    for _ in 0..rb.draws {
        boxes.draw(&mut rng, &mut w64);
        for (a, &b) in w.iter_mut().zip(&w64) {
            *a = b as f32;
        }
        su.iter_mut().for_each(|x| *x = 0.0);
        for (c, col) in &fixed {
            let wc = w[*c];
            for (s, &x) in su.iter_mut().zip(col) {
                *s += wc * x;
            }
        }
        if !tables.is_empty() {
            streams.iter_mut().for_each(|x| *x = next_levels(*x));
            for (slot, (c, table)) in tables.iter().enumerate() {
                let wc = w[*c];
                for ((s, &h), vals) in su.iter_mut().zip(&streams).zip(table.chunks_exact(LEVELS)) {
                    *s += wc * vals[level(h, slot as u32)];
                }
            }
        }
        // The mean: divided by the weights with data (the same for every row without gaps,
        // which changes no order).
        if !masks.is_empty() {
            let base: f32 = complete.iter().map(|&c| w[c]).sum();
            sw.iter_mut().for_each(|x| *x = base);
            for (c, mask) in &masks {
                let wc = w[*c];
                for (s, &p) in sw.iter_mut().zip(mask) {
                    *s += wc * p;
                }
            }
            for (s, &x) in su.iter_mut().zip(&sw) {
                *s /= x;
            }
        }
        // A tracked row's rank: 1, the rows outside its window that are always before it, and
        // the rows of its window before it in this draw (a higher mean, or the same and a
        // lower AGS), counted branch-free over dense slices.
        for e in 0..t {
            let (me, re) = (su[e], rowf[e]);
            let (a, b) = rivals.window[e];
            let (a, b) = (a as usize, b as usize);
            let before: u32 = su[a..b]
                .iter()
                .zip(&rowf[a..b])
                .map(|(&mj, &rj)| ((mj > me) | ((mj == me) & (rj < re))) as u32)
                .sum();
            let rank = 1 + rivals.before_outside[e] as usize + before as usize;
            hist[e * stride + rank] += 1;
        }
    }

    let draws = rb.draws as f64;
    let intervals: Vec<[u32; 2]> = (0..t)
        .map(|e| {
            let h = &hist[e * stride..(e + 1) * stride];
            [percentile(h, INTERVAL.0), percentile(h, INTERVAL.1)]
        })
        .collect();
    let group = groups(&intervals);
    for e in 0..t {
        let h = &hist[e * stride..(e + 1) * stride];
        let in_top: u32 = h[..=k].iter().sum();
        let row = &mut ranked[e];
        row.top_k_share = Some(in_top as f64 / draws);
        row.rank_interval = Some(intervals[e]);
        row.group = Some(group[e]);
    }
}

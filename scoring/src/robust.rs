//! Robustness of the top k under plausible changes of the weights (in the spirit of SMAA,
//! Lahdelma & Salminen 2001).
//!
//! Weights of 0–5 are rough answers. Each draw multiplies every active weight by an independent
//! uniform factor in 1 ± spread, re-scores every ranked municipality (the set of ranked
//! municipalities and their missing criteria stay as they are) and notes who is in the top k.
//! A top-k municipality's share is the fraction of draws in which it stays there: "top 10 in
//! 92 % of plausible weightings". The draws come from a fixed seed, so the shares are
//! reproducible.

use crate::rank::{Dynamic, Planned, Ranked, Ranker, Robustness};
use crate::rng::SplitMix64;
use std::cmp::Ordering;

pub(crate) fn top_k_shares(
    r: &Ranker<'_>,
    active: &[&Planned],
    d: &Dynamic,
    order: &[(f64, u32)],
    rb: &Robustness,
    geo: bool,
    ranked: &mut [Ranked<'_>],
) {
    let k = rb.k.min(order.len());
    if k == 0 || rb.draws == 0 {
        return;
    }
    let m = order.len();
    let rows: Vec<usize> = order.iter().map(|o| o.1 as usize).collect();
    // Utilities of the ranked rows, criterion-major, gathered once, as (utility or 0, 1 if
    // present else 0): the inner loop below is then branch-free and vectorises, and adding
    // w × 0 leaves a sum exactly as skipping would.
    let (cols, present): (Vec<Vec<f64>>, Vec<Vec<f64>>) = active
        .iter()
        .map(|p| {
            let u = r.utilities(d, p, geo);
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
    let mut keys: Vec<(f64, u32)> = Vec::with_capacity(m);
    let mut scores = vec![0.0; m];
    let mut w = vec![0.0; active.len()];
    for _ in 0..rb.draws {
        for (wi, p) in w.iter_mut().zip(active) {
            *wi = p.weight * (1.0 + rb.spread * (2.0 * rng.next_f64() - 1.0));
        }
        sw.iter_mut().for_each(|x| *x = 0.0);
        su.iter_mut().for_each(|x| *x = 0.0);
        for ((c, a), &wc) in cols.iter().zip(&present).zip(&w) {
            for ((swj, suj), (&x, &aj)) in sw.iter_mut().zip(su.iter_mut()).zip(c.iter().zip(a)) {
                *swj += wc * aj;
                *suj += wc * x;
            }
        }
        if geo {
            for j in 0..m {
                scores[j] = (su[j] / sw[j]).exp();
            }
        } else {
            for j in 0..m {
                scores[j] = su[j] / sw[j];
            }
        }
        keys.clear();
        // Ties by AGS: internal rows are in AGS order.
        keys.extend((0..m).map(|j| (scores[j], rows[j] as u32)));
        if k < m {
            keys.select_nth_unstable_by(k - 1, cmp);
        }
        let cutoff = if k < m {
            keys[k - 1]
        } else {
            // Everyone is in the top k.
            (f64::NEG_INFINITY, u32::MAX)
        };
        for (j, h) in hits.iter_mut().enumerate() {
            let mine = (scores[j], rows[j] as u32);
            if cmp(&mine, &cutoff) != Ordering::Greater {
                *h += 1;
            }
        }
    }
    for (j, h) in hits.iter().enumerate() {
        ranked[j].top_k_share = Some(*h as f64 / rb.draws as f64);
    }
}

/// Higher score first, then lower AGS.
fn cmp(a: &(f64, u32), b: &(f64, u32)) -> Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
}

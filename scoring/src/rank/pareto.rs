//! The Pareto check of the explained rows: is there a ranked municipality at least as good on
//! every active criterion where the row has data (and with data there itself), and better on
//! one? The best-ranked such municipality is named.

use super::dynamic::{Dynamic, utilities};
use super::output::{Dominator, Ranked};
use super::plan::Planned;
use super::precompute::Prepared;
use super::score::Key;

/// Marks the first `top` rows of `ranked` (in the order `order`) as Pareto-optimal or names
/// their best-ranked dominator.
#[allow(clippy::too_many_arguments)]
pub(crate) fn pareto<'r>(
    r: &'r Prepared<'_>,
    active: &[&Planned],
    d: &Dynamic,
    order: &[Key],
    top: usize,
    ranked: &mut [Ranked<'r>],
    geo: bool,
) {
    let cols: Vec<&[f64]> = active.iter().map(|p| utilities(r, d, p, false)).collect();
    // Dropped sets of the ranked rows, in rank order.
    let dropped: Vec<u16> = ranked.iter().map(|row| row.dropped.0).collect();
    for k in 0..top {
        let (si, i) = (order[k].0, order[k].1 as usize);
        let di = dropped[k];
        let mut found = None;
        for (kj, &(sj, j)) in order.iter().enumerate() {
            let j = j as usize;
            if kj == k {
                continue;
            }
            let dj = dropped[kj];
            // j must have data wherever i has.
            if dj & !di != 0 {
                continue;
            }
            if kj > k && dj == di {
                // Same data, ranked below: a dominator scores strictly higher in the
                // arithmetic mean, so none can be here; in the geometric mean the floor can
                // make scores equal, so only an equal score needs a look.
                if !geo || sj < si {
                    if di == 0 {
                        // Everyone below has the same (full) data or less: done.
                        break;
                    }
                    continue;
                }
            }
            let mut better = false;
            let mut worse = false;
            for c in &cols {
                let (ui, uj) = (c[i], c[j]);
                if ui.is_nan() {
                    continue;
                }
                if uj < ui {
                    worse = true;
                    break;
                }
                if uj > ui {
                    better = true;
                }
            }
            if !worse && better {
                found = Some(kj);
                break;
            }
        }
        let row = &mut ranked[k];
        row.pareto_optimal = Some(found.is_none());
        row.dominated_by = found.map(|kj| {
            let j = order[kj].1 as usize;
            Dominator {
                ags: r.ags[j],
                name: r.names[j],
                rank: kj as u32 + 1,
            }
        });
    }
}

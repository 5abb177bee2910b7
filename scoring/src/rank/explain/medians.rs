//! Medians of the profile-dependent figures (rent of the needed flat, road distance to each
//! workplace), quoted in the sentences: the median resident's, as every median lotse quotes.

use super::super::dynamic::Dynamic;
use super::super::plan::Plan;
use super::super::precompute::Prepared;
use crate::criteria::DETOUR_FACTOR;

/// Profile-dependent medians, computed once per ranking that explains rows.
pub(crate) struct DynamicMedians {
    pub(super) cost: f64,
    pub(super) road: Vec<f64>,
}

impl DynamicMedians {
    pub(crate) fn new(r: &Prepared<'_>, plan: &Plan, d: &Dynamic) -> Self {
        let cost = if d.cost.is_empty() {
            f64::NAN
        } else {
            r.known
                .rent_new
                .map_or(f64::NAN, |k| r.medians[k] * plan.space_m2)
        };
        let w = plan.workplaces.len();
        let mut road = Vec::with_capacity(w);
        if w > 0 {
            let mut scratch = Vec::new();
            for (k, wp) in plan.workplaces.iter().enumerate() {
                if let Some(row) = wp.row {
                    road.push(r.crow_median_km[row] * DETOUR_FACTOR.value);
                    continue;
                }
                scratch.clear();
                scratch.extend((0..r.n).map(|i| d.road[i * w + k]));
                road.push(r.median_resident(&scratch));
            }
        }
        DynamicMedians { cost, road }
    }
}

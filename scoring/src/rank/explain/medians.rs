//! Medians of the profile-dependent figures (rent of the needed flat, road distance to each
//! workplace), quoted beside the sentences: the median resident's, as every median lotse
//! quotes.

use super::super::dynamic::Dynamic;
use super::super::plan::Plan;
use super::super::precompute::Prepared;
use super::phrase::median_text;
use crate::criteria::DETOUR_FACTOR;
use crate::text::push_value;
use crate::vocab::pick;

/// Profile-dependent medians, computed once per ranking that explains rows.
pub(crate) struct DynamicMedians {
    pub(super) cost: f64,
    pub(super) road: Vec<f64>,
    /// "median resident in Saxony: 582 € cold", in the plan's language; empty without one.
    pub(super) cost_text: String,
    /// "median resident in Saxony: 104.2 km by road to Leipzig" (each workplace).
    pub(super) road_text: String,
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
        let lang = plan.lang;
        let mut m = String::new();
        if !cost.is_nan() {
            push_value(&mut m, cost, "EUR", lang);
            m.push_str(pick(lang, " kalt", " cold"));
        }
        let cost_text = median_text(r, lang, &m, "");
        m.clear();
        for (k, wp) in plan.workplaces.iter().enumerate() {
            let Some(&km) = road.get(k).filter(|x| !x.is_nan()) else {
                continue;
            };
            if !m.is_empty() {
                m.push_str("; ");
            }
            push_value(&mut m, km, "km", lang);
            m.push_str(pick(lang, " Straße bis ", " by road to "));
            m.push_str(&wp.out.label);
        }
        let road_text = median_text(r, lang, &m, "");
        DynamicMedians {
            cost,
            road,
            cost_text,
            road_text,
        }
    }
}

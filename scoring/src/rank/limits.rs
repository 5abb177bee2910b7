//! The hard limits of a profile: which municipalities they exclude, by how much each misses,
//! and which limits cannot be checked for lack of data (those exclude nothing and are flagged).

use super::dynamic::Dynamic;
use super::output::{Exclusion, Limit};
use super::plan::Plan;
use super::precompute::Prepared;

/// Marks every row that misses a limit in `excluded_rows` and describes each miss in `out`
/// (grouped by row in AGS order); a limit without a figure for a row goes to `unchecked`.
pub(crate) fn apply_limits<'a>(
    r: &Prepared<'a>,
    plan: &Plan,
    d: &Dynamic,
    excluded_rows: &mut [bool],
    out: &mut Vec<Exclusion<'a>>,
    unchecked: &mut Vec<(usize, Limit)>,
) {
    let w = plan.workplaces.len();
    let pop = r.known.population.map(|k| &r.raw[k]);
    let has_limits = plan.max_commute_km.is_some()
        || plan.rent_within_budget
        || plan.max_rent_share.is_some()
        || !plan.within.is_empty()
        || plan.min_population.is_some()
        || plan.max_population.is_some();
    if !has_limits {
        return;
    }
    for i in 0..r.n {
        let mut miss = |limit: Limit, value: f64, threshold: f64, unit: &'static str| {
            excluded_rows[i] = true;
            out.push(Exclusion {
                ags: r.ags[i],
                name: r.names[i],
                limit,
                value,
                threshold,
                unit,
                by: (value - threshold).abs(),
            });
        };
        if let Some(max) = plan.max_commute_km {
            for k in 0..w {
                let road = d.road[i * w + k];
                if road > max {
                    miss(Limit::MaxCommuteKm { workplace: k }, road, max, "km");
                }
            }
        }
        let cost = d.cost.get(i).copied().unwrap_or(f64::NAN);
        if plan.rent_within_budget
            && let Some(b) = plan.budget
        {
            if cost.is_nan() {
                unchecked.push((i, Limit::RentWithinBudget));
            } else if cost + plan.budget_extra > b {
                // A warm budget against the warm rent.
                miss(Limit::RentWithinBudget, cost + plan.budget_extra, b, "EUR");
            }
        }
        if let (Some(max), Some(inc)) = (plan.max_rent_share, plan.income) {
            if cost.is_nan() {
                unchecked.push((i, Limit::MaxRentSharePct));
            } else {
                let share = cost / inc * 100.0;
                if share > max {
                    miss(Limit::MaxRentSharePct, share, max, "%");
                }
            }
        }
        for &(facility, k, km) in &plan.within {
            let v = k.map_or(f64::NAN, |k| r.raw[k][i]);
            if v.is_nan() {
                unchecked.push((i, Limit::WithinKm { facility }));
            } else if v > km {
                miss(Limit::WithinKm { facility }, v, km, "km");
            }
        }
        let p = pop.map_or(f64::NAN, |p| p[i]);
        for (limit, bound, low) in [
            (Limit::MinPopulation, plan.min_population, true),
            (Limit::MaxPopulation, plan.max_population, false),
        ] {
            if let Some(b) = bound {
                if p.is_nan() {
                    unchecked.push((i, limit));
                } else if (low && p < b) || (!low && p > b) {
                    miss(limit, p, b, "residents");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{Profile, Workplace};
    use crate::rank::dynamic::geometry;
    use crate::rank::plan::plan;
    use crate::synthetic;

    /// Runs the limits of `profile` over a synthetic atlas with municipality 5's population
    /// removed: (excluded rows, exclusions, unchecked).
    /// An exclusion as the tests compare it: AGS, limit, value, threshold, by.
    type Miss = (String, Limit, f64, f64, f64);

    fn limits_of(profile: &Profile) -> (Vec<bool>, Vec<Miss>, Vec<(usize, Limit)>) {
        let mut atlas = synthetic::atlas(60, 11);
        let pop = atlas
            .indicators
            .iter_mut()
            .find(|i| i.meta.id == "population")
            .unwrap();
        pop.values[5] = None;
        let ags5 = atlas.municipalities[5].ags.clone();
        pop.missing.insert(ags5, "test gap".into());
        let r = Prepared::new(&atlas).unwrap();
        let plan = plan(&r, profile).unwrap();
        let d = geometry(&r, &plan);
        let mut rows = vec![false; r.n];
        let (mut out, mut unchecked) = (Vec::new(), Vec::new());
        apply_limits(&r, &plan, &d, &mut rows, &mut out, &mut unchecked);
        let out = out
            .into_iter()
            .map(|e| (e.ags.to_string(), e.limit, e.value, e.threshold, e.by))
            .collect();
        (rows, out, unchecked)
    }

    #[test]
    fn no_limit_excludes_nothing() {
        let (rows, out, unchecked) = limits_of(&Profile::new(2));
        assert!(rows.iter().all(|&x| !x));
        assert!(out.is_empty() && unchecked.is_empty());
    }

    #[test]
    fn population_limits_exclude_exactly_the_rows_outside_and_say_by_how_much() {
        let atlas = synthetic::atlas(60, 11);
        let mut pops: Vec<f64> = atlas
            .indicators
            .iter()
            .find(|i| i.meta.id == "population")
            .unwrap()
            .values
            .iter()
            .flatten()
            .copied()
            .collect();
        pops.sort_by(f64::total_cmp);
        let (lo, hi) = (pops[10], pops[50]);
        let mut p = Profile::new(2);
        p.must.min_population = Some(lo);
        p.must.max_population = Some(hi);
        let (rows, out, unchecked) = limits_of(&p);
        // The municipality without a population cannot be checked: flagged, not excluded.
        assert_eq!(unchecked.len(), 2, "{unchecked:?}");
        assert!(
            unchecked
                .iter()
                .all(|&(_, l)| matches!(l, Limit::MinPopulation | Limit::MaxPopulation))
        );
        let row_of_gap = unchecked[0].0;
        assert!(!rows[row_of_gap]);
        assert!(!out.is_empty());
        for (_, limit, value, threshold, by) in &out {
            match limit {
                Limit::MinPopulation => assert!(value < threshold && *threshold == lo),
                Limit::MaxPopulation => assert!(value > threshold && *threshold == hi),
                other => panic!("unexpected {other:?}"),
            }
            assert_eq!(*by, (value - threshold).abs());
        }
        assert_eq!(rows.iter().filter(|&&x| x).count(), out.len());
    }

    #[test]
    fn commute_limit_reads_the_road_distance_of_each_workplace() {
        let atlas = synthetic::atlas(60, 11);
        let mut p = Profile::new(1);
        p.workplace = vec![
            Workplace::Place(atlas.municipalities[0].ags.clone()),
            Workplace::Place(atlas.municipalities[30].ags.clone()),
        ];
        p.max_commute_km = Some(150.0);
        let (rows, out, unchecked) = limits_of(&p);
        assert!(unchecked.is_empty());
        assert!(
            out.iter()
                .any(|e| e.1 == Limit::MaxCommuteKm { workplace: 1 })
        );
        for (_, limit, value, threshold, _) in &out {
            assert!(matches!(limit, Limit::MaxCommuteKm { .. }));
            assert!(value > threshold && *threshold == 150.0);
        }
        // A workplace lies in its own municipality: never beyond the limit for it.
        let own = atlas.municipalities[0].ags.as_str();
        assert!(
            !out.iter()
                .any(|e| e.0 == own && e.1 == Limit::MaxCommuteKm { workplace: 0 })
        );
        assert!(rows.iter().any(|&x| x) && !rows.iter().all(|&x| x));
    }
}

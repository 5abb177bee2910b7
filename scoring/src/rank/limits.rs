//! The hard limits of a profile and its vetoes: which municipalities they exclude, by how much
//! each misses, and which cannot be checked for lack of data (those exclude nothing and are
//! flagged).
//!
//! Two kinds, in two steps: the hard limits ([`apply_limits`]: the household's `must` limits,
//! `max_commute_km`, and the commute limit in force on the estimated minutes) read only costs,
//! distances and minutes, before any utility is computed; the essential vetoes
//! ([`apply_essential`]: a criterion the household set to 5 itself, below
//! [`ESSENTIAL_FLOOR`]) read utilities, for the rows the hard limits left. Both are vetoes in
//! the ELECTRE sense: no strength elsewhere makes up for them, in either aggregation.

use super::dynamic::{Dynamic, utilities};
use super::output::{Exclusion, Limit};
use super::plan::Plan;
use super::precompute::Prepared;
use crate::criteria::ESSENTIAL_FLOOR;

/// What the limits and vetoes of one plan find, filled by [`apply_limits`] and then
/// [`apply_essential`].
pub(crate) struct Misses<'a> {
    /// Whether each miss is described in `out` (a top-k selection needs only the rows).
    pub record: bool,
    /// Per row: excluded by a limit or a veto.
    pub rows: Vec<bool>,
    /// One entry per miss, grouped by row in AGS order (only when `record`).
    pub out: Vec<Exclusion<'a>>,
    /// Limits that could not be checked for a row, for lack of data.
    pub unchecked: Vec<(usize, Limit)>,
}

impl<'a> Misses<'a> {
    /// Nothing excluded yet among `n` rows; room for `capacity` described misses.
    pub(crate) fn new(n: usize, record: bool, capacity: usize) -> Self {
        Misses {
            record,
            rows: vec![false; n],
            out: Vec::with_capacity(if record { capacity } else { 0 }),
            unchecked: Vec::new(),
        }
    }
}

/// Marks every row that misses a limit in `m.rows` and, when `m.record`, describes each miss
/// in `m.out` (grouped by row in AGS order); a limit without a figure for a row goes to
/// `m.unchecked`.
pub(crate) fn apply_limits<'a>(r: &Prepared<'a>, plan: &Plan, d: &Dynamic, m: &mut Misses<'a>) {
    let w = plan.workplaces.len();
    let pop = r.known.population.map(|k| &r.raw[k]);
    let has_limits = plan.max_commute_km.is_some()
        || plan.commute_limit.is_some()
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
            m.rows[i] = true;
            if !m.record {
                return;
            }
            m.out.push(Exclusion {
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
        if let Some(limit) = plan.commute_limit {
            for k in 0..w {
                let minutes = d.minutes[i * w + k];
                if minutes > limit.minutes {
                    miss(
                        Limit::MaxCommuteMin { workplace: k },
                        minutes,
                        limit.minutes,
                        "min",
                    );
                }
            }
        }
        let cost = d.cost.get(i).copied().unwrap_or(f64::NAN);
        if plan.rent_within_budget
            && let Some(b) = plan.budget
        {
            if cost.is_nan() {
                m.unchecked.push((i, Limit::RentWithinBudget));
            } else if cost + plan.budget_extra > b {
                // A warm budget against the warm rent.
                miss(Limit::RentWithinBudget, cost + plan.budget_extra, b, "EUR");
            }
        }
        if let (Some(max), Some(inc)) = (plan.max_rent_share, plan.income) {
            if cost.is_nan() {
                m.unchecked.push((i, Limit::MaxRentSharePct));
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
                m.unchecked.push((i, Limit::WithinKm { facility }));
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
                    m.unchecked.push((i, limit));
                } else if (low && p < b) || (!low && p > b) {
                    miss(limit, p, b, "residents");
                }
            }
        }
    }
}

/// The essential vetoes: every row not excluded yet whose utility on a criterion the household
/// made essential lies below [`ESSENTIAL_FLOOR`] is marked in `m.rows` and described in `m.out`
/// (which stays grouped by row in AGS order); a row without a utility for it goes to
/// `m.unchecked`. Reads the arithmetic utilities in either aggregation, so the veto is the same.
/// Misses are described only when `m.record`, as in [`apply_limits`].
pub(crate) fn apply_essential<'a>(r: &Prepared<'a>, plan: &Plan, d: &Dynamic, m: &mut Misses<'a>) {
    let essential: Vec<_> = plan
        .criteria
        .iter()
        .filter(|p| p.essential && p.available && p.weight > 0.0)
        .map(|p| (p.criterion, utilities(r, d, p, false)))
        .collect();
    if essential.is_empty() {
        return;
    }
    let floor = ESSENTIAL_FLOOR.value;
    let before = m.out.len();
    for (i, excluded) in m.rows.iter_mut().enumerate().take(r.n) {
        if *excluded {
            continue;
        }
        for &(criterion, u) in &essential {
            let limit = Limit::Essential { criterion };
            let u = u.get(i).copied().unwrap_or(f64::NAN);
            if u.is_nan() {
                m.unchecked.push((i, limit));
            } else if u < floor {
                *excluded = true;
                if !m.record {
                    continue;
                }
                m.out.push(Exclusion {
                    ags: r.ags[i],
                    name: r.names[i],
                    limit,
                    value: u,
                    threshold: floor,
                    unit: "utility",
                    by: floor - u,
                });
            }
        }
    }
    if m.out.len() > before {
        // Rows are in AGS order; a stable sort keeps each row's misses in the order found.
        m.out.sort_by(|a, b| a.ags.cmp(b.ags));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::criteria::{COMMUTE_LIMIT_DEFAULT_MIN, COMMUTE_MIN};
    use crate::profile::{Profile, Workplace};
    use crate::rank::dynamic::{fill_utilities, geometry};
    use crate::rank::output::SetBy;
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
        pop.missing.insert(ags5, "test gap");
        let r = Prepared::new(&atlas).unwrap();
        let plan = plan(&r, profile).unwrap();
        let d = geometry(&r, &plan);
        let mut m = Misses::new(r.n, true, 0);
        apply_limits(&r, &plan, &d, &mut m);
        let Misses {
            rows,
            out,
            unchecked,
            ..
        } = m;
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
        // Lift the limit on minutes, so that only the one on kilometres excludes.
        p.max_commute_min = Some(crate::criteria::ranges::MAX_COMMUTE_MIN.max);
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

    /// A profile working in municipality 0 of the synthetic atlas (a car, no other limit).
    fn commuter(atlas: &crate::atlas::Atlas) -> Profile {
        let mut p = Profile::new(2);
        p.workplace = vec![Workplace::Place(atlas.municipalities[0].ags.clone())];
        p
    }

    /// Rows excluded by the commute limit in minutes, each with its (value, threshold, by).
    fn commute_misses(out: &[Miss]) -> Vec<(String, f64, f64, f64)> {
        out.iter()
            .filter(|e| e.1 == Limit::MaxCommuteMin { workplace: 0 })
            .map(|e| (e.0.clone(), e.2, e.3, e.4))
            .collect()
    }

    #[test]
    fn the_default_commute_limit_is_the_commute_curves_zero_point_on_the_estimated_minutes() {
        let atlas = synthetic::atlas(60, 11);
        let p = commuter(&atlas);
        let r = Prepared::new(&atlas).unwrap();
        let planned = plan(&r, &p).unwrap();
        let limit = planned.commute_limit.unwrap();
        assert_eq!(limit.set_by, SetBy::Default);
        assert_eq!(limit.minutes, COMMUTE_LIMIT_DEFAULT_MIN.value);
        // The zero point: no utility at the limit, some just before it.
        assert_eq!(COMMUTE_MIN.eval(limit.minutes), 0.0);
        assert!(COMMUTE_MIN.eval(limit.minutes - 0.1) > 0.0);
        let d = geometry(&r, &planned);
        let (rows, out, unchecked) = limits_of(&p);
        assert!(unchecked.is_empty());
        let misses = commute_misses(&out);
        assert!(!misses.is_empty() && misses.len() < r.n, "{}", misses.len());
        // Excluded exactly where the estimated minutes (the one figure travel.rs gives) are
        // beyond the limit, with by how much.
        for (i, &minutes) in d.minutes.iter().enumerate() {
            assert_eq!(rows[i], minutes > limit.minutes, "row {i}: {minutes} min");
            if let Some(m) = misses.iter().find(|m| m.0 == r.ags[i]) {
                assert_eq!((m.1, m.2), (minutes, limit.minutes));
                assert!((m.3 - (minutes - limit.minutes)).abs() < 1e-9 && m.3 > 0.0);
            }
        }
        // Without a workplace, or with the commute weighted 0, no limit is in force.
        assert!(plan(&r, &Profile::new(2)).unwrap().commute_limit.is_none());
        let mut off = commuter(&atlas);
        off.weights.insert("commute".into(), 0.0);
        assert!(plan(&r, &off).unwrap().commute_limit.is_none());
    }

    #[test]
    fn a_raised_commute_limit_readmits_and_a_lowered_one_excludes_more() {
        let atlas = synthetic::atlas(60, 11);
        let default = commute_misses(&limits_of(&commuter(&atlas)).1);
        let worst = default.iter().map(|m| m.1).fold(0.0, f64::max);
        let mut raised = commuter(&atlas);
        raised.max_commute_min = Some(worst);
        let r = Prepared::new(&atlas).unwrap();
        let limit = plan(&r, &raised).unwrap().commute_limit.unwrap();
        assert_eq!((limit.minutes, limit.set_by), (worst, SetBy::Household));
        assert!(
            commute_misses(&limits_of(&raised).1).is_empty(),
            "every town is within the farthest one's minutes"
        );
        let mut lowered = commuter(&atlas);
        lowered.max_commute_min = Some(COMMUTE_LIMIT_DEFAULT_MIN.value / 2.0);
        let more = commute_misses(&limits_of(&lowered).1);
        assert!(more.len() > default.len());
        assert!(default.iter().all(|m| more.iter().any(|x| x.0 == m.0)));
        // A chosen limit holds even when the commute is weighted 0.
        lowered.weights.insert("commute".into(), 0.0);
        assert_eq!(commute_misses(&limits_of(&lowered).1).len(), more.len());
    }

    /// What [`vetoes_of`] finds: excluded rows, exclusions, unchecked, the arithmetic
    /// utilities of the criterion asked about.
    type Vetoes = (Vec<bool>, Vec<Miss>, Vec<(usize, Limit)>, Vec<f64>);

    /// Hard limits, utilities and essential vetoes of `profile`.
    fn vetoes_of(
        atlas: &crate::atlas::Atlas,
        profile: &Profile,
        criterion: crate::criteria::Criterion,
    ) -> Vetoes {
        let r = Prepared::new(atlas).unwrap();
        let plan = plan(&r, profile).unwrap();
        let mut d = geometry(&r, &plan);
        let mut m = Misses::new(r.n, true, 0);
        apply_limits(&r, &plan, &d, &mut m);
        fill_utilities(&r, &plan, &mut d, None);
        apply_essential(&r, &plan, &d, &mut m);
        let Misses {
            rows,
            out,
            unchecked,
            ..
        } = m;
        let p = plan.criteria.iter().find(|p| p.criterion == criterion);
        let u = p.map_or(Vec::new(), |p| utilities(&r, &d, p, false).to_vec());
        let out = out
            .into_iter()
            .map(|e| (e.ags.to_string(), e.limit, e.value, e.threshold, e.by))
            .collect();
        (rows, out, unchecked, u)
    }

    /// A household whose budget is the synthetic atlas's median flat: affordability utilities
    /// spread over the whole scale.
    fn tight_budget(atlas: &crate::atlas::Atlas) -> Profile {
        let mut p = Profile::new(2);
        let r = Prepared::new(atlas).unwrap();
        let k = r.known.rent_new.unwrap();
        let mut rents: Vec<f64> = r.raw[k].iter().copied().filter(|x| !x.is_nan()).collect();
        rents.sort_by(f64::total_cmp);
        p.rent_budget_eur = Some(rents[rents.len() / 2] * p.living_space());
        p
    }

    #[test]
    fn an_essential_criterion_vetoes_below_the_floor_only_when_the_household_set_it() {
        use crate::criteria::{Criterion, ESSENTIAL_FLOOR};
        let atlas = synthetic::atlas(80, 7);
        let afford = Criterion::Affordability;
        // Affordability's default weight is 5: by default it vetoes nothing.
        let p = tight_budget(&atlas);
        assert_eq!(afford.spec().default_weight, 5.0);
        let (rows, out, _, u) = vetoes_of(&atlas, &p, afford);
        assert!(out.is_empty() && rows.iter().all(|&x| !x));
        let below = u.iter().filter(|&&u| u < ESSENTIAL_FLOOR.value).count();
        assert!(below > 0 && below < u.len(), "{below} of {}", u.len());
        // Set to 5 by the household: exactly the towns below the floor go, with by how much.
        let mut essential = tight_budget(&atlas);
        essential.weights.insert(afford.id().into(), 5.0);
        let (rows, out, unchecked, u) = vetoes_of(&atlas, &essential, afford);
        // Towns without a rent figure are flagged, never vetoed.
        let gaps: Vec<usize> = (0..u.len()).filter(|&i| u[i].is_nan()).collect();
        assert_eq!(unchecked.iter().map(|x| x.0).collect::<Vec<_>>(), gaps);
        assert_eq!(out.len(), below);
        for (i, &ui) in u.iter().enumerate() {
            assert_eq!(rows[i], ui < ESSENTIAL_FLOOR.value, "row {i}: {ui}");
        }
        for (_, limit, value, threshold, by) in &out {
            assert_eq!(*limit, Limit::Essential { criterion: afford });
            assert_eq!(*threshold, ESSENTIAL_FLOOR.value);
            assert!(*value < *threshold && (*by - (threshold - value)).abs() < 1e-9);
        }
        // A weight of 4 is important, not essential.
        essential.weights.insert(afford.id().into(), 4.0);
        assert!(vetoes_of(&atlas, &essential, afford).1.is_empty());
    }

    #[test]
    fn an_essential_criterion_without_data_flags_the_town_instead_of_vetoing_it() {
        use crate::criteria::Criterion;
        let mut atlas = synthetic::atlas(80, 7);
        let mut p = tight_budget(&atlas);
        p.weights.insert("affordability".into(), 5.0);
        let rent = atlas
            .indicators
            .iter_mut()
            .find(|i| i.meta.id == "rent_new_lease_estimate_eur_m2")
            .unwrap();
        rent.values[3] = None;
        let ags3 = atlas.municipalities[3].ags.clone();
        rent.missing.insert(ags3.clone(), "test gap");
        let (rows, out, unchecked, _) = vetoes_of(&atlas, &p, Criterion::Affordability);
        let r = Prepared::new(&atlas).unwrap();
        let row3 = r.ags.iter().position(|a| *a == ags3).unwrap();
        assert!(!rows[row3]);
        assert!(!out.iter().any(|e| e.0 == ags3));
        let limit = Limit::Essential {
            criterion: Criterion::Affordability,
        };
        assert!(unchecked.contains(&(row3, limit)), "{unchecked:?}");
        assert!(unchecked.iter().all(|&(i, l)| !rows[i] && l == limit));
        assert!(!out.is_empty(), "the others are still checked");
    }

    #[test]
    fn the_commute_is_never_essential_its_veto_is_the_commute_limit() {
        let atlas = synthetic::atlas(60, 11);
        let mut p = commuter(&atlas);
        p.weights.insert("commute".into(), 5.0);
        let (_, out, _, _) = vetoes_of(&atlas, &p, crate::criteria::Criterion::Commute);
        assert!(!out.is_empty());
        assert!(
            out.iter()
                .all(|e| e.1 == Limit::MaxCommuteMin { workplace: 0 })
        );
    }
}

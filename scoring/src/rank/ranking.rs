//! A plan's ranking: every municipality ranked, unranked (too little of the weight has data) or
//! excluded (a hard limit), with explanations, context and help for the top rows, the Pareto
//! check and the robustness of the top k; and the top-k selection batch runs use. Both read
//! [`score`] and [`ranks_before`], so their ranks and scores agree.

use super::dynamic::utilities;
use super::explain::{DynamicMedians, Sentences, explain_row};
use super::output::{
    ActiveCriterion, ContextInfo, ContextValue, CriterionSet, RankOptions, Ranked, Ranking,
    TopScore, Unranked, describe_criteria,
};
use super::pareto::pareto;
use super::plan::Plan;
use super::precompute::Prepared;
use super::score::{Key, has_rank, ranks_before, score};
use super::smaa::robustness;
use super::sums::{Purpose, Sums, sums};
use crate::atlas::HelpContact;
use crate::criteria::{Criterion, ESSENTIAL_FLOOR, MIN_WEIGHT_COVERAGE};
use crate::profile::Lang;

/// Only the best `k` municipalities with their scores, in rank order: the same ranks and
/// scores as the first `k` rows of [`rank_plan`], without building a row for every
/// municipality and without sorting them all.
pub(crate) fn rank_top<'a>(r: &Prepared<'a>, plan: &Plan, k: usize) -> Vec<TopScore<'a>> {
    let Sums {
        excluded_rows,
        total,
        sw,
        mut su,
        geo,
        ..
    } = sums(r, plan, Purpose::TopK);
    let n = r.n;
    // Scores in place of the sums, NaN for a row without a rank: branch-free, so the
    // arithmetic case vectorises. (Kept apart from the geometric case, where a select
    // would evaluate the exponential for every row and throw it away.)
    let scores = &mut su[..n];
    let (sw, excluded_rows) = (&sw[..n], &excluded_rows[..n]);
    if geo {
        for i in 0..n {
            scores[i] = if !excluded_rows[i] && has_rank(sw[i], total) {
                score(sw[i], scores[i], true)
            } else {
                f64::NAN
            };
        }
    } else {
        for i in 0..n {
            let ranked = !excluded_rows[i] & has_rank(sw[i], total);
            let s = score(sw[i], scores[i], false);
            scores[i] = if ranked { s } else { f64::NAN };
        }
    }
    // The best k so far, best first; a row enters only when it beats the k-th. Once k rows
    // are in, nearly every row fails the first comparison.
    let mut order: Vec<Key> = Vec::with_capacity(k + 1);
    for (i, &s) in scores.iter().enumerate() {
        if s.is_nan() || k == 0 {
            continue;
        }
        let row = (s, i as u32);
        if order.len() == k {
            let last = order[k - 1];
            // Quick reject; the full order (ties by AGS) decides the rest.
            if s < last.0 || ranks_before(&row, &last).is_ge() {
                continue;
            }
        }
        let at = order.partition_point(|x| ranks_before(x, &row).is_lt());
        order.insert(at, row);
        order.truncate(k);
    }
    order
        .into_iter()
        .enumerate()
        .map(|(rank, (score, i))| TopScore {
            rank: rank as u32 + 1,
            ags: r.ags[i as usize],
            name: r.names[i as usize],
            score,
        })
        .collect()
}

/// Ranks for an already resolved plan.
pub(crate) fn rank_plan<'r, 'a: 'r>(
    r: &'r Prepared<'a>,
    sentences: &'r Sentences<'a>,
    plan: &Plan,
    opts: &RankOptions,
) -> Ranking<'r> {
    let mut s = sums(r, plan, Purpose::Ranking);
    ranking_of(r, sentences, plan, &mut s, opts)
}

/// The ranking from a plan's sums (their exclusions move into it; the rest stays for the
/// caller, e.g. a comparison that explains further rows from the same sums).
pub(crate) fn ranking_of<'r, 'a: 'r>(
    r: &'r Prepared<'a>,
    sentences: &'r Sentences<'a>,
    plan: &Plan,
    s: &mut Sums<'r, '_, 'a>,
    opts: &RankOptions,
) -> Ranking<'r> {
    let n = r.n;
    let (geo, total) = (s.geo, s.total);
    let (d, sw, su) = (&s.d, &s.sw, &s.su);
    // Which criteria dropped out, for the rows that are shown.
    let cols: Vec<(&[f64], u16)> = s
        .active
        .iter()
        .map(|p| (utilities(r, d, p, geo), 1u16 << p.criterion.index()))
        .collect();
    let dropped_of = |i: usize| -> CriterionSet {
        let mut set = CriterionSet::default();
        for (u, bit) in &cols {
            if u[i].is_nan() {
                set.0 |= bit;
            }
        }
        set
    };

    // Order.
    let mut order: Vec<Key> = Vec::with_capacity(n);
    let mut unranked = Vec::new();
    for i in 0..n {
        if s.excluded_rows[i] {
            continue;
        }
        if has_rank(sw[i], total) {
            order.push((score(sw[i], su[i], geo), i as u32));
        } else {
            let partial = (sw[i] > 0.0).then(|| score(sw[i], su[i], geo));
            unranked.push(Unranked {
                ags: r.ags[i],
                name: r.names[i],
                district: r.districts[i],
                partial_score: partial,
                weight_coverage: sw[i] / total,
                dropped: dropped_of(i),
            });
        }
    }
    order.sort_unstable_by(ranks_before);
    let mut ranked: Vec<Ranked<'_>> = order
        .iter()
        .enumerate()
        .map(|(k, &(score, i))| {
            let i = i as usize;
            Ranked {
                rank: k as u32 + 1,
                ags: r.ags[i],
                name: r.names[i],
                district: r.districts[i],
                score,
                weight_coverage: sw[i] / total,
                dropped: dropped_of(i),
                unchecked_limits: Vec::new(),
                top_k_share: None,
                rank_interval: None,
                group: None,
                pareto_optimal: None,
                dominated_by: None,
                explanations: Vec::new(),
                context: Vec::new(),
                help: Vec::new(),
            }
        })
        .collect();
    if !s.unchecked.is_empty() {
        let mut pos = vec![u32::MAX; n];
        for (k, &(_, i)) in order.iter().enumerate() {
            pos[i as usize] = k as u32;
        }
        for &(i, l) in &s.unchecked {
            if pos[i] != u32::MAX {
                ranked[pos[i] as usize].unchecked_limits.push(l);
            }
        }
    }

    // Details of the top rows.
    let top = opts.explain_top.min(ranked.len());
    if top > 0 {
        let medians = DynamicMedians::new(r, plan, d);
        for k in 0..top {
            let i = order[k].1 as usize;
            let row = &mut ranked[k];
            row.explanations = explain_row(r, sentences, plan, d, &medians, i, sw);
            row.context = context(r, plan, i);
            row.help = help_of(r, i);
        }
        if opts.pareto {
            pareto(r, &s.active, d, &order, top, &mut ranked, geo);
        }
    }
    if let Some(rb) = opts.robustness {
        robustness(
            r,
            plan,
            &s.active,
            d,
            &order,
            &rb,
            opts.explain_top,
            geo,
            &mut ranked,
        );
    }

    let mut criteria: Vec<ActiveCriterion<'r>> = plan
        .criteria
        .iter()
        .map(|p| ActiveCriterion {
            criterion: p.criterion,
            label: p.criterion.spec().label(plan.lang),
            weight: p.weight,
            share: if p.available && total > 0.0 {
                p.weight / total
            } else {
                0.0
            },
            switched_on: p.switched_on,
            available: p.available,
            age_band: (p.criterion == Criterion::Childcare).then_some(plan.band),
            essential_floor: p.essential.then_some(ESSENTIAL_FLOOR.value),
            unit: "",
            median: None,
            resolution: None,
            estimate: false,
            parts: Vec::new(),
            median_text: std::borrow::Cow::Borrowed(""),
            method_text: std::borrow::Cow::Borrowed(""),
        })
        .collect();
    // What every explained row shares is carried once, in `criteria`.
    if let Some(first) = ranked.first().filter(|x| !x.explanations.is_empty()) {
        describe_criteria(&mut criteria, &first.explanations);
    }
    let mut ranking = Ranking {
        region: &r.atlas.region,
        lang: plan.lang,
        aggregation: plan.aggregation,
        criteria,
        workplaces: plan.workplaces.iter().map(|w| w.out.clone()).collect(),
        living_space_m2: plan.space_m2,
        commute_limit: plan.commute_limit,
        context: ranked
            .first()
            .map_or_else(Vec::new, |x| ContextInfo::of_row(&x.context)),
        min_weight_coverage: MIN_WEIGHT_COVERAGE.value,
        notes: plan.notes.clone(),
        ranked,
        unranked,
        statewide_help: if top > 0 {
            r.atlas.statewide_help().collect()
        } else {
            Vec::new()
        },
        excluded: std::mem::take(&mut s.excluded),
        robustness: opts.robustness,
    };
    if let Some(note) = ranking.nearest_miss_note() {
        ranking.notes.push(note);
    }
    ranking
}

/// Figures shown beside the score of row `i`, never scored: population, vacancy, the average
/// commute, and for school-age children the Hort rate and the school leavers without a
/// qualification.
pub(crate) fn context<'a>(r: &Prepared<'a>, plan: &Plan, i: usize) -> Vec<ContextValue<'a>> {
    let k = &r.known;
    let wanted = [
        k.population,
        k.vacancy,
        k.commute_distance,
        if plan.hort_age { k.hort } else { None },
        if plan.school_age {
            k.school_leavers
        } else {
            None
        },
    ];
    let mut out = Vec::with_capacity(wanted.len());
    for k in wanted.into_iter().flatten() {
        let ind = &r.atlas.indicators[k];
        let v = r.raw[k][i];
        let m = r.medians[k];
        out.push(ContextValue {
            indicator: &ind.meta.id,
            label: match plan.lang {
                Lang::De => &ind.meta.label_de,
                Lang::En => &ind.meta.label_en,
            },
            value: (!v.is_nan()).then_some(v),
            unit: &ind.meta.unit,
            resolution: ind.meta.resolution,
            median: (!m.is_nan()).then_some(m),
        });
    }
    out
}

/// The district's help contacts for row `i`.
fn help_of<'a>(r: &Prepared<'a>, i: usize) -> Vec<&'a HelpContact> {
    match r.help.get(r.district_of_row[i]) {
        Some(h) => h.clone(),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::Atlas;
    use crate::profile::{Aggregation, Profile};
    use crate::rank::explain::Sentences;
    use crate::rank::plan::plan;
    use crate::synthetic;

    /// A synthetic atlas where municipality `b` is an exact copy of `a` but for its AGS and
    /// name, so that the two score the same for every profile.
    fn atlas_with_twins(a: usize, b: usize) -> Atlas {
        let mut atlas = synthetic::atlas(50, 9);
        for ind in &mut atlas.indicators {
            ind.values[b] = ind.values[a];
            let (ags_a, ags_b) = (
                atlas.municipalities[a].ags.clone(),
                atlas.municipalities[b].ags.clone(),
            );
            match ind.missing.get(&ags_a).map(str::to_string) {
                Some(reason) => ind.missing.insert(ags_b, reason),
                None => ind.missing.remove(&ags_b),
            };
        }
        let (lat, lon) = (
            atlas.municipalities[a].centre_lat,
            atlas.municipalities[a].centre_lon,
        );
        atlas.municipalities[b].centre_lat = lat;
        atlas.municipalities[b].centre_lon = lon;
        atlas.municipalities[b].district_ags5 = atlas.municipalities[a].district_ags5.clone();
        atlas
    }

    #[test]
    fn ties_are_broken_by_ags_in_the_ranking_and_the_top_k_alike() {
        // The copy is the higher-numbered row, and its AGS sorts after the original's.
        let (a, b) = (3, 40);
        let atlas = atlas_with_twins(a, b);
        assert!(atlas.municipalities[a].ags < atlas.municipalities[b].ags);
        let r = Prepared::new(&atlas).unwrap();
        let sentences = Sentences::build(&r);
        for aggregation in [Aggregation::Arithmetic, Aggregation::Geometric] {
            let mut p = Profile::new(2);
            p.children = vec![4];
            p.rent_budget_eur = Some(1200.0);
            p.aggregation = aggregation;
            let plan = plan(&r, &p).unwrap();
            let ranking = rank_plan(&r, &sentences, &plan, &RankOptions::bare());
            let pos = |ags: &str| ranking.ranked.iter().position(|x| x.ags == ags).unwrap();
            let (pa, pb) = (
                pos(&atlas.municipalities[a].ags),
                pos(&atlas.municipalities[b].ags),
            );
            assert_eq!(ranking.ranked[pa].score, ranking.ranked[pb].score);
            assert_eq!(pb, pa + 1, "twins sit side by side, lower AGS first");
            // The top-k selection agrees row for row, whatever k cuts through.
            for k in [1, pa + 1, pb + 1, ranking.ranked.len()] {
                let top = rank_top(&r, &plan, k);
                assert_eq!(top.len(), k.min(ranking.ranked.len()));
                for (t, x) in top.iter().zip(&ranking.ranked) {
                    assert_eq!((t.rank, t.ags, t.score), (x.rank, x.ags, x.score));
                }
            }
        }
    }

    #[test]
    fn ranked_rows_are_in_the_one_order() {
        let atlas = synthetic::atlas(80, 4);
        let r = Prepared::new(&atlas).unwrap();
        let sentences = Sentences::build(&r);
        let mut p = Profile::new(1);
        p.income_eur = Some(2500.0);
        let ranking = rank_plan(&r, &sentences, &plan(&r, &p).unwrap(), &RankOptions::bare());
        for w in ranking.ranked.windows(2) {
            let key = |x: &Ranked<'_>| (x.score, r.ags.binary_search(&x.ags).unwrap() as u32);
            assert!(ranks_before(&key(&w[0]), &key(&w[1])).is_lt());
            assert_eq!(w[1].rank, w[0].rank + 1);
        }
    }
}

//! Properties of the ranking that must hold for any atlas and any profile (issue 3):
//! monotonicity in one utility, a zero weight makes a criterion irrelevant, the order of the
//! input does not matter, scores stay within 0–100; plus consistency of the fast engine with
//! the reference definition [`scoring::rank::aggregate`].

use proptest::prelude::*;
use scoring::atlas::Atlas;
use scoring::profile::{Aggregation, Lang, Profile, Workplace};
use scoring::rank::{RankOptions, Ranker, Robustness, aggregate};
use scoring::{Criterion, synthetic};
use std::collections::BTreeMap;

fn opts() -> RankOptions {
    RankOptions {
        explain_top: 5,
        pareto: true,
        robustness: Some(Robustness {
            k: 5,
            draws: 20,
            ..Robustness::default()
        }),
    }
}

prop_compose! {
    fn profiles()(
        adults in 1u32..=3,
        children in prop::collection::vec(0u32..=17, 0..3),
        budget in prop::option::of(300.0f64..2000.0),
        income in prop::option::of(1500.0f64..8000.0),
        car in any::<bool>(),
        workplace in prop::option::of(0usize..1000),
        weights in prop::collection::btree_map(0usize..12, 0u8..=5, 0..5),
        geometric in any::<bool>(),
        english in any::<bool>(),
    ) -> (Profile, Option<usize>) {
        let mut p = Profile::new(adults);
        p.children = children;
        p.rent_budget_eur = budget;
        p.income_eur = income;
        p.car = car;
        p.weights = weights
            .into_iter()
            .map(|(c, w)| (Criterion::ALL[c].id().to_string(), w as f64))
            .collect::<BTreeMap<_, _>>();
        p.aggregation = if geometric { Aggregation::Geometric } else { Aggregation::Arithmetic };
        p.lang = if english { Lang::En } else { Lang::De };
        (p, workplace)
    }
}

fn with_workplace(atlas: &Atlas, mut p: Profile, w: Option<usize>) -> Profile {
    if let Some(w) = w {
        let m = &atlas.municipalities[w % atlas.municipalities.len()];
        p.workplace = vec![Workplace::Place(m.ags.clone())];
    }
    p
}

/// Scores of ranked municipalities by AGS.
fn scores(r: &scoring::Ranking<'_>) -> BTreeMap<String, f64> {
    r.ranked
        .iter()
        .map(|x| (x.ags.to_string(), x.score))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn scores_stay_within_0_100_and_ranks_are_ordered(
        seed in 0u64..1000, n in 20usize..90, (p, w) in profiles()
    ) {
        let atlas = synthetic::atlas(n, seed);
        let ranker = Ranker::new(&atlas).unwrap();
        let p = with_workplace(&atlas, p, w);
        let Ok(r) = ranker.rank(&p, &opts()) else { return Ok(()) };
        for (k, x) in r.ranked.iter().enumerate() {
            prop_assert_eq!(x.rank as usize, k + 1);
            prop_assert!((0.0..=100.0).contains(&x.score), "score {}", x.score);
            prop_assert!(x.weight_coverage >= 0.7 - 1e-9 && x.weight_coverage <= 1.0 + 1e-9);
            if k > 0 {
                let prev = &r.ranked[k - 1];
                prop_assert!(prev.score > x.score || (prev.score == x.score && prev.ags < x.ags));
            }
            for e in &x.explanations {
                if let Some(u) = e.utility {
                    prop_assert!((0.0..=100.0).contains(&u));
                }
                prop_assert!(!e.sentence.is_empty());
            }
            if let Some(s) = x.top_k_share {
                prop_assert!((0.0..=1.0).contains(&s));
            }
        }
        prop_assert_eq!(
            r.ranked.len() + r.unranked.len()
                + r.excluded.iter().map(|e| e.ags).collect::<std::collections::BTreeSet<_>>().len(),
            n
        );
    }

    /// The robustness draws skip rows that cannot rank before a tracked row; shares, rank
    /// intervals and groups must be exactly those of drawing over every ranked row, for both
    /// means, any size of doubt and with or without the estimates' errors.
    #[test]
    fn robustness_pruning_changes_no_share(
        seed in 0u64..1000, n in 20usize..200, (p, w) in profiles(), k in 1usize..15,
        explain_top in 0usize..12,
        step in prop::sample::select(vec![0.0, 0.25, 1.0, 2.0]),
        errors in any::<bool>(),
    ) {
        let atlas = synthetic::atlas(n, seed);
        let ranker = Ranker::new(&atlas).unwrap();
        let p = with_workplace(&atlas, p, w);
        let mut rb = Robustness { k, draws: 50, weight_step: step, ..Robustness::default() };
        if !errors {
            rb.commute_error = 0.0;
            rb.rent_error = 0.0;
        }
        let o = RankOptions { explain_top, pareto: false, robustness: Some(rb) };
        let Ok(pruned) = ranker.rank(&p, &o) else { return Ok(()) };
        let full = scoring::without_pruning(|| ranker.rank(&p, &o)).unwrap();
        type Figures = Vec<(Option<f64>, Option<[u32; 2]>, Option<u32>)>;
        let figures = |r: &scoring::Ranking<'_>| -> Figures {
            r.ranked.iter().map(|x| (x.top_k_share, x.rank_interval, x.group)).collect()
        };
        prop_assert_eq!(figures(&pruned), figures(&full));
    }

    /// The batch path (`rank_top`: a bounded top-k selection, cached workplace distances)
    /// gives exactly the first k rows of the full ranking.
    #[test]
    fn rank_top_is_the_head_of_the_full_ranking(
        seed in 0u64..1000, n in 20usize..120, (p, w) in profiles(), k in 0usize..30,
    ) {
        let atlas = synthetic::atlas(n, seed);
        let ranker = Ranker::new(&atlas).unwrap();
        let p = with_workplace(&atlas, p, w);
        let Ok(plan) = ranker.plan(&p) else { return Ok(()) };
        // Twice: the second time the workplace's distances come from the cache.
        for _ in 0..2 {
            let top = ranker.rank_top(&plan, k);
            let full = ranker.rank_plan(&plan, &RankOptions::bare());
            let head: Vec<(u32, &str, f64)> =
                full.ranked.iter().take(k).map(|x| (x.rank, x.ags, x.score)).collect();
            let got: Vec<(u32, &str, f64)> = top.iter().map(|t| (t.rank, t.ags, t.score)).collect();
            prop_assert_eq!(got, head);
        }
    }

    /// A municipality as workplace (distances cached per municipality) ranks exactly as the
    /// same place given as a point (distances computed for the profile).
    #[test]
    fn a_workplace_municipality_ranks_as_its_point(
        seed in 0u64..1000, (p, w) in profiles(), row in 0usize..1000,
    ) {
        let atlas = synthetic::atlas(60, seed);
        let ranker = Ranker::new(&atlas).unwrap();
        let _ = w;
        let m = &atlas.municipalities[row % atlas.municipalities.len()];
        let mut by_name = p.clone();
        by_name.workplace = vec![Workplace::Place(m.ags.clone())];
        let mut by_point = p;
        by_point.workplace = vec![Workplace::Point(scoring::profile::LatLon {
            lat: m.centre_lat,
            lon: m.centre_lon,
        })];
        let (Ok(a), Ok(b)) = (ranker.rank(&by_name, &opts()), ranker.rank(&by_point, &opts()))
        else { return Ok(()) };
        let rows = |r: &scoring::Ranking<'_>| -> Vec<(String, f64)> {
            r.ranked.iter().map(|x| (x.ags.to_string(), x.score)).collect()
        };
        prop_assert_eq!(rows(&a), rows(&b));
    }

    #[test]
    fn engine_matches_the_reference_aggregate(
        seed in 0u64..1000, (p, w) in profiles()
    ) {
        let atlas = synthetic::atlas(60, seed);
        let ranker = Ranker::new(&atlas).unwrap();
        let p = with_workplace(&atlas, p, w);
        let Ok(r) = ranker.rank(&p, &opts()) else { return Ok(()) };
        for x in r.ranked.iter().take(5) {
            let us: Vec<Option<f64>> = x.explanations.iter().map(|e| e.utility).collect();
            let ws: Vec<f64> = x.explanations.iter().map(|e| e.weight).collect();
            let (s, cov) = aggregate(&us, &ws, p.aggregation).unwrap();
            prop_assert!((s - x.score).abs() < 1e-9, "{} vs {}", s, x.score);
            prop_assert!((cov - x.weight_coverage).abs() < 1e-9);
            if p.aggregation == Aggregation::Arithmetic {
                let sum: f64 = x.explanations.iter().filter_map(|e| e.contribution).sum();
                prop_assert!((sum - x.score).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn input_order_does_not_change_the_output(
        seed in 0u64..1000, shuffle in any::<u64>(), (p, w) in profiles()
    ) {
        let atlas = synthetic::atlas(50, seed);
        let p = with_workplace(&atlas, p, w);
        // A permutation of the rows, applied to municipalities and every column alike.
        let n = atlas.municipalities.len();
        let mut perm: Vec<usize> = (0..n).collect();
        let mut s = shuffle | 1;
        for i in (1..n).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            perm.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let mut shuffled = atlas.clone();
        shuffled.municipalities = perm.iter().map(|&i| atlas.municipalities[i].clone()).collect();
        for ind in &mut shuffled.indicators {
            let v = ind.values.clone();
            ind.values = perm.iter().map(|&i| v[i]).collect();
        }
        let a = Ranker::new(&atlas).unwrap();
        let b = Ranker::new(&shuffled).unwrap();
        let ra = a.rank(&p, &opts());
        let rb = b.rank(&p, &opts());
        prop_assert_eq!(
            serde_json::to_string(&ra).unwrap(),
            serde_json::to_string(&rb).unwrap()
        );
    }

    #[test]
    fn a_zero_weight_makes_a_criterion_irrelevant(
        seed in 0u64..1000, scramble in any::<u64>(), which in 0usize..4, (p, w) in profiles()
    ) {
        // Criteria whose indicators no other criterion, limit or context reads.
        let c = [Criterion::Leisure, Criterion::Health, Criterion::EverydayServices,
                 Criterion::CentralPlace][which];
        let atlas = synthetic::atlas(60, seed);
        let mut p = with_workplace(&atlas, p, w);
        p.weights.insert(c.id().to_string(), 0.0);
        let ids: Vec<&str> = c.spec().parts.iter()
            .flat_map(|part| part.with_car.indicators.iter().chain(part.without_car.indicators))
            .copied().collect();
        let mut other = atlas.clone();
        let mut s = scramble | 1;
        for ind in other.indicators.iter_mut().filter(|i| ids.contains(&i.meta.id.as_str())) {
            for (v, m) in ind.values.iter_mut().zip(&atlas.municipalities) {
                s ^= s << 13; s ^= s >> 7; s ^= s << 17;
                if s % 5 == 0 {
                    *v = None;
                    ind.missing.insert(m.ags.clone(), "scrambled");
                } else {
                    *v = Some((s % 10_000) as f64 / 100.0);
                    ind.missing.remove(&m.ags);
                }
            }
        }
        let a = Ranker::new(&atlas).unwrap();
        let b = Ranker::new(&other).unwrap();
        let (Ok(ra), Ok(rb)) = (a.rank(&p, &opts()), b.rank(&p, &opts())) else { return Ok(()) };
        prop_assert_eq!(scores(&ra), scores(&rb));
        let order = |r: &scoring::Ranking<'_>| r.ranked.iter().map(|x| x.ags.to_string()).collect::<Vec<_>>();
        prop_assert_eq!(order(&ra), order(&rb));
    }

    #[test]
    fn a_better_value_never_lowers_the_score(
        seed in 0u64..1000, row in 0usize..60, better in 0.0f64..1.0, (p, w) in profiles()
    ) {
        // Car minutes to the Grundschule: fewer minutes, utility never lower.
        let atlas = synthetic::atlas(60, seed);
        let mut p = with_workplace(&atlas, p, w);
        p.car = true;
        p.weights.insert("primary_school".into(), 4.0);
        let mut improved = atlas.clone();
        let ags = atlas.municipalities[row].ags.clone();
        let ind = improved.indicators.iter_mut()
            .find(|i| i.meta.id == "car_min_primary_school").unwrap();
        let Some(v) = ind.values[row] else { return Ok(()) };
        ind.values[row] = Some(v * better);
        let a = Ranker::new(&atlas).unwrap();
        let b = Ranker::new(&improved).unwrap();
        let (Ok(ra), Ok(rb)) = (a.rank(&p, &RankOptions::bare()), b.rank(&p, &RankOptions::bare()))
            else { return Ok(()) };
        let sa = scores(&ra);
        let sb = scores(&rb);
        if let Some(before) = sa.get(&ags) {
            let after = sb.get(&ags).copied().unwrap_or(f64::NAN);
            prop_assert!(after >= before - 1e-12, "{} -> {}", before, after);
        }
    }

    #[test]
    fn aggregate_is_monotone_in_each_utility(
        us in prop::collection::vec(prop::option::of(0.0f64..=100.0), 1..12),
        ws in prop::collection::vec(0.0f64..=5.0, 12),
        which in 0usize..12, up in 0.0f64..=100.0, geometric in any::<bool>(),
    ) {
        let agg = if geometric { Aggregation::Geometric } else { Aggregation::Arithmetic };
        let ws = &ws[..us.len()];
        let which = which % us.len();
        let Some(u) = us[which] else { return Ok(()) };
        let mut raised = us.clone();
        raised[which] = Some((u + up).min(100.0));
        if let (Some((a, ca)), Some((b, cb))) = (aggregate(&us, ws, agg), aggregate(&raised, ws, agg)) {
            prop_assert!(b >= a - 1e-9);
            prop_assert!((0.0..=100.0).contains(&a) && (0.0..=100.0).contains(&b));
            prop_assert!((ca - cb).abs() < 1e-12);
        }
    }
}

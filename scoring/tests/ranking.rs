//! Behaviour of the ranking on small synthetic atlases: hard limits, missing data, coverage,
//! ties, Pareto, robustness, compare and what-if.

use scoring::atlas::Atlas;
use scoring::change::Change;
use scoring::profile::{Aggregation, Lang, Profile, TownSize, Workplace};
use scoring::rank::{Limit, Place, RankOptions, Ranker, RequestError, Robustness, Status};
use scoring::{Criterion, synthetic};

/// A family working in municipality 0, with the commute limit lifted so that every town of the
/// synthetic atlas (which spans far more than an hour's drive) stays in; the tests of the
/// commute limit set it themselves.
fn family(atlas: &Atlas) -> Profile {
    let mut p = Profile::new(2);
    p.children = vec![2, 6];
    p.rent_budget_eur = Some(900.0);
    p.workplace = vec![Workplace::Place(atlas.municipalities[0].ags.clone())];
    p.max_commute_min = Some(scoring::criteria::ranges::MAX_COMMUTE_MIN.max);
    p.lang = Lang::En;
    p
}

fn set(atlas: &mut Atlas, id: &str, row: usize, v: Option<f64>) {
    let ags = atlas.municipalities[row].ags.clone();
    let ind = atlas
        .indicators
        .iter_mut()
        .find(|i| i.meta.id == id)
        .unwrap();
    ind.values[row] = v;
    if v.is_none() {
        ind.missing.insert(ags, "test gap");
    } else {
        ind.missing.remove(&ags);
    }
}

#[test]
fn hard_limits_exclude_and_say_by_how_much() {
    let atlas = synthetic::atlas(120, 3);
    let ranker = Ranker::new(&atlas).unwrap();
    let mut p = family(&atlas);
    p.max_commute_km = Some(30.0);
    p.must.rent_within_budget = true;
    p.must.min_population = Some(2000.0);
    let r = ranker.rank(&p, &RankOptions::default()).unwrap();
    assert!(!r.excluded.is_empty());
    for e in &r.excluded {
        assert!(e.by > 0.0);
        match e.limit {
            Limit::MaxCommuteKm { workplace } => {
                assert_eq!(workplace, 0);
                assert!((e.value - e.threshold - e.by).abs() < 1e-9 && e.threshold == 30.0);
            }
            Limit::RentWithinBudget => assert!(e.value > 900.0),
            Limit::MinPopulation => assert!(e.value < 2000.0),
            other => panic!("unexpected {other:?}"),
        }
        let s = r.describe_exclusion(e);
        assert!(s.ends_with('.'), "{s}");
    }
    // No ranked municipality breaks a limit.
    for x in &r.ranked {
        assert!(!r.excluded.iter().any(|e| e.ags == x.ags));
    }
    let json = serde_json::to_value(&r).unwrap();
    assert!(
        json["excluded"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["limit"] == "max_commute_km")
    );
    // In JSON one group per limit: threshold and unit once, the towns and figures as columns;
    // by how much is |value − threshold|.
    for g in json["excluded"].as_array().unwrap() {
        let threshold = g["threshold"].as_f64().unwrap();
        let (ags, values) = (g["ags"].as_array().unwrap(), g["value"].as_array().unwrap());
        assert_eq!(ags.len(), values.len());
        for (a, v) in ags.iter().zip(values) {
            let e = r
                .excluded
                .iter()
                .find(|e| {
                    e.ags == a && serde_json::to_value(e.limit).unwrap()["limit"] == g["limit"]
                })
                .unwrap();
            assert!(
                ((v.as_f64().unwrap() - threshold).abs() - e.by).abs() < 0.011,
                "{a}"
            );
        }
    }
    let e = r
        .excluded
        .iter()
        .find(|e| matches!(e.limit, Limit::MaxCommuteKm { .. }))
        .unwrap();
    let s = r.describe_exclusion(e);
    assert!(s.contains("too far") && s.contains("30.0 km"), "{s}");
}

#[test]
fn missing_values_drop_the_criterion_and_show_coverage() {
    let mut atlas = synthetic::atlas(60, 5);
    // Row 7 lacks the Grundschule minutes and the rent.
    set(&mut atlas, "car_min_primary_school", 7, None);
    set(&mut atlas, "rent_new_lease_estimate_eur_m2", 7, None);
    let ranker = Ranker::new(&atlas).unwrap();
    let p = family(&atlas);
    let ags = atlas.municipalities[7].ags.clone();
    let r = ranker.rank(&p, &RankOptions::bare()).unwrap();
    let cmp = ranker
        .compare(&p, &[&ags, &atlas.municipalities[8].ags])
        .unwrap();
    let row = &cmp.municipalities[0];
    let prim = row
        .explanations
        .iter()
        .find(|e| e.criterion == Criterion::PrimarySchool)
        .unwrap();
    assert!(prim.dropped && prim.utility.is_none() && prim.share == 0.0);
    assert_eq!(prim.missing_reason, Some("test gap"));
    assert!(
        prim.sentence.contains("no figure here (test gap)"),
        "{}",
        prim.sentence
    );
    let total: f64 = cmp
        .criteria
        .iter()
        .filter(|c| c.available)
        .map(|c| c.weight)
        .sum();
    let missing = 4.0 + 5.0; // primary school + affordability
    let expected = (total - missing) / total;
    let cov = match &row.status {
        Status::Ranked {
            weight_coverage, ..
        } => *weight_coverage,
        Status::Unranked {
            weight_coverage, ..
        } => *weight_coverage,
        Status::Excluded { .. } => panic!("not excluded"),
    };
    assert!((cov - expected).abs() < 1e-9, "{cov} vs {expected}");
    // The dropped set is visible on the row.
    if let Some(x) = r.ranked.iter().find(|x| x.ags == ags) {
        assert!(x.dropped.contains(Criterion::PrimarySchool));
        assert!(x.dropped.contains(Criterion::Affordability));
    }
}

#[test]
fn below_70_percent_coverage_no_rank() {
    let mut atlas = synthetic::atlas(60, 5);
    for id in [
        "car_min_primary_school",
        "rent_new_lease_estimate_eur_m2",
        "childcare_rate_u3_pct",
        "childcare_distance_km",
    ] {
        set(&mut atlas, id, 9, None);
    }
    let ranker = Ranker::new(&atlas).unwrap();
    let r = ranker.rank(&family(&atlas), &RankOptions::bare()).unwrap();
    let ags = &atlas.municipalities[9].ags;
    let u = r.unranked.iter().find(|u| u.ags == ags).expect("unranked");
    assert!(u.weight_coverage < 0.7);
    assert!(u.dropped.contains(Criterion::Childcare));
    assert!(!r.ranked.iter().any(|x| x.ags == ags));
}

#[test]
fn absent_indicators_leave_a_criterion_out_for_everyone() {
    let mut atlas = synthetic::atlas(60, 5);
    atlas.indicators.retain(|i| {
        !(i.meta.id.starts_with("car_min_") || i.meta.id.ends_with("pool_distance_km"))
    });
    let ranker = Ranker::new(&atlas).unwrap();
    let p = family(&atlas);
    let r = ranker.rank(&p, &RankOptions::default()).unwrap();
    let ev = r
        .criteria
        .iter()
        .find(|c| c.criterion == Criterion::EverydayServices)
        .unwrap();
    assert!(!ev.available && ev.share == 0.0);
    assert!(r.notes.iter().any(|n| n.code == "criterion_unavailable"));
    // Primary school (car minutes) is gone too, but leisure keeps its other parts.
    let top = &r.ranked[0];
    assert!(
        top.weight_coverage > 0.99,
        "absent criteria do not lower coverage"
    );
    let leisure = top
        .explanations
        .iter()
        .find(|e| e.criterion == Criterion::Leisure)
        .unwrap();
    assert!(leisure.utility.is_some());
    assert!(
        leisure
            .parts
            .iter()
            .any(|p| p.part == "indoor_pool" && !p.used)
    );
    // An atlas with nothing but population still ranks a town-size profile.
    let mut bare = synthetic::atlas(30, 1);
    bare.indicators.retain(|i| i.meta.id == "population");
    let ranker = Ranker::new(&bare).unwrap();
    let mut p = Profile::new(1);
    p.town_size = Some(TownSize::Village);
    let r = ranker.rank(&p, &RankOptions::default()).unwrap();
    assert!(!r.ranked.is_empty());
    // …and refuses a profile whose every criterion lacks data.
    let e = ranker
        .rank(&Profile::new(1), &RankOptions::default())
        .unwrap_err();
    assert_eq!(e.field, "weights");
}

#[test]
fn ties_are_broken_by_ags() {
    let mut atlas = synthetic::atlas(40, 2);
    // Make every indicator identical for all rows: every score ties.
    for ind in &mut atlas.indicators {
        let first = ind.values.iter().flatten().next().copied();
        for v in &mut ind.values {
            *v = first;
        }
        ind.missing.clear();
    }
    for m in &mut atlas.municipalities {
        m.centre_lat = 51.0;
        m.centre_lon = 13.0;
    }
    let ranker = Ranker::new(&atlas).unwrap();
    let r = ranker
        .rank(&family(&atlas), &RankOptions::default())
        .unwrap();
    let ags: Vec<&str> = r.ranked.iter().map(|x| x.ags).collect();
    let mut sorted = ags.clone();
    sorted.sort();
    assert_eq!(ags, sorted);
    // Nobody dominates anybody when all are equal.
    assert!(
        r.ranked
            .iter()
            .take(10)
            .all(|x| x.pareto_optimal == Some(true))
    );
}

#[test]
fn pareto_flag_agrees_with_brute_force() {
    let atlas = synthetic::atlas(150, 11);
    let ranker = Ranker::new(&atlas).unwrap();
    let p = family(&atlas);
    let opts = RankOptions {
        explain_top: 150,
        pareto: true,
        robustness: None,
    };
    let r = ranker.rank(&p, &opts).unwrap();
    let util = |k: usize| -> Vec<Option<f64>> {
        r.ranked[k].explanations.iter().map(|e| e.utility).collect()
    };
    for i in 0..r.ranked.len() {
        let ui = util(i);
        let mut best = None;
        for j in 0..r.ranked.len() {
            if i == j {
                continue;
            }
            let uj = util(j);
            let mut better = false;
            let mut ok = true;
            for (a, b) in ui.iter().zip(&uj) {
                match (a, b) {
                    (None, _) => {}
                    (Some(_), None) => ok = false,
                    (Some(a), Some(b)) => {
                        if b < a {
                            ok = false
                        } else if b > a {
                            better = true
                        }
                    }
                }
            }
            if ok && better {
                best = Some(j);
                break;
            }
        }
        assert_eq!(r.ranked[i].pareto_optimal, Some(best.is_none()), "row {i}");
        assert_eq!(
            r.ranked[i]
                .dominated_by
                .as_ref()
                .map(|d| d.rank as usize - 1),
            best,
            "row {i}"
        );
    }
    assert!(r.ranked.iter().any(|x| x.pareto_optimal == Some(false)));
}

#[test]
fn robustness_is_deterministic_and_sensible() {
    let atlas = synthetic::atlas(200, 4);
    let ranker = Ranker::new(&atlas).unwrap();
    let p = family(&atlas);
    let opts = RankOptions::default();
    let a = ranker.rank(&p, &opts).unwrap();
    let b = ranker.rank(&p, &opts).unwrap();
    assert_eq!(a, b, "the same seed gives the same figures");
    assert_eq!(a.robustness.unwrap().draws, 10_000);
    let shares: Vec<f64> = a
        .ranked
        .iter()
        .take(10)
        .map(|x| x.top_k_share.unwrap())
        .collect();
    assert!(shares.iter().all(|s| (0.0..=1.0).contains(s)));
    assert!(
        a.ranked
            .iter()
            .skip(10)
            .all(|x| x.top_k_share.is_none() && x.rank_interval.is_none() && x.group.is_none())
    );
    // The leader of a clear ranking stays in the top 10 in most draws.
    assert!(shares[0] > 0.5, "{shares:?}");
    // Another seed moves the shares by Monte-Carlo error only (±1 pp at 10,000 draws).
    let other = RankOptions {
        robustness: Some(Robustness {
            seed: 7,
            ..Robustness::default()
        }),
        ..opts
    };
    let c = ranker.rank(&p, &other).unwrap();
    for (x, y) in a.ranked.iter().zip(&c.ranked).take(10) {
        let (s, t) = (x.top_k_share.unwrap(), y.top_k_share.unwrap());
        assert!((s - t).abs() < 0.03, "{} {s} vs {t}", x.name);
    }
    // No doubt at all: every row keeps its rank in every draw.
    let still = RankOptions {
        robustness: Some(Robustness::default().without_doubt()),
        ..opts
    };
    let c = ranker.rank(&p, &still).unwrap();
    for (i, x) in c.ranked.iter().take(10).enumerate() {
        assert_eq!(x.top_k_share, Some(1.0));
        assert_eq!(x.rank_interval, Some([x.rank, x.rank]));
        assert_eq!(x.group, Some(i as u32 + 1), "each row its own group");
    }
}

#[test]
fn rank_intervals_contain_the_rank_of_a_stable_profile_and_groups_follow_them() {
    let atlas = synthetic::atlas(300, 8);
    let ranker = Ranker::new(&atlas).unwrap();
    let p = family(&atlas);
    // A tenth of a step and 1 % errors: a stable profile.
    let opts = RankOptions {
        explain_top: 20,
        robustness: Some(Robustness {
            weight_step: 0.1,
            commute_error: 0.01,
            rent_error: 0.01,
            ..Robustness::default()
        }),
        ..RankOptions::default()
    };
    let r = ranker.rank(&p, &opts).unwrap();
    let rows: Vec<_> = r.ranked.iter().take(20).collect();
    for x in &rows {
        let [lo, hi] = x.rank_interval.unwrap();
        assert!(lo <= x.rank && x.rank <= hi, "{}: {lo}–{hi}", x.rank);
        // In the top 10 in every draw iff its interval ends there, roughly.
        if hi <= 10 {
            assert!(x.top_k_share.unwrap() >= 0.95);
        }
        if lo > 10 {
            assert!(x.top_k_share.unwrap() <= 0.05);
        }
    }
    // Groups: numbered from 1 in rank order, a new group only where no interval reaches over.
    assert_eq!(rows[0].group, Some(1));
    for i in 1..rows.len() {
        let (g0, g1) = (rows[i - 1].group.unwrap(), rows[i].group.unwrap());
        assert!(g1 == g0 || g1 == g0 + 1);
        let above = rows[..i]
            .iter()
            .map(|x| x.rank_interval.unwrap()[1])
            .max()
            .unwrap();
        let below = rows[i..]
            .iter()
            .map(|x| x.rank_interval.unwrap()[0])
            .min()
            .unwrap();
        assert_eq!(g1 == g0 + 1, above < below, "row {i}");
    }
    // Wider doubt widens the intervals.
    let wide = RankOptions {
        robustness: Some(Robustness::default()),
        ..opts
    };
    let w = ranker.rank(&p, &wide).unwrap();
    let width = |r: &scoring::Ranking<'_>| -> u32 {
        r.ranked
            .iter()
            .take(20)
            .map(|x| x.rank_interval.unwrap())
            .map(|[lo, hi]| hi - lo)
            .sum()
    };
    assert!(width(&w) > width(&r), "{} vs {}", width(&w), width(&r));
}

#[test]
fn robustness_of_more_tracked_rows_leaves_the_first_rows_unchanged() {
    // The first 10 rows' figures do not depend on how many rows are tracked: the draws are
    // the same, and the pairs settled before drawing (more rows evaluated, wider windows when
    // 120 rows are tracked) are settled exactly.
    let atlas = synthetic::atlas(250, 3);
    let ranker = Ranker::new(&atlas).unwrap();
    for geometric in [false, true] {
        let mut p = family(&atlas);
        if geometric {
            p.aggregation = scoring::profile::Aggregation::Geometric;
        }
        let rank = |explain_top| {
            let o = RankOptions {
                explain_top,
                pareto: false,
                robustness: Some(Robustness {
                    draws: 2000,
                    ..Robustness::default()
                }),
            };
            ranker.rank(&p, &o).unwrap()
        };
        let (a, b) = (rank(10), rank(120));
        for (x, y) in a.ranked.iter().zip(&b.ranked).take(10) {
            assert_eq!(x.top_k_share, y.top_k_share, "{}", x.name);
            assert_eq!(x.rank_interval, y.rank_interval, "{}", x.name);
        }
        assert!(b.ranked[119].rank_interval.is_some());
    }
}

#[test]
fn unchecked_limits_are_flagged_not_excluded() {
    let atlas = synthetic::atlas(60, 5);
    let ranker = Ranker::new(&atlas).unwrap();
    let mut p = family(&atlas);
    p.must.within_km.insert("childcare".into(), 50.0);
    let r = ranker.rank(&p, &RankOptions::bare()).unwrap();
    // Childcare points exist for one row in twelve: the others cannot be checked.
    assert!(
        r.ranked
            .iter()
            .filter(|x| !x.unchecked_limits.is_empty())
            .count()
            > 30
    );
    assert!(r.ranked.iter().flat_map(|x| &x.unchecked_limits).all(|l| *l
        == Limit::WithinKm {
            facility: "childcare"
        }));
}

#[test]
fn childcare_scores_every_town_on_the_care_rate_and_shows_mapped_kitas() {
    let atlas = synthetic::atlas(120, 8);
    let ranker = Ranker::new(&atlas).unwrap();
    let p = family(&atlas);
    let rows: Vec<&str> = vec![&atlas.municipalities[0].ags, &atlas.municipalities[1].ags];
    for lang in [Lang::En, Lang::De] {
        let mut p = p.clone();
        p.lang = lang;
        let c = ranker.compare(&p, &rows).unwrap();
        // Row 0 has Kita points, row 1 does not: both are scored on the district care rate.
        let e0 = &c.municipalities[0].explanations[0];
        let e1 = &c.municipalities[1].explanations[0];
        for e in [e0, e1] {
            assert_eq!(e.criterion, Criterion::Childcare);
            assert_eq!(e.unit, "%");
            assert_eq!(e.resolution, Some(scoring::atlas::Resolution::District));
            let kita = e.parts.iter().find(|p| p.part == "kita_distance").unwrap();
            assert!(!kita.used, "a Kita distance never enters the score");
            assert_eq!(kita.role, scoring::criteria::Role::Shown);
            assert!(!kita.note.is_empty());
        }
        let kita0 = e0.parts.iter().find(|p| p.part == "kita_distance").unwrap();
        assert!(kita0.value.is_some());
        match lang {
            Lang::En => {
                assert!(
                    e0.sentence.contains("care rate for under-3s"),
                    "{}",
                    e0.sentence
                );
                assert!(
                    e0.sentence.contains("shown, not scored: Kita"),
                    "{}",
                    e0.sentence
                );
                assert!(
                    !e1.sentence.contains("shown, not scored"),
                    "{}",
                    e1.sentence
                );
            }
            Lang::De => {
                assert!(
                    e0.sentence.contains("nur gezeigt, nicht bewertet: Kita"),
                    "{}",
                    e0.sentence
                );
            }
        }
    }
    // A child of 4: the 3–5 rate.
    let mut q = p.clone();
    q.children = vec![4];
    let c = ranker.compare(&q, &rows).unwrap();
    let e = &c.municipalities[1].explanations[0];
    assert_eq!(e.unit, "%");
    assert!(e.sentence.contains("3–5"), "{}", e.sentence);
}

#[test]
fn compare_and_what_if() {
    let atlas = synthetic::atlas(100, 9);
    let ranker = Ranker::new(&atlas).unwrap();
    let p = family(&atlas);
    assert!(matches!(
        ranker.compare(&p, &[&atlas.municipalities[0].ags]),
        Err(RequestError::Count { found: 1 })
    ));
    assert!(matches!(
        ranker.compare(&p, &["Ort 001", "Nowhere"]),
        Err(RequestError::NotFound { .. })
    ));
    assert!(matches!(
        ranker.compare(&p, &["Ort 00", "Ort 001"]),
        Err(RequestError::Ambiguous { .. })
    ));
    let c = ranker
        .compare(&p, &["Ort 001", "ort 002", &atlas.municipalities[3].ags])
        .unwrap();
    assert_eq!(c.municipalities.len(), 3);
    for m in &c.municipalities {
        assert_eq!(
            m.explanations.len(),
            c.criteria
                .iter()
                .filter(|c| c.available && c.weight > 0.0)
                .count()
        );
    }
    let w = ranker
        .what_if(&p, &Change::RentBudgetPct(30.0), &RankOptions::default())
        .unwrap();
    assert!((w.profile_after.rent_budget_eur.unwrap() - 1170.0).abs() < 1e-9);
    assert!(!w.moves.is_empty());
    for m in &w.moves {
        if let (Place::Ranked { rank: b, .. }, Place::Ranked { rank: a, .. }) = (m.before, m.after)
        {
            assert_eq!(m.moved_up, Some(b as i64 - a as i64));
        }
    }
    let older = ranker
        .what_if(&p, &Change::ChildrenOlder(5), &RankOptions::bare())
        .unwrap();
    // Children 7 and 11: childcare off, secondary school on.
    let ids: Vec<Criterion> = older.after.criteria.iter().map(|c| c.criterion).collect();
    assert!(!ids.contains(&Criterion::Childcare) && ids.contains(&Criterion::SecondarySchool));
    let j = serde_json::to_value(&older).unwrap();
    assert!(j["moves"].is_array());
}

#[test]
fn options_read_from_json_with_defaults() {
    let o: RankOptions = serde_json::from_str(r#"{"explain_top": 3}"#).unwrap();
    assert_eq!(o.explain_top, 3);
    assert_eq!(o.robustness, Some(Robustness::default()));
    let o: RankOptions = serde_json::from_str(r#"{"robustness": null}"#).unwrap();
    assert_eq!(o.robustness, None);
    assert!(serde_json::from_str::<RankOptions>(r#"{"explain": 3}"#).is_err());
}

#[test]
fn workplace_errors_name_the_field() {
    let atlas = synthetic::atlas(30, 1);
    let ranker = Ranker::new(&atlas).unwrap();
    let mut p = Profile::new(1);
    p.workplace = vec![Workplace::Place("Atlantis".into())];
    let e = ranker.rank(&p, &RankOptions::bare()).unwrap_err();
    assert_eq!(e.field, "workplace");
    p.workplace = vec![Workplace::Place("Ort".into())];
    let e = ranker.rank(&p, &RankOptions::bare()).unwrap_err();
    assert!(e.problem.contains("several"), "{e}");
    p.workplace = vec![Workplace::Code(
        atlas.municipalities[2].ags.parse().unwrap(),
    )];
    let r = ranker.rank(&p, &RankOptions::bare()).unwrap();
    assert_eq!(
        r.workplaces[0].ags.as_deref(),
        Some(atlas.municipalities[2].ags.as_str())
    );
}

#[test]
fn geometric_mean_punishes_a_zero() {
    let mut atlas = synthetic::atlas(40, 2);
    // Row 5: wonderful everything, but no Grundschule within reach.
    set(&mut atlas, "car_min_primary_school", 5, Some(40.0));
    let ranker = Ranker::new(&atlas).unwrap();
    let mut p = family(&atlas);
    let ags = atlas.municipalities[5].ags.clone();
    let a = ranker.rank(&p, &RankOptions::bare()).unwrap();
    p.aggregation = scoring::profile::Aggregation::Geometric;
    let g = ranker.rank(&p, &RankOptions::bare()).unwrap();
    let sa = a
        .ranked
        .iter()
        .find(|x| x.ags == ags)
        .map(|x| x.score)
        .unwrap();
    let sg = g
        .ranked
        .iter()
        .find(|x| x.ags == ags)
        .map(|x| x.score)
        .unwrap();
    assert!(sg < sa * 0.8, "{sg} vs {sa}");
}

#[test]
fn both_languages_explain_every_criterion() {
    let atlas = synthetic::atlas(80, 6);
    let ranker = Ranker::new(&atlas).unwrap();
    let mut p = family(&atlas);
    p.children = vec![1, 7, 12];
    p.income_eur = Some(4000.0);
    p.town_size = Some(TownSize::SmallTown);
    p.workplace.push(Workplace::Point(scoring::profile::LatLon {
        lat: 51.0,
        lon: 13.7,
    }));
    for lang in [Lang::De, Lang::En] {
        p.lang = lang;
        for car in [true, false] {
            p.car = car;
            let r = ranker.rank(&p, &RankOptions::default()).unwrap();
            let top = &r.ranked[0];
            assert_eq!(top.explanations.len(), Criterion::COUNT, "all criteria on");
            for e in &top.explanations {
                assert!(
                    e.sentence.len() > 20 && e.sentence.ends_with('.'),
                    "{:?}",
                    e.sentence
                );
            }
            assert!(!top.help.is_empty());
            assert!(!top.context.is_empty());
        }
    }
}

/// A town's entry does not depend on what it is compared with: explained alone, beside another
/// town, and named twice (which once counted its weights twice, halving shares and
/// contributions), it is the same.
#[test]
fn a_town_is_explained_the_same_alone_beside_another_and_named_twice() {
    let atlas = synthetic::atlas(100, 9);
    let ranker = Ranker::new(&atlas).unwrap();
    let p = family(&atlas);
    let ags = atlas.municipalities[4].ags.as_str();
    let other = atlas.municipalities[7].ags.as_str();
    let entry =
        |c: scoring::rank::Comparison<'_>| serde_json::to_value(&c.municipalities[0]).unwrap();
    let alone = ranker.explain(&p, ags).unwrap();
    assert_eq!(alone.municipalities.len(), 1);
    let alone = entry(alone);
    assert_eq!(alone, entry(ranker.compare(&p, &[ags, other]).unwrap()));
    assert_eq!(alone, entry(ranker.compare(&p, &[ags, ags]).unwrap()));
    let shares: f64 = alone["explanations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["share"].as_f64().unwrap())
        .sum();
    assert!((shares - 1.0).abs() < 1e-9, "shares sum to {shares}");
    assert!(matches!(
        ranker.explain(&p, "Nowhere"),
        Err(RequestError::NotFound { .. })
    ));
}

#[test]
fn the_commute_limit_and_essential_vetoes_hold_in_both_aggregations() {
    use scoring::rank::SetBy;
    let atlas = synthetic::atlas(120, 3);
    let ranker = Ranker::new(&atlas).unwrap();
    let mut p = family(&atlas);
    p.max_commute_min = None;
    p.weights.insert("primary_school".into(), 5.0);
    let mut seen = Vec::new();
    for aggregation in [Aggregation::Arithmetic, Aggregation::Geometric] {
        p.aggregation = aggregation;
        let r = ranker.rank(&p, &RankOptions::default()).unwrap();
        let limit = r.commute_limit.unwrap();
        assert_eq!(limit.set_by, SetBy::Default);
        assert_eq!(
            limit.minutes,
            scoring::criteria::COMMUTE_LIMIT_DEFAULT_MIN.value
        );
        let floor = r
            .criteria
            .iter()
            .find(|c| c.criterion == Criterion::PrimarySchool)
            .and_then(|c| c.essential_floor);
        assert_eq!(floor, Some(scoring::criteria::ESSENTIAL_FLOOR.value));
        let kinds = |want: fn(&Limit) -> bool| r.excluded.iter().filter(|e| want(&e.limit)).count();
        assert!(kinds(|l| matches!(l, Limit::MaxCommuteMin { .. })) > 0);
        assert!(kinds(|l| matches!(l, Limit::Essential { .. })) > 0);
        // No ranked town is beyond a veto, and each explained one is within the limit.
        for x in &r.ranked {
            assert!(!r.excluded.iter().any(|e| e.ags == x.ags));
        }
        for e in &r.excluded {
            assert!(e.by > 0.0 && r.describe_exclusion(e).ends_with('.'));
        }
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(
            json["commute_limit"],
            serde_json::json!({"minutes": limit.minutes, "set_by": "default"})
        );
        assert!(json["excluded"].as_array().unwrap().iter().any(|e| {
            e["limit"] == "essential"
                && e["criterion"] == "primary_school"
                && e["unit"] == "utility"
        }));
        // Exclusions stay grouped by municipality in AGS order.
        assert!(r.excluded.windows(2).all(|w| w[0].ags <= w[1].ags));
        let mut out: Vec<&str> = r.excluded.iter().map(|e| e.ags).collect();
        out.dedup();
        seen.push(out);
    }
    assert_eq!(seen[0], seen[1], "the same towns are vetoed in either mean");
}

#[test]
fn when_every_town_is_excluded_a_note_names_the_nearest_miss() {
    let atlas = synthetic::atlas(60, 5);
    let ranker = Ranker::new(&atlas).unwrap();
    let mut p = Profile::new(1);
    // A workplace far outside the region: every town is beyond the default hour.
    p.workplace = vec![Workplace::Point(scoring::profile::LatLon {
        lat: 54.0,
        lon: 10.0,
    })];
    p.lang = Lang::En;
    let r = ranker.rank(&p, &RankOptions::default()).unwrap();
    assert!(r.ranked.is_empty() && r.excluded.len() == atlas.municipalities.len());
    let note = r.notes.iter().find(|n| n.code == "all_excluded").unwrap();
    let nearest = r
        .excluded
        .iter()
        .min_by(|a, b| a.by.total_cmp(&b.by))
        .unwrap();
    assert!(note.text.contains(nearest.name), "{}", note.text);
    assert!(
        note.text
            .contains("raise it under “Longest acceptable commute”, in a profile max_commute_min"),
        "{}",
        note.text
    );
    // Raised past the nearest town's minutes, that town comes back.
    p.max_commute_min = Some(nearest.value.ceil());
    let r = ranker.rank(&p, &RankOptions::default()).unwrap();
    assert!(r.ranked.iter().any(|x| x.ags == nearest.ags));
    assert!(!r.notes.iter().any(|n| n.code == "all_excluded"));
    p.lang = Lang::De;
    p.max_commute_min = None;
    let r = ranker.rank(&p, &RankOptions::default()).unwrap();
    let note = r.notes.iter().find(|n| n.code == "all_excluded").unwrap();
    assert!(note.text.starts_with("Keine Gemeinde"), "{}", note.text);
}

/// A compared town that a limit excludes carries one sentence per miss, the ranking's own
/// (issue 14: `lotse compare` and the API say why in words, not as raw limit data).
#[test]
fn an_excluded_town_in_a_comparison_says_why_in_sentences() {
    let atlas = synthetic::atlas(120, 3);
    let ranker = Ranker::new(&atlas).unwrap();
    let mut p = family(&atlas);
    p.max_commute_km = Some(30.0);
    let r = ranker.rank(&p, &RankOptions::bare()).unwrap();
    let far = r.excluded.first().expect("a town beyond 30 km").ags;
    let near = r.ranked[0].ags;
    let cmp = ranker.compare(&p, &[near, far]).unwrap();
    let row = cmp.municipalities.iter().find(|m| m.ags == far).unwrap();
    let Status::Excluded { misses, reasons } = &row.status else {
        panic!("{far} is excluded in the ranking");
    };
    assert_eq!(misses.len(), reasons.len());
    for (m, reason) in misses.iter().zip(reasons) {
        assert_eq!(reason, &r.describe_exclusion(m));
        assert!(reason.ends_with('.') && !reason.contains('{'), "{reason}");
    }
}

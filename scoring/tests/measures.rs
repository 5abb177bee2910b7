//! On the real (bundled) atlas: every criterion measures every municipality the same way.
//!
//! - childcare: a toddler family's childcare utility does not depend on whether Kita points
//!   happen to be mapped in a town (mapped and unmapped towns of one district within 3 points on
//!   average);
//! - a household without a car is never told car minutes as if it drove.

use scoring::Criterion;
use scoring::atlas::Atlas;
use scoring::profile::{Lang, Profile};
use scoring::rank::{RankOptions, Ranker};
use std::collections::BTreeMap;
use std::sync::OnceLock;

static ATLAS_JSON: &str = include_str!("../../atlas/saxony.json");

fn atlas() -> &'static Atlas {
    static ATLAS: OnceLock<Atlas> = OnceLock::new();
    ATLAS.get_or_init(|| serde_json::from_str(ATLAS_JSON).expect("atlas/saxony.json is an Atlas"))
}

/// Every ranked municipality explained, nothing else.
fn explain_all() -> RankOptions {
    RankOptions {
        explain_top: usize::MAX,
        pareto: false,
        robustness: None,
    }
}

fn toddler_family(car: bool) -> Profile {
    let mut p = Profile::new(2);
    p.children = vec![1];
    p.car = car;
    p.lang = Lang::En;
    p
}

#[test]
fn mapped_kitas_do_not_move_childcare_against_unmapped_neighbours() {
    let atlas = atlas();
    let kita = atlas
        .indicators
        .iter()
        .find(|i| i.meta.id == "childcare_distance_km")
        .expect("the atlas maps some Kitas");
    let mapped: BTreeMap<&str, bool> = atlas
        .municipalities
        .iter()
        .zip(&kita.values)
        .map(|(m, v)| (m.ags.as_str(), v.is_some()))
        .collect();
    let ranker = Ranker::new(atlas).unwrap();
    for car in [true, false] {
        let ranking = ranker.rank(&toddler_family(car), &explain_all()).unwrap();
        // district → (sum, count) of childcare utilities, [unmapped, mapped]
        let mut by_district: BTreeMap<&str, [(f64, u32); 2]> = BTreeMap::new();
        for row in &ranking.ranked {
            let e = row
                .explanations
                .iter()
                .find(|e| e.criterion == Criterion::Childcare)
                .unwrap();
            let Some(u) = e.utility else { continue };
            let slot = &mut by_district.entry(row.district).or_default()[mapped[row.ags] as usize];
            slot.0 += u;
            slot.1 += 1;
        }
        let mut compared = 0;
        for (district, [unmapped, mapped]) in &by_district {
            if unmapped.1 == 0 || mapped.1 == 0 {
                continue;
            }
            compared += 1;
            let diff = mapped.0 / mapped.1 as f64 - unmapped.0 / unmapped.1 as f64;
            assert!(
                diff.abs() <= 3.0,
                "{district}: mapped towns differ by {diff:.1} points from unmapped ones (car {car})"
            );
        }
        assert!(compared >= 2, "districts with both kinds: {compared}");
    }
}

#[test]
fn a_mapped_kita_is_shown_beside_the_score() {
    let ranker = Ranker::new(atlas()).unwrap();
    let c = ranker
        .compare(&toddler_family(true), &["Chemnitz", "Lichtenau"])
        .unwrap();
    let chemnitz = &c.municipalities[0].explanations[0];
    assert_eq!(chemnitz.criterion, Criterion::Childcare);
    let kita = chemnitz
        .parts
        .iter()
        .find(|p| p.part == "kita_distance")
        .unwrap();
    assert!(kita.value.is_some() && !kita.used);
    assert!(
        chemnitz.sentence.contains("shown, not scored: Kita"),
        "{}",
        chemnitz.sentence
    );
    // Scored on the district care rate, as every town is.
    assert_eq!(chemnitz.unit, "%");
    assert_eq!(c.municipalities[1].explanations[0].unit, "%");
}

#[test]
fn a_household_without_a_car_is_never_told_car_minutes_as_if_it_drove() {
    let ranker = Ranker::new(atlas()).unwrap();
    for (lang, by_car, only) in [
        (Lang::En, " by car", "only car minutes are known"),
        (Lang::De, " mit dem Auto", "nur Autominuten sind bekannt"),
    ] {
        for children in [vec![], vec![1, 8]] {
            let mut p = toddler_family(false);
            p.children = children;
            p.lang = lang;
            p.workplace = vec![scoring::profile::Workplace::Place("Leipzig".into())];
            let ranking = ranker.rank(&p, &explain_all()).unwrap();
            let everyday = ranking
                .criteria
                .iter()
                .find(|c| c.criterion == Criterion::EverydayServices)
                .unwrap();
            assert_eq!(everyday.weight, 1.0, "weighted down without a car");
            let mut seen = 0;
            for row in &ranking.ranked {
                for e in &row.explanations {
                    if e.sentence.contains(by_car) {
                        seen += 1;
                        assert!(e.sentence.contains(only), "{}", e.sentence);
                    }
                    // Without a car the pool part reads pools of every kind, and says so.
                    assert!(
                        !e.sentence.contains("outdoor pool")
                            && !e.sentence.contains("Freibad im Mittel"),
                        "{}",
                        e.sentence
                    );
                }
            }
            assert!(seen > 0, "car-minute parts exist and are explained");
            // With a car the minutes are what they say, and no such remark appears.
            p.car = true;
            let ranking = ranker.rank(&p, &explain_all()).unwrap();
            for row in &ranking.ranked {
                for e in &row.explanations {
                    assert!(!e.sentence.contains(only), "{}", e.sentence);
                }
            }
        }
    }
}

/// The median resident's value of an atlas indicator, computed here from the atlas alone.
fn median_resident(atlas: &Atlas, id: &str) -> f64 {
    let col = |id: &str| {
        &atlas
            .indicators
            .iter()
            .find(|i| i.meta.id == id)
            .unwrap()
            .values
    };
    let mut v: Vec<(f64, f64)> = col(id)
        .iter()
        .zip(col("population"))
        .filter_map(|(x, p)| Some(((*x)?, (*p)?)))
        .collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let half = v.iter().map(|p| p.1).sum::<f64>() / 2.0;
    let mut below = 0.0;
    v.into_iter()
        .find(|&(_, p)| {
            below += p;
            below > half
        })
        .unwrap()
        .0
}

#[test]
fn medians_are_the_median_residents_and_say_so() {
    let atlas = atlas();
    let ranker = Ranker::new(atlas).unwrap();
    let mut p = toddler_family(true);
    p.rent_budget_eur = Some(900.0);
    p.children = vec![2, 6];
    let expected = median_resident(atlas, "rent_new_lease_estimate_eur_m2") * 90.0;
    for (lang, words) in [
        (Lang::En, "median resident in Saxony"),
        (Lang::De, "Median der Einwohner in Sachsen"),
    ] {
        p.lang = lang;
        let ranking = ranker.rank(&p, &RankOptions::default()).unwrap();
        let e = ranking.ranked[0]
            .explanations
            .iter()
            .find(|e| e.criterion == Criterion::Affordability)
            .unwrap();
        let median = e.median.unwrap();
        assert!((median - expected).abs() < 1e-6, "{median} vs {expected}");
        // The median resident pays more than the median municipality (a village).
        assert!(median > 560.0, "{median}");
        // Said once per criterion beside the sentence, not in it.
        assert!(e.median_text.contains(words), "{}", e.median_text);
        assert!(!e.sentence.contains(words), "{}", e.sentence);
        assert!(e.sentence_in_full().contains(words));
        let crit = ranking
            .criteria
            .iter()
            .find(|c| c.criterion == Criterion::Affordability)
            .unwrap();
        assert_eq!(crit.median_text, e.median_text);
        let primary = ranking.ranked[0]
            .explanations
            .iter()
            .find(|e| e.criterion == Criterion::PrimarySchool)
            .unwrap();
        assert_eq!(
            primary.median,
            Some(median_resident(atlas, "car_min_primary_school"))
        );
        assert!(
            primary.median_text.contains(words),
            "{}",
            primary.median_text
        );
    }
}

#[test]
fn a_warm_budget_is_compared_with_the_warm_rent_and_says_so() {
    use scoring::criteria::{OPERATING_COSTS_EUR_M2, RENT_BUDGET_RATIO};
    use scoring::profile::RentBasis;
    let ranker = Ranker::new(atlas()).unwrap();
    let mut cold = toddler_family(true);
    cold.children = vec![2, 6];
    cold.rent_budget_eur = Some(900.0);
    let mut warm = cold.clone();
    warm.rent_budget_basis = RentBasis::Warm;
    let extra = 90.0 * OPERATING_COSTS_EUR_M2.value;
    let towns = ["Dresden", "Freital", "Zittau"];
    for lang in [Lang::En, Lang::De] {
        cold.lang = lang;
        warm.lang = lang;
        let c = ranker.compare(&cold, &towns).unwrap();
        let w = ranker.compare(&warm, &towns).unwrap();
        for (mc, mw) in c.municipalities.iter().zip(&w.municipalities) {
            let find = |m: &'_ scoring::rank::Compared<'_>| {
                m.explanations
                    .iter()
                    .find(|e| e.criterion == Criterion::Affordability)
                    .map(|e| (e.value, e.utility, e.sentence_in_full().to_string()))
                    .unwrap()
            };
            let (ec, ew) = (find(mc), find(mw));
            let cost = ec.0.unwrap();
            assert_eq!(ew.0, Some(cost), "the cold rent of the flat is the same");
            let expected = RENT_BUDGET_RATIO.eval((cost + extra) / 900.0);
            assert!((ew.1.unwrap() - expected).abs() < 1e-9);
            assert!(ew.1 < ec.1, "a warm budget buys less flat");
            let (cold_words, warm_words, figure) = match lang {
                Lang::En => ("cold-rent budget", "warm-rent budget", "2.51 €/m²"),
                Lang::De => (
                    "Budgets für die Kaltmiete",
                    "Budgets für die Warmmiete",
                    "2,51 €/m²",
                ),
            };
            assert!(ec.2.contains(cold_words), "{}", ec.2);
            assert!(ew.2.contains(warm_words), "{}", ew.2);
            assert!(ew.2.contains(figure), "{}", ew.2);
        }
    }
    // The limit compares the same: warm rent against a warm budget.
    warm.must.rent_within_budget = true;
    warm.lang = Lang::En;
    let ranking = ranker.rank(&warm, &RankOptions::bare()).unwrap();
    let miss = ranking
        .excluded
        .iter()
        .find(|x| x.limit == scoring::rank::Limit::RentWithinBudget)
        .expect("some town is over a warm budget of 900 €");
    let cold_cost = {
        let c = ranker.explain(&cold, miss.ags).unwrap();
        c.municipalities[0]
            .explanations
            .iter()
            .find(|e| e.criterion == Criterion::Affordability)
            .and_then(|e| e.value)
            .unwrap()
    };
    assert!((miss.value - (cold_cost + extra)).abs() < 1e-9);
    assert!(!ranking.describe_exclusion(miss).contains("cold"));
    // A warm basis without a budget is refused, naming the field.
    let mut p = toddler_family(true);
    p.rent_budget_basis = RentBasis::Warm;
    assert_eq!(p.validate().unwrap_err().field, "rent_budget_basis");
    let p =
        Profile::from_json(r#"{"adults": 1, "rent_budget_eur": 700, "rent_budget_basis": "warm"}"#)
            .unwrap();
    assert_eq!(p.rent_budget_basis, RentBasis::Warm);
}

/// Profiles an answer is measured with: a family with a workplace and a budget, a single
/// without a car, teenagers with an income.
fn lean_profiles() -> Vec<Profile> {
    let family =
        r#"{"adults": 2, "children": [2, 6], "rent_budget_eur": 900, "workplace": "Dresden"}"#;
    let single =
        r#"{"adults": 1, "income_eur": 3000, "workplace": "Leipzig", "car": false, "lang": "en"}"#;
    let teens = r#"{"adults": 2, "children": [12, 15], "rent_budget_eur": 1000, "income_eur": 4200, "workplace": "Chemnitz"}"#;
    [family, single, teens]
        .into_iter()
        .map(|p| Profile::from_json(p).unwrap())
        .collect()
}

#[test]
fn what_every_row_shares_is_in_the_criteria_once() {
    let ranker = Ranker::new(atlas()).unwrap();
    for p in lean_profiles() {
        let ranking = ranker.rank(&p, &explain_all()).unwrap();
        for row in &ranking.ranked {
            assert_eq!(
                ranking.context,
                scoring::rank::ContextInfo::of_row(&row.context),
                "{}",
                row.name
            );
            for e in &row.explanations {
                let c = ranking
                    .criteria
                    .iter()
                    .find(|c| c.criterion == e.criterion)
                    .unwrap();
                assert_eq!((c.label, c.weight), (e.label, e.weight));
                if e.criterion != Criterion::Commute || ranking.workplaces.len() == 1 {
                    assert_eq!(
                        (c.unit, c.median, c.resolution, c.estimate),
                        (e.unit, e.median, e.resolution, e.estimate),
                        "{} in {}",
                        e.criterion.id(),
                        row.name
                    );
                }
                let parts: Vec<_> = e
                    .parts
                    .iter()
                    .map(scoring::rank::explanation::PartInfo::of)
                    .collect();
                assert_eq!(c.parts, parts, "{} in {}", e.criterion.id(), row.name);
            }
        }
    }
}

/// An explained row carries only what differs between municipalities (figures, utilities,
/// sentences); labels, units, medians, levels and context descriptions are in the answer once.
/// Measured on the bundled atlas (serde_json, plain), family with a workplace in Dresden: 173 kB
/// when every row repeated them, 128 kB now. Of that, the 418 rows without their explanations
/// are 57 kB (rank, AGS, name, district, score, coverage); the 10 explanations add 7.1 kB a
/// row, of which the sentences are 1.9 kB and the district's help contacts 1.3 kB.
#[test]
fn a_ranking_with_ten_explained_rows_is_lean() {
    let ranker = Ranker::new(atlas()).unwrap();
    for p in lean_profiles() {
        let full = ranker.rank(&p, &RankOptions::default()).unwrap();
        assert_eq!(
            full.ranked
                .iter()
                .filter(|x| !x.explanations.is_empty())
                .count(),
            10
        );
        let bare = RankOptions {
            explain_top: 0,
            ..RankOptions::default()
        };
        let bare = ranker.rank(&p, &bare).unwrap();
        let (full, bare) = (
            serde_json::to_vec(&full).unwrap().len(),
            serde_json::to_vec(&bare).unwrap().len(),
        );
        let per_row = (full - bare) / 10;
        eprintln!("{full} bytes, {bare} without explanations, {per_row} per explained row");
        // About 11.6 kB a row when labels, units and medians were repeated in every row.
        assert!(per_row <= 7_500, "{per_row} bytes per explained row");
    }
}

//! The JSON answer stays lean (issue 13, item 7): a ranking with 10 explained rows is at most
//! 60 kB plain for households as most ask (at most 75 kB for demanding ones), on the real
//! atlas, and the lean form loses nothing —
//! the detailed rows and the `rest` columns are every ranked municipality in rank order, the
//! exclusion groups every missed limit, `help` every explained row's contacts.

use scoring::atlas::Atlas;
use scoring::profile::Profile;
use scoring::rank::{RankOptions, Ranker};
use serde_json::Value;
use std::collections::BTreeSet;
use std::sync::OnceLock;

static ATLAS_JSON: &str = include_str!("../../atlas/saxony.json");

fn atlas() -> &'static Atlas {
    static ATLAS: OnceLock<Atlas> = OnceLock::new();
    ATLAS.get_or_init(|| serde_json::from_str(ATLAS_JSON).expect("atlas/saxony.json is an Atlas"))
}

/// The goal: a ranking with 10 explained rows, plain JSON, for a household with at most one
/// workplace and at most one hard limit of its own besides the commute.
const MAX_BYTES: usize = 60_000;

/// Demanding households (several workplaces, each explained in every row; several hard
/// limits, each listing the towns that miss it) get longer answers, by design: bounded here.
const MAX_BYTES_DEMANDING: usize = 75_000;

/// Households as most ask: no workplace (every municipality ranked), one workplace with and
/// without a car (hundreds excluded by the commute limit), a distance limit on top (towns
/// excluded twice), a must, the geometric mean.
const TYPICAL: &[&str] = &[
    r#"{"adults": 2, "children": [2]}"#,
    r#"{"adults": 1}"#,
    r#"{"adults": 2, "children": [2, 6], "rent_budget_eur": 900, "workplace": "14612000", "max_commute_km": 50}"#,
    r#"{"adults": 2, "children": [1, 6], "rent_budget_eur": 1000, "workplace": "Leipzig", "car": false}"#,
    r#"{"adults": 2, "children": [12, 15], "workplace": "Görlitz", "must": {"within_km": {"gymnasium": 10}}}"#,
    r#"{"adults": 2, "children": [1], "workplace": "Görlitz", "car": false}"#,
    r#"{"adults": 2, "children": [4], "workplace": "Freiberg", "aggregation": "geometric", "town_size": "small_town", "weights": {"leisure": 5, "health": 5}}"#,
    r#"{"adults": 2, "children": [3, 9, 14], "workplace": "Plauen", "car": false, "rent_budget_eur": 1400, "rent_budget_basis": "warm", "income_eur": 4500}"#,
];

/// Households that make answers large: two or three workplaces, four hard limits.
const DEMANDING: &[&str] = &[
    r#"{"adults": 2, "children": [3, 9], "workplace": ["Dresden", "Chemnitz"], "rent_budget_eur": 1200, "income_eur": 4000}"#,
    r#"{"adults": 2, "children": [3, 9, 14], "workplace": ["Dresden", "Chemnitz", "Leipzig"], "car": false, "max_commute_min": 120, "rent_budget_eur": 1400, "rent_budget_basis": "warm", "income_eur": 4500}"#,
    r#"{"adults": 2, "children": [8, 12], "workplace": "Zwickau", "max_commute_km": 30, "rent_budget_eur": 800, "must": {"within_km": {"gymnasium": 8, "primary_school": 3}, "rent_within_budget": true, "min_population": 3000}}"#,
];

/// The largest answer (bytes, which) of `profiles` in both languages, each printed.
fn largest(ranker: &Ranker<'_>, profiles: &[&str]) -> (usize, String) {
    let mut largest = (0, String::new());
    for p in profiles {
        for lang in ["de", "en"] {
            let mut v: Value = serde_json::from_str(p).unwrap();
            v["lang"] = Value::from(lang);
            let profile: Profile = serde_json::from_value(v).unwrap();
            let ranking = ranker.rank(&profile, &RankOptions::default()).unwrap();
            let bytes = serde_json::to_vec(&ranking).unwrap().len();
            println!("{bytes:>7} B  {lang}  {p}");
            if bytes > largest.0 {
                largest = (bytes, format!("{lang} {p}"));
            }
        }
    }
    largest
}

#[test]
fn a_ranking_with_ten_explained_rows_is_at_most_60_kb() {
    let ranker = Ranker::new(atlas()).unwrap();
    for (profiles, max) in [(TYPICAL, MAX_BYTES), (DEMANDING, MAX_BYTES_DEMANDING)] {
        let (bytes, which) = largest(&ranker, profiles);
        println!("largest: {bytes} B ({which})");
        assert!(bytes <= max, "{bytes} B > {max} B for {which}");
    }
}

#[test]
fn the_lean_form_carries_every_row_exclusion_and_contact() {
    let ranker = Ranker::new(atlas()).unwrap();
    for p in TYPICAL.iter().chain(DEMANDING) {
        let profile: Profile = serde_json::from_str(p).unwrap();
        let ranking = ranker.rank(&profile, &RankOptions::default()).unwrap();
        let json: Value = serde_json::to_value(&ranking).unwrap();
        // Ranked: detailed rows, then the rest's columns, in rank order.
        let detailed = json["ranked"].as_array().unwrap();
        let rest = &json["rest"];
        let mut order: Vec<(u64, String)> = detailed
            .iter()
            .map(|r| {
                (
                    r["rank"].as_u64().unwrap(),
                    r["ags"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let first = rest["first_rank"].as_u64().unwrap();
        assert_eq!(first, detailed.len() as u64 + 1, "{p}");
        let ags = rest["ags"].as_array().unwrap();
        assert_eq!(rest["score"].as_array().unwrap().len(), ags.len());
        assert_eq!(rest["weight_coverage"].as_array().unwrap().len(), ags.len());
        order.extend(
            ags.iter()
                .enumerate()
                .map(|(i, a)| (first + i as u64, a.as_str().unwrap().to_string())),
        );
        let expected: Vec<(u64, String)> = ranking
            .ranked
            .iter()
            .map(|r| (r.rank as u64, r.ags.to_string()))
            .collect();
        assert_eq!(order, expected, "{p}");
        for (i, s) in rest["score"].as_array().unwrap().iter().enumerate() {
            let full = ranking.ranked[detailed.len() + i].score;
            assert!((s.as_f64().unwrap() - full).abs() <= 0.0005, "{p}");
        }
        // Excluded: every (municipality, limit) once, across the groups; a group's limit is
        // its fields but the columns (the limit's tag with its workplace, criterion or
        // facility).
        let mut pairs = BTreeSet::new();
        for g in json["excluded"].as_array().unwrap() {
            let mut limit = serde_json::Map::new();
            for (k, v) in g.as_object().unwrap() {
                if !["ags", "value", "threshold", "unit"].contains(&k.as_str()) {
                    limit.insert(k.clone(), v.clone());
                }
            }
            let limit = Value::Object(limit).to_string();
            for a in g["ags"].as_array().unwrap() {
                let fresh = pairs.insert((a.as_str().unwrap().to_string(), limit.clone()));
                assert!(fresh, "{p}: {a} twice in {limit}");
            }
        }
        let expected: BTreeSet<(String, String)> = ranking
            .excluded
            .iter()
            .map(|e| {
                let limit = serde_json::to_value(e.limit).unwrap().to_string();
                (e.ags.to_string(), limit)
            })
            .collect();
        assert_eq!(pairs, expected, "{p}");
        // Help: every explained row's contacts, by district code, each contact once.
        let help = json["help"].as_array().cloned().unwrap_or_default();
        let names: BTreeSet<&str> = help.iter().map(|h| h["name"].as_str().unwrap()).collect();
        assert_eq!(names.len(), help.len(), "{p}: a contact twice");
        for row in ranking.ranked.iter().filter(|r| !r.explanations.is_empty()) {
            for h in &row.help {
                assert!(names.contains(h.name.as_str()), "{p}: {}", h.name);
                assert!(
                    h.district_ags5
                        .iter()
                        .any(|d| row.ags.starts_with(d.as_str()))
                );
            }
        }
    }
}

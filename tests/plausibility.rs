//! Rankings a local would trust (issue 13, item 8): on the real (bundled) atlas, for workplaces
//! all over Saxony (every town of 15,000 residents or more), with and without a car, for a
//! toddler family, a teen family and a single, the top 10 must be towns a local would put on
//! the list.
//!
//! - Every top-10 town is within the commute limit in force: its estimated one-way commute has
//!   a positive utility (the default limit is the commute curve's zero point), and it lies within
//!   a day-to-day distance of the workplace (road estimate ≤ [`MAX_ROAD_KM`]).
//! - Without a car, every top-10 town can be lived in without one: a railway station within
//!   [`NO_CAR_STATION_KM`] of where people live (population-weighted mean), or at least
//!   [`NO_CAR_TRANSIT_PCT`] % of residents near a stop with ≥ 20 departures a day.
//! - The ranking says which limit is in force.
//!
//! The thresholds are what a local would accept, not what the model computes: 60 minutes is the
//! commute curve's zero point; the no-car minimum lets through 407 of 418 municipalities, so it
//! only rejects the ones nobody without a car would choose.

use scoring::Criterion;
use scoring::atlas::Atlas;
use scoring::profile::Profile;
use scoring::rank::{RankOptions, Ranker, Ranking};
use std::sync::OnceLock;

/// Road-distance estimate (km) beyond which a daily commute is not what a local would suggest.
const MAX_ROAD_KM: f64 = 100.0;
/// A household without a car needs a station within this distance (km, from where people live)…
const NO_CAR_STATION_KM: f64 = 5.0;
/// …or this share (%) of residents near a stop with at least 20 departures a day.
const NO_CAR_TRANSIT_PCT: f64 = 50.0;

/// Workplaces: every municipality of at least this many residents (42 in the bundled atlas,
/// from Leipzig and Dresden to Mittelzentren such as Marienberg, Zittau or Oschatz).
const WORKPLACE_MIN_RESIDENTS: f64 = 15_000.0;

/// The AGS of every workplace of the suite (see [`WORKPLACE_MIN_RESIDENTS`]).
fn workplaces() -> Vec<&'static str> {
    let atlas = atlas();
    let found: Vec<&str> = atlas
        .municipalities
        .iter()
        .filter(|m| {
            value(atlas, "population", &m.ags).is_some_and(|p| p >= WORKPLACE_MIN_RESIDENTS)
        })
        .map(|m| m.ags.as_str())
        .collect();
    assert!(found.len() >= 30, "only {} workplaces", found.len());
    found
}

fn atlas() -> &'static Atlas {
    static ATLAS: OnceLock<Atlas> = OnceLock::new();
    ATLAS.get_or_init(|| datasets::atlas_file::bundled().expect("the bundled atlas loads"))
}

fn value(atlas: &Atlas, indicator: &str, ags: &str) -> Option<f64> {
    let row = atlas.municipalities.iter().position(|m| m.ags == ags)?;
    let ind = atlas.indicators.iter().find(|i| i.meta.id == indicator)?;
    ind.values[row]
}

/// The households of the suite: (name, profile JSON without workplace and car).
const HOUSEHOLDS: [(&str, &str); 3] = [
    (
        "toddler family",
        r#""adults": 2, "children": [1], "rent_budget_eur": 900"#,
    ),
    (
        "teen family",
        r#""adults": 2, "children": [13, 16], "rent_budget_eur": 1000"#,
    ),
    ("single", r#""adults": 1, "rent_budget_eur": 650"#),
];

fn each_ranking(mut check: impl FnMut(&str, &Ranking<'_>)) {
    let ranker = Ranker::new(atlas()).expect("the atlas ranks");
    for wp in workplaces() {
        for car in [true, false] {
            for (who, fields) in HOUSEHOLDS {
                let json =
                    format!(r#"{{{fields}, "car": {car}, "workplace": "{wp}", "lang": "en"}}"#);
                let profile = Profile::from_json(&json).expect("profile");
                let ranking = ranker
                    .rank(&profile, &RankOptions::default())
                    .expect("ranks");
                let label = format!(
                    "{who}, workplace {} ({wp}), {}",
                    ranking.workplaces[0].label,
                    if car { "car" } else { "no car" }
                );
                assert!(ranking.ranked.len() >= 10, "{label}: fewer than 10 ranked");
                check(&label, &ranking);
            }
        }
    }
}

#[test]
fn every_top_ten_town_is_within_the_commute_limit_in_force() {
    each_ranking(|label, r| {
        let limit = r
            .commute_limit
            .as_ref()
            .unwrap_or_else(|| panic!("{label}: no limit in force"));
        assert_eq!(
            limit.minutes, 60.0,
            "{label}: the default limit is the curve's zero point"
        );
        for t in &r.ranked[..10] {
            let commute = t
                .explanations
                .iter()
                .find(|e| e.criterion == Criterion::Commute)
                .unwrap_or_else(|| panic!("{label}: {} has no commute explanation", t.name));
            let utility = commute.utility.unwrap_or(0.0);
            assert!(
                utility > 0.0,
                "{label}: {} has a commute beyond the limit: {}",
                t.name,
                commute.sentence
            );
            let road = commute.value.unwrap_or(f64::INFINITY);
            assert!(
                road <= MAX_ROAD_KM,
                "{label}: {} is {road:.0} km away",
                t.name
            );
            // The workplace's own town shows the way across it, as its sentence says, not the
            // 0 km from its centre to itself.
            if r.workplaces[0].ags.as_deref() == Some(t.ags) {
                assert!(
                    road >= 1.0,
                    "{label}: {} shows {road} km: {}",
                    t.name,
                    commute.sentence
                );
            }
        }
        assert!(
            !r.excluded.is_empty(),
            "{label}: an hour's limit excludes somebody in Saxony"
        );
    });
}

#[test]
fn without_a_car_every_top_ten_town_has_a_station_or_frequent_buses() {
    let atlas = atlas();
    each_ranking(|label, r| {
        if !label.ends_with("no car") {
            return;
        }
        for t in &r.ranked[..10] {
            let station = value(atlas, "rail_station_distance_km", t.ags);
            let transit = value(atlas, "transit_access_pct", t.ags);
            assert!(
                station.is_some_and(|km| km <= NO_CAR_STATION_KM)
                    || transit.is_some_and(|pct| pct >= NO_CAR_TRANSIT_PCT),
                "{label}: {} has neither a station within {NO_CAR_STATION_KM} km ({station:?}) \
                 nor {NO_CAR_TRANSIT_PCT} % near a frequent stop ({transit:?})",
                t.name
            );
        }
    });
}

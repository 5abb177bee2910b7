//! The named places the ingest puts in the atlas, built from the real data beside the checkout:
//! what a person can check on a map (the Kitas of Dresden are in Dresden, Plauen has no mapped
//! Kita and says why, the nearest are listed nearest first and within reach) and that the
//! stored lines parse back to the same places.

use datasets::ingest::{IngestOptions, ingest};
use datasets::manifest::{repo_root, resolve_data_dir};
use scoring::atlas::{Atlas, Places};
use std::sync::OnceLock;

fn atlas() -> &'static Atlas {
    static BUILT: OnceLock<Atlas> = OnceLock::new();
    BUILT.get_or_init(|| {
        let data_dir = resolve_data_dir(Some(&repo_root().join("../shared/data/raw")));
        ingest(
            &IngestOptions {
                data_dir,
                osm_pbf: None,
            },
            &mut |_| {},
        )
        .expect("ingest of the real data")
        .atlas
    })
}

fn category(places: &Places, id: &str) -> usize {
    places
        .categories
        .iter()
        .position(|c| c.id == id)
        .unwrap_or_else(|| panic!("no category {id}"))
}

/// (name, town, km) of the nearest places of `id` for the municipality `ags`; `None` where the
/// category is not mapped there.
fn nearest(a: &Atlas, ags: &str, id: &str) -> Option<Vec<(String, String, f64)>> {
    let i = a.index_of(ags).expect("known AGS");
    let c = category(&a.places, id);
    a.places.nearest.get(i, c).map(|list| {
        list.iter()
            .map(|n| {
                let p = a.places.points.get(n.place as usize).unwrap();
                let town = a.municipalities[p.municipality as usize].name.clone();
                (p.name.to_string(), town, n.distance_km)
            })
            .collect()
    })
}

#[test]
fn categories_with_named_points_are_listed_and_cited() {
    let a = atlas();
    let ids: Vec<&str> = a.places.categories.iter().map(|c| c.id.as_str()).collect();
    for id in [
        "childcare",
        "primary_school",
        "oberschule",
        "gymnasium",
        "pool",
        "library",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    // The station is named once with its category; cinemas have no points.
    assert!(!ids.contains(&"rail_station") && !ids.contains(&"cinema"));
    for c in &a.places.categories {
        assert!(!c.sources.is_empty(), "{} cites no source", c.id);
        for s in &c.sources {
            assert!(a.source(s).is_some(), "{} cites unknown {s}", c.id);
        }
    }
    assert_eq!(a.places.nearest.len(), a.municipalities.len());
}

#[test]
fn the_nearest_are_sorted_within_reach_distinct_and_in_the_right_town() {
    let a = atlas();
    for (i, row) in a.places.nearest.rows().enumerate() {
        for (c, near) in a.places.categories.iter().zip(row) {
            let Some(list) = near else { continue };
            assert!(list.len() <= 3);
            assert!(
                list.windows(2)
                    .all(|w| w[0].distance_km <= w[1].distance_km)
            );
            assert!(list.iter().all(|n| n.distance_km <= c.max_km));
            let mut names: Vec<&str> = list
                .iter()
                .map(|n| a.places.points.get(n.place as usize).unwrap().name)
                .collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(
                names.len(),
                list.len(),
                "{} {}",
                a.municipalities[i].ags,
                c.id
            );
        }
    }
    // Schools are statewide: every municipality has three primary schools within 25 km.
    let primary = category(&a.places, "primary_school");
    assert!((0..a.places.nearest.len()).all(|i| {
        a.places
            .nearest
            .get(i, primary)
            .is_some_and(|l| l.len() == 3)
    }));
    // The Kitas and primary schools nearest the centre of Dresden and Leipzig lie in the city,
    // within a couple of km.
    for (ags, town) in [("14612000", "Dresden"), ("14713000", "Leipzig")] {
        for id in ["childcare", "primary_school"] {
            let list = nearest(a, ags, id).expect("mapped");
            assert_eq!(list.len(), 3, "{town} {id}");
            for (name, in_town, km) in &list {
                assert_eq!(in_town, town, "{name}");
                assert!(*km < 3.0, "{town} {id}: {name} at {km} km");
            }
        }
    }
}

#[test]
fn kitas_are_mapped_only_where_the_data_covers_and_say_why_elsewhere() {
    let a = atlas();
    let c = category(&a.places, "childcare");
    let mapped = (0..a.places.nearest.len())
        .filter(|&i| a.places.nearest.get(i, c).is_some())
        .count();
    assert!(
        (10..100).contains(&mapped),
        "{mapped} municipalities with Kitas"
    );
    // Plauen (Vogtlandkreis) is outside every Kita source: no list, and the indicator says why.
    let plauen = "14523320";
    assert_eq!(nearest(a, plauen, "childcare"), None);
    let why = a
        .indicator("childcare_distance_km")
        .unwrap()
        .missing
        .get(plauen);
    assert!(why.is_some_and(|w| w.contains("covers only")), "{why:?}");
    // Wherever a Kita list exists, the distance indicator has a value, and vice versa.
    let col = a.indicator("childcare_distance_km").unwrap();
    for (i, v) in col.values.iter().enumerate() {
        assert_eq!(a.places.nearest.get(i, c).is_some(), v.is_some());
    }
}

#[test]
fn stations_carry_their_db_category_where_db_runs_them() {
    let a = atlas();
    let with = a
        .municipalities
        .iter()
        .filter(|m| m.station.as_ref().is_some_and(|s| s.category.is_some()))
        .count();
    assert!(
        with > 200,
        "{with} municipalities' stations have a DB category"
    );
    assert!(
        a.municipalities
            .iter()
            .filter_map(|m| m.station.as_ref()?.category)
            .all(|k| (1..=7).contains(&k))
    );
}

#[test]
fn the_stored_lines_parse_back_to_the_same_places() {
    let a = atlas();
    let text = datasets::atlas_file::to_json(a);
    let back: Atlas = serde_json::from_str(&text).unwrap();
    assert_eq!(back.places, a.places);
    back.validate().unwrap();
    // An atlas written before named places existed still loads, without them.
    let mut old: serde_json::Value = serde_json::from_str(&text).unwrap();
    old.as_object_mut().unwrap().remove("places");
    let old: Atlas = serde_json::from_value(old).unwrap();
    assert!(old.places.is_empty());
    old.validate().unwrap();
}

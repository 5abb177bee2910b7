//! A synthetic atlas with every indicator the criteria read, for tests and benchmarks.
//!
//! Not data: plausible shapes only (a few cities, many villages, distances that grow with
//! rurality, district and association values shared by their members, the real coverage gaps
//! of Kita and playground points). It exists so that properties, examples and the benchmark run
//! without the real atlas, and so that the code is exercised on a region that is not Saxony.

use crate::atlas::{
    ATLAS_FORMAT_VERSION, Atlas, CentralPlace, District, HelpContact, Indicator, IndicatorMeta,
    Municipality, Resolution, Source,
};
use crate::missing_table::MissingTable;
use crate::rng::SplitMix64;

const FACILITY: &[&str] = &[
    "childcare",
    "primary_school",
    "oberschule",
    "gymnasium",
    "special_school",
    "vocational_school",
    "pool",
    "indoor_pool",
    "library",
    "culture",
    "cinema",
    "playground",
    "rail_station",
];

/// A deterministic synthetic atlas of `n` municipalities (AGS `99…`, region "Synthland").
pub fn atlas(n: usize, seed: u64) -> Atlas {
    let mut rng = SplitMix64::new(seed);
    let n_districts = (n / 30).clamp(1, 13);
    let districts: Vec<District> = (0..n_districts)
        .map(|d| District {
            ags5: format!("99{:03}", d + 1),
            name: format!("Kreis {}", d + 1),
        })
        .collect();
    let mut municipalities = Vec::with_capacity(n);
    // Rurality 0 (city) … 1 (remote village) drives every distance.
    let mut rural = Vec::with_capacity(n);
    let mut pop = Vec::with_capacity(n);
    let mut seq = vec![0usize; n_districts];
    for i in 0..n {
        // Contiguous blocks per district, so that generation order is AGS order.
        let d = i * n_districts / n;
        seq[d] += 1;
        let r = if i % 40 == 0 {
            0.02
        } else {
            rng.next_f64().powf(0.7)
        };
        rural.push(r);
        pop.push((600_000.0 * (-9.0 * r).exp() + 800.0 * (1.0 + rng.next_f64())).round());
        let lat = 50.3 + 1.2 * rng.next_f64();
        let lon = 12.0 + 2.8 * rng.next_f64();
        municipalities.push(Municipality {
            ags: format!("{}{:03}", districts[d].ags5, seq[d]),
            name: format!("Ort {i:03}"),
            official_name: format!("Ort {i:03}, Gemeinde"),
            district_ags5: districts[d].ags5.clone(),
            lon,
            lat,
            centre_lon: lon + 0.01 * (rng.next_f64() - 0.5),
            centre_lat: lat + 0.01 * (rng.next_f64() - 0.5),
            central_place: if r < 0.05 {
                Some(CentralPlace::Oberzentrum)
            } else if r < 0.2 {
                Some(CentralPlace::Mittelzentrum)
            } else {
                None
            },
            predecessors: Vec::new(),
            station: None,
        });
    }
    let mut indicators = Vec::new();
    let mut push =
        |id: &str, unit: &str, res: Resolution, values: Vec<Option<f64>>, estimate: bool| {
            let missing = values
                .iter()
                .zip(&municipalities)
                .filter(|(v, _)| v.is_none())
                .map(|(_, m)| {
                    (
                        m.ags.clone(),
                        "not covered by the synthetic source".to_string(),
                    )
                })
                .collect::<MissingTable>();
            indicators.push(Indicator {
                meta: IndicatorMeta {
                    id: id.to_string(),
                    label_de: id.replace('_', " "),
                    label_en: id.replace('_', " "),
                    unit: unit.to_string(),
                    resolution: res,
                    sources: vec!["synthetic".to_string()],
                    reference_date: "2026".to_string(),
                    method: "synthetic".to_string(),
                    estimate,
                    derived_from_osm: false,
                },
                values,
                missing,
            });
        };
    let mut noise = |scale: f64| 1.0 + scale * (rng.next_f64() - 0.5);
    let per_district = |f: &dyn Fn(usize) -> f64| -> Vec<Option<f64>> {
        municipalities
            .iter()
            .map(|m| {
                let d = districts
                    .iter()
                    .position(|d| d.ags5 == m.district_ags5)
                    .unwrap_or(0);
                Some(f(d))
            })
            .collect()
    };
    push(
        "population",
        "persons",
        Resolution::Municipality,
        pop.iter().map(|&p| Some(p)).collect(),
        false,
    );
    push(
        "children_share_pct",
        "%",
        Resolution::Municipality,
        rural.iter().map(|&r| Some(11.0 + 3.0 * r)).collect(),
        false,
    );
    for (k, cat) in FACILITY.iter().enumerate() {
        let base = 0.4 + 0.5 * k as f64;
        let values: Vec<Option<f64>> = rural
            .iter()
            .enumerate()
            .map(|(i, &r)| {
                let covered = match *cat {
                    "childcare" => i % 12 == 0,
                    "playground" => i % 97 == 0,
                    "special_school" | "vocational_school" => i % 50 == 0,
                    _ => true,
                };
                covered.then(|| ((base + 12.0 * r * r) * noise(0.4) * 10.0).round() / 10.0)
            })
            .collect();
        push(
            &format!("{cat}_distance_km"),
            "km",
            Resolution::Points,
            values,
            false,
        );
    }
    push(
        "oberzentrum_distance_km",
        "km",
        Resolution::Points,
        rural
            .iter()
            .map(|&r| Some(3.0 + 60.0 * r * noise(0.3)))
            .collect(),
        false,
    );
    for (id, base, scale) in [
        ("car_min_primary_school", 2.0, 9.0),
        ("car_min_secondary_1", 2.5, 14.0),
        ("car_min_secondary_2", 3.0, 22.0),
        ("car_min_supermarket", 1.8, 10.0),
        ("car_min_emergency", 4.0, 26.0),
        ("car_min_indoor_pool", 3.0, 25.0),
        ("car_min_outdoor_pool", 2.0, 18.0),
        ("car_min_gp", 1.5, 10.0),
        ("car_min_pharmacy", 2.0, 12.0),
    ] {
        let v = rural
            .iter()
            .enumerate()
            .map(|(i, &r)| (i % 89 != 5).then(|| base + scale * r * noise(0.5)))
            .collect();
        push(id, "min", Resolution::Municipality, v, false);
    }
    // Associations: groups of three consecutive municipalities share a value.
    let assoc = |f: &mut dyn FnMut(f64) -> f64| -> Vec<Option<f64>> {
        let mut out = Vec::with_capacity(n);
        let mut cur = 0.0;
        for (i, &r) in rural.iter().enumerate() {
            if i % 3 == 0 {
                cur = f(r);
            }
            out.push(Some(cur));
        }
        out
    };
    let mut rng2 = SplitMix64::new(seed ^ 0xA55A);
    push(
        "transit_access_pct",
        "%",
        Resolution::Association,
        assoc(&mut |r| (100.0 - 60.0 * r * (0.7 + 0.6 * rng2.next_f64())).clamp(20.0, 100.0)),
        false,
    );
    push(
        "car_min_central_place",
        "min",
        Resolution::Association,
        assoc(&mut |r| 2.0 + 30.0 * r * (0.7 + 0.6 * rng2.next_f64())),
        false,
    );
    push(
        "transit_min_central_place",
        "min",
        Resolution::Association,
        assoc(&mut |r| 5.0 + 60.0 * r * (0.7 + 0.6 * rng2.next_f64())),
        false,
    );
    push(
        "commute_distance_km",
        "km",
        Resolution::Association,
        assoc(&mut |r| 8.0 + 15.0 * r * (0.7 + 0.6 * rng2.next_f64())),
        false,
    );
    for (id, unit, lo, hi) in [
        ("childcare_rate_u3_pct", "%", 45.0, 62.0),
        ("childcare_rate_3to5_pct", "%", 88.0, 99.0),
        ("childcare_rate_6to10_pct", "%", 75.0, 86.0),
        ("paediatricians_per_100k_u15", "per 100000", 45.0, 72.0),
        ("sports_clubs_per_100k", "per 100000", 60.0, 160.0),
        ("sports_club_members_per_100", "per 100", 14.0, 20.0),
        ("school_leavers_no_qualification_pct", "%", 6.0, 14.0),
        ("vacancy_pct", "%", 4.0, 13.0),
        ("asking_rent_district_eur_m2", "EUR/m2", 5.5, 10.0),
    ] {
        let draws: Vec<f64> = (0..n_districts)
            .map(|_| lo + (hi - lo) * rng2.next_f64())
            .collect();
        push(
            id,
            unit,
            Resolution::District,
            per_district(&|d| draws[d]),
            false,
        );
    }
    let existing: Vec<Option<f64>> = rural
        .iter()
        .enumerate()
        .map(|(i, &r)| {
            (i % 71 != 3).then(|| ((7.5 - 2.5 * r) * noise(0.15) * 100.0).round() / 100.0)
        })
        .collect();
    push(
        "rent_existing_eur_m2",
        "EUR/m2",
        Resolution::Municipality,
        existing.clone(),
        false,
    );
    let new_lease = existing
        .iter()
        .zip(&rural)
        .map(|(e, &r)| e.map(|e| (e * (1.35 - 0.25 * r) * 100.0).round() / 100.0))
        .collect();
    push(
        "rent_new_lease_estimate_eur_m2",
        "EUR/m2",
        Resolution::Municipality,
        new_lease,
        true,
    );
    push(
        "flat_size_m2",
        "m2",
        Resolution::Municipality,
        rural.iter().map(|&r| Some(65.0 + 25.0 * r)).collect(),
        false,
    );
    Atlas {
        format_version: ATLAS_FORMAT_VERSION,
        region: "Synthland".to_string(),
        input_hash: format!("synthetic-{n}-{seed}"),
        sources: vec![Source {
            id: "synthetic".to_string(),
            title: "Synthetic test data".to_string(),
            title_de: "Synthetische Testdaten".to_string(),
            file: String::new(),
            publisher: "lotse tests".to_string(),
            licence: "CC0-1.0".to_string(),
            licence_confirmed: true,
            attribution: String::new(),
            reference_date: "2026".to_string(),
            origin: "generated".to_string(),
            coverage: "synthetic".to_string(),
            sha256: String::new(),
        }],
        help: districts
            .iter()
            .map(|d| HelpContact {
                name: format!("Welcome Center {}", d.name),
                kind: "welcome_center".to_string(),
                district_ags5: vec![d.ags5.clone()],
                town: d.name.clone(),
                website: "https://example.org".to_string(),
                note: String::new(),
                inferred: false,
            })
            .collect(),
        districts,
        municipalities,
        indicators,
        places: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn synthetic_atlas_is_valid() {
        let a = super::atlas(418, 1);
        a.validate().unwrap();
        assert_eq!(a.municipalities.len(), 418);
        assert_eq!(super::atlas(418, 1), a, "deterministic");
    }
}

/// Gives `atlas` one place category, libraries (cited to its first source), with the named
/// `points` as the atlas writes them (`"<municipality row> <source> <name>"`) and, per
/// municipality, its cell of nearest places as JSON (`"\"<point>:<km>\""`, `"\"\""` for none
/// in reach, `"null"` for not covered). For tests of named places.
pub fn with_libraries(mut atlas: Atlas, points: &[&str], nearest: &[&str]) -> Atlas {
    let source = atlas.sources[0].id.clone();
    let json = serde_json::json!({
        "categories": [{"id": "library", "label_de": "Bibliothek", "label_en": "library",
                        "sources": [source], "max_km": 25.0}],
        "points": points,
        "nearest": nearest
            .iter()
            .map(|cell| serde_json::from_str::<serde_json::Value>(cell).map(|v| vec![v]))
            .collect::<Result<Vec<_>, _>>()
            .expect("cells are JSON"),
    });
    atlas.places = serde_json::from_value(json).expect("a valid places table");
    atlas
}

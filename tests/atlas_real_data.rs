//! The atlas built from the real data in ../shared/data/raw: reproducibility, completeness and
//! spot checks a person can verify against a map.

use datasets::atlas_file;
use datasets::ingest::{IngestOptions, Ingested, ingest};
use datasets::manifest::resolve_data_dir;
use datasets::report::Reject;
use datasets::spatial::MunicipalityLocator;
use scoring::atlas::Atlas;
use std::sync::OnceLock;

fn data_dir() -> std::path::PathBuf {
    // Tests always use the shared data beside the checkout, whatever $LOTSE_DATA says.
    resolve_data_dir(Some(
        &datasets::manifest::repo_root().join("../shared/data/raw"),
    ))
}

fn built() -> &'static Ingested {
    static BUILT: OnceLock<Ingested> = OnceLock::new();
    BUILT.get_or_init(|| {
        ingest(
            &IngestOptions {
                data_dir: data_dir(),
                osm_pbf: None,
            },
            &mut |_| {},
        )
        .expect("ingest of the real data")
    })
}

fn atlas() -> &'static Atlas {
    &built().atlas
}

fn value(atlas: &Atlas, id: &str, ags: &str) -> Option<f64> {
    let i = atlas.index_of(ags)?;
    atlas.indicator(id)?.values[i]
}

#[test]
fn a_fresh_ingest_reproduces_the_bundled_atlas_byte_for_byte() {
    let fresh = atlas_file::to_json(atlas());
    assert!(
        fresh == atlas_file::BUNDLED_ATLAS,
        "atlas/saxony.json is stale: run `cargo run --release -- ingest --update-bundled` and commit it"
    );
    assert!(
        built().boundaries_geojson == atlas_file::BUNDLED_BOUNDARIES,
        "atlas/saxony-boundaries.geojson is stale: run `cargo run --release -- ingest --update-bundled`"
    );
    let bundled = atlas_file::bundled().unwrap();
    assert!(
        &bundled == atlas(),
        "the bundled atlas parses to a different atlas than the fresh one"
    );
}

#[test]
fn every_register_municipality_is_a_row_with_base_facts() {
    let a = atlas();
    let register = std::fs::read_to_string(
        data_dir().join("municipalities/lds_gemeindeverzeichnis_sachsen.csv"),
    )
    .unwrap();
    let expected = register
        .lines()
        .skip(1)
        .filter(|l| l.split(';').nth(1).is_some_and(|k| k.len() == 8))
        .count();
    assert_eq!(expected, 418);
    assert_eq!(a.municipalities.len(), expected);
    let boundaries: geojson::FeatureCollection = atlas_file::BUNDLED_BOUNDARIES.parse().unwrap();
    let polys: Vec<geo::MultiPolygon<f64>> = boundaries
        .features
        .iter()
        .map(|f| geo::MultiPolygon::<f64>::try_from(f.geometry.clone().unwrap().value).unwrap())
        .collect();
    let locator = MunicipalityLocator::new(polys);
    for (i, m) in a.municipalities.iter().enumerate() {
        assert!(m.ags.starts_with("14") && m.ags.len() == 8, "{}", m.ags);
        assert!(!m.name.is_empty(), "{} has no name", m.ags);
        assert!(a.district_of(m).is_some(), "{} has no district", m.ags);
        let pop = value(a, "population", &m.ags).unwrap();
        assert!(pop > 0.0, "{} population {pop}", m.ags);
        assert_eq!(
            locator.locate(m.lon, m.lat),
            Some(i),
            "reference point of {} {} not inside its polygon",
            m.ags,
            m.name
        );
    }
    let jahnatal = &a.municipalities[a.index_of("14522275").unwrap()];
    assert_eq!(jahnatal.predecessors, vec!["14522450", "14522620"]);
}

#[test]
fn population_sums_to_the_zensus_state_total() {
    let text = std::fs::read_to_string(
        data_dir().join("population/zensus2022_1000A-0000_population_gemeinden_saxony.csv"),
    )
    .unwrap();
    let total: f64 = text
        .lines()
        .skip(1)
        .map(|l| l.split(';').nth(9).unwrap().parse::<f64>().unwrap())
        .sum();
    assert_eq!(total, 4_038_131.0);
    let sum: f64 = atlas()
        .indicator("population")
        .unwrap()
        .values
        .iter()
        .map(|v| v.unwrap())
        .sum();
    assert!(
        (sum - total).abs() / total < 0.005,
        "atlas {sum} vs Zensus {total}"
    );
}

#[test]
fn every_row_read_is_kept_or_rejected_and_facility_points_are_placed() {
    let report = &built().report;
    for s in &report.sources {
        assert_eq!(
            s.unaccounted(),
            0,
            "{}: rows read but neither kept nor rejected",
            s.source
        );
    }
    let statewide = [
        "schools_2026",
        "pools",
        "libraries",
        "culture_wikidata",
        "rail_stations",
    ];
    for id in statewide {
        let s = report.sources.iter().find(|s| s.source == id).unwrap();
        let outside = s
            .points_rejected
            .get(&Reject::OutsideRegion)
            .copied()
            .unwrap_or(0);
        let share = s.points_placed as f64 / (s.points_placed + outside) as f64;
        assert!(
            share >= 0.99,
            "{id}: only {:.1} % of points placed",
            share * 100.0
        );
        assert!(s.points_placed > 100, "{id}: {} points", s.points_placed);
    }
    // Partial sources: points outside their coverage are reported, not silently dropped.
    let playgrounds = report
        .sources
        .iter()
        .find(|s| s.source == "playgrounds_leipzig")
        .unwrap();
    assert_eq!(
        playgrounds.points_rejected.get(&Reject::OutsideCoverage),
        Some(&5)
    );
}

#[test]
fn every_gap_has_a_reason_and_coverage_matches_the_sources() {
    let a = atlas();
    a.validate().unwrap();
    let covered = |id: &str| a.indicator(id).unwrap().coverage();
    assert_eq!(covered("primary_school_distance_km"), 418);
    assert_eq!(covered("rent_existing_eur_m2"), 418);
    assert_eq!(covered("childcare_rate_u3_pct"), 418);
    // Kita points exist for three cities and the Dresden area only.
    let kita = covered("childcare_distance_km");
    assert!((3..=40).contains(&kita), "{kita}");
    for ags in ["14612000", "14713000", "14511000"] {
        assert!(value(a, "childcare_distance_km", ags).is_some(), "{ags}");
    }
    let zwickau = a
        .indicator("childcare_distance_km")
        .unwrap()
        .missing
        .get("14524330")
        .unwrap();
    assert!(zwickau.contains("covers only"), "{zwickau}");
    // Jahnatal's predecessors carry -9999 for school travel times: a gap, not a number.
    assert_eq!(value(a, "car_min_primary_school", "14522275"), None);
    // Every estimate says so.
    assert!(
        a.indicator("rent_new_lease_estimate_eur_m2")
            .unwrap()
            .meta
            .estimate
    );
    // Every source an indicator cites names a licence and a date.
    for s in &a.sources {
        assert!(
            !s.licence.is_empty() && !s.reference_date.is_empty() && s.sha256.len() == 64,
            "{}",
            s.id
        );
    }
}

#[test]
fn cities_have_the_shortest_kita_distances_and_rural_places_the_longest_school_ways() {
    let a = atlas();
    let d = |ags: &str, id: &str| value(a, id, ags).unwrap();
    let (dresden, leipzig, chemnitz) = ("14612000", "14713000", "14511000");
    for city in [dresden, leipzig] {
        assert!(d(city, "childcare_distance_km") < 0.8, "{city}");
        assert!(d(city, "childcare_distance_km") <= d(chemnitz, "childcare_distance_km") + 0.1);
    }
    // The sparsest municipality: its children live far from a primary school and a Gymnasium.
    let density = a.indicator("density_per_km2").unwrap();
    let sparse = (0..a.municipalities.len())
        .min_by(|&i, &j| density.values[i].partial_cmp(&density.values[j]).unwrap())
        .unwrap();
    let sparse = &a.municipalities[sparse].ags;
    assert!(
        d(sparse, "primary_school_distance_km") > 3.0 * d(dresden, "primary_school_distance_km")
    );
    assert!(d(sparse, "gymnasium_distance_km") > 3.0 * d(leipzig, "gymnasium_distance_km"));
    // Asking rents: Leipzig and Dresden above Chemnitz (Deutschlandatlas 2025: 9.90, 9.64, 5.86).
    assert!(
        d(leipzig, "asking_rent_district_eur_m2")
            > d(chemnitz, "asking_rent_district_eur_m2") + 3.0
    );
    assert_eq!(d(dresden, "rent_existing_eur_m2"), 6.92);
}

/// Spearman's rank correlation of two columns over the municipalities that have both.
fn spearman(a: &Atlas, x: &str, y: &str) -> f64 {
    let (xs, ys): (Vec<f64>, Vec<f64>) = a
        .indicator(x)
        .unwrap()
        .values
        .iter()
        .zip(&a.indicator(y).unwrap().values)
        .filter_map(|(p, q)| Some(((*p)?, (*q)?)))
        .unzip();
    let rank = |v: &[f64]| {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|&i, &j| v[i].partial_cmp(&v[j]).unwrap());
        let mut r = vec![0.0; v.len()];
        for (k, &i) in idx.iter().enumerate() {
            r[i] = k as f64;
        }
        r
    };
    let (rx, ry) = (rank(&xs), rank(&ys));
    let n = rx.len() as f64;
    let mean = (n - 1.0) / 2.0;
    let cov: f64 = rx
        .iter()
        .zip(&ry)
        .map(|(a, b)| (a - mean) * (b - mean))
        .sum();
    let var: f64 = rx.iter().map(|a| (a - mean).powi(2)).sum();
    cov / var
}

#[test]
fn own_distances_rank_municipalities_like_the_official_routed_travel_times() {
    let a = atlas();
    for (own, official, min) in [
        ("primary_school_distance_km", "car_min_primary_school", 0.6),
        ("indoor_pool_distance_km", "car_min_indoor_pool", 0.6),
        ("mittelzentrum_distance_km", "car_min_central_place", 0.5),
    ] {
        let rho = spearman(a, own, official);
        assert!(rho > min, "{own} vs {official}: Spearman {rho:.2}");
    }
}

/// Every source that declares how many municipalities it must reach (manifest
/// `min_municipalities`) reaches them, and the report says so.
#[test]
fn every_source_reaches_the_municipalities_the_manifest_declares() {
    let manifest = datasets::manifest::Manifest::default_manifest().unwrap();
    let report = &built().report;
    let mut declared = 0;
    for e in &manifest.source {
        let Some(min) = e.min_municipalities else {
            continue;
        };
        declared += 1;
        let s = report.sources.iter().find(|s| s.source == e.id).unwrap();
        assert_eq!(s.municipalities_declared, Some(min), "{}", e.id);
        let reached = s.municipalities_reached.unwrap();
        assert!(
            reached >= min && reached <= 418,
            "{}: {reached} < {min}",
            e.id
        );
    }
    assert_eq!(declared, 28);
    let rent = report
        .sources
        .iter()
        .find(|s| s.source == "zensus_rent")
        .unwrap();
    assert_eq!(rent.municipalities_reached, Some(418));
    assert!(rent.rejected_rows.is_empty(), "{:?}", rent.rejected_rows);
}

#[test]
fn the_way_across_town_grows_with_the_town_and_every_municipality_names_its_station() {
    let a = atlas();
    let across = |ags: &str| value(a, "across_town_distance_km", ags).unwrap();
    // Dresden and Leipzig spread over 300 km²; Ellefeld (Vogtland) is a few streets.
    assert!(across("14612000") > 4.0, "Dresden {}", across("14612000"));
    assert!(across("14713000") > 3.5, "Leipzig {}", across("14713000"));
    assert!(across("14523090") < 1.0, "Ellefeld {}", across("14523090"));
    // One populated cell alone is 0.41 km (its own spread): no value below it.
    let ind = a.indicator("across_town_distance_km").unwrap();
    assert!(ind.values.iter().all(|v| v.is_some_and(|v| v >= 0.40)));
    // The station nearest each centre: every municipality has one, a person can check these.
    let station = |ags: &str| {
        let m = &a.municipalities[a.index_of(ags).unwrap()];
        m.station.clone().unwrap()
    };
    assert!(a.municipalities.iter().all(|m| m.station.is_some()));
    assert_eq!(station("14612000").name, "Dresden Hbf");
    assert_eq!(station("14511000").name, "Chemnitz Mitte");
    assert_eq!(station("14625020").name, "Bautzen");
    assert!(station("14625020").distance_km < 2.0);
}

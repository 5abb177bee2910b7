//! The plain-JSON facility files (datasets/src/readers/facilities/): Leipzig Kitas (Overpass
//! JSON, nodes and way centres), libraries (`coords` in [lat, lon] order), pools
//! (`{"pools": [...]}`), the Schuldatenbank institutions (school types) and schools
//! (coordinates per building), all on the same input through their in-memory entry points.
//!
//! Checks, beyond "no panic":
//! - row accounting (rows_read = kept + rejected) for every reader;
//! - every point lies in the ranges the readers validate (finite lon/lat within ±180/±90, not
//!   0,0), carries its source and a category the reader can give; capacities finite, >= 0;
//! - points per kept row: exactly 1 (Kitas, libraries), 1–2 (pools: Pool, maybe IndoorPool),
//!   1–3 (schools: Grundschule, Oberschule, Gymnasium); a school's AGS hint is 8 digits;
//! - school types: one entry per kept institution, keys sorted, distinct, non-empty;
//! - de-duplication by name keeps the accounting (Kitas, as ingest runs it);
//! - an error names the file.
#![no_main]

use datasets::facility::Category;
use datasets::readers::facilities::{
    dedupe_by_name, read_childcare_overpass_bytes, read_libraries_saebig_bytes,
    read_pools_baederleben_bytes, read_school_types_bytes, read_schools_schuldatenbank_bytes,
};
use libfuzzer_sys::fuzz_target;
use lotse_fuzz::{assert_accounted, assert_names_file, assert_points, is_digits};
use std::collections::HashMap;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz/facilities.json");
    match read_childcare_overpass_bytes(path, data, "src") {
        Ok((points, mut rep)) => {
            assert_accounted(&rep);
            assert_eq!(rep.rows_kept, points.len());
            assert_points(&points, "src", &[Category::Childcare]);
            let kept = dedupe_by_name(points, 150.0, &mut rep);
            assert_accounted(&rep);
            assert_eq!(rep.rows_kept, kept.len());
        }
        Err(e) => assert_names_file(&e, &[path]),
    }
    match read_libraries_saebig_bytes(path, data, "src") {
        Ok((points, rep)) => {
            assert_accounted(&rep);
            assert_eq!(rep.rows_kept, points.len());
            assert_points(&points, "src", &[Category::Library]);
        }
        Err(e) => assert_names_file(&e, &[path]),
    }
    match read_pools_baederleben_bytes(path, data, "src") {
        Ok((points, rep)) => {
            assert_accounted(&rep);
            assert!(rep.rows_kept <= points.len() && points.len() <= 2 * rep.rows_kept);
            assert_eq!(
                points
                    .iter()
                    .filter(|p| p.category == Category::Pool)
                    .count(),
                rep.rows_kept
            );
            assert_points(&points, "src", &[Category::Pool, Category::IndoorPool]);
        }
        Err(e) => assert_names_file(&e, &[path]),
    }
    // Types for the schools: a few fixed ones plus whatever this input gives as institutions.
    let mut types: HashMap<String, Vec<u32>> = [
        ("1".to_string(), vec![11]),
        ("2".to_string(), vec![12, 13]),
        ("3".to_string(), vec![58]),
    ]
    .into();
    match read_school_types_bytes(path, data, "src") {
        Ok((parsed, rep)) => {
            assert_accounted(&rep);
            assert_eq!(rep.rows_kept, parsed.len());
            for keys in parsed.values() {
                assert!(!keys.is_empty());
                assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
            }
            types.extend(parsed);
        }
        Err(e) => assert_names_file(&e, &[path]),
    }
    match read_schools_schuldatenbank_bytes(path, data, "src", &types) {
        Ok((points, rep)) => {
            assert_accounted(&rep);
            assert!(rep.rows_kept <= points.len() && points.len() <= 3 * rep.rows_kept);
            assert_points(
                &points,
                "src",
                &[
                    Category::PrimarySchool,
                    Category::Oberschule,
                    Category::Gymnasium,
                ],
            );
            for p in &points {
                assert!(
                    p.ags_hint.as_deref().is_none_or(|a| is_digits(a, 8)),
                    "{p:?}"
                );
            }
        }
        Err(e) => assert_names_file(&e, &[path]),
    }
});

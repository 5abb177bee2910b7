//! The rent tables (datasets/src/readers/housing.rs): Zensus rent per municipality (keyed by
//! 12-digit ARS, `Regionalebene` rows) and the district vacancy table, both on the same input
//! through their in-memory entry points.
//!
//! Checks, beyond "no panic": row accounting (rows_read = kept + rejected; kept = records
//! returned); 8-digit AGS and 5-digit district keys; every number finite; an error names the
//! file.
#![no_main]

use datasets::readers::housing::{read_district_housing_bytes, read_municipal_rent_bytes};
use libfuzzer_sys::fuzz_target;
use lotse_fuzz::{assert_accounted, assert_names_file, is_digits};
use std::path::Path;

fn finite(v: Option<f64>) -> bool {
    v.is_none_or(f64::is_finite)
}

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz/housing.csv");
    match read_municipal_rent_bytes(path, data, "rent") {
        Ok((rows, rep)) => {
            assert_accounted(&rep);
            assert_eq!(rep.rows_kept, rows.len());
            for r in &rows {
                assert!(is_digits(&r.ags, 8), "{r:?}");
                assert!(
                    finite(r.rent_eur_m2)
                        && finite(r.flat_size_m2)
                        && finite(r.rented_dwellings)
                        && finite(r.dwellings),
                    "{r:?}"
                );
            }
        }
        Err(e) => assert_names_file(&e, &[path]),
    }
    match read_district_housing_bytes(path, data, "vacancy") {
        Ok((rows, rep)) => {
            assert_accounted(&rep);
            assert_eq!(rep.rows_kept, rows.len());
            for r in &rows {
                assert!(is_digits(&r.ags5, 5), "{r:?}");
                assert!(
                    finite(r.existing_rent_eur_m2) && finite(r.vacancy_pct),
                    "{r:?}"
                );
            }
        }
        Err(e) => assert_names_file(&e, &[path]),
    }
});

//! The municipality base tables (datasets/src/readers/municipalities.rs): the register
//! (`;`), the Destatis directory (`,`, German numbers: space thousands, decimal comma) and the
//! LEP central places, each on the same input through its in-memory entry point (`*_bytes`).
//!
//! Checks, beyond "no panic":
//! - row accounting: rows_read = rows_kept + rejected, and rows_kept = records returned;
//! - every key returned is an 8-digit AGS; register entries sorted and unique;
//! - every directory reference point lies in the ranges the reader validates (finite lon/lat
//!   within ±180/±90, not 0,0); area and population finite;
//! - an error names the file.
#![no_main]

use datasets::readers::municipalities::{
    read_central_places_bytes, read_directory_bytes, read_register_bytes,
};
use libfuzzer_sys::fuzz_target;
use lotse_fuzz::{assert_accounted, assert_lonlat, assert_names_file, is_digits};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz/municipalities.csv");
    match read_register_bytes(path, data, "register") {
        Ok((register, rep)) => {
            assert_accounted(&rep);
            assert_eq!(rep.rows_kept, register.municipalities.len());
            for w in register.municipalities.windows(2) {
                assert!(w[0].ags < w[1].ags, "register not sorted and unique");
            }
            for m in &register.municipalities {
                assert!(is_digits(&m.ags, 8), "{m:?}");
                let _ = m.short_name();
            }
        }
        Err(e) => assert_names_file(&e, &[path]),
    }
    match read_directory_bytes(path, data, "directory") {
        Ok((entries, rep)) => {
            assert_accounted(&rep);
            assert_eq!(rep.rows_kept, entries.len());
            for d in &entries {
                assert!(is_digits(&d.ags, 8), "{d:?}");
                assert_lonlat(d.lon, d.lat);
                assert!(
                    d.area_km2.is_finite() && d.population_2019.is_finite(),
                    "{d:?}"
                );
            }
        }
        Err(e) => assert_names_file(&e, &[path]),
    }
    match read_central_places_bytes(path, data, "central_places") {
        Ok((places, rep)) => {
            assert_accounted(&rep);
            assert_eq!(rep.rows_kept, places.len());
            assert!(places.keys().all(|k| is_digits(k, 8)), "{places:?}");
        }
        Err(e) => assert_names_file(&e, &[path]),
    }
});

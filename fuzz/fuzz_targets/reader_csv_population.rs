//! The population tables (datasets/src/readers/population.rs): the Zensus 2022 table (`;`,
//! keyed by 12-digit ARS) and the 1 km population grid (`,`, lon/lat per cell), both on the
//! same input through their in-memory entry points.
//!
//! Checks, beyond "no panic":
//! - row accounting (rows_read = kept + rejected; kept = records returned);
//! - population rows: 8-digit AGS, finite non-negative persons;
//! - grid cells: every cell centre lies in the ranges the reader validates (finite, within
//!   ±180/±90, not 0,0), residents finite and positive, residents under 15 finite and >= 0;
//! - an error names the file.
#![no_main]

use datasets::readers::population::{read_grid_bytes, read_population_bytes};
use libfuzzer_sys::fuzz_target;
use lotse_fuzz::{assert_accounted, assert_lonlat, assert_names_file, is_digits};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz/population.csv");
    match read_population_bytes(path, data, "population") {
        Ok((population, rep)) => {
            assert_accounted(&rep);
            assert_eq!(rep.rows_kept, population.counts.len());
            for (ags, v) in &population.counts {
                assert!(is_digits(ags, 8), "{ags:?}");
                assert!(v.is_finite() && *v >= 0.0, "{ags}: {v}");
            }
        }
        Err(e) => assert_names_file(&e, &[path]),
    }
    match read_grid_bytes(path, data, "grid") {
        Ok((cells, rep)) => {
            assert_accounted(&rep);
            assert_eq!(rep.rows_kept, cells.len());
            for c in &cells {
                assert_lonlat(c.lon, c.lat);
                assert!(c.total.is_finite() && c.total > 0.0, "{c:?}");
                assert!(c.under15.is_finite() && c.under15 >= 0.0, "{c:?}");
            }
        }
        Err(e) => assert_names_file(&e, &[path]),
    }
});

//! Municipality boundaries (datasets/src/readers/boundaries.rs, `read_boundaries_bytes`):
//! VG250 GeoJSON through the `geojson` crate, one (Multi)Polygon per feature keyed by ARS or
//! AGS.
//!
//! Checks, beyond "no panic":
//! - row accounting (rows_read = kept + rejected; kept = polygons returned);
//! - every exterior-ring coordinate of every kept polygon lies in the ranges the reader
//!   validates (finite lon/lat within ±180/±90, not 0,0); a key from an ARS is 8 digits;
//! - an error names the file.
#![no_main]

use datasets::readers::boundaries::read_boundaries_bytes;
use libfuzzer_sys::fuzz_target;
use lotse_fuzz::{assert_accounted, assert_lonlat, assert_names_file};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz/boundaries.geojson");
    match read_boundaries_bytes(path, data, "vg250") {
        Ok((polygons, rep)) => {
            assert_accounted(&rep);
            assert_eq!(rep.rows_kept, polygons.len());
            for (_, mp) in &polygons {
                assert!(!mp.0.is_empty());
                for poly in mp {
                    for c in poly.exterior() {
                        assert_lonlat(c.x, c.y);
                    }
                }
            }
        }
        Err(e) => assert_names_file(&e, &[path]),
    }
});

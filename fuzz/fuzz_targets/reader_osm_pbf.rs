//! OpenStreetMap PBF extracts (datasets/src/readers/osm/, `read_osm_pbf_bytes`): the block
//! framing check, the header check and the three parallel osmpbf passes, on bytes in memory.
//!
//! Checks, beyond "no panic":
//! - the reader's promise that no file content crashes it: a panic inside the decoder must be
//!   caught and reported as an error naming the file (the target lets caught panics pass,
//!   see `allow_caught_panics`; one that escapes the reader is a crash);
//! - row accounting (rows_read = kept + rejected), at least one point per kept element;
//! - every point (node, way centroid, multipolygon centroid) lies in the ranges the reader
//!   validates (finite lon/lat within ±180/±90, not 0,0), carries the source id, and a
//!   capacity (where given) is finite and non-negative;
//! - an error names the file.
#![no_main]

use datasets::facility::Category;
use datasets::readers::osm::read_osm_pbf_bytes;
use libfuzzer_sys::fuzz_target;
use lotse_fuzz::{allow_caught_panics, assert_accounted, assert_names_file, assert_points};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    allow_caught_panics();
    let path = Path::new("fuzz/extract.osm.pbf");
    match read_osm_pbf_bytes(path, data, "osm") {
        Ok((points, rep)) => {
            assert_accounted(&rep);
            assert!(rep.rows_kept <= points.len());
            assert_points(&points, "osm", &Category::ALL);
        }
        Err(e) => assert_names_file(&e, &[path]),
    }
});

//! Leipzig playgrounds as RDF Turtle (datasets/src/readers/facilities/playgrounds.rs,
//! `read_playgrounds_ttl_bytes`): oxttl triples, `gsp:asWKT "Point(lon lat)"` literals.
//!
//! Checks, beyond "no panic":
//! - row accounting (rows_read = kept + rejected; kept = points returned);
//! - every point lies in the ranges the reader validates (finite lon/lat within ±180/±90, not
//!   0,0), is a Playground of the source;
//! - no two kept points share a coordinate (the reader merges those as duplicates);
//! - a Turtle error names the file.
#![no_main]

use datasets::facility::Category;
use datasets::readers::facilities::read_playgrounds_ttl_bytes;
use libfuzzer_sys::fuzz_target;
use lotse_fuzz::{assert_accounted, assert_names_file, assert_points};
use std::collections::HashSet;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz/playgrounds.ttl");
    match read_playgrounds_ttl_bytes(path, data, "pg") {
        Ok((points, rep)) => {
            assert_accounted(&rep);
            assert_eq!(rep.rows_kept, points.len());
            assert_points(&points, "pg", &[Category::Playground]);
            let mut seen = HashSet::new();
            for p in &points {
                assert!(
                    seen.insert((p.lon.to_bits(), p.lat.to_bits())),
                    "two kept points at one coordinate: {p:?}"
                );
            }
        }
        Err(e) => assert_names_file(&e, &[path]),
    }
});

//! The GeoJSON facility files read with serde_json (datasets/src/readers/facilities/): Kitas of
//! Chemnitz and of the Dresden region (OSM), culture of Chemnitz (OSM) and schools of Chemnitz,
//! all on the same input through their in-memory entry points (`*_bytes`).
//!
//! Checks, beyond "no panic":
//! - row accounting (rows_read = kept + rejected), one point per kept feature;
//! - every point lies in the ranges the readers validate (finite lon/lat within ±180/±90, not
//!   0,0), carries its source and a category the reader can give, and a capacity (where
//!   given) is finite and non-negative;
//! - de-duplication by name (as ingest runs it on Kitas) keeps the accounting;
//! - an error names the file.
#![no_main]

use datasets::facility::Category;
use datasets::readers::facilities::{
    dedupe_by_name, read_childcare_chemnitz_bytes, read_childcare_osm_geojson_bytes,
    read_culture_osm_geojson_bytes, read_schools_chemnitz_bytes,
};
use libfuzzer_sys::fuzz_target;
use lotse_fuzz::{assert_accounted, assert_names_file, assert_points};
use std::path::Path;

type Reader = fn(
    &Path,
    &[u8],
    &str,
) -> datasets::Result<(
    Vec<datasets::facility::FacilityPoint>,
    datasets::report::SourceReport,
)>;

const SCHOOLS: &[Category] = &[
    Category::PrimarySchool,
    Category::Oberschule,
    Category::Gymnasium,
    Category::SpecialSchool,
    Category::VocationalSchool,
];

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz/facilities.geojson");
    let readers: [(Reader, &[Category], bool); 4] = [
        (read_childcare_chemnitz_bytes, &[Category::Childcare], true),
        (
            read_childcare_osm_geojson_bytes,
            &[Category::Childcare],
            true,
        ),
        (read_culture_osm_geojson_bytes, &[Category::Culture], false),
        (read_schools_chemnitz_bytes, SCHOOLS, false),
    ];
    for (read, categories, dedupe) in readers {
        match read(path, data, "src") {
            Ok((points, mut rep)) => {
                assert_accounted(&rep);
                assert_eq!(rep.rows_kept, points.len());
                assert_points(&points, "src", categories);
                if dedupe {
                    let kept = dedupe_by_name(points, 150.0, &mut rep);
                    assert_accounted(&rep);
                    assert_eq!(rep.rows_kept, kept.len());
                    assert_points(&kept, "src", categories);
                }
            }
            Err(e) => assert_names_file(&e, &[path]),
        }
    }
});

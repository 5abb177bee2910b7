//! The DB station files (datasets/src/readers/facilities/rail.rs, `read_rail_stations_bytes`):
//! `;`-separated, decimal-comma coordinates, CRLF. The reader takes two files; the input is
//! split at its first NUL byte into the stop list and the station master data (without a NUL,
//! the master data is a fixed small valid table, so the stop list is read in full).
//!
//! Checks, beyond "no panic":
//! - row accounting for both reports (rows_read = kept + rejected); stop-list kept rows =
//!   points returned;
//! - every point lies in the ranges the reader validates (finite lon/lat within ±180/±90, not
//!   0,0) and is a RailStation of the stop list's source;
//! - an error names one of the two files.
#![no_main]

use datasets::facility::Category;
use datasets::readers::facilities::read_rail_stations_bytes;
use libfuzzer_sys::fuzz_target;
use lotse_fuzz::{assert_accounted, assert_names_file, assert_points, split_nul};
use std::path::Path;

const STATIONSDATEN: &[u8] =
    "Bundesland;RB;BM;Bf. Nr.;Station;Bf DS 100Abk.;Kat. Vst;Straße;PLZ;Ort;Aufgabenträger\n\
Sachsen;RB Südost;Dresden;1343;Dresden Hbf;DH;1;Wiener Platz 4;01069;Dresden;VVO\n"
        .as_bytes();

fuzz_target!(|data: &[u8]| {
    let (halt, daten) = split_nul(data);
    let daten = daten.unwrap_or(STATIONSDATEN);
    let hp = Path::new("fuzz/haltestellen.csv");
    let dp = Path::new("fuzz/stationsdaten.csv");
    match read_rail_stations_bytes((hp, halt, "haltestellen"), (dp, daten, "stationsdaten")) {
        Ok((points, reports)) => {
            assert_eq!(reports.len(), 2);
            assert_accounted(&reports[0]);
            assert_accounted(&reports[1]);
            assert_eq!(reports[0].rows_kept, points.len());
            assert_points(&points, "haltestellen", &[Category::RailStation]);
        }
        Err(e) => assert_names_file(&e, &[hp, dp]),
    }
});

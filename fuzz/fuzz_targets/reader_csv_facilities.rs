//! The CSV facility and help tables: INKAR cinemas per municipality, Wikidata culture sites
//! (lat/lon columns) and the help contacts, all on the same input through their in-memory
//! entry points.
//!
//! Checks, beyond "no panic":
//! - row accounting (rows_read = kept + rejected; kept = records or points returned);
//! - cinemas: 8-digit, unique AGS; counts finite;
//! - culture: every point lies in the ranges the reader validates (finite lon/lat within
//!   ±180/±90, not 0,0), is a Culture point of the source;
//! - help: every contact has a name and at least one 5-digit district code;
//! - an error names the file.
#![no_main]

use datasets::facility::Category;
use datasets::readers::facilities::{read_cinemas_inkar_bytes, read_culture_wikidata_bytes};
use datasets::readers::help::read_help_contacts_bytes;
use libfuzzer_sys::fuzz_target;
use lotse_fuzz::{assert_accounted, assert_names_file, assert_points, is_digits};
use std::collections::HashSet;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz/facilities.csv");
    match read_cinemas_inkar_bytes(path, data, "inkar") {
        Ok((rows, rep)) => {
            assert_accounted(&rep);
            assert_eq!(rep.rows_kept, rows.len());
            let mut seen = HashSet::new();
            for r in &rows {
                assert!(is_digits(&r.ags, 8) && seen.insert(&r.ags), "{r:?}");
                assert!(r.cinemas.is_finite(), "{r:?}");
                assert!(r.screens.is_none_or(f64::is_finite), "{r:?}");
                assert!(r.seats.is_none_or(f64::is_finite), "{r:?}");
            }
        }
        Err(e) => assert_names_file(&e, &[path]),
    }
    match read_culture_wikidata_bytes(path, data, "wikidata") {
        Ok((points, rep)) => {
            assert_accounted(&rep);
            assert_eq!(rep.rows_kept, points.len());
            assert_points(&points, "wikidata", &[Category::Culture]);
        }
        Err(e) => assert_names_file(&e, &[path]),
    }
    match read_help_contacts_bytes(path, data, "help") {
        Ok((contacts, rep)) => {
            assert_accounted(&rep);
            assert_eq!(rep.rows_kept, contacts.len());
            for c in &contacts {
                assert!(!c.name.is_empty(), "{c:?}");
                assert!(!c.district_ags5.is_empty(), "{c:?}");
                assert!(c.district_ags5.iter().all(|d| is_digits(d, 5)), "{c:?}");
            }
        }
        Err(e) => assert_names_file(&e, &[path]),
    }
});

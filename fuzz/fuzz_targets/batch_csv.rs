//! A batch profiles file as CSV (`lotse batch --profiles x.csv`, `POST /api/v1/batch`), read
//! from memory by `lotse::batch::input::parse_all` with the same reader `lotse batch` uses.
//!
//! Checks, beyond "no panic":
//! - a run-stopping error (bad header, broken record) is an error, not a panic;
//! - every row gives a profile or an error naming a profile field (or the row), by the column
//!   or JSON path of the field;
//! - a row's profile either validates (`Profile::validate`, as the ranker's plan does) or the
//!   validation error names a field; one that validates round-trips through JSON
//!   (`Profile::from_json`) to an equal profile, so a CSV row means what the same profile
//!   means as JSON;
//! - every row has a non-empty id, and rows come in file order (non-decreasing lines: the csv
//!   crate counts `\n` only, so records ended by a bare `\r` share a line number).
#![no_main]

use libfuzzer_sys::fuzz_target;
use lotse::batch::input::{InputFormat, parse_all};
use lotse_fuzz::{assert_json_roundtrip, assert_names_field};

fuzz_target!(|data: &[u8]| {
    let rows = match parse_all(data, InputFormat::Csv) {
        Ok(rows) => rows,
        Err(e) => {
            let _ = format!("{e:#}");
            return;
        }
    };
    let mut last_line = 0;
    for row in rows {
        assert!(!row.id.is_empty(), "row at line {} without an id", row.line);
        assert!(row.line >= last_line, "line {} after {last_line}", row.line);
        last_line = row.line;
        match row.profile {
            Ok(p) => match p.validate() {
                Ok(()) => assert_json_roundtrip(&p),
                Err(e) => assert_names_field(&e),
            },
            Err(e) => assert_names_field(&e),
        }
    }
});

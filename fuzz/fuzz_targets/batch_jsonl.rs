//! A batch profiles file as JSON Lines (`lotse batch --profiles x.jsonl`), read from memory by
//! `lotse::batch::input::parse_all` with the same reader `lotse batch` uses (and so
//! `parse_json_line` for every line).
//!
//! Checks, beyond "no panic":
//! - every non-blank line (also one that is not UTF-8) is exactly one row, in file order
//!   (strictly increasing line numbers), so no line is lost or doubled;
//! - a row's profile is valid (`validate()` passes) and round-trips through JSON to an equal
//!   profile, or the row's error names a profile field, `profile_id` or the whole profile;
//! - `parse_json_line` on a line on its own gives the same profile as in the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lotse::batch::input::{InputFormat, parse_all, parse_json_line};
use lotse_fuzz::{assert_json_roundtrip, assert_names_field};

fuzz_target!(|data: &[u8]| {
    let rows = parse_all(data, InputFormat::Jsonl).expect("reading memory cannot fail");
    let lines: Vec<&[u8]> = data
        .split(|&b| b == b'\n')
        .filter(|l| std::str::from_utf8(l).map_or(true, |t| !t.trim().is_empty()))
        .collect();
    assert_eq!(rows.len(), lines.len(), "rows != non-blank lines");
    let mut last_line = 0;
    for (row, raw) in rows.into_iter().zip(lines) {
        assert!(row.line > last_line, "line {} after {last_line}", row.line);
        last_line = row.line;
        match &row.profile {
            Ok(p) => {
                assert_eq!(p.validate(), Ok(()), "an accepted JSON line must be valid");
                assert_json_roundtrip(p);
            }
            Err(e) => assert_names_field(e),
        }
        if let Ok(text) = std::str::from_utf8(raw) {
            let (_, alone) = parse_json_line(text.trim());
            assert_eq!(alone, row.profile, "a line parses the same on its own");
        }
    }
});

//! Deutschlandatlas tables (datasets/src/readers/deutschlandatlas.rs, `read_keyed_bytes`),
//! with the key columns, key lengths, delimiters and indicator columns ingest uses: the
//! municipality table GEM1222, the association tables VBG1222 (9-digit keys) and VBG1219, the
//! district table KRS1222 and the `;`-separated HA26 table with a non-ASCII key column name.
//! Every configuration runs on every input.
//!
//! Checks, beyond "no panic":
//! - row accounting (rows_read = kept + rejected; kept = keys returned = names returned);
//! - every key is exactly `key_len` ASCII digits; every row has one slot per selected column;
//! - every value is finite and never the -9999 "missing" mark (that is `None`);
//! - an error names the file.
#![no_main]

use datasets::readers::deutschlandatlas::{MISSING, read_keyed_bytes};
use libfuzzer_sys::fuzz_target;
use lotse_fuzz::{assert_accounted, assert_names_file, is_digits};
use std::path::Path;

/// (delimiter, key column, key length, columns), as `readers::tables::read_tables` reads them.
const CONFIGS: &[(u8, &str, usize, &[&str])] = &[
    (
        b',',
        "GKZ1222",
        8,
        &[
            "p_grunds",
            "p_sek_1",
            "p_sek_2",
            "p_markt",
            "p_notfall",
            "p_hbad",
            "p_freibad",
        ],
    ),
    (b',', "VBG1222", 9, &["pendel"]),
    (b',', "VBG1219", 8, &["oenv", "p_ozmz_miv", "p_ozmz_oev"]),
    (
        b',',
        "KRS1222",
        8,
        &[
            "kbetr_u3",
            "kbetr_ue3",
            "kbetr_ue6",
            "v_karzt",
            "ew_sportv",
            "mitgl_sportv",
            "schule_oabschl",
        ],
    ),
    (b';', "Regionalschlüssel", 8, &["preis_miet"]),
];

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz/deutschlandatlas.csv");
    for &(delimiter, key_col, key_len, columns) in CONFIGS {
        match read_keyed_bytes(path, data, "da", delimiter, key_col, key_len, columns) {
            Ok((t, rep)) => {
                assert_accounted(&rep);
                assert_eq!(rep.rows_kept, t.rows.len());
                assert_eq!(t.rows.len(), t.names.len());
                assert_eq!(t.columns.len(), columns.len());
                for (key, values) in &t.rows {
                    assert!(is_digits(key, key_len), "key {key:?}");
                    assert!(t.names.contains_key(key));
                    assert_eq!(values.len(), columns.len());
                    for (v, c) in values.iter().zip(columns) {
                        if let Some(v) = v {
                            assert!(v.is_finite() && *v != MISSING, "{key} {c}: {v}");
                        }
                        assert_eq!(t.get(key, c), *v);
                    }
                }
            }
            Err(e) => assert_names_file(&e, &[path]),
        }
    }
});

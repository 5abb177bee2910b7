//! The household profile as TOML (`Profile::from_toml`: hand-written profile files for
//! `lotse rank --profile x.toml`).
//!
//! Checks, beyond "no panic":
//! - `from_toml` accepts exactly what the `toml` crate's serde deserializer accepts *and*
//!   `validate()` passes, and gives the same profile;
//! - an accepted profile serialises back to TOML and reads back (`from_toml`) as an equal
//!   profile, and likewise through JSON (`from_json`);
//! - an error names a non-empty field and says what is wrong; `validate()` never panics, and
//!   its error is the one `from_toml` gives.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lotse_fuzz::{assert_json_roundtrip, assert_toml_roundtrip};
use scoring::profile::Profile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = Profile::from_toml(text);
    let plain = toml::from_str::<Profile>(text);
    match &parsed {
        Ok(p) => {
            assert_eq!(plain.as_ref().ok(), Some(p), "from_toml and serde disagree");
            assert_eq!(p.validate(), Ok(()));
            assert_toml_roundtrip(p);
            assert_json_roundtrip(p);
        }
        Err(e) => {
            assert!(!e.field.is_empty(), "error without a field: {e:?}");
            assert!(!e.problem.is_empty(), "error without a problem: {e:?}");
            let _ = e.to_string();
            if let Ok(p) = &plain {
                assert_eq!(p.validate().as_ref(), Err(e));
            }
        }
    }
});

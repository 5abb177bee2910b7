//! The household profile as JSON (`Profile::from_json`: CLI `--profile`, `POST /api/v1/rank`,
//! a JSON Lines batch row).
//!
//! Checks, beyond "no panic":
//! - an accepted profile is a JSON object (serde's derived structs would also read an array
//!   of field values; `from_json` must not);
//! - whatever `from_json` accepts, serde accepts too, with the same profile, and `validate()`
//!   passes; whatever serde accepts that `from_json` refuses is an array form or invalid;
//! - an accepted profile serialises back (serde_json, compact and pretty) to an equal profile,
//!   and to TOML and back (`from_toml`) to an equal profile;
//! - an error names a non-empty field and says what is wrong;
//! - `validate()` never panics, also on profiles serde accepts but validation rejects, and its
//!   error is the one `from_json` gives.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lotse_fuzz::{assert_json_roundtrip, assert_toml_roundtrip};
use scoring::profile::Profile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = Profile::from_json(text);
    let plain = serde_json::from_str::<Profile>(text);
    match &parsed {
        Ok(p) => {
            let value: serde_json::Value = serde_json::from_str(text).expect("accepted JSON");
            assert!(value.is_object(), "a profile is a JSON object, not {value}");
            assert_eq!(plain.as_ref().ok(), Some(p), "from_json and serde disagree");
            assert_eq!(p.validate(), Ok(()));
            assert_json_roundtrip(p);
            assert_toml_roundtrip(p);
        }
        Err(e) => {
            assert!(!e.field.is_empty(), "error without a field: {e:?}");
            assert!(!e.problem.is_empty(), "error without a problem: {e:?}");
            let _ = e.to_string();
            let object =
                serde_json::from_str::<serde_json::Value>(text).is_ok_and(|v| v.is_object());
            if let (Ok(p), true) = (&plain, object) {
                // serde read the object, so only validation can have refused it, with the same
                // error. (From an array serde may read a profile that `from_json` refuses.)
                assert_eq!(p.validate().as_ref(), Err(e));
            }
        }
    }
});

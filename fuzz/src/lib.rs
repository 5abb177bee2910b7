//! Shared checks of the lotse fuzz targets (`fuzz_targets/*.rs`): what every reader and every
//! profile parser promises beyond "no panic". A failed check panics, which libFuzzer reports as
//! a crash with the input that caused it.

use datasets::DatasetError;
use datasets::facility::{Category, FacilityPoint, check_lonlat};
use datasets::report::SourceReport;
use scoring::profile::{Profile, ProfileError};
use std::collections::HashSet;
use std::path::Path;
use std::sync::{LazyLock, Mutex};

/// Every row a reader read was kept or rejected under a reason ([`SourceReport::unaccounted`]
/// is 0), and the report has no more kept or rejected rows than rows read.
pub fn assert_accounted(report: &SourceReport) {
    assert_eq!(
        report.unaccounted(),
        0,
        "rows_read {} != rows_kept {} + rejected {:?} ({})",
        report.rows_read,
        report.rows_kept,
        report.rejected,
        report.source
    );
    assert!(report.rows_kept <= report.rows_read);
}

/// A point lies in the ranges the readers validate ([`check_lonlat`]: finite, lon within
/// ±180, lat within ±90, not (0, 0)), spelled out here as well so that a change to
/// `check_lonlat` does not silently weaken the target. Also: the point names its source, and a
/// capacity is a finite non-negative number.
pub fn assert_point(p: &FacilityPoint, source: &str) {
    assert!(
        p.lon.is_finite() && p.lat.is_finite(),
        "non-finite point {p:?}"
    );
    assert!(
        (-180.0..=180.0).contains(&p.lon) && (-90.0..=90.0).contains(&p.lat),
        "point out of range {p:?}"
    );
    assert!(
        !(p.lon == 0.0 && p.lat == 0.0),
        "point at (0, 0) kept: {p:?}"
    );
    assert!(check_lonlat(p.lon, p.lat).is_ok(), "{p:?}");
    assert_eq!(p.source, source, "{p:?}");
    if let Some(c) = p.capacity {
        assert!(c.is_finite() && c >= 0.0, "bad capacity {p:?}");
    }
}

/// [`assert_point`] for every point, all of the given categories.
pub fn assert_points(points: &[FacilityPoint], source: &str, categories: &[Category]) {
    for p in points {
        assert_point(p, source);
        assert!(
            categories.contains(&p.category),
            "unexpected category {p:?}"
        );
    }
}

/// A coordinate as the readers validate it ([`assert_point`] without a point).
pub fn assert_lonlat(lon: f64, lat: f64) {
    assert!(
        lon.is_finite() && lat.is_finite(),
        "non-finite coordinate ({lon}, {lat})"
    );
    assert!(
        (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat),
        "coordinate out of range ({lon}, {lat})"
    );
    assert!(check_lonlat(lon, lat).is_ok(), "({lon}, {lat})");
}

/// A reader's error names the file it was given (every [`DatasetError`] a reader returns
/// does; the user must know which file to fix). `paths`: the file name(s) the reader was given.
pub fn assert_names_file(e: &DatasetError, paths: &[&Path]) {
    let msg = e.to_string();
    assert!(
        paths.iter().any(|p| msg.contains(&p.display().to_string())),
        "error does not name the file: {msg}"
    );
    assert!(
        !matches!(e, DatasetError::Missing { .. } | DatasetError::Io { .. }),
        "an in-memory read reported a file-system error: {msg}"
    );
}

/// `s` is `n` ASCII digits.
pub fn is_digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// The roots an error's field may have (`children` of `children[1]`, `weights` of
/// `weights.leisure`): the profile's top-level keys from the one field table
/// ([`scoring::fields`]), a batch line's `profile_id`, and the two pseudo-fields for a whole
/// row or profile.
pub static PROFILE_FIELDS: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut roots = scoring::fields::keys();
    roots.extend(["profile_id", "(profile)", "(row)"]);
    roots
});

/// An error names a field of the profile (or the whole row / profile), by its JSON path, or
/// names the unknown field the input has (`{"childern": …}` → field `childern`, the problem
/// listing the fields there are).
pub fn assert_names_field(e: &ProfileError) {
    let root = e.field.split(['.', '[']).next().unwrap_or("");
    let unknown = e.problem.contains(&format!("unknown field `{}`", e.field));
    assert!(
        PROFILE_FIELDS.contains(&root) || unknown,
        "error does not name a profile field: field {:?}, {e}",
        e.field
    );
    assert!(!e.problem.is_empty(), "error without a problem: {e:?}");
    let _ = e.to_string();
}

/// A valid profile survives JSON: serialised with serde_json and read back with
/// [`Profile::from_json`] it is the same profile.
pub fn assert_json_roundtrip(p: &Profile) {
    let json = serde_json::to_string(p).expect("a valid profile serialises to JSON");
    match Profile::from_json(&json) {
        Ok(again) => assert_eq!(&again, p, "JSON round trip changed the profile: {json}"),
        Err(e) => panic!("JSON round trip rejected a valid profile: {e}\n{json}"),
    }
    let pretty = serde_json::to_string_pretty(p).expect("a valid profile serialises to JSON");
    assert_eq!(
        Profile::from_json(&pretty).as_ref(),
        Ok(p),
        "pretty JSON round trip: {pretty}"
    );
}

/// A valid profile survives TOML: serialised with the `toml` crate and read back with
/// [`Profile::from_toml`] it is the same profile.
pub fn assert_toml_roundtrip(p: &Profile) {
    let text = toml::to_string(p)
        .unwrap_or_else(|e| panic!("a valid profile does not serialise to TOML: {e}\n{p:?}"));
    match Profile::from_toml(&text) {
        Ok(again) => assert_eq!(&again, p, "TOML round trip changed the profile:\n{text}"),
        Err(e) => panic!("TOML round trip rejected a valid profile: {e}\n{text}"),
    }
}

/// Makes a panic that a reader catches on purpose (the OSM reader turns a panic inside the PBF
/// decoder into an error) survivable: libfuzzer-sys installs a hook that aborts on *every*
/// panic, caught or not. Uncaught panics still crash the run, because libfuzzer-sys aborts
/// when a panic leaves the target. Each panic location is printed once, so that the message of
/// an uncaught one is there without flooding the log with the caught ones.
pub fn allow_caught_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        static SEEN: Mutex<Option<HashSet<String>>> = Mutex::new(None);
        std::panic::set_hook(Box::new(|info| {
            let at = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
            if seen.get_or_insert_with(HashSet::new).insert(at.clone()) {
                eprintln!("panic at {at} (first time here; caught if no crash follows): {info}");
            }
        }));
    });
}

/// Splits an input in two at its first NUL byte (for readers of two files); without one, the
/// second part is `None`.
pub fn split_nul(data: &[u8]) -> (&[u8], Option<&[u8]>) {
    match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    }
}

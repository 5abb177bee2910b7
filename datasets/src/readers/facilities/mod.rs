//! Facility readers: one function per raw facility file, each turning its own format (JSON,
//! GeoJSON, Overpass JSON, Turtle, CSV) into [`FacilityPoint`]s plus a [`SourceReport`]; the
//! declared-point reader for CSV and GeoJSON files the manifest describes with a layout; and
//! the registry ([`read_point_sources`]) that reads every point file of the manifest.
//!
//! Conventions shared by every reader here, so that the quality report can be trusted:
//! - `rows_read` counts the unit the source has (records, features, elements, resources), and
//!   every such row is either kept or rejected under a [`Reject`] reason
//!   ([`SourceReport::unaccounted`] is 0): every reader runs its rows through the one
//!   row-accounting driver ([`crate::readers::rows`]), which does this counting. A row that yields two categories (an indoor pool, a
//!   combined Grund- und Oberschule) is still one kept row with two points.
//! - A broken *file* (truncated JSON, not a FeatureCollection, missing column) is a
//!   [`DatasetError`] naming the file (and the line where there is one); a broken *row* (no
//!   coordinate, a point at 0,0, text where a number belongs) is a counted rejection. No reader
//!   panics on file content.
//! - Coordinates pass [`check_lonlat`]; whether a point lies in Saxony is decided later by the
//!   municipality polygons.
//!
//! [`Reject`]: crate::report::Reject
//! [`check_lonlat`]: crate::facility::check_lonlat

mod childcare;
mod cinemas;
mod culture;
mod declared;
mod dedupe;
mod libraries;
mod playgrounds;
mod pools;
mod rail;
mod registry;
mod schools;

pub use childcare::{
    read_childcare_chemnitz, read_childcare_chemnitz_bytes, read_childcare_osm_geojson,
    read_childcare_osm_geojson_bytes, read_childcare_overpass, read_childcare_overpass_bytes,
};
pub use cinemas::{CinemaRow, read_cinemas_inkar, read_cinemas_inkar_bytes};
pub use culture::{
    read_culture_osm_geojson, read_culture_osm_geojson_bytes, read_culture_wikidata,
    read_culture_wikidata_bytes,
};
pub use declared::{read_declared_points, read_declared_points_bytes};
pub use dedupe::{dedupe_by_name, normalise_name};
pub use libraries::{read_libraries_saebig, read_libraries_saebig_bytes};
pub use playgrounds::{read_playgrounds_ttl, read_playgrounds_ttl_bytes};
pub use pools::{read_pools_baederleben, read_pools_baederleben_bytes};
pub use rail::{read_rail_stations, read_rail_stations_bytes};
pub use registry::{PointsRead, read_point_sources};
pub use schools::{
    read_school_types, read_school_types_bytes, read_schools_chemnitz, read_schools_chemnitz_bytes,
    read_schools_schuldatenbank, read_schools_schuldatenbank_bytes,
};

use crate::error::{DatasetError, Result};
use crate::facility::{Category, FacilityPoint, check_lonlat};
use crate::report::{Reject, SourceReport};
use crate::text::{Encoding, decode, parse_number};
use serde_json::Value;
use std::path::Path;

/// How the report names an encoding (the quality report flags anything but `utf-8`).
pub(crate) fn encoding_label(encoding: Encoding) -> &'static str {
    match encoding {
        Encoding::Utf8 => "utf-8",
        Encoding::Utf8WithBom => "utf-8 (BOM)",
        Encoding::Latin1 => "latin-1",
    }
}

/// A fresh report for `path`, naming the file by its file name (the data directory is the
/// user's; the file name is what they can look up in SOURCES.md).
pub(crate) fn new_report(source_id: &str, path: &Path, encoding: Encoding) -> SourceReport {
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let mut report = SourceReport::new(source_id, &file);
    report.encoding = encoding_label(encoding).to_string();
    report
}

/// Parses a whole JSON file from its bytes (BOM stripped, Latin-1 fallback as for every raw
/// file); `path` only names the file. Syntax errors (a truncated download, say) become a
/// [`DatasetError::Parse`] with the line serde_json stopped at.
pub(crate) fn parse_json(path: &Path, bytes: &[u8]) -> Result<(Value, Encoding)> {
    let (text, encoding) = decode(bytes.to_vec());
    let value = serde_json::from_str(&text).map_err(|e| {
        DatasetError::parse(
            path,
            e.line() as u64,
            format!("invalid JSON (column {}): {e}", e.column()),
        )
    })?;
    Ok((value, encoding))
}

/// The `features` array of a GeoJSON FeatureCollection, or a format error naming the file.
pub(crate) fn features<'a>(path: &Path, doc: &'a Value) -> Result<&'a Vec<Value>> {
    if doc.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(DatasetError::format(
            path,
            "not a GeoJSON FeatureCollection (top-level \"type\" is not \"FeatureCollection\")",
        ));
    }
    doc.get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            DatasetError::format(
                path,
                "GeoJSON FeatureCollection without a \"features\" array",
            )
        })
}

/// The top-level array member `key` of a JSON object (or the document itself when `key` is
/// `None`), or a format error naming the file.
pub(crate) fn array_member<'a>(
    path: &Path,
    doc: &'a Value,
    key: Option<&str>,
) -> Result<&'a Vec<Value>> {
    let target = match key {
        Some(k) => doc.get(k),
        None => Some(doc),
    };
    target.and_then(Value::as_array).ok_or_else(|| {
        DatasetError::format(
            path,
            match key {
                Some(k) => format!("expected a JSON object with an array \"{k}\""),
                None => "expected a JSON array at the top level".to_string(),
            },
        )
    })
}

/// A feature's property `key` (`None` when the feature has no such property or no properties
/// at all: the row's own checks then reject it for what it lacks).
pub(crate) fn prop<'a>(feature: &'a Value, key: &str) -> Option<&'a Value> {
    feature.get("properties").and_then(|p| p.get(key))
}

/// A number from JSON: a number, or a string in German or international notation. `None` for
/// anything else (null, text, arrays).
pub(crate) fn json_f64(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64().filter(|x| x.is_finite()),
        Value::String(s) => parse_number(s).ok().flatten(),
        _ => None,
    }
}

/// A trimmed, non-empty string (numbers are written out, as ids often are).
pub(crate) fn json_str(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A checked WGS84 coordinate from two JSON values.
pub(crate) fn lonlat(lon: Option<&Value>, lat: Option<&Value>) -> Result<(f64, f64), Reject> {
    match (json_f64(lon), json_f64(lat)) {
        (Some(lon), Some(lat)) => check_lonlat(lon, lat).map(|()| (lon, lat)),
        _ => Err(Reject::BadCoordinate),
    }
}

/// The checked coordinate of a GeoJSON Point feature; any other or missing geometry is a bad
/// coordinate (all the facility files are point files).
pub(crate) fn feature_point(feature: &Value) -> Result<(f64, f64), Reject> {
    let geometry = feature.get("geometry").ok_or(Reject::BadCoordinate)?;
    if geometry.get("type").and_then(Value::as_str) != Some("Point") {
        return Err(Reject::BadCoordinate);
    }
    let coords = geometry
        .get("coordinates")
        .and_then(Value::as_array)
        .ok_or(Reject::BadCoordinate)?;
    lonlat(coords.first(), coords.get(1))
}

/// A facility point with the fields most readers leave empty.
pub(crate) fn point(
    category: Category,
    (lon, lat): (f64, f64),
    name: Option<String>,
    source_id: &str,
) -> FacilityPoint {
    FacilityPoint {
        category,
        lon,
        lat,
        name,
        source: source_id.to_string(),
        ags_hint: None,
        capacity: None,
        station_category: None,
    }
}

/// Case-insensitive "does any of these texts mention `needle`" (needle in lowercase).
pub(crate) fn mentions(texts: &[Option<&str>], needle: &str) -> bool {
    texts
        .iter()
        .flatten()
        .any(|t| t.to_lowercase().contains(needle))
}

#[cfg(test)]
pub(crate) mod test_util {
    use std::io::Write;

    /// Writes `text` to a temporary file with the given suffix (readers look at the file only).
    pub fn fixture(text: &str, suffix: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::Builder::new()
            .suffix(suffix)
            .tempfile()
            .expect("create temp file");
        f.write_all(text.as_bytes()).expect("write temp file");
        f.flush().expect("flush temp file");
        f
    }

    /// Path of a raw file in the shared data directory.
    pub fn raw(rel: &str) -> std::path::PathBuf {
        std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/data/raw"
        ))
        .join(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Reject;
    use test_util::fixture;

    #[test]
    fn truncated_json_names_file_and_line() {
        let f = fixture("[\n {\"a\": 1},\n {\"b\":", ".json");
        let err = parse_json(f.path(), &std::fs::read(f.path()).unwrap())
            .unwrap_err()
            .to_string();
        assert!(err.contains(&f.path().display().to_string()), "{err}");
        assert!(err.contains("line 3"), "{err}");
    }

    #[test]
    fn missing_file_is_reported_as_missing() {
        let err = read_pools_baederleben(Path::new("/nonexistent/pools.json"), "p").unwrap_err();
        assert!(matches!(err, DatasetError::Missing { .. }), "{err}");
    }

    #[test]
    fn not_a_feature_collection_is_a_format_error() {
        let f = fixture("{\"type\": \"Feature\"}", ".geojson");
        let (doc, _) = parse_json(f.path(), &std::fs::read(f.path()).unwrap()).unwrap();
        assert!(matches!(
            features(f.path(), &doc),
            Err(DatasetError::Format { .. })
        ));
    }

    #[test]
    fn feature_points() {
        let ok: Value =
            serde_json::from_str(r#"{"geometry": {"type": "Point", "coordinates": [13.7, 51.0]}}"#)
                .unwrap();
        assert_eq!(feature_point(&ok), Ok((13.7, 51.0)));
        for bad in [
            r#"{"geometry": null}"#,
            r#"{"geometry": {"type": "Point", "coordinates": [0, 0]}}"#,
            r#"{"geometry": {"type": "Point", "coordinates": ["x", 51]}}"#,
            r#"{"geometry": {"type": "LineString", "coordinates": [[1, 2], [3, 4]]}}"#,
            r#"{}"#,
        ] {
            let v: Value = serde_json::from_str(bad).unwrap();
            assert_eq!(feature_point(&v), Err(Reject::BadCoordinate), "{bad}");
        }
        // Decimal-comma strings are read as the German files write them.
        let s: Value = serde_json::from_str(r#"["13,5", "51,25"]"#).unwrap();
        assert_eq!(lonlat(s.get(0), s.get(1)), Ok((13.5, 51.25)));
    }
}

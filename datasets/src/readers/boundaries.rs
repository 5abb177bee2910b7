//! Municipality boundaries (BKG VG250, GeoJSON with the 12-digit ARS per feature).

use crate::error::{DatasetError, Result};
use crate::report::{Reject, SourceReport};
use crate::text::{ars_to_ags, decode};
use geo::{MultiPolygon, Polygon};
use std::path::Path;

/// One (Multi)Polygon per kept feature, keyed by AGS.
pub type Polygons = Vec<(String, MultiPolygon<f64>)>;

/// Reads one (Multi)Polygon per municipality, keyed by the AGS derived from the feature's `ARS`
/// (or `AGS`) property. Keys keep the boundary file's date: mergers are the caller's to map.
/// A feature without a key is [`Reject::UnknownAgs`]; one without a (Multi)Polygon, with a
/// position of fewer than two numbers, or with an exterior coordinate failing
/// [`check_lonlat`](crate::facility::check_lonlat) is [`Reject::BadCoordinate`].
pub fn read_boundaries(path: &Path, source: &str) -> Result<(Polygons, SourceReport)> {
    read_boundaries_bytes(path, &crate::error::read_file(path)?, source)
}

/// [`read_boundaries`] on the file's bytes, already in memory; `path` only names the file in errors
/// and the report.
pub fn read_boundaries_bytes(
    path: &Path,
    bytes: &[u8],
    source: &str,
) -> Result<(Polygons, SourceReport)> {
    let (text, _) = decode(bytes.to_vec());
    let gj: geojson::GeoJson = text.parse().map_err(|e: geojson::Error| {
        DatasetError::format(path, format!("not valid GeoJSON: {e}"))
    })?;
    let geojson::GeoJson::FeatureCollection(fc) = gj else {
        return Err(DatasetError::format(path, "expected a FeatureCollection"));
    };
    let mut rep = SourceReport::new(source, &path.to_string_lossy());
    let mut out = Vec::new();
    for f in fc.features {
        rep.rows_read += 1;
        let key = f
            .property("ARS")
            .and_then(|v| v.as_str())
            .and_then(ars_to_ags)
            .or_else(|| {
                f.property("AGS")
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            });
        let Some(ags) = key else {
            rep.reject(Reject::UnknownAgs);
            continue;
        };
        let Some(geom) = f.geometry else {
            rep.reject(Reject::BadCoordinate);
            continue;
        };
        // The geojson crate indexes x and y of every position when converting and panics on a
        // shorter one (`[18]`), which its parser accepts: such a feature is a bad coordinate.
        if !positions_complete(&geom.value) {
            rep.reject(Reject::BadCoordinate);
            continue;
        }
        let mp: MultiPolygon<f64> = match geo::Geometry::<f64>::try_from(geom.value) {
            Ok(geo::Geometry::Polygon(p)) => MultiPolygon(vec![p]),
            Ok(geo::Geometry::MultiPolygon(mp)) => mp,
            _ => {
                rep.reject(Reject::BadCoordinate);
                continue;
            }
        };
        if !mp
            .iter()
            .flat_map(Polygon::exterior)
            .all(|c| crate::facility::check_lonlat(c.x, c.y).is_ok())
        {
            rep.reject(Reject::BadCoordinate);
            continue;
        }
        out.push((ags, mp));
        rep.rows_kept += 1;
    }
    Ok((out, rep))
}

/// Whether every position of a geometry has at least two numbers (longitude and latitude).
fn positions_complete(value: &geojson::GeometryValue) -> bool {
    use geojson::GeometryValue as V;
    let ok = |p: &geojson::Position| p.len() >= 2;
    match value {
        V::Point { coordinates } => ok(coordinates),
        V::MultiPoint { coordinates } | V::LineString { coordinates } => coordinates.iter().all(ok),
        V::MultiLineString { coordinates } | V::Polygon { coordinates } => {
            coordinates.iter().flatten().all(ok)
        }
        V::MultiPolygon { coordinates } => coordinates.iter().flatten().flatten().all(ok),
        V::GeometryCollection { geometries } => {
            geometries.iter().all(|g| positions_complete(&g.value))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<(Polygons, SourceReport)> {
        read_boundaries_bytes(Path::new("b.geojson"), text.as_bytes(), "vg250")
    }

    /// Found by the `reader_geojson_boundaries` fuzz target (minimised): a position with one
    /// number made the geojson crate's conversion index out of bounds and panic.
    #[test]
    fn fuzz_position_with_one_number_is_a_bad_coordinate_not_a_panic() {
        let text = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"AGS":""},"geometry":{"type":"Polygon","coordinates":[[[1]]]}}]}"#;
        let (polygons, r) = read(text).unwrap();
        assert!(polygons.is_empty());
        assert_eq!(r.rejected.get(&Reject::BadCoordinate), Some(&1));
        assert_eq!(r.unaccounted(), 0);
        // The same in every geometry type and nesting, next to a good feature.
        let good = r#"{"type":"Feature","properties":{"ARS":"146120000000"},"geometry":{"type":"Polygon","coordinates":[[[13.7,51.0],[13.8,51.0],[13.8,51.1],[13.7,51.0]]]}}"#;
        for geometry in [
            r#"{"type":"Point","coordinates":[13.7]}"#,
            r#"{"type":"MultiPoint","coordinates":[[13.7,51.0],[]]}"#,
            r#"{"type":"LineString","coordinates":[[13.7,51.0],[13.8]]}"#,
            r#"{"type":"MultiLineString","coordinates":[[[13.7,51.0],[13.8]]]}"#,
            r#"{"type":"Polygon","coordinates":[[[13.7,51.0],[13.8,51.0],[13.8,51.1],[13.7,51.0]],[[13.75]]]}"#,
            r#"{"type":"MultiPolygon","coordinates":[[[[13.7,51.0],[13.8,51.0],[13.8]]]]}"#,
            r#"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[]}]}"#,
        ] {
            let text = format!(
                r#"{{"type":"FeatureCollection","features":[{good},{{"type":"Feature","properties":{{"AGS":"14612000"}},"geometry":{geometry}}}]}}"#
            );
            // The geojson parser itself refuses some of these (a file error naming the file);
            // what it lets through is rejected as a bad coordinate. Never a panic.
            match read(&text) {
                Ok((polygons, r)) => {
                    assert_eq!(polygons.len(), 1, "{geometry}");
                    assert_eq!(polygons[0].0, "14612000");
                    assert_eq!(
                        r.rejected.get(&Reject::BadCoordinate),
                        Some(&1),
                        "{geometry}"
                    );
                    assert_eq!(r.unaccounted(), 0);
                }
                Err(e) => {
                    assert!(matches!(e, DatasetError::Format { .. }), "{e:?}");
                    assert!(e.to_string().contains("b.geojson"), "{e}");
                }
            }
        }
    }
}

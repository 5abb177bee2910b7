//! Municipality boundaries (BKG VG250, GeoJSON with the 12-digit ARS per feature).

use crate::error::{DatasetError, Result};
use crate::report::{Reject, SourceReport};
use crate::text::{ars_to_ags, read_text};
use geo::{MultiPolygon, Polygon};
use std::path::Path;

/// Reads one (Multi)Polygon per municipality, keyed by the AGS derived from the feature's `ARS`
/// (or `AGS`) property. Keys keep the boundary file's date: mergers are the caller's to map.
pub fn read_boundaries(
    path: &Path,
    source: &str,
) -> Result<(Vec<(String, MultiPolygon<f64>)>, SourceReport)> {
    let (text, _) = read_text(path)?;
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

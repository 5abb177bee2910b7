//! Libraries from the "Säbig-Karte" map of Saxon libraries (2020).

use super::{array_member, json_f64, json_str, new_report, point};
use crate::error::Result;
use crate::facility::{Category, FacilityPoint, check_lonlat};
use crate::readers::rows::point_rows;
use crate::report::{Reject, SourceReport};
use serde_json::Value;
use std::path::Path;

/// Reads `leisure_sn_bibliotheken_saebig_2020.json`: public libraries (`state` 1) become
/// [`Category::Library`]; academic ones (`state` 0: university, research and special
/// libraries) are [`Reject::OutOfScope`], since a family's library is the public one; a missing
/// or unknown `state` is [`Reject::SourceMissing`].
///
/// Note the coordinate order: `coords` is **[lat, lon]** (Leaflet order), not GeoJSON's
/// [lon, lat]; read the other way round, every library would land in the Indian Ocean.
pub fn read_libraries_saebig(
    path: &Path,
    source_id: &str,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    read_libraries_saebig_bytes(path, &crate::error::read_file(path)?, source_id)
}

/// [`read_libraries_saebig`] on the file's bytes, already in memory; `path` only names the file in
/// errors and the report.
pub fn read_libraries_saebig_bytes(
    path: &Path,
    bytes: &[u8],
    source_id: &str,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    let (doc, encoding) = super::parse_json(path, bytes)?;
    let mut report = new_report(source_id, path, encoding);
    let points = point_rows(&mut report, array_member(path, &doc, None)?, |lib, out| {
        match json_f64(lib.get("state")) {
            Some(1.0) => {}
            Some(0.0) => return Err(Reject::OutOfScope),
            _ => return Err(Reject::SourceMissing),
        }
        let coords = lib.get("coords").and_then(Value::as_array);
        let lat = json_f64(coords.and_then(|c| c.first()));
        let lon = json_f64(coords.and_then(|c| c.get(1)));
        let c = match (lon, lat) {
            (Some(lon), Some(lat)) => check_lonlat(lon, lat).map(|()| (lon, lat)),
            _ => Err(Reject::BadCoordinate),
        }?;
        out.push(point(
            Category::Library,
            c,
            json_str(lib.get("name")),
            source_id,
        ));
        Ok(())
    });
    Ok((points, report))
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{fixture, raw};
    use super::*;

    #[test]
    fn libraries_fixture() {
        let text = r#"[
          {"name": "Stadtbibliothek", "state": 1, "coords": [51.05, 13.74]},
          {"name": "SLUB", "state": 0, "coords": [51.03, 13.73]},
          {"name": "Unklar", "coords": [51.03, 13.73]},
          {"name": "Null", "state": 1, "coords": [0, 0]},
          {"name": "Text", "state": 1, "coords": ["abc", 13.7]},
          {"name": "Kurz", "state": 1, "coords": [51.0]}
        ]"#;
        let f = fixture(text, ".json");
        let (points, r) = read_libraries_saebig(f.path(), "lib").unwrap();
        assert_eq!((r.rows_read, r.rows_kept), (6, 1));
        assert_eq!(r.rejected.get(&Reject::OutOfScope), Some(&1));
        assert_eq!(r.rejected.get(&Reject::SourceMissing), Some(&1));
        assert_eq!(r.rejected.get(&Reject::BadCoordinate), Some(&3));
        assert_eq!(r.unaccounted(), 0);
        assert_eq!(
            (points[0].lon, points[0].lat),
            (13.74, 51.05),
            "[lat, lon] swapped"
        );
        let f = fixture(&text[..80], ".json");
        assert!(read_libraries_saebig(f.path(), "lib").is_err());
    }

    #[test]
    fn real_libraries() {
        let (points, r) = read_libraries_saebig(
            &raw("facilities/leisure_sn_bibliotheken_saebig_2020.json"),
            "lib",
        )
        .unwrap();
        assert_eq!((r.rows_read, r.rows_kept), (452, 387));
        assert_eq!(r.rejected.get(&Reject::OutOfScope), Some(&65));
        assert_eq!(r.unaccounted(), 0);
        // All of Saxony lies within lon 11.8–15.1, lat 50.1–51.7: the order was read right.
        assert!(
            points
                .iter()
                .all(|p| (11.8..15.1).contains(&p.lon) && (50.1..51.7).contains(&p.lat))
        );
    }
}

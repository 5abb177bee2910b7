//! Kita readers: Stadt Chemnitz (open data portal), the Dresden region and Leipzig (both
//! OpenStreetMap). All three mix Kitas with Kindertagespflege (childminders in private homes),
//! which lotse leaves out: a childminder's five places are not a Kita a family can plan with,
//! and their locations are private homes.

use super::{
    array_member, feature_point, features, json_f64, json_str, lonlat, mentions, new_report, point,
    prop,
};
use crate::error::Result;
use crate::facility::{Category, FacilityPoint};
use crate::readers::rows::point_rows;
use crate::report::{Reject, SourceReport};
use serde_json::Value;
use std::path::Path;

/// The word that marks a childminder in names and notes ("Kindertagespflege", "Tagespflege").
const CHILDMINDER: &str = "tagespflege";

/// A 0/1 flag written as a number, a string or a boolean.
fn flag(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64() == Some(1.0),
        Some(Value::String(s)) => s.trim() == "1",
        _ => false,
    }
}

/// Reads `childcare_chemnitz_kindertageseinrichtungen_2024.geojson`: features with `KITA` = 1
/// whose name does not say Kindertagespflege become [`Category::Childcare`].
///
/// Why the rest is [`Reject::OutOfScope`]: Hort-only entries (`KITA` = 0) are after-school care
/// for pupils, not the Krippe/Kindergarten place a family looks for, and the childminders are
/// not Kitas (see the module documentation). The file has no capacity.
pub fn read_childcare_chemnitz(
    path: &Path,
    source_id: &str,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    read_childcare_chemnitz_bytes(path, &crate::error::read_file(path)?, source_id)
}

/// [`read_childcare_chemnitz`] on the file's bytes, already in memory; `path` only names the file
/// in errors and the report.
pub fn read_childcare_chemnitz_bytes(
    path: &Path,
    bytes: &[u8],
    source_id: &str,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    let (doc, encoding) = super::parse_json(path, bytes)?;
    let mut report = new_report(source_id, path, encoding);
    let points = point_rows(&mut report, features(path, &doc)?, |f, out| {
        let name = json_str(prop(f, "BEZEICHNUNG"));
        if !flag(prop(f, "KITA")) || mentions(&[name.as_deref()], CHILDMINDER) {
            return Err(Reject::OutOfScope);
        }
        out.push(point(
            Category::Childcare,
            feature_point(f)?,
            name,
            source_id,
        ));
        Ok(())
    });
    Ok((points, report))
}

/// A Kita capacity from an OSM `capacity` tag; counts tags that are present but not a number.
fn capacity(v: Option<&Value>, unparsable: &mut usize) -> Option<f64> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(other) => {
            let c = json_f64(Some(other)).filter(|c| *c >= 0.0);
            if c.is_none() {
                *unparsable += 1;
            }
            c
        }
    }
}

fn note_capacity(report: &mut SourceReport, points: &[FacilityPoint], unparsable: usize) {
    let with: Vec<f64> = points.iter().filter_map(|p| p.capacity).collect();
    report.note(format!(
        "{} of {} Kitas carry a capacity ({} places in all); capacity is very incomplete",
        with.len(),
        points.len(),
        with.iter().sum::<f64>()
    ));
    if unparsable > 0 {
        report.note(format!(
            "{unparsable} capacity tag(s) not a number, read as unknown"
        ));
    }
}

/// Reads `childcare_dresden_region_osm_2025.geojson` (OSM `amenity=kindergarten` as points):
/// every feature becomes [`Category::Childcare`] with its `capacity` tag, except private
/// childminders, which are [`Reject::OutOfScope`].
///
/// Childminders are recognised by the `redacted` note the file's curator wrote when removing
/// their personal data ("private childminder (Tagespflege): …"), or by "Tagespflege" in the
/// name, note or description. Deliberately not every non-empty `redacted`: one real private
/// Kita ("Villa Kindertraum") is redacted only because its operator was a person's name.
/// The file maps some Kitas several times (node plus ways): run [`super::dedupe_by_name`]
/// (150 m) over the result.
pub fn read_childcare_osm_geojson(
    path: &Path,
    source_id: &str,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    read_childcare_osm_geojson_bytes(path, &crate::error::read_file(path)?, source_id)
}

/// [`read_childcare_osm_geojson`] on the file's bytes, already in memory; `path` only names the
/// file in errors and the report.
pub fn read_childcare_osm_geojson_bytes(
    path: &Path,
    bytes: &[u8],
    source_id: &str,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    let (doc, encoding) = super::parse_json(path, bytes)?;
    let mut report = new_report(source_id, path, encoding);
    let mut unparsable = 0usize;
    let points = point_rows(&mut report, features(path, &doc)?, |f, out| {
        let text = |k: &str| prop(f, k).and_then(Value::as_str);
        let redacted = text("redacted");
        let is_childminder = mentions(&[redacted], "childminder")
            || mentions(
                &[
                    redacted,
                    text("name"),
                    text("note"),
                    text("description"),
                    text("description:de"),
                ],
                CHILDMINDER,
            );
        let other_amenity = text("amenity").is_some_and(|a| a != "kindergarten");
        if is_childminder || other_amenity {
            return Err(Reject::OutOfScope);
        }
        let c = feature_point(f)?;
        let mut p = point(Category::Childcare, c, json_str(prop(f, "name")), source_id);
        p.capacity = capacity(prop(f, "capacity"), &mut unparsable);
        out.push(p);
        Ok(())
    });
    note_capacity(&mut report, &points, unparsable);
    Ok((points, report))
}

/// Reads `childcare_leipzig_osm_2024-07-10.json` (Overpass API JSON, `out center`): nodes at
/// `lat`/`lon`, ways and relations at their `center`; every element becomes
/// [`Category::Childcare`] with its `capacity` tag, except childminders ("Tagespflege" in the
/// name, note or description: three elements), which are [`Reject::OutOfScope`].
///
/// Why a separate reader from the GeoJSON one: Overpass JSON keeps the raw element structure
/// (tags nested, ways without geometry but with a center), which is what Overpass gives anyone
/// who refreshes the file.
pub fn read_childcare_overpass(
    path: &Path,
    source_id: &str,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    read_childcare_overpass_bytes(path, &crate::error::read_file(path)?, source_id)
}

/// [`read_childcare_overpass`] on the file's bytes, already in memory; `path` only names the file
/// in errors and the report.
pub fn read_childcare_overpass_bytes(
    path: &Path,
    bytes: &[u8],
    source_id: &str,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    let (doc, encoding) = super::parse_json(path, bytes)?;
    let mut report = new_report(source_id, path, encoding);
    let mut unparsable = 0usize;
    let elements = array_member(path, &doc, Some("elements"))?;
    let points = point_rows(&mut report, elements, |e, out| {
        let tag = |k: &str| e.get("tags").and_then(|t| t.get(k));
        let text = |k: &str| tag(k).and_then(Value::as_str);
        let is_childminder = mentions(
            &[text("name"), text("note"), text("description")],
            CHILDMINDER,
        );
        let other_amenity = text("amenity").is_some_and(|a| a != "kindergarten");
        if is_childminder || other_amenity {
            return Err(Reject::OutOfScope);
        }
        let at = match e.get("type").and_then(Value::as_str) {
            Some("node") => e,
            _ => e.get("center").unwrap_or(&Value::Null),
        };
        let c = lonlat(at.get("lon"), at.get("lat"))?;
        let mut p = point(Category::Childcare, c, json_str(tag("name")), source_id);
        p.capacity = capacity(tag("capacity"), &mut unparsable);
        out.push(p);
        Ok(())
    });
    note_capacity(&mut report, &points, unparsable);
    Ok((points, report))
}

#[cfg(test)]
mod tests {
    use super::super::dedupe_by_name;
    use super::super::test_util::{fixture, raw};
    use super::*;

    #[test]
    fn chemnitz_fixture() {
        let text = r#"{"type": "FeatureCollection", "features": [
          {"type": "Feature", "properties": {"BEZEICHNUNG": "Kita A", "KITA": 1, "HORT": 1},
           "geometry": {"type": "Point", "coordinates": [12.9, 50.8]}},
          {"type": "Feature", "properties": {"BEZEICHNUNG": "Weg 1, Kindertagespflege", "KITA": 1, "HORT": 0},
           "geometry": {"type": "Point", "coordinates": [12.9, 50.8]}},
          {"type": "Feature", "properties": {"BEZEICHNUNG": "Hort B", "KITA": 0, "HORT": 1},
           "geometry": {"type": "Point", "coordinates": [12.9, 50.8]}},
          {"type": "Feature", "properties": {"BEZEICHNUNG": "Kita C", "KITA": "1"},
           "geometry": {"type": "Point", "coordinates": [0, 0]}}
        ]}"#;
        let f = fixture(text, ".geojson");
        let (points, r) = read_childcare_chemnitz(f.path(), "chk").unwrap();
        assert_eq!((r.rows_read, r.rows_kept), (4, 1));
        assert_eq!(r.rejected.get(&Reject::OutOfScope), Some(&2));
        assert_eq!(r.rejected.get(&Reject::BadCoordinate), Some(&1));
        assert_eq!(r.unaccounted(), 0);
        assert_eq!(points[0].name.as_deref(), Some("Kita A"));
        assert_eq!(points[0].category, Category::Childcare);
        let f = fixture(&text[..150], ".geojson");
        assert!(read_childcare_chemnitz(f.path(), "chk").is_err());
    }

    #[test]
    fn osm_geojson_fixture() {
        let feature = |props: &str, lon: &str| {
            format!(
                r#"{{"type": "Feature", "properties": {{{props}}}, "geometry": {{"type": "Point", "coordinates": [{lon}, 51.0]}}}}"#
            )
        };
        let text = format!(
            r#"{{"type": "FeatureCollection", "features": [{}]}}"#,
            [
                feature(r#""amenity": "kindergarten", "name": "Kita A", "capacity": "120", "redacted": null"#, "13.7"),
                feature(r#""amenity": "kindergarten", "name": "Kita A", "capacity": null"#, "13.7001"),
                feature(r#""amenity": "kindergarten", "name": "Villa", "capacity": "ca. 40", "redacted": "operator (name of a private person) removed""#, "13.71"),
                feature(r#""amenity": "kindergarten", "name": null, "redacted": "private childminder (Tagespflege): name removed""#, "13.72"),
                feature(r#""amenity": "kindergarten", "name": null, "note": "Kindertagespflege""#, "13.73"),
                feature(r#""amenity": "kindergarten", "name": "X""#, "\"abc\""),
            ]
            .join(",")
        );
        let f = fixture(&text, ".geojson");
        let (points, mut r) = read_childcare_osm_geojson(f.path(), "dd").unwrap();
        assert_eq!((r.rows_read, r.rows_kept), (6, 3));
        assert_eq!(r.rejected.get(&Reject::OutOfScope), Some(&2));
        assert_eq!(r.rejected.get(&Reject::BadCoordinate), Some(&1));
        assert_eq!(r.unaccounted(), 0);
        assert_eq!(points[0].capacity, Some(120.0));
        assert_eq!(
            points[2].capacity, None,
            "unparsable capacity is unknown, not a rejection"
        );
        let f_cut = fixture(&text[..text.len() - 30], ".geojson");
        assert!(read_childcare_osm_geojson(f_cut.path(), "dd").is_err());
        assert!(
            r.notes
                .iter()
                .any(|n| n.starts_with("1 capacity tag(s) not a number"))
        );
        let points = dedupe_by_name(points, 150.0, &mut r);
        assert_eq!(points.len(), 2);
        assert_eq!(r.rejected.get(&Reject::Duplicate), Some(&1));
        assert_eq!(r.unaccounted(), 0);
    }

    #[test]
    fn overpass_fixture() {
        let text = r#"{"version": 0.6, "elements": [
          {"type": "node", "id": 1, "lat": 51.3, "lon": 12.3, "tags": {"amenity": "kindergarten", "name": "Kita A", "capacity": "102"}},
          {"type": "way", "id": 2, "center": {"lat": 51.31, "lon": 12.31}, "tags": {"amenity": "kindergarten"}},
          {"type": "node", "id": 3, "lat": 51.3, "lon": 12.3, "tags": {"amenity": "kindergarten", "note": "Kindertagespflege"}},
          {"type": "node", "id": 4, "lat": 51.3, "lon": 12.3, "tags": {"amenity": "kindergarten", "name": "Tagespflege \"Häschen\""}},
          {"type": "way", "id": 5, "tags": {"amenity": "kindergarten"}},
          {"type": "node", "id": 6, "lat": 0, "lon": 0}
        ]}"#;
        let f = fixture(text, ".json");
        let (points, r) = read_childcare_overpass(f.path(), "le").unwrap();
        assert_eq!((r.rows_read, r.rows_kept), (6, 2));
        assert_eq!(r.rejected.get(&Reject::OutOfScope), Some(&2));
        assert_eq!(r.rejected.get(&Reject::BadCoordinate), Some(&2));
        assert_eq!(r.unaccounted(), 0);
        assert_eq!(points[0].capacity, Some(102.0));
        assert_eq!((points[1].lon, points[1].lat), (12.31, 51.31));
        let f = fixture(&text[..120], ".json");
        assert!(read_childcare_overpass(f.path(), "le").is_err());
        let f = fixture(r#"{"version": 0.6}"#, ".json");
        assert!(
            read_childcare_overpass(f.path(), "le").is_err(),
            "no elements"
        );
    }

    #[test]
    fn real_chemnitz_childcare() {
        let (points, r) = read_childcare_chemnitz(
            &raw("facilities/childcare_chemnitz_kindertageseinrichtungen_2024.geojson"),
            "chk",
        )
        .unwrap();
        // 168 KITA-only + 13 KITA+HORT = 181 with KITA=1, of which 63 are Kindertagespflege.
        assert_eq!((r.rows_read, r.rows_kept), (241, 118));
        assert_eq!(r.rejected.get(&Reject::OutOfScope), Some(&123));
        assert_eq!(r.unaccounted(), 0);
        assert_eq!(points.len(), 118);
    }

    #[test]
    fn real_dresden_childcare() {
        let (points, mut r) = read_childcare_osm_geojson(
            &raw("facilities/childcare_dresden_region_osm_2025.geojson"),
            "dd",
        )
        .unwrap();
        assert_eq!(r.rows_read, 509);
        assert_eq!(
            r.rejected.get(&Reject::OutOfScope),
            Some(&16),
            "16 redacted childminders"
        );
        assert_eq!(r.rows_kept, 493);
        assert_eq!(points.iter().filter(|p| p.capacity.is_some()).count(), 10);
        let points = dedupe_by_name(points, 150.0, &mut r);
        assert_eq!(r.rejected.get(&Reject::Duplicate), Some(&15));
        assert_eq!((points.len(), r.rows_kept), (478, 478));
        assert_eq!(r.unaccounted(), 0);
    }

    #[test]
    fn real_leipzig_childcare() {
        let (points, mut r) = read_childcare_overpass(
            &raw("facilities/childcare_leipzig_osm_2024-07-10.json"),
            "le",
        )
        .unwrap();
        assert_eq!(r.rows_read, 311);
        assert_eq!(
            r.rejected.get(&Reject::OutOfScope),
            Some(&3),
            "three childminders"
        );
        assert_eq!(r.rows_kept, 308);
        let caps: Vec<f64> = points.iter().filter_map(|p| p.capacity).collect();
        assert_eq!((caps.len(), caps.iter().sum::<f64>()), (71, 9599.0));
        let points = dedupe_by_name(points, 150.0, &mut r);
        assert_eq!(r.rejected.get(&Reject::Duplicate), Some(&3));
        assert_eq!((points.len(), r.rows_kept), (305, 305));
        assert_eq!(r.unaccounted(), 0);
    }
}

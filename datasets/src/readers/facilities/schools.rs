//! School readers: the statewide Sächsische Schuldatenbank export (coordinates, but no school
//! type), the older Schuldatenbank dump (school types, but no coordinates) that types it, and
//! the Stadt Chemnitz school file (the only one with Förderschulen and berufsbildende Schulen
//! as points).

use super::{array_member, feature_point, features, json_str, lonlat, new_report, point, prop};
use crate::error::Result;
use crate::facility::{Category, FacilityPoint};
use crate::readers::rows::{account_rows, point_rows};
use crate::report::{Reject, SourceReport};
use crate::text::normalise_ags;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

/// Reads `schools_sn_schuldatenbank_institutionen_2021-02.json` into school id → the sorted,
/// distinct `school_type_keys` of all its buildings.
///
/// Why: the 2026 export with coordinates has no type field, and a family needs to know which
/// school is a Grundschule and which a Gymnasium; this dump shares the id space. Keys are JSON
/// numbers (`[11]`), except six buildings that carry `[""]`; empty or non-numeric keys are
/// ignored. One row = one institution: kept if it has at least one key, else
/// [`Reject::SourceMissing`]; a repeated id is a [`Reject::Duplicate`].
pub fn read_school_types(
    path: &Path,
    source_id: &str,
) -> Result<(HashMap<String, Vec<u32>>, SourceReport)> {
    read_school_types_bytes(path, &crate::error::read_file(path)?, source_id)
}

/// [`read_school_types`] on the file's bytes, already in memory; `path` only names the file in
/// errors and the report.
pub fn read_school_types_bytes(
    path: &Path,
    bytes: &[u8],
    source_id: &str,
) -> Result<(HashMap<String, Vec<u32>>, SourceReport)> {
    let (doc, encoding) = super::parse_json(path, bytes)?;
    let mut report = new_report(source_id, path, encoding);
    let mut types: HashMap<String, Vec<u32>> = HashMap::new();
    let mut ignored_keys = 0usize;
    account_rows(&mut report, array_member(path, &doc, None)?, |inst| {
        let id = json_str(inst.get("id")).ok_or(Reject::SourceMissing)?;
        if types.contains_key(&id) {
            return Err(Reject::Duplicate);
        }
        let mut keys = BTreeSet::new();
        let buildings = inst.get("buildings").and_then(Value::as_array);
        for b in buildings.into_iter().flatten() {
            let list = b.get("school_type_keys").and_then(Value::as_array);
            for k in list.into_iter().flatten() {
                match type_key(k) {
                    Some(k) => {
                        keys.insert(k);
                    }
                    None => ignored_keys += 1,
                }
            }
        }
        if keys.is_empty() {
            return Err(Reject::SourceMissing);
        }
        types.insert(id, keys.into_iter().collect());
        Ok(())
    });
    if ignored_keys > 0 {
        report.note(format!(
            "{ignored_keys} empty or non-numeric school_type_keys entr(y/ies) ignored"
        ));
    }
    Ok((types, report))
}

/// A school type key written as a number or as a numeric string.
fn type_key(v: &Value) -> Option<u32> {
    match v {
        Value::Number(n) => n.as_u64().and_then(|k| u32::try_from(k).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The categories of the Schuldatenbank general-education type keys. Keys 14–16 and 19 (the
/// export query also selected them, e.g. for Gemeinschaftsschulen) occur nowhere in the 2021
/// dump, so Gemeinschaftsschulen are typed by name (as Oberschule).
fn categories_of_keys(keys: &[u32]) -> Vec<Category> {
    let mut out = Vec::new();
    for (key, cat) in [
        (11, Category::PrimarySchool),
        (12, Category::Oberschule),
        (13, Category::Gymnasium),
    ] {
        if keys.contains(&key) {
            out.push(cat);
        }
    }
    out
}

/// The categories a school's name announces: "Grundschule" (also "Grund- und Oberschule"),
/// "Oberschule" (also "Oberschule+"), "Gemeinschaftsschule" (counted as Oberschule, the
/// secondary school it replaces for a family) and "Gymnasium"; case-insensitive, so that
/// "Universitätsgemeinschaftsschule" is found too.
fn categories_of_name(name: &str) -> Vec<Category> {
    let n = name.to_lowercase();
    let mut out = Vec::new();
    if n.contains("grundschule") || n.contains("grund- und") {
        out.push(Category::PrimarySchool);
    }
    if n.contains("oberschule") || n.contains("gemeinschaftsschule") {
        out.push(Category::Oberschule);
    }
    if n.contains("gymnasium") {
        out.push(Category::Gymnasium);
    }
    out
}

/// Reads `schools_sn_schuldatenbank_allgemeinbildend_2026-02.json`: one point per school and
/// category, at the school's first building that is not flagged `relocated` (a temporary site
/// during building works is not where the school normally is), else at its first building.
///
/// Why types come from two places: the export has no type field; `types` (from
/// [`read_school_types`]) covers most ids, and for the others the name says what the school is.
/// A note records how many were typed by name; schools typed neither way (a Waldorf school
/// without "Grundschule" in its name, say) are [`Reject::OutOfScope`], as lotse cannot tell
/// which distance they shorten. A repeated id (the export lists two schools twice, once per
/// site) is a [`Reject::Duplicate`]: one school, one point. `ags_hint` is the building's
/// `community_key`.
pub fn read_schools_schuldatenbank(
    path: &Path,
    source_id: &str,
    types: &HashMap<String, Vec<u32>>,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    read_schools_schuldatenbank_bytes(path, &crate::error::read_file(path)?, source_id, types)
}

/// [`read_schools_schuldatenbank`] on the file's bytes, already in memory; `path` only names the
/// file in errors and the report.
pub fn read_schools_schuldatenbank_bytes(
    path: &Path,
    bytes: &[u8],
    source_id: &str,
    types: &HashMap<String, Vec<u32>>,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    let (doc, encoding) = super::parse_json(path, bytes)?;
    let mut report = new_report(source_id, path, encoding);
    let mut seen: HashSet<String> = HashSet::new();
    let (mut by_name, mut duplicate_ids) = (0usize, Vec::new());
    let schools = array_member(path, &doc, None)?;
    let points = point_rows(&mut report, schools, |school, out| {
        let id = json_str(school.get("id"));
        if let Some(id) = &id
            && seen.contains(id)
        {
            duplicate_ids.push(id.clone());
            return Err(Reject::Duplicate);
        }
        let name = json_str(school.get("name"));
        let mut typed_by_name = false;
        let mut categories = id
            .as_ref()
            .and_then(|id| types.get(id))
            .map(|keys| categories_of_keys(keys))
            .unwrap_or_default();
        if categories.is_empty() {
            categories = name.as_deref().map(categories_of_name).unwrap_or_default();
            if categories.is_empty() {
                return Err(Reject::OutOfScope);
            }
            typed_by_name = true;
        }
        let buildings = school
            .get("buildings")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let building = buildings
            .iter()
            .find(|b| b.get("relocated").and_then(Value::as_bool) != Some(true))
            .or_else(|| buildings.first())
            .ok_or(Reject::BadCoordinate)?;
        let lonlat = lonlat(building.get("longitude"), building.get("latitude"))?;
        let ags = json_str(building.get("community_key")).and_then(|k| normalise_ags(&k));
        for category in categories {
            let mut p = point(category, lonlat, name.clone(), source_id);
            p.ags_hint = ags.clone();
            out.push(p);
        }
        if let Some(id) = id {
            seen.insert(id);
        }
        by_name += usize::from(typed_by_name);
        Ok(())
    });
    report.note(format!(
        "{by_name} school(s) typed by their name (id without a type key 11–13 in the 2021 institutions file)"
    ));
    if !duplicate_ids.is_empty() {
        report.note(format!(
            "school id(s) listed more than once, first entry kept: {}",
            duplicate_ids.join(", ")
        ));
    }
    Ok((points, report))
}

/// Reads `schools_chemnitz_stadt_2023-12.geojson` by its `ART`: Grundschule, Oberschule,
/// Gymnasium, Förderschule (→ SpecialSchool) and Berufsbildende Schule (→ VocationalSchool).
///
/// Why: it is the only file with Förderschulen and berufsbildende Schulen as points. Other ARTs
/// (evening schools of the zweiter Bildungsweg, a planetarium, a boarding house) are not a
/// family's school and are [`Reject::OutOfScope`].
pub fn read_schools_chemnitz(
    path: &Path,
    source_id: &str,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    read_schools_chemnitz_bytes(path, &crate::error::read_file(path)?, source_id)
}

/// [`read_schools_chemnitz`] on the file's bytes, already in memory; `path` only names the file in
/// errors and the report.
pub fn read_schools_chemnitz_bytes(
    path: &Path,
    bytes: &[u8],
    source_id: &str,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    let (doc, encoding) = super::parse_json(path, bytes)?;
    let mut report = new_report(source_id, path, encoding);
    let points = point_rows(&mut report, features(path, &doc)?, |f, out| {
        let art = json_str(prop(f, "ART")).unwrap_or_default();
        let category = match art.as_str() {
            "Grundschule" => Category::PrimarySchool,
            "Oberschule" => Category::Oberschule,
            "Gymnasium" => Category::Gymnasium,
            "Förderschule" => Category::SpecialSchool,
            "Berufsbildende Schule" => Category::VocationalSchool,
            _ => return Err(Reject::OutOfScope),
        };
        let c = feature_point(f)?;
        out.push(point(
            category,
            c,
            json_str(prop(f, "BEZEICHNUNG")),
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

    const INSTITUTIONS: &str = r#"[
      {"id": 1, "buildings": [{"school_type_keys": [11]}, {"school_type_keys": [12, ""]}]},
      {"id": 2, "buildings": [{"school_type_keys": ["13"]}]},
      {"id": 3, "buildings": [{"school_type_keys": [""]}]},
      {"id": 2, "buildings": [{"school_type_keys": [11]}]},
      {"buildings": []}
    ]"#;

    #[test]
    fn school_types_fixture() {
        let f = fixture(INSTITUTIONS, ".json");
        let (types, r) = read_school_types(f.path(), "inst").unwrap();
        assert_eq!(types.get("1"), Some(&vec![11, 12]));
        assert_eq!(types.get("2"), Some(&vec![13]));
        assert!(!types.contains_key("3"));
        assert_eq!((r.rows_read, r.rows_kept), (5, 2));
        assert_eq!(r.rejected.get(&Reject::SourceMissing), Some(&2));
        assert_eq!(r.rejected.get(&Reject::Duplicate), Some(&1));
        assert_eq!(r.unaccounted(), 0);
    }

    #[test]
    fn school_types_truncated_is_an_error() {
        let f = fixture(&INSTITUTIONS[..60], ".json");
        assert!(read_school_types(f.path(), "inst").is_err());
        let f = fixture(r#"{"id": 1}"#, ".json");
        assert!(
            read_school_types(f.path(), "inst").is_err(),
            "object, not array"
        );
    }

    fn building(relocated: bool, lon: &str, lat: &str) -> String {
        format!(
            r#"{{"relocated": {relocated}, "community_key": "14612000", "longitude": {lon}, "latitude": {lat}}}"#
        )
    }

    #[test]
    fn schuldatenbank_fixture() {
        let types: HashMap<String, Vec<u32>> =
            [("1".to_string(), vec![11, 12]), ("5".to_string(), vec![58])].into();
        let school = |id: u32, name: &str, buildings: &[String]| {
            format!(
                r#"{{"id": {id}, "name": "{name}", "buildings": [{}]}}"#,
                buildings.join(", ")
            )
        };
        let schools = [
            // typed by key, two categories, relocated first building skipped
            school(
                1,
                "Schule A",
                &[
                    building(true, "13.0", "51.0"),
                    building(false, "13.5", "51.5"),
                ],
            ),
            // typed by name
            school(2, "Gymnasium B", &[building(false, "13.1", "51.1")]),
            // same id again
            school(2, "Gymnasium B", &[building(false, "13.2", "51.2")]),
            // key 58 only, name says nothing: out of scope
            school(
                5,
                "International School",
                &[building(false, "13.1", "51.1")],
            ),
            // a point at 0,0
            school(6, "Grundschule C", &[building(false, "0", "0")]),
            // text in a number field
            school(7, "Oberschule D", &[building(false, "\"abc\"", "51.0")]),
            // no buildings at all
            school(8, "Grundschule E", &[]),
        ];
        let text = format!("[{}]", schools.join(", "));
        let f = fixture(&text, ".json");
        let (points, r) = read_schools_schuldatenbank(f.path(), "sdb", &types).unwrap();
        assert_eq!((r.rows_read, r.rows_kept), (7, 2));
        assert_eq!(r.rejected.get(&Reject::Duplicate), Some(&1));
        assert_eq!(r.rejected.get(&Reject::OutOfScope), Some(&1));
        assert_eq!(r.rejected.get(&Reject::BadCoordinate), Some(&3));
        assert_eq!(r.unaccounted(), 0);
        let cats: Vec<_> = points.iter().map(|p| p.category).collect();
        assert_eq!(
            cats,
            [
                Category::PrimarySchool,
                Category::Oberschule,
                Category::Gymnasium
            ]
        );
        assert_eq!((points[0].lon, points[0].lat), (13.5, 51.5));
        assert_eq!(points[0].ags_hint.as_deref(), Some("14612000"));
        assert_eq!(points[0].source, "sdb");
        assert!(r.notes[0].starts_with("1 school(s) typed by their name"));
        let f = fixture(&text[..text.len() / 2], ".json");
        assert!(read_schools_schuldatenbank(f.path(), "sdb", &types).is_err());
    }

    #[test]
    fn names_give_types() {
        use Category::*;
        assert_eq!(
            categories_of_name("Grundschule Weststraße"),
            [PrimarySchool]
        );
        assert_eq!(
            categories_of_name("Nachbarschaftsschule - Grund- und Oberschule der Stadt Leipzig"),
            [PrimarySchool, Oberschule]
        );
        assert_eq!(
            categories_of_name("Universitätsgemeinschaftsschule"),
            [Oberschule]
        );
        assert_eq!(
            categories_of_name("Freie Alternativschule - Oberschule+"),
            [Oberschule]
        );
        assert!(categories_of_name("Kooperationsschule Chemnitz").is_empty());
    }

    #[test]
    fn chemnitz_fixture() {
        let text = r#"{"type": "FeatureCollection", "features": [
          {"type": "Feature", "properties": {"ART": "Förderschule", "BEZEICHNUNG": "F"},
           "geometry": {"type": "Point", "coordinates": [12.9, 50.8]}},
          {"type": "Feature", "properties": {"ART": "Berufsbildende Schule", "BEZEICHNUNG": "B"},
           "geometry": {"type": "Point", "coordinates": [12.9, 50.8]}},
          {"type": "Feature", "properties": {"ART": "Sonstige Einrichtung"},
           "geometry": {"type": "Point", "coordinates": [12.9, 50.8]}},
          {"type": "Feature", "properties": {"ART": "Grundschule"},
           "geometry": {"type": "Point", "coordinates": [0, 0]}},
          {"type": "Feature", "properties": {"ART": "Gymnasium"}, "geometry": null}
        ]}"#;
        let f = fixture(text, ".geojson");
        let (points, r) = read_schools_chemnitz(f.path(), "chs").unwrap();
        assert_eq!((r.rows_read, r.rows_kept), (5, 2));
        assert_eq!(r.rejected.get(&Reject::OutOfScope), Some(&1));
        assert_eq!(r.rejected.get(&Reject::BadCoordinate), Some(&2));
        assert_eq!(r.unaccounted(), 0);
        assert_eq!(points[0].category, Category::SpecialSchool);
        assert_eq!(points[1].category, Category::VocationalSchool);
        let f = fixture(&text[..200], ".geojson");
        assert!(read_schools_chemnitz(f.path(), "chs").is_err());
    }

    #[test]
    fn real_schuldatenbank_files() {
        let (types, tr) = read_school_types(
            &raw("facilities/schools_sn_schuldatenbank_institutionen_2021-02.json"),
            "inst",
        )
        .unwrap();
        assert_eq!(tr.rows_read, 2212, "institutions");
        assert_eq!(tr.rows_kept, 2210);
        assert_eq!(tr.rejected.get(&Reject::SourceMissing), Some(&2));
        assert_eq!(tr.unaccounted(), 0);
        let count = |k: u32| types.values().filter(|v| v.contains(&k)).count();
        assert_eq!((count(11), count(12), count(13)), (852, 373, 179));

        let (points, r) = read_schools_schuldatenbank(
            &raw("facilities/schools_sn_schuldatenbank_allgemeinbildend_2026-02.json"),
            "sdb",
            &types,
        )
        .unwrap();
        assert_eq!(r.rows_read, 1421, "schools");
        assert_eq!(
            r.rejected.get(&Reject::Duplicate),
            Some(&2),
            "ids 4153 and 2490"
        );
        assert_eq!(r.rejected.get(&Reject::OutOfScope), Some(&5));
        assert_eq!(r.rows_kept, 1414);
        assert_eq!(r.unaccounted(), 0);
        assert!(
            r.notes[0].starts_with("42 school(s) typed by their name"),
            "{:?}",
            r.notes
        );
        let n = |c: Category| points.iter().filter(|p| p.category == c).count();
        assert_eq!(n(Category::PrimarySchool), 852);
        assert_eq!(n(Category::Oberschule), 389);
        assert_eq!(n(Category::Gymnasium), 188);
        assert!(
            points
                .iter()
                .all(|p| p.ags_hint.as_deref().is_some_and(|a| a.starts_with("14")))
        );
    }

    #[test]
    fn real_chemnitz_schools() {
        let (points, r) = read_schools_chemnitz(
            &raw("facilities/schools_chemnitz_stadt_2023-12.geojson"),
            "chs",
        )
        .unwrap();
        assert_eq!((r.rows_read, r.rows_kept), (139, 133));
        assert_eq!(r.rejected.get(&Reject::OutOfScope), Some(&6));
        assert_eq!(r.unaccounted(), 0);
        let n = |c: Category| points.iter().filter(|p| p.category == c).count();
        assert_eq!(n(Category::PrimarySchool), 51);
        assert_eq!(n(Category::Oberschule), 23);
        assert_eq!(n(Category::Gymnasium), 14);
        assert_eq!(n(Category::SpecialSchool), 17);
        assert_eq!(n(Category::VocationalSchool), 28);
    }
}

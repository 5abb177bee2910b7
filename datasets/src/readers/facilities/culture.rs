//! Culture readers: notable sites statewide from Wikidata, and the Chemnitz OSM culture export.

use super::{feature_point, features, json_str, new_report, point, prop};
use crate::error::Result;
use crate::facility::{Category, FacilityPoint, check_lonlat};
use crate::readers::rows::point_rows;
use crate::report::{Reject, SourceReport};
use crate::table::Table;
use crate::text::parse_number;
use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;

/// The Wikidata `heritage_type`s that count as culture for a family: places to go on a
/// weekend (museums, zoos, theatres, cinemas, gardens and parks, halls for events).
const WIKIDATA_CULTURE: [&str; 10] = [
    "Museum",
    "Art Museum",
    "Zoo",
    "Theatre Building",
    "Movie Theater",
    "Botanical Garden",
    "Garden",
    "Park",
    "Cultural Institution",
    "Multi-Purpose Hall",
];

/// Reads `leisure_sn_wikidata_culture_sites_2026.csv` (`,`-separated: `wikidata_id`, `title`,
/// `heritage_type`, `latitude`, `longitude`): Museum, Art Museum, Zoo, Theatre Building, Movie
/// Theater, Botanical Garden, Garden, Park, Cultural Institution and Multi-Purpose Hall become
/// [`Category::Culture`] (parks and gardens too: here they are notable sites such as
/// Großer Garten or Muskau Park, a day out rather than the park next door).
///
/// Libraries (and any type not listed) are [`Reject::OutOfScope`]: libraries come from the
/// statewide library file, and counting the 11 notable ones again would double them. A
/// repeated QID is a [`Reject::Duplicate`]; a coordinate that is empty or text is a
/// [`Reject::BadCoordinate`] (one broken row must not cost the other 235).
pub fn read_culture_wikidata(
    path: &Path,
    source_id: &str,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    read_culture_wikidata_bytes(path, &crate::error::read_file(path)?, source_id)
}

/// [`read_culture_wikidata`] on the file's bytes, already in memory; `path` only names the file in
/// errors and the report.
pub fn read_culture_wikidata_bytes(
    path: &Path,
    bytes: &[u8],
    source_id: &str,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    let table = Table::from_bytes(path, bytes, b',')?;
    let mut report = new_report(source_id, path, table.encoding);
    let (qid, title, kind) = (
        table.col("wikidata_id")?,
        table.col("title")?,
        table.col("heritage_type")?,
    );
    let (lat, lon) = (table.col("latitude")?, table.col("longitude")?);
    let mut seen = HashSet::new();
    let points = point_rows(&mut report, &table.rows, |row, out| {
        if !WIKIDATA_CULTURE.contains(&table.text(row, kind)) {
            return Err(Reject::OutOfScope);
        }
        let id = table.text(row, qid);
        if !id.is_empty() && !seen.insert(id.to_string()) {
            return Err(Reject::Duplicate);
        }
        let number = |col| parse_number(table.text(row, col)).ok().flatten();
        let c = match (number(lon), number(lat)) {
            (Some(x), Some(y)) => check_lonlat(x, y).map(|()| (x, y)),
            _ => Err(Reject::BadCoordinate),
        }?;
        let name = Some(table.text(row, title).to_string()).filter(|s| !s.is_empty());
        out.push(point(Category::Culture, c, name, source_id));
        Ok(())
    });
    Ok((points, report))
}

/// Reads `leisure_chemnitz_kultur_osm_2025-05.geojson` (overpass-turbo export, ways as their
/// centre point): `tourism=museum|gallery` and `amenity=theatre|arts_centre|cinema` become
/// [`Category::Culture`].
///
/// Everything else is [`Reject::OutOfScope`]: the file is kept as published and is mostly
/// restaurants (231) and public artworks (117), which are not what "culture nearby" means.
pub fn read_culture_osm_geojson(
    path: &Path,
    source_id: &str,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    read_culture_osm_geojson_bytes(path, &crate::error::read_file(path)?, source_id)
}

/// [`read_culture_osm_geojson`] on the file's bytes, already in memory; `path` only names the file
/// in errors and the report.
pub fn read_culture_osm_geojson_bytes(
    path: &Path,
    bytes: &[u8],
    source_id: &str,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    let (doc, encoding) = super::parse_json(path, bytes)?;
    let mut report = new_report(source_id, path, encoding);
    let points = point_rows(&mut report, features(path, &doc)?, |f, out| {
        let tag = |k: &str| prop(f, k).and_then(Value::as_str);
        let is_culture = matches!(tag("tourism"), Some("museum" | "gallery"))
            || matches!(tag("amenity"), Some("theatre" | "arts_centre" | "cinema"));
        if !is_culture {
            return Err(Reject::OutOfScope);
        }
        let c = feature_point(f)?;
        out.push(point(
            Category::Culture,
            c,
            json_str(prop(f, "name")),
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
    fn wikidata_fixture() {
        let text = "wikidata_id,title,heritage_type,latitude,longitude,source_path\n\
                    Q1,Albertinum,Art Museum,51.0519,13.7444,a.md\n\
                    Q2,Zoo Leipzig,Zoo,51.35,12.37,b.md\n\
                    Q3,Stadtbibliothek,Library,51.3,12.3,c.md\n\
                    Q1,Albertinum,Art Museum,51.0519,13.7444,a.md\n\
                    Q4,Nowhere,Museum,0,0,d.md\n\
                    Q5,Broken,Park,abc,13.7,e.md\n";
        let f = fixture(text, ".csv");
        let (points, r) = read_culture_wikidata(f.path(), "wd").unwrap();
        assert_eq!((r.rows_read, r.rows_kept), (6, 2));
        assert_eq!(r.rejected.get(&Reject::OutOfScope), Some(&1));
        assert_eq!(r.rejected.get(&Reject::Duplicate), Some(&1));
        assert_eq!(r.rejected.get(&Reject::BadCoordinate), Some(&2));
        assert_eq!(r.unaccounted(), 0);
        assert_eq!((points[0].lon, points[0].lat), (13.7444, 51.0519));
        // A truncated last line is a file error naming the line.
        let f = fixture(&text[..text.len() - 12], ".csv");
        let err = read_culture_wikidata(f.path(), "wd")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 7"), "{err}");
        // A file without the expected columns is a file error.
        let f = fixture("a;b\n1;2\n", ".csv");
        assert!(read_culture_wikidata(f.path(), "wd").is_err());
    }

    #[test]
    fn osm_fixture() {
        let text = r#"{"type": "FeatureCollection", "features": [
          {"type": "Feature", "properties": {"tourism": "museum", "name": "Museum A"},
           "geometry": {"type": "Point", "coordinates": [12.9, 50.8]}},
          {"type": "Feature", "properties": {"amenity": "cinema", "name": "Kino"},
           "geometry": {"type": "Point", "coordinates": [12.9, 50.8]}},
          {"type": "Feature", "properties": {"tourism": "hotel", "amenity": "restaurant"},
           "geometry": {"type": "Point", "coordinates": [12.9, 50.8]}},
          {"type": "Feature", "properties": {"tourism": "artwork"},
           "geometry": {"type": "Point", "coordinates": [12.9, 50.8]}},
          {"type": "Feature", "properties": {"amenity": "theatre"},
           "geometry": {"type": "Point", "coordinates": [0, 0]}}
        ]}"#;
        let f = fixture(text, ".geojson");
        let (points, r) = read_culture_osm_geojson(f.path(), "ck").unwrap();
        assert_eq!((r.rows_read, r.rows_kept), (5, 2));
        assert_eq!(r.rejected.get(&Reject::OutOfScope), Some(&2));
        assert_eq!(r.rejected.get(&Reject::BadCoordinate), Some(&1));
        assert_eq!(r.unaccounted(), 0);
        assert!(points.iter().all(|p| p.category == Category::Culture));
        let f = fixture(&text[..100], ".geojson");
        assert!(read_culture_osm_geojson(f.path(), "ck").is_err());
    }

    #[test]
    fn real_wikidata() {
        let (_, r) = read_culture_wikidata(
            &raw("facilities/leisure_sn_wikidata_culture_sites_2026.csv"),
            "wd",
        )
        .unwrap();
        assert_eq!((r.rows_read, r.rows_kept), (236, 225));
        assert_eq!(r.rejected.get(&Reject::OutOfScope), Some(&11), "libraries");
        assert_eq!(r.unaccounted(), 0);
    }

    #[test]
    fn real_chemnitz_culture() {
        let (_, r) = read_culture_osm_geojson(
            &raw("facilities/leisure_chemnitz_kultur_osm_2025-05.geojson"),
            "ck",
        )
        .unwrap();
        // 21 museums + 12 theatres + 3 galleries.
        assert_eq!((r.rows_read, r.rows_kept), (384, 36));
        assert_eq!(r.rejected.get(&Reject::OutOfScope), Some(&348));
        assert_eq!(r.unaccounted(), 0);
    }
}

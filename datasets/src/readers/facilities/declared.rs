//! The reader of declared point files: CSV or GeoJSON files whose manifest entry says, in a
//! [`PointLayout`], where each point's coordinates, name and category are. A new point source
//! in one of these shapes is a manifest entry, not code.

use super::{feature_point, features, json_str, lonlat, new_report, point, prop};
use crate::error::{DatasetError, Result};
use crate::facility::{Category, FacilityPoint, check_lonlat};
use crate::manifest::{PointFormat, PointLayout};
use crate::readers::rows::point_rows;
use crate::report::{Reject, SourceReport};
use crate::table::Table;
use crate::text::parse_number;
use std::path::Path;

/// Reads a declared point file: one row (CSV record, GeoJSON feature) is one point of the
/// category the layout gives it, or a rejection (a category value the layout does not list is
/// out of scope; a missing, unparsable or impossible coordinate is a bad coordinate). A missing
/// column or a file that is not a FeatureCollection is an error naming the file.
pub fn read_declared_points(
    path: &Path,
    source_id: &str,
    layout: &PointLayout,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    read_declared_points_bytes(path, &crate::error::read_file(path)?, source_id, layout)
}

/// [`read_declared_points`] on the file's bytes, already in memory; `path` only names the file in
/// errors and the report.
pub fn read_declared_points_bytes(
    path: &Path,
    bytes: &[u8],
    source_id: &str,
    layout: &PointLayout,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    match layout.format {
        PointFormat::Csv => read_csv(path, bytes, source_id, layout),
        PointFormat::Geojson => read_geojson(path, bytes, source_id, layout),
    }
}

/// The category a row's value stands for (a fixed category ignores the value).
fn category_of(layout: &PointLayout, value: Option<&str>) -> Result<Category, Reject> {
    if let Some(c) = layout.category {
        return Ok(c);
    }
    value
        .and_then(|v| layout.categories.get(v.trim()))
        .copied()
        .ok_or(Reject::OutOfScope)
}

fn read_csv(
    path: &Path,
    bytes: &[u8],
    source_id: &str,
    layout: &PointLayout,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    let delimiter = layout.delimiter.map_or(b',', |d| d as u8);
    let table = Table::from_bytes(path, bytes, delimiter)?;
    let mut report = new_report(source_id, path, table.encoding);
    let column = |name: &Option<String>| name.as_deref().map(|n| table.col(n)).transpose();
    let (Some(lon), Some(lat)) = (column(&layout.lon)?, column(&layout.lat)?) else {
        return Err(DatasetError::Manifest(format!(
            "source {source_id:?}: a CSV point layout must name its lon and lat columns"
        )));
    };
    let (name, category) = (column(&layout.name)?, column(&layout.category_column)?);
    let points = point_rows(&mut report, &table.rows, |row, out| {
        let category = category_of(layout, category.map(|c| table.text(row, c)))?;
        let number = |col| parse_number(table.text(row, col)).ok().flatten();
        let c = match (number(lon), number(lat)) {
            (Some(x), Some(y)) => check_lonlat(x, y).map(|()| (x, y)),
            _ => Err(Reject::BadCoordinate),
        }?;
        let name = name
            .map(|n| table.text(row, n).trim().to_string())
            .filter(|n| !n.is_empty());
        out.push(point(category, c, name, source_id));
        Ok(())
    });
    Ok((points, report))
}

fn read_geojson(
    path: &Path,
    bytes: &[u8],
    source_id: &str,
    layout: &PointLayout,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    let (doc, encoding) = super::parse_json(path, bytes)?;
    let mut report = new_report(source_id, path, encoding);
    let points = point_rows(&mut report, features(path, &doc)?, |f, out| {
        let value = layout
            .category_column
            .as_deref()
            .and_then(|k| json_str(prop(f, k)));
        let category = category_of(layout, value.as_deref())?;
        let c = match (&layout.lon, &layout.lat) {
            (Some(x), Some(y)) => lonlat(prop(f, x), prop(f, y))?,
            _ => feature_point(f)?,
        };
        let name = layout.name.as_deref().and_then(|k| json_str(prop(f, k)));
        out.push(point(category, c, name, source_id));
        Ok(())
    });
    Ok((points, report))
}

#[cfg(test)]
mod tests {
    use super::super::test_util::fixture;
    use super::*;

    fn layout(toml_text: &str) -> PointLayout {
        toml::from_str(toml_text).expect("a layout")
    }

    #[test]
    fn csv_with_a_category_column() {
        let l = layout(
            r#"format = "csv"
delimiter = ";"
lon = "x"
lat = "y"
name = "title"
category_column = "kind"
categories = { "Museum" = "culture", "Bad" = "pool" }"#,
        );
        let f = fixture(
            "title;kind;x;y\nA;Museum;13,7;51,0\nB;Bad;13.7;51.0\nC;Kiosk;13.7;51.0\nD;Museum;;51\nE;Museum;0;0\n;Bad;12.9;50.8\n",
            ".csv",
        );
        let (points, r) = read_declared_points(f.path(), "s", &l).unwrap();
        assert_eq!((r.rows_read, r.rows_kept), (6, 3));
        assert_eq!(r.rejected.get(&Reject::OutOfScope), Some(&1));
        assert_eq!(r.rejected.get(&Reject::BadCoordinate), Some(&2));
        assert_eq!(r.unaccounted(), 0);
        assert_eq!(points[0].category, Category::Culture);
        assert_eq!((points[0].lon, points[0].lat), (13.7, 51.0));
        assert_eq!(points[1].category, Category::Pool);
        assert_eq!(points[2].name, None, "an empty name is no name");
        let missing =
            layout("format = \"csv\"\nlon = \"lon\"\nlat = \"y\"\ncategory = \"culture\"");
        let err = read_declared_points(f.path(), "s", &missing)
            .unwrap_err()
            .to_string();
        assert!(err.contains(&f.path().display().to_string()), "{err}");
    }

    #[test]
    fn geojson_at_its_geometry_with_a_fixed_category() {
        let l = layout("format = \"geojson\"\nname = \"name\"\ncategory = \"playground\"");
        let f = fixture(
            r#"{"type": "FeatureCollection", "features": [
              {"type": "Feature", "properties": {"name": "Spielplatz"},
               "geometry": {"type": "Point", "coordinates": [12.37, 51.34]}},
              {"type": "Feature", "properties": {}, "geometry": null}
            ]}"#,
            ".geojson",
        );
        let (points, r) = read_declared_points(f.path(), "s", &l).unwrap();
        assert_eq!((r.rows_read, r.rows_kept), (2, 1));
        assert_eq!(r.rejected.get(&Reject::BadCoordinate), Some(&1));
        assert_eq!(points[0].name.as_deref(), Some("Spielplatz"));
        assert_eq!(points[0].category, Category::Playground);
        let f = fixture("{\"type\": \"Feature\"}", ".geojson");
        assert!(read_declared_points(f.path(), "s", &l).is_err());
    }
}

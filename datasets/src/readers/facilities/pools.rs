//! Swimming pools from the Bäderleben national pool database (intermediate export filtered to
//! Saxony).

use super::{array_member, json_str, lonlat, new_report, point};
use crate::error::Result;
use crate::facility::{Category, FacilityPoint};
use crate::readers::rows::point_rows;
use crate::report::{Reject, SourceReport};
use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;

/// Reads `leisure_sn_baederleben_pools_2026.json` (`{"pools": [...]}`): every pool becomes a
/// [`Category::Pool`] point, and pools with `env` `int` (Hallenbad, Freizeitbad) or `mix`
/// (Kombibad, Cabriobad) also an [`Category::IndoorPool`] point.
///
/// Why two categories: an outdoor pool is open three months a year; a family that swims in
/// winter needs the distance to an indoor one. Because of that, `rows_kept` counts pool
/// *records*, not points: 302 records give 388 points. A repeated `id` is a
/// [`Reject::Duplicate`]; an unknown `env` keeps the pool as a plain Pool, with a note.
pub fn read_pools_baederleben(
    path: &Path,
    source_id: &str,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    read_pools_baederleben_bytes(path, &crate::error::read_file(path)?, source_id)
}

/// [`read_pools_baederleben`] on the file's bytes, already in memory; `path` only names the file in
/// errors and the report.
pub fn read_pools_baederleben_bytes(
    path: &Path,
    bytes: &[u8],
    source_id: &str,
) -> Result<(Vec<FacilityPoint>, SourceReport)> {
    let (doc, encoding) = super::parse_json(path, bytes)?;
    let mut report = new_report(source_id, path, encoding);
    let mut seen = HashSet::new();
    let mut unknown_env = 0usize;
    let pools = array_member(path, &doc, Some("pools"))?;
    let points = point_rows(&mut report, pools, |pool, out| {
        if let Some(id) = json_str(pool.get("id"))
            && !seen.insert(id)
        {
            return Err(Reject::Duplicate);
        }
        let c = lonlat(pool.get("lon"), pool.get("lat"))?;
        let name = json_str(pool.get("name"));
        out.push(point(Category::Pool, c, name.clone(), source_id));
        match pool.get("env").and_then(Value::as_str) {
            Some("int" | "mix") => out.push(point(Category::IndoorPool, c, name, source_id)),
            Some("ext") => {}
            _ => unknown_env += 1,
        }
        Ok(())
    });
    let indoor = points
        .iter()
        .filter(|p| p.category == Category::IndoorPool)
        .count();
    report.note(format!(
        "{} pool record(s) kept as {} points: every pool is a Pool, {indoor} (env int/mix) also an IndoorPool",
        report.rows_kept,
        points.len()
    ));
    if unknown_env > 0 {
        report.note(format!(
            "{unknown_env} pool(s) without a known env (int/ext/mix) counted as outdoor-only"
        ));
    }
    Ok((points, report))
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{fixture, raw};
    use super::*;

    #[test]
    fn pools_fixture() {
        let text = r#"{"updated": "x", "pools": [
          {"id": "DE1", "name": "Hallenbad", "lat": 51.0, "lon": 13.7, "env": "int"},
          {"id": "DE2", "name": "Freibad", "lat": 51.0, "lon": 13.7, "env": "ext"},
          {"id": "DE3", "name": "Kombibad", "lat": "51,1", "lon": 13.7, "env": "mix"},
          {"id": "DE1", "name": "Hallenbad", "lat": 51.0, "lon": 13.7, "env": "int"},
          {"id": "DE4", "name": "Null", "lat": 0, "lon": 0, "env": "ext"},
          {"id": "DE5", "name": "Text", "lat": "abc", "lon": 13.7, "env": "ext"},
          {"id": "DE6", "name": "Odd", "lat": 51.0, "lon": 13.7}
        ]}"#;
        let f = fixture(text, ".json");
        let (points, r) = read_pools_baederleben(f.path(), "pools").unwrap();
        assert_eq!((r.rows_read, r.rows_kept), (7, 4));
        assert_eq!(r.rejected.get(&Reject::Duplicate), Some(&1));
        assert_eq!(r.rejected.get(&Reject::BadCoordinate), Some(&2));
        assert_eq!(r.unaccounted(), 0);
        assert_eq!(points.len(), 6);
        let indoor: Vec<_> = points
            .iter()
            .filter(|p| p.category == Category::IndoorPool)
            .map(|p| p.name.as_deref().unwrap_or(""))
            .collect();
        assert_eq!(indoor, ["Hallenbad", "Kombibad"]);
        assert_eq!(r.notes.len(), 2);
        let f = fixture(&text[..100], ".json");
        assert!(read_pools_baederleben(f.path(), "pools").is_err());
        let f = fixture("[]", ".json");
        assert!(
            read_pools_baederleben(f.path(), "pools").is_err(),
            "no pools member"
        );
    }

    #[test]
    fn real_pools() {
        let (points, r) = read_pools_baederleben(
            &raw("facilities/leisure_sn_baederleben_pools_2026.json"),
            "pools",
        )
        .unwrap();
        assert_eq!((r.rows_read, r.rows_kept), (302, 302));
        assert_eq!(r.unaccounted(), 0);
        let n = |c: Category| points.iter().filter(|p| p.category == c).count();
        assert_eq!(n(Category::Pool), 302);
        assert_eq!(n(Category::IndoorPool), 86, "75 int + 11 mix");
    }
}

//! Merging one facility mapped several times. OpenStreetMap often maps a Kita as a node plus
//! one or more building or site ways. Counted naively, such a Kita would count two or three
//! times in its municipality's supply (distances barely change, counts do).

use crate::facility::{Category, FacilityPoint};
use crate::report::{Reject, SourceReport};
use geo::{Distance, Haversine, Point};
use std::collections::HashMap;

/// The name as compared for de-duplication: lowercase, whitespace runs collapsed to one space,
/// trimmed. Deliberately no further fuzzing (quotes, "Kita" prefixes): two differently named
/// facilities next to each other (Haus 1 / Haus 2) must stay two.
pub fn normalise_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Merges points of one category that carry the same normalised name and lie within
/// `radius_m` metres (haversine) of an already kept point of that name: the first in input order
/// is kept, each later one is counted in `report` as [`Reject::Duplicate`] and taken off
/// `rows_kept`. Unnamed points are never merged (two unnamed Kitas side by side are more likely
/// two than one), and a chain A–B–C is only merged where a point is within the radius of a
/// *kept* one, so the result depends on nothing but the input order.
///
/// Assumes one point per kept row of `report` (true for the Kita readers it is meant for); do
/// not use it on readers that emit several points per row, such as the pool reader.
pub fn dedupe_by_name(
    points: Vec<FacilityPoint>,
    radius_m: f64,
    report: &mut SourceReport,
) -> Vec<FacilityPoint> {
    let mut kept: Vec<FacilityPoint> = Vec::with_capacity(points.len());
    let mut by_name: HashMap<(Category, String), Vec<usize>> = HashMap::new();
    let mut merged = 0usize;
    for p in points {
        let key = p
            .name
            .as_deref()
            .map(normalise_name)
            .filter(|n| !n.is_empty());
        if let Some(key) = key {
            let here = Point::new(p.lon, p.lat);
            let same_name = by_name.entry((p.category, key)).or_default();
            let is_duplicate = same_name.iter().any(|&i| {
                Haversine.distance(Point::new(kept[i].lon, kept[i].lat), here) <= radius_m
            });
            if is_duplicate {
                report.reject(Reject::Duplicate);
                report.rows_kept = report.rows_kept.saturating_sub(1);
                merged += 1;
                continue;
            }
            same_name.push(kept.len());
        }
        kept.push(p);
    }
    if merged > 0 {
        report.note(format!(
            "{merged} point(s) merged into a same-named point of the same category within {radius_m} m \
             (one facility mapped several times, e.g. as node and building ways)"
        ));
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kita(name: Option<&str>, lon: f64, lat: f64) -> FacilityPoint {
        FacilityPoint {
            category: Category::Childcare,
            lon,
            lat,
            name: name.map(str::to_string),
            source: "t".into(),
            ags_hint: None,
            capacity: None,
            station_category: None,
        }
    }

    #[test]
    fn merges_same_name_nearby_only() {
        // 0.001° latitude ≈ 111 m.
        let points = vec![
            kita(Some("Kita  Sonnenschein"), 13.7, 51.0),
            kita(Some("kita sonnenschein"), 13.7, 51.001), // 111 m: duplicate
            kita(Some("Kita Sonnenschein"), 13.7, 51.01),  // 1.1 km: another Kita
            kita(Some("Kita Regenbogen"), 13.7, 51.0),     // other name: kept
            kita(None, 13.7, 51.0),                        // unnamed: never merged
            kita(None, 13.7, 51.0),
        ];
        let mut report = SourceReport::new("t", "t");
        report.rows_read = 6;
        report.rows_kept = 6;
        let out = dedupe_by_name(points, 150.0, &mut report);
        assert_eq!(out.len(), 5);
        assert_eq!(
            out[0].name.as_deref(),
            Some("Kita  Sonnenschein"),
            "first one is kept"
        );
        assert_eq!(report.rejected.get(&Reject::Duplicate), Some(&1));
        assert_eq!(report.rows_kept, 5);
        assert_eq!(report.unaccounted(), 0);
        assert_eq!(report.notes.len(), 1);
    }

    #[test]
    fn other_category_is_not_merged() {
        let mut school = kita(Some("Regenbogen"), 13.7, 51.0);
        school.category = Category::PrimarySchool;
        let points = vec![kita(Some("Regenbogen"), 13.7, 51.0), school];
        let mut report = SourceReport::new("t", "t");
        report.rows_read = 2;
        report.rows_kept = 2;
        assert_eq!(dedupe_by_name(points, 150.0, &mut report).len(), 2);
        assert!(report.notes.is_empty());
    }

    #[test]
    fn normalisation() {
        assert_eq!(normalise_name("  Kita \t„Bünauten“ \n"), "kita „bünauten“");
    }
}

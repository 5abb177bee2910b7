//! Named places near where people live: per municipality and facility category, the few named
//! facilities nearest the residents' population-weighted centre, so that a newcomer can go from
//! a ranked town to the Kitas and schools near it.
//!
//! The distance is the crow-flies (geodesic) km from the municipality's population-weighted
//! centre (`centre_lon`/`centre_lat`: the mean of its populated 1 km grid cells weighted by
//! residents), the same point the named railway station is measured from. It is one distance
//! per place, not the population-weighted mean distance of the `<category>_distance_km`
//! indicator (which has no single nearest place to name). Only the points that are among some
//! municipality's nearest are stored, with short fields, so the embedded atlas stays small.

use super::Base;
use super::points::coverage;
use crate::facility::Category;
use crate::place::points::{PlacedPoint, categories_present};
use crate::readers::facilities::normalise_name;
use scoring::atlas::{Near, NearTable, PlaceCategory, Places};
use std::collections::{BTreeMap, BTreeSet};

/// How many places per municipality and category.
pub const NEAREST: usize = 3;

/// Places farther than this (crow-flies km) from the centre are not listed: beyond it a
/// "nearest" Kita or school is no longer one a family would use from that town.
pub const MAX_KM: f64 = 25.0;

/// Categories not listed by name: railway stations are named once per municipality with their
/// category ([`super::nearest_stations`]); cinemas come per municipality only, without points.
fn listed(c: Category) -> bool {
    !matches!(c, Category::RailStation | Category::Cinema)
}

/// The named places of every category with named points (see the module docs).
pub fn nearest_places(b: &Base, placed: &[PlacedPoint]) -> Places {
    let n = b.municipalities.len();
    let mut places = Places::default();
    // Built per category across municipalities, then stored as one flat table.
    let mut rows: Vec<Vec<Option<Vec<Near>>>> = vec![Vec::new(); n];
    // Index of a placed point in `places.points`, by its index in `placed`.
    let mut stored: BTreeMap<usize, u32> = BTreeMap::new();
    for cat in categories_present(placed)
        .into_iter()
        .filter(|c| listed(*c))
    {
        let of_cat: Vec<(usize, &PlacedPoint)> = placed
            .iter()
            .enumerate()
            .filter(|(_, p)| p.point.category == cat)
            .collect();
        let all_sources: BTreeSet<String> =
            of_cat.iter().map(|(_, p)| p.point.source.clone()).collect();
        let named: Vec<(usize, &PlacedPoint, &str)> = of_cat
            .iter()
            .filter_map(|&(k, p)| {
                let name = p.point.name.as_deref().map(str::trim)?;
                (!name.is_empty()).then_some((k, p, name))
            })
            .collect();
        if named.is_empty() {
            continue;
        }
        let sources: Vec<String> = named
            .iter()
            .map(|(_, p, _)| p.point.source.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        // The same coverage as the category's distance indicator, so "not mapped here" agrees.
        let cov = coverage(b, &all_sources);
        for (i, m) in b.municipalities.iter().enumerate() {
            if cov[i].is_err() {
                rows[i].push(None);
                continue;
            }
            let centre = (m.centre_lon, m.centre_lat);
            let mut near: Vec<(f64, usize, &PlacedPoint, &str)> = named
                .iter()
                .filter(|(_, p, _)| roughly_within(centre, (p.point.lon, p.point.lat)))
                .map(|&(k, p, name)| {
                    let d = crate::spatial::distance_km((p.point.lon, p.point.lat), centre);
                    (d, k, p, name)
                })
                .filter(|(d, ..)| *d <= MAX_KM)
                .collect();
            near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut names = BTreeSet::new();
            let mut row = Vec::with_capacity(NEAREST);
            // A school with two buildings is one place: its nearer building stands for it.
            for (d, k, p, name) in near {
                if row.len() == NEAREST {
                    break;
                }
                if !names.insert(normalise_name(name)) {
                    continue;
                }
                let next = places.points.len() as u32;
                let idx = *stored.entry(k).or_insert(next);
                if idx == next {
                    places.points.push(
                        name,
                        p.municipality as u32,
                        sources
                            .iter()
                            .position(|s| *s == p.point.source)
                            .unwrap_or(0) as u8,
                    );
                }
                row.push(Near {
                    place: idx,
                    distance_km: (d * 10.0).round() / 10.0,
                });
            }
            rows[i].push(Some(row));
        }
        let (de, en) = cat.labels();
        places.categories.push(PlaceCategory {
            id: cat.id().to_string(),
            label_de: de.to_string(),
            label_en: en.to_string(),
            sources,
            max_km: MAX_KM,
        });
    }
    places.nearest = NearTable::from_rows(&rows);
    places
}

/// A cheap box test before the geodesic distance: both coordinates within [`MAX_KM`] (with
/// margin) of the centre at Saxony's latitudes.
fn roughly_within(centre: (f64, f64), p: (f64, f64)) -> bool {
    let dlat = MAX_KM / 110.0;
    let dlon = MAX_KM / (111.3 * centre.1.to_radians().cos()) * 1.01;
    (p.1 - centre.1).abs() <= dlat * 1.01 && (p.0 - centre.0).abs() <= dlon
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn box_test_keeps_everything_within_reach() {
        let centre = (13.7, 51.05);
        // 24.9 km north and east, as the geodesic measures them, pass the box.
        for (lon, lat) in [(13.7, 51.05 + 24.9 / 111.25), (13.7 + 24.9 / 70.0, 51.05)] {
            assert!(crate::spatial::distance_km(centre, (lon, lat)) <= MAX_KM);
            assert!(roughly_within(centre, (lon, lat)), "{lon} {lat}");
        }
        assert!(!roughly_within(centre, (13.7, 51.05 + 0.3)));
        assert!(!roughly_within(centre, (14.2, 51.05)));
    }
}

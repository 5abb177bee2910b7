//! Indicators from points: reachability of facilities from where people live, and the
//! distance to the nearest central place.

use super::Base;
use crate::columns::{Cell, column, meta};
use crate::facility::Category;
use crate::place::points::{PlacedPoint, categories_present};
use crate::spatial::PointIndex;
use geo::BoundingRect;
use scoring::atlas::{CentralPlace, Indicator, Resolution, Station};
use std::collections::BTreeSet;

/// Radii (km) for the "facilities within" counts.
pub const RADII_KM: [f64; 3] = [2.0, 5.0, 10.0];

/// Which municipalities a set of sources covers: all if one is statewide, else the listed AGS
/// and the municipalities whose boundary box lies inside a listed rectangle.
pub(super) fn coverage(b: &Base, sources: &BTreeSet<String>) -> Vec<Result<(), String>> {
    let entries: Vec<_> = sources
        .iter()
        .filter_map(|s| b.manifest.get(s).ok())
        .collect();
    let statewide = sources.iter().any(|s| b.manifest.get(s).is_err())
        || entries
            .iter()
            .any(|e| e.coverage_ags.is_empty() && e.coverage_bbox.is_none());
    let described: Vec<String> = entries.iter().map(|e| e.coverage.clone()).collect();
    b.municipalities
        .iter()
        .enumerate()
        .map(|(i, m)| {
            if statewide {
                return Ok(());
            }
            let in_list = entries.iter().any(|e| e.coverage_ags.contains(&m.ags));
            let in_box = entries.iter().any(|e| {
                match (e.coverage_bbox, b.locator.polygon(i).bounding_rect()) {
                    (Some([w, s, east, n]), Some(r)) => {
                        r.min().x >= w && r.max().x <= east && r.min().y >= s && r.max().y <= n
                    }
                    _ => false,
                }
            });
            if in_list || in_box {
                Ok(())
            } else {
                Err(format!(
                    "no location data for this municipality: the data covers only {}",
                    described.join("; ")
                ))
            }
        })
        .collect()
}

/// Reachability from facility points: for every category with points, the population-weighted
/// distance to the nearest facility, counts within 2, 5 and 10 km, and facilities per 1,000
/// residents (per 1,000 children under 15 for children's facilities).
pub fn facility_indicators(b: &Base, placed: &[PlacedPoint]) -> Vec<Indicator> {
    let mut out = Vec::new();
    // Cinemas come from INKAR's municipality table (see table_indicators), one column per id.
    for cat in categories_present(placed)
        .into_iter()
        .filter(|c| *c != Category::Cinema)
    {
        let pts: Vec<&PlacedPoint> = placed.iter().filter(|p| p.point.category == cat).collect();
        let sources: BTreeSet<String> = pts.iter().map(|p| p.point.source.clone()).collect();
        let osm = sources
            .iter()
            .any(|s| s == "osm_extract" || b.manifest.get(s).map(|e| e.osm).unwrap_or(false));
        let dates: BTreeSet<String> = sources
            .iter()
            .map(|s| {
                b.manifest
                    .get(s)
                    .map(|e| e.reference_date.clone())
                    .unwrap_or_else(|_| "as of the OSM extract".into())
            })
            .collect();
        let mut counts = vec![0usize; b.municipalities.len()];
        for p in &pts {
            counts[p.municipality] += 1;
        }
        let spec = PointSpec {
            id: cat.id().to_string(),
            labels: cat.labels(),
            children: cat.weights_by_children(),
            sources: sources.into_iter().collect(),
            reference_date: dates.into_iter().collect::<Vec<_>>().join(", "),
            osm,
            note: String::new(),
        };
        let cov = coverage(b, &spec.sources.iter().cloned().collect());
        let lonlat = pts.iter().map(|p| (p.point.lon, p.point.lat)).collect();
        out.extend(point_columns(b, &spec, lonlat, Some(&counts), &cov));
    }
    out
}

/// How one family of point indicators is labelled and sourced.
pub(super) struct PointSpec {
    pub(super) id: String,
    pub(super) labels: (&'static str, &'static str),
    pub(super) children: bool,
    pub(super) sources: Vec<String>,
    pub(super) reference_date: String,
    pub(super) osm: bool,
    /// Extra sentence for the method (e.g. how the points were derived).
    pub(super) note: String,
}

/// The distance, within-radius and per-1,000 columns of one point set.
pub(super) fn point_columns(
    b: &Base,
    spec: &PointSpec,
    lonlat: Vec<(f64, f64)>,
    counts: Option<&[usize]>,
    cov: &[Result<(), String>],
) -> Vec<Indicator> {
    let ags = b.ags();
    let n = ags.len();
    let index = PointIndex::new(lonlat, b.lat0());
    let mut dist: Vec<Cell> = Vec::with_capacity(n);
    let mut within: [Vec<Cell>; 3] = [
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    ];
    for (i, covered) in cov.iter().enumerate().take(n) {
        if let Err(reason) = covered {
            dist.push(Err(reason.clone()));
            for w in &mut within {
                w.push(Err(reason.clone()));
            }
            continue;
        }
        let (mut wsum, mut dsum, mut csum) = (0.0, 0.0, [0.0; 3]);
        for (lon, lat, w) in b.where_people_live(i, spec.children) {
            let Some(d) = index.nearest_km(lon, lat) else {
                continue;
            };
            wsum += w;
            dsum += w * d;
            for (k, r) in RADII_KM.iter().enumerate() {
                csum[k] += w * index.count_within_km(lon, lat, *r) as f64;
            }
        }
        if wsum > 0.0 {
            dist.push(Ok(dsum / wsum));
            for k in 0..3 {
                within[k].push(Ok(csum[k] / wsum));
            }
        } else {
            dist.push(Err("no facility of this kind in the data".into()));
            for w in &mut within {
                w.push(Err("no facility of this kind in the data".into()));
            }
        }
    }
    let who = if spec.children {
        "children under 15 (residents where the grid counts none)"
    } else {
        "residents"
    };
    let srcs: Vec<&str> = spec
        .sources
        .iter()
        .map(String::as_str)
        .chain(["population_grid", "vg250"])
        .collect();
    let (de, en) = spec.labels;
    let mut m_dist = meta(
        &format!("{}_distance_km", spec.id),
        &format!("Entfernung zur nächsten Einrichtung: {de}"),
        &format!("distance to the nearest {en}"),
        "km",
        Resolution::Points,
        &srcs,
        &spec.reference_date,
        &format!(
            "Mean over the populated 1 km grid cells of the municipality, weighted by {who}, of the straight-line (geodesic) distance from the cell centre to the nearest location; the road distance is longer (about × 1.3). {}",
            spec.note
        ),
    );
    m_dist.derived_from_osm = spec.osm;
    let mut cols = vec![column(m_dist, &ags, dist)];
    for (k, r) in RADII_KM.iter().enumerate() {
        let mut m = meta(
            &format!("{}_within_{}km", spec.id, *r as u32),
            &format!("{de} im Umkreis von {r} km"),
            &format!("{en} locations within {r} km"),
            "count",
            Resolution::Points,
            &srcs,
            &spec.reference_date,
            &format!(
                "Number of locations within {r} km (great-circle) of each populated grid cell, averaged with weights by {who}. {}",
                spec.note
            ),
        );
        m.derived_from_osm = spec.osm;
        cols.push(column(m, &ags, std::mem::take(&mut within[k])));
    }
    if let Some(counts) = counts {
        let per: Vec<Cell> = (0..n)
            .map(|i| {
                cov[i].clone()?;
                let denom = if spec.children {
                    b.cells[i].iter().map(|c| c.under15).sum::<f64>()
                } else {
                    b.population[i].unwrap_or(0.0)
                };
                if denom > 0.0 {
                    Ok(1000.0 * counts[i] as f64 / denom)
                } else {
                    Err(if spec.children {
                        "no children under 15 counted in the grid".into()
                    } else {
                        "no population figure".into()
                    })
                }
            })
            .collect();
        let (unit, whom) = if spec.children {
            ("per 1000 children under 15", "children under 15 (grid)")
        } else {
            ("per 1000 residents", "residents (Zensus 2022)")
        };
        let mut m = meta(
            &format!("{}_per_1000", spec.id),
            &format!(
                "{de} je 1.000 {}",
                if spec.children {
                    "Kinder unter 15"
                } else {
                    "Einwohner"
                }
            ),
            &format!("{en} locations {unit}"),
            unit,
            Resolution::Points,
            &srcs,
            &spec.reference_date,
            &format!(
                "Locations inside the municipality (point in polygon) per 1,000 {whom}. {}",
                spec.note
            ),
        );
        m.derived_from_osm = spec.osm;
        cols.push(column(m, &ags, per));
    }
    cols
}

/// Distances from where people live to the nearest Oberzentrum and to the nearest Mittel- or
/// Oberzentrum (the town centre taken as its reference point).
pub fn central_place_indicators(b: &Base) -> Vec<Indicator> {
    let all_ok: Vec<Result<(), String>> = vec![Ok(()); b.municipalities.len()];
    let mut out = Vec::new();
    for (id, de, en, pred) in [
        (
            "oberzentrum",
            "Oberzentrum",
            "regional centre (Oberzentrum)",
            (|c: CentralPlace| c == CentralPlace::Oberzentrum) as fn(CentralPlace) -> bool,
        ),
        (
            "mittelzentrum",
            "Mittel- oder Oberzentrum",
            "middle-order or regional centre (Mittel-/Oberzentrum)",
            |_| true,
        ),
    ] {
        let pts: Vec<(f64, f64)> = b
            .municipalities
            .iter()
            .filter(|m| m.central_place.is_some_and(pred))
            .map(|m| (m.lon, m.lat))
            .collect();
        let spec = PointSpec {
            id: id.to_string(),
            labels: (de, en),
            children: false,
            sources: vec!["central_places".into(), "destatis_gv".into()],
            reference_date: "LEP 2013".into(),
            osm: false,
            note: "A central place is located at its municipality's reference point (Destatis)."
                .into(),
        };
        // Only the distance column: counts of central places within a radius say little.
        out.push(point_columns(b, &spec, pts, None, &all_ok).remove(0));
    }
    out
}

/// Per municipality, the named railway station nearest its population-weighted centre (ties:
/// the first in the source's order), or `None` when there are no station points. The commute
/// without a car names it.
pub fn nearest_stations(b: &Base, placed: &[PlacedPoint]) -> Vec<Option<Station>> {
    let stations: Vec<&PlacedPoint> = placed
        .iter()
        .filter(|p| p.point.category == Category::RailStation && p.point.name.is_some())
        .collect();
    b.municipalities
        .iter()
        .map(|m| {
            let centre = (m.centre_lon, m.centre_lat);
            let mut best: Option<(f64, &PlacedPoint)> = None;
            for p in &stations {
                let d = crate::spatial::distance_km((p.point.lon, p.point.lat), centre);
                if best.is_none_or(|(bd, _)| d < bd) {
                    best = Some((d, p));
                }
            }
            best.map(|(d, p)| Station {
                name: p.point.name.clone().unwrap_or_default(),
                lon: p.point.lon,
                lat: p.point.lat,
                distance_km: crate::columns::round4(d),
                category: p.point.station_category,
            })
        })
        .collect()
}

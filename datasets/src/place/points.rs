//! Placing facility points: each point assigned to the municipality whose polygon holds it,
//! checked against its source's coverage, and the sources of one category ranked so that no
//! facility is counted twice (see [`keep_statewide_where_available`]).

use crate::facility::{Category, FacilityPoint};
use crate::manifest::Manifest;
use crate::mergers::successor;
use crate::report::{Reject, SourceReport};
use crate::spatial::MunicipalityLocator;
use scoring::atlas::Municipality;
use std::collections::BTreeMap;

/// A facility point with the municipality it lies in.
#[derive(Clone, Debug)]
pub struct PlacedPoint {
    pub point: FacilityPoint,
    pub municipality: usize,
}

/// Assigns every point to its municipality; rejects points outside the region or outside their
/// source's coverage, and notes how often a source's own AGS disagrees with the polygons.
pub fn place_points(
    points: Vec<FacilityPoint>,
    locator: &MunicipalityLocator,
    manifest: &Manifest,
    munis: &[Municipality],
    reports: &mut [SourceReport],
) -> Vec<PlacedPoint> {
    let mut out = Vec::with_capacity(points.len());
    let mut disagree: BTreeMap<String, usize> = BTreeMap::new();
    let mut reach: Vec<Vec<bool>> = vec![vec![false; munis.len()]; reports.len()];
    for pt in points {
        let rep = reports.iter_mut().find(|r| r.source == pt.source);
        let Some(i) = locator.locate(pt.lon, pt.lat) else {
            if let Some(r) = rep {
                *r.points_rejected.entry(Reject::OutsideRegion).or_default() += 1;
            }
            continue;
        };
        let coverage = manifest
            .get(&pt.source)
            .map(|e| e.coverage_ags.clone())
            .unwrap_or_default();
        if !coverage.is_empty() && !coverage.contains(&munis[i].ags) {
            if let Some(r) = rep {
                *r.points_rejected
                    .entry(Reject::OutsideCoverage)
                    .or_default() += 1;
            }
            continue;
        }
        if let Some(r) = rep {
            r.points_placed += 1;
        }
        if let Some(k) = reports.iter().position(|r| r.source == pt.source) {
            reach[k][i] = true;
        }
        if let Some(h) = &pt.ags_hint
            && successor(h) != munis[i].ags
        {
            *disagree.entry(pt.source.clone()).or_default() += 1;
        }
        out.push(PlacedPoint {
            point: pt,
            municipality: i,
        });
    }
    for (r, hits) in reports.iter_mut().zip(reach) {
        r.municipalities_reached = Some(hits.iter().filter(|h| **h).count());
    }
    for (src, k) in disagree {
        if let Some(r) = reports.iter_mut().find(|r| r.source == src) {
            r.note(format!(
                "{k} point(s) lie in another municipality than the one the source names (the polygons decide)"
            ));
        }
    }
    out
}

/// Which points serve each category, by tier: a curated statewide source (e.g. the
/// Schuldatenbank) is used alone; else an OpenStreetMap extract, merged with the curated
/// one-city files (same name within 150 m = one facility, the curated point kept); else the
/// one-city files alone. A one-city list beside a statewide one would repeat its facilities and
/// make the one city it covers look better equipped than every other; OSM beside a curated
/// statewide list would count a school twice (and OSM often maps one as node and grounds).
pub fn keep_statewide_where_available(
    placed: Vec<PlacedPoint>,
    manifest: &Manifest,
    reports: &mut [SourceReport],
) -> Vec<PlacedPoint> {
    #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    enum Tier {
        Curated,
        Osm,
        Partial,
    }
    let tier = |src: &str| match manifest.get(src) {
        Err(_) => Tier::Osm,
        Ok(e) if e.coverage_ags.is_empty() && e.coverage_bbox.is_none() => Tier::Curated,
        Ok(_) => Tier::Partial,
    };
    let mut best: BTreeMap<Category, Tier> = BTreeMap::new();
    for p in &placed {
        let t = tier(&p.point.source);
        let e = best.entry(p.point.category).or_insert(t);
        *e = (*e).min(t);
    }
    let mut dropped: BTreeMap<(String, Category), usize> = BTreeMap::new();
    let mut kept = Vec::with_capacity(placed.len());
    let mut osm_merge: BTreeMap<Category, Vec<PlacedPoint>> = BTreeMap::new();
    for p in placed {
        let (t, b) = (tier(&p.point.source), best[&p.point.category]);
        let use_it = match b {
            Tier::Curated => t == Tier::Curated,
            Tier::Osm | Tier::Partial => t != Tier::Curated,
        };
        if !use_it {
            *dropped
                .entry((p.point.source.clone(), p.point.category))
                .or_default() += 1;
        } else if b == Tier::Osm {
            osm_merge.entry(p.point.category).or_default().push(p);
        } else {
            kept.push(p);
        }
    }
    for (_, mut group) in osm_merge {
        // Curated one-city points first, so a merge keeps them.
        group.sort_by_key(|p| tier(&p.point.source) != Tier::Partial);
        for dup in merge_same_named(group, 0.150, &mut kept) {
            if let Some(r) = reports.iter_mut().find(|r| r.source == dup) {
                r.points_placed -= 1;
                *r.points_rejected.entry(Reject::Duplicate).or_default() += 1;
            }
        }
    }
    for ((src, cat), k) in dropped.into_iter().filter(|(_, k)| *k > 0) {
        if let Some(r) = reports.iter_mut().find(|r| r.source == src) {
            r.points_placed -= k;
            *r.points_rejected.entry(Reject::Duplicate).or_default() += k;
            r.note(format!(
                "{k} {} point(s) not used: a source of higher rank (curated statewide, then OpenStreetMap) covers this category",
                cat.id()
            ));
        }
    }
    kept
}

/// Appends `group` to `kept`, leaving out every point whose normalised name equals that of an
/// earlier point of the group in the same municipality within `radius_km`; returns the sources
/// of the left-out points.
fn merge_same_named(
    group: Vec<PlacedPoint>,
    radius_km: f64,
    kept: &mut Vec<PlacedPoint>,
) -> Vec<String> {
    use crate::readers::facilities::normalise_name;
    let start = kept.len();
    let mut dropped = Vec::new();
    for p in group {
        let name = p
            .point
            .name
            .as_deref()
            .map(normalise_name)
            .filter(|n| !n.is_empty());
        let same = name.as_ref().is_some_and(|n| {
            kept[start..].iter().any(|k| {
                k.municipality == p.municipality
                    && k.point.name.as_deref().map(normalise_name).as_ref() == Some(n)
                    && crate::spatial::distance_km(
                        (k.point.lon, k.point.lat),
                        (p.point.lon, p.point.lat),
                    ) <= radius_km
            })
        });
        if same {
            dropped.push(p.point.source.clone());
        } else {
            kept.push(p);
        }
    }
    dropped
}

/// Categories that have at least one point.
pub fn categories_present(points: &[PlacedPoint]) -> Vec<Category> {
    let mut c: Vec<Category> = points.iter().map(|p| p.point.category).collect();
    c.sort();
    c.dedup();
    c
}

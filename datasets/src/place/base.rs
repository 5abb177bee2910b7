//! Placing the municipality base: every file's keys mapped onto today's municipalities (older
//! keys through [`crate::mergers`]), the polygons joined, the reference points checked against
//! them, the population grid assigned cell by cell, and the atlas rows built.

use crate::error::{DatasetError, Result};
use crate::mergers::{MERGERS, predecessors, successor};
use crate::readers::base::BaseFiles;
use crate::readers::municipalities::Register;
use crate::readers::population::GridCell;
use crate::report::{Reject, SourceReport};
use crate::spatial::{MunicipalityLocator, distance_km, nearest_inside};
use scoring::atlas::{CentralPlace, Municipality};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// The base files mapped onto the current register: one slot per municipality, in register
/// order.
pub struct PlacedBase {
    pub register: Register,
    /// Zensus 2022 population per current municipality (merged ones: the sum of their parts).
    pub population: Vec<Option<f64>>,
    /// Zensus 2022 population per 2022 AGS (for weighting predecessors).
    pub pop_old: HashMap<String, f64>,
    /// 12-digit ARS per 2022 AGS.
    pub ars_of_old: HashMap<String, String>,
    /// Area in km² (merged ones: the sum of their parts).
    pub area_km2: Vec<Option<f64>>,
    /// (lon, lat, population 2019) of the reference point, inside the municipality.
    pub reference_point: Vec<Option<(f64, f64, f64)>>,
    pub central_places: BTreeMap<String, CentralPlace>,
    /// The municipalities' polygons, for point-in-polygon.
    pub locator: MunicipalityLocator,
    /// The directory's path, to name it when a municipality has no reference point.
    directory_path: PathBuf,
}

/// Maps the base files onto the register. Returns the base and the files' reports (register,
/// directory, polygons, population, central places), each with the municipalities it reached.
/// A municipality without a boundary is an error naming the boundary file.
pub fn place_base(files: BaseFiles) -> Result<(PlacedBase, Vec<SourceReport>)> {
    let BaseFiles {
        register,
        directory,
        polygons,
        population,
        central_places,
    } = files;
    let (mut rep_register, mut rep_dir, mut rep_poly, mut rep_pop, mut rep_central) = (
        register.report,
        directory.report,
        polygons.report,
        population.report,
        central_places.report,
    );
    let register_data = register.data;
    let ags: Vec<String> = register_data
        .municipalities
        .iter()
        .map(|m| m.ags.clone())
        .collect();
    let index: HashMap<&str, usize> = ags
        .iter()
        .enumerate()
        .map(|(i, a)| (a.as_str(), i))
        .collect();
    let n = ags.len();
    rep_register.municipalities_reached = Some(n);

    // Population (2022 borders) per old key, and summed into the current municipalities.
    let pop_rows = population.data.counts;
    let pop_old: HashMap<String, f64> = pop_rows.iter().cloned().collect();
    let mut pop = vec![None::<f64>; n];
    for (a, v) in &pop_rows {
        match index.get(successor(a)) {
            Some(&i) => *pop[i].get_or_insert(0.0) += v,
            None => {
                rep_pop.rows_kept -= 1;
                rep_pop.reject(Reject::UnknownAgs);
            }
        }
    }
    note_merger(&mut rep_pop, "summed");
    rep_pop.municipalities_reached = Some(pop.iter().filter(|p| p.is_some()).count());

    // Polygons: merged municipalities get the union of their parts (as a MultiPolygon).
    let mut polys: Vec<Option<geo::MultiPolygon<f64>>> = vec![None; n];
    for (old, mp) in polygons.data {
        match index.get(successor(&old)) {
            Some(&i) => polys[i]
                .get_or_insert_with(|| geo::MultiPolygon(vec![]))
                .0
                .extend(mp.0),
            None => {
                rep_poly.rows_kept -= 1;
                rep_poly.reject(Reject::UnknownAgs);
            }
        }
    }
    note_merger(&mut rep_poly, "joined into one multipolygon");
    rep_poly.municipalities_reached = Some(polys.iter().filter(|p| p.is_some()).count());
    let mut missing_poly = Vec::new();
    let polys: Vec<geo::MultiPolygon<f64>> = polys
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            p.unwrap_or_else(|| {
                missing_poly.push(ags[i].clone());
                geo::MultiPolygon(vec![])
            })
        })
        .collect();
    if !missing_poly.is_empty() {
        return Err(DatasetError::format(
            polygons.path,
            format!("no boundary for municipalities {}", missing_poly.join(", ")),
        ));
    }

    // Directory: area summed, reference point of the most populous predecessor.
    let mut area = vec![None::<f64>; n];
    let mut refpoint: Vec<Option<(f64, f64, f64)>> = vec![None; n];
    for d in &directory.data {
        match index.get(successor(&d.ags)) {
            Some(&i) => {
                *area[i].get_or_insert(0.0) += d.area_km2;
                if refpoint[i].is_none_or(|(_, _, p)| d.population_2019 > p) {
                    refpoint[i] = Some((d.lon, d.lat, d.population_2019));
                }
            }
            None => {
                rep_dir.rows_kept -= 1;
                rep_dir.reject(Reject::UnknownAgs);
            }
        }
    }
    rep_dir.municipalities_reached = Some(area.iter().filter(|a| a.is_some()).count());
    note_merger(
        &mut rep_dir,
        "areas summed; reference point of the more populous predecessor",
    );
    let locator = MunicipalityLocator::new(polys);
    // A reference point must lie inside its municipality. The generalised boundaries cut a few
    // official points off: those move just inside, by the shortest way, and the report says so.
    for (i, rp) in refpoint.iter_mut().enumerate() {
        if let Some((lon, lat, _)) = rp
            && locator.locate(*lon, *lat) != Some(i)
        {
            let (nlon, nlat) = nearest_inside(locator.polygon(i), (*lon, *lat));
            rep_dir.note(format!(
                "reference point of {} moved {:.0} m into its generalised boundary",
                ags[i],
                distance_km((*lon, *lat), (nlon, nlat)) * 1000.0
            ));
            (*lon, *lat) = (nlon, nlat);
        }
    }

    let mut hits = vec![false; n];
    for a in central_places.data.keys() {
        if let Some(&i) = index.get(successor(a)) {
            hits[i] = true;
        }
    }
    rep_central.municipalities_reached = Some(hits.iter().filter(|h| **h).count());
    let base = PlacedBase {
        register: register_data,
        population: pop,
        pop_old,
        ars_of_old: population.data.ars_of,
        area_km2: area,
        reference_point: refpoint,
        central_places: central_places.data,
        locator,
        directory_path: directory.path,
    };
    Ok((
        base,
        vec![rep_register, rep_dir, rep_poly, rep_pop, rep_central],
    ))
}

/// Assigns every populated grid cell to the municipality containing its centre; a cell outside
/// every municipality is rejected as outside the region. Returns the cells per municipality.
pub fn place_grid(
    cells: Vec<GridCell>,
    report: &mut SourceReport,
    locator: &MunicipalityLocator,
    municipalities: usize,
) -> Vec<Vec<GridCell>> {
    let mut cells_of: Vec<Vec<GridCell>> = vec![Vec::new(); municipalities];
    for c in cells {
        match locator.locate(c.lon, c.lat) {
            Some(i) => cells_of[i].push(c),
            None => {
                report.rows_kept -= 1;
                report.reject(Reject::OutsideRegion);
            }
        }
    }
    let empty = cells_of.iter().filter(|c| c.is_empty()).count();
    report.municipalities_reached = Some(municipalities - empty);
    report.note(format!(
        "cells assigned by their centre; {empty} municipalities without a populated cell fall back to their reference point"
    ));
    cells_of
}

impl PlacedBase {
    /// The rows of the atlas: each municipality with its reference point and its population
    /// centre (the grid cells' resident-weighted mean, else the reference point). A municipality
    /// without a reference point is an error naming the directory file.
    pub fn municipalities(&self, cells_of: &[Vec<GridCell>]) -> Result<Vec<Municipality>> {
        let mut munis = Vec::with_capacity(self.register.municipalities.len());
        for (i, r) in self.register.municipalities.iter().enumerate() {
            let Some((lon, lat, _)) = self.reference_point[i] else {
                return Err(DatasetError::format(
                    self.directory_path.clone(),
                    format!(
                        "no reference point for municipality {} ({})",
                        r.ags, r.official_name
                    ),
                ));
            };
            let (cw, cx, cy) = cells_of[i].iter().fold((0.0, 0.0, 0.0), |(w, x, y), c| {
                (w + c.total, x + c.total * c.lon, y + c.total * c.lat)
            });
            let (centre_lon, centre_lat) = if cw > 0.0 {
                (cx / cw, cy / cw)
            } else {
                (lon, lat)
            };
            munis.push(Municipality {
                ags: r.ags.clone(),
                name: r.short_name().to_string(),
                official_name: r.official_name.clone(),
                district_ags5: r.district_ags5.clone(),
                lon,
                lat,
                centre_lon: crate::columns::round4(centre_lon * 100.0) / 100.0,
                centre_lat: crate::columns::round4(centre_lat * 100.0) / 100.0,
                central_place: self.central_places.get(&r.ags).copied(),
                predecessors: predecessors(&r.ags),
                station: None,
            });
        }
        Ok(munis)
    }
}

fn note_merger(rep: &mut SourceReport, how: &str) {
    for (old, new) in MERGERS {
        rep.note(format!("merger: {old} → {new} ({how})"));
    }
}

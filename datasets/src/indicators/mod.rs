//! The third stage of the data layer: how each atlas column is computed from what the readers
//! read and the place stage placed. Pure computation: no function here opens a file.
//!
//! Four families, each one function:
//! - [`base_indicators`]: population, area, density, share of children, the way across town;
//! - [`facility_indicators`]: lotse's own reachability from facility points, weighted by where
//!   people (or children) live on the 1 km grid;
//! - [`central_place_indicators`]: distance to the nearest Ober- and Mittelzentrum;
//! - [`table_indicators`]: published tables joined by key (Deutschlandatlas, Zensus rent,
//!   district vacancy, cinemas).
//!
//! Beside the columns, two per-municipality lists from the same points: [`nearest_stations`]
//! (the named station) and [`nearest_places`] (the named Kitas, schools, pools … nearest where
//! people live).
//!
//! A municipality without a figure gets `Err(reason)`, never a guess: see [`crate::columns`].
//! Adding an indicator means adding one block to one of these functions.

mod places;
mod points;
mod tables;

pub use places::nearest_places;
pub use points::{RADII_KM, central_place_indicators, facility_indicators, nearest_stations};
pub use tables::table_indicators;

use crate::columns::{Cell, column, meta};
use crate::manifest::Manifest;
use crate::mergers::predecessors;
use crate::readers::population::GridCell;
use crate::spatial::MunicipalityLocator;
use scoring::atlas::{Indicator, Municipality, Resolution};
use std::collections::HashMap;

/// Everything the indicator functions share.
pub struct Base<'a> {
    pub municipalities: &'a [Municipality],
    /// Zensus 2022 population per current municipality.
    pub population: &'a [Option<f64>],
    pub area_km2: &'a [Option<f64>],
    /// Populated grid cells per municipality.
    pub cells: &'a [Vec<GridCell>],
    /// Zensus 2022 population per 2022 AGS (for weighting predecessors).
    pub pop_old: &'a HashMap<String, f64>,
    /// 12-digit ARS per 2022 AGS.
    pub ars_of_old: &'a HashMap<String, String>,
    pub manifest: &'a Manifest,
    pub locator: &'a MunicipalityLocator,
}

impl Base<'_> {
    /// How many municipalities a keyed table's rows land in: those whose own key or a
    /// predecessor's key (`has` of a key of the table's date) is present.
    fn reach(&self, has: impl Fn(&str) -> bool) -> usize {
        self.municipalities
            .iter()
            .filter(|m| has(&m.ags) || predecessors(&m.ags).iter().any(|o| has(o)))
            .count()
    }

    fn ags(&self) -> Vec<String> {
        self.municipalities.iter().map(|m| m.ags.clone()).collect()
    }

    /// Central parallel of the region (for the planar search index).
    fn lat0(&self) -> f64 {
        let n = self.municipalities.len().max(1) as f64;
        self.municipalities.iter().map(|m| m.lat).sum::<f64>() / n
    }

    /// (lon, lat, weight) points standing for where the municipality's people live: its populated
    /// grid cells weighted by residents (or by children under 15), else its reference point.
    fn where_people_live(&self, i: usize, children: bool) -> Vec<(f64, f64, f64)> {
        let cells = &self.cells[i];
        let kids: f64 = cells.iter().map(|c| c.under15).sum();
        let by_children = children && kids > 0.0;
        let pts: Vec<(f64, f64, f64)> = cells
            .iter()
            .map(|c| (c.lon, c.lat, if by_children { c.under15 } else { c.total }))
            .filter(|p| p.2 > 0.0)
            .collect();
        if pts.is_empty() {
            let m = &self.municipalities[i];
            vec![(m.lon, m.lat, 1.0)]
        } else {
            pts
        }
    }

    /// Combines a value published for old (pre-merger) keys into the current municipality:
    /// itself, or the population-weighted mean of its predecessors when all have a value.
    fn across_mergers(&self, i: usize, value_of: impl Fn(&str) -> Cell) -> Cell {
        let m = &self.municipalities[i];
        let olds = predecessors(&m.ags);
        if olds.is_empty() {
            return value_of(&m.ags);
        }
        let (mut sum, mut w) = (0.0, 0.0);
        for o in &olds {
            let v = value_of(o).map_err(|e| format!("{e} (for predecessor {o})"))?;
            let p = self.pop_old.get(o).copied().unwrap_or(0.0);
            sum += v * p;
            w += p;
        }
        if w > 0.0 {
            Ok(sum / w)
        } else {
            Err("no population to weight the predecessors' values".into())
        }
    }
}

/// Population, area, density and the share of children.
pub fn base_indicators(b: &Base) -> Vec<Indicator> {
    let ags = b.ags();
    let n = ags.len();
    let pop: Vec<Cell> = (0..n)
        .map(|i| b.population[i].ok_or_else(|| "not in the Zensus 2022 table".to_string()))
        .collect();
    let area: Vec<Cell> = (0..n)
        .map(|i| b.area_km2[i].ok_or_else(|| "not in the Destatis directory".to_string()))
        .collect();
    let density: Vec<Cell> = (0..n)
        .map(|i| match (&pop[i], &area[i]) {
            (Ok(p), Ok(a)) if *a > 0.0 => Ok(p / a),
            _ => Err("population or area missing".into()),
        })
        .collect();
    let kids: Vec<Cell> = (0..n)
        .map(|i| {
            let t: f64 = b.cells[i].iter().map(|c| c.total).sum();
            let k: f64 = b.cells[i].iter().map(|c| c.under15).sum();
            if t > 0.0 {
                Ok(100.0 * k / t)
            } else {
                Err("no populated grid cell inside the municipality".into())
            }
        })
        .collect();
    let across: Vec<Cell> = (0..n).map(|i| across_town_km(b, i)).collect();
    let mut merged =
        "Zensus 2022 persons; merged municipalities: sum of their predecessors.".to_string();
    merged.push_str(" Borders of 2022 mapped to the current register.");
    vec![
        column(
            meta(
                "population",
                "Einwohner",
                "residents",
                "persons",
                Resolution::Municipality,
                &["zensus_population"],
                "2022-05-15",
                &merged,
            ),
            &ags,
            pop,
        ),
        column(
            meta(
                "area_km2",
                "Fläche",
                "area",
                "km2",
                Resolution::Municipality,
                &["destatis_gv"],
                "2019-12-31",
                "Destatis directory; merged municipalities: sum of their predecessors.",
            ),
            &ags,
            area,
        ),
        column(
            meta(
                "density_per_km2",
                "Einwohner je km²",
                "residents per km²",
                "persons/km2",
                Resolution::Municipality,
                &["zensus_population", "destatis_gv"],
                "2022-05-15",
                "Zensus 2022 population divided by the Destatis area.",
            ),
            &ags,
            density,
        ),
        column(
            meta(
                "children_share_pct",
                "Anteil Kinder unter 15",
                "share of children under 15",
                "%",
                Resolution::Points,
                &["population_grid", "vg250"],
                "2022-05-15",
                "Residents under 15 over all residents of the populated 1 km cells whose centre lies in the municipality (cell values are perturbed for confidentiality; age groups do not add up exactly).",
            ),
            &ags,
            kids,
        ),
        column(
            meta(
                ACROSS_TOWN_ID,
                "Weg durch den Ort",
                "the way across town",
                "km",
                Resolution::Points,
                &["population_grid", "vg250"],
                "2022-05-15",
                "Mean over the populated 1 km grid cells of the municipality, weighted by residents, of the straight-line (geodesic) distance from the cell to the municipality's population-weighted centre, each cell's own spread counted in (the root of the squared distance plus 1/6 km², the mean squared distance of a point in a 1 km square from its centre); the road distance is longer (about × 1.3). Where a commute ends in the home municipality, this stands for the way across town.",
            ),
            &ags,
            across,
        ),
    ]
}

/// Id of the across-town distance ([`base_indicators`]).
pub const ACROSS_TOWN_ID: &str = "across_town_distance_km";

/// Mean squared distance (km²) of a point spread evenly over a 1 km grid cell from the cell's
/// centre: ∫∫ (x² + y²) over the unit square around 0 = 1/12 + 1/12.
const CELL_SPREAD_KM2: f64 = 1.0 / 6.0;

/// The residents' mean crow-flies distance to the population-weighted centre: how far a way
/// across town is, for a commute that ends in the home municipality.
fn across_town_km(b: &Base, i: usize) -> Cell {
    let m = &b.municipalities[i];
    let centre = (m.centre_lon, m.centre_lat);
    let (mut w, mut sum) = (0.0, 0.0);
    for c in b.cells[i].iter().filter(|c| c.total > 0.0) {
        let d = crate::spatial::distance_km((c.lon, c.lat), centre);
        sum += c.total * (d * d + CELL_SPREAD_KM2).sqrt();
        w += c.total;
    }
    if w > 0.0 {
        Ok(sum / w)
    } else {
        Err("no populated grid cell inside the municipality".into())
    }
}

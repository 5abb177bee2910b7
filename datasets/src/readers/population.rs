//! Where people live: the Zensus 2022 population per municipality and the 1 km population grid.

use crate::error::Result;
use crate::report::{Reject, SourceReport};
use crate::table::Table;
use crate::text::ars_to_ags;
use std::path::Path;

/// Reads the Zensus 2022 table 1000A-0000 (flat CSV, `;`): persons per municipality, keyed by
/// the AGS derived from the 12-digit ARS. Keys keep the 2022 borders.
pub fn read_population(path: &Path, source: &str) -> Result<(Vec<(String, f64)>, SourceReport)> {
    read_population_bytes(path, &crate::error::read_file(path)?, source)
}

/// [`read_population`] on the file's bytes, already in memory; `path` only names the file in errors
/// and the report.
pub fn read_population_bytes(
    path: &Path,
    bytes: &[u8],
    source: &str,
) -> Result<(Vec<(String, f64)>, SourceReport)> {
    let t = Table::from_bytes(path, bytes, b';')?;
    let mut rep = SourceReport::for_table(source, &t);
    let (c_ars, c_val) = (t.col("1_variable_attribute_code")?, t.col("value")?);
    let mut out = Vec::new();
    for row in &t.rows {
        rep.rows_read += 1;
        let Some(ags) = ars_to_ags(t.text(row, c_ars)) else {
            rep.reject(Reject::OtherLevel);
            continue;
        };
        match t.number(row, c_val)? {
            Some(v) if v >= 0.0 => {
                out.push((ags, v));
                rep.rows_kept += 1;
            }
            _ => rep.reject(Reject::SourceMissing),
        }
    }
    Ok((out, rep))
}

/// A populated 1 km cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridCell {
    /// Cell centre, WGS84.
    pub lon: f64,
    pub lat: f64,
    /// Residents (`T`).
    pub total: f64,
    /// Residents under 15 (`Y_LT15`; 0 where confidential).
    pub under15: f64,
}

/// Reads the Eurostat/Zensus 1 km grid. Cells are not yet assigned to municipalities (the
/// polygons do that); cells with no residents are skipped as out of scope.
pub fn read_grid(path: &Path, source: &str) -> Result<(Vec<GridCell>, SourceReport)> {
    read_grid_bytes(path, &crate::error::read_file(path)?, source)
}

/// [`read_grid`] on the file's bytes, already in memory; `path` only names the file in errors and
/// the report.
pub fn read_grid_bytes(
    path: &Path,
    bytes: &[u8],
    source: &str,
) -> Result<(Vec<GridCell>, SourceReport)> {
    let t = Table::from_bytes(path, bytes, b',')?;
    let mut rep = SourceReport::for_table(source, &t);
    let (c_lon, c_lat, c_t, c_u15) = (t.col("lon")?, t.col("lat")?, t.col("T")?, t.col("Y_LT15")?);
    let mut out = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        rep.rows_read += 1;
        let (Some(lon), Some(lat)) = (t.number(row, c_lon)?, t.number(row, c_lat)?) else {
            rep.reject(Reject::BadCoordinate);
            continue;
        };
        if crate::facility::check_lonlat(lon, lat).is_err() {
            rep.reject(Reject::BadCoordinate);
            continue;
        }
        let total = t.number(row, c_t)?.unwrap_or(0.0);
        if total <= 0.0 {
            rep.reject(Reject::OutOfScope);
            continue;
        }
        let under15 = t.number(row, c_u15)?.unwrap_or(0.0).max(0.0);
        out.push(GridCell {
            lon,
            lat,
            total,
            under15,
        });
        rep.rows_kept += 1;
    }
    Ok((out, rep))
}

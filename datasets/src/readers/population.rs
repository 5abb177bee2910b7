//! Where people live: the Zensus 2022 population per municipality and the 1 km population grid.

use crate::error::{DatasetError, Result};
use crate::plausible::{GRID_CELL_RESIDENTS, POPULATION};
use crate::readers::housing::{check_unique, outside};
use crate::report::{Reject, SourceReport};
use crate::table::Table;
use crate::text::ars_to_ags;
use std::collections::HashMap;
use std::path::Path;

/// The Zensus 2022 population table, keyed by the AGS of 2022 borders.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ZensusPopulation {
    /// (AGS, persons) of every kept row, in file order.
    pub counts: Vec<(String, f64)>,
    /// The 12-digit ARS of every municipality the table names (kept or not): the key the
    /// association tables join on, which no other file carries for the 2022 borders.
    pub ars_of: HashMap<String, String>,
}

/// Reads the Zensus 2022 table 1000A-0000 (flat CSV, `;`): persons per municipality, keyed by
/// the AGS derived from the 12-digit ARS. Keys keep the 2022 borders. A key that appears twice
/// is an error naming both lines; a count outside [`POPULATION`] is a rejected row.
pub fn read_population(path: &Path, source: &str) -> Result<(ZensusPopulation, SourceReport)> {
    read_population_bytes(path, &crate::error::read_file(path)?, source)
}

/// [`read_population`] on the file's bytes, already in memory; `path` only names the file in errors
/// and the report.
pub fn read_population_bytes(
    path: &Path,
    bytes: &[u8],
    source: &str,
) -> Result<(ZensusPopulation, SourceReport)> {
    let t = Table::from_bytes(path, bytes, b';')?;
    let mut rep = SourceReport::for_table(source, &t);
    let (c_ars, c_val) = (t.col("1_variable_attribute_code")?, t.col("value")?);
    let mut out = Vec::new();
    let mut ars_of = HashMap::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for row in &t.rows {
        rep.rows_read += 1;
        let ars = t.text(row, c_ars);
        let Some(ags) = ars_to_ags(ars) else {
            rep.reject(Reject::OtherLevel);
            continue;
        };
        ars_of.insert(ags.clone(), ars.to_string());
        check_unique(&t, &mut first_line, &ags, row.line)?;
        let value = t.number(row, c_val)?;
        if let Some(why) = outside(&t, c_val, value, &POPULATION) {
            rep.reject_row(Reject::Implausible, row.line, format!("{ags}: {why}"));
            continue;
        }
        match value {
            Some(v) => {
                out.push((ags, v));
                rep.rows_kept += 1;
            }
            _ => rep.reject(Reject::SourceMissing),
        }
    }
    let population = ZensusPopulation {
        counts: out,
        ars_of,
    };
    Ok((population, rep))
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
/// polygons do that); cells with no residents are skipped as out of scope. A cell that appears
/// twice (same centre) is an error naming both lines; a resident count outside
/// [`GRID_CELL_RESIDENTS`] is a rejected row.
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
    let mut first_line: HashMap<(u64, u64), u64> = HashMap::with_capacity(t.rows.len());
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
        if let Some(first) = first_line.insert((lon.to_bits(), lat.to_bits()), row.line) {
            return Err(DatasetError::parse(
                path,
                row.line,
                format!(
                    "duplicate grid cell at lon {lon}, lat {lat}: already on line {first} (its residents would count twice)"
                ),
            ));
        }
        let total = t.number(row, c_t)?.unwrap_or(0.0);
        if total <= 0.0 {
            rep.reject(Reject::OutOfScope);
            continue;
        }
        if let Some(why) = outside(&t, c_t, Some(total), &GRID_CELL_RESIDENTS) {
            rep.reject_row(Reject::Implausible, row.line, why);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn population_duplicates_and_implausible_counts() {
        let head = "1_variable_attribute_code;value\n";
        let read = |body: &str| {
            read_population_bytes(
                Path::new("pop.csv"),
                format!("{head}{body}").as_bytes(),
                "zensus_population",
            )
        };
        let err = read("147300190190;4963\n145210290290;3362\n147300190190;999999\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("pop.csv, line 4: duplicate key 14730190: already on line 2"),
            "{err}"
        );
        let (population, rep) =
            read("147300190190;4963\n145210290290;-1\n145210010010;1000000\n").unwrap();
        assert_eq!(population.counts, vec![("14730190".to_string(), 4963.0)]);
        // Rejected rows still name their municipality's ARS (the association tables need it).
        assert_eq!(population.ars_of.len(), 3);
        assert_eq!(population.ars_of["14521290"], "145210290290");
        assert_eq!(rep.rejected.get(&Reject::Implausible), Some(&2));
        assert_eq!(rep.rejected_rows[1].line, 4);
    }

    #[test]
    fn a_grid_cell_twice_names_both_lines() {
        let text = "lon,lat,T,Y_LT15\n13.7,51.0,100,10\n13.8,51.0,50,5\n13.7,51.0,100,10\n";
        let err = read_grid_bytes(Path::new("grid.csv"), text.as_bytes(), "population_grid")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "grid.csv, line 4: duplicate grid cell at lon 13.7, lat 51: already on line 2"
            ),
            "{err}"
        );
        let text = "lon,lat,T,Y_LT15\n13.7,51.0,100,10\n13.8,51.0,60000,5\n";
        let (cells, rep) =
            read_grid_bytes(Path::new("grid.csv"), text.as_bytes(), "population_grid").unwrap();
        assert_eq!(cells.len(), 1);
        assert_eq!(rep.rejected.get(&Reject::Implausible), Some(&1));
    }
}

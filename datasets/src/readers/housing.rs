//! Rent: the Zensus 2022 rent of existing leases per municipality, and per district the
//! vacancy and rent table.

use crate::error::Result;
use crate::report::{Reject, SourceReport};
use crate::table::Table;
use crate::text::ars_to_ags;
use std::path::Path;

/// Rent figures of one municipality (2022 borders).
#[derive(Clone, Debug, PartialEq)]
pub struct MunicipalRent {
    pub ags: String,
    /// Average net cold rent of existing leases, €/m² (`QMMIETE`).
    pub rent_eur_m2: Option<f64>,
    /// Average living area per dwelling, m² (`FLAECHE`).
    pub flat_size_m2: Option<f64>,
    /// Rented dwellings (`NUTZUNG__02`): the weight for combining merged municipalities' rents.
    pub rented_dwellings: Option<f64>,
    /// All dwellings (`GEBAEUDEART_SYS_1`): the weight for combining flat sizes.
    pub dwellings: Option<f64>,
}

/// Reads the Zensus "Gebäude und Wohnungen" extract; only `Gemeinde` rows are kept.
pub fn read_municipal_rent(
    path: &Path,
    source: &str,
) -> Result<(Vec<MunicipalRent>, SourceReport)> {
    read_municipal_rent_bytes(path, &crate::error::read_file(path)?, source)
}

/// [`read_municipal_rent`] on the file's bytes, already in memory; `path` only names the file in
/// errors and the report.
pub fn read_municipal_rent_bytes(
    path: &Path,
    bytes: &[u8],
    source: &str,
) -> Result<(Vec<MunicipalRent>, SourceReport)> {
    let t = Table::from_bytes(path, bytes, b',')?;
    let mut rep = SourceReport::for_table(source, &t);
    let (c_rs, c_level, c_rent, c_flat, c_rented, c_dw) = (
        t.col("_RS")?,
        t.col("Regionalebene")?,
        t.col("QMMIETE")?,
        t.col("FLAECHE")?,
        t.col("NUTZUNG__02")?,
        t.col("GEBAEUDEART_SYS_1")?,
    );
    let mut out = Vec::new();
    for row in &t.rows {
        rep.rows_read += 1;
        if t.text(row, c_level) != "Gemeinde" {
            rep.reject(Reject::OtherLevel);
            continue;
        }
        let Some(ags) = ars_to_ags(t.text(row, c_rs)) else {
            rep.reject(Reject::UnknownAgs);
            continue;
        };
        out.push(MunicipalRent {
            ags,
            rent_eur_m2: t.number(row, c_rent)?,
            flat_size_m2: t.number(row, c_flat)?,
            rented_dwellings: t.number(row, c_rented)?,
            dwellings: t.number(row, c_dw)?,
        });
        rep.rows_kept += 1;
    }
    Ok((out, rep))
}

/// Vacancy and existing rent of one district.
#[derive(Clone, Debug, PartialEq)]
pub struct DistrictHousing {
    pub ags5: String,
    pub existing_rent_eur_m2: Option<f64>,
    pub vacancy_pct: Option<f64>,
}

/// Reads the district vacancy table.
pub fn read_district_housing(
    path: &Path,
    source: &str,
) -> Result<(Vec<DistrictHousing>, SourceReport)> {
    read_district_housing_bytes(path, &crate::error::read_file(path)?, source)
}

/// [`read_district_housing`] on the file's bytes, already in memory; `path` only names the file in
/// errors and the report.
pub fn read_district_housing_bytes(
    path: &Path,
    bytes: &[u8],
    source: &str,
) -> Result<(Vec<DistrictHousing>, SourceReport)> {
    let t = Table::from_bytes(path, bytes, b',')?;
    let mut rep = SourceReport::for_table(source, &t);
    let (c_id, c_rent, c_vac) = (
        t.col("id")?,
        t.col("existing_cold_rent_2022_eur_m2")?,
        t.col("census_vacancy_2022_pct")?,
    );
    let mut out = Vec::new();
    for row in &t.rows {
        rep.rows_read += 1;
        let id = t.text(row, c_id);
        if id.len() != 5 || !id.bytes().all(|b| b.is_ascii_digit()) {
            rep.reject(Reject::UnknownAgs);
            continue;
        }
        out.push(DistrictHousing {
            ags5: id.to_string(),
            existing_rent_eur_m2: t.number(row, c_rent)?,
            vacancy_pct: t.number(row, c_vac)?,
        });
        rep.rows_kept += 1;
    }
    Ok((out, rep))
}

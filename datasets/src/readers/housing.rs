//! Rent: the Zensus 2022 rent of existing leases per municipality, and per district the
//! vacancy and rent table.

use crate::error::{DatasetError, Result};
use crate::plausible::{FLAT_SIZE_M2, RENT_EUR_M2, Range};
use crate::report::{Reject, SourceReport};
use crate::table::Table;
use crate::text::ars_to_ags;
use std::collections::HashMap;
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

/// Reads the Zensus "Gebäude und Wohnungen" extract; only `Gemeinde` rows are kept. A key that
/// appears twice is an error naming both lines; a row whose rent or flat size lies outside its
/// plausible range ([`crate::plausible`]) is rejected with its line and value in the report.
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
    let mut first_line: HashMap<String, u64> = HashMap::new();
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
        check_unique(&t, &mut first_line, &ags, row.line)?;
        let rent_eur_m2 = t.number(row, c_rent)?;
        let flat_size_m2 = t.number(row, c_flat)?;
        if let Some(why) = outside(&t, c_rent, rent_eur_m2, &RENT_EUR_M2)
            .or_else(|| outside(&t, c_flat, flat_size_m2, &FLAT_SIZE_M2))
        {
            rep.reject_row(Reject::Implausible, row.line, format!("{ags}: {why}"));
            continue;
        }
        out.push(MunicipalRent {
            ags,
            rent_eur_m2,
            flat_size_m2,
            rented_dwellings: t.number(row, c_rented)?,
            dwellings: t.number(row, c_dw)?,
        });
        rep.rows_kept += 1;
    }
    Ok((out, rep))
}

/// An error naming both lines if `key` was seen before; else remembers its line.
pub(crate) fn check_unique(
    t: &Table,
    first_line: &mut HashMap<String, u64>,
    key: &str,
    line: u64,
) -> Result<()> {
    if let Some(first) = first_line.insert(key.to_string(), line) {
        return Err(DatasetError::parse(
            &t.path,
            line,
            format!("duplicate key {key}: already on line {first} (each key may appear once)"),
        ));
    }
    Ok(())
}

/// Why a present value of column `col` lies outside `range`, if it does.
pub(crate) fn outside(t: &Table, col: usize, value: Option<f64>, range: &Range) -> Option<String> {
    value.filter(|v| !range.contains(*v)).map(|v| {
        format!(
            "{} = {} is outside the plausible range {range}",
            t.headers[col],
            crate::plausible::show(v)
        )
    })
}

/// Vacancy and existing rent of one district.
#[derive(Clone, Debug, PartialEq)]
pub struct DistrictHousing {
    pub ags5: String,
    pub existing_rent_eur_m2: Option<f64>,
    pub vacancy_pct: Option<f64>,
}

/// Reads the district vacancy table; a district that appears twice is an error naming both
/// lines.
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
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for row in &t.rows {
        rep.rows_read += 1;
        let id = t.text(row, c_id);
        if id.len() != 5 || !id.bytes().all(|b| b.is_ascii_digit()) {
            rep.reject(Reject::UnknownAgs);
            continue;
        }
        check_unique(&t, &mut first_line, id, row.line)?;
        out.push(DistrictHousing {
            ags5: id.to_string(),
            existing_rent_eur_m2: t.number(row, c_rent)?,
            vacancy_pct: t.number(row, c_vac)?,
        });
        rep.rows_kept += 1;
    }
    Ok((out, rep))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "_RS,Regionalebene,QMMIETE,FLAECHE,NUTZUNG__02,GEBAEUDEART_SYS_1\n";

    fn read(body: &str) -> Result<(Vec<MunicipalRent>, SourceReport)> {
        read_municipal_rent_bytes(
            Path::new("rent.csv"),
            format!("{HEADER}{body}").as_bytes(),
            "zensus_rent",
        )
    }

    #[test]
    fn an_implausible_rent_or_size_is_a_rejected_row_with_line_and_value() {
        let (rows, rep) = read(
            "147300190190,Gemeinde,5.32,101.18,629,2421\n\
             145110000000,Gemeinde,-5.5,71.33,1,1\n\
             145210010010,Gemeinde,4.6,1e300,1,1\n\
             14,Land,5.72,79.14,1,1\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rep.rejected.get(&Reject::Implausible), Some(&2));
        assert_eq!(rep.unaccounted(), 0);
        assert_eq!(
            rep.rejected_rows_summary(5),
            "line 3: 14511000: QMMIETE = -5.5 is outside the plausible range 2–40 EUR/m2; \
             line 4: 14521010: FLAECHE = 1e300 is outside the plausible range 20–250 m2"
        );
    }

    #[test]
    fn a_duplicate_key_names_both_lines() {
        let err = read(
            "147300190190,Gemeinde,5.32,101.18,629,2421\n\
             145110000000,Gemeinde,5.26,71.33,1,1\n\
             147300190190,Gemeinde,5.32,101.18,629,2421\n",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            err,
            "rent.csv, line 4: duplicate key 14730190: already on line 2 (each key may appear once)"
        );
    }

    #[test]
    fn a_district_twice_in_the_vacancy_table_names_both_lines() {
        let text = "id,existing_cold_rent_2022_eur_m2,census_vacancy_2022_pct\n\
                    14612,6.5,5.1\n14511,5.3,9.8\n14612,6.5,5.1\n";
        let err =
            read_district_housing_bytes(Path::new("vac.csv"), text.as_bytes(), "zensus_vacancy")
                .unwrap_err()
                .to_string();
        assert!(
            err.contains("vac.csv, line 4: duplicate key 14612: already on line 2"),
            "{err}"
        );
    }
}

//! Cinemas per municipality from INKAR (BBSR), 2021.

use super::new_report;
use crate::error::Result;
use crate::readers::rows::account_rows;
use crate::report::{Reject, SourceReport};
use crate::table::Table;
use crate::text::{normalise_ags, parse_number};
use std::collections::HashSet;
use std::path::Path;

/// Cinema supply of one municipality, as INKAR counts it.
#[derive(Clone, Debug, PartialEq)]
pub struct CinemaRow {
    /// 8-digit AGS.
    pub ags: String,
    /// Number of cinemas (2021).
    pub cinemas: f64,
    /// Number of screens, where given.
    pub screens: Option<f64>,
    /// Number of seats, where given (`None` also where INKAR writes 0 seats for a municipality
    /// with a cinema, which cannot be true).
    pub seats: Option<f64>,
}

/// Reads `leisure_sn_inkar_kinos_gemeinden_2021.csv` (`,`; `Kennziffer`, `Kinos`,
/// `Kinosäle`, `Kinositzplätze`), one row per central-place municipality (154 of 418).
///
/// Why counts and not points: INKAR is the only statewide cinema source, and it has no
/// addresses; municipalities not in the file are not "0 cinemas" but "not a central place"
/// (mostly 0, but the caller decides). Row rejections: a key that is not an AGS →
/// [`Reject::UnknownAgs`]; a repeated AGS → [`Reject::Duplicate`]; an empty `Kinos` →
/// [`Reject::SourceMissing`]; text in any of the three number columns →
/// [`Reject::UnparsableNumber`]. INKAR gives 0 seats for three municipalities with one cinema
/// and one screen; those seats are read as unknown, with a note.
pub fn read_cinemas_inkar(path: &Path, source_id: &str) -> Result<(Vec<CinemaRow>, SourceReport)> {
    read_cinemas_inkar_bytes(path, &crate::error::read_file(path)?, source_id)
}

/// [`read_cinemas_inkar`] on the file's bytes, already in memory; `path` only names the file in
/// errors and the report.
pub fn read_cinemas_inkar_bytes(
    path: &Path,
    bytes: &[u8],
    source_id: &str,
) -> Result<(Vec<CinemaRow>, SourceReport)> {
    let table = Table::from_bytes(path, bytes, b',')?;
    let mut report = new_report(source_id, path, table.encoding);
    let (ags_col, cin_col) = (table.col("Kennziffer")?, table.col("Kinos")?);
    let (scr_col, seat_col) = (table.col("Kinosäle")?, table.col("Kinositzplätze")?);
    let mut rows = Vec::new();
    let mut seen = HashSet::new();
    let mut zero_seats = Vec::new();
    account_rows(&mut report, &table.rows, |row| {
        let ags = normalise_ags(table.text(row, ags_col)).ok_or(Reject::UnknownAgs)?;
        if !seen.insert(ags.clone()) {
            return Err(Reject::Duplicate);
        }
        let number = |col| parse_number(table.text(row, col));
        let (cinemas, screens, seats) = match (number(cin_col), number(scr_col), number(seat_col)) {
            (Ok(c), Ok(s), Ok(p)) => (c, s, p),
            _ => return Err(Reject::UnparsableNumber),
        };
        let cinemas = cinemas.ok_or(Reject::SourceMissing)?;
        let seats = match seats {
            Some(s) if s == 0.0 && cinemas > 0.0 => {
                zero_seats.push(ags.clone());
                None
            }
            other => other,
        };
        rows.push(CinemaRow {
            ags,
            cinemas,
            screens,
            seats,
        });
        Ok(())
    });
    if !zero_seats.is_empty() {
        report.note(format!(
            "0 seats given for a municipality with a cinema, read as unknown: {}",
            zero_seats.join(", ")
        ));
    }
    Ok((rows, report))
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{fixture, raw};
    use super::*;

    #[test]
    fn cinemas_fixture() {
        let text = "Kennziffer,Raumeinheit,Aggregat,Bevölkerung,Kinos,Kinosäle,Kinositzplätze\n\
                    14511000,Chemnitz,Oberzentrum,248563,9,20,2876\n\
                    14523340,Reichenbach,Mittelzentrum,20371,1,1,0\n\
                    14521110,Breitenbrunn,Grundzentrum,5084,0,,\n\
                    14511000,Chemnitz,Oberzentrum,248563,9,20,2876\n\
                    Sachsen,Land,,,79,229,34077\n\
                    14521020,Annaberg,Mittelzentrum,19382,,3,286\n\
                    14521035,Aue,Mittelzentrum,19864,eins,4,379\n";
        let f = fixture(text, ".csv");
        let (rows, r) = read_cinemas_inkar(f.path(), "inkar").unwrap();
        assert_eq!((r.rows_read, r.rows_kept), (7, 3));
        assert_eq!(r.rejected.get(&Reject::Duplicate), Some(&1));
        assert_eq!(r.rejected.get(&Reject::UnknownAgs), Some(&1));
        assert_eq!(r.rejected.get(&Reject::SourceMissing), Some(&1));
        assert_eq!(r.rejected.get(&Reject::UnparsableNumber), Some(&1));
        assert_eq!(r.unaccounted(), 0);
        assert_eq!(
            rows[0],
            CinemaRow {
                ags: "14511000".into(),
                cinemas: 9.0,
                screens: Some(20.0),
                seats: Some(2876.0)
            }
        );
        assert_eq!(rows[1].seats, None, "0 seats with a cinema is unknown");
        assert_eq!((rows[2].cinemas, rows[2].screens), (0.0, None));
        assert_eq!(r.notes.len(), 1);
        let f = fixture("Kennziffer;Kinos\n14511000;9\n", ".csv");
        assert!(
            read_cinemas_inkar(f.path(), "inkar").is_err(),
            "wrong delimiter"
        );
    }

    #[test]
    fn real_cinemas() {
        let (rows, r) = read_cinemas_inkar(
            &raw("facilities/leisure_sn_inkar_kinos_gemeinden_2021.csv"),
            "inkar",
        )
        .unwrap();
        assert_eq!((r.rows_read, r.rows_kept), (154, 154));
        assert_eq!(r.unaccounted(), 0);
        let sum = |f: fn(&CinemaRow) -> Option<f64>| rows.iter().filter_map(f).sum::<f64>();
        assert_eq!(sum(|r| Some(r.cinemas)), 79.0);
        assert_eq!(sum(|r| r.screens), 229.0);
        assert_eq!(sum(|r| r.seats), 34077.0);
        assert_eq!(rows.iter().filter(|r| r.cinemas > 0.0).count(), 39);
        assert_eq!(rows.iter().filter(|r| r.seats.is_none()).count(), 3);
    }
}

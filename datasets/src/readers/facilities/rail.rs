//! Railway stations from Deutsche Bahn open data (2020).

use super::{new_report, point};
use crate::error::Result;
use crate::facility::{Category, FacilityPoint, check_lonlat};
use crate::readers::rows::{account_rows, point_rows};
use crate::report::{Reject, SourceReport};
use crate::table::Table;
use crate::text::parse_number;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// Operator of the narrow-gauge heritage lines (Weißeritztalbahn, Lößnitzgrundbahn,
/// Fichtelbergbahn): tourist steam trains with a few runs a day, not a commute.
const HERITAGE_OPERATOR: &str = "Sächsische Dampfeisenbahngesellschaft";

/// Reads the DB station files and returns the stations as [`Category::RailStation`] points plus
/// two reports: `[haltestellen, stationsdaten]`.
///
/// `transport_sn_db_haltestellen_2020.csv` (`;`, decimal comma, CRLF; one row per station with
/// coordinates, any operator) gives the points. Stations of the
/// Sächsische Dampfeisenbahngesellschaft (`Betreiber_Name`) are [`Reject::OutOfScope`] with a
/// note: a heritage steam line is no rail connection for daily life. Coordinates that are empty
/// or text are [`Reject::BadCoordinate`]; a repeated `EVA_NR` is a [`Reject::Duplicate`].
///
/// `transport_sn_db_stationsdaten_2020-03.csv` (DB Station&Service master data, category 1–7,
/// no coordinates) is joined by DS100 code: the matched station's point carries the category
/// ([`FacilityPoint::station_category`], the first row's where a station has two codes), and
/// the notes say how many stations have one. No indicator rests on it (it describes the
/// station, not the service, and non-DB halts have none); it is shown with the named station.
/// The `DS100` field of the first file
/// can hold several codes (`DFH,DHG`), so it is split on commas. A Stationsdaten row is kept
/// when its code matches a station, [`Reject::BadCoordinate`] when no station with coordinates
/// has that code (listed in a note), [`Reject::UnparsableNumber`] when its category is not a
/// number.
pub fn read_rail_stations(
    haltestellen_path: &Path,
    haltestellen_source: &str,
    stationsdaten_path: &Path,
    stationsdaten_source: &str,
) -> Result<(Vec<FacilityPoint>, Vec<SourceReport>)> {
    let haltestellen = crate::error::read_file(haltestellen_path)?;
    let stationsdaten = crate::error::read_file(stationsdaten_path)?;
    read_rail_stations_bytes(
        (haltestellen_path, &haltestellen, haltestellen_source),
        (stationsdaten_path, &stationsdaten, stationsdaten_source),
    )
}

/// [`read_rail_stations`] on the two files' bytes, already in memory: each file as (path,
/// bytes, source id), where the path only names the file in errors and the reports.
pub fn read_rail_stations_bytes(
    (haltestellen_path, haltestellen, haltestellen_source): (&Path, &[u8], &str),
    (stationsdaten_path, stationsdaten, stationsdaten_source): (&Path, &[u8], &str),
) -> Result<(Vec<FacilityPoint>, Vec<SourceReport>)> {
    let table = Table::from_bytes(haltestellen_path, haltestellen, b';')?;
    let mut report = new_report(haltestellen_source, haltestellen_path, table.encoding);
    let (eva, ds100, name) = (
        table.col("EVA_NR")?,
        table.col("DS100")?,
        table.col("NAME")?,
    );
    let (lon, lat, operator) = (
        table.col("Laenge")?,
        table.col("Breite")?,
        table.col("Betreiber_Name")?,
    );
    // DS100 code → the index of the kept station with it (None: the station was left out).
    let mut codes: HashMap<String, Option<usize>> = HashMap::new();
    let mut seen_eva = HashSet::new();
    let mut heritage = 0usize;
    let mut points = point_rows(&mut report, &table.rows, |row, out| {
        let id = table.text(row, eva);
        if !id.is_empty() && !seen_eva.insert(id.to_string()) {
            return Err(Reject::Duplicate);
        }
        let row_codes = table
            .text(row, ds100)
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty());
        if table.text(row, operator).starts_with(HERITAGE_OPERATOR) {
            heritage += 1;
            for c in row_codes {
                codes.entry(c.to_string()).or_insert(None);
            }
            return Err(Reject::OutOfScope);
        }
        let number = |col| parse_number(table.text(row, col)).ok().flatten();
        let c = match (number(lon), number(lat)) {
            (Some(x), Some(y)) => check_lonlat(x, y).map(|()| (x, y)),
            _ => Err(Reject::BadCoordinate),
        }?;
        let station = Some(table.text(row, name).to_string()).filter(|s| !s.is_empty());
        for code in row_codes {
            codes.insert(code.to_string(), Some(out.len()));
        }
        out.push(point(
            Category::RailStation,
            c,
            station,
            haltestellen_source,
        ));
        Ok(())
    });
    report.note(format!(
        "{heritage} station(s) of the {HERITAGE_OPERATOR} (narrow-gauge heritage steam lines) left out"
    ));

    let data = Table::from_bytes(stationsdaten_path, stationsdaten, b';')?;
    let mut cat_report = new_report(stationsdaten_source, stationsdaten_path, data.encoding);
    let (code_col, cat_col, station_col) = (
        data.col("Bf DS 100Abk.")?,
        data.col("Kat. Vst")?,
        data.col("Station")?,
    );
    let mut unmatched = Vec::new();
    let mut kept_by_category: BTreeMap<u32, usize> = BTreeMap::new();
    account_rows(&mut cat_report, &data.rows, |row| {
        let category = match parse_number(data.text(row, cat_col)) {
            Ok(Some(c)) if c.fract() == 0.0 && (1.0..=7.0).contains(&c) => c as u32,
            _ => return Err(Reject::UnparsableNumber),
        };
        let code = data.text(row, code_col);
        let Some(&station) = codes.get(code) else {
            unmatched.push(format!("{} ({code})", data.text(row, station_col)));
            return Err(Reject::BadCoordinate);
        };
        // A station with two codes listed twice counts once.
        if let Some(p) = station.and_then(|i| points.get_mut(i))
            && p.station_category.is_none()
        {
            *kept_by_category.entry(category).or_default() += 1;
            p.station_category = Some(category as u8);
        }
        Ok(())
    });
    let with_category: usize = kept_by_category.values().sum();
    let by_cat: Vec<String> = kept_by_category
        .iter()
        .map(|(c, n)| format!("{c}: {n}"))
        .collect();
    cat_report.note(format!(
        "{with_category} of {} kept stations carry a DB station category (by category {}); the others are non-DB halts",
        points.len(),
        by_cat.join(", ")
    ));
    if !unmatched.is_empty() {
        cat_report.note(format!(
            "{} DB station(s) have no station with that DS100 code (and so no coordinate) in the Haltestellen file: {}",
            unmatched.len(),
            unmatched.join("; ")
        ));
    }
    Ok((points, vec![report, cat_report]))
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{fixture, raw};
    use super::*;

    const HALTESTELLEN: &str = "EVA_NR;DS100;IFOPT;NAME;Verkehr;Laenge;Breite;Betreiber_Name;Betreiber_Nr;Status\r\n\
        1;DA;de:14612:1;Dresden A;FV;13,73;51,04;DB Station und Service AG;1;\r\n\
        2;DFH,DHG;de:14628:2;Freital-Hainsberg;RV;13,63;50,98;DB Station und Service AG;2;\r\n\
        3;DMO;de:14627:3;Moritzburg;nur DPN;13,68;51,16;Sächsische Dampfeisenbahngesellschaft mbH;;\r\n\
        1;DA;de:14612:1;Dresden A;FV;13,73;51,04;DB Station und Service AG;1;\r\n\
        4;DX;de:14612:4;Nirgends;RV;0;0;;;\r\n\
        5;DY;de:14612:5;Kaputt;RV;abc;51,0;;;\r\n";
    const STATIONSDATEN: &str = "Bundesland;RB;BM;Bf. Nr.;Station;Bf DS 100Abk.;Kat. Vst;Straße;PLZ;Ort;Aufgabenträger\n\
        Sachsen;RB;BM;1;Dresden A;DA;2;S;1067;Dresden;VVO\n\
        Sachsen;RB;BM;2;Freital-Hainsberg;DHG;5;S;1705;Freital;VVO\n\
        Sachsen;RB;BM;3;Weg;DZZ;7;S;1705;Freital;VVO\n\
        Sachsen;RB;BM;4;Kaputt;DY;x;S;1705;Freital;VVO\n";

    #[test]
    fn rail_fixture() {
        let h = fixture(HALTESTELLEN, ".csv");
        let s = fixture(STATIONSDATEN, ".csv");
        let (points, reports) = read_rail_stations(h.path(), "db_h", s.path(), "db_s").unwrap();
        let (r, c) = (&reports[0], &reports[1]);
        assert_eq!((r.rows_read, r.rows_kept), (6, 2));
        assert_eq!(r.rejected.get(&Reject::OutOfScope), Some(&1));
        assert_eq!(r.rejected.get(&Reject::Duplicate), Some(&1));
        assert_eq!(r.rejected.get(&Reject::BadCoordinate), Some(&2));
        assert_eq!(r.unaccounted(), 0);
        assert_eq!((points[0].lon, points[0].lat), (13.73, 51.04));
        assert_eq!(points[0].source, "db_h");
        assert_eq!(points[0].station_category, Some(2));
        assert_eq!(
            points[1].station_category,
            Some(5),
            "joined by its second code"
        );
        assert_eq!((c.rows_read, c.rows_kept), (4, 2));
        assert_eq!(c.rejected.get(&Reject::BadCoordinate), Some(&1));
        assert_eq!(c.rejected.get(&Reject::UnparsableNumber), Some(&1));
        assert_eq!(c.unaccounted(), 0);
        assert!(
            c.notes[0].starts_with("2 of 2 kept stations carry"),
            "{:?}",
            c.notes
        );
        assert!(c.notes[1].contains("Weg (DZZ)"), "{:?}", c.notes);
        // A wrong delimiter is a file error naming the missing column.
        let bad = fixture(&HALTESTELLEN.replace(';', "\t"), ".csv");
        let err = read_rail_stations(bad.path(), "h", s.path(), "s")
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing column"), "{err}");
    }

    #[test]
    fn real_rail_stations() {
        let (points, reports) = read_rail_stations(
            &raw("transport/transport_sn_db_haltestellen_2020.csv"),
            "db_h",
            &raw("transport/transport_sn_db_stationsdaten_2020-03.csv"),
            "db_s",
        )
        .unwrap();
        let (r, c) = (&reports[0], &reports[1]);
        assert_eq!(r.rows_read, 534);
        assert_eq!(
            r.rejected.get(&Reject::OutOfScope),
            Some(&30),
            "SDG heritage lines"
        );
        assert_eq!(r.rows_kept, 504);
        assert_eq!(points.len(), 504);
        let categorised = points.iter().filter(|p| p.station_category.is_some());
        assert_eq!(categorised.count(), 396);
        assert_eq!(r.unaccounted(), 0);
        assert_eq!(c.rows_read, 399);
        assert_eq!(c.rows_kept, 396);
        assert_eq!(c.rejected.get(&Reject::BadCoordinate), Some(&3));
        assert!(
            c.notes[0].starts_with("396 of 504 kept stations carry"),
            "{:?}",
            c.notes
        );
        assert_eq!(c.unaccounted(), 0);
    }
}

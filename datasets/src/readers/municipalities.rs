//! The municipality base: the current register (who exists and is called what), the Destatis
//! directory (area and reference point) and the central places of the state plan.

use crate::error::Result;
use crate::mergers::successor;
use crate::report::{Reject, SourceReport};
use crate::table::Table;
use crate::text::normalise_ags;
use scoring::atlas::CentralPlace;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// A municipality of the current register.
#[derive(Clone, Debug, PartialEq)]
pub struct RegisterEntry {
    pub ags: String,
    /// Name as registered, with its status ("Dresden, Landeshauptstadt").
    pub official_name: String,
    pub district_ags5: String,
}

impl RegisterEntry {
    /// The name people use: the registered name without its status suffix.
    pub fn short_name(&self) -> &str {
        self.official_name
            .split(',')
            .next()
            .unwrap_or(&self.official_name)
            .trim()
    }
}

/// The register: municipalities (8-digit keys) and district names (5-digit keys; the
/// kreisfreie Städte appear only as municipalities, so their district name is theirs).
pub struct Register {
    pub municipalities: Vec<RegisterEntry>,
    pub districts: BTreeMap<String, String>,
}

/// Reads the Landesdirektion's `;`-separated register.
pub fn read_register(path: &Path, source: &str) -> Result<(Register, SourceReport)> {
    read_register_bytes(path, &crate::error::read_file(path)?, source)
}

/// [`read_register`] on the file's bytes, already in memory; `path` only names the file in errors
/// and the report.
pub fn read_register_bytes(
    path: &Path,
    bytes: &[u8],
    source: &str,
) -> Result<(Register, SourceReport)> {
    let t = Table::from_bytes(path, bytes, b';')?;
    let mut rep = SourceReport::for_table(source, &t);
    let (c_key, c_krs, c_name) = (t.col("SCHLNR")?, t.col("NR_KRS")?, t.col("GEMEINDE")?);
    let mut municipalities = Vec::new();
    let mut districts = BTreeMap::new();
    for row in &t.rows {
        rep.rows_read += 1;
        let key = t.text(row, c_key);
        let name = t.text(row, c_name).to_string();
        if key.len() == 5 && key.bytes().all(|b| b.is_ascii_digit()) {
            districts.insert(key.to_string(), name);
            rep.reject(Reject::OtherLevel);
            continue;
        }
        let Some(ags) = normalise_ags(key) else {
            rep.reject(Reject::UnknownAgs);
            continue;
        };
        let district = t.text(row, c_krs).to_string();
        municipalities.push(RegisterEntry {
            ags,
            official_name: name,
            district_ags5: district,
        });
        rep.rows_kept += 1;
    }
    municipalities.sort_by(|a, b| a.ags.cmp(&b.ags));
    let before = municipalities.len();
    municipalities.dedup_by(|a, b| a.ags == b.ags);
    for _ in municipalities.len()..before {
        rep.rows_kept -= 1;
        rep.reject(Reject::Duplicate);
    }
    // Kreisfreie Städte are their own district.
    for m in &municipalities {
        if m.ags.ends_with("000") && !districts.contains_key(&m.district_ags5) {
            districts.insert(m.district_ags5.clone(), m.official_name.clone());
        }
    }
    rep.note(format!(
        "{} municipalities, {} districts ({} of them kreisfreie Städte listed as municipalities)",
        municipalities.len(),
        districts.len(),
        municipalities
            .iter()
            .filter(|m| m.ags.ends_with("000"))
            .count()
    ));
    Ok((
        Register {
            municipalities,
            districts,
        },
        rep,
    ))
}

/// A municipality of the Destatis directory (2019 borders).
#[derive(Clone, Debug, PartialEq)]
pub struct DirectoryEntry {
    pub ags: String,
    pub area_km2: f64,
    pub population_2019: f64,
    pub lon: f64,
    pub lat: f64,
}

/// Reads the Destatis GV-ISys extract: municipality rows (`satzart` 60) only; the AGS is put
/// together from its parts; numbers have spaces as thousands separators and coordinates decimal
/// commas. Rows keep their 2019 AGS (mergers are the caller's to map).
pub fn read_directory(path: &Path, source: &str) -> Result<(Vec<DirectoryEntry>, SourceReport)> {
    read_directory_bytes(path, &crate::error::read_file(path)?, source)
}

/// [`read_directory`] on the file's bytes, already in memory; `path` only names the file in errors
/// and the report.
pub fn read_directory_bytes(
    path: &Path,
    bytes: &[u8],
    source: &str,
) -> Result<(Vec<DirectoryEntry>, SourceReport)> {
    let t = Table::from_bytes(path, bytes, b',')?;
    let mut rep = SourceReport::for_table(source, &t);
    let c = |n| t.col(n);
    let (c_sa, c_land, c_rb, c_kreis, c_gem) = (
        c("satzart")?,
        c("land")?,
        c("rb")?,
        c("kreis")?,
        c("gemeinde")?,
    );
    let (c_area, c_pop, c_lon, c_lat) = (
        c("flaeche")?,
        c("bevoelkerung")?,
        c("laengengrad")?,
        c("breitengrad")?,
    );
    let mut out = Vec::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for row in &t.rows {
        rep.rows_read += 1;
        if t.text(row, c_sa) != "60" {
            rep.reject(Reject::OtherLevel);
            continue;
        }
        let ags = format!(
            "{}{}{}{}",
            t.text(row, c_land),
            t.text(row, c_rb),
            t.text(row, c_kreis),
            t.text(row, c_gem)
        );
        if normalise_ags(&ags).as_deref() != Some(ags.as_str()) {
            rep.reject(Reject::UnknownAgs);
            continue;
        }
        // A municipality twice would have its area summed twice.
        crate::readers::housing::check_unique(&t, &mut first_line, &ags, row.line)?;
        let (Some(area), Some(pop), Some(lon), Some(lat)) = (
            t.number(row, c_area)?,
            t.number(row, c_pop)?,
            t.number(row, c_lon)?,
            t.number(row, c_lat)?,
        ) else {
            rep.reject(Reject::UnparsableNumber);
            continue;
        };
        if crate::facility::check_lonlat(lon, lat).is_err() {
            rep.reject(Reject::BadCoordinate);
            continue;
        }
        out.push(DirectoryEntry {
            ags,
            area_km2: area,
            population_2019: pop,
            lon,
            lat,
        });
        rep.rows_kept += 1;
    }
    Ok((out, rep))
}

/// Reads the central places (Ober- and Mittelzentren) of the LEP 2013. Several rows may share
/// an AGS (a merged town that was two centres): the higher level wins.
pub fn read_central_places(
    path: &Path,
    source: &str,
) -> Result<(BTreeMap<String, CentralPlace>, SourceReport)> {
    read_central_places_bytes(path, &crate::error::read_file(path)?, source)
}

/// [`read_central_places`] on the file's bytes, already in memory; `path` only names the file in
/// errors and the report.
pub fn read_central_places_bytes(
    path: &Path,
    bytes: &[u8],
    source: &str,
) -> Result<(BTreeMap<String, CentralPlace>, SourceReport)> {
    let t = Table::from_bytes(path, bytes, b',')?;
    let mut rep = SourceReport::for_table(source, &t);
    let (c_level, c_ags) = (t.col("level")?, t.col("ags")?);
    let mut out: BTreeMap<String, CentralPlace> = BTreeMap::new();
    for row in &t.rows {
        rep.rows_read += 1;
        let level = match t.text(row, c_level) {
            "Oberzentrum" => CentralPlace::Oberzentrum,
            "Mittelzentrum" => CentralPlace::Mittelzentrum,
            _ => {
                rep.reject(Reject::OutOfScope);
                continue;
            }
        };
        let Some(ags) = normalise_ags(t.text(row, c_ags)) else {
            rep.reject(Reject::UnknownAgs);
            continue;
        };
        let ags = successor(&ags).to_string();
        match out.entry(ags) {
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(level);
            }
            std::collections::btree_map::Entry::Occupied(mut o) => {
                // Two former centres now one municipality: keep the higher level
                // (Oberzentrum orders before Mittelzentrum).
                if level < *o.get() {
                    o.insert(level);
                }
                rep.reject(Reject::Duplicate);
                continue;
            }
        }
        rep.rows_kept += 1;
    }
    Ok((out, rep))
}

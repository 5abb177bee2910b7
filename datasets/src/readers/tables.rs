//! The published tables joined by key (Deutschlandatlas, Zensus housing, INKAR cinemas), read
//! in one go for the indicators, which compute from them and read no file.

use crate::error::Result;
use crate::manifest::Manifest;
use crate::published::{GEM1220, GEM1221, GEM1222, KRS1221, KRS1222, Published, VBG1219, VBG1222};
use crate::readers::deutschlandatlas::{Dictionary, KeyedTable, read_dictionary, read_keyed};
use crate::readers::facilities::{CinemaRow, read_cinemas_inkar};
use crate::readers::housing::{
    DistrictHousing, MunicipalRent, read_district_housing, read_municipal_rent,
};
use crate::report::SourceReport;
use std::path::Path;

/// Every keyed table the indicators join, with each file's report (in the order read).
pub struct PublishedTables {
    pub dictionary: Dictionary,
    /// The municipality tables: (source id, its published columns, the table).
    pub municipal: Vec<(&'static str, &'static [Published], KeyedTable)>,
    pub vbg1222: KeyedTable,
    pub vbg1219: KeyedTable,
    pub krs1222: KeyedTable,
    pub krs1221: KeyedTable,
    pub ha26: KeyedTable,
    pub rents: Vec<MunicipalRent>,
    pub district_housing: Vec<DistrictHousing>,
    pub cinemas: Vec<CinemaRow>,
    /// One report per table file but the dictionary's, in the order above.
    pub reports: Vec<SourceReport>,
}

/// Reads every table the indicators join, from the files the manifest names in `dir`.
pub fn read_tables(manifest: &Manifest, dir: &Path) -> Result<PublishedTables> {
    let path = |id: &str| -> Result<std::path::PathBuf> { Ok(dir.join(&manifest.get(id)?.file)) };
    let dictionary = read_dictionary(&path("da_indicators")?)?;
    let mut reports = Vec::new();
    let mut keyed = |src: &str, delimiter, key, key_len, columns: &[&str]| -> Result<KeyedTable> {
        let (t, rep) = read_keyed(&path(src)?, src, delimiter, key, key_len, columns)?;
        reports.push(rep);
        Ok(t)
    };
    let mut municipal = Vec::new();
    for (src, key, cols) in [
        ("da_gem1222", "GKZ1222", GEM1222),
        ("da_gem1221", "GKZ1221", GEM1221),
        ("da_gem1220", "GKZ1220", GEM1220),
    ] {
        municipal.push((
            src,
            cols,
            keyed(src, b',', key, 8, &Published::codes(cols))?,
        ));
    }
    let vbg1222 = keyed("da_vbg1222", b',', "VBG1222", 9, &Published::codes(VBG1222))?;
    let vbg1219 = keyed("da_vbg1219", b',', "VBG1219", 8, &Published::codes(VBG1219))?;
    let krs1222 = keyed("da_krs1222", b',', "KRS1222", 8, &Published::codes(KRS1222))?;
    let krs1221 = keyed("da_krs1221", b',', "KRS1221", 8, &Published::codes(KRS1221))?;
    let ha26 = keyed(
        "da_ha26_krs1224",
        b';',
        "Regionalschlüssel",
        8,
        &["preis_miet"],
    )?;
    let (rents, rep) = read_municipal_rent(&path("zensus_rent")?, "zensus_rent")?;
    reports.push(rep);
    let (district_housing, rep) =
        read_district_housing(&path("zensus_vacancy")?, "zensus_vacancy")?;
    reports.push(rep);
    let (cinemas, rep) = read_cinemas_inkar(&path("cinemas_inkar")?, "cinemas_inkar")?;
    reports.push(rep);
    Ok(PublishedTables {
        dictionary,
        municipal,
        vbg1222,
        vbg1219,
        krs1222,
        krs1221,
        ha26,
        rents,
        district_housing,
        cinemas,
        reports,
    })
}

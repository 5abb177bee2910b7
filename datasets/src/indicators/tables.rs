//! Indicators from published tables joined by key: the Deutschlandatlas (municipality,
//! association and district tables), Zensus housing, INKAR cinemas.

use super::Base;
use super::points::{PointSpec, point_columns};
use crate::columns::{Cell, column, meta};
use crate::facility::Category;
use crate::mergers::predecessors;
use crate::published::{KRS1221, KRS1222, Published, VBG1219, VBG1222};
use crate::readers::deutschlandatlas::{Dictionary, KeyedTable};
use crate::readers::housing;
use crate::readers::tables::PublishedTables;
use crate::report::SourceReport;
use scoring::atlas::{Indicator, Resolution};
use std::collections::{BTreeSet, HashMap};

/// How the dictionary describes the published columns (an extension of the type the reader
/// returns).
impl Dictionary {
    /// (method text, reference year) for a code.
    fn describe(&self, code: &str, level: &str) -> (String, String) {
        match self.0.get(code) {
            Some((def, basis)) => (
                format!("Deutschlandatlas `{code}`, {level}: {def}. Datenbasis: {basis}."),
                year_in(def),
            ),
            None => (
                format!("Deutschlandatlas `{code}`, {level}."),
                "see source".into(),
            ),
        }
    }

    /// One column per [`Published`] row: the cell of municipality `i` from `cell(i, code)`, the
    /// method and year from the dictionary, `level` saying how the table's unit maps to a
    /// municipality.
    #[allow(clippy::too_many_arguments)]
    fn columns(
        &self,
        table: &[Published],
        resolution: Resolution,
        sources: &[&str],
        level: &str,
        ags: &[String],
        cell: impl Fn(usize, &str) -> Cell,
    ) -> Vec<Indicator> {
        table
            .iter()
            .map(|c| {
                let cells = (0..ags.len()).map(|i| cell(i, c.column)).collect();
                let (method, year) = self.describe(c.column, level);
                column(
                    meta(
                        c.id, c.de, c.en, c.unit, resolution, sources, &year, &method,
                    ),
                    ags,
                    cells,
                )
            })
            .collect()
    }
}

/// The reference year(s) a Deutschlandatlas definition names ("im Jahr 2022", "in den Jahren
/// 2021-24").
fn year_in(def: &str) -> String {
    let lower = def.to_lowercase();
    for marker in ["in den jahren ", "im jahr "] {
        if let Some(pos) = lower.find(marker) {
            let rest = &def[pos + marker.len()..];
            let y: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '-')
                .collect();
            if !y.is_empty() {
                return y;
            }
        }
    }
    "see source".into()
}

/// Published tables joined by key. Returns the columns and the tables' reports, each with the
/// municipalities its rows reach.
pub fn table_indicators(b: &Base, tables: PublishedTables) -> (Vec<Indicator>, Vec<SourceReport>) {
    let ags = b.ags();
    let n = ags.len();
    let PublishedTables {
        dictionary: dict,
        municipal,
        vbg1222: vbg22,
        vbg1219: vbg19,
        krs1222: krs,
        krs1221: krs21,
        ha26,
        rents,
        district_housing,
        cinemas,
        mut reports,
    } = tables;
    let mut out = Vec::new();

    // Municipality tables: keys are the AGS of their date; predecessors are combined.
    for (src, cols, t) in &municipal {
        reached(&mut reports, src, b.reach(|a| t.rows.contains_key(a)));
        out.extend(dict.columns(
            cols,
            Resolution::Municipality,
            &[*src, "da_indicators"],
            "per municipality; merged municipalities: population-weighted mean of their predecessors",
            &ags,
            |i, code| b.across_mergers(i, |a| lookup(t, a, code)),
        ));
    }

    // Association tables: VBGEM1222 keyed by ARS[0:9]; VBGEM1219 by the municipality's AGS when
    // it forms no association, else matched through the association's name.
    let assoc_key = |a: &str| b.ars_of_old.get(a).map(|ars| ars[..9].to_string());
    reached(
        &mut reports,
        "da_vbg1222",
        b.reach(|a| assoc_key(a).is_some_and(|k| vbg22.rows.contains_key(&k))),
    );
    out.extend(dict.columns(
        VBG1222,
        Resolution::Association,
        &["da_vbg1222", "da_indicators", "zensus_population"],
        "per municipal association (every member carries its association's value)",
        &ags,
        |i, code| {
            b.across_mergers(i, |a| {
                let k = assoc_key(a).ok_or_else(|| format!("no ARS known for {a}"))?;
                lookup(&vbg22, &k, code)
            })
        },
    ));
    let mut by_name: HashMap<&str, Vec<&str>> = HashMap::new();
    for (k, name) in &vbg19.names {
        by_name.entry(name.as_str()).or_default().push(k.as_str());
    }
    let key19 = |a: &str| -> Result<String, String> {
        if vbg19.rows.contains_key(a) {
            return Ok(a.to_string());
        }
        let k9 = assoc_key(a).ok_or_else(|| format!("no ARS known for {a}"))?;
        let name = vbg22
            .names
            .get(&k9)
            .ok_or_else(|| format!("association {k9} not in the 2022 association table"))?;
        match by_name.get(name.as_str()).map(Vec::as_slice) {
            Some([k]) => Ok(k.to_string()),
            Some(_) => Err(format!(
                "association name {name:?} is ambiguous in the 2019 table"
            )),
            None => Err(format!(
                "association {name:?} (2022) not found by name in the 2019 table"
            )),
        }
    };
    let unmatched = (0..n)
        .filter(|&i| b.across_mergers(i, |a| key19(a).map(|_| 0.0)).is_err())
        .count();
    reached(&mut reports, "da_vbg1219", n - unmatched);
    if let Some(r) = reports.iter_mut().find(|r| r.source == "da_vbg1219") {
        r.note(format!(
            "joined to municipalities by AGS or association name; {unmatched} municipalities unmatched"
        ));
    }
    out.extend(dict.columns(
        VBG1219,
        Resolution::Association,
        &["da_vbg1219", "da_vbg1222", "da_indicators"],
        "per municipal association of 2019, matched to today's municipalities by key or association name",
        &ags,
        |i, code| b.across_mergers(i, |a| lookup(&vbg19, &key19(a)?, code)),
    ));

    // District tables: keyed by the district's 5 digits + "000".
    let district_key = |i: usize| format!("{}000", b.municipalities[i].district_ags5);
    let district_reach = |t: &KeyedTable| {
        (0..n)
            .filter(|&i| t.rows.contains_key(&district_key(i)))
            .count()
    };
    reached(&mut reports, "da_krs1222", district_reach(&krs));
    out.extend(dict.columns(
        KRS1222,
        Resolution::District,
        &["da_krs1222", "da_indicators"],
        "per district (every municipality carries its district's value)",
        &ags,
        |i, code| lookup(&krs, &district_key(i), code),
    ));
    reached(&mut reports, "da_krs1221", district_reach(&krs21));
    out.extend(dict.columns(
        KRS1221,
        Resolution::District,
        &["da_krs1221", "da_indicators"],
        "per district (every municipality carries its district's value)",
        &ags,
        |i, code| lookup(&krs21, &district_key(i), code),
    ));
    reached(&mut reports, "da_ha26_krs1224", district_reach(&ha26));
    let asking: Vec<Cell> = (0..n)
        .map(|i| lookup(&ha26, &district_key(i), "preis_miet"))
        .collect();
    out.push(column(
        meta("asking_rent_district_eur_m2", "Angebotsmiete (Kreis)", "asking rent for new leases (district)", "EUR/m2", Resolution::District, &["da_ha26_krs1224"], "2025", "Deutschlandatlas HA26 `preis_miet`: net cold asking rent of new and re-lettings in € per m², 2025 (BBSR, IDN ImmoDaten), per district."),
        &ags,
        asking.clone(),
    ));

    // Housing: existing-lease rent per municipality, district vacancy and rent.
    let rent_of: HashMap<&str, &housing::MunicipalRent> =
        rents.iter().map(|r| (r.ags.as_str(), r)).collect();
    reached(
        &mut reports,
        "zensus_rent",
        b.reach(|a| rent_of.contains_key(a)),
    );
    let weighted = |i: usize,
                    val: fn(&housing::MunicipalRent) -> Option<f64>,
                    weight: fn(&housing::MunicipalRent) -> Option<f64>|
     -> Cell {
        let m = &b.municipalities[i];
        let mut olds = predecessors(&m.ags);
        if olds.is_empty() {
            olds.push(m.ags.clone());
        }
        let (mut s, mut w) = (0.0, 0.0);
        for o in &olds {
            let r = rent_of
                .get(o.as_str())
                .ok_or_else(|| format!("{o} not in the Zensus housing table"))?;
            let v =
                val(r).ok_or_else(|| format!("no value for {o} in the Zensus housing table"))?;
            let wt = weight(r)
                .unwrap_or(0.0)
                .max(if olds.len() == 1 { 1.0 } else { 0.0 });
            s += v * wt;
            w += wt;
        }
        if w > 0.0 {
            Ok(s / w)
        } else {
            Err("no dwellings to weight the predecessors' values".into())
        }
    };
    let rent: Vec<Cell> = (0..n)
        .map(|i| weighted(i, |r| r.rent_eur_m2, |r| r.rented_dwellings))
        .collect();
    let flat: Vec<Cell> = (0..n)
        .map(|i| weighted(i, |r| r.flat_size_m2, |r| r.dwellings))
        .collect();
    let dh: HashMap<&str, &housing::DistrictHousing> = district_housing
        .iter()
        .map(|d| (d.ags5.as_str(), d))
        .collect();
    reached(
        &mut reports,
        "zensus_vacancy",
        b.municipalities
            .iter()
            .filter(|m| dh.contains_key(m.district_ags5.as_str()))
            .count(),
    );
    let vacancy: Vec<Cell> = (0..n)
        .map(|i| {
            dh.get(b.municipalities[i].district_ags5.as_str())
                .and_then(|d| d.vacancy_pct)
                .ok_or_else(|| "district not in the vacancy table".to_string())
        })
        .collect();
    let estimate: Vec<Cell> = (0..n)
        .map(|i| {
            let existing = rent[i].clone()?;
            let ask = asking[i].clone()?;
            let de = dh
                .get(b.municipalities[i].district_ags5.as_str())
                .and_then(|d| d.existing_rent_eur_m2)
                .filter(|v| *v > 0.0)
                .ok_or_else(|| "no district existing rent".to_string())?;
            Ok(existing * ask / de)
        })
        .collect();
    out.push(column(
        meta("rent_existing_eur_m2", "Nettokaltmiete bestehender Mietverträge", "net cold rent of existing leases", "EUR/m2", Resolution::Municipality, &["zensus_rent"], "2022-05-15", "Zensus 2022 `QMMIETE`: average net cold rent of existing rented dwellings; merged municipalities: weighted by rented dwellings. What a newcomer pays on a new lease is higher: see rent_new_lease_estimate_eur_m2."),
        &ags,
        rent,
    ));
    out.push(column(
        meta("flat_size_m2", "Durchschnittliche Wohnungsgröße", "average dwelling size", "m2", Resolution::Municipality, &["zensus_rent"], "2022-05-15", "Zensus 2022 `FLAECHE`: average living area per dwelling; merged municipalities: weighted by dwellings."),
        &ags,
        flat,
    ));
    out.push(column(
        meta(
            "vacancy_pct",
            "Leerstandsquote (Kreis)",
            "vacancy rate (district)",
            "%",
            Resolution::District,
            &["zensus_vacancy"],
            "2022-05-15",
            "Zensus 2022 vacancy rate of dwellings per district: how hard a flat is to find.",
        ),
        &ags,
        vacancy,
    ));
    let mut m = meta(
        "rent_new_lease_estimate_eur_m2",
        "Geschätzte Angebotsmiete",
        "estimated rent for a new lease",
        "EUR/m2",
        Resolution::Municipality,
        &["zensus_rent", "da_ha26_krs1224", "zensus_vacancy"],
        "2022 (existing) / 2025 (asking)",
        "ESTIMATE: the municipality's existing-lease rent (Zensus 2022) × the district's asking rent 2025 (Deutschlandatlas HA26) ÷ the district's existing-lease rent (Zensus 2022). Inputs: rent_existing_eur_m2, asking_rent_district_eur_m2.",
    );
    m.estimate = true;
    out.push(column(m, &ags, estimate));

    // Cinemas: INKAR lists cinemas for the central-place municipalities; a cinema is placed at
    // its municipality's reference point.
    let listed: BTreeSet<&str> = cinemas.iter().map(|c| c.ags.as_str()).collect();
    reached(
        &mut reports,
        "cinemas_inkar",
        b.reach(|a| listed.contains(a)),
    );
    let pts: Vec<(f64, f64)> = cinemas
        .iter()
        .filter(|c| c.cinemas > 0.0)
        .filter_map(|c| {
            b.municipalities
                .iter()
                .find(|m| m.ags == crate::mergers::successor(&c.ags))
        })
        .map(|m| (m.lon, m.lat))
        .collect();
    let spec = PointSpec {
        id: "cinema".into(),
        labels: Category::Cinema.labels(),
        children: false,
        sources: vec!["cinemas_inkar".into(), "destatis_gv".into()],
        reference_date: "2021".into(),
        osm: false,
        note: "Cinemas come per municipality (INKAR, the 154 central places), placed at the municipality's reference point; municipalities INKAR does not list are taken to have none.".into(),
    };
    let all_ok: Vec<Result<(), String>> = vec![Ok(()); n];
    out.push(point_columns(b, &spec, pts, None, &all_ok).remove(0));
    (out, reports)
}

/// Records on the report of `source` how many municipalities its rows reach.
fn reached(reports: &mut [SourceReport], source: &str, count: usize) {
    if let Some(r) = reports.iter_mut().find(|r| r.source == source) {
        r.municipalities_reached = Some(count);
    }
}

fn lookup(t: &KeyedTable, key: &str, column: &str) -> Cell {
    if !t.rows.contains_key(key) {
        return Err(format!("{key} not in the table"));
    }
    t.get(key, column)
        .ok_or_else(|| format!("the source has no value for {key} (-9999)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_from_definitions() {
        assert_eq!(
            year_in("Pkw-Fahrzeit zur nächsten Grundschule in den Jahren 2021-24 in Minuten"),
            "2021-24"
        );
        assert_eq!(
            year_in("Sportvereine je 100.000 Einwohner/-innen im jahr 2023"),
            "2023"
        );
        assert_eq!(year_in("ohne Jahr"), "see source");
    }
}

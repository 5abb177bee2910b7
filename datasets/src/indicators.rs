//! The indicators: how each atlas column is computed from the raw inputs.
//!
//! Four families, each one function:
//! - [`base_indicators`]: population, area, density, share of children;
//! - [`facility_indicators`]: lotse's own reachability from facility points, weighted by where
//!   people (or children) live on the 1 km grid;
//! - [`central_place_indicators`]: distance to the nearest Ober- and Mittelzentrum;
//! - [`table_indicators`]: published tables joined by key (Deutschlandatlas, Zensus rent,
//!   district vacancy, cinemas).
//!
//! A municipality without a figure gets `Err(reason)`, never a guess: see [`crate::columns`].
//! Adding an indicator means adding one block to one of these functions.

use crate::columns::{Cell, column, meta};
use crate::error::Result;
use crate::facility::Category;
use crate::ingest::PlacedPoint;
use crate::manifest::Manifest;
use crate::mergers::predecessors;
use crate::readers::deutschlandatlas::{KeyedTable, read_keyed};
use crate::readers::population::GridCell;
use crate::readers::{facilities, housing};
use crate::report::SourceReport;
use crate::spatial::{MunicipalityLocator, PointIndex};
use geo::BoundingRect;
use scoring::atlas::{CentralPlace, Indicator, Municipality, Resolution};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// Radii (km) for the "facilities within" counts.
pub const RADII_KM: [f64; 3] = [2.0, 5.0, 10.0];

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
    fn from_old(&self, i: usize, value_of: impl Fn(&str) -> Cell) -> Cell {
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
    ]
}

/// Which municipalities a set of sources covers: all if one is statewide, else the listed AGS
/// and the municipalities whose boundary box lies inside a listed rectangle.
fn coverage(b: &Base, sources: &BTreeSet<String>) -> Vec<Result<(), String>> {
    let entries: Vec<_> = sources
        .iter()
        .filter_map(|s| b.manifest.get(s).ok())
        .collect();
    let statewide = sources.iter().any(|s| b.manifest.get(s).is_err())
        || entries
            .iter()
            .any(|e| e.coverage_ags.is_empty() && e.coverage_bbox.is_none());
    let described: Vec<String> = entries.iter().map(|e| e.coverage.clone()).collect();
    b.municipalities
        .iter()
        .enumerate()
        .map(|(i, m)| {
            if statewide {
                return Ok(());
            }
            let in_list = entries.iter().any(|e| e.coverage_ags.contains(&m.ags));
            let in_box = entries.iter().any(|e| {
                match (e.coverage_bbox, b.locator.polygon(i).bounding_rect()) {
                    (Some([w, s, east, n]), Some(r)) => {
                        r.min().x >= w && r.max().x <= east && r.min().y >= s && r.max().y <= n
                    }
                    _ => false,
                }
            });
            if in_list || in_box {
                Ok(())
            } else {
                Err(format!(
                    "no location data for this municipality: the data covers only {}",
                    described.join("; ")
                ))
            }
        })
        .collect()
}

/// Reachability from facility points: for every category with points, the population-weighted
/// distance to the nearest facility, counts within 2, 5 and 10 km, and facilities per 1,000
/// residents (per 1,000 children under 15 for children's facilities).
pub fn facility_indicators(b: &Base, placed: &[PlacedPoint]) -> Vec<Indicator> {
    let mut out = Vec::new();
    // Cinemas come from INKAR's municipality table (see table_indicators), one column per id.
    for cat in crate::ingest::categories_present(placed)
        .into_iter()
        .filter(|c| *c != Category::Cinema)
    {
        let pts: Vec<&PlacedPoint> = placed.iter().filter(|p| p.point.category == cat).collect();
        let sources: BTreeSet<String> = pts.iter().map(|p| p.point.source.clone()).collect();
        let osm = sources
            .iter()
            .any(|s| s == "osm_extract" || b.manifest.get(s).map(|e| e.osm).unwrap_or(false));
        let dates: BTreeSet<String> = sources
            .iter()
            .map(|s| {
                b.manifest
                    .get(s)
                    .map(|e| e.reference_date.clone())
                    .unwrap_or_else(|_| "as of the OSM extract".into())
            })
            .collect();
        let mut counts = vec![0usize; b.municipalities.len()];
        for p in &pts {
            counts[p.municipality] += 1;
        }
        let spec = PointSpec {
            id: cat.id().to_string(),
            labels: cat.labels(),
            children: cat.weights_by_children(),
            sources: sources.into_iter().collect(),
            reference_date: dates.into_iter().collect::<Vec<_>>().join(", "),
            osm,
            note: String::new(),
        };
        let cov = coverage(b, &spec.sources.iter().cloned().collect());
        let lonlat = pts.iter().map(|p| (p.point.lon, p.point.lat)).collect();
        out.extend(point_columns(b, &spec, lonlat, Some(&counts), &cov));
    }
    out
}

/// How one family of point indicators is labelled and sourced.
struct PointSpec {
    id: String,
    labels: (&'static str, &'static str),
    children: bool,
    sources: Vec<String>,
    reference_date: String,
    osm: bool,
    /// Extra sentence for the method (e.g. how the points were derived).
    note: String,
}

/// The distance, within-radius and per-1,000 columns of one point set.
fn point_columns(
    b: &Base,
    spec: &PointSpec,
    lonlat: Vec<(f64, f64)>,
    counts: Option<&[usize]>,
    cov: &[Result<(), String>],
) -> Vec<Indicator> {
    let ags = b.ags();
    let n = ags.len();
    let index = PointIndex::new(lonlat, b.lat0());
    let mut dist: Vec<Cell> = Vec::with_capacity(n);
    let mut within: [Vec<Cell>; 3] = [
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    ];
    for i in 0..n {
        if let Err(reason) = &cov[i] {
            dist.push(Err(reason.clone()));
            for w in &mut within {
                w.push(Err(reason.clone()));
            }
            continue;
        }
        let (mut wsum, mut dsum, mut csum) = (0.0, 0.0, [0.0; 3]);
        for (lon, lat, w) in b.where_people_live(i, spec.children) {
            let Some(d) = index.nearest_km(lon, lat) else {
                continue;
            };
            wsum += w;
            dsum += w * d;
            for (k, r) in RADII_KM.iter().enumerate() {
                csum[k] += w * index.count_within_km(lon, lat, *r) as f64;
            }
        }
        if wsum > 0.0 {
            dist.push(Ok(dsum / wsum));
            for k in 0..3 {
                within[k].push(Ok(csum[k] / wsum));
            }
        } else {
            dist.push(Err("no facility of this kind in the data".into()));
            for w in &mut within {
                w.push(Err("no facility of this kind in the data".into()));
            }
        }
    }
    let who = if spec.children {
        "children under 15 (residents where the grid counts none)"
    } else {
        "residents"
    };
    let srcs: Vec<&str> = spec
        .sources
        .iter()
        .map(String::as_str)
        .chain(["population_grid", "vg250"])
        .collect();
    let (de, en) = spec.labels;
    let mut m_dist = meta(
        &format!("{}_distance_km", spec.id),
        &format!("Entfernung zur nächsten Einrichtung: {de}"),
        &format!("distance to the nearest {en}"),
        "km",
        Resolution::Points,
        &srcs,
        &spec.reference_date,
        &format!(
            "Mean over the populated 1 km grid cells of the municipality, weighted by {who}, of the straight-line (geodesic) distance from the cell centre to the nearest location; the road distance is longer (about × 1.3). {}",
            spec.note
        ),
    );
    m_dist.derived_from_osm = spec.osm;
    let mut cols = vec![column(m_dist, &ags, dist)];
    for (k, r) in RADII_KM.iter().enumerate() {
        let mut m = meta(
            &format!("{}_within_{}km", spec.id, *r as u32),
            &format!("{de} im Umkreis von {r} km"),
            &format!("{en} locations within {r} km"),
            "count",
            Resolution::Points,
            &srcs,
            &spec.reference_date,
            &format!(
                "Number of locations within {r} km (great-circle) of each populated grid cell, averaged with weights by {who}. {}",
                spec.note
            ),
        );
        m.derived_from_osm = spec.osm;
        cols.push(column(m, &ags, std::mem::take(&mut within[k])));
    }
    if let Some(counts) = counts {
        let per: Vec<Cell> = (0..n)
            .map(|i| {
                cov[i].clone()?;
                let denom = if spec.children {
                    b.cells[i].iter().map(|c| c.under15).sum::<f64>()
                } else {
                    b.population[i].unwrap_or(0.0)
                };
                if denom > 0.0 {
                    Ok(1000.0 * counts[i] as f64 / denom)
                } else {
                    Err(if spec.children {
                        "no children under 15 counted in the grid".into()
                    } else {
                        "no population figure".into()
                    })
                }
            })
            .collect();
        let (unit, whom) = if spec.children {
            ("per 1000 children under 15", "children under 15 (grid)")
        } else {
            ("per 1000 residents", "residents (Zensus 2022)")
        };
        let mut m = meta(
            &format!("{}_per_1000", spec.id),
            &format!(
                "{de} je 1.000 {}",
                if spec.children {
                    "Kinder unter 15"
                } else {
                    "Einwohner"
                }
            ),
            &format!("{en} locations {unit}"),
            unit,
            Resolution::Points,
            &srcs,
            &spec.reference_date,
            &format!(
                "Locations inside the municipality (point in polygon) per 1,000 {whom}. {}",
                spec.note
            ),
        );
        m.derived_from_osm = spec.osm;
        cols.push(column(m, &ags, per));
    }
    cols
}

/// Distances from where people live to the nearest Oberzentrum and to the nearest Mittel- or
/// Oberzentrum (the town centre taken as its reference point).
pub fn central_place_indicators(b: &Base) -> Vec<Indicator> {
    let all_ok: Vec<Result<(), String>> = vec![Ok(()); b.municipalities.len()];
    let mut out = Vec::new();
    for (id, de, en, pred) in [
        (
            "oberzentrum",
            "Oberzentrum",
            "regional centre (Oberzentrum)",
            (|c: CentralPlace| c == CentralPlace::Oberzentrum) as fn(CentralPlace) -> bool,
        ),
        (
            "mittelzentrum",
            "Mittel- oder Oberzentrum",
            "middle-order or regional centre (Mittel-/Oberzentrum)",
            |_| true,
        ),
    ] {
        let pts: Vec<(f64, f64)> = b
            .municipalities
            .iter()
            .filter(|m| m.central_place.is_some_and(pred))
            .map(|m| (m.lon, m.lat))
            .collect();
        let spec = PointSpec {
            id: id.to_string(),
            labels: (de, en),
            children: false,
            sources: vec!["central_places".into(), "destatis_gv".into()],
            reference_date: "LEP 2013".into(),
            osm: false,
            note: "A central place is located at its municipality's reference point (Destatis)."
                .into(),
        };
        // Only the distance column: counts of central places within a radius say little.
        out.push(point_columns(b, &spec, pts, None, &all_ok).remove(0));
    }
    out
}

/// One published column: (source id, key column, column code, atlas id, de, en, unit, level).
struct Published {
    column: &'static str,
    id: &'static str,
    de: &'static str,
    en: &'static str,
    unit: &'static str,
}

const GEM1222: &[Published] = &[
    Published {
        column: "p_grunds",
        id: "car_min_primary_school",
        de: "Pkw-Fahrzeit zur nächsten Grundschule",
        en: "car time to the nearest primary school",
        unit: "min",
    },
    Published {
        column: "p_sek_1",
        id: "car_min_secondary_1",
        de: "Pkw-Fahrzeit zur nächsten Schule der Sekundarstufe I",
        en: "car time to the nearest lower-secondary school",
        unit: "min",
    },
    Published {
        column: "p_sek_2",
        id: "car_min_secondary_2",
        de: "Pkw-Fahrzeit zur nächsten Schule mit Sekundarstufe II",
        en: "car time to the nearest upper-secondary school",
        unit: "min",
    },
    Published {
        column: "p_markt",
        id: "car_min_supermarket",
        de: "Pkw-Fahrzeit zum nächsten Supermarkt",
        en: "car time to the nearest supermarket",
        unit: "min",
    },
    Published {
        column: "p_notfall",
        id: "car_min_emergency",
        de: "Pkw-Fahrzeit zur nächsten Notaufnahme",
        en: "car time to the nearest emergency room",
        unit: "min",
    },
    Published {
        column: "p_hbad",
        id: "car_min_indoor_pool",
        de: "Pkw-Fahrzeit zum nächsten Hallenbad",
        en: "car time to the nearest indoor pool",
        unit: "min",
    },
    Published {
        column: "p_freibad",
        id: "car_min_outdoor_pool",
        de: "Pkw-Fahrzeit zum nächsten Frei- oder Naturbad",
        en: "car time to the nearest outdoor pool",
        unit: "min",
    },
];
const GEM1221: &[Published] = &[Published {
    column: "p_harzt",
    id: "car_min_gp",
    de: "Pkw-Fahrzeit zur nächsten Hausarztpraxis",
    en: "car time to the nearest GP",
    unit: "min",
}];
const GEM1220: &[Published] = &[Published {
    column: "p_apo",
    id: "car_min_pharmacy",
    de: "Pkw-Fahrzeit zur nächsten Apotheke",
    en: "car time to the nearest pharmacy",
    unit: "min",
}];
const VBG1222: &[Published] = &[Published {
    column: "pendel",
    id: "commute_distance_km",
    de: "Durchschnittliche Pendeldistanz",
    en: "average commuting distance of employees living here",
    unit: "km",
}];
const VBG1219: &[Published] = &[
    Published {
        column: "oenv",
        id: "transit_access_pct",
        de: "Bevölkerung nahe einer Haltestelle mit ≥ 20 Abfahrten am Tag",
        en: "residents near a stop with at least 20 departures a day",
        unit: "%",
    },
    Published {
        column: "p_ozmz_miv",
        id: "car_min_central_place",
        de: "Pkw-Fahrzeit zum nächsten Ober- oder Mittelzentrum",
        en: "car time to the nearest middle-order or regional centre",
        unit: "min",
    },
    Published {
        column: "p_ozmz_oev",
        id: "transit_min_central_place",
        de: "ÖV-Reisezeit zum nächsten Ober- oder Mittelzentrum",
        en: "public-transport time to the nearest middle-order or regional centre",
        unit: "min",
    },
];
const KRS1222: &[Published] = &[
    Published {
        column: "kbetr_u3",
        id: "childcare_rate_u3_pct",
        de: "Betreuungsquote unter 3 Jahren",
        en: "childcare rate, children under 3",
        unit: "%",
    },
    Published {
        column: "kbetr_ue3",
        id: "childcare_rate_3to5_pct",
        de: "Betreuungsquote 3 bis unter 6 Jahre",
        en: "childcare rate, children aged 3–5",
        unit: "%",
    },
    Published {
        column: "kbetr_ue6",
        id: "childcare_rate_6to10_pct",
        de: "Betreuungsquote 6 bis unter 11 Jahre",
        en: "childcare rate, children aged 6–10",
        unit: "%",
    },
    Published {
        column: "v_karzt",
        id: "paediatricians_per_100k_u15",
        de: "Kinderärzte je 100.000 Kinder unter 15",
        en: "paediatricians per 100,000 children under 15",
        unit: "per 100000 children",
    },
    Published {
        column: "ew_sportv",
        id: "sports_clubs_per_100k",
        de: "Sportvereine je 100.000 Einwohner",
        en: "sports clubs per 100,000 residents",
        unit: "per 100000 residents",
    },
    Published {
        column: "mitgl_sportv",
        id: "sports_club_members_per_100",
        de: "Mitglieder in Sportvereinen je 100 Einwohner",
        en: "sports club members per 100 residents",
        unit: "per 100 residents",
    },
    Published {
        column: "schule_oabschl",
        id: "school_leavers_no_qualification_pct",
        de: "Schulabgänger ohne Hauptschulabschluss",
        en: "school leavers without a qualification",
        unit: "%",
    },
];

const KRS1221: &[Published] = &[
    Published {
        column: "hh_veink",
        id: "household_income_per_capita_keur",
        de: "Verfügbares Einkommen je Einwohner",
        en: "disposable household income per resident",
        unit: "1000 EUR/year",
    },
    Published {
        column: "kbtr_pers",
        id: "kita_places_per_staff",
        de: "Kita-Plätze je pädagogisch tätiger Person",
        en: "Kita places per pedagogical staff member",
        unit: "places/person",
    },
];

/// Definition, year and data basis of each Deutschlandatlas code, from its dictionary.
struct Dictionary(HashMap<String, (String, String)>);

impl Dictionary {
    fn read(path: &Path) -> Result<Self> {
        let t = crate::table::Table::read(path, b',')?;
        let (k, d, s) = (
            t.col("kuerzel")?,
            t.col("definition")?,
            t.col("datenbasis")?,
        );
        Ok(Dictionary(
            t.rows
                .iter()
                .map(|r| {
                    (
                        t.text(r, k).to_string(),
                        (t.text(r, d).to_string(), t.text(r, s).to_string()),
                    )
                })
                .collect(),
        ))
    }

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
}

impl Dictionary {
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

/// Published tables joined by key.
pub fn table_indicators(b: &Base, dir: &Path) -> Result<(Vec<Indicator>, Vec<SourceReport>)> {
    let ags = b.ags();
    let n = ags.len();
    let path = |id: &str| -> Result<std::path::PathBuf> { Ok(dir.join(&b.manifest.get(id)?.file)) };
    let dict = Dictionary::read(&path("da_indicators")?)?;
    let mut out = Vec::new();
    let mut reports = Vec::new();

    // Municipality tables: keys are the AGS of their date; predecessors are combined.
    for (src, key, cols) in [
        ("da_gem1222", "GKZ1222", GEM1222),
        ("da_gem1221", "GKZ1221", GEM1221),
        ("da_gem1220", "GKZ1220", GEM1220),
    ] {
        let codes: Vec<&str> = cols.iter().map(|c| c.column).collect();
        let (t, mut rep) = read_keyed(&path(src)?, src, b',', key, 8, &codes)?;
        rep.municipalities_reached = Some(b.reach(|a| t.rows.contains_key(a)));
        reports.push(rep);
        out.extend(dict.columns(
            cols,
            Resolution::Municipality,
            &[src, "da_indicators"],
            "per municipality; merged municipalities: population-weighted mean of their predecessors",
            &ags,
            |i, code| b.from_old(i, |a| lookup(&t, a, code)),
        ));
    }

    // Association tables: VBGEM1222 keyed by ARS[0:9]; VBGEM1219 by the municipality's AGS when
    // it forms no association, else matched through the association's name.
    let (vbg22, mut rep) = read_keyed(
        &path("da_vbg1222")?,
        "da_vbg1222",
        b',',
        "VBG1222",
        9,
        &["pendel"],
    )?;
    let assoc_key = |a: &str| b.ars_of_old.get(a).map(|ars| ars[..9].to_string());
    rep.municipalities_reached =
        Some(b.reach(|a| assoc_key(a).is_some_and(|k| vbg22.rows.contains_key(&k))));
    reports.push(rep);
    out.extend(dict.columns(
        VBG1222,
        Resolution::Association,
        &["da_vbg1222", "da_indicators", "zensus_population"],
        "per municipal association (every member carries its association's value)",
        &ags,
        |i, code| {
            b.from_old(i, |a| {
                let k = assoc_key(a).ok_or_else(|| format!("no ARS known for {a}"))?;
                lookup(&vbg22, &k, code)
            })
        },
    ));
    let codes: Vec<&str> = VBG1219.iter().map(|c| c.column).collect();
    let (vbg19, mut rep19) = read_keyed(
        &path("da_vbg1219")?,
        "da_vbg1219",
        b',',
        "VBG1219",
        8,
        &codes,
    )?;
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
        .filter(|&i| b.from_old(i, |a| key19(a).map(|_| 0.0)).is_err())
        .count();
    rep19.note(format!(
        "joined to municipalities by AGS or association name; {unmatched} municipalities unmatched"
    ));
    rep19.municipalities_reached = Some(n - unmatched);
    reports.push(rep19);
    out.extend(dict.columns(
        VBG1219,
        Resolution::Association,
        &["da_vbg1219", "da_vbg1222", "da_indicators"],
        "per municipal association of 2019, matched to today's municipalities by key or association name",
        &ags,
        |i, code| b.from_old(i, |a| lookup(&vbg19, &key19(a)?, code)),
    ));

    // District tables: keyed by the district's 5 digits + "000".
    let codes: Vec<&str> = KRS1222.iter().map(|c| c.column).collect();
    let (krs, mut rep) = read_keyed(
        &path("da_krs1222")?,
        "da_krs1222",
        b',',
        "KRS1222",
        8,
        &codes,
    )?;
    let district_key = |i: usize| format!("{}000", b.municipalities[i].district_ags5);
    let district_reach = |t: &KeyedTable| {
        (0..n)
            .filter(|&i| t.rows.contains_key(&district_key(i)))
            .count()
    };
    rep.municipalities_reached = Some(district_reach(&krs));
    reports.push(rep);
    out.extend(dict.columns(
        KRS1222,
        Resolution::District,
        &["da_krs1222", "da_indicators"],
        "per district (every municipality carries its district's value)",
        &ags,
        |i, code| lookup(&krs, &district_key(i), code),
    ));
    let codes: Vec<&str> = KRS1221.iter().map(|c| c.column).collect();
    let (krs21, mut rep) = read_keyed(
        &path("da_krs1221")?,
        "da_krs1221",
        b',',
        "KRS1221",
        8,
        &codes,
    )?;
    rep.municipalities_reached = Some(district_reach(&krs21));
    reports.push(rep);
    out.extend(dict.columns(
        KRS1221,
        Resolution::District,
        &["da_krs1221", "da_indicators"],
        "per district (every municipality carries its district's value)",
        &ags,
        |i, code| lookup(&krs21, &district_key(i), code),
    ));
    let (ha26, mut rep) = read_keyed(
        &path("da_ha26_krs1224")?,
        "da_ha26_krs1224",
        b';',
        "Regionalschlüssel",
        8,
        &["preis_miet"],
    )?;
    rep.municipalities_reached = Some(district_reach(&ha26));
    reports.push(rep);
    let asking: Vec<Cell> = (0..n)
        .map(|i| lookup(&ha26, &district_key(i), "preis_miet"))
        .collect();
    out.push(column(
        meta("asking_rent_district_eur_m2", "Angebotsmiete (Kreis)", "asking rent for new leases (district)", "EUR/m2", Resolution::District, &["da_ha26_krs1224"], "2025", "Deutschlandatlas HA26 `preis_miet`: net cold asking rent of new and re-lettings in € per m², 2025 (BBSR, IDN ImmoDaten), per district."),
        &ags,
        asking.clone(),
    ));

    // Housing: existing-lease rent per municipality, district vacancy and rent.
    let (rents, mut rep) = housing::read_municipal_rent(&path("zensus_rent")?, "zensus_rent")?;
    let rent_of: HashMap<&str, &housing::MunicipalRent> =
        rents.iter().map(|r| (r.ags.as_str(), r)).collect();
    rep.municipalities_reached = Some(b.reach(|a| rent_of.contains_key(a)));
    reports.push(rep);
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
    let (district_housing, mut rep) =
        housing::read_district_housing(&path("zensus_vacancy")?, "zensus_vacancy")?;
    let dh: HashMap<&str, &housing::DistrictHousing> = district_housing
        .iter()
        .map(|d| (d.ags5.as_str(), d))
        .collect();
    rep.municipalities_reached = Some(
        b.municipalities
            .iter()
            .filter(|m| dh.contains_key(m.district_ags5.as_str()))
            .count(),
    );
    reports.push(rep);
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
    let (cinemas, mut rep) =
        facilities::read_cinemas_inkar(&path("cinemas_inkar")?, "cinemas_inkar")?;
    let listed: BTreeSet<&str> = cinemas.iter().map(|c| c.ags.as_str()).collect();
    rep.municipalities_reached = Some(b.reach(|a| listed.contains(a)));
    reports.push(rep);
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
    Ok((out, reports))
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

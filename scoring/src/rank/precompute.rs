//! Per-atlas precomputation: everything that does not depend on the household, done once.
//!
//! [`Prepared::new`] reorders the atlas into a dense column per indicator (AGS order, `NaN` for a
//! gap), computes state medians (population-weighted: the median resident's value), and evaluates the curve of every indicator-based criterion for
//! every municipality in each household situation that changes it (car or not, children or
//! not, the youngest child's age band). The result is read-only: every later stage (plan,
//! utilities, limits, sums, explanations) reads it through a shared reference and never
//! changes it; the per-workplace caches fill on first use and hold values that depend only on
//! the atlas and the workplace.

use super::output::{RankerError, RequestError};
use super::score::ln_floor;
use crate::atlas::{Atlas, HelpContact, Municipality, Station};
use crate::criteria::{
    self, AgeBand, CRITERIA as CRITERIA_ALL_SPECS, Combine, Criterion, EARTH_RADIUS_KM, Phrase,
    Pick,
};
use crate::travel::transit::RailLeg;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Indicator ids the computed criteria and the context read.
pub mod ids {
    pub const POPULATION: &str = "population";
    pub const RENT_NEW: &str = "rent_new_lease_estimate_eur_m2";
    pub const RENT_EXISTING: &str = "rent_existing_eur_m2";
    pub const ASKING_RENT_DISTRICT: &str = "asking_rent_district_eur_m2";
    pub const VACANCY: &str = "vacancy_pct";
    pub const COMMUTE_DISTANCE: &str = "commute_distance_km";
    pub const ACROSS_TOWN: &str = "across_town_distance_km";
    pub const RAIL_ACCESS: &str = "rail_station_distance_km";
    pub const HORT_RATE: &str = "childcare_rate_6to10_pct";
    pub const SCHOOL_LEAVERS: &str = "school_leavers_no_qualification_pct";
}

/// Atlas positions of the indicators the computed criteria and the context read, looked up
/// once per atlas rather than per ranking.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Known {
    pub population: Option<usize>,
    pub rent_new: Option<usize>,
    pub rent_existing: Option<usize>,
    pub asking: Option<usize>,
    pub vacancy: Option<usize>,
    pub commute_distance: Option<usize>,
    pub across_town: Option<usize>,
    pub rail_access: Option<usize>,
    pub hort: Option<usize>,
    pub school_leavers: Option<usize>,
}

/// Precomputed utilities of one indicator-based criterion in one household situation.
#[derive(Clone, Debug)]
pub(crate) struct Column {
    pub criterion: Criterion,
    pub util: Vec<f64>,
    pub ln: Vec<f64>,
    pub available: bool,
    /// A value for every row (no gap): its weight counts everywhere.
    pub complete: bool,
    /// Parts used in this situation: (part index, with car).
    pub parts: Vec<(usize, bool)>,
}

/// The atlas prepared for ranking many profiles fast: the read-only context every stage of a
/// ranking reads.
#[derive(Clone, Debug)]
pub(crate) struct Prepared<'a> {
    pub(crate) atlas: &'a Atlas,
    pub(crate) n: usize,
    /// Atlas row of each internal row (internal order = ascending AGS).
    pub(crate) rows: Vec<usize>,
    pub(crate) ags: Vec<&'a str>,
    pub(crate) names: Vec<&'a str>,
    pub(crate) districts: Vec<&'a str>,
    lower_names: Vec<(String, String)>,
    /// Lower-case name and official name → rows, for exact lookups without a scan.
    name_index: HashMap<String, Vec<usize>>,
    /// Per atlas indicator: values in internal order, `NaN` for a gap.
    pub(crate) raw: Vec<Vec<f64>>,
    /// Per atlas indicator: the median resident's value ([`weighted_median`]), what every
    /// sentence and detail quotes as "median resident in Saxony".
    pub(crate) medians: Vec<f64>,
    /// Residents per row (the population column; empty without one): the weights of the
    /// medians.
    residents: Vec<f64>,
    by_id: HashMap<&'a str, usize>,
    pub(crate) centres: Vec<[f64; 3]>,
    /// Per row: the station nearest the centre and its position as a unit vector (atlas
    /// `Municipality::station`), for the train option without a car.
    pub(crate) stations: Vec<Option<(&'a Station, [f64; 3])>>,
    pub(crate) columns: Vec<Column>,
    /// Atlas indicators present for each criterion's part, without and with a car.
    part_ind: Vec<Vec<[Vec<usize>; 2]>>,
    /// Median resident's value of each part over the rows that have one, without and with a
    /// car ([`weighted_median`]).
    pub(crate) part_median: Vec<Vec<[f64; 2]>>,
    /// Column per criterion and situation (see [`situation`]); `None` for computed criteria.
    /// Sized by the criterion list, so a new criterion cannot be left out of it.
    column_of: [[Option<usize>; SITUATIONS]; Criterion::COUNT],
    /// The region's name in English where it differs ("Saxony").
    pub(crate) region_en: &'a str,
    pub(crate) help: Vec<Vec<&'a HelpContact>>,
    pub(crate) district_of_row: Vec<usize>,
    pub(crate) known: Known,
    /// Per row: the median resident's crow-flies distance (from their municipality's centre) to
    /// this one's centre, for "the median resident lives X km from your workplace" without a
    /// per-ranking selection.
    pub(crate) crow_median_km: Vec<f64>,
    /// Per row as the one workplace: road distances from every row to it (km) and the commute
    /// utilities [without, with] a car, made on first use. They depend only on the workplace,
    /// so a batch of a million profiles with a handful of workplaces computes each once.
    by_workplace: Vec<WorkplaceCache>,
}

/// What one workplace municipality determines for every row (see [`Prepared::by_workplace`]).
#[derive(Clone, Debug, Default)]
struct WorkplaceCache {
    road_km: OnceLock<Box<[f64]>>,
    /// Estimated one-way minutes [without, with] a car ([`crate::travel::minutes`]).
    minutes: [OnceLock<Box<[f64]>>; 2],
    commute: [OnceLock<Box<[f64]>>; 2],
}

/// Household situations that change an indicator-based criterion: car or not, children or not,
/// the youngest child's age band.
pub(crate) const SITUATIONS: usize = 8;

/// Index of a household situation, below [`SITUATIONS`].
pub(crate) fn situation(car: bool, children: bool, band: AgeBand) -> usize {
    (car as usize) * 4 + (children as usize) * 2 + (band == AgeBand::From3To6) as usize
}

pub(crate) fn unit_vector(lat: f64, lon: f64) -> [f64; 3] {
    let (la, lo) = (lat.to_radians(), lon.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

/// Great-circle distance in km between two unit vectors: 2R·asin(c/2) for the chord c, by its
/// series c + c³/24, exact to 1e-6 relative for any distance within Europe and free of trig on
/// the hot path.
#[inline]
pub(crate) fn distance_km(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    let dx = a[0] - b[0];
    let dy = a[1] - b[1];
    let dz = a[2] - b[2];
    let c2 = dx * dx + dy * dy + dz * dz;
    let c = c2.sqrt();
    EARTH_RADIUS_KM.value * c * (1.0 + c2 / 24.0 + 3.0 * c2 * c2 / 640.0)
}

pub(crate) fn median_of(values: &[f64]) -> f64 {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_unstable_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    }
}

/// Population-weighted median: the value of the median resident, among the rows that have a
/// value and residents. The median municipality of Saxony (a village of about 3,000) is not
/// where the median Saxon lives, so the figures a sentence compares with are the residents'.
/// Without any weight (no population column) the plain median.
pub(crate) fn weighted_median(values: &[f64], weights: &[f64]) -> f64 {
    let mut v: Vec<(f64, f64)> = values
        .iter()
        .zip(weights)
        .filter(|(x, w)| !x.is_nan() && w.is_finite() && **w > 0.0)
        .map(|(&x, &w)| (x, w))
        .collect();
    if v.is_empty() {
        return median_of(values);
    }
    v.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let half = v.iter().map(|p| p.1).sum::<f64>() / 2.0;
    let mut below = 0.0;
    for (i, &(x, w)) in v.iter().enumerate() {
        below += w;
        if below > half {
            return x;
        }
        if below == half && i + 1 < v.len() {
            // Exactly half the residents at or below x: midway to the next value.
            return (x + v[i + 1].0) / 2.0;
        }
    }
    v[v.len() - 1].0
}

/// Levenshtein distance between `a` and `b` if it is at most `max` (else `None`): insertions,
/// deletions and substitutions of characters, one row of the table at a time.
pub(crate) fn edit_distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        if cur.iter().min().is_some_and(|&m| m > max) {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[b.len()] <= max).then_some(prev[b.len()])
}

impl<'a> Prepared<'a> {
    /// Prepares an atlas for ranking. Checks the shape it relies on (one value per municipality
    /// in every column, unique AGS); the row order of the atlas does not matter.
    pub fn new(atlas: &'a Atlas) -> Result<Self, RankerError> {
        let n = atlas.municipalities.len();
        if n == 0 {
            return Err(RankerError::Empty);
        }
        for ind in &atlas.indicators {
            if ind.values.len() != n {
                return Err(RankerError::ColumnLength {
                    indicator: ind.meta.id.clone(),
                    found: ind.values.len(),
                    expected: n,
                });
            }
        }
        let mut rows: Vec<usize> = (0..n).collect();
        rows.sort_by(|&a, &b| {
            atlas.municipalities[a]
                .ags
                .cmp(&atlas.municipalities[b].ags)
        });
        for w in rows.windows(2) {
            if atlas.municipalities[w[0]].ags == atlas.municipalities[w[1]].ags {
                return Err(RankerError::DuplicateAgs(
                    atlas.municipalities[w[0]].ags.clone(),
                ));
            }
        }
        let ms: Vec<&'a Municipality> = rows.iter().map(|&r| &atlas.municipalities[r]).collect();
        let district_index: HashMap<&str, usize> = atlas
            .districts
            .iter()
            .enumerate()
            .map(|(i, d)| (d.ags5.as_str(), i))
            .collect();
        let district_of_row: Vec<usize> = ms
            .iter()
            .map(|m| {
                district_index
                    .get(m.district_ags5.as_str())
                    .copied()
                    .unwrap_or(usize::MAX)
            })
            .collect();
        let districts = district_of_row
            .iter()
            .zip(&ms)
            .map(|(&d, m)| {
                if d == usize::MAX {
                    m.district_ags5.as_str()
                } else {
                    atlas.districts[d].name.as_str()
                }
            })
            .collect();
        let help = atlas
            .districts
            .iter()
            .map(|d| atlas.district_help(&d.ags5).collect())
            .collect();
        let raw: Vec<Vec<f64>> = atlas
            .indicators
            .iter()
            .map(|ind| {
                rows.iter()
                    .map(|&r| match ind.values[r] {
                        Some(v) if v.is_finite() => v,
                        _ => f64::NAN,
                    })
                    .collect()
            })
            .collect();
        let residents: Vec<f64> = atlas
            .indicators
            .iter()
            .position(|ind| ind.meta.id == ids::POPULATION)
            .map(|k| raw[k].clone())
            .unwrap_or_default();
        let medians = raw.iter().map(|c| weighted_median(c, &residents)).collect();
        let by_id = atlas
            .indicators
            .iter()
            .enumerate()
            .map(|(i, ind)| (ind.meta.id.as_str(), i))
            .collect();
        let mut r = Prepared {
            atlas,
            n,
            ags: ms.iter().map(|m| m.ags.as_str()).collect(),
            names: ms.iter().map(|m| m.name.as_str()).collect(),
            districts,
            lower_names: ms
                .iter()
                .map(|m| (m.name.to_lowercase(), m.official_name.to_lowercase()))
                .collect(),
            name_index: HashMap::new(),
            centres: ms
                .iter()
                .map(|m| unit_vector(m.centre_lat, m.centre_lon))
                .collect(),
            stations: ms
                .iter()
                .map(|m| m.station.as_ref().map(|s| (s, unit_vector(s.lat, s.lon))))
                .collect(),
            rows,
            raw,
            medians,
            residents,
            by_id,
            columns: Vec::new(),
            part_ind: Vec::new(),
            part_median: Vec::new(),
            column_of: [[None; SITUATIONS]; Criterion::COUNT],
            region_en: if atlas.region == "Sachsen" {
                "Saxony"
            } else {
                atlas.region.as_str()
            },
            help,
            district_of_row,
            known: Known::default(),
            crow_median_km: Vec::new(),
            by_workplace: (0..n).map(|_| WorkplaceCache::default()).collect(),
        };
        r.known = Known {
            population: r.indicator(ids::POPULATION),
            rent_new: r.indicator(ids::RENT_NEW),
            rent_existing: r.indicator(ids::RENT_EXISTING),
            asking: r.indicator(ids::ASKING_RENT_DISTRICT),
            vacancy: r.indicator(ids::VACANCY),
            commute_distance: r.indicator(ids::COMMUTE_DISTANCE),
            across_town: r.indicator(ids::ACROSS_TOWN),
            rail_access: r.indicator(ids::RAIL_ACCESS),
            hort: r.indicator(ids::HORT_RATE),
            school_leavers: r.indicator(ids::SCHOOL_LEAVERS),
        };
        for (row, (name, official)) in r.lower_names.iter().enumerate() {
            r.name_index.entry(name.clone()).or_default().push(row);
            if official != name {
                r.name_index.entry(official.clone()).or_default().push(row);
            }
        }
        let mut scratch = vec![0.0; n];
        r.crow_median_km = (0..n)
            .map(|row| {
                for (x, c) in scratch.iter_mut().zip(&r.centres) {
                    *x = distance_km(c, &r.centres[row]);
                }
                weighted_median(&scratch, &r.residents)
            })
            .collect();
        r.build_columns();
        Ok(r)
    }

    /// The precomputed column of an indicator-based criterion in a household situation, or
    /// `None` for a computed criterion.
    pub(crate) fn column_of(&self, c: Criterion, situation: usize) -> Option<usize> {
        self.column_of[c.index()][situation]
    }

    /// Index of an indicator in the atlas.
    pub(crate) fn indicator(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Parts of an indicator-based criterion used in a situation.
    pub(crate) fn selected_parts(
        spec: &criteria::CriterionSpec,
        car: bool,
        children: bool,
        band: AgeBand,
    ) -> Vec<(usize, bool)> {
        spec.parts
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                (children || !p.only_with_children) && p.band.is_none_or(|b| b == band)
            })
            .map(|(i, _)| (i, car))
            .collect()
    }

    /// Raw value of a part for a row: the indicator(s) picked as the measure says, and the
    /// atlas indicator it came from (or the first one that exists, when there is no value).
    pub(crate) fn part_raw(
        &self,
        c: Criterion,
        pi: usize,
        car: bool,
        row: usize,
    ) -> (f64, Option<usize>) {
        let m = c.spec().parts[pi].measure(car);
        let mut best = f64::NAN;
        let mut from = None;
        for &k in &self.part_ind[c.index()][pi][car as usize] {
            {
                let v = self.raw[k][row];
                if v.is_nan() {
                    if from.is_none() {
                        from = Some(k);
                    }
                    continue;
                }
                match m.pick {
                    Pick::First => return (v, Some(k)),
                    Pick::Min => {
                        if best.is_nan() || v < best {
                            best = v;
                            from = Some(k);
                        }
                    }
                }
            }
        }
        (best, from)
    }

    fn build_columns(&mut self) {
        self.part_ind = CRITERIA_ALL_SPECS
            .iter()
            .map(|spec| {
                spec.parts
                    .iter()
                    .map(|p| {
                        [false, true].map(|car| {
                            p.measure(car)
                                .indicators
                                .iter()
                                .filter_map(|id| self.indicator(id))
                                .collect()
                        })
                    })
                    .collect()
            })
            .collect();
        self.part_median = CRITERIA_ALL_SPECS
            .iter()
            .map(|spec| {
                (0..spec.parts.len())
                    .map(|pi| {
                        [false, true].map(|car| {
                            let v: Vec<f64> = (0..self.n)
                                .map(|row| self.part_raw(spec.criterion, pi, car, row).0)
                                .collect();
                            weighted_median(&v, &self.residents)
                        })
                    })
                    .collect()
            })
            .collect();
        // (criterion, parts used with the car flag that matters, column index)
        type Seen = (Criterion, Vec<(usize, bool)>, usize);
        let mut cache: Vec<Seen> = Vec::new();
        for c in Criterion::ALL {
            let spec = c.spec();
            if spec.combine == Combine::Computed {
                continue;
            }
            for car in [false, true] {
                for children in [false, true] {
                    for band in [AgeBand::Under3, AgeBand::From3To6] {
                        let parts = Self::selected_parts(spec, car, children, band);
                        // The car does not matter for parts whose measures are identical,
                        // unless they are car minutes, which a household without a car is
                        // told are all that is known.
                        let key: Vec<(usize, bool)> = parts
                            .iter()
                            .map(|&(i, car)| {
                                let p = &spec.parts[i];
                                let car_minutes = p.without_car.phrase == Phrase::CarMinutes;
                                (i, car && (p.with_car != p.without_car || car_minutes))
                            })
                            .collect();
                        let idx = match cache.iter().find(|(cc, k, _)| *cc == c && *k == key) {
                            Some(&(_, _, idx)) => idx,
                            None => {
                                let col = self.compute_column(spec, &parts);
                                self.columns.push(col);
                                let idx = self.columns.len() - 1;
                                cache.push((c, key, idx));
                                idx
                            }
                        };
                        self.column_of[c.index()][situation(car, children, band)] = Some(idx);
                    }
                }
            }
        }
    }

    fn compute_column(&self, spec: &criteria::CriterionSpec, parts: &[(usize, bool)]) -> Column {
        let mut util = vec![f64::NAN; self.n];
        for (row, u) in util.iter_mut().enumerate() {
            let (mut sw, mut su) = (0.0, 0.0);
            for &(i, car) in parts {
                let p = &spec.parts[i];
                if !p.scored() {
                    // Shown beside the score only: every row is scored on the same parts.
                    continue;
                }
                let (x, _) = self.part_raw(spec.criterion, i, car, row);
                if x.is_nan() {
                    continue;
                }
                let v = p.measure(car).curve.eval(x);
                sw += p.weight;
                su += p.weight * v;
            }
            if sw > 0.0 {
                *u = su / sw;
            }
        }
        let available = util.iter().any(|u| !u.is_nan());
        let complete = util.iter().all(|u| !u.is_nan());
        let ln = util.iter().map(|&u| ln_floor(u)).collect();
        Column {
            criterion: spec.criterion,
            util,
            ln,
            available,
            complete,
            parts: parts.to_vec(),
        }
    }

    /// Internal row of a municipality by AGS, name or official name (case-insensitive), or a
    /// unique name prefix. Several rows when the query is ambiguous.
    pub(crate) fn find_rows(&self, query: &str) -> Vec<usize> {
        let q = query.trim();
        if let Ok(r) = self.ags.binary_search(&q) {
            return vec![r];
        }
        let ql = q.to_lowercase();
        if let Some(rows) = self.name_index.get(&ql) {
            let mut rows = rows.clone();
            rows.sort_unstable();
            rows.dedup();
            return rows;
        }
        (0..self.n)
            .filter(|&r| self.lower_names[r].0.starts_with(&ql))
            .collect()
    }

    pub(crate) fn find_one(&self, query: &str) -> Result<usize, RequestError> {
        let rows = self.find_rows(query);
        match rows.len() {
            0 => Err(RequestError::NotFound {
                query: query.to_string(),
                suggestions: self.close_names(query),
            }),
            1 => Ok(rows[0]),
            _ => Err(RequestError::Ambiguous {
                query: query.to_string(),
                candidates: rows
                    .iter()
                    .take(8)
                    .map(|&r| format!("{} ({})", self.names[r], self.ags[r]))
                    .collect(),
                choices: rows.iter().take(8).map(|&r| self.place_name(r)).collect(),
            }),
        }
    }

    /// A municipality as a place field takes it: its name, or "name (district)" when another
    /// municipality has the same name (as the page's list shows it).
    pub(crate) fn place_name(&self, row: usize) -> String {
        let name = self.names[row];
        let shared = self
            .name_index
            .get(&self.lower_names[row].0)
            .is_some_and(|rows| rows.iter().any(|&r| r != row));
        if shared {
            format!("{name} ({})", self.districts[row])
        } else {
            name.to_string()
        }
    }

    /// Up to three municipalities whose name is a typo away from `query` (edit distance at
    /// most 1, or 2 for queries of 8 characters and more, case-insensitive), nearest first, then
    /// the larger town: "Dresdn" → Dresden.
    pub(crate) fn close_names(&self, query: &str) -> Vec<String> {
        let q: Vec<char> = query.trim().to_lowercase().chars().collect();
        if q.len() < 3 {
            return Vec::new();
        }
        let max = if q.len() >= 8 { 2 } else { 1 };
        let pop = self.known.population.map(|k| &self.raw[k]);
        let mut near: Vec<(usize, f64, usize)> = (0..self.n)
            .filter_map(|r| {
                let name: Vec<char> = self.lower_names[r].0.chars().collect();
                let d = edit_distance(&q, &name, max)?;
                Some((d, -pop.map_or(0.0, |p| p[r]), r))
            })
            .collect();
        near.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        near.into_iter()
            .take(3)
            .map(|(_, _, r)| self.place_name(r))
            .collect()
    }

    /// The median resident's value of a per-row figure (weighted by each row's residents).
    pub(crate) fn median_resident(&self, values: &[f64]) -> f64 {
        weighted_median(values, &self.residents)
    }

    /// Road distances (km) from every row to municipality `r` as the one workplace, made once:
    /// the same numbers the general loop of the profile-dependent utilities computes.
    pub(crate) fn road_km_to(&self, r: usize) -> &[f64] {
        self.by_workplace[r].road_km.get_or_init(|| {
            let to = self.centres[r];
            self.centres
                .iter()
                .map(|c| crate::travel::road_km(distance_km(c, &to)))
                .collect()
        })
    }

    /// The way across town in `row` (km crow-flies): its residents' mean distance to its
    /// population-weighted centre, 0 where the atlas lacks the indicator.
    pub(crate) fn across_town_km(&self, row: usize) -> f64 {
        match self.known.across_town.map(|k| self.raw[k][row]) {
            Some(v) if !v.is_nan() => v,
            _ => 0.0,
        }
    }

    /// Crow-flies km a commute from `row` to the workplace `wp` (a municipality's row, or a
    /// coordinate) is estimated on: centre to centre, and the way across town when the
    /// workplace municipality is the home one.
    pub(crate) fn commute_crow_km(&self, row: usize, wp: Option<usize>, unit: &[f64; 3]) -> f64 {
        if wp == Some(row) {
            self.across_town_km(row)
        } else {
            distance_km(&self.centres[row], unit)
        }
    }

    /// The workplace's station: the row whose station it is and the crow-flies km from the
    /// workplace to it. A municipality's own; for a coordinate, the nearest of all stations.
    pub(crate) fn workplace_station(
        &self,
        wp: Option<usize>,
        unit: &[f64; 3],
    ) -> Option<(usize, f64)> {
        match wp {
            Some(r) => self.stations[r].map(|(s, _)| (r, s.distance_km)),
            None => self
                .stations
                .iter()
                .enumerate()
                .filter_map(|(k, s)| s.map(|(_, u)| (k, distance_km(&u, unit))))
                .min_by(|a, b| a.1.total_cmp(&b.1)),
        }
    }

    /// The train option from `row` to a workplace whose station is `work` (see
    /// [`Self::workplace_station`]): `None` where either end has no station or the home
    /// municipality no station distance.
    pub(crate) fn rail_leg(&self, row: usize, work: Option<(usize, f64)>) -> Option<RailLeg> {
        let (w, egress_km) = work?;
        let (_, from) = self.stations[row]?;
        let (_, to) = self.stations[w]?;
        let access_km = self.known.rail_access.map(|k| self.raw[k][row])?;
        if access_km.is_nan() {
            return None;
        }
        Some(RailLeg {
            access_km,
            egress_km,
            between_km: distance_km(&from, &to),
        })
    }

    /// Estimated one-way minutes from `row` to a workplace (municipality row or coordinate).
    pub(crate) fn commute_minutes(
        &self,
        row: usize,
        wp: Option<usize>,
        unit: &[f64; 3],
        work_station: Option<(usize, f64)>,
        car: bool,
    ) -> f64 {
        let crow = self.commute_crow_km(row, wp, unit);
        let leg = if car {
            None
        } else {
            self.rail_leg(row, work_station)
        };
        crate::travel::minutes(crow, car, leg.as_ref())
    }

    /// Estimated one-way minutes from every row to municipality `r` as the one workplace, by
    /// car or not, made once ([`Self::commute_minutes`]).
    pub(crate) fn minutes_to(&self, r: usize, car: bool) -> &[f64] {
        self.by_workplace[r].minutes[car as usize].get_or_init(|| {
            let to = self.centres[r];
            let station = self.workplace_station(Some(r), &to);
            (0..self.n)
                .map(|row| self.commute_minutes(row, Some(r), &to, station, car))
                .collect()
        })
    }

    /// Commute utility of every row for municipality `r` as the one workplace, by car or not.
    pub(crate) fn commute_to(&self, r: usize, car: bool) -> &[f64] {
        self.by_workplace[r].commute[car as usize].get_or_init(|| {
            self.minutes_to(r, car)
                .iter()
                .map(|&min| criteria::COMMUTE_MIN.eval(min))
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_weighted_median_is_the_median_residents_value() {
        // Three villages of 1,000 at 4 €/m² and one city of 10,000 at 7 €/m²: the median
        // municipality pays 4, the median resident 7.
        let rent = [4.0, 4.0, 4.0, 7.0];
        let residents = [1000.0, 1000.0, 1000.0, 10_000.0];
        assert_eq!(median_of(&rent), 4.0);
        assert_eq!(weighted_median(&rent, &residents), 7.0);
        // Exactly half the residents at or below a value: midway to the next.
        assert_eq!(weighted_median(&[1.0, 3.0], &[5.0, 5.0]), 2.0);
        // Gaps and rows without residents do not count; no weights at all: the plain median.
        assert_eq!(
            weighted_median(&[f64::NAN, 2.0, 9.0, 5.0], &[9e9, 1.0, 0.0, 3.0]),
            5.0
        );
        assert_eq!(weighted_median(&[1.0, 2.0, 3.0], &[]), 2.0);
    }
}

//! The atlas: the one table lotse ranks over.
//!
//! One row per municipality, one column per indicator. Every column says where its figures come
//! from (sources, reference date, licence), at which spatial resolution they were measured, and
//! why a municipality has no value where it has none. `datasets` builds it from the raw open data;
//! `scoring` only reads it. It lives here, in the pure core, so that ranking never needs the data
//! layer: a fresh clone ranks over the embedded atlas without any raw file.
//!
//! Invariants (checked by [`Atlas::validate`]):
//! - every indicator has exactly one value slot per municipality, in the order of
//!   [`Atlas::municipalities`];
//! - a slot is `None` exactly when [`Indicator::missing`] names that municipality with a reason;
//! - every source an indicator cites exists in [`Atlas::sources`].

use serde::{Deserialize, Serialize};

pub use crate::missing_table::MissingTable;
pub use crate::near_table::{Near, NearTable};

/// Bumped whenever the serialised shape changes, so that an old cached atlas is rebuilt rather
/// than half-read.
pub const ATLAS_FORMAT_VERSION: u32 = 1;

/// The built atlas of one region.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Atlas {
    /// Shape version of this file, see [`ATLAS_FORMAT_VERSION`].
    pub format_version: u32,
    /// Human name of the region the atlas covers, e.g. "Sachsen".
    pub region: String,
    /// SHA-256 over the raw input files it was built from: two atlases with the same hash were
    /// built from the same bytes.
    pub input_hash: String,
    /// Every dataset that contributed, with publisher and licence.
    pub sources: Vec<Source>,
    /// Districts (Landkreise and kreisfreie Städte), keyed by their 5-digit code.
    pub districts: Vec<District>,
    /// The rows: municipalities in ascending AGS order.
    pub municipalities: Vec<Municipality>,
    /// The columns.
    pub indicators: Vec<Indicator>,
    /// People and offices that help newcomers, per district.
    pub help: Vec<HelpContact>,
    /// Named facilities near where each municipality's people live (the Kitas, schools, pools …
    /// a newcomer would look up next). Empty in atlases written before it existed.
    #[serde(default, skip_serializing_if = "Places::is_empty")]
    pub places: Places,
}

/// One raw dataset and the terms under which its figures may be shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Source {
    /// Stable short id, used by [`IndicatorMeta::sources`].
    pub id: String,
    /// What the dataset is, in a few words.
    pub title: String,
    /// The same in German (empty in atlases written before it existed).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title_de: String,
    /// File name inside the data directory.
    pub file: String,
    pub publisher: String,
    /// Licence identifier as the publisher states it (e.g. `dl-de/by-2-0`), or a plain statement
    /// such as "none stated".
    pub licence: String,
    /// Whether the licence is a confirmed open licence; `false` marks data whose reuse terms are
    /// unstated or unconfirmed, which the README and the page must say.
    pub licence_confirmed: bool,
    /// The credit line the licence asks for.
    pub attribution: String,
    /// Reference date of the figures (ISO date or year, as precise as the source says).
    pub reference_date: String,
    /// Where the file came from upstream.
    pub origin: String,
    /// Which area the dataset covers (e.g. "all of Saxony", "Stadt Leipzig").
    pub coverage: String,
    /// SHA-256 of the file the atlas was built from.
    pub sha256: String,
}

/// A district (Landkreis or kreisfreie Stadt).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct District {
    /// 5-digit district code, e.g. `14612`.
    pub ags5: String,
    pub name: String,
}

/// Central-place level of the state development plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CentralPlace {
    Oberzentrum,
    Mittelzentrum,
}

/// A municipality (Gemeinde): the unit lotse ranks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Municipality {
    /// 8-digit Amtlicher Gemeindeschlüssel, e.g. `14612000`.
    pub ags: String,
    /// Name without the status suffix, e.g. "Dresden".
    pub name: String,
    /// Name as the register writes it, e.g. "Dresden, Landeshauptstadt".
    pub official_name: String,
    /// 5-digit code of the district it belongs to.
    pub district_ags5: String,
    /// Reference point (WGS84), inside the municipality's boundary.
    pub lon: f64,
    pub lat: f64,
    /// Population-weighted centre (WGS84) of the populated 1 km grid cells inside the
    /// municipality: where its people live on average. Distances to a workplace start here.
    /// Equals the reference point where no populated cell falls inside.
    pub centre_lon: f64,
    pub centre_lat: f64,
    pub central_place: Option<CentralPlace>,
    /// Former municipalities merged into this one since the oldest source's reference date;
    /// their figures were combined as [`Indicator::method`] describes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub predecessors: Vec<String>,
    /// The railway station nearest the population-weighted centre, which the commute without
    /// a car names; `None` where the atlas has no station points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station: Option<Station>,
}

/// A railway station (DB open data, stations of any operator with passenger service).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Station {
    /// Name as the source writes it, e.g. "Dresden Hbf".
    pub name: String,
    /// WGS84 position.
    pub lon: f64,
    pub lat: f64,
    /// Crow-flies km from the municipality's population-weighted centre.
    pub distance_km: f64,
    /// DB station category (Preisklasse) 1 (largest hub) … 7 (smallest halt), for stations run
    /// by DB Station&Service; `None` for other operators' halts and in older atlases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<u8>,
}

/// Named facilities near where people live: per municipality and category, the few nearest to
/// the residents' population-weighted centre ([`Municipality::centre_lon`]). Only points that
/// are among some municipality's nearest are stored, each as one short line of text (see
/// [`place_rows`] and [`near_rows`]), so the embedded, pretty-printed atlas stays small.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Places {
    /// The categories, in display order.
    pub categories: Vec<PlaceCategory>,
    /// The stored points; [`Near::place`] indexes this list.
    #[serde(with = "place_rows")]
    pub points: PlacePoints,
    /// Per municipality (in the order of [`Atlas::municipalities`]), per category (in the order
    /// of [`Places::categories`]): the nearest points, nearest first; `None` where the
    /// category's data does not cover the municipality (the `<category>_distance_km` indicator
    /// says why), an empty list where no named point lies within [`PlaceCategory::max_km`].
    #[serde(with = "near_rows")]
    pub nearest: NearTable,
}

impl Places {
    /// True for an atlas without named places.
    pub fn is_empty(&self) -> bool {
        self.categories.is_empty()
    }
}

/// One category of named places, e.g. Kitas or primary schools.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlaceCategory {
    /// Stable id, the prefix of its distance indicator (`childcare` → `childcare_distance_km`).
    pub id: String,
    pub label_de: String,
    pub label_en: String,
    /// Ids of the [`Source`]s its points come from; [`Place::source`] indexes this list.
    pub sources: Vec<String>,
    /// Points farther than this (crow-flies km) from the centre are not listed.
    pub max_km: f64,
}

/// A named facility, as [`PlacePoints`] gives it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Place<'a> {
    /// Name as the source writes it.
    pub name: &'a str,
    /// Index of the municipality it lies in (point in polygon), in [`Atlas::municipalities`].
    pub municipality: u32,
    /// Index of its source in the category's [`PlaceCategory::sources`].
    pub source: u8,
}

/// The stored named facilities, their names in one text: a few allocations however many
/// places there are (one allocation per name left the heap larger after each atlas reload;
/// see [`crate::near_table`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlacePoints {
    names: String,
    /// Per place: end of its name in `names`, municipality, source.
    entries: Vec<(u32, u32, u8)>,
}

impl PlacePoints {
    /// Room for `places` places whose names take `bytes` in all.
    pub fn with_capacity(places: usize, bytes: usize) -> Self {
        PlacePoints {
            names: String::with_capacity(bytes),
            entries: Vec::with_capacity(places),
        }
    }

    /// Appends a place; its index is the count before.
    pub fn push(&mut self, name: &str, municipality: u32, source: u8) {
        self.names.push_str(name);
        self.entries
            .push((self.names.len() as u32, municipality, source));
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Place number `i`.
    pub fn get(&self, i: usize) -> Option<Place<'_>> {
        let &(end, municipality, source) = self.entries.get(i)?;
        let start = match i {
            0 => 0,
            _ => self.entries[i - 1].0,
        };
        Some(Place {
            name: &self.names[start as usize..end as usize],
            municipality,
            source,
        })
    }

    /// Every place, in order.
    pub fn iter(&self) -> impl Iterator<Item = Place<'_>> + '_ {
        (0..self.len()).filter_map(move |i| self.get(i))
    }
}

/// [`Places::points`] stored as one line each: `"<municipality> <source> <name>"`, e.g.
/// `"0 1 Grundschule Altendorf"` (the name is the rest of the line, spaces and all).
pub mod place_rows {
    use super::PlacePoints;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(points: &PlacePoints, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            points
                .iter()
                .map(|p| format!("{} {} {}", p.municipality, p.source, p.name)),
        )
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<PlacePoints, D::Error> {
        // The lines are borrowed from the atlas text where they can be (no escapes), so that
        // reading an atlas makes no short-lived copy of each.
        let lines = Vec::<super::Line<'de>>::deserialize(d)?;
        let bytes = lines.iter().map(|l| l.0.len()).sum();
        let mut points = PlacePoints::with_capacity(lines.len(), bytes);
        for super::Line(line) in &lines {
            let mut parts = line.splitn(3, ' ');
            let (m, s, name) = (parts.next(), parts.next(), parts.next());
            match (
                m.and_then(|m| m.parse().ok()),
                s.and_then(|s| s.parse().ok()),
                name,
            ) {
                (Some(municipality), Some(source), Some(name)) if !name.is_empty() => {
                    points.push(name, municipality, source)
                }
                _ => {
                    return Err(D::Error::custom(format!(
                        "place {line:?} is not \"<municipality> <source> <name>\""
                    )));
                }
            }
        }
        Ok(points)
    }
}

/// [`Places::nearest`] stored as one line per municipality and category: `null` where not
/// covered, else the nearest as `"<place>:<km>"` separated by spaces (`""` for none in reach),
/// e.g. `"12:0.4 40:1.3 7:2"`.
pub mod near_rows {
    use super::{Near, NearTable};
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(table: &NearTable, s: S) -> Result<S::Ok, S::Error> {
        let text: Vec<Vec<Option<String>>> = table
            .rows()
            .map(|row| {
                row.map(|near| {
                    near.map(|list| {
                        list.iter()
                            .map(|n| format!("{}:{}", n.place, n.distance_km))
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                })
                .collect()
            })
            .collect();
        serde::Serialize::serialize(&text, s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NearTable, D::Error> {
        let text = Vec::<Vec<Option<super::Line<'de>>>>::deserialize(d)?;
        let near = |item: &str| {
            let (p, km) = item.split_once(':')?;
            Some(Near {
                place: p.parse().ok()?,
                distance_km: km.parse().ok()?,
            })
        };
        let columns = text.first().map_or(0, Vec::len);
        let items = text
            .iter()
            .flatten()
            .flatten()
            .map(|line| line.0.split_whitespace().count())
            .sum();
        let mut table = NearTable::with_capacity(columns, text.len(), items);
        for (i, row) in text.iter().enumerate() {
            if row.len() != columns {
                return Err(D::Error::custom(format!(
                    "nearest places: row {i} has {} categories, the first {columns}",
                    row.len()
                )));
            }
            for line in row {
                // Parsed straight into the table: no list per cell, even for a moment.
                let mut bad = None;
                table.push_cell(line.as_ref().map(|line| {
                    line.0.split_whitespace().map_while(|item| {
                        let parsed = near(item);
                        if parsed.is_none() {
                            bad = Some(item);
                        }
                        parsed
                    })
                }));
                if let Some(item) = bad {
                    return Err(D::Error::custom(format!(
                        "nearest place {item:?} is not \"<place>:<km>\""
                    )));
                }
            }
        }
        Ok(table)
    }
}

/// One line of the atlas's compact text rows, borrowed from the atlas text where it has no
/// escapes (the atlas is read from a string), else owned.
#[derive(Deserialize)]
struct Line<'a>(#[serde(borrow)] std::borrow::Cow<'a, str>);

/// The spatial resolution at which an indicator was measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// Computed by lotse from facility points and where people live (1 km population grid).
    Points,
    /// Published per municipality.
    Municipality,
    /// Published per municipal association (Verwaltungsgemeinschaft/-verband); every member
    /// municipality carries the association's value.
    Association,
    /// Published per district; every municipality of the district carries the district's value.
    District,
}

/// Description of one indicator column.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndicatorMeta {
    /// Stable id, e.g. `kita_distance_km`. Criteria refer to indicators by it.
    pub id: String,
    pub label_de: String,
    pub label_en: String,
    /// Unit, e.g. `km`, `min`, `%`, `EUR/m2`, `per 1000 residents`.
    pub unit: String,
    pub resolution: Resolution,
    /// Ids of the [`Source`]s the figures rest on.
    pub sources: Vec<String>,
    /// Reference date of the figures.
    pub reference_date: String,
    /// How the figure was obtained or computed, in one or two sentences.
    pub method: String,
    /// True for a figure lotse estimated from real inputs (e.g. a new-lease rent); the method
    /// names the inputs.
    #[serde(default)]
    pub estimate: bool,
    /// True where the figures derive from OpenStreetMap (ODbL share-alike applies).
    #[serde(default)]
    pub derived_from_osm: bool,
}

/// One column of the atlas.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    #[serde(flatten)]
    pub meta: IndicatorMeta,
    /// One slot per municipality, in the order of [`Atlas::municipalities`].
    pub values: Vec<Option<f64>>,
    /// Why a slot is empty, keyed by AGS.
    #[serde(default)]
    pub missing: MissingTable,
}

impl Indicator {
    /// How many municipalities have a value.
    pub fn coverage(&self) -> usize {
        self.values.iter().filter(|v| v.is_some()).count()
    }
}

/// An office or service that helps newcomers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HelpContact {
    pub name: String,
    /// e.g. `welcome_center`, `auslaenderbehoerde`.
    pub kind: String,
    /// The 5-digit codes of the districts it serves.
    pub district_ags5: Vec<String>,
    pub town: String,
    pub website: String,
    /// How well the entry is verified, as the source says (e.g. inferred rows are marked).
    pub note: String,
    /// True when the source marks the row's existence or address as inferred, not verified.
    pub inferred: bool,
}

impl HelpContact {
    /// The street address the source records in its note, e.g. "Otto-Schill-Straße 2" or
    /// "Egelstraße 4, 04103 Leipzig" (the first one, with the postcode and town where the note
    /// gives them); `None` where the note names none. The help file has no address or phone
    /// column: its notes are the only place an address is written down.
    pub fn address(&self) -> Option<&str> {
        street_address(&self.note)
    }
}

/// The first "<street>straße|platz|allee|ring <number>[, <postcode> <town>]" in `text`.
fn street_address(text: &str) -> Option<&str> {
    const STREET_ENDS: [&str; 8] = [
        "straße ", "Straße ", "platz ", "Platz ", "allee ", "Allee ", "ring ", "Ring ",
    ];
    let (at, end) = STREET_ENDS
        .iter()
        .filter_map(|e| text.find(e).map(|i| (i, i + e.len())))
        .min()?;
    // The house number: digits, then perhaps a letter or a range ("11–15", "6b").
    let rest = &text[end..];
    let num_len = rest
        .char_indices()
        .take_while(|(k, c)| {
            c.is_ascii_digit() || (*k > 0 && (c.is_ascii_lowercase() || "–-".contains(*c)))
        })
        .map(|(k, c)| k + c.len_utf8())
        .last()?;
    if !rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let mut stop = end + num_len;
    // ", 04103 Leipzig"
    let after = &text[stop..];
    if let Some(pc) = after.strip_prefix(", ")
        && pc.len() > 6
        && pc.as_bytes()[..5].iter().all(u8::is_ascii_digit)
        && pc.as_bytes()[5] == b' '
    {
        let town = pc[6..]
            .split(|c: char| c == ',' || c == ';' || c == '(' || c == ')')
            .next()
            .unwrap_or("")
            .trim_end();
        if !town.is_empty() {
            stop += 2 + 6 + town.len();
        }
    }
    // The street's name: its own word ("Egelstraße", "Georg-Schumann-Straße"), and where the
    // ending stands alone ("Annaberger Straße") the word before it.
    let word_start = |i: usize| {
        text[..i]
            .rfind(|c: char| c.is_whitespace() || ":;,(".contains(c))
            .map(|k| k + text[k..].chars().next().map_or(1, char::len_utf8))
            .unwrap_or(0)
    };
    let mut start = word_start(at);
    if start == at && at > 0 {
        start = word_start(at - 1);
    }
    let name = &text[start..at];
    if !name.starts_with(|c: char| c.is_uppercase()) && start != at {
        return None;
    }
    Some(text[start..stop].trim())
}

/// The atlas broke one of its invariants.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum AtlasError {
    #[error("atlas format version {found} is not the supported version {expected}")]
    FormatVersion { found: u32, expected: u32 },
    #[error("indicator {indicator} has {found} values for {expected} municipalities")]
    ColumnLength {
        indicator: String,
        found: usize,
        expected: usize,
    },
    #[error("indicator {indicator} lacks a value for {ags} but gives no reason")]
    UnexplainedGap { indicator: String, ags: String },
    #[error("indicator {indicator} cites unknown source {source_id}")]
    UnknownSource {
        indicator: String,
        source_id: String,
    },
    #[error("indicator {indicator} has a non-finite value for {ags}")]
    NotFinite { indicator: String, ags: String },
    #[error("municipalities are not in strictly ascending AGS order at {ags}")]
    Order { ags: String },
    #[error("named places are inconsistent: {0}")]
    Places(String),
}

impl Atlas {
    /// Checks the invariants listed in the module docs.
    pub fn validate(&self) -> Result<(), AtlasError> {
        if self.format_version != ATLAS_FORMAT_VERSION {
            return Err(AtlasError::FormatVersion {
                found: self.format_version,
                expected: ATLAS_FORMAT_VERSION,
            });
        }
        for pair in self.municipalities.windows(2) {
            if pair[0].ags >= pair[1].ags {
                return Err(AtlasError::Order {
                    ags: pair[1].ags.clone(),
                });
            }
        }
        let n = self.municipalities.len();
        for ind in &self.indicators {
            if ind.values.len() != n {
                return Err(AtlasError::ColumnLength {
                    indicator: ind.meta.id.clone(),
                    found: ind.values.len(),
                    expected: n,
                });
            }
            for src in &ind.meta.sources {
                if !self.sources.iter().any(|s| &s.id == src) {
                    return Err(AtlasError::UnknownSource {
                        indicator: ind.meta.id.clone(),
                        source_id: src.clone(),
                    });
                }
            }
            for (m, v) in self.municipalities.iter().zip(&ind.values) {
                match v {
                    Some(x) if !x.is_finite() => {
                        return Err(AtlasError::NotFinite {
                            indicator: ind.meta.id.clone(),
                            ags: m.ags.clone(),
                        });
                    }
                    None if !ind.missing.contains_key(&m.ags) => {
                        return Err(AtlasError::UnexplainedGap {
                            indicator: ind.meta.id.clone(),
                            ags: m.ags.clone(),
                        });
                    }
                    _ => {}
                }
            }
        }
        self.validate_places()
    }

    /// Named places: one row per municipality and category, every index in range, every source
    /// known, every distance finite.
    fn validate_places(&self) -> Result<(), AtlasError> {
        let p = &self.places;
        if p.is_empty() {
            return Ok(());
        }
        let bad = |what: String| Err(AtlasError::Places(what));
        if p.nearest.len() != self.municipalities.len() {
            return bad(format!(
                "{} rows for {} municipalities",
                p.nearest.len(),
                self.municipalities.len()
            ));
        }
        for c in &p.categories {
            if let Some(s) = c.sources.iter().find(|s| self.source(s).is_none()) {
                return bad(format!("category {} cites unknown source {s}", c.id));
            }
        }
        if p.nearest.columns() != p.categories.len() {
            return bad(format!(
                "{} categories per municipality for {} categories",
                p.nearest.columns(),
                p.categories.len()
            ));
        }
        for (m, row) in self.municipalities.iter().zip(p.nearest.rows()) {
            for (c, near) in p.categories.iter().zip(row) {
                for n in near.into_iter().flatten() {
                    let Some(place) = p.points.get(n.place as usize) else {
                        return bad(format!("{} {} names point {}", m.ags, c.id, n.place));
                    };
                    if place.municipality as usize >= self.municipalities.len()
                        || place.source as usize >= c.sources.len()
                        || !n.distance_km.is_finite()
                    {
                        return bad(format!(
                            "{} {}: point {} out of range",
                            m.ags, c.id, n.place
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// Position of a municipality by AGS.
    pub fn index_of(&self, ags: &str) -> Option<usize> {
        self.municipalities
            .binary_search_by(|m| m.ags.as_str().cmp(ags))
            .ok()
    }

    /// Finds municipalities by AGS, exact name or official name (case-insensitive); a
    /// unique prefix of a name also matches.
    pub fn find(&self, query: &str) -> Vec<usize> {
        let q = query.trim();
        if let Some(i) = self.index_of(q) {
            return vec![i];
        }
        let ql = q.to_lowercase();
        let exact: Vec<usize> = (0..self.municipalities.len())
            .filter(|&i| {
                let m = &self.municipalities[i];
                m.name.to_lowercase() == ql || m.official_name.to_lowercase() == ql
            })
            .collect();
        if !exact.is_empty() {
            return exact;
        }
        (0..self.municipalities.len())
            .filter(|&i| self.municipalities[i].name.to_lowercase().starts_with(&ql))
            .collect()
    }

    /// The column with this id.
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.meta.id == id)
    }

    /// The source with this id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// Help contacts that serve every district: shown once per answer, not per municipality.
    pub fn statewide_help(&self) -> impl Iterator<Item = &HelpContact> {
        self.help.iter().filter(|h| self.is_statewide(h))
    }

    /// Help contacts of one district (its 5-digit code), without the statewide ones.
    pub fn district_help<'s>(&'s self, ags5: &'s str) -> impl Iterator<Item = &'s HelpContact> {
        self.help
            .iter()
            .filter(move |h| !self.is_statewide(h) && h.district_ags5.iter().any(|a| a == ags5))
    }

    fn is_statewide(&self, h: &HelpContact) -> bool {
        !self.districts.is_empty()
            && self
                .districts
                .iter()
                .all(|d| h.district_ags5.iter().any(|a| a == &d.ags5))
    }

    /// The district a municipality belongs to.
    pub fn district_of(&self, municipality: &Municipality) -> Option<&District> {
        self.districts
            .iter()
            .find(|d| d.ags5 == municipality.district_ags5)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_places(nearest: &str) -> Atlas {
        crate::synthetic::with_libraries(
            crate::synthetic::atlas(2, 1),
            &["1 0 Stadtbibliothek am Markt"],
            &[nearest, "null"],
        )
    }

    #[test]
    fn street_addresses_are_found_in_notes() {
        for (note, want) in [
            (
                "address at opening: Georg-Schumann-Straße 173 (AXIS-Passage); for employers",
                Some("Georg-Schumann-Straße 173"),
            ),
            (
                "joint project; address at opening: Annaberger Straße 105",
                Some("Annaberger Straße 105"),
            ),
            (
                "Landesgeschäftsstelle Egelstraße 4, 04103 Leipzig; offices in Chemnitz",
                Some("Egelstraße 4, 04103 Leipzig"),
            ),
            (
                "since Jan 2024 in the Ordnungsrathaus, Theaterstraße 11–15 (interim)",
                Some("Theaterstraße 11–15"),
            ),
            (
                "multilingual; Otto-Schill-Straße 2 next to Bürgeramt",
                Some("Otto-Schill-Straße 2"),
            ),
            (
                "IQ Netzwerk Sachsen with Arbeitsagentur/Jobcenter; address not verified",
                None,
            ),
            ("the Straße is long", None),
            ("Egelstraße 4, ü0410 Leipzig", Some("Egelstraße 4")),
            ("Ring 5", Some("Ring 5")),
            ("", None),
        ] {
            assert_eq!(street_address(note), want, "{note}");
        }
    }

    #[test]
    fn places_round_trip_and_are_checked() {
        let a = with_places(r#""0:1.5""#);
        a.validate().unwrap();
        let first = a.places.points.get(0).unwrap();
        assert_eq!(first.name, "Stadtbibliothek am Markt");
        assert_eq!(first.municipality, 1);
        let near = a.places.nearest.get(0, 0).unwrap();
        assert_eq!((near[0].place, near[0].distance_km), (0, 1.5));
        let text = serde_json::to_string(&a.places).unwrap();
        assert!(text.contains(r#""nearest":[["0:1.5"],[null]]"#), "{text}");
        assert_eq!(serde_json::from_str::<Places>(&text).unwrap(), a.places);
        // "None in reach" is an empty list, not a missing one.
        assert_eq!(with_places(r#""""#).places.nearest.get(0, 0), Some(&[][..]));
        assert!(matches!(
            with_places(r#""7:1.5""#).validate(),
            Err(AtlasError::Places(_))
        ));
        assert!(
            serde_json::from_str::<Places>(r#"{"categories":[],"points":["x"],"nearest":[]}"#)
                .is_err()
        );
        assert!(
            serde_json::from_str::<Places>(r#"{"categories":[],"points":[],"nearest":[["0-1"]]}"#)
                .is_err()
        );
    }
}

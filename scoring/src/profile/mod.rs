//! The household profile: who moves, what they can pay, where they work, what matters to them.
//!
//! The field names are the public contract of the CLI, the API and batch runs alike, in JSON
//! and in TOML. Every field but `adults` has a default, documented on the field. Unknown fields
//! are rejected (a typo such as `childern` must not silently fall back to a default), and
//! [`Profile::validate`] rejects out-of-range values with an error naming the field and the
//! allowed range.
//!
//! ```
//! let p = scoring::profile::Profile::from_json(r#"{
//!     "adults": 2, "children": [2, 6], "rent_budget_eur": 900,
//!     "workplace": "Dresden", "max_commute_km": 40,
//!     "weights": {"leisure": 4}, "must": {"within_km": {"primary_school": 3}}, "lang": "en"
//! }"#).unwrap();
//! assert_eq!(p.persons(), 4);
//! assert_eq!(p.living_space(), 90.0);
//! ```

use crate::criteria::{
    self, Criterion, FieldRange, Input, SPACE_FIRST_PERSON_M2, SPACE_PER_FURTHER_PERSON_M2,
    SwitchOn, ranges,
};
use crate::vocab::AgeBand;
pub use crate::vocab::{Lang, TownSize};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// How criterion utilities combine into a score.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Weighted arithmetic mean (default): a strength can make up for a weakness.
    #[default]
    Arithmetic,
    /// Weighted geometric mean, utilities floored at [`criteria::GEOMETRIC_FLOOR`]: for
    /// households that do not want a great pool to make up for a missing Kita.
    Geometric,
}

/// What `rent_budget_eur` covers: the net cold rent (Kaltmiete, the default, what the rent data
/// measures) or the warm rent (Warmmiete: heating and operating costs included), which lotse
/// compares with the flat's cold rent plus [`criteria::OPERATING_COSTS_EUR_M2`] per m².
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RentBasis {
    /// Net cold rent (Nettokaltmiete).
    #[default]
    Cold,
    /// Warm rent (Warmmiete): cold rent with heating, hot water and operating costs.
    Warm,
}

impl RentBasis {
    fn is_cold(&self) -> bool {
        *self == RentBasis::Cold
    }
}

/// A workplace: a municipality (AGS or name) or a coordinate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(
    untagged,
    expecting = "a municipality (AGS or name, as a string), an AGS as a number, or {\"lat\": …, \"lon\": …}"
)]
pub enum Workplace {
    /// WGS84 coordinate of the workplace itself (an object: see [`map_only`]).
    #[serde(deserialize_with = "map_only")]
    Point(LatLon),
    /// An AGS given as a number (leading zeros restored to 8 digits).
    Code(u64),
    /// An AGS or a municipality name; the municipality's population-weighted centre is used.
    Place(String),
}

/// A WGS84 coordinate.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

/// Hard limits: a municipality that misses one is excluded, with the limit and by how much.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Must {
    /// Facility category → maximum population-weighted crow-flies distance in km from where
    /// people live (e.g. `{"gymnasium": 10}`). Categories: see [`criteria::FACILITIES`]. Where
    /// the atlas has no figure for a town the limit cannot be checked: the town stays in and is
    /// flagged, because a missing value is neither a pass nor a fail.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub within_km: BTreeMap<String, f64>,
    /// The needed flat's estimated cold rent must not exceed `rent_budget_eur`. Default false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rent_within_budget: bool,
    /// The needed flat's estimated cold rent must not exceed this share of `income_eur` (%).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_rent_share_pct: Option<f64>,
    /// At least this many residents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_population: Option<f64>,
    /// At most this many residents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_population: Option<f64>,
}

impl Must {
    fn is_empty(&self) -> bool {
        *self == Must::default()
    }
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// One household.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Adults in the household, 1–10. The only required field.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10))]
    pub adults: u32,
    /// Ages of the children in whole years (0–17); default none. The ages switch criteria on:
    /// childcare under 7, primary school 6–10, secondary school and Gymnasium 10–17.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(max_items = 12, schema_with = ages_schema))]
    pub children: Vec<u32>,
    /// Monthly budget for the net cold rent in €; default none. With neither budget nor income
    /// the affordability criterion is off (and the ranking says so).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 50, maximum = 20000))]
    pub rent_budget_eur: Option<f64>,
    /// Whether `rent_budget_eur` is `cold` rent (default) or `warm` rent (Warmmiete, with
    /// heating and operating costs): a warm budget is compared with the flat's estimated cold
    /// rent plus the average operating costs per m² ([`criteria::OPERATING_COSTS_EUR_M2`]).
    #[serde(default, skip_serializing_if = "RentBasis::is_cold")]
    pub rent_budget_basis: RentBasis,
    /// Monthly net household income in €; default none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 100, maximum = 200000))]
    pub income_eur: Option<f64>,
    /// Needed living space in m²; default 45 m² for the first person + 15 m² for each further
    /// person (see [`criteria::SPACE_FIRST_PERSON_M2`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 15, maximum = 500))]
    pub living_space_m2: Option<f64>,
    /// Workplace(s): one value or a list of up to 4; default none (no commute criterion).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "one_or_many",
        serialize_with = "ser_one_or_many"
    )]
    #[cfg_attr(feature = "openapi", schema(schema_with = workplaces_schema))]
    pub workplace: Vec<Workplace>,
    /// Maximum one-way distance to each workplace in km, compared with the estimated road
    /// distance (crow-flies × 1.3); default none (no hard limit, the commute criterion still
    /// scores the distance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 500))]
    pub max_commute_km: Option<f64>,
    /// Maximum estimated one-way commute to each workplace in minutes (5–1,440). With a
    /// workplace a limit is always in force while the commute counts: by default the commute
    /// curve's zero point ([`criteria::COMMUTE_LIMIT_DEFAULT_MIN`], an hour), where no other
    /// strength may make up for the commute any more; a town beyond it is excluded, with by how
    /// much. Set this to raise or lower it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 5, maximum = 1440))]
    pub max_commute_min: Option<f64>,
    /// Whether the household has a car; default true. Without one, reachability is read on a
    /// walking/cycling scale, commute minutes at public-transport speed, and public transport
    /// weighs more.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    #[cfg_attr(feature = "openapi", schema(default = true))]
    pub car: bool,
    /// Criterion id → weight 0, or 0.01–5 ([`MIN_WEIGHT`]); criteria not named keep their
    /// default weight (see the criteria table). A weight set here also switches a criterion on
    /// that the household's ages would not (e.g. childcare while expecting a child); 0 switches
    /// it off.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub weights: BTreeMap<String, f64>,
    /// Hard limits; default none.
    #[serde(
        default,
        skip_serializing_if = "Must::is_empty",
        deserialize_with = "map_only"
    )]
    pub must: Must,
    /// Preferred size of place; default none (criterion off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub town_size: Option<TownSize>,
    /// Language of explanations; default `de`.
    #[serde(default)]
    pub lang: Lang,
    /// `arithmetic` (default) or `geometric`.
    #[serde(default)]
    pub aggregation: Aggregation,
}

/// Children's ages: whole years 0–17, at most 12.
#[cfg(feature = "openapi")]
fn ages_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0))
                .maximum(Some(17)),
        )
        .max_items(Some(12))
        .into()
}

/// Schema of `workplace`: one [`Workplace`] or a list of up to 4 (see [`one_or_many`]).
#[cfg(feature = "openapi")]
fn workplaces_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ArrayBuilder, OneOfBuilder, Ref};
    OneOfBuilder::new()
        .item(Ref::from_schema_name("Workplace"))
        .item(
            ArrayBuilder::new()
                .items(Ref::from_schema_name("Workplace"))
                .max_items(Some(4)),
        )
        .description(Some(
            "Workplace(s): one value or a list of up to 4; default none (no commute criterion).",
        ))
        .into()
}

/// Reads a struct from a JSON object or TOML table only. serde's derived structs also accept
/// the values of their fields as a sequence, in declaration order, which would read
/// `[2, [3]]` as a profile and, worse, `"workplace": [14612000, 14628110]` (two AGS) as one
/// coordinate with latitude 14612000. Found by fuzzing (`fuzz/`, target `batch_jsonl`).
fn map_only<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct MapOnly<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for MapOnly<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object with named fields")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
        }
    }
    d.deserialize_map(MapOnly(std::marker::PhantomData))
}

/// A profile read by [`map_only`]: from an object, never from an array of field values.
struct ProfileObject(Profile);

impl<'de> Deserialize<'de> for ProfileObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        map_only(d).map(ProfileObject)
    }
}

pub(crate) fn one_or_many<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<Workplace>, D::Error> {
    #[derive(Deserialize)]
    #[serde(
        untagged,
        expecting = "a workplace (AGS or name, or {\"lat\": …, \"lon\": …}) or a list of them"
    )]
    enum OneOrMany {
        One(Workplace),
        Many(Vec<Workplace>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(w) => vec![w],
        OneOrMany::Many(v) => v,
    })
}

fn ser_one_or_many<S: serde::Serializer>(v: &[Workplace], s: S) -> Result<S::Ok, S::Error> {
    if v.len() == 1 {
        v[0].serialize(s)
    } else {
        v.serialize(s)
    }
}

/// A profile that cannot be used, naming the field, the problem and what is allowed.
#[derive(Clone, Debug, PartialEq, Serialize, thiserror::Error)]
pub struct ProfileError {
    /// Path of the field, e.g. `children[1]` or `weights.leisure`.
    pub field: String,
    /// What is wrong.
    pub problem: String,
    /// What would be accepted.
    pub allowed: String,
    /// For a place that matches no municipality or several: the names to choose from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choices: Option<Choices>,
}

/// Municipality names a person can pick instead of what they typed, each as a place field
/// takes it (the name, or "name (district)" where two municipalities share the name).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "names", rename_all = "snake_case")]
pub enum Choices {
    /// Nothing matched; these are close ("did you mean Dresden?").
    DidYouMean(Vec<String>),
    /// Several municipalities matched; one of these is meant.
    OneOf(Vec<String>),
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "profile field `{}`: {}", self.field, self.problem)?;
        if !self.allowed.is_empty() {
            write!(f, " (allowed: {})", self.allowed)?;
        }
        Ok(())
    }
}

impl ProfileError {
    pub fn new(
        field: impl Into<String>,
        problem: impl Into<String>,
        allowed: impl Into<String>,
    ) -> Self {
        ProfileError {
            field: field.into(),
            problem: problem.into(),
            allowed: allowed.into(),
            choices: None,
        }
    }

    /// The same error offering names to choose from.
    pub fn with_choices(mut self, choices: Choices) -> Self {
        self.choices = Some(choices);
        self
    }
}

/// The top-level fields of a profile, as an unknown or missing field's error lists them (from
/// the one field table, [`crate::fields`]).
fn allowed_fields() -> String {
    crate::fields::keys().join(", ")
}

fn parse_error(path: String, message: String) -> ProfileError {
    // At the top level (unknown or missing field) the useful hint is the list of fields; inside
    // a field, serde's message already says what was expected ("expected u32").
    let message = plain::plain(&message);
    if path.is_empty() || path == "." {
        // A missing or unknown field is named as the field itself, so that a form can show
        // the message beside it.
        if let Some(field) = quoted_after(&message, "missing field ") {
            return ProfileError::new(field, "is required", allowed_fields());
        }
        ProfileError::new("(profile)", message, allowed_fields())
    } else if quoted_after(&message, "unknown field ").is_some() {
        // serde lists the fields the object takes after "expected one of".
        let allowed = message
            .split_once("expected one of ")
            .map_or_else(allowed_fields, |(_, list)| list.replace('`', ""));
        ProfileError::new(path, "is not a profile field", allowed)
    } else {
        ProfileError::new(path, message, "")
    }
}

/// The name in backticks right after `prefix` in serde's message ("missing field `adults`").
fn quoted_after<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = message.strip_prefix(prefix)?.strip_prefix('`')?;
    rest.split_once('`').map(|(name, _)| name)
}

/// Smallest positive weight. Weights are rough answers on a 0–5 scale (the page's sliders move
/// in steps of 1); 0.01 is a five-hundredth of the top and still far above the numbers where
/// the weighted means lose their precision (5e-324, the smallest positive number, made every
/// town score 100 in the geometric mean). A weight is 0 (criterion off) or 0.01–5.
pub const MIN_WEIGHT: f64 = ranges::WEIGHT.min;

/// Checks `v` of `field` against `range` (from the criteria table's profile ranges).
fn check_range(field: &str, v: f64, range: &FieldRange) -> Result<(), ProfileError> {
    if range.contains(v) {
        Ok(())
    } else {
        Err(ProfileError::new(
            field,
            format!("{v} is out of range"),
            range.allowed,
        ))
    }
}

impl Profile {
    /// A profile with only the required field set and every other field at its default.
    pub fn new(adults: u32) -> Self {
        Profile {
            adults,
            children: Vec::new(),
            rent_budget_eur: None,
            rent_budget_basis: RentBasis::Cold,
            income_eur: None,
            living_space_m2: None,
            workplace: Vec::new(),
            max_commute_km: None,
            max_commute_min: None,
            car: true,
            weights: BTreeMap::new(),
            must: Must::default(),
            town_size: None,
            lang: Lang::De,
            aggregation: Aggregation::Arithmetic,
        }
    }

    /// Reads and validates a JSON profile.
    pub fn from_json(text: &str) -> Result<Self, ProfileError> {
        let p = Self::parse_json(text)?;
        p.validate()?;
        Ok(p)
    }

    /// Reads a JSON profile without checking its ranges: for callers that rank it next, since
    /// ranking ([`crate::rank::Ranker::plan`]) validates every profile anyway, with the same
    /// errors [`Profile::from_json`] gives — so the profile is validated once. Unknown or
    /// mistyped fields are errors here already.
    pub fn parse_json(text: &str) -> Result<Self, ProfileError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let ProfileObject(p) = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| parse_error(e.path().to_string(), e.inner().to_string()))?;
        de.end()
            .map_err(|e| parse_error(String::new(), e.to_string()))?;
        Ok(p)
    }

    /// Reads and validates a TOML profile.
    pub fn from_toml(text: &str) -> Result<Self, ProfileError> {
        let de = toml::Deserializer::parse(text)
            .map_err(|e| parse_error(String::new(), e.to_string().trim().to_string()))?;
        let ProfileObject(p) = serde_path_to_error::deserialize(de).map_err(|e| {
            parse_error(e.path().to_string(), e.inner().message().trim().to_string())
        })?;
        p.validate()?;
        Ok(p)
    }

    /// Persons in the household.
    pub fn persons(&self) -> u32 {
        self.adults + self.children.len() as u32
    }

    /// Needed living space in m²: as given, else the documented household-size rule.
    pub fn living_space(&self) -> f64 {
        self.living_space_m2.unwrap_or_else(|| {
            SPACE_FIRST_PERSON_M2.value
                + SPACE_PER_FURTHER_PERSON_M2.value * (self.persons().max(1) - 1) as f64
        })
    }

    /// Age band of the youngest child under 7, if any.
    pub fn youngest_band(&self) -> Option<AgeBand> {
        let youngest = self.children.iter().copied().filter(|&a| a < 7).min()?;
        Some(if youngest < 3 {
            AgeBand::Under3
        } else {
            AgeBand::From3To6
        })
    }

    /// Whether the ages alone switch a criterion on (its switch-on rule in the criteria table
    /// is a child's age range, and a child is in it).
    pub fn ages_switch_on(&self, c: Criterion) -> bool {
        match c.spec().switch_on {
            SwitchOn::ChildAged { .. } => c.spec().switch_on.is_on(&self.children, |_| false),
            _ => false,
        }
    }

    /// Whether the profile gives an input a computed criterion needs.
    pub fn gives(&self, input: Input) -> bool {
        match input {
            Input::RentBudget => self.rent_budget_eur.is_some(),
            Input::Income => self.income_eur.is_some(),
            Input::Workplace => !self.workplace.is_empty(),
            Input::TownSize => self.town_size.is_some(),
        }
    }

    /// Checks every field against its allowed range; the error names the first offending field.
    pub fn validate(&self) -> Result<(), ProfileError> {
        check_range("adults", self.adults as f64, &ranges::ADULTS)?;
        if !ranges::CHILDREN.contains(self.children.len() as f64) {
            return Err(ProfileError::new(
                "children",
                format!("{} children", self.children.len()),
                ranges::CHILDREN.allowed,
            ));
        }
        for (i, &a) in self.children.iter().enumerate() {
            if !ranges::CHILD_AGE.contains(a as f64) {
                return Err(ProfileError::new(
                    format!("children[{i}]"),
                    format!("age {a} is out of range"),
                    ranges::CHILD_AGE.allowed,
                ));
            }
        }
        if let Some(b) = self.rent_budget_eur {
            check_range("rent_budget_eur", b, &ranges::RENT_BUDGET_EUR)?;
        }
        if let Some(b) = self.income_eur {
            check_range("income_eur", b, &ranges::INCOME_EUR)?;
        }
        if let Some(s) = self.living_space_m2 {
            check_range("living_space_m2", s, &ranges::LIVING_SPACE_M2)?;
        }
        if !ranges::WORKPLACES.contains(self.workplace.len() as f64) {
            return Err(ProfileError::new(
                "workplace",
                format!("{} workplaces", self.workplace.len()),
                ranges::WORKPLACES.allowed,
            ));
        }
        for (i, w) in self.workplace.iter().enumerate() {
            let field = if self.workplace.len() == 1 {
                "workplace".to_string()
            } else {
                format!("workplace[{i}]")
            };
            match w {
                Workplace::Point(p) => {
                    check_range(&format!("{field}.lat"), p.lat, &ranges::WORKPLACE_LAT)?;
                    check_range(&format!("{field}.lon"), p.lon, &ranges::WORKPLACE_LON)?;
                }
                Workplace::Place(s) if s.trim().is_empty() => {
                    return Err(ProfileError::new(
                        field,
                        "empty name",
                        "an AGS, a municipality name or {\"lat\": …, \"lon\": …}",
                    ));
                }
                Workplace::Code(c) if *c >= 100_000_000 => {
                    return Err(ProfileError::new(
                        field,
                        format!("{c} is not an 8-digit AGS"),
                        "an 8-digit AGS such as 14612000",
                    ));
                }
                _ => {}
            }
        }
        for (field, v, range) in [
            (
                "max_commute_km",
                self.max_commute_km,
                &ranges::MAX_COMMUTE_KM,
            ),
            (
                "max_commute_min",
                self.max_commute_min,
                &ranges::MAX_COMMUTE_MIN,
            ),
        ] {
            let Some(v) = v else { continue };
            check_range(field, v, range)?;
            if self.workplace.is_empty() {
                return Err(ProfileError::new(
                    field,
                    "a maximum commute needs a workplace",
                    format!("set `workplace` as well, or leave {field} out"),
                ));
            }
        }
        let allowed_ids = || {
            Criterion::ALL
                .iter()
                .map(|c| c.id())
                .collect::<Vec<_>>()
                .join(", ")
        };
        for (k, &w) in &self.weights {
            if Criterion::from_id(k).is_none() {
                return Err(ProfileError::new(
                    format!("weights.{k}"),
                    "unknown criterion",
                    allowed_ids(),
                ));
            }
            // A positive weight below the minimum is refused, not rounded: the household meant
            // something, and it is not clear what.
            if w != 0.0 {
                check_range(&format!("weights.{k}"), w, &ranges::WEIGHT)?;
            }
        }
        let facilities = || {
            criteria::FACILITIES
                .iter()
                .map(|f| f.0)
                .collect::<Vec<_>>()
                .join(", ")
        };
        for (k, &km) in &self.must.within_km {
            if !criteria::FACILITIES.iter().any(|f| f.0 == k) {
                return Err(ProfileError::new(
                    format!("must.within_km.{k}"),
                    "unknown facility",
                    facilities(),
                ));
            }
            check_range(&format!("must.within_km.{k}"), km, &ranges::WITHIN_KM)?;
        }
        if self.rent_budget_basis == RentBasis::Warm && self.rent_budget_eur.is_none() {
            return Err(ProfileError::new(
                "rent_budget_basis",
                "needs a budget",
                "set rent_budget_eur as well",
            ));
        }
        if self.must.rent_within_budget && self.rent_budget_eur.is_none() {
            return Err(ProfileError::new(
                "must.rent_within_budget",
                "needs a budget",
                "set rent_budget_eur as well",
            ));
        }
        if let Some(s) = self.must.max_rent_share_pct {
            check_range("must.max_rent_share_pct", s, &ranges::MAX_RENT_SHARE_PCT)?;
            if self.income_eur.is_none() {
                return Err(ProfileError::new(
                    "must.max_rent_share_pct",
                    "needs an income",
                    "set income_eur as well",
                ));
            }
        }
        for (range, v) in [
            (&ranges::POPULATION, self.must.min_population),
            (&ranges::MAX_POPULATION, self.must.max_population),
        ] {
            if let Some(v) = v {
                check_range(range.field, v, range)?;
            }
        }
        if let (Some(lo), Some(hi)) = (self.must.min_population, self.must.max_population)
            && lo > hi
        {
            return Err(ProfileError::new(
                "must.min_population",
                format!("{lo} is above must.max_population {hi}"),
                "a minimum not above the maximum",
            ));
        }
        Ok(())
    }
}

mod plain;

#[cfg(test)]
mod tests;

//! The profile's fields as one flat table: every leaf of a [`Profile`](crate::Profile) with its
//! flat name (`rent_budget_eur`, `weights.childcare`, `must.within_km.gymnasium`), in the
//! profile's order.
//!
//! Everything that lists the profile's fields reads it: the profile's error for an unknown
//! field names the top-level keys ([`keys`]), `lotse batch` takes its CSV and Parquet columns
//! from it ([`Field::all`], [`Field::from_name`]), and the fuzz targets check the field an
//! error names against it. A field added to the profile is added here once; the test below
//! fails until it is.

use crate::criteria::{Criterion, FACILITIES};
use std::borrow::Cow;

/// One leaf of a profile: what a column of a flat profile file sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Adults,
    Children,
    RentBudget,
    RentBudgetBasis,
    Income,
    LivingSpace,
    Workplace,
    MaxCommute,
    MaxCommuteMin,
    Car,
    /// `weights.<criterion>`.
    Weight(Criterion),
    /// `must.within_km.<facility>`, the facility's id from [`FACILITIES`].
    WithinKm(&'static str),
    RentWithinBudget,
    MaxRentShare,
    MinPopulation,
    MaxPopulation,
    TownSize,
    Lang,
    Aggregation,
}

/// A row of the table: one field, or a family of fields (one per criterion or facility).
enum Row {
    One(&'static str, Field),
    /// `weights.<criterion>` for every criterion, in [`Criterion::ALL`]'s order.
    Weights,
    /// `must.within_km.<facility>` for every facility, in [`FACILITIES`]' order.
    WithinKm,
}

/// Flat name of a weight: this prefix and the criterion's id.
const WEIGHTS_PREFIX: &str = "weights.";
/// Flat name of a distance limit: this prefix and the facility's id.
const WITHIN_KM_PREFIX: &str = "must.within_km.";

/// The table, in the order the profile declares its fields (and serialises them).
const TABLE: &[Row] = &[
    Row::One("adults", Field::Adults),
    Row::One("children", Field::Children),
    Row::One("rent_budget_eur", Field::RentBudget),
    Row::One("rent_budget_basis", Field::RentBudgetBasis),
    Row::One("income_eur", Field::Income),
    Row::One("living_space_m2", Field::LivingSpace),
    Row::One("workplace", Field::Workplace),
    Row::One("max_commute_km", Field::MaxCommute),
    Row::One("max_commute_min", Field::MaxCommuteMin),
    Row::One("car", Field::Car),
    Row::Weights,
    Row::WithinKm,
    Row::One("must.rent_within_budget", Field::RentWithinBudget),
    Row::One("must.max_rent_share_pct", Field::MaxRentShare),
    Row::One("must.min_population", Field::MinPopulation),
    Row::One("must.max_population", Field::MaxPopulation),
    Row::One("town_size", Field::TownSize),
    Row::One("lang", Field::Lang),
    Row::One("aggregation", Field::Aggregation),
];

impl Field {
    /// Every field, in the profile's order: the columns a flat profile file may have.
    pub fn all() -> impl Iterator<Item = Field> {
        TABLE
            .iter()
            .flat_map(|row| -> Box<dyn Iterator<Item = Field>> {
                match row {
                    Row::One(_, f) => Box::new(std::iter::once(*f)),
                    Row::Weights => Box::new(Criterion::ALL.into_iter().map(Field::Weight)),
                    Row::WithinKm => Box::new(FACILITIES.iter().map(|f| Field::WithinKm(f.0))),
                }
            })
    }

    /// The flat name: the JSON path with dots, e.g. `weights.childcare`.
    pub fn name(self) -> Cow<'static, str> {
        match self {
            Field::Weight(c) => Cow::Owned(format!("{WEIGHTS_PREFIX}{}", c.id())),
            Field::WithinKm(f) => Cow::Owned(format!("{WITHIN_KM_PREFIX}{f}")),
            one => Cow::Borrowed(
                TABLE
                    .iter()
                    .find_map(|row| match row {
                        Row::One(name, f) if *f == one => Some(*name),
                        _ => None,
                    })
                    .unwrap_or_default(),
            ),
        }
    }

    /// The field a flat name names, if any (a criterion or facility the model knows).
    pub fn from_name(name: &str) -> Option<Field> {
        if let Some(id) = name.strip_prefix(WEIGHTS_PREFIX) {
            return Criterion::from_id(id).map(Field::Weight);
        }
        if let Some(id) = name.strip_prefix(WITHIN_KM_PREFIX) {
            return FACILITIES
                .iter()
                .find(|f| f.0 == id)
                .map(|f| Field::WithinKm(f.0));
        }
        TABLE.iter().find_map(|row| match row {
            Row::One(n, f) if *n == name => Some(*f),
            _ => None,
        })
    }

    /// The top-level key of a profile object the field lives under, e.g. `must`.
    pub fn key(self) -> &'static str {
        match self {
            Field::Weight(_) => key_of(WEIGHTS_PREFIX),
            Field::WithinKm(_) => key_of(WITHIN_KM_PREFIX),
            one => match one.name() {
                Cow::Borrowed(name) => key_of(name),
                Cow::Owned(_) => "",
            },
        }
    }
}

/// The part of a flat name before its first dot.
fn key_of(name: &'static str) -> &'static str {
    name.split('.').next().unwrap_or(name)
}

/// The top-level keys of a profile object, in the profile's order, each once.
pub fn keys() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = Vec::new();
    for f in Field::all() {
        let k = f.key();
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{Aggregation, Lang, Profile, RentBasis, TownSize, Workplace};
    use std::collections::BTreeSet;

    /// A profile with every field set away from its default, so that each one is serialised.
    fn everything() -> Profile {
        let mut p = Profile::new(2);
        p.children = vec![3];
        p.rent_budget_eur = Some(900.0);
        p.rent_budget_basis = RentBasis::Warm;
        p.income_eur = Some(3000.0);
        p.living_space_m2 = Some(80.0);
        p.workplace = vec![Workplace::Place("Dresden".into())];
        p.max_commute_km = Some(40.0);
        p.max_commute_min = Some(45.0);
        p.car = false;
        for c in Criterion::ALL {
            p.weights.insert(c.id().into(), 1.0);
        }
        for f in FACILITIES {
            p.must.within_km.insert(f.0.into(), 10.0);
        }
        p.must.rent_within_budget = true;
        p.must.max_rent_share_pct = Some(30.0);
        p.must.min_population = Some(1000.0);
        p.must.max_population = Some(100_000.0);
        p.town_size = Some(TownSize::SmallTown);
        p.lang = Lang::En;
        p.aggregation = Aggregation::Geometric;
        p
    }

    /// Flat names of every leaf of a JSON value (objects are descended, anything else is a
    /// leaf).
    fn leaves(prefix: &str, v: &serde_json::Value, out: &mut BTreeSet<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    let name = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    leaves(&name, v, out);
                }
            }
            _ => {
                out.insert(prefix.to_string());
            }
        }
    }

    #[test]
    fn the_table_names_every_leaf_of_the_profile_and_nothing_else() {
        let json = serde_json::to_value(everything()).unwrap();
        let mut found = BTreeSet::new();
        leaves("", &json, &mut found);
        let table: BTreeSet<String> = Field::all().map(|f| f.name().into_owned()).collect();
        assert_eq!(found, table);
        assert_eq!(Field::all().count(), table.len(), "a flat name twice");
        // The top-level keys in the order the profile declares (and serialises) them; one
        // weight and one limit, so that no nested key repeats a top-level one (`town_size`).
        let mut one_each = everything();
        one_each.weights.retain(|k, _| k == "leisure");
        one_each.must.within_km.retain(|k, _| k == "gymnasium");
        let text = serde_json::to_string(&one_each).unwrap();
        let at: Vec<usize> = keys()
            .iter()
            .map(|k| text.find(&format!("\"{k}\":")).unwrap())
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{:?} in {text}", keys());
        assert_eq!(keys().len(), json.as_object().unwrap().len());
    }

    #[test]
    fn names_read_back_to_their_field() {
        for f in Field::all() {
            assert_eq!(Field::from_name(&f.name()), Some(f), "{}", f.name());
        }
        for name in [
            "",
            "weights",
            "weights.",
            "weights.nothing",
            "must",
            "must.within_km.x",
            "childern",
        ] {
            assert_eq!(Field::from_name(name), None, "{name}");
        }
        assert_eq!(Field::WithinKm("gymnasium").key(), "must");
        assert_eq!(Field::Weight(Criterion::ALL[0]).key(), "weights");
        assert_eq!(Field::MaxRentShare.key(), "must");
    }
}

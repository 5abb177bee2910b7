//! The allowed range of every number a profile holds. [`crate::profile::Profile::validate`]
//! checks against these, and the criteria table serves them, so that a form can say the same
//! limits without a copy of its own.

use serde::Serialize;

/// The allowed values of one numeric profile field.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldRange {
    /// The profile field; `[]` stands for any element of a list, `*` for any key of a map
    /// (e.g. `weights.*`).
    pub field: &'static str,
    pub min: f64,
    pub max: f64,
    pub unit: &'static str,
    /// The range in words, as validation errors name it.
    pub allowed: &'static str,
}

const fn range(
    field: &'static str,
    min: f64,
    max: f64,
    unit: &'static str,
    allowed: &'static str,
) -> FieldRange {
    FieldRange {
        field,
        min,
        max,
        unit,
        allowed,
    }
}

pub const ADULTS: FieldRange = range("adults", 1.0, 10.0, "persons", "1–10");
/// How many children a profile may list.
pub const CHILDREN: FieldRange = range("children", 0.0, 12.0, "children", "at most 12 ages");
pub const CHILD_AGE: FieldRange = range(
    "children[]",
    0.0,
    17.0,
    "years",
    "whole years 0–17 (adult children count as adults)",
);
pub const RENT_BUDGET_EUR: FieldRange = range(
    "rent_budget_eur",
    50.0,
    20_000.0,
    "EUR a month",
    "50–20,000 € a month",
);
pub const INCOME_EUR: FieldRange = range(
    "income_eur",
    100.0,
    200_000.0,
    "EUR a month",
    "100–200,000 € a month",
);
pub const LIVING_SPACE_M2: FieldRange = range("living_space_m2", 15.0, 500.0, "m²", "15–500 m²");
/// How many workplaces a profile may list.
pub const WORKPLACES: FieldRange = range(
    "workplace",
    0.0,
    4.0,
    "workplaces",
    "one workplace or a list of up to 4",
);
pub const WORKPLACE_LAT: FieldRange = range("workplace.lat", -90.0, 90.0, "°", "-90–90");
pub const WORKPLACE_LON: FieldRange = range("workplace.lon", -180.0, 180.0, "°", "-180–180");
pub const MAX_COMMUTE_KM: FieldRange = range("max_commute_km", 1.0, 500.0, "km", "1–500 km");
/// The commute limit in minutes: from a walk across town to a whole day, so that a household
/// can tighten the default limit (the commute curve's zero point) or lift it altogether.
pub const MAX_COMMUTE_MIN: FieldRange =
    range("max_commute_min", 5.0, 1440.0, "min", "5–1,440 minutes");
/// A positive weight; 0 (criterion off) is allowed besides. The minimum is far above the
/// numbers where the weighted means lose their precision (5e-324, the smallest positive
/// number, made every town score 100 in the geometric mean).
pub const WEIGHT: FieldRange = range("weights.*", 0.01, 5.0, "", "0, or 0.01–5");
pub const WITHIN_KM: FieldRange = range("must.within_km.*", 0.1, 100.0, "km", "0.1–100 km");
pub const MAX_RENT_SHARE_PCT: FieldRange =
    range("must.max_rent_share_pct", 1.0, 100.0, "%", "1–100 %");
pub const POPULATION: FieldRange = range(
    "must.min_population",
    0.0,
    1e8,
    "residents",
    "0–100,000,000 residents",
);
/// `must.max_population` takes the same range as `must.min_population`.
pub const MAX_POPULATION: FieldRange = FieldRange {
    field: "must.max_population",
    ..POPULATION
};

/// Every range, for the criteria table.
pub const PROFILE_RANGES: &[FieldRange] = &[
    ADULTS,
    CHILDREN,
    CHILD_AGE,
    RENT_BUDGET_EUR,
    INCOME_EUR,
    LIVING_SPACE_M2,
    WORKPLACES,
    WORKPLACE_LAT,
    WORKPLACE_LON,
    MAX_COMMUTE_KM,
    MAX_COMMUTE_MIN,
    WEIGHT,
    WITHIN_KM,
    MAX_RENT_SHARE_PCT,
    POPULATION,
    MAX_POPULATION,
];

impl FieldRange {
    /// Whether `v` lies in the range (a non-finite number never does).
    pub fn contains(&self, v: f64) -> bool {
        v.is_finite() && v >= self.min && v <= self.max
    }
}

#[cfg(all(test, feature = "openapi"))]
mod tests {
    use super::*;
    use crate::profile::Profile;
    use utoipa::PartialSchema;

    /// The OpenAPI schema of the profile states the same ranges as this table.
    #[test]
    fn the_profile_schema_states_these_ranges() {
        let schema = serde_json::to_value(Profile::schema()).unwrap();
        for r in [
            ADULTS,
            RENT_BUDGET_EUR,
            INCOME_EUR,
            LIVING_SPACE_M2,
            MAX_COMMUTE_KM,
            MAX_COMMUTE_MIN,
        ] {
            let p = &schema["properties"][r.field];
            assert_eq!(p["minimum"].as_f64(), Some(r.min), "{}: {p}", r.field);
            assert_eq!(p["maximum"].as_f64(), Some(r.max), "{}: {p}", r.field);
        }
    }
}

//! Plausible ranges: the values a figure can take for a Saxon municipality. A value outside its
//! range is a broken input (a sign flipped, columns swapped, a unit changed), never data.
//!
//! Two tables, data rather than code scattered through the readers:
//! - [`RAW_RANGES`]: raw columns the readers check row by row; a row outside is rejected with
//!   [`crate::report::Reject::Implausible`] and its line and value in the report;
//! - [`INDICATOR_RANGES`]: every atlas column, by indicator id or (for the families of point
//!   indicators) by unit; [`check_atlas`] runs after every ingest and on every atlas that is
//!   loaded (`atlas_file::parse`: bundled, `--atlas`, the cache, server start and SIGHUP).
//!
//! Each range is wide enough for every real value (the bundled atlas is checked against it in
//! the tests) and narrow enough to catch the faults above; `why` says where the bounds come from.

use scoring::atlas::Atlas;
use std::fmt;

/// The closed interval `[min, max]` a value must lie in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range {
    pub min: f64,
    pub max: f64,
    /// Unit of the bounds, as the value's unit.
    pub unit: &'static str,
    /// Why these bounds.
    pub why: &'static str,
}

impl Range {
    pub fn contains(&self, v: f64) -> bool {
        v.is_finite() && v >= self.min && v <= self.max
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{} {}", self.min, self.max, self.unit)
    }
}

/// A number as a person reads it in an error: plain, or in exponent form when huge or tiny
/// (`1e300`, not three hundred digits).
pub fn show(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e15 || v.abs() < 1e-4) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

/// A raw column checked by a reader: (source id, column, range).
pub struct RawRange {
    pub source: &'static str,
    pub column: &'static str,
    pub range: Range,
}

/// Zensus 2022 `QMMIETE`: net cold rent of existing leases, €/m².
pub const RENT_EUR_M2: Range = Range {
    min: 2.0,
    max: 40.0,
    unit: "EUR/m2",
    why: "Saxon municipalities 3.71–6.92 €/m² (Zensus 2022); the dearest German city (Munich) about 20 €/m² asking",
};
/// Zensus 2022 `FLAECHE`: average living area per dwelling, m².
pub const FLAT_SIZE_M2: Range = Range {
    min: 20.0,
    max: 250.0,
    unit: "m2",
    why: "Saxon municipalities 69–126 m² (Zensus 2022); a one-room flat is about 20 m²",
};
/// Residents of one municipality.
pub const POPULATION: Range = Range {
    min: 0.0,
    max: 700_000.0,
    unit: "persons",
    why: "the largest Saxon municipality (Leipzig) has about 600,000 residents (Zensus 2022)",
};
/// Residents of one populated 1 km grid cell.
pub const GRID_CELL_RESIDENTS: Range = Range {
    min: 0.0,
    max: 50_000.0,
    unit: "persons per km² cell",
    why: "the densest Saxon cell has about 16,600 residents; the densest European quarters about 50,000/km²",
};

/// Every raw column a reader checks.
pub const RAW_RANGES: &[RawRange] = &[
    RawRange {
        source: "zensus_rent",
        column: "QMMIETE",
        range: RENT_EUR_M2,
    },
    RawRange {
        source: "zensus_rent",
        column: "FLAECHE",
        range: FLAT_SIZE_M2,
    },
    RawRange {
        source: "zensus_population",
        column: "value",
        range: POPULATION,
    },
    RawRange {
        source: "population_grid",
        column: "T",
        range: GRID_CELL_RESIDENTS,
    },
];

/// Which indicators a row of [`INDICATOR_RANGES`] applies to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Applies {
    /// The indicator with this id.
    Id(&'static str),
    /// Every indicator with this unit that has no row of its own.
    Unit(&'static str),
}

/// The plausible range of every atlas column. An indicator's own row (by id) wins over its
/// unit's row; an indicator with neither is refused.
pub const INDICATOR_RANGES: &[(Applies, Range)] = &[
    (Applies::Id("population"), POPULATION),
    (Applies::Id("rent_existing_eur_m2"), RENT_EUR_M2),
    (Applies::Id("flat_size_m2"), FLAT_SIZE_M2),
    (
        Applies::Id("asking_rent_district_eur_m2"),
        Range {
            why: "asking rents of new leases: Saxon districts 5.35–9.9 €/m² (2025); Munich about 20 €/m²",
            ..RENT_EUR_M2
        },
    ),
    (
        Applies::Id("rent_new_lease_estimate_eur_m2"),
        Range {
            why: "an estimate built from two rents in 2–40 €/m²; Saxon values 4.4–9.9 €/m²",
            ..RENT_EUR_M2
        },
    ),
    (
        Applies::Id("across_town_distance_km"),
        Range {
            min: 0.4,
            max: 20.0,
            unit: "km",
            why: "residents' mean distance to their municipality's centre: one populated 1 km cell alone gives 0.41 km; Saxon values 0.57–6.6 km (Belgern-Schildau; Dresden 4.6); a city of Berlin's size about 10",
        },
    ),
    (
        Applies::Unit("km2"),
        Range {
            min: 0.1,
            max: 1_000.0,
            unit: "km2",
            why: "Saxon municipalities 3.6–328 km² (Dresden)",
        },
    ),
    (
        Applies::Unit("persons/km2"),
        Range {
            min: 0.0,
            max: 5_000.0,
            unit: "persons/km2",
            why: "Saxon municipalities 16–2,011 residents/km² (Leipzig); Munich about 4,800",
        },
    ),
    (
        Applies::Unit("%"),
        Range {
            min: 0.0,
            max: 100.0,
            unit: "%",
            why: "a share",
        },
    ),
    (
        Applies::Unit("km"),
        Range {
            min: 0.0,
            max: 200.0,
            unit: "km",
            why: "Saxony is about 210 km wide; the farthest nearest facility is 57 km (Oberzentrum), the longest mean commute 28 km",
        },
    ),
    (
        Applies::Unit("min"),
        Range {
            min: 0.0,
            max: 300.0,
            unit: "min",
            why: "routed travel times to the nearest facility: Saxon values up to 77 min (public transport)",
        },
    ),
    (
        Applies::Unit("count"),
        Range {
            min: 0.0,
            max: 10_000.0,
            unit: "count",
            why: "facilities within 10 km: Saxon values up to about 290 (Kitas around Leipzig)",
        },
    ),
    (
        Applies::Unit("per 1000 residents"),
        Range {
            min: 0.0,
            max: 100.0,
            unit: "per 1000 residents",
            why: "facilities per 1,000 residents: Saxon values up to 3.4 (one facility per 10 residents is the bound)",
        },
    ),
    (
        Applies::Unit("per 1000 children under 15"),
        Range {
            min: 0.0,
            max: 1_000.0,
            unit: "per 1000 children under 15",
            why: "facilities per 1,000 children: Saxon values up to 10.6; the grid may count very few children in a village",
        },
    ),
    (
        Applies::Unit("per 100000 children"),
        Range {
            min: 0.0,
            max: 2_000.0,
            unit: "per 100000 children",
            why: "paediatricians per 100,000 children: Saxon districts 48–71",
        },
    ),
    (
        Applies::Unit("per 100000 residents"),
        Range {
            min: 0.0,
            max: 5_000.0,
            unit: "per 100000 residents",
            why: "sports clubs per 100,000 residents: Saxon districts 63–159",
        },
    ),
    (
        Applies::Unit("per 100 residents"),
        Range {
            min: 0.0,
            max: 100.0,
            unit: "per 100 residents",
            why: "club members per 100 residents: Saxon districts 14–20",
        },
    ),
    (
        Applies::Unit("1000 EUR/year"),
        Range {
            min: 5.0,
            max: 100.0,
            unit: "1000 EUR/year",
            why: "disposable income per resident: Saxon districts 20.5–23.6 thousand €; German districts about 18–45",
        },
    ),
    (
        Applies::Unit("places/person"),
        Range {
            min: 1.0,
            max: 50.0,
            unit: "places/person",
            why: "Kita places per staff member: Saxon districts 11.5–13.5",
        },
    ),
];

/// The range of an indicator: its own row, else its unit's.
pub fn indicator_range(id: &str, unit: &str) -> Option<&'static Range> {
    INDICATOR_RANGES
        .iter()
        .find(|(a, _)| matches!(a, Applies::Id(x) if *x == id))
        .or_else(|| {
            INDICATOR_RANGES
                .iter()
                .find(|(a, r)| matches!(a, Applies::Unit(u) if *u == unit) && r.unit == unit)
        })
        .map(|(_, r)| r)
}

/// An atlas value outside its plausible range, or an indicator without one.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum Implausible {
    #[error(
        "indicator {indicator} (unit {unit:?}) has no plausible range (datasets/src/plausible.rs lists one per indicator or unit)"
    )]
    NoRange { indicator: String, unit: String },
    #[error(
        "indicator {indicator}, municipality {ags} ({name}): {} {unit} is outside the plausible range {range}",
        show(*.value)
    )]
    OutOfRange {
        indicator: String,
        ags: String,
        name: String,
        value: f64,
        unit: String,
        range: String,
    },
}

/// Checks every value of every indicator against its range; the first offence is the error.
pub fn check_atlas(atlas: &Atlas) -> Result<(), Box<Implausible>> {
    for ind in &atlas.indicators {
        let Some(range) = indicator_range(&ind.meta.id, &ind.meta.unit) else {
            return Err(Box::new(Implausible::NoRange {
                indicator: ind.meta.id.clone(),
                unit: ind.meta.unit.clone(),
            }));
        };
        for (i, v) in ind.values.iter().enumerate() {
            if let Some(v) = *v
                && !range.contains(v)
            {
                let m = atlas.municipalities.get(i);
                return Err(Box::new(Implausible::OutOfRange {
                    indicator: ind.meta.id.clone(),
                    ags: m.map(|m| m.ags.clone()).unwrap_or_default(),
                    name: m.map(|m| m.name.clone()).unwrap_or_default(),
                    value: v,
                    unit: ind.meta.unit.clone(),
                    range: range.to_string(),
                }));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_ordered_and_units_match() {
        for (a, r) in INDICATOR_RANGES {
            assert!(r.min < r.max, "{a:?}");
            if let Applies::Unit(u) = a {
                assert_eq!(*u, r.unit, "{a:?}");
            }
            assert!(!r.why.is_empty());
        }
        for r in RAW_RANGES {
            assert!(r.range.min < r.range.max, "{}", r.column);
        }
    }

    #[test]
    fn contains_is_closed_and_refuses_non_finite() {
        assert!(RENT_EUR_M2.contains(2.0) && RENT_EUR_M2.contains(40.0));
        assert!(!RENT_EUR_M2.contains(-5.5));
        assert!(!RENT_EUR_M2.contains(1e300));
        assert!(!RENT_EUR_M2.contains(71.0));
        assert!(!RENT_EUR_M2.contains(f64::NAN));
        assert_eq!(RENT_EUR_M2.to_string(), "2–40 EUR/m2");
    }

    #[test]
    fn an_own_row_wins_over_the_unit_row() {
        assert_eq!(indicator_range("population", "persons"), Some(&POPULATION));
        assert_eq!(
            indicator_range("pool_distance_km", "km").unwrap().max,
            200.0
        );
        assert_eq!(indicator_range("x", "furlongs"), None);
    }

    /// The table, as documented (a change to a range shows here and must be deliberate).
    #[test]
    fn the_table_as_documented() {
        let rows: Vec<String> = INDICATOR_RANGES
            .iter()
            .map(|(a, r)| format!("{a:?}: {r}"))
            .collect();
        assert_eq!(
            rows,
            [
                "Id(\"population\"): 0–700000 persons",
                "Id(\"rent_existing_eur_m2\"): 2–40 EUR/m2",
                "Id(\"flat_size_m2\"): 20–250 m2",
                "Id(\"asking_rent_district_eur_m2\"): 2–40 EUR/m2",
                "Id(\"rent_new_lease_estimate_eur_m2\"): 2–40 EUR/m2",
                "Id(\"across_town_distance_km\"): 0.4–20 km",
                "Unit(\"km2\"): 0.1–1000 km2",
                "Unit(\"persons/km2\"): 0–5000 persons/km2",
                "Unit(\"%\"): 0–100 %",
                "Unit(\"km\"): 0–200 km",
                "Unit(\"min\"): 0–300 min",
                "Unit(\"count\"): 0–10000 count",
                "Unit(\"per 1000 residents\"): 0–100 per 1000 residents",
                "Unit(\"per 1000 children under 15\"): 0–1000 per 1000 children under 15",
                "Unit(\"per 100000 children\"): 0–2000 per 100000 children",
                "Unit(\"per 100000 residents\"): 0–5000 per 100000 residents",
                "Unit(\"per 100 residents\"): 0–100 per 100 residents",
                "Unit(\"1000 EUR/year\"): 5–100 1000 EUR/year",
                "Unit(\"places/person\"): 1–50 places/person",
            ]
        );
        let raw: Vec<String> = RAW_RANGES
            .iter()
            .map(|r| format!("{}.{}: {}", r.source, r.column, r.range))
            .collect();
        assert_eq!(
            raw,
            [
                "zensus_rent.QMMIETE: 2–40 EUR/m2",
                "zensus_rent.FLAECHE: 20–250 m2",
                "zensus_population.value: 0–700000 persons",
                "population_grid.T: 0–50000 persons per km² cell",
            ]
        );
    }

    /// The bundled atlas, read here rather than through `atlas_file` (which checks its atlases
    /// with this module: the test would tie the two modules in a circle).
    const BUNDLED_ATLAS: &str = include_str!("../../atlas/saxony.json");

    /// Every indicator of the bundled atlas has a range, and every bundled value lies in it
    /// (read without `atlas_file::parse`, which would refuse an implausible file already).
    #[test]
    fn every_bundled_indicator_has_a_range_holding_all_its_values() {
        let atlas: Atlas = serde_json::from_str(BUNDLED_ATLAS).unwrap();
        assert_eq!(atlas.indicators.len(), 95);
        for ind in &atlas.indicators {
            let r = indicator_range(&ind.meta.id, &ind.meta.unit)
                .unwrap_or_else(|| panic!("{} has no range", ind.meta.id));
            assert_eq!(r.unit, ind.meta.unit, "{}", ind.meta.id);
            for v in ind.values.iter().flatten() {
                assert!(r.contains(*v), "{}: {v} outside {r}", ind.meta.id);
            }
        }
        assert_eq!(check_atlas(&atlas), Ok(()));
    }

    #[test]
    fn a_value_outside_or_an_indicator_without_a_range_is_named() {
        let mut atlas: Atlas = serde_json::from_str(BUNDLED_ATLAS).unwrap();
        let i = atlas.index_of("14612000").unwrap();
        let rent = atlas
            .indicators
            .iter()
            .position(|x| x.meta.id == "rent_existing_eur_m2")
            .unwrap();
        atlas.indicators[rent].values[i] = Some(71.33);
        assert_eq!(
            check_atlas(&atlas).unwrap_err().to_string(),
            "indicator rent_existing_eur_m2, municipality 14612000 (Dresden): 71.33 EUR/m2 is outside the plausible range 2–40 EUR/m2"
        );
        atlas.indicators[rent].values[i] = Some(6.0);
        atlas.indicators[rent].meta.id = "rent_other".into();
        atlas.indicators[rent].meta.unit = "EUR/ft2".into();
        assert!(
            check_atlas(&atlas)
                .unwrap_err()
                .to_string()
                .contains("rent_other (unit \"EUR/ft2\") has no plausible range")
        );
    }
}

//! The criteria table: what lotse scores, from which atlas indicators, with which curve and why.
//!
//! This file is the one place where curves, breakpoints, default weights and the fixed
//! parameters (detour factor, speeds, space rule, coverage threshold) live; change them here
//! only. Every breakpoint carries its evidence (see `shared/DOMAIN.md`), and [`table`] serves the
//! whole of it as data, so the CLI, the API and the README can show a user exactly why a
//! utility is what it is.
//!
//! A criterion is either
//! - **indicator-based**: one or more [`Part`]s, each reading one atlas indicator through one
//!   curve (a different one with and without a car, because the car changes the distance scale
//!   of reachability); the scored parts are combined as a weighted mean of those present
//!   ([`Combine::Mean`]). A part whose data covers only part of the state ([`Coverage::Local`]:
//!   Kita points, playgrounds) has [`Role::Shown`]: explained beside the score, never scored,
//!   so every municipality is scored on the same indicators;
//! - **computed per profile**: affordability (rent × space against budget and income), commute
//!   (distance to the workplace) and town size (against the preferred size).
//!
//! Files: `spec` the shapes (criterion, part, measure, parameter), `params` the fixed
//! parameters, `curves` the utility curves, `table` the rows, `plain` words instead of figures
//! (strength and weakness bands, plain names); this module serves the whole as [`table()`].

mod curves;
mod params;
mod plain;
pub mod ranges;
mod spec;
mod table;

use crate::curve::Curve;
pub use crate::vocab::{AgeBand, TOWN_SIZE_BOUNDS};
pub use curves::*;
pub use params::*;
pub use plain::{PlainName, PlainNames, STRENGTHS, Strengths, plain_name};
pub use ranges::{FieldRange, PROFILE_RANGES};
use serde::Serialize;
pub use spec::*;
use std::sync::OnceLock;
pub use table::{CRITERIA, Criterion, CriterionSpec, FACILITIES};

/// The whole table as data: parameters, curves with breakpoints and reasons, criteria with
/// their parts and default weights.
#[derive(Clone, Copy, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Table {
    pub params: &'static [Param],
    pub curves: &'static [&'static Curve],
    pub criteria: &'static [CriterionSpec],
    pub town_size_bounds: [f64; 3],
    /// The facility categories a `must.within_km` limit may name, with their names.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Facility>))]
    pub facilities: Facilities,
    /// The allowed range of every number of a profile.
    pub profile_ranges: &'static [FieldRange],
    /// Where no strength makes up for a weakness: the commute limit and essential criteria.
    pub veto: Veto,
    /// When a criterion is a strength or a weakness of a town, in words.
    pub strengths: Strengths,
    /// Each criterion's name in plain language: `{id: {de, en}}`.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub plain_names: PlainNames,
}

/// A facility category and its names, as [`Table::facilities`] serves it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facility {
    /// The id `must.within_km` takes, e.g. `indoor_pool`.
    pub id: &'static str,
    pub label_de: &'static str,
    pub label_en: &'static str,
}

/// [`FACILITIES`] serialised as a list of [`Facility`].
#[derive(Clone, Copy, Debug)]
pub struct Facilities(pub &'static [(&'static str, &'static str, &'static str)]);

impl Serialize for Facilities {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|&(id, label_de, label_en)| Facility {
            id,
            label_de,
            label_en,
        }))
    }
}

/// The criteria table, for `lotse criteria`, the API and the README.
pub fn table() -> Table {
    Table {
        params: PARAMS,
        curves: served_curves(),
        criteria: &CRITERIA,
        town_size_bounds: TOWN_SIZE_BOUNDS,
        facilities: Facilities(FACILITIES),
        profile_ranges: PROFILE_RANGES,
        veto: VETO,
        strengths: STRENGTHS,
        plain_names: PlainNames,
    }
}

/// The curves the table serves: [`CURVES`] in its order, then any curve a criterion uses that
/// the list does not hold (a new criterion's curve written inline in its row), in table order.
fn served_curves() -> &'static [&'static Curve] {
    static SERVED: OnceLock<Vec<&'static Curve>> = OnceLock::new();
    SERVED.get_or_init(|| {
        let mut out: Vec<&'static Curve> = CURVES.to_vec();
        let used = CRITERIA.iter().flat_map(|s| {
            s.parts
                .iter()
                .flat_map(|p| [p.with_car.curve, p.without_car.curve])
                .chain(s.curves.iter().copied())
        });
        for c in used {
            if !out.iter().any(|x| x.id == c.id) {
                out.push(c);
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_consistent() {
        for (i, c) in Criterion::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
            assert_eq!(CRITERIA[i].criterion, *c, "row {i} out of order");
            assert_eq!(Criterion::from_id(c.id()), Some(*c));
            let s = c.spec();
            assert!((0.0..=5.0).contains(&s.default_weight));
            assert!((0.0..=5.0).contains(&s.default_weight_without_car));
            assert_eq!(
                s.combine == Combine::Computed,
                s.parts.is_empty(),
                "{}",
                s.id
            );
            // Every household situation scores an indicator-based criterion on at least one
            // scored part.
            for children in [false, true] {
                for band in [AgeBand::Under3, AgeBand::From3To6] {
                    let scored = s.parts.iter().any(|p| {
                        p.scored()
                            && (children || !p.only_with_children)
                            && p.band.is_none_or(|b| b == band)
                    });
                    assert!(scored || s.parts.is_empty(), "{} {band:?}", s.id);
                }
            }
            for p in s.parts {
                assert!(p.weight > 0.0);
                // Data for part of the state is shown, never scored (one measure per
                // criterion for every municipality), and says so in both languages.
                assert_eq!(p.coverage == Coverage::Local, !p.scored(), "{}", p.id);
                assert_eq!(
                    p.coverage == Coverage::Statewide,
                    p.coverage_note.is_empty() && p.coverage_note_de.is_empty(),
                    "{}",
                    p.id
                );
                for car in [true, false] {
                    let m = p.measure(car);
                    assert!(!m.indicators.is_empty());
                    assert!(
                        served_curves().contains(&m.curve),
                        "curve {} of {} not served",
                        m.curve.id,
                        p.id
                    );
                }
            }
        }
        // Every curve served (the list, then any written inline in a row) is sound, with a
        // unique id.
        for c in served_curves() {
            c.check().unwrap();
        }
        let mut ids: Vec<&str> = served_curves().iter().map(|c| c.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), served_curves().len(), "duplicate curve id");
    }

    #[test]
    fn table_serialises() {
        let json = serde_json::to_string(&table()).unwrap();
        assert!(json.contains("Walk Score"));
        assert!(json.contains("\"childcare\""));
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            v["facilities"][7],
            serde_json::json!({"id": "indoor_pool", "label_de": "Hallenbad", "label_en": "indoor pool"})
        );
        assert_eq!(
            v["criteria"][0]["switch_on"],
            serde_json::json!({"when": "child_aged", "min_age": 0, "max_age": 6})
        );
        assert_eq!(
            v["criteria"][4]["switch_on"]["any_of"],
            serde_json::json!(["rent_budget_eur", "income_eur"])
        );
        assert_eq!(
            v["criteria"][6]["switch_on"],
            serde_json::json!({"when": "always"})
        );
        // The veto rule, with the numbers the ranking applies: the commute limit at the
        // commute curve's zero point, the essential floor.
        assert_eq!(v["veto"]["commute_default_min"], 60.0);
        assert_eq!(COMMUTE_MIN.eval(VETO.commute_default_min), 0.0);
        assert_eq!(v["veto"]["essential_floor"], ESSENTIAL_FLOOR.value);
        assert!(v["veto"]["rule_en"].as_str().unwrap().contains("essential"));
        assert!(
            v["veto"]["rule_de"]
                .as_str()
                .unwrap()
                .contains("unverzichtbar")
        );
        let adults = &v["profile_ranges"][0];
        assert_eq!(
            (adults["field"].as_str(), adults["min"].as_f64()),
            (Some("adults"), Some(1.0))
        );
    }

    #[test]
    fn profile_ranges_are_what_validation_enforces() {
        use crate::profile::Profile;
        let mut seen = Vec::new();
        for r in PROFILE_RANGES {
            assert!(r.min <= r.max && !seen.contains(&r.field), "{}", r.field);
            seen.push(r.field);
        }
        // One step past each end of a range is refused, naming the range in words.
        type Setter = fn(&mut Profile, f64);
        let cases: [(&FieldRange, Setter); 4] = [
            (&ranges::RENT_BUDGET_EUR, |p, v| p.rent_budget_eur = Some(v)),
            (&ranges::INCOME_EUR, |p, v| p.income_eur = Some(v)),
            (&ranges::LIVING_SPACE_M2, |p, v| p.living_space_m2 = Some(v)),
            (&ranges::ADULTS, |p, v| p.adults = v as u32),
        ];
        for (range, set) in cases {
            for (v, ok) in [
                (range.min, true),
                (range.max, true),
                (range.max + 1.0, false),
            ] {
                let mut p = Profile::new(2);
                set(&mut p, v);
                match p.validate() {
                    Ok(()) => assert!(ok, "{} = {v} accepted", range.field),
                    Err(e) => {
                        assert!(!ok, "{} = {v} refused: {e}", range.field);
                        assert!(e.to_string().contains(range.allowed), "{e}");
                    }
                }
            }
        }
    }

    #[test]
    fn switch_on_rules_agree_with_their_words() {
        for c in Criterion::ALL {
            let s = c.spec();
            match s.switch_on {
                SwitchOn::Always => assert!(s.switched_on_when.starts_with("always"), "{}", s.id),
                SwitchOn::ChildAged { min_age, max_age } => {
                    assert!(min_age <= max_age && max_age <= ranges::CHILD_AGE.max as u32);
                    assert!(s.switched_on_when.starts_with("a child is"), "{}", s.id);
                }
                SwitchOn::Given { any_of, code, .. } => {
                    assert_eq!(s.combine, Combine::Computed, "{}", s.id);
                    assert!(code.starts_with(s.id), "{code}");
                    for i in any_of {
                        let name = serde_json::to_value(i).unwrap();
                        assert!(
                            s.switched_on_when.contains(name.as_str().unwrap()),
                            "{}",
                            s.id
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn curve_breakpoints_match_the_evidence() {
        // Walk Score: full at a 5-minute walk, none at 30 minutes.
        assert_eq!(KITA_WALK.eval(0.3), 100.0);
        assert_eq!(KITA_WALK.eval(2.5), 0.0);
        // IW 2023: 7 car minutes to the Grundschule is the 95th percentile → half the points.
        assert_eq!(PRIMARY_CAR_MIN.eval(7.0), 50.0);
        // Commute: full to 20 minutes, none at an hour.
        assert_eq!(COMMUTE_MIN.eval(20.0), 100.0);
        assert_eq!(COMMUTE_MIN.eval(60.0), 0.0);
        assert!(COMMUTE_MIN.eval(45.0) > 0.0 && COMMUTE_MIN.eval(45.0) < 75.0);
        // Budget: exactly at budget is affordable but has no slack.
        assert_eq!(RENT_BUDGET_RATIO.eval(1.0), 70.0);
        assert_eq!(RENT_BUDGET_RATIO.eval(0.5), 100.0);
        // MKRO: 30 car minutes to a Mittelzentrum.
        assert_eq!(CENTRE_CAR_MIN.eval(30.0), 25.0);
        // Transit access: the share itself.
        assert_eq!(TRANSIT_SHARE.eval(87.0), 87.0);
    }
}

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
//!   of reachability); parts are combined as a weighted mean of those present
//!   ([`Combine::Mean`], e.g. leisure) or by taking the first present part in order
//!   ([`Combine::Fallback`], childcare: Kita distance where mapped, else the district care rate);
//! - **computed per profile**: affordability (rent × space against budget and income), commute
//!   (distance to the workplace) and town size (against the preferred size).
//!
//! Files: [`spec`] the shapes (criterion, part, measure, parameter), [`params`] the fixed
//! parameters, [`curves`] the utility curves, [`table`] the rows; this module serves the whole
//! as [`table()`].

mod curves;
mod params;
mod spec;
mod table;

use crate::curve::Curve;
pub use crate::vocab::{AgeBand, TOWN_SIZE_BOUNDS};
pub use curves::*;
pub use params::*;
use serde::Serialize;
pub use spec::*;
pub use table::{CRITERIA, FACILITIES};

/// The whole table as data: parameters, curves with breakpoints and reasons, criteria with
/// their parts and default weights.
#[derive(Clone, Copy, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Table {
    pub params: &'static [Param],
    pub curves: &'static [&'static Curve],
    pub criteria: &'static [CriterionSpec],
    pub town_size_bounds: [f64; 3],
}

/// The criteria table, for `lotse criteria`, the API and the README.
pub fn table() -> Table {
    Table {
        params: PARAMS,
        curves: CURVES,
        criteria: &CRITERIA,
        town_size_bounds: TOWN_SIZE_BOUNDS,
    }
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
            for p in s.parts {
                assert!(p.weight > 0.0);
                for car in [true, false] {
                    let m = p.measure(car);
                    assert!(!m.indicators.is_empty());
                    assert!(
                        CURVES
                            .iter()
                            .any(|c| std::ptr::eq(*c, m.curve) || *c == m.curve),
                        "curve {} of {} not listed",
                        m.curve.id,
                        p.id
                    );
                }
            }
        }
        for c in CURVES {
            c.check().unwrap();
        }
        let mut ids: Vec<&str> = CURVES.iter().map(|c| c.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), CURVES.len(), "duplicate curve id");
    }

    #[test]
    fn table_serialises() {
        let json = serde_json::to_string(&table()).unwrap();
        assert!(json.contains("Walk Score"));
        assert!(json.contains("\"childcare\""));
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

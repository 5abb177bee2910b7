//! Utility curves: an absolute mapping from a raw figure (km, minutes, %, a ratio) to 0–100.
//!
//! Absolute, not min–max over the current set of municipalities: a score then means the same
//! tomorrow, in another region and after a data update. Every curve is a short list of
//! breakpoints, each one a place where the evidence says something (a 5-minute walk, the
//! 95th percentile of school trips, the planning norm for a Mittelzentrum); between them the
//! utility moves linearly, outside them it stays at the end value. A person can check a
//! utility with a ruler.

use serde::Serialize;

/// One breakpoint: at raw value `x` the utility is `utility`, because of `why`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Breakpoint {
    pub x: f64,
    pub utility: f64,
    /// The evidence or reasoning behind this point, in one line.
    pub why: &'static str,
}

/// A piecewise-linear, monotone utility curve.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Curve {
    /// Stable id, e.g. `walk_daily`, shown in the criteria table.
    pub id: &'static str,
    /// Unit of the raw value the curve reads.
    pub unit: &'static str,
    /// Breakpoints in strictly ascending `x`; utilities must be monotone (all non-increasing or
    /// all non-decreasing), which a unit test checks for every curve of the table.
    pub points: &'static [Breakpoint],
    /// Why the curve has this shape, as a whole.
    pub reason: &'static str,
}

impl Curve {
    /// Utility (0–100) of a raw value. Below the first breakpoint the first utility holds, above
    /// the last the last; in between linear interpolation. A non-finite input has no utility.
    #[inline]
    pub fn eval(&self, x: f64) -> f64 {
        let p = self.points;
        if x.is_nan() {
            return f64::NAN;
        }
        if x <= p[0].x {
            return p[0].utility;
        }
        for w in p.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            if x <= b.x {
                let t = (x - a.x) / (b.x - a.x);
                return a.utility + t * (b.utility - a.utility);
            }
        }
        p[p.len() - 1].utility
    }

    /// True when a larger raw value never gives a lower utility.
    pub fn increasing(&self) -> bool {
        self.points.first().map(|p| p.utility) <= self.points.last().map(|p| p.utility)
    }

    /// Checks the invariants the table relies on: at least two points, ascending x, utilities
    /// within 0–100 and monotone in one direction.
    pub fn check(&self) -> Result<(), String> {
        if self.points.len() < 2 {
            return Err(format!("curve {} needs at least two breakpoints", self.id));
        }
        let inc = self.increasing();
        for w in self.points.windows(2) {
            if w[0].x.partial_cmp(&w[1].x) != Some(std::cmp::Ordering::Less) {
                return Err(format!("curve {}: x not strictly ascending", self.id));
            }
            let ok = if inc {
                w[0].utility <= w[1].utility
            } else {
                w[0].utility >= w[1].utility
            };
            if !ok {
                return Err(format!("curve {}: utility not monotone", self.id));
            }
        }
        for p in self.points {
            if !(0.0..=100.0).contains(&p.utility) {
                return Err(format!(
                    "curve {}: utility {} outside 0–100",
                    self.id, p.utility
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const C: Curve = Curve {
        id: "t",
        unit: "km",
        points: &[
            Breakpoint {
                x: 1.0,
                utility: 100.0,
                why: "",
            },
            Breakpoint {
                x: 2.0,
                utility: 50.0,
                why: "",
            },
            Breakpoint {
                x: 4.0,
                utility: 0.0,
                why: "",
            },
        ],
        reason: "",
    };

    #[test]
    fn clamps_outside_and_interpolates_inside() {
        assert_eq!(C.eval(-3.0), 100.0);
        assert_eq!(C.eval(1.0), 100.0);
        assert_eq!(C.eval(1.5), 75.0);
        assert_eq!(C.eval(2.0), 50.0);
        assert_eq!(C.eval(3.0), 25.0);
        assert_eq!(C.eval(4.0), 0.0);
        assert_eq!(C.eval(400.0), 0.0);
        assert!(C.eval(f64::NAN).is_nan());
        assert!(!C.increasing());
        C.check().unwrap();
    }

    #[test]
    fn check_rejects_bad_curves() {
        let bad = Curve {
            id: "bad",
            unit: "",
            points: &[
                Breakpoint {
                    x: 1.0,
                    utility: 0.0,
                    why: "",
                },
                Breakpoint {
                    x: 2.0,
                    utility: 80.0,
                    why: "",
                },
                Breakpoint {
                    x: 3.0,
                    utility: 10.0,
                    why: "",
                },
            ],
            reason: "",
        };
        assert!(bad.check().is_err());
    }
}

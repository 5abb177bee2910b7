//! Travel-time estimates: one-way minutes from a crow-flies distance, by car or without one.
//!
//! There is no routing or timetable data here, so every minute figure lotse shows for a
//! commute is an estimate, labelled as one. This module is the one place the model lives: the
//! commute utilities, the commute limit and the sentences all read [`minutes`].
//!
//! By car the minutes follow [`CarCurve`]: a speed that rises with distance (town streets on a
//! short trip, country roads and motorway on a long one), its parameters fitted on the official
//! routed car minutes the atlas carries ([`fit`]; the method, the fit error per distance band
//! and the limits are in `docs/travel-times.md`). Without a car, [`transit::TransitModel`]: bus,
//! or the regional train between the stations nearest the two ends, whichever is faster.
//!
//! Units: distances in km crow-flies (great circle; the road-distance estimate shown beside the
//! minutes is crow-flies × the detour factor), times in minutes, one way.

pub mod fit;
pub mod transit;

use crate::criteria::{
    CAR_SPEED_FAR_KMH, CAR_SPEED_NEAR_KMH, CAR_SPEED_RISE_KM, CAR_START_MIN, DETOUR_FACTOR,
    EARTH_RADIUS_KM,
};
use transit::{RailLeg, TransitModel};

/// Car minutes as a function of crow-flies distance `d` (km): a start time, then a marginal
/// pace (minutes per km) that falls from `60 / speed_near_kmh` at the start towards
/// `60 / speed_far_kmh` with the length scale `rise_km`:
///
/// `t(d) = start_min + p_far·d + (p_near − p_far)·rise_km·(1 − e^(−d / rise_km))`
///
/// The marginal speed thus rises from town speed to the long-distance speed and never beyond
/// it, so the curve extrapolates past the longest calibration trip (about 25 km) at the
/// long-distance speed instead of growing without bound.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CarCurve {
    /// Minutes at distance 0 (getting to the car and away, the first turns).
    pub start_min: f64,
    /// Marginal crow-flies speed at the start (km/h).
    pub speed_near_kmh: f64,
    /// Length scale (km) over which the marginal speed approaches the far speed.
    pub rise_km: f64,
    /// Marginal crow-flies speed far away (km/h).
    pub speed_far_kmh: f64,
}

impl CarCurve {
    /// The curve lotse ships: the parameters in [`crate::criteria::params`], which a test
    /// refits on the bundled atlas.
    pub const SHIPPED: CarCurve = CarCurve {
        start_min: CAR_START_MIN.value,
        speed_near_kmh: CAR_SPEED_NEAR_KMH.value,
        rise_km: CAR_SPEED_RISE_KM.value,
        speed_far_kmh: CAR_SPEED_FAR_KMH.value,
    };

    /// Estimated one-way car minutes for a crow-flies distance in km.
    pub fn minutes(&self, crow_km: f64) -> f64 {
        let d = crow_km.max(0.0);
        let p_near = 60.0 / self.speed_near_kmh;
        let p_far = 60.0 / self.speed_far_kmh;
        self.start_min
            + p_far * d
            + (p_near - p_far) * self.rise_km * (1.0 - (-d / self.rise_km).exp())
    }

    /// Average door-to-door crow-flies speed (km/h) over a trip of `crow_km`.
    pub fn average_speed_kmh(&self, crow_km: f64) -> f64 {
        crow_km * 60.0 / self.minutes(crow_km)
    }
}

/// Estimated road distance (km) for a crow-flies distance: what the sentences show and the
/// `max_commute_km` limit reads.
pub fn road_km(crow_km: f64) -> f64 {
    crow_km * DETOUR_FACTOR.value
}

/// Estimated one-way minutes for a crow-flies distance of `crow_km`: by car ([`CarCurve`]), or
/// by public transport ([`TransitModel`]: bus, or the train over `rail` when that is faster).
pub fn minutes(crow_km: f64, car: bool, rail: Option<&RailLeg>) -> f64 {
    if car {
        CarCurve::SHIPPED.minutes(crow_km)
    } else {
        TransitModel::SHIPPED.estimate(crow_km, rail).minutes
    }
}

/// Great-circle distance in km between two WGS84 points (haversine).
pub fn crow_km(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    let (la1, la2) = (lat1.to_radians(), lat2.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lon2 - lon1).to_radians() / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM.value * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn car_speed_rises_with_distance_and_stays_below_the_far_speed() {
        let c = CarCurve::SHIPPED;
        let mut last = 0.0;
        for d in [1.0, 2.0, 5.0, 10.0, 20.0, 40.0, 80.0, 160.0] {
            let v = c.average_speed_kmh(d);
            assert!(v > last, "average speed at {d} km is {v}, not above {last}");
            assert!(v < c.speed_far_kmh);
            last = v;
        }
        assert!((c.minutes(0.0) - c.start_min).abs() < 1e-12);
        assert_eq!(c.minutes(-1.0), c.start_min);
    }

    #[test]
    fn without_a_car_the_bus_runs_where_there_is_no_train() {
        let t = TransitModel::SHIPPED;
        assert_eq!(minutes(10.0, false, None), t.bus_minutes(10.0));
        // Dresden–Leipzig centres: 101.8 km on the haversine.
        let d = crow_km(13.7372, 51.0504, 12.3731, 51.3397);
        assert!((d - 101.8).abs() < 1.5, "{d}");
    }
}

//! Travel-time estimates: minutes from a road-distance estimate, by car or without one.
//!
//! There is no routing or timetable data here, so every minute figure lotse shows for a
//! commute is an estimate, labelled as one. This module is the one place the model lives: the
//! commute utilities, the commute limit and the sentences all read [`minutes`].
//!
//! Units: distances in km (road-distance estimate = crow-flies × the detour factor), times in
//! minutes, one way.

use crate::criteria::{CAR_SPEED_KMH, TRANSIT_SPEED_KMH};

/// Door-to-door speed assumed for the commute (km/h of road distance): by car, or by bus and
/// train without one.
pub fn speed_kmh(car: bool) -> f64 {
    if car {
        CAR_SPEED_KMH.value
    } else {
        TRANSIT_SPEED_KMH.value
    }
}

/// Estimated one-way minutes for an estimated road distance of `road_km`.
pub fn minutes(road_km: f64, car: bool) -> f64 {
    road_km * 60.0 / speed_kmh(car)
}

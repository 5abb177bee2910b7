//! Minutes without a car: by bus straight to the destination, or by regional train between the
//! stations of the two ends with the way to and from them, whichever is faster.
//!
//! No timetable is used. The wait and the bus speed are fitted on the official public-transport
//! minutes to the nearest central place (`transit_min_central_place`, Deutschlandatlas
//! `p_ozmz_oev`, see [`super::fit::fit_transit`]); the train speed and the walking speed are
//! documented figures, since trips to the nearest central place are short and seldom by train.

use crate::criteria::{BUS_SPEED_KMH, RAIL_SPEED_KMH, TRANSIT_WAIT_MIN, WALK_SPEED_KMH};

/// The parameters of the public-transport estimate (speeds in crow-flies km/h).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TransitModel {
    /// Minutes for getting to a stop and waiting, once per trip and again for a feeder bus.
    pub wait_min: f64,
    pub bus_speed_kmh: f64,
    /// Between stations, regional trains.
    pub rail_speed_kmh: f64,
    /// Walking to or from a station.
    pub walk_speed_kmh: f64,
}

/// The rail option of a trip: how far each end lives from its station and how far apart the
/// stations are (crow-flies km).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RailLeg {
    /// Mean distance of the home municipality's residents to their nearest station.
    pub access_km: f64,
    /// From the workplace to its station.
    pub egress_km: f64,
    /// Between the two stations.
    pub between_km: f64,
}

/// The estimate and which way it takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TransitEstimate {
    pub minutes: f64,
    /// Whether the train is faster than the bus.
    pub by_rail: bool,
}

impl TransitModel {
    /// The model lotse ships (the parameters in [`crate::criteria::params`]).
    pub const SHIPPED: TransitModel = TransitModel {
        wait_min: TRANSIT_WAIT_MIN.value,
        bus_speed_kmh: BUS_SPEED_KMH.value,
        rail_speed_kmh: RAIL_SPEED_KMH.value,
        walk_speed_kmh: WALK_SPEED_KMH.value,
    };

    /// Minutes by bus over `crow_km`: a wait, then the bus.
    pub fn bus_minutes(&self, crow_km: f64) -> f64 {
        self.wait_min + crow_km.max(0.0) * 60.0 / self.bus_speed_kmh
    }

    /// Minutes to cover the way to or from a station: on foot or by a feeder bus, the faster.
    pub fn station_way_minutes(&self, km: f64) -> f64 {
        let km = km.max(0.0);
        (km * 60.0 / self.walk_speed_kmh).min(self.bus_minutes(km))
    }

    /// Minutes by train: the way to the station, a wait, the train, the way from the station.
    pub fn rail_minutes(&self, leg: &RailLeg) -> f64 {
        self.station_way_minutes(leg.access_km)
            + self.wait_min
            + leg.between_km.max(0.0) * 60.0 / self.rail_speed_kmh
            + self.station_way_minutes(leg.egress_km)
    }

    /// The faster of bus over `crow_km` and the train (when both ends have a station).
    pub fn estimate(&self, crow_km: f64, rail: Option<&RailLeg>) -> TransitEstimate {
        let bus = self.bus_minutes(crow_km);
        match rail.map(|leg| self.rail_minutes(leg)) {
            Some(train) if train < bus => TransitEstimate {
                minutes: train,
                by_rail: true,
            },
            _ => TransitEstimate {
                minutes: bus,
                by_rail: false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: TransitModel = TransitModel {
        wait_min: 10.0,
        bus_speed_kmh: 30.0,
        rail_speed_kmh: 60.0,
        walk_speed_kmh: 3.0,
    };

    #[test]
    fn the_train_wins_far_away_and_the_bus_close_by() {
        let leg = RailLeg {
            access_km: 1.0,
            egress_km: 0.5,
            between_km: 60.0,
        };
        let far = M.estimate(60.0, Some(&leg));
        assert!(far.by_rail);
        // Walk 1 km (20 min) or bus (12 min): 12; wait 10; train 60; walk 0.5 km: 10.
        assert!((far.minutes - 92.0).abs() < 1e-9, "{far:?}");
        let near_leg = RailLeg {
            between_km: 3.0,
            ..leg
        };
        let near = M.estimate(3.0, Some(&near_leg));
        assert!(!near.by_rail);
        assert_eq!(near.minutes, 16.0);
        assert_eq!(M.estimate(60.0, None).minutes, 130.0);
    }
}

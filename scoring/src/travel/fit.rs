//! Fitting the car curve on official routed minutes, and measuring its error.
//!
//! The atlas carries, per municipality, both lotse's own population-weighted crow-flies
//! distances to facilities (from their points and the 1 km population grid) and the official
//! routed car minutes to the same kind of facility (Deutschlandatlas, Thünen and BBSR
//! accessibility models on the real road network, averaged over where people live). Each
//! municipality thus gives pairs (crow-flies km, routed minutes); [`car_pairs`] collects them,
//! [`fit_car`] fits [`CarCurve`] by least squares, and [`band_errors`] reports the error per
//! distance band. A test refits on the bundled atlas and checks the shipped parameters are the
//! fit's; `docs/travel-times.md` gives the same table.

use super::transit::{RailLeg, TransitModel};
use super::{CarCurve, crow_km};
use crate::atlas::Atlas;

/// One calibration pair: a municipality's population-weighted crow-flies distance to the
/// nearest facility of a kind, and the official routed car minutes to the nearest one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pair {
    /// Which pairing (see [`PAIRINGS`]).
    pub pairing: &'static str,
    /// Row of the municipality in the atlas.
    pub row: usize,
    pub crow_km: f64,
    pub minutes: f64,
}

/// A pairing of lotse's distances with official minutes to the same kind of destination.
#[derive(Clone, Copy, Debug)]
pub struct Pairing {
    pub id: &'static str,
    /// Distance indicators; the nearest of them is the distance (Sek I: Oberschule or
    /// Gymnasium, whichever is nearer).
    pub distance: &'static [&'static str],
    /// The official routed car minutes.
    pub minutes: &'static str,
    /// Why the two measure the same trip.
    pub why: &'static str,
}

/// The pairings the fit uses. Not used: `pool_distance_km` (indoor and outdoor pools mixed,
/// while the official minutes are per kind), outdoor pools (seasonal, and the official list
/// differs from the pool register), supermarkets, GPs, pharmacies and emergency rooms (the
/// atlas has no points for them), and the distance to the nearest Oberzentrum (the official
/// minutes are to the nearest Ober- *or* Mittelzentrum).
pub const PAIRINGS: &[Pairing] = &[
    Pairing {
        id: "primary_school",
        distance: &["primary_school_distance_km"],
        minutes: "car_min_primary_school",
        why: "Grundschulen: the state school database and Thünen's list (`p_grunds`) are both \
              complete for Saxony",
    },
    Pairing {
        id: "secondary_1",
        distance: &["oberschule_distance_km", "gymnasium_distance_km"],
        minutes: "car_min_secondary_1",
        why: "Sekundarstufe I (`p_sek_1`) is taught at Oberschulen and Gymnasien in Saxony; the \
              nearer of the two",
    },
    Pairing {
        id: "indoor_pool",
        distance: &["indoor_pool_distance_km"],
        minutes: "car_min_indoor_pool",
        why: "indoor pools (`p_hbad`) against the indoor pools of the pool register",
    },
    Pairing {
        id: "central_place",
        distance: &["mittelzentrum_distance_km"],
        minutes: "car_min_central_place",
        why: "the nearest Ober- or Mittelzentrum (`p_ozmz_miv`, per municipal association: every \
              member carries its association's value) against lotse's distance to the nearest \
              central place of the LEP 2013",
    },
];

/// A pair faster than this on a straight line (km/h) cannot be the same trip: one source has a
/// facility the other lacks. Such pairs are left out of the fit and the error table. 130 km/h
/// is the advisory speed on German motorways (Autobahn-Richtgeschwindigkeits-Verordnung), and
/// a road is never shorter than the straight line.
pub const MAX_PLAUSIBLE_CROW_SPEED_KMH: f64 = 130.0;

/// The calibration pairs of an atlas: every municipality with both values, for every pairing,
/// except pairs faster than [`MAX_PLAUSIBLE_CROW_SPEED_KMH`] (see [`implausible_pairs`]).
pub fn car_pairs(atlas: &Atlas) -> Vec<Pair> {
    all_pairs(atlas).into_iter().filter(plausible).collect()
}

/// The pairs left out of the fit as not the same trip.
pub fn implausible_pairs(atlas: &Atlas) -> Vec<Pair> {
    all_pairs(atlas)
        .into_iter()
        .filter(|p| !plausible(p))
        .collect()
}

fn plausible(p: &Pair) -> bool {
    p.minutes > 0.0 && p.crow_km * 60.0 / p.minutes <= MAX_PLAUSIBLE_CROW_SPEED_KMH
}

fn all_pairs(atlas: &Atlas) -> Vec<Pair> {
    let mut out = Vec::new();
    for pairing in PAIRINGS {
        let Some(minutes) = atlas.indicator(pairing.minutes) else {
            continue;
        };
        let distances: Vec<_> = pairing
            .distance
            .iter()
            .filter_map(|id| atlas.indicator(id))
            .collect();
        if distances.len() != pairing.distance.len() {
            continue;
        }
        for row in 0..atlas.municipalities.len() {
            let Some(t) = minutes.values[row] else {
                continue;
            };
            let d = distances
                .iter()
                .map(|ind| ind.values[row])
                .try_fold(f64::INFINITY, |m, v| v.map(|v| m.min(v)));
            if let Some(d) = d {
                out.push(Pair {
                    pairing: pairing.id,
                    row,
                    crow_km: d,
                    minutes: t,
                });
            }
        }
    }
    out
}

/// Sum of squared errors (minutes²) of a curve over pairs.
pub fn squared_error(curve: &CarCurve, pairs: &[Pair]) -> f64 {
    pairs
        .iter()
        .map(|p| {
            let e = curve.minutes(p.crow_km) - p.minutes;
            e * e
        })
        .sum()
}

/// Least-squares fit of [`CarCurve`] on pairs: Nelder–Mead over (start minutes, ln near
/// speed, ln rise length, ln far speed), so the speeds and the length stay positive, restarted
/// from its own best point until it no longer improves. Deterministic: the same pairs give the
/// same curve.
pub fn fit_car(pairs: &[Pair]) -> CarCurve {
    let to_curve = |x: &[f64; 4]| CarCurve {
        start_min: x[0],
        speed_near_kmh: x[1].exp(),
        rise_km: x[2].exp(),
        speed_far_kmh: x[3].exp(),
    };
    // Start: 2 minutes, 20 km/h in town, 5 km, 60 km/h far: round values near the data.
    let x = minimise(
        &|x: &[f64; 4]| squared_error(&to_curve(x), pairs),
        [2.0, 20f64.ln(), 5f64.ln(), 60f64.ln()],
        [0.5, 0.2, 0.3, 0.2],
    );
    to_curve(&x)
}

/// The same fit with the far speed held at `speed_far_kmh`: how much worse the fit gets when
/// the far speed is set rather than fitted (the profile `docs/travel-times.md` reports).
pub fn fit_car_with_far_speed(pairs: &[Pair], speed_far_kmh: f64) -> CarCurve {
    let to_curve = |x: &[f64; 3]| CarCurve {
        start_min: x[0],
        speed_near_kmh: x[1].exp(),
        rise_km: x[2].exp(),
        speed_far_kmh,
    };
    let x = minimise(
        &|x: &[f64; 3]| squared_error(&to_curve(x), pairs),
        [2.0, 20f64.ln(), 5f64.ln()],
        [0.5, 0.2, 0.3],
    );
    to_curve(&x)
}

/// Nelder–Mead from `x0`, restarted from its best point until a restart no longer improves.
fn minimise<const N: usize>(
    f: &dyn Fn(&[f64; N]) -> f64,
    x0: [f64; N],
    step: [f64; N],
) -> [f64; N] {
    let mut best = x0;
    let mut best_cost = f(&best);
    for _ in 0..20 {
        let (x, c) = nelder_mead(f, best, step, 4000);
        let improved = c < best_cost - 1e-9 * best_cost.max(1.0);
        best = x;
        best_cost = c;
        if !improved {
            break;
        }
    }
    best
}

/// Minimises `f` from `x0` with initial steps `step`; returns the best point and its value.
fn nelder_mead<const N: usize>(
    f: &dyn Fn(&[f64; N]) -> f64,
    x0: [f64; N],
    step: [f64; N],
    iterations: usize,
) -> ([f64; N], f64) {
    let mut simplex: Vec<([f64; N], f64)> = Vec::with_capacity(N + 1);
    simplex.push((x0, f(&x0)));
    for j in 0..N {
        let mut x = x0;
        x[j] += step[j];
        simplex.push((x, f(&x)));
    }
    let lerp = |a: &[f64; N], b: &[f64; N], t: f64| -> [f64; N] {
        let mut out = [0.0; N];
        for j in 0..N {
            out[j] = a[j] + t * (b[j] - a[j]);
        }
        out
    };
    for _ in 0..iterations {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let spread = simplex[N].1 - simplex[0].1;
        if spread <= 1e-12 * simplex[0].1.abs().max(1e-12) {
            break;
        }
        let mut centroid = [0.0; N];
        for (x, _) in &simplex[..N] {
            for j in 0..N {
                centroid[j] += x[j] / N as f64;
            }
        }
        let worst = simplex[N].0;
        let reflected = lerp(&centroid, &worst, -1.0);
        let fr = f(&reflected);
        if fr < simplex[0].1 {
            let expanded = lerp(&centroid, &worst, -2.0);
            let fe = f(&expanded);
            simplex[N] = if fe < fr {
                (expanded, fe)
            } else {
                (reflected, fr)
            };
        } else if fr < simplex[N - 1].1 {
            simplex[N] = (reflected, fr);
        } else {
            let contracted = lerp(&centroid, &worst, 0.5);
            let fc = f(&contracted);
            if fc < simplex[N].1 {
                simplex[N] = (contracted, fc);
            } else {
                let best = simplex[0].0;
                for v in simplex.iter_mut().skip(1) {
                    let x = lerp(&best, &v.0, 0.5);
                    *v = (x, f(&x));
                }
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    simplex[0]
}

/// The distance bands (crow-flies km) the error is reported in.
pub const BANDS_KM: [(f64, f64); 5] = [
    (0.0, 2.0),
    (2.0, 5.0),
    (5.0, 10.0),
    (10.0, 20.0),
    (20.0, 40.0),
];

/// The error of estimated against official minutes in one distance band.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BandError {
    /// Crow-flies km, from (inclusive) and to (exclusive).
    pub from_km: f64,
    pub to_km: f64,
    /// Pairs in the band.
    pub n: usize,
    /// Mean official minutes.
    pub mean_official_min: f64,
    /// Mean absolute error (minutes).
    pub mae_min: f64,
    /// Mean of estimate − official (minutes): above 0, the estimate is too slow.
    pub bias_min: f64,
}

/// Error of estimated against official minutes per band of [`BANDS_KM`], from (crow-flies km,
/// official minutes, estimated minutes) triples; bands without any are left out.
pub fn band_errors(rows: impl IntoIterator<Item = (f64, f64, f64)>) -> Vec<BandError> {
    let rows: Vec<(f64, f64, f64)> = rows.into_iter().collect();
    BANDS_KM
        .iter()
        .filter_map(|&(lo, hi)| {
            let (mut n, mut official, mut abs, mut bias) = (0usize, 0.0, 0.0, 0.0);
            for &(_, t, est) in rows.iter().filter(|r| r.0 >= lo && r.0 < hi) {
                let e = est - t;
                n += 1;
                official += t;
                abs += e.abs();
                bias += e;
            }
            (n > 0).then(|| BandError {
                from_km: lo,
                to_km: hi,
                n,
                mean_official_min: official / n as f64,
                mae_min: abs / n as f64,
                bias_min: bias / n as f64,
            })
        })
        .collect()
}

/// Error of a car curve against the official minutes of car pairs, per band.
pub fn car_band_errors(pairs: &[Pair], estimate: impl Fn(f64) -> f64) -> Vec<BandError> {
    band_errors(
        pairs
            .iter()
            .map(|p| (p.crow_km, p.minutes, estimate(p.crow_km))),
    )
}

/// One calibration trip without a car: from a municipality to its nearest Ober- or
/// Mittelzentrum, with the official public-transport minutes (`transit_min_central_place`,
/// per municipal association).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TransitPair {
    pub row: usize,
    /// Row of the central place taken as the destination: the one whose reference point is
    /// nearest the municipality's population-weighted centre.
    pub destination: usize,
    /// Residents' mean crow-flies km to the nearest central place (`mittelzentrum_distance_km`).
    pub crow_km: f64,
    /// The train: residents to their station, the central place's station to its centre, and
    /// between the two stations.
    pub rail: Option<RailLeg>,
    pub minutes: f64,
}

/// The calibration trips without a car: every municipality with the official minutes, its
/// distance to the nearest central place and (for the train) a station at both ends.
pub fn transit_pairs(atlas: &Atlas) -> Vec<TransitPair> {
    let (Some(minutes), Some(distance)) = (
        atlas.indicator("transit_min_central_place"),
        atlas.indicator("mittelzentrum_distance_km"),
    ) else {
        return Vec::new();
    };
    let access = atlas.indicator("rail_station_distance_km");
    let places: Vec<usize> = (0..atlas.municipalities.len())
        .filter(|&i| atlas.municipalities[i].central_place.is_some())
        .collect();
    let mut out = Vec::new();
    for (row, m) in atlas.municipalities.iter().enumerate() {
        let (Some(t), Some(d)) = (minutes.values[row], distance.values[row]) else {
            continue;
        };
        let Some(&dest) = places.iter().min_by(|&&a, &&b| {
            let da = crow_km(
                m.centre_lon,
                m.centre_lat,
                atlas.municipalities[a].lon,
                atlas.municipalities[a].lat,
            );
            let db = crow_km(
                m.centre_lon,
                m.centre_lat,
                atlas.municipalities[b].lon,
                atlas.municipalities[b].lat,
            );
            da.total_cmp(&db)
        }) else {
            continue;
        };
        let p = &atlas.municipalities[dest];
        let rail = match (&m.station, &p.station, access.and_then(|a| a.values[row])) {
            (Some(from), Some(to), Some(a)) => Some(RailLeg {
                access_km: a,
                egress_km: crow_km(to.lon, to.lat, p.lon, p.lat),
                between_km: crow_km(from.lon, from.lat, to.lon, to.lat),
            }),
            _ => None,
        };
        out.push(TransitPair {
            row,
            destination: dest,
            crow_km: d,
            rail,
            minutes: t,
        });
    }
    out
}

/// Sum of squared errors (minutes²) of a transit model over trips.
pub fn transit_squared_error(model: &TransitModel, pairs: &[TransitPair]) -> f64 {
    pairs
        .iter()
        .map(|p| {
            let e = model.estimate(p.crow_km, p.rail.as_ref()).minutes - p.minutes;
            e * e
        })
        .sum()
}

/// Least-squares fit of the wait and the bus speed on the trips, the train and walking speeds
/// held at the given model's (they are documented, not fitted: see [`super::transit`]).
pub fn fit_transit(pairs: &[TransitPair], fixed: &TransitModel) -> TransitModel {
    let to_model = |x: &[f64; 2]| TransitModel {
        wait_min: x[0],
        bus_speed_kmh: x[1].exp(),
        ..*fixed
    };
    // Start: 10 minutes, 25 km/h.
    let x = minimise(
        &|x: &[f64; 2]| transit_squared_error(&to_model(x), pairs),
        [10.0, 25f64.ln()],
        [2.0, 0.2],
    );
    to_model(&x)
}

/// Error of a transit model against the official minutes, per band of the distance to the
/// central place.
pub fn transit_band_errors(pairs: &[TransitPair], model: &TransitModel) -> Vec<BandError> {
    band_errors(pairs.iter().map(|p| {
        (
            p.crow_km,
            p.minutes,
            model.estimate(p.crow_km, p.rail.as_ref()).minutes,
        )
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs_on(curve: &CarCurve) -> Vec<Pair> {
        (1..=60)
            .map(|i| {
                let d = i as f64 * 0.5;
                Pair {
                    pairing: "synthetic",
                    row: i,
                    crow_km: d,
                    minutes: curve.minutes(d),
                }
            })
            .collect()
    }

    #[test]
    fn the_fit_recovers_a_curve_it_was_given() {
        let truth = CarCurve {
            start_min: 1.5,
            speed_near_kmh: 18.0,
            rise_km: 4.0,
            speed_far_kmh: 70.0,
        };
        let fitted = fit_car(&pairs_on(&truth));
        for d in [0.5, 2.0, 10.0, 30.0] {
            assert!(
                (fitted.minutes(d) - truth.minutes(d)).abs() < 0.01,
                "at {d} km: {fitted:?} vs {truth:?}"
            );
        }
    }

    #[test]
    fn band_errors_measure_bias_and_absolute_error() {
        let pairs = [
            Pair {
                pairing: "x",
                row: 0,
                crow_km: 1.0,
                minutes: 4.0,
            },
            Pair {
                pairing: "x",
                row: 1,
                crow_km: 1.5,
                minutes: 6.0,
            },
            Pair {
                pairing: "x",
                row: 2,
                crow_km: 12.0,
                minutes: 10.0,
            },
        ];
        let e = car_band_errors(&pairs, |_| 5.0);
        assert_eq!(e.len(), 2);
        assert_eq!((e[0].n, e[0].mae_min, e[0].bias_min), (2, 1.0, 0.0));
        assert_eq!(
            (e[1].from_km, e[1].mae_min, e[1].bias_min),
            (10.0, 5.0, -5.0)
        );
    }
}

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

use crate::curve::{Breakpoint, Curve};
use serde::Serialize;

const fn bp(x: f64, utility: f64, why: &'static str) -> Breakpoint {
    Breakpoint { x, utility, why }
}

// ---------------------------------------------------------------------------------------------
// Fixed parameters
// ---------------------------------------------------------------------------------------------

/// A fixed number the scoring relies on, with its reason.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Param {
    pub id: &'static str,
    pub value: f64,
    pub unit: &'static str,
    pub why: &'static str,
}

/// Road distance ≈ crow-flies distance × this factor.
pub const DETOUR_FACTOR: Param = Param {
    id: "detour_factor",
    value: 1.3,
    unit: "",
    why: "German roads are on average about 1.3 times longer than the straight line; the result \
          is labelled as an estimate everywhere it is shown",
};

/// Door-to-door average car speed used to turn an estimated road distance into minutes.
pub const CAR_SPEED_KMH: Param = Param {
    id: "car_speed_kmh",
    value: 50.0,
    unit: "km/h",
    why: "a round door-to-door average over mixed town and country roads, including getting out \
          of town; motorway-heavy commutes are faster, city-centre ones slower. There is no \
          routing here, so the minutes are an estimate, never a timetable",
};

/// Door-to-door average speed by public transport, for households without a car.
pub const TRANSIT_SPEED_KMH: Param = Param {
    id: "transit_speed_kmh",
    value: 30.0,
    unit: "km/h",
    why: "regional trains run at 50–80 km/h, buses far slower, and walking and waiting come on \
          top; 30 km/h door to door is a deliberately modest average. No timetable data is \
          used: the minutes are an estimate, and the transit criterion shows the real stop \
          access beside it",
};

/// Living space for the first person of a household when the profile gives none.
pub const SPACE_FIRST_PERSON_M2: Param = Param {
    id: "space_first_person_m2",
    value: 45.0,
    unit: "m2",
    why: "a one-room-plus-kitchen flat for one person; with 15 m² per further person a family \
          of four needs 90 m², close to the Saxon average flat of 79 m² (Zensus 2022) for a \
          larger than average household",
};

/// Living space added per further person (adult or child).
pub const SPACE_PER_FURTHER_PERSON_M2: Param = Param {
    id: "space_per_further_person_m2",
    value: 15.0,
    unit: "m2",
    why: "roughly one more room per person",
};

/// Below this share of the profile's weights a municipality gets no rank, only a note.
pub const MIN_WEIGHT_COVERAGE: Param = Param {
    id: "min_weight_coverage",
    value: 0.70,
    unit: "share",
    why: "a score resting on less than 70 % of what the household said matters would compare \
          unlike with unlike; such a town is listed with its coverage instead of a rank",
};

/// Utilities are floored at this value in the geometric mean.
pub const GEOMETRIC_FLOOR: Param = Param {
    id: "geometric_floor",
    value: 1.0,
    unit: "utility (0–100)",
    why: "a utility of 0 would make the product 0 whatever else a town offers; flooring at 1 \
          keeps the geometric mean non-compensatory (as the HDI's since 2010) without \
          annihilating it",
};

/// Each weight is multiplied by a uniform factor in 1 ± this spread in the robustness draws.
pub const PERTURBATION_SPREAD: Param = Param {
    id: "perturbation_spread",
    value: 0.25,
    unit: "share",
    why: "weights of 0–5 are rough; ±25 % is the range within which a household would not \
          notice a change of its own answers (SMAA in the spirit of Lahdelma & Salminen 2001)",
};

/// Number of perturbed weight vectors per robustness check.
pub const PERTURBATION_DRAWS: Param = Param {
    id: "perturbation_draws",
    value: 200.0,
    unit: "draws",
    why: "the share in the top k is then known to about ±3.5 percentage points (binomial \
          standard error at 50 %), enough to tell 'stable' from 'borderline'",
};

/// Earth radius for crow-flies distances.
pub const EARTH_RADIUS_KM: Param = Param {
    id: "earth_radius_km",
    value: 6371.0088,
    unit: "km",
    why: "mean radius (IUGG); on the sphere the error against the ellipsoid is below 0.5 %, \
          far below the uncertainty of the detour factor",
};

/// All fixed parameters, for [`table`].
pub const PARAMS: &[Param] = &[
    DETOUR_FACTOR,
    CAR_SPEED_KMH,
    TRANSIT_SPEED_KMH,
    SPACE_FIRST_PERSON_M2,
    SPACE_PER_FURTHER_PERSON_M2,
    MIN_WEIGHT_COVERAGE,
    GEOMETRIC_FLOOR,
    PERTURBATION_SPREAD,
    PERTURBATION_DRAWS,
    EARTH_RADIUS_KM,
];

/// Official size classes of German municipalities by population (the classic statistical
/// classes also used by BBSR): Landgemeinde < 5,000, Kleinstadt < 20,000, Mittelstadt < 100,000,
/// Großstadt from 100,000.
pub const TOWN_SIZE_BOUNDS: [f64; 3] = [5_000.0, 20_000.0, 100_000.0];

// ---------------------------------------------------------------------------------------------
// Curves
// ---------------------------------------------------------------------------------------------

/// Kita distance from where families live (walkable daily need).
pub const KITA_WALK: Curve = Curve {
    id: "kita_walk",
    unit: "km",
    points: &[
        bp(
            0.4,
            100.0,
            "a 5-minute walk: full points (Walk Score's decay)",
        ),
        bp(
            1.2,
            60.0,
            "a 15-minute walk, within which about 81 % of people in Germany reach a Kita (Thünen)",
        ),
        bp(2.4, 0.0, "a 30-minute walk: no points (Walk Score's decay)"),
    ],
    reason: "a Kita is reached twice a day with a small child, so walking distance is the scale",
};

/// District care rate for under-3s.
pub const CARE_RATE_U3: Curve = Curve {
    id: "care_rate_u3",
    unit: "%",
    points: &[
        bp(
            25.0,
            0.0,
            "the rate of Germany's lowest-provided tenth of districts (2022: p10 ≈ 23 %): most \
             parents who want a place find none",
        ),
        bp(
            45.0,
            50.0,
            "roughly the national demand: about half of parents of under-3s want a place (DJI \
             Kinderbetreuungsstudie, approx.)",
        ),
        bp(
            60.0,
            100.0,
            "the rate of Germany's best-provided tenth (2022: p90 ≈ 58 %, all eastern): supply \
             close to demand",
        ),
    ],
    reason: "where no Kita locations are mapped, the district's share of under-3s in care is the \
             best statewide sign of whether a place can be had",
};

/// District care rate for ages 3–5.
pub const CARE_RATE_3TO5: Curve = Curve {
    id: "care_rate_3to5",
    unit: "%",
    points: &[
        bp(
            80.0,
            0.0,
            "one child in five without a place: a real shortage",
        ),
        bp(90.0, 50.0, "about Germany's median district (2022: 90.6 %)"),
        bp(
            97.0,
            100.0,
            "practically every child whose parents want a place (demand for 3–6-year-olds is \
             above 95 %, DJI, approx.)",
        ),
    ],
    reason: "almost every 3–6-year-old attends a Kita; the rate shows where places are short",
};

/// Routed car minutes to the nearest Grundschule (Deutschlandatlas).
pub const PRIMARY_CAR_MIN: Curve = Curve {
    id: "primary_car_min",
    unit: "min",
    points: &[
        bp(3.0, 100.0, "a Grundschule in the village or next door"),
        bp(
            7.0,
            50.0,
            "95 % of children in Germany reach a Grundschule within 7 car minutes (IW 2023): \
             beyond it a family is worse off than 19 in 20",
        ),
        bp(
            15.0,
            0.0,
            "twice that: a long daily school-bus ride for a 6-year-old",
        ),
    ],
    reason: "official routed minutes from where people live, the best statewide figure",
};

/// Own distance to the nearest Grundschule, households without a car.
pub const PRIMARY_WALK: Curve = Curve {
    id: "primary_walk",
    unit: "km",
    points: &[
        bp(
            0.5,
            100.0,
            "about Berlin's mean of 477 m (BBSR): walkable for a 6-year-old",
        ),
        bp(
            1.0,
            80.0,
            "72 % of people in Germany live within 1 km of a Grundschule (BBSR 2023)",
        ),
        bp(
            2.4,
            20.0,
            "a 30-minute walk, Walk Score's limit (Mecklenburg-Vorpommern's mean is 1.9 km)",
        ),
        bp(4.0, 0.0, "only by school bus"),
    ],
    reason: "without a car the walk (or the child's own bike ride) is the scale",
};

/// Routed car minutes to the nearest secondary school (Sek I).
pub const SECONDARY_CAR_MIN: Curve = Curve {
    id: "secondary_car_min",
    unit: "min",
    points: &[
        bp(5.0, 100.0, "a secondary school in or right next to town"),
        bp(
            10.0,
            55.0,
            "a little beyond Germany's median municipality (2021–24: 8.4 min)",
        ),
        bp(
            20.0,
            0.0,
            "beyond Germany's slowest tenth (p90 ≈ 14 min): long daily trips for six years",
        ),
    ],
    reason: "official routed minutes to any school with grades 5–10 (Oberschule or Gymnasium)",
};

/// Own distance to a secondary school by bike or on foot.
pub const SECONDARY_BIKE: Curve = Curve {
    id: "secondary_bike",
    unit: "km",
    points: &[
        bp(1.5, 100.0, "a 20-minute walk or a 6-minute ride"),
        bp(
            4.0,
            55.0,
            "a 15-minute bike ride, which most 10-year-olds manage",
        ),
        bp(10.0, 0.0, "too far to cycle daily: school bus or train"),
    ],
    reason: "teenagers travel on their own: walking and cycling distance is the scale without \
             a car",
};

/// Own distance to a Gymnasium, with a car.
pub const GYMNASIUM_CAR: Curve = Curve {
    id: "gymnasium_car",
    unit: "km",
    points: &[
        bp(3.0, 100.0, "a Gymnasium in town"),
        bp(
            10.0,
            55.0,
            "about 16 minutes by car (× 1.3 detour at 50 km/h) or a school-bus ride",
        ),
        bp(
            25.0,
            0.0,
            "about 40 minutes each way: a heavy daily load for eight years",
        ),
    ],
    reason: "crow-flies distance from where people live; only lotse's own points tell a \
             Gymnasium from an Oberschule",
};

/// Dense daily services (supermarket, GP, pharmacy): routed car minutes.
pub const DAILY_CAR_MIN: Curve = Curve {
    id: "daily_car_min",
    unit: "min",
    points: &[
        bp(3.0, 100.0, "walking or cycling distance (about 1–2 km)"),
        bp(
            8.0,
            50.0,
            "Germany's slowest tenth of municipalities (supermarket p90 ≈ 8.8 min, GP p90 ≈ 8.6 \
             min)",
        ),
        bp(15.0, 0.0, "every errand becomes a drive"),
    ],
    reason: "official routed minutes; with a car these minutes are the cost of an errand",
};

/// The same minutes read as a proximity proxy for households without a car.
pub const DAILY_NO_CAR: Curve = Curve {
    id: "daily_no_car",
    unit: "min",
    points: &[
        bp(2.0, 100.0, "about 1 km: a 12-minute walk"),
        bp(5.0, 50.0, "about 3 km: a bike ride"),
        bp(10.0, 0.0, "about 6 km or more: needs a bus"),
    ],
    reason: "no walking times exist statewide; short car minutes mean short distances, so the \
             same figure is read with a walking scale",
};

/// Routed car minutes to the nearest emergency department.
pub const EMERGENCY_CAR_MIN: Curve = Curve {
    id: "emergency_car_min",
    unit: "min",
    points: &[
        bp(10.0, 100.0, "a hospital in or next to town"),
        bp(
            20.0,
            65.0,
            "a little beyond Saxony's slowest tenth (p90 ≈ 22 min)",
        ),
        bp(
            30.0,
            25.0,
            "the G-BA's threshold for basic hospital accessibility: 30 car minutes",
        ),
        bp(45.0, 0.0, "well beyond the threshold"),
    ],
    reason: "an emergency does not wait for a bus; car minutes apply with or without a car",
};

/// Paediatricians per 100,000 children under 15 (district).
pub const PAEDIATRICIANS: Curve = Curve {
    id: "paediatricians",
    unit: "per 100k under 15",
    points: &[
        bp(
            15.0,
            0.0,
            "half the planning norm: long waits for a new patient",
        ),
        bp(
            30.0,
            50.0,
            "about the planning norm (G-BA Bedarfsplanung: roughly one paediatrician per 3,900 \
             under-18s, approx.)",
        ),
        bp(60.0, 100.0, "twice the norm"),
    ],
    reason: "families ask first about the paediatrician; only district figures exist",
};

/// Routed car minutes to the nearest indoor or outdoor pool.
pub const POOL_CAR_MIN: Curve = Curve {
    id: "pool_car_min",
    unit: "min",
    points: &[
        bp(10.0, 100.0, "a weekly swimming lesson is an easy trip"),
        bp(
            20.0,
            55.0,
            "about Germany's slowest tenth for indoor pools (p90 ≈ 22 min)",
        ),
        bp(30.0, 15.0, "the lesson becomes an outing"),
        bp(40.0, 0.0, "out of reach for a weekly habit"),
    ],
    reason: "official routed minutes from where people live",
};

/// Own distance to a pool without a car.
pub const POOL_BIKE: Curve = Curve {
    id: "pool_bike",
    unit: "km",
    points: &[
        bp(2.0, 100.0, "walking distance"),
        bp(6.0, 50.0, "a 25-minute bike ride"),
        bp(15.0, 0.0, "only by bus or train"),
    ],
    reason: "without a car the bike is the scale",
};

/// Own distance to a place of everyday culture (library), with a car.
pub const LOCAL_CAR: Curve = Curve {
    id: "local_car",
    unit: "km",
    points: &[
        bp(2.0, 100.0, "in town"),
        bp(8.0, 50.0, "the next town: about 12 minutes by car"),
        bp(20.0, 0.0, "half an hour there and back for a loan"),
    ],
    reason: "a library is used weekly by families; crow-flies from where people live",
};

/// The same without a car.
pub const LOCAL_WALK: Curve = Curve {
    id: "local_walk",
    unit: "km",
    points: &[
        bp(0.5, 100.0, "a 6-minute walk"),
        bp(2.0, 50.0, "a 25-minute walk or a short ride"),
        bp(5.0, 0.0, "needs a bus"),
    ],
    reason: "without a car walking distance is the scale",
};

/// Own distance to an occasional destination (cinema, museum, theatre), with a car.
pub const OUTING_CAR: Curve = Curve {
    id: "outing_car",
    unit: "km",
    points: &[
        bp(3.0, 100.0, "in town"),
        bp(
            15.0,
            50.0,
            "about 25 minutes by car: an evening out still works",
        ),
        bp(30.0, 0.0, "about 45 minutes: a special trip"),
    ],
    reason: "an occasional outing tolerates longer trips than a daily need",
};

/// The same without a car.
pub const OUTING_NO_CAR: Curve = Curve {
    id: "outing_no_car",
    unit: "km",
    points: &[
        bp(1.0, 100.0, "walking distance"),
        bp(5.0, 50.0, "a bike ride or a few bus stops"),
        bp(10.0, 0.0, "a late trip home without a car is hard"),
    ],
    reason: "without a car the way back at night decides",
};

/// Sports clubs per 100,000 residents (district).
pub const SPORTS_CLUBS: Curve = Curve {
    id: "sports_clubs",
    unit: "per 100k",
    points: &[
        bp(40.0, 0.0, "a third of Germany's median district"),
        bp(68.0, 20.0, "Germany's lowest tenth of districts (2023)"),
        bp(112.0, 60.0, "Germany's median district (2023)"),
        bp(172.0, 100.0, "Germany's top tenth (2023)"),
    ],
    reason: "no norm exists for club density; the breakpoints are fixed at the 2023 national \
             distribution of districts, so they do not move with the set being ranked",
};

/// Playground distance for small children.
pub const PLAYGROUND_WALK: Curve = Curve {
    id: "playground_walk",
    unit: "km",
    points: &[
        bp(0.3, 100.0, "a 5-minute walk at a toddler's pace"),
        bp(0.8, 50.0, "a 10-minute walk for an adult"),
        bp(1.5, 0.0, "too far for an everyday afternoon"),
    ],
    reason: "a playground is an everyday destination with small children",
};

/// Share of residents near a stop with at least 20 departures a day.
pub const TRANSIT_SHARE: Curve = Curve {
    id: "transit_share",
    unit: "%",
    points: &[
        bp(
            0.0,
            0.0,
            "nobody lives near a stop with 20 departures a day",
        ),
        bp(
            100.0,
            100.0,
            "everybody does: the utility is the share itself, i.e. the chance that a resident \
             has usable service near home",
        ),
    ],
    reason: "the official BBSR access figure (600 m to a stop, 1,200 m to a station)",
};

/// Distance to the nearest railway station.
pub const RAIL_WALK: Curve = Curve {
    id: "rail_walk",
    unit: "km",
    points: &[
        bp(1.0, 100.0, "a 12-minute walk"),
        bp(3.0, 60.0, "a 12-minute bike ride"),
        bp(8.0, 0.0, "needs a bus to reach the train"),
    ],
    reason: "regional trains carry commutes without a car; the station is reached on foot or by \
             bike",
};

/// Car minutes to the nearest Ober- or Mittelzentrum (association level).
pub const CENTRE_CAR_MIN: Curve = Curve {
    id: "centre_car_min",
    unit: "min",
    points: &[
        bp(10.0, 100.0, "the centre is next door"),
        bp(
            20.0,
            65.0,
            "Saxony's slowest tenth of associations (p90 ≈ 19 min)",
        ),
        bp(
            30.0,
            25.0,
            "the MKRO standard: a Mittelzentrum within 30 minutes by car",
        ),
        bp(45.0, 0.0, "far beyond the standard"),
    ],
    reason: "Mittelzentren hold the secondary schools, specialists, hospitals and authorities \
             (LEP 2013)",
};

/// Public-transport minutes to the nearest Ober- or Mittelzentrum (association level).
pub const CENTRE_TRANSIT_MIN: Curve = Curve {
    id: "centre_transit_min",
    unit: "min",
    points: &[
        bp(15.0, 100.0, "the centre is next door"),
        bp(30.0, 65.0, "about Saxony's median association (28 min)"),
        bp(
            45.0,
            25.0,
            "the MKRO standard: a Mittelzentrum within 45 minutes by public transport",
        ),
        bp(75.0, 0.0, "far beyond the standard"),
    ],
    reason: "official timetable-based minutes (BBSR, 2020), morning arrivals",
};

/// Distance to the nearest Oberzentrum.
pub const OBERZENTRUM_KM: Curve = Curve {
    id: "oberzentrum_km",
    unit: "km",
    points: &[
        bp(10.0, 100.0, "in or at the edge of a city"),
        bp(25.0, 60.0, "about 40 minutes by car"),
        bp(
            38.0,
            25.0,
            "about 60 minutes by car (× 1.3 at 50 km/h), the MKRO standard for an Oberzentrum",
        ),
        bp(60.0, 0.0, "far beyond the standard"),
    ],
    reason: "Oberzentren (Dresden, Leipzig, Chemnitz, Zwickau, Plauen, Bautzen–Görlitz–Hoyerswerda) \
             hold universities, large hospitals and specialised jobs",
};

/// Estimated commute minutes (car or public transport).
pub const COMMUTE_MIN: Curve = Curve {
    id: "commute_min",
    unit: "min",
    points: &[
        bp(
            20.0,
            100.0,
            "full utility up to about 20 minutes (Immowelt; Interhyp/ImmoScout24)",
        ),
        bp(30.0, 75.0, "about 37 % of buyers want at most 30 minutes"),
        bp(
            60.0,
            0.0,
            "63 % of households with children move when the commute exceeds one hour",
        ),
    ],
    reason: "minutes estimated from crow-flies distance × detour at a documented average speed",
};

/// Monthly cold rent of the needed flat divided by the household's rent budget.
pub const RENT_BUDGET_RATIO: Curve = Curve {
    id: "rent_budget_ratio",
    unit: "share of budget",
    points: &[
        bp(0.6, 100.0, "40 % of the budget to spare"),
        bp(1.0, 70.0, "exactly the budget: affordable, no slack"),
        bp(1.2, 20.0, "a fifth over budget"),
        bp(1.35, 0.0, "a third over budget: not a real option"),
    ],
    reason: "the budget is the household's own statement of net cold rent it can pay",
};

/// Monthly cold rent of the needed flat divided by net household income.
pub const RENT_INCOME_SHARE: Curve = Curve {
    id: "rent_income_share",
    unit: "share of income",
    points: &[
        bp(0.15, 100.0, "a light burden"),
        bp(
            0.25,
            60.0,
            "the rule of thumb keeps warm rent within a third of net income; heating and \
             service charges add roughly a third to Saxon cold rents, so about 25 % for cold rent",
        ),
        bp(
            0.30,
            25.0,
            "about Eurostat's overburden line (housing costs above 40 % of disposable income)",
        ),
        bp(0.40, 0.0, "deep overburden"),
    ],
    reason: "the data is net cold rent, the rules of thumb speak of warm rent or all housing \
             costs: the breakpoints translate them",
};

/// Distance of a town's population from the preferred size class, in orders of magnitude.
pub const TOWN_SIZE_LOG: Curve = Curve {
    id: "town_size_log",
    unit: "log10 factor outside the class",
    points: &[
        bp(0.0, 100.0, "inside the preferred size class"),
        bp(
            0.5,
            50.0,
            "about three times smaller or larger than the class allows",
        ),
        bp(
            1.0,
            0.0,
            "ten times smaller or larger: a different kind of place",
        ),
    ],
    reason: "size is felt in proportions, not in absolute residents",
};

/// Every curve of the table, for [`table`] and the consistency test.
pub const CURVES: &[&Curve] = &[
    &KITA_WALK,
    &CARE_RATE_U3,
    &CARE_RATE_3TO5,
    &PRIMARY_CAR_MIN,
    &PRIMARY_WALK,
    &SECONDARY_CAR_MIN,
    &SECONDARY_BIKE,
    &GYMNASIUM_CAR,
    &DAILY_CAR_MIN,
    &DAILY_NO_CAR,
    &EMERGENCY_CAR_MIN,
    &PAEDIATRICIANS,
    &POOL_CAR_MIN,
    &POOL_BIKE,
    &LOCAL_CAR,
    &LOCAL_WALK,
    &OUTING_CAR,
    &OUTING_NO_CAR,
    &SPORTS_CLUBS,
    &PLAYGROUND_WALK,
    &TRANSIT_SHARE,
    &RAIL_WALK,
    &CENTRE_CAR_MIN,
    &CENTRE_TRANSIT_MIN,
    &OBERZENTRUM_KM,
    &COMMUTE_MIN,
    &RENT_BUDGET_RATIO,
    &RENT_INCOME_SHARE,
    &TOWN_SIZE_LOG,
];

// ---------------------------------------------------------------------------------------------
// Criteria
// ---------------------------------------------------------------------------------------------

/// Every criterion lotse knows, in display order. The id (snake_case) is the key of a profile's
/// `weights`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    Childcare,
    PrimarySchool,
    SecondarySchool,
    Gymnasium,
    Affordability,
    Commute,
    Transit,
    EverydayServices,
    Health,
    CentralPlace,
    Leisure,
    TownSize,
}

impl Criterion {
    /// All criteria in display order.
    pub const ALL: [Criterion; 12] = [
        Criterion::Childcare,
        Criterion::PrimarySchool,
        Criterion::SecondarySchool,
        Criterion::Gymnasium,
        Criterion::Affordability,
        Criterion::Commute,
        Criterion::Transit,
        Criterion::EverydayServices,
        Criterion::Health,
        Criterion::CentralPlace,
        Criterion::Leisure,
        Criterion::TownSize,
    ];

    /// Stable snake_case id.
    pub fn id(self) -> &'static str {
        self.spec().id
    }

    /// The criterion with this id.
    pub fn from_id(id: &str) -> Option<Criterion> {
        Criterion::ALL.into_iter().find(|c| c.id() == id)
    }

    /// Its row of the table.
    pub fn spec(self) -> &'static CriterionSpec {
        &CRITERIA[self as usize]
    }

    /// Position in [`Criterion::ALL`], also its bit in a [`crate::rank::CriterionSet`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// How a part's raw value is obtained from its indicators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Pick {
    /// The first indicator with a value.
    First,
    /// The smallest value among the indicators present (e.g. nearest of Oberschule and
    /// Gymnasium).
    Min,
}

/// How a figure is phrased in a sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Phrase {
    /// lotse's own population-weighted crow-flies distance.
    Distance,
    /// Official routed car minutes.
    CarMinutes,
    /// Official public-transport minutes.
    TransitMinutes,
    /// A percentage.
    Percent,
    /// A rate per population.
    Rate,
}

/// One way of reading a part: which indicators, which curve.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Measure {
    pub indicators: &'static [&'static str],
    pub pick: Pick,
    pub curve: &'static Curve,
    pub phrase: Phrase,
}

/// Which municipalities a part's data covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// Every municipality (a gap is a real gap and is flagged).
    Statewide,
    /// Every municipality, but from an incomplete set of points: a long distance may be a gap
    /// in the data.
    Partial,
    /// Only some municipalities; elsewhere the part is simply not used, never counted as bad.
    Local,
}

/// Age band of the youngest child under 7, which picks the district care rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AgeBand {
    /// Under 3 (Krippe).
    Under3,
    /// 3 to 6 (Kindergarten until school starts).
    From3To6,
}

/// One ingredient of an indicator-based criterion.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Part {
    pub id: &'static str,
    pub label_de: &'static str,
    pub label_en: &'static str,
    /// Weight within the criterion ([`Combine::Mean`]).
    pub weight: f64,
    pub with_car: Measure,
    pub without_car: Measure,
    pub coverage: Coverage,
    /// What [`Coverage::Partial`] or [`Coverage::Local`] means here.
    pub coverage_note: &'static str,
    /// Used only when the household has children.
    pub only_with_children: bool,
    /// Used only for this age band (childcare rates).
    pub band: Option<AgeBand>,
}

impl Part {
    /// The measure for a household with or without a car.
    pub fn measure(&self, car: bool) -> &Measure {
        if car {
            &self.with_car
        } else {
            &self.without_car
        }
    }

    /// Label in a language.
    pub fn label(&self, lang: crate::profile::Lang) -> &'static str {
        match lang {
            crate::profile::Lang::De => self.label_de,
            crate::profile::Lang::En => self.label_en,
        }
    }
}

/// How the parts of a criterion combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Combine {
    /// Weighted mean of the parts present; missing parts' weights are shared among the others.
    Mean,
    /// The first part present, in order; the explanation says which one was used.
    Fallback,
    /// Computed from the profile (affordability, commute, town size).
    Computed,
}

/// One row of the criteria table.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CriterionSpec {
    pub criterion: Criterion,
    pub id: &'static str,
    pub label_de: &'static str,
    pub label_en: &'static str,
    /// Default weight (0–5) with a car; chosen for a family.
    pub default_weight: f64,
    /// Default weight without a car, where it differs.
    pub default_weight_without_car: f64,
    /// When the profile switches the criterion on.
    pub switched_on_when: &'static str,
    pub combine: Combine,
    pub parts: &'static [Part],
    /// Curves of computed criteria (parts carry their own).
    pub curves: &'static [&'static Curve],
    /// Why the criterion is built this way.
    pub why: &'static str,
}

impl CriterionSpec {
    pub fn label(&self, lang: crate::profile::Lang) -> &'static str {
        match lang {
            crate::profile::Lang::De => self.label_de,
            crate::profile::Lang::En => self.label_en,
        }
    }

    /// Default weight for a household with or without a car.
    pub fn default_weight_for(&self, car: bool) -> f64 {
        if car {
            self.default_weight
        } else {
            self.default_weight_without_car
        }
    }
}

const fn m(indicator: &'static [&'static str], curve: &'static Curve, phrase: Phrase) -> Measure {
    Measure {
        indicators: indicator,
        pick: Pick::First,
        curve,
        phrase,
    }
}

const fn part(
    id: &'static str,
    label_de: &'static str,
    label_en: &'static str,
    weight: f64,
    with_car: Measure,
    without_car: Measure,
) -> Part {
    Part {
        id,
        label_de,
        label_en,
        weight,
        with_car,
        without_car,
        coverage: Coverage::Statewide,
        coverage_note: "",
        only_with_children: false,
        band: None,
    }
}

const CHILDCARE_PARTS: &[Part] = &[
    Part {
        coverage: Coverage::Local,
        coverage_note: "Kita locations exist only for Dresden and its neighbours, Chemnitz and \
                        Leipzig",
        ..part(
            "kita_distance",
            "Kita",
            "Kita",
            1.0,
            m(&["childcare_distance_km"], &KITA_WALK, Phrase::Distance),
            m(&["childcare_distance_km"], &KITA_WALK, Phrase::Distance),
        )
    },
    Part {
        band: Some(AgeBand::Under3),
        ..part(
            "care_rate_u3",
            "Betreuungsquote unter 3",
            "care rate for under-3s",
            1.0,
            m(&["childcare_rate_u3_pct"], &CARE_RATE_U3, Phrase::Percent),
            m(&["childcare_rate_u3_pct"], &CARE_RATE_U3, Phrase::Percent),
        )
    },
    Part {
        band: Some(AgeBand::From3To6),
        ..part(
            "care_rate_3to5",
            "Betreuungsquote 3–5",
            "care rate for ages 3–5",
            1.0,
            m(
                &["childcare_rate_3to5_pct"],
                &CARE_RATE_3TO5,
                Phrase::Percent,
            ),
            m(
                &["childcare_rate_3to5_pct"],
                &CARE_RATE_3TO5,
                Phrase::Percent,
            ),
        )
    },
];

const PRIMARY_PARTS: &[Part] = &[part(
    "primary_school",
    "Grundschule",
    "primary school",
    1.0,
    m(
        &["car_min_primary_school"],
        &PRIMARY_CAR_MIN,
        Phrase::CarMinutes,
    ),
    m(
        &["primary_school_distance_km"],
        &PRIMARY_WALK,
        Phrase::Distance,
    ),
)];

const SECONDARY_PARTS: &[Part] = &[part(
    "secondary_school",
    "weiterführende Schule (Oberschule oder Gymnasium)",
    "secondary school (Oberschule or Gymnasium)",
    1.0,
    m(
        &["car_min_secondary_1"],
        &SECONDARY_CAR_MIN,
        Phrase::CarMinutes,
    ),
    Measure {
        indicators: &["oberschule_distance_km", "gymnasium_distance_km"],
        pick: Pick::Min,
        curve: &SECONDARY_BIKE,
        phrase: Phrase::Distance,
    },
)];

const GYMNASIUM_PARTS: &[Part] = &[part(
    "gymnasium",
    "Gymnasium",
    "Gymnasium",
    1.0,
    m(&["gymnasium_distance_km"], &GYMNASIUM_CAR, Phrase::Distance),
    m(
        &["gymnasium_distance_km"],
        &SECONDARY_BIKE,
        Phrase::Distance,
    ),
)];

const TRANSIT_PARTS: &[Part] = &[
    part(
        "transit_access",
        "Anteil der Einwohner nahe einer Haltestelle mit ≥ 20 Abfahrten am Tag",
        "share of residents near a stop with ≥ 20 departures a day",
        2.0,
        m(&["transit_access_pct"], &TRANSIT_SHARE, Phrase::Percent),
        m(&["transit_access_pct"], &TRANSIT_SHARE, Phrase::Percent),
    ),
    part(
        "rail_station",
        "Bahnhof",
        "railway station",
        1.0,
        m(&["rail_station_distance_km"], &RAIL_WALK, Phrase::Distance),
        m(&["rail_station_distance_km"], &RAIL_WALK, Phrase::Distance),
    ),
];

const EVERYDAY_PARTS: &[Part] = &[
    part(
        "supermarket",
        "Supermarkt",
        "supermarket",
        1.0,
        m(&["car_min_supermarket"], &DAILY_CAR_MIN, Phrase::CarMinutes),
        m(&["car_min_supermarket"], &DAILY_NO_CAR, Phrase::CarMinutes),
    ),
    part(
        "gp",
        "Hausarzt",
        "GP",
        1.0,
        m(&["car_min_gp"], &DAILY_CAR_MIN, Phrase::CarMinutes),
        m(&["car_min_gp"], &DAILY_NO_CAR, Phrase::CarMinutes),
    ),
    part(
        "pharmacy",
        "Apotheke",
        "pharmacy",
        1.0,
        m(&["car_min_pharmacy"], &DAILY_CAR_MIN, Phrase::CarMinutes),
        m(&["car_min_pharmacy"], &DAILY_NO_CAR, Phrase::CarMinutes),
    ),
];

const HEALTH_PARTS: &[Part] = &[
    part(
        "emergency",
        "Notaufnahme",
        "emergency department",
        1.0,
        m(
            &["car_min_emergency"],
            &EMERGENCY_CAR_MIN,
            Phrase::CarMinutes,
        ),
        m(
            &["car_min_emergency"],
            &EMERGENCY_CAR_MIN,
            Phrase::CarMinutes,
        ),
    ),
    Part {
        only_with_children: true,
        ..part(
            "paediatricians",
            "Kinderärzte je 100.000 Kinder unter 15",
            "paediatricians per 100,000 children under 15",
            1.0,
            m(
                &["paediatricians_per_100k_u15"],
                &PAEDIATRICIANS,
                Phrase::Rate,
            ),
            m(
                &["paediatricians_per_100k_u15"],
                &PAEDIATRICIANS,
                Phrase::Rate,
            ),
        )
    },
];

const CENTRAL_PLACE_PARTS: &[Part] = &[
    part(
        "central_place_time",
        "nächstes Ober- oder Mittelzentrum",
        "nearest Ober- or Mittelzentrum",
        2.0,
        m(
            &["car_min_central_place"],
            &CENTRE_CAR_MIN,
            Phrase::CarMinutes,
        ),
        m(
            &["transit_min_central_place"],
            &CENTRE_TRANSIT_MIN,
            Phrase::TransitMinutes,
        ),
    ),
    part(
        "oberzentrum",
        "nächstes Oberzentrum",
        "nearest Oberzentrum",
        1.0,
        m(
            &["oberzentrum_distance_km"],
            &OBERZENTRUM_KM,
            Phrase::Distance,
        ),
        m(
            &["oberzentrum_distance_km"],
            &OBERZENTRUM_KM,
            Phrase::Distance,
        ),
    ),
];

const LEISURE_PARTS: &[Part] = &[
    part(
        "indoor_pool",
        "Hallenbad",
        "indoor pool",
        2.0,
        m(&["car_min_indoor_pool"], &POOL_CAR_MIN, Phrase::CarMinutes),
        m(&["indoor_pool_distance_km"], &POOL_BIKE, Phrase::Distance),
    ),
    part(
        "outdoor_pool",
        "Freibad",
        "outdoor pool",
        1.0,
        m(&["car_min_outdoor_pool"], &POOL_CAR_MIN, Phrase::CarMinutes),
        m(&["pool_distance_km"], &POOL_BIKE, Phrase::Distance),
    ),
    part(
        "library",
        "Bibliothek",
        "library",
        2.0,
        m(&["library_distance_km"], &LOCAL_CAR, Phrase::Distance),
        m(&["library_distance_km"], &LOCAL_WALK, Phrase::Distance),
    ),
    part(
        "cinema",
        "Kino",
        "cinema",
        1.0,
        m(&["cinema_distance_km"], &OUTING_CAR, Phrase::Distance),
        m(&["cinema_distance_km"], &OUTING_NO_CAR, Phrase::Distance),
    ),
    Part {
        coverage: Coverage::Partial,
        coverage_note: "notable sites only (Wikidata): a long distance may be a gap in the data",
        ..part(
            "culture",
            "Kultur (Museum, Theater, Zoo)",
            "culture (museum, theatre, zoo)",
            1.0,
            m(&["culture_distance_km"], &OUTING_CAR, Phrase::Distance),
            m(&["culture_distance_km"], &OUTING_NO_CAR, Phrase::Distance),
        )
    },
    part(
        "sports_clubs",
        "Sportvereine je 100.000 Einwohner",
        "sports clubs per 100,000 residents",
        1.0,
        m(&["sports_clubs_per_100k"], &SPORTS_CLUBS, Phrase::Rate),
        m(&["sports_clubs_per_100k"], &SPORTS_CLUBS, Phrase::Rate),
    ),
    Part {
        coverage: Coverage::Local,
        coverage_note: "playgrounds are mapped for Leipzig only",
        only_with_children: true,
        ..part(
            "playground",
            "Spielplatz",
            "playground",
            1.0,
            m(
                &["playground_distance_km"],
                &PLAYGROUND_WALK,
                Phrase::Distance,
            ),
            m(
                &["playground_distance_km"],
                &PLAYGROUND_WALK,
                Phrase::Distance,
            ),
        )
    },
];

#[allow(clippy::too_many_arguments)]
const fn spec(
    criterion: Criterion,
    id: &'static str,
    label_de: &'static str,
    label_en: &'static str,
    default_weight: f64,
    switched_on_when: &'static str,
    combine: Combine,
    parts: &'static [Part],
    why: &'static str,
) -> CriterionSpec {
    CriterionSpec {
        criterion,
        id,
        label_de,
        label_en,
        default_weight,
        default_weight_without_car: default_weight,
        switched_on_when,
        combine,
        parts,
        curves: &[],
        why,
    }
}

/// The criteria table, indexed by [`Criterion`].
pub const CRITERIA: [CriterionSpec; 12] = [
    spec(
        Criterion::Childcare,
        "childcare",
        "Kinderbetreuung",
        "childcare",
        5.0,
        "a child is under 7 (or the weight is set explicitly)",
        Combine::Fallback,
        CHILDCARE_PARTS,
        "the Kita distance where Kita locations are mapped (Dresden region, Chemnitz, Leipzig); \
         elsewhere the district's care rate for the youngest child's age band (under 3, or 3–6), \
         because under-3 places are the scarcer ones. The explanation says which one was used",
    ),
    spec(
        Criterion::PrimarySchool,
        "primary_school",
        "Grundschule",
        "primary school",
        4.0,
        "a child is 6–10 (or the weight is set explicitly)",
        Combine::Mean,
        PRIMARY_PARTS,
        "with a car the official routed minutes (statewide, Deutschlandatlas); without a car \
         lotse's own walking distance. In Saxony the Hort sits at the Grundschule, so the school \
         stands for after-school care too",
    ),
    spec(
        Criterion::SecondarySchool,
        "secondary_school",
        "weiterführende Schule",
        "secondary school",
        4.0,
        "a child is 10–17 (or the weight is set explicitly)",
        Combine::Mean,
        SECONDARY_PARTS,
        "any school with grades 5–10 (Oberschule or Gymnasium); with a car the official routed \
         minutes, without one the distance to the nearer of the two",
    ),
    spec(
        Criterion::Gymnasium,
        "gymnasium",
        "Gymnasium",
        "Gymnasium",
        2.0,
        "a child is 10–17 (or the weight is set explicitly)",
        Combine::Mean,
        GYMNASIUM_PARTS,
        "a family that wants the Abitur track raises this weight or sets must.within_km.gymnasium",
    ),
    CriterionSpec {
        curves: &[&RENT_BUDGET_RATIO, &RENT_INCOME_SHARE],
        ..spec(
            Criterion::Affordability,
            "affordability",
            "Bezahlbarkeit",
            "affordability",
            5.0,
            "rent_budget_eur or income_eur is given",
            Combine::Computed,
            &[],
            "monthly net cold rent of the needed flat = estimated new-lease rent per m² × needed \
             space; compared with the budget and with the income, the lower utility counts. The \
             new-lease rent is an estimate: existing leases (Zensus 2022) × the district's \
             asking / existing ratio",
        )
    },
    CriterionSpec {
        curves: &[&COMMUTE_MIN],
        ..spec(
            Criterion::Commute,
            "commute",
            "Arbeitsweg",
            "commute",
            4.0,
            "a workplace is given",
            Combine::Computed,
            &[],
            "from the municipality's population-weighted centre to each workplace: crow-flies × \
             1.3 = estimated road distance; minutes at 50 km/h by car or 30 km/h by public \
             transport. An estimate, never a timetable. With several workplaces the utilities \
             are averaged",
        )
    },
    CriterionSpec {
        default_weight_without_car: 4.0,
        ..spec(
            Criterion::Transit,
            "transit",
            "ÖPNV-Anbindung",
            "public transport",
            1.0,
            "always; weighted higher by default without a car",
            Combine::Mean,
            TRANSIT_PARTS,
            "the official share of residents near a stop with at least 20 departures a day and \
             the walk to the nearest railway station",
        )
    },
    spec(
        Criterion::EverydayServices,
        "everyday_services",
        "Nahversorgung",
        "everyday services",
        2.0,
        "always",
        Combine::Mean,
        EVERYDAY_PARTS,
        "supermarket, GP and pharmacy: official routed car minutes (without a car read as a \
         walking-distance proxy)",
    ),
    spec(
        Criterion::Health,
        "health",
        "Gesundheit",
        "health care",
        2.0,
        "always (paediatricians with children)",
        Combine::Mean,
        HEALTH_PARTS,
        "emergency department minutes and, for families, the district's paediatricians per \
         child",
    ),
    spec(
        Criterion::CentralPlace,
        "central_place",
        "Zentraler Ort",
        "central place",
        2.0,
        "always",
        Combine::Mean,
        CENTRAL_PLACE_PARTS,
        "Ober- and Mittelzentren hold the hospitals, secondary schools, specialists and \
         authorities (LEP 2013); reachability of them is a robust statewide services figure",
    ),
    spec(
        Criterion::Leisure,
        "leisure",
        "Freizeit",
        "leisure",
        3.0,
        "always (playgrounds with children)",
        Combine::Mean,
        LEISURE_PARTS,
        "a transparent weighted sum of pools, library, cinema, culture, sports clubs and (where \
         mapped) playgrounds; parts without statewide data are used only where they exist and \
         never count against a town they do not cover",
    ),
    CriterionSpec {
        curves: &[&TOWN_SIZE_LOG],
        ..spec(
            Criterion::TownSize,
            "town_size",
            "Ortsgröße",
            "town size",
            3.0,
            "town_size is given",
            Combine::Computed,
            &[],
            "population against the preferred class (village < 5,000, small town < 20,000, town < \
             100,000, city); outside the class the utility falls with the factor by which the \
             town is too small or too large",
        )
    },
];

/// Facility categories a `must.within_km` limit may name; each reads `<id>_distance_km`.
pub const FACILITIES: &[(&str, &str, &str)] = &[
    ("childcare", "Kita", "Kita"),
    ("primary_school", "Grundschule", "primary school"),
    ("oberschule", "Oberschule", "Oberschule"),
    ("gymnasium", "Gymnasium", "Gymnasium"),
    ("special_school", "Förderschule", "special-needs school"),
    ("vocational_school", "Berufsschule", "vocational school"),
    ("pool", "Schwimmbad", "swimming pool"),
    ("indoor_pool", "Hallenbad", "indoor pool"),
    ("library", "Bibliothek", "library"),
    ("culture", "Kulturort", "culture site"),
    ("cinema", "Kino", "cinema"),
    ("playground", "Spielplatz", "playground"),
    ("rail_station", "Bahnhof", "railway station"),
];

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

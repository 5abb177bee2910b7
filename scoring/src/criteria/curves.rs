//! Every utility curve, each breakpoint with its evidence (see `shared/DOMAIN.md`).

use crate::curve::{Breakpoint, Curve};

const fn bp(x: f64, utility: f64, why: &'static str) -> Breakpoint {
    Breakpoint { x, utility, why }
}

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
    reason: "minutes estimated from the crow-flies distance: by car with the speed curve fitted \
             on official routed minutes, without a car bus or regional train, fitted on official public-transport minutes",
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
    reason: "the budget is the household's own statement of the rent it can pay: net cold rent \
             by default, or warm rent (rent_budget_basis: warm), then compared with the cold \
             rent plus the average operating costs (operating_costs_eur_m2)",
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

/// Every curve of the table, for [`crate::criteria::table()`] and the consistency test.
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

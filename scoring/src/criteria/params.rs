//! The fixed parameters of the scoring, each with its reason.

use super::curves::COMMUTE_MIN;
use super::spec::{Param, Veto};
use crate::curve::Curve;

/// Road distance ≈ crow-flies distance × this factor.
pub const DETOUR_FACTOR: Param = Param {
    id: "detour_factor",
    value: 1.3,
    unit: "",
    why: "German roads are on average about 1.3 times longer than the straight line; the result \
          is labelled as an estimate everywhere it is shown",
};

/// The fit behind the car curve's four parameters, quoted in each one's reason.
macro_rules! car_fit {
    () => {
        "Fitted: least-squares fit (scoring::travel::fit) of t(d) = start + d·60/far + \
         (60/near − 60/far)·rise·(1 − e^(−d/rise)) on 1,656 pairs of the bundled atlas: per \
         municipality lotse's population-weighted crow-flies km to the nearest primary school, \
         Sek I school, indoor pool and Ober-/Mittelzentrum against the official routed car \
         minutes (Deutschlandatlas p_grunds, p_sek_1, p_hbad, p_ozmz_miv); root-mean-square \
         error 2.5 min, mean absolute error 1.1–2.8 min per band up to 20 km \
         (docs/travel-times.md)"
    };
}

/// Car minutes at distance 0 ([`crate::travel::CarCurve`]).
pub const CAR_START_MIN: Param = Param {
    id: "car_start_min",
    value: 1.79,
    unit: "min",
    why: concat!(
        "minutes at distance 0: getting in and out, the first turns. ",
        car_fit!()
    ),
};

/// Marginal crow-flies car speed at the start of a trip ([`crate::travel::CarCurve`]).
pub const CAR_SPEED_NEAR_KMH: Param = Param {
    id: "car_speed_near_kmh",
    value: 21.8,
    unit: "km/h",
    why: concat!(
        "the crow-flies speed of the first kilometre (town streets). ",
        car_fit!()
    ),
};

/// Length over which the marginal car speed rises from the near to the far speed.
pub const CAR_SPEED_RISE_KM: Param = Param {
    id: "car_speed_rise_km",
    value: 2.14,
    unit: "km",
    why: concat!(
        "how fast the marginal speed rises from town streets to through roads. ",
        car_fit!()
    ),
};

/// Marginal crow-flies car speed far from the start ([`crate::travel::CarCurve`]).
pub const CAR_SPEED_FAR_KMH: Param = Param {
    id: "car_speed_far_kmh",
    value: 67.5,
    unit: "km/h",
    why: concat!(
        "the marginal crow-flies speed on long trips (about 88 km/h by road at the detour \
          factor): the curve extrapolates past the longest calibration trip (25 km) at this \
          speed. ",
        car_fit!(),
        ". The data barely pins it (holding it at 60 or 87 km/h costs \
          0.01 min of root-mean-square error), so it is checked against route-planner bounds on \
          four long trips (Dresden–Leipzig 96 min) and stays below the motorway ceiling of 87 \
          km/h crow-flies (113.5 km/h average on German motorways without a limit, IW Köln 2024, \
          over the detour factor)"
    ),
};

/// Minutes for getting to a stop and waiting ([`crate::travel::transit::TransitModel`]).
pub const TRANSIT_WAIT_MIN: Param = Param {
    id: "transit_wait_min",
    value: 9.26,
    unit: "min",
    why: "getting to the stop and waiting, once per trip (and again for a feeder bus to a \
          station). Fitted: least-squares fit (scoring::travel::fit::fit_transit) on 409 \
          municipalities of the bundled atlas: the official public-transport minutes to the \
          nearest Ober- or Mittelzentrum (Deutschlandatlas p_ozmz_oev, BBSR, per municipal \
          association) against the model — bus over the residents' mean crow-flies km to it, or \
          the train between the stations nearest the two centres with the way to and from them, \
          the faster; root-mean-square error 6.3 min, mean absolute error 3.1–5.9 min per band \
          up to 20 km (docs/travel-times.md)",
};

/// Crow-flies bus speed ([`crate::travel::transit::TransitModel`]).
pub const BUS_SPEED_KMH: Param = Param {
    id: "bus_speed_kmh",
    value: 24.6,
    unit: "km/h",
    why: "the crow-flies speed of a bus ride, stops included. Fitted: least-squares fit \
          (scoring::travel::fit::fit_transit) on 409 municipalities of the bundled atlas: the \
          official public-transport minutes to the nearest Ober- or Mittelzentrum \
          (Deutschlandatlas p_ozmz_oev, BBSR, per municipal association) against the model — bus \
          over the residents' mean crow-flies km to it, or the train between the stations \
          nearest the two centres with the way to and from them, the faster; root-mean-square \
          error 6.3 min, mean absolute error 3.1–5.9 min per band up to 20 km \
          (docs/travel-times.md)",
};

/// Crow-flies speed of regional trains between stations.
pub const RAIL_SPEED_KMH: Param = Param {
    id: "rail_speed_kmh",
    value: 65.0,
    unit: "km/h",
    why: "regional trains run 50–80 km/h between stations; Chemnitz–Leipzig, 68 km crow-flies \
          between the stations, is about an hour by regional train: 65 km/h crow-flies. The \
          official public-transport minutes cannot pin it (trips to the nearest central place are \
          short and seldom by train: refitting with 50 or 80 km/h changes the fit error by less \
          than 0.1 min, docs/travel-times.md)",
};

/// Crow-flies walking speed to and from a station.
pub const WALK_SPEED_KMH: Param = Param {
    id: "walk_speed_kmh",
    value: 3.3,
    unit: "km/h",
    why: "1.2 m/s (4.3 km/h), the walking speed German traffic-signal guidelines (RiLSA) design \
          for, over the detour factor 1.3",
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

/// Operating costs a tenant pays on top of the net cold rent, heating and hot water included,
/// per m² and month: what turns the needed flat's cold rent into the warm rent a warm budget
/// (`rent_budget_basis: warm`) is compared with.
pub const OPERATING_COSTS_EUR_M2: Param = Param {
    id: "operating_costs_eur_m2",
    value: 2.51,
    unit: "EUR/m2 a month",
    why: "Deutscher Mieterbund, Betriebskostenspiegel for the billing year 2023: tenants in \
          Germany paid on average 2.51 €/m² a month in operating costs, 1.26 of it for heating \
          and hot water (all possible kinds together: up to 3.46). A German average, not a \
          Saxon one and not this flat's: the warm rent it gives is labelled an estimate",
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

/// How far a weight may move in the robustness draws (SMAA), in steps of the 0–5 scale.
pub const SMAA_WEIGHT_STEP: Param = Param {
    id: "smaa_weight_step",
    value: 1.0,
    unit: "steps of the 0–5 scale",
    why: "a weight is a rough answer on a 0–5 scale: a household that said 3 could as well have \
          said 2 or 4, and one step is a large change (2 → 3 is +50 %). Each draw takes every \
          active weight w uniformly from [max(w − 1, w × smaa_weight_floor), min(w + 1, 5)] and \
          normalises the vector (a point on the simplex around the household's weights; the \
          score is a weighted mean, so the normalisation changes no score). SMAA, Lahdelma & \
          Salminen 2001; Tervonen's smaa package draws on the simplex the same way",
};

/// The least share of its stated weight a criterion keeps in the robustness draws.
pub const SMAA_WEIGHT_FLOOR: Param = Param {
    id: "smaa_weight_floor",
    value: 0.5,
    unit: "share of the weight",
    why: "one step down from weight 1 is 0, which means 'ignore' — the household did not say \
          that. A criterion keeps at least half its stated weight, so weight 1 is drawn from \
          0.5–2 (a factor of 4, more doubt than any higher weight gets); from weight 2 up the \
          step alone decides",
};

/// Mean absolute relative error of an estimated commute time.
pub const COMMUTE_MINUTES_ERROR: Param = Param {
    id: "commute_minutes_error",
    value: 0.18,
    unit: "share",
    why: "the mean absolute relative error of the travel-time models on commute-like trips (5 km \
          crow-flies and more) against the official routed minutes: 0.176 over 688 car pairs and \
          314 public-transport trips (docs/travel-times.md; scoring/tests/travel_times.rs checks \
          it). Each draw multiplies a municipality's estimated minutes by a factor uniform in \
          1 ± 2 × 0.18 (a uniform error of that width has this mean absolute error), \
          independently per municipality, and reads the commute curve again",
};

/// Mean absolute relative error of the estimated rent of a new lease.
pub const RENT_NEW_LEASE_ERROR: Param = Param {
    id: "rent_new_lease_error",
    value: 0.074,
    unit: "share",
    why: "the estimate carries the district's ratio of asking to existing rent to each of its \
          municipalities; how far a municipality's own ratio lies from its district's is not \
          published, so the spread of the ratio between Saxony's 13 districts stands in: 1.11 \
          (Chemnitz) to 1.54 (Leipzig), mean absolute deviation 7.4 % on the log scale \
          (Deutschlandatlas HA26 preis_miet ÷ Zensus 2022 QMMIETE; a test recomputes it from \
          the atlas). Each draw multiplies a municipality's rent by a factor uniform in \
          1 ± 2 × 0.074, independently per municipality, and reads the affordability curves again",
};

/// Number of draws per robustness check.
pub const SMAA_DRAWS: Param = Param {
    id: "smaa_draws",
    value: 10_000.0,
    unit: "draws",
    why: "a share in the top k is then known to ±1 percentage point at 95 % confidence (binomial \
          standard error at most 0.5/√10,000 = 0.5 pp), and the 5th and 95th percentile ranks \
          each rest on 500 draws",
};

/// Earth radius for crow-flies distances.
pub const EARTH_RADIUS_KM: Param = Param {
    id: "earth_radius_km",
    value: 6371.0088,
    unit: "km",
    why: "mean radius (IUGG); on the sphere the error against the ellipsoid is below 0.5 %, \
          far below the uncertainty of the detour factor",
};

/// The commute limit in force when a workplace is given and the profile sets no
/// `max_commute_min`: the commute curve's zero point, read from the curve.
pub const COMMUTE_LIMIT_DEFAULT_MIN: Param = Param {
    id: "commute_limit_default_min",
    value: zero_point(&COMMUTE_MIN),
    unit: "min",
    why: "the commute curve's zero point: beyond it the commute has no utility left, and a \
          weighted mean would let schools or a pool make up for a commute the evidence calls a \
          reason to move (63 % of households with children move when it exceeds an hour). Such \
          a town is listed apart with by how much it misses, not ranked among the others (a \
          veto threshold, Roy 1991); max_commute_min raises or lowers the limit",
};

/// The weight that makes a criterion essential: the top of the 0–5 scale.
pub const ESSENTIAL_WEIGHT: Param = Param {
    id: "essential_weight",
    value: 5.0,
    unit: "weight (0–5)",
    why: "the top of the scale, which the page calls essential. Only a weight the household \
          sets to 5 itself vetoes: the default 5s (childcare, affordability) were chosen for a \
          typical family, not said by this one. Measured on the bundled atlas, default 5s that \
          vetoed would leave typical profiles untouched (a toddler family with 900 €, a teen \
          family with 1,000 €, a single with 3,000 € income: 0 of 418 towns) but would silently \
          remove 39 towns for a family of four with 550 € and 191 with 450 €, a household that \
          never called the budget essential. The commute's veto is the commute limit, so its \
          weight adds none",
};

/// Below this utility a criterion the household calls essential vetoes a town.
pub const ESSENTIAL_FLOOR: Param = Param {
    id: "essential_floor",
    value: 25.0,
    unit: "utility (0–100)",
    why: "the utility the curves give where the evidence names a minimum standard: the G-BA's \
          30 car minutes to a hospital, the MKRO's 30 car or 45 transit minutes to a \
          Mittelzentrum and 60 to an Oberzentrum, Eurostat's housing-overburden line (all 25); \
          a fifth over the rent budget gives 20. Below it, no other strength makes up for a \
          criterion the household set to 5 (an ELECTRE veto threshold, Roy 1991): the town is \
          listed apart with by how much it misses. A town without data for the criterion is not \
          vetoed but flagged, as a limit that cannot be checked",
};

/// The first raw value at which a falling curve gives no utility at all (its zero point);
/// `NaN` for a curve that never reaches 0.
const fn zero_point(c: &Curve) -> f64 {
    let mut i = 0;
    while i < c.points.len() {
        if c.points[i].utility == 0.0 {
            return c.points[i].x;
        }
        i += 1;
    }
    f64::NAN
}

/// The veto rule as the criteria table serves it.
pub const VETO: Veto = Veto {
    rule_de: "Kein Ausgleich über ein Veto hinaus. Mit Arbeitsort gilt eine Grenze für den \
              geschätzten Arbeitsweg (ohne eigene Angabe der Nullpunkt der Arbeitsweg-Kurve); \
              eine Gemeinde jenseits davon wird gesondert aufgeführt, mit dem Abstand, nicht \
              mitgerangt. Ein Kriterium, das Sie selbst auf 5 (unverzichtbar) setzen, schließt \
              eine Gemeinde aus, deren Nutzen darauf unter der Mindestschwelle liegt.",
    rule_en: "No compensation past a veto. With a workplace a limit on the estimated commute is \
              in force (without one of your own, the commute curve's zero point); a town beyond \
              it is listed apart with by how much, not ranked among the others. A criterion you \
              set to 5 (essential) yourself excludes a town whose utility on it is below the \
              floor.",
    why: "ELECTRE's veto thresholds (Roy 1991): no amount of good schools makes a three-hour \
          commute acceptable. Applies to the arithmetic and the geometric mean alike",
    commute_default_min: COMMUTE_LIMIT_DEFAULT_MIN.value,
    essential_weight: ESSENTIAL_WEIGHT.value,
    essential_floor: ESSENTIAL_FLOOR.value,
};

/// All fixed parameters, for [`crate::criteria::table()`].
pub const PARAMS: &[Param] = &[
    DETOUR_FACTOR,
    CAR_START_MIN,
    CAR_SPEED_NEAR_KMH,
    CAR_SPEED_RISE_KM,
    CAR_SPEED_FAR_KMH,
    TRANSIT_WAIT_MIN,
    BUS_SPEED_KMH,
    RAIL_SPEED_KMH,
    WALK_SPEED_KMH,
    SPACE_FIRST_PERSON_M2,
    SPACE_PER_FURTHER_PERSON_M2,
    OPERATING_COSTS_EUR_M2,
    MIN_WEIGHT_COVERAGE,
    GEOMETRIC_FLOOR,
    SMAA_WEIGHT_STEP,
    SMAA_WEIGHT_FLOOR,
    COMMUTE_MINUTES_ERROR,
    RENT_NEW_LEASE_ERROR,
    SMAA_DRAWS,
    EARTH_RADIUS_KM,
    COMMUTE_LIMIT_DEFAULT_MIN,
    ESSENTIAL_WEIGHT,
    ESSENTIAL_FLOOR,
];

//! The fixed parameters of the scoring, each with its reason.

use super::spec::Param;

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
    value: 0.15,
    unit: "share",
    why: "mean absolute error of the travel-time fit, see docs/travel-times.md. Each draw \
          multiplies a municipality's estimated minutes by a factor uniform in 1 ± 2 × 0.15 \
          (a uniform error of that width has this mean absolute error), independently per \
          municipality, and reads the commute curve again",
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

/// All fixed parameters, for [`crate::criteria::table()`].
pub const PARAMS: &[Param] = &[
    DETOUR_FACTOR,
    CAR_SPEED_KMH,
    TRANSIT_SPEED_KMH,
    SPACE_FIRST_PERSON_M2,
    SPACE_PER_FURTHER_PERSON_M2,
    MIN_WEIGHT_COVERAGE,
    GEOMETRIC_FLOOR,
    SMAA_WEIGHT_STEP,
    SMAA_WEIGHT_FLOOR,
    COMMUTE_MINUTES_ERROR,
    RENT_NEW_LEASE_ERROR,
    SMAA_DRAWS,
    EARTH_RADIUS_KM,
];

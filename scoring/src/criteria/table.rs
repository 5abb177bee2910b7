//! The criteria: the list ([`Criterion`]) and its rows, every criterion with its parts, default
//! weights, switch-on rule and reasons; and the facility categories a hard limit may name.
//!
//! One [`criteria_table!`] entry makes a criterion: the enum variant, its place in
//! [`Criterion::ALL`] and its row of [`CRITERIA`] come from the same line, so they cannot go
//! out of step. An indicator-based criterion needs nothing else (its parts name the atlas
//! indicators and curves; a new curve may be written inline, `&Curve { … }`, and is served
//! with the others); a computed one also needs its utilities in `rank::dynamic`.

use super::curves::*;
use super::spec::{Combine, Coverage, Input, Measure, Part, Phrase, Pick, Role, SwitchOn};
use crate::curve::Curve;
use crate::vocab::{AgeBand, Lang};
use serde::Serialize;

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
    /// When the criterion is on for a household that sets no weight for it: the rule the
    /// ranking applies and the page shows (`switched_on_when` says it in words).
    pub switch_on: SwitchOn,
}

impl CriterionSpec {
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::De => self.label_de,
            Lang::En => self.label_en,
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

/// Defines [`Criterion`], [`Criterion::ALL`], [`Criterion::COUNT`] and [`CRITERIA`] from one
/// list of `Variant => row` entries, in display order.
macro_rules! criteria_table {
    ($($variant:ident => $row:expr),* $(,)?) => {
        /// Every criterion lotse knows, in display order. The id (snake_case) is the key of a
        /// profile's `weights`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum Criterion {
            $($variant),*
        }

        impl Criterion {
            /// How many criteria there are: the length of every array indexed by criterion.
            pub const COUNT: usize = [$(Criterion::$variant),*].len();

            /// All criteria in display order.
            pub const ALL: [Criterion; Criterion::COUNT] = [$(Criterion::$variant),*];
        }

        /// The criteria table, indexed by [`Criterion`].
        pub const CRITERIA: [CriterionSpec; Criterion::COUNT] = [$($row),*];
    };
}

const fn m(indicator: &'static [&'static str], curve: &'static Curve, phrase: Phrase) -> Measure {
    Measure {
        indicators: indicator,
        pick: Pick::First,
        curve,
        phrase,
        label_de: "",
        label_en: "",
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
        role: Role::Scored,
        coverage_note: "",
        coverage_note_de: "",
        only_with_children: false,
        band: None,
    }
}

const CHILDCARE_PARTS: &[Part] = &[
    Part {
        coverage: Coverage::Local,
        role: Role::Shown,
        coverage_note: "Kita locations exist only for Dresden and its neighbours, Chemnitz and \
                        Leipzig: shown, not scored",
        coverage_note_de: "Kita-Standorte gibt es nur für Dresden und Nachbarorte, Chemnitz und \
                           Leipzig: gezeigt, nicht bewertet",
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
        label_de: "",
        label_en: "",
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
        // Points exist for pools of every kind, not for outdoor pools alone: without a car
        // the part reads the nearest pool and says so.
        Measure {
            label_de: "Schwimmbad (Hallen- oder Freibad)",
            label_en: "swimming pool (indoor or outdoor)",
            ..m(&["pool_distance_km"], &POOL_BIKE, Phrase::Distance)
        },
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
        coverage_note_de: "nur bekannte Orte (Wikidata): eine große Entfernung kann eine Lücke \
                           in den Daten sein",
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
        role: Role::Shown,
        coverage_note: "playgrounds are mapped for Leipzig only: shown, not scored",
        coverage_note_de: "Spielplätze sind nur für Leipzig erfasst: gezeigt, nicht bewertet",
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
    switch_on: SwitchOn,
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
        switch_on,
    }
}

criteria_table! {
    Childcare => spec(
        Criterion::Childcare,
        "childcare",
        "Kinderbetreuung",
        "childcare",
        5.0,
        "a child is under 7 (or the weight is set explicitly)",
        Combine::Mean,
        CHILDCARE_PARTS,
        "the district's care rate for the youngest child's age band (under 3, or 3–6), because \
         under-3 places are the scarcer ones: the one measure every municipality has. The Kita \
         distance exists only where Kita locations are mapped (Dresden region, Chemnitz, \
         Leipzig); it is shown beside the score, never scored, because scoring it moved mapped \
         towns 7–23 points against their unmapped neighbours of the same district",
        SwitchOn::ChildAged {
            min_age: 0,
            max_age: 6,
        },
    ),
    PrimarySchool => spec(
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
        SwitchOn::ChildAged {
            min_age: 6,
            max_age: 10,
        },
    ),
    SecondarySchool => spec(
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
        SwitchOn::ChildAged {
            min_age: 10,
            max_age: 17,
        },
    ),
    Gymnasium => spec(
        Criterion::Gymnasium,
        "gymnasium",
        "Gymnasium",
        "Gymnasium",
        2.0,
        "a child is 10–17 (or the weight is set explicitly)",
        Combine::Mean,
        GYMNASIUM_PARTS,
        "a family that wants the Abitur track raises this weight or sets must.within_km.gymnasium",
        SwitchOn::ChildAged {
            min_age: 10,
            max_age: 17,
        },
    ),
    Affordability => CriterionSpec {
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
             asking / existing ratio. A warm-rent budget (rent_budget_basis: warm) is compared \
             with the cold rent plus the needed space × the German average operating costs \
             (operating_costs_eur_m2, Deutscher Mieterbund), and the sentence says which",
            SwitchOn::Given {
                any_of: &[Input::RentBudget, Input::Income],
                code: "affordability_needs_money",
                note_de: "Bezahlbarkeit ist aus: dafür rent_budget_eur oder income_eur angeben.",
                note_en: "Affordability is off: give rent_budget_eur or income_eur.",
            },
        )
    },
    Commute => CriterionSpec {
        curves: &[&COMMUTE_MIN],
        ..spec(
            Criterion::Commute,
            "commute",
            "Arbeitsweg",
            "commute",
            4.0,
            "a workplace is given; then a town beyond the commute limit in force (max_commute_min, \
             by default the commute curve's zero point) is excluded, not ranked",
            Combine::Computed,
            &[],
            "from the municipality's population-weighted centre to each workplace: crow-flies × \
             1.3 = estimated road distance (shown, and read by max_commute_km); car minutes from \
             the crow-flies distance with a speed that rises with distance (town streets on \
             short trips, through roads on long ones), fitted on 1,656 official routed car times \
             (Deutschlandatlas; error per distance band in docs/travel-times.md); without a car \
             the faster of bus (a wait, then the bus speed) and regional train between the \
             stations nearest the two centres (with the way to and from them and a wait), fitted \
             on the official public-transport minutes to the nearest central place. Inside the workplace's own municipality \
             the way across town: its residents' mean crow-flies distance to its centre (1 km \
             population grid). An estimate, never a timetable. With several workplaces the \
             utilities are averaged",
            SwitchOn::Given {
                any_of: &[Input::Workplace],
                code: "commute_needs_workplace",
                note_de: "Arbeitsweg ist aus: dafür workplace angeben.",
                note_en: "Commute is off: give a workplace.",
            },
        )
    },
    Transit => CriterionSpec {
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
            SwitchOn::Always,
        )
    },
    EverydayServices => CriterionSpec {
        default_weight_without_car: 1.0,
        ..spec(
            Criterion::EverydayServices,
            "everyday_services",
            "Nahversorgung",
            "everyday services",
            2.0,
            "always; weighted lower by default without a car",
            Combine::Mean,
            EVERYDAY_PARTS,
            "supermarket, GP and pharmacy: official routed car minutes, the only statewide \
             figure (no points exist for them). Without a car the same minutes are read on a \
             walking scale as a proxy for distance, the sentence says that only car minutes are \
             known, and the default weight drops from 2 to 1: a short drive says the shop is \
             near, not that the way on foot or by bus is easy",
            SwitchOn::Always,
        )
    },
    Health => spec(
        Criterion::Health,
        "health",
        "Gesundheit",
        "health care",
        2.0,
        "always (paediatricians with children)",
        Combine::Mean,
        HEALTH_PARTS,
        "emergency department minutes and, for families, the district's paediatricians per \
         child. The emergency minutes are routed car minutes for every household (an ambulance \
         or taxi takes the road; no points exist); without a car the sentence says that only \
         car minutes are known",
        SwitchOn::Always,
    ),
    CentralPlace => spec(
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
        SwitchOn::Always,
    ),
    Leisure => spec(
        Criterion::Leisure,
        "leisure",
        "Freizeit",
        "leisure",
        3.0,
        "always (playgrounds with children)",
        Combine::Mean,
        LEISURE_PARTS,
        "a transparent weighted sum of pools, library, cinema, culture and sports clubs; \
         playgrounds (mapped for Leipzig only) are shown where they exist, never scored, so no \
         town gains or loses by which data exists",
        SwitchOn::Always,
    ),
    TownSize => CriterionSpec {
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
            SwitchOn::Given {
                any_of: &[Input::TownSize],
                code: "town_size_needs_preference",
                note_de: "Ortsgröße ist aus: dafür town_size angeben.",
                note_en: "Town size is off: give town_size.",
            },
        )
    },
}

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

impl Criterion {
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

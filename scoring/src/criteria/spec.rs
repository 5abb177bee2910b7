//! The shapes of the criteria table: what a criterion, a part, a measure and a parameter are.
//! The rows themselves live in [`super::table`], the curves in [`super::curves`].

use crate::curve::Curve;
use crate::vocab::{AgeBand, Lang};
use serde::Serialize;

/// A fixed number the scoring relies on, with its reason.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Param {
    pub id: &'static str,
    pub value: f64,
    pub unit: &'static str,
    pub why: &'static str,
}

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
    /// How many criteria there are: the length of every array indexed by criterion, so that a
    /// new criterion that is missing from one of them does not compile.
    pub const COUNT: usize = 12;

    /// All criteria in display order.
    pub const ALL: [Criterion; Criterion::COUNT] = [
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
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::De => self.label_de,
            Lang::En => self.label_en,
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
    /// When the criterion is on for a household that sets no weight for it: the rule the
    /// ranking applies and the page shows (`switched_on_when` says it in words).
    pub switch_on: SwitchOn,
}

/// When a criterion takes part for a household whose profile sets no weight for it. Data, so
/// that the ranking, the API and the page read one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "when", rename_all = "snake_case")]
pub enum SwitchOn {
    /// For every household.
    Always,
    /// When a child is `min_age` to `max_age` years old (both included). An explicit weight
    /// switches it on without such a child.
    ChildAged { min_age: u32, max_age: u32 },
    /// Only when the profile gives at least one of `any_of`: without it the criterion cannot be
    /// computed, so not even an explicit weight switches it on; a positive explicit weight then
    /// gets a note with `code` and the sentence in German (`note_de`) or English (`note_en`).
    Given {
        any_of: &'static [Input],
        code: &'static str,
        note_de: &'static str,
        note_en: &'static str,
    },
}

/// A profile input a computed criterion needs; serialised as the profile field's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Input {
    #[serde(rename = "rent_budget_eur")]
    RentBudget,
    #[serde(rename = "income_eur")]
    Income,
    #[serde(rename = "workplace")]
    Workplace,
    #[serde(rename = "town_size")]
    TownSize,
}

impl SwitchOn {
    /// Whether a household with children of these ages (and none other) has the criterion on
    /// by this rule alone; `given` says whether the profile gives an input.
    pub fn is_on(&self, children: &[u32], given: impl Fn(Input) -> bool) -> bool {
        match *self {
            SwitchOn::Always => true,
            SwitchOn::ChildAged { min_age, max_age } => {
                children.iter().any(|a| (min_age..=max_age).contains(a))
            }
            SwitchOn::Given { any_of, .. } => any_of.iter().any(|&i| given(i)),
        }
    }
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

//! The shapes the criteria table is made of: parts, measures, switch-on rules, parameters. The
//! criteria themselves (the list and its rows) live in [`super::table`], the curves in
//! [`super::curves`].

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

/// The veto rule: where no strength makes up for a weakness any more (ELECTRE-style veto
/// thresholds), in words and with the numbers the ranking applies (each from its [`Param`]).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Veto {
    pub rule_de: &'static str,
    pub rule_en: &'static str,
    pub why: &'static str,
    /// The commute limit (minutes) when the profile sets no `max_commute_min`.
    pub commute_default_min: f64,
    /// The weight a household sets itself to make a criterion essential.
    pub essential_weight: f64,
    /// Below this utility an essential criterion excludes a town.
    pub essential_floor: f64,
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
    /// What this measure reads, in German and English, where it is not what the part's label
    /// says (e.g. any pool where the part is the outdoor pool); empty: the part's label.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub label_de: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub label_en: &'static str,
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
    /// Only some municipalities (Kita points in three cities, playgrounds in one). Such a part
    /// is shown beside the score, never scored ([`Role::Shown`]): scoring it would rank towns
    /// by which data happens to exist.
    Local,
}

impl Coverage {
    /// Statewide, the usual case (answers leave it out of a part).
    pub fn is_statewide(&self) -> bool {
        *self == Coverage::Statewide
    }
}

/// Whether a part moves its criterion's utility or is only shown beside it. Data, so that the
/// ranking, the explanations and the page (`GET /api/v1/criteria`) read one rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Enters the utility: every municipality is scored on the same scored parts.
    Scored,
    /// Shown in the explanation and the detail (`used: false`), never in the utility. Every
    /// part with [`Coverage::Local`] data has this role: a criterion scores all municipalities
    /// with the same indicators (`shared/DOMAIN.md`, "One measure per criterion").
    Shown,
}

impl Role {
    /// Scored, the usual case (answers leave it out of a part).
    pub fn is_scored(&self) -> bool {
        *self == Role::Scored
    }
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
    /// Whether the part is scored or only shown ([`Role`]).
    pub role: Role,
    /// What [`Coverage::Partial`] or [`Coverage::Local`] means here, in English.
    pub coverage_note: &'static str,
    /// The same in German.
    pub coverage_note_de: &'static str,
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

    /// What the part's measure with or without a car reads, in a language: the measure's own
    /// label where it has one, else the part's.
    pub fn label_for(&self, car: bool, lang: Lang) -> &'static str {
        let m = self.measure(car);
        match lang {
            Lang::De if !m.label_de.is_empty() => m.label_de,
            Lang::En if !m.label_en.is_empty() => m.label_en,
            _ => self.label(lang),
        }
    }

    /// What its coverage means here, in a language (empty for statewide data).
    pub fn coverage_note(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::De => self.coverage_note_de,
            Lang::En => self.coverage_note,
        }
    }

    /// Whether the part enters its criterion's utility.
    pub fn scored(&self) -> bool {
        self.role == Role::Scored
    }
}

/// How the parts of a criterion combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Combine {
    /// Weighted mean of the scored parts present; missing parts' weights are shared among the
    /// others. Parts with [`Role::Shown`] are explained, never averaged in.
    Mean,
    /// Computed from the profile (affordability, commute, town size).
    Computed,
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

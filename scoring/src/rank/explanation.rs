//! The explanation of one criterion for one municipality, as answers carry it (written by
//! [`super::explain`]).

use crate::atlas::Resolution;
use crate::criteria::{Coverage, Criterion};
use serde::Serialize;
use std::borrow::Cow;

/// One ingredient of a criterion for one municipality.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartValue<'a> {
    /// Part id from the criteria table (e.g. `indoor_pool`), or an input of a computed
    /// criterion (e.g. `rent_existing`, `workplace`).
    pub part: &'static str,
    pub label: Cow<'static, str>,
    /// Atlas indicator the value comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator: Option<&'a str>,
    pub value: Option<f64>,
    pub unit: &'static str,
    /// Utility 0–100 of this part, where it has its own curve.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utility: Option<f64>,
    /// Weight within the criterion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// The median resident's value (population-weighted).
    pub median: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Resolution>,
    pub coverage: Coverage,
    pub estimate: bool,
    /// Whether it entered the utility here (false when missing, or a fallback not needed).
    pub used: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_reason: Option<&'a str>,
}

/// One criterion for one municipality.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Explanation<'a> {
    pub criterion: Criterion,
    pub label: &'static str,
    /// The headline raw figure (for criteria made of several parts: none, see `parts`).
    pub value: Option<f64>,
    pub unit: &'static str,
    /// The median resident's value of the same figure (population-weighted, over the
    /// municipalities that have it): "median resident in Saxony", not the median municipality.
    pub median: Option<f64>,
    /// 0–100; none when the criterion dropped out here for lack of data.
    pub utility: Option<f64>,
    /// The profile's weight 0–5.
    pub weight: f64,
    /// Share of this municipality's score the criterion carries (0 when dropped).
    pub share: f64,
    /// Arithmetic mean: points of the score (share × utility; they add up to the score).
    /// Geometric mean: the factor max(utility, 1)^share (they multiply to the score).
    pub contribution: Option<f64>,
    /// Spatial level of the headline figure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Resolution>,
    /// True when the headline figure is lotse's estimate (rent for a new lease, road distance).
    pub estimate: bool,
    /// True when the criterion dropped out for lack of data (weight redistributed).
    pub dropped: bool,
    /// Ingredients (sub-criteria or inputs). Borrowed for indicator-based criteria, written once
    /// per atlas like their sentences.
    #[serde(skip_serializing_if = "no_parts")]
    pub parts: Cow<'a, [PartValue<'a>]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_reason: Option<&'a str>,
    /// One sentence in the profile's language. Borrowed for indicator-based criteria, whose
    /// sentences do not depend on the household and are written once per atlas.
    pub sentence: Cow<'a, str>,
}

#[allow(clippy::ptr_arg)] // serde's skip_serializing_if hands over the field itself
fn no_parts(p: &Cow<'_, [PartValue<'_>]>) -> bool {
    p.is_empty()
}

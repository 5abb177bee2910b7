//! The explanation of one criterion for one municipality, as answers carry it (written by
//! [`super::explain`]), and what every municipality's explanation of a criterion shares
//! ([`PartInfo`]).
//!
//! An answer stays lean: labels, units, medians, spatial levels and coverage are the same for
//! every municipality, so they are serialised once, in the answer's `criteria`
//! ([`super::ActiveCriterion`] and its [`PartInfo`]s), never per row. The Rust values keep
//! them (`serde(skip_serializing)`) for callers that read one explanation alone. Figures are
//! written rounded ([`super::decimals`]): utilities to two decimals, values, shares and
//! contributions to four.

use super::decimals::{decimals, opt_decimals};
use crate::atlas::Resolution;
use crate::criteria::{Coverage, Criterion, Role};
use serde::Serialize;
use std::borrow::Cow;

/// What the explanations of every municipality share for one part of a criterion: its label,
/// source indicator, unit, weight, median, spatial level, coverage and role. Carried once per
/// answer in [`super::ActiveCriterion::parts`], in the order of each row's `parts`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartInfo<'a> {
    /// Part id, as each row's [`PartValue::part`].
    pub part: &'static str,
    pub label: Cow<'static, str>,
    /// Atlas indicator the values come from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator: Option<&'a str>,
    pub unit: &'static str,
    /// Weight within the criterion (scored parts of a weighted mean).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// The median resident's value (population-weighted).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_decimals::<4, _>"
    )]
    pub median: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Resolution>,
    /// Absent: `statewide`.
    #[serde(skip_serializing_if = "Coverage::is_statewide")]
    pub coverage: Coverage,
    /// `shown`: explained beside the score, never scored (data for part of the state only).
    /// Absent: `scored`.
    #[serde(skip_serializing_if = "Role::is_scored")]
    pub role: Role,
    /// True when the part's figure is lotse's estimate; absent otherwise.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub estimate: bool,
    /// What the coverage means here, in the answer's language (partial or local data).
    #[serde(skip_serializing_if = "str::is_empty")]
    pub note: &'static str,
}

impl<'a> PartInfo<'a> {
    /// The shared fields of a part as one municipality's explanation gives them.
    pub fn of(p: &PartValue<'a>) -> Self {
        PartInfo {
            part: p.part,
            label: p.label.clone(),
            indicator: p.indicator,
            unit: p.unit,
            weight: p.weight,
            median: p.median,
            resolution: p.resolution,
            coverage: p.coverage,
            role: p.role,
            estimate: p.estimate,
            note: p.note,
        }
    }
}

/// One ingredient of a criterion for one municipality. In JSON only what differs between
/// municipalities: the id, the figure, its utility and why there is none; the rest is in the
/// answer's `criteria` ([`PartInfo`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartValue<'a> {
    /// Part id from the criteria table (e.g. `indoor_pool`), or an input of a computed
    /// criterion (e.g. `rent_existing`, `workplace`).
    pub part: &'static str,
    #[serde(skip_serializing)]
    pub label: Cow<'static, str>,
    /// Atlas indicator the value comes from.
    #[serde(skip_serializing)]
    pub indicator: Option<&'a str>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_decimals::<4, _>"
    )]
    pub value: Option<f64>,
    #[serde(skip_serializing)]
    pub unit: &'static str,
    /// Utility 0–100 of this part, where it has its own curve.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_decimals::<2, _>"
    )]
    pub utility: Option<f64>,
    /// Weight within the criterion.
    #[serde(skip_serializing)]
    pub weight: Option<f64>,
    /// The median resident's value (population-weighted).
    #[serde(skip_serializing)]
    pub median: Option<f64>,
    #[serde(skip_serializing)]
    pub resolution: Option<Resolution>,
    #[serde(skip_serializing)]
    pub coverage: Coverage,
    /// Scored, or shown beside the score only.
    #[serde(skip_serializing)]
    pub role: Role,
    #[serde(skip_serializing)]
    pub estimate: bool,
    /// What the coverage means here (partial or local data), in the answer's language.
    #[serde(skip_serializing)]
    pub note: &'static str,
    /// Whether it entered the utility here (false when missing, or shown only). Not in JSON:
    /// it is exactly "has a `value` and its role in `criteria` is `scored`".
    #[serde(skip_serializing)]
    pub used: bool,
    /// Why there is no figure here. None for a part shown beside the score only: where it
    /// has data is its coverage, said once in the criteria's `parts[].note`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_reason: Option<&'a str>,
}

impl<'a> PartValue<'a> {
    /// An input lotse computed for a computed criterion (a workplace's road distance, the
    /// operating costs of a warm budget, a rent share): statewide, scored, an estimate, used,
    /// with no indicator, level or median of its own. Set the rest with struct update syntax.
    pub(crate) fn estimated_input(
        part: &'static str,
        label: Cow<'static, str>,
        value: Option<f64>,
        unit: &'static str,
    ) -> Self {
        PartValue {
            part,
            label,
            indicator: None,
            value,
            unit,
            utility: None,
            weight: None,
            median: None,
            resolution: None,
            coverage: Coverage::Statewide,
            role: Role::Scored,
            note: "",
            estimate: true,
            used: true,
            missing_reason: None,
        }
    }
}

/// One criterion for one municipality. In JSON only what differs between municipalities;
/// label, unit, median, spatial level, estimate flag and weight are the same for all and are
/// carried once, in the answer's `criteria` ([`super::ActiveCriterion`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Explanation<'a> {
    pub criterion: Criterion,
    #[serde(skip_serializing)]
    pub label: &'static str,
    /// The headline raw figure (for criteria made of several parts: none, see `parts`).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_decimals::<4, _>"
    )]
    pub value: Option<f64>,
    #[serde(skip_serializing)]
    pub unit: &'static str,
    /// The median resident's value of the same figure (population-weighted, over the
    /// municipalities that have it): "median resident in Saxony", not the median municipality.
    #[serde(skip_serializing)]
    pub median: Option<f64>,
    /// 0–100; none when the criterion dropped out here for lack of data.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_decimals::<2, _>"
    )]
    pub utility: Option<f64>,
    /// The profile's weight 0–5.
    #[serde(skip_serializing)]
    pub weight: f64,
    /// Share of this municipality's score the criterion carries (0 when dropped).
    #[serde(serialize_with = "decimals::<4, _>")]
    pub share: f64,
    /// Arithmetic mean: points of the score (share × utility; they add up to the score).
    /// Geometric mean: the factor max(utility, 1)^share (they multiply to the score).
    /// Written to four decimals: they add up (multiply) to the score within 0.001.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_decimals::<4, _>"
    )]
    pub contribution: Option<f64>,
    /// Spatial level of the headline figure.
    #[serde(skip_serializing)]
    pub resolution: Option<Resolution>,
    /// True when the headline figure is lotse's estimate (rent for a new lease, road distance).
    #[serde(skip_serializing)]
    pub estimate: bool,
    /// True when the criterion dropped out for lack of data (weight redistributed); absent
    /// otherwise.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub dropped: bool,
    /// Ingredients (sub-criteria or inputs), in the order of the answer's
    /// `criteria[].parts`. Borrowed for indicator-based criteria, written once per atlas like
    /// their sentences.
    #[serde(skip_serializing_if = "no_parts")]
    pub parts: Cow<'a, [PartValue<'a>]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_reason: Option<&'a str>,
    /// One sentence in the profile's language. Borrowed for indicator-based criteria, whose
    /// sentences do not depend on the household and are written once per atlas.
    pub sentence: Cow<'a, str>,
    /// The medians to read the sentence against, in the profile's language ("median resident
    /// in Saxony: 0.8 km"); empty when there are none. The same for every municipality:
    /// serialised once, in the answer's `criteria[].median_text`.
    #[serde(skip_serializing)]
    pub median_text: Cow<'a, str>,
    /// How the figures are estimated, where that is the same for every municipality (the
    /// commute's speed model); empty otherwise. Serialised once, in `criteria[].method_text`.
    #[serde(skip_serializing)]
    pub method_text: Cow<'a, str>,
}

impl Explanation<'_> {
    /// The sentence followed by its method and medians, each in brackets, as text output
    /// reads it (an answer carries those once, in `criteria`; the page shows them the same
    /// way).
    pub fn sentence_in_full(&self) -> Cow<'_, str> {
        if self.median_text.is_empty() && self.method_text.is_empty() {
            return Cow::Borrowed(&self.sentence);
        }
        let mut s = self.sentence.to_string();
        for extra in [&self.method_text, &self.median_text] {
            if !extra.is_empty() {
                s.push_str(" (");
                s.push_str(extra);
                s.push(')');
            }
        }
        Cow::Owned(s)
    }
}

#[allow(clippy::ptr_arg)] // serde's skip_serializing_if hands over the field itself
fn no_parts(p: &Cow<'_, [PartValue<'_>]>) -> bool {
    p.is_empty()
}

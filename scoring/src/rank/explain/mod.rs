//! Explanations: every score decomposed into criteria a newcomer understands.
//!
//! Per municipality and active criterion: the raw value with its unit, the utility, the weight,
//! the share of the score it carries here (after redistribution of missing weights), its
//! contribution, Saxony's median of the same figure (in `median_text`, apart from the sentence), the spatial level and whether it is an
//! estimate, the parts it is made of, and one sentence in the profile's language.
//!
//! Below the ranking: it reads the prepared atlas (`Prepared`, read-only), the plan and the
//! profile-dependent utilities, and writes [`Explanation`]s; it ranks nothing. Files:
//! `phrase` the sentence helpers, `indicator` the indicator-based criteria (written once
//! per atlas into `Sentences`), `computed` affordability, commute and town size (written
//! per ranking), `exclusion` the sentence for a missed hard limit.

mod computed;
mod exclusion;
mod indicator;
mod medians;
mod phrase;

use super::dynamic::{Dynamic, utilities};
pub use super::explanation::{Explanation, PartValue};
use super::plan::{Plan, Source};
use super::precompute::Prepared;
use crate::atlas::Resolution;
use crate::profile::{Aggregation, Lang};
use computed::{affordability, commute, town_size};
use indicator::{fill_indicator_based, indicator_median_text, write_indicator_sentence};
pub(crate) use medians::DynamicMedians;
use phrase::{blank, opt};
use std::borrow::Cow;

/// Explanations of every planned criterion with a weight for one row.
pub(crate) fn explain_row<'r>(
    r: &'r Prepared<'_>,
    sentences: &'r Sentences<'_>,
    plan: &Plan,
    d: &Dynamic,
    med: &DynamicMedians,
    i: usize,
    sw: &[f64],
) -> Vec<Explanation<'r>> {
    let mut out = Vec::with_capacity(plan.criteria.len());
    for p in plan
        .criteria
        .iter()
        .filter(|p| p.available && p.weight > 0.0)
    {
        let u = utilities(r, d, p, false)[i];
        let share = if u.is_nan() || sw[i] <= 0.0 {
            0.0
        } else {
            p.weight / sw[i]
        };
        let contribution = opt(u).map(|u| match plan.aggregation {
            Aggregation::Arithmetic => share * u,
            Aggregation::Geometric => u.max(crate::criteria::GEOMETRIC_FLOOR.value).powf(share),
        });
        let mut e = blank(p.criterion, plan.lang, opt(u));
        e.weight = p.weight;
        e.share = share;
        e.contribution = contribution;
        match p.source {
            Source::Column(k) => {
                let pre = sentences;
                let at = pre.index(k, plan.lang, i);
                let h = &pre.headlines[at];
                e.value = h.value;
                e.unit = h.unit;
                e.median = h.median;
                e.resolution = h.resolution;
                e.estimate = h.estimate;
                e.missing_reason = h.missing_reason;
                let (a, b) = pre.part_spans[at];
                e.parts = Cow::Borrowed(&pre.parts[a as usize..b as usize]);
                let (a, b) = pre.spans[at];
                e.sentence = Cow::Borrowed(&pre.text[a as usize..b as usize]);
                e.median_text = Cow::Borrowed(&pre.medians[pre.column_index(k, plan.lang)]);
            }
            computed => {
                let mut s = String::with_capacity(320);
                match computed {
                    Source::Affordability => affordability(r, plan, d, med, i, &mut e, &mut s),
                    Source::Commute => commute(r, plan, d, med, i, &mut e, &mut s),
                    _ => town_size(r, plan, i, &mut e, &mut s),
                }
                e.sentence = Cow::Owned(s);
            }
        }
        out.push(e);
    }
    out
}

/// Headline fields of an indicator-based explanation.
#[derive(Clone, Debug)]
pub(crate) struct Headline<'a> {
    value: Option<f64>,
    unit: &'static str,
    median: Option<f64>,
    resolution: Option<Resolution>,
    estimate: bool,
    missing_reason: Option<&'a str>,
}

/// Explanations of the indicator-based criteria depend only on the column (criterion and
/// household situation), the row and the language, not on the rest of the profile: they are
/// written once per atlas (headline, parts and sentence) and borrowed by every ranking, which
/// keeps explaining the top rows to a few copies.
#[derive(Clone, Debug, Default)]
pub(crate) struct Sentences<'a> {
    rows: usize,
    headlines: Vec<Headline<'a>>,
    parts: Vec<PartValue<'a>>,
    part_spans: Vec<(u32, u32)>,
    text: String,
    spans: Vec<(u32, u32)>,
    /// Median text per column and language (the same for every row).
    medians: Vec<String>,
}

impl<'a> Sentences<'a> {
    pub(crate) fn build(r: &Prepared<'a>) -> Self {
        let n = r.n;
        let cells = r.columns.len() * 2 * n;
        let mut out = Sentences {
            rows: n,
            headlines: Vec::with_capacity(cells),
            parts: Vec::with_capacity(cells * 2),
            part_spans: Vec::with_capacity(cells),
            text: String::with_capacity(cells * 160),
            spans: Vec::with_capacity(cells),
            medians: Vec::with_capacity(r.columns.len() * 2),
        };
        let mut s = String::with_capacity(1024);
        for (k, col) in r.columns.iter().enumerate() {
            for lang in [Lang::De, Lang::En] {
                out.medians.push(indicator_median_text(r, k, lang));
                for i in 0..n {
                    let mut e = blank(col.criterion, lang, opt(col.util[i]));
                    fill_indicator_based(r, k, i, lang, &mut e);
                    s.clear();
                    write_indicator_sentence(r, k, lang, &e, &mut s);
                    let start = out.text.len() as u32;
                    out.text.push_str(&s);
                    out.spans.push((start, out.text.len() as u32));
                    let start = out.parts.len() as u32;
                    out.parts.extend(e.parts.iter().cloned());
                    out.part_spans.push((start, out.parts.len() as u32));
                    out.headlines.push(Headline {
                        value: e.value,
                        unit: e.unit,
                        median: e.median,
                        resolution: e.resolution,
                        estimate: e.estimate,
                        missing_reason: e.missing_reason,
                    });
                }
            }
        }
        out
    }

    fn column_index(&self, column: usize, lang: Lang) -> usize {
        column * 2
            + match lang {
                Lang::De => 0,
                Lang::En => 1,
            }
    }

    fn index(&self, column: usize, lang: Lang, row: usize) -> usize {
        self.column_index(column, lang) * self.rows + row
    }
}

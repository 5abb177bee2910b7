//! Explanations: every score decomposed into criteria a newcomer understands.
//!
//! Per municipality and active criterion: the raw value with its unit, the utility, the weight,
//! the share of the score it carries here (after redistribution of missing weights), its
//! contribution, Saxony's median of the same figure, the spatial level and whether it is an
//! estimate, the parts it is made of, and one sentence in the profile's language.

use crate::atlas::Resolution;
use crate::criteria::{
    CAR_SPEED_KMH, Combine, Coverage, Criterion, DETOUR_FACTOR, Phrase, TRANSIT_SPEED_KMH,
};
use crate::profile::{Aggregation, Lang, TownSize};
use crate::rank::{Dynamic, Exclusion, Limit, Plan, Ranker, Ranking, Source, pick, town_factor};
use crate::text::{push_num, push_value};
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
    /// Median of the same figure over the region's municipalities that have it.
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

/// Profile-dependent medians, computed once per ranking that explains rows.
pub(crate) struct DynamicMedians {
    cost: f64,
    road: Vec<f64>,
}

impl DynamicMedians {
    pub(crate) fn new(r: &Ranker<'_>, plan: &Plan, d: &Dynamic) -> Self {
        let cost = if d.cost.is_empty() {
            f64::NAN
        } else {
            r.known
                .rent_new
                .map_or(f64::NAN, |k| r.medians[k] * plan.space_m2)
        };
        let w = plan.workplaces.len();
        let mut road = Vec::with_capacity(w);
        if w > 0 {
            let mut scratch = Vec::new();
            for (k, wp) in plan.workplaces.iter().enumerate() {
                if let Some(row) = wp.row {
                    road.push(r.crow_median_km[row] * DETOUR_FACTOR.value);
                    continue;
                }
                scratch.clear();
                scratch.extend((0..r.n).map(|i| d.road[i * w + k]));
                road.push(median_in_place(&mut scratch));
            }
        }
        DynamicMedians { cost, road }
    }
}

/// Median of finite values, reordering the slice.
pub(crate) fn median_in_place(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let m = v.len() / 2;
    let odd = v.len() % 2 == 1;
    let (lo, mid, _) = v.select_nth_unstable_by(m, f64::total_cmp);
    let mid = *mid;
    if odd {
        mid
    } else {
        let below = lo.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (below + mid) / 2.0
    }
}

fn opt(x: f64) -> Option<f64> {
    (!x.is_nan()).then_some(x)
}

fn push_cap(s: &mut String, text: &str) {
    let mut it = text.chars();
    if let Some(c) = it.next() {
        s.extend(c.to_uppercase());
        s.push_str(it.as_str());
    }
}

fn level_tag(res: Option<Resolution>, lang: Lang) -> &'static str {
    match (res, lang) {
        (Some(Resolution::District), Lang::De) => " (Kreiswert)",
        (Some(Resolution::District), Lang::En) => " (district figure)",
        (Some(Resolution::Association), Lang::De) => " (Gemeindeverband)",
        (Some(Resolution::Association), Lang::En) => " (municipal association)",
        _ => "",
    }
}

/// Appends "<label> <value phrase> (median …)".
#[allow(clippy::too_many_arguments)]
fn push_phrase(
    s: &mut String,
    label: &str,
    phrase: Phrase,
    v: f64,
    unit: &str,
    median: f64,
    res: Option<Resolution>,
    lang: Lang,
    capital: bool,
    median_intro: &str,
) {
    if capital {
        push_cap(s, label);
    } else {
        s.push_str(label);
    }
    // The median is written in the unit of the value.
    let value_unit = match frame(phrase, lang) {
        Some((before, u, after)) => {
            s.push_str(before);
            push_value(s, v, u, lang);
            s.push_str(after);
            u
        }
        None => {
            if !label.is_empty() {
                s.push_str(": ");
            }
            push_value(s, v, unit, lang);
            unit
        }
    };
    s.push_str(level_tag(res, lang));
    if !median.is_nan() {
        s.push_str(median_intro);
        push_value(s, median, value_unit, lang);
        s.push(')');
    }
}

/// How a distance or time phrase frames its value: (text before, unit, text after). Shares and
/// rates (`None`) follow their label after a colon in their own unit.
fn frame(phrase: Phrase, lang: Lang) -> Option<(&'static str, &'static str, &'static str)> {
    Some(match (phrase, lang) {
        (Phrase::Distance, Lang::En) => (" ", "km", " from where people live, on average"),
        (Phrase::Distance, Lang::De) => (" im Mittel ", "km", " vom Wohnort"),
        (Phrase::CarMinutes, Lang::En) => (" ", "min", " by car"),
        (Phrase::CarMinutes, Lang::De) => (" ", "min", " mit dem Auto"),
        (Phrase::TransitMinutes, Lang::En) => (" ", "min", " by public transport"),
        (Phrase::TransitMinutes, Lang::De) => (" ", "min", " mit Bus und Bahn"),
        (Phrase::Percent | Phrase::Rate, _) => return None,
    })
}

/// Explanations of every planned criterion with a weight for one row.
pub(crate) fn explain_row<'r>(
    r: &'r Ranker<'_>,
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
        let u = r.utilities(d, p, false)[i];
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
                let pre = &r.pre;
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

/// Which median a sentence quotes.
#[derive(Clone, Copy)]
enum MedianOf {
    /// Over the region's municipalities ("median in Saxony").
    Region,
    /// Over the municipalities a local data set covers.
    Mapped,
    /// Inside a list of parts, where the region was named already.
    Plain,
}

fn median_intro(r: &Ranker<'_>, lang: Lang, of: MedianOf) -> String {
    match (of, lang) {
        (MedianOf::Region, Lang::En) => format!(" (median in {}: ", r.region_en),
        (MedianOf::Region, Lang::De) => format!(" (Median {}: ", r.atlas.region),
        (MedianOf::Mapped, Lang::En) => " (median where mapped: ".to_string(),
        (MedianOf::Mapped, Lang::De) => " (Median, wo erfasst: ".to_string(),
        (MedianOf::Plain, Lang::En) => " (median ".to_string(),
        (MedianOf::Plain, Lang::De) => " (Median ".to_string(),
    }
}

#[allow(clippy::ptr_arg)] // serde's skip_serializing_if hands over the field itself
fn no_parts(p: &Cow<'_, [PartValue<'_>]>) -> bool {
    p.is_empty()
}

fn blank<'a>(c: Criterion, lang: Lang, utility: Option<f64>) -> Explanation<'a> {
    Explanation {
        criterion: c,
        label: c.spec().label(lang),
        value: None,
        unit: "",
        median: None,
        utility,
        weight: 0.0,
        share: 0.0,
        contribution: None,
        resolution: None,
        estimate: false,
        dropped: utility.is_none(),
        parts: Cow::Borrowed(&[]),
        missing_reason: None,
        sentence: Cow::Borrowed(""),
    }
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
pub(crate) struct Precomputed<'a> {
    rows: usize,
    headlines: Vec<Headline<'a>>,
    parts: Vec<PartValue<'a>>,
    part_spans: Vec<(u32, u32)>,
    text: String,
    spans: Vec<(u32, u32)>,
}

impl<'a> Precomputed<'a> {
    pub(crate) fn build(r: &Ranker<'a>) -> Self {
        let n = r.n;
        let cells = r.columns.len() * 2 * n;
        let mut out = Precomputed {
            rows: n,
            headlines: Vec::with_capacity(cells),
            parts: Vec::with_capacity(cells * 2),
            part_spans: Vec::with_capacity(cells),
            text: String::with_capacity(cells * 160),
            spans: Vec::with_capacity(cells),
        };
        let mut s = String::with_capacity(1024);
        for (k, col) in r.columns.iter().enumerate() {
            for lang in [Lang::De, Lang::En] {
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

    fn index(&self, column: usize, lang: Lang, row: usize) -> usize {
        let l = match lang {
            Lang::De => 0,
            Lang::En => 1,
        };
        (column * 2 + l) * self.rows + row
    }
}

/// Headline figure, parts and missing reason of an indicator-based criterion for one row.
fn fill_indicator_based<'a>(
    r: &Ranker<'a>,
    col: usize,
    i: usize,
    lang: Lang,
    e: &mut Explanation<'a>,
) {
    let c = r.columns[col].criterion;
    let spec = c.spec();
    let parts = &r.columns[col].parts;
    let single = parts.len() == 1;
    let fallback = spec.combine == Combine::Fallback;
    let mut used_one = false;
    let mut first_reason: Option<&'a str> = None;
    for &(pi, car) in parts {
        let part = &spec.parts[pi];
        let m = part.measure(car);
        let (x, k) = r.part_raw(c, pi, car, i);
        let ind = k.map(|k| &r.atlas.indicators[k]);
        let res = ind.map(|ind| ind.meta.resolution);
        let median = r.part_median[c.index()][pi][car as usize];
        let reason = if x.is_nan() {
            ind.and_then(|ind| ind.missing.get(r.ags[i]).map(|s| s.as_str()))
        } else {
            None
        };
        if first_reason.is_none() && part.coverage == Coverage::Statewide {
            first_reason = reason;
        }
        let used = !(x.is_nan() || fallback && used_one);
        if used && (single || fallback) {
            e.value = Some(x);
            e.unit = m.curve.unit;
            e.median = opt(median);
            e.resolution = res;
            e.estimate = ind.is_some_and(|ind| ind.meta.estimate);
        }
        e.parts.to_mut().push(PartValue {
            part: part.id,
            label: Cow::Borrowed(part.label(lang)),
            indicator: ind.map(|ind| ind.meta.id.as_str()),
            value: opt(x),
            unit: m.curve.unit,
            utility: opt(m.curve.eval(x)),
            weight: (!fallback).then_some(part.weight),
            median: opt(median),
            resolution: res,
            coverage: part.coverage,
            estimate: ind.is_some_and(|ind| ind.meta.estimate),
            used,
            missing_reason: reason,
        });
        used_one |= used;
    }
    if single {
        // One part: its figure is the criterion's; no need to repeat it as a part.
        let pv = e.parts.to_mut().pop();
        if let Some(pv) = pv {
            e.missing_reason = pv.missing_reason;
            e.resolution = pv.resolution;
        }
    }
    if e.dropped {
        e.missing_reason = e.missing_reason.or(first_reason);
    }
}

/// The sentence of an indicator-based criterion, from its filled explanation.
fn write_indicator_sentence(
    r: &Ranker<'_>,
    col: usize,
    lang: Lang,
    e: &Explanation<'_>,
    s: &mut String,
) {
    let c = r.columns[col].criterion;
    let spec = c.spec();
    let parts = &r.columns[col].parts;
    let single = parts.len() == 1;
    let fallback = spec.combine == Combine::Fallback;
    if e.dropped {
        push_cap(s, e.label);
        s.push_str(pick(lang, ": hier kein Wert", ": no figure here"));
        if let Some(why) = e.missing_reason {
            s.push_str(" (");
            s.push_str(why);
            s.push(')');
        }
        s.push_str(pick(
            lang,
            "; ausgelassen, das Gewicht verteilt sich auf die übrigen Kriterien.",
            "; left out, its weight is shared among the other criteria.",
        ));
        return;
    }
    let regional = median_intro(r, lang, MedianOf::Region);
    if single {
        let part = &spec.parts[parts[0].0];
        let m = part.measure(parts[0].1);
        // A criterion reduced to one of several parts (health without children) names itself.
        let capital = spec.parts.len() == 1;
        if !capital {
            push_cap(s, e.label);
            s.push_str(": ");
        }
        push_phrase(
            s,
            part.label(lang),
            m.phrase,
            e.value.unwrap_or(f64::NAN),
            m.curve.unit,
            e.median.unwrap_or(f64::NAN),
            e.resolution,
            lang,
            capital,
            &regional,
        );
        s.push('.');
        return;
    }
    if fallback {
        let Some(pv) = e.parts.iter().find(|pv| pv.used) else {
            return;
        };
        let part = spec.parts.iter().find(|p| p.id == pv.part);
        let phrase = part.map_or(Phrase::Percent, |p| p.with_car.phrase);
        if pv.coverage == Coverage::Local {
            push_phrase(
                s,
                &pv.label,
                phrase,
                pv.value.unwrap_or(f64::NAN),
                pv.unit,
                pv.median.unwrap_or(f64::NAN),
                pv.resolution,
                lang,
                true,
                &median_intro(r, lang, MedianOf::Mapped),
            );
            s.push_str(pick(
                lang,
                "; Kita-Standorte sind hier erfasst.",
                "; Kita locations are mapped here.",
            ));
        } else {
            s.push_str(pick(
                lang,
                "Hier sind keine Kita-Standorte erfasst; es gilt die ",
                "No Kita locations are mapped here, so the district's ",
            ));
            s.push_str(&pv.label);
            s.push_str(pick(lang, " des Kreises: ", " stands in: "));
            push_phrase(
                s,
                "",
                phrase,
                pv.value.unwrap_or(f64::NAN),
                pv.unit,
                pv.median.unwrap_or(f64::NAN),
                None,
                lang,
                false,
                &regional,
            );
            s.push('.');
        }
        return;
    }
    push_cap(s, e.label);
    s.push_str(": ");
    let plain = median_intro(r, lang, MedianOf::Plain);
    let mapped = median_intro(r, lang, MedianOf::Mapped);
    let mut first = true;
    let mut missing: Vec<&str> = Vec::new();
    for (pv, &(pi, car)) in e.parts.iter().zip(parts) {
        if pv.value.is_none() {
            if pv.coverage != Coverage::Local {
                missing.push(match &pv.label {
                    Cow::Borrowed(b) => b,
                    Cow::Owned(o) => o.as_str(),
                });
            }
            continue;
        }
        if !first {
            s.push_str("; ");
        }
        first = false;
        let m = spec.parts[pi].measure(car);
        push_phrase(
            s,
            &pv.label,
            m.phrase,
            pv.value.unwrap_or(f64::NAN),
            pv.unit,
            pv.median.unwrap_or(f64::NAN),
            pv.resolution,
            lang,
            false,
            if pv.coverage == Coverage::Local {
                &mapped
            } else {
                &plain
            },
        );
        if pv.coverage == Coverage::Partial {
            s.push_str(pick(lang, " (unvollständige Daten)", " (incomplete data)"));
        }
    }
    for mname in missing {
        s.push_str(pick(lang, "; kein Wert für ", "; no figure for "));
        s.push_str(mname);
    }
    s.push('.');
}

fn affordability<'a>(
    r: &Ranker<'a>,
    plan: &Plan,
    d: &Dynamic,
    med: &DynamicMedians,
    i: usize,
    e: &mut Explanation<'a>,
    s: &mut String,
) {
    let lang = plan.lang;
    let cost = d.cost[i];
    let k_new = r.known.rent_new;
    let rent = k_new.map_or(f64::NAN, |k| r.raw[k][i]);
    e.value = opt(cost);
    e.unit = "EUR";
    e.median = opt(med.cost);
    e.resolution = Some(Resolution::Municipality);
    e.estimate = true;
    let mut input = |k: Option<usize>, part: &'static str, de: &'static str, en: &'static str| {
        let v = k.map_or(f64::NAN, |k| r.raw[k][i]);
        let ind = k.map(|k| &r.atlas.indicators[k]);
        e.parts.to_mut().push(PartValue {
            part,
            label: Cow::Borrowed(pick(lang, de, en)),
            indicator: ind.map(|ind| ind.meta.id.as_str()),
            value: opt(v),
            unit: "EUR/m2",
            utility: None,
            weight: None,
            median: k.and_then(|k| opt(r.medians[k])),
            resolution: ind.map(|ind| ind.meta.resolution),
            coverage: Coverage::Statewide,
            estimate: ind.is_some_and(|ind| ind.meta.estimate),
            used: !v.is_nan(),
            missing_reason: if v.is_nan() {
                ind.and_then(|ind| ind.missing.get(r.ags[i]).map(|s| s.as_str()))
            } else {
                None
            },
        });
        v
    };
    let _ = input(
        r.known.rent_new,
        "rent_new_lease_estimate",
        "Neuvertragsmiete (Schätzung)",
        "new-lease rent (estimate)",
    );
    let existing = input(
        r.known.rent_existing,
        "rent_existing",
        "Bestandsmiete (Zensus 2022)",
        "rent in existing leases (Zensus 2022)",
    );
    let _ = input(
        r.known.asking,
        "asking_rent_district",
        "Angebotsmiete im Kreis",
        "district asking rent",
    );
    let ratio = |part: &'static str,
                 de: &'static str,
                 en: &'static str,
                 x: f64,
                 curve: &crate::curve::Curve| PartValue {
        part,
        label: Cow::Borrowed(pick(lang, de, en)),
        indicator: None,
        value: opt(x * 100.0),
        unit: "%",
        utility: opt(curve.eval(x)),
        weight: None,
        median: None,
        resolution: None,
        coverage: Coverage::Statewide,
        estimate: true,
        used: !x.is_nan(),
        missing_reason: None,
    };
    if let Some(b) = plan.budget {
        e.parts.to_mut().push(ratio(
            "budget_share",
            "Anteil am Budget",
            "share of budget",
            cost / b,
            &crate::criteria::RENT_BUDGET_RATIO,
        ));
    }
    if let Some(inc) = plan.income {
        e.parts.to_mut().push(ratio(
            "income_share",
            "Anteil am Einkommen",
            "share of income",
            cost / inc,
            &crate::criteria::RENT_INCOME_SHARE,
        ));
    }
    if cost.is_nan() {
        e.missing_reason = k_new.and_then(|k| {
            r.atlas.indicators[k]
                .missing
                .get(r.ags[i])
                .map(|s| s.as_str())
        });
        s.push_str(pick(
            lang,
            "Bezahlbarkeit: hier keine Miete bekannt",
            "Affordability: no rent figure here",
        ));
        if let Some(why) = e.missing_reason {
            s.push_str(" (");
            s.push_str(why);
            s.push(')');
        }
        s.push_str(pick(
            lang,
            "; ausgelassen, das Gewicht verteilt sich auf die übrigen Kriterien.",
            "; left out, its weight is shared among the other criteria.",
        ));
        return;
    }
    match lang {
        Lang::En => {
            s.push_str("A ");
            push_value(s, plan.space_m2, "m2", lang);
            s.push_str(" flat at an estimated ");
            push_value(s, rent, "EUR/m2", lang);
            s.push_str(" for a new lease");
            if !existing.is_nan() {
                s.push_str(" (");
                push_value(s, existing, "EUR/m2", lang);
                s.push_str(" in existing leases × the district's asking-to-existing ratio)");
            }
            s.push_str(" costs about ");
            push_value(s, cost, "EUR", lang);
            s.push_str(" cold a month");
        }
        Lang::De => {
            push_value(s, plan.space_m2, "m2", lang);
            s.push_str(" zu geschätzt ");
            push_value(s, rent, "EUR/m2", lang);
            s.push_str(" bei Neuvermietung");
            if !existing.is_nan() {
                s.push_str(" (");
                push_value(s, existing, "EUR/m2", lang);
                s.push_str(" Bestandsmiete × Verhältnis Angebots- zu Bestandsmiete im Kreis)");
            }
            s.push_str(" kosten etwa ");
            push_value(s, cost, "EUR", lang);
            s.push_str(" kalt im Monat");
        }
    }
    let mut sep = ": ";
    if let Some(b) = plan.budget {
        s.push_str(sep);
        push_num(s, cost / b * 100.0, 0, lang);
        s.push_str(pick(lang, " % Ihres Budgets von ", " % of your budget of "));
        push_value(s, b, "EUR", lang);
        sep = "; ";
    }
    if let Some(inc) = plan.income {
        s.push_str(sep);
        push_num(s, cost / inc * 100.0, 0, lang);
        s.push_str(pick(
            lang,
            " % Ihres Nettoeinkommens",
            " % of your net income",
        ));
    }
    if !med.cost.is_nan() {
        s.push_str(pick(lang, " (Median ", " (median in "));
        s.push_str(region(r, lang));
        s.push_str(": ");
        push_value(s, med.cost, "EUR", lang);
        s.push(')');
    }
    s.push('.');
}

fn region<'a>(r: &Ranker<'a>, lang: Lang) -> &'a str {
    match lang {
        Lang::De => &r.atlas.region,
        Lang::En => r.region_en,
    }
}

fn commute(
    r: &Ranker<'_>,
    plan: &Plan,
    d: &Dynamic,
    med: &DynamicMedians,
    i: usize,
    e: &mut Explanation<'_>,
    s: &mut String,
) {
    let lang = plan.lang;
    let w = plan.workplaces.len();
    let speed = if plan.car {
        CAR_SPEED_KMH.value
    } else {
        TRANSIT_SPEED_KMH.value
    };
    let mut longest = (f64::NEG_INFINITY, 0);
    for k in 0..w {
        let road = d.road[i * w + k];
        if road > longest.0 {
            longest = (road, k);
        }
        if w > 1 {
            e.parts.to_mut().push(PartValue {
                part: "workplace",
                label: Cow::Owned(plan.workplaces[k].out.label.clone()),
                indicator: None,
                value: Some(road),
                unit: "km",
                utility: Some(crate::criteria::COMMUTE_MIN.eval(road * 60.0 / speed)),
                weight: Some(1.0),
                median: opt(med.road[k]),
                resolution: None,
                coverage: Coverage::Statewide,
                estimate: true,
                used: true,
                missing_reason: None,
            });
        }
    }
    e.value = Some(longest.0);
    e.unit = "km";
    e.median = med.road.get(longest.1).copied().and_then(opt);
    e.estimate = true;
    for k in 0..w {
        let road = d.road[i * w + k];
        let wp = &plan.workplaces[k];
        if k > 0 {
            s.push_str("; ");
        }
        if wp.row == Some(i) {
            // The workplace is this municipality: its centre is the start, so no distance
            // between towns; the way across town is not estimated.
            s.push_str(pick(
                lang,
                if k == 0 {
                    "Der Arbeitsort liegt in "
                } else {
                    "der Arbeitsort liegt in "
                },
                if k == 0 {
                    "The workplace is in "
                } else {
                    "the workplace is in "
                },
            ));
            s.push_str(&wp.out.label);
            s.push_str(pick(
                lang,
                " selbst (Wege innerhalb des Orts werden nicht geschätzt)",
                " itself (the way across town is not estimated)",
            ));
            continue;
        }
        s.push_str(pick(
            lang,
            if k == 0 { "Etwa " } else { "etwa " },
            if k == 0 { "About " } else { "about " },
        ));
        push_value(s, road, "km", lang);
        s.push_str(pick(lang, " Straße bis ", " by road to "));
        s.push_str(&wp.out.label);
        if k == 0 {
            s.push_str(pick(lang, " (Luftlinie × ", " (crow-flies × "));
            push_num(s, DETOUR_FACTOR.value, 1, lang);
            s.push_str(pick(lang, ", geschätzt)", ", an estimate)"));
        }
        s.push_str(pick(lang, ", etwa ", ", about "));
        push_num(s, road * 60.0 / speed, 0, lang);
        match (plan.car, lang) {
            (true, Lang::En) => s.push_str(" min by car at an assumed 50 km/h"),
            (true, Lang::De) => s.push_str(" Min. mit dem Auto bei angenommenen 50 km/h"),
            (false, Lang::En) => {
                s.push_str(" min by public transport at an assumed 30 km/h door to door")
            }
            (false, Lang::De) => {
                s.push_str(" Min. mit Bus und Bahn bei angenommenen 30 km/h von Tür zu Tür")
            }
        }
        if let Some(m) = med.road.get(k).copied().and_then(opt) {
            s.push_str(pick(lang, " (Median ", " (median in "));
            s.push_str(region(r, lang));
            s.push_str(": ");
            push_value(s, m, "km", lang);
            s.push(')');
        }
    }
    s.push('.');
}

fn class_name(pop: f64, lang: Lang) -> &'static str {
    let b = crate::criteria::TOWN_SIZE_BOUNDS;
    let (de, en) = if pop < b[0] {
        ("Landgemeinde", "a village")
    } else if pop < b[1] {
        ("Kleinstadt", "a small town")
    } else if pop < b[2] {
        ("Mittelstadt", "a town")
    } else {
        ("Großstadt", "a city")
    };
    pick(lang, de, en)
}

fn pref_name(t: TownSize, lang: Lang) -> &'static str {
    match t {
        TownSize::Village => pick(lang, "eine Landgemeinde", "a village"),
        TownSize::SmallTown => pick(lang, "eine Kleinstadt", "a small town"),
        TownSize::Town => pick(lang, "eine Mittelstadt", "a town"),
        TownSize::City => pick(lang, "eine Großstadt", "a city"),
    }
}

fn town_size<'a>(r: &Ranker<'a>, plan: &Plan, i: usize, e: &mut Explanation<'a>, s: &mut String) {
    let lang = plan.lang;
    let k = r.known.population;
    let pop = k.map_or(f64::NAN, |k| r.raw[k][i]);
    e.value = opt(pop);
    e.unit = "residents";
    e.median = k.and_then(|k| opt(r.medians[k]));
    e.resolution = Some(Resolution::Municipality);
    let Some(pref) = plan.town_size else { return };
    if pop.is_nan() {
        s.push_str(pick(
            lang,
            "Ortsgröße: keine Einwohnerzahl.",
            "Town size: no population figure.",
        ));
        return;
    }
    push_num(s, pop, 0, lang);
    s.push_str(pick(lang, " Einwohner: ", " residents: "));
    s.push_str(class_name(pop, lang));
    let (lo, hi) = pref.bounds();
    if town_factor(pop, lo, hi) == 0.0 {
        s.push_str(pick(lang, ", wie gewünscht", ", as you prefer"));
    } else {
        s.push_str(pick(lang, "; gewünscht ist ", "; you prefer "));
        s.push_str(pref_name(pref, lang));
    }
    s.push('.');
}

/// Sentence for one exclusion.
pub(crate) fn describe_exclusion(r: &Ranking<'_>, e: &Exclusion<'_>) -> String {
    let lang = r.lang;
    let mut s = String::with_capacity(120);
    match e.limit {
        Limit::MaxCommuteKm { workplace } => {
            let wp = r.workplaces.get(workplace).map_or("", |w| w.label.as_str());
            s.push_str(pick(lang, "Zu weit bis ", "Too far from "));
            s.push_str(wp);
            s.push_str(pick(lang, ": etwa ", ": about "));
            push_value(&mut s, e.value, "km", lang);
            s.push_str(pick(
                lang,
                " Straße statt höchstens ",
                " by road against your maximum of ",
            ));
            push_value(&mut s, e.threshold, "km", lang);
            s.push_str(" (");
            push_value(&mut s, e.by, "km", lang);
            s.push_str(pick(lang, " zu weit).", " too far)."));
        }
        Limit::RentWithinBudget => {
            s.push_str(pick(
                lang,
                "Die nötige Wohnung kostet etwa ",
                "The needed flat costs about ",
            ));
            push_value(&mut s, e.value, "EUR", lang);
            s.push_str(pick(lang, " kalt, ", " cold, "));
            push_value(&mut s, e.by, "EUR", lang);
            s.push_str(pick(
                lang,
                " über Ihrem Budget von ",
                " over your budget of ",
            ));
            push_value(&mut s, e.threshold, "EUR", lang);
            s.push('.');
        }
        Limit::MaxRentSharePct => {
            s.push_str(pick(lang, "Die Miete wäre ", "The rent would be "));
            push_value(&mut s, e.value, "%", lang);
            s.push_str(pick(lang, " des Einkommens, ", " of your income, "));
            push_num(&mut s, e.by, 0, lang);
            s.push_str(pick(
                lang,
                " Punkte über Ihrer Grenze von ",
                " points over your limit of ",
            ));
            push_value(&mut s, e.threshold, "%", lang);
            s.push('.');
        }
        Limit::WithinKm { facility } => {
            let label = crate::criteria::FACILITIES
                .iter()
                .find(|f| f.0 == facility)
                .map_or(facility, |f| pick(lang, f.1, f.2));
            match lang {
                Lang::De => {
                    s.push_str(label);
                    s.push_str(" im Mittel ");
                    push_value(&mut s, e.value, "km", lang);
                    s.push_str(" vom Wohnort, ");
                }
                Lang::En => {
                    s.push_str("Nearest ");
                    s.push_str(label);
                    s.push_str(": ");
                    push_value(&mut s, e.value, "km", lang);
                    s.push_str(" from where people live, on average, ");
                }
            }
            push_value(&mut s, e.by, "km", lang);
            s.push_str(pick(
                lang,
                " über Ihrer Grenze von ",
                " beyond your limit of ",
            ));
            push_value(&mut s, e.threshold, "km", lang);
            s.push('.');
        }
        Limit::MinPopulation | Limit::MaxPopulation => {
            push_num(&mut s, e.value, 0, lang);
            s.push_str(pick(lang, " Einwohner, ", " residents, "));
            push_num(&mut s, e.by, 0, lang);
            if e.limit == Limit::MinPopulation {
                s.push_str(pick(
                    lang,
                    " weniger als Ihr Minimum von ",
                    " fewer than your minimum of ",
                ));
            } else {
                s.push_str(pick(
                    lang,
                    " mehr als Ihr Maximum von ",
                    " more than your maximum of ",
                ));
            }
            push_num(&mut s, e.threshold, 0, lang);
            s.push('.');
        }
    }
    s
}

//! The explanations of the indicator-based criteria: headline figure, parts and sentence for
//! one column (criterion in a household situation), row and language. They do not depend on
//! the rest of the profile, so [`super::Sentences`] writes them once per atlas.

use super::super::explanation::{Explanation, PartValue};
use super::super::precompute::Prepared;
use super::phrase::{MedianOf, median_intro, opt, push_cap, push_left_out, push_phrase};
use crate::criteria::{Combine, Coverage, Phrase};
use crate::profile::Lang;
use crate::vocab::pick;
use std::borrow::Cow;

pub(super) fn fill_indicator_based<'a>(
    r: &Prepared<'a>,
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
pub(super) fn write_indicator_sentence(
    r: &Prepared<'_>,
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
        push_left_out(s, e.missing_reason, lang);
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

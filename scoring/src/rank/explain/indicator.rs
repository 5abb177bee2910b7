//! The explanations of the indicator-based criteria: headline figure, parts and sentence for
//! one column (criterion in a household situation), row and language. They do not depend on
//! the rest of the profile, so [`super::Sentences`] writes them once per atlas.

use super::super::explanation::{Explanation, PartValue};
use super::super::precompute::Prepared;
use super::phrase::{median_text, opt, push_left_out, push_median, push_phrase};
use crate::criteria::{Coverage, Part, Phrase};
use crate::profile::Lang;
use crate::text::push_cap;
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
    let single = scored_count(r, col) == 1;
    let mut first_reason: Option<&'a str> = None;
    for &(pi, car) in parts {
        let part = &spec.parts[pi];
        let m = part.measure(car);
        let (x, k) = r.part_raw(c, pi, car, i);
        let ind = k.map(|k| &r.atlas.indicators[k]);
        let res = ind.map(|ind| ind.meta.resolution);
        let median = r.part_median[c.index()][pi][car as usize];
        let gap = if x.is_nan() {
            ind.and_then(|ind| ind.missing.get(r.ags[i]))
        } else {
            None
        };
        if first_reason.is_none() && part.coverage == Coverage::Statewide {
            first_reason = gap;
        }
        // A shown part is never used; its role and why are in the criteria table.
        let used = part.scored() && !x.is_nan();
        if single && part.scored() {
            // The one scored part: its figure is the criterion's; not repeated as a part.
            e.value = opt(x);
            e.unit = m.curve.unit;
            e.median = opt(median);
            e.resolution = res;
            e.estimate = ind.is_some_and(|ind| ind.meta.estimate);
            e.missing_reason = gap;
            continue;
        }
        e.parts.to_mut().push(PartValue {
            part: part.id,
            label: Cow::Borrowed(part.label_for(car, lang)),
            indicator: ind.map(|ind| ind.meta.id.as_str()),
            value: opt(x),
            unit: m.curve.unit,
            utility: opt(m.curve.eval(x)),
            weight: part.scored().then_some(part.weight),
            median: opt(median),
            resolution: res,
            coverage: part.coverage,
            role: part.role,
            estimate: ind.is_some_and(|ind| ind.meta.estimate),
            note: part.coverage_note(lang),
            used,
            missing_reason: if part.scored() { gap } else { None },
        });
    }
    if e.dropped {
        e.missing_reason = e.missing_reason.or(first_reason);
    }
}

/// The median text of an indicator-based column: the median resident's figure of each
/// scored part over the region, and of each shown part where mapped. The same for every
/// municipality, so [`super::Sentences`] writes it once per column and language.
pub(super) fn indicator_median_text(r: &Prepared<'_>, col: usize, lang: Lang) -> String {
    let c = r.columns[col].criterion;
    let spec = c.spec();
    let single = scored_count(r, col) == 1;
    let (mut region, mut mapped) = (String::new(), String::new());
    for &(pi, car) in &r.columns[col].parts {
        let part = &spec.parts[pi];
        let m = part.measure(car);
        let median = r.part_median[c.index()][pi][car as usize];
        let (to, label) = if part.scored() {
            (&mut region, (!single).then(|| part.label_for(car, lang)))
        } else {
            (&mut mapped, Some(part.label_for(car, lang)))
        };
        push_median(to, label, m.phrase, median, m.curve.unit, lang);
    }
    median_text(r, lang, &region, &mapped)
}

/// Whether a part is read, for a household without a car, from car minutes: no walking or
/// transit figure exists for it, and the sentence must say so rather than tell a household
/// without a car how long it would drive.
fn car_minutes_only(part: &Part, car: bool) -> bool {
    !car && part.without_car.phrase == Phrase::CarMinutes
}

fn only_car_minutes(lang: Lang, capital: bool) -> &'static str {
    match (lang, capital) {
        (Lang::De, true) => "Nur Autominuten sind bekannt: ",
        (Lang::De, false) => "nur Autominuten sind bekannt: ",
        (Lang::En, true) => "Only car minutes are known: ",
        (Lang::En, false) => "only car minutes are known: ",
    }
}

/// How many parts of a column enter its utility.
fn scored_count(r: &Prepared<'_>, col: usize) -> usize {
    let spec = r.columns[col].criterion.spec();
    r.columns[col]
        .parts
        .iter()
        .filter(|&&(pi, _)| spec.parts[pi].scored())
        .count()
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
    let single = scored_count(r, col) == 1;
    if e.dropped {
        push_cap(s, e.label);
        s.push_str(pick(lang, ": hier kein Wert", ": no figure here"));
        push_left_out(s, e.missing_reason, lang);
        if push_shown(r, col, lang, e, s, true) {
            s.push('.');
        }
        return;
    }
    if single {
        let Some(&(pi, car)) = parts.iter().find(|&&(pi, _)| spec.parts[pi].scored()) else {
            return;
        };
        let part = &spec.parts[pi];
        let m = part.measure(car);
        // A criterion reduced to one of several parts (health without children) names itself.
        let mut capital = spec.parts.len() == 1;
        if !capital {
            push_cap(s, e.label);
            s.push_str(": ");
        }
        if car_minutes_only(part, car) {
            s.push_str(if capital {
                only_car_minutes(lang, true)
            } else {
                only_car_minutes(lang, false)
            });
            capital = false;
        }
        push_phrase(
            s,
            part.label_for(car, lang),
            m.phrase,
            e.value.unwrap_or(f64::NAN),
            m.curve.unit,
            e.resolution,
            lang,
            capital,
        );
        push_shown(r, col, lang, e, s, false);
        s.push('.');
        return;
    }
    push_cap(s, e.label);
    s.push_str(": ");
    // Without a car, parts known only as car minutes say so: once for the criterion when
    // every scored part is one, else after each such part.
    let scored = || parts.iter().filter(|&&(pi, _)| spec.parts[pi].scored());
    let all_car_only = scored().all(|&(pi, car)| car_minutes_only(&spec.parts[pi], car));
    if all_car_only {
        s.push_str(only_car_minutes(lang, false));
    }
    let mut first = true;
    let mut missing: Vec<&str> = Vec::new();
    for pv in e.parts.iter() {
        let Some((pi, car)) = parts
            .iter()
            .copied()
            .find(|&(pi, _)| spec.parts[pi].id == pv.part)
        else {
            continue;
        };
        if !spec.parts[pi].scored() {
            continue;
        }
        if pv.value.is_none() {
            missing.push(match &pv.label {
                Cow::Borrowed(b) => b,
                Cow::Owned(o) => o.as_str(),
            });
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
            pv.resolution,
            lang,
            false,
        );
        if pv.coverage == Coverage::Partial {
            s.push_str(pick(lang, " (unvollständige Daten)", " (incomplete data)"));
        }
        if !all_car_only && car_minutes_only(&spec.parts[pi], car) {
            s.push_str(pick(
                lang,
                " (nur Autominuten sind bekannt)",
                " (only car minutes are known)",
            ));
        }
    }
    for mname in missing {
        s.push_str(pick(lang, "; kein Wert für ", "; no figure for "));
        s.push_str(mname);
    }
    push_shown(r, col, lang, e, s, false);
    s.push('.');
}

/// Appends the parts shown beside the score that have a figure here ("shown, not scored: Kita
/// 0.5 km …"), so a reader sees the local data without it moving the score; `new_sentence`
/// after a finished sentence. Whether anything was written.
fn push_shown(
    r: &Prepared<'_>,
    col: usize,
    lang: Lang,
    e: &Explanation<'_>,
    s: &mut String,
    new_sentence: bool,
) -> bool {
    let spec = r.columns[col].criterion.spec();
    let mut wrote = false;
    for pv in e.parts.iter().filter(|pv| !pv.used && pv.value.is_some()) {
        let Some(part) = spec.parts.iter().find(|p| p.id == pv.part && !p.scored()) else {
            continue;
        };
        s.push_str(match (new_sentence && !wrote, lang) {
            (true, Lang::De) => " Nur gezeigt, nicht bewertet: ",
            (true, Lang::En) => " Shown, not scored: ",
            (false, Lang::De) => "; nur gezeigt, nicht bewertet: ",
            (false, Lang::En) => "; shown, not scored: ",
        });
        wrote = true;
        push_phrase(
            s,
            &pv.label,
            part.with_car.phrase,
            pv.value.unwrap_or(f64::NAN),
            pv.unit,
            pv.resolution,
            lang,
            false,
        );
    }
    wrote
}

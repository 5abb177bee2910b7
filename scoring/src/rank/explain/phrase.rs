//! The pieces every sentence is made of: values with units, medians, spatial levels.

use super::super::explanation::Explanation;
use super::super::precompute::Prepared;
use crate::atlas::Resolution;
use crate::criteria::{Criterion, Phrase};
use crate::profile::Lang;
use crate::text::{push_cap, push_value};
use std::borrow::Cow;

#[inline]
pub(super) fn opt(x: f64) -> Option<f64> {
    (!x.is_nan()).then_some(x)
}

/// The end of the sentence of a criterion without a figure for this town: why (if known), and
/// that it is left out with its weight shared among the others.
pub(super) fn push_left_out(s: &mut String, why: Option<&str>, lang: Lang) {
    if let Some(why) = why {
        s.push_str(" (");
        s.push_str(&crate::gaps::reason(why, lang));
        s.push(')');
    }
    s.push_str(match lang {
        Lang::De => "; ausgelassen, das Gewicht verteilt sich auf die übrigen Kriterien.",
        Lang::En => "; left out, its weight is shared among the other criteria.",
    });
}

#[inline]
pub(super) fn level_tag(res: Option<Resolution>, lang: Lang) -> &'static str {
    match (res, lang) {
        (Some(Resolution::District), Lang::De) => " (Kreiswert)",
        (Some(Resolution::District), Lang::En) => " (district figure)",
        (Some(Resolution::Association), Lang::De) => " (Gemeindeverband)",
        (Some(Resolution::Association), Lang::En) => " (municipal association)",
        _ => "",
    }
}

/// Appends "<label> <value phrase>". The median is not part of it: it is the same for every
/// municipality, so it is written once per criterion ([`push_median`], `median_text`).
#[allow(clippy::too_many_arguments)]
pub(super) fn push_phrase(
    s: &mut String,
    label: &str,
    phrase: Phrase,
    v: f64,
    unit: &str,
    res: Option<Resolution>,
    lang: Lang,
    capital: bool,
) {
    if capital {
        push_cap(s, label);
    } else {
        s.push_str(label);
    }
    match frame(phrase, lang) {
        Some((before, u, after)) => {
            s.push_str(before);
            push_value(s, v, u, lang);
            s.push_str(after);
        }
        None => {
            if !label.is_empty() {
                s.push_str(": ");
            }
            push_value(s, v, unit, lang);
        }
    }
    s.push_str(level_tag(res, lang));
}

/// Appends one median to a criterion's median text: "<label> <median>" ("<label>: <median>"
/// for a share or rate) in the unit its sentence uses (no label for a criterion of one
/// figure), "; "-separated.
pub(super) fn push_median(
    m: &mut String,
    label: Option<&str>,
    phrase: Phrase,
    median: f64,
    unit: &str,
    lang: Lang,
) {
    if median.is_nan() {
        return;
    }
    if !m.is_empty() {
        m.push_str("; ");
    }
    let framed = frame(phrase, lang);
    if let Some(label) = label {
        m.push_str(label);
        // A share or rate follows its label after a colon, as in the sentence.
        m.push_str(if framed.is_some() { " " } else { ": " });
    }
    push_value(m, median, framed.map_or(unit, |(_, u, _)| u), lang);
}

/// A criterion's median text from its medians over the region and where mapped:
/// "median resident in Saxony: 0.8 km; where mapped: Kita 0.4 km". Empty without medians.
pub(super) fn median_text(r: &Prepared<'_>, lang: Lang, region: &str, mapped: &str) -> String {
    let mut s = String::new();
    if !region.is_empty() {
        s.push_str(&median_intro(r, lang, MedianOf::Region));
        s.push_str(region);
    }
    if !mapped.is_empty() {
        if !s.is_empty() {
            s.push_str("; ");
        }
        s.push_str(&median_intro(r, lang, MedianOf::Mapped));
        s.push_str(mapped);
    }
    s
}

/// How a distance or time phrase frames its value: (text before, unit, text after). Shares and
/// rates (`None`) follow their label after a colon in their own unit.
#[inline]
pub(super) fn frame(
    phrase: Phrase,
    lang: Lang,
) -> Option<(&'static str, &'static str, &'static str)> {
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

/// Which median a text quotes. Every median is the median resident's value
/// (population-weighted), and the words say so.
#[derive(Clone, Copy)]
pub(super) enum MedianOf {
    /// Over the region's residents ("median resident in Saxony").
    Region,
    /// Over the residents of the municipalities a local data set covers.
    Mapped,
}

pub(super) fn median_intro(r: &Prepared<'_>, lang: Lang, of: MedianOf) -> String {
    match (of, lang) {
        (MedianOf::Region, Lang::En) => format!("median resident in {}: ", r.region_en),
        (MedianOf::Region, Lang::De) => format!("Median der Einwohner in {}: ", r.atlas.region),
        (MedianOf::Mapped, Lang::En) => "where mapped: ".to_string(),
        (MedianOf::Mapped, Lang::De) => "wo erfasst: ".to_string(),
    }
}

#[inline]
pub(super) fn blank<'a>(c: Criterion, lang: Lang, utility: Option<f64>) -> Explanation<'a> {
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
        median_text: Cow::Borrowed(""),
        method_text: Cow::Borrowed(""),
    }
}

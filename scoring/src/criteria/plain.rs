//! Words instead of figures: when a criterion counts as a strength or a weakness of a town, and
//! each criterion's name in plain language (Leichte Sprache style: everyday words, long
//! compounds split with a hyphen). The page's highlights ("Strong: …") and its easy-read view
//! read both from the criteria table (`GET /api/v1/criteria`), so neither keeps a list of its
//! own.

use super::table::Criterion;
use serde::{Serialize, Serializer};

/// When a criterion's utility makes it a strength or a weakness of a town, in words.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Strengths {
    /// From this utility a criterion is a strength ("very good here").
    pub strong_from: f64,
    /// Below this utility it is a weakness ("not so good here").
    pub weak_below: f64,
    pub why: &'static str,
}

/// The bands the highlights and the easy-read view use.
pub const STRENGTHS: Strengths = Strengths {
    strong_from: 80.0,
    weak_below: 50.0,
    why: "The utility curves give 100 where a figure meets the standard they cite and fall to 0 \
          where it is far off. From 80 a town is close to that standard: a strength. Below 50 \
          it is nearer the far end than the standard: a weakness. Between the two it is said \
          neither way, so that a word never claims more than the figure does.",
};

/// A criterion's name in plain language, German and English.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlainName {
    pub de: &'static str,
    pub en: &'static str,
}

/// The plain name of a criterion (a new criterion does not compile without one).
pub const fn plain_name(c: Criterion) -> PlainName {
    let (de, en) = match c {
        Criterion::Childcare => ("Kinder-Betreuung", "childcare"),
        Criterion::PrimarySchool => ("Grund-Schule", "primary school"),
        Criterion::SecondarySchool => ("Schule ab Klasse 5", "school from year 5"),
        Criterion::Gymnasium => ("Gymnasium", "grammar school (Gymnasium)"),
        Criterion::Affordability => ("Miete", "rent"),
        Criterion::Commute => ("Weg zur Arbeit", "way to work"),
        Criterion::Transit => ("Bus und Bahn", "buses and trains"),
        Criterion::EverydayServices => {
            ("Einkaufen, Arzt und Apotheke", "shops, doctor and chemist")
        }
        Criterion::Health => (
            "Not-Aufnahme und Kinder-Arzt",
            "emergency room and children's doctor",
        ),
        Criterion::CentralPlace => ("nächste größere Stadt", "nearest bigger town"),
        Criterion::Leisure => ("Freizeit", "free time"),
        Criterion::TownSize => ("Größe vom Ort", "size of the town"),
    };
    PlainName { de, en }
}

/// Every criterion's plain name, as the criteria table serves them: `{id: {de, en}}`.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlainNames;

impl Serialize for PlainNames {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Names {
            de: &'static str,
            en: &'static str,
        }
        s.collect_map(Criterion::ALL.iter().map(|c| {
            let n = plain_name(*c);
            (c.id(), Names { de: n.de, en: n.en })
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_criterion_has_a_plain_name_in_both_languages() {
        let json = serde_json::to_value(PlainNames).unwrap();
        for c in Criterion::ALL {
            let n = &json[c.id()];
            assert!(!n["de"].as_str().unwrap().is_empty(), "{}", c.id());
            assert!(!n["en"].as_str().unwrap().is_empty(), "{}", c.id());
        }
        assert!(STRENGTHS.weak_below < STRENGTHS.strong_from);
    }
}

//! The sentence for a missed hard limit.

use super::super::output::{Exclusion, Limit, Ranking};
use crate::profile::Lang;
use crate::text::{push_num, push_value};
use crate::vocab::pick;

impl Ranking<'_> {
    /// One sentence for an exclusion, e.g. "Misses your maximum commute to Dresden by 12.4 km
    /// (52.4 km against 40 km)."
    pub fn describe_exclusion(&self, e: &Exclusion<'_>) -> String {
        describe_exclusion(self, e)
    }
}

fn describe_exclusion(r: &Ranking<'_>, e: &Exclusion<'_>) -> String {
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
            // Cold against a cold budget, warm (cold + operating costs) against a warm one.
            push_value(&mut s, e.value, "EUR", lang);
            s.push_str(", ");
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

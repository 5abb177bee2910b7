//! The sentence for a missed hard limit or veto, and the note when every town misses one.

use super::super::output::{Exclusion, Limit, Note, Ranking, SetBy};
use crate::profile::Lang;
use crate::text::{push_num, push_value};
use crate::vocab::pick;

impl Ranking<'_> {
    /// One sentence for an exclusion, e.g. "Misses your maximum commute to Dresden by 12.4 km
    /// (52.4 km against 40 km)."
    pub fn describe_exclusion(&self, e: &Exclusion<'_>) -> String {
        describe_exclusion(self, e)
    }

    /// When no municipality is ranked because every one misses a limit or veto: a note naming
    /// the nearest miss (the town with the fewest misses, then the smallest misses relative to
    /// their limits) and what it misses, so the household sees which limit to raise.
    pub(crate) fn nearest_miss_note(&self) -> Option<Note> {
        if !self.ranked.is_empty() || self.excluded.is_empty() {
            return None;
        }
        // Exclusions are grouped by municipality: (first index, count, relative miss).
        let mut best: Option<(usize, usize, f64)> = None;
        let mut start = 0;
        while start < self.excluded.len() {
            let ags = self.excluded[start].ags;
            let end = start
                + self.excluded[start..]
                    .iter()
                    .take_while(|e| e.ags == ags)
                    .count();
            let group = &self.excluded[start..end];
            let relative: f64 = group
                .iter()
                .map(|e| e.by / e.threshold.abs().max(1e-9))
                .sum();
            let better = match best {
                None => true,
                Some((_, n, rel)) => group.len() < n || (group.len() == n && relative < rel),
            };
            if better {
                best = Some((start, group.len(), relative));
            }
            start = end;
        }
        let (start, n, _) = best?;
        let group = &self.excluded[start..start + n];
        let mut text = String::from(pick(
            self.lang,
            "Keine Gemeinde erfüllt alle Ihre Grenzen. Am nächsten kommt ",
            "No municipality meets all your limits. The nearest miss is ",
        ));
        text.push_str(group[0].name);
        text.push(':');
        for e in group {
            text.push(' ');
            text.push_str(&describe_exclusion(self, e));
        }
        Some(Note {
            code: "all_excluded",
            text,
        })
    }
}

/// Appends a miss: whole units, or one decimal below 10 so that a small miss is not shown as 0.
fn push_by(s: &mut String, by: f64, unit: &str, lang: Lang) {
    // Minutes are shown whole (as the estimate they miss by is), other units to 0.1 below 10.
    let decimals = if by < 10.0 && unit != "min" { 1 } else { 0 };
    push_num(s, by, decimals, lang);
    s.push_str(crate::text::unit_suffix(unit, lang));
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
        Limit::MaxCommuteMin { workplace } => {
            let wp = r.workplaces.get(workplace).map_or("", |w| w.label.as_str());
            s.push_str(pick(lang, "Zu weit bis ", "Too far from "));
            s.push_str(wp);
            s.push_str(pick(lang, ": geschätzt etwa ", ": an estimated "));
            push_value(&mut s, e.value, "min", lang);
            s.push_str(pick(lang, " einfache Strecke, ", " one way, "));
            push_by(&mut s, e.by, "min", lang);
            s.push_str(pick(lang, " über der Grenze von ", " beyond the limit of "));
            push_value(&mut s, e.threshold, "min", lang);
            let default = r.commute_limit.is_some_and(|l| l.set_by == SetBy::Default);
            s.push_str(if default {
                pick(
                    lang,
                    " (Standard: dort hat der Arbeitsweg keinen Nutzen mehr; anzuheben unter \
                     „Längster zumutbarer Arbeitsweg“, im Profil max_commute_min).",
                    " (the default, where the commute has no utility left; raise it under \
                     “Longest acceptable commute”, in a profile max_commute_min).",
                )
            } else {
                pick(
                    lang,
                    " (Ihr längster zumutbarer Arbeitsweg).",
                    " (your longest acceptable commute).",
                )
            });
        }
        Limit::Essential { criterion } => {
            // The label starts the sentence (English labels are lower case).
            crate::text::push_cap(&mut s, criterion.spec().label(lang));
            s.push_str(pick(
                lang,
                " ist Ihnen unverzichtbar (Gewicht 5), erreicht hier aber nur ",
                " is essential to you (weight 5) but scores only ",
            ));
            push_num(&mut s, e.value, 0, lang);
            s.push_str(pick(lang, " von 100 Punkten, ", " of 100 here, "));
            push_by(&mut s, e.by, "", lang);
            s.push_str(pick(
                lang,
                " unter der Mindestschwelle von ",
                " below the floor of ",
            ));
            push_num(&mut s, e.threshold, 0, lang);
            s.push('.');
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

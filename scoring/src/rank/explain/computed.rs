//! The explanations of the criteria computed per profile: affordability, commute and town size.

use super::super::dynamic::Dynamic;
use super::super::dynamic::town_factor;
use super::super::explanation::{Explanation, PartValue};
use super::super::plan::Plan;
use super::super::precompute::Prepared;
use super::medians::DynamicMedians;
use super::phrase::{opt, push_left_out};
use crate::atlas::Resolution;
use crate::criteria::{Coverage, Role};
use crate::profile::{Lang, TownSize};
use crate::text::{push_num, push_value};
use crate::travel::transit::TransitModel;
use crate::vocab::pick;
use std::borrow::Cow;

pub(super) fn affordability<'a>(
    r: &Prepared<'a>,
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
    e.median_text = Cow::Owned(med.cost_text.clone());
    e.method_text = Cow::Owned(med.rent_method.clone());
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
            role: Role::Scored,
            note: "",
            estimate: ind.is_some_and(|ind| ind.meta.estimate),
            used: !v.is_nan(),
            missing_reason: if v.is_nan() {
                ind.and_then(|ind| ind.missing.get(r.ags[i]))
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
        utility: opt(curve.eval(x)),
        used: !x.is_nan(),
        ..PartValue::estimated_input(part, Cow::Borrowed(pick(lang, de, en)), opt(x * 100.0), "%")
    };
    let warm = plan.budget_extra > 0.0;
    if let (Some(_), true) = (plan.budget, warm) {
        e.parts.to_mut().push(PartValue::estimated_input(
            "operating_costs",
            Cow::Borrowed(pick(
                lang,
                "Heiz- und Betriebskosten (Bundesdurchschnitt)",
                "heating and operating costs (German average)",
            )),
            Some(plan.budget_extra),
            "EUR",
        ));
    }
    if let Some(b) = plan.budget {
        e.parts.to_mut().push(ratio(
            "budget_share",
            if warm {
                "Anteil am Budget für die Warmmiete"
            } else {
                "Anteil am Budget für die Kaltmiete"
            },
            if warm {
                "share of the warm-rent budget"
            } else {
                "share of the cold-rent budget"
            },
            (cost + plan.budget_extra) / b,
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
        e.missing_reason = k_new.and_then(|k| r.atlas.indicators[k].missing.get(r.ags[i]));
        s.push_str(pick(
            lang,
            "Bezahlbarkeit: hier keine Miete bekannt",
            "Affordability: no rent figure here",
        ));
        push_left_out(s, e.missing_reason, lang);
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
                s.push_str(" (existing leases: ");
                push_value(s, existing, "EUR/m2", lang);
                s.push(')');
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
                s.push_str(" (Bestandsmiete ");
                push_value(s, existing, "EUR/m2", lang);
                s.push(')');
            }
            s.push_str(" kosten etwa ");
            push_value(s, cost, "EUR", lang);
            s.push_str(" kalt im Monat");
        }
    }
    let mut sep = ": ";
    if let Some(b) = plan.budget {
        if warm {
            // What is compared with what: the warm rent with the warm budget.
            s.push_str(pick(lang, ", etwa ", ", about "));
            push_value(s, cost + plan.budget_extra, "EUR", lang);
            s.push_str(" warm");
        }
        s.push_str(sep);
        push_num(s, (cost + plan.budget_extra) / b * 100.0, 0, lang);
        s.push_str(match (warm, lang) {
            (false, Lang::De) => " % Ihres Budgets für die Kaltmiete von ",
            (false, Lang::En) => " % of your cold-rent budget of ",
            (true, Lang::De) => " % Ihres Budgets für die Warmmiete von ",
            (true, Lang::En) => " % of your warm-rent budget of ",
        });
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
    s.push('.');
}

pub(super) fn commute(
    r: &Prepared<'_>,
    plan: &Plan,
    d: &Dynamic,
    med: &DynamicMedians,
    i: usize,
    e: &mut Explanation<'_>,
    s: &mut String,
) {
    let lang = plan.lang;
    let w = plan.workplaces.len();
    // The km shown: by road between the towns, or across town where the workplace is the home
    // municipality (centre to centre would be 0 km beside a sentence giving the way across).
    let shown_road = |k: usize| {
        if plan.workplaces[k].row == Some(i) {
            crate::travel::road_km(r.across_town_km(i))
        } else {
            d.road[i * w + k]
        }
    };
    let mut longest = (f64::NEG_INFINITY, 0);
    for k in 0..w {
        let road = shown_road(k);
        if road > longest.0 {
            longest = (road, k);
        }
        if w > 1 {
            e.parts.to_mut().push(PartValue {
                utility: Some(crate::criteria::COMMUTE_MIN.eval(d.minutes[i * w + k])),
                weight: Some(1.0),
                median: opt(med.road[k]),
                ..PartValue::estimated_input(
                    "workplace",
                    Cow::Owned(plan.workplaces[k].out.label.clone()),
                    Some(road),
                    "km",
                )
            });
        }
    }
    e.value = Some(longest.0);
    e.unit = "km";
    e.median = med.road.get(longest.1).copied().and_then(opt);
    e.median_text = Cow::Owned(med.road_text.clone());
    e.method_text = Cow::Owned(med.commute_method.clone());
    e.estimate = true;
    for k in 0..w {
        let road = shown_road(k);
        let wp = &plan.workplaces[k];
        if k > 0 {
            s.push_str("; ");
        }
        let way = if plan.car {
            Way::Car
        } else {
            transit_way(r, i, wp.row, &wp.unit)
        };
        if wp.row == Some(i) {
            // The workplace is this municipality: no distance between towns, but the way
            // across town.
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
                " selbst: der Weg durch den Ort ist etwa ",
                " itself: the way across town is about ",
            ));
            push_value(s, road, "km", lang);
            s.push_str(pick(lang, " Straße (", " by road ("));
            push_value(s, r.across_town_km(i), "km", lang);
            s.push_str(pick(
                lang,
                " Luftlinie: mittlere Entfernung der Einwohner zum Ortsmittelpunkt), etwa ",
                " crow-flies: the residents' mean distance to the centre), about ",
            ));
            push_minutes(s, d.minutes[i * w + k], way, lang);
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
        s.push_str(pick(lang, ", etwa ", ", about "));
        push_minutes(s, d.minutes[i * w + k], way, lang);
    }
    s.push('.');
}

/// How a commute is estimated, for the sentence.
#[derive(Clone, Copy)]
enum Way<'a> {
    Car,
    Bus,
    /// By train from the home station to the workplace's.
    Rail(&'a str, &'a str),
}

/// Whether the estimate without a car takes the train (and between which stations) or the bus:
/// the same choice [`crate::travel::transit::TransitModel::estimate`] made for the minutes.
fn transit_way<'a>(r: &Prepared<'a>, i: usize, wp: Option<usize>, unit: &[f64; 3]) -> Way<'a> {
    let station = r.workplace_station(wp, unit);
    let leg = r.rail_leg(i, station);
    let crow = r.commute_crow_km(i, wp, unit);
    let est = TransitModel::SHIPPED.estimate(crow, leg.as_ref());
    match (
        est.by_rail,
        r.stations[i],
        station.and_then(|(w, _)| r.stations[w]),
    ) {
        (true, Some((from, _)), Some((to, _))) => Way::Rail(&from.name, &to.name),
        _ => Way::Bus,
    }
}

/// "41 min by car (estimate: …)": the minutes and what they rest on.
fn push_minutes(s: &mut String, minutes: f64, way: Way<'_>, lang: Lang) {
    push_num(s, minutes, 0, lang);
    match (way, lang) {
        (Way::Car, Lang::En) => s.push_str(" min by car (estimate)"),
        (Way::Car, Lang::De) => s.push_str(" Min. mit dem Auto (geschätzt)"),
        (Way::Bus, Lang::En) => s.push_str(" min by public transport (estimate: by bus)"),
        (Way::Bus, Lang::De) => s.push_str(" Min. mit Bus und Bahn (geschätzt: mit dem Bus)"),
        (Way::Rail(from, to), Lang::En) => {
            s.push_str(" min by public transport (estimate: regional train from ");
            s.push_str(from);
            s.push_str(" to ");
            s.push_str(to);
            s.push(')');
        }
        (Way::Rail(from, to), Lang::De) => {
            s.push_str(" Min. mit Bus und Bahn (geschätzt: Regionalzug von ");
            s.push_str(from);
            s.push_str(" nach ");
            s.push_str(to);
            s.push(')');
        }
    }
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

pub(super) fn town_size<'a>(
    r: &Prepared<'a>,
    plan: &Plan,
    i: usize,
    e: &mut Explanation<'a>,
    s: &mut String,
) {
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

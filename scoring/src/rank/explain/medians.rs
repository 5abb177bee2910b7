//! What every explained row of a ranking shares for the profile-dependent criteria, written
//! once per ranking: the medians (rent of the needed flat, road distance to each workplace;
//! the median resident's, as every median lotse quotes) and how rent and commute are estimated.

use super::super::dynamic::Dynamic;
use super::super::plan::Plan;
use super::super::precompute::Prepared;
use super::phrase::median_text;
use crate::criteria::DETOUR_FACTOR;
use crate::criteria::OPERATING_COSTS_EUR_M2;
use crate::profile::Lang;
use crate::text::{push_num, push_value};
use crate::vocab::pick;

/// Profile-dependent medians, computed once per ranking that explains rows.
pub(crate) struct DynamicMedians {
    pub(super) cost: f64,
    pub(super) road: Vec<f64>,
    /// "median resident in Saxony: 582 € cold", in the plan's language; empty without one.
    pub(super) cost_text: String,
    /// "median resident in Saxony: 104.2 km by road to Leipzig" (each workplace).
    pub(super) road_text: String,
    /// How the rent and the commute are estimated: the same for every row, written once per
    /// ranking.
    pub(super) rent_method: String,
    pub(super) commute_method: String,
}

impl DynamicMedians {
    pub(crate) fn new(r: &Prepared<'_>, plan: &Plan, d: &Dynamic) -> Self {
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
                road.push(r.median_resident(&scratch));
            }
        }
        let lang = plan.lang;
        let mut m = String::new();
        if !cost.is_nan() {
            push_value(&mut m, cost, "EUR", lang);
            m.push_str(pick(lang, " kalt", " cold"));
        }
        let cost_text = median_text(r, lang, &m, "");
        m.clear();
        for (k, wp) in plan.workplaces.iter().enumerate() {
            let Some(&km) = road.get(k).filter(|x| !x.is_nan()) else {
                continue;
            };
            if !m.is_empty() {
                m.push_str("; ");
            }
            push_value(&mut m, km, "km", lang);
            m.push_str(pick(lang, " Straße bis ", " by road to "));
            m.push_str(&wp.out.label);
        }
        let road_text = median_text(r, lang, &m, "");
        DynamicMedians {
            cost,
            road,
            cost_text,
            road_text,
            rent_method: rent_method(plan.budget_extra > 0.0, lang),
            commute_method: commute_method(plan.car, lang),
        }
    }
}

/// How the rent is estimated, the same for every municipality: said once per answer
/// (`criteria[].method_text`), not in every sentence.
fn rent_method(warm: bool, lang: Lang) -> String {
    let mut s = String::with_capacity(240);
    s.push_str(pick(
        lang,
        "Schätzung: Miete bei Neuvermietung = Bestandsmiete (Zensus 2022) × Verhältnis Angebots- \
         zu Bestandsmiete im Kreis",
        "Estimate: new-lease rent = rent in existing leases (Zensus 2022) × the district's \
         asking-to-existing ratio",
    ));
    if warm {
        s.push_str(pick(
            lang,
            "; warm = kalt + Heiz- und Betriebskosten von ",
            "; warm = cold + heating and operating costs of ",
        ));
        push_value(&mut s, OPERATING_COSTS_EUR_M2.value, "EUR/m2", lang);
        s.push_str(pick(
            lang,
            " (Bundesdurchschnitt laut Deutschem Mieterbund)",
            " (the German average by the Deutscher Mieterbund)",
        ));
    }
    s.push('.');
    s
}

/// How the commute's figures are estimated, the same for every municipality: said once per
/// answer (`criteria[].method_text`), not in every sentence.
fn commute_method(car: bool, lang: Lang) -> String {
    let mut s = String::with_capacity(320);
    s.push_str(pick(
        lang,
        "Schätzungen: Straßenkilometer = Luftlinie × ",
        "Estimates: road km = crow-flies × ",
    ));
    push_num(&mut s, DETOUR_FACTOR.value, 1, lang);
    s.push_str(match (car, lang) {
        (true, Lang::En) => {
            "; car minutes at a speed rising with distance, fitted on official routed car minutes."
        }
        (true, Lang::De) => {
            "; Autominuten mit einem Tempo, das mit der Entfernung steigt, angepasst an amtliche \
             Pkw-Fahrzeiten auf dem Straßennetz."
        }
        (false, Lang::En) => {
            "; public-transport minutes: the faster of a bus with the wait (fitted on official \
             public-transport minutes) and a regional train between the nearest stations with the \
             ways to and from them and the wait; no timetable."
        }
        (false, Lang::De) => {
            "; Minuten mit Bus und Bahn: das Schnellere von Bus samt Wartezeit (angepasst an \
             amtliche ÖPNV-Reisezeiten) und Regionalzug zwischen den nächsten Bahnhöfen samt Wegen \
             zu und von ihnen und Wartezeit; kein Fahrplan."
        }
    });
    s
}

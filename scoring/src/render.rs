//! Plain-text rendering of a ranking, in the ranking's language: what `lotse rank` prints and
//! what the golden snapshots record. Formatting only; no I/O.

use crate::profile::Lang;
use crate::rank::{Limit, Ranking, Robustness, SetBy};
use std::fmt::Write;

/// The ranking as text: active criteria with weights, the commute limit in force and the
/// essential vetoes, notes, counts of ranked, unranked and excluded municipalities (one example
/// per kind of limit), then the first `top` municipalities
/// with score, flags and one sentence per criterion.
pub fn ranking_text(r: &Ranking<'_>, top: usize) -> String {
    let de = r.lang == Lang::De;
    let t = |d: &'static str, e: &'static str| if de { d } else { e };
    let mut s = String::new();
    let crit: Vec<String> = r
        .criteria
        .iter()
        .map(|c| {
            format!(
                "{} {} ({:.0} %){}",
                c.criterion.id(),
                c.weight,
                c.share * 100.0,
                if c.available {
                    ""
                } else {
                    t(" nicht verfügbar", " unavailable")
                }
            )
        })
        .collect();
    let _ = writeln!(s, "{} {}", t("Kriterien:", "criteria:"), crit.join(", "));
    let _ = writeln!(
        s,
        "{} {} m²",
        t("Wohnfläche:", "living space:"),
        r.living_space_m2
    );
    if let Some(l) = &r.commute_limit {
        let _ = writeln!(
            s,
            "{} {:.0} {} ({})",
            t("Grenze für den Arbeitsweg:", "commute limit:"),
            l.minutes,
            t("Min. einfach, geschätzt", "min one way, estimated"),
            match l.set_by {
                SetBy::Default => t(
                    "Standard, Nullpunkt der Arbeitsweg-Kurve; max_commute_min ändert sie",
                    "default, the commute curve's zero point; max_commute_min changes it",
                ),
                SetBy::Household => t("Ihre max_commute_min", "your max_commute_min"),
            }
        );
    }
    for (c, floor) in r
        .criteria
        .iter()
        .filter_map(|c| c.essential_floor.map(|f| (c, f)))
    {
        let _ = writeln!(
            s,
            "{} {} < {floor:.0}",
            t("Veto (unverzichtbar):", "veto (essential):"),
            c.criterion.id(),
        );
    }
    for n in &r.notes {
        let _ = writeln!(s, "{} {}", t("Hinweis:", "note:"), n.text);
    }
    let excluded: std::collections::BTreeSet<&str> = r.excluded.iter().map(|e| e.ags).collect();
    let _ = writeln!(
        s,
        "{} {}, {} {}, {} {}",
        t("mit Rang", "ranked"),
        r.ranked.len(),
        t(
            "ohne Rang (Abdeckung < 70 %)",
            "without rank (coverage < 70 %)"
        ),
        r.unranked.len(),
        t(
            "durch eine Grenze oder ein Veto ausgeschlossen",
            "excluded by a limit or veto"
        ),
        excluded.len()
    );
    let mut kinds: Vec<std::mem::Discriminant<Limit>> = Vec::new();
    for e in &r.excluded {
        let kind = std::mem::discriminant(&e.limit);
        if !kinds.contains(&kind) {
            kinds.push(kind);
            let _ = writeln!(
                s,
                "  {} {}: {}",
                t("z. B.", "e.g."),
                e.name,
                r.describe_exclusion(e)
            );
        }
    }
    if let Some(rb) = &r.robustness {
        let _ = writeln!(s, "{}", robustness_line(rb, de));
    }
    let _ = writeln!(s);
    let mut group = None;
    for x in r.ranked.iter().take(top) {
        if x.group.is_some() && x.group != group {
            group = x.group;
            let size = r.ranked.iter().filter(|y| y.group == group).count();
            let _ = writeln!(s, "{}", group_line(x.group.unwrap_or(0), size, de));
        }
        let mut flags = vec![format!(
            "{} {:.0} %",
            t("Abdeckung", "coverage"),
            x.weight_coverage * 100.0
        )];
        if let (Some([lo, hi]), Some(rb)) = (x.rank_interval, &r.robustness) {
            let ranks = if lo == hi {
                format!("{lo}")
            } else {
                format!("{lo}–{hi}")
            };
            flags.push(if de {
                format!("Rang {ranks} in 90 % der Ziehungen")
            } else {
                format!("rank {ranks} in 90 % of draws")
            });
            if let Some(share) = x.top_k_share {
                flags.push(if de {
                    format!("Top {} in {:.0} %", rb.k, share * 100.0)
                } else {
                    format!("top {} in {:.0} %", rb.k, share * 100.0)
                });
            }
        }
        match (&x.pareto_optimal, &x.dominated_by) {
            (Some(true), _) => flags.push(t("Pareto-optimal", "Pareto-optimal").into()),
            (_, Some(d)) => flags.push(format!(
                "{} {} (#{})",
                t("dominiert von", "dominated by"),
                d.name,
                d.rank
            )),
            _ => {}
        }
        if !x.dropped.is_empty() {
            let ids: Vec<&str> = x.dropped.iter().map(|c| c.id()).collect();
            flags.push(format!(
                "{} {}",
                t("ohne Daten:", "dropped:"),
                ids.join(", ")
            ));
        }
        let _ = writeln!(
            s,
            "{:>2}. {} ({}, {}) — {:.1}  [{}]",
            x.rank,
            x.name,
            x.ags,
            x.district,
            x.score,
            flags.join("; ")
        );
        for e in &x.explanations {
            let u = e.utility.map_or("  –".to_string(), |u| format!("{u:>3.0}"));
            let _ = writeln!(
                s,
                "    {:<18} u={u} w={}  {}",
                e.criterion.id(),
                e.weight,
                e.sentence_in_full()
            );
        }
    }
    s
}

/// The robustness model in one line: draws, weight doubt and the estimates' error ranges.
fn robustness_line(rb: &Robustness, de: bool) -> String {
    let pct = |e: f64| format!("{:.0}", 200.0 * e);
    let mut draws = String::new();
    let lang = if de { Lang::De } else { Lang::En };
    crate::text::push_num(&mut draws, rb.draws as f64, 0, lang);
    if de {
        format!(
            "Robustheit: {draws} Ziehungen; jedes Gewicht ± {} Stufe (mindestens {:.0} % davon), \
             Pendelminuten ± {} %, Miete ± {} %",
            rb.weight_step,
            rb.weight_floor * 100.0,
            pct(rb.commute_error),
            pct(rb.rent_error)
        )
    } else {
        format!(
            "robustness: {draws} draws; each weight ± {} step (at least {:.0} % of it), commute \
             minutes ± {} %, rent ± {} %",
            rb.weight_step,
            rb.weight_floor * 100.0,
            pct(rb.commute_error),
            pct(rb.rent_error)
        )
    }
}

/// The header of a group of rows whose rank intervals overlap.
fn group_line(group: u32, size: usize, de: bool) -> String {
    match (de, size > 1) {
        (true, true) => format!("── Gruppe {group}: {size} Orte, Reihenfolge nicht gesichert ──"),
        (true, false) => format!("── Gruppe {group} ──"),
        (false, true) => format!("── group {group}: {size} places, order not settled ──"),
        (false, false) => format!("── group {group} ──"),
    }
}

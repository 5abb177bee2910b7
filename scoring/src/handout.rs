//! The ranking as a handout in Markdown, in the ranking's language: what `lotse rank --format
//! markdown` writes for an advisor to print or send (the page's print view shows the same).
//! The household and the limit in force, the top towns by rank group with their reasons, the
//! towns left out, who helps newcomers in those districts, and the sources with their licences.
//! Formatting only; no I/O.

use crate::atlas::{HelpContact, Source};
use crate::profile::Lang;
use crate::rank::{Ranking, SetBy};
use std::fmt::Write;

/// How many of the towns left out the handout names (nearest misses first), before a count.
const LEFT_OUT_NAMED: usize = 10;

/// The handout: the first `top` ranked towns, the help contacts of their districts and of the
/// whole region, and `sources` (the atlas's) with their licences.
pub fn handout_markdown(r: &Ranking<'_>, top: usize, sources: &[Source]) -> String {
    let de = r.lang == Lang::De;
    let t = |d: &'static str, e: &'static str| if de { d } else { e };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# {}\n",
        t(
            "lotse – Wohnorte in Sachsen für Ihren Haushalt",
            "lotse – places to live in Saxony for your household"
        )
    );
    household(&mut s, r, de);
    let _ = writeln!(
        s,
        "\n## {}\n",
        t("Die besten Orte für Sie", "The best places for you")
    );
    if r.ranked.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            t(
                "Kein Ort erfüllt alle Grenzen; siehe unten.",
                "No town meets every limit; see below."
            )
        );
    }
    let mut group = None;
    for x in r.ranked.iter().take(top) {
        if x.group.is_some() && x.group != group {
            group = x.group;
            let size = r.ranked.iter().filter(|y| y.group == group).count();
            let g = x.group.unwrap_or(0);
            let _ = if size > 1 {
                writeln!(
                    s,
                    "### {} {g}: {size} {}\n",
                    t("Gruppe", "Group"),
                    t(
                        "Orte, etwa gleich gut – ihre Reihenfolge kann leicht kippen",
                        "places about equally good – their order could easily change"
                    )
                )
            } else {
                writeln!(s, "### {} {g}\n", t("Gruppe", "Group"))
            };
        }
        let _ = write!(
            s,
            "{}. **{}** ({}) – {} {:.0}/100",
            x.rank,
            x.name,
            x.district,
            t("Punktzahl", "score"),
            x.score
        );
        if let Some([lo, hi]) = x.rank_interval {
            let _ = if lo == hi {
                write!(s, " · {} {lo}", t("meist Platz", "usually rank"))
            } else {
                write!(s, " · {} {lo}–{hi}", t("meist Platz", "usually rank"))
            };
        }
        if let (Some(share), Some(rb)) = (x.top_k_share, &r.robustness) {
            let _ = write!(
                s,
                " · {} {:.0}{} {}",
                t(
                    "mit leicht verschobenen Gewichten",
                    "with your weights shifted a little,"
                ),
                share * 100.0,
                t(
                    "-mal von 100 unter den ersten",
                    " times out of 100 in the top"
                ),
                rb.k
            );
        }
        let _ = writeln!(s);
        for e in &x.explanations {
            if e.dropped {
                continue;
            }
            let _ = writeln!(s, "   - {}", e.sentence_in_full());
        }
        let _ = writeln!(s);
    }
    left_out(&mut s, r, de);
    help(&mut s, r, top, de);
    sources_list(&mut s, sources, de);
    s
}

fn household(s: &mut String, r: &Ranking<'_>, de: bool) {
    let t = |d: &'static str, e: &'static str| if de { d } else { e };
    let _ = writeln!(
        s,
        "- {} {} m²",
        t("Benötigte Wohnfläche:", "Living space needed:"),
        r.living_space_m2
    );
    if !r.workplaces.is_empty() {
        let places: Vec<&str> = r.workplaces.iter().map(|w| w.label.as_str()).collect();
        let _ = writeln!(
            s,
            "- {} {}",
            t("Arbeitsort:", "Workplace:"),
            places.join(", ")
        );
    }
    if let Some(l) = &r.commute_limit {
        let _ = writeln!(
            s,
            "- {} {:.0} {} ({})",
            t("Grenze für den Arbeitsweg:", "Commute limit:"),
            l.minutes,
            t("Min. einfach, geschätzt", "min one way, estimated"),
            match l.set_by {
                SetBy::Default => t("Standard", "default"),
                SetBy::Household => t("von Ihnen gesetzt", "set by you"),
            }
        );
    }
    let weights: Vec<String> = r
        .criteria
        .iter()
        .filter(|c| c.available && c.weight > 0.0)
        .map(|c| format!("{} {:.0} %", c.label, c.share * 100.0))
        .collect();
    let _ = writeln!(
        s,
        "- {} {}",
        t("Was zählt (Anteil):", "What counts (share):"),
        weights.join(", ")
    );
    for n in &r.notes {
        let _ = writeln!(s, "- {}", n.text);
    }
}

/// The towns left out, nearest misses first (smallest miss relative to its limit).
fn left_out(s: &mut String, r: &Ranking<'_>, de: bool) {
    if r.excluded.is_empty() {
        return;
    }
    let t = |d: &'static str, e: &'static str| if de { d } else { e };
    let towns: std::collections::BTreeSet<&str> = r.excluded.iter().map(|e| e.ags).collect();
    let _ = writeln!(
        s,
        "## {} ({})\n",
        t("Ausgeschlossen", "Left out"),
        towns.len()
    );
    let mut misses: Vec<_> = r.excluded.iter().collect();
    misses.sort_by(|a, b| {
        let rel = |e: &crate::rank::Exclusion<'_>| e.by / e.threshold.abs().max(1e-9);
        rel(a).total_cmp(&rel(b)).then(a.ags.cmp(b.ags))
    });
    let mut named = std::collections::BTreeSet::new();
    for e in misses {
        if named.len() == LEFT_OUT_NAMED {
            break;
        }
        if named.insert(e.ags) {
            let _ = writeln!(s, "- **{}**: {}", e.name, r.describe_exclusion(e));
        }
    }
    if towns.len() > named.len() {
        let _ = writeln!(
            s,
            "- {} {}",
            towns.len() - named.len(),
            t("weitere", "more")
        );
    }
    let _ = writeln!(s);
}

/// Help contacts of the listed towns' districts, then those for the whole region, once each.
fn help(s: &mut String, r: &Ranking<'_>, top: usize, de: bool) {
    let t = |d: &'static str, e: &'static str| if de { d } else { e };
    let mut seen = std::collections::BTreeSet::new();
    let mut lines = Vec::new();
    let contacts = r
        .ranked
        .iter()
        .take(top)
        .flat_map(|x| x.help.iter().copied())
        .chain(r.statewide_help.iter().copied());
    for h in contacts {
        if seen.insert(h.name.as_str()) {
            lines.push(contact(h, de));
        }
    }
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "## {}\n",
        t("Wer Zugezogenen hilft", "Who helps newcomers")
    );
    for l in lines {
        let _ = writeln!(s, "- {l}");
    }
    let _ = writeln!(s);
}

fn contact(h: &HelpContact, de: bool) -> String {
    let mut line = format!("**{}**", h.name);
    if !h.town.is_empty() {
        let _ = write!(line, ", {}", h.town);
    }
    if !h.website.is_empty() {
        let _ = write!(line, " – <{}>", h.website);
    }
    if h.inferred {
        line.push_str(if de {
            " (abgeleitet, nicht geprüft)"
        } else {
            " (inferred, not verified)"
        });
    }
    line
}

fn sources_list(s: &mut String, sources: &[Source], de: bool) {
    let t = |d: &'static str, e: &'static str| if de { d } else { e };
    let _ = writeln!(s, "## {}\n", t("Quellen", "Sources"));
    for src in sources {
        let _ = writeln!(
            s,
            "- {} – {} ({}, {}){}",
            if de && !src.title_de.is_empty() {
                &src.title_de
            } else {
                &src.title
            },
            src.publisher,
            src.licence,
            src.reference_date,
            if src.licence_confirmed {
                ""
            } else {
                t(
                    " – Nachnutzung vom Herausgeber nicht bestätigt",
                    " – reuse terms not confirmed by the publisher",
                )
            }
        );
    }
    let _ = writeln!(
        s,
        "\n{}",
        t(
            "Alle Minuten und Neuvermietungsmieten sind Schätzungen, kein Fahrplan und kein Angebot. \
             Eine Rangliste beginnt ein Gespräch mit einer Beratungsstelle; sie ersetzt es nicht.",
            "Every commute minute and new-lease rent is an estimate, not a timetable or an offer. \
             A ranking starts a conversation with an advisor; it does not replace it."
        )
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;
    use crate::rank::{RankOptions, Ranker};
    use crate::synthetic;

    #[test]
    fn the_handout_has_the_household_the_top_towns_their_reasons_and_the_sources() {
        let atlas = synthetic::atlas(80, 5);
        let ranker = Ranker::new(&atlas).unwrap();
        for lang in [Lang::De, Lang::En] {
            let mut p = Profile::new(2);
            p.children = vec![3];
            p.rent_budget_eur = Some(800.0);
            p.lang = lang;
            let r = ranker.rank(&p, &RankOptions::default()).unwrap();
            let md = handout_markdown(&r, 5, &atlas.sources);
            assert!(md.starts_with("# lotse"), "{md}");
            for x in r.ranked.iter().take(5) {
                assert!(md.contains(&format!("**{}**", x.name)), "{}", x.name);
                for e in x.explanations.iter().filter(|e| !e.dropped) {
                    assert!(md.contains(e.sentence.as_ref()), "{}", e.sentence);
                }
            }
            let sixth = &r.ranked[5];
            assert!(!md.contains(&format!("**{}**", sixth.name)));
            for src in &atlas.sources {
                let title = if lang == Lang::De {
                    &src.title_de
                } else {
                    &src.title
                };
                assert!(md.contains(title.as_str()), "{title}");
            }
            let heading = if lang == Lang::De {
                "## Quellen"
            } else {
                "## Sources"
            };
            assert!(md.contains(heading));
        }
    }
}

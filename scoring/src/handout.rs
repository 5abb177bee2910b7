//! The ranking as a handout in Markdown, in the ranking's language: what `lotse rank --format
//! markdown` writes for an advisor to print or send (the page's print view shows the same).
//! The household and the limit in force, the top towns by rank group with their reasons and the
//! nearest Kita, schools and station by name, the towns left out, who helps newcomers in those
//! districts, and the sources with their licences. Formatting only; no I/O.

use crate::atlas::{Atlas, HelpContact, Source};
use crate::places::places_near;
use crate::profile::Lang;
use crate::rank::{Ranking, SetBy};
use std::fmt::Write;

/// How many of the towns left out the handout names (nearest misses first), before a count.
const LEFT_OUT_NAMED: usize = 10;

/// The places a handout names for each town: the nearest of each, by category id.
const HANDOUT_PLACES: [&str; 4] = ["childcare", "primary_school", "oberschule", "gymnasium"];

/// The handout: the first `top` ranked towns with the places nearest where their people live,
/// the help contacts of their districts and of the whole region, and the atlas's sources with
/// their licences.
pub fn handout_markdown(r: &Ranking<'_>, top: usize, atlas: &Atlas) -> String {
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
            let _ = writeln!(s, "   - {}", e.sentence);
        }
        if let Some(line) = atlas.index_of(x.ags).and_then(|i| nearby(atlas, i, r.lang)) {
            let _ = writeln!(s, "   - {line}");
        }
        let _ = writeln!(s);
    }
    reading_aids(&mut s, r, de);
    left_out(&mut s, r, de);
    help(&mut s, r, top, de);
    sources_list(&mut s, &atlas.sources, de);
    s
}

/// How each criterion's figures are estimated and the medians its sentences are read against:
/// once here, not after every town's sentence (which made them ten times as long).
fn reading_aids(s: &mut String, r: &Ranking<'_>, de: bool) {
    let lines: Vec<String> = r
        .criteria
        .iter()
        .filter(|c| c.share > 0.0)
        .filter_map(|c| {
            let text: Vec<String> = [&c.method_text, &c.median_text]
                .into_iter()
                .filter(|t| !t.is_empty())
                .map(|t| capitalised(t))
                .collect();
            (!text.is_empty())
                .then(|| format!("- **{}**: {}", capitalised(c.label), text.join(" · ")))
        })
        .collect();
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "## {}\n\n{}\n",
        if de {
            "Wie die Zahlen geschätzt sind und womit sie verglichen werden"
        } else {
            "How the figures are estimated, and what they are compared with"
        },
        lines.join("\n")
    );
}

fn capitalised(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    crate::text::push_cap(&mut s, text);
    s
}

/// One line naming the nearest Kita, schools and station of municipality `i` (with the town
/// where it lies elsewhere), saying where a category is not mapped or has none in reach; `None`
/// for an atlas without named places or station.
fn nearby(atlas: &Atlas, i: usize, lang: crate::profile::Lang) -> Option<String> {
    let de = lang == Lang::De;
    let m = &atlas.municipalities[i];
    let mut parts: Vec<String> = places_near(atlas, i, lang)
        .into_iter()
        .filter(|g| HANDOUT_PLACES.contains(&g.category))
        .map(|g| match g.nearest.first() {
            Some(p) if p.ags == m.ags => {
                format!(
                    "{} *{}* {} km",
                    g.label,
                    plain(p.name),
                    km(p.distance_km, de)
                )
            }
            Some(p) => format!(
                "{} *{}* ({}) {} km",
                g.label,
                plain(p.name),
                p.town,
                km(p.distance_km, de)
            ),
            None => format!("{}: {}", g.label, g.gap_sentence(lang).unwrap_or_default()),
        })
        .collect();
    if let Some(st) = &m.station {
        let mut text = format!(
            "{} *{}* {} km",
            if de { "Bahnhof" } else { "station" },
            plain(&st.name),
            km(st.distance_km, de)
        );
        if let Some(c) = st.category {
            let _ = write!(text, ", {}", crate::places::station_category(c, lang));
        }
        parts.push(text);
    }
    if parts.is_empty() {
        return None;
    }
    Some(format!(
        "{} {}",
        if de {
            "Am nächsten, wo die Menschen wohnen (Luftlinie):"
        } else {
            "Nearest to where people live (straight line):"
        },
        parts.join(" · ")
    ))
}

/// A name from the data as Markdown text: its emphasis marks escaped.
fn plain(name: &str) -> String {
    name.replace('*', "\\*").replace('_', "\\_")
}

/// A distance with one decimal in the language's convention; one that would print as 0.0 (a
/// station or place right at the town's centre of population) prints as "< 0.1", which is
/// what it is.
fn km(x: f64, de: bool) -> String {
    let mut s = String::new();
    if x < 0.05 {
        s.push_str("< ");
    }
    let lang = if de { Lang::De } else { Lang::En };
    crate::text::push_num(&mut s, x.max(0.1), 1, lang);
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
    fn a_distance_that_would_print_as_zero_prints_as_below_a_tenth() {
        assert_eq!(km(0.0, true), "< 0,1");
        assert_eq!(km(0.04, false), "< 0.1");
        assert_eq!(km(0.05, false), "0.1");
        assert_eq!(km(12.34, true), "12,3");
    }

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
            let md = handout_markdown(&r, 5, &atlas);
            assert!(md.starts_with("# lotse"), "{md}");
            for x in r.ranked.iter().take(5) {
                assert!(md.contains(&format!("**{}**", x.name)), "{}", x.name);
                for e in x.explanations.iter().filter(|e| !e.dropped) {
                    assert!(md.contains(e.sentence.as_ref()), "{}", e.sentence);
                }
            }
            // Each criterion's medians stand once, not after every town's sentence.
            let mut described = 0;
            for c in r.criteria.iter().filter(|c| !c.median_text.is_empty()) {
                // (capitalised there: compared without the first letter)
                let tail: String = c.median_text.chars().skip(1).collect();
                assert_eq!(md.matches(tail.as_str()).count(), 1, "{tail}\n{md}");
                described += 1;
            }
            assert!(described >= 3, "{md}");
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

    /// Each town of the handout names its nearest Kita and schools (with the town where it lies
    /// elsewhere) and says where a category is not mapped, in the handout's language.
    #[test]
    fn the_handout_names_the_nearest_kita_and_schools() {
        let mut atlas = synthetic::atlas(80, 5);
        let src = atlas.sources[0].id.clone();
        let cats = r#"{"id":"childcare","label_de":"Kita","label_en":"childcare (Kita)","sources":["SRC"],"max_km":25.0},
            {"id":"primary_school","label_de":"Grundschule","label_en":"primary school","sources":["SRC"],"max_km":25.0},
            {"id":"library","label_de":"Bibliothek","label_en":"library","sources":["SRC"],"max_km":25.0}"#
            .replace("SRC", &src);
        let rows = vec![r#"["0:1.2",null,"1:0.5"]"#; 80].join(",");
        let json = format!(
            r#"{{"categories":[{cats}],"points":["0 0 Kita *Sonnenschein*","0 0 Stadtbibliothek"],"nearest":[{rows}]}}"#
        );
        atlas.places = serde_json::from_str(&json).unwrap();
        atlas.validate().unwrap();
        let ranker = Ranker::new(&atlas).unwrap();
        for (lang, kita, gap) in [
            (
                Lang::De,
                "Kita *Kita \\*Sonnenschein\\** (Ort 000) 1,2 km",
                "Grundschule: hier nicht erfasst – ",
            ),
            (
                Lang::En,
                "childcare (Kita) *Kita \\*Sonnenschein\\** (Ort 000) 1.2 km",
                "primary school: not mapped here – ",
            ),
        ] {
            let mut p = Profile::new(2);
            p.children = vec![3];
            p.lang = lang;
            let r = ranker.rank(&p, &RankOptions::default()).unwrap();
            let md = handout_markdown(&r, 3, &atlas);
            let town_lines = md.lines().filter(|l| l.contains(gap)).count();
            assert_eq!(town_lines, 3, "one line per town: {md}");
            let first_not_0 = r
                .ranked
                .iter()
                .take(3)
                .any(|x| x.ags != atlas.municipalities[0].ags);
            assert!(!first_not_0 || md.contains(kita), "{md}");
            // Only the Kita and schools are named, not every category.
            assert!(!md.contains("Stadtbibliothek"), "{md}");
        }
    }
}

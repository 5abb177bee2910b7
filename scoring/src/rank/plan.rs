//! The plan: a profile resolved against the atlas — which criteria take part with which
//! weight (by the switch-on rules of the criteria table), where the workplaces are, which hard
//! limits apply. Reads the precomputed atlas; computes nothing per municipality.

use super::output::{CommuteLimit, Note, RequestError, ResolvedWorkplace, SetBy, SwitchedOn};
use super::precompute::{Prepared, distance_km, situation, unit_vector};
use crate::criteria::{
    self, AgeBand, COMMUTE_LIMIT_DEFAULT_MIN, Criterion, ESSENTIAL_WEIGHT, SwitchOn,
};
use crate::profile::{
    Aggregation, Choices, Lang, Profile, ProfileError, RentBasis, TownSize, Workplace,
};
use crate::vocab::pick;

/// Where a criterion's utilities come from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Source {
    /// A precomputed column of the prepared atlas.
    Column(usize),
    /// An indicator-based criterion without a precomputed column: never happens for a
    /// criterion of the table (a test plans every situation), and if it did the criterion
    /// would be unavailable, never a panic.
    Missing,
    Affordability,
    Commute,
    TownSize,
}

/// A criterion as planned for one profile.
#[derive(Clone, Debug)]
pub(crate) struct Planned {
    pub criterion: Criterion,
    pub weight: f64,
    pub source: Source,
    pub available: bool,
    pub switched_on: SwitchedOn,
    /// The household set this weight to [`ESSENTIAL_WEIGHT`] itself: a utility below
    /// [`criteria::ESSENTIAL_FLOOR`] vetoes a town. Never the commute, whose veto is the
    /// commute limit.
    pub essential: bool,
}

/// A workplace as planned: where it is, for the distances.
#[derive(Clone, Debug)]
pub(crate) struct PlannedWorkplace {
    pub out: ResolvedWorkplace,
    pub unit: [f64; 3],
    /// Internal row when the workplace is a municipality (its commute median is precomputed).
    pub row: Option<usize>,
}

/// A profile resolved against the atlas: criteria, weights, workplaces, limits.
#[derive(Clone, Debug)]
pub struct Plan {
    pub(crate) lang: Lang,
    pub(crate) aggregation: Aggregation,
    pub(crate) car: bool,
    pub(crate) band: AgeBand,
    pub(crate) school_age: bool,
    pub(crate) hort_age: bool,
    pub(crate) criteria: Vec<Planned>,
    pub(crate) workplaces: Vec<PlannedWorkplace>,
    pub(crate) space_m2: f64,
    pub(crate) budget: Option<f64>,
    /// What the budget is compared with beyond the flat's cold rent: nothing for a cold
    /// budget, the needed space × [`criteria::OPERATING_COSTS_EUR_M2`] for a warm one (€ a
    /// month).
    pub(crate) budget_extra: f64,
    pub(crate) income: Option<f64>,
    pub(crate) max_commute_km: Option<f64>,
    /// The commute limit in force (with a workplace, while the commute counts or the profile
    /// sets one).
    pub(crate) commute_limit: Option<CommuteLimit>,
    pub(crate) within: Vec<(&'static str, Option<usize>, f64)>,
    pub(crate) rent_within_budget: bool,
    pub(crate) max_rent_share: Option<f64>,
    pub(crate) min_population: Option<f64>,
    pub(crate) max_population: Option<f64>,
    pub(crate) town_size: Option<TownSize>,
    pub(crate) notes: Vec<Note>,
}

/// Resolves a profile against the atlas: validates it, decides which criteria take part
/// with which weight, finds the workplaces, and prepares the hard limits.
pub(crate) fn plan(r: &Prepared<'_>, profile: &Profile) -> Result<Plan, ProfileError> {
    profile.validate()?;
    let lang = profile.lang;
    let car = profile.car;
    let children = !profile.children.is_empty();
    let band = profile.youngest_band().unwrap_or(AgeBand::Under3);
    let mut notes = Vec::new();
    let mut planned = Vec::new();
    let situation = situation(car, children, band);
    for c in Criterion::ALL {
        let spec = c.spec();
        let explicit = profile.weights.get(c.id()).copied();
        let by_profile = spec
            .switch_on
            .is_on(&profile.children, |input| profile.gives(input));
        if let SwitchOn::Given {
            code,
            note_de,
            note_en,
            ..
        } = spec.switch_on
            && !by_profile
        {
            // Without its input the criterion cannot be computed, whatever the weight.
            if explicit.is_some_and(|w| w > 0.0) {
                notes.push(Note {
                    code,
                    text: pick(lang, note_de, note_en).to_string(),
                });
            }
            continue;
        }
        if !by_profile && explicit.is_none() {
            continue;
        }
        let switched_on = match (explicit, spec.switch_on) {
            (Some(_), _) => SwitchedOn::Weight,
            (None, SwitchOn::Always) => SwitchedOn::Default,
            (None, _) => SwitchedOn::Profile,
        };
        let weight = explicit.unwrap_or(spec.default_weight_for(car));
        let source = match c {
            Criterion::Affordability => Source::Affordability,
            Criterion::Commute => Source::Commute,
            Criterion::TownSize => Source::TownSize,
            _ => r
                .column_of(c, situation)
                .map_or(Source::Missing, Source::Column),
        };
        let available = match source {
            Source::Column(k) => r.columns[k].available,
            Source::Affordability => r
                .known
                .rent_new
                .is_some_and(|k| r.raw[k].iter().any(|v| !v.is_nan())),
            Source::Commute => true,
            Source::Missing => false,
            Source::TownSize => r
                .known
                .population
                .is_some_and(|k| r.raw[k].iter().any(|v| !v.is_nan())),
        };
        if !available && weight > 0.0 {
            notes.push(Note {
                code: "criterion_unavailable",
                text: match lang {
                    Lang::De => format!(
                        "{}: keine Daten im Atlas, für alle Gemeinden ausgelassen.",
                        spec.label_de
                    ),
                    Lang::En => format!(
                        "{}: no data in the atlas, left out for every municipality.",
                        spec.label_en
                    ),
                },
            });
        }
        planned.push(Planned {
            criterion: c,
            weight,
            source,
            available,
            switched_on,
            essential: explicit == Some(ESSENTIAL_WEIGHT.value) && c != Criterion::Commute,
        });
    }
    if !planned.iter().any(|p| p.available && p.weight > 0.0) {
        return Err(ProfileError::new(
            "weights",
            "no criterion with data has a weight above 0",
            "at least one weight above 0",
        ));
    }
    let mut workplaces = Vec::with_capacity(profile.workplace.len());
    for (i, w) in profile.workplace.iter().enumerate() {
        let field = if profile.workplace.len() == 1 {
            "workplace".to_string()
        } else {
            format!("workplace[{i}]")
        };
        let query = match w {
            Workplace::Point(p) => {
                let mut label = String::with_capacity(24);
                crate::text::push_num(&mut label, p.lat, 4, Lang::En);
                label.push_str("° N, ");
                crate::text::push_num(&mut label, p.lon, 4, Lang::En);
                label.push_str("° E");
                workplaces.push(PlannedWorkplace {
                    out: ResolvedWorkplace {
                        label,
                        ags: None,
                        lat: p.lat,
                        lon: p.lon,
                    },
                    unit: unit_vector(p.lat, p.lon),
                    row: None,
                });
                continue;
            }
            Workplace::Code(c) => format!("{c:08}"),
            Workplace::Place(s) => s.clone(),
        };
        let row = r.find_one(&query).map_err(|e| match e {
            RequestError::Ambiguous {
                candidates,
                choices,
                ..
            } => ProfileError::new(
                field.clone(),
                format!("`{query}` matches several municipalities"),
                candidates.join(", "),
            )
            .with_choices(Choices::OneOf(choices)),
            RequestError::NotFound { suggestions, .. } if !suggestions.is_empty() => {
                ProfileError::new(
                    field.clone(),
                    format!(
                        "`{query}` matches no municipality of {}; did you mean {}?",
                        r.atlas.region,
                        suggestions.join(" or ")
                    ),
                    suggestions.join(", "),
                )
                .with_choices(Choices::DidYouMean(suggestions))
            }
            _ => ProfileError::new(
                field.clone(),
                format!("`{query}` matches no municipality of {}", r.atlas.region),
                "an AGS, a municipality name or {\"lat\": …, \"lon\": …}",
            ),
        })?;

        let m = &r.atlas.municipalities[r.rows[row]];
        workplaces.push(PlannedWorkplace {
            out: ResolvedWorkplace {
                label: m.name.clone(),
                ags: Some(m.ags.clone()),
                lat: m.centre_lat,
                lon: m.centre_lon,
            },
            unit: r.centres[row],
            row: Some(row),
        });
    }
    for w in &workplaces {
        if !r.centres.iter().any(|c| distance_km(c, &w.unit) <= 100.0) {
            notes.push(Note {
                code: "workplace_far",
                text: match lang {
                    Lang::De => format!(
                        "Der Arbeitsort {} liegt über 100 km von jeder Gemeinde entfernt.",
                        w.out.label
                    ),
                    Lang::En => format!(
                        "The workplace {} is more than 100 km from every municipality.",
                        w.out.label
                    ),
                },
            });
        }
    }
    let within = profile
        .must
        .within_km
        .iter()
        .map(|(k, &km)| {
            let cat = criteria::FACILITIES
                .iter()
                .find(|f| f.0 == k)
                .map(|f| f.0)
                .unwrap_or("");
            (cat, r.indicator(&format!("{cat}_distance_km")), km)
        })
        .collect();
    let commute_counts = planned
        .iter()
        .any(|p| p.criterion == Criterion::Commute && p.weight > 0.0);
    let commute_limit = match profile.max_commute_min {
        _ if workplaces.is_empty() => None,
        Some(minutes) => Some(CommuteLimit {
            minutes,
            set_by: SetBy::Household,
        }),
        None => commute_counts.then_some(CommuteLimit {
            minutes: COMMUTE_LIMIT_DEFAULT_MIN.value,
            set_by: SetBy::Default,
        }),
    };
    Ok(Plan {
        lang,
        aggregation: profile.aggregation,
        car,
        band,
        school_age: profile.children.iter().any(|&a| a >= 6),
        hort_age: profile.children.iter().any(|&a| (6..=10).contains(&a)),
        criteria: planned,
        workplaces,
        space_m2: profile.living_space(),
        budget: profile.rent_budget_eur,
        budget_extra: match profile.rent_budget_basis {
            RentBasis::Cold => 0.0,
            RentBasis::Warm => profile.living_space() * criteria::OPERATING_COSTS_EUR_M2.value,
        },
        income: profile.income_eur,
        max_commute_km: profile.max_commute_km,
        commute_limit,
        within,
        rent_within_budget: profile.must.rent_within_budget,
        max_rent_share: profile.must.max_rent_share_pct,
        min_population: profile.must.min_population,
        max_population: profile.must.max_population,
        town_size: profile.town_size,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::criteria::Input;
    use crate::synthetic;

    fn planned(r: &Prepared<'_>, p: &Profile) -> Vec<(Criterion, SwitchedOn, Source)> {
        plan(r, p)
            .unwrap()
            .criteria
            .iter()
            .map(|x| (x.criterion, x.switched_on, x.source))
            .collect()
    }

    #[test]
    fn every_criterion_has_a_source_in_every_household_situation() {
        let atlas = synthetic::atlas(40, 5);
        let r = Prepared::new(&atlas).unwrap();
        for car in [false, true] {
            for children in [vec![], vec![1], vec![4], vec![8, 12]] {
                let mut p = Profile::new(2);
                p.car = car;
                p.children = children;
                p.rent_budget_eur = Some(1000.0);
                p.workplace = vec![Workplace::Place(atlas.municipalities[0].ags.clone())];
                p.town_size = Some(TownSize::Town);
                for c in Criterion::ALL {
                    p.weights.insert(c.id().to_string(), 1.0);
                }
                let got = planned(&r, &p);
                assert_eq!(got.len(), Criterion::COUNT, "every criterion is planned");
                for (c, _, source) in got {
                    assert_ne!(source, Source::Missing, "{c:?} has no column");
                }
            }
        }
    }

    #[test]
    fn switch_on_follows_the_rules_of_the_criteria_table() {
        let atlas = synthetic::atlas(40, 5);
        let r = Prepared::new(&atlas).unwrap();
        for ages in [vec![], vec![0], vec![6], vec![10], vec![17], vec![3, 14]] {
            let mut p = Profile::new(2);
            p.children = ages.clone();
            let got = planned(&r, &p);
            for c in Criterion::ALL {
                let on = c.spec().switch_on.is_on(&ages, |_| false);
                let entry = got.iter().find(|x| x.0 == c);
                assert_eq!(entry.is_some(), on, "{c:?} with children {ages:?}");
                if let Some(&(_, how, _)) = entry {
                    let expected = match c.spec().switch_on {
                        SwitchOn::Always => SwitchedOn::Default,
                        _ => SwitchedOn::Profile,
                    };
                    assert_eq!(how, expected, "{c:?}");
                }
            }
        }
    }

    #[test]
    fn an_explicit_weight_switches_an_age_rule_on_but_not_a_missing_input() {
        let atlas = synthetic::atlas(40, 5);
        let r = Prepared::new(&atlas).unwrap();
        let mut p = Profile::new(2);
        p.weights.insert("gymnasium".into(), 3.0);
        p.weights.insert("commute".into(), 3.0);
        let plan = plan(&r, &p).unwrap();
        let gym = plan
            .criteria
            .iter()
            .find(|x| x.criterion == Criterion::Gymnasium)
            .unwrap();
        assert_eq!(gym.switched_on, SwitchedOn::Weight);
        assert_eq!(gym.weight, 3.0);
        assert!(
            !plan
                .criteria
                .iter()
                .any(|x| x.criterion == Criterion::Commute)
        );
        assert!(
            plan.notes
                .iter()
                .any(|n| n.code == "commute_needs_workplace")
        );
        // Every input a rule names is one the profile can give.
        for c in Criterion::ALL {
            if let SwitchOn::Given { any_of, .. } = c.spec().switch_on {
                assert!(!any_of.is_empty());
                for &i in any_of {
                    assert!(!Profile::new(1).gives(i), "{i:?} given by a bare profile");
                }
            }
        }
        let mut q = Profile::new(1);
        q.income_eur = Some(3000.0);
        assert!(q.gives(Input::Income) && !q.gives(Input::RentBudget));
    }
}

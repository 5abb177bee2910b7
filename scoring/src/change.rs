//! What-if: one change to a household profile ("children two years older", "no car"), for
//! [`crate::rank::Ranker::what_if`]. The changed profile is validated like any other.

use crate::profile::{Aggregation, Profile, ProfileError, Workplace, one_or_many};
use crate::vocab::TownSize;
use serde::{Deserialize, Serialize};

/// One change to a profile, for [`crate::rank::Ranker::what_if`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// Every child this many years older; a child reaching 18 leaves the children's criteria.
    ChildrenOlder(u32),
    /// Rent budget changed by this many percent (e.g. 10 or -10).
    RentBudgetPct(f64),
    /// Income changed by this many percent.
    IncomePct(f64),
    /// One criterion's weight set to a value.
    Weight { criterion: String, weight: f64 },
    /// Car or no car.
    Car(bool),
    /// A new maximum commute (or none).
    MaxCommuteKm(Option<f64>),
    /// A new workplace (one or several).
    Workplace(#[serde(deserialize_with = "one_or_many")] Vec<Workplace>),
    /// A new preferred town size (or none).
    TownSize(Option<TownSize>),
    /// Another aggregation.
    Aggregation(Aggregation),
    /// Another living space.
    LivingSpaceM2(f64),
}

impl Change {
    /// The changed profile, validated.
    pub fn apply(&self, p: &Profile) -> Result<Profile, ProfileError> {
        let mut q = p.clone();
        match self {
            Change::ChildrenOlder(y) => {
                q.children = p
                    .children
                    .iter()
                    .map(|a| a + y)
                    .filter(|&a| a <= 17)
                    .collect();
            }
            Change::RentBudgetPct(pct) => {
                let b = p.rent_budget_eur.ok_or_else(|| {
                    ProfileError::new(
                        "rent_budget_eur",
                        "no budget to change",
                        "set a budget first",
                    )
                })?;
                q.rent_budget_eur = Some(b * (1.0 + pct / 100.0));
            }
            Change::IncomePct(pct) => {
                let b = p.income_eur.ok_or_else(|| {
                    ProfileError::new("income_eur", "no income to change", "set an income first")
                })?;
                q.income_eur = Some(b * (1.0 + pct / 100.0));
            }
            Change::Weight { criterion, weight } => {
                q.weights.insert(criterion.clone(), *weight);
            }
            Change::Car(c) => q.car = *c,
            Change::MaxCommuteKm(k) => q.max_commute_km = *k,
            Change::Workplace(w) => q.workplace = w.clone(),
            Change::TownSize(t) => q.town_size = *t,
            Change::Aggregation(a) => q.aggregation = *a,
            Change::LivingSpaceM2(s) => q.living_space_m2 = Some(*s),
        }
        q.validate()?;
        Ok(q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_apply() {
        let mut p = Profile::new(2);
        p.children = vec![5, 17];
        p.rent_budget_eur = Some(1000.0);
        let q = Change::ChildrenOlder(1).apply(&p).unwrap();
        assert_eq!(q.children, vec![6]);
        let q = Change::RentBudgetPct(10.0).apply(&p).unwrap();
        assert!((q.rent_budget_eur.unwrap() - 1100.0).abs() < 1e-9);
        assert!(Change::IncomePct(10.0).apply(&p).is_err());
        let c: Change = serde_json::from_str(r#"{"rent_budget_pct": 10}"#).unwrap();
        assert_eq!(c, Change::RentBudgetPct(10.0));
        let c: Change =
            serde_json::from_str(r#"{"weight": {"criterion": "leisure", "weight": 5}}"#).unwrap();
        assert!(matches!(c, Change::Weight { .. }));
    }

    #[test]
    fn a_workplace_list_is_read_as_several_workplaces() {
        let c: Change = serde_json::from_str(r#"{"workplace": [14612000, 14628110]}"#).unwrap();
        assert_eq!(
            c,
            Change::Workplace(vec![Workplace::Code(14612000), Workplace::Code(14628110)])
        );
    }
}

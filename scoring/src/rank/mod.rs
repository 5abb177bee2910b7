//! Ranking: one profile over every municipality of an atlas, with reasons.
//!
//! Rules (see `shared/DOMAIN.md`):
//! - a hard limit excludes a municipality and says which limit and by how much; a limit that
//!   cannot be checked (no figure) excludes nothing but is flagged;
//! - a missing value is never 0 or 100: the criterion drops out for that municipality, its
//!   weight is shared among the others, the row shows which criteria dropped and what share of
//!   the weights its score rests on; below [`crate::criteria::MIN_WEIGHT_COVERAGE`] it gets no
//!   rank;
//! - ties are broken by AGS, so the output is deterministic;
//! - a criterion whose indicators are absent from the whole atlas is left out for everyone and
//!   named in the notes, and does not count against the coverage of any municipality.
//!
//! The modules, each importing only those above it in this list:
//! - [`output`], [`explanation`]: the answers (plain data); `json`: how a ranking is written
//!   as JSON (lean: rows without details as columns, exclusions grouped by limit);
//! - `score`: THE score function and THE order (ties by AGS), used by everything below;
//! - `precompute`: per atlas, once — dense indicator columns, medians, the utilities of every
//!   indicator-based criterion in every household situation; read-only afterwards;
//! - `plan`: a profile resolved against the atlas (criteria by the switch-on rules of the
//!   criteria table, weights, workplaces, limits);
//! - `dynamic`: the profile-dependent utilities (affordability, commute, town size);
//! - `limits`: the hard limits; `sums`: limits, utilities and the weighted sums of one plan;
//! - [`explain`]: explanations, reading the prepared atlas, plan and utilities;
//! - `pareto`, `smaa`: the Pareto check and the robustness (SMAA) of the top rows;
//! - `ranking`: full ranking and top-k; `compare`: comparison and what-if;
//! - `ranker`: [`Ranker`], the public entry that holds the prepared atlas.

mod compare;
mod decimals;
mod dynamic;
pub mod explain;
pub mod explanation;
mod json;
mod limits;
pub mod output;
mod pareto;
mod plan;
mod precompute;
mod ranker;
mod ranking;
mod score;
mod smaa;
mod sums;

pub use compare::{Compared, Comparison, Place, RankMove, Status, WhatIf};
pub use json::{ExclusionGroup, HelpBrief, RankingJson, RestColumns};
pub use output::{
    ActiveCriterion, CommuteLimit, ContextInfo, ContextValue, CriterionSet, Dominator, Exclusion,
    Limit, Note, RankOptions, Ranked, RankerError, Ranking, RequestError, ResolvedWorkplace,
    Robustness, SetBy, SwitchedOn, TopScore, Unranked,
};
pub use plan::Plan;
pub use precompute::ids;
pub use ranker::Ranker;
pub use score::aggregate;
pub use smaa::without_pruning;

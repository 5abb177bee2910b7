//! [`Ranker`]: the one public entry of ranking. It holds the prepared atlas and the sentences
//! written once per atlas, and hands every call to the stage that does it (plan, ranking,
//! top-k, comparison, what-if).

use super::compare::{Comparison, WhatIf, compare, explain_one, what_if};
use super::explain::Sentences;
use super::output::{RankOptions, RankerError, Ranking, RequestError, TopScore};
use super::plan::{Plan, plan};
use super::precompute::Prepared;
use super::ranking::{rank_plan, rank_top};
use crate::atlas::Atlas;
use crate::change::Change;
use crate::profile::{Profile, ProfileError};

/// The atlas prepared for ranking many profiles fast.
#[derive(Clone, Debug)]
pub struct Ranker<'a> {
    prepared: Prepared<'a>,
    sentences: Sentences<'a>,
}

impl<'a> Ranker<'a> {
    /// Prepares an atlas for ranking. Checks the shape it relies on (one value per municipality
    /// in every column, unique AGS); the row order of the atlas does not matter.
    pub fn new(atlas: &'a Atlas) -> Result<Self, RankerError> {
        let prepared = Prepared::new(atlas)?;
        let sentences = Sentences::build(&prepared);
        Ok(Ranker {
            prepared,
            sentences,
        })
    }

    /// The atlas this ranker reads.
    pub fn atlas(&self) -> &'a Atlas {
        self.prepared.atlas
    }

    /// Number of municipalities.
    pub fn len(&self) -> usize {
        self.prepared.n
    }

    /// Always false: an empty atlas is refused by [`Ranker::new`].
    pub fn is_empty(&self) -> bool {
        self.prepared.n == 0
    }

    /// Resolves a profile against the atlas: validates it, decides which criteria take part
    /// with which weight, finds the workplaces, and prepares the hard limits.
    pub fn plan(&self, profile: &Profile) -> Result<Plan, ProfileError> {
        plan(&self.prepared, profile)
    }

    /// Ranks every municipality for one profile.
    pub fn rank(&self, profile: &Profile, opts: &RankOptions) -> Result<Ranking<'_>, ProfileError> {
        let plan = self.plan(profile)?;
        Ok(self.rank_plan(&plan, opts))
    }

    /// Ranks for an already resolved plan (reuse it to rank the same profile again).
    pub fn rank_plan(&self, plan: &Plan, opts: &RankOptions) -> Ranking<'_> {
        rank_plan(&self.prepared, &self.sentences, plan, opts)
    }

    /// Only the best `k` municipalities with their scores, in rank order: the same ranks and
    /// scores as the first `k` rows of [`rank_plan`](Self::rank_plan), without building a row
    /// (explanation slots, flags) for every municipality and without sorting them all. For
    /// batch runs over many profiles, where only the top k is kept.
    pub fn rank_top(&self, plan: &Plan, k: usize) -> Vec<TopScore<'a>> {
        rank_top(&self.prepared, plan, k)
    }

    /// Compares 2–6 municipalities (AGS or names) side by side: every active criterion with
    /// raw value and utility, their ranks, and any limit they miss.
    pub fn compare(
        &self,
        profile: &Profile,
        municipalities: &[&str],
    ) -> Result<Comparison<'_>, RequestError> {
        compare(&self.prepared, &self.sentences, profile, municipalities)
    }

    /// One municipality (AGS or name) explained for the household: its rank or why it has
    /// none, and every active criterion with raw value and utility (the `municipalities` of the
    /// answer hold just this one).
    pub fn explain(
        &self,
        profile: &Profile,
        municipality: &str,
    ) -> Result<Comparison<'_>, RequestError> {
        explain_one(&self.prepared, &self.sentences, profile, municipality)
    }

    /// Re-ranks with one change to the profile and reports how the ranks move.
    pub fn what_if(
        &self,
        profile: &Profile,
        change: &Change,
        opts: &RankOptions,
    ) -> Result<WhatIf<'_>, ProfileError> {
        what_if(&self.prepared, &self.sentences, profile, change, opts)
    }
}

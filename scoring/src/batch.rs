//! Batch results, independent of any file format: the long rows of one profile (its top k), the
//! columns of a result, and the metadata that makes a result reproducible.
//!
//! `lotse batch` (Parquet, CSV), `POST /api/v1/batch` (JSON Lines) and the Python package
//! (Arrow) all take their rows and columns from here, so a row is the same whichever way it is
//! asked for.

use crate::criteria::{self, Criterion};
use crate::profile::{Profile, ProfileError};
use crate::rank::{RankOptions, Ranker, Robustness};
use serde::Serialize;

/// Most rows kept per profile (`--top-k`): more than there are municipalities (418), so every
/// ranking fits, and small enough that a chunk's results stay bounded.
pub const MAX_TOP_K: usize = 1000;

/// One of a profile's top rows: what a result file holds per row, borrowed from the atlas.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TopRow<'r> {
    pub rank: u32,
    pub ags: &'r str,
    pub name: &'r str,
    pub score: f64,
    /// Utility 0–100 per criterion in [`Criterion::ALL`] order (none where the criterion is
    /// off for this profile or has no data here); empty unless criteria were asked for.
    #[serde(skip)]
    pub utilities: Vec<Option<f64>>,
    /// The robustness figures (with `--robustness`).
    #[serde(skip)]
    pub robustness: Option<RowRobustness>,
}

/// One row's robustness: the share of draws in the top k, its rank interval (5th–95th
/// percentile) and its group (rows whose intervals overlap).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RowRobustness {
    pub top_k_share: f64,
    pub rank_interval: [u32; 2],
    pub group: u32,
}

/// Which optional columns a result has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Layout {
    /// One utility column per criterion (`--with-criteria`).
    pub with_criteria: bool,
    /// `top_k_share`, `rank_p5`, `rank_p95` and `group` (`--robustness`).
    pub robustness: bool,
}

/// The columns every result has, in order.
pub const BASE_COLUMNS: [&str; 5] = ["profile_id", "rank", "ags", "name", "score"];

/// The robustness columns, after `score`: the share of draws in the top k, the 5th and 95th
/// percentile rank, and the group of rows whose rank intervals overlap.
pub const ROBUSTNESS_COLUMNS: [&str; 4] = ["top_k_share", "rank_p5", "rank_p95", "group"];

/// The result columns for a layout: [`BASE_COLUMNS`], then [`ROBUSTNESS_COLUMNS`], then one
/// utility column per criterion id.
pub fn result_columns(layout: Layout) -> Vec<String> {
    let mut c: Vec<String> = BASE_COLUMNS.iter().map(|s| s.to_string()).collect();
    if layout.robustness {
        c.extend(ROBUSTNESS_COLUMNS.iter().map(|s| s.to_string()));
    }
    if layout.with_criteria {
        c.extend(Criterion::ALL.iter().map(|c| c.id().to_string()));
    }
    c
}

/// Ranks one profile and keeps its top `k` rows. The same plan as `lotse rank` and
/// `POST /api/v1/rank` make, then [`Ranker::rank_top`] (or the full ranking when criteria
/// utilities are wanted), so a batch row equals their row exactly.
pub fn top_rows<'r>(
    ranker: &'r Ranker<'_>,
    profile: &Profile,
    k: usize,
    with_criteria: bool,
) -> Result<Vec<TopRow<'r>>, ProfileError> {
    let layout = Layout {
        with_criteria,
        robustness: false,
    };
    top_rows_with(ranker, profile, k, layout)
}

/// [`top_rows`] with the optional columns of `layout`. With robustness, the full ranking runs
/// the SMAA draws ([`Robustness`], its defaults, k = `k`) for the top k rows.
pub fn top_rows_with<'r>(
    ranker: &'r Ranker<'_>,
    profile: &Profile,
    k: usize,
    layout: Layout,
) -> Result<Vec<TopRow<'r>>, ProfileError> {
    let plan = ranker.plan(profile)?;
    if !layout.with_criteria && !layout.robustness {
        // Only the top k: no row for every municipality, no full sort (same ranks and scores,
        // tested in scoring's golden tests).
        return Ok(ranker
            .rank_top(&plan, k)
            .into_iter()
            .map(|t| TopRow {
                rank: t.rank,
                ags: t.ags,
                name: t.name,
                score: t.score,
                utilities: Vec::new(),
                robustness: None,
            })
            .collect());
    }
    // Utilities per criterion come with the explanations of the top k.
    let opts = RankOptions {
        explain_top: if layout.with_criteria { k } else { 0 },
        robustness: layout.robustness.then(|| robustness(k)),
        ..RankOptions::bare()
    };
    let ranking = ranker.rank_plan(&plan, &opts);
    // By reference, not `into_iter`: collecting from the ranking's own vector would reuse its
    // allocation (all rows) for the k kept ones, and a chunk of results would hold every row.
    Ok(ranking
        .ranked
        .iter()
        .take(k)
        .map(|r| {
            let mut utilities = Vec::new();
            if layout.with_criteria {
                utilities = vec![None; Criterion::ALL.len()];
                for e in &r.explanations {
                    utilities[e.criterion.index()] = e.utility;
                }
            }
            let robustness = match (r.top_k_share, r.rank_interval, r.group) {
                (Some(top_k_share), Some(rank_interval), Some(group)) => Some(RowRobustness {
                    top_k_share,
                    rank_interval,
                    group,
                }),
                _ => None,
            };
            TopRow {
                rank: r.rank,
                ags: r.ags,
                name: r.name,
                score: r.score,
                utilities,
                robustness,
            }
        })
        .collect())
}

/// The robustness draws of a batch run keeping `k` rows: the ranking's defaults, with the
/// share counted for the top `k`.
pub fn robustness(k: usize) -> Robustness {
    Robustness {
        k,
        ..Robustness::default()
    }
}

/// What a result says about how it was made: enough to reproduce it. Written as Parquet
/// key-value metadata (`lotse.<field>`), as `<out>.meta.json` beside a CSV, and as the Arrow
/// schema metadata of the Python package's results.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    /// `lotse` version that wrote the result.
    pub lotse_version: &'static str,
    /// Hash of the raw inputs the atlas was built from (as in `GET /healthz`).
    pub atlas_input_hash: String,
    /// Where the atlas came from (bundled, a file, a data directory).
    pub atlas_origin: String,
    /// Rows kept per profile.
    pub top_k: usize,
    /// Whether utility columns per criterion are present.
    pub with_criteria: bool,
    /// The robustness draws behind the `top_k_share`, `rank_p5`, `rank_p95` and `group`
    /// columns (`--robustness`), or none when they are off.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub robustness: Option<Robustness>,
    /// The command line (or call) that produced the result.
    pub command: String,
    /// The columns of the result, in order.
    pub columns: Vec<String>,
    /// The criteria table: curves, breakpoints, default weights, parameters.
    pub criteria: criteria::Table,
}

impl Meta {
    /// The metadata of a run keeping `top_k` rows per profile with the columns of `layout`.
    pub fn new(
        atlas_input_hash: String,
        atlas_origin: String,
        top_k: usize,
        layout: Layout,
        command: String,
    ) -> Self {
        Meta {
            lotse_version: crate::VERSION,
            atlas_input_hash,
            atlas_origin,
            top_k,
            with_criteria: layout.with_criteria,
            robustness: layout.robustness.then(|| robustness(top_k)),
            command,
            columns: result_columns(layout),
            criteria: criteria::table(),
        }
    }

    /// Key-value pairs: `lotse.<field>`, strings as they are, everything else as JSON.
    pub fn key_values(&self) -> Result<Vec<(String, String)>, serde_json::Error> {
        let v = serde_json::to_value(self)?;
        let mut out = Vec::new();
        if let serde_json::Value::Object(m) = v {
            for (k, v) in m {
                let text = match v {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                out.push((format!("lotse.{k}"), text));
            }
        }
        Ok(out)
    }
}

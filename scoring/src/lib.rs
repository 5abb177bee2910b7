//! lotse's scoring core: one household profile ranks every municipality of an atlas, and every
//! rank is explained.
//!
//! Pure and deterministic: no I/O, no network, no clock; the same atlas, profile and options
//! give the same bytes of output. Fast: [`rank::Ranker::new`] precomputes everything that does
//! not depend on the household, so ranking one profile over Saxony's 418 municipalities takes
//! microseconds.
//!
//! - [`atlas`]: the table lotse ranks over (built by the `datasets` crate).
//! - [`batch`]: batch results without a file format: a profile's top rows, columns, metadata.
//! - [`profile`]: the household (JSON/TOML, validated).
//! - [`fields`]: the profile's fields as one flat table (error messages, batch columns).
//! - [`flat`]: a profile from a flat record (the columns of batch files and Arrow tables).
//! - [`criteria`]: the one table of criteria, curves, breakpoints, reasons and default weights.
//! - [`rank`]: [`rank::Ranker`] with `rank`, `compare`, `what_if`.
//! - [`travel`]: estimated minutes from distances, by car or without one.
//! - [`gaps`]: why a figure is missing, in German or English.
//! - [`handout`]: the ranking as a Markdown handout to print or send.
//! - [`missing_table`]: why an indicator has no value, per AGS (each reason stored once).
//! - [`places`]: a municipality's named Kitas, schools, pools … nearest where people live.
//! - [`explain`]: per-criterion explanations with sentences in German or English.
//!
//! ```
//! use scoring::{profile::Profile, rank::{Ranker, RankOptions}, synthetic};
//! let atlas = synthetic::atlas(120, 7);
//! let ranker = Ranker::new(&atlas).unwrap();
//! let profile = Profile::from_json(r#"{"adults": 2, "children": [4], "rent_budget_eur": 900,
//!     "workplace": "Ort 000", "lang": "en"}"#).unwrap();
//! let ranking = ranker.rank(&profile, &RankOptions::default()).unwrap();
//! let best = &ranking.ranked[0];
//! assert!(best.score <= 100.0 && !best.explanations.is_empty());
//! println!("{} {:.1}: {}", best.name, best.score, best.explanations[0].sentence);
//! ```

pub mod atlas;
pub mod batch;
pub mod change;
pub mod criteria;
pub mod curve;
pub mod fields;
pub mod flat;
pub mod gaps;
pub mod handout;
pub mod missing_table;
pub mod near_table;
pub mod places;
pub mod profile;
pub mod rank;
pub mod render;
mod rng;
pub mod synthetic;
pub mod text;
pub mod travel;
pub mod vocab;

/// Explanations, at their old path (they live below the ranking, in [`rank::explain`]).
pub use rank::explain;
#[doc(hidden)]
pub use rank::without_pruning;

/// The lotse version: every crate of the workspace carries the workspace's version, so this is
/// the version of the `lotse` binary built from the same tree (recorded in batch metadata by the
/// Python package, which is built outside the workspace).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub use criteria::Criterion;
pub use profile::{Lang, Profile, ProfileError};
pub use rank::{RankOptions, Ranker, Ranking};

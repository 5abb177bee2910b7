//! lotse's data layer: reads the raw open data from a data directory, validates it, joins it by
//! AGS, builds the geospatial indexes and computes the atlas that `scoring` ranks over.
//!
//! Four stages, each depending only on those before it: [`readers`] (the only code that opens
//! files) → [`place`] (onto today's municipalities) → [`indicators`] (pure computation) →
//! [`assemble`] (the atlas, validated); [`ingest`] runs them in order. See ARCHITECTURE.md at
//! the repository root for the data flow.

pub mod assemble;
pub mod atlas_file;
pub mod columns;
pub mod error;
pub mod facility;
pub mod indicators;
pub mod ingest;
pub mod manifest;
pub mod mergers;
pub mod place;
pub mod plausible;
pub mod published;
pub mod readers;
pub mod report;
pub mod spatial;
pub mod table;
pub mod text;

pub use error::{DatasetError, Result};

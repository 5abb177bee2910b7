//! lotse's data layer: reads the raw open data from a data directory, validates it, joins it by
//! AGS, builds the geospatial indexes and computes the atlas that `scoring` ranks over.
//! See ARCHITECTURE.md at the repository root for the data flow.

pub mod error;
pub mod facility;
pub mod readers;
pub mod report;
pub mod table;
pub mod text;

pub use error::{DatasetError, Result};

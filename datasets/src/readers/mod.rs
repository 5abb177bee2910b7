//! One reader per raw file format. Each returns typed records plus a [`SourceReport`] that
//! accounts for every row it read: kept, or rejected under a reason.
//!
//! [`SourceReport`]: crate::report::SourceReport

pub mod boundaries;
pub mod deutschlandatlas;
pub mod facilities;
pub mod help;
pub mod housing;
pub mod municipalities;
pub mod osm;
pub mod population;

//! One reader per raw file format. Each returns typed records plus a [`SourceReport`] that
//! accounts for every row it read.
//!
//! [`SourceReport`]: crate::report::SourceReport

pub mod facilities;
pub mod help;
pub mod osm;

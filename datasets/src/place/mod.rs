//! The second stage of the data layer: spatial assignment. What the readers read is keyed by
//! each file's own date and coordinates; this stage maps it onto today's municipalities — the
//! base files by key ([`base`]), grid cells and facility points by point-in-polygon ([`base`],
//! [`points`]). It opens no file.

pub mod base;
pub mod points;

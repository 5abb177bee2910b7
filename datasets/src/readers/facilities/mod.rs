//! Facility readers.

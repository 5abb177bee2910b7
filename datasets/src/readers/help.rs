//! Help contacts for newcomers.

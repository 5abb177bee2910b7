//! Municipality mergers between the reference dates of the sources.
//!
//! The current register (2026) has 418 municipalities; the 2019 and 2022 sources have 419,
//! because Ostrau (14522450) and Zschaitz-Ottewig (14522620) merged into Jahnatal (14522275)
//! after the Zensus reference date (see `municipalities/SOURCES.md`). Every reader of an older
//! source maps a retired AGS to its successor with [`successor`]; counts are summed and
//! averages recomputed with their weights (population, dwellings) by the caller, and the report
//! says so.

/// (retired AGS, successor AGS).
pub const MERGERS: &[(&str, &str)] = &[("14522450", "14522275"), ("14522620", "14522275")];

/// The current AGS of a municipality: its successor if it was merged, else itself.
pub fn successor(ags: &str) -> &str {
    MERGERS
        .iter()
        .find(|(old, _)| *old == ags)
        .map(|(_, new)| *new)
        .unwrap_or(ags)
}

/// The retired AGS merged into `ags` (empty for a municipality that was not formed by a merger).
pub fn predecessors(ags: &str) -> Vec<String> {
    MERGERS
        .iter()
        .filter(|(_, new)| *new == ags)
        .map(|(old, _)| old.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jahnatal() {
        assert_eq!(successor("14522450"), "14522275");
        assert_eq!(successor("14612000"), "14612000");
        assert_eq!(predecessors("14522275"), vec!["14522450", "14522620"]);
        assert!(predecessors("14612000").is_empty());
    }
}

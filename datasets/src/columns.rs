//! Assembling atlas columns: every value slot filled or explained.

use scoring::atlas::{Indicator, IndicatorMeta, MissingTable, Resolution};

/// A value or the reason there is none.
pub type Cell = Result<f64, String>;

/// Builds an [`IndicatorMeta`] with the fields most indicators share.
// Each argument is one named field of `IndicatorMeta`; the call sites read as a table row.
#[allow(clippy::too_many_arguments)]
pub fn meta(
    id: &str,
    label_de: &str,
    label_en: &str,
    unit: &str,
    resolution: Resolution,
    sources: &[&str],
    reference_date: &str,
    method: &str,
) -> IndicatorMeta {
    IndicatorMeta {
        id: id.to_string(),
        label_de: label_de.to_string(),
        label_en: label_en.to_string(),
        unit: unit.to_string(),
        resolution,
        sources: sources.iter().map(|s| s.to_string()).collect(),
        reference_date: reference_date.to_string(),
        method: method.to_string(),
        estimate: false,
        derived_from_osm: false,
    }
}

/// Rounds to 4 decimals: far below the precision of any source, and it keeps the atlas compact
/// and byte-for-byte reproducible.
pub fn round4(x: f64) -> f64 {
    let r = (x * 1e4).round() / 1e4;
    if r == 0.0 { 0.0 } else { r }
}

/// Turns one cell per municipality into a column.
pub fn column(meta: IndicatorMeta, ags: &[String], cells: Vec<Cell>) -> Indicator {
    debug_assert_eq!(ags.len(), cells.len());
    let mut values = Vec::with_capacity(cells.len());
    let mut missing = MissingTable::new();
    for (a, c) in ags.iter().zip(cells) {
        match c {
            Ok(v) if v.is_finite() => values.push(Some(round4(v))),
            Ok(_) => {
                values.push(None);
                missing.insert(a.clone(), "not computable (non-finite result)".to_string());
            }
            Err(reason) => {
                values.push(None);
                missing.insert(a.clone(), reason);
            }
        }
    }
    Indicator {
        meta,
        values,
        missing,
    }
}

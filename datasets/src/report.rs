//! The data-quality report of one ingest: what each source gave, what was rejected and why, and
//! how many municipalities each indicator covers. Nothing is dropped silently: every rejected
//! row is counted under a reason here.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// Why a raw row did not make it into the atlas.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reject {
    /// Coordinate missing, not a number, out of range, or (0, 0).
    BadCoordinate,
    /// A valid coordinate outside every municipality polygon of the region.
    OutsideRegion,
    /// Inside the region, but in a municipality the source does not cover (a city file's point
    /// geocoded into a neighbouring town).
    OutsideCoverage,
    /// A municipality key the register does not know.
    UnknownAgs,
    /// A row of another level (Land, district, association) in a municipality table.
    OtherLevel,
    /// The same facility again (same name within the dedup radius, or the same id).
    Duplicate,
    /// A field that should be a number is not.
    UnparsableNumber,
    /// The row is of a kind lotse does not use (e.g. a restaurant in a culture file, a
    /// childminder in a Kita file).
    OutOfScope,
    /// The source marks the value as missing (e.g. `-9999`).
    SourceMissing,
    /// A value outside its plausible range ([`crate::plausible::RAW_RANGES`]): a broken input,
    /// not data. The row's line and value are in [`SourceReport::rejected_rows`].
    Implausible,
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reject::BadCoordinate => "bad coordinate",
            Reject::OutsideRegion => "outside the region's municipalities",
            Reject::OutsideCoverage => "outside the source's coverage",
            Reject::UnknownAgs => "unknown municipality key",
            Reject::OtherLevel => "row of another level",
            Reject::Duplicate => "duplicate",
            Reject::UnparsableNumber => "unparsable number",
            Reject::OutOfScope => "out of scope",
            Reject::SourceMissing => "missing in source",
            Reject::Implausible => "value outside its plausible range",
        })
    }
}

/// What one source gave.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SourceReport {
    pub source: String,
    pub file: String,
    pub encoding: String,
    pub rows_read: usize,
    pub rows_kept: usize,
    pub rejected: BTreeMap<Reject, usize>,
    /// Facility points placed in a municipality (a record may give several points, one per
    /// category).
    pub points_placed: usize,
    /// Facility points read but not placed, by reason (outside the region or the coverage).
    pub points_rejected: BTreeMap<Reject, usize>,
    /// Joins, mergers and other decisions worth a sentence.
    pub notes: Vec<String>,
    /// Rows rejected for a reason a person must see (an implausible value): line and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rejected_rows: Vec<RejectedRow>,
    /// How many municipalities of the register the source's rows landed in, where measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub municipalities_reached: Option<usize>,
    /// How many it must reach (`min_municipalities` in the manifest); fewer fails the build.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub municipalities_declared: Option<usize>,
}

/// One rejected row worth naming: its line in the file and the reason, with the value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RejectedRow {
    pub line: u64,
    pub reason: String,
}

impl SourceReport {
    pub fn new(source: &str, file: &str) -> Self {
        SourceReport {
            source: source.to_string(),
            file: file.to_string(),
            ..Default::default()
        }
    }

    /// A report for a reader of a delimited table: file and encoding taken from it.
    pub fn for_table(source: &str, table: &crate::table::Table) -> Self {
        let mut r = Self::new(source, &table.path.to_string_lossy());
        r.encoding = table.encoding.label().to_string();
        r
    }

    pub fn reject(&mut self, why: Reject) {
        *self.rejected.entry(why).or_default() += 1;
    }

    /// Rejects a row and keeps its line and the reason (with the value) for the report.
    pub fn reject_row(&mut self, why: Reject, line: u64, reason: impl Into<String>) {
        self.reject(why);
        self.rejected_rows.push(RejectedRow {
            line,
            reason: reason.into(),
        });
    }

    /// The named rejected rows in one line, the first `max` of them (for errors and the
    /// printed report).
    pub fn rejected_rows_summary(&self, max: usize) -> String {
        let mut parts: Vec<String> = self
            .rejected_rows
            .iter()
            .take(max)
            .map(|r| format!("line {}: {}", r.line, r.reason))
            .collect();
        if self.rejected_rows.len() > max {
            parts.push(format!("… {} more", self.rejected_rows.len() - max));
        }
        parts.join("; ")
    }

    pub fn note(&mut self, text: impl Into<String>) {
        self.notes.push(text.into());
    }

    /// Rows read but neither kept nor rejected: must be zero, else a reader lost rows silently.
    pub fn unaccounted(&self) -> isize {
        self.rows_read as isize
            - self.rows_kept as isize
            - self.rejected.values().sum::<usize>() as isize
    }
}

/// Coverage of one indicator.
#[derive(Clone, Debug, Serialize)]
pub struct IndicatorCoverage {
    pub indicator: String,
    pub with_value: usize,
    pub without_value: usize,
    /// Missing municipalities grouped by reason (reason → AGS list).
    pub missing_by_reason: BTreeMap<String, Vec<String>>,
}

/// The whole report, printed after an ingest and written as JSON beside the atlas.
#[derive(Clone, Debug, Default, Serialize)]
pub struct QualityReport {
    pub municipalities: usize,
    pub sources: Vec<SourceReport>,
    pub indicators: Vec<IndicatorCoverage>,
    /// Files whose SHA-256 differs from the manifest (the atlas records the actual hash).
    pub manifest_mismatches: Vec<String>,
}

impl fmt::Display for QualityReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Data-quality report: {} municipalities",
            self.municipalities
        )?;
        writeln!(f, "\nSources (rows read → kept; rejected by reason):")?;
        for s in &self.sources {
            write!(
                f,
                "  {:<34} {:>6} → {:>6}",
                s.source, s.rows_read, s.rows_kept
            )?;
            if !s.encoding.is_empty() && !s.encoding.starts_with("utf-8") {
                write!(f, "  [{}]", s.encoding)?;
            }
            let rej: Vec<String> = s
                .rejected
                .iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect();
            if !rej.is_empty() {
                write!(f, "  ({})", rej.join(", "))?;
            }
            if s.points_placed > 0 || !s.points_rejected.is_empty() {
                let rej: Vec<String> = s
                    .points_rejected
                    .iter()
                    .map(|(k, v)| format!("{k}: {v}"))
                    .collect();
                write!(
                    f,
                    "\n      points placed in a municipality: {}",
                    s.points_placed
                )?;
                if !rej.is_empty() {
                    write!(f, " (not placed: {})", rej.join(", "))?;
                }
            }
            if let (Some(reached), Some(declared)) =
                (s.municipalities_reached, s.municipalities_declared)
            {
                write!(
                    f,
                    "\n      municipalities reached: {reached} (the manifest declares at least {declared})"
                )?;
            }
            writeln!(f)?;
            if !s.rejected_rows.is_empty() {
                writeln!(f, "      rejected rows: {}", s.rejected_rows_summary(5))?;
            }
            for n in &s.notes {
                writeln!(f, "      - {n}")?;
            }
        }
        writeln!(f, "\nIndicators (municipalities with a value / without):")?;
        for i in &self.indicators {
            write!(
                f,
                "  {:<34} {:>4} / {:<4}",
                i.indicator, i.with_value, i.without_value
            )?;
            if let Some((reason, ags)) = i.missing_by_reason.iter().next() {
                let more = i.missing_by_reason.len() - 1;
                write!(f, "  missing: {} × {reason}", ags.len())?;
                if more > 0 {
                    write!(f, " (+{more} other reason(s))")?;
                }
            }
            writeln!(f)?;
        }
        if !self.manifest_mismatches.is_empty() {
            writeln!(f, "\nFiles that differ from the manifest:")?;
            for m in &self.manifest_mismatches {
                writeln!(f, "  {m}")?;
            }
        }
        Ok(())
    }
}

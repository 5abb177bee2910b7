//! The raw chunks a reader yields, and how the ranking stage turns each raw profile into a
//! [`Profile`] (in parallel, so the one reading thread never limits throughput).

use super::flat::{Cell, Column, Columns, MAX_ID_BYTES, bad, build_profile, text_cell};
use super::json_line::{id_text, parse_json_line};
use anyhow::Result;
use scoring::{Profile, ProfileError};
use std::sync::Arc;

/// A profile as read: its id, where it is in the file, and the profile or why not.
pub struct Parsed {
    pub id: String,
    /// Line (CSV, JSON Lines) or 1-based row (Parquet) in the input file.
    pub line: u64,
    pub profile: Result<Profile, ProfileError>,
}

/// A chunk of raw profiles, in file order (opaque: see [`RawChunk::parse`]).
pub struct RawChunk(pub(super) Raw);

pub(super) enum Raw {
    Csv {
        columns: Arc<Columns>,
        /// (line, record)
        rows: Vec<(u64, csv::ByteRecord)>,
        /// Position of the first profile in the file (0-based).
        first: u64,
    },
    Jsonl {
        /// (line, text; none when the line is not UTF-8)
        lines: Vec<(u64, Option<String>)>,
        first: u64,
    },
    Parquet {
        columns: Arc<Columns>,
        data: Vec<PqColumn>,
        len: usize,
        first: u64,
    },
}

impl RawChunk {
    /// Profiles in the chunk.
    pub fn len(&self) -> usize {
        match &self.0 {
            Raw::Csv { rows, .. } => rows.len(),
            Raw::Jsonl { lines, .. } => lines.len(),
            Raw::Parquet { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `i`-th profile of the chunk. Pure, so chunks parse in parallel.
    pub fn parse(&self, i: usize) -> Parsed {
        match &self.0 {
            Raw::Csv {
                columns,
                rows,
                first,
            } => {
                let (line, rec) = &rows[i];
                // The row's own id where it has one, even when the row is malformed.
                let default_id = || {
                    columns
                        .fields
                        .iter()
                        .position(|f| *f == Column::ProfileId)
                        .and_then(|k| rec.get(k))
                        .and_then(|b| std::str::from_utf8(b).ok())
                        .filter(|s| !s.is_empty() && s.len() <= MAX_ID_BYTES)
                        .map(str::to_string)
                        .unwrap_or_else(|| (first + i as u64 + 1).to_string())
                };
                if rec.len() != columns.fields.len() {
                    return Parsed {
                        id: default_id(),
                        line: *line,
                        profile: Err(bad(
                            "(row)",
                            format!(
                                "{} fields where the header has {}",
                                rec.len(),
                                columns.fields.len()
                            ),
                            "one field per header column",
                        )),
                    };
                }
                let mut texts = Vec::with_capacity(rec.len());
                for (k, b) in rec.iter().enumerate() {
                    match std::str::from_utf8(b) {
                        Ok(s) => texts.push(s),
                        Err(_) => {
                            return Parsed {
                                id: default_id(),
                                line: *line,
                                profile: Err(bad(
                                    &columns.names[k],
                                    "not valid UTF-8".into(),
                                    "UTF-8 text",
                                )),
                            };
                        }
                    }
                }
                let (id, profile) = build_profile(columns, |k| text_cell(texts[k]));
                Parsed {
                    id: id.unwrap_or_else(default_id),
                    line: *line,
                    profile,
                }
            }
            Raw::Jsonl { lines, first } => {
                let (line, text) = &lines[i];
                let (id, profile) = match text {
                    Some(t) => parse_json_line(t),
                    None => (
                        None,
                        Err(bad("(profile)", "not valid UTF-8".into(), "UTF-8 text")),
                    ),
                };
                Parsed {
                    id: id
                        .map(|v| id_text(&v))
                        .unwrap_or_else(|| (first + i as u64 + 1).to_string()),
                    line: *line,
                    profile,
                }
            }
            Raw::Parquet {
                columns,
                data,
                first,
                ..
            } => {
                let (id, profile) = build_profile(columns, |k| data[k].cell(i));
                let row = first + i as u64 + 1;
                Parsed {
                    id: id.unwrap_or_else(|| row.to_string()),
                    line: row,
                    profile,
                }
            }
        }
    }
}

/// Reads a profiles file chunk by chunk.
pub trait ProfileSource: Send {
    /// The next at most `max` profiles, or `None` at the end of the file.
    fn next_chunk(&mut self, max: usize) -> Result<Option<RawChunk>>;
    /// How far the reading has got and how far it goes, in the source's own unit (bytes or
    /// rows), for the progress bar.
    fn progress(&self) -> (u64, u64);
}

/// A typed Parquet column of one chunk.
pub(crate) enum PqColumn {
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
    Bool(Vec<Option<bool>>),
    Text(Vec<Option<String>>),
    Ints(Vec<Option<Vec<Option<i64>>>>),
}

impl PqColumn {
    pub(super) fn cell(&self, i: usize) -> Cell<'_> {
        match self {
            PqColumn::Int(v) => v[i].map_or(Cell::Null, Cell::Int),
            PqColumn::Float(v) => v[i].map_or(Cell::Null, Cell::Float),
            PqColumn::Bool(v) => v[i].map_or(Cell::Null, Cell::Bool),
            PqColumn::Text(v) => v[i].as_deref().map_or(Cell::Null, text_cell),
            PqColumn::Ints(v) => v[i].clone().map_or(Cell::Null, Cell::Ints),
        }
    }
}

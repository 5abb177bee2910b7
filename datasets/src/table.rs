//! Delimited text tables (CSV with `,` or `;`) with the header resolved once, so that readers
//! address columns by name and every error can name the file, the line and the column.

use crate::error::{DatasetError, Result};
use crate::text::{Encoding, decode, parse_number, read_text};
use std::path::{Path, PathBuf};

/// A whole delimited file held in memory (the raw files are a few MB at most).
pub struct Table {
    pub path: PathBuf,
    pub encoding: Encoding,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

/// One data record and the line it started on (1-based, the header is line 1).
pub struct Row {
    pub line: u64,
    pub fields: Vec<String>,
}

impl Table {
    /// Reads a file with the given delimiter. Every record must have as many fields as the
    /// header: a truncated file or a wrong delimiter is an error naming the line, not a silent
    /// shift of columns.
    pub fn read(path: &Path, delimiter: u8) -> Result<Table> {
        let (text, encoding) = read_text(path)?;
        Self::parse(path, &text, encoding, delimiter)
    }

    /// Decodes (as [`read_text`] does) and parses a file's bytes already in memory; `path` only
    /// names the file in errors and reports. The in-memory entry point of every table reader
    /// (their `*_bytes` functions), used by the fuzz targets.
    pub fn from_bytes(path: &Path, bytes: &[u8], delimiter: u8) -> Result<Table> {
        let (text, encoding) = decode(bytes.to_vec());
        Self::parse(path, &text, encoding, delimiter)
    }

    /// Parses text already in memory (used by [`Table::read`] and by tests).
    pub fn parse(path: &Path, text: &str, encoding: Encoding, delimiter: u8) -> Result<Table> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(true)
            .flexible(false)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| csv_error(path, text, e))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect::<Vec<_>>();
        let mut rows = Vec::new();
        // Lines counted from the record's byte offset: the csv crate's own line count is one
        // short for CRLF files, so errors would name the line above the broken one.
        let (mut at, mut line) = (0usize, 1u64);
        for rec in reader.records() {
            let rec = rec.map_err(|e| csv_error(path, text, e))?;
            let mut start = rec
                .position()
                .map(|p| p.byte() as usize)
                .unwrap_or(at)
                .clamp(at, text.len());
            // The offset may point at the `\n` of the previous line's `\r\n`.
            while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
                start += 1;
            }
            line += newlines(&text.as_bytes()[at..start]);
            at = start;
            rows.push(Row {
                line,
                fields: rec.iter().map(str::to_string).collect(),
            });
        }
        if rows.is_empty() {
            return Err(DatasetError::format(path, "no data rows"));
        }
        Ok(Table {
            path: path.to_path_buf(),
            encoding,
            headers,
            rows,
        })
    }

    /// Index of a column by its header; an error listing the headers found (which makes a wrong
    /// delimiter obvious) if absent.
    pub fn col(&self, name: &str) -> Result<usize> {
        self.headers.iter().position(|h| h == name).ok_or_else(|| {
            let found: Vec<&str> = self.headers.iter().take(8).map(String::as_str).collect();
            DatasetError::format(
                &self.path,
                format!(
                    "missing column {name:?} (found {} column(s): {}{}) — wrong delimiter or a different file?",
                    self.headers.len(),
                    found.join(" | "),
                    if self.headers.len() > 8 { " | …" } else { "" }
                ),
            )
        })
    }

    /// The raw text of a field, trimmed.
    pub fn text<'a>(&self, row: &'a Row, col: usize) -> &'a str {
        row.fields.get(col).map(|s| s.trim()).unwrap_or("")
    }

    /// A numeric field: `Ok(None)` for the offices' empty marks, an error naming file, line and
    /// column for text in a number column.
    pub fn number(&self, row: &Row, col: usize) -> Result<Option<f64>> {
        parse_number(self.text(row, col)).map_err(|msg| {
            DatasetError::parse(
                &self.path,
                row.line,
                format!("column {:?}: {msg}", self.headers[col]),
            )
        })
    }
}

fn newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

fn csv_error(path: &Path, text: &str, e: csv::Error) -> DatasetError {
    let line = e
        .position()
        .map(|p| {
            let mut at = (p.byte() as usize).min(text.len());
            while matches!(text.as_bytes().get(at), Some(b'\r' | b'\n')) {
                at += 1;
            }
            1 + newlines(&text.as_bytes()[..at])
        })
        .unwrap_or(0);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "record has {len} field(s) where the header has {expected_len} (truncated file or wrong delimiter?)"
        ),
        csv::ErrorKind::Utf8 { err, .. } => format!("invalid UTF-8: {err}"),
        _ => e.to_string(),
    };
    DatasetError::parse(path, line, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, delim: u8) -> Result<Table> {
        Table::parse(Path::new("t.csv"), text, Encoding::Utf8, delim)
    }

    #[test]
    fn reads_columns_by_name() {
        let t = parse("a;b\n1;2,5\n3;zwei\n", b';').unwrap();
        let b = t.col("b").unwrap();
        assert_eq!(t.number(&t.rows[0], b).unwrap(), Some(2.5));
        let err = t.number(&t.rows[1], b).unwrap_err().to_string();
        assert!(
            err.contains("t.csv, line 3") && err.contains("\"b\""),
            "{err}"
        );
    }

    #[test]
    fn wrong_delimiter_names_the_missing_column() {
        let t = parse("a;b\n1;2\n", b',').unwrap();
        let err = t.col("b").unwrap_err().to_string();
        assert!(
            err.contains("missing column \"b\"") && err.contains("a;b"),
            "{err}"
        );
    }

    #[test]
    fn truncated_record_is_an_error_with_its_line() {
        let err = parse("a,b,c\n1,2,3\n4,5\n", b',')
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("line 3") && err.contains("truncated"), "{err}");
    }

    #[test]
    fn empty_table_is_an_error() {
        assert!(parse("a,b\n", b',').is_err());
    }

    #[test]
    fn lines_are_counted_alike_for_lf_and_crlf() {
        for eol in ["\n", "\r\n"] {
            let text = ["a,b", "1,2", "\"x\ny\",4", "5,6", ""].join(eol);
            let t = parse(&text, b',').unwrap();
            let lines: Vec<u64> = t.rows.iter().map(|r| r.line).collect();
            assert_eq!(lines, [2, 3, 5], "{eol:?}");
            let err = parse(&format!("a,b{eol}1,2{eol}3{eol}"), b',')
                .err()
                .unwrap()
                .to_string();
            assert!(err.contains("line 3"), "{eol:?}: {err}");
        }
    }
}

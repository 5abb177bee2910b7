//! Reading profiles for a batch run: CSV, JSON Lines or Parquet, chunk by chunk.
//!
//! A reader only splits the file into raw chunks (records, lines, or a slice of Parquet rows);
//! turning a raw record into a [`scoring::Profile`] happens in [`RawChunk::parse`], called in
//! parallel by the ranking stage, so that the one reading thread never limits throughput.
//!
//! - [`flat`]: the flat column layout of CSV and Parquet files (one column per profile field)
//!   and how a flat record becomes a profile — [`scoring::flat`], shared with the Python
//!   package, re-exported here.
//! - [`parquet`]: the Parquet reader (slice by slice, every stored integer and float width).
//! - `json_line`: one JSON Lines profile with its optional `profile_id`.
//! - `chunk`: the raw chunks a reader yields and how the ranking stage parses them.
//! - here: the formats and the CSV and JSON Lines readers.

mod chunk;
mod json_line;
pub mod parquet;

pub use chunk::{Parsed, ProfileSource, RawChunk};
pub use json_line::{id_text, parse_json_line};
pub use scoring::flat;

use anyhow::{Context, Result, bail};
use chunk::Raw;
use flat::Columns;
use parquet::ParquetSource;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::Arc;

/// Format of a profiles file.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// Comma-separated, with a header row naming the columns (README, "Batch rankings").
    Csv,
    /// One JSON profile per line, as for `lotse rank`, optionally with a `profile_id` key.
    Jsonl,
    /// The same columns as CSV, typed.
    Parquet,
}

impl InputFormat {
    /// The format a file name implies: `.csv`, `.jsonl`/`.ndjson`, `.parquet`/`.pq`.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Self::Csv),
            "jsonl" | "ndjson" => Some(Self::Jsonl),
            "parquet" | "pq" => Some(Self::Parquet),
            _ => None,
        }
    }
}

/// Opens a profiles file in the given format.
pub fn open(path: &Path, format: InputFormat) -> Result<Box<dyn ProfileSource>> {
    Ok(match format {
        InputFormat::Csv => Box::new(CsvSource::open(path)?),
        InputFormat::Jsonl => Box::new(JsonlSource::open(path)?),
        InputFormat::Parquet => Box::new(ParquetSource::open(path)?),
    })
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Every profile of a whole profiles file already in memory, in file order, parsed exactly as
/// `lotse batch` parses it (the same readers over a byte slice instead of a file): the
/// in-memory entry point for the fuzz targets and tests. `Err` is what stops a run (a bad
/// header, a broken CSV record); a bad row is an `Err` profile in its [`Parsed`].
pub fn parse_all(bytes: &[u8], format: InputFormat) -> Result<Vec<Parsed>> {
    let mut source: Box<dyn ProfileSource + '_> = match format {
        InputFormat::Csv => Box::new(CsvSource::from_reader(
            bytes,
            "(memory)",
            bytes.len() as u64,
        )?),
        InputFormat::Jsonl => Box::new(JsonlSource::from_reader(bytes, bytes.len() as u64)),
        InputFormat::Parquet => bail!("Parquet profiles are read from a file only"),
    };
    let mut out = Vec::new();
    while let Some(chunk) = source.next_chunk(64)? {
        out.extend((0..chunk.len()).map(|i| chunk.parse(i)));
    }
    Ok(out)
}

struct CsvSource<R: std::io::Read> {
    reader: csv::Reader<R>,
    columns: Arc<Columns>,
    read: u64,
    total_bytes: u64,
}

impl CsvSource<BufReader<File>> {
    fn open(path: &Path) -> Result<Self> {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        CsvSource::from_reader(
            BufReader::with_capacity(1 << 20, file),
            &path.display().to_string(),
            file_len(path),
        )
    }
}

impl<R: std::io::Read> CsvSource<R> {
    /// `name` names the input in errors; `total_bytes` is its size, for the progress bar.
    fn from_reader(input: R, name: &str, total_bytes: u64) -> Result<Self> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(input);
        let header = reader
            .headers()
            .with_context(|| format!("cannot read the header row of {name}"))?;
        let names: Vec<String> = header
            .iter()
            .map(|s| s.trim_start_matches('\u{feff}').to_string())
            .collect();
        let columns = Columns::new(names).with_context(|| name.to_string())?;
        Ok(CsvSource {
            reader,
            columns: Arc::new(columns),
            read: 0,
            total_bytes,
        })
    }
}

impl<R: std::io::Read + Send> ProfileSource for CsvSource<R> {
    fn next_chunk(&mut self, max: usize) -> Result<Option<RawChunk>> {
        let mut rows = Vec::with_capacity(max);
        let first = self.read;
        while rows.len() < max {
            let mut rec = csv::ByteRecord::new();
            let more = self
                .reader
                .read_byte_record(&mut rec)
                .with_context(|| format!("CSV record {}", self.read + rows.len() as u64 + 1))?;
            if !more {
                break;
            }
            let line = rec.position().map_or(0, |p| p.line());
            rows.push((line, rec));
        }
        if rows.is_empty() {
            return Ok(None);
        }
        self.read += rows.len() as u64;
        Ok(Some(RawChunk(Raw::Csv {
            columns: self.columns.clone(),
            rows,
            first,
        })))
    }

    fn progress(&self) -> (u64, u64) {
        (self.reader.position().byte(), self.total_bytes)
    }
}

struct JsonlSource<R: BufRead> {
    reader: R,
    line: u64,
    read: u64,
    bytes: u64,
    total_bytes: u64,
}

impl JsonlSource<BufReader<File>> {
    fn open(path: &Path) -> Result<Self> {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        Ok(JsonlSource::from_reader(
            BufReader::with_capacity(1 << 20, file),
            file_len(path),
        ))
    }
}

impl<R: BufRead> JsonlSource<R> {
    fn from_reader(reader: R, total_bytes: u64) -> Self {
        JsonlSource {
            reader,
            line: 0,
            read: 0,
            bytes: 0,
            total_bytes,
        }
    }
}

impl<R: BufRead + Send> ProfileSource for JsonlSource<R> {
    fn next_chunk(&mut self, max: usize) -> Result<Option<RawChunk>> {
        let mut lines = Vec::with_capacity(max);
        let first = self.read;
        while lines.len() < max {
            let mut buf = Vec::new();
            let n = self
                .reader
                .read_until(b'\n', &mut buf)
                .with_context(|| format!("reading line {}", self.line + 1))?;
            if n == 0 {
                break;
            }
            self.line += 1;
            self.bytes += n as u64;
            // A line that is not UTF-8 becomes a rejected profile (`None`), not a failed run.
            let text = match String::from_utf8(buf) {
                Ok(t) => {
                    // A byte-order mark (as some editors and Excel write) is not part of line 1.
                    let t = if self.line == 1 {
                        t.trim_start_matches('\u{feff}')
                    } else {
                        &t
                    };
                    let t = t.trim();
                    if t.is_empty() {
                        continue;
                    }
                    Some(t.to_string())
                }
                Err(_) => None,
            };
            lines.push((self.line, text));
        }
        if lines.is_empty() {
            return Ok(None);
        }
        self.read += lines.len() as u64;
        Ok(Some(RawChunk(Raw::Jsonl { lines, first })))
    }

    fn progress(&self) -> (u64, u64) {
        (self.bytes, self.total_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_all_reads_csv_and_json_lines_from_memory() {
        let csv = "profile_id,adults,children,workplace\n\
                   a,2,3;7,Dresden\n\
                   ,0,,\n\
                   c,2,3;x,\"51.05,13.74\"\n\
                   d,1\n";
        let rows = parse_all(csv.as_bytes(), InputFormat::Csv).unwrap();
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["a", "2", "c", "d"]);
        assert_eq!(
            rows.iter().map(|r| r.line).collect::<Vec<_>>(),
            [2, 3, 4, 5]
        );
        assert!(rows[0].profile.is_ok());
        assert_eq!(
            rows[1]
                .profile
                .as_ref()
                .unwrap()
                .validate()
                .unwrap_err()
                .field,
            "adults"
        );
        assert_eq!(rows[2].profile.as_ref().unwrap_err().field, "children[1]");
        assert_eq!(rows[3].profile.as_ref().unwrap_err().field, "(row)");
        let e = parse_all(b"adults,childern\n2,3\n", InputFormat::Csv)
            .err()
            .unwrap();
        assert!(
            format!("{e:#}").contains("unknown column `childern`"),
            "{e:#}"
        );

        let jsonl =
            b"{\"adults\": 1}\n\n{\"profile_id\": \"z\", \"adults\": 2}\n{\"adults\": \xff}\n";
        let rows = parse_all(jsonl, InputFormat::Jsonl).unwrap();
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["1", "z", "3"]);
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 3, 4]);
        assert_eq!(
            rows[2].profile.as_ref().unwrap_err().problem,
            "not valid UTF-8"
        );
        assert!(parse_all(b"", InputFormat::Parquet).is_err());
    }
}

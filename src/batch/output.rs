//! Writing batch results: the long table (`profile_id, rank, ags, name, score` and, with
//! criteria, one utility column per criterion id) as Parquet or CSV, the rejects file, and the
//! metadata that makes a result reproducible.
//!
//! Every file is written under a temporary name beside its target and renamed when complete,
//! so an interrupted run never leaves a truncated file that looks finished.

use super::{Outcome, TopRow};
use anyhow::{Context, Result};
use polars::io::parquet::write::BatchedWriter;
use polars::prelude::{
    ChunkedBuilder, Column, CompatLevel, DataFrame, DataType, Field, Float64Type, IntoColumn,
    IntoSeries, KeyValueMetadata, ParquetCompression, ParquetWriter, PrimitiveChunkedBuilder,
    Schema, SchemaExt, StringChunkedBuilder, UInt32Type,
};
use scoring::Criterion;
use serde::Serialize;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Format of the results file.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// Parquet with key-value metadata (zstd, one row group per ~256k rows).
    Parquet,
    /// CSV with a `<out>.meta.json` sidecar.
    Csv,
}

impl OutputFormat {
    /// The format a file name implies: `.parquet`/`.pq` or `.csv`.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "parquet" | "pq" => Some(Self::Parquet),
            "csv" => Some(Self::Csv),
            _ => None,
        }
    }
}

/// `<out>.rejects.csv`: where the profiles that could not be ranked go.
pub fn rejects_path(out: &Path) -> PathBuf {
    suffixed(out, ".rejects.csv")
}

/// `<out>.meta.json`: the metadata of a CSV result.
pub fn meta_path(out: &Path) -> PathBuf {
    suffixed(out, ".meta.json")
}

fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

/// A file written under `<path>.partial` and renamed into place by [`Staged::commit`].
pub(crate) struct Staged {
    pub tmp: PathBuf,
    pub path: PathBuf,
}

impl Staged {
    pub fn create(path: &Path) -> Result<(Self, File)> {
        let tmp = suffixed(path, ".partial");
        let f = File::create(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
        Ok((
            Staged {
                tmp,
                path: path.to_path_buf(),
            },
            f,
        ))
    }

    pub fn commit(&self) -> Result<()> {
        std::fs::rename(&self.tmp, &self.path)
            .with_context(|| format!("cannot move the result to {}", self.path.display()))
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // After a commit the temporary name no longer exists; after a failure it is removed.
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// What a result file says about how it was made: enough to reproduce it.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    /// `lotse` version that wrote the file.
    pub lotse_version: &'static str,
    /// Hash of the raw inputs the atlas was built from (as in `GET /healthz`).
    pub atlas_input_hash: String,
    /// Where the atlas came from (bundled, a file, a data directory).
    pub atlas_origin: String,
    /// Rows kept per profile.
    pub top_k: usize,
    /// Whether utility columns per criterion are present.
    pub with_criteria: bool,
    /// The command line that produced the file.
    pub command: String,
    /// The columns of the result, in order.
    pub columns: Vec<String>,
    /// The criteria table: curves, breakpoints, default weights, parameters.
    pub criteria: scoring::criteria::Table,
}

impl Meta {
    /// Parquet key-value pairs: `lotse.<field>`, strings as they are, everything else as JSON.
    fn key_values(&self) -> Result<Vec<(String, String)>> {
        let v = serde_json::to_value(self)?;
        let mut out = Vec::new();
        if let serde_json::Value::Object(m) = v {
            for (k, v) in m {
                let text = match v {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                out.push((format!("lotse.{k}"), text));
            }
        }
        Ok(out)
    }
}

/// The result columns for a run.
pub fn result_columns(with_criteria: bool) -> Vec<String> {
    let mut c: Vec<String> = ["profile_id", "rank", "ags", "name", "score"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    if with_criteria {
        c.extend(Criterion::ALL.iter().map(|c| c.id().to_string()));
    }
    c
}

/// Where ranked rows go.
pub(crate) trait Sink<'r>: Send {
    fn write(&mut self, outcomes: &[Outcome<'r>]) -> Result<()>;
    fn finish(self: Box<Self>) -> Result<()>;
}

/// Rows buffered per Parquet row group: large enough for efficient scans, small enough to keep
/// memory bounded (about 20 MB of columns with criteria).
pub(crate) const ROW_GROUP_ROWS: usize = 1 << 18;

pub(crate) struct ParquetSink {
    staged: Staged,
    /// Unbuffered on purpose: the writer emits whole pages (about 1 MiB), and a `BufWriter`
    /// inside it could not be flushed with its error reported.
    writer: BatchedWriter<File>,
    with_criteria: bool,
    buf: Columns,
}

struct Columns {
    ids: StringChunkedBuilder,
    ranks: PrimitiveChunkedBuilder<UInt32Type>,
    ags: StringChunkedBuilder,
    names: StringChunkedBuilder,
    scores: PrimitiveChunkedBuilder<Float64Type>,
    utilities: Vec<PrimitiveChunkedBuilder<Float64Type>>,
    rows: usize,
}

impl Columns {
    fn new(with_criteria: bool) -> Self {
        let n = ROW_GROUP_ROWS + 1024;
        Columns {
            ids: StringChunkedBuilder::new("profile_id".into(), n),
            ranks: PrimitiveChunkedBuilder::new("rank".into(), n),
            ags: StringChunkedBuilder::new("ags".into(), n),
            names: StringChunkedBuilder::new("name".into(), n),
            scores: PrimitiveChunkedBuilder::new("score".into(), n),
            utilities: if with_criteria {
                Criterion::ALL
                    .iter()
                    .map(|c| PrimitiveChunkedBuilder::new(c.id().into(), n))
                    .collect()
            } else {
                Vec::new()
            },
            rows: 0,
        }
    }

    fn push(&mut self, id: &str, r: &TopRow<'_>) {
        self.ids.append_value(id);
        self.ranks.append_value(r.rank);
        self.ags.append_value(r.ags);
        self.names.append_value(r.name);
        self.scores.append_value(r.score);
        if !self.utilities.is_empty() {
            for (b, u) in self.utilities.iter_mut().zip(r.utilities.iter()) {
                b.append_option(*u);
            }
        }
        self.rows += 1;
    }

    fn into_frame(self) -> Result<DataFrame> {
        let height = self.rows;
        let mut cols: Vec<Column> = vec![
            self.ids.finish().into_series().into_column(),
            self.ranks.finish().into_series().into_column(),
            self.ags.finish().into_series().into_column(),
            self.names.finish().into_series().into_column(),
            self.scores.finish().into_series().into_column(),
        ];
        for b in self.utilities {
            cols.push(b.finish().into_series().into_column());
        }
        Ok(DataFrame::new(height, cols)?)
    }
}

fn result_schema(with_criteria: bool) -> Schema {
    let mut fields = vec![
        Field::new("profile_id".into(), DataType::String),
        Field::new("rank".into(), DataType::UInt32),
        Field::new("ags".into(), DataType::String),
        Field::new("name".into(), DataType::String),
        Field::new("score".into(), DataType::Float64),
    ];
    if with_criteria {
        fields.extend(
            Criterion::ALL
                .iter()
                .map(|c| Field::new(c.id().into(), DataType::Float64)),
        );
    }
    Schema::from_iter(fields)
}

/// Starts a Parquet file with the given columns and key-value metadata.
///
/// The Arrow schema recorded in the file (`ARROW:schema`) is the oldest compatible one: plain
/// large strings rather than the string views polars' batched writer records by default, which
/// pyarrow before 16 (and readers built on it) refuse with "Unrecognized type: 24". The data in
/// the file is the same either way (Parquet UTF-8 byte arrays).
pub(crate) fn parquet_writer(
    file: File,
    schema: &Schema,
    mut key_values: Vec<(String, String)>,
) -> Result<BatchedWriter<File>> {
    let arrow = schema.to_arrow(CompatLevel::oldest());
    let kv = polars_parquet::write::schema_to_metadata_key(&arrow);
    if let Some(v) = kv.value {
        key_values.push((kv.key, v));
    }
    ParquetWriter::new(file)
        .with_compression(ParquetCompression::Zstd(None))
        .with_key_value_metadata(Some(KeyValueMetadata::from_static(key_values)))
        .batched(schema)
        .context("cannot start the Parquet writer")
}

impl ParquetSink {
    pub fn create(path: &Path, with_criteria: bool, meta: &Meta) -> Result<Self> {
        let (staged, file) = Staged::create(path)?;
        let writer = parquet_writer(file, &result_schema(with_criteria), meta.key_values()?)?;
        Ok(ParquetSink {
            staged,
            writer,
            with_criteria,
            buf: Columns::new(with_criteria),
        })
    }

    fn flush(&mut self) -> Result<()> {
        if self.buf.rows == 0 {
            return Ok(());
        }
        let full = std::mem::replace(&mut self.buf, Columns::new(self.with_criteria));
        let df = full.into_frame()?;
        self.writer
            .write_batch(&df)
            .with_context(|| format!("writing {}", self.staged.tmp.display()))?;
        Ok(())
    }
}

impl<'r> Sink<'r> for ParquetSink {
    fn write(&mut self, outcomes: &[Outcome<'r>]) -> Result<()> {
        for o in outcomes {
            if let Ok(rows) = &o.result {
                for r in rows {
                    self.buf.push(&o.id, r);
                }
            }
            if self.buf.rows >= ROW_GROUP_ROWS {
                self.flush()?;
            }
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.flush()?;
        self.writer
            .finish()
            .with_context(|| format!("finishing {}", self.staged.tmp.display()))?;
        let ParquetSink { staged, writer, .. } = *self;
        // Unbuffered: every page went straight to the file, so closing it loses nothing.
        drop(writer);
        staged.commit()
    }
}

pub(crate) struct CsvSink {
    staged: Staged,
    meta_staged: Staged,
    meta_file: Option<File>,
    meta: Meta,
    writer: csv::Writer<BufWriter<File>>,
    line: String,
}

impl CsvSink {
    pub fn create(path: &Path, with_criteria: bool, meta: &Meta) -> Result<Self> {
        let (staged, file) = Staged::create(path)?;
        let (meta_staged, meta_file) = Staged::create(&meta_path(path))?;
        let mut writer =
            csv::WriterBuilder::new().from_writer(BufWriter::with_capacity(1 << 20, file));
        writer.write_record(result_columns(with_criteria))?;
        Ok(CsvSink {
            staged,
            meta_staged,
            meta_file: Some(meta_file),
            meta: meta.clone(),
            writer,
            line: String::with_capacity(64),
        })
    }
}

impl<'r> Sink<'r> for CsvSink {
    fn write(&mut self, outcomes: &[Outcome<'r>]) -> Result<()> {
        use std::fmt::Write as _;
        for o in outcomes {
            let Ok(rows) = &o.result else { continue };
            for r in rows {
                let w = &mut self.writer;
                w.write_field(&o.id)?;
                self.line.clear();
                let _ = write!(self.line, "{}", r.rank);
                w.write_field(&self.line)?;
                w.write_field(r.ags)?;
                w.write_field(r.name)?;
                self.line.clear();
                // Shortest representation that reads back as the same f64.
                let _ = write!(self.line, "{}", r.score);
                w.write_field(&self.line)?;
                if self.meta.with_criteria {
                    for u in r.utilities.iter() {
                        self.line.clear();
                        if let Some(u) = u {
                            let _ = write!(self.line, "{u}");
                        }
                        w.write_field(&self.line)?;
                    }
                }
                w.write_record(None::<&[u8]>)?;
            }
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<()> {
        self.writer.flush()?;
        let inner = self
            .writer
            .into_inner()
            .map_err(|e| anyhow::anyhow!("writing {}: {}", self.staged.tmp.display(), e.error()))?;
        inner
            .into_inner()
            .map_err(|e| anyhow::anyhow!("writing {}: {}", self.staged.tmp.display(), e.error()))?
            .sync_all()
            .ok();
        let mut mf = self
            .meta_file
            .take()
            .context("the metadata file is already written")?;
        mf.write_all(serde_json::to_string_pretty(&self.meta)?.as_bytes())?;
        mf.write_all(b"\n")?;
        drop(mf);
        self.staged.commit()?;
        self.meta_staged.commit()
    }
}

/// `<out>.rejects.csv`: `profile_id, line, field, reason, allowed` for every profile that
/// could not be ranked. Always written (with only its header when nothing was rejected), so a
/// stale file from an earlier run never survives.
pub(crate) struct Rejects {
    staged: Staged,
    writer: csv::Writer<BufWriter<File>>,
    pub count: u64,
}

impl Rejects {
    pub fn create(out: &Path) -> Result<Self> {
        let (staged, file) = Staged::create(&rejects_path(out))?;
        let mut writer = csv::Writer::from_writer(BufWriter::new(file));
        writer.write_record(["profile_id", "line", "field", "reason", "allowed"])?;
        Ok(Rejects {
            staged,
            writer,
            count: 0,
        })
    }

    pub fn write(&mut self, outcomes: &[Outcome<'_>]) -> Result<()> {
        for o in outcomes {
            if let Err(e) = &o.result {
                self.writer.write_record([
                    o.id.as_str(),
                    &o.line.to_string(),
                    &e.field,
                    &e.problem,
                    &e.allowed,
                ])?;
                self.count += 1;
            }
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<()> {
        self.writer.flush()?;
        drop(self.writer);
        self.staged.commit()
    }
}

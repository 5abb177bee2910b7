//! Writing batch results: the long table (`profile_id, rank, ags, name, score`, with
//! robustness `top_k_share, rank_p5, rank_p95, group`, and with criteria one utility column per
//! criterion id) as Parquet or CSV, the rejects file, and the
//! metadata that makes a result reproducible.
//!
//! Every file is written under a temporary name beside its target and renamed when complete,
//! so an interrupted run never leaves a truncated file that looks finished.

use super::{Outcome, TopRow};
use anyhow::{Context, Result, anyhow, bail};
use polars::io::parquet::write::BatchedWriter;
use polars::prelude::{
    ChunkedBuilder, Column, CompatLevel, DataFrame, DataType, Field, Float64Type, IntoColumn,
    IntoSeries, KeyValueMetadata, ParquetCompression, ParquetWriter, PrimitiveChunkedBuilder,
    Schema, SchemaExt, StringChunkedBuilder, UInt32Type,
};
use scoring::Criterion;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

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

/// `-` as `--out`: the results go to standard output (nothing is staged or renamed).
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// A result, rejects or metadata target must be a regular file or not exist yet: renaming over
/// a symlink would replace the link (not write through it), over a device node or FIFO would
/// replace the node, and a directory cannot take a file. `what` names the option or file in
/// the error.
pub(crate) fn check_replaceable(target: &Path, what: &str) -> Result<()> {
    let m = match std::fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot inspect {what} {}", target.display()));
        }
    };
    let t = m.file_type();
    if t.is_file() {
        return Ok(());
    }
    let kind = if t.is_symlink() {
        "a symbolic link"
    } else if t.is_dir() {
        "a directory"
    } else {
        "a device, FIFO or socket"
    };
    bail!(
        "{what} {} is {kind}; lotse replaces only a regular file (give a new file name, or `-` for standard output)",
        target.display()
    )
}

/// Refuses a target that is the profiles file itself (the same file by device and inode, so
/// `./a.csv` vs `a.csv`, symlinks and hard links are caught) or not replaceable at all.
pub(crate) fn check_target(target: &Path, input: &Path, what: &str) -> Result<()> {
    check_replaceable(target, what)?;
    if same_file(target, input) {
        bail!(
            "{what} {} is the profiles file {} itself; writing it would destroy the input (give another name)",
            target.display(),
            input.display()
        );
    }
    Ok(())
}

fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        ma.dev() == mb.dev() && ma.ino() == mb.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
    }
}

/// Temporary names made by this process so far (with the pid and the clock, unique per run).
static STAGED: AtomicU64 = AtomicU64::new(0);

/// A file written under a temporary name of its own beside its target
/// (`<name>.<pid>-<nanoseconds>-<n>.partial`, created exclusively, so two runs with the same
/// target never share it) and renamed into place by [`Staged::commit`]; removed when dropped
/// uncommitted.
pub(crate) struct Staged {
    pub tmp: PathBuf,
    pub path: PathBuf,
}

impl Staged {
    pub fn create(path: &Path) -> Result<(Self, File)> {
        let name = path
            .file_name()
            .ok_or_else(|| anyhow!("{} does not name a file", path.display()))?;
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let pid = std::process::id();
        for _ in 0..64 {
            let n = STAGED.fetch_add(1, Ordering::Relaxed);
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            let mut tmp_name = name.to_os_string();
            tmp_name.push(format!(".{pid}-{nanos}-{n}.partial"));
            let tmp = dir.join(tmp_name);
            match OpenOptions::new().write(true).create_new(true).open(&tmp) {
                Ok(f) => {
                    return Ok((
                        Staged {
                            tmp,
                            path: path.to_path_buf(),
                        },
                        f,
                    ));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(e).with_context(|| format!("cannot create {}", tmp.display()));
                }
            }
        }
        bail!(
            "cannot find a free temporary name beside {}",
            path.display()
        )
    }

    pub fn commit(&self) -> Result<()> {
        // Checked again at the last moment: the target may have changed during the run.
        check_replaceable(&self.path, "the target")?;
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

/// Where a stream of rows goes: a staged file, standard output or standard error.
pub(crate) enum Out {
    File(File),
    Stdout(std::io::Stdout),
    Stderr(std::io::Stderr),
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Out::File(f) => f.write(buf),
            Out::Stdout(s) => s.write(buf),
            Out::Stderr(s) => s.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        match self {
            Out::File(f) => f.write_all(buf),
            Out::Stdout(s) => s.write_all(buf),
            Out::Stderr(s) => s.write_all(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Out::File(f) => f.flush(),
            Out::Stdout(s) => s.flush(),
            Out::Stderr(s) => s.flush(),
        }
    }
}

/// A target opened for writing: staged beside `path`, or standard output for `-`.
fn open_target(path: &Path) -> Result<(Option<Staged>, Out, String)> {
    if is_stdout(path) {
        return Ok((
            None,
            Out::Stdout(std::io::stdout()),
            "standard output".into(),
        ));
    }
    let (staged, file) = Staged::create(path)?;
    let name = staged.tmp.display().to_string();
    Ok((Some(staged), Out::File(file), name))
}

pub use scoring::batch::{Layout, Meta, ROBUSTNESS_COLUMNS, result_columns};

/// Where ranked rows go.
pub(crate) trait Sink<'r>: Send {
    fn write(&mut self, outcomes: &[Outcome<'r>]) -> Result<()>;
    fn finish(self: Box<Self>) -> Result<()>;
}

/// Rows buffered per Parquet row group: large enough for efficient scans, small enough to keep
/// memory bounded (about 20 MB of columns with criteria).
pub(crate) const ROW_GROUP_ROWS: usize = 1 << 18;

pub(crate) struct ParquetSink {
    /// None when writing to standard output.
    staged: Option<Staged>,
    /// What errors call the output.
    name: String,
    /// Unbuffered on purpose: the writer emits whole pages (about 1 MiB), and a `BufWriter`
    /// inside it could not be flushed with its error reported.
    writer: BatchedWriter<Out>,
    layout: Layout,
    buf: Columns,
}

struct Columns {
    ids: StringChunkedBuilder,
    ranks: PrimitiveChunkedBuilder<UInt32Type>,
    ags: StringChunkedBuilder,
    names: StringChunkedBuilder,
    scores: PrimitiveChunkedBuilder<Float64Type>,
    robustness: Option<RobustnessColumns>,
    utilities: Vec<PrimitiveChunkedBuilder<Float64Type>>,
    rows: usize,
}

/// The builders of [`ROBUSTNESS_COLUMNS`].
struct RobustnessColumns {
    share: PrimitiveChunkedBuilder<Float64Type>,
    p5: PrimitiveChunkedBuilder<UInt32Type>,
    p95: PrimitiveChunkedBuilder<UInt32Type>,
    group: PrimitiveChunkedBuilder<UInt32Type>,
}

impl Columns {
    fn new(layout: Layout) -> Self {
        let n = ROW_GROUP_ROWS + 1024;
        let [share, p5, p95, group] = ROBUSTNESS_COLUMNS;
        Columns {
            ids: StringChunkedBuilder::new("profile_id".into(), n),
            ranks: PrimitiveChunkedBuilder::new("rank".into(), n),
            ags: StringChunkedBuilder::new("ags".into(), n),
            names: StringChunkedBuilder::new("name".into(), n),
            scores: PrimitiveChunkedBuilder::new("score".into(), n),
            robustness: layout.robustness.then(|| RobustnessColumns {
                share: PrimitiveChunkedBuilder::new(share.into(), n),
                p5: PrimitiveChunkedBuilder::new(p5.into(), n),
                p95: PrimitiveChunkedBuilder::new(p95.into(), n),
                group: PrimitiveChunkedBuilder::new(group.into(), n),
            }),
            utilities: if layout.with_criteria {
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
        if let Some(c) = &mut self.robustness {
            let s = r.robustness.as_ref();
            c.share.append_option(s.map(|s| s.top_k_share));
            c.p5.append_option(s.map(|s| s.rank_interval[0]));
            c.p95.append_option(s.map(|s| s.rank_interval[1]));
            c.group.append_option(s.map(|s| s.group));
        }
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
        if let Some(c) = self.robustness {
            cols.push(c.share.finish().into_series().into_column());
            cols.push(c.p5.finish().into_series().into_column());
            cols.push(c.p95.finish().into_series().into_column());
            cols.push(c.group.finish().into_series().into_column());
        }
        for b in self.utilities {
            cols.push(b.finish().into_series().into_column());
        }
        Ok(DataFrame::new(height, cols)?)
    }
}

fn result_schema(layout: Layout) -> Schema {
    let mut fields = vec![
        Field::new("profile_id".into(), DataType::String),
        Field::new("rank".into(), DataType::UInt32),
        Field::new("ags".into(), DataType::String),
        Field::new("name".into(), DataType::String),
        Field::new("score".into(), DataType::Float64),
    ];
    if layout.robustness {
        let [share, p5, p95, group] = ROBUSTNESS_COLUMNS;
        fields.push(Field::new(share.into(), DataType::Float64));
        for c in [p5, p95, group] {
            fields.push(Field::new(c.into(), DataType::UInt32));
        }
    }
    if layout.with_criteria {
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
pub(crate) fn parquet_writer<W: Write>(
    file: W,
    schema: &Schema,
    mut key_values: Vec<(String, String)>,
) -> Result<BatchedWriter<W>> {
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
    pub fn create(path: &Path, layout: Layout, meta: &Meta) -> Result<Self> {
        let (staged, file, name) = open_target(path)?;
        let writer = parquet_writer(file, &result_schema(layout), meta.key_values()?)?;
        Ok(ParquetSink {
            staged,
            name,
            writer,
            layout,
            buf: Columns::new(layout),
        })
    }

    fn flush(&mut self) -> Result<()> {
        if self.buf.rows == 0 {
            return Ok(());
        }
        let full = std::mem::replace(&mut self.buf, Columns::new(self.layout));
        let df = full.into_frame()?;
        self.writer
            .write_batch(&df)
            .with_context(|| format!("writing {}", self.name))?;
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
            .with_context(|| format!("finishing {}", self.name))?;
        let ParquetSink { staged, writer, .. } = *self;
        // Unbuffered: every page went straight to the file, so closing it loses nothing.
        drop(writer);
        match staged {
            Some(s) => s.commit(),
            None => std::io::stdout()
                .flush()
                .context("writing the results to standard output"),
        }
    }
}

pub(crate) struct CsvSink {
    /// None when writing to standard output (then no metadata file either).
    staged: Option<Staged>,
    name: String,
    meta_staged: Option<(Staged, File)>,
    meta: Meta,
    writer: csv::Writer<BufWriter<Out>>,
    line: String,
}

impl CsvSink {
    pub fn create(path: &Path, layout: Layout, meta: &Meta) -> Result<Self> {
        let (staged, file, name) = open_target(path)?;
        let meta_staged = match staged {
            Some(_) => Some(Staged::create(&meta_path(path))?),
            None => None,
        };
        let mut writer =
            csv::WriterBuilder::new().from_writer(BufWriter::with_capacity(1 << 20, file));
        writer.write_record(result_columns(layout))?;
        Ok(CsvSink {
            staged,
            name,
            meta_staged,
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
                if self.meta.robustness.is_some() {
                    match &r.robustness {
                        Some(x) => {
                            self.line.clear();
                            let _ = write!(self.line, "{}", x.top_k_share);
                            w.write_field(&self.line)?;
                            for v in [x.rank_interval[0], x.rank_interval[1], x.group] {
                                self.line.clear();
                                let _ = write!(self.line, "{v}");
                                w.write_field(&self.line)?;
                            }
                        }
                        None => {
                            for _ in ROBUSTNESS_COLUMNS {
                                w.write_field("")?;
                            }
                        }
                    }
                }
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

    fn finish(self: Box<Self>) -> Result<()> {
        let CsvSink {
            staged,
            name,
            meta_staged,
            meta,
            mut writer,
            ..
        } = *self;
        writer.flush().with_context(|| format!("writing {name}"))?;
        let inner = writer
            .into_inner()
            .map_err(|e| anyhow!("writing {name}: {}", e.error()))?;
        let mut out = inner
            .into_inner()
            .map_err(|e| anyhow!("writing {name}: {}", e.error()))?;
        out.flush().with_context(|| format!("writing {name}"))?;
        if let Out::File(f) = &out {
            f.sync_all().ok();
        }
        let Some(staged) = staged else {
            return Ok(());
        };
        let (meta_staged, mut mf) = meta_staged.context("the metadata file is not staged")?;
        mf.write_all(serde_json::to_string_pretty(&meta)?.as_bytes())?;
        mf.write_all(b"\n")?;
        drop(mf);
        staged.commit()?;
        meta_staged.commit()
    }
}

/// `<out>.rejects.csv`: `profile_id, line, field, reason, allowed` for every profile that
/// could not be ranked. Always written (with only its header when nothing was rejected), so a
/// stale file from an earlier run never survives. With `--out -` the same CSV goes to standard
/// error.
const REJECTS_HEADER: [&str; 5] = ["profile_id", "line", "field", "reason", "allowed"];

pub(crate) struct Rejects {
    staged: Option<Staged>,
    writer: csv::Writer<BufWriter<Out>>,
    pub count: u64,
}

impl Rejects {
    pub fn create(out: &Path) -> Result<Self> {
        let (staged, file) = if is_stdout(out) {
            (None, Out::Stderr(std::io::stderr()))
        } else {
            let (s, f) = Staged::create(&rejects_path(out))?;
            (Some(s), Out::File(f))
        };
        let mut writer = csv::Writer::from_writer(BufWriter::new(file));
        // On standard error the header comes with the first reject, so a clean run adds nothing.
        if staged.is_some() {
            writer.write_record(REJECTS_HEADER)?;
        }
        Ok(Rejects {
            staged,
            writer,
            count: 0,
        })
    }

    pub fn write(&mut self, outcomes: &[Outcome<'_>]) -> Result<()> {
        for o in outcomes {
            if let Err(e) = &o.result {
                if self.count == 0 && self.staged.is_none() {
                    self.writer.write_record(REJECTS_HEADER)?;
                }
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
        self.writer.flush().context("writing the rejects")?;
        drop(self.writer);
        match self.staged {
            Some(s) => s.commit(),
            None => Ok(()),
        }
    }
}

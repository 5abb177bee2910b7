//! Batch rankings for researchers (`lotse batch`, `POST /api/v1/batch`, `lotse profiles grid`):
//! many household profiles in, the top k municipalities of each out, in long format.
//!
//! The pipeline streams, so memory stays bounded whatever the size of the input:
//!
//! ```text
//! reader thread ──chunks of raw records──▶ ranking (rayon, in parallel within a chunk)
//!        ──ranked chunks, in input order──▶ writer thread (results, rejects)
//! ```
//!
//! Both channels hold at most two chunks, so at most about six chunks are alive at once. A
//! profile is parsed in the ranking stage (not by the reader), ranked with
//! [`scoring::RankOptions::bare`] (or with explanations of the top k when utilities per
//! criterion are asked for, and with the robustness draws when `--robustness` asks for them),
//! and reduced to its top k rows at once. Results are written in
//! input order, so the output does not depend on the number of threads.
//!
//! - [`input`]: profile files (CSV, JSON Lines, Parquet) and the flat column layout.
//! - [`scoring::batch`]: a profile's top rows, the result columns and the metadata, shared
//!   with the Python package (re-exported here and in [`output`]).
//! - [`output`]: results (Parquet, CSV), rejects, metadata.
//! - [`grid`]: the explicit profile-grid generator for sensitivity studies.

pub mod grid;
pub mod input;
pub mod output;

use anyhow::{Context, Result, anyhow, bail};
use indicatif::{ProgressBar, ProgressStyle};
use input::{InputFormat, ProfileSource, RawChunk};
use output::{CsvSink, Layout, Meta, OutputFormat, ParquetSink, Rejects, Sink};
use rayon::prelude::*;
use scoring::atlas::Atlas;
use scoring::{ProfileError, Ranker};
use serde::Serialize;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::sync_channel;
use std::time::Instant;

/// Profiles per chunk unless told otherwise: large enough to keep every core busy between two
/// hand-overs, small enough that a chunk's results take a few megabytes.
pub const DEFAULT_CHUNK: usize = 8192;

pub use scoring::batch::{MAX_TOP_K, RowRobustness, TopRow, robustness, top_rows, top_rows_with};

/// One profile's result: its rows, or why it was rejected.
pub struct Outcome<'r> {
    pub id: String,
    /// Line (CSV, JSON Lines) or row (Parquet) of the profile in the input.
    pub line: u64,
    pub result: Result<Vec<TopRow<'r>>, ProfileError>,
}

/// Everything `lotse batch` needs besides the atlas.
#[derive(Clone, Debug)]
pub struct BatchOptions {
    pub profiles: PathBuf,
    /// By the extension of `profiles` when none.
    pub input_format: Option<InputFormat>,
    pub out: PathBuf,
    /// By the extension of `out` when none.
    pub output_format: Option<OutputFormat>,
    pub top_k: usize,
    pub with_criteria: bool,
    /// Add the robustness columns (SMAA draws per profile; far slower, so off by default).
    pub robustness: bool,
    pub chunk_size: usize,
    /// Ranking threads; the global rayon pool (one per core) when none.
    pub threads: Option<usize>,
    /// Show a progress bar (only ever on a terminal).
    pub progress: bool,
    /// The command line, recorded in the result's metadata.
    pub command: String,
    /// Where the atlas came from, recorded in the metadata.
    pub atlas_origin: String,
}

impl BatchOptions {
    /// Options with the defaults of the command line for `profiles` → `out`.
    pub fn new(profiles: impl Into<PathBuf>, out: impl Into<PathBuf>) -> Self {
        BatchOptions {
            profiles: profiles.into(),
            input_format: None,
            out: out.into(),
            output_format: None,
            top_k: 10,
            with_criteria: false,
            robustness: false,
            chunk_size: DEFAULT_CHUNK,
            threads: None,
            progress: false,
            command: String::new(),
            atlas_origin: String::new(),
        }
    }
}

/// What a run did.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Summary {
    /// Profiles in the input.
    pub read: u64,
    /// Profiles ranked (written to the results).
    pub ranked: u64,
    /// Profiles rejected (written to the rejects file).
    pub rejected: u64,
    /// Ranked profiles for which no municipality is left (every one excluded by a hard limit
    /// or below the coverage threshold): they have no rows in the results.
    pub without_rows: u64,
    /// Rows written to the results.
    pub rows: u64,
    /// Wall-clock time of the whole run (reading, ranking, writing).
    pub seconds: f64,
    /// Profiles read per second of wall-clock time.
    pub profiles_per_second: f64,
}

/// Largest chunk (`--chunk-size`): a chunk of raw profiles and its results are held a few at a
/// time, so this bounds memory (about 1 GB of results at `--top-k 10` with criteria).
pub const MAX_CHUNK: usize = 1_000_000;
/// Most ranking threads (`--threads`).
pub const MAX_THREADS: usize = 1024;

/// What the reader thread sends. The end of the input is a message of its own: a reader that
/// stops without it (an error, a panic) never looks like a complete input.
enum Read {
    Chunk(RawChunk),
    Failed(anyhow::Error),
    End,
}

enum Msg<'r> {
    Chunk(Vec<Outcome<'r>>),
    /// Everything was read and ranked: the writer may commit the files.
    Done,
}

/// The text of a panic, for the error that replaces it.
fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".into()
    }
}

fn check_range(option: &str, value: usize, max: usize) -> Result<()> {
    if !(1..=max).contains(&value) {
        bail!("{option} must be 1–{max} (got {value})");
    }
    Ok(())
}

/// Runs a batch: reads `opts.profiles`, ranks every profile over `atlas`, writes the results,
/// the rejects file and the metadata. Files appear only when the run completes: any failure
/// (a bad option, an unreadable input, a reader that errs or panics mid-file, a failed write)
/// leaves earlier files of the same names untouched and removes the temporary ones.
pub fn run(atlas: &Atlas, opts: &BatchOptions) -> Result<Summary> {
    check_options(opts)?;
    let input_format = match opts.input_format {
        Some(f) => f,
        None => InputFormat::from_path(&opts.profiles).ok_or_else(|| {
            anyhow!(
                "cannot tell the format of {} by its extension (.csv, .jsonl, .ndjson, .parquet); give --input-format",
                opts.profiles.display()
            )
        })?,
    };
    output_format(opts)?;
    check_targets(opts)?;
    let source = input::open(&opts.profiles, input_format)
        .with_context(|| format!("reading profiles from {}", opts.profiles.display()))?;
    run_source(atlas, opts, source)
}

fn check_options(opts: &BatchOptions) -> Result<()> {
    check_range("--top-k", opts.top_k, MAX_TOP_K)?;
    check_range("--chunk-size", opts.chunk_size, MAX_CHUNK)?;
    if let Some(n) = opts.threads {
        check_range("--threads", n, MAX_THREADS)?;
    }
    Ok(())
}

fn output_format(opts: &BatchOptions) -> Result<OutputFormat> {
    match opts.output_format {
        Some(f) => Ok(f),
        // Standard output has no extension: CSV unless told otherwise.
        None if output::is_stdout(&opts.out) => Ok(OutputFormat::Csv),
        None => OutputFormat::from_path(&opts.out).ok_or_else(|| {
            anyhow!(
                "cannot tell the format of {} by its extension (.parquet, .csv); give --output-format",
                opts.out.display()
            )
        }),
    }
}

/// Every file a run will replace: a regular file (or none yet), and never the input.
fn check_targets(opts: &BatchOptions) -> Result<()> {
    if output::is_stdout(&opts.out) {
        return Ok(());
    }
    output::check_target(&opts.out, &opts.profiles, "--out")?;
    output::check_target(
        &output::rejects_path(&opts.out),
        &opts.profiles,
        "the rejects file",
    )?;
    if output_format(opts)? == OutputFormat::Csv {
        output::check_target(
            &output::meta_path(&opts.out),
            &opts.profiles,
            "the metadata file",
        )?;
    }
    Ok(())
}

/// [`run`] over an already opened source (`opts.profiles` only names it in messages and is
/// kept from being overwritten): for readers of other origins, and for tests of the pipeline.
pub fn run_source(
    atlas: &Atlas,
    opts: &BatchOptions,
    mut source: Box<dyn ProfileSource>,
) -> Result<Summary> {
    check_options(opts)?;
    let output_format = output_format(opts)?;
    check_targets(opts)?;
    let ranker = Ranker::new(atlas).context("the atlas cannot be ranked")?;
    let pool = match opts.threads {
        Some(n) => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .context("cannot start the ranking threads")?,
        ),
        None => None,
    };
    let layout = Layout {
        with_criteria: opts.with_criteria,
        robustness: opts.robustness,
    };
    let meta = Meta::new(
        atlas.input_hash.clone(),
        opts.atlas_origin.clone(),
        opts.top_k,
        layout,
        opts.command.clone(),
    );
    let mut sink: Box<dyn Sink<'_>> = match output_format {
        OutputFormat::Parquet => Box::new(ParquetSink::create(&opts.out, layout, &meta)?),
        OutputFormat::Csv => Box::new(CsvSink::create(&opts.out, layout, &meta)?),
    };
    let mut rejects = Rejects::create(&opts.out)?;

    let bar = if opts.progress && std::io::stderr().is_terminal() {
        let b = ProgressBar::new(source.progress().1.max(1));
        b.set_style(
            ProgressStyle::with_template("{bar:25} {percent:>3}% {msg}, {eta} left")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    } else {
        ProgressBar::hidden()
    };
    let position = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let chunk = opts.chunk_size;
    let k = opts.top_k;
    let ranker = &ranker;

    let summary = std::thread::scope(|s| -> Result<Summary> {
        let (raw_tx, raw_rx) = sync_channel::<Read>(2);
        let (out_tx, out_rx) = sync_channel::<Msg<'_>>(2);
        let pos = position.clone();
        let reader = s.spawn(move || {
            loop {
                let next = source.next_chunk(chunk);
                pos.store(source.progress().0, Ordering::Relaxed);
                let (msg, last) = match next {
                    Ok(Some(c)) => (Read::Chunk(c), false),
                    Ok(None) => (Read::End, true),
                    Err(e) => (Read::Failed(e), true),
                };
                if raw_tx.send(msg).is_err() || last {
                    break;
                }
            }
        });
        let wbar = bar.clone();
        let writer = s.spawn(move || -> Result<Summary> {
            let mut sum = Summary::default();
            for msg in out_rx {
                match msg {
                    Msg::Chunk(outs) => {
                        sink.write(&outs)?;
                        rejects.write(&outs)?;
                        for o in &outs {
                            sum.read += 1;
                            if let Ok(rows) = &o.result {
                                sum.ranked += 1;
                                sum.rows += rows.len() as u64;
                                if rows.is_empty() {
                                    sum.without_rows += 1;
                                }
                            }
                        }
                        let secs = started.elapsed().as_secs_f64().max(1e-9);
                        wbar.set_message(format!(
                            "{} profiles, {:.0}/s",
                            sum.read,
                            sum.read as f64 / secs
                        ));
                    }
                    Msg::Done => {
                        sink.finish()?;
                        sum.rejected = rejects.count;
                        rejects.finish()?;
                        return Ok(sum);
                    }
                }
            }
            // The ranking stage stopped early: nothing is committed (the temporary files go).
            Err(anyhow!("the run stopped before the end of the input"))
        });

        let rank_chunk = |raw: &RawChunk| -> Vec<Outcome<'_>> {
            (0..raw.len())
                .into_par_iter()
                .map(|i| {
                    let p = raw.parse(i);
                    Outcome {
                        result: p
                            .profile
                            .and_then(|profile| top_rows_with(ranker, &profile, k, layout)),
                        id: p.id,
                        line: p.line,
                    }
                })
                .collect()
        };
        let mut failure = None;
        let mut ended = false;
        for msg in &raw_rx {
            let raw = match msg {
                Read::Chunk(r) => r,
                Read::Failed(e) => {
                    failure = Some(e);
                    break;
                }
                Read::End => {
                    ended = true;
                    break;
                }
            };
            let outs = match &pool {
                Some(p) => p.install(|| rank_chunk(&raw)),
                None => rank_chunk(&raw),
            };
            bar.set_position(position.load(Ordering::Relaxed));
            if out_tx.send(Msg::Chunk(outs)).is_err() {
                break;
            }
        }
        // A reader still sending (the writer failed) stops at its next send.
        drop(raw_rx);
        if let Err(p) = reader.join() {
            failure = failure.or_else(|| {
                Some(anyhow!(
                    "the reader stopped with a panic: {}",
                    panic_text(p.as_ref())
                ))
            });
        }
        if failure.is_none() && ended {
            let _ = out_tx.send(Msg::Done);
        }
        drop(out_tx);
        let written = writer
            .join()
            .map_err(|p| anyhow!("the writer thread panicked: {}", panic_text(p.as_ref())));
        if let Some(e) = failure {
            let kept = if output::is_stdout(&opts.out) {
                "the results on standard output are incomplete"
            } else {
                "no file was replaced"
            };
            return Err(e.context(format!(
                "reading profiles from {} ({kept})",
                opts.profiles.display()
            )));
        }
        written?
    })?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    Ok(Summary {
        seconds,
        profiles_per_second: summary.read as f64 / seconds.max(1e-9),
        ..summary
    })
}

//! `lotse batch` (many profiles in, the top k of each out) and `lotse profiles grid` (a profile
//! grid for sensitivity studies). The work is in [`crate::batch`]; this is the command line.

use crate::atlas_source::AtlasArgs;
use crate::batch::grid::{self, GridSpec};
use crate::batch::input::InputFormat;
use crate::batch::output::is_stdout;
use crate::batch::output::{OutputFormat, rejects_path};
use crate::batch::{self, BatchOptions, DEFAULT_CHUNK, MAX_CHUNK, MAX_THREADS, MAX_TOP_K};
use anyhow::{Result, anyhow};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct BatchArgs {
    /// Profiles: CSV (one column per field, see README), JSON Lines, or Parquet.
    #[arg(long, value_name = "FILE")]
    pub profiles: PathBuf,
    /// Results in long format: Parquet or CSV (by extension). Rejected profiles go to
    /// `<out>.rejects.csv`; a CSV result gets its metadata in `<out>.meta.json`. `-`: standard
    /// output (CSV unless --output-format parquet; rejects then go to standard error). An
    /// existing FILE is replaced only when the run completes, and only if it is a regular file
    /// other than --profiles.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Rows kept per profile: its best k municipalities (1–1000).
    #[arg(long, default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=MAX_TOP_K as u64))]
    pub top_k: u64,
    /// Add one utility column (0–100) per criterion, named by criterion id. Slower: the top
    /// rows are explained to get them.
    #[arg(long)]
    pub with_criteria: bool,
    /// Add the robustness of each kept row: `top_k_share` (share of 10,000 draws of weights
    /// and estimated inputs in which it is in the top k), `rank_p5`/`rank_p95` (its rank
    /// interval) and `group` (rows whose intervals overlap), as `lotse rank` shows them. Far
    /// slower (milliseconds per profile instead of microseconds), so off by default.
    #[arg(long)]
    pub robustness: bool,
    /// Format of --profiles [default: by its extension].
    #[arg(long, value_enum)]
    pub input_format: Option<InputFormat>,
    /// Format of --out [default: by its extension].
    #[arg(long, value_enum)]
    pub output_format: Option<OutputFormat>,
    /// Ranking threads, 1–1024 [default: one per core].
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=MAX_THREADS as u64))]
    pub threads: Option<u64>,
    /// Profiles per chunk (1–1000000): memory grows with it, per-chunk overhead shrinks.
    #[arg(long, default_value_t = DEFAULT_CHUNK as u64,
          value_parser = clap::value_parser!(u64).range(1..=MAX_CHUNK as u64))]
    pub chunk_size: u64,
    /// No progress bar (it is shown only on a terminal anyway).
    #[arg(long, short)]
    pub quiet: bool,
    #[command(flatten)]
    pub atlas: AtlasArgs,
}

/// The command line as typed, for the result's metadata (arguments with spaces quoted).
fn command_line() -> String {
    std::env::args()
        .map(|a| {
            if a.is_empty() || a.contains(|c: char| c.is_whitespace() || c == '\'' || c == '"') {
                format!("'{}'", a.replace('\'', r"'\''"))
            } else {
                a
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn run(a: BatchArgs) -> Result<ExitCode> {
    let loaded = a.atlas.load()?;
    let opts = BatchOptions {
        input_format: a.input_format,
        output_format: a.output_format,
        // Within usize: clap checked the ranges above.
        top_k: a.top_k as usize,
        with_criteria: a.with_criteria,
        robustness: a.robustness,
        chunk_size: a.chunk_size as usize,
        threads: a.threads.map(|n| n as usize),
        progress: !a.quiet,
        command: command_line(),
        atlas_origin: loaded.origin.clone(),
        ..BatchOptions::new(&a.profiles, &a.out)
    };
    let s = batch::run(&loaded.atlas, &opts)?;
    // With the results on standard output, the summary goes to standard error.
    let to_stdout = is_stdout(&a.out);
    let say = |line: String| {
        if to_stdout {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    };
    say(format!(
        "profiles read {}, ranked {}, rejected {}{}; {} rows in {:.2} s ({:.0} profiles/s)",
        s.read,
        s.ranked,
        s.rejected,
        if s.without_rows > 0 {
            format!(
                " ({} ranked with no municipality left by their hard limits)",
                s.without_rows
            )
        } else {
            String::new()
        },
        s.rows,
        s.seconds,
        s.profiles_per_second
    ));
    if to_stdout {
        if s.rejected > 0 {
            say("rejected profiles with reasons: above, on standard error".into());
        }
    } else {
        say(format!("results: {}", a.out.display()));
        if s.rejected > 0 {
            say(format!(
                "rejected profiles with reasons: {}",
                rejects_path(&a.out).display()
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Subcommand, Debug)]
pub enum ProfilesCommand {
    /// Write the Cartesian product of profile fields as a profiles file (research scenarios,
    /// not data). Values: lists `1,2`, ranges `600..1400:100`, `none` for "field left out".
    Grid(GridArgs),
}

#[derive(clap::Args, Debug)]
pub struct GridArgs {
    /// Adults, e.g. `1,2`.
    #[arg(long)]
    pub adults: String,
    /// Children variants separated by `;`, ages by `,`: `none;3;3,7`.
    #[arg(long)]
    pub children: Option<String>,
    /// Monthly cold-rent budget in €: `600..1400:100`, `none,900`.
    #[arg(long)]
    pub budget: Option<String>,
    /// Monthly net household income in €.
    #[arg(long)]
    pub income: Option<String>,
    /// Living space in m².
    #[arg(long)]
    pub living_space: Option<String>,
    /// Workplace variants separated by `;`, several places joined by `+`:
    /// `none;Dresden;Leipzig+14713000`.
    #[arg(long)]
    pub workplace: Option<String>,
    /// Maximum commute in km (combinations without a workplace are skipped).
    #[arg(long)]
    pub max_commute_km: Option<String>,
    /// `true,false`.
    #[arg(long)]
    pub car: Option<String>,
    /// `none,village,small_town,town,city`.
    #[arg(long)]
    pub town_size: Option<String>,
    /// `arithmetic,geometric`.
    #[arg(long)]
    pub aggregation: Option<String>,
    /// A criterion's weights, repeatable: `--weight leisure=0,3,5`.
    #[arg(long = "weight", value_name = "CRITERION=VALUES")]
    pub weights: Vec<String>,
    /// Output: .csv, .jsonl or .parquet.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Format of --out [default: by its extension].
    #[arg(long, value_enum)]
    pub format: Option<InputFormat>,
}

impl GridArgs {
    /// The grid the options describe.
    pub fn spec(&self) -> Result<GridSpec> {
        let nums = |what: &str, v: &Option<String>| -> Result<Vec<Option<f64>>> {
            v.as_deref()
                .map(|s| grid::parse_numbers(what, s))
                .transpose()
                .map(Option::unwrap_or_default)
        };
        Ok(GridSpec {
            adults: grid::parse_whole("--adults", &self.adults)?,
            children: self
                .children
                .as_deref()
                .map(grid::parse_children)
                .transpose()?
                .unwrap_or_default(),
            rent_budget_eur: nums("--budget", &self.budget)?,
            income_eur: nums("--income", &self.income)?,
            living_space_m2: nums("--living-space", &self.living_space)?,
            workplace: self
                .workplace
                .as_deref()
                .map(grid::parse_workplaces)
                .transpose()?
                .unwrap_or_default(),
            max_commute_km: nums("--max-commute-km", &self.max_commute_km)?,
            car: self
                .car
                .as_deref()
                .map(|s| grid::parse_bools("--car", s))
                .transpose()?
                .unwrap_or_default(),
            town_size: self
                .town_size
                .as_deref()
                .map(grid::parse_town_sizes)
                .transpose()?
                .unwrap_or_default(),
            aggregation: self
                .aggregation
                .as_deref()
                .map(grid::parse_aggregations)
                .transpose()?
                .unwrap_or_default(),
            weights: self
                .weights
                .iter()
                .map(|w| grid::parse_weight(w))
                .collect::<Result<_>>()?,
        })
    }
}

pub fn profiles(c: ProfilesCommand) -> Result<ExitCode> {
    match c {
        ProfilesCommand::Grid(a) => {
            let spec = a.spec()?;
            let format = match a.format {
                Some(f) => f,
                None => InputFormat::from_path(&a.out).ok_or_else(|| {
                    anyhow!(
                        "cannot tell the format of {} by its extension (.csv, .jsonl, .parquet); give --format",
                        a.out.display()
                    )
                })?,
            };
            let s = grid::write(&spec, &a.out, format)?;
            println!(
                "{} profiles written to {} ({} combinations)",
                s.written,
                a.out.display(),
                s.combinations
            );
            for (reason, n) in &s.skipped {
                println!("skipped {n} combinations that are not valid profiles: {reason}");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

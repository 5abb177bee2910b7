//! The command line: one module per command group. Each command returns an exit code; errors
//! carry context and are printed once by `main`.

mod atlas;
mod batch;
mod data;
mod ingest;
mod rank;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "lotse",
    version,
    about = "Where should we live? Ranks every Saxon municipality for one household — with reasons and sources."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the atlas from the raw open data and print the data-quality report.
    Ingest(ingest::IngestArgs),
    /// Check the raw data directory.
    #[command(subcommand)]
    Data(data::DataCommand),
    /// Look into the atlas: one municipality, or all of it as CSV/GeoJSON/JSON.
    #[command(subcommand)]
    Atlas(atlas::AtlasCommand),
    /// List every data source with its publisher, licence and reference date.
    Sources(atlas::SourcesArgs),
    /// Rank every municipality for one household profile, with reasons.
    Rank(rank::RankArgs),
    /// Compare 2–6 municipalities side by side for one household.
    Compare(rank::CompareArgs),
    /// Serve the web page and the JSON API.
    Serve(crate::server::ServeArgs),
    /// Rank many profiles (CSV, JSON Lines, Parquet) and write the top k of each (Parquet, CSV).
    Batch(batch::BatchArgs),
    /// Generate profile files for batch runs.
    #[command(subcommand)]
    Profiles(batch::ProfilesCommand),
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Ingest(a) => ingest::run(a),
        Command::Data(c) => data::run(c),
        Command::Atlas(c) => atlas::run(c),
        Command::Sources(a) => atlas::sources(a),
        Command::Serve(a) => crate::server::run(a),
        Command::Rank(a) => rank::rank(a),
        Command::Compare(a) => rank::compare(a),
        Command::Batch(a) => batch::run(a),
        Command::Profiles(c) => batch::profiles(c),
    }
}

/// Output language of human-readable text.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    De,
    #[default]
    En,
}

/// Shortens text to `n` characters, marking the cut with an ellipsis.
pub(crate) fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

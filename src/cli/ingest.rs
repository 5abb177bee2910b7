//! `lotse ingest`: raw data → atlas (+ boundaries + data-quality report).

use anyhow::{Context, Result};
use datasets::atlas_file;
use datasets::ingest::{IngestOptions, STAGES, ingest};
use datasets::manifest::{repo_root, resolve_data_dir};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct IngestArgs {
    /// The raw data directory [default: $LOTSE_DATA, else ../shared/data/raw beside the repository].
    #[arg(long, value_name = "DIR", env = "LOTSE_DATA")]
    pub data_dir: Option<PathBuf>,
    /// Also read facilities from this OpenStreetMap PBF extract.
    #[arg(long, value_name = "FILE.osm.pbf")]
    pub osm: Option<PathBuf>,
    /// Write the atlas here instead of the cache (target/lotse/atlas-<hash>.json).
    #[arg(long, value_name = "FILE", conflicts_with = "update_bundled")]
    pub out: Option<PathBuf>,
    /// Overwrite the bundled atlas in atlas/ (for maintainers updating the default data).
    #[arg(long)]
    pub update_bundled: bool,
    /// Print only the summary line, not the full data-quality report.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(a: IngestArgs) -> Result<ExitCode> {
    let data_dir = resolve_data_dir(a.data_dir.as_deref());
    let bar = ProgressBar::new(STAGES);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let started = std::time::Instant::now();
    let built = ingest(
        &IngestOptions {
            data_dir: data_dir.clone(),
            osm_pbf: a.osm.clone(),
        },
        &mut |stage| {
            bar.inc(1);
            bar.set_message(stage.to_string());
        },
    );
    bar.finish_and_clear();
    if built.is_err() {
        // Files that differ from the manifest are the likely cause: name them (even with -q).
        warn_mismatches(&mismatches_in(&data_dir));
    }
    let built = built.with_context(|| {
        format!(
            "ingest of {} failed (nothing was written)",
            data_dir.display()
        )
    })?;
    let elapsed = started.elapsed();

    let atlas_path = if a.update_bundled {
        repo_root()
            .join(atlas_file::BUNDLED_DIR)
            .join(atlas_file::BUNDLED_ATLAS_FILE)
    } else {
        a.out
            .clone()
            .unwrap_or_else(|| atlas_file::cache_path(&built.atlas.input_hash))
    };
    let boundaries_path = if a.update_bundled {
        repo_root()
            .join(atlas_file::BUNDLED_DIR)
            .join(atlas_file::BUNDLED_BOUNDARIES_FILE)
    } else {
        crate::atlas_source::boundaries_path(&atlas_path)
    };
    let report_path = atlas_path.with_extension("report.json");
    atlas_file::write_atomic(&boundaries_path, &built.boundaries_geojson)?;
    atlas_file::write_atomic(&report_path, &serde_json::to_string_pretty(&built.report)?)?;
    let json = atlas_file::to_json(&built.atlas);
    if a.update_bundled || a.out.is_some() {
        atlas_file::write_atomic(&atlas_path, &json)?;
    } else {
        // The cache is read back only when its checksum matches (see atlas_source).
        atlas_file::write_checked(&atlas_path, &json)?;
    }

    if !a.quiet {
        println!("{}", built.report);
    }
    // Also with -q: a file whose bytes differ from the manifest must not pass unseen.
    warn_mismatches(&built.report.manifest_mismatches);
    println!(
        "Built the atlas of {} municipalities × {} indicators from {} in {:.2} s.",
        built.atlas.municipalities.len(),
        built.atlas.indicators.len(),
        data_dir.display(),
        elapsed.as_secs_f64()
    );
    println!("  atlas:      {}", atlas_path.display());
    println!("  boundaries: {}", boundaries_path.display());
    println!("  report:     {}", report_path.display());
    println!("Next: `lotse atlas show Dresden` to see one municipality with every source.");
    Ok(ExitCode::SUCCESS)
}

/// Prints each "file differs from the manifest" line to stderr.
fn warn_mismatches(lines: &[String]) {
    for m in lines {
        eprintln!("warning: {m}");
    }
}

/// The manifest-mismatch lines of a data directory (after a failed ingest, which returns no
/// report).
fn mismatches_in(dir: &std::path::Path) -> Vec<String> {
    let Ok(manifest) = datasets::manifest::Manifest::default_manifest() else {
        return Vec::new();
    };
    manifest
        .verify(dir)
        .into_iter()
        .filter_map(|(e, check)| match check {
            datasets::manifest::FileCheck::Mismatch { actual, .. } => Some(format!(
                "{} ({}): SHA-256 {actual} differs from the manifest",
                e.file, e.id
            )),
            _ => None,
        })
        .collect()
}

//! `lotse data verify`: is the data directory the one the manifest describes?

use anyhow::Result;
use datasets::manifest::{FileCheck, Manifest, resolve_data_dir};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum DataCommand {
    /// Check every raw file against the manifest's SHA-256 and name each missing or changed one.
    Verify {
        /// The raw data directory [default: $LOTSE_DATA, else ../shared/data/raw].
        #[arg(long, value_name = "DIR", env = "LOTSE_DATA")]
        data_dir: Option<PathBuf>,
    },
}

pub fn run(c: DataCommand) -> Result<ExitCode> {
    match c {
        DataCommand::Verify { data_dir } => {
            let dir = resolve_data_dir(data_dir.as_deref());
            let manifest = Manifest::default_manifest()?;
            let checks = manifest.verify(&dir);
            let mut bad = 0;
            for (entry, check) in &checks {
                match check {
                    FileCheck::Ok => println!("ok        {}", entry.file),
                    FileCheck::Missing => {
                        bad += 1;
                        println!("MISSING   {}", entry.file)
                    }
                    FileCheck::Mismatch { expected, actual } => {
                        bad += 1;
                        println!(
                            "CHANGED   {} (sha256 {actual}, manifest {expected})",
                            entry.file
                        )
                    }
                }
            }
            println!(
                "{} of {} files match the manifest in {}",
                checks.len() - bad,
                checks.len(),
                dir.display()
            );
            Ok(if bad == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

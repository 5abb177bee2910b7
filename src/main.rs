//! `lotse`: ranks every Saxon municipality for one household, explains each rank, and shows
//! where every figure comes from. See README.md for the commands and ARCHITECTURE.md for the map
//! of the code.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let args = lotse::cli::Cli::parse();
    match lotse::cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(2)
        }
    }
}

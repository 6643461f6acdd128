//! The `rrm` binary: parses the command line, runs one command, maps failures to exit codes.

mod backend;
mod cli;
mod clock;
mod commands;
mod database_url;
mod exit;
mod open;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("rrm: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

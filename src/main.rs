//! The `ddlc` binary: parse the command line, run it, exit with its code.
//! Everything else lives in the library (`ddlc::cli`).

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    ddlc::cli::run(ddlc::cli::Cli::parse())
}

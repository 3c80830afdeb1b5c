//! The `ddlc` binary: parse the command line, run it, exit with its code.
//! Everything else lives in the library (`ddlc::cli`).

use std::process::ExitCode;

fn main() -> ExitCode {
    ddlc::cli::main(std::env::args_os())
}

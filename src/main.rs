//! The `ddlc` binary: parse the command line, run it, exit with its code.
//! Everything else lives in the library (`ddlc::cli`).

use std::process::ExitCode;

// A compile makes millions of small, short-lived allocations (names, template
// values, statements); mimalloc serves them much faster than glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    ddlc::cli::main(std::env::args_os())
}

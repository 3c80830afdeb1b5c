//! `ddlc upgrade` and `ddlc downgrade`: one script for a range, to stdout or
//! `-o FILE`, or release artifacts per revision (`--split DIR`).

use super::{output, print_stdout, term::plural, Ctx, Failure, OutputArgs};
use crate::compile::{self, Request};
use crate::diag::Diagnostics;
use crate::graph::Direction;
use crate::release;

/// What a failure leaves undone.
pub(super) const NOTHING_WRITTEN: &str = " (no script written)";

/// The same for `--split`.
const NO_RELEASE: &str = " (no release folder written)";

/// Compiles `range` in `direction` and writes the script.
pub(super) fn run(
    ctx: &Ctx,
    direction: Direction,
    range: String,
    transaction_per_migration: bool,
    output: OutputArgs,
) -> Result<(), Failure> {
    let mut config = ctx.config()?;
    config.transaction_per_migration |= transaction_per_migration;
    let project = ctx.load(&config, Some(output.policy()), NOTHING_WRITTEN)?;
    // The target is the command line's, not the migrations': check it first,
    // so its errors exit as usage errors.
    let planned = match direction {
        Direction::Upgrade => project.graph.plan_upgrade(&range),
        Direction::Downgrade => project.graph.plan_downgrade(&range),
    };
    if let Err(d) = planned {
        return Err(ctx.usage(d, &project.sources, NOTHING_WRITTEN));
    }
    let request = Request {
        direction,
        range,
        dialect: output.dialect.unwrap_or(config.dialect),
        templates: output.templates.as_ref().map(|t| ctx.cwd.join(t)),
    };
    let mut diags = Diagnostics::new();
    if let Some(dir) = &output.split {
        let files = release::artifacts(&project, &config, &request, &mut diags)
            .map_err(|f| ctx.abort(f, &diags, &project.sources, NO_RELEASE))?;
        let scripts = files.len() - 1;
        let files: Vec<(String, String)> = files.into_iter().map(|a| (a.name, a.text)).collect();
        output::replace_dir(dir, &ctx.cwd, &files, release::is_artifact_name)
            .map_err(Failure::Error)?;
        ctx.term.info(&format!(
            "wrote {} and {} to {dir}",
            plural(scripts, "script"),
            release::MANIFEST
        ));
        return Ok(());
    }
    let text = compile::compile(&project, &config, &request, &mut diags)
        .map_err(|f| ctx.abort(f, &diags, &project.sources, NOTHING_WRITTEN))?;
    let written = write(ctx, &output, &text);
    // The process ends here: freeing every revision's syntax one by one
    // (tens of thousands of small allocations on a long history) buys nothing.
    std::mem::forget(project);
    written
}

/// Writes a script where `-o` says (stdout by default).
pub(super) fn write(ctx: &Ctx, output: &OutputArgs, text: &str) -> Result<(), Failure> {
    match &output.output {
        Some(path) if path != "-" => output::write(path, &ctx.cwd, text).map_err(Failure::Error),
        _ => print_stdout(text),
    }
}

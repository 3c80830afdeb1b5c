//! `ddlc stamp TARGET... | FROM:TO`: only the version-table SQL (see [`crate::stamp`]).

use super::scripts::{write, NOTHING_WRITTEN};
use super::{Ctx, Failure, OutputArgs};
use crate::diag::Diagnostics;
use crate::stamp::{self, Request};

/// What `ddlc stamp --help` adds.
pub(super) const STAMP_HELP: &str = "\
Without FROM the script creates the version table (if missing) and inserts the
targets: for a database whose schema was made by other means. With FROM:TO it
moves the rows of FROM to TO, as Alembic's `stamp --sql FROM:TO`: a target's row
replaces the rows on its line (its ancestors or descendants), rows on other
branches stay, `base` deletes them all. Several targets record several heads:
`ddlc stamp heads`, `ddlc stamp ae10 billing@head`.

Targets: every form `ddlc upgrade --help` lists.

Exit codes:
  0  success
  1  problems in the migrations (diagnostics on stderr; no script written)
  2  usage: a bad argument or target, ddlc.toml, templates, or I/O";

/// Options of `ddlc stamp`.
#[derive(Debug, clap::Args)]
pub struct StampArgs {
    /// The revisions to record (`heads` for every head, `base` for none), or
    /// `FROM:TO` to move the rows of FROM to TO.
    #[arg(
        required = true,
        value_name = "TARGET|FROM:TO",
        allow_negative_numbers = true
    )]
    pub targets: Vec<String>,
    /// A transaction per step instead of one around the script (as
    /// `transaction_per_migration` in ddlc.toml).
    #[arg(long)]
    pub transaction_per_migration: bool,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `ddlc stamp`.
pub(super) fn run(ctx: &Ctx, args: StampArgs) -> Result<(), Failure> {
    let mut config = ctx.config()?;
    config.transaction_per_migration |= args.transaction_per_migration;
    let project = ctx.load(&config, Some(args.output.policy()), NOTHING_WRITTEN)?;
    let request = Request {
        targets: args.targets,
        dialect: args.output.dialect.unwrap_or(config.dialect),
        templates: args.output.templates.as_ref().map(|t| ctx.cwd.join(t)),
    };
    let mut diags = Diagnostics::new();
    let text = stamp::compile(&project, &config, &request, &mut diags)
        .map_err(|f| ctx.abort(f, &diags, &project.sources, NOTHING_WRITTEN))?;
    write(ctx, &args.output, &text)
}

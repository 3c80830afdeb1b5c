//! `ddlc report [RANGE] -d D ... -o FILE`: the review page of a range, one
//! self-contained HTML file ([`crate::report`]), to stdout or written atomically.

use super::{output, print_stdout, Ctx, Failure};
use crate::diag::Diagnostics;
use crate::dialect::Dialect;
use crate::report;
use camino::Utf8PathBuf;

/// What a failure leaves undone.
const NO_REPORT: &str = " (no report written)";

/// What `ddlc report --help` says after the options.
pub const REPORT_HELP: &str = "\
The page shows a summary (counts, the revisions to review first), the revision
graph, the manifest hashes of the --split artifacts for every dialect, and per
revision its message and doc, source file and SHA-256, its ops in words, the
schema before and after, notes, and the upgrade and downgrade SQL of each
dialect: the very scripts `upgrade --split` and `downgrade --split` write. It has
no script and no external URL, and two runs give the same bytes.

Exit codes:
  0  success
  1  problems in the migrations (diagnostics on stderr; nothing written)
  2  usage: a bad argument or RANGE, ddlc.toml, templates, or I/O";

/// Options of `ddlc report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The upgrade range to review: `TARGET` (from base) or `FROM:TO`, as for `upgrade`.
    #[arg(
        default_value = "heads",
        value_name = "TARGET|FROM:TO",
        allow_negative_numbers = true
    )]
    pub range: String,
    /// A dialect to show SQL for; repeat for several (default: `dialects` in ddlc.toml).
    #[arg(short, long = "dialect", value_enum, value_name = "DIALECT")]
    pub dialects: Vec<Dialect>,
    /// Write the page to FILE instead of stdout, atomically (as `upgrade -o`).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<Utf8PathBuf>,
    /// Folder of template overrides (`<dir>/<dialect>/<name>.sql`).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<Utf8PathBuf>,
    /// Write the page even though revision files differ from ddlc.sum (shown as warnings).
    #[arg(long)]
    pub ignore_sum: bool,
}

/// `ddlc report`.
pub(super) fn run(ctx: &Ctx, args: ReportArgs) -> Result<(), Failure> {
    let config = ctx.config()?;
    let policy = match args.ignore_sum {
        true => crate::sum::Policy::Warn,
        false => crate::sum::Policy::Enforce,
    };
    let project = ctx.load(&config, Some(policy), NO_REPORT)?;
    if let Err(d) = project.graph.plan_upgrade(&args.range) {
        return Err(ctx.usage(d, &project.sources, NO_REPORT));
    }
    let mut dialects = match args.dialects.is_empty() {
        true => config.dialects.clone(),
        false => args.dialects.clone(),
    };
    if dialects.is_empty() {
        dialects.push(config.dialect);
    }
    let mut seen = Vec::with_capacity(dialects.len());
    dialects.retain(|d| {
        let new = !seen.contains(d);
        seen.push(*d);
        new
    });
    let request = report::Request {
        range: args.range.clone(),
        dialects,
        templates: args.templates.as_ref().map(|t| ctx.cwd.join(t)),
    };
    let mut diags = Diagnostics::new();
    let built = report::build(&project, &config, &request, &mut diags)
        .map_err(|f| ctx.abort(f, &diags, &project.sources, NO_REPORT))?;
    let page = report::html::page(&built);
    match &args.output {
        Some(path) if path != "-" => output::write(path, &ctx.cwd, &page).map_err(Failure::Error),
        _ => print_stdout(&page),
    }
}

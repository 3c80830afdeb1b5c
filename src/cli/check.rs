//! `ddlc check [--json]`: runs [`crate::check`] and lists every problem, as
//! diagnostics on stderr (each saying where it was found) or as one JSON
//! report on stdout (docs/json.md). Exit 1 when any check found an error.

use super::{json, print_stdout, term::plural, Ctx, Failure};
use crate::check::{self, Problem, Report};
use crate::diag::Code;
use serde_json::json;

/// What `ddlc check --help` adds.
pub(super) const CHECK_HELP: &str = "\
Checks, in order: every revision parses and resolves and the graph links (load);
ddlc.sum matches the files (sum); for each dialect of `[project] dialects` in
ddlc.toml (default: `dialect`), `upgrade heads` and `downgrade heads:base`
compile, replaying the schema through every op and deriving every `downgrade
auto`; each hand-written `downgrade { }` brings the schema back to what it was
before its revision (downgrades); `ddlc lint` finds nothing at error severity
for those dialects (lint; its warnings are listed). A revision declared
`downgrade irreversible` is a warning; a project without ddlc.sum too.

Exit codes:
  0  every check passed (warnings allowed)
  1  a check found an error: every problem is listed
  2  usage, ddlc.toml, templates, or I/O";

/// Options of `ddlc check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Print one JSON report on stdout instead of diagnostics on stderr.
    #[arg(long)]
    pub json: bool,
    /// Report a hand-written downgrade that does not restore the schema before
    /// its revision as a warning instead of an error (exit 0).
    #[arg(long)]
    pub allow_incomplete_downgrades: bool,
}

/// `ddlc check`.
pub(super) fn run(ctx: &Ctx, args: CheckArgs) -> Result<(), Failure> {
    let config = ctx.config()?;
    let mut report = check::check(&config)?;
    if args.allow_incomplete_downgrades {
        report.allow_incomplete_downgrades();
    }
    let problems: Vec<Problem> = report.problems();
    if args.json {
        print_stdout(&format!("{}\n", report_json(&report, &problems)))?;
    } else {
        let diags: Vec<_> = problems.iter().map(located).collect();
        let (errors, warnings): (Vec<_>, Vec<_>) = diags.iter().partition(|d| d.is_error());
        if errors.is_empty() {
            ctx.term.warn(&diags, &report.sources);
            if !ctx.term.quiet {
                print_stdout(&format!("{}\n", passed(&report, warnings.len())))?;
            }
        } else {
            ctx.term.warn(
                &warnings.into_iter().cloned().collect::<Vec<_>>(),
                &report.sources,
            );
            ctx.term.abort(
                &errors.into_iter().cloned().collect::<Vec<_>>(),
                &report.sources,
                " (check failed)",
            );
        }
    }
    if report.ok() {
        Ok(())
    } else {
        // Every problem was printed above, in the report.
        Err(Failure::Reported)
    }
}

/// The diagnostic with a note saying which check found it, and for which dialects.
fn located(problem: &Problem) -> crate::diag::Diagnostic {
    let mut d = problem.diag.clone();
    let on = match &problem.dialects[..] {
        [] => String::new(),
        dialects => {
            let names: Vec<&str> = dialects.iter().map(|d| d.name()).collect();
            format!(" for {}", names.join(", "))
        }
    };
    d.notes
        .push(format!("found by check `{}`{on}", problem.check));
    d
}

/// `ok: 7 revisions (1 head); upgrade and downgrade compile for postgresql; ddlc.sum matches`.
fn passed(report: &Report, warnings: usize) -> String {
    let dialects: Vec<&str> = report.dialects.iter().map(|d| d.name()).collect();
    let lock = if report
        .outcomes
        .iter()
        .any(|o| o.diags.iter().any(|d| d.code == Code::SumMissing))
    {
        "no ddlc.sum"
    } else {
        "ddlc.sum matches"
    };
    let warned = if warnings == 0 {
        String::new()
    } else {
        format!(" ({})", plural(warnings, "warning"))
    };
    format!(
        "ok: {} ({}); upgrade and downgrade compile for {}; {lock}{warned}",
        plural(report.revisions, "revision"),
        plural(report.heads.len(), "head"),
        dialects.join(", ")
    )
}

/// The `--json` report.
fn report_json(report: &Report, problems: &[Problem]) -> serde_json::Value {
    let checks: Vec<_> = report
        .outcomes
        .iter()
        .map(|o| {
            json!({
                "check": o.check,
                "dialect": o.dialect.map(|d| d.name()),
                "range": o.range,
                "ok": o.ok(),
            })
        })
        .collect();
    let diagnostics: Vec<_> = problems
        .iter()
        .map(|p| {
            let mut value = json::diagnostic(&p.diag, &report.sources);
            value["check"] = json!(p.check);
            value["dialects"] = json!(p.dialects.iter().map(|d| d.name()).collect::<Vec<_>>());
            value
        })
        .collect();
    let errors = problems.iter().filter(|p| p.diag.is_error()).count();
    json!({
        "ok": report.ok(),
        "errors": errors,
        "warnings": problems.len() - errors,
        "revisions": report.revisions,
        "heads": report.heads,
        "dialects": report.dialects.iter().map(|d| d.name()).collect::<Vec<_>>(),
        "checks": checks,
        "diagnostics": diagnostics,
    })
}

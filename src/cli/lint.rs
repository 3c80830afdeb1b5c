//! `ddlc lint`: runs [`crate::lint`] over a range for one or more dialects and
//! prints the findings: as diagnostics on stderr (text), as one JSON report
//! or as one SARIF 2.1.0 log on stdout (`--format json|sarif`). Exit 1 when a
//! finding is at least as serious as `--fail-on` (default: `[lint] fail_on`,
//! else error).

use super::{json, print_stdout, term::plural, Ctx, Failure, Format};
use crate::diag::Severity;
use crate::dialect::Dialect;
use crate::lint::{self, Lint, Settings};
use crate::source::SourceMap;
use serde_json::json;

/// What `ddlc lint --help` adds.
pub(super) const LINT_HELP: &str = "\
Each op of each revision in the range is checked with the schema as it is
before the op, for each dialect (default: `[project] dialects`): drops, renames,
NOT NULL without a default, locks and rewrites on tables that existed before
the revision (a table created in the same revision is exempt), raw `execute`
SQL, and more; docs/lint.md lists the rules. Rules are turned off or made
errors in ddlc.toml (`[lint.rules] drop-table = \"error\"`). A finding is
silenced by a comment on the line above its op:
  # lint: allow drop-column \"the app stopped reading it in 1.4\"

Exit codes:
  0  no finding at or above --fail-on
  1  a finding at or above --fail-on (or problems in the migrations)
  2  usage: a bad argument, range or ddlc.toml, or I/O";

/// `--fail-on`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Any finding fails.
    Warning,
    /// Only an error fails.
    Error,
}

/// Options of `ddlc lint`.
#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// The upgrade range to lint: `TARGET` (from base) or `FROM:TO` (default: heads).
    #[arg(
        short,
        long,
        value_name = "TARGET|FROM:TO",
        allow_negative_numbers = true
    )]
    pub range: Option<String>,
    /// A dialect to lint for (repeatable; default: `[project] dialects`).
    #[arg(short, long, value_enum)]
    pub dialect: Vec<Dialect>,
    /// The lowest severity that fails the command.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
}

/// `ddlc lint`.
pub(super) fn run(ctx: &Ctx, args: LintArgs) -> Result<(), Failure> {
    let config = ctx.config()?;
    let settings = Settings::from_config(&config)?;
    let project = ctx.load(&config, None, " (nothing linted)")?;
    let range = args.range.unwrap_or_else(|| "heads".into());
    let dialects = match args.dialect.is_empty() {
        true => config.dialects.clone(),
        false => args.dialect,
    };
    let mut diags = crate::diag::Diagnostics::new();
    let found = match lint::lint(&project, &config, &dialects, &range, &mut diags) {
        Ok(found) => found,
        Err(Failure::Reported) => {
            let d = diags.into_vec().remove(0);
            return Err(ctx.usage(d, &project.sources, " (nothing linted)"));
        }
        Err(f) => return Err(f),
    };
    let fail_on = match args.fail_on {
        Some(FailOn::Warning) => Severity::Warning,
        Some(FailOn::Error) => Severity::Error,
        None => settings.fail_on.unwrap_or(Severity::Error),
    };
    match ctx.term.format {
        Format::Sarif => print_stdout(&format!(
            "{:#}\n",
            lint::sarif::log(&found, &settings, &project.sources)
        ))?,
        Format::Json => print_stdout(&format!(
            "{}\n",
            report_json(&found, &project.sources, &range)
        ))?,
        Format::Text => {
            let shown: Vec<_> = found.findings.iter().map(|f| f.to_diagnostic()).collect();
            ctx.term.report(&shown, &project.sources);
            if !ctx.term.quiet {
                print_stdout(&format!("{}\n", summary(&found, &range)))?;
            }
        }
    }
    let fails = |s: Severity| s == Severity::Error || fail_on == Severity::Warning;
    match found.worst() {
        Some(s) if fails(s) => Err(Failure::Reported),
        _ => Ok(()),
    }
}

/// `lint heads for postgresql, sqlite: 2 errors, 3 warnings (1 suppressed)`.
fn summary(found: &Lint, range: &str) -> String {
    let errors = found
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = found.findings.len() - errors;
    let names: Vec<&str> = found.dialects.iter().map(|d| d.name()).collect();
    let suppressed = match found.suppressed.len() {
        0 => String::new(),
        n => format!(" ({n} suppressed)"),
    };
    format!(
        "lint {range} for {}: {}, {}{suppressed}",
        names.join(", "),
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// The `--format json` report: every finding in the diagnostic's shape, with
/// its rule, revision and dialects; the suppressed ones with their reasons.
fn report_json(found: &Lint, sources: &SourceMap, range: &str) -> serde_json::Value {
    let one = |f: &lint::Finding| {
        let mut value = json::diagnostic(&f.to_diagnostic(), sources);
        value["rule"] = json!(f.rule);
        value["revision"] = json!(f.revision_id.0);
        value["dialects"] = json!(f.dialects.iter().map(|d| d.name()).collect::<Vec<_>>());
        value
    };
    let errors = found
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let suppressed: Vec<_> = found
        .suppressed
        .iter()
        .map(|(f, reason)| {
            let mut value = one(f);
            value["reason"] = json!(reason);
            value
        })
        .collect();
    json!({
        "range": range,
        "dialects": found.dialects.iter().map(|d| d.name()).collect::<Vec<_>>(),
        "errors": errors,
        "warnings": found.findings.len() - errors,
        "findings": found.findings.iter().map(one).collect::<Vec<_>>(),
        "suppressed": suppressed,
    })
}

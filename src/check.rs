//! `ddlc check`: everything a CI step needs in one run, every problem listed.
//!
//! The project is loaded (every file parsed and resolved, the graph linked);
//! then each of [`CHECKS`] runs on it: the lock verified, and the upgrade from
//! base to the heads and the downgrade back compiled for every dialect of
//! `[project] dialects` (which replays the schema model through every op and
//! derives every `downgrade auto`), and every hand-written downgrade is
//! compared with the schema it must restore, and the migrations are linted
//! ([`crate::lint`]). A check is a function from the project to its outcomes.

use crate::compile::{self, Request};
use crate::config::Config;
use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, Error, Failure, Severity};
use crate::dialect::Dialect;
use crate::graph::{Direction, Graph};
use crate::ir::Downgrade;
use crate::project::Project;
use crate::schema::Schema;
use crate::snapshot::diff;
use crate::source::SourceMap;
use crate::sum::{self, Policy};

/// What one check found.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// `load`, `sum`, `upgrade`, `downgrade`, `downgrades` (hand-written ones
    /// compared with the schema), `lint`.
    pub check: &'static str,
    /// The dialect compiled for, when the check is per dialect.
    pub dialect: Option<Dialect>,
    /// The range compiled, when the check compiles.
    pub range: Option<String>,
    /// Its problems (none: it passed).
    pub diags: Vec<Diagnostic>,
}

impl Report {
    /// Reports each `downgrade-incomplete` as a warning, not an error
    /// (`check --allow-incomplete-downgrades`).
    pub fn allow_incomplete_downgrades(&mut self) {
        for d in self.outcomes.iter_mut().flat_map(|o| o.diags.iter_mut()) {
            if d.code == Code::DowngradeIncomplete {
                d.severity = Severity::Warning;
            }
        }
    }
}

impl Outcome {
    /// True when it found no error.
    pub fn ok(&self) -> bool {
        !self.diags.iter().any(Diagnostic::is_error)
    }
}

/// One problem, once: a diagnostic that several dialects share is listed
/// with all of them.
#[derive(Clone, Debug)]
pub struct Problem {
    /// The check that found it.
    pub check: &'static str,
    /// The dialects it was found for (empty: not per dialect).
    pub dialects: Vec<Dialect>,
    /// What was found.
    pub diag: Diagnostic,
}

/// The whole run.
#[derive(Debug)]
pub struct Report {
    /// Every file read (the lock included), for rendering.
    pub sources: SourceMap,
    /// One per check run, in order.
    pub outcomes: Vec<Outcome>,
    /// Revisions loaded (0 when the project did not load).
    pub revisions: usize,
    /// The heads' ids.
    pub heads: Vec<String>,
    /// The dialects checked.
    pub dialects: Vec<Dialect>,
}

impl Report {
    /// True when no check found an error.
    pub fn ok(&self) -> bool {
        self.outcomes.iter().all(Outcome::ok)
    }

    /// Every problem once, in the order found.
    pub fn problems(&self) -> Vec<Problem> {
        let mut out: Vec<Problem> = Vec::new();
        for outcome in &self.outcomes {
            for diag in &outcome.diags {
                let same = out.iter_mut().find(|p| {
                    p.check == outcome.check
                        && p.diag.code == diag.code
                        && p.diag.severity == diag.severity
                        && p.diag.message == diag.message
                        && p.diag.primary == diag.primary
                });
                match same {
                    Some(problem) => {
                        if let Some(d) = outcome.dialect.filter(|d| !problem.dialects.contains(d)) {
                            problem.dialects.push(d);
                        }
                    }
                    None => out.push(Problem {
                        check: outcome.check,
                        dialects: outcome.dialect.into_iter().collect(),
                        diag: diag.clone(),
                    }),
                }
            }
        }
        out
    }
}

/// A check on a loaded project.
type Check = fn(&Config, &mut Project) -> Result<Vec<Outcome>, Error>;

/// The checks run on a project that loaded, in order.
pub const CHECKS: &[Check] = &[check_sum, check_compile, check_downgrades, check_lint];

/// Runs every check. `Err` only for what is not the migrations' fault (I/O,
/// templates, an unreadable lock).
pub fn check(config: &Config) -> Result<Report, Error> {
    let mut report = Report {
        sources: SourceMap::new(),
        outcomes: Vec::new(),
        revisions: 0,
        heads: Vec::new(),
        dialects: config.dialects.clone(),
    };
    let (mut sources, mut diags) = (SourceMap::new(), Diagnostics::new());
    let graph = match Project::load(config, &mut sources, &mut diags) {
        Ok(graph) => graph,
        Err(Failure::Error(e)) => return Err(e),
        Err(_) => {
            report.outcomes.push(outcome("load", diags.into_vec()));
            // The lock can still name files edited, added or removed.
            let lock = sum::verify(config, &mut sources, None, Policy::Enforce)?;
            report.outcomes.push(outcome("sum", lock.into_vec()));
            report.sources = sources;
            return Ok(report);
        }
    };
    let mut project = Project { sources, graph };
    report.outcomes.push(outcome("load", Vec::new()));
    report.revisions = project.graph.len();
    report.heads = project
        .graph
        .heads()
        .iter()
        .map(|&h| project.graph.revision(h).id.0.clone())
        .collect();
    for check in CHECKS {
        report.outcomes.extend(check(config, &mut project)?);
    }
    report.sources = project.sources;
    Ok(report)
}

fn outcome(check: &'static str, diags: Vec<Diagnostic>) -> Outcome {
    Outcome {
        check,
        dialect: None,
        range: None,
        diags,
    }
}

/// The lock matches the files.
fn check_sum(config: &Config, project: &mut Project) -> Result<Vec<Outcome>, Error> {
    let found = sum::verify(
        config,
        &mut project.sources,
        Some(&project.graph),
        Policy::Enforce,
    )?;
    Ok(vec![outcome("sum", found.into_vec())])
}

/// The upgrade base:heads and the downgrade heads:base compile for every
/// configured dialect. A revision declared `downgrade irreversible` stops a
/// downgrade by design (a warning here), so the revisions below it are
/// checked by a downgrade of their own, from each of its parents to base,
/// not by one that would have to pass through it.
fn check_compile(config: &Config, project: &mut Project) -> Result<Vec<Outcome>, Error> {
    let mut out = Vec::new();
    let graph = &project.graph;
    if graph.is_empty() {
        return Ok(out);
    }
    let irreversible: Vec<usize> = (0..graph.len())
        .filter(|&n| matches!(graph.revision(n).downgrade, Downgrade::Irreversible { .. }))
        .collect();
    // Each downgrade: its start (the heads, or one parent of an irreversible
    // revision) and the revisions it cannot reach.
    let mut downgrades: Vec<(String, Vec<usize>)> = vec![("heads".into(), graph.heads().to_vec())];
    for &r in &irreversible {
        for p in graph.node(r).below() {
            let start = graph.revision(p).id.0.clone();
            if !downgrades.iter().any(|(s, _)| *s == start) {
                downgrades.push((start, vec![p]));
            }
        }
    }
    for &dialect in &config.dialects {
        out.push(compile_one(
            project,
            config,
            dialect,
            Direction::Upgrade,
            "heads",
            None,
        )?);
        for (start, nodes) in &downgrades {
            // Below an irreversible revision this run passes through: never reached.
            let applied = graph.ancestors_or_self(nodes);
            let blocking: Vec<usize> = irreversible
                .iter()
                .filter(|&&r| applied[r])
                .flat_map(|&r| graph.node(r).below())
                .collect();
            let unreachable = graph.ancestors_or_self(&blocking);
            let files: Vec<crate::source::FileId> = (0..graph.len())
                .filter(|&n| unreachable[n])
                .map(|n| graph.revision(n).file)
                .collect();
            let range = format!("{start}:base");
            out.push(compile_one(
                project,
                config,
                dialect,
                Direction::Downgrade,
                &range,
                Some(&files),
            )?);
        }
    }
    Ok(out)
}

/// Compiles one range for one dialect. For a downgrade, `unreachable` lists
/// the files of revisions it cannot reach, whose diagnostics are dropped
/// (another downgrade checks them); `irreversible-revision` is a warning.
fn compile_one(
    project: &Project,
    config: &Config,
    dialect: Dialect,
    direction: Direction,
    range: &str,
    unreachable: Option<&[crate::source::FileId]>,
) -> Result<Outcome, Error> {
    let request = Request {
        direction,
        range: range.into(),
        dialect,
        templates: None,
    };
    let mut found = Diagnostics::new();
    let diags = match compile::compile(project, config, &request, &mut found) {
        Ok(_) => Vec::new(),
        Err(Failure::Error(e)) => return Err(e),
        Err(_) => found
            .into_vec()
            .into_iter()
            .filter(|d| {
                let file = d.primary.as_ref().map(|p| p.span.file);
                !file.is_some_and(|f| unreachable.is_some_and(|u| u.contains(&f)))
            })
            .map(|mut d| {
                if d.code == Code::IrreversibleRevision {
                    d.severity = Severity::Warning;
                    d.notes.push(
                        "declared irreversible: the downgrade stops above it by design; \
                         the revisions below it are checked from its parents"
                            .into(),
                    );
                }
                d
            })
            .collect(),
    };
    let (check, shown) = match direction {
        Direction::Upgrade => ("upgrade", format!("base:{range}")),
        Direction::Downgrade => ("downgrade", range.to_string()),
    };
    Ok(Outcome {
        check,
        dialect: Some(dialect),
        range: Some(shown),
        diags,
    })
}

/// `ddlc lint` over base:heads for every configured dialect: each finding at
/// its configured severity (most rules warn; `[lint.rules]` can make one an
/// error, which fails the check). A project whose ops the model refuses
/// is linted up to there: the compile checks report the refusal.
fn check_lint(config: &Config, project: &mut Project) -> Result<Vec<Outcome>, Error> {
    if project.graph.is_empty() {
        return Ok(Vec::new());
    }
    let mut diags = Diagnostics::new();
    let found = match crate::lint::lint(project, config, &config.dialects, "heads", &mut diags) {
        Ok(found) => found,
        Err(Failure::Error(e)) => return Err(e),
        Err(_) => return Ok(vec![outcome("lint", diags.into_vec())]),
    };
    // The sum and downgrades checks above report these two themselves (as
    // errors, or warnings with --ignore-sum / --allow-incomplete-downgrades).
    let diags = found
        .findings
        .iter()
        .filter(|f| !crate::lint::CHECKED_BY_CHECK.contains(&f.rule))
        .map(|f| f.to_diagnostic())
        .collect();
    Ok(vec![outcome("lint", diags)])
}

/// Each hand-written `downgrade { }` leaves the schema as it was before its
/// revision: the model replays the history in graph order, applies the
/// revision's upgrade and then its downgrade to a copy, and compares. A
/// difference is an error at the downgrade's first op (a CI gate should stop a
/// rollback that would leave the database in a state no revision describes;
/// `check --allow-incomplete-downgrades` makes it a warning), listing what was left
/// behind (`+`), not restored (`-`) or restored differently (`~`). An op the
/// model refuses stops this check quietly: the compile checks report it.
/// Cost: two copies of the model per hand-written downgrade (`auto` and
/// `irreversible` revisions cost nothing here).
/// With `only (...)` ops, each configured dialect's model is checked.
fn check_downgrades(config: &Config, project: &mut Project) -> Result<Vec<Outcome>, Error> {
    let graph = &project.graph;
    let specific = (0..graph.len()).any(|n| graph.revision(n).is_dialect_specific());
    let dialects = match specific {
        true => config.dialects.clone(),
        false => vec![config.dialect],
    };
    let mut found: Vec<Diagnostic> = Vec::new();
    for dialect in dialects {
        for d in incomplete_downgrades(&graph.for_dialect(dialect)) {
            if !found.contains(&d) {
                found.push(d);
            }
        }
    }
    Ok(vec![outcome("downgrades", found)])
}

/// The warnings of [`check_downgrades`] for one graph.
fn incomplete_downgrades(graph: &Graph) -> Vec<Diagnostic> {
    let mut schema = Schema::new();
    let mut found = Vec::new();
    for &n in graph.topo_order() {
        let rev = graph.revision(n);
        let before = matches!(rev.downgrade, Downgrade::Ops(_)).then(|| schema.clone());
        if rev.upgrade.iter().any(|op| schema.apply(op).is_err()) {
            break;
        }
        let (Some(before), Downgrade::Ops(down)) = (before, &rev.downgrade) else {
            continue;
        };
        if let Some(d) = diff::downgrade_incomplete(&before, &schema, rev, down) {
            found.push(d);
        }
    }
    found
}

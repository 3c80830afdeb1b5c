//! `stamp`: the version-table statements alone, for a database brought to a
//! revision by other means (restored from a dump, created by hand, or managed
//! by Alembic until now), as Alembic's `stamp --sql` writes them.
//!
//! The table starts with the rows of `FROM` (none without a `FROM`: the script
//! then creates the table), and each target is recorded in turn, as Alembic
//! records it: a target already there is left alone; the rows on its line
//! (its ancestors or descendants) collapse into it, the others deleted and the
//! last updated; a target with no row on its line is inserted. Rows on other
//! branches stay; `base` deletes every row.

use crate::config::Config;
use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, Failure};
use crate::dialect::Dialect;
use crate::graph::{Graph, VersionOp};
use crate::ir::RevisionId;
use crate::project::Project;
use crate::render::Renderer;
use crate::script::{self, StampStep};
use camino::Utf8PathBuf;

/// What to stamp.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// `TARGET` or `FROM:TO`, one or more; every `FROM` the same.
    pub targets: Vec<String>,
    /// The dialect.
    pub dialect: Dialect,
    /// Template overrides, replacing the config's.
    pub templates: Option<Utf8PathBuf>,
}

/// A planned stamp.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The rows before (from `FROM`; empty: base, so the table is created).
    pub start: Vec<usize>,
    /// The rows after.
    pub end: Vec<usize>,
    /// The steps: (rows replaced, row recorded or `None` for a delete, changes).
    pub steps: Vec<(Vec<usize>, Option<usize>, Vec<VersionOp>)>,
}

/// [`Plan::steps`].
type Steps = Vec<(Vec<usize>, Option<usize>, Vec<VersionOp>)>;

fn target_error(code: Code, message: String) -> Diagnostic {
    Diagnostic::error(code, message)
}

/// Plans the stamp of `targets` (see the module's doc).
pub fn plan(graph: &Graph, targets: &[String]) -> Result<Plan, Diagnostic> {
    let (from, dests) = split_targets(targets)?;
    let start = match from {
        Some(from) => graph.resolve(from, None)?,
        None => Vec::new(),
    };
    let wanted = wanted(graph, &start, dests)?;
    let (end, steps) = steps(graph, start.clone(), wanted);
    Ok(Plan { start, end, steps })
}

/// The one start the targets share (`FROM` of `FROM:TO`, if any) and their
/// destinations.
fn split_targets(targets: &[String]) -> Result<(Option<&str>, Vec<&str>), Diagnostic> {
    let mut from: Option<&str> = None;
    let mut dests: Vec<&str> = Vec::new();
    for target in targets {
        let to = match target.split_once(':') {
            Some((start, to)) => {
                match from {
                    Some(other) if other != start => {
                        return Err(target_error(
                            Code::InvalidTarget,
                            format!(
                                "`{target}` starts from `{start}`, another target from `{other}`: a stamp has one start"
                            ),
                        ))
                    }
                    _ => from = Some(start),
                }
                to
            }
            None => target.as_str(),
        };
        dests.push(to);
    }
    Ok((from, dests))
}

/// The revisions to record (`None`: base), each once, none an ancestor of
/// another, and base never with a revision.
fn wanted(
    graph: &Graph,
    start: &[usize],
    dests: Vec<&str>,
) -> Result<Vec<Option<usize>>, Diagnostic> {
    let mut wanted: Vec<Option<usize>> = Vec::new();
    for to in dests {
        let nodes = graph.resolve(to, Some(start))?;
        if nodes.is_empty() {
            wanted.push(None);
        }
        for n in nodes {
            if !wanted.contains(&Some(n)) {
                wanted.push(Some(n));
            }
        }
    }
    let revisions: Vec<usize> = wanted.iter().flatten().copied().collect();
    if wanted.contains(&None) && !revisions.is_empty() {
        return Err(target_error(
            Code::InvalidTarget,
            "`base` cannot be stamped together with revisions: base is no revision at all".into(),
        ));
    }
    for &a in &revisions {
        let below = graph.ancestors_or_self(&[a]);
        if let Some(&b) = revisions.iter().find(|&&b| b != a && below[b]) {
            return Err(target_error(
                Code::InvalidTarget,
                format!(
                    "`{}` is an ancestor of `{}`: a database at `{}` has it applied already",
                    graph.revision(b).id,
                    graph.revision(a).id,
                    graph.revision(a).id
                ),
            )
            .with_help(format!("stamp `{}` alone", graph.revision(a).id)));
        }
    }
    Ok(wanted)
}

/// The version-table changes from the rows `rows` to `wanted`: the rows it
/// ends with, and the steps.
fn steps(graph: &Graph, mut rows: Vec<usize>, wanted: Vec<Option<usize>>) -> (Vec<usize>, Steps) {
    let id = |n: usize| graph.revision(n).id.clone();
    let mut steps = Vec::new();
    for dest in wanted {
        let Some(dest) = dest else {
            for row in std::mem::take(&mut rows) {
                steps.push((vec![row], None, vec![VersionOp::Delete(id(row))]));
            }
            continue;
        };
        if rows.contains(&dest) {
            continue;
        }
        let below = graph.ancestors_or_self(&[dest]);
        let above = graph.descendants_or_self(&[dest]);
        let (line, others): (Vec<usize>, Vec<usize>) =
            rows.iter().partition(|&&r| below[r] || above[r]);
        let ops = match line.split_last() {
            None => vec![VersionOp::Insert(id(dest))],
            Some((&last, rest)) => rest
                .iter()
                .map(|&r| VersionOp::Delete(id(r)))
                .chain([VersionOp::Update {
                    from: id(last),
                    to: id(dest),
                }])
                .collect(),
        };
        rows = others;
        rows.push(dest);
        steps.push((line, Some(dest), ops));
    }
    (rows, steps)
}

/// The stamp script for `request`; a target that names nothing is a
/// [`Failure::Usage`] with its diagnostic in `diags`.
pub fn compile(
    project: &Project,
    config: &Config,
    request: &Request,
    diags: &mut Diagnostics,
) -> Result<String, Failure> {
    let graph = &project.graph;
    // Every problem a stamp can have is in its targets: a usage error.
    let plan = plan(graph, &request.targets).map_err(|d| {
        let _ = diags.error(d);
        Failure::Usage
    })?;
    let templates = request.templates.as_ref().or(config.templates.as_ref());
    let renderer = Renderer::new(request.dialect, templates.map(|t| t.as_path()))?;
    let ids = |nodes: &[usize]| -> Vec<RevisionId> {
        nodes
            .iter()
            .map(|&n| graph.revision(n).id.clone())
            .collect()
    };
    let steps: Vec<StampStep> = plan
        .steps
        .iter()
        .map(|(from, to, version)| StampStep {
            from: ids(from),
            to: ids(to.as_slice()),
            about: to.map(|n| {
                let revision = graph.revision(n);
                (
                    project.sources.path(revision.file).to_string(),
                    revision.message.clone(),
                )
            }),
            version: version.clone(),
        })
        .collect();
    let name = |nodes: &[usize]| match ids(nodes) {
        v if v.is_empty() => "base".to_string(),
        v => v.iter().map(|i| i.0.as_str()).collect::<Vec<_>>().join(","),
    };
    let range = format!("{}:{}", name(&plan.start), name(&plan.end));
    Ok(script::assemble_stamp(
        &range,
        plan.start.is_empty(),
        &steps,
        &config.version_table,
        config.transaction_per_migration,
        &renderer,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::tests::rev;
    use crate::source::SourceMap;

    /// The corpus's branches without their merge: base, a1 -> a2, b1.
    fn branched() -> Graph {
        Graph::build(
            vec![
                rev("t32a1", &["t32base"]),
                rev("t32a2", &["t32a1"]),
                rev("t32b1", &["t32base"]),
                rev("t32base", &[]),
            ],
            &SourceMap::new(),
            &mut Diagnostics::new(),
        )
        .unwrap()
    }

    /// The plan's changes as text, and the rows it ends with.
    fn stamp(graph: &Graph, targets: &[&str]) -> (Vec<String>, Vec<String>) {
        let targets: Vec<String> = targets.iter().map(|t| t.to_string()).collect();
        let plan = plan(graph, &targets).unwrap();
        let ops = plan
            .steps
            .iter()
            .flat_map(|(_, _, ops)| ops)
            .map(|op| match op {
                VersionOp::Insert(id) => format!("insert {id}"),
                VersionOp::Update { from, to } => format!("update {from}->{to}"),
                VersionOp::Delete(id) => format!("delete {id}"),
            })
            .collect();
        let end = plan
            .end
            .iter()
            .map(|&n| graph.revision(n).id.0.clone())
            .collect();
        (ops, end)
    }

    #[test]
    fn stamps_record_what_alembic_records() {
        let g = branched();
        // Each case as `alembic stamp --sql` 1.20.1 printed it on the same graph.
        for (targets, ops, end) in [
            (
                &["heads"][..],
                &["insert t32a2", "insert t32b1"][..],
                &["t32a2", "t32b1"][..],
            ),
            (
                &["t32a1", "t32b1"],
                &["insert t32a1", "insert t32b1"],
                &["t32a1", "t32b1"],
            ),
            (
                &["t32a1:heads"],
                &["update t32a1->t32a2", "insert t32b1"],
                &["t32a2", "t32b1"],
            ),
            (&["t32a2:t32b1"], &["insert t32b1"], &["t32a2", "t32b1"]),
            (&["t32a1:t32a2"], &["update t32a1->t32a2"], &["t32a2"]),
            (
                &["t32base:heads"],
                &["update t32base->t32a2", "insert t32b1"],
                &["t32a2", "t32b1"],
            ),
            (&["t32a2:base"], &["delete t32a2"], &[]),
            (&["t32a2:heads"], &["insert t32b1"], &["t32a2", "t32b1"]),
            (&["t32a2:t32base"], &["update t32a2->t32base"], &["t32base"]),
            // Beyond Alembic, which refuses `heads` as a start: both rows collapse.
            (
                &["heads:t32base"],
                &["delete t32a2", "update t32b1->t32base"],
                &["t32base"],
            ),
            (
                &["heads:t32a1"],
                &["update t32a2->t32a1"],
                &["t32b1", "t32a1"],
            ),
        ] {
            let (got_ops, got_end) = stamp(&g, targets);
            assert_eq!(got_ops, ops, "{targets:?}");
            assert_eq!(got_end, end, "{targets:?}");
        }
    }

    #[test]
    fn contradictory_targets_are_refused() {
        let g = branched();
        for (targets, says) in [
            (&["t32a1", "t32a2"][..], "`t32a1` is an ancestor of `t32a2`"),
            (&["base", "t32a2"], "`base` cannot be stamped together"),
            (&["t32a1:t32a2", "t32b1:heads"], "a stamp has one start"),
            (&["nope"], "no revision or label `nope`"),
        ] {
            let targets: Vec<String> = targets.iter().map(|t| t.to_string()).collect();
            let err = plan(&g, &targets).unwrap_err();
            assert!(err.message.contains(says), "{targets:?}: {}", err.message);
        }
    }
}

//! `ddlc history`, `heads` and `branches`: the revision graph as Alembic's
//! commands of the same names print it, or as JSON (docs/json.md).

use super::{json, print_stdout, Ctx, Failure};
use crate::diag::Code;
use crate::diag::Diagnostic;
use crate::graph::Graph;
use crate::script::comment_line;
use crate::source::SourceMap;
use serde_json::json;

/// Options of `ddlc history`.
#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// Only the revisions from START up to END, both included: `START:END`,
    /// `START:` (to the heads) or `:END` (from base); any target form.
    #[arg(
        short = 'r',
        long = "rev-range",
        value_name = "START:END",
        allow_hyphen_values = true
    )]
    pub range: Option<String>,
    /// Alembic's verbose entries: parents, branches, labels, path, message and doc.
    #[arg(short, long, conflicts_with = "json")]
    pub verbose: bool,
    /// Print JSON (`{"revisions": [...]}`, newest first; see docs/json.md).
    #[arg(long)]
    pub json: bool,
}

/// Options of `ddlc heads` and `ddlc branches`.
#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Alembic's verbose entries: parents, branches, labels, path, message and doc.
    #[arg(short, long, conflicts_with = "json")]
    pub verbose: bool,
    /// Print JSON (see docs/json.md).
    #[arg(long)]
    pub json: bool,
}

/// `ddlc history`.
pub(super) fn run_history(ctx: &Ctx, args: HistoryArgs) -> Result<(), Failure> {
    let config = ctx.config()?;
    let project = ctx.load(&config, None, "")?;
    let (graph, sources) = (&project.graph, &project.sources);
    let shown = match select(graph, args.range.as_deref()) {
        Ok(shown) => shown,
        Err(d) => return Err(ctx.usage(d, sources, "")),
    };
    print_stdout(&if args.json {
        history_json(graph, sources, &shown)
    } else {
        history(graph, sources, &shown, args.verbose)
    })
}

/// `ddlc heads`.
pub(super) fn run_heads(ctx: &Ctx, args: ListArgs) -> Result<(), Failure> {
    let config = ctx.config()?;
    let project = ctx.load(&config, None, "")?;
    let (graph, sources) = (&project.graph, &project.sources);
    print_stdout(&if args.json {
        heads_json(graph, sources)
    } else {
        heads(graph, sources, args.verbose)
    })
}

/// `ddlc branches`.
pub(super) fn run_branches(ctx: &Ctx, args: ListArgs) -> Result<(), Failure> {
    let config = ctx.config()?;
    let project = ctx.load(&config, None, "")?;
    let (graph, sources) = (&project.graph, &project.sources);
    print_stdout(&if args.json {
        branches_json(graph, sources)
    } else {
        branches(graph, sources, args.verbose)
    })
}

/// `<base>` or the parents' ids, as Alembic writes a revision's down revisions.
fn down(graph: &Graph, n: usize) -> String {
    let parents = &graph.node(n).parents;
    if parents.is_empty() {
        return "<base>".into();
    }
    let ids: Vec<&str> = parents
        .iter()
        .map(|&p| graph.revision(p).id.0.as_str())
        .collect();
    ids.join(", ")
}

/// The `depends_on` ids as written, joined with `, `; `None` when there are none.
pub(super) fn depends_on(revision: &crate::ir::Revision) -> Option<String> {
    let ids: Vec<&str> = revision
        .depends_on
        .iter()
        .map(|(id, _)| id.0.as_str())
        .collect();
    (!ids.is_empty()).then(|| ids.join(", "))
}

/// ` (head) (branchpoint) (mergepoint)`, as they apply.
fn markers(graph: &Graph, n: usize) -> String {
    let node = graph.node(n);
    let mut out = String::new();
    if node.children.is_empty() {
        out.push_str(" (head)");
    }
    if node.children.len() > 1 {
        out.push_str(" (branchpoint)");
    }
    if node.parents.len() > 1 {
        out.push_str(" (mergepoint)");
    }
    out
}

/// `id (labels)`.
fn id_with_labels(graph: &Graph, n: usize) -> String {
    let revision = graph.revision(n);
    if revision.labels.is_empty() {
        revision.id.0.clone()
    } else {
        format!("{} ({})", revision.id, revision.labels.join(", "))
    }
}

/// The short form: `id (labels) (head) (branchpoint) (mergepoint)`, with
/// `, message` when `doc` is set.
fn short(graph: &Graph, n: usize, doc: bool) -> String {
    let mut out = format!("{}{}", id_with_labels(graph, n), markers(graph, n));
    if doc {
        out.push_str(&format!(", {}", comment_line(&graph.revision(n).message)));
    }
    out
}

/// One history line: `parents -> id (labels) (head) ..., message`.
fn line(graph: &Graph, n: usize) -> String {
    format!("{} -> {}", down(graph, n), short(graph, n, true))
}

/// Alembic's verbose entry (`Rev:`, `Parent:` or `Merges:`, `Branches into:`,
/// `Branch names:`, `Path:`, then the message and doc indented), followed by a
/// blank line.
fn entry(graph: &Graph, sources: &SourceMap, n: usize) -> String {
    let node = graph.node(n);
    let revision = &node.revision;
    let mut out = format!("Rev: {}{}\n", revision.id, markers(graph, n));
    let kind = if node.parents.len() > 1 {
        "Merges"
    } else {
        "Parent"
    };
    out.push_str(&format!("{kind}: {}\n", down(graph, n)));
    if let Some(ids) = depends_on(revision) {
        out.push_str(&format!("Also depends on: {ids}\n"));
    }
    if node.children.len() > 1 {
        let ids: Vec<&str> = node
            .children
            .iter()
            .map(|&c| graph.revision(c).id.0.as_str())
            .collect();
        out.push_str(&format!("Branches into: {}\n", ids.join(", ")));
    }
    if !revision.labels.is_empty() {
        out.push_str(&format!("Branch names: {}\n", revision.labels.join(", ")));
    }
    out.push_str(&format!("Path: {}\n\n", sources.path(revision.file)));
    let mut text = vec![comment_line(&revision.message)];
    if let Some(doc) = &revision.doc {
        text.push(String::new());
        text.extend(
            doc.trim_matches('\n')
                .lines()
                .map(|l| l.trim_end().to_string()),
        );
    }
    for l in text {
        if l.is_empty() {
            out.push('\n');
        } else {
            out.push_str(&format!("    {l}\n"));
        }
    }
    out.push('\n');
    out
}

/// The revisions `-r START:END` names, newest first: those at or above START
/// (every one when START is empty or `base`) and at or below END (every
/// head when END is empty). `None`: the whole history.
pub fn select(graph: &Graph, range: Option<&str>) -> Result<Vec<usize>, Diagnostic> {
    let newest_first = graph.topo_order().iter().rev().copied();
    let Some(range) = range else {
        return Ok(newest_first.collect());
    };
    let Some((from, to)) = range.split_once(':') else {
        return Err(Diagnostic::error(
            Code::InvalidRange,
            format!("`-r {range}` is not a range: history needs `START:END`, `START:` or `:END`"),
        )
        .with_help(format!(
            "e.g. `-r {range}:` (from it to the heads) or `-r :{range}` (from base to it)"
        )));
    };
    let start = match from {
        "" => Vec::new(),
        from => graph.resolve(from, None)?,
    };
    let end = match to {
        "" => graph.heads().to_vec(),
        to => graph.resolve(to, Some(&start))?,
    };
    let below = graph.ancestors_or_self(&end);
    let above = (!start.is_empty()).then(|| graph.descendants_or_self(&start));
    Ok(newest_first
        .filter(|&n| below[n] && above.as_ref().is_none_or(|a| a[n]))
        .collect())
}

/// `ddlc history`: one line per revision, or Alembic's verbose entries.
pub fn history(graph: &Graph, sources: &SourceMap, shown: &[usize], verbose: bool) -> String {
    shown
        .iter()
        .map(|&n| {
            if verbose {
                entry(graph, sources, n)
            } else {
                format!("{}\n", line(graph, n))
            }
        })
        .collect()
}

/// `ddlc history --json`: `{"revisions": [...]}`, newest first.
pub fn history_json(graph: &Graph, sources: &SourceMap, shown: &[usize]) -> String {
    let revisions: Vec<_> = shown
        .iter()
        .map(|&n| json::revision(graph, sources, n))
        .collect();
    format!("{}\n", json!({ "revisions": revisions }))
}

/// `ddlc heads`: `id (labels) (head)` per head, or verbose entries.
pub fn heads(graph: &Graph, sources: &SourceMap, verbose: bool) -> String {
    graph
        .heads()
        .iter()
        .map(|&h| {
            if verbose {
                entry(graph, sources, h)
            } else {
                format!("{} (head)\n", id_with_labels(graph, h))
            }
        })
        .collect()
}

/// `ddlc heads --json`: `{"heads": [...]}`, in file order.
pub fn heads_json(graph: &Graph, sources: &SourceMap) -> String {
    let heads: Vec<_> = graph
        .heads()
        .iter()
        .map(|&h| json::revision(graph, sources, h))
        .collect();
    format!("{}\n", json!({ "heads": heads }))
}

/// The branch points, newest first.
fn branch_points(graph: &Graph) -> impl Iterator<Item = usize> + '_ {
    graph
        .topo_order()
        .iter()
        .rev()
        .copied()
        .filter(|&n| graph.node(n).children.len() > 1)
}

/// `ddlc branches`: each branch point, then `-> child` per child under it
/// (with messages when verbose), a blank line after each, as Alembic prints.
pub fn branches(graph: &Graph, sources: &SourceMap, verbose: bool) -> String {
    let mut out = String::new();
    for n in branch_points(graph) {
        if verbose {
            out.push_str(&entry(graph, sources, n));
        } else {
            out.push_str(&format!("{}\n", short(graph, n, false)));
        }
        let indent = " ".repeat(graph.revision(n).id.0.chars().count());
        for &child in &graph.node(n).children {
            out.push_str(&format!("{indent} -> {}\n", short(graph, child, verbose)));
        }
        out.push('\n');
    }
    out
}

/// `ddlc branches --json`: `{"branchpoints": [{"revision": ..., "children": [...]}]}`.
pub fn branches_json(graph: &Graph, sources: &SourceMap) -> String {
    let points: Vec<_> = branch_points(graph)
        .map(|n| {
            let children: Vec<_> = graph
                .node(n)
                .children
                .iter()
                .map(|&c| json::revision(graph, sources, c))
                .collect();
            json!({ "revision": json::revision(graph, sources, n), "children": children })
        })
        .collect();
    format!("{}\n", json!({ "branchpoints": points }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::tests::rev;
    use crate::source::FileId;

    /// The corpus's diamond: base, branches a1 -> a2 and b1, merged by m.
    fn diamond() -> (Graph, SourceMap) {
        let mut sources = SourceMap::new();
        let mut revisions = vec![
            rev("t32a1", &["t32base"]),
            rev("t32a2", &["t32a1"]),
            rev("t32b1", &["t32base"]),
            rev("t32base", &[]),
            rev("t32m", &["t32a2", "t32b1"]),
        ];
        for (i, r) in revisions.iter_mut().enumerate() {
            r.file = FileId(i as u32);
            sources.add(format!("versions/{}.mig", r.id), "");
        }
        revisions[4].labels = vec!["main".into()];
        revisions[3].doc = Some("\nThe core table.\n".into());
        let graph =
            Graph::build(revisions, &sources, &mut crate::diag::Diagnostics::new()).unwrap();
        (graph, sources)
    }

    #[test]
    fn history_lists_newest_first_with_markers() {
        let (graph, sources) = diamond();
        let all = select(&graph, None).unwrap();
        assert_eq!(
            history(&graph, &sources, &all, false),
            "t32a2, t32b1 -> t32m (main) (head) (mergepoint), message of t32m\n\
             t32base -> t32b1, message of t32b1\n\
             t32a1 -> t32a2, message of t32a2\n\
             t32base -> t32a1, message of t32a1\n\
             <base> -> t32base (branchpoint), message of t32base\n"
        );
        assert_eq!(heads(&graph, &sources, false), "t32m (main) (head)\n");
    }

    #[test]
    fn verbose_entries_follow_alembics_layout() {
        let (graph, sources) = diamond();
        let base = graph.find("t32base").unwrap();
        assert_eq!(
            history(&graph, &sources, &[base], true),
            "Rev: t32base (branchpoint)\n\
             Parent: <base>\n\
             Branches into: t32a1, t32b1\n\
             Path: versions/t32base.mig\n\
             \n    message of t32base\n\n    The core table.\n\n"
        );
        let m = graph.find("t32m").unwrap();
        assert!(history(&graph, &sources, &[m], true).starts_with(
            "Rev: t32m (head) (mergepoint)\nMerges: t32a2, t32b1\nBranch names: main\n"
        ));
    }

    #[test]
    fn ranges_include_both_ends() {
        let (graph, _) = diamond();
        let ids = |range: &str| -> Vec<String> {
            select(&graph, Some(range))
                .unwrap()
                .iter()
                .map(|&n| graph.revision(n).id.0.clone())
                .collect()
        };
        assert_eq!(ids("t32a1:"), ["t32m", "t32a2", "t32a1"]);
        assert_eq!(ids(":t32a1"), ["t32a1", "t32base"]);
        assert_eq!(ids("base:t32b1"), ["t32b1", "t32base"]);
        assert_eq!(ids("t32a1:t32a2"), ["t32a2", "t32a1"]);
        assert_eq!(ids(":").len(), 5);
        assert_eq!(
            select(&graph, Some("t32a1")).unwrap_err().code,
            Code::InvalidRange
        );
        assert_eq!(
            select(&graph, Some("nope:")).unwrap_err().code,
            Code::UnknownRevision
        );
    }

    #[test]
    fn branches_shows_each_branch_point_and_its_children() {
        let (graph, sources) = diamond();
        assert_eq!(
            branches(&graph, &sources, false),
            "t32base (branchpoint)\n        -> t32a1\n        -> t32b1\n\n"
        );
        let verbose = branches(&graph, &sources, true);
        assert!(
            verbose.ends_with("    The core table.\n\n        -> t32a1, message of t32a1\n        -> t32b1, message of t32b1\n\n"),
            "{verbose}"
        );
        let value: serde_json::Value =
            serde_json::from_str(&branches_json(&graph, &sources)).unwrap();
        assert_eq!(value["branchpoints"][0]["revision"]["id"], "t32base");
        assert_eq!(value["branchpoints"][0]["children"][1]["id"], "t32b1");
        assert_eq!(
            value["branchpoints"][0]["children"][1]["children"],
            json!(["t32m"])
        );
    }
}

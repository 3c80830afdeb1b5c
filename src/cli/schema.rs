//! `ddlc schema [REV]`: the whole schema at a revision, as the CREATE
//! statements of a dialect or as JSON; and `ddlc show REV`: one revision,
//! its ops and what it changes in the schema. Both read the replayed model
//! ([`crate::snapshot`]); neither needs a database.

use super::{json, print_stdout, scripts, Ctx, OutputArgs};
use crate::diag::{Code, Diagnostic, Diagnostics, Failure};
use crate::dialect::Dialect;
use crate::graph::Graph;
use crate::ir::Downgrade;
use crate::project::Project;
use crate::render::Renderer;
use crate::script::comment_line;
use crate::snapshot::{self, diff};
use camino::Utf8PathBuf;
use serde_json::json;

/// What `ddlc schema --help` says after the options.
pub const SCHEMA_HELP: &str = "\
The script creates, on an empty database: enum types (PostgreSQL) and sequences,
the tables in foreign-key order (a key that closes a cycle is added after both
tables exist), their indexes and comments, then the views: the statements
`upgrade` writes for those ops. It is what `upgrade base:REV` leaves, except what
the model does not hold, which the script's header lists: what `execute` ops did
(views made by raw SQL, raw DDL),
rows from `bulk_insert`, and the version table (no version rows are written:
record the revision with `ddlc stamp REV` after running it).

Exit codes:
  0  success
  1  problems in the migrations (diagnostics on stderr; nothing written)
  2  usage: a bad argument or REV, ddlc.toml, templates, or I/O";

/// Options of `ddlc schema`.
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// The revision: `head` (the single head), `heads`, an id or prefix,
    /// `label@head`, `head-1`, ... (not a range).
    #[arg(
        default_value = "head",
        value_name = "REV",
        allow_negative_numbers = true
    )]
    pub rev: String,
    /// Print the model as JSON instead of SQL (dialect-independent; see docs/json.md).
    #[arg(long, conflicts_with_all = ["dialect", "templates"])]
    pub json: bool,
    /// Target dialect, output file and templates, as for `upgrade`.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Options of `ddlc show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The revision: an id or prefix, `head`, a label, `label@head`, `head-1`, ...
    #[arg(value_name = "REV", allow_negative_numbers = true)]
    pub rev: String,
    /// Print JSON (see docs/json.md).
    #[arg(long)]
    pub json: bool,
}

/// `ddlc schema`.
pub(super) fn run_schema(ctx: &Ctx, args: SchemaArgs) -> Result<(), Failure> {
    let config = ctx.config()?;
    let what = scripts::NOTHING_WRITTEN;
    let project = ctx.load(&config, Some(args.output.policy()), what)?;
    let sources = &project.sources;
    let mut diags = Diagnostics::new();
    // The model of one dialect (`only (...)` ops): `--dialect`, else the
    // project's, which the JSON is also taken for.
    let dialect: Dialect = args.output.dialect.unwrap_or(config.dialect);
    let graph = project.graph.for_dialect(dialect);
    let snapshot = snapshot::plan(&graph, &args.rev, &mut diags)
        .and_then(|nodes| snapshot::replay(&graph, &nodes, &mut diags))
        .map_err(|f| ctx.abort(f, &diags, sources, what))?;
    let text = if args.json {
        snapshot::json::document(&snapshot, &snapshot::left_out(&snapshot, sources))
    } else {
        let templates: Option<Utf8PathBuf> = match &args.output.templates {
            Some(t) => Some(ctx.cwd.join(t)),
            None => config.templates.clone(),
        };
        let renderer = Renderer::new(dialect, templates.as_deref())?;
        snapshot::script(&snapshot, &renderer, sources, &mut diags)
            .map_err(|f| ctx.abort(f, &diags, sources, what))?
    };
    scripts::write(ctx, &args.output, &text)
}

/// The revision `rev` names, which must be exactly one; otherwise the
/// usage error that says why.
fn one_revision(graph: &Graph, rev: &str) -> Result<usize, Diagnostic> {
    let nodes = graph.resolve(rev, None)?;
    match nodes.as_slice() {
        [n] => Ok(*n),
        _ => Err(Diagnostic::error(
            Code::InvalidTarget,
            format!("`{rev}` names {} revisions; `show` shows one", nodes.len()),
        )
        .with_help("name one of them by its id")),
    }
}

/// The revisions below `n` (not `n`), in graph order.
fn below(graph: &Graph, n: usize) -> Vec<usize> {
    let parents: Vec<usize> = graph.node(n).below().collect();
    let wanted = graph.ancestors_or_self(&parents);
    graph
        .topo_order()
        .iter()
        .copied()
        .filter(|&m| wanted[m])
        .collect()
}

/// `ddlc show`.
pub(super) fn run_show(ctx: &Ctx, args: ShowArgs) -> Result<(), Failure> {
    let config = ctx.config()?;
    let project = ctx.load(&config, None, "")?;
    // What the revision changes, in the project dialect's model (`only (...)`).
    let selected = project.graph.for_dialect(config.dialect);
    let graph: &Graph = &selected;
    let sources = &project.sources;
    let n = one_revision(graph, &args.rev).map_err(|d| ctx.usage(d, sources, ""))?;
    let mut diags = Diagnostics::new();
    let mut nodes = below(graph, n);
    let before = snapshot::replay(graph, &nodes, &mut diags);
    nodes.push(n);
    let (before, after) = before
        .and_then(|before| Ok((before, snapshot::replay(graph, &nodes, &mut diags)?)))
        .map_err(|f| ctx.abort(f, &diags, sources, ""))?;
    let changes = diff::diff(&before.schema, &after.schema);
    print_stdout(&if args.json {
        show_json(&project, n, &changes)
    } else {
        show_text(&project, n, &changes)
    })
}

/// Each upgrade op: its line and its first line as written (`…` when it goes on).
fn ops(project: &Project, n: usize) -> Vec<(String, usize, String)> {
    let revision = project.graph.revision(n);
    let mut written = revision.upgrade.clone();
    // An op with `only (...)` items is one op per group of dialects, all at its span.
    written.dedup_by_key(|op| op.span);
    written
        .iter()
        .map(|op| {
            let text = project.sources.slice(op.span);
            let mut lines = text.lines();
            let mut first = comment_line(lines.next().unwrap_or("").trim());
            if lines.any(|l| !l.trim().is_empty()) {
                first.push_str(" …");
            }
            let file = project.sources.file(op.span.file);
            (
                op.kind.name().to_string(),
                file.line_col(op.span.start).0,
                first,
            )
        })
        .collect()
}

/// How the revision is undone, in a word or a sentence.
fn downgrade(graph: &Graph, n: usize) -> String {
    match &graph.revision(n).downgrade {
        Downgrade::Auto(_) => "auto".into(),
        Downgrade::Ops(ops) => format!("by hand ({})", super::term::plural(ops.len(), "op")),
        Downgrade::Irreversible { reason, .. } => format!("irreversible: {}", comment_line(reason)),
    }
}

fn ids(graph: &Graph, nodes: &[usize]) -> String {
    if nodes.is_empty() {
        return "(none)".into();
    }
    let ids: Vec<&str> = nodes
        .iter()
        .map(|&m| graph.revision(m).id.0.as_str())
        .collect();
    ids.join(", ")
}

/// The text form: header, ops, downgrade, schema changes.
fn show_text(project: &Project, n: usize, changes: &[diff::Change]) -> String {
    let graph = &project.graph;
    let node = graph.node(n);
    let revision = &node.revision;
    let mut out = format!("Rev: {}\n", revision.id);
    let parents = match node.parents.is_empty() {
        true => "<base>".to_string(),
        false => ids(graph, &node.parents),
    };
    out.push_str(&format!("Parents: {parents}\n"));
    if let Some(ids) = super::history::depends_on(revision) {
        out.push_str(&format!("Also depends on: {ids}\n"));
    }
    out.push_str(&format!("Children: {}\n", ids(graph, &node.children)));
    if !revision.labels.is_empty() {
        out.push_str(&format!("Branch names: {}\n", revision.labels.join(", ")));
    }
    out.push_str(&format!("Path: {}\n", project.sources.path(revision.file)));
    out.push_str(&format!("Message: {}\n", comment_line(&revision.message)));
    if let Some(doc) = &revision.doc {
        for l in doc.trim_matches('\n').lines().map(str::trim_end) {
            match l.is_empty() {
                true => out.push('\n'),
                false => out.push_str(&format!("    {l}\n")),
            }
        }
    }
    out.push_str("\nUpgrade:\n");
    let listed = ops(project, n);
    if listed.is_empty() {
        out.push_str("    (no ops)\n");
    }
    for (_, line, text) in &listed {
        out.push_str(&format!("    {line:>4}  {text}\n"));
    }
    out.push_str(&format!("Downgrade: {}\n", downgrade(graph, n)));
    out.push_str("\nSchema changes:\n");
    if changes.is_empty() {
        out.push_str("    (none)\n");
    }
    for c in changes {
        out.push_str(&format!("    {c}\n"));
    }
    out
}

/// `ddlc show --json`.
fn show_json(project: &Project, n: usize, changes: &[diff::Change]) -> String {
    let graph = &project.graph;
    let ops: Vec<_> = ops(project, n)
        .into_iter()
        .map(|(op, line, text)| json!({"op": op, "line": line, "text": text}))
        .collect();
    let changes: Vec<_> = changes
        .iter()
        .map(|c| {
            json!({
                "change": c.sign.to_string(),
                "kind": c.kind,
                "name": c.name,
                "detail": c.detail,
            })
        })
        .collect();
    let doc = json!({
        "revision": json::revision(graph, &project.sources, n),
        "ops": ops,
        "downgrade": downgrade(graph, n),
        "changes": changes,
    });
    format!("{doc}\n")
}

//! `ddlc report`: a review page for DBAs and auditors. A loaded project and
//! a range in, a [`Report`] out: per revision its header, source hash, ops in
//! words, schema diff and risks, and per dialect the release (`--split`)
//! scripts and manifest hashes, the very artifacts `upgrade --split` and
//! `downgrade --split` write. [`html`] turns it into one self-contained page.
//!
//! Everything depends only on the input, so two runs give the same bytes.

pub mod findings;
pub mod highlight;
pub mod html;
pub mod svg;
pub mod text;
pub mod words;

use crate::compile;
use crate::config::Config;
use crate::diag::{Diagnostics, Failure};
use crate::dialect::Dialect;
use crate::graph::{Direction, Graph, Plan};
use crate::ir::{Downgrade, OpName};
use crate::project::Project;
use crate::release::{self, Release};
use crate::schema::Schema;
use crate::snapshot::json::column_type_text;
use crate::snapshot::{self, diff};
use crate::sum::{sha256_hex, Lock};
use camino::Utf8PathBuf;

/// What to report on.
#[derive(Clone, Debug)]
pub struct Request {
    /// The upgrade range, `TARGET` or `FROM:TO`, as for `ddlc upgrade`.
    pub range: String,
    /// The dialects to show SQL for (at least one); the first one's model
    /// gives the schema diffs.
    pub dialects: Vec<Dialect>,
    /// Template overrides, replacing the config's.
    pub templates: Option<Utf8PathBuf>,
}

/// The review of a range.
#[derive(Clone, Debug)]
pub struct Report {
    /// The range as requested.
    pub range: String,
    /// The downgrade range that undoes it.
    pub down_range: String,
    /// The SHA-256 over every revision file: `ddlc.sum`'s first line.
    pub project_sum: String,
    /// Per dialect, its releases.
    pub dialects: Vec<DialectRelease>,
    /// The revisions, in the order the upgrade runs them.
    pub revisions: Vec<RevisionReport>,
    /// What `ddlc lint` finds for the range and the dialects, suppressed ones included.
    pub findings: Vec<findings::Shown>,
}

/// One dialect's release artifacts, both ways.
#[derive(Clone, Debug)]
pub struct DialectRelease {
    /// The dialect.
    pub dialect: Dialect,
    /// `upgrade RANGE --split`.
    pub upgrade: Release,
    /// `downgrade DOWN_RANGE --split`, or why it does not compile (an
    /// irreversible revision, say), in the diagnostics' words.
    pub downgrade: Result<Release, Vec<String>>,
}

/// One revision of the range.
#[derive(Clone, Debug)]
pub struct RevisionReport {
    /// Its graph index.
    pub node: usize,
    /// Its id.
    pub id: String,
    /// `message`.
    pub message: String,
    /// `doc`.
    pub doc: Option<String>,
    /// Branch labels.
    pub labels: Vec<String>,
    /// Parent ids.
    pub parents: Vec<String>,
    /// Child ids.
    pub children: Vec<String>,
    /// Ids of its `depends_on` revisions not already below a parent.
    pub depends: Vec<String>,
    /// The revision file, relative to the project root.
    pub source: String,
    /// Its SHA-256.
    pub source_sha256: String,
    /// Each upgrade op: its line in the file, its keyword, what it does.
    pub ops: Vec<(usize, &'static str, String)>,
    /// How it is undone, in words.
    pub downgrade: String,
    /// What it changes in the schema (the first dialect's model).
    pub changes: Vec<diff::Change>,
    /// What a reviewer should look at first; empty for a quiet revision.
    pub risks: Vec<String>,
}

/// Builds the report of `request`. A range that names nothing is a usage
/// error in `diags`; migrations that do not compile upgrade are reported
/// there too. A downgrade that does not compile is shown, not an error.
pub fn build(
    project: &Project,
    config: &Config,
    request: &Request,
    diags: &mut Diagnostics,
) -> Result<Report, Failure> {
    let graph = &project.graph;
    let plan = graph.plan_upgrade(&request.range).map_err(|d| {
        let _ = diags.error(d);
        Failure::Usage
    })?;
    let down_range = downgrade_range(graph, &plan, &request.range);
    let mut dialects = Vec::with_capacity(request.dialects.len());
    for &dialect in &request.dialects {
        let ask = |direction, range: &str| compile::Request {
            direction,
            range: range.to_string(),
            dialect,
            templates: request.templates.clone(),
        };
        let upgrade = release::release(
            project,
            config,
            &ask(Direction::Upgrade, &request.range),
            diags,
        )?;
        let mut down_diags = Diagnostics::new();
        let downgrade = match release::release(
            project,
            config,
            &ask(Direction::Downgrade, &down_range),
            &mut down_diags,
        ) {
            Ok(release) => Ok(release),
            Err(Failure::Error(e)) => return Err(Failure::Error(e)),
            Err(_) => Err(down_diags
                .as_slice()
                .iter()
                .map(|d| d.message.clone())
                .collect()),
        };
        dialects.push(DialectRelease {
            dialect,
            upgrade,
            downgrade,
        });
    }
    let model = graph.for_dialect(request.dialects[0]);
    let mut revisions = Vec::with_capacity(plan.steps.len());
    let mut replay = Replay::new(&model);
    for step in &plan.steps {
        let changes = replay.changes(step.node, diags)?;
        revisions.push(revision(project, step.node, changes, &dialects));
    }
    let findings = findings::collect(project, config, &request.dialects, &request.range, diags)?;
    let project_sum = Lock::of_graph(graph, &project.sources)
        .map_err(Failure::Error)?
        .total();
    Ok(Report {
        range: request.range.clone(),
        down_range,
        project_sum,
        dialects,
        revisions,
        findings,
    })
}

/// The downgrade that undoes upgrading `range`, spelled as the user spelled
/// the range when that plans the same steps (so its manifest is the one
/// `ddlc downgrade` writes for it), else by ids.
fn downgrade_range(graph: &Graph, plan: &Plan, range: &str) -> String {
    let (from, to) = range.split_once(':').unwrap_or(("base", range));
    let undone: Vec<usize> = plan.steps.iter().rev().map(|s| s.node).collect();
    let same = |candidate: &str| {
        graph
            .plan_downgrade(candidate)
            .is_ok_and(|p| p.steps.iter().map(|s| s.node).eq(undone.iter().copied()))
    };
    let written = format!("{to}:{from}");
    if same(&written) {
        return written;
    }
    let name = |heads: &[usize]| match heads {
        [] => "base".to_string(),
        many if many == graph.heads() => "heads".to_string(),
        many => many
            .iter()
            .map(|&n| graph.revision(n).id.0.clone())
            .collect::<Vec<_>>()
            .join(","),
    };
    format!("{}:{}", name(&plan.end), name(&plan.start))
}

/// The schemas before and after each revision of a report, in run order.
/// A revision whose only parent is the one just done starts from that one's
/// schema (a straight history replays each op once); any other is replayed
/// from base, as `ddlc show` does.
struct Replay<'g> {
    graph: &'g Graph,
    /// The last revision done and the schema after it.
    last: Option<(usize, Schema)>,
}

impl<'g> Replay<'g> {
    fn new(graph: &'g Graph) -> Replay<'g> {
        Replay { graph, last: None }
    }

    /// What revision `n` changes in the model: the schema of everything
    /// below it, then with it.
    fn changes(&mut self, n: usize, diags: &mut Diagnostics) -> Result<Vec<diff::Change>, Failure> {
        let graph = self.graph;
        let below: Vec<usize> = graph.node(n).below().collect();
        let before = match (self.last.take(), below.as_slice()) {
            (Some((last, schema)), [only]) if *only == last => schema,
            _ => {
                let wanted = graph.ancestors_or_self(&below);
                let nodes: Vec<usize> = graph
                    .topo_order()
                    .iter()
                    .copied()
                    .filter(|&m| wanted[m])
                    .collect();
                snapshot::replay(graph, &nodes, diags)?.schema
            }
        };
        let mut after = before.clone();
        for op in &graph.revision(n).upgrade {
            after.apply(op).map_err(|d| diags.error(d))?;
        }
        let mut changes = diff::diff(&before, &after);
        for change in changes.iter_mut().filter(|c| c.detail.is_none()) {
            change.detail = described(change, &before, &after);
        }
        self.last = Some((n, after));
        Ok(changes)
    }
}

/// What an added or dropped table or column was, where the diff says only
/// that it came or went: the reviewer sees the type of a column added or lost.
fn described(change: &diff::Change, before: &Schema, after: &Schema) -> Option<String> {
    let (schema, added) = match change.sign {
        '+' => (after, true),
        '-' => (before, false),
        _ => return None,
    };
    let shown = |what: String| match added {
        true => format!("none → {what}"),
        false => format!("{what} → none"),
    };
    let column = |c: &crate::ir::Column| {
        let null = if c.nullable { "null" } else { "not null" };
        format!("{} {null}", column_type_text(&c.ty))
    };
    match change.kind {
        "table" => {
            let table = schema.tables.get(&change.name)?;
            let columns: Vec<String> = table
                .columns
                .values()
                .map(|c| format!("{} {}", c.name, column_type_text(&c.ty)))
                .collect();
            Some(shown(columns.join(", ")))
        }
        "column" => {
            let (table, name) = change.name.rsplit_once('.')?;
            schema
                .tables
                .get(table)?
                .columns
                .get(name)
                .map(column)
                .map(shown)
        }
        _ => None,
    }
}

/// The report of revision `n`, its risks read from its ops and from what
/// each dialect's scripts do.
fn revision(
    project: &Project,
    n: usize,
    changes: Vec<diff::Change>,
    dialects: &[DialectRelease],
) -> RevisionReport {
    let graph = &project.graph;
    let node = graph.node(n);
    let revision = &node.revision;
    let ids = |nodes: &[usize]| -> Vec<String> {
        nodes
            .iter()
            .map(|&m| graph.revision(m).id.0.clone())
            .collect()
    };
    let mut written = revision.upgrade.clone();
    // An op with `only (...)` items is one op per group of dialects, all at its span.
    written.dedup_by_key(|op| op.span);
    let file = project.sources.file(revision.file);
    let ops = written
        .iter()
        .map(|op| {
            let line = file.line_col(op.span.start).0;
            (line, op.kind.name(), words::describe(op))
        })
        .collect::<Vec<_>>();
    let mut risks = op_risks(written.iter().map(|op| op.kind.op_name()));
    if let Downgrade::Irreversible { reason, .. } = &revision.downgrade {
        risks.push(format!("irreversible: {reason}"));
    }
    risks.extend(script_risks(n, dialects));
    RevisionReport {
        node: n,
        id: revision.id.0.clone(),
        message: revision.message.clone(),
        doc: revision.doc.clone(),
        labels: revision.labels.clone(),
        parents: ids(&node.parents),
        children: ids(&node.children),
        depends: ids(&node.depends),
        source: project.sources.path(revision.file).to_string(),
        source_sha256: sha256_hex(file.text.as_bytes()),
        ops,
        downgrade: words::downgrade(&revision.downgrade),
        changes,
        risks,
    }
}

/// The ops that lose data or that the model cannot see into, once each.
fn op_risks(ops: impl Iterator<Item = OpName>) -> Vec<String> {
    let mut risks: Vec<String> = Vec::new();
    for op in ops {
        let why = match op {
            OpName::DropTable | OpName::DropColumn => "drops data",
            OpName::DeleteRows | OpName::UpdateRows => "changes rows",
            OpName::DropEnumValue => "removes an enum value rows may hold",
            OpName::Execute => "raw SQL the model cannot see into",
            OpName::RenameTable | OpName::RenameColumn => "renames what running code may use",
            _ => continue,
        };
        let risk = format!("{op}: {why}");
        if !risks.contains(&risk) {
            risks.push(risk);
        }
    }
    risks
}

/// What the upgrade scripts of revision `n` do that a reviewer must know:
/// statements outside the transaction, table rebuilds.
fn script_risks(n: usize, dialects: &[DialectRelease]) -> Vec<String> {
    let mut risks = Vec::new();
    for release in dialects {
        let name = release.dialect.name();
        let Some(entry) = release.upgrade.entries.iter().find(|e| e.node == n) else {
            continue;
        };
        if entry.facts.outside_transaction > 0 {
            risks.push(format!(
                "{name}: {} statement(s) run outside a transaction",
                entry.facts.outside_transaction
            ));
        }
        if entry.facts.rebuilds > 0 {
            risks.push(format!(
                "{name}: {} table rebuild(s) (copy, drop, rename)",
                entry.facts.rebuilds
            ));
        }
    }
    risks
}

impl DialectRelease {
    /// The upgrade script of revision `n`, with its manifest entry.
    pub fn upgrade_of(&self, n: usize) -> Option<(&release::ScriptEntry, &str)> {
        script_of(&self.upgrade, n)
    }

    /// The downgrade script of revision `n`, with its manifest entry.
    pub fn downgrade_of(&self, n: usize) -> Option<(&release::ScriptEntry, &str)> {
        self.downgrade.as_ref().ok().and_then(|r| script_of(r, n))
    }
}

fn script_of(release: &Release, n: usize) -> Option<(&release::ScriptEntry, &str)> {
    let i = release.entries.iter().position(|e| e.node == n)?;
    Some((&release.entries[i], release.artifacts[i].text.as_str()))
}

/// The SHA-256 of a release's manifest.json.
pub fn manifest_sha256(release: &Release) -> String {
    release
        .artifacts
        .last()
        .map(|a| sha256_hex(a.text.as_bytes()))
        .unwrap_or_default()
}

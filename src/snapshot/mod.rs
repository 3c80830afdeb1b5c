//! The whole schema at a revision: the model replayed from base
//! ([`replay`]), the ops that create it on an empty database in an order the
//! engines accept ([`creation_ops`]), and those ops lowered into one script
//! ([`script`]) by the same lowering and templates `upgrade` uses, so the SQL
//! of a table is the SQL `upgrade` writes for a `create_table` of it.
//! [`json`] is the model as JSON, [`diff`] what one revision changes.
//!
//! What the model does not hold is not in a snapshot: what `execute` ops did
//! (views, triggers, raw DDL), rows from `bulk_insert`, and the version table.

pub mod diff;
pub mod json;

use crate::diag::{Code, Diagnostic, Diagnostics, Error};
use crate::dialect::Dialect;
use crate::graph::Graph;
use crate::ir::{AddConstraint, ConstraintKind, CreateIndex, CreateSequence, Op, OpKind};
use crate::lower::Lowering;
use crate::render::Renderer;
use crate::schema::{Schema, Table};
use crate::script::{self, Around, OpSql};
use crate::source::{SourceMap, Span};
use indexmap::IndexSet;

/// The schema at a state of the graph, and what the replay could not model.
#[derive(Debug)]
pub struct Snapshot {
    /// The model after every revision up to the state.
    pub schema: Schema,
    /// The state: `base`, or the ids it names joined with `,`.
    pub at: String,
    /// Spans of the `execute` ops replayed: what they did is not in the model.
    pub executes: Vec<Span>,
    /// Spans of the `bulk_insert` ops replayed: their rows are not in the model.
    pub inserts: Vec<Span>,
}

/// Why no snapshot was produced.
#[derive(Debug)]
pub enum Failure {
    /// `REV` names nothing, or is not one state: a usage error.
    Target(Diagnostic),
    /// Problems in the migrations (an op the model refuses, SQL a dialect cannot spell).
    Diagnostics(Diagnostics),
    /// Not the migrations' fault (a template bug).
    Error(Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Error(e)
    }
}

/// The revisions to replay for `rev`, in the order `upgrade base:REV` runs them.
pub fn plan(graph: &Graph, rev: &str) -> Result<Vec<usize>, Failure> {
    if rev.contains(':') {
        return Err(Failure::Target(
            Diagnostic::error(
                Code::InvalidRange,
                format!("`{rev}` is a range; a schema is taken at one revision"),
            )
            .with_help("name the revision: `head`, an id, `label@head`, `head-1`, ..."),
        ));
    }
    let plan = graph.plan_upgrade(rev).map_err(Failure::Target)?;
    Ok(plan.steps.iter().map(|s| s.node).collect())
}

/// The schema after the upgrade ops of `nodes`, applied in order.
pub fn replay(graph: &Graph, nodes: &[usize]) -> Result<Snapshot, Failure> {
    let mut schema = Schema::new();
    let (mut executes, mut inserts) = (Vec::new(), Vec::new());
    for &n in nodes {
        for op in &graph.revision(n).upgrade {
            schema
                .apply(op)
                .map_err(|d| Failure::Diagnostics(d.into()))?;
            match op.kind {
                OpKind::Execute(_) => executes.push(op.span),
                OpKind::BulkInsert(_) => inserts.push(op.span),
                _ => {}
            }
        }
    }
    let at = match nodes.is_empty() {
        true => "base".to_string(),
        false => heads_of(graph, nodes),
    };
    Ok(Snapshot {
        schema,
        at,
        executes,
        inserts,
    })
}

/// The ids of the revisions among `nodes` that no other of them revises, joined with `,`.
fn heads_of(graph: &Graph, nodes: &[usize]) -> String {
    let mut inside = vec![false; graph.len()];
    nodes.iter().for_each(|&n| inside[n] = true);
    let ids: Vec<&str> = nodes
        .iter()
        .filter(|&&n| !graph.node(n).children.iter().any(|&c| inside[c]))
        .map(|&n| graph.revision(n).id.0.as_str())
        .collect();
    ids.join(",")
}

/// The keys of the tables in creation order (a table after the tables its
/// foreign keys reference), and the foreign keys, as `(table key, name)`,
/// that close a cycle: they can only be added once both tables exist.
/// Self-references and references to tables outside the model are no edge.
pub fn table_order(schema: &Schema) -> (Vec<String>, IndexSet<(String, String)>) {
    let keys: Vec<&String> = schema.tables.keys().collect();
    // 0 unvisited, 1 on the path being walked, 2 done.
    let mut state = vec![0u8; keys.len()];
    let mut order = Vec::with_capacity(keys.len());
    let mut closing = IndexSet::new();
    let edges = |i: usize| -> Vec<(usize, String)> {
        let table = &schema.tables[i];
        table
            .foreign_keys()
            .filter_map(|c| match &c.kind {
                ConstraintKind::ForeignKey(fk) => {
                    let target = schema.tables.get_index_of(&fk.ref_table.key())?;
                    (target != i).then(|| (target, c.name.name.clone()))
                }
                _ => None,
            })
            .collect()
    };
    for root in 0..keys.len() {
        if state[root] != 0 {
            continue;
        }
        // An explicit stack, so a long chain of references cannot overflow the call stack.
        let mut stack = vec![(root, edges(root), 0usize)];
        state[root] = 1;
        while let Some((at, out, next)) = stack.last_mut() {
            let at = *at;
            if let Some((target, name)) = out.get(*next).cloned() {
                *next += 1;
                match state[target] {
                    0 => {
                        state[target] = 1;
                        stack.push((target, edges(target), 0));
                    }
                    1 => {
                        closing.insert((keys[at].clone(), name));
                    }
                    _ => {}
                }
            } else {
                state[at] = 2;
                order.push(keys[at].clone());
                stack.pop();
            }
        }
    }
    (order, closing)
}

/// The ops that create `schema` on an empty database for `dialect`:
/// sequences, tables in foreign-key order (their constraints, comments and
/// named enum types with them), indexes, then the foreign keys that close a
/// cycle. SQLite does not check a reference when a table is created, so there
/// every foreign key stays in its table (adding one later would rebuild it).
pub fn creation_ops(schema: &Schema, dialect: Dialect) -> Vec<Op> {
    let (order, closing) = table_order(schema);
    let defer = dialect != Dialect::Sqlite;
    let mut ops: Vec<Op> = schema
        .sequences
        .values()
        .map(|s| Op {
            kind: OpKind::CreateSequence(CreateSequence {
                name: s.name.clone(),
                start: s.start,
                increment: s.increment,
            }),
            span: s.name.span(),
        })
        .collect();
    let mut indexes = Vec::new();
    let mut later = Vec::new();
    for key in &order {
        let table: &Table = &schema.tables[key];
        let mut create = table.to_create();
        let span = table.name.span();
        create.constraints.retain(|c| {
            let deferred = defer && closing.contains(&(key.clone(), c.name.name.clone()));
            if deferred {
                later.push(Op {
                    kind: OpKind::AddConstraint(AddConstraint {
                        table: table.name.clone(),
                        constraint: c.clone(),
                    }),
                    span: c.span,
                });
            }
            !deferred
        });
        for index in std::mem::take(&mut create.indexes) {
            indexes.push(Op {
                span: index.span,
                kind: OpKind::CreateIndex(CreateIndex {
                    index: crate::ir::Index {
                        table: table.name.clone(),
                        ..index
                    },
                    concurrently: false,
                    if_not_exists: false,
                }),
            });
        }
        ops.push(Op {
            kind: OpKind::CreateTable(create),
            span,
        });
    }
    ops.extend(indexes);
    ops.extend(later);
    ops
}

/// What an op creates, for the script's provenance line after the op's
/// name: `customer`, `ix_customer_email on customer`.
fn object(op: &Op) -> String {
    match &op.kind {
        OpKind::CreateSequence(s) => s.name.to_string(),
        OpKind::CreateTable(t) => t.name.to_string(),
        OpKind::CreateIndex(i) => format!("{} on {}", i.index.name, i.index.table),
        OpKind::AddConstraint(a) => format!(
            "{} on {} (closes a foreign-key cycle)",
            a.constraint.name, a.table
        ),
        _ => String::new(),
    }
}

/// The script that creates `snapshot`'s schema on an empty `renderer.dialect()`
/// database: the statements `upgrade` writes for [`creation_ops`], in the
/// script layout of `upgrade` (header, transaction, footer), without the
/// version table. `sources` locates what the model leaves out.
pub fn script(
    snapshot: &Snapshot,
    renderer: &Renderer,
    sources: &SourceMap,
) -> Result<String, Failure> {
    let ops = creation_ops(&snapshot.schema, renderer.dialect());
    let mut schema = Schema::new();
    let mut lowering = Lowering::new(renderer);
    let mut out: Vec<OpSql> = Vec::new();
    let mut diags = Diagnostics::default();
    for op in &ops {
        attach(&mut out, lowering.before(op, &schema), &mut diags);
        let applied = schema
            .apply(op)
            .map_err(|d| Failure::Diagnostics(d.into()))?;
        match lowering.lower(op, &applied, &schema) {
            Ok(stmts) => out.push(OpSql {
                origin: object(op),
                name: op.kind.name(),
                undoes: None,
                stmts,
            }),
            Err(d) => diags.push(d),
        }
    }
    attach(&mut out, lowering.finish(&schema), &mut diags);
    if diags.has_errors() {
        return Err(Failure::Diagnostics(diags));
    }
    let around = match lowering.foreign_key_schemas.is_empty() {
        true => Around::default(),
        false => {
            let fk = crate::lower::foreign_keys_off(renderer, &lowering.foreign_key_schemas)
                .map_err(|d| Failure::Diagnostics(d.into()))?;
            Around {
                before: fk.before,
                before_commit: fk.check,
                after: fk.after,
            }
        }
    };
    let notes = left_out(snapshot, sources);
    Ok(script::assemble_schema(
        &snapshot.at,
        &notes,
        &around,
        &out,
        renderer,
    )?)
}

/// A rebuild's statements in place of the last op it covers (as `compile` does).
fn attach(
    out: &mut [OpSql],
    folded: Result<Option<(usize, Vec<crate::lower::Stmt>)>, Diagnostic>,
    diags: &mut Diagnostics,
) {
    match folded {
        Ok(Some((_, stmts))) => {
            if let Some(last) = out.last_mut() {
                last.stmts = stmts;
            }
        }
        Ok(None) => {}
        Err(d) => diags.push(d),
    }
}

/// Comment lines naming what the replay ran but the model does not hold.
pub fn left_out(snapshot: &Snapshot, sources: &SourceMap) -> Vec<String> {
    let at = |spans: &[Span]| -> String {
        let places: Vec<String> = spans.iter().map(|&s| origin(sources, s)).collect();
        places.join(", ")
    };
    let mut notes = Vec::new();
    if !snapshot.executes.is_empty() {
        notes.push(format!(
            "Not included: what `execute` ops did (raw SQL is not in the model): {}",
            at(&snapshot.executes)
        ));
    }
    if !snapshot.inserts.is_empty() {
        notes.push(format!(
            "Not included: rows inserted by `bulk_insert`: {}",
            at(&snapshot.inserts)
        ));
    }
    notes
}

/// `migrations/versions/x.mig:12`, or `<generated>` for a span outside the sources.
pub fn origin(sources: &SourceMap, span: Span) -> String {
    if (span.file.0 as usize) >= sources.len() {
        return "<generated>".into();
    }
    let file = sources.file(span.file);
    format!("{}:{}", file.path, file.line_col(span.start).0)
}

#[cfg(test)]
mod tests;

//! The whole schema at a revision: the model replayed from base
//! ([`replay`]), the ops that create it on an empty database in an order the
//! engines accept ([`creation_ops`]), and those ops lowered into one script
//! ([`script`]) by the same lowering and templates `upgrade` uses, so the SQL
//! of a table is the SQL `upgrade` writes for a `create_table` of it.
//! [`json`] is the model as JSON, [`diff`] what one revision changes.
//!
//! What the model does not hold is not in a snapshot: what `execute` ops did
//! (views and triggers made by `execute`, raw DDL), rows from `bulk_insert`, and the version table.

pub mod diff;
pub mod json;

use crate::diag::{Code, Diagnostic, Diagnostics, Failure};
use crate::graph::Graph;
use crate::ir::{
    AddConstraint, ConstraintKind, CreateIndex, CreateSequence, CreateView, Op, OpKind, RoutineKind,
};
use crate::lower::Lowering;
use crate::render::Renderer;
use crate::schema::{Schema, Table};
use crate::script::{self, Around, OpSql};
use crate::source::{SourceMap, Span};
use indexmap::IndexSet;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

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

/// The revisions to replay for `rev`, in the order `upgrade base:REV` runs
/// them. A `rev` that is not one state is a usage error, in `diags`.
pub fn plan(graph: &Graph, rev: &str, diags: &mut Diagnostics) -> Result<Vec<usize>, Failure> {
    if rev.contains(':') {
        let _ = diags.error(
            Diagnostic::error(
                Code::InvalidRange,
                format!("`{rev}` is a range; a schema is taken at one revision"),
            )
            .with_help("name the revision: `head`, an id, `label@head`, `head-1`, ..."),
        );
        return Err(Failure::Usage);
    }
    match graph.plan_upgrade(rev) {
        Ok(plan) => Ok(plan.steps.iter().map(|s| s.node).collect()),
        Err(d) => {
            let _ = diags.error(d);
            Err(Failure::Usage)
        }
    }
}

/// The schema after the upgrade ops of `nodes`, applied in order.
pub fn replay(
    graph: &Graph,
    nodes: &[usize],
    diags: &mut Diagnostics,
) -> Result<Snapshot, Failure> {
    let mut schema = Schema::new();
    let (mut executes, mut inserts) = (Vec::new(), Vec::new());
    for &n in nodes {
        for op in &graph.revision(n).upgrade {
            schema.apply(op).map_err(|d| diags.error(d))?;
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
        .filter(|&&n| !graph.node(n).above().any(|c| inside[c]))
        .map(|&n| graph.revision(n).id.0.as_str())
        .collect();
    ids.join(",")
}

/// The keys of the tables in the order to create them: creation order,
/// except that a table comes after the tables its foreign keys reference;
/// and the foreign keys, as `(table key, name)`, that close a cycle: where
/// only tables in or behind cycles are left, one cycle is found and broken at
/// its earliest-created table, whose keys to the next table of the cycle are
/// added once both exist. Self-references and references to tables outside
/// the model are no edge.
pub fn table_order(schema: &Schema) -> (Vec<String>, IndexSet<(String, String)>) {
    let mut graph = Edges::new(schema);
    let n = schema.tables.len();
    let mut ready: BinaryHeap<Reverse<usize>> = (0..n)
        .filter(|&i| graph.waiting[i] == 0)
        .map(Reverse)
        .collect();
    let (mut order, mut closing) = (Vec::with_capacity(n), IndexSet::new());
    while order.len() < n {
        let Some(Reverse(next)) = ready.pop() else {
            let (table, names) = graph.break_cycle();
            let key = schema.tables[table].name.key();
            closing.extend(names.into_iter().map(|name| (key.clone(), name)));
            if graph.waiting[table] == 0 {
                ready.push(Reverse(table));
            }
            continue;
        };
        graph.created[next] = true;
        order.push(schema.tables[next].name.key());
        for &r in &graph.referrers[next] {
            if graph.deferred.contains(&(r, next)) {
                continue;
            }
            graph.waiting[r] -= 1;
            if graph.waiting[r] == 0 {
                ready.push(Reverse(r));
            }
        }
    }
    (order, closing)
}

/// The foreign-key graph between tables (by index in creation order), as
/// [`table_order`] consumes it.
struct Edges {
    /// Per table, the tables it references, one entry per key, with its name.
    refs: Vec<Vec<(usize, String)>>,
    /// Per table, the tables that reference it (one entry per key).
    referrers: Vec<Vec<usize>>,
    /// Per table, its keys to tables not yet created and not deferred.
    waiting: Vec<usize>,
    created: Vec<bool>,
    /// `(from, to)`: keys added after both tables exist.
    deferred: std::collections::HashSet<(usize, usize)>,
    /// Every table before this one is created.
    earliest: usize,
}

impl Edges {
    fn new(schema: &Schema) -> Edges {
        let n = schema.tables.len();
        let mut refs: Vec<Vec<(usize, String)>> = vec![Vec::new(); n];
        let mut referrers: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, table) in schema.tables.values().enumerate() {
            for c in table.foreign_keys() {
                let ConstraintKind::ForeignKey(fk) = &c.kind else {
                    continue;
                };
                match schema.tables.get_index_of(&fk.ref_table.key()) {
                    Some(target) if target != i => {
                        refs[i].push((target, c.name.name.clone()));
                        referrers[target].push(i);
                    }
                    _ => {}
                }
            }
        }
        Edges {
            waiting: refs.iter().map(Vec::len).collect(),
            refs,
            referrers,
            created: vec![false; n],
            deferred: Default::default(),
            earliest: 0,
        }
    }

    /// A key of `table` still waited for.
    fn pending(&self, table: usize) -> Option<usize> {
        self.refs[table]
            .iter()
            .map(|(t, _)| *t)
            .find(|&t| !self.created[t] && !self.deferred.contains(&(table, t)))
    }

    /// Called when every table left waits for another: follows waited-for
    /// keys from the earliest table left until a table repeats (a cycle),
    /// and defers the keys from the cycle's earliest table to the next one.
    /// Returns that table and the deferred keys' names.
    fn break_cycle(&mut self) -> (usize, Vec<String>) {
        while self.created[self.earliest] {
            self.earliest += 1;
        }
        let mut path = Vec::new();
        let mut seen = std::collections::HashMap::new();
        let mut at = self.earliest;
        let cycle = loop {
            if let Some(&pos) = seen.get(&at) {
                break &path[pos..];
            }
            seen.insert(at, path.len());
            path.push(at);
            // Every table left waits for one: there is a next one.
            at = self.pending(at).unwrap_or(at);
        };
        let pos = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
        let (table, next) = (cycle[pos], cycle[(pos + 1) % cycle.len()]);
        self.deferred.insert((table, next));
        let names: Vec<String> = self.refs[table]
            .iter()
            .filter(|(t, _)| *t == next)
            .map(|(_, name)| name.clone())
            .collect();
        self.waiting[table] -= names.len();
        (table, names)
    }
}

/// The ops that create `schema` on an empty database: sequences, tables in
/// foreign-key order (their constraints, comments and named enum types with
/// them), indexes, the foreign keys that close a cycle, functions and
/// procedures, the views (each after the views it reads), then triggers. (SQLite would
/// accept a reference to a table not created yet, but the model, which
/// checks every op, does not: there the closing key rebuilds its table, as
/// it does in `upgrade`.)
pub fn creation_ops(schema: &Schema) -> Vec<Op> {
    let (order, closing) = table_order(schema);
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
            only: None,
        })
        .collect();
    let mut indexes = Vec::new();
    let mut later = Vec::new();
    for key in &order {
        let table: &Table = &schema.tables[key];
        let mut create = table.to_create();
        let span = table.name.span();
        create.constraints.retain(|c| {
            let deferred = closing.contains(&(key.clone(), c.name.name.clone()));
            if deferred {
                later.push(Op {
                    kind: OpKind::AddConstraint(AddConstraint {
                        table: table.name.clone(),
                        constraint: c.clone(),
                        not_valid: false,
                    }),
                    span: c.span,
                    only: None,
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
                only: None,
            });
        }
        ops.push(Op {
            kind: OpKind::CreateTable(create),
            span,
            only: None,
        });
    }
    ops.extend(indexes);
    ops.extend(later);
    // Functions and procedures may read tables (PostgreSQL checks a SQL
    // function's body when it is created), views may call them, and triggers
    // may call functions: in that order.
    let routines = |triggers: bool| {
        schema
            .routines
            .values()
            .filter(move |r| (r.kind == RoutineKind::Trigger) == triggers)
            .map(|r| Op::new(OpKind::CreateRoutine(r.clone()), r.name.span()))
    };
    ops.extend(routines(false));
    ops.extend(schema.view_order().into_iter().map(|v| {
        let view = CreateView {
            name: v.name.clone(),
            query: v.query.clone(),
        };
        Op::new(OpKind::CreateView(view), v.name.span())
    }));
    ops.extend(routines(true));
    ops
}

/// What an op creates, for the script's provenance line after the op's
/// name: `customer`, `ix_customer_email on customer`.
fn object(op: &Op) -> String {
    match &op.kind {
        OpKind::CreateSequence(s) => s.name.to_string(),
        OpKind::CreateView(v) => v.name.to_string(),
        OpKind::CreateRoutine(r) => match &r.table {
            Some(t) => format!("{} on {t}", r.name),
            None => r.name.to_string(),
        },
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
    diags: &mut Diagnostics,
) -> Result<String, Failure> {
    let ops = creation_ops(&snapshot.schema);
    let mut schema = Schema::new();
    let mut lowering = Lowering::new(renderer);
    let mut out: Vec<OpSql> = Vec::new();
    let mark = diags.mark();
    for op in &ops {
        attach(&mut out, lowering.before(op, &schema), diags)?;
        let applied = schema.apply(op).map_err(|d| diags.error(d))?;
        match lowering.lower(op, &applied, &schema) {
            Ok(stmts) => out.push(OpSql {
                origin: object(op),
                name: op.kind.name(),
                undoes: None,
                stmts,
            }),
            Err(d) => report(d, diags)?,
        }
    }
    attach(&mut out, lowering.finish(&schema), diags)?;
    diags.check_since(mark)?;
    let around = match lowering.foreign_key_schemas.is_empty() {
        true => Around::default(),
        false => {
            let fk = match crate::lower::foreign_keys_off(renderer, &lowering.foreign_key_schemas) {
                Ok(fk) => fk,
                Err(d) => {
                    report(d, diags)?;
                    return Err(Failure::Reported);
                }
            };
            Around {
                before: fk.before,
                before_commit: fk.check,
                before_last_commit: fk.forget,
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
) -> Result<(), Failure> {
    match folded {
        Ok(Some((_, stmts))) => {
            if let Some(last) = out.last_mut() {
                last.stmts = stmts;
            }
        }
        Ok(None) => {}
        Err(d) => report(d, diags)?,
    }
    Ok(())
}

/// A lowering problem goes to `diags`, to be reported with the others; a
/// template that failed to render is ddlc's error, not the migrations' (as in
/// `compile`), and stops the script.
fn report(d: Diagnostic, diags: &mut Diagnostics) -> Result<(), Failure> {
    if let Some(e) = crate::lower::template_failure(&d, "") {
        return Err(Failure::Error(e));
    }
    diags.push(d);
    Ok(())
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

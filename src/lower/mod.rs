//! Lowering: one op, the schema around it and a dialect in; SQL statements out.
//!
//! Decides *what* to emit (rebuild a SQLite table, drop a SQL Server default
//! constraint first, carry MySQL's full column definition); the templates
//! decide how each statement is spelled. Every name and literal is quoted here
//! and handed to the templates as a safe string.

// `Diagnostic` is the shared error contract (`lower` returns it); boxing it is a
// crate-wide decision, not this module's.
#![allow(clippy::result_large_err)]

mod alter;
mod column;
mod data;
mod enums;
mod fk_index;
mod fragment;
mod index;
pub mod names;
mod rebuild;
mod routine;
mod table;
#[cfg(test)]
mod tests;
pub mod types;
mod validate;
mod view;

use crate::diag::{Code, Diagnostic, Error};
use crate::dialect::{Dialect, Rules};
use crate::ir::{Column, EnumType, Op, OpKind, QualifiedName, SqlExpr};
use crate::render::{safe, Renderer};
use crate::schema::{Applied, Schema, Table};
use crate::source::Span;
use minijinja::Value;

/// The statements lowering produces (defined with their one renderer).
pub use crate::render::{Body, Stmt};

/// Lowers one op that has just been applied, alone: `applied` describes what it
/// replaced, `after` is the schema after the op. (A SQLite rebuild it needs is
/// emitted right away; [`Lowering`] folds the rebuilds of consecutive ops.)
pub fn lower(
    op: &Op,
    applied: &Applied,
    after: &Schema,
    renderer: &Renderer,
) -> Result<Vec<Stmt>, Diagnostic> {
    let mut lowering = Lowering::new(renderer);
    let mut out = lowering.lower(op, applied, after)?;
    if let Some((_, rebuilt)) = lowering.finish(after)? {
        out = rebuilt;
    }
    Ok(out)
}

/// The template failure a lowering diagnostic stands for, if it is one: a
/// bug in a template or an override, which the drivers report as ddlc's
/// [`Error::Template`] (exit 2) rather than as a problem in the migrations.
/// `place` is appended to the message (where the op was written).
pub fn template_failure(d: &Diagnostic, place: &str) -> Option<Error> {
    (d.code == Code::TemplateError).then(|| Error::Template(format!("{}{place}", d.message)))
}

/// Lowers the ops of one revision (or one derived downgrade) in order, and
/// keeps what spans ops: a SQLite rebuild that the following ops on the same
/// table join, so that such a run copies the table once (see `rebuild.rs`).
///
/// For each op: [`Lowering::before`] (with the schema before the op), apply
/// it, [`Lowering::lower`]; at the end, [`Lowering::finish`]. When `before` or
/// `finish` return a rebuild, its statements replace those of the last op of
/// the run, and the ops before it in the run keep the note [`Lowering::lower`]
/// gave them.
pub struct Lowering<'r> {
    renderer: &'r Renderer,
    run: Option<(rebuild::Run, Span)>,
    /// The databases (`main`, attached schemas) of rebuilt tables that a
    /// foreign key referenced: when there are any, the script turns foreign
    /// keys off around its transaction ([`foreign_keys_off`]).
    pub foreign_key_schemas: Vec<String>,
    /// See [`Lowering::deferring`].
    defer: bool,
}

impl<'r> Lowering<'r> {
    /// Nothing pending.
    pub fn new(renderer: &'r Renderer) -> Lowering<'r> {
        Lowering {
            renderer,
            run: None,
            foreign_key_schemas: Vec::new(),
            defer: false,
        }
    }

    /// With `defer`, the statements of plain templates are handed on as
    /// [`Body::Template`], unrendered and unchecked, for a caller that renders
    /// them on other cores and checks each as [`Cx::emit_block`] would
    /// ([`check_rendered`]); a statement that fails that check, or renders to
    /// nothing, is the caller's cue to lower again without deferring.
    pub fn deferring(self, defer: bool) -> Lowering<'r> {
        Lowering { defer, ..self }
    }

    /// Call before applying `op` to `schema`: when `op` does not join the
    /// pending rebuild, the rebuild is lowered now, from the table as the run
    /// left it. Returns the number of ops in the run and its statements.
    pub fn before(
        &mut self,
        op: &Op,
        schema: &Schema,
    ) -> Result<Option<(usize, Vec<Stmt>)>, Diagnostic> {
        let joins = match &self.run {
            Some((run, _)) => {
                rebuild::joins(&op.kind) && table_of(op, schema).as_ref() == Some(&run.table.key())
            }
            None => return Ok(None),
        };
        match joins {
            true => Ok(None),
            false => self.finish(schema),
        }
    }

    /// Lowers `op`, just applied. An op that needs a SQLite rebuild, or joins
    /// the pending one, gets a note; the rebuild comes with the run's last op.
    pub fn lower(
        &mut self,
        op: &Op,
        applied: &Applied,
        after: &Schema,
    ) -> Result<Vec<Stmt>, Diagnostic> {
        names::check_op(op, self.renderer.dialect())?;
        fragment::check_columns(op, applied, after)?;
        let mut cx = Cx::new(self.renderer, op.span);
        cx.defer = self.defer;
        lower_into(&mut cx, op, applied, after)?;
        for db in std::mem::take(&mut cx.rebuilt_referenced) {
            if !self.foreign_key_schemas.contains(&db) {
                self.foreign_key_schemas.push(db);
            }
        }
        let pending = self.run.as_ref().is_some_and(|(run, _)| {
            applied.table.as_ref().map(|t| t.key()) == Some(run.table.key())
        });
        let table = match (pending, cx.rebuild.take()) {
            (true, _) => None,
            (false, Some(t)) => Some(t),
            (false, None) => return Ok(cx.out),
        };
        if let Some(t) = table {
            self.run = Some((rebuild::Run::new(t), op.span));
        }
        let Some((run, last)) = self.run.as_mut() else {
            return Ok(cx.out);
        };
        run.join(op, applied);
        *last = op.span;
        // The op's own statements are the rebuild's work now; its notes stay
        // (a comment SQLite does not store), with one that says where it went.
        let mut out: Vec<Stmt> = cx.out.into_iter().filter(Stmt::is_note).collect();
        run.last_notes = out.clone();
        let mut note = Cx::new(self.renderer, op.span);
        note.note(&format!(
            "{}: done by the one rebuild of table `{}` below",
            note.d, run.table
        ));
        out.extend(note.out);
        Ok(out)
    }

    /// Lowers the pending rebuild, if any, from `schema` (the schema after the
    /// run's last op): the number of ops in the run and its statements.
    pub fn finish(&mut self, schema: &Schema) -> Result<Option<(usize, Vec<Stmt>)>, Diagnostic> {
        let Some((run, last)) = self.run.take() else {
            return Ok(None);
        };
        let mut cx = Cx::new(self.renderer, last);
        cx.defer = self.defer;
        cx.out.extend(run.last_notes.iter().cloned());
        if run.ops > 1 {
            cx.note(&format!(
                "{}: one rebuild of table `{}` for this op and the {} before it",
                cx.d,
                run.table,
                run.ops - 1
            ));
        }
        if rebuild::rebuild(&mut cx, schema, &run)? {
            let db = run.table.schema.as_ref().map_or("main", |s| s.as_str());
            if !self.foreign_key_schemas.iter().any(|s| s == db) {
                self.foreign_key_schemas.push(db.to_string());
            }
        }
        Ok(Some((run.ops, cx.out)))
    }
}

/// What the dialect's client would misread in a rendered statement, if anything.
fn hazard(d: Dialect, stmt: &Stmt) -> Option<String> {
    match &stmt.body {
        Body::Sql { text, .. } => d.script_hazard(text, stmt.block),
        _ => None,
    }
}

/// A statement a deferring [`Lowering`] handed on, rendered and checked as
/// [`Cx::emit_block`] does; `None` where the undeferred lowering would have
/// done otherwise (a template error, an unsafe statement, or nothing
/// rendered), so that the caller lowers again without deferring and reports
/// exactly what that lowering reports.
pub fn check_rendered(renderer: &Renderer, stmt: Stmt) -> Option<Stmt> {
    if !matches!(stmt.body, Body::Template { .. }) {
        return Some(stmt);
    }
    let stmt = renderer.rendered(stmt).ok()??;
    match hazard(renderer.dialect(), &stmt) {
        Some(_) => None,
        None => Some(stmt),
    }
}

/// The key of the table `op` changes, looked up in `schema` before the op
/// where the op does not name it (`drop_index` without `on`).
fn table_of(op: &Op, schema: &Schema) -> Option<String> {
    Some(match &op.kind {
        OpKind::AddColumn(a) => a.table.key(),
        OpKind::DropColumn(d) => d.table.key(),
        OpKind::AlterColumn(a) => a.table.key(),
        OpKind::AddConstraint(a) => a.table.key(),
        OpKind::DropConstraint(d) => d.table.key(),
        OpKind::CreateIndex(c) => c.index.table.key(),
        OpKind::DropIndex(d) => match &d.table {
            Some(t) => t.key(),
            None => schema.index(&d.name)?.0.name.key(),
        },
        OpKind::SetTableComment(c) => c.table.key(),
        _ => return None,
    })
}

/// The statements a script that rebuilds a table some foreign key references
/// runs around its transaction (see `rebuild.rs`): before BEGIN, before
/// COMMIT, after COMMIT.
pub struct ForeignKeysOff {
    /// Remember whether foreign keys were on, then turn them off.
    pub before: Vec<Stmt>,
    /// Fail (and so roll back) if they were on and a row now breaks one:
    /// before each COMMIT.
    pub check: Vec<Stmt>,
    /// Forget whether they were on: before the last COMMIT, after `check`.
    pub forget: Vec<Stmt>,
    /// Turn them on again.
    pub after: Vec<Stmt>,
}

/// The [`ForeignKeysOff`] statements that check `schemas` (the databases whose
/// rebuilt tables foreign keys referenced, see [`Lowering::foreign_key_schemas`]).
pub fn foreign_keys_off(
    renderer: &Renderer,
    schemas: &[String],
) -> Result<ForeignKeysOff, Diagnostic> {
    let mut cx = Cx::new(renderer, Span::NONE);
    let take = |cx: &mut Cx| std::mem::take(&mut cx.out);
    cx.note("Foreign keys are off while tables that foreign keys reference are rebuilt (SQLite cannot rebuild them inside a transaction otherwise); whether they were on is remembered.");
    cx.emit("foreign_keys_save", minijinja::context! {})?;
    cx.emit(
        "pragma",
        minijinja::context! { name => safe("foreign_keys"), on => false },
    )?;
    let before = take(&mut cx);
    let quoted: Vec<Value> = schemas.iter().map(|s| cx.q(s)).collect();
    cx.note("If foreign keys were on, fail here (before COMMIT, so nothing is applied) when a row breaks one.");
    for stage in ["create", "insert", "drop_check"] {
        cx.emit(
            "foreign_key_check",
            minijinja::context! { stage, schemas => quoted.clone() },
        )?;
    }
    let check = take(&mut cx);
    cx.emit(
        "foreign_key_check",
        minijinja::context! { stage => "drop_saved", schemas => quoted.clone() },
    )?;
    let forget = take(&mut cx);
    cx.emit(
        "pragma",
        minijinja::context! { name => safe("foreign_keys"), on => true },
    )?;
    let after = take(&mut cx);
    Ok(ForeignKeysOff {
        before,
        check,
        forget,
        after,
    })
}

/// Lowers `op` into `cx`.
fn lower_into(cx: &mut Cx, op: &Op, applied: &Applied, after: &Schema) -> Result<(), Diagnostic> {
    if cx.r.named_enum_type() {
        for e in &applied.enums_created {
            create_type(cx, e)?;
        }
    }
    match &op.kind {
        OpKind::CreateTable(ct) => table::create_table(cx, ct)?,
        OpKind::DropTable(dt) => table::drop_table(cx, dt)?,
        OpKind::RenameTable(rt) => table::rename_table(cx, rt, after)?,
        OpKind::AddColumn(ac) => table::add_column(cx, ac, after)?,
        OpKind::DropColumn(dc) => table::drop_column(cx, dc, applied, after)?,
        OpKind::AlterColumn(ac) => alter::alter_column(cx, ac, applied, after)?,
        OpKind::AddConstraint(ac) => table::add_constraint(cx, ac)?,
        OpKind::DropConstraint(dc) => table::drop_constraint(cx, dc, applied, after)?,
        OpKind::ValidateConstraint(v) => validate::validate_constraint(cx, v)?,
        OpKind::CreateIndex(ci) => index::create_index(cx, ci)?,
        OpKind::DropIndex(di) => index::drop_index(cx, di, applied, after)?,
        OpKind::SetTableComment(tc) => table::set_table_comment(cx, tc, applied)?,
        OpKind::CreateSequence(cs) => data::create_sequence(cx, cs)?,
        OpKind::DropSequence(ds) => data::drop_sequence(cx, ds)?,
        OpKind::AlterEnum(ae) => enums::alter_enum(cx, ae, applied, after)?,
        OpKind::BulkInsert(bi) => data::bulk_insert(cx, bi, after)?,
        OpKind::UpdateRows(u) => data::update_rows(cx, u, after)?,
        OpKind::DeleteRows(d) => data::delete_rows(cx, d)?,
        OpKind::Execute(ex) => data::execute(cx, ex)?,
        OpKind::CreateView(cv) => view::create_view(cx, cv)?,
        OpKind::ReplaceView(cv) => view::replace_view(cx, cv, after)?,
        OpKind::DropView(dv) => view::drop_view(cx, dv)?,
        OpKind::CreateRoutine(r) => routine::create(cx, r)?,
        OpKind::ReplaceRoutine(r) => routine::replace(cx, r, applied)?,
        OpKind::DropRoutine(d) => routine::drop(cx, d, applied)?,
    }
    if let (true, None, OpKind::AlterColumn(ac)) = (cx.out.is_empty(), &cx.rebuild, &op.kind) {
        cx.note(&format!(
            "`{}.{}` already is what this op asks for on {}: nothing to do",
            ac.table, ac.column, cx.d
        ));
    }
    if cx.r.named_enum_type() {
        for e in &applied.enums_dropped {
            let name = cx.q(e.name.as_str());
            cx.emit("drop_type", minijinja::context! { name })?;
        }
    }
    Ok(())
}

fn create_type(cx: &mut Cx, e: &EnumType) -> Result<(), Diagnostic> {
    let values: Vec<Value> = e.values.iter().map(|v| cx.lit(v)).collect();
    let name = cx.q(e.name.as_str());
    cx.emit("create_type", minijinja::context! { name, values })
}

/// The lowering context: the dialect, its renderer, the op's span for errors,
/// and the statements emitted so far.
pub(crate) struct Cx<'a> {
    d: Dialect,
    /// What the dialect does.
    r: &'static dyn Rules,
    renderer: &'a Renderer,
    span: Span,
    out: Vec<Stmt>,
    /// The table this op needs rebuilt (SQLite), emitted by [`Lowering`].
    rebuild: Option<QualifiedName>,
    /// Databases of tables the op rebuilt itself that a foreign key
    /// referenced (enum ops), for [`Lowering::foreign_key_schemas`].
    rebuilt_referenced: Vec<String>,
    /// See [`Lowering::deferring`].
    defer: bool,
}

impl<'a> Cx<'a> {
    fn new(renderer: &'a Renderer, span: Span) -> Cx<'a> {
        let d = renderer.dialect();
        Cx {
            d,
            r: d.rules(),
            renderer,
            span,
            out: Vec::new(),
            rebuild: None,
            rebuilt_referenced: Vec::new(),
            defer: false,
        }
    }

    /// Asks for `table` to be rebuilt into its definition after the op (SQLite).
    fn rebuild(&mut self, table: &QualifiedName) {
        self.rebuild = Some(table.clone());
    }

    /// Appends template `template` with `ctx` as a transactional statement.
    fn emit(&mut self, template: &'static str, ctx: Value) -> Result<(), Diagnostic> {
        self.emit_with(template, ctx, true)
    }

    fn emit_with(
        &mut self,
        template: &'static str,
        ctx: Value,
        transactional: bool,
    ) -> Result<(), Diagnostic> {
        self.emit_block(template, ctx, transactional, false)
    }

    /// Appends template `template` with `ctx`, unless it renders to nothing.
    /// It is rendered here, once, so that a template bug or a statement the
    /// dialect's client would read something besides SQL into (the last line
    /// of defence: names and literals are made safe where they are quoted) is
    /// an error at the op; the statement then carries its text.
    fn emit_block(
        &mut self,
        template: &'static str,
        ctx: Value,
        transactional: bool,
        block: bool,
    ) -> Result<(), Diagnostic> {
        let stmt = Stmt {
            body: Body::Template {
                name: template,
                ctx,
            },
            transactional,
            block,
        };
        if self.defer {
            self.out.push(stmt);
            return Ok(());
        }
        let rendered = self
            .renderer
            .rendered(stmt)
            .map_err(|e| self.template_diagnostic(e))?;
        let Some(stmt) = rendered else {
            return Ok(());
        };
        if let Some(why) = hazard(self.d, &stmt) {
            return Err(Diagnostic::error(
                Code::UnsafeSql,
                format!("the SQL of this op cannot be written safely for {}", self.d),
            )
            .at(self.span, why));
        }
        self.out.push(stmt);
        Ok(())
    }

    /// Adds a note for the reviewer (see [`Body::Note`]), once per op.
    fn note(&mut self, text: &str) {
        let shown = crate::render::note_line(text);
        let seen = self
            .out
            .iter()
            .any(|s| matches!(&s.body, Body::Note(t) if crate::render::note_line(t) == shown));
        if !seen {
            self.out.push(Stmt {
                body: Body::Note(text.to_string()),
                transactional: true,
                block: false,
            });
        }
    }

    /// Renders a template to text; a template bug becomes a diagnostic at the op.
    fn render(&self, template: &str, ctx: &Value) -> Result<String, Diagnostic> {
        self.renderer
            .render(template, ctx)
            .map_err(|e| self.template_diagnostic(e))
    }

    /// A renderer failure as a diagnostic at the op, so the driver can say which
    /// op was being lowered; [`template_failure`] turns it back into the error.
    fn template_diagnostic(&self, e: Error) -> Diagnostic {
        let message = match e {
            Error::Template(m) => m,
            other => other.to_string(),
        };
        Diagnostic::error(Code::TemplateError, message)
            .at(self.span, format!("while lowering this op for {}", self.d))
    }

    /// A quoted identifier.
    fn q(&self, name: &str) -> Value {
        safe(self.d.quote_ident(name))
    }

    /// A quoted, schema-qualified name.
    fn qn_str(&self, name: &QualifiedName) -> String {
        match &name.schema {
            Some(s) => format!(
                "{}.{}",
                self.d.quote_ident(s.as_str()),
                self.d.quote_ident(name.name.as_str())
            ),
            None => self.d.quote_ident(name.name.as_str()),
        }
    }

    fn qn(&self, name: &QualifiedName) -> Value {
        safe(self.qn_str(name))
    }

    /// A constraint or index name, shortened to the dialect's limit, unquoted.
    fn fit(&self, name: &str) -> String {
        names::fit(name, self.r.max_ident_len())
    }

    /// A constraint or index name, shortened and quoted.
    fn cname(&self, name: &str) -> Value {
        safe(self.d.quote_ident(&self.fit(name)))
    }

    /// A string literal.
    fn lit(&self, s: &str) -> Value {
        safe(self.d.quote_str(s))
    }

    /// A SQL fragment of the migration, spelled for the dialect (see [`fragment`]).
    fn expr(&self, e: &SqlExpr) -> Result<String, Diagnostic> {
        self.fragment(&e.text, e.span)
    }

    /// `text`, a fragment written at `span`, spelled for the dialect. A refusal
    /// points into the fragment when `span` covers exactly `text`.
    fn fragment(&self, text: &str, span: Span) -> Result<String, Diagnostic> {
        fragment::render(text, self.d).map_err(|r| {
            let at = if span.is_none() {
                self.span
            } else if (span.end - span.start) as usize == text.len() {
                let start = span.start as usize;
                Span::new(span.file, start + r.range.start, start + r.range.end)
            } else {
                span
            };
            Diagnostic::error(
                Code::UnsafeSql,
                format!("this SQL cannot be written safely for {}", self.d),
            )
            .at(at, r.message)
            .with_help(r.help)
        })
    }

    /// A located error about something this dialect cannot do.
    fn unsupported(&self, code: Code, what: impl Into<String>, span: Span) -> Diagnostic {
        let span = if span.is_none() { self.span } else { span };
        Diagnostic::error(code, what).at(span, format!("not supported on {}", self.d))
    }
}

/// The table `name` in the schema after the op.
fn table_in<'s>(
    schema: &'s Schema,
    name: &QualifiedName,
    span: Span,
) -> Result<&'s Table, Diagnostic> {
    schema.tables.get(&name.key()).ok_or_else(|| {
        Diagnostic::error(Code::UnknownTable, format!("no table `{name}`"))
            .at(span, "not in the schema model")
    })
}

/// The column as it was before the op (`alter_column`, `drop_column`).
fn old_column(applied: &Applied, span: Span) -> Result<&Column, Diagnostic> {
    applied.old_column.as_ref().ok_or_else(|| {
        Diagnostic::error(
            Code::UnknownColumn,
            "the schema model has no column for this op",
        )
        .at(span, "")
    })
}

/// An `Option<Value>` as a template value (`none` when absent).
fn opt(v: Option<Value>) -> Value {
    v.unwrap_or(Value::from(()))
}

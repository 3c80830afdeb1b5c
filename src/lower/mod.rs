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
mod index;
mod mysql;
pub mod names;
mod sqlite;
mod table;
#[cfg(test)]
mod tests;
pub mod types;

use crate::diag::Diagnostic;
use crate::dialect::{Caps, Dialect};
use crate::ir::{Column, EnumType, Op, OpKind, QualifiedName};
use crate::render::{safe, Renderer};
use crate::schema::{Applied, Schema, Table};
use crate::source::Span;
use minijinja::Value;

/// One SQL statement, without its terminator. A "statement" whose every line
/// is a `--` comment is a note for the reviewer (why an op emits no SQL on this
/// dialect); the script prints it as is, without terminator or batch separator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stmt {
    /// The statement text.
    pub sql: String,
    /// False when the statement must run outside a transaction
    /// (PostgreSQL `CREATE INDEX CONCURRENTLY`); the script closes and reopens
    /// its transaction around it.
    pub transactional: bool,
}

/// Lowers one op that has just been applied: `applied` describes the state
/// before, `after` is the schema after the op.
pub fn lower(
    op: &Op,
    applied: &Applied,
    after: &Schema,
    renderer: &Renderer,
) -> Result<Vec<Stmt>, Diagnostic> {
    let mut cx = Cx::new(renderer, op.span);
    if cx.caps.named_enum_type {
        for e in &applied.enums_created {
            create_type(&mut cx, e)?;
        }
    }
    match &op.kind {
        OpKind::CreateTable(ct) => table::create_table(&mut cx, ct)?,
        OpKind::DropTable(dt) => table::drop_table(&mut cx, dt)?,
        OpKind::RenameTable(rt) => table::rename_table(&mut cx, rt, after)?,
        OpKind::AddColumn(ac) => table::add_column(&mut cx, ac, after)?,
        OpKind::DropColumn(dc) => table::drop_column(&mut cx, dc, applied, after)?,
        OpKind::AlterColumn(ac) => alter::alter_column(&mut cx, ac, applied, after)?,
        OpKind::AddConstraint(ac) => table::add_constraint(&mut cx, ac, after)?,
        OpKind::DropConstraint(dc) => table::drop_constraint(&mut cx, dc, applied, after)?,
        OpKind::CreateIndex(ci) => index::create_index(&mut cx, ci)?,
        OpKind::DropIndex(di) => index::drop_index(&mut cx, di, applied, after)?,
        OpKind::SetTableComment(tc) => table::set_table_comment(&mut cx, tc, applied)?,
        OpKind::CreateSequence(cs) => data::create_sequence(&mut cx, cs)?,
        OpKind::DropSequence(ds) => data::drop_sequence(&mut cx, ds)?,
        OpKind::BulkInsert(bi) => data::bulk_insert(&mut cx, bi, after)?,
        OpKind::Execute(ex) => data::execute(&mut cx, ex)?,
    }
    if let (true, OpKind::AlterColumn(ac)) = (cx.out.is_empty(), &op.kind) {
        cx.note(&format!(
            "`{}.{}` already is what this op asks for on {}: nothing to do",
            ac.table, ac.column, cx.d
        ));
    }
    if cx.caps.named_enum_type {
        for e in &applied.enums_dropped {
            let name = cx.q(e.name.as_str());
            cx.emit("drop_type", minijinja::context! { name })?;
        }
    }
    Ok(cx.out)
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
    caps: &'static Caps,
    renderer: &'a Renderer,
    span: Span,
    out: Vec<Stmt>,
}

impl<'a> Cx<'a> {
    fn new(renderer: &'a Renderer, span: Span) -> Cx<'a> {
        let d = renderer.dialect();
        Cx {
            d,
            caps: d.caps(),
            renderer,
            span,
            out: Vec::new(),
        }
    }

    /// Renders `template` and appends it as a transactional statement.
    fn emit(&mut self, template: &str, ctx: Value) -> Result<(), Diagnostic> {
        self.emit_with(template, ctx, true)
    }

    fn emit_with(
        &mut self,
        template: &str,
        ctx: Value,
        transactional: bool,
    ) -> Result<(), Diagnostic> {
        let sql = self.render(template, &ctx)?;
        if !sql.trim().is_empty() {
            self.out.push(Stmt { sql, transactional });
        }
        Ok(())
    }

    /// Adds a note for the reviewer (see [`Stmt`]), once per op.
    fn note(&mut self, text: &str) {
        let sql = crate::script::comment_line(&format!("-- {text}"));
        if !self.out.iter().any(|s| s.sql == sql) {
            self.out.push(Stmt {
                sql,
                transactional: true,
            });
        }
    }

    /// Renders a template to text; a template bug becomes a diagnostic at the op.
    fn render(&self, template: &str, ctx: &Value) -> Result<String, Diagnostic> {
        self.renderer.render(template, ctx).map_err(|e| {
            Diagnostic::error("template-error", e.to_string())
                .at(self.span, format!("while lowering this op for {}", self.d))
        })
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
        names::fit(name, self.caps.max_ident_len)
    }

    /// A constraint or index name, shortened and quoted.
    fn cname(&self, name: &str) -> Value {
        safe(self.d.quote_ident(&self.fit(name)))
    }

    /// A string literal.
    fn lit(&self, s: &str) -> Value {
        safe(self.d.quote_str(s))
    }

    /// A located error about something this dialect cannot do.
    fn unsupported(&self, code: &'static str, what: impl Into<String>, span: Span) -> Diagnostic {
        let span = if span == Span::default() {
            self.span
        } else {
            span
        };
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
        Diagnostic::error("unknown-table", format!("no table `{name}`"))
            .at(span, "not in the schema model")
    })
}

/// The column as it was before the op (`alter_column`, `drop_column`).
fn old_column(applied: &Applied, span: Span) -> Result<&Column, Diagnostic> {
    applied.old_column.as_ref().ok_or_else(|| {
        Diagnostic::error(
            "unknown-column",
            "the schema model has no column for this op",
        )
        .at(span, "")
    })
}

/// An `Option<Value>` as a template value (`none` when absent).
fn opt(v: Option<Value>) -> Value {
    v.unwrap_or(Value::from(()))
}

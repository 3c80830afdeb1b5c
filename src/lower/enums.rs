//! `add_enum_value`, `rename_enum_value`, `drop_enum_value`. PostgreSQL
//! changes the type: `ALTER TYPE ... ADD VALUE` (outside the transaction: the
//! new value cannot be used in the transaction that adds it, and before
//! PostgreSQL 12 the statement cannot run in one at all) and `RENAME VALUE`;
//! a removal rebuilds the type (a new type, each column moved to it through
//! text with its default dropped and restored around the move, the old type
//! dropped, the new one renamed). Elsewhere each column using the enum is
//! altered into its definition after the op, as `alter_column` does it there
//! (MySQL's MODIFY with the full column, the CHECK dropped and added again,
//! a SQLite rebuild); a rename there goes through both values, so that the
//! rows can be updated in between.

use super::column::default_sql;
use super::rebuild::{self, Run};
use super::{alter, opt, Cx};
use crate::diag::Diagnostic;
use crate::ir::{
    AlterColumn, AlterEnum, Column, EnumChange, EnumPosition, Ident, Op, OpKind, QualifiedName,
    TypeKind,
};
use crate::render::safe;
use crate::schema::{Applied, Schema};
use indexmap::IndexMap;
use minijinja::{context, Value};

/// Lowers an enum op, just applied (`applied.enum_columns` are the columns as
/// they were, `after` the schema after it).
pub(crate) fn alter_enum(
    cx: &mut Cx,
    a: &AlterEnum,
    applied: &Applied,
    after: &Schema,
) -> Result<(), Diagnostic> {
    if cx.r.named_enum_type() {
        return alter_type(cx, a, applied, after);
    }
    let EnumChange::Rename(from, to) = &a.change else {
        return retype(cx, &applied.enum_columns, after);
    };
    // Both values for a moment: the rows move from one to the other.
    let mid = widened(after, applied, to, from);
    retype(cx, &applied.enum_columns, &mid)?;
    for (table, col) in &applied.enum_columns {
        let column = cx.q(col.name.as_str());
        let value = cx.lit(to);
        let cond = safe(format!("{column} = {}", cx.lit(from)));
        let set = vec![context! { column, value }];
        cx.emit(
            "update_rows",
            context! { table => cx.qn(table), set, where => cond },
        )?;
    }
    let between: Vec<(QualifiedName, Column)> = applied
        .enum_columns
        .iter()
        .filter_map(|(t, c)| Some((t.clone(), mid.table(t)?.column(c.name.as_str())?.clone())))
        .collect();
    retype(cx, &between, after)
}

/// `after` with the enum's columns holding `extra` too, right after `next_to`.
fn widened(after: &Schema, applied: &Applied, extra: &str, next_to: &str) -> Schema {
    let mut mid = after.clone();
    for (t, old) in &applied.enum_columns {
        let TypeKind::Enum(e) = &old.ty.kind else {
            continue;
        };
        let mut e = e.clone();
        let at = e
            .values
            .iter()
            .position(|v| v == next_to)
            .map_or(e.values.len(), |i| i + 1);
        e.values.insert(at, extra.to_string());
        if let Some(c) = mid
            .tables
            .get_mut(&t.key())
            .and_then(|t| t.columns.get_mut(old.name.as_str()))
        {
            c.ty.kind = TypeKind::Enum(e);
            // The default keeps its old value until the rows have moved.
            c.default = old.default.clone();
        }
    }
    mid
}

/// Alters each of `columns` (as they are now) into its definition in `to`,
/// as `alter_column` would; SQLite rebuilds each table once.
fn retype(cx: &mut Cx, columns: &[(QualifiedName, Column)], to: &Schema) -> Result<(), Diagnostic> {
    let mut runs: IndexMap<String, Run> = IndexMap::new();
    for (table, old) in columns {
        let Some(new) = to.table(table).and_then(|t| t.column(old.name.as_str())) else {
            continue;
        };
        let ac = AlterColumn {
            table: table.clone(),
            column: old.name.clone(),
            new_type: Some(new.ty.clone()),
            default: (old.default != new.default).then(|| new.default.clone()),
            ..AlterColumn::default()
        };
        let applied = Applied {
            table: Some(table.clone()),
            old_column: Some(old.clone()),
            ..Applied::default()
        };
        if cx.r.alter_column_rebuilds() {
            let op = Op::new(OpKind::AlterColumn(ac), cx.span);
            let run = runs
                .entry(table.key())
                .or_insert_with(|| Run::new(table.clone()));
            run.join(&op, &applied);
        } else {
            alter::alter_column(cx, &ac, &applied, to)?;
        }
    }
    for run in runs.values() {
        if rebuild::rebuild(cx, to, run)? {
            let db = run.table.schema.as_ref().map_or("main", |s| s.as_str());
            cx.rebuilt_referenced.push(db.to_string());
        }
    }
    Ok(())
}

/// PostgreSQL: the enum type itself changes.
fn alter_type(
    cx: &mut Cx,
    a: &AlterEnum,
    applied: &Applied,
    after: &Schema,
) -> Result<(), Diagnostic> {
    // Spelled as `create_type` and the column types spell it: unqualified.
    let name = cx.q(a.name.name.as_str());
    let none = Value::from(());
    match &a.change {
        EnumChange::Add(v, position) => {
            let (before, after_value) = match position {
                EnumPosition::Last => (none.clone(), none),
                EnumPosition::Before(w, _) => (cx.lit(w), none),
                EnumPosition::After(w, _) => (none, cx.lit(w)),
            };
            cx.note("ALTER TYPE ... ADD VALUE runs outside the transaction: the value it adds cannot be used in the transaction that adds it (and before PostgreSQL 12 it cannot run inside a transaction block at all).");
            let ctx = context! { name, action => "add_value", value => cx.lit(v), before, after => after_value };
            cx.emit_with("alter_type", ctx, false)
        }
        EnumChange::Rename(from, to) => {
            let ctx = context! { name, action => "rename_value", value => cx.lit(from), to => cx.lit(to) };
            cx.emit("alter_type", ctx)
        }
        EnumChange::Drop(_) => rebuild_type(cx, a, applied, after),
    }
}

/// PostgreSQL cannot drop an enum value: a new type without it takes the
/// columns over (through text, defaults dropped and restored around the
/// move), the old type goes and the new one takes its name.
fn rebuild_type(
    cx: &mut Cx,
    a: &AlterEnum,
    applied: &Applied,
    after: &Schema,
) -> Result<(), Diagnostic> {
    // Unqualified, as `create_type` and the column types spell enum types.
    let tmp = QualifiedName::bare(Ident::synthetic(
        cx.fit(&format!("_ddlc_tmp_{}", a.name.name.as_str())),
    ));
    let Some(e) = after.enum_type(&a.name) else {
        return Ok(());
    };
    let values: Vec<Value> = e.values.iter().map(|v| cx.lit(v)).collect();
    cx.note("PostgreSQL cannot drop an enum value: a new type without it replaces the old one; rows that still hold the value make the column change fail (update or delete them first).");
    cx.emit("create_type", context! { name => cx.qn(&tmp), values })?;
    for (table, old) in &applied.enum_columns {
        let col = cx.q(old.name.as_str());
        let qt = cx.qn(table);
        let step = |action: &str| context! { table => qt.clone(), column => col.clone(), action };
        if old.default.is_some() {
            cx.emit("alter_column", step("drop_default"))?;
        }
        let using = context! { via_text => col.clone(), sql => opt(None) };
        let ctx = context! { type => cx.qn(&tmp), using, ..step("type") };
        cx.emit("alter_column", ctx)?;
        if let Some(v) = &old.default {
            let default = safe(default_sql(cx, v, &old.ty.kind)?);
            cx.emit("alter_column", context! { default, ..step("set_default") })?;
        }
    }
    cx.emit("drop_type", context! { name => cx.q(a.name.name.as_str()) })?;
    let ctx =
        context! { name => cx.qn(&tmp), action => "rename", to => cx.q(a.name.name.as_str()) };
    cx.emit("alter_type", ctx)
}

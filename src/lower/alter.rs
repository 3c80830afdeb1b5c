//! `alter_column` (and `rename_column`) per [`AlterStyle`]: PostgreSQL one clause
//! per change, MySQL the complete definition from the schema model, SQL Server
//! `ALTER COLUMN` plus named defaults, Oracle `MODIFY` of what changed, SQLite a rebuild.

use super::column::{self, column_value, default_sql};
use super::table::{
    comment, drop_dependents, mssql_column_objects, mssql_rename_object, recreate_dependents,
};
use super::{before, opt, sqlite, table_in, types, Cx};
use crate::diag::Diagnostic;
use crate::dialect::AlterStyle;
use crate::ir::{AlterColumn, Column, QualifiedName, TypeKind};
use crate::render::safe;
use crate::schema::{Applied, Schema, Table};
use minijinja::context;

/// `alter_column`.
pub(crate) fn alter_column(
    cx: &mut Cx,
    ac: &AlterColumn,
    applied: &Applied,
    after: &Schema,
) -> Result<(), Diagnostic> {
    let old_table = before(applied, cx.span)?;
    let old_name = ac.column.as_str();
    let new_name = ac.rename.as_ref().map_or(old_name, |r| r.as_str());
    let old_col = old_table
        .columns
        .get(old_name)
        .ok_or_else(|| missing(ac, old_name))?;
    let new_table = table_in(after, &ac.table, cx.span)?;
    let new_col = new_table
        .columns
        .get(new_name)
        .ok_or_else(|| missing(ac, new_name))?;
    let t = &ac.table;
    let changes_definition = ac.new_type.is_some() || ac.nullable.is_some() || ac.default.is_some();
    match cx.caps.alter_style {
        AlterStyle::Rebuild => {
            if changes_definition {
                let renamed = ac.rename.as_ref().map(|r| (old_name, r.as_str()));
                return sqlite::rebuild(cx, old_table, after, t, renamed);
            }
            if ac.rename.is_some() {
                rename_column(cx, t, old_name, new_name)?;
            }
            Ok(())
        }
        AlterStyle::Separate => {
            if ac.rename.is_some() {
                rename_column(cx, t, old_name, new_name)?;
            }
            let col = cx.q(new_name);
            let table = cx.qn(t);
            if ac.new_type.is_some() {
                let ty = types::column_type(&new_col.ty, cx.d)?;
                let using = ac.using.as_ref().map(|u| safe(u.text.clone()));
                cx.emit("alter_column", context! { table => table.clone(), column => col.clone(), action => "type", type => safe(ty.sql), using => opt(using) })?;
            }
            if let Some(nullable) = ac.nullable {
                let action = if nullable {
                    "drop_not_null"
                } else {
                    "set_not_null"
                };
                cx.emit(
                    "alter_column",
                    context! { table => table.clone(), column => col.clone(), action },
                )?;
            }
            match &ac.default {
                Some(Some(v)) => {
                    let default = safe(default_sql(cx, v, &new_col.ty.kind)?);
                    cx.emit("alter_column", context! { table => table.clone(), column => col.clone(), action => "set_default", default })?;
                }
                Some(None) => cx.emit("alter_column", context! { table => table.clone(), column => col.clone(), action => "drop_default" })?,
                None => {}
            }
            comment_change(cx, ac, old_col, new_name)
        }
        AlterStyle::FullDefinition => {
            // One statement with everything the column is after the op: MODIFY and
            // CHANGE reset whatever they do not restate (Alembic's lost NOT NULL).
            let ctx = context! {
                table => cx.qn(t),
                column => cx.q(old_name),
                rename => ac.rename.is_some(),
                def => column_value(cx, t, new_col, None)?,
            };
            cx.emit("alter_column", ctx)
        }
        AlterStyle::AlterColumn => mssql(
            cx,
            ac,
            (old_table, new_table),
            (old_col, new_col),
            old_name,
            new_name,
        ),
        AlterStyle::ModifyChanged => {
            if ac.rename.is_some() {
                rename_column(cx, t, old_name, new_name)?;
            }
            if changes_definition {
                let ty = match &ac.new_type {
                    Some(_) => Some(safe(types::column_type(&new_col.ty, cx.d)?.sql)),
                    None => None,
                };
                let default = match &ac.default {
                    Some(Some(v)) => Some(safe(default_sql(cx, v, &new_col.ty.kind)?)),
                    _ => None,
                };
                let ctx = context! {
                    table => cx.qn(t),
                    column => cx.q(new_name),
                    type => opt(ty),
                    set_default => ac.default.is_some(),
                    default => opt(default),
                    nullable => ac.nullable,
                };
                cx.emit("alter_column", ctx)?;
            }
            comment_change(cx, ac, old_col, new_name)
        }
    }
}

fn missing(ac: &AlterColumn, name: &str) -> Diagnostic {
    Diagnostic::error(
        "unknown-column",
        format!("table `{}` has no column `{name}`", ac.table),
    )
    .at(ac.column.span, "no such column")
}

fn rename_column(cx: &mut Cx, t: &QualifiedName, old: &str, new: &str) -> Result<(), Diagnostic> {
    let old_literal = cx.lit(&format!("{}.{}", cx.qn_str(t), cx.d.quote_ident(old)));
    let ctx = context! {
        table => cx.qn(t),
        column => cx.q(old),
        new_name => cx.q(new),
        old_literal,
        new_literal => cx.lit(new),
    };
    cx.emit("rename_column", ctx)
}

fn comment_change(
    cx: &mut Cx,
    ac: &AlterColumn,
    old_col: &Column,
    new_name: &str,
) -> Result<(), Diagnostic> {
    if let Some(c) = &ac.comment {
        comment(
            cx,
            &ac.table,
            Some(new_name),
            c.as_deref(),
            old_col.comment.is_some(),
        )?;
    }
    Ok(())
}

/// SQL Server: a default constraint or CHECK on the column blocks ALTER COLUMN, so
/// they are dropped first and re-added after, by their deterministic names.
fn mssql(
    cx: &mut Cx,
    ac: &AlterColumn,
    (old_table, new_table): (&Table, &Table),
    (old_col, new_col): (&Column, &Column),
    old_name: &str,
    new_name: &str,
) -> Result<(), Diagnostic> {
    let t = &ac.table;
    if ac.rename.is_some() {
        rename_column(cx, t, old_name, new_name)?;
        for (old, new) in mssql_column_objects(cx, t, t, old_name, new_name, old_col) {
            mssql_rename_object(cx, t, &old, &new)?;
        }
    }
    let alter = ac.new_type.is_some() || ac.nullable.is_some();
    let default_changes = ac.default.is_some() || (alter && old_col.default.is_some());
    let enum_of = |c: &Column| match (&c.ty.kind, types::variant(&c.ty, cx.d)) {
        (TypeKind::Enum(e), None) => Some(e.clone()),
        _ => None,
    };
    let (old_enum, new_enum) = (enum_of(old_col), enum_of(new_col));
    let check_changes = ac.new_type.is_some() && old_enum != new_enum;
    let table = cx.qn(t);
    if default_changes && old_col.default.is_some() {
        let name = cx.cname(&column::default_name(t, new_name));
        cx.emit("drop_constraint", context! { table => table.clone(), name })?;
    }
    if let (true, Some(e)) = (check_changes, &old_enum) {
        let name = cx.cname(&column::enum_check_name(t, new_name, e.name.as_str()));
        cx.emit("drop_constraint", context! { table => table.clone(), name })?;
    }
    let dependents = alter && cx.caps.column_dependents_block_alter;
    if dependents {
        // Named as they are after a rename, which sp_rename does not change.
        drop_dependents(cx, old_table, old_name)?;
    }
    if alter {
        let def = column_value(cx, t, new_col, None)?;
        cx.emit("alter_column", context! { table => table.clone(), def })?;
    }
    if dependents {
        recreate_dependents(cx, old_table, new_table, old_name)?;
    }
    if let (true, Some(v)) = (default_changes, &new_col.default) {
        let ctx = context! {
            table => table.clone(),
            name => cx.cname(&column::default_name(t, new_name)),
            default => safe(default_sql(cx, v, &new_col.ty.kind)?),
            column => cx.q(new_name),
        };
        cx.emit("add_default", ctx)?;
    }
    if let (true, Some(e)) = (check_changes, &new_enum) {
        let values: Vec<String> = e.values.iter().map(|v| cx.d.quote_str(v)).collect();
        let con = context! {
            name => cx.cname(&column::enum_check_name(t, new_name, e.name.as_str())),
            kind => "check",
            expr => safe(format!("{} IN ({})", cx.d.quote_ident(new_name), values.join(", "))),
        };
        cx.emit(
            "add_constraint",
            context! { table => table.clone(), constraint => con },
        )?;
    }
    comment_change(cx, ac, old_col, new_name)
}

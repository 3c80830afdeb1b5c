//! SQLite table rebuilds: the documented "12-step" ALTER procedure
//! (<https://www.sqlite.org/lang_altertable.html#otheralter>), offline form.
//! The new definition comes from the schema model after the op; rows are
//! copied with CAST where a column's type changed; indexes are recreated.
//!
//! Foreign keys: `PRAGMA foreign_keys = OFF` is a no-op inside a transaction,
//! and the script runs in one. `PRAGMA defer_foreign_keys = ON` is valid there
//! and holds the checks until COMMIT, by which time the rebuilt table is back
//! under its name. It does not stop ON DELETE actions, though: dropping the old
//! table deletes its rows, and CASCADE / SET NULL / SET DEFAULT / RESTRICT on a
//! referencing table would fire. Only then is `foreign_keys` switched off,
//! by statements marked non-transactional so the script runs them between
//! COMMIT and BEGIN, and switched back on afterwards.
//!
//! Views: the DROP and RENAME run under `PRAGMA legacy_alter_table = ON`, so a
//! view over the table (created by `execute`) does not fail the RENAME.

use super::table::create_table_value;
use super::{index, table_in, types, Cx};
use crate::diag::Diagnostic;
use crate::ir::{Column, ConstraintKind, DefaultValue, FkAction, QualifiedName};
use crate::render::safe;
use crate::schema::Schema;
use indexmap::{IndexMap, IndexSet};
use minijinja::context;

/// SQLite's ADD COLUMN refuses these (lang_altertable.html#altertabaddcol).
pub(crate) fn add_column_needs_rebuild(col: &Column) -> bool {
    let not_null_without_default = !col.nullable && col.default.is_none() && col.computed.is_none();
    let non_constant_default = matches!(
        col.default,
        Some(DefaultValue::CurrentTimestamp | DefaultValue::CurrentDate | DefaultValue::Expr(_))
    );
    let stored = col.computed.as_ref().is_some_and(|c| c.stored);
    not_null_without_default || non_constant_default || stored || col.identity.is_some()
}

/// Where the rows of a rebuilt table come from: by default each column of the
/// new table from the old column of the same name and type. Built from what
/// the ops changed (never from a copy of the old table).
#[derive(Clone, Debug, Default)]
pub(crate) struct Sources {
    /// New column name -> the old column it is copied from, where that one had
    /// another name or type.
    changed: IndexMap<String, Column>,
    /// Columns of the new table that have no old column (their default fills them).
    added: IndexSet<String>,
}

impl Sources {
    /// A rebuild after `column` was added.
    pub(crate) fn added(column: &str) -> Sources {
        Sources {
            added: [column.to_string()].into_iter().collect(),
            ..Sources::default()
        }
    }

    /// A rebuild after the old column `old` was changed into the column `new_name`.
    pub(crate) fn changed(new_name: &str, old: &Column) -> Sources {
        Sources {
            changed: [(new_name.to_string(), old.clone())].into_iter().collect(),
            ..Sources::default()
        }
    }

    /// The old column that `col` of the new table is copied from (`col` itself
    /// when it kept its name and type), or None when it is new.
    fn of<'c>(&'c self, col: &'c Column) -> Option<&'c Column> {
        let name = col.name.as_str();
        if self.added.contains(name) {
            return None;
        }
        Some(self.changed.get(name).unwrap_or(col))
    }
}

/// Rebuilds `name` into its definition in `after`, copying the rows as
/// `sources` says.
pub(crate) fn rebuild(
    cx: &mut Cx,
    after: &Schema,
    name: &QualifiedName,
    sources: &Sources,
) -> Result<(), Diagnostic> {
    let new = table_in(after, name, cx.span)?;
    let tmp = QualifiedName {
        schema: name.schema.clone(),
        name: crate::ir::Ident::synthetic(format!("_ddlc_tmp_{}", name.name.as_str())),
    };
    let fk_actions = referenced_with_actions(after, name);
    if fk_actions {
        pragma(cx, "foreign_keys", "OFF", false)?;
    }
    pragma(cx, "defer_foreign_keys", "ON", true)?;
    cx.emit("create_table", create_table_value(cx, new, &tmp, false)?)?;
    let (mut columns, mut exprs) = (Vec::new(), Vec::new());
    for col in new.columns.values().filter(|c| c.computed.is_none()) {
        let Some(src) = sources.of(col).filter(|c| c.computed.is_none()) else {
            continue;
        };
        let quoted = cx.d.quote_ident(src.name.as_str());
        let new_ty = types::column_type(&col.ty, cx.d)?.sql;
        let expr = if types::column_type(&src.ty, cx.d)?.sql == new_ty {
            quoted
        } else {
            format!("CAST({quoted} AS {new_ty})")
        };
        columns.push(cx.q(col.name.as_str()));
        exprs.push(safe(expr));
    }
    if !columns.is_empty() {
        let ctx = context! { table => cx.qn(&tmp), columns, exprs, source => cx.qn(name) };
        cx.emit("insert_select", ctx)?;
    }
    // A view (from `execute`) that reads the table would make the RENAME fail:
    // since 3.26 it re-checks every view and finds the dropped table missing.
    // The legacy mode renames without that check; the view then finds the new
    // table under the old name.
    pragma(cx, "legacy_alter_table", "ON", true)?;
    cx.emit(
        "drop_table",
        context! { table => cx.qn(name), if_exists => false },
    )?;
    let ctx = context! { table => cx.qn(&tmp), new_name => cx.q(name.name.as_str()) };
    cx.emit("rename_table", ctx)?;
    pragma(cx, "legacy_alter_table", "OFF", true)?;
    for idx in new.indexes.values() {
        index::emit_create(cx, idx, false, false)?;
    }
    if fk_actions {
        pragma(cx, "foreign_keys", "ON", false)?;
    }
    Ok(())
}

/// True when some foreign key pointing at `name` has an action that dropping
/// the old table would fire.
fn referenced_with_actions(schema: &Schema, name: &QualifiedName) -> bool {
    let acts = |a: Option<FkAction>| a.is_some_and(|a| a != FkAction::NoAction);
    schema.tables.values().any(|t| {
        t.constraints.values().any(|c| match &c.kind {
            ConstraintKind::ForeignKey(fk) => {
                fk.ref_table.key() == name.key() && (acts(fk.on_delete) || acts(fk.on_update))
            }
            _ => false,
        })
    })
}

fn pragma(cx: &mut Cx, name: &str, value: &str, transactional: bool) -> Result<(), Diagnostic> {
    let ctx = context! { name => safe(name), value => safe(value) };
    cx.emit_with("pragma", ctx, transactional)
}

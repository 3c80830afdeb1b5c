//! Table rebuilds (SQLite, whose ALTER TABLE cannot make most changes; asked for by
//! `Rules::alter_column_rebuilds` and friends): the documented ALTER procedure
//! (<https://www.sqlite.org/lang_altertable.html#otheralter>), offline form:
//! `CREATE TABLE _ddlc_tmp_<t>` with the definition from the schema model,
//! `INSERT ... SELECT` of the rows (with CAST where a column's type changed),
//! `DROP TABLE`, `ALTER TABLE ... RENAME`, then the table's indexes again.
//!
//! One rebuild per run of consecutive ops on one table: the first op that
//! needs a rebuild opens a [`Run`], the ops on the same table that follow join
//! it (their own statements are not emitted), and the table is copied once,
//! into its definition after the last of them ([`crate::lower::Lowering`]).
//!
//! Foreign keys: with `PRAGMA foreign_keys = ON`, dropping the old table
//! deletes its rows as far as the tables that reference it are concerned:
//! ON DELETE CASCADE deletes their rows, SET NULL clears them, RESTRICT and
//! NO ACTION count violations that the rebuilt table does not clear, and a
//! rename rewrites the references (even under `legacy_alter_table`). No order
//! of these statements avoids that, and `foreign_keys` cannot change inside a
//! transaction. So a script that rebuilds a table some foreign key references
//! (its own included) does what SQLite's procedure says around its one
//! transaction: foreign keys off before BEGIN, a foreign-key check that fails
//! the script before COMMIT if they were on and a row now breaks one, and
//! foreign keys on after COMMIT ([`FOREIGN_KEYS_OFF`]). The revision stays one
//! transaction: nothing is committed half-way.
//!
//! Views: the views of the model that read the table (directly or through
//! other views) are dropped before the rebuild and created again after it,
//! from their queries in the model. The DROP and RENAME also run under
//! `PRAGMA legacy_alter_table = ON`, so a view the model does not know
//! (created by `execute`) does not fail the RENAME and reads the new table
//! under the old name. The table's triggers of the model
//! (`create_trigger`) are created again after the views; triggers made by
//! `execute` go with the old table (docs/dsl.md says so).

use super::table::create_table_value;
use super::{index, opt, routine, table_in, types, view, Cx};
use crate::diag::Diagnostic;
use crate::ir::{Column, ConstraintKind, Op, OpKind, QualifiedName};
use crate::render::safe;
use crate::schema::{Applied, Schema};
use indexmap::{IndexMap, IndexSet};
use minijinja::context;

/// Where the rows of a rebuilt table come from: by default each column of the
/// new table from the old column of the same name and type. Built from what
/// the ops of the run changed (never from a copy of the old table).
#[derive(Clone, Debug, Default)]
pub(crate) struct Sources {
    /// New column name -> the old column it is copied from, where that one had
    /// another name or type.
    changed: IndexMap<String, Column>,
    /// Columns of the new table that have no old column (their default fills them).
    added: IndexSet<String>,
}

impl Sources {
    /// Follows one more op of the run.
    fn then(&mut self, op: &Op, applied: &Applied) {
        match &op.kind {
            OpKind::AddColumn(ac) => {
                let name = ac.column.name.as_str();
                self.changed.shift_remove(name);
                self.added.insert(name.to_string());
            }
            OpKind::DropColumn(dc) => {
                let name = dc.column.as_str();
                self.changed.shift_remove(name);
                self.added.shift_remove(name);
            }
            OpKind::AlterColumn(ac) => {
                let from = ac.column.as_str();
                let to = ac.rename.as_ref().map_or(from, |r| r.as_str()).to_string();
                if self.added.shift_remove(from) {
                    self.added.insert(to);
                } else if let Some(src) = self.changed.shift_remove(from) {
                    self.changed.insert(to, src);
                } else if let Some(old) = &applied.old_column {
                    // First change of this column in the run: it comes from the
                    // column as it was before the op.
                    self.changed.insert(to, old.clone());
                }
            }
            _ => {}
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

/// A table rebuild that the following ops on the same table join.
#[derive(Debug)]
pub(crate) struct Run {
    /// The table (its name does not change within a run).
    pub table: QualifiedName,
    /// Where its rows come from.
    sources: Sources,
    /// The ops that joined, the first included.
    pub ops: usize,
    /// A foreign key of the table that referenced the table itself was dropped
    /// in the run: the old table was referenced, though the new one is not.
    self_referenced: bool,
    /// The notes of the run's last op, kept above the rebuild.
    pub last_notes: Vec<super::Stmt>,
}

impl Run {
    /// A run opened by `op` on `table`.
    pub(crate) fn new(table: QualifiedName) -> Run {
        Run {
            table,
            sources: Sources::default(),
            ops: 0,
            self_referenced: false,
            last_notes: Vec::new(),
        }
    }

    /// `op` (applied as `applied`) joins the run.
    pub(crate) fn join(&mut self, op: &Op, applied: &Applied) {
        self.ops += 1;
        self.sources.then(op, applied);
        self.self_referenced |= applied.dropped_constraints.iter().any(|c| {
            matches!(&c.kind, ConstraintKind::ForeignKey(fk) if fk.ref_table.key() == self.table.key())
        });
    }
}

/// Ops that can join a rebuild of their table: the changes a rebuild carries out
/// from the table's definition (columns, constraints, indexes, comments).
pub(crate) fn joins(op: &OpKind) -> bool {
    matches!(
        op,
        OpKind::AddColumn(_)
            | OpKind::DropColumn(_)
            | OpKind::AlterColumn(_)
            | OpKind::AddConstraint(_)
            | OpKind::DropConstraint(_)
            | OpKind::CreateIndex(_)
            | OpKind::DropIndex(_)
            | OpKind::SetTableComment(_)
    )
}

/// Rebuilds the run's table into its definition in `after`. Returns whether a
/// foreign key referenced the table (the script must then turn foreign keys
/// off around its transaction, see the module doc).
pub(crate) fn rebuild(cx: &mut Cx, after: &Schema, run: &Run) -> Result<bool, Diagnostic> {
    let name = &run.table;
    let new = table_in(after, name, cx.span)?;
    let tmp = QualifiedName {
        schema: name.schema.clone(),
        name: crate::ir::Ident::synthetic(format!("_ddlc_tmp_{}", name.name.as_str())),
    };
    let referenced = run.self_referenced || after.referencing_foreign_keys(name).next().is_some();
    let views = after.views_over(&name.key());
    view::drop_all(cx, &views)?;
    cx.emit("create_table", create_table_value(cx, new, &tmp, false)?)?;
    let (mut columns, mut exprs) = (Vec::new(), Vec::new());
    for col in new.columns.values().filter(|c| c.computed.is_none()) {
        let Some(src) = run.sources.of(col).filter(|c| c.computed.is_none()) else {
            continue;
        };
        let new_ty = types::column_type(&col.ty, cx.d)?.sql;
        // The template casts a source column whose type changed.
        let cast = (types::column_type(&src.ty, cx.d)?.sql != new_ty).then(|| safe(new_ty));
        columns.push(cx.q(col.name.as_str()));
        exprs.push(context! { column => cx.q(src.name.as_str()), cast => opt(cast) });
    }
    if !columns.is_empty() {
        let ctx = context! { table => cx.qn(&tmp), columns, exprs, source => cx.qn(name) };
        cx.emit("insert_select", ctx)?;
    }
    // A view (from `execute`) that reads the table would make the RENAME fail:
    // since 3.26 it re-checks every view and finds the dropped table missing.
    // The legacy mode renames without that check; the view then finds the new
    // table under the old name.
    pragma(cx, "legacy_alter_table", true)?;
    cx.emit(
        "drop_table",
        context! { table => cx.qn(name), if_exists => false },
    )?;
    let ctx = context! { table => cx.qn(&tmp), new_name => cx.q(name.name.as_str()) };
    cx.emit("rename_table", ctx)?;
    pragma(cx, "legacy_alter_table", false)?;
    for idx in new.indexes.values() {
        index::emit_create(cx, idx, false, false)?;
    }
    view::create_all(cx, &views)?;
    routine::recreate_triggers(cx, after, &name.key())?;
    Ok(referenced)
}

/// Turns the pragma `name` on or off (`pragma.sql` spells `ON` / `OFF`).
fn pragma(cx: &mut Cx, name: &str, on: bool) -> Result<(), Diagnostic> {
    let ctx = context! { name => safe(name), on };
    cx.emit("pragma", ctx)
}

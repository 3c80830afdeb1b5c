//! `table-rebuild`: an op the dialect cannot do with ALTER TABLE on a table
//! that existed before the revision, so ddlc copies the table into a new
//! definition (SQLite's documented procedure): every row is copied while
//! writes wait, and the table's triggers and views are made again.

use crate::ir::{Op, OpKind, QualifiedName};
use crate::lint::{Cx, Hit, Rule};

/// See the module doc.
pub struct TableRebuild;

impl Rule for TableRebuild {
    fn id(&self) -> &'static str {
        "table-rebuild"
    }
    fn summary(&self) -> &'static str {
        "an op the dialect cannot do in place (SQLite's ALTER TABLE) on a table that existed before the revision: the table is copied, every row, while writes wait"
    }
    fn op(&self, op: &Op, cx: &Cx, out: &mut Vec<Hit>) {
        let Some(table) = rebuilt(op, cx) else { return };
        if !cx.existing(table) {
            return;
        }
        out.push(
            Hit::new(
                format!("`{}` rebuilds table `{table}` on {}: every row is copied into a new table", op.kind.name(), cx.dialect.name()),
                op.span,
                "cannot be done with ALTER TABLE here",
            )
            .help("group the changes to one table in one revision (they share one rebuild), and run it when the table is quiet"),
        );
    }
}

/// The table `op` makes the dialect rebuild, as lowering decides it.
fn rebuilt<'a>(op: &'a Op, cx: &Cx) -> Option<&'a QualifiedName> {
    let r = cx.rules;
    match &op.kind {
        OpKind::AddColumn(a) if r.add_column_rebuilds(&a.column) => Some(&a.table),
        OpKind::AlterColumn(a) if r.alter_column_rebuilds() => {
            let changes = a.new_type.is_some()
                || a.nullable.is_some()
                || a.default.is_some()
                || a.identity.is_some();
            changes.then_some(&a.table)
        }
        OpKind::AddConstraint(a) if !r.alter_constraints() => Some(&a.table),
        OpKind::DropConstraint(d) if !r.alter_constraints() => Some(&d.table),
        OpKind::DropColumn(d) if !r.alter_constraints() => {
            let t = cx.before.table(&d.table)?;
            let used = t
                .constraints
                .values()
                .any(|c| c.kind.columns().iter().any(|col| col.name == d.column.name));
            used.then_some(&d.table)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::lint::testkit::{of, T};

    #[test]
    fn fires_on_sqlite_for_an_existing_table_only() {
        let alter = "    alter_column t.c type bigint";
        assert_eq!(
            of("table-rebuild", &[T, alter], Dialect::Sqlite),
            ["table-rebuild@0002: `alter_column` rebuilds table `t` on sqlite: every row is copied into a new table"]
        );
        assert!(of("table-rebuild", &[T, alter], Dialect::PostgreSql).is_empty());
        assert!(of(
            "table-rebuild",
            &[T, "    rename_column t.c -> d"],
            Dialect::Sqlite
        )
        .is_empty());
        let same = format!("{T}\n{alter}");
        assert!(of("table-rebuild", &[&same], Dialect::Sqlite).is_empty());
    }
}

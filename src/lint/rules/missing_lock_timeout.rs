//! `missing-lock-timeout`: a revision that takes a strong lock on a table
//! that existed before it, where the project's scripts set no timeout
//! (`[scripts] lock_timeout`, or `statement_timeout` on PostgreSQL). The
//! DDL then waits for the lock as long as any transaction holds the table,
//! and every query that comes after it waits behind it: an outage.

use crate::ir::Op;
use crate::ir::{OpKind, QualifiedName};
use crate::lint::{Cx, Hit, Rule};
use crate::source::Span;
use indexmap::IndexSet;

/// See the module doc.
pub struct MissingLockTimeout;

impl Rule for MissingLockTimeout {
    fn id(&self) -> &'static str {
        "missing-lock-timeout"
    }
    fn summary(&self) -> &'static str {
        "a revision locks a table that existed before it while ddlc.toml sets no `[scripts] lock_timeout`: the wait for the lock queues every query behind it"
    }
    fn op(&self, op: &Op, cx: &Cx, out: &mut Vec<Hit>) {
        let keys = cx.rules.lock_timeout_keys();
        let set = |key: &str| match key {
            "lock_timeout" => cx.settings_scripts.lock_timeout.is_some(),
            "statement_timeout" => cx.settings_scripts.statement_timeout.is_some(),
            _ => false,
        };
        if keys.is_empty() || keys.iter().any(|k| set(k)) {
            return;
        }
        let table = match (&op.kind, locked(&op.kind)) {
            (_, Some((t, _))) => t.clone(),
            // A drop_index that names no table: its table from the model.
            (OpKind::DropIndex(d), None) if !d.concurrently => match cx.before.index(&d.name) {
                Some((t, _)) => t.name.clone(),
                None => return,
            },
            _ => return,
        };
        if !cx.existing(&table) || !first(op, cx) {
            return;
        }
        out.push(
            Hit::new(
                format!("`{}` locks `{table}` and the project's scripts set no lock timeout", op.kind.name()),
                op.span,
                "waits for the lock as long as it takes",
            )
            .help("set `[scripts] lock_timeout = \"5s\"` in ddlc.toml: each script then sets it for its session, and a migration that cannot get its lock fails fast, to be retried"),
        );
    }
}

/// True when no op of the revision before `op` locks a table the revision
/// did not make: the finding is the project's setting, reported once a revision.
fn first(op: &Op, cx: &Cx) -> bool {
    let mut made: IndexSet<String> = IndexSet::new();
    for earlier in &cx.revision.upgrade {
        if std::ptr::eq(earlier, op) {
            return true;
        }
        if locked(&earlier.kind).is_some_and(|(t, _)| !made.contains(&t.key())) {
            return false;
        }
        crate::lint::track_new_tables(earlier, &mut made);
    }
    true
}

/// The table an op locks against writes (or reads) for its run, and where
/// it is written; None for ops that take no such lock (concurrent index
/// builds, data changes, views, routines).
fn locked(kind: &OpKind) -> Option<(&QualifiedName, Span)> {
    let table = match kind {
        OpKind::DropTable(d) => &d.name,
        OpKind::RenameTable(r) => &r.from,
        OpKind::AddColumn(a) => &a.table,
        OpKind::DropColumn(d) => &d.table,
        OpKind::AlterColumn(a) => &a.table,
        OpKind::AddConstraint(a) => &a.table,
        OpKind::DropConstraint(d) => &d.table,
        OpKind::CreateIndex(c) if !c.concurrently => &c.index.table,
        OpKind::DropIndex(d) if !d.concurrently => d.table.as_ref()?,
        _ => return None,
    };
    Some((table, table.span()))
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::lint::testkit::{with_settings, T};

    const ID: &str = "missing-lock-timeout";

    fn of(toml: &str, revisions: &[&str], d: Dialect) -> Vec<String> {
        with_settings(toml, revisions, d)
            .into_iter()
            .filter(|f| f.starts_with(ID))
            .collect()
    }

    #[test]
    fn fires_once_per_revision_locking_an_existing_table_without_a_timeout() {
        let ops = "    add_column t.d : integer\n    drop_column t.c";
        for d in [Dialect::PostgreSql, Dialect::MySql, Dialect::MariaDb] {
            assert_eq!(
                of("", &[T, ops], d),
                ["missing-lock-timeout@0002: `add_column` locks `t` and the project's scripts set no lock timeout"],
                "{d}"
            );
            let lock = "[scripts]\nlock_timeout = \"5s\"\n";
            assert!(of(lock, &[T, ops], d).is_empty(), "{d}");
            let same = format!("{T}\n{ops}");
            assert!(of("", &[&same], d).is_empty(), "{d}");
        }
        let statement = "[scripts]\nstatement_timeout = \"1min\"\n";
        assert!(of(statement, &[T, ops], Dialect::PostgreSql).is_empty());
        assert_eq!(of(statement, &[T, ops], Dialect::MySql).len(), 1);
        for d in [Dialect::Sqlite, Dialect::MsSql, Dialect::Oracle] {
            assert!(of("", &[T, ops], d).is_empty(), "{d}");
        }
        let concurrent = "    create_index ix_t_c on t (c) concurrently";
        assert!(of("", &[T, concurrent], Dialect::PostgreSql).is_empty());
    }
}

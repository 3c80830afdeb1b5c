//! `add-unique-constraint`: a unique constraint or primary key added to a
//! table that existed before the revision, where the dialect can build an
//! index concurrently (PostgreSQL): the constraint builds its index while a
//! lock blocks reads and writes, and a unique index built `concurrently`
//! enforces the same without it.

use crate::ir::{ConstraintKind, Op, OpKind};
use crate::lint::{Cx, Hit, Rule};

/// See the module doc.
pub struct AddUniqueConstraint;

impl Rule for AddUniqueConstraint {
    fn id(&self) -> &'static str {
        "add-unique-constraint"
    }
    fn summary(&self) -> &'static str {
        "`create_unique_constraint` / `create_primary_key` on a table that existed before the revision, where indexes can be built concurrently: its index is built under a lock that blocks reads and writes"
    }
    fn op(&self, op: &Op, cx: &Cx, out: &mut Vec<Hit>) {
        let OpKind::AddConstraint(a) = &op.kind else {
            return;
        };
        let kind = match &a.constraint.kind {
            ConstraintKind::Unique(_) => "unique constraint",
            ConstraintKind::PrimaryKey(_) => "primary key",
            _ => return,
        };
        if !cx.rules.concurrent_index() || !cx.existing(&a.table) {
            return;
        }
        out.push(
            Hit::new(
                format!("the {kind} `{}` builds its index on `{}` while reads and writes wait", a.constraint.name, a.table),
                a.constraint.span,
                "built under an exclusive lock",
            )
            .help("build the index first with `create_index ... unique concurrently` (it enforces the same uniqueness)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::lint::testkit::{of, T};

    #[test]
    fn fires_on_postgresql_for_an_existing_table_only() {
        let uq = "    create_unique_constraint uq_t_c on t (c)";
        assert_eq!(
            of("add-unique-constraint", &[T, uq], Dialect::PostgreSql),
            ["add-unique-constraint@0002: the unique constraint `uq_t_c` builds its index on `t` while reads and writes wait"]
        );
        assert!(of("add-unique-constraint", &[T, uq], Dialect::Sqlite).is_empty());
        let same = format!("{T}\n{uq}");
        assert!(of("add-unique-constraint", &[&same], Dialect::PostgreSql).is_empty());
    }
}

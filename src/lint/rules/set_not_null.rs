//! `set-not-null`: making an existing column NOT NULL: every row is read
//! under a lock that blocks writes, and the change fails on a NULL.

use crate::ir::{Op, OpKind};
use crate::lint::{Cx, Hit, Rule};

/// See the module doc.
pub struct SetNotNull;

impl Rule for SetNotNull {
    fn id(&self) -> &'static str {
        "set-not-null"
    }
    fn summary(&self) -> &'static str {
        "`alter_column ... not_null` on a column of a table that existed before the revision: a full scan under a lock that blocks writes, failing on any NULL"
    }
    fn op(&self, op: &Op, cx: &Cx, out: &mut Vec<Hit>) {
        let OpKind::AlterColumn(a) = &op.kind else {
            return;
        };
        if a.nullable != Some(false) || !cx.existing(&a.table) {
            return;
        }
        let was_nullable = cx
            .before
            .table(&a.table)
            .and_then(|t| t.column(a.column.as_str()))
            .is_some_and(|c| c.nullable);
        if !was_nullable {
            return;
        }
        let help = match cx.rules.not_valid_constraints() {
            true => "backfill the NULLs, add `create_check_constraint ... (c IS NOT NULL) not_valid`, `validate_constraint` it in a later revision, then set `not_null` (PostgreSQL 12+ then skips the scan) and drop the check",
            false => "backfill the NULLs first (update_rows ... where (c IS NULL)), and run it when the table is quiet",
        };
        out.push(
            Hit::new(
                format!(
                    "`{}.{}` is made `not_null`: every row is checked under a write lock",
                    a.table, a.column
                ),
                a.column.span,
                "fails if any row holds NULL",
            )
            .help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::lint::testkit::{of, T};

    #[test]
    fn fires_on_a_nullable_column_of_an_existing_table_only() {
        let d = Dialect::DEFAULT;
        assert_eq!(
            of("set-not-null", &[T, "    alter_column t.c not_null"], d),
            ["set-not-null@0002: `t.c` is made `not_null`: every row is checked under a write lock"]
        );
        let same = format!("{T}\n    alter_column t.c not_null");
        assert!(of("set-not-null", &[&same], d).is_empty());
    }
}

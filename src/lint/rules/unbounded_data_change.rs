//! `unbounded-data-change`: `update_rows` or `delete_rows` without `where`
//! on a table that existed before the revision: every row is changed in one
//! statement, locking them all for its whole run.

use crate::ir::{Op, OpKind};
use crate::lint::{Cx, Hit, Rule};

/// See the module doc.
pub struct UnboundedDataChange;

impl Rule for UnboundedDataChange {
    fn id(&self) -> &'static str {
        "unbounded-data-change"
    }
    fn summary(&self) -> &'static str {
        "`update_rows` / `delete_rows` without `where` on a table that existed before the revision: every row, in one statement"
    }
    fn op(&self, op: &Op, cx: &Cx, out: &mut Vec<Hit>) {
        let (verb, table) = match &op.kind {
            OpKind::UpdateRows(u) if u.where_clause.is_none() => ("updates", &u.table),
            OpKind::DeleteRows(d) if d.where_clause.is_none() => ("deletes", &d.table),
            _ => return,
        };
        if !cx.existing(table) {
            return;
        }
        out.push(
            Hit::new(
                format!(
                    "`{}` {verb} every row of `{table}` in one statement",
                    op.kind.name()
                ),
                op.span,
                "no `where`",
            )
            .help("bound it with `where (...)`, or batch it outside the migration"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::lint::testkit::{of, T};

    #[test]
    fn fires_without_where_on_an_existing_table() {
        let d = Dialect::DEFAULT;
        assert_eq!(
            of("unbounded-data-change", &[T, "    delete_rows t"], d),
            ["unbounded-data-change@0002: `delete_rows` deletes every row of `t` in one statement"]
        );
        assert!(of(
            "unbounded-data-change",
            &[T, "    delete_rows t where (c = 1)"],
            d
        )
        .is_empty());
    }
}

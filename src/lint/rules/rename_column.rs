//! `rename-column`: renaming a column of a table that existed before the
//! revision: code still running with the old name fails.

use crate::ir::{Op, OpKind};
use crate::lint::{Cx, Hit, Rule};

/// See the module doc.
pub struct RenameColumn;

impl Rule for RenameColumn {
    fn id(&self) -> &'static str {
        "rename-column"
    }
    fn summary(&self) -> &'static str {
        "`rename_column` (or `alter_column ... rename`) on a table that existed before the revision: code still running with the old name fails"
    }
    fn op(&self, op: &Op, cx: &Cx, out: &mut Vec<Hit>) {
        let OpKind::AlterColumn(a) = &op.kind else {
            return;
        };
        let Some(to) = &a.rename else { return };
        if !cx.existing(&a.table) {
            return;
        }
        out.push(
            Hit::new(
                format!("renaming `{}.{}` to `{to}` breaks code that uses the old name", a.table, a.column),
                a.column.span,
                "the old name stops working here",
            )
            .help("add the new column, write both, backfill, move readers, then drop the old one in a later revision"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::lint::testkit::{of, T};

    #[test]
    fn fires_on_an_existing_table_only() {
        let d = Dialect::DEFAULT;
        assert_eq!(
            of("rename-column", &[T, "    rename_column t.c -> d"], d),
            ["rename-column@0002: renaming `t.c` to `d` breaks code that uses the old name"]
        );
        let same = format!("{T}\n    rename_column t.c -> d");
        assert!(of("rename-column", &[&same], d).is_empty());
    }
}

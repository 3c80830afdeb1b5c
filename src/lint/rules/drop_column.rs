//! `drop-column`: dropping a column of a table that existed before the revision.

use crate::ir::{Op, OpKind};
use crate::lint::{Cx, Hit, Rule};

/// See the module doc.
pub struct DropColumn;

impl Rule for DropColumn {
    fn id(&self) -> &'static str {
        "drop-column"
    }
    fn summary(&self) -> &'static str {
        "`drop_column` on a table that existed before the revision: the data is gone, and running code that names the column fails"
    }
    fn op(&self, op: &Op, cx: &Cx, out: &mut Vec<Hit>) {
        let OpKind::DropColumn(d) = &op.kind else {
            return;
        };
        if !cx.existing(&d.table) {
            return;
        }
        out.push(
            Hit::new(
                format!("`drop_column` removes `{}.{}` and its data", d.table, d.column),
                d.column.span,
                "dropped with its data",
            )
            .help("deploy code that no longer reads or writes the column first, then drop it in a later revision"),
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
            of("drop-column", &[T, "    drop_column t.c"], d),
            ["drop-column@0002: `drop_column` removes `t.c` and its data"]
        );
        let same = format!("{T}\n    drop_column t.c");
        assert!(of("drop-column", &[&same], d).is_empty());
    }
}

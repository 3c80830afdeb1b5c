//! `drop-table`: dropping a table that existed before the revision.

use crate::ir::{Op, OpKind};
use crate::lint::{Cx, Hit, Rule};

/// See the module doc.
pub struct DropTable;

impl Rule for DropTable {
    fn id(&self) -> &'static str {
        "drop-table"
    }
    fn summary(&self) -> &'static str {
        "`drop_table` of a table that existed before the revision: its rows are gone, and running code that reads it fails"
    }
    fn op(&self, op: &Op, cx: &Cx, out: &mut Vec<Hit>) {
        let OpKind::DropTable(d) = &op.kind else {
            return;
        };
        if !cx.existing(&d.name) {
            return;
        }
        out.push(
            Hit::new(
                format!("`drop_table` removes table `{}` and every row in it", d.name),
                d.name.span(),
                "dropped with its data",
            )
            .help("deploy code that no longer reads the table first, keep a backup, and drop it in a later release"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::lint::testkit::of;

    const T: &str = "    create_table t {\n        id : integer primary_key\n    }";

    #[test]
    fn fires_on_a_table_of_an_earlier_revision_only() {
        let d = Dialect::DEFAULT;
        assert_eq!(
            of("drop-table", &[T, "    drop_table t"], d),
            ["drop-table@0002: `drop_table` removes table `t` and every row in it"]
        );
        let same = format!("{T}\n    drop_table t");
        assert!(of("drop-table", &[&same], d).is_empty());
    }
}

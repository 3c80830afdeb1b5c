//! `rename-table`: renaming a table that existed before the revision: code
//! still running with the old name fails from the moment it runs.

use crate::ir::{Op, OpKind};
use crate::lint::{Cx, Hit, Rule};

/// See the module doc.
pub struct RenameTable;

impl Rule for RenameTable {
    fn id(&self) -> &'static str {
        "rename-table"
    }
    fn summary(&self) -> &'static str {
        "`rename_table` of a table that existed before the revision: code still running with the old name fails"
    }
    fn op(&self, op: &Op, cx: &Cx, out: &mut Vec<Hit>) {
        let OpKind::RenameTable(r) = &op.kind else {
            return;
        };
        if !cx.existing(&r.from) {
            return;
        }
        out.push(
            Hit::new(
                format!("`rename_table` renames `{}` to `{}` under running code", r.from, r.to),
                r.from.span(),
                "the old name stops working here",
            )
            .help("create the new table and copy, or keep a view under the old name until no deployed code uses it"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::lint::testkit::of;

    const T: &str = "    create_table t {\n        id : integer primary_key\n    }";

    #[test]
    fn fires_on_an_existing_table_only() {
        let d = Dialect::DEFAULT;
        assert_eq!(
            of("rename-table", &[T, "    rename_table t -> u"], d),
            ["rename-table@0002: `rename_table` renames `t` to `u` under running code"]
        );
        let same = format!("{T}\n    rename_table t -> u");
        assert!(of("rename-table", &[&same], d).is_empty());
    }
}

//! `drop-constraint`: dropping a constraint of a table that existed before
//! the revision: from then on the rows it kept out can be written.

use crate::ir::{Op, OpKind};
use crate::lint::{Cx, Hit, Rule};

/// See the module doc.
pub struct DropConstraint;

impl Rule for DropConstraint {
    fn id(&self) -> &'static str {
        "drop-constraint"
    }
    fn summary(&self) -> &'static str {
        "`drop_constraint` on a table that existed before the revision: rows it kept out can be written from then on"
    }
    fn op(&self, op: &Op, cx: &Cx, out: &mut Vec<Hit>) {
        let OpKind::DropConstraint(d) = &op.kind else {
            return;
        };
        if !cx.existing(&d.table) {
            return;
        }
        let Some(c) = cx.before.constraint(&d.table, d.name.as_str()) else {
            return;
        };
        out.push(
            Hit::new(
                format!(
                    "`drop_constraint` removes the {} constraint `{}` of `{}`",
                    c.kind.word(),
                    d.name,
                    d.table
                ),
                d.name.span,
                "rows it refused can be written from now on",
            )
            .help("make sure nothing relies on it (an upsert on a unique key, a join on a foreign key); to replace it, add the new one first"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::lint::testkit::of;

    const T: &str =
        "    create_table t {\n        id : integer primary_key\n        c : integer unique\n    }";

    #[test]
    fn fires_on_an_existing_table_only() {
        let d = Dialect::DEFAULT;
        assert_eq!(
            of("drop-constraint", &[T, "    drop_constraint uq_t_c on t"], d),
            ["drop-constraint@0002: `drop_constraint` removes the unique constraint `uq_t_c` of `t`"]
        );
        let same = format!("{T}\n    drop_constraint uq_t_c on t");
        assert!(of("drop-constraint", &[&same], d).is_empty());
    }
}

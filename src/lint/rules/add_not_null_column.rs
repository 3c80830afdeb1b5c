//! `add-not-null-column`: a NOT NULL column without a default added to a
//! table that existed before the revision: the rows already there have no
//! value for it.

use crate::diag::Severity;
use crate::ir::{Op, OpKind};
use crate::lint::{Cx, Hit, Rule};

/// See the module doc.
pub struct AddNotNullColumn;

impl Rule for AddNotNullColumn {
    fn id(&self) -> &'static str {
        "add-not-null-column"
    }
    fn summary(&self) -> &'static str {
        "`add_column` of a `not_null` column without a default to a table that existed before the revision: it fails on a table with rows"
    }
    fn default_severity(&self) -> Severity {
        Severity::Error
    }
    fn op(&self, op: &Op, cx: &Cx, out: &mut Vec<Hit>) {
        let OpKind::AddColumn(a) = &op.kind else {
            return;
        };
        let c = &a.column;
        let filled = c.default.is_some() || c.computed.is_some() || c.identity.is_some();
        if c.nullable || filled || !cx.existing(&a.table) {
            return;
        }
        out.push(
            Hit::new(
                format!("`{}.{}` is added `not_null` without a default", a.table, c.name),
                c.name.span,
                "the rows already in the table have no value for it",
            )
            .help("add it nullable, backfill it (update_rows), then `alter_column ... not_null` in a later revision; or give it a default"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::lint::testkit::of;

    const T: &str = "    create_table t {\n        id : integer primary_key\n    }";

    #[test]
    fn fires_without_a_default_on_an_existing_table_only() {
        let d = Dialect::DEFAULT;
        assert_eq!(
            of(
                "add-not-null-column",
                &[T, "    add_column t.c : integer not_null"],
                d
            ),
            ["add-not-null-column@0002: `t.c` is added `not_null` without a default"]
        );
        assert!(of(
            "add-not-null-column",
            &[T, "    add_column t.c : integer not_null default 0"],
            d
        )
        .is_empty());
        let same = format!("{T}\n    add_column t.c : integer not_null");
        assert!(of("add-not-null-column", &[&same], d).is_empty());
    }
}

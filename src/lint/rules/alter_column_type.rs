//! `alter-column-type`: changing the type of a column of a table that
//! existed before the revision, in place. Most engines rewrite the table (or
//! check every row) under a lock that blocks writes; making a string longer
//! (or a string into text) is a change of metadata only, and is exempt.
//! Where the dialect rebuilds the table instead, `table-rebuild` reports it.

use crate::ir::{Op, OpKind, TypeKind};
use crate::lint::{Cx, Hit, Rule};

/// See the module doc.
pub struct AlterColumnType;

impl Rule for AlterColumnType {
    fn id(&self) -> &'static str {
        "alter-column-type"
    }
    fn summary(&self) -> &'static str {
        "`alter_column ... type` on a table that existed before the revision: the table is rewritten (or every row checked) under a write lock; widening a string is exempt"
    }
    fn op(&self, op: &Op, cx: &Cx, out: &mut Vec<Hit>) {
        let OpKind::AlterColumn(a) = &op.kind else {
            return;
        };
        let Some(new) = &a.new_type else { return };
        if !cx.existing(&a.table) || cx.rules.alter_column_rebuilds() {
            return;
        }
        let Some(old) = cx
            .before
            .table(&a.table)
            .and_then(|t| t.column(a.column.as_str()))
        else {
            return;
        };
        if old.ty == *new || (new.variants.is_empty() && widens(&old.ty.kind, &new.kind)) {
            return;
        }
        out.push(
            Hit::new(
                format!("changing the type of `{}.{}` rewrites or scans the table under a write lock", a.table, a.column),
                new.span,
                "the new type",
            )
            .help("add a column of the new type, write both, backfill in batches, then switch readers and drop the old column"),
        );
    }
}

/// A string made longer, or into unbounded text: no row needs to change.
fn widens(old: &TypeKind, new: &TypeKind) -> bool {
    use TypeKind::{NString, NText, String, Text};
    match (old, new) {
        (String(Some(a)), String(Some(b))) | (NString(Some(a)), NString(Some(b))) => b >= a,
        (String(_), String(None) | Text) | (NString(_), NString(None) | NText) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::lint::testkit::of;

    const T: &str = "    create_table t {\n        id : integer primary_key\n        c : string(20)\n        n : integer\n    }";

    #[test]
    fn fires_on_a_rewrite_not_on_a_widening() {
        let d = Dialect::DEFAULT;
        assert_eq!(
            of("alter-column-type", &[T, "    alter_column t.n type bigint"], d),
            ["alter-column-type@0002: changing the type of `t.n` rewrites or scans the table under a write lock"]
        );
        assert!(of(
            "alter-column-type",
            &[T, "    alter_column t.c type string(40)"],
            d
        )
        .is_empty());
        let same = format!("{T}\n    alter_column t.n type bigint");
        assert!(of("alter-column-type", &[&same], d).is_empty());
    }
}

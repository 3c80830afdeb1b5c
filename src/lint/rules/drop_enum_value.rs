//! `drop-enum-value`: removing a value from an enum that columns of
//! existing tables use: rows holding it must be changed first.

use crate::ir::{EnumChange, Op, OpKind};
use crate::lint::{Cx, Hit, Rule};

/// See the module doc.
pub struct DropEnumValue;

impl Rule for DropEnumValue {
    fn id(&self) -> &'static str {
        "drop-enum-value"
    }
    fn summary(&self) -> &'static str {
        "`drop_enum_value` on an enum used by tables that existed before the revision: rows holding the value make it fail, and the type or CHECK is rebuilt"
    }
    fn op(&self, op: &Op, cx: &Cx, out: &mut Vec<Hit>) {
        let OpKind::AlterEnum(a) = &op.kind else {
            return;
        };
        let EnumChange::Drop(value) = &a.change else {
            return;
        };
        let used_by_existing = cx.before.tables.values().any(|t| {
            cx.existing(&t.name)
                && t.columns.values().any(|c| {
                    matches!(&c.ty.kind, crate::ir::TypeKind::Enum(e) if e.name.name == a.name.name.name)
                })
        });
        if !used_by_existing {
            return;
        }
        out.push(
            Hit::new(
                format!("`drop_enum_value` removes '{value}' from enum `{}`, which existing tables use", a.name),
                a.value_span,
                "rows holding this value make the change fail",
            )
            .help("update the rows that hold the value (update_rows ... where (...)) in an earlier revision, and deploy code that no longer writes it"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::lint::testkit::of;

    const T: &str = "    create_table t {\n        id : integer primary_key\n        s : enum(state: 'a', 'b')\n    }";

    #[test]
    fn fires_when_an_existing_table_uses_the_enum() {
        let d = Dialect::DEFAULT;
        assert_eq!(
            of("drop-enum-value", &[T, "    drop_enum_value state 'b'"], d),
            ["drop-enum-value@0002: `drop_enum_value` removes 'b' from enum `state`, which existing tables use"]
        );
        let same = format!("{T}\n    drop_enum_value state 'b'");
        assert!(of("drop-enum-value", &[&same], d).is_empty());
    }
}

use super::diff::diff;
use super::*;
use crate::ir::{CreateTable, DialectOptions, ForeignKey, TypeKind};
use crate::testkit::{col, constraint, ids, pk, q};

/// A table `name (id, <ref>_id...)` with a foreign key to each of `refs`.
fn table(name: &str, refs: &[&str]) -> Table {
    let mut columns = vec![col("id", TypeKind::Integer)];
    let mut constraints = vec![pk(&format!("pk_{name}"), &["id"])];
    for r in refs {
        columns.push(col(&format!("{r}_id"), TypeKind::Integer));
        constraints.push(constraint(
            &format!("fk_{name}_{r}"),
            ConstraintKind::ForeignKey(ForeignKey {
                columns: ids(&[&format!("{r}_id")]),
                ref_table: q(r),
                ref_columns: ids(&["id"]),
                on_delete: None,
                on_update: None,
                deferrable: None,
                initially_deferred: None,
                match_kind: None,
            }),
        ));
    }
    Table::from_create(&CreateTable {
        name: q(name),
        columns,
        constraints,
        indexes: Vec::new(),
        comment: None,
        if_not_exists: false,
        options: DialectOptions::default(),
    })
}

fn schema(tables: &[(&str, &[&str])]) -> Schema {
    let mut s = Schema::new();
    for (name, refs) in tables {
        s.tables.insert(name.to_string(), table(name, refs));
    }
    s
}

#[test]
fn tables_follow_their_references_and_a_cycle_is_closed_by_one_key() {
    // Created as `line` (-> order, product), `order` (-> customer), ...: the
    // order puts each table after the tables it references.
    let s = schema(&[
        ("line", &["order", "product"]),
        ("order", &["customer"]),
        ("customer", &["customer"]),
        ("product", &[]),
    ]);
    let (order, closing) = table_order(&s);
    assert_eq!(order, ["customer", "order", "product", "line"]);
    assert!(closing.is_empty(), "a self-reference is no cycle");

    // A cycle is broken at its earliest table; `d`, outside it, waits for `c`.
    let s = schema(&[("d", &["c"]), ("a", &["b"]), ("b", &["c"]), ("c", &["a"])]);
    let (order, closing) = table_order(&s);
    assert_eq!(order, ["a", "c", "d", "b"]);
    let closing: Vec<_> = closing.into_iter().collect();
    assert_eq!(closing, [("a".to_string(), "fk_a_b".to_string())]);
}

#[test]
fn creation_ops_add_cycle_keys_last() {
    let s = schema(&[("a", &["b"]), ("b", &["a"])]);
    let names: Vec<&str> = creation_ops(&s).iter().map(|op| op.kind.name()).collect();
    assert_eq!(
        names,
        ["create_table", "create_table", "create_foreign_key"]
    );
}

#[test]
fn the_diff_lists_tables_columns_and_changes() {
    let before = schema(&[("a", &[]), ("gone", &[])]);
    let mut after = schema(&[("a", &["b"]), ("b", &[])]);
    let a = after.tables.get_mut("a").unwrap();
    a.columns.get_mut("id").unwrap().ty.kind = TypeKind::BigInt;
    a.columns.get_mut("id").unwrap().nullable = false;
    let shown: Vec<String> = diff(&before, &after)
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        shown,
        [
            "- table gone",
            "~ column a.id: type integer → bigint; null → not_null",
            "+ column a.b_id",
            "+ constraint a.fk_a_b",
            "+ table b",
        ]
    );
}

#[test]
fn types_and_defaults_are_spelled_as_the_dsl_writes_them() {
    use super::json::{default_text, type_text};
    use crate::ir::{DefaultValue, EnumType, Literal};
    use crate::testkit::{expr, id};
    let numeric = TypeKind::Numeric {
        precision: Some(10),
        scale: Some(2),
    };
    assert_eq!(type_text(&numeric), "numeric(10, 2)");
    assert_eq!(type_text(&TypeKind::String(None)), "string");
    assert_eq!(
        type_text(&TypeKind::Timestamp { tz: true }),
        "timestamp(tz)"
    );
    let status = EnumType {
        name: id("status"),
        values: vec!["new".into(), "O'Neil".into()],
    };
    assert_eq!(
        type_text(&TypeKind::Enum(status)),
        "enum(status: 'new', 'O''Neil')"
    );
    let text = |d: DefaultValue| default_text(&d);
    assert_eq!(
        text(DefaultValue::Literal(Literal::String("it's".into()))),
        "'it''s'"
    );
    assert_eq!(text(DefaultValue::CurrentTimestamp), "now()");
    assert_eq!(text(DefaultValue::NextVal(q("s.seq"))), "nextval(s.seq)");
    assert_eq!(text(DefaultValue::Expr(expr("1 + 1"))), "(1 + 1)");
}

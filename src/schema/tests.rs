//! Tests of the schema model: every op round-trips through its inverse, every
//! error is located, and a long history replays.

use super::*;
use crate::diag::Code;
use crate::ir::{
    AddColumn, AddConstraint, AlterColumn, BulkInsert, ColumnType, CreateIndex, CreateSequence,
    CreateTable, DefaultValue, DropColumn, DropConstraint, DropIndex, DropSequence, DropTable,
    Execute, FkAction, ForeignKey, Identity, IndexPart, Literal, RenameTable, SetTableComment,
    SqlExpr, SqlText, TypeKind,
};
use crate::source::{FileId, Span};
use crate::testkit::{col, constraint, id, ids, pk, q, uq};

// ---- builders -------------------------------------------------------------

/// The span every test op carries; inverse ops must carry it too.
const OP_SPAN: Span = Span {
    file: FileId(0),
    start: 1000,
    end: 1010,
};

fn sp(at: usize, len: usize) -> Span {
    Span::new(FileId(0), at, at + len)
}

/// An identifier written at byte `at`, for span assertions.
fn id_at(name: &str, at: usize) -> Ident {
    Ident::new(name, sp(at, name.len()))
}

/// A qualified name written at byte `at` (`schema.name` laid out as written).
fn q_at(name: &str, at: usize) -> QualifiedName {
    match name.split_once('.') {
        Some((s, n)) => QualifiedName {
            schema: Some(id_at(s, at)),
            name: id_at(n, at + s.len() + 1),
        },
        None => QualifiedName::bare(id_at(name, at)),
    }
}

fn int(name: &str) -> Column {
    Column {
        nullable: false,
        ..col(name, TypeKind::Integer)
    }
}

fn text(name: &str) -> Column {
    col(name, TypeKind::Text)
}

fn enum_kind(name: &str, values: &[&str]) -> TypeKind {
    TypeKind::Enum(EnumType {
        name: id(name),
        values: values.iter().map(|v| v.to_string()).collect(),
    })
}

fn check(name: &str, expr: &str) -> Constraint {
    constraint(
        name,
        ConstraintKind::Check(SqlExpr {
            text: expr.into(),
            span: crate::testkit::AT,
        }),
    )
}

fn fk(name: &str, cols: &[&str], table: &str, ref_cols: &[&str]) -> Constraint {
    constraint(
        name,
        ConstraintKind::ForeignKey(ForeignKey {
            columns: ids(cols),
            ref_table: q(table),
            ref_columns: ids(ref_cols),
            on_delete: None,
            on_update: None,
            deferrable: None,
            initially_deferred: None,
            match_kind: None,
        }),
    )
}

fn index(name: &str, table: &str, cols: &[&str]) -> Index {
    Index {
        name: id(name),
        generated_name: false,
        table: q(table),
        parts: cols
            .iter()
            .map(|c| IndexPart::Column {
                name: id(c),
                desc: false,
                length: None,
            })
            .collect(),
        unique: false,
        where_clause: None,
        include: Vec::new(),
        options: DialectOptions::default(),
        span: crate::testkit::AT,
    }
}

fn create(
    name: &str,
    columns: Vec<Column>,
    constraints: Vec<Constraint>,
    indexes: Vec<Index>,
) -> OpKind {
    OpKind::CreateTable(CreateTable {
        name: q(name),
        columns,
        constraints,
        indexes,
        comment: None,
        if_not_exists: false,
        options: DialectOptions::default(),
    })
}

fn op(kind: OpKind) -> Op {
    Op {
        kind,
        span: OP_SPAN,
        only: None,
    }
}

fn alter(table: &str, column: &str) -> AlterColumn {
    AlterColumn {
        table: q(table),
        column: id(column),
        ..AlterColumn::default()
    }
}

fn drop_column(table: &str, column: &str) -> OpKind {
    OpKind::DropColumn(DropColumn {
        table: q(table),
        column: id(column),
        if_exists: false,
    })
}

fn add_constraint(table: &str, c: Constraint) -> OpKind {
    OpKind::AddConstraint(AddConstraint {
        table: q(table),
        constraint: c,
        not_valid: false,
    })
}

fn add_column(table: &str, column: Column) -> OpKind {
    OpKind::AddColumn(AddColumn {
        table: q(table),
        column,
        if_not_exists: false,
        position: Default::default(),
    })
}

/// A schema with a bit of everything: schema-qualified tables, a shared enum,
/// a sequence default, a self-reference, composite keys and a composite FK.
fn base() -> Schema {
    let mood = enum_kind("mood", &["happy", "sad"]);
    let mut customer = create(
        "billing.customer",
        vec![
            int("id"),
            text("name"),
            col("email", TypeKind::String(Some(100))),
            Column {
                comment: Some("how they feel".into()),
                ..col("mood", mood.clone())
            },
        ],
        vec![
            pk("pk_customer", &["id"]),
            uq("uq_customer_email", &["email"]),
            check("ck_customer_name", "name <> ''"),
        ],
        vec![index("ix_customer_name", "billing.customer", &["name"])],
    );
    if let OpKind::CreateTable(c) = &mut customer {
        c.comment = Some("customers".into());
        c.options
            .0
            .entry(crate::dialect::Dialect::MySql)
            .or_default()
            .insert("engine".into(), "InnoDB".into());
    }
    let mut invoice_fk = fk(
        "fk_invoice_customer",
        &["customer_id"],
        "billing.customer",
        &["id"],
    );
    if let ConstraintKind::ForeignKey(f) = &mut invoice_fk.kind {
        f.on_delete = Some(FkAction::Cascade);
    }
    let mut link_fk = fk(
        "fk_link_tag",
        &["tag_tenant", "tag_code"],
        "tag",
        &["tenant", "code"],
    );
    if let ConstraintKind::ForeignKey(f) = &mut link_fk.kind {
        f.on_update = Some(FkAction::Cascade);
        f.deferrable = Some(true);
        f.initially_deferred = Some(true);
    }
    let ops = vec![
        OpKind::CreateSequence(CreateSequence {
            name: q("billing.invoice_no"),
            start: Some(1000),
            increment: None,
        }),
        customer,
        create(
            "billing.invoice",
            vec![
                int("id"),
                int("customer_id"),
                Column {
                    default: Some(DefaultValue::NextVal(q("billing.invoice_no"))),
                    ..col("no", TypeKind::BigInt)
                },
                col("status", mood),
                col(
                    "total",
                    TypeKind::Numeric {
                        precision: Some(10),
                        scale: Some(2),
                    },
                ),
            ],
            vec![pk("pk_invoice", &["id"]), invoice_fk],
            vec![index(
                "ix_invoice_customer",
                "billing.invoice",
                &["customer_id"],
            )],
        ),
        create(
            "node",
            vec![int("id"), int("parent_id"), int("tenant"), text("code")],
            vec![
                pk("pk_node", &["id"]),
                fk("fk_node_parent", &["parent_id"], "node", &["id"]),
                uq("uq_node_tenant_code", &["tenant", "code"]),
            ],
            vec![
                index("ix_node_tenant_code", "node", &["tenant", "code"]),
                index("ix_node_parent", "node", &["parent_id"]),
            ],
        ),
        create(
            "tag",
            vec![
                int("tenant"),
                text("code"),
                text("label"),
                col("kind", enum_kind("tag_kind", &["a", "b"])),
            ],
            vec![pk("pk_tag", &["tenant", "code"])],
            vec![],
        ),
        create(
            "link",
            vec![int("id"), int("tag_tenant"), text("tag_code"), text("note")],
            vec![pk("pk_link", &["id"]), link_fk],
            vec![],
        ),
        create("solo", vec![int("only_col")], vec![], vec![]),
    ];
    let mut s = Schema::new();
    for kind in ops {
        if let Err(d) = s.apply(&op(kind)) {
            panic!("base schema does not apply: {d:?}");
        }
    }
    s
}

/// Table order and each table's column order: what `PartialEq` on `IndexMap`
/// does not see, but what ops that keep positions must keep.
fn shape(s: &Schema) -> Vec<(String, Vec<String>)> {
    s.tables
        .iter()
        .map(|(k, t)| (k.clone(), t.columns.keys().cloned().collect()))
        .collect()
}

fn apply_ok(s: &mut Schema, kind: OpKind) -> Applied {
    let o = op(kind);
    match s.apply(&o) {
        Ok(a) => a,
        Err(d) => panic!("{} failed: {d:?}", o.kind.name()),
    }
}

/// Everything the model must keep consistent, recomputed from scratch (O(schema),
/// so only in tests): references resolve, and the derived maps (`index_owner`,
/// `referenced_by`, enum use counts) agree with the tables. Catches a rename or
/// drop that forgets a reference, which a round trip alone can hide.
fn broken_invariants(s: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let mut owners: IndexMap<String, String> = IndexMap::new();
    let mut referenced: IndexMap<String, IndexSet<(String, String)>> = IndexMap::new();
    let mut enums: IndexMap<String, (EnumType, usize)> = IndexMap::new();
    for (key, t) in &s.tables {
        if t.name.key() != *key {
            out.push(format!("table {key} is named {}", t.name));
        }
        let has = |c: &Ident| t.columns.contains_key(c.as_str());
        let generated = t.columns.values().filter(|c| c.computed.is_some()).count();
        if t.generated_columns != generated {
            out.push(format!(
                "{key}: counts {} generated columns, has {generated}",
                t.generated_columns
            ));
        }
        for (name, c) in &t.columns {
            if c.name.name != *name {
                out.push(format!("{key}: column {name} is named {}", c.name));
            }
            if let TypeKind::Enum(e) = &c.ty.kind {
                let entry = enums
                    .entry(key_in_schema(&t.name, &e.name))
                    .or_insert((e.clone(), 0));
                entry.1 += 1;
            }
        }
        for (name, c) in &t.constraints {
            if c.name.name != *name {
                out.push(format!("{key}: constraint {name} is named {}", c.name));
            }
            for col in c.kind.columns().iter().filter(|c| !has(c)) {
                out.push(format!("{key}.{name}: no column {col}"));
            }
            if let ConstraintKind::ForeignKey(f) = &c.kind {
                match s.tables.get(&f.ref_table.key()) {
                    None => out.push(format!("{key}.{name}: no table {}", f.ref_table)),
                    Some(r) => {
                        for col in f
                            .ref_columns
                            .iter()
                            .filter(|c| !r.columns.contains_key(c.as_str()))
                        {
                            out.push(format!("{key}.{name}: no column {}.{col}", r.name));
                        }
                    }
                }
                referenced
                    .entry(f.ref_table.key())
                    .or_default()
                    .insert((key.clone(), name.clone()));
            }
        }
        for (name, i) in &t.indexes {
            if i.table.key() != *key {
                out.push(format!("{key}: index {name} says it is on {}", i.table));
            }
            for p in &i.parts {
                if let IndexPart::Column { name: col, .. } = p {
                    if !has(col) {
                        out.push(format!("{key}.{name}: no column {col}"));
                    }
                }
            }
            for col in i.include.iter().filter(|c| !has(c)) {
                out.push(format!("{key}.{name}: no column {col}"));
            }
            owners.insert(key_in_schema(&t.name, &i.name), key.clone());
        }
    }
    if owners != s.index_owner {
        out.push(format!("index_owner {:?} != {:?}", s.index_owner, owners));
    }
    if referenced != s.referenced_by {
        out.push(format!(
            "referenced_by {:?} != {:?}",
            s.referenced_by, referenced
        ));
    }
    if enums != s.enums {
        out.push(format!("enums {:?} != {:?}", s.enums, enums));
    }
    out
}

#[test]
fn the_base_schema_is_consistent() {
    assert_eq!(broken_invariants(&base()), Vec::<String>::new());
}

// ---- round trips ----------------------------------------------------------

struct Case {
    name: &'static str,
    op: OpKind,
    /// False for ops whose inverse re-creates at the end (drop_table); a
    /// dropped column comes back at its old position.
    keeps_order: bool,
}

fn case(name: &'static str, op: OpKind) -> Case {
    Case {
        name,
        op,
        keeps_order: true,
    }
}

fn appends(name: &'static str, op: OpKind) -> Case {
    Case {
        name,
        op,
        keeps_order: false,
    }
}

fn round_trip_cases() -> Vec<Case> {
    let mut payment_fk = fk(
        "fk_payment_invoice",
        &["invoice_id"],
        "billing.invoice",
        &["id"],
    );
    if let ConstraintKind::ForeignKey(f) = &mut payment_fk.kind {
        f.on_delete = Some(FkAction::SetNull);
        f.on_update = Some(FkAction::Restrict);
    }
    let mut partial = index("ux_link_note", "link", &["note"]);
    partial.unique = true;
    partial.where_clause = Some(SqlExpr {
        text: "note IS NOT NULL".into(),
        span: crate::testkit::AT,
    });
    partial.parts.push(IndexPart::Expr(SqlExpr {
        text: "lower(note)".into(),
        span: crate::testkit::AT,
    }));
    partial.include = ids(&["tag_code"]);
    vec![
        case(
            "create_table with a new enum",
            create(
                "fresh",
                vec![int("a"), col("b", enum_kind("fresh_kind", &["x"]))],
                vec![],
                vec![],
            ),
        ),
        case(
            "create_table schema-qualified, composite pk, fk with actions, self fk, index",
            create(
                "billing.payment",
                vec![
                    int("invoice_id"),
                    int("seq"),
                    int("prev_seq"),
                    col("status", enum_kind("mood", &["happy", "sad"])),
                ],
                vec![
                    pk("pk_payment", &["invoice_id", "seq"]),
                    payment_fk,
                    fk(
                        "fk_payment_prev",
                        &["invoice_id", "prev_seq"],
                        "billing.payment",
                        &["invoice_id", "seq"],
                    ),
                ],
                vec![index("ix_payment_prev", "billing.payment", &["prev_seq"])],
            ),
        ),
        appends(
            "drop_table with outgoing composite fk",
            OpKind::DropTable(DropTable {
                name: q("link"),
                if_exists: false,
            }),
        ),
        appends(
            "drop_table with fk, index, shared enum, if_exists",
            OpKind::DropTable(DropTable {
                name: q("billing.invoice"),
                if_exists: true,
            }),
        ),
        appends(
            "drop_table self-referencing",
            OpKind::DropTable(DropTable {
                name: q("node"),
                if_exists: false,
            }),
        ),
        case(
            "rename_table referenced by fk, with indexes",
            OpKind::RenameTable(RenameTable {
                from: q("billing.customer"),
                to: id("client"),
            }),
        ),
        case(
            "rename_table self-referencing",
            OpKind::RenameTable(RenameTable {
                from: q("node"),
                to: id("tree"),
            }),
        ),
        case(
            "rename_table referenced by composite fk",
            OpKind::RenameTable(RenameTable {
                from: q("tag"),
                to: id("label"),
            }),
        ),
        case(
            "rename_table with outgoing fk",
            OpKind::RenameTable(RenameTable {
                from: q("link"),
                to: id("link2"),
            }),
        ),
        case("add_column", add_column("billing.customer", int("age"))),
        case(
            "add_column new enum",
            add_column(
                "node",
                col("state", enum_kind("node_state", &["on", "off"])),
            ),
        ),
        case(
            "add_column existing enum",
            add_column(
                "billing.customer",
                col("mood2", enum_kind("mood", &["happy", "sad"])),
            ),
        ),
        case(
            "add_column sequence default",
            add_column(
                "node",
                Column {
                    default: Some(DefaultValue::NextVal(q("billing.invoice_no"))),
                    ..col("no", TypeKind::BigInt)
                },
            ),
        ),
        case(
            "drop_column with single-column unique",
            drop_column("billing.customer", "email"),
        ),
        case(
            "drop_column with single-column index",
            drop_column("billing.customer", "name"),
        ),
        case("drop_column last enum user", drop_column("tag", "kind")),
        case(
            "drop_column shared enum user",
            drop_column("billing.invoice", "status"),
        ),
        case(
            "drop_column with a comment",
            drop_column("billing.customer", "mood"),
        ),
        case(
            "drop_column with self fk and index",
            drop_column("node", "parent_id"),
        ),
        case(
            "drop_column with fk and index",
            drop_column("billing.invoice", "customer_id"),
        ),
        case(
            "drop_column of composite fk table (not in fk)",
            drop_column("link", "note"),
        ),
        case(
            "alter_column type",
            OpKind::AlterColumn(AlterColumn {
                new_type: Some(ColumnType::new(
                    TypeKind::String(Some(200)),
                    crate::testkit::AT,
                )),
                ..alter("link", "note")
            }),
        ),
        case(
            "alter_column null, default, comment",
            OpKind::AlterColumn(AlterColumn {
                nullable: Some(false),
                default: Some(Some(DefaultValue::Literal(Literal::String("x".into())))),
                comment: Some(Some("a note".into())),
                ..alter("link", "note")
            }),
        ),
        case(
            "alter_column drop comment",
            OpKind::AlterColumn(AlterColumn {
                comment: Some(None),
                ..alter("billing.customer", "mood")
            }),
        ),
        case(
            "alter_column rename pk column referenced by fk",
            OpKind::AlterColumn(AlterColumn {
                rename: Some(id("customer_id")),
                ..alter("billing.customer", "id")
            }),
        ),
        case(
            "alter_column rename column in composite pk and composite fk",
            OpKind::AlterColumn(AlterColumn {
                rename: Some(id("slug")),
                ..alter("tag", "code")
            }),
        ),
        case(
            "alter_column rename column in multi-column unique and index",
            OpKind::AlterColumn(AlterColumn {
                rename: Some(id("org")),
                ..alter("node", "tenant")
            }),
        ),
        case(
            "alter_column rename self-referenced column",
            OpKind::AlterColumn(AlterColumn {
                rename: Some(id("node_id")),
                ..alter("node", "id")
            }),
        ),
        case(
            "alter_column rename fk column",
            OpKind::AlterColumn(AlterColumn {
                rename: Some(id("parent")),
                ..alter("node", "parent_id")
            }),
        ),
        case(
            "alter_column rename + type + comment",
            OpKind::AlterColumn(AlterColumn {
                rename: Some(id("caption")),
                new_type: Some(ColumnType::new(
                    TypeKind::String(Some(50)),
                    crate::testkit::AT,
                )),
                comment: Some(Some("shown".into())),
                ..alter("tag", "label")
            }),
        ),
        case(
            "alter_column enum to text (last user)",
            OpKind::AlterColumn(AlterColumn {
                new_type: Some(ColumnType::new(TypeKind::Text, crate::testkit::AT)),
                ..alter("tag", "kind")
            }),
        ),
        case(
            "alter_column enum to text (shared)",
            OpKind::AlterColumn(AlterColumn {
                new_type: Some(ColumnType::new(TypeKind::Text, crate::testkit::AT)),
                ..alter("billing.invoice", "status")
            }),
        ),
        case(
            "alter_column text to new enum",
            OpKind::AlterColumn(AlterColumn {
                new_type: Some(ColumnType::new(
                    enum_kind("note_kind", &["n"]),
                    crate::testkit::AT,
                )),
                ..alter("link", "note")
            }),
        ),
        case(
            "add unique",
            add_constraint("link", uq("uq_link_note", &["note"])),
        ),
        case(
            "add check",
            add_constraint("link", check("ck_link_note", "note <> ''")),
        ),
        case(
            "add primary key",
            add_constraint("solo", pk("pk_solo", &["only_col"])),
        ),
        case(
            "add composite fk",
            add_constraint(
                "node",
                fk(
                    "fk_node_tag",
                    &["tenant", "code"],
                    "tag",
                    &["tenant", "code"],
                ),
            ),
        ),
        case(
            "add fk into other schema",
            add_constraint(
                "node",
                fk("fk_node_customer", &["tenant"], "billing.customer", &["id"]),
            ),
        ),
        case(
            "drop fk",
            OpKind::DropConstraint(DropConstraint {
                table: q("billing.invoice"),
                name: id("fk_invoice_customer"),
                convention_names: Vec::new(),
                if_exists: false,
            }),
        ),
        case(
            "drop self fk",
            OpKind::DropConstraint(DropConstraint {
                table: q("node"),
                name: id("fk_node_parent"),
                convention_names: Vec::new(),
                if_exists: false,
            }),
        ),
        case(
            "drop composite pk",
            OpKind::DropConstraint(DropConstraint {
                table: q("tag"),
                name: id("pk_tag"),
                convention_names: Vec::new(),
                if_exists: false,
            }),
        ),
        case(
            "drop check",
            OpKind::DropConstraint(DropConstraint {
                table: q("billing.customer"),
                name: id("ck_customer_name"),
                convention_names: Vec::new(),
                if_exists: false,
            }),
        ),
        case(
            "create_index partial, expression, include",
            OpKind::CreateIndex(CreateIndex {
                index: partial,
                concurrently: true,
                if_not_exists: false,
            }),
        ),
        case(
            "create_index schema-qualified",
            OpKind::CreateIndex(CreateIndex {
                index: index("ix_customer_email", "billing.customer", &["email", "name"]),
                concurrently: false,
                if_not_exists: false,
            }),
        ),
        case(
            "drop_index qualified, no table",
            OpKind::DropIndex(DropIndex {
                name: q("billing.ix_customer_name"),
                table: None,
                concurrently: false,
                if_exists: false,
                options: Default::default(),
            }),
        ),
        case(
            "drop_index unqualified with qualified table",
            OpKind::DropIndex(DropIndex {
                name: q("ix_invoice_customer"),
                table: Some(q("billing.invoice")),
                concurrently: false,
                if_exists: false,
                options: Default::default(),
            }),
        ),
        case(
            "drop_index bare",
            OpKind::DropIndex(DropIndex {
                name: q("ix_node_parent"),
                table: None,
                concurrently: true,
                if_exists: true,
                options: Default::default(),
            }),
        ),
        case(
            "set table comment",
            OpKind::SetTableComment(SetTableComment {
                table: q("node"),
                comment: Some("a tree".into()),
            }),
        ),
        case(
            "drop table comment",
            OpKind::SetTableComment(SetTableComment {
                table: q("billing.customer"),
                comment: None,
            }),
        ),
        case(
            "create_sequence",
            OpKind::CreateSequence(CreateSequence {
                name: q("seq2"),
                start: Some(5),
                increment: Some(2),
            }),
        ),
        case(
            "drop_sequence",
            OpKind::DropSequence(DropSequence {
                name: q("billing.invoice_no"),
            }),
        ),
    ]
}

#[test]
fn every_op_round_trips_through_its_inverse() {
    let original = base();
    for c in round_trip_cases() {
        let mut s = original.clone();
        let applied = apply_ok(&mut s, c.op.clone());
        assert_ne!(s, original, "{}: the op changed nothing", c.name);
        assert_eq!(broken_invariants(&s), Vec::<String>::new(), "{}", c.name);
        let inverse = match applied.inverse {
            Ok(ops) => ops,
            Err(why) => panic!("{}: no inverse: {why}", c.name),
        };
        assert!(!inverse.is_empty(), "{}: empty inverse", c.name);
        for inv in &inverse {
            assert_eq!(inv.span, OP_SPAN, "{}: inverse op span", c.name);
            if let Err(d) = s.apply(inv) {
                panic!("{}: inverse {} failed: {d:?}", c.name, inv.kind.name());
            }
        }
        assert_eq!(
            s, original,
            "{}: inverse did not restore the schema",
            c.name
        );
        if c.keeps_order {
            assert_eq!(shape(&s), shape(&original), "{}: order changed", c.name);
        }
    }
}

#[test]
fn drop_column_inverse_restores_what_went_with_it_in_order() {
    let mut s = base();
    let applied = apply_ok(&mut s, drop_column("node", "parent_id"));
    let names: Vec<&str> = applied
        .inverse
        .iter()
        .flatten()
        .map(|o| o.kind.name())
        .collect();
    assert_eq!(names, ["add_column", "create_foreign_key", "create_index"]);
    assert!(s.referenced_by.get("node").is_none(), "self fk left behind");
    assert!(!s.index_owner.contains_key("ix_node_parent"));
}

#[test]
fn alter_column_inverse_restores_only_what_changed_under_the_new_name() {
    let mut s = base();
    let applied = apply_ok(
        &mut s,
        OpKind::AlterColumn(AlterColumn {
            rename: Some(id("caption")),
            nullable: Some(true), // already nullable: not a change
            comment: Some(Some("shown".into())),
            ..alter("tag", "label")
        }),
    );
    let want = AlterColumn {
        rename: Some(id("label")),
        comment: Some(None),
        ..alter("tag", "caption")
    };
    assert_eq!(applied.inverse, Ok(vec![op(OpKind::AlterColumn(want))]));
    // Nothing changes: nothing to undo.
    let applied = apply_ok(
        &mut s,
        OpKind::AlterColumn(AlterColumn {
            nullable: Some(true),
            ..alter("tag", "caption")
        }),
    );
    assert_eq!(applied.inverse, Ok(vec![]));
}

#[test]
fn renames_reach_every_reference() {
    let mut s = base();
    apply_ok(
        &mut s,
        OpKind::RenameTable(RenameTable {
            from: q("billing.customer"),
            to: id("client"),
        }),
    );
    apply_ok(
        &mut s,
        OpKind::AlterColumn(AlterColumn {
            rename: Some(id("client_id")),
            ..alter("billing.client", "id")
        }),
    );
    let Some(ConstraintKind::ForeignKey(f)) = s
        .constraint(&q("billing.invoice"), "fk_invoice_customer")
        .map(|c| &c.kind)
    else {
        panic!("fk missing");
    };
    assert_eq!(f.ref_table.key(), "billing.client");
    assert_eq!(f.ref_columns, ids(&["client_id"]));
    let (t, i) = s.index(&q("billing.ix_customer_name")).expect("index kept");
    assert_eq!(t.name.key(), "billing.client");
    assert_eq!(i.table.key(), "billing.client");
    assert_eq!(
        s.table(&q("billing.client"))
            .and_then(|t| t.primary_key())
            .map(|c| c.kind.columns().to_vec()),
        Some(ids(&["client_id"]))
    );
    let referrers: Vec<String> = s
        .referencing_foreign_keys(&q("billing.client"))
        .map(|(t, c)| format!("{}.{}", t.name, c.name))
        .collect();
    assert_eq!(referrers, ["billing.invoice.fk_invoice_customer"]);
    // The old name is gone everywhere.
    assert!(s.table(&q("billing.customer")).is_none());
    assert!(!s.referenced_by.contains_key("billing.customer"));
}

#[test]
fn enums_are_created_by_first_user_and_dropped_after_last() {
    let mut s = base();
    let mood = |s: &Schema| s.enum_uses(&q("billing.mood"));
    assert_eq!(mood(&s), 2);
    assert!(
        s.enum_type(&q("mood")).is_none(),
        "enums are schema-qualified"
    );

    // A new enum in a create_table, used twice: created once.
    let applied = apply_ok(
        &mut s,
        create(
            "pair",
            vec![
                col("a", enum_kind("side", &["l", "r"])),
                col("b", enum_kind("side", &["l", "r"])),
            ],
            vec![],
            vec![],
        ),
    );
    let names = |v: &[EnumType]| v.iter().map(|e| e.name.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&applied.enums_created), ["side"]);
    assert_eq!(s.enum_uses(&q("side")), 2);

    let applied = apply_ok(&mut s, drop_column("pair", "a"));
    assert!(applied.enums_dropped.is_empty());
    let applied = apply_ok(
        &mut s,
        OpKind::DropTable(DropTable {
            name: q("pair"),
            if_exists: false,
        }),
    );
    assert_eq!(names(&applied.enums_dropped), ["side"]);
    assert!(s.enum_type(&q("side")).is_none());

    // Moving a column off a shared enum keeps it; the last user drops it.
    let to_text = |t: &str, c: &str| {
        OpKind::AlterColumn(AlterColumn {
            new_type: Some(ColumnType::new(TypeKind::Text, crate::testkit::AT)),
            ..alter(t, c)
        })
    };
    let applied = apply_ok(&mut s, to_text("billing.invoice", "status"));
    assert!(applied.enums_dropped.is_empty());
    assert_eq!(mood(&s), 1);
    let applied = apply_ok(&mut s, to_text("billing.customer", "mood"));
    assert_eq!(names(&applied.enums_dropped), ["mood"]);
    assert_eq!(mood(&s), 0);

    // Same enum, same values on another column: no create.
    let applied = apply_ok(
        &mut s,
        add_column("link", col("k", enum_kind("tag_kind", &["a", "b"]))),
    );
    assert!(applied.enums_created.is_empty());
    assert_eq!(s.enum_uses(&q("tag_kind")), 2);
}

#[test]
fn applied_records_what_the_op_replaced_not_the_table() {
    let mut s = base();
    let applied = apply_ok(&mut s, add_column("node", int("x")));
    assert_eq!(applied.table, Some(q("node")));
    assert_eq!(applied.old_column, None);
    let applied = apply_ok(&mut s, create("t2", vec![int("a")], vec![], vec![]));
    assert_eq!(applied.table, None);
    let applied = apply_ok(
        &mut s,
        OpKind::CreateSequence(CreateSequence {
            name: q("s9"),
            start: None,
            increment: None,
        }),
    );
    assert_eq!(applied.table, None);

    let old_index = s.table(&q("billing.customer")).unwrap().indexes["ix_customer_name"].clone();
    let applied = apply_ok(
        &mut s,
        OpKind::DropIndex(DropIndex {
            name: q("billing.ix_customer_name"),
            table: None,
            concurrently: false,
            if_exists: false,
            options: Default::default(),
        }),
    );
    assert_eq!(applied.table, Some(q("billing.customer")));
    assert_eq!(applied.dropped_indexes, [old_index]);

    let old_status = s.table(&q("billing.invoice")).unwrap().columns["status"].clone();
    let applied = apply_ok(
        &mut s,
        OpKind::AlterColumn(AlterColumn {
            nullable: Some(false),
            rename: Some(id("state")),
            ..alter("billing.invoice", "status")
        }),
    );
    assert_eq!(applied.old_column, Some(old_status));

    let old_check = s
        .constraint(&q("billing.customer"), "ck_customer_name")
        .cloned();
    let applied = apply_ok(
        &mut s,
        OpKind::DropConstraint(DropConstraint {
            table: q("billing.customer"),
            name: id("ck_customer_name"),
            convention_names: Vec::new(),
            if_exists: false,
        }),
    );
    assert_eq!(
        applied.dropped_constraints,
        old_check.into_iter().collect::<Vec<_>>()
    );

    // A dropped column takes its single-column key and index along, and says so.
    let old_email = s.table(&q("billing.customer")).unwrap().columns["email"].clone();
    let applied = apply_ok(&mut s, drop_column("billing.customer", "email"));
    assert_eq!(applied.old_column, Some(old_email));
    assert_eq!(
        names_of(&applied.dropped_constraints),
        ["uq_customer_email"]
    );
    assert!(applied.dropped_indexes.is_empty());

    let applied = apply_ok(
        &mut s,
        OpKind::SetTableComment(SetTableComment {
            table: q("billing.customer"),
            comment: None,
        }),
    );
    assert_eq!(applied.old_comment.as_deref(), Some("customers"));
}

fn names_of(cs: &[Constraint]) -> Vec<&str> {
    cs.iter().map(|c| c.name.as_str()).collect()
}

#[test]
fn guarded_ops_on_their_guarded_case_change_nothing() {
    let cases = vec![
        OpKind::CreateTable(CreateTable {
            if_not_exists: true,
            ..match create("node", vec![int("other")], vec![], vec![]) {
                OpKind::CreateTable(c) => c,
                _ => unreachable!(),
            }
        }),
        OpKind::DropTable(DropTable {
            name: q("nope"),
            if_exists: true,
        }),
        OpKind::AddColumn(AddColumn {
            table: q("node"),
            column: text("code"),
            if_not_exists: true,
            position: Default::default(),
        }),
        OpKind::DropColumn(DropColumn {
            table: q("node"),
            column: id("nope"),
            if_exists: true,
        }),
        OpKind::CreateIndex(CreateIndex {
            index: index("ix_node_parent", "node", &["code"]),
            concurrently: false,
            if_not_exists: true,
        }),
        OpKind::DropIndex(DropIndex {
            name: q("nope"),
            table: Some(q("node")),
            concurrently: false,
            if_exists: true,
            options: Default::default(),
        }),
        OpKind::DropIndex(DropIndex {
            name: q("nope"),
            table: None,
            concurrently: false,
            if_exists: true,
            options: Default::default(),
        }),
    ];
    let original = base();
    for kind in cases {
        let name = kind.name();
        let mut s = original.clone();
        let applied = apply_ok(&mut s, kind);
        assert_eq!(applied.inverse, Ok(vec![]), "{name}");
        assert!(applied.is_noop(), "{name}");
        assert_eq!(s, original, "{name}");
    }
}

#[test]
fn bulk_insert_and_execute_apply_but_have_no_inverse() {
    let original = base();
    let cases = vec![
        (
            OpKind::BulkInsert(BulkInsert {
                table: q("tag"),
                columns: ids(&["tenant", "code"]),
                rows: vec![vec![
                    Literal::Integer("1".into()),
                    Literal::String("a".into()),
                ]],
            }),
            "DELETE",
        ),
        (
            OpKind::Execute(Execute {
                default: Some(SqlText {
                    text: "SELECT 1".into(),
                    span: crate::testkit::AT,
                    raw: false,
                }),
                variants: Default::default(),
            }),
            "raw SQL",
        ),
    ];
    for (kind, why) in cases {
        let mut s = original.clone();
        let applied = apply_ok(&mut s, kind);
        match applied.inverse {
            Err(reason) => assert!(reason.contains(why), "{reason}"),
            Ok(ops) => panic!("unexpected inverse {ops:?}"),
        }
        assert_eq!(s, original);
    }
}

// ---- errors ---------------------------------------------------------------

struct ErrCase {
    op: OpKind,
    code: Code,
    span: Span,
    help: Option<&'static str>,
}

fn err(op: OpKind, code: Code, span: Span, help: Option<&'static str>) -> ErrCase {
    ErrCase {
        op,
        code,
        span,
        help,
    }
}

fn error_cases() -> Vec<ErrCase> {
    let bad_count = constraint(
        "fk_link_node",
        ConstraintKind::ForeignKey(ForeignKey {
            columns: ids(&["id", "tag_tenant"]),
            ref_table: q("node"),
            ref_columns: vec![id_at("id", 50)],
            on_delete: None,
            on_update: None,
            deferrable: None,
            initially_deferred: None,
            match_kind: None,
        }),
    );
    let generated_pk = Constraint {
        generated_name: true,
        span: sp(70, 20),
        ..pk("pk_link2", &["note"])
    };
    vec![
        err(OpKind::AddColumn(AddColumn { table: q_at("billing.custmer", 10), column: int("x"), if_not_exists: true , position: Default::default()}), Code::UnknownTable, sp(10, 15), Some("did you mean `billing.customer`?")),
        err(add_constraint("node", fk("fk_x", &["tenant"], "tagg", &["tenant"])), Code::UnknownTable, crate::testkit::AT, Some("did you mean `tag`?")),
        err(OpKind::DropColumn(DropColumn { table: q("billing.customer"), column: id_at("emal", 30), if_exists: false }), Code::UnknownColumn, sp(30, 4), Some("did you mean `email`?")),
        err(OpKind::CreateIndex(CreateIndex { index: Index { parts: vec![IndexPart::Column { name: id_at("cod", 5), desc: true, length: None }], ..index("ix_n", "node", &[]) }, concurrently: false, if_not_exists: false }), Code::UnknownColumn, sp(5, 3), Some("did you mean `code`?")),
        err(add_constraint("tag", fk("fk_t", &["tenant"], "node", &[])).with_ref_col(id_at("ids", 40)), Code::UnknownColumn, sp(40, 3), Some("did you mean `id`?")),
        err(OpKind::BulkInsert(BulkInsert { table: q("tag"), columns: vec![id("tenant"), id_at("labl", 8)], rows: vec![] }), Code::UnknownColumn, sp(8, 4), Some("did you mean `label`?")),
        err(OpKind::DropConstraint(DropConstraint { table: q("billing.customer"), name: id_at("pk_custmer", 3), convention_names: Vec::new(), if_exists: false }), Code::UnknownConstraint, sp(3, 10), Some("did you mean `pk_customer`?")),
        err(OpKind::DropIndex(DropIndex { name: q_at("ix_node_paren", 4), table: Some(q("node")), concurrently: false, if_exists: false, options: Default::default() }), Code::UnknownIndex, sp(4, 13), Some("did you mean `ix_node_parent`?")),
        err(OpKind::DropIndex(DropIndex { name: q_at("billing.ix_customer_nam", 0), table: None, concurrently: false, if_exists: false, options: Default::default() }), Code::UnknownIndex, sp(0, 23), Some("did you mean `billing.ix_customer_name`?")),
        err(OpKind::DropIndex(DropIndex { name: q_at("ix_node_parent", 2), table: Some(q("tag")), concurrently: false, if_exists: true, options: Default::default() }), Code::UnknownIndex, sp(2, 14), None),
        err(OpKind::DropSequence(DropSequence { name: q_at("billing.invoice_n", 6) }), Code::UnknownSequence, sp(6, 17), Some("did you mean `billing.invoice_no`?")),
        err(add_column("node", Column { default: Some(DefaultValue::NextVal(q_at("nope", 9))), ..int("x") }), Code::UnknownSequence, sp(9, 4), None),
        err(OpKind::CreateTable(CreateTable { name: q_at("billing.customer", 7), ..create_inner("x", vec![int("a")]) }), Code::DuplicateTable, sp(7, 16), None),
        err(OpKind::RenameTable(RenameTable { from: q("node"), to: id_at("tag", 12) }), Code::DuplicateTable, sp(12, 3), None),
        err(add_column("billing.customer", Column { name: id_at("email", 20), ..int("x") }), Code::DuplicateColumn, sp(20, 5), None),
        err(create("dup", vec![int("a"), Column { name: id_at("a", 33), ..int("a") }], vec![], vec![]), Code::DuplicateColumn, sp(33, 1), None),
        err(OpKind::AlterColumn(AlterColumn { rename: Some(id_at("code", 14)), ..alter("node", "tenant") }), Code::DuplicateColumn, sp(14, 4), None),
        err(add_constraint("billing.customer", Constraint { name: id_at("ck_customer_name", 11), ..uq("x", &["email"]) }), Code::DuplicateConstraint, sp(11, 16), None),
        err(OpKind::CreateIndex(CreateIndex { index: Index { name: id_at("ix_node_parent", 1), ..index("x", "tag", &["code"]) }, concurrently: false, if_not_exists: false }), Code::DuplicateIndex, sp(1, 14), None),
        err(create("dupix", vec![int("a")], vec![], vec![Index { name: id_at("ix_a", 3), ..index("ix_a", "dupix", &["a"]) }, Index { name: id_at("ix_a", 60), ..index("ix_a", "dupix", &["a"]) }]), Code::DuplicateIndex, sp(60, 4), None),
        err(OpKind::CreateSequence(CreateSequence { name: q_at("billing.invoice_no", 0), start: None, increment: None }), Code::DuplicateSequence, sp(0, 18), None),
        err(OpKind::DropTable(DropTable { name: q_at("tag", 10), if_exists: true }), Code::TableReferenced, sp(10, 3), Some("drop the foreign key first: `drop_constraint fk_link_tag on link`")),
        err(OpKind::DropTable(DropTable { name: q_at("billing.customer", 0), if_exists: false }), Code::TableReferenced, sp(0, 16), Some("drop the foreign key first: `drop_constraint fk_invoice_customer on billing.invoice`")),
        err(OpKind::DropColumn(DropColumn { table: q("solo"), column: id_at("only_col", 5), if_exists: false }), Code::DropLastColumn, sp(5, 8), Some("drop the table instead: `drop_table solo`")),
        err(add_constraint("tag", Constraint { name: id_at("pk2", 25), ..pk("pk2", &["label"]) }), Code::DuplicatePrimaryKey, sp(25, 3), Some("drop `pk_tag` first")),
        err(add_constraint("link", generated_pk), Code::DuplicatePrimaryKey, sp(70, 20), Some("drop `pk_link` first")),
        err(add_constraint("link", bad_count), Code::ForeignKeyColumnCount, sp(50, 2), None),
        err(OpKind::DropColumn(DropColumn { table: q("node"), column: id_at("tenant", 4), if_exists: true }), Code::ColumnInUse, sp(4, 6), Some("drop `uq_node_tenant_code` first")),
        err(OpKind::DropColumn(DropColumn { table: q("tag"), column: id_at("code", 4), if_exists: false }), Code::ColumnInUse, sp(4, 4), Some("drop `pk_tag` first")),
        err(OpKind::DropColumn(DropColumn { table: q("billing.customer"), column: id_at("id", 4), if_exists: false }), Code::ColumnInUse, sp(4, 2), Some("drop `fk_invoice_customer` first")),
        err(OpKind::DropColumn(DropColumn { table: q("node"), column: id_at("id", 4), if_exists: false }), Code::ColumnInUse, sp(4, 2), Some("drop `fk_node_parent` first")),
        err(OpKind::DropColumn(DropColumn { table: q("link"), column: id_at("tag_code", 4), if_exists: false }), Code::ColumnInUse, sp(4, 8), Some("drop `fk_link_tag` first")),
        err(add_column("billing.customer", col("m2", TypeKind::Enum(EnumType { name: id_at("mood", 44), values: vec!["meh".into()] }))), Code::EnumMismatch, sp(44, 4), None),
        err(OpKind::AlterColumn(AlterColumn { new_type: Some(ColumnType::new(TypeKind::Enum(EnumType { name: id_at("tag_kind", 8), values: vec!["a".into(), "b".into(), "c".into()] }), crate::testkit::AT)), ..alter("tag", "kind") }), Code::EnumMismatch, sp(8, 8), None),
        err(OpKind::BulkInsert(BulkInsert { table: q_at("tag", 2), columns: ids(&["tenant"]), rows: vec![vec![], vec![Literal::Null]] }), Code::BulkInsertRowLength, sp(2, 3), None),
    ]
}

fn create_inner(name: &str, columns: Vec<Column>) -> CreateTable {
    match create(name, columns, vec![], vec![]) {
        OpKind::CreateTable(c) => c,
        _ => unreachable!(),
    }
}

trait WithRefCol {
    fn with_ref_col(self, c: Ident) -> OpKind;
}

impl WithRefCol for OpKind {
    /// Gives an AddConstraint foreign key one referenced column.
    fn with_ref_col(mut self, c: Ident) -> OpKind {
        if let OpKind::AddConstraint(a) = &mut self {
            if let ConstraintKind::ForeignKey(f) = &mut a.constraint.kind {
                f.ref_columns = vec![c];
            }
        }
        self
    }
}

#[test]
fn errors_are_located_and_leave_the_model_unchanged() {
    let original = base();
    for (n, c) in error_cases().into_iter().enumerate() {
        let mut s = original.clone();
        let d = match s.apply(&op(c.op)) {
            Err(d) => d,
            Ok(_) => panic!("case {n} ({}) applied", c.code),
        };
        assert_eq!(d.code, c.code, "case {n}: {d:?}");
        assert_eq!(
            d.primary.as_ref().map(|l| l.span),
            Some(c.span),
            "case {n}: {d:?}"
        );
        assert!(
            d.primary.as_ref().is_some_and(|l| !l.message.is_empty()),
            "case {n}: no label"
        );
        if let Some(help) = c.help {
            assert!(
                d.help.iter().any(|h| h == help),
                "case {n}: help {:?}",
                d.help
            );
        }
        assert_eq!(s, original, "case {n} ({}) changed the model", c.code);
    }
}

#[test]
fn index_names_are_unique_per_schema_not_globally() {
    let mut s = base();
    // `ix_node_parent` exists in the default schema; `billing` is another namespace.
    let applied = apply_ok(
        &mut s,
        OpKind::CreateIndex(CreateIndex {
            index: index("ix_node_parent", "billing.invoice", &["total"]),
            concurrently: false,
            if_not_exists: false,
        }),
    );
    assert!(applied.inverse.is_ok());
    assert_eq!(
        s.index_owner
            .get("billing.ix_node_parent")
            .map(String::as_str),
        Some("billing.invoice")
    );
    assert_eq!(
        s.index(&q("ix_node_parent")).map(|(t, _)| t.name.key()),
        Some("node".to_string())
    );
}

// ---- scale ----------------------------------------------------------------

#[test]
fn replays_ten_thousand_ops() {
    // A chain of tables, each referencing the one before, growing by
    // add_column; every hundredth op renames the newest table, which moves the
    // foreign keys of its successor. 10,000 ops, replayed linearly.
    let mut s = Schema::new();
    let mut names: Vec<String> = Vec::new();
    let mut downgrade: Vec<Op> = Vec::new();
    for i in 0..10_000 {
        let current = names.last().cloned().unwrap_or_default();
        let kind = if i % 10 == 0 {
            let name = format!("t{}", names.len() + 1);
            let mut constraints = vec![pk(&format!("pk_{name}"), &["id"])];
            if !current.is_empty() {
                constraints.push(fk(
                    &format!("fk_{name}_prev"),
                    &["prev_id"],
                    &current,
                    &["id"],
                ));
            }
            let ix = index(&format!("ix_{name}_prev"), &name, &["prev_id"]);
            names.push(name.clone());
            create(
                &name,
                vec![int("id"), int("prev_id")],
                constraints,
                vec![ix],
            )
        } else if i % 100 == 55 {
            let renamed = format!("r{}", names.len());
            names.pop();
            names.push(renamed.clone());
            OpKind::RenameTable(RenameTable {
                from: q(&current),
                to: id(&renamed),
            })
        } else {
            add_column(&current, text(&format!("c{i}")))
        };
        let applied = apply_ok(&mut s, kind);
        downgrade.extend(applied.inverse.unwrap_or_default().into_iter().rev());
    }
    assert_eq!(broken_invariants(&s), Vec::<String>::new());
    assert_eq!(s.tables.len(), 1000);
    assert_eq!(s.index_owner.len(), 1000);
    assert_eq!(s.referenced_by.len(), 999);
    assert_eq!(s.table(&q("t1000")).map(|t| t.columns.len()), Some(11));
    assert_eq!(s.table(&q("r996")).map(|t| t.columns.len()), Some(10));
    assert_eq!(
        s.constraint(&q("t997"), "fk_t997_prev")
            .map(|c| match &c.kind {
                ConstraintKind::ForeignKey(f) => f.ref_table.key(),
                _ => String::new(),
            }),
        Some("r996".to_string())
    );
    // The derived downgrade of the whole history, run backwards, empties the schema.
    for o in downgrade.iter().rev() {
        if let Err(d) = s.apply(o) {
            panic!("downgrade {} failed: {d:?}", o.kind.name());
        }
    }
    assert_eq!(s, Schema::new());
}

#[test]
fn diagnostics_render_with_both_sites() {
    use crate::diag::{render, Style};
    use crate::source::SourceMap;
    let mut map = SourceMap::new();
    let text = "create_table tag { tenant : integer }\nrename_table link -> tag\n";
    let file = map.add("v/a.mig", text);
    let mut s = Schema::new();
    let at = |name: &str, from: usize| Ident::new(name, Span::new(file, from, from + name.len()));
    apply_ok(
        &mut s,
        OpKind::CreateTable(CreateTable {
            name: QualifiedName::bare(at("tag", 13)),
            ..create_inner("tag", vec![int("tenant")])
        }),
    );
    apply_ok(&mut s, create("link", vec![int("id")], vec![], vec![]));
    let Err(d) = s.apply(&op(OpKind::RenameTable(RenameTable {
        from: q("link"),
        to: at("tag", 59),
    }))) else {
        panic!("rename onto an existing table applied");
    };
    let out = render(&[d], &map, Style::Plain);
    assert!(
        out.contains("error[duplicate-table]: cannot rename `link` to `tag`"),
        "{out}"
    );
    assert!(out.contains("--> v/a.mig:2:22"), "{out}");
    assert!(out.contains("^^^ already exists"), "{out}");
    assert!(out.contains("--- created here"), "{out}");
}

/// One rule for what goes with a dropped column: every constraint and index
/// that involves it and no other column (keys, CHECKs, plain, expression and
/// partial indexes); anything wider, a generated column or a reference from
/// elsewhere is an error naming what to drop first.
#[test]
fn what_goes_with_a_dropped_column() {
    let mut expr_index = index("ix_w_lower", "w", &[]);
    expr_index.parts = vec![IndexPart::Expr(SqlExpr {
        text: "lower(note)".into(),
        span: crate::testkit::AT,
    })];
    let mut partial = index("ix_w_label_busy", "w", &["label"]);
    partial.where_clause = Some(SqlExpr {
        text: "size > 10".into(),
        span: crate::testkit::AT,
    });
    let generated = Column {
        computed: Some(Box::new(crate::ir::Computed {
            expr: SqlExpr {
                text: "price * 2".into(),
                span: crate::testkit::AT,
            },
            stored: true,
        })),
        ..int("double_price")
    };
    let mut s = Schema::new();
    apply_ok(
        &mut s,
        create(
            "w",
            vec![
                int("id"),
                int("size"),
                text("note"),
                text("label"),
                int("price"),
                generated,
            ],
            vec![
                pk("pk_w", &["id"]),
                check("ck_w_size", "size > 0"),
                check("ck_w_label", "label <> note"),
                uq("uq_w_note", &["note"]),
            ],
            vec![expr_index, partial],
        ),
    );
    let names = |cs: &[Constraint]| cs.iter().map(|c| c.name.name.clone()).collect::<Vec<_>>();
    // `size`: its CHECK goes; the partial index names it and `label`: refused.
    let err = s.apply(&op(drop_column("w", "size"))).unwrap_err();
    assert_eq!(err.code, Code::ColumnInUse);
    assert!(
        err.message
            .contains("index `ix_w_label_busy` also uses other columns"),
        "{}",
        err.message
    );
    apply_ok(
        &mut s,
        OpKind::DropIndex(DropIndex {
            name: q("ix_w_label_busy"),
            table: Some(q("w")),
            concurrently: false,
            if_exists: false,
            options: Default::default(),
        }),
    );
    let applied = apply_ok(&mut s, drop_column("w", "size"));
    assert_eq!(names(&applied.dropped_constraints), ["ck_w_size"]);
    assert!(s.constraint(&q("w"), "ck_w_size").is_none());
    // The inverse puts back the column, then its CHECK.
    let inverse: Vec<&str> = applied
        .inverse
        .as_ref()
        .unwrap()
        .iter()
        .map(|o| o.kind.name())
        .collect();
    assert_eq!(inverse, ["add_column", "create_check_constraint"]);

    // `note`: a CHECK that also names `label` blocks it.
    let err = s.apply(&op(drop_column("w", "note"))).unwrap_err();
    assert!(
        err.message
            .contains("constraint `ck_w_label` also uses other columns"),
        "{}",
        err.message
    );
    apply_ok(
        &mut s,
        OpKind::DropConstraint(DropConstraint {
            table: q("w"),
            name: id("ck_w_label"),
            convention_names: Vec::new(),
            if_exists: false,
        }),
    );
    // Then its unique key and its expression index go with it.
    let applied = apply_ok(&mut s, drop_column("w", "note"));
    assert_eq!(names(&applied.dropped_constraints), ["uq_w_note"]);
    let dropped: Vec<&str> = applied
        .dropped_indexes
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(dropped, ["ix_w_lower"]);
    assert!(s.index(&q("ix_w_lower")).is_none());

    // `price`: a generated column uses it.
    let err = s.apply(&op(drop_column("w", "price"))).unwrap_err();
    assert_eq!(err.code, Code::ColumnInUse);
    assert!(
        err.message
            .contains("generated column `double_price` uses it"),
        "{}",
        err.message
    );
    assert!(
        broken_invariants(&s).is_empty(),
        "{:?}",
        broken_invariants(&s)
    );
}

/// `alter_column .. identity` / `drop_identity`: the model takes the new
/// identity, the inverse gives back the old one, options included; a column
/// that would be a nullable or defaulted identity is refused at the column.
#[test]
fn alter_column_identity_is_inverted_and_checked() {
    let mut s = Schema::new();
    let t = create("t", vec![int("id"), text("note")], vec![], vec![]);
    apply_ok(&mut s, t);
    let i = Identity {
        always: true,
        maxvalue: Some(99),
        ..Identity::default()
    };
    let add = AlterColumn {
        identity: Some(Some(Box::new(i.clone()))),
        ..alter("t", "id")
    };
    let applied = apply_ok(&mut s, OpKind::AlterColumn(add));
    assert_eq!(s.tables["t"].columns["id"].identity.as_deref(), Some(&i));
    let inverse = applied.inverse.expect("invertible");
    let [Op {
        kind: OpKind::AlterColumn(inv),
        ..
    }] = inverse.as_slice()
    else {
        panic!("{inverse:?}")
    };
    assert_eq!(inv.identity, Some(None));
    let drop = AlterColumn {
        identity: Some(None),
        ..alter("t", "id")
    };
    let applied = apply_ok(&mut s, OpKind::AlterColumn(drop));
    assert_eq!(s.tables["t"].columns["id"].identity, None);
    let inverse = applied.inverse.expect("invertible");
    let [Op {
        kind: OpKind::AlterColumn(inv),
        ..
    }] = inverse.as_slice()
    else {
        panic!("{inverse:?}")
    };
    assert_eq!(inv.identity, Some(Some(Box::new(i))));

    for (column, why) in [("note", "nullable"), ("id", "default")] {
        let mut a = AlterColumn {
            identity: Some(Some(Box::new(Identity::default()))),
            ..alter("t", column)
        };
        if column == "id" {
            a.default = Some(Some(DefaultValue::Literal(Literal::Integer("1".into()))));
        }
        let err = s.apply(&op(OpKind::AlterColumn(a))).unwrap_err();
        assert_eq!(err.code, Code::ConflictingAttributes, "{column}");
        assert!(err.message.contains(why), "{}", err.message);
    }
}

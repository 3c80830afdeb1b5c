use super::read_sql;
use crate::dialect::Dialect;
use crate::naming::Convention;
use crate::source::SourceMap;

/// Reads a fixture dump; its problems rendered, or the schema.
fn read(dialect: Dialect, name: &str) -> Result<crate::schema::Schema, String> {
    let path = format!(
        "{}/tests/fixtures/target/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("fixture dump");
    let mut sources = SourceMap::new();
    let file = sources.add(path, text.clone());
    read_sql(
        dialect,
        file,
        &text,
        "alembic_version",
        &Convention::default(),
    )
    .map_err(|d| crate::diag::render(&d, &sources, crate::diag::Style::Plain))
}

#[test]
fn the_example_projects_dumps_read_into_the_model() {
    for (dialect, name) in [
        (Dialect::PostgreSql, "postgresql.sql"),
        (Dialect::MariaDb, "mariadb.sql"),
        (Dialect::Sqlite, "sqlite.sql"),
    ] {
        let schema = read(dialect, name).unwrap_or_else(|e| panic!("{name}:\n{e}"));
        let tables: Vec<&String> = schema.tables.keys().collect();
        assert_eq!(tables.len(), 7, "{name}: {tables:?}");
        assert!(!schema.tables.contains_key("alembic_version"), "{name}");
        assert_eq!(schema.views.len(), 1, "{name}");
        let customer = &schema.tables["customer"];
        assert!(
            customer.columns["id"].identity.is_some(),
            "{name}: autoincrement read"
        );
        assert_eq!(
            customer.columns["email"].ty.kind,
            crate::ir::TypeKind::String(Some(255)),
            "{name}"
        );
    }
}

#[test]
fn serials_sequences_enums_and_what_has_no_portable_type() {
    let schema =
        read(Dialect::PostgreSql, "postgresql_serial.sql").unwrap_or_else(|e| panic!("{e}"));
    let t = &schema.tables["t"];
    assert!(
        t.columns["id"].identity.is_some() && t.columns["id"].default.is_none(),
        "serial"
    );
    assert!(t.columns["n"].identity.is_some(), "bigserial");
    assert_eq!(
        schema.sequences.keys().collect::<Vec<_>>(),
        ["free_seq"],
        "owned sequences go with their column"
    );
    assert_eq!(
        (
            schema.sequences["free_seq"].start,
            schema.sequences["free_seq"].increment
        ),
        (Some(10), Some(5))
    );
    let u = &schema.tables["u"];
    assert!(
        matches!(&u.columns["id"].default, Some(crate::ir::DefaultValue::NextVal(q)) if q.key() == "free_seq")
    );
    assert!(u.indexes["ix_u"].unique && u.indexes["ix_u"].where_clause.is_some());
    let v = &schema.tables["v"];
    assert!(
        matches!(&v.columns["m"].ty.kind, crate::ir::TypeKind::Enum(e) if e.values == ["ok", "sad"])
    );
    assert_eq!(
        v.columns["ts"].ty.kind,
        crate::ir::TypeKind::Raw("TIMESTAMP(3) WITH TIME ZONE".into())
    );
    assert_eq!(
        v.columns["arr"].ty.kind,
        crate::ir::TypeKind::Raw("INTEGER[]".into())
    );
}

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

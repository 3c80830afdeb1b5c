//! The example shop project in migrations/: compiles on every dialect,
//! deterministically, and its SQLite scripts really run: upgrade builds the
//! schema the migrations describe, downgrade leaves no user table behind.

use crate::support::{repo, script};
use ddlc::dialect::Dialect;
use ddlc::graph::Direction;
use rusqlite::Connection;

const HEAD: &str = "c6e1f8b3d4a2";

fn upgrade(dialect: Dialect) -> String {
    script(&repo(), Direction::Upgrade, "head", dialect)
        .unwrap_or_else(|e| panic!("{dialect} upgrade:\n{e}"))
}

fn downgrade(dialect: Dialect) -> String {
    script(&repo(), Direction::Downgrade, "head:base", dialect)
        .unwrap_or_else(|e| panic!("{dialect} downgrade:\n{e}"))
}

#[test]
fn compiles_on_every_dialect_byte_identically() {
    for dialect in Dialect::ALL {
        let (up, down) = (upgrade(dialect), downgrade(dialect));
        assert_eq!(up, upgrade(dialect), "{dialect}: two upgrade runs differ");
        assert_eq!(
            down,
            downgrade(dialect),
            "{dialect}: two downgrade runs differ"
        );
        for text in [&up, &down] {
            assert!(
                !text.contains("RETURNING")
                    && !text.contains("OUTPUT inserted")
                    && !text.contains(":ret_0")
            );
        }
        insta::with_settings!({snapshot_path => "../../snapshots/example", prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(format!("upgrade@{dialect}"), up);
            insta::assert_snapshot!(format!("downgrade@{dialect}"), down);
        });
    }
}

fn names(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).expect("prepare");
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .expect("query");
    rows.map(|r| r.expect("row")).collect()
}

fn columns(conn: &Connection, table: &str) -> Vec<(String, String, bool)> {
    let mut stmt = conn
        .prepare(&format!("PRAGMA table_info(\"{table}\")"))
        .expect("pragma");
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, bool>(3)?,
            ))
        })
        .expect("query");
    rows.map(|r| r.expect("row")).collect()
}

#[test]
fn sqlite_upgrade_builds_the_described_schema_and_downgrade_empties_it() {
    let conn = Connection::open_in_memory().expect("sqlite");
    conn.execute_batch(&upgrade(Dialect::Sqlite))
        .expect("upgrade script applies");

    let tables = names(&conn, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    assert_eq!(
        tables,
        [
            "alembic_version",
            "customer",
            "invoice",
            "loyalty_account",
            "order",
            "order_line",
            "product",
            "shipment"
        ]
    );
    let views = names(&conn, "SELECT name FROM sqlite_master WHERE type = 'view'");
    assert_eq!(views, ["customer_label"]);

    let customer: Vec<(String, String, bool)> = columns(&conn, "customer");
    let want = [
        ("id", "INTEGER", true),
        ("email", "VARCHAR(255)", true),
        ("full_name", "VARCHAR(120)", true),
        ("is_active", "BOOLEAN", true),
        ("created_at", "DATETIME", true),
        ("billing_address", "TEXT", false),
    ];
    let got: Vec<(&str, &str, bool)> = customer
        .iter()
        .map(|(n, t, nn)| (n.as_str(), t.as_str(), *nn))
        .collect();
    assert_eq!(got, want, "customer columns (name, type, not null)");
    let product: Vec<String> = columns(&conn, "product").into_iter().map(|c| c.0).collect();
    assert_eq!(product, ["id", "sku", "name", "price", "details"]);

    let indexes = names(&conn, "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name");
    assert!(
        indexes.contains(&"ix_order_customer_status".to_string()),
        "{indexes:?}"
    );
    assert!(
        !indexes.contains(&"ix_customer_created".to_string()),
        "dropped in 5b8e: {indexes:?}"
    );

    let version = names(&conn, "SELECT version_num FROM alembic_version");
    assert_eq!(version, [HEAD]);
    let skus = names(&conn, "SELECT name FROM product ORDER BY sku");
    assert_eq!(skus, ["Tea, green", "O'Neil's shortbread"]);
    // The schema enforces what the migrations declared.
    assert!(conn.execute("INSERT INTO order_line (order_id, line_no, product_id, quantity, unit_price) VALUES (1, 1, 1, 0, 1)", []).is_err(), "qty_positive check");

    conn.execute_batch(&downgrade(Dialect::Sqlite))
        .expect("downgrade script applies");
    let left = names(
        &conn,
        "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
    );
    assert_eq!(
        left,
        ["alembic_version"],
        "only the version table may remain"
    );
    assert!(names(&conn, "SELECT version_num FROM alembic_version").is_empty());
}

//! The enum lifecycle on a table with rows, on PostgreSQL, MariaDB and
//! SQLite: an enum gains, renames and loses a value, `downgrade auto` brings
//! it back, and the rows survive both ways. A row that holds a value being
//! removed is the author's to update first: the engine refuses the removal
//! (shown here on the derived downgrade, which removes the gained value).

use crate::engine_db::EngineDb;
use crate::support::{project, script};
use ddlc::dialect::Dialect;
use ddlc::graph::Direction;

const BASE: &str = r#"revision "0001"
revises  base
message  "a table with rows"

upgrade {
    create_table ticket {
        id    : integer primary_key
        state : enum(ticket_state: 'open', 'spam', 'closed') not_null default 'open'
    }
    bulk_insert ticket (id, state) {
        (1, 'open')
        (2, 'closed')
    }
}

downgrade {
    drop_table ticket
}
"#;

const LIFECYCLE: &str = r#"revision "0002"
revises  "0001"
message  "gain, rename, lose"

upgrade {
    add_enum_value ticket_state 'held' after 'open'
    rename_enum_value ticket_state 'closed' -> 'done'
    drop_enum_value ticket_state 'spam'
}

downgrade auto
"#;

/// The rows, one `id|state` per line, whatever the client's separator.
fn rows(db: &EngineDb) -> String {
    db.run("SELECT id, state FROM ticket ORDER BY id;")
        .replace('\t', "|")
}

#[test]
fn an_enum_gains_renames_and_loses_a_value_with_rows_and_comes_back() {
    let (_dir, root) = project(&[("0001", BASE), ("0002", LIFECYCLE)]);
    let compiled = |direction, range: &str, d| {
        script(&root, direction, range, d).unwrap_or_else(|e| panic!("{range} on {d}: {e}"))
    };
    for (name, dialect, refusal) in [
        (
            "postgresql",
            Dialect::PostgreSql,
            "invalid input value for enum",
        ),
        (
            "mariadb",
            Dialect::MariaDb,
            "Data truncated for column 'state'",
        ),
        ("sqlite", Dialect::Sqlite, "CHECK constraint failed"),
    ] {
        let Some(db) = EngineDb::fresh(name) else {
            continue;
        };
        let up_all = compiled(Direction::Upgrade, "base:0002", dialect);
        let up = compiled(Direction::Upgrade, "0001:0002", dialect);
        let down = compiled(Direction::Downgrade, "0002:0001", dialect);
        db.run(&up_all);
        assert_eq!(rows(&db), "1|open\n2|done", "{name}: after the upgrade");
        db.run(&down);
        assert_eq!(rows(&db), "1|open\n2|closed", "{name}: after the downgrade");
        // The values are back where they were: 'spam' again, 'held' gone.
        db.run("INSERT INTO ticket (id, state) VALUES (3, 'spam');");
        db.run("DELETE FROM ticket WHERE id = 3;");
        assert!(
            db.try_run("INSERT INTO ticket (id, state) VALUES (4, 'held');")
                .is_err(),
            "{name}: 'held' is gone"
        );
        db.run(&up);
        assert_eq!(rows(&db), "1|open\n2|done", "{name}: up again");
        db.run("INSERT INTO ticket (id, state) VALUES (3, 'held');");
        assert_eq!(
            rows(&db),
            "1|open\n2|done\n3|held",
            "{name}: the gained value"
        );
        // A row holds the value the downgrade removes: the engine refuses.
        let refused = db.try_run(&down).expect_err("a row holds 'held'");
        assert!(refused.contains(refusal), "{name}: {refused}");
    }
}

//! SQLite table rebuilds on a real SQLite, the way users run scripts: the
//! `sqlite3` shell with `-bail` (as the script header says) and rusqlite,
//! with foreign keys enforced. A rebuild keeps every row of every table that
//! references the rebuilt one, whatever its ON DELETE action; a revision
//! applies whole or not at all, version row included; consecutive changes to
//! one table copy it once.

use crate::support::{project, script};
use camino::Utf8Path;
use ddlc::dialect::Dialect;
use ddlc::graph::Direction;
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use std::io::Write;
use std::process::{Command, Stdio};

fn sql(root: &Utf8Path, direction: Direction, range: &str) -> String {
    script(root, direction, range, Dialect::Sqlite).unwrap_or_else(|e| panic!("{range}: {e}"))
}

/// Runs `input` through `sqlite3 [flags] db` and returns whether it exited 0.
/// A missing `sqlite3` fails the test: the shell is what users run.
fn shell(db: &Utf8Path, flags: &[&str], input: &str) -> bool {
    let mut child = Command::new("sqlite3")
        .args(flags)
        .arg(db.as_str())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the sqlite3 shell must be installed for these tests");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write to sqlite3");
    let out = child.wait_with_output().expect("sqlite3 runs");
    out.status.success()
}

/// Every row of every listed table, in a stable order.
fn rows(conn: &Connection, tables: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for t in tables {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {t} ORDER BY 1"))
            .unwrap_or_else(|e| panic!("{t}: {e}"));
        let n = stmt.column_count();
        let mut q = stmt.query([]).expect("query");
        while let Some(r) = q.next().expect("row") {
            let vals: Vec<String> = (0..n)
                .map(|i| match r.get_ref(i).expect("value") {
                    ValueRef::Null => "NULL".to_string(),
                    ValueRef::Integer(v) => v.to_string(),
                    ValueRef::Real(v) => v.to_string(),
                    ValueRef::Text(t) => format!("'{}'", String::from_utf8_lossy(t)),
                    ValueRef::Blob(b) => format!("x{b:02x?}"),
                })
                .collect();
            out.push(format!("{t}: {}", vals.join(", ")));
        }
    }
    out
}

/// The schema as SQLite stores it, and the version rows.
fn schema_and_version(conn: &Connection) -> (Vec<String>, Vec<String>) {
    let schema = conn
        .prepare("SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY name")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("sqlite_master");
    let version = conn
        .prepare("SELECT version_num FROM alembic_version")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .unwrap_or_default();
    (schema, version)
}

const FAMILY: &str = r#"revision "0001"
revises  base
message  "a parent that others, and itself, reference with every action"

upgrade {
    create_table parent {
        id        : integer    primary_key
        status    : string(20) not_null
        parent_id : integer    references parent (id) on_delete cascade
    }
    create_table child_plain {
        id  : integer primary_key
        pid : integer references parent (id)
    }
    create_table child_cascade {
        id  : integer primary_key
        pid : integer not_null references parent (id) on_delete cascade
    }
    create_table child_set_null {
        id  : integer primary_key
        pid : integer references parent (id) on_delete set_null
    }
    create_table child_restrict {
        id  : integer primary_key
        pid : integer references parent (id) on_delete restrict
    }
    create_table child_update {
        id  : integer primary_key
        pid : integer references parent (id) on_update cascade
    }
    create_table log {
        msg : text
    }
    execute sqlite "CREATE VIEW parent_status AS SELECT id, status FROM parent"
}

downgrade irreversible "test base"
"#;

const WIDEN: &str = r#"revision "0002"
revises  "0001"
message  "widen the parent's status: a rebuild"

upgrade {
    alter_column parent.status type string(30)
}

downgrade auto
"#;

const TABLES: [&str; 7] = [
    "parent",
    "child_plain",
    "child_cascade",
    "child_set_null",
    "child_restrict",
    "child_update",
    "log",
];

/// Rows in every table, and a trigger on another table that reads the parent.
const ROWS: &str = "INSERT INTO parent VALUES (1, 'one', NULL), (2, 'two', 1);
INSERT INTO child_plain VALUES (1, 1), (2, 2);
INSERT INTO child_cascade VALUES (1, 1), (2, 2);
INSERT INTO child_set_null VALUES (1, 1), (2, 2);
INSERT INTO child_restrict VALUES (1, 1);
INSERT INTO child_update VALUES (1, 2);
CREATE TRIGGER log_child AFTER INSERT ON child_plain BEGIN
    INSERT INTO log SELECT status FROM parent WHERE id = NEW.pid;
END;
";

/// After the rebuild: the same rows everywhere, no broken foreign key, the
/// view and the trigger still read the parent, foreign keys on.
fn check_family(conn: &Connection, before: &[String], version: &str, how: &str) {
    assert_eq!(rows(conn, &TABLES), before, "{how}: rows changed");
    let broken: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .expect("foreign_key_check");
    assert_eq!(broken, 0, "{how}: foreign keys broken");
    let (_, v) = schema_and_version(conn);
    assert_eq!(v, [version], "{how}: version row");
    let viewed: i64 = conn
        .query_row("SELECT count(*) FROM parent_status", [], |r| r.get(0))
        .expect("the view still reads the parent");
    assert_eq!(viewed, 2, "{how}: view");
    conn.execute_batch("PRAGMA foreign_keys = ON; INSERT INTO child_plain VALUES (3, 2)")
        .expect("insert fires the trigger");
    let logged: String = conn
        .query_row("SELECT msg FROM log", [], |r| r.get(0))
        .expect("the trigger read the parent");
    assert_eq!(logged, "two", "{how}: trigger");
    conn.execute_batch("DELETE FROM log; DELETE FROM child_plain WHERE id = 3")
        .expect("clean up");
    // Enforced again: a row without its parent is refused.
    let orphan = conn.execute_batch("INSERT INTO child_plain VALUES (9, 99)");
    assert!(
        orphan.is_err(),
        "{how}: foreign keys are not enforced after the script"
    );
}

#[test]
fn rebuild_keeps_every_referencing_row_with_foreign_keys_on_rusqlite() {
    let (_dir, root) = project(&[("0001_family", FAMILY), ("0002_widen", WIDEN)]);
    let conn = Connection::open_in_memory().expect("sqlite");
    conn.execute_batch("PRAGMA foreign_keys = ON")
        .expect("fk on");
    conn.execute_batch(&sql(&root, Direction::Upgrade, "base:0001"))
        .expect("base applies");
    conn.execute_batch(ROWS).expect("rows");
    let before = rows(&conn, &TABLES);
    let up = sql(&root, Direction::Upgrade, "0001:0002");
    assert_eq!(up.matches("COMMIT;").count(), 1, "one transaction:\n{up}");
    assert!(!up.contains("defer_foreign_keys"), "{up}");
    conn.execute_batch(&up)
        .expect("upgrade applies with foreign keys on");
    check_family(&conn, &before, "0002", "upgrade");
    let status: String = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'parent'",
            [],
            |r| r.get(0),
        )
        .expect("parent");
    assert!(status.contains("status VARCHAR(30)"), "{status}");
    conn.execute_batch(&sql(&root, Direction::Downgrade, "0002:0001"))
        .expect("downgrade applies with foreign keys on");
    check_family(&conn, &before, "0001", "downgrade");
}

#[test]
fn rebuild_keeps_every_referencing_row_with_foreign_keys_on_sqlite3_bail() {
    let (dir, root) = project(&[("0001_family", FAMILY), ("0002_widen", WIDEN)]);
    let db = root.join("family.db");
    let _keep = dir;
    // Foreign keys on for the script's connection, as a user's ~/.sqliterc would.
    let on = "PRAGMA foreign_keys = ON;\n";
    assert!(shell(
        &db,
        &["-bail"],
        &format!("{on}{}", sql(&root, Direction::Upgrade, "base:0001"))
    ));
    assert!(shell(&db, &["-bail"], ROWS));
    let before = rows(&Connection::open(&db).expect("open"), &TABLES);
    let up = format!("{on}{}", sql(&root, Direction::Upgrade, "0001:0002"));
    assert!(
        shell(&db, &["-bail"], &up),
        "upgrade fails in sqlite3 -bail:\n{up}"
    );
    check_family(
        &Connection::open(&db).expect("open"),
        &before,
        "0002",
        "upgrade",
    );
    let down = format!("{on}{}", sql(&root, Direction::Downgrade, "0002:0001"));
    assert!(
        shell(&db, &["-bail"], &down),
        "downgrade fails in sqlite3 -bail"
    );
    check_family(
        &Connection::open(&db).expect("open"),
        &before,
        "0001",
        "downgrade",
    );
}

/// Foreign keys are off while the script runs (SQLite cannot rebuild a
/// referenced table otherwise); if they were on, the check before COMMIT
/// catches a row the revision left without its parent, and nothing is applied.
#[test]
fn foreign_keys_broken_during_the_script_fail_it_before_commit() {
    let orphaning = r#"revision "0002"
revises  "0001"
message  "delete a parent (no cascade while foreign keys are off) and rebuild"

upgrade {
    execute "DELETE FROM parent WHERE id = 2"
    alter_column parent.status type string(30)
}

downgrade irreversible "test"
"#;
    let (_dir, root) = project(&[("0001_family", FAMILY), ("0002_orphans", orphaning)]);
    let conn = Connection::open_in_memory().expect("sqlite");
    conn.execute_batch(&sql(&root, Direction::Upgrade, "base:0001"))
        .expect("base applies");
    conn.execute_batch(ROWS).expect("rows");
    let before = (rows(&conn, &TABLES), schema_and_version(&conn));
    let err = conn
        .execute_batch(&sql(&root, Direction::Upgrade, "0001:0002"))
        .expect_err("the orphaned rows fail the script");
    assert!(err.to_string().contains("CHECK constraint failed"), "{err}");
    conn.execute_batch("ROLLBACK")
        .expect("the transaction is still open");
    assert_eq!((rows(&conn, &TABLES), schema_and_version(&conn)), before);
}

const ACCOUNTS: &str = r#"revision "0001"
revises  base
message  "accounts and notes"

upgrade {
    create_table account {
        id    : integer    primary_key
        email : string(50)
        name  : string(50)
    }
    create_table note {
        id : integer primary_key
    }
}

downgrade irreversible "test base"
"#;

const UNIQUE_EMAIL: &str = r#"revision "0002"
revises  "0001"
message  "three changes, the last of which the rows violate"

upgrade {
    add_column note.body : text
    alter_column account.name not_null
    create_unique_constraint on account (email)
}

downgrade auto
"#;

const DUPLICATES: &str = "INSERT INTO account VALUES (1, 'a@x', 'A'), (2, 'a@x', 'B');
INSERT INTO note VALUES (1);
";

/// A rebuild that fails (a unique key the rows violate) leaves the database
/// and the version row exactly as they were, through `sqlite3 -bail` and
/// rusqlite; the shell without `-bail` goes on and commits, which is why the
/// script header says to use it.
#[test]
fn a_failing_revision_applies_nothing() {
    let (dir, root) = project(&[("0001_accounts", ACCOUNTS), ("0002_unique", UNIQUE_EMAIL)]);
    let up = sql(&root, Direction::Upgrade, "0001:0002");
    assert!(
        up.contains("sqlite3 -bail"),
        "the header says how to run it:\n{up}"
    );
    assert_eq!(up.matches("BEGIN;").count(), 1, "{up}");
    assert_eq!(up.matches("COMMIT;").count(), 1, "{up}");
    let fresh = |name: &str| {
        let db = root.join(name);
        assert!(shell(
            &db,
            &["-bail"],
            &sql(&root, Direction::Upgrade, "base:0001")
        ));
        assert!(shell(&db, &["-bail"], DUPLICATES));
        db
    };
    let state = |db: &Utf8Path| {
        let conn = Connection::open(db).expect("open");
        (rows(&conn, &["account", "note"]), schema_and_version(&conn))
    };

    let db = fresh("bail.db");
    let before = state(&db);
    assert!(!shell(&db, &["-bail"], &up), "the unique key must fail");
    assert_eq!(
        state(&db),
        before,
        "sqlite3 -bail left the revision half-applied"
    );

    let db = fresh("rusqlite.db");
    {
        let conn = Connection::open(&db).expect("open");
        assert!(conn.execute_batch(&up).is_err());
        // Closing the connection rolls the open transaction back.
    }
    assert_eq!(
        state(&db),
        before,
        "rusqlite left the revision half-applied"
    );

    let db = fresh("no_bail.db");
    assert!(!shell(&db, &[], &up));
    let (_, (_, version)) = state(&db);
    assert_eq!(
        version,
        ["0002"],
        "without -bail the shell commits what ran after the error"
    );
    drop(dir);
}

const WIDGETS: &str = r#"revision "0001"
revises  base
message  "two tables"

upgrade {
    create_table widget {
        id    : integer    primary_key
        size  : integer
        label : string(20)
        code  : string(10)
        note  : text
    }
    create_table gadget {
        id   : integer primary_key
        name : string(20)
    }
}

downgrade auto
"#;

const FOUR_CHANGES: &str = r#"revision "0002"
revises  "0001"
message  "four changes to one table, then one to another, then one more to the first"

upgrade {
    alter_column widget.size type bigint
    alter_column widget.label not_null
    rename_column widget.note -> remark
    create_unique_constraint on widget (code)
    alter_column gadget.name not_null
    alter_column widget.size not_null
}

downgrade auto
"#;

/// One copy of a table per run of consecutive ops on it: four changes, one
/// copy; a change to another table ends the run. The rows survive, renamed
/// and retyped columns included, both ways.
#[test]
fn consecutive_changes_to_one_table_copy_it_once() {
    let (_dir, root) = project(&[("0001_widgets", WIDGETS), ("0002_changes", FOUR_CHANGES)]);
    let up = sql(&root, Direction::Upgrade, "0001:0002");
    assert_eq!(
        up.matches("CREATE TABLE _ddlc_tmp_widget").count(),
        2,
        "{up}"
    );
    assert_eq!(
        up.matches("CREATE TABLE _ddlc_tmp_gadget").count(),
        1,
        "{up}"
    );
    assert!(
        up.contains("one rebuild of table `widget` for this op and the 3 before it"),
        "{up}"
    );
    assert!(
        up.contains("INSERT INTO _ddlc_tmp_widget (id, size, label, code, remark) SELECT id, CAST(size AS BIGINT), label, code, note FROM widget;"),
        "{up}"
    );
    let down = sql(&root, Direction::Downgrade, "0002:0001");
    assert_eq!(
        down.matches("CREATE TABLE _ddlc_tmp_widget").count(),
        2,
        "{down}"
    );

    let conn = Connection::open_in_memory().expect("sqlite");
    conn.execute_batch(&sql(&root, Direction::Upgrade, "base:0001"))
        .expect("base");
    conn.execute_batch(
        "INSERT INTO widget VALUES (1, 10, 'a', 'c1', 'n1'), (2, 20, 'b', 'c2', 'n2');
         INSERT INTO gadget VALUES (1, 'g');",
    )
    .expect("rows");
    let before = rows(&conn, &["widget", "gadget"]);
    conn.execute_batch(&up).expect("upgrade");
    assert_eq!(
        rows(&conn, &["widget", "gadget"]),
        before,
        "the rows, with `note` now `remark`"
    );
    conn.execute_batch(&down).expect("downgrade");
    assert_eq!(rows(&conn, &["widget", "gadget"]), before);
    let (schema, _) = schema_and_version(&conn);
    assert!(schema.iter().any(|s| s.contains("note TEXT")), "{schema:?}");
}

const PARENT_AND_PLAIN_CHILD: &str = r#"revision "0001"
revises  base
message  "parent and a child with a plain foreign key"

upgrade {
    create_table parent {
        id     : integer    primary_key
        status : string(20)
    }
    create_table child {
        id  : integer primary_key
        pid : integer references parent (id)
    }
}

downgrade auto
"#;

/// The issue's case: a plain foreign key (no action) made COMMIT fail with
/// `FOREIGN KEY constraint failed` under `defer_foreign_keys`.
#[test]
fn rebuild_of_a_parent_with_a_plain_child_commits() {
    let (dir, root) = project(&[
        ("0001_parent", PARENT_AND_PLAIN_CHILD),
        ("0002_widen", WIDEN),
    ]);
    let on = "PRAGMA foreign_keys = ON;\n";
    let db = root.join("plain.db");
    assert!(shell(
        &db,
        &["-bail"],
        &format!("{on}{}", sql(&root, Direction::Upgrade, "base:0001"))
    ));
    assert!(shell(
        &db,
        &["-bail"],
        "INSERT INTO parent VALUES (1, 'a'); INSERT INTO child VALUES (1, 1);"
    ));
    let up = format!("{on}{}", sql(&root, Direction::Upgrade, "0001:0002"));
    assert!(shell(&db, &["-bail"], &up), "upgrade fails:\n{up}");
    let conn = Connection::open(&db).expect("open");
    assert_eq!(
        rows(&conn, &["parent", "child"]),
        ["parent: 1, 'a'", "child: 1, 1"]
    );
    assert_eq!(schema_and_version(&conn).1, ["0002"]);
    drop(conn);
    drop(dir);
}

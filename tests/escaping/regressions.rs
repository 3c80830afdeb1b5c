//! The issue-7 cases that were reproduced on real engines, as they were
//! written, each applied with the engine's client and checked there.

use crate::clients::{unhex, Db, Kind};
use crate::project::{ProjectDir, Revision};

/// One regression: a project, and what must hold after its upgrade.
pub struct Regression {
    /// Name in the report.
    pub name: &'static str,
    /// The upgrade body.
    pub upgrade: String,
    /// The engines it runs on.
    pub engines: &'static [Kind],
    /// Checks after the upgrade (besides the victim surviving).
    pub check: fn(&Db) -> Result<(), String>,
}

const ALL: &[Kind] = &[Kind::Postgres, Kind::Mariadb, Kind::Sqlite];

/// The cases.
pub fn all() -> Vec<Regression> {
    vec![
        Regression {
            name: "defect 1: a backslash in fragment literals (check, default, computed, alter default)",
            upgrade: r#"    create_table t {
        id : integer primary_key
        b : string(50)
        c : string(50) default ('\')
        n : integer computed (length(b) + length('\')) stored
    }
    create_check_constraint ck on t (b <> '\' AND b <> '); DROP TABLE victim; -- ')
    add_column t.d : string(50)
    alter_column t.d default ('\\')
    bulk_insert t (id, b) {
        (1, 'ab')
    }"#
            .into(),
            engines: ALL,
            check: |db| {
                let row = db.query(&format!(
                    "SELECT {}, n, {} FROM t WHERE id = 1",
                    db.hexed("c"),
                    db.hexed("d")
                ))?;
                let row = row.first().ok_or("no row")?;
                if unhex(&row[0]) != "\\" || row[1] != "3" || unhex(&row[2]) != "\\\\" {
                    return Err(format!("defaults/computed read back as {row:?}"));
                }
                // The CHECK means b <> '\': a backslash is refused, a quote is not.
                if db.query("INSERT INTO t (id, b) VALUES (2, '''')").is_err() {
                    return Err("the CHECK refused a quote".into());
                }
                let backslash = match db.kind() {
                    Kind::Mariadb => "'\\\\'",
                    _ => "'\\'",
                };
                if db
                    .query(&format!("INSERT INTO t (id, b) VALUES (3, {backslash})"))
                    .is_ok()
                {
                    return Err("the CHECK let a backslash through".into());
                }
                Ok(())
            },
        },
        Regression {
            name: "defect 1: a backslash in index expressions and where (PostgreSQL, SQLite)",
            upgrade: r#"    create_table t {
        id : integer primary_key
        b : string(50)
    }
    create_index ix_t_expr on t ((replace(b, '\', '/')))
    create_index ix_t_part on t (id) where (b <> '\' AND b <> '); DROP TABLE victim; -- ')"#
                .into(),
            engines: &[Kind::Postgres, Kind::Sqlite],
            check: |_| Ok(()),
        },
        Regression {
            name: "defect 4: a trailing -- comment in a fragment and in execute",
            // A table block's unnamed `check (` does not parse today (front end),
            // so the constraint is added on its own.
            upgrade: "    create_table t {\n        id : integer primary_key\n    }\n    create_check_constraint ck_pos on t (id > 0 -- must be positive\n    )\n    execute \"SELECT 1 -- note\"\n    execute \"INSERT INTO t (id) VALUES (7) -- the row\"".into(),
            engines: ALL,
            check: |db| {
                let rows = db.query("SELECT id FROM t")?;
                if rows != [vec!["7".to_string()]] {
                    return Err(format!("rows {rows:?}"));
                }
                if db.query("INSERT INTO t (id) VALUES (-1)").is_ok() {
                    return Err("the CHECK is gone".into());
                }
                Ok(())
            },
        },
        Regression {
            name: "defect 1: a backslash in a default execute body (read as standard SQL everywhere)",
            upgrade: r#"    create_table t {
        id : integer primary_key
        b : string(50)
    }
    bulk_insert t (id, b) {
        (1, 'x')
    }
    execute "UPDATE t SET b = 'a\' WHERE id = 1 OR b = '; DROP TABLE victim; -- '""#
                .into(),
            engines: ALL,
            check: |db| {
                let rows = db.query(&format!("SELECT {} FROM t", db.hexed("b")))?;
                match rows.first().map(|r| unhex(&r[0])) {
                    Some(b) if b == "a\\" => Ok(()),
                    other => Err(format!("b reads back as {other:?}")),
                }
            },
        },
        Regression {
            name: "defect 5: non-ASCII outside quotes in execute",
            upgrade: "    create_table t {\n        id : integer primary_key\n        é : integer\n    }\n    execute \"INSERT INTO t (id, é) VALUES (1, 2); UPDATE t SET é = 3 WHERE é = 2\"".into(),
            engines: ALL,
            check: |db| {
                let rows = db.query(&format!("SELECT {} FROM t", db.ident("é")))?;
                if rows != [vec!["3".to_string()]] {
                    return Err(format!("rows {rows:?}"));
                }
                Ok(())
            },
        },
        Regression {
            name: "defect 12: execute raw (DO, CREATE PROCEDURE, CREATE TRIGGER)",
            upgrade: "    create_table t {\n        id : integer primary_key\n        b : integer\n    }\n    execute {\n        raw postgresql \"\"\"DO $x$ BEGIN INSERT INTO t VALUES (1, 1); INSERT INTO t VALUES (2, 2); END $x$\"\"\"\n        raw mariadb \"\"\"CREATE PROCEDURE p_fill() BEGIN INSERT INTO t VALUES (1, 1); INSERT INTO t VALUES (2, 2); END\"\"\"\n        raw sqlite \"\"\"CREATE TRIGGER tr_t AFTER INSERT ON t BEGIN UPDATE t SET b = NEW.id WHERE id = NEW.id; END\"\"\"\n    }\n    execute mariadb \"CALL p_fill()\"\n    execute sqlite \"INSERT INTO t (id) VALUES (1); INSERT INTO t (id) VALUES (2)\"".into(),
            engines: ALL,
            check: |db| {
                let rows = db.query("SELECT id, b FROM t ORDER BY id")?;
                let want = vec![
                    vec!["1".to_string(), "1".to_string()],
                    vec!["2".to_string(), "2".to_string()],
                ];
                if rows != want {
                    return Err(format!("rows {rows:?}"));
                }
                Ok(())
            },
        },
    ]
}

/// The project of one regression (one revision; downgrade drops what it made).
pub fn project(r: &Regression) -> ProjectDir {
    ProjectDir::new(
        None,
        &[Revision {
            id: "r1".into(),
            upgrade: r.upgrade.clone(),
            downgrade: "{\n    drop_table t\n}".into(),
            message: None,
        }],
    )
}

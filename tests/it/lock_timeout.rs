//! `[scripts] lock_timeout` / `statement_timeout`: the header of every
//! upgrade and downgrade script sets them for the session, and the engines
//! take them (PostgreSQL, MariaDB); a bad value is refused.

use crate::engine_db::EngineDb;
use crate::support::{project, script};
use ddlc::dialect::Dialect;
use ddlc::graph::Direction;

const BASE: &str = "revision \"0001\"\nrevises  base\nmessage  \"t\"\n\nupgrade {\n    create_table t {\n        id : integer primary_key\n    }\n}\n\ndowngrade auto\n";

fn with_scripts(toml: &str) -> (tempfile::TempDir, camino::Utf8PathBuf) {
    let (dir, root) = project(&[("0001", BASE)]);
    std::fs::write(
        root.join("ddlc.toml"),
        format!("[project]\nmigrations = \".\"\n[scripts]\n{toml}"),
    )
    .unwrap();
    (dir, root)
}

#[test]
fn the_header_sets_the_timeouts_for_the_session() {
    let (_dir, root) = with_scripts("lock_timeout = \"1500ms\"\nstatement_timeout = \"15min\"\n");
    let up = |d| script(&root, Direction::Upgrade, "heads", d).expect("compiles");
    let pg = up(Dialect::PostgreSql);
    let head: Vec<&str> = pg
        .lines()
        .skip_while(|l| l.starts_with("--"))
        .take(4)
        .collect();
    assert_eq!(
        head,
        [
            "SET client_encoding = 'UTF8';",
            "SET lock_timeout = '1500ms';",
            "SET statement_timeout = '15min';",
            "",
        ]
    );
    // Before the transaction: it holds for all of it and past it.
    assert!(pg.find("SET lock_timeout").unwrap() < pg.find("BEGIN;").unwrap());
    let down = script(
        &root,
        Direction::Downgrade,
        "heads:base",
        Dialect::PostgreSql,
    )
    .unwrap();
    assert!(down.contains("SET lock_timeout = '1500ms';"), "{down}");
    // Whole seconds, rounded up; MySQL has no statement timeout for DDL.
    for d in [Dialect::MySql, Dialect::MariaDb] {
        let sql = up(d);
        assert!(
            sql.contains("SET SESSION lock_wait_timeout = 2;\n"),
            "{sql}"
        );
        assert!(!sql.contains("statement_time"), "{sql}");
    }
    for d in [Dialect::Sqlite, Dialect::MsSql, Dialect::Oracle] {
        assert!(!up(d).contains("timeout"), "{d}");
    }
    // Unset: nothing.
    let (_dir, plain) = project(&[("0001", BASE)]);
    let sql = script(&plain, Direction::Upgrade, "heads", Dialect::PostgreSql).unwrap();
    assert!(!sql.contains("timeout"), "{sql}");
}

#[test]
fn the_engines_take_the_timeouts() {
    let (_dir, root) = with_scripts("lock_timeout = \"1500ms\"\nstatement_timeout = \"1h\"\n");
    let cases = [
        (
            "postgresql",
            Dialect::PostgreSql,
            "SHOW lock_timeout;\nSHOW statement_timeout;",
            "1500ms\n1h",
        ),
        (
            "mariadb",
            Dialect::MariaDb,
            "SELECT @@SESSION.lock_wait_timeout;",
            "2",
        ),
    ];
    for (engine, dialect, show, want) in cases {
        let Some(db) = EngineDb::fresh(engine) else {
            continue;
        };
        let sql = script(&root, Direction::Upgrade, "heads", dialect).unwrap();
        let out = db.run(&format!("{sql}\n{show}\n"));
        assert!(out.ends_with(want), "{engine}: {out}");
    }
}

#[test]
fn a_bad_timeout_is_refused() {
    for (bad, says) in [
        ("\"5\"", "write a whole number and ms, s, min or h"),
        ("\"0s\"", "more than 0"),
        ("\"2d\"", "write a whole number"),
        ("\"25h\"", "at most a day"),
    ] {
        let (_dir, root) = with_scripts(&format!("lock_timeout = {bad}\n"));
        let err = script(&root, Direction::Upgrade, "heads", Dialect::PostgreSql).unwrap_err();
        assert!(
            err.contains("[scripts] lock_timeout") && err.contains(says),
            "{bad}: {err}"
        );
    }
    let (_dir, root) = with_scripts("lock_wait = \"5s\"\n");
    let err = script(&root, Direction::Upgrade, "heads", Dialect::PostgreSql).unwrap_err();
    assert!(err.contains("lock_wait"), "{err}");
}

//! Scripts apply whole or not at all where the engine can: one transaction
//! per script on PostgreSQL, SQLite and SQL Server, never an empty one, and
//! nothing on SQLite leaves it half-way. What the header tells users to run
//! is checked on the real clients: `psql` without ON_ERROR_STOP exits 0 on a
//! failed script (rolled back), with it exits non-zero; the mariadb client
//! stops at the first error but keeps what ran, since DDL commits by itself.
//! PostgreSQL and MariaDB run when DDLC_TEST_POSTGRES_URL / DDLC_TEST_MYSQL_URL
//! are set (CI sets them); otherwise the test says loudly that it did not run.

use crate::support::{folders, project, repo, script};
use camino::Utf8PathBuf;
use ddlc::dialect::Dialect;
use ddlc::graph::Direction;
use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Every project of the repository: the example, the corpus scenarios, the op fixtures.
fn projects() -> Vec<Utf8PathBuf> {
    let mut out = vec![repo()];
    out.extend(folders(&repo().join("tests/corpus")));
    out.extend(folders(&repo().join("tests/fixtures/ops")));
    assert!(out.len() > 50, "projects not found");
    out
}

/// The statement lines of a script (comments and blank lines left out).
fn statements(sql: &str) -> Vec<&str> {
    sql.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("--") && *l != "GO" && *l != "/")
        .collect()
}

#[test]
fn sqlite_scripts_are_one_transaction_with_nothing_outside_but_the_foreign_key_switch() {
    let mut checked = 0;
    for p in projects() {
        for (direction, range) in [
            (Direction::Upgrade, "base:head"),
            (Direction::Downgrade, "head:base"),
        ] {
            let Ok(sql) = script(&p, direction, range, Dialect::Sqlite) else {
                continue; // refused on SQLite (expect.toml says where)
            };
            checked += 1;
            let lines = statements(&sql);
            let begin = lines.iter().filter(|l| **l == "BEGIN;").count();
            let commit = lines.iter().filter(|l| **l == "COMMIT;").count();
            assert_eq!((begin, commit), (1, 1), "{p} {range}:\n{sql}");
            let inside = lines
                .iter()
                .skip_while(|l| **l != "BEGIN;")
                .take_while(|l| **l != "COMMIT;");
            for l in inside {
                assert!(
                    !l.starts_with("PRAGMA foreign_keys") && !l.contains("defer_foreign_keys"),
                    "{p} {range}: `{l}` inside the transaction"
                );
            }
        }
    }
    assert!(checked > 100, "only {checked} SQLite scripts compiled");
}

#[test]
fn no_script_opens_an_empty_transaction() {
    for p in projects() {
        for dialect in [Dialect::PostgreSql, Dialect::Sqlite, Dialect::MsSql] {
            for (direction, range) in [
                (Direction::Upgrade, "base:head"),
                (Direction::Downgrade, "head:base"),
            ] {
                let Ok(sql) = script(&p, direction, range, dialect) else {
                    continue;
                };
                let lines = statements(&sql);
                for pair in lines.windows(2) {
                    assert!(
                        !(pair[0].starts_with("BEGIN") && pair[1] == "COMMIT;"),
                        "{p} {range} {dialect}: empty transaction:\n{sql}"
                    );
                }
            }
        }
    }
}

const FAILING: &str = r#"revision "0001"
revises  base
message  "a table, duplicate rows, then a unique key they violate"

upgrade {
    create_table account {
        id    : integer    primary_key
        email : string(50)
    }
    bulk_insert account (id, email) {
        (1, 'a@x')
        (2, 'a@x')
    }
    create_unique_constraint on account (email)
}

downgrade irreversible "test"
"#;

/// Runs a client with `input` on its stdin, as a user pipes a script.
pub(crate) fn run(cmd: &mut Command, input: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    child.wait_with_output().expect("wait")
}

/// A database name unique to this run and call.
fn db_name(tag: &str) -> String {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_micros());
    format!("ddlc_tx_{}_{stamp}_{n}_{tag}", std::process::id())
}

#[test]
fn psql_needs_on_error_stop_to_report_a_failed_script() {
    let Ok(url) = std::env::var("DDLC_TEST_POSTGRES_URL") else {
        eprintln!("NOT RUN: psql_needs_on_error_stop_to_report_a_failed_script needs DDLC_TEST_POSTGRES_URL");
        return;
    };
    let (_dir, root) = project(&[("0001_failing", FAILING)]);
    let sql =
        script(&root, Direction::Upgrade, "base:head", Dialect::PostgreSql).expect("compiles");
    assert!(sql.contains("psql -v ON_ERROR_STOP=1"), "{sql}");
    let base = url
        .rsplit_once('/')
        .map_or(url.as_str(), |(b, _)| b)
        .to_string();
    let db = db_name("pg");
    let psql = |db_url: &str, extra: &[&str], input: &str| {
        run(
            Command::new("psql")
                .args(["-X", "-q"])
                .args(extra)
                .args(["-f", "-", db_url]),
            input,
        )
    };
    assert!(psql(&url, &[], &format!("CREATE DATABASE {db};"))
        .status
        .success());
    let target = format!("{base}/{db}");
    let quiet = psql(&target, &[], &sql);
    let stopped = psql(&target, &["-v", "ON_ERROR_STOP=1"], &sql);
    let tables = psql(
        &target,
        &["-At"],
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public';",
    );
    psql(&url, &[], &format!("DROP DATABASE {db} WITH (FORCE);"));
    assert!(
        quiet.status.success(),
        "psql without ON_ERROR_STOP exits 0 on a failed script"
    );
    assert!(
        !stopped.status.success(),
        "psql -v ON_ERROR_STOP=1 reports the failure"
    );
    assert_eq!(
        String::from_utf8_lossy(&tables.stdout).trim(),
        "0",
        "both runs rolled back"
    );
}

#[test]
fn mariadb_keeps_what_ran_before_a_failure() {
    let Ok(url) = std::env::var("DDLC_TEST_MYSQL_URL") else {
        eprintln!("NOT RUN: mariadb_keeps_what_ran_before_a_failure needs DDLC_TEST_MYSQL_URL");
        return;
    };
    let (_dir, root) = project(&[("0001_failing", FAILING)]);
    let sql = script(&root, Direction::Upgrade, "base:head", Dialect::MariaDb).expect("compiles");
    assert!(sql.contains("commit each DDL statement"), "{sql}");
    let rest = url.trim_start_matches("mysql://");
    let (auth, host) = rest.split_once('@').unwrap_or(("root", rest));
    let (host, port) = host
        .split('/')
        .next()
        .unwrap_or("127.0.0.1")
        .split_once(':')
        .unwrap_or(("127.0.0.1", "3306"));
    let (user, password) = auth.split_once(':').unwrap_or((auth, ""));
    let mut args = vec![
        format!("--host={host}"),
        format!("--port={port}"),
        format!("--user={user}"),
    ];
    if !password.is_empty() {
        args.push(format!("--password={password}"));
    }
    let db = db_name("my");
    let client = |db: Option<&str>, input: &str| {
        let mut cmd = Command::new("mariadb");
        cmd.args(&args).args(["--batch", "--skip-column-names"]);
        if let Some(db) = db {
            cmd.arg(db);
        }
        run(&mut cmd, input)
    };
    assert!(client(None, &format!("CREATE DATABASE {db};"))
        .status
        .success());
    let failed = client(Some(&db), &sql);
    let kept = client(Some(&db), "SELECT count(*) FROM account;");
    client(None, &format!("DROP DATABASE {db};"));
    assert!(!failed.status.success(), "the unique key fails");
    assert_eq!(
        String::from_utf8_lossy(&kept.stdout).trim(),
        "2",
        "the table and its rows from before the failure stay: DDL commits by itself"
    );
}

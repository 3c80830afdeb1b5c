//! Alembic's MySQL rename defect (corpus 15_rename_column, SUMMARY.md A1):
//! `alter_column(new_column_name=..., existing_type=...)` without
//! `existing_nullable` renders `CHANGE name full_name VARCHAR(50) NULL`, and the
//! column silently becomes nullable. ddlc takes the definition from its schema
//! model, so the renamed column stays NOT NULL. Proven on the real MariaDB when
//! DDLC_TEST_MYSQL_URL is set (CI sets it); without it the test says loudly
//! that it did not run.

use crate::support::{repo, script};
use ddlc::dialect::Dialect;
use ddlc::graph::Direction;
use std::io::Write;
use std::process::{Command, Stdio};

/// `mysql://user[:password]@host[:port]/db` → client arguments.
fn client_args(url: &str) -> Vec<String> {
    let rest = url
        .trim_start_matches("mysql://")
        .trim_start_matches("mariadb://");
    let (auth, host_part) = rest.split_once('@').unwrap_or(("root", rest));
    let (user, password) = auth.split_once(':').unwrap_or((auth, ""));
    let host_port = host_part.split('/').next().unwrap_or("127.0.0.1");
    let (host, port) = host_port.split_once(':').unwrap_or((host_port, "3306"));
    let mut args = vec![
        format!("--host={host}"),
        format!("--port={port}"),
        format!("--user={user}"),
    ];
    if !password.is_empty() {
        args.push(format!("--password={password}"));
    }
    args
}

fn mariadb(args: &[String], db: Option<&str>, sql: &str) -> Result<String, String> {
    let mut cmd = Command::new("mariadb");
    cmd.args(args).args([
        "--batch",
        "--skip-column-names",
        "--default-character-set=utf8mb4",
    ]);
    if let Some(db) = db {
        cmd.arg(db);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run the mariadb client: {e}"))?;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(sql.as_bytes())
        .map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn renamed_not_null_column_stays_not_null_on_mariadb() {
    let Ok(url) = std::env::var("DDLC_TEST_MYSQL_URL") else {
        eprintln!(
            "NOT RUN: renamed_not_null_column_stays_not_null_on_mariadb needs DDLC_TEST_MYSQL_URL"
        );
        return;
    };
    let args = client_args(&url);
    let project = repo().join("tests/corpus/15_rename_column");
    for dialect in [Dialect::MariaDb, Dialect::MySql] {
        let up = script(&project, Direction::Upgrade, "base:head", dialect).expect("compiles");
        assert!(
            up.contains("CHANGE name full_name VARCHAR(50) NOT NULL"),
            "{dialect}:\n{up}"
        );
        // Unique to this run (process id and start time), so runs sharing the server never meet.
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_micros() % 1_000_000_000);
        let db = format!(
            "ddlc_rename_{}_{stamp}_{}",
            std::process::id(),
            dialect.name()
        );
        mariadb(
            &args,
            None,
            &format!("DROP DATABASE IF EXISTS {db}; CREATE DATABASE {db};"),
        )
        .expect("create database");
        let applied = mariadb(&args, Some(&db), &up);
        let nullable = mariadb(
            &args,
            Some(&db),
            "SELECT IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'customer' AND COLUMN_NAME = 'full_name';",
        );
        mariadb(&args, None, &format!("DROP DATABASE IF EXISTS {db};")).expect("drop database");
        applied.unwrap_or_else(|e| panic!("{dialect} script does not apply on MariaDB: {e}"));
        assert_eq!(
            nullable.expect("query").trim(),
            "NO",
            "{dialect}: customer.full_name lost NOT NULL"
        );
    }
}

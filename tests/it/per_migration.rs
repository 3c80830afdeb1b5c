//! `transaction_per_migration`: a transaction per revision, so a revision
//! that fails leaves the ones before it applied, version row included. Run
//! with the clients as each script's header says: `psql -v ON_ERROR_STOP=1`
//! and `sqlite3 -bail`. PostgreSQL runs when DDLC_TEST_POSTGRES_URL is set.

use crate::cli::Project as Cli;
use crate::support::{project, script};
use crate::transactions::run;
use ddlc::dialect::Dialect;
use ddlc::graph::Direction;
use std::process::{Command, Output};

const FIRST: &str = r#"revision "0001"
revises  base
message  "a table that applies"

upgrade {
    create_table note {
        id : integer primary_key
    }
    bulk_insert note (id) {
        (1)
    }
}

downgrade auto
"#;

const SECOND: &str = r#"revision "0002"
revises  "0001"
message  "duplicate rows, then a unique key they violate"

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

/// The two revisions, with `transaction_per_migration` set or not.
fn scripts(dialect: Dialect, per_migration: bool) -> (tempfile::TempDir, String) {
    let (dir, root) = project(&[("0001_first", FIRST), ("0002_second", SECOND)]);
    let toml =
        format!("[project]\nmigrations = \".\"\ntransaction_per_migration = {per_migration}\n");
    std::fs::write(root.join("ddlc.toml"), toml).expect("ddlc.toml");
    let sql = script(&root, Direction::Upgrade, "base:head", dialect).expect("compiles");
    (dir, sql)
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

#[test]
fn sqlite3_keeps_the_first_revision_when_the_second_fails() {
    for (per_migration, version, tables) in [(true, "0001", "1"), (false, "", "0")] {
        let (dir, sql) = scripts(Dialect::Sqlite, per_migration);
        assert_eq!(
            sql.matches("\nCOMMIT;").count(),
            if per_migration { 2 } else { 1 },
            "{sql}"
        );
        let db = dir.path().join("t.db");
        let sqlite =
            |args: &[&str], input: &str| run(Command::new("sqlite3").args(args).arg(&db), input);
        let failed = sqlite(&["-bail"], &sql);
        assert!(!failed.status.success(), "the unique key fails:\n{sql}");
        let applied = sqlite(
            &[],
            "SELECT count(*) FROM sqlite_master WHERE name = 'note';\n\
             SELECT count(*) FROM sqlite_master WHERE name = 'account';",
        );
        assert_eq!(
            text(&applied),
            format!("{tables}\n0"),
            "per migration: {per_migration}"
        );
        if per_migration {
            let rows = sqlite(&[], "SELECT version_num FROM alembic_version;");
            assert_eq!(text(&rows), version, "the first revision's version row");
        }
    }
}

#[test]
fn psql_keeps_the_first_revision_when_the_second_fails() {
    let Ok(url) = std::env::var("DDLC_TEST_POSTGRES_URL") else {
        eprintln!("NOT RUN: psql_keeps_the_first_revision_when_the_second_fails needs DDLC_TEST_POSTGRES_URL");
        return;
    };
    let (_dir, sql) = scripts(Dialect::PostgreSql, true);
    assert_eq!(sql.matches("\nCOMMIT;").count(), 2, "{sql}");
    let base = url.rsplit_once('/').map_or(url.as_str(), |(b, _)| b);
    let db = format!("ddlc_tpm_{}", std::process::id());
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
    let failed = psql(&target, &["-v", "ON_ERROR_STOP=1"], &sql);
    let version = psql(
        &target,
        &["-At"],
        "SELECT version_num FROM alembic_version;",
    );
    let tables = psql(
        &target,
        &["-At"],
        "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public';",
    );
    psql(&url, &[], &format!("DROP DATABASE {db} WITH (FORCE);"));
    assert!(!failed.status.success(), "the unique key fails");
    assert_eq!(text(&version), "0001", "the first revision's version row");
    assert_eq!(
        text(&tables),
        "alembic_version,note",
        "the second revision rolled back"
    );
}

#[test]
fn the_flag_gives_each_revision_its_own_transaction() {
    // Two heads: two steps for `upgrade heads`, `downgrade heads:base` and
    // `stamp 0001 0002` alike.
    let cli = Cli::new();
    for n in ["0001", "0002"] {
        cli.mig(
            &format!("{n}_t.mig"),
            &format!(
                "revision \"{n}\"\nrevises base\nmessage \"m\"\n\
                 upgrade {{\n create_table t{n} {{\n id : integer\n }}\n}}\ndowngrade auto\n"
            ),
        );
    }
    let commits = |args: &[&str], per_migration: bool| {
        let flag: &[&str] = if per_migration {
            &["--transaction-per-migration"]
        } else {
            &[]
        };
        let args = [args, &["--ignore-sum"], flag].concat();
        let run = cli.run(&args);
        run.expect(0, &args.join(" "));
        run.stdout().matches("\nCOMMIT;").count()
    };
    let up: &[&str] = &["upgrade", "heads", "-d", "sqlite"];
    let down: &[&str] = &["downgrade", "heads:base", "-d", "postgresql"];
    let stamp: &[&str] = &["stamp", "0001", "0002", "-d", "mssql"];
    for args in [up, down, stamp] {
        assert_eq!(commits(args, false), 1, "{args:?}");
        assert_eq!(commits(args, true), 2, "{args:?}");
    }
    // The option in ddlc.toml does what the flag does.
    cli.write("ddlc.toml", "[project]\ntransaction_per_migration = true\n");
    assert_eq!(commits(up, false), 2);
}

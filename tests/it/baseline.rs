//! A baseline: tables that existed before the first migration (made by
//! `create_all` or by hand), declared by a `baseline` revision. The schema is
//! created by hand here, as a user's database has it, then stamped; later
//! revisions alter those tables on PostgreSQL, MariaDB and SQLite.

use crate::cli::Project;
use crate::engine_db::EngineDb;

const BASELINE: &str = "revision \"0000base\"\nrevises  base\nbaseline \"made by metadata.create_all() before migrations\"\nmessage  \"baseline\"\n\nupgrade {\n    create_table account {\n        id    : integer     primary_key autoincrement\n        email : string(100) not_null\n        name  : string(50)\n    }\n}\n\ndowngrade auto\n";

const NEXT: &str = "revision \"0001more\"\nrevises  \"0000base\"\nmessage  \"widen name, add nick\"\n\nupgrade {\n    alter_column account.name type string(200)\n    add_column account.nick : string(30)\n    create_index ix_account_email on account (email)\n}\n\ndowngrade auto\n";

/// What a user's database held before migrations: written by hand, not by ddlc.
const BY_HAND: &str = "CREATE TABLE account (id INTEGER PRIMARY KEY, email VARCHAR(100) NOT NULL, name VARCHAR(50));\nINSERT INTO account (id, email, name) VALUES (1, 'ann@example.com', 'Ann');\n";

fn project() -> Project {
    let p = Project::new();
    p.write("ddlc.toml", "[project]\nmigrations = \"migrations\"\n");
    p.mig("0000base_baseline.mig", BASELINE);
    p.mig("0001more_more.mig", NEXT);
    p.run(&["sum"]).expect(0, "lock");
    p
}

fn sql(p: &Project, args: &[&str]) -> String {
    let run = p.run(args);
    run.expect(0, &format!("{args:?}"));
    run.stdout()
}

#[test]
fn a_baseline_is_stamped_not_run_and_later_revisions_alter_its_tables() {
    let p = project();
    let mut engines = 0;
    for dialect in ["postgresql", "mariadb", "sqlite"] {
        let Some(db) = EngineDb::fresh(dialect) else {
            continue;
        };
        engines += 1;
        let up = sql(&p, &["upgrade", "-d", dialect]);
        assert!(
            !up.contains("CREATE TABLE account"),
            "{dialect}: the baseline's table is not created:\n{up}"
        );
        assert!(up.contains("-- baseline, not run"), "{dialect}:\n{up}");

        db.run(BY_HAND);
        db.run(&sql(&p, &["stamp", "0000base", "-d", dialect]));
        db.run(&sql(&p, &["upgrade", "0000base:head", "-d", dialect]));
        assert_eq!(
            db.run("SELECT version_num FROM alembic_version"),
            "0001more"
        );
        db.run(
            "INSERT INTO account (id, email, name, nick) VALUES (2, 'bo@example.com', 'Bo', 'b')",
        );
        let rows = db.run("SELECT email FROM account ORDER BY id");
        assert_eq!(
            rows.lines().count(),
            2,
            "{dialect}: the hand-made row survived:\n{rows}"
        );
        let long = "x".repeat(150);
        db.run(&format!("UPDATE account SET name = '{long}' WHERE id = 1"));

        // Down past the baseline: the later revision is undone, the baseline's
        // table (older than the migrations) stays with its rows.
        db.run("UPDATE account SET name = 'Ann' WHERE id = 1");
        db.run(&sql(&p, &["downgrade", "head:base", "-d", dialect]));
        assert_eq!(db.run("SELECT COUNT(*) FROM alembic_version"), "0");
        assert_eq!(db.run("SELECT COUNT(*) FROM account"), "2", "{dialect}");

        // From an unstamped database that has the baseline's tables, base:head
        // records the baseline and runs the rest.
        db.run(&up);
        assert_eq!(
            db.run("SELECT version_num FROM alembic_version"),
            "0001more"
        );
        // The column is back, empty: the downgrade dropped it with its values.
        assert_eq!(db.run("SELECT COUNT(nick) FROM account"), "0", "{dialect}");
    }
    assert!(engines >= 1);
}

#[test]
fn ddlc_schema_at_the_baseline_creates_it_for_a_new_database() {
    let p = project();
    for dialect in ["postgresql", "mariadb", "sqlite"] {
        let Some(db) = EngineDb::fresh(dialect) else {
            continue;
        };
        db.run(&sql(&p, &["schema", "0000base", "-d", dialect]));
        db.run(&sql(&p, &["upgrade", "-d", dialect]));
        db.run("INSERT INTO account (email, name, nick) VALUES ('cy@example.com', 'Cy', 'c')");
        assert_eq!(db.run("SELECT nick FROM account"), "c", "{dialect}");
    }
}

#[test]
fn a_baseline_must_be_a_root_of_schema_ops_with_downgrade_auto() {
    let p = Project::new();
    p.write("ddlc.toml", "[project]\nmigrations = \"migrations\"\n");
    p.mig(
        "0000a.mig",
        "revision \"a0\"\nrevises base\nmessage \"a\"\nupgrade { }\ndowngrade auto\n",
    );
    p.mig(
        "0001b.mig",
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/err/invalid-baseline.mig"),
        )
        .unwrap(),
    );
    let run = p.run(&["upgrade", "--ignore-sum"]);
    run.expect(1, "an invalid baseline");
    let stderr = run.stderr();
    for needle in [
        "error[invalid-baseline]: a baseline revision must revise base",
        "error[invalid-baseline]: a baseline is never run, so `bulk_insert` cannot be in it",
        "error[invalid-baseline]: a baseline has no downgrade of its own",
        "migrations/versions/0001b.mig:11:5",
    ] {
        assert!(stderr.contains(needle), "{needle}:\n{stderr}");
    }
}

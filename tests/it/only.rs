//! `only (...)`: each dialect's model holds its own ops, through the real
//! binary: `ddlc schema` per dialect, `ddlc check` over every dialect, `show`.

use crate::cli::Project;
use crate::support::repo;

/// The op fixture `only`, with `check` configured for every dialect.
fn only_project() -> Project {
    let project = Project::new();
    project.write(
        "ddlc.toml",
        "[project]\ndialects = [\"postgresql\", \"mysql\", \"mariadb\", \"sqlite\", \"mssql\", \"oracle\"]\n",
    );
    let versions = repo().join("tests/fixtures/ops/only/versions");
    for name in ["0001_base.mig", "0002_only.mig"] {
        let text = std::fs::read_to_string(versions.join(name)).expect("fixture");
        project.mig(name, &text);
    }
    project
}

#[test]
fn schema_gives_each_dialect_its_own_ops() {
    let project = only_project();
    let schema = |d: &str| {
        let run = project.run(&["schema", "-d", d]);
        run.expect(0, d);
        run.stdout()
    };
    let pg = schema("postgresql");
    assert!(
        pg.contains("WHERE amount > 1000") && pg.contains("START WITH 100"),
        "{pg}"
    );
    assert!(
        pg.contains("CREATE SEQUENCE entry_no") && !pg.contains("ck_flag_active"),
        "{pg}"
    );
    let sqlite = schema("sqlite");
    assert!(
        sqlite.contains("CONSTRAINT ck_flag_active CHECK (active in (0, 1))"),
        "{sqlite}"
    );
    assert!(
        !sqlite.contains("WHERE") && !sqlite.contains("SEQUENCE"),
        "{sqlite}"
    );
    assert!(schema("mariadb").contains("CREATE SEQUENCE entry_no"));
    assert!(!schema("mysql").contains("SEQUENCE"));
    let json = project.run(&["schema", "--json"]);
    json.expect(0, "json of the project's dialect (postgresql)");
    assert!(
        !json.stdout().contains("ck_flag_active"),
        "{}",
        json.stdout()
    );
}

#[test]
fn check_passes_on_every_dialect_and_show_lists_an_op_once() {
    let project = only_project();
    project.run(&["sum"]).expect(0, "sum");
    let run = project.run(&["check"]);
    run.expect(0, "check");
    let show = project.run(&["show", "0002"]);
    show.expect(0, "show");
    let out = show.stdout();
    assert_eq!(out.matches("create_table").count(), 1, "{out}");
}

#[test]
fn a_hand_written_downgrade_is_checked_per_dialect() {
    let project = only_project();
    project.mig(
        "0003_more.mig",
        "revision \"0003\"\nrevises \"0002\"\nmessage \"m\"\nupgrade {\n\
         only (sqlite) { create_index ix_flag_active on flag (active) }\n}\n\
         downgrade {\n only (sqlite, postgresql) { drop_index ix_flag_active }\n}\n",
    );
    project.run(&["sum"]).expect(0, "sum");
    let run = project.run(&["check"]);
    // PostgreSQL's downgrade drops an index its upgrade never made.
    assert_ne!(run.code(), 0, "{}", run.stderr());
    assert!(run.stderr().contains("ix_flag_active"), "{}", run.stderr());
}

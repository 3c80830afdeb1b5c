//! `ddlc stamp` against Alembic's `stamp --sql`: for every case of
//! tests/fixtures/stamp/cases.txt, Alembic's recorded script and ddlc's are
//! applied to fresh databases on PostgreSQL, MariaDB and SQLite with psql,
//! mariadb and sqlite3, and the version tables they leave must be the same:
//! the same rows, and the same columns and key.

use crate::cli::Project;
use crate::engine_db::EngineDb;
use crate::support::repo;
use std::collections::BTreeMap;

/// The corpus's diamond as ddlc revisions, with or without its merge.
fn project(name: &str) -> Project {
    let project = Project::new();
    let versions = repo().join("tests/corpus/32_branches_merge/versions");
    let mut copied = 0;
    for entry in std::fs::read_dir(&versions).expect("the corpus scenario 32_branches_merge") {
        let path = entry.expect("entry").path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        if name == "branched" && file.starts_with("t32m") {
            continue;
        }
        project.mig(&file, &std::fs::read_to_string(&path).expect("read"));
        copied += 1;
    }
    assert_eq!(copied, if name == "branched" { 4 } else { 5 });
    project.run(&["sum"]).expect(0, "lock the copy");
    project
}

/// `(project, targets)` of every case, in file order.
fn cases() -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(repo().join("tests/fixtures/stamp/cases.txt"))
        .expect("tests/fixtures/stamp/cases.txt");
    let cases: Vec<(String, Vec<String>)> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut words = l.split_whitespace().map(String::from);
            let project = words.next().unwrap();
            (project, words.collect())
        })
        .collect();
    assert!(cases.len() >= 15, "cases.txt lost its cases");
    cases
}

/// The recorded file name of a case: `t32a2_to_t32m`, `t32a1_and_t32b1`.
fn case_name(targets: &[String]) -> String {
    targets.join("_and_").replace(':', "_to_")
}

fn alembic_script(project: &str, targets: &[String], dialect: &str) -> String {
    let dialect = if dialect == "mariadb" {
        "mysql"
    } else {
        dialect
    };
    let path = repo().join(format!(
        "tests/fixtures/stamp/alembic/{project}/{}.{dialect}.sql",
        case_name(targets)
    ));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e} (run tests/fixtures/stamp/record.sh)"));
    assert!(text.contains("-- Running stamp_revision"), "{path}");
    text
}

/// The version table: its rows, sorted, and its shape on this engine.
fn version_table(db: &EngineDb) -> (Vec<String>, String) {
    let rows = db.run("SELECT version_num FROM alembic_version ORDER BY version_num");
    let mut rows: Vec<String> = rows.lines().map(str::to_string).collect();
    rows.sort();
    let shape = match db.client {
        "psql" => db.run(
            "SELECT column_name, data_type, character_maximum_length, is_nullable \
             FROM information_schema.columns WHERE table_name = 'alembic_version';
             SELECT constraint_name, constraint_type FROM information_schema.table_constraints \
             WHERE table_name = 'alembic_version' AND constraint_type = 'PRIMARY KEY'",
        ),
        "mariadb" => db.run(
            "SELECT column_name, column_type, is_nullable, column_key FROM information_schema.columns \
             WHERE table_schema = DATABASE() AND table_name = 'alembic_version'",
        ),
        _ => db.run("SELECT name, type, \"notnull\", pk FROM pragma_table_info('alembic_version')"),
    };
    (rows, shape)
}

#[test]
fn stamp_leaves_the_version_table_as_alembics_stamp_does() {
    let cases = cases();
    let by_name: BTreeMap<(String, String), Vec<String>> = cases
        .iter()
        .map(|(p, t)| ((p.clone(), case_name(t)), t.clone()))
        .collect();
    let projects: BTreeMap<&str, Project> = [
        ("merged", project("merged")),
        ("branched", project("branched")),
    ]
    .into();
    let mut compared = 0;
    for dialect in ["postgresql", "mariadb", "sqlite"] {
        // Two databases per engine, emptied before each case.
        let (Some(theirs), Some(ours)) = (EngineDb::fresh(dialect), EngineDb::fresh(dialect))
        else {
            continue;
        };
        for (name, targets) in &cases {
            let project = &projects[name.as_str()];
            let ddlc = |targets: &[String]| {
                let mut args = vec!["stamp", "-d", dialect];
                args.extend(targets.iter().map(String::as_str));
                let run = project.run(&args);
                run.expect(0, &format!("{dialect}: ddlc stamp {targets:?}"));
                run.stdout()
            };
            // A FROM:TO case starts from the database the FROM case leaves.
            let setup: Option<Vec<String>> = targets[0].split_once(':').map(|(from, _)| {
                by_name
                    .get(&(name.clone(), from.to_string()))
                    .unwrap_or_else(|| panic!("cases.txt needs `{name} {from}` for {targets:?}"))
                    .clone()
            });
            for db in [&theirs, &ours] {
                db.run("DROP TABLE IF EXISTS alembic_version");
            }
            if let Some(setup) = &setup {
                theirs.run(&alembic_script(name, setup, dialect));
                ours.run(&ddlc(setup));
            }
            theirs.run(&alembic_script(name, targets, dialect));
            ours.run(&ddlc(targets));
            let (want_rows, want_shape) = version_table(&theirs);
            let (got_rows, got_shape) = version_table(&ours);
            assert_eq!(
                got_rows, want_rows,
                "{dialect}: {name} stamp {targets:?}: rows"
            );
            assert_eq!(
                got_shape, want_shape,
                "{dialect}: {name} stamp {targets:?}: table"
            );
            assert!(!got_shape.is_empty(), "{dialect}: no version table");
            compared += 1;
        }
    }
    assert!(compared >= cases.len(), "every case ran at least on SQLite");
}

#[test]
fn stamp_scripts_hold_only_version_table_statements_and_name_what_they_record() {
    let project = project("merged");
    let run = project.run(&["stamp", "heads"]);
    run.expect(0, "stamp heads");
    let sql = run.stdout();
    assert_eq!(
        sql,
        "-- Generated by ddlc 0.1.0: stamp base:t32m (postgresql)\n\
         -- Offline script: review it, then run it with the database's own client.\n\
         -- Run it with `psql -v ON_ERROR_STOP=1 -f FILE`: without it psql goes on after an error and exits 0.\n\
         SET client_encoding = 'UTF8';\n\
         \n\
         BEGIN;\n\
         \n\
         CREATE TABLE IF NOT EXISTS alembic_version (\n    version_num VARCHAR(32) NOT NULL,\n    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);\n\
         \n\
         -- Running stamp_revision  -> t32m\n\
         -- migrations/versions/t32m_merge.mig: merge branches A and B\n\
         \n\
         INSERT INTO alembic_version (version_num) VALUES ('t32m');\n\
         \n\
         COMMIT;\n"
            .replace("0.1.0", env!("CARGO_PKG_VERSION"))
    );
    let second = project.run(&["stamp", "heads"]);
    assert_eq!(second.0.stdout, run.0.stdout, "byte-identical across runs");
    for (dialect, want) in [
        ("mssql", "GO\n"),
        ("oracle", "\n/\n"),
        (
            "mysql",
            "UPDATE alembic_version SET version_num = 't32m' WHERE version_num = 't32a2';",
        ),
    ] {
        let run = project.run(&["stamp", "t32a2:t32m", "-d", dialect]);
        run.expect(0, dialect);
        let sql = run.stdout();
        assert!(sql.contains(want), "{dialect}: {sql}");
        assert!(
            sql.contains("-- Running stamp_revision t32a2 -> t32m"),
            "{sql}"
        );
        assert!(
            !sql.contains("CREATE TABLE"),
            "{dialect}: a FROM:TO stamp creates nothing"
        );
    }
    let out = project.run(&["stamp", "t32m:base", "-o", "stamp.sql"]);
    out.expect(0, "-o");
    let written = std::fs::read_to_string(project.root().join("stamp.sql")).unwrap();
    assert!(written.contains("DELETE FROM alembic_version WHERE version_num = 't32m';"));
}

#[test]
fn bad_stamp_targets_are_usage_errors() {
    let project = project("branched");
    for (args, says) in [
        (&["stamp", "nope"][..], "no revision or label `nope`"),
        (
            &["stamp", "t32a1", "t32a2"],
            "`t32a1` is an ancestor of `t32a2`",
        ),
        (
            &["stamp", "t32a1:t32a2", "t32base:t32b1"],
            "a stamp has one start",
        ),
        (
            &["stamp", "base", "t32a2"],
            "`base` cannot be stamped together",
        ),
    ] {
        let run = project.run(args);
        run.expect(2, &format!("{args:?}"));
        assert!(run.stderr().contains(says), "{args:?}: {}", run.stderr());
        assert!(run.stdout().is_empty());
    }
    project.run(&["stamp"]).expect(2, "no target");
}

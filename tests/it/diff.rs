//! `ddlc diff --to DUMP` and `ddlc check --against DUMP` through the binary,
//! on the real engines: the example project's schema, dumped by the engine's
//! own tool, is written into a new project by `diff`, compiled, applied to a
//! fresh database and dumped again (equal); and each revision of the
//! example is reached from the one before by `diff` (incremental).

use crate::cli::{Project, Run};
use crate::engine_db::EngineDb;
use crate::support::repo;

/// The engines whose dump tools are read.
const ENGINES: [&str; 3] = ["postgresql", "mariadb", "sqlite"];

/// A dump as compared: psql's `\restrict` lines (a random key per dump),
/// MariaDB's `AUTO_INCREMENT=n` (a counter of rows, not schema) left out, and
/// MariaDB's `KEY` lines of a table sorted (their order is the order the
/// indexes were made in, the implicit ones of foreign keys included: not schema).
fn comparable(dump: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for line in dump.lines().filter(|l| !l.starts_with('\\')) {
        let line = match line.find(" AUTO_INCREMENT=") {
            Some(at) => {
                let rest = &line[at + 1..];
                let end = rest.find(' ').map_or(rest.len(), |n| n + 1);
                format!("{}{}", &line[..at + 1], &rest[end..])
            }
            None => line.to_string(),
        };
        if line.starts_with("  KEY ") {
            keys.push(line.trim_end_matches(',').to_string());
            continue;
        }
        keys.sort();
        out.append(&mut keys);
        out.push(line);
    }
    out.join("\n")
}

/// A project of `dialect` made by `ddlc init`, holding `files` (names under
/// the example's versions folder), locked.
fn project_of(dialect: &str, files: &[String]) -> Project {
    let project = Project::bare();
    project.run(&["init", "-d", dialect]).expect(0, "init");
    for f in files {
        let text = std::fs::read_to_string(repo().join("migrations/versions").join(f))
            .expect("example revision");
        project.write(&format!("migrations/versions/{f}"), text);
    }
    project.run(&["sum"]).expect(0, "sum");
    project
}

/// The example's revision files in the order `upgrade base:heads` runs them (its lock's order).
fn example_files() -> Vec<String> {
    let lock =
        std::fs::read_to_string(repo().join("migrations/ddlc.sum")).expect("the example's lock");
    lock.lines()
        .skip(1)
        .map(|l| l.rsplit('/').next().expect("a path").to_string())
        .collect()
}

fn upgrade(project: &Project, dialect: &str) -> String {
    project
        .run(&["upgrade", "heads", "-d", dialect])
        .expect(0, "upgrade")
        .stdout()
}

/// `ddlc diff --to FILE`, with the renames its hints suggest.
fn diff_to(project: &Project, dialect: &str, file: &str) -> Run {
    let dry = project.run(&[
        "diff",
        "--to",
        file,
        "-m",
        "from the dump",
        "-d",
        dialect,
        "--dry-run",
    ]);
    dry.expect(0, "diff --dry-run");
    let mut args: Vec<String> = ["diff", "--to", file, "-m", "from the dump", "-d", dialect]
        .map(String::from)
        .to_vec();
    for hint in dry
        .stderr()
        .lines()
        .filter_map(|l| l.split("`--rename ").nth(1))
    {
        args.push("--rename".into());
        args.push(hint.trim_end_matches('`').to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    project.run(&args)
}

#[test]
fn the_example_project_round_trips_through_a_dump_on_every_engine() {
    let files = example_files();
    for dialect in ENGINES {
        let Some(first) = EngineDb::fresh(dialect) else {
            continue;
        };
        first.run(&upgrade(&project_of(dialect, &files), dialect));
        let dump = first.dump();
        let project = project_of(dialect, &[]);
        project.write("target.sql", &dump);
        diff_to(&project, dialect, "target.sql").expect(0, "diff");
        project.run(&["check"]).expect(0, "check");
        let second = EngineDb::fresh(dialect).expect("the engine answered once");
        second.run(&upgrade(&project, dialect));
        let again = second.dump();
        project.write("again.sql", &again);
        project
            .run(&["check", "--against", "again.sql", "-d", dialect])
            .expect(0, "same model");
        if dialect == "sqlite" {
            // SQLite keeps each table's SQL as written, `ALTER TABLE .. ADD`
            // included: the text is compared after a second pass.
            let next = project_of(dialect, &[]);
            next.write("target.sql", &again);
            diff_to(&next, dialect, "target.sql").expect(0, "diff");
            let third = EngineDb::fresh(dialect).expect("sqlite");
            third.run(&upgrade(&next, dialect));
            assert_eq!(third.dump(), again, "sqlite: a second round trip");
        } else {
            assert_eq!(
                comparable(&again),
                comparable(&dump),
                "{dialect}: the dumps differ"
            );
        }
    }
}

#[test]
fn each_revision_of_the_example_follows_from_the_one_before_by_diff() {
    let files = example_files();
    for dialect in ENGINES {
        // The database reached by the last step: it is at the next step's start.
        let mut reached: Option<(usize, EngineDb)> = None;
        let Some(target_db) = EngineDb::fresh(dialect) else {
            continue;
        };
        for n in 1..files.len() {
            let before = project_of(dialect, &files[..n]);
            let heads = before.run(&["heads"]).expect(0, "heads").stdout();
            if heads.lines().count() != 1 {
                continue; // `diff` writes a revision of the single head
            }
            target_db.reset();
            let after = project_of(dialect, &files[..=n]);
            target_db.run(&upgrade(&after, dialect));
            before.write("target.sql", target_db.dump());
            let db = match reached.take() {
                Some((at, db)) if at == n => db,
                _ => {
                    let db = EngineDb::fresh(dialect).expect("the engine answered once");
                    db.run(&upgrade(&before, dialect));
                    db
                }
            };
            let old_head = heads
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
            diff_to(&before, dialect, "target.sql")
                .expect(0, &format!("{dialect}: diff to {}", files[n]));
            let step = before
                .run(&["upgrade", &format!("{old_head}:head"), "-d", dialect])
                .expect(0, "upgrade")
                .stdout();
            db.run(&step);
            after.write("reached.sql", db.dump());
            after
                .run(&["check", "--against", "reached.sql", "-d", dialect])
                .expect(0, &format!("{dialect}: the schema after {}", files[n]));
            reached = Some((n + 1, db));
        }
    }
}

#[test]
fn renames_are_hints_until_asked_for() {
    let project = project_of("sqlite", &[]);
    project.mig(
        "a1_t.mig",
        "revision \"a1\"\nrevises base\nmessage \"t\"\nupgrade {\n    create_table t {\n        id : integer primary_key\n        old_name : string(20)\n    }\n}\ndowngrade auto\n",
    );
    project.run(&["sum"]).expect(0, "sum");
    project.write(
        "target.sql",
        "CREATE TABLE t (\n    id INTEGER NOT NULL,\n    new_name VARCHAR(20),\n    CONSTRAINT pk_t PRIMARY KEY (id)\n);\n",
    );
    let dry = project.run(&["diff", "--to", "target.sql", "-m", "rename", "--dry-run"]);
    dry.expect(0, "dry run");
    assert!(
        dry.stderr().contains("warning[possible-rename]"),
        "{}",
        dry.stderr()
    );
    assert!(
        dry.stderr().contains("`--rename t.old_name=new_name`"),
        "{}",
        dry.stderr()
    );
    assert!(dry.stdout().contains("    # destructive: drops column `t.old_name` and its values\n    drop_column t.old_name"), "{}", dry.stdout());
    assert!(
        dry.stdout().contains("add_column t.new_name : string(20)"),
        "{}",
        dry.stdout()
    );
    let renamed = project.run(&[
        "diff",
        "--to",
        "target.sql",
        "-m",
        "rename",
        "--rename",
        "t.old_name=new_name",
        "--rev-id",
        "b2",
    ]);
    renamed.expect(0, "diff --rename");
    let text = std::fs::read_to_string(project.root().join("migrations/versions/b2_rename.mig"))
        .expect("written");
    assert!(
        text.contains("    rename_column t.old_name -> new_name\n"),
        "{text}"
    );
    assert!(
        !text.contains("drop_column") && !text.contains("destructive"),
        "{text}"
    );
    assert!(text.ends_with("downgrade auto\n"), "{text}");
    project
        .run(&["check", "--against", "target.sql"])
        .expect(0, "now equal");
    let bad = project.run(&[
        "diff",
        "--to",
        "target.sql",
        "-m",
        "x",
        "--rename",
        "t.nothing=new_name",
    ]);
    bad.expect(2, "a rename of nothing");
    assert!(
        bad.stderr().contains("error[unknown-rename]"),
        "{}",
        bad.stderr()
    );
}

#[test]
fn check_against_lists_the_drift_and_fails() {
    let project = project_of("postgresql", &example_files());
    let dump = std::fs::read_to_string(repo().join("tests/fixtures/target/postgresql.sql"))
        .expect("fixture");
    project.write("same.sql", &dump);
    let same = project.run(&["check", "--against", "same.sql"]);
    same.expect(0, "the example matches its own dump");
    assert!(
        same.stderr()
            .contains("warning[made-by-execute]: view `customer_label`"),
        "{}",
        same.stderr()
    );
    let drifted = dump
        .replace(
            "    billing_address text\n",
            "    billing_address text,\n    phone character varying(30)\n",
        )
        .replace(
            "CREATE INDEX ix_shipment_order ON public.shipment USING btree (order_id);\n",
            "",
        );
    project.write("drift.sql", drifted);
    let run = project.run(&["check", "--against", "drift.sql"]);
    run.expect(1, "drift");
    let err = run.stderr();
    assert!(
        err.contains(
            "error[schema-drift]: the head schema differs from `drift.sql` (postgresql): 2 ops"
        ),
        "{err}"
    );
    assert!(
        err.contains("= note: drop_index ix_shipment_order on shipment"),
        "{err}"
    );
    assert!(
        err.contains("= note: add_column customer.phone : string(30)"),
        "{err}"
    );
}

#[test]
fn ddl_the_model_cannot_hold_is_a_located_error() {
    let project = project_of("postgresql", &[]);
    project.write(
        "target.sql",
        "SET x = 1;\nCREATE TABLE t (id integer);\nCREATE EXTENSION pgcrypto;\nCREATE TABLE u (id integer NOT NULL,\n  x integer EXCLUDE);\n",
    );
    let run = project.run(&["diff", "--to", "target.sql", "-m", "x"]);
    run.expect(1, "unsupported");
    let err = run.stderr();
    assert!(
        err.contains("error[unsupported-ddl]") && err.contains("target.sql:3:1"),
        "{err}"
    );
    assert!(
        err.contains("error[invalid-ddl]") && err.contains("target.sql:5:"),
        "{err}"
    );
    assert!(
        std::fs::read_dir(project.root().join("migrations/versions"))
            .unwrap()
            .next()
            .is_none(),
        "nothing written"
    );
}

#[test]
fn a_declared_schema_in_the_language_is_a_target_too() {
    let project = project_of("postgresql", &[]);
    project.write(
        "schema.mig",
        "create_table customer {\n    id    : integer primary_key autoincrement\n    email : string(255) not_null unique\n}\ncreate_index ix_customer_email_lower on customer ((lower(email)))\n",
    );
    let run = project.run(&[
        "diff",
        "--to",
        "schema.mig",
        "-m",
        "declared",
        "--rev-id",
        "d1",
    ]);
    run.expect(0, "diff to a declared schema");
    let text = std::fs::read_to_string(project.root().join("migrations/versions/d1_declared.mig"))
        .expect("written");
    assert!(
        text.contains("create_table customer {")
            && text.contains("index ix_customer_email_lower ((lower(email)))"),
        "{text}"
    );
    project
        .run(&["check", "--against", "schema.mig"])
        .expect(0, "the head is the declared schema");
    project.write("schema.mig", "create_table customer {\n    id : integer primary_key autoincrement\n}\ndrop_table customer\n");
    let bad = project.run(&["check", "--against", "schema.mig"]);
    bad.expect(1, "a drop in a declared schema");
    assert!(
        bad.stderr().contains("error[unsupported-ddl]") && bad.stderr().contains("schema.mig:4:1"),
        "{}",
        bad.stderr()
    );
}

#[test]
fn a_database_ddlc_did_not_make_is_read_serials_sequences_and_all() {
    // tests/fixtures/target/postgresql_serial.sql: pg_dump of tables made by
    // hand (serial, bigserial, a free sequence, an enum, jsonb, an array, a
    // deferrable key, a partial expression index).
    let project = project_of("postgresql", &[]);
    let dump = std::fs::read_to_string(repo().join("tests/fixtures/target/postgresql_serial.sql"))
        .expect("fixture");
    project.write("target.sql", &dump);
    let run = project.run(&[
        "diff",
        "--to",
        "target.sql",
        "-m",
        "adopt",
        "--rev-id",
        "a1",
    ]);
    run.expect(0, "diff");
    assert!(!run.stderr().contains("does not reach"), "{}", run.stderr());
    project
        .run(&["check", "--against", "target.sql"])
        .expect(0, "the model is the dump's");
    let Some(db) = EngineDb::fresh("postgresql") else {
        return;
    };
    db.run(&upgrade(&project, "postgresql"));
    project.write("reached.sql", db.dump());
    project
        .run(&["check", "--against", "reached.sql"])
        .expect(0, "the engine has the dump's schema");
}

/// The corpus scenarios (`tests/corpus/*`) that `dialect` applies, per
/// their expect.toml (`mysql` there is the MariaDB engine); those whose
/// schema lives in a second schema the harness creates are not run here,
/// and said so.
fn corpus_scenarios(dialect: &str) -> Vec<std::path::PathBuf> {
    let listed = if dialect == "mariadb" {
        "mysql"
    } else {
        dialect
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(repo().join("tests/corpus")).expect("the corpus") {
        let dir = entry.expect("an entry").path();
        let expect: toml::Value =
            toml::from_str(&std::fs::read_to_string(dir.join("expect.toml")).expect("expect.toml"))
                .expect("expect.toml parses");
        let applies = expect["ddlc_applies"]
            .as_array()
            .expect("ddlc_applies")
            .iter()
            .any(|d| d.as_str() == Some(listed));
        let text = std::fs::read_to_string(dir.join("expect.toml")).unwrap_or_default();
        if text.contains("needs_schema") || text.contains("pre-creates schema") {
            eprintln!(
                "NOT RUN: {}: needs a second schema made by the engine harness",
                dir.display()
            );
        } else if applies {
            out.push(dir);
        }
    }
    out.sort();
    out
}

/// One corpus scenario on one engine: its head dumped, `diff` from an empty
/// project with its ddlc.toml, compiled, applied to an empty database: the
/// engine's schema then is the dump's (`check --against`). `dbs` are two
/// databases of the engine, emptied first.
fn corpus_round_trip(dialect: &str, scenario: &std::path::Path, dbs: &[EngineDb; 2]) {
    let name = scenario.file_name().unwrap().to_string_lossy().into_owned();
    let head = Project::bare();
    let up = head.run(&[
        "--project",
        &scenario.to_string_lossy(),
        "upgrade",
        "heads",
        "-d",
        dialect,
    ]);
    up.expect(0, &format!("{name}: upgrade"));
    dbs.iter().for_each(EngineDb::reset);
    dbs[0].run(&up.stdout());
    let project = Project::bare();
    let config = std::fs::read_to_string(scenario.join("ddlc.toml")).expect("ddlc.toml");
    project.write("ddlc.toml", config);
    std::fs::create_dir_all(project.root().join("versions")).expect("versions folder");
    project.write("target.sql", dbs[0].dump());
    diff_to(&project, dialect, "target.sql").expect(0, &format!("{dialect} {name}: diff"));
    dbs[1].run(&upgrade(&project, dialect));
    project.write("again.sql", dbs[1].dump());
    project
        .run(&["check", "--against", "again.sql", "-d", dialect])
        .expect(
            0,
            &format!("{dialect} {name}: the schema after the round trip"),
        );
}

#[test]
fn every_corpus_scenario_round_trips_through_a_dump() {
    std::thread::scope(|s| {
        for dialect in ENGINES {
            s.spawn(move || {
                let (Some(a), Some(b)) = (EngineDb::fresh(dialect), EngineDb::fresh(dialect))
                else {
                    return;
                };
                let dbs = [a, b];
                for scenario in corpus_scenarios(dialect) {
                    corpus_round_trip(dialect, &scenario, &dbs);
                }
            });
        }
    });
}

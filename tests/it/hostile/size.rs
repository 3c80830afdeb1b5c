//! Inputs of hostile size: a 10 MB file, very long lines, many ops, long
//! names, deep nesting. Each must cost time and memory in proportion to its
//! size (a quadratic step at these sizes takes minutes: the run is killed).

use super::{revision, Project};
use std::time::Duration;

#[test]
fn a_ten_megabyte_line_is_refused_unread() {
    let project = Project::new();
    let text = revision(
        "a",
        None,
        &format!("    drop_table t # {}", "x".repeat(10_000_000)),
    );
    project.mig("a.mig", text);
    let run = project.run(&["upgrade", "-d", "sqlite"]);
    assert_eq!(run.code, Some(1), "{}", run.tail());
    assert!(run.stdout.is_empty());
    // The file is not read, so there is no line to point at: the path is named.
    assert!(
        run.stderr.contains("error[file-too-large]"),
        "{}",
        run.tail()
    );
    assert!(
        run.stderr.contains("migrations/versions/a.mig"),
        "{}",
        run.tail()
    );
    assert!(run.elapsed < Duration::from_secs(5), "{:?}", run.elapsed);
}

/// Issue 7, defect 11 (diagnostics): every error on one long line used to
/// hand the whole file to the renderer, so N errors cost N x file size.
#[test]
fn two_thousand_errors_on_one_long_line() {
    let project = Project::new();
    let ops: String = (0..2000)
        .map(|i| format!("create_table t{i} {{ }} "))
        .collect();
    let pad = "x".repeat(1_000_000);
    let text = format!("revision \"a\" revises base message \"m\" doc \"{pad}\" upgrade {{ {ops}}} downgrade auto\n");
    project.mig("a.mig", &text);
    let run = project.run(&["upgrade", "-d", "sqlite"]);
    let first = text.find("{ }").unwrap() + 1;
    run.error_at("empty-table", &format!("a.mig:1:{first}"))
        .all_located();
    assert_eq!(run.stderr.matches("error[empty-table]").count(), 2000);
}

/// Issue 7, defect 11 (ops): the same ops on one line and on many lines cost
/// about the same; a line/column lookup that scans the line grew with the
/// square of its length (one 8 MB line took 103 s, the same over many lines 4 s).
#[test]
fn ops_on_one_long_line_cost_what_they_cost_on_many() {
    let ops: Vec<String> = (0..3000)
        .map(|i| format!("create_table t{i} {{ id : integer primary_key }}"))
        .collect();
    let pad = "x".repeat(2_000_000);
    let many = Project::new();
    many.mig(
        "a.mig",
        format!("revision \"a\"\nrevises base\nmessage \"m\"\ndoc \"{pad}\"\nupgrade {{\n{}\n}}\ndowngrade auto\n", ops.join("\n")),
    );
    let one = Project::new();
    one.mig(
        "a.mig",
        format!("revision \"a\" revises base message \"m\" doc \"{pad}\" upgrade {{ {} }} downgrade auto\n", ops.join(" ")),
    );
    let many_run = many.run(&["upgrade", "-d", "sqlite"]);
    many_run.ok();
    let one_run = one.run(&["upgrade", "-d", "sqlite"]);
    let script = one_run.ok();
    assert!(
        script.contains("-- migrations/versions/a.mig:1 create_table"),
        "provenance line"
    );
    assert!(
        one_run.elapsed <= many_run.elapsed * 3 + Duration::from_secs(2),
        "one line {:?}, many lines {:?}",
        one_run.elapsed,
        many_run.elapsed
    );
}

/// 100,000 ops in one revision are read in linear time. (`history` parses and
/// links; compiling them is the schema replay's cost, measured in bench/.)
#[test]
fn a_hundred_thousand_ops_in_one_revision_parse() {
    let project = Project::new();
    let ops: String = (0..100_000)
        .map(|i| format!("    create_table t{i} {{ a : integer }}\n"))
        .collect();
    project.mig("a.mig", revision("a", None, &ops));
    let run = project.run(&["history"]);
    let out = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.code, Some(0), "{}", run.tail());
    assert!(out.contains('a'), "{out}");
}

/// The front end's memory bound (docs/performance.md): reading, parsing and
/// resolving a file takes at most 64 x its size, plus the program itself.
#[test]
fn the_front_end_stays_within_its_memory_bound() {
    let project = Project::new();
    let mut ops = String::new();
    let mut i = 0;
    while ops.len() < 4_000_000 {
        ops.push_str(&format!("    create_table t{i} {{ a : integer }}\n"));
        i += 1;
    }
    let text = revision("a", None, &ops);
    let limit_kib = (64 * text.len() as u64 + (64 << 20)) / 1024;
    project.mig("a.mig", text);
    let run = project.run_with_memory(limit_kib, &["history"]);
    assert_eq!(run.code, Some(0), "{}", run.tail());
}

/// One table of 60,000 columns is read in linear time (the duplicate-column
/// check compared each column with all before it: 6 s in a release build).
#[test]
fn a_table_of_sixty_thousand_columns_parses() {
    let project = Project::new();
    let columns: String = (0..60_000)
        .map(|i| format!("        c{i} : integer\n"))
        .collect();
    project.mig(
        "a.mig",
        revision(
            "a",
            None,
            &format!("    create_table t {{\n{columns}    }}"),
        ),
    );
    let run = project.run(&["history"]);
    assert_eq!(run.code, Some(0), "{}", run.tail());
    // And a duplicate among them is still found, at its place.
    let columns = format!("{columns}        c7 : text\n");
    project.mig(
        "a.mig",
        revision(
            "a",
            None,
            &format!("    create_table t {{\n{columns}    }}"),
        ),
    );
    project
        .run(&["history"])
        .error_at("duplicate-column", "a.mig:60007:9");
}

/// Names of 10,000 characters: parsed, quoted, and applied (on SQLite, which
/// has no length limit); as an unknown op, reported without a slow "did you mean".
#[test]
fn ten_thousand_character_names() {
    let table = format!("t{}", "a".repeat(9_999));
    let column = format!("c{}", "b".repeat(9_999));
    let project = Project::new();
    project.mig(
        "a.mig",
        revision(
            "a",
            None,
            &format!("    create_table {table} {{\n        {column} : integer primary_key\n    }}\n    create_index on {table} ({column})"),
        ),
    );
    let script = project.run(&["upgrade", "-d", "sqlite"]).ok();
    let db = rusqlite::Connection::open_in_memory().unwrap();
    db.execute_batch(&script)
        .expect("the script applies on SQLite");
    let n: i64 = db
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);

    let project = Project::new();
    project.mig("a.mig", revision("a", None, &format!("    {table} t")));
    project
        .run(&["upgrade", "-d", "sqlite"])
        .error_at("unknown-op", "a.mig:6:5");
}

/// 10,000 nested parentheses and 10,000 `NOT`s in a fragment: an error at the
/// fragment's line (the nesting limit of the SQL parser), no stack overflow.
#[test]
fn ten_thousand_deep_sql_fragments() {
    for fragment in [
        format!("{}a > 0{}", "(".repeat(10_000), ")".repeat(10_000)),
        format!("({}a > 0)", "NOT ".repeat(10_000)),
    ] {
        let project = Project::new();
        project.mig(
            "a.mig",
            revision(
                "a",
                None,
                &format!("    create_table t {{ a : integer check {fragment} }}"),
            ),
        );
        project
            .run(&["upgrade", "-d", "sqlite"])
            .error_at("invalid-sql", "a.mig:6:")
            .all_located();
    }
}

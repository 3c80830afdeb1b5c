//! Revision graphs of hostile shape: cycles, a revision revising itself,
//! duplicate ids, a 10,000-deep chain, a 1,000-way merge.

use super::{revision, Project};

#[test]
fn a_cycle_is_a_located_error() {
    let project = Project::new();
    project.mig(
        "a.mig",
        revision("a", None, "    create_table t { a : integer }"),
    );
    project.mig("b.mig", revision("b", Some("c"), "    drop_table t"));
    project.mig("c.mig", revision("c", Some("b"), "    drop_table t"));
    let run = project.run(&["upgrade", "-d", "sqlite"]);
    assert_eq!(run.code, Some(1), "{}", run.tail());
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("--> migrations/versions/"),
        "{}",
        run.tail()
    );
    run.all_located();
}

#[test]
fn a_revision_that_revises_itself() {
    let project = Project::new();
    project.mig(
        "a.mig",
        revision("a", Some("a"), "    create_table t { a : integer }"),
    );
    let run = project.run(&["upgrade", "-d", "sqlite"]);
    assert_eq!(run.code, Some(1), "{}", run.tail());
    assert!(
        run.stderr.contains("--> migrations/versions/a.mig:1:10"),
        "{}",
        run.tail()
    );
    run.all_located();
}

#[test]
fn duplicate_ids_are_located_errors() {
    let project = Project::new();
    project.mig(
        "a.mig",
        revision("a", None, "    create_table t { a : integer }"),
    );
    project.mig(
        "b.mig",
        revision("a", None, "    create_table u { a : integer }"),
    );
    let run = project.run(&["upgrade", "-d", "sqlite"]);
    assert_eq!(run.code, Some(1), "{}", run.tail());
    assert!(
        run.stderr.contains("--> migrations/versions/b.mig:1:"),
        "{}",
        run.tail()
    );
    run.all_located();
}

fn chain(project: &Project, n: usize) {
    for i in 0..n {
        let parent = (i > 0).then(|| format!("r{}", i - 1));
        project.mig(
            &format!("r{i:05}.mig"),
            revision(
                &format!("r{i}"),
                parent.as_deref(),
                &format!("    create_table t{i} {{ a : integer }}"),
            ),
        );
    }
}

#[test]
fn a_ten_thousand_deep_chain_compiles_both_ways() {
    let project = Project::new();
    chain(&project, 10_000);
    let up = project.run(&["upgrade", "-d", "sqlite"]).ok();
    assert_eq!(up.matches("CREATE TABLE t").count(), 10_000);
    let down = project
        .run(&["downgrade", "head:base", "-d", "sqlite"])
        .ok();
    assert_eq!(down.matches("DROP TABLE t").count(), 10_000);
}

#[test]
fn a_thousand_way_merge_compiles() {
    let project = Project::new();
    let mut parents = Vec::new();
    for i in 0..1000 {
        project.mig(
            &format!("b{i:04}.mig"),
            revision(
                &format!("b{i}"),
                None,
                &format!("    create_table t{i} {{ a : integer }}"),
            ),
        );
        parents.push(format!("\"b{i}\""));
    }
    project.mig(
        "merge.mig",
        format!(
            "revision \"m\"\nrevises ({})\nmessage \"merge\"\nupgrade {{ }}\ndowngrade auto\n",
            parents.join(", ")
        ),
    );
    let up = project.run(&["upgrade", "-d", "sqlite"]).ok();
    assert_eq!(up.matches("CREATE TABLE t").count(), 1000);
    let heads = project.run(&["heads"]);
    assert_eq!(heads.code, Some(0), "{}", heads.tail());
    assert!(String::from_utf8_lossy(&heads.stdout).contains('m'));
}

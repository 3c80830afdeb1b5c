//! Release artifacts (`--split DIR`): every hash in manifest.json recomputed,
//! two runs byte-identical, and the per-revision scripts applied one by one
//! on real engines leave what the single script leaves.

use crate::cli::{Project, Run};
use crate::engine_db::EngineDb;
use crate::support::repo;
use ddlc::sum::sha256_hex;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// `ddlc ARGS` on the repository's example project, run from `cwd`.
fn ddlc(cwd: &Project, args: &[&str]) -> Run {
    let root = repo();
    let mut all = vec!["--project", root.as_str()];
    all.extend(args);
    cwd.run(&all)
}

/// Every file of a folder, by name.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn manifest(files: &BTreeMap<String, Vec<u8>>) -> Value {
    serde_json::from_slice(files.get("manifest.json").expect("a manifest.json")).unwrap()
}

#[test]
fn every_hash_in_the_manifest_recomputes_and_two_runs_are_byte_identical() {
    let sum = std::fs::read_to_string(repo().join("migrations/ddlc.sum")).expect("ddlc.sum");
    let sum_total = sum
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# ddlc.sum v1 "))
        .expect("a ddlc.sum header");
    let revisions = std::fs::read_dir(repo().join("migrations/versions"))
        .unwrap()
        .count();
    assert!(revisions >= 5, "the example project has its revisions");
    let cwd = Project::bare();
    for dialect in ddlc::dialect::Dialect::ALL.map(|d| d.name()) {
        for (direction, range, suffix) in [
            ("upgrade", "head", "up"),
            ("downgrade", "head:base", "down"),
        ] {
            let mut runs = Vec::new();
            for run in ["a", "b"] {
                let dir = format!("{dialect}-{direction}-{run}");
                ddlc(&cwd, &[direction, range, "-d", dialect, "--split", &dir])
                    .expect(0, &format!("{direction} --split on {dialect}"));
                runs.push(files(&cwd.root().join(&dir)));
            }
            assert_eq!(runs[0], runs[1], "{dialect} {direction}: two runs differ");
            let files = &runs[0];
            let m = manifest(files);
            let what = format!("{dialect} {direction}");
            assert_eq!(m["dialect"], dialect, "{what}");
            assert_eq!(m["direction"], direction, "{what}");
            assert_eq!(m["target"], range, "{what}");
            assert_eq!(m["ddlc_version"], env!("CARGO_PKG_VERSION"), "{what}");
            assert_eq!(
                m["project_sum"], sum_total,
                "{what}: the manifest names ddlc.sum"
            );
            let scripts = m["scripts"].as_array().expect("scripts");
            assert_eq!(scripts.len(), revisions, "{what}: one script per revision");
            assert_eq!(
                files.len(),
                revisions + 1,
                "{what}: scripts and the manifest, nothing else"
            );
            let mut names = Vec::new();
            for (i, s) in scripts.iter().enumerate() {
                let name = s["script"].as_str().unwrap();
                let id = s["revision"].as_str().unwrap();
                assert_eq!(s["order"], i + 1);
                assert!(
                    name.starts_with(&format!("{:04}_{id}", i + 1))
                        && name.ends_with(&format!(".{suffix}.sql")),
                    "{what}: {name}"
                );
                let bytes = files
                    .get(name)
                    .unwrap_or_else(|| panic!("{what}: {name} missing"));
                assert_eq!(s["script_sha256"], sha256_hex(bytes), "{what}: {name}");
                let source = s["source"].as_str().unwrap();
                let source_bytes = std::fs::read(repo().join(source)).expect(source);
                let source_hash = sha256_hex(&source_bytes);
                assert_eq!(s["source_sha256"], source_hash, "{what}: {source}");
                // The script names where it came from, and nothing of the machine.
                let text = String::from_utf8(bytes.clone()).unwrap();
                assert!(
                    text.contains(&format!("-- Source: {source}\n")),
                    "{what}: {name}"
                );
                assert!(
                    text.contains(&format!("-- Source SHA-256: {source_hash}\n")),
                    "{name}"
                );
                assert!(
                    !text.contains(repo().as_str()),
                    "{what}: {name} holds an absolute path"
                );
                names.push(name.to_string());
            }
            let mut sorted = names.clone();
            sorted.sort();
            assert_eq!(sorted, names, "{what}: file names sort in run order");
        }
    }
}

/// What a database holds: its tables' columns and the version table's rows.
fn catalog(db: &EngineDb) -> String {
    let columns = match db.client {
        "psql" => db.run(
            "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns \
             WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
        ),
        "mariadb" => db.run(
            "SELECT table_name, column_name, column_type, is_nullable FROM information_schema.columns \
             WHERE table_schema = DATABASE() ORDER BY table_name, ordinal_position",
        ),
        _ => db.run("SELECT type, name, sql FROM sqlite_master ORDER BY type, name"),
    };
    let rows = db.run("SELECT version_num FROM alembic_version ORDER BY version_num");
    format!("{columns}\n-- versions:\n{rows}")
}

#[test]
fn split_scripts_applied_one_by_one_leave_what_the_single_script_leaves() {
    let cwd = Project::bare();
    let mut engines = 0;
    for dialect in ["postgresql", "mariadb", "sqlite"] {
        let (Some(whole), Some(split)) = (EngineDb::fresh(dialect), EngineDb::fresh(dialect))
        else {
            continue;
        };
        engines += 1;
        let single = ddlc(&cwd, &["upgrade", "head", "-d", dialect]);
        single.expect(0, dialect);
        whole.run(&single.stdout());
        let up = format!("{dialect}-up");
        ddlc(&cwd, &["upgrade", "head", "-d", dialect, "--split", &up]).expect(0, dialect);
        let m = manifest(&files(&cwd.root().join(&up)));
        for s in m["scripts"].as_array().unwrap() {
            let path = cwd.root().join(&up).join(s["script"].as_str().unwrap());
            split.run(&std::fs::read_to_string(path).unwrap());
        }
        let want = catalog(&whole);
        assert!(
            want.contains("customer"),
            "{dialect}: the example made its tables:\n{want}"
        );
        assert_eq!(
            catalog(&split),
            want,
            "{dialect}: split scripts vs the single script"
        );
        // And back down, script by script, to an empty version table.
        let down = format!("{dialect}-down");
        ddlc(
            &cwd,
            &["downgrade", "head:base", "-d", dialect, "--split", &down],
        )
        .expect(0, dialect);
        let m = manifest(&files(&cwd.root().join(&down)));
        for s in m["scripts"].as_array().unwrap() {
            let path = cwd.root().join(&down).join(s["script"].as_str().unwrap());
            split.run(&std::fs::read_to_string(path).unwrap());
        }
        let left = catalog(&split);
        assert!(
            !left.contains("customer"),
            "{dialect}: downgraded to base:\n{left}"
        );
        assert!(
            left.ends_with("-- versions:\n"),
            "{dialect}: no version row left:\n{left}"
        );
    }
    assert!(engines >= 1, "SQLite at least");
}

#[test]
fn a_folder_ddlc_did_not_write_is_refused_and_a_failed_compile_writes_nothing() {
    let cwd = Project::bare();
    std::fs::create_dir(cwd.root().join("out")).unwrap();
    cwd.write("out/notes.txt", "mine");
    let run = ddlc(&cwd, &["upgrade", "--split", "out"]);
    run.expect(2, "a foreign folder");
    assert!(run.stderr().contains("notes.txt"), "{}", run.stderr());
    assert_eq!(
        std::fs::read_to_string(cwd.root().join("out/notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(files(&cwd.root().join("out")).len(), 1, "nothing added");

    // An earlier release is replaced whole: a script it had and the new one
    // lacks is gone, and nothing temporary is left beside it.
    ddlc(&cwd, &["upgrade", "--split", "rel"]).expect(0, "first release");
    let first = files(&cwd.root().join("rel"));
    ddlc(&cwd, &["upgrade", "1f3a9c2e7b10", "--split", "rel"]).expect(0, "second release");
    let second = files(&cwd.root().join("rel"));
    assert_eq!(
        second.len(),
        2,
        "one script and the manifest: {:?}",
        second.keys()
    );
    assert!(first.len() > second.len() + 3, "{:?}", first.keys());
    let siblings: Vec<String> = std::fs::read_dir(cwd.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(siblings.iter().all(|n| !n.contains(".tmp")), "{siblings:?}");

    // A project with an error: the old release stays as it was.
    let broken = Project::new();
    broken.write("ddlc.toml", "[project]\nmigrations = \"migrations\"\n");
    broken.mig("a_one.mig", "revision \"a\"\nrevises base\nmessage \"one\"\nupgrade { drop_table nope }\ndowngrade auto\n");
    std::fs::create_dir(broken.root().join("rel")).unwrap();
    broken.write("rel/manifest.json", "{}");
    let run = broken.run(&["upgrade", "--split", "rel", "--ignore-sum"]);
    run.expect(1, "a migration error");
    assert!(
        run.stderr().contains("no release folder written"),
        "{}",
        run.stderr()
    );
    assert_eq!(files(&broken.root().join("rel")).len(), 1);
    assert_eq!(
        std::fs::read_to_string(broken.root().join("rel/manifest.json")).unwrap(),
        "{}"
    );

    // Its parents are made, as `mkdir -p` makes them.
    ddlc(&cwd, &["upgrade", "--split", "release/pg/up"]).expect(0, "nested release folder");
    assert!(cwd.root().join("release/pg/up/manifest.json").is_file());

    let run = ddlc(&cwd, &["upgrade", "--split", "x", "-o", "y.sql"]);
    run.expect(2, "--split with -o");
}

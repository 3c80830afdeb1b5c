//! The real `ddlc` binary run in a temporary project: exit codes, files, messages.
//!

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary project with `migrations/versions/`.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("migrations/versions")).expect("versions dir");
        Project { dir }
    }

    /// An empty folder: no ddlc.toml, no migrations.
    fn bare() -> Project {
        Project {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root().join(relative);
        std::fs::write(&path, bytes).expect("write file");
        path
    }

    fn mig(&self, name: &str, text: &str) {
        self.write(&format!("migrations/versions/{name}"), text);
    }

    fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_ddlc"))
            .args(args)
            .current_dir(self.root())
            .env_remove("RUST_BACKTRACE")
            .output()
            .expect("run ddlc");
        Run(output)
    }
}

struct Run(Output);

impl Run {
    fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
}

#[test]
fn usage_errors_exit_2() {
    let project = Project::new();
    for args in [
        &["frobnicate"][..],
        &["upgrade", "--dialect", "db2"],
        &["downgrade", "base"],
        &["downgrade"],
    ] {
        let run = project.run(args);
        assert_eq!(run.code(), 2, "{args:?}: {}", run.stderr());
        assert!(run.stdout().is_empty(), "{args:?}");
    }
    let run = project.run(&["downgrade", "base"]);
    assert!(run.stderr().contains("FROM:TO"), "{}", run.stderr());
    assert!(run.stderr().contains("`head:base`"), "{}", run.stderr());
}

#[test]
fn missing_project_exits_2_naming_the_folder() {
    let project = Project::bare();
    let run = project.run(&["upgrade"]);
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(
        run.stderr().contains("migrations/versions` does not exist"),
        "{}",
        run.stderr()
    );
    let run = project.run(&["--project", "nowhere", "heads"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("nowhere"), "{}", run.stderr());
}

#[test]
fn bad_ddlc_toml_exits_2_naming_key_and_file() {
    let project = Project::new();
    project.write("ddlc.toml", "[project]\ndialekt = \"mysql\"\n");
    let run = project.run(&["heads"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("ddlc.toml"), "{}", run.stderr());
    assert!(run.stderr().contains("`dialekt`"), "{}", run.stderr());
}

#[test]
fn empty_project_has_no_history_and_nothing_to_upgrade_to() {
    let project = Project::new();
    let run = project.run(&["history"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(run.stdout(), "");
    let run = project.run(&["upgrade"]);
    assert_eq!(run.code(), 1);
    assert!(
        run.stderr().contains("error[no-revisions]"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr()
            .ends_with("error: aborting: 1 error (no script written)\n"),
        "{}",
        run.stderr()
    );
}

#[test]
fn non_utf8_file_is_reported_at_its_line_and_column() {
    let project = Project::new();
    project.write(
        "migrations/versions/0001_bad.mig",
        b"revision \"a\"\n\xc3\x28",
    );
    let run = project.run(&["upgrade"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    let stderr = run.stderr();
    assert!(stderr.contains("error[invalid-utf8]"), "{stderr}");
    assert!(
        stderr.contains("migrations/versions/0001_bad.mig"),
        "{stderr}"
    );
    assert!(stderr.contains("0001_bad.mig:2:1"), "{stderr}");
    assert!(stderr.contains("aborting"), "{stderr}");
    assert!(
        !stderr.contains(&project.root().display().to_string()),
        "no absolute paths: {stderr}"
    );
}

#[test]
fn output_file_is_untouched_on_error() {
    let project = Project::new();
    project.write("migrations/versions/0001_bad.mig", b"\xff");
    let out = project.write("out.sql", "previous script\n");
    let run = project.run(&["upgrade", "-o", "out.sql"]);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "previous script\n");
    let leftovers: Vec<_> = std::fs::read_dir(project.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "no temp files left: {leftovers:?}");
    // And a missing output file is not created.
    let run = project.run(&["upgrade", "-o", "new.sql"]);
    assert_eq!(run.code(), 1);
    assert!(!project.root().join("new.sql").exists());
}

#[test]
fn diagnostics_are_deterministic() {
    let project = Project::new();
    project.write("migrations/versions/b.mig", b"\xfe");
    project.write("migrations/versions/a.mig", b"ok\xff");
    let first = project.run(&["upgrade"]);
    let second = project.run(&["upgrade"]);
    assert_eq!(first.code(), 1);
    assert_eq!(first.0.stderr, second.0.stderr);
    let stderr = first.stderr();
    let a = stderr.find("a.mig").unwrap_or(usize::MAX);
    let b = stderr.find("b.mig").unwrap_or(0);
    assert!(a < b, "files in sorted order: {stderr}");
    assert!(
        stderr.ends_with("error: aborting: 2 errors in 2 files (no script written)\n"),
        "{stderr}"
    );
}

const R1: &str = r#"revision "0001aaaa"
revises base
message "create users"
doc """
Users of the app.
"""

upgrade {
    create_table users {
        id    : integer     primary_key
        email : string(200) not_null
    }
}

downgrade auto
"#;

const R2: &str = r#"revision "0002bbbb"
revises "0001aaaa"
message "index emails"

upgrade {
    create_index ix_users_email on users (email)
}

downgrade auto
"#;

fn two_revisions() -> Project {
    let project = Project::new();
    project.mig("0001_users.mig", R1);
    project.mig("0002_index.mig", R2);
    project
}

#[test]
fn upgrade_writes_an_alembic_shaped_script() {
    let project = two_revisions();
    let run = project.run(&["upgrade"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    let sql = run.stdout();
    for want in [
        "BEGIN;\n",
        "CREATE TABLE IF NOT EXISTS alembic_version (",
        "-- Running upgrade  -> 0001aaaa\n",
        "-- Users of the app.\n",
        "INSERT INTO alembic_version (version_num) VALUES ('0001aaaa');\n",
        "-- Running upgrade 0001aaaa -> 0002bbbb\n",
        "UPDATE alembic_version SET version_num = '0002bbbb' WHERE version_num = '0001aaaa';\n",
        "COMMIT;\n",
    ] {
        assert!(sql.contains(want), "missing {want:?} in:\n{sql}");
    }
    let down = project.run(&["downgrade", "head:base", "-d", "sqlite"]);
    assert_eq!(down.code(), 0, "{}", down.stderr());
    assert!(down
        .stdout()
        .contains("DELETE FROM alembic_version WHERE version_num = '0001aaaa';"));
}

#[test]
fn two_runs_are_byte_identical_for_every_dialect() {
    let project = two_revisions();
    for dialect in [
        "postgresql",
        "mysql",
        "mariadb",
        "sqlite",
        "mssql",
        "oracle",
    ] {
        let first = project.run(&["upgrade", "heads", "-d", dialect]);
        let second = project.run(&["upgrade", "heads", "-d", dialect]);
        assert_eq!(first.code(), 0, "{dialect}: {}", first.stderr());
        assert_eq!(first.0.stdout, second.0.stdout, "{dialect}");
    }
}

#[test]
fn output_file_is_written_when_all_is_well() {
    let project = two_revisions();
    let run = project.run(&["upgrade", "0001aaaa", "-o", "out.sql"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert_eq!(run.stdout(), "");
    let text = std::fs::read_to_string(project.root().join("out.sql")).unwrap();
    assert!(text.contains("-- Running upgrade  -> 0001aaaa"), "{text}");
    assert!(!text.contains("0002bbbb"), "{text}");
}

#[test]
fn history_and_heads_list_revisions() {
    let project = two_revisions();
    let run = project.run(&["history"]);
    assert_eq!(
        run.stdout(),
        "0001aaaa -> 0002bbbb (head), index emails\n<base> -> 0001aaaa, create users\n"
    );
    assert_eq!(project.run(&["heads"]).stdout(), "0002bbbb (head)\n");
}

#[test]
fn unknown_parent_is_located_with_a_suggestion() {
    let project = Project::new();
    project.mig("0001_users.mig", R1);
    project.mig(
        "0002_index.mig",
        &R2.replace("revises \"0001aaaa\"", "revises \"0001aaab\""),
    );
    let run = project.run(&["upgrade"]);
    assert_eq!(run.code(), 1);
    let stderr = run.stderr();
    assert!(stderr.contains("error[unknown-parent]"), "{stderr}");
    assert!(
        stderr.contains("--> migrations/versions/0002_index.mig:2:9"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `0001aaaa`?"), "{stderr}");
    assert!(
        stderr.ends_with("error: aborting: 1 error in 1 file (no script written)\n"),
        "{stderr}"
    );
}

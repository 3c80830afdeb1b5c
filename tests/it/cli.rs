//! The real `ddlc` binary run in a temporary project: exit codes, files, messages.
//! The project helper is shared with the hostile-input suite (`hostile::output`).

use crate::engine_db::EngineDb;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The uid/gid the binary runs as where a test needs permission checks to
/// apply: root reads a `chmod 000` file and writes into a `chmod 555` folder.
pub(crate) const NOBODY: u32 = 65534;

/// Longest any single run may take: a generous bound that still catches a hang.
pub(crate) const RUN_LIMIT: Duration = Duration::from_secs(60);

/// A temporary project with `migrations/versions/`.
pub(crate) struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    pub(crate) fn new() -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("migrations/versions")).expect("versions dir");
        Project { dir }
    }

    /// An empty folder: no ddlc.toml, no migrations.
    pub(crate) fn bare() -> Project {
        Project {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.root().join(relative);
        std::fs::write(&path, bytes).expect("write file");
        path
    }

    pub(crate) fn mig(&self, name: &str, text: &str) {
        self.write(&format!("migrations/versions/{name}"), text);
    }

    pub(crate) fn run(&self, args: &[&str]) -> Run {
        self.run_command(self.command(args))
    }

    /// The binary with `args`, in the project folder.
    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ddlc"));
        command
            .args(args)
            .current_dir(self.root())
            .env_remove("RUST_BACKTRACE");
        command
    }

    /// The binary run through `sh` with `umask` set first.
    pub(crate) fn run_with_umask(&self, umask: &str, args: &[&str]) -> Run {
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_ddlc"))
            .args(args)
            .current_dir(self.root())
            .env_remove("RUST_BACKTRACE");
        self.run_command(command)
    }

    /// The binary run as an unprivileged user when the tests run as root, so
    /// file permissions are enforced; as anyone else, a plain run. The project
    /// folder is opened up for reading (a temp dir is 0700).
    pub(crate) fn run_unprivileged(&self, args: &[&str]) -> Run {
        let mut command = self.command(args);
        if running_as_root() {
            let open = mode(self.root()) | 0o755;
            std::fs::set_permissions(self.root(), std::fs::Permissions::from_mode(open))
                .expect("open up the project folder");
            std::os::unix::process::CommandExt::uid(&mut command, NOBODY);
            std::os::unix::process::CommandExt::gid(&mut command, NOBODY);
        }
        self.run_command(command)
    }

    /// Runs `command` to completion, killing it (and failing) after [`RUN_LIMIT`].
    pub(crate) fn run_command(&self, mut command: Command) -> Run {
        let started = Instant::now();
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run ddlc");
        // Drain the pipes on threads, so a large script cannot fill them and stall the child.
        let mut out = child.stdout.take().expect("stdout");
        let mut err = child.stderr.take().expect("stderr");
        let out = std::thread::spawn(move || read_all(&mut out));
        let err = std::thread::spawn(move || read_all(&mut err));
        loop {
            if let Some(status) = child.try_wait().expect("wait for ddlc") {
                let output = Output {
                    status,
                    stdout: out.join().expect("stdout reader"),
                    stderr: err.join().expect("stderr reader"),
                };
                return Run(output, started.elapsed());
            }
            if started.elapsed() > RUN_LIMIT {
                let _ = child.kill();
                let _ = child.wait();
                panic!("ddlc did not finish within {RUN_LIMIT:?}: {command:?}");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

fn read_all(from: &mut impl std::io::Read) -> Vec<u8> {
    let mut bytes = Vec::new();
    let _ = from.read_to_end(&mut bytes);
    bytes
}

/// True when the tests run as root (files we create are owned by uid 0).
pub(crate) fn running_as_root() -> bool {
    let probe = tempfile::tempfile().expect("temp file");
    probe.metadata().expect("metadata").uid() == 0
}

/// The outcome of one run, and how long it took.
pub(crate) struct Run(pub(crate) Output, pub(crate) Duration);

impl Run {
    pub(crate) fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }
    pub(crate) fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    pub(crate) fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    /// Asserts the exit code, that nothing panicked, and that the run was quick.
    pub(crate) fn expect(&self, code: i32, what: &str) -> &Run {
        let stderr = self.stderr();
        assert_eq!(self.code(), code, "{what}: exit code; stderr:\n{stderr}");
        assert!(
            !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
            "{what}: panic:\n{stderr}"
        );
        assert!(
            self.1 < Duration::from_secs(20),
            "{what}: took {:?}",
            self.1
        );
        self
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
    // The target `head` names nothing: a usage error, like any target that names nothing.
    let run = project.run(&["upgrade"]);
    assert_eq!(run.code(), 2);
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

pub(crate) const R1: &str = r#"revision "0001aaaa"
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

pub(crate) const R2: &str = r#"revision "0002bbbb"
revises "0001aaaa"
message "index emails"

upgrade {
    create_index ix_users_email on users (email)
}

downgrade auto
"#;

pub(crate) fn two_revisions() -> Project {
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

pub(crate) fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).expect("metadata").mode() & 0o7777
}

#[test]
fn output_keeps_an_existing_files_mode() {
    let project = two_revisions();
    let out = project.write("out.sql", "old\n");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o604)).unwrap();
    // A restrictive umask must not narrow a file that already exists.
    let run = project.run_with_umask("077", &["upgrade", "-o", "out.sql"]);
    run.expect(0, "-o over a 0604 file");
    assert_eq!(mode(&out), 0o604);
    assert!(std::fs::read_to_string(&out).unwrap().contains("0002bbbb"));
}

#[test]
fn output_gives_a_new_file_the_umask_mode_as_redirection_does() {
    let project = two_revisions();
    for (umask, want) in [("022", 0o644), ("027", 0o640), ("077", 0o600)] {
        let name = format!("new-{umask}.sql");
        project
            .run_with_umask(umask, &["upgrade", "-o", &name])
            .expect(0, &name);
        assert_eq!(mode(&project.root().join(&name)), want, "umask {umask}");
    }
}

#[test]
fn output_dash_is_stdout() {
    let project = two_revisions();
    let run = project.run(&["upgrade", "-o", "-"]);
    run.expect(0, "-o -");
    assert!(run.stdout().contains("0002bbbb"), "{}", run.stdout());
    assert!(!project.root().join("-").exists(), "no file named `-`");
}

#[test]
fn output_onto_a_folder_exits_2_naming_it() {
    let project = two_revisions();
    std::fs::create_dir(project.root().join("out")).unwrap();
    let run = project.run(&["upgrade", "-o", "out"]);
    run.expect(2, "-o onto a folder");
    assert!(run.stderr().contains("`out`"), "{}", run.stderr());
    assert!(project.root().join("out").is_dir());
}

#[test]
fn output_refuses_a_file_redirection_could_not_write() {
    let project = two_revisions();
    let out = project.write("locked.sql", "keep me\n");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o444)).unwrap();
    // The folder is writable: only the file's own mode stands in the way.
    std::fs::set_permissions(project.root(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let run = project.run_unprivileged(&["upgrade", "-o", "locked.sql"]);
    run.expect(2, "-o onto a read-only file");
    assert!(
        run.stderr().contains("locked.sql: Permission denied"),
        "{}",
        run.stderr()
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me\n");
}

/// R1 and R2, with R1 carrying the branch label `core`.
fn labelled_revisions() -> Project {
    let project = Project::new();
    project.mig(
        "0001_users.mig",
        &R1.replace(
            "message \"create users\"",
            "message \"create users\"\nlabels (\"core\")",
        ),
    );
    project.mig("0002_index.mig", R2);
    project
}

/// The revisions a script runs, from its `-- Running ...` lines.
fn running(sql: &str) -> Vec<String> {
    sql.lines()
        .filter_map(|l| l.strip_prefix("-- Running "))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_documented_target_form_works() {
    let project = labelled_revisions();
    let up1 = "upgrade  -> 0001aaaa";
    let up2 = "upgrade 0001aaaa -> 0002bbbb";
    for (args, want) in [
        (&["upgrade"][..], &[up1, up2][..]),
        (&["upgrade", "head"], &[up1, up2]),
        (&["upgrade", "heads"], &[up1, up2]),
        (&["upgrade", "base"], &[]),
        (&["upgrade", "0001aaaa"], &[up1]),
        (&["upgrade", "0001"], &[up1]),
        (&["upgrade", "core"], &[up1]),
        (&["upgrade", "core@head"], &[up1, up2]),
        (&["upgrade", "core@+1"], &[up1]),
        (&["upgrade", "core@+2"], &[up1, up2]),
        (&["upgrade", "0001aaaa:core@+1"], &[up2]),
        (&["upgrade", "+2"], &[up1, up2]),
        (&["upgrade", "+1"], &[up1]),
        (&["upgrade", "0001+1"], &[up1, up2]),
        (&["upgrade", "head-1"], &[up1]),
        (&["upgrade", "0001aaaa:head"], &[up2]),
        (&["upgrade", "base:0002bbbb"], &[up1, up2]),
        (&["upgrade", "0001aaaa:+1"], &[up2]),
        (&["upgrade", "-d", "sqlite", "--", "+1"], &[up1]),
        (
            &["downgrade", "head:base"],
            &["downgrade 0002bbbb -> 0001aaaa", "downgrade 0001aaaa -> "],
        ),
        (
            &["downgrade", "head:-1"],
            &["downgrade 0002bbbb -> 0001aaaa"],
        ),
        (
            &["downgrade", "-d", "sqlite", "head:-2"],
            &["downgrade 0002bbbb -> 0001aaaa", "downgrade 0001aaaa -> "],
        ),
        (
            &["downgrade", "head:core@-1"],
            &["downgrade 0002bbbb -> 0001aaaa"],
        ),
        (
            &["downgrade", "0002bbbb:core@base"],
            &["downgrade 0002bbbb -> 0001aaaa", "downgrade 0001aaaa -> "],
        ),
    ] {
        let run = project.run(args);
        run.expect(0, &format!("{args:?}"));
        assert_eq!(running(&run.stdout()), want, "{args:?}");
    }
}

#[test]
fn bad_targets_are_usage_errors_that_say_what_to_write() {
    let project = labelled_revisions();
    for (args, says) in [
        (
            &["upgrade", "-1"][..],
            "help: count from a revision instead: `head-1`",
        ),
        (
            &["upgrade", "-3"],
            "`-3` counts down from the database's current revision",
        ),
        (&["downgrade", "-1"], "`head:-1`"),
        (
            &["upgrade", "head:base"],
            "`head:base` is not an upgrade: base is below the start `0002bbbb`",
        ),
        (
            &["upgrade", "0002bbbb:0001aaaa"],
            "`0001aaaa` is below the start `0002bbbb`",
        ),
        (
            &["upgrade", "head:-1"],
            "help: to go back, use `ddlc downgrade head:-1`",
        ),
        (&["downgrade", "base:head"], "is not applied at `base`"),
        (
            &["upgrade", "nope"],
            "error[unknown-revision]: no revision or label `nope`",
        ),
        (&["upgrade", "0001aaab"], "did you mean `0001aaaa`?"),
        (
            &["upgrade", "nolabel@+1"],
            "no branch label `nolabel` (in `nolabel@+1`)",
        ),
        (&["upgrade", "cor@+1"], "did you mean `core`?"),
        (
            &["upgrade", "@+1"],
            "`@+1` names no branch label before `@`",
        ),
        (&["upgrade", "core@-1"], "write `core@head-1`"),
        (&["upgrade", "+3"], "goes past a head"),
    ] {
        let run = project.run(args);
        run.expect(2, &format!("{args:?}"));
        assert!(run.stderr().contains(says), "{args:?}: {}", run.stderr());
        assert!(
            !run.stderr().contains("unexpected argument"),
            "{args:?}: {}",
            run.stderr()
        );
        assert!(run.stdout().is_empty(), "{args:?}");
    }
}

#[test]
fn help_states_targets_and_exit_codes() {
    let project = Project::new();
    let top = project.run(&["--help"]);
    top.expect(0, "--help");
    for want in ["Exit codes:", "1  problems in the migrations", "2  usage"] {
        assert!(top.stdout().contains(want), "{want}: {}", top.stdout());
    }
    for command in ["upgrade", "downgrade"] {
        let help = project.run(&[command, "--help"]);
        help.expect(0, command);
        for want in ["Targets:", "head-1", "billing@+1", "FROM:TO", "Exit codes:"] {
            assert!(
                help.stdout().contains(want),
                "{command} {want}: {}",
                help.stdout()
            );
        }
    }
}

#[test]
fn a_revision_id_longer_than_the_version_column_is_located() {
    let project = Project::new();
    let long = "0001aaaa".repeat(4) + "x"; // 33 characters
    project.mig("0001_users.mig", &R1.replace("0001aaaa", &long));
    let run = project.run(&["upgrade"]);
    run.expect(1, "a 33-character id");
    let stderr = run.stderr();
    assert!(stderr.contains("error[revision-id-too-long]"), "{stderr}");
    assert!(
        stderr.contains("--> migrations/versions/0001_users.mig:1:10"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`[version_table] column_length`, 32 by default"),
        "{stderr}"
    );
    // Raising the column's length admits it, and sizes the column.
    project.write("ddlc.toml", "[version_table]\ncolumn_length = 40\n");
    let run = project.run(&["upgrade"]);
    run.expect(0, "column_length = 40");
    assert!(
        run.stdout().contains("version_num VARCHAR(40) NOT NULL"),
        "{}",
        run.stdout()
    );
    for dialect in ["mssql", "oracle"] {
        let run = project.run(&["upgrade", "-d", dialect]);
        run.expect(0, dialect);
        assert!(run.stdout().contains("(40"), "{dialect}: {}", run.stdout());
    }
    project.write("ddlc.toml", "[version_table]\ncolumn_length = 20\n");
    let run = project.run(&["upgrade"]);
    run.expect(1, "column_length = 20");
    assert!(
        run.stderr()
            .contains("`[version_table] column_length` in `"),
        "{}",
        run.stderr()
    );
}

#[test]
fn reserved_and_unusable_revision_ids_are_located() {
    for (id, says) in [
        ("head", "revision id `head` is a target keyword"),
        ("heads", "revision id `heads` is a target keyword"),
        ("base", "revision id `base` is a target keyword"),
        ("", "revision id `` is empty"),
        ("a,b", "contains `,`"),
        ("a:b", "contains `:`"),
        ("v1-2", "contains `-`"),
    ] {
        let project = Project::new();
        project.mig(
            "0001_users.mig",
            &R1.replace("\"0001aaaa\"", &format!("\"{id}\"")),
        );
        let run = project.run(&["history"]);
        run.expect(1, id);
        let stderr = run.stderr();
        assert!(
            stderr.contains("error[invalid-revision-id]"),
            "{id}: {stderr}"
        );
        assert!(stderr.contains(says), "{id}: {stderr}");
        assert!(
            stderr.contains("--> migrations/versions/0001_users.mig:1:10"),
            "{id}: {stderr}"
        );
    }
}

#[test]
fn control_characters_in_ddlc_toml_exit_2_naming_key_and_file() {
    let project = two_revisions();
    project.write("ddlc.toml", "[version_table]\nname = \"v\\u0000x\"\n");
    let run = project.run(&["upgrade"]);
    run.expect(2, "NUL in the version table name");
    assert!(
        run.stderr()
            .contains("ddlc.toml: [version_table] name: contains the character U+0000"),
        "{}",
        run.stderr()
    );
    project.write("ddlc.toml", "[naming_convention]\nix = \"\"\n");
    let run = project.run(&["upgrade"]);
    run.expect(2, "an empty naming template");
    assert!(
        run.stderr()
            .contains("ddlc.toml: [naming_convention] `ix = \"\"` is empty"),
        "{}",
        run.stderr()
    );
}

#[test]
fn template_overrides_are_used_and_unknown_ones_refused() {
    let project = two_revisions();
    std::fs::create_dir_all(project.root().join("tpl/postgresql")).unwrap();
    project.write(
        "tpl/postgresql/create_index.sql",
        "{% import \"_index.sql\" as i %}CREATE INDEX {{ name }} ON {{ table }} ({{ i.parts(parts) }}) -- reviewed",
    );
    let run = project.run(&["upgrade", "--templates", "tpl"]);
    run.expect(0, "a known override");
    assert!(run.stdout().contains("-- reviewed"), "{}", run.stdout());
    project.write("tpl/postgresql/create_tabel.sql", "CREATE TABLE x ()");
    let run = project.run(&["upgrade", "--templates", "tpl"]);
    run.expect(2, "a misspelt override");
    let stderr = run.stderr();
    assert!(
        stderr.contains("tpl/postgresql/create_tabel.sql"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `create_table.sql`?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("create_index, create_sequence, create_table"),
        "{stderr}"
    );
    // The same from ddlc.toml.
    project.write("ddlc.toml", "[project]\ntemplates = \"tpl\"\n");
    project
        .run(&["upgrade"])
        .expect(2, "templates in ddlc.toml");
    std::fs::remove_file(project.root().join("tpl/postgresql/create_tabel.sql")).unwrap();
    std::fs::create_dir_all(project.root().join("tpl/postgress")).unwrap();
    let run = project.run(&["upgrade"]);
    run.expect(2, "a folder that is not a dialect");
    assert!(
        run.stderr().contains("did you mean `postgresql`?"),
        "{}",
        run.stderr()
    );
}

#[test]
fn column_length_sizes_the_version_column_on_the_engines() {
    let project = Project::new();
    let id = format!("0001{}", "a".repeat(36)); // 40 characters
    project.mig(
        "0001_empty.mig",
        &format!(
            "revision \"{id}\"\nrevises base\nmessage \"nothing\"\nupgrade {{ }}\ndowngrade auto\n"
        ),
    );
    project.write("ddlc.toml", "[version_table]\ncolumn_length = 40\n");
    for (var, dialect, length_query) in [
        (
            "DDLC_TEST_POSTGRES_URL",
            "postgresql",
            "SELECT character_maximum_length FROM information_schema.columns \
             WHERE table_name = 'alembic_version' AND column_name = 'version_num'",
        ),
        (
            "DDLC_TEST_MYSQL_URL",
            "mariadb",
            "SELECT character_maximum_length FROM information_schema.columns \
             WHERE table_schema = DATABASE() AND table_name = 'alembic_version'",
        ),
    ] {
        let Some(db) = EngineDb::server(var) else {
            continue;
        };
        let run = project.run(&["upgrade", "-d", dialect]);
        run.expect(0, dialect);
        db.run(&run.stdout());
        assert_eq!(
            db.run("SELECT version_num FROM alembic_version"),
            id,
            "{dialect}"
        );
        assert_eq!(db.run(length_query), "40", "{dialect}");
    }
}

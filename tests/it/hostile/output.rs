//! Hostile places to write to and read from: `-o` into missing and read-only
//! folders, onto devices, symlinks and FIFOs, over a file when the compile
//! fails; and `*.mig` entries that are not migration files.

use crate::cli::{mode, running_as_root, two_revisions, Project, R1};
use std::os::unix::fs::{symlink, FileTypeExt, PermissionsExt};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// The names in `dir`, sorted: what a run left behind.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn assert_no_temp_path(stderr: &str) {
    assert!(
        !stderr.contains(".tmp") && !stderr.contains("ddlc-"),
        "an internal temporary path leaked: {stderr}"
    );
}

#[test]
fn output_into_a_missing_folder_exits_2_naming_the_path() {
    let project = two_revisions();
    let run = project.run(&["upgrade", "-o", "nowhere/out.sql"]);
    run.expect(2, "-o into a missing folder");
    let stderr = run.stderr();
    assert!(
        stderr.contains("nowhere/out.sql: No such file or directory"),
        "{stderr}"
    );
    assert_no_temp_path(&stderr);
    assert!(!project.root().join("nowhere").exists());
    assert!(run.stdout().is_empty(), "nothing on stdout either");
}

#[test]
fn output_into_a_read_only_folder_exits_2_naming_the_path() {
    let project = two_revisions();
    let folder = project.root().join("ro");
    std::fs::create_dir(&folder).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root writes into a 0555 folder regardless: run as nobody where we are root.
    let run = project.run_unprivileged(&["upgrade", "-o", "ro/out.sql"]);
    run.expect(2, "-o into a read-only folder");
    let stderr = run.stderr();
    assert!(stderr.contains("ro/out.sql: Permission denied"), "{stderr}");
    assert_no_temp_path(&stderr);
    assert!(listing(&folder).is_empty(), "{:?}", listing(&folder));
}

/// A character device node of our own (`1,3` is the null device), so a
/// regression that replaces devices is caught here before `/dev/null` is tried.
fn private_null_device(dir: &Path) -> Option<std::path::PathBuf> {
    let node = dir.join("null");
    let made = Command::new("mknod")
        .arg(&node)
        .args(["c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success());
    made.then_some(node)
}

#[test]
fn output_onto_a_device_writes_through_it() {
    let project = two_revisions();
    if let Some(node) = private_null_device(project.root()) {
        project
            .run(&["upgrade", "-o", "null"])
            .expect(0, "-o onto a device node");
        let kind = std::fs::symlink_metadata(&node).unwrap().file_type();
        assert!(kind.is_char_device(), "the device node was replaced");
    } else {
        assert!(!running_as_root(), "root can make a device node");
    }
    let run = project.run(&["upgrade", "-o", "/dev/null"]);
    run.expect(0, "-o /dev/null");
    let kind = std::fs::symlink_metadata("/dev/null").unwrap().file_type();
    assert!(kind.is_char_device(), "/dev/null is no longer a device");
    assert_eq!(
        listing(Path::new("/dev"))
            .iter()
            .filter(|n| n.contains(".tmp"))
            .count(),
        0
    );
}

#[test]
fn output_onto_a_symlink_replaces_its_target_and_keeps_the_link() {
    let project = two_revisions();
    let root = project.root();
    std::fs::create_dir_all(root.join("release")).unwrap();
    std::fs::create_dir_all(root.join("links")).unwrap();
    let target = project.write("release/current.sql", "old script\n");
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o644)).unwrap();
    // A relative link in another folder, and a link to that link.
    symlink("../release/current.sql", root.join("links/current.sql")).unwrap();
    symlink("links/current.sql", root.join("latest.sql")).unwrap();
    project
        .run(&["upgrade", "-o", "latest.sql"])
        .expect(0, "-o onto a symlink chain");
    for link in ["latest.sql", "links/current.sql"] {
        let kind = std::fs::symlink_metadata(root.join(link))
            .unwrap()
            .file_type();
        assert!(kind.is_symlink(), "{link} is still a link");
    }
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.contains("0002bbbb"), "the target was written: {text}");
    assert_eq!(mode(&target), 0o644);
    assert_eq!(listing(&root.join("release")), ["current.sql"]);
    // A dangling link: the file it names is created, as `>` would.
    symlink("release/next.sql", root.join("next.sql")).unwrap();
    project
        .run(&["upgrade", "-o", "next.sql"])
        .expect(0, "-o onto a dangling link");
    assert!(std::fs::symlink_metadata(root.join("next.sql"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(std::fs::read_to_string(root.join("release/next.sql"))
        .unwrap()
        .contains("0002bbbb"));
    // A loop is an error naming the path.
    symlink("loop-b.sql", root.join("loop-a.sql")).unwrap();
    symlink("loop-a.sql", root.join("loop-b.sql")).unwrap();
    let run = project.run(&["upgrade", "-o", "loop-a.sql"]);
    run.expect(2, "-o onto a symlink loop");
    assert!(run.stderr().contains("`loop-a.sql`"), "{}", run.stderr());
}

#[test]
fn output_onto_a_fifo_writes_through_it() {
    let project = two_revisions();
    let fifo = project.root().join("pipe.sql");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success(), "mkfifo failed");
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).expect("read the fifo"))
    };
    project
        .run(&["upgrade", "-o", "pipe.sql"])
        .expect(0, "-o onto a FIFO");
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the FIFO was replaced by a file");
    // A reader stuck on a FIFO nobody wrote to is left behind, not waited for.
    let started = Instant::now();
    while !reader.is_finished() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "nothing was written to the FIFO"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let text = reader.join().expect("reader");
    assert!(text.contains("0002bbbb"), "{text}");
}

#[test]
fn a_compile_that_fails_leaves_the_old_output_byte_for_byte() {
    let project = Project::new();
    project.mig("0001_users.mig", R1);
    project.mig(
        "0002_bad.mig",
        "revision \"0002bbbb\"\nrevises \"0001aaaa\"\nmessage \"oops\"\n\
         upgrade {\n    drop_table no_such_table\n}\ndowngrade irreversible \"test\"\n",
    );
    let old: &[u8] = b"-- release 41\r\nSELECT 1;\n\x00\xff trailing bytes";
    let out = project.write("out.sql", old);
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).unwrap();
    let before = listing(project.root());
    let run = project.run(&["upgrade", "-o", "out.sql"]);
    run.expect(1, "a failing compile with -o");
    assert!(run.stderr().contains("no_such_table"), "{}", run.stderr());
    assert_eq!(std::fs::read(&out).unwrap(), old);
    assert_eq!(mode(&out), 0o640);
    assert_eq!(listing(project.root()), before, "no temporary file left");
}

#[test]
fn mig_entries_that_are_not_files_are_errors_naming_them() {
    let project = two_revisions();
    let versions = project.root().join("migrations/versions");
    std::fs::create_dir(versions.join("0003_dir.mig")).unwrap();
    symlink("0004_gone.mig.orig", versions.join("0004_dangling.mig")).unwrap();
    symlink("0005_loop.mig", versions.join("0005_loop.mig")).unwrap();
    let made = Command::new("mkfifo")
        .arg(versions.join("0006_fifo.mig"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let run = project.run(&["upgrade"]);
    run.expect(1, "broken *.mig entries");
    let stderr = run.stderr();
    for (entry, says) in [
        ("0003_dir.mig", "is a folder"),
        ("0004_dangling.mig", "0004_gone.mig.orig"),
        ("0005_loop.mig", "symbolic links"),
        ("0006_fifo.mig", "not a regular file"),
    ] {
        let line = stderr
            .lines()
            .find(|l| l.contains(entry))
            .unwrap_or_else(|| panic!("{entry} not named: {stderr}"));
        assert!(line.contains(says), "{entry}: {line}");
    }
    assert!(
        stderr.ends_with("error: aborting: 4 errors (no script written)\n"),
        "{stderr}"
    );
    assert!(run.stdout().is_empty());
    // `history` reads the same entries, so it fails the same way.
    project.run(&["history"]).expect(1, "history");
}

#[test]
fn an_unreadable_mig_file_is_an_error_naming_it() {
    let project = two_revisions();
    let file = project.root().join("migrations/versions/0002_index.mig");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    // As root, mode 000 is no obstacle; the binary then runs as nobody.
    let run = project.run_unprivileged(&["upgrade"]);
    run.expect(1, "an unreadable *.mig");
    let stderr = run.stderr();
    assert!(
        stderr.contains("migrations/versions/0002_index.mig")
            && stderr.contains("Permission denied"),
        "{stderr}"
    );
}

#[test]
fn symlinked_migrations_are_read_and_editor_files_are_not() {
    let project = Project::new();
    let root = project.root();
    std::fs::create_dir(root.join("shared")).unwrap();
    project.write("shared/users.mig", R1);
    let versions = root.join("migrations/versions");
    symlink("../../shared/users.mig", versions.join("0001_users.mig")).unwrap();
    // Emacs' lock file is a dangling link; swap files and backups are not `*.mig`.
    symlink(
        "root@host.1234:1700000000",
        versions.join(".#0001_users.mig"),
    )
    .unwrap();
    project.write("migrations/versions/0001_users.mig~", "garbage");
    project.write("migrations/versions/.0001_users.mig.swp", "garbage");
    project.write("migrations/versions/#0001_users.mig#", "garbage");
    let run = project.run(&["history"]);
    run.expect(0, "a symlinked migration");
    assert_eq!(run.stdout(), "<base> -> 0001aaaa (head), create users\n");
}

//! A project's whole life through the real binary in a temporary folder:
//! init, new, merge, sum, check, history, heads, branches, and the terminal
//! conventions (colour, -q, --format json, completions, the man page).

use crate::cli::{Project, Run, R1};
use crate::engine_db::EngineDb;
use ddlc::sum::sha256_hex;
use serde_json::Value;
use std::path::Path;

/// The `.mig` files of the project, sorted by name.
fn migs(project: &Project) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(project.root().join("migrations/versions"))
        .expect("versions folder")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".mig"))
        .collect();
    names.sort();
    names
}

fn read(project: &Project, relative: &str) -> String {
    std::fs::read_to_string(project.root().join(relative))
        .unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// The id in `revision "..."`.
fn id_of(text: &str) -> String {
    let line = text
        .lines()
        .find(|l| l.starts_with("revision "))
        .expect("a revision line");
    line.split('"').nth(1).expect("a quoted id").to_string()
}

/// A project made by `ddlc init`.
fn initialised() -> Project {
    let project = Project::bare();
    project.run(&["init"]).expect(0, "init");
    project
}

/// `ddlc new -m MESSAGE` and the text of the file it printed.
fn new(project: &Project, args: &[&str]) -> (String, String) {
    let mut all = vec!["new"];
    all.extend(args);
    let run = project.run(&all);
    run.expect(0, &format!("{all:?}"));
    let path = run.stdout().trim().to_string();
    assert!(path.starts_with("migrations/versions/"), "{path}");
    (path.clone(), read(project, &path))
}

/// Each `<sha256>  <path>` line of the lock holds: the sha256sum check.
fn assert_lock_matches(project: &Project) {
    let lock = read(project, "migrations/ddlc.sum");
    let (header, list) = lock.split_once('\n').expect("a header line");
    assert_eq!(
        header,
        format!("# ddlc.sum v1 {}", sha256_hex(list.as_bytes()))
    );
    for line in list.lines() {
        let (hash, path) = line.split_once("  ").expect("hash  path");
        let bytes = std::fs::read(project.root().join("migrations").join(path)).unwrap();
        assert_eq!(hash, sha256_hex(&bytes), "{path}");
    }
    assert_eq!(
        list.lines().count(),
        migs(project).len(),
        "one line per file:\n{lock}"
    );
}

#[test]
fn init_writes_a_project_and_never_overwrites() {
    let project = Project::bare();
    let run = project.run(&["init", "shop", "--dialect", "sqlite"]);
    run.expect(0, "init shop");
    assert!(run.stdout().is_empty());
    assert!(
        run.stderr().contains("created shop/ddlc.toml"),
        "{}",
        run.stderr()
    );
    let shop = project.root().join("shop");
    let toml = std::fs::read_to_string(shop.join("ddlc.toml")).unwrap();
    assert!(toml.contains("dialect = \"sqlite\"\n"), "{toml}");
    for key in [
        "# templates = ",
        "# revision_template = ",
        "# dialects = ",
        "# schema = ",
        "# column_length = 32",
        "# ix = \"ix_%(column_0_label)s\"",
    ] {
        assert!(toml.contains(key), "{key} in:\n{toml}");
    }
    assert!(shop.join("migrations/versions").is_dir());
    let empty_lock = format!("# ddlc.sum v1 {}\n", sha256_hex(b""));
    assert_eq!(
        std::fs::read_to_string(shop.join("migrations/ddlc.sum")).unwrap(),
        empty_lock
    );
    assert!(std::fs::read_to_string(shop.join("migrations/README.md"))
        .unwrap()
        .contains("ddlc new"));
    // The new project works at once: nothing to list, a clean check.
    let run = project.run(&["--project", "shop", "history"]);
    run.expect(0, "history of a new project");
    assert_eq!(run.stdout(), "");
    let run = project.run(&["--project", "shop", "check"]);
    run.expect(0, "check of a new project");
    assert!(
        run.stdout().contains("ddlc.sum matches"),
        "{}",
        run.stdout()
    );
    // Again: refused, every existing path named, nothing changed.
    std::fs::write(shop.join("ddlc.toml"), "# mine\n").unwrap();
    let run = project.run(&["init", "shop"]);
    run.expect(2, "init over a project");
    let stderr = run.stderr();
    for path in [
        "shop/ddlc.toml",
        "shop/migrations/ddlc.sum",
        "shop/migrations/README.md",
        "shop/migrations/versions",
    ] {
        assert!(stderr.contains(&format!("`{path}`")), "{path}: {stderr}");
    }
    assert!(stderr.contains("never overwrites"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(shop.join("ddlc.toml")).unwrap(),
        "# mine\n"
    );
    // One existing file is enough to refuse, and nothing else is created.
    let other = project.root().join("other");
    std::fs::create_dir_all(other.join("migrations")).unwrap();
    std::fs::write(other.join("migrations/README.md"), "keep\n").unwrap();
    let run = project.run(&["init", "other"]);
    run.expect(2, "init over a README");
    assert!(
        run.stderr()
            .contains("`other/migrations/README.md` already exists"),
        "{}",
        run.stderr()
    );
    assert!(!other.join("ddlc.toml").exists());
    assert!(!other.join("migrations/versions").exists());
    // -q: nothing on stderr.
    let run = project.run(&["-q", "init", "quiet"]);
    run.expect(0, "init -q");
    assert_eq!(run.stderr(), "");
}

#[test]
fn new_twice_gives_two_revisions_each_revising_the_last_and_both_locked() {
    let project = initialised();
    let (first_path, first) = new(&project, &["-m", "Create users"]);
    let first_id = id_of(&first);
    assert_eq!(first_id.len(), 12);
    assert!(
        first_id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
        "{first_id}"
    );
    assert_eq!(
        first_path,
        format!("migrations/versions/{first_id}_create_users.mig")
    );
    assert_eq!(
        first,
        format!("revision \"{first_id}\"\nrevises  base\nmessage  \"Create users\"\n\nupgrade {{\n}}\n\ndowngrade auto\n")
    );
    let (second_path, second) = new(&project, &["-m", "Add e-mail \"addresses\""]);
    let second_id = id_of(&second);
    assert_ne!(first_id, second_id);
    assert!(
        second_path.ends_with("_add_e_mail_addresses.mig"),
        "{second_path}"
    );
    assert!(
        second.contains(&format!("revises  \"{first_id}\"\n")),
        "{second}"
    );
    assert!(
        second.contains("message  \"Add e-mail \"\"addresses\"\"\"\n"),
        "{second}"
    );
    assert_lock_matches(&project);
    let run = project.run(&["history"]);
    run.expect(0, "history");
    assert_eq!(
        run.stdout(),
        format!("{first_id} -> {second_id} (head), Add e-mail \"addresses\"\n<base> -> {first_id}, Create users\n")
    );
    // Both compile, and `revision` is the same command.
    project.run(&["upgrade"]).expect(0, "upgrade");
    let (_, third) = new(&project, &["-m", "third"]);
    assert!(third.contains(&format!("revises  \"{second_id}\"")));
    let run = project.run(&[
        "revision",
        "-m",
        "fourth",
        "--branch-label",
        "core",
        "--rev-id",
        "0004beef",
    ]);
    run.expect(0, "revision alias");
    assert_eq!(run.stdout(), "migrations/versions/0004beef_fourth.mig\n");
    let fourth = read(&project, "migrations/versions/0004beef_fourth.mig");
    assert!(fourth.contains("labels   (\"core\")\n"), "{fourth}");
    assert_lock_matches(&project);
    project
        .run(&["check"])
        .expect(0, "check after four revisions");
}

#[test]
fn new_refuses_what_it_cannot_write_and_writes_nothing() {
    let project = initialised();
    let (_, first) = new(&project, &["-m", "root"]);
    let root = id_of(&first);
    let (_, second) = new(&project, &["-m", "second"]);
    let second_id = id_of(&second);
    let before = migs(&project);
    let lock = read(&project, "migrations/ddlc.sum");
    for (args, code, says) in [
        (&["new", "-m", "x", "--head", &root][..], 2, "is not a head"),
        (
            &["new", "-m", "x", "--head", "nope"],
            2,
            "no revision or label `nope`",
        ),
        (
            &["new", "-m", "x", "--depends-on", &second_id],
            2,
            "is the new revision's parent already",
        ),
        (
            &["new", "-m", "x", "--rev-id", "../escape"],
            2,
            "contains a path separator",
        ),
        (
            &["new", "-m", "x", "--rev-id", "head"],
            2,
            "is a target keyword",
        ),
        (
            &["new", "-m", "x", "--rev-id", &second_id],
            2,
            "is defined twice",
        ),
        (
            &["new", "-m", "x", "--rev-id", &"a".repeat(33)],
            2,
            "the version table's column holds 32",
        ),
        (&["new", "-m", "two\nlines"], 2, "a message is one line"),
        (&["new", "-m", "abc\u{202e}fed"], 2, "U+202E"),
        (&["new", "-m", " "], 2, "the message is empty"),
        (&["new"], 2, "--message"),
    ] {
        let run = project.run(args);
        run.expect(code, &format!("{args:?}"));
        assert!(run.stderr().contains(says), "{args:?}: {}", run.stderr());
        assert!(run.stdout().is_empty(), "{args:?}");
    }
    assert_eq!(migs(&project), before, "nothing written");
    assert_eq!(
        read(&project, "migrations/ddlc.sum"),
        lock,
        "lock untouched"
    );
    // --splice starts a branch; then there are two heads and `new` needs --head.
    let (_, branch) = new(&project, &["-m", "branch", "--head", &root, "--splice"]);
    let branch_id = id_of(&branch);
    assert!(branch.contains(&format!("revises  \"{root}\"")));
    let run = project.run(&["new", "-m", "which?"]);
    run.expect(2, "two heads");
    let stderr = run.stderr();
    assert!(stderr.contains("there are 2 heads"), "{stderr}");
    assert!(
        stderr.contains(&format!("`{second_id}`")) && stderr.contains(&format!("`{branch_id}`")),
        "{stderr}"
    );
    assert!(stderr.contains("ddlc merge heads"), "{stderr}");
    let (_, on_branch) = new(&project, &["-m", "on the branch", "--head", &branch_id]);
    assert!(on_branch.contains(&format!("revises  \"{branch_id}\"")));
    // `--head base` starts a new root.
    let (_, rooted) = new(&project, &["-m", "independent", "--head", "base"]);
    assert!(rooted.contains("revises  base\n"), "{rooted}");
    assert_lock_matches(&project);
}

#[test]
fn the_revision_template_is_used_unless_empty_is_asked_for() {
    let project = initialised();
    project.write(
        "ddlc.toml",
        "[project]\nrevision_template = \"new.mig.j2\"\n",
    );
    project.write(
        "new.mig.j2",
        "{{ header }}\ndoc \"\"\"\nTicket: {{ slug }}\n\"\"\"\n\nupgrade {\n    # describe {{ message }}\n}\n\ndowngrade irreversible \"team policy\"\n",
    );
    let (_, text) = new(&project, &["-m", "Add orders"]);
    assert!(
        text.contains("doc \"\"\"\nTicket: add_orders\n\"\"\""),
        "{text}"
    );
    assert!(text.contains("    # describe Add orders\n"), "{text}");
    assert!(
        text.ends_with("downgrade irreversible \"team policy\"\n"),
        "{text}"
    );
    let (_, bare) = new(&project, &["-m", "plain", "--empty"]);
    assert!(
        bare.ends_with("\n\nupgrade {\n}\n\ndowngrade auto\n"),
        "{bare}"
    );
    // A template that loses the header, or does not render, is refused.
    project.write(
        "new.mig.j2",
        "revision \"other\"\nrevises base\nmessage \"m\"\nupgrade { }\ndowngrade auto\n",
    );
    let run = project.run(&["new", "-m", "x"]);
    run.expect(2, "a template that rewrites the header");
    assert!(
        run.stderr()
            .contains("new.mig.j2` wrote a header other than"),
        "{}",
        run.stderr()
    );
    project.write("new.mig.j2", "{{ header }}\n{{ nope }}\n");
    let run = project.run(&["new", "-m", "x"]);
    run.expect(2, "an unknown template variable");
    assert!(run.stderr().contains("new.mig.j2"), "{}", run.stderr());
    project.write(
        "new.mig.j2",
        "{{ header }}\nupgrade { create_tabel t { } }\ndowngrade auto\n",
    );
    let run = project.run(&["new", "-m", "x"]);
    run.expect(2, "a template that does not parse");
    assert!(run.stderr().contains("error["), "{}", run.stderr());
    assert!(
        run.stderr().ends_with("(no revision written)\n"),
        "{}",
        run.stderr()
    );
    assert_eq!(migs(&project).len(), 2);
}

#[test]
fn merge_of_two_heads_compiles_and_applies() {
    let project = initialised();
    let (_, root) = new(&project, &["-m", "root", "--rev-id", "r0000001"]);
    let root = id_of(&root);
    std::fs::write(
        project.root().join("migrations/versions/r0000001_root.mig"),
        R1.replace("0001aaaa", &root),
    )
    .unwrap();
    project.run(&["sum"]).expect(0, "lock the edited root");
    let (a, _) = new(&project, &["-m", "branch a", "--rev-id", "a0000001"]);
    let (b, _) = new(
        &project,
        &[
            "-m", "branch b", "--rev-id", "b0000001", "--head", &root, "--splice",
        ],
    );
    for (path, table) in [(&a, "a_things"), (&b, "b_things")] {
        let text = read(&project, path).replace(
            "upgrade {\n}",
            &format!("upgrade {{\n    create_table {table} {{ id : integer primary_key }}\n}}"),
        );
        std::fs::write(project.root().join(path), text).unwrap();
    }
    project.run(&["sum"]).expect(0, "lock the branches");
    let run = project.run(&[
        "merge",
        "heads",
        "-m",
        "join a and b",
        "--rev-id",
        "m0000001",
    ]);
    run.expect(0, "merge heads");
    assert_eq!(
        run.stdout(),
        "migrations/versions/m0000001_join_a_and_b.mig\n"
    );
    let merge = read(&project, "migrations/versions/m0000001_join_a_and_b.mig");
    assert!(
        merge.contains("revises  (\"a0000001\", \"b0000001\")\n"),
        "{merge}"
    );
    assert_lock_matches(&project);
    let heads = project.run(&["heads"]);
    assert_eq!(heads.stdout(), "m0000001 (head)\n");
    let upgrade = project.run(&["upgrade", "-d", "sqlite"]);
    upgrade.expect(0, "upgrade through the merge");
    let db = EngineDb::sqlite();
    db.run(&upgrade.stdout());
    assert_eq!(
        db.run("SELECT version_num FROM alembic_version"),
        "m0000001"
    );
    assert_eq!(
        db.run("SELECT name FROM sqlite_master WHERE name LIKE '%_things' ORDER BY name"),
        "a_things\nb_things"
    );
    let down = project.run(&["downgrade", "head:base", "-d", "sqlite"]);
    down.expect(0, "downgrade through the merge");
    db.run(&down.stdout());
    assert_eq!(db.run("SELECT count(*) FROM alembic_version"), "0");
    project.run(&["check"]).expect(0, "check after the merge");
    // Nothing left to merge; an ancestor adds nothing.
    let run = project.run(&["merge", "heads", "-m", "again"]);
    run.expect(2, "one head");
    assert!(
        run.stderr().contains("a merge joins two revisions or more"),
        "{}",
        run.stderr()
    );
    let run = project.run(&["merge", "a0000001", "m0000001", "-m", "x"]);
    run.expect(2, "an ancestor");
    assert!(
        run.stderr()
            .contains("`a0000001` is an ancestor of `m0000001`"),
        "{}",
        run.stderr()
    );
}

#[test]
fn new_with_depends_on_writes_the_header_and_the_dependency_runs_first() {
    let project = initialised();
    let (root, _) = new(&project, &["-m", "root", "--rev-id", "r0000001"]);
    let (lib, _) = new(
        &project,
        &["-m", "lib", "--rev-id", "l0000001", "--head", "base"],
    );
    let (uses, text) = new(
        &project,
        &[
            "-m",
            "uses lib",
            "--rev-id",
            "u0000001",
            "--head",
            "r0000001",
            "--depends-on",
            "l000",
        ],
    );
    assert!(
        text.contains("revises  \"r0000001\"\ndepends_on (\"l0000001\")\n"),
        "{text}"
    );
    for (path, table) in [(&root, "roots"), (&lib, "libs")] {
        let text = read(&project, path).replace(
            "upgrade {\n}",
            &format!("upgrade {{\n    create_table {table} {{ id : integer primary_key }}\n}}"),
        );
        std::fs::write(project.root().join(path), text).unwrap();
    }
    // The dependent references a table only its dependency creates.
    let text = read(&project, &uses).replace(
        "upgrade {\n}",
        "upgrade {\n    add_column roots.lib_id : integer references libs(id)\n}",
    );
    std::fs::write(project.root().join(&uses), text).unwrap();
    project.run(&["sum"]).expect(0, "lock");
    // A dependency is not revised: both stay heads, as in Alembic.
    assert_eq!(
        project.run(&["heads"]).stdout(),
        "l0000001 (head)\nu0000001 (head)\n"
    );
    let show = project.run(&["show", "u0000001"]);
    assert!(
        show.stdout().contains("Also depends on: l0000001\n"),
        "{}",
        show.stdout()
    );
    let upgrade = project.run(&["upgrade", "heads", "-d", "sqlite"]);
    upgrade.expect(0, "upgrade heads");
    let db = EngineDb::sqlite();
    db.run(&upgrade.stdout());
    // u0000001 took over l0000001's row: one row for the one line of work.
    assert_eq!(
        db.run("SELECT version_num FROM alembic_version"),
        "u0000001"
    );
    let down = project.run(&["downgrade", "heads:base", "-d", "sqlite"]);
    down.expect(0, "downgrade");
    db.run(&down.stdout());
    assert_eq!(
        db.run(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name != 'alembic_version'"
        ),
        "0"
    );
    project.run(&["check"]).expect(0, "check with a dependency");
    // The two heads merge into one: a dependency is not an ancestor on the
    // merged line, so merging it is what gives the project a single head.
    let merged = project.run(&["merge", "heads", "-m", "join", "--rev-id", "m0000001"]);
    merged.expect(0, "merge a head with one that depends on it");
    assert_eq!(project.run(&["heads"]).stdout(), "m0000001 (head)\n");
    let upgrade = project.run(&["upgrade", "-d", "sqlite"]);
    upgrade.expect(0, "upgrade head");
    db.run(&upgrade.stdout());
    assert_eq!(
        db.run("SELECT version_num FROM alembic_version"),
        "m0000001"
    );
    // A head merged with its own ancestor through `revises` adds nothing.
    let run = project.run(&["merge", "r0000001", "u0000001", "-m", "no"]);
    run.expect(2, "merge of an ancestor");
    assert!(
        run.stderr().contains("error[merge-of-ancestor]"),
        "{}",
        run.stderr()
    );
}

/// An initialised project with three locked revisions r1 -> r2 -> r3.
fn locked_chain() -> Project {
    let project = initialised();
    for (id, message) in [("r1", "one"), ("r2", "two"), ("r3", "three")] {
        new(&project, &["-m", message, "--rev-id", id]);
    }
    project
}

#[test]
fn check_and_upgrade_name_an_edited_a_removed_and_an_inserted_file() {
    let project = locked_chain();
    project.run(&["check"]).expect(0, "a locked chain");
    let versions = project.root().join("migrations/versions");
    // Edited: r1 gets a table. Removed: r3. Inserted: r15 between r1 and r2
    // (r2 now revises it, which edits r2 too).
    let r1 = versions.join("r1_one.mig");
    let text = std::fs::read_to_string(&r1).unwrap();
    std::fs::write(
        &r1,
        text.replace(
            "upgrade {\n}",
            "upgrade {\n    create_table t { id : integer primary_key }\n}",
        ),
    )
    .unwrap();
    std::fs::remove_file(versions.join("r3_three.mig")).unwrap();
    std::fs::write(
        versions.join("r15_between.mig"),
        "revision \"r15\"\nrevises \"r1\"\nmessage \"between\"\nupgrade { }\ndowngrade auto\n",
    )
    .unwrap();
    let r2 = versions.join("r2_two.mig");
    let text = std::fs::read_to_string(&r2).unwrap();
    std::fs::write(&r2, text.replace("revises  \"r1\"", "revises  \"r15\"")).unwrap();
    for args in [
        &["check"][..],
        &["upgrade"],
        &["downgrade", "head:base"],
        &["stamp", "head"],
        &["new", "-m", "x"],
    ] {
        let run = project.run(args);
        run.expect(1, &format!("{args:?}"));
        let stderr = run.stderr();
        for says in [
            "error[sum-edited]: `versions/r1_one.mig` was edited after it was locked",
            "error[sum-edited]: `versions/r2_two.mig` was edited",
            "error[sum-removed]: `versions/r3_three.mig` is locked in `migrations/ddlc.sum` but no longer exists",
            "error[sum-inserted]: `versions/r15_between.mig` is not in `migrations/ddlc.sum`, and runs before the locked `versions/r2_two.mig`",
            "--> migrations/versions/r1_one.mig:1:1",
        ] {
            assert!(stderr.contains(says), "{args:?}: {says}\n{stderr}");
        }
        assert!(run.stdout().is_empty(), "{args:?}: nothing written");
    }
    // --ignore-sum compiles, saying what it ignored.
    let run = project.run(&["upgrade", "--ignore-sum"]);
    run.expect(0, "--ignore-sum");
    assert!(
        run.stderr().contains("warning[sum-edited]"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("--ignore-sum was given"),
        "{}",
        run.stderr()
    );
    assert!(run.stdout().contains("CREATE TABLE t"), "{}", run.stdout());
    // `ddlc sum` accepts the changes deliberately.
    let run = project.run(&["sum"]);
    run.expect(0, "sum");
    assert!(
        run.stderr().contains(
            "locked 3 revisions in migrations/ddlc.sum (accepted: 2 edited, 1 inserted, 1 removed)"
        ),
        "{}",
        run.stderr()
    );
    project.run(&["check"]).expect(0, "after ddlc sum");
    assert_lock_matches(&project);
}

#[test]
fn a_renamed_file_a_hand_edited_lock_and_no_lock() {
    let project = locked_chain();
    let versions = project.root().join("migrations/versions");
    std::fs::rename(versions.join("r2_two.mig"), versions.join("r2_zwei.mig")).unwrap();
    let run = project.run(&["check"]);
    run.expect(1, "a rename");
    assert!(
        run.stderr().contains(
            "error[sum-renamed]: `versions/r2_two.mig` was renamed to `versions/r2_zwei.mig`"
        ),
        "{}",
        run.stderr()
    );
    std::fs::rename(versions.join("r2_zwei.mig"), versions.join("r2_two.mig")).unwrap();
    // A lock whose list was edited (two lines swapped) but not its first line.
    let lock = read(&project, "migrations/ddlc.sum");
    let mut lines: Vec<&str> = lock.lines().collect();
    lines.swap(1, 2);
    project.write("migrations/ddlc.sum", lines.join("\n") + "\n");
    let run = project.run(&["check"]);
    run.expect(1, "a hand-edited lock");
    let stderr = run.stderr();
    assert!(stderr.contains("error[sum-tampered]"), "{stderr}");
    assert!(stderr.contains("error[sum-reordered]"), "{stderr}");
    project.write("migrations/ddlc.sum", "not a lock\n");
    let run = project.run(&["upgrade"]);
    run.expect(1, "a malformed lock");
    assert!(
        run.stderr().contains("error[sum-malformed]"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("--> migrations/ddlc.sum:1:1"),
        "{}",
        run.stderr()
    );
    // No lock: a warning, and everything still works; -q silences it.
    std::fs::remove_file(project.root().join("migrations/ddlc.sum")).unwrap();
    let run = project.run(&["upgrade"]);
    run.expect(0, "no lock");
    assert!(
        run.stderr()
            .contains("warning[sum-missing]: no `migrations/ddlc.sum`"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("run `ddlc sum`"), "{}", run.stderr());
    let run = project.run(&["-q", "upgrade"]);
    run.expect(0, "-q");
    assert_eq!(run.stderr(), "");
    let (path, _) = new(&project, &["-m", "unlocked"]);
    assert!(
        !project.root().join("migrations/ddlc.sum").exists(),
        "new does not create a lock: {path}"
    );
    let run = project.run(&["sum"]);
    run.expect(0, "sum creates it");
    assert!(
        run.stderr()
            .contains("locked 4 revisions in migrations/ddlc.sum (new lock)"),
        "{}",
        run.stderr()
    );
    assert_lock_matches(&project);
}

#[test]
fn check_fails_on_a_hand_written_downgrade_that_forgets_a_column() {
    let project = initialised();
    project.mig("0001_users.mig", R1);
    project.mig(
        "0002_nick.mig",
        "revision \"0002bbbb\"\nrevises \"0001aaaa\"\nmessage \"nick\"\nupgrade {\n    add_column users.nick : text\n    create_index ix_users_nick on users (nick)\n    alter_column users.email type string(250)\n}\ndowngrade {\n    drop_index ix_users_nick\n}\n",
    );
    project.mig(
        "0003_kept.mig",
        "revision \"0003cccc\"\nrevises \"0002bbbb\"\nmessage \"kept\"\nupgrade {\n    add_column users.age : integer\n}\ndowngrade {\n    drop_column users.age\n}\n",
    );
    project.run(&["sum"]).expect(0, "lock");
    let run = project.run(&["check"]);
    run.expect(1, "an incomplete downgrade fails check");
    let stderr = run.stderr();
    assert_eq!(
        stderr.matches("error[downgrade-incomplete]").count(),
        1,
        "only 0002's downgrade is incomplete: {stderr}"
    );
    for expected in [
        "the downgrade of `0002bbbb` does not restore the schema before it",
        "--> migrations/versions/0002_nick.mig:10:5",
        "left behind: + column users.nick",
        "restored differently: ~ column users.email",
    ] {
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
    assert!(!stderr.contains("0003cccc"), "{stderr}");
    let run = project.run(&["check", "--allow-incomplete-downgrades"]);
    run.expect(0, "allowed: a warning");
    assert_eq!(
        run.stderr()
            .matches("warning[downgrade-incomplete]")
            .count(),
        1,
        "{}",
        run.stderr()
    );
}

#[test]
fn check_lists_every_problem_for_every_dialect_once() {
    let project = initialised();
    project.write(
        "ddlc.toml",
        "[project]\ndialect = \"postgresql\"\ndialects = [\"postgresql\", \"sqlite\", \"mysql\"]\n",
    );
    project.mig("0001_users.mig", R1);
    project.mig(
        "0002_raw.mig",
        "revision \"0002bbbb\"\nrevises \"0001aaaa\"\nmessage \"raw sql\"\nupgrade {\n    execute \"UPDATE users SET email = lower(email)\"\n}\ndowngrade auto\n",
    );
    project.mig(
        "0003_gone.mig",
        "revision \"0003cccc\"\nrevises \"0002bbbb\"\nmessage \"drop users\"\nupgrade {\n    drop_table users\n}\ndowngrade irreversible \"the data is gone\"\n",
    );
    project.run(&["sum"]).expect(0, "lock");
    let run = project.run(&["check"]);
    run.expect(1, "an execute under downgrade auto");
    let stderr = run.stderr();
    assert_eq!(
        stderr.matches("error[irreversible-op]").count(),
        1,
        "once for all dialects: {stderr}"
    );
    assert!(
        stderr.contains("found by check `downgrade` for postgresql, sqlite, mysql"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning[irreversible-revision]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> migrations/versions/0002_raw.mig:5:5"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("error: aborting: 1 error in 1 file (check failed)\n"),
        "{stderr}"
    );
    let run = project.run(&["check", "--json"]);
    run.expect(1, "check --json");
    let report: Value = serde_json::from_str(&run.stdout()).expect("one JSON document");
    assert_eq!(report["ok"], false);
    assert_eq!(report["errors"], 1);
    // irreversible-revision, and the linter's drop-table, execute-destructive
    // and missing-lock-timeout (the drop locks `users`; no [scripts] timeout).
    assert_eq!(report["warnings"], 4);
    assert_eq!(report["revisions"], 3);
    assert_eq!(report["heads"], serde_json::json!(["0003cccc"]));
    assert_eq!(
        report["dialects"],
        serde_json::json!(["postgresql", "sqlite", "mysql"])
    );
    let checks: Vec<String> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} {} {} {}",
                c["check"].as_str().unwrap(),
                c["dialect"].as_str().unwrap_or("-"),
                c["range"].as_str().unwrap_or("-"),
                c["ok"]
            )
        })
        .collect();
    let mut want = vec!["load - - true".to_string(), "sum - - true".to_string()];
    for dialect in ["postgresql", "sqlite", "mysql"] {
        // The downgrade from the head stops at the irreversible 0003 (a warning);
        // the one from its parent reaches the execute.
        want.push(format!("upgrade {dialect} base:heads true"));
        want.push(format!("downgrade {dialect} heads:base true"));
        want.push(format!("downgrade {dialect} 0002bbbb:base false"));
    }
    // No hand-written downgrade here to compare with the schema.
    want.push("downgrades - - true".to_string());
    want.push("lint - - true".to_string());
    assert_eq!(checks, want);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 5);
    let linted: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d["check"] == "lint")
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        linted,
        ["execute-destructive", "drop-table", "missing-lock-timeout"]
    );
    let error = diagnostics
        .iter()
        .find(|d| d["severity"] == "error")
        .unwrap();
    assert_eq!(error["code"], "irreversible-op");
    assert_eq!(
        error["dialects"],
        serde_json::json!(["postgresql", "sqlite", "mysql"])
    );
    assert_eq!(error["check"], "downgrade");
    assert_eq!(error["file"], "migrations/versions/0002_raw.mig");
    assert_eq!(error["line"], 5);
    assert!(
        run.stderr().is_empty(),
        "--json keeps stderr clean: {}",
        run.stderr()
    );
    // Parse errors are listed with the lock's findings, and nothing compiles.
    project.mig("0004_bad.mig", "revision \"0004\"\nrevises \"0003cccc\"\nmessage \"bad\"\nupgrade { frobnicate }\ndowngrade auto\n");
    let run = project.run(&["check"]);
    run.expect(1, "a file that does not parse");
    assert!(
        run.stderr().contains("found by check `load`"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr()
            .contains("error[sum-added]: `versions/0004_bad.mig`"),
        "{}",
        run.stderr()
    );
}

/// A project with a branch point and labels: base, a1 -> a2 (label `a`), b1.
fn branched() -> Project {
    let project = Project::new();
    for (file, id, parents, extra) in [
        ("1_base.mig", "t1base", "base", ""),
        ("2_a1.mig", "t2a1", "\"t1base\"", "labels (\"a\")\n"),
        ("3_a2.mig", "t3a2", "\"t2a1\"", ""),
        (
            "4_b1.mig",
            "t4b1",
            "\"t1base\"",
            "doc \"\"\"\nThe b side.\n\"\"\"\n",
        ),
    ] {
        project.mig(
            file,
            &format!("revision \"{id}\"\nrevises {parents}\nmessage \"{id} here\"\n{extra}upgrade {{ }}\ndowngrade auto\n"),
        );
    }
    project
}

#[test]
fn history_heads_and_branches_as_alembic_prints_them_and_as_json() {
    let project = branched();
    let out = |args: &[&str]| {
        let run = project.run(args);
        run.expect(0, &format!("{args:?}"));
        run.stdout()
    };
    assert_eq!(
        out(&["history"]),
        "t1base -> t4b1 (head), t4b1 here\n\
         t2a1 -> t3a2 (head), t3a2 here\n\
         t1base -> t2a1 (a), t2a1 here\n\
         <base> -> t1base (branchpoint), t1base here\n"
    );
    assert_eq!(
        out(&["history", "-r", "t2a1:"]),
        "t2a1 -> t3a2 (head), t3a2 here\nt1base -> t2a1 (a), t2a1 here\n"
    );
    assert_eq!(
        out(&["history", "-r", ":t2a1"]),
        "t1base -> t2a1 (a), t2a1 here\n<base> -> t1base (branchpoint), t1base here\n"
    );
    assert_eq!(
        out(&["history", "--rev-range", "a@head:a@head"]),
        "t2a1 -> t3a2 (head), t3a2 here\n"
    );
    assert_eq!(
        out(&["history", "-v", "-r", "t4b1:"]),
        "Rev: t4b1 (head)\nParent: t1base\nPath: migrations/versions/4_b1.mig\n\n    t4b1 here\n\n    The b side.\n\n"
    );
    assert_eq!(out(&["heads"]), "t3a2 (head)\nt4b1 (head)\n");
    assert!(out(&["heads", "-v"])
        .starts_with("Rev: t3a2 (head)\nParent: t2a1\nPath: migrations/versions/3_a2.mig\n"));
    assert_eq!(
        out(&["branches"]),
        "t1base (branchpoint)\n       -> t2a1 (a)\n       -> t4b1 (head)\n\n"
    );
    assert!(out(&["branches", "-v"]).contains("Branches into: t2a1, t4b1\n"));
    let history: Value = serde_json::from_str(&out(&["history", "--json"])).unwrap();
    let first = &history["revisions"][0];
    for (key, want) in [
        ("id", serde_json::json!("t4b1")),
        ("parents", serde_json::json!(["t1base"])),
        ("children", serde_json::json!([])),
        ("labels", serde_json::json!([])),
        ("message", serde_json::json!("t4b1 here")),
        ("doc", serde_json::json!("\nThe b side.\n")),
        ("path", serde_json::json!("migrations/versions/4_b1.mig")),
        ("head", serde_json::json!(true)),
        ("base", serde_json::json!(false)),
        ("branchpoint", serde_json::json!(false)),
        ("mergepoint", serde_json::json!(false)),
    ] {
        assert_eq!(first[key], want, "{key}");
    }
    assert_eq!(history["revisions"].as_array().unwrap().len(), 4);
    let heads: Value = serde_json::from_str(&out(&["heads", "--json"])).unwrap();
    let ids: Vec<&str> = heads["heads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["t3a2", "t4b1"]);
    let branches: Value = serde_json::from_str(&out(&["branches", "--json"])).unwrap();
    assert_eq!(branches["branchpoints"][0]["revision"]["id"], "t1base");
    assert_eq!(
        branches["branchpoints"][0]["children"][0]["labels"],
        serde_json::json!(["a"])
    );
    let run = project.run(&["history", "-r", "t2a1"]);
    run.expect(2, "a range without a colon");
    assert!(
        run.stderr().contains("history needs `START:END`"),
        "{}",
        run.stderr()
    );
    let run = project.run(&["history", "-r", "nope:"]);
    run.expect(2, "an unknown start");
    assert!(
        project.run(&["history", "-v", "--json"]).code() == 2,
        "-v and --json conflict"
    );
}

fn parse_lines(stderr: &str) -> Vec<Value> {
    stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn format_json_prints_one_object_per_diagnostic_and_per_error() {
    let project = Project::new();
    project.mig(
        "0001_users.mig",
        &R1.replace("revises base", "revises \"0000nope\""),
    );
    project.mig("0002_bad.mig", "revision \"x2\"\nrevises base\nmessage \"m\"\nupgrade { add_colum t.c : integer }\ndowngrade auto\n");
    let run = project.run(&["--format", "json", "upgrade"]);
    run.expect(1, "--format json");
    let lines = parse_lines(&run.stderr());
    assert!(lines.len() >= 2, "{}", run.stderr());
    let keys = [
        "severity",
        "code",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "labels",
        "help",
        "notes",
    ];
    for value in &lines {
        let have: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(have, keys, "{value}");
    }
    let missing = lines
        .iter()
        .find(|v| v["code"] == "sum-missing")
        .expect("the no-lock warning");
    assert_eq!(missing["severity"], "warning");
    assert_eq!(missing["file"], Value::Null);
    let unknown = lines
        .iter()
        .find(|v| v["code"] == "unknown-op")
        .expect("the unknown op");
    assert_eq!(unknown["severity"], "error");
    assert_eq!(unknown["file"], "migrations/versions/0002_bad.mig");
    assert_eq!(
        (unknown["line"].as_u64(), unknown["column"].as_u64()),
        (Some(4), Some(11))
    );
    assert_eq!(unknown["labels"][0]["primary"], true);
    assert!(
        !run.stderr().contains("aborting"),
        "no text summary in JSON mode"
    );
    // An error that is not a diagnostic, and clap's usage errors, take the same shape.
    let good = Project::new();
    good.mig("0001_users.mig", R1);
    let run = good.run(&[
        "-q",
        "upgrade",
        "--format=json",
        "-o",
        "no/such/folder/x.sql",
    ]);
    run.expect(2, "an I/O error");
    let lines = parse_lines(&run.stderr());
    assert_eq!(lines.len(), 1, "{}", run.stderr());
    assert_eq!(lines[0]["code"], "io-error", "{}", lines[0]);
    assert_eq!(lines[0]["file"], "no/such/folder/x.sql", "{}", lines[0]);
    let run = project.run(&["--format", "json", "upgrade", "--frobnicate"]);
    run.expect(2, "a usage error");
    let value = &parse_lines(&run.stderr())[0];
    assert_eq!(value["code"], "usage");
    assert!(
        value["message"].as_str().unwrap().contains("--frobnicate"),
        "{value}"
    );
}

/// The binary with colour-related variables cleared, then `vars` set.
fn run_with_env(project: &Project, vars: &[(&str, &str)], args: &[&str]) -> Run {
    let mut command = project.command(args);
    for name in ["NO_COLOR", "CLICOLOR_FORCE", "CLICOLOR", "TERM"] {
        command.env_remove(name);
    }
    command.envs(vars.iter().copied());
    project.run_command(command)
}

/// The binary on a pseudo-terminal (util-linux `script`), so stderr is a
/// terminal; what it printed there.
fn run_on_terminal(project: &Project, vars: &[(&str, &str)], args: &str) -> String {
    let mut command = std::process::Command::new("script");
    let line = format!("{} {args} 2>&1 >/dev/null", env!("CARGO_BIN_EXE_ddlc"));
    command
        .args(["-qec", &line, "/dev/null"])
        .current_dir(project.root());
    for name in ["NO_COLOR", "CLICOLOR_FORCE", "CLICOLOR", "TERM"] {
        command.env_remove(name);
    }
    command.envs(vars.iter().copied());
    let out = command
        .output()
        .expect("util-linux `script` runs the binary on a terminal");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn colour_follows_the_flag_the_environment_and_the_terminal() {
    let project = Project::new();
    project.write("migrations/versions/0001_bad.mig", b"\xff");
    let coloured = |stderr: &str| stderr.contains("\x1b[");
    for (vars, args, want) in [
        (&[][..], &["upgrade"][..], false),
        (&[("CLICOLOR_FORCE", "1")], &["upgrade"], true),
        (
            &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
            &["upgrade"],
            false,
        ),
        (&[("CLICOLOR_FORCE", "0")], &["upgrade"], false),
        (
            &[("NO_COLOR", "1")],
            &["--color", "always", "upgrade"],
            true,
        ),
        (&[], &["--color=always", "upgrade"], true),
        (
            &[("CLICOLOR_FORCE", "1")],
            &["--color", "never", "upgrade"],
            false,
        ),
        (
            &[("CLICOLOR_FORCE", "1")],
            &["--format", "json", "upgrade"],
            false,
        ),
    ] {
        let run = run_with_env(&project, vars, args);
        run.expect(1, &format!("{vars:?} {args:?}"));
        assert_eq!(
            coloured(&run.stderr()),
            want,
            "{vars:?} {args:?}: {}",
            run.stderr()
        );
    }
    // On a terminal: colour, unless NO_COLOR, TERM=dumb or CLICOLOR=0 says no.
    for (vars, want) in [
        (&[("TERM", "xterm-256color")][..], true),
        (&[("TERM", "xterm-256color"), ("NO_COLOR", "1")], false),
        (&[("TERM", "dumb")], false),
        (&[("TERM", "xterm"), ("CLICOLOR", "0")], false),
        (&[("TERM", "dumb"), ("CLICOLOR_FORCE", "1")], true),
    ] {
        let printed = run_on_terminal(&project, vars, "upgrade");
        assert!(printed.contains("invalid-utf8"), "{vars:?}: {printed}");
        assert_eq!(coloured(&printed), want, "{vars:?}: {printed:?}");
    }
}

#[test]
fn help_completions_and_man_pages() {
    let project = Project::new();
    for command in [
        "init", "new", "merge", "stamp", "history", "heads", "branches", "sum", "check",
    ] {
        let run = project.run(&[command, "--help"]);
        run.expect(0, command);
        assert!(
            run.stdout().contains("Exit codes:"),
            "{command}: {}",
            run.stdout()
        );
    }
    let help = project.run(&["--help"]).stdout();
    for want in [
        "--color <WHEN>",
        "--format <FORMAT>",
        "--quiet",
        "NO_COLOR",
        "init",
        "stamp",
        "completions",
    ] {
        assert!(help.contains(want), "{want}: {help}");
    }
    for (shell, want) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef ddlc"),
        ("fish", "complete -c ddlc"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion"),
    ] {
        let run = project.run(&["completions", shell]);
        run.expect(0, shell);
        let script = run.stdout();
        assert!(script.contains(want), "{shell}: {script}");
        assert!(script.contains("stamp"), "{shell} completes the commands");
        assert_eq!(
            project.run(&["completions", shell]).0.stdout,
            run.0.stdout,
            "{shell} reproducible"
        );
    }
    let man = project.run(&["man"]);
    man.expect(0, "man");
    let page = man.stdout();
    assert!(page.contains(".TH ddlc 1"), "{page}");
    for want in ["init", "stamp", "\\-\\-color"] {
        assert!(page.contains(want), "{want}");
    }
    assert_eq!(project.run(&["man"]).0.stdout, man.0.stdout, "reproducible");
    let init = project.run(&["man", "init"]);
    init.expect(0, "man init");
    assert!(
        init.stdout().contains(&format!(
            ".TH ddlc-init 1  \"ddlc {}\"",
            env!("CARGO_PKG_VERSION")
        )),
        "{}",
        init.stdout()
    );
    assert!(
        init.stdout().contains("\\fBddlc init\\fR"),
        "{}",
        init.stdout()
    );
    assert!(init.stdout().contains("\\-\\-dialect"), "{}", init.stdout());
    let run = project.run(&["man", "nope"]);
    run.expect(2, "man nope");
    assert!(
        run.stderr().contains("no command `nope`"),
        "{}",
        run.stderr()
    );
}

/// Guards the repository's own lock: an edit of the example project that
/// forgot `cargo run -- sum` fails here with the fix in the message.
#[test]
fn the_example_projects_lock_is_current() {
    let root = crate::support::repo();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ddlc"))
        .args(["--project", root.as_str(), "check"])
        .output()
        .expect("run ddlc check");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "`ddlc check` fails on the example project; if migrations/ was edited on purpose, \
         run `cargo run -- sum` and commit migrations/ddlc.sum:\n{stderr}"
    );
    assert!(Path::new(&root.join("migrations/ddlc.sum")).is_file());
}

//! Naming conventions as SQLAlchemy applies them: a template that uses
//! `%(constraint_name)s` also names the constraints and indexes a migration
//! names (`foo` on `user_table` with `ck_%(table_name)s_%(constraint_name)s` is
//! `ck_user_table_foo`), drops find them by the same name, and `conv(name)` is
//! final. The expected names are what Alembic 1.20.1 with SQLAlchemy 2.1.9
//! printed offline (`alembic upgrade --sql`) for the same ops:
//! `op.create_check_constraint("foo", "user_table", ...)`,
//! `op.create_check_constraint(op.f("ck_final"), ...)`,
//! `op.drop_constraint("foo", "user_table", type_="check")`,
//! `op.create_index("myix", "user_table", ["x"])` with `ix = "ix_%(constraint_name)s"`.
//! The op fixture tests/fixtures/ops/naming_convention runs on the engines.

use crate::support::{repo, script};
use camino::Utf8PathBuf;
use ddlc::dialect::Dialect;
use ddlc::graph::Direction;

#[test]
fn given_names_go_through_the_convention_as_in_sqlalchemy() {
    let root = repo().join("tests/fixtures/ops/naming_convention");
    let sql =
        script(&root, Direction::Upgrade, "0001:0002", Dialect::PostgreSql).expect("compiles");
    for line in [
        // Alembic: ALTER TABLE user_table ADD CONSTRAINT ck_user_table_foo CHECK (x > 5);
        "ALTER TABLE user_table ADD CONSTRAINT ck_user_table_foo CHECK (x > 5);",
        // Alembic (op.f): ALTER TABLE user_table ADD CONSTRAINT ck_final CHECK (x > 5);
        "ALTER TABLE user_table ADD CONSTRAINT ck_final CHECK (y > 5);",
        // A name written in create_table goes through it too (SQLAlchemy: `ck_t3_pos`).
        "ALTER TABLE user_table DROP CONSTRAINT ck_user_table_x_positive;",
        // Alembic: ALTER TABLE user_table DROP CONSTRAINT ck_user_table_foo;
        "ALTER TABLE user_table DROP CONSTRAINT ck_user_table_foo;",
        // Alembic: CREATE INDEX ix_myix ON user_table (x);
        "CREATE INDEX ix_myix ON user_table (x);",
        // Alembic: DROP INDEX ix_myix; (here the index made in create_table)
        "DROP INDEX ix_by_y;",
    ] {
        assert!(sql.contains(line), "missing `{line}` in:\n{sql}");
    }
}

fn project(toml: &str, revisions: &[(&str, &str)]) -> (tempfile::TempDir, Utf8PathBuf) {
    let (dir, root) = crate::support::project(revisions);
    std::fs::write(
        root.join("ddlc.toml"),
        format!("[project]\nmigrations = \".\"\n\n{toml}"),
    )
    .expect("ddlc.toml");
    (dir, root)
}

const BASE: &str = r#"revision "0001"
revises  base
message  "t"

upgrade {
    create_table t {
        id : integer primary_key
        a  : integer
    }
    create_unique_constraint foo on t (a)
    create_check_constraint foo on t (a > 0)
}

downgrade auto
"#;

fn drop(op: &str) -> String {
    format!(
        "revision \"0002\"\nrevises  \"0001\"\nmessage  \"drop\"\n\nupgrade {{\n    {op}\n}}\n\ndowngrade auto\n"
    )
}

#[test]
fn a_drop_without_type_that_two_templates_fit_is_ambiguous() {
    let toml = "[naming_convention]\nuq = \"uq_%(constraint_name)s\"\nck = \"ck_%(table_name)s_%(constraint_name)s\"\n";
    let down = drop("drop_constraint foo on t");
    let (_d, root) = project(toml, &[("0001_t", BASE), ("0002_drop", &down)]);
    let err = script(&root, Direction::Upgrade, "head", Dialect::PostgreSql).unwrap_err();
    assert!(
        err.contains(
            "error[ambiguous-constraint]: `foo` on table `t` could be `uq_foo` or `ck_t_foo`"
        ),
        "{err}"
    );
    assert!(err.contains("0002_drop.mig:6:21"), "{err}");
    for (op, dropped) in [
        (
            "drop_constraint foo on t type unique",
            "DROP CONSTRAINT uq_foo;",
        ),
        (
            "drop_constraint foo on t type check",
            "DROP CONSTRAINT ck_t_foo;",
        ),
        (
            "drop_constraint conv(uq_foo) on t",
            "DROP CONSTRAINT uq_foo;",
        ),
    ] {
        let down = drop(op);
        let (_d, root) = project(toml, &[("0001_t", BASE), ("0002_drop", &down)]);
        let sql = script(&root, Direction::Upgrade, "head", Dialect::PostgreSql)
            .unwrap_or_else(|e| panic!("{op}: {e}"));
        assert!(sql.contains(dropped), "{op}:\n{sql}");
    }
}

#[test]
fn a_drop_cannot_fill_placeholders_other_than_table_and_name() {
    let toml =
        "[naming_convention]\nck = \"ck_%(table_name)s_%(column_0_name)s_%(constraint_name)s\"\n";
    let down = drop("drop_constraint foo on t type check");
    let (_d, root) = project(toml, &[("0001_t", BASE), ("0002_drop", &down)]);
    let err = script(&root, Direction::Upgrade, "head", Dialect::PostgreSql).unwrap_err();
    assert!(err.contains("error[naming-convention]"), "{err}");
    assert!(
        err.contains("uses `%(column_0_name)s`, which a drop does not know"),
        "{err}"
    );
    // Its full name, as conv(), drops it.
    let down = drop("drop_constraint conv(ck_t__foo) on t");
    let (_d, root) = project(toml, &[("0001_t", BASE), ("0002_drop", &down)]);
    let sql = script(&root, Direction::Upgrade, "head", Dialect::PostgreSql).expect("compiles");
    assert!(sql.contains("DROP CONSTRAINT ck_t__foo;"), "{sql}");
}

#[test]
fn conv_is_accepted_wherever_a_constraint_or_index_name_is() {
    let toml =
        "[naming_convention]\nuq = \"uq_%(constraint_name)s\"\nix = \"ix_%(constraint_name)s\"\n";
    let up = r#"revision "0001"
revises  base
message  "t"

upgrade {
    create_table t {
        id   : integer primary_key
        a    : integer check conv(a_positive) (a > 0)
        b    : integer
        c    : integer
        conv : integer
        unique conv(b_once) (b)
        unique conv (c)
        index conv(by_a) (a)
        check conv(sane) (b <> c)
    }
    create_index conv(by_b) on t (b)
    drop_index conv(by_b) on t
    drop_index conv(by_a)
}

downgrade auto
"#;
    let (_d, root) = project(toml, &[("0001_t", up)]);
    let sql = script(&root, Direction::Upgrade, "head", Dialect::PostgreSql).expect("compiles");
    for line in [
        "CONSTRAINT a_positive CHECK (a > 0)",
        "CONSTRAINT b_once UNIQUE (b)",
        // `unique conv (c)`: a constraint named `conv`, through the template.
        "CONSTRAINT uq_conv UNIQUE (c)",
        "CONSTRAINT sane CHECK (b <> c)",
        "CREATE INDEX by_a ON t (a);",
        "CREATE INDEX by_b ON t (b);",
        "DROP INDEX by_b;",
        "DROP INDEX by_a;",
    ] {
        assert!(sql.contains(line), "missing `{line}` in:\n{sql}");
    }
}

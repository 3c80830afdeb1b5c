//! `update_rows` and `delete_rows`: columns checked against the replayed model
//! (located, with a suggestion), and `downgrade auto` refused over them with
//! the op located. The op fixtures (tests/fixtures/ops/update_rows,
//! delete_rows) hold the SQL per dialect and run on the engines.

use crate::support::{project, script};
use ddlc::dialect::Dialect;
use ddlc::graph::Direction;

const BASE: &str = r#"revision "0001"
revises  base
message  "base"

upgrade {
    create_table setting {
        id    : integer     primary_key autoincrement
        key   : string(50)  not_null
        value : string(100)
        total : integer     computed (id * 2) stored
    }
}

downgrade auto
"#;

/// Revision 0002 with `upgrade` as its upgrade block and `downgrade` as written.
fn rev2(upgrade: &str, downgrade: &str) -> String {
    format!("revision \"0002\"\nrevises \"0001\"\nmessage \"data\"\n\nupgrade {{\n    {upgrade}\n}}\n\n{downgrade}\n")
}

fn upgrade_error(upgrade: &str) -> String {
    let (_dir, root) = project(&[("0001", BASE), ("0002", &rev2(upgrade, "downgrade { }"))]);
    script(&root, Direction::Upgrade, "0001:0002", Dialect::PostgreSql)
        .expect_err("the upgrade is refused")
}

#[test]
fn an_unknown_column_is_located_with_a_suggestion() {
    let e = upgrade_error("update_rows setting set valeu = 'x'");
    assert!(
        e.contains("error[unknown-column]: table `setting` has no column `valeu`"),
        "{e}"
    );
    assert!(e.contains("versions/0002.mig:6:29"), "{e}");
    assert!(e.contains("did you mean `value`?"), "{e}");
}

#[test]
fn columns_in_fragments_are_checked_too() {
    let e = upgrade_error("update_rows setting set value = (coalesce(vlue, 'x'))");
    assert!(e.contains("table `setting` has no column `vlue`"), "{e}");
    assert!(e.contains("did you mean `value`?"), "{e}");
    let e = upgrade_error("delete_rows setting where (kye = 'theme')");
    assert!(e.contains("table `setting` has no column `kye`"), "{e}");
    assert!(e.contains("versions/0002.mig:6:32"), "{e}");
    let e = upgrade_error("delete_rows settings");
    assert!(e.contains("error[unknown-table]"), "{e}");
}

#[test]
fn a_column_set_twice_or_a_generated_one_is_refused() {
    let e = upgrade_error("update_rows setting set value = 'a', value = 'b'");
    assert!(
        e.contains("error[duplicate-column]: column `value` is set twice"),
        "{e}"
    );
    let e = upgrade_error("update_rows setting set total = 1");
    assert!(e.contains("column `total` is generated"), "{e}");
}

#[test]
fn downgrade_auto_refuses_data_ops_and_a_written_one_compiles() {
    for op in [
        "update_rows setting set value = 'x' where (\"key\" = 'a')",
        "delete_rows setting",
    ] {
        let (_dir, root) = project(&[("0001", BASE), ("0002", &rev2(op, "downgrade auto"))]);
        let e = script(&root, Direction::Downgrade, "0002:0001", Dialect::MySql)
            .expect_err("downgrade auto is refused");
        let name = op.split(' ').next().unwrap_or_default();
        assert!(
            e.contains(&format!(
                "error[irreversible-op]: `downgrade auto` cannot invert `{name}`"
            )),
            "{e}"
        );
        assert!(e.contains("versions/0002.mig:6:5"), "{e}");
        assert!(e.contains("write the inverse by hand"), "{e}");
        let written = rev2(op, "downgrade {\n    delete_rows setting\n}");
        let (_dir, root) = project(&[("0001", BASE), ("0002", &written)]);
        let down = script(&root, Direction::Downgrade, "0002:0001", Dialect::MySql)
            .expect("a written downgrade compiles");
        assert!(down.contains("DELETE FROM setting;"), "{down}");
    }
}

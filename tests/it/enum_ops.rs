//! `add_enum_value`, `rename_enum_value`, `drop_enum_value`: what the model
//! refuses, located (the SQL per dialect is in the op fixtures, which the
//! engine suite runs with rows).

use crate::support::{project, script};
use ddlc::dialect::Dialect;
use ddlc::graph::Direction;

const BASE: &str = r#"revision "0001"
revises  base
message  "base"

upgrade {
    create_table ticket {
        id    : integer primary_key autoincrement
        state : enum(ticket_state: 'open', 'closed') not_null default 'open'
    }
}

downgrade auto
"#;

fn upgrade_error(upgrade: &str) -> String {
    let rev = format!(
        "revision \"0002\"\nrevises \"0001\"\nmessage \"enum\"\n\nupgrade {{\n    {upgrade}\n}}\n\ndowngrade auto\n"
    );
    let (_dir, root) = project(&[("0001", BASE), ("0002", &rev)]);
    script(&root, Direction::Upgrade, "0001:0002", Dialect::PostgreSql)
        .expect_err("the upgrade is refused")
}

#[test]
fn unknown_enums_and_values_are_located_with_suggestions() {
    let e = upgrade_error("add_enum_value ticket_stat 'x'");
    assert!(
        e.contains("error[unknown-enum]: no column uses an enum type `ticket_stat`"),
        "{e}"
    );
    assert!(e.contains("versions/0002.mig:6:20"), "{e}");
    assert!(e.contains("did you mean `ticket_state`?"), "{e}");
    let e = upgrade_error("add_enum_value ticket_state 'x' after 'opne'");
    assert!(e.contains("enum `ticket_state` has no value 'opne'"), "{e}");
    assert!(e.contains("versions/0002.mig:6:43"), "{e}");
    assert!(e.contains("did you mean `open`?"), "{e}");
    let e = upgrade_error("rename_enum_value ticket_state 'clsed' -> 'done'");
    assert!(e.contains("has no value 'clsed'"), "{e}");
}

#[test]
fn duplicates_the_last_value_and_a_default_are_refused() {
    let e = upgrade_error("add_enum_value ticket_state 'open'");
    assert!(
        e.contains("error[duplicate-enum-value]: enum `ticket_state` already has the value 'open'"),
        "{e}"
    );
    let e = upgrade_error("rename_enum_value ticket_state 'open' -> 'closed'");
    assert!(e.contains("already has the value 'closed'"), "{e}");
    let e = upgrade_error("drop_enum_value ticket_state 'open'");
    assert!(
        e.contains("error[enum-value-in-use]: column `ticket.state` defaults to 'open'"),
        "{e}"
    );
    let e = upgrade_error(
        "drop_enum_value ticket_state 'closed'\n    alter_column ticket.state drop_default\n    drop_enum_value ticket_state 'open'",
    );
    assert!(
        e.contains("'open' is the only value of enum `ticket_state`"),
        "{e}"
    );
}

#[test]
fn later_columns_use_the_new_values() {
    // A column added after the change must give the enum its new values.
    let e = upgrade_error(
        "add_enum_value ticket_state 'held'\n    add_column ticket.prev : enum(ticket_state: 'open', 'closed')",
    );
    assert!(e.contains("error[enum-mismatch]"), "{e}");
    assert!(e.contains("'open', 'closed', 'held'"), "{e}");
}

#[test]
fn an_enum_of_tables_in_a_schema_is_named_with_it() {
    let base = r#"revision "0001"
revises  base
message  "base"

upgrade {
    create_table billing.inv {
        id : integer primary_key
        st : enum(inv_state: 'a', 'b') default 'a'
    }
}

downgrade auto
"#;
    let rev = |op: &str| {
        format!("revision \"0002\"\nrevises \"0001\"\nmessage \"enum\"\n\nupgrade {{\n    {op}\n}}\n\ndowngrade auto\n")
    };
    let (_dir, root) = project(&[
        ("0001", base),
        ("0002", &rev("drop_enum_value inv_state 'b'")),
    ]);
    let e = script(&root, Direction::Upgrade, "0001:0002", Dialect::PostgreSql)
        .expect_err("the bare name is refused");
    assert!(
        e.contains("named with the schema of the tables that use it: `billing.inv_state`"),
        "{e}"
    );
    let (_dir, root) = project(&[
        ("0001", base),
        ("0002", &rev("drop_enum_value billing.inv_state 'b'")),
    ]);
    let up = script(&root, Direction::Upgrade, "0001:0002", Dialect::PostgreSql).expect("compiles");
    // The type is spelled as create_type spells it (unqualified).
    assert!(up.contains("ALTER TABLE billing.inv ALTER COLUMN st TYPE _ddlc_tmp_inv_state USING st::text::_ddlc_tmp_inv_state;"), "{up}");
    assert!(up.contains("DROP TYPE inv_state;"), "{up}");
}

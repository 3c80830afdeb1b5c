//! Every op on every dialect: each folder of tests/fixtures/ops is a base
//! revision plus one revision using the op; its upgrade and downgrade scripts
//! (or the located error a dialect gives instead) are snapshotted per dialect.
//! The engine suite (tests/engines) runs the same folders on real engines.

use crate::support::{folders, repo, script};
use ddlc::dialect::Dialect;
use ddlc::graph::Direction;

#[test]
fn every_op_on_every_dialect() {
    let cases = folders(&repo().join("tests/fixtures/ops"));
    assert!(
        cases.len() >= 25,
        "expected the op fixtures, found {}",
        cases.len()
    );
    for case in cases {
        let name = case.file_name().expect("folder name").to_string();
        for dialect in Dialect::ALL {
            let up = script(&case, Direction::Upgrade, "0001:0002", dialect);
            let down = script(&case, Direction::Downgrade, "0002:0001", dialect);
            let text = match (&up, &down) {
                (Ok(up), Ok(down)) => {
                    format!("{up}\n\n======== downgrade 0002:0001 ========\n\n{down}\n")
                }
                (Err(e), _) | (_, Err(e)) => format!("REJECTED\n\n{e}"),
            };
            insta::with_settings!({
                snapshot_path => "../../snapshots/ops",
                prepend_module_to_snapshot => false,
                omit_expression => true,
                description => format!("{name} on {dialect}: upgrade 0001:0002, then downgrade 0002:0001"),
            }, {
                insta::assert_snapshot!(format!("{name}@{dialect}"), text);
            });
        }
    }
}

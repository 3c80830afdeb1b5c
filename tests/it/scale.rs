//! Cost per op stays flat: 20,000 `add_column` on one table, upgrade and the
//! derived downgrade, well inside a bound that a quadratic step (a copy of
//! the table per op, a scan of the revision per derived op) would break by
//! far: before those were removed this took 68 s and 78 s in a release
//! build. Figures are measured with bench/one_table.sh, not here.

use crate::support::{project, script};
use ddlc::dialect::Dialect;
use ddlc::graph::Direction;
use std::time::{Duration, Instant};

#[test]
fn twenty_thousand_ops_on_one_table_compile_in_linear_time() {
    let mut mig = String::from(
        "revision \"0001\"\nrevises  base\nmessage  \"wide\"\n\nupgrade {\n    create_table wide {\n        id : integer primary_key autoincrement\n    }\n",
    );
    for i in 0..20_000 {
        mig.push_str(&format!("    add_column wide.c{i} : string(20)\n"));
    }
    mig.push_str("}\n\ndowngrade auto\n");
    let (_dir, root) = project(&[("0001_wide", &mig)]);
    let started = Instant::now();
    for dialect in [Dialect::PostgreSql, Dialect::Sqlite] {
        let up = script(&root, Direction::Upgrade, "head", dialect).expect("upgrade");
        assert_eq!(up.matches("ADD COLUMN c").count(), 20_000);
        let down = script(&root, Direction::Downgrade, "head:base", dialect).expect("downgrade");
        assert_eq!(down.matches("DROP COLUMN c").count(), 20_000);
    }
    let took = started.elapsed();
    assert!(took < Duration::from_secs(120), "took {took:?}");
}

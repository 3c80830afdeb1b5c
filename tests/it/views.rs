//! Views over a table that changes: the op fixture
//! tests/fixtures/ops/view_survives_rebuild changes the table of two views
//! (a change SQLite makes by rebuilding the table, and a drop of a column the
//! views do not read), and the views still answer, with the rows, after the
//! upgrade, the derived downgrade and the upgrade again, on PostgreSQL,
//! MariaDB (when their variables are set) and SQLite. The engine suite
//! compares the schemas; this reads through the views.

use crate::engine_db::EngineDb;
use crate::support::{repo, script};
use ddlc::dialect::Dialect;
use ddlc::graph::Direction;

#[test]
fn views_answer_after_a_rebuild_and_a_column_drop_on_every_engine() {
    let root = repo().join("tests/fixtures/ops/view_survives_rebuild");
    for dialect in [Dialect::PostgreSql, Dialect::MariaDb, Dialect::Sqlite] {
        let Some(db) = EngineDb::fresh(dialect.name()) else {
            continue;
        };
        let run = |direction, range| {
            let sql = script(&root, direction, range, dialect)
                .unwrap_or_else(|e| panic!("{dialect} {range}: {e}"));
            db.run(&sql);
        };
        let through_views = || {
            let rich = db.run("SELECT name FROM rich_names;");
            let all = db.run("SELECT count(*) FROM account_names WHERE name IS NOT NULL;");
            (rich, all)
        };
        let answer = ("Bob".to_string(), "2".to_string());
        run(Direction::Upgrade, "0001");
        assert_eq!(through_views(), answer, "{dialect}: at 0001");
        run(Direction::Upgrade, "0001:0002");
        assert_eq!(through_views(), answer, "{dialect}: after the upgrade");
        run(Direction::Downgrade, "0002:0001");
        assert_eq!(through_views(), answer, "{dialect}: after the downgrade");
        run(Direction::Upgrade, "0001:0002");
        assert_eq!(
            through_views(),
            answer,
            "{dialect}: after the upgrade again"
        );
    }
}

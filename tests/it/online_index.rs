//! Online index builds and drops (`mysql.algorithm` / `mysql.lock`,
//! `mssql.online`, `oracle.online`): the SQL each dialect gets, run up and
//! down on MariaDB, parsed by sqlparser where no engine runs here.

use crate::engine_db::EngineDb;
use crate::support::{project, script};
use ddlc::dialect::Dialect;
use ddlc::graph::Direction;
use sqlparser::dialect::{GenericDialect, MySqlDialect};
use sqlparser::parser::Parser;

const BASE: &str = "revision \"0001\"\nrevises  base\nmessage  \"t\"\n\nupgrade {\n    create_table t {\n        id : integer primary_key\n        c : integer\n    }\n}\n\ndowngrade auto\n";

const ONLINE: &str = "revision \"0002\"\nrevises  \"0001\"\nmessage  \"ix\"\n\nupgrade {\n    create_index ix_t_c on t (c) mysql.algorithm = inplace mysql.lock = none mssql.online = true oracle.online = true\n    create_index ix_t_d on t (id, c) mssql.clustered = true\n    drop_index ix_t_d mysql.lock = none mssql.online = true oracle.online = true\n}\n\ndowngrade auto\n";

/// The index statements of a script, comments and `GO` lines left out.
fn index_lines(sql: &str) -> Vec<String> {
    sql.lines()
        .filter(|l| l.contains(" INDEX "))
        .filter(|l| !l.starts_with("--"))
        .map(|l| l.trim_end_matches(';').to_string())
        .collect()
}

fn scripts(dialect: Dialect) -> (String, String) {
    let (_dir, root) = project(&[("0001", BASE), ("0002", ONLINE)]);
    let up = script(&root, Direction::Upgrade, "0001:0002", dialect).expect("upgrade");
    let down = script(&root, Direction::Downgrade, "0002:0001", dialect).expect("downgrade");
    (up, down)
}

#[test]
fn each_dialect_spells_an_online_build_and_drop() {
    let lines = |d| {
        let (up, down) = scripts(d);
        (index_lines(&up), index_lines(&down))
    };
    let (up, down) = lines(Dialect::MySql);
    assert_eq!(
        up,
        [
            "CREATE INDEX ix_t_c ON t (c) ALGORITHM=INPLACE LOCK=NONE",
            "CREATE INDEX ix_t_d ON t (id, c)",
            "ALTER TABLE t DROP INDEX ix_t_d, LOCK=NONE",
        ]
    );
    // The downgrade drops what was built online online too.
    assert_eq!(
        down.last().unwrap(),
        "ALTER TABLE t DROP INDEX ix_t_c, ALGORITHM=INPLACE, LOCK=NONE"
    );
    assert_eq!(lines(Dialect::MariaDb), (up, down));
    let (up, down) = lines(Dialect::MsSql);
    assert_eq!(
        up,
        [
            "CREATE INDEX ix_t_c ON t (c) WITH (ONLINE = ON)",
            "CREATE CLUSTERED INDEX ix_t_d ON t (id, c)",
            "DROP INDEX ix_t_d ON t WITH (ONLINE = ON)",
        ]
    );
    // A nonclustered index is never dropped online (Msg 3745).
    assert_eq!(down.last().unwrap(), "DROP INDEX ix_t_c ON t");
    let (up, _) = lines(Dialect::Oracle);
    assert_eq!(
        up,
        [
            "CREATE INDEX ix_t_c ON t (c) ONLINE",
            "CREATE INDEX ix_t_d ON t (id, c)",
            "DROP INDEX ix_t_d ONLINE",
        ]
    );
    // Nothing of it reaches PostgreSQL.
    let (up, _) = lines(Dialect::PostgreSql);
    assert_eq!(up[0], "CREATE INDEX ix_t_c ON t (c)");
}

/// sqlparser 0.63 reads MySQL's clauses. Its T-SQL grammar has no index
/// `WITH (...)`, so SQL Server's build is read by its generic grammar (as
/// index parameters); Oracle's `ONLINE` it reads nowhere, and CLUSTERED
/// neither: those are checked above string for string against the vendors'
/// syntax (docs/dsl.md cites it).
#[test]
fn sqlparser_reads_the_online_clauses() {
    let (up, down) = scripts(Dialect::MySql);
    for line in index_lines(&up).into_iter().chain(index_lines(&down)) {
        if let Err(e) = Parser::parse_sql(&MySqlDialect {}, &line) {
            panic!("mysql: sqlparser cannot parse `{line}`: {e}");
        }
    }
    let (up, _) = scripts(Dialect::MsSql);
    let line = &index_lines(&up)[0];
    let parsed = Parser::parse_sql(&GenericDialect {}, line).expect("WITH (ONLINE = ON)");
    assert!(
        parsed[0].to_string().contains("WITH (ONLINE = ON)"),
        "{line}"
    );
}

#[test]
fn mariadb_runs_the_online_build_and_drop_up_and_down() {
    let Some(db) = EngineDb::fresh("mariadb") else {
        return;
    };
    let (_dir, root) = project(&[("0001", BASE), ("0002", ONLINE)]);
    let up = script(&root, Direction::Upgrade, "base:0002", Dialect::MariaDb).expect("upgrade");
    db.run(&up);
    let indexes = "SELECT GROUP_CONCAT(DISTINCT index_name ORDER BY index_name) FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 't'";
    assert_eq!(db.run(indexes), "ix_t_c,PRIMARY");
    let down =
        script(&root, Direction::Downgrade, "0002:0001", Dialect::MariaDb).expect("downgrade");
    db.run(&down);
    assert_eq!(db.run(indexes), "PRIMARY");
}

#[test]
fn a_bad_lock_value_is_refused_where_it_is_written() {
    let bad = ONLINE.replace("mysql.lock = none", "mysql.lock = nolock");
    let (_dir, root) = project(&[("0001", BASE), ("0002", &bad)]);
    let err = script(&root, Direction::Upgrade, "0001:0002", Dialect::MySql).unwrap_err();
    assert!(err.contains("mysql.lock"), "{err}");
    // An option of create_index alone is not one of drop_index.
    let bad = ONLINE.replace(
        "drop_index ix_t_d",
        "drop_index ix_t_d mysql.prefix = fulltext",
    );
    let (_dir, root) = project(&[("0001", BASE), ("0002", &bad)]);
    let err = script(&root, Direction::Upgrade, "0001:0002", Dialect::MySql).unwrap_err();
    assert!(err.contains("unknown option `mysql.prefix`"), "{err}");
}

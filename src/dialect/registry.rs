//! The one place a dialect is matched to its rules.

use super::rules::Rules;
use super::{mariadb, mssql, mysql, oracle, postgresql, sqlite, Dialect};

impl Dialect {
    /// What the dialect does. This exhaustive match is where a per-dialect
    /// table is clearest: it is the one place a dialect meets its file, so
    /// adding a dialect adds one arm here (and the compiler points to it).
    pub fn rules(self) -> &'static dyn Rules {
        match self {
            Dialect::PostgreSql => &postgresql::PostgreSql,
            Dialect::MySql => &mysql::MySql,
            Dialect::MariaDb => &mariadb::MariaDb,
            Dialect::Sqlite => &sqlite::Sqlite,
            Dialect::MsSql => &mssql::MsSql,
            Dialect::Oracle => &oracle::Oracle,
        }
    }
}

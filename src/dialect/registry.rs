//! The one place a dialect is matched to its rules.

use super::rules::Rules;
use super::{mariadb, mssql, mysql, oracle, postgresql, sqlite, Dialect};

impl Dialect {
    /// What the dialect does. This exhaustive match is the one per-dialect
    /// table outside the dialect files: adding a dialect adds its arm here,
    /// and the compiler finds no other.
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

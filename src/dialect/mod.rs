//! The six target dialects: the closed [`Dialect`] set, its names, its parent
//! relation and the `<dialect>.<key>` option tables. What each dialect does
//! lives in its own file (`postgresql.rs`, `mysql.rs`, ...), as an
//! implementation of [`Rules`], reached through [`Dialect::rules`]
//! (`registry.rs`); quoting and escaping built on those rules are in `quote.rs`.
//!
//! Lowering asks `dialect.rules().x()`, never `dialect == Sqlite`, so that a
//! difference between engines is written down once, in its dialect's file,
//! with its reason.

use indexmap::IndexMap;
use std::fmt;
use std::str::FromStr;

pub mod client;
mod mariadb;
mod mssql;
mod mysql;
mod oracle;
mod postgresql;
mod quote;
mod registry;
mod rules;
mod set;
mod sqlite;
#[cfg(test)]
mod tests;

pub use client::Client;
pub use rules::{common_type, enum_as_string, NextVal, NoType, Rules, SqlType, TypeCheck};
pub use set::DialectSet;

/// A target SQL dialect. A closed set: an exhaustive `match` shows every place a
/// new dialect must be handled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum)]
pub enum Dialect {
    /// PostgreSQL 12+.
    #[value(name = "postgresql")]
    PostgreSql,
    /// MySQL 8.0+.
    #[value(name = "mysql")]
    MySql,
    /// MariaDB 10.11+ (falls back to MySQL's templates where they agree).
    #[value(name = "mariadb")]
    MariaDb,
    /// SQLite 3.35+.
    #[value(name = "sqlite")]
    Sqlite,
    /// Microsoft SQL Server 2016+.
    #[value(name = "mssql")]
    MsSql,
    /// Oracle Database 12.2+.
    #[value(name = "oracle")]
    Oracle,
}

impl Dialect {
    /// The dialect a project targets when ddlc.toml names none (as `ddlc init` writes it).
    pub const DEFAULT: Dialect = Dialect::PostgreSql;

    /// Every dialect, in the order used for snapshots and reports.
    pub const ALL: [Dialect; 6] = [
        Dialect::PostgreSql,
        Dialect::MySql,
        Dialect::MariaDb,
        Dialect::Sqlite,
        Dialect::MsSql,
        Dialect::Oracle,
    ];

    /// The one name used on the CLI, in `execute <dialect> {..}`, template folders and snapshot names.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::PostgreSql => "postgresql",
            Dialect::MySql => "mysql",
            Dialect::MariaDb => "mariadb",
            Dialect::Sqlite => "sqlite",
            Dialect::MsSql => "mssql",
            Dialect::Oracle => "oracle",
        }
    }

    /// Template folders to search, most specific first: the dialect's own,
    /// its parent's (see [`Dialect::parent`]), then `common`.
    pub fn template_chain(self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.name())
            .chain(self.parent().map(Dialect::name))
            .chain(std::iter::once("common"))
    }

    /// The dialect whose settings this one takes where it has none of its own.
    /// MariaDB is MySQL-compatible, so `mysql.*` options, `variant mysql` types
    /// and `execute { mysql ... }` bodies reach it unless a `mariadb` one is given
    /// (as SQLAlchemy's `mysql_*` options reach its MariaDB dialect).
    pub fn parent(self) -> Option<Dialect> {
        match self {
            Dialect::MariaDb => Some(Dialect::MySql),
            _ => None,
        }
    }

    /// `map`'s entry for this dialect, else its parent's.
    pub fn pick<T>(self, map: &IndexMap<Dialect, T>) -> Option<&T> {
        map.get(&self)
            .or_else(|| self.parent().and_then(|p| map.get(&p)))
    }

    /// The `<dialect>.<key>` options an op accepts on this dialect (its own and
    /// its parent's), with what each value may be.
    pub fn options(self, of: OptionsOf) -> impl Iterator<Item = (&'static str, OptionValue)> {
        let table = match of {
            OptionsOf::Table => TABLE_OPTIONS,
            OptionsOf::Index => INDEX_OPTIONS,
            OptionsOf::DropIndex => DROP_INDEX_OPTIONS,
        };
        table
            .iter()
            .filter(move |(d, _, _)| *d == self || Some(*d) == self.parent())
            .map(|(_, key, value)| (*key, *value))
    }
}

/// Characters that end a line for some client or editor.
pub fn is_line_break(c: char) -> bool {
    // Vertical tab, form feed, NEL and the Unicode separators are line breaks
    // to some editors and clients; treat them like `\n` to be safe.
    matches!(
        c,
        '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Dialect {
    type Err = String;
    fn from_str(s: &str) -> Result<Dialect, String> {
        Dialect::ALL
            .into_iter()
            .find(|d| d.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Dialect::ALL.iter().map(|d| d.name()).collect();
                format!(
                    "unknown dialect `{s}` (expected one of: {})",
                    names.join(", ")
                )
            })
    }
}

/// Which op a `<dialect>.<key>` option is written on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionsOf {
    /// `create_table` (inside the table block).
    Table,
    /// `create_index` and `index` items of a table block.
    Index,
    /// `drop_index`.
    DropIndex,
}

/// What an option's value may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionValue {
    /// Any text (a name the engine checks: engine, charset, tablespace).
    Any,
    /// One of these keywords, in any case; kept in the case listed here.
    OneOf(&'static [&'static str]),
    /// A SQL expression (a per-dialect partial index `where`), checked by sqlparser.
    Expr,
    /// Comma-separated column names (a per-dialect `include`).
    Names,
}

const BOOL: OptionValue = OptionValue::OneOf(&["true", "false"]);

/// Options of `create_table`, per dialect. MariaDB takes MySQL's (`parent`).
const TABLE_OPTIONS: &[(Dialect, &str, OptionValue)] = &[
    (Dialect::MySql, "engine", OptionValue::Any),
    (Dialect::MySql, "charset", OptionValue::Any),
    (Dialect::MySql, "collate", OptionValue::Any),
    (Dialect::MySql, "row_format", OptionValue::Any),
    (Dialect::Sqlite, "strict", BOOL),
    (Dialect::Sqlite, "without_rowid", BOOL),
    (Dialect::Sqlite, "autoincrement", BOOL),
    (Dialect::PostgreSql, "tablespace", OptionValue::Any),
    (Dialect::PostgreSql, "unlogged", BOOL),
    (Dialect::Oracle, "tablespace", OptionValue::Any),
];

/// Options of indexes, per dialect. `where` / `include` are Alembic's
/// `postgresql_where`, `sqlite_where`, `mssql_where`, `postgresql_include`,
/// `mssql_include`: on that dialect they replace the portable `where` / `include`.
const INDEX_OPTIONS: &[(Dialect, &str, OptionValue)] = &[
    (
        Dialect::PostgreSql,
        "using",
        OptionValue::OneOf(&["btree", "hash", "gist", "spgist", "gin", "brin"]),
    ),
    (Dialect::PostgreSql, "tablespace", OptionValue::Any),
    (Dialect::PostgreSql, "where", OptionValue::Expr),
    (Dialect::PostgreSql, "include", OptionValue::Names),
    (
        Dialect::MySql,
        "prefix",
        OptionValue::OneOf(&["fulltext", "spatial"]),
    ),
    (
        Dialect::MySql,
        "using",
        OptionValue::OneOf(&["btree", "hash"]),
    ),
    (Dialect::Sqlite, "where", OptionValue::Expr),
    (Dialect::Sqlite, "include", OptionValue::Names),
    (Dialect::MsSql, "clustered", BOOL),
    (Dialect::MsSql, "where", OptionValue::Expr),
    (Dialect::MsSql, "include", OptionValue::Names),
    (Dialect::MySql, "algorithm", ALGORITHM),
    (Dialect::MySql, "lock", LOCK),
    (Dialect::MsSql, "online", BOOL),
    (Dialect::Oracle, "bitmap", BOOL),
    (Dialect::Oracle, "tablespace", OptionValue::Any),
    (Dialect::Oracle, "online", BOOL),
];

/// MySQL's and MariaDB's `ALGORITHM=` of an index build or drop (`instant`
/// and `nocopy` are MariaDB's; MySQL refuses them on indexes).
const ALGORITHM: OptionValue =
    OptionValue::OneOf(&["default", "inplace", "copy", "nocopy", "instant"]);
/// MySQL's and MariaDB's `LOCK=`: what the build lets others do meanwhile.
const LOCK: OptionValue = OptionValue::OneOf(&["default", "none", "shared", "exclusive"]);

/// Options of `drop_index`, per dialect: how the drop locks the table. SQL
/// Server drops only a clustered index online.
const DROP_INDEX_OPTIONS: &[(Dialect, &str, OptionValue)] = &[
    (Dialect::MySql, "algorithm", ALGORITHM),
    (Dialect::MySql, "lock", LOCK),
    (Dialect::MsSql, "online", BOOL),
    (Dialect::Oracle, "online", BOOL),
];

/// How an engine counts the length of a name, and its limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameLimit {
    /// At most this many bytes of UTF-8 (PostgreSQL's NAMEDATALEN - 1, Oracle 12.2+).
    Bytes(usize),
    /// At most this many characters (MySQL, MariaDB, SQL Server).
    Chars(usize),
    /// No practical limit (SQLite).
    None,
}

//! SQLite 3.35+.

use super::rules::{common_type, NoType, Rules, SqlType};
use super::{Client, Dialect, NameLimit};
use crate::ir::{Column, DefaultValue, TypeKind};

/// SQLite's rules.
pub struct Sqlite;

impl Rules for Sqlite {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }
    fn max_ident_len(&self) -> usize {
        1024
    }
    fn name_limit(&self) -> NameLimit {
        NameLimit::None
    }
    fn client(&self) -> Client {
        Client::Sqlite3
    }
    // https://www.sqlite.org/lang_keywords.html
    fn reserved_words(&self) -> &'static str {
        include_str!("reserved/sqlite.txt")
    }
    fn sqlparser(&self) -> Box<dyn sqlparser::dialect::Dialect> {
        Box::new(sqlparser::dialect::SQLiteDialect {})
    }

    fn brackets_quote_names(&self) -> bool {
        true
    }

    fn column_type(&self, kind: &TypeKind) -> Result<SqlType, NoType> {
        match kind {
            TypeKind::String(None) => Ok(SqlType::plain("VARCHAR")),
            _ => common_type(kind),
        }
    }

    fn parenthesize_default_expr(&self) -> bool {
        true
    }
    fn sequences(&self) -> bool {
        false
    }
    // No CREATE OR REPLACE VIEW: DROP VIEW and CREATE VIEW.
    fn replaces_view_in_place(&self) -> bool {
        false
    }
    // Functions are registered by each connection (sqlite3_create_function),
    // not stored in the database; it has triggers.
    fn stored_routines(&self) -> bool {
        false
    }
    // `INTEGER PRIMARY KEY [AUTOINCREMENT]`: the rowid has neither start nor step.
    fn identity_is_rowid(&self) -> bool {
        true
    }
    fn identity_takes_increment(&self) -> bool {
        false
    }
    fn identity_takes_start(&self) -> bool {
        false
    }

    /// STRICT tables take only these types (sqlite.org/stricttables.html).
    fn strict_table_takes(&self, sql_type: &str) -> bool {
        let base = sql_type
            .split('(')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_uppercase();
        ["INT", "INTEGER", "REAL", "TEXT", "BLOB", "ANY"].contains(&base.as_str())
    }
    /// ADD COLUMN refuses these (lang_altertable.html#altertabaddcol).
    fn add_column_rebuilds(&self, col: &Column) -> bool {
        let not_null_without_default =
            !col.nullable && col.default.is_none() && col.computed.is_none();
        let non_constant_default = matches!(
            col.default,
            Some(
                DefaultValue::CurrentTimestamp | DefaultValue::CurrentDate | DefaultValue::Expr(_)
            )
        );
        let stored = col.computed.as_ref().is_some_and(|c| c.stored);
        not_null_without_default || non_constant_default || stored || col.identity.is_some()
    }
    // https://www.sqlite.org/lang_altertable.html#otheralter
    fn alter_column_rebuilds(&self) -> bool {
        true
    }
    fn comments_stored(&self) -> bool {
        false
    }

    fn alter_constraints(&self) -> bool {
        false
    }
    fn deferrable_fk(&self) -> bool {
        true
    }
    // Attached databases cannot reference each other.
    fn fk_same_schema_only(&self) -> bool {
        true
    }

    fn index_if_not_exists(&self) -> bool {
        true
    }
    fn partial_index(&self) -> bool {
        true
    }

    // AUTOINCREMENT keeps its counters in `sqlite_sequence`.
    fn internal_table(&self, name: &str) -> bool {
        name.starts_with("sqlite_")
    }
}

//! Microsoft SQL Server 2016+.

use super::rules::{common_type, NextVal, NoType, Rules, SqlType, NSTRING_LENGTH};
use super::{Client, Dialect, NameLimit};
use crate::ir::TypeKind;

/// SQL Server's rules.
pub struct MsSql;

impl Rules for MsSql {
    fn dialect(&self) -> Dialect {
        Dialect::MsSql
    }
    // Offline (the default) holds a schema lock for the whole build;
    // `WITH (ONLINE = ON)` needs Enterprise (or Azure SQL).
    fn online_index(&self) -> Option<(&'static str, &'static str)> {
        Some(("online", "true"))
    }
    // Msg 3745: only a clustered index can be dropped online.
    fn online_drop_needs_clustered(&self) -> bool {
        true
    }
    fn max_ident_len(&self) -> usize {
        128
    }
    fn name_limit(&self) -> NameLimit {
        NameLimit::Chars(128)
    }
    fn client(&self) -> Client {
        Client::Sqlcmd
    }
    fn reserved_words(&self) -> &'static str {
        include_str!("reserved/mssql.txt")
    }
    fn sqlparser(&self) -> Box<dyn sqlparser::dialect::Dialect> {
        Box::new(sqlparser::dialect::MsSqlDialect {})
    }

    fn quote(&self) -> (char, char) {
        ('[', ']')
    }
    // `N'..'` keeps non-ASCII text (NVARCHAR); a plain literal is VARCHAR.
    fn national_strings(&self) -> bool {
        true
    }
    fn concat(&self) -> &'static str {
        " + "
    }
    fn char_expr(&self, code: u32) -> String {
        match code {
            128.. => format!("NCHAR({code})"),
            _ => format!("CHAR({code})"),
        }
    }
    fn brackets_quote_names(&self) -> bool {
        true
    }
    fn hash_in_names(&self) -> bool {
        true
    }

    fn column_type(&self, kind: &TypeKind) -> Result<SqlType, NoType> {
        use TypeKind as K;
        Ok(SqlType::plain(match kind {
            K::Boolean => "BIT".into(),
            K::Text => "VARCHAR(max)".into(),
            // NTEXT is deprecated since SQL Server 2005: NVARCHAR(max) replaces it.
            K::NText => "NVARCHAR(max)".into(),
            K::NString(Some(n)) => format!("NVARCHAR({n})"),
            K::NString(None) => return Err(NSTRING_LENGTH),
            K::Double => "FLOAT(53)".into(),
            K::Timestamp { tz: false } => "DATETIME2".into(),
            K::Timestamp { tz: true } => "DATETIMEOFFSET".into(),
            K::Uuid => "UNIQUEIDENTIFIER".into(),
            K::Json => "NVARCHAR(max)".into(),
            K::Binary(Some(n)) => format!("VARBINARY({n})"),
            K::Binary(None) => "VARBINARY(max)".into(),
            _ => return common_type(kind),
        }))
    }
    fn national_string_types(&self) -> bool {
        true
    }
    fn native_uuid(&self) -> bool {
        true
    }
    fn type_checks_by_name(&self) -> bool {
        true
    }

    fn named_defaults(&self) -> bool {
        true
    }
    fn default_constraint_name(&self, table: &str, column: &str) -> Option<String> {
        Some(format!("DF_{table}_{column}"))
    }
    // WITH NOCHECK ADD CONSTRAINT, WITH CHECK CHECK CONSTRAINT.
    // DROP CONSTRAINT IF EXISTS since SQL Server 2016.
    fn drop_constraint_if_exists(&self) -> bool {
        true
    }
    fn not_valid_constraints(&self) -> bool {
        true
    }
    fn nextval(&self) -> Option<NextVal> {
        Some(NextVal::NextValueFor)
    }
    // IDENTITY is fixed when a column is created: ALTER COLUMN cannot add,
    // drop or change it.
    fn alter_identity(&self) -> &'static [&'static str] {
        &[]
    }
    fn identity_insert(&self) -> bool {
        true
    }
    // The limit of a table value constructor.
    fn insert_rows_per_statement(&self) -> usize {
        1000
    }

    // Only the DROP side has IF EXISTS.
    fn table_if_not_exists(&self) -> bool {
        false
    }
    fn column_if_exists(&self) -> bool {
        true
    }
    fn alter_column_restates_type(&self) -> bool {
        true
    }
    fn column_dependents_block_alter(&self) -> bool {
        true
    }

    fn fk_restrict(&self) -> bool {
        false
    }

    fn partial_index(&self) -> bool {
        true
    }
    fn index_include(&self) -> bool {
        true
    }
    fn expression_index(&self) -> bool {
        false
    }
}

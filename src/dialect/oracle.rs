//! Oracle Database 12.2+ (128-byte identifiers).

use super::rules::{
    common_type, enum_as_string, NextVal, NoType, Rules, SqlType, TypeCheck, NSTRING_LENGTH,
};
use super::{Client, Dialect, NameLimit};
use crate::ir::TypeKind;

/// Oracle's rules.
pub struct Oracle;

impl Rules for Oracle {
    fn dialect(&self) -> Dialect {
        Dialect::Oracle
    }
    // Without ONLINE, CREATE INDEX locks out DML for the whole build.
    fn online_index(&self) -> Option<(&'static str, &'static str)> {
        Some(("online", "true"))
    }
    fn max_ident_len(&self) -> usize {
        128
    }
    fn name_limit(&self) -> NameLimit {
        NameLimit::Bytes(128)
    }
    fn client(&self) -> Client {
        Client::SqlPlus
    }
    fn reserved_words(&self) -> &'static str {
        include_str!("reserved/oracle.txt")
    }
    fn sqlparser(&self) -> Box<dyn sqlparser::dialect::Dialect> {
        Box::new(sqlparser::dialect::OracleDialect {})
    }
    // sqlparser's Oracle grammar is narrower than Oracle's: `execute` SQL is
    // checked with the generic one.
    fn sqlparser_grammar(&self) -> Box<dyn sqlparser::dialect::Dialect> {
        Box::new(sqlparser::dialect::GenericDialect {})
    }

    // DDL commits implicitly.
    fn transactional_ddl(&self) -> bool {
        false
    }
    // SQL*Plus's form ends a statement with `/` alone.
    fn semicolon(&self) -> bool {
        false
    }

    fn check_name(&self, _d: Dialect, name: &str) -> Result<(), String> {
        match name.contains('"') {
            true => Err("Oracle names cannot contain `\"`".into()),
            false => Ok(()),
        }
    }
    fn char_expr(&self, code: u32) -> String {
        match code {
            128.. => format!("UNISTR('\\{code:04X}')"),
            _ => format!("CHR({code})"),
        }
    }
    fn hash_in_names(&self) -> bool {
        true
    }
    // Implicit conversion depends on the session's NLS_DATE_FORMAT.
    fn typed_datetime_literals(&self) -> bool {
        true
    }

    fn column_type(&self, kind: &TypeKind) -> Result<SqlType, NoType> {
        use TypeKind as K;
        let checked = |sql: &str, check| SqlType {
            sql: sql.into(),
            check: Some(check),
        };
        Ok(SqlType::plain(match kind {
            K::BigInt => "NUMBER(19)".into(),
            K::Boolean => return Ok(checked("NUMBER(1)", TypeCheck::Boolean)),
            K::String(Some(n)) => format!("VARCHAR2({n} CHAR)"),
            K::Text => "CLOB".into(),
            K::NText => "NCLOB".into(),
            // NVARCHAR2 lengths are in characters already.
            K::NString(Some(n)) => format!("NVARCHAR2({n})"),
            K::NString(None) => return Err(NSTRING_LENGTH),
            K::Float => "BINARY_FLOAT".into(),
            K::Double => "BINARY_DOUBLE".into(),
            K::Time | K::Interval => "INTERVAL DAY TO SECOND".into(),
            K::Timestamp { tz: true } => "TIMESTAMP WITH TIME ZONE".into(),
            K::Timestamp { tz: false } => "TIMESTAMP".into(),
            K::Json => return Ok(checked("CLOB", TypeCheck::Json)),
            K::Binary(Some(n)) => format!("RAW({n})"),
            K::Enum(e) => return Ok(enum_as_string(e, |len| format!("VARCHAR2({len} CHAR)"))),
            _ => return common_type(kind),
        }))
    }
    fn type_checks_by_name(&self) -> bool {
        true
    }
    // ORA-22858, ORA-22859: no MODIFY into or out of a LOB.
    fn type_change_refused(&self, sql_type: &str) -> bool {
        matches!(sql_type, "CLOB" | "NCLOB" | "BLOB")
    }

    fn national_string_types(&self) -> bool {
        true
    }
    // ENABLE NOVALIDATE, MODIFY CONSTRAINT .. VALIDATE.
    fn not_valid_constraints(&self) -> bool {
        true
    }
    fn nextval(&self) -> Option<NextVal> {
        Some(NextVal::Pseudocolumn)
    }
    // identity_options of CREATE TABLE, plus BY DEFAULT ON NULL.
    fn identity_options(&self) -> &'static [&'static str] {
        &["minvalue", "maxvalue", "cycle", "cache", "on_null", "order"]
    }
    // MODIFY col DROP IDENTITY exists; an existing column cannot become an
    // identity (ORA-30673), and MODIFY .. GENERATED does not reset the options
    // it leaves out, so a change is not restated.
    fn alter_identity(&self) -> &'static [&'static str] {
        &["drop"]
    }
    // ORA-04010: the number of values to CACHE must be greater than 1.
    fn identity_cache_of_one(&self) -> bool {
        false
    }
    fn identity_always_refuses_values(&self) -> bool {
        true
    }
    // One INSERT per row.
    fn insert_rows_per_statement(&self) -> usize {
        1
    }

    fn table_if_not_exists(&self) -> bool {
        false
    }
    fn table_if_exists(&self) -> bool {
        false
    }
    fn computed_stored(&self) -> bool {
        false
    }
    // MODIFY rejects a no-op `NOT NULL` on a column that already is (ORA-01442).
    fn alter_column_changed_only(&self) -> bool {
        true
    }

    fn deferrable_fk(&self) -> bool {
        true
    }
    fn fk_on_update(&self) -> bool {
        false
    }
    fn fk_restrict(&self) -> bool {
        false
    }
    fn fk_set_default(&self) -> bool {
        false
    }

    fn index_if_exists(&self) -> bool {
        false
    }
}

//! Portable column types and literals, spelled per dialect. This file is the
//! authority for the type table in `ir::TypeKind`'s doc. Types that need a CHECK
//! to mean the same thing everywhere (Oracle booleans and JSON, enums without
//! an enum type) say so in [`SqlType::check`].

use crate::diag::Code;
use crate::diag::Diagnostic;
use crate::dialect::Dialect;
use crate::ir::{ColumnType, EnumType, Literal, TypeKind};

/// A column type lowered for one dialect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqlType {
    /// The SQL type.
    pub sql: String,
    /// A CHECK the column needs to keep the portable meaning.
    pub check: Option<TypeCheck>,
}

/// Why a column needs a CHECK.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeCheck {
    /// `NUMBER(1)` standing in for a boolean: `CHECK (c IN (0, 1))`.
    Boolean,
    /// `CLOB` holding JSON: `CHECK (c IS JSON)`.
    Json,
    /// A string column holding an enum: a named `CHECK (c IN (..))`.
    Enum(EnumType),
}

/// The raw type the user gave for `d` with `variant`; MariaDB falls back to MySQL's.
pub fn variant(ty: &ColumnType, d: Dialect) -> Option<&str> {
    d.pick(&ty.variants).map(String::as_str)
}

/// The SQL type of `ty` on `d`, or a located `unsupported-type` error.
pub fn column_type(ty: &ColumnType, d: Dialect) -> Result<SqlType, Diagnostic> {
    use Dialect::*;
    use TypeKind as K;
    if let Some(raw) = variant(ty, d) {
        return Ok(plain(raw.to_string()));
    }
    let mysql = matches!(d, MySql | MariaDb);
    let sql = match (&ty.kind, d) {
        (K::SmallInt, _) => "SMALLINT".into(),
        (K::Integer, _) => "INTEGER".into(),
        (K::BigInt, Oracle) => "NUMBER(19)".into(),
        (K::BigInt, _) => "BIGINT".into(),
        (K::Boolean, PostgreSql | Sqlite) => "BOOLEAN".into(),
        (K::Boolean, MySql | MariaDb) => "BOOL".into(),
        (K::Boolean, MsSql) => "BIT".into(),
        (K::Boolean, Oracle) => {
            return Ok(SqlType {
                sql: "NUMBER(1)".into(),
                check: Some(TypeCheck::Boolean),
            })
        }
        (K::String(Some(n)), Oracle) => format!("VARCHAR2({n} CHAR)"),
        (K::String(Some(n)), _) => format!("VARCHAR({n})"),
        (K::String(None), PostgreSql | Sqlite) => "VARCHAR".into(),
        (K::String(None), _) => {
            return Err(unsupported(ty, d, "`string` without a length")
                .with_help("give a length, `string(255)`, or use `text`"))
        }
        (K::Text, MsSql) => "VARCHAR(max)".into(),
        (K::Text, Oracle) => "CLOB".into(),
        (K::Text, _) => "TEXT".into(),
        (K::Char(n), _) => format!("CHAR({n})"),
        (K::Numeric { precision, scale }, _) => match (precision, scale) {
            (Some(p), Some(s)) => format!("NUMERIC({p}, {s})"),
            (Some(p), None) => format!("NUMERIC({p})"),
            _ => "NUMERIC".into(),
        },
        (K::Float, Oracle) => "BINARY_FLOAT".into(),
        (K::Float, _) if mysql => "FLOAT".into(),
        (K::Float, _) => "REAL".into(),
        (K::Double, Oracle) => "BINARY_DOUBLE".into(),
        (K::Double, MsSql) => "FLOAT(53)".into(),
        (K::Double, _) if mysql => "DOUBLE".into(),
        (K::Double, _) => "DOUBLE PRECISION".into(),
        (K::Date, _) => "DATE".into(),
        (K::Time, Oracle) => "INTERVAL DAY TO SECOND".into(),
        (K::Time, _) => "TIME".into(),
        (K::Timestamp { tz: false }, PostgreSql) => "TIMESTAMP WITHOUT TIME ZONE".into(),
        (K::Timestamp { tz: true }, PostgreSql | Oracle) => "TIMESTAMP WITH TIME ZONE".into(),
        (K::Timestamp { .. }, Oracle) => "TIMESTAMP".into(),
        (K::Timestamp { tz: false }, MsSql) => "DATETIME2".into(),
        (K::Timestamp { tz: true }, MsSql) => "DATETIMEOFFSET".into(),
        (K::Timestamp { .. }, _) => "DATETIME".into(),
        (K::Interval, PostgreSql) => "INTERVAL".into(),
        (K::Interval, Oracle) => "INTERVAL DAY TO SECOND".into(),
        (K::Interval, _) => {
            return Err(unsupported(ty, d, "`interval`")
                .with_help("store a number of seconds, or give a `variant` for this dialect"))
        }
        (K::Uuid, PostgreSql) => "UUID".into(),
        (K::Uuid, MsSql) => "UNIQUEIDENTIFIER".into(),
        (K::Uuid, _) => "CHAR(32)".into(),
        (K::Json, MsSql) => "NVARCHAR(max)".into(),
        (K::Json, Oracle) => {
            return Ok(SqlType {
                sql: "CLOB".into(),
                check: Some(TypeCheck::Json),
            })
        }
        (K::Json, _) => "JSON".into(),
        (K::Binary(None), PostgreSql) | (K::Binary(Some(_)), PostgreSql) => "BYTEA".into(),
        (K::Binary(Some(n)), MySql | MariaDb) => format!("VARBINARY({n})"),
        (K::Binary(Some(n)), MsSql) => format!("VARBINARY({n})"),
        (K::Binary(None), MsSql) => "VARBINARY(max)".into(),
        (K::Binary(Some(n)), Oracle) => format!("RAW({n})"),
        (K::Binary(_), _) => "BLOB".into(),
        (K::Enum(e), PostgreSql) => d.quote_ident(e.name.as_str()),
        (K::Enum(e), MySql | MariaDb) => {
            let values: Vec<String> = e.values.iter().map(|v| d.quote_str(v)).collect();
            format!("ENUM({})", values.join(", "))
        }
        (K::Enum(e), _) => {
            let len = e
                .values
                .iter()
                .map(|v| v.chars().count())
                .max()
                .unwrap_or(1)
                .max(1);
            let sql = match d {
                Oracle => format!("VARCHAR2({len} CHAR)"),
                _ => format!("VARCHAR({len})"),
            };
            return Ok(SqlType {
                sql,
                check: Some(TypeCheck::Enum(e.clone())),
            });
        }
        (K::Raw(raw), _) => raw.clone(),
    };
    Ok(plain(sql))
}

fn plain(sql: String) -> SqlType {
    SqlType { sql, check: None }
}

fn unsupported(ty: &ColumnType, d: Dialect, what: &str) -> Diagnostic {
    Diagnostic::error(Code::UnsupportedType, format!("{what} has no {d} type"))
        .at(ty.span, format!("not available on {d}"))
}

/// True when `uuid` is a native type; elsewhere it is `CHAR(32)`, hex without dashes.
fn native_uuid(d: Dialect) -> bool {
    matches!(d, Dialect::PostgreSql | Dialect::MsSql)
}

/// A literal for a column of type `kind` (when known), spelled for `d`.
pub fn literal(lit: &Literal, kind: Option<&TypeKind>, d: Dialect) -> String {
    let caps = d.caps();
    let is_bool = matches!(kind, Some(TypeKind::Boolean));
    match lit {
        Literal::Null => "NULL".into(),
        Literal::Bool(b) => bool_sql(*b, d),
        Literal::Integer(s) if is_bool && caps.boolean_literals && (s == "0" || s == "1") => {
            bool_sql(s == "1", d)
        }
        Literal::Integer(s) | Literal::Decimal(s) => s.clone(),
        Literal::String(s) => match kind {
            Some(TypeKind::Date) if caps.typed_datetime_literals => {
                format!("DATE {}", d.quote_str(s))
            }
            Some(TypeKind::Timestamp { .. }) if caps.typed_datetime_literals => {
                format!("TIMESTAMP {}", d.quote_str(s))
            }
            Some(TypeKind::Uuid) if !native_uuid(d) => d.quote_str(&s.replace('-', "")),
            _ => d.quote_str(s),
        },
    }
}

fn bool_sql(b: bool, d: Dialect) -> String {
    match (d.caps().boolean_literals, b) {
        (true, true) => "TRUE".into(),
        (true, false) => "FALSE".into(),
        (false, true) => "1".into(),
        (false, false) => "0".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn ty(kind: TypeKind) -> ColumnType {
        ColumnType::new(kind, Span::NONE)
    }

    #[test]
    fn maps_types_per_dialect() {
        use Dialect::*;
        for (kind, d, want) in [
            (TypeKind::BigInt, Oracle, "NUMBER(19)"),
            (TypeKind::Boolean, MsSql, "BIT"),
            (TypeKind::String(Some(20)), Oracle, "VARCHAR2(20 CHAR)"),
            (TypeKind::Text, MsSql, "VARCHAR(max)"),
            (TypeKind::Double, MySql, "DOUBLE"),
            (TypeKind::Timestamp { tz: true }, MsSql, "DATETIMEOFFSET"),
            (TypeKind::Uuid, Sqlite, "CHAR(32)"),
            (TypeKind::Binary(Some(16)), Oracle, "RAW(16)"),
        ] {
            assert_eq!(
                column_type(&ty(kind), d).map(|t| t.sql),
                Ok(want.to_string()),
                "{d}"
            );
        }
    }

    #[test]
    fn variants_win_and_mariadb_inherits_mysql_variants() {
        let mut t = ty(TypeKind::Json);
        t.variants.insert(Dialect::MySql, "LONGTEXT".into());
        assert_eq!(
            column_type(&t, Dialect::MariaDb).map(|t| t.sql),
            Ok("LONGTEXT".into())
        );
        assert_eq!(
            column_type(&t, Dialect::PostgreSql).map(|t| t.sql),
            Ok("JSON".into())
        );
    }

    #[test]
    fn unsupported_types_are_located_errors() {
        let err = column_type(&ty(TypeKind::Interval), Dialect::MySql);
        assert_eq!(err.map_err(|e| e.code), Err(Code::UnsupportedType));
    }

    #[test]
    fn literals_follow_the_column_type() {
        use Dialect::*;
        let s = |v: &str| Literal::String(v.into());
        assert_eq!(literal(&Literal::Bool(true), None, PostgreSql), "TRUE");
        assert_eq!(literal(&Literal::Bool(true), None, MsSql), "1");
        assert_eq!(
            literal(&s("2024-01-31"), Some(&TypeKind::Date), Oracle),
            "DATE '2024-01-31'"
        );
        assert_eq!(
            literal(&s("2024-01-31"), Some(&TypeKind::Date), PostgreSql),
            "'2024-01-31'"
        );
        assert_eq!(
            literal(&s("6f1c-ab"), Some(&TypeKind::Uuid), MySql),
            "'6f1cab'"
        );
    }
}

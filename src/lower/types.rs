//! Portable column types and literals, spelled per dialect. Each dialect's
//! file in `src/dialect/` maps the types (`Rules::column_type`, falling back
//! to `common_type`) and is the authority for the type table in
//! `ir::TypeKind`'s doc; this module applies the user's `variant` first and
//! locates what a dialect cannot take. Types that need a CHECK to mean the
//! same thing everywhere (Oracle booleans and JSON, enums without an enum
//! type) say so in [`SqlType::check`].

use crate::diag::Code;
use crate::diag::Diagnostic;
use crate::dialect::Dialect;
pub use crate::dialect::{SqlType, TypeCheck};
use crate::ir::{ColumnType, Literal, TypeKind};

/// The raw type the user gave for `d` with `variant`; MariaDB falls back to MySQL's.
pub fn variant(ty: &ColumnType, d: Dialect) -> Option<&str> {
    d.pick(&ty.variants).map(String::as_str)
}

/// The SQL type of `ty` on `d` (the user's `variant`, else the dialect's
/// [`crate::dialect::Rules::column_type`]), or a located `unsupported-type` error.
pub fn column_type(ty: &ColumnType, d: Dialect) -> Result<SqlType, Diagnostic> {
    if let Some(raw) = variant(ty, d) {
        return Ok(SqlType::plain(raw));
    }
    // A dialect without national string types takes them as the plain ones.
    let plain = match ty.kind {
        TypeKind::NString(n) if !d.rules().national_string_types() => Some(TypeKind::String(n)),
        TypeKind::NText if !d.rules().national_string_types() => Some(TypeKind::Text),
        _ => None,
    };
    d.rules()
        .column_type(plain.as_ref().unwrap_or(&ty.kind))
        .map_err(|no| {
            Diagnostic::error(
                Code::UnsupportedType,
                format!("{} has no {d} type", no.what),
            )
            .at(ty.span, format!("not available on {d}"))
            .with_help(no.help)
        })
}

/// A literal for a column of type `kind` (when known), spelled for `d`.
pub fn literal(lit: &Literal, kind: Option<&TypeKind>, d: Dialect) -> String {
    let rules = d.rules();
    let is_bool = matches!(kind, Some(TypeKind::Boolean));
    match lit {
        Literal::Null => "NULL".into(),
        Literal::Bool(b) => bool_sql(*b, d),
        Literal::Integer(s) if is_bool && rules.boolean_literals() && (s == "0" || s == "1") => {
            bool_sql(s == "1", d)
        }
        Literal::Integer(s) | Literal::Decimal(s) => s.clone(),
        Literal::String(s) => match kind {
            Some(TypeKind::Date) if rules.typed_datetime_literals() => {
                format!("DATE {}", d.quote_str(s))
            }
            Some(TypeKind::Timestamp { .. }) if rules.typed_datetime_literals() => {
                format!("TIMESTAMP {}", d.quote_str(s))
            }
            Some(TypeKind::Uuid) if !rules.native_uuid() => d.quote_str(&s.replace('-', "")),
            _ => d.quote_str(s),
        },
    }
}

fn bool_sql(b: bool, d: Dialect) -> String {
    match (d.rules().boolean_literals(), b) {
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

//! PostgreSQL 12+.

use super::rules::{common_type, common_type_of_sql, NextVal, NoType, Rules, SqlType};
use super::{Client, Dialect, NameLimit};
use crate::ir::TypeKind;

/// PostgreSQL's rules.
pub struct PostgreSql;

impl Rules for PostgreSql {
    fn dialect(&self) -> Dialect {
        Dialect::PostgreSql
    }
    // A waiting ACCESS EXCLUSIVE request queues every later query on the
    // table behind it; either setting ends the wait (script_header.sql).
    fn lock_timeout_keys(&self) -> &'static [&'static str] {
        &["lock_timeout", "statement_timeout"]
    }
    // NAMEDATALEN - 1; longer names are truncated by the engine, so two long
    // names sharing a prefix would collide.
    fn max_ident_len(&self) -> usize {
        63
    }
    fn name_limit(&self) -> NameLimit {
        NameLimit::Bytes(63)
    }
    fn client(&self) -> Client {
        Client::Psql
    }
    fn reserved_words(&self) -> &'static str {
        include_str!("reserved/postgresql.txt")
    }
    fn sqlparser(&self) -> Box<dyn sqlparser::dialect::Dialect> {
        Box::new(sqlparser::dialect::PostgreSqlDialect {})
    }

    /// Statements that refuse to run inside a transaction block, by their
    /// first words.
    fn outside_transaction(&self, words: &[String]) -> bool {
        let w = |i: usize| words.get(i).map_or("", String::as_str);
        w(0) == "VACUUM"
            || (matches!(w(0), "CREATE" | "DROP" | "REINDEX")
                && words.iter().any(|x| x == "CONCURRENTLY"))
            || (w(0) == "CREATE" && w(1) == "DATABASE")
            || (w(0) == "DROP" && w(1) == "DATABASE")
    }

    // `E'..'` means the same whether `standard_conforming_strings` is on or off.
    fn escape_string_prefix(&self) -> bool {
        true
    }
    // psql runs `\!` outside quotes and substitutes `:name`.
    fn backslash_commands(&self) -> bool {
        true
    }
    fn colon_variables(&self) -> bool {
        true
    }
    fn boolean_literals(&self) -> bool {
        true
    }

    fn column_type(&self, kind: &TypeKind) -> Result<SqlType, NoType> {
        use TypeKind as K;
        Ok(SqlType::plain(match kind {
            K::String(None) => "VARCHAR".into(),
            K::Timestamp { tz: false } => "TIMESTAMP WITHOUT TIME ZONE".into(),
            K::Timestamp { tz: true } => "TIMESTAMP WITH TIME ZONE".into(),
            K::Interval => "INTERVAL".into(),
            K::Uuid => "UUID".into(),
            K::Binary(_) => "BYTEA".into(),
            K::Enum(e) => Dialect::PostgreSql.quote_ident(e.name.as_str()),
            _ => return common_type(kind),
        }))
    }
    fn native_uuid(&self) -> bool {
        true
    }
    fn named_enum_type(&self) -> bool {
        true
    }
    // CREATE OR REPLACE VIEW cannot drop, rename or retype a column of the
    // view (only add some at the end): a new query that changes its columns
    // would fail, so the view is dropped and created again (in the
    // transaction; privileges granted on it are lost).
    fn replaces_view_in_place(&self) -> bool {
        false
    }

    // ADD CONSTRAINT .. NOT VALID, VALIDATE CONSTRAINT.
    // DROP CONSTRAINT IF EXISTS.
    fn drop_constraint_if_exists(&self) -> bool {
        true
    }
    fn not_valid_constraints(&self) -> bool {
        true
    }
    fn nextval(&self) -> Option<NextVal> {
        Some(NextVal::Function)
    }
    // An identity is a sequence: CREATE SEQUENCE's options, but no ON NULL
    // (a NULL is refused) and no ORDER (no RAC).
    fn identity_options(&self) -> &'static [&'static str] {
        &["minvalue", "maxvalue", "cycle", "cache"]
    }
    fn identity_always_refuses_values(&self) -> bool {
        true
    }
    fn overriding_system_value(&self) -> bool {
        true
    }
    fn computed_virtual(&self) -> bool {
        false
    }
    fn column_if_not_exists(&self) -> bool {
        true
    }
    fn column_if_exists(&self) -> bool {
        true
    }
    fn deferrable_fk(&self) -> bool {
        true
    }
    // MATCH PARTIAL is "not yet implemented".
    fn fk_match(&self) -> &'static [&'static str] {
        &["full", "simple"]
    }

    fn index_if_not_exists(&self) -> bool {
        true
    }
    fn partial_index(&self) -> bool {
        true
    }
    fn index_include(&self) -> bool {
        true
    }
    // Needed for anything but a function call.
    fn index_expr_parens(&self) -> bool {
        true
    }
    fn concurrent_index(&self) -> bool {
        true
    }
    // https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES
    fn volatile_default_rewrites(&self) -> bool {
        true
    }
    // PostgreSQL 11 release notes: "Allow ALTER TABLE to add a column with a
    // non-null default without doing a table rewrite".
    fn constant_default_in_place_since(&self) -> Option<u32> {
        Some(11)
    }

    // pg_dump writes the catalog's names (`int4` in some places, `integer`
    // in others) and qualifies every name with its schema.
    fn type_of_sql(&self, base: &str, args: &[u32]) -> Option<TypeKind> {
        use TypeKind as K;
        Some(match base {
            "int2" => K::SmallInt,
            "int4" => K::Integer,
            "int8" => K::BigInt,
            "float4" => K::Float,
            "float8" => K::Double,
            "timestamptz" => K::Timestamp { tz: true },
            "interval" => K::Interval,
            "uuid" => K::Uuid,
            "bytea" => K::Binary(None),
            "bpchar" => K::Char(args.first().copied().unwrap_or(1)),
            _ => return common_type_of_sql(base, args),
        })
    }
    fn default_schema(&self) -> Option<&'static str> {
        Some("public")
    }
}

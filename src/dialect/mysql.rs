//! MySQL 8.0+ (and, through [`Dialect::parent`], MariaDB where `mariadb.rs`
//! says nothing).

use super::rules::{common_type, NoType, Rules, SqlType};
use super::{Client, Dialect, NameLimit};
use crate::ir::TypeKind;

/// MySQL's rules.
pub struct MySql;

impl Rules for MySql {
    fn dialect(&self) -> Dialect {
        Dialect::MySql
    }
    // DDL waits for the metadata lock up to lock_wait_timeout (a year by
    // default), and every later query on the table waits behind it.
    fn lock_timeout_keys(&self) -> &'static [&'static str] {
        &["lock_timeout"]
    }
    // InnoDB builds most indexes in place without a lock already, but falls
    // back to a copy under a lock where it cannot; `LOCK=NONE` makes that an
    // error instead of an outage.
    fn online_index(&self) -> Option<(&'static str, &'static str)> {
        Some(("lock", "none"))
    }
    fn max_ident_len(&self) -> usize {
        64
    }
    fn name_limit(&self) -> NameLimit {
        NameLimit::Chars(64)
    }
    fn client(&self) -> Client {
        Client::Mysql
    }
    fn reserved_words(&self) -> &'static str {
        include_str!("reserved/mysql.txt")
    }
    fn sqlparser(&self) -> Box<dyn sqlparser::dialect::Dialect> {
        Box::new(sqlparser::dialect::MySqlDialect {})
    }

    // DDL commits implicitly.
    fn transactional_ddl(&self) -> bool {
        false
    }
    fn quote(&self) -> (char, char) {
        ('`', '`')
    }
    fn check_name(&self, d: Dialect, name: &str) -> Result<(), String> {
        if name.chars().any(|c| u32::from(c) > 0xFFFF) {
            return Err(format!(
                "{d} names hold only characters of the Basic Multilingual Plane (no emoji)"
            ));
        }
        if name.ends_with(' ') {
            return Err(format!("{d} names cannot end with a space"));
        }
        Ok(())
    }
    /// Comments are kept in utf8mb3 (an emoji reads back as `?`), at most
    /// 2048 characters for a table and 1024 for a column.
    fn check_comment(&self, d: Dialect, text: &str, table: bool) -> Result<(), String> {
        if text.chars().any(|c| u32::from(c) > 0xFFFF) {
            return Err(format!(
                "{d} keeps comments in utf8mb3: a character outside the Basic Multilingual Plane (an emoji) would read back as `?`"
            ));
        }
        let (max, what) = if table {
            (2048, "table")
        } else {
            (1024, "column")
        };
        let len = text.chars().count();
        if len > max {
            return Err(format!(
                "this comment is {len} characters long; {d} keeps at most {max} for a {what}"
            ));
        }
        Ok(())
    }
    // The default `sql_mode`; under `NO_BACKSLASH_ESCAPES` a backslash reads
    // back doubled, and every literal still ends where it should.
    fn backslash_escapes(&self) -> bool {
        true
    }
    // The client runs `\!` outside quotes.
    fn backslash_commands(&self) -> bool {
        true
    }
    fn hash_comments(&self) -> bool {
        true
    }

    fn column_type(&self, kind: &TypeKind) -> Result<SqlType, NoType> {
        use TypeKind as K;
        Ok(SqlType::plain(match kind {
            K::Boolean => "BOOL".into(),
            K::Float => "FLOAT".into(),
            K::Double => "DOUBLE".into(),
            K::Binary(Some(n)) => format!("VARBINARY({n})"),
            K::Enum(e) => {
                let values: Vec<String> = e
                    .values
                    .iter()
                    .map(|v| Dialect::MySql.quote_str(v))
                    .collect();
                format!("ENUM({})", values.join(", "))
            }
            _ => return common_type(kind),
        }))
    }

    fn parenthesize_default_expr(&self) -> bool {
        true
    }
    // MySQL 8 takes only expression defaults on TEXT/BLOB/JSON.
    fn lob_default_needs_parens(&self) -> bool {
        true
    }
    fn sequences(&self) -> bool {
        false
    }
    // The step is a server variable.
    fn identity_takes_increment(&self) -> bool {
        false
    }
    // An AUTO_INCREMENT column must be a key (ERROR 1075 on DROP PRIMARY KEY).
    fn identity_keeps_key(&self) -> bool {
        true
    }

    // MODIFY and CHANGE reset whatever they do not restate (Alembic's lost NOT NULL).
    fn alter_column_restates_column(&self) -> bool {
        true
    }
    fn column_position(&self) -> bool {
        true
    }
    fn comments_inline(&self) -> bool {
        true
    }

    // InnoDB parses SET DEFAULT and rejects it.
    fn fk_set_default(&self) -> bool {
        false
    }
    fn fk_needs_index(&self) -> bool {
        true
    }

    fn index_if_exists(&self) -> bool {
        false
    }
    fn index_expr_parens(&self) -> bool {
        true
    }
    fn index_prefix_length(&self) -> bool {
        true
    }

    // The dump writes display widths (`int(11)`), `tinyint(1)` for BOOL and
    // `decimal` for NUMERIC.
    fn type_of_sql(&self, base: &str, args: &[u32]) -> Option<TypeKind> {
        use TypeKind as K;
        Some(match (base, args) {
            ("tinyint", [1]) | ("bool", _) => K::Boolean,
            ("int", _) => K::Integer,
            ("smallint", _) => K::SmallInt,
            ("bigint", _) => K::BigInt,
            ("float", _) => K::Float,
            ("double", _) => K::Double,
            ("varbinary", [n]) => K::Binary(Some(*n)),
            ("longtext" | "mediumtext", _) => K::Text,
            _ => return super::rules::common_type_of_sql(base, args),
        })
    }
    fn unique_index_is_constraint(&self) -> bool {
        true
    }
    fn primary_key_named(&self) -> bool {
        false
    }
}

//! MariaDB 10.11+: MySQL ([`Dialect::parent`]) plus IF [NOT] EXISTS on indexes
//! and columns and sequences, minus functional indexes.

use super::mysql::MySql;
use super::rules::{NextVal, Rules};
use super::{Client, Dialect, NameLimit};

/// MariaDB's rules: only where they differ from MySQL's.
pub struct MariaDb;

impl Rules for MariaDb {
    fn dialect(&self) -> Dialect {
        Dialect::MariaDb
    }
    // The facts every dialect states: MariaDB's are MySQL's, said once there.
    fn max_ident_len(&self) -> usize {
        MySql.max_ident_len()
    }
    fn name_limit(&self) -> NameLimit {
        MySql.name_limit()
    }
    fn client(&self) -> Client {
        MySql.client()
    }
    fn reserved_words(&self) -> &'static str {
        MySql.reserved_words()
    }
    fn sqlparser(&self) -> Box<dyn sqlparser::dialect::Dialect> {
        MySql.sqlparser()
    }

    fn sequences(&self) -> bool {
        true
    }
    fn nextval(&self) -> Option<NextVal> {
        // A DEFAULT other than a literal is parenthesized, as in MySQL.
        Some(NextVal::NextValueForParenthesized)
    }
    // MariaDB takes literal defaults on TEXT/BLOB/JSON.
    fn lob_default_needs_parens(&self) -> bool {
        false
    }
    fn column_if_not_exists(&self) -> bool {
        true
    }
    fn column_if_exists(&self) -> bool {
        true
    }
    fn index_if_not_exists(&self) -> bool {
        true
    }
    fn index_if_exists(&self) -> bool {
        true
    }
    // No functional index parts (index a virtual column instead).
    fn expression_index(&self) -> bool {
        false
    }
    // JSON is an alias of LONGTEXT with a CHECK (json_valid(col)); a dump
    // shows the LONGTEXT and the CHECK.
    fn json_check(&self) -> Option<&'static str> {
        Some("json_valid")
    }
}

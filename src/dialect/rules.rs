//! [`Rules`]: what a dialect does, one method per behaviour, each with a
//! default. A dialect's file overrides only where it differs (as sqlparser-rs's
//! `Dialect` trait does); a dialect with a parent ([`Dialect::parent`]: MariaDB's
//! is MySQL) takes the parent's answer wherever it overrides nothing, so
//! `mariadb.rs` states only how MariaDB differs from MySQL.
//!
//! Lowering asks these questions, never "which dialect is this": a difference
//! between engines is written down once, in the dialect's file, with its reason.

use super::{Client, Dialect, NameLimit};
use crate::ir::{Column, EnumType, TypeKind};

/// The parent's answer where the dialect has a parent, else `$default`.
macro_rules! inherit {
    ($s:ident . $m:ident ( $($a:expr),* ), $default:expr) => {
        match $s.parent() {
            Some(p) => p.$m($($a),*),
            None => $default,
        }
    };
}

/// A column type lowered for one dialect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqlType {
    /// The SQL type.
    pub sql: String,
    /// A CHECK the column needs to keep the portable meaning.
    pub check: Option<TypeCheck>,
}

impl SqlType {
    /// A type that needs no CHECK.
    pub fn plain(sql: impl Into<String>) -> SqlType {
        SqlType {
            sql: sql.into(),
            check: None,
        }
    }
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

/// A portable type the dialect has no type for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoType {
    /// The type, as the message names it (`` `interval` ``).
    pub what: &'static str,
    /// What to write instead.
    pub help: &'static str,
}

const NO_STRING_LENGTH: NoType = NoType {
    what: "`string` without a length",
    help: "give a length, `string(255)`, or use `text`",
};

/// `nstring` without a length, where national strings are their own type.
pub(super) const NSTRING_LENGTH: NoType = NoType {
    what: "`nstring` without a length",
    help: "give a length, `nstring(255)`, or use `ntext`",
};

/// The type most dialects give `kind`; a dialect's
/// [`Rules::column_type`] handles its own spellings and falls back to this.
pub fn common_type(kind: &TypeKind) -> Result<SqlType, NoType> {
    use TypeKind as K;
    let sql = match kind {
        K::SmallInt => "SMALLINT".into(),
        K::Integer => "INTEGER".into(),
        K::BigInt => "BIGINT".into(),
        K::Boolean => "BOOLEAN".into(),
        K::String(Some(n)) => format!("VARCHAR({n})"),
        K::String(None) => return Err(NO_STRING_LENGTH),
        K::Text | K::NText => "TEXT".into(),
        K::NString(Some(n)) => format!("VARCHAR({n})"),
        K::NString(None) => return Err(NSTRING_LENGTH),
        K::Char(n) => format!("CHAR({n})"),
        K::Numeric { precision, scale } => match (precision, scale) {
            (Some(p), Some(s)) => format!("NUMERIC({p}, {s})"),
            (Some(p), None) => format!("NUMERIC({p})"),
            _ => "NUMERIC".into(),
        },
        K::Float => "REAL".into(),
        K::Double => "DOUBLE PRECISION".into(),
        K::Date => "DATE".into(),
        K::Time => "TIME".into(),
        K::Timestamp { .. } => "DATETIME".into(),
        K::Interval => {
            return Err(NoType {
                what: "`interval`",
                help: "store a number of seconds, or give a `variant` for this dialect",
            })
        }
        K::Uuid => "CHAR(32)".into(),
        K::Json => "JSON".into(),
        K::Binary(_) => "BLOB".into(),
        K::Enum(e) => return Ok(enum_as_string(e, |len| format!("VARCHAR({len})"))),
        K::Raw(raw) => raw.clone(),
    };
    Ok(SqlType::plain(sql))
}

/// An enum where there is no enum type: a string as long as its longest value
/// (`string(len)` spells it), kept to its values by a CHECK.
pub fn enum_as_string(e: &EnumType, string: impl Fn(usize) -> String) -> SqlType {
    let len = e
        .values
        .iter()
        .map(|v| v.chars().count())
        .max()
        .unwrap_or(1)
        .max(1);
    SqlType {
        sql: string(len),
        check: Some(TypeCheck::Enum(e.clone())),
    }
}

/// How a DEFAULT reads the next value of a sequence; the `nextval` template
/// spells each form (its `form` is [`NextVal::name`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextVal {
    /// A function of the sequence's name as a string literal (PostgreSQL).
    Function,
    /// The standard expression (SQL Server).
    NextValueFor,
    /// The standard expression, parenthesized as a DEFAULT other than a
    /// literal must be (MariaDB).
    NextValueForParenthesized,
    /// A pseudocolumn of the sequence (Oracle).
    Pseudocolumn,
}

impl NextVal {
    /// The form's name, as the template tells them apart.
    pub fn name(self) -> &'static str {
        match self {
            NextVal::Function => "function",
            NextVal::NextValueFor => "next_value_for",
            NextVal::NextValueForParenthesized => "next_value_for_parenthesized",
            NextVal::Pseudocolumn => "pseudocolumn",
        }
    }
}

/// What one dialect does. Implemented once per dialect, in its own file;
/// reached through [`Dialect::rules`].
pub trait Rules: Sync {
    // ---- Required: every dialect says these itself. ----

    /// The dialect these rules are for.
    fn dialect(&self) -> Dialect;
    /// Longest identifier the engine accepts, in bytes: the budget generated
    /// names are shortened to (see `lower::names::fit`).
    fn max_ident_len(&self) -> usize;
    /// Longest name the engine accepts, counted as the engine counts: a name
    /// the user wrote that is longer is an error, never silently cut.
    fn name_limit(&self) -> NameLimit;
    /// The client the scripts are run with, and what it reads into them.
    fn client(&self) -> Client;
    /// The reserved words, one per line, upper case.
    fn reserved_words(&self) -> &'static str;
    /// sqlparser's dialect for reading (tokenizing) SQL as this engine does.
    fn sqlparser(&self) -> Box<dyn sqlparser::dialect::Dialect>;

    // ---- The parent: where a dialect overrides nothing, it asks this. ----

    /// The rules of [`Dialect::parent`], if any.
    fn parent(&self) -> Option<&'static dyn Rules> {
        self.dialect().parent().map(Dialect::rules)
    }

    // ---- Scripts and transactions. ----

    /// DDL can be rolled back, so the script is wrapped in a transaction.
    fn transactional_ddl(&self) -> bool {
        inherit!(self.transactional_ddl(), true)
    }
    /// Statements end with `;`.
    fn semicolon(&self) -> bool {
        inherit!(self.semicolon(), true)
    }
    /// True when a statement that starts with `words` (upper case) refuses to
    /// run inside a transaction block; the script runs it between two.
    fn outside_transaction(&self, words: &[String]) -> bool {
        inherit!(self.outside_transaction(words), false)
    }
    /// sqlparser's dialect for checking that `execute` SQL parses as this
    /// engine's (where sqlparser's grammar for it is too narrow, a wider one).
    fn sqlparser_grammar(&self) -> Box<dyn sqlparser::dialect::Dialect> {
        inherit!(self.sqlparser_grammar(), self.sqlparser())
    }

    // ---- Names, literals and what the client reads into SQL. ----

    /// Identifier quote pair.
    fn quote(&self) -> (char, char) {
        inherit!(self.quote(), ('"', '"'))
    }
    /// Why `name` cannot be a name on this engine beyond what every engine and
    /// client refuses (see [`Dialect::check_name`]), if it cannot.
    fn check_name(&self, d: Dialect, name: &str) -> Result<(), String> {
        inherit!(self.check_name(d, name), Ok(()))
    }
    /// Why `text` cannot be a comment of a table (`table`) or a column, if it cannot.
    fn check_comment(&self, d: Dialect, text: &str, table: bool) -> Result<(), String> {
        inherit!(self.check_comment(d, text, table), Ok(()))
    }
    /// Backslash is an escape character inside string literals.
    fn backslash_escapes(&self) -> bool {
        inherit!(self.backslash_escapes(), false)
    }
    /// A text with a backslash is written `E'..'`, the backslashes doubled:
    /// read the same whatever the engine's settings (PostgreSQL).
    fn escape_string_prefix(&self) -> bool {
        inherit!(self.escape_string_prefix(), false)
    }
    /// Non-ASCII string literals need an `N` prefix to keep their characters.
    fn national_strings(&self) -> bool {
        inherit!(self.national_strings(), false)
    }
    /// The string concatenation operator, spaces included.
    fn concat(&self) -> &'static str {
        inherit!(self.concat(), " || ")
    }
    /// The expression for the character with code `code`.
    fn char_expr(&self, code: u32) -> String {
        inherit!(self.char_expr(code), format!("char({code})"))
    }
    /// A backslash outside quotes is a command to the client.
    fn backslash_commands(&self) -> bool {
        inherit!(self.backslash_commands(), false)
    }
    /// `:name` outside quotes is a variable of the client.
    fn colon_variables(&self) -> bool {
        inherit!(self.colon_variables(), false)
    }
    /// `[` starts a quoted name (never a subscript).
    fn brackets_quote_names(&self) -> bool {
        inherit!(self.brackets_quote_names(), false)
    }
    /// `#` starts a comment.
    fn hash_comments(&self) -> bool {
        inherit!(self.hash_comments(), false)
    }
    /// `#` may be part of an unquoted name (not at its start).
    fn hash_in_names(&self) -> bool {
        inherit!(self.hash_in_names(), false)
    }
    /// `TRUE`/`FALSE` literals exist (elsewhere booleans are `1`/`0`).
    fn boolean_literals(&self) -> bool {
        inherit!(self.boolean_literals(), false)
    }
    /// Date/time strings need typed literals (`DATE '2024-01-31'`).
    fn typed_datetime_literals(&self) -> bool {
        inherit!(self.typed_datetime_literals(), false)
    }

    // ---- Types. ----

    /// The SQL type of `kind` (a `variant` the user gave is taken before this).
    fn column_type(&self, kind: &TypeKind) -> Result<SqlType, NoType> {
        inherit!(self.column_type(kind), common_type(kind))
    }
    /// `uuid` is a native type; elsewhere it is `CHAR(32)`, hex without dashes.
    fn native_uuid(&self) -> bool {
        inherit!(self.native_uuid(), false)
    }
    /// Native named enum types (`CREATE TYPE .. AS ENUM`).
    fn named_enum_type(&self) -> bool {
        inherit!(self.named_enum_type(), false)
    }
    /// The CHECKs a column's type needs are dropped, re-added and renamed by
    /// their deterministic names when the column's type or name changes.
    fn type_checks_by_name(&self) -> bool {
        inherit!(self.type_checks_by_name(), false)
    }
    /// A column of type `sql_type` cannot be changed into another type, nor
    /// another into it, in place.
    fn type_change_refused(&self, sql_type: &str) -> bool {
        inherit!(self.type_change_refused(sql_type), false)
    }

    /// `ALTER TABLE .. DROP CONSTRAINT IF EXISTS name`.
    fn drop_constraint_if_exists(&self) -> bool {
        inherit!(self.drop_constraint_if_exists(), false)
    }
    /// The `MATCH` kinds a foreign key can state (`full`, `simple`, `partial`).
    fn fk_match(&self) -> &'static [&'static str] {
        inherit!(self.fk_match(), &[])
    }
    /// A foreign key or check can be added without checking the rows already
    /// there, and validated later (`not_valid` / `validate_constraint`).
    fn not_valid_constraints(&self) -> bool {
        inherit!(self.not_valid_constraints(), false)
    }
    /// National (Unicode) string types differ from the plain ones
    /// (`nstring`/`ntext` map to their own types in `column_type`).
    fn national_string_types(&self) -> bool {
        inherit!(self.national_string_types(), false)
    }

    // ---- Defaults, identity and sequences. ----

    /// A DEFAULT expression other than a literal is wrapped in parentheses.
    fn parenthesize_default_expr(&self) -> bool {
        inherit!(self.parenthesize_default_expr(), false)
    }
    /// TEXT/BLOB/JSON columns take only expression defaults: `DEFAULT ('x')`.
    fn lob_default_needs_parens(&self) -> bool {
        inherit!(self.lob_default_needs_parens(), false)
    }
    /// Column defaults are named constraints, so they can be dropped by name
    /// before the column or the default changes.
    fn named_defaults(&self) -> bool {
        inherit!(self.named_defaults(), false)
    }
    /// The name of `table.column`'s default constraint, where defaults are named.
    fn default_constraint_name(&self, table: &str, column: &str) -> Option<String> {
        inherit!(self.default_constraint_name(table, column), None)
    }
    /// Sequences (`CREATE SEQUENCE`).
    fn sequences(&self) -> bool {
        inherit!(self.sequences(), true)
    }
    /// The form of a sequence's next value in a DEFAULT (`nextval.sql`
    /// spells it); None without sequences.
    fn nextval(&self) -> Option<NextVal> {
        inherit!(self.nextval(), None)
    }
    /// An identity column is the table's rowid alias: it must be its single
    /// integer primary key, `INTEGER PRIMARY KEY [AUTOINCREMENT]`.
    fn identity_is_rowid(&self) -> bool {
        inherit!(self.identity_is_rowid(), false)
    }
    /// An identity's increment can be set.
    fn identity_takes_increment(&self) -> bool {
        inherit!(self.identity_takes_increment(), true)
    }
    /// An identity's start can be set.
    fn identity_takes_start(&self) -> bool {
        inherit!(self.identity_takes_start(), true)
    }
    /// The identity options beyond start and increment the dialect can state
    /// (by their DSL words: `minvalue`, `maxvalue`, `cycle`, `cache`,
    /// `on_null`, `order`); any other one set is a located error.
    fn identity_options(&self) -> &'static [&'static str] {
        inherit!(self.identity_options(), &[])
    }
    /// What `alter_identity.sql` can do to an existing column's identity, of
    /// `add`, `drop` and `set` (change its options); where alter_column
    /// restates the column or rebuilds the table this is not asked.
    fn alter_identity(&self) -> &'static [&'static str] {
        inherit!(self.alter_identity(), &["add", "drop", "set"])
    }
    /// `CACHE 1` can be written (else a cache of one is spelled `NOCACHE`).
    fn identity_cache_of_one(&self) -> bool {
        inherit!(self.identity_cache_of_one(), true)
    }
    /// `GENERATED ALWAYS` identity columns refuse values an INSERT gives
    /// (unless [`Rules::overriding_system_value`]).
    fn identity_always_refuses_values(&self) -> bool {
        inherit!(self.identity_always_refuses_values(), false)
    }
    /// `INSERT .. OVERRIDING SYSTEM VALUE` inserts into a `GENERATED ALWAYS` identity.
    fn overriding_system_value(&self) -> bool {
        inherit!(self.overriding_system_value(), false)
    }
    /// Values for an identity column are inserted between
    /// `SET IDENTITY_INSERT t ON` and `OFF`.
    fn identity_insert(&self) -> bool {
        inherit!(self.identity_insert(), false)
    }
    /// An identity column stays a key: DROP COLUMN takes its primary key
    /// along, which cannot be dropped first.
    fn identity_keeps_key(&self) -> bool {
        inherit!(self.identity_keeps_key(), false)
    }
    /// Rows per `INSERT .. VALUES`.
    fn insert_rows_per_statement(&self) -> usize {
        inherit!(self.insert_rows_per_statement(), 500)
    }

    // ---- Tables, columns and comments. ----

    /// `CREATE TABLE IF NOT EXISTS`.
    fn table_if_not_exists(&self) -> bool {
        inherit!(self.table_if_not_exists(), true)
    }
    /// `DROP TABLE IF EXISTS`.
    fn table_if_exists(&self) -> bool {
        inherit!(self.table_if_exists(), true)
    }
    /// `ADD COLUMN IF NOT EXISTS`.
    fn column_if_not_exists(&self) -> bool {
        inherit!(self.column_if_not_exists(), false)
    }
    /// `DROP COLUMN IF EXISTS`.
    fn column_if_exists(&self) -> bool {
        inherit!(self.column_if_exists(), false)
    }
    /// `ADD COLUMN .. AFTER c | FIRST` places a column; elsewhere it is appended.
    fn column_position(&self) -> bool {
        inherit!(self.column_position(), false)
    }
    /// `GENERATED ALWAYS AS (..) STORED`.
    fn computed_stored(&self) -> bool {
        inherit!(self.computed_stored(), true)
    }
    /// `GENERATED ALWAYS AS (..) VIRTUAL`.
    fn computed_virtual(&self) -> bool {
        inherit!(self.computed_virtual(), true)
    }
    /// A `STRICT` table takes a column of type `sql_type`.
    fn strict_table_takes(&self, sql_type: &str) -> bool {
        inherit!(self.strict_table_takes(sql_type), true)
    }
    /// ADD COLUMN cannot add `col`: the table is rebuilt instead.
    fn add_column_rebuilds(&self, col: &Column) -> bool {
        inherit!(self.add_column_rebuilds(col), false)
    }
    /// There is no ALTER COLUMN: a change of type, nullability, default or
    /// type CHECK rebuilds the table.
    fn alter_column_rebuilds(&self) -> bool {
        inherit!(self.alter_column_rebuilds(), false)
    }
    /// Changing a column restates its whole definition, which resets whatever
    /// is not restated.
    fn alter_column_restates_column(&self) -> bool {
        inherit!(self.alter_column_restates_column(), false)
    }
    /// Changing a column's type or nullability restates both; its default is
    /// a constraint of its own ([`Rules::named_defaults`]).
    fn alter_column_restates_type(&self) -> bool {
        inherit!(self.alter_column_restates_type(), false)
    }
    /// A column change is one statement of only the changed attributes: the
    /// engine refuses to set what already is.
    fn alter_column_changed_only(&self) -> bool {
        inherit!(self.alter_column_changed_only(), false)
    }
    /// Indexes and constraints on a column block ALTER COLUMN / DROP COLUMN,
    /// so they are dropped first and recreated after.
    fn column_dependents_block_alter(&self) -> bool {
        inherit!(self.column_dependents_block_alter(), false)
    }
    /// Comments on tables and columns are kept.
    fn comments_stored(&self) -> bool {
        inherit!(self.comments_stored(), true)
    }
    /// Comments are part of the column definition and a table option; only a
    /// table's comment has a statement of its own.
    fn comments_inline(&self) -> bool {
        inherit!(self.comments_inline(), false)
    }

    // ---- Constraints. ----

    /// Constraints can be added and dropped with ALTER TABLE.
    fn alter_constraints(&self) -> bool {
        inherit!(self.alter_constraints(), true)
    }
    /// `DEFERRABLE` / `INITIALLY` on foreign keys.
    fn deferrable_fk(&self) -> bool {
        inherit!(self.deferrable_fk(), false)
    }
    /// Foreign keys accept `ON UPDATE`.
    fn fk_on_update(&self) -> bool {
        inherit!(self.fk_on_update(), true)
    }
    /// `ON DELETE/UPDATE RESTRICT` exists.
    fn fk_restrict(&self) -> bool {
        inherit!(self.fk_restrict(), true)
    }
    /// `ON DELETE/UPDATE SET DEFAULT` works.
    fn fk_set_default(&self) -> bool {
        inherit!(self.fk_set_default(), true)
    }
    /// A foreign key's parent is in the child's own schema and `REFERENCES`
    /// names it bare.
    fn fk_same_schema_only(&self) -> bool {
        inherit!(self.fk_same_schema_only(), false)
    }
    /// Foreign keys need an index that starts with their columns, which the
    /// engine creates itself and drops when another index covers the key.
    fn fk_needs_index(&self) -> bool {
        inherit!(self.fk_needs_index(), false)
    }

    // ---- Indexes. ----

    /// `CREATE INDEX IF NOT EXISTS`.
    fn index_if_not_exists(&self) -> bool {
        inherit!(self.index_if_not_exists(), false)
    }
    /// `DROP INDEX IF EXISTS`.
    fn index_if_exists(&self) -> bool {
        inherit!(self.index_if_exists(), true)
    }
    /// Partial indexes (`CREATE INDEX .. WHERE ..`).
    fn partial_index(&self) -> bool {
        inherit!(self.partial_index(), false)
    }
    /// `INCLUDE (cols)` on an index.
    fn index_include(&self) -> bool {
        inherit!(self.index_include(), false)
    }
    /// Expressions in an index.
    fn expression_index(&self) -> bool {
        inherit!(self.expression_index(), true)
    }
    /// An index expression is wrapped in its own parentheses, `((lower(x)))`.
    fn index_expr_parens(&self) -> bool {
        inherit!(self.index_expr_parens(), false)
    }
    /// Index column prefix lengths, `title(20)`; ignored elsewhere.
    fn index_prefix_length(&self) -> bool {
        inherit!(self.index_prefix_length(), false)
    }
    /// `CREATE/DROP INDEX CONCURRENTLY`, run outside the transaction; ignored elsewhere.
    fn concurrent_index(&self) -> bool {
        inherit!(self.concurrent_index(), false)
    }
    /// The index option (`key`, `value`) that builds or drops an index while
    /// writes go on, where the dialect has one as an option: the lint's
    /// `index-not-online` asks for it on tables that existed before.
    fn online_index(&self) -> Option<(&'static str, &'static str)> {
        inherit!(self.online_index(), None)
    }
    /// The `[scripts]` keys of ddlc.toml whose session setting bounds how long
    /// DDL waits for a table's lock on this dialect (empty: the scripts set
    /// none): `missing-lock-timeout` asks for one.
    fn lock_timeout_keys(&self) -> &'static [&'static str] {
        inherit!(self.lock_timeout_keys(), &[])
    }
    /// Only a clustered index can be dropped online: on any other the
    /// `online` option of `drop_index` is left out (a metadata change anyway).
    fn online_drop_needs_clustered(&self) -> bool {
        inherit!(self.online_drop_needs_clustered(), false)
    }
    /// `ADD COLUMN` with a volatile default (`random()`, `gen_random_uuid()`,
    /// `clock_timestamp()`, a sequence's next value) rewrites the whole table,
    /// where a constant (or stable) default is metadata only (PostgreSQL 11+).
    /// Asked by the linter (`volatile-default`).
    fn volatile_default_rewrites(&self) -> bool {
        inherit!(self.volatile_default_rewrites(), false)
    }
    /// The first major version that adds a column with a constant default
    /// without rewriting the table; before it, any default rewrites (None:
    /// no version of the engine rewrites for a constant). Asked by the linter
    /// with `[lint.versions]`.
    fn constant_default_in_place_since(&self) -> Option<u32> {
        inherit!(self.constant_default_in_place_since(), None)
    }
    /// `replace_view` is one statement (`create_view.sql` with `replace`:
    /// `CREATE OR REPLACE VIEW`, SQL Server's `CREATE OR ALTER VIEW`) that
    /// takes any new query; otherwise the view is dropped and created again,
    /// with the views that read it.
    fn replaces_view_in_place(&self) -> bool {
        inherit!(self.replaces_view_in_place(), true)
    }
    /// Stored functions and procedures (`create_function`, `create_procedure`).
    fn stored_routines(&self) -> bool {
        inherit!(self.stored_routines(), true)
    }

    // ---- Reading a dump (`ddlc diff --to`). ----

    /// The portable type a dump's SQL type stands for: `base` is its name in
    /// lower case with single spaces (`character varying`), `args` its
    /// numbers. `None`: no portable type, kept as `raw(..)`.
    fn type_of_sql(&self, base: &str, args: &[u32]) -> Option<TypeKind> {
        inherit!(self.type_of_sql(base, args), common_type_of_sql(base, args))
    }
    /// The schema a dump qualifies names with that means "the default one"
    /// (PostgreSQL's `public.`): read as an unqualified name.
    fn default_schema(&self) -> Option<&'static str> {
        inherit!(self.default_schema(), None)
    }
    /// Tables the engine makes for itself (`sqlite_sequence`), left out of a dump's schema.
    fn internal_table(&self, name: &str) -> bool {
        inherit!(self.internal_table(name), false)
    }
    /// A unique index and a unique constraint are one thing (MySQL's `UNIQUE
    /// KEY`): a dump cannot tell them apart, so neither can a comparison.
    fn unique_index_is_constraint(&self) -> bool {
        inherit!(self.unique_index_is_constraint(), false)
    }
    /// A primary key keeps the name it was given (MySQL's is always `PRIMARY`).
    fn primary_key_named(&self) -> bool {
        inherit!(self.primary_key_named(), true)
    }
    /// The function of the CHECK a dump adds to a column of type `json`
    /// that is stored as text (MariaDB's `json_valid`), if any.
    fn json_check(&self) -> Option<&'static str> {
        inherit!(self.json_check(), None)
    }
}

/// The SQL standard's type names and the spellings most engines share.
pub fn common_type_of_sql(base: &str, args: &[u32]) -> Option<TypeKind> {
    use TypeKind as K;
    let first = args.first().copied();
    // The model has no fractional-second precision: `timestamp(3)` stays SQL.
    if base.starts_with("time") && !args.is_empty() {
        return None;
    }
    Some(match base {
        "smallint" => K::SmallInt,
        "integer" | "int" => K::Integer,
        "bigint" => K::BigInt,
        "boolean" | "bool" => K::Boolean,
        "varchar" | "character varying" => K::String(first),
        "text" => K::Text,
        "char" | "character" => K::Char(first.unwrap_or(1)),
        "numeric" | "decimal" => K::Numeric {
            precision: first,
            scale: args.get(1).copied(),
        },
        "real" => K::Float,
        "double precision" | "double" => K::Double,
        "date" => K::Date,
        "time" | "time without time zone" => K::Time,
        "timestamp" | "timestamp without time zone" | "datetime" => K::Timestamp { tz: false },
        "timestamp with time zone" => K::Timestamp { tz: true },
        "json" => K::Json,
        "blob" => K::Binary(None),
        _ => return None,
    })
}

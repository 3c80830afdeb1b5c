//! The op IR: typed schema changes, independent of any dialect.
//!
//! `resolve` builds these from the parsed syntax (names checked for form, SQL
//! fragments parsed, constraint names filled in by the naming convention);
//! `schema` replays them; `lower` turns them into statements for one dialect.
//! Every op keeps the [`Span`] it came from, for located errors later on.

use crate::dialect::{Dialect, DialectSet};
use crate::source::{FileId, Span};
use indexmap::IndexMap;
use std::fmt;

/// A name as written by the user (unquoted, exact case). `span` and `conv` are
/// ignored by equality so that models built from different files compare equal.
#[derive(Clone, Debug, Default)]
pub struct Ident {
    /// The name itself, as it should exist in the database.
    pub name: String,
    /// Where it was written.
    pub span: Span,
    /// Written `conv(name)`: a constraint or index name that the naming
    /// convention leaves as it is (SQLAlchemy's `conv()`).
    pub conv: bool,
}

impl Ident {
    /// A name with a span.
    pub fn new(name: impl Into<String>, span: Span) -> Ident {
        Ident {
            name: name.into(),
            span,
            conv: false,
        }
    }

    /// A name made by the compiler (naming convention, derived downgrade).
    pub fn synthetic(name: impl Into<String>) -> Ident {
        Ident::new(name, Span::NONE)
    }

    /// The name as `&str`.
    pub fn as_str(&self) -> &str {
        &self.name
    }
}

impl PartialEq for Ident {
    fn eq(&self, other: &Ident) -> bool {
        self.name == other.name
    }
}
impl Eq for Ident {}
impl std::hash::Hash for Ident {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state)
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

/// A possibly schema-qualified name: `billing.invoice`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct QualifiedName {
    /// `billing` in `billing.invoice`; `None` means the connection's default schema.
    pub schema: Option<Ident>,
    /// `invoice`.
    pub name: Ident,
}

impl QualifiedName {
    /// An unqualified name.
    pub fn bare(name: Ident) -> QualifiedName {
        QualifiedName { schema: None, name }
    }

    /// The key used in the schema model: `schema.name` or `name`.
    pub fn key(&self) -> String {
        match &self.schema {
            Some(s) => format!("{}.{}", s.name, self.name.name),
            None => self.name.name.clone(),
        }
    }

    /// Span of the whole name.
    pub fn span(&self) -> Span {
        match &self.schema {
            Some(s) => s.span.to(self.name.span),
            None => self.name.span,
        }
    }
}

impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

/// A SQL fragment (DEFAULT expression, CHECK body, index WHERE clause, index
/// expression, computed column expression) that sqlparser accepted. The text is
/// kept as written: it is emitted verbatim, so it must be valid on every dialect
/// it is rendered for.
#[derive(Clone, Debug)]
pub struct SqlExpr {
    /// The fragment, without the surrounding parentheses of the DSL.
    pub text: String,
    /// Where it was written.
    pub span: Span,
}

impl PartialEq for SqlExpr {
    fn eq(&self, other: &SqlExpr) -> bool {
        self.text == other.text
    }
}
impl Eq for SqlExpr {}

/// Portable column types. Each maps to one SQL type per dialect in `types`.
///
/// | type | postgresql | mysql/mariadb | sqlite | mssql | oracle |
/// |---|---|---|---|---|---|
/// | smallint | SMALLINT | SMALLINT | SMALLINT | SMALLINT | SMALLINT |
/// | integer | INTEGER | INTEGER | INTEGER | INTEGER | INTEGER |
/// | bigint | BIGINT | BIGINT | BIGINT | BIGINT | NUMBER(19) |
/// | boolean | BOOLEAN | BOOL | BOOLEAN | BIT | NUMBER(1) + CHECK |
/// | string(n) | VARCHAR(n) | VARCHAR(n) | VARCHAR(n) | VARCHAR(n) | VARCHAR2(n CHAR) |
/// | text | TEXT | TEXT | TEXT | VARCHAR(max) | CLOB |
/// | nstring(n) | VARCHAR(n) | VARCHAR(n) | VARCHAR(n) | NVARCHAR(n) | NVARCHAR2(n) |
/// | ntext | TEXT | TEXT | TEXT | NVARCHAR(max) | NCLOB |
/// | char(n) | CHAR(n) | CHAR(n) | CHAR(n) | CHAR(n) | CHAR(n) |
/// | numeric(p,s) | NUMERIC(p,s) | NUMERIC(p,s) | NUMERIC(p,s) | NUMERIC(p,s) | NUMERIC(p,s) |
/// | float | REAL | FLOAT | REAL | REAL | BINARY_FLOAT |
/// | double | DOUBLE PRECISION | DOUBLE | DOUBLE PRECISION | FLOAT(53) | BINARY_DOUBLE |
/// | date | DATE | DATE | DATE | DATE | DATE |
/// | time | TIME | TIME | TIME | TIME | INTERVAL DAY TO SECOND |
/// | timestamp | TIMESTAMP WITHOUT TIME ZONE | DATETIME | DATETIME | DATETIME2 | TIMESTAMP |
/// | timestamp(tz) | TIMESTAMP WITH TIME ZONE | DATETIME | DATETIME | DATETIMEOFFSET | TIMESTAMP WITH TIME ZONE |
/// | interval | INTERVAL | (error) | (error) | (error) | INTERVAL DAY TO SECOND |
/// | uuid | UUID | CHAR(32) | CHAR(32) | UNIQUEIDENTIFIER | CHAR(32) |
/// | json | JSON | JSON | JSON | NVARCHAR(max) | CLOB + IS JSON |
/// | binary / binary(n) | BYTEA | BLOB / VARBINARY(n) | BLOB | VARBINARY(max/n) | BLOB / RAW(n) |
/// | enum(name: ..) | CREATE TYPE name AS ENUM | ENUM(..) | VARCHAR + CHECK | VARCHAR + CHECK | VARCHAR2 + CHECK |
///
/// The table is the intent; `types.rs` is the authority.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeKind {
    /// `smallint`
    SmallInt,
    /// `integer`
    Integer,
    /// `bigint`
    BigInt,
    /// `boolean`
    Boolean,
    /// `string(n)`; `string` without a length is allowed where the dialect has unbounded VARCHAR.
    String(Option<u32>),
    /// `text`
    Text,
    /// `nstring(n)`: a string of national (Unicode) characters where the
    /// dialect tells them apart (NVARCHAR, NVARCHAR2), else `string(n)`.
    NString(Option<u32>),
    /// `ntext`: unbounded national text (NVARCHAR(max), NCLOB), else `text`.
    NText,
    /// `char(n)`
    Char(u32),
    /// `numeric(p, s)` / `numeric(p)` / `numeric`
    Numeric {
        /// Total digits.
        precision: Option<u32>,
        /// Digits after the point.
        scale: Option<u32>,
    },
    /// `float` (single precision)
    Float,
    /// `double`
    Double,
    /// `date`
    Date,
    /// `time`
    Time,
    /// `timestamp` / `timestamp(tz)`
    Timestamp {
        /// `timestamp(tz)`: with time zone.
        tz: bool,
    },
    /// `interval`
    Interval,
    /// `uuid`
    Uuid,
    /// `json`
    Json,
    /// `binary` / `binary(n)`
    Binary(Option<u32>),
    /// `enum(name: 'a', 'b')`: a named enum (PostgreSQL `CREATE TYPE`).
    Enum(EnumType),
    /// `raw("TSVECTOR")`: a type written in SQL, used as is on every dialect
    /// unless a variant overrides it.
    Raw(String),
}

/// A named enumeration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumType {
    /// The type name (PostgreSQL) and the base of the CHECK constraint name elsewhere.
    pub name: Ident,
    /// Allowed values, in order.
    pub values: Vec<String>,
}

/// A column type: the portable kind plus per-dialect overrides
/// (`json variant postgresql "JSONB"`), like SQLAlchemy's `with_variant`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnType {
    /// The portable type.
    pub kind: TypeKind,
    /// Raw SQL type per dialect, replacing `kind`'s mapping there.
    pub variants: IndexMap<Dialect, String>,
    /// Where the type was written.
    pub span: Span,
}

impl ColumnType {
    /// A type with no variants.
    pub fn new(kind: TypeKind, span: Span) -> ColumnType {
        ColumnType {
            kind,
            variants: IndexMap::new(),
            span,
        }
    }
}

/// A literal value: in defaults and bulk_insert rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Literal {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// An integer as written (`-12`); kept as text so no precision is lost.
    Integer(String),
    /// A decimal as written (`12.50`, `1e3`).
    Decimal(String),
    /// `'text'` (already unescaped: `'O''Neil'` holds `O'Neil`).
    String(String),
}

/// A column's server-side default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DefaultValue {
    /// A literal: `default 0`, `default 'new'`, `default true`.
    Literal(Literal),
    /// `default now()`: the current timestamp, spelled per dialect.
    CurrentTimestamp,
    /// `default current_date`.
    CurrentDate,
    /// `default nextval(seq_name)`: the next value of a sequence, spelled per dialect.
    NextVal(QualifiedName),
    /// `default (expr)`: any SQL expression, emitted as written.
    Expr(SqlExpr),
}

/// Identity / autoincrement. Which options a dialect can state is
/// [`crate::dialect::Rules::identity_options`]'s answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Identity {
    /// `identity(always)`: values cannot be supplied (PostgreSQL/Oracle `ALWAYS`).
    pub always: bool,
    /// First value.
    pub start: Option<i64>,
    /// Step.
    pub increment: Option<i64>,
    /// `minvalue n`: the lowest value.
    pub minvalue: Option<i64>,
    /// `maxvalue n`: the highest value.
    pub maxvalue: Option<i64>,
    /// `cycle`: wrap around at the end instead of failing.
    pub cycle: bool,
    /// `cache n`: values preallocated per session.
    pub cache: Option<i64>,
    /// `on_null` (Oracle): an explicit NULL also takes the next value.
    pub on_null: bool,
    /// `order` (Oracle RAC): values are handed out in request order.
    pub order: bool,
}

impl Identity {
    /// The options set beyond `always` / `start` / `increment`, by their DSL
    /// words (in the order the grammar lists them).
    pub fn options_set(&self) -> Vec<&'static str> {
        [
            ("minvalue", self.minvalue.is_some()),
            ("maxvalue", self.maxvalue.is_some()),
            ("cycle", self.cycle),
            ("cache", self.cache.is_some()),
            ("on_null", self.on_null),
            ("order", self.order),
        ]
        .into_iter()
        .filter_map(|(w, set)| set.then_some(w))
        .collect()
    }
}

/// A generated (computed) column: `computed (price * qty) stored`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Computed {
    /// The expression.
    pub expr: SqlExpr,
    /// Stored (materialised) rather than virtual.
    pub stored: bool,
}

/// One column's definition, without table-level constraints (those are
/// [`Constraint`]s, even when written inline).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// The name.
    pub name: Ident,
    /// The type.
    pub ty: ColumnType,
    /// Nullable unless `not_null` (or part of the primary key).
    pub nullable: bool,
    /// Server default.
    pub default: Option<DefaultValue>,
    /// Autoincrement / identity (boxed, as most columns have none: a column
    /// is held once per revision that writes it and once in the model).
    pub identity: Option<Box<Identity>>,
    /// Generated column (boxed, as `identity`).
    pub computed: Option<Box<Computed>>,
    /// Column comment.
    pub comment: Option<String>,
    /// Where the column was defined.
    pub span: Span,
}

/// Referential action of a foreign key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FkAction {
    /// `cascade`
    Cascade,
    /// `set_null`
    SetNull,
    /// `set_default`
    SetDefault,
    /// `restrict`
    Restrict,
    /// `no_action`
    NoAction,
}

impl FkAction {
    /// The SQL spelling.
    pub fn sql(self) -> &'static str {
        match self {
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
            FkAction::Restrict => "RESTRICT",
            FkAction::NoAction => "NO ACTION",
        }
    }
}

/// Foreign key details.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignKey {
    /// Referencing columns, in the constrained table.
    pub columns: Vec<Ident>,
    /// Referenced table.
    pub ref_table: QualifiedName,
    /// Referenced columns.
    pub ref_columns: Vec<Ident>,
    /// `on_delete`
    pub on_delete: Option<FkAction>,
    /// `on_update`
    pub on_update: Option<FkAction>,
    /// `deferrable` (true) / `not_deferrable` (false).
    pub deferrable: Option<bool>,
    /// `initially deferred` (true) / `initially immediate` (false).
    pub initially_deferred: Option<bool>,
    /// `match full|partial|simple`.
    pub match_kind: Option<FkMatch>,
}

/// How a foreign key treats a row with some of its columns NULL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FkMatch {
    /// `match simple`: any NULL column passes (every engine's default).
    Simple,
    /// `match full`: all columns NULL or none.
    Full,
    /// `match partial`: the non-NULL columns must match (no engine here has it).
    Partial,
}

impl FkMatch {
    /// The DSL word, also the template's.
    pub fn word(self) -> &'static str {
        match self {
            FkMatch::Simple => "simple",
            FkMatch::Full => "full",
            FkMatch::Partial => "partial",
        }
    }
}

/// What kind of constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConstraintKind {
    /// `PRIMARY KEY (cols)`
    PrimaryKey(Vec<Ident>),
    /// `UNIQUE (cols)`
    Unique(Vec<Ident>),
    /// `CHECK (expr)`
    Check(SqlExpr),
    /// `FOREIGN KEY (cols) REFERENCES t (cols)`
    ForeignKey(ForeignKey),
}

impl ConstraintKind {
    /// The words of `drop_constraint ... type <word>`, the only place they
    /// are spelled: primary key, unique, check, foreign key (the order of
    /// `naming::Kind::CONSTRAINTS`).
    pub const TYPE_WORDS: [&'static str; 4] = ["primary", "unique", "check", "foreignkey"];

    /// The word used in messages and in `drop_constraint .. type`.
    pub fn word(&self) -> &'static str {
        Self::TYPE_WORDS[match self {
            ConstraintKind::PrimaryKey(_) => 0,
            ConstraintKind::Unique(_) => 1,
            ConstraintKind::Check(_) => 2,
            ConstraintKind::ForeignKey(_) => 3,
        }]
    }

    /// The columns the constraint names (empty for CHECK).
    pub fn columns(&self) -> &[Ident] {
        match self {
            ConstraintKind::PrimaryKey(c) | ConstraintKind::Unique(c) => c,
            ConstraintKind::ForeignKey(fk) => &fk.columns,
            ConstraintKind::Check(_) => &[],
        }
    }
}

/// A table constraint. Always named after `resolve` (the naming convention fills
/// names the user left out), so every constraint can be dropped on every dialect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Constraint {
    /// The name (from the user or the naming convention).
    pub name: Ident,
    /// True when the user wrote no name and the convention made it.
    pub generated_name: bool,
    /// What it constrains.
    pub kind: ConstraintKind,
    /// Where it was written.
    pub span: Span,
}

/// One element of an index: a column or an expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndexPart {
    /// A column, optionally descending, optionally with a MySQL prefix length.
    Column {
        /// The column.
        name: Ident,
        /// `desc`
        desc: bool,
        /// `title(20)`: MySQL/MariaDB prefix length; ignored elsewhere.
        length: Option<u32>,
    },
    /// `(lower(email))`: a functional index part.
    Expr(SqlExpr),
}

/// An index definition (as stored in the schema model, and created by [`CreateIndex`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Index {
    /// The name.
    pub name: Ident,
    /// True when the naming convention made the name.
    pub generated_name: bool,
    /// The indexed table.
    pub table: QualifiedName,
    /// Columns / expressions.
    pub parts: Vec<IndexPart>,
    /// `unique`
    pub unique: bool,
    /// `where (expr)`: partial index.
    pub where_clause: Option<SqlExpr>,
    /// `include (cols)`: covering columns (PostgreSQL, SQL Server).
    pub include: Vec<Ident>,
    /// Per-dialect options: `postgresql using gin`, `mysql prefix fulltext`.
    pub options: DialectOptions,
    /// Where it was written.
    pub span: Span,
}

/// Options that only mean something on one dialect, written
/// `<dialect>.<key> = <value>` in the DSL and checked against a known list in
/// `resolve`. Ignored on other dialects.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DialectOptions(pub IndexMap<Dialect, IndexMap<String, String>>);

impl DialectOptions {
    /// The value of `key` for `dialect`, else for its parent (`mariadb` takes
    /// `mysql.*` options it does not override; see [`Dialect::parent`]).
    pub fn get(&self, dialect: Dialect, key: &str) -> Option<&str> {
        let own = |d: Dialect| self.0.get(&d).and_then(|m| m.get(key));
        own(dialect)
            .or_else(|| dialect.parent().and_then(own))
            .map(String::as_str)
    }

    /// True when no option is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// `create_table name { columns; constraints }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateTable {
    /// The table.
    pub name: QualifiedName,
    /// Columns, in order (order is meaning).
    pub columns: Vec<Column>,
    /// Table constraints, including those written inline on columns.
    pub constraints: Vec<Constraint>,
    /// Indexes written inside the table block (`index (col)`), created after it.
    pub indexes: Vec<Index>,
    /// Table comment.
    pub comment: Option<String>,
    /// `if_not_exists`
    pub if_not_exists: bool,
    /// `mysql.engine = InnoDB`, `mysql.charset = utf8mb4`, `sqlite.autoincrement = true`...
    pub options: DialectOptions,
}

/// `drop_table name`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropTable {
    /// The table.
    pub name: QualifiedName,
    /// `if_exists`
    pub if_exists: bool,
}

/// `rename_table old -> new`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameTable {
    /// Current name.
    pub from: QualifiedName,
    /// New name (same schema).
    pub to: Ident,
}

/// `add_column table.col : type ...`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddColumn {
    /// The table.
    pub table: QualifiedName,
    /// The new column.
    pub column: Column,
    /// `if_not_exists`
    pub if_not_exists: bool,
    /// Where the column goes. Written migrations append; the derived inverse
    /// of `drop_column` puts the column back where it was, which MySQL and
    /// MariaDB can express (`AFTER`/`FIRST`) and other engines cannot.
    pub position: ColumnPosition,
}

/// Where an added column goes in the table's column order.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum ColumnPosition {
    /// After every existing column.
    #[default]
    Last,
    /// Before every existing column.
    First,
    /// Right after the named column.
    After(Ident),
}

/// `drop_column table.col`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropColumn {
    /// The table.
    pub table: QualifiedName,
    /// The column.
    pub column: Ident,
    /// `if_exists`
    pub if_exists: bool,
}

/// `alter_column table.col ...` (and `rename_column`). Every field is a change;
/// `None` leaves that attribute as the schema model has it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AlterColumn {
    /// The table.
    pub table: QualifiedName,
    /// The column (its current name).
    pub column: Ident,
    /// `type T` (with `using (expr)` for PostgreSQL conversions).
    pub new_type: Option<ColumnType>,
    /// `using (expr)`: PostgreSQL's `USING` for a type change.
    pub using: Option<SqlExpr>,
    /// `not_null` → Some(false), `null` → Some(true).
    pub nullable: Option<bool>,
    /// `default X` → Some(Some(X)); `drop_default` → Some(None).
    pub default: Option<Option<DefaultValue>>,
    /// `rename_column t.a -> b` / `rename b`.
    pub rename: Option<Ident>,
    /// `comment 'x'` → Some(Some(x)); `drop_comment` → Some(None).
    pub comment: Option<Option<String>>,
    /// `identity(..)` / `autoincrement` → Some(Some(i)) (added, or its
    /// options replaced); `drop_identity` → Some(None).
    pub identity: Option<Option<Box<Identity>>>,
}

/// `create_unique_constraint`, `create_foreign_key`, `create_check_constraint`,
/// `create_primary_key`: one op, the kind is in the constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddConstraint {
    /// The constrained table.
    pub table: QualifiedName,
    /// The constraint.
    pub constraint: Constraint,
    /// `not_valid` (a foreign key or a check): the rows already there are
    /// not checked until `validate_constraint` (PostgreSQL `NOT VALID`).
    pub not_valid: bool,
}

/// `validate_constraint name on table`: checks the rows a `not_valid`
/// constraint did not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidateConstraint {
    /// The table.
    pub table: QualifiedName,
    /// The constraint (a foreign key or a check).
    pub name: Ident,
}

/// `drop_constraint name on table [type unique] [if_exists]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DropConstraint {
    /// The table.
    pub table: QualifiedName,
    /// The constraint's name (the naming convention's name for it when `type`
    /// says which template applies).
    pub name: Ident,
    /// Without `type`: the names the naming convention makes of `name` for the
    /// kinds whose template uses `%(constraint_name)s`. When no constraint is
    /// called `name`, the one of these that exists is dropped.
    pub convention_names: Vec<Ident>,
    /// `if_exists`: no constraint of the name in the model is no error, and
    /// the drop says `IF EXISTS` (the database may lack it too).
    pub if_exists: bool,
}

/// `create_index`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateIndex {
    /// The index.
    pub index: Index,
    /// `concurrently` (PostgreSQL): must run outside the script's transaction.
    pub concurrently: bool,
    /// `if_not_exists`
    pub if_not_exists: bool,
}

/// `drop_index name [on table]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropIndex {
    /// The index name (schema-qualified where the index lives in a schema).
    pub name: QualifiedName,
    /// The table, when written; otherwise found in the schema model.
    pub table: Option<QualifiedName>,
    /// `concurrently` (PostgreSQL).
    pub concurrently: bool,
    /// `if_exists`
    pub if_exists: bool,
    /// `mysql.algorithm = inplace`, `mssql.online = true`, ...: how the drop locks.
    pub options: DialectOptions,
}

/// `comment_table t 'text'` / `drop_table_comment t`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetTableComment {
    /// The table.
    pub table: QualifiedName,
    /// The new comment; `None` drops it.
    pub comment: Option<String>,
}

/// `create_sequence name [start N] [increment N]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateSequence {
    /// The sequence.
    pub name: QualifiedName,
    /// First value.
    pub start: Option<i64>,
    /// Step.
    pub increment: Option<i64>,
}

/// `drop_sequence name`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropSequence {
    /// The sequence.
    pub name: QualifiedName,
}

/// Where `add_enum_value` puts the new value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnumPosition {
    /// At the end.
    Last,
    /// `before 'x'`, with where `'x'` was written.
    Before(String, Span),
    /// `after 'x'`.
    After(String, Span),
}

/// What an enum op changes in the values of a named enum type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EnumChange {
    /// `add_enum_value`: a new value, at a position.
    Add(String, EnumPosition),
    /// `rename_enum_value`: from, to.
    Rename(String, String),
    /// `drop_enum_value`: rows must no longer hold it (the engine refuses otherwise).
    Drop(String),
}

/// `add_enum_value` / `rename_enum_value` / `drop_enum_value` on a named enum
/// type that columns use (named with their table's schema: `billing.state`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlterEnum {
    /// The enum type.
    pub name: QualifiedName,
    /// The change.
    pub change: EnumChange,
    /// Where the value the op adds, renames or drops was written.
    pub value_span: Span,
}

/// `bulk_insert table (cols) { (..) (..) }`: typed literal rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkInsert {
    /// The table.
    pub table: QualifiedName,
    /// The columns given.
    pub columns: Vec<Ident>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<Literal>>,
}

/// The value a column is set to by `update_rows`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowValue {
    /// A literal, typed by the column it is written to (as in `bulk_insert`).
    Literal(Literal),
    /// `(expr)`: an SQL expression, which may name the table's columns.
    Expr(SqlExpr),
}

/// `update_rows table set col = value {, col = value} [where (cond)]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpdateRows {
    /// The table.
    pub table: QualifiedName,
    /// The columns set, in order, with their values.
    pub set: Vec<(Ident, RowValue)>,
    /// `where (cond)`; `None` updates every row.
    pub where_clause: Option<SqlExpr>,
}

/// `delete_rows table [where (cond)]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeleteRows {
    /// The table.
    pub table: QualifiedName,
    /// `where (cond)`; `None` deletes every row.
    pub where_clause: Option<SqlExpr>,
}

/// Raw SQL, checked by sqlparser (unless `raw`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqlText {
    /// The SQL as written (one or more statements, trimmed).
    pub text: String,
    /// Where it was written.
    pub span: Span,
    /// `execute raw <dialect>`: not checked by sqlparser, only split into
    /// statements and checked for what the dialect's client reads into it.
    pub raw: bool,
}

/// `execute { "sql" }` and `execute postgresql { "sql" }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Execute {
    /// SQL for every dialect without its own variant; `None` means such dialects get nothing.
    pub default: Option<SqlText>,
    /// Per-dialect SQL.
    pub variants: IndexMap<Dialect, SqlText>,
}

/// `create_view name as (select ...)` and `replace_view name as (select ...)`:
/// a view and its query (the body is re-spelled per dialect like any fragment).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateView {
    /// The view.
    pub name: QualifiedName,
    /// The query, as written (one SELECT, checked by sqlparser).
    pub query: SqlExpr,
}

/// `drop_view name`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropView {
    /// The view.
    pub name: QualifiedName,
}

/// What kind of named object a [`Routine`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RoutineKind {
    /// `create_function`
    Function,
    /// `create_procedure`
    Procedure,
    /// `create_trigger` (on a table)
    Trigger,
}

impl RoutineKind {
    /// The word in messages: `function`, `procedure`, `trigger`.
    pub fn word(self) -> &'static str {
        match self {
            RoutineKind::Function => "function",
            RoutineKind::Procedure => "procedure",
            RoutineKind::Trigger => "trigger",
        }
    }

    /// Its create, replace and drop ops.
    pub fn ops(self) -> [OpName; 3] {
        match self {
            RoutineKind::Function => [
                OpName::CreateFunction,
                OpName::ReplaceFunction,
                OpName::DropFunction,
            ],
            RoutineKind::Procedure => [
                OpName::CreateProcedure,
                OpName::ReplaceProcedure,
                OpName::DropProcedure,
            ],
            RoutineKind::Trigger => [
                OpName::CreateTrigger,
                OpName::ReplaceTrigger,
                OpName::DropTrigger,
            ],
        }
    }
}

/// `create_function name { postgresql "CREATE FUNCTION ..." ... }` (and
/// procedures, and `create_trigger name on table { ... }`): a named object
/// whose SQL the author writes per dialect, as for `execute`. The model
/// keeps the SQL, so a drop or replace is undone from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Routine {
    /// Function, procedure or trigger.
    pub kind: RoutineKind,
    /// Its name.
    pub name: QualifiedName,
    /// The table a trigger is on.
    pub table: Option<QualifiedName>,
    /// The statements that create it, per dialect (a dialect with no body has no such object).
    pub bodies: Execute,
}

/// `drop_function name`, `drop_procedure name`, `drop_trigger name on table`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropRoutine {
    /// Function, procedure or trigger.
    pub kind: RoutineKind,
    /// Its name.
    pub name: QualifiedName,
    /// The table a trigger is on.
    pub table: Option<QualifiedName>,
}

/// The op table: every op of the migration language, declared once, in the
/// order docs/dsl.md documents them. Each row is the op's [`OpName`]
/// variant, its keyword (the DSL's word, Alembic's `op.*` name, the name in
/// messages), the [`OpKind`] variant it resolves to, and its doc line.
/// Adding an op starts here: the parser's and the resolver's dispatch are
/// exhaustive matches on [`OpName`], so they do not compile until it is handled.
macro_rules! ops {
    ($($name:ident = $keyword:literal => $kind:ident : $doc:literal,)*) => {
        /// An op of the migration language, by its keyword.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum OpName {
            $(#[doc = $doc] $name,)*
        }

        impl OpName {
            /// Every op, in table (and docs/dsl.md) order.
            pub const ALL: &'static [OpName] = &[$(OpName::$name,)*];

            /// The DSL keyword / Alembic op name, also used in messages.
            pub fn keyword(self) -> &'static str {
                match self { $(OpName::$name => $keyword,)* }
            }

            /// What the op does, in one line.
            pub fn doc(self) -> &'static str {
                match self { $(OpName::$name => $doc,)* }
            }

            /// The name of the [`OpKind`] variant the op resolves to.
            pub fn kind(self) -> &'static str {
                match self { $(OpName::$name => stringify!($kind),)* }
            }

            /// The op a keyword names.
            pub fn of_keyword(word: &str) -> Option<OpName> {
                match word { $($keyword => Some(OpName::$name),)* _ => None }
            }
        }
    };
}

ops! {
    CreateTable = "create_table" => CreateTable: "Create a table.",
    DropTable = "drop_table" => DropTable: "Drop a table.",
    RenameTable = "rename_table" => RenameTable: "Rename a table.",
    AddColumn = "add_column" => AddColumn: "Add a column.",
    DropColumn = "drop_column" => DropColumn: "Drop a column.",
    AlterColumn = "alter_column" => AlterColumn: "Change a column (type, nullability, default, name, comment, identity).",
    RenameColumn = "rename_column" => AlterColumn: "Rename a column.",
    CreateIndex = "create_index" => CreateIndex: "Create an index.",
    DropIndex = "drop_index" => DropIndex: "Drop an index.",
    CreatePrimaryKey = "create_primary_key" => AddConstraint: "Add a primary key to an existing table.",
    CreateUniqueConstraint = "create_unique_constraint" => AddConstraint: "Add a unique constraint to an existing table.",
    CreateCheckConstraint = "create_check_constraint" => AddConstraint: "Add a check constraint to an existing table.",
    CreateForeignKey = "create_foreign_key" => AddConstraint: "Add a foreign key to an existing table.",
    DropConstraint = "drop_constraint" => DropConstraint: "Drop a constraint.",
    ValidateConstraint = "validate_constraint" => ValidateConstraint: "Check the existing rows against a `not_valid` constraint.",
    CreateTableComment = "create_table_comment" => SetTableComment: "Set a table comment.",
    DropTableComment = "drop_table_comment" => SetTableComment: "Drop a table comment.",
    CreateView = "create_view" => CreateView: "Create a view.",
    ReplaceView = "replace_view" => ReplaceView: "Give a view a new query (the old one is kept for the inverse).",
    DropView = "drop_view" => DropView: "Drop a view.",
    CreateFunction = "create_function" => CreateRoutine: "Create a function from per-dialect SQL.",
    ReplaceFunction = "replace_function" => ReplaceRoutine: "Give a function new per-dialect SQL (the old SQL is kept for the inverse).",
    DropFunction = "drop_function" => DropRoutine: "Drop a function.",
    CreateProcedure = "create_procedure" => CreateRoutine: "Create a procedure from per-dialect SQL.",
    ReplaceProcedure = "replace_procedure" => ReplaceRoutine: "Give a procedure new per-dialect SQL (the old SQL is kept for the inverse).",
    DropProcedure = "drop_procedure" => DropRoutine: "Drop a procedure.",
    CreateTrigger = "create_trigger" => CreateRoutine: "Create a trigger on a table from per-dialect SQL.",
    ReplaceTrigger = "replace_trigger" => ReplaceRoutine: "Give a trigger new per-dialect SQL (the old SQL is kept for the inverse).",
    DropTrigger = "drop_trigger" => DropRoutine: "Drop a trigger.",
    CreateSequence = "create_sequence" => CreateSequence: "Create a sequence.",
    DropSequence = "drop_sequence" => DropSequence: "Drop a sequence.",
    AddEnumValue = "add_enum_value" => AlterEnum: "Add a value to an enum type columns use.",
    RenameEnumValue = "rename_enum_value" => AlterEnum: "Rename a value of an enum type.",
    DropEnumValue = "drop_enum_value" => AlterEnum: "Remove a value from an enum type.",
    BulkInsert = "bulk_insert" => BulkInsert: "Insert rows.",
    UpdateRows = "update_rows" => UpdateRows: "Update rows, with names quoted and columns checked.",
    DeleteRows = "delete_rows" => DeleteRows: "Delete rows, with names quoted and columns checked.",
    Execute = "execute" => Execute: "Run raw SQL, per dialect.",
}

impl std::fmt::Display for OpName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.keyword())
    }
}

/// The kind of change an [`Op`] makes. Names follow Alembic's `op.*`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpKind {
    /// Create a table.
    CreateTable(CreateTable),
    /// Drop a table.
    DropTable(DropTable),
    /// Rename a table.
    RenameTable(RenameTable),
    /// Add a column.
    AddColumn(AddColumn),
    /// Drop a column.
    DropColumn(DropColumn),
    /// Change a column (type, nullability, default, name, comment, identity).
    AlterColumn(AlterColumn),
    /// Add a constraint to an existing table.
    AddConstraint(AddConstraint),
    /// Drop a constraint.
    DropConstraint(DropConstraint),
    /// Validate a `not_valid` constraint.
    ValidateConstraint(ValidateConstraint),
    /// Create an index.
    CreateIndex(CreateIndex),
    /// Drop an index.
    DropIndex(DropIndex),
    /// Set or drop a table comment.
    SetTableComment(SetTableComment),
    /// Create a sequence.
    CreateSequence(CreateSequence),
    /// Drop a sequence.
    DropSequence(DropSequence),
    /// Add, rename or remove a value of an enum type.
    AlterEnum(AlterEnum),
    /// Insert rows.
    BulkInsert(BulkInsert),
    /// Update rows.
    UpdateRows(UpdateRows),
    /// Delete rows.
    DeleteRows(DeleteRows),
    /// Raw SQL.
    Execute(Execute),
    /// Create a view.
    CreateView(CreateView),
    /// Give a view a new query.
    ReplaceView(CreateView),
    /// Drop a view.
    DropView(DropView),
    /// Create a function, procedure or trigger.
    CreateRoutine(Routine),
    /// Give a function, procedure or trigger new SQL.
    ReplaceRoutine(Routine),
    /// Drop a function, procedure or trigger.
    DropRoutine(DropRoutine),
}

impl OpKind {
    /// The DSL keyword / Alembic op name, also used in messages.
    pub fn name(&self) -> &'static str {
        self.op_name().keyword()
    }

    /// The op that writes this change (a change several ops write, such as
    /// [`OpKind::AlterColumn`], by what it changes).
    pub fn op_name(&self) -> OpName {
        match self {
            OpKind::CreateTable(_) => OpName::CreateTable,
            OpKind::DropTable(_) => OpName::DropTable,
            OpKind::RenameTable(_) => OpName::RenameTable,
            OpKind::AddColumn(_) => OpName::AddColumn,
            OpKind::DropColumn(_) => OpName::DropColumn,
            OpKind::AlterColumn(a) => {
                let only_rename = a.rename.is_some()
                    && a.new_type.is_none()
                    && a.nullable.is_none()
                    && a.default.is_none()
                    && a.comment.is_none()
                    && a.identity.is_none();
                if only_rename {
                    OpName::RenameColumn
                } else {
                    OpName::AlterColumn
                }
            }
            OpKind::AddConstraint(c) => match c.constraint.kind {
                ConstraintKind::PrimaryKey(_) => OpName::CreatePrimaryKey,
                ConstraintKind::Unique(_) => OpName::CreateUniqueConstraint,
                ConstraintKind::Check(_) => OpName::CreateCheckConstraint,
                ConstraintKind::ForeignKey(_) => OpName::CreateForeignKey,
            },
            OpKind::DropConstraint(_) => OpName::DropConstraint,
            OpKind::ValidateConstraint(_) => OpName::ValidateConstraint,
            OpKind::CreateIndex(_) => OpName::CreateIndex,
            OpKind::DropIndex(_) => OpName::DropIndex,
            OpKind::SetTableComment(c) => match c.comment {
                Some(_) => OpName::CreateTableComment,
                None => OpName::DropTableComment,
            },
            OpKind::CreateSequence(_) => OpName::CreateSequence,
            OpKind::DropSequence(_) => OpName::DropSequence,
            OpKind::AlterEnum(a) => match a.change {
                EnumChange::Add(..) => OpName::AddEnumValue,
                EnumChange::Rename(..) => OpName::RenameEnumValue,
                EnumChange::Drop(_) => OpName::DropEnumValue,
            },
            OpKind::BulkInsert(_) => OpName::BulkInsert,
            OpKind::UpdateRows(_) => OpName::UpdateRows,
            OpKind::DeleteRows(_) => OpName::DeleteRows,
            OpKind::Execute(_) => OpName::Execute,
            OpKind::CreateView(_) => OpName::CreateView,
            OpKind::ReplaceView(_) => OpName::ReplaceView,
            OpKind::DropView(_) => OpName::DropView,
            OpKind::CreateRoutine(r) => r.kind.ops()[0],
            OpKind::ReplaceRoutine(r) => r.kind.ops()[1],
            OpKind::DropRoutine(r) => r.kind.ops()[2],
        }
    }
}

/// One schema change, with the span of the statement that wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Op {
    /// What it does.
    pub kind: OpKind,
    /// The whole op in the source (for derived ops: the op they invert).
    pub span: Span,
    /// The dialects it applies to, from `only (...)` blocks and qualifiers;
    /// `None`: every dialect. Read once, by [`Revision::for_dialect`]: the
    /// stages after it see only the ops of their dialect.
    pub only: Option<DialectSet>,
}

impl Op {
    /// An op for every dialect.
    pub fn new(kind: OpKind, span: Span) -> Op {
        Op {
            kind,
            span,
            only: None,
        }
    }

    /// Whether the op applies to `dialect`.
    pub fn applies_to(&self, dialect: Dialect) -> bool {
        self.only.is_none_or(|set| set.contains(dialect))
    }
}

/// A revision's id as written in its header.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RevisionId(pub String);

impl fmt::Display for RevisionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// How a revision is undone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Downgrade {
    /// `downgrade auto`: derived from the upgrade ops and the schema model.
    Auto(Span),
    /// `downgrade { ... }`: written by hand.
    Ops(Vec<Op>),
    /// `downgrade irreversible "why"`.
    Irreversible {
        /// The author's reason.
        reason: String,
        /// Where it was written.
        span: Span,
    },
}

/// One migration file, resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revision {
    /// `revision "ae1027a6acf"`.
    pub id: RevisionId,
    /// Span of the id in the header.
    pub id_span: Span,
    /// `revises base` → empty; `revises "x"` → one; `revises ("a", "b")` → a merge.
    pub parents: Vec<(RevisionId, Span)>,
    /// `depends_on ("x")`: revisions that must be applied first without being
    /// revised (Alembic's `depends_on`): they order the graph and the version
    /// table, but the revision does not continue their branch.
    pub depends_on: Vec<(RevisionId, Span)>,
    /// `baseline "why"`: the schema its ops describe existed before the
    /// migrations (made by `create_all` or by hand). The model starts from it;
    /// scripts never run its ops, only record its version row.
    pub baseline: Option<String>,
    /// `message "..."`.
    pub message: String,
    /// `doc """..."""`: repeated as a comment in the SQL.
    pub doc: Option<String>,
    /// `labels ("billing")`: branch labels, for targets like `billing@head`.
    pub labels: Vec<String>,
    /// The upgrade ops, in order.
    pub upgrade: Vec<Op>,
    /// How to undo it.
    pub downgrade: Downgrade,
    /// The file it came from.
    pub file: FileId,
}

impl Revision {
    /// Whether some op of the revision applies to some dialects only.
    pub fn is_dialect_specific(&self) -> bool {
        let downgrade = match &self.downgrade {
            Downgrade::Ops(ops) => ops.as_slice(),
            _ => &[],
        };
        self.upgrade
            .iter()
            .chain(downgrade)
            .any(|op| op.only.is_some())
    }

    /// The revision as `dialect` sees it: the ops that apply to it, upgrade
    /// and hand-written downgrade alike. The one place `only` is read.
    pub fn for_dialect(&self, dialect: Dialect) -> Revision {
        let select = |ops: &[Op]| -> Vec<Op> {
            ops.iter()
                .filter(|op| op.applies_to(dialect))
                .cloned()
                .collect()
        };
        Revision {
            upgrade: select(&self.upgrade),
            downgrade: match &self.downgrade {
                Downgrade::Ops(ops) => Downgrade::Ops(select(ops)),
                other => other.clone(),
            },
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/dsl.md documents every op of the table, in table order, under
    /// `## Operations`: the table is the one list, the page follows it.
    #[test]
    fn dsl_md_documents_the_ops_in_table_order() {
        let page = include_str!("../docs/dsl.md");
        let ops = page
            .split("\n## Operations\n")
            .nth(1)
            .expect("docs/dsl.md has `## Operations`");
        let ops = ops.split("\n## ").next().unwrap_or_default();
        let documented: Vec<&str> = ops
            .lines()
            .filter_map(|l| l.strip_prefix("### "))
            .map(str::trim)
            .collect();
        let table: Vec<&str> = OpName::ALL.iter().map(|op| op.keyword()).collect();
        assert_eq!(documented, table);
    }

    #[test]
    fn op_keywords_round_trip() {
        for &op in OpName::ALL {
            assert_eq!(OpName::of_keyword(op.keyword()), Some(op));
            assert!(!op.doc().is_empty() && !op.kind().is_empty());
        }
        assert_eq!(OpName::of_keyword("add_colum"), None);
    }

    #[test]
    fn dialect_options_fall_back_to_the_parent_key_by_key() {
        let mut options = DialectOptions::default();
        options
            .0
            .entry(Dialect::MySql)
            .or_default()
            .insert("engine".into(), "InnoDB".into());
        options
            .0
            .entry(Dialect::MySql)
            .or_default()
            .insert("charset".into(), "utf8mb4".into());
        options
            .0
            .entry(Dialect::MariaDb)
            .or_default()
            .insert("charset".into(), "latin1".into());
        assert_eq!(options.get(Dialect::MariaDb, "engine"), Some("InnoDB"));
        assert_eq!(options.get(Dialect::MariaDb, "charset"), Some("latin1"));
        assert_eq!(options.get(Dialect::MySql, "charset"), Some("utf8mb4"));
        assert_eq!(options.get(Dialect::PostgreSql, "engine"), None);
    }
}

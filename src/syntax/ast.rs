//! Syntax tree of one `.mig` file, as written, with byte spans.
//!
//! Names, types and literals reuse the IR's types (they need no resolution);
//! everything that must be checked or completed (attributes, SQL fragments,
//! constraint names, options) stays in the raw form the parser saw.

use crate::dialect::{Dialect, DialectSet};
use crate::ir::{ColumnType, FkAction, Ident, Literal, QualifiedName};
use crate::source::Span;

/// A whole file.
#[derive(Clone, Debug, Default)]
pub struct File {
    /// `revision`, `revises`, `message`, `doc`, `labels`, in written order.
    pub header: Vec<HeaderItem>,
    /// `upgrade { ... }`, when the parser got that far.
    pub upgrade: Option<Block>,
    /// `downgrade ...`.
    pub downgrade: Option<Downgrade>,
    /// Where the file ends (for "missing" errors).
    pub end: Span,
}

/// One header line: `revision "ae10"`.
#[derive(Clone, Debug)]
pub struct HeaderItem {
    /// The keyword.
    pub key: Ident,
    /// What follows it.
    pub value: HeaderValue,
    /// The whole line.
    pub span: Span,
}

/// The value of a header line.
#[derive(Clone, Debug)]
pub enum HeaderValue {
    /// `"text"`
    Text(String, Span),
    /// `base`
    Base(Span),
    /// `("a", "b")`
    List(Vec<(String, Span)>),
}

/// `{ op* }`
#[derive(Clone, Debug, Default)]
pub struct Block {
    /// The ops, in order.
    pub ops: Vec<Op>,
}

/// `downgrade auto | irreversible "why" | { ... }`
#[derive(Clone, Debug)]
pub enum Downgrade {
    /// `downgrade auto` (span of the whole clause).
    Auto(Span),
    /// `downgrade irreversible "why"`.
    Irreversible(String, Span),
    /// `downgrade { ... }`.
    Block(Block),
}

/// A text fragment (SQL) with what is needed to map offsets in it back to the file.
#[derive(Clone, Debug)]
pub struct Fragment {
    /// The fragment's value (parens or quotes removed, escapes undone).
    pub text: String,
    /// Span of the fragment's value (inside the parens or quotes).
    pub span: Span,
    /// The token kind it came from (`LParen` for `( ... )`, a string kind otherwise).
    pub kind: super::token::TokenKind,
    /// The raw source of the token (quotes included), for offset mapping.
    pub raw: String,
    /// Byte offset of `raw` in the file.
    pub raw_start: usize,
}

/// One op.
#[derive(Clone, Debug)]
pub struct Op {
    /// What it is.
    pub kind: OpKind,
    /// The whole op.
    pub span: Span,
}

/// The op forms of the grammar.
#[derive(Clone, Debug)]
pub enum OpKind {
    /// `create_table t [if_not_exists] { items }`
    CreateTable {
        /// The table.
        name: QualifiedName,
        /// `if_not_exists`
        if_not_exists: bool,
        /// Columns, constraints, indexes, comment, options.
        items: Vec<TableItem>,
        /// Span of the block (for `empty-table`).
        block: Span,
    },
    /// `drop_table t [if_exists]`
    DropTable {
        /// The table.
        name: QualifiedName,
        /// `if_exists`
        if_exists: bool,
    },
    /// `rename_table t -> u`
    RenameTable {
        /// Current name.
        from: QualifiedName,
        /// New name.
        to: Ident,
    },
    /// `add_column t.c : type attrs [if_not_exists]`
    AddColumn {
        /// The table.
        table: QualifiedName,
        /// The column.
        column: ColumnDef,
        /// `if_not_exists`
        if_not_exists: bool,
    },
    /// `drop_column t.c [if_exists]`
    DropColumn {
        /// The table.
        table: QualifiedName,
        /// The column.
        column: Ident,
        /// `if_exists`
        if_exists: bool,
    },
    /// `alter_column t.c change+`
    AlterColumn {
        /// The table.
        table: QualifiedName,
        /// The column.
        column: Ident,
        /// The changes.
        changes: Vec<(Change, Span)>,
    },
    /// `rename_column t.c -> d`
    RenameColumn {
        /// The table.
        table: QualifiedName,
        /// The column.
        column: Ident,
        /// New name.
        to: Ident,
    },
    /// `create_index [name] on t (parts) opts`
    CreateIndex(IndexDef),
    /// `drop_index name [on t] [if_exists] [concurrently] {option}`
    DropIndex {
        /// The index.
        name: QualifiedName,
        /// The table.
        table: Option<QualifiedName>,
        /// `if_exists`
        if_exists: bool,
        /// `concurrently`
        concurrently: bool,
        /// `mysql.algorithm = inplace`, ...
        options: Vec<DialectOpt>,
    },
    /// `create_primary_key | create_unique_constraint | create_check_constraint | create_foreign_key`
    AddConstraint {
        /// The table.
        table: QualifiedName,
        /// The constraint.
        constraint: ConstraintDef,
        /// `not_valid`
        not_valid: Option<Span>,
    },
    /// `validate_constraint name on t`
    ValidateConstraint {
        /// The name.
        name: Ident,
        /// The table.
        table: QualifiedName,
    },
    /// `drop_constraint name on t [type kind]`
    DropConstraint {
        /// The name.
        name: Ident,
        /// The table.
        table: QualifiedName,
        /// `type unique` etc.
        kind: Option<Ident>,
        /// `if_exists`
        if_exists: bool,
    },
    /// `create_table_comment t 'x'` / `drop_table_comment t`
    TableComment {
        /// The table.
        table: QualifiedName,
        /// `None` drops it.
        comment: Option<String>,
    },
    /// `create_sequence s [start n] [increment n]`
    CreateSequence {
        /// The sequence.
        name: QualifiedName,
        /// `start n`
        start: Option<(String, Span)>,
        /// `increment n`
        increment: Option<(String, Span)>,
    },
    /// `drop_sequence s`
    DropSequence {
        /// The sequence.
        name: QualifiedName,
    },
    /// `add_enum_value e 'v' [before|after 'w']`, `rename_enum_value e 'a' -> 'b'`,
    /// `drop_enum_value e 'v'`: already in the IR's form.
    AlterEnum(crate::ir::AlterEnum),
    /// `bulk_insert t (cols) { rows }`
    BulkInsert {
        /// The table.
        table: QualifiedName,
        /// The columns.
        columns: Vec<Ident>,
        /// Rows: values with spans, and the row's span.
        rows: Vec<(Vec<(Literal, Span)>, Span)>,
    },
    /// `update_rows t set c = v {, c = v} [where (cond)]`
    UpdateRows(RowsDef),
    /// `delete_rows t [where (cond)]` (`set` is empty)
    DeleteRows(RowsDef),
    /// `create_view v as (select ...)` / `replace_view v as (select ...)`
    CreateView(ViewDef),
    /// `drop_view v`
    DropView {
        /// The view.
        name: QualifiedName,
    },
    /// `create_function f { bodies }`, `replace_trigger t on tbl { bodies }`,
    /// `drop_procedure p`, ...
    Routine(RoutineDef),
    /// `execute ...`: bodies with their dialect (`None` = default).
    Execute {
        /// The bodies.
        bodies: Vec<ExecBody>,
    },
    /// `only (dialects) { ops } [ else { ops } ]`: ops for some dialects.
    Only {
        /// The dialects of the first block.
        only: Only,
        /// Its ops.
        then: Block,
        /// The ops of every other dialect.
        otherwise: Option<Block>,
    },
}

/// `only (postgresql, sqlite)`: the dialects an op block, a table item or a
/// column attribute applies to.
#[derive(Clone, Copy, Debug)]
pub struct Only {
    /// The dialects named.
    pub dialects: DialectSet,
    /// `only (...)`.
    pub span: Span,
}

/// The rows a data op changes, and how.
#[derive(Clone, Debug)]
pub struct RowsDef {
    /// The table.
    pub table: QualifiedName,
    /// `update_rows`: the columns set, with their values.
    pub set: Vec<(Ident, SetValue)>,
    /// `where (cond)`
    pub where_clause: Option<Fragment>,
}

/// The value of one `update_rows` assignment.
#[derive(Clone, Debug)]
pub enum SetValue {
    /// A literal.
    Literal(Literal),
    /// `(expr)`
    Expr(Fragment),
}

/// `create_view` / `replace_view`.
#[derive(Clone, Debug)]
pub struct ViewDef {
    /// The view.
    pub name: QualifiedName,
    /// The query.
    pub query: Fragment,
    /// `replace_view`.
    pub replace: bool,
}

/// A function, procedure or trigger op.
#[derive(Clone, Debug)]
pub struct RoutineDef {
    /// Which op.
    pub op: crate::ir::OpName,
    /// The object.
    pub name: QualifiedName,
    /// `on table` (triggers).
    pub table: Option<QualifiedName>,
    /// The per-dialect SQL (none for a drop).
    pub bodies: Vec<ExecBody>,
}

/// One `execute` body.
#[derive(Clone, Debug)]
pub struct ExecBody {
    /// Its dialect (`None` for the default body).
    pub dialect: Option<(Dialect, Span)>,
    /// Its SQL.
    pub sql: Fragment,
    /// `execute raw <dialect> "..."`: the span of `raw`; the body is not
    /// checked by sqlparser (only split and checked for what the client reads).
    pub raw: Option<Span>,
}

/// A column definition: `name : type attrs`.
#[derive(Clone, Debug)]
pub struct ColumnDef {
    /// The name.
    pub name: Ident,
    /// The type.
    pub ty: ColumnType,
    /// Attributes, in order, with their spans.
    pub attrs: Vec<(Attr, Span)>,
    /// The whole definition.
    pub span: Span,
}

/// A column attribute.
#[derive(Clone, Debug)]
pub enum Attr {
    /// `not_null`
    NotNull,
    /// `null`
    Null,
    /// `primary_key`
    PrimaryKey,
    /// `unique`
    Unique,
    /// `autoincrement`
    Autoincrement,
    /// `identity(always start 1 increment 1 ...)`
    Identity(IdentityOpts),
    /// `default x`
    Default(Default),
    /// `comment 'x'`
    Comment(String),
    /// `check [name] (expr)`
    Check(Option<Ident>, Fragment),
    /// `references t (cols) fk_opts`
    References(Option<Ident>, QualifiedName, Vec<Ident>, FkOpts),
    /// `computed (expr) [stored|virtual]`
    Computed(Fragment, bool),
    /// `only (dialects) attr`: the attribute on those dialects only.
    Only(Only, Box<Attr>),
}

impl Attr {
    /// The keyword, for messages.
    pub fn word(&self) -> &'static str {
        match self {
            Attr::NotNull => "not_null",
            Attr::Null => "null",
            Attr::PrimaryKey => "primary_key",
            Attr::Unique => "unique",
            Attr::Autoincrement => "autoincrement",
            Attr::Identity(_) => "identity",
            Attr::Default(_) => "default",
            Attr::Comment(_) => "comment",
            Attr::Check(..) => "check",
            Attr::References(..) => "references",
            Attr::Computed(..) => "computed",
            Attr::Only(_, attr) => attr.word(),
        }
    }
}

/// `identity( ... )` as written: numbers unchecked, with their spans.
#[derive(Clone, Debug, Default)]
pub struct IdentityOpts {
    /// `always`
    pub always: bool,
    /// `start n`
    pub start: Option<(String, Span)>,
    /// `increment n`
    pub increment: Option<(String, Span)>,
    /// `minvalue n`
    pub minvalue: Option<(String, Span)>,
    /// `maxvalue n`
    pub maxvalue: Option<(String, Span)>,
    /// `cycle`
    pub cycle: bool,
    /// `cache n`
    pub cache: Option<(String, Span)>,
    /// `on_null` (Oracle)
    pub on_null: Option<Span>,
    /// `order` (Oracle)
    pub order: bool,
}

/// A default value as written.
#[derive(Clone, Debug)]
pub enum Default {
    /// `0`, `'x'`, `true`, `null`
    Literal(Literal),
    /// `now()`
    Now,
    /// `current_date`
    CurrentDate,
    /// `nextval(seq)`
    NextVal(QualifiedName),
    /// `( expr )`
    Expr(Fragment),
}

/// Foreign key options.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FkOpts {
    /// `on_delete`
    pub on_delete: Option<FkAction>,
    /// `on_update`
    pub on_update: Option<FkAction>,
    /// `deferrable` / `not_deferrable`
    pub deferrable: Option<bool>,
    /// `initially deferred|immediate`
    pub initially_deferred: Option<bool>,
    /// `match full|partial|simple`, with where it was written.
    pub match_kind: Option<(crate::ir::FkMatch, Span)>,
}

/// One `alter_column` change.
#[derive(Clone, Debug)]
pub enum Change {
    /// `type T [using (expr)]`
    Type(ColumnType, Option<Fragment>),
    /// `not_null` (false) / `null` (true)
    Nullable(bool),
    /// `default x`
    Default(Default),
    /// `drop_default`
    DropDefault,
    /// `rename n`
    Rename(Ident),
    /// `comment 'x'`
    Comment(String),
    /// `drop_comment`
    DropComment,
    /// `identity( ... )` / `autoincrement`: the column becomes (or stays,
    /// with these options) an identity.
    Identity(IdentityOpts),
    /// `drop_identity`
    DropIdentity,
}

/// An item of a `create_table` block.
#[derive(Clone, Debug)]
pub enum TableItem {
    /// A column.
    Column(ColumnDef),
    /// A table constraint.
    Constraint(ConstraintDef),
    /// `index ...`
    Index(IndexDef),
    /// `table_comment 'x'`
    Comment(String, Span),
    /// `mysql.engine = "InnoDB"`
    Option(DialectOpt),
    /// `only (dialects) item`: the item on those dialects only.
    Only(Only, Box<TableItem>),
}

/// A constraint definition: table item or op.
#[derive(Clone, Debug)]
pub struct ConstraintDef {
    /// The name, when written.
    pub name: Option<Ident>,
    /// What it is.
    pub kind: ConstraintBody,
    /// Where it was written.
    pub span: Span,
}

/// The body of a constraint.
#[derive(Clone, Debug)]
pub enum ConstraintBody {
    /// `primary_key (cols)`
    PrimaryKey(Vec<Ident>),
    /// `unique (cols)`
    Unique(Vec<Ident>),
    /// `check (expr)`
    Check(Fragment),
    /// `foreign_key (cols) -> t (cols) opts`
    ForeignKey {
        /// Referencing columns.
        columns: Vec<Ident>,
        /// Span of the referencing column list.
        columns_span: Span,
        /// Referenced table.
        ref_table: QualifiedName,
        /// Referenced columns.
        ref_columns: Vec<Ident>,
        /// Span of the referenced column list.
        ref_span: Span,
        /// Options.
        opts: FkOpts,
    },
}

/// An index: table item or `create_index`.
#[derive(Clone, Debug)]
pub struct IndexDef {
    /// The name, when written.
    pub name: Option<Ident>,
    /// The table (`None` inside a table block).
    pub table: Option<QualifiedName>,
    /// Columns / expressions.
    pub parts: Vec<IndexPart>,
    /// `unique`
    pub unique: bool,
    /// `where (expr)`
    pub where_clause: Option<Fragment>,
    /// `include (cols)`
    pub include: Vec<Ident>,
    /// `concurrently`
    pub concurrently: bool,
    /// `if_not_exists`
    pub if_not_exists: bool,
    /// Dialect options.
    pub options: Vec<DialectOpt>,
    /// Where it was written.
    pub span: Span,
}

/// An index part as written.
#[derive(Clone, Debug)]
pub enum IndexPart {
    /// `col [(len)] [asc|desc]`
    Column {
        /// The column.
        name: Ident,
        /// `desc`
        desc: bool,
        /// Prefix length.
        length: Option<u32>,
    },
    /// `( expr )`
    Expr(Fragment),
}

/// `dialect.key = value`
#[derive(Clone, Debug)]
pub struct DialectOpt {
    /// The dialect.
    pub dialect: Dialect,
    /// The key.
    pub key: Ident,
    /// The value as text.
    pub value: String,
    /// Span of the value.
    pub value_span: Span,
    /// The whole option.
    pub span: Span,
}

//! The six target dialects and everything that is a plain fact about them:
//! names, capabilities ([`Caps`]), identifier quoting and literal escaping.
//!
//! Lowering asks `dialect.caps().x`, never `dialect == Sqlite`, so that a
//! difference between engines is written down once, here, with its reason.

use indexmap::IndexMap;
use std::fmt;
use std::str::FromStr;

mod client;
pub use client::Client;

/// A target SQL dialect. A closed set: an exhaustive `match` shows every place a
/// new dialect must be handled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum)]
pub enum Dialect {
    /// PostgreSQL 12+.
    #[value(name = "postgresql")]
    PostgreSql,
    /// MySQL 8.0+.
    #[value(name = "mysql")]
    MySql,
    /// MariaDB 10.11+ (falls back to MySQL's templates where they agree).
    #[value(name = "mariadb")]
    MariaDb,
    /// SQLite 3.35+.
    #[value(name = "sqlite")]
    Sqlite,
    /// Microsoft SQL Server 2016+.
    #[value(name = "mssql")]
    MsSql,
    /// Oracle Database 12.2+.
    #[value(name = "oracle")]
    Oracle,
}

impl Dialect {
    /// Every dialect, in the order used for snapshots and reports.
    pub const ALL: [Dialect; 6] = [
        Dialect::PostgreSql,
        Dialect::MySql,
        Dialect::MariaDb,
        Dialect::Sqlite,
        Dialect::MsSql,
        Dialect::Oracle,
    ];

    /// The one name used on the CLI, in `execute <dialect> {..}`, template folders and snapshot names.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::PostgreSql => "postgresql",
            Dialect::MySql => "mysql",
            Dialect::MariaDb => "mariadb",
            Dialect::Sqlite => "sqlite",
            Dialect::MsSql => "mssql",
            Dialect::Oracle => "oracle",
        }
    }

    /// Template folders to search, most specific first: the dialect's own,
    /// its parent's (see [`Dialect::parent`]), then `common`.
    pub fn template_chain(self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.name())
            .chain(self.parent().map(Dialect::name))
            .chain(std::iter::once("common"))
    }

    /// The dialect whose settings this one takes where it has none of its own.
    /// MariaDB is MySQL-compatible, so `mysql.*` options, `variant mysql` types
    /// and `execute { mysql ... }` bodies reach it unless a `mariadb` one is given
    /// (as SQLAlchemy's `mysql_*` options reach its MariaDB dialect).
    pub fn parent(self) -> Option<Dialect> {
        match self {
            Dialect::MariaDb => Some(Dialect::MySql),
            _ => None,
        }
    }

    /// `map`'s entry for this dialect, else its parent's.
    pub fn pick<T>(self, map: &IndexMap<Dialect, T>) -> Option<&T> {
        map.get(&self)
            .or_else(|| self.parent().and_then(|p| map.get(&p)))
    }

    /// The `<dialect>.<key>` options an op accepts on this dialect (its own and
    /// its parent's), with what each value may be.
    pub fn options(self, of: OptionsOf) -> impl Iterator<Item = (&'static str, OptionValue)> {
        let table = match of {
            OptionsOf::Table => TABLE_OPTIONS,
            OptionsOf::Index => INDEX_OPTIONS,
        };
        table
            .iter()
            .filter(move |(d, _, _)| *d == self || Some(*d) == self.parent())
            .map(|(_, key, value)| (*key, *value))
    }

    /// What the dialect can do.
    pub fn caps(self) -> &'static Caps {
        match self {
            Dialect::PostgreSql => &POSTGRESQL,
            Dialect::MySql => &MYSQL,
            Dialect::MariaDb => &MARIADB,
            Dialect::Sqlite => &SQLITE,
            Dialect::MsSql => &MSSQL,
            Dialect::Oracle => &ORACLE,
        }
    }

    /// Quotes an identifier only when needed (reserved word, a character outside
    /// `[a-z0-9_]`, a leading digit, or a case the engine would fold), and then
    /// always correctly, with embedded quote characters doubled.
    ///
    /// ```
    /// use ddlc::dialect::Dialect;
    /// assert_eq!(Dialect::PostgreSql.quote_ident("customer"), "customer");
    /// assert_eq!(Dialect::PostgreSql.quote_ident("order"), "\"order\"");
    /// assert_eq!(Dialect::MySql.quote_ident("Order Items"), "`Order Items`");
    /// assert_eq!(Dialect::MsSql.quote_ident("a]b"), "[a]]b]");
    /// ```
    pub fn quote_ident(self, name: &str) -> String {
        if self.needs_quotes(name) {
            self.quote_ident_always(name)
        } else {
            name.to_string()
        }
    }

    /// Quotes an identifier unconditionally.
    pub fn quote_ident_always(self, name: &str) -> String {
        let (open, close) = self.caps().quote;
        let mut out = String::with_capacity(name.len() + 2);
        out.push(open);
        for c in name.chars() {
            if c == close {
                out.push(close);
            }
            out.push(c);
        }
        out.push(close);
        out
    }

    fn needs_quotes(self, name: &str) -> bool {
        let mut chars = name.chars();
        let plain_start = matches!(chars.next(), Some('a'..='z' | '_'));
        let plain_rest = chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'));
        !(plain_start && plain_rest)
            || self.is_reserved(name)
            || self.caps().client.quotes_word(name)
    }

    /// True when `word` (any case) is reserved in this dialect and must be quoted as a name.
    pub fn is_reserved(self, word: &str) -> bool {
        let upper = word.to_ascii_uppercase();
        let list = match self {
            Dialect::PostgreSql => RESERVED_POSTGRESQL,
            Dialect::MySql | Dialect::MariaDb => RESERVED_MYSQL,
            Dialect::Sqlite => RESERVED_SQLITE,
            Dialect::MsSql => RESERVED_MSSQL,
            Dialect::Oracle => RESERVED_ORACLE,
        };
        list.lines().any(|l| l.trim() == upper)
    }

    /// A string value as SQL: a literal (see [`Dialect::str_literal`]), or, where
    /// the client reads the script line by line (sqlcmd, SQL*Plus) and the text
    /// holds a line break (or sqlcmd's `$(`), a parenthesised concatenation that
    /// keeps every line break out of the script: `('a' || CHR(10) || 'GO')`, so
    /// no line of a string can be taken for `GO` or `/`. Use it wherever the SQL
    /// takes an expression; a position that takes only a literal must check
    /// [`Dialect::is_plain_literal`] first.
    ///
    /// ```
    /// use ddlc::dialect::Dialect;
    /// assert_eq!(Dialect::Sqlite.quote_str("O'Neil"), "'O''Neil'");
    /// assert_eq!(Dialect::MariaDb.quote_str(r"C:\temp"), r"'C:\\temp'");
    /// assert_eq!(Dialect::PostgreSql.quote_str(r"C:\temp"), r"E'C:\\temp'");
    /// assert_eq!(Dialect::MsSql.quote_str("a\nGO"), "('a' + CHAR(10) + 'GO')");
    /// assert_eq!(Dialect::Oracle.quote_str("a\n/"), "('a' || CHR(10) || '/')");
    /// ```
    pub fn quote_str(self, s: &str) -> String {
        self.string_expr(s, false)
    }

    /// [`Dialect::quote_str`] with SQL Server's `N` on every literal, ASCII or
    /// not: a Unicode (`NVARCHAR`) value, as `sp_addextendedproperty` and
    /// `N'..'` in a fragment want; other dialects have no such distinction.
    pub fn quote_nstr(self, s: &str) -> String {
        self.string_expr(s, self.caps().unicode_string_prefix)
    }

    fn string_expr(self, s: &str, national: bool) -> String {
        let literal = |text: &str| {
            let lit = self.str_literal(text);
            if national && !lit.starts_with('N') {
                format!("N{lit}")
            } else {
                lit
            }
        };
        if self.is_plain_literal(s) {
            return literal(s);
        }
        let client = self.caps().client;
        let concat = match self {
            Dialect::MsSql => " + ",
            _ => " || ",
        };
        let mut parts = Vec::new();
        let mut chunk = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            let next = chars.peek().copied();
            if client.alters(c, next) {
                if !chunk.is_empty() {
                    parts.push(literal(&std::mem::take(&mut chunk)));
                }
                let code = u32::from(c);
                parts.push(match (self, code) {
                    (Dialect::MsSql, 128..) => format!("NCHAR({code})"),
                    (Dialect::MsSql, _) => format!("CHAR({code})"),
                    (Dialect::Oracle, 128..) => format!("UNISTR('\\{code:04X}')"),
                    (Dialect::Oracle, _) => format!("CHR({code})"),
                    _ => format!("char({code})"),
                });
                continue;
            }
            chunk.push(c);
            // sqlcmd substitutes `$(name)` even inside quotes: end the literal
            // between `$` and `(`.
            if c == '$' && next == Some('(') && client.text_hazard("$(").is_some() {
                parts.push(literal(&std::mem::take(&mut chunk)));
            }
        }
        if !chunk.is_empty() {
            parts.push(literal(&chunk));
        }
        format!("({})", parts.join(concat))
    }

    /// True when [`Dialect::quote_str`] of `s` is a single literal: nothing in
    /// `s` needs keeping away from the client.
    pub fn is_plain_literal(self, s: &str) -> bool {
        let client = self.caps().client;
        !client.alters_any(&self.str_literal(s)) && client.text_hazard(s).is_none()
    }

    /// A string literal as one token, read back by the engine as `s` whatever its
    /// settings: single quotes doubled; MySQL/MariaDB also escape backslashes
    /// (their default `sql_mode`; under `NO_BACKSLASH_ESCAPES` a backslash reads
    /// back doubled, and every literal still ends where it should); PostgreSQL
    /// writes a text with backslashes as `E'..'` with them doubled, which means
    /// the same whether `standard_conforming_strings` is on or off; SQL Server
    /// prefixes non-ASCII text with `N`. For the parts of a script no client
    /// reads into (inside another literal); elsewhere use [`Dialect::quote_str`].
    pub fn str_literal(self, s: &str) -> String {
        let caps = self.caps();
        let mut out = String::with_capacity(s.len() + 3);
        if caps.unicode_string_prefix && !s.is_ascii() {
            out.push('N');
        }
        let escape_backslash = caps.backslash_escapes || self == Dialect::PostgreSql;
        if self == Dialect::PostgreSql && s.contains('\\') {
            out.push('E');
        }
        out.push('\'');
        for c in s.chars() {
            match c {
                '\'' => out.push_str("''"),
                '\\' if escape_backslash => out.push_str("\\\\"),
                // The mysql client drops the CR of a CR LF and reads Ctrl-Z as
                // the end of input on Windows: both escaped, like mysqldump.
                '\r' if caps.backslash_escapes => out.push_str("\\r"),
                '\u{1a}' if caps.backslash_escapes => out.push_str("\\Z"),
                _ => out.push(c),
            }
        }
        out.push('\'');
        out
    }

    /// Why `name` cannot be written as a name on this dialect (characters the
    /// engine refuses or its client would act on), if it cannot. The length is
    /// checked by [`Dialect::check_name_length`].
    pub fn check_name(self, name: &str) -> Result<(), String> {
        let d = self;
        let client = self.caps().client;
        if name.is_empty() {
            return Err("a name cannot be empty".into());
        }
        if name.contains('\0') {
            return Err(format!("{d} cannot hold a NUL character in a name"));
        }
        if client.reads_lines() && name.chars().any(is_line_break) {
            return Err(format!(
                "a name with a line break cannot be written for {d}: its client reads scripts line by line"
            ));
        }
        if client.alters_any(name) {
            return Err(format!(
                "a name with a CR before a line feed cannot be written for {d}: its client drops the CR"
            ));
        }
        if let Some(why) = client.text_hazard(name) {
            return Err(why);
        }
        match d {
            Dialect::Oracle if name.contains('"') => Err("Oracle names cannot contain `\"`".into()),
            Dialect::MySql | Dialect::MariaDb if name.chars().any(|c| u32::from(c) > 0xFFFF) => {
                Err(format!(
                    "{d} names hold only characters of the Basic Multilingual Plane (no emoji)"
                ))
            }
            Dialect::MySql | Dialect::MariaDb if name.ends_with(' ') => {
                Err(format!("{d} names cannot end with a space"))
            }
            _ => Ok(()),
        }
    }

    /// Why the dialect's client would read something into `statement` (one
    /// statement as the script holds it) besides SQL, if it would: a NUL, a
    /// line sqlcmd or SQL*Plus acts on, sqlcmd's `$(`. `block`: a procedural
    /// block, whose lines may end with `;`.
    pub fn script_hazard(self, statement: &str, block: bool) -> Option<String> {
        if statement.contains('\0') {
            return Some("a NUL character would end the line for the client".into());
        }
        let client = self.caps().client;
        // ddlc's own PL/SQL blocks (Oracle's version table, dynamic comments).
        let block = block || statement.trim_start().starts_with("BEGIN");
        client.text_hazard(statement).or_else(|| {
            statement
                .split('\n')
                .find_map(|l| client.line_hazard(l, block))
        })
    }

    /// Why `text` cannot be a comment of a table (`table`) or a column on this
    /// dialect, if it cannot: MySQL and MariaDB keep comments in utf8mb3 (an
    /// emoji reads back as `?`) and at most 2048 (table) or 1024 (column)
    /// characters.
    pub fn check_comment(self, text: &str, table: bool) -> Result<(), String> {
        if !matches!(self, Dialect::MySql | Dialect::MariaDb) {
            return Ok(());
        }
        if text.chars().any(|c| u32::from(c) > 0xFFFF) {
            return Err(format!(
                "{self} keeps comments in utf8mb3: a character outside the Basic Multilingual Plane (an emoji) would read back as `?`"
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
                "this comment is {len} characters long; {self} keeps at most {max} for a {what}"
            ));
        }
        Ok(())
    }

    /// Why a name the user wrote is too long for this dialect, if it is.
    pub fn check_name_length(self, name: &str) -> Result<(), String> {
        let (len, max, unit) = match self.caps().name_limit {
            NameLimit::Bytes(max) => (name.len(), max, "bytes"),
            NameLimit::Chars(max) => (name.chars().count(), max, "characters"),
            NameLimit::None => return Ok(()),
        };
        if len <= max {
            return Ok(());
        }
        Err(format!(
            "this name is {len} {unit} long; {self} takes at most {max}"
        ))
    }
}

/// Characters that end a line for some client or editor.
pub fn is_line_break(c: char) -> bool {
    // Vertical tab, form feed, NEL and the Unicode separators are line breaks
    // to some editors and clients; treat them like `\n` to be safe.
    matches!(
        c,
        '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Dialect {
    type Err = String;
    fn from_str(s: &str) -> Result<Dialect, String> {
        Dialect::ALL
            .into_iter()
            .find(|d| d.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Dialect::ALL.iter().map(|d| d.name()).collect();
                format!(
                    "unknown dialect `{s}` (expected one of: {})",
                    names.join(", ")
                )
            })
    }
}

/// Which op a `<dialect>.<key>` option is written on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionsOf {
    /// `create_table` (inside the table block).
    Table,
    /// `create_index` and `index` items of a table block.
    Index,
}

/// What an option's value may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionValue {
    /// Any text (a name the engine checks: engine, charset, tablespace).
    Any,
    /// One of these keywords, in any case; kept in the case listed here.
    OneOf(&'static [&'static str]),
    /// A SQL expression (a per-dialect partial index `where`), checked by sqlparser.
    Expr,
    /// Comma-separated column names (a per-dialect `include`).
    Names,
}

const BOOL: OptionValue = OptionValue::OneOf(&["true", "false"]);

/// Options of `create_table`, per dialect. MariaDB takes MySQL's (`parent`).
const TABLE_OPTIONS: &[(Dialect, &str, OptionValue)] = &[
    (Dialect::MySql, "engine", OptionValue::Any),
    (Dialect::MySql, "charset", OptionValue::Any),
    (Dialect::MySql, "collate", OptionValue::Any),
    (Dialect::MySql, "row_format", OptionValue::Any),
    (Dialect::Sqlite, "strict", BOOL),
    (Dialect::Sqlite, "without_rowid", BOOL),
    (Dialect::Sqlite, "autoincrement", BOOL),
    (Dialect::PostgreSql, "tablespace", OptionValue::Any),
    (Dialect::PostgreSql, "unlogged", BOOL),
    (Dialect::Oracle, "tablespace", OptionValue::Any),
];

/// Options of indexes, per dialect. `where` / `include` are Alembic's
/// `postgresql_where`, `sqlite_where`, `mssql_where`, `postgresql_include`,
/// `mssql_include`: on that dialect they replace the portable `where` / `include`.
const INDEX_OPTIONS: &[(Dialect, &str, OptionValue)] = &[
    (
        Dialect::PostgreSql,
        "using",
        OptionValue::OneOf(&["btree", "hash", "gist", "spgist", "gin", "brin"]),
    ),
    (Dialect::PostgreSql, "tablespace", OptionValue::Any),
    (Dialect::PostgreSql, "where", OptionValue::Expr),
    (Dialect::PostgreSql, "include", OptionValue::Names),
    (
        Dialect::MySql,
        "prefix",
        OptionValue::OneOf(&["fulltext", "spatial"]),
    ),
    (
        Dialect::MySql,
        "using",
        OptionValue::OneOf(&["btree", "hash"]),
    ),
    (Dialect::Sqlite, "where", OptionValue::Expr),
    (Dialect::Sqlite, "include", OptionValue::Names),
    (Dialect::MsSql, "clustered", BOOL),
    (Dialect::MsSql, "where", OptionValue::Expr),
    (Dialect::MsSql, "include", OptionValue::Names),
    (Dialect::Oracle, "bitmap", BOOL),
    (Dialect::Oracle, "tablespace", OptionValue::Any),
];

/// What a dialect can do, as plain data: one `static` per dialect.
#[derive(Debug)]
pub struct Caps {
    /// DDL can be rolled back, so the script is wrapped in a transaction
    /// (PostgreSQL, SQL Server, SQLite). MySQL and Oracle commit implicitly.
    pub transactional_ddl: bool,
    /// Statement that opens the script's transaction.
    pub begin: &'static str,
    /// Identifier quote pair.
    pub quote: (char, char),
    /// Longest identifier the engine accepts, in bytes: the budget generated
    /// names are shortened to (see `lower::names::fit`).
    pub max_ident_len: usize,
    /// Longest name the engine accepts, counted as the engine counts: a name
    /// the user wrote that is longer is an error, never silently cut (PostgreSQL
    /// truncates it, so two long names sharing a prefix would collide).
    pub name_limit: NameLimit,
    /// The client the scripts are run with, and what it reads into them.
    pub client: Client,
    /// A line after every statement (`GO` for SQL Server batches, `/` for Oracle).
    pub batch_separator: Option<&'static str>,
    /// Statements end with `;` (Oracle's SQL*Plus form ends with `/` alone).
    pub semicolon: bool,
    /// `ALTER TABLE .. ALTER COLUMN` exists; without it (SQLite) the table is rebuilt.
    pub alter_column: bool,
    /// Constraints can be added/dropped with ALTER TABLE; SQLite cannot.
    pub alter_constraints: bool,
    /// `ALTER TABLE .. DROP COLUMN` exists (SQLite >= 3.35 has it, for unconstrained columns).
    pub drop_column: bool,
    /// `DROP TABLE IF EXISTS`.
    pub table_if_exists: bool,
    /// `DROP INDEX IF EXISTS`.
    pub index_if_exists: bool,
    /// `DROP COLUMN IF EXISTS`.
    pub column_if_exists: bool,
    /// `CREATE TABLE IF NOT EXISTS` (SQL Server has only the DROP side).
    pub table_if_not_exists: bool,
    /// `CREATE INDEX IF NOT EXISTS`.
    pub index_if_not_exists: bool,
    /// `ADD COLUMN IF NOT EXISTS`.
    pub column_if_not_exists: bool,
    /// Partial indexes (`CREATE INDEX .. WHERE ..`).
    pub partial_index: bool,
    /// Native named enum types (`CREATE TYPE .. AS ENUM`).
    pub named_enum_type: bool,
    /// Inline column enums (`ENUM('a','b')`).
    pub inline_enum: bool,
    /// Sequences (`CREATE SEQUENCE`).
    pub sequences: bool,
    /// Comments on tables/columns can be set.
    pub comments: bool,
    /// `DEFERRABLE` / `INITIALLY` on foreign keys.
    pub deferrable_fk: bool,
    /// Backslash is an escape character inside string literals.
    pub backslash_escapes: bool,
    /// Non-ASCII string literals need an `N` prefix to keep their characters.
    pub unicode_string_prefix: bool,
    /// A DEFAULT expression other than a literal must be wrapped in parentheses.
    pub parenthesize_default_expr: bool,
    /// How a column is changed: see [`AlterStyle`].
    pub alter_style: AlterStyle,
    /// How comments are written: see [`CommentStyle`].
    pub comment_style: CommentStyle,
    /// How identity / autoincrement columns are declared.
    pub identity: IdentityStyle,
    /// How `nextval(seq)` is spelled in a DEFAULT.
    pub nextval: NextValStyle,
    /// `default now()`.
    pub current_timestamp: &'static str,
    /// `default current_date` (SQL Server has no CURRENT_DATE; MySQL needs parentheses).
    pub current_date: &'static str,
    /// `TRUE`/`FALSE` literals exist (elsewhere booleans are `1`/`0`).
    pub boolean_literals: bool,
    /// Date/time strings need typed literals (`DATE '2024-01-31'`): Oracle's implicit
    /// conversion depends on the session's NLS_DATE_FORMAT.
    pub typed_datetime_literals: bool,
    /// Expressions in an index (`CREATE INDEX .. ((lower(email)))`).
    pub expression_index: bool,
    /// `INCLUDE (cols)` on an index.
    pub index_include: bool,
    /// `GENERATED ALWAYS AS (..) STORED` (SQL Server: `PERSISTED`).
    pub computed_stored: bool,
    /// `GENERATED ALWAYS AS (..) VIRTUAL` (SQL Server: a plain computed column).
    pub computed_virtual: bool,
    /// Foreign keys accept `ON UPDATE` (Oracle does not).
    pub fk_on_update: bool,
    /// `ON DELETE/UPDATE RESTRICT` exists (SQL Server and Oracle have no RESTRICT).
    pub fk_restrict: bool,
    /// `ON DELETE/UPDATE SET DEFAULT` works (InnoDB parses and rejects it; Oracle lacks it).
    pub fk_set_default: bool,
    /// Rows per `INSERT .. VALUES` (1: one INSERT per row, Oracle; 1000: SQL Server's limit).
    pub insert_rows_per_statement: usize,
    /// Schema used where a statement needs one spelled out (`sp_addextendedproperty`).
    pub default_schema: Option<&'static str>,
    /// Column defaults are named constraints (`CONSTRAINT DF_t_c DEFAULT ..`), so they
    /// can be dropped by name before the column or the default changes (SQL Server).
    pub named_defaults: bool,
    /// Index column prefix lengths, `title(20)` (MySQL, MariaDB); ignored elsewhere.
    pub index_prefix_length: bool,
    /// `CREATE/DROP INDEX CONCURRENTLY`, run outside the transaction (PostgreSQL);
    /// ignored elsewhere.
    pub concurrent_index: bool,
    /// `INSERT .. OVERRIDING SYSTEM VALUE` to insert into a `GENERATED ALWAYS` identity.
    pub overriding_system_value: bool,
    /// Indexes and constraints on a column block `ALTER COLUMN` / `DROP COLUMN`, so
    /// they are dropped first and recreated after (SQL Server).
    pub column_dependents_block_alter: bool,
    /// TEXT/BLOB/JSON columns take only expression defaults, so a literal is
    /// written `DEFAULT ('x')` (MySQL 8; MariaDB takes literals).
    pub lob_default_needs_parens: bool,
    /// Foreign keys need an index that starts with their columns; InnoDB creates one
    /// and silently drops it when another index covers the key, so dropping that
    /// other index fails (errno 1553) unless a replacement is created first.
    pub fk_needs_index: bool,
    /// An index expression is wrapped in its own parentheses, `((lower(x)))`: MySQL 8
    /// requires it, PostgreSQL needs it for anything but a function call; SQLite,
    /// SQL Server and Oracle take the bare expression (SQLite keeps the text as
    /// written in its schema, so the extra parentheses would show there).
    pub index_expr_parens: bool,
    /// A foreign key's parent is in the child's own schema and `REFERENCES` names
    /// it bare (SQLite: attached databases cannot reference each other).
    pub fk_same_schema_only: bool,
    /// `ADD COLUMN .. AFTER c | FIRST` places a column (MySQL, MariaDB); elsewhere
    /// a column is always appended.
    pub column_position: bool,
    /// The CHECKs a column's type needs (Oracle booleans and JSON, SQL Server
    /// enums) are dropped, re-added and renamed by their deterministic names when
    /// the column's type or name changes: ALTER of the column keeps them otherwise.
    pub type_checks_by_name: bool,
}

/// How an engine counts the length of a name, and its limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameLimit {
    /// At most this many bytes of UTF-8 (PostgreSQL's NAMEDATALEN - 1, Oracle 12.2+).
    Bytes(usize),
    /// At most this many characters (MySQL, MariaDB, SQL Server).
    Chars(usize),
    /// No practical limit (SQLite).
    None,
}

/// How `alter_column` is lowered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlterStyle {
    /// One `ALTER COLUMN` clause per change (PostgreSQL).
    Separate,
    /// `MODIFY`/`CHANGE` with the complete column definition (MySQL, MariaDB).
    FullDefinition,
    /// `ALTER COLUMN c type NULL|NOT NULL`, defaults as named constraints (SQL Server).
    AlterColumn,
    /// `MODIFY (c ..)` with only the changed attributes: Oracle rejects a no-op
    /// `NOT NULL` on a column that already is (ORA-01442).
    ModifyChanged,
    /// No ALTER COLUMN: the table is rebuilt (SQLite).
    Rebuild,
}

/// How table and column comments are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentStyle {
    /// No comments; they are dropped without SQL (SQLite).
    None,
    /// `COMMENT ON TABLE/COLUMN .. IS '..'` (PostgreSQL, Oracle).
    CommentOn,
    /// Inline `COMMENT '..'` in the column definition and `COMMENT = '..'` table option (MySQL).
    Inline,
    /// `EXEC sp_addextendedproperty 'MS_Description'` (SQL Server).
    ExtendedProperty,
}

/// How identity columns are declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdentityStyle {
    /// `GENERATED BY DEFAULT|ALWAYS AS IDENTITY` (PostgreSQL, Oracle).
    Generated,
    /// `AUTO_INCREMENT` (MySQL, MariaDB).
    AutoIncrement,
    /// `IDENTITY(start, increment)` (SQL Server).
    Identity,
    /// `INTEGER PRIMARY KEY [AUTOINCREMENT]`: the rowid alias (SQLite).
    RowidAlias,
}

/// How the next value of a sequence is spelled in a DEFAULT.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextValStyle {
    /// No sequences.
    None,
    /// `nextval('seq')` (PostgreSQL).
    Function,
    /// `NEXT VALUE FOR seq` (SQL Server, MariaDB).
    NextValueFor,
    /// `seq.NEXTVAL` (Oracle).
    DotNextval,
}

/// PostgreSQL.
pub static POSTGRESQL: Caps = Caps {
    transactional_ddl: true,
    begin: "BEGIN",
    quote: ('"', '"'),
    max_ident_len: 63,
    name_limit: NameLimit::Bytes(63),
    client: Client::Psql,
    batch_separator: None,
    semicolon: true,
    alter_column: true,
    alter_constraints: true,
    drop_column: true,
    table_if_exists: true,
    index_if_exists: true,
    column_if_exists: true,
    partial_index: true,
    named_enum_type: true,
    inline_enum: false,
    sequences: true,
    comments: true,
    deferrable_fk: true,
    backslash_escapes: false,
    unicode_string_prefix: false,
    parenthesize_default_expr: false,
    table_if_not_exists: true,
    index_if_not_exists: true,
    column_if_not_exists: true,
    alter_style: AlterStyle::Separate,
    comment_style: CommentStyle::CommentOn,
    identity: IdentityStyle::Generated,
    nextval: NextValStyle::Function,
    current_timestamp: "CURRENT_TIMESTAMP",
    current_date: "CURRENT_DATE",
    boolean_literals: true,
    typed_datetime_literals: false,
    expression_index: true,
    index_include: true,
    computed_stored: true,
    computed_virtual: false,
    fk_on_update: true,
    fk_restrict: true,
    fk_set_default: true,
    insert_rows_per_statement: 500,
    default_schema: None,
    named_defaults: false,
    index_prefix_length: false,
    concurrent_index: true,
    overriding_system_value: true,
    column_dependents_block_alter: false,
    lob_default_needs_parens: false,
    fk_needs_index: false,
    index_expr_parens: true,
    fk_same_schema_only: false,
    column_position: false,
    type_checks_by_name: false,
};

/// MySQL 8.
pub static MYSQL: Caps = MYSQL_BASE;

/// MariaDB 10.11: MySQL plus IF [NOT] EXISTS on indexes and columns, and sequences,
/// minus functional indexes.
pub static MARIADB: Caps = Caps {
    index_if_exists: true,
    column_if_exists: true,
    index_if_not_exists: true,
    column_if_not_exists: true,
    sequences: true,
    nextval: NextValStyle::NextValueFor,
    // MariaDB has no functional index parts (index a virtual column instead).
    expression_index: false,
    lob_default_needs_parens: false,
    ..MYSQL_BASE
};
const MYSQL_BASE: Caps = Caps {
    transactional_ddl: false,
    begin: "",
    quote: ('`', '`'),
    max_ident_len: 64,
    name_limit: NameLimit::Chars(64),
    client: Client::Mysql,
    batch_separator: None,
    semicolon: true,
    alter_column: true,
    alter_constraints: true,
    drop_column: true,
    table_if_exists: true,
    index_if_exists: false,
    column_if_exists: false,
    partial_index: false,
    named_enum_type: false,
    inline_enum: true,
    sequences: false,
    comments: true,
    deferrable_fk: false,
    backslash_escapes: true,
    unicode_string_prefix: false,
    parenthesize_default_expr: true,
    table_if_not_exists: true,
    index_if_not_exists: false,
    column_if_not_exists: false,
    alter_style: AlterStyle::FullDefinition,
    comment_style: CommentStyle::Inline,
    identity: IdentityStyle::AutoIncrement,
    nextval: NextValStyle::None,
    current_timestamp: "CURRENT_TIMESTAMP",
    current_date: "(CURRENT_DATE)",
    boolean_literals: false,
    typed_datetime_literals: false,
    expression_index: true,
    index_include: false,
    computed_stored: true,
    computed_virtual: true,
    fk_on_update: true,
    fk_restrict: true,
    fk_set_default: false,
    insert_rows_per_statement: 500,
    default_schema: None,
    named_defaults: false,
    index_prefix_length: true,
    concurrent_index: false,
    overriding_system_value: false,
    column_dependents_block_alter: false,
    lob_default_needs_parens: true,
    fk_needs_index: true,
    index_expr_parens: true,
    fk_same_schema_only: false,
    column_position: true,
    type_checks_by_name: false,
};

/// SQLite 3.35+.
pub static SQLITE: Caps = Caps {
    transactional_ddl: true,
    begin: "BEGIN",
    quote: ('"', '"'),
    max_ident_len: 1024,
    name_limit: NameLimit::None,
    client: Client::Sqlite3,
    batch_separator: None,
    semicolon: true,
    alter_column: false,
    alter_constraints: false,
    drop_column: true,
    table_if_exists: true,
    index_if_exists: true,
    column_if_exists: false,
    partial_index: true,
    named_enum_type: false,
    inline_enum: false,
    sequences: false,
    comments: false,
    deferrable_fk: true,
    backslash_escapes: false,
    unicode_string_prefix: false,
    parenthesize_default_expr: true,
    table_if_not_exists: true,
    index_if_not_exists: true,
    column_if_not_exists: false,
    alter_style: AlterStyle::Rebuild,
    comment_style: CommentStyle::None,
    identity: IdentityStyle::RowidAlias,
    nextval: NextValStyle::None,
    current_timestamp: "CURRENT_TIMESTAMP",
    current_date: "CURRENT_DATE",
    boolean_literals: false,
    typed_datetime_literals: false,
    expression_index: true,
    index_include: false,
    computed_stored: true,
    computed_virtual: true,
    fk_on_update: true,
    fk_restrict: true,
    fk_set_default: true,
    insert_rows_per_statement: 500,
    default_schema: None,
    named_defaults: false,
    index_prefix_length: false,
    concurrent_index: false,
    overriding_system_value: false,
    column_dependents_block_alter: false,
    lob_default_needs_parens: false,
    fk_needs_index: false,
    index_expr_parens: false,
    fk_same_schema_only: true,
    column_position: false,
    type_checks_by_name: false,
};

/// SQL Server 2016+.
pub static MSSQL: Caps = Caps {
    transactional_ddl: true,
    begin: "BEGIN TRANSACTION",
    quote: ('[', ']'),
    max_ident_len: 128,
    name_limit: NameLimit::Chars(128),
    client: Client::Sqlcmd,
    batch_separator: Some("GO"),
    semicolon: true,
    alter_column: true,
    alter_constraints: true,
    drop_column: true,
    table_if_exists: true,
    index_if_exists: true,
    column_if_exists: true,
    partial_index: true,
    named_enum_type: false,
    inline_enum: false,
    sequences: true,
    comments: true,
    deferrable_fk: false,
    backslash_escapes: false,
    unicode_string_prefix: true,
    parenthesize_default_expr: false,
    table_if_not_exists: false,
    index_if_not_exists: false,
    column_if_not_exists: false,
    alter_style: AlterStyle::AlterColumn,
    comment_style: CommentStyle::ExtendedProperty,
    identity: IdentityStyle::Identity,
    nextval: NextValStyle::NextValueFor,
    current_timestamp: "CURRENT_TIMESTAMP",
    current_date: "CAST(GETDATE() AS DATE)",
    boolean_literals: false,
    typed_datetime_literals: false,
    expression_index: false,
    index_include: true,
    computed_stored: true,
    computed_virtual: true,
    fk_on_update: true,
    fk_restrict: false,
    fk_set_default: true,
    insert_rows_per_statement: 1000,
    default_schema: Some("dbo"),
    named_defaults: true,
    index_prefix_length: false,
    concurrent_index: false,
    overriding_system_value: false,
    column_dependents_block_alter: true,
    lob_default_needs_parens: false,
    fk_needs_index: false,
    index_expr_parens: false,
    fk_same_schema_only: false,
    column_position: false,
    type_checks_by_name: true,
};

/// Oracle 12.2+ (128-byte identifiers).
pub static ORACLE: Caps = Caps {
    transactional_ddl: false,
    begin: "",
    quote: ('"', '"'),
    max_ident_len: 128,
    name_limit: NameLimit::Bytes(128),
    client: Client::SqlPlus,
    batch_separator: Some("/"),
    semicolon: false,
    alter_column: true,
    alter_constraints: true,
    drop_column: true,
    table_if_exists: false,
    index_if_exists: false,
    column_if_exists: false,
    partial_index: false,
    named_enum_type: false,
    inline_enum: false,
    sequences: true,
    comments: true,
    deferrable_fk: true,
    backslash_escapes: false,
    unicode_string_prefix: false,
    parenthesize_default_expr: false,
    table_if_not_exists: false,
    index_if_not_exists: false,
    column_if_not_exists: false,
    alter_style: AlterStyle::ModifyChanged,
    comment_style: CommentStyle::CommentOn,
    identity: IdentityStyle::Generated,
    nextval: NextValStyle::DotNextval,
    current_timestamp: "CURRENT_TIMESTAMP",
    current_date: "CURRENT_DATE",
    boolean_literals: false,
    typed_datetime_literals: true,
    expression_index: true,
    index_include: false,
    computed_stored: false,
    computed_virtual: true,
    fk_on_update: false,
    fk_restrict: false,
    fk_set_default: false,
    insert_rows_per_statement: 1,
    default_schema: None,
    named_defaults: false,
    index_prefix_length: false,
    concurrent_index: false,
    overriding_system_value: false,
    column_dependents_block_alter: false,
    lob_default_needs_parens: false,
    fk_needs_index: false,
    index_expr_parens: false,
    fk_same_schema_only: false,
    column_position: false,
    type_checks_by_name: true,
};

const RESERVED_POSTGRESQL: &str = include_str!("dialect/reserved/postgresql.txt");
const RESERVED_MYSQL: &str = include_str!("dialect/reserved/mysql.txt");
const RESERVED_SQLITE: &str = include_str!("dialect/reserved/sqlite.txt");
const RESERVED_MSSQL: &str = include_str!("dialect/reserved/mssql.txt");
const RESERVED_ORACLE: &str = include_str!("dialect/reserved/oracle.txt");

#[cfg(test)]
mod tests {
    use super::*;
    use Dialect::*;

    #[test]
    fn quotes_only_when_needed_and_doubles_quote_chars() {
        for (dialect, name, want) in [
            (PostgreSql, "users", "users"),
            (PostgreSql, "user", "\"user\""),
            (PostgreSql, "Users", "\"Users\""),
            (PostgreSql, "a\"b", "\"a\"\"b\""),
            (MySql, "order", "`order`"),
            (MySql, "a`b", "`a``b`"),
            (MsSql, "a]b", "[a]]b]"),
            (MsSql, "Order Items", "[Order Items]"),
            (Oracle, "level", "\"level\""),
            (Sqlite, "1st", "\"1st\""),
        ] {
            assert_eq!(dialect.quote_ident(name), want, "{dialect} {name}");
        }
    }

    #[test]
    fn escapes_string_literals_per_dialect() {
        for (dialect, s, want) in [
            (PostgreSql, "O'Neil", "'O''Neil'"),
            (PostgreSql, "a\\b", "E'a\\\\b'"),
            (PostgreSql, "a\\'b", "E'a\\\\''b'"),
            (MySql, "a\\b", "'a\\\\b'"),
            (MariaDb, "it's", "'it''s'"),
            (MsSql, "café", "N'café'"),
        ] {
            assert_eq!(dialect.quote_str(s), want, "{dialect} {s}");
        }
    }

    #[test]
    fn line_clients_get_no_line_break_inside_a_literal() {
        for (dialect, s, want) in [
            (
                MsSql,
                "a\nGO\nb",
                "('a' + CHAR(10) + 'GO' + CHAR(10) + 'b')",
            ),
            (MsSql, "\r\n", "(CHAR(13) + CHAR(10))"),
            (MsSql, "é\n", "(N'é' + CHAR(10))"),
            (MsSql, "x$(PATH)", "('x$' + '(PATH)')"),
            (Oracle, "a\n/\n", "('a' || CHR(10) || '/' || CHR(10))"),
            (Oracle, "it's\u{2028}", "('it''s' || UNISTR('\\2028'))"),
            // Clients that track quotes take line breaks inside a literal.
            (PostgreSql, "a\nb", "'a\nb'"),
            (MariaDb, "a\n\\", "'a\n\\\\'"),
            (Oracle, "$(x)", "'$(x)'"),
            // The sqlite3 shell drops the CR of a CR LF, even inside quotes.
            (Sqlite, "a\r\nb", "('a' || char(13) || '\nb')"),
            (Sqlite, "a\rb\n", "'a\rb\n'"),
            (MariaDb, "a\r\nb", "'a\\r\nb'"),
        ] {
            assert_eq!(dialect.quote_str(s), want, "{dialect} {s:?}");
            assert!(!dialect.quote_str(s).contains('\n') || !dialect.caps().client.reads_lines());
        }
        assert!(Oracle.is_plain_literal("a&b") && !Oracle.is_plain_literal("a\rb"));
    }

    #[test]
    fn names_the_engine_or_its_client_cannot_take() {
        for (dialect, name) in [
            (PostgreSql, "a\0b"),
            (Sqlite, ""),
            (MsSql, "a\nGO"),
            (MsSql, "$(x)"),
            (Oracle, "a\rb"),
            (Oracle, "a\"b"),
            (Sqlite, "a\r\nb"),
            (MariaDb, "smile😀"),
            (MySql, "trailing "),
        ] {
            assert!(dialect.check_name(name).is_err(), "{dialect} {name:?}");
        }
        for (dialect, name) in [
            (PostgreSql, "a\nb\"c'd"),
            (MariaDb, "a\tb`c\\"),
            (Sqlite, "😀 ]["),
            (MsSql, "a]b$x"),
            (Oracle, "a&b'c"),
        ] {
            assert!(dialect.check_name(name).is_ok(), "{dialect} {name:?}");
        }
        let long = "x".repeat(64);
        assert!(PostgreSql.check_name_length(&long[..63]).is_ok());
        assert!(PostgreSql.check_name_length(&long).is_err());
        // MySQL counts characters, PostgreSQL bytes.
        let wide = "é".repeat(40);
        assert!(MySql.check_name_length(&wide).is_ok());
        assert!(PostgreSql.check_name_length(&wide).is_err());
        assert!(Sqlite.check_name_length(&"x".repeat(5000)).is_ok());
    }

    #[test]
    fn sqlcmd_command_words_are_quoted() {
        assert_eq!(MsSql.quote_ident("go"), "[go]");
        assert_eq!(MsSql.quote_ident("reset"), "[reset]");
        assert_eq!(PostgreSql.quote_ident("go"), "go");
    }

    #[test]
    fn mariadb_takes_mysql_settings_it_does_not_override() {
        let map: IndexMap<Dialect, &str> = [(MySql, "my")].into_iter().collect();
        assert_eq!(MariaDb.pick(&map), Some(&"my"));
        assert_eq!(PostgreSql.pick(&map), None);
        let both: IndexMap<Dialect, &str> =
            [(MySql, "my"), (MariaDb, "maria")].into_iter().collect();
        assert_eq!(MariaDb.pick(&both), Some(&"maria"));
        assert_eq!(MySql.pick(&both), Some(&"my"));
        // MariaDB accepts MySQL's option keys; MySQL does not gain MariaDB's.
        let keys = |d: Dialect| {
            d.options(OptionsOf::Table)
                .map(|(k, _)| k)
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(MariaDb), keys(MySql));
        assert!(keys(MySql).contains(&"engine"));
        assert!(!keys(Sqlite).contains(&"engine"));
        let chain = |d: Dialect| d.template_chain().collect::<Vec<_>>();
        assert_eq!(chain(MariaDb), ["mariadb", "mysql", "common"]);
        assert_eq!(chain(Oracle), ["oracle", "common"]);
    }

    #[test]
    fn names_round_trip() {
        for d in Dialect::ALL {
            assert_eq!(d.name().parse::<Dialect>(), Ok(d));
        }
    }
}

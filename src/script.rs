//! Script assembly: lowered statements and version-table bookkeeping in, one
//! SQL script out, shaped like Alembic's offline (`--sql`) output.
//!
//! Decides order, terminators (`;`, `GO`, `/`), transaction wrapping and
//! comments; the templates `script_*` and `version_*` decide their spelling.
//! The output depends only on the input: no timestamps, no absolute paths.

use crate::config::VersionTable;
use crate::diag::Error;
// Re-exported: scripts and `history` write comment lines with it.
pub use crate::dialect::client::comment_line;
use crate::dialect::{is_line_break, Dialect};
use crate::graph::{Direction, VersionOp};
use crate::ir::RevisionId;
use crate::lower::Stmt;
use crate::render::{safe, Renderer};
use minijinja::Value;

/// Everything a script shows, already lowered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptPlan {
    /// Upgrade or downgrade.
    pub direction: Direction,
    /// The range for the header, e.g. `base:t34r4`.
    pub range: String,
    /// The range starts at base: the script creates the version table first.
    pub create_version_table: bool,
    /// Lines shown as comments under the header (a split script's provenance).
    pub notes: Vec<String>,
    /// Statements before the script's transaction, before its COMMIT and
    /// after it (SQLite turning foreign keys off around table rebuilds).
    pub around: Around,
    /// One entry per revision run.
    pub steps: Vec<ScriptStep>,
    /// A transaction per revision, version-table change included, instead of
    /// one around the script (Alembic's `transaction_per_migration`).
    pub transaction_per_migration: bool,
}

/// Statements that go around the script's transaction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Around {
    /// Before BEGIN.
    pub before: Vec<Stmt>,
    /// Last in the transaction, before COMMIT (before each revision's
    /// COMMIT with a transaction per migration).
    pub before_commit: Vec<Stmt>,
    /// After `before_commit`, before the script's last COMMIT only.
    pub before_last_commit: Vec<Stmt>,
    /// After COMMIT.
    pub after: Vec<Stmt>,
}

/// One revision's part of the script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptStep {
    /// Versions before the step.
    pub from: Vec<RevisionId>,
    /// Versions after the step.
    pub to: Vec<RevisionId>,
    /// The revision's file, relative to the project root.
    pub file: String,
    /// The revision's message.
    pub message: String,
    /// The revision's `doc` text.
    pub doc: Option<String>,
    /// The ops' statements, in order.
    pub ops: Vec<OpSql>,
    /// Version-table changes, after the ops.
    pub version: Vec<VersionOp>,
}

/// The statements of one op and where the op was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpSql {
    /// `migrations/versions/x.mig:12`.
    pub origin: String,
    /// The op's name, e.g. `create_table`.
    pub name: &'static str,
    /// For an op derived by `downgrade auto`: the name of the upgrade op it undoes.
    pub undoes: Option<&'static str>,
    /// Its statements.
    pub stmts: Vec<Stmt>,
}

/// Builds the script text.
pub fn assemble(
    plan: &ScriptPlan,
    table: &VersionTable,
    renderer: &Renderer,
) -> Result<String, Error> {
    let dialect = renderer.dialect();
    let mut out = Writer::new(renderer)?;
    let direction = plan.direction.name();
    out.header(direction, &plan.range)?;
    out.notes(&plan.notes);
    out.stmts(&plan.around.before)?;
    out.begin()?;
    let names = VersionNames::new(table, dialect)?;
    if plan.create_version_table {
        let sql = renderer.render("version_create", &names.context(&[]))?;
        out.stmt(&checked(dialect, sql)?, None);
    }
    let per_step = plan.transaction_per_migration;
    for (i, step) in plan.steps.iter().enumerate() {
        if per_step {
            // This revision's transaction (the first one's is open already).
            out.begin()?;
        }
        out.comment(&step_header(renderer, direction, step)?);
        for op in &step.ops {
            let undoes = op
                .undoes
                .map(|u| format!(" (undoes {u})"))
                .unwrap_or_default();
            let provenance = format!("-- {} {}{undoes}", comment_line(&op.origin), op.name);
            out.op(op, provenance)?;
        }
        for change in &step.version {
            out.in_tx(&version_stmt(change, &names, renderer)?, None)?;
        }
        if per_step {
            out.in_tx_stmts(&plan.around.before_commit)?;
            if i + 1 == plan.steps.len() {
                out.in_tx_stmts(&plan.around.before_last_commit)?;
            }
            out.commit()?;
        }
    }
    if !per_step || plan.steps.is_empty() {
        out.stmts(&plan.around.before_commit)?;
        out.stmts(&plan.around.before_last_commit)?;
    }
    out.commit()?;
    out.stmts(&plan.around.after)?;
    if !plan.steps.is_empty() {
        out.footer()?;
    }
    Ok(out.finish())
}

/// Builds a `ddlc schema` script: the header (`schema at REV`), `notes` as
/// comment lines, then the ops' statements in one transaction where the
/// dialect has transactional DDL, each under `-- <op> <origin>` (origin
/// names the object), and the footer. No version table.
pub fn assemble_schema(
    at: &str,
    notes: &[String],
    around: &Around,
    ops: &[OpSql],
    renderer: &Renderer,
) -> Result<String, Error> {
    let mut out = Writer::new(renderer)?;
    out.header("schema at", at)?;
    out.notes(notes);
    out.stmts(&around.before)?;
    out.begin()?;
    for op in ops {
        let provenance = format!("-- {} {}", op.name, comment_line(&op.origin));
        out.op(op, provenance)?;
    }
    out.stmts(&around.before_commit)?;
    out.stmts(&around.before_last_commit)?;
    out.commit()?;
    out.stmts(&around.after)?;
    if !ops.is_empty() {
        out.footer()?;
    }
    Ok(out.finish())
}

/// One version-table change, spelled by its `version_*` template.
/// The comment lines that open a step: its revisions, file, message and doc.
fn step_header(renderer: &Renderer, direction: &str, step: &ScriptStep) -> Result<String, Error> {
    let doc: Vec<Value> = step
        .doc
        .as_deref()
        .map(doc_comment)
        .unwrap_or_default()
        .into_iter()
        .map(safe)
        .collect();
    renderer.render(
        "script_step",
        &minijinja::context! {
            direction => safe(direction),
            from => safe(comment_line(&join_ids(&step.from))),
            to => safe(comment_line(&join_ids(&step.to))),
            file => safe(comment_line(&step.file)),
            message => safe(comment_line(&step.message)),
            doc => doc,
        },
    )
}

fn version_stmt(
    change: &VersionOp,
    names: &VersionNames,
    renderer: &Renderer,
) -> Result<String, Error> {
    let (template, values) = match change {
        VersionOp::Insert(id) => ("version_insert", vec![("value", id)]),
        VersionOp::Update { from, to } => ("version_update", vec![("from", from), ("to", to)]),
        VersionOp::Delete(id) => ("version_delete", vec![("value", id)]),
    };
    checked(
        renderer.dialect(),
        renderer.render(template, &names.context(&values))?,
    )
}

/// One step of a `stamp` script: version-table changes and nothing else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StampStep {
    /// The rows the step replaces (empty: it adds a row).
    pub from: Vec<RevisionId>,
    /// The row it leaves (empty: it only deletes).
    pub to: Vec<RevisionId>,
    /// The file and message of the revision recorded, for the reviewer.
    pub about: Option<(String, String)>,
    /// The changes, in the order to run them.
    pub version: Vec<VersionOp>,
}

/// Builds a `stamp` script: only the version table's statements, in the
/// layout of [`assemble`] (header, transaction, `-- Running stamp_revision A
/// -> B` per step, as Alembic's `stamp --sql`); with `per_step`, a
/// transaction per step, as Alembic's `transaction_per_migration` gives.
pub fn assemble_stamp(
    range: &str,
    create_version_table: bool,
    steps: &[StampStep],
    table: &VersionTable,
    per_step: bool,
    renderer: &Renderer,
) -> Result<String, Error> {
    let dialect = renderer.dialect();
    let mut out = Writer::new(renderer)?;
    out.header("stamp", range)?;
    out.begin()?;
    let names = VersionNames::new(table, dialect)?;
    if create_version_table {
        let sql = renderer.render("version_create", &names.context(&[]))?;
        out.stmt(&checked(dialect, sql)?, None);
    }
    for step in steps {
        if per_step {
            out.begin()?;
        }
        let (file, message) = match &step.about {
            Some((file, message)) => (safe(comment_line(file)), safe(comment_line(message))),
            None => (Value::from(()), Value::from(())),
        };
        out.comment(&renderer.render(
            "script_stamp",
            &minijinja::context! {
                from => safe(comment_line(&join_ids(&step.from))),
                to => safe(comment_line(&join_ids(&step.to))),
                file => file,
                message => message,
            },
        )?);
        for change in &step.version {
            out.stmt(&version_stmt(change, &names, renderer)?, None);
        }
        if per_step {
            out.commit()?;
        }
    }
    out.commit()?;
    if !steps.is_empty() {
        out.footer()?;
    }
    Ok(out.finish())
}

/// The version table's quoted names.
struct VersionNames {
    dialect: Dialect,
    table: String,
    column: String,
    pk: String,
    column_length: u32,
}

impl VersionNames {
    /// The names of `[version_table]`, checked as names the user wrote.
    fn new(table: &VersionTable, dialect: Dialect) -> Result<VersionNames, Error> {
        let check = |key: &str, name: &str| {
            dialect
                .check_name(name)
                .and_then(|()| dialect.check_name_length(name))
                .map_err(|why| {
                    Error::Message(format!(
                        "[version_table] {key} = {name:?} cannot be used on {dialect}: {why}"
                    ))
                })
        };
        check("name", &table.name)?;
        check("column", &table.column)?;
        if let Some(schema) = &table.schema {
            check("schema", schema)?;
        }
        let name = dialect.quote_ident(&table.name);
        // Alembic's name for it, so an existing table and ours agree (shortened
        // like any generated name when the table's name is near the limit).
        let pk = crate::lower::names::fit(
            &format!("{}_pkc", table.name),
            dialect.rules().max_ident_len(),
        );
        Ok(VersionNames {
            dialect,
            table: match &table.schema {
                Some(schema) => format!("{}.{name}", dialect.quote_ident(schema)),
                None => name,
            },
            column: dialect.quote_ident(&table.column),
            pk: dialect.quote_ident(&pk),
            column_length: table.column_length,
        })
    }

    fn context(&self, values: &[(&str, &RevisionId)]) -> Value {
        let mut map: std::collections::BTreeMap<String, Value> = [
            ("table".to_string(), safe(&self.table)),
            ("column".to_string(), safe(&self.column)),
            ("pk".to_string(), safe(&self.pk)),
            ("column_length".to_string(), Value::from(self.column_length)),
            // The quoted table name as a string literal, for existence checks
            // such as SQL Server's OBJECT_ID.
            (
                "table_literal".to_string(),
                safe(self.dialect.quote_str(&self.table)),
            ),
        ]
        .into();
        for (key, id) in values {
            map.insert((*key).into(), safe(self.dialect.quote_str(&id.0)));
        }
        Value::from(map)
    }
}

/// `sql` (a version-table statement), unless the client would read something
/// into it besides SQL.
fn checked(dialect: Dialect, sql: String) -> Result<String, Error> {
    match dialect.script_hazard(&sql, false) {
        None => Ok(sql),
        Some(why) => Err(Error::Message(format!(
            "a version-table statement cannot be written safely for {dialect}: {why}"
        ))),
    }
}

/// Accumulates the script: statements with their terminators, each followed by
/// one blank line, and the transaction state.
struct Writer<'r> {
    dialect: Dialect,
    /// The line after every statement (`script_separator`), if any.
    separator: Option<String>,
    /// Spells the statements, and the script's own (BEGIN, COMMIT, DELIMITER).
    renderer: &'r Renderer,
    out: String,
    in_transaction: bool,
    /// A statement ran outside the transaction: the next transactional one
    /// opens a new transaction (so two such statements in a row leave no
    /// empty `BEGIN; COMMIT;` between them).
    reopen: bool,
    /// Where the open transaction's BEGIN was written, while no statement has
    /// run in it: a COMMIT then removes it instead of closing an empty transaction.
    empty_begin: Option<std::ops::Range<usize>>,
}

impl<'r> Writer<'r> {
    fn new(renderer: &'r Renderer) -> Result<Writer<'r>, Error> {
        let separator = renderer.render("script_separator", &minijinja::context! {})?;
        Ok(Writer {
            dialect: renderer.dialect(),
            separator: (!separator.is_empty()).then_some(separator),
            renderer,
            out: String::new(),
            in_transaction: false,
            reopen: false,
            empty_begin: None,
        })
    }

    /// `notes` as one block of comment lines.
    fn notes(&mut self, notes: &[String]) {
        let lines: Vec<String> = notes
            .iter()
            .map(|n| format!("-- {}", comment_line(n)))
            .collect();
        self.comment(&lines.join("\n"));
    }

    fn comment(&mut self, text: &str) {
        if !text.is_empty() {
            self.out.push_str(text);
            self.out.push_str("\n\n");
        }
    }

    /// One statement: `;` where the dialect uses it, then the batch separator
    /// (`script_separator`: `GO`, `/`) on its own line; `lead` is a comment
    /// line directly above.
    fn stmt(&mut self, sql: &str, lead: Option<String>) {
        self.empty_begin = None;
        if let Some(lead) = lead {
            self.out.push_str(&lead);
            self.out.push('\n');
        }
        let rules = self.dialect.rules();
        self.out.push_str(sql.trim_end());
        if rules.semicolon() {
            self.out.push(';');
        }
        self.out.push_str("\n\n");
        if let Some(separator) = &self.separator {
            self.out.push_str(separator);
            self.out.push_str("\n\n");
        }
    }

    /// A procedural block whose inner `;` are its own. The mysql/mariadb
    /// client would send it in pieces at each `;`, so it gets a delimiter of
    /// its own for the statement (one that does not occur in it); the other
    /// clients know blocks (psql, sqlite3, SQL*Plus) or run batches (sqlcmd).
    fn block(&mut self, sql: &str, lead: Option<String>) -> Result<(), Error> {
        if std::mem::take(&mut self.reopen) {
            self.begin()?;
        }
        if !self.dialect.rules().client().splits_blocks() {
            self.stmt(sql, lead);
            return Ok(());
        }
        let delimiter = ["$$", "//", ";;", "$$$", "///"]
            .into_iter()
            .find(|d| !sql.contains(d))
            .unwrap_or("$$$$");
        if let Some(lead) = lead {
            self.out.push_str(&lead);
            self.out.push('\n');
        }
        let text = self.renderer.render(
            "script_block",
            &minijinja::context! { delimiter => safe(delimiter), sql => safe(sql.trim_end()) },
        )?;
        self.out.push_str(&text);
        self.out.push_str("\n\n");
        Ok(())
    }

    /// Comment lines for the reviewer: no terminator, no batch separator.
    /// The comment block that opens every script: ddlc's version, what the
    /// script does (`upgrade`, `stamp`, `schema at`), its range and dialect.
    fn header(&mut self, direction: &str, range: &str) -> Result<(), Error> {
        let header = self.renderer.render(
            "script_header",
            &minijinja::context! {
                version => safe(env!("CARGO_PKG_VERSION")),
                direction => safe(direction),
                range => safe(comment_line(range)),
                dialect => safe(self.dialect.name()),
            },
        )?;
        self.comment(&header);
        Ok(())
    }

    /// The dialect's closing lines (`script_footer`), if it has any.
    fn footer(&mut self) -> Result<(), Error> {
        let footer = self
            .renderer
            .render("script_footer", &minijinja::context! {})?;
        if !footer.is_empty() {
            self.stmt(&footer, None);
        }
        Ok(())
    }

    fn note(&mut self, text: &str, lead: Option<String>) {
        if let Some(lead) = lead {
            self.out.push_str(&lead);
            self.out.push('\n');
        }
        self.out.push_str(text.trim_end());
        self.out.push_str("\n\n");
    }

    /// One op's statements, the first under a provenance line (where the op
    /// came from, what it undoes); an op without SQL on the dialect gets a
    /// note that says so rather than nothing.
    fn op(&mut self, op: &OpSql, provenance: String) -> Result<(), Error> {
        let mut provenance = Some(provenance);
        if op.stmts.is_empty() {
            let dialect = self.dialect;
            self.note(&format!("-- (no SQL on {dialect})"), provenance.take());
        }
        for stmt in &op.stmts {
            let sql = self.renderer.stmt(stmt)?;
            if stmt.is_note() {
                self.note(&sql, provenance.take());
            } else if stmt.block {
                self.block(&sql, provenance.take())?;
            } else if stmt.transactional {
                self.in_tx(&sql, provenance.take())?;
            } else {
                self.outside_transaction(&sql, provenance.take())?;
            }
        }
        Ok(())
    }

    /// Statements with no provenance line (notes printed as notes).
    fn stmts(&mut self, stmts: &[Stmt]) -> Result<(), Error> {
        for s in stmts {
            let sql = self.renderer.stmt(s)?;
            if s.is_note() {
                self.note(&sql, None);
            } else {
                self.stmt(&sql, None);
            }
        }
        Ok(())
    }

    /// Statements of the open transaction (reopened first after one that ran
    /// outside it), with no provenance line.
    fn in_tx_stmts(&mut self, stmts: &[Stmt]) -> Result<(), Error> {
        if !stmts.is_empty() && std::mem::take(&mut self.reopen) {
            self.begin()?;
        }
        self.stmts(stmts)
    }

    fn begin(&mut self) -> Result<(), Error> {
        if self.dialect.rules().transactional_ddl() && !self.in_transaction {
            let begin = self
                .renderer
                .render("script_begin", &minijinja::context! {})?;
            let start = self.out.len();
            self.stmt(&begin, None);
            self.empty_begin = Some(start..self.out.len());
            self.in_transaction = true;
        }
        Ok(())
    }

    /// A statement of the transaction (reopened first after one that ran outside it).
    fn in_tx(&mut self, sql: &str, lead: Option<String>) -> Result<(), Error> {
        if std::mem::take(&mut self.reopen) {
            self.begin()?;
        }
        self.stmt(sql, lead);
        Ok(())
    }

    fn commit(&mut self) -> Result<(), Error> {
        self.reopen = false;
        if !self.in_transaction {
            return Ok(());
        }
        self.in_transaction = false;
        match self.empty_begin.take() {
            Some(begin) => self.out.replace_range(begin, ""),
            None => {
                let commit = self
                    .renderer
                    .render("script_commit", &minijinja::context! {})?;
                self.stmt(&commit, None);
            }
        }
        Ok(())
    }

    /// A statement that cannot run in a transaction block (PostgreSQL's
    /// `CREATE INDEX CONCURRENTLY`): commit, run it, open a new transaction.
    fn outside_transaction(&mut self, sql: &str, lead: Option<String>) -> Result<(), Error> {
        if !self.in_transaction {
            self.stmt(sql, lead);
            if self.dialect.rules().transactional_ddl() {
                self.reopen = true;
            }
            return Ok(());
        }
        let work_so_far = self.empty_begin.is_none();
        self.commit()?;
        if work_so_far {
            self.comment("-- The next statement cannot run inside a transaction block:\n-- the work so far is committed first, and a new transaction opened after it.");
        } else {
            self.comment("-- The next statement cannot run inside a transaction block:\n-- it runs on its own, and a new transaction is opened after it.");
        }
        self.stmt(sql, lead);
        self.reopen = true;
        Ok(())
    }

    fn finish(mut self) -> String {
        // Exactly one newline at the end of the file.
        let trimmed = self.out.trim_end_matches('\n').len();
        self.out.truncate(trimmed);
        self.out.push('\n');
        self.out
    }
}

fn join_ids(ids: &[RevisionId]) -> String {
    let parts: Vec<&str> = ids.iter().map(|id| id.0.as_str()).collect();
    parts.join(", ")
}

/// `doc` text as comment lines: every line (CR, LF and CRLF all count as line
/// ends) prefixed with `-- `, so no line of it can escape the comment.
pub fn doc_comment(doc: &str) -> Vec<String> {
    let text = doc.trim_matches(is_line_break);
    if text.trim().is_empty() {
        return Vec::new();
    }
    text.split("\r\n")
        .flat_map(|l| l.split(is_line_break))
        .map(|line| {
            let line = comment_line(line);
            if line.is_empty() {
                "--".to_string()
            } else {
                format!("-- {line}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> RevisionId {
        RevisionId(s.to_string())
    }

    /// SQL as it is, through the `execute` template (`{{ sql }}`).
    fn stmt(sql: &str) -> Stmt {
        Stmt {
            body: crate::lower::Body::Template {
                name: "execute",
                ctx: minijinja::context! { sql => safe(sql) },
            },
            transactional: true,
            block: false,
        }
    }

    /// Two revisions from base: a table, then a concurrent index.
    fn small_plan() -> ScriptPlan {
        ScriptPlan {
            direction: Direction::Upgrade,
            range: "base:r2".into(),
            create_version_table: true,
            notes: Vec::new(),
            around: Around::default(),
            steps: vec![
                ScriptStep {
                    from: vec![],
                    to: vec![id("r1")],
                    file: "migrations/versions/r1_users.mig".into(),
                    message: "create users".into(),
                    doc: Some("Users of the app.\n\n*/ DROP TABLE x; --\r\nend".into()),
                    ops: vec![OpSql {
                        origin: "migrations/versions/r1_users.mig:6".into(),
                        name: "create_table",
                        undoes: None,
                        stmts: vec![stmt("CREATE TABLE users (\n    id INTEGER NOT NULL,\n    PRIMARY KEY (id)\n)")],
                    }],
                    version: vec![VersionOp::Insert(id("r1"))],
                },
                ScriptStep {
                    from: vec![id("r1")],
                    to: vec![id("r2")],
                    file: "migrations/versions/r2_index.mig".into(),
                    message: "index users'\nids".into(),
                    doc: None,
                    ops: vec![OpSql {
                        origin: "migrations/versions/r2_index.mig:5".into(),
                        name: "create_index",
                        undoes: None,
                        stmts: vec![Stmt {
                            transactional: false,
                            ..stmt("CREATE INDEX ix_users_id ON users (id)")
                        }],
                    }],
                    version: vec![VersionOp::Update {
                        from: id("r1"),
                        to: id("r2"),
                    }],
                },
            ],
            transaction_per_migration: false,
        }
    }

    #[test]
    fn small_plan_for_every_dialect() {
        for dialect in Dialect::ALL {
            let renderer = Renderer::new(dialect, None).unwrap();
            let text = assemble(&small_plan(), &VersionTable::default(), &renderer).unwrap();
            insta::with_settings!({snapshot_path => "../snapshots/script", prepend_module_to_snapshot => false}, {
                insta::assert_snapshot!(format!("small_plan_{}", dialect.name()), text);
            });
        }
    }

    /// Alembic's `transaction_per_migration`: each revision, version row
    /// included, in its own transaction; the concurrent index of the second
    /// still runs outside one, and its version row in a transaction of its own.
    #[test]
    fn small_plan_with_a_transaction_per_migration() {
        let plan = ScriptPlan {
            transaction_per_migration: true,
            ..small_plan()
        };
        for dialect in [Dialect::PostgreSql, Dialect::Sqlite, Dialect::MsSql] {
            let renderer = Renderer::new(dialect, None).unwrap();
            let text = assemble(&plan, &VersionTable::default(), &renderer).unwrap();
            insta::with_settings!({snapshot_path => "../snapshots/script", prepend_module_to_snapshot => false}, {
                insta::assert_snapshot!(format!("small_plan_per_migration_{}", dialect.name()), text);
            });
        }
        // Nothing changes where DDL is not transactional.
        for dialect in [Dialect::MySql, Dialect::MariaDb, Dialect::Oracle] {
            let renderer = Renderer::new(dialect, None).unwrap();
            let table = VersionTable::default();
            assert_eq!(
                assemble(&plan, &table, &renderer).unwrap(),
                assemble(&small_plan(), &table, &renderer).unwrap(),
                "{dialect}"
            );
        }
    }

    #[test]
    fn downgrade_with_custom_version_table_and_merge_rows() {
        let plan = ScriptPlan {
            direction: Direction::Downgrade,
            range: "m:base".into(),
            create_version_table: false,
            notes: Vec::new(),
            around: Around::default(),
            steps: vec![ScriptStep {
                from: vec![id("m")],
                to: vec![id("a2"), id("b1")],
                file: "v/m.mig".into(),
                message: "merge".into(),
                doc: None,
                ops: vec![],
                version: vec![
                    VersionOp::Insert(id("a2")),
                    VersionOp::Update {
                        from: id("m"),
                        to: id("b1"),
                    },
                ],
            }],
            transaction_per_migration: false,
        };
        let table = VersionTable {
            name: "Schema Migrations".into(),
            schema: Some("extra".into()),
            column: "rev".into(),
            ..VersionTable::default()
        };
        let renderer = Renderer::new(Dialect::MsSql, None).unwrap();
        let text = assemble(&plan, &table, &renderer).unwrap();
        assert!(
            text.contains("-- Running downgrade m -> a2, b1\n"),
            "{text}"
        );
        assert!(
            text.contains("INSERT INTO extra.[Schema Migrations] (rev) VALUES ('a2');\n\nGO\n"),
            "{text}"
        );
        assert!(
            text.contains("UPDATE extra.[Schema Migrations] SET rev = 'b1' WHERE rev = 'm';"),
            "{text}"
        );
        assert!(!text.contains("CREATE TABLE"), "{text}");
    }

    #[test]
    fn doc_and_messages_cannot_escape_their_comment() {
        for (doc, want) in [
            ("one", vec!["-- one"]),
            ("a\r\nb\rc\nd", vec!["-- a", "-- b", "-- c", "-- d"]),
            ("x\n\n  y  \n", vec!["-- x", "--", "--   y"]),
            ("p\u{2028}q", vec!["-- p", "-- q"]),
            ("\n\n", vec![]),
        ] {
            assert_eq!(doc_comment(doc), want, "{doc:?}");
        }
        assert_eq!(comment_line("a\nDROP TABLE t;\r"), "a DROP TABLE t;");
    }

    /// The value of the string expression after `EXECUTE IMMEDIATE` in an
    /// Oracle block: literals joined by `||`, `CHR(n)`, as Oracle evaluates it.
    fn immediate(block: &str) -> String {
        use sqlparser::dialect::OracleDialect;
        use sqlparser::tokenizer::{Token, Tokenizer};
        let toks: Vec<Token> = Tokenizer::new(&OracleDialect {}, block)
            .tokenize()
            .expect("the block tokenizes")
            .into_iter()
            .filter(|t| !matches!(t, Token::Whitespace(_)))
            .collect();
        let at = toks
            .iter()
            .position(|t| matches!(t, Token::Word(w) if w.value == "IMMEDIATE"))
            .expect("EXECUTE IMMEDIATE");
        let mut out = String::new();
        let mut i = at + 1;
        while let Some(t) = toks.get(i) {
            match t {
                Token::SingleQuotedString(s) => out.push_str(s),
                Token::Word(w) if w.value == "CHR" => {
                    if let Some(Token::Number(n, _)) = toks.get(i + 2) {
                        out.push(char::from_u32(n.parse().unwrap()).unwrap());
                    }
                    i += 3;
                }
                Token::StringConcat | Token::LParen | Token::RParen => {}
                _ => break,
            }
            i += 1;
        }
        out
    }

    #[test]
    fn names_inside_dynamic_sql_are_escaped_for_the_inner_literal() {
        use sqlparser::ast::Statement;
        use sqlparser::dialect::{MsSqlDialect, OracleDialect};
        use sqlparser::parser::Parser;
        // Issue 7 defect 6: `[version_table] name = "a'b"` broke Oracle's
        // EXECUTE IMMEDIATE literal.
        for name in ["a'b", "x' || 'y", "it''s"] {
            let table = VersionTable {
                name: name.into(),
                ..VersionTable::default()
            };
            let renderer = Renderer::new(Dialect::Oracle, None).unwrap();
            let text = assemble(&small_plan(), &table, &renderer).unwrap();
            let block = &text[text.find("BEGIN").unwrap()..text.find("END;").unwrap() + 4];
            let inner = immediate(block);
            let parsed = Parser::parse_sql(&OracleDialect {}, &inner)
                .unwrap_or_else(|e| panic!("{name}: {e}: {inner}"));
            match &parsed[..] {
                [Statement::CreateTable(ct)] => {
                    assert_eq!(ct.name.0.len(), 1, "{inner}");
                    let ident = ct.name.0[0].as_ident().unwrap();
                    assert_eq!(ident.value, name, "{inner}");
                }
                other => panic!("{name}: not one CREATE TABLE: {other:?}"),
            }
            // SQL Server: the OBJECT_ID literal names the same table.
            let renderer = Renderer::new(Dialect::MsSql, None).unwrap();
            let text = assemble(&small_plan(), &table, &renderer).unwrap();
            let line = text
                .lines()
                .find(|l| l.starts_with("IF OBJECT_ID("))
                .unwrap();
            let lit = &line["IF OBJECT_ID(".len()..line.find(", 'U')").unwrap()];
            let value = match Parser::new(&MsSqlDialect {})
                .try_with_sql(lit)
                .and_then(|mut p| p.parse_expr())
                .unwrap()
            {
                sqlparser::ast::Expr::Value(v) => v.value.into_string().unwrap(),
                other => panic!("{other:?}"),
            };
            let object = Parser::new(&MsSqlDialect {})
                .try_with_sql(&value)
                .and_then(|mut p| p.parse_object_name(false))
                .unwrap();
            assert_eq!(object.0[0].as_ident().unwrap().value, name, "{value}");
        }
    }

    #[test]
    fn comments_of_the_script_hold_no_control_characters() {
        assert_eq!(comment_line("a\0b\u{1b}[31m$(PATH)"), "a?b?[31m$ (PATH)");
        assert_eq!(doc_comment("x\0\ny"), vec!["-- x?", "-- y"]);
    }

    #[test]
    fn output_is_byte_identical_across_runs() {
        let renderer = Renderer::new(Dialect::PostgreSql, None).unwrap();
        let first = assemble(&small_plan(), &VersionTable::default(), &renderer).unwrap();
        let second = assemble(&small_plan(), &VersionTable::default(), &renderer).unwrap();
        assert_eq!(first, second);
    }

    #[test]
    fn sqlite_script_runs_in_sqlite() {
        let mut plan = small_plan();
        plan.steps[1].ops[0].stmts[0].transactional = true;
        let renderer = Renderer::new(Dialect::Sqlite, None).unwrap();
        let text = assemble(&plan, &VersionTable::default(), &renderer).unwrap();
        let db = rusqlite::Connection::open_in_memory().unwrap();
        db.execute_batch(&text).unwrap();
        let version: String = db
            .query_row("SELECT version_num FROM alembic_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(version, "r2");
    }
}

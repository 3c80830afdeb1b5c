//! Templates: one minijinja environment per dialect.
//!
//! A template name such as `create_table` is looked up along the dialect's chain
//! (`mariadb` → `mysql` → `common`), first in the user's override directory
//! (`--templates DIR` or `templates` in ddlc.toml), then in the templates
//! embedded at build time. So a user overrides one file and keeps the rest.
//! Every file in the override directory must be a template some dialect looks
//! up from that folder: a misspelt name would otherwise be ignored silently,
//! and the SQL it was meant to change shipped unchanged.
//!
//! Templates never see a raw user string: lowering passes names, types and
//! literals already quoted by `dialect`, as safe strings. The formatter refuses
//! to print anything else, so a template that prints a raw value fails in tests
//! instead of shipping unquoted SQL.

use crate::diag::Error;
use crate::dialect::Dialect;
use camino::{Utf8Path, Utf8PathBuf};
use minijinja::value::{Value, ValueKind};
use minijinja::{AutoEscape, Environment, ErrorKind, UndefinedBehavior};
use std::borrow::Cow;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/templates.rs"));
}
pub use embedded::EMBEDDED;

/// One statement of a script, as data: what to render and how the script
/// runs it. [`Renderer::stmt`] turns it into text (without its terminator), so
/// every keyword comes from a template a user can override.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stmt {
    /// What the statement says.
    pub body: Body,
    /// False when the statement must run outside a transaction
    /// (PostgreSQL `CREATE INDEX CONCURRENTLY`); the script closes and reopens
    /// its transaction around it.
    pub transactional: bool,
    /// A procedural block with `;` of its own (a `CREATE PROCEDURE` in
    /// `execute`): the mysql client needs another delimiter around it.
    pub block: bool,
}

/// The content of a [`Stmt`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// SQL: template `name` rendered with `ctx` (every value in it quoted).
    Template {
        /// The template, without folder or `.sql`.
        name: &'static str,
        /// Its context.
        ctx: Value,
    },
    /// SQL already rendered from `template` (by [`Renderer::rendered`]): what
    /// lowering hands on once it has checked the text at the op, so that a
    /// statement is rendered once and its context does not outlive it.
    Sql {
        /// The template that spelled it.
        template: &'static str,
        /// Its text, without terminator.
        text: String,
    },
    /// A note for the reviewer (why an op emits no SQL on this dialect),
    /// printed as a comment line, without terminator or batch separator.
    Note(String),
}

impl Stmt {
    /// True for a note for the reviewer.
    pub(crate) fn is_note(&self) -> bool {
        matches!(self.body, Body::Note(_))
    }
}

/// A note's text as the comment line the script prints.
pub fn note_line(text: &str) -> String {
    crate::dialect::client::comment_line(&format!("-- {text}"))
}

/// Where a template was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Built into the binary: `templates/<folder>/<name>.sql`.
    Embedded(String),
    /// The user's override directory.
    Override(Utf8PathBuf),
}

/// Renders statements for one dialect.
pub struct Renderer {
    dialect: Dialect,
    env: Environment<'static>,
    overrides: Option<Utf8PathBuf>,
}

impl Renderer {
    /// A renderer for `dialect`, with an optional override directory laid out
    /// like `templates/` (`<dir>/<dialect>/<name>.sql`, `<dir>/common/<name>.sql`).
    pub fn new(dialect: Dialect, overrides: Option<&Utf8Path>) -> Result<Renderer, Error> {
        if let Some(dir) = overrides {
            if !dir.is_dir() {
                return Err(Error::Message(format!(
                    "template directory `{dir}` does not exist"
                )));
            }
            check_overrides(dir)?;
        }
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        let syntax = minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(false)
            .build()
            .map_err(|e| Error::Template(e.to_string()))?;
        env.set_syntax(syntax);
        env.set_auto_escape_callback(|_| AutoEscape::Custom("sql".into()));
        env.set_formatter(sql_formatter);
        env.add_filter("join_sql", join_sql);
        // `{{ columns | each(c.column) }}`: a macro applied to every item, in
        // one pass (a list grown item by item in a namespace copies itself
        // each time: quadratic in a table's columns).
        env.add_filter("each", each);
        // `{{ sql | literal }}`: SQL composed in the template, as a string
        // literal of the dialect (dynamic SQL: Oracle's EXECUTE IMMEDIATE).
        env.add_filter(
            "literal",
            move |v: Value| -> Result<Value, minijinja::Error> {
                match v.as_str() {
                    Some(s) if v.is_safe() => Ok(safe(dialect.quote_str(s))),
                    _ => Err(minijinja::Error::new(
                        ErrorKind::InvalidOperation,
                        format!("literal got an unquoted value `{v}`"),
                    )),
                }
            },
        );
        set_scripts(&mut env, &crate::config::Scripts::default());
        let loader_dir = overrides.map(Utf8Path::to_path_buf);
        env.set_loader(move |name| {
            locate(dialect, loader_dir.as_deref(), name)
                .map(|found| found.map(|(_, text)| text))
                .map_err(|e| minijinja::Error::new(ErrorKind::TemplateNotFound, e.to_string()))
        });
        Ok(Renderer {
            dialect,
            env,
            overrides: overrides.map(Utf8Path::to_path_buf),
        })
    }

    /// With the project's `[scripts]` settings, which the header templates
    /// (`script_header`) set for the session.
    pub fn with_scripts(mut self, scripts: &crate::config::Scripts) -> Renderer {
        set_scripts(&mut self.env, scripts);
        self
    }

    /// The dialect rendered for.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Renders template `name` (without folder or `.sql`) with `ctx`; the result
    /// is trimmed of surrounding blank lines.
    pub fn render(&self, name: &str, ctx: &Value) -> Result<String, Error> {
        let file = format!("{name}.sql");
        let template = self
            .env
            .get_template(&file)
            .map_err(|e| template_error(self.dialect, name, &e))?;
        let mut text = template
            .render(ctx)
            .map_err(|e| template_error(self.dialect, name, &e))?;
        // Trimmed in place (`trim_matches('\n').trim_end()`): asked for every
        // statement, and a copy each time was a good part of the allocations.
        text.truncate(text.trim_end().len());
        let blank_lines = text.len() - text.trim_start_matches('\n').len();
        text.drain(..blank_lines);
        Ok(text)
    }

    /// The text of `stmt`, without its terminator: the one place a lowered
    /// statement becomes SQL (or a note becomes its comment line).
    pub fn stmt<'s>(&self, stmt: &'s Stmt) -> Result<Cow<'s, str>, Error> {
        match &stmt.body {
            Body::Template { name, ctx } => Ok(Cow::Owned(self.render(name, ctx)?)),
            Body::Sql { text, .. } => Ok(Cow::Borrowed(text)),
            Body::Note(text) => Ok(Cow::Owned(note_line(text))),
        }
    }

    /// `stmt` with a [`Body::Template`] rendered into [`Body::Sql`] (`None`
    /// when it renders to nothing), for a caller that checks the text.
    pub fn rendered(&self, stmt: Stmt) -> Result<Option<Stmt>, Error> {
        let Body::Template { name, ctx } = &stmt.body else {
            return Ok(Some(stmt));
        };
        let text = self.render(name, ctx)?;
        if text.trim().is_empty() {
            return Ok(None);
        }
        Ok(Some(Stmt {
            body: Body::Sql {
                template: name,
                text,
            },
            ..stmt
        }))
    }

    /// The texts of `stmts` (see [`Renderer::stmt`]), for callers that show
    /// statements outside a script (tests, docs).
    pub fn texts(&self, stmts: &[Stmt]) -> Result<Vec<String>, Error> {
        stmts
            .iter()
            .map(|s| self.stmt(s).map(Cow::into_owned))
            .collect()
    }

    /// Which file `name` resolves to for this renderer.
    pub fn origin(&self, name: &str) -> Result<Option<Origin>, Error> {
        Ok(locate(
            self.dialect,
            self.overrides.as_deref(),
            &format!("{name}.sql"),
        )?
        .map(|(o, _)| o))
    }
}

/// Finds `file` along the dialect's chain: overrides first, then embedded.
/// An override that exists but cannot be read is an error, not a fallback to
/// the embedded template.
fn locate(
    dialect: Dialect,
    overrides: Option<&Utf8Path>,
    file: &str,
) -> Result<Option<(Origin, String)>, Error> {
    if let Some(dir) = overrides {
        for folder in dialect.template_chain() {
            let path = dir.join(folder).join(file);
            match std::fs::read_to_string(&path) {
                Ok(text) => return Ok(Some((Origin::Override(path), text))),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(Error::Io { path, source }),
            }
        }
    }
    for folder in dialect.template_chain() {
        let key = format!("{folder}/{file}");
        if let Some((_, text)) = EMBEDDED.iter().find(|(k, _)| *k == key) {
            return Ok(Some((Origin::Embedded(key), (*text).to_string())));
        }
    }
    Ok(None)
}

/// The template folders: `common` and one per dialect.
fn folders() -> Vec<&'static str> {
    let mut folders = vec!["common"];
    folders.extend(Dialect::ALL.iter().map(|d| d.name()));
    folders
}

/// The template names (without `.sql`) looked up from `folder`: those some
/// dialect whose chain passes through `folder` renders, that is every name
/// embedded anywhere along such a dialect's chain.
fn names_for(folder: &str) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for dialect in Dialect::ALL {
        let chain: Vec<&str> = dialect.template_chain().collect();
        if !chain.contains(&folder) {
            continue;
        }
        for (key, _) in EMBEDDED {
            if let Some((from, file)) = key.split_once('/') {
                if chain.contains(&from) {
                    names.extend(file.strip_suffix(".sql"));
                }
            }
        }
    }
    names.sort_unstable();
    names.dedup();
    names
}

/// Every entry of the override directory must be a template folder holding
/// only templates ddlc looks up there. Hidden entries (`.git`, `.DS_Store`,
/// editor swap files) are skipped.
fn check_overrides(dir: &Utf8Path) -> Result<(), Error> {
    let folders = folders();
    for (name, path) in sorted_entries(dir)? {
        if !path.is_dir() {
            return Err(Error::Message(format!(
                "template override `{}` is not in a template folder: overrides are \
                 `{}/<folder>/<name>.sql`, with <folder> one of {}",
                shown(&path),
                shown(dir),
                folders.join(", ")
            )));
        }
        if !folders.contains(&name.as_str()) {
            let hint = crate::diag::closest(&name, folders.iter().copied())
                .map(|f| format!(" (did you mean `{f}`?)"))
                .unwrap_or_default();
            return Err(Error::Message(format!(
                "template folder `{}` is not a dialect{hint}: the folders are {}",
                shown(&path),
                folders.join(", ")
            )));
        }
        let known = names_for(&name);
        for (file, file_path) in sorted_entries(&path)? {
            let stem = file.strip_suffix(".sql");
            if stem.is_some_and(|s| known.contains(&s)) && file_path.is_file() {
                continue;
            }
            let hint = crate::diag::closest(stem.unwrap_or(&file), known.iter().copied())
                .map(|t| format!(" (did you mean `{t}.sql`?)"))
                .unwrap_or_default();
            return Err(Error::Message(format!(
                "template override `{}` is not a template ddlc uses for `{name}`{hint}; \
                 the templates are: {}",
                shown(&file_path),
                known.join(", ")
            )));
        }
    }
    Ok(())
}

/// `path` relative to the current folder when it lies below it, as the user
/// most likely wrote it.
fn shown(path: &Utf8Path) -> &Utf8Path {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path)
}

/// The non-hidden entries of `dir` with their paths, sorted by name.
fn sorted_entries(dir: &Utf8Path) -> Result<Vec<(String, Utf8PathBuf)>, Error> {
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') {
            entries.push((name.clone(), dir.join(name)));
        }
    }
    entries.sort();
    Ok(entries)
}

fn template_error(dialect: Dialect, name: &str, e: &minijinja::Error) -> Error {
    let mut msg = format!("{dialect}/{name}: {e}");
    let mut source = std::error::Error::source(e);
    while let Some(inner) = source {
        msg.push_str(&format!(": {inner}"));
        source = inner.source();
    }
    Error::Template(msg)
}

/// Prints safe strings and numbers; refuses raw strings, so no user text reaches
/// the SQL without going through `Dialect::quote_*`.
fn sql_formatter(
    out: &mut minijinja::Output,
    _state: &mut minijinja::State,
    value: &Value,
) -> Result<(), minijinja::Error> {
    let text = match value.kind() {
        ValueKind::String if value.is_safe() => value.as_str().unwrap_or_default().to_string(),
        ValueKind::Number => value.to_string(),
        kind => {
            return Err(minijinja::Error::new(
                ErrorKind::InvalidOperation,
                format!("template printed an unquoted {kind} value `{value}`; pass it through the dialect's quoting as a safe string"),
            ))
        }
    };
    out.write_str(&text)
        .map_err(|e| minijinja::Error::new(ErrorKind::WriteFailure, e.to_string()))
}

/// `{{ items | join_sql(", ") }}`: joins safe strings and keeps the result safe;
/// refuses any item that is not safe.
fn join_sql(items: Vec<Value>, sep: Option<String>) -> Result<Value, minijinja::Error> {
    let sep = sep.unwrap_or_else(|| ", ".to_string());
    let mut parts = Vec::with_capacity(items.len());
    for item in items {
        match item.kind() {
            ValueKind::String if item.is_safe() => {
                parts.push(item.as_str().unwrap_or_default().to_string())
            }
            ValueKind::Number => parts.push(item.to_string()),
            kind => {
                return Err(minijinja::Error::new(
                    ErrorKind::InvalidOperation,
                    format!("join_sql got an unquoted {kind} value `{item}`"),
                ))
            }
        }
    }
    Ok(Value::from_safe_string(parts.join(&sep)))
}

/// The list of `callee(item)` for every item of `items`.
fn each(
    state: &mut minijinja::State,
    items: Value,
    callee: Value,
) -> Result<Value, minijinja::Error> {
    let mut out = Vec::with_capacity(items.len().unwrap_or(0));
    for item in items.try_iter()? {
        out.push(callee.call(state, &[item])?);
    }
    Ok(Value::from(out))
}

/// A safe string: text already quoted/escaped for the target dialect.
pub fn safe(text: impl Into<String>) -> Value {
    Value::from_safe_string(text.into())
}

/// The `[scripts]` settings as template globals, `none` where unset:
/// `lock_timeout` / `statement_timeout` as PostgreSQL takes them (`'5s'`),
/// `lock_timeout_seconds` in whole seconds (MySQL's `lock_wait_timeout`).
fn set_scripts(env: &mut Environment<'static>, scripts: &crate::config::Scripts) {
    let text = |t: Option<crate::config::Timeout>| match t {
        // Digits and a unit only (`Timeout::parse`): safe as they are.
        Some(t) => Value::from_safe_string(t.postgres()),
        None => Value::from(()),
    };
    env.add_global("lock_timeout", text(scripts.lock_timeout));
    env.add_global("statement_timeout", text(scripts.statement_timeout));
    env.add_global(
        "lock_timeout_seconds",
        Value::from(scripts.lock_timeout.map(|t| t.seconds())),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overrides(files: &[(&str, &str)]) -> (tempfile::TempDir, Utf8PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let root = Utf8PathBuf::from_path_buf(dir.path().to_path_buf()).unwrap();
        for (path, text) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        (dir, root)
    }

    fn error(files: &[(&str, &str)]) -> String {
        let (_dir, root) = overrides(files);
        match Renderer::new(Dialect::PostgreSql, Some(&root)) {
            Ok(_) => panic!("{files:?} accepted"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn names_follow_the_chains_through_a_folder() {
        let pg = names_for("postgresql");
        assert!(pg.contains(&"create_type") && pg.contains(&"create_table"));
        assert!(!pg.contains(&"identity_insert"), "an mssql template");
        // `common` is on every chain, so any dialect's template may sit there.
        assert!(names_for("common").contains(&"identity_insert"));
        // MariaDB's chain passes through `mysql`.
        assert!(names_for("mysql").contains(&"drop_constraint"));
        assert!(names_for("nosuch").is_empty());
    }

    #[test]
    fn a_known_override_is_used_and_hidden_files_are_ignored() {
        let (_dir, root) = overrides(&[
            (
                "postgresql/drop_table.sql",
                "DROP TABLE {{ table }} CASCADE",
            ),
            ("postgresql/.drop_table.sql.swp", "junk"),
            (".git/config", "junk"),
        ]);
        let r = Renderer::new(Dialect::PostgreSql, Some(&root)).unwrap();
        assert_eq!(
            r.origin("drop_table").unwrap(),
            Some(Origin::Override(root.join("postgresql/drop_table.sql")))
        );
        let ctx = minijinja::context! { table => safe("t") };
        assert_eq!(
            r.render("drop_table", &ctx).unwrap(),
            "DROP TABLE t CASCADE"
        );
    }

    #[test]
    fn unknown_override_files_and_folders_are_errors_with_suggestions() {
        let err = error(&[("postgresql/create_tabel.sql", "")]);
        assert!(err.contains("postgresql/create_tabel.sql` is not a template ddlc uses for `postgresql` (did you mean `create_table.sql`?)"), "{err}");
        assert!(
            err.contains("the templates are: _column, _constraint, _index, add_column"),
            "{err}"
        );
        let err = error(&[("postgres/create_table.sql", "")]);
        assert!(
            err.contains("postgres` is not a dialect (did you mean `postgresql`?)"),
            "{err}"
        );
        assert!(
            err.contains("common, postgresql, mysql, mariadb, sqlite, mssql, oracle"),
            "{err}"
        );
        let err = error(&[("create_table.sql", "")]);
        assert!(err.contains("is not in a template folder"), "{err}");
        let err = error(&[("sqlite/create_type.sql", "")]);
        assert!(
            err.contains("not a template ddlc uses for `sqlite`"),
            "{err}"
        );
        let err = error(&[("mysql/create_table.sql~", "")]);
        assert!(err.contains("(did you mean `create_table.sql`?)"), "{err}");
        let err = error(&[("common/drop_table.sql/x", "")]);
        assert!(
            err.contains("common/drop_table.sql` is not a template"),
            "{err}"
        );
    }
}

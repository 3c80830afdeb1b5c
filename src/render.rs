//! Templates: one minijinja environment per dialect.
//!
//! A template name such as `create_table` is looked up along the dialect's chain
//! (`mariadb` → `mysql` → `common`), first in the user's override directory
//! (`--templates DIR` or `templates` in ddlc.toml), then in the templates
//! embedded at build time. So a user overrides one file and keeps the rest.
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

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/templates.rs"));
}
pub use embedded::EMBEDDED;

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
        let loader_dir = overrides.map(Utf8Path::to_path_buf);
        env.set_loader(
            move |name| match locate(dialect, loader_dir.as_deref(), name) {
                Some((_, text)) => Ok(Some(text)),
                None => Ok(None),
            },
        );
        Ok(Renderer {
            dialect,
            env,
            overrides: overrides.map(Utf8Path::to_path_buf),
        })
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
        let text = template
            .render(ctx)
            .map_err(|e| template_error(self.dialect, name, &e))?;
        Ok(text.trim_matches('\n').trim_end().to_string())
    }

    /// Which file `name` resolves to for this renderer.
    pub fn origin(&self, name: &str) -> Option<Origin> {
        locate(
            self.dialect,
            self.overrides.as_deref(),
            &format!("{name}.sql"),
        )
        .map(|(o, _)| o)
    }
}

/// Finds `file` along the dialect's chain: overrides first, then embedded.
fn locate(dialect: Dialect, overrides: Option<&Utf8Path>, file: &str) -> Option<(Origin, String)> {
    if let Some(dir) = overrides {
        for folder in dialect.template_chain() {
            let path = dir.join(folder).join(file);
            if let Ok(text) = std::fs::read_to_string(&path) {
                return Some((Origin::Override(path), text));
            }
        }
    }
    for folder in dialect.template_chain() {
        let key = format!("{folder}/{file}");
        if let Some((_, text)) = EMBEDDED.iter().find(|(k, _)| *k == key) {
            return Some((Origin::Embedded(key), (*text).to_string()));
        }
    }
    None
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

/// A safe string: text already quoted/escaped for the target dialect.
pub fn safe(text: impl Into<String>) -> Value {
    Value::from_safe_string(text.into())
}

//! One Alembic revision file: its header variables, its docstring and the
//! bodies of `upgrade()` and `downgrade()`, read with a Python parser.

use super::body::{Item, Walker};
use super::models;
use super::value::{Env, Value};
use camino::Utf8Path;
use rustpython_parser::ast::{self, Stmt};
use rustpython_parser::Parse;
use std::collections::HashMap;

/// A revision read from a .py file.
#[derive(Debug)]
pub struct Revision {
    /// `revision`.
    pub id: String,
    /// `down_revision`: none, one, or a tuple (a merge).
    pub parents: Vec<String>,
    /// `branch_labels`.
    pub labels: Vec<String>,
    /// `depends_on`.
    pub depends_on: Vec<String>,
    /// The docstring's first line.
    pub message: String,
    /// The rest of the docstring.
    pub doc: String,
    /// `upgrade()`.
    pub upgrade: Vec<Item>,
    /// `downgrade()`.
    pub downgrade: Vec<Item>,
}

impl Revision {
    /// A revision with nothing in it (a placeholder while revisions move).
    pub fn empty() -> Revision {
        Revision {
            id: String::new(),
            parents: vec![],
            labels: vec![],
            depends_on: vec![],
            message: String::new(),
            doc: String::new(),
            upgrade: vec![],
            downgrade: vec![],
        }
    }
}

/// Why a file is not a revision, with the 1-based line.
#[derive(Debug)]
pub struct NotRevision {
    /// The line.
    pub line: usize,
    /// Why.
    pub message: String,
}

/// Reads `source` (the text of `path`, shown as `shown`).
pub fn read(source: &str, path: &Utf8Path, shown: &str) -> Result<Revision, NotRevision> {
    let suite = ast::Suite::parse(source, shown).map_err(|e| NotRevision {
        line: source[..(e.offset.to_usize()).min(source.len())]
            .matches('\n')
            .count()
            + 1,
        message: format!("not Python this parser reads: {}", e.error),
    })?;
    let mut env = Env::default();
    env.bind("op", Value::Path("alembic.op".into()));
    let mut helpers = HashMap::new();
    let mut functions: HashMap<&str, &ast::StmtFunctionDef> = HashMap::new();
    for s in &suite {
        module_stmt(s, &mut env, &mut helpers, &mut functions);
    }
    models::read(&suite, path, &mut env);
    let header = |key: &str| env.names.get(key).cloned().unwrap_or(Value::None);
    let id = match header("revision") {
        Value::Str(s) => s,
        _ => {
            return Err(NotRevision {
                line: 1,
                message: "no `revision = \"...\"` at module level".into(),
            })
        }
    };
    let list = |key: &str| -> Result<Vec<String>, NotRevision> {
        match header(key) {
            Value::None => Ok(vec![]),
            Value::Str(s) => Ok(vec![s]),
            Value::List(l) => l
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or(()),
            _ => Err(()),
        }
        .map_err(|_| NotRevision {
            line: 1,
            message: format!("`{key}` is not a string, a tuple of strings or None"),
        })
    };
    let (parents, labels, depends_on) = (
        list("down_revision")?,
        list("branch_labels")?,
        list("depends_on")?,
    );
    let docstring = suite.first().and_then(|s| match s {
        Stmt::Expr(e) => match &*e.value {
            ast::Expr::Constant(c) => c.value.clone().str(),
            _ => None,
        },
        _ => None,
    });
    let (message, doc) = split_docstring(docstring.as_deref().unwrap_or(""), &id);
    let walker = Walker { source, helpers };
    let body = |name: &str| match functions.get(name) {
        Some(f) => walker.block(&f.body, &mut env.clone(), None),
        None => vec![],
    };
    Ok(Revision {
        id,
        parents,
        labels,
        depends_on,
        message,
        doc,
        upgrade: body("upgrade"),
        downgrade: body("downgrade"),
    })
}

/// The message is the first line; Alembic's "Revision ID: ..." lines and
/// the like are left out of the doc.
fn split_docstring(doc: &str, id: &str) -> (String, String) {
    let mut lines = doc.lines();
    let message = lines.next().unwrap_or("").trim().to_string();
    let rest: Vec<&str> = lines
        .filter(|l| {
            let t = l.trim();
            !(t.starts_with("Revision ID:")
                || t.starts_with("Revises:")
                || t.starts_with("Create Date:"))
        })
        .collect();
    let rest = rest.join("\n").trim().to_string();
    let message = if message.is_empty() {
        id.to_string()
    } else {
        message
    };
    (message, rest)
}

fn module_stmt<'a>(
    s: &'a Stmt,
    env: &mut Env,
    helpers: &mut HashMap<String, &'a ast::StmtFunctionDef>,
    functions: &mut HashMap<&'a str, &'a ast::StmtFunctionDef>,
) {
    match s {
        Stmt::Import(i) => {
            for a in &i.names {
                let full = a.name.as_str();
                match &a.asname {
                    Some(alias) => env.bind(alias.as_str(), Value::Path(full.into())),
                    None => {
                        let first = full.split('.').next().unwrap_or(full);
                        env.bind(first, Value::Path(first.into()));
                    }
                }
            }
        }
        Stmt::ImportFrom(i) => {
            let module = i.module.as_ref().map(|m| m.to_string()).unwrap_or_default();
            for a in &i.names {
                let bound = a.asname.as_ref().unwrap_or(&a.name).to_string();
                env.bind(&bound, Value::Path(format!("{module}.{}", a.name.as_str())));
            }
        }
        Stmt::Assign(a) => {
            let v = env.eval(&a.value);
            for t in &a.targets {
                let _ = env.bind_target(t, v.clone());
            }
        }
        Stmt::AnnAssign(a) => {
            if let Some(v) = &a.value {
                let v = env.eval(v);
                let _ = env.bind_target(&a.target, v);
            }
        }
        Stmt::FunctionDef(f) => {
            functions.insert(f.name.as_str(), f);
            let a = &f.args;
            if a.args.is_empty()
                && a.posonlyargs.is_empty()
                && a.kwonlyargs.is_empty()
                && a.vararg.is_none()
                && a.kwarg.is_none()
            {
                helpers.insert(f.name.to_string(), f);
            }
        }
        _ => {}
    }
}

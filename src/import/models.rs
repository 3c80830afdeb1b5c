//! The `__tablename__` of the models a revision imports
//! (`op.create_table(SqlRun.__tablename__, ...)`): each `from pkg.mod import
//! Model` is looked for as `pkg/mod.py` in the folders above the revision,
//! and the class's `__tablename__ = "..."` read from it (parsed, not run).

use super::value::Env;
use camino::Utf8Path;
use rustpython_parser::ast::{self, Expr, Stmt};
use rustpython_parser::Parse;

/// Largest model file read.
const MAX_BYTES: u64 = 4 * 1024 * 1024;

/// Fills `env.tablenames` for the module-level imports of `suite`.
pub fn read(suite: &[Stmt], revision: &Utf8Path, env: &mut Env) {
    for s in suite {
        let Stmt::ImportFrom(i) = s else { continue };
        let Some(module) = &i.module else { continue };
        let Some(file) = find(module.as_str(), revision) else {
            continue;
        };
        let Ok(meta) = std::fs::metadata(&file) else {
            continue;
        };
        if meta.len() > MAX_BYTES {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let Ok(body) = ast::Suite::parse(&text, file.as_str()) else {
            continue;
        };
        for a in &i.names {
            if let Some(t) = tablename(&body, a.name.as_str()) {
                let path = format!("{module}.{}", a.name.as_str());
                env.tablenames.insert(path, t);
            }
        }
    }
}

/// `pkg/mod.py` (or `pkg/mod/__init__.py`) in a folder above `revision`
/// (a revision or env.py).
pub fn find(module: &str, revision: &Utf8Path) -> Option<camino::Utf8PathBuf> {
    let rel = module.replace('.', "/");
    revision.ancestors().skip(1).find_map(|dir| {
        [
            dir.join(format!("{rel}.py")),
            dir.join(&rel).join("__init__.py"),
        ]
        .into_iter()
        .find(|p| p.is_file())
    })
}

/// `class <name>(...): __tablename__ = "t"`.
fn tablename(body: &[Stmt], name: &str) -> Option<String> {
    body.iter().find_map(|s| match s {
        Stmt::ClassDef(c) if c.name.as_str() == name => c.body.iter().find_map(|s| match s {
            Stmt::Assign(a) if is_name(&a.targets, "__tablename__") => match &*a.value {
                Expr::Constant(k) => k.value.clone().str(),
                _ => None,
            },
            _ => None,
        }),
        _ => None,
    })
}

fn is_name(targets: &[Expr], id: &str) -> bool {
    matches!(targets, [Expr::Name(n)] if n.id.as_str() == id)
}

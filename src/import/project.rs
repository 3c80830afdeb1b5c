//! Where an Alembic project keeps its revisions (alembic.ini's
//! `script_location` and `version_locations`, else a folder with `versions/`,
//! else the versions folder itself), and what its env.py says about the
//! version table and the naming convention.

use super::value::{Env, Value};
use camino::{Utf8Path, Utf8PathBuf};
use rustpython_parser::ast::{self, Expr, Stmt};
use rustpython_parser::Parse;

/// An Alembic project, found.
#[derive(Debug, Default)]
pub struct Located {
    /// Every revision file (`*.py` in the versions folders), sorted.
    pub files: Vec<Utf8PathBuf>,
    /// env.py's `version_table=`.
    pub version_table: Option<String>,
    /// env.py's `version_table_schema=`.
    pub version_table_schema: Option<String>,
    /// The MetaData's `naming_convention`, when env.py (or a .py beside it) has one.
    pub naming_convention: Option<Vec<(String, String)>>,
}

/// Finds the project at `src`.
pub fn locate(src: &Utf8Path) -> Result<Located, String> {
    let (script, versions) = if src.join("alembic.ini").is_file() {
        from_ini(src)?
    } else if src.join("versions").is_dir() {
        (Some(src.to_path_buf()), vec![src.join("versions")])
    } else if src.is_dir() {
        (
            src.parent().map(Utf8Path::to_path_buf),
            vec![src.to_path_buf()],
        )
    } else {
        return Err(format!("`{src}` is not a folder"));
    };
    let mut files = vec![];
    for dir in &versions {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read `{dir}`: {e}"))?;
        for e in entries.flatten() {
            let Ok(p) = Utf8PathBuf::from_path_buf(e.path()) else {
                continue;
            };
            if p.extension() == Some("py") && p.file_name() != Some("__init__.py") {
                files.push(p);
            }
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(format!(
            "no revision files (*.py) in {}",
            versions
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let mut out = Located {
        files,
        ..Located::default()
    };
    if let Some(script) = script {
        read_env(&script, &mut out);
    }
    Ok(out)
}

/// `script_location` and `version_locations` of alembic.ini's `[alembic]`.
fn from_ini(src: &Utf8Path) -> Result<(Option<Utf8PathBuf>, Vec<Utf8PathBuf>), String> {
    let ini = std::fs::read_to_string(src.join("alembic.ini"))
        .map_err(|e| format!("cannot read alembic.ini: {e}"))?;
    let mut section = String::new();
    let (mut script, mut locations) = (None, None);
    for line in ini.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            section = t.trim_matches(['[', ']']).to_string();
        } else if section == "alembic" {
            if let Some((k, v)) = t.split_once('=') {
                let v = v.trim().replace("%(here)s", src.as_str());
                match k.trim() {
                    "script_location" => script = Some(v),
                    "version_locations" => locations = Some(v),
                    _ => {}
                }
            }
        }
    }
    let script = script.ok_or("alembic.ini has no `script_location` in [alembic]")?;
    if script.contains(':') && !Utf8Path::new(&script).is_absolute() {
        return Err(format!(
            "script_location `{script}` names a Python package: give its folder instead"
        ));
    }
    // Alembic reads a relative script_location from the current folder; the
    // folder of alembic.ini is the likely one, else alembic.ini sits in it.
    let script = match src.join(&script) {
        s if s.is_dir() => s,
        _ if src.join("versions").is_dir() => src.to_path_buf(),
        s => {
            return Err(format!(
                "script_location `{script}` of alembic.ini: no folder `{s}`"
            ))
        }
    };
    let versions = match locations {
        Some(l) => l
            .split([' ', ',', ':'])
            .filter(|s| !s.is_empty())
            .map(|s| src.join(s))
            .collect(),
        None => vec![script.join("versions")],
    };
    Ok((Some(script), versions))
}

/// env.py's `context.configure(version_table=..., version_table_schema=...)`
/// and a `naming_convention` dict in env.py or a .py file beside it.
fn read_env(script: &Utf8Path, out: &mut Located) {
    let env_py = script.join("env.py");
    let Some(suite) = parse(&env_py) else { return };
    for c in &calls_of(&suite) {
        if let Some(Value::Str(t)) = c.kw("version_table") {
            out.version_table = Some(t.clone());
        }
        if let Some(Value::Str(t)) = c.kw("version_table_schema") {
            out.version_table_schema = Some(t.clone());
        }
    }
    out.naming_convention = naming_convention(&suite).or_else(|| {
        // The MetaData usually lives in the application's models, which
        // env.py imports (`from app.models import Base`): one level down.
        suite.iter().find_map(|s| {
            let Stmt::ImportFrom(i) = s else { return None };
            let file = super::models::find(i.module.as_ref()?.as_str(), &env_py)?;
            naming_convention(&parse(&file)?)
        })
    });
}

/// A module, parsed; `None` when it cannot be read or parsed.
fn parse(path: &Utf8Path) -> Option<Vec<Stmt>> {
    let text = std::fs::read_to_string(path).ok()?;
    ast::Suite::parse(&text, path.as_str()).ok()
}

/// The module's level names, bound as far as they are literals.
fn module_env(suite: &[Stmt]) -> Env {
    let mut env = Env::default();
    for s in suite {
        if let Stmt::Assign(a) = s {
            let v = env.eval(&a.value);
            for t in &a.targets {
                let _ = env.bind_target(t, v.clone());
            }
        }
    }
    env
}

/// The module's calls, statements and module-level values alike.
fn calls_of(suite: &[Stmt]) -> Vec<super::value::Call> {
    let env = module_env(suite);
    let mut calls = vec![];
    collect_calls(suite, &env, &mut calls);
    calls.extend(env.names.values().filter_map(|v| v.as_call().cloned()));
    calls
}

/// `MetaData(naming_convention={...})`, or a module-level dict whose name
/// says `convention`.
fn naming_convention(suite: &[Stmt]) -> Option<Vec<(String, String)>> {
    let given = calls_of(suite)
        .iter()
        .find_map(|c| match c.kw("naming_convention") {
            Some(Value::Dict(d)) => convention(d),
            _ => None,
        });
    given.or_else(|| {
        let env = module_env(suite);
        let mut named: Vec<(&String, &Value)> = env
            .names
            .iter()
            .filter(|(k, _)| k.to_ascii_lowercase().contains("convention"))
            .collect();
        named.sort_by_key(|(k, _)| k.as_str());
        named.into_iter().find_map(|(_, v)| match v {
            Value::Dict(d) => convention(d),
            _ => None,
        })
    })
}

fn convention(d: &[(Value, Value)]) -> Option<Vec<(String, String)>> {
    let mut out = vec![];
    for (k, v) in d {
        let key = match k.as_str()? {
            k @ ("ix" | "uq" | "ck" | "fk" | "pk") => k.to_string(),
            "index" => "ix".into(),
            "unique_constraint" => "uq".into(),
            "check_constraint" => "ck".into(),
            "foreign_key_constraint" => "fk".into(),
            "primary_key_constraint" => "pk".into(),
            _ => return None,
        };
        out.push((key, v.as_str()?.to_string()));
    }
    Some(out)
}

fn collect_calls(body: &[Stmt], env: &Env, out: &mut Vec<super::value::Call>) {
    for s in body {
        match s {
            Stmt::Expr(e) => expr_calls(&e.value, env, out),
            Stmt::Assign(a) => expr_calls(&a.value, env, out),
            Stmt::FunctionDef(f) => collect_calls(&f.body, env, out),
            Stmt::With(w) => collect_calls(&w.body, env, out),
            Stmt::If(i) => {
                collect_calls(&i.body, env, out);
                collect_calls(&i.orelse, env, out);
            }
            _ => {}
        }
    }
}

fn expr_calls(e: &Expr, env: &Env, out: &mut Vec<super::value::Call>) {
    if let Value::Call(c) = env.eval(e) {
        out.push(*c);
    }
}

/// ddlc.toml for the imported project.
pub fn config_text(l: &Located) -> String {
    let mut out = String::from(
        "# Imported from an Alembic project by `ddlc import alembic` (docs/importing-alembic.md).\n\
         [project]\ndialect = \"postgresql\"\n\n[version_table]\n",
    );
    out.push_str(&format!(
        "name = {:?}\n",
        l.version_table.as_deref().unwrap_or("alembic_version")
    ));
    if let Some(s) = &l.version_table_schema {
        out.push_str(&format!("schema = {s:?}\n"));
    }
    out.push_str("\n[naming_convention]\n");
    match &l.naming_convention {
        Some(c) => {
            out.push_str("# The project's MetaData naming_convention.\n");
            for (k, v) in c {
                out.push_str(&format!("{k} = {v:?}\n"));
            }
        }
        None => out.push_str(ENGINE_NAMES),
    }
    out
}

/// Without a naming convention, the names PostgreSQL gives unnamed
/// constraints (MySQL's differ: docs/importing-alembic.md), and the index
/// name SQLAlchemy gives `index=True`.
const ENGINE_NAMES: &str = "\
# No naming convention in the Alembic project: unnamed constraints are named
# as PostgreSQL names them, so that later drops find them there.
ix = \"ix_%(column_0_label)s\"
uq = \"%(table_name)s_%(column_0_N_name)s_key\"
ck = \"%(table_name)s_%(constraint_name)s_check\"
fk = \"%(table_name)s_%(column_0_N_name)s_fkey\"
pk = \"%(table_name)s_pkey\"
";

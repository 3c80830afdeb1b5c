//! `sa.Column`, the constraints and indexes of `op.create_table`, and server
//! defaults, as ddlc columns and table items.

use super::text::{name, qname, sql_string};
use super::types;
use super::value::{Call, Value};

/// A column as ddlc writes it, and the table items it brings (`index=True`).
#[derive(Debug)]
pub struct Column {
    /// Its name.
    pub name: String,
    /// `type attrs`, without the name.
    pub def: String,
    /// Table items (an index) the column asked for.
    pub items: Vec<String>,
    /// Whether it is part of the primary key.
    pub primary_key: bool,
    /// Its ddlc type (with its variants).
    pub ty: String,
    /// Whether it takes NULL.
    pub nullable: bool,
}

thread_local! {
    /// Whether the project has no naming convention, so that ddlc.toml's `ck`
    /// stands for the engine's names (`<table>_<column>_check`) and a CHECK
    /// name the revision gives must be written final (`conv(...)`), as
    /// SQLAlchemy without a convention keeps it. Set once per import.
    pub static ENGINE_NAMES: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A CHECK's name: given names are final when the project has no convention.
pub fn check_name(v: Option<&Value>) -> Result<Option<String>, String> {
    let n = cname(v)?;
    Ok(match n {
        Some(n) if ENGINE_NAMES.with(|e| e.get()) && !n.starts_with("conv(") => {
            Some(format!("conv({n})"))
        }
        other => other,
    })
}

/// Whether a name given in a revision is final (`op.f("x")`).
pub fn cname(v: Option<&Value>) -> Result<Option<String>, String> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(Value::Str(s)) => Ok(Some(name(s))),
        Some(Value::Call(c)) if matches!(c.name(), "f" | "conv") => match c.args.first() {
            Some(Value::Str(s)) => Ok(Some(format!("conv({})", name(s)))),
            _ => Err("op.f() of something that is not a string".into()),
        },
        Some(other) => Err(format!("a constraint name that is not a string: {other:?}")),
    }
}

fn str_list(v: Option<&Value>, what: &str) -> Result<Vec<String>, String> {
    match v {
        Some(Value::List(items)) => items
            .iter()
            .map(|i| match i {
                Value::Str(s) => Ok(s.clone()),
                Value::Call(c) if c.name() == "column" || c.name() == "Column" => c
                    .args
                    .first()
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| format!("{what}: a column without a name")),
                other => Err(format!("{what}: not a column name: {other:?}")),
            })
            .collect(),
        Some(Value::Str(s)) => Ok(vec![s.clone()]),
        _ => Err(format!("{what}: not a list of column names")),
    }
}

/// `(a, b)`.
pub fn names(cols: &[String]) -> String {
    let n: Vec<String> = cols.iter().map(|c| name(c)).collect();
    format!("({})", n.join(", "))
}

/// `sa.Column(...)` for table `table`.
pub fn column(call: &Call, table: &str) -> Result<Column, String> {
    let col = call
        .args
        .first()
        .and_then(Value::as_str)
        .ok_or("a Column without a name")?;
    let ty = call
        .args
        .get(1)
        .filter(|v| !is_column_extra(v))
        .or_else(|| call.kw("type_"))
        .ok_or_else(|| format!("the column `{col}` has no type (taken from a foreign key)"))?;
    let mapped = types::map(ty, col)?;
    let pk = call.kw("primary_key").and_then(Value::truthy) == Some(true);
    let mut def = mapped.ty.clone();
    let mut push = |s: &str| {
        def.push(' ');
        def.push_str(s);
    };
    if pk {
        push("primary_key");
    }
    match call.kw("nullable").and_then(Value::truthy) {
        Some(false) if !pk => push("not_null"),
        Some(true) if pk => return Err(format!("the primary key column `{col}` is nullable")),
        _ => {}
    }
    if call.kw("autoincrement").and_then(Value::truthy) == Some(true) {
        // SQLite has AUTOINCREMENT only on a single-column key; SQLAlchemy
        // leaves it out there.
        push("only (postgresql, mysql, mariadb, mssql, oracle) autoincrement");
    }
    if call.kw("unique").and_then(Value::truthy) == Some(true) {
        push("unique");
    }
    if let Some(d) = call.kw("server_default") {
        if *d != Value::None {
            push(&format!("default {}", default(d)?));
        }
    }
    if let Some(Value::Str(c)) = call.kw("comment") {
        push(&format!("comment {}", sql_string(c)));
    }
    for extra in call.args.iter().skip(1).filter_map(Value::as_call) {
        if is_column_extra(&Value::Call(Box::new(extra.clone()))) {
            push(&column_extra(extra, col)?);
        }
    }
    for a in &mapped.attrs {
        push(a);
    }
    let mut items = vec![];
    if call.kw("index").and_then(Value::truthy) == Some(true) {
        items.push(format!("index {}", names(&[col.to_string()])));
    }
    let _ = table;
    let nullable = !pk && call.kw("nullable").and_then(Value::truthy) != Some(false);
    Ok(Column {
        name: col.to_string(),
        def,
        items,
        primary_key: pk,
        ty: mapped.ty,
        nullable,
    })
}

fn is_column_extra(v: &Value) -> bool {
    v.as_call().is_some_and(|c| {
        matches!(
            c.name(),
            "ForeignKey" | "Computed" | "Identity" | "Sequence" | "CheckConstraint"
        )
    })
}

/// A `ForeignKey`, `Computed`, `Identity` or `CheckConstraint` given to a column.
fn column_extra(c: &Call, col: &str) -> Result<String, String> {
    match c.name() {
        "ForeignKey" => {
            let target = c
                .arg(0, "column")
                .and_then(Value::as_str)
                .ok_or("a ForeignKey without target")?;
            let (table, refcol) = split_target(target)?;
            let n = cname(c.kw("name"))?
                .map(|n| format!("{n} "))
                .unwrap_or_default();
            Ok(format!(
                "references {n}{table} {}{}",
                names(&[refcol]),
                fk_options(c)?
            ))
        }
        "Computed" => {
            let expr = sql_text(c.arg(0, "sqltext")).ok_or("a Computed without SQL")?;
            let stored = match c.kw("persisted").and_then(Value::truthy) {
                Some(true) => " stored",
                Some(false) => " virtual",
                None => "",
            };
            Ok(format!("computed ({expr}){stored}"))
        }
        "Identity" => identity(c),
        "CheckConstraint" => check(c),
        _ => Err(format!("`{}` on the column `{col}`", c.func)),
    }
}

/// A `CheckConstraint`, on a column or the table: `check [name ](expr)`.
fn check(c: &Call) -> Result<String, String> {
    let expr = sql_text(c.arg(0, "sqltext")).ok_or("a CheckConstraint without SQL")?;
    let n = check_name(c.kw("name"))?
        .map(|n| format!("{n} "))
        .unwrap_or_default();
    Ok(format!("check {n}({expr})"))
}

fn identity(c: &Call) -> Result<String, String> {
    let mut opts = vec![];
    if c.kw("always").and_then(Value::truthy) == Some(true) {
        opts.push("always".to_string());
    }
    for key in ["start", "increment", "minvalue", "maxvalue", "cache"] {
        if let Some(Value::Int(i)) = c.kw(key) {
            opts.push(format!("{key} {i}"));
        }
    }
    if c.kw("cycle").and_then(Value::truthy) == Some(true) {
        opts.push("cycle".into());
    }
    Ok(if opts.is_empty() {
        "identity".into()
    } else {
        format!("identity({})", opts.join(" "))
    })
}

/// `"schema.table.col"` → (`schema.table`, `col`).
fn split_target(target: &str) -> Result<(String, String), String> {
    let parts: Vec<&str> = target.split('.').collect();
    match parts[..] {
        [t, c] => Ok((qname(None, t), c.to_string())),
        [s, t, c] => Ok((qname(Some(s), t), c.to_string())),
        _ => Err(format!(
            "a foreign key target `{target}` that is not table.column"
        )),
    }
}

/// `on_delete cascade ...` from `ondelete=`, `onupdate=`, `deferrable=`, ...
pub fn fk_options(c: &Call) -> Result<String, String> {
    let mut out = String::new();
    for (key, word) in [("ondelete", "on_delete"), ("onupdate", "on_update")] {
        if let Some(Value::Str(a)) = c.kw(key) {
            let action = a.to_ascii_lowercase().replace(' ', "_");
            if !matches!(
                action.as_str(),
                "cascade" | "set_null" | "set_default" | "restrict" | "no_action"
            ) {
                return Err(format!("the foreign key action `{a}`"));
            }
            out.push_str(&format!(" {word} {action}"));
        }
    }
    match c.kw("deferrable").and_then(Value::truthy) {
        Some(true) => out.push_str(" deferrable"),
        Some(false) if c.kw("deferrable") != Some(&Value::None) => out.push_str(" not_deferrable"),
        _ => {}
    }
    if let Some(Value::Str(i)) = c.kw("initially") {
        out.push_str(&format!(" initially {}", i.to_ascii_lowercase()));
    }
    if let Some(Value::Str(m)) = c.kw("match") {
        out.push_str(&format!(" match {}", m.to_ascii_lowercase()));
    }
    Ok(out)
}

/// The SQL of `sa.text("...")` or a plain string.
pub fn sql_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Str(s) => Some(s.clone()),
        Value::Call(c) if matches!(c.name(), "text" | "literal_column") => match c.args.first()? {
            Value::Str(s) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// A `server_default` as a ddlc default.
pub fn default(v: &Value) -> Result<String, String> {
    match v {
        // SQLAlchemy quotes a plain string: DEFAULT '0' (the engine casts it).
        Value::Str(s) => Ok(sql_string(s)),
        Value::Call(c) => match c.name() {
            "true" | "false" if c.args.is_empty() => Ok(c.name().to_string()),
            "now" | "current_timestamp" | "CURRENT_TIMESTAMP" if c.func.contains("func") => {
                Ok("now()".into())
            }
            "text" | "literal_column" => {
                let sql = sql_text(Some(v)).ok_or("a text() default that is not a string")?;
                Ok(text_default(&sql))
            }
            _ if c.func.contains("func.") => Ok(format!("({}())", c.name())),
            other => Err(format!("the server default `{other}(...)`")),
        },
        other => Err(format!("the server default {other:?}")),
    }
}

fn text_default(sql: &str) -> String {
    let t = sql.trim();
    let number = !t.is_empty()
        && t.trim_start_matches(['-', '+'])
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.');
    if number {
        return t.to_string();
    }
    match t.to_ascii_uppercase().as_str() {
        "CURRENT_TIMESTAMP" | "NOW()" => return "now()".into(),
        "CURRENT_DATE" => return "current_date".into(),
        "TRUE" => return "true".into(),
        "FALSE" => return "false".into(),
        "NULL" => return "null".into(),
        _ => {}
    }
    let quoted = t.len() >= 2
        && t.starts_with('\'')
        && t.ends_with('\'')
        && !t[1..t.len() - 1].replace("''", "").contains('\'');
    if quoted {
        t.to_string()
    } else {
        format!("({t})")
    }
}

/// A table-level item of `create_table`: a constraint or an index.
pub fn table_item(c: &Call) -> Result<String, String> {
    let n = cname(c.kw("name"))?
        .map(|n| format!("{n} "))
        .unwrap_or_default();
    let cols = |c: &Call| -> Result<Vec<String>, String> {
        str_list(Some(&Value::List(c.args.clone())), c.name())
    };
    match c.name() {
        "PrimaryKeyConstraint" => Ok(format!("primary_key {n}{}", names(&cols(c)?))),
        "UniqueConstraint" => Ok(format!("unique {n}{}", names(&cols(c)?))),
        "CheckConstraint" => check(c),
        "ForeignKeyConstraint" => {
            let local = str_list(c.arg(0, "columns"), "ForeignKeyConstraint")?;
            let remote = str_list(c.arg(1, "refcolumns"), "ForeignKeyConstraint")?;
            let mut table = None;
            let mut refs = vec![];
            for r in &remote {
                let (t, col) = split_target(r)?;
                table = Some(t);
                refs.push(col);
            }
            let table = table.ok_or("a ForeignKeyConstraint without columns")?;
            Ok(format!(
                "foreign_key {n}{} -> {table} {}{}",
                names(&local),
                names(&refs),
                fk_options(c)?
            ))
        }
        "Index" => {
            let iname = cname(c.args.first())?.ok_or("an Index without a name")?;
            let parts = index_parts(&c.args[1..])?;
            let unique = if c.kw("unique").and_then(Value::truthy) == Some(true) {
                " unique"
            } else {
                ""
            };
            Ok(format!("index {iname} ({}){unique}", parts.join(", ")))
        }
        other => Err(format!("`{other}` in create_table")),
    }
}

/// Index columns: names or `sa.text(...)` expressions.
pub fn index_parts(cols: &[Value]) -> Result<Vec<String>, String> {
    cols.iter()
        .map(|v| match v {
            Value::Str(s) => Ok(name(s)),
            Value::Call(c) if matches!(c.name(), "text" | "literal_column") => Ok(format!(
                "({})",
                sql_text(Some(v)).ok_or("an index expression")?
            )),
            Value::Call(c) if matches!(c.name(), "desc" | "asc") => {
                match c.receiver.as_ref().or(c.args.first()) {
                    Some(Value::Str(s)) => Ok(format!("{} {}", name(s), c.name())),
                    _ => Err("an index part `desc()` of an expression".into()),
                }
            }
            other => Err(format!("an index part {other:?}")),
        })
        .collect()
}

/// Column names of an op's list argument.
pub fn column_list(v: Option<&Value>, what: &str) -> Result<Vec<String>, String> {
    str_list(v, what)
}

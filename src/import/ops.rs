//! One `op.*` (or `batch_op.*`) call as ddlc ops, each with the key of the op
//! that would undo it, so that a downgrade that is the exact inverse of its
//! upgrade can be written `downgrade auto`.

use super::table::{self, cname, column, column_list, fk_options, index_parts, names, sql_text};
use super::text::{literal, name, qname, sql_string, text};
use super::types;
use super::value::{Call, Value};

/// A ddlc op as text, and how it compares for `downgrade auto`.
#[derive(Clone, Debug, PartialEq)]
pub struct Op {
    /// The op as written in the .mig (may span lines).
    pub text: String,
    /// The key this op has when it appears in a downgrade.
    pub key: String,
    /// The key of the op that undoes it, when ddlc's `auto` derives exactly that.
    pub inverse: Option<String>,
    /// What it says about columns, for checking `existing_*` (`super::existing`).
    pub facts: Vec<Fact>,
    /// Its 1-based line in the .py (set by the walker).
    pub line: usize,
}

/// What an op says about a column: `(table, column)` keys are as written.
#[derive(Clone, Debug, PartialEq)]
pub enum Fact {
    /// The column is (now) of this type and nullability.
    Is {
        /// Table.
        table: String,
        /// Column.
        column: String,
        /// The ddlc type, when the op sets it.
        ty: Option<String>,
        /// Whether it takes NULL, when the op sets it.
        nullable: Option<bool>,
    },
    /// The column is renamed.
    Renamed {
        /// Table.
        table: String,
        /// Old name.
        from: String,
        /// New name.
        to: String,
    },
    /// `existing_type` / `existing_nullable` say the column is this.
    Expected {
        /// Table.
        table: String,
        /// Column.
        column: String,
        /// existing_type, mapped.
        ty: Option<String>,
        /// existing_nullable.
        nullable: Option<bool>,
    },
}

impl Op {
    fn new(text: String) -> Op {
        Op {
            key: text.clone(),
            text,
            inverse: None,
            facts: vec![],
            line: 0,
        }
    }

    fn undone_by(mut self, inverse: String) -> Op {
        self.inverse = Some(inverse);
        self
    }
}

/// The ops of one call. `batch`: the table of the `batch_alter_table` around it.
pub fn translate(call: &Call, batch: Option<(&str, Option<&str>)>) -> Result<Vec<Op>, String> {
    let mut call = call.clone();
    if let Some((t, schema)) = batch {
        insert_table(&mut call, t, schema);
    }
    let schema = call
        .kw("schema")
        .and_then(Value::as_str)
        .map(str::to_string);
    let schema = schema.as_deref();
    let s = |n: usize, key: &str| -> Result<String, String> {
        call.arg(n, key)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("`{}`: `{key}` is not a literal string", call.name()))
    };
    let op = match call.name() {
        "create_table" => create_table(&call, schema)?,
        "drop_table" => Op::new(format!(
            "drop_table {}{}",
            qname(schema, &s(0, "table_name")?),
            flag(&call, "if_exists")
        )),
        "rename_table" => {
            let (old, new) = (s(0, "old_table_name")?, s(1, "new_table_name")?);
            Op::new(format!(
                "rename_table {} -> {}",
                qname(schema, &old),
                name(&new)
            ))
            .undone_by(format!(
                "rename_table {} -> {}",
                qname(schema, &new),
                name(&old)
            ))
        }
        "add_column" => add_column(&call, &s(0, "table_name")?, schema)?,
        "drop_column" => Op::new(format!(
            "drop_column {}.{}{}",
            qname(schema, &s(0, "table_name")?),
            name(&s(1, "column_name")?),
            flag(&call, "if_exists")
        )),
        "alter_column" => alter_column(&call, &s(0, "table_name")?, &s(1, "column_name")?, schema)?,
        "create_index" => return create_index(&call, schema),
        "drop_index"
        | "create_foreign_key"
        | "create_unique_constraint"
        | "create_primary_key"
        | "create_check_constraint"
        | "drop_constraint" => keyed(&call, schema)?,
        "create_table_comment" => Op::new(format!(
            "create_table_comment {} {}",
            qname(schema, &s(0, "table_name")?),
            sql_string(&s(1, "comment")?)
        )),
        "drop_table_comment" => Op::new(format!(
            "drop_table_comment {}",
            qname(schema, &s(0, "table_name")?)
        )),
        "execute" => execute(&call)?,
        "bulk_insert" => bulk_insert(&call)?,
        other => {
            return Err(format!(
                "the Alembic operation `{other}`, which the import does not translate"
            ))
        }
    };
    Ok(vec![op])
}

/// The index and constraint ops: those whose keys name what they undo.
fn keyed(call: &Call, schema: Option<&str>) -> Result<Op, String> {
    let s = |n: usize, key: &str| -> Result<String, String> {
        call.arg(n, key)
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| format!("`{}`: `{key}` is not a literal string", call.name()))
    };
    let call = call.clone();
    Ok(match call.name() {
        "drop_index" => {
            let n = cname(call.arg(0, "index_name"))?.ok_or("drop_index without a name")?;
            let on = match call.arg(1, "table_name").and_then(Value::as_str) {
                Some(t) => format!(" on {}", qname(schema, t)),
                None => String::new(),
            };
            let mut flags = flag(&call, "if_exists");
            if call.kw("postgresql_concurrently").and_then(Value::truthy) == Some(true) {
                flags.push_str(" concurrently");
            }
            Op {
                facts: vec![],
                line: 0,
                text: format!("drop_index {n}{on}{flags}"),
                key: format!("drop_index {n}"),
                inverse: None,
            }
        }
        "create_foreign_key" => create_foreign_key(&call, schema)?,
        "create_unique_constraint" | "create_primary_key" => {
            let n = cname(call.arg(0, "constraint_name"))?;
            let t = qname(schema, &s(1, "table_name")?);
            let cols = column_list(call.arg(2, "columns"), call.name())?;
            constraint(call.name(), n, &t, &names(&cols))
        }
        "create_check_constraint" => {
            let n = table::check_name(call.arg(0, "constraint_name"))?;
            let t = qname(schema, &s(1, "table_name")?);
            let cond = sql_text(call.arg(2, "condition"))
                .ok_or("a check condition that is not SQL text")?;
            constraint(call.name(), n, &t, &format!("({cond})"))
        }
        "drop_constraint" => {
            let is_check = call.kw("type_").and_then(Value::as_str) == Some("check");
            let n = if is_check {
                table::check_name(call.arg(0, "constraint_name"))?
            } else {
                cname(call.arg(0, "constraint_name"))?
            };
            let n = n.ok_or("drop_constraint without a name")?;
            let t = qname(schema, &s(1, "table_name")?);
            let ty = match call.kw("type_").and_then(Value::as_str) {
                Some(k @ ("primary" | "unique" | "check" | "foreignkey")) => format!(" type {k}"),
                Some(other) => return Err(format!("drop_constraint of type `{other}`")),
                None => String::new(),
            };
            let ty = format!("{ty}{}", flag(&call, "if_exists"));
            Op {
                facts: vec![],
                line: 0,
                text: format!("drop_constraint {n} on {t}{ty}"),
                key: format!("drop_constraint {n} on {t}"),
                inverse: None,
            }
        }
        other => return Err(format!("the operation `{other}`")),
    })
}

/// ` if_exists` when the call says `if_exists=True` (or `if_not_exists`).
fn flag(call: &Call, key: &str) -> String {
    match call.kw(key).and_then(Value::truthy) {
        Some(true) => format!(" {key}"),
        _ => String::new(),
    }
}

/// `batch_op.x(...)` has no table argument: put the batch's table where `op.x` takes it.
fn insert_table(call: &mut Call, t: &str, schema: Option<&str>) {
    let (at, key) = match call.name() {
        "create_foreign_key" => (1, "source_table"),
        "create_index"
        | "create_unique_constraint"
        | "create_primary_key"
        | "create_check_constraint"
        | "drop_constraint" => (1, "table_name"),
        "drop_index" => (usize::MAX, "table_name"),
        _ => (0, "table_name"),
    };
    // Positionally where `op.x` takes the table, unless the arguments before
    // it were given by keyword.
    if at <= call.args.len() {
        call.args.insert(at, Value::Str(t.into()));
    } else {
        call.kwargs.push((key.into(), Value::Str(t.into())));
    }
    if let Some(s) = schema {
        call.kwargs.push(("schema".into(), Value::Str(s.into())));
    }
}

fn constraint(op: &str, n: Option<String>, t: &str, rest: &str) -> Op {
    let named = n.clone().map(|n| format!("{n} ")).unwrap_or_default();
    let o = Op::new(format!("{op} {named}on {t} {rest}"));
    match n {
        Some(n) => o.undone_by(format!("drop_constraint {n} on {t}")),
        None => o,
    }
}

fn create_table(call: &Call, schema: Option<&str>) -> Result<Op, String> {
    let t = call
        .arg(0, "table_name")
        .and_then(Value::as_str)
        .ok_or("create_table without a name")?;
    let mut cols = vec![];
    let mut items = vec![];
    for a in &call.args[1..] {
        let c = a
            .as_call()
            .ok_or("a create_table item that is not a Column or a constraint")?;
        match c.name() {
            "Column" => cols.push(column(c, t)?),
            _ => items.push(table::table_item(c)?),
        }
    }
    if cols.is_empty() {
        return Err("create_table without columns".into());
    }
    // A PrimaryKeyConstraint wins over `primary_key=True` on its columns
    // (SQLAlchemy makes one key, named by the constraint).
    if items.iter().any(|i| i.starts_with("primary_key")) {
        for c in cols.iter_mut() {
            if c.primary_key {
                let nn = if c.def.contains(" not_null") {
                    ""
                } else {
                    " not_null"
                };
                c.def = c.def.replacen(" primary_key", nn, 1);
                c.primary_key = false;
            }
        }
    }
    auto_increment(call, &mut cols, &items);
    if table::ENGINE_NAMES.with(|e| e.get()) {
        super::mysql_names::apply(t, &mut cols, &mut items);
    }
    let width = cols
        .iter()
        .map(|c| name(&c.name).chars().count())
        .max()
        .unwrap_or(0);
    let mut body: Vec<String> = cols
        .iter()
        .map(|c| format!("{:width$} : {}", name(&c.name), c.def))
        .collect();
    body.extend(cols.iter().flat_map(|c| c.items.clone()));
    let key_columns = primary_key_columns(&items);
    body.extend(items);
    if let Some(Value::Str(c)) = call.kw("comment") {
        body.push(format!("table_comment {}", sql_string(c)));
    }
    body.extend(table_options(call)?);
    let q = qname(schema, t);
    let facts = cols
        .iter()
        .map(|c| Fact::Is {
            table: q.clone(),
            column: c.name.clone(),
            ty: Some(c.ty.clone()),
            nullable: Some(c.nullable && !key_columns.contains(&c.name)),
        })
        .collect();
    let lines: Vec<String> = body.iter().map(|l| format!("    {l}")).collect();
    let text = format!(
        "create_table {q}{} {{\n{}\n}}",
        flag(call, "if_not_exists"),
        lines.join("\n")
    );
    let mut op = Op::new(text).undone_by(format!("drop_table {q}"));
    op.facts = facts;
    Ok(op)
}

/// The columns of a `primary_key (...)` table item (NOT NULL in SQLAlchemy).
fn primary_key_columns(items: &[String]) -> Vec<String> {
    let Some(pk) = items.iter().find(|i| i.starts_with("primary_key")) else {
        return vec![];
    };
    let inner = pk
        .rsplit_once('(')
        .map_or("", |(_, r)| r.trim_end_matches(')'));
    inner
        .split(',')
        .map(|c| c.trim().trim_matches('"').replace("\"\"", "\""))
        .collect()
}

/// SQLAlchemy's `autoincrement="auto"`: the one integer primary key column,
/// without a foreign key, is SERIAL / AUTO_INCREMENT.
fn auto_increment(call: &Call, cols: &mut [table::Column], items: &[String]) {
    let table_pk = items.iter().any(|i| i.starts_with("primary_key"));
    let pks: Vec<usize> = (0..cols.len()).filter(|&i| cols[i].primary_key).collect();
    let [only] = pks[..] else { return };
    let c = &mut cols[only];
    c.def = c.def.replace(
        "only (postgresql, mysql, mariadb, mssql, oracle) autoincrement",
        "autoincrement",
    );
    let def = &c.def;
    let int = ["integer ", "bigint ", "smallint "]
        .iter()
        .any(|t| def.starts_with(t));
    let column_call = call.args.iter().filter_map(Value::as_call).find(|a| {
        a.name() == "Column" && a.args.first().and_then(Value::as_str) == Some(c.name.as_str())
    });
    let off = column_call.is_some_and(|a| a.kw("autoincrement").is_some());
    if int && !table_pk && !off && !def.contains("references") && !def.contains("autoincrement") {
        c.def = def.replacen("primary_key", "primary_key autoincrement", 1);
    }
}

/// `mysql_engine="InnoDB"` and the like, as table options.
fn table_options(call: &Call) -> Result<Vec<String>, String> {
    let mut out = vec![];
    for (k, v) in &call.kwargs {
        let (d, key) = match k.split_once('_') {
            Some((d, key)) if d.parse::<crate::dialect::Dialect>().is_ok() => (d, key),
            _ if matches!(
                k.as_str(),
                "schema"
                    | "comment"
                    | "info"
                    | "keep_existing"
                    | "extend_existing"
                    | "if_not_exists"
            ) =>
            {
                continue
            }
            _ => return Err(format!("the create_table argument `{k}`")),
        };
        let value = match v {
            Value::Str(s) => text(s)?,
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.clone(),
            _ => return Err(format!("the table option `{k}`: not a literal")),
        };
        out.push(format!("{d}.{key} = {value}"));
    }
    Ok(out)
}

fn add_column(call: &Call, t: &str, schema: Option<&str>) -> Result<Op, String> {
    let c = call
        .arg(1, "column")
        .and_then(Value::as_call)
        .ok_or("add_column without a Column")?;
    let col = column(c, t)?;
    if !col.items.is_empty() {
        return Err("add_column of a column with index=True".into());
    }
    let q = format!("{}.{}", qname(schema, t), name(&col.name));
    let fact = Fact::Is {
        table: qname(schema, t),
        column: col.name.clone(),
        ty: Some(col.ty.clone()),
        nullable: Some(col.nullable),
    };
    let mut op = Op::new(format!(
        "add_column {q} : {}{}",
        col.def,
        flag(call, "if_not_exists")
    ))
    .undone_by(format!("drop_column {q}"));
    op.facts.push(fact);
    Ok(op)
}

fn alter_column(call: &Call, t: &str, col: &str, schema: Option<&str>) -> Result<Op, String> {
    let q = format!("{}.{}", qname(schema, t), name(col));
    let mut changes = vec![];
    if let Some(ty) = call.kw("type_") {
        let mapped = types::map(ty, col)?;
        let using = match call.kw("postgresql_using") {
            Some(u) => format!(
                " using ({})",
                sql_text(Some(u)).ok_or("postgresql_using that is not text")?
            ),
            None => String::new(),
        };
        changes.push(format!("type {}{using}", mapped.ty));
    }
    match call.kw("nullable") {
        Some(Value::Bool(false)) => changes.push("not_null".into()),
        Some(Value::Bool(true)) => changes.push("null".into()),
        _ => {}
    }
    match call.kw("server_default") {
        Some(Value::None) => changes.push("drop_default".into()),
        Some(Value::Bool(false)) | None => {}
        Some(d) => changes.push(format!("default {}", table::default(d)?)),
    }
    match call.kw("comment") {
        Some(Value::None) => changes.push("drop_comment".into()),
        Some(Value::Str(c)) => changes.push(format!("comment {}", sql_string(c))),
        Some(Value::Bool(false)) | None => {}
        Some(_) => return Err("a comment that is not a literal".into()),
    }
    let rename = call.kw("new_column_name").and_then(Value::as_str);
    if changes.is_empty() {
        let new = rename.ok_or("alter_column that changes nothing ddlc knows")?;
        let back = format!(
            "rename_column {}.{} -> {}",
            qname(schema, t),
            name(new),
            name(col)
        );
        let mut op = Op::new(format!("rename_column {q} -> {}", name(new))).undone_by(back);
        op.facts = alter_facts(call, &qname(schema, t), col)?;
        return Ok(op);
    }
    if let Some(new) = rename {
        changes.insert(0, format!("rename {}", name(new)));
    }
    let mut op = Op::new(format!("alter_column {q} {}", changes.join(" ")));
    op.facts = alter_facts(call, &qname(schema, t), col)?;
    Ok(op)
}

/// What `alter_column` expects (`existing_*`) and then makes of the column.
fn alter_facts(call: &Call, table: &str, col: &str) -> Result<Vec<Fact>, String> {
    let nullable = |key: &str| match call.kw(key) {
        Some(Value::Bool(b)) => Some(*b),
        _ => None,
    };
    let ty = |key: &str| -> Result<Option<String>, String> {
        call.kw(key)
            .filter(|v| **v != Value::None)
            .map(|v| types::map(v, col).map(|m| m.ty))
            .transpose()
    };
    let mut facts = vec![
        Fact::Expected {
            table: table.into(),
            column: col.into(),
            ty: ty("existing_type")?,
            nullable: nullable("existing_nullable"),
        },
        Fact::Is {
            table: table.into(),
            column: col.into(),
            ty: ty("type_")?,
            nullable: nullable("nullable"),
        },
    ];
    if let Some(new) = call.kw("new_column_name").and_then(Value::as_str) {
        facts.push(Fact::Renamed {
            table: table.into(),
            from: col.into(),
            to: new.into(),
        });
    }
    Ok(facts)
}

/// `create_index`, with its per-dialect `where`s as `only` blocks when they differ.
fn create_index(call: &Call, schema: Option<&str>) -> Result<Vec<Op>, String> {
    let n = cname(call.arg(0, "index_name"))?.ok_or("create_index without a name")?;
    let t = call
        .arg(1, "table_name")
        .and_then(Value::as_str)
        .ok_or("create_index without a table")?;
    let cols = match call.arg(2, "columns") {
        Some(Value::List(c)) => c.clone(),
        Some(one) => vec![one.clone()],
        None => return Err("create_index without columns".into()),
    };
    let mut parts = index_parts(&cols)?;
    if let Some(len) = call.kw("mysql_length") {
        prefix_lengths(&mut parts, &cols, len)?;
    }
    let mut opts = String::new();
    if call.kw("unique").and_then(Value::truthy) == Some(true) {
        opts.push_str(" unique");
    }
    for (k, v) in &call.kwargs {
        opts.push_str(&index_option(k, v)?);
    }
    let base = format!(
        "create_index {n} on {} ({}){opts}",
        qname(schema, t),
        parts.join(", ")
    );
    let inverse = format!("drop_index {n}");
    // What each dialect adds (`where`, `include`), grouped: dialects that
    // add the same share one `only` block.
    let mut groups: Vec<(String, Vec<&str>)> = vec![];
    for d in all() {
        let extra = dialect_extra(call, d)?;
        match groups.iter_mut().find(|(g, _)| *g == extra) {
            Some((_, ds)) => ds.push(d),
            None => groups.push((extra, vec![d])),
        }
    }
    let text = match &groups[..] {
        [(extra, _)] => format!("{base}{extra}"),
        _ => {
            let blocks: Vec<String> = groups
                .iter()
                .map(|(extra, ds)| format!("only ({}) {{\n    {base}{extra}\n}}", ds.join(", ")))
                .collect();
            blocks.join("\n")
        }
    };
    Ok(vec![Op {
        facts: vec![],
        line: 0,
        key: text.clone(),
        text,
        inverse: Some(inverse),
    }])
}

/// ` where (...)` and ` include (...)` of an index on dialect `d`.
fn dialect_extra(call: &Call, d: &str) -> Result<String, String> {
    let mut out = String::new();
    if let Some(w) = call.kw(&format!("{d}_where")) {
        let w = sql_text(Some(w)).ok_or_else(|| format!("a {d}_where that is not text"))?;
        out.push_str(&format!(" where ({w})"));
    }
    if let Some(cols) = call.kw(&format!("{d}_include")) {
        out.push_str(&format!(
            " include {}",
            names(&column_list(Some(cols), "include")?)
        ));
    }
    Ok(out)
}

fn prefix_lengths(parts: &mut [String], cols: &[Value], len: &Value) -> Result<(), String> {
    for (i, c) in cols.iter().enumerate() {
        let n = match (len, c) {
            (Value::Int(n), _) => Some(n.clone()),
            (Value::Dict(d), Value::Str(col)) => d
                .iter()
                .find(|(k, _)| k.as_str() == Some(col))
                .and_then(|(_, v)| match v {
                    Value::Int(n) => Some(n.clone()),
                    _ => None,
                }),
            _ => return Err("mysql_length that is not a number or a dict".into()),
        };
        if let Some(n) = n {
            parts[i] = format!("{}({n})", parts[i]);
        }
    }
    Ok(())
}

fn index_option(k: &str, v: &Value) -> Result<String, String> {
    let s = |v: &Value| {
        v.as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("`{k}` that is not a string"))
    };
    Ok(match k {
        "unique" | "schema" | "postgresql_where" | "sqlite_where" | "mssql_where"
        | "mysql_length" => String::new(),
        "postgresql_using" => format!(" postgresql.using = {}", s(v)?.to_ascii_lowercase()),
        "mysql_prefix" => format!(" mysql.prefix = {}", s(v)?.to_ascii_lowercase()),
        "mysql_using" => format!(" mysql.using = {}", s(v)?.to_ascii_lowercase()),
        "postgresql_concurrently" if v.truthy() == Some(true) => " concurrently".into(),
        "postgresql_concurrently" => String::new(),
        "if_not_exists" if v.truthy() == Some(true) => " if_not_exists".into(),
        "postgresql_include" | "mssql_include" => String::new(),
        other => return Err(format!("the index option `{other}`")),
    })
}

fn create_foreign_key(call: &Call, schema: Option<&str>) -> Result<Op, String> {
    let n = cname(call.arg(0, "constraint_name"))?;
    let s = |i: usize, key: &str| {
        call.arg(i, key)
            .and_then(Value::as_str)
            .ok_or_else(|| format!("create_foreign_key: `{key}`"))
    };
    let src_schema = call.kw("source_schema").and_then(Value::as_str).or(schema);
    let ref_schema = call.kw("referent_schema").and_then(Value::as_str);
    let src = qname(src_schema, s(1, "source_table")?);
    let referent = qname(ref_schema, s(2, "referent_table")?);
    let local = column_list(call.arg(3, "local_cols"), "create_foreign_key")?;
    let remote = column_list(call.arg(4, "remote_cols"), "create_foreign_key")?;
    let rest = format!(
        "{} -> {referent} {}{}",
        names(&local),
        names(&remote),
        fk_options(call)?
    );
    Ok(constraint("create_foreign_key", n, &src, &rest))
}

fn execute(call: &Call) -> Result<Op, String> {
    if let Some(Value::Call(d)) = call.arg(0, "sqltext") {
        let table = d
            .receiver
            .as_ref()
            .and_then(Value::as_call)
            .filter(|t| t.name() == "table");
        if let (Some(t), "delete") = (table, d.name()) {
            let t = t
                .args
                .first()
                .and_then(Value::as_str)
                .ok_or("delete() from a table without a name")?;
            return Ok(Op::new(format!("delete_rows {}", name(t))));
        }
    }
    let sql = sql_text(call.arg(0, "sqltext"))
        .ok_or("execute of something that is not SQL text (a SQLAlchemy expression?)")?;
    Ok(Op::new(format!("execute {}", text(sql.trim())?)))
}

fn bulk_insert(call: &Call) -> Result<Op, String> {
    let t = match call.arg(0, "table") {
        Some(Value::Call(c)) if matches!(c.name(), "table" | "Table" | "create_table") => c
            .args
            .first()
            .and_then(Value::as_str)
            .ok_or("bulk_insert into a table without a name")?
            .to_string(),
        _ => return Err("bulk_insert into something that is not sa.table(...)".into()),
    };
    let Some(Value::List(rows)) = call.arg(1, "rows") else {
        return Err("bulk_insert rows that are not a literal list".into());
    };
    let mut cols: Vec<String> = vec![];
    for r in rows {
        let Value::Dict(d) = r else {
            return Err("a bulk_insert row that is not a dict".into());
        };
        for (k, _) in d {
            let k = k.as_str().ok_or("a bulk_insert key that is not a string")?;
            if !cols.iter().any(|c| c == k) {
                cols.push(k.to_string());
            }
        }
    }
    let mut lines = vec![];
    for r in rows {
        let Value::Dict(d) = r else {
            return Err("a bulk_insert row that is not a dict".into());
        };
        let vals: Result<Vec<String>, String> = cols
            .iter()
            .map(|c| {
                d.iter()
                    .find(|(k, _)| k.as_str() == Some(c))
                    .map_or(Ok("null".into()), |(_, v)| literal(v))
            })
            .collect();
        lines.push(format!("    ({})", vals?.join(", ")));
    }
    Ok(Op::new(format!(
        "bulk_insert {} {} {{\n{}\n}}",
        name(&t),
        names(&cols),
        lines.join("\n")
    )))
}

/// The dialects, as `only` names them.
pub fn all() -> impl Iterator<Item = &'static str> {
    crate::dialect::Dialect::ALL.iter().map(|d| d.name())
}

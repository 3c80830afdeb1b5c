//! The schema model as JSON (`ddlc schema --json`, shape in docs/json.md),
//! and the DSL spelling of types and defaults that it and [`super::diff`] print.

use super::{table_order, Snapshot};
use crate::ir::{
    Column, ColumnType, Constraint, ConstraintKind, DefaultValue, DialectOptions, FkAction, Index,
    IndexPart, Literal, QualifiedName, TypeKind,
};
use crate::schema::Table;
use serde_json::{json, Value};

/// A type as the DSL writes it: `string(20)`, `numeric(10, 2)`, `enum(status: 'a', 'b')`.
pub fn type_text(ty: &TypeKind) -> String {
    let opt = |n: &Option<u32>| n.map(|n| format!("({n})")).unwrap_or_default();
    match ty {
        TypeKind::SmallInt => "smallint".into(),
        TypeKind::Integer => "integer".into(),
        TypeKind::BigInt => "bigint".into(),
        TypeKind::Boolean => "boolean".into(),
        TypeKind::String(n) => format!("string{}", opt(n)),
        TypeKind::Text => "text".into(),
        TypeKind::NString(n) => format!("nstring{}", opt(n)),
        TypeKind::NText => "ntext".into(),
        TypeKind::Char(n) => format!("char({n})"),
        TypeKind::Numeric { precision, scale } => match (precision, scale) {
            (Some(p), Some(s)) => format!("numeric({p}, {s})"),
            (Some(p), None) => format!("numeric({p})"),
            _ => "numeric".into(),
        },
        TypeKind::Float => "float".into(),
        TypeKind::Double => "double".into(),
        TypeKind::Date => "date".into(),
        TypeKind::Time => "time".into(),
        TypeKind::Timestamp { tz: false } => "timestamp".into(),
        TypeKind::Timestamp { tz: true } => "timestamp(tz)".into(),
        TypeKind::Interval => "interval".into(),
        TypeKind::Uuid => "uuid".into(),
        TypeKind::Json => "json".into(),
        TypeKind::Binary(n) => format!("binary{}", opt(n)),
        TypeKind::Enum(e) => format!("enum({}: {})", e.name, quoted_list(&e.values)),
        TypeKind::Raw(sql) => format!("raw({sql:?})"),
    }
}

/// A column type with its per-dialect variants: `json variant postgresql "JSONB"`.
pub fn column_type_text(ty: &ColumnType) -> String {
    let mut out = type_text(&ty.kind);
    for (dialect, sql) in &ty.variants {
        out.push_str(&format!(" variant {dialect} {sql:?}"));
    }
    out
}

fn quoted_list(values: &[String]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| sql_string(v)).collect();
    quoted.join(", ")
}

fn sql_string(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A default as the DSL writes it: `0`, `'new'`, `now()`, `(lower(x))`.
pub fn default_text(default: &DefaultValue) -> String {
    match default {
        DefaultValue::Literal(Literal::Null) => "null".into(),
        DefaultValue::Literal(Literal::Bool(b)) => b.to_string(),
        DefaultValue::Literal(Literal::Integer(t) | Literal::Decimal(t)) => t.clone(),
        DefaultValue::Literal(Literal::String(s)) => sql_string(s),
        DefaultValue::CurrentTimestamp => "now()".into(),
        DefaultValue::CurrentDate => "current_date".into(),
        DefaultValue::NextVal(seq) => format!("nextval({seq})"),
        DefaultValue::Expr(e) => format!("({})", e.text),
    }
}

fn name(q: &QualifiedName) -> Value {
    json!({"schema": q.schema.as_ref().map(|s| s.name.as_str()), "name": q.name.name})
}

fn options(o: &DialectOptions) -> Value {
    let map: serde_json::Map<String, Value> =
        o.0.iter()
            .map(|(d, kv)| {
                let kv: serde_json::Map<String, Value> =
                    kv.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
                (d.name().to_string(), Value::Object(kv))
            })
            .collect();
    Value::Object(map)
}

fn column(c: &Column) -> Value {
    json!({
        "name": c.name.name,
        "type": column_type_text(&c.ty),
        "nullable": c.nullable,
        "default": c.default.as_ref().map(default_text),
        "identity": c.identity.as_deref().map(identity),
        "computed": c.computed.as_ref().map(|k| json!({"expr": k.expr.text, "stored": k.stored})),
        "comment": c.comment,
    })
}

/// An identity: `always`, `start` and `increment` always, the other options
/// only where set.
fn identity(i: &crate::ir::Identity) -> Value {
    let mut v = json!({"always": i.always, "start": i.start, "increment": i.increment});
    let extra = [
        ("minvalue", i.minvalue.map(Value::from)),
        ("maxvalue", i.maxvalue.map(Value::from)),
        ("cycle", i.cycle.then_some(Value::Bool(true))),
        ("cache", i.cache.map(Value::from)),
        ("on_null", i.on_null.then_some(Value::Bool(true))),
        ("order", i.order.then_some(Value::Bool(true))),
    ];
    for (k, x) in extra {
        if let (Some(x), Some(m)) = (x, v.as_object_mut()) {
            m.insert(k.into(), x);
        }
    }
    v
}

fn action(a: Option<FkAction>) -> Value {
    json!(a.map(FkAction::sql))
}

fn names(cols: &[crate::ir::Ident]) -> Vec<&str> {
    cols.iter().map(|c| c.name.as_str()).collect()
}

/// One constraint: `kind` is `primary`, `unique`, `check` or `foreignkey`.
pub fn constraint(c: &Constraint) -> Value {
    let (check, references) = match &c.kind {
        ConstraintKind::Check(e) => (json!(e.text), Value::Null),
        ConstraintKind::ForeignKey(fk) => (
            Value::Null,
            json!({
                "table": name(&fk.ref_table),
                "columns": names(&fk.ref_columns),
                "on_delete": action(fk.on_delete),
                "on_update": action(fk.on_update),
                "deferrable": fk.deferrable,
                "initially_deferred": fk.initially_deferred,
            }),
        ),
        _ => (Value::Null, Value::Null),
    };
    json!({
        "name": c.name.name,
        "kind": c.kind.word(),
        "columns": names(c.kind.columns()),
        "check": check,
        "references": references,
    })
}

/// An index part as the DSL writes it: `email`, `placed_at desc`, `(lower(email))`.
pub fn part_text(p: &IndexPart) -> String {
    match p {
        IndexPart::Column { name, desc, length } => {
            let mut out = name.name.clone();
            if let Some(n) = length {
                out.push_str(&format!("({n})"));
            }
            if *desc {
                out.push_str(" desc");
            }
            out
        }
        IndexPart::Expr(e) => format!("({})", e.text),
    }
}

fn index(i: &Index) -> Value {
    let parts: Vec<String> = i.parts.iter().map(part_text).collect();
    let include: Vec<&str> = i.include.iter().map(|c| c.name.as_str()).collect();
    json!({
        "name": i.name.name,
        "parts": parts,
        "unique": i.unique,
        "where": i.where_clause.as_ref().map(|w| w.text.as_str()),
        "include": include,
        "options": options(&i.options),
    })
}

fn table(t: &Table) -> Value {
    let columns: Vec<Value> = t.columns.values().map(column).collect();
    let constraints: Vec<Value> = t.constraints.values().map(constraint).collect();
    let indexes: Vec<Value> = t.indexes.values().map(index).collect();
    json!({
        "schema": t.name.schema.as_ref().map(|s| s.name.as_str()),
        "name": t.name.name.name,
        "comment": t.comment,
        "columns": columns,
        "constraints": constraints,
        "indexes": indexes,
        "options": options(&t.options),
    })
}

/// `ddlc schema --json`: the model at `snapshot.at`, tables in creation order.
pub fn document(snapshot: &Snapshot, left_out: &[String]) -> String {
    let schema = &snapshot.schema;
    let (order, closing) = table_order(schema);
    let tables: Vec<Value> = order.iter().map(|k| table(&schema.tables[k])).collect();
    let closing: Vec<Value> = closing
        .iter()
        .map(|(t, c)| json!({"table": schema.tables[t].name.to_string(), "constraint": c}))
        .collect();
    let enums: Vec<Value> = schema
        .enums
        .iter()
        .map(|(key, (e, _))| {
            // The key is `schema.name` for a type in the schema of its tables.
            let schema = key.strip_suffix(&format!(".{}", e.name.name));
            json!({"schema": schema, "name": e.name.name, "values": e.values})
        })
        .collect();
    let sequences: Vec<Value> = schema
        .sequences
        .values()
        .map(|s| {
            let mut v = name(&s.name);
            v["start"] = json!(s.start);
            v["increment"] = json!(s.increment);
            v
        })
        .collect();
    let views: Vec<Value> = schema
        .view_order()
        .into_iter()
        .map(|v| {
            let mut out = name(&v.name);
            out["query"] = json!(v.query.text);
            out["reads"] = json!(v.reads);
            out
        })
        .collect();
    let routines: Vec<Value> = schema
        .routines
        .values()
        .map(|r| {
            let mut out = name(&r.name);
            out["kind"] = json!(r.kind.word());
            out["table"] = r.table.as_ref().map_or(Value::Null, name);
            let mut sql = serde_json::Map::new();
            if let Some(b) = &r.bodies.default {
                sql.insert("default".into(), json!(b.text));
            }
            for (d, b) in &r.bodies.variants {
                sql.insert(d.to_string(), json!(b.text));
            }
            out["sql"] = Value::Object(sql);
            out
        })
        .collect();
    let doc = json!({
        "at": snapshot.at,
        "enums": enums,
        "sequences": sequences,
        "tables": tables,
        "views": views,
        "routines": routines,
        "cycle_foreign_keys": closing,
        "not_included": left_out,
    });
    format!("{doc}\n")
}

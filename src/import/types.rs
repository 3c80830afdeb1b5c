//! SQLAlchemy types as ddlc types, one by one. Where SQLAlchemy's type means
//! something else per dialect, the ddlc type is the one it renders on
//! PostgreSQL, with a `variant` where MySQL differs (`Float` is FLOAT: double
//! precision on PostgreSQL, 4 bytes on MySQL).

use super::text::{name, sql_string};
use super::value::{Call, Value};

/// A column's ddlc type and the column attributes it brings (the CHECK of a
/// non-native enum or a constrained boolean).
#[derive(Debug, Default)]
pub struct Mapped {
    /// The type, `variant`s included.
    pub ty: String,
    /// Column attributes the type brings.
    pub attrs: Vec<String>,
}

/// The ddlc type of `v` for column `column`.
pub fn map(v: &Value, column: &str) -> Result<Mapped, String> {
    let call = as_type_call(v)?;
    if call.name() == "with_variant" {
        return with_variant(&call, column);
    }
    if call.name() == "Enum" || call.name() == "ENUM" {
        return enumeration(&call, column);
    }
    let mut out = Mapped {
        ty: base(&call)?,
        attrs: vec![],
    };
    if matches!(call.name(), "Boolean" | "BOOLEAN")
        && call.kw("create_constraint").and_then(Value::truthy) == Some(true)
    {
        let cname = match call.kw("name").and_then(Value::as_str) {
            Some(n) => format!("conv({}) ", name(n)),
            None => String::new(),
        };
        out.attrs.push(format!(
            "only (mysql, mariadb, sqlite, mssql) check {cname}({} in (0, 1))",
            sql_name(column)
        ));
    }
    Ok(out)
}

/// A type given as a class (`sa.Integer`) or an instance (`sa.Integer()`).
fn as_type_call(v: &Value) -> Result<Call, String> {
    match v {
        Value::Call(c) => Ok((**c).clone()),
        Value::Path(p) => Ok(Call {
            func: p.clone(),
            receiver: None,
            args: vec![],
            kwargs: vec![],
        }),
        other => Err(format!(
            "a column type that is not a SQLAlchemy type: {other:?}"
        )),
    }
}

fn int_arg(call: &Call, n: usize, key: &str) -> Result<Option<String>, String> {
    match call.arg(n, key) {
        None | Some(Value::None) => Ok(None),
        Some(Value::Int(i)) => Ok(Some(i.clone())),
        Some(other) => Err(format!(
            "`{}({key}=...)` is not a number: {other:?}",
            call.name()
        )),
    }
}

fn sized(word: &str, size: Option<String>) -> String {
    match size {
        Some(n) => format!("{word}({n})"),
        None => word.to_string(),
    }
}

/// The generic and common dialect types.
fn base(call: &Call) -> Result<String, String> {
    if let Some(d) = call.dialect() {
        if let Some(t) = dialect_type(call, d)? {
            return Ok(t);
        }
    }
    let n = call.name();
    Ok(match n {
        "Integer" | "INTEGER" | "INT" => "integer".into(),
        "BigInteger" | "BIGINT" => "bigint".into(),
        "SmallInteger" | "SMALLINT" => "smallint".into(),
        "Boolean" | "BOOLEAN" => "boolean".into(),
        "String" | "VARCHAR" => sized("string", int_arg(call, 0, "length")?),
        "Unicode" | "NVARCHAR" => sized("nstring", int_arg(call, 0, "length")?),
        "Text" | "TEXT" | "CLOB" => "text".into(),
        "UnicodeText" => "ntext".into(),
        "CHAR" | "NCHAR" => sized("char", Some(int_arg(call, 0, "length")?.unwrap_or("1".into()))),
        "Numeric" | "NUMERIC" | "DECIMAL" => numeric(call)?,
        "Float" | "FLOAT" => float(call)?,
        "REAL" => "float".into(),
        "Double" | "DOUBLE" | "DOUBLE_PRECISION" => "double".into(),
        "Date" | "DATE" => "date".into(),
        "Time" | "TIME" => "time".into(),
        "DateTime" | "DATETIME" | "TIMESTAMP" => {
            let tz = call.kw("timezone").and_then(Value::truthy) == Some(true);
            if tz { "timestamp(tz)" } else { "timestamp" }.into()
        }
        // SQLAlchemy stores an Interval as a DATETIME past the epoch where
        // the engine has no interval type.
        "Interval" => "interval variant mysql \"DATETIME\" variant sqlite \"DATETIME\" variant mssql \"DATETIME\"".into(),
        "LargeBinary" | "BLOB" | "BINARY" | "VARBINARY" | "_Binary" => {
            sized("binary", int_arg(call, 0, "length")?)
        }
        "JSON" => "json".into(),
        "Uuid" | "UUID" => "uuid".into(),
        other => return Err(format!("the type `{other}`, which ddlc does not map")),
    })
}

fn numeric(call: &Call) -> Result<String, String> {
    let p = int_arg(call, 0, "precision")?;
    let s = int_arg(call, 1, "scale")?;
    Ok(match (p, s) {
        (Some(p), Some(s)) => format!("numeric({p}, {s})"),
        (Some(p), None) => format!("numeric({p})"),
        _ => "numeric".into(),
    })
}

/// `Float` renders FLOAT: double precision on PostgreSQL (FLOAT(n) with
/// n <= 24 is REAL), FLOAT (4 bytes) on MySQL and MariaDB.
fn float(call: &Call) -> Result<String, String> {
    match int_arg(call, 0, "precision")? {
        Some(p) if p.parse::<u32>().is_ok_and(|p| p <= 24) => Ok("float".into()),
        Some(p) => Ok(format!("double variant mysql \"FLOAT({p})\"")),
        None => Ok("double variant mysql \"FLOAT\"".into()),
    }
}

/// Types of `sqlalchemy.dialects.<d>` with no generic equivalent.
fn dialect_type(call: &Call, d: &str) -> Result<Option<String>, String> {
    let n = call.name();
    let t = match (d, n) {
        ("postgresql", "JSONB") => "json variant postgresql \"JSONB\"".to_string(),
        ("postgresql", "ARRAY") => {
            let item = call
                .arg(0, "item_type")
                .ok_or("an ARRAY without item type")?;
            format!("raw(\"{}[]\")", type_sql(item)?)
        }
        (
            "postgresql",
            "INET" | "CIDR" | "MACADDR" | "TSVECTOR" | "HSTORE" | "MONEY" | "BYTEA" | "CITEXT"
            | "OID" | "INT4RANGE" | "TSRANGE" | "TSTZRANGE" | "DATERANGE",
        ) => {
            format!("raw(\"{n}\")")
        }
        ("mysql", "TINYTEXT" | "MEDIUMTEXT" | "LONGTEXT") => format!("text variant mysql \"{n}\""),
        ("mysql", "TINYBLOB" | "MEDIUMBLOB" | "LONGBLOB") => {
            format!("binary variant mysql \"{n}\"")
        }
        ("mysql", "TINYINT" | "MEDIUMINT") => format!(
            "smallint variant mysql \"{}\"",
            type_sql(&Value::Call(Box::new(call.clone())))?
        ),
        (
            "mysql",
            "INTEGER" | "BIGINT" | "SMALLINT" | "VARCHAR" | "CHAR" | "DOUBLE" | "SET" | "YEAR"
            | "BIT",
        ) => {
            let generic = base(&Call {
                func: n.to_string(),
                ..call.clone()
            })
            .unwrap_or_else(|_| "text".into());
            format!(
                "{generic} variant mysql \"{}\"",
                type_sql(&Value::Call(Box::new(call.clone())))?
            )
        }
        _ => return Ok(None),
    };
    Ok(Some(t))
}

/// `T.with_variant(U, "dialect", ...)`: `T`, with U's SQL on those dialects.
fn with_variant(call: &Call, column: &str) -> Result<Mapped, String> {
    let inner = call
        .receiver
        .as_ref()
        .ok_or("with_variant without a type")?;
    let mut out = map(inner, column)?;
    let variant = call
        .arg(0, "type_")
        .ok_or("with_variant without a variant type")?;
    let sql = type_sql(variant)?;
    for d in call.args.iter().skip(1) {
        let d = d
            .as_str()
            .ok_or("with_variant with a dialect that is not a string")?;
        let d = if d == "postgres" { "postgresql" } else { d };
        // A variant given again for the same dialect replaces the first.
        out.ty = format!("{} variant {d} \"{}\"", strip_variant(&out.ty, d), sql);
    }
    Ok(out)
}

fn strip_variant(ty: &str, d: &str) -> String {
    match ty.find(&format!(" variant {d} ")) {
        Some(at) => {
            let rest = &ty[at + 1..];
            let next = rest[1..]
                .find(" variant ")
                .map(|i| &rest[i + 1..])
                .unwrap_or("");
            format!("{}{next}", &ty[..at])
        }
        None => ty.to_string(),
    }
}

/// A type's SQL as SQLAlchemy renders it (for `variant` and `raw`).
pub fn type_sql(v: &Value) -> Result<String, String> {
    let call = as_type_call(v)?;
    let n = call.name();
    let mut sql = match n {
        "Integer" => "INTEGER".to_string(),
        "BigInteger" => "BIGINT".into(),
        "SmallInteger" => "SMALLINT".into(),
        "String" => "VARCHAR".into(),
        "Text" => "TEXT".into(),
        "Boolean" => "BOOLEAN".into(),
        "DateTime" => "TIMESTAMP".into(),
        "Float" => "FLOAT".into(),
        "Numeric" => "NUMERIC".into(),
        "LargeBinary" => "BLOB".into(),
        other if other.chars().all(|c| c.is_ascii_uppercase() || c == '_') => {
            other.replace('_', " ")
        }
        other => return Err(format!("the type `{other}` as a dialect's SQL type")),
    };
    let sizes: Vec<String> = call
        .args
        .iter()
        .map_while(|a| match a {
            Value::Int(i) => Some(i.clone()),
            _ => None,
        })
        .chain(call.kw("length").and_then(|l| match l {
            Value::Int(i) => Some(i.clone()),
            _ => None,
        }))
        .collect();
    if !sizes.is_empty() {
        sql = format!("{sql}({})", sizes.join(", "));
    }
    if call.kw("unsigned").and_then(Value::truthy) == Some(true) {
        sql.push_str(" UNSIGNED");
    }
    if let Some(Value::Str(cs)) = call.kw("charset") {
        sql.push_str(&format!(" CHARACTER SET {cs}"));
    }
    if let Some(Value::Str(c)) = call.kw("collation") {
        sql.push_str(&format!(" COLLATE {c}"));
    }
    if sql.contains('"') {
        return Err("a dialect type whose SQL holds a double quote".into());
    }
    Ok(sql)
}

/// `Enum("a", "b", name="x")`: a named enum type (native), or a string with
/// a CHECK (`native_enum=False`; the CHECK only with `create_constraint=True`).
fn enumeration(call: &Call, column: &str) -> Result<Mapped, String> {
    let mut values = Vec::new();
    for v in &call.args {
        match v {
            Value::Str(s) => values.push(s.clone()),
            _ => {
                return Err("an Enum of something other than strings (a Python enum class?)".into())
            }
        }
    }
    if values.is_empty() {
        return Err("an Enum without values".into());
    }
    let quoted: Vec<String> = values.iter().map(|v| sql_string(v)).collect();
    let native = call.kw("native_enum").and_then(Value::truthy) != Some(false);
    let type_name = call.kw("name").and_then(Value::as_str);
    if native {
        let n = type_name
            .map(str::to_string)
            .unwrap_or_else(|| column.to_string());
        return Ok(Mapped {
            ty: format!("enum({}: {})", name(&n), quoted.join(", ")),
            attrs: vec![],
        });
    }
    let longest = values.iter().map(|v| v.chars().count()).max().unwrap_or(1);
    let length = int_arg(call, usize::MAX, "length")?.unwrap_or(longest.to_string());
    let mut attrs = vec![];
    if call.kw("create_constraint").and_then(Value::truthy) == Some(true) {
        let cname = match type_name {
            Some(n) => format!("conv({}) ", name(n)),
            None => String::new(),
        };
        attrs.push(format!(
            "check {cname}({} in ({}))",
            sql_name(column),
            quoted.join(", ")
        ));
    }
    Ok(Mapped {
        ty: format!("string({length})"),
        attrs,
    })
}

/// A column name inside an SQL fragment: quoted when it is not a plain word.
pub fn sql_name(column: &str) -> String {
    if column
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !column.starts_with(|c: char| c.is_ascii_digit())
    {
        column.to_string()
    } else {
        format!("\"{}\"", column.replace('"', "\"\""))
    }
}

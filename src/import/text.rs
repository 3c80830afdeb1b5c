//! How imported values are spelled in the migration language: names, SQL
//! strings, literals and texts.

use super::value::Value;

/// Words that start or continue an op, so a name spelled like one is quoted.
const WORDS: &[&str] = &[
    "on",
    "type",
    "only",
    "else",
    "conv",
    "references",
    "check",
    "unique",
    "primary_key",
    "foreign_key",
    "index",
    "default",
    "comment",
    "not_null",
    "null",
    "autoincrement",
    "identity",
    "computed",
    "table_comment",
    "where",
    "include",
    "using",
    "rename",
    "as",
    "if_exists",
    "if_not_exists",
    "set",
    "drop_default",
    "drop_comment",
    "drop_identity",
    "concurrently",
    "not_valid",
    "variant",
    "true",
    "false",
    "stored",
    "virtual",
    "review",
    "match",
    "on_delete",
    "on_update",
    "deferrable",
    "not_deferrable",
    "initially",
    "base",
];

/// A name: a plain word when it reads back as itself, else `"..."`.
pub fn name(n: &str) -> String {
    let plain = n
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !WORDS.contains(&n)
        && !crate::ir::OpName::ALL.iter().any(|o| o.keyword() == n);
    if plain {
        n.to_string()
    } else {
        format!("\"{}\"", n.replace('"', "\"\""))
    }
}

/// `schema.table` or `table`.
pub fn qname(schema: Option<&str>, table: &str) -> String {
    match schema {
        Some(s) => format!("{}.{}", name(s), name(table)),
        None => name(table),
    }
}

/// `'text'`, with `''` for a quote.
pub fn sql_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// `"text"` or `"""text"""` for a header, `execute` or `review` text.
pub fn text(s: &str) -> Result<String, String> {
    crate::scaffold::quote_text(s).ok_or_else(|| "a text that cannot be quoted".into())
}

/// A literal row value of `bulk_insert`.
pub fn literal(v: &Value) -> Result<String, String> {
    Ok(match v {
        Value::None => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.clone(),
        Value::Float(f) => f.clone(),
        Value::Str(s) => sql_string(s),
        Value::Call(c) => match (c.name(), &c.args[..]) {
            ("Decimal", [Value::Str(s)]) => s.clone(),
            ("date", [y, m, d]) => {
                sql_string(&format!("{}-{:0>2}-{:0>2}", int(y)?, int(m)?, int(d)?))
            }
            ("datetime", [y, mo, d, rest @ ..]) => {
                let mut parts = vec![];
                for p in rest.iter().take(3) {
                    parts.push(format!("{:0>2}", int(p)?));
                }
                while parts.len() < 3 {
                    parts.push("00".into());
                }
                sql_string(&format!(
                    "{}-{:0>2}-{:0>2} {}",
                    int(y)?,
                    int(mo)?,
                    int(d)?,
                    parts.join(":")
                ))
            }
            _ => return Err(format!("a value `{}(...)` in bulk_insert", c.func)),
        },
        other => {
            return Err(format!(
                "a value that is not a literal in bulk_insert: {other:?}"
            ))
        }
    })
}

fn int(v: &Value) -> Result<String, String> {
    match v {
        Value::Int(i) => Ok(i.clone()),
        _ => Err("a date part that is not a number".into()),
    }
}

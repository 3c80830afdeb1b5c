//! Sequences, `bulk_insert` (literals typed by the column types in the schema
//! model) and `execute` (raw SQL, per-dialect variants, split into statements).

use super::{table_in, types, Cx};
use crate::diag::Diagnostic;
use crate::dialect::{Dialect, IdentityStyle};
use crate::ir::{BulkInsert, CreateSequence, DropSequence, Execute};
use crate::render::safe;
use crate::schema::Schema;
use minijinja::{context, Value};

fn require_sequences(cx: &Cx, name: &crate::ir::QualifiedName) -> Result<(), Diagnostic> {
    if cx.caps.sequences {
        return Ok(());
    }
    Err(cx
        .unsupported(
            "unsupported-op",
            format!("{} has no sequences", cx.d),
            name.span(),
        )
        .with_help("use an `autoincrement` column, or `execute` with per-dialect SQL"))
}

/// `create_sequence`.
pub(crate) fn create_sequence(cx: &mut Cx, cs: &CreateSequence) -> Result<(), Diagnostic> {
    require_sequences(cx, &cs.name)?;
    let ctx = context! { name => cx.qn(&cs.name), start => cs.start, increment => cs.increment };
    cx.emit("create_sequence", ctx)
}

/// `drop_sequence`.
pub(crate) fn drop_sequence(cx: &mut Cx, ds: &DropSequence) -> Result<(), Diagnostic> {
    require_sequences(cx, &ds.name)?;
    cx.emit("drop_sequence", context! { name => cx.qn(&ds.name) })
}

/// `bulk_insert`: multi-row INSERTs where the dialect takes them, one per row on
/// Oracle; SQL Server's IDENTITY_INSERT only when an identity column is given.
pub(crate) fn bulk_insert(cx: &mut Cx, bi: &BulkInsert, after: &Schema) -> Result<(), Diagnostic> {
    let table = table_in(after, &bi.table, cx.span)?;
    let mut kinds = Vec::new();
    for c in &bi.columns {
        let col = table.columns.get(c.as_str()).ok_or_else(|| {
            Diagnostic::error(
                "unknown-column",
                format!("table `{}` has no column `{c}`", bi.table),
            )
            .at(c.span, "no such column")
            .with_suggestion(c.as_str(), table.columns.keys().map(String::as_str))
        })?;
        kinds.push(col);
    }
    let identity_given = kinds.iter().any(|c| c.identity.is_some());
    let always_given = kinds
        .iter()
        .any(|c| c.identity.as_ref().is_some_and(|i| i.always));
    let overriding = always_given && cx.caps.overriding_system_value;
    if always_given && !overriding && cx.caps.identity == IdentityStyle::Generated {
        return Err(cx.unsupported(
            "unsupported-op",
            format!("{} cannot insert into an `identity(always)` column", cx.d),
            cx.span,
        ));
    }
    let identity_insert = identity_given && cx.caps.identity == IdentityStyle::Identity;
    let columns: Vec<Value> = bi.columns.iter().map(|c| cx.q(c.as_str())).collect();
    let rows: Vec<Vec<Value>> = bi
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .zip(&kinds)
                .map(|(lit, col)| safe(types::literal(lit, Some(&col.ty.kind), cx.d)))
                .collect()
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    if identity_insert {
        cx.emit(
            "identity_insert",
            context! { table => cx.qn(&bi.table), on => true },
        )?;
    }
    for chunk in rows.chunks(cx.caps.insert_rows_per_statement.max(1)) {
        let ctx = context! {
            table => cx.qn(&bi.table),
            columns => columns.clone(),
            rows => chunk.to_vec(),
            overriding,
        };
        cx.emit("insert", ctx)?;
    }
    if identity_insert {
        cx.emit(
            "identity_insert",
            context! { table => cx.qn(&bi.table), on => false },
        )?;
    }
    Ok(())
}

/// `execute`: the dialect's variant (MariaDB falls back to MySQL's), else the
/// default body, else nothing.
pub(crate) fn execute(cx: &mut Cx, ex: &Execute) -> Result<(), Diagnostic> {
    let body = cx.d.pick(&ex.variants).or(ex.default.as_ref());
    let Some(body) = body else { return Ok(()) };
    for sql in split_statements(&body.text, cx.d) {
        let transactional = !(cx.caps.concurrent_index && outside_transaction(&sql));
        cx.emit_with("execute", context! { sql => safe(sql) }, transactional)?;
    }
    Ok(())
}

/// PostgreSQL statements that refuse to run inside a transaction block.
fn outside_transaction(sql: &str) -> bool {
    let words: Vec<String> = sql
        .split_whitespace()
        .take(4)
        .map(str::to_ascii_uppercase)
        .collect();
    let w = |i: usize| words.get(i).map_or("", String::as_str);
    w(0) == "VACUUM"
        || (matches!(w(0), "CREATE" | "DROP" | "REINDEX")
            && words.iter().any(|x| x == "CONCURRENTLY"))
        || (w(0) == "CREATE" && w(1) == "DATABASE")
        || (w(0) == "DROP" && w(1) == "DATABASE")
}

/// Splits SQL text at top-level `;`, outside quotes, comments and PostgreSQL
/// dollar quotes. A procedural block (BEGIN/DECLARE, CREATE PROCEDURE/FUNCTION/
/// TRIGGER/PACKAGE) is one statement: its inner `;` belong to it.
pub(crate) fn split_statements(text: &str, d: Dialect) -> Vec<String> {
    let head: Vec<String> = text
        .split_whitespace()
        .take(4)
        .map(str::to_ascii_uppercase)
        .collect();
    let block_words = ["PROCEDURE", "FUNCTION", "TRIGGER", "PACKAGE", "TYPE"];
    let is_block = matches!(
        head.first().map(String::as_str),
        Some("BEGIN" | "DECLARE" | "DO")
    ) || (head.first().map(String::as_str) == Some("CREATE")
        && head
            .iter()
            .skip(1)
            .any(|w| block_words.contains(&w.as_str())));
    if is_block {
        let t = text.trim();
        let t = t.strip_suffix('/').unwrap_or(t).trim_end();
        // Oracle's PL/SQL keeps its `END;` (the script ends it with `/`); elsewhere
        // the script adds the `;` itself.
        let t = if d.caps().semicolon {
            t.strip_suffix(';').unwrap_or(t).trim_end()
        } else {
            t
        };
        return vec![t.to_string()];
    }
    let bytes = text.as_bytes();
    let (mut out, mut start, mut i) = (Vec::new(), 0usize, 0usize);
    let close_of = |c: u8| -> Option<u8> {
        match c {
            b'\'' => Some(b'\''),
            b'"' => Some(b'"'),
            b'`' if d.caps().quote.0 == '`' => Some(b'`'),
            b'[' if d.caps().quote.0 == '[' => Some(b']'),
            _ => None,
        }
    };
    while i < bytes.len() {
        let c = bytes[i];
        if let Some(close) = close_of(c) {
            i += 1;
            while i < bytes.len() && bytes[i] != close {
                if bytes[i] == b'\\' && d.caps().backslash_escapes {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
        } else if text[i..].starts_with("--") {
            i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
        } else if text[i..].starts_with("/*") {
            i = text[i + 2..]
                .find("*/")
                .map_or(bytes.len(), |n| i + 2 + n + 2);
        } else if c == b'$' && d == Dialect::PostgreSql {
            // $tag$ ... $tag$
            match text[i + 1..].find('$') {
                Some(n)
                    if text[i + 1..i + 1 + n]
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '_') =>
                {
                    let tag = &text[i..i + n + 2];
                    let body = i + tag.len();
                    i = text[body..]
                        .find(tag)
                        .map_or(bytes.len(), |m| body + m + tag.len());
                }
                _ => i += 1,
            }
        } else if c == b';' {
            out.push(text[start..i].to_string());
            i += 1;
            start = i;
        } else {
            i += 1;
        }
    }
    out.push(text[start.min(text.len())..].to_string());
    out.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

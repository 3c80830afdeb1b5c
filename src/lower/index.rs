//! `create_index` / `drop_index`: parts, uniqueness, partial and covering
//! indexes, per-dialect options; what a dialect lacks is a located error.

use super::{fk_index, opt, Cx};
use crate::diag::Code;
use crate::diag::Diagnostic;
use crate::dialect::Dialect;
use crate::ir::{CreateIndex, DialectOptions, DropIndex, Ident, Index, IndexPart, QualifiedName};
use crate::render::safe;
use crate::schema::{Applied, Schema};
use minijinja::{context, Value};

/// `create_index`.
pub(crate) fn create_index(cx: &mut Cx, ci: &CreateIndex) -> Result<(), Diagnostic> {
    emit_create(cx, &ci.index, ci.concurrently, ci.if_not_exists)
}

/// Emits `CREATE INDEX` for `idx` (also used after `create_table` and SQLite rebuilds).
pub(crate) fn emit_create(
    cx: &mut Cx,
    idx: &Index,
    concurrently: bool,
    if_not_exists: bool,
) -> Result<(), Diagnostic> {
    let d = cx.d;
    if if_not_exists && !cx.r.index_if_not_exists() {
        return Err(cx.unsupported(
            Code::UnsupportedOption,
            format!("`if_not_exists` on create_index is not supported on {d}"),
            idx.span,
        ));
    }
    let where_clause = where_value(cx, idx)?;
    let include = include_for(idx, d);
    if !include.is_empty() && !cx.r.index_include() {
        return Err(cx.unsupported(
            Code::UnsupportedOption,
            format!("`include` columns are not supported on {d}"),
            idx.include.first().map_or(idx.span, |i| i.span),
        ));
    }
    let parts = parts(cx, idx)?;
    let options = options(cx, idx)?;
    let name = cx.fit(idx.name.as_str());
    let name_qualified = qualify(cx, &idx.table, &name);
    let concurrently = concurrently && cx.r.concurrent_index();
    let ctx = context! {
        unique => idx.unique,
        concurrently,
        if_not_exists,
        name => cx.q(&name),
        name_qualified => safe(name_qualified),
        table => cx.qn(&idx.table),
        table_bare => cx.q(idx.table.name.as_str()),
        parts,
        include => include.iter().map(|i| cx.q(i)).collect::<Vec<_>>(),
        where => opt(where_clause),
        ..options
    };
    cx.emit_with("create_index", ctx, !concurrently)
}

/// The partial-index condition, spelled for the dialect. A dialect's own
/// `where` is only accepted (in `resolve`) where partial indexes exist.
fn where_value(cx: &Cx, idx: &Index) -> Result<Option<Value>, Diagnostic> {
    Ok(match (where_for(idx, cx.d), &idx.where_clause) {
        (Some(w), _) => Some(safe(cx.fragment(w, idx.span)?)),
        (None, Some(w)) if !cx.r.partial_index() => {
            return Err(cx
                .unsupported(Code::UnsupportedOption, format!("partial indexes are not supported on {}", cx.d), w.span)
                .with_help("drop the `where`, or create this index in an `execute` block for the dialects that have it"))
        }
        (None, Some(w)) => Some(safe(cx.expr(w)?)),
        (None, None) => None,
    })
}

/// The index's parts, for the `_index.sql` macro: `sql`, a quoted column
/// (with a prefix length) or an expression as the dialect takes it, and
/// `desc` for a descending column.
fn parts(cx: &Cx, idx: &Index) -> Result<Vec<Value>, Diagnostic> {
    let mut parts = Vec::new();
    for part in &idx.parts {
        let desc = matches!(part, IndexPart::Column { desc: true, .. });
        let sql = safe(match part {
            IndexPart::Column { name, length, .. } => {
                let mut s = cx.d.quote_ident(name.as_str());
                if let (Some(n), true) = (length, cx.r.index_prefix_length()) {
                    s.push_str(&format!("({n})"));
                }
                s
            }
            IndexPart::Expr(e) if !cx.r.expression_index() => {
                return Err(cx
                    .unsupported(
                        Code::UnsupportedOp,
                        format!("{} has no functional index parts", cx.d),
                        e.span,
                    )
                    .with_help("index a generated column that computes the expression instead"))
            }
            IndexPart::Expr(e) if cx.r.index_expr_parens() => format!("({})", cx.expr(e)?),
            IndexPart::Expr(e) => cx.expr(e)?,
        });
        parts.push(context! { sql, desc });
    }
    Ok(parts)
}

/// The per-dialect options of an index as template values. Only templates
/// that know the clause print them (postgresql: USING and TABLESPACE, mysql:
/// FULLTEXT, mssql: CLUSTERED, oracle: BITMAP and TABLESPACE).
fn options(cx: &Cx, idx: &Index) -> Result<Value, Diagnostic> {
    let d = cx.d;
    let word = |key: &str| -> Result<Option<Value>, Diagnostic> {
        match idx.options.get(d, key) {
            Some(v) if v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                Ok(Some(safe(v)))
            }
            Some(v) => Err(Diagnostic::error(
                Code::BadOption,
                format!("`{key}` must be a plain word, not `{v}`"),
            )
            .at(idx.span, "in this index's options")),
            None => Ok(None),
        }
    };
    let using = word("using")?;
    let prefix = word("prefix")?.map(|p| safe(p.as_str().unwrap_or_default().to_ascii_uppercase()));
    let tablespace = word("tablespace")?;
    let flag = |key: &str| {
        idx.options
            .get(d, key)
            .map(|v| v.eq_ignore_ascii_case("true"))
    };
    // SQL Server: CLUSTERED / NONCLUSTERED when the option is given either way.
    let clustered = flag("clustered");
    let bitmap = flag("bitmap").unwrap_or(false);
    let lock = lock_options(cx, &idx.options, true);
    if bitmap && idx.unique {
        return Err(cx
            .unsupported(
                Code::UnsupportedOption,
                format!("a bitmap index cannot be unique on {d}"),
                idx.span,
            )
            .with_help("drop `unique` or `oracle.bitmap`"));
    }
    Ok(context! {
        using => opt(using),
        prefix => opt(prefix),
        tablespace => opt(tablespace),
        clustered => clustered,
        bitmap,
        ..lock
    })
}

/// How a build or drop locks the table, as template values: `algorithm` and
/// `lock` (MySQL, MariaDB: `ALGORITHM=INPLACE LOCK=NONE`), `online` (SQL
/// Server, Oracle). `online_ok` is false where the engine refuses ONLINE
/// (SQL Server drops only a clustered index online): `online` is then false.
/// The values were checked against the option tables in `resolve`.
pub(crate) fn lock_options(cx: &Cx, options: &DialectOptions, online_ok: bool) -> Value {
    let d = cx.d;
    let upper = |key: &str| options.get(d, key).map(|v| safe(v.to_ascii_uppercase()));
    let online = online_ok
        && options
            .get(d, "online")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    context! {
        algorithm => opt(upper("algorithm")),
        lock => opt(upper("lock")),
        online,
    }
}

/// Drops `idx` (a definition from the schema model) from its table.
pub(crate) fn emit_drop(cx: &mut Cx, idx: &Index) -> Result<(), Diagnostic> {
    let name = cx.fit(idx.name.as_str());
    let ctx = context! {
        name => cx.q(&name),
        name_qualified => safe(qualify(cx, &idx.table, &name)),
        table => cx.qn(&idx.table),
        if_exists => false,
        concurrently => false,
        ..lock_options(cx, &DialectOptions::default(), false)
    };
    cx.emit("drop_index", ctx)
}

/// The partial-index condition on `d`: the dialect's own `where` option
/// (`postgresql.where = "..."`) replaces the portable `where (..)`.
pub(crate) fn where_for(idx: &Index, d: Dialect) -> Option<&str> {
    idx.options.get(d, "where")
}

/// The portable `where` or the dialect's own, whichever applies on `d`.
pub(crate) fn condition_for(idx: &Index, d: Dialect) -> Option<&str> {
    where_for(idx, d).or(idx.where_clause.as_ref().map(|w| w.text.as_str()))
}

/// The covering columns on `d`: the dialect's `include` option (comma-separated,
/// checked in `resolve`) replaces the portable `include (..)`.
pub(crate) fn include_for(idx: &Index, d: Dialect) -> Vec<&str> {
    match idx.options.get(d, "include") {
        Some(list) => list
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .collect(),
        None => idx.include.iter().map(Ident::as_str).collect(),
    }
}

/// `schema.name` with the schema of the index's table.
fn qualify(cx: &Cx, table: &QualifiedName, name: &str) -> String {
    match &table.schema {
        Some(s) => format!(
            "{}.{}",
            cx.d.quote_ident(s.as_str()),
            cx.d.quote_ident(name)
        ),
        None => cx.d.quote_ident(name),
    }
}

/// `drop_index`: MySQL and SQL Server name the table, the others the schema.
pub(crate) fn drop_index(
    cx: &mut Cx,
    di: &DropIndex,
    applied: &Applied,
    after: &Schema,
) -> Result<(), Diagnostic> {
    let d = cx.d;
    if di.if_exists && !cx.r.index_if_exists() {
        return Err(cx.unsupported(
            Code::UnsupportedOption,
            format!("`if_exists` on drop_index is not supported on {d}"),
            di.name.span(),
        ));
    }
    let table = match (&di.table, &applied.table) {
        (Some(t), _) => t.clone(),
        (None, Some(t)) => t.clone(),
        (None, None) => {
            return Err(Diagnostic::error(
                Code::UnknownIndex,
                format!("no table owns index `{}`", di.name),
            )
            .at(di.name.span(), "write `on <table>`"))
        }
    };
    let name = cx.fit(di.name.name.as_str());
    let schema_of = QualifiedName {
        schema: di.name.schema.clone().or_else(|| table.schema.clone()),
        name: table.name.clone(),
    };
    let fks = match (applied.dropped_indexes.first(), after.table(&table)) {
        (Some(old), Some(t)) => fk_index::fks_losing_index(cx, t, &fk_index::index_key(old)),
        _ => Vec::new(),
    };
    fk_index::drop_fks(cx, &table, &fks)?;
    let concurrently = di.concurrently && cx.r.concurrent_index();
    // A clustered index is the only one SQL Server drops online; a
    // nonclustered one goes as a metadata change, and ONLINE is refused.
    let clustered = applied.dropped_indexes.first().is_some_and(|old| {
        old.options
            .get(cx.d, "clustered")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    });
    let online_ok = clustered || !cx.r.online_drop_needs_clustered();
    let ctx = context! {
        name => cx.q(&name),
        name_qualified => safe(qualify(cx, &schema_of, &name)),
        table => cx.qn(&table),
        if_exists => di.if_exists,
        concurrently,
        ..lock_options(cx, &di.options, online_ok)
    };
    cx.emit_with("drop_index", ctx, !concurrently)?;
    fk_index::add_fks(cx, &table, &fks)?;
    Ok(())
}

//! Offline autogenerate (`ddlc diff`, `ddlc check --against`): the ops that
//! bring the head schema to a declared target ([`plan`]), from the model
//! alone. Renames are never guessed: a dropped and an added table or column
//! that look alike are reported as [`Plan::hints`], and become renames only
//! when asked (`--rename old=new`). [`print`] writes ops back in the language.

mod compare;
pub mod executed;
pub mod print;
mod same;
#[cfg(test)]
mod tests;

use crate::diag::{Code, Diagnostic};
use crate::dialect::Dialect;
use crate::ir::{
    AlterColumn, AlterEnum, EnumChange, EnumPosition, Ident, Op, OpKind, QualifiedName, RenameTable,
};
use crate::schema::Schema;
use crate::source::Span;

/// What it takes to go from the head to the target.
#[derive(Debug)]
pub struct Plan {
    /// The ops, in the order to run them.
    pub ops: Vec<Op>,
    /// Likely renames seen as a drop and an add: `` `t.a` → `t.b` ``, with
    /// the `--rename` that makes each one.
    pub hints: Vec<String>,
}

/// The ops that make `head` into `target` on `dialect`, with `renames`
/// (`old=new`: `table=table2` or `table.col=col2`) applied first.
pub fn plan(
    dialect: Dialect,
    head: &Schema,
    target: &Schema,
    renames: &[String],
) -> Result<Plan, Diagnostic> {
    let mut from = head.clone();
    let mut ops = Vec::new();
    for r in renames {
        let op = Op::new(rename(r, &from, target)?, Span::NONE);
        from.apply(&op).map_err(|d| rename_error(r, &d.message))?;
        ops.push(op);
    }
    if dialect.rules().named_enum_type() {
        for kind in enum_values(&from, target) {
            let op = Op::new(kind, Span::NONE);
            if from.apply(&op).is_ok() {
                ops.push(op);
            }
        }
    }
    let rest = compare::ops(dialect, &from, target);
    let hints = hints(dialect, &from, target, &rest);
    ops.extend(rest);
    Ok(Plan { ops, hints })
}

fn rename_error(given: &str, why: &str) -> Diagnostic {
    Diagnostic::error(Code::UnknownRename, format!("`--rename {given}`: {why}"))
        .with_help("write `--rename old_table=new_table` or `--rename table.old_column=new_column`")
}

/// The op of one `--rename`: a table of the head that the target lacks, to
/// one the target has; else a column of such.
fn rename(given: &str, head: &Schema, target: &Schema) -> Result<OpKind, Diagnostic> {
    let Some((old, new)) = given.split_once('=') else {
        return Err(rename_error(
            given,
            "no `=` between the old and the new name",
        ));
    };
    let (old, new) = (old.trim(), new.trim());
    if head.tables.contains_key(old) {
        if target.tables.contains_key(old)
            || !target.tables.contains_key(new)
            || head.tables.contains_key(new)
        {
            return Err(rename_error(
                given,
                &format!("the target must have table `{new}` and not `{old}`"),
            ));
        }
        return Ok(OpKind::RenameTable(RenameTable {
            from: head.tables[old].name.clone(),
            to: Ident::synthetic(new),
        }));
    }
    let Some((table, column)) = old.rsplit_once('.') else {
        return Err(rename_error(
            given,
            &format!("the head has no table `{old}`"),
        ));
    };
    let new = new.rsplit('.').next().unwrap_or(new);
    let (Some(h), Some(t)) = (head.tables.get(table), target.tables.get(table)) else {
        return Err(rename_error(
            given,
            &format!("the head and the target must both have table `{table}`"),
        ));
    };
    if !h.columns.contains_key(column)
        || t.columns.contains_key(column)
        || !t.columns.contains_key(new)
        || h.columns.contains_key(new)
    {
        return Err(rename_error(
            given,
            &format!("`{table}` must have column `{column}` in the head only and `{new}` in the target only"),
        ));
    }
    Ok(OpKind::AlterColumn(AlterColumn {
        table: h.name.clone(),
        column: Ident::synthetic(column),
        rename: Some(Ident::synthetic(new)),
        ..AlterColumn::default()
    }))
}

/// `add_enum_value` / `drop_enum_value` for the named enum types both
/// schemas have with other values.
fn enum_values(head: &Schema, target: &Schema) -> Vec<OpKind> {
    let mut out = Vec::new();
    for (key, (old, _)) in &head.enums {
        let Some((new, _)) = target.enums.get(key) else {
            continue;
        };
        let name = QualifiedName {
            schema: None,
            name: old.name.clone(),
        };
        let name = match key.split_once('.') {
            Some((s, _)) => QualifiedName {
                schema: Some(Ident::synthetic(s)),
                ..name
            },
            None => name,
        };
        let change = |change| {
            OpKind::AlterEnum(AlterEnum {
                name: name.clone(),
                change,
                value_span: Span::NONE,
            })
        };
        for (i, v) in new
            .values
            .iter()
            .enumerate()
            .filter(|(_, v)| !old.values.contains(v))
        {
            let position = match i.checked_sub(1) {
                Some(p) => EnumPosition::After(new.values[p].clone(), Span::NONE),
                None => {
                    EnumPosition::Before(new.values.get(1).cloned().unwrap_or_default(), Span::NONE)
                }
            };
            out.push(change(EnumChange::Add(v.clone(), position)));
        }
        for v in old.values.iter().filter(|v| !new.values.contains(v)) {
            out.push(change(EnumChange::Drop(v.clone())));
        }
    }
    out
}

/// Likely renames among `ops`: in one table, a dropped and an added column
/// of the same type at the same position (or the only two of their table);
/// a dropped and a created table with the same column names.
fn hints(dialect: Dialect, from: &Schema, to: &Schema, ops: &[Op]) -> Vec<String> {
    let mut out = Vec::new();
    for (key, old) in &from.tables {
        let Some(new) = to.tables.get(key) else {
            continue;
        };
        let gone: Vec<(usize, &crate::ir::Column)> = old
            .columns
            .values()
            .enumerate()
            .filter(|(_, c)| !new.columns.contains_key(&c.name.name))
            .collect();
        let came: Vec<(usize, &crate::ir::Column)> = new
            .columns
            .values()
            .enumerate()
            .filter(|(_, c)| !old.columns.contains_key(&c.name.name))
            .collect();
        for (i, g) in &gone {
            let alike = |(j, c): &&(usize, &crate::ir::Column)| {
                same::same_type(dialect, &g.ty, &c.ty)
                    && (i == j || (gone.len() == 1 && came.len() == 1))
            };
            if let Some((_, c)) = came.iter().find(alike) {
                out.push(format!(
                    "`{key}.{}` → `{key}.{}` may be a rename (same type and position): `--rename {key}.{}={}`",
                    g.name, c.name, g.name, c.name
                ));
            }
        }
    }
    let created: Vec<&crate::ir::CreateTable> = ops
        .iter()
        .filter_map(|o| match &o.kind {
            OpKind::CreateTable(c) => Some(c),
            _ => None,
        })
        .collect();
    for (key, old) in from
        .tables
        .iter()
        .filter(|(k, _)| !to.tables.contains_key(*k))
    {
        let names: Vec<&str> = old.columns.keys().map(String::as_str).collect();
        for c in &created {
            if c.columns
                .iter()
                .map(|c| c.name.as_str())
                .eq(names.iter().copied())
            {
                out.push(format!(
                    "table `{key}` → `{}` may be a rename (same columns): `--rename {key}={}`",
                    c.name.key(),
                    c.name.key()
                ));
            }
        }
    }
    out
}

/// Replays the written `body` (an `upgrade` block's ops, as [`print`]
/// wrote them) on `head` for `dialect`, and returns what still differs from
/// `target` (nothing, unless the language cannot say it), or the problems
/// the written ops meet: the proof that the written revision reaches the target.
pub fn verify(
    dialect: Dialect,
    head: &Schema,
    target: &Schema,
    body: &str,
    naming: &crate::naming::Convention,
) -> Result<Vec<Op>, (crate::source::SourceMap, Vec<Diagnostic>)> {
    let text = format!(
        "revision \"written\" revises base message \"m\" upgrade {{\n{body}}}\ndowngrade auto\n"
    );
    let mut sources = crate::source::SourceMap::new();
    let file = sources.add("(the written revision)", text);
    let mut diags = crate::diag::Diagnostics::new();
    let Ok(revision) = crate::syntax::parse_revision(&sources, file, naming, &mut diags) else {
        return Err((sources, diags.into_vec()));
    };
    let mut schema = head.clone();
    for op in revision.for_dialect(dialect).upgrade {
        schema.apply(&op).map_err(|d| (sources.clone(), vec![d]))?;
    }
    plan(dialect, &schema, target, &[])
        .map(|p| p.ops)
        .map_err(|d| (sources, vec![d]))
}

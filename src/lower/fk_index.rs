//! Keeping foreign keys indexed where the engine indexes them itself
//! ([`crate::dialect::Rules::fk_needs_index`]: MySQL and MariaDB). InnoDB requires an index that
//! starts with a foreign key's columns; it creates one itself (named after the
//! key) when none exists, and silently drops it once another index covers the key.
//! Dropping that other index then fails ("needed in a foreign key constraint",
//! Alembic corpus 08/32/45). So such a drop is wrapped: the foreign key is
//! dropped first and re-added after, from its definition in the schema model,
//! and InnoDB creates its own index again exactly as it did at creation. An
//! explicit index in its place would outlive a later index that covers the key,
//! and upgrade -> downgrade -> upgrade would not return to the same schema.

use super::column::constraint_value;
use super::Cx;
use crate::diag::Diagnostic;
use crate::ir::{Constraint, ConstraintKind, Ident, Index, IndexPart, QualifiedName};
use crate::schema::Table;
use minijinja::context;

/// The foreign keys of `table` (as it is after the op) that lose their last
/// covering index when a key with the leading columns `dropped` (an index or a
/// unique/primary constraint, gone from `table`) goes: they must be dropped
/// before it ([`drop_fks`]) and re-added after it ([`add_fks`]).
pub(crate) fn fks_losing_index(cx: &Cx, table: &Table, dropped: &[&str]) -> Vec<Constraint> {
    if !cx.r.fk_needs_index() {
        return Vec::new();
    }
    let keys = table_keys(table);
    let mut out = Vec::new();
    for c in table.constraints.values() {
        let ConstraintKind::ForeignKey(fk) = &c.kind else {
            continue;
        };
        let cols: Vec<&str> = fk.columns.iter().map(Ident::as_str).collect();
        let covers = |key: &[&str]| key.len() >= cols.len() && key[..cols.len()] == cols[..];
        if covers(dropped) && !keys.iter().any(|k| covers(k)) {
            out.push(c.clone());
        }
    }
    out
}

/// `ALTER TABLE t DROP FOREIGN KEY fk` for each of `fks`.
pub(crate) fn drop_fks(
    cx: &mut Cx,
    table: &QualifiedName,
    fks: &[Constraint],
) -> Result<(), Diagnostic> {
    for c in fks {
        let ctx = context! {
            table => cx.qn(table),
            name => cx.cname(c.name.as_str()),
            kind => c.kind.word(),
        };
        cx.emit("drop_constraint", ctx)?;
    }
    Ok(())
}

/// `ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY ...` for each of `fks`, with
/// their full definitions (actions included).
pub(crate) fn add_fks(
    cx: &mut Cx,
    table: &QualifiedName,
    fks: &[Constraint],
) -> Result<(), Diagnostic> {
    for c in fks {
        let ctx = context! { table => cx.qn(table), constraint => constraint_value(cx, table, c)? };
        cx.emit("add_constraint", ctx)?;
    }
    Ok(())
}

/// True when dropping the foreign key `fk` leaves InnoDB's own index behind:
/// no index or key of `table` (as it is without the key), nor one of
/// `also_gone` (keys dropped in the same op, before the key), covers the
/// key's columns, so InnoDB made one, named after the key, and keeps it when
/// the key goes. The schema model has no such index, so it is dropped with the key.
pub(crate) fn leaves_implicit_index(
    cx: &Cx,
    table: &Table,
    fk: &Constraint,
    also_gone: &[Vec<&str>],
) -> bool {
    let ConstraintKind::ForeignKey(k) = &fk.kind else {
        return false;
    };
    if !cx.r.fk_needs_index() {
        return false;
    }
    let cols: Vec<&str> = k.columns.iter().map(Ident::as_str).collect();
    let covers = |key: &Vec<&str>| key.len() >= cols.len() && key[..cols.len()] == cols[..];
    !table_keys(table).iter().chain(also_gone).any(covers)
}

/// The leading plain columns of every index, primary key and unique constraint of `table`.
fn table_keys(table: &Table) -> Vec<Vec<&str>> {
    table
        .indexes
        .values()
        .map(index_key)
        .chain(table.constraints.values().filter_map(constraint_key))
        .collect()
}

/// The leading plain columns of an index (a prefix part ends them).
pub(crate) fn index_key(i: &Index) -> Vec<&str> {
    i.parts
        .iter()
        .map_while(|p| match p {
            IndexPart::Column {
                name, length: None, ..
            } => Some(name.as_str()),
            _ => None,
        })
        .collect()
}

/// The columns of a primary key or unique constraint (None for other kinds).
pub(crate) fn constraint_key(c: &Constraint) -> Option<Vec<&str>> {
    match &c.kind {
        ConstraintKind::PrimaryKey(cols) | ConstraintKind::Unique(cols) => {
            Some(cols.iter().map(Ident::as_str).collect())
        }
        _ => None,
    }
}

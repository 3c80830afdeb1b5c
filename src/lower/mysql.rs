//! MySQL / MariaDB: keeping foreign keys indexed. InnoDB requires an index that
//! starts with a foreign key's columns; it creates one itself (named after the
//! key) when none exists, and silently drops it once another index covers the key.
//! Dropping that other index then fails ("needed in a foreign key constraint",
//! Alembic corpus 08/32/45). So such a drop is wrapped: the foreign key is
//! dropped first and re-added after, from its definition in the schema model,
//! and InnoDB creates its own index again exactly as it did at creation. An
//! explicit index in its place would outlive a later index that covers the key,
//! and upgrade -> downgrade -> upgrade would not return to the same schema.

use super::column::constraint_value;
use super::{table_in, Cx};
use crate::diag::Diagnostic;
use crate::ir::{Constraint, ConstraintKind, Ident, IndexPart};
use crate::schema::{Schema, Table};
use minijinja::context;

/// The foreign keys of `old.name` that lose their last covering index when
/// `dropped` (an index or a unique/primary constraint) goes: they must be
/// dropped before it ([`drop_fks`]) and re-added after it ([`add_fks`]).
pub(crate) fn fks_losing_index(
    cx: &Cx,
    old: &Table,
    after: &Schema,
    dropped: &str,
) -> Result<Vec<Constraint>, Diagnostic> {
    if !cx.caps.fk_needs_index {
        return Ok(Vec::new());
    }
    let Some(dropped_cols) = key_columns(old, dropped) else {
        return Ok(Vec::new());
    };
    let new = table_in(after, &old.name, cx.span)?;
    let keys: Vec<Vec<&str>> = new
        .indexes
        .keys()
        .chain(new.constraints.keys())
        .filter_map(|name| key_columns(new, name))
        .collect();
    let mut out = Vec::new();
    for c in new.constraints.values() {
        let ConstraintKind::ForeignKey(fk) = &c.kind else {
            continue;
        };
        let cols: Vec<&str> = fk.columns.iter().map(Ident::as_str).collect();
        let covers = |key: &Vec<&str>| key.len() >= cols.len() && key[..cols.len()] == cols[..];
        if covers(&dropped_cols) && !keys.iter().any(covers) {
            out.push(c.clone());
        }
    }
    Ok(out)
}

/// `ALTER TABLE t DROP FOREIGN KEY fk` for each of `fks`.
pub(crate) fn drop_fks(cx: &mut Cx, table: &Table, fks: &[Constraint]) -> Result<(), Diagnostic> {
    for c in fks {
        let ctx = context! {
            table => cx.qn(&table.name),
            name => cx.cname(c.name.as_str()),
            kind => c.kind.word(),
        };
        cx.emit("drop_constraint", ctx)?;
    }
    Ok(())
}

/// `ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY ...` for each of `fks`, with
/// their full definitions (actions included).
pub(crate) fn add_fks(cx: &mut Cx, table: &Table, fks: &[Constraint]) -> Result<(), Diagnostic> {
    for c in fks {
        let ctx = context! { table => cx.qn(&table.name), constraint => constraint_value(cx, &table.name, c)? };
        cx.emit("add_constraint", ctx)?;
    }
    Ok(())
}

/// True when dropping the foreign key `fk` of `old` leaves InnoDB's own index
/// behind: no index or key of the table covers the key's columns, so InnoDB made
/// one, named after the key, and keeps it when the key goes. The schema model
/// has no such index, so it is dropped with the key.
pub(crate) fn leaves_implicit_index(cx: &Cx, old: &Table, fk: &Constraint) -> bool {
    let ConstraintKind::ForeignKey(k) = &fk.kind else {
        return false;
    };
    if !cx.caps.fk_needs_index {
        return false;
    }
    let cols: Vec<&str> = k.columns.iter().map(Ident::as_str).collect();
    !old.indexes
        .keys()
        .chain(old.constraints.keys())
        .filter_map(|name| key_columns(old, name))
        .any(|key| key.len() >= cols.len() && key[..cols.len()] == cols[..])
}

/// The leading plain columns of an index, primary key or unique constraint named `name`.
fn key_columns<'t>(table: &'t Table, name: &str) -> Option<Vec<&'t str>> {
    if let Some(i) = table.indexes.get(name) {
        let cols = i
            .parts
            .iter()
            .map_while(|p| match p {
                IndexPart::Column {
                    name, length: None, ..
                } => Some(name.as_str()),
                _ => None,
            })
            .collect();
        return Some(cols);
    }
    match &table.constraints.get(name)?.kind {
        ConstraintKind::PrimaryKey(cols) | ConstraintKind::Unique(cols) => {
            Some(cols.iter().map(Ident::as_str).collect())
        }
        _ => None,
    }
}

//! MySQL / MariaDB: keeping foreign keys indexed. InnoDB requires an index that
//! starts with a foreign key's columns; it creates one itself and silently drops
//! it once another index covers the key. Dropping that other index then fails
//! ("needed in a foreign key constraint", Alembic corpus 08/32/45), so before such
//! a drop an index named after the foreign key is created, as InnoDB would have.

use super::{index, table_in, Cx};
use crate::diag::Diagnostic;
use crate::ir::{ConstraintKind, Ident, Index, IndexPart};
use crate::schema::{Schema, Table};

/// Creates the indexes foreign keys of `old.name` would lose when `dropped`
/// (an index or a unique/primary constraint) goes.
pub(crate) fn keep_fk_indexes(
    cx: &mut Cx,
    old: &Table,
    after: &Schema,
    dropped: &str,
) -> Result<(), Diagnostic> {
    if !cx.caps.fk_needs_index {
        return Ok(());
    }
    let Some(dropped_cols) = key_columns(old, dropped) else {
        return Ok(());
    };
    let new = table_in(after, &old.name, cx.span)?;
    let keys: Vec<Vec<&str>> = new
        .indexes
        .keys()
        .chain(new.constraints.keys())
        .filter_map(|name| key_columns(new, name))
        .collect();
    for c in new.constraints.values() {
        let ConstraintKind::ForeignKey(fk) = &c.kind else {
            continue;
        };
        let cols: Vec<&str> = fk.columns.iter().map(Ident::as_str).collect();
        let covers = |key: &Vec<&str>| key.len() >= cols.len() && key[..cols.len()] == cols[..];
        if covers(&dropped_cols) && !keys.iter().any(covers) {
            let idx = Index {
                name: c.name.clone(),
                generated_name: true,
                table: new.name.clone(),
                parts: fk
                    .columns
                    .iter()
                    .map(|n| IndexPart::Column {
                        name: n.clone(),
                        desc: false,
                        length: None,
                    })
                    .collect(),
                unique: false,
                where_clause: None,
                include: Vec::new(),
                options: Default::default(),
                span: c.span,
            };
            index::emit_create(cx, &idx, false, false)?;
        }
    }
    Ok(())
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

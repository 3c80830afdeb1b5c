//! Ops in words, for `ddlc report`: one sentence per op saying what it does
//! to the schema, from the op IR (names as written, types as in the DSL), so
//! a reviewer who does not read the migration language follows the change.

use crate::ir::{AlterColumn, ConstraintKind, Downgrade, EnumChange, Op, OpKind, RowValue};
use crate::snapshot::json::{column_type_text, default_text, part_text};

/// What `op` does, in one sentence (no trailing period).
pub fn describe(op: &Op) -> String {
    match &op.kind {
        OpKind::CreateTable(t) => {
            let columns: Vec<String> = t
                .columns
                .iter()
                .map(|c| format!("{} {}", c.name, column_type_text(&c.ty)))
                .collect();
            format!("Create table {} ({})", t.name, columns.join(", "))
        }
        OpKind::DropTable(t) => format!("Drop table {} and every row in it", t.name),
        OpKind::RenameTable(t) => format!("Rename table {} to {}", t.from, t.to),
        OpKind::AddColumn(a) => {
            let c = &a.column;
            let null = if c.nullable { "null" } else { "not null" };
            let default = c
                .default
                .as_ref()
                .map(|d| format!(", default {}", default_text(d)))
                .unwrap_or_default();
            format!(
                "Add column {}.{} ({}, {null}{default})",
                a.table,
                c.name,
                column_type_text(&c.ty)
            )
        }
        OpKind::DropColumn(d) => format!("Drop column {}.{} and its data", d.table, d.column),
        OpKind::AlterColumn(a) => alter_column(a),
        OpKind::AddConstraint(a) => {
            let valid = if a.not_valid {
                " (existing rows not checked: not_valid)"
            } else {
                ""
            };
            format!(
                "Add {} on {}{valid}",
                constraint(&a.constraint.name.to_string(), &a.constraint.kind),
                a.table
            )
        }
        OpKind::DropConstraint(d) => format!("Drop constraint {} on {}", d.name, d.table),
        OpKind::ValidateConstraint(v) => format!(
            "Check the existing rows of {} against constraint {}",
            v.table, v.name
        ),
        other => more(other),
    }
}

/// The ops [`describe`] does not spell itself.
fn more(kind: &OpKind) -> String {
    match kind {
        OpKind::CreateIndex(c) => {
            let parts: Vec<String> = c.index.parts.iter().map(part_text).collect();
            let unique = if c.index.unique { "unique " } else { "" };
            let concurrently = if c.concurrently { " concurrently" } else { "" };
            format!(
                "Create {unique}index {} on {} ({}){concurrently}",
                c.index.name,
                c.index.table,
                parts.join(", ")
            )
        }
        OpKind::DropIndex(d) => format!("Drop index {}", d.name),
        OpKind::SetTableComment(c) => match &c.comment {
            Some(_) => format!("Set the comment of table {}", c.table),
            None => format!("Drop the comment of table {}", c.table),
        },
        OpKind::CreateSequence(s) => format!("Create sequence {}", s.name),
        OpKind::DropSequence(s) => format!("Drop sequence {}", s.name),
        OpKind::AlterEnum(a) => match &a.change {
            EnumChange::Add(v, _) => format!("Add value '{v}' to enum {}", a.name),
            EnumChange::Rename(from, to) => {
                format!("Rename value '{from}' of enum {} to '{to}'", a.name)
            }
            EnumChange::Drop(v) => format!("Remove value '{v}' from enum {}", a.name),
        },
        OpKind::BulkInsert(b) => format!("Insert {} row(s) into {}", b.rows.len(), b.table),
        OpKind::UpdateRows(u) => {
            let set: Vec<String> = u
                .set
                .iter()
                .map(|(c, v)| match v {
                    RowValue::Literal(_) => format!("{c} (a value)"),
                    RowValue::Expr(e) => format!("{c} = {}", e.text),
                })
                .collect();
            let rows = match &u.where_clause {
                Some(w) => format!("where {}", w.text),
                None => "in every row".to_string(),
            };
            format!("Update {} {rows}: set {}", u.table, set.join(", "))
        }
        OpKind::DeleteRows(d) => match &d.where_clause {
            Some(w) => format!("Delete rows of {} where {}", d.table, w.text),
            None => format!("Delete every row of {}", d.table),
        },
        OpKind::Execute(_) => "Run raw SQL (shown in the scripts below)".to_string(),
        OpKind::CreateView(v) => format!("Create view {}", v.name),
        OpKind::ReplaceView(v) => format!("Give view {} a new query", v.name),
        OpKind::DropView(v) => format!("Drop view {}", v.name),
        OpKind::CreateRoutine(r) => format!("Create {} {}", r.kind.word(), r.name),
        OpKind::ReplaceRoutine(r) => format!("Replace {} {}", r.kind.word(), r.name),
        OpKind::DropRoutine(r) => format!("Drop {} {}", r.kind.word(), r.name),
        _ => kind.op_name().doc().trim_end_matches('.').to_string(),
    }
}

fn constraint(name: &str, kind: &ConstraintKind) -> String {
    let columns = |c: &[crate::ir::Ident]| {
        c.iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match kind {
        ConstraintKind::PrimaryKey(c) => format!("primary key {name} ({})", columns(c)),
        ConstraintKind::Unique(c) => format!("unique constraint {name} ({})", columns(c)),
        ConstraintKind::Check(e) => format!("check constraint {name} ({})", e.text),
        ConstraintKind::ForeignKey(fk) => format!(
            "foreign key {name} ({}) referencing {} ({})",
            columns(&fk.columns),
            fk.ref_table,
            columns(&fk.ref_columns)
        ),
    }
}

fn alter_column(a: &AlterColumn) -> String {
    let mut changes = Vec::new();
    if let Some(ty) = &a.new_type {
        changes.push(format!("type to {}", column_type_text(ty)));
    }
    match a.nullable {
        Some(true) => changes.push("allow null".to_string()),
        Some(false) => changes.push("not null".to_string()),
        None => {}
    }
    match &a.default {
        Some(Some(d)) => changes.push(format!("default {}", default_text(d))),
        Some(None) => changes.push("drop the default".to_string()),
        None => {}
    }
    if let Some(comment) = &a.comment {
        changes.push(
            if comment.is_some() {
                "comment"
            } else {
                "drop the comment"
            }
            .to_string(),
        );
    }
    if let Some(identity) = &a.identity {
        changes.push(
            if identity.is_some() {
                "identity"
            } else {
                "drop identity"
            }
            .to_string(),
        );
    }
    let column = format!("{}.{}", a.table, a.column);
    match (&a.rename, changes.is_empty()) {
        (Some(to), true) => format!("Rename column {column} to {to}"),
        (Some(to), false) => format!(
            "Change column {column}: {}; rename to {to}",
            changes.join(", ")
        ),
        (None, _) => format!("Change column {column}: {}", changes.join(", ")),
    }
}

/// How the revision is undone, in words.
pub fn downgrade(downgrade: &Downgrade) -> String {
    match downgrade {
        Downgrade::Auto(_) => "derived from the upgrade (downgrade auto)".to_string(),
        Downgrade::Ops(ops) => format!("written by hand ({} op(s))", ops.len()),
        Downgrade::Irreversible { reason, .. } => format!("irreversible: {reason}"),
    }
}

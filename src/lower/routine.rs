//! Functions, procedures and triggers: `create_*` runs the author's SQL for
//! the dialect (as `execute` does, a procedural block kept whole), `drop_*`
//! is spelled by the templates, and `replace_*` drops and creates, unless
//! the new SQL replaces by itself (`CREATE OR REPLACE`, `CREATE OR ALTER`).
//! A dialect the object has no SQL for has no such object: its ops do
//! nothing there but say so.

use super::data::{self, statements};
use super::Cx;
use crate::diag::{Code, Diagnostic};
use crate::ir::{DropRoutine, OpKind, Routine, RoutineKind, SqlText};
use crate::schema::{Applied, Schema};
use minijinja::context;

/// The SQL `r` has for the dialect.
fn body<'r>(cx: &Cx, r: &'r Routine) -> Option<&'r SqlText> {
    cx.d.pick(&r.bodies.variants).or(r.bodies.default.as_ref())
}

/// A note that `r` does not exist on this dialect.
fn absent(cx: &mut Cx, r: &Routine) {
    cx.note(&format!(
        "{} `{}` has no SQL for {}: nothing to do here",
        r.kind.word(),
        r.name,
        cx.d
    ));
}

/// `create_*`.
pub(crate) fn create(cx: &mut Cx, r: &Routine) -> Result<(), Diagnostic> {
    let Some(b) = body(cx, r) else {
        absent(cx, r);
        return Ok(());
    };
    if r.kind != RoutineKind::Trigger && !cx.r.stored_routines() {
        let what = format!("{} has no stored {}s", cx.d, r.kind.word());
        return Err(cx
            .unsupported(Code::UnsupportedOp, what, b.span)
            .with_help(format!("give `{}` no SQL for {}", r.name, cx.d)));
    }
    data::execute(cx, &r.bodies)
}

/// `drop_*`, for the routine as the model kept it (the op's inverse).
pub(crate) fn drop(cx: &mut Cx, d: &DropRoutine, applied: &Applied) -> Result<(), Diagnostic> {
    let old = inverse_routine(applied);
    match old {
        Some(old) if body(cx, old).is_none() => {
            absent(cx, old);
            Ok(())
        }
        _ => emit_drop(cx, d.kind, &d.name, d.table.as_ref()),
    }
}

/// `replace_*`: the old SQL is the op's inverse.
pub(crate) fn replace(cx: &mut Cx, r: &Routine, applied: &Applied) -> Result<(), Diagnostic> {
    let had = inverse_routine(applied).is_some_and(|old| body(cx, old).is_some());
    let Some(b) = body(cx, r) else {
        if had {
            return emit_drop(cx, r.kind, &r.name, r.table.as_ref());
        }
        absent(cx, r);
        return Ok(());
    };
    let in_place = statements(&b.text, cx.d).ok().is_some_and(|s| {
        s.first().is_some_and(|s| {
            let w: Vec<&str> = s.words.iter().map(String::as_str).collect();
            w.starts_with(&["CREATE", "OR", "REPLACE"]) || w.starts_with(&["CREATE", "OR", "ALTER"])
        })
    });
    if had && !in_place {
        emit_drop(cx, r.kind, &r.name, r.table.as_ref())?;
    }
    create(cx, r)
}

/// Creates again, after a SQLite rebuild of the table `key`, the triggers
/// of the model on it (dropping the old table dropped them).
pub(crate) fn recreate_triggers(cx: &mut Cx, after: &Schema, key: &str) -> Result<(), Diagnostic> {
    for t in after.triggers_on(key) {
        if body(cx, t).is_some() {
            data::execute(cx, &t.bodies)?;
        }
    }
    Ok(())
}

/// The routine an op's inverse creates or restores: the one as it was.
fn inverse_routine(applied: &Applied) -> Option<&Routine> {
    let ops = applied.inverse.as_ref().ok()?;
    ops.iter().find_map(|op| match &op.kind {
        OpKind::CreateRoutine(r) | OpKind::ReplaceRoutine(r) => Some(r),
        _ => None,
    })
}

fn emit_drop(
    cx: &mut Cx,
    kind: RoutineKind,
    name: &crate::ir::QualifiedName,
    table: Option<&crate::ir::QualifiedName>,
) -> Result<(), Diagnostic> {
    let template = match kind {
        RoutineKind::Function => "drop_function",
        RoutineKind::Procedure => "drop_procedure",
        RoutineKind::Trigger => "drop_trigger",
    };
    let table = table.map(|t| cx.qn(t));
    let ctx = context! { name => cx.qn(name), table => super::opt(table) };
    cx.emit(template, ctx)
}

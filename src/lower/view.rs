//! Views: `create_view`, `replace_view`, `drop_view`, and the views a SQLite
//! rebuild drops and creates again around the table it rebuilds. A view's
//! query is a fragment, spelled for the dialect like any other (quoted names
//! re-quoted, literals re-escaped).

use super::Cx;
use crate::diag::Diagnostic;
use crate::ir::{CreateView, DropView, QualifiedName};
use crate::schema::{Schema, View};
use minijinja::context;

/// `create_view`.
pub(crate) fn create_view(cx: &mut Cx, cv: &CreateView) -> Result<(), Diagnostic> {
    emit_create(cx, &cv.name, &cv.query, false)
}

/// `replace_view`: one statement where the dialect replaces a view in
/// place; else the views that read it are dropped (last first), the view
/// is dropped and created with its new query, and they are created again.
pub(crate) fn replace_view(cx: &mut Cx, cv: &CreateView, after: &Schema) -> Result<(), Diagnostic> {
    if cx.r.replaces_view_in_place() {
        return emit_create(cx, &cv.name, &cv.query, true);
    }
    let readers = after.views_over(&cv.name.key());
    drop_all(cx, &readers)?;
    emit_drop(cx, &cv.name)?;
    emit_create(cx, &cv.name, &cv.query, false)?;
    create_all(cx, &readers)
}

/// `drop_view`.
pub(crate) fn drop_view(cx: &mut Cx, dv: &DropView) -> Result<(), Diagnostic> {
    emit_drop(cx, &dv.name)
}

/// Drops `views` (given in creation order), the last first.
pub(crate) fn drop_all(cx: &mut Cx, views: &[&View]) -> Result<(), Diagnostic> {
    views.iter().rev().try_for_each(|v| emit_drop(cx, &v.name))
}

/// Creates `views` again from their queries in the model, in order.
pub(crate) fn create_all(cx: &mut Cx, views: &[&View]) -> Result<(), Diagnostic> {
    views
        .iter()
        .try_for_each(|v| emit_create(cx, &v.name, &v.query, false))
}

fn emit_create(
    cx: &mut Cx,
    name: &QualifiedName,
    query: &crate::ir::SqlExpr,
    replace: bool,
) -> Result<(), Diagnostic> {
    let query = crate::render::safe(cx.expr(query)?);
    let ctx = context! { name => cx.qn(name), query, replace };
    cx.emit("create_view", ctx)
}

fn emit_drop(cx: &mut Cx, name: &QualifiedName) -> Result<(), Diagnostic> {
    cx.emit("drop_view", context! { name => cx.qn(name) })
}

//! `not_valid` constraints and `validate_constraint`: a foreign key or check
//! added without checking the rows already there, checked later (the way to
//! add one to a big table without a long lock). Where the dialect cannot
//! defer the check ([`crate::dialect::Rules::not_valid_constraints`]), the
//! constraint is checked when it is added, and the script says so.

use super::Cx;
use crate::diag::Diagnostic;
use crate::ir::{AddConstraint, ValidateConstraint};
use minijinja::context;

/// Whether `add_constraint.sql` is to leave the rows unchecked; a note where
/// the op asks for it and the dialect checks them anyway.
pub(crate) fn not_valid(cx: &mut Cx, ac: &AddConstraint) -> bool {
    if ac.not_valid && !cx.r.not_valid_constraints() {
        cx.note(&format!(
            "`not_valid`: {} checks the rows already in `{}` when `{}` is added",
            cx.d, ac.table, ac.constraint.name
        ));
        return false;
    }
    ac.not_valid
}

/// `validate_constraint`: `validate_constraint.sql`, or a note where the
/// constraint was checked when it was added.
pub(crate) fn validate_constraint(cx: &mut Cx, v: &ValidateConstraint) -> Result<(), Diagnostic> {
    if !cx.r.not_valid_constraints() {
        cx.note(&format!(
            "`{}` was checked when it was added on {}: nothing to validate",
            v.name, cx.d
        ));
        return Ok(());
    }
    let ctx = context! { table => cx.qn(&v.table), name => cx.cname(v.name.as_str()) };
    cx.emit("validate_constraint", ctx)
}

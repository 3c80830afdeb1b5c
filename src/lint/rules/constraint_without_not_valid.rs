//! `constraint-without-not-valid`: a foreign key or CHECK added to a table
//! that existed before the revision, where the dialect can add it
//! `not_valid` (PostgreSQL) and the op does not: every row is validated while
//! a lock blocks writes.

use crate::ir::{ConstraintKind, Op, OpKind};
use crate::lint::{Cx, Hit, Rule};

/// See the module doc.
pub struct ConstraintWithoutNotValid;

impl Rule for ConstraintWithoutNotValid {
    fn id(&self) -> &'static str {
        "constraint-without-not-valid"
    }
    fn summary(&self) -> &'static str {
        "a foreign key or check added to a table that existed before the revision without `not_valid`, where the dialect has it: every row is validated under a write lock"
    }
    fn op(&self, op: &Op, cx: &Cx, out: &mut Vec<Hit>) {
        let OpKind::AddConstraint(a) = &op.kind else {
            return;
        };
        let kind = match &a.constraint.kind {
            ConstraintKind::ForeignKey(_) => "foreign key",
            ConstraintKind::Check(_) => "check",
            _ => return,
        };
        if a.not_valid || !cx.rules.not_valid_constraints() || !cx.existing(&a.table) {
            return;
        }
        out.push(
            Hit::new(
                format!("the {kind} `{}` is validated against every row of `{}` while writes wait", a.constraint.name, a.table),
                a.constraint.span,
                "added without `not_valid`",
            )
            .help(format!(
                "add it with `not_valid`, then `validate_constraint {} on {}` in a later revision (which does not block writes)",
                a.constraint.name, a.table
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::lint::testkit::of;

    const T: &str = "    create_table p {\n        id : integer primary_key\n    }\n    create_table t {\n        id : integer primary_key\n        p_id : integer\n    }";

    #[test]
    fn fires_on_postgresql_without_not_valid_only() {
        let fk = "    create_foreign_key fk_t_p on t (p_id) -> p (id)";
        assert_eq!(
            of("constraint-without-not-valid", &[T, fk], Dialect::PostgreSql),
            ["constraint-without-not-valid@0002: the foreign key `fk_t_p` is validated against every row of `t` while writes wait"]
        );
        let not_valid = format!("{fk} not_valid");
        assert!(of(
            "constraint-without-not-valid",
            &[T, &not_valid],
            Dialect::PostgreSql
        )
        .is_empty());
        assert!(of("constraint-without-not-valid", &[T, fk], Dialect::MySql).is_empty());
        let same = format!("{T}\n{fk}");
        assert!(of(
            "constraint-without-not-valid",
            &[&same],
            Dialect::PostgreSql
        )
        .is_empty());
    }
}

//! `execute-destructive`: raw SQL in `execute` that destroys data, found by
//! reading the body with sqlparser as the linted engine would: `DROP`,
//! `TRUNCATE`, and `DELETE` or `UPDATE` without `WHERE`.

use crate::ir::{Op, OpKind};
use crate::lint::{Cx, Hit, Rule};
use sqlparser::ast::Statement;

/// See the module doc.
pub struct ExecuteDestructive;

impl Rule for ExecuteDestructive {
    fn id(&self) -> &'static str {
        "execute-destructive"
    }
    fn summary(&self) -> &'static str {
        "`execute` SQL that drops objects, truncates tables, or deletes or updates every row (no WHERE)"
    }
    fn op(&self, op: &Op, cx: &Cx, out: &mut Vec<Hit>) {
        let OpKind::Execute(e) = &op.kind else { return };
        let Some((statements, span)) = super::execute_statements(e, cx) else {
            return;
        };
        for s in &statements {
            let what = match s {
                Statement::Drop {
                    object_type, names, ..
                } => {
                    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
                    format!("drops {object_type} {}", names.join(", "))
                }
                Statement::Truncate(t) => {
                    let names: Vec<String> =
                        t.table_names.iter().map(|n| n.name.to_string()).collect();
                    format!("truncates {}", names.join(", "))
                }
                Statement::Delete(d) if d.selection.is_none() => {
                    "deletes every row (DELETE without WHERE)".into()
                }
                Statement::Update(u) if u.selection.is_none() => {
                    format!("updates every row of {} (UPDATE without WHERE)", u.table)
                }
                _ => continue,
            };
            out.push(
                Hit::new(format!("raw SQL {what}"), span, "destroys data")
                    .help("prefer the checked ops (drop_table, delete_rows ... where (...)), which the model and the linter see; or suppress with the reason"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::lint::testkit::of;

    #[test]
    fn fires_on_drop_truncate_and_unbounded_dml() {
        let e = "    execute \"DROP TABLE old_t; TRUNCATE t; DELETE FROM t; UPDATE t SET a = 1; DELETE FROM t WHERE a = 2\"";
        let found = of("execute-destructive", &[e], Dialect::PostgreSql);
        assert_eq!(
            found,
            [
                "execute-destructive@0001: raw SQL drops TABLE old_t",
                "execute-destructive@0001: raw SQL truncates t",
                "execute-destructive@0001: raw SQL deletes every row (DELETE without WHERE)",
                "execute-destructive@0001: raw SQL updates every row of t (UPDATE without WHERE)",
            ]
        );
        assert!(of(
            "execute-destructive",
            &["    execute \"UPDATE t SET a = 1 WHERE b = 2\""],
            Dialect::PostgreSql
        )
        .is_empty());
    }
}

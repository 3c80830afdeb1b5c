//! `execute-unchecked`: raw SQL in `execute` that changes the schema (ALTER,
//! CREATE INDEX, ...): the model does not see it, so no lock rule can judge
//! it. Said once per statement, so the reviewer knows where the linter is blind.

use crate::ir::{Op, OpKind};
use crate::lint::{Cx, Hit, Rule};
use sqlparser::ast::Statement;

/// See the module doc.
pub struct ExecuteUnchecked;

impl Rule for ExecuteUnchecked {
    fn id(&self) -> &'static str {
        "execute-unchecked"
    }
    fn summary(&self) -> &'static str {
        "`execute` SQL that alters tables or builds indexes: the linter cannot judge its locks"
    }
    fn op(&self, op: &Op, cx: &Cx, out: &mut Vec<Hit>) {
        let OpKind::Execute(e) = &op.kind else { return };
        let Some((statements, span)) = super::execute_statements(e, cx) else {
            return;
        };
        for s in &statements {
            let what = match s {
                Statement::AlterTable(a) => format!("ALTER TABLE {}", a.name),
                Statement::CreateIndex(c) => format!("CREATE INDEX on {}", c.table_name),
                _ => continue,
            };
            out.push(
                Hit::new(format!("raw `{what}` is not checked for locks or rewrites"), span, "the linter cannot see into this")
                    .help("write it as ddlc ops (add_column, create_index ...) so the model and the linter see it"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::lint::testkit::of;

    #[test]
    fn fires_on_raw_ddl_only() {
        let e =
            "    execute \"ALTER TABLE t ADD COLUMN c integer; CREATE INDEX i ON t (c); SELECT 1\"";
        assert_eq!(
            of("execute-unchecked", &[e], Dialect::PostgreSql),
            [
                "execute-unchecked@0001: raw `ALTER TABLE t` is not checked for locks or rewrites",
                "execute-unchecked@0001: raw `CREATE INDEX on t` is not checked for locks or rewrites",
            ]
        );
    }
}

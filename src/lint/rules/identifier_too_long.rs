//! `identifier-too-long`: a name the naming convention made that is longer
//! than the dialect's identifier limit. ddlc shortens it (keeping a hash), so
//! it never fails, but the name in the database is not the convention's: a
//! tool (or a person) that derives the name from the convention will not find it.

use crate::ir::{Ident, OpKind};
use crate::lint::{Cx, Hit, Rule};

/// See the module doc.
pub struct IdentifierTooLong;

impl Rule for IdentifierTooLong {
    fn id(&self) -> &'static str {
        "identifier-too-long"
    }
    fn summary(&self) -> &'static str {
        "a constraint or index name made by the naming convention that is longer than the dialect's limit: ddlc shortens it, so it differs from the convention's"
    }
    fn op(&self, op: &crate::ir::Op, cx: &Cx, out: &mut Vec<Hit>) {
        let mut names: Vec<&Ident> = Vec::new();
        match &op.kind {
            OpKind::CreateTable(c) => {
                names.extend(
                    c.constraints
                        .iter()
                        .filter(|k| k.generated_name)
                        .map(|k| &k.name),
                );
                names.extend(
                    c.indexes
                        .iter()
                        .filter(|i| i.generated_name)
                        .map(|i| &i.name),
                );
            }
            OpKind::AddConstraint(a) if a.constraint.generated_name => {
                names.push(&a.constraint.name)
            }
            OpKind::CreateIndex(c) if c.index.generated_name => names.push(&c.index.name),
            _ => {}
        }
        let limit = cx.rules.max_ident_len();
        for name in names {
            let len = name.name.len();
            if len <= limit {
                continue;
            }
            out.push(
                Hit::new(
                    format!("the generated name `{name}` is {len} bytes, over {}'s {limit}: ddlc shortens it", cx.dialect.name()),
                    op.span,
                    "its generated name is too long here",
                )
                .help("give the constraint or index a shorter name of its own"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::lint::testkit::of;

    #[test]
    fn fires_on_a_generated_name_over_the_limit_only() {
        let long = "c".repeat(60);
        let t = format!("    create_table t {{\n        id : integer primary_key\n        {long} : integer unique\n    }}");
        let found = of("identifier-too-long", &[&t], Dialect::PostgreSql);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains(&format!("`uq_t_{long}` is 65 bytes, over postgresql's 63")),
            "{found:?}"
        );
        assert!(of("identifier-too-long", &[&t], Dialect::MsSql).is_empty());
    }
}

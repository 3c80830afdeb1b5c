//! `foreign-key-without-index`: a foreign key added by the revision whose
//! columns no index (or primary key or unique constraint) of the table starts
//! with, once the revision is done, where the engine does not make one itself
//! (MySQL and MariaDB do): deleting or updating a parent row then scans the
//! whole child table, and joins on the key do too.

use crate::ir::{Constraint, ConstraintKind, IndexPart, OpKind};
use crate::lint::{Hit, RevisionCx, Rule};
use crate::schema::Table;

/// See the module doc.
pub struct ForeignKeyWithoutIndex;

impl Rule for ForeignKeyWithoutIndex {
    fn id(&self) -> &'static str {
        "foreign-key-without-index"
    }
    fn summary(&self) -> &'static str {
        "a foreign key added by the revision that no index starts with at its end, where the engine makes none itself: each parent delete or update scans the child table"
    }
    fn revision(&self, cx: &RevisionCx, out: &mut Vec<Hit>) {
        if cx.rules.fk_needs_index() {
            return;
        }
        for op in cx.ops {
            let (table, constraints): (_, Vec<&Constraint>) = match &op.kind {
                OpKind::CreateTable(c) => (&c.name, c.constraints.iter().collect()),
                OpKind::AddConstraint(a) => (&a.table, vec![&a.constraint]),
                _ => continue,
            };
            // Renamed or dropped later in the revision: judged where it ends up, or not at all.
            let Some(t) = cx.after.table(table) else {
                continue;
            };
            for c in constraints {
                let ConstraintKind::ForeignKey(fk) = &c.kind else {
                    continue;
                };
                if t.constraint(c.name.as_str()).is_none() || covered(t, &fk.columns) {
                    continue;
                }
                let cols: Vec<&str> = fk.columns.iter().map(|c| c.as_str()).collect();
                out.push(
                    Hit::new(
                        format!(
                            "no index of `{table}` starts with the foreign key's columns ({})",
                            cols.join(", ")
                        ),
                        c.span,
                        "this foreign key has no index",
                    )
                    .help(format!(
                        "create_index on {table} ({}) in the same revision",
                        cols.join(", ")
                    )),
                );
            }
        }
    }
}

/// True when an index, the primary key or a unique constraint of `t` starts
/// with `columns` (in any order).
fn covered(t: &Table, columns: &[crate::ir::Ident]) -> bool {
    let leads = |lead: Vec<&str>| {
        lead.len() >= columns.len()
            && columns
                .iter()
                .all(|c| lead[..columns.len()].contains(&c.as_str()))
    };
    let by_index = t.indexes.values().any(|i| {
        i.where_clause.is_none()
            && leads(
                i.parts
                    .iter()
                    .map_while(|p| match p {
                        IndexPart::Column { name, .. } => Some(name.as_str()),
                        IndexPart::Expr(_) => None,
                    })
                    .collect(),
            )
    });
    by_index
        || t.constraints.values().any(|c| match &c.kind {
            ConstraintKind::PrimaryKey(cols) | ConstraintKind::Unique(cols) => {
                leads(cols.iter().map(|c| c.as_str()).collect())
            }
            _ => false,
        })
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::lint::testkit::of;

    const P: &str = "    create_table p {\n        id : integer primary_key\n    }";

    #[test]
    fn fires_without_an_index_where_the_engine_makes_none() {
        let t = format!("{P}\n    create_table t {{\n        id : integer primary_key\n        p_id : integer references p (id)\n    }}");
        assert_eq!(
            of("foreign-key-without-index", &[&t], Dialect::PostgreSql),
            ["foreign-key-without-index@0001: no index of `t` starts with the foreign key's columns (p_id)"]
        );
        assert!(of("foreign-key-without-index", &[&t], Dialect::MySql).is_empty());
        let indexed = format!("{t}\n    create_index ix_t_p on t (p_id)");
        assert!(of(
            "foreign-key-without-index",
            &[&indexed],
            Dialect::PostgreSql
        )
        .is_empty());
    }
}

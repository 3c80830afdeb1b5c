//! `index-without-concurrently`: an index created or dropped on a table that
//! existed before the revision without `concurrently`, where the dialect has
//! it (PostgreSQL): writes to the table wait for the whole build.

use crate::ir::{Op, OpKind, QualifiedName};
use crate::lint::{Cx, Hit, Rule};
use crate::source::Span;

/// See the module doc.
pub struct IndexWithoutConcurrently;

impl Rule for IndexWithoutConcurrently {
    fn id(&self) -> &'static str {
        "index-without-concurrently"
    }
    fn summary(&self) -> &'static str {
        "`create_index` / `drop_index` on a table that existed before the revision without `concurrently`, where the dialect has it: writes wait for the whole build"
    }
    fn op(&self, op: &Op, cx: &Cx, out: &mut Vec<Hit>) {
        if !cx.rules.concurrent_index() {
            return;
        }
        let (verb, table, span): (&str, QualifiedName, Span) = match &op.kind {
            OpKind::CreateIndex(c) if !c.concurrently => {
                ("building", c.index.table.clone(), c.index.name.span)
            }
            OpKind::DropIndex(d) if !d.concurrently => {
                let Some((t, _)) = cx.before.index(&d.name) else {
                    return;
                };
                ("dropping", t.name.clone(), d.name.span())
            }
            _ => return,
        };
        if !cx.existing(&table) {
            return;
        }
        out.push(
            Hit::new(
                format!("{verb} an index without `concurrently` blocks writes to `{table}` until it is done"),
                span,
                "without `concurrently`",
            )
            .help("write `concurrently` (ddlc runs it outside the transaction); a failed concurrent build leaves an invalid index to drop"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::lint::testkit::{of, T};

    #[test]
    fn fires_on_postgresql_for_an_existing_table_only() {
        let pg = Dialect::PostgreSql;
        let ix = "    create_index ix_t_c on t (c)";
        assert_eq!(
            of("index-without-concurrently", &[T, ix], pg),
            ["index-without-concurrently@0002: building an index without `concurrently` blocks writes to `t` until it is done"]
        );
        let both = format!("{ix}\n");
        assert_eq!(
            of(
                "index-without-concurrently",
                &[T, &both, "    drop_index ix_t_c"],
                pg
            )
            .len(),
            2
        );
        assert!(of(
            "index-without-concurrently",
            &[T, "    create_index ix_t_c on t (c) concurrently"],
            pg
        )
        .is_empty());
        assert!(of("index-without-concurrently", &[T, ix], Dialect::Sqlite).is_empty());
        let same = format!("{T}\n{ix}");
        assert!(of("index-without-concurrently", &[&same], pg).is_empty());
    }
}

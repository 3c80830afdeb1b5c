//! `volatile-default`: `add_column` to a table that existed before the
//! revision with a default that is computed per row (`random()`,
//! `gen_random_uuid()`, `clock_timestamp()`, a sequence's next value), where
//! that makes the engine rewrite the table (PostgreSQL 11+ adds a constant or
//! stable default, `now()` included, without touching the rows). With
//! `[lint.versions]` naming an older version, any default fires.

use crate::ir::{DefaultValue, Op, OpKind};
use crate::lint::{Cx, Hit, Rule};

/// See the module doc.
pub struct VolatileDefault;

/// PostgreSQL's volatile functions a default is likely to call.
const VOLATILE: &[&str] = &[
    "random",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v4",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "setseed",
];

impl Rule for VolatileDefault {
    fn id(&self) -> &'static str {
        "volatile-default"
    }
    fn summary(&self) -> &'static str {
        "`add_column` with a default computed per row (random(), gen_random_uuid(), nextval) to a table that existed before the revision, where that rewrites the table"
    }
    fn op(&self, op: &Op, cx: &Cx, out: &mut Vec<Hit>) {
        let OpKind::AddColumn(a) = &op.kind else {
            return;
        };
        if !cx.rules.volatile_default_rewrites() || !cx.existing(&a.table) {
            return;
        }
        let old = match (cx.version, cx.rules.constant_default_in_place_since()) {
            (Some(have), Some(since)) if have < since => Some(have),
            _ => None,
        };
        let (span, why) = match (&a.column.default, old) {
            (Some(DefaultValue::NextVal(name)), _) => {
                (name.span(), "is computed per row".to_string())
            }
            (Some(DefaultValue::Expr(e)), _) if calls_volatile(&e.text) => {
                (e.span, "is computed per row".to_string())
            }
            (Some(DefaultValue::Literal(crate::ir::Literal::Null)) | None, _) => return,
            (Some(_), Some(have)) => (
                op.span,
                format!("is written into every row on {} {have}", cx.dialect.name()),
            ),
            _ => return,
        };
        out.push(
            Hit::new(
                format!("the default of `{}.{}` {why}: the whole table is rewritten under an exclusive lock", a.table, a.column.name),
                span,
                "a default that rewrites the table",
            )
            .help("add the column without a default, set the default in a later `alter_column`, and backfill the rows in batches"),
        );
    }
}

/// True when `text` calls one of [`VOLATILE`] (`name(` as a whole word).
fn calls_volatile(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    VOLATILE.iter().any(|f| {
        lower.match_indices(f).any(|(at, _)| {
            let before = lower[..at].chars().next_back();
            let after = lower[at + f.len()..].trim_start().starts_with('(');
            after && !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        })
    })
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::lint::testkit::of;

    const T: &str = "    create_table t {\n        id : integer primary_key\n    }";

    #[test]
    fn fires_on_a_volatile_default_of_an_existing_table_on_postgresql() {
        let add = "    add_column t.k : uuid default (gen_random_uuid())";
        assert_eq!(
            of("volatile-default", &[T, add], Dialect::PostgreSql),
            ["volatile-default@0002: the default of `t.k` is computed per row: the whole table is rewritten under an exclusive lock"]
        );
        assert!(of(
            "volatile-default",
            &[T, "    add_column t.at : timestamp default now()"],
            Dialect::PostgreSql
        )
        .is_empty());
        assert!(of(
            "volatile-default",
            &[T, "    add_column t.r : double default (my_random())"],
            Dialect::PostgreSql
        )
        .is_empty());
        assert!(of("volatile-default", &[T, add], Dialect::MySql).is_empty());
        let constant = "    add_column t.n : integer default 0";
        assert!(of("volatile-default", &[T, constant], Dialect::PostgreSql).is_empty());
        let old = crate::lint::testkit::with_settings(
            &format!(
                "[lint.versions]\npostgresql = 10\n{}",
                crate::lint::testkit::TIMEOUT
            ),
            &[T, constant],
            Dialect::PostgreSql,
        );
        assert_eq!(
            old,
            ["volatile-default@0002: the default of `t.n` is written into every row on postgresql 10: the whole table is rewritten under an exclusive lock"]
        );
        let same = format!("{T}\n{add}");
        assert!(of("volatile-default", &[&same], Dialect::PostgreSql).is_empty());
    }
}

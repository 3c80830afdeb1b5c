//! `index-not-online`: an index built or dropped on a table that existed
//! before the revision without the dialect's online option (MySQL and
//! MariaDB `lock = none`, SQL Server and Oracle `online = true`): the
//! sibling of `index-without-concurrently` where online is an option.

use crate::ir::{DialectOptions, Op, OpKind, QualifiedName};
use crate::lint::{Cx, Hit, Rule};
use crate::source::Span;

/// See the module doc.
pub struct IndexNotOnline;

impl Rule for IndexNotOnline {
    fn id(&self) -> &'static str {
        "index-not-online"
    }
    fn summary(&self) -> &'static str {
        "`create_index` / `drop_index` on a table that existed before the revision without `mysql.lock = none`, `mssql.online = true` or `oracle.online = true`: writes may wait for the whole build"
    }
    fn op(&self, op: &Op, cx: &Cx, out: &mut Vec<Hit>) {
        let Some((key, value)) = cx.rules.online_index() else {
            return;
        };
        let online = |o: &DialectOptions| {
            o.get(cx.dialect, key)
                .is_some_and(|v| v.eq_ignore_ascii_case(value))
        };
        let (verb, table, span): (&str, QualifiedName, Span) = match &op.kind {
            OpKind::CreateIndex(c) if !online(&c.index.options) => {
                ("building", c.index.table.clone(), c.index.name.span)
            }
            OpKind::DropIndex(d) if !online(&d.options) => {
                let Some((t, idx)) = cx.before.index(&d.name) else {
                    return;
                };
                let clustered = idx
                    .options
                    .get(cx.dialect, "clustered")
                    .is_some_and(|v| v.eq_ignore_ascii_case("true"));
                // A nonclustered index goes as a metadata change there.
                if cx.rules.online_drop_needs_clustered() && !clustered {
                    return;
                }
                ("dropping", t.name.clone(), d.name.span())
            }
            _ => return,
        };
        if !cx.existing(&table) {
            return;
        }
        // MariaDB takes MySQL's options (`Dialect::parent`).
        let owner = cx.dialect.parent().unwrap_or(cx.dialect);
        let option = format!("{owner}.{key} = {value}");
        out.push(
            Hit::new(
                format!("{verb} an index without `{option}` may block writes to `{table}` until it is done"),
                span,
                format!("without `{option}`"),
            )
            .help(format!("write `{option}`: the engine then builds it while writes go on, or fails at once where it cannot")),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::lint::testkit::{of, T};

    const ID: &str = "index-not-online";

    #[test]
    fn fires_where_online_is_an_option_for_an_existing_table_only() {
        let ix = "    create_index ix_t_c on t (c)";
        for d in [
            Dialect::MySql,
            Dialect::MariaDb,
            Dialect::MsSql,
            Dialect::Oracle,
        ] {
            assert_eq!(of(ID, &[T, ix], d).len(), 1, "{d}");
            let same = format!("{T}\n{ix}");
            assert!(of(ID, &[&same], d).is_empty(), "{d}");
        }
        assert!(of(ID, &[T, ix], Dialect::PostgreSql).is_empty());
        assert!(of(ID, &[T, ix], Dialect::Sqlite).is_empty());
        let online = "    create_index ix_t_c on t (c) mysql.lock = none mssql.online = true oracle.online = true";
        for d in [Dialect::MariaDb, Dialect::MsSql, Dialect::Oracle] {
            assert!(of(ID, &[T, online], d).is_empty(), "{d}");
        }
        assert_eq!(
            of(ID, &[T, ix], Dialect::MySql),
            ["index-not-online@0002: building an index without `mysql.lock = none` may block writes to `t` until it is done"]
        );
    }

    #[test]
    fn a_drop_fires_unless_online_and_on_sql_server_only_when_clustered() {
        let both = "    create_index ix_t_c on t (c) mysql.lock = none mssql.online = true oracle.online = true\n    create_index ix_t_k on t (id, c) mssql.clustered = true mssql.online = true";
        let drops = "    drop_index ix_t_c\n    drop_index ix_t_k";
        let n = |d| {
            of(ID, &[T, both, drops], d)
                .iter()
                .filter(|f| f.contains("dropping"))
                .count()
        };
        assert_eq!(n(Dialect::MySql), 2);
        assert_eq!(n(Dialect::Oracle), 2);
        assert_eq!(n(Dialect::MsSql), 1);
        let online = "    drop_index ix_t_k mssql.online = true";
        assert!(of(ID, &[T, both, online], Dialect::MsSql).is_empty());
    }
}

//! `only (...)` qualifiers on table items and column attributes.
//!
//! An op whose items or attributes are qualified is resolved once per group
//! of dialects that see the same items ([`groups`]), from the op as that
//! group sees it ([`select`]); each resolved op carries its group
//! (`ir::Op::only`). So every check of resolution holds per dialect, and the
//! stages after it read plain ops: `ir::Revision::for_dialect` picks them.

use super::ast::{Attr, ColumnDef, OpKind, TableItem};
use crate::dialect::{Dialect, DialectSet};

/// The groups of dialects that see the same items and attributes of `op`,
/// in [`Dialect::ALL`] order; `None` when nothing in it is qualified.
pub fn groups(op: &OpKind) -> Option<Vec<DialectSet>> {
    let mut sets = Vec::new();
    match op {
        OpKind::CreateTable { items, .. } => items.iter().for_each(|i| item_sets(i, &mut sets)),
        OpKind::AddColumn { column, .. } => column_sets(column, &mut sets),
        _ => {}
    }
    if sets.is_empty() {
        return None;
    }
    let mut groups: Vec<(Vec<bool>, DialectSet)> = Vec::new();
    for d in Dialect::ALL {
        let key: Vec<bool> = sets.iter().map(|s| s.contains(d)).collect();
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, set)) => *set = set.with(d),
            None => groups.push((key, DialectSet::one(d))),
        }
    }
    Some(groups.into_iter().map(|(_, set)| set).collect())
}

fn item_sets(item: &TableItem, sets: &mut Vec<DialectSet>) {
    match item {
        TableItem::Only(only, inner) => {
            sets.push(only.dialects);
            item_sets(inner, sets);
        }
        TableItem::Column(def) => column_sets(def, sets),
        _ => {}
    }
}

fn column_sets(def: &ColumnDef, sets: &mut Vec<DialectSet>) {
    for (attr, _) in &def.attrs {
        let mut attr = attr;
        while let Attr::Only(only, inner) = attr {
            sets.push(only.dialects);
            attr = inner;
        }
    }
}

/// `op` as `dialect` sees it: the qualified items and attributes that apply
/// to it, unqualified, and none of the others.
pub fn select(op: &OpKind, dialect: Dialect) -> OpKind {
    let mut op = op.clone();
    match &mut op {
        OpKind::CreateTable { items, .. } => {
            *items = std::mem::take(items)
                .into_iter()
                .filter_map(|i| select_item(i, dialect))
                .collect();
        }
        OpKind::AddColumn { column, .. } => select_column(column, dialect),
        _ => {}
    }
    op
}

fn select_item(item: TableItem, dialect: Dialect) -> Option<TableItem> {
    match item {
        TableItem::Only(only, inner) => only
            .dialects
            .contains(dialect)
            .then(|| select_item(*inner, dialect))
            .flatten(),
        TableItem::Column(mut def) => {
            select_column(&mut def, dialect);
            Some(TableItem::Column(def))
        }
        other => Some(other),
    }
}

fn select_column(def: &mut ColumnDef, dialect: Dialect) {
    def.attrs = std::mem::take(&mut def.attrs)
        .into_iter()
        .filter_map(|(attr, span)| select_attr(attr, dialect).map(|a| (a, span)))
        .collect();
}

fn select_attr(attr: Attr, dialect: Dialect) -> Option<Attr> {
    match attr {
        Attr::Only(only, inner) => only
            .dialects
            .contains(dialect)
            .then(|| select_attr(*inner, dialect))
            .flatten(),
        other => Some(other),
    }
}

#[cfg(test)]
mod tests {
    use crate::diag::{Code, Diagnostic, Diagnostics};
    use crate::dialect::{Dialect, DialectSet};
    use crate::ir::{OpKind, Revision};
    use crate::naming::Convention;
    use crate::source::SourceMap;

    fn parse(ops: &str) -> Result<Revision, Vec<Diagnostic>> {
        let text = format!(
            "revision \"a1\"\nrevises base\nmessage \"m\"\nupgrade {{\n{ops}\n}}\ndowngrade auto\n"
        );
        let mut map = SourceMap::new();
        let file = map.add("t.mig", &text);
        let mut diags = Diagnostics::new();
        super::super::parse_revision(&map, file, &Convention::default(), &mut diags)
            .map_err(|_| diags.into_vec())
    }

    fn names(rev: &Revision, d: Dialect) -> Vec<&'static str> {
        rev.for_dialect(d)
            .upgrade
            .iter()
            .map(|op| op.kind.name())
            .collect()
    }

    #[test]
    fn an_only_block_and_its_else_split_the_dialects() {
        let rev = parse(
            "only (postgresql) {\n create_index ix on t (a) where (a > 0)\n} else {\n \
             create_index ix on t (a)\n}\n\
             only (postgresql, sqlite) { only (sqlite) { drop_table u } }",
        )
        .expect("parses");
        let pg = DialectSet::one(Dialect::PostgreSql);
        let sets: Vec<_> = rev.upgrade.iter().map(|op| op.only).collect();
        assert_eq!(
            sets,
            [
                Some(pg),
                Some(pg.complement()),
                Some(DialectSet::one(Dialect::Sqlite))
            ]
        );
        let partial = |d| match &rev.for_dialect(d).upgrade[0].kind {
            OpKind::CreateIndex(c) => c.index.where_clause.is_some(),
            other => panic!("{other:?}"),
        };
        assert!(partial(Dialect::PostgreSql) && !partial(Dialect::MariaDb));
        assert_eq!(names(&rev, Dialect::Sqlite), ["create_index", "drop_table"]);
        assert_eq!(names(&rev, Dialect::PostgreSql), ["create_index"]);
    }

    #[test]
    fn qualified_items_and_attributes_give_one_op_per_group() {
        let rev = parse(
            "create_table flag {\n id : integer only(postgresql) identity(start 100) \
             only(sqlite, mysql) autoincrement primary_key\n on : boolean not_null\n \
             only(sqlite, mysql) check (on in (0, 1))\n}",
        )
        .expect("parses");
        // {postgresql}, {sqlite, mysql}, and the rest, which see neither.
        assert_eq!(rev.upgrade.len(), 3);
        let table = |d| match rev.for_dialect(d).upgrade.into_iter().next() {
            Some(op) => match op.kind {
                OpKind::CreateTable(t) => t,
                other => panic!("{other:?}"),
            },
            None => panic!("no op for {d}"),
        };
        let pg = table(Dialect::PostgreSql);
        let start = pg.columns[0].identity.as_ref().and_then(|i| i.start);
        assert_eq!((start, pg.constraints.len()), (Some(100), 1));
        let sqlite = table(Dialect::Sqlite);
        assert!(sqlite.columns[0]
            .identity
            .as_ref()
            .is_some_and(|i| i.start.is_none()));
        assert_eq!(sqlite.constraints.len(), 2, "{:?}", sqlite.constraints);
        assert!(table(Dialect::MsSql).columns[0].identity.is_none());
    }

    #[test]
    fn a_qualifier_after_primary_key_is_no_constraint_name() {
        let rev = parse(
            "create_table t {\n id : integer primary_key only(postgresql) identity(start 5)\n}",
        )
        .expect("parses");
        let pg = rev.for_dialect(Dialect::PostgreSql);
        let OpKind::CreateTable(t) = &pg.upgrade[0].kind else {
            panic!("{pg:?}");
        };
        assert_eq!(
            t.columns[0].identity.as_ref().and_then(|i| i.start),
            Some(5)
        );
        assert_eq!(t.constraints.len(), 1, "the primary key");
    }

    #[test]
    fn an_unknown_dialect_is_located_with_a_suggestion() {
        let errs = parse("only (postgresq) { drop_table t }").expect_err("unknown dialect");
        assert_eq!(errs[0].code, Code::UnknownDialect);
        assert!(
            errs[0].help.iter().any(|h| h.contains("postgresql")),
            "{errs:?}"
        );
        let errs = parse("add_column t.c : integer only(sqlit) not_null").expect_err("attr");
        assert_eq!(errs[0].code, Code::UnknownDialect);
    }

    #[test]
    fn a_problem_every_group_has_is_reported_once() {
        let errs = parse(
            "create_table t {\n a : integer not_null null only(sqlite) unique\n b : integer\n}",
        )
        .expect_err("conflict");
        let dup: Vec<_> = errs
            .iter()
            .filter(|d| d.code == Code::DuplicateAttribute)
            .collect();
        assert_eq!(dup.len(), 1, "{errs:?}");
    }
}

//! The ops that turn one schema into another, in an order every engine
//! takes: views and foreign keys that go are dropped first, then indexes and
//! constraints; tables are created referenced-first (a foreign key that
//! would point forward, in a cycle, is added after them all); columns are
//! added, changed and dropped; then constraints, indexes and foreign keys are
//! added, tables dropped, comments set and views created. Renames and enum
//! values are not here: `plan` applies them to the head before comparing.

use super::same::{column_changes, same_constraint, same_index};
use crate::dialect::Dialect;
use crate::ir::{
    AddColumn, AddConstraint, AlterColumn, ColumnPosition, Constraint, ConstraintKind, CreateIndex,
    CreateSequence, CreateTable, CreateView, DropColumn, DropConstraint, DropIndex, DropSequence,
    DropTable, DropView, Index, Op, OpKind, QualifiedName, SetTableComment,
};
use crate::schema::{name_in_schema, Schema, Table};
use crate::source::Span;
use indexmap::IndexSet;

/// The ops of each stage, run in field order.
#[derive(Default)]
struct Stages {
    create_sequences: Vec<OpKind>,
    drop_views: Vec<OpKind>,
    drop_foreign_keys: Vec<OpKind>,
    drop_indexes: Vec<OpKind>,
    drop_constraints: Vec<OpKind>,
    create_tables: Vec<OpKind>,
    add_columns: Vec<OpKind>,
    alter_columns: Vec<OpKind>,
    drop_columns: Vec<OpKind>,
    add_constraints: Vec<OpKind>,
    create_indexes: Vec<OpKind>,
    add_foreign_keys: Vec<OpKind>,
    drop_tables: Vec<OpKind>,
    drop_sequences: Vec<OpKind>,
    comments: Vec<OpKind>,
    create_views: Vec<OpKind>,
}

impl Stages {
    fn into_ops(self) -> Vec<Op> {
        [
            self.create_sequences,
            self.drop_views,
            self.drop_foreign_keys,
            self.drop_indexes,
            self.drop_constraints,
            self.create_tables,
            self.add_columns,
            self.alter_columns,
            self.drop_columns,
            self.add_constraints,
            self.create_indexes,
            self.add_foreign_keys,
            self.drop_tables,
            self.drop_sequences,
            self.comments,
            self.create_views,
        ]
        .into_iter()
        .flatten()
        .map(|kind| Op::new(kind, Span::NONE))
        .collect()
    }
}

/// The ops that make `from` into `to` on `dialect`.
pub fn ops(dialect: Dialect, from: &Schema, to: &Schema) -> Vec<Op> {
    let (from, to) = (canonical(dialect, from), canonical(dialect, to));
    let mut st = Stages::default();
    sequences(&from, &to, &mut st);
    views(&from, &to, &mut st);
    let new_tables: Vec<&Table> = to
        .tables
        .values()
        .filter(|t| !from.tables.contains_key(&t.name.key()))
        .collect();
    create_tables(&from, &new_tables, &mut st);
    for (key, old) in &from.tables {
        match to.tables.get(key) {
            Some(new) => table(dialect, old, new, &mut st),
            None => drop_table(old, &to, &mut st),
        }
    }
    st.into_ops()
}

/// `schema` as compared on `dialect`: where a unique index is a unique
/// constraint (MySQL), plain unique indexes become constraints; where a
/// primary key's name is not kept, it is matched as `PRIMARY`.
fn canonical(dialect: Dialect, schema: &Schema) -> Schema {
    let rules = dialect.rules();
    let mut out = schema.clone();
    for t in out.tables.values_mut() {
        if rules.unique_index_is_constraint() {
            let plain = |i: &Index| i.unique && i.where_clause.is_none() && i.include.is_empty();
            let moved: Vec<Index> = t.indexes.values().filter(|i| plain(i)).cloned().collect();
            for i in moved {
                t.indexes.shift_remove(&i.name.name);
                let columns: Option<Vec<_>> = i
                    .parts
                    .iter()
                    .map(|p| match p {
                        crate::ir::IndexPart::Column { name, .. } => Some(name.clone()),
                        crate::ir::IndexPart::Expr(_) => None,
                    })
                    .collect();
                let Some(columns) = columns else { continue };
                let c = Constraint {
                    name: i.name.clone(),
                    generated_name: i.generated_name,
                    kind: ConstraintKind::Unique(columns),
                    span: i.span,
                };
                t.constraints.insert(i.name.name.clone(), c);
            }
        }
        if !rules.primary_key_named() {
            t.constraints = std::mem::take(&mut t.constraints)
                .into_iter()
                .map(|(k, c)| match c.kind {
                    ConstraintKind::PrimaryKey(_) => ("PRIMARY".to_string(), c),
                    _ => (k, c),
                })
                .collect();
        }
    }
    out
}

/// Sequences that come and go (a changed start or step is not an op:
/// it would restart the sequence).
fn sequences(from: &Schema, to: &Schema, st: &mut Stages) {
    for (key, s) in &to.sequences {
        if !from.sequences.contains_key(key) {
            st.create_sequences
                .push(OpKind::CreateSequence(CreateSequence {
                    name: s.name.clone(),
                    start: s.start,
                    increment: s.increment,
                }));
        }
    }
    for (key, s) in &from.sequences {
        if !to.sequences.contains_key(key) {
            st.drop_sequences.push(OpKind::DropSequence(DropSequence {
                name: s.name.clone(),
            }));
        }
    }
}

fn views(from: &Schema, to: &Schema, st: &mut Stages) {
    let text = |v: &crate::schema::View| {
        v.query
            .text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_ascii_lowercase()
    };
    for (key, old) in &from.views {
        if to.views.get(key).is_none_or(|new| text(new) != text(old)) {
            st.drop_views.push(OpKind::DropView(DropView {
                name: old.name.clone(),
            }));
        }
    }
    for (key, new) in &to.views {
        if from.views.get(key).is_none_or(|old| text(new) != text(old)) {
            st.create_views.push(OpKind::CreateView(CreateView {
                name: new.name.clone(),
                query: new.query.clone(),
            }));
        }
    }
}

/// Creates `tables` referenced-first; a foreign key to a table created
/// later (a cycle) is added after every table exists.
fn create_tables(from: &Schema, tables: &[&Table], st: &mut Stages) {
    let keys: IndexSet<String> = tables.iter().map(|t| t.name.key()).collect();
    let mut done: IndexSet<String> = IndexSet::new();
    let mut left: Vec<&Table> = tables.to_vec();
    while !left.is_empty() {
        let ready = |t: &&Table| {
            t.foreign_keys().all(|fk| match &fk.kind {
                ConstraintKind::ForeignKey(f) => {
                    let r = f.ref_table.key();
                    r == t.name.key() || !keys.contains(&r) || done.contains(&r)
                }
                _ => true,
            })
        };
        // No table is ready: a cycle; the first table goes, its forward keys later.
        let next = left.iter().position(ready).unwrap_or(0);
        let t = left.remove(next);
        let mut create = t.to_create();
        create.constraints.retain(|c| {
            let forward = match &c.kind {
                ConstraintKind::ForeignKey(f) => {
                    let r = f.ref_table.key();
                    r != t.name.key()
                        && keys.contains(&r)
                        && !done.contains(&r)
                        && !from.tables.contains_key(&r)
                }
                _ => false,
            };
            if forward {
                st.add_foreign_keys.push(add_constraint(&t.name, c));
            }
            !forward
        });
        done.insert(t.name.key());
        st.create_tables.push(OpKind::CreateTable(CreateTable {
            if_not_exists: false,
            ..create
        }));
    }
}

fn add_constraint(table: &QualifiedName, c: &Constraint) -> OpKind {
    OpKind::AddConstraint(AddConstraint {
        table: table.clone(),
        constraint: c.clone(),
        not_valid: false,
    })
}

fn drop_constraint(table: &QualifiedName, c: &Constraint) -> OpKind {
    OpKind::DropConstraint(DropConstraint {
        table: table.clone(),
        name: c.name.clone(),
        convention_names: Vec::new(),
        if_exists: false,
    })
}

fn drop_index(table: &QualifiedName, i: &Index) -> OpKind {
    OpKind::DropIndex(DropIndex {
        name: name_in_schema(table, &i.name),
        table: Some(table.clone()),
        concurrently: false,
        if_exists: false,
        options: Default::default(),
    })
}

/// A table that goes, with its own foreign keys; those that point at it
/// from tables that stay are not in `to`, so [`table`] drops them first.
/// Its keys to other tables that go are dropped first too, so that the
/// tables can go in any order.
fn drop_table(old: &Table, to: &Schema, st: &mut Stages) {
    for fk in old.foreign_keys() {
        let target = match &fk.kind {
            ConstraintKind::ForeignKey(f) => f.ref_table.key(),
            _ => continue,
        };
        if target != old.name.key() && !to.tables.contains_key(&target) {
            st.drop_foreign_keys.push(drop_constraint(&old.name, fk));
        }
    }
    st.drop_tables.push(OpKind::DropTable(DropTable {
        name: old.name.clone(),
        if_exists: false,
    }));
}

/// A table in both schemas: its columns, constraints, indexes and comment.
fn table(dialect: Dialect, old: &Table, new: &Table, st: &mut Stages) {
    let name = &new.name;
    for (key, c) in &old.constraints {
        if new
            .constraints
            .get(key)
            .is_none_or(|n| !same_constraint(dialect, c, n))
        {
            let stage = match c.kind {
                ConstraintKind::ForeignKey(_) => &mut st.drop_foreign_keys,
                _ => &mut st.drop_constraints,
            };
            stage.push(drop_constraint(name, c));
        }
    }
    for (key, c) in &new.constraints {
        if old
            .constraints
            .get(key)
            .is_none_or(|o| !same_constraint(dialect, o, c))
        {
            let stage = match c.kind {
                ConstraintKind::ForeignKey(_) => &mut st.add_foreign_keys,
                _ => &mut st.add_constraints,
            };
            stage.push(add_constraint(name, c));
        }
    }
    for (key, i) in &old.indexes {
        if new
            .indexes
            .get(key)
            .is_none_or(|n| !same_index(dialect, i, n))
        {
            st.drop_indexes.push(drop_index(name, i));
        }
    }
    for (key, i) in &new.indexes {
        if old
            .indexes
            .get(key)
            .is_none_or(|o| !same_index(dialect, o, i))
        {
            st.create_indexes.push(OpKind::CreateIndex(CreateIndex {
                index: i.clone(),
                concurrently: false,
                if_not_exists: false,
            }));
        }
    }
    columns(dialect, old, new, st);
    if dialect.rules().comments_stored() && old.comment != new.comment {
        st.comments.push(OpKind::SetTableComment(SetTableComment {
            table: name.clone(),
            comment: new.comment.clone(),
        }));
    }
}

fn columns(dialect: Dialect, old: &Table, new: &Table, st: &mut Stages) {
    let name = &new.name;
    for (key, c) in &old.columns {
        if !new.columns.contains_key(key) {
            st.drop_columns.push(OpKind::DropColumn(DropColumn {
                table: name.clone(),
                column: c.name.clone(),
                if_exists: false,
            }));
        }
    }
    for (key, c) in &new.columns {
        let Some(o) = old.columns.get(key) else {
            st.add_columns.push(OpKind::AddColumn(AddColumn {
                table: name.clone(),
                column: c.clone(),
                if_not_exists: false,
                position: ColumnPosition::Last,
            }));
            continue;
        };
        let changes = column_changes(dialect, o, c);
        if changes.is_empty() {
            continue;
        }
        let has = |w: &str| changes.contains(&w);
        st.alter_columns.push(OpKind::AlterColumn(AlterColumn {
            table: name.clone(),
            column: c.name.clone(),
            new_type: has("type").then(|| c.ty.clone()),
            nullable: has("nullability").then_some(c.nullable),
            default: has("default").then(|| c.default.clone()),
            comment: has("comment").then(|| c.comment.clone()),
            identity: has("identity").then(|| c.identity.clone()),
            ..AlterColumn::default()
        }));
    }
}

//! The schema model, replayed from base on every run.
//!
//! [`Schema::apply`] checks one [`Op`] against the current state (a reference to
//! something absent, or a creation of something that exists, is a located
//! error), applies it, and returns an [`Applied`] record: what the op replaced
//! or removed (the column as it was, the constraints and indexes that went:
//! what lowering needs besides the schema after the op), enum types that came
//! into or went out of use, and the op's inverse, from which `downgrade auto`
//! is built.
//!
//! Cost: `apply` is proportional to what the op touches (a column, a
//! constraint, the constraints and indexes of a dropped column), never to the
//! number of columns of its table, the size of the whole schema or the
//! history: it copies no table, so N ops on one table, and N revisions, replay
//! in linear time.

mod apply;
mod enums;
pub mod mentions;
mod routines;
#[cfg(test)]
mod tests;
mod views;

use crate::diag::Diagnostic;
use crate::ir::{
    Column, Constraint, ConstraintKind, CreateTable, DialectOptions, EnumType, Ident, Index, Op,
    OpKind, QualifiedName, SqlExpr,
};
use indexmap::{IndexMap, IndexSet};

/// The whole database as the migrations describe it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schema {
    /// Tables by [`QualifiedName::key`], in creation order.
    pub tables: IndexMap<String, Table>,
    /// Index name key (`schema.name` or `name`) → the key of its table.
    pub index_owner: IndexMap<String, String>,
    /// Named enum types in use, by key, with the number of columns that use them.
    pub enums: IndexMap<String, (EnumType, usize)>,
    /// Sequences by key.
    pub sequences: IndexMap<String, Sequence>,
    /// Views by key, in creation order.
    pub views: IndexMap<String, View>,
    /// Functions, procedures and triggers by `<kind> <key>` (`trigger audit`),
    /// in creation order.
    pub routines: IndexMap<String, crate::ir::Routine>,
    /// Referenced table key → `(referencing table key, foreign key name)` for every
    /// foreign key that points at it (self-references included). Derived from
    /// `tables` and kept by `apply`, so that dropping or renaming a table or column
    /// finds its referrers without scanning every table.
    pub referenced_by: IndexMap<String, IndexSet<(String, String)>>,
}

/// One table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// Its name.
    pub name: QualifiedName,
    /// Columns by name, in table order.
    pub columns: IndexMap<String, Column>,
    /// Constraints by name, in creation order.
    pub constraints: IndexMap<String, Constraint>,
    /// Indexes by name, in creation order.
    pub indexes: IndexMap<String, Index>,
    /// Table comment.
    pub comment: Option<String>,
    /// Per-dialect table options (engine, charset...).
    pub options: DialectOptions,
    /// How many of `columns` are generated (`computed`): `drop_column` looks
    /// for one that uses the dropped column only when there are any, so
    /// dropping a column does not read every column of a wide table.
    pub generated_columns: usize,
}

impl Table {
    /// The table a `create_table` op describes, as written (no validation: the
    /// model checks the op when it applies it). Indexes written inside the
    /// table block belong to this table whatever their `table` field says.
    pub fn from_create(c: &CreateTable) -> Table {
        Table {
            name: c.name.clone(),
            columns: c
                .columns
                .iter()
                .map(|col| (col.name.name.clone(), col.clone()))
                .collect(),
            constraints: c
                .constraints
                .iter()
                .map(|con| (con.name.name.clone(), con.clone()))
                .collect(),
            indexes: c
                .indexes
                .iter()
                .map(|idx| {
                    let idx = Index {
                        table: c.name.clone(),
                        ..idx.clone()
                    };
                    (idx.name.name.clone(), idx)
                })
                .collect(),
            comment: c.comment.clone(),
            options: c.options.clone(),
            generated_columns: c.columns.iter().filter(|c| c.computed.is_some()).count(),
        }
    }

    /// The `create_table` op that recreates this table exactly as it is
    /// (the inverse of `drop_table`), consuming it.
    pub fn into_create(self) -> CreateTable {
        CreateTable {
            name: self.name,
            columns: self.columns.into_values().collect(),
            constraints: self.constraints.into_values().collect(),
            indexes: self.indexes.into_values().collect(),
            comment: self.comment,
            if_not_exists: false,
            options: self.options,
        }
    }

    /// The `create_table` op that recreates this table exactly as it is.
    pub fn to_create(&self) -> CreateTable {
        CreateTable {
            name: self.name.clone(),
            columns: self.columns.values().cloned().collect(),
            constraints: self.constraints.values().cloned().collect(),
            indexes: self.indexes.values().cloned().collect(),
            comment: self.comment.clone(),
            if_not_exists: false,
            options: self.options.clone(),
        }
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.get(name)
    }

    /// The constraint called `name`.
    pub fn constraint(&self, name: &str) -> Option<&Constraint> {
        self.constraints.get(name)
    }

    /// The index called `name` (bare name, without schema).
    pub fn index(&self, name: &str) -> Option<&Index> {
        self.indexes.get(name)
    }

    /// The primary key constraint, if the table has one.
    pub fn primary_key(&self) -> Option<&Constraint> {
        self.constraints
            .values()
            .find(|c| matches!(c.kind, ConstraintKind::PrimaryKey(_)))
    }

    /// The foreign keys this table declares.
    pub fn foreign_keys(&self) -> impl Iterator<Item = &Constraint> {
        self.constraints
            .values()
            .filter(|c| matches!(c.kind, ConstraintKind::ForeignKey(_)))
    }
}

/// A sequence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sequence {
    /// Its name.
    pub name: QualifiedName,
    /// First value.
    pub start: Option<i64>,
    /// Step.
    pub increment: Option<i64>,
}

/// A view: its query, and what the query reads in the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    /// Its name.
    pub name: QualifiedName,
    /// The query, as written.
    pub query: SqlExpr,
    /// Keys of the tables and views of the model that the query selects
    /// from (names it reads that the model does not have, such as a CTE's,
    /// are not listed).
    pub reads: Vec<String>,
    /// The query selects `*` or `t.*`: it reads every column of its tables.
    pub all_columns: bool,
}

/// What applying one op did, for lowering and for `downgrade auto`: what the
/// op replaced or removed, never a copy of the table (lowering reads the table
/// as it is after the op from the schema).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The table the op touched, by its name before the op (None for ops on
    /// no table or on a table the op creates).
    pub table: Option<QualifiedName>,
    /// The column as it was before the op: the one `alter_column` changed
    /// (under its old name) or `drop_column` dropped.
    pub old_column: Option<Column>,
    /// Constraints the op removed: the one `drop_constraint` dropped, or
    /// those that went with a dropped column, in table order.
    pub dropped_constraints: Vec<Constraint>,
    /// Indexes the op removed: the one `drop_index` dropped, or those that
    /// went with a dropped column, in table order.
    pub dropped_indexes: Vec<Index>,
    /// `create_table_comment` / `drop_table_comment`: the comment before.
    pub old_comment: Option<String>,
    /// Named enum types first used by this op (PostgreSQL creates them before the op).
    pub enums_created: Vec<EnumType>,
    /// Named enum types no longer used after this op (PostgreSQL drops them after the op).
    pub enums_dropped: Vec<EnumType>,
    /// `add_enum_value` and the other enum ops: the columns that use the
    /// enum, with their tables, as they were before the op.
    pub enum_columns: Vec<(QualifiedName, Column)>,
    /// The ops that undo this one, in the order to run them; or why it cannot be undone.
    pub inverse: Result<Vec<Op>, String>,
}

impl Default for Applied {
    /// An op that touched nothing and is undone by nothing.
    fn default() -> Applied {
        Applied {
            table: None,
            old_column: None,
            dropped_constraints: Vec::new(),
            dropped_indexes: Vec::new(),
            old_comment: None,
            enums_created: Vec::new(),
            enums_dropped: Vec::new(),
            enum_columns: Vec::new(),
            inverse: Ok(Vec::new()),
        }
    }
}

impl Applied {
    /// True when the op changed nothing (an `if_exists` / `if_not_exists` that
    /// found its case already true). Lowering still emits the guarded statement.
    pub fn is_noop(&self) -> bool {
        matches!(&self.inverse, Ok(v) if v.is_empty())
            && self.enums_created.is_empty()
            && self.enums_dropped.is_empty()
    }
}

/// The key of a name that lives in a table's schema (index, enum type):
/// `schema.name` when the table is schema-qualified, else `name`.
pub fn key_in_schema(table: &QualifiedName, name: &Ident) -> String {
    match &table.schema {
        Some(s) => format!("{}.{}", s.name, name.name),
        None => name.name.clone(),
    }
}

/// The qualified name of an object (index, enum type) that lives in `table`'s
/// schema: what PostgreSQL's `DROP INDEX` / `CREATE TYPE` must be given.
pub fn name_in_schema(table: &QualifiedName, name: &Ident) -> QualifiedName {
    QualifiedName {
        schema: table.schema.clone(),
        name: name.clone(),
    }
}

impl Schema {
    /// An empty database.
    pub fn new() -> Schema {
        Schema::default()
    }

    /// Checks `op` against the model, applies it, and says what it did.
    /// On error the model is unchanged.
    pub fn apply(&mut self, op: &Op) -> Result<Applied, Diagnostic> {
        let span = op.span;
        match &op.kind {
            OpKind::CreateTable(c) => self.create_table(c, span),
            OpKind::DropTable(d) => self.drop_table(d, span),
            OpKind::RenameTable(r) => self.rename_table(r, span),
            OpKind::AddColumn(a) => self.add_column(a, span),
            OpKind::DropColumn(d) => self.drop_column(d, span),
            OpKind::AlterColumn(a) => self.alter_column(a, span),
            OpKind::AddConstraint(a) => self.add_constraint(a, span),
            OpKind::DropConstraint(d) => self.drop_constraint(d, span),
            OpKind::ValidateConstraint(v) => self.validate_constraint(v, span),
            OpKind::CreateIndex(c) => self.create_index(c, span),
            OpKind::DropIndex(d) => self.drop_index(d, span),
            OpKind::SetTableComment(c) => self.set_table_comment(c, span),
            OpKind::CreateSequence(c) => self.create_sequence(c, span),
            OpKind::DropSequence(d) => self.drop_sequence(d, span),
            OpKind::AlterEnum(a) => self.alter_enum(a, span),
            OpKind::BulkInsert(b) => self.bulk_insert(b),
            OpKind::UpdateRows(u) => self.update_rows(u),
            OpKind::DeleteRows(d) => self.delete_rows(d),
            OpKind::CreateView(c) => self.create_view(c, span),
            OpKind::ReplaceView(c) => self.replace_view(c, span),
            OpKind::DropView(d) => self.drop_view(d, span),
            OpKind::CreateRoutine(r) => self.create_routine(r, span),
            OpKind::ReplaceRoutine(r) => self.replace_routine(r, span),
            OpKind::DropRoutine(d) => self.drop_routine(d, span),
            OpKind::Execute(_) => Ok(Applied {
                inverse: Err(apply::EXECUTE_IRREVERSIBLE.to_string()),
                ..Applied::default()
            }),
        }
    }

    /// The table called `name`.
    pub fn table(&self, name: &QualifiedName) -> Option<&Table> {
        self.tables.get(&name.key())
    }

    /// The index called `name` (schema-qualified where it lives in a schema),
    /// with the table it is on.
    pub fn index(&self, name: &QualifiedName) -> Option<(&Table, &Index)> {
        let table = self.tables.get(self.index_owner.get(&name.key())?)?;
        Some((table, table.indexes.get(name.name.as_str())?))
    }

    /// The constraint `name` on `table`.
    pub fn constraint(&self, table: &QualifiedName, name: &str) -> Option<&Constraint> {
        self.table(table)?.constraints.get(name)
    }

    /// The named enum type `name` (qualified with the schema of the tables
    /// that use it), while some column uses it.
    pub fn enum_type(&self, name: &QualifiedName) -> Option<&EnumType> {
        self.enums.get(&name.key()).map(|(e, _)| e)
    }

    /// How many columns use the enum type `name` (0 when none does).
    pub fn enum_uses(&self, name: &QualifiedName) -> usize {
        self.enums.get(&name.key()).map_or(0, |(_, n)| *n)
    }

    /// The sequence called `name`.
    pub fn sequence(&self, name: &QualifiedName) -> Option<&Sequence> {
        self.sequences.get(&name.key())
    }

    /// Foreign keys (in any table, this one included) that reference `table`,
    /// as `(referencing table, constraint)`: what a SQLite rebuild or a
    /// table drop has to consider.
    pub fn referencing_foreign_keys<'a>(
        &'a self,
        table: &QualifiedName,
    ) -> impl Iterator<Item = (&'a Table, &'a Constraint)> + 'a {
        self.referenced_by
            .get(&table.key())
            .into_iter()
            .flatten()
            .filter_map(|(tk, name)| {
                let t = self.tables.get(tk)?;
                Some((t, t.constraints.get(name)?))
            })
    }
}

//! The schema model, replayed from base on every run.
//!
//! [`Schema::apply`] checks one [`Op`] against the current state (a reference to
//! something absent, or a creation of something that exists, is a located
//! error), applies it, and returns an [`Applied`] record: the table as it was
//! before (what lowering needs for SQLite rebuilds, MySQL full column
//! definitions, constraint kinds), enum types that came into or went out of use,
//! and the op's inverse, from which `downgrade auto` is built.
//!
//! Cost: `apply` is proportional to the size of the table it touches, never to
//! the size of the whole schema or the history, so replaying N revisions is linear.

use crate::diag::Diagnostic;
use crate::ir::{Column, Constraint, DialectOptions, EnumType, Index, Op, QualifiedName};
use indexmap::IndexMap;

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

/// What applying one op did, for lowering and for `downgrade auto`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The table the op touched, as it was before (None for ops on no table or a new table).
    pub before: Option<Table>,
    /// Named enum types first used by this op (PostgreSQL creates them before the op).
    pub enums_created: Vec<EnumType>,
    /// Named enum types no longer used after this op (PostgreSQL drops them after the op).
    pub enums_dropped: Vec<EnumType>,
    /// The ops that undo this one, in the order to run them; or why it cannot be undone.
    pub inverse: Result<Vec<Op>, String>,
}

impl Schema {
    /// An empty database.
    pub fn new() -> Schema {
        Schema::default()
    }

    /// Checks `op` against the model, applies it, and says what it did.
    pub fn apply(&mut self, op: &Op) -> Result<Applied, Diagnostic> {
        let _ = op;
        Err(Diagnostic::error(
            "unimplemented",
            "the schema model is not written yet",
        ))
    }
}

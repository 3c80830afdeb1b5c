//! Lowering: one op, the schema around it and a dialect in; SQL statements out.
//!
//! Decides *what* to emit (rebuild a SQLite table, drop a SQL Server default
//! constraint first, carry MySQL's full column definition); the templates
//! decide how each statement is spelled.

use crate::diag::Diagnostic;
use crate::ir::Op;
use crate::render::Renderer;
use crate::schema::{Applied, Schema};

/// One SQL statement, without its terminator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stmt {
    /// The statement text.
    pub sql: String,
    /// False when the statement must run outside a transaction
    /// (PostgreSQL `CREATE INDEX CONCURRENTLY`); the script closes and reopens
    /// its transaction around it.
    pub transactional: bool,
}

/// Lowers one op that has just been applied: `applied` describes the state
/// before, `after` is the schema after the op.
pub fn lower(
    op: &Op,
    applied: &Applied,
    after: &Schema,
    renderer: &Renderer,
) -> Result<Vec<Stmt>, Diagnostic> {
    let _ = (op, applied, after, renderer);
    Err(Diagnostic::error("unimplemented", "lowering is not written yet").at(op.span, ""))
}

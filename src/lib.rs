//! ddlc: an offline SQL script compiler for schema migrations.
//!
//! ```text
//! versions/*.mig ──syntax──▶ AST ──resolve──▶ ir::Revision ──graph──▶ plan (steps)
//!      ──schema (replay from base)──▶ Applied ──lower + render (per dialect)──▶ Stmt
//!      ──script──▶ upgrade / downgrade SQL
//! ```
//!
//! Data flows one way. Problems in the user's input are [`diag::Diagnostic`]s,
//! collected and printed together; nothing is written when there is one.

// A `Diagnostic` is large, but it travels only on the error path, once per
// problem in the user's input; boxing it everywhere would buy nothing measurable.
#![allow(clippy::result_large_err)]

pub mod autogen;
pub mod check;
pub mod cli;
pub mod compile;
pub mod config;
pub mod diag;
pub mod dialect;
pub mod graph;
pub mod import;
pub mod ir;
pub mod lint;
pub mod lower;
pub mod naming;
pub mod par;
pub mod project;
pub mod release;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod schema;
pub mod script;
pub mod snapshot;
pub mod source;
pub mod stamp;
pub mod sum;
pub mod syntax;
pub mod target;
#[cfg(test)]
mod testkit;

//! The integration test binary (one binary, one link): the CLI, every op on
//! every dialect, and the example project end to end.

mod architecture;
mod baseline;
mod cli;
mod corpus_shapes;
mod data_ops;
mod doc_citations;
mod doc_examples;
mod docs;
mod engine_db;
mod engine_rules;
mod enum_ops;
mod enum_rows;
mod example;
mod hostile;
mod life;
mod lint;
mod lock_timeout;
mod mutations;
mod mysql_rename;
mod naming;
mod online_index;
mod only;
mod ops;
mod per_migration;
mod project_errors;
mod release;
mod scale;
mod snapshot;
mod sqlite_rebuild;
mod stamp;
mod support;
mod transactions;
mod views;

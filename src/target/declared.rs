//! A declared target schema in ddlc's own language: a file of the ops a
//! migration's `upgrade` block holds, only those that declare something
//! (`create_table`, `create_index`, `create_view`, `create_sequence`,
//! `create_*_constraint`, `create_table_comment`; enums are column types),
//! replayed from an empty schema. The file is read as the body of a revision
//! whose header sits on its first line, so lines keep their numbers.

use crate::diag::{Diagnostic, Diagnostics};
use crate::dialect::Dialect;
use crate::ir::OpKind;
use crate::naming::Convention;
use crate::schema::Schema;
use crate::source::SourceMap;
use camino::Utf8Path;

/// What is written before the file's first line.
const HEAD: &str = "revision \"declared\" revises base message \"declared schema\" upgrade { ";

/// The schema `text` (the file `path`) declares for `dialect`; problems are
/// located in `sources`, where the file is added.
pub fn read_declared(
    dialect: Dialect,
    path: &Utf8Path,
    text: &str,
    naming: &Convention,
    sources: &mut SourceMap,
) -> Result<Schema, Vec<Diagnostic>> {
    let wrapped = format!("{HEAD}{text}\n}}\ndowngrade irreversible \"a declared schema\"\n");
    let file = sources.add(path, wrapped);
    let mut diags = Diagnostics::new();
    let Ok(revision) = crate::syntax::parse_revision(sources, file, naming, &mut diags) else {
        return Err(diags.into_vec());
    };
    let mut schema = Schema::new();
    let mut problems = Vec::new();
    for op in revision.for_dialect(dialect).upgrade {
        let declares = matches!(
            op.kind,
            OpKind::CreateTable(_)
                | OpKind::CreateIndex(_)
                | OpKind::CreateView(_)
                | OpKind::CreateSequence(_)
                | OpKind::AddConstraint(_)
                | OpKind::SetTableComment(_)
        );
        if !declares {
            problems.push(super::unsupported(
                "a declared schema holds only what it declares: `create_*` ops",
                op.span,
            ));
            continue;
        }
        if let Err(d) = schema.apply(&op) {
            problems.push(d);
        }
    }
    if problems.is_empty() {
        Ok(schema)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declared_schema_is_read_and_only_declarations_are_taken() {
        let text = "create_table t {\n    id : integer primary_key autoincrement\n    state : enum(state: 'a', 'b') not_null\n}\ncreate_index ix_t_state on t (state)\n";
        let mut sources = SourceMap::new();
        let schema = read_declared(
            Dialect::PostgreSql,
            "s.mig".into(),
            text,
            &Convention::default(),
            &mut sources,
        )
        .unwrap_or_else(|d| {
            panic!(
                "{}",
                crate::diag::render(&d, &sources, crate::diag::Style::Plain)
            )
        });
        assert!(schema.tables["t"].indexes.contains_key("ix_t_state"));
        assert_eq!(schema.enums.len(), 1);
        let bad = format!("{text}drop_table t\n");
        let mut sources = SourceMap::new();
        let err = read_declared(
            Dialect::PostgreSql,
            "s.mig".into(),
            &bad,
            &Convention::default(),
            &mut sources,
        )
        .unwrap_err();
        let shown = crate::diag::render(&err, &sources, crate::diag::Style::Plain);
        assert!(
            shown.contains("error[unsupported-ddl]") && shown.contains("s.mig:6:1"),
            "{shown}"
        );
    }
}

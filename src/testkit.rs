//! Builders for IR values in unit tests (the schema model's and lowering's),
//! so a test reads as the schema it sets up rather than as struct literals.

use crate::ir::{
    Column, ColumnType, Constraint, ConstraintKind, Ident, QualifiedName, SqlExpr, TypeKind,
};
use crate::source::Span;

/// Where test-built objects are "written": a place in file 0, so that
/// diagnostics about them are located as if written in a file.
pub const AT: Span = Span {
    file: crate::source::FileId(0),
    start: 0,
    end: 0,
};

/// A name written in the test's file.
pub fn id(name: &str) -> Ident {
    Ident::new(name, AT)
}

/// Several names.
pub fn ids(names: &[&str]) -> Vec<Ident> {
    names.iter().map(|n| id(n)).collect()
}

/// `schema.table` or `table`.
pub fn q(name: &str) -> QualifiedName {
    match name.split_once('.') {
        Some((s, n)) => QualifiedName {
            schema: Some(id(s)),
            name: id(n),
        },
        None => QualifiedName::bare(id(name)),
    }
}

/// A nullable column with no default, identity, computation or comment.
pub fn col(name: &str, kind: TypeKind) -> Column {
    Column {
        name: id(name),
        ty: ColumnType::new(kind, AT),
        nullable: true,
        default: None,
        identity: None,
        computed: None,
        comment: None,
        span: AT,
    }
}

/// A named constraint.
pub fn constraint(name: &str, kind: ConstraintKind) -> Constraint {
    Constraint {
        name: id(name),
        generated_name: false,
        kind,
        span: AT,
    }
}

/// `PRIMARY KEY (cols)`.
pub fn pk(name: &str, cols: &[&str]) -> Constraint {
    constraint(name, ConstraintKind::PrimaryKey(ids(cols)))
}

/// `UNIQUE (cols)`.
pub fn uq(name: &str, cols: &[&str]) -> Constraint {
    constraint(name, ConstraintKind::Unique(ids(cols)))
}

/// A SQL fragment with no source location.
pub fn expr(text: &str) -> SqlExpr {
    SqlExpr {
        text: text.into(),
        span: AT,
    }
}

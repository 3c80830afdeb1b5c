//! Builders for IR values in unit tests (the schema model's and lowering's),
//! so a test reads as the schema it sets up rather than as struct literals.

use crate::ir::{
    Column, ColumnType, Constraint, ConstraintKind, Ident, QualifiedName, SqlExpr, TypeKind,
};
use crate::source::Span;

/// A name with no source location.
pub fn id(name: &str) -> Ident {
    Ident::synthetic(name)
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
        ty: ColumnType::new(kind, Span::default()),
        nullable: true,
        default: None,
        identity: None,
        computed: None,
        comment: None,
        span: Span::default(),
    }
}

/// A named constraint.
pub fn constraint(name: &str, kind: ConstraintKind) -> Constraint {
    Constraint {
        name: id(name),
        generated_name: false,
        kind,
        span: Span::default(),
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
        span: Span::default(),
    }
}

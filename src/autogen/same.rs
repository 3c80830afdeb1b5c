//! When two model objects mean the same on one dialect, whatever their
//! spelling: types are compared as the dialect's SQL type (`int4` and
//! `integer` are both `INTEGER` on PostgreSQL), defaults and SQL fragments
//! after normalisation (casts, parentheses, identifier quotes and case
//! removed: `(price >= (0)::numeric)` is `price >= 0`).

use crate::dialect::Dialect;
use crate::ir::{
    Column, ColumnType, Constraint, ConstraintKind, DefaultValue, Index, IndexPart, Literal,
    TypeKind,
};
use sqlparser::ast::{visit_expressions_mut, Expr};
use std::ops::ControlFlow;

/// The SQL type `ty` has on `dialect` (its variant there if it has one).
pub fn sql_type(dialect: Dialect, ty: &ColumnType) -> String {
    if let Some(v) = dialect.pick(&ty.variants) {
        return v.to_ascii_uppercase();
    }
    let sql = match dialect.rules().column_type(&ty.kind) {
        Ok(t) => t.sql,
        Err(_) => crate::snapshot::json::type_text(&ty.kind),
    };
    let sql = sql.to_ascii_uppercase().replace(", ", ",");
    // An enum's values are part of its type even where the SQL names only the type.
    match &ty.kind {
        TypeKind::Enum(e) => format!("{sql} {:?}", e.values),
        _ => sql,
    }
}

/// `a` and `b` store the same values on `dialect`.
pub fn same_type(dialect: Dialect, a: &ColumnType, b: &ColumnType) -> bool {
    sql_type(dialect, a) == sql_type(dialect, b)
}

/// A default, normalised: numbers without trailing zeros, fragments as [`sql_key`].
pub fn default_key(dialect: Dialect, d: Option<&DefaultValue>) -> Option<String> {
    Some(match d? {
        DefaultValue::Literal(Literal::Null) => return None,
        DefaultValue::Literal(Literal::Integer(n) | Literal::Decimal(n)) => number_key(n),
        DefaultValue::Literal(Literal::Bool(b)) => b.to_string(),
        DefaultValue::Literal(Literal::String(s)) => format!("'{s}'"),
        DefaultValue::CurrentTimestamp => "current_timestamp".into(),
        DefaultValue::CurrentDate => "current_date".into(),
        DefaultValue::NextVal(q) => format!("nextval({})", q.key()),
        DefaultValue::Expr(e) => sql_key(dialect, &e.text),
    })
}

fn number_key(n: &str) -> String {
    match n.parse::<f64>() {
        Ok(v) => v.to_string(),
        Err(_) => n.to_string(),
    }
}

/// An SQL fragment, normalised for comparison; the text itself, lower-cased,
/// when it does not parse.
pub fn sql_key(dialect: Dialect, text: &str) -> String {
    let parsed = sqlparser::parser::Parser::new(&*dialect.rules().sqlparser())
        .try_with_sql(text)
        .and_then(|mut p| p.parse_expr());
    let Ok(mut expr) = parsed else {
        return text.to_ascii_lowercase();
    };
    let _ = visit_expressions_mut(&mut expr, |e| {
        let replacement = match e {
            Expr::Nested(inner) => Some((**inner).clone()),
            // Engines add casts as they store an expression (`(priority)::text
            // = ANY ((ARRAY['a'::character varying])::text[])`), and add more
            // when it is given back: a cast is not compared.
            Expr::Cast { expr: inner, .. } => Some((**inner).clone()),
            Expr::Identifier(i) => {
                i.quote_style = None;
                None
            }
            Expr::CompoundIdentifier(parts) => {
                parts.iter_mut().for_each(|p| p.quote_style = None);
                None
            }
            _ => None,
        };
        if let Some(r) = replacement {
            *e = r;
        }
        ControlFlow::<()>::Continue(())
    });
    expr.to_string().to_ascii_lowercase()
}

/// What of a column differs, beyond its name: the words of the change.
pub fn column_changes(dialect: Dialect, a: &Column, b: &Column) -> Vec<&'static str> {
    let mut out = Vec::new();
    // An identity is the rowid there, INTEGER whatever the type says.
    let rowids =
        dialect.rules().identity_is_rowid() && a.identity.is_some() && b.identity.is_some();
    if !rowids && !same_type(dialect, &a.ty, &b.ty) {
        out.push("type");
    }
    if a.nullable != b.nullable {
        out.push("nullability");
    }
    // An identity's column has the engine's default (a sequence's nextval).
    let identity = a.identity.is_some() || b.identity.is_some();
    if !identity
        && default_key(dialect, a.default.as_ref()) != default_key(dialect, b.default.as_ref())
    {
        out.push("default");
    }
    if a.identity.as_ref().map(|i| i.always) != b.identity.as_ref().map(|i| i.always) {
        out.push("identity");
    }
    if dialect.rules().comments_stored() && a.comment != b.comment {
        out.push("comment");
    }
    let computed = |c: &Column| {
        c.computed
            .as_ref()
            .map(|k| (sql_key(dialect, &k.expr.text), k.stored))
    };
    if computed(a) != computed(b) {
        out.push("computed");
    }
    out
}

/// `a` and `b` constrain the same way (names aside).
pub fn same_constraint(dialect: Dialect, a: &Constraint, b: &Constraint) -> bool {
    match (&a.kind, &b.kind) {
        (ConstraintKind::Check(x), ConstraintKind::Check(y)) => {
            sql_key(dialect, &x.text) == sql_key(dialect, &y.text)
        }
        (ConstraintKind::ForeignKey(x), ConstraintKind::ForeignKey(y)) => {
            let action =
                |a: Option<crate::ir::FkAction>| a.filter(|a| *a != crate::ir::FkAction::NoAction);
            x.columns == y.columns
                && x.ref_table == y.ref_table
                && x.ref_columns == y.ref_columns
                && action(x.on_delete) == action(y.on_delete)
                && action(x.on_update) == action(y.on_update)
                && x.deferrable.unwrap_or(false) == y.deferrable.unwrap_or(false)
                && x.initially_deferred.unwrap_or(false) == y.initially_deferred.unwrap_or(false)
        }
        (x, y) => x == y,
    }
}

/// `a` and `b` index the same way (names aside).
pub fn same_index(dialect: Dialect, a: &Index, b: &Index) -> bool {
    let part = |p: &IndexPart| match p {
        IndexPart::Column { name, desc, .. } => format!("{name} {desc}"),
        IndexPart::Expr(e) => sql_key(dialect, &e.text),
    };
    let parts = |i: &Index| i.parts.iter().map(part).collect::<Vec<_>>();
    let filter = |i: &Index| i.where_clause.as_ref().map(|w| sql_key(dialect, &w.text));
    // The index method: btree unless said otherwise.
    let using = |i: &Index| {
        i.options
            .get(dialect, "using")
            .unwrap_or("btree")
            .to_ascii_lowercase()
    };
    a.unique == b.unique
        && parts(a) == parts(b)
        && filter(a) == filter(b)
        && a.include == b.include
        && using(a) == using(b)
        && a.options.get(dialect, "prefix") == b.options.get(dialect, "prefix")
}

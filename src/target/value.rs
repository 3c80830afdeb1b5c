//! A dump's SQL types and DEFAULT expressions as the model's portable
//! [`TypeKind`]s and [`DefaultValue`]s; what has no portable form stays SQL
//! (`raw(..)`, `default (..)`).

use crate::dialect::Dialect;
use crate::ir::{DefaultValue, EnumType, Ident, Literal, SqlExpr, TypeKind};
use crate::source::Span;
use indexmap::IndexMap;
use sqlparser::ast::{DataType, Expr, UnaryOperator, Value};

/// The portable type of `ty`: an enum type of `enums` (by bare name) when it
/// names one, the dialect's reading of its name, else `raw("SQL")`.
pub fn type_kind(
    dialect: Dialect,
    ty: &DataType,
    enums: &IndexMap<String, Vec<String>>,
    column: &str,
) -> TypeKind {
    let sql = ty.to_string();
    if let DataType::Enum(members, _) = ty {
        let values = members.iter().map(enum_member).collect();
        return TypeKind::Enum(EnumType {
            name: Ident::synthetic(column),
            values,
        });
    }
    let bare = sql.rsplit('.').next().unwrap_or(&sql).trim_matches('"');
    if let Some(values) = enums.get(bare) {
        return TypeKind::Enum(EnumType {
            name: Ident::synthetic(bare),
            values: values.clone(),
        });
    }
    // No portable type is unsigned: `int(10) unsigned` stays SQL.
    if sql.to_ascii_lowercase().contains("unsigned") {
        return TypeKind::Raw(sql);
    }
    let (base, args) = split_type(&sql);
    dialect
        .rules()
        .type_of_sql(&base, &args)
        .unwrap_or(TypeKind::Raw(sql))
}

fn enum_member(m: &sqlparser::ast::EnumMember) -> String {
    match m {
        sqlparser::ast::EnumMember::Name(n) | sqlparser::ast::EnumMember::NamedValue(n, _) => {
            n.clone()
        }
    }
}

/// `CHARACTER VARYING(255)` → (`character varying`, [255]); an argument that
/// is not a number (`VARCHAR(MAX)`) is left out.
fn split_type(sql: &str) -> (String, Vec<u32>) {
    let (name, args) = match sql.split_once('(') {
        Some((n, rest)) => {
            let (inside, after) = rest.split_once(')').unwrap_or((rest, ""));
            (format!("{n} {after}"), inside)
        }
        None => (sql.to_string(), ""),
    };
    let base = name
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join(" ");
    let args = args
        .split(',')
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    (base, args)
}

/// The default `expr` (of a column of type `kind`) in the model; `None` for
/// `DEFAULT NULL`, which is no default.
pub fn default_value(expr: &Expr, kind: &TypeKind, span: Span) -> Option<DefaultValue> {
    let literal = |l: Literal| Some(DefaultValue::Literal(l));
    match expr {
        Expr::Nested(inner) => default_value(inner, kind, span),
        // pg_dump: `'new'::character varying`, `0::numeric`.
        Expr::Cast { expr: inner, .. } if is_constant(inner) => default_value(inner, kind, span),
        Expr::Value(v) => match &v.value {
            Value::Null => None,
            Value::Boolean(b) => literal(Literal::Bool(*b)),
            Value::Number(n, _) if *kind == TypeKind::Boolean && (n == "0" || n == "1") => {
                literal(Literal::Bool(n == "1"))
            }
            Value::Number(n, _) => literal(number(n)),
            Value::SingleQuotedString(s) => literal(Literal::String(s.clone())),
            _ => Some(expression(expr, span)),
        },
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr: inner,
        } => match &**inner {
            Expr::Value(v) => match &v.value {
                Value::Number(n, _) => literal(number(&format!("-{n}"))),
                _ => Some(expression(expr, span)),
            },
            _ => Some(expression(expr, span)),
        },
        Expr::Function(f) if f.name.to_string().eq_ignore_ascii_case("nextval") => {
            Some(match nextval_of(f) {
                Some(seq) => DefaultValue::NextVal(seq_name(&seq, span)),
                None => expression(expr, span),
            })
        }
        _ => Some(match function_name(expr).as_deref() {
            Some("current_timestamp" | "now" | "localtimestamp") => DefaultValue::CurrentTimestamp,
            Some("current_date" | "curdate") => DefaultValue::CurrentDate,
            _ => expression(expr, span),
        }),
    }
}

/// The sequence of `nextval('public.t_id_seq'::regclass)`, as written.
fn nextval_of(f: &sqlparser::ast::Function) -> Option<String> {
    let sqlparser::ast::FunctionArguments::List(list) = &f.args else {
        return None;
    };
    let [sqlparser::ast::FunctionArg::Unnamed(sqlparser::ast::FunctionArgExpr::Expr(arg))] =
        &list.args[..]
    else {
        return None;
    };
    let mut arg = arg;
    while let Expr::Cast { expr, .. } | Expr::Nested(expr) = arg {
        arg = expr;
    }
    match arg {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// `schema.name` or `name` (a sequence's, as `nextval` and `ALTER SEQUENCE`
/// write it) as a qualified name, quotes removed.
pub fn seq_name(text: &str, span: Span) -> crate::ir::QualifiedName {
    let ident = |s: &str| Ident::new(s.trim_matches('"'), span);
    match text.rsplit_once('.') {
        Some((schema, name)) => crate::ir::QualifiedName {
            schema: Some(ident(schema)),
            name: ident(name),
        },
        None => crate::ir::QualifiedName::bare(ident(text)),
    }
}

fn is_constant(expr: &Expr) -> bool {
    match expr {
        Expr::Value(_) => true,
        Expr::Nested(e) => is_constant(e),
        Expr::UnaryOp { expr, .. } => is_constant(expr),
        _ => false,
    }
}

fn number(n: &str) -> Literal {
    if n.contains(['.', 'e', 'E']) {
        Literal::Decimal(n.to_string())
    } else {
        Literal::Integer(n.to_string())
    }
}

/// The lower-case name of a call without arguments (`now()`,
/// `CURRENT_TIMESTAMP`, `current_timestamp()`), else `None`.
fn function_name(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Function(f) => {
            let no_args = match &f.args {
                sqlparser::ast::FunctionArguments::None => true,
                sqlparser::ast::FunctionArguments::List(l) => l.args.is_empty(),
                sqlparser::ast::FunctionArguments::Subquery(_) => false,
            };
            no_args.then(|| f.name.to_string().to_ascii_lowercase())
        }
        Expr::Identifier(i) if i.quote_style.is_none() => Some(i.value.to_ascii_lowercase()),
        _ => None,
    }
}

/// `expr` kept as SQL.
pub fn expression(expr: &Expr, span: Span) -> DefaultValue {
    DefaultValue::Expr(sql_expr(expr, span))
}

/// `expr` as a fragment, one level of enclosing parentheses removed (the
/// DSL writes its own).
pub fn sql_expr(expr: &Expr, span: Span) -> SqlExpr {
    let inner = match expr {
        Expr::Nested(e) => e,
        e => e,
    };
    SqlExpr {
        text: inner.to_string(),
        span,
    }
}

//! Column definitions, defaults and constraints as template values: what each
//! piece is on this dialect (type, CHECKs a type needs, the spelled default,
//! identity), leaving the order and keywords to `_column.sql` / `_constraint.sql`.

use super::types::{self, TypeCheck};
use super::{opt, Cx};
use crate::diag::Code;
use crate::diag::Diagnostic;
use crate::ir::{
    Column, ColumnType, Constraint, ConstraintKind, DefaultValue, FkAction, QualifiedName, TypeKind,
};
use crate::render::safe;
use crate::source::Span;
use minijinja::{context, Value};

/// The SQLite rowid-alias form of a primary key: `INTEGER CONSTRAINT pk PRIMARY KEY [AUTOINCREMENT]`.
pub(crate) struct RowidPk<'a> {
    /// The primary key constraint's name.
    pub name: &'a str,
    /// `sqlite.autoincrement = true` on the table.
    pub autoincrement: bool,
}

/// Name of the column's default constraint, where defaults are named
/// constraints ([`crate::dialect::Rules::default_constraint_name`]).
pub(crate) fn default_name(cx: &Cx, table: &QualifiedName, column: &str) -> Option<String> {
    cx.r.default_constraint_name(table.name.as_str(), column)
}

/// Name of the CHECK that keeps an enum column's values where there is no enum type.
pub(crate) fn enum_check_name(table: &QualifiedName, column: &str, enum_name: &str) -> String {
    format!("ck_{}_{}_{}", table.name.as_str(), column, enum_name)
}

/// The CHECK a column's type needs on this dialect (Oracle booleans and JSON, enums
/// without an enum type) as (name fitted to the identifier limit, unquoted;
/// condition, for the `type_check` macro of `_constraint.sql`: `kind` boolean,
/// json or enum, the quoted `column`, an enum's quoted `values`). Named
/// deterministically from table and column, so a later op can drop, re-add or
/// rename it.
pub(crate) fn type_check(
    cx: &Cx,
    table: &QualifiedName,
    column: &str,
    ty: &ColumnType,
) -> Result<Option<(String, Value)>, Diagnostic> {
    let d = cx.d;
    let quoted = cx.q(column);
    let t = table.name.as_str();
    let none: Vec<Value> = Vec::new();
    Ok(match types::column_type(ty, d)?.check {
        Some(TypeCheck::Boolean) => Some((
            cx.fit(&format!("ck_{t}_{column}_bool")),
            context! { kind => "boolean", column => quoted, values => none },
        )),
        Some(TypeCheck::Json) => Some((
            cx.fit(&format!("ck_{t}_{column}_json")),
            context! { kind => "json", column => quoted, values => none },
        )),
        Some(TypeCheck::Enum(e)) => {
            let values: Vec<Value> = e.values.iter().map(|v| cx.lit(v)).collect();
            Some((
                cx.fit(&enum_check_name(table, column, e.name.as_str())),
                context! { kind => "enum", column => quoted, values },
            ))
        }
        None => None,
    })
}

/// A column as the `column(col)` macro expects it.
pub(crate) fn column_value(
    cx: &Cx,
    table: &QualifiedName,
    col: &Column,
    rowid_pk: Option<RowidPk>,
) -> Result<Value, Diagnostic> {
    let d = cx.d;
    let ty = types::column_type(&col.ty, d)?;
    let name = d.quote_ident(col.name.as_str());
    let mut checks = Vec::new();
    if let Some((ck, check)) = type_check(cx, table, col.name.as_str(), &col.ty)? {
        checks.push(context! { name => cx.q(&ck), check });
    }
    let default = match &col.default {
        Some(v) => Some(safe(default_sql(cx, v, &col.ty.kind)?)),
        None => None,
    };
    let identity = identity_value(cx, col, rowid_pk.is_some())?;
    let computed = match &col.computed {
        Some(c) => {
            let ok = if c.stored {
                cx.r.computed_stored()
            } else {
                cx.r.computed_virtual()
            };
            if !ok {
                let kind = if c.stored { "stored" } else { "virtual" };
                return Err(cx.unsupported(
                    Code::UnsupportedOption,
                    format!("{kind} computed columns are not supported on {d}"),
                    c.expr.span,
                ));
            }
            Some(context! { expr => safe(cx.expr(&c.expr)?), stored => c.stored })
        }
        None => None,
    };
    let comment = match &col.comment {
        Some(c) if cx.r.comments_inline() => Some(cx.lit(c)),
        _ => None,
    };
    let rowid = rowid_pk.map(|pk| {
        context! { name => cx.cname(pk.name), autoincrement => pk.autoincrement }
    });
    Ok(context! {
        name => safe(name),
        type => safe(ty.sql),
        not_null => !col.nullable,
        default => opt(default),
        default_name => opt(default_name(cx, table, col.name.as_str()).map(|n| cx.cname(&n))),
        identity => opt(identity),
        computed => opt(computed),
        comment => opt(comment),
        rowid_pk => opt(rowid),
        checks => checks,
    })
}

/// The identity of `col` as the template takes it; `rowid_pk`: the column is
/// written as the table's rowid alias, which is its identity.
pub(crate) fn identity_value(
    cx: &Cx,
    col: &Column,
    rowid_pk: bool,
) -> Result<Option<Value>, Diagnostic> {
    let d = cx.d;
    let Some(i) = &col.identity else {
        return Ok(None);
    };
    identity_options_fit(cx, col, col.span)?;
    if cx.r.identity_is_rowid() {
        if rowid_pk {
            return Ok(None);
        }
        return Err(cx
            .unsupported(
                Code::UnsupportedOption,
                format!(
                    "`{}` cannot autoincrement on {d}: only a single-column integer primary key can",
                    col.name
                ),
                col.span,
            )
            .with_help("make it the table's only primary key column, or drop `autoincrement`"));
    }
    Ok(Some(context! {
        always => i.always,
        start => i.start,
        increment => i.increment,
        minvalue => i.minvalue,
        maxvalue => i.maxvalue,
        cycle => i.cycle,
        cache => i.cache,
        nocache => i.cache == Some(1) && !cx.r.identity_cache_of_one(),
        on_null => i.on_null,
        order => i.order,
    }))
}

/// A located error, at `span`, for an option of `col`'s identity the
/// dialect cannot state.
pub(crate) fn identity_options_fit(cx: &Cx, col: &Column, span: Span) -> Result<(), Diagnostic> {
    let d = cx.d;
    let Some(i) = &col.identity else {
        return Ok(());
    };
    let bad_step = i.increment.is_some_and(|n| n != 1) && !cx.r.identity_takes_increment();
    if bad_step || (i.start.is_some() && !cx.r.identity_takes_start()) {
        // MySQL's step is a server variable, SQLite's rowid has neither start nor step.
        return Err(cx.unsupported(
            Code::UnsupportedOption,
            format!(
                "`{}`: this identity's start/increment cannot be set on {d}",
                col.name
            ),
            span,
        ));
    }
    if let Some(opt) = i
        .options_set()
        .into_iter()
        .find(|o| !cx.r.identity_options().contains(o))
    {
        return Err(cx
            .unsupported(
                Code::UnsupportedOption,
                format!("`{}`: an identity's `{opt}` cannot be set on {d}", col.name),
                span,
            )
            .with_help(identity_help(cx)));
    }
    Ok(())
}

/// What the dialect's identity can say instead.
fn identity_help(cx: &Cx) -> String {
    match cx.r.identity_options() {
        [] => format!(
            "{} identities take no options but start and increment (where allowed)",
            cx.d
        ),
        opts => format!("{} takes: start, increment, {}", cx.d, opts.join(", ")),
    }
}

/// A DEFAULT value spelled for the dialect (without the DEFAULT keyword).
pub(crate) fn default_sql(
    cx: &Cx,
    v: &DefaultValue,
    kind: &TypeKind,
) -> Result<String, Diagnostic> {
    let d = cx.d;
    Ok(match v {
        DefaultValue::Literal(l)
            if cx.r.lob_default_needs_parens()
                && matches!(
                    kind,
                    TypeKind::Text | TypeKind::NText | TypeKind::Json | TypeKind::Binary(None)
                ) =>
        {
            format!("({})", types::literal(l, Some(kind), d))
        }
        DefaultValue::Literal(l) => types::literal(l, Some(kind), d),
        // Rendered here, as `nextval` below: the default is one value of the column's template.
        DefaultValue::CurrentTimestamp => {
            cx.render("current", &context! { what => "timestamp" })?
        }
        DefaultValue::CurrentDate => cx.render("current", &context! { what => "date" })?,
        DefaultValue::NextVal(seq) => {
            let name = cx.qn_str(seq);
            match cx.r.nextval() {
                // Rendered here: the default is one value of the column's template.
                Some(form) => cx.render(
                    "nextval",
                    &context! {
                        form => form.name(),
                        seq => safe(&name),
                        seq_literal => cx.lit(&name),
                    },
                )?,
                None => {
                    return Err(cx
                        .unsupported(
                            Code::UnsupportedOp,
                            format!("{d} has no sequences for `nextval({seq})`"),
                            seq.span(),
                        )
                        .with_help("use `autoincrement` here, or per-dialect SQL in `execute`"))
                }
            }
        }
        DefaultValue::Expr(e) if cx.r.parenthesize_default_expr() => format!("({})", cx.expr(e)?),
        DefaultValue::Expr(e) => cx.expr(e)?,
    })
}

/// A table constraint of `table` as the `constraint(con)` macro expects it; options
/// the dialect cannot express are located errors, never silently dropped.
pub(crate) fn constraint_value(
    cx: &Cx,
    table: &QualifiedName,
    c: &Constraint,
) -> Result<Value, Diagnostic> {
    let cols = |cols: &[crate::ir::Ident]| -> Vec<Value> {
        cols.iter().map(|c| cx.q(c.as_str())).collect()
    };
    let name = cx.cname(c.name.as_str());
    let kind = c.kind.word();
    Ok(match &c.kind {
        ConstraintKind::PrimaryKey(cs) | ConstraintKind::Unique(cs) => {
            context! { name, kind, columns => cols(cs) }
        }
        ConstraintKind::Check(e) => context! { name, kind, expr => safe(cx.expr(e)?) },
        ConstraintKind::ForeignKey(fk) => {
            let on_delete = fk_action(cx, fk.on_delete, "ON DELETE", c)?;
            let on_update = match fk.on_update {
                Some(a) if a != FkAction::NoAction && !cx.r.fk_on_update() => {
                    return Err(cx.unsupported(
                        Code::UnsupportedOption,
                        format!("foreign keys have no ON UPDATE on {}", cx.d),
                        c.span,
                    ))
                }
                other => fk_action(cx, other, "ON UPDATE", c)?,
            };
            let match_kind = fk_match(cx, fk.match_kind, c)?;
            let deferrable = deferrable(cx, fk.deferrable, "deferrable", c)?;
            let initially = deferrable_initially(cx, fk.initially_deferred, c)?;
            let ref_table = if cx.r.fk_same_schema_only() {
                same_schema_ref(cx, table, &fk.ref_table, c)?
            } else {
                cx.qn(&fk.ref_table)
            };
            context! {
                name, kind,
                columns => cols(&fk.columns),
                ref_table,
                ref_columns => cols(&fk.ref_columns),
                on_delete => opt(on_delete),
                on_update => opt(on_update),
                deferrable => deferrable,
                initially_deferred => initially,
                match => opt(match_kind),
            }
        }
    })
}

/// SQLite: a foreign key resolves its parent in the child's own database, and
/// `REFERENCES` takes no schema; a parent in another (attached) database cannot
/// be referenced at all.
fn same_schema_ref(
    cx: &Cx,
    table: &QualifiedName,
    parent: &QualifiedName,
    c: &Constraint,
) -> Result<Value, Diagnostic> {
    let schema_of = |q: &QualifiedName| q.schema.as_ref().map(|s| s.name.clone());
    if schema_of(table) != schema_of(parent) {
        let place = |q: &QualifiedName| match &q.schema {
            Some(s) => format!("schema `{s}`"),
            None => "the main database".to_string(),
        };
        return Err(cx
            .unsupported(
                Code::UnsupportedOp,
                format!(
                    "foreign key `{}`: `{}` is in {} and `{}` in {}; a foreign key cannot cross attached databases on {}",
                    c.name, table, place(table), parent, place(parent), cx.d
                ),
                if c.span.is_none() { parent.span() } else { c.span },
            )
            .with_help("keep both tables in the same schema, or enforce the reference with a trigger in an `execute` block"));
    }
    Ok(cx.q(parent.name.as_str()))
}

/// The action's name for `_constraint.sql` (`cascade`, `set_null`,
/// `set_default`, `restrict`), which spells it. NO ACTION is every engine's
/// default, so it is left out (Oracle cannot even spell it).
fn fk_action(
    cx: &Cx,
    action: Option<FkAction>,
    clause: &str,
    c: &Constraint,
) -> Result<Option<Value>, Diagnostic> {
    let Some(a) = action else { return Ok(None) };
    let supported = match a {
        FkAction::NoAction => return Ok(None),
        FkAction::Restrict => cx.r.fk_restrict(),
        FkAction::SetDefault => cx.r.fk_set_default(),
        FkAction::Cascade | FkAction::SetNull => true,
    };
    if !supported {
        return Err(cx.unsupported(
            Code::UnsupportedOption,
            format!("`{clause} {}` is not supported on {}", a.sql(), cx.d),
            c.span,
        ));
    }
    Ok(Some(Value::from(match a {
        FkAction::Cascade => "cascade",
        FkAction::SetNull => "set_null",
        FkAction::SetDefault => "set_default",
        FkAction::Restrict | FkAction::NoAction => "restrict",
    })))
}

/// `match ..` for `_constraint.sql`, where the dialect spells it
/// ([`crate::dialect::Rules::fk_match`]). SIMPLE is every engine's behaviour,
/// so it goes unsaid where it cannot be said; another one is an error there
/// (MySQL and SQLite parse MATCH and ignore it: it would not mean what it says).
fn fk_match(
    cx: &Cx,
    m: Option<crate::ir::FkMatch>,
    c: &Constraint,
) -> Result<Option<Value>, Diagnostic> {
    let Some(m) = m else { return Ok(None) };
    if cx.r.fk_match().contains(&m.word()) {
        return Ok(Some(Value::from(m.word())));
    }
    if m == crate::ir::FkMatch::Simple {
        return Ok(None);
    }
    Err(cx.unsupported(
        Code::UnsupportedOption,
        format!(
            "foreign key `{}`: `match {}` is not supported on {}",
            c.name,
            m.word(),
            cx.d
        ),
        c.span,
    ))
}

fn deferrable(cx: &Cx, v: Option<bool>, what: &str, c: &Constraint) -> Result<Value, Diagnostic> {
    match v {
        Some(true) if !cx.r.deferrable_fk() => Err(cx
            .unsupported(
                Code::UnsupportedOption,
                format!("`{what}` foreign keys are not supported on {}", cx.d),
                c.span,
            )
            .with_note(format!("{} checks foreign keys immediately", cx.d))),
        // NOT DEFERRABLE is what such engines do anyway.
        Some(_) if !cx.r.deferrable_fk() => Ok(Value::from(())),
        Some(b) => Ok(Value::from(b)),
        None => Ok(Value::from(())),
    }
}

fn deferrable_initially(cx: &Cx, v: Option<bool>, c: &Constraint) -> Result<Value, Diagnostic> {
    deferrable(cx, v, "initially deferred", c)
}

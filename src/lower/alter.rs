//! `alter_column` (and `rename_column`) in the form the dialect's rules ask
//! for: one clause per change (PostgreSQL), the complete definition from the
//! schema model (MySQL), `ALTER COLUMN` plus named defaults (SQL Server),
//! `MODIFY` of what changed (Oracle), a rebuild (SQLite).

use super::column::{self, column_value, default_sql};
use super::table::{
    column_objects, comment, drop_dependents, recreate_dependents, rename_column_object,
};
use super::{old_column, opt, table_in, types, Cx};
use crate::diag::Code;
use crate::diag::Diagnostic;
use crate::ir::{AlterColumn, Column, ConstraintKind, IndexPart, QualifiedName, TypeKind};
use crate::render::safe;
use crate::schema::{Applied, Schema, Table};
use minijinja::context;

/// The two sides of an `alter_column`: the op, what it changes, the column
/// before and after (named `old_name`, `new_name`) and its table after.
struct Alter<'a> {
    ac: &'a AlterColumn,
    ch: Changes,
    old_col: &'a Column,
    new_col: &'a Column,
    new_table: &'a Table,
    old_name: &'a str,
    new_name: &'a str,
}

/// `alter_column`, in the form the dialect changes a column in (see the
/// `alter_column_*` questions of [`crate::dialect::Rules`]).
pub(crate) fn alter_column(
    cx: &mut Cx,
    ac: &AlterColumn,
    applied: &Applied,
    after: &Schema,
) -> Result<(), Diagnostic> {
    let old_name = ac.column.as_str();
    let new_name = ac.rename.as_ref().map_or(old_name, |r| r.as_str());
    let old_col = old_column(applied, cx.span)?;
    let new_table = table_in(after, &ac.table, cx.span)?;
    let new_col = new_table
        .columns
        .get(new_name)
        .ok_or_else(|| missing(ac, new_name))?;
    let ch = Changes::of(cx, ac, old_col, new_col, new_name)?;
    let a = Alter {
        ac,
        ch,
        old_col,
        new_col,
        new_table,
        old_name,
        new_name,
    };
    if a.ch.identity {
        // At the op: the column's own span is where it was created.
        column::identity_options_fit(cx, a.new_col, cx.span)?;
    }
    if cx.r.alter_column_rebuilds() {
        rebuilt(cx, &a)
    } else if cx.r.alter_column_restates_column() {
        restated(cx, &a)
    } else if cx.r.alter_column_restates_type() {
        type_restated(cx, &a)
    } else if cx.r.alter_column_changed_only() {
        changed_only(cx, &a)
    } else {
        per_clause(cx, &a)
    }
}

/// No ALTER COLUMN (SQLite): a change the table's definition carries rebuilds
/// the table; a rename and a comment need no rebuild.
fn rebuilt(cx: &mut Cx, a: &Alter) -> Result<(), Diagnostic> {
    let (ac, ch) = (a.ac, &a.ch);
    if ch.type_sql || ch.nullable.is_some() || ac.default.is_some() || ch.check || ch.identity {
        cx.rebuild(&ac.table);
        return Ok(());
    }
    if ac.rename.is_some() {
        rename_column(cx, &ac.table, a.old_name, a.new_name)?;
    }
    comment_change(cx, ac, a.old_col, a.new_name)
}

/// One `ALTER COLUMN` clause per change (PostgreSQL).
fn per_clause(cx: &mut Cx, a: &Alter) -> Result<(), Diagnostic> {
    let (ac, ch, old_col, new_col) = (a.ac, &a.ch, a.old_col, a.new_col);
    let t = &ac.table;
    if ac.rename.is_some() {
        rename_column(cx, t, a.old_name, a.new_name)?;
    }
    let col = cx.q(a.new_name);
    let table = cx.qn(t);
    let step = |action: &str| context! { table => table.clone(), column => col.clone(), action };
    let using = match ch.type_sql {
        true => using(cx, ac, old_col, new_col, a.new_name)?,
        false => None,
    };
    // PostgreSQL casts the default along with the column; where the
    // column needs USING, the default cannot be cast either ("default
    // for column cannot be cast automatically"), and a default cast out
    // of an enum still names the enum type, which then cannot be
    // dropped. So the default goes first and comes back after the type
    // change, and a default the op drops or replaces goes before the
    // type changes too.
    let enum_involved = named_enum(cx, old_col) || named_enum(cx, new_col);
    let reset = ch.type_sql
        && old_col.default.is_some()
        && (using.is_some() || ac.default.is_some() || enum_involved);
    if reset || matches!(ac.default, Some(None)) {
        cx.emit("alter_column", step("drop_default"))?;
    }
    if ch.type_sql {
        let ty = types::column_type(&new_col.ty, cx.d)?;
        let ctx = context! { type => safe(ty.sql), using => opt(using), ..step("type") };
        cx.emit("alter_column", ctx)?;
    }
    // DROP NOT NULL is refused on an identity column, ADD GENERATED on a
    // nullable one: the identity goes before the nullability, comes after it.
    let drops_identity = matches!(ac.identity, Some(None));
    if drops_identity {
        identity_change(cx, a)?;
    }
    if let Some(nullable) = ch.nullable {
        let action = if nullable {
            "drop_not_null"
        } else {
            "set_not_null"
        };
        cx.emit("alter_column", step(action))?;
    }
    if !drops_identity {
        identity_change(cx, a)?;
    }
    let set = match &ac.default {
        Some(Some(v)) => Some(v),
        Some(None) => None,
        None if reset => new_col.default.as_ref(),
        None => None,
    };
    if let Some(v) = set {
        let default = safe(default_sql(cx, v, &new_col.ty.kind)?);
        cx.emit("alter_column", context! { default, ..step("set_default") })?;
    }
    comment_change(cx, ac, old_col, a.new_name)
}

/// One statement with everything the column is after the op (MySQL's MODIFY
/// and CHANGE reset whatever they do not restate: Alembic's lost NOT NULL).
fn restated(cx: &mut Cx, a: &Alter) -> Result<(), Diagnostic> {
    let (ac, ch) = (a.ac, &a.ch);
    let restated = ch.type_sql || ch.nullable.is_some() || ch.check || ch.identity;
    if !(restated || ac.default.is_some() || ac.comment.is_some() || ac.rename.is_some()) {
        return Ok(());
    }
    if ch.identity {
        auto_increment_fits(cx, a)?;
    }
    let ctx = context! {
        table => cx.qn(&ac.table),
        column => cx.q(a.old_name),
        rename => ac.rename.is_some(),
        def => column_value(cx, &ac.table, a.new_col, None)?,
    };
    cx.emit("alter_column", ctx)
}

/// One MODIFY of only what changed (Oracle rejects a no-op `NOT NULL`,
/// ORA-01442), with the type's CHECK dropped before and re-added after.
fn changed_only(cx: &mut Cx, a: &Alter) -> Result<(), Diagnostic> {
    let (ac, ch, old_col, new_col, new_name) = (a.ac, &a.ch, a.old_col, a.new_col, a.new_name);
    let t = &ac.table;
    if ac.rename.is_some() {
        rename_column(cx, t, a.old_name, new_name)?;
        rename_objects(cx, t, a.old_name, new_name, old_col)?;
    }
    if ch.type_sql {
        type_change_in_place(cx, ac, old_col, new_col)?;
    }
    // Refused (or dropped) before anything runs: an identity column stays NOT NULL.
    identity_change(cx, a)?;
    if ch.check {
        drop_type_check(cx, t, new_name, old_col)?;
    }
    if ch.type_sql || ch.nullable.is_some() || ac.default.is_some() {
        let ty = match ch.type_sql {
            true => Some(safe(types::column_type(&new_col.ty, cx.d)?.sql)),
            false => None,
        };
        let default = match &ac.default {
            Some(Some(v)) => Some(safe(default_sql(cx, v, &new_col.ty.kind)?)),
            _ => None,
        };
        let ctx = context! {
            table => cx.qn(t),
            column => cx.q(new_name),
            type => opt(ty),
            set_default => ac.default.is_some(),
            default => opt(default),
            nullable => ch.nullable,
        };
        cx.emit("alter_column", ctx)?;
    }
    if ch.check {
        add_type_check(cx, t, new_name, new_col)?;
    }
    comment_change(cx, ac, old_col, new_name)
}

/// PostgreSQL's `USING` for a type change: the op's own, else the cast an enum
/// type needs. Into an enum (from text or another enum) and from an enum to
/// anything but a string type there is no automatic cast ("cannot be cast
/// automatically"), so the value goes through text (`via_text`: the template
/// spells `col::text::new_type`). From
/// an enum to a string type the automatic cast works, and keeps PostgreSQL's
/// length check (an explicit cast to `VARCHAR(n)` would truncate).
fn using(
    cx: &Cx,
    ac: &AlterColumn,
    old_col: &Column,
    new_col: &Column,
    column: &str,
) -> Result<Option<minijinja::Value>, Diagnostic> {
    if let Some(u) = &ac.using {
        return Ok(Some(context! { sql => safe(cx.expr(u)?), via_text => () }));
    }
    let is_enum = |c: &Column| named_enum(cx, c);
    let is_string = matches!(
        new_col.ty.kind,
        TypeKind::String(_)
            | TypeKind::Text
            | TypeKind::NString(_)
            | TypeKind::NText
            | TypeKind::Char(_)
    ) && types::variant(&new_col.ty, cx.d).is_none();
    if is_enum(new_col) || (is_enum(old_col) && !is_string) {
        return Ok(Some(context! { sql => (), via_text => cx.q(column) }));
    }
    Ok(None)
}

/// True when `c` is of a named enum type on this dialect (PostgreSQL's `CREATE TYPE`).
fn named_enum(cx: &Cx, c: &Column) -> bool {
    cx.r.named_enum_type()
        && matches!(c.ty.kind, TypeKind::Enum(_))
        && types::variant(&c.ty, cx.d).is_none()
}

/// What an `alter_column` really changes on this dialect: a type that renders as
/// before is no change (Oracle refuses to MODIFY a LOB to itself, ORA-22859), nor
/// is the nullability the column already has (ORA-01442 / ORA-01451).
struct Changes {
    /// The SQL type differs.
    type_sql: bool,
    /// The new nullability, when it differs.
    nullable: Option<bool>,
    /// The CHECK the type needs differs (enum values, boolean to not, ...).
    check: bool,
    /// The identity is added, dropped or given other options.
    identity: bool,
}

impl Changes {
    fn of(
        cx: &Cx,
        ac: &AlterColumn,
        old_col: &Column,
        new_col: &Column,
        new_name: &str,
    ) -> Result<Changes, Diagnostic> {
        let (type_sql, check) = match &ac.new_type {
            Some(_) => {
                let sql = |c: &Column| types::column_type(&c.ty, cx.d).map(|t| t.sql);
                let check = |c: &Column| column::type_check(cx, &ac.table, new_name, &c.ty);
                (
                    sql(old_col)? != sql(new_col)?,
                    check(old_col)? != check(new_col)?,
                )
            }
            None => (false, false),
        };
        Ok(Changes {
            type_sql,
            nullable: ac.nullable.filter(|n| *n != old_col.nullable),
            check,
            identity: old_col.identity != new_col.identity,
        })
    }
}

/// Renames the [`column_objects`] that follow the column's name.
fn rename_objects(
    cx: &mut Cx,
    t: &QualifiedName,
    old_name: &str,
    new_name: &str,
    col: &Column,
) -> Result<(), Diagnostic> {
    for (old, new) in column_objects(cx, t, t, old_name, new_name, col) {
        rename_column_object(cx, t, &old, &new)?;
    }
    Ok(())
}

/// Drops the CHECK `col`'s type needed (named after `name`, the column's current name).
fn drop_type_check(
    cx: &mut Cx,
    t: &QualifiedName,
    name: &str,
    col: &Column,
) -> Result<(), Diagnostic> {
    if let Some((ck, _)) = column::type_check(cx, t, name, &col.ty)? {
        let ctx = context! { table => cx.qn(t), name => cx.q(&ck), kind => "check" };
        cx.emit("drop_constraint", ctx)?;
    }
    Ok(())
}

/// Adds the CHECK `col`'s type needs.
fn add_type_check(
    cx: &mut Cx,
    t: &QualifiedName,
    name: &str,
    col: &Column,
) -> Result<(), Diagnostic> {
    if let Some((ck, check)) = column::type_check(cx, t, name, &col.ty)? {
        let con = context! { name => cx.q(&ck), kind => "type_check", check };
        cx.emit(
            "add_constraint",
            context! { table => cx.qn(t), constraint => con },
        )?;
    }
    Ok(())
}

/// A type change the dialect cannot make in place (Oracle cannot MODIFY a
/// column into or out of a LOB type, ORA-22858, ORA-22859).
fn type_change_in_place(
    cx: &Cx,
    ac: &AlterColumn,
    old_col: &Column,
    new_col: &Column,
) -> Result<(), Diagnostic> {
    let refused =
        |c: &Column| types::column_type(&c.ty, cx.d).map(|t| cx.r.type_change_refused(&t.sql));
    if refused(old_col)? || refused(new_col)? {
        let span = ac.new_type.as_ref().map_or(cx.span, |t| t.span);
        return Err(cx
            .unsupported(
                Code::UnsupportedOp,
                format!(
                    "{} cannot change column `{}` into or out of a LOB type in place",
                    cx.d, ac.column
                ),
                span,
            )
            .with_help("add a new column, copy the data with `execute`, drop the old column and rename the new one"));
    }
    Ok(())
}

fn missing(ac: &AlterColumn, name: &str) -> Diagnostic {
    Diagnostic::error(
        Code::UnknownColumn,
        format!("table `{}` has no column `{name}`", ac.table),
    )
    .at(ac.column.span, "no such column")
}

fn rename_column(cx: &mut Cx, t: &QualifiedName, old: &str, new: &str) -> Result<(), Diagnostic> {
    let old_literal = cx.lit(&format!("{}.{}", cx.qn_str(t), cx.d.quote_ident(old)));
    let ctx = context! {
        table => cx.qn(t),
        column => cx.q(old),
        new_name => cx.q(new),
        old_literal,
        new_literal => cx.lit(new),
    };
    cx.emit("rename_column", ctx)
}

fn comment_change(
    cx: &mut Cx,
    ac: &AlterColumn,
    old_col: &Column,
    new_name: &str,
) -> Result<(), Diagnostic> {
    if let Some(c) = &ac.comment {
        comment(
            cx,
            &ac.table,
            Some(new_name),
            c.as_deref(),
            old_col.comment.is_some(),
        )?;
    }
    Ok(())
}

/// ALTER COLUMN restating type and nullability (SQL Server): the default is
/// a named constraint, and it and the CHECK the type needs block ALTER COLUMN,
/// so they are dropped first and re-added after, by their deterministic names;
/// so are the indexes and constraints on the column where those block it too.
fn type_restated(cx: &mut Cx, a: &Alter) -> Result<(), Diagnostic> {
    let (ac, ch, old_col, new_col) = (a.ac, &a.ch, a.old_col, a.new_col);
    let (old_name, new_name) = (a.old_name, a.new_name);
    let t = &ac.table;
    if ac.rename.is_some() {
        rename_column(cx, t, old_name, new_name)?;
        rename_objects(cx, t, old_name, new_name, old_col)?;
    }
    identity_change(cx, a)?;
    let alter = ch.type_sql || ch.nullable.is_some();
    let default_changes = ac.default.is_some() || (alter && old_col.default.is_some());
    let table = cx.qn(t);
    let default_name = column::default_name(cx, t, new_name);
    if let (true, Some(_), Some(name)) = (default_changes, &old_col.default, &default_name) {
        let name = cx.cname(name);
        cx.emit("drop_constraint", context! { table => table.clone(), name })?;
    }
    if ch.check {
        drop_type_check(cx, t, new_name, old_col)?;
    }
    let dependents = alter && cx.r.column_dependents_block_alter();
    if dependents {
        // Named as they are after a rename, which sp_rename does not change.
        drop_dependents(cx, a.new_table, new_name, old_name)?;
    }
    if alter {
        let def = column_value(cx, t, new_col, None)?;
        cx.emit("alter_column", context! { table => table.clone(), def })?;
    }
    if dependents {
        recreate_dependents(cx, a.new_table, new_name, old_name)?;
    }
    if let (true, Some(v), Some(name)) = (default_changes, &new_col.default, &default_name) {
        let ctx = context! {
            table => table.clone(),
            name => cx.cname(name),
            default => safe(default_sql(cx, v, &new_col.ty.kind)?),
            column => cx.q(new_name),
        };
        cx.emit("add_default", ctx)?;
    }
    if ch.check {
        add_type_check(cx, t, new_name, new_col)?;
    }
    comment_change(cx, ac, old_col, new_name)
}

/// An identity added, dropped or changed by `alter_identity.sql`, where the
/// dialect's [`crate::dialect::Rules::alter_identity`] can; a located error
/// where it cannot.
fn identity_change(cx: &mut Cx, a: &Alter) -> Result<(), Diagnostic> {
    let (old, new) = (&a.old_col.identity, &a.new_col.identity);
    let action = match (old, new) {
        (Some(_), None) => "drop",
        (None, Some(_)) => "add",
        (Some(o), Some(n)) if o != n => "set",
        _ => return Ok(()),
    };
    if !cx.r.alter_identity().contains(&action) {
        let verb = match action {
            "drop" => "drop the identity of",
            "add" => "make an identity of",
            _ => "change the identity of",
        };
        return Err(cx
            .unsupported(
                Code::UnsupportedOp,
                format!("{} cannot {verb} existing column `{}`", cx.d, a.ac.column),
                cx.span,
            )
            .with_help("add a new column with the identity wanted, copy the values with `execute`, drop the old column and rename the new one"));
    }
    let identity = match new {
        Some(_) => column::identity_value(cx, a.new_col, false)?,
        None => None,
    };
    let before = match old {
        Some(_) => column::identity_value(cx, a.old_col, false)?,
        None => None,
    };
    let ctx = context! {
        table => cx.qn(&a.ac.table),
        column => cx.q(a.new_name),
        action,
        identity => opt(identity),
        old => opt(before),
    };
    cx.emit("alter_identity", ctx)
}

/// MySQL's AUTO_INCREMENT restated by MODIFY: the column must lead a key
/// (ERROR 1075), and MODIFY has no place for a start (the table's
/// `AUTO_INCREMENT=` is one counter for the table).
fn auto_increment_fits(cx: &Cx, a: &Alter) -> Result<(), Diagnostic> {
    let Some(i) = &a.new_col.identity else {
        return Ok(());
    };
    let name = a.new_name;
    let leads = |cols: &[crate::ir::Ident]| cols.first().is_some_and(|c| c.as_str() == name);
    let keyed = a
        .new_table
        .constraints
        .values()
        .any(|c| matches!(c.kind, ConstraintKind::PrimaryKey(_) | ConstraintKind::Unique(_)) && leads(c.kind.columns()))
        || a.new_table.indexes.values().any(|ix| {
            matches!(ix.parts.first(), Some(IndexPart::Column { name: n, .. }) if n.as_str() == name)
        });
    let why = if !keyed {
        "it leads no key (ERROR 1075): make it the primary key first"
    } else if i.start.is_some() && a.old_col.identity.as_ref().and_then(|o| o.start) != i.start {
        "MODIFY cannot set a start"
    } else {
        return Ok(());
    };
    Err(cx.unsupported(
        Code::UnsupportedOp,
        format!(
            "{} cannot make `{}` AUTO_INCREMENT here: {why}",
            cx.d, a.ac.column
        ),
        cx.span,
    ))
}

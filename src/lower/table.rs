//! Table-level ops: create, drop, rename, add/drop column, constraints and
//! comments. Where SQLite cannot ALTER, the table is rebuilt (`rebuild.rs`).

use super::column::{self, constraint_value, RowidPk};
use super::{index, old_column, opt, Cx};
use crate::diag::Code;
use crate::diag::Diagnostic;
use crate::dialect::{Dialect, OptionsOf};
use crate::ir::{
    AddColumn, AddConstraint, Constraint, ConstraintKind, CreateTable, DropColumn, DropConstraint,
    DropTable, QualifiedName, RenameTable, SetTableComment, TypeKind,
};
use crate::render::safe;
use crate::schema::{Applied, Schema, Table};
use minijinja::{context, Value};

/// `create_table`: the table with its constraints, then comments and indexes.
pub(crate) fn create_table(cx: &mut Cx, ct: &CreateTable) -> Result<(), Diagnostic> {
    if ct.if_not_exists && !cx.r.table_if_not_exists() {
        return Err(cx.unsupported(
            Code::UnsupportedOption,
            format!(
                "`if_not_exists` on create_table is not supported on {}",
                cx.d
            ),
            ct.name.span(),
        ));
    }
    let table = Table::from_create(ct);
    let ctx = create_table_value(cx, &table, &table.name, ct.if_not_exists)?;
    cx.emit("create_table", ctx)?;
    comments_of_table(cx, &table)?;
    for idx in &ct.indexes {
        index::emit_create(cx, idx, false, false)?;
    }
    Ok(())
}

/// The `create_table` template context for `table`, created under the name `as_name`
/// (the SQLite rebuild creates the new table under a temporary name).
pub(crate) fn create_table_value(
    cx: &Cx,
    table: &Table,
    as_name: &QualifiedName,
    if_not_exists: bool,
) -> Result<Value, Diagnostic> {
    let rowid = rowid_pk(cx, table);
    let mut columns = Vec::new();
    for col in table.columns.values() {
        let pk = match rowid {
            Some((pk_name, col_name)) if col_name == col.name.as_str() => Some(RowidPk {
                name: pk_name,
                autoincrement: table.options.get(cx.d, "autoincrement") == Some("true"),
            }),
            _ => None,
        };
        columns.push(column::column_value(cx, &table.name, col, pk)?);
    }
    let mut constraints = Vec::new();
    for c in table.constraints.values() {
        if rowid.is_some_and(|(pk, _)| pk == c.name.as_str()) {
            continue;
        }
        constraints.push(constraint_value(cx, &table.name, c)?);
    }
    // Every option of this dialect (MariaDB also reads MySQL's), keyed for the
    // templates: `options.engine`, `options.strict`... Each is printed only
    // where its dialect's template knows it.
    let mut options = std::collections::BTreeMap::new();
    for (key, _) in cx.d.options(OptionsOf::Table) {
        if let Some(v) = table.options.get(cx.d, key) {
            if !v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(Diagnostic::error(
                    Code::BadOption,
                    format!("`{key}` must be a plain word, not `{v}`"),
                )
                .at(table.name.span(), "in this table's options"));
            }
            options.insert(key.to_string(), safe(v));
        }
    }
    if table.options.get(cx.d, "strict") == Some("true") {
        strict_types(cx, table)?;
    }
    let comment = match &table.comment {
        Some(c) if cx.r.comments_inline() => Some(cx.lit(c)),
        _ => None,
    };
    // MySQL sets an AUTO_INCREMENT column's first value as a table option.
    let auto_increment = table
        .columns
        .values()
        .find_map(|c| c.identity.as_ref().and_then(|i| i.start));
    Ok(context! {
        auto_increment,
        table => cx.qn(as_name),
        if_not_exists,
        columns,
        constraints,
        options => Value::from(options),
        comment => opt(comment),
    })
}

/// A `STRICT` table (SQLite's `sqlite.strict`) refuses column types the
/// dialect's [`crate::dialect::Rules::strict_table_takes`] does not take; it
/// would fail at CREATE.
fn strict_types(cx: &Cx, table: &Table) -> Result<(), Diagnostic> {
    for col in table.columns.values() {
        let ty = super::types::column_type(&col.ty, cx.d)?.sql;
        if !cx.r.strict_table_takes(&ty) {
            return Err(cx
                .unsupported(
                    Code::UnsupportedOption,
                    format!("`{}` is {ty} on {}, which a STRICT table refuses", col.name, cx.d),
                    col.span,
                )
                .with_help("give the column a type STRICT takes (`variant sqlite \"TEXT\"`), or drop `sqlite.strict`"));
        }
    }
    Ok(())
}

/// Where an identity is the rowid (SQLite), the primary key that must be
/// written inline as the rowid alias (`INTEGER PRIMARY KEY [AUTOINCREMENT]`):
/// one column carrying `autoincrement`.
fn rowid_pk<'t>(cx: &Cx, table: &'t Table) -> Option<(&'t str, &'t str)> {
    if !cx.r.identity_is_rowid() {
        return None;
    }
    table.constraints.values().find_map(|c| match &c.kind {
        ConstraintKind::PrimaryKey(cols) if cols.len() == 1 => {
            let col = table.columns.get(cols[0].as_str())?;
            let integer = matches!(
                col.ty.kind,
                TypeKind::SmallInt | TypeKind::Integer | TypeKind::BigInt
            );
            (col.identity.is_some() && integer).then_some((c.name.as_str(), col.name.as_str()))
        }
        _ => None,
    })
}

/// Table and column comments written as separate statements.
fn comments_of_table(cx: &mut Cx, table: &Table) -> Result<(), Diagnostic> {
    if cx.r.comments_inline() {
        return Ok(()); // already in CREATE TABLE
    }
    if let Some(c) = &table.comment {
        comment(cx, &table.name, None, Some(c), false)?;
    }
    for col in table.columns.values() {
        if let Some(c) = &col.comment {
            comment(cx, &table.name, Some(col.name.as_str()), Some(c), false)?;
        }
    }
    Ok(())
}

/// Sets or drops one comment. `existed`: there was a comment before (SQL Server
/// must update rather than add, and has nothing to drop otherwise). The
/// template gets every spelling a dialect's form needs: `COMMENT ON` an
/// `object` (through dynamic SQL where the text is no plain literal, as
/// `text_literal`), SQL Server's extended property of the schema, table and
/// column literals, MySQL's table option.
pub(crate) fn comment(
    cx: &mut Cx,
    table: &QualifiedName,
    column: Option<&str>,
    text: Option<&str>,
    existed: bool,
) -> Result<(), Diagnostic> {
    if !cx.r.comments_stored() {
        // There is nothing to write, and that is not an error, but the
        // reviewer sees that the comment was considered.
        cx.note(&format!(
            "{} has no comments: this comment is not stored",
            cx.d
        ));
        return Ok(());
    }
    if column.is_some() && cx.r.comments_inline() {
        // Part of the column definition (MODIFY).
        return Ok(());
    }
    let target = if column.is_some() { "column" } else { "table" };
    let mut object = cx.qn_str(table);
    if let Some(c) = column {
        object = format!("{object}.{}", cx.d.quote_ident(c));
    }
    // A text no literal can carry safely for the client (a line break for
    // SQL*Plus or sqlcmd) is written through dynamic SQL or a variable.
    let dynamic = text.is_some_and(|t| !cx.d.is_plain_literal(t));
    let n = |s: &str| safe(cx.d.quote_nstr(s));
    let ctx = context! {
        target,
        existed,
        dynamic,
        table => cx.qn(table),
        object => safe(object),
        text => opt(text.map(n)),
        text_literal => opt(text.map(|t| safe(cx.d.str_literal(t)))),
        schema_literal => opt(table.schema.as_ref().map(|s| n(s.as_str()))),
        table_literal => n(table.name.as_str()),
        column_literal => n(column.unwrap_or_default()),
    };
    cx.emit("comment", ctx)
}

/// `drop_table`.
pub(crate) fn drop_table(cx: &mut Cx, dt: &DropTable) -> Result<(), Diagnostic> {
    if dt.if_exists && !cx.r.table_if_exists() {
        return Err(cx.unsupported(
            Code::UnsupportedOption,
            format!("`if_exists` on drop_table is not supported on {}", cx.d),
            dt.name.span(),
        ));
    }
    let ctx = context! { table => cx.qn(&dt.name), if_exists => dt.if_exists };
    cx.emit("drop_table", ctx)
}

/// `rename_table`; objects named after the table (SQL Server's default
/// constraints, the CHECKs of [`column_objects`]) are renamed with it so later
/// ops find them.
pub(crate) fn rename_table(
    cx: &mut Cx,
    rt: &RenameTable,
    after: &Schema,
) -> Result<(), Diagnostic> {
    let new = QualifiedName {
        schema: rt.from.schema.clone(),
        name: rt.to.clone(),
    };
    let ctx = context! {
        table => cx.qn(&rt.from),
        new_name => cx.q(rt.to.as_str()),
        new_qualified => cx.qn(&new),
        old_literal => cx.lit(&cx.qn_str(&rt.from)),
        new_literal => cx.lit(rt.to.as_str()),
    };
    cx.emit("rename_table", ctx)?;
    if cx.r.named_defaults() || cx.r.type_checks_by_name() {
        // The renamed table has the columns it had: walking them is proportional
        // to the statements it emits.
        if let Some(table) = after.table(&new) {
            for col in table.columns.values() {
                for (old, new_name) in column_objects(
                    cx,
                    &rt.from,
                    &new,
                    col.name.as_str(),
                    col.name.as_str(),
                    col,
                ) {
                    rename_column_object(cx, &new, &old, &new_name)?;
                }
            }
        }
    }
    Ok(())
}

/// Objects named after a table and column that a rename must follow: SQL
/// Server's default constraint, and the CHECK the column's type needs where
/// those are handled by name ([`crate::dialect::Rules::type_checks_by_name`]), as
/// (old name, new name) pairs.
pub(crate) fn column_objects(
    cx: &Cx,
    old_table: &QualifiedName,
    new_table: &QualifiedName,
    old_col: &str,
    new_col: &str,
    col: &crate::ir::Column,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let default_names = (
        column::default_name(cx, old_table, old_col),
        column::default_name(cx, new_table, new_col),
    );
    if let (Some(old), Some(new), Some(_)) = (default_names.0, default_names.1, &col.default) {
        out.push((cx.fit(&old), cx.fit(&new)));
    }
    if cx.r.type_checks_by_name() {
        let check = |t, c| column::type_check(cx, t, c, &col.ty).ok().flatten();
        if let (Some((old, _)), Some((new, _))) =
            (check(old_table, old_col), check(new_table, new_col))
        {
            out.push((old, new));
        }
    }
    out.retain(|(a, b)| a != b);
    out
}

/// Renames one of the [`column_objects`] of `table` (its name after any table
/// rename): `RENAME CONSTRAINT`, or what the dialect's template says (SQL
/// Server's `sp_rename` takes the old name as a literal, qualified by schema).
pub(crate) fn rename_column_object(
    cx: &mut Cx,
    table: &QualifiedName,
    old: &str,
    new: &str,
) -> Result<(), Diagnostic> {
    let old_q = match &table.schema {
        Some(s) => format!("{}.{}", cx.d.quote_ident(s.as_str()), cx.d.quote_ident(old)),
        None => cx.d.quote_ident(old),
    };
    let ctx = context! {
        table => cx.qn(table),
        old => cx.q(old),
        new => cx.q(new),
        old_literal => cx.lit(&old_q),
        new_literal => cx.lit(new),
    };
    cx.emit("rename_constraint", ctx)
}

/// `add_column`.
pub(crate) fn add_column(cx: &mut Cx, ac: &AddColumn, after: &Schema) -> Result<(), Diagnostic> {
    if ac.if_not_exists && !cx.r.column_if_not_exists() {
        return Err(cx.unsupported(
            Code::UnsupportedOption,
            format!("`if_not_exists` on add_column is not supported on {}", cx.d),
            ac.column.span,
        ));
    }
    if cx.r.add_column_rebuilds(&ac.column) {
        cx.rebuild(&ac.table);
        return Ok(());
    }
    let position = match cx.r.column_position() {
        true => column_position(cx, after, ac)?,
        false => None,
    };
    let ctx = context! {
        table => cx.qn(&ac.table),
        column => column::column_value(cx, &ac.table, &ac.column, None)?,
        if_not_exists => ac.if_not_exists,
        position => opt(position),
    };
    cx.emit("add_column", ctx)?;
    if let Some(c) = &ac.column.comment {
        comment(cx, &ac.table, Some(ac.column.name.as_str()), Some(c), false)?;
    }
    Ok(())
}

/// MySQL: where the added column goes when the model does not put it last
/// (the derived downgrade of `drop_column` puts it back where it was): after
/// the quoted column `after`, or first when `after` is none (the template
/// spells `AFTER` / `FIRST`). PostgreSQL and SQLite can only append.
fn column_position(cx: &Cx, after: &Schema, ac: &AddColumn) -> Result<Option<Value>, Diagnostic> {
    let table = super::table_in(after, &ac.table, cx.span)?;
    let Some(pos) = table.columns.get_index_of(ac.column.name.as_str()) else {
        return Ok(None);
    };
    if pos + 1 >= table.columns.len() {
        return Ok(None);
    }
    Ok(Some(
        match pos.checked_sub(1).and_then(|p| table.columns.get_index(p)) {
            Some((prev, _)) => minijinja::context! { after => cx.q(prev) },
            None => minijinja::context! { after => () },
        },
    ))
}

/// `drop_column`. SQL Server first drops the column's named default and enum CHECK,
/// which would otherwise block the drop; SQLite rebuilds when the column is constrained.
pub(crate) fn drop_column(
    cx: &mut Cx,
    dc: &DropColumn,
    applied: &Applied,
    after: &Schema,
) -> Result<(), Diagnostic> {
    if dc.if_exists && !cx.r.column_if_exists() {
        return Err(cx.unsupported(
            Code::UnsupportedOption,
            format!("`if_exists` on drop_column is not supported on {}", cx.d),
            dc.column.span,
        ));
    }
    let col = old_column(applied, cx.span)?;
    // What went with the column in the model (`Schema::drop_column`: whatever
    // involves it and nothing else) is dropped first, by name, so that every
    // engine ends in the same schema: foreign keys (MySQL refuses to drop a
    // column or index a foreign key needs, ERROR 1553), indexes, then keys and
    // CHECKs. SQLite cannot drop a table constraint: it rebuilds the table.
    if !cx.r.alter_constraints() && !applied.dropped_constraints.is_empty() {
        cx.rebuild(&dc.table);
        return Ok(());
    }
    let table = super::table_in(after, &dc.table, cx.span)?;
    let (fks, others): (Vec<&Constraint>, Vec<&Constraint>) = applied
        .dropped_constraints
        .iter()
        .partition(|c| matches!(c.kind, ConstraintKind::ForeignKey(_)));
    // Keys that went too cover a foreign key as well as the table's own do.
    let dropped_keys: Vec<Vec<&str>> = applied
        .dropped_indexes
        .iter()
        .map(super::fk_index::index_key)
        .chain(
            others
                .iter()
                .filter_map(|c| super::fk_index::constraint_key(c)),
        )
        .collect();
    for fk in fks {
        drop_constraint_named(cx, &dc.table, fk)?;
        if super::fk_index::leaves_implicit_index(cx, table, fk, &dropped_keys) {
            drop_index_named(cx, &dc.table, fk.name.as_str())?;
        }
    }
    for idx in &applied.dropped_indexes {
        index::emit_drop(cx, idx)?;
    }
    for c in others {
        // MySQL keeps an AUTO_INCREMENT column a key (ERROR 1075 on DROP PRIMARY
        // KEY); its DROP COLUMN takes the key along.
        let auto_key = matches!(c.kind, ConstraintKind::PrimaryKey(_))
            && col.identity.is_some()
            && cx.r.identity_keeps_key();
        if !auto_key {
            drop_constraint_named(cx, &dc.table, c)?;
        }
    }
    if cx.r.column_dependents_block_alter() {
        let name = dc.column.as_str();
        for (obj, _) in column_objects(cx, &dc.table, &dc.table, name, "", col) {
            let ctx = context! { table => cx.qn(&dc.table), name => cx.q(&obj) };
            cx.emit("drop_constraint", ctx)?;
        }
    }
    let ctx = context! {
        table => cx.qn(&dc.table),
        column => cx.q(dc.column.as_str()),
        if_exists => dc.if_exists,
    };
    cx.emit("drop_column", ctx)
}

/// `ALTER TABLE t DROP CONSTRAINT c`, spelled for `c`'s kind.
fn drop_constraint_named(
    cx: &mut Cx,
    table: &QualifiedName,
    c: &Constraint,
) -> Result<(), Diagnostic> {
    let ctx = context! {
        table => cx.qn(table),
        name => cx.cname(c.name.as_str()),
        kind => c.kind.word(),
    };
    cx.emit("drop_constraint", ctx)
}

/// Drops the index `name` of `table` that the schema model does not hold
/// (InnoDB's own index for a foreign key).
fn drop_index_named(cx: &mut Cx, table: &QualifiedName, name: &str) -> Result<(), Diagnostic> {
    let ctx = context! {
        name => cx.cname(name),
        name_qualified => cx.cname(name),
        table => cx.qn(table),
        if_exists => false,
        concurrently => false,
        ..index::lock_options(cx, &Default::default(), false)
    };
    cx.emit("drop_index", ctx)
}

/// `create_*_constraint`.
pub(crate) fn add_constraint(cx: &mut Cx, ac: &AddConstraint) -> Result<(), Diagnostic> {
    if !cx.r.alter_constraints() {
        // Checked before the rebuild so that an unsupported option is still an error.
        constraint_value(cx, &ac.table, &ac.constraint)?;
        super::validate::not_valid(cx, ac);
        cx.rebuild(&ac.table);
        return Ok(());
    }
    let ctx = context! {
        table => cx.qn(&ac.table),
        constraint => constraint_value(cx, &ac.table, &ac.constraint)?,
        not_valid => super::validate::not_valid(cx, ac),
    };
    cx.emit("add_constraint", ctx)
}

/// `drop_constraint`: the kind comes from the schema model (MySQL spells each kind differently).
pub(crate) fn drop_constraint(
    cx: &mut Cx,
    dc: &DropConstraint,
    applied: &Applied,
    after: &Schema,
) -> Result<(), Diagnostic> {
    if dc.if_exists && applied.dropped_constraints.is_empty() {
        cx.note(&format!(
            "`{}` is not on `{}` here (if_exists): nothing to drop",
            dc.name, dc.table
        ));
        return Ok(());
    }
    if !cx.r.alter_constraints() {
        // The rebuilt table lacks the constraint whether or not the database had it.
        cx.rebuild(&dc.table);
        return Ok(());
    }
    if dc.if_exists && !cx.r.drop_constraint_if_exists() {
        return Err(cx
            .unsupported(
                Code::UnsupportedOption,
                format!("{} has no DROP CONSTRAINT IF EXISTS", cx.d),
                cx.span,
            )
            .with_help("leave out `if_exists`: the schema model knows the constraint is there"));
    }
    let dropped = applied.dropped_constraints.first().ok_or_else(|| {
        Diagnostic::error(
            Code::UnknownConstraint,
            format!("table `{}` has no constraint `{}`", dc.table, dc.name),
        )
        .at(dc.name.span, "no such constraint")
    })?;
    let table = super::table_in(after, &dc.table, cx.span)?;
    let kind = dropped.kind.word();
    let fks = match super::fk_index::constraint_key(dropped) {
        Some(key) => super::fk_index::fks_losing_index(cx, table, &key),
        None => Vec::new(),
    };
    super::fk_index::drop_fks(cx, &dc.table, &fks)?;
    let ctx = context! {
        table => cx.qn(&dc.table),
        name => cx.cname(dropped.name.as_str()),
        kind,
        if_exists => dc.if_exists,
    };
    cx.emit("drop_constraint", ctx)?;
    if super::fk_index::leaves_implicit_index(cx, table, dropped, &[]) {
        drop_index_named(cx, &dc.table, dropped.name.as_str())?;
    }
    super::fk_index::add_fks(cx, &dc.table, &fks)
}

/// `create_table_comment` / `drop_table_comment`.
pub(crate) fn set_table_comment(
    cx: &mut Cx,
    tc: &SetTableComment,
    applied: &Applied,
) -> Result<(), Diagnostic> {
    let existed = applied.old_comment.is_some();
    comment(cx, &tc.table, None, tc.comment.as_deref(), existed)
}

/// Names of the indexes and constraints of `table` that involve a column on
/// `d`: named `column` in their column lists, or `text_name` in their CHECK,
/// expression and predicate texts (matched by name, erring towards inclusion).
/// The two differ after a rename: the model renames column lists, not texts.
pub(crate) fn dependents(
    table: &Table,
    column: &str,
    text_name: &str,
    d: Dialect,
) -> (Vec<String>, Vec<String>) {
    let mentions = |text: &str| text.contains(text_name);
    let indexes = table
        .indexes
        .values()
        .filter(|i| {
            i.parts.iter().any(|p| match p {
                crate::ir::IndexPart::Column { name, .. } => name.as_str() == column,
                crate::ir::IndexPart::Expr(e) => mentions(&e.text),
            }) || match i.options.get(d, "include") {
                // The dialect's own list is text; the portable one follows renames.
                Some(_) => index::include_for(i, d).contains(&text_name),
                None => i.include.iter().any(|c| c.as_str() == column),
            } || index::condition_for(i, d).is_some_and(mentions)
        })
        .map(|i| i.name.name.clone())
        .collect();
    let constraints = table
        .constraints
        .values()
        .filter(|c| match &c.kind {
            ConstraintKind::Check(e) => mentions(&e.text),
            kind => kind.columns().iter().any(|c| c.as_str() == column),
        })
        .map(|c| c.name.name.clone())
        .collect();
    (indexes, constraints)
}

/// Drops the named indexes, then the named constraints (name, kind), of `table`.
fn drop_named(
    cx: &mut Cx,
    table: &QualifiedName,
    indexes: &[String],
    constraints: &[(String, &'static str)],
) -> Result<(), Diagnostic> {
    for name in indexes {
        let ctx = context! {
            name => cx.cname(name),
            name_qualified => cx.cname(name),
            table => cx.qn(table),
            if_exists => false,
            concurrently => false,
            ..index::lock_options(cx, &Default::default(), false)
        };
        cx.emit("drop_index", ctx)?;
    }
    for (name, kind) in constraints {
        let ctx = context! { table => cx.qn(table), name => cx.cname(name), kind => *kind };
        cx.emit("drop_constraint", ctx)?;
    }
    Ok(())
}

/// Drops what blocks ALTER COLUMN on SQL Server: the indexes and constraints
/// of `table` (as it is after the op) that involve the column, named `column`
/// now and `text_name` in texts.
pub(crate) fn drop_dependents(
    cx: &mut Cx,
    table: &Table,
    column: &str,
    text_name: &str,
) -> Result<(), Diagnostic> {
    let (indexes, constraints) = dependents(table, column, text_name, cx.d);
    let constraints: Vec<(String, &'static str)> = constraints
        .into_iter()
        .map(|n| {
            let kind = table.constraints.get(&n).map_or("check", |c| c.kind.word());
            (n, kind)
        })
        .collect();
    drop_named(cx, &table.name, &indexes, &constraints)
}

/// Recreates, from `table` as it is after the op, the dependents
/// [`drop_dependents`] dropped.
pub(crate) fn recreate_dependents(
    cx: &mut Cx,
    table: &Table,
    column: &str,
    text_name: &str,
) -> Result<(), Diagnostic> {
    let (indexes, constraints) = dependents(table, column, text_name, cx.d);
    for name in constraints {
        if let Some(c) = table.constraints.get(&name) {
            let ctx = context! { table => cx.qn(&table.name), constraint => constraint_value(cx, &table.name, c)? };
            cx.emit("add_constraint", ctx)?;
        }
    }
    for name in indexes {
        if let Some(i) = table.indexes.get(&name) {
            index::emit_create(cx, i, false, false)?;
        }
    }
    Ok(())
}

//! `Schema::apply` per op: validate against the model, mutate it, and build the
//! inverse. Every function checks everything before it changes anything, so an
//! error leaves the model as it was. Work is bounded by the touched table plus the
//! foreign keys that point at it (found through `Schema::referenced_by`).

use super::{key_in_schema, mentions, name_in_schema, Applied, Schema, Sequence, Table};
use crate::diag::Code;
use crate::diag::Diagnostic;
use crate::ir::{
    AddColumn, AddConstraint, AlterColumn, BulkInsert, Column, ColumnPosition, ColumnType,
    Constraint, ConstraintKind, CreateIndex, CreateSequence, CreateTable, DefaultValue, DeleteRows,
    DropColumn, DropConstraint, DropIndex, DropSequence, DropTable, EnumType, Ident, Index,
    IndexPart, Op, OpKind, QualifiedName, RenameTable, SetTableComment, TypeKind, UpdateRows,
    ValidateConstraint,
};
use crate::source::Span;
use indexmap::{IndexMap, IndexSet};

/// Why `execute` has no derived downgrade.
pub(super) const EXECUTE_IRREVERSIBLE: &str = "raw SQL has no known inverse: write the downgrade \
     by hand in `downgrade { ... }`, or declare it `downgrade irreversible \"why\"`";

/// Why `bulk_insert` has no derived downgrade.
const BULK_INSERT_IRREVERSIBLE: &str = "bulk_insert adds rows that ddlc cannot tell apart from \
     other rows on downgrade: write the DELETE by hand in `downgrade { ... }`";

/// Why `update_rows` and `delete_rows` have no derived downgrade.
const DATA_IRREVERSIBLE: &str = "the rows as they were before this op are not in the schema \
     model, so ddlc cannot put them back: write the inverse by hand in `downgrade { ... }`";

/// A successful op on `table` (its name before the op) and its inverse, each
/// inverse op carrying `span`.
pub(super) fn done(table: Option<&QualifiedName>, inverse: Vec<OpKind>, span: Span) -> Applied {
    Applied {
        table: table.cloned(),
        inverse: Ok(inverse
            .into_iter()
            .map(|kind| Op {
                kind,
                span,
                only: None,
            })
            .collect()),
        ..Applied::default()
    }
}

/// What `a` changes of `c`: the fields its `inverse` restores (the others
/// `a` gives as they already are).
fn change_column(c: &mut Column, a: &AlterColumn, inverse: &AlterColumn) {
    if let (Some(ty), Some(_)) = (&a.new_type, &inverse.new_type) {
        c.ty = ty.clone();
    }
    c.nullable = a.nullable.unwrap_or(c.nullable);
    if let Some(d) = &a.default {
        c.default = d.clone();
    }
    if let Some(cm) = &a.comment {
        c.comment = cm.clone();
    }
    if let Some(i) = &a.identity {
        c.identity = i.clone();
    }
}

/// A column that becomes an identity must be NOT NULL (every engine makes
/// one so; PostgreSQL's ADD GENERATED refuses a nullable column) and have no
/// default nor expression, once the op's other changes are made.
fn identity_fits(
    a: &AlterColumn,
    old: &Column,
    nullable: Option<bool>,
    default: Option<&Option<DefaultValue>>,
) -> Result<(), Diagnostic> {
    let nullable = nullable.unwrap_or(old.nullable);
    let has_default = default.map_or(old.default.is_some(), Option::is_some);
    let why = if nullable {
        Some("is nullable: make it `not_null` in the same op")
    } else if has_default {
        Some("has a default: `drop_default` in the same op")
    } else if old.computed.is_some() {
        Some("is computed")
    } else {
        None
    };
    match why {
        Some(why) => Err(Diagnostic::error(
            Code::ConflictingAttributes,
            format!("column `{}` cannot become an identity: it {why}", a.column),
        )
        .at(a.column.span, "this column")),
        None => Ok(()),
    }
}

/// A column can be renamed to `new` only if the table has no column of that name.
fn name_is_free(before: &Table, new: &Ident) -> Result<(), Diagnostic> {
    match before.columns.get(new.as_str()) {
        Some(other) => {
            let d = Diagnostic::error(
                Code::DuplicateColumn,
                format!("table `{}` already has a column `{}`", before.name, new),
            )
            .at(new.span, "already exists");
            Err(with_origin(d, other.name.span, "defined here"))
        }
        None => Ok(()),
    }
}

/// The constraints and indexes (by name) that go with a dropped column.
#[derive(Default)]
struct Doomed {
    constraints: Vec<String>,
    indexes: Vec<String>,
}

/// Where the column at `index` goes back, so the round trip keeps column order.
fn position_of(before: &Table, index: usize) -> ColumnPosition {
    if index + 1 == before.columns.len() {
        ColumnPosition::Last
    } else if index == 0 {
        ColumnPosition::First
    } else {
        before
            .columns
            .get_index(index - 1)
            .map(|(_, prev)| ColumnPosition::After(prev.name.clone()))
            .unwrap_or_default()
    }
}

/// An `if_exists` / `if_not_exists` op whose case was already true: nothing changes.
fn noop(table: Option<&QualifiedName>) -> Applied {
    done(table, Vec::new(), Span::NONE)
}

/// Where to point for a name the naming convention may have made: the name
/// itself when the user wrote it, else the whole definition.
fn name_span(name: &Ident, generated: bool, whole: Span) -> Span {
    if generated {
        whole
    } else {
        name.span
    }
}

/// Adds a secondary label unless the span is the synthetic default (compiler-made).
pub(super) fn with_origin(d: Diagnostic, span: Span, label: &str) -> Diagnostic {
    if span.is_none() {
        d
    } else {
        d.with_secondary(span, label)
    }
}

fn enum_of(ty: &ColumnType) -> Option<&EnumType> {
    match &ty.kind {
        TypeKind::Enum(e) => Some(e),
        _ => None,
    }
}

/// Same SQL type, ignoring where it was written.
fn same_type(a: &ColumnType, b: &ColumnType) -> bool {
    a.kind == b.kind && a.variants == b.variants
}

fn unknown_column(t: &Table, col: &Ident) -> Diagnostic {
    Diagnostic::error(
        Code::UnknownColumn,
        format!("table `{}` has no column `{}`", t.name, col),
    )
    .at(col.span, "no such column")
    .with_suggestion(col.as_str(), t.columns.keys().map(String::as_str))
}

fn check_columns(t: &Table, cols: &[Ident]) -> Result<(), Diagnostic> {
    match cols.iter().find(|c| !t.columns.contains_key(c.as_str())) {
        Some(c) => Err(unknown_column(t, c)),
        None => Ok(()),
    }
}

/// The columns an index names, as plain parts and `include` columns.
fn index_columns(idx: &Index) -> impl Iterator<Item = &Ident> {
    idx.parts
        .iter()
        .filter_map(|p| match p {
            IndexPart::Column { name, .. } => Some(name),
            IndexPart::Expr(_) => None,
        })
        .chain(&idx.include)
}

fn rename_in(cols: &mut [Ident], old: &str, new: &Ident) {
    for c in cols.iter_mut().filter(|c| c.name == old) {
        *c = new.clone();
    }
}

/// Makes room for one more entry in a table's map, growing it by a quarter
/// rather than doubling: the model holds every table to the end, and most
/// tables never grow again (a doubled map of columns was a fifth of a long
/// compile's memory). Still geometric, so thousands of ops on one table stay
/// linear.
fn room_for_one<V>(map: &mut IndexMap<String, V>) {
    if map.len() == map.capacity() {
        map.reserve_exact((map.len() / 4).max(1));
    }
}

/// Renames a column inside one table: its position, and every constraint
/// and index of the table that names it.
fn rename_column_in_table(t: &mut Table, old: &str, new: &Ident) {
    // swap_remove + insert + swap_indices keeps the column's position in O(1).
    if let Some((pos, _, mut col)) = t.columns.swap_remove_full(old) {
        col.name = new.clone();
        let (last, _) = t.columns.insert_full(new.name.clone(), col);
        t.columns.swap_indices(pos, last);
    }
    for c in t.constraints.values_mut() {
        match &mut c.kind {
            ConstraintKind::PrimaryKey(cols) | ConstraintKind::Unique(cols) => {
                rename_in(cols, old, new)
            }
            ConstraintKind::ForeignKey(fk) => rename_in(&mut fk.columns, old, new),
            ConstraintKind::Check(_) => {}
        }
    }
    for idx in t.indexes.values_mut() {
        for part in &mut idx.parts {
            if let IndexPart::Column { name, .. } = part {
                if name.name == old {
                    *name = new.clone();
                }
            }
        }
        rename_in(&mut idx.include, old, new);
    }
}

impl Schema {
    fn unknown_table(&self, name: &QualifiedName) -> Diagnostic {
        // Scans every table name, but only on the way to an error.
        Diagnostic::error(Code::UnknownTable, format!("there is no table `{name}`"))
            .at(name.span(), "no such table")
            .with_suggestion(&name.key(), self.tables.keys().map(String::as_str))
    }

    fn unknown_sequence(&self, name: &QualifiedName) -> Diagnostic {
        Diagnostic::error(
            Code::UnknownSequence,
            format!("there is no sequence `{name}`"),
        )
        .at(name.span(), "no such sequence")
        .with_suggestion(&name.key(), self.sequences.keys().map(String::as_str))
    }

    /// The table `name`, for validation before the op changes anything (no
    /// copy: an op costs what it touches, not the size of its table).
    fn table_now(&self, name: &QualifiedName) -> Result<&Table, Diagnostic> {
        self.tables
            .get(&name.key())
            .ok_or_else(|| self.unknown_table(name))
    }

    fn table_mut(&mut self, key: &str) -> Result<&mut Table, Diagnostic> {
        // `key` was looked up by the caller just before; reaching this error is a bug.
        self.tables.get_mut(key).ok_or_else(|| {
            Diagnostic::error(
                Code::InternalError,
                format!("table `{key}` vanished from the model"),
            )
        })
    }

    /// `e`, used by a column of `table`, must agree with the enum of that name
    /// already in use and with those met earlier in the same op (`pending`).
    fn check_enum(
        &self,
        table: &QualifiedName,
        e: &EnumType,
        pending: &[&EnumType],
    ) -> Result<(), Diagnostic> {
        let key = key_in_schema(table, &e.name);
        let known = self
            .enums
            .get(&key)
            .map(|(x, _)| x)
            .or_else(|| pending.iter().copied().find(|p| p.name == e.name));
        match known {
            Some(x) if x.values != e.values => {
                let values = x
                    .values
                    .iter()
                    .map(|v| format!("'{}'", v.replace('\'', "''")))
                    .collect::<Vec<_>>()
                    .join(", ");
                let d = Diagnostic::error(
                    Code::EnumMismatch,
                    format!("enum `{key}` is already defined with the values ({values})"),
                )
                .at(e.name.span, "different values for the same enum")
                .with_help(
                    "use the same values, or give this enum a new name \
                     (an enum's values cannot change while a column uses it)",
                );
                Err(with_origin(d, x.name.span, "first defined here"))
            }
            _ => Ok(()),
        }
    }

    fn check_default(&self, default: Option<&DefaultValue>) -> Result<(), Diagnostic> {
        match default {
            Some(DefaultValue::NextVal(seq)) if !self.sequences.contains_key(&seq.key()) => {
                Err(self.unknown_sequence(seq))
            }
            _ => Ok(()),
        }
    }

    /// A column about to be added to `t`: its name is free, its enum agrees,
    /// its `nextval` sequence exists.
    fn check_new_column(
        &self,
        t: &Table,
        col: &Column,
        pending: &[&EnumType],
    ) -> Result<(), Diagnostic> {
        if let Some(old) = t.columns.get(col.name.as_str()) {
            let d = Diagnostic::error(
                Code::DuplicateColumn,
                format!("table `{}` already has a column `{}`", t.name, col.name),
            )
            .at(col.name.span, "already exists");
            return Err(with_origin(d, old.name.span, "first defined here"));
        }
        if let Some(e) = enum_of(&col.ty) {
            self.check_enum(&t.name, e, pending)?;
        }
        self.check_default(col.default.as_ref())
    }

    /// A constraint about to be added to `t` (which may be a table being
    /// created, so a foreign key may reference `t` itself).
    fn check_constraint(&self, t: &Table, c: &Constraint) -> Result<(), Diagnostic> {
        let span = name_span(&c.name, c.generated_name, c.span);
        if let Some(old) = t.constraints.get(c.name.as_str()) {
            let d = Diagnostic::error(
                Code::DuplicateConstraint,
                format!("table `{}` already has a constraint `{}`", t.name, c.name),
            )
            .at(span, "already exists");
            return Err(with_origin(d, old.span, "first defined here"));
        }
        check_columns(t, c.kind.columns())?;
        match &c.kind {
            ConstraintKind::PrimaryKey(_) => {
                if let Some(pk) = t.primary_key() {
                    let d = Diagnostic::error(
                        Code::DuplicatePrimaryKey,
                        format!("table `{}` already has a primary key `{}`", t.name, pk.name),
                    )
                    .at(span, "second primary key")
                    .with_help(format!("drop `{}` first", pk.name));
                    return Err(with_origin(d, pk.span, "the primary key"));
                }
            }
            ConstraintKind::ForeignKey(fk) => {
                let target = if fk.ref_table.key() == t.name.key() {
                    t
                } else {
                    self.tables
                        .get(&fk.ref_table.key())
                        .ok_or_else(|| self.unknown_table(&fk.ref_table))?
                };
                check_columns(target, &fk.ref_columns)?;
                if fk.ref_columns.len() != fk.columns.len() {
                    let at = match (fk.ref_columns.first(), fk.ref_columns.last()) {
                        (Some(a), Some(b)) => a.span.to(b.span),
                        _ => fk.ref_table.span(),
                    };
                    return Err(Diagnostic::error(
                        Code::ForeignKeyColumnCount,
                        format!(
                            "foreign key `{}` has {} column(s) but references {}",
                            c.name,
                            fk.columns.len(),
                            fk.ref_columns.len()
                        ),
                    )
                    .at(at, format!("expected {} column(s) here", fk.columns.len())));
                }
            }
            ConstraintKind::Unique(_) | ConstraintKind::Check(_) => {}
        }
        Ok(())
    }

    /// An index about to be created on `t`: its name is free in the schema and
    /// in `t`, and the columns it names exist.
    fn check_index(&self, t: &Table, idx: &Index) -> Result<(), Diagnostic> {
        let key = key_in_schema(&t.name, &idx.name);
        let existing = self
            .index_owner
            .get(&key)
            .and_then(|owner| self.tables.get(owner))
            .and_then(|o| o.indexes.get(idx.name.as_str()).map(|i| (o, i)))
            .or_else(|| t.indexes.get(idx.name.as_str()).map(|i| (t, i)));
        if let Some((owner, old)) = existing {
            let d = Diagnostic::error(
                Code::DuplicateIndex,
                format!("index `{key}` already exists (on table `{}`)", owner.name),
            )
            .at(
                name_span(&idx.name, idx.generated_name, idx.span),
                "already exists",
            )
            .with_note("index names are unique per schema");
            return Err(with_origin(d, old.span, "first defined here"));
        }
        match index_columns(idx).find(|c| !t.columns.contains_key(c.as_str())) {
            Some(c) => Err(unknown_column(t, c)),
            None => Ok(()),
        }
    }

    fn acquire_enum(&mut self, table: &QualifiedName, e: &EnumType, created: &mut Vec<EnumType>) {
        let key = key_in_schema(table, &e.name);
        match self.enums.get_mut(&key) {
            Some((_, uses)) => *uses += 1,
            None => {
                self.enums.insert(key, (e.clone(), 1));
                created.push(e.clone());
            }
        }
    }

    fn release_enum(&mut self, table: &QualifiedName, e: &EnumType, dropped: &mut Vec<EnumType>) {
        let key = key_in_schema(table, &e.name);
        let last = match self.enums.get_mut(&key) {
            Some((_, uses)) if *uses > 1 => {
                *uses -= 1;
                false
            }
            Some(_) => true,
            None => false,
        };
        if last {
            if let Some((e, _)) = self.enums.swap_remove(&key) {
                dropped.push(e);
            }
        }
    }

    fn link_fk(&mut self, table_key: &str, c: &Constraint) {
        if let ConstraintKind::ForeignKey(fk) = &c.kind {
            self.referenced_by
                .entry(fk.ref_table.key())
                .or_default()
                .insert((table_key.to_string(), c.name.name.clone()));
        }
    }

    fn unlink_fk(&mut self, table_key: &str, c: &Constraint) {
        if let ConstraintKind::ForeignKey(fk) = &c.kind {
            let target = fk.ref_table.key();
            if let Some(set) = self.referenced_by.get_mut(&target) {
                set.swap_remove(&(table_key.to_string(), c.name.name.clone()));
                if set.is_empty() {
                    self.referenced_by.swap_remove(&target);
                }
            }
        }
    }

    pub(super) fn create_table(
        &mut self,
        c: &CreateTable,
        span: Span,
    ) -> Result<Applied, Diagnostic> {
        let key = c.name.key();
        if let Some(old) = self.tables.get(&key) {
            if c.if_not_exists {
                return Ok(noop(None));
            }
            let d = Diagnostic::error(
                Code::DuplicateTable,
                format!("table `{key}` already exists"),
            )
            .at(c.name.span(), "already exists");
            return Err(with_origin(d, old.name.span(), "created here"));
        }
        let mut t = Table {
            name: c.name.clone(),
            columns: IndexMap::with_capacity(c.columns.len()),
            constraints: IndexMap::with_capacity(c.constraints.len()),
            indexes: IndexMap::with_capacity(c.indexes.len()),
            comment: c.comment.clone(),
            options: c.options.clone(),
            generated_columns: 0,
        };
        let mut pending: Vec<&EnumType> = Vec::new();
        for col in &c.columns {
            self.check_new_column(&t, col, &pending)?;
            pending.extend(enum_of(&col.ty));
            t.columns.insert(col.name.name.clone(), col.clone());
            t.generated_columns += usize::from(col.computed.is_some());
        }
        for con in &c.constraints {
            self.check_constraint(&t, con)?;
            t.constraints.insert(con.name.name.clone(), con.clone());
        }
        for idx in &c.indexes {
            self.check_index(&t, idx)?;
            // An index written inside the table block is on that table, whatever it says.
            let idx = Index {
                table: c.name.clone(),
                ..idx.clone()
            };
            t.indexes.insert(idx.name.name.clone(), idx);
        }
        let mut created = Vec::new();
        for e in pending {
            self.acquire_enum(&c.name, e, &mut created);
        }
        for con in t.constraints.values() {
            self.link_fk(&key, con);
        }
        for idx in t.indexes.values() {
            self.index_owner
                .insert(key_in_schema(&c.name, &idx.name), key.clone());
        }
        self.tables.insert(key, t);
        let inverse = OpKind::DropTable(DropTable {
            name: c.name.clone(),
            if_exists: false,
        });
        let mut applied = done(None, vec![inverse], span);
        applied.enums_created = created;
        Ok(applied)
    }

    pub(super) fn drop_table(&mut self, d: &DropTable, span: Span) -> Result<Applied, Diagnostic> {
        let key = d.name.key();
        if !self.tables.contains_key(&key) {
            return match d.if_exists {
                true => Ok(noop(None)),
                false => Err(self.unknown_table(&d.name)),
            };
        }
        self.no_view_reads_table(&d.name, "drop")?;
        self.no_trigger_on(&d.name, "drop")?;
        let referrer = self
            .referenced_by
            .get(&key)
            .and_then(|refs| refs.iter().find(|(tk, _)| *tk != key));
        if let Some((tk, fk)) = referrer {
            let diag = Diagnostic::error(
                Code::TableReferenced,
                format!(
                    "cannot drop table `{key}`: foreign key `{fk}` on table `{tk}` references it"
                ),
            )
            .at(d.name.span(), "still referenced")
            .with_help(format!(
                "drop the foreign key first: `drop_constraint {fk} on {tk}`"
            ));
            let fk_span = self
                .tables
                .get(tk)
                .and_then(|t| t.constraints.get(fk))
                .map_or(Span::NONE, |c| c.span);
            return Err(with_origin(diag, fk_span, "the foreign key"));
        }
        // shift_remove keeps creation order; it moves the later entries (a memmove,
        // no clone), the one step here that grows with the number of tables.
        let Some(t) = self.tables.shift_remove(&key) else {
            return Err(self.unknown_table(&d.name));
        };
        for con in t.constraints.values() {
            self.unlink_fk(&key, con);
        }
        self.referenced_by.swap_remove(&key);
        for idx in t.indexes.values() {
            self.index_owner
                .swap_remove(&key_in_schema(&t.name, &idx.name));
        }
        let mut dropped = Vec::new();
        for col in t.columns.values() {
            if let Some(e) = enum_of(&col.ty) {
                self.release_enum(&t.name, e, &mut dropped);
            }
        }
        let name = t.name.clone();
        let inverse = OpKind::CreateTable(t.into_create());
        let mut applied = done(Some(&name), vec![inverse], span);
        applied.enums_dropped = dropped;
        Ok(applied)
    }

    pub(super) fn rename_table(
        &mut self,
        r: &RenameTable,
        span: Span,
    ) -> Result<Applied, Diagnostic> {
        let old_key = r.from.key();
        let new_name = name_in_schema(&r.from, &r.to);
        let new_key = new_name.key();
        if let Some(existing) = self.tables.get(&new_key) {
            let d = Diagnostic::error(
                Code::DuplicateTable,
                format!(
                    "cannot rename `{old_key}` to `{new_key}`: table `{new_key}` already exists"
                ),
            )
            .at(r.to.span, "already exists");
            return Err(with_origin(d, existing.name.span(), "created here"));
        }
        if self.tables.contains_key(&old_key) {
            self.no_view_reads_table(&r.from, "rename")?;
            self.no_trigger_on(&r.from, "rename")?;
        }
        // swap_remove + insert + swap_indices keeps every table's position in O(1).
        let Some((pos, _, mut t)) = self.tables.swap_remove_full(&old_key) else {
            return Err(self.unknown_table(&r.from));
        };
        let old_name = t.name.clone();
        t.name = name_in_schema(&t.name, &r.to);

        // Foreign keys pointing at the table now point at the new name.
        let incoming = self.referenced_by.swap_remove(&old_key).unwrap_or_default();
        let mut moved = IndexSet::new();
        for (tk, fk_name) in incoming {
            let holder = if tk == old_key {
                Some(&mut t)
            } else {
                self.tables.get_mut(&tk)
            };
            if let Some(c) = holder.and_then(|h| h.constraints.get_mut(&fk_name)) {
                if let ConstraintKind::ForeignKey(fk) = &mut c.kind {
                    fk.ref_table.name = r.to.clone();
                }
            }
            let tk = if tk == old_key { new_key.clone() } else { tk };
            moved.insert((tk, fk_name));
        }
        // The table's own foreign keys are now listed under its new name.
        for c in t.constraints.values() {
            if let ConstraintKind::ForeignKey(fk) = &c.kind {
                let target = fk.ref_table.key();
                if target == new_key {
                    continue; // a self-reference, moved above
                }
                if let Some(set) = self.referenced_by.get_mut(&target) {
                    set.swap_remove(&(old_key.clone(), c.name.name.clone()));
                    set.insert((new_key.clone(), c.name.name.clone()));
                }
            }
        }
        if !moved.is_empty() {
            self.referenced_by.insert(new_key.clone(), moved);
        }
        let name = t.name.clone();
        for idx in t.indexes.values_mut() {
            idx.table = name.clone();
            self.index_owner
                .insert(key_in_schema(&name, &idx.name), new_key.clone());
        }
        let (last, _) = self.tables.insert_full(new_key, t);
        self.tables.swap_indices(pos, last);
        let inverse = OpKind::RenameTable(RenameTable {
            from: new_name,
            to: r.from.name.clone(),
        });
        Ok(done(Some(&old_name), vec![inverse], span))
    }

    pub(super) fn add_column(&mut self, a: &AddColumn, span: Span) -> Result<Applied, Diagnostic> {
        let before = self.table_now(&a.table)?;
        if a.if_not_exists && before.columns.contains_key(a.column.name.as_str()) {
            return Ok(noop(Some(&before.name)));
        }
        self.check_new_column(before, &a.column, &[])?;
        let table_name = before.name.clone();
        let index = match &a.position {
            ColumnPosition::Last => before.columns.len(),
            ColumnPosition::First => 0,
            ColumnPosition::After(prev) => match before.columns.get_index_of(prev.as_str()) {
                Some(i) => i + 1,
                None => {
                    return Err(Diagnostic::error(
                        Code::UnknownColumn,
                        format!(
                            "table `{}` has no column `{prev}` to add `{}` after",
                            a.table, a.column.name
                        ),
                    )
                    .at(prev.span, "no such column"))
                }
            },
        };
        let mut created = Vec::new();
        if let Some(e) = enum_of(&a.column.ty) {
            self.acquire_enum(&table_name, e, &mut created);
        }
        let t = self.table_mut(&a.table.key())?;
        room_for_one(&mut t.columns);
        t.columns
            .shift_insert(index, a.column.name.name.clone(), a.column.clone());
        t.generated_columns += usize::from(a.column.computed.is_some());
        let inverse = OpKind::DropColumn(DropColumn {
            table: a.table.clone(),
            column: a.column.name.clone(),
            if_exists: false,
        });
        let mut applied = done(Some(&table_name), vec![inverse], span);
        applied.enums_created = created;
        Ok(applied)
    }

    /// Why `col` of `t` cannot be dropped: something that outlives it uses it.
    fn column_in_use(
        d: &DropColumn,
        t: &Table,
        what: String,
        at: Span,
        name: &Ident,
    ) -> Diagnostic {
        let diag = Diagnostic::error(
            Code::ColumnInUse,
            format!(
                "cannot drop column `{}` of table `{}`: {what}",
                d.column, t.name
            ),
        )
        .at(d.column.span, "still in use")
        .with_help(format!("drop `{name}` first"));
        with_origin(diag, at, "uses the column")
    }

    pub(super) fn drop_column(
        &mut self,
        d: &DropColumn,
        span: Span,
    ) -> Result<Applied, Diagnostic> {
        let before = self.table_now(&d.table)?;
        let Some(index) = before.columns.get_index_of(d.column.as_str()) else {
            return match d.if_exists {
                true => Ok(noop(Some(&before.name))),
                false => Err(unknown_column(before, &d.column)),
            };
        };
        if before.columns.len() == 1 {
            return Err(Diagnostic::error(
                Code::DropLastColumn,
                format!(
                    "cannot drop `{}`, the only column of table `{}`",
                    d.column, before.name
                ),
            )
            .at(d.column.span, "last column")
            .with_help(format!(
                "drop the table instead: `drop_table {}`",
                before.name
            )));
        }
        self.no_view_reads_column(before, &d.column, "drop")?;
        let doomed = self.goes_with_column(d, before)?;
        Self::no_generated_user(d, before)?;
        let position = position_of(before, index);
        let table_name = before.name.clone();
        self.remove_column(d, doomed, &table_name, position, span)
    }

    /// What goes with the column: every constraint and index that involves
    /// it and no other column (its keys, its CHECKs, its indexes, plain,
    /// expression or partial), by name. Anything that also involves another
    /// column would silently change meaning (engines differ: PostgreSQL drops
    /// it, MySQL shrinks it, SQLite and SQL Server refuse), so the user drops
    /// it first; so do foreign keys that reference the column.
    fn goes_with_column(&self, d: &DropColumn, before: &Table) -> Result<Doomed, Diagnostic> {
        let key = d.table.key();
        let col = d.column.as_str();
        let mut doomed = Doomed::default();
        for c in before.constraints.values() {
            let cols = mentions::constraint_columns(c, before);
            if cols.contains(&col) {
                if cols.len() > 1 {
                    let what = format!("constraint `{}` also uses other columns", c.name);
                    return Err(Self::column_in_use(d, before, what, c.span, &c.name));
                }
                doomed.constraints.push(c.name.name.clone());
            }
        }
        for (tk, fk_name) in self.referenced_by.get(&key).into_iter().flatten() {
            let Some(c) = self.tables.get(tk).and_then(|t| t.constraints.get(fk_name)) else {
                continue;
            };
            let ConstraintKind::ForeignKey(fk) = &c.kind else {
                continue;
            };
            let goes_too = *tk == key && doomed.constraints.contains(fk_name);
            if !goes_too && fk.ref_columns.iter().any(|x| x.name == col) {
                let what = format!("foreign key `{fk_name}` on table `{tk}` references it");
                return Err(Self::column_in_use(d, before, what, c.span, &c.name));
            }
        }
        for idx in before.indexes.values() {
            let cols = mentions::index_columns(idx, before);
            if cols.contains(&col) {
                if cols.len() > 1 {
                    let what = format!("index `{}` also uses other columns", idx.name);
                    return Err(Self::column_in_use(d, before, what, idx.span, &idx.name));
                }
                doomed.indexes.push(idx.name.name.clone());
            }
        }
        Ok(doomed)
    }

    /// A generated column that uses the dropped one must be dropped first.
    fn no_generated_user(d: &DropColumn, before: &Table) -> Result<(), Diagnostic> {
        let col = d.column.as_str();
        if before.generated_columns == 0 {
            return Ok(());
        }
        let generated = before.columns.values().find(|c| {
            c.name.name != col
                && c.computed
                    .as_ref()
                    .is_some_and(|g| mentions::columns_in(&g.expr.text, before).contains(&col))
        });
        match generated {
            Some(g) => {
                let what = format!("generated column `{}` uses it", g.name);
                Err(Self::column_in_use(d, before, what, g.span, &g.name))
            }
            None => Ok(()),
        }
    }

    /// Removes the column and what goes with it; the inverse adds them back
    /// (the column at `position`).
    fn remove_column(
        &mut self,
        d: &DropColumn,
        doomed: Doomed,
        table_name: &QualifiedName,
        position: ColumnPosition,
        span: Span,
    ) -> Result<Applied, Diagnostic> {
        let key = d.table.key();
        let t = self.table_mut(&key)?;
        let constraints: Vec<Constraint> = doomed
            .constraints
            .iter()
            .filter_map(|n| t.constraints.shift_remove(n))
            .collect();
        let indexes: Vec<Index> = doomed
            .indexes
            .iter()
            .filter_map(|n| t.indexes.shift_remove(n))
            .collect();
        let column = t.columns.shift_remove(d.column.as_str());
        t.generated_columns -= usize::from(column.as_ref().is_some_and(|c| c.computed.is_some()));
        for c in &constraints {
            self.unlink_fk(&key, c);
        }
        for idx in &indexes {
            self.index_owner
                .swap_remove(&key_in_schema(table_name, &idx.name));
        }
        let mut dropped = Vec::new();
        let mut inverse = Vec::new();
        if let Some(column) = &column {
            if let Some(e) = enum_of(&column.ty) {
                self.release_enum(table_name, e, &mut dropped);
            }
            inverse.push(OpKind::AddColumn(AddColumn {
                table: d.table.clone(),
                column: column.clone(),
                if_not_exists: false,
                position,
            }));
        }
        inverse.extend(constraints.iter().map(|constraint| {
            OpKind::AddConstraint(AddConstraint {
                table: d.table.clone(),
                constraint: constraint.clone(),
                not_valid: false,
            })
        }));
        inverse.extend(indexes.iter().map(|index| {
            OpKind::CreateIndex(CreateIndex {
                index: index.clone(),
                concurrently: false,
                if_not_exists: false,
            })
        }));
        let mut applied = done(Some(table_name), inverse, span);
        applied.old_column = column;
        applied.dropped_constraints = constraints;
        applied.dropped_indexes = indexes;
        applied.enums_dropped = dropped;
        Ok(applied)
    }

    /// `validate_constraint`: a foreign key or check of the table. Nothing
    /// to undo: a validated constraint is the one the model already has.
    pub(super) fn validate_constraint(
        &mut self,
        v: &ValidateConstraint,
        span: Span,
    ) -> Result<Applied, Diagnostic> {
        let before = self.table_now(&v.table)?;
        let Some(c) = before.constraints.get(v.name.as_str()) else {
            return Err(Diagnostic::error(
                Code::UnknownConstraint,
                format!("table `{}` has no constraint `{}`", before.name, v.name),
            )
            .at(v.name.span, "no such constraint")
            .with_suggestion(
                v.name.as_str(),
                before.constraints.keys().map(String::as_str),
            ));
        };
        if !matches!(
            c.kind,
            ConstraintKind::ForeignKey(_) | ConstraintKind::Check(_)
        ) {
            return Err(Diagnostic::error(
                Code::UnsupportedOp,
                format!(
                    "`{}` is a {} constraint: only foreign keys and checks are validated",
                    v.name,
                    c.kind.word()
                ),
            )
            .at(v.name.span, "not a foreign key or check"));
        }
        let table_name = before.name.clone();
        Ok(done(Some(&table_name), Vec::new(), span))
    }

    pub(super) fn alter_column(
        &mut self,
        a: &AlterColumn,
        span: Span,
    ) -> Result<Applied, Diagnostic> {
        let key = a.table.key();
        let before = self.table_now(&a.table)?;
        let Some(old) = before.columns.get(a.column.as_str()) else {
            return Err(unknown_column(before, &a.column));
        };
        let renamed = a.rename.as_ref().filter(|n| n.name != a.column.name);
        if let Some(n) = renamed {
            name_is_free(before, n)?;
        }
        let new_type = a.new_type.as_ref().filter(|ty| !same_type(ty, &old.ty));
        self.no_view_reads_altered(before, &a.column, renamed.is_some(), new_type.is_some())?;
        if let Some(e) = new_type.and_then(enum_of) {
            self.check_enum(&before.name, e, &[])?;
        }
        if let Some(Some(default)) = &a.default {
            self.check_default(Some(default))?;
        }
        let nullable = a.nullable.filter(|n| *n != old.nullable);
        let default = a.default.as_ref().filter(|d| **d != old.default);
        let comment = a.comment.as_ref().filter(|c| **c != old.comment);
        let identity = a.identity.as_ref().filter(|i| **i != old.identity);
        if let Some(Some(_)) = identity {
            identity_fits(a, old, nullable, default)?;
        }
        // The one column this op changes, as it was: what lowering and the inverse need.
        let old = old.clone();
        let table_name = before.name.clone();

        // The inverse restores exactly what changes, addressing the column by its new name.
        let inverse = AlterColumn {
            table: a.table.clone(),
            column: renamed.unwrap_or(&a.column).clone(),
            new_type: new_type.map(|_| old.ty.clone()),
            using: None,
            nullable: nullable.map(|_| old.nullable),
            default: default.map(|_| old.default.clone()),
            rename: renamed.map(|_| old.name.clone()),
            comment: comment.map(|_| old.comment.clone()),
            identity: identity.map(|_| old.identity.clone()),
        };
        let changed = identity.is_some()
            || new_type.is_some()
            || nullable.is_some()
            || default.is_some()
            || comment.is_some()
            || renamed.is_some();

        let (created, dropped) = match new_type {
            Some(ty) => self.retype_enums(&table_name, &old.ty, ty),
            None => (Vec::new(), Vec::new()),
        };
        let t = self.table_mut(&key)?;
        if let Some(c) = t.columns.get_mut(a.column.as_str()) {
            change_column(c, a, &inverse);
        }
        if let Some(new) = renamed {
            rename_column_in_table(t, a.column.as_str(), new);
            self.rename_referenced(&key, a.column.as_str(), new);
        }
        let inverse = match changed {
            true => vec![OpKind::AlterColumn(inverse)],
            false => Vec::new(),
        };
        let mut applied = done(Some(&table_name), inverse, span);
        applied.old_column = Some(old);
        applied.enums_created = created;
        applied.enums_dropped = dropped;
        Ok(applied)
    }

    /// The enum types a column's new type creates and its old type drops.
    fn retype_enums(
        &mut self,
        table_name: &QualifiedName,
        old: &ColumnType,
        new: &ColumnType,
    ) -> (Vec<EnumType>, Vec<EnumType>) {
        let (mut created, mut dropped) = (Vec::new(), Vec::new());
        // Acquire before release, so a column moving between two columns'
        // shared enum never sees it dropped and recreated.
        if let Some(e) = enum_of(new) {
            self.acquire_enum(table_name, e, &mut created);
        }
        if let Some(e) = enum_of(old) {
            self.release_enum(table_name, e, &mut dropped);
        }
        (created, dropped)
    }

    /// A renamed column's new name in the foreign keys that reference it.
    fn rename_referenced(&mut self, key: &str, old: &str, new: &Ident) {
        let referrers: Vec<(String, String)> = self
            .referenced_by
            .get(key)
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default();
        for (tk, fk_name) in referrers {
            let c = self
                .tables
                .get_mut(&tk)
                .and_then(|t| t.constraints.get_mut(&fk_name));
            if let Some(ConstraintKind::ForeignKey(fk)) = c.map(|c| &mut c.kind) {
                rename_in(&mut fk.ref_columns, old, new);
            }
        }
    }

    pub(super) fn add_constraint(
        &mut self,
        a: &AddConstraint,
        span: Span,
    ) -> Result<Applied, Diagnostic> {
        let key = a.table.key();
        let before = self.table_now(&a.table)?;
        self.check_constraint(before, &a.constraint)?;
        let table_name = before.name.clone();
        let constraints = &mut self.table_mut(&key)?.constraints;
        room_for_one(constraints);
        constraints.insert(a.constraint.name.name.clone(), a.constraint.clone());
        self.link_fk(&key, &a.constraint);
        let inverse = OpKind::DropConstraint(DropConstraint {
            table: a.table.clone(),
            name: a.constraint.name.clone(),
            convention_names: Vec::new(),
            if_exists: false,
        });
        Ok(done(Some(&table_name), vec![inverse], span))
    }

    pub(super) fn drop_constraint(
        &mut self,
        d: &DropConstraint,
        span: Span,
    ) -> Result<Applied, Diagnostic> {
        let key = d.table.key();
        let before = self.table_now(&d.table)?;
        // The name as written, else the one name the naming convention makes of it.
        let found: Vec<&Ident> = match before.constraints.contains_key(d.name.as_str()) {
            true => vec![&d.name],
            false => d
                .convention_names
                .iter()
                .filter(|n| before.constraints.contains_key(n.as_str()))
                .collect(),
        };
        let name = match found[..] {
            [one] => one.name.clone(),
            [] if d.if_exists => return Ok(noop(Some(&before.name))),
            [] => {
                let mut diag = Diagnostic::error(
                    Code::UnknownConstraint,
                    format!("table `{}` has no constraint `{}`", before.name, d.name),
                )
                .at(d.name.span, "no such constraint")
                .with_suggestion(
                    d.name.as_str(),
                    before.constraints.keys().map(String::as_str),
                );
                let tried: Vec<String> = d
                    .convention_names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect();
                if !tried.is_empty() {
                    diag = diag.with_note(format!(
                        "nor one the naming convention makes of it: {}",
                        tried.join(", ")
                    ));
                }
                return Err(diag);
            }
            _ => {
                let names: Vec<String> = found.iter().map(|n| format!("`{n}`")).collect();
                return Err(Diagnostic::error(
                    Code::AmbiguousConstraint,
                    format!(
                        "`{}` on table `{}` could be {}",
                        d.name,
                        before.name,
                        names.join(" or ")
                    ),
                )
                .at(d.name.span, "which constraint?")
                .with_help(format!(
                    "say which with `type {}`, or name it exactly with `conv(name)`",
                    ConstraintKind::TYPE_WORDS.join("|")
                )));
            }
        };
        let table_name = before.name.clone();
        let Some(old) = self.table_mut(&key)?.constraints.shift_remove(&name) else {
            return Err(Diagnostic::error(
                Code::InternalError,
                "constraint vanished from the model",
            ));
        };
        self.unlink_fk(&key, &old);
        let inverse = OpKind::AddConstraint(AddConstraint {
            table: d.table.clone(),
            constraint: old.clone(),
            not_valid: false,
        });
        let mut applied = done(Some(&table_name), vec![inverse], span);
        applied.dropped_constraints = vec![old];
        Ok(applied)
    }

    pub(super) fn create_index(
        &mut self,
        c: &CreateIndex,
        span: Span,
    ) -> Result<Applied, Diagnostic> {
        let idx = &c.index;
        let key = idx.table.key();
        let before = self.table_now(&idx.table)?;
        let ikey = key_in_schema(&before.name, &idx.name);
        if c.if_not_exists && self.index_owner.contains_key(&ikey) {
            return Ok(noop(Some(&before.name)));
        }
        self.check_index(before, idx)?;
        let table_name = before.name.clone();
        let indexes = &mut self.table_mut(&key)?.indexes;
        room_for_one(indexes);
        indexes.insert(idx.name.name.clone(), idx.clone());
        self.index_owner.insert(ikey, key);
        let inverse = OpKind::DropIndex(DropIndex {
            name: name_in_schema(&idx.table, &idx.name),
            table: Some(idx.table.clone()),
            concurrently: c.concurrently,
            if_exists: false,
            // A build done online is undone online (`mysql.lock = none` ...).
            options: idx.options.clone(),
        });
        Ok(done(Some(&table_name), vec![inverse], span))
    }

    pub(super) fn drop_index(&mut self, d: &DropIndex, span: Span) -> Result<Applied, Diagnostic> {
        // An unqualified index name given with its table lives in the table's schema.
        let ikey = match (&d.name.schema, &d.table) {
            (None, Some(t)) => key_in_schema(t, &d.name.name),
            _ => d.name.key(),
        };
        let table = match &d.table {
            Some(t) => Some(self.table_now(t)?),
            None => None,
        };
        let owner = self.index_owner.get(&ikey).cloned();
        let owner = match (owner, table) {
            (Some(o), Some(t)) if o != t.name.key() => {
                return Err(Diagnostic::error(
                    Code::UnknownIndex,
                    format!("table `{}` has no index `{}`", t.name, d.name),
                )
                .at(d.name.span(), "not on this table")
                .with_note(format!("index `{ikey}` is on table `{o}`")));
            }
            (Some(o), _) => o,
            (None, _) if d.if_exists => return Ok(noop(table.map(|t| &t.name))),
            (None, Some(t)) => {
                return Err(Diagnostic::error(
                    Code::UnknownIndex,
                    format!("table `{}` has no index `{}`", t.name, d.name),
                )
                .at(d.name.span(), "no such index")
                .with_suggestion(d.name.name.as_str(), t.indexes.keys().map(String::as_str)));
            }
            (None, None) => {
                return Err(Diagnostic::error(
                    Code::UnknownIndex,
                    format!("there is no index `{}`", d.name),
                )
                .at(d.name.span(), "no such index")
                .with_suggestion(&ikey, self.index_owner.keys().map(String::as_str)));
            }
        };
        let t = self.table_mut(&owner)?;
        let table_name = t.name.clone();
        let Some(old) = t.indexes.shift_remove(d.name.name.as_str()) else {
            return Err(Diagnostic::error(
                Code::InternalError,
                "index missing from its table",
            ));
        };
        self.index_owner.swap_remove(&ikey);
        let inverse = OpKind::CreateIndex(CreateIndex {
            index: old.clone(),
            concurrently: d.concurrently,
            if_not_exists: false,
        });
        let mut applied = done(Some(&table_name), vec![inverse], span);
        applied.dropped_indexes = vec![old];
        Ok(applied)
    }

    pub(super) fn set_table_comment(
        &mut self,
        c: &SetTableComment,
        span: Span,
    ) -> Result<Applied, Diagnostic> {
        let t = self.tables.get_mut(&c.table.key());
        let Some(t) = t else {
            return Err(self.unknown_table(&c.table));
        };
        let old = std::mem::replace(&mut t.comment, c.comment.clone());
        let table_name = t.name.clone();
        let inverse = OpKind::SetTableComment(SetTableComment {
            table: c.table.clone(),
            comment: old.clone(),
        });
        let mut applied = done(Some(&table_name), vec![inverse], span);
        applied.old_comment = old;
        Ok(applied)
    }

    pub(super) fn create_sequence(
        &mut self,
        c: &CreateSequence,
        span: Span,
    ) -> Result<Applied, Diagnostic> {
        let key = c.name.key();
        if let Some(old) = self.sequences.get(&key) {
            let d = Diagnostic::error(
                Code::DuplicateSequence,
                format!("sequence `{key}` already exists"),
            )
            .at(c.name.span(), "already exists");
            return Err(with_origin(d, old.name.span(), "created here"));
        }
        self.sequences.insert(
            key,
            Sequence {
                name: c.name.clone(),
                start: c.start,
                increment: c.increment,
            },
        );
        let inverse = OpKind::DropSequence(DropSequence {
            name: c.name.clone(),
        });
        Ok(done(None, vec![inverse], span))
    }

    pub(super) fn drop_sequence(
        &mut self,
        d: &DropSequence,
        span: Span,
    ) -> Result<Applied, Diagnostic> {
        let Some(old) = self.sequences.shift_remove(&d.name.key()) else {
            return Err(self.unknown_sequence(&d.name));
        };
        let inverse = OpKind::CreateSequence(CreateSequence {
            name: old.name,
            start: old.start,
            increment: old.increment,
        });
        Ok(done(None, vec![inverse], span))
    }

    pub(super) fn bulk_insert(&mut self, b: &BulkInsert) -> Result<Applied, Diagnostic> {
        let before = self.table_now(&b.table)?;
        check_columns(before, &b.columns)?;
        for (i, c) in b.columns.iter().enumerate() {
            if b.columns.iter().take(i).any(|x| x == c) {
                return Err(Diagnostic::error(
                    Code::DuplicateColumn,
                    format!("column `{c}` is listed twice in bulk_insert"),
                )
                .at(c.span, "listed twice"));
            }
        }
        if let Some((n, row)) = b
            .rows
            .iter()
            .enumerate()
            .find(|(_, r)| r.len() != b.columns.len())
        {
            return Err(Diagnostic::error(
                Code::BulkInsertRowLength,
                format!(
                    "row {} of bulk_insert has {} value(s) for {} column(s)",
                    n + 1,
                    row.len(),
                    b.columns.len()
                ),
            )
            .at(b.table.span(), "in this bulk_insert"));
        }
        Ok(Applied {
            table: Some(before.name.clone()),
            inverse: Err(BULK_INSERT_IRREVERSIBLE.to_string()),
            ..Applied::default()
        })
    }

    /// `update_rows`: the table and every column set exist (and none is set
    /// twice or is generated); the rows it changes cannot be put back.
    pub(super) fn update_rows(&mut self, u: &UpdateRows) -> Result<Applied, Diagnostic> {
        let before = self.table_now(&u.table)?;
        for (i, (c, _)) in u.set.iter().enumerate() {
            let Some(col) = before.column(c.as_str()) else {
                return Err(unknown_column(before, c));
            };
            if let Some((first, _)) = u.set.iter().take(i).find(|(x, _)| x == c) {
                return Err(Diagnostic::error(
                    Code::DuplicateColumn,
                    format!("column `{c}` is set twice in update_rows"),
                )
                .at(c.span, "set again here")
                .with_secondary(first.span, "first set here"));
            }
            if col.computed.is_some() {
                let d = Diagnostic::error(
                    Code::ColumnInUse,
                    format!("column `{c}` is generated: its value cannot be set"),
                )
                .at(c.span, "a `computed` column");
                return Err(with_origin(d, col.span, "defined here"));
            }
        }
        Ok(Applied {
            table: Some(before.name.clone()),
            inverse: Err(DATA_IRREVERSIBLE.to_string()),
            ..Applied::default()
        })
    }

    /// `delete_rows`: the table exists; the rows it deletes cannot be put back.
    pub(super) fn delete_rows(&mut self, d: &DeleteRows) -> Result<Applied, Diagnostic> {
        let before = self.table_now(&d.table)?;
        Ok(Applied {
            table: Some(before.name.clone()),
            inverse: Err(DATA_IRREVERSIBLE.to_string()),
            ..Applied::default()
        })
    }
}

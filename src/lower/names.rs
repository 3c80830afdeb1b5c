//! Names and texts as the dialect can take them. A name the user wrote must
//! fit the dialect's limit and hold only what the engine and its client can
//! read back (a located error otherwise: PostgreSQL would cut a long name
//! silently, and two long names sharing a prefix would collide); a name ddlc
//! generated is shortened deterministically instead, the same way for the
//! CREATE and the later DROP, so it can always be found again.

use crate::diag::Code;
use crate::diag::Diagnostic;
use crate::dialect::Dialect;
use crate::ir::{
    Column, ConstraintKind, DefaultValue, Ident, Literal, Op, OpKind, QualifiedName, TypeKind,
};
use crate::source::Span;

/// Checks every name and text `op` writes for `d`: names it defines (tables,
/// columns, constraints and indexes the user named, sequences, enum types,
/// schemas) for length and characters, names it refers to and texts
/// (literals, comments) for characters the engine or its client cannot read
/// back (a NUL ends the line for psql and sqlite3).
pub fn check_op(op: &Op, d: Dialect) -> Result<(), Diagnostic> {
    let c = Check {
        d,
        op_span: op.span,
    };
    match &op.kind {
        OpKind::CreateTable(ct) => c.create_table(ct)?,
        OpKind::DropTable(dt) => c.qualified(&dt.name, false)?,
        OpKind::RenameTable(rt) => {
            c.qualified(&rt.from, false)?;
            c.name(&rt.to, true)?;
        }
        OpKind::AddColumn(ac) => {
            c.qualified(&ac.table, false)?;
            c.column(&ac.column)?;
        }
        OpKind::DropColumn(dc) => {
            c.qualified(&dc.table, false)?;
            c.name(&dc.column, false)?;
        }
        OpKind::AlterColumn(ac) => c.alter_column(ac)?,
        OpKind::AddConstraint(ac) => {
            c.qualified(&ac.table, false)?;
            c.name(&ac.constraint.name, !ac.constraint.generated_name)?;
            c.constraint(&ac.constraint.kind)?;
        }
        OpKind::DropConstraint(dc) => {
            c.qualified(&dc.table, false)?;
            c.name(&dc.name, false)?;
        }
        OpKind::ValidateConstraint(v) => {
            c.qualified(&v.table, false)?;
            c.name(&v.name, false)?;
        }
        OpKind::CreateIndex(ci) => {
            c.qualified(&ci.index.table, false)?;
            c.name(&ci.index.name, !ci.index.generated_name)?;
            for p in &ci.index.parts {
                if let crate::ir::IndexPart::Column { name, .. } = p {
                    c.name(name, false)?;
                }
            }
        }
        OpKind::DropIndex(di) => c.qualified(&di.name, false)?,
        OpKind::SetTableComment(tc) => {
            c.qualified(&tc.table, false)?;
            if let Some(t) = &tc.comment {
                c.comment(t, true, op.span)?;
            }
        }
        OpKind::CreateSequence(cs) => c.qualified(&cs.name, true)?,
        OpKind::DropSequence(ds) => c.qualified(&ds.name, false)?,
        OpKind::AlterEnum(ae) => c.alter_enum(ae)?,
        OpKind::BulkInsert(bi) => c.bulk_insert(bi)?,
        OpKind::UpdateRows(u) => c.update_rows(u)?,
        OpKind::DeleteRows(d) => c.qualified(&d.table, false)?,
        OpKind::Execute(_) => {}
        OpKind::CreateView(cv) => c.qualified(&cv.name, true)?,
        OpKind::ReplaceView(cv) => c.qualified(&cv.name, false)?,
        OpKind::DropView(dv) => c.qualified(&dv.name, false)?,
        OpKind::CreateRoutine(r) | OpKind::ReplaceRoutine(r) => {
            c.qualified(&r.name, matches!(op.kind, OpKind::CreateRoutine(_)))?
        }
        OpKind::DropRoutine(d) => c.qualified(&d.name, false)?,
    }
    Ok(())
}

/// `s` for a message: control characters escaped, so a hostile name cannot
/// break the diagnostic's layout.
fn shown(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

struct Check {
    d: Dialect,
    op_span: Span,
}

impl Check {
    /// The enum's name and the values the op writes.
    fn alter_enum(&self, ae: &crate::ir::AlterEnum) -> Result<(), Diagnostic> {
        self.qualified(&ae.name, false)?;
        let (value, other) = match &ae.change {
            crate::ir::EnumChange::Add(v, _) | crate::ir::EnumChange::Drop(v) => (v, None),
            crate::ir::EnumChange::Rename(from, to) => (from, Some(to)),
        };
        for v in std::iter::once(value).chain(other) {
            self.literal(&Literal::String(v.clone()), ae.value_span)?;
        }
        Ok(())
    }

    /// The table, the columns set and the literal values.
    fn update_rows(&self, u: &crate::ir::UpdateRows) -> Result<(), Diagnostic> {
        self.qualified(&u.table, false)?;
        for (col, v) in &u.set {
            self.name(col, false)?;
            if let crate::ir::RowValue::Literal(l) = v {
                self.literal(l, self.op_span)?;
            }
        }
        Ok(())
    }

    fn create_table(&self, ct: &crate::ir::CreateTable) -> Result<(), Diagnostic> {
        self.qualified(&ct.name, true)?;
        for col in &ct.columns {
            self.column(col)?;
        }
        for con in &ct.constraints {
            self.name(&con.name, !con.generated_name)?;
            self.constraint(&con.kind)?;
        }
        for idx in &ct.indexes {
            self.name(&idx.name, !idx.generated_name)?;
        }
        if let Some(t) = &ct.comment {
            self.comment(t, true, self.op_span)?;
        }
        Ok(())
    }

    fn alter_column(&self, ac: &crate::ir::AlterColumn) -> Result<(), Diagnostic> {
        self.qualified(&ac.table, false)?;
        self.name(&ac.column, false)?;
        if let Some(to) = &ac.rename {
            self.name(to, true)?;
        }
        if let Some(ty) = &ac.new_type {
            self.enum_type(&ty.kind)?;
        }
        if let Some(Some(v)) = &ac.default {
            self.default(v)?;
        }
        if let Some(Some(t)) = &ac.comment {
            self.comment(t, false, self.op_span)?;
        }
        Ok(())
    }

    fn bulk_insert(&self, bi: &crate::ir::BulkInsert) -> Result<(), Diagnostic> {
        self.qualified(&bi.table, false)?;
        for col in &bi.columns {
            self.name(col, false)?;
        }
        for row in &bi.rows {
            for v in row {
                self.literal(v, self.op_span)?;
            }
        }
        Ok(())
    }

    fn at(&self, span: Span) -> Span {
        if span.is_none() {
            self.op_span
        } else {
            span
        }
    }

    /// A name; `defined`: this op gives it (so its length is checked too).
    fn name(&self, name: &Ident, defined: bool) -> Result<(), Diagnostic> {
        let d = self.d;
        let length = || {
            if defined {
                d.check_name_length(name.as_str())
            } else {
                Ok(())
            }
        };
        d.check_name(name.as_str())
            .map_err(|why| (Code::InvalidIdentifier, why))
            .and_then(|()| length().map_err(|why| (Code::NameTooLong, why)))
            .map_err(|(code, why)| {
                Diagnostic::error(
                    code,
                    format!("`{}` cannot be a name on {d}", shown(name.as_str())),
                )
                .at(self.at(name.span), why)
            })
    }

    /// A possibly schema-qualified name; a schema named where something is
    /// defined in it is held to the same limit.
    fn qualified(&self, q: &QualifiedName, defined: bool) -> Result<(), Diagnostic> {
        if let Some(s) = &q.schema {
            self.name(s, defined)?;
        }
        self.name(&q.name, defined)
    }

    fn column(&self, col: &Column) -> Result<(), Diagnostic> {
        self.name(&col.name, true)?;
        self.enum_type(&col.ty.kind)?;
        if let Some(v) = &col.default {
            self.default(v)?;
        }
        if let Some(t) = &col.comment {
            self.comment(t, false, col.span)?;
        }
        Ok(())
    }

    /// An enum's values are literals everywhere; its name is a name only
    /// where it is a type of its own (PostgreSQL).
    fn enum_type(&self, kind: &TypeKind) -> Result<(), Diagnostic> {
        if let TypeKind::Enum(e) = kind {
            if self.d.rules().named_enum_type() {
                self.name(&e.name, true)?;
            }
            for v in &e.values {
                self.text(v, e.name.span)?;
            }
        }
        Ok(())
    }

    fn default(&self, v: &DefaultValue) -> Result<(), Diagnostic> {
        match v {
            DefaultValue::Literal(l) => self.literal(l, self.op_span),
            DefaultValue::NextVal(q) => self.qualified(q, false),
            _ => Ok(()),
        }
    }

    fn constraint(&self, kind: &ConstraintKind) -> Result<(), Diagnostic> {
        for col in kind.columns() {
            self.name(col, false)?;
        }
        if let ConstraintKind::ForeignKey(fk) = kind {
            self.qualified(&fk.ref_table, false)?;
            for col in &fk.ref_columns {
                self.name(col, false)?;
            }
        }
        Ok(())
    }

    fn literal(&self, l: &Literal, span: Span) -> Result<(), Diagnostic> {
        match l {
            Literal::String(s) => self.text(s, span),
            _ => Ok(()),
        }
    }

    /// A comment of a table (`table`) or a column.
    fn comment(&self, s: &str, table: bool, span: Span) -> Result<(), Diagnostic> {
        self.text(s, span)?;
        self.d.check_comment(s, table).map_err(|why| {
            Diagnostic::error(
                Code::InvalidText,
                format!("this comment cannot be stored on {}", self.d),
            )
            .at(self.at(span), why)
        })
    }

    /// A text the engine stores (a literal, a comment).
    fn text(&self, s: &str, span: Span) -> Result<(), Diagnostic> {
        if !s.contains('\0') {
            return Ok(());
        }
        Err(Diagnostic::error(
            Code::InvalidText,
            format!(
                "a text with a NUL character cannot be written for {}",
                self.d
            ),
        )
        .at(
            self.at(span),
            "psql and sqlite3 end the line at a NUL, and PostgreSQL cannot store one",
        ))
    }
}

/// `name` if it fits in `max` bytes, else its first bytes, `_` and 8 hex digits
/// of the FNV-1a hash of the whole name (cut on a char boundary).
pub fn fit(name: &str, max: usize) -> String {
    if name.len() <= max || max < 10 {
        return name.to_string();
    }
    let mut keep = max - 9;
    while !name.is_char_boundary(keep) {
        keep -= 1;
    }
    format!("{}_{:08x}", &name[..keep], fnv1a(name.as_bytes()))
}

/// 32-bit FNV-1a: tiny, stable across releases and platforms, good enough to
/// keep two long names that share a prefix apart.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(*b)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{CreateTable, DialectOptions};
    use crate::testkit;

    fn create(name: &str, col: &str) -> Op {
        let mut c = testkit::col(col, TypeKind::Integer);
        c.name.span = Span::new(crate::source::FileId(0), 10, 10 + col.len());
        Op {
            kind: OpKind::CreateTable(CreateTable {
                name: QualifiedName::bare(Ident::new(
                    name,
                    Span::new(crate::source::FileId(0), 1, 2),
                )),
                columns: vec![c],
                constraints: vec![],
                indexes: vec![],
                comment: None,
                if_not_exists: false,
                options: DialectOptions::default(),
            }),
            span: Span::new(crate::source::FileId(0), 0, 5),
            only: None,
        }
    }

    #[test]
    fn user_names_over_the_limit_are_errors_at_the_name() {
        let long = "t".repeat(70);
        let e = check_op(&create(&long, "id"), Dialect::PostgreSql).expect_err("70 bytes");
        assert_eq!(e.code, Code::NameTooLong);
        assert_eq!(e.primary.map(|p| p.span.range()), Some(1..2));
        assert!(check_op(&create(&long, "id"), Dialect::MySql).is_err());
        assert!(check_op(&create(&long, "id"), Dialect::Sqlite).is_ok());
        assert!(check_op(&create(&long[..63], "id"), Dialect::PostgreSql).is_ok());
        let e = check_op(&create("t", &"c".repeat(129)), Dialect::MsSql).expect_err("129");
        assert_eq!(e.primary.map(|p| p.span.start), Some(10));
        let mut in_schema = create("t", "id");
        if let OpKind::CreateTable(ct) = &mut in_schema.kind {
            ct.name.schema = Some(Ident::new(
                "s".repeat(64),
                Span::new(crate::source::FileId(0), 3, 4),
            ));
        }
        let e = check_op(&in_schema, Dialect::PostgreSql).expect_err("64-byte schema");
        assert_eq!(e.primary.map(|p| p.span.start), Some(3));
        let e = check_op(&create("t", "a\nGO"), Dialect::MsSql).expect_err("line break");
        assert_eq!(e.code, Code::InvalidIdentifier);
        assert!(check_op(&create("t", "a\nGO"), Dialect::PostgreSql).is_ok());
    }

    #[test]
    fn short_names_are_kept_long_ones_fit_with_a_stable_suffix() {
        assert_eq!(fit("ix_users_email", 30), "ix_users_email");
        let long = "fk_order_line_items_customer_shipping_address_id_customer_addresses";
        let a = fit(long, 30);
        assert_eq!(a.len(), 30);
        assert_eq!(a, fit(long, 30), "deterministic");
        assert!(
            a.starts_with(&long[..21]) && a.as_bytes()[21] == b'_',
            "{a}"
        );
        let other = fit(&format!("{long}x"), 30);
        assert_ne!(a, other, "different names stay different");
        // Known FNV-1a value, so the suffix never changes between releases.
        assert_eq!(fnv1a(b"a"), 0xe40c292c);
    }

    #[test]
    fn cuts_on_char_boundaries() {
        let name = "é".repeat(40);
        let fitted = fit(&name, 30);
        assert!(fitted.len() <= 30, "{fitted}");
    }
}

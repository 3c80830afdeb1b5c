//! One dump statement at a time into the tables being built: `CREATE
//! TABLE`, `CREATE INDEX`, `ALTER TABLE .. ADD CONSTRAINT / ALTER COLUMN`,
//! `COMMENT ON`, `CREATE TYPE .. AS ENUM`, `CREATE VIEW`. Foreign keys are
//! held back until every table exists (dumps create tables in name order,
//! not in dependency order), then views.

use super::sequence::{identity, identity_words};
use super::unsupported;
use super::value::{default_value, sql_expr, type_kind};
use crate::diag::Diagnostic;
use crate::dialect::Dialect;
use crate::ir::{
    AddConstraint, Column, ColumnType, Constraint, ConstraintKind, CreateSequence, CreateTable,
    CreateView, DialectOptions, FkAction, ForeignKey, Ident, Index, IndexPart, Op, OpKind,
    QualifiedName,
};
use crate::naming::{Convention, Kind, Parts};
use crate::source::{FileId, Span};
use indexmap::IndexMap;
use sqlparser::ast::{self as sql, ColumnOption, Statement, TableConstraint};

/// The schema being read.
pub struct Reader<'a> {
    pub(super) dialect: Dialect,
    pub(super) file: FileId,
    pub(super) version_table: &'a str,
    pub(super) naming: &'a Convention,
    pub(super) tables: IndexMap<String, CreateTable>,
    pub(super) foreign_keys: Vec<AddConstraint>,
    pub(super) views: IndexMap<String, CreateView>,
    pub(super) enums: IndexMap<String, Vec<String>>,
    pub(super) sequences: IndexMap<String, CreateSequence>,
    /// Sequence key → the `(table key, column)` that owns it (`OWNED BY`):
    /// with that column's `nextval` default, what `serial` makes.
    pub(super) owned: IndexMap<String, (String, String)>,
    pub(super) diags: Vec<Diagnostic>,
    /// The identity options of the statement being read, as words (see
    /// `identity_options` in the module above).
    pub identity_words: Option<Vec<String>>,
}

impl<'a> Reader<'a> {
    /// A reader of one dump of `dialect`.
    pub fn new(
        dialect: Dialect,
        file: FileId,
        version_table: &'a str,
        naming: &'a Convention,
    ) -> Reader<'a> {
        Reader {
            dialect,
            file,
            version_table,
            naming,
            tables: IndexMap::new(),
            foreign_keys: Vec::new(),
            views: IndexMap::new(),
            enums: IndexMap::new(),
            sequences: IndexMap::new(),
            owned: IndexMap::new(),
            diags: Vec::new(),
            identity_words: None,
        }
    }

    /// Records a problem.
    pub fn fail(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// The ops that build the schema read, and the problems found.
    pub fn finish(mut self) -> (Vec<Op>, Vec<Diagnostic>) {
        let span = Span::new(self.file, 0, 0);
        for table in self.tables.values_mut() {
            for c in &mut table.constraints {
                name_unnamed(self.naming, &table.name, c);
            }
        }
        for fk in &mut self.foreign_keys {
            name_unnamed(self.naming, &fk.table, &mut fk.constraint);
        }
        if self.dialect.rules().fk_needs_index() {
            self.drop_implicit_fk_indexes();
        }
        self.serials();
        let ops = self
            .sequences
            .into_values()
            .map(OpKind::CreateSequence)
            .chain(self.tables.into_values().map(OpKind::CreateTable))
            .chain(self.foreign_keys.into_iter().map(OpKind::AddConstraint))
            .chain(self.views.into_values().map(OpKind::CreateView))
            .map(|kind| Op::new(kind, span))
            .collect();
        (ops, self.diags)
    }

    /// The engine makes an index for each foreign key, named as the key
    /// (MySQL): it goes with the key, and is not an index of its own.
    fn drop_implicit_fk_indexes(&mut self) {
        for fk in &self.foreign_keys {
            let Some(table) = self.tables.get_mut(&fk.table.key()) else {
                continue;
            };
            let columns = fk.constraint.kind.columns();
            table.indexes.retain(|i| {
                let same_columns = i.parts.len() == columns.len()
                    && i.parts
                        .iter()
                        .zip(columns)
                        .all(|(p, c)| matches!(p, IndexPart::Column { name, .. } if name == c));
                !(i.name == fk.constraint.name && !i.unique && same_columns)
            });
        }
    }

    /// Reads one statement written at `span`.
    pub fn statement(&mut self, stmt: Statement, span: Span) {
        let done = match stmt {
            Statement::CreateTable(t) => self.create_table(t, span),
            Statement::CreateIndex(i) => self.create_index(i, span),
            Statement::AlterTable(a) => self.alter_table(a, span),
            Statement::Comment {
                object_type,
                object_name,
                comment,
                ..
            } => self.comment(object_type, &object_name, comment, span),
            Statement::CreateType {
                name,
                representation: Some(sql::UserDefinedTypeRepresentation::Enum { labels }),
            } => {
                let labels = labels.into_iter().map(|l| l.value).collect();
                self.enums.insert(self.qname(&name, span).name.name, labels);
                Ok(())
            }
            Statement::CreateView(v) => self.create_view(v, span),
            other => Err(unsupported(
                format!(
                    "`{}` is not a table, index, constraint, comment, enum or view",
                    head(&other)
                ),
                span,
            )),
        };
        if let Err(d) = done {
            self.diags.push(d);
        }
    }

    /// A dump's name as the model's: the default schema (`public.`) dropped.
    fn qname(&self, name: &sql::ObjectName, span: Span) -> QualifiedName {
        let mut parts: Vec<String> = name
            .0
            .iter()
            .map(|p| match p {
                sql::ObjectNamePart::Identifier(i) => i.value.clone(),
                other => other.to_string(),
            })
            .collect();
        let last = Ident::new(parts.pop().unwrap_or_default(), span);
        let schema = parts
            .pop()
            .filter(|s| Some(s.as_str()) != self.dialect.rules().default_schema())
            .map(|s| Ident::new(s, span));
        QualifiedName { schema, name: last }
    }

    fn ident(&self, i: &sql::Ident, span: Span) -> Ident {
        Ident::new(i.value.clone(), span)
    }

    fn table_mut(
        &mut self,
        name: &QualifiedName,
        span: Span,
    ) -> Result<&mut CreateTable, Diagnostic> {
        self.tables.get_mut(&name.key()).ok_or_else(|| {
            Diagnostic::error(
                crate::diag::Code::UnknownTable,
                format!("table `{name}` is not created before this statement"),
            )
            .at(span, "no such table in the dump")
        })
    }

    fn create_table(&mut self, t: sql::CreateTable, span: Span) -> Result<(), Diagnostic> {
        let name = self.qname(&t.name, span);
        if name.name.name == self.version_table
            || self.dialect.rules().internal_table(&name.name.name)
        {
            return Ok(());
        }
        if t.query.is_some() || t.like.is_some() {
            return Err(unsupported(
                "a table made from a query or another table",
                span,
            ));
        }
        let mut table = empty_table(&name);
        for col in &t.columns {
            self.column(&mut table, col, span)?;
        }
        table.comment = table_comment(&t);
        for c in t.constraints {
            self.table_constraint(&mut table, c, span)?;
        }
        self.rowid_identity(&mut table);
        self.tables.insert(name.key(), table);
        Ok(())
    }

    /// SQLite: a single-column INTEGER primary key is the rowid, which is
    /// what `autoincrement` makes there.
    fn rowid_identity(&self, table: &mut CreateTable) {
        if !self.dialect.rules().identity_is_rowid() {
            return;
        }
        let pk = table.constraints.iter().find_map(|c| match &c.kind {
            ConstraintKind::PrimaryKey(cols) if cols.len() == 1 => Some(cols[0].name.clone()),
            _ => None,
        });
        if let Some(col) = pk.and_then(|pk| table.columns.iter_mut().find(|c| c.name.name == pk)) {
            if col.ty.kind == crate::ir::TypeKind::Integer {
                col.identity = Some(Box::default());
            }
        }
    }

    fn column(
        &mut self,
        table: &mut CreateTable,
        col: &sql::ColumnDef,
        span: Span,
    ) -> Result<(), Diagnostic> {
        let kind = type_kind(self.dialect, &col.data_type, &self.enums, &col.name.value);
        let mut column = Column {
            name: self.ident(&col.name, span),
            ty: ColumnType::new(kind, span),
            nullable: true,
            default: None,
            identity: None,
            computed: None,
            comment: None,
            span,
        };
        for opt in &col.options {
            self.column_option(table, &mut column, opt, span)?;
        }
        table.columns.push(column);
        Ok(())
    }

    fn column_option(
        &mut self,
        table: &mut CreateTable,
        column: &mut Column,
        opt: &sql::ColumnOptionDef,
        span: Span,
    ) -> Result<(), Diagnostic> {
        let one = || vec![column.name.clone()];
        let named = |kind| Constraint {
            name: Ident::new(
                opt.name
                    .as_ref()
                    .map(|n| n.value.clone())
                    .unwrap_or_default(),
                span,
            ),
            generated_name: opt.name.is_none(),
            kind,
            span,
        };
        match &opt.option {
            ColumnOption::Null => column.nullable = true,
            ColumnOption::NotNull => column.nullable = false,
            ColumnOption::Default(e) => column.default = default_value(e, &column.ty.kind, span),
            ColumnOption::Comment(c) => column.comment = Some(c.clone()),
            ColumnOption::PrimaryKey(_) => {
                column.nullable = false;
                push_constraint(table, named(ConstraintKind::PrimaryKey(one())));
            }
            ColumnOption::Unique(_) => push_constraint(table, named(ConstraintKind::Unique(one()))),
            ColumnOption::Check(c) if self.is_json_check(&column.name.name, &c.expr) => {
                column.ty.kind = crate::ir::TypeKind::Json;
            }
            ColumnOption::Check(c) => {
                push_constraint(table, named(ConstraintKind::Check(sql_expr(&c.expr, span))))
            }
            ColumnOption::ForeignKey(fk) => {
                let mut fk = fk.clone();
                fk.columns = vec![sql::Ident::new(column.name.name.clone())];
                fk.name = fk.name.or_else(|| opt.name.clone());
                self.hold_foreign_key(&table.name, &fk, span);
            }
            ColumnOption::DialectSpecific(tokens)
                if tokens.iter().any(|t| {
                    let t = t.to_string().to_ascii_uppercase();
                    t == "AUTO_INCREMENT" || t == "AUTOINCREMENT"
                }) =>
            {
                column.identity = Some(Box::default())
            }
            ColumnOption::Generated {
                generated_as,
                sequence_options,
                generation_expr: None,
                ..
            } => {
                column.identity = Some(Box::new(identity(
                    Some(generated_as),
                    sequence_options.as_deref(),
                )))
            }
            ColumnOption::CharacterSet(_) | ColumnOption::Collation(_) => {}
            other => return Err(unsupported(format!("the column option `{other}`"), span)),
        }
        Ok(())
    }

    /// MariaDB's JSON is LONGTEXT with `CHECK (json_valid(col))`.
    fn is_json_check(&self, column: &str, check: &sql::Expr) -> bool {
        let Some(function) = self.dialect.rules().json_check() else {
            return false;
        };
        let inner = match check {
            sql::Expr::Nested(e) => e,
            e => e,
        };
        let sql::Expr::Function(f) = inner else {
            return false;
        };
        let arg = f.args.to_string();
        f.name.to_string().eq_ignore_ascii_case(function)
            && arg.trim_matches(|c| c == '(' || c == ')').trim_matches('`') == column
    }

    fn hold_foreign_key(
        &mut self,
        table: &QualifiedName,
        fk: &sql::ForeignKeyConstraint,
        span: Span,
    ) {
        let chars = fk.characteristics.as_ref();
        let constraint = Constraint {
            name: Ident::new(
                fk.name
                    .as_ref()
                    .map(|n| n.value.clone())
                    .unwrap_or_default(),
                span,
            ),
            generated_name: fk.name.is_none(),
            kind: ConstraintKind::ForeignKey(ForeignKey {
                columns: fk.columns.iter().map(|c| self.ident(c, span)).collect(),
                ref_table: self.qname(&fk.foreign_table, span),
                ref_columns: fk
                    .referred_columns
                    .iter()
                    .map(|c| self.ident(c, span))
                    .collect(),
                on_delete: fk.on_delete.and_then(action),
                on_update: fk.on_update.and_then(action),
                deferrable: chars.and_then(|c| c.deferrable),
                initially_deferred: chars
                    .and_then(|c| c.initially)
                    .map(|i| i == sql::DeferrableInitial::Deferred),
                match_kind: None,
            }),
            span,
        };
        self.foreign_keys.push(AddConstraint {
            table: table.clone(),
            constraint,
            not_valid: false,
        });
    }

    fn table_constraint(
        &mut self,
        table: &mut CreateTable,
        c: TableConstraint,
        span: Span,
    ) -> Result<(), Diagnostic> {
        let name = |n: &Option<sql::Ident>| {
            Ident::new(
                n.as_ref().map(|n| n.value.clone()).unwrap_or_default(),
                span,
            )
        };
        let constraint = |n: &Option<sql::Ident>, kind| Constraint {
            name: name(n),
            generated_name: n.is_none(),
            kind,
            span,
        };
        match c {
            TableConstraint::PrimaryKey(pk) => {
                let cols = self.index_columns(&pk.columns, span)?;
                for col in table.columns.iter_mut().filter(|c| cols.contains(&c.name)) {
                    col.nullable = false;
                }
                let pk_name = pk.name.filter(|_| self.dialect.rules().primary_key_named());
                push_constraint(
                    table,
                    constraint(&pk_name, ConstraintKind::PrimaryKey(cols)),
                );
            }
            TableConstraint::Unique(u) => {
                let cols = self.index_columns(&u.columns, span)?;
                let n = u.name.or(u.index_name);
                push_constraint(table, constraint(&n, ConstraintKind::Unique(cols)));
            }
            TableConstraint::Check(ch) => push_constraint(
                table,
                constraint(&ch.name, ConstraintKind::Check(sql_expr(&ch.expr, span))),
            ),
            TableConstraint::ForeignKey(fk) => {
                self.hold_foreign_key(&table.name.clone(), &fk, span)
            }
            TableConstraint::Index(i) => {
                let parts = self.index_parts(&i.columns, span);
                let name = name(&i.name);
                table
                    .indexes
                    .push(self.index(&table.name, name, parts, false, None, span));
            }
            TableConstraint::FulltextOrSpatial(f) => {
                let parts = self.index_parts(&f.columns, span);
                let Some(n) = &f.opt_index_name else {
                    return Err(unsupported(
                        "a FULLTEXT or SPATIAL index without a name",
                        span,
                    ));
                };
                let mut index =
                    self.index(&table.name, self.ident(n, span), parts, false, None, span);
                let prefix = if f.fulltext { "fulltext" } else { "spatial" };
                let options = index.options.0.entry(self.dialect).or_default();
                options.insert("prefix".into(), prefix.into());
                table.indexes.push(index);
            }
            other => return Err(unsupported(format!("the constraint `{other}`"), span)),
        }
        Ok(())
    }

    fn index_columns(
        &self,
        cols: &[sql::IndexColumn],
        span: Span,
    ) -> Result<Vec<Ident>, Diagnostic> {
        cols.iter()
            .map(|c| match &c.column.expr {
                sql::Expr::Identifier(i) => Ok(self.ident(i, span)),
                other => Err(unsupported(
                    format!("a key on the expression `{other}`"),
                    span,
                )),
            })
            .collect()
    }

    fn index_parts(&self, cols: &[sql::IndexColumn], span: Span) -> Vec<IndexPart> {
        cols.iter()
            .map(|c| match &c.column.expr {
                sql::Expr::Identifier(i) => IndexPart::Column {
                    name: self.ident(i, span),
                    desc: matches!(c.column.options.sort, Some(sql::OrderBySort::Desc)),
                    length: None,
                },
                other => IndexPart::Expr(sql_expr(other, span)),
            })
            .collect()
    }

    fn index(
        &self,
        table: &QualifiedName,
        name: Ident,
        parts: Vec<IndexPart>,
        unique: bool,
        where_clause: Option<&sql::Expr>,
        span: Span,
    ) -> Index {
        Index {
            name,
            generated_name: false,
            table: table.clone(),
            parts,
            unique,
            where_clause: where_clause.map(|w| sql_expr(w, span)),
            include: Vec::new(),
            options: DialectOptions::default(),
            span,
        }
    }

    fn create_index(&mut self, i: sql::CreateIndex, span: Span) -> Result<(), Diagnostic> {
        let table_name = self.qname(&i.table_name, span);
        let Some(name) = i.name.as_ref().map(|n| self.qname(n, span).name) else {
            return Err(unsupported("an index without a name", span));
        };
        let using = i
            .using
            .as_ref()
            .map(|u| u.to_string().to_ascii_lowercase())
            .filter(|u| u != "btree");
        let parts = self.index_parts(&i.columns, span);
        let include = i.include.iter().map(|c| self.ident(c, span)).collect();
        let mut index = self.index(
            &table_name,
            name,
            parts,
            i.unique,
            i.predicate.as_ref(),
            span,
        );
        index.include = include;
        if let Some(method) = using {
            // Checked against the dialect's `using` values when the file is read back.
            let options = index.options.0.entry(self.dialect).or_default();
            options.insert("using".into(), method);
        }
        self.table_mut(&table_name, span)?.indexes.push(index);
        Ok(())
    }

    fn alter_table(&mut self, a: sql::AlterTable, span: Span) -> Result<(), Diagnostic> {
        let name = self.qname(&a.name, span);
        if name.name.name == self.version_table {
            return Ok(());
        }
        for op in a.operations {
            match op {
                sql::AlterTableOperation::AddConstraint { constraint, .. } => {
                    // Taken out while its constraint is read, and put back in its place.
                    let slot = self.table_mut(&name, span)?;
                    let mut table = std::mem::replace(slot, empty_table(&name));
                    let done = self.table_constraint(&mut table, constraint, span);
                    *self.table_mut(&name, span)? = table;
                    done?;
                }
                sql::AlterTableOperation::AlterColumn { column_name, op } => {
                    self.alter_column(&name, &column_name.value, op, span)?
                }
                other => return Err(unsupported(format!("`ALTER TABLE .. {other}`"), span)),
            }
        }
        Ok(())
    }

    fn alter_column(
        &mut self,
        table: &QualifiedName,
        column: &str,
        op: sql::AlterColumnOperation,
        span: Span,
    ) -> Result<(), Diagnostic> {
        let words = self.identity_words.take();
        let table = self.table_mut(table, span)?;
        let Some(col) = table.columns.iter_mut().find(|c| c.name.name == column) else {
            return Err(Diagnostic::error(
                crate::diag::Code::UnknownColumn,
                format!("table `{}` has no column `{column}`", table.name),
            )
            .at(span, "no such column in the dump"));
        };
        match op {
            sql::AlterColumnOperation::AddGenerated {
                generated_as,
                sequence_options,
            } => {
                let mut id = identity(generated_as.as_ref(), sequence_options.as_deref());
                if let Some(words) = &words {
                    identity_words(&mut id, words);
                }
                col.identity = Some(Box::new(id));
            }
            sql::AlterColumnOperation::SetDefault { value } => {
                col.default = default_value(&value, &col.ty.kind, span)
            }
            sql::AlterColumnOperation::SetNotNull => col.nullable = false,
            other => return Err(unsupported(format!("`ALTER COLUMN .. {other}`"), span)),
        }
        Ok(())
    }

    fn comment(
        &mut self,
        object: sql::CommentObject,
        name: &sql::ObjectName,
        comment: Option<String>,
        span: Span,
    ) -> Result<(), Diagnostic> {
        match object {
            sql::CommentObject::Table => {
                self.table_mut(&self.qname(name, span), span)?.comment = comment;
            }
            sql::CommentObject::Column => {
                let mut parts = name.0.clone();
                let column = parts.pop().map(|p| p.to_string()).unwrap_or_default();
                let table = self.qname(&sql::ObjectName(parts), span);
                let table = self.table_mut(&table, span)?;
                if let Some(c) = table
                    .columns
                    .iter_mut()
                    .find(|c| c.name.name == column.trim_matches('"'))
                {
                    c.comment = comment;
                }
            }
            other => return Err(unsupported(format!("a comment on a {other}"), span)),
        }
        Ok(())
    }

    fn create_view(&mut self, v: sql::CreateView, span: Span) -> Result<(), Diagnostic> {
        if v.materialized {
            return Err(unsupported("a materialized view", span));
        }
        let name = self.qname(&v.name, span);
        let query = crate::ir::SqlExpr {
            text: v.query.to_string(),
            span,
        };
        // mysqldump writes a placeholder view first and the real one later.
        self.views.insert(name.key(), CreateView { name, query });
        Ok(())
    }
}

/// A constraint the dump gives no name gets the convention's, as an unnamed
/// one in a migration does.
fn name_unnamed(naming: &Convention, table: &QualifiedName, c: &mut Constraint) {
    if !c.name.name.is_empty() {
        return;
    }
    let (kind, referred_table, referred_columns) = match &c.kind {
        ConstraintKind::PrimaryKey(_) => (Kind::PrimaryKey, "", Vec::new()),
        ConstraintKind::Unique(_) => (Kind::Unique, "", Vec::new()),
        ConstraintKind::Check(_) => (Kind::Check, "", Vec::new()),
        ConstraintKind::ForeignKey(fk) => (
            Kind::ForeignKey,
            fk.ref_table.name.as_str(),
            fk.ref_columns.iter().map(Ident::as_str).collect(),
        ),
    };
    // An unnamed CHECK's `%(constraint_name)s` is what resolve gives one:
    // the first column it names, else a hash of it.
    let check_name = match &c.kind {
        ConstraintKind::Check(e) => crate::syntax::sql::first_column(&e.text)
            .unwrap_or_else(|| crate::syntax::sql::short_hash(e.text.trim())),
        _ => String::new(),
    };
    let parts = Parts {
        table: table.name.as_str(),
        columns: c.kind.columns().iter().map(Ident::as_str).collect(),
        referred_table,
        referred_columns,
        constraint_name: &check_name,
    };
    c.name.name = naming.name(kind, &parts);
    c.generated_name = true;
}

fn empty_table(name: &QualifiedName) -> CreateTable {
    CreateTable {
        name: name.clone(),
        columns: Vec::new(),
        constraints: Vec::new(),
        indexes: Vec::new(),
        comment: None,
        if_not_exists: false,
        options: DialectOptions::default(),
    }
}

fn push_constraint(table: &mut CreateTable, c: Constraint) {
    table.constraints.push(c);
}

fn table_comment(t: &sql::CreateTable) -> Option<String> {
    match &t.comment {
        Some(sql::CommentDef::WithEq(c) | sql::CommentDef::WithoutEq(c)) => Some(c.clone()),
        _ => None,
    }
}

fn action(a: sql::ReferentialAction) -> Option<FkAction> {
    Some(match a {
        sql::ReferentialAction::Cascade => FkAction::Cascade,
        sql::ReferentialAction::SetNull => FkAction::SetNull,
        sql::ReferentialAction::SetDefault => FkAction::SetDefault,
        sql::ReferentialAction::Restrict => FkAction::Restrict,
        // The default: the model says nothing for it.
        sql::ReferentialAction::NoAction => return None,
    })
}

/// The first words of a statement, for a message.
fn head(stmt: &Statement) -> String {
    let text = stmt.to_string();
    let words: Vec<&str> = text.split_whitespace().take(3).collect();
    words.join(" ")
}

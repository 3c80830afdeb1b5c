//! Resolution: [`ast::File`] in, [`ir::Revision`] out.
//!
//! Checks what the grammar cannot: header lines, duplicate and conflicting
//! attributes, numbers, arities, options per op, and every SQL fragment (through
//! `sql`). Inline column constraints become table constraints, and every
//! unnamed constraint or index gets its name from the naming convention.

use super::ast::{self, Attr, Change, ConstraintBody, Fragment, TableItem};
use super::sql;
use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, Reported};
use crate::dialect::{Dialect, DialectSet, OptionValue, OptionsOf};
use crate::ir::{self, Constraint, ConstraintKind, DialectOptions, Ident, QualifiedName};
use crate::naming::{self, Convention};
use crate::source::{FileId, Span};
use indexmap::IndexMap;

/// An inline `references`: its name, the referenced table and columns, the options.
type InlineFk<'a> = (
    Option<Ident>,
    &'a QualifiedName,
    &'a [Ident],
    &'a ast::FkOpts,
);

/// Resolves a parsed file.
/// Resolves a parsed file; its errors go to `diags`.
pub fn resolve(
    file_ast: &ast::File,
    file: FileId,
    naming: &Convention,
    diags: &mut Diagnostics,
) -> Result<ir::Revision, Reported> {
    let mark = diags.mark();
    let mut r = Resolver {
        file,
        naming,
        diags,
    };
    let rev = r.revision(file_ast);
    diags.check_since(mark).map(|()| rev)
}

struct Resolver<'a> {
    file: FileId,
    naming: &'a Convention,
    diags: &'a mut Diagnostics,
}

/// Per single-valued column attribute (its slot): where it was set, and the
/// word that set it.
type Seen = IndexMap<&'static str, (Span, &'static str)>;

/// What a `create_table` block collects before its constraints are ordered.
#[derive(Default)]
struct TableParts<'f> {
    /// Column name -> where first defined: a scan of the columns so far
    /// per column made a wide table cost the square of its width.
    columns: std::collections::HashMap<&'f str, Span>,
    /// Columns marked `primary_key`, and the span over their marks.
    pk_cols: Vec<Ident>,
    pk_span: Option<Span>,
    /// The `primary_key (...)` item.
    table_pk: Option<&'f ast::ConstraintDef>,
    /// Every other constraint, in the order written.
    constraints: Vec<Constraint>,
    /// Where the table comment was given.
    comment_span: Option<Span>,
}

/// A column resolved with the constraints written on it.
struct ResolvedColumn {
    column: ir::Column,
    primary_key: Option<Span>,
    constraints: Vec<Constraint>,
}

impl Resolver<'_> {
    /// Reports an error; resolution goes on, to find the others.
    fn error(&mut self, d: Diagnostic) {
        let _ = self.diags.error(d);
    }

    fn revision(&mut self, f: &ast::File) -> ir::Revision {
        let seen = self.header_items(f);
        let start = f
            .header
            .first()
            .map_or(Span::new(self.file, 0, 0), |i| i.span);
        let missing: Vec<&str> = ["revision", "revises", "message"]
            .into_iter()
            .filter(|k| !seen.contains_key(k))
            .collect();
        if !missing.is_empty() {
            let list: Vec<String> = missing.iter().map(|k| format!("`{k}`")).collect();
            self.error(
                Diagnostic::error(
                    Code::MissingHeader,
                    format!("the header has no {}", list.join(", ")),
                )
                .at(start, "in this header")
                .with_help(
                    "a revision starts with `revision \"<id>\"`, `revises \"<parent>\"` (or `revises base`) and `message \"...\"`",
                ),
            );
        }
        let text = |k: &str| match seen.get(k).map(|i| &i.value) {
            Some(ast::HeaderValue::Text(s, sp)) => Some((s.clone(), *sp)),
            _ => None,
        };
        let (id, id_span) = text("revision").unwrap_or_default();
        let ids = |k: &str| match seen.get(k).map(|i| &i.value) {
            Some(ast::HeaderValue::Text(s, sp)) => vec![(ir::RevisionId(s.clone()), *sp)],
            Some(ast::HeaderValue::List(l)) => l
                .iter()
                .map(|(s, sp)| (ir::RevisionId(s.clone()), *sp))
                .collect(),
            _ => Vec::new(),
        };
        let parents = ids("revises");
        let depends_on = ids("depends_on");
        let labels = match seen.get("labels").map(|i| &i.value) {
            Some(ast::HeaderValue::List(l)) => l.iter().map(|(s, _)| s.clone()).collect(),
            _ => Vec::new(),
        };
        let upgrade = f
            .upgrade
            .as_ref()
            .map(|b| self.block(b))
            .unwrap_or_default();
        let downgrade = match &f.downgrade {
            Some(ast::Downgrade::Auto(sp)) => ir::Downgrade::Auto(*sp),
            Some(ast::Downgrade::Irreversible(reason, span)) => ir::Downgrade::Irreversible {
                reason: reason.clone(),
                span: *span,
            },
            Some(ast::Downgrade::Block(b)) => ir::Downgrade::Ops(self.block(b)),
            None => ir::Downgrade::Auto(f.end),
        };
        let baseline = seen
            .get("baseline")
            .and_then(|item| self.baseline(item, &parents, &upgrade, f.downgrade.as_ref()));
        ir::Revision {
            id: ir::RevisionId(id),
            id_span,
            parents,
            depends_on,
            baseline,
            message: text("message").map(|m| m.0).unwrap_or_default(),
            doc: text("doc").map(|d| d.0),
            labels,
            upgrade,
            downgrade,
            file: self.file,
        }
    }

    /// `baseline "why"`: the reason, once the revision is one a baseline can be:
    /// a root (the schema before every migration), of ops that only describe
    /// schema (nothing runs them, so rows and raw SQL would be lost), and
    /// `downgrade auto` (a downgrade past it only removes its version row).
    fn baseline(
        &mut self,
        item: &ast::HeaderItem,
        parents: &[(ir::RevisionId, Span)],
        upgrade: &[ir::Op],
        downgrade: Option<&ast::Downgrade>,
    ) -> Option<String> {
        let ast::HeaderValue::Text(why, _) = &item.value else {
            return None;
        };
        let mark = self.diags.mark();
        let invalid = |message: String| Diagnostic::error(Code::InvalidBaseline, message);
        if let Some((_, at)) = parents.first() {
            self.error(
                invalid("a baseline revision must revise base".into())
                    .at(*at, "a parent")
                    .with_secondary(item.span, "declared a baseline here")
                    .with_help(
                        "a baseline is the schema before the first migration: write `revises base`",
                    ),
            );
        }
        for op in upgrade {
            if matches!(op.kind, ir::OpKind::BulkInsert(_) | ir::OpKind::Execute(_)) {
                self.error(
                    invalid(format!(
                        "a baseline is never run, so `{}` cannot be in it",
                        op.kind.name()
                    ))
                    .at(op.span, "this op would never run")
                    .with_help("put data and raw SQL in the next revision"),
                );
            }
        }
        if let Some(d) = downgrade.filter(|d| !matches!(d, ast::Downgrade::Auto(_))) {
            let at = match d {
                ast::Downgrade::Irreversible(_, sp) => *sp,
                ast::Downgrade::Block(b) => b.ops.first().map_or(item.span, |op| op.span),
                ast::Downgrade::Auto(sp) => *sp,
            };
            self.error(
                invalid("a baseline has no downgrade of its own".into())
                    .at(at, "never run")
                    .with_help(
                        "write `downgrade auto`: a downgrade past a baseline removes only its \
                         version row, leaving the schema that predates the migrations",
                    ),
            );
        }
        self.diags.check_since(mark).ok().map(|_| why.clone())
    }

    /// The header lines by key; a key given twice is reported, its first line kept.
    fn header_items<'f>(&mut self, f: &'f ast::File) -> IndexMap<&'f str, &'f ast::HeaderItem> {
        let mut seen: IndexMap<&str, &ast::HeaderItem> = IndexMap::new();
        for item in &f.header {
            if let Some(first) = seen.get(item.key.as_str()) {
                let d = Diagnostic::error(
                    Code::DuplicateHeader,
                    format!("`{}` is given twice", item.key),
                )
                .at(item.span, "given again here")
                .with_secondary(first.span, "first given here");
                self.error(d);
            } else {
                seen.insert(item.key.as_str(), item);
            }
        }
        seen
    }

    fn block(&mut self, b: &ast::Block) -> Vec<ir::Op> {
        let mut out = Vec::with_capacity(b.ops.len());
        for op in &b.ops {
            self.op(op, &mut out);
        }
        // Kept for the whole compile: no room for ops that will never come.
        out.shrink_to_fit();
        out
    }

    /// One op into `out` (an `add_column` with inline constraints gives
    /// several). One resolve fn per op form of the grammar.
    fn op(&mut self, op: &ast::Op, out: &mut Vec<ir::Op>) {
        if let Some(groups) = super::only::groups(&op.kind) {
            return self.per_dialect(op, &groups, out);
        }
        match &op.kind {
            ast::OpKind::Only {
                only,
                then,
                otherwise,
            } => self.only_block(only, then, otherwise.as_ref(), out),
            _ => self.plain_op(op, out),
        }
    }

    /// An op that is no `only` block, with no qualified item.
    fn plain_op(&mut self, op: &ast::Op, out: &mut Vec<ir::Op>) {
        use ast::OpKind as A;
        use ir::OpKind as K;
        let span = op.span;
        let kind = match &op.kind {
            A::CreateTable {
                name,
                if_not_exists,
                items,
                block,
            } => K::CreateTable(self.create_table(name, *if_not_exists, items, *block)),
            A::DropTable { name, if_exists } => simple::drop_table(name, *if_exists),
            A::RenameTable { from, to } => simple::rename_table(from, to),
            A::AddColumn {
                table,
                column,
                if_not_exists,
            } => return self.add_column(table, column, *if_not_exists, span, out),
            A::DropColumn {
                table,
                column,
                if_exists,
            } => simple::drop_column(table, column, *if_exists),
            A::AlterColumn {
                table,
                column,
                changes,
            } => K::AlterColumn(self.alter_column(table, column, changes)),
            A::RenameColumn { table, column, to } => simple::rename_column(table, column, to),
            A::CreateIndex(def) => K::CreateIndex(self.create_index(def)),
            A::DropIndex {
                name,
                table,
                if_exists,
                concurrently,
                options,
            } => K::DropIndex(self.drop_index(
                name,
                table.as_ref(),
                *if_exists,
                *concurrently,
                options,
            )),
            A::AddConstraint { .. } | A::ValidateConstraint { .. } | A::DropConstraint { .. } => {
                match self.constraint_op(&op.kind) {
                    Some(kind) => kind,
                    None => return,
                }
            }
            A::TableComment { table, comment } => simple::table_comment(table, comment),
            A::CreateSequence {
                name,
                start,
                increment,
            } => K::CreateSequence(self.create_sequence(name, start, increment)),
            A::DropSequence { name } => simple::drop_sequence(name),
            A::AlterEnum(a) => K::AlterEnum(a.clone()),
            A::BulkInsert {
                table,
                columns,
                rows,
            } => K::BulkInsert(self.bulk_insert(table, columns, rows, span)),
            A::UpdateRows(def) => K::UpdateRows(self.update_rows(def)),
            A::DeleteRows(def) => K::DeleteRows(self.delete_rows(def)),
            A::Execute { bodies } => K::Execute(self.execute(bodies)),
            A::CreateView(def) => self.create_view(def),
            A::DropView { name } => K::DropView(ir::DropView { name: name.clone() }),
            A::Routine(def) => self.routine(def),
            A::Only { .. } => return, // read by `op`
        };
        out.push(ir::Op::new(kind, span));
    }

    /// `only (...) { } else { }`: the ops of each block, for its dialects
    /// (within those an inner qualifier or block already gave them).
    fn only_block(
        &mut self,
        only: &ast::Only,
        then: &ast::Block,
        otherwise: Option<&ast::Block>,
        out: &mut Vec<ir::Op>,
    ) {
        let blocks = [
            (Some(then), only.dialects),
            (otherwise, only.dialects.complement()),
        ];
        for (block, dialects) in blocks {
            for mut op in block.map(|b| self.block(b)).unwrap_or_default() {
                let dialects = op.only.map_or(dialects, |d| d.and(dialects));
                if !dialects.is_empty() {
                    op.only = Some(dialects);
                    out.push(op);
                }
            }
        }
    }

    /// An op with qualified items or attributes: resolved once per group of
    /// dialects that see the same op, each result for its group. A problem
    /// every group has is reported once.
    fn per_dialect(&mut self, op: &ast::Op, groups: &[DialectSet], out: &mut Vec<ir::Op>) {
        let mark = self.diags.mark();
        for &group in groups {
            let Some(dialect) = group.iter().next() else {
                continue;
            };
            let seen = ast::Op {
                kind: super::only::select(&op.kind, dialect),
                span: op.span,
            };
            let mut found = Diagnostics::new();
            let mut ops = Vec::new();
            Resolver {
                file: self.file,
                naming: self.naming,
                diags: &mut found,
            }
            .op(&seen, &mut ops);
            for d in found.into_vec() {
                if !self.diags.since(mark).contains(&d) {
                    self.diags.push(d);
                }
            }
            out.extend(ops.into_iter().map(|op| ir::Op {
                only: Some(group),
                ..op
            }));
        }
    }

    /// The ops on one constraint: `create_*_constraint`, `validate_constraint`,
    /// `drop_constraint` (None for any other op).
    fn constraint_op(&mut self, op: &ast::OpKind) -> Option<ir::OpKind> {
        use ast::OpKind as A;
        use ir::OpKind as K;
        Some(match op {
            A::AddConstraint {
                table,
                constraint,
                not_valid,
            } => K::AddConstraint(ir::AddConstraint {
                table: table.clone(),
                constraint: self.constraint_def(constraint, table),
                not_valid: not_valid.is_some(),
            }),
            A::ValidateConstraint { name, table } => simple::validate_constraint(name, table),
            A::DropConstraint {
                name,
                table,
                kind,
                if_exists,
            } => {
                let mut op = self.drop_constraint(name, table, kind.as_ref());
                if let K::DropConstraint(d) = &mut op {
                    d.if_exists = *if_exists;
                }
                op
            }
            _ => return None,
        })
    }

    /// `add_column`: the column, then each constraint written on it as an
    /// op of its own (a primary key first).
    fn add_column(
        &mut self,
        table: &QualifiedName,
        column: &ast::ColumnDef,
        if_not_exists: bool,
        span: Span,
        out: &mut Vec<ir::Op>,
    ) {
        let rc = self.column(column, table);
        out.push(ir::Op {
            kind: ir::OpKind::AddColumn(ir::AddColumn {
                table: table.clone(),
                column: rc.column,
                if_not_exists,
                position: Default::default(),
            }),
            span,
            only: None,
        });
        let pk = rc.primary_key.map(|sp| {
            self.constraint(
                None,
                ConstraintKind::PrimaryKey(vec![column.name.clone()]),
                table,
                sp,
                None,
            )
        });
        for c in pk.into_iter().chain(rc.constraints) {
            out.push(ir::Op {
                span: c.span,
                kind: ir::OpKind::AddConstraint(ir::AddConstraint {
                    table: table.clone(),
                    constraint: c,
                    not_valid: false,
                }),
                only: None,
            });
        }
    }

    /// `create_index`.
    fn create_index(&mut self, def: &ast::IndexDef) -> ir::CreateIndex {
        let table = def.table.clone().unwrap_or_default();
        ir::CreateIndex {
            index: self.index(def, &table),
            concurrently: def.concurrently,
            if_not_exists: def.if_not_exists,
        }
    }

    /// `drop_index`, its name as the naming convention resolves it.
    fn drop_index(
        &mut self,
        name: &QualifiedName,
        table: Option<&QualifiedName>,
        if_exists: bool,
        concurrently: bool,
        opts: &[ast::DialectOpt],
    ) -> ir::DropIndex {
        let mut options = DialectOptions::default();
        for o in opts {
            self.option(o, OptionsOf::DropIndex, &mut options);
        }
        ir::DropIndex {
            name: self.dropped_index_name(name, table),
            table: table.cloned(),
            concurrently,
            if_exists,
            options,
        }
    }

    /// `create_view` / `replace_view`, the query checked.
    fn create_view(&mut self, def: &ast::ViewDef) -> ir::OpKind {
        let _ = sql::check_query(&def.query, self.file, self.diags);
        let view = ir::CreateView {
            name: def.name.clone(),
            query: self.trimmed(&def.query),
        };
        match def.replace {
            true => ir::OpKind::ReplaceView(view),
            false => ir::OpKind::CreateView(view),
        }
    }

    /// `create_function`, `drop_trigger`, ...: the SQL checked as `execute`'s.
    fn routine(&mut self, def: &ast::RoutineDef) -> ir::OpKind {
        use ir::RoutineKind as R;
        let (op, bodies) = (def.op, &def.bodies);
        let kind = [R::Function, R::Procedure, R::Trigger]
            .into_iter()
            .find(|k| k.ops().contains(&op))
            .unwrap_or(R::Function);
        let (name, table) = (def.name.clone(), def.table.clone());
        if kind.ops()[2] == op {
            return ir::OpKind::DropRoutine(ir::DropRoutine { kind, name, table });
        }
        if bodies.is_empty() {
            self.error(
                Diagnostic::error(Code::InvalidExecuteSql, format!("`{op}` has no SQL"))
                    .at(name.span(), "no SQL for any dialect")
                    .with_help(
                        "give the statements that create it per dialect: `{ postgresql \"...\" }`",
                    ),
            );
        }
        let routine = ir::Routine {
            kind,
            name,
            table,
            bodies: self.execute(bodies),
        };
        match kind.ops()[1] == op {
            true => ir::OpKind::ReplaceRoutine(routine),
            false => ir::OpKind::CreateRoutine(routine),
        }
    }

    /// `create_sequence`, its numbers checked.
    fn create_sequence(
        &mut self,
        name: &QualifiedName,
        start: &Option<(String, Span)>,
        increment: &Option<(String, Span)>,
    ) -> ir::CreateSequence {
        ir::CreateSequence {
            name: name.clone(),
            start: start.as_ref().and_then(|n| self.int(n)),
            increment: increment.as_ref().and_then(|n| self.int(n)),
        }
    }

    /// `bulk_insert`: every row as long as the column list.
    fn bulk_insert(
        &mut self,
        table: &QualifiedName,
        columns: &[Ident],
        rows: &[(Vec<(ir::Literal, Span)>, Span)],
        span: Span,
    ) -> ir::BulkInsert {
        for (row, row_span) in rows {
            if row.len() != columns.len() {
                self.error(
                    Diagnostic::error(
                        Code::RowArity,
                        format!(
                            "row has {} but {} listed",
                            count(row.len(), "value"),
                            count(columns.len(), "column")
                        ),
                    )
                    .at(*row_span, count(row.len(), "value"))
                    .with_secondary(
                        columns
                            .first()
                            .map_or(span, |c| c.span)
                            .to(columns.last().map_or(span, |c| c.span)),
                        count(columns.len(), "column"),
                    ),
                );
            }
        }
        ir::BulkInsert {
            table: table.clone(),
            columns: columns.to_vec(),
            rows: rows
                .iter()
                .map(|(r, _)| r.iter().map(|(l, _)| l.clone()).collect())
                .collect(),
        }
    }

    /// `update_rows`: each value a literal or a checked fragment.
    fn update_rows(&mut self, def: &ast::RowsDef) -> ir::UpdateRows {
        let set = def
            .set
            .iter()
            .map(|(c, v)| {
                let v = match v {
                    ast::SetValue::Literal(l) => ir::RowValue::Literal(l.clone()),
                    ast::SetValue::Expr(f) => ir::RowValue::Expr(self.expr(f)),
                };
                (c.clone(), v)
            })
            .collect();
        ir::UpdateRows {
            table: def.table.clone(),
            set,
            where_clause: def.where_clause.as_ref().map(|w| self.expr(w)),
        }
    }

    /// `delete_rows`: the `where` a checked fragment.
    fn delete_rows(&mut self, def: &ast::RowsDef) -> ir::DeleteRows {
        ir::DeleteRows {
            table: def.table.clone(),
            where_clause: def.where_clause.as_ref().map(|w| self.expr(w)),
        }
    }

    fn int(&mut self, (raw, span): &(String, Span)) -> Option<i64> {
        match raw.trim_start_matches('+').parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.error(
                    Diagnostic::error(Code::InvalidNumber, format!("invalid integer `{raw}`"))
                        .at(*span, "expected a whole number that fits in 64 bits"),
                );
                None
            }
        }
    }

    /// `identity( ... )`, its numbers checked against each other as every
    /// engine checks them (a zero step, a start outside the bounds, an
    /// empty range, a cache under one, `on_null` with `always`).
    fn identity(&mut self, o: &ast::IdentityOpts) -> ir::Identity {
        let [start, increment, minvalue, maxvalue, cache] =
            [&o.start, &o.increment, &o.minvalue, &o.maxvalue, &o.cache]
                .map(|n| n.as_ref().and_then(|n| Some((self.int(n)?, n.1))));
        let mut bad: Vec<(Span, String)> = Vec::new();
        if let Some((0, at)) = increment {
            bad.push((at, "an identity's increment cannot be 0".into()));
        }
        if let Some((n, at)) = cache.filter(|(n, _)| *n < 1) {
            bad.push((at, format!("an identity's cache is at least 1, not {n}")));
        }
        if let (Some((lo, _)), Some((hi, at))) = (minvalue, maxvalue) {
            if lo >= hi {
                bad.push((at, format!("maxvalue {hi} is not above minvalue {lo}")));
            }
        }
        if let Some((n, at)) = start {
            if minvalue.is_some_and(|(lo, _)| n < lo) || maxvalue.is_some_and(|(hi, _)| n > hi) {
                bad.push((at, format!("start {n} is outside minvalue..maxvalue")));
            }
        }
        for (at, why) in bad {
            self.error(Diagnostic::error(Code::InvalidNumber, why).at(at, "out of range"));
        }
        if let (Some(on_null), true) = (o.on_null, o.always) {
            self.error(
                Diagnostic::error(
                    Code::ConflictingAttributes,
                    "`on_null` goes with a by-default identity, not `always`",
                )
                .at(on_null, "conflicts with `always`")
                .with_help("Oracle has GENERATED BY DEFAULT ON NULL only"),
            );
        }
        ir::Identity {
            always: o.always,
            start: start.map(|n| n.0),
            increment: increment.map(|n| n.0),
            minvalue: minvalue.map(|n| n.0),
            maxvalue: maxvalue.map(|n| n.0),
            cycle: o.cycle,
            cache: cache.map(|n| n.0),
            on_null: o.on_null.is_some(),
            order: o.order,
        }
    }

    fn expr(&mut self, frag: &Fragment) -> ir::SqlExpr {
        let _ = sql::check_expr(frag, self.file, self.diags);
        self.trimmed(frag)
    }

    /// The fragment's text trimmed, as a [`ir::SqlExpr`] (checked by the caller).
    fn trimmed(&self, frag: &Fragment) -> ir::SqlExpr {
        // The span covers exactly the trimmed text where the fragment is the
        // source as written (`( .. )`), so later errors can point into it.
        let text = frag.text.trim();
        let mut span = frag.span;
        if (span.end - span.start) as usize == frag.text.len() {
            let leading = frag.text.len() - frag.text.trim_start().len();
            span.start += leading as u32;
            span.end = span.start + text.len() as u32;
        }
        ir::SqlExpr {
            text: text.to_string(),
            span,
        }
    }

    fn default(&mut self, d: &ast::Default) -> ir::DefaultValue {
        match d {
            ast::Default::Literal(l) => ir::DefaultValue::Literal(l.clone()),
            ast::Default::Now => ir::DefaultValue::CurrentTimestamp,
            ast::Default::CurrentDate => ir::DefaultValue::CurrentDate,
            ast::Default::NextVal(q) => ir::DefaultValue::NextVal(q.clone()),
            ast::Default::Expr(f) => ir::DefaultValue::Expr(self.expr(f)),
        }
    }

    fn execute(&mut self, bodies: &[ast::ExecBody]) -> ir::Execute {
        let mut exec = ir::Execute {
            default: None,
            variants: IndexMap::new(),
        };
        let mut seen: IndexMap<Option<Dialect>, Span> = IndexMap::new();
        for body in bodies {
            let (d, frag) = (&body.dialect, &body.sql);
            let dialect = d.map(|(d, _)| d);
            let at = d.map_or(frag.span, |(_, sp)| sp);
            if let Some(first) = seen.get(&dialect) {
                let what = dialect.map_or("default".to_string(), |d| d.to_string());
                self.error(
                    Diagnostic::error(
                        Code::DuplicateAttribute,
                        format!("`execute` has two `{what}` bodies"),
                    )
                    .at(at, "given again here")
                    .with_secondary(*first, "first given here"),
                );
                continue;
            }
            seen.insert(dialect, at);
            // `raw` bodies are the escape hatch for what sqlparser cannot parse;
            // they are still split and checked for the client when lowered.
            if body.raw.is_none() {
                let _ = sql::check_statements(frag, self.file, dialect, self.diags);
            }
            // Terminators are the lowering's business (a PL/SQL block keeps its
            // `END;`); the span covers exactly the text where it maps 1:1.
            let text = frag.text.trim();
            let mut span = frag.span;
            if (span.end - span.start) as usize == frag.text.len() {
                span.start += (frag.text.len() - frag.text.trim_start().len()) as u32;
                span.end = span.start + text.len() as u32;
            }
            let body = ir::SqlText {
                text: text.to_string(),
                span,
                raw: body.raw.is_some(),
            };
            match dialect {
                Some(d) => {
                    exec.variants.insert(d, body);
                }
                None => exec.default = Some(body),
            }
        }
        exec
    }

    /// A column and the constraints written on it.
    /// A column definition: its attributes, each at most once, and the
    /// constraints written on it (named by the convention).
    fn column(&mut self, def: &ast::ColumnDef, table: &QualifiedName) -> ResolvedColumn {
        let mut rc = ResolvedColumn {
            column: ir::Column {
                name: def.name.clone(),
                ty: def.ty.clone(),
                nullable: true,
                default: None,
                identity: None,
                computed: None,
                comment: None,
                span: def.span,
            },
            primary_key: None,
            constraints: Vec::new(),
        };
        // The span that set each single-valued attribute, to report repeats.
        let mut seen: Seen = IndexMap::new();
        let mut nullable_set = None;
        for (attr, span) in &def.attrs {
            if self.repeated(attr, *span, &mut seen) {
                continue;
            }
            if let Some(nullable) = self.attr(attr, *span, def, table, &mut rc) {
                nullable_set = Some((*span, nullable));
            }
        }
        self.conflicts(&seen, rc.primary_key, nullable_set);
        if rc.primary_key.is_some() || rc.column.identity.is_some() {
            rc.column.nullable = false;
        }
        rc
    }

    /// True (and reported) when `attr` sets what an earlier attribute of the
    /// column already set; else it is recorded in `seen`.
    fn repeated(&mut self, attr: &Attr, span: Span, seen: &mut Seen) -> bool {
        let slot = match attr {
            Attr::NotNull | Attr::Null => "nullability",
            Attr::Autoincrement | Attr::Identity(_) => "identity",
            Attr::PrimaryKey => "primary_key",
            Attr::Unique => "unique",
            Attr::Default(_) => "default",
            Attr::Comment(_) => "comment",
            Attr::Computed(..) => "computed",
            Attr::Check(..) | Attr::References(..) => return false,
            // Selected for this dialect (`only::select`): the attribute applies.
            Attr::Only(_, inner) => return self.repeated(inner, span, seen),
        };
        let Some((first, word)) = seen.get(slot) else {
            seen.insert(slot, (span, attr.word()));
            return false;
        };
        let msg = if *word == attr.word() {
            format!("`{}` is given twice", attr.word())
        } else {
            format!("`{word}` and `{}` both set the {slot}", attr.word())
        };
        self.error(
            Diagnostic::error(Code::DuplicateAttribute, msg)
                .at(span, "given again here")
                .with_secondary(*first, "first given here"),
        );
        true
    }

    /// Applies one attribute to the column; `Some(nullable)` when it sets
    /// the nullability.
    fn attr(
        &mut self,
        attr: &Attr,
        span: Span,
        def: &ast::ColumnDef,
        table: &QualifiedName,
        rc: &mut ResolvedColumn,
    ) -> Option<bool> {
        let col = &mut rc.column;
        match attr {
            // Selected for this dialect (`only::select`): the attribute applies.
            Attr::Only(_, inner) => return self.attr(inner, span, def, table, rc),
            Attr::NotNull => {
                col.nullable = false;
                return Some(false);
            }
            Attr::Null => {
                col.nullable = true;
                return Some(true);
            }
            Attr::PrimaryKey => rc.primary_key = Some(span),
            Attr::Unique => {
                let kind = ConstraintKind::Unique(vec![def.name.clone()]);
                let c = self.constraint(None, kind, table, span, None);
                rc.constraints.push(c);
            }
            Attr::Autoincrement => col.identity = Some(Box::default()),
            Attr::Identity(o) => col.identity = Some(Box::new(self.identity(o))),
            Attr::Default(d) => col.default = Some(self.default(d)),
            Attr::Comment(c) => col.comment = Some(c.clone()),
            Attr::Computed(f, stored) => {
                col.computed = Some(Box::new(ir::Computed {
                    expr: self.expr(f),
                    stored: *stored,
                }))
            }
            Attr::Check(name, f) => {
                let kind = ConstraintKind::Check(self.expr(f));
                let c = self.constraint(name.clone(), kind, table, span, Some(def.name.as_str()));
                rc.constraints.push(c);
            }
            Attr::References(name, ref_table, ref_cols, opts) => {
                let fk = (name.clone(), ref_table, ref_cols.as_slice(), opts);
                let c = self.references(def, table, span, fk);
                rc.constraints.push(c);
            }
        }
        None
    }

    /// `references [name] t (c)` on a column: a one-column foreign key.
    fn references(
        &mut self,
        def: &ast::ColumnDef,
        table: &QualifiedName,
        span: Span,
        (name, ref_table, ref_cols, opts): InlineFk,
    ) -> Constraint {
        if ref_cols.len() != 1 {
            let at = ref_cols
                .first()
                .map_or(span, |c| c.span)
                .to(ref_cols.last().map_or(span, |c| c.span));
            self.error(
                Diagnostic::error(
                    Code::FkArity,
                    format!(
                        "one column references {} columns of `{ref_table}`",
                        ref_cols.len()
                    ),
                )
                .at(at, "expected exactly one column here")
                .with_secondary(def.name.span, "the referencing column")
                .with_help(
                    "a composite foreign key is a table item: `foreign_key (a, b) -> t (x, y)`",
                ),
            );
        }
        let fk = fk(vec![def.name.clone()], ref_table, ref_cols, opts);
        self.constraint(name, ConstraintKind::ForeignKey(fk), table, span, None)
    }

    /// Attributes of one column that cannot go together.
    fn conflicts(
        &mut self,
        seen: &Seen,
        primary_key: Option<Span>,
        nullable: Option<(Span, bool)>,
    ) {
        let conflicts = [
            ("default", "computed"),
            ("identity", "default"),
            ("identity", "computed"),
        ];
        for (a, b) in conflicts {
            if let (Some((sa, wa)), Some((sb, wb))) = (seen.get(a), seen.get(b)) {
                self.error(
                    Diagnostic::error(
                        Code::ConflictingAttributes,
                        format!("a column cannot have both `{wa}` and `{wb}`"),
                    )
                    .at(*sb, format!("conflicts with `{wa}`"))
                    .with_secondary(*sa, format!("`{wa}` given here")),
                );
            }
        }
        if let (Some(pk), Some((nsp, true))) = (primary_key, nullable) {
            self.error(
                Diagnostic::error(
                    Code::ConflictingAttributes,
                    "a primary key column cannot be `null`",
                )
                .at(nsp, "conflicts with `primary_key`")
                .with_secondary(pk, "`primary_key` given here"),
            );
        }
        // Every engine makes an identity column NOT NULL (SQL Server refuses
        // IDENTITY on a nullable column, Msg 8147), so the model says so too.
        if let (Some((isp, iw)), Some((nsp, true))) = (seen.get("identity"), nullable) {
            self.error(
                Diagnostic::error(
                    Code::ConflictingAttributes,
                    format!("an `{iw}` column cannot be `null`"),
                )
                .at(nsp, format!("conflicts with `{iw}`"))
                .with_secondary(*isp, format!("`{iw}` given here")),
            );
        }
    }

    /// `create_table`: its items, then the primary key first among the constraints.
    fn create_table(
        &mut self,
        name: &QualifiedName,
        if_not_exists: bool,
        items: &[TableItem],
        block: Span,
    ) -> ir::CreateTable {
        let mut t = ir::CreateTable {
            name: name.clone(),
            columns: Vec::new(),
            constraints: Vec::new(),
            indexes: Vec::new(),
            comment: None,
            if_not_exists,
            options: DialectOptions::default(),
        };
        let mut parts = TableParts::default();
        for mut item in items {
            // Selected for this dialect (`only::select`): the item applies.
            while let TableItem::Only(_, inner) = item {
                item = inner;
            }
            match item {
                TableItem::Column(def) => self.table_column(def, &mut t, &mut parts),
                TableItem::Constraint(def) => self.table_constraint(def, name, &mut parts),
                TableItem::Index(def) => {
                    let idx = self.index(def, name);
                    t.indexes.push(idx);
                }
                TableItem::Comment(c, sp) => {
                    if let Some(first) = parts.comment_span {
                        self.error(
                            Diagnostic::error(
                                Code::DuplicateAttribute,
                                format!("`{name}` has two table comments"),
                            )
                            .at(*sp, "given again here")
                            .with_secondary(first, "first given here"),
                        );
                    }
                    parts.comment_span = Some(*sp);
                    t.comment = Some(c.clone());
                }
                TableItem::Option(o) => self.option(o, OptionsOf::Table, &mut t.options),
                TableItem::Only(..) => {}
            }
        }
        if t.columns.is_empty() {
            self.error(
                Diagnostic::error(Code::EmptyTable, format!("table `{name}` has no columns"))
                    .at(block, "no column in this block")
                    .with_help("add at least one `name : type` line"),
            );
        }
        let constraints = std::mem::take(&mut parts.constraints);
        self.primary_key(&mut t, parts);
        t.constraints.extend(constraints);
        // Lists grown by pushes keep room for four 400-byte columns: most of
        // the memory a file of small tables takes (docs/performance.md).
        t.columns.shrink_to_fit();
        t.constraints.shrink_to_fit();
        t
    }

    /// A column of a `create_table` block, once per name.
    fn table_column<'f>(
        &mut self,
        def: &'f ast::ColumnDef,
        t: &mut ir::CreateTable,
        parts: &mut TableParts<'f>,
    ) {
        if let Some(&first) = parts.columns.get(def.name.as_str()) {
            self.error(
                Diagnostic::error(
                    Code::DuplicateColumn,
                    format!("column `{}` is defined twice in `{}`", def.name, t.name),
                )
                .at(def.name.span, "defined again here")
                .with_secondary(first, "first defined here"),
            );
            return;
        }
        parts.columns.insert(def.name.as_str(), def.name.span);
        let rc = self.column(def, &t.name);
        if let Some(sp) = rc.primary_key {
            parts.pk_cols.push(def.name.clone());
            parts.pk_span = Some(parts.pk_span.map_or(sp, |p| p.to(sp)));
        }
        t.columns.push(rc.column);
        parts.constraints.extend(rc.constraints);
    }

    /// A constraint item of a `create_table` block; a primary key is kept
    /// aside (one only), to come first.
    fn table_constraint<'f>(
        &mut self,
        def: &'f ast::ConstraintDef,
        name: &QualifiedName,
        parts: &mut TableParts<'f>,
    ) {
        if !matches!(def.kind, ConstraintBody::PrimaryKey(_)) {
            let c = self.constraint_def(def, name);
            parts.constraints.push(c);
            return;
        }
        match parts.table_pk {
            Some(first) => self.error(
                Diagnostic::error(
                    Code::DuplicateAttribute,
                    format!("`{name}` has two primary keys"),
                )
                .at(def.span, "second primary key")
                .with_secondary(first.span, "first primary key"),
            ),
            None => parts.table_pk = Some(def),
        }
    }

    /// The table's primary key: from the table item, or from the
    /// `primary_key` columns (several make a composite key, as in SQLAlchemy).
    fn primary_key(&mut self, t: &mut ir::CreateTable, parts: TableParts<'_>) {
        let name = &t.name;
        match (parts.table_pk, parts.pk_span) {
            (Some(def), Some(sp)) => self.error(
                Diagnostic::error(
                    Code::ConflictingAttributes,
                    format!("`{name}` has a primary key on its columns and a `primary_key` item"),
                )
                .at(def.span, "second primary key")
                .with_secondary(sp, "`primary_key` on a column"),
            ),
            (Some(def), None) => {
                let c = self.constraint_def(def, name);
                for col in c.kind.columns() {
                    if let Some(column) = t.columns.iter_mut().find(|x| x.name == *col) {
                        column.nullable = false;
                    }
                }
                t.constraints.push(c);
            }
            (None, Some(sp)) => {
                let kind = ConstraintKind::PrimaryKey(parts.pk_cols);
                let c = self.constraint(None, kind, name, sp, None);
                t.constraints.push(c);
            }
            (None, None) => {}
        }
    }

    fn alter_column(
        &mut self,
        table: &QualifiedName,
        column: &Ident,
        changes: &[(Change, Span)],
    ) -> ir::AlterColumn {
        let mut a = ir::AlterColumn {
            table: table.clone(),
            column: column.clone(),
            ..ir::AlterColumn::default()
        };
        let mut seen: IndexMap<&'static str, Span> = IndexMap::new();
        for (change, span) in changes {
            let slot = match change {
                Change::Type(..) => "type",
                Change::Nullable(_) => "nullability",
                Change::Default(_) | Change::DropDefault => "default",
                Change::Rename(_) => "name",
                Change::Comment(_) | Change::DropComment => "comment",
                Change::Identity(_) | Change::DropIdentity => "identity",
            };
            if let Some(first) = seen.get(slot) {
                self.error(
                    Diagnostic::error(
                        Code::DuplicateAttribute,
                        format!("the column's {slot} is changed twice"),
                    )
                    .at(*span, "changed again here")
                    .with_secondary(*first, "first changed here"),
                );
                continue;
            }
            seen.insert(slot, *span);
            match change {
                Change::Type(ty, using) => {
                    a.new_type = Some(ty.clone());
                    a.using = using.as_ref().map(|f| self.expr(f));
                }
                Change::Nullable(n) => a.nullable = Some(*n),
                Change::Default(d) => a.default = Some(Some(self.default(d))),
                Change::DropDefault => a.default = Some(None),
                Change::Rename(n) => a.rename = Some(n.clone()),
                Change::Comment(c) => a.comment = Some(Some(c.clone())),
                Change::DropComment => a.comment = Some(None),
                Change::Identity(o) => a.identity = Some(Some(Box::new(self.identity(o)))),
                Change::DropIdentity => a.identity = Some(None),
            }
        }
        a
    }

    fn constraint_def(&mut self, def: &ast::ConstraintDef, table: &QualifiedName) -> Constraint {
        let kind = match &def.kind {
            ConstraintBody::PrimaryKey(c) => ConstraintKind::PrimaryKey(c.clone()),
            ConstraintBody::Unique(c) => ConstraintKind::Unique(c.clone()),
            ConstraintBody::Check(f) => ConstraintKind::Check(self.expr(f)),
            ConstraintBody::ForeignKey {
                columns,
                columns_span,
                ref_table,
                ref_columns,
                ref_span,
                opts,
            } => {
                if columns.len() != ref_columns.len() {
                    self.error(
                        Diagnostic::error(
                            Code::FkArity,
                            format!(
                                "{} reference {}",
                                count(columns.len(), "column"),
                                count(ref_columns.len(), "column")
                            ),
                        )
                        .at(*ref_span, count(ref_columns.len(), "referenced column"))
                        .with_secondary(*columns_span, count(columns.len(), "column")),
                    );
                }
                ConstraintKind::ForeignKey(fk(columns.clone(), ref_table, ref_columns, opts))
            }
        };
        self.constraint(def.name.clone(), kind, table, def.span, None)
    }

    /// A constraint, named by the convention when `name` is `None`, or when its
    /// kind's template takes given names (as SQLAlchemy: `ck_%(table_name)s_%(constraint_name)s`
    /// makes `positive` into `ck_<table>_positive`) and it is not written `conv(name)`.
    fn constraint(
        &mut self,
        name: Option<Ident>,
        kind: ConstraintKind,
        table: &QualifiedName,
        span: Span,
        column: Option<&str>,
    ) -> Constraint {
        let conv = match &kind {
            ConstraintKind::PrimaryKey(_) => naming::Kind::PrimaryKey,
            ConstraintKind::Unique(_) => naming::Kind::Unique,
            ConstraintKind::ForeignKey(_) => naming::Kind::ForeignKey,
            ConstraintKind::Check(_) => naming::Kind::Check,
        };
        let given = match name {
            Some(name) if name.conv || !self.naming.takes_given_names(conv) => {
                return Constraint {
                    name,
                    generated_name: false,
                    kind,
                    span,
                };
            }
            other => other,
        };
        let check_name = match (&given, &kind) {
            (Some(n), _) => n.name.clone(),
            (None, ConstraintKind::Check(e)) => expr_name(&e.text),
            (None, _) => String::new(),
        };
        let (ref_table, ref_cols): (&str, Vec<&str>) = match &kind {
            ConstraintKind::ForeignKey(fk) => (
                fk.ref_table.name.as_str(),
                fk.ref_columns.iter().map(Ident::as_str).collect(),
            ),
            _ => ("", Vec::new()),
        };
        let mut columns: Vec<&str> = kind.columns().iter().map(Ident::as_str).collect();
        if columns.is_empty() {
            columns.extend(column);
        }
        let parts = naming::Parts {
            table: table.name.as_str(),
            columns,
            referred_table: ref_table,
            referred_columns: ref_cols,
            constraint_name: &check_name,
        };
        let generated = self.naming.name(conv, &parts);
        match given {
            // The user's name, through the template: located where it was
            // written, and shortened per dialect like any name a template made
            // (SQLAlchemy truncates convention names the same way).
            Some(n) => Constraint {
                name: Ident::new(generated, n.span),
                generated_name: true,
                kind,
                span,
            },
            None => Constraint {
                name: Ident::synthetic(generated),
                generated_name: true,
                kind,
                span,
            },
        }
    }

    /// `drop_constraint`: the name goes through the naming convention as in
    /// the create: that `type`'s template when given; without `type`, each
    /// template that takes given names offers a name, used when no constraint
    /// has the name as written (`conv(name)`: exactly that name).
    fn drop_constraint(
        &mut self,
        name: &Ident,
        table: &QualifiedName,
        kind: Option<&Ident>,
    ) -> ir::OpKind {
        if let Some(k) = kind {
            let kinds = ConstraintKind::TYPE_WORDS;
            if !kinds.contains(&k.as_str()) {
                let (last, rest) = kinds.split_last().unwrap_or((&"", &[]));
                self.error(
                    Diagnostic::error(
                        Code::UnknownOption,
                        format!("unknown constraint type `{k}`"),
                    )
                    .at(k.span, format!("expected {} or {last}", rest.join(", ")))
                    .with_suggestion(k.as_str(), kinds),
                );
            }
        }
        let drop = |name: Ident, convention_names| {
            ir::OpKind::DropConstraint(ir::DropConstraint {
                table: table.clone(),
                name,
                convention_names,
                if_exists: false,
            })
        };
        if name.conv {
            return drop(name.clone(), Vec::new());
        }
        let t = table.name.as_str();
        match kind.and_then(|k| naming::Kind::of_word(k.as_str())) {
            Some(k) if self.naming.takes_given_names(k) => {
                match self.naming.name_for_drop(k, t, name.as_str()) {
                    Ok(n) => drop(Ident::new(n, name.span), Vec::new()),
                    Err(ph) => {
                        self.error(self.convention_needs(ph, k, name));
                        drop(name.clone(), Vec::new())
                    }
                }
            }
            Some(_) => drop(name.clone(), Vec::new()),
            None => {
                let mut names: Vec<Ident> = Vec::new();
                for k in naming::Kind::CONSTRAINTS {
                    if !self.naming.takes_given_names(k) {
                        continue;
                    }
                    if let Ok(n) = self.naming.name_for_drop(k, t, name.as_str()) {
                        if n != name.name && !names.iter().any(|x| x.name == n) {
                            names.push(Ident::new(n, name.span));
                        }
                    }
                }
                drop(name.clone(), names)
            }
        }
    }

    /// `drop_index`: the name goes through the `ix` template when it takes
    /// given names, as in the create (`conv(name)`: exactly that name).
    fn dropped_index_name(
        &mut self,
        name: &QualifiedName,
        table: Option<&QualifiedName>,
    ) -> QualifiedName {
        let k = naming::Kind::Index;
        if name.name.conv || !self.naming.takes_given_names(k) {
            return name.clone();
        }
        let Some(t) = table
            .map(|t| t.name.as_str())
            .or_else(|| (!self.naming.template(k).contains("%(table_name)s")).then_some(""))
        else {
            self.error(
                Diagnostic::error(
                    Code::NamingConvention,
                    format!(
                        "the `ix` naming convention needs the table to name index `{}`",
                        name.name
                    ),
                )
                .at(name.span(), "which table is it on?")
                .with_help(format!(
                    "write `drop_index {} on <table>`, or the full name as `conv(...)`",
                    name.name
                )),
            );
            return name.clone();
        };
        match self.naming.name_for_drop(k, t, name.name.as_str()) {
            Ok(n) => QualifiedName {
                schema: name.schema.clone(),
                name: Ident::new(n, name.name.span),
            },
            Err(ph) => {
                self.error(self.convention_needs(ph, k, &name.name));
                name.clone()
            }
        }
    }

    /// A drop cannot fill `%(ph)s` of `kind`'s template (it knows only the table and the name).
    fn convention_needs(&self, ph: String, kind: naming::Kind, name: &Ident) -> Diagnostic {
        Diagnostic::error(
            Code::NamingConvention,
            format!(
                "the naming convention `{}` uses `%({ph})s`, which a drop does not know",
                self.naming.template(kind)
            ),
        )
        .at(name.span, "cannot name this the way the convention did")
        .with_help(format!(
            "write the constraint's full name as `conv(...)`, e.g. `conv({name})`"
        ))
    }

    fn index(&mut self, def: &ast::IndexDef, table: &QualifiedName) -> ir::Index {
        let parts: Vec<ir::IndexPart> = def
            .parts
            .iter()
            .map(|p| match p {
                ast::IndexPart::Column { name, desc, length } => ir::IndexPart::Column {
                    name: name.clone(),
                    desc: *desc,
                    length: *length,
                },
                ast::IndexPart::Expr(f) => ir::IndexPart::Expr(self.expr(f)),
            })
            .collect();
        let where_clause = def.where_clause.as_ref().map(|f| self.expr(f));
        let mut options = DialectOptions::default();
        for o in &def.options {
            self.option(o, OptionsOf::Index, &mut options);
        }
        let given = def
            .name
            .as_ref()
            .filter(|n| !n.conv && self.naming.takes_given_names(naming::Kind::Index));
        let (name, generated_name) = match (&def.name, given) {
            (Some(n), Some(_)) => {
                let p = naming::Parts {
                    table: table.name.as_str(),
                    columns: parts
                        .iter()
                        .map(|p| match p {
                            ir::IndexPart::Column { name, .. } => name.as_str(),
                            ir::IndexPart::Expr(_) => "",
                        })
                        .collect(),
                    constraint_name: n.as_str(),
                    ..naming::Parts::default()
                };
                // Shortened per dialect like any name a template made.
                (
                    Ident::new(self.naming.name(naming::Kind::Index, &p), n.span),
                    true,
                )
            }
            (Some(n), None) => (n.clone(), false),
            (None, _) => {
                let names: Vec<String> = parts
                    .iter()
                    .map(|p| match p {
                        ir::IndexPart::Column { name, .. } => name.name.clone(),
                        ir::IndexPart::Expr(e) => expr_name(&e.text),
                    })
                    .collect();
                let p = naming::Parts {
                    table: table.name.as_str(),
                    columns: names.iter().map(String::as_str).collect(),
                    ..naming::Parts::default()
                };
                // SQLAlchemy names unique indexes with the `ix` template too.
                (
                    Ident::synthetic(self.naming.name(naming::Kind::Index, &p)),
                    true,
                )
            }
        };
        ir::Index {
            name,
            generated_name,
            table: table.clone(),
            parts,
            unique: def.unique,
            where_clause,
            include: def.include.clone(),
            options,
            span: def.span,
        }
    }

    fn option(&mut self, o: &ast::DialectOpt, of: OptionsOf, out: &mut DialectOptions) {
        let known: Vec<(&str, OptionValue)> = o.dialect.options(of).collect();
        let keys: Vec<&str> = known.iter().map(|(k, _)| *k).collect();
        let Some(allowed) = known
            .iter()
            .find(|(k, _)| *k == o.key.as_str())
            .map(|(_, v)| *v)
        else {
            let known = if keys.is_empty() {
                "none".to_string()
            } else {
                keys.join(", ")
            };
            self.error(
                Diagnostic::error(
                    Code::UnknownOption,
                    format!("unknown option `{}.{}` here", o.dialect, o.key),
                )
                .at(o.key.span, "not an option of this operation")
                .with_suggestion(o.key.as_str(), keys.iter().copied())
                .with_note(format!("{} options here: {known}", o.dialect)),
            );
            return;
        };
        let Some(value) = self.option_value(o, allowed) else {
            return;
        };
        let m = out.0.entry(o.dialect).or_default();
        if m.contains_key(o.key.as_str()) {
            self.error(
                Diagnostic::error(
                    Code::DuplicateAttribute,
                    format!("option `{}.{}` is given twice", o.dialect, o.key),
                )
                .at(o.span, "given again here"),
            );
            return;
        }
        m.insert(o.key.name.clone(), value);
    }

    /// Checks an option's value against what its key takes; the value to keep
    /// (keywords in their listed case), or `None` after reporting an error.
    fn option_value(&mut self, o: &ast::DialectOpt, allowed: OptionValue) -> Option<String> {
        match allowed {
            OptionValue::Any => Some(o.value.clone()),
            OptionValue::OneOf(words) => {
                if let Some(w) = words.iter().find(|w| w.eq_ignore_ascii_case(&o.value)) {
                    return Some(w.to_string());
                }
                self.error(
                    Diagnostic::error(
                        Code::InvalidOptionValue,
                        format!("invalid value `{}` for `{}.{}`", o.value, o.dialect, o.key),
                    )
                    .at(
                        o.value_span,
                        format!("expected one of: {}", words.join(", ")),
                    )
                    .with_suggestion(&o.value, words.iter().copied()),
                );
                None
            }
            OptionValue::Expr => {
                let frag = option_fragment(o);
                sql::check_expr(&frag, self.file, self.diags)
                    .ok()
                    .map(|()| o.value.trim().to_string())
            }
            OptionValue::Names => {
                let names: Vec<&str> = o.value.split(',').map(str::trim).collect();
                let is_name = |n: &&str| {
                    let mut cs = n.chars();
                    cs.next().is_some_and(|c| c.is_alphabetic() || c == '_')
                        && cs.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
                };
                if let Some(bad) = names.iter().find(|n| !is_name(n)) {
                    self.error(
                        Diagnostic::error(
                            Code::InvalidOptionValue,
                            format!(
                                "invalid value `{}` for `{}.{}`: `{bad}` is not a column name",
                                o.value, o.dialect, o.key
                            ),
                        )
                        .at(o.value_span, "expected column names separated by commas")
                        .with_help(format!(
                            "write it like `{}.{} = \"a, b\"`",
                            o.dialect, o.key
                        )),
                    );
                    return None;
                }
                Some(names.join(", "))
            }
        }
    }
}

/// An option's value as a SQL fragment for `sql::check_expr`, so that an error
/// points into the value as written (quotes included in `value_span` or not).
fn option_fragment(o: &ast::DialectOpt) -> Fragment {
    use super::token::TokenKind;
    let span_len = (o.value_span.end - o.value_span.start) as usize;
    let (kind, raw) = if span_len == o.value.len() {
        (TokenKind::Word, o.value.clone())
    } else if span_len == o.value.len() + 6 && !o.value.contains("\"\"\"") {
        (TokenKind::TripleStr, format!("\"\"\"{}\"\"\"", o.value))
    } else {
        (
            TokenKind::Str,
            format!("\"{}\"", o.value.replace('"', "\"\"")),
        )
    };
    Fragment {
        text: o.value.clone(),
        span: o.value_span,
        kind,
        raw,
        raw_start: o.value_span.start as usize,
    }
}

fn fk(
    columns: Vec<Ident>,
    ref_table: &QualifiedName,
    ref_columns: &[Ident],
    o: &ast::FkOpts,
) -> ir::ForeignKey {
    ir::ForeignKey {
        columns,
        ref_table: ref_table.clone(),
        ref_columns: ref_columns.to_vec(),
        on_delete: o.on_delete,
        on_update: o.on_update,
        deferrable: o.deferrable,
        initially_deferred: o.initially_deferred,
        match_kind: o.match_kind.map(|(m, _)| m),
    }
}

/// A short name for an expression: the first column it mentions, else a hash.
fn expr_name(text: &str) -> String {
    sql::first_column(text).unwrap_or_else(|| sql::short_hash(text.trim()))
}

/// "1 column", "2 columns".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod option_tests {
    //! The option tables' value checks: keywords in any case, per-dialect
    //! `where` (a SQL expression) and `include` (column names).

    use crate::diag::{Code, Diagnostic, Diagnostics};
    use crate::dialect::Dialect;
    use crate::ir::{Index, OpKind};
    use crate::naming::Convention;
    use crate::source::SourceMap;

    fn index(opts: &str) -> Result<Index, Vec<Diagnostic>> {
        let text = format!(
            "revision \"a1\"\nrevises \"a0\"\nmessage \"m\"\nupgrade {{\n    create_index ix_t_a on t (a) {opts}\n}}\ndowngrade auto\n"
        );
        let mut map = SourceMap::new();
        let file = map.add("t.mig", &text);
        let mut diags = Diagnostics::new();
        let rev = crate::syntax::parse_revision(&map, file, &Convention::default(), &mut diags)
            .map_err(|_| diags.into_vec())?;
        match rev.upgrade.into_iter().next().map(|o| o.kind) {
            Some(OpKind::CreateIndex(ci)) => Ok(ci.index),
            other => panic!("not a create_index: {other:?}"),
        }
    }

    #[test]
    fn keyword_values_are_case_insensitive_and_kept_as_listed() {
        let cases = [
            (
                "mysql.prefix = \"FULLTEXT\"",
                Dialect::MySql,
                "prefix",
                "fulltext",
            ),
            (
                "mariadb.prefix = Spatial",
                Dialect::MariaDb,
                "prefix",
                "spatial",
            ),
            (
                "postgresql.using = GIN",
                Dialect::PostgreSql,
                "using",
                "gin",
            ),
            (
                "mssql.clustered = TRUE",
                Dialect::MsSql,
                "clustered",
                "true",
            ),
        ];
        for (opts, d, key, want) in cases {
            let idx = index(opts).unwrap_or_else(|e| panic!("{opts}: {e:?}"));
            assert_eq!(idx.options.get(d, key), Some(want), "{opts}");
        }
        // A `mysql.` index option reaches MariaDB too (Dialect::parent).
        let idx = index("mysql.prefix = FULLTEXT").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            idx.options.get(Dialect::MariaDb, "prefix"),
            Some("fulltext")
        );
        let err = index("mysql.prefix = \"fulltxt\"").expect_err("not a keyword");
        assert_eq!(err[0].code, Code::InvalidOptionValue);
    }

    #[test]
    fn where_and_include_options_per_dialect() {
        let idx = index(
            "postgresql.where = \"deleted_at IS NULL\" sqlite.where = \"a > 0\" mssql.where = \"a > 0\" postgresql.include = \" b ,c\" mssql.include = b",
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        let o = &idx.options;
        assert_eq!(
            o.get(Dialect::PostgreSql, "where"),
            Some("deleted_at IS NULL")
        );
        assert_eq!(o.get(Dialect::Sqlite, "where"), Some("a > 0"));
        assert_eq!(o.get(Dialect::MsSql, "where"), Some("a > 0"));
        assert_eq!(o.get(Dialect::PostgreSql, "include"), Some("b, c"));
        assert_eq!(o.get(Dialect::MsSql, "include"), Some("b"));
        // Only dialects with partial indexes take `where`.
        let err = index("mysql.where = \"a > 0\"").expect_err("no partial index on mysql");
        assert_eq!(err[0].code, Code::UnknownOption);
    }

    #[test]
    fn bad_where_and_include_values_are_located_errors() {
        let text_start = "revision \"a1\"\nrevises \"a0\"\nmessage \"m\"\nupgrade {\n    create_index ix_t_a on t (a) ".len();
        let opt = "postgresql.where = \"a >\"";
        let err = index(opt).expect_err("unfinished expression");
        assert_eq!(err[0].code, Code::InvalidSql);
        let span = err[0].primary.as_ref().map(|l| l.span).expect("located");
        let value_start = text_start + opt.find('"').unwrap_or_default();
        assert!(
            (span.start as usize) > value_start && (span.end as usize) <= text_start + opt.len(),
            "inside the value: {span:?}"
        );
        let err = index("postgresql.include = \"b, 1c\"").expect_err("not a name");
        assert_eq!(err[0].code, Code::InvalidOptionValue);
        assert!(err[0].message.contains("`1c`"), "{}", err[0].message);
    }
}

/// The ops whose IR is their syntax, copied: one line each in [`Resolver::op`].
mod simple {
    use crate::ir::{self, Ident, OpKind as K, QualifiedName};

    pub(super) fn drop_table(name: &QualifiedName, if_exists: bool) -> K {
        K::DropTable(ir::DropTable {
            name: name.clone(),
            if_exists,
        })
    }

    pub(super) fn rename_table(from: &QualifiedName, to: &Ident) -> K {
        K::RenameTable(ir::RenameTable {
            from: from.clone(),
            to: to.clone(),
        })
    }

    pub(super) fn drop_column(table: &QualifiedName, column: &Ident, if_exists: bool) -> K {
        K::DropColumn(ir::DropColumn {
            table: table.clone(),
            column: column.clone(),
            if_exists,
        })
    }

    pub(super) fn rename_column(table: &QualifiedName, column: &Ident, to: &Ident) -> K {
        K::AlterColumn(ir::AlterColumn {
            table: table.clone(),
            column: column.clone(),
            rename: Some(to.clone()),
            ..ir::AlterColumn::default()
        })
    }

    pub(super) fn validate_constraint(name: &Ident, table: &QualifiedName) -> K {
        K::ValidateConstraint(ir::ValidateConstraint {
            table: table.clone(),
            name: name.clone(),
        })
    }

    pub(super) fn table_comment(table: &QualifiedName, comment: &Option<String>) -> K {
        K::SetTableComment(ir::SetTableComment {
            table: table.clone(),
            comment: comment.clone(),
        })
    }

    pub(super) fn drop_sequence(name: &QualifiedName) -> K {
        K::DropSequence(ir::DropSequence { name: name.clone() })
    }
}

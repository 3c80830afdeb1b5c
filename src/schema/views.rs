//! Views in the model: `create_view`, `replace_view`, `drop_view`, and what
//! each view reads, so that an op that would drop, rename or retype
//! something a view reads is refused, located, naming the view (the view
//! would break: PostgreSQL refuses such a change, MySQL and SQLite leave a
//! view that fails when read), and a SQLite rebuild knows which views to
//! drop and create again around it ([`Schema::views_over`]).
//!
//! What a view reads is taken from its query with sqlparser: the relations
//! of its FROM clauses (those the model has), and for columns the words of
//! the query that name a column of such a table ([`mentions::columns_in`]),
//! or every column when it selects `*`. Erring towards inclusion is safe:
//! a column wrongly thought read makes its drop ask for the view to be
//! dropped first.

use super::apply::{done, with_origin};
use super::{mentions, Applied, Schema, Table, View};
use crate::diag::{Code, Diagnostic};
use crate::ir::{CreateView, DropView, Ident, OpKind, QualifiedName, SqlExpr};
use crate::source::Span;
use crate::syntax::sql;

impl Schema {
    /// The view called `name`.
    pub fn view(&self, name: &QualifiedName) -> Option<&View> {
        self.views.get(&name.key())
    }

    /// The views that read the table or view `key` directly, in creation order.
    pub fn views_reading<'a>(&'a self, key: &str) -> impl Iterator<Item = &'a View> + 'a {
        let key = key.to_string();
        self.views.values().filter(move |v| v.reads.contains(&key))
    }

    /// Every view that reads the table or view `key`, directly or through
    /// other views, in an order to create them in (a view after those it reads).
    pub fn views_over(&self, key: &str) -> Vec<&View> {
        let mut found: Vec<&View> = Vec::new();
        let mut todo = vec![key.to_string()];
        while let Some(k) = todo.pop() {
            for v in self.views_reading(&k) {
                if !found.iter().any(|f| f.name == v.name) {
                    found.push(v);
                    todo.push(v.name.key());
                }
            }
        }
        self.in_creation_order(found)
    }

    /// Every view, in an order to create them in.
    pub fn view_order(&self) -> Vec<&View> {
        self.in_creation_order(self.views.values().collect())
    }

    /// `found` in creation order, except that a view waits for the views of
    /// `found` it reads (`replace_view` can make a view read one created after it).
    fn in_creation_order<'a>(&self, mut found: Vec<&'a View>) -> Vec<&'a View> {
        let mut ordered: Vec<&View> = Vec::with_capacity(found.len());
        found.sort_by_key(|v| self.views.get_index_of(&v.name.key()));
        while !found.is_empty() {
            let ready = found.iter().position(|v| {
                v.reads
                    .iter()
                    .all(|r| !found.iter().any(|f| f.name.key() == *r))
            });
            ordered.push(found.remove(ready.unwrap_or(0)));
        }
        ordered
    }

    /// The keys of the tables and views of the model that `query` selects
    /// from, and whether it selects `*`.
    fn reads_of(&self, query: &SqlExpr) -> (Vec<String>, bool) {
        let (relations, all_columns) = sql::query_reads(&query.text);
        let mut reads = Vec::new();
        for parts in relations {
            let key = match parts.as_slice() {
                [.., s, n] => format!("{s}.{n}"),
                [n] => n.clone(),
                [] => continue,
            };
            // Unquoted names fold on the engines: match the model's key in any case.
            let known = self
                .tables
                .keys()
                .chain(self.views.keys())
                .find(|k| **k == key)
                .or_else(|| {
                    self.tables
                        .keys()
                        .chain(self.views.keys())
                        .find(|k| k.eq_ignore_ascii_case(&key))
                });
            if let Some(k) = known {
                if !reads.contains(k) {
                    reads.push(k.clone());
                }
            }
        }
        (reads, all_columns)
    }

    fn unknown_view(&self, name: &QualifiedName) -> Diagnostic {
        Diagnostic::error(Code::UnknownView, format!("there is no view `{name}`"))
            .at(name.span(), "no such view")
            .with_suggestion(&name.key(), self.views.keys().map(String::as_str))
    }

    pub(super) fn create_view(
        &mut self,
        c: &CreateView,
        span: Span,
    ) -> Result<Applied, Diagnostic> {
        let key = c.name.key();
        let taken = match (self.views.get(&key), self.tables.get(&key)) {
            (Some(v), _) => Some(("view", v.name.span())),
            (None, Some(t)) => Some(("table", t.name.span())),
            (None, None) => None,
        };
        if let Some((what, at)) = taken {
            let d = Diagnostic::error(
                Code::DuplicateView,
                format!("cannot create view `{key}`: a {what} of that name exists"),
            )
            .at(c.name.span(), "already exists")
            .with_help("to give an existing view a new query, use `replace_view`");
            return Err(with_origin(d, at, "created here"));
        }
        let (reads, all_columns) = self.reads_of(&c.query);
        self.views.insert(
            key,
            View {
                name: c.name.clone(),
                query: c.query.clone(),
                reads,
                all_columns,
            },
        );
        let inverse = OpKind::DropView(DropView {
            name: c.name.clone(),
        });
        Ok(done(None, vec![inverse], span))
    }

    pub(super) fn replace_view(
        &mut self,
        c: &CreateView,
        span: Span,
    ) -> Result<Applied, Diagnostic> {
        let key = c.name.key();
        if !self.views.contains_key(&key) {
            return Err(self
                .unknown_view(&c.name)
                .with_help("to create a view, use `create_view`"));
        }
        let (reads, all_columns) = self.reads_of(&c.query);
        // The new query may not read the view itself, nor a view that reads it.
        let over: Vec<String> = self.views_over(&key).iter().map(|v| v.name.key()).collect();
        if let Some(r) = reads.iter().find(|r| **r == key || over.contains(r)) {
            return Err(Diagnostic::error(
                Code::UsedByView,
                format!("view `{key}` cannot read `{r}`, which reads `{key}`"),
            )
            .at(c.query.span, "reads itself through this"));
        }
        let Some(v) = self.views.get_mut(&key) else {
            return Err(self.unknown_view(&c.name));
        };
        let old = std::mem::replace(&mut v.query, c.query.clone());
        v.reads = reads;
        v.all_columns = all_columns;
        let inverse = OpKind::ReplaceView(CreateView {
            name: v.name.clone(),
            query: old,
        });
        Ok(done(None, vec![inverse], span))
    }

    pub(super) fn drop_view(&mut self, d: &DropView, span: Span) -> Result<Applied, Diagnostic> {
        let key = d.name.key();
        if !self.views.contains_key(&key) {
            return Err(self.unknown_view(&d.name));
        }
        if let Some(reader) = self.views_reading(&key).next() {
            return Err(used_by_view(
                format!("cannot drop view `{key}`"),
                d.name.span(),
                reader,
            ));
        }
        let Some(old) = self.views.shift_remove(&key) else {
            return Err(self.unknown_view(&d.name));
        };
        let inverse = OpKind::CreateView(CreateView {
            name: old.name,
            query: old.query,
        });
        Ok(done(None, vec![inverse], span))
    }

    /// Refuses to `what` (`drop`, `rename`) the table `name` while a view reads it.
    pub(super) fn no_view_reads_table(
        &self,
        name: &QualifiedName,
        what: &str,
    ) -> Result<(), Diagnostic> {
        match self.views_reading(&name.key()).next() {
            Some(v) => Err(used_by_view(
                format!("cannot {what} table `{name}`"),
                name.span(),
                v,
            )),
            None => Ok(()),
        }
    }

    /// Refuses to rename or retype column `col` of `t` while a view reads it.
    pub(super) fn no_view_reads_altered(
        &self,
        t: &Table,
        col: &Ident,
        renamed: bool,
        retyped: bool,
    ) -> Result<(), Diagnostic> {
        if renamed {
            self.no_view_reads_column(t, col, "rename")?;
        }
        if retyped {
            self.no_view_reads_column(t, col, "change the type of")?;
        }
        Ok(())
    }

    /// Refuses to `what` (`drop`, `rename`, `change the type of`) column
    /// `col` of `t` while a view reads it.
    pub(super) fn no_view_reads_column(
        &self,
        t: &Table,
        col: &Ident,
        what: &str,
    ) -> Result<(), Diagnostic> {
        let key = t.name.key();
        let reader = self.views_reading(&key).find(|v| {
            v.all_columns || mentions::columns_in(&v.query.text, t).contains(&col.as_str())
        });
        match reader {
            Some(v) => Err(used_by_view(
                format!("cannot {what} column `{col}` of table `{}`", t.name),
                col.span,
                v,
            )),
            None => Ok(()),
        }
    }
}

/// `message`: view `v` reads it; drop the view first.
fn used_by_view(message: String, at: Span, v: &View) -> Diagnostic {
    let how = match v.all_columns {
        true => " (it selects `*`, so it reads every column)",
        false => "",
    };
    let d = Diagnostic::error(
        Code::UsedByView,
        format!("{message}: view `{}` reads it{how}", v.name),
    )
    .at(at, "read by a view")
    .with_help(format!(
        "drop the view first (`drop_view {}`) and create it again after the change",
        v.name
    ));
    with_origin(d, v.name.span(), "the view")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{
        AlterColumn, ColumnType, CreateTable, DialectOptions, DropColumn, DropTable, Op,
        RenameTable, TypeKind,
    };
    use crate::testkit::{col, expr, id, q};

    fn op(kind: OpKind) -> Op {
        Op::new(kind, crate::testkit::AT)
    }

    fn view(name: &str, query: &str) -> CreateView {
        CreateView {
            name: q(name),
            query: expr(query),
        }
    }

    /// `account (id, name, note)` and `entry (id)`, `names` over account,
    /// `short_names` over `names`.
    fn schema() -> Schema {
        let mut s = Schema::new();
        for (t, cols) in [("account", &["id", "name", "note"][..]), ("entry", &["id"])] {
            let create = CreateTable {
                name: q(t),
                columns: cols.iter().map(|c| col(c, TypeKind::Integer)).collect(),
                constraints: Vec::new(),
                indexes: Vec::new(),
                comment: None,
                if_not_exists: false,
                options: DialectOptions::default(),
            };
            s.apply(&op(OpKind::CreateTable(create))).unwrap();
        }
        let names = view("names", "SELECT a.id, a.name FROM ACCOUNT a");
        s.apply(&op(OpKind::CreateView(names))).unwrap();
        let short = view(
            "short_names",
            "SELECT name FROM names WHERE length(name) < 5",
        );
        s.apply(&op(OpKind::CreateView(short))).unwrap();
        s
    }

    fn refused(s: &mut Schema, kind: OpKind) -> Diagnostic {
        let before = s.clone();
        let d = s.apply(&op(kind)).unwrap_err();
        assert_eq!(*s, before, "a refused op leaves the model as it was");
        d
    }

    #[test]
    fn a_view_reads_the_tables_and_views_of_its_query() {
        let s = schema();
        assert_eq!(s.views["names"].reads, ["account"], "unquoted names fold");
        assert_eq!(s.views["short_names"].reads, ["names"]);
        let over: Vec<String> = s
            .views_over("account")
            .iter()
            .map(|v| v.name.key())
            .collect();
        assert_eq!(over, ["names", "short_names"]);
        assert!(s.views_over("entry").is_empty());
        let (_, star) = sql::query_reads("SELECT 1 AS x UNION SELECT e.* FROM entry e");
        assert!(star, "a `*` in any branch of a set operation");
        let (reads, star) =
            sql::query_reads("WITH c AS (SELECT id FROM s.t) SELECT count(*) FROM c");
        assert_eq!(reads, [vec!["s".to_string(), "t".into()], vec!["c".into()]]);
        assert!(!star, "count(*) selects no column");
    }

    #[test]
    fn what_a_view_reads_cannot_go_from_under_it() {
        let mut s = schema();
        let d = refused(
            &mut s,
            OpKind::DropTable(DropTable {
                name: q("account"),
                if_exists: false,
            }),
        );
        assert_eq!(d.code, Code::UsedByView);
        assert!(d.message.contains("view `names` reads it"), "{}", d.message);
        let rename = RenameTable {
            from: q("account"),
            to: id("client"),
        };
        assert_eq!(
            refused(&mut s, OpKind::RenameTable(rename)).code,
            Code::UsedByView
        );
        let drop = |c: &str| {
            OpKind::DropColumn(DropColumn {
                table: q("account"),
                column: id(c),
                if_exists: false,
            })
        };
        assert_eq!(refused(&mut s, drop("name")).code, Code::UsedByView);
        let rename_col = AlterColumn {
            table: q("account"),
            column: id("id"),
            rename: Some(id("ident")),
            ..AlterColumn::default()
        };
        assert_eq!(
            refused(&mut s, OpKind::AlterColumn(rename_col)).code,
            Code::UsedByView
        );
        let retype = AlterColumn {
            table: q("account"),
            column: id("name"),
            new_type: Some(ColumnType::new(TypeKind::Text, crate::testkit::AT)),
            ..AlterColumn::default()
        };
        let d = refused(&mut s, OpKind::AlterColumn(retype));
        assert!(d
            .message
            .starts_with("cannot change the type of column `name`"));
        let dv = DropView { name: q("names") };
        let d = refused(&mut s, OpKind::DropView(dv));
        assert!(
            d.message.contains("view `short_names` reads it"),
            "{}",
            d.message
        );
        // A column no view reads goes; so does a table no view reads.
        s.apply(&op(drop("note"))).unwrap();
        let entry = DropTable {
            name: q("entry"),
            if_exists: false,
        };
        s.apply(&op(OpKind::DropTable(entry))).unwrap();
    }

    #[test]
    fn a_star_reads_every_column() {
        let mut s = schema();
        let all = view("everything", "SELECT * FROM entry");
        s.apply(&op(OpKind::CreateView(all))).unwrap();
        let add = crate::ir::AddColumn {
            table: q("entry"),
            column: col("extra", TypeKind::Integer),
            if_not_exists: false,
            position: Default::default(),
        };
        s.apply(&op(OpKind::AddColumn(add))).unwrap();
        let drop = DropColumn {
            table: q("entry"),
            column: id("extra"),
            if_exists: false,
        };
        let d = refused(&mut s, OpKind::DropColumn(drop));
        assert!(d.message.contains("selects `*`"), "{}", d.message);
    }

    #[test]
    fn create_replace_and_drop_invert_from_the_kept_queries() {
        let mut s = schema();
        let before = s.clone();
        let new = view("names", "SELECT id FROM account");
        let applied = s.apply(&op(OpKind::ReplaceView(new))).unwrap();
        assert_eq!(s.views["names"].query.text, "SELECT id FROM account");
        assert_eq!(s.views.get_index_of("names"), Some(0), "keeps its place");
        let inverse = applied.inverse.unwrap();
        match &inverse[..] {
            [Op {
                kind: OpKind::ReplaceView(v),
                ..
            }] => assert_eq!(v.query.text, "SELECT a.id, a.name FROM ACCOUNT a"),
            other => panic!("{other:?}"),
        }
        s.apply(&inverse[0]).unwrap();
        assert_eq!(s, before);
        let dv = DropView {
            name: q("short_names"),
        };
        let inverse = s.apply(&op(OpKind::DropView(dv))).unwrap().inverse.unwrap();
        s.apply(&inverse[0]).unwrap();
        assert_eq!(s, before);
    }

    #[test]
    fn names_are_checked() {
        let mut s = schema();
        let d = refused(&mut s, OpKind::CreateView(view("account", "SELECT 1")));
        assert_eq!(d.code, Code::DuplicateView);
        let d = refused(&mut s, OpKind::CreateView(view("names", "SELECT 1")));
        assert_eq!(d.code, Code::DuplicateView);
        let d = refused(&mut s, OpKind::ReplaceView(view("nmes", "SELECT 1")));
        assert_eq!(d.code, Code::UnknownView);
        let d = refused(&mut s, OpKind::DropView(DropView { name: q("nmes") }));
        assert_eq!(d.code, Code::UnknownView);
        // A view cannot come to read itself through another.
        let cycle = view("names", "SELECT name FROM short_names");
        assert_eq!(
            refused(&mut s, OpKind::ReplaceView(cycle)).code,
            Code::UsedByView
        );
    }
}

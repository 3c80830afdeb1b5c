//! Functions, procedures and triggers in the model: their per-dialect SQL
//! is kept, so `downgrade auto` drops what `create_*` made, creates again
//! what `drop_*` dropped and puts back what `replace_*` replaced. ddlc does
//! not read the SQL (it is the author's, per dialect, like `execute`'s); it
//! knows the table a trigger is on, so that table is not dropped or renamed
//! from under it, and a SQLite rebuild creates the table's triggers again.

use super::apply::{done, with_origin};
use super::{Applied, Schema};
use crate::diag::{Code, Diagnostic};
use crate::ir::{DropRoutine, OpKind, QualifiedName, Routine, RoutineKind};
use crate::source::Span;

/// The model's key of a routine.
fn key(kind: RoutineKind, name: &QualifiedName) -> String {
    format!("{} {}", kind.word(), name.key())
}

impl Schema {
    /// The triggers of the model on the table `key`, in creation order.
    pub fn triggers_on<'a>(&'a self, key: &str) -> impl Iterator<Item = &'a Routine> + 'a {
        let key = key.to_string();
        self.routines.values().filter(move |r| {
            r.kind == RoutineKind::Trigger && r.table.as_ref().is_some_and(|t| t.key() == key)
        })
    }

    fn unknown_routine(&self, kind: RoutineKind, name: &QualifiedName) -> Diagnostic {
        let word = kind.word();
        let known = self
            .routines
            .keys()
            .filter_map(|k| k.strip_prefix(&format!("{word} ")));
        Diagnostic::error(Code::UnknownRoutine, format!("there is no {word} `{name}`"))
            .at(name.span(), format!("no such {word}"))
            .with_suggestion(&name.key(), known)
    }

    /// A trigger's table exists, and is the one the trigger was created on.
    fn check_trigger_table(
        &self,
        kind: RoutineKind,
        name: &QualifiedName,
        table: Option<&QualifiedName>,
    ) -> Result<(), Diagnostic> {
        let Some(t) = table else { return Ok(()) };
        if !self.tables.contains_key(&t.key()) {
            return Err(
                Diagnostic::error(Code::UnknownTable, format!("there is no table `{t}`"))
                    .at(t.span(), "no such table")
                    .with_suggestion(&t.key(), self.tables.keys().map(String::as_str)),
            );
        }
        let on = self
            .routines
            .get(&key(kind, name))
            .and_then(|r| r.table.as_ref());
        match on {
            Some(on) if on.key() != t.key() => Err(Diagnostic::error(
                Code::UnknownRoutine,
                format!("trigger `{name}` is on table `{on}`, not `{t}`"),
            )
            .at(t.span(), "not its table")),
            _ => Ok(()),
        }
    }

    pub(super) fn create_routine(
        &mut self,
        r: &Routine,
        span: Span,
    ) -> Result<Applied, Diagnostic> {
        let k = key(r.kind, &r.name);
        if let Some(old) = self.routines.get(&k) {
            let word = r.kind.word();
            let d = Diagnostic::error(
                Code::DuplicateRoutine,
                format!("{word} `{}` already exists", r.name),
            )
            .at(r.name.span(), "already exists")
            .with_help(format!("to give it new SQL, use `replace_{word}`"));
            return Err(with_origin(d, old.name.span(), "created here"));
        }
        self.check_trigger_table(r.kind, &r.name, r.table.as_ref())?;
        self.routines.insert(k, r.clone());
        let inverse = OpKind::DropRoutine(DropRoutine {
            kind: r.kind,
            name: r.name.clone(),
            table: r.table.clone(),
        });
        Ok(done(None, vec![inverse], span))
    }

    pub(super) fn replace_routine(
        &mut self,
        r: &Routine,
        span: Span,
    ) -> Result<Applied, Diagnostic> {
        let k = key(r.kind, &r.name);
        if !self.routines.contains_key(&k) {
            return Err(self.unknown_routine(r.kind, &r.name));
        }
        self.check_trigger_table(r.kind, &r.name, r.table.as_ref())?;
        let Some(old) = self.routines.get_mut(&k) else {
            return Err(self.unknown_routine(r.kind, &r.name));
        };
        let old = std::mem::replace(old, r.clone());
        Ok(done(None, vec![OpKind::ReplaceRoutine(old)], span))
    }

    pub(super) fn drop_routine(
        &mut self,
        d: &DropRoutine,
        span: Span,
    ) -> Result<Applied, Diagnostic> {
        let k = key(d.kind, &d.name);
        if !self.routines.contains_key(&k) {
            return Err(self.unknown_routine(d.kind, &d.name));
        }
        self.check_trigger_table(d.kind, &d.name, d.table.as_ref())?;
        let Some(old) = self.routines.shift_remove(&k) else {
            return Err(self.unknown_routine(d.kind, &d.name));
        };
        Ok(done(None, vec![OpKind::CreateRoutine(old)], span))
    }

    /// Refuses to `what` (`drop`, `rename`) the table `name` while a trigger
    /// of the model is on it (the trigger would go with it, or keep reading
    /// the old name).
    pub(super) fn no_trigger_on(&self, name: &QualifiedName, what: &str) -> Result<(), Diagnostic> {
        let Some(t) = self.triggers_on(&name.key()).next() else {
            return Ok(());
        };
        let d = Diagnostic::error(
            Code::TableHasTrigger,
            format!(
                "cannot {what} table `{name}`: trigger `{}` is on it",
                t.name
            ),
        )
        .at(name.span(), "has a trigger")
        .with_help(format!(
            "drop the trigger first (`drop_trigger {} on {name}`)",
            t.name
        ));
        Err(with_origin(d, t.name.span(), "the trigger"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{CreateTable, DialectOptions, DropTable, Execute, Op, SqlText, TypeKind};
    use crate::testkit::{col, q};
    use indexmap::IndexMap;

    fn op(kind: OpKind) -> Op {
        Op::new(kind, crate::testkit::AT)
    }

    fn routine(kind: RoutineKind, name: &str, table: Option<&str>, sql: &str) -> Routine {
        let mut variants = IndexMap::new();
        let text = SqlText {
            text: sql.into(),
            span: crate::testkit::AT,
            raw: true,
        };
        variants.insert(crate::dialect::Dialect::Sqlite, text);
        Routine {
            kind,
            name: q(name),
            table: table.map(q),
            bodies: Execute {
                default: None,
                variants,
            },
        }
    }

    fn schema() -> Schema {
        let mut s = Schema::new();
        let create = CreateTable {
            name: q("account"),
            columns: vec![col("id", TypeKind::Integer)],
            constraints: Vec::new(),
            indexes: Vec::new(),
            comment: None,
            if_not_exists: false,
            options: DialectOptions::default(),
        };
        s.apply(&op(OpKind::CreateTable(create))).unwrap();
        let t = routine(
            RoutineKind::Trigger,
            "audit",
            Some("account"),
            "CREATE TRIGGER audit ..",
        );
        s.apply(&op(OpKind::CreateRoutine(t))).unwrap();
        s
    }

    #[test]
    fn create_replace_and_drop_invert_from_the_kept_sql() {
        let mut s = schema();
        let before = s.clone();
        let f = routine(
            RoutineKind::Function,
            "audit",
            None,
            "CREATE FUNCTION audit ..",
        );
        let inverse = s
            .apply(&op(OpKind::CreateRoutine(f)))
            .unwrap()
            .inverse
            .unwrap();
        assert!(
            matches!(&inverse[0].kind, OpKind::DropRoutine(d) if d.kind == RoutineKind::Function),
            "a function and a trigger may share a name"
        );
        s.apply(&inverse[0]).unwrap();
        assert_eq!(s, before);
        let new = routine(
            RoutineKind::Trigger,
            "audit",
            Some("account"),
            "CREATE TRIGGER audit v2",
        );
        let inverse = s
            .apply(&op(OpKind::ReplaceRoutine(new)))
            .unwrap()
            .inverse
            .unwrap();
        match &inverse[0].kind {
            OpKind::ReplaceRoutine(old) => {
                assert_eq!(old.bodies.variants[0].text, "CREATE TRIGGER audit ..")
            }
            other => panic!("{other:?}"),
        }
        s.apply(&inverse[0]).unwrap();
        assert_eq!(s, before);
        let drop = DropRoutine {
            kind: RoutineKind::Trigger,
            name: q("audit"),
            table: Some(q("account")),
        };
        let inverse = s
            .apply(&op(OpKind::DropRoutine(drop)))
            .unwrap()
            .inverse
            .unwrap();
        assert!(s.routines.is_empty());
        s.apply(&inverse[0]).unwrap();
        assert_eq!(s, before);
    }

    #[test]
    fn names_and_tables_are_checked() {
        let mut s = schema();
        let again = routine(RoutineKind::Trigger, "audit", Some("account"), "x");
        let d = s.apply(&op(OpKind::CreateRoutine(again))).unwrap_err();
        assert_eq!(d.code, Code::DuplicateRoutine);
        let drop = |name: &str, table: &str| DropRoutine {
            kind: RoutineKind::Trigger,
            name: q(name),
            table: Some(q(table)),
        };
        let d = s
            .apply(&op(OpKind::DropRoutine(drop("audt", "account"))))
            .unwrap_err();
        assert_eq!(d.code, Code::UnknownRoutine);
        let d = s
            .apply(&op(OpKind::DropRoutine(drop("audit", "nope"))))
            .unwrap_err();
        assert_eq!(d.code, Code::UnknownTable);
        let before = s.clone();
        let dt = DropTable {
            name: q("account"),
            if_exists: false,
        };
        let d = s.apply(&op(OpKind::DropTable(dt))).unwrap_err();
        assert_eq!(d.code, Code::TableHasTrigger);
        assert!(
            d.message.contains("trigger `audit` is on it"),
            "{}",
            d.message
        );
        assert_eq!(s, before);
        assert_eq!(s.triggers_on("account").count(), 1);
    }
}

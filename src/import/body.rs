//! The body of `upgrade()` or `downgrade()`: statements walked in order, with
//! `batch_alter_table` blocks as plain ops, loops over literal lists unrolled,
//! local and module-level names followed, helper functions without arguments
//! inlined and dialect checks as `only` blocks. A statement that cannot be
//! translated becomes a `review` item holding its code and where it is.

use super::ops::{self, Op};
use super::value::{Env, Value};
use rustpython_parser::ast::{self, Expr, Ranged, Stmt};
use std::collections::HashMap;

/// One item of a translated block.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// A ddlc op.
    Op(Op),
    /// `only (dialects) { then } else { otherwise }`.
    Only {
        /// The dialects.
        dialects: Vec<&'static str>,
        /// Their ops.
        then: Vec<Item>,
        /// Every other dialect's.
        otherwise: Vec<Item>,
    },
    /// Code for a person: why, the line (1-based) and the code.
    Review {
        /// What could not be translated.
        why: String,
        /// Its first line in the .py file.
        line: usize,
        /// The original code.
        code: String,
    },
    /// A comment line for the reader.
    Comment(String),
    /// `raise`: the downgrade is irreversible.
    Irreversible(String),
}

/// What a body is walked with: the file's text and its top-level functions.
pub struct Walker<'a> {
    /// The .py file's text.
    pub source: &'a str,
    /// The module's functions without parameters, by name.
    pub helpers: HashMap<String, &'a ast::StmtFunctionDef>,
}

impl Walker<'_> {
    /// The items of `body`, with `env` the names it sees.
    pub fn block(
        &self,
        body: &[Stmt],
        env: &mut Env,
        batch: Option<(&str, Option<&str>)>,
    ) -> Vec<Item> {
        let mut out = vec![];
        for s in body {
            let from = out.len();
            if let Err(why) = self.stmt(s, env, batch, &mut out) {
                out.push(self.review(s, why));
            }
            let line = self.line(s.range().start().to_usize());
            for item in &mut out[from..] {
                if let Item::Op(op) = item {
                    if op.line == 0 {
                        op.line = line;
                    }
                }
            }
        }
        out
    }

    fn review(&self, s: &Stmt, why: String) -> Item {
        let range = s.range();
        let (start, end) = (range.start().to_usize(), range.end().to_usize());
        let line_start = self.source[..start].rfind('\n').map_or(0, |i| i + 1);
        Item::Review {
            why,
            line: self.line(start),
            code: self.source[line_start..end].to_string(),
        }
    }

    /// The 1-based line of byte `at`.
    pub fn line(&self, at: usize) -> usize {
        self.source[..at].matches('\n').count() + 1
    }

    fn stmt(
        &self,
        s: &Stmt,
        env: &mut Env,
        batch: Option<(&str, Option<&str>)>,
        out: &mut Vec<Item>,
    ) -> Result<(), String> {
        match s {
            Stmt::Pass(_) => Ok(()),
            Stmt::Expr(e) => self.expr_stmt(&e.value, env, batch, out),
            Stmt::Assign(a) => {
                let v = env.eval(&a.value);
                if let Some(c) = v.as_call() {
                    if c.func.ends_with("op.create_table") || c.func.ends_with("op.get_bind") {
                        if c.func.ends_with("op.create_table") {
                            self.call_stmt(&v, batch, out)?;
                        }
                        return a
                            .targets
                            .iter()
                            .try_for_each(|t| env.bind_target(t, v.clone()));
                    }
                }
                if let Some(why) = v.opaque() {
                    return Err(format!("an assignment of {why}"));
                }
                a.targets
                    .iter()
                    .try_for_each(|t| env.bind_target(t, v.clone()))
            }
            Stmt::AnnAssign(a) => match &a.value {
                Some(v) => env.bind_target(&a.target, env.eval(v)),
                None => Ok(()),
            },
            Stmt::With(w) => self.with(w, env, out),
            Stmt::For(f) => self.for_loop(f, env, batch, out),
            Stmt::If(i) => self.if_dialect(i, env, batch, out),
            Stmt::Raise(_) => {
                out.push(Item::Irreversible(self.review_text(s)));
                Ok(())
            }
            Stmt::Import(_) | Stmt::ImportFrom(_) => Ok(()),
            _ => Err("Python code that is not an Alembic operation".into()),
        }
    }

    fn review_text(&self, s: &Stmt) -> String {
        let r = s.range();
        self.source[r.start().to_usize()..r.end().to_usize()].to_string()
    }

    fn expr_stmt(
        &self,
        e: &Expr,
        env: &mut Env,
        batch: Option<(&str, Option<&str>)>,
        out: &mut Vec<Item>,
    ) -> Result<(), String> {
        if let Expr::Constant(_) = e {
            return Ok(()); // a docstring or a bare literal
        }
        if let Expr::Call(c) = e {
            if let Expr::Name(n) = &*c.func {
                if let Some(f) = self.helpers.get(n.id.as_str()) {
                    if c.args.is_empty() && c.keywords.is_empty() {
                        let mut inner = env.clone();
                        out.extend(self.block(&f.body, &mut inner, batch));
                        return Ok(());
                    }
                }
            }
        }
        if let Some(item) = self.dialect_arg(e, env, batch)? {
            out.push(item);
            return Ok(());
        }
        let v = env.eval(e);
        self.call_stmt(&v, batch, out)
    }

    /// `op.x(a if <dialect test> else b)`: the call with `a` on the dialects
    /// the test names, with `b` elsewhere.
    fn dialect_arg(
        &self,
        e: &Expr,
        env: &Env,
        batch: Option<(&str, Option<&str>)>,
    ) -> Result<Option<Item>, String> {
        let Expr::Call(c) = e else { return Ok(None) };
        let Some((at, test)) = c.args.iter().enumerate().find_map(|(i, a)| match a {
            Expr::IfExp(x) => Some((i, x)),
            _ => None,
        }) else {
            return Ok(None);
        };
        let Some((dialects, negated)) = dialect_test(&test.test, env) else {
            return Ok(None);
        };
        let Value::Call(call) = env.eval(e) else {
            return Ok(None);
        };
        let with = |branch: &Expr| -> Result<Vec<Item>, String> {
            let mut one = (*call).clone();
            one.args[at] = env.eval(branch);
            let mut items = vec![];
            self.call_stmt(&Value::Call(Box::new(one)), batch, &mut items)?;
            Ok(items)
        };
        let (yes, no) = (with(&test.body)?, with(&test.orelse)?);
        let (then, otherwise) = if negated { (no, yes) } else { (yes, no) };
        Ok(Some(Item::Only {
            dialects,
            then,
            otherwise,
        }))
    }

    fn call_stmt(
        &self,
        v: &Value,
        batch: Option<(&str, Option<&str>)>,
        out: &mut Vec<Item>,
    ) -> Result<(), String> {
        let c = v.as_call().ok_or("an expression that is not a call")?;
        // An enum type's own create/drop: ddlc creates a named enum with its
        // first column and drops it with its last.
        if matches!(c.name(), "create" | "drop")
            && c.receiver
                .as_ref()
                .and_then(Value::as_call)
                .is_some_and(|r| matches!(r.name(), "Enum" | "ENUM"))
        {
            out.push(Item::Comment(format!(
                "enum type {}: ddlc makes and drops it with the columns that use it",
                c.name()
            )));
            return Ok(());
        }
        if is_logging(c) {
            let msg = c.args.first().and_then(Value::as_str).unwrap_or("");
            out.push(Item::Comment(format!("log: {msg}")));
            return Ok(());
        }
        let is_op = c.func.starts_with("alembic.op.")
            || c.func.starts_with("op.")
            || (batch.is_some() && c.func.starts_with("<batch>."));
        if c.func == "execute"
            && c.receiver
                .as_ref()
                .is_some_and(|r| r.as_call().is_some_and(|b| b.func.ends_with("get_bind")))
        {
            return self.call_stmt(
                &Value::Call(Box::new(super::value::Call {
                    func: "op.execute".into(),
                    receiver: None,
                    ..(*c).clone()
                })),
                batch,
                out,
            );
        }
        if !is_op {
            return Err(format!(
                "the call `{}(...)`, which is not an Alembic operation",
                c.func
            ));
        }
        if let Some(why) = v.opaque() {
            return Err(format!("`{}` with {why}", c.name()));
        }
        let in_batch = if c.func.starts_with("<batch>.") {
            batch
        } else {
            None
        };
        out.extend(ops::translate(c, in_batch)?.into_iter().map(Item::Op));
        Ok(())
    }

    fn with(&self, w: &ast::StmtWith, env: &mut Env, out: &mut Vec<Item>) -> Result<(), String> {
        let [item] = &w.items[..] else {
            return Err("a `with` of several items".into());
        };
        let v = env.eval(&item.context_expr);
        let c = v
            .as_call()
            .ok_or("a `with` that is not batch_alter_table")?;
        if c.name() == "autocommit_block" {
            out.push(Item::Comment(
                "autocommit_block: ddlc runs `concurrently` ops outside the transaction by itself"
                    .into(),
            ));
            out.extend(self.block(&w.body, env, None));
            return Ok(());
        }
        if c.name() != "batch_alter_table" {
            return Err(format!("a `with {}(...)`", c.func));
        }
        let t = c
            .arg(0, "table_name")
            .and_then(Value::as_str)
            .ok_or("batch_alter_table without a literal table")?;
        let schema = c.kw("schema").and_then(Value::as_str);
        let mut inner = env.clone();
        if let Some(target) = &item.optional_vars {
            inner.bind_target(target, Value::Path("<batch>".into()))?;
        }
        out.extend(self.block(&w.body, &mut inner, Some((t, schema))));
        Ok(())
    }

    fn for_loop(
        &self,
        f: &ast::StmtFor,
        env: &mut Env,
        batch: Option<(&str, Option<&str>)>,
        out: &mut Vec<Item>,
    ) -> Result<(), String> {
        let Value::List(items) = env.eval(&f.iter) else {
            return Err("a loop over something that is not a literal list".into());
        };
        if !f.orelse.is_empty() {
            return Err("a loop with `else`".into());
        }
        for v in items {
            env.bind_target(&f.target, v)?;
            out.extend(self.block(&f.body, env, batch));
        }
        Ok(())
    }

    fn if_dialect(
        &self,
        i: &ast::StmtIf,
        env: &mut Env,
        batch: Option<(&str, Option<&str>)>,
        out: &mut Vec<Item>,
    ) -> Result<(), String> {
        let (dialects, negated) =
            dialect_test(&i.test, env).ok_or("an `if` that is not a test of the dialect's name")?;
        let then = self.block(&i.body, env, batch);
        let otherwise = self.block(&i.orelse, env, batch);
        let (then, otherwise) = if negated {
            (otherwise, then)
        } else {
            (then, otherwise)
        };
        if then.is_empty() {
            let rest: Vec<&'static str> = super::ops::all()
                .filter(|d| !dialects.contains(d))
                .collect();
            out.push(Item::Only {
                dialects: rest,
                then: otherwise,
                otherwise: vec![],
            });
        } else {
            out.push(Item::Only {
                dialects,
                then,
                otherwise,
            });
        }
        Ok(())
    }
}

/// `logger.info(...)`, `logging.warning(...)`, `print(...)`: output, not schema.
fn is_logging(c: &super::value::Call) -> bool {
    let method = matches!(c.name(), "debug" | "info" | "warning" | "warn" | "error");
    let on_logger = c.func.to_ascii_lowercase().contains("log")
        || matches!(&c.receiver, Some(Value::Call(r)) if r.name() == "getLogger");
    (method && on_logger) || c.func == "print"
}

/// `<...>.dialect.name == "x"` (or `!=`, `in (...)`, `not in`): the dialects
/// and whether the test is negated. SQLAlchemy's "mysql" is MariaDB too.
fn dialect_test(e: &Expr, env: &Env) -> Option<(Vec<&'static str>, bool)> {
    let Expr::Compare(c) = e else { return None };
    let ([op], [right]) = (&c.ops[..], &c.comparators[..]) else {
        return None;
    };
    if env.eval(&c.left) != Value::Path(super::value::DIALECT_NAME.into()) {
        return None;
    }
    let names = match env.eval(right) {
        Value::Str(s) => vec![s],
        Value::List(l) => l
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()?,
        _ => return None,
    };
    let negated = match op {
        ast::CmpOp::Eq | ast::CmpOp::In => false,
        ast::CmpOp::NotEq | ast::CmpOp::NotIn => true,
        _ => return None,
    };
    let mut out = vec![];
    for n in &names {
        let ds: &[&'static str] = match n.as_str() {
            "postgresql" | "postgres" => &["postgresql"],
            "mysql" => &["mysql", "mariadb"],
            "mariadb" => &["mariadb"],
            "sqlite" => &["sqlite"],
            "mssql" => &["mssql"],
            "oracle" => &["oracle"],
            _ => return None,
        };
        out.extend(
            ds.iter()
                .copied()
                .filter(|d| !out.contains(d))
                .collect::<Vec<_>>(),
        );
    }
    Some((out, negated))
}

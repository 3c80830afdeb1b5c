//! Python expressions as the values an Alembic revision passes to `op.*`:
//! literals, lists, dicts, names bound in the module or the function, and
//! calls kept as data (`sa.String(20)` is a call of `sqlalchemy.String`).
//! Nothing is run: what cannot be known without running Python is `Opaque`.

use rustpython_parser::ast::{self, Constant, Expr};
use std::collections::HashMap;

/// What `<...>.dialect.name` evaluates to.
pub const DIALECT_NAME: &str = "<dialect.name>";

/// A value, as far as it can be known without running the code.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An integer, as written in decimal.
    Int(String),
    /// A float, as Python prints it.
    Float(String),
    /// A string.
    Str(String),
    /// A list or a tuple.
    List(Vec<Value>),
    /// A dict literal, in order.
    Dict(Vec<(Value, Value)>),
    /// A call, kept as data.
    Call(Box<Call>),
    /// A dotted name that is not a value (`sqlalchemy.Integer`, `op`).
    Path(String),
    /// Anything else; the text says what.
    Opaque(String),
}

/// A call: `func(args, kwargs)`, or `receiver.func(...)` for a method.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// The dotted path of the callee (imports resolved), or the method name.
    pub func: String,
    /// The value the method is called on.
    pub receiver: Option<Value>,
    /// Positional arguments.
    pub args: Vec<Value>,
    /// Keyword arguments, in order.
    pub kwargs: Vec<(String, Value)>,
}

impl Call {
    /// The last part of the callee's path: `String` for `sqlalchemy.String`.
    pub fn name(&self) -> &str {
        self.func.rsplit('.').next().unwrap_or(&self.func)
    }

    /// A keyword argument.
    pub fn kw(&self, key: &str) -> Option<&Value> {
        self.kwargs.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Positional argument `n`, else keyword `key`.
    pub fn arg(&self, n: usize, key: &str) -> Option<&Value> {
        self.args.get(n).or_else(|| self.kw(key))
    }

    /// The dialect module the callee comes from (`sqlalchemy.dialects.mysql.X`).
    pub fn dialect(&self) -> Option<&str> {
        let mut parts = self.func.split('.');
        parts.find(|p| *p == "dialects")?;
        parts.next()
    }
}

impl Value {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The call, if this is one.
    pub fn as_call(&self) -> Option<&Call> {
        match self {
            Value::Call(c) => Some(c),
            _ => None,
        }
    }

    /// Python truthiness of a literal; `None` when unknown.
    pub fn truthy(&self) -> Option<bool> {
        match self {
            Value::None => Some(false),
            Value::Bool(b) => Some(*b),
            Value::Int(i) => Some(i != "0"),
            Value::Str(s) => Some(!s.is_empty()),
            Value::List(l) => Some(!l.is_empty()),
            _ => None,
        }
    }

    /// The first opaque part, if any: a value holding one cannot be translated.
    pub fn opaque(&self) -> Option<&str> {
        match self {
            Value::Opaque(why) => Some(why),
            Value::List(items) => items.iter().find_map(Value::opaque),
            Value::Dict(items) => items
                .iter()
                .find_map(|(k, v)| k.opaque().or_else(|| v.opaque())),
            Value::Call(c) => c
                .receiver
                .iter()
                .chain(&c.args)
                .chain(c.kwargs.iter().map(|(_, v)| v))
                .find_map(Value::opaque),
            _ => None,
        }
    }
}

/// The names a revision's code can see: imports (as paths) and bound values.
#[derive(Clone, Debug, Default)]
pub struct Env {
    /// Name → value (an import is a `Value::Path`).
    pub names: HashMap<String, Value>,
    /// `pkg.mod.Model` → its `__tablename__`, for the models a revision
    /// imports (read from the package beside the migrations).
    pub tablenames: HashMap<String, String>,
}

impl Env {
    /// Binds `name`.
    pub fn bind(&mut self, name: &str, value: Value) {
        self.names.insert(name.to_string(), value);
    }

    /// Binds the targets of an assignment or a loop (`a`, `a, b`).
    pub fn bind_target(&mut self, target: &Expr, value: Value) -> Result<(), String> {
        match (target, value) {
            (Expr::Name(n), v) => {
                self.bind(n.id.as_str(), v);
                Ok(())
            }
            (Expr::Tuple(t), Value::List(items)) if t.elts.len() == items.len() => {
                for (e, v) in t.elts.iter().zip(items) {
                    self.bind_target(e, v)?;
                }
                Ok(())
            }
            _ => Err("an assignment whose targets cannot be followed".into()),
        }
    }

    /// The value of `e`.
    pub fn eval(&self, e: &Expr) -> Value {
        match e {
            Expr::Constant(c) => constant(&c.value),
            Expr::List(l) => Value::List(l.elts.iter().map(|x| self.eval(x)).collect()),
            Expr::Tuple(t) => Value::List(t.elts.iter().map(|x| self.eval(x)).collect()),
            Expr::Dict(d) => self.dict(d),
            Expr::Name(n) => self.name(n.id.as_str()),
            // `<bind or context>.dialect.name`: the dialect's name, known per
            // dialect only (an `if` on it becomes `only`).
            Expr::Attribute(a)
                if a.attr.as_str() == "name"
                    && matches!(&*a.value, Expr::Attribute(d) if d.attr.as_str() == "dialect") =>
            {
                Value::Path(DIALECT_NAME.into())
            }
            Expr::Attribute(a) => match self.eval(&a.value) {
                Value::Path(p) if a.attr.as_str() == "__tablename__" => {
                    match self.tablenames.get(&p) {
                        Some(t) => Value::Str(t.clone()),
                        None => Value::Opaque(format!(
                            "`{p}.__tablename__`, which the import could not read"
                        )),
                    }
                }
                Value::Path(p) => Value::Path(format!("{p}.{}", a.attr.as_str())),
                _ => Value::Opaque(format!("the attribute `{}` of a value", a.attr.as_str())),
            },
            Expr::Call(c) => self.call(c),
            Expr::UnaryOp(u) if matches!(u.op, ast::UnaryOp::USub) => match self.eval(&u.operand) {
                Value::Int(i) => Value::Int(format!("-{i}")),
                Value::Float(f) => Value::Float(format!("-{f}")),
                _ => Value::Opaque("a negated value".into()),
            },
            Expr::BinOp(b) if matches!(b.op, ast::Operator::Add) => {
                match (self.eval(&b.left), self.eval(&b.right)) {
                    (Value::Str(l), Value::Str(r)) => Value::Str(l + &r),
                    (Value::List(mut l), Value::List(r)) => {
                        l.extend(r);
                        Value::List(l)
                    }
                    _ => Value::Opaque("a sum that is not of strings or lists".into()),
                }
            }
            Expr::JoinedStr(j) => self.fstring(j),
            _ => Value::Opaque("an expression that is not a literal".into()),
        }
    }

    /// An f-string whose parts are all known strings or numbers.
    fn fstring(&self, j: &ast::ExprJoinedStr) -> Value {
        let mut out = String::new();
        for part in &j.values {
            let v = match part {
                Expr::FormattedValue(f)
                    if f.format_spec.is_none()
                        && matches!(
                            f.conversion,
                            ast::ConversionFlag::None | ast::ConversionFlag::Str
                        ) =>
                {
                    self.eval(&f.value)
                }
                other => self.eval(other),
            };
            match v {
                Value::Str(s) => out.push_str(&s),
                Value::Int(i) => out.push_str(&i),
                _ => return Value::Opaque("an f-string with a part that is not a literal".into()),
            }
        }
        Value::Str(out)
    }

    fn name(&self, id: &str) -> Value {
        match self.names.get(id) {
            Some(v) => v.clone(),
            None if matches!(id, "True" | "False" | "None") => Value::Opaque(id.into()),
            None => Value::Opaque(format!("the name `{id}`, which is not a literal")),
        }
    }

    fn dict(&self, d: &ast::ExprDict) -> Value {
        let mut items = Vec::new();
        for (k, v) in d.keys.iter().zip(&d.values) {
            match k {
                Some(k) => items.push((self.eval(k), self.eval(v))),
                None => return Value::Opaque("a dict with `**`".into()),
            }
        }
        Value::Dict(items)
    }

    fn call(&self, c: &ast::ExprCall) -> Value {
        let (func, receiver) = match &*c.func {
            Expr::Attribute(a) => match self.eval(&a.value) {
                Value::Path(p) => (format!("{p}.{}", a.attr.as_str()), None),
                other => (a.attr.to_string(), Some(other)),
            },
            other => match self.eval(other) {
                Value::Path(p) => (p, None),
                _ => return Value::Opaque("a call of something that is not a name".into()),
            },
        };
        let mut args = Vec::new();
        for a in &c.args {
            if matches!(a, Expr::Starred(_)) {
                return Value::Opaque("a call with `*args`".into());
            }
            args.push(self.eval(a));
        }
        let mut kwargs = Vec::new();
        for k in &c.keywords {
            match &k.arg {
                Some(name) => kwargs.push((name.to_string(), self.eval(&k.value))),
                None => return Value::Opaque("a call with `**kwargs`".into()),
            }
        }
        // A column's Python-side default and hooks are not schema: they are
        // left out, whatever they hold (often a lambda).
        if func.ends_with("Column") {
            kwargs.retain(|(k, _)| !matches!(k.as_str(), "default" | "onupdate" | "info" | "doc"));
        }
        Value::Call(Box::new(Call {
            func,
            receiver,
            args,
            kwargs,
        }))
    }
}

fn constant(c: &Constant) -> Value {
    match c {
        Constant::None => Value::None,
        Constant::Bool(b) => Value::Bool(*b),
        Constant::Str(s) => Value::Str(s.clone()),
        Constant::Int(i) => Value::Int(i.to_string()),
        Constant::Float(f) => Value::Float(format!("{f:?}")),
        Constant::Tuple(t) => Value::List(t.iter().map(constant).collect()),
        _ => Value::Opaque("a constant that is not a string or a number".into()),
    }
}

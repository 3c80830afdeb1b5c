//! What the head's `execute` ops made: raw SQL is not in the model, so a
//! view, table or index that such SQL creates would show as missing from the
//! head in every comparison. Their names are read from the SQL (sqlparser,
//! the dialect's grammar) and those objects are left out of the comparison,
//! each with a note saying so.

use crate::dialect::Dialect;
use crate::ir::{Op, OpKind};
use crate::schema::Schema;
use crate::source::Span;
use indexmap::IndexMap;
use sqlparser::ast::Statement;

/// An object made by `execute`: its kind (`view`, `table`, `index`), its
/// model key, and the op's span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Made {
    /// `view`, `table` or `index`.
    pub kind: &'static str,
    /// The key the model would give it (`name`, `schema.name`).
    pub key: String,
    /// The `execute` op.
    pub span: Span,
}

/// The objects that the `execute` ops of `ops` (in order) create and do not
/// drop again, on `dialect`.
pub fn made_by_execute<'a>(dialect: Dialect, ops: impl Iterator<Item = &'a Op>) -> Vec<Made> {
    let mut made: IndexMap<(&'static str, String), Span> = IndexMap::new();
    for op in ops {
        let OpKind::Execute(e) = &op.kind else {
            continue;
        };
        let Some(body) = dialect.pick(&e.variants).or(e.default.as_ref()) else {
            continue;
        };
        let parsed =
            sqlparser::parser::Parser::parse_sql(&*dialect.rules().sqlparser(), &body.text);
        for stmt in parsed.unwrap_or_default() {
            match object(dialect, &stmt) {
                Some((kind, key, true)) => {
                    made.insert((kind, key), op.span);
                }
                Some((kind, key, false)) => {
                    made.shift_remove(&(kind, key));
                }
                None => {}
            }
        }
    }
    made.into_iter()
        .map(|((kind, key), span)| Made { kind, key, span })
        .collect()
}

/// The object a statement creates (`true`) or drops (`false`).
fn object(dialect: Dialect, stmt: &Statement) -> Option<(&'static str, String, bool)> {
    let key = |name: &sqlparser::ast::ObjectName| {
        let parts: Vec<String> = name
            .0
            .iter()
            .map(|p| {
                p.as_ident()
                    .map_or_else(|| p.to_string(), |i| i.value.clone())
            })
            .filter(|p| Some(p.as_str()) != dialect.rules().default_schema())
            .collect();
        parts.join(".")
    };
    match stmt {
        Statement::CreateView(v) => Some(("view", key(&v.name), true)),
        Statement::CreateTable(t) => Some(("table", key(&t.name), true)),
        Statement::CreateIndex(i) => Some(("index", key(i.name.as_ref()?), true)),
        Statement::Drop {
            object_type, names, ..
        } => {
            let kind = match object_type {
                sqlparser::ast::ObjectType::View => "view",
                sqlparser::ast::ObjectType::Table => "table",
                sqlparser::ast::ObjectType::Index => "index",
                _ => return None,
            };
            Some((kind, key(names.first()?), false))
        }
        _ => None,
    }
}

/// `target` without the objects of `made`.
pub fn leave_out(target: &mut Schema, made: &[Made]) {
    for m in made {
        match m.kind {
            "view" => {
                target.views.shift_remove(&m.key);
            }
            "table" => {
                target.tables.shift_remove(&m.key);
            }
            _ => {
                if let Some(owner) = target.index_owner.shift_remove(&m.key) {
                    let bare = m.key.rsplit('.').next().unwrap_or(&m.key);
                    if let Some(t) = target.tables.get_mut(&owner) {
                        t.indexes.shift_remove(bare);
                    }
                }
            }
        }
    }
}

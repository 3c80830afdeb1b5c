//! `existing_type=` and `existing_nullable=` checked against what the
//! revisions before said of the column (replayed in graph order from the
//! import's own reading of them): where they disagree, Alembic's offline SQL
//! was written from a wrong belief, so the summary names the place. ddlc
//! needs neither (it replays the schema itself).

use super::baseline::graph_order;
use super::body::Item;
use super::ops::Fact;
use super::revision::Revision;
use std::collections::HashMap;

/// What is known of each `(table, column)`: its type and whether it takes NULL.
type Columns = HashMap<(String, String), (Option<String>, Option<bool>)>;

/// A disagreement: the revision's id, its line, and what differs.
pub type Disagreement = (String, usize, String);

/// Every `existing_*` that disagrees with the columns as replayed.
pub fn check(revisions: &[Revision]) -> Vec<Disagreement> {
    let mut columns = Columns::new();
    let mut out = vec![];
    for rev in graph_order(revisions) {
        for (line, fact) in facts(&rev.upgrade) {
            apply(&mut columns, fact, |why| {
                out.push((rev.id.clone(), line, why))
            });
        }
    }
    out
}

fn apply(columns: &mut Columns, fact: &Fact, mut report: impl FnMut(String)) {
    match fact {
        Fact::Is {
            table,
            column,
            ty,
            nullable,
        } => {
            let entry = columns.entry((table.clone(), column.clone())).or_default();
            if ty.is_some() {
                entry.0 = ty.clone();
            }
            if nullable.is_some() {
                entry.1 = *nullable;
            }
        }
        Fact::Renamed { table, from, to } => {
            if let Some(state) = columns.remove(&(table.clone(), from.clone())) {
                columns.insert((table.clone(), to.clone()), state);
            }
        }
        Fact::Expected {
            table,
            column,
            ty,
            nullable,
        } => {
            let Some((is_ty, is_null)) = columns.get(&(table.clone(), column.clone())) else {
                return;
            };
            if let (Some(want), Some(is)) = (ty, is_ty) {
                if base(want) != base(is) {
                    report(format!(
                        "existing_type is `{}`, but `{table}.{column}` is `{}` here",
                        base(want),
                        base(is)
                    ));
                }
            }
            if let (Some(want), Some(is)) = (nullable, is_null) {
                if want != is {
                    let word = |n: bool| if n { "nullable" } else { "NOT NULL" };
                    report(format!(
                        "existing_nullable says {}, but `{table}.{column}` is {} here",
                        word(*want),
                        word(*is)
                    ));
                }
            }
        }
    }
}

/// The type without its variants.
fn base(ty: &str) -> &str {
    ty.split(" variant ").next().unwrap_or(ty)
}

/// The facts of `items` with their lines, `only` blocks included.
fn facts(items: &[Item]) -> Vec<(usize, &Fact)> {
    let mut out = vec![];
    for i in items {
        match i {
            Item::Op(op) => out.extend(op.facts.iter().map(|f| (op.line, f))),
            Item::Only {
                then, otherwise, ..
            } => {
                out.extend(facts(then));
                out.extend(facts(otherwise));
            }
            _ => {}
        }
    }
    out
}

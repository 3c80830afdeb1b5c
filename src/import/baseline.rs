//! The baseline an imported project needs when its first revisions alter
//! tables no revision creates (made by `metadata.create_all()` or by hand
//! before the migrations): found by replaying, in graph order, which tables
//! each op creates and which it uses; proposed as a `baseline` revision whose
//! `review` block names them, so `ddlc check` fails until a person declares
//! them (docs/dsl.md, "A baseline").

use super::body::Item;
use super::revision::Revision;
use std::collections::{BTreeSet, HashMap};

/// The id of the proposed baseline.
pub const ID: &str = "baseline";

/// Tables used before any revision creates them, in order of first use.
pub fn missing(revisions: &[Revision]) -> Vec<String> {
    let mut created = BTreeSet::new();
    let mut missing = vec![];
    for rev in graph_order(revisions) {
        for line in lines(&rev.upgrade) {
            let (creates, uses) = tables_of(&line);
            for t in uses {
                if !created.contains(&t) && !missing.contains(&t) {
                    missing.push(t);
                }
            }
            created.extend(creates);
        }
    }
    missing
}

/// The baseline's text, or `None` when no table is missing.
pub fn text(missing: &[String]) -> Option<String> {
    if missing.is_empty() {
        return None;
    }
    let list = missing.join(", ");
    Some(format!(
        "revision \"{ID}\"\nrevises  base\nbaseline \"tables the Alembic revisions use but never create\"\n\
         message  \"baseline\"\n\n# Proposed by `ddlc import alembic`: declare each table as the databases have it.\n\n\
         upgrade {{\n    review \"tables used before a revision creates them (or created only in code left for review): {list}\" \"\"\"\n    create_table <name> {{ ... }}\n    \"\"\"\n}}\n\ndowngrade auto\n"
    ))
}

/// Parents before children (ties in file order); revisions in a cycle or
/// with unknown parents last, as read.
pub fn graph_order(revisions: &[Revision]) -> Vec<&Revision> {
    let index: HashMap<&str, usize> = revisions
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut done = vec![false; revisions.len()];
    let mut out = Vec::with_capacity(revisions.len());
    let mut progress = true;
    while progress {
        progress = false;
        for (i, r) in revisions.iter().enumerate() {
            let ready = r
                .parents
                .iter()
                .chain(&r.depends_on)
                .all(|p| index.get(p.as_str()).is_none_or(|&j| done[j]));
            if !done[i] && ready {
                done[i] = true;
                out.push(r);
                progress = true;
            }
        }
    }
    out.extend(
        revisions
            .iter()
            .enumerate()
            .filter(|(i, _)| !done[*i])
            .map(|(_, r)| r),
    );
    out
}

/// Every op line of `items`, `only` blocks included.
fn lines(items: &[Item]) -> Vec<String> {
    let mut out = vec![];
    for i in items {
        match i {
            Item::Op(op) => out.extend(op.text.lines().map(|l| l.trim().to_string())),
            Item::Only {
                then, otherwise, ..
            } => {
                out.extend(lines(then));
                out.extend(lines(otherwise));
            }
            _ => {}
        }
    }
    out
}

/// The tables one op line creates and uses (the import's own spelling).
fn tables_of(line: &str) -> (Vec<String>, Vec<String>) {
    let words: Vec<&str> = line.split_whitespace().collect();
    let Some(&op) = words.first() else {
        return (vec![], vec![]);
    };
    let after_on = || {
        words
            .iter()
            .position(|w| *w == "on")
            .and_then(|i| words.get(i + 1))
            .map(|t| t.to_string())
    };
    let column_table = |w: &str| w.rsplit_once('.').map(|(t, _)| t.to_string());
    match op {
        "create_table" => (
            words.get(1).map(|t| t.to_string()).into_iter().collect(),
            vec![],
        ),
        "rename_table" => (
            words.get(3).map(|t| t.to_string()).into_iter().collect(),
            words.get(1).map(|t| t.to_string()).into_iter().collect(),
        ),
        "drop_table"
        | "bulk_insert"
        | "delete_rows"
        | "create_table_comment"
        | "drop_table_comment" => (
            vec![],
            words.get(1).map(|t| t.to_string()).into_iter().collect(),
        ),
        "add_column" | "drop_column" | "alter_column" | "rename_column" => (
            vec![],
            words
                .get(1)
                .and_then(|w| column_table(w))
                .into_iter()
                .collect(),
        ),
        "create_index"
        | "drop_index"
        | "create_unique_constraint"
        | "create_primary_key"
        | "create_check_constraint"
        | "create_foreign_key"
        | "drop_constraint" => (vec![], after_on().into_iter().collect()),
        _ => (vec![], vec![]),
    }
}

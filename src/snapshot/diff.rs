//! What one revision changes in the model: a small structural diff of the
//! schema before and after it (`ddlc show`). A rename shows as a removal and
//! an addition: the model keeps no history of names.

use super::json::{column_type_text, constraint, default_text, part_text};
use crate::diag::{Code, Diagnostic};
use crate::ir::{Column, Index};
use crate::schema::{Schema, Table};
use indexmap::IndexMap;

/// One change: `+` added, `-` removed, `~` changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// `+`, `-` or `~`.
    pub sign: char,
    /// `table`, `column`, `constraint`, `index`, `sequence`, `enum`, `view`,
    /// `function`, `procedure`, `trigger`.
    pub kind: &'static str,
    /// `t`, `t.c` (schema-qualified where the table is).
    pub name: String,
    /// For `~`: what changed, `type integer → bigint; not_null → null`.
    pub detail: Option<String>,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} {}", self.sign, self.kind, self.name)?;
        match &self.detail {
            Some(d) => write!(f, ": {d}"),
            None => Ok(()),
        }
    }
}

/// `+`/`-` for the keys on one side only, and `changed(a, b)` for those on both.
fn keyed<'a, T>(
    before: &'a IndexMap<String, T>,
    after: &'a IndexMap<String, T>,
    mut emit: impl FnMut(char, &'a str, Option<(&'a T, &'a T)>),
) {
    for (k, _) in before.iter().filter(|(k, _)| !after.contains_key(*k)) {
        emit('-', k, None);
    }
    for (k, b) in after {
        match before.get(k) {
            None => emit('+', k, None),
            Some(a) => emit('~', k, Some((a, b))),
        }
    }
}

/// The changes from `before` to `after`, tables in `after`'s order (removed ones first).
pub fn diff(before: &Schema, after: &Schema) -> Vec<Change> {
    let mut out = Vec::new();
    let change = |sign, kind, name: String, detail| Change {
        sign,
        kind,
        name,
        detail,
    };
    keyed(&before.sequences, &after.sequences, |sign, k, both| {
        let moved = both.is_some_and(|(a, b)| a != b);
        if both.is_none() || moved {
            let detail = moved.then(|| "start or increment".to_string());
            out.push(change(sign, "sequence", k.to_string(), detail));
        }
    });
    keyed(&before.enums, &after.enums, |sign, k, both| match both {
        None => out.push(change(sign, "enum", k.to_string(), None)),
        Some(((a, _), (b, _))) if a.values != b.values => out.push(change(
            '~',
            "enum",
            k.to_string(),
            Some(format!("values {:?} → {:?}", a.values, b.values)),
        )),
        Some(_) => {}
    });
    keyed(&before.tables, &after.tables, |sign, k, both| match both {
        None => out.push(change(sign, "table", k.to_string(), None)),
        Some((a, b)) => table(a, b, k, &mut out),
    });
    keyed(&before.views, &after.views, |sign, k, both| match both {
        None => out.push(change(sign, "view", k.to_string(), None)),
        Some((a, b)) if a.query != b.query => out.push(change(
            '~',
            "view",
            k.to_string(),
            Some(format!("query ({}) → ({})", a.query.text, b.query.text)),
        )),
        Some(_) => {}
    });
    keyed(&before.routines, &after.routines, |sign, k, both| {
        let r = match both {
            None => after.routines.get(k).or_else(|| before.routines.get(k)),
            Some((a, b)) if a.bodies != b.bodies => Some(b),
            Some(_) => None,
        };
        if let Some(r) = r {
            let detail = both.map(|_| "SQL".to_string());
            let sign = if both.is_some() { '~' } else { sign };
            out.push(change(sign, r.kind.word(), r.name.to_string(), detail));
        }
    });
    out
}

/// The changes inside a table both schemas have.
fn table(a: &Table, b: &Table, key: &str, out: &mut Vec<Change>) {
    let qualified = |n: &str| format!("{key}.{n}");
    if a.comment != b.comment {
        out.push(Change {
            sign: '~',
            kind: "table",
            name: key.to_string(),
            detail: Some(format!(
                "comment {} → {}",
                shown(a.comment.as_deref()),
                shown(b.comment.as_deref())
            )),
        });
    }
    let mut push = |sign, kind, name: &str, detail| {
        out.push(Change {
            sign,
            kind,
            name: qualified(name),
            detail,
        })
    };
    keyed(&a.columns, &b.columns, |sign, k, both| match both {
        None => push(sign, "column", k, None),
        Some((x, y)) => {
            if let Some(d) = column(x, y) {
                push('~', "column", k, Some(d));
            }
        }
    });
    keyed(&a.constraints, &b.constraints, |sign, k, both| match both {
        None => push(sign, "constraint", k, None),
        Some((x, y)) if x.kind != y.kind => {
            let (x, y) = (constraint(x), constraint(y));
            push('~', "constraint", k, Some(format!("{x} → {y}")));
        }
        Some(_) => {}
    });
    keyed(&a.indexes, &b.indexes, |sign, k, both| match both {
        None => push(sign, "index", k, None),
        Some((x, y)) if !same_index(x, y) => push('~', "index", k, Some(index_text(x, y))),
        Some(_) => {}
    });
}

fn shown(text: Option<&str>) -> String {
    match text {
        Some(t) => format!("{t:?}"),
        None => "none".into(),
    }
}

/// `type integer → bigint; not_null → null; default 0 → none`, or None when the same.
fn column(a: &Column, b: &Column) -> Option<String> {
    let mut parts = Vec::new();
    let (ta, tb) = (column_type_text(&a.ty), column_type_text(&b.ty));
    if ta != tb {
        parts.push(format!("type {ta} → {tb}"));
    }
    let null = |n: bool| if n { "null" } else { "not_null" };
    if a.nullable != b.nullable {
        parts.push(format!("{} → {}", null(a.nullable), null(b.nullable)));
    }
    if a.default != b.default {
        let d = |v: &Option<_>| v.as_ref().map_or("none".to_string(), default_text);
        parts.push(format!("default {} → {}", d(&a.default), d(&b.default)));
    }
    if a.identity != b.identity {
        parts.push("identity".into());
    }
    if a.computed != b.computed {
        parts.push("computed".into());
    }
    if a.comment != b.comment {
        parts.push(format!(
            "comment {} → {}",
            shown(a.comment.as_deref()),
            shown(b.comment.as_deref())
        ));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn same_index(a: &Index, b: &Index) -> bool {
    a.parts == b.parts
        && a.unique == b.unique
        && a.where_clause == b.where_clause
        && a.include == b.include
        && a.options == b.options
}

fn index_text(a: &Index, b: &Index) -> String {
    let text = |i: &Index| {
        let parts: Vec<String> = i.parts.iter().map(part_text).collect();
        let unique = if i.unique { "unique " } else { "" };
        format!("{unique}({})", parts.join(", "))
    };
    format!("{} → {}", text(a), text(b))
}

/// The `downgrade-incomplete` error of revision `rev` whose hand-written
/// downgrade `down` takes the model `after` (after its upgrade) somewhere
/// other than `before`; None when it restores it, or when an op of it does
/// not apply (the compile checks report that). `ddlc lint` reports the same.
pub fn downgrade_incomplete(
    before: &Schema,
    after: &Schema,
    rev: &crate::ir::Revision,
    down: &[crate::ir::Op],
) -> Option<Diagnostic> {
    let mut undone = after.clone();
    if down.iter().any(|op| undone.apply(op).is_err()) {
        return None;
    }
    let changes = diff(before, &undone);
    if changes.is_empty() {
        return None;
    }
    let at = down.first().map_or(rev.id_span, |op| op.span);
    let mut d = Diagnostic::error(
        Code::DowngradeIncomplete,
        format!(
            "the downgrade of `{}` does not restore the schema before it",
            rev.id.0
        ),
    )
    .at(at, "after this downgrade the schema differs");
    for c in &changes {
        let what = match c.sign {
            '+' => "left behind",
            '-' => "not restored",
            _ => "restored differently",
        };
        d = d.with_note(format!("{what}: {c}"));
    }
    Some(d.with_help(
        "compare the downgrade with the upgrade's ops, or use `downgrade auto`; \
             if the difference is meant, `ddlc check --allow-incomplete-downgrades` \
             reports it as a warning",
    ))
}

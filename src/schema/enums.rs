//! `add_enum_value`, `rename_enum_value`, `drop_enum_value`: the values of a
//! named enum type change in the model's enum and in every column that uses
//! it (each column's type carries the values, so lowering finds the whole
//! definition: MySQL's MODIFY, the CHECK elsewhere, a SQLite rebuild). The
//! inverse restores the values exactly, a dropped one at its old position.
//!
//! Cost: an enum's users are not indexed, so the op reads the columns of
//! every table once (enum ops are rare; every other op stays proportional to
//! what it touches).

use super::{key_in_schema, Applied, Schema};
use crate::diag::Code;
use crate::diag::Diagnostic;
use crate::ir::{
    AlterEnum, Column, DefaultValue, EnumChange, EnumPosition, EnumType, Literal, Op, OpKind,
    QualifiedName, TypeKind,
};
use crate::source::Span;

/// `'v'` for a message.
fn shown(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// A value the enum does not have, with a suggestion.
fn unknown_value(e: &EnumType, key: &str, v: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::UnknownEnum,
        format!("enum `{key}` has no value {}", shown(v)),
    )
    .at(span, "no such value")
    .with_suggestion(v, e.values.iter().map(String::as_str))
}

/// The values after `a`, and the change that undoes it; or why `a` cannot apply.
fn changed(
    e: &EnumType,
    key: &str,
    a: &AlterEnum,
) -> Result<(Vec<String>, EnumChange), Diagnostic> {
    let mut values = e.values.clone();
    let index = |v: &str, span: Span| {
        values
            .iter()
            .position(|x| x == v)
            .ok_or_else(|| unknown_value(e, key, v, span))
    };
    let duplicate = |v: &str| {
        Diagnostic::error(
            Code::DuplicateEnumValue,
            format!("enum `{key}` already has the value {}", shown(v)),
        )
        .at(a.value_span, "already a value")
    };
    match &a.change {
        EnumChange::Add(v, position) => {
            if values.contains(v) {
                return Err(duplicate(v));
            }
            let at = match position {
                EnumPosition::Last => values.len(),
                EnumPosition::Before(w, sp) => index(w, *sp)?,
                EnumPosition::After(w, sp) => index(w, *sp)? + 1,
            };
            values.insert(at, v.clone());
            Ok((values, EnumChange::Drop(v.clone())))
        }
        EnumChange::Rename(from, to) => {
            let i = index(from, a.value_span)?;
            if values.contains(to) {
                return Err(duplicate(to));
            }
            values[i] = to.clone();
            Ok((values, EnumChange::Rename(to.clone(), from.clone())))
        }
        EnumChange::Drop(v) => {
            let i = index(v, a.value_span)?;
            if values.len() == 1 {
                return Err(Diagnostic::error(
                    Code::EnumValueInUse,
                    format!("{} is the only value of enum `{key}`", shown(v)),
                )
                .at(a.value_span, "an enum keeps at least one value")
                .with_help("drop the columns that use the enum instead"));
            }
            values.remove(i);
            // Back where it was: after the value before it, else before the one after it.
            let position = match i {
                0 => EnumPosition::Before(values[0].clone(), Span::NONE),
                _ => EnumPosition::After(values[i - 1].clone(), Span::NONE),
            };
            Ok((values, EnumChange::Add(v.clone(), position)))
        }
    }
}

/// A string default equal to `v`.
fn defaults_to(c: &Column, v: &str) -> bool {
    matches!(&c.default, Some(DefaultValue::Literal(Literal::String(s))) if s == v)
}

impl Schema {
    /// No enum `key`; the one of that name in a schema is named for it.
    fn unknown_enum(&self, a: &AlterEnum, key: &str) -> Diagnostic {
        let d = Diagnostic::error(
            Code::UnknownEnum,
            format!("no column uses an enum type `{key}`"),
        )
        .at(a.name.span(), "no such enum type");
        let bare = a.name.name.as_str();
        match self.enums.values().find(|(e, _)| e.name.as_str() == bare) {
            Some(_) => {
                let named = self
                    .enums
                    .keys()
                    .find(|k| k.rsplit('.').next() == Some(bare))
                    .cloned()
                    .unwrap_or_default();
                d.with_help(format!(
                    "an enum is named with the schema of the tables that use it: `{named}`"
                ))
            }
            None => d.with_suggestion(key, self.enums.keys().map(String::as_str)),
        }
    }

    /// The columns (table key, column name) that use the enum `key`.
    fn enum_users(&self, key: &str, e: &EnumType) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (tk, t) in &self.tables {
            for (ck, c) in &t.columns {
                let uses = matches!(&c.ty.kind, TypeKind::Enum(x) if x.name == e.name)
                    && key_in_schema(&t.name, &e.name) == key;
                if uses {
                    out.push((tk.clone(), ck.clone()));
                }
            }
        }
        out
    }

    /// An enum op: the values change in the enum and in each column using it.
    pub(super) fn alter_enum(&mut self, a: &AlterEnum, span: Span) -> Result<Applied, Diagnostic> {
        let key = a.name.key();
        let Some((e, _)) = self.enums.get(&key) else {
            return Err(self.unknown_enum(a, &key));
        };
        let (values, undo) = changed(e, &key, a)?;
        let e = e.clone();
        let users = self.enum_users(&key, &e);
        let mut before: Vec<(QualifiedName, Column)> = Vec::new();
        for (tk, ck) in &users {
            let t = &self.tables[tk];
            let c = &t.columns[ck];
            if let EnumChange::Drop(v) = &a.change {
                if defaults_to(c, v) {
                    let d = Diagnostic::error(
                        Code::EnumValueInUse,
                        format!("column `{}.{}` defaults to {}", t.name, c.name, shown(v)),
                    )
                    .at(a.value_span, "the default of a column uses it")
                    .with_help("change the column's default first (`alter_column ... default`)");
                    return Err(if c.span.is_none() {
                        d
                    } else {
                        d.with_secondary(c.span, "the column")
                    });
                }
            }
            before.push((t.name.clone(), c.clone()));
        }
        let new_enum = EnumType {
            name: e.name.clone(),
            values,
        };
        for (tk, ck) in &users {
            let Some(c) = self.tables.get_mut(tk).and_then(|t| t.columns.get_mut(ck)) else {
                continue;
            };
            c.ty.kind = TypeKind::Enum(EnumType {
                name: match &c.ty.kind {
                    TypeKind::Enum(x) => x.name.clone(),
                    _ => new_enum.name.clone(),
                },
                values: new_enum.values.clone(),
            });
            if let EnumChange::Rename(from, to) = &a.change {
                if defaults_to(c, from) {
                    c.default = Some(DefaultValue::Literal(Literal::String(to.clone())));
                }
            }
        }
        if let Some((x, _)) = self.enums.get_mut(&key) {
            x.values = new_enum.values;
        }
        let inverse = OpKind::AlterEnum(AlterEnum {
            name: a.name.clone(),
            change: undo,
            value_span: a.value_span,
        });
        Ok(Applied {
            enum_columns: before,
            inverse: Ok(vec![Op::new(inverse, span)]),
            ..Applied::default()
        })
    }
}

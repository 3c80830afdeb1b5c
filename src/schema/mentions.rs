//! Which columns of a table an object involves: the columns a constraint or
//! index lists, and those its SQL texts (CHECK bodies, expression index parts,
//! partial-index predicates, generated-column expressions) name. What goes
//! with a dropped column is decided from this (see `drop_column`).
//!
//! Texts are read with sqlparser's tokenizer, not by substring: `balance > 0`
//! does not name a column `a`, `'size'` is a string, `lower(x)` calls a
//! function. A word is taken for a column when it is not called, not the
//! qualifier before a `.`, and not a type after `::` or `AS`; unquoted words
//! match column names in any case (the engines fold them), quoted ones
//! exactly. Erring towards inclusion is safe: an object wrongly thought to
//! involve a column makes `drop_column` ask for it to be dropped first.

use super::Table;
use crate::dialect::Dialect;
use crate::ir::{Constraint, ConstraintKind, Index, IndexPart};
use sqlparser::dialect::GenericDialect;
use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, Tokenizer};

/// The columns of `table` that the SQL expression `text` names, in table order.
pub fn columns_in<'t>(text: &str, table: &'t Table) -> Vec<&'t str> {
    let Ok(tokens) = Tokenizer::new(&GenericDialect {}, text).tokenize() else {
        // Fragments were checked when parsed; should one not tokenize now,
        // every column its text contains counts.
        return table
            .columns
            .keys()
            .map(String::as_str)
            .filter(|c| text.contains(c))
            .collect();
    };
    let significant: Vec<&Token> = tokens
        .iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .collect();
    let mut words = Vec::new();
    for (i, t) in significant.iter().enumerate() {
        let Token::Word(w) = t else { continue };
        let next = significant.get(i + 1);
        let prev = i.checked_sub(1).and_then(|j| significant.get(j));
        let called = matches!(next, Some(Token::LParen | Token::Period));
        let typed = matches!(prev, Some(Token::DoubleColon))
            || matches!(prev, Some(Token::Word(p)) if p.keyword == Keyword::AS && p.quote_style.is_none());
        if !called && !typed {
            words.push(w);
        }
    }
    table
        .columns
        .keys()
        .map(String::as_str)
        .filter(|c| {
            words.iter().any(|w| match w.quote_style {
                Some(_) => w.value == *c,
                None => w.value.eq_ignore_ascii_case(c),
            })
        })
        .collect()
}

/// The columns of `table` that constraint `c` involves: those it lists, or
/// those its CHECK names. (A foreign key's referenced columns belong to the
/// referenced table; `drop_column` looks at references separately.)
pub fn constraint_columns<'t>(c: &'t Constraint, table: &'t Table) -> Vec<&'t str> {
    match &c.kind {
        ConstraintKind::Check(e) => columns_in(&e.text, table),
        kind => kind.columns().iter().map(|i| i.as_str()).collect(),
    }
}

/// The columns of `table` that index `idx` involves on any dialect: its
/// column parts and covering columns, and those its expression parts and
/// predicates name (the portable ones and every dialect's own).
pub fn index_columns<'t>(idx: &'t Index, table: &'t Table) -> Vec<&'t str> {
    let mut out: Vec<&str> = Vec::new();
    let mut add = |cols: Vec<&'t str>| {
        for c in cols {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    };
    for part in &idx.parts {
        match part {
            IndexPart::Column { name, .. } => add(vec![name.as_str()]),
            IndexPart::Expr(e) => add(columns_in(&e.text, table)),
        }
    }
    add(idx.include.iter().map(|i| i.as_str()).collect());
    if let Some(w) = &idx.where_clause {
        add(columns_in(&w.text, table));
    }
    for d in Dialect::ALL {
        let own = |key: &str| idx.options.0.get(&d).and_then(|m| m.get(key));
        if let Some(w) = own("where") {
            add(columns_in(w, table));
        }
        if let Some(list) = own("include") {
            let named: Vec<&str> = list.split(',').map(str::trim).collect();
            add(table
                .columns
                .keys()
                .map(String::as_str)
                .filter(|c| named.contains(c))
                .collect());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{CreateTable, DialectOptions, TypeKind};
    use crate::testkit::{col, constraint, expr, id, q};

    fn table(cols: &[&str]) -> Table {
        Table::from_create(&CreateTable {
            name: q("t"),
            columns: cols.iter().map(|c| col(c, TypeKind::Integer)).collect(),
            constraints: Vec::new(),
            indexes: Vec::new(),
            comment: None,
            if_not_exists: false,
            options: DialectOptions::default(),
        })
    }

    #[test]
    fn names_columns_not_substrings_strings_functions_or_types() {
        let t = table(&["a", "size", "balance", "lower", "integer", "Mixed"]);
        assert_eq!(columns_in("balance > 0", &t), ["balance"]);
        assert_eq!(columns_in("size > 0 AND 'a' <> ''", &t), ["size"]);
        assert_eq!(columns_in("lower(a) = 'x'", &t), ["a"]);
        assert_eq!(columns_in("CAST(a AS integer) > a::integer", &t), ["a"]);
        assert_eq!(columns_in("t.size > 0", &t), ["size"]);
        assert_eq!(columns_in("SIZE > 0 AND mixed < 1", &t), ["size", "Mixed"]);
        assert_eq!(columns_in("\"SIZE\" > 0", &t), Vec::<&str>::new());
        assert_eq!(columns_in("a < size", &t), ["a", "size"]);
    }

    #[test]
    fn constraints_and_indexes_list_what_they_involve() {
        let t = table(&["a", "b", "c"]);
        let ck = constraint("ck", ConstraintKind::Check(expr("a > b")));
        assert_eq!(constraint_columns(&ck, &t), ["a", "b"]);
        let mut idx = Index {
            name: id("ix"),
            generated_name: false,
            table: q("t"),
            parts: vec![IndexPart::Expr(expr("lower(a)"))],
            unique: false,
            where_clause: Some(expr("b > 0")),
            include: Vec::new(),
            options: DialectOptions::default(),
            span: Default::default(),
        };
        idx.options
            .0
            .entry(Dialect::PostgreSql)
            .or_default()
            .insert("include".into(), "c".into());
        assert_eq!(index_columns(&idx, &t), ["a", "b", "c"]);
    }
}

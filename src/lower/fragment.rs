//! SQL fragments on their way out: a `check (..)`, `default (..)`, `where (..)`
//! is checked by sqlparser in the DSL's reading (standard SQL: `''` doubles a
//! quote, a backslash is a backslash, `"x"` is a name), and the target engine
//! must read the same thing. So the fragment is never copied: it is
//! tokenized once in that reading and spelled again for the dialect, token by
//! token. String literals are re-escaped (`'\'` is `'\\'` for MySQL), quoted
//! names re-quoted (`"a"` is `` `a` `` for MySQL, where `"a"` is a string),
//! comments dropped (a trailing `--` would swallow the `)` that follows;
//! MySQL runs `/*! .. */`), and everything else is kept as written. What has
//! no safe spelling on the dialect is refused, located in the fragment.

use crate::diag::Code;
use crate::diag::Diagnostic;
use crate::dialect::Dialect;
use crate::ir::{Column, DefaultValue, Index, IndexPart, Op, OpKind, QualifiedName, SqlExpr};
use crate::schema::{Applied, Schema};
use crate::source::Span;
use crate::syntax::sql::{self, Tok, Token, Whitespace};
use std::ops::Range;

/// Why a fragment cannot be carried over, and where in its text.
#[derive(Debug)]
pub(crate) struct Refusal {
    /// Bytes of the fragment text at fault.
    pub range: Range<usize>,
    /// What is wrong, for the diagnostic's message.
    pub message: String,
    /// How to write it instead.
    pub help: String,
}

/// `text` (a fragment the DSL's sqlparser reading accepted) spelled for `d`.
pub(crate) fn render(text: &str, d: Dialect) -> Result<String, Refusal> {
    let toks = sql::tokens(text, None).map_err(|(at, msg)| Refusal {
        range: at..at,
        message: format!("the fragment does not tokenize: {msg}"),
        help: "check the quotes of the fragment".into(),
    })?;
    let mut out = String::with_capacity(text.len() + 8);
    // True when the last piece written was spelled again (a literal or a quoted
    // name), so a neighbour written as is must not run into it.
    let mut respelled_last = false;
    for (i, t) in toks.iter().enumerate() {
        let src = &text[t.range.clone()];
        if let Token::Whitespace(w) = &t.token {
            out.push_str(whitespace(w, t, src, d)?);
            continue;
        }
        let (piece, respelled) = match respelled_literal(t, d)? {
            Some(lit) => (lit, true),
            None => token(t, toks.get(i + 1), src, d)?,
        };
        let glue = |c: char| c.is_alphanumeric() || "_$#@&'\"`]".contains(c);
        if (respelled || respelled_last)
            && out.chars().next_back().is_some_and(glue)
            && piece.chars().next().is_some_and(|c| glue(c) || c == '(')
        {
            out.push(' ');
        }
        out.push_str(&piece);
        respelled_last = respelled;
    }
    let out = out.trim().to_string();
    if let Some(why) = d.rules().client().text_hazard(&out) {
        return Err(Refusal {
            range: 0..text.len(),
            message: why,
            help: "write `$` and `(` apart".into(),
        });
    }
    Ok(out)
}

/// Blanks and comments: comments are dropped (a trailing `--` would swallow
/// what follows), blanks kept, a line break made a space for a client that
/// acts on whole lines (the fragment is written on one).
fn whitespace<'s>(w: &Whitespace, t: &Tok, src: &'s str, d: Dialect) -> Result<&'s str, Refusal> {
    if t.executable_comment {
        return Err(refuse(
            t,
            "MySQL runs the inside of `/*! .. */`; other engines skip it".into(),
            "write the SQL itself, or per-dialect SQL in `execute`",
        ));
    }
    let line_client = d.rules().client().reads_lines();
    Ok(match w {
        Whitespace::Newline if line_client => " ",
        Whitespace::Space | Whitespace::Tab | Whitespace::Newline => src,
        // The line break after a `--` comment is a token of its own.
        Whitespace::SingleLineComment { .. } => "",
        Whitespace::MultiLineComment(_) => " ",
    })
}

/// A string literal of any form, spelled again for the dialect (None for
/// every other token).
fn respelled_literal(t: &Tok, d: Dialect) -> Result<Option<String>, Refusal> {
    Ok(Some(match &t.token {
        Token::SingleQuotedString(v)
        | Token::EscapedStringLiteral(v)
        | Token::UnicodeStringLiteral(v)
        | Token::SingleQuotedRawStringLiteral(v)
        | Token::DoubleQuotedRawStringLiteral(v)
        | Token::TripleSingleQuotedString(v)
        | Token::TripleSingleQuotedRawStringLiteral(v) => string(v, t, d)?,
        Token::DollarQuotedString(s) => string(&s.value, t, d)?,
        Token::QuoteDelimitedStringLiteral(s) => string(&s.value, t, d)?,
        Token::NationalStringLiteral(v) => national(v, t, d)?,
        Token::NationalQuoteDelimitedStringLiteral(s) => national(&s.value, t, d)?,
        _ => return Ok(None),
    }))
}

/// Any other token: a quoted name spelled again (`true`), or the token as
/// written (`false`) where every engine reads it the same, else a refusal.
fn token(t: &Tok, next: Option<&Tok>, src: &str, d: Dialect) -> Result<(String, bool), Refusal> {
    let rules = d.rules();
    match &t.token {
        Token::HexStringLiteral(v) => digits(v, t, |c| c.is_ascii_hexdigit(), "hexadecimal")?,
        Token::SingleQuotedByteStringLiteral(v) if src.ends_with('\'') => {
            digits(v, t, |c| c == '0' || c == '1', "bit")?
        }
        Token::Word(w) if w.quote_style.is_some() => {
            d.check_name(&w.value)
                .map_err(|why| refuse(t, why, "rename it, or write it without that character"))?;
            name_length(&w.value, t, d)?;
            return Ok((d.quote_ident_always(&w.value), true));
        }
        Token::Word(w) => word(&w.value, t, d)?,
        Token::Placeholder(p) => {
            return Err(refuse(
                t,
                format!("`{p}` is a parameter, and a migration has no value for it"),
                "write the value itself",
            ))
        }
        Token::Backslash => {
            return Err(refuse(
                t,
                "a backslash outside quotes is a command to psql and to the mysql client".into(),
                "remove it, or put it inside a string literal",
            ))
        }
        Token::LBracket if rules.brackets_quote_names() => {
            return Err(refuse(
                t,
                format!("`[` starts a quoted name on {d}, not a subscript"),
                "write this fragment for the dialects that have arrays, in per-dialect SQL",
            ))
        }
        Token::Colon
            if rules.colon_variables()
                && next.is_some_and(|n| {
                    matches!(n.token, Token::Word(_) | Token::SingleQuotedString(_))
                }) =>
        {
            return Err(refuse(
                t,
                "psql reads `:name` outside quotes as one of its variables".into(),
                "put a space after the `:`",
            ))
        }
        Token::DoubleQuotedString(_)
        | Token::TripleDoubleQuotedString(_)
        | Token::TripleDoubleQuotedRawStringLiteral(_)
        | Token::SingleQuotedByteStringLiteral(_)
        | Token::DoubleQuotedByteStringLiteral(_)
        | Token::TripleSingleQuotedByteStringLiteral(_)
        | Token::TripleDoubleQuotedByteStringLiteral(_) => {
            return Err(refuse(
                t,
                format!("`{src}` has no spelling that every engine reads the same way"),
                "write a plain string literal, '...'",
            ))
        }
        _ if rules.hash_comments() && src.contains('#') => {
            return Err(refuse(
                t,
                format!("`#` starts a comment on {d}"),
                "write this operator for the dialects that have it, in per-dialect SQL",
            ));
        }
        _ => {}
    }
    Ok((src.to_string(), false))
}

fn refuse(t: &Tok, message: String, help: &str) -> Refusal {
    Refusal {
        range: t.range.clone(),
        message,
        help: help.into(),
    }
}

/// A string literal's value, spelled for the dialect.
fn string(value: &str, t: &Tok, d: Dialect) -> Result<String, Refusal> {
    if value.contains('\0') {
        return Err(refuse(
            t,
            "this string holds a NUL character, which clients read as the end of the line".into(),
            "remove the NUL",
        ));
    }
    Ok(d.quote_str(value))
}

/// `N'..'`: the `N` matters to SQL Server (Unicode text); elsewhere a plain
/// literal holds the same text.
fn national(value: &str, t: &Tok, d: Dialect) -> Result<String, Refusal> {
    string(value, t, d)?;
    Ok(d.quote_nstr(value))
}

fn digits(v: &str, t: &Tok, ok: impl Fn(char) -> bool, what: &str) -> Result<(), Refusal> {
    if v.chars().all(ok) {
        return Ok(());
    }
    Err(refuse(
        t,
        format!("`{v}` is not a {what} literal"),
        "write only digits between the quotes",
    ))
}

/// An unquoted word is written as is, so it must mean the same everywhere.
fn word(w: &str, t: &Tok, d: Dialect) -> Result<(), Refusal> {
    let help = "quote the name: \"...\"";
    if w.contains('@') {
        return Err(refuse(
            t,
            format!("`{w}`: `@` in a word means a variable or an operator on some engines"),
            help,
        ));
    }
    let hash_ok = d.rules().hash_in_names() && !w.starts_with('#');
    if w.contains('#') && !hash_ok {
        return Err(refuse(
            t,
            format!("`{w}`: `#` is not part of a name on {d}"),
            help,
        ));
    }
    Ok(())
}

fn name_length(name: &str, t: &Tok, d: Dialect) -> Result<(), Refusal> {
    d.check_name_length(name)
        .map_err(|why| refuse(t, why, "use a shorter name"))
}

/// SQL fragments with where they were written.
type Frags<'a> = Vec<(&'a str, Span)>;

/// A fragment.
fn expr_frags<'a>(e: &'a SqlExpr, out: &mut Frags<'a>) {
    out.push((&e.text, e.span));
}

/// A column's default and generation expressions.
fn column_frags<'a>(c: &'a Column, out: &mut Frags<'a>) {
    if let Some(DefaultValue::Expr(e)) = &c.default {
        expr_frags(e, out);
    }
    if let Some(g) = &c.computed {
        expr_frags(&g.expr, out);
    }
}

/// An index's expressions and conditions.
fn index_frags<'a>(i: &'a Index, out: &mut Frags<'a>) {
    for p in &i.parts {
        if let IndexPart::Expr(e) = p {
            expr_frags(e, out);
        }
    }
    if let Some(w) = &i.where_clause {
        expr_frags(w, out);
    }
    for opts in i.options.0.values() {
        if let Some(w) = opts.get("where") {
            out.push((w, i.span));
        }
    }
}

/// The table `op` applies to and the fragments it writes there, for ops
/// whose fragments name the table's columns.
fn fragments(op: &Op) -> Option<(&QualifiedName, Frags<'_>)> {
    let mut frags: Frags = Vec::new();
    let table: &QualifiedName = match &op.kind {
        OpKind::CreateTable(ct) => {
            for c in &ct.columns {
                column_frags(c, &mut frags);
            }
            for c in &ct.constraints {
                if let crate::ir::ConstraintKind::Check(e) = &c.kind {
                    expr_frags(e, &mut frags);
                }
            }
            for i in &ct.indexes {
                index_frags(i, &mut frags);
            }
            &ct.name
        }
        OpKind::AddColumn(ac) => {
            column_frags(&ac.column, &mut frags);
            &ac.table
        }
        OpKind::AlterColumn(ac) => {
            if let Some(u) = &ac.using {
                expr_frags(u, &mut frags);
            }
            if let Some(Some(DefaultValue::Expr(e))) = &ac.default {
                expr_frags(e, &mut frags);
            }
            &ac.table
        }
        OpKind::AddConstraint(ac) => {
            if let crate::ir::ConstraintKind::Check(e) = &ac.constraint.kind {
                expr_frags(e, &mut frags);
            }
            &ac.table
        }
        OpKind::CreateIndex(ci) => {
            index_frags(&ci.index, &mut frags);
            &ci.index.table
        }
        OpKind::UpdateRows(u) => {
            for (_, v) in &u.set {
                if let crate::ir::RowValue::Expr(e) = v {
                    expr_frags(e, &mut frags);
                }
            }
            frags.extend(u.where_clause.iter().map(|w| (w.text.as_str(), w.span)));
            &u.table
        }
        OpKind::DeleteRows(d) => {
            frags.extend(d.where_clause.iter().map(|w| (w.text.as_str(), w.span)));
            &d.table
        }
        _ => return None,
    };
    Some((table, frags))
}

/// Checks that every unqualified name the fragments of `op` use as a column is
/// a column of the table the op applies to (before or after it), with
/// "did you mean". Conservative: names in subqueries, qualified names and
/// function names are not checked, and unquoted names match in any case.
pub(crate) fn check_columns(op: &Op, applied: &Applied, after: &Schema) -> Result<(), Diagnostic> {
    let Some((table, frags)) = fragments(op) else {
        return Ok(());
    };
    if frags.is_empty() {
        return Ok(());
    }
    let mut columns: Vec<&str> = Vec::new();
    // The table after the op, and the column under its old name (a fragment of
    // an `alter_column` that renames may name either).
    if let Some(t) = after.tables.get(&table.key()) {
        columns.extend(t.columns.keys().map(String::as_str));
    }
    columns.extend(applied.old_column.iter().map(|c| c.name.as_str()));
    if columns.is_empty() {
        return Ok(());
    }
    for (text, span) in frags {
        for r in sql::column_refs(text) {
            let known = columns
                .iter()
                .any(|c| *c == r.name || c.eq_ignore_ascii_case(&r.name));
            if known {
                continue;
            }
            let at = if (span.end - span.start) as usize == text.len() && !span.is_none() {
                let start = span.start as usize;
                Span::new(span.file, start + r.range.start, start + r.range.end)
            } else {
                span
            };
            let mut d = Diagnostic::error(
                Code::UnknownColumn,
                format!("table `{table}` has no column `{}`", r.name),
            )
            .at(at, "not a column of this table")
            .with_suggestion(&r.name, columns.iter().copied());
            if r.quoted {
                d = d.with_note("in SQL, \"...\" is a name; a string is written '...'");
            }
            return Err(d);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Dialect::*;

    fn ok(text: &str, d: Dialect) -> String {
        render(text, d).unwrap_or_else(|r| panic!("{text} on {d}: {r:?}"))
    }

    #[test]
    fn literals_are_respelled_per_dialect() {
        // The issue's injection: MySQL must read the backslash as a backslash.
        let text = r"b <> '\' AND b <> '); DROP TABLE victim; -- '";
        assert_eq!(
            ok(text, MariaDb),
            r"b <> '\\' AND b <> '); DROP TABLE victim; -- '"
        );
        assert_eq!(ok(text, Sqlite), text);
        assert_eq!(
            ok(text, PostgreSql),
            r"b <> E'\\' AND b <> '); DROP TABLE victim; -- '"
        );
        assert_eq!(ok("x = 'it''s'", MySql), "x = 'it''s'");
        assert_eq!(ok("x = E'a\\nb'", Sqlite), "x = 'a\nb'");
        assert_eq!(ok("x = $$a'b$$", MySql), "x = 'a''b'");
        assert_eq!(
            ok("x = 'a\nGO\nb'", MsSql),
            "x = ('a' + CHAR(10) + 'GO' + CHAR(10) + 'b')"
        );
        assert_eq!(ok("x = N'é'", MsSql), "x = N'é'");
        assert_eq!(ok("x = N'a\nb'", MsSql), "x = (N'a' + CHAR(10) + N'b')");
        assert_eq!(ok("x = N'é'", Sqlite), "x = 'é'");
        assert_eq!(ok("x = N'é + ''\n'", MsSql), "x = (N'é + ''' + CHAR(10))");
    }

    #[test]
    fn names_are_requoted_and_words_kept() {
        assert_eq!(
            ok("\"Order\" > 0 AND `x` < 1", MySql),
            "`Order` > 0 AND `x` < 1"
        );
        assert_eq!(ok("\"a]b\" > 0", MsSql), "[a]]b] > 0");
        assert_eq!(ok("lower(email)", Oracle), "lower(email)");
        // A literal never runs into the word before it (`_utf8'x'`, `q'[x]'`).
        assert_eq!(ok("_utf8'x' = b", MySql), "_utf8 'x' = b");
        assert_eq!(ok("x::text = 'a'", PostgreSql), "x::text = 'a'");
    }

    #[test]
    fn comments_are_dropped_so_nothing_after_them_is_swallowed() {
        assert_eq!(ok("id > 0 -- must be positive\n", PostgreSql), "id > 0");
        assert_eq!(ok("a > 0 -- x\n AND b > 0", Sqlite), "a > 0 \n AND b > 0");
        assert_eq!(ok("a/*x*/-1 > 0", MySql), "a -1 > 0");
        assert_eq!(ok("a > 0 /* OR 1 = 1 */", MariaDb), "a > 0");
        let r = render("a > 0 /*! OR 1 = 1 */", Sqlite).expect_err("executable comment");
        assert_eq!(r.range, 6..21);
        assert_eq!(ok("a = '/*!'", MariaDb), "a = '/*!'");
        // Line-based clients get the fragment on one line.
        assert_eq!(ok("a > 0\nAND b > 0", Oracle), "a > 0 AND b > 0");
    }

    #[test]
    fn what_has_no_safe_spelling_is_refused_where_it_is() {
        for (text, d, at) in [
            ("x['a'] = 1", Sqlite, 1),
            ("x[1] = 1", MsSql, 1),
            ("a # b > 0", MariaDb, 2),
            ("#a > 0", PostgreSql, 0),
            ("@a > 0", MsSql, 0),
            ("a = ?", PostgreSql, 4),
            ("a = :name", PostgreSql, 4),
            ("a$(b) > 0", MsSql, 0),
            ("\"a\nb\" > 0", Oracle, 0),
        ] {
            let r = render(text, d).expect_err(text);
            assert_eq!(r.range.start, at, "{text} on {d}: {r:?}");
        }
        assert!(render("x[1] = 1", PostgreSql).is_ok());
        assert!(render("a # b > 0", PostgreSql).is_ok());
        assert!(render("a#b > 0", Oracle).is_ok());
    }
}

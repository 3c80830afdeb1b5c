//! Sequences, `bulk_insert` (literals typed by the column types in the schema
//! model), `update_rows` / `delete_rows` and `execute` (raw SQL, per-dialect variants, split into statements).

use super::{table_in, types, Cx};
use crate::diag::Code;
use crate::diag::Diagnostic;
use crate::dialect::Dialect;
use crate::ir::{
    BulkInsert, CreateSequence, DeleteRows, DropSequence, Execute, RowValue, SqlExpr, UpdateRows,
};
use crate::render::safe;
use crate::schema::Schema;
use crate::source::Span;
use crate::syntax::sql::{self, Tok, Token, Whitespace};
use minijinja::{context, Value};
use std::ops::Range;

fn require_sequences(cx: &Cx, name: &crate::ir::QualifiedName) -> Result<(), Diagnostic> {
    if cx.r.sequences() {
        return Ok(());
    }
    Err(cx
        .unsupported(
            Code::UnsupportedOp,
            format!("{} has no sequences", cx.d),
            name.span(),
        )
        .with_help("use an `autoincrement` column, or `execute` with per-dialect SQL"))
}

/// `create_sequence`.
pub(crate) fn create_sequence(cx: &mut Cx, cs: &CreateSequence) -> Result<(), Diagnostic> {
    require_sequences(cx, &cs.name)?;
    let ctx = context! { name => cx.qn(&cs.name), start => cs.start, increment => cs.increment };
    cx.emit("create_sequence", ctx)
}

/// `drop_sequence`.
pub(crate) fn drop_sequence(cx: &mut Cx, ds: &DropSequence) -> Result<(), Diagnostic> {
    require_sequences(cx, &ds.name)?;
    cx.emit("drop_sequence", context! { name => cx.qn(&ds.name) })
}

/// `bulk_insert`: multi-row INSERTs where the dialect takes them, one per row on
/// Oracle; SQL Server's IDENTITY_INSERT only when an identity column is given.
pub(crate) fn bulk_insert(cx: &mut Cx, bi: &BulkInsert, after: &Schema) -> Result<(), Diagnostic> {
    let table = table_in(after, &bi.table, cx.span)?;
    let mut kinds = Vec::new();
    for c in &bi.columns {
        let col = table.columns.get(c.as_str()).ok_or_else(|| {
            Diagnostic::error(
                Code::UnknownColumn,
                format!("table `{}` has no column `{c}`", bi.table),
            )
            .at(c.span, "no such column")
            .with_suggestion(c.as_str(), table.columns.keys().map(String::as_str))
        })?;
        kinds.push(col);
    }
    let identity_given = kinds.iter().any(|c| c.identity.is_some());
    let always_given = kinds
        .iter()
        .any(|c| c.identity.as_ref().is_some_and(|i| i.always));
    let overriding = always_given && cx.r.overriding_system_value();
    if always_given && !overriding && cx.r.identity_always_refuses_values() {
        return Err(cx.unsupported(
            Code::UnsupportedOp,
            format!("{} cannot insert into an `identity(always)` column", cx.d),
            cx.span,
        ));
    }
    let identity_insert = identity_given && cx.r.identity_insert();
    let columns: Vec<Value> = bi.columns.iter().map(|c| cx.q(c.as_str())).collect();
    let rows: Vec<Vec<Value>> = bi
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .zip(&kinds)
                .map(|(lit, col)| safe(types::literal(lit, Some(&col.ty.kind), cx.d)))
                .collect()
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    if identity_insert {
        cx.emit(
            "identity_insert",
            context! { table => cx.qn(&bi.table), on => true },
        )?;
    }
    for chunk in rows.chunks(cx.r.insert_rows_per_statement().max(1)) {
        let ctx = context! {
            table => cx.qn(&bi.table),
            columns => columns.clone(),
            rows => chunk.to_vec(),
            overriding,
        };
        cx.emit("insert", ctx)?;
    }
    if identity_insert {
        cx.emit(
            "identity_insert",
            context! { table => cx.qn(&bi.table), on => false },
        )?;
    }
    Ok(())
}

/// `update_rows`: each value a literal typed by its column (as in
/// `bulk_insert`) or a fragment spelled for the dialect; names quoted.
pub(crate) fn update_rows(cx: &mut Cx, u: &UpdateRows, after: &Schema) -> Result<(), Diagnostic> {
    let table = table_in(after, &u.table, cx.span)?;
    let mut set = Vec::new();
    for (c, v) in &u.set {
        let kind = table.column(c.as_str()).map(|col| &col.ty.kind);
        let value = match v {
            RowValue::Literal(l) => types::literal(l, kind, cx.d),
            RowValue::Expr(e) => cx.expr(e)?,
        };
        set.push(context! { column => cx.q(c.as_str()), value => safe(value) });
    }
    let ctx = context! {
        table => cx.qn(&u.table),
        set,
        where => where_value(cx, u.where_clause.as_ref())?,
    };
    cx.emit("update_rows", ctx)
}

/// `delete_rows`.
pub(crate) fn delete_rows(cx: &mut Cx, d: &DeleteRows) -> Result<(), Diagnostic> {
    let ctx = context! {
        table => cx.qn(&d.table),
        where => where_value(cx, d.where_clause.as_ref())?,
    };
    cx.emit("delete_rows", ctx)
}

/// A data op's `where` condition, spelled for the dialect (`none` without one).
fn where_value(cx: &Cx, w: Option<&SqlExpr>) -> Result<Value, Diagnostic> {
    Ok(super::opt(match w {
        Some(w) => Some(safe(cx.expr(w)?)),
        None => None,
    }))
}

/// `execute`: the dialect's variant (MariaDB falls back to MySQL's), else the
/// default body, else nothing. The default body was checked in the generic
/// (standard SQL) reading, so it is first spelled again for the dialect, like
/// a fragment (`'\'` means a backslash on MySQL too). The body is then split
/// into statements as the dialect reads SQL; each is checked for what the
/// dialect's client would read into it (a refusal points into the body), and
/// a procedural block is one statement (MySQL's client gets it between
/// `DELIMITER` lines).
pub(crate) fn execute(cx: &mut Cx, ex: &Execute) -> Result<(), Diagnostic> {
    let variant = cx.d.pick(&ex.variants);
    let Some(body) = variant.or(ex.default.as_ref()) else {
        return Ok(());
    };
    let text = match variant {
        Some(_) => body.text.clone(),
        None => cx.fragment(&body.text, body.span)?,
    };
    let refused = |cx: &Cx, r: Refusal| {
        let span = body.span;
        let at = if span.is_none() {
            cx.span
        } else if text == body.text && (span.end - span.start) as usize == text.len() {
            let start = span.start as usize;
            Span::new(span.file, start + r.range.start, start + r.range.end)
        } else {
            span
        };
        Diagnostic::error(
            Code::UnsafeSql,
            format!("this SQL cannot be written safely for {}", cx.d),
        )
        .at(at, r.message)
        .with_help(r.help)
    };
    let statements = statements(&text, cx.d).map_err(|r| refused(cx, r))?;
    for s in statements {
        let transactional = !cx.r.outside_transaction(&s.words);
        let sql = text[s.range.clone()].to_string();
        cx.emit_block(
            "execute",
            context! { sql => safe(sql) },
            transactional,
            s.block,
        )?;
    }
    Ok(())
}

/// Why an `execute` body cannot be written, and where in it.
pub(crate) struct Refusal {
    range: Range<usize>,
    message: String,
    help: String,
}

fn refusal(range: Range<usize>, message: impl Into<String>, help: &str) -> Refusal {
    Refusal {
        range,
        message: message.into(),
        help: help.into(),
    }
}

/// One statement of an `execute` body.
pub(crate) struct Statement {
    /// Its bytes in the body: from its first token (a leading comment is kept)
    /// to its last significant one (a trailing comment is not: the terminator
    /// the script appends would be part of it), terminator excluded except a
    /// PL/SQL block's `END;` on Oracle.
    pub range: Range<usize>,
    /// Its first significant words, upper case.
    pub words: Vec<String>,
    /// A procedural block: its inner `;` belong to it.
    pub block: bool,
}

/// Splits `text` into statements at top-level `;`, reading it as `d` reads SQL
/// (quotes, comments, PostgreSQL's dollar quotes and nested comments, MySQL's
/// backslash escapes and `#` comments, `[..]` names), and checks each for what
/// `d`'s client would read into it. A procedural block (BEGIN, DECLARE,
/// CREATE PROCEDURE/FUNCTION/TRIGGER/PACKAGE/TYPE/EVENT) runs to the end of the
/// body: its inner `;` are its own.
pub(crate) fn statements(text: &str, d: Dialect) -> Result<Vec<Statement>, Refusal> {
    let toks = sql::tokens(text, Some(d)).map_err(|(at, msg)| {
        refusal(
            at..at,
            format!("{d} cannot read this SQL: {msg}"),
            "check the quotes and comments of the SQL",
        )
    })?;
    let significant = |t: &Tok| !matches!(t.token, Token::Whitespace(_));
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        // The statement's first token: leading blanks skipped, comments kept.
        while i < toks.len() && is_blank(&toks[i]) {
            i += 1;
        }
        let start = i;
        let words: Vec<String> = toks[i..]
            .iter()
            .filter(|t| significant(t))
            .take(8)
            .take_while(|t| t.token != Token::SemiColon)
            .map(|t| text[t.range.clone()].to_ascii_uppercase())
            .collect();
        let block = is_block(&words);
        let mut end = i;
        while end < toks.len() && (block || toks[end].token != Token::SemiColon) {
            end += 1;
        }
        let next = end + 1;
        // Back off trailing blanks and comments, and a block's terminators.
        let mut last = end;
        while last > start && !significant(&toks[last - 1]) {
            last -= 1;
        }
        if block {
            let slash = last > start
                && toks[last - 1].token == Token::Div
                && line_is(text, &toks[last - 1], "/");
            if slash {
                last -= 1;
                while last > start && !significant(&toks[last - 1]) {
                    last -= 1;
                }
            }
            if d.rules().semicolon() && last > start && toks[last - 1].token == Token::SemiColon {
                last -= 1;
                while last > start && !significant(&toks[last - 1]) {
                    last -= 1;
                }
            }
        }
        if toks[start..last].iter().any(significant) {
            let stmt = &toks[start..last];
            check_client(text, stmt, d, block, &words)?;
            out.push(Statement {
                range: stmt[0].range.start..stmt[stmt.len() - 1].range.end,
                words,
                block,
            });
        }
        i = next;
    }
    Ok(out)
}

fn is_blank(t: &Tok) -> bool {
    matches!(
        t.token,
        Token::Whitespace(Whitespace::Space | Whitespace::Tab | Whitespace::Newline)
    )
}

/// True when `t` is alone on its line (ignoring blanks), as `want`.
fn line_is(text: &str, t: &Tok, want: &str) -> bool {
    let line_start = text[..t.range.start].rfind('\n').map_or(0, |n| n + 1);
    let line_end = text[t.range.end..]
        .find('\n')
        .map_or(text.len(), |n| t.range.end + n);
    text[line_start..line_end].trim() == want
}

/// A statement whose inner `;` are its own, by its first words.
fn is_block(words: &[String]) -> bool {
    const BLOCKS: &[&str] = &[
        "PROCEDURE",
        "FUNCTION",
        "TRIGGER",
        "PACKAGE",
        "TYPE",
        "EVENT",
    ];
    match words.first().map(String::as_str) {
        // `BEGIN;`, `BEGIN TRANSACTION` and friends start a transaction.
        Some("BEGIN") => !matches!(
            words.get(1).map(String::as_str),
            None | Some(
                "TRANSACTION"
                    | "TRAN"
                    | "WORK"
                    | "DEFERRED"
                    | "IMMEDIATE"
                    | "EXCLUSIVE"
                    | "ISOLATION"
                    | "READ"
            )
        ),
        Some("DECLARE") => true,
        Some("CREATE") => words
            .iter()
            .skip(1)
            .take(6)
            .any(|w| BLOCKS.contains(&w.as_str())),
        _ => false,
    }
}

/// Refuses what `d`'s client would read into a statement besides SQL: psql's
/// and the mysql client's backslash commands and psql's `:name` variables
/// outside quotes, a first word the client takes for its own command, and the
/// lines sqlcmd and SQL*Plus act on.
fn check_client(
    text: &str,
    stmt: &[Tok],
    d: Dialect,
    block: bool,
    words: &[String],
) -> Result<(), Refusal> {
    let client = d.rules().client();
    let first = stmt
        .iter()
        .find(|t| !matches!(t.token, Token::Whitespace(_)))
        .expect("a statement has a significant token");
    if let Some(word) = words.first() {
        let checks_word = !client.commands_are_words() || matches!(first.token, Token::Word(_));
        if let Some(why) = client.first_word_hazard(word).filter(|_| checks_word) {
            return Err(refusal(
                first.range.clone(),
                why,
                "write SQL statements only in `execute`",
            ));
        }
    }
    for (k, t) in stmt.iter().enumerate() {
        check_token(text, t, stmt.get(k + 1), d)?;
    }
    let range = stmt[0].range.start..stmt[stmt.len() - 1].range.end;
    let sql = &text[range.clone()];
    if let Some(why) = client.text_hazard(sql) {
        let at = range.start + sql.find("$(").unwrap_or(0);
        return Err(refusal(at..at + 2, why, "write `$` and `(` apart"));
    }
    let mut offset = range.start;
    for line in sql.split('\n') {
        if let Some(why) = client.line_hazard(line, block) {
            return Err(refusal(
                offset..offset + line.len(),
                why,
                "write this line differently, or the statement in an `execute` of its own",
            ));
        }
        offset += line.len() + 1;
    }
    Ok(())
}

/// Refuses token `t` of a statement (`next` follows it) where the client
/// would act on it: a CR it drops inside quotes, a backslash command, a psql
/// variable, a backslash inside MySQL's executable comment.
fn check_token(text: &str, t: &Tok, next: Option<&Tok>, d: Dialect) -> Result<(), Refusal> {
    let rules = d.rules();
    let client = rules.client();
    let backslash = |range: Range<usize>| {
        refusal(
            range,
            format!(
                "a backslash outside quotes is a command to {}",
                client.name()
            ),
            "remove it, or put it inside a string literal",
        )
    };
    if !matches!(t.token, Token::Whitespace(_)) {
        if let Some(why) = client.quote_hazard(&text[t.range.clone()]) {
            return Err(refusal(
                t.range.clone(),
                why,
                "write the CR as char(13), or the text without it",
            ));
        }
    }
    match &t.token {
        Token::Backslash if rules.backslash_commands() => Err(backslash(t.range.clone())),
        Token::Colon
            if rules.colon_variables()
                && next.is_some_and(|n| {
                    matches!(n.token, Token::Word(_) | Token::SingleQuotedString(_))
                }) =>
        {
            Err(refusal(
                t.range.clone(),
                "psql reads `:name` outside quotes as one of its variables",
                "put a space after the `:`",
            ))
        }
        // MySQL and its client read the inside of `/*! .. */` as SQL.
        Token::Whitespace(Whitespace::MultiLineComment(_))
            if t.executable_comment && rules.backslash_commands() =>
        {
            let inner =
                &text[t.range.start + 3..t.range.end.saturating_sub(2).max(t.range.start + 3)];
            match sql::tokens(inner, Some(d)) {
                Ok(toks) if toks.iter().any(|x| x.token == Token::Backslash) => {
                    Err(backslash(t.range.clone()))
                }
                _ => Ok(()),
            }
        }
        _ => Ok(()),
    }
}

/// The statements of `text` on `d`, as text (for tests).
#[cfg(test)]
pub(crate) fn split_statements(text: &str, d: Dialect) -> Vec<String> {
    match statements(text, d) {
        Ok(v) => v.into_iter().map(|s| text[s.range].to_string()).collect(),
        Err(r) => panic!("{}", r.message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Dialect::*;

    fn texts(text: &str, d: Dialect) -> Vec<String> {
        split_statements(text, d)
    }

    fn refused(text: &str, d: Dialect) -> Refusal {
        match statements(text, d) {
            Ok(s) => panic!("{text} on {d}: split into {} statements", s.len()),
            Err(r) => r,
        }
    }

    #[test]
    fn splits_as_each_dialect_reads_sql() {
        // Issue 7 defect 5: a character past ASCII outside quotes panicked.
        assert_eq!(
            texts("UPDATE t SET x = 1 WHERE é = 2; SELECT 'ü;'", PostgreSql),
            ["UPDATE t SET x = 1 WHERE é = 2", "SELECT 'ü;'"]
        );
        assert_eq!(texts("SELECT 'a\\';b'; SELECT 2", MySql).len(), 2);
        assert_eq!(texts("SELECT 'a\\'; SELECT 2", PostgreSql).len(), 2);
        assert!(statements("SELECT 'a\\'; SELECT 2", MySql).is_err());
        assert_eq!(texts("SELECT [a;b] FROM t; SELECT 2", MsSql).len(), 2);
        assert_eq!(
            texts("SELECT 1 /* /* ; */ ; */; SELECT 2", PostgreSql).len(),
            2
        );
        assert_eq!(texts("SELECT 1 # ;\n; SELECT 2", MariaDb).len(), 2);
        assert_eq!(texts("SELECT $q$;$q$; SELECT 2", PostgreSql).len(), 2);
    }

    #[test]
    fn a_trailing_comment_does_not_swallow_the_terminator() {
        // Issue 7 defect 4: `SELECT 1 -- note` became `SELECT 1 -- note;`.
        assert_eq!(texts("SELECT 1 -- note", Sqlite), ["SELECT 1"]);
        assert_eq!(
            texts("SELECT 1 /* a */ -- b\n;SELECT 2 # c", MySql),
            ["SELECT 1", "SELECT 2"]
        );
        assert_eq!(
            texts("-- lead\nSELECT 1", PostgreSql),
            ["-- lead\nSELECT 1"]
        );
    }

    #[test]
    fn blocks_are_one_statement() {
        let s = statements(
            "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END;",
            MariaDb,
        )
        .unwrap_or_else(|r| panic!("{}", r.message));
        assert_eq!(s.len(), 1);
        assert!(s[0].block);
        assert!(
            !statements("BEGIN; UPDATE t SET a = 1; COMMIT", PostgreSql)
                .unwrap_or_else(|r| panic!("{}", r.message))[0]
                .block
        );
        assert_eq!(
            texts("BEGIN\n  NULL;\nEND;\n/", Oracle),
            ["BEGIN\n  NULL;\nEND;"]
        );
    }

    #[test]
    fn what_the_client_would_read_into_it_is_refused_where_it_is() {
        for (text, d, at) in [
            ("SELECT 1 \\! touch x", PostgreSql, 9),
            ("SELECT :DBNAME", PostgreSql, 7),
            ("SELECT 1 \\! touch x", MariaDb, 9),
            ("delimiter //", MariaDb, 0),
            (".shell touch x", Sqlite, 0),
            ("SELECT 'a\nGO\nb'", MsSql, 10),
            ("SELECT '$(PATH)'", MsSql, 8),
            ("SELECT 'a\n/\nb' FROM dual", Oracle, 10),
            ("SELECT 'a\n.\nb' FROM dual", Oracle, 10),
            ("host rm -rf x", Oracle, 0),
            ("SELECT 'a\r\nb'", Sqlite, 7),
        ] {
            let r = refused(text, d);
            assert_eq!(r.range.start, at, "{text:?} on {d}: {}", r.message);
        }
        // Inside quotes and comments the clients read nothing.
        assert!(statements("SELECT '\\! x', \"\\\\\" -- \\!", PostgreSql).is_ok());
        assert!(statements("SELECT 'a\nGO1\nb'", MsSql).is_ok());
        assert!(statements("BEGIN\n  x := 1;\nEND;", Oracle).is_ok());
    }
}

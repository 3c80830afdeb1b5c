//! The one adapter to sqlparser: checks SQL fragments and maps its errors back
//! to byte spans in the `.mig` file.
//!
//! sqlparser reports a location only as text (" at Line: l, Column: c"), relative
//! to the fragment; [`located`] turns that into a span inside the fragment.

use super::ast::Fragment;
use super::lexer;
use super::token::TokenKind;
use crate::diag::Diagnostic;
use crate::dialect::Dialect;
use crate::source::{FileId, Span};
use sqlparser::dialect::{
    Dialect as SqlDialect, GenericDialect, MsSqlDialect, MySqlDialect, PostgreSqlDialect,
    SQLiteDialect,
};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, Tokenizer};

/// Checks a single SQL expression (default, CHECK, WHERE, index part, computed).
/// The text must be one expression and nothing after it.
pub fn check_expr(frag: &Fragment, file: FileId) -> Result<(), Box<Diagnostic>> {
    let dialect = GenericDialect {};
    let result = Parser::new(&dialect)
        .try_with_sql(&frag.text)
        .and_then(|mut p| {
            p.parse_expr()?;
            let next = p.peek_token();
            if next.token == Token::EOF {
                return Ok(());
            }
            Err(ParserError::ParserError(format!(
                "Expected: end of expression, found: {}{}",
                next.token, next.span.start
            )))
        });
    result.map_err(|e| {
        Box::new(located(
            frag,
            file,
            "invalid-sql",
            "invalid SQL expression",
            e,
        ))
    })
}

/// Checks `execute` SQL: one or more statements in the dialect's grammar
/// (`None`: the default body, checked with the generic grammar).
pub fn check_statements(
    frag: &Fragment,
    file: FileId,
    dialect: Option<Dialect>,
) -> Result<(), Box<Diagnostic>> {
    let d: Box<dyn SqlDialect> = match dialect {
        Some(Dialect::PostgreSql) => Box::new(PostgreSqlDialect {}),
        Some(Dialect::MySql | Dialect::MariaDb) => Box::new(MySqlDialect {}),
        Some(Dialect::Sqlite) => Box::new(SQLiteDialect {}),
        Some(Dialect::MsSql) => Box::new(MsSqlDialect {}),
        Some(Dialect::Oracle) | None => Box::new(GenericDialect {}),
    };
    let what = match dialect {
        Some(d) => format!("invalid SQL for {d}"),
        None => "invalid SQL".to_string(),
    };
    match Parser::parse_sql(d.as_ref(), &frag.text) {
        Ok(stmts) if stmts.is_empty() => Err(Box::new(
            Diagnostic::error("invalid-execute-sql", "`execute` has no SQL statement")
                .at(frag.span, "empty SQL"),
        )),
        Ok(_) => Ok(()),
        Err(e) => Err(Box::new(located(
            frag,
            file,
            "invalid-execute-sql",
            &what,
            e,
        ))),
    }
}

/// A diagnostic for a sqlparser error, located inside the fragment.
fn located(
    frag: &Fragment,
    file: FileId,
    code: &'static str,
    what: &str,
    err: ParserError,
) -> Diagnostic {
    let text = match err {
        ParserError::ParserError(s) | ParserError::TokenizerError(s) => s,
        ParserError::RecursionLimitExceeded => "expression nested too deeply".to_string(),
    };
    let (msg, loc) = split_location(&text);
    let span = match loc.and_then(|(l, c)| offset_of(&frag.text, l, c)) {
        Some(off) => {
            // Underline the token sqlparser found, when it is there as written.
            let found = msg
                .rsplit_once("found: ")
                .map(|(_, f)| f.trim())
                .filter(|f| *f != "EOF" && frag.text.get(off..).is_some_and(|t| t.starts_with(f)));
            let len = found.map_or(0, str::len);
            let start = source_offset(frag, off);
            let end = source_offset(frag, off + len);
            Span::new(file, start, end.max(start))
        }
        // No location (or end of input): point at the fragment's end.
        None => Span::new(file, frag.span.end as usize, frag.span.end as usize),
    };
    let label = if msg.is_empty() { "here" } else { msg };
    Diagnostic::error(code, what.to_string())
        .at(span, label.to_string())
        .with_secondary(frag.span, "in this SQL")
}

/// Splits "msg at Line: l, Column: c" into the message and (line, column).
fn split_location(text: &str) -> (&str, Option<(usize, usize)>) {
    let Some((msg, loc)) = text.rsplit_once(" at Line: ") else {
        return (text, None);
    };
    let mut it = loc.split(", Column: ");
    let line = it.next().and_then(|l| l.trim().parse().ok());
    let col = it
        .next()
        .and_then(|c| c.split(|ch: char| !ch.is_ascii_digit()).next())
        .and_then(|c| c.parse().ok());
    match (line, col) {
        (Some(l), Some(c)) => (msg, Some((l, c))),
        _ => (msg, None),
    }
}

/// Byte offset of 1-based (line, column in chars) in `text`.
fn offset_of(text: &str, line: usize, col: usize) -> Option<usize> {
    if line == 0 || col == 0 {
        return None;
    }
    let mut start = 0;
    for _ in 1..line {
        start += text.get(start..)?.find('\n')? + 1;
    }
    let line_text = text.get(start..)?;
    let off = line_text
        .char_indices()
        .nth(col - 1)
        .map_or(line_text.len(), |(i, _)| i);
    Some(start + off)
}

/// File offset of byte `off` of the fragment's value.
pub fn source_offset(frag: &Fragment, off: usize) -> usize {
    match frag.kind {
        TokenKind::LParen => frag.raw_start + 1 + off,
        k => frag.raw_start + lexer::source_offset(k, &frag.raw, off),
    }
}

/// The first column an expression mentions (a word that is not a keyword and
/// not called as a function): names unnamed CHECK constraints.
pub fn first_column(expr: &str) -> Option<String> {
    let dialect = GenericDialect {};
    let tokens = Tokenizer::new(&dialect, expr).tokenize().ok()?;
    let significant: Vec<&Token> = tokens
        .iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .collect();
    // Many column names are keywords to sqlparser (`name`, `code`, `key`), so
    // only the words that act as operators or constants are passed over.
    const SKIP: &[Keyword] = &[
        Keyword::AND,
        Keyword::OR,
        Keyword::NOT,
        Keyword::IS,
        Keyword::NULL,
        Keyword::IN,
        Keyword::LIKE,
        Keyword::ILIKE,
        Keyword::BETWEEN,
        Keyword::TRUE,
        Keyword::FALSE,
        Keyword::CASE,
        Keyword::WHEN,
        Keyword::THEN,
        Keyword::ELSE,
        Keyword::END,
        Keyword::CAST,
        Keyword::AS,
        Keyword::DISTINCT,
        Keyword::FROM,
        Keyword::SIMILAR,
        Keyword::ESCAPE,
        Keyword::INTERVAL,
        Keyword::CURRENT_DATE,
        Keyword::CURRENT_TIMESTAMP,
        Keyword::CURRENT_TIME,
        Keyword::ANY,
        Keyword::ALL,
        Keyword::SOME,
        Keyword::EXISTS,
        Keyword::COLLATE,
        Keyword::UNKNOWN,
    ];
    significant.iter().enumerate().find_map(|(i, t)| match t {
        Token::Word(w)
            if (w.quote_style.is_some() || !SKIP.contains(&w.keyword))
                && !matches!(significant.get(i + 1), Some(Token::LParen | Token::Period))
                && !matches!(
                    i.checked_sub(1).and_then(|j| significant.get(j)),
                    Some(Token::DoubleColon)
                ) =>
        {
            Some(w.value.clone())
        }
        _ => None,
    })
}

/// A short stable hash of a text (FNV-1a, 8 hex digits): for names that
/// nothing better can be derived from.
pub fn short_hash(text: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in text.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frag(text: &str) -> Fragment {
        Fragment {
            text: text.to_string(),
            span: Span::new(FileId(0), 1, 1 + text.len()),
            kind: TokenKind::LParen,
            raw: format!("({text})"),
            raw_start: 0,
        }
    }

    #[test]
    fn accepts_expressions_and_rejects_trailing_tokens() {
        for ok in [
            "a > 0",
            "lower(email)",
            "code = upper(code) AND x IS NOT NULL",
            "'x'",
        ] {
            assert!(check_expr(&frag(ok), FileId(0)).is_ok(), "{ok}");
        }
        let d = check_expr(&frag("a > 0 b"), FileId(0)).unwrap_err();
        assert_eq!(d.code, "invalid-sql");
        // `b` is at byte 6 of the value, byte 7 of `(a > 0 b)`.
        assert_eq!(d.primary.unwrap().span.range(), 7..8);
    }

    #[test]
    fn maps_line_and_column_into_the_fragment() {
        let d = check_expr(&frag("a +\n  * 2"), FileId(0)).unwrap_err();
        let span = d.primary.unwrap().span;
        // `*` is line 2, column 3 of the value: value byte 6, file byte 7.
        assert_eq!(span.start, 7);
    }

    #[test]
    fn execute_uses_the_dialect() {
        let f = frag("CREATE EXTENSION IF NOT EXISTS pgcrypto");
        assert!(check_statements(&f, FileId(0), Some(Dialect::PostgreSql)).is_ok());
        let d = check_statements(&frag("SELEC 1"), FileId(0), None).unwrap_err();
        assert_eq!(d.code, "invalid-execute-sql");
        assert!(check_statements(&frag(""), FileId(0), None).is_err());
    }

    #[test]
    fn names_from_expressions() {
        assert_eq!(first_column("code = upper(code)").as_deref(), Some("code"));
        assert_eq!(first_column("length(name) > 0").as_deref(), Some("name"));
        assert_eq!(first_column("1 = 1"), None);
        assert_eq!(short_hash("1 = 1"), short_hash("1 = 1"));
        assert_eq!(short_hash("x").len(), 8);
    }
}

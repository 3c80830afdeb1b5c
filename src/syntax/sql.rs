//! The one adapter to sqlparser: checks SQL fragments, maps its errors back
//! to byte spans in the `.mig` file, and hands out tokens with byte ranges
//! ([`tokens`]) to the code that re-spells fragments and splits `execute`
//! bodies for a dialect.
//!
//! sqlparser reports a location only as text (" at Line: l, Column: c"), relative
//! to the fragment; [`located`] turns that into a span inside the fragment.

use super::ast::Fragment;
use super::lexer;
use super::token::TokenKind;
use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, Reported};
use crate::dialect::Dialect;
use crate::source::{FileId, Span};
use sqlparser::ast::{Expr, Query, Visitor};
use sqlparser::dialect::{Dialect as SqlDialect, GenericDialect};
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Location, Tokenizer};
pub use sqlparser::tokenizer::{Token, Whitespace};
use std::ops::{ControlFlow, Range};

/// Checks a single SQL expression (default, CHECK, WHERE, index part, computed).
/// The text must be one expression and nothing after it.
pub fn check_expr(frag: &Fragment, file: FileId, diags: &mut Diagnostics) -> Result<(), Reported> {
    let dialect = GenericDialect {};
    let parse = || {
        Parser::new(&dialect)
            .with_recursion_limit(MAX_DEPTH)
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
            })
    };
    let Err(e) = parse() else {
        return Ok(());
    };
    // Past its depth limit sqlparser reads a long chain of `NOT` only partly
    // and reports a wrong token further on: tell "too deep" from "invalid".
    let e = match e {
        ParserError::ParserError(_) if nesting(&frag.text) > MAX_DEPTH => {
            ParserError::RecursionLimitExceeded
        }
        e => e,
    };
    Err(diags.error(located(
        frag,
        file,
        Code::InvalidSql,
        "invalid SQL expression",
        e,
    )))
}

/// How deeply an expression nests, roughly as sqlparser counts: brackets
/// open, plus a chain of prefix `NOT`.
fn nesting(text: &str) -> usize {
    let Ok(toks) = tokens(text, None) else {
        return 0;
    };
    let (mut depth, mut run, mut max) = (0usize, 0usize, 0usize);
    for t in toks {
        match t.token {
            Token::Whitespace(_) => continue,
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => depth = depth.saturating_sub(1),
            Token::Word(ref w) if w.quote_style.is_none() && w.keyword == Keyword::NOT => {
                run += 1;
                max = max.max(depth + run);
                continue;
            }
            _ => {}
        }
        run = 0;
        max = max.max(depth);
    }
    max
}

/// How deeply sqlparser nests an expression by default, which ddlc keeps as
/// the limit for fragments (deeper ones are an error, not a slow parse).
const MAX_DEPTH: usize = 50;

/// Checks `execute` SQL: one or more statements in the dialect's grammar
/// (`None`: the default body, checked with the generic grammar).
pub fn check_statements(
    frag: &Fragment,
    file: FileId,
    dialect: Option<Dialect>,
    diags: &mut Diagnostics,
) -> Result<(), Reported> {
    let d: Box<dyn SqlDialect> = match dialect {
        Some(d) => d.rules().sqlparser_grammar(),
        None => Box::new(GenericDialect {}),
    };
    let what = match dialect {
        Some(d) => format!("invalid SQL for {d}"),
        None => "invalid SQL".to_string(),
    };
    match Parser::parse_sql(d.as_ref(), &frag.text) {
        Ok(stmts) if stmts.is_empty() => Err(diags.error(
            Diagnostic::error(Code::InvalidExecuteSql, "`execute` has no SQL statement")
                .at(frag.span, "empty SQL"),
        )),
        Ok(_) => Ok(()),
        Err(e) => Err(diags.error(located(frag, file, Code::InvalidExecuteSql, &what, e))),
    }
}

/// Checks a view's query: one query (`SELECT`, `WITH ... SELECT`, a set
/// operation) and nothing after it, in the DSL's (generic) reading.
pub fn check_query(frag: &Fragment, file: FileId, diags: &mut Diagnostics) -> Result<(), Reported> {
    let dialect = GenericDialect {};
    let parsed = Parser::new(&dialect)
        .with_recursion_limit(MAX_DEPTH)
        .try_with_sql(&frag.text)
        .and_then(|mut p| {
            let query = p.parse_query()?;
            let next = p.peek_token();
            if next.token == Token::EOF {
                return Ok(query);
            }
            Err(ParserError::ParserError(format!(
                "Expected: end of query, found: {}{}",
                next.token, next.span.start
            )))
        });
    use sqlparser::ast::SetExpr;
    match parsed {
        // sqlparser reads an INSERT, UPDATE, DELETE or MERGE as a query too
        // (for data-modifying CTEs); a view selects.
        Ok(q)
            if matches!(
                *q.body,
                SetExpr::Insert(_) | SetExpr::Update(_) | SetExpr::Delete(_) | SetExpr::Merge(_)
            ) =>
        {
            Err(diags.error(
                Diagnostic::error(Code::InvalidSql, "invalid view query")
                    .at(frag.span, "not a SELECT")
                    .with_help("a view's query is one SELECT (WITH, UNION and joins are fine)"),
            ))
        }
        Ok(_) => Ok(()),
        Err(e) => Err(diags.error(located(
            frag,
            file,
            Code::InvalidSql,
            "invalid view query",
            e,
        ))),
    }
}

/// What a view's query (one [`check_query`] accepted) reads: the names of
/// the relations in its FROM clauses, CTEs included (each as its parts,
/// `billing.invoice` as `["billing", "invoice"]`), and whether it selects
/// `*` or `t.*` (then it reads every column of what it selects from).
pub fn query_reads(text: &str) -> (Vec<Vec<String>>, bool) {
    use sqlparser::ast::{ObjectName, SelectItem, Visit};

    struct Reads {
        relations: Vec<Vec<String>>,
        wildcard: bool,
    }
    impl Visitor for Reads {
        type Break = ();
        fn pre_visit_relation(&mut self, r: &ObjectName) -> ControlFlow<()> {
            let parts: Vec<String> =
                r.0.iter()
                    .filter_map(|p| p.as_ident().map(|i| i.value.clone()))
                    .collect();
            if !self.relations.contains(&parts) {
                self.relations.push(parts);
            }
            ControlFlow::Continue(())
        }
        fn pre_visit_query(&mut self, q: &Query) -> ControlFlow<()> {
            self.wildcard |= selects_all(&q.body);
            ControlFlow::Continue(())
        }
    }
    // Subqueries are queries the visitor enters; the branches of a set
    // operation are not, so they are walked here.
    fn selects_all(body: &sqlparser::ast::SetExpr) -> bool {
        use sqlparser::ast::SetExpr;
        match body {
            SetExpr::Select(s) => s.projection.iter().any(|i| {
                matches!(
                    i,
                    SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)
                )
            }),
            SetExpr::SetOperation { left, right, .. } => selects_all(left) || selects_all(right),
            _ => false,
        }
    }
    let dialect = GenericDialect {};
    let Ok(query) = Parser::new(&dialect)
        .try_with_sql(text)
        .and_then(|mut p| p.parse_query())
    else {
        return (Vec::new(), true);
    };
    let mut reads = Reads {
        relations: Vec::new(),
        wildcard: false,
    };
    let _ = query.visit(&mut reads);
    (reads.relations, reads.wildcard)
}

/// A token and the bytes of the text it was read from.
#[derive(Clone, Debug)]
pub struct Tok {
    /// The token, values unescaped (`'it''s'` holds `it's`).
    pub token: Token,
    /// Its bytes in the text.
    pub range: Range<usize>,
    /// A comment that is MySQL's executable `/*! .. */`: MySQL (and the mysql
    /// client) read its inside as SQL, every other engine skips it.
    pub executable_comment: bool,
}

/// The tokens of `text` as `dialect` reads SQL (`None`: the DSL's reading of a
/// fragment, sqlparser's generic dialect: `''` doubling, no backslash escapes),
/// whitespace and comments included, each with its byte range. A text that
/// does not tokenize gives the byte offset and sqlparser's message.
pub fn tokens(text: &str, dialect: Option<Dialect>) -> Result<Vec<Tok>, (usize, String)> {
    let d = sqlparser_dialect(dialect);
    // sqlparser reads the inside of `/*! .. */` as tokens, with locations that
    // skip the comment's markers; with the `!` blanked out the comment is one
    // token whose range is right, and it is marked instead.
    let hints = d.supports_multiline_comment_hints() && text.contains("/*!");
    let neutral = if hints {
        std::borrow::Cow::Owned(text.replace("/*!", "/* "))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let mut cursor = Cursor::new(&neutral);
    let toks = match Tokenizer::new(d.as_ref(), &neutral).tokenize_with_location() {
        Ok(toks) => toks,
        Err(e) => return Err((cursor.seek(e.location), e.message)),
    };
    let mut out = Vec::with_capacity(toks.len());
    for t in toks {
        if t.token == Token::EOF {
            continue;
        }
        let start = cursor.seek(t.span.start);
        let end = cursor.seek(t.span.end);
        let slice = &text[start..end];
        let mut tok = Tok {
            token: t.token,
            range: start..end,
            executable_comment: false,
        };
        if hints && slice.contains("/*!") {
            if matches!(
                tok.token,
                Token::Whitespace(Whitespace::MultiLineComment(_))
            ) {
                tok.executable_comment = true;
            } else if let Ok(mut alone) = Tokenizer::new(d.as_ref(), slice).tokenize() {
                // A literal that holds `/*!`: its value from the text as written.
                tok.token = alone.swap_remove(0);
            }
        }
        out.push(tok);
    }
    Ok(out)
}

/// sqlparser's dialect for reading SQL as `d` does (`None`: the generic one).
fn sqlparser_dialect(d: Option<Dialect>) -> Box<dyn SqlDialect> {
    match d {
        None => Box::new(GenericDialect {}),
        Some(d) => d.rules().sqlparser(),
    }
}

/// Turns sqlparser's (line, column in chars) locations into byte offsets,
/// moving forward only, so a whole token stream costs one pass over the text.
struct Cursor<'a> {
    text: &'a str,
    byte: usize,
    line: u64,
    column: u64,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Cursor<'a> {
        Cursor {
            text,
            byte: 0,
            line: 1,
            column: 1,
        }
    }

    fn seek(&mut self, to: Location) -> usize {
        while (self.line, self.column) < (to.line, to.column) {
            let Some(c) = self.text[self.byte..].chars().next() else {
                break;
            };
            self.byte += c.len_utf8();
            if c == '\n' {
                self.line += 1;
                self.column = 1;
            } else {
                self.column += 1;
            }
        }
        self.byte
    }
}

/// A diagnostic for a sqlparser error, located inside the fragment.
fn located(frag: &Fragment, file: FileId, code: Code, what: &str, err: ParserError) -> Diagnostic {
    let text = match err {
        ParserError::ParserError(s) | ParserError::TokenizerError(s) => s,
        // sqlparser gives no place for this one: the whole fragment is at fault.
        ParserError::RecursionLimitExceeded => {
            return Diagnostic::error(code, format!("{what}: nested too deeply"))
                .at(
                    frag.span,
                    format!("ddlc reads at most {MAX_DEPTH} levels of nesting (parentheses, NOT, operators)"),
                )
                .with_help("split the expression, or write it with fewer nested levels");
        }
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
pub fn split_location(text: &str) -> (&str, Option<(usize, usize)>) {
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
pub fn offset_of(text: &str, line: usize, col: usize) -> Option<usize> {
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

/// An unqualified name a fragment uses as a column (not a function, not a
/// name inside a subquery or a lambda, not a niladic function such as
/// `CURRENT_USER` or Oracle's `SYSDATE`), with its bytes in the fragment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnRef {
    /// The name as written, unquoted.
    pub name: String,
    /// Written in quotes (`"Status"`): compared exactly where unquoted names fold.
    pub quoted: bool,
    /// Its bytes in the fragment.
    pub range: Range<usize>,
}

/// The columns `expr` (a fragment that [`check_expr`] accepted) refers to by
/// unqualified name, in the order written. Empty when it does not parse.
pub fn column_refs(expr: &str) -> Vec<ColumnRef> {
    use sqlparser::ast::Visit;

    let dialect = GenericDialect {};
    let Ok(parsed) = Parser::new(&dialect)
        .try_with_sql(expr)
        .and_then(|mut p| p.parse_expr())
    else {
        return Vec::new();
    };
    let mut refs = Refs {
        depth: 0,
        found: Vec::new(),
    };
    let _ = parsed.visit(&mut refs);
    refs.found
        .sort_by_key(|(start, ..)| (start.line, start.column));
    let mut cursor = Cursor::new(expr);
    refs.found
        .into_iter()
        .map(|(start, name, quoted, end)| {
            let start = cursor.seek(start);
            let end = cursor.seek(end).max(start);
            ColumnRef {
                name,
                quoted,
                range: start..end,
            }
        })
        .collect()
}

/// Collects the unqualified names of an expression outside subqueries and lambdas.
struct Refs {
    /// Subqueries and lambdas entered: names there are not this table's.
    depth: usize,
    found: Vec<(Location, String, bool, Location)>,
}
impl Visitor for Refs {
    type Break = ();
    fn pre_visit_query(&mut self, _: &Query) -> ControlFlow<()> {
        self.depth += 1;
        ControlFlow::Continue(())
    }
    fn post_visit_query(&mut self, _: &Query) -> ControlFlow<()> {
        self.depth -= 1;
        ControlFlow::Continue(())
    }
    fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
        match e {
            Expr::Lambda(_) => self.depth += 1,
            Expr::Identifier(id) if self.depth == 0 => {
                let niladic = id.quote_style.is_none()
                    && NILADIC.iter().any(|n| n.eq_ignore_ascii_case(&id.value));
                if !niladic {
                    self.found.push((
                        id.span.start,
                        id.value.clone(),
                        id.quote_style.is_some(),
                        id.span.end,
                    ));
                }
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }
    fn post_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
        if matches!(e, Expr::Lambda(_)) {
            self.depth -= 1;
        }
        ControlFlow::Continue(())
    }
}

/// Words that read like a name but are values the engine supplies.
const NILADIC: &[&str] = &[
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "localtime",
    "localtimestamp",
    "rowid",
    "rownum",
    "session_user",
    "sysdate",
    "systimestamp",
    "system_user",
    "uid",
    "user",
    "utc_date",
    "utc_time",
    "utc_timestamp",
];

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

    /// `check_expr` with the error it reported.
    fn expr(f: &Fragment) -> Result<(), Diagnostic> {
        let mut diags = Diagnostics::new();
        check_expr(f, FileId(0), &mut diags).map_err(|_| diags.last().cloned().unwrap())
    }

    /// `check_statements` with the error it reported.
    fn statements(f: &Fragment, dialect: Option<Dialect>) -> Result<(), Diagnostic> {
        let mut diags = Diagnostics::new();
        check_statements(f, FileId(0), dialect, &mut diags)
            .map_err(|_| diags.last().cloned().unwrap())
    }

    #[test]
    fn accepts_expressions_and_rejects_trailing_tokens() {
        for ok in [
            "a > 0",
            "lower(email)",
            "code = upper(code) AND x IS NOT NULL",
            "'x'",
        ] {
            assert!(expr(&frag(ok)).is_ok(), "{ok}");
        }
        let d = expr(&frag("a > 0 b")).unwrap_err();
        assert_eq!(d.code, Code::InvalidSql);
        // `b` is at byte 6 of the value, byte 7 of `(a > 0 b)`.
        assert_eq!(d.primary.unwrap().span.range(), 7..8);
    }

    #[test]
    fn maps_line_and_column_into_the_fragment() {
        let d = expr(&frag("a +\n  * 2")).unwrap_err();
        let span = d.primary.unwrap().span;
        // `*` is line 2, column 3 of the value: value byte 6, file byte 7.
        assert_eq!(span.start, 7);
    }

    #[test]
    fn too_deep_nesting_is_the_whole_fragment() {
        // Issue 7: 10,000 nested NOT gave a caret at the fragment's end.
        let text = format!("{}x", "NOT ".repeat(10_000));
        let d = expr(&frag(&text)).unwrap_err();
        assert!(d.message.contains("nested too deeply"), "{d:?}");
        let span = d.primary.unwrap().span;
        assert_eq!(span.range(), 1..1 + text.len());
    }

    #[test]
    fn execute_uses_the_dialect() {
        let f = frag("CREATE EXTENSION IF NOT EXISTS pgcrypto");
        assert!(statements(&f, Some(Dialect::PostgreSql)).is_ok());
        let d = statements(&frag("SELEC 1"), None).unwrap_err();
        assert_eq!(d.code, Code::InvalidExecuteSql);
        assert!(statements(&frag(""), None).is_err());
    }

    #[test]
    fn columns_of_expressions() {
        let names =
            |e: &str| -> Vec<String> { column_refs(e).into_iter().map(|r| r.name).collect() };
        assert_eq!(names("stauts = 'published'"), ["stauts"]);
        assert_eq!(
            names("lower(email) <> '' AND \"Code\" IN (SELECT code FROM other)"),
            ["email", "Code"]
        );
        assert_eq!(
            names("CASE WHEN a > 0 THEN CURRENT_USER ELSE sysdate END = x.y"),
            ["a"]
        );
        assert_eq!(
            names("CAST(b AS integer) + EXTRACT(YEAR FROM c)"),
            ["b", "c"]
        );
        assert_eq!(names("excluded.a = 1 AND now() > d"), ["d"]);
        let r = &column_refs("x + é > 0")[1];
        assert_eq!(r.range, 4..6, "byte range of a non-ASCII name");
        assert!(column_refs("a >").is_empty());
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

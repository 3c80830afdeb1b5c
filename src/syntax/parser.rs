//! Recursive-descent parser: tokens in, [`ast::File`] out, every syntax error
//! collected. Each parse fn carries its grammar production (docs/dsl.md).
//! After an error the parser skips to the next op keyword or `}` (or, inside a
//! table block, to the next line), so one run reports every syntax error.

use super::ast::*;
use super::chars;
use super::lexer::{next_token, unquote};
use super::token::{Token, TokenKind};
use crate::diag::Code;
use crate::diag::{closest, Diagnostic, Diagnostics, Mark, Reported};
use crate::dialect::{Dialect, DialectSet};
use crate::ir::{
    AlterEnum, ColumnType, EnumChange, EnumPosition, EnumType, FkAction, FkMatch, Ident, Literal,
    OpName, QualifiedName, TypeKind,
};
use crate::source::{FileId, Span};
use std::collections::VecDeque;
use std::str::FromStr;

/// The portable type names.
pub const TYPES: &[&str] = &[
    "smallint",
    "integer",
    "bigint",
    "boolean",
    "string",
    "text",
    "nstring",
    "ntext",
    "char",
    "numeric",
    "float",
    "double",
    "date",
    "time",
    "timestamp",
    "interval",
    "uuid",
    "json",
    "binary",
    "enum",
    "raw",
];

/// SQL spellings of types, as other tools and engines write them, with the
/// ddlc type that means the same: what an unknown type word is answered with.
pub const SQL_TYPE_NAMES: &[(&str, &str)] = &[
    ("int", "integer"),
    ("int2", "smallint"),
    ("int4", "integer"),
    ("int8", "bigint"),
    ("tinyint", "smallint"),
    ("mediumint", "integer"),
    ("serial", "integer autoincrement"),
    ("bigserial", "bigint autoincrement"),
    ("smallserial", "smallint autoincrement"),
    ("bool", "boolean"),
    ("bit", "boolean"),
    ("varchar", "string(n)"),
    ("varchar2", "string(n)"),
    ("nvarchar", "nstring(n)"),
    ("nvarchar2", "nstring(n)"),
    ("character", "char(n)"),
    ("nchar", "char(n)"),
    ("clob", "text"),
    ("nclob", "ntext"),
    ("tinytext", "text"),
    ("mediumtext", "text"),
    ("longtext", "text"),
    ("decimal", "numeric(p, s)"),
    ("number", "numeric(p, s)"),
    ("money", "numeric(p, s)"),
    ("real", "float"),
    ("float4", "float"),
    ("float8", "double"),
    ("datetime", "timestamp"),
    ("datetime2", "timestamp"),
    ("smalldatetime", "timestamp"),
    ("timestamptz", "timestamp(tz)"),
    ("datetimeoffset", "timestamp(tz)"),
    ("jsonb", "json"),
    ("bytea", "binary"),
    ("blob", "binary"),
    ("longblob", "binary"),
    ("varbinary", "binary(n)"),
    ("uniqueidentifier", "uuid"),
];

/// Column attributes.
pub const ATTRS: &[&str] = &[
    "not_null",
    "null",
    "primary_key",
    "unique",
    "autoincrement",
    "identity",
    "default",
    "comment",
    "check",
    "references",
    "computed",
];

/// The options of `identity( ... )`.
const IDENTITY_OPTS: [&str; 9] = [
    "always",
    "start",
    "increment",
    "minvalue",
    "maxvalue",
    "cycle",
    "cache",
    "on_null",
    "order",
];

/// `alter_column` changes.
pub const CHANGES: &[&str] = &[
    "type",
    "not_null",
    "null",
    "default",
    "drop_default",
    "rename",
    "comment",
    "drop_comment",
    "identity",
    "autoincrement",
    "drop_identity",
];

/// Words that start a table item other than a column.
const TABLE_ITEMS: &[&str] = &[
    "primary_key",
    "unique",
    "check",
    "foreign_key",
    "index",
    "table_comment",
    "comment",
];

const HEADER_KEYS: &[&str] = &[
    "revision",
    "revises",
    "depends_on",
    "baseline",
    "message",
    "doc",
    "labels",
];
const FK_OPTS: &[&str] = &[
    "match",
    "on_delete",
    "on_update",
    "deferrable",
    "not_deferrable",
    "initially",
];
const ACTIONS: &[&str] = &[
    "cascade",
    "set_null",
    "set_default",
    "restrict",
    "no_action",
];

/// `Err` carries the proof that a diagnostic was pushed: recover.
type PResult<T> = Result<T, Reported>;

/// What [`Parser::attr`] found.
enum AttrStep {
    /// A column attribute (boxed: an attribute is large, the other steps empty).
    Attr(Box<Attr>),
    /// A misspelt attribute, reported and skipped: the list goes on.
    Skipped,
    /// No attribute: the list ends here.
    End,
}

/// Where column attributes are being read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Table,
    AddColumn,
}

/// How many syntax errors one file reports before the parser stops: past this
/// the rest is mostly cascade, and the count (and the memory the diagnostics
/// take) must not grow with the size of a hostile file.
pub const MAX_ERRORS: usize = 100;

/// How many times the parser may look at the same token without consuming it.
/// A legitimate decision looks a few dozen times at most; more means a loop that
/// makes no progress (a bug), and the parser stops instead of spinning.
const STALL_LIMIT: u32 = 1_000;

/// The parser state: a cursor into the text and a small lookahead buffer.
///
/// Progress guarantee: every loop over items goes through [`Parser::items`],
/// whose every round consumes a token or ends the loop, and every other loop
/// consumes a token per round by construction. As a hard check, looking at the
/// same token more than [`STALL_LIMIT`] times halts the parser (a debug
/// assertion in debug builds, a located error otherwise); once halted, the
/// parser sees only the end of the file, which ends every loop.
pub struct Parser<'a> {
    text: &'a str,
    /// Where this file's diagnostics start in the sink: the error limit and
    /// the cascade check count this file's only.
    start: Mark,
    file: FileId,
    pos: usize,
    look: VecDeque<Token>,
    prev_end: usize,
    /// Peeks since the last consumed token: the hard progress check.
    stalled: u32,
    /// Set when parsing stops early (error limit, or no progress).
    halted: bool,
    /// An error about the end of the file was reported: the rest is cascade.
    eof_reported: bool,
    /// Panic on a stall (debug builds) instead of reporting it; off in the
    /// tests of the release path.
    strict: bool,
    /// The sink.
    diags: &'a mut Diagnostics,
}

impl<'a> Parser<'a> {
    /// A parser at the start of `text`.
    pub fn new(text: &'a str, file: FileId, diags: &'a mut Diagnostics) -> Parser<'a> {
        Parser {
            text,
            start: diags.mark(),
            file,
            pos: 0,
            look: VecDeque::with_capacity(4),
            prev_end: 0,
            stalled: 0,
            halted: false,
            eof_reported: false,
            strict: cfg!(debug_assertions),
            diags,
        }
    }

    // ---- cursor ----

    fn peek_nth(&mut self, n: usize) -> Token {
        if self.halted {
            let end = self.text.len();
            return Token {
                kind: TokenKind::Eof,
                start: end,
                end,
                line_start: true,
            };
        }
        self.stalled += 1;
        if self.stalled > STALL_LIMIT {
            self.stall();
            return self.peek_nth(n);
        }
        while self.look.len() <= n {
            let from = self.look.back().map_or(self.pos, |t| t.end);
            let t = next_token(self.text, from);
            self.look.push_back(t);
        }
        self.look[n]
    }

    fn peek(&mut self) -> Token {
        self.peek_nth(0)
    }

    fn bump(&mut self) -> Token {
        let t = self.peek();
        self.look.pop_front();
        self.consumed(t.end);
        t
    }

    /// The cursor moves to `end` (a token or a fragment was consumed).
    fn consumed(&mut self, end: usize) {
        self.pos = end;
        self.prev_end = end;
        self.stalled = 0;
    }

    /// The hard progress check failed: stop parsing, at the end of the file from now on.
    fn stall(&mut self) {
        let at = self.look.front().map_or(self.pos, |t| t.start);
        assert!(
            !self.strict,
            "parser made no progress at byte {at}: a loop does not consume input"
        );
        let d = Diagnostic::error(
            Code::InternalError,
            "the parser stopped here without reading further (a bug in ddlc; please report it)",
        )
        .at(self.span(at, at), "stuck here");
        let _ = self.diags.error(d);
        self.halt();
    }

    /// Stops parsing: every later peek sees the end of the file, and nothing more is reported.
    fn halt(&mut self) {
        self.halted = true;
        self.look.clear();
        self.pos = self.text.len();
    }

    fn src(&self, t: Token) -> &'a str {
        self.text.get(t.start..t.end).unwrap_or_default()
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    fn tspan(&self, t: Token) -> Span {
        self.span(t.start, t.end)
    }

    fn is_word(&mut self, n: usize, w: &str) -> bool {
        let t = self.peek_nth(n);
        t.kind == TokenKind::Word && self.src(t) == w
    }

    fn kind(&mut self, n: usize) -> TokenKind {
        self.peek_nth(n).kind
    }

    fn eat_word(&mut self, w: &str) -> Option<Token> {
        self.is_word(0, w).then(|| self.bump())
    }

    fn eat(&mut self, kind: TokenKind) -> Option<Token> {
        (self.kind(0) == kind).then(|| self.bump())
    }

    fn expect(&mut self, kind: TokenKind) -> PResult<Token> {
        match self.eat(kind) {
            Some(t) => Ok(t),
            None => self.unexpected(&[kind.describe()], &[]),
        }
    }

    fn expect_word(&mut self, w: &str) -> PResult<Token> {
        match self.eat_word(w) {
            Some(t) => Ok(t),
            None => self.unexpected(&[&format!("`{w}`")], &[w]),
        }
    }

    // ---- errors ----

    /// Reports `d`, unless parsing has stopped; at [`MAX_ERRORS`] it stops.
    fn error(&mut self, d: Diagnostic) -> Reported {
        // A second error at the same place is a cascade of the first.
        let at = |d: &Diagnostic| d.primary.as_ref().map(|l| l.span.start);
        let here = self.diags.since(self.start);
        if self.halted || (at(&d).is_some() && here.last().map(at) == Some(at(&d))) {
            return self.failed();
        }
        if matches!(d.code, Code::UnexpectedEof | Code::UnterminatedString) {
            self.eof_reported = true;
        }
        let end = d
            .primary
            .as_ref()
            .map_or(self.prev_end, |l| l.span.end as usize);
        let reported = self.diags.error(d);
        if self.diags.since(self.start).len() >= MAX_ERRORS {
            let at = self.span(end, end);
            let _ = self.diags.error(
                Diagnostic::error(
                    Code::TooManyErrors,
                    format!("too many errors in this file ({MAX_ERRORS}); stopped reading it here"),
                )
                .at(at, "stopped here")
                .with_help("fix the errors above and run again"),
            );
            self.halt();
        }
        reported
    }

    /// The proof for a parse fn that fails without a new error of its own
    /// (parsing stopped, or a cascade of one already reported in this file).
    /// A failure with no error in this file at all is a bug in ddlc, reported
    /// as one rather than lost.
    fn failed(&mut self) -> Reported {
        match self.diags.check_since(self.start) {
            Err(reported) => reported,
            Ok(()) => {
                let at = self.span(self.prev_end, self.prev_end);
                self.diags.error(
                    Diagnostic::error(
                        Code::InternalError,
                        "the parser failed here without saying why (a bug in ddlc; please report it)",
                    )
                    .at(at, "failed here"),
                )
            }
        }
    }

    /// The one "expected X, found Y" helper. Where something is missing (end of
    /// file, or the next token is on another line) it points just after the
    /// previous token; otherwise at the token found. `candidates` feed "did you mean".
    fn unexpected<T>(&mut self, expected: &[&str], candidates: &[&str]) -> PResult<T> {
        let t = self.peek();
        let found = self.src(t);
        // One error about the end of the file is enough: the rest is cascade
        // (and a halted parser reports nothing more).
        if self.halted
            || (matches!(t.kind, TokenKind::Eof | TokenKind::Unterminated) && self.eof_reported)
        {
            return Err(self.failed());
        }
        let d = match t.kind {
            TokenKind::Unterminated => {
                let quote = found.chars().next().unwrap_or('"');
                Diagnostic::error(Code::UnterminatedString, "unterminated string").at(
                    self.span(t.start, t.start + quote.len_utf8()),
                    "this string is never closed",
                )
            }
            TokenKind::BadChar => Diagnostic::error(
                Code::UnexpectedToken,
                format!(
                    "unexpected character {}",
                    chars::describe(found.chars().next().unwrap_or(' '))
                ),
            )
            .at(self.tspan(t), format!("expected {}", join_or(expected))),
            _ => {
                let what = match t.kind {
                    TokenKind::Word | TokenKind::Number => format!("`{}`", brief(found)),
                    k => k.describe().to_string(),
                };
                let code = if t.kind == TokenKind::Eof {
                    Code::UnexpectedEof
                } else {
                    Code::UnexpectedToken
                };
                let msg = format!("expected {}, found {what}", join_or(expected));
                let d = if t.kind == TokenKind::Eof || (t.line_start && self.prev_end > 0) {
                    let at = self.span(self.prev_end, self.prev_end).after();
                    Diagnostic::error(code, msg).at(at, format!("expected {}", join_or(expected)))
                } else {
                    Diagnostic::error(code, msg).at(self.tspan(t), "unexpected here")
                };
                if t.kind == TokenKind::Word {
                    d.with_suggestion(found, candidates.iter().copied())
                } else {
                    d
                }
            }
        };
        Err(self.error(d))
    }

    /// The loop over the items of a header, block or table: parses items until
    /// `end` says stop or the file ends. An item that fails is followed by
    /// `recover` (given where the item started); a round that still consumed
    /// nothing skips one token. So every round consumes input or ends the loop:
    /// the parser's progress guarantee, in one place.
    fn items<T>(
        &mut self,
        mut end: impl FnMut(&mut Self) -> bool,
        mut item: impl FnMut(&mut Self) -> PResult<T>,
        recover: fn(&mut Self, usize),
    ) -> Vec<T> {
        let mut out = Vec::new();
        loop {
            if self.kind(0) == TokenKind::Eof || end(self) {
                return tight(out);
            }
            let start = self.pos;
            match item(self) {
                Ok(t) => out.push(t),
                Err(_) => recover(self, start),
            }
            if self.pos == start {
                self.skip_one();
            }
        }
    }

    /// Skips to the next op keyword, `}` (of this block) or end of file; the
    /// token the op failed at first, when the op consumed nothing.
    fn recover_op(&mut self, op_start: usize) {
        if self.pos == op_start && self.kind(0) != TokenKind::Eof {
            self.skip_one();
        }
        let mut depth = 0usize;
        loop {
            let t = self.peek();
            match t.kind {
                TokenKind::Eof => return,
                TokenKind::RBrace if depth == 0 => return,
                TokenKind::RBrace => depth -= 1,
                TokenKind::LBrace => depth += 1,
                TokenKind::Word if depth == 0 && is_op(self.src(t)) => return,
                TokenKind::Word if depth == 0 && self.at_only() => return,
                TokenKind::Word if depth == 0 && self.at_review() => return,
                _ => {}
            }
            self.skip_one();
        }
    }

    /// Skips to the next token that starts a line, `}` or end of file, at this
    /// nesting level; the token the item failed at first, when it consumed nothing.
    fn recover_line(&mut self, item_start: usize) {
        if self.pos == item_start && self.kind(0) != TokenKind::Eof {
            self.skip_one();
        }
        let mut depth = 0usize;
        loop {
            let t = self.peek();
            match t.kind {
                TokenKind::Eof => return,
                TokenKind::RBrace | TokenKind::RParen if depth > 0 => depth -= 1,
                TokenKind::RBrace => return,
                TokenKind::LBrace | TokenKind::LParen => depth += 1,
                _ if depth == 0 && t.line_start => return,
                _ => {}
            }
            self.skip_one();
        }
    }

    /// Skips one token, still reporting a string that never ends.
    fn skip_one(&mut self) {
        if self.kind(0) == TokenKind::Unterminated {
            let _: PResult<()> = self.unexpected(&["a closing quote"], &[]);
        }
        self.bump();
    }

    // ---- file ----

    /// ```text
    /// file = header "upgrade" block downgrade
    /// ```
    /// The diagnostics go to the sink; the file is what could be read.
    pub fn file(mut self) -> File {
        // Characters refused anywhere in the file (docs/dsl.md, "Characters")
        // are reported alone: the tokens around them would only be cascade.
        let refused = chars::check(self.text, self.file, MAX_ERRORS);
        if !refused.is_empty() {
            self.diags.extend(refused);
            return File::default();
        }
        if self.kind(0) == TokenKind::Eof {
            let d = Diagnostic::error(Code::EmptyFile, "this migration file holds no revision")
                .at(self.span(0, 0), "empty (or only comments)")
                .with_help("a revision starts with `revision \"<id>\"`, `revises` and `message`, then `upgrade { ... }`; delete the file if it is not one");
            let _ = self.error(d);
            return File::default();
        }
        let mut file = File {
            header: self.header(),
            ..File::default()
        };
        let upgrade = match self.expect_word("upgrade") {
            Ok(_) => true,
            Err(_) => self.kind(0) == TokenKind::LBrace,
        };
        if upgrade {
            file.upgrade = self.block().ok();
            file.downgrade = self.downgrade().ok();
            if file.downgrade.is_some() && self.kind(0) != TokenKind::Eof {
                let _: PResult<()> = self.unexpected(&["end of file"], &[]);
            }
        }
        file.end = self.span(self.text.len(), self.text.len());
        file
    }

    /// ```text
    /// header = { "revision" text | "revises" parents | "depends_on" texts
    ///          | "message" text | "doc" text | "labels" "(" text { "," text } ")" }
    /// texts = text | "(" text { "," text } ")"
    /// parents = "base" | text | "(" text { "," text } ")"
    /// ```
    fn header(&mut self) -> Vec<HeaderItem> {
        // `{` without `upgrade`: let `file` report the missing keyword.
        self.items(
            |p| {
                p.is_word(0, "upgrade")
                    || p.is_word(0, "downgrade")
                    || p.kind(0) == TokenKind::LBrace
            },
            Self::header_item,
            Self::recover_header,
        )
    }

    /// Skips to the next line, `upgrade`, `downgrade` or `{`: a `}` in the
    /// header closes nothing, so it is skipped like any other token.
    fn recover_header(&mut self, item_start: usize) {
        if self.pos == item_start {
            self.skip_one();
        }
        loop {
            let t = self.peek();
            if t.kind == TokenKind::Eof
                || t.line_start
                || t.kind == TokenKind::LBrace
                || self.is_word(0, "upgrade")
                || self.is_word(0, "downgrade")
            {
                return;
            }
            self.skip_one();
        }
    }

    fn header_item(&mut self) -> PResult<HeaderItem> {
        let t = self.peek();
        let key = self.src(t);
        if t.kind != TokenKind::Word || !HEADER_KEYS.contains(&key) {
            let mut cands = HEADER_KEYS.to_vec();
            cands.push("upgrade");
            return self.unexpected(
                &[
                    "a header line (`revision`, `revises`, `message`, ...)",
                    "`upgrade`",
                ],
                &cands,
            );
        }
        self.bump();
        let key = Ident::new(key, self.tspan(t));
        let value = match key.as_str() {
            "revises" if self.is_word(0, "base") => {
                let b = self.bump();
                HeaderValue::Base(self.tspan(b))
            }
            "revises" | "depends_on" | "labels"
                if self.kind(0) == TokenKind::LParen || key.as_str() == "labels" =>
            {
                HeaderValue::List(self.text_list()?)
            }
            _ => {
                let (s, sp) = self.text_value()?;
                HeaderValue::Text(s, sp)
            }
        };
        Ok(HeaderItem {
            key,
            value,
            span: self.span(t.start, self.prev_end),
        })
    }

    fn text_list(&mut self) -> PResult<Vec<(String, Span)>> {
        self.expect(TokenKind::LParen)?;
        let mut out = vec![self.text_value()?];
        while self.eat(TokenKind::Comma).is_some() {
            out.push(self.text_value()?);
        }
        self.expect(TokenKind::RParen)?;
        Ok(out)
    }

    /// ```text
    /// downgrade = "downgrade" ( "auto" | "irreversible" text | block )
    /// ```
    fn downgrade(&mut self) -> PResult<Downgrade> {
        let kw = self.expect_word("downgrade")?;
        if let Some(t) = self.eat_word("auto") {
            return Ok(Downgrade::Auto(self.span(kw.start, t.end)));
        }
        if self.eat_word("irreversible").is_some() {
            let (why, _) = self.text_value()?;
            return Ok(Downgrade::Irreversible(
                why,
                self.span(kw.start, self.prev_end),
            ));
        }
        if self.kind(0) == TokenKind::LBrace {
            return self.block().map(Downgrade::Block);
        }
        self.unexpected(
            &["`auto`", "`irreversible`", "`{`"],
            &["auto", "irreversible"],
        )
    }

    /// ```text
    /// block = "{" { op } "}"
    /// ```
    fn block(&mut self) -> PResult<Block> {
        self.expect(TokenKind::LBrace)?;
        let ops = self.items(
            |p| p.kind(0) == TokenKind::RBrace,
            Self::op,
            Self::recover_op,
        );
        self.expect_close(&["an operation", "`}`"])?;
        Ok(Block { ops })
    }

    /// The `}` closing a block; at the end of the file, "expected `expected`".
    fn expect_close(&mut self, expected: &[&str]) -> PResult<Token> {
        match self.eat(TokenKind::RBrace) {
            Some(t) => Ok(t),
            None => self.unexpected(expected, &[]),
        }
    }

    // ---- names and small pieces ----

    /// A word that can start a name here: not an op keyword at the start of a
    /// line (that is the next op, and the name is missing).
    fn at_name(&mut self) -> bool {
        let t = self.peek();
        match t.kind {
            TokenKind::Str => true,
            TokenKind::Word => !(t.line_start && is_op(self.src(t))),
            _ => false,
        }
    }

    /// ```text
    /// name = word | quoted_name
    /// ```
    fn name(&mut self) -> PResult<Ident> {
        if !self.at_name() {
            return self.unexpected(&["a name"], &[]);
        }
        let t = self.bump();
        let raw = self.src(t);
        if t.kind == TokenKind::Word {
            return Ok(Ident::new(raw, self.tspan(t)));
        }
        let name = unquote(t.kind, raw);
        if name.is_empty() {
            let _ = self.error(
                Diagnostic::error(Code::InvalidIdentifier, "a name cannot be empty")
                    .at(self.tspan(t), "empty quoted name"),
            );
        }
        if let Some((i, c)) = raw.char_indices().find(|&(_, c)| chars::refused_in_name(c)) {
            let at = t.start + i;
            // Control characters (tab, line feed) break the one-line form of a
            // name in scripts and catalogs; the others are invisible.
            let (label, note) = if c.is_control() {
                (
                    "a control character in the name",
                    "a name is one line of printable text in every script and catalog",
                )
            } else {
                (
                    "invisible in the name",
                    "two names that look the same would be different names",
                )
            };
            let _ = self.error(
                Diagnostic::error(
                    Code::InvalidIdentifier,
                    format!("a name cannot hold {}", chars::describe(c)),
                )
                .at(self.span(at, at + c.len_utf8()), label)
                .with_note(note),
            );
        }
        Ok(Ident::new(name, self.tspan(t)))
    }

    /// ```text
    /// qname = name [ "." name ]
    /// ```
    fn qname(&mut self) -> PResult<QualifiedName> {
        let first = self.name()?;
        if self.eat(TokenKind::Dot).is_some() {
            let name = self.name()?;
            return Ok(QualifiedName {
                schema: Some(first),
                name,
            });
        }
        Ok(QualifiedName::bare(first))
    }

    /// ```text
    /// colref = qname "." name
    /// ```
    fn colref(&mut self) -> PResult<(QualifiedName, Ident)> {
        let mut parts = vec![self.name()?];
        while parts.len() < 3 && self.eat(TokenKind::Dot).is_some() {
            parts.push(self.name()?);
        }
        if parts.len() < 2 {
            return self.unexpected(&["`.` and a column name (`table.column`)"], &[]);
        }
        let column = parts.pop().unwrap_or_default();
        let name = parts.pop().unwrap_or_default();
        Ok((
            QualifiedName {
                schema: parts.pop(),
                name,
            },
            column,
        ))
    }

    /// ```text
    /// names = "(" name { "," name } ")"
    /// ```
    fn names(&mut self) -> PResult<(Vec<Ident>, Span)> {
        let open = self.expect(TokenKind::LParen)?;
        let mut out = vec![self.name()?];
        while self.eat(TokenKind::Comma).is_some() {
            out.push(self.name()?);
        }
        self.expect(TokenKind::RParen)?;
        Ok((tight(out), self.span(open.start, self.prev_end)))
    }

    /// `name` when one is written before `(`: `unique uq_x (a)`, `unique conv(uq_x) (a)`.
    fn opt_name_before_paren(&mut self) -> PResult<Option<Ident>> {
        if self.at_conv() && self.kind(4) == TokenKind::LParen {
            return self.conv_name().map(Some);
        }
        if self.kind(0) != TokenKind::LParen && self.at_name() {
            return self.name().map(Some);
        }
        Ok(None)
    }

    /// The name of an inline foreign key, written as `check`'s is, after the
    /// keyword: `references fk_x users (id)`, `references conv(fk_x) users (id)`.
    /// A name is there when another name follows it (the table).
    fn references_name(&mut self) -> PResult<Option<Ident>> {
        let name_like = |k: TokenKind| matches!(k, TokenKind::Word | TokenKind::Str);
        if self.at_conv() && name_like(self.kind(4)) {
            return self.conv_name().map(Some);
        }
        if name_like(self.kind(0)) && name_like(self.kind(1)) {
            return self.name().map(Some);
        }
        Ok(None)
    }

    /// At `conv ( name )`: a constraint or index name the naming convention
    /// leaves as written (SQLAlchemy's `conv()`).
    fn at_conv(&mut self) -> bool {
        self.is_word(0, "conv")
            && self.kind(1) == TokenKind::LParen
            && matches!(self.kind(2), TokenKind::Word | TokenKind::Str)
            && self.kind(3) == TokenKind::RParen
    }

    /// ```text
    /// cname = "conv" "(" name ")" | name
    /// ```
    fn constraint_name(&mut self) -> PResult<Ident> {
        match self.at_conv() {
            true => self.conv_name(),
            false => self.name(),
        }
    }

    fn conv_name(&mut self) -> PResult<Ident> {
        let start = self.bump().start;
        self.expect(TokenKind::LParen)?;
        let mut name = self.name()?;
        self.expect(TokenKind::RParen)?;
        name.conv = true;
        name.span = self.span(start, self.prev_end);
        Ok(name)
    }

    /// ```text
    /// text = "..." | """..."""
    /// ```
    fn text_value(&mut self) -> PResult<(String, Span)> {
        match self.kind(0) {
            TokenKind::Str | TokenKind::TripleStr => {
                let t = self.bump();
                Ok((unquote(t.kind, self.src(t)), self.tspan(t)))
            }
            _ => self.unexpected(&["a quoted text (`\"...\"`)"], &[]),
        }
    }

    /// A text kept with its raw form, for SQL offset mapping.
    fn text_fragment(&mut self) -> PResult<Fragment> {
        match self.kind(0) {
            TokenKind::Str | TokenKind::TripleStr => {
                let t = self.bump();
                let raw = self.src(t);
                let (open, close) = if t.kind == TokenKind::TripleStr {
                    (3, 3)
                } else {
                    (1, 1)
                };
                Ok(Fragment {
                    text: unquote(t.kind, raw),
                    span: self.span(
                        t.start + open,
                        t.end.saturating_sub(close).max(t.start + open),
                    ),
                    kind: t.kind,
                    raw: raw.to_string(),
                    raw_start: t.start,
                })
            }
            _ => self.unexpected(&["SQL text in quotes (`\"...\"`)"], &[]),
        }
    }

    /// ```text
    /// sqlstring = "'" ... "'"
    /// ```
    fn sql_string(&mut self) -> PResult<String> {
        match self.kind(0) {
            TokenKind::SqlStr => {
                let t = self.bump();
                Ok(unquote(t.kind, self.src(t)))
            }
            _ => self.unexpected(&["a string literal (`'...'`)"], &[]),
        }
    }

    /// A signed integer as written: `start 10`.
    fn integer(&mut self) -> PResult<(String, Span)> {
        match self.kind(0) {
            TokenKind::Number => {
                let t = self.bump();
                Ok((self.src(t).to_string(), self.tspan(t)))
            }
            _ => self.unexpected(&["a number"], &[]),
        }
    }

    /// A number inside a type: `string(100)`. Anything else is `invalid-number`.
    fn type_number(&mut self, what: &str, min: u32) -> u32 {
        let t = self.peek();
        if matches!(
            t.kind,
            TokenKind::RParen | TokenKind::Comma | TokenKind::Eof
        ) {
            let _: PResult<()> = self.unexpected(&[&format!("a {what}")], &[]);
            return min;
        }
        self.bump();
        let raw = self.src(t);
        let n = if t.kind == TokenKind::Number {
            raw.parse::<u32>().ok()
        } else {
            None
        };
        match n {
            Some(n) if n >= min => n,
            _ => {
                let why = match n {
                    Some(_) => format!("a {what} must be at least {min}"),
                    None if t.kind == TokenKind::Number => {
                        format!("a {what} is a whole number from {min} to {}", u32::MAX)
                    }
                    None => format!("expected a {what}, found `{}`", brief(raw)),
                };
                let _ = self.error(
                    Diagnostic::error(
                        Code::InvalidNumber,
                        format!("invalid {what} `{}`", brief(raw)),
                    )
                    .at(self.tspan(t), why),
                );
                min
            }
        }
    }

    /// ```text
    /// fragment = "(" sql ")"      # up to the matching ")", quotes respected
    /// ```
    fn fragment(&mut self) -> PResult<Fragment> {
        let open = self.peek();
        if open.kind != TokenKind::LParen {
            return self.unexpected(&["`(` and an SQL expression"], &[]);
        }
        let bytes = self.text.as_bytes();
        let mut depth = 0usize;
        let mut i = open.start;
        let mut quote: Option<u8> = None;
        let close = loop {
            let Some(&b) = bytes.get(i) else { break None };
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None => match b {
                    b'\'' | b'"' | b'`' => quote = Some(b),
                    b'(' => depth += 1,
                    b')' => {
                        depth -= 1;
                        if depth == 0 {
                            break Some(i);
                        }
                    }
                    _ => {}
                },
            }
            i += 1;
        };
        self.look.clear();
        let Some(close) = close else {
            self.consumed(self.text.len());
            return Err(self.error(
                Diagnostic::error(Code::UnexpectedEof, "unclosed `(` in an SQL expression")
                    .at(self.tspan(open), "this `(` is never closed"),
            ));
        };
        self.consumed(close + 1);
        Ok(Fragment {
            text: self
                .text
                .get(open.start + 1..close)
                .unwrap_or_default()
                .to_string(),
            span: self.span(open.start + 1, close),
            kind: TokenKind::LParen,
            raw: self
                .text
                .get(open.start..close + 1)
                .unwrap_or_default()
                .to_string(),
            raw_start: open.start,
        })
    }

    /// ```text
    /// dialect = "postgresql" | "mysql" | "mariadb" | "sqlite" | "mssql" | "oracle"
    /// ```
    fn dialect(&mut self) -> PResult<(Dialect, Span)> {
        let t = self.peek();
        if t.kind != TokenKind::Word {
            return self.unexpected(&["a dialect"], &[]);
        }
        self.bump();
        let w = self.src(t);
        match Dialect::from_str(w) {
            Ok(d) => Ok((d, self.tspan(t))),
            Err(_) => {
                let names: Vec<&str> = Dialect::ALL.iter().map(|d| d.name()).collect();
                Err(self.error(
                    Diagnostic::error(
                        Code::UnknownDialect,
                        format!("unknown dialect `{}`", brief(w)),
                    )
                    .at(self.tspan(t), "not a dialect")
                    .with_suggestion(w, names.iter().copied())
                    .with_note(format!("dialects: {}", names.join(", "))),
                ))
            }
        }
    }

    /// `only (` starts here: a qualifier, or an op block.
    fn at_only(&mut self) -> bool {
        self.is_word(0, "only") && self.kind(1) == TokenKind::LParen
    }

    /// ```text
    /// only = "only" "(" dialect { "," dialect } ")"
    /// ```
    fn only(&mut self) -> PResult<Only> {
        let start = self.expect_word("only")?.start;
        self.expect(TokenKind::LParen)?;
        let mut dialects = DialectSet::EMPTY;
        loop {
            dialects = dialects.with(self.dialect()?.0);
            if self.eat(TokenKind::Comma).is_none() {
                break;
            }
        }
        self.expect(TokenKind::RParen)?;
        Ok(Only {
            dialects,
            span: self.span(start, self.prev_end),
        })
    }

    fn at_review(&mut self) -> bool {
        self.is_word(0, "review") && matches!(self.kind(1), TokenKind::Str | TokenKind::TripleStr)
    }

    /// Code a person must translate (what `ddlc import` could not): always an
    /// error, so that `check` and every compile fail until it is replaced.
    ///
    /// ```text
    /// op = "review" text [ text ]        # why, then the original code
    /// ```
    fn review(&mut self) -> Reported {
        let start = self.bump().start;
        let why = match self.text_value() {
            Ok((why, _)) => why,
            Err(reported) => return reported,
        };
        if matches!(self.kind(0), TokenKind::Str | TokenKind::TripleStr) {
            self.bump();
        }
        let at = self.span(start, self.prev_end);
        self.error(
            Diagnostic::error(Code::NeedsReview, format!("needs review: {why}"))
                .at(at, "not translated")
                .with_help("write the ops this code stands for, then delete the `review` block"),
        )
    }

    /// ```text
    /// op = "only" "(" dialect { "," dialect } ")" block [ "else" block ]
    /// ```
    fn only_block(&mut self) -> PResult<Op> {
        let start = self.peek().start;
        let only = self.only()?;
        let then = self.block()?;
        let otherwise = match self.eat_word("else") {
            Some(_) => Some(self.block()?),
            None => None,
        };
        Ok(Op {
            kind: OpKind::Only {
                only,
                then,
                otherwise,
            },
            span: self.span(start, self.prev_end),
        })
    }

    /// ```text
    /// option = dialect "." word "=" ( text | number | word | sqlstring )
    /// ```
    fn option(&mut self) -> PResult<DialectOpt> {
        let start = self.peek().start;
        let (dialect, _) = self.dialect()?;
        self.expect(TokenKind::Dot)?;
        let key = self.name()?;
        self.expect(TokenKind::Eq)?;
        let t = self.peek();
        let value = match t.kind {
            TokenKind::Word | TokenKind::Number => self.src(t).to_string(),
            TokenKind::Str | TokenKind::TripleStr | TokenKind::SqlStr => {
                unquote(t.kind, self.src(t))
            }
            _ => return self.unexpected(&["an option value"], &[]),
        };
        self.bump();
        Ok(DialectOpt {
            dialect,
            key,
            value,
            value_span: self.tspan(t),
            span: self.span(start, self.prev_end),
        })
    }

    /// An option starts here: a word followed by `.` (the word should be a dialect).
    fn at_option(&mut self) -> bool {
        self.kind(0) == TokenKind::Word && self.kind(1) == TokenKind::Dot
    }

    // ---- types ----

    /// An unknown type word: the ddlc spelling where it is an SQL name ddlc
    /// writes another way ([`SQL_TYPE_NAMES`]), else the closest ddlc type.
    fn unknown_type(&mut self, t: Token) -> Reported {
        let w = self.src(t);
        let d = Diagnostic::error(Code::UnknownType, format!("unknown type `{}`", brief(w)))
            .at(self.tspan(t), "not a ddlc type");
        let lower = w.to_ascii_lowercase();
        let d = match SQL_TYPE_NAMES.iter().find(|(sql, _)| *sql == lower) {
            Some((_, ddlc)) => d.with_help(format!("ddlc writes `{lower}` as `{ddlc}`")),
            None => d.with_suggestion(w, TYPES.iter().copied()),
        };
        self.error(d.with_help("for a type ddlc does not know, write `raw(\"SQL TYPE\")`"))
    }

    /// ```text
    /// type      = base_type { "variant" dialect text }
    /// base_type = "smallint" | "integer" | "bigint" | "boolean"
    ///           | "string" [ "(" number ")" ] | "text" | "char" "(" number ")"
    ///           | "nstring" [ "(" number ")" ] | "ntext"
    ///           | "numeric" [ "(" number [ "," number ] ")" ] | "float" | "double"
    ///           | "date" | "time" | "timestamp" [ "(" "tz" ")" ] | "interval"
    ///           | "uuid" | "json" | "binary" [ "(" number ")" ]
    ///           | "enum" "(" name ":" sqlstring { "," sqlstring } ")" | "raw" "(" text ")"
    /// ```
    fn ty(&mut self) -> PResult<ColumnType> {
        let t = self.peek();
        if t.kind != TokenKind::Word {
            return self.unexpected(&["a type"], &[]);
        }
        let w = self.src(t);
        if !TYPES.contains(&w) {
            self.bump();
            return Err(self.unknown_type(t));
        }
        self.bump();
        let paren = |p: &mut Self| p.eat(TokenKind::LParen).is_some();
        let kind = match w {
            "smallint" => TypeKind::SmallInt,
            "integer" => TypeKind::Integer,
            "bigint" => TypeKind::BigInt,
            "boolean" => TypeKind::Boolean,
            "text" => TypeKind::Text,
            "ntext" => TypeKind::NText,
            "float" => TypeKind::Float,
            "double" => TypeKind::Double,
            "date" => TypeKind::Date,
            "time" => TypeKind::Time,
            "interval" => TypeKind::Interval,
            "uuid" => TypeKind::Uuid,
            "json" => TypeKind::Json,
            "string" | "nstring" | "binary" => {
                let n = if paren(self) {
                    let n = self.type_number("length", 1);
                    self.expect(TokenKind::RParen)?;
                    Some(n)
                } else {
                    None
                };
                if w == "string" {
                    TypeKind::String(n)
                } else if w == "nstring" {
                    TypeKind::NString(n)
                } else {
                    TypeKind::Binary(n)
                }
            }
            "char" => {
                self.expect(TokenKind::LParen)?;
                let n = self.type_number("length", 1);
                self.expect(TokenKind::RParen)?;
                TypeKind::Char(n)
            }
            "numeric" => self.numeric()?,
            "timestamp" => {
                let tz = paren(self);
                if tz {
                    self.expect_word("tz")?;
                    self.expect(TokenKind::RParen)?;
                }
                TypeKind::Timestamp { tz }
            }
            "enum" => self.enum_type()?,
            _ => {
                // "raw"
                self.expect(TokenKind::LParen)?;
                let (sql, _) = self.text_value()?;
                self.expect(TokenKind::RParen)?;
                TypeKind::Raw(sql)
            }
        };
        let mut ty = ColumnType::new(kind, self.span(t.start, self.prev_end));
        while self.eat_word("variant").is_some() {
            let (d, _) = self.dialect()?;
            let (sql, _) = self.text_value()?;
            ty.variants.insert(d, sql);
        }
        ty.span = self.span(t.start, self.prev_end);
        Ok(ty)
    }

    /// ```text
    /// "numeric" [ "(" number [ "," number ] ")" ]
    /// ```
    /// (after `numeric`).
    fn numeric(&mut self) -> PResult<TypeKind> {
        let (mut precision, mut scale) = (None, None);
        if self.eat(TokenKind::LParen).is_some() {
            precision = Some(self.type_number("precision", 1));
            if self.eat(TokenKind::Comma).is_some() {
                scale = Some(self.type_number("scale", 0));
            }
            self.expect(TokenKind::RParen)?;
        }
        Ok(TypeKind::Numeric { precision, scale })
    }

    /// ```text
    /// "enum" "(" name ":" sqlstring { "," sqlstring } ")"
    /// ```
    /// (after `enum`).
    fn enum_type(&mut self) -> PResult<TypeKind> {
        self.expect(TokenKind::LParen)?;
        let name = self.name()?;
        self.expect(TokenKind::Colon)?;
        let mut values = vec![self.sql_string()?];
        while self.eat(TokenKind::Comma).is_some() {
            values.push(self.sql_string()?);
        }
        self.expect(TokenKind::RParen)?;
        Ok(TypeKind::Enum(EnumType { name, values }))
    }

    // ---- columns ----

    /// ```text
    /// column = name ":" type { col_attr }
    /// ```
    fn column(&mut self, ctx: Ctx) -> PResult<ColumnDef> {
        let start = self.peek().start;
        let name = self.name()?;
        self.expect(TokenKind::Colon)?;
        let ty = self.ty()?;
        let attrs = self.attrs(ctx)?;
        Ok(ColumnDef {
            name,
            ty,
            attrs,
            span: self.span(start, self.prev_end),
        })
    }

    /// True when `primary_key` / `unique` here opens a table item: `unique [name] (`.
    /// A column attribute word after it (`primary_key identity(always)`,
    /// `unique check (..)`) is that attribute, not a constraint's name: a
    /// constraint called so is written quoted (`unique "identity" (a)`).
    /// `primary_key only (postgresql) ...` is the column's key, then a qualifier.
    fn at_table_constraint(&mut self) -> bool {
        if self.is_word(1, "only") && self.kind(2) == TokenKind::LParen {
            let t = self.peek_nth(3);
            if t.kind == TokenKind::Word && Dialect::from_str(self.src(t)).is_ok() {
                return false;
            }
        }
        let attr_next = ATTRS.iter().any(|a| self.is_word(1, a));
        self.kind(1) == TokenKind::LParen
            || (matches!(self.kind(1), TokenKind::Word | TokenKind::Str)
                && self.kind(2) == TokenKind::LParen
                && !attr_next)
    }

    /// ```text
    /// col_attr = "not_null" | "null" | "primary_key" | "unique" | "autoincrement"
    ///          | "identity" [ "(" [ "always" ] [ "start" number ] [ "increment" number ] ")" ]
    ///          | "default" default | "comment" sqlstring | "check" [ name ] fragment
    ///          | "references" [ cname ] qname names fk_opts | "computed" fragment [ "stored" | "virtual" ]
    /// ```
    fn attrs(&mut self, ctx: Ctx) -> PResult<Vec<(Attr, Span)>> {
        let mut out = Vec::new();
        loop {
            let t = self.peek();
            if t.kind != TokenKind::Word
                || matches!(self.kind(1), TokenKind::Colon | TokenKind::Dot)
            {
                return Ok(tight(out));
            }
            let step = if self.at_only() {
                // At a line's start in a table block, `only (...)` qualifies the next item.
                if ctx == Ctx::Table && t.line_start {
                    return Ok(tight(out));
                }
                self.only_attr(ctx)?
            } else {
                self.attr(t, ctx)?
            };
            match step {
                AttrStep::Attr(attr) => out.push((*attr, self.span(t.start, self.prev_end))),
                AttrStep::Skipped => {}
                AttrStep::End => return Ok(tight(out)),
            }
        }
    }

    /// ```text
    /// col_attr = "only" "(" dialect { "," dialect } ")" col_attr
    /// ```
    fn only_attr(&mut self, ctx: Ctx) -> PResult<AttrStep> {
        let only = self.only()?;
        let t = self.peek();
        match self.attr(t, ctx)? {
            AttrStep::Attr(attr) => Ok(AttrStep::Attr(Box::new(Attr::Only(only, attr)))),
            AttrStep::Skipped => Ok(AttrStep::Skipped),
            AttrStep::End => self.unexpected(&["a column attribute after `only (...)`"], ATTRS),
        }
    }

    /// The column attribute that starts at `t`.
    fn attr(&mut self, t: Token, ctx: Ctx) -> PResult<AttrStep> {
        if t.kind != TokenKind::Word {
            return Ok(AttrStep::End);
        }
        let w = self.src(t);
        let attr = match w {
            "not_null" | "null" | "autoincrement" => {
                self.bump();
                match w {
                    "not_null" => Attr::NotNull,
                    "null" => Attr::Null,
                    _ => Attr::Autoincrement,
                }
            }
            "primary_key" | "unique" => {
                if ctx == Ctx::Table && self.at_table_constraint() {
                    return Ok(AttrStep::End);
                }
                self.bump();
                if w == "unique" {
                    Attr::Unique
                } else {
                    Attr::PrimaryKey
                }
            }
            "identity" => {
                self.bump();
                Attr::Identity(self.identity()?)
            }
            "default" => {
                self.bump();
                Attr::Default(self.default_value()?)
            }
            "comment" => {
                self.bump();
                Attr::Comment(self.sql_string()?)
            }
            "check" => {
                self.bump();
                let name = self.opt_name_before_paren()?;
                Attr::Check(name, self.fragment()?)
            }
            "references" => {
                self.bump();
                let name = self.references_name()?;
                let table = self.qname()?;
                let (cols, _) = self.names()?;
                Attr::References(name, table, cols, self.fk_opts()?)
            }
            "computed" => {
                self.bump();
                let expr = self.fragment()?;
                let stored = self.eat_word("stored").is_some();
                if !stored {
                    self.eat_word("virtual");
                }
                Attr::Computed(expr, stored)
            }
            _ if self.unknown_attr(t, ctx) => return Ok(AttrStep::Skipped),
            _ => return Ok(AttrStep::End),
        };
        Ok(AttrStep::Attr(Box::new(attr)))
    }

    /// ```text
    /// "identity" [ "(" { identity_opt } ")" ]
    /// identity_opt = "always" | "start" number | "increment" number
    ///              | "minvalue" number | "maxvalue" number | "cycle" | "cache" number
    ///              | "on_null" | "order"
    /// ```
    /// (after `identity`).
    fn identity(&mut self) -> PResult<IdentityOpts> {
        let mut o = IdentityOpts::default();
        if self.eat(TokenKind::LParen).is_some() {
            while self.identity_opt(&mut o)? {}
            if self.kind(0) != TokenKind::RParen {
                let words = IDENTITY_OPTS.map(|w| format!("`{w}`"));
                let mut expected: Vec<&str> = words.iter().map(String::as_str).collect();
                expected.push("`)`");
                return self.unexpected(&expected, &IDENTITY_OPTS);
            }
            self.bump();
        }
        Ok(o)
    }

    /// One option inside `identity( ... )`; false at anything else.
    fn identity_opt(&mut self, o: &mut IdentityOpts) -> PResult<bool> {
        let t = self.peek();
        if t.kind != TokenKind::Word || !IDENTITY_OPTS.contains(&self.src(t)) {
            return Ok(false);
        }
        self.bump();
        match self.src(t) {
            "always" => o.always = true,
            "cycle" => o.cycle = true,
            "order" => o.order = true,
            "on_null" => o.on_null = Some(self.tspan(t)),
            "start" => o.start = Some(self.integer()?),
            "increment" => o.increment = Some(self.integer()?),
            "minvalue" => o.minvalue = Some(self.integer()?),
            "maxvalue" => o.maxvalue = Some(self.integer()?),
            _ => o.cache = Some(self.integer()?),
        }
        Ok(true)
    }

    /// A word `t` that is no column attribute: false when it ends the
    /// attribute list (what comes next: a table item, an op, a likely
    /// misspelt op, a new line that is no misspelt attribute); else it is
    /// reported and skipped, and the list goes on.
    fn unknown_attr(&mut self, t: Token, ctx: Ctx) -> bool {
        let w = self.src(t);
        let ends = TABLE_ITEMS.contains(&w)
            || is_op(w)
            || (ctx == Ctx::AddColumn && w == "if_not_exists")
            || closest(w, op_keywords()).is_some()
            || (t.line_start && closest(w, ATTRS.iter().copied()).is_none());
        if ends {
            return false;
        }
        self.bump();
        let _ = self.error(
            Diagnostic::error(
                Code::UnknownAttribute,
                format!("unknown column attribute `{}`", brief(w)),
            )
            .at(self.tspan(t), "not a column attribute")
            .with_suggestion(w, ATTRS.iter().copied()),
        );
        true
    }

    /// ```text
    /// default = literal | "now" "(" ")" | "current_timestamp" | "current_date"
    ///         | "nextval" "(" qname ")" | fragment
    /// ```
    fn default_value(&mut self) -> PResult<Default> {
        let t = self.peek();
        match (t.kind, self.src(t)) {
            (TokenKind::LParen, _) => self.fragment().map(Default::Expr),
            (TokenKind::Word, "now") => {
                self.bump();
                self.expect(TokenKind::LParen)?;
                self.expect(TokenKind::RParen)?;
                Ok(Default::Now)
            }
            (TokenKind::Word, "current_timestamp") => {
                self.bump();
                Ok(Default::Now)
            }
            (TokenKind::Word, "current_date") => {
                self.bump();
                Ok(Default::CurrentDate)
            }
            (TokenKind::Word, "nextval") => {
                self.bump();
                self.expect(TokenKind::LParen)?;
                let seq = self.qname()?;
                self.expect(TokenKind::RParen)?;
                Ok(Default::NextVal(seq))
            }
            _ => match self.literal() {
                Ok((lit, _)) => Ok(Default::Literal(lit)),
                // `literal` reported it with its own wording.
                Err(r) => Err(r),
            },
        }
    }

    /// ```text
    /// literal = number | sqlstring | "true" | "false" | "null"
    /// ```
    fn literal(&mut self) -> PResult<(Literal, Span)> {
        let t = self.peek();
        let w = self.src(t);
        let lit =
            match t.kind {
                TokenKind::Number => {
                    let int = w
                        .trim_start_matches(['-', '+'])
                        .bytes()
                        .all(|b| b.is_ascii_digit());
                    if int {
                        Literal::Integer(w.to_string())
                    } else {
                        Literal::Decimal(w.to_string())
                    }
                }
                TokenKind::SqlStr => Literal::String(unquote(t.kind, w)),
                TokenKind::Word if w == "true" => Literal::Bool(true),
                TokenKind::Word if w == "false" => Literal::Bool(false),
                TokenKind::Word if w == "null" => Literal::Null,
                _ => return self.unexpected(
                    &["a value (number, `'string'`, `true`, `false`, `null`, `now()`, `(expr)`)"],
                    &["true", "false", "null", "now", "current_date", "nextval"],
                ),
            };
        self.bump();
        Ok((lit, self.tspan(t)))
    }

    /// ```text
    /// fk_opts = [ "on_delete" action ] [ "on_update" action ]
    ///           [ "deferrable" | "not_deferrable" ] [ "initially" ( "deferred" | "immediate" ) ]
    /// ```
    fn fk_opts(&mut self) -> PResult<FkOpts> {
        let mut o = FkOpts::default();
        loop {
            if self.eat_word("on_delete").is_some() {
                o.on_delete = Some(self.action()?);
            } else if self.eat_word("on_update").is_some() {
                o.on_update = Some(self.action()?);
            } else if self.eat_word("deferrable").is_some() {
                o.deferrable = Some(true);
            } else if self.eat_word("not_deferrable").is_some() {
                o.deferrable = Some(false);
            } else if self.eat_word("initially").is_some() {
                if self.eat_word("deferred").is_some() {
                    o.initially_deferred = Some(true);
                } else if self.eat_word("immediate").is_some() {
                    o.initially_deferred = Some(false);
                } else {
                    return self
                        .unexpected(&["`deferred`", "`immediate`"], &["deferred", "immediate"]);
                }
            } else if let Some(t) = self.eat_word("match") {
                let next = self.peek();
                let m = match self.src(next) {
                    "full" => FkMatch::Full,
                    "partial" => FkMatch::Partial,
                    "simple" => FkMatch::Simple,
                    _ => {
                        return self.unexpected(
                            &["`full`", "`partial`", "`simple`"],
                            &["full", "partial", "simple"],
                        )
                    }
                };
                self.bump();
                o.match_kind = Some((m, self.span(t.start, self.prev_end)));
            } else if self.is_word(0, "not_valid") {
                // create_foreign_key's, read after the options.
                return Ok(o);
            } else {
                // A likely typo of an option (not another attribute or the next op).
                let t = self.peek();
                let w = self.src(t);
                if t.kind == TokenKind::Word
                    && !t.line_start
                    && !ATTRS.contains(&w)
                    && closest(w, FK_OPTS.iter().copied()).is_some()
                {
                    self.bump();
                    return Err(self.error(
                        Diagnostic::error(
                            Code::UnknownOption,
                            format!("unknown foreign key option `{}`", brief(w)),
                        )
                        .at(self.tspan(t), "not a foreign key option")
                        .with_suggestion(w, FK_OPTS.iter().copied()),
                    ));
                }
                return Ok(o);
            }
        }
    }

    /// ```text
    /// action = "cascade" | "set_null" | "set_default" | "restrict" | "no_action"
    /// ```
    fn action(&mut self) -> PResult<FkAction> {
        let t = self.peek();
        let a = match self.src(t) {
            "cascade" => FkAction::Cascade,
            "set_null" => FkAction::SetNull,
            "set_default" => FkAction::SetDefault,
            "restrict" => FkAction::Restrict,
            "no_action" => FkAction::NoAction,
            _ => {
                return self.unexpected(
                    &["a referential action (`cascade`, `set_null`, ...)"],
                    ACTIONS,
                )
            }
        };
        self.bump();
        Ok(a)
    }

    // ---- table block ----

    /// ```text
    /// table_block = "{" { table_item } "}"
    /// ```
    fn table_block(&mut self) -> PResult<(Vec<TableItem>, Span)> {
        let open = self.expect(TokenKind::LBrace)?;
        let items = self.items(
            |p| p.kind(0) == TokenKind::RBrace || p.at_next_op(),
            Self::table_item,
            Self::recover_line,
        );
        if self.at_next_op() {
            // The `}` was forgotten: the next op starts; end the table here.
            let _: PResult<()> = self.unexpected(&["`}`"], &[]);
        } else {
            self.expect_close(&["a column", "`}`"])?;
        }
        Ok((items, self.span(open.start, self.prev_end)))
    }

    /// An op keyword starts a line here (and is not a column or option name).
    fn at_next_op(&mut self) -> bool {
        let t = self.peek();
        t.kind == TokenKind::Word
            && t.line_start
            && is_op(self.src(t))
            && !matches!(self.kind(1), TokenKind::Colon | TokenKind::Dot)
    }

    /// ```text
    /// table_item = column
    ///            | "primary_key" [ name ] names | "unique" [ name ] names
    ///            | "check" [ name ] fragment
    ///            | "foreign_key" [ name ] names "->" qname names fk_opts
    ///            | "index" [ name ] index_parts { index_opt }
    ///            | "table_comment" sqlstring | option
    /// ```
    fn table_item(&mut self) -> PResult<TableItem> {
        if self.at_only() {
            let only = self.only()?;
            let item = self.table_item()?;
            return Ok(TableItem::Only(only, Box::new(item)));
        }
        let t = self.peek();
        if matches!(t.kind, TokenKind::Word | TokenKind::Str) && self.kind(1) == TokenKind::Colon {
            return self.column(Ctx::Table).map(TableItem::Column);
        }
        if self.at_option() {
            return self.option().map(TableItem::Option);
        }
        let w = self.src(t);
        if t.kind != TokenKind::Word {
            return self.unexpected(&["a column (`name : type`)", "`}`"], &[]);
        }
        match w {
            "primary_key" | "unique" | "check" | "foreign_key" => {
                self.constraint_def(w).map(TableItem::Constraint)
            }
            "index" => {
                self.bump();
                self.index_def(None, t.start, true).map(TableItem::Index)
            }
            "table_comment" | "comment" => {
                self.bump();
                let c = self.sql_string()?;
                Ok(TableItem::Comment(c, self.span(t.start, self.prev_end)))
            }
            _ if closest(w, TABLE_ITEMS.iter().copied()).is_none() => {
                // Most likely a column whose `:` is missing; let `column` say so.
                self.column(Ctx::Table).map(TableItem::Column)
            }
            _ => self.unexpected(
                &["a column (`name : type`)", "a table item", "`}`"],
                TABLE_ITEMS,
            ),
        }
    }

    /// A constraint after its keyword `w` (table item or op):
    /// `primary_key [name] names` etc.
    fn constraint_def(&mut self, w: &str) -> PResult<ConstraintDef> {
        let start = self.bump().start;
        let name = self.opt_name_before_paren()?;
        let kind = self.constraint_body(w)?;
        Ok(ConstraintDef {
            name,
            kind,
            span: self.span(start, self.prev_end),
        })
    }

    fn constraint_body(&mut self, w: &str) -> PResult<ConstraintBody> {
        Ok(match w {
            "primary_key" => ConstraintBody::PrimaryKey(self.names()?.0),
            "unique" => ConstraintBody::Unique(self.names()?.0),
            "check" => ConstraintBody::Check(self.fragment()?),
            _ => {
                let (columns, columns_span) = self.names()?;
                self.expect(TokenKind::Arrow)?;
                let ref_table = self.qname()?;
                let (ref_columns, ref_span) = self.names()?;
                ConstraintBody::ForeignKey {
                    columns,
                    columns_span,
                    ref_table,
                    ref_columns,
                    ref_span,
                    opts: self.fk_opts()?,
                }
            }
        })
    }

    /// ```text
    /// index_parts = "(" index_part { "," index_part } ")"
    /// index_part  = name [ "(" number ")" ] [ "asc" | "desc" ] | fragment
    /// index_opt   = "unique" | "where" fragment | "include" names | "concurrently"
    ///             | "if_not_exists" | option
    /// ```
    fn index_def(
        &mut self,
        table: Option<QualifiedName>,
        start: usize,
        in_table: bool,
    ) -> PResult<IndexDef> {
        let name = if in_table {
            self.opt_name_before_paren()?
        } else {
            None
        };
        self.index_rest(name, table, start, in_table)
    }

    fn index_rest(
        &mut self,
        name: Option<Ident>,
        table: Option<QualifiedName>,
        start: usize,
        in_table: bool,
    ) -> PResult<IndexDef> {
        self.expect(TokenKind::LParen)?;
        let mut parts = Vec::new();
        loop {
            if self.kind(0) == TokenKind::LParen {
                parts.push(IndexPart::Expr(self.fragment()?));
            } else {
                let name = self.name()?;
                let mut length = None;
                if self.eat(TokenKind::LParen).is_some() {
                    length = Some(self.type_number("prefix length", 1));
                    self.expect(TokenKind::RParen)?;
                }
                let desc = self.eat_word("desc").is_some();
                if !desc {
                    self.eat_word("asc");
                }
                parts.push(IndexPart::Column { name, desc, length });
            }
            if self.eat(TokenKind::Comma).is_none() {
                break;
            }
        }
        self.expect(TokenKind::RParen)?;
        let mut idx = IndexDef {
            name,
            table,
            parts,
            unique: false,
            where_clause: None,
            include: Vec::new(),
            concurrently: false,
            if_not_exists: false,
            options: Vec::new(),
            span: Span::NONE,
        };
        loop {
            let t = self.peek();
            if in_table && t.line_start {
                break;
            }
            if self.at_option() {
                idx.options.push(self.option()?);
                continue;
            }
            match (t.kind, self.src(t)) {
                (TokenKind::Word, "unique") => {
                    self.bump();
                    idx.unique = true;
                }
                (TokenKind::Word, "where") => {
                    self.bump();
                    idx.where_clause = Some(self.fragment()?);
                }
                (TokenKind::Word, "include") => {
                    self.bump();
                    idx.include = self.names()?.0;
                }
                (TokenKind::Word, "concurrently") if !in_table => {
                    self.bump();
                    idx.concurrently = true;
                }
                (TokenKind::Word, "if_not_exists") if !in_table => {
                    self.bump();
                    idx.if_not_exists = true;
                }
                _ => break,
            }
        }
        idx.span = self.span(start, self.prev_end);
        Ok(idx)
    }

    // ---- ops ----

    /// ```text
    /// op = <one production per op of `ir::OpName`, below>
    /// ```
    /// An exhaustive match on the op table, so an op added to it does not
    /// compile until it is parsed.
    fn op(&mut self) -> PResult<Op> {
        let t = self.peek();
        if t.kind != TokenKind::Word {
            return self.unexpected(&["an operation", "`}`"], &[]);
        }
        let w = self.src(t);
        if self.at_only() {
            return self.only_block();
        }
        if self.at_review() {
            return Err(self.review());
        }
        let Some(name) = OpName::of_keyword(w) else {
            return Err(self.error(
                Diagnostic::error(Code::UnknownOp, format!("unknown operation `{}`", brief(w)))
                    .at(self.tspan(t), "not an operation")
                    .with_suggestion(w, op_keywords()),
            ));
        };
        self.bump();
        let kind = match name {
            OpName::CreateTable => self.create_table()?,
            OpName::DropTable => self.drop_table()?,
            OpName::RenameTable => self.rename_table()?,
            OpName::AddColumn => self.add_column()?,
            OpName::DropColumn => self.drop_column()?,
            OpName::AlterColumn => self.alter_column()?,
            OpName::RenameColumn => self.rename_column()?,
            OpName::CreateIndex => self.create_index(t.start)?,
            OpName::DropIndex => self.drop_index()?,
            OpName::CreatePrimaryKey => self.create_primary_key(t.start)?,
            OpName::CreateUniqueConstraint => self.create_unique_constraint(t.start)?,
            OpName::CreateCheckConstraint => self.create_check_constraint(t.start)?,
            OpName::CreateForeignKey => self.create_foreign_key(t.start)?,
            OpName::DropConstraint => self.drop_constraint()?,
            OpName::ValidateConstraint => self.validate_constraint()?,
            OpName::CreateTableComment => self.create_table_comment()?,
            OpName::DropTableComment => self.drop_table_comment()?,
            OpName::CreateSequence => self.create_sequence()?,
            OpName::DropSequence => self.drop_sequence()?,
            OpName::AddEnumValue => self.add_enum_value()?,
            OpName::RenameEnumValue => self.rename_enum_value()?,
            OpName::DropEnumValue => self.drop_enum_value()?,
            OpName::BulkInsert => self.bulk_insert()?,
            OpName::UpdateRows => self.update_rows()?,
            OpName::DeleteRows => self.delete_rows()?,
            OpName::CreateView => self.create_view(false)?,
            OpName::ReplaceView => self.create_view(true)?,
            OpName::DropView => OpKind::DropView {
                name: self.qname()?,
            },
            OpName::CreateFunction
            | OpName::ReplaceFunction
            | OpName::DropFunction
            | OpName::CreateProcedure
            | OpName::ReplaceProcedure
            | OpName::DropProcedure
            | OpName::CreateTrigger
            | OpName::ReplaceTrigger
            | OpName::DropTrigger => self.routine(name)?,
            OpName::Execute => OpKind::Execute {
                bodies: self.exec_bodies()?,
            },
        };
        Ok(Op {
            kind,
            span: self.span(t.start, self.prev_end),
        })
    }

    /// ```text
    /// "create_table" qname [ "if_not_exists" ] table_block
    /// ```
    fn create_table(&mut self) -> PResult<OpKind> {
        let name = self.qname()?;
        let if_not_exists = self.eat_word("if_not_exists").is_some();
        let (items, block) = self.table_block()?;
        Ok(OpKind::CreateTable {
            name,
            if_not_exists,
            items,
            block,
        })
    }

    /// ```text
    /// "drop_table" qname [ "if_exists" ]
    /// ```
    fn drop_table(&mut self) -> PResult<OpKind> {
        Ok(OpKind::DropTable {
            name: self.qname()?,
            if_exists: self.eat_word("if_exists").is_some(),
        })
    }

    /// ```text
    /// "rename_table" qname "->" name
    /// ```
    fn rename_table(&mut self) -> PResult<OpKind> {
        let from = self.qname()?;
        self.expect(TokenKind::Arrow)?;
        Ok(OpKind::RenameTable {
            from,
            to: self.name()?,
        })
    }

    /// ```text
    /// "add_column" colref ":" type { col_attr } [ "if_not_exists" ]
    /// ```
    fn add_column(&mut self) -> PResult<OpKind> {
        let (table, name) = self.colref()?;
        let start = name.span.start as usize;
        self.expect(TokenKind::Colon)?;
        let ty = self.ty()?;
        let attrs = self.attrs(Ctx::AddColumn)?;
        let column = ColumnDef {
            name,
            ty,
            attrs,
            span: self.span(start, self.prev_end),
        };
        Ok(OpKind::AddColumn {
            table,
            column,
            if_not_exists: self.eat_word("if_not_exists").is_some(),
        })
    }

    /// ```text
    /// "drop_column" colref [ "if_exists" ]
    /// ```
    fn drop_column(&mut self) -> PResult<OpKind> {
        let (table, column) = self.colref()?;
        Ok(OpKind::DropColumn {
            table,
            column,
            if_exists: self.eat_word("if_exists").is_some(),
        })
    }

    /// ```text
    /// "alter_column" colref change { change }
    /// ```
    fn alter_column(&mut self) -> PResult<OpKind> {
        let (table, column) = self.colref()?;
        Ok(OpKind::AlterColumn {
            table,
            column,
            changes: self.changes()?,
        })
    }

    /// ```text
    /// "rename_column" colref "->" name
    /// ```
    fn rename_column(&mut self) -> PResult<OpKind> {
        let (table, column) = self.colref()?;
        self.expect(TokenKind::Arrow)?;
        Ok(OpKind::RenameColumn {
            table,
            column,
            to: self.name()?,
        })
    }

    /// The optional name before `on` of an op that creates an index or a
    /// constraint: `on` followed by a name is the keyword, not a name.
    fn name_before_on(&mut self) -> PResult<Option<Ident>> {
        if self.is_word(0, "on")
            && matches!(self.kind(1), TokenKind::Word | TokenKind::Str)
            && !self.is_word(1, "on")
        {
            return Ok(None);
        }
        Ok(Some(self.constraint_name()?))
    }

    /// ```text
    /// "create_index" [ name ] "on" qname index_parts { index_opt }
    /// ```
    fn create_index(&mut self, start: usize) -> PResult<OpKind> {
        let name = self.name_before_on()?;
        self.expect_word("on")?;
        let table = self.qname()?;
        Ok(OpKind::CreateIndex(self.index_rest(
            name,
            Some(table),
            start,
            false,
        )?))
    }

    /// ```text
    /// "drop_index" qname [ "on" qname ] { "if_exists" | "concurrently" | option }
    /// ```
    fn drop_index(&mut self) -> PResult<OpKind> {
        let name = match self.at_conv() {
            true => QualifiedName::bare(self.conv_name()?),
            false => self.qname()?,
        };
        let table = match self.eat_word("on") {
            Some(_) => Some(self.qname()?),
            None => None,
        };
        let (mut if_exists, mut concurrently) = (false, false);
        let mut options = Vec::new();
        loop {
            if self.at_option() {
                options.push(self.option()?);
            } else if self.eat_word("if_exists").is_some() {
                if_exists = true;
            } else if self.eat_word("concurrently").is_some() {
                concurrently = true;
            } else {
                break;
            }
        }
        Ok(OpKind::DropIndex {
            name,
            table,
            if_exists,
            concurrently,
            options,
        })
    }

    /// ```text
    /// "create_primary_key" [ name ] "on" qname names
    /// ```
    fn create_primary_key(&mut self, start: usize) -> PResult<OpKind> {
        self.add_constraint("primary_key", start)
    }

    /// ```text
    /// "create_unique_constraint" [ name ] "on" qname names
    /// ```
    fn create_unique_constraint(&mut self, start: usize) -> PResult<OpKind> {
        self.add_constraint("unique", start)
    }

    /// ```text
    /// "create_check_constraint" [ name ] "on" qname fragment
    /// ```
    fn create_check_constraint(&mut self, start: usize) -> PResult<OpKind> {
        self.add_constraint("check", start)
    }

    /// ```text
    /// "create_foreign_key" [ name ] "on" qname names "->" qname names fk_opts
    /// ```
    fn create_foreign_key(&mut self, start: usize) -> PResult<OpKind> {
        self.add_constraint("foreign_key", start)
    }

    /// The `create_*` constraint ops: `[ name ] "on" qname`, then the body
    /// of the table item `body_kw` (as in a `create_table` block).
    fn add_constraint(&mut self, body_kw: &str, start: usize) -> PResult<OpKind> {
        let name = self.name_before_on()?;
        self.expect_word("on")?;
        let table = self.qname()?;
        let kind = self.constraint_body(body_kw)?;
        let span = self.span(start, self.prev_end);
        let not_valid = match body_kw {
            "check" | "foreign_key" => self.eat_word("not_valid").map(|t| self.tspan(t)),
            _ => None,
        };
        Ok(OpKind::AddConstraint {
            table,
            constraint: ConstraintDef { name, kind, span },
            not_valid,
        })
    }

    /// ```text
    /// "validate_constraint" cname "on" qname
    /// ```
    fn validate_constraint(&mut self) -> PResult<OpKind> {
        let name = self.constraint_name()?;
        self.expect_word("on")?;
        let table = self.qname()?;
        Ok(OpKind::ValidateConstraint { name, table })
    }

    /// ```text
    /// "drop_constraint" name "on" qname [ "type" word ] [ "if_exists" ]
    /// ```
    fn drop_constraint(&mut self) -> PResult<OpKind> {
        let name = self.constraint_name()?;
        self.expect_word("on")?;
        let table = self.qname()?;
        let kind = match self.eat_word("type") {
            Some(_) => Some(self.name()?),
            None => None,
        };
        let if_exists = self.eat_word("if_exists").is_some();
        Ok(OpKind::DropConstraint {
            name,
            table,
            kind,
            if_exists,
        })
    }

    /// ```text
    /// "create_table_comment" qname sqlstring
    /// ```
    fn create_table_comment(&mut self) -> PResult<OpKind> {
        Ok(OpKind::TableComment {
            table: self.qname()?,
            comment: Some(self.sql_string()?),
        })
    }

    /// ```text
    /// "drop_table_comment" qname
    /// ```
    fn drop_table_comment(&mut self) -> PResult<OpKind> {
        Ok(OpKind::TableComment {
            table: self.qname()?,
            comment: None,
        })
    }

    /// ```text
    /// "create_sequence" qname { "start" number | "increment" number }
    /// ```
    fn create_sequence(&mut self) -> PResult<OpKind> {
        let name = self.qname()?;
        let (mut start, mut increment) = (None, None);
        loop {
            if self.eat_word("start").is_some() {
                start = Some(self.integer()?);
            } else if self.eat_word("increment").is_some() {
                increment = Some(self.integer()?);
            } else {
                break;
            }
        }
        Ok(OpKind::CreateSequence {
            name,
            start,
            increment,
        })
    }

    /// ```text
    /// "drop_sequence" qname
    /// ```
    fn drop_sequence(&mut self) -> PResult<OpKind> {
        Ok(OpKind::DropSequence {
            name: self.qname()?,
        })
    }

    /// An enum value: a string literal, with its span.
    fn enum_value(&mut self) -> PResult<(String, Span)> {
        let at = self.peek();
        let v = self.sql_string()?;
        Ok((v, self.tspan(at)))
    }

    /// ```text
    /// "add_enum_value" qname sqlstring [ ( "before" | "after" ) sqlstring ]
    /// ```
    fn add_enum_value(&mut self) -> PResult<OpKind> {
        let name = self.qname()?;
        let (value, value_span) = self.enum_value()?;
        let position = if self.eat_word("before").is_some() {
            let (v, sp) = self.enum_value()?;
            EnumPosition::Before(v, sp)
        } else if self.eat_word("after").is_some() {
            let (v, sp) = self.enum_value()?;
            EnumPosition::After(v, sp)
        } else {
            EnumPosition::Last
        };
        Ok(OpKind::AlterEnum(AlterEnum {
            name,
            change: EnumChange::Add(value, position),
            value_span,
        }))
    }

    /// ```text
    /// "rename_enum_value" qname sqlstring "->" sqlstring
    /// ```
    fn rename_enum_value(&mut self) -> PResult<OpKind> {
        let name = self.qname()?;
        let (from, value_span) = self.enum_value()?;
        self.expect(TokenKind::Arrow)?;
        let (to, _) = self.enum_value()?;
        Ok(OpKind::AlterEnum(AlterEnum {
            name,
            change: EnumChange::Rename(from, to),
            value_span,
        }))
    }

    /// ```text
    /// "drop_enum_value" qname sqlstring
    /// ```
    fn drop_enum_value(&mut self) -> PResult<OpKind> {
        let name = self.qname()?;
        let (value, value_span) = self.enum_value()?;
        Ok(OpKind::AlterEnum(AlterEnum {
            name,
            change: EnumChange::Drop(value),
            value_span,
        }))
    }

    /// ```text
    /// ( "create_view" | "replace_view" ) qname "as" fragment
    /// ```
    fn create_view(&mut self, replace: bool) -> PResult<OpKind> {
        let name = self.qname()?;
        self.expect_word("as")?;
        Ok(OpKind::CreateView(super::ast::ViewDef {
            name,
            query: self.fragment()?,
            replace,
        }))
    }

    /// ```text
    /// ( "create_function" | "replace_function" | "create_procedure"
    ///   | "replace_procedure" ) qname routine_sql
    /// | ( "create_trigger" | "replace_trigger" ) qname "on" qname routine_sql
    /// | ( "drop_function" | "drop_procedure" ) qname | "drop_trigger" qname "on" qname
    /// routine_sql = "{" { ( [ "raw" ] dialect | "default" ) text } "}"
    /// ```
    fn routine(&mut self, op: OpName) -> PResult<OpKind> {
        let name = self.qname()?;
        let trigger = matches!(
            op,
            OpName::CreateTrigger | OpName::ReplaceTrigger | OpName::DropTrigger
        );
        let table = match trigger {
            true => {
                self.expect_word("on")?;
                Some(self.qname()?)
            }
            false => None,
        };
        let drop = matches!(
            op,
            OpName::DropFunction | OpName::DropProcedure | OpName::DropTrigger
        );
        let bodies = match drop {
            true => Vec::new(),
            false if self.kind(0) == TokenKind::LBrace => self.exec_bodies()?,
            false => return self.unexpected(&["`{` and the SQL per dialect"], &[]),
        };
        Ok(OpKind::Routine(super::ast::RoutineDef {
            op,
            name,
            table,
            bodies,
        }))
    }

    /// ```text
    /// "bulk_insert" qname names "{" { "(" literal { "," literal } ")" } "}"
    /// ```
    fn bulk_insert(&mut self) -> PResult<OpKind> {
        let table = self.qname()?;
        let (columns, _) = self.names()?;
        self.expect(TokenKind::LBrace)?;
        let mut rows = Vec::new();
        while self.kind(0) != TokenKind::RBrace {
            let open = self.expect(TokenKind::LParen)?;
            let mut row = vec![self.literal()?];
            while self.eat(TokenKind::Comma).is_some() {
                row.push(self.literal()?);
            }
            self.expect(TokenKind::RParen)?;
            rows.push((tight(row), self.span(open.start, self.prev_end)));
        }
        self.bump();
        Ok(OpKind::BulkInsert {
            table,
            columns,
            rows: tight(rows),
        })
    }

    /// ```text
    /// "update_rows" qname "set" name "=" set_value { "," name "=" set_value } [ "where" fragment ]
    /// set_value = literal | fragment
    /// ```
    fn update_rows(&mut self) -> PResult<OpKind> {
        let table = self.qname()?;
        if self.eat_word("set").is_none() {
            return self.unexpected(&["`set`"], &["set"]);
        }
        let mut set = Vec::new();
        loop {
            let column = self.name()?;
            self.expect(TokenKind::Eq)?;
            let value = match self.kind(0) {
                TokenKind::LParen => SetValue::Expr(self.fragment()?),
                _ => SetValue::Literal(self.literal()?.0),
            };
            set.push((column, value));
            if self.eat(TokenKind::Comma).is_none() {
                break;
            }
        }
        Ok(OpKind::UpdateRows(RowsDef {
            table,
            set: tight(set),
            where_clause: self.where_fragment()?,
        }))
    }

    /// ```text
    /// "delete_rows" qname [ "where" fragment ]
    /// ```
    fn delete_rows(&mut self) -> PResult<OpKind> {
        Ok(OpKind::DeleteRows(RowsDef {
            table: self.qname()?,
            set: Vec::new(),
            where_clause: self.where_fragment()?,
        }))
    }

    /// `[ "where" fragment ]` after a data op.
    fn where_fragment(&mut self) -> PResult<Option<Fragment>> {
        match self.eat_word("where") {
            Some(_) => Ok(Some(self.fragment()?)),
            None => Ok(None),
        }
    }

    /// ```text
    /// exec_body = text | [ "raw" ] dialect text | [ "raw" ] dialect "{" text "}"
    ///           | "{" { ( [ "raw" ] dialect | "default" ) text } "}"
    /// ```
    fn exec_bodies(&mut self) -> PResult<Vec<ExecBody>> {
        match self.kind(0) {
            TokenKind::Str | TokenKind::TripleStr => Ok(vec![ExecBody {
                dialect: None,
                sql: self.text_fragment()?,
                raw: None,
            }]),
            TokenKind::LBrace => {
                self.bump();
                let mut out = Vec::new();
                while self.eat(TokenKind::RBrace).is_none() {
                    let raw = self.eat_word("raw").map(|t| self.tspan(t));
                    let d = if raw.is_none() && self.eat_word("default").is_some() {
                        None
                    } else if self.kind(0) == TokenKind::Word {
                        Some(self.dialect()?)
                    } else {
                        return self.unexpected(&["a dialect", "`default`", "`}`"], &[]);
                    };
                    out.push(ExecBody {
                        dialect: d,
                        sql: self.text_fragment()?,
                        raw,
                    });
                }
                Ok(out)
            }
            TokenKind::Word => {
                let raw = self.eat_word("raw").map(|t| self.tspan(t));
                let d = self.dialect()?;
                let braced = self.eat(TokenKind::LBrace).is_some();
                let body = self.text_fragment()?;
                if braced {
                    self.expect(TokenKind::RBrace)?;
                }
                Ok(vec![ExecBody {
                    dialect: Some(d),
                    sql: body,
                    raw,
                }])
            }
            _ => self.unexpected(&["SQL text in quotes", "a dialect", "`{`"], &[]),
        }
    }

    /// ```text
    /// change = "type" type [ "using" fragment ] | "not_null" | "null"
    ///        | "default" default | "drop_default" | "rename" name
    ///        | "comment" sqlstring | "drop_comment"
    ///        | "identity" [ "(" { identity_opt } ")" ] | "autoincrement" | "drop_identity"
    /// ```
    fn changes(&mut self) -> PResult<Vec<(Change, Span)>> {
        let mut out = Vec::new();
        loop {
            let t = self.peek();
            let w = self.src(t);
            if t.kind != TokenKind::Word {
                break;
            }
            if !CHANGES.contains(&w) {
                if is_op(w)
                    || closest(w, op_keywords()).is_some()
                    || (t.line_start && closest(w, CHANGES.iter().copied()).is_none())
                {
                    break;
                }
                self.bump();
                let _ = self.error(
                    Diagnostic::error(
                        Code::UnknownAttribute,
                        format!("unknown column change `{}`", brief(w)),
                    )
                    .at(self.tspan(t), "not a change `alter_column` knows")
                    .with_suggestion(w, CHANGES.iter().copied()),
                );
                continue;
            }
            self.bump();
            let change = self.change(w)?;
            out.push((change, self.span(t.start, self.prev_end)));
        }
        if out.is_empty() {
            return self.unexpected(
                &["a change (`type`, `not_null`, `null`, `default`, `rename`, ...)"],
                CHANGES,
            );
        }
        Ok(out)
    }

    /// The rest of the change `w` (one of [`CHANGES`], just read).
    fn change(&mut self, w: &str) -> PResult<Change> {
        Ok(match w {
            "type" => {
                let ty = self.ty()?;
                let using = match self.eat_word("using") {
                    Some(_) => Some(self.fragment()?),
                    None => None,
                };
                Change::Type(ty, using)
            }
            "not_null" | "null" => Change::Nullable(w == "null"),
            "default" => Change::Default(self.default_value()?),
            "drop_default" => Change::DropDefault,
            "rename" => Change::Rename(self.name()?),
            "comment" => Change::Comment(self.sql_string()?),
            "drop_comment" => Change::DropComment,
            "identity" => Change::Identity(self.identity()?),
            "autoincrement" => Change::Identity(IdentityOpts::default()),
            _ => Change::DropIdentity,
        })
    }
}

/// The op keywords, from the op table: what recovery stops at and what
/// "did you mean" offers.
fn op_keywords() -> impl Iterator<Item = &'static str> {
    OpName::ALL.iter().map(|op| op.keyword())
}

/// True when `word` is an op keyword.
fn is_op(word: &str) -> bool {
    OpName::of_keyword(word).is_some()
}

/// A word from the file as a message quotes it: at most 60 chars (a
/// message must not repeat a megabyte-long word; the caret shows where it is).
fn brief(s: &str) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(60) {
        None => s.into(),
        Some((cut, _)) => format!("{}...", &s[..cut]).into(),
    }
}

/// `v` without spare capacity: a syntax tree holds many short lists, and a
/// list grown by pushes keeps room for four, which multiplies the memory a
/// file of small ops takes.
fn tight<T>(mut v: Vec<T>) -> Vec<T> {
    v.shrink_to_fit();
    v
}

/// "a, b or c".
fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<Diagnostic> {
        let mut diags = Diagnostics::new();
        Parser::new(text, FileId(0), &mut diags).file();
        diags.into_vec()
    }

    /// Tokens in `text` (an upper bound on useful errors).
    fn token_count(text: &str) -> usize {
        super::super::lexer::lex(text).len()
    }

    const HEADER: &str = "revision \"a\" revises base message \"m\"\n";

    #[test]
    fn a_stray_brace_anywhere_ends_with_few_errors() {
        let cases = [
            "}".to_string(),
            "}}}}".to_string(),
            "revises }".to_string(),
            "message }".to_string(),
            "doc }".to_string(),
            "labels }".to_string(),
            "labels (}".to_string(),
            "revision }\nrevises }\nmessage }\ndoc }\nlabels }\n".to_string(),
            format!("{HEADER}}}"),
            format!("{HEADER}upgrade }}"),
            format!("{HEADER}upgrade {{ }} }}"),
            format!("{HEADER}upgrade {{ }} downgrade }}"),
            format!("{HEADER}upgrade {{ }} downgrade auto }}"),
            format!("{HEADER}upgrade {{ create_table t {{ }} }} }} downgrade auto"),
            format!("{HEADER}upgrade {{ create_table t {{ a : }} }} }}"),
            format!("{HEADER}upgrade {{ execute {{ }} }} }}"),
            format!("{HEADER}upgrade {{ bulk_insert t (a) {{ }} }} }}"),
        ];
        for text in &cases {
            let diags = parse(text);
            assert!(!diags.is_empty(), "{text:?}: no error");
            // One error per line at most, and one for the missing rest.
            let lines = text.lines().count().max(1);
            assert!(diags.len() <= lines + 2, "{text:?}: {diags:#?}");
            assert!(diags.iter().all(|d| d.primary.is_some()), "{text:?}");
        }
    }

    /// Token soups over the language's alphabet, braces and header keys
    /// included, from a fixed seed: every one ends, with at most one error
    /// per token (plus the limit's own), each located.
    #[test]
    fn generated_hostile_inputs_always_end() {
        let pieces = [
            "}",
            "{",
            "(",
            ")",
            ")",
            ",",
            ".",
            ":",
            "->",
            "=",
            "\n",
            " ",
            "revision",
            "revises",
            "message",
            "doc",
            "labels",
            "base",
            "upgrade",
            "downgrade",
            "auto",
            "irreversible",
            "create_table",
            "add_column",
            "t",
            "t.c",
            "integer",
            "string(",
            "not_null",
            "default",
            "check",
            "index",
            "unique",
            "primary_key",
            "references",
            "execute",
            "bulk_insert",
            "alter_column",
            "type",
            "\"x\"",
            "'y'",
            "\"\"\"z\"\"\"",
            "\"",
            "'",
            "\"\"\"",
            "#",
            "1",
            "-",
            "@",
            "é",
            "postgresql.",
            "mysql",
            "variant",
            "on",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..3000 {
            let len = (next() % 60) as usize;
            let mut text = String::new();
            if round % 3 == 0 {
                text.push_str(HEADER);
                text.push_str("upgrade {\n");
            }
            for _ in 0..len {
                text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
                if next() % 3 == 0 {
                    text.push(' ');
                }
            }
            let diags = parse(&text);
            assert!(
                diags.len() <= token_count(&text) + 1,
                "{text:?}: {} errors",
                diags.len()
            );
            assert!(diags.iter().all(|d| d.primary.is_some()), "{text:?}");
        }
    }

    #[test]
    fn an_empty_file_says_so() {
        for text in ["", "  \n\t\n", "# only a comment\n# and another"] {
            let diags = parse(text);
            assert_eq!(diags.len(), 1, "{text:?}");
            assert_eq!(diags[0].code, Code::EmptyFile);
        }
    }

    #[test]
    fn messages_quote_at_most_sixty_chars_of_a_word() {
        let word = "x".repeat(1_000_000);
        let diags = parse(&format!("{HEADER}upgrade {{\n {word}\n}}\ndowngrade auto"));
        assert_eq!(diags[0].code, Code::UnknownOp);
        assert!(diags[0].message.len() < 100, "{}", diags[0].message);
        assert!(diags[0]
            .message
            .contains(&format!("`{}...`", "x".repeat(60))));
    }

    #[test]
    fn errors_stop_at_the_limit() {
        let text = "@\n".repeat(10 * MAX_ERRORS);
        let diags = parse(&text);
        assert_eq!(diags.len(), MAX_ERRORS + 1);
        assert_eq!(diags.last().map(|d| d.code), Some(Code::TooManyErrors));
    }

    #[test]
    fn a_stall_halts_the_parser_with_a_located_error() {
        let mut diags = Diagnostics::new();
        let mut p = Parser::new("revision \"a\"", FileId(0), &mut diags);
        p.strict = false;
        for _ in 0..=STALL_LIMIT {
            p.peek();
        }
        assert_eq!(p.kind(0), TokenKind::Eof);
        assert_eq!(p.diags.len(), 1);
        assert_eq!(p.diags.as_slice()[0].code, Code::InternalError);
        assert!(p.diags.as_slice()[0].primary.is_some());
        // Halted: the rest of the file is not read and nothing more is reported.
        p.file();
        assert_eq!(diags.len(), 1);
    }

    /// NUL (and the other refused characters) anywhere: one located error each,
    /// whatever the token around it (docs/dsl.md, "Characters").
    #[test]
    fn refused_characters_are_located_errors_in_every_context() {
        let contexts = [
            "upgrade {\n add_column t.a : text default 'x\u{0}y'\n}\ndowngrade auto",
            "upgrade {\n drop_table \"vic\u{0}tim\"\n}\ndowngrade auto",
            "upgrade {\n drop_table t # note \u{0} here\n}\ndowngrade auto",
            "doc \"\"\"a\u{0}b\"\"\"\nupgrade { }\ndowngrade auto",
            "upgrade {\n create_check_constraint on t (a <> '\u{0}')\n}\ndowngrade auto",
            "upgrade {\n execute \"SELECT '\u{0}'\"\n}\ndowngrade auto",
            "upgrade {\n drop_table t\u{0}\n}\ndowngrade auto",
        ];
        for body in contexts {
            for c in [
                '\u{0}', '\u{1b}', '\r', '\u{2028}', '\u{202e}', '\u{feff}', '\u{85}',
            ] {
                let text = format!("{HEADER}{body}").replace('\u{0}', &c.to_string());
                let nul = text.find(c).unwrap();
                if text[nul..].starts_with("\r\n") {
                    continue; // a line end, not a lone CR
                }
                let diags = parse(&text);
                assert_eq!(diags.len(), 1, "{c:?} in {body:?}: {diags:#?}");
                assert_eq!(diags[0].code, Code::RefusedCharacter);
                let at = diags[0].primary.as_ref().unwrap().span;
                assert_eq!(at.start as usize, nul, "{c:?} in {body:?}");
            }
        }
        let diags =
            parse("revision \"a\" revises base message \"m\u{0}\" upgrade {} downgrade auto");
        assert_eq!(diags[0].code, Code::RefusedCharacter);
        assert!(
            diags[0].message.contains("U+0000 (NUL)"),
            "{}",
            diags[0].message
        );
    }

    #[test]
    fn layout_characters_and_crlf_are_accepted() {
        let text = format!("{HEADER}upgrade {{\r\n\tdrop_table t\x0c\r\n}}\r\ndowngrade auto\r\n");
        assert!(parse(&text).is_empty(), "{:#?}", parse(&text));
    }

    #[test]
    fn a_stray_invisible_character_is_named() {
        for (c, name) in [
            ('\u{200b}', "U+200B (zero-width space)"),
            ('\u{a0}', "U+00A0 (no-break space)"),
            ('\u{2019}', "typographic quote"),
        ] {
            let diags = parse(&format!(
                "{HEADER}upgrade {{\n drop_table{c}t\n}}\ndowngrade auto"
            ));
            assert!(
                diags.iter().any(|d| d.message.contains(name)),
                "{c:?}: {diags:#?}"
            );
        }
    }

    #[test]
    fn a_quoted_name_cannot_hold_an_invisible_character() {
        let diags = parse(&format!(
            "{HEADER}upgrade {{\n drop_table \"us\u{200b}ers\"\n}}\ndowngrade auto"
        ));
        assert_eq!(diags.len(), 1, "{diags:#?}");
        assert_eq!(diags[0].code, Code::InvalidIdentifier);
        assert!(diags[0].message.contains("zero-width space"));
        let at = diags[0].primary.as_ref().unwrap().span.start as usize;
        assert_eq!(at, HEADER.len() + "upgrade {\n drop_table \"us".len());
    }

    #[test]
    #[should_panic(expected = "no progress")]
    fn a_stall_is_a_panic_in_strict_mode() {
        let mut diags = Diagnostics::new();
        let mut p = Parser::new("revision \"a\"", FileId(0), &mut diags);
        p.strict = true;
        for _ in 0..=STALL_LIMIT {
            p.peek();
        }
    }
}

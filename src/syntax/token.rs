//! Tokens of the migration language.
//!
//! The lexer produces these on demand; SQL fragments `( ... )` are not tokens
//! but are cut out of the text by the parser, so SQL never has to fit the DSL's
//! lexical rules.

use std::fmt;

/// What a token is. Its text is found through its span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// `create_table`, `users`, `not_null`: keywords and bare names.
    Word,
    /// `"..."`: a quoted name or a text, `""` inside is one `"`.
    Str,
    /// `"""..."""`: a text taken as is.
    TripleStr,
    /// `'...'`: an SQL string literal, `''` inside is one `'`.
    SqlStr,
    /// `42`, `-7`, `12.50`, `1e3`.
    Number,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `,`
    Comma,
    /// `.`
    Dot,
    /// `:`
    Colon,
    /// `->`
    Arrow,
    /// `=`
    Eq,
    /// A string whose closing quote never comes (runs to the end of the file).
    Unterminated,
    /// A character that starts no token.
    BadChar,
    /// The end of the file.
    Eof,
}

impl TokenKind {
    /// How the token is called in "expected X, found Y" messages.
    pub fn describe(self) -> &'static str {
        match self {
            TokenKind::Word => "a word",
            TokenKind::Str | TokenKind::TripleStr => "a quoted text",
            TokenKind::SqlStr => "a string literal",
            TokenKind::Number => "a number",
            TokenKind::LBrace => "`{`",
            TokenKind::RBrace => "`}`",
            TokenKind::LParen => "`(`",
            TokenKind::RParen => "`)`",
            TokenKind::Comma => "`,`",
            TokenKind::Dot => "`.`",
            TokenKind::Colon => "`:`",
            TokenKind::Arrow => "`->`",
            TokenKind::Eq => "`=`",
            TokenKind::Unterminated => "an unterminated string",
            TokenKind::BadChar => "an unexpected character",
            TokenKind::Eof => "end of file",
        }
    }
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// One token: its kind, its byte range, and whether a newline precedes it
/// (table blocks use that to tell a table item from a column attribute).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// A newline (or the start of the file) comes between the previous token and this one.
    pub line_start: bool,
}

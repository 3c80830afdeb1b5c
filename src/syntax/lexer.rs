//! Hand-written lexer: text in, [`Token`]s out, on demand from any offset.
//!
//! It never fails: a character that starts no token is a `BadChar` token and a
//! string without its closing quote an `Unterminated` one; the parser reports them.

use super::token::{Token, TokenKind};

/// Lexes the token that starts at or after `pos` (skipping spaces and `#` comments).
pub fn next_token(text: &str, pos: usize) -> Token {
    let bytes = text.as_bytes();
    let mut i = pos.min(bytes.len());
    let mut line_start = i == 0;
    // Skip whitespace and comments, noting newlines.
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => {
                line_start = true;
                i += 1;
            }
            b' ' | b'\t' | b'\r' | b'\x0c' => i += 1,
            b'#' => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
            }
            _ => break,
        }
    }
    let start = i;
    let tok = |kind, end| Token {
        kind,
        start,
        end,
        line_start,
    };
    let Some(&b) = bytes.get(i) else {
        return tok(TokenKind::Eof, start);
    };
    match b {
        b'{' => tok(TokenKind::LBrace, i + 1),
        b'}' => tok(TokenKind::RBrace, i + 1),
        b'(' => tok(TokenKind::LParen, i + 1),
        b')' => tok(TokenKind::RParen, i + 1),
        b',' => tok(TokenKind::Comma, i + 1),
        b'.' => tok(TokenKind::Dot, i + 1),
        b':' => tok(TokenKind::Colon, i + 1),
        b'=' => tok(TokenKind::Eq, i + 1),
        b'-' if bytes.get(i + 1) == Some(&b'>') => tok(TokenKind::Arrow, i + 2),
        b'-' | b'+' if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
            tok(TokenKind::Number, number_end(bytes, i + 1))
        }
        b'0'..=b'9' => tok(TokenKind::Number, number_end(bytes, i)),
        b'"' if text[i..].starts_with("\"\"\"") => match text[i + 3..].find("\"\"\"") {
            Some(n) => tok(TokenKind::TripleStr, i + 3 + n + 3),
            None => tok(TokenKind::Unterminated, bytes.len()),
        },
        b'"' | b'\'' => match quoted_end(bytes, i) {
            Some(end) => {
                let kind = if b == b'"' {
                    TokenKind::Str
                } else {
                    TokenKind::SqlStr
                };
                tok(kind, end)
            }
            None => tok(TokenKind::Unterminated, bytes.len()),
        },
        _ => {
            let c = text[i..].chars().next().unwrap_or('\0');
            if is_word_start(c) {
                let end = text[i..]
                    .char_indices()
                    .find(|&(_, c)| !is_word_char(c))
                    .map_or(bytes.len(), |(n, _)| i + n);
                tok(TokenKind::Word, end)
            } else {
                tok(TokenKind::BadChar, i + c.len_utf8())
            }
        }
    }
}

/// Lexes a whole text, `Eof` included: for tests and `ddlc debug`.
pub fn lex(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        let t = next_token(text, pos);
        out.push(t);
        if t.kind == TokenKind::Eof {
            return out;
        }
        pos = t.end;
    }
}

/// Words: `[A-Za-z_][A-Za-z0-9_$]*`, letters of any script allowed.
fn is_word_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_word_char(c: char) -> bool {
    c == '_' || c == '$' || c.is_alphanumeric()
}

/// End of `digits [. digits] [e [+-] digits]` starting at a digit.
fn number_end(bytes: &[u8], mut i: usize) -> usize {
    let digits = |i: &mut usize| {
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
    };
    digits(&mut i);
    if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        digits(&mut i);
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(bytes.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        if bytes.get(j).is_some_and(u8::is_ascii_digit) {
            i = j;
            digits(&mut i);
        }
    }
    i
}

/// End (past the closing quote) of a `'...'` / `"..."` string where a doubled
/// quote stands for one; `None` when it is never closed.
fn quoted_end(bytes: &[u8], start: usize) -> Option<usize> {
    let q = *bytes.get(start)?;
    let mut i = start + 1;
    loop {
        match bytes.get(i)? {
            &c if c == q => {
                if bytes.get(i + 1) == Some(&q) {
                    i += 2;
                } else {
                    return Some(i + 1);
                }
            }
            _ => i += 1,
        }
    }
}

/// The value of a string token: quotes removed, doubled quotes undone
/// (triple-quoted text is taken as is).
pub fn unquote(kind: TokenKind, raw: &str) -> String {
    match kind {
        TokenKind::TripleStr => raw
            .get(3..raw.len().saturating_sub(3))
            .unwrap_or_default()
            .to_string(),
        TokenKind::Str => inner(raw).replace("\"\"", "\""),
        TokenKind::SqlStr => inner(raw).replace("''", "'"),
        _ => raw.to_string(),
    }
}

fn inner(raw: &str) -> &str {
    raw.get(1..raw.len().saturating_sub(1)).unwrap_or_default()
}

/// Byte offset in a string token's source of the byte `offset` of its
/// unquoted value: maps positions in SQL back into the file.
pub fn source_offset(kind: TokenKind, raw: &str, offset: usize) -> usize {
    let (open, q) = match kind {
        TokenKind::TripleStr => return 3 + offset,
        TokenKind::Str => (1, b'"'),
        TokenKind::SqlStr => (1, b'\''),
        _ => return offset,
    };
    let bytes = raw.as_bytes();
    let (mut src, mut val) = (open, 0);
    while val < offset && src < bytes.len() {
        if bytes[src] == q && bytes.get(src + 1) == Some(&q) {
            src += 2;
        } else {
            src += 1;
        }
        val += 1;
    }
    src
}

#[cfg(test)]
mod tests {
    use super::*;
    use TokenKind::*;

    #[test]
    fn token_kinds() {
        let cases: &[(&str, &[TokenKind])] = &[
            ("create_table", &[Word]),
            ("é_nom ünïcode", &[Word, Word]),
            ("a.b", &[Word, Dot, Word]),
            (
                "{ } ( ) , . : -> =",
                &[LBrace, RBrace, LParen, RParen, Comma, Dot, Colon, Arrow, Eq],
            ),
            ("42 -7 +3 12.50 1e3 1.5E-2", &[Number; 6]),
            ("\"Order Items\" \"a\"\"b\"", &[Str, Str]),
            ("\"\"\"multi\nline \"x\" \"\"\"", &[TripleStr]),
            ("'O''Neil' ''", &[SqlStr, SqlStr]),
            ("'never closed", &[Unterminated]),
            ("\"never closed", &[Unterminated]),
            ("\"\"\"never closed\"\"", &[Unterminated]),
            ("a # comment ) }\nb", &[Word, Word]),
            ("@ ;", &[BadChar, BadChar]),
            ("- x", &[BadChar, Word]),
            ("12abc", &[Number, Word]),
        ];
        for (text, want) in cases {
            let got: Vec<TokenKind> = lex(text).iter().map(|t| t.kind).collect();
            let mut want = want.to_vec();
            want.push(Eof);
            assert_eq!(got, want, "lexing {text:?}");
        }
    }

    #[test]
    fn marks_line_starts_and_spans() {
        let toks = lex("a b\n  c # x\nd");
        let starts: Vec<bool> = toks.iter().map(|t| t.line_start).collect();
        assert_eq!(starts, [true, false, true, true, false]);
        assert_eq!((toks[2].start, toks[2].end), (6, 7));
    }

    #[test]
    fn unquotes_and_maps_offsets_back() {
        assert_eq!(unquote(SqlStr, "'O''Neil'"), "O'Neil");
        assert_eq!(unquote(Str, "\"a\"\"b\""), "a\"b");
        assert_eq!(unquote(TripleStr, "\"\"\"x\"y\"\"\""), "x\"y");
        // value `a"bc`: byte 2 (`b`) sits at source byte 4 of `"a""bc"`.
        assert_eq!(source_offset(Str, "\"a\"\"bc\"", 2), 4);
        assert_eq!(source_offset(TripleStr, "\"\"\"abc\"\"\"", 1), 4);
    }
}

//! SQL Server and Oracle, without an engine: their clients read a script line
//! by line (sqlcmd splits batches at `GO`, SQL*Plus ends a statement at `/`,
//! `.`, a `;` at a line's end, and runs a line starting with `#`), so the
//! script is split here as the client would, and every piece must still read
//! as whole SQL (sqlparser's tokenizer: no literal or name cut in two). The
//! literals inside literals (Oracle's EXECUTE IMMEDIATE, SQL Server's OBJECT_ID
//! and comment variable) are evaluated and must give back the hostile text.

use sqlparser::dialect::{Dialect, MsSqlDialect, OracleDialect};
use sqlparser::tokenizer::{Token, Tokenizer};

/// The client's pieces of `script`, or why a line would be misread.
pub fn split(script: &str, dialect: &str) -> Result<Vec<String>, String> {
    let mut pieces = vec![String::new()];
    for (no, line) in script.lines().enumerate() {
        let t = line.trim();
        let lower = t.to_ascii_lowercase();
        let first = lower.split_whitespace().next().unwrap_or("");
        let at_start = pieces.last().is_none_or(|p| {
            p.lines()
                .all(|l| l.trim().is_empty() || l.trim().starts_with("--"))
        });
        match dialect {
            "mssql" => {
                if lower == "go" {
                    pieces.push(String::new());
                    continue;
                }
                let bare = ["go", "exit", "quit", "ed", "reset"]
                    .iter()
                    .any(|w| first == *w || first.starts_with(&format!("{w}(")));
                if t.starts_with(':') || t.starts_with("!!") || bare {
                    return Err(format!("line {}: sqlcmd would run {t:?}", no + 1));
                }
            }
            _ => {
                if t == "/" {
                    pieces.push(String::new());
                    continue;
                }
                if at_start && lower.starts_with("set ") {
                    continue; // ddlc's own SQL*Plus settings
                }
                if t == "." || t.starts_with('#') {
                    return Err(format!("line {}: SQL*Plus would act on {t:?}", no + 1));
                }
                let first_sql = pieces
                    .last()
                    .and_then(|p| {
                        p.lines()
                            .map(str::trim)
                            .find(|l| !l.is_empty() && !l.starts_with("--"))
                    })
                    .unwrap_or("");
                let block = first_sql.starts_with("BEGIN") || first_sql.starts_with("DECLARE");
                let starts_block = at_start && (first == "begin" || first == "declare");
                if t.ends_with(';') && !block && !starts_block && !t.starts_with("--") {
                    return Err(format!(
                        "line {}: SQL*Plus would end the statement at {t:?}",
                        no + 1
                    ));
                }
            }
        }
        if t.contains("$(") && dialect == "mssql" {
            return Err(format!("line {}: sqlcmd would substitute in {t:?}", no + 1));
        }
        if let Some(p) = pieces.last_mut() {
            p.push_str(line);
            p.push('\n');
        }
    }
    let pieces: Vec<String> = pieces
        .into_iter()
        .filter(|p| {
            p.lines()
                .any(|l| !l.trim().is_empty() && !l.trim().starts_with("--"))
        })
        .collect();
    for p in &pieces {
        tokens(p, dialect)
            .map_err(|e| format!("a piece does not read as whole SQL ({e}):\n{p}"))?;
    }
    Ok(pieces)
}

fn sql_dialect(dialect: &str) -> Box<dyn Dialect> {
    if dialect == "mssql" {
        Box::new(MsSqlDialect {})
    } else {
        Box::new(OracleDialect {})
    }
}

/// The significant tokens of `sql`.
pub fn tokens(sql: &str, dialect: &str) -> Result<Vec<Token>, String> {
    let d = sql_dialect(dialect);
    Tokenizer::new(d.as_ref(), sql)
        .tokenize()
        .map(|t| {
            t.into_iter()
                .filter(|t| !matches!(t, Token::Whitespace(_) | Token::EOF))
                .collect()
        })
        .map_err(|e| e.to_string())
}

/// The value of a string expression starting at `toks[0]`: literals joined by
/// `||` / `+`, `CHR(n)` / `CHAR(n)` / `NCHAR(n)`, Oracle's `UNISTR('\XXXX')`,
/// in parentheses or not. Returns the value and the number of tokens it used.
pub fn string_value(toks: &[Token]) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut i = 0;
    loop {
        let (part, used) = operand(&toks[i..])?;
        out.push_str(&part);
        i += used;
        match toks.get(i) {
            Some(Token::StringConcat | Token::Plus) => i += 1,
            _ => return Some((out, i)),
        }
    }
}

fn operand(toks: &[Token]) -> Option<(String, usize)> {
    match toks.first()? {
        Token::SingleQuotedString(s) | Token::NationalStringLiteral(s) => Some((s.clone(), 1)),
        Token::LParen => {
            let (inner, used) = string_value(&toks[1..])?;
            matches!(toks.get(1 + used), Some(Token::RParen)).then_some((inner, used + 2))
        }
        Token::Word(w) => {
            let f = w.value.to_ascii_uppercase();
            let c = match (f.as_str(), toks.get(2)?) {
                ("CHR" | "CHAR" | "NCHAR", Token::Number(n, _)) => char::from_u32(n.parse().ok()?)?,
                ("UNISTR", Token::SingleQuotedString(s)) => {
                    char::from_u32(u32::from_str_radix(s.trim_start_matches('\\'), 16).ok()?)?
                }
                _ => return None,
            };
            Some((c.to_string(), 4))
        }
        _ => None,
    }
}

/// The statement inside an Oracle `EXECUTE IMMEDIATE <expr>` of `piece`.
pub fn immediate(piece: &str) -> Option<String> {
    let toks = tokens(piece, "oracle").ok()?;
    let at = toks
        .windows(2)
        .position(|w| matches!((&w[0], &w[1]), (Token::Word(a), Token::Word(b)) if a.value.eq_ignore_ascii_case("EXECUTE") && b.value.eq_ignore_ascii_case("IMMEDIATE")))?;
    string_value(&toks[at + 2..]).map(|(s, _)| s)
}

/// The text a SQL Server piece sets as a comment: the `@value` literal or the
/// `DECLARE @ddlc_comment .. = <expr>` before it.
pub fn mssql_comment(piece: &str) -> Option<String> {
    let toks = tokens(piece, "mssql").ok()?;
    if let Some(at) = toks.iter().position(|t| matches!(t, Token::Eq)) {
        if matches!(toks.first(), Some(Token::Word(w)) if w.value.eq_ignore_ascii_case("DECLARE")) {
            return string_value(&toks[at + 1..]).map(|(s, _)| s);
        }
    }
    let at = toks.windows(2).position(
        |w| matches!((&w[0], &w[1]), (Token::Word(a), Token::Eq) if a.value.eq_ignore_ascii_case("@value")),
    )?;
    string_value(&toks[at + 2..]).map(|(s, _)| s)
}

/// The quoted names of `sql` in the dialect's reading (`"a""b"` → `a"b`).
pub fn quoted_names(sql: &str, dialect: &str) -> Vec<String> {
    tokens(sql, dialect)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|t| match t {
            Token::Word(w) if w.quote_style.is_some() => Some(w.value),
            _ => None,
        })
        .collect()
}

/// The value of the first string literal of `sql` (after an optional `N`).
pub fn first_string(sql: &str, dialect: &str) -> Option<String> {
    tokens(sql, dialect)
        .ok()?
        .into_iter()
        .find_map(|t| match t {
            Token::SingleQuotedString(s) | Token::NationalStringLiteral(s) => Some(s),
            _ => None,
        })
}

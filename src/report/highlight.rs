//! SQL syntax highlighting for `ddlc report`, done when the page is written
//! (no script in the page): the SQL text in, HTML out, where comments,
//! string literals, quoted names, numbers and keywords are `<span>`s with a
//! class. Only markup is added: the page's text is the SQL, byte for byte
//! once unescaped, so a copied block is the shipped script.

use super::text::escape;

/// Words shown as keywords (upper or lower case in the SQL).
const KEYWORDS: &[&str] = &[
    "ADD",
    "AFTER",
    "ALTER",
    "ALWAYS",
    "AND",
    "AS",
    "ASC",
    "AUTOINCREMENT",
    "AUTO_INCREMENT",
    "BEFORE",
    "BEGIN",
    "BY",
    "CASCADE",
    "CASE",
    "CHECK",
    "COLUMN",
    "COMMENT",
    "COMMIT",
    "CONCURRENTLY",
    "CONSTRAINT",
    "CREATE",
    "DECLARE",
    "DEFAULT",
    "DELETE",
    "DESC",
    "DROP",
    "ELSE",
    "END",
    "ENUM",
    "EXECUTE",
    "EXISTS",
    "FALSE",
    "FOR",
    "FOREIGN",
    "FROM",
    "FUNCTION",
    "GENERATED",
    "GO",
    "IDENTITY",
    "IF",
    "IN",
    "INDEX",
    "INSERT",
    "INTO",
    "IS",
    "KEY",
    "MODIFY",
    "NOT",
    "NULL",
    "ON",
    "OR",
    "PRAGMA",
    "PRIMARY",
    "PROCEDURE",
    "REFERENCES",
    "RENAME",
    "REPLACE",
    "RETURNS",
    "SELECT",
    "SEQUENCE",
    "SET",
    "TABLE",
    "THEN",
    "TO",
    "TRANSACTION",
    "TRIGGER",
    "TRUE",
    "TYPE",
    "UNIQUE",
    "UPDATE",
    "USING",
    "VALUE",
    "VALUES",
    "VIEW",
    "WHEN",
    "WHERE",
    "WITH",
];

/// `sql` as HTML: escaped, with spans of class `c` (comment), `s` (string),
/// `q` (quoted name), `n` (number) and `k` (keyword).
pub fn sql(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() * 2);
    let mut rest = sql;
    while let Some(c) = rest.chars().next() {
        let (len, class) = token(rest, c);
        let text = &rest[..len];
        match class {
            Some(class) => {
                out.push_str(&format!("<span class=\"{class}\">{}</span>", escape(text)))
            }
            None => out.push_str(&escape(text)),
        }
        rest = &rest[len..];
    }
    out
}

/// The length of the token `rest` starts with (its first char is `c`) and its class.
fn token(rest: &str, c: char) -> (usize, Option<&'static str>) {
    match c {
        '-' if rest.starts_with("--") => (rest.find('\n').unwrap_or(rest.len()), Some("c")),
        '\'' => (quoted(rest, '\''), Some("s")),
        '"' => (quoted(rest, '"'), Some("q")),
        '`' => (quoted(rest, '`'), Some("q")),
        '[' => (quoted(rest, ']'), Some("q")),
        '0'..='9' => (run(rest, |c| c.is_ascii_digit() || c == '.'), Some("n")),
        c if c.is_alphabetic() || c == '_' => {
            let len = run(rest, |c| c.is_alphanumeric() || c == '_' || c == '$');
            let word = &rest[..len];
            let keyword = KEYWORDS
                .binary_search(&word.to_ascii_uppercase().as_str())
                .is_ok();
            (len, keyword.then_some("k"))
        }
        c => (c.len_utf8(), None),
    }
}

/// The length of the leading run of chars that `keep` accepts.
fn run(text: &str, keep: impl Fn(char) -> bool) -> usize {
    text.find(|c| !keep(c)).unwrap_or(text.len())
}

/// The length of a quoted token opening `text` and closed by `close` (a
/// doubled closing quote is part of it); an unclosed one runs to the end.
fn quoted(text: &str, close: char) -> usize {
    let mut chars = text.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c == close {
            if chars.peek().is_some_and(|&(_, next)| next == close) {
                chars.next();
                continue;
            }
            return i + c.len_utf8();
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_sorted_for_the_binary_search() {
        assert!(KEYWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn marks_tokens_and_keeps_the_text() {
        let html = sql("CREATE TABLE \"order\" (id INT DEFAULT 'it''s' -- <x>\n);");
        assert_eq!(
            html,
            "<span class=\"k\">CREATE</span> <span class=\"k\">TABLE</span> \
             <span class=\"q\">&quot;order&quot;</span> (id INT <span class=\"k\">DEFAULT</span> \
             <span class=\"s\">&#39;it&#39;&#39;s&#39;</span> <span class=\"c\">-- &lt;x&gt;</span>\n);"
        );
    }

    #[test]
    fn unclosed_quotes_run_to_the_end() {
        assert_eq!(
            sql("'a</pre>"),
            "<span class=\"s\">&#39;a&lt;/pre&gt;</span>"
        );
        assert_eq!(sql("[a]]b] x"), "<span class=\"q\">[a]]b]</span> x");
    }
}

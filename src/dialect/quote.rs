//! Identifier quoting and literal escaping, built on each dialect's [`Rules`]
//! (quote characters, reserved words, escapes, what its client reads into a
//! script): quoting is enforced here, once, for every dialect.

#[cfg(doc)]
use super::Rules;
use super::{is_line_break, Dialect, NameLimit};
use std::collections::HashSet;
use std::sync::OnceLock;

impl Dialect {
    /// Quotes an identifier only when needed (reserved word, a character outside
    /// `[a-z0-9_]`, a leading digit, or a case the engine would fold), and then
    /// always correctly, with embedded quote characters doubled.
    ///
    /// ```
    /// use ddlc::dialect::Dialect;
    /// assert_eq!(Dialect::PostgreSql.quote_ident("customer"), "customer");
    /// assert_eq!(Dialect::PostgreSql.quote_ident("order"), "\"order\"");
    /// assert_eq!(Dialect::MySql.quote_ident("Order Items"), "`Order Items`");
    /// assert_eq!(Dialect::MsSql.quote_ident("a]b"), "[a]]b]");
    /// ```
    pub fn quote_ident(self, name: &str) -> String {
        if self.needs_quotes(name) {
            self.quote_ident_always(name)
        } else {
            name.to_string()
        }
    }

    /// Quotes an identifier unconditionally.
    pub fn quote_ident_always(self, name: &str) -> String {
        let (open, close) = self.rules().quote();
        let mut out = String::with_capacity(name.len() + 2);
        out.push(open);
        for c in name.chars() {
            if c == close {
                out.push(close);
            }
            out.push(c);
        }
        out.push(close);
        out
    }

    fn needs_quotes(self, name: &str) -> bool {
        let mut chars = name.chars();
        let plain_start = matches!(chars.next(), Some('a'..='z' | '_'));
        let plain_rest = chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'));
        !(plain_start && plain_rest)
            || self.is_reserved(name)
            || self.rules().client().quotes_word(name)
    }

    /// True when `word` (any case) is reserved in this dialect and must be quoted as a name.
    pub fn is_reserved(self, word: &str) -> bool {
        // Asked for every name of every statement: a set built once per dialect.
        static SETS: [OnceLock<HashSet<&'static str>>; Dialect::ALL.len()] =
            [const { OnceLock::new() }; Dialect::ALL.len()];
        let set = SETS[self as usize].get_or_init(|| {
            let words = self.rules().reserved_words().lines();
            words.map(str::trim).filter(|w| !w.is_empty()).collect()
        });
        match word.bytes().any(|b| b.is_ascii_lowercase()) {
            true => set.contains(word.to_ascii_uppercase().as_str()),
            false => set.contains(word),
        }
    }

    /// A string value as SQL: a literal (see [`Dialect::str_literal`]), or, where
    /// the client reads the script line by line (sqlcmd, SQL*Plus) and the text
    /// holds a line break (or sqlcmd's `$(`), a parenthesised concatenation that
    /// keeps every line break out of the script: `('a' || CHR(10) || 'GO')`, so
    /// no line of a string can be taken for `GO` or `/`. Use it wherever the SQL
    /// takes an expression; a position that takes only a literal must check
    /// [`Dialect::is_plain_literal`] first.
    ///
    /// ```
    /// use ddlc::dialect::Dialect;
    /// assert_eq!(Dialect::Sqlite.quote_str("O'Neil"), "'O''Neil'");
    /// assert_eq!(Dialect::MariaDb.quote_str(r"C:\temp"), r"'C:\\temp'");
    /// assert_eq!(Dialect::PostgreSql.quote_str(r"C:\temp"), r"E'C:\\temp'");
    /// assert_eq!(Dialect::MsSql.quote_str("a\nGO"), "('a' + CHAR(10) + 'GO')");
    /// assert_eq!(Dialect::Oracle.quote_str("a\n/"), "('a' || CHR(10) || '/')");
    /// ```
    pub fn quote_str(self, s: &str) -> String {
        self.string_expr(s, false)
    }

    /// [`Dialect::quote_str`] with SQL Server's `N` on every literal, ASCII or
    /// not: a Unicode (`NVARCHAR`) value, as `sp_addextendedproperty` and
    /// `N'..'` in a fragment want; other dialects have no such distinction.
    pub fn quote_nstr(self, s: &str) -> String {
        self.string_expr(s, self.rules().national_strings())
    }

    fn string_expr(self, s: &str, national: bool) -> String {
        let literal = |text: &str| {
            let lit = self.str_literal(text);
            if national && !lit.starts_with('N') {
                format!("N{lit}")
            } else {
                lit
            }
        };
        if self.is_plain_literal(s) {
            return literal(s);
        }
        let rules = self.rules();
        let client = rules.client();
        let mut parts = Vec::new();
        let mut chunk = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            let next = chars.peek().copied();
            if client.alters(c, next) {
                if !chunk.is_empty() {
                    parts.push(literal(&std::mem::take(&mut chunk)));
                }
                let code = u32::from(c);
                parts.push(rules.char_expr(code));
                continue;
            }
            chunk.push(c);
            // sqlcmd substitutes `$(name)` even inside quotes: end the literal
            // between `$` and `(`.
            if c == '$' && next == Some('(') && client.text_hazard("$(").is_some() {
                parts.push(literal(&std::mem::take(&mut chunk)));
            }
        }
        if !chunk.is_empty() {
            parts.push(literal(&chunk));
        }
        format!("({})", parts.join(rules.concat()))
    }

    /// True when [`Dialect::quote_str`] of `s` is a single literal: nothing in
    /// `s` needs keeping away from the client.
    pub fn is_plain_literal(self, s: &str) -> bool {
        let client = self.rules().client();
        !client.alters_any(&self.str_literal(s)) && client.text_hazard(s).is_none()
    }

    /// A string literal as one token, read back by the engine as `s` whatever its
    /// settings: single quotes doubled; MySQL/MariaDB also escape backslashes
    /// (their default `sql_mode`; under `NO_BACKSLASH_ESCAPES` a backslash reads
    /// back doubled, and every literal still ends where it should); PostgreSQL
    /// writes a text with backslashes as `E'..'` with them doubled, which means
    /// the same whether `standard_conforming_strings` is on or off; SQL Server
    /// prefixes non-ASCII text with `N`. For the parts of a script no client
    /// reads into (inside another literal); elsewhere use [`Dialect::quote_str`].
    pub fn str_literal(self, s: &str) -> String {
        let rules = self.rules();
        let backslash_escapes = rules.backslash_escapes();
        let mut out = String::with_capacity(s.len() + 3);
        if rules.national_strings() && !s.is_ascii() {
            out.push('N');
        }
        let escape_backslash = backslash_escapes || rules.escape_string_prefix();
        if rules.escape_string_prefix() && s.contains('\\') {
            out.push('E');
        }
        out.push('\'');
        for c in s.chars() {
            match c {
                '\'' => out.push_str("''"),
                '\\' if escape_backslash => out.push_str("\\\\"),
                // The mysql client drops the CR of a CR LF and reads Ctrl-Z as
                // the end of input on Windows: both escaped, like mysqldump.
                '\r' if backslash_escapes => out.push_str("\\r"),
                '\u{1a}' if backslash_escapes => out.push_str("\\Z"),
                _ => out.push(c),
            }
        }
        out.push('\'');
        out
    }

    /// Why `name` cannot be written as a name on this dialect (characters the
    /// engine refuses or its client would act on), if it cannot. The length is
    /// checked by [`Dialect::check_name_length`].
    pub fn check_name(self, name: &str) -> Result<(), String> {
        let d = self;
        let client = self.rules().client();
        if name.is_empty() {
            return Err("a name cannot be empty".into());
        }
        if name.contains('\0') {
            return Err(format!("{d} cannot hold a NUL character in a name"));
        }
        if client.reads_lines() && name.chars().any(is_line_break) {
            return Err(format!(
                "a name with a line break cannot be written for {d}: its client reads scripts line by line"
            ));
        }
        if client.alters_any(name) {
            return Err(format!(
                "a name with a CR before a line feed cannot be written for {d}: its client drops the CR"
            ));
        }
        if let Some(why) = client.text_hazard(name) {
            return Err(why);
        }
        self.rules().check_name(d, name)
    }

    /// Why the dialect's client would read something into `statement` (one
    /// statement as the script holds it) besides SQL, if it would: a NUL, a
    /// line sqlcmd or SQL*Plus acts on, sqlcmd's `$(`. `block`: a procedural
    /// block, whose lines may end with `;`.
    pub fn script_hazard(self, statement: &str, block: bool) -> Option<String> {
        if statement.contains('\0') {
            return Some("a NUL character would end the line for the client".into());
        }
        let client = self.rules().client();
        // ddlc's own PL/SQL blocks (Oracle's version table, dynamic comments).
        let block = block || statement.trim_start().starts_with("BEGIN");
        client.text_hazard(statement).or_else(|| {
            statement
                .split('\n')
                .find_map(|l| client.line_hazard(l, block))
        })
    }

    /// Why `text` cannot be a comment of a table (`table`) or a column on this
    /// dialect, if it cannot: MySQL and MariaDB keep comments in utf8mb3 (an
    /// emoji reads back as `?`) and at most 2048 (table) or 1024 (column)
    /// characters.
    pub fn check_comment(self, text: &str, table: bool) -> Result<(), String> {
        self.rules().check_comment(self, text, table)
    }

    /// Why a name the user wrote is too long for this dialect, if it is.
    pub fn check_name_length(self, name: &str) -> Result<(), String> {
        let (len, max, unit) = match self.rules().name_limit() {
            NameLimit::Bytes(max) => (name.len(), max, "bytes"),
            NameLimit::Chars(max) => (name.chars().count(), max, "characters"),
            NameLimit::None => return Ok(()),
        };
        if len <= max {
            return Ok(());
        }
        Err(format!(
            "this name is {len} {unit} long; {self} takes at most {max}"
        ))
    }
}

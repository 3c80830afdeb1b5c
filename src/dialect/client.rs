//! The command-line clients ddlc's scripts are run with (the README says: review
//! the script, then run it with the database's own client), and what each of
//! them reads into a script besides SQL. A script is only as safe as the client
//! that reads it: `psql` runs `\!` outside quotes, sqlcmd splits a batch at any
//! line that says `GO`, SQL*Plus ends a statement at a line that is only `/`.
//!
//! The facts below were checked against the clients on this project's machine
//! where they are installed (psql 15, mariadb 10.11, sqlite3 3.40) and against
//! the vendors' documentation for sqlcmd and SQL*Plus.

/// The client a dialect's scripts are written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Client {
    /// `psql -f`: backslash meta-commands anywhere outside quotes and comments
    /// (`SELECT 1 \! cmd` runs `cmd`), `:name` variables outside quotes.
    Psql,
    /// `mysql` / `mariadb < file`: backslash commands anywhere outside quotes and
    /// comments (`\!` runs a shell command), named commands (`delimiter`,
    /// `source`, `system`, ...) as the first word of a statement; the CR of a
    /// CR LF line end is dropped, even inside quotes.
    Mysql,
    /// `sqlite3 db < file`: dot-commands (`.shell`, `.read`) on a line that
    /// starts a statement; the CR of a CR LF line end is dropped, even inside
    /// a string literal.
    Sqlite3,
    /// `sqlcmd -i file`: line commands (`GO`, `:r`, `!!`, `EXIT`, ...) at the
    /// start of any line, even inside a string literal, and `$(var)`
    /// substitution anywhere, even inside a string literal.
    Sqlcmd,
    /// SQL*Plus `@file`: a line that is only `/` or `.` ends the statement, as
    /// does `;` at the end of a line of a SQL statement; `#` at the start of a
    /// line runs a SQL*Plus command; `&name` is substituted unless
    /// `SET DEFINE OFF` (which ddlc's Oracle scripts start with, together with
    /// `SET SQLBLANKLINES ON` so a blank line does not end a statement).
    SqlPlus,
}

/// Named commands of the mysql/mariadb client, recognised as the first word of a
/// statement (`delimiter //` at a statement's start changes the terminator;
/// the same word inside a statement is SQL).
const MYSQL_COMMANDS: &[&str] = &[
    "charset",
    "clear",
    "connect",
    "delimiter",
    "edit",
    "ego",
    "exit",
    "go",
    "help",
    "nopager",
    "notee",
    "nowarning",
    "pager",
    "print",
    "prompt",
    "quit",
    "rehash",
    "resetconnection",
    "source",
    "status",
    "system",
    "tee",
    "warnings",
];

/// sqlcmd commands that work without their `:` at the start of a line.
const SQLCMD_BARE_COMMANDS: &[&str] = &["go", "ed", "exit", "quit", "reset"];

/// Words that start a SQL statement Oracle runs; anything else at a statement's
/// start may be a SQL*Plus command (SQL*Plus also takes abbreviations of its
/// commands, so a list of those could never be complete).
const ORACLE_SQL_STARTS: &[&str] = &[
    "ALTER",
    "ANALYZE",
    "AUDIT",
    "BEGIN",
    "CALL",
    "COMMENT",
    "COMMIT",
    "CREATE",
    "DECLARE",
    "DELETE",
    "DROP",
    "EXPLAIN",
    "FLASHBACK",
    "GRANT",
    "INSERT",
    "LOCK",
    "MERGE",
    "NOAUDIT",
    "PURGE",
    "RENAME",
    "REVOKE",
    "ROLLBACK",
    "SAVEPOINT",
    "SELECT",
    "TRUNCATE",
    "UPDATE",
    "WITH",
];

impl Client {
    /// The client's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Client::Psql => "psql",
            Client::Mysql => "the mysql/mariadb client",
            Client::Sqlite3 => "the sqlite3 shell",
            Client::Sqlcmd => "sqlcmd",
            Client::SqlPlus => "SQL*Plus",
        }
    }

    /// The client sends what it has read at every `;` outside quotes, even
    /// inside a procedural block, unless given another delimiter (`DELIMITER`).
    pub fn splits_blocks(self) -> bool {
        matches!(self, Client::Mysql)
    }

    /// The client reads the script line by line and acts on some lines whatever
    /// SQL they are part of, so no literal or name may span lines: a line of a
    /// string could be `GO` or `/`.
    pub fn reads_lines(self) -> bool {
        matches!(self, Client::Sqlcmd | Client::SqlPlus)
    }

    /// True when the client would not pass character `c` of a quoted text on
    /// as it is (`next` is the character after it): a line break, for a
    /// client that reads lines; the CR of a CR LF, for the sqlite3 shell.
    pub fn alters(self, c: char, next: Option<char>) -> bool {
        match self {
            Client::Sqlcmd | Client::SqlPlus => crate::dialect::is_line_break(c),
            Client::Sqlite3 | Client::Mysql => c == '\r' && next == Some('\n'),
            _ => false,
        }
    }

    /// True when the client would change some character of `text` (see
    /// [`Client::alters`]).
    pub fn alters_any(self, text: &str) -> bool {
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if self.alters(c, chars.peek().copied()) {
                return true;
            }
        }
        false
    }

    /// Why the client would change `quoted` (a string literal or quoted name
    /// as written in a statement, quotes included) although it reads quotes,
    /// if it would: the sqlite3 shell drops the CR of a CR LF.
    pub fn quote_hazard(self, quoted: &str) -> Option<String> {
        let client = match self {
            Client::Sqlite3 => "the sqlite3 shell",
            Client::Mysql => "the mysql/mariadb client",
            _ => return None,
        };
        quoted
            .contains("\r\n")
            .then(|| format!("{client} drops the CR of a CR LF line end, even inside quotes"))
    }

    /// Names the client could take for a command where a template puts them at
    /// the start of a line (a column in `CREATE TABLE`): quoted always.
    pub fn quotes_word(self, word: &str) -> bool {
        match self {
            Client::Sqlcmd => SQLCMD_BARE_COMMANDS
                .iter()
                .any(|w| w.eq_ignore_ascii_case(word)),
            _ => false,
        }
    }

    /// The client takes only a word token at a statement's start for one of
    /// its commands (SQL*Plus); the others read any first token.
    pub fn commands_are_words(self) -> bool {
        matches!(self, Client::SqlPlus)
    }

    /// Why a statement whose first word is `word` would be taken for a client
    /// command, if it would.
    pub fn first_word_hazard(self, word: &str) -> Option<String> {
        let lower = word.to_ascii_lowercase();
        match self {
            Client::Mysql if MYSQL_COMMANDS.contains(&lower.as_str()) => Some(format!(
                "the mysql/mariadb client reads a statement that starts with `{word}` as its own `{lower}` command"
            )),
            Client::Sqlite3 if word.starts_with('.') => Some(
                "the sqlite3 shell reads a statement that starts with `.` as a dot-command"
                    .to_string(),
            ),
            Client::SqlPlus
                if !ORACLE_SQL_STARTS
                    .iter()
                    .any(|w| w.eq_ignore_ascii_case(word)) =>
            {
                Some(format!(
                    "SQL*Plus may read a statement that starts with `{word}` as one of its own commands"
                ))
            }
            _ => None,
        }
    }

    /// Why `line` (one line of a statement) would be read by the client as
    /// something other than a part of the statement, if it would. `block`: the
    /// statement is a PL/SQL block, where SQL*Plus takes `;` at a line's end as
    /// part of the block.
    pub fn line_hazard(self, line: &str, block: bool) -> Option<String> {
        let t = line.trim();
        match self {
            Client::Sqlcmd => {
                let first = t
                    .split(|c: char| c.is_whitespace() || c == '(')
                    .next()
                    .unwrap_or("");
                if t.starts_with(':') || t.starts_with("!!") {
                    Some(format!(
                        "sqlcmd reads a line that starts with `{}` as its own command",
                        &t[..t.char_indices().nth(2).map_or(t.len(), |(i, _)| i)]
                    ))
                } else if SQLCMD_BARE_COMMANDS
                    .iter()
                    .any(|w| w.eq_ignore_ascii_case(first))
                {
                    Some(format!(
                        "sqlcmd reads a line that starts with `{first}` as its own command"
                    ))
                } else {
                    None
                }
            }
            Client::SqlPlus => {
                if t == "/" || t == "." {
                    Some(format!("SQL*Plus ends a statement at a line that is `{t}`"))
                } else if t.starts_with('#') {
                    Some("SQL*Plus runs a line that starts with `#` as its own command".into())
                } else if !block && t.ends_with(';') {
                    Some("SQL*Plus ends a SQL statement at a `;` at the end of a line".into())
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// Why the client would change `text` wherever it appears, even inside a
    /// string literal or a quoted name (sqlcmd's `$(var)`), if it would.
    pub fn text_hazard(self, text: &str) -> Option<String> {
        match self {
            Client::Sqlcmd if text.contains("$(") => {
                Some("sqlcmd replaces `$(name)` by a scripting variable, even inside quotes".into())
            }
            _ => None,
        }
    }
}

/// Text for inside a `--` comment line: line breaks (which would end the
/// comment and leave the rest as SQL) become spaces, other control characters
/// (a NUL ends the line for psql and sqlite3) become `?`, and `$(` becomes
/// `$ (` (sqlcmd substitutes variables even in comments). A comment is for the
/// reviewer; no engine reads it back.
pub fn comment_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if crate::dialect::is_line_break(c) {
            out.push(' ');
        } else if c.is_control() && c != '\t' {
            out.push('?');
        } else if c == '(' && out.ends_with('$') {
            out.push_str(" (");
        } else {
            out.push(c);
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlcmd_and_sqlplus_line_commands() {
        for line in [
            "GO",
            "  go 5",
            ":r other.sql",
            "!! rm x",
            "EXIT(SELECT 1)",
            "quit",
        ] {
            assert!(Client::Sqlcmd.line_hazard(line, false).is_some(), "{line}");
        }
        for line in ["GOTO x", "  golf INTEGER,", "x = ':r'", "exited INTEGER"] {
            assert!(Client::Sqlcmd.line_hazard(line, false).is_none(), "{line}");
        }
        for line in ["/", " . ", "#host ls", "UPDATE t SET a = 1;"] {
            assert!(Client::SqlPlus.line_hazard(line, false).is_some(), "{line}");
        }
        assert!(Client::SqlPlus.line_hazard("  RAISE;", true).is_none());
        assert!(Client::Psql.line_hazard("/", false).is_none());
    }

    #[test]
    fn statement_starts() {
        assert!(Client::Mysql.first_word_hazard("DELIMITER").is_some());
        assert!(Client::Mysql.first_word_hazard("UPDATE").is_none());
        assert!(Client::Sqlite3.first_word_hazard(".shell").is_some());
        assert!(Client::SqlPlus.first_word_hazard("host").is_some());
        assert!(Client::SqlPlus.first_word_hazard("update").is_none());
        assert!(Client::Sqlcmd.text_hazard("N'$(PATH)'").is_some());
        assert!(Client::Sqlcmd.quotes_word("Go") && !Client::Psql.quotes_word("go"));
    }
}

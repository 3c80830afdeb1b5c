//! The hostile inputs: names and values that some layer between a `.mig` file
//! and the engine's storage could misread (quotes of every kind, backslashes,
//! comment and statement markers, dollar quotes, line breaks that a
//! line-based client acts on, template syntax, client commands, non-ASCII).
//!
//! `{marker}` in a name or value is replaced by the path of a file that must
//! never exist: a client that ran `\! touch {marker}` would create it.

/// Hostile names: each becomes a table (and, with a prefix, a column, a
/// constraint, an index and an enum type) of its own revision.
pub const NAMES: &[&str] = &[
    "a'b",
    "a\"b",
    "a`b",
    "a\\b",
    "a\\'b",
    "a--b",
    "a/*b",
    "a*/b",
    "a;b",
    "a$$b",
    "$x$",
    "a\nb",
    "a\rb",
    "a\tb",
    "x\nGO\ny",
    "x\n/\ny",
    "%s%d",
    "a&b",
    "{{ x }}",
    "{% if 1 %}",
    "\\N",
    "café",
    "😀",
    "a\u{200F}b",
    "delimiter",
    "GO",
    "select",
    ":DBNAME",
    "\\! touch {marker}",
    // 60 bytes: long, and still within every engine's limit with a prefix.
    "l23456789_123456789_123456789_123456789_123456789_1234567890",
];

/// Hostile values: string literals in defaults, CHECK fragments, comments,
/// enum labels, rows and the version table.
pub const VALUES: &[&str] = &[
    "'",
    "''",
    "\\",
    "\\'",
    "'); DROP TABLE victim; --",
    "\\'); DROP TABLE victim; -- ",
    "--",
    "/*",
    "*/",
    ";",
    "$$",
    "$x$ $x$",
    "line1\nline2",
    "\r\n",
    "\t",
    "a\nGO\nb",
    "a\n/\nb",
    "a\n.\nb",
    "100%",
    "&x",
    "{{ x }}",
    "{% raw %}",
    "\\N",
    "é",
    "😀",
    "\u{200F}rtl",
    "",
    "delimiter //",
    "\\! touch {marker}",
    "\n.shell touch {marker}\n",
    ":DBNAME :'USER'",
    "$(PATH)",
    "\"",
    "`",
    "\\\\",
];

/// A long value (rows and defaults only: MariaDB caps comments at 1024
/// characters).
pub fn long_value() -> String {
    "long'\\\n".repeat(700)
}

/// The values with `{marker}` filled in.
///
/// A CR LF in a .mig file is read as LF (so a checkout's line endings never
/// change the output), and a lone CR is refused: the values are given as ddlc
/// reads them, and tests/it/hostile/encoding.rs covers the CR LF rule itself.
pub fn values(marker: &str) -> Vec<String> {
    VALUES
        .iter()
        .map(|v| v.replace("{marker}", marker).replace("\r\n", "\n"))
        .collect()
}

/// The names with `{marker}` filled in.
pub fn names(marker: &str) -> Vec<String> {
    NAMES
        .iter()
        .map(|n| n.replace("{marker}", marker))
        .collect()
}

/// Values that can be an enum label everywhere: non-empty, at most 63 bytes
/// (PostgreSQL), no leading or trailing blanks (MySQL strips trailing spaces of
/// ENUM members), and distinct without regard to case (MySQL compares them so).
pub fn enum_labels(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        let fits = !v.is_empty() && v.len() <= 63 && v.trim() == v;
        if fits && !out.iter().any(|o| o.to_lowercase() == v.to_lowercase()) {
            out.push(v.clone());
        }
    }
    out
}

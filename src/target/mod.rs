//! A declared target schema, read from a schema dump of one dialect
//! (`pg_dump --schema-only`, `mariadb-dump --no-data`, `sqlite3 .schema`) into
//! the schema model: the dump is cut into statements ([`split`]), each parsed
//! with sqlparser for the dialect and turned into the model's tables, indexes,
//! constraints, comments, enums and views ([`ddl`], [`value`]); the result
//! is replayed through [`Schema::apply`], so it is checked as migrations are.
//! A statement the model cannot hold is an `unsupported-ddl` error at its line.

mod ddl;
pub mod declared;
mod sequence;
pub mod split;
#[cfg(test)]
mod tests;
mod value;

use crate::diag::{Code, Diagnostic};
use crate::dialect::Dialect;
use crate::naming::Convention;
use crate::schema::Schema;
use crate::source::{FileId, Span};

/// The dump tools' session settings and bookkeeping, by their first words
/// (upper case): nothing in them is schema.
const NOISE: &[&[&str]] = &[
    &["SET"],
    &["SELECT"],
    &["LOCK"],
    &["UNLOCK"],
    &["BEGIN"],
    &["COMMIT"],
    &["PRAGMA"],
    &["GRANT"],
    &["REVOKE"],
    &["DROP", "TABLE", "IF", "EXISTS"],
    &["DROP", "VIEW", "IF", "EXISTS"],
    &["COMMENT", "ON", "SCHEMA"],
    &["COMMENT", "ON", "EXTENSION"],
];

/// Reads the dump `text` (file `file`) of `dialect` into a schema; the table
/// `version_table` (the project's version table) is left out. Every problem
/// found is returned, each at its statement.
pub fn read_sql(
    dialect: Dialect,
    file: FileId,
    text: &str,
    version_table: &str,
    naming: &Convention,
) -> Result<Schema, Vec<Diagnostic>> {
    let mut reader = ddl::Reader::new(dialect, file, version_table, naming);
    for stmt in split::statements(text, dialect.rules().backslash_escapes()) {
        let span = Span::new(file, stmt.start, stmt.start + stmt.text.len());
        if is_noise(&stmt.text) {
            continue;
        }
        let words: Vec<&str> = stmt.text.split_whitespace().collect();
        // sqlparser reads sequence options only in one order, and has no
        // ALTER SEQUENCE: both are read by their words.
        let sequence = |verb: &str| {
            words.len() > 2
                && words[0].eq_ignore_ascii_case(verb)
                && words[1].eq_ignore_ascii_case("SEQUENCE")
        };
        if sequence("CREATE") {
            reader.create_sequence(&words, span);
            continue;
        }
        if sequence("ALTER") {
            if let Err(d) = reader.sequence_owned(&words, span) {
                reader.fail(d);
            }
            continue;
        }
        let (text, identity) = identity_options(&stmt.text);
        match sqlparser::parser::Parser::parse_sql(&*dialect.rules().sqlparser(), &text) {
            Ok(parsed) => {
                reader.identity_words = identity;
                for s in parsed {
                    reader.statement(s, span);
                }
            }
            Err(e) => reader.fail(parse_error(&e.to_string(), &stmt.text, span)),
        }
    }
    let (ops, mut diags) = reader.finish();
    let mut schema = Schema::new();
    for op in ops {
        if let Err(d) = schema.apply(&op) {
            diags.push(d);
        }
    }
    if diags.is_empty() {
        Ok(schema)
    } else {
        Err(diags)
    }
}

/// pg_dump writes an identity's options in its own order (`START WITH 1
/// INCREMENT BY 1 ...`, with `SEQUENCE NAME`), which sqlparser does not
/// read: the parenthesized options are blanked (offsets kept) and returned
/// as words, read by [`ddl::identity_words`].
fn identity_options(text: &str) -> (String, Option<Vec<String>>) {
    let upper = text.to_ascii_uppercase();
    let Some(at) = upper.find("AS IDENTITY") else {
        return (text.to_string(), None);
    };
    let after = at + "AS IDENTITY".len();
    let Some(open) = text[after..].find('(').map(|n| after + n) else {
        return (text.to_string(), None);
    };
    if !text[after..open].trim().is_empty() {
        return (text.to_string(), None);
    }
    let close = text[open..].find(')').map_or(text.len(), |n| open + n + 1);
    let words = text[open + 1..close.saturating_sub(1)]
        .split_whitespace()
        .map(str::to_ascii_uppercase)
        .collect();
    let mut out = text.to_string();
    out.replace_range(open..close, &" ".repeat(close - open));
    (out, Some(words))
}

fn is_noise(text: &str) -> bool {
    let words: Vec<String> = text
        .split_whitespace()
        .take(4)
        .map(|w| w.to_ascii_uppercase())
        .collect();
    let owner = words.first().is_some_and(|w| w == "ALTER")
        && text.to_ascii_uppercase().contains(" OWNER TO ");
    owner
        || NOISE
            .iter()
            .any(|n| n.len() <= words.len() && n.iter().zip(&words).all(|(a, b)| a == b))
}

/// sqlparser's message, pointed at the line and column it names.
fn parse_error(message: &str, text: &str, span: Span) -> Diagnostic {
    let (msg, at) = crate::syntax::sql::split_location(message);
    let offset = at
        .and_then(|(l, c)| crate::syntax::sql::offset_of(text, l, c))
        .unwrap_or(0);
    let start = span.start as usize + offset;
    Diagnostic::error(Code::InvalidDdl, "this statement does not parse")
        .at(Span::new(span.file, start, start), msg.to_string())
        .with_secondary(span, "in this statement")
}

/// An `unsupported-ddl` error at `span`.
pub(crate) fn unsupported(what: impl Into<String>, span: Span) -> Diagnostic {
    Diagnostic::error(Code::UnsupportedDdl, what)
        .at(span, "not in ddlc's schema model")
        .with_help("remove it from the target, or write the change by hand with `execute`")
}

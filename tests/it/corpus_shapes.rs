//! SQL Server and Oracle output, checked without an engine: every corpus scenario is
//! compiled for mssql and oracle, split into statements the way `sqlcmd` (`GO` batches)
//! and SQL*Plus (`/` lines) do, parsed back with sqlparser, and reduced to statement
//! shapes that are compared with Alembic's recorded output for the same scenario.
//! Differences are allowed only when a table below explains them.

use crate::support::{folders, repo, script};
use camino::Utf8Path;
use ddlc::dialect::Dialect;
use ddlc::graph::Direction;
use sqlparser::dialect::{Dialect as SqlDialect, MsSqlDialect, OracleDialect};
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer};
use std::fmt::Write as _;

/// The two dialects no local engine can check.
const DIALECTS: [(Dialect, &str); 2] = [(Dialect::MsSql, "mssql"), (Dialect::Oracle, "oracle")];

/// A statement form valid on the engine that sqlparser 0.63 does not parse.
/// Matched on the statement with whitespace collapsed and letters upper-cased.
struct Allow {
    dialect: &'static str,
    starts: &'static str,
    contains: &'static str,
    why: &'static str,
}

/// The allow-list: keep it small; every entry cites the vendor syntax.
const ALLOW: &[Allow] = &[
    Allow {
        dialect: "mssql",
        starts: "ALTER TABLE ",
        contains: " ALTER COLUMN ",
        why: "T-SQL `ALTER TABLE t ALTER COLUMN c <type> [NULL | NOT NULL]` (learn.microsoft.com, \
              ALTER TABLE (Transact-SQL), ALTER COLUMN); sqlparser only knows the ANSI \
              `SET DATA TYPE` / `SET NOT NULL` forms",
    },
    Allow {
        dialect: "oracle",
        starts: "ALTER TABLE ",
        contains: " MODIFY (",
        why: "Oracle `ALTER TABLE t MODIFY (c [type] [NULL | NOT NULL])` (Oracle SQL Language \
              Reference, ALTER TABLE, modify_col_properties); sqlparser has no MODIFY for Oracle",
    },
    Allow {
        dialect: "oracle",
        starts: "BEGIN EXECUTE IMMEDIATE '",
        contains: " EXCEPTION WHEN OTHERS THEN IF SQLCODE != -955 THEN RAISE; END IF; END;",
        why: "PL/SQL anonymous block `BEGIN .. EXCEPTION .. END;` (PL/SQL Language Reference, \
              Block) run by SQL*Plus at `/`; ORA-00955 (name already used) makes the version \
              table creation idempotent. The wrapped statement is parsed separately",
    },
    Allow {
        dialect: "oracle",
        starts: "CREATE TABLE ",
        contains: " INTERVAL DAY TO SECOND",
        why: "Oracle type `INTERVAL DAY [(p)] TO SECOND [(s)]` (SQL Language Reference, Data \
              Types, INTERVAL DAY TO SECOND); sqlparser has no Oracle interval types. The \
              statement must parse once that type is replaced",
    },
];

/// ddlc refusing a scenario on a dialect, with a located error (checked by code).
struct Rejection {
    scenario: &'static str,
    dialect: &'static str,
    direction: &'static str,
    code: &'static str,
    why: &'static str,
}

/// Every rejection the corpus is expected to produce.
const REJECTIONS: &[Rejection] = &[
    Rejection {
        scenario: "27_quoted_identifiers",
        dialect: "oracle",
        direction: "upgrade",
        code: "invalid-identifier",
        why: "the column `has\"dq`: Oracle identifiers cannot contain a double quotation mark \
              (Database Error Messages, DIA-25716), quoted or not; Alembic printed `\"has\"\"dq\"`, \
              which Oracle rejects",
    },
    Rejection {
        scenario: "17_indexes",
        dialect: "mssql",
        direction: "upgrade",
        code: "unsupported-op",
        why: "`lower(title)` index part: SQL Server indexes take columns only (a computed \
              column would be needed); Alembic printed `CREATE INDEX .. (lower(title))`, which \
              SQL Server rejects",
    },
    Rejection {
        scenario: "21_foreign_keys",
        dialect: "mssql",
        direction: "upgrade",
        code: "unsupported-option",
        why: "SQL Server has no DEFERRABLE constraints; Alembic printed it anyway",
    },
    Rejection {
        scenario: "21_foreign_keys",
        dialect: "oracle",
        direction: "upgrade",
        code: "unsupported-option",
        why: "Oracle foreign keys have no ON UPDATE clause; Alembic printed `ON UPDATE CASCADE`",
    },
    Rejection {
        scenario: "40_app_realistic",
        dialect: "mssql",
        direction: "upgrade",
        code: "unsupported-option",
        why: "T-SQL has no `ON DELETE RESTRICT` (NO ACTION is the default); Alembic printed it",
    },
    Rejection {
        scenario: "40_app_realistic",
        dialect: "oracle",
        direction: "upgrade",
        code: "unsupported-option",
        why: "Oracle has no `ON DELETE RESTRICT`; Alembic printed it",
    },
    Rejection {
        scenario: "43_if_exists",
        dialect: "mssql",
        direction: "upgrade",
        code: "unsupported-option",
        why: "no `CREATE TABLE IF NOT EXISTS` in T-SQL (Alembic printed it: defect B13)",
    },
    Rejection {
        scenario: "43_if_exists",
        dialect: "oracle",
        direction: "upgrade",
        code: "unsupported-option",
        why: "no `IF NOT EXISTS` before Oracle 23ai; Alembic printed it",
    },
    Rejection {
        scenario: "43_if_exists",
        dialect: "oracle",
        direction: "downgrade",
        code: "unsupported-option",
        why: "no `DROP COLUMN IF EXISTS` on Oracle; Alembic printed it",
    },
];

/// A documented shape difference between ddlc and Alembic. `side` is `ddlc` (a shape
/// only ddlc emits), `alembic` (only Alembic emits) or `both` (emitted in another
/// order); `shape` is a pattern where `*` matches any run; `*` scenario/dialect: all.
struct Difference {
    scenario: &'static str,
    dialect: &'static str,
    side: &'static str,
    shape: &'static str,
    why: &'static str,
}

/// The documented differences.
const DIFFERENCES: &[Difference] = &[
    Difference {
        scenario: "*",
        dialect: "oracle",
        side: "ddlc",
        shape: "COMMIT",
        why: "Alembic's Oracle scripts never commit their DML (defect B12); SQL*Plus would \
              roll the version rows back on exit without it",
    },
    Difference {
        scenario: "*",
        dialect: "mssql",
        side: "ddlc",
        shape: "ALTER TABLE * DROP CONSTRAINT df_*",
        why: "SQL Server refuses DROP COLUMN while a DEFAULT constraint is bound to the column \
              (Msg 5074); ddlc names defaults DF_<table>_<column> and drops them first. \
              Alembic does not, so its downgrade would fail there",
    },
    Difference {
        scenario: "*",
        dialect: "mssql",
        side: "ddlc",
        shape: "ALTER TABLE * DROP CONSTRAINT ck_*",
        why: "the CHECK of a non-native enum column must go before the column (Msg 5074); \
              Alembic does not drop it, so its downgrade would fail there",
    },
    Difference {
        scenario: "*",
        dialect: "mssql",
        side: "ddlc",
        shape: "EXEC sp_rename df_*",
        why: "renaming a column renames its DF_ default constraint too, so the next drop of \
              that column still finds DF_<table>_<column>",
    },
    Difference {
        scenario: "07_comments",
        dialect: "mssql",
        side: "ddlc",
        shape: "*",
        why: "Alembic crashed (defect C15: comments without an explicit schema); ddlc writes \
              comments with sp_addextendedproperty / sp_updateextendedproperty / \
              sp_dropextendedproperty on schema dbo",
    },
    Difference {
        scenario: "12_alter_missing_existing_type",
        dialect: "mssql",
        side: "ddlc",
        shape: "*",
        why: "Alembic refused (defect C17: ALTER COLUMN needs the existing type); ddlc knows \
              the type from the replayed schema",
    },
    Difference {
        scenario: "08_schema_qualified",
        dialect: "*",
        side: "alembic",
        shape: "DROP INDEX *",
        why: "ddlc's downgrade drops extra.invoice, which drops its indexes with it; Alembic's \
              hand-written downgrade dropped the index first",
    },
    Difference {
        scenario: "25_bulk_insert",
        dialect: "mssql",
        side: "alembic",
        shape: "SET IDENTITY_INSERT country *",
        why: "defect B14: country has no IDENTITY column, SET IDENTITY_INSERT fails there",
    },
    Difference {
        scenario: "25_bulk_insert",
        dialect: "mssql",
        side: "alembic",
        shape: "INSERT INTO country",
        why: "ddlc writes one multi-row `INSERT .. VALUES (..), (..)` per bulk_insert; \
              Alembic's mssql dialect one INSERT per row",
    },
    Difference {
        scenario: "28_batch_copy_from",
        dialect: "*",
        side: "both",
        shape: "ALTER TABLE contact *name",
        why: "in a batch Alembic alters the column under its old name before the rename; \
              ddlc renames first and alters it under the new name (same result)",
    },
    Difference {
        scenario: "30_batch_recreate_always",
        dialect: "*",
        side: "both",
        shape: "*",
        why: "recreate='always' is a SQLite move-and-copy; ddlc alters the table in place on \
              engines that can (no _alembic_tmp_gadget copy, no data round trip)",
    },
    Difference {
        scenario: "32_branches_merge",
        dialect: "*",
        side: "both",
        shape: "*",
        why: "two branches before a merge: any topological order is right; ddlc runs branch \
              a then b, Alembic interleaves them (and varies, defect D20). Same objects, same \
              per-object order, same version rows at the end",
    },
    Difference {
        scenario: "45_set_order_nondeterminism",
        dialect: "*",
        side: "both",
        shape: "CREATE INDEX ix_metric_* ON metric",
        why: "Alembic's index order comes from a set and varies (defect D18); ddlc follows \
              the column order",
    },
    Difference {
        scenario: "45_set_order_nondeterminism",
        dialect: "*",
        side: "alembic",
        shape: "ALTER TABLE metric ADD *",
        why: "Alembic adds the column's UNIQUE and FOREIGN KEY unnamed and in varying order \
              (defect D19); ddlc names them by the naming convention",
    },
    Difference {
        scenario: "45_set_order_nondeterminism",
        dialect: "*",
        side: "ddlc",
        shape: "ALTER TABLE metric * CONSTRAINT *_metric_parent_id*",
        why: "the named uq_metric_parent_id / fk_metric_parent_id_metric, added after the \
              column and dropped before it (SQL Server refuses to drop a constrained column)",
    },
    Difference {
        scenario: "18_pg_partial_concurrent_autocommit",
        dialect: "mssql",
        side: "alembic",
        shape: "COMMIT",
        why: "Alembic's autocommit_block() commits and reopens the transaction on every \
              dialect; ddlc leaves the transaction only around statements that cannot run \
              in one (PostgreSQL CONCURRENTLY), and SQL Server has none here",
    },
    Difference {
        scenario: "18_pg_partial_concurrent_autocommit",
        dialect: "mssql",
        side: "alembic",
        shape: "BEGIN TRANSACTION",
        why: "as above: no autocommit block is needed on SQL Server",
    },
    Difference {
        scenario: "13_alter_type",
        dialect: "oracle",
        side: "alembic",
        shape: "ALTER TABLE measure MODIFY payload",
        why: "text and json are both CLOB on Oracle: Alembic's `MODIFY (payload CLOB)` fails \
              (ORA-22859, a LOB column cannot be modified); ddlc emits no type change for a \
              type that renders the same, and adds (drops on the way back) the named \
              `IS JSON` check the json type needs",
    },
    Difference {
        scenario: "13_alter_type",
        dialect: "oracle",
        side: "ddlc",
        shape: "ALTER TABLE measure * CONSTRAINT ck_measure_payload_json",
        why: "the named `IS JSON` check of a column that becomes json on Oracle (see the \
              MODIFY payload difference)",
    },
];

/// One statement as the engine's client would send it.
#[derive(Debug)]
struct Statement {
    text: String,
}

/// Splits a script: `GO` batches then `;` statements (mssql), or `/` chunks (oracle,
/// where a chunk is one SQL statement or one PL/SQL block). Comment lines are dropped.
fn split(script: &str, dialect: &str) -> Vec<Statement> {
    let separator = if dialect == "mssql" { "GO" } else { "/" };
    let mut chunks = vec![String::new()];
    for line in script.lines() {
        let trimmed = line.trim();
        let at_start = chunks.last().is_none_or(|c| c.trim().is_empty());
        if trimmed.eq_ignore_ascii_case(separator) {
            chunks.push(String::new());
        } else if dialect == "oracle"
            && at_start
            && trimmed.to_ascii_uppercase().starts_with("SET ")
        {
            // A SQL*Plus command (the header's `SET DEFINE OFF`): run by the
            // client at once, never sent as SQL.
        } else if !trimmed.starts_with("--") {
            if let Some(chunk) = chunks.last_mut() {
                chunk.push_str(line);
                chunk.push('\n');
            }
        }
    }
    let mut out = Vec::new();
    for chunk in chunks {
        let pieces = if dialect == "mssql" {
            split_semicolons(&chunk)
        } else {
            vec![chunk]
        };
        for piece in pieces {
            let text = piece.trim();
            if !text.is_empty() {
                out.push(Statement {
                    text: text.to_string(),
                });
            }
        }
    }
    out
}

/// Splits a T-SQL batch at `;` outside strings and delimited identifiers; the `;` stays.
fn split_semicolons(batch: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut close: Option<char> = None;
    for ch in batch.chars() {
        current.push(ch);
        match close {
            Some(end) if ch == end => close = None,
            Some(_) => {}
            None => match ch {
                '\'' => close = Some('\''),
                '"' => close = Some('"'),
                '[' => close = Some(']'),
                ';' => out.push(std::mem::take(&mut current)),
                _ => {}
            },
        }
    }
    out.push(current);
    out
}

/// How one statement fared in sqlparser.
#[derive(Debug, PartialEq)]
enum Parsed {
    Ok,
    Allowed(usize),
    Failed(String),
}

/// Parses text as exactly one statement.
fn parse_one(text: &str, dialect: &str) -> Result<(), String> {
    let result = if dialect == "mssql" {
        Parser::parse_sql(&MsSqlDialect {}, text)
    } else {
        Parser::parse_sql(&OracleDialect {}, text)
    };
    match result {
        Ok(statements) if statements.len() == 1 => Ok(()),
        Ok(statements) => Err(format!("{} statements in one", statements.len())),
        Err(e) => Err(e.to_string()),
    }
}

/// Parses one statement back; a statement sqlparser refuses must match the allow-list,
/// and what the allow-list can check further (the SQL inside a PL/SQL block, the rest
/// of a CREATE TABLE) must parse too.
fn parse_back(text: &str, dialect: &str) -> Parsed {
    let error = match parse_one(text, dialect) {
        Ok(()) => return Parsed::Ok,
        Err(e) => e,
    };
    let normal = normalise(text);
    let Some(k) = ALLOW.iter().position(|a| {
        a.dialect == dialect && normal.starts_with(a.starts) && normal.contains(a.contains)
    }) else {
        return Parsed::Failed(error);
    };
    let further = if normal.starts_with("BEGIN EXECUTE IMMEDIATE '") {
        let inner = tokens(text, &OracleDialect {})
            .into_iter()
            .find_map(|t| t.string)
            .unwrap_or_default();
        parse_one(&inner, dialect)
    } else if normal.contains(" INTERVAL DAY TO SECOND") {
        parse_one(&text.replace("INTERVAL DAY TO SECOND", "INTERVAL"), dialect)
    } else {
        Ok(())
    };
    match further {
        Ok(()) => Parsed::Allowed(k),
        Err(e) => Parsed::Failed(format!("allow-listed, but the checkable part fails: {e}")),
    }
}

/// Whitespace collapsed to single spaces, upper-cased.
fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

/// A token reduced to what shapes need: `up` for keyword matching, `name` for objects.
#[derive(Debug, Clone)]
struct Tok {
    up: String,
    name: String,
    string: Option<String>,
}

/// Tokenises with sqlparser (which copes with statements its parser refuses).
fn tokens(text: &str, dialect: &dyn SqlDialect) -> Vec<Tok> {
    let Ok(raw) = Tokenizer::new(dialect, text).tokenize() else {
        return Vec::new();
    };
    raw.into_iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .map(|t| match t {
            Token::Word(w) => Tok {
                up: w.value.to_uppercase(),
                name: w.value.to_lowercase(),
                string: None,
            },
            Token::SingleQuotedString(s) | Token::NationalStringLiteral(s) => Tok {
                up: "'".into(),
                name: String::new(),
                string: Some(s),
            },
            other => Tok {
                up: other.to_string(),
                name: String::new(),
                string: None,
            },
        })
        .collect()
}

/// Reduces a statement to its shape: kind plus the object it touches, lower-case names.
fn shape(text: &str, dialect: &str) -> String {
    let sql_dialect: &dyn SqlDialect = if dialect == "mssql" {
        &MsSqlDialect {}
    } else {
        &OracleDialect {}
    };
    let toks = tokens(text, sql_dialect);
    shape_tokens(&toks, sql_dialect)
}

/// The words at `toks[i..]` as one string, for matching keyword runs.
fn starts(toks: &[Tok], i: usize, words: &[&str]) -> bool {
    words
        .iter()
        .enumerate()
        .all(|(k, w)| toks.get(i + k).is_some_and(|t| t.up == *w))
}

/// A possibly qualified name at `toks[i..]`: the name and the index after it.
fn name_at(toks: &[Tok], i: usize) -> (String, usize) {
    let mut parts = Vec::new();
    let mut j = i;
    while let Some(t) = toks.get(j) {
        if t.name.is_empty() {
            break;
        }
        parts.push(t.name.clone());
        j += 1;
        if toks.get(j).is_some_and(|t| t.up == ".") {
            j += 1;
        } else {
            break;
        }
    }
    (parts.join("."), j)
}

/// Skips `IF EXISTS` / `IF NOT EXISTS` at `i`.
fn skip_if(toks: &[Tok], i: usize) -> usize {
    if starts(toks, i, &["IF", "NOT", "EXISTS"]) {
        i + 3
    } else if starts(toks, i, &["IF", "EXISTS"]) {
        i + 2
    } else {
        i
    }
}

/// The shape rules; see `shape`.
fn shape_tokens(toks: &[Tok], dialect: &dyn SqlDialect) -> String {
    let word = |i: usize| toks.get(i).map(|t| t.up.as_str()).unwrap_or("");
    // T-SQL version-table guard `IF OBJECT_ID(..) IS NULL <stmt>`: the guarded statement.
    if starts(toks, 0, &["IF", "OBJECT_ID"]) {
        if let Some(k) = (0..toks.len()).find(|&k| starts(toks, k, &["IS", "NULL"])) {
            return shape_tokens(toks.get(k + 2..).unwrap_or(&[]), dialect);
        }
    }
    // PL/SQL guard `BEGIN EXECUTE IMMEDIATE '<stmt>'; EXCEPTION ..`: the wrapped statement.
    if word(0) == "BEGIN" && word(1) != "TRANSACTION" && word(1) != "TRAN" {
        if let Some(k) = (0..toks.len()).find(|&k| starts(toks, k, &["EXECUTE", "IMMEDIATE"])) {
            if let Some(inner) = toks.get(k + 2).and_then(|t| t.string.as_deref()) {
                return shape_tokens(&tokens(inner, dialect), dialect);
            }
        }
        return "PL/SQL BLOCK".into();
    }
    match (word(0), word(1)) {
        ("BEGIN", _) => "BEGIN TRANSACTION".into(),
        ("COMMIT", _) => "COMMIT".into(),
        ("CREATE", "TABLE") => {
            let (name, _) = name_at(toks, skip_if(toks, 2));
            format!("CREATE TABLE {name}")
        }
        ("CREATE", _) => {
            let mut i = 1;
            let mut kind = Vec::new();
            while !matches!(word(i), "INDEX" | "") {
                if word(i) == "UNIQUE" {
                    kind.push("UNIQUE");
                }
                i += 1;
            }
            if word(i) == "INDEX" {
                let (index, j) = name_at(toks, skip_if(toks, i + 1));
                let (table, _) = name_at(toks, j + 1);
                kind.push("INDEX");
                format!("CREATE {} {index} ON {table}", kind.join(" "))
            } else {
                let (name, _) = name_at(toks, 2);
                format!("CREATE {} {name}", word(1))
            }
        }
        ("DROP", "TABLE") => format!("DROP TABLE {}", name_at(toks, skip_if(toks, 2)).0),
        ("DROP", "INDEX") => {
            let (index, j) = name_at(toks, skip_if(toks, 2));
            if word(j) == "ON" {
                format!("DROP INDEX {index} ON {}", name_at(toks, j + 1).0)
            } else {
                format!("DROP INDEX {index}")
            }
        }
        ("ALTER", "TABLE") => {
            let (table, i) = name_at(toks, 2);
            let action = match (word(i), word(i + 1)) {
                ("ADD", "CONSTRAINT") => format!("ADD CONSTRAINT {}", name_at(toks, i + 2).0),
                ("ADD", kind @ ("PRIMARY" | "FOREIGN")) => format!("ADD {kind} KEY"),
                ("ADD", kind @ ("UNIQUE" | "CHECK")) => format!("ADD {kind}"),
                ("ADD", _) => {
                    let mut j = skip_if(toks, i + 1);
                    if matches!(word(j), "COLUMN" | "(") {
                        j += 1;
                    }
                    format!("ADD COLUMN {}", name_at(toks, skip_if(toks, j)).0)
                }
                ("DROP", "CONSTRAINT" | "COLUMN") => {
                    format!(
                        "DROP {} {}",
                        word(i + 1),
                        name_at(toks, skip_if(toks, i + 2)).0
                    )
                }
                ("ALTER", "COLUMN") => format!("ALTER COLUMN {}", name_at(toks, i + 2).0),
                ("MODIFY", _) => {
                    let j = if word(i + 1) == "(" { i + 2 } else { i + 1 };
                    format!("MODIFY {}", name_at(toks, j).0)
                }
                ("RENAME", "COLUMN") => {
                    let (from, j) = name_at(toks, i + 2);
                    format!("RENAME COLUMN {from} TO {}", name_at(toks, j + 1).0)
                }
                ("RENAME", "TO") => format!("RENAME TO {}", name_at(toks, i + 2).0),
                (other, _) => other.to_string(),
            };
            format!("ALTER TABLE {table} {action}")
        }
        ("INSERT", "INTO") => format!("INSERT INTO {}", name_at(toks, 2).0),
        ("UPDATE", _) => format!("UPDATE {}", name_at(toks, 1).0),
        ("DELETE", "FROM") => format!("DELETE FROM {}", name_at(toks, 2).0),
        ("EXEC" | "EXECUTE", _) => {
            let (procedure, j) = name_at(toks, 1);
            match toks.get(j).and_then(|t| t.string.as_deref()) {
                Some(first) if procedure == "sp_rename" => {
                    format!(
                        "EXEC sp_rename {}",
                        first.to_lowercase().replace(['[', ']'], "")
                    )
                }
                _ => format!("EXEC {procedure}"),
            }
        }
        ("COMMENT", "ON") => format!("COMMENT ON {} {}", word(2), name_at(toks, 3).0),
        ("SET", "IDENTITY_INSERT") => {
            let (table, j) = name_at(toks, 2);
            format!("SET IDENTITY_INSERT {table} {}", word(j))
        }
        (first, _) => first.to_string(),
    }
}

/// Where Alembic's recorded outputs live: `shared/alembic-corpus` beside the
/// repository; `DDLC_ALEMBIC_CORPUS` overrides.
fn corpus_dir() -> camino::Utf8PathBuf {
    std::env::var("DDLC_ALEMBIC_CORPUS")
        .map(camino::Utf8PathBuf::from)
        .unwrap_or_else(|_| crate::support::repo().join("../shared/alembic-corpus"))
}

/// Alembic's statements for a scenario, dialect and direction, or its recorded error.
fn alembic(scenario: &str, dialect: &str, direction: &str) -> Result<Vec<Statement>, String> {
    let dir = corpus_dir().join(scenario);
    let sql = dir.join(format!("{dialect}.{direction}.sql"));
    match std::fs::read_to_string(&sql) {
        Ok(text) => Ok(split(&text, dialect)),
        Err(_) => {
            let error = dir.join(format!("{dialect}.{direction}.error"));
            Err(std::fs::read_to_string(&error)
                .map(|e| e.trim().to_string())
                .unwrap_or_else(|_| "no recorded output".into()))
        }
    }
}

/// Line-level alignment of two shape lists (longest common subsequence).
fn align<'a>(left: &'a [String], right: &'a [String]) -> Vec<(Option<&'a str>, Option<&'a str>)> {
    let (n, m) = (left.len(), right.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if left[i] == right[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < n || j < m {
        if i < n && j < m && left[i] == right[j] {
            out.push((Some(left[i].as_str()), Some(right[j].as_str())));
            i += 1;
            j += 1;
        } else if j == m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push((Some(left[i].as_str()), None));
            i += 1;
        } else {
            out.push((None, Some(right[j].as_str())));
            j += 1;
        }
    }
    out
}

/// Whether `text` matches `pattern`, where `*` matches any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, rest)) => {
            let Some(tail) = text.strip_prefix(head) else {
                return false;
            };
            (0..=tail.len())
                .filter(|&k| tail.is_char_boundary(k))
                .any(|k| glob(rest, &tail[k..]))
        }
    }
}

/// The documented difference explaining `shape` on `side`, if any.
fn documented(scenario: &str, dialect: &str, side: &str, shape: &str) -> Option<usize> {
    DIFFERENCES.iter().position(|d| {
        (d.scenario == "*" || d.scenario == scenario)
            && (d.dialect == "*" || d.dialect == dialect)
            && (d.side == side || d.side == "both")
            && glob(d.shape, shape)
    })
}

/// Tables and indexes created or dropped, in order, as (`TABLE x` / `INDEX x`, shape).
fn structural(shapes: &[String]) -> Vec<(String, String)> {
    shapes
        .iter()
        .filter_map(|s| {
            let mut words = s.split(' ');
            match (words.next(), words.next()) {
                (Some("CREATE" | "DROP"), Some("TABLE")) => {
                    Some((format!("TABLE {}", words.next().unwrap_or("")), s.clone()))
                }
                (Some("CREATE" | "DROP"), Some(_)) if s.contains(" INDEX ") => {
                    let after = s.split(" INDEX ").nth(1).unwrap_or("");
                    // Oracle qualifies the index with the schema, SQL Server the table.
                    let name = after.split(' ').next().unwrap_or("");
                    let bare = name.rsplit('.').next().unwrap_or(name);
                    Some((format!("INDEX {bare}"), s.clone()))
                }
                _ => None,
            }
        })
        .collect()
}

/// Alembic's table/index creates and drops that ddlc lacks, object by object: for each
/// object, Alembic's verb sequence must be an ordered subsequence of ddlc's (objects are
/// independent, so e.g. the order of two branches may differ).
fn missing_objects(alembic: &[String], ddlc: &[String]) -> Vec<String> {
    let (want, have) = (structural(alembic), structural(ddlc));
    let verb = |s: &str| s.split(' ').next().unwrap_or("").to_string();
    let mut missing = Vec::new();
    let mut objects: Vec<&String> = want.iter().map(|(o, _)| o).collect();
    objects.dedup();
    objects.sort();
    objects.dedup();
    for object in objects {
        let mut ours = have
            .iter()
            .filter(|(o, _)| o == object)
            .map(|(_, s)| verb(s));
        for (_, shape) in want.iter().filter(|(o, _)| o == object) {
            let v = verb(shape);
            if !ours.any(|w| w == v) {
                missing.push(shape.clone());
            }
        }
    }
    missing
}

/// Running totals for the report.
#[derive(Default)]
struct Counts {
    parsed: usize,
    allowed: usize,
    failed: usize,
    matching: usize,
    documented: usize,
    rejected: usize,
}

/// One scenario x dialect: the snapshot text, with problems appended to `problems`.
fn check(
    root: &Utf8Path,
    scenario: &str,
    (dialect, dname): (Dialect, &str),
    counts: &mut Counts,
    problems: &mut Vec<String>,
) -> String {
    let mut snap = String::new();
    let mut exact = true;
    for (direction, range, dir) in [
        (Direction::Upgrade, "base:head", "upgrade"),
        (Direction::Downgrade, "head:base", "downgrade"),
    ] {
        let _ = writeln!(snap, "== {dir} {range} ({dname})");
        let theirs = alembic(scenario, dname, dir);
        let theirs_shapes: Vec<String> = match &theirs {
            Ok(statements) => statements.iter().map(|s| shape(&s.text, dname)).collect(),
            Err(e) => {
                let _ = writeln!(snap, "alembic error: {e}");
                Vec::new()
            }
        };
        let ours = match script(root, direction, range, dialect) {
            Ok(text) => text,
            Err(rendered) => {
                let first: Vec<&str> = rendered.lines().take(2).collect();
                let code = first
                    .first()
                    .and_then(|l| l.strip_prefix("error["))
                    .and_then(|l| l.split(']').next())
                    .unwrap_or("");
                let _ = writeln!(snap, "ddlc rejects: {}\n", first.join("\n  "));
                counts.rejected += 1;
                exact = false;
                let known = REJECTIONS.iter().find(|r| {
                    r.scenario == scenario
                        && r.dialect == dname
                        && r.direction == dir
                        && r.code == code
                });
                if let Some(r) = known {
                    let why = r.why.split_whitespace().collect::<Vec<_>>().join(" ");
                    let _ = writeln!(snap, "expected: {why}\n");
                } else {
                    problems.push(format!(
                        "{scenario} {dname} {dir}: unexpected rejection\n{rendered}"
                    ));
                }
                continue;
            }
        };
        let statements = split(&ours, dname);
        let mut ours_shapes = Vec::new();
        let mut allowed = Vec::new();
        for statement in &statements {
            let shape = shape(&statement.text, dname);
            match parse_back(&statement.text, dname) {
                Parsed::Ok => counts.parsed += 1,
                Parsed::Allowed(k) => {
                    counts.allowed += 1;
                    allowed.push(k);
                }
                Parsed::Failed(e) => {
                    counts.failed += 1;
                    problems.push(format!(
                        "{scenario} {dname} {dir}: does not parse ({e}):\n{}",
                        statement.text
                    ));
                }
            }
            if dname == "oracle"
                && statement.text.ends_with(';')
                && shape != "PL/SQL BLOCK"
                && !statement.text.to_uppercase().starts_with("BEGIN")
            {
                problems.push(format!(
                    "{scenario} {dname} {dir}: SQL statement ends in `;` before `/` (SQL*Plus runs it twice):\n{}",
                    statement.text
                ));
            }
            if dname == "oracle" && statement.text.contains("\n\n") {
                problems.push(format!(
                    "{scenario} {dname} {dir}: blank line inside a statement (SQL*Plus ends it there):\n{}",
                    statement.text
                ));
            }
            ours_shapes.push(shape);
        }
        for shape in missing_objects(&theirs_shapes, &ours_shapes) {
            if documented(scenario, dname, "alembic", &shape).is_none() {
                problems.push(format!(
                    "{scenario} {dname} {dir}: Alembic's `{shape}` has no counterpart in ddlc, in order"
                ));
            }
        }
        allowed.sort_unstable();
        allowed.dedup();
        for k in allowed {
            if let Some(a) = ALLOW.get(k) {
                let why = a.why.split_whitespace().collect::<Vec<_>>().join(" ");
                let _ = writeln!(snap, "allow-listed `{}..{}`: {why}", a.starts, a.contains);
            }
        }
        let width = ours_shapes
            .iter()
            .map(|s| s.len())
            .max()
            .unwrap_or(0)
            .max(4);
        let _ = writeln!(snap, "{:width$} | alembic", "ddlc");
        for (left, right) in align(&ours_shapes, &theirs_shapes) {
            let note = match (left, right) {
                (Some(_), Some(_)) => String::new(),
                (Some(l), None) => note(scenario, dname, "ddlc", l, problems, dir),
                (None, Some(r)) => note(scenario, dname, "alembic", r, problems, dir),
                (None, None) => String::new(),
            };
            if !note.is_empty() {
                exact = false;
            }
            let line = format!(
                "{:width$} | {}{note}",
                left.unwrap_or(""),
                right.unwrap_or("")
            );
            let _ = writeln!(snap, "{}", line.trim_end());
        }
        if theirs.is_err() {
            exact = false;
        }
        snap.push('\n');
    }
    let mut used: Vec<usize> = snap
        .split("# D")
        .skip(1)
        .filter_map(|rest| {
            rest.split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        })
        .collect();
    used.sort_unstable();
    used.dedup();
    for k in used {
        if let Some(d) = k.checked_sub(1).and_then(|i| DIFFERENCES.get(i)) {
            let _ = writeln!(
                snap,
                "D{k}: {}",
                d.why.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
    }
    if exact {
        counts.matching += 1;
    } else {
        counts.documented += 1;
    }
    snap
}

/// The `  # D<n>` note for a difference, or a problem when no entry explains it.
fn note(
    scenario: &str,
    dialect: &str,
    side: &str,
    shape: &str,
    problems: &mut Vec<String>,
    dir: &str,
) -> String {
    match documented(scenario, dialect, side, shape) {
        Some(k) => format!("  # D{}", k + 1),
        None => {
            problems.push(format!(
                "{scenario} {dialect} {dir}: undocumented {side}-only shape `{shape}`"
            ));
            "  # UNDOCUMENTED".into()
        }
    }
}

#[test]
fn corpus_parses_back_and_matches_alembic_shapes() {
    // The recorded Alembic outputs are not part of the repository, but CI has
    // them: without them this test would compare nothing, so it must not pass.
    assert!(
        corpus_dir().is_dir(),
        "no Alembic corpus at {}: check out the shared folder beside the repository \
         (../shared/alembic-corpus) or point DDLC_ALEMBIC_CORPUS at a copy",
        corpus_dir()
    );
    let mut counts = Counts::default();
    let mut problems = Vec::new();
    let mut snaps = Vec::new();
    for root in folders(&repo().join("tests/corpus")) {
        let scenario = root.file_name().unwrap_or("").to_string();
        for dialect in DIALECTS {
            let snap = check(&root, &scenario, dialect, &mut counts, &mut problems);
            snaps.push((format!("{scenario}@{}", dialect.1), snap));
        }
    }
    eprintln!(
        "statements parsed {} / allow-listed {} / failing {}; scenario x dialect matching {} / documented differences {}; rejected scripts {}",
        counts.parsed, counts.allowed, counts.failed, counts.matching, counts.documented, counts.rejected
    );
    for (name, snap) in snaps {
        insta::with_settings!({snapshot_path => "../../snapshots/shapes", prepend_module_to_snapshot => false}, {
            insta::assert_snapshot!(name, snap);
        });
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_the_clients() {
        let mssql = "-- c\nBEGIN TRANSACTION;\n\nGO\nINSERT INTO t VALUES ('a;b');\nUPDATE t SET x = 1;\ngo\n";
        let texts: Vec<String> = split(mssql, "mssql").into_iter().map(|s| s.text).collect();
        assert_eq!(
            texts,
            [
                "BEGIN TRANSACTION;",
                "INSERT INTO t VALUES ('a;b');",
                "UPDATE t SET x = 1;"
            ]
        );
        let oracle = "BEGIN\n  NULL;\nEND;\n\n/\n-- c\nDROP TABLE t\n\n/\n";
        let texts: Vec<String> = split(oracle, "oracle")
            .into_iter()
            .map(|s| s.text)
            .collect();
        assert_eq!(texts, ["BEGIN\n  NULL;\nEND;", "DROP TABLE t"]);
    }

    #[test]
    fn shapes_name_kind_and_object() {
        let cases = [
            (
                "mssql",
                "CREATE UNIQUE INDEX [Ix_A] ON dbo.[T] (a);",
                "CREATE UNIQUE INDEX ix_a ON dbo.t",
            ),
            (
                "mssql",
                "IF OBJECT_ID('v', 'U') IS NULL\nCREATE TABLE v (x INT);",
                "CREATE TABLE v",
            ),
            (
                "mssql",
                "ALTER TABLE t ADD c INT NULL;",
                "ALTER TABLE t ADD COLUMN c",
            ),
            (
                "mssql",
                "ALTER TABLE t ALTER COLUMN c INT NULL;",
                "ALTER TABLE t ALTER COLUMN c",
            ),
            (
                "mssql",
                "EXEC sp_rename 'T.a', b, 'COLUMN';",
                "EXEC sp_rename t.a",
            ),
            ("mssql", "DROP INDEX ix ON t;", "DROP INDEX ix ON t"),
            (
                "oracle",
                "ALTER TABLE t MODIFY (c NULL)",
                "ALTER TABLE t MODIFY c",
            ),
            (
                "oracle",
                "COMMENT ON COLUMN t.c IS 'x'",
                "COMMENT ON COLUMN t.c",
            ),
            (
                "oracle",
                "BEGIN\nEXECUTE IMMEDIATE 'CREATE TABLE \"V\" (x INT)';\nEND;",
                "CREATE TABLE v",
            ),
            (
                "oracle",
                "INSERT INTO alembic_version (v) VALUES ('a') RETURNING v INTO :ret_0",
                "INSERT INTO alembic_version",
            ),
        ];
        for (dialect, sql, want) in cases {
            assert_eq!(shape(sql, dialect), want, "{sql}");
        }
    }

    #[test]
    fn objects_are_compared_one_by_one() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        // Another order across objects is fine ...
        let alembic = s(&["CREATE TABLE a", "CREATE TABLE b", "DROP TABLE a"]);
        let ddlc = s(&["CREATE TABLE b", "CREATE TABLE a", "DROP TABLE a"]);
        assert!(missing_objects(&alembic, &ddlc).is_empty());
        // ... a drop before the create of the same object, or a missing index, is not.
        let ddlc = s(&["DROP TABLE a", "CREATE TABLE a", "CREATE TABLE b"]);
        assert_eq!(missing_objects(&alembic, &ddlc), ["DROP TABLE a"]);
        let alembic = s(&["CREATE INDEX ix ON t"]);
        assert_eq!(missing_objects(&alembic, &[]), ["CREATE INDEX ix ON t"]);
        let alembic = s(&["DROP INDEX extra.ix"]);
        assert!(missing_objects(&alembic, &s(&["DROP INDEX ix ON extra.t"])).is_empty());
    }

    #[test]
    fn glob_matches_runs() {
        assert!(glob(
            "ALTER TABLE * DROP CONSTRAINT df_*",
            "ALTER TABLE t DROP CONSTRAINT df_t_c"
        ));
        assert!(!glob(
            "ALTER TABLE * DROP CONSTRAINT df_*",
            "ALTER TABLE t DROP CONSTRAINT uq_t"
        ));
        assert!(glob("COMMIT", "COMMIT"));
        assert!(!glob("COMMIT", "COMMIT TRANSACTION"));
    }

    #[test]
    fn allow_list_is_narrow() {
        // Allow-listed, and the wrapped statement parses.
        let block = "BEGIN\n    EXECUTE IMMEDIATE 'CREATE TABLE v (x INTEGER)';\nEXCEPTION\n    WHEN OTHERS THEN\n        IF SQLCODE != -955 THEN\n            RAISE;\n        END IF;\nEND;";
        assert!(matches!(parse_back(block, "oracle"), Parsed::Allowed(_)));
        // The same block around broken SQL fails.
        let broken = block.replace("CREATE TABLE v (x INTEGER)", "CREATE TABLE v (x INTEGER");
        assert!(matches!(parse_back(&broken, "oracle"), Parsed::Failed(_)));
        // An INTERVAL column does not excuse another error in the same CREATE TABLE.
        let table = "CREATE TABLE t (a INTERVAL DAY TO SECOND, b INTEGER NOT NULL NOT)";
        assert!(matches!(parse_back(table, "oracle"), Parsed::Failed(_)));
        // Unparseable SQL outside the list fails.
        assert!(matches!(
            parse_back("CREATE TABLEX t", "mssql"),
            Parsed::Failed(_)
        ));
        assert_eq!(
            parse_back("ALTER TABLE t ALTER COLUMN c INTEGER NULL;", "mssql"),
            Parsed::Allowed(0)
        );
    }
}

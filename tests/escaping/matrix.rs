//! Hostile names × hostile values through every op that writes a name or a
//! value, applied up and down on a real engine with its own client, then read
//! back from the catalogs and the rows byte for byte.
//!
//! Each hostile name N gets three revisions:
//! 1. `create_table N` (column N with a default and a comment, an enum column
//!    whose type is `en`N, a foreign key `f`N, a CHECK `k`N holding a hostile
//!    value and the name N, a table comment), `add_column N.xN` (default,
//!    comment), `alter_column N.xN` (new default and comment),
//!    `create_unique_constraint uN`, `create_index iN`, and on PostgreSQL and
//!    SQLite an expression index `j`N and a partial index `w`N;
//! 2. `bulk_insert N` with every hostile value as a row (and a long one);
//! 3. `rename_column N.xN -> yN`, `rename_table N -> rN`.
//!
//! The version table's name and column are hostile too.

use crate::clients::{hex, unhex, Db, Kind};
use crate::hostile;
use crate::project::{lit, name, Revision};

/// The version table of the matrix project.
pub const VERSION_TABLE: (&str, &str) = ("v'e\"r`s\\;--ion", "n'u`m%s\\");

/// The CHECK and the defaults take values by role, so that across the names
/// every role sees many values: role r of name i is value (i + r) mod count.
#[derive(Clone, Copy)]
enum Role {
    Default = 0,
    Comment = 1,
    Check = 2,
    TableComment = 3,
    AddedDefault = 4,
    AddedComment = 5,
    NewDefault = 6,
    NewComment = 7,
    Where = 8,
}

/// What one name's revisions write, and so what must read back.
pub struct Case {
    /// The hostile name.
    pub n: String,
    /// The values, by role.
    values: Vec<String>,
    /// The rows' values (v and the column N).
    pub rows: Vec<(String, String, String)>,
}

impl Case {
    fn value(&self, r: Role) -> &str {
        &self.values[r as usize]
    }

    /// True when `v` is one of the comments this case writes (upgrade or
    /// derived downgrade).
    pub fn has_comment(&self, v: &str) -> bool {
        [
            Role::Comment,
            Role::TableComment,
            Role::AddedComment,
            Role::NewComment,
        ]
        .iter()
        .any(|r| self.value(*r) == v)
    }
}

/// The cases for `names` with `values` and the enum `labels`; a comment takes
/// the next value `comment_ok` accepts (MySQL keeps comments in utf8mb3).
pub fn cases(
    names: &[String],
    values: &[String],
    labels: &[String],
    comment_ok: fn(&str) -> bool,
) -> Vec<Case> {
    let long = hostile::long_value();
    let comments = [
        Role::Comment,
        Role::TableComment,
        Role::AddedComment,
        Role::NewComment,
    ];
    names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let by_role = (0..9)
                .map(|r| {
                    let is_comment = comments.iter().any(|c| *c as usize == r);
                    (0..values.len())
                        .map(|k| &values[(i + r + k) % values.len()])
                        .find(|v| !is_comment || comment_ok(v))
                        .cloned()
                        .unwrap_or_default()
                })
                .collect();
            let mut rows: Vec<(String, String, String)> = values
                .iter()
                .enumerate()
                .map(|(j, v)| (v.clone(), v.clone(), labels[j % labels.len()].clone()))
                .collect();
            rows.push((long.clone(), long.clone(), labels[0].clone()));
            Case {
                n: n.clone(),
                values: by_role,
                rows,
            }
        })
        .collect()
}

/// A multi-line doc of client commands and comment ends, mentioning `n`.
fn doc_text(n: &str) -> String {
    let n = n.replace("\"\"\"", "'''");
    format!(
        "about {n}\n*/ DROP TABLE victim; --\nGO\n/\n.\n#host touch x\n:DBNAME\n$(PATH)\n\r\n{n}"
    )
}

/// Words the clients know as commands, as columns of every table (unless the
/// hostile name is the same word: MySQL's column names ignore case).
fn fixed_columns(n: &str) -> Vec<&'static str> {
    ["delimiter", "go"]
        .into_iter()
        .filter(|f| !f.eq_ignore_ascii_case(n))
        .collect()
}

/// The revisions of the matrix project, with an expression index and a
/// partial index where the dialect has them.
pub fn revisions(
    cases: &[Case],
    labels: &[String],
    expr_index: bool,
    partial_index: bool,
) -> Vec<Revision> {
    let mut out = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let t = name(&c.n);
        let col = |prefix: &str| name(&format!("{prefix}{}", c.n));
        let labels: Vec<String> = labels.iter().map(|l| lit(l)).collect();
        let mut up = format!(
            "    create_table {t} {{
        id : integer primary_key
        {t} : text default {} comment {}
        v : text
        k : integer
        p : integer
        e : enum({}: {})
{}        foreign_key {} (p) -> {t} (id)
        check {} (k <> -1 OR {t} <> {})
        table_comment {}
    }}
    add_column {t}.{} : text default {} comment {}
    alter_column {t}.{} default {} comment {}
    create_unique_constraint {} on {t} (k)
    create_index {} on {t} (k)
",
            lit(c.value(Role::Default)),
            lit(c.value(Role::Comment)),
            col("en"),
            labels.join(", "),
            fixed_columns(&c.n)
                .iter()
                .map(|f| format!("        {f} : integer\n"))
                .collect::<String>(),
            col("f"),
            col("k"),
            lit(c.value(Role::Check)),
            lit(c.value(Role::TableComment)),
            col("x"),
            lit(c.value(Role::AddedDefault)),
            lit(c.value(Role::AddedComment)),
            col("x"),
            lit(c.value(Role::NewDefault)),
            lit(c.value(Role::NewComment)),
            col("u"),
            col("i"),
        );
        if expr_index {
            up.push_str(&format!(
                "    create_index {} on {t} ((lower({t})))\n",
                col("j")
            ));
        }
        if partial_index {
            up.push_str(&format!(
                "    create_index {} on {t} (k) where ({t} <> {})\n",
                col("w"),
                lit(c.value(Role::Where)),
            ));
        }
        // The message and the doc reach the script as `--` comment lines.
        let message = c.values[(Role::Where as usize + 1) % c.values.len()].clone();
        out.push(Revision {
            id: format!("a{i:02}"),
            upgrade: up,
            downgrade: "auto".into(),
            message: Some((message, doc_text(&c.n))),
        });
        let rows: Vec<String> = c
            .rows
            .iter()
            .enumerate()
            .map(|(j, (v, nv, e))| {
                format!(
                    "        ({}, {}, {}, {}, {})",
                    j + 1,
                    j + 1,
                    lit(v),
                    lit(nv),
                    lit(e)
                )
            })
            .collect();
        out.push(Revision {
            id: format!("b{i:02}"),
            upgrade: format!(
                "    bulk_insert {t} (id, k, v, {t}, e) {{\n{}\n    }}",
                rows.join("\n")
            ),
            // Revision a's downgrade drops the table and its rows with it.
            downgrade: "{ }".into(),
            message: None,
        });
        out.push(Revision {
            id: format!("c{i:02}"),
            upgrade: format!(
                "    rename_column {t}.{} -> {}\n    rename_table {t} -> {}",
                col("x"),
                col("y"),
                col("r")
            ),
            downgrade: "auto".into(),
            message: None,
        });
    }
    out
}

/// Checks everything the upgrade wrote, from the catalogs and the rows.
pub fn read_back(db: &Db, cases: &[Case], labels: &[String], head: &str) -> Result<(), String> {
    let mut expected_tables: Vec<String> = cases.iter().map(|c| format!("r{}", c.n)).collect();
    expected_tables.push("victim".into());
    expected_tables.push(VERSION_TABLE.0.into());
    let tables = tables(db)?;
    same_set("tables", &tables, &expected_tables)?;
    let versions = db.query(&format!(
        "SELECT {} FROM {}",
        db.hexed(&db.ident(VERSION_TABLE.1)),
        db.ident(VERSION_TABLE.0)
    ))?;
    let versions: Vec<String> = versions.iter().map(|r| unhex(&r[0])).collect();
    same_set("version rows", &versions, &[head.to_string()])?;
    for c in cases {
        case(db, c, labels).map_err(|e| format!("name {:?}: {e}", c.n))?;
    }
    Ok(())
}

fn case(db: &Db, c: &Case, labels: &[String]) -> Result<(), String> {
    let table = format!("r{}", c.n);
    let n = &c.n;
    let columns: Vec<String> = ["id", n, "v", "k", "p", "e"]
        .iter()
        .chain(fixed_columns(n).iter())
        .map(|s| s.to_string())
        .chain([format!("y{n}")])
        .collect();
    let got = self::columns(db, &table)?;
    if got != columns {
        return Err(format!("columns {got:?}, expected {columns:?}"));
    }
    let (mut constraints, indexes) = objects(db, &table)?;
    if db.kind() == Kind::Sqlite {
        // The enum's CHECK, named ck_<table>_e_<enum> (shortened with a hash
        // when long): generated, so only its presence is checked.
        let before = constraints.len();
        constraints.retain(|c| !c.starts_with("ck_"));
        if before != constraints.len() + 1 {
            return Err(format!("no single enum CHECK among {constraints:?}"));
        }
    }
    let want_constraints: Vec<String> = match db.kind() {
        Kind::Mariadb => vec![
            "PRIMARY".into(),
            format!("f{n}"),
            format!("k{n}"),
            format!("u{n}"),
        ],
        _ => vec![
            format!("pk_{n}"),
            format!("f{n}"),
            format!("k{n}"),
            format!("u{n}"),
        ],
    };
    same_set("constraints", &constraints, &want_constraints)?;
    let mut want_indexes = vec![format!("i{n}")];
    if db.kind() != Kind::Mariadb {
        want_indexes.push(format!("j{n}"));
        want_indexes.push(format!("w{n}"));
    }
    for w in &want_indexes {
        if !indexes.contains(w) {
            return Err(format!("no index {w:?} among {indexes:?}"));
        }
    }
    if db.kind() != Kind::Sqlite {
        let (table_comment, column_comments) = comments(db, &table)?;
        same_comment("table comment", &table_comment, c.value(Role::TableComment))?;
        same_comment(
            "column comment",
            column_comments.get(n).unwrap_or(&String::new()),
            c.value(Role::Comment),
        )?;
        same_comment(
            "added column comment",
            column_comments
                .get(&format!("y{n}"))
                .unwrap_or(&String::new()),
            c.value(Role::NewComment),
        )?;
    }
    if db.kind() == Kind::Postgres {
        let got = db.query(&format!(
            "SELECT {} FROM pg_enum WHERE enumtypid = (SELECT oid FROM pg_type WHERE typname = {}) ORDER BY enumsortorder",
            db.hexed("enumlabel"),
            db.text(&format!("en{n}"))
        ))?;
        let got: Vec<String> = got.iter().map(|r| unhex(&r[0])).collect();
        if got != labels {
            return Err(format!("enum labels {got:?}, expected {labels:?}"));
        }
    }
    // The rows, byte for byte.
    let t = db.ident(&table);
    // An ENUM reads as its label in a string function (MariaDB).
    let e = if db.kind() == Kind::Mariadb {
        "CONCAT(e)"
    } else {
        "e"
    };
    let rows = db.query(&format!(
        "SELECT id, {}, {}, {} FROM {t} ORDER BY id",
        db.hexed("v"),
        db.hexed(&db.ident(n)),
        db.hexed(e)
    ))?;
    let rows: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| (unhex(&r[1]), unhex(&r[2]), unhex(&r[3])))
        .collect();
    if rows != c.rows {
        let first = rows
            .iter()
            .zip(&c.rows)
            .position(|(a, b)| a != b)
            .unwrap_or(rows.len().min(c.rows.len()));
        return Err(format!(
            "{} rows read back, {} written; first difference at row {}: {:?} != {:?}",
            rows.len(),
            c.rows.len(),
            first + 1,
            rows.get(first),
            c.rows.get(first)
        ));
    }
    // The defaults, through a row that gives neither column.
    db.query(&format!("INSERT INTO {t} (id, k) VALUES (9999, 9999)"))?;
    let got = db.query(&format!(
        "SELECT {}, {} FROM {t} WHERE id = 9999",
        db.hexed(&db.ident(n)),
        db.hexed(&db.ident(&format!("y{n}")))
    ))?;
    let got = got.first().ok_or("the default row is missing")?;
    let defaults = (unhex(&got[0]), unhex(&got[1]));
    let want = (
        c.value(Role::Default).to_string(),
        c.value(Role::NewDefault).to_string(),
    );
    if defaults != want {
        return Err(format!("defaults {defaults:?}, expected {want:?}"));
    }
    db.query(&format!("DELETE FROM {t} WHERE id = 9999"))?;
    Ok(())
}

/// The tables of the database, by name.
pub fn tables(db: &Db) -> Result<Vec<String>, String> {
    let sql = match db.kind() {
        Kind::Postgres => format!(
            "SELECT {} FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace",
            db.hexed("relname")
        ),
        Kind::Mariadb => format!(
            "SELECT {} FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
            db.hexed("TABLE_NAME")
        ),
        Kind::Sqlite => format!(
            "SELECT {} FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
            db.hexed("name")
        ),
    };
    Ok(db.query(&sql)?.iter().map(|r| unhex(&r[0])).collect())
}

fn columns(db: &Db, table: &str) -> Result<Vec<String>, String> {
    let t = db.text(table);
    let sql = match db.kind() {
        Kind::Postgres => format!(
            "SELECT {} FROM pg_attribute WHERE attrelid = (SELECT oid FROM pg_class WHERE relname = {t} AND relnamespace = 'public'::regnamespace) AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
            db.hexed("attname")
        ),
        Kind::Mariadb => format!(
            "SELECT {} FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {t} ORDER BY ORDINAL_POSITION",
            db.hexed("COLUMN_NAME")
        ),
        Kind::Sqlite => format!("SELECT {} FROM pragma_table_info({t}) ORDER BY cid", db.hexed("name")),
    };
    Ok(db.query(&sql)?.iter().map(|r| unhex(&r[0])).collect())
}

/// (constraint names, index names) of a table.
fn objects(db: &Db, table: &str) -> Result<(Vec<String>, Vec<String>), String> {
    let t = db.text(table);
    let one = |sql: String| -> Result<Vec<String>, String> {
        Ok(db.query(&sql)?.iter().map(|r| unhex(&r[0])).collect())
    };
    match db.kind() {
        Kind::Postgres => {
            let oid = format!("(SELECT oid FROM pg_class WHERE relname = {t} AND relnamespace = 'public'::regnamespace)");
            Ok((
                one(format!("SELECT {} FROM pg_constraint WHERE conrelid = {oid}", db.hexed("conname")))?,
                one(format!(
                    "SELECT {} FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = {oid}",
                    db.hexed("i.relname")
                ))?,
            ))
        }
        Kind::Mariadb => Ok((
            one(format!(
                "SELECT {} FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = {t}",
                db.hexed("CONSTRAINT_NAME")
            ))?,
            one(format!(
                "SELECT DISTINCT {} FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {t}",
                db.hexed("INDEX_NAME")
            ))?,
        )),
        Kind::Sqlite => {
            // SQLite keeps constraint names only in the table's SQL text.
            let sql = one(format!(
                "SELECT {} FROM sqlite_master WHERE type = 'table' AND name = {t}",
                db.hexed("sql")
            ))?;
            let sql = sql.first().cloned().unwrap_or_default();
            let constraints = sql
                .match_indices("CONSTRAINT ")
                .filter_map(|(i, _)| sqlite_name(&sql[i + "CONSTRAINT ".len()..]))
                .collect();
            Ok((
                constraints,
                one(format!(
                    "SELECT {} FROM sqlite_master WHERE type = 'index' AND tbl_name = {t}",
                    db.hexed("name")
                ))?,
            ))
        }
    }
}

/// The name at the start of `s`: `"..."`-quoted, or a bare word.
fn sqlite_name(s: &str) -> Option<String> {
    let mut out = String::new();
    let Some(quoted) = s.strip_prefix('"') else {
        let word: String = s
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        return (!word.is_empty()).then_some(word);
    };
    let mut chars = quoted.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' {
            if chars.peek() == Some(&'"') {
                chars.next();
            } else {
                return Some(out);
            }
        }
        out.push(c);
    }
    None
}

/// (table comment, column name → comment).
fn comments(
    db: &Db,
    table: &str,
) -> Result<(String, std::collections::HashMap<String, String>), String> {
    let t = db.text(table);
    let (table_sql, column_sql) = match db.kind() {
        Kind::Postgres => {
            let oid = format!("(SELECT oid FROM pg_class WHERE relname = {t} AND relnamespace = 'public'::regnamespace)");
            (
                format!("SELECT {}", db.hexed(&format!("obj_description({oid}, 'pg_class')"))),
                format!(
                    "SELECT {}, {} FROM pg_attribute WHERE attrelid = {oid} AND attnum > 0 AND NOT attisdropped",
                    db.hexed("attname"),
                    db.hexed(&format!("col_description({oid}, attnum)"))
                ),
            )
        }
        _ => (
            format!(
                "SELECT {} FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {t}",
                db.hexed("TABLE_COMMENT")
            ),
            format!(
                "SELECT {}, {} FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {t}",
                db.hexed("COLUMN_NAME"),
                db.hexed("COLUMN_COMMENT")
            ),
        ),
    };
    let table_comment = db
        .query(&table_sql)?
        .first()
        .and_then(|r| r.first())
        .map(|h| unhex(h))
        .unwrap_or_default();
    let columns = db
        .query(&column_sql)?
        .iter()
        .map(|r| (unhex(&r[0]), r.get(1).map(|h| unhex(h)).unwrap_or_default()))
        .collect();
    Ok((table_comment, columns))
}

/// An empty comment is no comment on both PostgreSQL and MariaDB.
fn same_comment(what: &str, got: &str, want: &str) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!(
            "{what} {got:?} (hex {}), expected {want:?}",
            hex(got.as_bytes())
        ))
    }
}

fn same_set(what: &str, got: &[String], want: &[String]) -> Result<(), String> {
    let mut a = got.to_vec();
    let mut b = want.to_vec();
    a.sort();
    b.sort();
    if a == b {
        return Ok(());
    }
    let extra: Vec<&String> = a.iter().filter(|x| !b.contains(x)).collect();
    let missing: Vec<&String> = b.iter().filter(|x| !a.contains(x)).collect();
    Err(format!("{what}: unexpected {extra:?}, missing {missing:?}"))
}

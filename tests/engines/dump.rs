//! Normalised schema dumps: one sorted text line per schema object, so a database built by
//! Alembic's script and one built by ddlc's compare line by line. Each line exists in two
//! forms: `exact` (explicit names kept, engine-generated names as `*`) and `nameless` (every
//! constraint/index name as `~`, for when one side named what the other left to the engine).

use std::collections::BTreeMap;

use crate::engine::collapse;

/// One object: its exact and name-insensitive renderings.
#[derive(Clone, Debug)]
pub struct Line {
    /// Explicit names kept, engine-generated names replaced by `*`.
    pub exact: String,
    /// All constraint and index names replaced by `~`.
    pub nameless: String,
}

/// A normalised schema dump.
#[derive(Clone, Debug, Default)]
pub struct Dump {
    /// The objects, unsorted.
    pub lines: Vec<Line>,
}

impl Dump {
    /// Sorted exact lines.
    pub fn exact(&self) -> Vec<String> {
        let mut v: Vec<String> = self.lines.iter().map(|l| l.exact.clone()).collect();
        v.sort();
        v
    }

    /// Sorted name-insensitive lines.
    pub fn nameless(&self) -> Vec<String> {
        let mut v: Vec<String> = self.lines.iter().map(|l| l.nameless.clone()).collect();
        v.sort();
        v
    }

    /// Sorted exact lines with column positions left out (`column t #3 x ...` becomes
    /// `column t x ...`): the comparison by column name.
    pub fn by_name(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .lines
            .iter()
            .map(|l| strip_position(&l.exact))
            .collect();
        v.sort();
        v
    }

    /// Per table, its column names in position order: `table: a, b, c`.
    pub fn column_orders(&self) -> Vec<String> {
        let mut tables: BTreeMap<String, Vec<(usize, String)>> = BTreeMap::new();
        for l in &self.lines {
            let f: Vec<&str> = l.exact.splitn(5, ' ').collect();
            if let ["column", t, pos, name, _] = f.as_slice() {
                let n = pos.trim_start_matches('#').parse().unwrap_or(0);
                tables
                    .entry(t.to_string())
                    .or_default()
                    .push((n, name.to_string()));
            }
        }
        tables
            .into_iter()
            .map(|(t, mut cols)| {
                cols.sort();
                let names: Vec<String> = cols.into_iter().map(|c| c.1).collect();
                format!("{t}: {}", names.join(", "))
            })
            .collect()
    }

    /// Tables and views only (what the corpus's "returns to empty" looks at).
    pub fn relations(&self) -> Vec<String> {
        self.exact()
            .into_iter()
            .filter(|l| l.starts_with("table ") || l.starts_with("view "))
            .collect()
    }

    fn plain(&mut self, text: String) {
        self.lines.push(Line {
            exact: text.clone(),
            nameless: text,
        });
    }

    /// An object with a name: `generated` names print as `*`, and `~` in nameless mode.
    fn named(&mut self, kind: &str, table: &str, name: &str, generated: bool, rest: &str) {
        let shown = if generated { "*" } else { name };
        self.lines.push(Line {
            exact: format!("{kind} {table} {shown} {rest}"),
            nameless: format!("{kind} {table} ~ {rest}"),
        });
    }
}

/// A dump line without its column position.
fn strip_position(line: &str) -> String {
    let f: Vec<&str> = line.splitn(4, ' ').collect();
    match f.as_slice() {
        ["column", t, pos, rest] if pos.starts_with('#') => format!("column {t} {rest}"),
        _ => line.to_string(),
    }
}

/// `- line` / `+ line` for lines only in `a` / only in `b` (both sorted).
pub fn diff(a: &[String], b: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => {
                out.push(format!("- {x}"));
                i += 1;
            }
            (Some(_), Some(y)) => {
                out.push(format!("+ {y}"));
                j += 1;
            }
            (Some(x), None) => {
                out.push(format!("- {x}"));
                i += 1;
            }
            (None, Some(y)) => {
                out.push(format!("+ {y}"));
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// Strips parentheses that wrap the whole expression and collapses whitespace.
pub fn normalize_expr(expr: &str) -> String {
    let mut s = collapse(expr);
    loop {
        let t = s.trim();
        if t.starts_with('(') && t.ends_with(')') && wraps_whole(t) {
            s = t[1..t.len() - 1].trim().to_string();
        } else {
            return t.to_string();
        }
    }
}

/// Whether the `(` at the start of `s` closes at its very end.
fn wraps_whole(s: &str) -> bool {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' | '`' => quote = Some(c),
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return i == s.len() - 1;
                }
            }
            _ => {}
        }
    }
    false
}

/// `name` minus trailing digits (engines add them to make generated names unique).
fn strip_digits(name: &str) -> &str {
    name.trim_end_matches(|c: char| c.is_ascii_digit())
}

fn quoted(s: &str) -> String {
    format!("{s:?}")
}

// ------------------------------------------------------------------------------ PostgreSQL

/// One query (UNION ALL of text rows, fields split by U+001F, rows by U+001E) over the
/// `public` and `extra` schemas.
pub const PG_QUERY: &str = r#"
WITH ns AS (SELECT oid, nspname FROM pg_namespace WHERE nspname IN ('public', 'extra'))
SELECT concat_ws(chr(31), 'table', ns.nspname, c.relname, coalesce(obj_description(c.oid, 'pg_class'), ''))
  FROM pg_class c JOIN ns ON ns.oid = c.relnamespace WHERE c.relkind IN ('r', 'p')
UNION ALL
SELECT concat_ws(chr(31), 'view', ns.nspname, c.relname, pg_get_viewdef(c.oid))
  FROM pg_class c JOIN ns ON ns.oid = c.relnamespace WHERE c.relkind IN ('v', 'm')
UNION ALL
SELECT concat_ws(chr(31), 'column', ns.nspname, c.relname,
       (row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum))::text, a.attname,
       format_type(a.atttypid, a.atttypmod), CASE WHEN a.attnotnull THEN 'not null' ELSE 'null' END,
       coalesce(pg_get_expr(d.adbin, d.adrelid), ''), a.attidentity::text, a.attgenerated::text,
       coalesce(col_description(c.oid, a.attnum), ''))
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN ns ON ns.oid = c.relnamespace
  LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
  WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT concat_ws(chr(31), 'constraint', ns.nspname, c.relname, k.conname, k.contype::text,
       pg_get_constraintdef(k.oid),
       array_to_string(ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(n, o)
                             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n
                             ORDER BY u.o), '_'))
  FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN ns ON ns.oid = c.relnamespace
  WHERE k.contype IN ('p', 'u', 'c', 'f', 'x')
UNION ALL
SELECT concat_ws(chr(31), 'index', ns.nspname, t.relname, i.relname, pg_get_indexdef(i.oid))
  FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
  JOIN ns ON ns.oid = t.relnamespace
  WHERE NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid
                    AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x'))
UNION ALL
SELECT concat_ws(chr(31), 'enum', ns.nspname, t.typname,
       coalesce((SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
                 FROM pg_enum e WHERE e.enumtypid = t.oid), ''))
  FROM pg_type t JOIN ns ON ns.oid = t.typnamespace WHERE t.typtype = 'e'
UNION ALL
SELECT concat_ws(chr(31), 'sequence', ns.nspname, c.relname, s.seqtypid::regtype::text,
       s.seqstart::text, s.seqincrement::text)
  FROM pg_class c JOIN ns ON ns.oid = c.relnamespace JOIN pg_sequence s ON s.seqrelid = c.oid
  WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                    AND d.objid = c.oid AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0)
"#;

fn pg_schema(nsp: &str) -> &'static str {
    if nsp == "extra" {
        "extra."
    } else {
        ""
    }
}

/// Builds the dump from [`PG_QUERY`]'s output, leaving out tables named `version_table`.
pub fn postgres(rows: &str, version_table: &str) -> Dump {
    let mut dump = Dump::default();
    for row in rows.split('\u{1e}') {
        let row = row.trim_matches('\n');
        let f: Vec<&str> = row.split('\u{1f}').collect();
        let (Some(kind), Some(nsp), Some(rel)) = (f.first(), f.get(1), f.get(2)) else {
            continue;
        };
        let field = |i: usize| f.get(i).copied().unwrap_or("");
        let is_vt = *rel == version_table;
        let t = format!("{}{}", pg_schema(nsp), rel);
        match *kind {
            "table" if !is_vt => {
                let mut line = format!("table {t}");
                if !field(3).is_empty() {
                    line.push_str(&format!(" comment={}", quoted(field(3))));
                }
                dump.plain(line);
            }
            "view" => dump.plain(format!("view {t} {}", normalize_expr(field(3)))),
            "column" if !is_vt => {
                let (default, identity, generated) = (field(7), field(8), field(9));
                let mut line = format!(
                    "column {t} #{} {} {} {}",
                    field(3),
                    field(4),
                    field(5),
                    field(6)
                );
                // SERIAL (a nextval default) and IDENTITY are the same thing to a user.
                let serial = default.starts_with("nextval(");
                if generated == "s" {
                    line.push_str(&format!(" generated={}", normalize_expr(default)));
                } else if !default.is_empty() && !serial {
                    line.push_str(&format!(" default={}", collapse(default)));
                }
                if serial || identity == "a" || identity == "d" {
                    line.push_str(" autoincrement");
                }
                if !field(10).is_empty() {
                    line.push_str(&format!(" comment={}", quoted(field(10))));
                }
                dump.plain(line);
            }
            "constraint" if !is_vt => {
                let (name, contype, def, cols) = (field(3), field(4), field(5), field(6));
                let (what, generated_suffix) = match contype {
                    "p" => ("pk", format!("{rel}_pkey")),
                    "u" => ("unique", format!("{rel}_{cols}_key")),
                    "f" => ("fk", format!("{rel}_{cols}_fkey")),
                    "x" => ("exclude", format!("{rel}_{cols}_excl")),
                    _ => ("check", String::new()),
                };
                let generated = if contype == "c" {
                    name.starts_with(&format!("{rel}_")) && strip_digits(name).ends_with("check")
                } else {
                    strip_digits(name) == generated_suffix
                };
                let def = if contype == "c" {
                    normalize_expr(def.trim_start_matches("CHECK ").trim())
                } else {
                    collapse(def)
                };
                dump.named(what, &t, name, generated, &def);
            }
            "index" if !is_vt => {
                let (name, def) = (field(3), field(4));
                let unique = if def.starts_with("CREATE UNIQUE") {
                    "unique "
                } else {
                    ""
                };
                let body = def.split_once(" USING ").map(|(_, b)| b).unwrap_or(def);
                let generated =
                    name.starts_with(&format!("{rel}_")) && strip_digits(name).ends_with("_idx");
                dump.named(
                    "index",
                    &t,
                    name,
                    generated,
                    &format!("{unique}using {}", collapse(body)),
                );
            }
            "enum" => dump.plain(format!("enum {t} ({})", field(3))),
            "sequence" => dump.plain(format!(
                "sequence {t} {} start {} by {}",
                field(3),
                field(4),
                field(5)
            )),
            _ => {}
        }
    }
    dump
}

// -------------------------------------------------------------------------------- MariaDB

/// Queries (tab-separated, one kind per statement) over the test database and `extra_db`.
pub fn mariadb_query(db: &str, extra_db: &str) -> String {
    let s = format!("('{db}', '{extra_db}')");
    format!(
        "SELECT 'table', TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, IFNULL(ENGINE, ''), IFNULL(TABLE_COLLATION, ''), TABLE_COMMENT \
           FROM information_schema.TABLES WHERE TABLE_SCHEMA IN {s};
         SELECT 'column', c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION, c.COLUMN_NAME, c.COLUMN_TYPE, c.IS_NULLABLE, \
                c.COLUMN_DEFAULT IS NULL, IFNULL(c.COLUMN_DEFAULT, ''), c.EXTRA, c.COLUMN_COMMENT, \
                IF(c.COLLATION_NAME = t.TABLE_COLLATION, '', IFNULL(c.COLLATION_NAME, '')), IFNULL(c.GENERATION_EXPRESSION, '') \
           FROM information_schema.COLUMNS c JOIN information_schema.TABLES t USING (TABLE_SCHEMA, TABLE_NAME) \
          WHERE c.TABLE_SCHEMA IN {s} AND t.TABLE_TYPE = 'BASE TABLE';
         SELECT 'index', TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, \
                IFNULL(SUB_PART, ''), INDEX_TYPE, IFNULL(COLLATION, '') \
           FROM information_schema.STATISTICS WHERE TABLE_SCHEMA IN {s};
         SELECT 'fk', k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION, k.COLUMN_NAME, \
                k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE \
           FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r \
             ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME \
          WHERE k.TABLE_SCHEMA IN {s} AND k.REFERENCED_TABLE_NAME IS NOT NULL;
         SELECT 'check', CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, LEVEL, CHECK_CLAUSE \
           FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA IN {s};"
    )
}

/// Undoes `mariadb -B` escaping of tabs, newlines and backslashes.
fn unescape_batch(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('0') => out.push('\0'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// An index being assembled: non_unique, index type, (seq, column) parts.
type Index = (String, String, Vec<(usize, String)>);

/// Builds the dump from [`mariadb_query`]'s output.
pub fn mariadb(rows: &str, db: &str, extra_db: &str, version_table: &str) -> Dump {
    let schema = |s: &str| -> String {
        if s == db {
            String::new()
        } else if !extra_db.is_empty() && s == extra_db {
            "extra.".to_string()
        } else {
            format!("{s}.")
        }
    };
    let mut dump = Dump::default();
    // (table, index) -> (non_unique, type, [(seq, col)])
    let mut indexes: BTreeMap<(String, String, String), Index> = BTreeMap::new();
    // (table, fk name) -> (cols, ref table, ref cols, update, delete)
    type Fk = (Vec<(usize, String, String)>, String, String, String);
    let mut fks: BTreeMap<(String, String, String), Fk> = BTreeMap::new();
    for row in rows.lines() {
        let f: Vec<String> = row.split('\t').map(unescape_batch).collect();
        let field = |i: usize| f.get(i).map(String::as_str).unwrap_or("");
        let (kind, rel) = (field(0), field(2));
        if rel == version_table {
            continue;
        }
        let t = format!("{}{}", schema(field(1)), rel);
        match kind {
            "table" if field(3) == "VIEW" => dump.plain(format!("view {t}")),
            "table" => {
                let mut line = format!("table {t} engine={} collation={}", field(4), field(5));
                if !field(6).is_empty() {
                    line.push_str(&format!(" comment={}", quoted(field(6))));
                }
                dump.plain(line);
            }
            "column" => {
                let null = if field(6) == "YES" {
                    "null"
                } else {
                    "not null"
                };
                let mut line = format!("column {t} #{} {} {} {null}", field(3), field(4), field(5));
                let extra = field(9);
                if !field(12).is_empty() {
                    line.push_str(&format!(" generated={}", normalize_expr(field(12))));
                } else if field(7) == "0" {
                    // MariaDB qualifies a sequence in a default (`nextval(`db`.`s`)`)
                    // with the database: drop it, as table names drop it, so that
                    // two databases with the same schema dump the same.
                    let mut default = field(8).replace(&format!("`{db}`."), "");
                    if !extra_db.is_empty() {
                        default = default.replace(&format!("`{extra_db}`."), "`extra`.");
                    }
                    line.push_str(&format!(" default={default}"));
                }
                if extra.contains("auto_increment") {
                    line.push_str(" autoincrement");
                }
                let rest = extra.replace("auto_increment", "");
                let rest = rest
                    .replace("VIRTUAL GENERATED", "")
                    .replace("STORED GENERATED", "");
                if !rest.trim().is_empty() {
                    line.push_str(&format!(" extra={}", quoted(rest.trim())));
                }
                if !field(10).is_empty() {
                    line.push_str(&format!(" comment={}", quoted(field(10))));
                }
                if !field(11).is_empty() {
                    line.push_str(&format!(" collation={}", field(11)));
                }
                dump.plain(line);
            }
            "index" => {
                let seq = field(5).parse().unwrap_or(0);
                let mut col = field(6).to_string();
                if !field(7).is_empty() {
                    col = format!("{col}({})", field(7));
                }
                if field(9) == "D" {
                    col.push_str(" DESC");
                }
                let e = indexes
                    .entry((t.clone(), rel.to_string(), field(3).to_string()))
                    .or_insert_with(|| (field(4).to_string(), field(8).to_string(), Vec::new()));
                e.2.push((seq, col));
            }
            "fk" => {
                let e = fks
                    .entry((t.clone(), rel.to_string(), field(3).to_string()))
                    .or_insert_with(|| {
                        (
                            Vec::new(),
                            format!("{}{}", schema(field(6)), field(7)),
                            format!("on update {} on delete {}", field(9), field(10)),
                            String::new(),
                        )
                    });
                e.0.push((
                    field(4).parse().unwrap_or(0),
                    field(5).to_string(),
                    field(8).to_string(),
                ));
            }
            "check" => {
                let name = field(3);
                // Column-level checks are named after the column; table-level ones CONSTRAINT_n.
                let generated = field(4) == "Column" || strip_digits(name) == "CONSTRAINT_";
                dump.named("check", &t, name, generated, &normalize_expr(field(5)));
            }
            _ => {}
        }
    }
    let mut fk_names: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for ((t, rel, name), (mut cols, rtable, rules, _)) in fks {
        cols.sort();
        let from: Vec<&str> = cols.iter().map(|c| c.1.as_str()).collect();
        let to: Vec<&str> = cols.iter().map(|c| c.2.as_str()).collect();
        let generated = strip_digits(&name) == format!("{rel}_ibfk_");
        fk_names
            .entry((t.clone(), name.clone()))
            .or_default()
            .push(from.join(","));
        let rest = format!(
            "({}) references {rtable} ({}) {rules}",
            from.join(", "),
            to.join(", ")
        );
        dump.named("fk", &t, &name, generated, &rest);
    }
    // InnoDB needs an index whose leading columns are a foreign key's; it adds one named
    // after the constraint, drops it when a user index covers the columns, and a script
    // that drops that user index must first create one (ddlc does, named like InnoDB's).
    // Which of them exists then depends on history, not on the declared schema: an index
    // named after a foreign key is left out when another index covers its columns.
    let index_cols: Vec<(String, String, Vec<String>)> = indexes
        .iter()
        .map(|((t, _, name), (_, _, cols))| {
            let mut cols = cols.clone();
            cols.sort();
            (
                t.clone(),
                name.clone(),
                cols.into_iter().map(|c| c.1).collect(),
            )
        })
        .collect();
    let covered = |t: &str, name: &str| -> bool {
        let Some((_, _, mine)) = index_cols.iter().find(|(it, n, _)| it == t && n == name) else {
            return false;
        };
        index_cols
            .iter()
            .any(|(it, n, cols)| it == t && n != name && cols.starts_with(mine))
    };
    for ((t, _rel, name), (non_unique, itype, mut cols)) in indexes {
        if non_unique == "1"
            && fk_names.contains_key(&(t.clone(), name.clone()))
            && covered(&t, &name)
        {
            continue;
        }
        cols.sort();
        let names: Vec<&str> = cols.iter().map(|c| c.1.as_str()).collect();
        let first = names
            .first()
            .map(|c| c.split('(').next().unwrap_or(c))
            .unwrap_or("");
        let rest = format!("({}) using {}", names.join(", "), itype.to_lowercase());
        if name == "PRIMARY" {
            dump.named("pk", &t, &name, false, &rest);
            continue;
        }
        // Unnamed keys take the first column's name (`col`, `col_2`); InnoDB names the
        // index it adds for a foreign key after the constraint.
        let base = name
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .trim_end_matches('_');
        let generated =
            name == first || base == first || fk_names.contains_key(&(t.clone(), name.clone()));
        let kind = if non_unique == "0" { "unique" } else { "index" };
        dump.named(kind, &t, &name, generated, &rest);
    }
    dump
}

// --------------------------------------------------------------------------------- SQLite

/// PRAGMA table_info: cid, name, type, notnull, dflt_value, pk.
type ColInfo = (i64, String, String, bool, Option<String>, i64);
/// PRAGMA foreign_key_list: id, seq, table, from, to, on_update, on_delete.
type FkInfo = (i64, i64, String, String, Option<String>, String, String);

/// Reads the schema of `main` (and `extra` when attached) through sqlite_master and PRAGMAs.
pub fn sqlite(
    conn: &rusqlite::Connection,
    extra: bool,
    version_table: &str,
) -> rusqlite::Result<Dump> {
    let mut dump = Dump::default();
    let schemas: &[&str] = if extra { &["main", "extra"] } else { &["main"] };
    for db in schemas {
        let prefix = if *db == "extra" { "extra." } else { "" };
        let mut stmt = conn.prepare(&format!(
            "SELECT type, name, tbl_name, IFNULL(sql, '') FROM \"{db}\".sqlite_master \
             WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
        ))?;
        let objects: Vec<(String, String, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (kind, name, table, sql) in &objects {
            if table == version_table {
                continue;
            }
            let t = format!("{prefix}{name}");
            match kind.as_str() {
                "table" => sqlite_table(conn, db, &t, name, sql, &mut dump)?,
                "view" => dump.plain(format!("view {t} {}", collapse(sql))),
                "trigger" => {
                    dump.plain(format!("trigger {prefix}{table} {name} {}", collapse(sql)))
                }
                _ => {} // indexes are read per table
            }
        }
    }
    Ok(dump)
}

fn sqlite_table(
    conn: &rusqlite::Connection,
    db: &str,
    t: &str,
    name: &str,
    sql: &str,
    dump: &mut Dump,
) -> rusqlite::Result<()> {
    dump.plain(format!("table {t}"));
    let q = name.replace('"', "\"\"");
    // cid, name, type, notnull, dflt_value, pk
    let mut stmt = conn.prepare(&format!("PRAGMA \"{db}\".table_info(\"{q}\")"))?;
    let cols: Vec<ColInfo> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let pk: Vec<&ColInfo> = {
        let mut v: Vec<_> = cols.iter().filter(|c| c.5 > 0).collect();
        v.sort_by_key(|c| c.5);
        v
    };
    let upper = sql.to_uppercase();
    for (cid, cname, ctype, notnull, default, _) in &cols {
        let null = if *notnull { "not null" } else { "null" };
        let mut line = format!("column {t} #{} {cname} {ctype} {null}", cid + 1);
        if let Some(d) = default {
            line.push_str(&format!(" default={}", collapse(d)));
        }
        // A single INTEGER primary key is the rowid: it auto-increments.
        if pk.len() == 1
            && pk.first().map(|p| &p.1) == Some(cname)
            && ctype.eq_ignore_ascii_case("INTEGER")
        {
            line.push_str(" autoincrement");
            if upper.contains("AUTOINCREMENT") {
                line.push_str(" keyword");
            }
        }
        dump.plain(line);
    }
    // SQLite keeps no constraint names outside the CREATE TABLE text: pk/unique/fk names
    // are not compared (always `*`); check names are read back from the text.
    if !pk.is_empty() {
        let names: Vec<&str> = pk.iter().map(|c| c.1.as_str()).collect();
        dump.named("pk", t, "", true, &format!("({})", names.join(", ")));
    }
    for (cname, expr) in sqlite_checks(sql) {
        let generated = cname.is_none();
        dump.named(
            "check",
            t,
            cname.as_deref().unwrap_or(""),
            generated,
            &normalize_expr(&expr),
        );
    }
    // id, seq, table, from, to, on_update, on_delete
    let mut stmt = conn.prepare(&format!("PRAGMA \"{db}\".foreign_key_list(\"{q}\")"))?;
    let rows: Vec<FkInfo> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut fks: BTreeMap<i64, Vec<&FkInfo>> = BTreeMap::new();
    for r in &rows {
        fks.entry(r.0).or_default().push(r);
    }
    for (_, mut parts) in fks {
        parts.sort_by_key(|p| p.1);
        let from: Vec<&str> = parts.iter().map(|p| p.3.as_str()).collect();
        let to: Vec<&str> = parts
            .iter()
            .map(|p| p.4.as_deref().unwrap_or("?"))
            .collect();
        let Some(p) = parts.first() else { continue };
        let rest = format!(
            "({}) references {} ({}) on update {} on delete {}",
            from.join(", "),
            p.2,
            to.join(", "),
            p.5,
            p.6
        );
        dump.named("fk", t, "", true, &rest);
    }
    // seq, name, unique, origin, partial
    let mut stmt = conn.prepare(&format!("PRAGMA \"{db}\".index_list(\"{q}\")"))?;
    let idx: Vec<(String, bool, String)> = stmt
        .query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (iname, unique, origin) in idx {
        if origin == "pk" {
            continue;
        }
        let iq = iname.replace('"', "\"\"");
        // seqno, cid, name, desc, coll, key
        let mut stmt = conn.prepare(&format!("PRAGMA \"{db}\".index_xinfo(\"{iq}\")"))?;
        let icols: Vec<(i64, Option<String>, bool, bool)> = stmt
            .query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get(3)?, r.get(5)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let isql: String = conn
            .query_row(
                &format!("SELECT IFNULL(sql, '') FROM \"{db}\".sqlite_master WHERE type = 'index' AND name = ?1"),
                [&iname],
                |r| r.get(0),
            )
            .unwrap_or_default();
        let body = match isql.find('(') {
            // Expressions and predicates are only in the text.
            Some(i)
                if icols.iter().any(|c| c.0 == -2) || isql.to_uppercase().contains(" WHERE ") =>
            {
                normalize_index_body(&collapse(&isql[i..]))
            }
            _ => {
                let names: Vec<String> = icols
                    .iter()
                    .filter(|c| c.3)
                    .map(|c| {
                        let n = c.1.clone().unwrap_or_else(|| "<expr>".into());
                        if c.2 {
                            format!("{n} DESC")
                        } else {
                            n
                        }
                    })
                    .collect();
                format!("({})", names.join(", "))
            }
        };
        let generated = iname.starts_with("sqlite_autoindex_");
        // CREATE [UNIQUE] INDEX is an index; UNIQUE in the table is a constraint.
        let (kind, body) = match (origin.as_str(), unique) {
            ("c", true) => ("index", format!("unique {body}")),
            ("c", false) => ("index", body),
            _ => ("unique", body),
        };
        dump.named(kind, t, &iname, generated, &body);
    }
    Ok(())
}

/// `(e1, e2) WHERE ...` with redundant parentheses around each element removed: SQLite
/// keeps the index text verbatim, and `((lower(x)))` indexes the same as `(lower(x))`.
pub fn normalize_index_body(body: &str) -> String {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    for (i, c) in body.char_indices() {
        if let Some(q) = quote {
            cur.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' | '`' => {
                quote = Some(c);
                cur.push(c);
            }
            '(' => {
                depth += 1;
                if depth > 1 {
                    cur.push(c);
                }
            }
            ')' => {
                depth -= 1;
                if depth == 0 {
                    parts.push(normalize_expr(&cur));
                    return format!("({}){}", parts.join(", "), &body[i + 1..]);
                }
                cur.push(c);
            }
            ',' if depth == 1 => parts.push(normalize_expr(&std::mem::take(&mut cur))),
            _ if depth >= 1 => cur.push(c),
            _ => {}
        }
    }
    body.to_string()
}

/// `CHECK (...)` clauses in a CREATE TABLE text, with the `CONSTRAINT name` before them.
fn sqlite_checks(sql: &str) -> Vec<(Option<String>, String)> {
    let tokens = sql_tokens(sql);
    let text = |i: usize| tokens.get(i).map(|t| &sql[t.0..t.1]).unwrap_or("");
    let mut out = Vec::new();
    for i in 0..tokens.len() {
        if !text(i).eq_ignore_ascii_case("CHECK") || text(i + 1) != "(" {
            continue;
        }
        let mut depth = 0;
        let mut end = i + 1;
        for (j, _) in tokens.iter().enumerate().skip(i + 1) {
            match text(j) {
                "(" => depth += 1,
                ")" => depth -= 1,
                _ => {}
            }
            end = j;
            if depth == 0 {
                break;
            }
        }
        let (Some(open), Some(close)) = (tokens.get(i + 1), tokens.get(end)) else {
            continue;
        };
        let name = match i.checked_sub(2) {
            Some(j) if text(j).eq_ignore_ascii_case("CONSTRAINT") => {
                Some(text(j + 1).trim_matches(['"', '`', '[', ']']).to_string())
            }
            _ => None,
        };
        out.push((name, sql[open.0..close.1].to_string()));
    }
    out
}

/// A rough SQL tokenizer giving byte ranges: quoted strings/identifiers, words, punctuation.
fn sql_tokens(sql: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut chars = sql.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '\'' || c == '"' || c == '`' || c == '[' {
            let close = if c == '[' { ']' } else { c };
            chars.next();
            let mut end = sql.len();
            for (i, d) in chars.by_ref() {
                if d == close {
                    end = i + d.len_utf8();
                    break;
                }
            }
            out.push((start, end));
        } else if c.is_alphanumeric() || c == '_' || c == '.' {
            let mut end = start;
            while let Some(&(i, d)) = chars.peek() {
                if d.is_alphanumeric() || d == '_' || d == '.' {
                    end = i + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            out.push((start, end));
        } else {
            out.push((start, start + c.len_utf8()));
            chars.next();
        }
    }
    out
}

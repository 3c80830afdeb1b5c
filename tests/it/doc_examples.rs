//! Every example of docs/dsl.md (outside the generated ops section, which
//! tests/it/docs.rs keeps in step with the op fixtures the engine suite runs)
//! is compiled for every dialect and applied where the engine runs here: the
//! opening revision, the types, the defaults, the downgrade forms and each
//! block of "Operations". Each becomes revision `0002` on a base revision with
//! the tables the examples name; a dialect may refuse one only with a located
//! `unsupported-*` error. The scripts (upgrade, then the derived downgrade where
//! there is one) run on SQLite in-process with foreign keys on, and on
//! PostgreSQL and MariaDB (the `psql` and `mariadb` clients) when
//! DDLC_TEST_POSTGRES_URL / DDLC_TEST_MYSQL_URL are set; otherwise the test says
//! loudly that they did not run.

use crate::support::{project, repo, script};
use camino::Utf8Path;
use ddlc::dialect::Dialect;
use ddlc::graph::Direction;
use std::io::Write;
use std::process::{Command, Stdio};

/// The tables the examples name (schema `billing` is created by each engine's setup).
const BASE: &str = r#"revision "0001"
revises  base
message  "what the examples of docs/dsl.md need"

upgrade {
    create_table bank {
        id   : integer     primary_key autoincrement
        name : string(100) not_null
        code : char(8)     not_null
    }
    create_table account {
        id           : integer     not_null
        email        : string(255) not_null unique
        name         : string(100)
        full_name    : string(100)
        score        : string(10)  default '0'
        legacy       : text
        opened       : timestamp(tz)
        closed       : boolean     default false
        balance      : numeric(12, 2) not_null default 0
        active       : boolean
        home_bank_id : integer
    }
    create_table article {
        id    : integer     primary_key autoincrement
        title : string(200) not_null
        body  : text
    }
}

downgrade irreversible "the examples' base"
"#;

/// The examples: (where, the body of revision 0002's upgrade block). The
/// opening revision is a whole file and comes with its own base.
fn examples(doc: &str) -> Vec<(String, String)> {
    let ops_start = doc.find("\n## Operations").expect("an Operations section");
    let ops_end = doc[ops_start..]
        .find("\n## Scripts")
        .map_or(doc.len(), |i| ops_start + i);
    let mut out = Vec::new();
    let mut section = String::new();
    let mut in_block = false;
    let mut block = String::new();
    for (at, line) in doc[ops_start..ops_end].lines().enumerate() {
        if let Some(h) = line.strip_prefix("### ") {
            section = h.to_string();
        }
        if line.starts_with("```") {
            if in_block {
                let mut body = std::mem::take(&mut block);
                // What the example drops must exist first.
                if body.starts_with("drop_sequence invoice_no") {
                    body.insert_str(0, "create_sequence invoice_no\n");
                }
                // The enum ops change an enum that a column uses.
                if body.contains("_enum_value account_tier") {
                    body.insert_str(
                        0,
                        "add_column account.tier : enum(account_tier: 'free', 'pro')\n",
                    );
                }
                out.push((format!("Operations / {section} (line {at})"), body));
            }
            in_block = !in_block;
            continue;
        }
        if in_block {
            block.push_str(line);
            block.push('\n');
        }
    }
    let block_after = |heading: &str| -> String {
        let at = doc.find(heading).unwrap_or_else(|| panic!("no {heading}"));
        let rest = &doc[at..];
        let start = rest.find("```\n").expect("a block") + 4;
        let len = rest[start..].find("```").expect("block end");
        rest[start..start + len].to_string()
    };
    let types = block_after("\n## Types");
    out.push((
        "Types".into(),
        format!("create_table typed {{\n    id : integer primary_key\n{types}}}\n"),
    ));
    // Each default on a column of a type it fits.
    let defaults = block_after("\n## Defaults");
    let mut columns = String::new();
    let mut setup = String::new();
    for (i, d) in defaults
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .flat_map(|l| {
            l.split("default ")
                .skip(1)
                .map(str::trim)
                .collect::<Vec<_>>()
        })
        .enumerate()
    {
        let ty = match d {
            "true" | "false" => "boolean",
            "now()" => "timestamp",
            "current_date" => "date",
            "null" => "integer",
            d if d.starts_with("nextval") => {
                setup = "create_sequence invoice_no\n".into();
                "bigint"
            }
            d if d.starts_with('\'') || d.starts_with('(') => "string(20)",
            d if d.contains('.') => "numeric(8, 2)",
            _ => "integer",
        };
        columns.push_str(&format!("    c{i} : {ty} default {d}\n"));
    }
    assert!(
        columns.lines().count() >= 9,
        "the defaults block: {defaults}"
    );
    out.push((
        "Defaults".into(),
        format!("{setup}create_table defaulted {{\n    id : integer primary_key\n{columns}}}\n"),
    ));
    // The `only` example (it is not an op of the table, so not under Operations).
    // Its second block: the first is its grammar.
    let at = doc
        .find("\n## Per-dialect ops")
        .expect("the `only` section");
    let only = doc[at..].split("```\n").nth(3).expect("the `only` example");
    out.push(("Per-dialect ops".into(), only.to_string()));
    out
}

/// The downgrade forms: each as the downgrade of a revision that creates `bank2`.
fn downgrade_forms(doc: &str) -> Vec<String> {
    let at = doc.find("\n## Downgrade forms").expect("Downgrade forms");
    let rest = &doc[at..];
    let start = rest.find("```\n").expect("a block") + 4;
    let block = &rest[start..start + rest[start..].find("```").expect("end")];
    let mut forms = Vec::new();
    for line in block.lines() {
        let line = line.split('#').next().unwrap_or("").trim_end();
        if line.starts_with("downgrade") {
            forms.push(String::new());
        }
        if let Some(f) = forms.last_mut() {
            f.push_str(&line.replace("bank", "bank2"));
            f.push('\n');
        }
    }
    assert_eq!(forms.len(), 3, "{block}");
    forms
}

fn revision(body: &str, downgrade: &str) -> String {
    format!("revision \"0002\"\nrevises  \"0001\"\nmessage  \"example\"\n\nupgrade {{\n{body}}}\n\n{downgrade}\n")
}

/// A script for `dialect`, or Err with the diagnostics; a refusal must be located
/// and say the dialect cannot do it.
fn compiled(
    root: &Utf8Path,
    direction: Direction,
    range: &str,
    dialect: Dialect,
    what: &str,
) -> Option<String> {
    match script(root, direction, range, dialect) {
        Ok(sql) => Some(sql),
        Err(e) => {
            let refused =
                e.starts_with("error[unsupported-") || e.starts_with("error[irreversible-");
            assert!(refused && e.contains(" --> "), "{what} on {dialect}: {e}");
            None
        }
    }
}

/// One engine to apply scripts on, with a fresh database per example.
trait Engine {
    fn name(&self) -> &'static str;
    fn dialect(&self) -> Dialect;
    /// Applies the scripts in order on a fresh database; Err with the engine's message.
    fn run(&self, scripts: &[&str]) -> Result<(), String>;
}

struct Sqlite;

impl Engine for Sqlite {
    fn name(&self) -> &'static str {
        "sqlite"
    }
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }
    fn run(&self, scripts: &[&str]) -> Result<(), String> {
        let conn = rusqlite::Connection::open_in_memory().map_err(|e| e.to_string())?;
        conn.execute_batch("PRAGMA foreign_keys = ON; ATTACH DATABASE ':memory:' AS billing")
            .map_err(|e| e.to_string())?;
        for s in scripts {
            conn.execute_batch(s).map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

fn unique(tag: &str) -> String {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_micros());
    format!("ddlc_doc_{}_{stamp}_{n}_{tag}", std::process::id())
}

fn client(cmd: &mut Command, input: &str) -> Result<String, String> {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    match out.status.success() {
        true => Ok(String::from_utf8_lossy(&out.stdout).into_owned()),
        false => Err(String::from_utf8_lossy(&out.stderr).into_owned()),
    }
}

struct Postgres(String);

impl Engine for Postgres {
    fn name(&self) -> &'static str {
        "postgresql"
    }
    fn dialect(&self) -> Dialect {
        Dialect::PostgreSql
    }
    fn run(&self, scripts: &[&str]) -> Result<(), String> {
        let psql = |url: &str, sql: &str| {
            client(
                Command::new("psql").args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-", url]),
                sql,
            )
        };
        let db = unique("pg");
        let base = self.0.rsplit_once('/').map_or(self.0.as_str(), |(b, _)| b);
        let url = format!("{base}/{db}");
        psql(&self.0, &format!("CREATE DATABASE {db};"))?;
        let result = (|| {
            psql(&url, "CREATE SCHEMA billing;")?;
            for s in scripts {
                psql(&url, s)?;
            }
            Ok(())
        })();
        let _ = psql(
            &self.0,
            &format!("DROP DATABASE IF EXISTS {db} WITH (FORCE);"),
        );
        result
    }
}

struct Mariadb(Vec<String>);

impl Mariadb {
    fn from_url(url: &str) -> Mariadb {
        let rest = url.trim_start_matches("mysql://");
        let (auth, host) = rest.split_once('@').unwrap_or(("root", rest));
        let (host, port) = host
            .split('/')
            .next()
            .unwrap_or("127.0.0.1")
            .split_once(':')
            .unwrap_or(("127.0.0.1", "3306"));
        let (user, password) = auth.split_once(':').unwrap_or((auth, ""));
        let mut args = vec![
            format!("--host={host}"),
            format!("--port={port}"),
            format!("--user={user}"),
        ];
        if !password.is_empty() {
            args.push(format!("--password={password}"));
        }
        Mariadb(args)
    }
}

impl Engine for Mariadb {
    fn name(&self) -> &'static str {
        "mariadb"
    }
    fn dialect(&self) -> Dialect {
        Dialect::MariaDb
    }
    fn run(&self, scripts: &[&str]) -> Result<(), String> {
        let run = |db: Option<&str>, sql: &str| {
            let mut cmd = Command::new("mariadb");
            cmd.args(&self.0).arg("--default-character-set=utf8mb4");
            if let Some(db) = db {
                cmd.arg(db);
            }
            client(&mut cmd, sql)
        };
        // MariaDB has no schemas in a database: `billing` is a database of its
        // own, named for this run, and the scripts are pointed at it.
        let (db, billing) = (unique("my"), unique("myb"));
        run(
            None,
            &format!("CREATE DATABASE {db}; CREATE DATABASE {billing};"),
        )?;
        let result = (|| {
            for s in scripts {
                run(Some(&db), &s.replace("billing.", &format!("{billing}.")))?;
            }
            Ok(())
        })();
        let _ = run(
            None,
            &format!("DROP DATABASE IF EXISTS {db}; DROP DATABASE IF EXISTS {billing};"),
        );
        result
    }
}

fn engines() -> Vec<Box<dyn Engine>> {
    let mut out: Vec<Box<dyn Engine>> = vec![Box::new(Sqlite)];
    match std::env::var("DDLC_TEST_POSTGRES_URL") {
        Ok(url) => out.push(Box::new(Postgres(url))),
        Err(_) => eprintln!("NOT RUN on postgresql: set DDLC_TEST_POSTGRES_URL"),
    }
    match std::env::var("DDLC_TEST_MYSQL_URL") {
        Ok(url) => out.push(Box::new(Mariadb::from_url(&url))),
        Err(_) => eprintln!("NOT RUN on mariadb: set DDLC_TEST_MYSQL_URL"),
    }
    out
}

/// Scripts applied on an engine, to prove the test did run them.
static APPLIED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Compiles the project on every dialect and applies it on the engines.
fn check(root: &Utf8Path, what: &str, first: &str, failures: &mut Vec<String>) {
    let mut compiled_somewhere = false;
    let engines = engines();
    for dialect in Dialect::ALL {
        let Some(up) = compiled(
            root,
            Direction::Upgrade,
            &format!("{first}:0002"),
            dialect,
            what,
        ) else {
            continue;
        };
        compiled_somewhere = true;
        let down = compiled(
            root,
            Direction::Downgrade,
            &format!("0002:{first}"),
            dialect,
            what,
        );
        let base = script(root, Direction::Upgrade, first, dialect)
            .expect("the base compiles where the example does");
        for e in engines.iter().filter(|e| e.dialect() == dialect) {
            let mut scripts = vec![base.as_str(), up.as_str()];
            scripts.extend(down.as_deref());
            if let Err(msg) = e.run(&scripts) {
                failures.push(format!("{what} on {}: {msg}\n{up}", e.name()));
            }
            APPLIED.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }
    if !compiled_somewhere {
        failures.push(format!("{what}: compiles on no dialect"));
    }
}

#[test]
fn every_example_in_dsl_md_compiles_and_applies() {
    let doc = std::fs::read_to_string(repo().join("docs/dsl.md")).expect("read docs/dsl.md");
    let mut failures = Vec::new();
    let examples = examples(&doc);
    assert!(examples.len() >= 22, "found {} examples", examples.len());
    for (what, body) in &examples {
        let (_dir, root) = project(&[
            ("0001_base", BASE),
            ("0002_example", &revision(body, "downgrade auto")),
        ]);
        check(&root, what, "0001", &mut failures);
    }
    for (i, form) in downgrade_forms(&doc).iter().enumerate() {
        let body = "create_table bank2 {\n    id : integer primary_key\n}\n";
        let (_dir, root) = project(&[("0001_base", BASE), ("0002_example", &revision(body, form))]);
        let what = format!("Downgrade forms #{}", i + 1);
        match i {
            // `irreversible`: the upgrade compiles, the downgrade is refused by design.
            1 => {
                assert!(
                    script(&root, Direction::Upgrade, "head", Dialect::Sqlite).is_ok(),
                    "{what}"
                );
                let e =
                    script(&root, Direction::Downgrade, "0002:0001", Dialect::Sqlite).unwrap_err();
                assert!(e.contains("error[irreversible-revision]"), "{what}: {e}");
            }
            _ => check(&root, &what, "0001", &mut failures),
        }
    }
    // The opening example revises "1975ea83b712": a base of that id with `account`.
    let start = doc
        .find("```\nrevision \"ae1027a6acf\"")
        .expect("the opening example")
        + 4;
    let opening = &doc[start..start + doc[start..].find("```").expect("end")];
    let first = BASE
        .replace("revision \"0001\"", "revision \"1975ea83b712\"")
        .replace("    create_table bank {\n        id   : integer     primary_key autoincrement\n        name : string(100) not_null\n        code : char(8)     not_null\n    }\n", "");
    let (_dir, root) = project(&[("0001_base", &first), ("0002_opening", opening)]);
    let opening_root = root.clone();
    let up = script(
        &opening_root,
        Direction::Upgrade,
        "head",
        Dialect::PostgreSql,
    )
    .expect("the opening example compiles");
    assert!(up.contains("CREATE TABLE bank ("), "{up}");
    // `check` below wants ranges from 0002; the opening revision's id differs.
    for dialect in Dialect::ALL {
        if let Some(sql) = compiled(
            &opening_root,
            Direction::Upgrade,
            "head",
            dialect,
            "the opening example",
        ) {
            for e in engines().iter().filter(|e| e.dialect() == dialect) {
                if let Err(msg) = e.run(&[&sql]) {
                    failures.push(format!("the opening example on {}: {msg}", e.name()));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let applied = APPLIED.load(std::sync::atomic::Ordering::SeqCst);
    eprintln!("doc examples: {applied} applied on engines");
    assert!(
        applied >= 15,
        "only {applied} examples were applied on an engine"
    );
}

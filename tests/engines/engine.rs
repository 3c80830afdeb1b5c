//! One adapter per engine: create a fresh uniquely named database, apply a script the way a
//! user would (the psql, mariadb and sqlite3 clients reading the whole file), dump its schema
//! (SQLite's through rusqlite), drop it on Drop.
//! Servers come from DDLC_TEST_POSTGRES_URL / DDLC_TEST_MYSQL_URL; a set variable with an
//! unreachable server is a failure, an unset one means "not run".

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::dump::{self, Dump};

/// The engines the suite knows, named like the Alembic corpus names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EngineKind {
    /// PostgreSQL through `psql`.
    Postgres,
    /// MariaDB through `mariadb` (runs the corpus's `mysql` scripts).
    Mariadb,
    /// SQLite through the `sqlite3` shell (dumps read with rusqlite).
    Sqlite,
}

impl EngineKind {
    /// All engines, in report column order.
    pub const ALL: [EngineKind; 3] = [
        EngineKind::Postgres,
        EngineKind::Mariadb,
        EngineKind::Sqlite,
    ];

    /// The corpus's engine name (`postgresql`, `mysql`, `sqlite`), also used in expect.toml.
    pub fn corpus_name(self) -> &'static str {
        match self {
            EngineKind::Postgres => "postgresql",
            EngineKind::Mariadb => "mysql",
            EngineKind::Sqlite => "sqlite",
        }
    }

    /// The environment variable that enables this engine (None: always available).
    pub fn env_var(self) -> Option<&'static str> {
        match self {
            EngineKind::Postgres => Some("DDLC_TEST_POSTGRES_URL"),
            EngineKind::Mariadb => Some("DDLC_TEST_MYSQL_URL"),
            EngineKind::Sqlite => None,
        }
    }
}

/// Why a script did not apply: the engine's first error line and the statement it hit.
#[derive(Clone, Debug)]
pub struct ApplyError {
    /// First error line printed by the client.
    pub first: String,
    /// The statement that failed, whitespace-collapsed (empty when unknown).
    pub statement: String,
}

/// A reachable server (or SQLite), able to hand out fresh test databases.
pub enum Engine {
    /// PostgreSQL at a URL; databases are created next to the URL's own database.
    Postgres(PgServer),
    /// MariaDB with connection arguments parsed from the URL.
    Mariadb(MyServer),
    /// SQLite: files in a temporary directory.
    Sqlite,
}

/// PostgreSQL connection URL split so the database part can be swapped.
pub struct PgServer {
    /// `postgresql://user@host:port` (no trailing slash).
    prefix: String,
    /// The URL's own database, used for CREATE/DROP DATABASE.
    admin_db: String,
    /// `?sslmode=...` and the like, kept as given.
    query: String,
}

/// MariaDB client arguments parsed from a `mysql://user:pw@host:port/db` URL.
pub struct MyServer {
    args: Vec<String>,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A unique, lower-case, identifier-safe database name of at most 63 characters.
pub fn unique_db_name(label: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let clean: String = label
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    // The process id and a start-time stamp make the name unique to this run, so two
    // runs against one server (two CI jobs, or two developers) never collide.
    let mut name = format!(
        "ddlc_{}_{}_{}_{}",
        std::process::id(),
        run_stamp(),
        n,
        clean
    );
    name.truncate(56); // room for MariaDB's `_x` suffix of the second schema
    name
}

/// Microseconds of the wall clock when the first name was made, modulo 10^6: with
/// the process id it tells runs apart even across machines sharing one server.
fn run_stamp() -> u32 {
    static STAMP: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *STAMP.get_or_init(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_micros())
    })
}

/// MariaDB has no schemas inside a database: the scenarios' second schema `extra` is a
/// database of its own, named after the test database so that it is unique to the run.
/// Scripts (ddlc's and Alembic's) are applied with `extra` rewritten to that name.
pub fn mariadb_extra_name(db: &str) -> String {
    format!("{db}_x")
}

/// `script` with every reference to the schema `extra` (`extra.t`, `` `extra`.t ``,
/// `'extra'` in existence checks) pointed at `to`.
pub fn rename_extra_schema(script: &str, to: &str) -> String {
    let mut out = String::with_capacity(script.len());
    let bytes = script.as_bytes();
    let mut i = 0;
    while i < script.len() {
        let rest = &script[i..];
        let boundary = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        if boundary && rest.starts_with("`extra`") {
            out.push_str(&format!("`{to}`"));
            i += "`extra`".len();
        } else if boundary && rest.starts_with("'extra'") {
            out.push_str(&format!("'{to}'"));
            i += "'extra'".len();
        } else if boundary && rest.starts_with("extra.") {
            out.push_str(to);
            out.push('.');
            i += "extra.".len();
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

impl Engine {
    /// Builds the engine from its environment variable: Ok(None) when unset (not run),
    /// Err when set but malformed or unreachable (a failure).
    pub fn from_env(kind: EngineKind) -> Result<Option<Engine>, String> {
        let engine = match kind.env_var() {
            None => Engine::Sqlite,
            Some(var) => match std::env::var(var) {
                Err(_) => return Ok(None),
                Ok(url) => match kind {
                    EngineKind::Postgres => Engine::Postgres(PgServer::parse(&url)?),
                    _ => Engine::Mariadb(MyServer::parse(&url)?),
                },
            },
        };
        engine
            .ping()
            .map_err(|e| format!("{}: server unreachable: {e}", kind.corpus_name()))?;
        Ok(Some(engine))
    }

    /// Which engine this is.
    pub fn kind(&self) -> EngineKind {
        match self {
            Engine::Postgres(_) => EngineKind::Postgres,
            Engine::Mariadb(_) => EngineKind::Mariadb,
            Engine::Sqlite => EngineKind::Sqlite,
        }
    }

    fn ping(&self) -> Result<(), String> {
        match self {
            Engine::Postgres(pg) => pg.query(&pg.admin_db, "SELECT 1").map(|_| ()),
            Engine::Mariadb(my) => my.query(None, "SELECT 1").map(|_| ()),
            Engine::Sqlite => Ok(()),
        }
    }

    /// A fresh empty database named after `label`; `extra` also creates the second schema.
    pub fn fresh(&self, label: &str, extra: bool) -> Result<TestDb<'_>, String> {
        let name = unique_db_name(label);
        match self {
            Engine::Postgres(pg) => {
                pg.query(&pg.admin_db, &format!("CREATE DATABASE \"{name}\""))?;
                let db = TestDb::Postgres { server: pg, name };
                if extra {
                    if let TestDb::Postgres { server, name } = &db {
                        server.query(name, "CREATE SCHEMA extra")?;
                    }
                }
                Ok(db)
            }
            Engine::Mariadb(my) => {
                let extra = extra.then(|| mariadb_extra_name(&name));
                let mut sql = format!("CREATE DATABASE `{name}`;");
                if let Some(x) = &extra {
                    sql.push_str(&format!(" CREATE DATABASE `{x}`;"));
                }
                let db = TestDb::Mariadb {
                    server: my,
                    name: name.clone(),
                    extra,
                };
                my.query(None, &sql)?;
                Ok(db)
            }
            Engine::Sqlite => {
                let dir = tempfile::Builder::new()
                    .prefix(&format!("{name}_"))
                    .tempdir()
                    .map_err(|e| format!("tempdir: {e}"))?;
                Ok(TestDb::Sqlite { dir, extra })
            }
        }
    }
}

impl PgServer {
    fn parse(url: &str) -> Result<PgServer, String> {
        let (base, query) = match url.find('?') {
            Some(i) => (&url[..i], &url[i..]),
            None => (url, ""),
        };
        let scheme_end = base
            .find("://")
            .ok_or_else(|| format!("not a URL: {url}"))?
            + 3;
        let (prefix, db) = match base[scheme_end..].find('/') {
            Some(i) => (&base[..scheme_end + i], &base[scheme_end + i + 1..]),
            None => (base, ""),
        };
        let admin_db = if db.is_empty() { "postgres" } else { db };
        Ok(PgServer {
            prefix: prefix.to_string(),
            admin_db: admin_db.to_string(),
            query: query.to_string(),
        })
    }

    fn url(&self, db: &str) -> String {
        format!("{}/{}{}", self.prefix, db, self.query)
    }

    /// Runs one SQL command with `-At`, returning stdout.
    pub fn query(&self, db: &str, sql: &str) -> Result<String, String> {
        let out = Command::new("psql")
            .args([
                "-X",
                "-q",
                "-At",
                "-v",
                "ON_ERROR_STOP=1",
                "-R",
                "\u{1e}",
                "-c",
                sql,
            ])
            .arg(self.url(db))
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run psql: {e}"))?;
        query_result(&out)
    }

    fn apply(&self, db: &str, script: &str) -> Result<(), ApplyError> {
        let file = write_temp(script)?;
        let out = Command::new("psql")
            .args(["-X", "-v", "ON_ERROR_STOP=1", "-q", "-f"])
            .arg(file.path())
            .arg(self.url(db))
            .stdin(Stdio::null())
            .output()
            .map_err(|e| ApplyError {
                first: format!("cannot run psql: {e}"),
                statement: String::new(),
            })?;
        if out.status.success() {
            return Ok(());
        }
        let err = String::from_utf8_lossy(&out.stderr);
        let first = first_line(&err, "ERROR");
        // psql prefixes errors with `psql:FILE:LINE:`.
        let line = first
            .strip_prefix("psql:")
            .and_then(|rest| rest.split(':').nth(1))
            .and_then(|n| n.trim().parse::<usize>().ok());
        let first = match first.find("ERROR:") {
            Some(i) => first[i..].to_string(),
            None => first,
        };
        Err(ApplyError {
            first,
            statement: line.map(|l| statement_at(script, l)).unwrap_or_default(),
        })
    }
}

impl MyServer {
    fn parse(url: &str) -> Result<MyServer, String> {
        let rest = url
            .split_once("://")
            .map(|(_, r)| r)
            .ok_or_else(|| format!("not a URL: {url}"))?;
        let rest = rest.split('?').next().unwrap_or(rest);
        let (auth, hostpart) = match rest.rsplit_once('@') {
            Some((a, h)) => (a, h),
            None => ("root", rest),
        };
        let hostport = hostpart.split('/').next().unwrap_or(hostpart);
        let (user, password) = match auth.split_once(':') {
            Some((u, p)) => (u, Some(p)),
            None => (auth, None),
        };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) => (h, p),
            None => (hostport, "3306"),
        };
        let mut args = vec![
            "--default-character-set=utf8mb4".to_string(),
            "-h".into(),
            host.to_string(),
            "-P".into(),
            port.to_string(),
            "-u".into(),
            user.to_string(),
        ];
        if let Some(p) = password {
            args.push(format!("--password={p}"));
        }
        Ok(MyServer { args })
    }

    /// Runs SQL with `-N -B -e`, returning stdout.
    pub fn query(&self, db: Option<&str>, sql: &str) -> Result<String, String> {
        let mut cmd = Command::new("mariadb");
        cmd.args(&self.args).args(["-N", "-B", "-e", sql]);
        if let Some(db) = db {
            cmd.arg(db);
        }
        let out = cmd
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run mariadb: {e}"))?;
        query_result(&out)
    }

    fn apply(&self, db: &str, script: &str) -> Result<(), ApplyError> {
        let file = write_temp(script)?;
        let input = std::fs::File::open(file.path()).map_err(|e| ApplyError {
            first: format!("temp file: {e}"),
            statement: String::new(),
        })?;
        let out = Command::new("mariadb")
            .args(&self.args)
            .arg(db)
            .stdin(input)
            .output()
            .map_err(|e| ApplyError {
                first: format!("cannot run mariadb: {e}"),
                statement: String::new(),
            })?;
        if out.status.success() {
            return Ok(());
        }
        let first = first_line(&String::from_utf8_lossy(&out.stderr), "ERROR");
        // `ERROR 1064 (42000) at line 28: ...`
        let line = first
            .split_once(" at line ")
            .and_then(|(_, rest)| rest.split(':').next())
            .and_then(|n| n.trim().parse::<usize>().ok());
        Err(ApplyError {
            first,
            statement: line.map(|l| statement_at(script, l)).unwrap_or_default(),
        })
    }
}

/// A test database that is dropped (with its `extra` companion) when it goes out of scope.
pub enum TestDb<'e> {
    /// A PostgreSQL database on `server`.
    Postgres {
        /// The server it lives on.
        server: &'e PgServer,
        /// Its unique name.
        name: String,
    },
    /// A MariaDB database, with the database standing for the schema `extra` when asked for.
    Mariadb {
        /// The server it lives on.
        server: &'e MyServer,
        /// Its unique name.
        name: String,
        /// The unique name of the database that plays the schema `extra`.
        extra: Option<String>,
    },
    /// A SQLite file `main.db` (and `extra.db`) in a temporary directory, removed on drop.
    Sqlite {
        /// The directory holding the database files.
        dir: tempfile::TempDir,
        /// Whether `extra.db` is attached as the schema `extra`.
        extra: bool,
    },
}

impl TestDb<'_> {
    /// Applies a whole script; stops at the first error.
    pub fn apply(&mut self, script: &str) -> Result<(), ApplyError> {
        match self {
            TestDb::Postgres { server, name } => server.apply(name, script),
            TestDb::Mariadb {
                server,
                name,
                extra,
            } => match extra {
                Some(x) => server.apply(name, &rename_extra_schema(script, x)),
                None => server.apply(name, script),
            },
            TestDb::Sqlite { dir, extra } => sqlite_apply(dir.path(), *extra, script),
        }
    }

    /// The normalised schema, leaving out the version table `version_table`.
    pub fn dump(&mut self, version_table: &str) -> Result<Dump, String> {
        match self {
            TestDb::Postgres { server, name } => {
                let rows = server.query(name, dump::PG_QUERY)?;
                Ok(dump::postgres(&rows, version_table))
            }
            TestDb::Mariadb {
                server,
                name,
                extra,
            } => {
                let extra_db = extra.as_deref().unwrap_or("");
                let rows = server.query(Some(name), &dump::mariadb_query(name, extra_db))?;
                Ok(dump::mariadb(&rows, name, extra_db, version_table))
            }
            TestDb::Sqlite { dir, extra } => sqlite_open(dir.path(), *extra)
                .and_then(|conn| dump::sqlite(&conn, *extra, version_table))
                .map_err(|e| format!("sqlite dump: {e}")),
        }
    }
}

impl TestDb<'_> {
    /// The rows of the version table `schema.table` (schema None: the default one), sorted;
    /// None when the table does not exist or cannot be read.
    pub fn version_rows(&mut self, schema: Option<&str>, table: &str) -> Option<Vec<String>> {
        let mut rows: Vec<String> = match self {
            TestDb::Postgres { server, name } => {
                let t = match schema {
                    Some(s) => format!("\"{s}\".\"{table}\""),
                    None => format!("\"{table}\""),
                };
                let out = server
                    .query(name, &format!("SELECT version_num FROM {t}"))
                    .ok()?;
                out.split('\u{1e}')
                    .map(|r| r.trim().to_string())
                    .filter(|r| !r.is_empty())
                    .collect()
            }
            TestDb::Mariadb {
                server,
                name,
                extra,
            } => {
                let schema = match (schema, extra.as_deref()) {
                    (Some("extra"), Some(x)) => Some(x),
                    (s, _) => s,
                };
                let t = match schema {
                    Some(s) => format!("`{s}`.`{table}`"),
                    None => format!("`{table}`"),
                };
                let out = server
                    .query(Some(name), &format!("SELECT version_num FROM {t}"))
                    .ok()?;
                out.lines()
                    .map(|r| r.trim().to_string())
                    .filter(|r| !r.is_empty())
                    .collect()
            }
            TestDb::Sqlite { dir, extra } => {
                let conn = sqlite_open(dir.path(), *extra).ok()?;
                let t = match schema {
                    Some(s) => format!("\"{s}\".\"{table}\""),
                    None => format!("\"{table}\""),
                };
                let mut stmt = conn.prepare(&format!("SELECT version_num FROM {t}")).ok()?;
                let rows = stmt.query_map([], |r| r.get::<_, String>(0)).ok()?;
                rows.collect::<rusqlite::Result<Vec<String>>>().ok()?
            }
        };
        rows.sort();
        Some(rows)
    }
}

impl Drop for TestDb<'_> {
    fn drop(&mut self) {
        // Best effort: a failed drop must not hide the test's own result.
        match self {
            TestDb::Postgres { server, name } => {
                let _ = server.query(
                    &server.admin_db,
                    &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
                );
            }
            TestDb::Mariadb {
                server,
                name,
                extra,
            } => {
                let mut sql = format!("DROP DATABASE IF EXISTS `{name}`;");
                if let Some(x) = extra {
                    sql.push_str(&format!(" DROP DATABASE IF EXISTS `{x}`;"));
                }
                let _ = server.query(None, &sql);
            }
            TestDb::Sqlite { .. } => {}
        }
    }
}

/// Applies `script` as a user does, `sqlite3 -bail main.db < file` (with `extra.db` attached
/// as `extra` when asked for): the shell stops at the first error, naming its line.
fn sqlite_apply(dir: &Path, extra: bool, script: &str) -> Result<(), ApplyError> {
    let file = write_temp(script)?;
    let input = std::fs::File::open(file.path()).map_err(|e| ApplyError {
        first: format!("temp file: {e}"),
        statement: String::new(),
    })?;
    let mut cmd = Command::new("sqlite3");
    cmd.arg("-bail");
    if extra {
        let attach = format!(
            "ATTACH DATABASE '{}' AS extra",
            dir.join("extra.db").display()
        );
        cmd.args(["-cmd", &attach]);
    }
    let out = cmd
        .arg(dir.join("main.db"))
        .stdin(input)
        .output()
        .map_err(|e| ApplyError {
            first: format!("cannot run sqlite3: {e}"),
            statement: String::new(),
        })?;
    let err = String::from_utf8_lossy(&out.stderr);
    if out.status.success() && err.trim().is_empty() {
        return Ok(());
    }
    let first = first_line(&err, "error");
    // `Parse error near line 7: table a already exists`
    let line = first
        .split_once("near line ")
        .and_then(|(_, rest)| rest.split(':').next())
        .and_then(|n| n.trim().parse::<usize>().ok());
    Err(ApplyError {
        first,
        statement: line.map(|l| statement_at(script, l)).unwrap_or_default(),
    })
}

/// A connection to the database files in `dir`, for reading what the shell left there.
fn sqlite_open(dir: &Path, extra: bool) -> rusqlite::Result<rusqlite::Connection> {
    let conn = rusqlite::Connection::open(dir.join("main.db"))?;
    if extra {
        let path = dir.join("extra.db");
        conn.execute("ATTACH DATABASE ?1 AS extra", [path.to_string_lossy()])?;
    }
    Ok(conn)
}

/// The statement of `script` that covers 1-based `line` (statements end at a line ending in `;`).
pub fn statement_at(script: &str, line: usize) -> String {
    let lines: Vec<&str> = script.lines().collect();
    let idx = line.saturating_sub(1).min(lines.len().saturating_sub(1));
    let mut start = idx;
    while start > 0 && !lines[start - 1].trim_end().ends_with(';') {
        start -= 1;
    }
    let mut end = idx;
    while end < lines.len() && !lines[end].trim_end().ends_with(';') {
        end += 1;
    }
    let end = end.min(lines.len().saturating_sub(1));
    let text = lines
        .get(start..=end)
        .map(|l| l.join("\n"))
        .unwrap_or_default();
    // Comment lines (`-- Running upgrade ...`) are not part of the statement.
    let sql: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect();
    collapse(&sql.join(" "))
}

/// Collapses runs of whitespace to one space.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A query's output, or the first ERROR line the client printed.
fn query_result(out: &std::process::Output) -> Result<String, String> {
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(first_line(&String::from_utf8_lossy(&out.stderr), "ERROR"))
    }
}

fn first_line(stderr: &str, marker: &str) -> String {
    stderr
        .lines()
        .find(|l| l.contains(marker))
        .or_else(|| stderr.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or("(no error text)")
        .trim()
        .to_string()
}

fn write_temp(script: &str) -> Result<tempfile::NamedTempFile, ApplyError> {
    let err = |e: std::io::Error| ApplyError {
        first: format!("temp file: {e}"),
        statement: String::new(),
    };
    let mut file = tempfile::Builder::new()
        .prefix("ddlc_engines_")
        .suffix(".sql")
        .tempfile()
        .map_err(err)?;
    file.write_all(script.as_bytes()).map_err(err)?;
    file.flush().map_err(err)?;
    Ok(file)
}

//! The engines, reached only through the clients users run scripts with:
//! `psql -f`, `mariadb < file`, `sqlite3 db < file`. Every database is created
//! for this run under a unique name and dropped when its handle goes.
//!
//! Queries return text as hex (`encode(convert_to(..), 'hex')`, `HEX()`,
//! `hex()`), so a value reads back byte for byte whatever it holds.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// An engine of the suite.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// PostgreSQL through psql.
    Postgres,
    /// MariaDB through the mariadb client.
    Mariadb,
    /// SQLite through the sqlite3 shell.
    Sqlite,
}

impl Kind {
    /// The ddlc dialect the engine runs.
    pub fn dialect(self) -> &'static str {
        match self {
            Kind::Postgres => "postgresql",
            Kind::Mariadb => "mariadb",
            Kind::Sqlite => "sqlite",
        }
    }
}

/// Where an engine's server is (nothing for SQLite).
#[derive(Clone, Debug)]
pub enum Server {
    /// `postgresql://user@host:port` (no database), and the database to connect
    /// to for CREATE/DROP DATABASE.
    Postgres { prefix: String, admin: String },
    /// mariadb client arguments (host, port, user, password).
    Mariadb { args: Vec<String> },
    /// Files in a temporary directory.
    Sqlite,
}

impl Server {
    /// The server for `kind` from DDLC_TEST_POSTGRES_URL / DDLC_TEST_MYSQL_URL:
    /// `Ok(None)` when the variable is unset.
    pub fn from_env(kind: Kind) -> Result<Option<Server>, String> {
        let var = match kind {
            Kind::Sqlite => return Ok(Some(Server::Sqlite)),
            Kind::Postgres => "DDLC_TEST_POSTGRES_URL",
            Kind::Mariadb => "DDLC_TEST_MYSQL_URL",
        };
        let Ok(url) = std::env::var(var) else {
            return Ok(None);
        };
        let rest = url
            .split_once("://")
            .map(|(_, r)| r)
            .ok_or_else(|| format!("{var}: not a URL: {url}"))?;
        let (authority, db) = rest.split_once('/').unwrap_or((rest, ""));
        let db = db.split('?').next().unwrap_or("").to_string();
        Ok(Some(match kind {
            Kind::Postgres => Server::Postgres {
                prefix: format!("postgresql://{authority}"),
                admin: if db.is_empty() { "postgres".into() } else { db },
            },
            _ => {
                let (userinfo, hostport) =
                    authority.rsplit_once('@').unwrap_or(("root", authority));
                let (user, password) = userinfo.split_once(':').unwrap_or((userinfo, ""));
                let (host, port) = hostport.split_once(':').unwrap_or((hostport, "3306"));
                let mut args = vec![
                    format!("--host={host}"),
                    format!("--port={port}"),
                    format!("--user={user}"),
                ];
                if !password.is_empty() {
                    args.push(format!("--password={password}"));
                }
                Server::Mariadb { args }
            }
        }))
    }
}

/// A database of this run.
pub struct Db {
    kind: Kind,
    server: Server,
    /// The database name (PostgreSQL, MariaDB) or file (SQLite).
    pub name: String,
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A database name no other run on the same server uses.
pub fn unique_name(label: &str) -> String {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() % 1_000_000_000);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    format!("ddlc_esc_{}_{stamp}_{n}_{label}", std::process::id())
}

impl Db {
    /// A fresh, empty database.
    pub fn create(kind: Kind, server: &Server, label: &str) -> Result<Db, String> {
        let name = unique_name(label);
        match server {
            Server::Postgres { .. } => {
                let db = Db {
                    kind,
                    server: server.clone(),
                    name: name.clone(),
                    _dir: None,
                };
                db.admin(&format!("CREATE DATABASE \"{name}\""))?;
                Ok(db)
            }
            Server::Mariadb { .. } => {
                let db = Db {
                    kind,
                    server: server.clone(),
                    name: name.clone(),
                    _dir: None,
                };
                db.admin(&format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))?;
                Ok(db)
            }
            Server::Sqlite => {
                let dir = tempfile::Builder::new()
                    .prefix(&format!("{name}_"))
                    .tempdir()
                    .map_err(|e| e.to_string())?;
                let file = dir.path().join("db.sqlite");
                Ok(Db {
                    kind,
                    server: server.clone(),
                    name: file.to_string_lossy().into_owned(),
                    _dir: Some(dir),
                })
            }
        }
    }

    /// Runs `sql` on the server's admin database.
    fn admin(&self, sql: &str) -> Result<(), String> {
        match &self.server {
            Server::Postgres { prefix, admin } => run(Command::new("psql")
                .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
                .arg(format!("{prefix}/{admin}")))
            .map(|_| ()),
            Server::Mariadb { args } => {
                run(Command::new("mariadb").args(args).args(["-e", sql])).map(|_| ())
            }
            Server::Sqlite => Ok(()),
        }
    }

    /// Applies the script in `file` with the engine's own client, reading the
    /// file as users do (`psql -f`, `mariadb < file`, `sqlite3 db < file`).
    pub fn apply(&self, file: &Path) -> Result<(), String> {
        match &self.server {
            Server::Postgres { prefix, .. } => run(Command::new("psql")
                .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f"])
                .arg(file)
                .arg(format!("{prefix}/{}", self.name)))
            .map(|_| ()),
            Server::Mariadb { args } => {
                let input = std::fs::File::open(file).map_err(|e| e.to_string())?;
                run(Command::new("mariadb")
                    .args(args)
                    .arg(&self.name)
                    .stdin(input))
                .map(|_| ())
            }
            Server::Sqlite => {
                let input = std::fs::File::open(file).map_err(|e| e.to_string())?;
                run(Command::new("sqlite3")
                    .arg("-bail")
                    .arg(&self.name)
                    .stdin(input))
                .map(|_| ())
            }
        }
    }

    /// Rows of `sql`, tab-separated fields split; `NULL` fields are empty.
    pub fn query(&self, sql: &str) -> Result<Vec<Vec<String>>, String> {
        let out = match &self.server {
            Server::Postgres { prefix, .. } => run(Command::new("psql")
                .args([
                    "-X",
                    "-q",
                    "-A",
                    "-t",
                    "-F",
                    "\t",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-c",
                    sql,
                ])
                .arg(format!("{prefix}/{}", self.name)))?,
            Server::Mariadb { args } => run(Command::new("mariadb")
                .args(args)
                .args(["-N", "-B", "-e", sql])
                .arg(&self.name))?,
            Server::Sqlite => run(Command::new("sqlite3")
                .args(["-bail", "-noheader", "-separator", "\t", "-nullvalue", ""])
                .arg(&self.name)
                .arg(sql))?,
        };
        Ok(out
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| {
                l.split('\t')
                    .map(|f| {
                        if f == "NULL" {
                            String::new()
                        } else {
                            f.to_string()
                        }
                    })
                    .collect()
            })
            .collect())
    }

    /// A hex-encoded text value as SQL of this engine (for lookups by name).
    pub fn text(&self, s: &str) -> String {
        let hex = hex(s.as_bytes());
        match self.kind {
            Kind::Postgres => format!("convert_from('\\x{hex}'::bytea, 'UTF8')"),
            Kind::Mariadb => format!("CONVERT(X'{hex}' USING utf8mb4)"),
            Kind::Sqlite => format!("CAST(X'{hex}' AS TEXT)"),
        }
    }

    /// A text expression's value as hex, so it reads back byte for byte.
    pub fn hexed(&self, expr: &str) -> String {
        match self.kind {
            Kind::Postgres => format!("encode(convert_to(({expr})::text, 'UTF8'), 'hex')"),
            Kind::Mariadb => format!("HEX({expr})"),
            Kind::Sqlite => format!("hex({expr})"),
        }
    }

    /// `name` quoted as this engine's identifier (the test's own quoting).
    pub fn ident(&self, name: &str) -> String {
        match self.kind {
            Kind::Mariadb => format!("`{}`", name.replace('`', "``")),
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// Which engine.
    pub fn kind(&self) -> Kind {
        self.kind
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        let _ = match self.server {
            Server::Postgres { .. } => self.admin(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            )),
            Server::Mariadb { .. } => {
                self.admin(&format!("DROP DATABASE IF EXISTS `{}`", self.name))
            }
            Server::Sqlite => Ok(()),
        };
    }
}

/// Runs a client; its stdout, or the first lines of its stderr on failure.
fn run(cmd: &mut Command) -> Result<String, String> {
    let out = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    // psql -q still prints NOTICEs (IF NOT EXISTS, DROP .. IF EXISTS): not errors.
    let mut errors: Vec<&str> = stderr.lines().filter(|l| !l.contains("NOTICE:")).collect();
    // The client's own error line first (mariadb echoes the statement before it).
    errors.sort_by_key(|l| !(l.starts_with("ERROR") || l.contains("rror:")));
    if !out.status.success() || !errors.is_empty() {
        return Err(format!(
            "{:?} failed ({}): {}",
            cmd.get_program(),
            out.status,
            errors
                .iter()
                .take(6)
                .copied()
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The text whose UTF-8 bytes `h` spells in hex (any case), or a marker of the
/// bad hex so a comparison fails visibly.
pub fn unhex(h: &str) -> String {
    let bytes: Option<Vec<u8>> = (0..h.len())
        .step_by(2)
        .map(|i| h.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
        .collect();
    match bytes.map(String::from_utf8) {
        Some(Ok(s)) => s,
        _ => format!("<not UTF-8 hex: {h}>"),
    }
}

/// A path under the system's temporary directory that no run has created.
pub fn marker_path() -> PathBuf {
    std::env::temp_dir().join(format!("ddlc_pwned_{}", std::process::id()))
}

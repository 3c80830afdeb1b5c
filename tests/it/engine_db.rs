//! A database of its own on a real engine, reached through the client users
//! run scripts with (psql, mariadb, sqlite3), named uniquely for the run and
//! dropped (or deleted) when the test ends.

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A database name no other run (or test of this run) uses.
fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    format!("ddlc_cli_{}_{nanos}_{n}", std::process::id())
}

/// One test database.
pub(crate) struct EngineDb {
    /// `psql`, `mariadb` or `sqlite3`.
    pub(crate) client: &'static str,
    /// Client arguments selecting the server (and user), before the database.
    server: Vec<String>,
    name: String,
    /// The SQLite file's folder.
    _dir: Option<tempfile::TempDir>,
}

impl EngineDb {
    /// A fresh database on the server `var` names (`DDLC_TEST_POSTGRES_URL`,
    /// `DDLC_TEST_MYSQL_URL`), or `None`, reported, when it is unset.
    pub(crate) fn server(var: &str) -> Option<EngineDb> {
        let Ok(url) = std::env::var(var) else {
            eprintln!("NOT RUN on this engine: {var} is not set");
            return None;
        };
        let (client, server) = if var.contains("POSTGRES") {
            // psql takes the URL; the database is the URL's path, replaced below.
            let base = url.rsplit_once('/').map_or(url.as_str(), |(b, _)| b);
            ("psql", vec![format!("{base}/")])
        } else {
            let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
            let (user, host) = rest.rsplit_once('@').unwrap_or(("root", rest));
            let host = host.split('/').next().unwrap_or(host);
            let (host, port) = host.rsplit_once(':').unwrap_or((host, "3306"));
            let args = ["-h", host, "-P", port, "-u", user].map(String::from);
            ("mariadb", args.to_vec())
        };
        let db = EngineDb {
            client,
            server,
            name: unique_name(),
            _dir: None,
        };
        let create = format!("CREATE DATABASE {}", db.name);
        db.admin(&create);
        Some(db)
    }

    /// A fresh SQLite database file.
    pub(crate) fn sqlite() -> EngineDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join(format!("{}.db", unique_name()));
        EngineDb {
            client: "sqlite3",
            server: Vec::new(),
            name: file.to_string_lossy().into_owned(),
            _dir: Some(dir),
        }
    }

    /// A fresh database for a ddlc dialect: `postgresql`, `mariadb` (when
    /// their variables are set, else `None`, reported) or `sqlite`.
    pub(crate) fn fresh(dialect: &str) -> Option<EngineDb> {
        match dialect {
            "postgresql" => EngineDb::server("DDLC_TEST_POSTGRES_URL"),
            "mariadb" => EngineDb::server("DDLC_TEST_MYSQL_URL"),
            "sqlite" => Some(EngineDb::sqlite()),
            other => panic!("no engine here for {other}"),
        }
    }

    fn command(&self, db: Option<&str>) -> Command {
        let mut command = Command::new(self.client);
        match (self.client, db) {
            ("psql", db) => {
                command
                    .args(["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"])
                    .arg(format!("{}{}", self.server[0], db.unwrap_or("postgres")));
            }
            ("sqlite3", db) => {
                command.args(["-batch", "-bail"]).args(db);
            }
            (_, db) => {
                command.args(&self.server).args(["-N", "-B"]).args(db);
            }
        }
        command
    }

    fn admin(&self, sql: &str) {
        let flag = if self.client == "psql" { "-c" } else { "-e" };
        let out = self
            .command(None)
            .args([flag, sql])
            .output()
            .expect("run the client");
        assert!(
            out.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Runs `sql` (a script or a query) in the database through the client's
    /// stdin, as a user pipes a script; its output, trimmed.
    pub(crate) fn run(&self, sql: &str) -> String {
        self.try_run(sql)
            .unwrap_or_else(|e| panic!("{}: {e}\n{sql}", self.client))
    }

    /// [`EngineDb::run`], with a failure (or a complaint on stderr) returned
    /// as the client's stderr instead of failing the test.
    pub(crate) fn try_run(&self, sql: &str) -> Result<String, String> {
        let mut child = self
            .command(Some(&self.name))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run the client");
        std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), sql.as_bytes())
            .expect("feed the client");
        let out = child.wait_with_output().expect("client output");
        let stderr = String::from_utf8_lossy(&out.stderr);
        // PostgreSQL's notices (`... does not exist, skipping`) are information;
        // anything else on stderr is a problem, even with exit status 0.
        let complaints: Vec<&str> = stderr
            .lines()
            .filter(|l| !l.starts_with("NOTICE:") && !l.trim().is_empty())
            .collect();
        if !out.status.success() || !complaints.is_empty() {
            return Err(stderr.into_owned());
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }
}

impl EngineDb {
    /// Empties the database for the next use (cheaper than a fresh one on
    /// PostgreSQL, where CREATE DATABASE copies a template to disk).
    pub(crate) fn reset(&self) {
        match self.client {
            "psql" => {
                self.run("SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
            }
            "sqlite3" => {
                std::fs::write(&self.name, b"").expect("empty the SQLite file");
            }
            _ => {
                self.admin(&format!(
                    "DROP DATABASE {0}; CREATE DATABASE {0}",
                    self.name
                ));
            }
        }
    }

    /// The schema dump users take of the database: `pg_dump --schema-only`,
    /// `mariadb-dump --no-data`, `sqlite3 .schema`.
    pub(crate) fn dump(&self) -> String {
        let mut command = match self.client {
            "psql" => {
                let mut c = Command::new("pg_dump");
                c.arg("--schema-only")
                    .arg(format!("{}{}", self.server[0], self.name));
                c
            }
            "sqlite3" => {
                let mut c = Command::new("sqlite3");
                c.arg(&self.name).arg(".schema");
                c
            }
            _ => {
                let mut c = Command::new("mariadb-dump");
                c.args(&self.server)
                    .args(["--no-data", "--skip-comments"])
                    .arg(&self.name);
                c
            }
        };
        let out = command.output().expect("run the dump tool");
        assert!(
            out.status.success(),
            "dump: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for EngineDb {
    fn drop(&mut self) {
        if self.client == "sqlite3" {
            return; // the folder goes with the TempDir
        }
        let drop = format!("DROP DATABASE IF EXISTS {}", self.name);
        let flag = if self.client == "psql" { "-c" } else { "-e" };
        let _ = self.command(None).args([flag, &drop]).output();
    }
}

//! Projects written as a user would write them, and the ddlc binary run on
//! them as a pipeline would (`ddlc upgrade .. -o file`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// A DSL quoted name: `"..."` with `""` for `"`.
pub fn name(n: &str) -> String {
    format!("\"{}\"", n.replace('"', "\"\""))
}

/// A DSL (and SQL) string literal: `'...'` with `''` for `'`.
pub fn lit(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// One revision file.
#[derive(Clone)]
pub struct Revision {
    /// Its id.
    pub id: String,
    /// The `upgrade { .. }` body.
    pub upgrade: String,
    /// `auto`, or a block.
    pub downgrade: String,
    /// The message and the doc text (both reach the script as comments).
    pub message: Option<(String, String)>,
}

/// A project folder in a temporary directory.
pub struct ProjectDir {
    dir: tempfile::TempDir,
}

impl ProjectDir {
    /// Writes `ddlc.toml` (with `[version_table]` when given) and the revisions,
    /// each revising the one before.
    pub fn new(version_table: Option<(&str, &str)>, revisions: &[Revision]) -> ProjectDir {
        let dir = tempfile::Builder::new()
            .prefix("ddlc_esc_project_")
            .tempdir()
            .expect("temporary project directory");
        let mut toml = String::from("[project]\nmigrations = \"migrations\"\n");
        if let Some((table, column)) = version_table {
            toml.push_str(&format!(
                "[version_table]\nname = {}\ncolumn = {}\n",
                toml::Value::String(table.into()),
                toml::Value::String(column.into())
            ));
        }
        std::fs::write(dir.path().join("ddlc.toml"), toml).expect("write ddlc.toml");
        let versions = dir.path().join("migrations/versions");
        std::fs::create_dir_all(&versions).expect("versions folder");
        let mut parent: Option<&str> = None;
        for r in revisions {
            let revises = match parent {
                Some(p) => format!("\"{p}\""),
                None => "base".to_string(),
            };
            let header = match &r.message {
                Some((message, doc)) => format!(
                    "message \"{}\"\ndoc \"\"\"{doc}\"\"\"",
                    message.replace('"', "\"\"")
                ),
                None => format!("message \"hostile input {}\"", r.id),
            };
            let text = format!(
                "revision \"{}\"\nrevises {revises}\n{header}\n\nupgrade {{\n{}\n}}\n\ndowngrade {}\n",
                r.id, r.upgrade, r.downgrade
            );
            std::fs::write(versions.join(format!("{}.mig", r.id)), text).expect("write revision");
            parent = Some(&r.id);
        }
        ProjectDir { dir }
    }

    /// The project's folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Compiles `args` (`upgrade head`, `downgrade head:base`) for `dialect`
    /// into a file of the project folder; `Err` holds exit code and stderr.
    pub fn compile(&self, dialect: &str, args: &[&str]) -> Result<PathBuf, (i32, String)> {
        let out = self.path().join(format!(
            "{}-{}.sql",
            dialect,
            args.join("-").replace(':', "_")
        ));
        let result = Command::new(ddlc())
            .arg("--project")
            .arg(self.path())
            .args(args)
            .args(["-d", dialect, "-o"])
            .arg(&out)
            .output()
            .expect("run ddlc");
        if result.status.success() {
            Ok(out)
        } else {
            Err((
                result.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&result.stderr).into_owned(),
            ))
        }
    }
}

/// The ddlc binary under test (DDLC_ESCAPING_BIN runs the suite against
/// another build, e.g. one of main, to see which cases it fails).
pub fn ddlc() -> PathBuf {
    std::env::var_os("DDLC_ESCAPING_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_ddlc")))
}

//! `ddlc init [DIR]`: a new project. Writes ddlc.toml (every option, with what
//! it does), `migrations/versions/`, an empty lock `migrations/ddlc.sum` and
//! `migrations/README.md` (as Alembic's `init` writes a README into its
//! folder; the project's own README is never touched). Nothing that exists is
//! overwritten: every path already there is named and nothing is written.

use super::{output, Ctx, Failure};
use crate::config::{self, FILE_NAME};
use crate::diag::Error;
use crate::dialect::Dialect;
use crate::sum::{self, Lock};
use camino::{Utf8Path, Utf8PathBuf};

/// Options of `ddlc init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The project folder, created if missing (default: --project, else the current folder).
    #[arg(value_name = "DIR")]
    pub dir: Option<Utf8PathBuf>,
    /// The project's dialect, written to ddlc.toml.
    #[arg(short, long, value_enum, default_value_t = Dialect::DEFAULT)]
    pub dialect: Dialect,
}

/// What `migrations/README.md` says.
const README: &str = "\
# Migrations

The revisions of this project's database schema, compiled to SQL scripts by
ddlc. Each file in `versions/` is one revision, written in ddlc's migration
language; `ddlc.sum` locks them (the SHA-256 of every file), so a revision
edited after its release is caught.

```sh
ddlc new -m \"add invoices\"          # a new revision, revising the head
ddlc upgrade head -o upgrade.sql      # the SQL that brings a database to the head
ddlc check                            # what CI runs: parse, compile, verify the lock
ddlc stamp head                       # record a database brought to the head by hand
```
";

/// Runs `ddlc init`.
pub(super) fn run(ctx: &Ctx, args: InitArgs) -> Result<(), Failure> {
    let dir = args
        .dir
        .or_else(|| ctx.project.clone())
        .unwrap_or_else(|| ".".into());
    let root = ctx.cwd.join(&dir);
    let migrations = root.join("migrations");
    let files: [(Utf8PathBuf, String); 3] = [
        (root.join(FILE_NAME), config::commented_file(args.dialect)),
        (migrations.join(sum::FILE_NAME), Lock::default().render()),
        (migrations.join("README.md"), README.to_string()),
    ];
    let versions = migrations.join("versions");
    let shown = |path: &Utf8Path| ctx.shown(path);
    let existing: Vec<String> = files
        .iter()
        .map(|(path, _)| path)
        .chain([&versions])
        .filter(|path| std::fs::symlink_metadata(path).is_ok())
        .map(|path| format!("`{}`", shown(path)))
        .collect();
    if !existing.is_empty() {
        return Err(Failure::Error(Error::Message(format!(
            "{} already {}: `ddlc init` never overwrites anything (nothing was written)",
            existing.join(", "),
            if existing.len() == 1 {
                "exists"
            } else {
                "exist"
            }
        ))));
    }
    let mut created = Created::default();
    created.folder(&versions)?;
    for (path, text) in &files {
        created.file(path, text)?;
    }
    created.keep();
    for (path, _) in &files {
        ctx.term.info(&format!("created {}", shown(path)));
    }
    ctx.term.info(&format!("created {}/", shown(&versions)));
    ctx.term.info(&format!(
        "next: ddlc{} new -m \"first revision\"",
        if dir == "." {
            String::new()
        } else {
            format!(" --project {dir}")
        }
    ));
    Ok(())
}

/// What `init` made so far, removed again (newest first) unless kept, so a
/// failure half-way leaves the folder as it was.
#[derive(Default)]
pub(super) struct Created {
    paths: Vec<(Utf8PathBuf, bool)>,
    kept: bool,
}

impl Created {
    /// Creates `path` and the folders above it that are missing.
    pub(super) fn folder(&mut self, path: &Utf8Path) -> Result<(), Error> {
        let missing: Vec<&Utf8Path> = path
            .ancestors()
            .take_while(|p| !p.as_str().is_empty() && std::fs::symlink_metadata(p).is_err())
            .collect();
        for dir in missing.into_iter().rev() {
            std::fs::create_dir(dir).map_err(|source| Error::Io {
                path: dir.to_path_buf(),
                source,
            })?;
            self.paths.push((dir.to_path_buf(), true));
        }
        Ok(())
    }

    /// Creates `path` (never replacing a file) holding `text`.
    pub(super) fn file(&mut self, path: &Utf8Path, text: &str) -> Result<(), Error> {
        output::create_new(path, text)?;
        self.paths.push((path.to_path_buf(), false));
        Ok(())
    }

    pub(super) fn keep(&mut self) {
        self.kept = true;
    }
}

impl Drop for Created {
    fn drop(&mut self) {
        if self.kept {
            return;
        }
        for (path, is_dir) in self.paths.iter().rev() {
            let _ = if *is_dir {
                std::fs::remove_dir(path)
            } else {
                std::fs::remove_file(path)
            };
        }
    }
}

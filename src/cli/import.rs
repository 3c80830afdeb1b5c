//! `ddlc import alembic SRC [DEST]`: a new ddlc project from an Alembic
//! project's revisions (see `crate::import`). Nothing that exists is
//! overwritten; the lock is written when every revision compiles, and the
//! summary names each piece of code left for review.

use super::init::Created;
use super::term::plural;
use super::{Ctx, Failure};
use crate::config::{self, Config, FILE_NAME};
use crate::diag::{Diagnostics, Error};
use crate::project::Project;
use crate::source::SourceMap;
use crate::sum::{self, Lock};
use camino::Utf8PathBuf;

/// `ddlc import`'s sources.
#[derive(Debug, clap::Subcommand)]
pub enum ImportArgs {
    /// An Alembic project: SRC holds alembic.ini, or versions/, or is the
    /// versions folder; DEST (default: --project, else the current folder)
    /// gets ddlc.toml and migrations/, and must not have them yet.
    Alembic {
        /// The Alembic project.
        #[arg(value_name = "SRC")]
        src: Utf8PathBuf,
        /// The new ddlc project's folder.
        #[arg(value_name = "DEST")]
        dest: Option<Utf8PathBuf>,
    },
}

/// Runs `ddlc import alembic`.
pub(super) fn run(ctx: &Ctx, args: ImportArgs) -> Result<(), Failure> {
    let ImportArgs::Alembic { src, dest } = args;
    let src = ctx.cwd.join(src);
    let root = ctx.cwd.join(
        dest.or_else(|| ctx.project.clone())
            .unwrap_or_else(|| ".".into()),
    );
    let located = crate::import::locate(&src).map_err(|m| Failure::Error(Error::Message(m)))?;
    let shown = |p: &camino::Utf8Path| ctx.shown(p).to_string();
    let imported =
        crate::import::import(&located, &shown).map_err(|m| Failure::Error(Error::Message(m)))?;
    let versions = root.join("migrations").join("versions");
    let mut files: Vec<(Utf8PathBuf, String)> =
        vec![(root.join(FILE_NAME), imported.config.clone())];
    for r in &imported.revisions {
        files.push((versions.join(&r.file_name), r.text.clone()));
    }
    if let Some((name, text, _)) = &imported.baseline {
        files.push((versions.join(name), text.clone()));
    }
    let lock_path = root.join("migrations").join(sum::FILE_NAME);
    let existing: Vec<String> = files
        .iter()
        .map(|(p, _)| p)
        .chain([&lock_path, &versions])
        .filter(|p| std::fs::symlink_metadata(p).is_ok())
        .map(|p| format!("`{}`", ctx.shown(p)))
        .collect();
    if !existing.is_empty() {
        return Err(Failure::Error(Error::Message(format!(
            "{} already exist{}: `ddlc import` never overwrites anything (nothing was written)",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" }
        ))));
    }
    let mut created = Created::default();
    created.folder(&versions)?;
    for (path, text) in &files {
        created.file(path, text)?;
    }
    let locked = lock(&root);
    created.file(
        &lock_path,
        &locked
            .as_ref()
            .map(Lock::render)
            .unwrap_or_else(|| Lock::default().render()),
    )?;
    created.keep();
    report(ctx, &imported, &versions, locked.is_some());
    Ok(())
}

/// The lock of the written project, when every revision in it compiles.
fn lock(root: &camino::Utf8Path) -> Option<Lock> {
    let config = Config::load(&root.join(FILE_NAME), root.to_path_buf()).ok()?;
    let (mut sources, mut diags) = (SourceMap::new(), Diagnostics::new());
    let graph = Project::load(&config, &mut sources, &mut diags).ok()?;
    Lock::of_graph(&graph, &sources).ok()
}

fn report(ctx: &Ctx, imported: &crate::import::Import, versions: &camino::Utf8Path, locked: bool) {
    let ops: usize = imported.revisions.iter().map(|r| r.ops).sum();
    let review: Vec<&crate::import::Imported> = imported
        .revisions
        .iter()
        .filter(|r| !r.reviews.is_empty())
        .collect();
    ctx.term.info(&format!(
        "imported {} ({}) into {}/",
        plural(imported.revisions.len(), "revision"),
        plural(ops, "op"),
        ctx.shown(versions)
    ));
    for s in &imported.skipped {
        ctx.term.info(&format!(
            "skipped {}:{}: {}",
            ctx.shown(&s.source),
            s.line,
            s.why
        ));
    }
    if !review.is_empty() {
        ctx.term.info(&format!(
            "{} review (`review` blocks; `ddlc check` fails until they are replaced):",
            if review.len() == 1 {
                "1 revision needs".to_string()
            } else {
                format!("{} revisions need", review.len())
            }
        ));
        for r in review {
            for (line, why) in &r.reviews {
                ctx.term
                    .info(&format!("  {}:{line}: {why}", ctx.shown(&r.source)));
            }
        }
    }
    for d in &imported.disagreements {
        ctx.term.info(&format!(
            "warning: {}:{}: {}",
            ctx.shown(&d.source),
            d.line,
            d.why
        ));
    }
    if let Some((name, _, tables)) = &imported.baseline {
        ctx.term.info(&format!(
            "proposed {}/{name}: the revisions use {} before any creates them; declare them there (the first revisions now revise it)",
            ctx.shown(versions),
            tables.join(", ")
        ));
    }
    if !locked {
        ctx.term
            .info("ddlc.sum is empty: run `ddlc sum` once every revision compiles");
    }
    let _ = config::FILE_NAME;
}

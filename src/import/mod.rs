//! `ddlc import alembic`: an Alembic project's revisions as ddlc revisions,
//! with the same ids and graph. Each `versions/*.py` is parsed with a Python
//! parser (rustpython-parser) and its `upgrade()` / `downgrade()` read as
//! data, never run; what cannot be translated is kept, with its place, in a
//! `review` block that fails every compile until a person replaces it.

mod baseline;
mod body;
mod existing;
mod models;
mod mysql_names;
mod ops;
mod project;
mod render;
mod revision;
mod table;
mod text;
mod types;
mod value;

pub use project::{locate, Located};

use camino::{Utf8Path, Utf8PathBuf};

/// One imported revision.
#[derive(Debug)]
pub struct Imported {
    /// The .py it came from.
    pub source: Utf8PathBuf,
    /// Its id.
    pub id: String,
    /// The .mig file name.
    pub file_name: String,
    /// The .mig text.
    pub text: String,
    /// Ops written.
    pub ops: usize,
    /// Where code was left for review: (line, why).
    pub reviews: Vec<(usize, String)>,
}

/// A .py file in a versions folder that is not a revision.
#[derive(Debug)]
pub struct Skipped {
    /// The file.
    pub source: Utf8PathBuf,
    /// Its line.
    pub line: usize,
    /// Why.
    pub why: String,
}

/// What an import made of an Alembic project.
#[derive(Debug, Default)]
pub struct Import {
    /// The revisions, in file order.
    pub revisions: Vec<Imported>,
    /// Files that are not revisions.
    pub skipped: Vec<Skipped>,
    /// ddlc.toml's text.
    pub config: String,
    /// `existing_*` arguments that disagree with the replayed columns.
    pub disagreements: Vec<Skipped>,
    /// The proposed baseline: its file name, text and the tables it must declare.
    pub baseline: Option<(String, String, Vec<String>)>,
}

/// Imports the revisions of `located`; `shown` turns a path into what
/// review messages name.
pub fn import(located: &Located, shown: &dyn Fn(&Utf8Path) -> String) -> Result<Import, String> {
    table::ENGINE_NAMES.with(|e| e.set(located.naming_convention.is_none()));
    let mut out = Import {
        config: project::config_text(located),
        ..Import::default()
    };
    let mut read = vec![];
    for path in &located.files {
        let source =
            std::fs::read_to_string(path).map_err(|e| format!("cannot read `{path}`: {e}"))?;
        let source = source.replace("\r\n", "\n");
        let py = shown(path);
        match revision::read(&source, path, &py) {
            Err(e) => out.skipped.push(Skipped {
                source: path.clone(),
                line: e.line,
                why: e.message,
            }),
            Ok(rev) => read.push((path.clone(), py, rev)),
        }
    }
    let revisions: Vec<revision::Revision> = read
        .iter_mut()
        .map(|(_, _, r)| std::mem::replace(r, revision::Revision::empty()))
        .collect();
    let missing = baseline::missing(&revisions);
    for (id, line, why) in existing::check(&revisions) {
        if let Some((path, _, _)) = read
            .iter()
            .zip(&revisions)
            .find(|(_, r)| r.id == id)
            .map(|(p, _)| p)
        {
            out.disagreements.push(Skipped {
                source: path.clone(),
                line,
                why,
            });
        }
    }
    if let Some(text) = baseline::text(&missing) {
        out.baseline = Some((format!("{}.mig", baseline::ID), text, missing));
    }
    for ((path, py, _), mut rev) in read.into_iter().zip(revisions) {
        if out.baseline.is_some() && rev.parents.is_empty() {
            rev.parents.push(baseline::ID.to_string());
        }
        let r = render::render(&rev, &py).map_err(|e| format!("{py}: {e}"))?;
        let file_name = crate::scaffold::file_name(&rev.id, &rev.message);
        out.revisions.push(Imported {
            source: path,
            id: rev.id,
            file_name,
            text: r.text,
            ops: r.ops,
            reviews: r.reviews,
        });
    }
    Ok(out)
}

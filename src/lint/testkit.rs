//! Rule tests: a project from the upgrade blocks of a chain of revisions,
//! linted for one dialect.

use super::{lint_dialect, Settings};
use crate::diag::Diagnostics;
use crate::dialect::Dialect;
use crate::graph::Graph;
use crate::project::Project;
use crate::source::SourceMap;

/// A chain of revisions `0001`, `0002`, ... each revising the one before;
/// an entry starting with `revision` is a whole file, else an upgrade block's body.
pub fn project(revisions: &[&str]) -> Project {
    let mut sources = SourceMap::new();
    let mut diags = Diagnostics::new();
    let naming = crate::naming::Convention::default();
    let mut parsed = Vec::new();
    for (i, body) in revisions.iter().enumerate() {
        let parent = match i {
            0 => "base".to_string(),
            _ => format!("\"{i:04}\""),
        };
        let text = match body.starts_with("revision") {
            true => body.to_string(),
            false => format!(
                "revision \"{:04}\"\nrevises {parent}\nmessage \"m\"\n\nupgrade {{\n{body}\n}}\n\ndowngrade auto\n",
                i + 1
            ),
        };
        let file = sources.add(format!("v/{:04}.mig", i + 1), text);
        match crate::syntax::parse_revision(&sources, file, &naming, &mut diags) {
            Ok(r) => parsed.push(r),
            Err(_) => panic!(
                "{}",
                crate::diag::render(diags.as_slice(), &sources, crate::diag::Style::Plain)
            ),
        }
    }
    let graph = Graph::build(parsed, &sources, &mut diags)
        .unwrap_or_else(|_| panic!("{:?}", diags.as_slice()));
    Project { sources, graph }
}

/// `rule@revision: message` for every finding of `dialect`, in order, in a
/// project whose scripts set a lock timeout (so `missing-lock-timeout`, which
/// has its own tests, stays out of every other rule's).
pub fn findings(revisions: &[&str], dialect: Dialect) -> Vec<String> {
    with_settings(TIMEOUT, revisions, dialect)
}

/// A table with an id and one plain column `c`, for a rule's first revision.
pub const T: &str =
    "    create_table t {\n        id : integer primary_key\n        c : integer\n    }";

/// `[scripts] lock_timeout`, set.
pub const TIMEOUT: &str = "[scripts]\nlock_timeout = \"5s\"\n";

/// [`findings`] with the settings of a ddlc.toml holding `toml`.
pub fn with_settings(toml: &str, revisions: &[&str], dialect: Dialect) -> Vec<String> {
    let config = crate::config::Config::parse(toml, "ddlc.toml".into(), "/p".into()).unwrap();
    let settings = Settings::from_config(&config).unwrap();
    let project = project(revisions);
    lint_dialect(&project, &settings, dialect, "heads")
        .unwrap()
        .findings
        .into_iter()
        .map(|f| format!("{}@{}: {}", f.rule, f.revision_id, f.message))
        .collect()
}

/// The findings of rule `id` only.
pub fn of(id: &str, revisions: &[&str], dialect: Dialect) -> Vec<String> {
    findings(revisions, dialect)
        .into_iter()
        .filter(|f| f.starts_with(&format!("{id}@")))
        .collect()
}

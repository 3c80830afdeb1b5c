//! `released-migration-edited`: a revision file whose bytes differ from the
//! ones ddlc.sum locked. Databases that ran it keep what it did then; the
//! edit reaches only new ones. The comparison is `ddlc check`'s
//! ([`crate::sum::verify`]), reported here too so `ddlc lint --format sarif`
//! carries it. Once per lint, whatever the dialects.

use crate::config::Config;
use crate::diag::{Code, Error};
use crate::dialect::Dialect;
use crate::lint::{Finding, Rule, Settings};
use crate::project::Project;
use crate::sum::{verify, Policy};

/// See the module doc.
pub struct ReleasedMigrationEdited;

impl Rule for ReleasedMigrationEdited {
    fn id(&self) -> &'static str {
        super::RELEASED_EDITED
    }
    fn summary(&self) -> &'static str {
        "a revision file differs from the one ddlc.sum locked: databases that ran it will not see the edit"
    }
    fn default_severity(&self) -> crate::diag::Severity {
        crate::diag::Severity::Error
    }
}

/// The edited revisions, one finding each at its file's first line. A
/// suppression cannot silence it (writing one is an edit): `[lint.rules]`
/// can. An unreadable lock is an error; a missing one finds nothing
/// (`ddlc check` warns of it).
pub(crate) fn findings(
    project: &Project,
    config: &Config,
    settings: &Settings,
    dialects: &[Dialect],
) -> Result<Vec<Finding>, Error> {
    // verify adds the lock to the sources it reads: a copy, so the project's stay as they are.
    let mut sources = project.sources.clone();
    let diags = verify(config, &mut sources, Some(&project.graph), Policy::Enforce)?;
    let mut out = Vec::new();
    for d in diags.as_slice() {
        let (Code::SumEdited, Some(at)) = (d.code, &d.primary) else {
            continue;
        };
        let Some(node) =
            (0..project.graph.len()).find(|&n| project.graph.revision(n).file == at.span.file)
        else {
            continue;
        };
        out.push(Finding {
            rule: super::RELEASED_EDITED,
            severity: settings.severity(&ReleasedMigrationEdited),
            message: d.message.clone(),
            span: at.span,
            label: at.message.clone(),
            anchor: at.span,
            revision: node,
            revision_id: project.graph.revision(node).id.clone(),
            help: Some("undo the edit and write a new revision for the change; if this revision was never released, `ddlc sum` locks it as it is".into()),
            dialects: dialects.to_vec(),
        });
    }
    Ok(out)
}

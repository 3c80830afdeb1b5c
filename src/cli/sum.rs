//! `ddlc sum`: rewrite ddlc.sum from the revision files as they are now. This
//! is the deliberate act that accepts an edit, a removal or a file written by
//! hand; what changed since the old lock is said on stderr.

use super::{output, term::plural, Ctx, Failure};
use crate::sum::{self, Lock, Policy};
use std::collections::BTreeMap;

/// `ddlc sum`.
pub(super) fn run(ctx: &Ctx) -> Result<(), Failure> {
    let config = ctx.config()?;
    let mut project = ctx.load(&config, None, " (ddlc.sum not written)")?;
    let lock = Lock::of_graph(&project.graph, &project.sources)?;
    // What the old lock said, to tell the user what they are accepting.
    let before = sum::verify(
        &config,
        &mut project.sources,
        Some(&project.graph),
        Policy::Warn,
    )?;
    let mut changes: BTreeMap<&str, usize> = BTreeMap::new();
    for d in before.as_slice() {
        if let Some(kind) = d.code.id().strip_prefix("sum-") {
            *changes.entry(kind).or_default() += 1;
        }
    }
    let path = config.sum_file();
    output::write(&path, &ctx.cwd, &lock.render())?;
    let shown = ctx.shown(&path);
    let summary = match changes.get("missing") {
        Some(_) => " (new lock)".to_string(),
        None if changes.is_empty() => " (unchanged)".to_string(),
        None => {
            let kinds: Vec<String> = changes.iter().map(|(k, n)| format!("{n} {k}")).collect();
            format!(" (accepted: {})", kinds.join(", "))
        }
    };
    ctx.term.info(&format!(
        "locked {} in {shown}{summary}",
        plural(lock.entries.len(), "revision")
    ));
    Ok(())
}

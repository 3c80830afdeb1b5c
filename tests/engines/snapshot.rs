//! `ddlc schema REV` against `upgrade base:REV`: the script applied to an empty
//! database must leave the schema the upgrade leaves, minus what the model
//! does not hold (the version table, which the dumps leave out, and what
//! `execute` ops made, which the script's header lists).

use crate::dump::{self, Dump};
use crate::engine::Engine;
use crate::project::Project;
use crate::report::Outcome;
use crate::{apply_error, ddlc};

/// Dump line kinds only raw SQL can make: views and triggers.
const RAW_ONLY: [&str; 2] = ["view ", "trigger "];

/// Applies `ddlc schema rev` to a fresh database and compares its dump with
/// `upgraded` (the dump after `upgrade base:rev`), by name and by column
/// order; marks `S+` / `S-`, with `rev` when it is not the head.
pub fn check(
    p: &Project,
    dialect: &str,
    engine: &Engine,
    label: &str,
    rev: &str,
    upgraded: &Dump,
    out: &mut Outcome,
) -> Result<(), String> {
    let at = if rev == "head" {
        String::new()
    } else {
        format!("@{rev}")
    };
    let fail = |out: &mut Outcome, e: String| {
        out.mark(format!("S{at}-"));
        out.fail(format!("`ddlc schema {rev}`: {e}"));
    };
    let script = match ddlc("schema", rev, dialect, &p.dir) {
        Ok(s) => s,
        Err(e) => {
            fail(out, e);
            return Ok(());
        }
    };
    let mut db = engine.fresh(&format!("{label}_sc"), p.needs_extra())?;
    if let Err(e) = db.apply(&script) {
        fail(out, apply_error("does not apply to an empty database", &e));
        return Ok(());
    }
    let ours = db.dump(&p.version_table)?;
    let raw = script.contains("Not included: what `execute` ops did");
    let theirs = Dump {
        lines: upgraded
            .lines
            .iter()
            .filter(|l| !(raw && RAW_ONLY.iter().any(|k| l.exact.starts_with(k))))
            .cloned()
            .collect(),
    };
    if theirs.lines.len() != upgraded.lines.len() {
        out.note(format!(
            "`ddlc schema {rev}`: {} view/trigger line(s) made by `execute` left out of the comparison",
            upgraded.lines.len() - theirs.lines.len()
        ));
    }
    let mut d = dump::diff(&theirs.by_name(), &ours.by_name());
    d.extend(dump::diff(&theirs.column_orders(), &ours.column_orders()));
    if d.is_empty() {
        out.mark(format!("S{at}+"));
    } else {
        fail(
            out,
            format!(
                "schema differs from upgrade base:{rev} (- upgrade, + schema):\n{}",
                d.join("\n")
            ),
        );
    }
    Ok(())
}

//! `downgrade-incomplete`: a hand-written `downgrade { }` that does not take
//! the schema back to what it was before the revision. The comparison is
//! `ddlc check`'s (`snapshot::diff::downgrade_incomplete`), reported here too so
//! `ddlc lint --format sarif` carries it.

use crate::ir::Downgrade;
use crate::lint::{Hit, RevisionCx, Rule};

/// See the module doc.
pub struct DowngradeIncomplete;

impl Rule for DowngradeIncomplete {
    fn id(&self) -> &'static str {
        "downgrade-incomplete"
    }
    fn summary(&self) -> &'static str {
        "a hand-written downgrade does not restore the schema before its revision"
    }
    fn default_severity(&self) -> crate::diag::Severity {
        crate::diag::Severity::Error
    }
    fn revision(&self, cx: &RevisionCx, out: &mut Vec<Hit>) {
        let (Some(before), Downgrade::Ops(down)) = (cx.before, &cx.revision.downgrade) else {
            return;
        };
        let Some(d) =
            crate::snapshot::diff::downgrade_incomplete(before, cx.after, cx.revision, down)
        else {
            return;
        };
        let Some(at) = d.primary else {
            return;
        };
        // The notes name what differs: `left behind: column t.e`, ...
        let mut help = d.notes.join("; ");
        help.push_str(
            ": drop, restore or re-create it in the downgrade, or write `downgrade auto`",
        );
        out.push(Hit::new(d.message, at.span, at.message).help(help));
    }
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::lint::testkit::of;

    const T: &str = "    create_table t {\n        id : integer primary_key\n    }";

    fn rev(up: &str, down: &str) -> String {
        format!("revision \"0002\"\nrevises \"0001\"\nmessage \"m\"\n\nupgrade {{\n{up}\n}}\n\n{down}\n")
    }

    #[test]
    fn fires_where_a_hand_written_downgrade_leaves_the_schema_changed() {
        let up = "    add_column t.d : integer\n    add_column t.e : integer";
        let half = rev(up, "downgrade {\n    drop_column t.d\n}");
        let found = of("downgrade-incomplete", &[T, &half], Dialect::PostgreSql);
        assert_eq!(
            found,
            ["downgrade-incomplete@0002: the downgrade of `0002` does not restore the schema before it"]
        );
        let whole = rev(
            up,
            "downgrade {\n    drop_column t.e\n    drop_column t.d\n}",
        );
        assert!(of("downgrade-incomplete", &[T, &whole], Dialect::PostgreSql).is_empty());
        let auto = rev(up, "downgrade auto");
        assert!(of("downgrade-incomplete", &[T, &auto], Dialect::PostgreSql).is_empty());
    }
}

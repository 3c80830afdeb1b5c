//! `irreversible-without-reason`: `downgrade irreversible "..."` whose reason
//! says nothing (fewer than three words): whoever has to roll back needs to
//! know what is lost and what to do instead.

use crate::ir::Downgrade;
use crate::lint::{Hit, RevisionCx, Rule};

/// See the module doc.
pub struct IrreversibleWithoutReason;

/// Words a reason needs at least.
const MIN_WORDS: usize = 3;

impl Rule for IrreversibleWithoutReason {
    fn id(&self) -> &'static str {
        "irreversible-without-reason"
    }
    fn summary(&self) -> &'static str {
        "`downgrade irreversible` whose reason has fewer than three words: the rollback plan is missing"
    }
    fn revision(&self, cx: &RevisionCx, out: &mut Vec<Hit>) {
        let Downgrade::Irreversible { reason, span } = &cx.revision.downgrade else {
            return;
        };
        if reason.split_whitespace().count() >= MIN_WORDS {
            return;
        }
        out.push(
            Hit::new(
                format!("revision `{}` is irreversible without saying why", cx.revision.id),
                *span,
                "the reason is too short to act on",
            )
            .help("say what is lost and how to recover: `downgrade irreversible \"drops order history; restore from the nightly backup\"`"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::dialect::Dialect;
    use crate::lint::testkit::of;

    fn rev(reason: &str) -> String {
        format!("revision \"0001\"\nrevises base\nmessage \"m\"\n\nupgrade {{\n    create_table t {{\n        id : integer\n    }}\n}}\n\ndowngrade irreversible \"{reason}\"\n")
    }

    #[test]
    fn fires_on_a_short_reason_only() {
        let d = Dialect::DEFAULT;
        assert_eq!(
            of("irreversible-without-reason", &[&rev("data")], d),
            ["irreversible-without-reason@0001: revision `0001` is irreversible without saying why"]
        );
        assert!(of(
            "irreversible-without-reason",
            &[&rev("the old rows are deleted")],
            d
        )
        .is_empty());
    }
}

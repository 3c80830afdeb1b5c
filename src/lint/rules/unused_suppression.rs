//! `unused-suppression`: a `# lint: allow` comment that silenced nothing
//! for any dialect linted (found by `suppress::apply`, not by looking at ops).

use crate::lint::Rule;

/// See the module doc.
pub struct UnusedSuppression;

impl Rule for UnusedSuppression {
    fn id(&self) -> &'static str {
        "unused-suppression"
    }
    fn summary(&self) -> &'static str {
        "a `# lint: allow` comment that silences nothing: the op changed, or the rule no longer fires there"
    }
}

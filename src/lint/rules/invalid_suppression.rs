//! `invalid-suppression`: a `# lint:` comment that does not read as a
//! suppression (no reason, an unknown rule, no op after it), found by
//! `suppress::scan`.

use crate::lint::Rule;

/// See the module doc.
pub struct InvalidSuppression;

impl Rule for InvalidSuppression {
    fn id(&self) -> &'static str {
        "invalid-suppression"
    }
    fn summary(&self) -> &'static str {
        "a `# lint:` comment that is not a suppression: no reason, a rule that does not exist, or no op after it"
    }
}

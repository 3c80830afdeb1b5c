//! Front end: lexer, parser and resolution of one `.mig` file into an [`ir::Revision`].

use crate::diag::Diagnostic;
use crate::ir;
use crate::naming::Convention;
use crate::source::{FileId, SourceMap};

/// Parses and resolves one migration file. Reports every error it can find.
pub fn parse_revision(
    sources: &SourceMap,
    file: FileId,
    naming: &Convention,
) -> Result<ir::Revision, Vec<Diagnostic>> {
    let _ = (sources, file, naming);
    Err(vec![Diagnostic::error(
        "unimplemented",
        "the parser is not written yet",
    )])
}

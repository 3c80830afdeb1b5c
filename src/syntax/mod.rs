//! Front end: lexer, parser and resolution of one `.mig` file into an [`ir::Revision`].
//!
//! `lexer` cuts the text into tokens on demand, `parser` builds an [`ast::File`]
//! (reporting every syntax error), `resolve` checks it and builds the IR, with
//! `sql` checking SQL fragments and the naming convention naming constraints.

pub mod ast;
pub mod chars;
pub mod lexer;
pub mod only;
pub mod parser;
pub mod resolve;
pub mod sql;
pub mod token;

use crate::diag::{Diagnostics, Reported};
use crate::ir;
use crate::naming::Convention;
use crate::source::{FileId, SourceMap};

/// Parses and resolves one migration file. Reports every error it can find
/// into `diags`; a file with a syntax error is not resolved.
pub fn parse_revision(
    sources: &SourceMap,
    file: FileId,
    naming: &Convention,
    diags: &mut Diagnostics,
) -> Result<ir::Revision, Reported> {
    let text = sources.file(file).text.as_str();
    let mark = diags.mark();
    let ast = parser::Parser::new(text, file, diags).file();
    diags.check_since(mark)?;
    resolve::resolve(&ast, file, naming, diags)
}

#[cfg(test)]
mod tests;

//! One migration file, any bytes: decoding, lexer, parser and resolution,
//! then rendering of whatever diagnostics come out.
//!
//! Beyond "no panic, no hang" (libFuzzer's timeout catches a parser that
//! stops making progress), every diagnostic must point into the file.

#![no_main]

use ddlc::diag::{render, Diagnostics, Style};
use ddlc::naming::Convention;
use ddlc::source::{decode, SourceMap};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut sources = SourceMap::new();
    let file = match decode(data.to_vec()) {
        Ok(text) => sources.add("f.mig", text),
        Err(bad) => {
            // What the loader does with such a file: it must render.
            let span = sources.add_not_utf8("f.mig", &bad);
            let d = ddlc::diag::Diagnostic::error(ddlc::diag::Code::InvalidUtf8, "not UTF-8").at(span, "here");
            let _ = render(&[d], &sources, Style::Plain);
            return;
        }
    };
    let len = sources.file(file).text.len() as u32;
    let mut diags = Diagnostics::new();
    if ddlc::syntax::parse_revision(&sources, file, &Convention::default(), &mut diags).is_err() {
        assert!(diags.has_errors(), "an error without a diagnostic");
        let diags = diags.as_slice();
        for d in diags {
            let primary = d
                .primary
                .as_ref()
                .unwrap_or_else(|| panic!("[{}] {} has no location", d.code, d.message));
            assert!(
                primary.span.start <= primary.span.end && primary.span.end <= len,
                "[{}] span {:?} outside the file ({len} bytes)",
                d.code,
                primary.span
            );
        }
        let _ = render(diags, &sources, Style::Plain);
    }
});

//! A small project from the input: files separated by a line `%%`, each
//! parsed; if they all parse and link, every dialect compiles the whole
//! history, upgrade (base:head) and downgrade (head:base). Diagnostics are
//! rendered. Anything may fail with diagnostics; nothing may panic.

#![no_main]

use camino::Utf8PathBuf;
use ddlc::compile::{compile, Request};
use ddlc::config::Config;
use ddlc::diag::{render, Diagnostics, Failure, Style};
use ddlc::dialect::Dialect;
use ddlc::graph::{Direction, Graph};
use ddlc::project::Project;
use ddlc::source::SourceMap;
use libfuzzer_sys::fuzz_target;

/// The file separator of a compile input (what fuzz/seed.sh writes).
const SEPARATOR: &str = "\n%%\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return; // decoding is the parse target's job
    };
    let config = Config::defaults(Utf8PathBuf::from("/fuzz"));
    let mut sources = SourceMap::new();
    for (i, file) in text.split(SEPARATOR).take(16).enumerate() {
        sources.add(format!("migrations/versions/{i:02}.mig"), file);
    }
    let mut revisions = Vec::new();
    let mut diags = Diagnostics::new();
    for index in 0..sources.len() {
        let file = ddlc::source::FileId(index as u32);
        if let Ok(revision) = ddlc::syntax::parse_revision(&sources, file, &config.naming, &mut diags) {
            revisions.push(revision);
        }
    }
    if !diags.is_empty() {
        let _ = render(diags.as_slice(), &sources, Style::Plain);
        return;
    }
    let graph = match Graph::build(revisions, &sources, &mut diags) {
        Ok(graph) => graph,
        Err(_) => {
            let _ = render(diags.as_slice(), &sources, Style::Plain);
            return;
        }
    };
    let project = Project { sources, graph };
    for dialect in Dialect::ALL {
        for (direction, range) in [
            (Direction::Upgrade, "base:head"),
            (Direction::Downgrade, "head:base"),
        ] {
            let request = Request {
                direction,
                range: range.to_string(),
                dialect,
                templates: None,
            };
            let mut found = Diagnostics::new();
            if let Err(Failure::Reported) = compile(&project, &config, &request, &mut found) {
                let _ = render(found.as_slice(), &project.sources, Style::Plain);
            }
        }
    }
});

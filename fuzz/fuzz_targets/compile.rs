//! A small project from the input: files separated by a line `%%`, each
//! parsed; if they all parse and link, every dialect compiles the whole
//! history, upgrade (base:head) and downgrade (head:base). Diagnostics are
//! rendered. Anything may fail with diagnostics; nothing may panic.

#![no_main]

use camino::Utf8PathBuf;
use ddlc::compile::{compile, Failure, Request};
use ddlc::config::Config;
use ddlc::diag::{render, Style};
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
    let mut diags = Vec::new();
    for index in 0..sources.len() {
        let file = ddlc::source::FileId(index as u32);
        match ddlc::syntax::parse_revision(&sources, file, &config.naming) {
            Ok(revision) => revisions.push(revision),
            Err(found) => diags.extend(found),
        }
    }
    if !diags.is_empty() {
        let _ = render(&diags, &sources, Style::Plain);
        return;
    }
    let graph = match Graph::build(revisions, &sources) {
        Ok(graph) => graph,
        Err(found) => {
            let _ = render(&found, &sources, Style::Plain);
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
            if let Err(Failure::Diagnostics(found)) = compile(&project, &config, &request) {
                let _ = render(&found.0, &project.sources, Style::Plain);
            }
        }
    }
});

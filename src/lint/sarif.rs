//! A lint as one SARIF 2.1.0 log (what GitHub code scanning uploads): one
//! run, the rules as the tool's rules, one result per finding kept, located
//! in the `.mig` by line and column (columns counted in characters, as
//! `columnKind` says). Suppressed findings are results too, marked
//! `suppressions: [{kind: "inSource", justification}]`, as SARIF intends.

use super::{all_rules, Finding, Lint, Settings};
use crate::diag::Severity;
use crate::source::SourceMap;
use serde_json::{json, Value};

/// The schema the log names (and the test validates against).
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The log of `lint`, its paths as the sources name them (relative to the project root).
pub fn log(lint: &Lint, settings: &Settings, sources: &SourceMap) -> Value {
    let rules: Vec<Value> = all_rules()
        .iter()
        .map(|r| {
            json!({
                "id": r.id(),
                "shortDescription": { "text": r.summary() },
                "defaultConfiguration": { "level": level(settings.severity(*r)) },
            })
        })
        .collect();
    let mut results: Vec<Value> = lint.findings.iter().map(|f| result(f, sources)).collect();
    for (f, reason) in &lint.suppressed {
        let mut r = result(f, sources);
        r["suppressions"] = json!([{ "kind": "inSource", "justification": reason }]);
        results.push(r);
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "ddlc",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://crates.io/crates/ddlc",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

fn result(f: &Finding, sources: &SourceMap) -> Value {
    let index = all_rules()
        .iter()
        .position(|r| r.id() == f.rule)
        .unwrap_or(0);
    let mut message = f.message.clone();
    if let Some(help) = &f.help {
        message.push_str(&format!(" (help: {help})"));
    }
    let dialects: Vec<&str> = f.dialects.iter().map(|d| d.name()).collect();
    let mut out = json!({
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": level(f.severity),
        "message": { "text": message },
        "properties": { "revision": f.revision_id.0, "dialects": dialects },
    });
    if (f.span.file.0 as usize) < sources.len() {
        let file = sources.file(f.span.file);
        let (line, column) = file.line_col(f.span.start);
        let (end_line, end_column) = file.line_col(f.span.end.max(f.span.start));
        out["locations"] = json!([{
            "physicalLocation": {
                "artifactLocation": { "uri": file.path.as_str() },
                "region": {
                    "startLine": line,
                    "startColumn": column,
                    "endLine": end_line,
                    "endColumn": end_column.max(column),
                },
            },
        }]);
    }
    out
}

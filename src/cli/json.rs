//! The JSON the CLI prints for tools; the shapes are documented in
//! docs/json.md and kept stable: keys may be added, never renamed or removed.

use crate::diag::Code;
use crate::diag::{Diagnostic, Error, Label, Severity};
use crate::graph::Graph;
use crate::source::SourceMap;
use serde_json::{json, Value};

/// `{file, line, column, end_line, end_column}` of a label: 1-based lines and
/// columns counted in characters, the end one past the last character. `None`
/// for a span outside the sources.
fn place(label: &Label, sources: &SourceMap) -> Option<serde_json::Map<String, Value>> {
    if label.span.file.0 as usize >= sources.len() {
        return None;
    }
    let file = sources.file(label.span.file);
    let (line, column) = file.line_col(label.span.start);
    let (end_line, end_column) = file.line_col(label.span.end.max(label.span.start));
    let mut map = serde_json::Map::new();
    map.insert("file".into(), json!(file.path.as_str()));
    map.insert("line".into(), json!(line));
    map.insert("column".into(), json!(column));
    map.insert("end_line".into(), json!(end_line));
    map.insert("end_column".into(), json!(end_column));
    Some(map)
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// One diagnostic: where (the primary label's place, or nulls), what, and
/// every label, help and note line.
pub fn diagnostic(d: &Diagnostic, sources: &SourceMap) -> Value {
    let primary = d.primary.as_ref().and_then(|p| place(p, sources));
    let mut out = serde_json::Map::new();
    out.insert("severity".into(), json!(severity(d.severity)));
    out.insert("code".into(), json!(d.id()));
    out.insert("message".into(), json!(d.message));
    for key in ["file", "line", "column", "end_line", "end_column"] {
        let value = primary
            .as_ref()
            .and_then(|p| p.get(key).cloned())
            .unwrap_or(Value::Null);
        out.insert(key.into(), value);
    }
    let labels: Vec<Value> = d
        .primary
        .iter()
        .map(|l| (l, true))
        .chain(d.secondary.iter().map(|l| (l, false)))
        .filter_map(|(label, is_primary)| {
            let mut map = place(label, sources)?;
            map.insert("message".into(), json!(label.message));
            map.insert("primary".into(), json!(is_primary));
            Some(Value::Object(map))
        })
        .collect();
    out.insert("labels".into(), Value::Array(labels));
    out.insert("help".into(), json!(d.help));
    out.insert("notes".into(), json!(d.notes));
    Value::Object(out)
}

/// An error that is not a diagnostic, in the diagnostic's shape: `code` is
/// `io-error` (with the path as `file`), `template-error` or `error`.
pub fn error(e: &Error) -> Value {
    let (code, file) = match e {
        Error::Io { path, .. } => ("io-error", json!(path.as_str())),
        Error::Template(_) => (Code::TemplateError.id(), Value::Null),
        Error::Message(_) => ("error", Value::Null),
    };
    json!({
        "severity": "error",
        "code": code,
        "message": e.to_string(),
        "file": file,
        "line": null,
        "column": null,
        "end_line": null,
        "end_column": null,
        "labels": [],
        "help": [],
        "notes": [],
    })
}

/// A command-line usage error (clap's), in the diagnostic's shape.
pub fn usage(message: &str) -> Value {
    let mut value = error(&Error::Message(message.to_string()));
    value["code"] = json!("usage");
    value
}

/// One revision: its id, links, header and file.
pub fn revision(graph: &Graph, sources: &SourceMap, n: usize) -> Value {
    let node = graph.node(n);
    let revision = &node.revision;
    let ids = |nodes: &[usize]| -> Vec<&str> {
        nodes
            .iter()
            .map(|&m| graph.revision(m).id.0.as_str())
            .collect()
    };
    json!({
        "id": revision.id.0,
        "parents": ids(&node.parents),
        "depends_on": revision.depends_on.iter().map(|(id, _)| id.0.as_str()).collect::<Vec<_>>(),
        "children": ids(&node.children),
        "dependents": ids(&node.dependents),
        "labels": revision.labels,
        "message": revision.message,
        "doc": revision.doc,
        "path": sources.path(revision.file).as_str(),
        "head": node.children.is_empty(),
        "base": node.parents.is_empty(),
        "branchpoint": node.children.len() > 1,
        "mergepoint": node.parents.len() > 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    #[test]
    fn a_located_diagnostic_has_its_place_and_every_label() {
        let mut map = SourceMap::new();
        let file = map.add("v/a.mig", "upgrade {\n    add_colum t.c\n}\n");
        let d = Diagnostic::error(Code::UnknownOp, "unknown operation `add_colum`")
            .at(Span::new(file, 14, 23), "not an operation")
            .with_secondary(Span::new(file, 0, 7), "in this block")
            .with_help("did you mean `add_column`?");
        let value = diagnostic(&d, &map);
        assert_eq!(
            value.to_string(),
            r#"{"severity":"error","code":"unknown-op","message":"unknown operation `add_colum`","file":"v/a.mig","line":2,"column":5,"end_line":2,"end_column":14,"labels":[{"file":"v/a.mig","line":2,"column":5,"end_line":2,"end_column":14,"message":"not an operation","primary":true},{"file":"v/a.mig","line":1,"column":1,"end_line":1,"end_column":8,"message":"in this block","primary":false}],"help":["did you mean `add_column`?"],"notes":[]}"#
        );
        let unlocated = diagnostic(&Diagnostic::warning(Code::InternalError, "a warning"), &map);
        assert_eq!(unlocated["file"], Value::Null);
        assert_eq!(unlocated["severity"], "warning");
        assert_eq!(unlocated["labels"], json!([]));
    }

    #[test]
    fn errors_take_the_same_shape() {
        let io = error(&Error::Io {
            path: "out.sql".into(),
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        });
        assert_eq!(io["code"], "io-error");
        assert_eq!(io["file"], "out.sql");
        assert_eq!(usage("bad flag")["code"], "usage");
        let keys: Vec<&String> = io.as_object().unwrap().keys().collect();
        let d = diagnostic(
            &Diagnostic::error(Code::InternalError, "y"),
            &SourceMap::new(),
        );
        assert_eq!(keys, d.as_object().unwrap().keys().collect::<Vec<_>>());
    }
}

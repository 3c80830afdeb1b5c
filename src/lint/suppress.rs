//! Suppressions written in the migration, as a comment on the line above an
//! op (or at the end of its line):
//!
//! ```text
//! # lint: allow drop-column "the app stopped reading it in 1.4"
//! drop_column customer.nickname
//! ```
//!
//! A suppression names one or more rules (`allow drop-column, drop-table`)
//! and must give a reason. It silences those rules' findings anchored on the
//! next line that is not blank or a comment. One that silences nothing, for
//! every dialect linted, is reported (`unused-suppression`); one that cannot
//! be read, or names no rule, too (`invalid-suppression`).

use super::settings::Level;
use super::{Finding, Lint, Settings};
use crate::project::Project;
use crate::source::{FileId, SourceFile, Span};

/// The marker that starts a suppression comment, after `#`.
pub const MARKER: &str = "lint:";

/// One suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// The comment.
    pub span: Span,
    /// The rules it names.
    pub rules: Vec<String>,
    /// Why.
    pub reason: String,
    /// The 1-based line it applies to.
    pub line: usize,
}

/// A comment that starts with the marker but is not a suppression: where, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    /// The comment.
    pub span: Span,
    /// What is wrong with it.
    pub why: String,
}

/// The suppression comments of one file, and the ones that do not read.
pub fn scan(file: FileId, source: &SourceFile) -> (Vec<Suppression>, Vec<Invalid>) {
    let mut found = Vec::new();
    let mut invalid = Vec::new();
    // Comment-only suppressions waiting for the line they apply to.
    let mut pending: Vec<Suppression> = Vec::new();
    let mut offset = 0usize;
    for (i, line) in source.text.split_inclusive('\n').enumerate() {
        let number = i + 1;
        let (code, comment) = split_comment(line);
        let has_code = !code.trim().is_empty();
        if has_code {
            for mut s in pending.drain(..) {
                s.line = number;
                found.push(s);
            }
        }
        if let Some(at) = comment {
            let text = line[at + 1..].trim_end();
            let start = offset + at;
            let span = Span::new(file, start, start + 1 + text.len());
            match parse(text.trim_start()) {
                None => {}
                Some(Ok((rules, reason))) => {
                    let s = Suppression {
                        span,
                        rules,
                        reason,
                        line: number,
                    };
                    if has_code {
                        found.push(s);
                    } else {
                        pending.push(s);
                    }
                }
                Some(Err(why)) => invalid.push(Invalid { span, why }),
            }
        }
        offset += line.len();
    }
    for s in pending {
        invalid.push(Invalid {
            span: s.span,
            why: "no op follows it".into(),
        });
    }
    (found, invalid)
}

/// The code of a line and the byte offset of its `#` comment, if any (a `#`
/// inside a quoted string is not one).
fn split_comment(line: &str) -> (&str, Option<usize>) {
    let mut quote: Option<char> = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '#') => return (&line[..i], Some(i)),
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
    }
    (line, None)
}

/// `lint: allow a, b "reason"` → (rules, reason); None when the comment is
/// not a suppression at all.
fn parse(text: &str) -> Option<Result<(Vec<String>, String), String>> {
    let rest = text.strip_prefix(MARKER)?.trim_start();
    let Some(rest) = rest.strip_prefix("allow") else {
        return Some(Err("expected `allow` after `lint:`".into()));
    };
    let Some((names, reason)) = rest.split_once('"') else {
        return Some(Err("a suppression needs a reason in double quotes".into()));
    };
    let Some(reason) = reason.strip_suffix('"') else {
        return Some(Err("the reason's closing `\"` is missing".into()));
    };
    let rules: Vec<String> = names
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(String::from)
        .collect();
    if rules.is_empty() {
        return Some(Err("a suppression names the rules it allows".into()));
    }
    if let Some(bad) = rules.iter().find(|r| super::rule(r).is_none()) {
        return Some(Err(format!("no rule `{bad}`; see docs/lint.md")));
    }
    if reason.trim().is_empty() {
        return Some(Err("the reason is empty".into()));
    }
    Some(Ok((rules, reason.trim().to_string())))
}

/// Splits `findings` into kept and suppressed by the suppressions in `files`,
/// and adds a finding for each suppression that is unused or unreadable.
pub fn apply(
    project: &Project,
    settings: &Settings,
    files: &[FileId],
    findings: Vec<Finding>,
) -> Lint {
    let mut lint = Lint::default();
    let mut all: Vec<(Suppression, Vec<&'static str>)> = Vec::new();
    let mut invalid: Vec<Invalid> = Vec::new();
    for &file in files {
        let (found, bad) = scan(file, project.sources.file(file));
        all.extend(found.into_iter().map(|s| (s, Vec::new())));
        invalid.extend(bad);
    }
    for f in findings {
        let line = project.sources.file(f.anchor.file).line(f.anchor.start);
        let by = all.iter_mut().find(|(s, _)| {
            s.span.file == f.anchor.file && s.line == line && s.rules.iter().any(|r| r == f.rule)
        });
        match by {
            Some((s, used)) => {
                used.push(f.rule);
                let reason = s.reason.clone();
                lint.suppressed.push((f, reason));
            }
            None => lint.findings.push(f),
        }
    }
    let mut meta = Vec::new();
    for (s, used) in &all {
        for rule in s.rules.iter().filter(|r| !used.contains(&r.as_str())) {
            let off = super::rule(rule).is_some_and(|r| settings.level(r) == Level::Off);
            if !off {
                meta.push(Meta {
                    rule: "unused-suppression",
                    span: s.span,
                    message: format!("the suppression of `{rule}` silences nothing"),
                    label: "nothing here is reported by this rule",
                    help: "remove it, or name the rule that fires on the next op".into(),
                });
            }
        }
    }
    meta.extend(invalid.into_iter().map(|i| Meta {
        rule: "invalid-suppression",
        span: i.span,
        message: format!("this `# {MARKER}` comment is not a suppression: {}", i.why),
        label: "not read as a suppression",
        help: format!("write `# {MARKER} allow <rule>[, <rule>] \"why\"` on the line above the op"),
    }));
    lint.findings.extend(
        meta.into_iter()
            .filter_map(|m| m.finding(project, settings)),
    );
    lint
}

/// A finding about a suppression comment itself.
struct Meta {
    rule: &'static str,
    span: Span,
    message: String,
    label: &'static str,
    help: String,
}

impl Meta {
    /// As a finding of its rule, in the revision of its file; None when the rule is off.
    fn finding(self, project: &Project, settings: &Settings) -> Option<Finding> {
        let rule = super::rule(self.rule)?;
        if settings.level(rule) == Level::Off {
            return None;
        }
        let graph = &project.graph;
        let node = (0..graph.len()).find(|&n| graph.revision(n).file == self.span.file)?;
        Some(Finding {
            rule: rule.id(),
            severity: settings.severity(rule),
            message: self.message,
            span: self.span,
            label: self.label.into(),
            anchor: self.span,
            revision: node,
            revision_id: graph.revision(node).id.clone(),
            help: Some(self.help),
            dialects: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceMap;

    /// (rules, reason, line) of each suppression.
    type Found = Vec<(Vec<String>, String, usize)>;

    fn scanned(text: &str) -> (Found, Vec<String>) {
        let mut map = SourceMap::new();
        let file = map.add("v/a.mig", text);
        let (found, invalid) = scan(file, map.file(file));
        (
            found
                .into_iter()
                .map(|s| (s.rules, s.reason, s.line))
                .collect(),
            invalid.into_iter().map(|i| i.why).collect(),
        )
    }

    #[test]
    fn a_comment_above_an_op_or_after_it_suppresses_that_line() {
        let (found, invalid) = scanned(
            "upgrade {\n    # lint: allow drop-column, drop-table \"unused since 1.4\"\n\n    # another comment\n    drop_column t.c\n    drop_table u  # lint: allow drop-table \"empty\"\n}\n",
        );
        assert_eq!(
            found,
            [
                (
                    vec!["drop-column".into(), "drop-table".into()],
                    "unused since 1.4".into(),
                    5
                ),
                (vec!["drop-table".into()], "empty".into(), 6),
            ]
        );
        assert!(invalid.is_empty(), "{invalid:?}");
    }

    #[test]
    fn malformed_suppressions_say_why() {
        let (found, invalid) = scanned(
            "# lint: allow drop-column\nx\n# lint: allow drop-colum \"r\"\nx\n# lint: allow drop-column \"  \"\nx\n# lint: deny x\nx\n# lint: allow drop-table \"r\"\n",
        );
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(
            invalid,
            [
                "a suppression needs a reason in double quotes",
                "no rule `drop-colum`; see docs/lint.md",
                "the reason is empty",
                "expected `allow` after `lint:`",
                "no op follows it",
            ]
        );
    }

    #[test]
    fn a_hash_inside_a_string_is_not_a_comment() {
        let (found, _) = scanned("execute \"SELECT '#lint: allow drop-table \"\"x\"\"'\"\n");
        assert!(found.is_empty());
    }
}

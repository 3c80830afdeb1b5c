//! The lint findings on the review page: what `ddlc lint` finds for the
//! report's range and dialects ([`crate::lint::lint`], suppressions applied),
//! as plain data per revision, and its HTML: a section of its own (every
//! finding, by revision) and a list in each revision's section.

use super::text::{escape, inline};
use crate::config::Config;
use crate::diag::{Diagnostics, Failure, Severity};
use crate::dialect::Dialect;
use crate::lint::{self, Finding};
use crate::project::Project;
use std::fmt::Write;

/// One finding as the page shows it.
#[derive(Clone, Debug)]
pub struct Shown {
    /// The revision's graph index.
    pub node: usize,
    /// `error` or `warning`.
    pub severity: Severity,
    /// The rule's id.
    pub rule: &'static str,
    /// What it found.
    pub message: String,
    /// The line in the revision file.
    pub line: usize,
    /// How to do it safely.
    pub help: Option<String>,
    /// The dialects it was found for.
    pub dialects: Vec<Dialect>,
    /// Why it was suppressed in the migration, when it was.
    pub suppressed: Option<String>,
}

/// The findings of `range` for `dialects`, kept ones first, each group in the
/// order the linter found them.
pub fn collect(
    project: &Project,
    config: &Config,
    dialects: &[Dialect],
    range: &str,
    diags: &mut Diagnostics,
) -> Result<Vec<Shown>, Failure> {
    let found = lint::lint(project, config, dialects, range, diags)?;
    let shown = |f: &Finding, suppressed: Option<String>| Shown {
        node: f.revision,
        severity: f.severity,
        rule: f.rule,
        message: f.message.clone(),
        line: project.sources.file(f.span.file).line_col(f.span.start).0,
        help: f.help.clone(),
        dialects: f.dialects.clone(),
        suppressed,
    };
    let mut out: Vec<Shown> = found.findings.iter().map(|f| shown(f, None)).collect();
    out.extend(
        found
            .suppressed
            .iter()
            .map(|(f, reason)| shown(f, Some(reason.clone()))),
    );
    Ok(out)
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// One finding as a list item (`with_revision`: linked to its revision).
fn item(f: &Shown, revision: Option<(&str, &str)>) -> String {
    let word = severity_word(f.severity);
    let (class, word) = match &f.suppressed {
        Some(_) => ("suppressed", "suppressed"),
        None => (word, word),
    };
    let mut out = format!("<li class=\"finding {class}\"><span class=\"sev\">{word}</span> ");
    if let Some((anchor, id)) = revision {
        let _ = write!(
            out,
            "<a href=\"#{anchor}\"><code>{}</code></a> ",
            escape(id)
        );
    }
    let dialects: Vec<&str> = f.dialects.iter().map(|d| d.name()).collect();
    let _ = write!(
        out,
        "<code>{}</code>: {} <span class=\"where\">(line {}; {})</span>",
        f.rule,
        inline(&f.message),
        f.line,
        escape(&dialects.join(", "))
    );
    if let Some(help) = &f.help {
        let _ = write!(
            out,
            "<br><span class=\"help\">Safer: {}</span>",
            inline(help)
        );
    }
    if let Some(reason) = &f.suppressed {
        let _ = write!(
            out,
            "<br><span class=\"help\">Suppressed in the migration: {}</span>",
            inline(reason)
        );
    }
    out.push_str("</li>\n");
    out
}

/// The page's findings section: counts, then every finding by revision.
pub fn section(findings: &[Shown], revisions: &[(usize, String, String)]) -> String {
    let count = |s: Severity| {
        findings
            .iter()
            .filter(|f| f.suppressed.is_none() && f.severity == s)
            .count()
    };
    let suppressed = findings.iter().filter(|f| f.suppressed.is_some()).count();
    let mut out = format!(
        "<section id=\"findings\">\n<h2>Lint findings</h2>\n<p>What <code>ddlc lint</code> finds \
         for this range and these dialects: {} error(s), {} warning(s), {suppressed} suppressed \
         in the migrations.</p>\n",
        count(Severity::Error),
        count(Severity::Warning)
    );
    if findings.is_empty() {
        out.push_str("<p>No findings.</p>\n</section>\n");
        return out;
    }
    out.push_str("<ul class=\"findings\">\n");
    for (node, anchor, id) in revisions {
        for f in findings.iter().filter(|f| f.node == *node) {
            out.push_str(&item(f, Some((anchor, id))));
        }
    }
    out.push_str("</ul>\n</section>\n");
    out
}

/// The findings of revision `node`, for its section (nothing when it has none).
pub fn of_revision(findings: &[Shown], node: usize) -> String {
    let mine: Vec<&Shown> = findings.iter().filter(|f| f.node == node).collect();
    if mine.is_empty() {
        return String::new();
    }
    let mut out = String::from("<h3>Lint findings</h3>\n<ul class=\"findings\">\n");
    for f in mine {
        out.push_str(&item(f, None));
    }
    out.push_str("</ul>\n");
    out
}

/// How many unsuppressed findings of revision `node` are errors, and how many in all.
pub fn weight(findings: &[Shown], node: usize) -> (usize, usize) {
    let kept = findings
        .iter()
        .filter(|f| f.node == node && f.suppressed.is_none());
    kept.fold((0, 0), |(errors, all), f| {
        (errors + usize::from(f.severity == Severity::Error), all + 1)
    })
}

//! The page of `ddlc report`: a [`Report`] in, one HTML document out, with
//! its CSS inline and no script, no external URL, no timestamp, so it reads
//! offline, prints to PDF, and two runs give the same bytes. Every text from
//! the project passes [`escape`] on its way in.

use super::text::{escape, inline};
use super::{findings, highlight, manifest_sha256, svg, DialectRelease, Report, RevisionReport};
use crate::diag::Severity;
use crate::release::ScriptEntry;
use std::fmt::Write;

/// The page's style sheet: readable at phone width (prose wraps, SQL blocks
/// scroll inside themselves), light and dark, and plain when printed.
const CSS: &str = include_str!("report.css");

/// The whole page.
pub fn page(report: &Report) -> String {
    let mut out = String::new();
    let title = format!("Migration review: upgrade {}", report.range);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"ddlc {}\">\n<title>{}</title>\n<style>\n{CSS}</style>\n\
         </head>\n<body>\n<header>\n<h1>{}</h1>\n",
        env!("CARGO_PKG_VERSION"),
        escape(&title),
        escape(&title)
    );
    let _ = writeln!(
        out,
        "<p class=\"meta\">Written by ddlc {} for {}. Project ddlc.sum: <code class=\"hash\">{}</code></p>\n</header>",
        env!("CARGO_PKG_VERSION"),
        escape(&dialect_names(report)),
        report.project_sum
    );
    out.push_str(&contents(report));
    out.push_str("<main>\n");
    out.push_str(&summary(report));
    out.push_str(&graph(report));
    out.push_str(&artifacts(report));
    let revisions: Vec<(usize, String, String)> = report
        .revisions
        .iter()
        .map(|r| (r.node, anchor(&r.id), r.id.clone()))
        .collect();
    out.push_str(&findings::section(&report.findings, &revisions));
    for revision in &report.revisions {
        out.push_str(&section(report, revision));
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn dialect_names(report: &Report) -> String {
    let names: Vec<&str> = report.dialects.iter().map(|d| d.dialect.name()).collect();
    names.join(", ")
}

/// The anchor of a revision's section.
fn anchor(id: &str) -> String {
    format!("rev-{}", escape(id))
}

/// The table of contents: the page's parts, then every revision.
fn contents(report: &Report) -> String {
    let mut out = String::from(
        "<nav aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n\
         <li><a href=\"#summary\">Summary</a></li>\n<li><a href=\"#graph\">Revision graph</a></li>\n\
         <li><a href=\"#artifacts\">Release artifacts</a></li>\n<li><a href=\"#findings\">Lint findings</a></li>\n",
    );
    for r in &report.revisions {
        let risky = if r.risks.is_empty() && findings::weight(&report.findings, r.node).1 == 0 {
            ""
        } else {
            " <span class=\"badge\">review</span>"
        };
        let _ = writeln!(
            out,
            "<li><a href=\"#{}\"><code>{}</code> {}</a>{risky}</li>",
            anchor(&r.id),
            escape(&r.id),
            escape(&r.message)
        );
    }
    out.push_str("</ol>\n</nav>\n");
    out
}

/// Counts, then the revisions with risks, riskiest first.
fn summary(report: &Report) -> String {
    let ops: usize = report.revisions.iter().map(|r| r.ops.len()).sum();
    let count = |sign: char, kind: &str| {
        report
            .revisions
            .iter()
            .flat_map(|r| &r.changes)
            .filter(|c| c.sign == sign && c.kind == kind)
            .count()
    };
    let lint = |severity: Severity| {
        report
            .findings
            .iter()
            .filter(|f| f.suppressed.is_none() && f.severity == severity)
            .count()
    };
    let mut out =
        String::from("<section id=\"summary\">\n<h2>Summary</h2>\n<dl class=\"counts\">\n");
    for (label, value) in [
        ("Revisions", report.revisions.len()),
        ("Ops", ops),
        ("Tables created", count('+', "table")),
        ("Tables dropped", count('-', "table")),
        ("Columns added", count('+', "column")),
        ("Columns dropped", count('-', "column")),
        ("Columns changed", count('~', "column")),
        ("Lint errors", lint(Severity::Error)),
        ("Lint warnings", lint(Severity::Warning)),
    ] {
        let _ = writeln!(out, "<div><dt>{label}</dt><dd>{value}</dd></div>");
    }
    out.push_str("</dl>\n");
    let mut risky: Vec<&RevisionReport> = report
        .revisions
        .iter()
        .filter(|r| !r.risks.is_empty())
        .collect();
    // Most risks first; run order among equals (the sort is stable).
    risky.sort_by_key(|r| std::cmp::Reverse(r.risks.len()));
    if risky.is_empty() {
        out.push_str("<p>No revision needs special attention.</p>\n");
    } else {
        out.push_str("<h3>Review first</h3>\n<table class=\"risks\">\n<thead><tr><th scope=\"col\">Revision</th><th scope=\"col\">Why</th></tr></thead>\n<tbody>\n");
        for r in risky {
            let mut why: Vec<String> = r.risks.iter().map(|w| inline(w)).collect();
            match findings::weight(&report.findings, r.node) {
                (_, 0) => {}
                (0, n) => why.push(format!("{n} lint warning(s)")),
                (e, n) => why.push(format!("{n} lint finding(s), {e} error(s)")),
            }
            let _ = writeln!(
                out,
                "<tr><td><a href=\"#{}\"><code>{}</code></a> {}</td><td><ul><li>{}</li></ul></td></tr>",
                anchor(&r.id),
                escape(&r.id),
                escape(&r.message),
                why.join("</li><li>")
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n");
    out
}

fn graph(report: &Report) -> String {
    let rows = |ids: &[String]| -> Vec<usize> {
        ids.iter()
            .filter_map(|id| report.revisions.iter().position(|q| &q.id == id))
            .collect()
    };
    let nodes: Vec<svg::GraphNode> = report
        .revisions
        .iter()
        .map(|r| svg::GraphNode {
            id: r.id.clone(),
            message: r.message.clone(),
            parents: rows(&r.parents),
            depends: rows(&r.depends),
        })
        .collect();
    format!(
        "<section id=\"graph\">\n<h2>Revision graph</h2>\n<p>In the order the upgrade runs them, \
         first at the top; a diamond is a merge, a dashed line a <code>depends_on</code>. Each revision links to its section.</p>\n\
         <div class=\"scroll\">{}</div>\n</section>\n",
        svg::render(&nodes)
    )
}

/// Per dialect and direction: the range, the manifest's hash, the scripts' hashes.
fn artifacts(report: &Report) -> String {
    let mut out = String::from(
        "<section id=\"artifacts\">\n<h2>Release artifacts</h2>\n<p>The scripts below are \
         the files these commands write; each manifest lists them with their SHA-256, which \
         <code>sha256sum</code> recomputes.</p>\n",
    );
    for d in &report.dialects {
        let name = d.dialect.name();
        let _ = writeln!(out, "<h3 id=\"artifacts-{name}\">{name}</h3>");
        if !d.dialect.rules().transactional_ddl() {
            let _ = writeln!(out, "<p class=\"note\">{name} commits every DDL statement on its own: a script that fails half-way leaves the statements before the failure applied.</p>");
        }
        let _ = writeln!(
            out,
            "<p><code>ddlc upgrade {} -d {name} --split DIR</code>: manifest.json <code class=\"hash\">{}</code></p>",
            escape(&report.range),
            manifest_sha256(&d.upgrade)
        );
        match &d.downgrade {
            Ok(r) => {
                let _ = writeln!(
                    out,
                    "<p><code>ddlc downgrade {} -d {name} --split DIR</code>: manifest.json <code class=\"hash\">{}</code></p>",
                    escape(&report.down_range),
                    manifest_sha256(r)
                );
            }
            Err(why) => {
                let _ = writeln!(
                    out,
                    "<p class=\"note\">downgrade <code>{}</code> does not compile: {}</p>",
                    escape(&report.down_range),
                    escape(&why.join("; "))
                );
            }
        }
    }
    out.push_str("</section>\n");
    out
}

/// One revision's section.
fn section(report: &Report, r: &RevisionReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<section class=\"revision\" id=\"{}\" aria-labelledby=\"{}-h\">\n<h2 id=\"{}-h\"><code>{}</code> {}</h2>",
        anchor(&r.id),
        anchor(&r.id),
        anchor(&r.id),
        escape(&r.id),
        escape(&r.message)
    );
    out.push_str(&header(report, r));
    if !r.risks.is_empty() {
        out.push_str("<div class=\"risk\"><h3>Review</h3>\n<ul>\n");
        for risk in &r.risks {
            let _ = writeln!(out, "<li>{}</li>", inline(risk));
        }
        out.push_str("</ul></div>\n");
    }
    out.push_str(&findings::of_revision(&report.findings, r.node));
    out.push_str(&ops(r));
    out.push_str(&changes(r));
    for d in &report.dialects {
        out.push_str(&sql(d, r));
    }
    out.push_str("</section>\n");
    out
}

/// Doc, links, source and its hash.
fn header(report: &Report, r: &RevisionReport) -> String {
    let on_page = |id: &String| report.revisions.iter().any(|q| &q.id == id);
    let mut out = String::new();
    if let Some(doc) = &r.doc {
        let _ = writeln!(out, "<div class=\"doc\">{}</div>", paragraphs(doc));
    }
    let links = |ids: &[String]| -> String {
        if ids.is_empty() {
            return "base".into();
        }
        let links: Vec<String> = ids
            .iter()
            .map(|id| match on_page(id) {
                true => format!(
                    "<a href=\"#{}\"><code>{}</code></a>",
                    anchor(id),
                    escape(id)
                ),
                // Outside the range: no section to link to.
                false => format!("<code>{}</code>", escape(id)),
            })
            .collect();
        links.join(", ")
    };
    out.push_str("<dl class=\"facts\">\n");
    let _ = writeln!(out, "<dt>Parents</dt><dd>{}</dd>", links(&r.parents));
    if !r.children.is_empty() {
        let _ = writeln!(out, "<dt>Children</dt><dd>{}</dd>", links(&r.children));
    }
    if !r.labels.is_empty() {
        let _ = writeln!(
            out,
            "<dt>Branch labels</dt><dd>{}</dd>",
            escape(&r.labels.join(", "))
        );
    }
    let _ = writeln!(
        out,
        "<dt>Source</dt><dd><code>{}</code></dd>",
        escape(&r.source)
    );
    let _ = writeln!(
        out,
        "<dt>Source SHA-256</dt><dd><code class=\"hash\">{}</code></dd>",
        r.source_sha256
    );
    let _ = writeln!(out, "<dt>Downgrade</dt><dd>{}</dd>", escape(&r.downgrade));
    out.push_str("</dl>\n");
    out
}

/// `doc` text: paragraphs at blank lines, lines kept together.
fn paragraphs(doc: &str) -> String {
    doc.trim()
        .split("\n\n")
        .map(|p| {
            let lines: Vec<&str> = p.lines().map(str::trim).collect();
            format!("<p>{}</p>", escape(&lines.join(" ")))
        })
        .collect()
}

fn ops(r: &RevisionReport) -> String {
    let mut out = String::from("<h3>What it does</h3>\n");
    if r.ops.is_empty() {
        out.push_str("<p>No ops.</p>\n");
        return out;
    }
    out.push_str("<ol class=\"ops\">\n");
    for (line, keyword, words) in &r.ops {
        let _ = writeln!(
            out,
            "<li>{} <span class=\"where\">(<code>{keyword}</code>, line {line})</span></li>",
            escape(words)
        );
    }
    out.push_str("</ol>\n");
    out
}

fn changes(r: &RevisionReport) -> String {
    let mut out = String::from("<h3>Schema before → after</h3>\n");
    if r.changes.is_empty() {
        out.push_str("<p>No change to the tables, columns, constraints or indexes.</p>\n");
        return out;
    }
    out.push_str("<table class=\"diff\">\n<thead><tr><th scope=\"col\">Change</th><th scope=\"col\">Name</th><th scope=\"col\">Before → after</th></tr></thead>\n<tbody>\n");
    for c in &r.changes {
        let (class, word) = match c.sign {
            '+' => ("add", "added"),
            '-' => ("drop", "dropped"),
            _ => ("change", "changed"),
        };
        let _ = writeln!(
            out,
            "<tr class=\"{class}\"><td>{} {word}</td><td><code>{}</code></td><td>{}</td></tr>",
            c.kind,
            escape(&c.name),
            escape(c.detail.as_deref().unwrap_or(""))
        );
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// One dialect's upgrade and downgrade scripts of revision `r`, with their notes.
fn sql(d: &DialectRelease, r: &RevisionReport) -> String {
    let name = d.dialect.name();
    // Open by default, so the page prints whole and reads without a click.
    let mut out = format!("<details class=\"dialect\" open>\n<summary><h3>{name}</h3></summary>\n");
    let notes = [
        ("", d.upgrade_of(r.node)),
        ("downgrade: ", d.downgrade_of(r.node)),
    ];
    for (direction, found) in notes {
        for note in found.iter().flat_map(|(entry, _)| &entry.facts.notes) {
            let _ = writeln!(out, "<p class=\"note\">{direction}{}</p>", inline(note));
        }
    }
    out.push_str(&script(
        "upgrade",
        d.upgrade_of(r.node),
        &format!("{}-{name}-up", anchor(&r.id)),
    ));
    match &d.downgrade {
        Ok(_) => out.push_str(&script(
            "downgrade",
            d.downgrade_of(r.node),
            &format!("{}-{name}-down", anchor(&r.id)),
        )),
        Err(_) => {
            let _ = writeln!(
                out,
                "<p class=\"note\">No downgrade script: the downgrade of the range does not compile (see <a href=\"#artifacts-{name}\">Release artifacts</a>).</p>"
            );
        }
    }
    out.push_str("</details>\n");
    out
}

fn script(direction: &str, found: Option<(&ScriptEntry, &str)>, id: &str) -> String {
    let Some((entry, text)) = found else {
        return format!("<p>No {direction} script for this revision.</p>\n");
    };
    format!(
        "<figure class=\"sql\" id=\"{id}\">\n<figcaption>{direction}: <code>{}</code> \
         <span class=\"hash\">sha256 {}</span></figcaption>\n<pre><code>{}</code></pre>\n</figure>\n",
        escape(&entry.script),
        entry.script_sha256,
        highlight::sql(text)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_paragraphs_split_at_blank_lines() {
        assert_eq!(paragraphs("a\nb\n\n<c>"), "<p>a b</p><p>&lt;c&gt;</p>");
    }
}

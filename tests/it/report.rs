//! `ddlc report`: the review page of the example project is deterministic,
//! offline, has every revision's section, and its SQL blocks are the very
//! scripts `--split` ships; project text is escaped; a downgrade that does
//! not compile is shown, not fatal. The browser check is `.ci/report.sh`.

use crate::cli::{Project, Run};
use crate::support::repo;
use ddlc::sum::sha256_hex;
use std::collections::BTreeMap;

/// `ddlc ARGS` on the repository's example project, run from `cwd`.
fn ddlc(cwd: &Project, args: &[&str]) -> Run {
    let root = repo();
    let mut all = vec!["--project", root.as_str()];
    all.extend(args);
    cwd.run(&all)
}

/// The page's text with the markup of a highlighted block removed and the
/// character references undone: what a browser shows, and copies.
fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('>').expect("a closed tag") + open;
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Every SQL block of the page by its figure id, as text.
fn sql_blocks(page: &str) -> BTreeMap<String, String> {
    let mut blocks = BTreeMap::new();
    for figure in page.split("<figure class=\"sql\" id=\"").skip(1) {
        let id = figure.split('"').next().unwrap().to_string();
        let code = figure
            .split_once("<pre><code>")
            .and_then(|(_, c)| c.split_once("</code></pre>"))
            .map(|(c, _)| c)
            .unwrap_or_else(|| panic!("{id}: no <pre><code> block"));
        blocks.insert(id, text_of(code));
    }
    blocks
}

/// Every `href="#x"` of the page names an `id="x"` of the page.
fn links_resolve(page: &str) {
    for link in page.split("href=\"#").skip(1) {
        let target = link.split('"').next().unwrap();
        assert!(
            page.contains(&format!("id=\"{target}\"")),
            "a link to #{target}, which the page does not have"
        );
    }
}

/// The example's revision ids, from the file names.
fn example_ids() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(repo().join("migrations/versions"))
        .unwrap()
        .map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.split('_').next().unwrap().to_string()
        })
        .collect();
    ids.sort();
    ids
}

#[test]
fn the_example_report_is_deterministic_offline_and_has_every_revision() {
    let cwd = Project::bare();
    let args = ["report", "-d", "postgresql", "-d", "sqlite", "-d", "mysql"];
    let mut pages = Vec::new();
    for name in ["a.html", "b.html"] {
        let mut with_output = args.to_vec();
        with_output.extend(["-o", name]);
        ddlc(&cwd, &with_output).expect(0, "report");
        pages.push(std::fs::read(cwd.root().join(name)).expect("the page"));
    }
    assert_eq!(pages[0], pages[1], "two runs differ");
    let page = String::from_utf8(pages.remove(0)).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    for forbidden in [
        "http:", "https:", "<script", "src=", "url(", "@import", "<link",
    ] {
        assert!(!page.contains(forbidden), "the page holds `{forbidden}`");
    }
    assert!(!page.contains(repo().as_str()), "an absolute path");
    let ids = example_ids();
    assert!(ids.len() >= 10, "the example project has its revisions");
    for id in &ids {
        assert!(
            page.contains(&format!("<section class=\"revision\" id=\"rev-{id}\"")),
            "no section for {id}"
        );
        assert!(
            page.contains(&format!("href=\"#rev-{id}\"")),
            "{id}: not linked"
        );
    }
    links_resolve(&page);
    assert!(page.contains("<svg class=\"graph\""), "the graph");
    assert!(
        page.contains("<section id=\"findings\">")
            && page.contains("<code>foreign-key-without-index</code>"),
        "the example's lint findings"
    );
    assert!(
        page.contains("<rect "),
        "the example's merge is drawn as a merge"
    );
    let blocks = sql_blocks(&page);
    assert_eq!(
        blocks.len(),
        ids.len() * 3 * 2,
        "up and down per revision and dialect"
    );
}

#[test]
fn the_sql_blocks_are_the_split_artifacts_and_their_hashes() {
    let cwd = Project::bare();
    ddlc(
        &cwd,
        &["report", "-d", "sqlite", "-d", "oracle", "-o", "r.html"],
    )
    .expect(0, "report");
    let page = std::fs::read_to_string(cwd.root().join("r.html")).unwrap();
    let blocks = sql_blocks(&page);
    for dialect in ["sqlite", "oracle"] {
        for (direction, range, suffix) in [
            ("upgrade", "heads", "up"),
            ("downgrade", "heads:base", "down"),
        ] {
            let dir = format!("{dialect}-{suffix}");
            ddlc(&cwd, &[direction, range, "-d", dialect, "--split", &dir]).expect(0, "split");
            let manifest = std::fs::read(cwd.root().join(&dir).join("manifest.json")).unwrap();
            assert!(
                page.contains(&sha256_hex(&manifest)),
                "{dir}: the manifest's hash is not on the page"
            );
            let entries: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
            for entry in entries["scripts"].as_array().unwrap() {
                let id = entry["revision"].as_str().unwrap();
                let name = entry["script"].as_str().unwrap();
                let shipped = std::fs::read_to_string(cwd.root().join(&dir).join(name)).unwrap();
                let block = &blocks[&format!("rev-{id}-{dialect}-{suffix}")];
                assert_eq!(block, &shipped, "{dir}/{name}: the page shows other SQL");
                assert!(page.contains(entry["script_sha256"].as_str().unwrap()));
                assert!(page.contains(entry["source_sha256"].as_str().unwrap()));
            }
        }
    }
    // SQLite's rebuilds are flagged for review.
    assert!(
        page.contains("sqlite: 1 table rebuild(s)"),
        "rebuilds are a risk"
    );
}

#[test]
fn project_text_is_escaped() {
    let project = Project::new();
    project.write("ddlc.toml", "[project]\nmigrations = \"migrations\"\n");
    project.mig(
        "a1_x.mig",
        "revision \"a1b2c3d4e5f6\"\nrevises base\nmessage \"</pre><script>alert(1)</script>\"\n\
         doc \"\"\"a <b>doc</b> & 'quotes'\"\"\"\n\n\
         upgrade {\n    create_table t {\n        id : integer primary_key\n        \
         note : string(20) default '</pre><script>x</script>'\n    }\n}\n\ndowngrade auto\n",
    );
    project.run(&["sum"]).expect(0, "sum");
    project
        .run(&["report", "-d", "postgresql", "-o", "r.html"])
        .expect(0, "report");
    let page = std::fs::read_to_string(project.root().join("r.html")).unwrap();
    assert!(
        !page.contains("<script"),
        "markup from the project reached the page"
    );
    assert!(
        !page.contains("<b>doc"),
        "markup from the doc reached the page"
    );
    assert!(page.contains("&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("a &lt;b&gt;doc&lt;/b&gt; &amp; &#39;quotes&#39;"));
    let blocks = sql_blocks(&page);
    let up = &blocks["rev-a1b2c3d4e5f6-postgresql-up"];
    assert!(up.contains("DEFAULT '</pre><script>x</script>'"), "{up}");
}

#[test]
fn an_irreversible_revision_is_shown_and_a_bad_range_is_usage() {
    let project = Project::new();
    project.write("ddlc.toml", "[project]\nmigrations = \"migrations\"\n");
    project.mig(
        "a1_x.mig",
        "revision \"a1b2c3d4e5f6\"\nrevises base\nmessage \"t\"\n\n\
         upgrade {\n    create_table t {\n        id : integer primary_key\n    }\n}\n\n\
         downgrade irreversible \"the data is gone\"\n",
    );
    project.run(&["sum"]).expect(0, "sum");
    project.run(&["report", "-o", "r.html"]).expect(0, "report");
    let page = std::fs::read_to_string(project.root().join("r.html")).unwrap();
    assert!(page.contains("irreversible: the data is gone"));
    assert!(
        page.contains("does not compile"),
        "the downgrade's failure is shown"
    );
    project
        .run(&[
            "report", "-d", "sqlite", "-d", "mysql", "-d", "sqlite", "-o", "two.html",
        ])
        .expect(0, "a dialect given twice");
    let two = std::fs::read_to_string(project.root().join("two.html")).unwrap();
    assert_eq!(
        two.matches("<details class=\"dialect\"").count(),
        2,
        "once per dialect"
    );
    let bad = project.run(&["report", "nope", "-o", "bad.html"]);
    bad.expect(2, "a range that names nothing");
    assert!(!project.root().join("bad.html").exists(), "nothing written");
}

#[test]
fn statements_outside_the_transaction_are_flagged_first() {
    let project = Project::new();
    project.write("ddlc.toml", "[project]\nmigrations = \"migrations\"\n");
    project.mig(
        "a1_t.mig",
        "revision \"a1b2c3d4e5f6\"\nrevises base\nmessage \"t\"\n\n\
         upgrade {\n    create_table t {\n        id : integer primary_key\n        \
         email : string(50)\n    }\n}\n\ndowngrade auto\n",
    );
    project.mig(
        "b2_ix.mig",
        "revision \"b2c3d4e5f6a1\"\nrevises \"a1b2c3d4e5f6\"\nmessage \"index\"\n\n\
         upgrade {\n    create_index ix_t_email on t (email) concurrently\n}\n\ndowngrade auto\n",
    );
    project.run(&["sum"]).expect(0, "sum");
    project
        .run(&["report", "-d", "postgresql", "-d", "sqlite", "-o", "r.html"])
        .expect(0, "report");
    let page = std::fs::read_to_string(project.root().join("r.html")).unwrap();
    let risk = "postgresql: 1 statement(s) run outside a transaction";
    assert!(page.contains(risk), "the CONCURRENTLY index is not flagged");
    assert!(
        !page.contains("sqlite: 1 statement(s) run outside"),
        "SQLite has no CONCURRENTLY"
    );
    let review = page
        .split("<h3>Review first</h3>")
        .nth(1)
        .expect("a review table");
    assert!(
        review.contains("#rev-b2c3d4e5f6a1"),
        "the revision is in the review table"
    );
    assert!(!review
        .split("</table>")
        .next()
        .unwrap()
        .contains("#rev-a1b2c3d4e5f6"));
}

#[test]
fn a_range_shows_its_revisions_and_links_only_to_them() {
    let cwd = Project::bare();
    ddlc(
        &cwd,
        &[
            "report",
            "7c4e9a1b2d60:heads",
            "-d",
            "postgresql",
            "-o",
            "r.html",
        ],
    )
    .expect(0, "report of a range");
    let page = std::fs::read_to_string(cwd.root().join("r.html")).unwrap();
    let sections = page.matches("<section class=\"revision\"").count();
    assert_eq!(sections, 5, "the five revisions above 7c4e9a1b2d60");
    assert!(
        !page.contains("id=\"rev-7c4e9a1b2d60\""),
        "the start is not in the range"
    );
    links_resolve(&page);
    assert!(page.contains("ddlc downgrade heads:7c4e9a1b2d60 -d postgresql"));
}

#[test]
fn lint_findings_are_listed_and_a_suppressed_one_says_why() {
    let project = Project::new();
    // A lock timeout set, so that the drops are the only findings.
    project.write(
        "ddlc.toml",
        "[project]\nmigrations = \"migrations\"\n\n[scripts]\nlock_timeout = \"5s\"\n",
    );
    project.mig(
        "a1_t.mig",
        "revision \"a1b2c3d4e5f6\"\nrevises base\nmessage \"t\"\n\n\
         upgrade {\n    create_table t {\n        id : integer primary_key\n        \
         a : integer\n        b : integer\n    }\n}\n\ndowngrade auto\n",
    );
    project.mig(
        "b2_drop.mig",
        "revision \"b2c3d4e5f6a1\"\nrevises \"a1b2c3d4e5f6\"\nmessage \"drops\"\n\n\
         upgrade {\n    drop_column t.a\n    # lint: allow drop-column \"b <is> unused since 1.2\"\n    \
         drop_column t.b\n}\n\ndowngrade auto\n",
    );
    project.run(&["sum"]).expect(0, "sum");
    project
        .run(&["report", "-d", "postgresql", "-o", "r.html"])
        .expect(0, "report");
    let page = std::fs::read_to_string(project.root().join("r.html")).unwrap();
    let section = page
        .split("<section id=\"findings\">")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .expect("a findings section");
    assert!(section.contains("1 warning(s), 1 suppressed"), "{section}");
    let kept = section
        .split("<li class=\"finding warning\">")
        .nth(1)
        .expect("the kept finding");
    assert!(kept.contains("<code>drop-column</code>") && kept.contains("<code>t.a</code>"));
    assert!(kept.contains("#rev-b2c3d4e5f6a1"), "linked to its revision");
    let suppressed = section
        .split("<li class=\"finding suppressed\">")
        .nth(1)
        .expect("the suppressed finding");
    assert!(suppressed.contains("Suppressed in the migration: b &lt;is&gt; unused since 1.2"));
    let revision = page
        .split("<section class=\"revision\" id=\"rev-b2c3d4e5f6a1\"")
        .nth(1)
        .unwrap();
    assert!(
        revision.contains("<h3>Lint findings</h3>"),
        "the revision lists its findings"
    );
    let quiet = page
        .split("<section class=\"revision\" id=\"rev-a1b2c3d4e5f6\"")
        .nth(1)
        .unwrap();
    assert!(!quiet
        .split("</section>")
        .next()
        .unwrap()
        .contains("Lint findings"));
}

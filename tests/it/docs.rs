//! docs/dsl.md shows, for every op fixture, the upgrade block and the SQL each
//! dialect gets (or the located error it gives). That part is generated here
//! and compared with the file, so the language reference cannot drift from
//! the compiler: `DDLC_BLESS=1 cargo test --test it docs` rewrites it.

use crate::support::{folders, repo, script};
use camino::Utf8Path;
use ddlc::dialect::Dialect;
use ddlc::graph::Direction;

const BEGIN: &str = "<!-- BEGIN GENERATED: ops -->";
const END: &str = "<!-- END GENERATED: ops -->";

/// The `upgrade { ... }` block of a revision, from its opening line to the
/// first line that is a lone `}` (how every op fixture is laid out).
fn upgrade_block(mig: &str) -> Option<String> {
    let lines: Vec<&str> = mig.lines().collect();
    let start = lines.iter().position(|l| l.starts_with("upgrade {"))?;
    let len = lines.iter().skip(start).position(|l| l.trim_end() == "}")?;
    Some(lines[start..=start + len].join("\n"))
}

/// The `message "..."` header of a revision.
fn message(mig: &str) -> Option<&str> {
    let line = mig.lines().find(|l| l.starts_with("message"))?;
    let text = line["message".len()..].trim();
    text.strip_prefix('"')?.strip_suffix('"')
}

/// The statements of the one revision in an `upgrade 0001:0002` script: what
/// follows the revision's introduction (`-- Running upgrade`, then its comment
/// lines) up to the version-row update. The script header, the transaction
/// around the script and the version table are left out; statements the op
/// itself needs (a `COMMIT;`/`BEGIN;` around `CONCURRENTLY`) stay.
fn op_statements(sql: &str) -> Option<String> {
    let lines: Vec<&str> = sql.lines().collect();
    let intro = lines
        .iter()
        .position(|l| l.starts_with("-- Running upgrade "))?;
    let body = intro
        + 1
        + lines
            .iter()
            .skip(intro + 1)
            .position(|l| !l.starts_with("-- "))?;
    let end = body
        + lines
            .iter()
            .skip(body)
            .position(|l| l.starts_with("UPDATE alembic_version "))?;
    Some(lines[body..end].join("\n").trim().to_string())
}

/// One `<details>` block: the dialect's SQL, or its rendered diagnostics.
fn dialect_block(case: &Utf8Path, dialect: Dialect) -> String {
    match script(case, Direction::Upgrade, "0001:0002", dialect) {
        Ok(sql) => {
            let body = op_statements(&sql).unwrap_or_else(|| {
                panic!("{case} on {dialect}: no revision 0001 -> 0002 in\n{sql}")
            });
            if body.is_empty() {
                format!(
                    "<details><summary>{dialect}: no statements</summary>\n\n\
                     The op has no effect on {dialect}; only the version row changes.\n\n</details>\n"
                )
            } else {
                format!(
                    "<details><summary>{dialect}</summary>\n\n```sql\n{body}\n```\n\n</details>\n"
                )
            }
        }
        Err(diagnostics) => format!(
            "<details><summary>{dialect}: rejected</summary>\n\n```text\n{}\n```\n\n</details>\n",
            diagnostics.trim_end()
        ),
    }
}

/// The generated region: one section per folder of tests/fixtures/ops.
fn generate() -> String {
    let mut out = String::from(
        "\n\nGenerated from `tests/fixtures/ops/<case>/`: each case has a base revision\n\
         `0001` and a revision `0002` using the op. Shown: the upgrade block of `0002`\n\
         and, per dialect, the statements of `ddlc upgrade 0001:0002` without the\n\
         script header, the transaction around the script and the version table (or\n\
         the error the dialect gives). Refresh with\n\
         `DDLC_BLESS=1 cargo test --test it docs`.\n",
    );
    for case in folders(&repo().join("tests/fixtures/ops")) {
        let name = case.file_name().expect("folder name");
        let mig_path = std::fs::read_dir(case.join("versions"))
            .expect("versions folder")
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .is_some_and(|f| f.to_string_lossy().starts_with("0002_"))
            })
            .unwrap_or_else(|| panic!("{case}: no versions/0002_*.mig"));
        let mig = std::fs::read_to_string(&mig_path).expect("read the revision");
        let block = upgrade_block(&mig).unwrap_or_else(|| panic!("{case}: no upgrade block"));
        out.push_str(&format!("\n### ops/{name}\n\n"));
        if let Some(message) = message(&mig) {
            out.push_str(&format!("Revision message: _{message}_\n\n"));
        }
        out.push_str(&format!("```\n{block}\n```\n\n"));
        for dialect in Dialect::ALL {
            out.push_str(&dialect_block(&case, dialect));
            out.push('\n');
        }
    }
    out
}

#[test]
fn dsl_md_shows_the_sql_of_every_op() {
    let path = repo().join("docs/dsl.md");
    let doc = std::fs::read_to_string(&path).expect("read docs/dsl.md");
    let start = doc
        .find(BEGIN)
        .expect("docs/dsl.md has the BEGIN GENERATED: ops marker")
        + BEGIN.len();
    let end = doc
        .find(END)
        .expect("docs/dsl.md has the END GENERATED: ops marker");
    assert!(
        start <= end,
        "the ops markers are out of order in docs/dsl.md"
    );
    let generated = generate();
    if doc[start..end] == generated {
        return;
    }
    if std::env::var_os("DDLC_BLESS").is_some() {
        let updated = format!("{}{generated}{}", &doc[..start], &doc[end..]);
        std::fs::write(&path, updated).expect("write docs/dsl.md");
        return;
    }
    let first_diff = doc[start..end]
        .lines()
        .zip(generated.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| {
            doc[start..end]
                .lines()
                .count()
                .min(generated.lines().count())
        });
    panic!(
        "docs/dsl.md's generated ops section is out of date (first difference at line {} of the \
         region: {:?}).\nRefresh it with: DDLC_BLESS=1 cargo test --test it docs",
        first_diff + 1,
        generated
            .lines()
            .nth(first_diff)
            .unwrap_or("<end of generated text>")
    );
}

#[test]
fn op_statements_cut_the_script_to_the_revision() {
    let sql = "-- Generated by ddlc\n\nBEGIN;\n\n-- Running upgrade 0001 -> 0002\n\
               -- versions/0002_x.mig: msg\n\nCOMMIT;\n\nCREATE INDEX CONCURRENTLY i ON t (c);\n\n\
               BEGIN;\n\nUPDATE alembic_version SET version_num = '0002' WHERE version_num = '0001';\n\nCOMMIT;\n";
    assert_eq!(
        op_statements(sql).as_deref(),
        Some("COMMIT;\n\nCREATE INDEX CONCURRENTLY i ON t (c);\n\nBEGIN;")
    );
    assert_eq!(op_statements("no revision here"), None);
}

#[test]
fn upgrade_block_and_message_are_read_from_the_revision() {
    let mig = "revision \"0002\"\nmessage  \"add it\"\n\nupgrade {\n    drop_table t\n}\n\ndowngrade auto\n";
    assert_eq!(
        upgrade_block(mig).as_deref(),
        Some("upgrade {\n    drop_table t\n}")
    );
    assert_eq!(message(mig), Some("add it"));
    assert_eq!(upgrade_block("downgrade auto"), None);
}

/// docs/errors.md: the error index, generated from the registry of codes
/// (`ddlc::diag::Code`), with the fixtures that show each code.
fn errors_md() -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = String::from(
        "# Error index\n\n\
         Every diagnostic ddlc prints has a code, `error[code]` or `warning[code]`,\n\
         also the `code` of `--format json`. This page is generated from the\n\
         registry in `src/diag/code.rs` by `tests/it/docs.rs`\n\
         (`DDLC_BLESS=1 cargo test --test it docs` rewrites it). Where a fixture\n\
         shows the code, it is linked; its snapshot under `snapshots/` shows the\n\
         message.\n\n\
         | code | meaning | example |\n|---|---|---|\n",
    );
    for code in ddlc::diag::Code::ALL {
        let id = code.id();
        let mut examples = Vec::new();
        let file = format!("tests/fixtures/err/{id}.mig");
        if root.join(&file).exists() {
            examples.push(format!("[{id}.mig](../{file})"));
        }
        for case in project_err_cases() {
            if case.1 == id {
                examples.push(format!(
                    "[project-err/{}](../tests/fixtures/project-err/{})",
                    case.0, case.0
                ));
            }
        }
        out.push_str(&format!(
            "| `{id}` | {} | {} |\n",
            code.meaning().replace('|', "\\|"),
            examples.join(", ")
        ));
    }
    out
}

#[test]
fn errors_md_lists_every_code_of_the_registry() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/errors.md");
    let want = errors_md();
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    if have == want {
        return;
    }
    if std::env::var_os("DDLC_BLESS").is_some() {
        std::fs::write(&path, want).expect("write docs/errors.md");
        return;
    }
    panic!(
        "docs/errors.md is out of date with src/diag/code.rs.\n\
         Refresh it with: DDLC_BLESS=1 cargo test --test it docs"
    );
}

/// The project-level error fixtures, sorted: (folder, the code its `request`
/// expects, else the folder's name).
fn project_err_cases() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/project-err");
    let mut cases: Vec<(String, String)> = std::fs::read_dir(&root)
        .expect("tests/fixtures/project-err")
        .map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            let request = std::fs::read_to_string(root.join(&name).join("request"))
                .unwrap_or_else(|e| panic!("project-err/{name}/request: {e}"));
            // Without an `expect` line the folder is named after its code.
            let code = request
                .lines()
                .find_map(|l| l.strip_prefix("expect "))
                .unwrap_or(&name)
                .trim()
                .to_string();
            (name, code)
        })
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_error_fixture_shows_a_registered_code() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(root.join("tests/fixtures/err")).expect("fixture folder") {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let id = name.trim_end_matches(".mig");
        assert!(
            ddlc::diag::Code::from_id(id).is_some(),
            "tests/fixtures/err/{name} is named after no registered code"
        );
    }
    for (name, code) in project_err_cases() {
        assert!(
            ddlc::diag::Code::from_id(&code).is_some(),
            "project-err/{name} expects `{code}`, which is no registered code"
        );
    }
}

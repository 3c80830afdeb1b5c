//! Errors that need the whole project: the schema model (unknown or duplicate
//! names across revisions), the revision graph (cycles, unknown parents,
//! several heads) and derived downgrades (irreversible ops and revisions).
//! Each folder of tests/fixtures/project-err is a project plus a `request`
//! file (`upgrade|downgrade RANGE DIALECT`, then optionally `expect CODE`);
//! the rendered diagnostics are snapshotted, and each must carry the expected
//! code (by default the folder's name).

use crate::support::{folders, repo, script};
use ddlc::dialect::Dialect;
use ddlc::graph::Direction;

#[test]
fn every_project_error_is_located_and_coded() {
    let cases = folders(&repo().join("tests/fixtures/project-err"));
    assert!(cases.len() >= 10, "expected the project error fixtures");
    for case in cases {
        let name = case.file_name().expect("folder name").to_string();
        let request = std::fs::read_to_string(case.join("request")).expect("request file");
        let mut lines = request.lines();
        let words: Vec<&str> = lines
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .collect();
        let expect = lines
            .find_map(|l| l.strip_prefix("expect "))
            .map(str::trim)
            .unwrap_or(&name)
            .to_string();
        let [direction, range, dialect] = words[..] else {
            panic!("{name}: request must be `upgrade|downgrade RANGE DIALECT`");
        };
        let direction = match direction {
            "upgrade" => Direction::Upgrade,
            _ => Direction::Downgrade,
        };
        let dialect: Dialect = dialect.parse().expect("dialect");
        let rendered = match script(&case, direction, range, dialect) {
            Ok(sql) => panic!("{name}: compiled, but an error was expected:\n{sql}"),
            Err(rendered) => rendered,
        };
        assert!(
            rendered.contains(&format!("error[{expect}]")),
            "{name}: no `error[{expect}]` in:\n{rendered}"
        );
        insta::with_settings!({
            snapshot_path => "../../snapshots/project-errors",
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("{name}: {}", request.trim().replace('\n', "; ")),
        }, {
            insta::assert_snapshot!(name, rendered);
        });
    }
}

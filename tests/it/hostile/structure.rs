//! Files of odd shape: empty, only `}`, stray braces, nothing but errors.

use super::{revision, Project};

#[test]
fn an_empty_file_is_a_located_error() {
    for text in ["", "\n\n", "# only a comment\n"] {
        let project = Project::new();
        project.mig("a.mig", text);
        project
            .run(&["upgrade", "-d", "sqlite"])
            .error_at("empty-file", "a.mig:1:1");
    }
}

/// Issue 7, defect 3: a file holding only `}` made the parser loop and
/// allocate without bound (2.8 GB in 5 s).
#[test]
fn a_stray_brace_ends_with_a_located_error() {
    let header = "revision \"a\"\nrevises base\nmessage \"m\"\n";
    let cases = [
        ("}".to_string(), "a.mig:1:1"),
        ("revises }".to_string(), "a.mig:1:9"),
        ("message }".to_string(), "a.mig:1:9"),
        ("doc }".to_string(), "a.mig:1:5"),
        ("labels }".to_string(), "a.mig:1:8"),
        // A token on a new line that does not fit: reported just after the
        // previous one, as everywhere in the parser.
        (format!("{header}}}"), "a.mig:3:12"),
        (
            format!("{header}}}\nupgrade {{ }}\ndowngrade auto"),
            "a.mig:3:12",
        ),
        (format!("{header}upgrade {{ }} }}"), "a.mig:4:13"),
        (
            format!("{header}upgrade {{ }}\ndowngrade auto\n}}"),
            "a.mig:5:15",
        ),
        ("}".repeat(100_000), "a.mig:1:1"),
        ("}\n".repeat(100_000), "a.mig:1:1"),
    ];
    for (text, at) in cases {
        let project = Project::new();
        project.mig("a.mig", &text);
        project
            .run(&["upgrade", "-d", "sqlite"])
            .error_at("unexpected-token", at)
            .all_located();
    }
}

#[test]
fn a_file_of_errors_stops_at_the_limit() {
    let project = Project::new();
    project.mig("a.mig", "@\n".repeat(100_000));
    let run = project.run(&["upgrade", "-d", "sqlite"]);
    run.error_at("too-many-errors", "a.mig:100:2").all_located();
    assert_eq!(run.stderr.matches("error[").count(), 101, "{}", run.tail());
}

/// 10,000 nested braces in a block, and 10,000 in the header: recovery skips
/// them without recursing (no stack overflow).
#[test]
fn ten_thousand_nested_braces() {
    let deep = format!("{}{}", "{".repeat(10_000), "}".repeat(10_000));
    let project = Project::new();
    project.mig("a.mig", revision("a", None, &format!("    {deep}")));
    project
        .run(&["upgrade", "-d", "sqlite"])
        .error_at("unexpected-token", "a.mig:5:10")
        .all_located();
    project.mig("a.mig", format!("{deep}\n{}", revision("a", None, "")));
    project
        .run(&["upgrade", "-d", "sqlite"])
        .error_at("unexpected-token", "a.mig:1:1")
        .all_located();
}

//! Text that is not what it seems: not UTF-8, BOMs, CRLF, NUL and the other
//! characters refused in migration files (docs/dsl.md, "Characters").

use super::{revision, Project};

const TABLE: &str =
    "    create_table t {\n        id : integer primary_key\n        a  : text default 'x'\n    }";

#[test]
fn a_file_that_is_not_utf8_is_located_at_its_first_bad_byte() {
    let project = Project::new();
    let text = revision("a", None, TABLE).replace("'x'", "'caf\u{e9}'");
    // Latin-1: é is the single byte 0xE9.
    let latin1: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
    project.mig("a.mig", latin1);
    let run = project.run(&["upgrade", "-d", "sqlite"]);
    run.error_at("invalid-utf8", "a.mig:8:31").all_located();
    assert!(run.stderr.contains("byte 0xE9"), "{}", run.stderr);

    let project = Project::new();
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    project.mig("a.mig", utf16);
    let run = project.run(&["upgrade", "-d", "sqlite"]);
    run.error_at("invalid-utf8", "a.mig:1:1");
    assert!(run.stderr.contains("UTF-16"), "{}", run.stderr);
}

#[test]
fn a_bom_at_the_start_is_skipped_and_positions_stay_right() {
    let plain = Project::new();
    let bom = Project::new();
    let text = revision("a", None, TABLE);
    plain.mig("a.mig", &text);
    bom.mig("a.mig", format!("\u{feff}{text}"));
    for dialect in ["sqlite", "postgresql"] {
        let want = plain.run(&["upgrade", "-d", dialect]).ok();
        assert_eq!(bom.run(&["upgrade", "-d", dialect]).ok(), want);
    }
    // An error after a BOM: the same line and column as without it.
    let broken = format!("\u{feff}{}", text.replace("integer", "intger"));
    bom.mig("a.mig", broken);
    bom.run(&["upgrade", "-d", "sqlite"])
        .error_at("unknown-type", "a.mig:7:14");
    // One further in is not a BOM to skip.
    bom.mig("a.mig", text.replace("message", "\u{feff}message"));
    bom.run(&["upgrade", "-d", "sqlite"])
        .error_at("refused-character", "a.mig:3:1");
}

#[test]
fn crlf_line_ends_compile_to_the_same_bytes() {
    let lf = Project::new();
    let crlf = Project::new();
    // A multi-line literal too: its value must not carry the CR.
    let text = revision(
        "a",
        None,
        &format!("{TABLE}\n    execute \"\"\"INSERT INTO t (id, a) VALUES (1, 'two\nlines')\"\"\""),
    );
    lf.mig("a.mig", &text);
    crlf.mig("a.mig", text.replace('\n', "\r\n"));
    for dialect in ["sqlite", "postgresql", "mariadb"] {
        let want = lf.run(&["upgrade", "-d", dialect]).ok();
        let got = crlf.run(&["upgrade", "-d", dialect]).ok();
        assert_eq!(got, want, "{dialect}");
        assert!(!got.contains('\r'), "{dialect}: a CR in the output");
    }
    crlf.mig(
        "a.mig",
        text.replace('\n', "\r\n").replace("integer", "intger"),
    );
    crlf.run(&["upgrade", "-d", "sqlite"])
        .error_at("unknown-type", "a.mig:7:14");
}

/// A NUL where each kind of text is: the case of issue 7 (psql and sqlite3 cut
/// the line at the NUL, the quotes shift and a DROP runs) and its relatives.
#[test]
fn a_nul_is_a_located_error_wherever_it_is() {
    let cases: [(&str, &str, &str); 8] = [
        // (what, file text with `@` where the NUL goes, file:line:col of it)
        (
            "string literal",
            "    create_table t {\n        a : text default 'x@'\n        b : text default '); COMMIT; DROP TABLE victim; --'\n    }",
            "a.mig:7:28",
        ),
        ("quoted name", "    drop_table \"vic@tim\"", "a.mig:6:20"),
        ("comment", "    drop_table t # gone@ now", "a.mig:6:24"),
        (
            "fragment",
            "    create_check_constraint ck on t (a <> '@')",
            "a.mig:6:44",
        ),
        ("execute body", "    execute \"DELETE FROM t WHERE a = '@'\"", "a.mig:6:39"),
        ("between tokens", "    drop_table @t", "a.mig:6:16"),
        ("message", "MESSAGE", "a.mig:3:14"),
        ("doc", "DOC", "a.mig:4:9"),
    ];
    for (what, ops, at) in cases {
        let project = Project::new();
        let text = match ops {
            "MESSAGE" => revision("a", None, "    drop_table t").replace("\"m\"", "\"m; x@y\""),
            "DOC" => revision("a", None, "    drop_table t")
                .replace("message \"m\"\n", "message \"m\"\ndoc \"\"\"x@\"\"\"\n"),
            ops => revision("a", None, ops),
        };
        project.mig("a.mig", text.replace('@', "\0"));
        for dialect in ["postgresql", "sqlite", "mariadb"] {
            let run = project.run(&["upgrade", "-d", dialect]);
            run.error_at("refused-character", at).all_located();
            assert!(
                run.stderr.contains("U+0000 (NUL)"),
                "{what}: {}",
                run.stderr
            );
        }
    }
}

#[test]
fn control_and_layout_breaking_characters_are_refused_and_named() {
    for (c, name) in [
        ('\r', "carriage return"),
        ('\u{1b}', "escape"),
        ('\u{8}', "backspace"),
        ('\u{1a}', "Ctrl-Z"),
        ('\u{7f}', "delete"),
        ('\u{85}', "next line"),
        ('\u{2028}', "line separator"),
        ('\u{2029}', "paragraph separator"),
        ('\u{202e}', "right-to-left override"),
        ('\u{2066}', "left-to-right isolate"),
    ] {
        let project = Project::new();
        let text = revision("a", None, "    drop_table t")
            .replace("\"m\"", &format!("\"m -- x{c}DROP TABLE victim\""));
        project.mig("a.mig", text);
        let run = project.run(&["upgrade", "-d", "postgresql"]);
        run.error_at("refused-character", "a.mig:3:16");
        assert!(run.stderr.contains(name), "{c:?}: {}", run.stderr);
    }
}

#[test]
fn an_invisible_character_is_named_not_shown() {
    let project = Project::new();
    project.mig("a.mig", revision("a", None, "    drop_table\u{200b}t"));
    let run = project.run(&["upgrade", "-d", "sqlite"]);
    run.error_at("unexpected-token", "a.mig:6:15");
    assert!(
        run.stderr.contains("U+200B (zero-width space)"),
        "{}",
        run.stderr
    );
    // In a quoted name it is refused: `us<ZWSP>ers` would look like `users`.
    project.mig(
        "a.mig",
        revision("a", None, "    drop_table \"us\u{200b}ers\""),
    );
    let run = project.run(&["upgrade", "-d", "sqlite"]);
    run.error_at("invalid-identifier", "a.mig:6:19");
}

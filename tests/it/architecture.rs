//! What docs/architecture.md promises about the tree's shape, checked from the
//! sources: no function over 80 lines outside tests, no dialect named outside
//! `src/dialect/` outside tests, and every file the page names exists.

use crate::support::repo;
use camino::Utf8PathBuf;

/// The longest a function may be, in lines from `fn` to its closing brace.
const MAX_FN_LINES: usize = 80;

/// Every `.rs` file under `src/`, with its text up to its test module (a
/// `tests.rs` file is all test).
fn non_test_sources() -> Vec<(Utf8PathBuf, String)> {
    fn walk(dir: &camino::Utf8Path, out: &mut Vec<(Utf8PathBuf, String)>) {
        let mut entries: Vec<_> = dir
            .read_dir_utf8()
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|e| e.unwrap().into_path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension() == Some("rs") && path.file_name() != Some("tests.rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                // An inline test module ends what counts (`mod tests;` is a file of its own).
                let body = match text
                    .match_indices("#[cfg(test)]\nmod ")
                    .find(|(at, _)| text[*at..].lines().nth(1).is_some_and(|l| l.ends_with('{')))
                {
                    Some((at, _)) => text[..at].to_string(),
                    None => text,
                };
                out.push((path, body));
            }
        }
    }
    let mut out = Vec::new();
    walk(&repo().join("src"), &mut out);
    assert!(
        out.len() > 40,
        "src/ holds {} files: not the tree",
        out.len()
    );
    out
}

/// A line with string and char literals and `//` comments blanked, so braces
/// inside them are not counted.
fn code_of(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '\'' => {
                // A char literal ('x', '\n', '{'); a lifetime has no closing quote.
                let rest: String = chars.clone().take(3).collect();
                let close = if rest.starts_with('\\') { 2 } else { 1 };
                if rest.chars().nth(close) == Some('\'') {
                    for _ in 0..=close {
                        chars.next();
                    }
                }
            }
            '/' if chars.peek() == Some(&'/') => break,
            _ => out.push(c),
        }
    }
    out
}

/// `(first line, length, name)` of every function in `text` longer than `max` lines.
fn long_functions(text: &str, max: usize) -> Vec<(usize, usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut long = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let code = code_of(line);
        let Some(at) = code.find("fn ") else { continue };
        let before = code[..at].trim();
        let is_item = before.is_empty()
            || before.split_whitespace().all(|w| {
                [
                    "pub",
                    "pub(crate)",
                    "pub(super)",
                    "const",
                    "async",
                    "unsafe",
                ]
                .contains(&w)
            });
        if !is_item {
            continue;
        }
        let name: String = code[at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let (mut depth, mut opened) = (0i64, false);
        for (j, l) in lines.iter().enumerate().skip(i) {
            let c = code_of(l);
            if !opened && c.contains(';') && !c.contains('{') {
                break; // a declaration without a body
            }
            depth += c.matches('{').count() as i64 - c.matches('}').count() as i64;
            opened |= c.contains('{');
            if opened && depth <= 0 {
                if j - i + 1 > max {
                    long.push((i + 1, j - i + 1, name.clone()));
                }
                break;
            }
        }
    }
    long
}

#[test]
fn no_function_outside_tests_is_over_eighty_lines() {
    let mut long = Vec::new();
    for (path, text) in non_test_sources() {
        for (line, len, name) in long_functions(&text, MAX_FN_LINES) {
            long.push(format!("{path}:{line} {name}: {len} lines"));
        }
    }
    assert!(long.is_empty(), "split these:\n{}", long.join("\n"));
}

#[test]
fn the_long_function_finder_finds_one() {
    let body = "    x();\n".repeat(MAX_FN_LINES);
    let text = format!("fn short() {{ '{{'; }}\n\npub fn long(a: &str) {{\n{body}}}\n");
    assert_eq!(
        long_functions(&text, MAX_FN_LINES),
        [(3, MAX_FN_LINES + 2, "long".to_string())]
    );
}

#[test]
fn only_src_dialect_names_a_dialect_outside_tests() {
    const VARIANTS: [&str; 6] = [
        "PostgreSql",
        "MySql",
        "MariaDb",
        "Sqlite",
        "MsSql",
        "Oracle",
    ];
    let dialect_dir = repo().join("src/dialect");
    let mut named = Vec::new();
    for (path, text) in non_test_sources() {
        if path.starts_with(&dialect_dir) {
            continue;
        }
        for (i, line) in text.lines().enumerate() {
            let code = code_of(line);
            if VARIANTS
                .iter()
                .any(|v| code.contains(&format!("Dialect::{v}")))
            {
                named.push(format!("{path}:{}: {}", i + 1, line.trim()));
            }
        }
    }
    assert!(
        named.is_empty(),
        "ask the dialect's Rules instead of naming it:\n{}",
        named.join("\n")
    );
}

#[test]
fn every_file_the_architecture_page_names_exists() {
    let page = repo().join("docs/architecture.md");
    let text = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{page}: {e}"));
    let mut named = 0;
    let mut missing = Vec::new();
    for quoted in text.split('`').skip(1).step_by(2) {
        let path = quoted.split("::").next().unwrap_or(quoted);
        let is_path = (path.starts_with("src/") || path.starts_with("templates/"))
            && !path.contains('<')
            && !path.contains(' ');
        if is_path {
            named += 1;
            if !repo().join(path.trim_end_matches('/')).exists() {
                missing.push(path.to_string());
            }
        }
    }
    assert!(named > 20, "the page names only {named} files");
    assert!(missing.is_empty(), "named but not in the tree: {missing:?}");
}

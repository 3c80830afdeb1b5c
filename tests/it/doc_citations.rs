//! docs/alembic-differences.md quotes ddlc's output and says where it comes
//! from: in SQL blocks a line `-- ddlc: <project>, <upgrade|downgrade> [range]
//! -d <dialect>[, line N | lines A-B | lines A, B, C]` followed by the quoted
//! lines (`...` skips some), in prose ``ddlc: `<project>`, `<command>`, line N:
//! `<text>` ``. Each quote is compiled and must be in the output, in order, at
//! the lines it cites. `DDLC_BLESS=1 cargo test --test it doc_citations`
//! rewrites the cited line numbers. The cited projects are corpus scenarios
//! and op fixtures: the engine suite applies them on PostgreSQL, MariaDB and
//! SQLite, and a quote from an engine that runs here must come from a
//! project whose expect.toml does not have that engine refuse it.

use crate::support::{repo, script};
use camino::Utf8PathBuf;
use ddlc::dialect::Dialect;
use ddlc::graph::Direction;

/// Where a quote comes from.
#[derive(Clone, Debug, PartialEq)]
struct Source {
    project: String,
    direction: Direction,
    range: String,
    dialect: Dialect,
}

impl Source {
    /// `upgrade [range] -d dialect` / `downgrade range -d dialect` after the project.
    fn parse(project: &str, command: &str) -> Option<Source> {
        let words: Vec<&str> = command.split_whitespace().collect();
        let (direction, rest) = match *words.first()? {
            "upgrade" => (Direction::Upgrade, &words[1..]),
            "downgrade" => (Direction::Downgrade, &words[1..]),
            _ => return None,
        };
        let d = rest.iter().position(|w| *w == "-d")?;
        let range = match (&rest[..d], direction) {
            ([], Direction::Upgrade) => "base:head".to_string(),
            ([r], _) => r.to_string(),
            _ => return None,
        };
        Some(Source {
            project: project.to_string(),
            direction,
            range,
            dialect: rest.get(d + 1)?.parse().ok()?,
        })
    }

    /// The script, or the rendered diagnostics of a refusal.
    fn output(&self) -> String {
        let root: Utf8PathBuf = repo().join(&self.project);
        assert!(
            root.join("ddlc.toml").exists(),
            "cited project {} does not exist",
            self.project
        );
        match script(&root, self.direction, &self.range, self.dialect) {
            Ok(sql) => sql,
            Err(diagnostics) => diagnostics,
        }
    }
}

/// Positions (1-based) of `quoted` lines in `output`, in order; `...` skips.
fn locate(output: &str, quoted: &[String]) -> Result<Vec<usize>, String> {
    let lines: Vec<&str> = output.lines().collect();
    let mut at = 0;
    let mut found = Vec::new();
    for q in quoted {
        if q.trim() == "..." {
            continue;
        }
        match lines[at..]
            .iter()
            .position(|l| l.trim_end() == q.trim_end() || l.trim() == q.trim())
        {
            Some(i) => {
                at += i + 1;
                found.push(at);
            }
            None => return Err(format!("`{q}` not found (after line {at})")),
        }
    }
    Ok(found)
}

/// The cited line numbers in the form the citation used, for `found` positions.
fn cite(form: &str, found: &[usize]) -> String {
    match (form, found) {
        ("line", [n, ..]) => format!("line {n}"),
        ("range", [first, .., last]) => format!("lines {first}-{last}"),
        ("range", [n]) => format!("lines {n}-{n}"),
        ("list", _) => format!(
            "lines {}",
            found
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => String::new(),
    }
}

/// The citation's line-number part (`line 4`, `lines 8-9`, `lines 24, 33`) and its form.
fn split_lines_part(rest: &str) -> (Option<(&str, &'static str)>, &str) {
    let Some(tail) = rest.strip_prefix(", line") else {
        return (None, rest);
    };
    let end = tail
        .find(|c: char| !(c.is_ascii_digit() || " ,-s".contains(c)))
        .unwrap_or(tail.len());
    let numbers = tail[..end].trim_end_matches([',', ' ']);
    let text = &rest[..", line".len() + numbers.len()];
    let form = if numbers.starts_with("s ") && numbers.contains('-') {
        "range"
    } else if numbers.starts_with("s ") {
        "list"
    } else {
        "line"
    };
    (
        Some((text.trim_start_matches(", "), form)),
        &rest[text.len()..],
    )
}

/// Checks (and with `bless`, rewrites) every citation of `doc`; the new text.
fn check(doc: &str, bless: bool, errors: &mut Vec<String>) -> String {
    let mut out = String::new();
    let mut lines = doc.lines().peekable();
    let mut in_block = false;
    let mut project = String::new();
    while let Some(line) = lines.next() {
        if line.starts_with("```") {
            in_block = !in_block;
        }
        let mut line = line.to_string();
        if in_block {
            if let Some(rest) = line.strip_prefix("-- ddlc: ") {
                let (proj, after) = rest.split_once(", ").unwrap_or((rest, ""));
                if proj != "same" {
                    project = proj.to_string();
                }
                let command_end = after
                    .find(", line")
                    .unwrap_or_else(|| after.find(" (").unwrap_or(after.len()));
                let command = &after[..command_end];
                let (cited, _) = split_lines_part(&after[command_end..]);
                let mut quoted = Vec::new();
                while let Some(next) = lines.peek() {
                    if next.starts_with("```")
                        || next.starts_with("-- ddlc:")
                        || next.starts_with("-- Alembic")
                    {
                        break;
                    }
                    quoted.push(next.to_string());
                    lines.next();
                }
                match Source::parse(&project, command) {
                    None => errors.push(format!("cannot read the citation `{line}`")),
                    Some(src) => {
                        let output = src.output();
                        match locate(&output, &quoted) {
                            Err(e) => errors.push(format!("{line}: {e}\n{output}")),
                            Ok(found) => {
                                if let Some((text, form)) = cited {
                                    let now = cite(form, &found);
                                    if now != text {
                                        if bless {
                                            line = line.replacen(text, &now, 1);
                                        } else {
                                            errors.push(format!("{line}: the quote is at {now}"));
                                        }
                                    }
                                }
                                engine_runs_it(&src, &output, errors);
                            }
                        }
                    }
                }
                out.push_str(&line);
                out.push('\n');
                for q in quoted {
                    out.push_str(&q);
                    out.push('\n');
                }
                continue;
            }
        } else {
            line = check_prose(&line, bless, errors);
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Prose citations on one line: ``ddlc: `project`, `command`, line N: `text` ``.
fn check_prose(line: &str, bless: bool, errors: &mut Vec<String>) -> String {
    let mut out = line.to_string();
    let mut search = 0;
    while let Some(i) = out[search..].find("ddlc: `") {
        let start = search + i + "ddlc: `".len();
        let parts: Vec<&str> = out[start..].splitn(5, '`').collect();
        // project ` , ` command ` , line N: ` text `
        let ok = parts.len() == 5
            && parts[1] == ", "
            && parts[3].starts_with(", line ")
            && parts[3].ends_with(": ");
        if !ok {
            errors.push(format!("cannot read the prose citation in `{line}`"));
            break;
        }
        let (project, command, text) =
            (parts[0], parts[2], parts[4].split('`').next().unwrap_or(""));
        let cited = parts[3]
            .trim_start_matches(", line ")
            .trim_end_matches(": ")
            .to_string();
        let Some(src) = Source::parse(project, command) else {
            errors.push(format!("cannot read the command `{command}` in `{line}`"));
            break;
        };
        let output = src.output();
        let next_search = match locate(&output, &[text.to_string()]) {
            Err(e) => {
                errors.push(format!("{line}: {e}"));
                start
            }
            Ok(found) => {
                let now = found[0].to_string();
                let at = start + parts[0].len() + parts[1].len() + parts[2].len() + 3;
                if now != cited {
                    if bless {
                        let old = format!(", line {cited}: ");
                        let new = format!(", line {now}: ");
                        out.replace_range(at..at + old.len(), &new);
                    } else {
                        errors.push(format!("{line}: `{text}` is at line {now}"));
                    }
                }
                engine_runs_it(&src, &output, errors);
                at
            }
        };
        search = next_search;
    }
    out
}

/// A quote from an engine the suite runs here comes from a project the suite
/// applies on it (expect.toml does not list the engine as refusing it), or is
/// itself a refusal.
fn engine_runs_it(src: &Source, output: &str, errors: &mut Vec<String>) {
    let engine = match src.dialect {
        Dialect::PostgreSql => "postgresql",
        Dialect::MySql | Dialect::MariaDb => "mysql",
        Dialect::Sqlite => "sqlite",
        Dialect::MsSql | Dialect::Oracle => return,
    };
    let refusal = output.starts_with("error[");
    let expect = repo().join(&src.project).join("expect.toml");
    let text = std::fs::read_to_string(&expect).unwrap_or_default();
    let rejects = text
        .lines()
        .find(|l| l.starts_with("ddlc_rejects"))
        .is_some_and(|l| l.contains(&format!("\"{engine}\"")));
    if !text.is_empty() && rejects != refusal && src.dialect != Dialect::MySql {
        errors.push(format!(
            "{} on {}: the engine suite {} it, but the quote is {}",
            src.project,
            src.dialect,
            if rejects {
                "expects a refusal of"
            } else {
                "applies"
            },
            if refusal { "a refusal" } else { "SQL" }
        ));
    }
}

#[test]
fn alembic_differences_quotes_what_ddlc_emits_where_it_says() {
    let path = repo().join("docs/alembic-differences.md");
    let doc = std::fs::read_to_string(&path).expect("read docs/alembic-differences.md");
    let bless = std::env::var_os("DDLC_BLESS").is_some();
    let mut errors = Vec::new();
    let checked = check(&doc, bless, &mut errors);
    let quotes = doc.matches("ddlc: ").count();
    assert!(quotes > 30, "only {quotes} citations found");
    if bless && checked != doc {
        std::fs::write(&path, &checked).expect("write docs/alembic-differences.md");
    }
    assert!(
        errors.is_empty(),
        "docs/alembic-differences.md cites ddlc output that is not there \
         (line numbers: DDLC_BLESS=1 cargo test --test it doc_citations):\n{}",
        errors.join("\n\n")
    );
}

#[test]
fn citations_are_read_as_written() {
    let src = Source::parse("tests/corpus/x", "downgrade head:base -d mariadb").unwrap();
    assert_eq!(
        (src.range.as_str(), src.dialect),
        ("head:base", Dialect::MariaDb)
    );
    assert_eq!(
        Source::parse("p", "upgrade -d sqlite").unwrap().range,
        "base:head"
    );
    assert_eq!(
        split_lines_part(", lines 8-9").0,
        Some(("lines 8-9", "range"))
    );
    assert_eq!(
        split_lines_part(", lines 24, 33, 34 (x)").0,
        Some(("lines 24, 33, 34", "list"))
    );
    assert_eq!(split_lines_part(", line 19").0, Some(("line 19", "line")));
    assert_eq!(
        locate("a\nb\nc\nb\n", &["b".into(), "...".into(), "b".into()]),
        Ok(vec![2, 4])
    );
    assert!(locate("a\n", &["z".into()]).is_err());
}

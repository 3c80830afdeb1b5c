//! The escaping suite (issue 7): nothing a migration says may reach an engine
//! or its client as SQL it did not mean.
//!
//! 1. refusals: every hostile name on every dialect compiles, or is refused
//!    with a located error where the engine or its client cannot take it;
//! 2. sqlcmd and SQL*Plus: the hostile project compiled for SQL Server and
//!    Oracle, split as those clients split a script, every piece whole SQL and
//!    every literal inside a literal giving back its text (no engine here);
//! 3. the matrix, on PostgreSQL, MariaDB and SQLite: hostile names × hostile
//!    values through every op that writes a name or a value, applied up and
//!    down with psql, mariadb and sqlite3 from a file, read back byte for byte,
//!    a victim table untouched and no shell command run by a client;
//! 4. the reproduced cases, on the same engines.
//!
//! PostgreSQL and MariaDB come from DDLC_TEST_POSTGRES_URL / DDLC_TEST_MYSQL_URL
//! and are reported as NOT RUN when unset; SQLite always runs. Its own test
//! target (harness = false) so that it runs in one process with one report,
//! and can be run alone: `cargo test --test escaping`.

mod clients;
mod hostile;
mod lines;
mod matrix;
mod project;
mod regressions;

use clients::{Db, Kind, Server};
use ddlc::syntax::chars;
use project::{name, ProjectDir, Revision};
use std::process::ExitCode;
use std::time::Instant;

/// Results, printed at the end.
#[derive(Default)]
struct Report {
    passed: usize,
    failures: Vec<String>,
    not_run: Vec<String>,
    /// (part, seconds), printed with the result.
    timings: Vec<(String, f64)>,
}

impl Report {
    fn check(&mut self, what: &str, result: Result<(), String>) {
        match result {
            Ok(()) => self.passed += 1,
            Err(e) => self.failures.push(format!("{what}: {e}")),
        }
    }
}

const DIALECTS: [&str; 6] = [
    "postgresql",
    "mysql",
    "mariadb",
    "sqlite",
    "mssql",
    "oracle",
];

/// The error code ddlc must give for `name` on `dialect`, if any.
fn expected_refusal(dialect: &str, name: &str) -> Option<&'static str> {
    front_refusal(name).or_else(|| dialect_refusal(dialect, name))
}

/// The error the front end gives a name before any dialect is involved: a
/// character refused anywhere in a file, or one that is invisible inside a
/// quoted name (ddlc's own rules, `ddlc::syntax::chars`).
fn front_refusal(name: &str) -> Option<&'static str> {
    let chars: Vec<char> = name.chars().collect();
    let anywhere = chars
        .iter()
        .enumerate()
        .any(|(i, &c)| chars::refused(c, chars.get(i + 1).copied()).is_some());
    if anywhere {
        return Some("refused-character");
    }
    if chars.iter().any(|&c| chars::refused_in_name(c)) {
        return Some("invalid-identifier");
    }
    None
}

/// The error a dialect gives a name the front end accepts.
fn dialect_refusal(dialect: &str, name: &str) -> Option<&'static str> {
    let line_client = matches!(dialect, "mssql" | "oracle");
    let mysql = matches!(dialect, "mysql" | "mariadb");
    if line_client && name.contains(['\n', '\r']) {
        return Some("invalid-identifier");
    }
    if dialect == "oracle" && name.contains('"') {
        return Some("invalid-identifier");
    }
    if mysql && name.chars().any(|c| u32::from(c) > 0xFFFF) {
        return Some("invalid-identifier");
    }
    None
}

fn main() -> ExitCode {
    let started = Instant::now();
    let marker = clients::marker_path();
    let _ = std::fs::remove_file(&marker);
    let marker_text = marker.to_string_lossy().into_owned();
    let names = hostile::names(&marker_text);
    let values = hostile::values(&marker_text);
    let labels = hostile::enum_labels(&values);
    let mut report = Report::default();

    let t = Instant::now();
    refusals(&mut report, &names);
    report
        .timings
        .push(("refusals".into(), t.elapsed().as_secs_f64()));
    let t = Instant::now();
    for dialect in ["mssql", "oracle"] {
        let r = line_clients(dialect, &names, &values, &labels);
        report.check(&format!("[{dialect}] split as its client splits"), r);
    }
    report
        .timings
        .push(("sqlcmd/SQL*Plus".into(), t.elapsed().as_secs_f64()));
    // The three engines in parallel: they share nothing but the marker path.
    let results: Vec<Report> = std::thread::scope(|scope| {
        let handles: Vec<_> = [Kind::Postgres, Kind::Mariadb, Kind::Sqlite]
            .into_iter()
            .map(|kind| {
                let (names, values, labels, marker) = (&names, &values, &labels, &marker);
                scope.spawn(move || engine(kind, names, values, labels, marker))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| Report {
                    failures: vec!["an engine's thread panicked".into()],
                    ..Report::default()
                })
            })
            .collect()
    });
    for r in results {
        report.passed += r.passed;
        report.failures.extend(r.failures);
        report.not_run.extend(r.not_run);
        report.timings.extend(r.timings);
    }
    let elapsed = started.elapsed();
    println!(
        "== escaping suite: {} names x {} values",
        names.len(),
        values.len()
    );
    for n in &report.not_run {
        println!("   {n}");
    }
    for f in &report.failures {
        println!("-- FAILED {f}\n");
    }
    let parts: Vec<String> = report
        .timings
        .iter()
        .map(|(what, secs)| format!("{what} {secs:.1} s"))
        .collect();
    println!("   time: {}", parts.join(", "));
    println!(
        "{} passed, {} failed, {} not run ({:.1} s)",
        report.passed,
        report.failures.len(),
        report.not_run.len(),
        elapsed.as_secs_f64()
    );
    if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Revision index → error code, for each `error[code]` located (` --> `) in
/// `migrations/versions/nNN.mig`.
fn located_errors(stderr: &str) -> std::collections::BTreeMap<usize, String> {
    let mut out = std::collections::BTreeMap::new();
    let mut code: Option<String> = None;
    for line in stderr.lines() {
        if let Some(rest) = line.strip_prefix("error[") {
            code = rest.split(']').next().map(str::to_string);
        } else if let Some(at) = line.trim_start().strip_prefix("--> migrations/versions/n") {
            let index = at.split('.').next().and_then(|i| i.parse().ok());
            if let (Some(i), Some(c)) = (index, code.take()) {
                out.insert(i, c);
            }
        }
    }
    out
}

/// The matrix and the regressions on one engine.
fn engine(
    kind: Kind,
    names: &[String],
    values: &[String],
    labels: &[String],
    marker: &std::path::Path,
) -> Report {
    let mut report = Report::default();
    let server = match Server::from_env(kind) {
        Ok(Some(s)) => s,
        Ok(None) => {
            report.not_run.push(format!(
                "{}: NOT RUN (set DDLC_TEST_{}_URL)",
                kind.dialect(),
                if kind == Kind::Postgres {
                    "POSTGRES"
                } else {
                    "MYSQL"
                }
            ));
            return report;
        }
        Err(e) => {
            report.failures.push(e);
            return report;
        }
    };
    let t = Instant::now();
    let r = engine_matrix(kind, &server, names, values, labels, marker);
    report.check(&format!("[{}] hostile matrix", kind.dialect()), r);
    for reg in regressions::all() {
        if reg.engines.contains(&kind) {
            let r = regression(kind, &server, &reg, marker);
            report.check(&format!("[{}] {}", kind.dialect(), reg.name), r);
        }
    }
    report
        .timings
        .push((kind.dialect().into(), t.elapsed().as_secs_f64()));
    report
}

/// Every hostile name on every dialect: compiles, or the expected located error.
fn refusals(report: &mut Report, names: &[String]) {
    let revisions: Vec<Revision> = names
        .iter()
        .enumerate()
        .map(|(i, n)| Revision {
            id: format!("n{i:02}"),
            upgrade: format!(
                "    create_table {} {{\n        id : integer primary_key\n    }}",
                name(n)
            ),
            downgrade: "auto".into(),
            message: None,
        })
        .collect();
    // One revision per name: ddlc reports every refused name, each located in
    // its own file. The front end's refusals come first (no dialect is asked
    // while a file has syntax errors), so they are checked on one project and
    // the dialects' on a second one holding only what the front end accepts.
    let p = ProjectDir::new(None, &revisions);
    let refused: std::collections::BTreeMap<usize, String> =
        match p.compile("postgresql", &["upgrade", "head"]) {
            Ok(_) => Default::default(),
            Err((1, err)) => located_errors(&err),
            Err((code, err)) => {
                report.failures.push(format!("names: exit {code}: {err}"));
                Default::default()
            }
        };
    for (i, n) in names.iter().enumerate() {
        let r = match (front_refusal(n), refused.get(&i)) {
            (None, _) => Ok(()),
            (Some(want), Some(code)) if want == code => Ok(()),
            (Some(want), Some(code)) => Err(format!("{code}, but {want} was expected")),
            (Some(want), None) => Err(format!("accepted, but {want} was expected")),
        };
        report.check(&format!("[front end] name {n:?}"), r);
    }
    let kept: Vec<usize> = (0..names.len())
        .filter(|&i| front_refusal(&names[i]).is_none())
        .collect();
    let p = ProjectDir::new(
        None,
        &kept
            .iter()
            .map(|&i| revisions[i].clone())
            .collect::<Vec<_>>(),
    );
    for dialect in DIALECTS {
        let refused: std::collections::BTreeMap<usize, String> =
            match p.compile(dialect, &["upgrade", "head"]) {
                Ok(_) => Default::default(),
                Err((1, err)) => located_errors(&err),
                Err((code, err)) => {
                    report
                        .failures
                        .push(format!("[{dialect}] names: exit {code}: {err}"));
                    continue;
                }
            };
        for &i in &kept {
            let n = &names[i];
            let r = match (dialect_refusal(dialect, n), refused.get(&i)) {
                (None, None) => Ok(()),
                (None, Some(code)) => Err(format!("refused with {code}")),
                (Some(want), None) => Err(format!("compiled, but {want} was expected")),
                (Some(want), Some(code)) if want == code => Ok(()),
                (Some(want), Some(code)) => Err(format!("{code}, but {want} was expected")),
            };
            report.check(&format!("[{dialect}] name {n:?}"), r);
        }
    }
    // Defect 10: two 70-character names sharing a 63-byte prefix collided on
    // PostgreSQL, which cuts names to 63 bytes.
    let long = "t".repeat(63);
    let p = ProjectDir::new(
        None,
        &[Revision {
            id: "l1".into(),
            upgrade: format!(
                "    create_table {long}_aaaaaa {{\n        id : integer primary_key\n    }}\n    create_table {long}_bbbbbb {{\n        id : integer primary_key\n    }}"
            ),
            downgrade: "auto".into(),
            message: None,
        }],
    );
    let r = match p.compile("postgresql", &["upgrade", "head"]) {
        Err((1, err)) if err.contains("error[name-too-long]") && err.contains("l1.mig:") => Ok(()),
        Err((code, err)) => Err(format!("exit {code}: {err}")),
        Ok(_) => Err("two 70-byte table names compiled for PostgreSQL".into()),
    };
    report.check("[postgresql] defect 10: names over 63 bytes", r);
    // MariaDB keeps comments in utf8mb3: an emoji would read back as `?`.
    let p = ProjectDir::new(
        None,
        &[Revision {
            id: "m1".into(),
            upgrade:
                "    create_table t {\n        id : integer primary_key comment 'smile 😀'\n    }"
                    .into(),
            downgrade: "auto".into(),
            message: None,
        }],
    );
    for dialect in ["mysql", "mariadb"] {
        let r = match p.compile(dialect, &["upgrade", "head"]) {
            Err((1, err)) if err.contains("error[invalid-text]") && err.contains("m1.mig:") => {
                Ok(())
            }
            Err((code, err)) => Err(format!("exit {code}: {err}")),
            Ok(_) => Err("an emoji comment compiled".into()),
        };
        report.check(
            &format!("[{dialect}] a comment MySQL would store as `?`"),
            r,
        );
    }
    // Defect 2 (emission side): a NUL in a configured name is refused, not written raw.
    let p = ProjectDir::new(
        Some(("alembic\0version", "version_num")),
        &[Revision {
            id: "z1".into(),
            upgrade: "    create_table t {\n        id : integer primary_key\n    }".into(),
            downgrade: "auto".into(),
            message: None,
        }],
    );
    for dialect in ["postgresql", "sqlite"] {
        let r = match p.compile(dialect, &["upgrade", "head"]) {
            // ddlc.toml's own check (U+0000) or the name check (NUL).
            Err((_, err)) if err.contains("NUL") || err.contains("U+0000") => Ok(()),
            Err((code, err)) => Err(format!("exit {code} without naming the NUL: {err}")),
            Ok(path) => Err(format!(
                "compiled; NUL written raw: {}",
                std::fs::read(&path).is_ok_and(|b| b.contains(&0))
            )),
        };
        report.check(
            &format!("[{dialect}] defect 2: a NUL in [version_table] name"),
            r,
        );
    }
}

/// The hostile project for a dialect whose client reads lines: split as the
/// client splits, every piece whole, every literal inside a literal intact.
fn line_clients(
    dialect: &str,
    names: &[String],
    values: &[String],
    labels: &[String],
) -> Result<(), String> {
    let kept: Vec<usize> = (0..names.len())
        .filter(|&i| expected_refusal(dialect, &names[i]).is_none())
        .collect();
    let kept_cases: Vec<matrix::Case> = matrix::cases(
        &kept.iter().map(|&i| names[i].clone()).collect::<Vec<_>>(),
        values,
        labels,
        |_| true,
    );
    let (expr, partial) = (dialect == "oracle", dialect == "mssql");
    let version = ("ver'sion; --", "n'um");
    let p = ProjectDir::new(
        Some(version),
        &matrix::revisions(&kept_cases, labels, expr, partial),
    );
    let mut comments = Vec::new();
    for args in [&["upgrade", "head"][..], &["downgrade", "head:base"][..]] {
        let path = p
            .compile(dialect, args)
            .map_err(|(c, e)| format!("{args:?}: exit {c}: {e}"))?;
        let script = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
        let pieces = lines::split(&script, dialect).map_err(|e| format!("{args:?}: {e}"))?;
        for piece in &pieces {
            let body = piece
                .lines()
                .filter(|l| !l.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n");
            let body = body.trim();
            if dialect == "oracle" && body.starts_with("BEGIN") {
                let inner = lines::immediate(body)
                    .ok_or_else(|| format!("no EXECUTE IMMEDIATE text in:\n{body}"))?;
                lines::tokens(&inner, dialect).map_err(|e| format!("{inner}: {e}"))?;
                if inner.starts_with("CREATE TABLE") {
                    let got = lines::quoted_names(&inner, dialect);
                    if got.first().map(String::as_str) != Some(version.0) {
                        return Err(format!("version table {got:?} in {inner}"));
                    }
                } else if let Some(c) = lines::first_string(&inner, dialect) {
                    comments.push(c);
                }
            } else if dialect == "oracle" && body.starts_with("COMMENT ON") {
                comments.extend(lines::first_string(body, dialect));
            } else if dialect == "mssql" && body.starts_with("IF OBJECT_ID(") {
                let lit = lines::first_string(body, dialect).ok_or("no OBJECT_ID literal")?;
                let got = lines::quoted_names(&lit, dialect);
                if got != [version.0] {
                    return Err(format!("OBJECT_ID({lit:?}) names {got:?}"));
                }
            } else if dialect == "mssql" && body.contains("extendedproperty") {
                comments.extend(lines::mssql_comment(body));
            }
        }
    }
    // Every comment read back is one of the values written, and the ones with
    // line breaks made it through (SQL*Plus and sqlcmd would have cut them).
    for c in &comments {
        if !values.contains(c) {
            return Err(format!(
                "a comment reads back as {c:?}, which was never written"
            ));
        }
    }
    for v in values
        .iter()
        .filter(|v| v.contains('\n') && !v.trim().is_empty())
    {
        let used = kept_cases.iter().any(|c| c.has_comment(v));
        if used && !comments.contains(v) {
            return Err(format!("the comment {v:?} did not read back"));
        }
    }
    Ok(())
}

/// The hostile matrix on one engine: up, read back, down, nothing left.
fn engine_matrix(
    kind: Kind,
    server: &Server,
    names: &[String],
    values: &[String],
    labels: &[String],
    marker: &std::path::Path,
) -> Result<(), String> {
    let dialect = kind.dialect();
    let names: Vec<String> = names
        .iter()
        .filter(|n| expected_refusal(dialect, n).is_none())
        .cloned()
        .collect();
    let comment_ok: fn(&str) -> bool = match kind {
        Kind::Mariadb => |v| v.chars().all(|c| u32::from(c) <= 0xFFFF),
        _ => |_| true,
    };
    let cases = matrix::cases(&names, values, labels, comment_ok);
    let both = kind != Kind::Mariadb;
    let p = ProjectDir::new(
        Some(matrix::VERSION_TABLE),
        &matrix::revisions(&cases, labels, both, both),
    );
    let up = p
        .compile(dialect, &["upgrade", "head"])
        .map_err(|(c, e)| format!("upgrade: exit {c}: {e}"))?;
    let down = p
        .compile(dialect, &["downgrade", "head:base"])
        .map_err(|(c, e)| format!("downgrade: exit {c}: {e}"))?;
    let db = Db::create(kind, server, "matrix")?;
    victim(&db)?;
    db.apply(&up).map_err(|e| format!("upgrade script: {e}"))?;
    untouched(&db, marker)?;
    let head = format!("c{:02}", cases.len() - 1);
    matrix::read_back(&db, &cases, labels, &head)?;
    db.apply(&down)
        .map_err(|e| format!("downgrade script: {e}"))?;
    untouched(&db, marker)?;
    let left = matrix::tables(&db)?;
    let mut want = vec!["victim".to_string(), matrix::VERSION_TABLE.0.to_string()];
    let mut got = left.clone();
    want.sort();
    got.sort();
    if got != want {
        return Err(format!("after the downgrade the tables are {left:?}"));
    }
    let rows = db.query(&format!(
        "SELECT COUNT(*) FROM {}",
        db.ident(matrix::VERSION_TABLE.0)
    ))?;
    if rows != [vec!["0".to_string()]] {
        return Err(format!("the version table still holds {rows:?}"));
    }
    Ok(())
}

/// One reproduced case on one engine.
fn regression(
    kind: Kind,
    server: &Server,
    r: &regressions::Regression,
    marker: &std::path::Path,
) -> Result<(), String> {
    let p = regressions::project(r);
    let up = p
        .compile(kind.dialect(), &["upgrade", "head"])
        .map_err(|(c, e)| format!("exit {c}: {e}"))?;
    let db = Db::create(kind, server, "regression")?;
    victim(&db)?;
    db.apply(&up)?;
    untouched(&db, marker)?;
    (r.check)(&db)
}

/// The table no migration names, with one row.
fn victim(db: &Db) -> Result<(), String> {
    db.query("CREATE TABLE victim (id INTEGER)")?;
    db.query("INSERT INTO victim (id) VALUES (42)")?;
    Ok(())
}

/// The victim is there with its row, and no client ran a shell command.
fn untouched(db: &Db, marker: &std::path::Path) -> Result<(), String> {
    let rows = db
        .query("SELECT id FROM victim")
        .map_err(|e| format!("the victim table is gone: {e}"))?;
    if rows != [vec!["42".to_string()]] {
        return Err(format!("the victim table holds {rows:?}"));
    }
    if marker.exists() {
        return Err(format!(
            "a client ran a shell command: {} exists",
            marker.display()
        ));
    }
    Ok(())
}

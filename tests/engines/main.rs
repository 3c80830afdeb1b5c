//! The engine suite: applies scripts to real PostgreSQL, MariaDB and SQLite databases.
//! Part "alembic" replays the Alembic corpus's own scripts to prove the harness (applies as
//! recorded, returns to empty as recorded); part "ddlc" runs the ddlc binary on every project
//! (full upgrade, step-by-step round trips, downgrade to empty, same schema as Alembic's).
//! Options (env): DDLC_ENGINES_FILTER=substring (or the first argument), DDLC_ENGINES_PARTS=
//! alembic,ddlc, DDLC_ENGINES_SHOW_DUMPS=1 (print normalised dumps of the corpus schemas),
//! DDLC_ENGINES_DDLC_BIN=path (run another ddlc build), DDLC_ENGINES_PROJECTS=dir (scenario
//! projects instead of tests/corpus), DDLC_ALEMBIC_CORPUS=dir.

mod dump;
mod engine;
mod project;
mod report;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use dump::Dump;
use engine::{ApplyError, Engine, EngineKind, TestDb};
use project::Project;
use report::Outcome;

/// An engine as configured for this run.
enum Avail {
    /// Reachable.
    Ready(Engine),
    /// Variable unset: reported as NOT RUN.
    NotRun,
    /// Variable set but the server is unreachable: every test on it fails.
    Broken(String),
}

/// One unit of work for the thread pool.
enum Job {
    /// Replay the Alembic corpus scenario on every engine.
    Alembic(String),
    /// Run ddlc on a project on every dialect.
    Ddlc(Box<Project>),
}

/// The ddlc dialects and the engine each runs on; `mysql` failures on MariaDB are notes only.
const DIALECTS: [(&str, EngineKind); 4] = [
    ("postgresql", EngineKind::Postgres),
    ("mariadb", EngineKind::Mariadb),
    ("mysql", EngineKind::Mariadb),
    ("sqlite", EngineKind::Sqlite),
];

fn main() {
    let filter = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .or_else(|| std::env::var("DDLC_ENGINES_FILTER").ok())
        .unwrap_or_default();
    let parts = std::env::var("DDLC_ENGINES_PARTS").unwrap_or_else(|_| "alembic,ddlc".into());
    let show_dumps = std::env::var_os("DDLC_ENGINES_SHOW_DUMPS").is_some();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let corpus = project::corpus_dir();

    let mut outcomes = self_check();
    let mut warnings = Vec::new();
    let engines: Vec<(EngineKind, Avail)> = EngineKind::ALL
        .iter()
        .map(|&kind| {
            let avail = match Engine::from_env(kind) {
                Ok(Some(e)) => Avail::Ready(e),
                Ok(None) => {
                    warnings.push(format!(
                        "{} NOT RUN: set {} to run its tests",
                        kind.corpus_name(),
                        kind.env_var().unwrap_or("?")
                    ));
                    Avail::NotRun
                }
                Err(e) => Avail::Broken(e),
            };
            (kind, avail)
        })
        .collect();

    let mut jobs: Vec<Job> = Vec::new();
    if parts.contains("alembic") {
        match project::corpus_scenarios(&corpus) {
            Ok(names) => {
                jobs.extend(
                    names
                        .into_iter()
                        .filter(|n| n.contains(&filter))
                        .map(Job::Alembic),
                );
            }
            Err(e) => {
                let mut o = Outcome::new("self", "alembic corpus", "-");
                o.fail(format!(
                    "cannot read the corpus at {}: {e}",
                    corpus.display()
                ));
                outcomes.push(o);
            }
        }
    }
    if parts.contains("ddlc") {
        for p in project::discover(&repo) {
            match p {
                Ok(p) if p.name.contains(&filter) => jobs.push(Job::Ddlc(Box::new(p))),
                Ok(_) => {}
                Err(e) => {
                    let mut o = Outcome::new("self", "project", "-");
                    o.fail(e);
                    outcomes.push(o);
                }
            }
        }
    }

    let queue = Mutex::new(jobs.into_iter().rev().collect::<Vec<Job>>());
    let results = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let job = queue.lock().unwrap_or_else(|p| p.into_inner()).pop();
                let Some(job) = job else { break };
                let out = match &job {
                    Job::Alembic(scen) => run_alembic(scen, &engines, &corpus, show_dumps),
                    Job::Ddlc(p) => run_ddlc(p, &engines, &corpus),
                };
                results
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .extend(out);
            });
        }
    });
    outcomes.extend(results.into_inner().unwrap_or_else(|p| p.into_inner()));

    let legend = [
        ("self", "Harness self-checks"),
        (
            "alembic",
            "Alembic corpus replayed (U/D = upgrade/downgrade applied as recorded, E = returned to empty as recorded)",
        ),
        (
            "ddlc",
            "ddlc projects (A = base:head applies, R = step-by-step round trips, D = head:base leaves nothing, \
             = same schema as Alembic's; + yes, - no, ~ listed difference, . not compared)",
        ),
    ];
    let (_, failed, _) = report::print(&outcomes, &warnings, &legend);
    std::process::exit(if failed > 0 { 1 } else { 0 });
}

/// The engine for `kind`, or the outcome already marked not-run / failed.
fn ready<'a>(
    engines: &'a [(EngineKind, Avail)],
    kind: EngineKind,
    out: &mut Outcome,
) -> Option<&'a Engine> {
    match engines.iter().find(|(k, _)| *k == kind).map(|(_, a)| a) {
        Some(Avail::Ready(e)) => Some(e),
        Some(Avail::Broken(e)) => {
            out.fail(e.clone());
            None
        }
        _ => {
            out.not_run = true;
            None
        }
    }
}

fn apply_error(what: &str, e: &ApplyError) -> String {
    if e.statement.is_empty() {
        format!("{what}: {}", e.first)
    } else {
        format!("{what}: {}\nstatement: {}", e.first, e.statement)
    }
}

fn db_label(name: &str) -> String {
    name.chars().take(24).collect()
}

// ------------------------------------------------------------------------ Alembic corpus

/// Replays one corpus scenario on every engine, like tools/execute.py.
fn run_alembic(
    scen: &str,
    engines: &[(EngineKind, Avail)],
    corpus: &Path,
    show: bool,
) -> Vec<Outcome> {
    let mut outs = Vec::new();
    for kind in EngineKind::ALL {
        let eng_name = kind.corpus_name();
        let mut out = Outcome::new("alembic", scen, eng_name);
        if let Some(engine) = ready(engines, kind, &mut out) {
            if let Err(e) = alembic_one(scen, kind, engine, corpus, show, &mut out) {
                out.fail(e);
            }
        }
        outs.push(out);
    }
    outs
}

fn alembic_one(
    scen: &str,
    kind: EngineKind,
    engine: &Engine,
    corpus: &Path,
    show: bool,
    out: &mut Outcome,
) -> Result<(), String> {
    let eng = kind.corpus_name();
    let rec = project::recorded(corpus, scen, eng)?;
    let dir = corpus.join(scen);
    let up_path = dir.join(format!("{eng}.upgrade.sql"));
    let down_path = dir.join(format!("{eng}.downgrade.sql"));
    let vt = project::corpus_version_table(corpus, scen);
    let Ok(up) = std::fs::read_to_string(&up_path) else {
        if rec.upgrade.starts_with("n/a") {
            out.mark("gen-err");
        } else {
            out.fail(format!(
                "{} missing but recorded as generated",
                up_path.display()
            ));
        }
        return Ok(());
    };
    let mut db = engine.fresh(
        &format!("al_{}", db_label(scen)),
        project::needs_extra(scen),
    )?;
    let applied = db.apply(&up);
    out.mark(format!("U{}", yn(applied.is_ok())));
    if applied.is_ok() != (rec.upgrade == "yes") {
        let got = applied
            .as_ref()
            .err()
            .map(|e| apply_error("upgrade", e))
            .unwrap_or_else(|| "upgrade applied".into());
        out.fail(format!(
            "recorded upgrade_applies={} but: {got}",
            rec.upgrade
        ));
    } else if let Err(e) = &applied {
        out.note(apply_error("upgrade fails as recorded", e));
    }
    let after_up = db.dump(&vt)?;
    if show {
        out.note(format!(
            "dump after upgrade ({} lines):\n{}",
            after_up.lines.len(),
            after_up.exact().join("\n")
        ));
    }
    if applied.is_ok() && after_up.relations().is_empty() && !up.contains("INSERT") {
        out.fail("upgrade applied but the dump shows no tables");
    }
    match std::fs::read_to_string(&down_path) {
        Ok(down) => {
            let applied = db.apply(&down);
            out.mark(format!("D{}", yn(applied.is_ok())));
            if applied.is_ok() != (rec.downgrade == "yes") {
                let got = applied
                    .as_ref()
                    .err()
                    .map(|e| apply_error("downgrade", e))
                    .unwrap_or_else(|| "downgrade applied".into());
                out.fail(format!(
                    "recorded downgrade_applies={} but: {got}",
                    rec.downgrade
                ));
            }
        }
        Err(_) if rec.downgrade.starts_with("n/a") => out.mark("D:gen-err"),
        Err(e) => out.fail(format!("{}: {e}", down_path.display())),
    }
    let after_down = db.dump(&vt)?;
    let left = after_down.relations();
    if let Some((_, _, why)) = ENGINE_DRIFT
        .iter()
        .find(|(s, e, _)| *s == scen && *e == eng)
    {
        let moved: Vec<String> = out.failures.drain(..).collect();
        for f in moved {
            out.note(format!("(engine drift: {why}) {f}"));
        }
        if left.is_empty() != (rec.empty == "yes") {
            out.note(format!(
                "(engine drift) recorded returns_to_empty={}, tables left now: {left:?}",
                rec.empty
            ));
        }
        out.mark("drift");
        return Ok(());
    }
    out.mark(format!("E{}", yn(left.is_empty())));
    if left.is_empty() != (rec.empty == "yes") {
        out.fail(format!(
            "recorded returns_to_empty={} but tables left: {left:?}",
            rec.empty
        ));
    }
    let others: Vec<String> = after_down
        .exact()
        .into_iter()
        .filter(|l| !left.contains(l))
        .collect();
    if left.is_empty() && !others.is_empty() {
        out.note(format!(
            "left after downgrade (not tables): {}",
            others.join("; ")
        ));
    }
    Ok(())
}

/// Where the engine used here behaves differently from the one the corpus was recorded on
/// (scenario, engine, why): a mismatch there is a note, not a failure.
const ENGINE_DRIFT: [(&str, &str, &str); 1] = [(
    "11_alter_nullable",
    "sqlite",
    "the bundled SQLite (3.5x) accepts ALTER TABLE .. ALTER COLUMN .. SET/DROP NOT NULL; the corpus ran sqlite3 3.40.1, which does not",
)];

fn yn(b: bool) -> &'static str {
    if b {
        "+"
    } else {
        "-"
    }
}

// ---------------------------------------------------------------------------------- ddlc

/// Runs the ddlc binary; Ok(stdout) on exit 0, Err(first stderr lines) otherwise.
fn ddlc(cmd: &str, range: &str, dialect: &str, dir: &Path) -> Result<String, String> {
    // DDLC_ENGINES_DDLC_BIN runs another build (a release build, another worktree's).
    let bin = std::env::var_os("DDLC_ENGINES_DDLC_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_ddlc").into());
    let out = Command::new(bin)
        .args([cmd, range, "--dialect", dialect, "--project"])
        .arg(dir)
        .output()
        .map_err(|e| format!("cannot run ddlc: {e}"))?;
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(4)
        .collect();
    Err(format!(
        "`ddlc {cmd} {range} --dialect {dialect}` exited with {}: {}",
        out.status,
        lines.join("\n")
    ))
}

fn run_ddlc(p: &Project, engines: &[(EngineKind, Avail)], corpus: &Path) -> Vec<Outcome> {
    let mut outs = Vec::new();
    for (dialect, kind) in DIALECTS {
        let mut out = Outcome::new("ddlc", &p.name, dialect);
        if let Some(engine) = ready(engines, kind, &mut out) {
            if let Err(e) = ddlc_one(p, dialect, engine, corpus, &mut out) {
                out.fail(e);
            }
            // ddlc's mysql dialect targets MySQL 8; MariaDB may reject valid MySQL 8 syntax.
            if dialect == "mysql" && !out.failures.is_empty() {
                let moved: Vec<String> = out.failures.drain(..).collect();
                for f in moved {
                    out.note(format!("(mysql dialect on MariaDB, not counted) {f}"));
                }
                out.mark("(see notes)");
            }
        }
        outs.push(out);
    }
    outs
}

fn ddlc_one(
    p: &Project,
    dialect: &str,
    engine: &Engine,
    corpus: &Path,
    out: &mut Outcome,
) -> Result<(), String> {
    let label = format!(
        "{}_{}",
        dialect.chars().take(2).collect::<String>(),
        db_label(&p.name)
    );
    let extra = p.needs_extra();
    let vt = &p.version_table;

    // a. base:head on a fresh database.
    let up = match ddlc("upgrade", "base:head", dialect, &p.dir) {
        Ok(s) => s,
        Err(e) => {
            out.mark("A-");
            out.fail(e);
            return Ok(());
        }
    };
    let mut db = engine.fresh(&label, extra)?;
    if let Err(e) = db.apply(&up) {
        out.mark("A-");
        out.fail(apply_error("base:head does not apply", &e));
        return Ok(());
    }
    let head = db.dump(vt)?;
    let before = out.failures.len();
    check_versions(&mut db, p, p.order.len(), "after upgrade base:head", out);
    out.mark(if out.failures.len() == before {
        "A+"
    } else {
        "A-"
    });

    // c. head:base leaves no user objects (the version table may stay).
    match ddlc("downgrade", "head:base", dialect, &p.dir) {
        Err(e) => {
            out.mark("D-");
            out.fail(e);
        }
        Ok(down) => match db.apply(&down) {
            Err(e) => {
                out.mark("D-");
                out.fail(apply_error("head:base does not apply", &e));
            }
            Ok(()) => {
                let left = db.dump(vt)?.exact();
                check_versions(&mut db, p, 0, "after downgrade head:base", out);
                out.mark(format!("D{}", yn(left.is_empty())));
                if !left.is_empty() {
                    out.fail(format!("left after head:base:\n{}", left.join("\n")));
                }
            }
        },
    }
    // Only one database per test at a time: MariaDB's shared `extra` is held by a lock.
    drop(db);

    // b. step by step, each step undone and redone.
    let stepped = round_trips(p, dialect, engine, &label, out)?;
    if let Some(last) = &stepped {
        let d = dump::diff(&head.exact(), &last.exact());
        if !d.is_empty() {
            out.fail(format!(
                "step-by-step head differs from base:head (- base:head, + stepped):\n{}",
                d.join("\n")
            ));
        }
    }
    out.mark(format!("R{}", yn(stepped.is_some())));

    // d. corpus scenarios: same schema as Alembic's on this engine.
    if let Some(expect) = &p.expect {
        compare_with_alembic(p, expect, engine, &head, corpus, &label, out)?;
    }
    Ok(())
}

/// The version table must hold the heads of the first `n` revisions (none: empty or absent).
fn check_versions(db: &mut TestDb<'_>, p: &Project, n: usize, when: &str, out: &mut Outcome) {
    let want = p.heads(n);
    match db.version_rows(p.version_schema.as_deref(), &p.version_table) {
        Some(rows) if rows == want => {}
        None if want.is_empty() => {}
        Some(rows) => out.fail(format!(
            "{when}: version table holds {rows:?}, expected {want:?}"
        )),
        None => out.fail(format!(
            "{when}: no version table `{}`, expected rows {want:?}",
            p.version_table
        )),
    }
}

/// The range start for stepping onto `order[i]`: its parent, base, or for a merge the
/// revision before it (as Alembic's `upgrade t32b1:t32m`).
fn step_from(order: &[project::Revision], i: usize) -> String {
    let Some(rev) = order.get(i) else {
        return "base".into();
    };
    match rev.parents.as_slice() {
        [] => "base".into(),
        [one] => one.clone(),
        _ => i
            .checked_sub(1)
            .and_then(|j| order.get(j))
            .map(|r| r.id.clone())
            .unwrap_or_else(|| "base".into()),
    }
}

/// Steps through the revisions; Some(final dump) when every step round-tripped.
fn round_trips(
    p: &Project,
    dialect: &str,
    engine: &Engine,
    label: &str,
    out: &mut Outcome,
) -> Result<Option<Dump>, String> {
    let mut db = engine.fresh(&format!("{label}_s"), p.needs_extra())?;
    let vt = &p.version_table;
    let mut prev = db.dump(vt)?;
    // Version rows are only predictable step by step on a linear history: elsewhere a
    // range like `core:b1` starts from a state the database is not in.
    let linear = p.is_linear();
    for (i, rev) in p.order.iter().enumerate() {
        let from = step_from(&p.order, i);
        let up_range = format!("{from}:{}", rev.id);
        let down_range = format!("{}:{from}", rev.id);
        let step = |db: &mut TestDb<'_>, cmd: &str, range: &str| -> Result<Dump, String> {
            let sql = ddlc(cmd, range, dialect, &p.dir)?;
            db.apply(&sql)
                .map_err(|e| apply_error(&format!("{cmd} {range} does not apply"), &e))?;
            db.dump(vt)
        };
        let mut result = (|| -> Result<(), String> {
            let s_i = step(&mut db, "upgrade", &up_range)?;
            if linear {
                check_versions(&mut db, p, i + 1, &format!("after upgrade {up_range}"), out);
            }
            let back = step(&mut db, "downgrade", &down_range)?;
            if linear {
                check_versions(&mut db, p, i, &format!("after downgrade {down_range}"), out);
            }
            let d = dump::diff(&prev.exact(), &back.exact());
            if !d.is_empty() {
                return Err(format!("after downgrade {down_range} the schema differs from before (- before, + after):\n{}", d.join("\n")));
            }
            let again = step(&mut db, "upgrade", &up_range)?;
            let d = dump::diff(&s_i.exact(), &again.exact());
            if !d.is_empty() {
                return Err(format!(
                    "re-applying upgrade {up_range} gives another schema (- first, + again):\n{}",
                    d.join("\n")
                ));
            }
            prev = again;
            Ok(())
        })();
        if result.is_ok() && !out.failures.is_empty() {
            result = Err("version table wrong (see above)".into());
        }
        if let Err(e) = result {
            out.fail(format!("step {} ({}): {e}", i + 1, rev.id));
            return Ok(None);
        }
    }
    Ok(Some(prev))
}

fn compare_with_alembic(
    p: &Project,
    expect: &project::Expect,
    engine: &Engine,
    head: &Dump,
    corpus: &Path,
    label: &str,
    out: &mut Outcome,
) -> Result<(), String> {
    let eng = engine.kind().corpus_name();
    let listed: Vec<&project::Difference> = expect
        .differences
        .iter()
        .filter(|d| d.engine == eng)
        .collect();
    if !expect.alembic_applies.iter().any(|e| e == eng) {
        out.mark("=.");
        if expect.ddlc_must_also_apply.iter().any(|e| e == eng) {
            out.note("applies where Alembic's script did not (expect.toml ddlc_must_also_apply)");
        }
        return Ok(());
    }
    if listed.iter().any(|d| d.what == "whole schema") {
        out.mark("=~");
        return Ok(());
    }
    let path = corpus.join(&p.name).join(format!("{eng}.upgrade.sql"));
    let script = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut db = engine.fresh(&format!("{label}_al"), p.needs_extra())?;
    if let Err(e) = db.apply(&script) {
        out.mark("=.");
        out.fail(apply_error(
            "expect.toml says Alembic's upgrade applies, but",
            &e,
        ));
        return Ok(());
    }
    let theirs = db.dump(&project::corpus_version_table(corpus, &p.name))?;
    let d = dump::diff(&theirs.nameless(), &head.nameless());
    match (d.is_empty(), listed.is_empty()) {
        (true, true) => out.mark("=+"),
        (true, false) => {
            out.mark("=+");
            let whats: Vec<&str> = listed.iter().map(|d| d.what.as_str()).collect();
            out.note(format!(
                "listed differences not visible name-insensitively: {}",
                whats.join("; ")
            ));
        }
        (false, true) => {
            out.mark("=-");
            out.fail(format!(
                "schema differs from Alembic's (- Alembic, + ddlc):\n{}",
                d.join("\n")
            ));
        }
        (false, false) => {
            out.mark("=~");
            let whats: Vec<String> = listed
                .iter()
                .map(|d| format!("{} ({})", d.what, d.reason))
                .collect();
            out.note(format!(
                "differs from Alembic's as listed [{}]:\n{}",
                whats.join("; "),
                d.join("\n")
            ));
        }
    }
    Ok(())
}

// ----------------------------------------------------------------------------- self-checks

/// Checks of the harness's own pure pieces, reported like any other test.
fn self_check() -> Vec<Outcome> {
    let mut o = Outcome::new("self", "pure helpers", "-");
    let mut check = |ok: bool, what: &str| {
        if !ok {
            o.fail(what.to_string());
        }
    };
    let stmts = engine::split_statements(
        "CREATE TABLE a (x TEXT DEFAULT 'a;b'); -- c;\nINSERT INTO a VALUES (';');\n",
    );
    check(
        stmts.len() == 2,
        "split_statements keeps `;` inside quotes and comments",
    );
    let script = "BEGIN;\n\nCREATE TABLE t (\n  id INT\n);\n\nCOMMIT;\n";
    check(
        engine::statement_at(script, 4) == "CREATE TABLE t ( id INT );",
        "statement_at finds the statement around a line",
    );
    check(
        dump::normalize_expr("((a > 0) AND (b > 0))") == "(a > 0) AND (b > 0)",
        "normalize_expr strips only wrapping parens",
    );
    check(
        dump::normalize_expr("(a) + (b)") == "(a) + (b)",
        "normalize_expr keeps non-wrapping parens",
    );
    let a = vec!["x".to_string(), "y".to_string()];
    let b = vec!["y".to_string(), "z".to_string()];
    check(
        dump::diff(&a, &b) == vec!["- x".to_string(), "+ z".to_string()],
        "diff lists lines on one side only",
    );
    let rev = |id: &str, parents: &[&str], file: &str| project::Revision {
        id: id.into(),
        parents: parents.iter().map(|s| s.to_string()).collect(),
        file: file.into(),
    };
    let order = project::topo_order(vec![
        rev("m", &["a2", "b1"], "0_m.mig"),
        rev("b1", &["core"], "b1.mig"),
        rev("a2", &["a1"], "a2.mig"),
        rev("a1", &["core"], "a1.mig"),
        rev("core", &[], "z_core.mig"),
    ]);
    let ids: Vec<String> = order
        .as_ref()
        .map(|o| o.iter().map(|r| r.id.clone()).collect())
        .unwrap_or_default();
    check(
        ids == ["core", "a1", "a2", "b1", "m"],
        "topo_order: parents first, ties by file name",
    );
    if let Ok(order) = &order {
        let froms: Vec<String> = (0..order.len()).map(|i| step_from(order, i)).collect();
        check(
            froms == ["base", "core", "a1", "core", "b1"],
            "step_from: parent, base, previous for a merge",
        );
    }
    let hdr = project::parse_header("revision \"m\"\nrevises  (\"a\", \"b\")\n", "m.mig");
    check(
        hdr.map(|r| r.parents) == Ok(vec!["a".into(), "b".into()]),
        "parse_header reads a merge",
    );
    let name = engine::unique_db_name(&"X".repeat(100));
    check(
        name.len() <= 63 && name == name.to_lowercase(),
        "database names are short and lower-case",
    );
    vec![o]
}

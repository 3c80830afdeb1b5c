//! The engine suite: applies scripts to real PostgreSQL, MariaDB and SQLite databases.
//! Part "alembic" replays the Alembic corpus's own scripts to prove the harness (applies as
//! recorded, returns to empty as recorded); part "ddlc" runs the ddlc binary on the example,
//! the corpus scenarios and the per-op fixtures (full upgrade, downgrade to empty,
//! step-by-step round trips, same schema as Alembic's, refusals expect.toml asks for).
//! Options (env): DDLC_ENGINES_FILTER=substring (or the first argument), DDLC_ENGINES_PARTS=
//! alembic,ddlc, DDLC_ENGINES_SHOW_DUMPS=1 (print normalised dumps of the corpus schemas),
//! DDLC_ENGINES_DDLC_BIN=path (run another ddlc build), DDLC_ENGINES_PROJECTS=dir (scenario
//! projects instead of tests/corpus), DDLC_ALEMBIC_CORPUS=dir.

mod dump;
mod engine;
mod project;
mod report;
mod snapshot;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

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
    // Kept alive until the end: holds the pinned copy of the ddlc binary.
    let bin_dir = tempfile::Builder::new()
        .prefix("ddlc_engines_bin_")
        .tempdir();
    if let Err(e) = bin_dir
        .as_ref()
        .map_err(|e| e.to_string())
        .and_then(|d| pin_ddlc_binary(d.path()))
    {
        warnings.push(format!(
            "running the ddlc binary in place (not pinned): {e}"
        ));
    }
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

    let ddlc_legend = "A = base:head applies, D = head:base leaves nothing, R = step-by-step \
                       up/down/up round trips, S = `ddlc schema head` on an empty database gives \
                       base:head's schema (S@REV: at REV, against base:REV), = same schema as Alembic's (+ yes, - no, ~ listed \
                       difference, . not compared), rejected = refused as expect.toml's ddlc_rejects says";
    let legend = [
        ("self", "Harness self-checks".to_string()),
        (
            "alembic",
            "Alembic corpus replayed (U/D = upgrade/downgrade applied as recorded, E = returned to empty as recorded)".to_string(),
        ),
        ("example", format!("ddlc: the example project ({ddlc_legend})")),
        ("corpus", format!("ddlc: corpus scenarios ({ddlc_legend})")),
        (
            "ops",
            format!("ddlc: per-op fixtures, derived downgrades round-tripped ({ddlc_legend})"),
        ),
    ];
    let legend: Vec<(&str, &str)> = legend.iter().map(|(p, t)| (*p, t.as_str())).collect();
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
    let vt = project::corpus_version_table(corpus, scen)?;
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

fn yn(b: bool) -> &'static str {
    if b {
        "+"
    } else {
        "-"
    }
}

// ---------------------------------------------------------------------------------- ddlc

/// The ddlc binary under test: a private copy made at start, because the shared target
/// directory's binary can be replaced by another build while the suite runs.
static DDLC_BIN: OnceLock<PathBuf> = OnceLock::new();

/// Copies the binary (DDLC_ENGINES_DDLC_BIN or cargo's) into `dir` and remembers the copy.
fn pin_ddlc_binary(dir: &Path) -> Result<(), String> {
    let bin: PathBuf = std::env::var_os("DDLC_ENGINES_DDLC_BIN")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_ddlc").into())
        .into();
    let copy = dir.join("ddlc");
    std::fs::copy(&bin, &copy).map_err(|e| format!("cannot copy {}: {e}", bin.display()))?;
    let _ = DDLC_BIN.set(copy);
    Ok(())
}

/// What one ddlc run printed.
struct Ran {
    /// Exit code (None: killed by a signal).
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn ddlc_raw(cmd: &str, range: &str, dialect: &str, dir: &Path) -> Result<Ran, String> {
    let bin = DDLC_BIN
        .get()
        .cloned()
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_ddlc").into());
    let out = Command::new(bin)
        .args([cmd, range, "--dialect", dialect, "--project"])
        .arg(dir)
        .output()
        .map_err(|e| format!("cannot run ddlc: {e}"))?;
    Ok(Ran {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

/// The first non-blank lines of ddlc's stderr.
fn stderr_head(stderr: &str, n: usize) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(n)
        .collect();
    lines.join("\n")
}

/// Runs ddlc; Ok(stdout) on exit 0, Err(first stderr lines) otherwise.
fn ddlc(cmd: &str, range: &str, dialect: &str, dir: &Path) -> Result<String, String> {
    let ran = ddlc_raw(cmd, range, dialect, dir)?;
    if ran.code == Some(0) {
        return Ok(ran.stdout);
    }
    Err(format!(
        "`ddlc {cmd} {range} --dialect {dialect}` exited with {:?}: {}",
        ran.code,
        stderr_head(&ran.stderr, 4)
    ))
}

/// Failures of the mysql dialect on MariaDB explained by MySQL 8 syntax MariaDB lacks
/// (needle in the failure text, why); anything else there is reported as surprising.
const MYSQL8_ONLY: [(&str, &str); 3] = [
    (
        "DROP CHECK",
        "MySQL 8 drops a CHECK with DROP CHECK; MariaDB only has DROP CONSTRAINT",
    ),
    (
        "((",
        "functional key parts `((expr))` are MySQL 8.0.13+; MariaDB has none",
    ),
    (
        "INVISIBLE",
        "invisible indexes are MySQL 8; MariaDB 10.6+ calls them IGNORED",
    ),
];

fn run_ddlc(p: &Project, engines: &[(EngineKind, Avail)], corpus: &Path) -> Vec<Outcome> {
    let mut outs: Vec<Outcome> = Vec::new();
    for (dialect, kind) in DIALECTS {
        let mut out = Outcome::new(p.kind.part(), &p.name, dialect);
        // expect.toml's `mysql` is the MariaDB server: the mariadb dialect must be refused
        // there; the mysql dialect (MySQL 8 may support it) runs as a note if it compiles.
        let must_reject = p.rejects(kind.corpus_name());
        if must_reject && p.applies(kind.corpus_name()) {
            out.fail("expect.toml lists this engine in both ddlc_applies and ddlc_rejects");
        }
        let rejected = must_reject && check_rejected(p, dialect, &mut out);
        // Run the scripts unless ddlc refused, or had to refuse and did not (a failure).
        let run = !rejected && (!must_reject || dialect == "mysql");
        if run {
            if let Some(engine) = ready(engines, kind, &mut out) {
                if let Err(e) = ddlc_one(p, dialect, engine, corpus, &mut out) {
                    out.fail(e);
                }
            }
        }
        if dialect == "mysql" {
            let mariadb_failed = outs
                .iter()
                .any(|o| o.column == "mariadb" && !o.failures.is_empty());
            mysql_notes(&mut out, mariadb_failed);
        }
        outs.push(out);
    }
    outs
}

/// ddlc's mysql dialect targets MySQL 8, so on MariaDB its failures are notes, each marked
/// expected (MySQL 8 syntax; or the mariadb dialect fails too, counted there) or surprising.
fn mysql_notes(out: &mut Outcome, mariadb_failed: bool) {
    if out.failures.is_empty() {
        return;
    }
    let moved: Vec<String> = out.failures.drain(..).collect();
    for f in moved {
        let known = MYSQL8_ONLY.iter().find(|(needle, _)| f.contains(needle));
        // A located refusal by the mysql dialect is ddlc declining a feature MySQL 8 lacks
        // (sequences, CREATE INDEX IF NOT EXISTS) that MariaDB has.
        let refused = f.contains("error[unsupported-") && f.contains("-->");
        let why = match (known, mariadb_failed) {
            (Some((_, why)), _) => Some(format!("MySQL 8 syntax: {why}")),
            (None, false) if refused => Some(
                "ddlc refuses for MySQL 8, with a located diagnostic, a feature MariaDB has"
                    .to_string(),
            ),
            (None, true) => Some("the mariadb dialect fails too, counted there".to_string()),
            (None, false) => None,
        };
        match why {
            Some(why) => {
                out.expected_notes += 1;
                out.note(format!("{}: {why}) {f}", report::EXPECTED));
            }
            None => {
                out.surprising_notes += 1;
                out.note(format!(
                    "{}: the mariadb dialect passes) {f}",
                    report::SURPRISING
                ));
            }
        }
    }
    out.mark("(see notes)");
}

/// expect.toml ddlc_rejects: `upgrade base:head` must exit 1 with a located `error[...]`
/// (a `-->` line) on stderr and nothing on stdout. Returns whether it was refused.
fn check_rejected(p: &Project, dialect: &str, out: &mut Outcome) -> bool {
    let ran = match ddlc_raw("upgrade", "base:head", dialect, &p.dir) {
        Ok(r) => r,
        Err(e) => {
            out.rejected = Some(false);
            out.fail(e);
            return false;
        }
    };
    if ran.code == Some(0) {
        if dialect == "mysql" {
            out.note("compiles for MySQL 8 what the mariadb dialect must refuse; run as a note");
            return false;
        }
        out.rejected = Some(false);
        out.mark("compiled");
        out.fail(format!(
            "expect.toml ddlc_rejects lists this engine, but `ddlc upgrade base:head --dialect {dialect}` compiled"
        ));
        return false;
    }
    let located = ran.stderr.contains("error[") && ran.stderr.contains("-->");
    let ok = ran.code == Some(1) && located && ran.stdout.trim().is_empty();
    out.rejected = Some(ok);
    out.mark(if ok { "rejected" } else { "rejected-badly" });
    if ok {
        if let Some(first) = ran.stderr.lines().find(|l| l.starts_with("error[")) {
            out.note(format!("rejected as expected: {first}"));
        }
    } else {
        out.fail(format!(
            "refusal must exit 1 with a located `error[...]` / `-->` on stderr and nothing on \
             stdout; got exit {:?}, {} bytes of stdout, stderr:\n{}",
            ran.code,
            ran.stdout.len(),
            stderr_head(&ran.stderr, 4)
        ));
    }
    true
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
    expect_versions(&mut db, p, &p.heads(), "after upgrade base:head", out);
    out.applied = out.failures.len() == before;
    out.mark(if out.applied { "A+" } else { "A-" });

    // e. `ddlc schema` on an empty database: base:head's schema, and for the
    // example also at a revision below the head (past its `execute` view, on
    // the shipping branch, whose `depends_on` brings the loyalty table along).
    snapshot::check(p, dialect, engine, &label, "head", &head, out)?;
    if p.kind == project::Kind::Example {
        let rev = "b5d9e2a7c3f1";
        match ddlc("upgrade", &format!("base:{rev}"), dialect, &p.dir) {
            Err(e) => out.fail(e),
            Ok(up) => {
                let mut mid = engine.fresh(&format!("{label}_mid"), extra)?;
                match mid.apply(&up) {
                    Err(e) => out.fail(apply_error(&format!("base:{rev} does not apply"), &e)),
                    Ok(()) => {
                        let upgraded = mid.dump(vt)?;
                        drop(mid);
                        snapshot::check(p, dialect, engine, &label, rev, &upgraded, out)?;
                    }
                }
            }
        }
    }

    // c. head:base leaves no user objects (the version table may stay).
    let mut emptied = false;
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
                expect_versions(&mut db, p, &[], "after downgrade head:base", out);
                out.mark(format!("D{}", yn(left.is_empty())));
                emptied = left.is_empty();
                if !left.is_empty() {
                    out.fail(format!("left after head:base:\n{}", left.join("\n")));
                }
            }
        },
    }

    // b. step by step, each step undone and redone: on the emptied database (which also
    // proves that base:head applies again after head:base), else on a fresh one.
    if !emptied {
        drop(db);
        db = engine.fresh(&format!("{label}_s"), extra)?;
    }
    let stepped = round_trips(p, dialect, &mut db, engine.kind(), out)?;
    drop(db);
    if let Some(last) = &stepped {
        compare(
            &head,
            last,
            engine.kind(),
            "step-by-step head vs base:head (- base:head, + stepped)",
            out,
        )
        .unwrap_or_else(|e| out.fail(e));
    }
    out.round_tripped = stepped.is_some() && out.failures.is_empty();
    out.mark(format!("R{}", yn(out.round_tripped)));

    // d. corpus scenarios: same schema as Alembic's on this engine.
    if p.kind == project::Kind::Corpus {
        if let Some(expect) = &p.expect {
            compare_with_alembic(p, expect, engine, &head, corpus, &label, out)?;
        }
    }
    Ok(())
}

/// Compares two dumps by column name; a column order difference alone is a note on
/// PostgreSQL and SQLite (they cannot add a column at a position, so a derived downgrade
/// of drop_column re-adds it last, as Alembic's does) and a failure on MariaDB (ddlc
/// places columns with AFTER there).
fn compare(
    a: &Dump,
    b: &Dump,
    kind: EngineKind,
    what: &str,
    out: &mut Outcome,
) -> Result<(), String> {
    let d = dump::diff(&a.by_name(), &b.by_name());
    if !d.is_empty() {
        return Err(format!("{what}:\n{}", d.join("\n")));
    }
    let d = dump::diff(&a.column_orders(), &b.column_orders());
    if d.is_empty() {
        return Ok(());
    }
    let msg = format!("{what}: column order differs:\n{}", d.join("\n"));
    if kind == EngineKind::Mariadb {
        Err(format!(
            "{msg}\n(MariaDB can place a column with AFTER/FIRST)"
        ))
    } else {
        out.note(format!(
            "{msg}\n(expected: {} cannot add a column at a position)",
            kind.corpus_name()
        ));
        Ok(())
    }
}

/// The version table must hold exactly `want` (empty: no rows, or no table).
fn expect_versions(
    db: &mut TestDb<'_>,
    p: &Project,
    want: &[String],
    when: &str,
    out: &mut Outcome,
) {
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

/// Steps through [`project::step_plan`] on `db` (empty apart from a version table):
/// `upgrade from:to`, `downgrade to:from` (schema as before, version rows [from]), `upgrade
/// from:to` again (schema as the first time, version rows [to]). Some(final dump) when every
/// step round-tripped and the walk reached every revision.
fn round_trips(
    p: &Project,
    dialect: &str,
    db: &mut TestDb<'_>,
    kind: EngineKind,
    out: &mut Outcome,
) -> Result<Option<Dump>, String> {
    let vt = &p.version_table;
    let mut prev = db.dump(vt)?;
    let (steps, unreached) = project::step_plan(&p.graph);
    for (i, st) in steps.iter().enumerate() {
        let up_range = format!("{}:{}", st.from, st.to);
        let down_range = format!("{}:{}", st.to, st.from);
        let at_from: Vec<String> = if st.from == "base" {
            Vec::new()
        } else {
            vec![st.from.clone()]
        };
        let at_to = vec![st.to.clone()];
        let failures_before = out.failures.len();
        let step = |db: &mut TestDb<'_>, cmd: &str, range: &str| -> Result<Dump, String> {
            let sql = ddlc(cmd, range, dialect, &p.dir)?;
            db.apply(&sql)
                .map_err(|e| apply_error(&format!("{cmd} {range} does not apply"), &e))?;
            db.dump(vt)
        };
        let result = (|| -> Result<(), String> {
            let s_i = step(db, "upgrade", &up_range)?;
            expect_versions(db, p, &at_to, &format!("after upgrade {up_range}"), out);
            let back = step(db, "downgrade", &down_range)?;
            expect_versions(
                db,
                p,
                &at_from,
                &format!("after downgrade {down_range}"),
                out,
            );
            compare(
                &prev,
                &back,
                kind,
                &format!("after downgrade {down_range} the schema differs from before (- before, + after)"),
                out,
            )?;
            let again = step(db, "upgrade", &up_range)?;
            expect_versions(db, p, &at_to, &format!("after re-upgrade {up_range}"), out);
            compare(
                &s_i,
                &again,
                kind,
                &format!("re-applying upgrade {up_range} gives another schema (- first, + again)"),
                out,
            )?;
            prev = again;
            Ok(())
        })();
        let result = match result {
            Ok(()) if out.failures.len() > failures_before => {
                Err("version table wrong (see above)".to_string())
            }
            r => r,
        };
        if let Err(e) = result {
            let applies = if st.applies.len() > 1 {
                format!(", applying {}", st.applies.join(", "))
            } else {
                String::new()
            };
            out.fail(format!("step {} ({up_range}{applies}): {e}", i + 1));
            return Ok(None);
        }
    }
    if !unreached.is_empty() {
        out.note(format!(
            "not stepped (no single-head walk reaches them): {}",
            unreached.join(", ")
        ));
        return Ok(None);
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
        out.alembic_equal = Some(true);
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
    let theirs = db.dump(&project::corpus_version_table(corpus, &p.name)?)?;
    let d = dump::diff(&theirs.nameless(), &head.nameless());
    out.alembic_equal = Some(d.is_empty() || !listed.is_empty());
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
        dump::normalize_index_body("((lower(title)), b DESC) WHERE (x > 0)")
            == "(lower(title), b DESC) WHERE (x > 0)",
        "normalize_index_body strips parens per element, keeps the predicate",
    );
    check(
        dump::normalize_index_body("(f(a, ')'), b)") == "(f(a, ')'), b)",
        "normalize_index_body keeps calls and quoted parens",
    );
    check(
        dump::diff(&a, &b) == vec!["- x".to_string(), "+ z".to_string()],
        "diff lists lines on one side only",
    );
    let line = |t: &str| dump::Line {
        exact: t.to_string(),
        nameless: t.to_string(),
    };
    let ab = Dump {
        lines: vec![
            line("column t #1 a int null"),
            line("column t #2 b int null"),
        ],
    };
    let ba = Dump {
        lines: vec![
            line("column t #2 a int null"),
            line("column t #1 b int null"),
        ],
    };
    check(
        ab.by_name() == ba.by_name() && ab.column_orders() != ba.column_orders(),
        "by_name ignores column positions, column_orders sees them",
    );
    let rows = "index\tdb\tc\tfk_c\t1\t1\tpid\t\tBTREE\tA\n\
                index\tdb\tc\tix_c\t1\t1\tpid\t\tBTREE\tA\n\
                fk\tdb\tc\tfk_c\t1\tpid\tdb\tp\tid\tRESTRICT\tRESTRICT\n";
    let my = dump::mariadb(rows, "db", "", "alembic_version").exact();
    check(
        my.iter().filter(|l| l.starts_with("index c ")).count() == 1
            && my.iter().any(|l| l.starts_with("index c ix_c ")),
        "mariadb dump leaves out a foreign key's backing index covered by a user index",
    );
    match step_plan_checks() {
        Ok(fails) => fails.iter().for_each(|f| check(false, f)),
        Err(e) => check(
            false,
            &format!("step_plan: cannot load its test graphs: {e}"),
        ),
    }
    let name = engine::unique_db_name(&"X".repeat(100));
    check(
        name.len() <= 63 && name == name.to_lowercase(),
        "database names are short and lower-case",
    );
    vec![o]
}

/// The stepping plan on graphs ddlc loads from `.mig` files: the failed checks' names.
fn step_plan_checks() -> Result<Vec<&'static str>, String> {
    let mut fails = Vec::new();
    // File names sort differently from the ids, so ties show they go by file order.
    let merged = step_graph(&[
        ("0_m", "m", "(\"a2\", \"b1\")"),
        ("b1", "b1", "\"core\""),
        ("a2", "a2", "\"a1\""),
        ("a1", "a1", "\"core\""),
        ("z_core", "core", "base"),
    ])?;
    let (steps, left) = project::step_plan(&merged);
    let shown: Vec<String> = steps
        .iter()
        .map(|s| format!("{}:{}={}", s.from, s.to, s.applies.join("+")))
        .collect();
    if shown != ["base:core=core", "core:a1=a1", "a1:a2=a2", "a2:m=b1+m"] || !left.is_empty() {
        fails.push("step_plan: first branch stepwise, then its head to the merge");
    }
    let forked = step_graph(&[
        ("a", "core", "base"),
        ("b", "x", "\"core\""),
        ("c", "y", "\"core\""),
    ])?;
    if project::step_plan(&forked).1 != ["y"] {
        fails.push("step_plan: an unmerged second head is reported as not stepped");
    }
    Ok(fails)
}

/// The graph of a project made of empty revisions (file stem, id, `revises` clause).
fn step_graph(revisions: &[(&str, &str, &str)]) -> Result<ddlc::graph::Graph, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let root = camino::Utf8Path::from_path(dir.path()).ok_or("temp dir is not UTF-8")?;
    let versions = root.join("versions");
    std::fs::create_dir(&versions).map_err(|e| e.to_string())?;
    for (file, id, revises) in revisions {
        let text = format!(
            "revision \"{id}\"\nrevises {revises}\nmessage \"{id}\"\nupgrade {{ }}\ndowngrade {{ }}\n"
        );
        std::fs::write(versions.join(format!("{file}.mig")), text).map_err(|e| e.to_string())?;
    }
    std::fs::write(root.join("ddlc.toml"), "[project]\nmigrations = \".\"\n")
        .map_err(|e| e.to_string())?;
    let config = ddlc::config::Config::discover(Some(root), root).map_err(|e| e.to_string())?;
    project::load_graph(&config)
}

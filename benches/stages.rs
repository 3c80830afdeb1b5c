//! In-process benchmarks of the compile's stages on a generated history (the
//! revisions of `bench/compare.sh`: a table of three columns, an added column
//! and an index each), so that a regression shows in the stage it is in.
//!
//!   cargo bench --bench stages            (DDLC_BENCH_REVISIONS=N, default 1000)
//!
//! Whole-process figures (and Alembic's) come from `bench/compare.sh`.

use camino::{Utf8Path, Utf8PathBuf};
use ddlc::compile::{compile, Request};
use ddlc::config::Config;
use ddlc::diag::Diagnostics;
use ddlc::dialect::Dialect;
use ddlc::graph::Direction;
use ddlc::project::Project;
use ddlc::source::SourceMap;
use std::sync::OnceLock;

fn main() {
    divan::main();
}

/// The generated project, made once per run of the benchmarks.
fn project_dir() -> &'static Utf8Path {
    static DIR: OnceLock<(tempfile::TempDir, Utf8PathBuf)> = OnceLock::new();
    let (_, path) = DIR.get_or_init(|| {
        let n: usize = std::env::var("DDLC_BENCH_REVISIONS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(1000);
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = Utf8PathBuf::from_path_buf(dir.path().to_path_buf()).expect("a UTF-8 path");
        let versions = root.join("migrations/versions");
        std::fs::create_dir_all(&versions).expect("the versions folder");
        for i in 1..=n {
            let parent = match i {
                1 => "base".to_string(),
                _ => format!("\"{:012x}\"", i - 1),
            };
            let text = format!(
                "revision \"{i:012x}\"\nrevises  {parent}\nmessage  \"step {i}\"\n\nupgrade {{\n    create_table t{i} {{\n        id     : integer primary_key autoincrement\n        name   : string(100) not_null\n        status : string(20) not_null default 'new'\n    }}\n    add_column t{i}.note : text\n    create_index ix_t{i}_name on t{i} (name)\n}}\n\ndowngrade auto\n"
            );
            std::fs::write(versions.join(format!("{i:012x}_step_{i}.mig")), text)
                .expect("a revision file");
        }
        (dir, root)
    });
    path
}

fn load() -> Project {
    let config = Config::defaults(project_dir().to_path_buf());
    let mut sources = SourceMap::new();
    let graph = Project::load(&config, &mut sources, &mut Diagnostics::new())
        .expect("the generated project loads");
    Project { sources, graph }
}

/// Reading, parsing, resolving and linking every revision.
#[divan::bench(sample_count = 10)]
fn front_end() -> Project {
    load()
}

/// Replaying, lowering and rendering the whole history, per dialect.
#[divan::bench(sample_count = 10, args = [Dialect::PostgreSql, Dialect::Sqlite, Dialect::MsSql])]
fn upgrade_base_to_head(bencher: divan::Bencher, dialect: Dialect) {
    let project = load();
    let config = Config::defaults(project_dir().to_path_buf());
    bencher.bench_local(|| script(&project, &config, Direction::Upgrade, "base:head", dialect));
}

/// The newest revision only: the schema replayed, one step lowered.
#[divan::bench(sample_count = 10)]
fn upgrade_newest(bencher: divan::Bencher) {
    let project = load();
    let config = Config::defaults(project_dir().to_path_buf());
    bencher.bench_local(|| {
        script(
            &project,
            &config,
            Direction::Upgrade,
            "head-1:head",
            Dialect::PostgreSql,
        )
    });
}

/// The whole history undone (`downgrade auto` derived for every revision).
#[divan::bench(sample_count = 10)]
fn downgrade_head_to_base(bencher: divan::Bencher) {
    let project = load();
    let config = Config::defaults(project_dir().to_path_buf());
    bencher.bench_local(|| {
        script(
            &project,
            &config,
            Direction::Downgrade,
            "head:base",
            Dialect::PostgreSql,
        )
    });
}

fn script(
    project: &Project,
    config: &Config,
    direction: Direction,
    range: &str,
    dialect: Dialect,
) -> String {
    let request = Request {
        direction,
        range: range.into(),
        dialect,
        templates: None,
    };
    compile(project, config, &request, &mut Diagnostics::new()).expect("the project compiles")
}

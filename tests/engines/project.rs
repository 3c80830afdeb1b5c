//! Finding projects (the repository's example, tests/corpus/<scenario>/ and the per-op
//! fixtures tests/fixtures/ops/<case>/), loading each with ddlc's own loader (its
//! configuration and revision graph, as the binary under test reads them), a stepping plan
//! over that graph, expect.toml, and the Alembic corpus's recorded expectations
//! (exec_results.json, scenario.json).

use std::path::{Path, PathBuf};

use camino::Utf8Path;
use ddlc::config::Config;
use ddlc::diag::{render, Diagnostics, Failure, Style};
use ddlc::graph::Graph;
use ddlc::source::SourceMap;

/// A listed difference between ddlc's schema and Alembic's on one engine.
#[derive(Clone, Debug)]
pub struct Difference {
    /// Corpus engine name.
    pub engine: String,
    /// What differs.
    pub what: String,
    /// Why that is right.
    pub reason: String,
}

/// Which kind of project, each reported in its own table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The repository's own example project.
    Example,
    /// A tests/corpus scenario, compared with Alembic's schema.
    Corpus,
    /// A tests/fixtures/ops case: one op on a base, no Alembic comparison.
    Op,
}

impl Kind {
    /// The report part holding this kind's table.
    pub fn part(self) -> &'static str {
        match self {
            Kind::Example => "example",
            Kind::Corpus => "corpus",
            Kind::Op => "ops",
        }
    }
}

/// A ddlc project to run.
#[derive(Clone, Debug)]
pub struct Project {
    /// Report name: `example`, the scenario or the op case folder name.
    pub name: String,
    /// Example, corpus scenario or op fixture.
    pub kind: Kind,
    /// The folder holding ddlc.toml.
    pub dir: PathBuf,
    /// Version table name (ddlc.toml `[version_table] name`, default alembic_version).
    pub version_table: String,
    /// Version table schema (ddlc.toml `[version_table] schema`), None for the default.
    pub version_schema: Option<String>,
    /// The revisions as ddlc links them; [`Graph::topo_order`] is the order steps walk.
    pub graph: Graph,
    /// expect.toml (corpus scenarios and op fixtures).
    pub expect: Option<Expect>,
}

/// tests/corpus/<scenario>/expect.toml.
#[derive(Clone, Debug, Default)]
pub struct Expect {
    /// Engines where Alembic's upgrade applied.
    pub alembic_applies: Vec<String>,
    /// Engines where ddlc must apply although Alembic did not.
    pub ddlc_must_also_apply: Vec<String>,
    /// Engines where ddlc's scripts must apply (informative: unlisted engines run too).
    pub ddlc_applies: Vec<String>,
    /// Engines where ddlc must refuse to compile with a located diagnostic.
    pub ddlc_rejects: Vec<String>,
    /// Accepted schema differences.
    pub differences: Vec<Difference>,
}

impl Project {
    /// The ids of the graph's heads (revisions nobody revises), sorted like version rows.
    pub fn heads(&self) -> Vec<String> {
        let mut heads: Vec<String> = self
            .graph
            .heads()
            .iter()
            .map(|&n| self.graph.revision(n).id.0.clone())
            .collect();
        heads.sort();
        heads
    }

    /// Whether expect.toml says ddlc's scripts must apply on the corpus engine `engine`.
    pub fn applies(&self, engine: &str) -> bool {
        self.expect
            .as_ref()
            .is_some_and(|e| e.ddlc_applies.iter().any(|x| x == engine))
    }

    /// Whether ddlc must refuse to compile this project for the corpus engine `engine`.
    pub fn rejects(&self, engine: &str) -> bool {
        self.expect
            .as_ref()
            .is_some_and(|e| e.ddlc_rejects.iter().any(|x| x == engine))
    }

    /// Whether the scenario needs the second schema `extra`.
    pub fn needs_extra(&self) -> bool {
        needs_extra(&self.name)
    }
}

/// Corpus scenarios 08, 16 and 36 use a second schema named `extra`.
pub fn needs_extra(scenario: &str) -> bool {
    ["08_", "16_", "36_"]
        .iter()
        .any(|p| scenario.starts_with(p))
}

/// Loads a project from the folder holding ddlc.toml with ddlc's loader: a project ddlc
/// cannot load is reported with its diagnostics.
pub fn load(name: &str, kind: Kind, dir: &Path) -> Result<Project, String> {
    let udir = Utf8Path::from_path(dir).ok_or_else(|| format!("{}: not UTF-8", dir.display()))?;
    let config = Config::discover(Some(udir), udir).map_err(|e| format!("{udir}: {e}"))?;
    let graph = load_graph(&config)?;
    let expect_path = dir.join("expect.toml");
    let expect = if expect_path.exists() {
        Some(load_expect(&expect_path)?)
    } else {
        None
    };
    Ok(Project {
        name: name.to_string(),
        kind,
        dir: dir.to_path_buf(),
        version_table: config.version_table.name.clone(),
        version_schema: config.version_table.schema.clone(),
        graph,
        expect,
    })
}

/// The revision graph of the project `config` describes, or ddlc's diagnostics.
pub fn load_graph(config: &Config) -> Result<Graph, String> {
    let (mut sources, mut diags) = (SourceMap::new(), Diagnostics::new());
    match ddlc::project::Project::load(config, &mut sources, &mut diags) {
        Ok(graph) => Ok(graph),
        Err(Failure::Error(e)) => Err(e.to_string()),
        Err(Failure::Reported | Failure::Usage) => {
            Err(render(diags.as_slice(), &sources, Style::Plain))
        }
    }
}

fn load_expect(path: &Path) -> Result<Expect, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let t: toml::Table = text
        .parse()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let list = |key: &str| -> Vec<String> {
        t.get(key)
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let differences = t
        .get("difference")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .map(|d| {
                    let s = |k: &str| d.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
                    Difference {
                        engine: s("engine"),
                        what: s("what"),
                        reason: s("reason"),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Expect {
        alembic_applies: list("alembic_applies"),
        ddlc_must_also_apply: list("ddlc_must_also_apply"),
        ddlc_applies: list("ddlc_applies"),
        ddlc_rejects: list("ddlc_rejects"),
        differences,
    })
}

/// The repository example, every tests/corpus/<scenario>/ holding a ddlc.toml
/// (DDLC_ENGINES_PROJECTS names another folder of scenario projects) and every
/// tests/fixtures/ops/<case>/.
pub fn discover(repo: &Path) -> Vec<Result<Project, String>> {
    let mut out = vec![load("example", Kind::Example, repo)];
    let corpus = std::env::var_os("DDLC_ENGINES_PROJECTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("tests").join("corpus"));
    let ops = repo.join("tests").join("fixtures").join("ops");
    for (kind, root) in [(Kind::Corpus, corpus), (Kind::Op, ops)] {
        // A missing folder would silently run fewer projects: fail instead.
        let mut dirs: Vec<PathBuf> = match std::fs::read_dir(&root) {
            Ok(rd) => rd
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.join("ddlc.toml").exists())
                .collect(),
            Err(e) => {
                out.push(Err(format!("cannot read {}: {e}", root.display())));
                continue;
            }
        };
        dirs.sort();
        for d in dirs {
            let name = d
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push(load(&name, kind, &d).map_err(|e| format!("{name}: {e}")));
        }
    }
    out
}

// ------------------------------------------------------------------------ stepping plan

/// One step of the step-by-step test: `upgrade from:to`, then `downgrade to:from`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The database's single head before the step (`base` when empty).
    pub from: String,
    /// The revision upgraded to.
    pub to: String,
    /// The revisions the step applies, parents first (more than `to` at a merge).
    pub applies: Vec<String>,
}

/// How to walk the graph so the database always has exactly one head, which is then a
/// faithful single-id range start. ddlc (like Alembic offline) reads `upgrade FROM:TO` as
/// "the database is at FROM": at a merge M of parents P1, P2 no single id says "at P1 and
/// P2", and `upgrade P2:M` from a database at both would replay P1's branch. So the plan
/// walks the first branch stepwise (in the graph's topological order), then steps from its
/// head P1 straight to M: that step applies the other branch and the merge, and `downgrade
/// M:P1` must undo exactly those (it is the merge's own down plus the branch it unmerges),
/// with version rows [M], [P1]. Also returns the revisions no single-head walk reaches
/// (unmerged extra heads).
pub fn step_plan(graph: &Graph) -> (Vec<Step>, Vec<String>) {
    let order = graph.topo_order();
    let id = |n: usize| graph.revision(n).id.0.clone();
    let mut steps = Vec::new();
    let mut applied = vec![false; graph.len()];
    let mut head: Option<usize> = None;
    // The next revision (in order) descending from the current head; from base only one
    // root is reachable: later roots would make a second head.
    while let Some(next) = order
        .iter()
        .copied()
        .find(|&n| !applied[n] && head.is_none_or(|h| graph.ancestors_or_self(&[n])[h]))
    {
        let wanted = graph.ancestors_or_self(&[next]);
        let applies: Vec<usize> = order
            .iter()
            .copied()
            .filter(|&n| wanted[n] && !applied[n])
            .collect();
        for &n in &applies {
            applied[n] = true;
        }
        steps.push(Step {
            from: head.map_or_else(|| "base".to_string(), id),
            to: id(next),
            applies: applies.into_iter().map(id).collect(),
        });
        head = Some(next);
    }
    let left = order
        .iter()
        .copied()
        .filter(|&n| !applied[n])
        .map(id)
        .collect();
    (steps, left)
}

// ------------------------------------------------------------------- the Alembic corpus

/// What the corpus recorded for one scenario on one engine.
#[derive(Clone, Debug, Default)]
pub struct Recorded {
    /// `upgrade_applies`: "yes", "no" or "n/a".
    pub upgrade: String,
    /// `downgrade_applies` (starts with "n/a" when not generated).
    pub downgrade: String,
    /// `returns_to_empty`.
    pub empty: String,
}

/// Where the corpus lives: `shared/alembic-corpus` beside the repository (as
/// on the developers' machines and in CI); DDLC_ALEMBIC_CORPUS overrides.
pub fn corpus_dir() -> PathBuf {
    std::env::var_os("DDLC_ALEMBIC_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/alembic-corpus"))
}

/// Scenario names from PUBLIC.txt.
pub fn corpus_scenarios(corpus: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(corpus.join("PUBLIC.txt"))
        .map_err(|e| format!("PUBLIC.txt: {e}"))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect())
}

/// Reads exec_results.json for `engine`.
pub fn recorded(corpus: &Path, scenario: &str, engine: &str) -> Result<Recorded, String> {
    let path = corpus.join(scenario).join("exec_results.json");
    let results = read_json(&path)?;
    let block = results
        .get(engine)
        .ok_or_else(|| format!("{}: no {engine} block", path.display()))?;
    let value = |key: &str| {
        block
            .get(key)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    Ok(Recorded {
        upgrade: value("upgrade_applies"),
        downgrade: value("downgrade_applies"),
        empty: value("returns_to_empty"),
    })
}

/// The version table of a corpus scenario (scenario.json `env.version_table`; most
/// scenarios have no scenario.json and use Alembic's default).
pub fn corpus_version_table(corpus: &Path, scenario: &str) -> Result<String, String> {
    let path = corpus.join(scenario).join("scenario.json");
    if !path.exists() {
        return Ok("alembic_version".into());
    }
    let conf = read_json(&path)?;
    Ok(conf
        .pointer("/env/version_table")
        .and_then(|v| v.as_str())
        .unwrap_or("alembic_version")
        .to_string())
}

fn read_json(path: &Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

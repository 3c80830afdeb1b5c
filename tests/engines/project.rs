//! Finding projects (the repository's example and tests/corpus/<scenario>/), reading their
//! revision headers into a graph with a parents-first order, expect.toml, and the Alembic
//! corpus's recorded expectations (exec_results.json, scenario.json).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One revision as its `.mig` header declares it.
#[derive(Clone, Debug)]
pub struct Revision {
    /// `revision "id"`.
    pub id: String,
    /// `revises base | "id" | ("a", "b")`; empty for base.
    pub parents: Vec<String>,
    /// File name, for tie-breaking.
    pub file: String,
}

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

/// A ddlc project to run.
#[derive(Clone, Debug)]
pub struct Project {
    /// Report name: `example` or the scenario folder name.
    pub name: String,
    /// The folder holding ddlc.toml.
    pub dir: PathBuf,
    /// Version table name (ddlc.toml `[version_table] name`, default alembic_version).
    pub version_table: String,
    /// Version table schema (ddlc.toml `[version_table] schema`), None for the default.
    pub version_schema: Option<String>,
    /// Revisions in topological order (parents first, ties by file name).
    pub order: Vec<Revision>,
    /// Corpus scenarios only: expect.toml.
    pub expect: Option<Expect>,
}

/// tests/corpus/<scenario>/expect.toml.
#[derive(Clone, Debug, Default)]
pub struct Expect {
    /// Engines where Alembic's upgrade applied.
    pub alembic_applies: Vec<String>,
    /// Engines where ddlc must apply although Alembic did not.
    pub ddlc_must_also_apply: Vec<String>,
    /// Accepted schema differences.
    pub differences: Vec<Difference>,
}

impl Project {
    /// The heads (revisions nobody revises) among the first `n` revisions of the order.
    pub fn heads(&self, n: usize) -> Vec<String> {
        let prefix = self.order.get(..n).unwrap_or(&self.order);
        let mut heads: Vec<String> = prefix
            .iter()
            .filter(|r| !prefix.iter().any(|o| o.parents.contains(&r.id)))
            .map(|r| r.id.clone())
            .collect();
        heads.sort();
        heads
    }

    /// Whether every revision has at most one parent and one child.
    pub fn is_linear(&self) -> bool {
        self.order.iter().all(|r| r.parents.len() <= 1)
            && self.order.iter().all(|r| {
                self.order
                    .iter()
                    .filter(|o| o.parents.contains(&r.id))
                    .count()
                    <= 1
            })
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

/// Loads a project from the folder holding ddlc.toml.
pub fn load(name: &str, dir: &Path) -> Result<Project, String> {
    let cfg_path = dir.join("ddlc.toml");
    let text =
        std::fs::read_to_string(&cfg_path).map_err(|e| format!("{}: {e}", cfg_path.display()))?;
    let cfg: toml::Table = text
        .parse()
        .map_err(|e| format!("{}: {e}", cfg_path.display()))?;
    let migrations = cfg
        .get("project")
        .and_then(|p| p.get("migrations"))
        .and_then(|m| m.as_str())
        .unwrap_or("migrations");
    let version_table = cfg
        .get("version_table")
        .and_then(|v| v.get("name"))
        .and_then(|n| n.as_str())
        .unwrap_or("alembic_version")
        .to_string();
    let version_schema = cfg
        .get("version_table")
        .and_then(|v| v.get("schema"))
        .and_then(|n| n.as_str())
        .map(str::to_string);
    let versions = dir.join(migrations).join("versions");
    let mut revisions = Vec::new();
    let entries =
        std::fs::read_dir(&versions).map_err(|e| format!("{}: {e}", versions.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("mig") {
            continue;
        }
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file = entry.file_name().to_string_lossy().into_owned();
        revisions.push(parse_header(&text, &file)?);
    }
    let order = topo_order(revisions)?;
    let expect_path = dir.join("expect.toml");
    let expect = if expect_path.exists() {
        Some(load_expect(&expect_path)?)
    } else {
        None
    };
    Ok(Project {
        name: name.to_string(),
        dir: dir.to_path_buf(),
        version_table,
        version_schema,
        order,
        expect,
    })
}

/// Reads `revision` and `revises` from a `.mig` header.
pub fn parse_header(text: &str, file: &str) -> Result<Revision, String> {
    let mut id = None;
    let mut parents = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("revision ") {
            id = strings(rest).into_iter().next();
        } else if let Some(rest) = line.strip_prefix("revises ") {
            parents = Some(if rest.trim() == "base" {
                Vec::new()
            } else {
                strings(rest)
            });
        }
        if id.is_some() && parents.is_some() {
            break;
        }
    }
    match (id, parents) {
        (Some(id), Some(parents)) => Ok(Revision {
            id,
            parents,
            file: file.to_string(),
        }),
        _ => Err(format!("{file}: no `revision`/`revises` header")),
    }
}

/// The double-quoted strings in `s`.
fn strings(s: &str) -> Vec<String> {
    s.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// Parents first; among revisions ready at the same time, the smallest file name first.
pub fn topo_order(revs: Vec<Revision>) -> Result<Vec<Revision>, String> {
    let mut pending: BTreeMap<String, Revision> =
        revs.into_iter().map(|r| (r.file.clone(), r)).collect();
    let mut done: Vec<Revision> = Vec::new();
    while !pending.is_empty() {
        let ready = pending
            .values()
            .find(|r| r.parents.iter().all(|p| done.iter().any(|d| &d.id == p)))
            .map(|r| r.file.clone());
        let Some(file) = ready else {
            let stuck: Vec<&str> = pending.values().map(|r| r.id.as_str()).collect();
            return Err(format!(
                "revision graph has a cycle or a missing parent among {stuck:?}"
            ));
        };
        if let Some(r) = pending.remove(&file) {
            done.push(r);
        }
    }
    Ok(done)
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
        differences,
    })
}

/// The repository example plus every tests/corpus/<scenario>/ holding a ddlc.toml
/// (DDLC_ENGINES_PROJECTS names another folder of scenario projects).
pub fn discover(repo: &Path) -> Vec<Result<Project, String>> {
    let mut out = vec![load("example", repo)];
    let corpus = std::env::var_os("DDLC_ENGINES_PROJECTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("tests").join("corpus"));
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.join("ddlc.toml").exists())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    for d in dirs {
        let name = d
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push(load(&name, &d).map_err(|e| format!("{name}: {e}")));
    }
    out
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

/// Where the corpus lives (DDLC_ALEMBIC_CORPUS overrides).
pub fn corpus_dir() -> PathBuf {
    std::env::var_os("DDLC_ALEMBIC_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/shared/alembic-corpus"))
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

/// Reads exec_results.json for `engine`. The file is generated with 2-space indentation, so
/// the engine's block runs from `  "engine": {` to the next line at that indentation.
pub fn recorded(corpus: &Path, scenario: &str, engine: &str) -> Result<Recorded, String> {
    let path = corpus.join(scenario).join("exec_results.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let head = format!("\n  \"{engine}\": {{");
    let start = text
        .find(&head)
        .ok_or_else(|| format!("{}: no {engine} block", path.display()))?;
    let block = &text[start + head.len()..];
    let end = block.find("\n  }").unwrap_or(block.len());
    let block = &block[..end];
    let value = |key: &str| -> String {
        let k = format!("\n    \"{key}\": \"");
        block
            .find(&k)
            .map(|i| &block[i + k.len()..])
            .and_then(|rest| rest.split('"').next())
            .unwrap_or("")
            .to_string()
    };
    Ok(Recorded {
        upgrade: value("upgrade_applies"),
        downgrade: value("downgrade_applies"),
        empty: value("returns_to_empty"),
    })
}

/// The version table of a corpus scenario (scenario.json `env.version_table`).
pub fn corpus_version_table(corpus: &Path, scenario: &str) -> String {
    let text =
        std::fs::read_to_string(corpus.join(scenario).join("scenario.json")).unwrap_or_default();
    let key = "\"version_table\": \"";
    text.find(key)
        .and_then(|i| text[i + key.len()..].split('"').next())
        .unwrap_or("alembic_version")
        .to_string()
}

//! Release artifacts (`upgrade --split DIR`, `downgrade --split DIR`): one
//! script per revision with names that sort in the order they run, and
//! `manifest.json` tying each script to the source it came from by SHA-256.
//!
//! Everything here depends only on the input (no timestamps, no absolute
//! paths), so two runs on any machine give the same bytes, and an auditor can
//! recompute every hash with `sha256sum`.

use crate::compile::{self, Part, Request, Split};
use crate::config::Config;
use crate::diag::{Diagnostics, Failure};
use crate::graph::Direction;
use crate::project::Project;
use crate::scaffold::slug;
use crate::sum::{sha256_hex, Lock};
use serde::Serialize;

/// The manifest's file name inside the split folder.
pub const MANIFEST: &str = "manifest.json";

/// The manifest's format version, bumped when a field changes meaning.
const FORMAT: u32 = 1;

/// One file of the release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Artifact {
    /// The file's name inside the folder.
    pub name: String,
    /// Its bytes.
    pub text: String,
}

/// What `manifest.json` holds.
#[derive(Debug, Serialize)]
struct Manifest<'a> {
    format: u32,
    ddlc_version: &'static str,
    dialect: &'static str,
    direction: &'static str,
    /// The range as requested (`head`, `ae10:base`) and as resolved (`base:ae10`).
    target: &'a str,
    range: String,
    /// The SHA-256 over every revision file in graph order: `ddlc.sum`'s first line.
    project_sum: String,
    scripts: &'a [ScriptEntry],
}

/// One script of the manifest.
#[derive(Clone, Debug, Serialize)]
pub struct ScriptEntry {
    /// 1 for the first script to run.
    pub order: usize,
    /// The revision's id.
    pub revision: String,
    /// Its parents' ids.
    pub parents: Vec<String>,
    /// Version-table heads before the script.
    pub from: Vec<String>,
    /// Version-table heads after the script.
    pub to: Vec<String>,
    /// The revision's message.
    pub message: String,
    /// The revision file, relative to the project root.
    pub source: String,
    /// The revision file's SHA-256.
    pub source_sha256: String,
    /// The script's file name.
    pub script: String,
    /// The script's SHA-256.
    pub script_sha256: String,
    /// What a reviewer should know about its statements (not in the manifest).
    #[serde(skip)]
    pub facts: compile::StepFacts,
    /// The revision's graph index (not in the manifest).
    #[serde(skip)]
    pub node: usize,
}

/// A release: its files (the manifest last) and the manifest's entries, one
/// per script in run order.
#[derive(Clone, Debug)]
pub struct Release {
    /// The scripts, then `manifest.json`.
    pub artifacts: Vec<Artifact>,
    /// Per script, what the manifest says of it.
    pub entries: Vec<ScriptEntry>,
}

/// The scripts of `request`, one per revision in run order, and the manifest
/// last. Nothing is returned (no partial release) if any revision fails.
pub fn artifacts(
    project: &Project,
    config: &Config,
    request: &Request,
    diags: &mut Diagnostics,
) -> Result<Vec<Artifact>, Failure> {
    Ok(release(project, config, request, diags)?.artifacts)
}

/// The release of `request`: what [`artifacts`] writes, with the manifest's
/// entries as data (`ddlc report` shows them beside each revision).
pub fn release(
    project: &Project,
    config: &Config,
    request: &Request,
    diags: &mut Diagnostics,
) -> Result<Release, Failure> {
    let graph = &project.graph;
    let sources = &project.sources;
    let project_sum = Lock::of_graph(graph, sources)
        .map_err(Failure::Error)?
        .total();
    let source_hash =
        |node: usize| sha256_hex(sources.file(graph.revision(node).file).text.as_bytes());
    let Split { range, parts } =
        compile::compile_split(project, config, request, diags, |_, node| {
            let revision = graph.revision(node);
            vec![
                format!("Source: {}", sources.path(revision.file)),
                format!("Source SHA-256: {}", source_hash(node)),
                format!("Project ddlc.sum: {project_sum}"),
            ]
        })?;
    let width = parts.len().to_string().len().max(4);
    let suffix = match request.direction {
        Direction::Upgrade => "up",
        Direction::Downgrade => "down",
    };
    let mut out = Vec::with_capacity(parts.len() + 1);
    let mut entries = Vec::with_capacity(parts.len());
    for (
        i,
        Part {
            node,
            from,
            to,
            text,
            facts,
        },
    ) in parts.into_iter().enumerate()
    {
        let revision = graph.revision(node);
        let id = &revision.id.0;
        let name = match slug(&revision.message) {
            s if s.is_empty() => format!("{:0width$}_{id}.{suffix}.sql", i + 1),
            s => format!("{:0width$}_{id}_{s}.{suffix}.sql", i + 1),
        };
        let ids = |ids: Vec<crate::ir::RevisionId>| ids.into_iter().map(|r| r.0).collect();
        entries.push(ScriptEntry {
            order: i + 1,
            revision: id.clone(),
            parents: revision.parents.iter().map(|(p, _)| p.0.clone()).collect(),
            from: ids(from),
            to: ids(to),
            message: revision.message.clone(),
            source: sources.path(revision.file).to_string(),
            source_sha256: source_hash(node),
            script: name.clone(),
            script_sha256: sha256_hex(text.as_bytes()),
            facts,
            node,
        });
        out.push(Artifact { name, text });
    }
    let manifest = Manifest {
        format: FORMAT,
        ddlc_version: env!("CARGO_PKG_VERSION"),
        dialect: request.dialect.name(),
        direction: request.direction.name(),
        target: &request.range,
        range,
        project_sum,
        scripts: &entries,
    };
    out.push(manifest_file(&manifest)?);
    Ok(Release {
        artifacts: out,
        entries,
    })
}

/// `manifest.json`: the manifest, pretty-printed, with a final newline.
fn manifest_file(manifest: &Manifest) -> Result<Artifact, Failure> {
    let mut text = serde_json::to_string_pretty(manifest)
        .map_err(|e| Failure::Error(crate::diag::Error::Message(format!("manifest: {e}"))))?;
    text.push('\n');
    Ok(Artifact {
        name: MANIFEST.into(),
        text,
    })
}

/// Whether `name` is a file a split writes (so replacing a folder holding only
/// such files destroys nothing the user made).
pub fn is_artifact_name(name: &str) -> bool {
    name == MANIFEST || name.ends_with(".up.sql") || name.ends_with(".down.sql")
}

//! Shared helpers: load a project folder and compile it through the library.

use camino::{Utf8Path, Utf8PathBuf};
use ddlc::compile::{compile, Request};
use ddlc::config::Config;
use ddlc::diag::{render, Diagnostics, Failure, Style};
use ddlc::dialect::Dialect;
use ddlc::graph::Direction;
use ddlc::project::Project;
use ddlc::source::SourceMap;

/// The repository root.
pub fn repo() -> Utf8PathBuf {
    Utf8PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A loaded project, or the rendered diagnostics that stopped loading.
pub fn load(root: &Utf8Path) -> Result<(Config, Project), String> {
    let config =
        Config::load(&root.join("ddlc.toml"), root.to_path_buf()).map_err(|e| e.to_string())?;
    let (mut sources, mut diags) = (SourceMap::new(), Diagnostics::new());
    match Project::load(&config, &mut sources, &mut diags) {
        Ok(graph) => Ok((config, Project { sources, graph })),
        Err(Failure::Error(e)) => Err(e.to_string()),
        Err(_) => Err(render(diags.as_slice(), &sources, Style::Plain)),
    }
}

/// Compiles one range; `Err` holds the rendered diagnostics (paths relative to the project).
pub fn script(
    root: &Utf8Path,
    direction: Direction,
    range: &str,
    dialect: Dialect,
) -> Result<String, String> {
    let (config, project) = load(root)?;
    let request = Request {
        direction,
        range: range.to_string(),
        dialect,
        templates: None,
    };
    let mut diags = Diagnostics::new();
    compile(&project, &config, &request, &mut diags).map_err(|failure| match failure {
        Failure::Error(e) => format!("error: {e}"),
        _ => render(diags.as_slice(), &project.sources, Style::Plain),
    })
}

/// Sub-folders of `dir`, sorted.
pub fn folders(dir: &Utf8Path) -> Vec<Utf8PathBuf> {
    let mut out: Vec<Utf8PathBuf> = std::fs::read_dir(dir)
        .expect("read fixture folder")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| Utf8PathBuf::from_path_buf(e.path()).expect("UTF-8 path"))
        .collect();
    out.sort();
    out
}

/// A project in a temporary folder: `ddlc.toml` and `versions/<name>.mig`
/// files. Keep the folder alive while the root is used.
pub fn project(revisions: &[(&str, &str)]) -> (tempfile::TempDir, Utf8PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = Utf8PathBuf::from_path_buf(dir.path().to_path_buf()).expect("UTF-8 temp path");
    std::fs::create_dir_all(root.join("versions")).expect("versions folder");
    std::fs::write(root.join("ddlc.toml"), "[project]\nmigrations = \".\"\n").expect("ddlc.toml");
    for (name, text) in revisions {
        std::fs::write(root.join("versions").join(format!("{name}.mig")), text).expect("revision");
    }
    (dir, root)
}

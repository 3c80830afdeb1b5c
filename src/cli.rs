//! The command line: `ddlc upgrade`, `downgrade`, `history`, `heads`.
//!
//! [`run`] decides the exit code in one place: 0 on success (and on a closed
//! stdout pipe), 1 when the migrations have problems (diagnostics on stderr,
//! including a `*.mig` entry that cannot be read as a file), 2 for usage
//! (a target that names nothing or goes the wrong way included),
//! configuration and I/O errors. `-o` writes only when everything succeeded.

use crate::compile::{self, Failure, Request};
use crate::config::Config;
use crate::diag::{self, Diagnostic, Error, Style};
use crate::dialect::Dialect;
use crate::graph::{Direction, Graph};
use crate::project::{LoadError, Project};
use crate::source::SourceMap;
use camino::Utf8PathBuf;
use clap::{Args, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

mod output;

/// The exit codes, as `--help` states them (and README.md).
const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  problems in the migrations (diagnostics on stderr; no script written)
  2  usage: a bad argument or target, ddlc.toml, templates, or I/O";

/// The target forms, as `upgrade --help` and `downgrade --help` state them.
const TARGETS: &str = "\
Targets:
  head, heads, base     the single head, every head, no revision
  ae1027a6, ae10        a revision id, or a unique prefix of 4+ characters
  billing               a branch label: the revision that carries it
  billing@head          the head of a branch (also billing@heads, billing@base, billing@<id>)
  +2, ae10+1, head-1    steps up or down from base, a revision, or the head
  FROM:TO               a range; a bare +N or -N in TO counts from FROM (head:-1)
  billing@+1            steps along one branch, from where the range starts on it
Offline there is no current revision: `-1` alone has nothing to count from (write
`head-1`, or a range such as `downgrade head:-1`). A negative number is read as a
target, not an option; `--` also ends the options (`ddlc upgrade -- -1`).

Exit codes:
  0  success
  1  problems in the migrations (diagnostics on stderr; no script written)
  2  usage: a bad argument or target, ddlc.toml, templates, or I/O";

/// Offline SQL script compiler for schema migrations.
#[derive(Debug, Parser)]
#[command(name = "ddlc", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    /// Project folder (holding ddlc.toml); default: the nearest one above the current folder.
    #[arg(long, global = true, value_name = "DIR")]
    pub project: Option<Utf8PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the SQL that upgrades a database: `TARGET` (from base) or `FROM:TO`.
    #[command(after_help = TARGETS)]
    Upgrade {
        /// `head`, `heads`, an id or prefix, `label@head`, `+N`, `head-1`, or a range `FROM:TO`.
        #[arg(
            default_value = "head",
            value_name = "TARGET|FROM:TO",
            allow_negative_numbers = true
        )]
        range: String,
        /// Output options.
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Write the SQL that downgrades a database: `FROM:TO`, e.g. `head:base`.
    #[command(after_help = TARGETS)]
    Downgrade {
        /// `FROM:TO`, e.g. `head:-1`; offline there is no database to read the current version from.
        #[arg(
            value_name = "FROM:TO",
            value_parser = parse_downgrade_range,
            allow_negative_numbers = true
        )]
        range: String,
        /// Output options.
        #[command(flatten)]
        output: OutputArgs,
    },
    /// List revisions, newest first.
    History,
    /// List the heads.
    Heads,
}

/// Options of the script-writing commands.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Target dialect (default: `dialect` in ddlc.toml, else postgresql).
    #[arg(short, long, value_enum)]
    pub dialect: Option<Dialect>,
    /// Write the script to FILE instead of stdout (`-`: stdout). A regular file is
    /// replaced atomically, keeping its mode, and is untouched on any error; a
    /// symlink is followed; a device or FIFO is written in place.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<Utf8PathBuf>,
    /// Folder of template overrides (`<dir>/<dialect>/<name>.sql`).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<Utf8PathBuf>,
}

fn parse_downgrade_range(text: &str) -> Result<String, String> {
    if text.contains(':') {
        Ok(text.to_string())
    } else {
        Err(format!(
            "a downgrade needs an explicit start, as `FROM:TO` (e.g. `head:{text}`): \
             offline there is no database to read the current version from"
        ))
    }
}

/// Runs a parsed command line and says how the process should exit.
pub fn run(cli: Cli) -> ExitCode {
    match execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Exit::Diagnostics {
            diags,
            sources,
            what,
        }) => {
            report(&diags, &sources, what);
            ExitCode::from(1)
        }
        Err(Exit::Target { diag, sources }) => {
            report(&[diag], &sources, " (no script written)");
            ExitCode::from(2)
        }
        Err(Exit::Error(Error::Io { source, .. }))
            if source.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            ExitCode::SUCCESS
        }
        Err(Exit::Error(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

enum Exit {
    Diagnostics {
        diags: Vec<Diagnostic>,
        sources: SourceMap,
        what: &'static str,
    },
    /// The target on the command line names nothing, or goes the wrong way:
    /// a usage error, though it is rendered like a diagnostic (it may point
    /// at the heads it could have meant).
    Target {
        diag: Diagnostic,
        sources: SourceMap,
    },
    Error(Error),
}

impl From<Error> for Exit {
    fn from(e: Error) -> Exit {
        Exit::Error(e)
    }
}

fn execute(cli: Cli) -> Result<(), Exit> {
    let cwd = std::env::current_dir()
        .map_err(|source| Error::Io {
            path: ".".into(),
            source,
        })
        .and_then(|dir| {
            Utf8PathBuf::from_path_buf(dir).map_err(|d| {
                Error::Message(format!("current folder `{}` is not UTF-8", d.display()))
            })
        })?;
    let config = Config::discover(cli.project.as_deref(), &cwd)?;
    let writes_script = matches!(
        cli.command,
        Command::Upgrade { .. } | Command::Downgrade { .. }
    );
    let what = if writes_script {
        " (no script written)"
    } else {
        ""
    };
    let project = Project::load(&config).map_err(|e| match e {
        LoadError::Error(e) => Exit::Error(e),
        LoadError::Diagnostics(diags, sources) => Exit::Diagnostics {
            diags: diags.0,
            sources,
            what,
        },
    })?;
    let (direction, range, output) = match cli.command {
        Command::Upgrade { range, output } => (Direction::Upgrade, range, output),
        Command::Downgrade { range, output } => (Direction::Downgrade, range, output),
        Command::History => return print_stdout(&history(&project.graph)),
        Command::Heads => return print_stdout(&heads(&project.graph)),
    };
    // The target is the command line's, not the migrations': check it first,
    // so its errors exit as usage errors.
    let planned = match direction {
        Direction::Upgrade => project.graph.plan_upgrade(&range),
        Direction::Downgrade => project.graph.plan_downgrade(&range),
    };
    if let Err(diag) = planned {
        return Err(Exit::Target {
            diag,
            sources: project.sources,
        });
    }
    let request = Request {
        direction,
        range,
        dialect: output.dialect.unwrap_or(config.dialect),
        templates: output.templates.map(|t| cwd.join(t)),
    };
    let text = compile::compile(&project, &config, &request).map_err(|f| match f {
        Failure::Error(e) => Exit::Error(e),
        Failure::Diagnostics(diags) => Exit::Diagnostics {
            diags: diags.0,
            sources: project.sources.clone(),
            what,
        },
    })?;
    match output.output {
        Some(path) if path != "-" => output::write(&path, &cwd, &text).map_err(Exit::Error),
        _ => print_stdout(&text),
    }
}

/// Renders diagnostics and the closing `aborting` line to stderr.
fn report(diags: &[Diagnostic], sources: &SourceMap, what: &str) {
    let style = if std::io::stderr().is_terminal() {
        Style::Styled
    } else {
        Style::Plain
    };
    let mut text = diag::render(diags, sources, style);
    text.push_str(&summary(diags, what));
    text.push('\n');
    // Nothing sensible is left to do if stderr itself is gone.
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// `error: aborting: 3 errors in 2 files (no script written)`.
fn summary(diags: &[Diagnostic], what: &str) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let mut files: Vec<u32> = diags
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| d.primary.as_ref().map(|p| p.span.file.0))
        .collect();
    files.sort_unstable();
    files.dedup();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let located = if files.is_empty() {
        String::new()
    } else {
        format!(" in {}", plural(files.len(), "file"))
    };
    format!(
        "error: aborting: {}{located}{what}",
        plural(errors, "error")
    )
}

fn print_stdout(text: &str) -> Result<(), Exit> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|source| {
            Exit::Error(Error::Io {
                path: "<stdout>".into(),
                source,
            })
        })
}

/// `alembic history`'s lines: `parents -> id (labels) (head) (branchpoint) (mergepoint), message`.
pub fn history(graph: &Graph) -> String {
    let mut out = String::new();
    for &n in graph.topo_order().iter().rev() {
        let node = graph.node(n);
        let revision = &node.revision;
        let parents: Vec<&str> = node
            .parents
            .iter()
            .map(|&p| graph.revision(p).id.0.as_str())
            .collect();
        let from = if parents.is_empty() {
            "<base>".to_string()
        } else {
            parents.join(", ")
        };
        out.push_str(&format!("{from} -> {}", revision.id));
        if !revision.labels.is_empty() {
            out.push_str(&format!(" ({})", revision.labels.join(", ")));
        }
        if node.children.is_empty() {
            out.push_str(" (head)");
        }
        if node.children.len() > 1 {
            out.push_str(" (branchpoint)");
        }
        if node.parents.len() > 1 {
            out.push_str(" (mergepoint)");
        }
        out.push_str(&format!(
            ", {}\n",
            crate::script::comment_line(&revision.message)
        ));
    }
    out
}

/// `alembic heads`'s lines: `id (labels) (head)`.
pub fn heads(graph: &Graph) -> String {
    let mut out = String::new();
    for &h in graph.heads() {
        let revision = graph.revision(h);
        out.push_str(&revision.id.0);
        if !revision.labels.is_empty() {
            out.push_str(&format!(" ({})", revision.labels.join(", ")));
        }
        out.push_str(" (head)\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::tests::rev;
    use crate::source::{FileId, Span};

    #[test]
    fn history_lists_newest_first_with_markers() {
        let mut merge = rev("t32m", &["t32a1", "t32b1"]);
        merge.labels = vec!["main".into()];
        let graph = Graph::build(
            vec![
                rev("t32a1", &["t32base"]),
                rev("t32b1", &["t32base"]),
                rev("t32base", &[]),
                merge,
            ],
            &SourceMap::new(),
        )
        .unwrap();
        assert_eq!(
            history(&graph),
            "t32a1, t32b1 -> t32m (main) (head) (mergepoint), message of t32m\n\
             t32base -> t32b1, message of t32b1\n\
             t32base -> t32a1, message of t32a1\n\
             <base> -> t32base (branchpoint), message of t32base\n"
        );
        assert_eq!(heads(&graph), "t32m (main) (head)\n");
    }

    #[test]
    fn summary_counts_errors_and_files() {
        let at = |file| Diagnostic::error("x", "x").at(Span::new(FileId(file), 0, 1), "");
        let diags = vec![at(0), at(1), at(1), Diagnostic::warning("w", "w")];
        assert_eq!(
            summary(&diags, " (no script written)"),
            "error: aborting: 3 errors in 2 files (no script written)"
        );
        assert_eq!(
            summary(&[Diagnostic::error("x", "x")], ""),
            "error: aborting: 1 error"
        );
    }

    #[test]
    fn targets_may_start_with_a_hyphen() {
        let range = |args: &[&str]| match Cli::try_parse_from(args) {
            Ok(Cli {
                command: Command::Upgrade { range, output } | Command::Downgrade { range, output },
                ..
            }) => Ok((range, output.dialect)),
            Ok(_) => Err("other command".to_string()),
            Err(e) => Err(e.to_string()),
        };
        assert_eq!(range(&["ddlc", "upgrade", "-1"]), Ok(("-1".into(), None)));
        assert_eq!(
            range(&["ddlc", "upgrade", "-1", "-d", "sqlite"]),
            Ok(("-1".into(), Some(Dialect::Sqlite)))
        );
        assert_eq!(
            range(&["ddlc", "upgrade", "-d", "sqlite", "-1"]),
            Ok(("-1".into(), Some(Dialect::Sqlite)))
        );
        assert_eq!(
            range(&["ddlc", "upgrade", "-d", "sqlite"]),
            Ok(("head".into(), Some(Dialect::Sqlite)))
        );
        assert_eq!(
            range(&["ddlc", "upgrade", "--", "-1"]),
            Ok(("-1".into(), None))
        );
        assert_eq!(
            range(&["ddlc", "downgrade", "head:-1"]),
            Ok(("head:-1".into(), None))
        );
        assert_eq!(
            range(&["ddlc", "downgrade", "-o", "x.sql", "head:-2"]).map(|r| r.0),
            Ok("head:-2".into())
        );
        assert!(range(&["ddlc", "downgrade", "-1"])
            .unwrap_err()
            .contains("`head:-1`"));
        assert!(
            range(&["ddlc", "upgrade", "-x"]).is_err(),
            "an unknown flag is not a target"
        );
    }

    #[test]
    fn downgrade_needs_a_range() {
        assert!(parse_downgrade_range("head:base").is_ok());
        let err = parse_downgrade_range("base").unwrap_err();
        assert!(err.contains("`head:base`"), "{err}");
        assert!(Cli::try_parse_from(["ddlc", "downgrade", "base"]).is_err());
        assert!(Cli::try_parse_from(["ddlc", "upgrade", "-d", "oracle", "r1:r2"]).is_ok());
    }
}

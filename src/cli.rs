//! The command line. Each command lives in a module of its own under `cli/`
//! and stays thin over the library; this file holds the options every
//! command shares and turns how a command stopped into the exit code in one
//! place ([`run`], through [`Failure::exit_code`]): 0 on success (and on a
//! closed stdout pipe), 1 when the migrations have problems (diagnostics on
//! stderr), 2 for usage (a target that names nothing or goes the wrong way
//! included), configuration, template and I/O errors.

use crate::config::Config;
use crate::diag::{exit, Diagnostic, Diagnostics, Error, Failure};
use crate::dialect::Dialect;
use crate::project::Project;
use crate::source::SourceMap;
use camino::Utf8PathBuf;
use clap::{Args, CommandFactory, Parser, Subcommand};
use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

mod check;
mod diff;
mod docs;
mod history;
mod import;
mod init;
mod json;
mod lint;
mod new;
mod output;
mod report;
mod schema;
mod scripts;
mod stamp;
mod sum;
mod term;

pub use term::{use_color, ColorChoice, Format};

/// The exit codes, as `--help` states them (and README.md).
const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  problems in the migrations (diagnostics on stderr; nothing written)
  2  usage: a bad argument or target, ddlc.toml, templates, or I/O";

/// The target forms, as `upgrade`, `downgrade` and `stamp --help` state them.
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

/// What `ddlc --help` says before the commands.
const LONG_ABOUT: &str = "\
Offline SQL script compiler for schema migrations: typed migration files in,
reviewable upgrade/downgrade SQL out, for PostgreSQL, MySQL, MariaDB, SQLite,
SQL Server and Oracle.

A project is a folder with ddlc.toml; its revisions are <migrations>/versions/*.mig,
locked by <migrations>/ddlc.sum. Start one with `ddlc init`, add revisions with
`ddlc new -m MESSAGE`, compile with `ddlc upgrade`, verify with `ddlc check`.";

/// Offline SQL script compiler for schema migrations.
#[derive(Debug, Parser)]
#[command(
    name = "ddlc",
    version,
    about,
    long_about = LONG_ABOUT,
    after_help = EXIT_CODES
)]
pub struct Cli {
    /// Project folder (holding ddlc.toml); default: the nearest one above the current folder.
    #[arg(long, global = true, value_name = "DIR")]
    pub project: Option<Utf8PathBuf>,
    /// When to colour diagnostics: auto (a terminal, unless NO_COLOR is set or
    /// TERM=dumb; CLICOLOR_FORCE forces it), always, never.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t)]
    pub color: ColorChoice,
    /// How diagnostics are printed on stderr: text, or json (one object per
    /// line: file, line, column, code, severity, message, labels, help, notes;
    /// see docs/json.md); `ddlc lint` prints its report on stdout as json, or
    /// as sarif (SARIF 2.1.0, for code scanning).
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "FORMAT",
        default_value_t
    )]
    pub format: Format,
    /// Print errors only: no warnings, no lines saying what was done.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a project: ddlc.toml, migrations/versions/, an empty
    /// migrations/ddlc.sum and migrations/README.md; never overwrites.
    #[command(after_help = EXIT_CODES)]
    Init(init::InitArgs),
    /// Start a project from another tool's migrations (`ddlc import alembic
    /// SRC [DEST]`): the same revision ids and graph; never overwrites.
    #[command(subcommand, after_help = EXIT_CODES)]
    Import(import::ImportArgs),
    /// Write a new revision revising the head (or --head) and lock it in
    /// ddlc.sum; prints the new file's path.
    #[command(visible_alias = "revision", after_help = new::NEW_HELP)]
    New(new::NewArgs),
    /// Write a revision merging heads (`ddlc merge heads` merges them all)
    /// and lock it in ddlc.sum; prints the new file's path.
    #[command(after_help = EXIT_CODES)]
    Merge(new::MergeArgs),
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
        /// A transaction per revision, its version-table change included,
        /// instead of one around the script (as `transaction_per_migration`
        /// in ddlc.toml, or in Alembic's env.py).
        #[arg(long)]
        transaction_per_migration: bool,
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
        /// A transaction per revision, its version-table change included,
        /// instead of one around the script (as `transaction_per_migration`
        /// in ddlc.toml, or in Alembic's env.py).
        #[arg(long)]
        transaction_per_migration: bool,
        /// Output options.
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Write only the version-table SQL that records a database as being at
    /// TARGET, for a database brought there by other means (Alembic's `stamp --sql`).
    #[command(after_help = stamp::STAMP_HELP)]
    Stamp(stamp::StampArgs),
    /// List revisions, newest first (`parents -> id, message`), or a range of them.
    #[command(after_help = EXIT_CODES)]
    History(history::HistoryArgs),
    /// List the heads (`id (labels) (head)`).
    #[command(after_help = EXIT_CODES)]
    Heads(history::ListArgs),
    /// List the branch points and the revisions each branches into.
    #[command(after_help = EXIT_CODES)]
    Branches(history::ListArgs),
    /// Write the whole schema at a revision (default: the head) as the CREATE
    /// statements of a dialect, or as JSON, from the replayed model: no version table.
    #[command(after_help = schema::SCHEMA_HELP)]
    Schema(schema::SchemaArgs),
    /// Show one revision: its header, parents and children, ops, and the
    /// tables, columns, constraints and indexes it adds, removes or changes.
    #[command(after_help = EXIT_CODES)]
    Show(schema::ShowArgs),
    /// Write a review page for DBAs and auditors: one self-contained HTML file
    /// with, per revision, what it does, the schema before and after, its risks,
    /// its SQL per dialect and the hashes of the release artifacts.
    #[command(after_help = report::REPORT_HELP)]
    Report(report::ReportArgs),
    /// Rewrite ddlc.sum from the revision files as they are now: lock them deliberately.
    #[command(after_help = EXIT_CODES)]
    Sum,
    /// Check everything CI needs in one command: parse, graph, replay, compile
    /// upgrade and downgrade for every configured dialect, and ddlc.sum.
    #[command(after_help = check::CHECK_HELP)]
    Check(check::CheckArgs),
    /// Check the migrations for unsafe changes (drops, renames, locks,
    /// rewrites, raw SQL), per revision and dialect, with the schema before each op.
    #[command(after_help = lint::LINT_HELP)]
    Lint(lint::LintArgs),
    /// Write the next revision from a schema dump (offline autogenerate): the
    /// ops that bring the head schema to TARGET, with `downgrade auto`.
    #[command(after_help = diff::DIFF_HELP)]
    Diff(diff::DiffArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = docs::COMPLETIONS_HELP)]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): ddlc(1), or ddlc-COMMAND(1) for one command,
    /// e.g. `ddlc man > ddlc.1`, `ddlc man init > ddlc-init.1`.
    Man {
        /// A command, for its own page.
        #[arg(value_name = "COMMAND")]
        topic: Option<String>,
    },
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
    /// Write release artifacts into folder DIR instead: one script per revision,
    /// named in the order they run (`0003_<id>_<slug>.up.sql`), each with its
    /// provenance (source file and SHA-256), and manifest.json (version,
    /// dialect, range, the ddlc.sum hash, and per script its revision, parents,
    /// source and script SHA-256). DIR is replaced whole, or not at all; a
    /// folder holding other files is refused.
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    pub split: Option<Utf8PathBuf>,
    /// Folder of template overrides (`<dir>/<dialect>/<name>.sql`).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<Utf8PathBuf>,
    /// Write the script even though revision files differ from ddlc.sum (edited,
    /// removed, added or reordered since they were locked): the script may then
    /// differ from what was released. The differences are printed as warnings.
    #[arg(long)]
    pub ignore_sum: bool,
}

impl OutputArgs {
    /// How to treat a project that does not match its lock.
    fn policy(&self) -> crate::sum::Policy {
        if self.ignore_sum {
            crate::sum::Policy::Warn
        } else {
            crate::sum::Policy::Enforce
        }
    }
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

/// Parses `args` (the program name first) and runs them: what `main` calls.
/// A usage error is printed by clap, or as one JSON object when the command
/// line asks for `--format json`.
pub fn main(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let args: Vec<OsString> = args.into_iter().collect();
    match Cli::try_parse_from(&args) {
        Ok(cli) => run(cli),
        Err(e) if !e.use_stderr() => {
            // --help and --version: print and succeed (a closed pipe is fine too).
            let _ = e.print();
            ExitCode::SUCCESS
        }
        Err(e) if wants_json(&args) => {
            let message = e.kind().to_string();
            let detail = e.to_string();
            let first = detail
                .lines()
                .next()
                .map(|l| l.trim_start_matches("error: ").to_string())
                .unwrap_or(message);
            let _ = writeln!(std::io::stderr(), "{}", json::usage(&first));
            ExitCode::from(exit::USAGE)
        }
        Err(e) => {
            let _ = e.print();
            ExitCode::from(exit::USAGE)
        }
    }
}

/// True when the raw arguments hold `--format json` (or `--format=json`).
fn wants_json(args: &[OsString]) -> bool {
    args.iter()
        .zip(args.iter().skip(1).map(Some).chain([None]))
        .any(|(arg, next)| {
            arg == "--format=json" || (arg == "--format" && next.is_some_and(|n| n == "json"))
        })
}

/// Runs a parsed command line and says how the process should exit.
/// Diagnostics were printed where the command stopped ([`Ctx::abort`],
/// [`Ctx::usage`]); an error is printed here.
pub fn run(cli: Cli) -> ExitCode {
    let term = term::Term::new(cli.color, cli.format, cli.quiet);
    match execute(cli, term) {
        Ok(()) => ExitCode::from(exit::SUCCESS),
        Err(failure) => {
            if let Failure::Error(e) = &failure {
                if failure.exit_code() != exit::SUCCESS {
                    term.error(e);
                }
            }
            ExitCode::from(failure.exit_code())
        }
    }
}

/// What every command has: where it runs, which project, how to talk.
pub(crate) struct Ctx {
    /// The current folder.
    pub cwd: Utf8PathBuf,
    /// `--project`.
    pub project: Option<Utf8PathBuf>,
    /// stderr's conventions.
    pub term: term::Term,
}

impl Ctx {
    /// `path` as the user would write it: relative to the current folder
    /// when it lies below it.
    pub fn shown(&self, path: &camino::Utf8Path) -> Utf8PathBuf {
        path.strip_prefix(&self.cwd)
            .map(camino::Utf8Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf())
    }

    /// The project's configuration.
    pub fn config(&self) -> Result<Config, Failure> {
        Ok(Config::discover(self.project.as_deref(), &self.cwd)?)
    }

    /// Prints the diagnostics of a stage that stopped with `failure` (unless
    /// it is an [`Error`], which [`run`] prints), and hands the failure on.
    /// `what` says what was not done, e.g. ` (no script written)`.
    pub fn abort(
        &self,
        failure: Failure,
        diags: &Diagnostics,
        sources: &SourceMap,
        what: &'static str,
    ) -> Failure {
        if !matches!(failure, Failure::Error(_)) {
            self.term.abort(diags.as_slice(), sources, what);
        }
        failure
    }

    /// Prints a usage error rendered like a diagnostic (a target that names
    /// nothing may point at the heads it could have meant): exit 2.
    pub fn usage(&self, d: Diagnostic, sources: &SourceMap, what: &'static str) -> Failure {
        let mut diags = Diagnostics::new();
        let _ = diags.error(d);
        self.abort(Failure::Usage, &diags, sources, what)
    }

    /// Loads the project; with a policy, checked against its lock (warnings
    /// printed, unless `-q`). `what` says what a failure leaves undone.
    pub fn load(
        &self,
        config: &Config,
        policy: Option<crate::sum::Policy>,
        what: &'static str,
    ) -> Result<Project, Failure> {
        let (mut sources, mut diags) = (SourceMap::new(), Diagnostics::new());
        let loaded = match policy {
            Some(policy) => Project::load_locked(config, policy, &mut sources, &mut diags),
            None => Project::load(config, &mut sources, &mut diags),
        };
        match loaded {
            Ok(graph) => {
                self.term.warn(diags.as_slice(), &sources);
                Ok(Project { sources, graph })
            }
            Err(failure) => Err(self.abort(failure, &diags, &sources, what)),
        }
    }
}

fn current_dir() -> Result<Utf8PathBuf, Error> {
    let dir = std::env::current_dir().map_err(|source| Error::Io {
        path: ".".into(),
        source,
    })?;
    Utf8PathBuf::from_path_buf(dir)
        .map_err(|d| Error::Message(format!("current folder `{}` is not UTF-8", d.display())))
}

fn execute(cli: Cli, term: term::Term) -> Result<(), Failure> {
    let ctx = Ctx {
        cwd: current_dir()?,
        project: cli.project,
        term,
    };
    match cli.command {
        Command::Init(args) => init::run(&ctx, args),
        Command::Import(args) => import::run(&ctx, args),
        Command::New(args) => new::run_new(&ctx, args),
        Command::Merge(args) => new::run_merge(&ctx, args),
        Command::Upgrade {
            range,
            transaction_per_migration,
            output,
        } => scripts::run(
            &ctx,
            crate::graph::Direction::Upgrade,
            range,
            transaction_per_migration,
            output,
        ),
        Command::Downgrade {
            range,
            transaction_per_migration,
            output,
        } => scripts::run(
            &ctx,
            crate::graph::Direction::Downgrade,
            range,
            transaction_per_migration,
            output,
        ),
        Command::Stamp(args) => stamp::run(&ctx, args),
        Command::History(args) => history::run_history(&ctx, args),
        Command::Heads(args) => history::run_heads(&ctx, args),
        Command::Branches(args) => history::run_branches(&ctx, args),
        Command::Schema(args) => schema::run_schema(&ctx, args),
        Command::Show(args) => schema::run_show(&ctx, args),
        Command::Report(args) => report::run(&ctx, args),
        Command::Sum => sum::run(&ctx),
        Command::Check(args) => check::run(&ctx, args),
        Command::Lint(args) => lint::run(&ctx, args),
        Command::Diff(args) => diff::run(&ctx, args),
        Command::Completions { shell } => docs::completions(shell),
        Command::Man { topic } => docs::man(topic),
    }
}

/// The clap definition, for completions and the man page.
pub fn command() -> clap::Command {
    Cli::command()
}

/// Writes `text` to stdout; a closed pipe is not an error (see [`run`]).
pub(crate) fn print_stdout(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|source| {
            Failure::Error(Error::Io {
                path: "<stdout>".into(),
                source,
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_may_start_with_a_hyphen() {
        let range = |args: &[&str]| match Cli::try_parse_from(args) {
            Ok(Cli {
                command:
                    Command::Upgrade { range, output, .. } | Command::Downgrade { range, output, .. },
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

    #[test]
    fn the_command_line_is_well_formed() {
        command().debug_assert();
    }

    #[test]
    fn json_is_asked_for_in_either_spelling() {
        let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        assert!(wants_json(&args(&["ddlc", "--format", "json", "x"])));
        assert!(wants_json(&args(&["ddlc", "x", "--format=json"])));
        assert!(!wants_json(&args(&["ddlc", "--format", "text"])));
        assert!(!wants_json(&args(&["ddlc", "--format"])));
    }
}

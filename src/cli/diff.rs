//! `ddlc diff --to DUMP -m MESSAGE`: the next revision, written from the
//! difference between the head schema and a schema dump (offline
//! autogenerate, [`crate::autogen`]); and `ddlc check --against DUMP`: that
//! difference as a drift report, exit 1 when there is one.

use super::new::{new_id, one_line, write_text, NOTHING_WRITTEN};
use super::{print_stdout, term::plural, Ctx, Failure};
use crate::autogen::{self, executed, print};
use crate::config::Config;
use crate::diag::{Code, Diagnostic, Diagnostics, Error};
use crate::dialect::Dialect;
use crate::project::Project;
use crate::scaffold::{self, NewRevision, Template};
use crate::schema::Schema;
use crate::source::SourceMap;
use crate::sum;
use camino::Utf8PathBuf;

/// What `ddlc diff --help` adds.
pub(super) const DIFF_HELP: &str = "\
TARGET is a schema dump of the dialect: `pg_dump --schema-only`, `mariadb-dump
--no-data` (or mysqldump), `sqlite3 DB .schema`; or, when it ends in `.mig`, a
declared schema in ddlc's language (`create_table`, `create_index`,
`create_view`, ... ops only, no header). The new revision revises the
head and holds the ops that bring the head schema to TARGET, in dependency
order, with `downgrade auto`; ops that destroy data are marked with a
`# destructive:` comment. Renames are never guessed: a dropped and an added
column (or table) that look alike are printed as hints; `--rename old=new`
makes one a rename. A statement of TARGET that ddlc cannot model is an error at
its line.

Exit codes:
  0  success: the path of the new file is printed (nothing when TARGET equals the head)
  1  problems in the migrations or in TARGET
  2  usage: several heads, a bad --rename, or I/O";

/// Options of `ddlc diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The schema dump to reach.
    #[arg(long, value_name = "TARGET")]
    pub to: Utf8PathBuf,
    /// The new revision's message.
    #[arg(short, long)]
    pub message: String,
    /// The dump's dialect (default: `dialect` in ddlc.toml).
    #[arg(short, long, value_enum)]
    pub dialect: Option<Dialect>,
    /// Print the revision instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
    /// A rename instead of a drop and an add: `old_table=new_table` or
    /// `table.old_column=new_column` (repeatable).
    #[arg(long, value_name = "OLD=NEW")]
    pub rename: Vec<String>,
    /// The id to use instead of a random one.
    #[arg(long = "rev-id", value_name = "ID")]
    pub rev_id: Option<String>,
}

/// The head's schema and the target's, read for one dialect.
struct Sides {
    project: Project,
    sources: SourceMap,
    head: Schema,
    parents: Vec<String>,
    target: Schema,
    /// What the head's `execute` ops made, left out of the comparison.
    notes: Vec<Diagnostic>,
}

/// `one_head`: the head must be one revision (the new one revises it);
/// else the schema of every head is compared.
fn sides(
    ctx: &Ctx,
    config: &Config,
    to: &Utf8PathBuf,
    dialect: Dialect,
    one_head: bool,
    what: &'static str,
) -> Result<Sides, Failure> {
    let project = ctx.load(config, Some(sum::Policy::Enforce), what)?;
    let graph = project.graph.for_dialect(dialect);
    let mut diags = Diagnostics::new();
    let parents: Vec<String> = match graph.heads() {
        [] => Vec::new(),
        [one] => vec![graph.revision(*one).id.0.clone()],
        heads if !one_head => heads
            .iter()
            .map(|&h| graph.revision(h).id.0.clone())
            .collect(),
        _ => return Err(ctx.usage(scaffold::several_heads(&graph), &project.sources, what)),
    };
    let (head, made) = if parents.is_empty() {
        (Schema::new(), Vec::new())
    } else {
        let nodes = crate::snapshot::plan(&graph, "heads", &mut diags)
            .map_err(|f| ctx.abort(f, &diags, &project.sources, what))?;
        let snap = crate::snapshot::replay(&graph, &nodes, &mut diags)
            .map_err(|f| ctx.abort(f, &diags, &project.sources, what))?;
        let ops = nodes.iter().flat_map(|&n| graph.revision(n).upgrade.iter());
        (snap.schema, executed::made_by_execute(dialect, ops))
    };
    let path = if to.is_absolute() {
        to.clone()
    } else {
        ctx.cwd.join(to)
    };
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    let mut sources = project.sources.clone();
    let shown = ctx.shown(&path);
    let read = if shown.extension() == Some("mig") {
        crate::target::declared::read_declared(dialect, &shown, &text, &config.naming, &mut sources)
    } else {
        let file = sources.add(shown, text.clone());
        crate::target::read_sql(
            dialect,
            file,
            &text,
            &config.version_table.name,
            &config.naming,
        )
    };
    let mut target =
        read.map_err(|d| ctx.abort(Failure::Reported, &Diagnostics::from(d), &sources, what))?;
    executed::leave_out(&mut target, &made);
    let notes = made
        .iter()
        .map(|m| {
            Diagnostic::warning(
                Code::MadeByExecute,
                format!(
                    "{} `{}` is made by an `execute` op: not compared",
                    m.kind, m.key
                ),
            )
            .at(m.span, "raw SQL is not in the model")
        })
        .collect();
    Ok(Sides {
        project,
        sources,
        head,
        parents,
        target,
        notes,
    })
}

/// `ddlc diff`.
pub(super) fn run(ctx: &Ctx, args: DiffArgs) -> Result<(), Failure> {
    let config = ctx.config()?;
    let dialect = args.dialect.unwrap_or(config.dialect);
    let s = sides(ctx, &config, &args.to, dialect, true, NOTHING_WRITTEN)?;
    let plan = autogen::plan(dialect, &s.head, &s.target, &args.rename)
        .map_err(|d| ctx.usage(d, &s.sources, NOTHING_WRITTEN))?;
    let hints: Vec<Diagnostic> = plan
        .hints
        .iter()
        .map(|h| Diagnostic::warning(Code::PossibleRename, h.clone()))
        .collect();
    ctx.term.warn(&s.notes, &s.sources);
    ctx.term.warn(&hints, &s.sources);
    if plan.ops.is_empty() {
        ctx.term.info(&format!(
            "no differences: the head matches `{}` (no revision written)",
            args.to
        ));
        return Ok(());
    }
    let wanted = NewRevision {
        id: new_id(&s.project.graph, args.rev_id)?,
        parents: s.parents.clone(),
        depends_on: Vec::new(),
        message: one_line(args.message)?,
        labels: Vec::new(),
    };
    let text = format!(
        "{}\n\nupgrade {{\n{}}}\n\ndowngrade auto\n",
        wanted.header()?,
        print::ops_text(&plan.ops, &config.naming)
    );
    let body = print::ops_text(&plan.ops, &config.naming);
    match autogen::verify(dialect, &s.head, &s.target, &body, &config.naming) {
        Ok(left) if left.is_empty() => {}
        Ok(left) => {
            let mut d = Diagnostic::warning(
                Code::SchemaDrift,
                format!(
                    "the revision does not reach `{}` entirely: {} left",
                    args.to,
                    plural(left.len(), "op")
                ),
            );
            for op in &left {
                d = d.with_note(
                    print::op_text(op, &config.naming)
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                );
            }
            ctx.term.warn(&[d], &s.sources);
        }
        Err((sources, diags)) => {
            ctx.term.abort(
                &diags,
                &sources,
                " (a bug of ddlc diff: please report it with the target)",
            );
            return Err(Failure::Error(Error::Message(
                "the written revision does not replay".into(),
            )));
        }
    }
    if args.dry_run {
        return print_stdout(&text);
    }
    write_text(ctx, &config, &s.project, &wanted, &text, &Template::Builtin)
}

/// `ddlc check --against TARGET`: Ok when the head equals the target, else
/// one `schema-drift` error listing the ops that would bring it there.
pub(super) fn drift(
    ctx: &Ctx,
    config: &Config,
    to: &Utf8PathBuf,
    dialect: Option<Dialect>,
) -> Result<(), Failure> {
    let dialect = dialect.unwrap_or(config.dialect);
    let what = " (check failed)";
    let s = sides(ctx, config, to, dialect, false, what)?;
    let plan = autogen::plan(dialect, &s.head, &s.target, &[])
        .map_err(|d| ctx.usage(d, &s.sources, what))?;
    ctx.term.warn(&s.notes, &s.sources);
    if plan.ops.is_empty() {
        if !ctx.term.quiet {
            print_stdout(&format!("ok: the head schema matches `{to}` ({dialect})\n"))?;
        }
        return Ok(());
    }
    let mut d = Diagnostic::error(
        Code::SchemaDrift,
        format!(
            "the head schema differs from `{to}` ({dialect}): {} to reach it",
            plural(plan.ops.len(), "op")
        ),
    );
    for op in &plan.ops {
        let text = print::op_text(op, &config.naming);
        d = d.with_note(
            text.lines()
                .next()
                .unwrap_or_default()
                .trim_end_matches(" {")
                .to_string(),
        );
    }
    for h in &plan.hints {
        d = d.with_help(h.clone());
    }
    let mut diags = Diagnostics::new();
    let _ = diags.error(d.with_help("write the revision with `ddlc diff --to TARGET -m MESSAGE`"));
    Err(ctx.abort(Failure::Reported, &diags, &s.sources, what))
}

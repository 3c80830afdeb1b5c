//! `ddlc new` (alias `revision`) and `ddlc merge`: write a revision file,
//! lock it in ddlc.sum, print its path. The file is parsed and linked with
//! the project before anything is written, and is never written over
//! another; when the lock cannot be updated the new file is removed again.

use super::{output, print_stdout, Ctx, Failure};
use crate::config::Config;
use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, Error};
use crate::graph::Graph;
use crate::project::Project;
use crate::scaffold::{self, NewRevision, Template};
use crate::sum::{self, Lock};

/// What a failure leaves undone.
pub(super) const NOTHING_WRITTEN: &str = " (no revision written)";

/// What `ddlc new --help` adds: the template and the exit codes.
pub(super) const NEW_HELP: &str = "\
The file is <id>_<slug>.mig in the versions folder, from `revision_template` in
ddlc.toml (a minijinja template; default: the header, an empty `upgrade` block
and `downgrade auto`). The template sees `header` (the revision, revises, message
and labels lines, to be written as they are), `id`, `parents`, `labels`,
`message`, `slug` and `merge`. What it writes must parse as a revision with
that header; `--empty` ignores it and writes the built-in form.

Exit codes:
  0  success: the path of the new file is printed
  1  problems in the migrations (or ddlc.sum does not match them)
  2  usage: several heads and no --head, a bad --head or --rev-id, a bad
     template, or I/O";

/// Options of `ddlc new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The revision's message (also the file name's slug).
    #[arg(short, long)]
    pub message: String,
    /// The revision it revises (any target form: an id, `label@head`,
    /// `base` for a new root); default: the single head.
    #[arg(long, value_name = "REV", allow_hyphen_values = true)]
    pub head: Option<String>,
    /// Allow --head to name a revision that is not a head: the new revision
    /// starts a branch from it.
    #[arg(long)]
    pub splice: bool,
    /// A branch label for the new revision (repeatable).
    #[arg(long = "branch-label", value_name = "LABEL")]
    pub branch_labels: Vec<String>,
    /// A revision this one depends on without revising it, written as
    /// `depends_on` (repeatable): applied first, but its branch goes on.
    #[arg(long = "depends-on", value_name = "REV")]
    pub depends_on: Vec<String>,
    /// The id to use instead of a random one.
    #[arg(long = "rev-id", value_name = "ID")]
    pub rev_id: Option<String>,
    /// Write the bare revision (header, `upgrade {}`, `downgrade auto`),
    /// ignoring `revision_template`.
    #[arg(long)]
    pub empty: bool,
}

/// Options of `ddlc merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The revisions to merge (two or more; `heads` stands for every head).
    #[arg(required = true, value_name = "REV")]
    pub revisions: Vec<String>,
    /// The merge's message.
    #[arg(short, long)]
    pub message: String,
    /// A branch label for the merge (repeatable).
    #[arg(long = "branch-label", value_name = "LABEL")]
    pub branch_labels: Vec<String>,
    /// The id to use instead of a random one.
    #[arg(long = "rev-id", value_name = "ID")]
    pub rev_id: Option<String>,
}

/// `ddlc new`.
pub(super) fn run_new(ctx: &Ctx, args: NewArgs) -> Result<(), Failure> {
    let config = ctx.config()?;
    let project = ctx.load(&config, Some(sum::Policy::Enforce), NOTHING_WRITTEN)?;
    let parents = match parents_of_new(&project.graph, args.head.as_deref(), args.splice) {
        Ok(parents) => parents,
        Err(d) => return Err(ctx.usage(d, &project.sources, NOTHING_WRITTEN)),
    };
    let depends_on = match dependencies_of_new(&project.graph, &parents, &args.depends_on) {
        Ok(ids) => ids,
        Err(d) => return Err(ctx.usage(d, &project.sources, NOTHING_WRITTEN)),
    };
    let template = if args.empty {
        Template::Builtin
    } else {
        Template::of_project(&config)?
    };
    let wanted = NewRevision {
        id: new_id(&project.graph, args.rev_id)?,
        parents,
        depends_on,
        message: one_line(args.message)?,
        labels: args.branch_labels,
    };
    write_revision(ctx, &config, &project, &wanted, &template)
}

/// `--depends-on REV...`: each resolved to one revision's full id, in the
/// order given, each once; a parent of the new revision is refused (it is
/// applied first anyway).
fn dependencies_of_new(
    graph: &Graph,
    parents: &[String],
    given: &[String],
) -> Result<Vec<String>, Diagnostic> {
    let mut out: Vec<String> = Vec::new();
    for rev in given {
        let id = match graph.resolve(rev, None)?[..] {
            [n] => graph.revision(n).id.0.clone(),
            _ => {
                return Err(Diagnostic::error(
                    Code::InvalidTarget,
                    format!("`--depends-on {rev}` names no single revision"),
                )
                .with_help("name one revision by its id or label"))
            }
        };
        if parents.contains(&id) {
            return Err(Diagnostic::error(
                Code::DuplicateParent,
                format!("`--depends-on {rev}`: `{id}` is the new revision's parent already"),
            ));
        }
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

/// `ddlc merge`.
pub(super) fn run_merge(ctx: &Ctx, args: MergeArgs) -> Result<(), Failure> {
    let config = ctx.config()?;
    let project = ctx.load(&config, Some(sum::Policy::Enforce), NOTHING_WRITTEN)?;
    let parents = match parents_of_merge(&project.graph, &args.revisions) {
        Ok(parents) => parents,
        Err(d) => return Err(ctx.usage(d, &project.sources, NOTHING_WRITTEN)),
    };
    let wanted = NewRevision {
        id: new_id(&project.graph, args.rev_id)?,
        parents,
        depends_on: Vec::new(),
        message: one_line(args.message)?,
        labels: args.branch_labels,
    };
    let template = Template::of_project(&config)?;
    write_revision(ctx, &config, &project, &wanted, &template)
}

/// `--rev-id`, checked for use in a file name, or a fresh random id.
pub(super) fn new_id(graph: &Graph, given: Option<String>) -> Result<String, Error> {
    match given {
        Some(id) => match scaffold::unusable_file_id(&id) {
            Some(why) => Err(Error::Message(format!(
                "--rev-id {id:?} {why}: the id is part of the file name"
            ))),
            None => Ok(id),
        },
        None => scaffold::random_id(graph),
    }
}

/// A message is one line of visible text: longer text belongs in the
/// revision's `doc`, and a bidirectional override would make the message
/// (repeated in every script's comments) read other than it is.
pub(super) fn one_line(message: String) -> Result<String, Error> {
    match message
        .chars()
        .find(|&c| crate::config::is_forbidden_char(c))
    {
        Some(c) => Err(Error::Message(format!(
            "the message holds the character U+{:04X}: a message is one line of visible text; \
             put longer text in the revision's `doc \"\"\"...\"\"\"` once it is written",
            c as u32
        ))),
        None if message.trim().is_empty() => Err(Error::Message(
            "the message is empty: say what the revision does".into(),
        )),
        None => Ok(message),
    }
}

/// What a new revision revises: `--head` (one revision, a head unless
/// `splice`), else the single head, else base in an empty project.
fn parents_of_new(
    graph: &Graph,
    head: Option<&str>,
    splice: bool,
) -> Result<Vec<String>, Diagnostic> {
    let id = |n: usize| graph.revision(n).id.0.clone();
    let Some(head) = head else {
        return match graph.heads() {
            [] => Ok(Vec::new()),
            [one] => Ok(vec![id(*one)]),
            _ => Err(scaffold::several_heads(graph)),
        };
    };
    match graph.resolve(head, None)?[..] {
        [] => Ok(Vec::new()),
        [n] if graph.node(n).children.is_empty() || splice => Ok(vec![id(n)]),
        [n] => Err(Diagnostic::error(
            Code::NotAHead,
            format!(
                "`{}` is not a head: a revision revising it starts a new branch",
                id(n)
            ),
        )
        .with_secondary(graph.revision(n).id_span, "revised already")
        .with_help("pass --splice to start the branch, or name a head")),
        _ => Err(Diagnostic::error(
            Code::MultipleHeads,
            format!("`--head {head}` names several revisions: a new revision revises one"),
        )
        .with_help("name one of them, or merge them with `ddlc merge`")),
    }
}

/// What a merge revises: the revisions named, in order, each once; at least
/// two, none an ancestor of another through `revises` (a head that another
/// only depends on is still a head, and merging it is what joins them).
fn parents_of_merge(graph: &Graph, revisions: &[String]) -> Result<Vec<String>, Diagnostic> {
    let mut nodes: Vec<usize> = Vec::new();
    for rev in revisions {
        for n in graph.resolve(rev, None)? {
            if !nodes.contains(&n) {
                nodes.push(n);
            }
        }
    }
    let id = |n: usize| graph.revision(n).id.0.clone();
    if nodes.len() < 2 {
        return Err(Diagnostic::error(
            Code::NothingToMerge,
            match nodes.first() {
                Some(&n) => format!(
                    "`{}` names only `{}`: a merge joins two revisions or more",
                    revisions.join(" "),
                    id(n)
                ),
                None => format!("`{}` names no revision", revisions.join(" ")),
            },
        ));
    }
    for &a in &nodes {
        let below = graph.branch_ancestors_or_self(&[a]);
        if let Some(&b) = nodes.iter().find(|&&b| b != a && below[b]) {
            return Err(Diagnostic::error(
                Code::MergeOfAncestor,
                format!(
                    "`{}` is an ancestor of `{}`: merging it adds nothing",
                    id(b),
                    id(a)
                ),
            )
            .with_help(format!("merge `{}` with the others", id(a))));
        }
    }
    Ok(nodes.into_iter().map(id).collect())
}

/// Renders, checks and writes the revision, updates the lock, prints the path.
fn write_revision(
    ctx: &Ctx,
    config: &Config,
    project: &Project,
    wanted: &NewRevision,
    template: &Template,
) -> Result<(), Failure> {
    let text = wanted.render(template)?;
    write_text(ctx, config, project, wanted, &text, template)
}

/// Checks and writes `text` as the revision `wanted` (made from
/// `template`), updates the lock, prints the path: what `new`, `merge` and
/// `diff` share.
pub(super) fn write_text(
    ctx: &Ctx,
    config: &Config,
    project: &Project,
    wanted: &NewRevision,
    text: &str,
    template: &Template,
) -> Result<(), Failure> {
    let name = scaffold::file_name(&wanted.id, &wanted.message);
    let (mut sources, mut diags) = (project.sources.clone(), Diagnostics::new());
    let added = scaffold::add(
        project,
        config,
        wanted,
        &name,
        text,
        template,
        &mut sources,
        &mut diags,
    )
    // The new file is ddlc's (or its template's) writing, from the command
    // line's arguments: what is wrong with it is a usage error.
    .map_err(|f| match f {
        Failure::Error(e) => Failure::Error(e),
        _ => ctx.abort(Failure::Usage, &diags, &sources, NOTHING_WRITTEN),
    })?;
    let path = config.versions_dir().join(&name);
    output::create_new(&path, text)?;
    let lock_file = config.sum_file();
    if lock_file.exists() {
        let locked = Lock::of_graph(&added.graph, &sources)
            .and_then(|lock| output::write(&lock_file, &ctx.cwd, &lock.render()));
        if let Err(e) = locked {
            let _ = std::fs::remove_file(&path);
            return Err(Failure::Error(e));
        }
    }
    print_stdout(&format!("{}\n", ctx.shown(&path)))
}

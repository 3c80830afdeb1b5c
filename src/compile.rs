//! Orchestration: a loaded project and a request (direction, range, dialect)
//! in, one SQL script out. Replays the schema model from base up to the start
//! of the range (applied, not lowered), then applies and lowers every op of
//! every step, and hands the statements to [`script::assemble`].

use crate::config::Config;
use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, Error, Failure};
use crate::dialect::Dialect;
use crate::graph::{Direction, Graph, Plan};
use crate::ir::{Downgrade, Op, Revision, RevisionId};
use crate::lower::{self, Lowering, Stmt};
use crate::project::Project;
use crate::render::Renderer;
use crate::schema::Schema;
use crate::script::{self, Around, OpSql, ScriptPlan, ScriptStep};
use crate::source::{SourceMap, Span};
use camino::Utf8PathBuf;
use std::borrow::Cow;

/// What to compile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// Upgrade or downgrade.
    pub direction: Direction,
    /// `TARGET` or `FROM:TO` (a downgrade needs `FROM:TO`).
    pub range: String,
    /// The target dialect.
    pub dialect: Dialect,
    /// Template overrides, replacing the config's.
    pub templates: Option<Utf8PathBuf>,
}

/// Compiles `request` against `project` into the script text. Problems in
/// the migrations (or the target) go to `diags`; a template that fails to
/// render is an [`Error::Template`] naming the op it was lowering.
pub fn compile(
    project: &Project,
    config: &Config,
    request: &Request,
    diags: &mut Diagnostics,
) -> Result<String, Failure> {
    let compiled = lower_plan(project, config, request, diags)?;
    Ok(script::assemble(
        &compiled.plan,
        &config.version_table,
        &compiled.renderer,
    )?)
}

/// One script of a split compilation: one revision's step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// The revision the step runs (its graph index).
    pub node: usize,
    /// Version-table heads before and after the step.
    pub from: Vec<RevisionId>,
    /// See `from`.
    pub to: Vec<RevisionId>,
    /// The script.
    pub text: String,
    /// What a reviewer should know about the step's statements.
    pub facts: StepFacts,
}

/// What a step's lowered statements say beyond their SQL, for a reviewer
/// (`ddlc report`): read from the statements, not from their text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepFacts {
    /// The notes lowering left for the reviewer, in order, each once.
    pub notes: Vec<String>,
    /// Statements that must run outside a transaction (`CREATE INDEX CONCURRENTLY`).
    pub outside_transaction: usize,
    /// Tables rebuilt (SQLite: copied into a new table, which replaces the old).
    pub rebuilds: usize,
}

impl StepFacts {
    /// The facts of `step`'s statements.
    fn of(step: &ScriptStep) -> StepFacts {
        let mut facts = StepFacts::default();
        for stmt in step.ops.iter().flat_map(|op| &op.stmts) {
            match &stmt.body {
                crate::render::Body::Note(text) if !facts.notes.contains(text) => {
                    facts.notes.push(text.clone())
                }
                crate::render::Body::Sql { template, .. } if *template == REBUILD_COPY => {
                    facts.rebuilds += 1
                }
                crate::render::Body::Template { name, .. } if *name == REBUILD_COPY => {
                    facts.rebuilds += 1
                }
                _ => {}
            }
            if !stmt.transactional {
                facts.outside_transaction += 1;
            }
        }
        facts
    }
}

/// The template of the statement that copies a table's rows into its rebuilt
/// copy: one per rebuild.
const REBUILD_COPY: &str = "insert_select";

/// Compiles `request` into one script per revision, in the order they run
/// (`--split`). Each script stands alone: its own header and transaction,
/// the version table created by the first when the range starts at base,
/// and SQLite's foreign-key switch only around the steps that rebuild.
/// `provenance(part_index, node)` gives the comment lines each script shows
/// under its header.
pub fn compile_split(
    project: &Project,
    config: &Config,
    request: &Request,
    diags: &mut Diagnostics,
    provenance: impl Fn(usize, usize) -> Vec<String>,
) -> Result<Split, Failure> {
    let compiled = lower_plan(project, config, request, diags)?;
    let plan = compiled.plan;
    let mut parts = Vec::with_capacity(plan.steps.len());
    for (i, (step, around)) in plan.steps.into_iter().zip(compiled.step_around).enumerate() {
        let node = compiled.nodes[i];
        let facts = StepFacts::of(&step);
        let one = ScriptPlan {
            direction: plan.direction,
            range: format!("{}:{}", join_or_base(&step.from), join_or_base(&step.to)),
            create_version_table: plan.create_version_table && i == 0,
            notes: provenance(i, node),
            around,
            steps: vec![step.clone()],
            // One revision: its transaction is the script's either way.
            transaction_per_migration: false,
        };
        let text = script::assemble(&one, &config.version_table, &compiled.renderer)?;
        parts.push(Part {
            node,
            from: step.from,
            to: step.to,
            text,
            facts,
        });
    }
    Ok(Split {
        range: plan.range,
        parts,
    })
}

/// A compilation split per revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    /// The range resolved, as the whole script's header names it (`base:ae10`).
    pub range: String,
    /// One script per revision, in run order.
    pub parts: Vec<Part>,
}

/// `base`, or the ids joined with `,`.
fn join_or_base(ids: &[RevisionId]) -> String {
    if ids.is_empty() {
        return "base".into();
    }
    let ids: Vec<&str> = ids.iter().map(|id| id.0.as_str()).collect();
    ids.join(",")
}

/// A plan lowered: the script's content before assembly, the around-statements
/// each step needs alone, and the renderer that spelled them.
struct Compiled {
    plan: ScriptPlan,
    step_around: Vec<Around>,
    nodes: Vec<usize>,
    renderer: Renderer,
}

fn lower_plan(
    project: &Project,
    config: &Config,
    request: &Request,
    diags: &mut Diagnostics,
) -> Result<Compiled, Failure> {
    // The ops of this dialect only, from here on (`only (...)`).
    let selected = project.graph.for_dialect(request.dialect);
    let graph: &Graph = &selected;
    let plan = match request.direction {
        Direction::Upgrade => graph.plan_upgrade(&request.range),
        Direction::Downgrade => graph.plan_downgrade(&request.range),
    }
    .map_err(|d| diags.error(d))?;
    let templates = request.templates.as_ref().or(config.templates.as_ref());
    let renderer = Renderer::new(request.dialect, templates.map(|t| t.as_path()))?
        .with_scripts(&config.scripts);
    // Statements are rendered on the other cores while the next revision is
    // lowered. Anything unusual there (a template error, an unsafe statement,
    // one that renders to nothing) is left to a second, plain lowering, so
    // that what is reported is exactly what one lowering in order reports.
    let mark = diags.mark();
    let ((mut steps, run), rendered) = crate::par::pipeline(
        |emit| lower_steps(graph, project, &renderer, &plan, diags, Some(emit)),
        |ops: Vec<OpSql>| render_ops(&renderer, ops),
    );
    let mut run = match rendered.into_iter().collect::<Option<Vec<_>>>() {
        Some(rendered) => {
            for (step, ops) in steps.iter_mut().zip(rendered) {
                step.ops = ops;
            }
            run
        }
        None => {
            let diags = run.diags;
            diags.rewind(mark);
            let again;
            (steps, again) = lower_steps(graph, project, &renderer, &plan, diags, None);
            again
        }
    };
    if let Some(e) = run.template {
        return Err(Failure::Error(e));
    }
    run.diags.check_since(run.mark)?;
    let all = std::mem::take(&mut run.foreign_key_schemas);
    let around = run.around(&all)?;
    let step_foreign_keys = std::mem::take(&mut run.step_foreign_keys);
    let step_around = step_foreign_keys
        .iter()
        .map(|schemas| run.around(schemas))
        .collect::<Result<Vec<_>, _>>()?;
    let script_plan = ScriptPlan {
        direction: plan.direction,
        range: format!(
            "{}:{}",
            state_name(graph, &plan.start),
            state_name(graph, &plan.end)
        ),
        create_version_table: plan.direction == Direction::Upgrade && plan.start.is_empty(),
        notes: Vec::new(),
        around,
        steps: std::mem::take(&mut steps),
        transaction_per_migration: config.transaction_per_migration,
    };
    Ok(Compiled {
        plan: script_plan,
        step_around,
        nodes: plan.steps.iter().map(|s| s.node).collect(),
        renderer,
    })
}

/// Replays the schema up to the plan's range, then applies and lowers every
/// step. With `emit`, each step's statements go to it as they are lowered
/// (unrendered, see [`Lowering::deferring`]) and the step keeps none.
fn lower_steps<'a>(
    graph: &'a Graph,
    project: &'a Project,
    renderer: &'a Renderer,
    plan: &Plan,
    diags: &'a mut Diagnostics,
    emit: Option<&mut dyn FnMut(Vec<OpSql>)>,
) -> (Vec<ScriptStep>, Run<'a>) {
    let mut run = Run {
        graph,
        sources: &project.sources,
        renderer,
        schema: Schema::new(),
        mark: diags.mark(),
        diags,
        template: None,
        broken: false,
        inverses: vec![None; graph.len()],
        foreign_key_schemas: Vec::new(),
        step_foreign_keys: Vec::new(),
        defer: emit.is_some(),
    };
    run.replay(plan);
    let steps = run.steps(plan, emit);
    (steps, run)
}

/// A deferred step's statements rendered and checked; `None` when one of
/// them needs the plain lowering (see [`lower::check_rendered`]).
fn render_ops(renderer: &Renderer, mut ops: Vec<OpSql>) -> Option<Vec<OpSql>> {
    for op in &mut ops {
        let stmts = std::mem::take(&mut op.stmts);
        op.stmts = stmts
            .into_iter()
            .map(|stmt| lower::check_rendered(renderer, stmt))
            .collect::<Option<Vec<_>>>()?;
    }
    Some(ops)
}

/// `base`, or the heads' ids joined with `,`.
fn state_name(graph: &Graph, heads: &[usize]) -> String {
    if heads.is_empty() {
        return "base".into();
    }
    let ids: Vec<&str> = heads
        .iter()
        .map(|&n| graph.revision(n).id.0.as_str())
        .collect();
    ids.join(",")
}

/// An upgrade op's span, its name and its inverse (or why it has none),
/// recorded while replaying so that deriving a downgrade scans nothing.
type Inverse = (Span, &'static str, Result<Vec<Op>, String>);

/// An op to run, with the name of the upgrade op it undoes when `downgrade auto`
/// derived it (shown to the reviewer).
/// Upgrade ops and hand-written downgrades are borrowed from the graph (a
/// copy of every op was a good part of a long compile's memory); derived ones
/// are owned.
type Undo<'a> = (Option<&'static str>, Cow<'a, Op>);

/// One compilation's moving parts.
struct Run<'a> {
    graph: &'a Graph,
    sources: &'a SourceMap,
    renderer: &'a Renderer,
    schema: Schema,
    diags: &'a mut Diagnostics,
    /// Where this compilation's diagnostics start in the sink.
    mark: crate::diag::Mark,
    /// The first template that failed to render: not the migrations' fault,
    /// so it stops the compilation as an error, not a diagnostic.
    template: Option<Error>,
    /// Set after a schema error: later ops would only report its echoes, so
    /// they are no longer applied (irreversibility is still checked).
    broken: bool,
    /// Per revision replayed with `downgrade auto`: each upgrade op's span and
    /// its inverse, in upgrade order.
    inverses: Vec<Option<Vec<Inverse>>>,
    /// Databases whose rebuilt tables foreign keys referenced (SQLite): the
    /// script turns foreign keys off around its transaction.
    foreign_key_schemas: Vec<String>,
    /// The same, per step lowered, in step order (for scripts split per
    /// revision): [`Run::lower_all`] pushes one entry per call.
    step_foreign_keys: Vec<Vec<String>>,
    /// Statements handed on unrendered (see [`Lowering::deferring`]).
    defer: bool,
}

impl<'a> Run<'a> {
    /// Applies and lowers every step of the plan: the script's steps.
    /// With `emit`, each step's statements go to it and the step keeps none.
    fn steps(
        &mut self,
        plan: &Plan,
        mut emit: Option<&mut dyn FnMut(Vec<OpSql>)>,
    ) -> Vec<ScriptStep> {
        plan.steps
            .iter()
            .map(|step| {
                let graph: &'a Graph = self.graph;
                let revision = graph.revision(step.node);
                let ops = if revision.baseline.is_some() {
                    self.step_foreign_keys.push(Vec::new());
                    self.baseline(step.node, plan.direction)
                } else {
                    let ops = match plan.direction {
                        Direction::Upgrade => Some(
                            revision
                                .upgrade
                                .iter()
                                .map(|op| (None, Cow::Borrowed(op)))
                                .collect(),
                        ),
                        Direction::Downgrade => self.downgrade_ops(step.node),
                    };
                    match ops {
                        Some(ops) => self.lower_all(&ops),
                        None => {
                            self.step_foreign_keys.push(Vec::new());
                            Vec::new()
                        }
                    }
                };
                let ops = match emit.as_mut() {
                    Some(emit) => {
                        emit(ops);
                        Vec::new()
                    }
                    None => ops,
                };
                ScriptStep {
                    from: step.from.clone(),
                    to: step.to.clone(),
                    file: self.sources.path(revision.file).to_string(),
                    message: revision.message.clone(),
                    doc: revision.doc.clone(),
                    ops,
                    version: step.version.clone(),
                }
            })
            .collect()
    }

    /// A baseline's step: its schema predates the migrations, so no script
    /// creates or drops it; an upgrade applies its ops to the model (what
    /// follows alters those tables) and the step records only its version row.
    fn baseline(&mut self, n: usize, direction: Direction) -> Vec<OpSql> {
        let revision = self.graph.revision(n);
        let note = match direction {
            Direction::Upgrade => {
                for op in &revision.upgrade {
                    if self.broken {
                        break;
                    }
                    if let Err(d) = self.schema.apply(op) {
                        self.diags.push(d);
                        self.broken = true;
                    }
                }
                format!(
                    "baseline, not run: the database already holds this schema (for a new \
                     database, create it with `ddlc schema {}` first); only the version row \
                     is recorded",
                    revision.id.0
                )
            }
            Direction::Downgrade => "baseline, not undone: its schema predates the migrations \
                                     and stays; only the version row is removed"
                .to_string(),
        };
        vec![OpSql {
            origin: self.origin(revision.id_span),
            name: "baseline",
            undoes: None,
            stmts: vec![Stmt {
                body: crate::render::Body::Note(note),
                transactional: true,
                block: false,
            }],
        }]
    }

    /// What the script runs around its transaction: foreign keys off while
    /// SQLite rebuilds tables they reference, else nothing.
    fn around(&mut self, schemas: &[String]) -> Result<Around, Failure> {
        if schemas.is_empty() {
            return Ok(Around::default());
        }
        let fk = lower::foreign_keys_off(self.renderer, schemas).map_err(|d| self.fail(d))?;
        Ok(Around {
            before: fk.before,
            before_commit: fk.check,
            before_last_commit: fk.forget,
            after: fk.after,
        })
    }

    /// Applies every revision before the range, keeping what `downgrade auto` needs.
    fn replay(&mut self, plan: &Plan) {
        for &n in &plan.replay {
            let revision = self.graph.revision(n);
            let keep = matches!(revision.downgrade, Downgrade::Auto(_))
                && plan.direction == Direction::Downgrade;
            let mut inverses = Vec::new();
            for op in &revision.upgrade {
                if self.broken {
                    return;
                }
                match self.schema.apply(op) {
                    Ok(applied) => inverses.push((op.span, op.kind.name(), applied.inverse)),
                    Err(d) => {
                        self.diags.push(d);
                        self.broken = true;
                    }
                }
            }
            if keep {
                self.inverses[n] = Some(inverses);
            }
        }
    }

    /// The ops that undo revision `n`, each derived one with the name of the
    /// upgrade op it undoes; or None (with diagnostics) when it cannot be undone.
    fn downgrade_ops(&mut self, n: usize) -> Option<Vec<Undo<'a>>> {
        let graph: &'a Graph = self.graph;
        let revision: &'a Revision = graph.revision(n);
        match &revision.downgrade {
            Downgrade::Ops(ops) => Some(ops.iter().map(|op| (None, Cow::Borrowed(op))).collect()),
            Downgrade::Irreversible { reason, span } => {
                self.diags.push(
                    Diagnostic::error(
                        Code::IrreversibleRevision,
                        format!("revision `{}` cannot be downgraded: {reason}", revision.id),
                    )
                    .at(*span, "declared irreversible here")
                    .with_help("stop the downgrade above this revision"),
                );
                None
            }
            Downgrade::Auto(auto_span) => {
                let recorded = self.inverses.get_mut(n).and_then(Option::take)?;
                let mut ops = Vec::new();
                let mut ok = true;
                // Undo in reverse op order; each op's inverse list is already in run order.
                for (span, name, inverse) in recorded.into_iter().rev() {
                    match inverse {
                        Ok(inverse) => {
                            ops.extend(inverse.into_iter().map(|op| (Some(name), Cow::Owned(op))))
                        }
                        Err(reason) => {
                            ok = false;
                            self.diags.push(
                                Diagnostic::error(
                                    Code::IrreversibleOp,
                                    format!("`downgrade auto` cannot invert `{name}`"),
                                )
                                .at(span, reason)
                                .with_secondary(*auto_span, "the downgrade is derived here")
                                .with_help("write `downgrade { ... }` by hand, or `downgrade irreversible \"why\"`"),
                            );
                        }
                    }
                }
                ok.then_some(ops)
            }
        }
    }

    /// Applies and lowers each op; a lowering problem is reported and the next op still runs.
    /// Consecutive ops on one table that SQLite rebuilds share one rebuild.
    fn lower_all(&mut self, ops: &[Undo<'_>]) -> Vec<OpSql> {
        let mut out = Vec::new();
        let mut lowering = Lowering::new(self.renderer).deferring(self.defer);
        for (undoes, op) in ops {
            if self.broken {
                break;
            }
            let folded = lowering.before(op, &self.schema);
            self.attach(&mut out, folded);
            let applied = match self.schema.apply(op) {
                Ok(applied) => applied,
                Err(d) => {
                    self.diags.push(d);
                    self.broken = true;
                    break;
                }
            };
            match lowering.lower(op, &applied, &self.schema) {
                Ok(stmts) => out.push(OpSql {
                    origin: self.origin(op.span),
                    undoes: *undoes,
                    name: op.kind.name(),
                    stmts,
                }),
                Err(d) => self.report(d),
            }
        }
        if !self.broken {
            let folded = lowering.finish(&self.schema);
            self.attach(&mut out, folded);
        }
        self.step_foreign_keys
            .push(lowering.foreign_key_schemas.clone());
        for s in lowering.foreign_key_schemas {
            if !self.foreign_key_schemas.contains(&s) {
                self.foreign_key_schemas.push(s);
            }
        }
        out
    }

    /// Puts a rebuild's statements in place of the note of the last op it covers.
    fn attach(
        &mut self,
        out: &mut [OpSql],
        folded: Result<Option<(usize, Vec<Stmt>)>, Diagnostic>,
    ) {
        match folded {
            Ok(Some((_, stmts))) => {
                if let Some(last) = out.last_mut() {
                    last.stmts = stmts;
                }
            }
            Ok(None) => {}
            Err(d) => self.report(d),
        }
    }

    /// Reports `d` and stops: with the template error if `d` is one.
    fn fail(&mut self, d: Diagnostic) -> Failure {
        self.report(d);
        match self.template.take() {
            Some(e) => Failure::Error(e),
            None => Failure::Reported,
        }
    }

    /// Reports a lowering problem; a template that failed to render becomes
    /// the run's [`Error::Template`], at the op it was lowering.
    fn report(&mut self, d: Diagnostic) {
        let place = match &d.primary {
            Some(l) => format!(" ({}, {})", self.origin(l.span), l.message),
            None => String::new(),
        };
        match crate::lower::template_failure(&d, &place) {
            Some(e) => {
                self.template.get_or_insert(e);
            }
            None => {
                let _ = self.diags.error(d);
            }
        }
    }

    /// `migrations/versions/x.mig:12`.
    fn origin(&self, span: Span) -> String {
        if (span.file.0 as usize) >= self.sources.len() {
            return "<generated>".into();
        }
        let file = self.sources.file(span.file);
        let (line, _) = file.line_col(span.start);
        format!("{}:{line}", file.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::tests::rev;
    use crate::source::FileId;

    /// Revisions without ops never reach the schema model or lowering, so the
    /// orchestration (plans, version rows, downgrade modes) is testable alone.
    fn project(downgrade_of_second: Downgrade) -> Project {
        let mut sources = SourceMap::new();
        let first = sources.add("migrations/versions/a.mig", "revision \"aaaa\"\n");
        let second = sources.add(
            "migrations/versions/b.mig",
            "revision \"bbbb\"\ndowngrade irreversible \"data\"\n",
        );
        let mut a = rev("aaaa", &[]);
        a.file = first;
        a.doc = Some("first\nrevision".into());
        let mut b = rev("bbbb", &["aaaa"]);
        b.file = second;
        b.downgrade = downgrade_of_second;
        let graph = Graph::build(vec![a, b], &sources, &mut Diagnostics::new()).unwrap();
        Project { sources, graph }
    }

    fn request(direction: Direction, range: &str) -> Request {
        Request {
            direction,
            range: range.into(),
            dialect: Dialect::PostgreSql,
            templates: None,
        }
    }

    #[test]
    fn upgrade_and_downgrade_of_op_less_revisions() {
        let config = Config::defaults("proj".into());
        let project = project(Downgrade::Ops(Vec::new()));
        let run = |request: &Request| compile(&project, &config, request, &mut Diagnostics::new());
        let up = run(&request(Direction::Upgrade, "heads")).unwrap();
        assert!(up.contains("-- Generated by ddlc"), "{up}");
        assert!(up.contains("upgrade base:bbbb (postgresql)"), "{up}");
        assert!(
            up.contains("-- migrations/versions/a.mig: message of aaaa\n-- first\n-- revision\n"),
            "{up}"
        );
        assert!(
            up.contains(
                "UPDATE alembic_version SET version_num = 'bbbb' WHERE version_num = 'aaaa';"
            ),
            "{up}"
        );
        let down = run(&request(Direction::Downgrade, "bbbb:base")).unwrap();
        assert!(!down.contains("CREATE TABLE"), "{down}");
        assert!(
            down.contains("-- Running downgrade bbbb -> aaaa\n"),
            "{down}"
        );
        assert!(
            down.contains("DELETE FROM alembic_version WHERE version_num = 'aaaa';"),
            "{down}"
        );
    }

    #[test]
    fn irreversible_revision_and_bad_targets_are_diagnostics() {
        let config = Config::defaults("proj".into());
        let span = Span::new(FileId(1), 16, 48);
        let project = project(Downgrade::Irreversible {
            reason: "data".into(),
            span,
        });
        let codes = |direction, range: &str| {
            let mut diags = Diagnostics::new();
            match compile(&project, &config, &request(direction, range), &mut diags) {
                Err(Failure::Reported) => diags
                    .as_slice()
                    .iter()
                    .map(|d| d.code.id())
                    .collect::<Vec<_>>(),
                Err(f) => panic!("{f:?}"),
                Ok(text) => panic!("compiled: {text}"),
            }
        };
        assert_eq!(
            codes(Direction::Downgrade, "head:base"),
            [Code::IrreversibleRevision]
        );
        assert_eq!(codes(Direction::Upgrade, "cccc"), [Code::UnknownRevision]);
        // Stopping above the irreversible revision is fine.
        let request = request(Direction::Upgrade, "aaaa:bbbb");
        assert!(compile(&project, &config, &request, &mut Diagnostics::new()).is_ok());
    }

    /// A template that fails while an op is lowered is ddlc's (or the
    /// override's) error, exit 2, naming the op; not a problem in the migrations.
    /// Compiles `upgrade {<upgrade>}` in revision `aaaa` (file `a.mig`) for
    /// postgresql, with one template (`name`, `text`) overridden.
    fn compile_with_template(
        upgrade: &str,
        (name, text): (&str, &str),
        diags: &mut Diagnostics,
    ) -> Result<String, Failure> {
        let mut sources = SourceMap::new();
        let file = sources.add(
            "migrations/versions/a.mig",
            format!("revision \"aaaa\"\nrevises base\nmessage \"m\"\nupgrade {{\n{upgrade}}}\ndowngrade auto\n"),
        );
        let naming = crate::naming::Convention::default();
        let revision = crate::syntax::parse_revision(&sources, file, &naming, diags)
            .unwrap_or_else(|_| panic!("{:?}", diags.as_slice()));
        let graph = Graph::build(vec![revision], &sources, diags).unwrap();
        let project = Project { sources, graph };
        let templates = tempfile::tempdir().unwrap();
        let dir = camino::Utf8Path::from_path(templates.path()).unwrap();
        std::fs::create_dir_all(dir.join("postgresql")).unwrap();
        std::fs::write(dir.join(format!("postgresql/{name}.sql")), text).unwrap();
        let mut request = request(Direction::Upgrade, "head");
        request.templates = Some(dir.to_path_buf());
        compile(&project, &Config::defaults("proj".into()), &request, diags)
    }

    #[test]
    fn a_template_that_fails_to_render_is_an_error_at_the_op() {
        let mut diags = Diagnostics::new();
        let upgrade = "    create_table t {\n        id : integer\n    }\n";
        let failure =
            compile_with_template(upgrade, ("create_table", "{{ nosuch.attr }}"), &mut diags)
                .unwrap_err();
        assert_eq!(failure.exit_code(), crate::diag::exit::USAGE);
        let Failure::Error(Error::Template(message)) = &failure else {
            panic!("{failure:?}");
        };
        assert!(message.contains("migrations/versions/a.mig:5"), "{message}");
        assert!(!message.starts_with("template error"), "{message}");
        assert!(diags.is_empty(), "{:?}", diags.as_slice());
    }

    /// A statement rendered on a worker that comes out empty is dropped as the
    /// plain lowering drops it: the compile lowers again without deferring,
    /// and the op is shown with no SQL, its diagnostics reported once.
    #[test]
    fn a_template_that_renders_nothing_leaves_the_op_without_sql() {
        let mut diags = Diagnostics::new();
        let upgrade =
            "    create_table t {\n        id : integer\n    }\n    create_index ix_t on t (id)\n";
        let script =
            compile_with_template(upgrade, ("create_index", "{# nothing #}"), &mut diags).unwrap();
        assert!(script.contains("CREATE TABLE t ("), "{script}");
        assert!(!script.contains("INDEX"), "{script}");
        assert!(
            script.contains("a.mig:8 create_index\n-- (no SQL on postgresql)"),
            "{script}"
        );
        assert!(diags.is_empty(), "{:?}", diags.as_slice());
    }

    /// The one mapping from failures to exit codes, as README.md states it.
    #[test]
    fn failures_map_to_the_documented_exit_codes() {
        use crate::diag::exit;
        let io = |kind| {
            Failure::Error(Error::Io {
                path: "x".into(),
                source: std::io::Error::from(kind),
            })
        };
        assert_eq!((exit::SUCCESS, exit::PROBLEMS, exit::USAGE), (0, 1, 2));
        assert_eq!(Failure::Reported.exit_code(), exit::PROBLEMS);
        assert_eq!(Failure::Usage.exit_code(), exit::USAGE);
        assert_eq!(
            Failure::Error(Error::Message("bad".into())).exit_code(),
            exit::USAGE
        );
        assert_eq!(io(std::io::ErrorKind::NotFound).exit_code(), exit::USAGE);
        // A template bug is ddlc's (or an override's), never the migrations'.
        assert_eq!(
            Failure::Error(Error::Template("t".into())).exit_code(),
            exit::USAGE
        );
        // A closed stdout pipe: nobody is reading, not a failure.
        assert_eq!(
            io(std::io::ErrorKind::BrokenPipe).exit_code(),
            exit::SUCCESS
        );
        let mut diags = Diagnostics::new();
        let reported = diags.error(Diagnostic::error(Code::UnknownRevision, "x"));
        assert_eq!(Failure::from(reported).exit_code(), exit::PROBLEMS);
    }
}

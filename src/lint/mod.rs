//! `ddlc lint`: migration safety checks over the op IR and the schema model.
//!
//! For one dialect, the range's revisions are replayed from base as
//! `compile` does; each op of each revision in the range is shown, with the
//! schema as it is before the op, to every enabled [`Rule`], and each
//! revision as a whole once its ops are applied. Rules read the IR and the
//! model only, never SQL that ddlc wrote. [`lint`] runs several dialects,
//! merges what they share, and applies the suppressions written in the
//! migrations ([`suppress`]).

pub mod rules;
pub mod sarif;
pub mod settings;
pub mod suppress;
#[cfg(test)]
pub(crate) mod testkit;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics, Failure, Severity};
use crate::dialect::{Dialect, Rules};
use crate::graph::Graph;
use crate::ir::{Op, OpKind, QualifiedName, Revision, RevisionId};
use crate::project::Project;
use crate::schema::Schema;
use crate::source::{FileId, Span};
use indexmap::IndexSet;
pub use settings::Settings;

/// One problem a rule found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule's kebab-case id: `drop-column`.
    pub rule: &'static str,
    /// As configured (the rule's default unless ddlc.toml says otherwise).
    pub severity: Severity,
    /// One line: "`drop_column` removes `customer.name` and its data".
    pub message: String,
    /// What it points at in the `.mig`.
    pub span: Span,
    /// What to say under the caret.
    pub label: String,
    /// The op (or the downgrade line) it belongs to: a suppression written
    /// above that line silences it.
    pub anchor: Span,
    /// The revision's index in the project's graph.
    pub revision: usize,
    /// The revision's id.
    pub revision_id: RevisionId,
    /// How to do it safely.
    pub help: Option<String>,
    /// The dialects it was found for, in the order linted.
    pub dialects: Vec<Dialect>,
}

impl Finding {
    /// The finding as a diagnostic for the project's renderer: printed as
    /// `warning[drop-column]` (or `error[...]`), the dialects in a note.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let mut d = match self.severity {
            Severity::Error => Diagnostic::error(crate::diag::Code::Lint, self.message.clone()),
            Severity::Warning => Diagnostic::warning(crate::diag::Code::Lint, self.message.clone()),
        }
        .at(self.span, self.label.clone());
        d.rule = Some(self.rule);
        if let Some(help) = &self.help {
            d = d.with_help(help.clone());
        }
        if !self.dialects.is_empty() {
            let names: Vec<&str> = self.dialects.iter().map(|d| d.name()).collect();
            d = d.with_note(format!("for {}", names.join(", ")));
        }
        d
    }
}

/// What a rule reports; the driver adds the rule, severity, revision and dialect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// See [`Finding::message`].
    pub message: String,
    /// See [`Finding::span`].
    pub span: Span,
    /// See [`Finding::label`].
    pub label: String,
    /// See [`Finding::help`].
    pub help: Option<String>,
}

impl Hit {
    /// A hit at `span`.
    pub fn new(message: impl Into<String>, span: Span, label: impl Into<String>) -> Hit {
        Hit {
            message: message.into(),
            span,
            label: label.into(),
            help: None,
        }
    }

    /// With a `help:` line.
    pub fn help(mut self, help: impl Into<String>) -> Hit {
        self.help = Some(help.into());
        self
    }
}

/// What a rule sees of one op: the schema before it, the dialect, and
/// which tables this revision created.
pub struct Cx<'a> {
    /// The model before the op.
    pub before: &'a Schema,
    /// The dialect linted.
    pub dialect: Dialect,
    /// Its facts.
    pub rules: &'static dyn Rules,
    /// The revision the op belongs to.
    pub revision: &'a Revision,
    /// Keys of the tables created by this revision's earlier ops (under
    /// their current names): exempt from lock rules, having no rows yet.
    pub new_tables: &'a IndexSet<String>,
    /// The engine's major version, when `[lint.versions]` gives it.
    pub version: Option<u32>,
    /// The timeouts the project's scripts set (`[scripts]`).
    pub settings_scripts: crate::config::Scripts,
}

impl Cx<'_> {
    /// True when `table` existed before this revision: it may hold rows and
    /// be in use, so locks and rewrites matter. A table created earlier in
    /// the same range is not new (another deploy may have created it).
    pub fn existing(&self, table: &QualifiedName) -> bool {
        self.before.table(table).is_some() && !self.new_tables.contains(&table.key())
    }
}

/// What a rule sees of a whole revision, after its ops.
pub struct RevisionCx<'a> {
    /// The revision.
    pub revision: &'a Revision,
    /// Its upgrade ops for this dialect.
    pub ops: &'a [Op],
    /// The model after the revision.
    pub after: &'a Schema,
    /// The model before it, where the revision has a hand-written downgrade
    /// (`downgrade-incomplete` compares the two; copied only then).
    pub before: Option<&'a Schema>,
    /// The dialect linted.
    pub dialect: Dialect,
    /// Its facts.
    pub rules: &'static dyn Rules,
    /// Tables this revision created (keys after the revision).
    pub new_tables: &'a IndexSet<String>,
}

/// One check. Each lives in a file of its own under `rules/`, with its tests.
pub trait Rule: Sync {
    /// The kebab-case id, used in output, ddlc.toml and suppressions.
    fn id(&self) -> &'static str;
    /// One line: what it finds.
    fn summary(&self) -> &'static str;
    /// Its severity unless ddlc.toml sets one.
    fn default_severity(&self) -> Severity {
        Severity::Warning
    }
    /// Looks at one op, before it is applied.
    fn op(&self, _op: &Op, _cx: &Cx, _out: &mut Vec<Hit>) {}
    /// Looks at a revision once its ops are applied.
    fn revision(&self, _cx: &RevisionCx, _out: &mut Vec<Hit>) {}
}

/// Every rule, in the order docs/lint.md lists them.
pub fn all_rules() -> &'static [&'static dyn Rule] {
    rules::ALL
}

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static dyn Rule> {
    all_rules().iter().copied().find(|r| r.id() == id)
}

/// Findings of one dialect, unsuppressed, and the files of the revisions linted.
#[derive(Clone, Debug, Default)]
pub struct DialectLint {
    /// In the order found.
    pub findings: Vec<Finding>,
    /// Files whose revisions ran through the rules.
    pub files: Vec<FileId>,
}

/// Lints the upgrade `range` (`heads`, `FROM:TO`, ...) for one dialect. An op
/// the model refuses stops the lint there quietly: `compile` and `check`
/// report it. A range that names nothing is a diagnostic.
pub fn lint_dialect(
    project: &Project,
    settings: &Settings,
    dialect: Dialect,
    range: &str,
) -> Result<DialectLint, Diagnostic> {
    let selected = project.graph.for_dialect(dialect);
    let graph: &Graph = &selected;
    let plan = graph.plan_upgrade(range)?;
    let mut schema = Schema::new();
    let mut out = DialectLint::default();
    for &n in &plan.replay {
        if graph
            .revision(n)
            .upgrade
            .iter()
            .any(|op| schema.apply(op).is_err())
        {
            return Ok(out);
        }
    }
    let enabled = settings.enabled();
    for step in &plan.steps {
        let revision = graph.revision(step.node);
        if revision.baseline.is_some() {
            if revision.upgrade.iter().any(|op| schema.apply(op).is_err()) {
                break;
            }
            continue;
        }
        out.files.push(revision.file);
        let ok = lint_revision(
            step.node,
            revision,
            &mut schema,
            dialect,
            &enabled,
            settings,
            &mut out,
        );
        if !ok {
            break;
        }
    }
    Ok(out)
}

/// Runs the rules over one revision, applying its ops; false when an op failed to apply.
fn lint_revision(
    node: usize,
    revision: &Revision,
    schema: &mut Schema,
    dialect: Dialect,
    enabled: &[&'static dyn Rule],
    settings: &Settings,
    out: &mut DialectLint,
) -> bool {
    let rules = dialect.rules();
    let mut new_tables = IndexSet::new();
    let before = matches!(revision.downgrade, crate::ir::Downgrade::Ops(_)).then(|| schema.clone());
    let finding = |rule: &dyn Rule, hit: Hit, anchor: Span| Finding {
        rule: rule.id(),
        severity: settings.severity(rule),
        message: hit.message,
        span: hit.span,
        label: hit.label,
        anchor,
        revision: node,
        revision_id: revision.id.clone(),
        help: hit.help,
        dialects: vec![dialect],
    };
    for op in &revision.upgrade {
        let cx = Cx {
            before: schema,
            dialect,
            rules,
            revision,
            new_tables: &new_tables,
            version: settings.versions.get(&dialect).copied(),
            settings_scripts: settings.scripts,
        };
        for rule in enabled {
            let mut hits = Vec::new();
            rule.op(op, &cx, &mut hits);
            out.findings
                .extend(hits.into_iter().map(|h| finding(*rule, h, op.span)));
        }
        if schema.apply(op).is_err() {
            return false;
        }
        track_new_tables(op, &mut new_tables);
    }
    let cx = RevisionCx {
        revision,
        ops: &revision.upgrade,
        after: schema,
        before: before.as_ref(),
        dialect,
        rules,
        new_tables: &new_tables,
    };
    for rule in enabled {
        let mut hits = Vec::new();
        rule.revision(&cx, &mut hits);
        out.findings.extend(hits.into_iter().map(|h| {
            let anchor = h.span;
            finding(*rule, h, anchor)
        }));
    }
    true
}

/// The rules `ddlc check` runs as checks of its own (`sum`, `downgrades`):
/// its lint step leaves them out so each is reported once.
pub const CHECKED_BY_CHECK: &[&str] = &["released-migration-edited", "downgrade-incomplete"];

/// Keeps `new` naming the tables this revision created, under their names now.
fn track_new_tables(op: &Op, new: &mut IndexSet<String>) {
    match &op.kind {
        OpKind::CreateTable(c) => {
            new.insert(c.name.key());
        }
        OpKind::RenameTable(r) if new.shift_remove(&r.from.key()) => {
            let to = QualifiedName {
                schema: r.from.schema.clone(),
                name: r.to.clone(),
            };
            new.insert(to.key());
        }
        OpKind::DropTable(d) => {
            new.shift_remove(&d.name.key());
        }
        _ => {}
    }
}

/// A whole lint: findings kept, findings suppressed (with the reason).
#[derive(Clone, Debug, Default)]
pub struct Lint {
    /// What is reported, in the order found, suppression problems included.
    pub findings: Vec<Finding>,
    /// What a suppression silenced, with its reason.
    pub suppressed: Vec<(Finding, String)>,
    /// The dialects linted.
    pub dialects: Vec<Dialect>,
}

impl Lint {
    /// The worst severity reported, if any.
    pub fn worst(&self) -> Option<Severity> {
        let mut worst = None;
        for f in &self.findings {
            match f.severity {
                Severity::Error => return Some(Severity::Error),
                Severity::Warning => worst = Some(Severity::Warning),
            }
        }
        worst
    }
}

/// Lints `range` for each of `dialects`, merges the findings they share
/// (same rule, place and message) and applies the project's suppressions.
/// A suppression is unused when it silenced nothing for any dialect linted.
/// Bad `[lint]` settings are an error; a range that names nothing goes to `diags`.
pub fn lint(
    project: &Project,
    config: &Config,
    dialects: &[Dialect],
    range: &str,
    diags: &mut Diagnostics,
) -> Result<Lint, Failure> {
    let settings = Settings::from_config(config)?;
    let mut merged: Vec<Finding> = Vec::new();
    // (rule, place, message) -> its index in `merged`: one lookup per finding.
    let mut seen: std::collections::HashMap<(&'static str, Span, String), usize> =
        std::collections::HashMap::new();
    let mut files: IndexSet<FileId> = IndexSet::new();
    for &dialect in dialects {
        let one = lint_dialect(project, &settings, dialect, range).map_err(|d| diags.error(d))?;
        files.extend(one.files);
        for f in one.findings {
            let key = (f.rule, f.span, f.message.clone());
            match seen.get(&key) {
                Some(&i) => merged[i].dialects.push(dialect),
                None => {
                    seen.insert(key, merged.len());
                    merged.push(f);
                }
            }
        }
    }
    let files: Vec<FileId> = files.into_iter().collect();
    if settings
        .enabled()
        .iter()
        .any(|r| r.id() == rules::RELEASED_EDITED)
    {
        let edited =
            rules::released_migration_edited::findings(project, config, &settings, dialects)
                .map_err(Failure::Error)?;
        merged.extend(edited.into_iter().filter(|f| files.contains(&f.span.file)));
    }
    let mut lint = suppress::apply(project, &settings, &files, merged);
    lint.dialects = dialects.to_vec();
    Ok(lint)
}

#[cfg(test)]
mod tests {
    use super::testkit::{findings, project};
    use super::*;

    const T: &str =
        "    create_table t {\n        id : integer primary_key\n        c : integer\n    }";

    #[test]
    fn a_table_made_in_the_revision_stays_new_under_a_new_name() {
        let same = format!("{T}\n    rename_table t -> u\n    drop_column u.c");
        assert!(findings(&[&same], Dialect::DEFAULT).is_empty());
        // Dropped and made again in one revision: new again.
        let remade = format!("    drop_table t\n{T}\n    drop_column t.c");
        let found = findings(&[T, &remade], Dialect::DEFAULT);
        assert_eq!(
            found,
            ["drop-table@0002: `drop_table` removes table `t` and every row in it"]
        );
    }

    #[test]
    fn a_range_lints_its_revisions_with_the_schema_replayed_before_it() {
        let p = project(&[T, "    drop_column t.c"]);
        let mut config = Config::defaults("proj".into());
        config.scripts.lock_timeout = Some(crate::config::Timeout(5_000));
        let settings = Settings::from_config(&config).unwrap();
        let run = |range: &str| {
            lint_dialect(&p, &settings, Dialect::DEFAULT, range)
                .unwrap()
                .findings
                .into_iter()
                .map(|f| f.revision_id.0)
                .collect::<Vec<_>>()
        };
        assert_eq!(run("0001:0002"), ["0002"]);
        assert!(run("0002:0002").is_empty());
        assert!(run("0001").is_empty());
        assert!(lint_dialect(&p, &Settings::default(), Dialect::DEFAULT, "nosuch").is_err());
    }

    #[test]
    fn dialects_share_a_finding_and_a_suppression() {
        let p = project(&[
            T,
            "    # lint: allow index-without-concurrently \"quiet hours\"\n    create_index ix_t_c on t (c)\n    drop_column t.c",
        ]);
        let mut config = Config::defaults("proj".into());
        config.scripts.lock_timeout = Some(crate::config::Timeout(5_000));
        let mut diags = Diagnostics::new();
        let dialects = [Dialect::PostgreSql, Dialect::Sqlite];
        let found = lint(&p, &config, &dialects, "heads", &mut diags).unwrap();
        let kept: Vec<(&str, usize)> = found
            .findings
            .iter()
            .map(|f| (f.rule, f.dialects.len()))
            .collect();
        // The suppression is used on one dialect: not reported as unused.
        assert_eq!(kept, [("drop-column", 2)]);
        assert_eq!(found.suppressed.len(), 1);
        assert_eq!(found.suppressed[0].1, "quiet hours");
    }
}

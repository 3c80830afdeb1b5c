//! The revision graph: a DAG of [`Revision`]s linked by `revises`, and the
//! plans that walk it (which revisions an upgrade or downgrade runs, in which
//! order, and how the version table's rows change at each step).
//!
//! Everything is linear in the number of revisions: adjacency lists, one
//! topological order computed at build time, ancestor sets as bit vectors.

use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, Reported};
use crate::dialect::Dialect;
use crate::ir::{Revision, RevisionId};
use crate::source::{SourceMap, Span};
use indexmap::IndexMap;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Shortest id prefix accepted as a target. Alembic matches any prefix but
/// suggests four characters; a shorter prefix picking a revision by accident
/// in a production script is not worth the keystrokes saved.
pub const MIN_PREFIX: usize = 4;

/// Characters a revision id or branch label may not contain, because target
/// syntax uses them (`label@id`, `id+2`, `head-1`, `FROM:TO`) or scripts list
/// several revisions with them (`-- Running upgrade a, b -> c`). Alembic
/// forbids `@ - +` as well.
const ILLEGAL_ID_CHARS: [char; 5] = ['@', '-', '+', ':', ','];

/// What the `invalid-revision-id` and `invalid-label` notes say.
const ID_RULES: &str = "ids and labels are non-empty, not `base`, `head` or `heads`, and contain no \
     whitespace, control characters or `@ - + : ,` (target syntax: `label@head`, `id+1`, `FROM:TO`)";

/// Words that targets read as themselves, so an id or label spelled so could
/// never be named.
const TARGET_WORDS: [&str; 3] = ["base", "head", "heads"];

/// Why `name` cannot be a revision id or a branch label, if it cannot.
fn invalid_name(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("is empty".into());
    }
    if TARGET_WORDS.contains(&name) {
        return Some(format!(
            "is a target keyword: `ddlc upgrade {name}` means {}, never this revision",
            match name {
                "base" => "no revision at all",
                "head" => "the newest revision",
                _ => "every head",
            }
        ));
    }
    let bad = name.chars().find(|&c| {
        ILLEGAL_ID_CHARS.contains(&c) || c.is_whitespace() || c.is_control() || is_invisible(c)
    })?;
    Some(format!("contains `{}`", bad.escape_default()))
}

/// Zero-width and bidirectional-formatting characters: an id holding one
/// looks like another id and cannot be typed.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// Revision ids longer than the version table's column (`max` characters, set
/// by `setting`): each is a located error, as the engine would refuse the
/// version row's INSERT only when the script runs.
pub fn overlong_ids(
    revisions: &[Revision],
    max: usize,
    setting: &str,
    diags: &mut Diagnostics,
) -> Result<(), Reported> {
    let mark = diags.mark();
    let found = revisions.iter().filter_map(|revision| {
            let length = revision.id.0.chars().count();
            (length > max).then(|| {
                Diagnostic::error(
                    Code::RevisionIdTooLong,
                    format!(
                        "revision id `{}` is {length} characters; the version table's column holds {max} ({setting})",
                        revision.id
                    ),
                )
                .at(revision.id_span, format!("longer than {max} characters"))
                .with_help("shorten the id, or raise `column_length` under `[version_table]` in ddlc.toml (an existing version table's column must be widened to match first)")
            })
        });
    diags.extend(found);
    diags.check_since(mark)
}

/// One revision and its links, by index into [`Graph::nodes`].
#[derive(Clone, Debug)]
pub struct Node {
    /// The revision itself.
    pub revision: Revision,
    /// Indexes of the revisions it revises, in the order written.
    pub parents: Vec<usize>,
    /// Indexes of its `depends_on` revisions that are not already below a
    /// parent (Alembic's normalised dependencies), in the order written.
    pub depends: Vec<usize>,
    /// Indexes of the revisions that revise it, in file order.
    pub children: Vec<usize>,
    /// Indexes of the revisions that depend on it, in file order.
    pub dependents: Vec<usize>,
}

impl Node {
    /// What must be applied before this revision: its parents, then its
    /// dependencies. Ordering, the applied set and the version table follow
    /// these; heads, branches and `+N` walks follow `parents` alone, as in
    /// Alembic, where a dependency does not continue the branch it points at.
    pub fn below(&self) -> impl Iterator<Item = usize> + '_ {
        self.parents.iter().chain(&self.depends).copied()
    }

    /// What cannot be applied before this revision: the revisions that
    /// revise it, then those that depend on it.
    pub fn above(&self) -> impl Iterator<Item = usize> + '_ {
        self.children.iter().chain(&self.dependents).copied()
    }
}

/// The revision DAG. Node indexes follow file order (the order revisions were
/// given to [`Graph::build`]), which breaks every tie deterministically.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    nodes: Vec<Node>,
    index: IndexMap<String, usize>,
    labels: IndexMap<String, usize>,
    topo: Vec<usize>,
    heads: Vec<usize>,
    bases: Vec<usize>,
}

/// Which way a plan moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Towards the heads.
    Upgrade,
    /// Towards base.
    Downgrade,
}

impl Direction {
    /// `upgrade` / `downgrade`.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Upgrade => "upgrade",
            Direction::Downgrade => "downgrade",
        }
    }
}

/// A change to the version table, one row per applied head.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VersionOp {
    /// A new row: a branch starts (from base, or beside another head).
    Insert(RevisionId),
    /// A row moves along the graph.
    Update {
        /// The row's old value.
        from: RevisionId,
        /// The row's new value.
        to: RevisionId,
    },
    /// A row goes away: back to base, or two heads collapse into a merge.
    Delete(RevisionId),
}

/// One revision run by a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The revision's node index.
    pub node: usize,
    /// The versions before the step (`-- Running upgrade FROM -> TO`): the
    /// parents on upgrade, the revision itself on downgrade.
    pub from: Vec<RevisionId>,
    /// The versions after the step.
    pub to: Vec<RevisionId>,
    /// The version-table changes, in the order to run them.
    pub version: Vec<VersionOp>,
}

/// What an upgrade or downgrade runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Upgrade or downgrade.
    pub direction: Direction,
    /// The heads the database is at before the plan (empty: base).
    pub start: Vec<usize>,
    /// The heads it is at afterwards (empty: base).
    pub end: Vec<usize>,
    /// Every revision applied before the first step, parents first: what the
    /// schema model replays without emitting SQL.
    pub replay: Vec<usize>,
    /// The steps, in the order to run them.
    pub steps: Vec<Step>,
}

impl Graph {
    /// Links revisions (in file order) into a graph. Reports every duplicate id,
    /// unknown parent, duplicate label and cycle, not just the first.
    pub fn build(
        revisions: Vec<Revision>,
        sources: &SourceMap,
        diags: &mut Diagnostics,
    ) -> Result<Graph, Reported> {
        let mark = diags.mark();
        let mut graph = Graph::default();
        for revision in revisions {
            if let Some(why) = invalid_name(&revision.id.0) {
                diags.push(
                    Diagnostic::error(
                        Code::InvalidRevisionId,
                        format!("revision id `{}` {why}", revision.id.0.escape_default()),
                    )
                    .at(revision.id_span, "not usable as a revision id")
                    .with_note(ID_RULES),
                );
                continue;
            }
            for label in &revision.labels {
                if let Some(why) = invalid_name(label) {
                    diags.push(
                        Diagnostic::error(
                            Code::InvalidLabel,
                            format!(
                                "branch label `{}` of revision `{}` {why}",
                                label.escape_default(),
                                revision.id
                            ),
                        )
                        .at(revision.id_span, "in this revision's labels")
                        .with_note(ID_RULES),
                    );
                }
            }
            if let Some(&first) = graph.index.get(&revision.id.0) {
                let earlier = &graph.nodes[first].revision;
                diags.push(
                    Diagnostic::error(
                        Code::DuplicateRevision,
                        format!(
                            "revision `{}` is defined twice: in `{}` and `{}`",
                            revision.id,
                            file_path(sources, earlier),
                            file_path(sources, &revision),
                        ),
                    )
                    .at(revision.id_span, "defined again here")
                    .with_secondary(earlier.id_span, "first defined here")
                    .with_help("give one of them a new id"),
                );
                continue;
            }
            graph.index.insert(revision.id.0.clone(), graph.nodes.len());
            graph.nodes.push(Node {
                revision,
                parents: Vec::new(),
                depends: Vec::new(),
                children: Vec::new(),
                dependents: Vec::new(),
            });
        }
        graph.link(diags);
        graph.map_labels(diags);
        graph.sort(diags);
        diags.check_since(mark)?;
        graph.normalise_dependencies();
        Ok(graph)
    }

    fn link(&mut self, diags: &mut Diagnostics) {
        for i in 0..self.nodes.len() {
            let mut parents: Vec<usize> = Vec::new();
            for (parent, span) in &self.nodes[i].revision.parents {
                match self.index.get(&parent.0) {
                    Some(&p) if parents.contains(&p) => diags.push(
                        Diagnostic::error(
                            Code::DuplicateParent,
                            format!("`{parent}` is listed twice in `revises`"),
                        )
                        .at(*span, "listed again here"),
                    ),
                    Some(&p) => parents.push(p),
                    None => diags.push(
                        Diagnostic::error(
                            Code::UnknownParent,
                            format!("revision `{parent}` does not exist"),
                        )
                        .at(*span, "no revision with this id")
                        .with_suggestion(&parent.0, self.index.keys().map(String::as_str)),
                    ),
                }
            }
            for &p in &parents {
                self.nodes[p].children.push(i);
            }
            let depends = self.link_dependencies(i, &parents, diags);
            for &d in &depends {
                self.nodes[d].dependents.push(i);
            }
            self.nodes[i].parents = parents;
            self.nodes[i].depends = depends;
        }
    }

    /// Resolves revision `i`'s `depends_on` ids; `parents` are its resolved
    /// parents, which a dependency must not repeat.
    fn link_dependencies(
        &self,
        i: usize,
        parents: &[usize],
        diags: &mut Diagnostics,
    ) -> Vec<usize> {
        let mut depends: Vec<usize> = Vec::new();
        for (dep, span) in &self.nodes[i].revision.depends_on {
            match self.index.get(&dep.0) {
                Some(&d) if parents.contains(&d) => diags.push(
                    Diagnostic::error(
                        Code::DuplicateParent,
                        format!("`{dep}` is both revised and depended on"),
                    )
                    .at(*span, "already in `revises`")
                    .with_help("a parent is applied first anyway: remove it from `depends_on`"),
                ),
                Some(&d) if depends.contains(&d) => diags.push(
                    Diagnostic::error(
                        Code::DuplicateParent,
                        format!("`{dep}` is listed twice in `depends_on`"),
                    )
                    .at(*span, "listed again here"),
                ),
                Some(&d) => depends.push(d),
                None => diags.push(
                    Diagnostic::error(
                        Code::UnknownParent,
                        format!("revision `{dep}` does not exist"),
                    )
                    .at(*span, "`depends_on` names no revision with this id")
                    .with_suggestion(&dep.0, self.index.keys().map(String::as_str)),
                ),
            }
        }
        depends
    }

    /// Drops each dependency that is already below one of the revision's
    /// parents or other dependencies: it changes nothing about order, and
    /// Alembic leaves it out of the `Running upgrade` line and the version
    /// table's moves. Costs a walk per revision that has dependencies.
    fn normalise_dependencies(&mut self) {
        for i in 0..self.nodes.len() {
            if self.nodes[i].depends.is_empty() {
                continue;
            }
            let depends = self.nodes[i].depends.clone();
            let kept: Vec<usize> = depends
                .iter()
                .copied()
                .filter(|&d| {
                    let others: Vec<usize> = self.nodes[i].below().filter(|&o| o != d).collect();
                    let below = self.strict_ancestors(&others);
                    !below[d] && !others.contains(&d)
                })
                .collect();
            for &gone in depends.iter().filter(|d| !kept.contains(d)) {
                self.nodes[gone].dependents.retain(|&x| x != i);
            }
            self.nodes[i].depends = kept;
        }
    }

    /// Marks every ancestor of the nodes in `from`, not the nodes themselves.
    fn strict_ancestors(&self, from: &[usize]) -> Vec<bool> {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack: Vec<usize> = from.iter().flat_map(|&n| self.nodes[n].below()).collect();
        while let Some(n) = stack.pop() {
            if !seen[n] {
                seen[n] = true;
                stack.extend(self.nodes[n].below());
            }
        }
        seen
    }

    fn map_labels(&mut self, diags: &mut Diagnostics) {
        for (i, node) in self.nodes.iter().enumerate() {
            for label in &node.revision.labels {
                let clash = self
                    .labels
                    .get(label)
                    .or_else(|| self.index.get(label))
                    .copied();
                match clash {
                    Some(other) => diags.push(
                        Diagnostic::error(
                            Code::DuplicateLabel,
                            format!(
                                "label `{label}` of revision `{}` is already used by revision `{}`",
                                node.revision.id, self.nodes[other].revision.id
                            ),
                        )
                        .at(node.revision.id_span, "in this revision")
                        .with_secondary(self.nodes[other].revision.id_span, "already used here"),
                    ),
                    None => {
                        self.labels.insert(label.clone(), i);
                    }
                }
            }
        }
    }

    /// Kahn's algorithm with a min-heap on file order: parents before children,
    /// ties broken by file order. Whatever is left over lies on or above a cycle.
    fn sort(&mut self, diags: &mut Diagnostics) {
        let count = self.nodes.len();
        let mut pending: Vec<usize> = self.nodes.iter().map(|n| n.below().count()).collect();
        let mut ready: BinaryHeap<Reverse<usize>> = (0..count)
            .filter(|&i| pending[i] == 0)
            .map(Reverse)
            .collect();
        let mut topo = Vec::with_capacity(count);
        while let Some(Reverse(i)) = ready.pop() {
            topo.push(i);
            for c in self.nodes[i].above() {
                pending[c] -= 1;
                if pending[c] == 0 {
                    ready.push(Reverse(c));
                }
            }
        }
        if topo.len() < count {
            self.report_cycles(&pending, diags);
        }
        self.bases = (0..count)
            .filter(|&i| self.nodes[i].parents.is_empty())
            .collect();
        self.heads = (0..count)
            .filter(|&i| self.nodes[i].children.is_empty())
            .collect();
        if self.bases.is_empty() && count > 0 {
            diags.push(
                Diagnostic::error(
                    Code::NoBase,
                    "no revision starts from base: every revision revises another",
                )
                .with_help("the first revision says `revises base`"),
            );
        }
        self.topo = topo;
    }

    /// Names each cycle once. Every unsorted node has an unsorted parent, so
    /// following unsorted parents always ends on a cycle.
    fn report_cycles(&self, pending: &[usize], diags: &mut Diagnostics) {
        const UNSEEN: usize = usize::MAX;
        let mut walk_of = vec![UNSEEN; self.nodes.len()];
        for start in (0..self.nodes.len()).filter(|&i| pending[i] > 0) {
            if walk_of[start] != UNSEEN {
                continue;
            }
            let mut path: Vec<usize> = Vec::new();
            let mut at = start;
            while walk_of[at] == UNSEEN {
                walk_of[at] = start;
                path.push(at);
                match self.nodes[at].below().find(|&p| pending[p] > 0) {
                    Some(p) => at = p,
                    None => break,
                }
            }
            if walk_of[at] != start {
                continue; // ran into a cycle found by an earlier walk
            }
            let Some(pos) = path.iter().position(|&n| n == at) else {
                continue;
            };
            // `path[pos..]` runs child -> parent; print it parent -> child.
            let mut cycle: Vec<usize> = path[pos..].to_vec();
            cycle.reverse();
            // Start at the revision first in file order, so the message is stable.
            if let Some(min) = cycle
                .iter()
                .enumerate()
                .min_by_key(|(_, &n)| n)
                .map(|(i, _)| i)
            {
                cycle.rotate_left(min);
            }
            let names: Vec<String> = cycle
                .iter()
                .chain(cycle.first())
                .map(|&n| self.nodes[n].revision.id.0.clone())
                .collect();
            let first = &self.nodes[cycle[0]].revision;
            let mut d = Diagnostic::error(
                Code::RevisionCycle,
                format!("revisions form a cycle: {}", names.join(" -> ")),
            )
            .at(first.id_span, "this revision is its own ancestor");
            let mut through_dependency = false;
            for w in cycle
                .windows(2)
                .chain(std::iter::once(&[cycle[cycle.len() - 1], cycle[0]][..]))
            {
                let (parent, child) = (w[0], w[1]);
                let parent_id = &self.nodes[parent].revision.id;
                let child = &self.nodes[child].revision;
                let link = |links: &[(RevisionId, Span)]| {
                    links.iter().find(|(id, _)| id == parent_id).map(|l| l.1)
                };
                if let Some(span) = link(&child.parents) {
                    d = d.with_secondary(span, format!("`{}` revises `{parent_id}`", child.id));
                } else if let Some(span) = link(&child.depends_on) {
                    through_dependency = true;
                    d = d.with_secondary(span, format!("`{}` depends on `{parent_id}`", child.id));
                }
            }
            diags.push(d.with_help(if through_dependency {
                "one of these `revises` or `depends_on` must point further back"
            } else {
                "one of these `revises` must point further back"
            }));
        }
    }

    /// Number of revisions.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// True when there are no revisions.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// All nodes, in file order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The node at `index`.
    pub fn node(&self, index: usize) -> &Node {
        &self.nodes[index]
    }

    /// The revision at `index`.
    pub fn revision(&self, index: usize) -> &Revision {
        &self.nodes[index].revision
    }

    /// The graph as `dialect` sees it: each revision holding ops for some
    /// dialects only ([`Revision::for_dialect`]) keeps just the ops of
    /// `dialect`, so the schema model, lowering and `downgrade auto` of a
    /// dialect never see another's. Borrowed when no revision needs it.
    pub fn for_dialect(&self, dialect: Dialect) -> std::borrow::Cow<'_, Graph> {
        if !self.nodes.iter().any(|n| n.revision.is_dialect_specific()) {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut graph = self.clone();
        for node in &mut graph.nodes {
            if node.revision.is_dialect_specific() {
                node.revision = node.revision.for_dialect(dialect);
            }
        }
        std::borrow::Cow::Owned(graph)
    }

    /// The index of the revision with exactly this id.
    pub fn find(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Revisions nothing revises, in file order.
    pub fn heads(&self) -> &[usize] {
        &self.heads
    }

    /// Revisions that revise base, in file order.
    pub fn bases(&self) -> &[usize] {
        &self.bases
    }

    /// Every revision, parents before children, ties by file order.
    pub fn topo_order(&self) -> &[usize] {
        &self.topo
    }

    fn id(&self, index: usize) -> &RevisionId {
        &self.nodes[index].revision.id
    }

    fn ids(&self, nodes: &[usize]) -> Vec<RevisionId> {
        nodes.iter().map(|&n| self.id(n).clone()).collect()
    }

    /// Marks every node in `from` and all its ancestors.
    /// Dependencies count: what a revision needs is applied before it.
    pub fn ancestors_or_self(&self, from: &[usize]) -> Vec<bool> {
        self.below_or_self(from, true)
    }

    /// Ancestors by `revises` alone: the line of work `from` continues (a
    /// dependency is applied first but is not part of it, so it may still be
    /// merged with `from`).
    pub fn branch_ancestors_or_self(&self, from: &[usize]) -> Vec<bool> {
        self.below_or_self(from, false)
    }

    fn below_or_self(&self, from: &[usize], dependencies: bool) -> Vec<bool> {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack: Vec<usize> = from.to_vec();
        while let Some(n) = stack.pop() {
            if !seen[n] {
                seen[n] = true;
                stack.extend(&self.nodes[n].parents);
                if dependencies {
                    stack.extend(&self.nodes[n].depends);
                }
            }
        }
        seen
    }

    /// Marks every node in `from` and all its descendants, dependents
    /// included: everything that cannot stay applied once `from` is gone.
    pub fn descendants_or_self(&self, from: &[usize]) -> Vec<bool> {
        self.above_or_self(from, true)
    }

    /// Descendants by `revises` alone: the branch continuing from `from`.
    fn branch_above_or_self(&self, from: &[usize]) -> Vec<bool> {
        self.above_or_self(from, false)
    }

    fn above_or_self(&self, from: &[usize], dependents: bool) -> Vec<bool> {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack: Vec<usize> = from.to_vec();
        while let Some(n) = stack.pop() {
            if !seen[n] {
                seen[n] = true;
                stack.extend(&self.nodes[n].children);
                if dependents {
                    stack.extend(&self.nodes[n].dependents);
                }
            }
        }
        seen
    }

    /// Resolves one target to a database state: the set of version-table
    /// heads (empty for `base`). `relative_to` is the start of a range, which
    /// `+N` / `-N` without a revision (and `label@+N`) walk from.
    ///
    /// Accepted: `base`, `head`, `heads`, a full id, a unique prefix of at
    /// least [`MIN_PREFIX`] characters, a branch label, `label@head`,
    /// `label@heads`, `label@base`, `label@<id>`, `+N`, `-N`, `<id>+N`,
    /// `<id>-N`, `head-N`, `label@+N`, `label@-N`.
    pub fn resolve(
        &self,
        target: &str,
        relative_to: Option<&[usize]>,
    ) -> Result<Vec<usize>, Diagnostic> {
        if let Some((symbol, steps)) = split_relative(target) {
            if let Some(label) = symbol.strip_suffix('@') {
                return self.walk_branch(target, label, relative_to, steps);
            }
            let start = match symbol {
                "" => match relative_to {
                    Some(start) => start.to_vec(),
                    None if steps > 0 => Vec::new(),
                    None => {
                        return Err(target_error(
                            Code::InvalidTarget,
                            format!(
                                "`{target}` counts down from the database's current revision, \
                                 which an offline script does not know"
                            ),
                        )
                        .with_help(format!(
                            "count from a revision instead: `head{target}`, or write a range \
                             such as `head:{target}`"
                        )))
                    }
                },
                symbol => self.resolve(symbol, None)?,
            };
            return self
                .walk(target, &start, steps, None)
                .map(|n| n.into_iter().collect());
        }
        if let Some((label, rest)) = target.split_once('@') {
            return self.resolve_in_branch(target, label, rest);
        }
        match target {
            "base" => Ok(Vec::new()),
            "heads" => Ok(self.heads.clone()),
            "head" => self.single_head(target, &self.heads).map(|h| vec![h]),
            id => self.resolve_id(id).map(|n| vec![n]),
        }
    }

    /// The revisions of branch `label`: its root, the root's ancestors and its
    /// descendants (what `label@...` may name).
    fn branch(&self, target: &str, label: &str) -> Result<(usize, Vec<bool>), Diagnostic> {
        if label.is_empty() {
            return Err(target_error(
                Code::InvalidTarget,
                format!("`{target}` names no branch label before `@`"),
            )
            .with_help("write `<label>@head`, `<label>@+1`, ..."));
        }
        let Some(&root) = self.labels.get(label) else {
            let mut d = target_error(
                Code::UnknownLabel,
                format!("no branch label `{label}` (in `{target}`)"),
            )
            .with_suggestion(label, self.labels.keys().map(String::as_str));
            if self.labels.is_empty() {
                d = d.with_note("no revision declares `labels (...)`");
            }
            return Err(d);
        };
        let mut members = self.branch_above_or_self(&[root]);
        for (n, below) in self.ancestors_or_self(&[root]).into_iter().enumerate() {
            members[n] |= below;
        }
        Ok((root, members))
    }

    /// `label@+N` / `label@-N`: walks from where the range starts on that
    /// branch (base when it starts below the branch, or has no start), along
    /// the branch's revisions only.
    fn walk_branch(
        &self,
        target: &str,
        label: &str,
        relative_to: Option<&[usize]>,
        steps: i64,
    ) -> Result<Vec<usize>, Diagnostic> {
        let (_, members) = self.branch(target, label)?;
        let start: Vec<usize> = match relative_to {
            // Where the branch stands at the start: its applied revisions that
            // have no applied child on the branch.
            Some(start) => {
                let applied = self.ancestors_or_self(start);
                let on_branch = |n: usize| applied[n] && members[n];
                (0..self.nodes.len())
                    .filter(|&n| on_branch(n))
                    .filter(|&n| !self.nodes[n].children.iter().any(|&c| on_branch(c)))
                    .collect()
            }
            None if steps > 0 => Vec::new(),
            None => {
                return Err(target_error(
                    Code::InvalidTarget,
                    format!(
                        "`{target}` counts down from the current revision of branch `{label}`, \
                         which an offline script does not know"
                    ),
                )
                .with_help(format!(
                    "write `{label}@head{}` or a range such as `{label}@head:{target}`",
                    &target[label.len() + 1..]
                )))
            }
        };
        self.walk(target, &start, steps, Some(&members))
            .map(|n| n.into_iter().collect())
    }

    fn single_head(&self, target: &str, heads: &[usize]) -> Result<usize, Diagnostic> {
        match heads {
            [one] => Ok(*one),
            [] => Err(target_error(
                Code::NoRevisions,
                format!("`{target}` names no revision: there are no revisions yet"),
            )),
            many => {
                let names: Vec<String> =
                    many.iter().map(|&h| format!("`{}`", self.id(h))).collect();
                let mut d = target_error(
                    Code::MultipleHeads,
                    format!(
                        "`{target}` is ambiguous: there are {} heads: {}",
                        many.len(),
                        names.join(", ")
                    ),
                );
                for &h in many {
                    d = d.with_secondary(self.revision(h).id_span, "a head");
                }
                let quoted: Vec<String> = many
                    .iter()
                    .map(|&h| format!("\"{}\"", self.id(h)))
                    .collect();
                Err(d
                    .with_help("name one of them, or use `heads` for all of them")
                    .with_help(format!(
                        "or join them with a merge revision: `revises ({})`",
                        quoted.join(", ")
                    )))
            }
        }
    }

    /// A full id, a branch label, or a unique prefix.
    fn resolve_id(&self, id: &str) -> Result<usize, Diagnostic> {
        if let Some(n) = self.find(id).or_else(|| self.labels.get(id).copied()) {
            return Ok(n);
        }
        if id.chars().count() < MIN_PREFIX {
            return Err(target_error(
                Code::UnknownRevision,
                format!("no revision or label `{id}`"),
            )
            .with_suggestion(id, self.index.keys().map(String::as_str))
            .with_note(format!(
                "an id prefix needs at least {MIN_PREFIX} characters"
            )));
        }
        let matches: Vec<&str> = self
            .index
            .keys()
            .filter(|k| k.starts_with(id))
            .map(String::as_str)
            .collect();
        match matches[..] {
            [one] => Ok(self.index[one]),
            [] => Err(target_error(
                Code::UnknownRevision,
                format!("no revision or label `{id}`"),
            )
            .with_suggestion(id, self.index.keys().map(String::as_str))),
            _ => {
                let mut sorted = matches.clone();
                sorted.sort_unstable();
                let list: Vec<String> = sorted.iter().map(|m| format!("`{m}`")).collect();
                Err(target_error(
                    Code::AmbiguousRevision,
                    format!(
                        "`{id}` is the start of {} revisions: {}",
                        sorted.len(),
                        list.join(", ")
                    ),
                )
                .with_help("write more of the id"))
            }
        }
    }

    fn resolve_in_branch(
        &self,
        target: &str,
        label: &str,
        rest: &str,
    ) -> Result<Vec<usize>, Diagnostic> {
        let (root, members) = self.branch(target, label)?;
        let branch = self.branch_above_or_self(&[root]);
        let heads: Vec<usize> = self.heads.iter().copied().filter(|&h| branch[h]).collect();
        match rest {
            "heads" => Ok(heads),
            "head" => self.single_head(target, &heads).map(|h| vec![h]),
            "base" => Ok(Vec::new()),
            id => {
                let n = self.resolve_id(id)?;
                if members[n] {
                    Ok(vec![n])
                } else {
                    Err(target_error(
                        Code::NotInBranch,
                        format!("revision `{}` is not on branch `{label}`", self.id(n)),
                    ))
                }
            }
        }
    }

    /// Walks `steps` revisions up (positive) or down (negative) from `start`;
    /// `None` is base. A walk through a branch point or merge is ambiguous;
    /// `within` keeps it to one branch's revisions.
    fn walk(
        &self,
        target: &str,
        start: &[usize],
        steps: i64,
        within: Option<&[bool]>,
    ) -> Result<Option<usize>, Diagnostic> {
        let mut at: Option<usize> = match start {
            [] => None,
            [one] => Some(*one),
            _ => {
                return Err(target_error(
                    Code::AmbiguousWalk,
                    format!("`{target}` starts from several heads"),
                )
                .with_help("start from one revision: `<id>+N` or `FROM:TO`"))
            }
        };
        let mut kept: Vec<usize> = Vec::new();
        for taken in 0..steps.unsigned_abs() {
            let all: &[usize] = match (at, steps > 0) {
                (None, true) => &self.bases,
                (Some(n), true) => &self.nodes[n].children,
                (Some(n), false) => &self.nodes[n].parents,
                (None, false) => {
                    return Err(target_error(
                        Code::WalkedTooFar,
                        format!(
                            "`{target}` goes below base after {taken} of {} steps",
                            steps.unsigned_abs()
                        ),
                    ))
                }
            };
            let next: &[usize] = match within {
                Some(members) => {
                    kept.clear();
                    kept.extend(all.iter().copied().filter(|&n| members[n]));
                    &kept
                }
                None => all,
            };
            at = match next {
                [] if steps > 0 => {
                    return Err(target_error(
                        Code::WalkedTooFar,
                        format!("`{target}` goes past a head after {taken} of {steps} steps"),
                    ))
                }
                [] => None,
                [one] => Some(*one),
                many => {
                    let list: Vec<String> =
                        many.iter().map(|&n| format!("`{}`", self.id(n))).collect();
                    return Err(target_error(
                        Code::AmbiguousWalk,
                        format!(
                            "`{target}` is ambiguous: the walk reaches {}",
                            list.join(" and ")
                        ),
                    )
                    .with_help("name the revision instead"));
                }
            };
        }
        Ok(at)
    }

    /// Plans an upgrade for `range`: `TARGET` (from base) or `FROM:TO`.
    pub fn plan_upgrade(&self, range: &str) -> Result<Plan, Diagnostic> {
        let (start, end) = match range.split_once(':') {
            Some((from, to)) => {
                let start = self.resolve(from, None)?;
                let end = self.resolve(to, Some(&start))?;
                (start, end)
            }
            None => (Vec::new(), self.resolve(range, None)?),
        };
        let applied = self.ancestors_or_self(&start);
        let wanted = self.ancestors_or_self(&end);
        let run: Vec<usize> = self
            .topo
            .iter()
            .copied()
            .filter(|&n| wanted[n] && !applied[n])
            .collect();
        // A target below the start (applied, yet not one of the start's heads,
        // or base under a non-empty start) would need revisions taken away.
        let below = end
            .iter()
            .copied()
            .find(|&n| applied[n] && !start.contains(&n));
        if below.is_some() || (end.is_empty() && !start.is_empty()) {
            let target = below.map_or_else(|| "base".to_string(), |n| format!("`{}`", self.id(n)));
            return Err(target_error(
                Code::NotAnUpgrade,
                format!(
                    "`{range}` is not an upgrade: {target} is below the start `{}`",
                    self.ids(&start)
                        .iter()
                        .map(|id| id.0.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .with_help(format!("to go back, use `ddlc downgrade {range}`")));
        }
        let replay: Vec<usize> = self.topo.iter().copied().filter(|&n| applied[n]).collect();
        let mut rows = VersionRows::new(self, &applied, &start);
        let steps = run
            .iter()
            .map(|&n| {
                let parents = &self.nodes[n].parents;
                Step {
                    node: n,
                    from: self.ids(parents),
                    to: vec![self.id(n).clone()],
                    version: rows.upgrade(self, n),
                }
            })
            .collect();
        let end = rows.heads();
        Ok(Plan {
            direction: Direction::Upgrade,
            start,
            end,
            replay,
            steps,
        })
    }

    /// Plans a downgrade for `range`, which must be `FROM:TO`: offline there is
    /// no database to read the current version from.
    pub fn plan_downgrade(&self, range: &str) -> Result<Plan, Diagnostic> {
        let Some((from, to)) = range.split_once(':') else {
            return Err(target_error(
                Code::MissingStart,
                format!("a downgrade needs an explicit start: `FROM:{range}`"),
            )
            .with_help(format!("e.g. `ddlc downgrade head:{range}`")));
        };
        let start = self.resolve(from, None)?;
        let end = self.resolve(to, Some(&start))?;
        let applied = self.ancestors_or_self(&start);
        if let Some(&bad) = end.iter().find(|&&n| !applied[n]) {
            return Err(target_error(
                Code::NotADowngrade,
                format!(
                    "`{}` is not applied at `{from}`, so `{range}` cannot downgrade to it",
                    self.id(bad)
                ),
            )
            .with_help(format!("to go forward, use `ddlc upgrade {range}`")));
        }
        // The target names the state to reach: everything applied that it
        // does not need goes, other branches too (Alembic keeps branches
        // beside the target; an offline script cannot know they are there).
        let kept = self.ancestors_or_self(&end);
        let replay: Vec<usize> = self.topo.iter().copied().filter(|&n| applied[n]).collect();
        let mut rows = VersionRows::new(self, &applied, &start);
        let steps = self
            .topo
            .iter()
            .rev()
            .copied()
            .filter(|&n| applied[n] && !kept[n])
            .map(|n| Step {
                node: n,
                from: vec![self.id(n).clone()],
                to: self.ids(&self.nodes[n].parents),
                version: rows.downgrade(self, n),
            })
            .collect();
        let end = rows.heads();
        Ok(Plan {
            direction: Direction::Downgrade,
            start,
            end,
            replay,
            steps,
        })
    }
}

/// The version table while a plan runs. Its rows are the heads of the applied
/// set, so a row exists for `n` exactly when `n` is applied and none of its
/// children is. Keeping a count of applied children per node makes each step
/// cost its number of parents, whatever the size of the graph.
struct VersionRows {
    applied: Vec<bool>,
    applied_children: Vec<u32>,
    /// The heads the start state names; `FROM:TO` may name a revision whose
    /// descendants are not applied, and its row is what the table holds.
    rows: Vec<usize>,
}

impl VersionRows {
    fn new(graph: &Graph, applied: &[bool], start: &[usize]) -> VersionRows {
        let mut applied_children = vec![0u32; graph.len()];
        for (n, node) in graph.nodes.iter().enumerate() {
            if applied[n] {
                for p in node.below() {
                    applied_children[p] += 1;
                }
            }
        }
        VersionRows {
            applied: applied.to_vec(),
            applied_children,
            rows: start.to_vec(),
        }
    }

    fn is_row(&self, n: usize) -> bool {
        self.applied[n] && self.applied_children[n] == 0
    }

    /// Applies `n`: parents that were rows stop being rows. None: a new row
    /// (INSERT); one or more: the first ones are deleted and the last one
    /// becomes `n` (as Alembic does for a merge), in the order written.
    fn upgrade(&mut self, graph: &Graph, n: usize) -> Vec<VersionOp> {
        let node = &graph.nodes[n];
        let freed: Vec<usize> = node.below().filter(|&p| self.is_row(p)).collect();
        for p in node.below() {
            self.applied_children[p] += 1;
        }
        self.applied[n] = true;
        let id = graph.id(n).clone();
        let mut ops: Vec<VersionOp> = Vec::new();
        match freed.split_last() {
            None => ops.push(VersionOp::Insert(id)),
            Some((last, rest)) => {
                ops.extend(rest.iter().map(|&p| VersionOp::Delete(graph.id(p).clone())));
                ops.push(VersionOp::Update {
                    from: graph.id(*last).clone(),
                    to: id,
                });
            }
        }
        self.rows.retain(|r| !freed.contains(r));
        self.rows.push(n);
        ops
    }

    /// Unapplies `n` (a row): parents left without applied children become
    /// rows. None: the row is deleted; one or more: the first ones are
    /// inserted and `n`'s row is updated to the last one.
    fn downgrade(&mut self, graph: &Graph, n: usize) -> Vec<VersionOp> {
        self.applied[n] = false;
        let node = &graph.nodes[n];
        for p in node.below() {
            self.applied_children[p] -= 1;
        }
        let exposed: Vec<usize> = node.below().filter(|&p| self.is_row(p)).collect();
        let id = graph.id(n).clone();
        let mut ops: Vec<VersionOp> = Vec::new();
        match exposed.split_last() {
            None => ops.push(VersionOp::Delete(id)),
            Some((last, rest)) => {
                ops.extend(rest.iter().map(|&p| VersionOp::Insert(graph.id(p).clone())));
                ops.push(VersionOp::Update {
                    from: id,
                    to: graph.id(*last).clone(),
                });
            }
        }
        self.rows.retain(|&r| r != n);
        self.rows.extend(exposed);
        ops
    }

    /// The rows at the end, in file order.
    fn heads(&self) -> Vec<usize> {
        let mut rows = self.rows.clone();
        rows.sort_unstable();
        rows
    }
}

/// `+2`, `-1`, `ae10+2`: the symbol before the sign and the signed count.
fn split_relative(target: &str) -> Option<(&str, i64)> {
    let sign = target.rfind(['+', '-'])?;
    let digits = &target[sign + 1..];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let count: i64 = digits.parse().ok()?;
    let steps = if target[sign..].starts_with('-') {
        -count
    } else {
        count
    };
    Some((&target[..sign], steps))
}

/// A problem with a target named on the command line: no span in any file.
fn target_error(code: Code, message: String) -> Diagnostic {
    Diagnostic::error(code, message)
}

fn file_path(sources: &SourceMap, revision: &Revision) -> String {
    if (revision.file.0 as usize) < sources.len() {
        sources.path(revision.file).to_string()
    } else {
        format!("file #{}", revision.file.0)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ir::Downgrade;
    use crate::source::FileId;

    /// A revision with no ops; `parents` by id.
    pub(crate) fn rev(id: &str, parents: &[&str]) -> Revision {
        Revision {
            id: RevisionId(id.to_string()),
            id_span: Span::new(FileId(0), 0, 0),
            parents: parents
                .iter()
                .map(|p| (RevisionId(p.to_string()), Span::new(FileId(0), 0, 0)))
                .collect(),
            depends_on: Vec::new(),
            baseline: None,
            message: format!("message of {id}"),
            doc: None,
            labels: Vec::new(),
            upgrade: Vec::new(),
            downgrade: Downgrade::Auto(Span::new(FileId(0), 0, 0)),
            file: FileId(0),
        }
    }

    fn build(revs: Vec<Revision>) -> Graph {
        let mut diags = Diagnostics::new();
        match Graph::build(revs, &SourceMap::new(), &mut diags) {
            Ok(g) => g,
            Err(_) => panic!("graph failed: {diags:?}"),
        }
    }

    fn build_err(revs: Vec<Revision>) -> Vec<Diagnostic> {
        let mut diags = Diagnostics::new();
        match Graph::build(revs, &SourceMap::new(), &mut diags) {
            Ok(_) => panic!("graph built but should not"),
            Err(_) => diags.into_vec(),
        }
    }

    fn names(g: &Graph, nodes: &[usize]) -> Vec<String> {
        nodes.iter().map(|&n| g.id(n).0.clone()).collect()
    }

    fn step_ids(g: &Graph, plan: &Plan) -> Vec<String> {
        plan.steps.iter().map(|s| g.id(s.node).0.clone()).collect()
    }

    fn chain() -> Graph {
        build(vec![
            rev("r1aa", &[]),
            rev("r2bb", &["r1aa"]),
            rev("r3cc", &["r2bb"]),
            rev("r4dd", &["r3cc"]),
        ])
    }

    /// base -> (a1 -> a2, b1) -> m, in Alembic's 32_branches_merge file order.
    fn diamond() -> Graph {
        build(vec![
            rev("t32a1", &["t32base"]),
            rev("t32a2", &["t32a1"]),
            rev("t32b1", &["t32base"]),
            rev("t32base", &[]),
            rev("t32m", &["t32a2", "t32b1"]),
        ])
    }

    fn ins(id: &str) -> VersionOp {
        VersionOp::Insert(RevisionId(id.into()))
    }
    fn del(id: &str) -> VersionOp {
        VersionOp::Delete(RevisionId(id.into()))
    }
    fn upd(from: &str, to: &str) -> VersionOp {
        VersionOp::Update {
            from: RevisionId(from.into()),
            to: RevisionId(to.into()),
        }
    }

    #[test]
    fn linear_chain_upgrades_and_downgrades_in_order() {
        let g = chain();
        let up = g.plan_upgrade("head").unwrap();
        assert_eq!(step_ids(&g, &up), ["r1aa", "r2bb", "r3cc", "r4dd"]);
        assert_eq!(up.steps[0].version, [ins("r1aa")]);
        assert_eq!(up.steps[1].version, [upd("r1aa", "r2bb")]);
        assert!(up.replay.is_empty());
        let down = g.plan_downgrade("head:base").unwrap();
        assert_eq!(step_ids(&g, &down), ["r4dd", "r3cc", "r2bb", "r1aa"]);
        assert_eq!(down.steps[0].version, [upd("r4dd", "r3cc")]);
        assert_eq!(down.steps[3].version, [del("r1aa")]);
        assert!(down.end.is_empty());
    }

    #[test]
    fn ranges_and_relative_targets_match_alembic() {
        let g = chain();
        // (direction, range, steps run, revisions replayed before the first step)
        let cases: &[(Direction, &str, &[&str], usize)] = &[
            (Direction::Upgrade, "r1aa:r3cc", &["r2bb", "r3cc"], 1),
            (Direction::Upgrade, "r2bb:head", &["r3cc", "r4dd"], 2),
            (Direction::Upgrade, "r2bb", &["r1aa", "r2bb"], 0),
            (Direction::Upgrade, "+2", &["r1aa", "r2bb"], 0),
            (Direction::Upgrade, "r1aa:+2", &["r2bb", "r3cc"], 1),
            (
                Direction::Upgrade,
                "base:r4dd",
                &["r1aa", "r2bb", "r3cc", "r4dd"],
                0,
            ),
            (Direction::Upgrade, "r1aa+1:r4dd-1", &["r3cc"], 2),
            (Direction::Upgrade, "head:head", &[], 4),
            (Direction::Downgrade, "r3cc:r1aa", &["r3cc", "r2bb"], 3),
            (Direction::Downgrade, "head:r2bb", &["r4dd", "r3cc"], 4),
            (Direction::Downgrade, "r4dd:-1", &["r4dd"], 4),
            (
                Direction::Downgrade,
                "r3cc:base",
                &["r3cc", "r2bb", "r1aa"],
                3,
            ),
        ];
        for (direction, range, want, replayed) in cases {
            let plan = match direction {
                Direction::Upgrade => g.plan_upgrade(range),
                Direction::Downgrade => g.plan_downgrade(range),
            }
            .unwrap_or_else(|d| panic!("{range}: {d:?}"));
            assert_eq!(step_ids(&g, &plan), *want, "{range}");
            assert_eq!(plan.replay.len(), *replayed, "{range}");
        }
    }

    #[test]
    fn bad_targets_are_reported_with_codes() {
        let g = build(vec![
            rev("ae1027a6", &[]),
            rev("ae10ff00", &["ae1027a6"]),
            rev("c0ffee11", &["ae10ff00"]),
        ]);
        for (direction, range, code) in [
            (Direction::Upgrade, "ae10", Code::AmbiguousRevision),
            (Direction::Upgrade, "ae1", Code::UnknownRevision),
            (Direction::Upgrade, "zzzzzz", Code::UnknownRevision),
            (Direction::Upgrade, "+4", Code::WalkedTooFar),
            (Direction::Upgrade, "c0ffee11:ae1027a6", Code::NotAnUpgrade),
            (Direction::Downgrade, "base", Code::MissingStart),
            (
                Direction::Downgrade,
                "ae1027a6:c0ffee11",
                Code::NotADowngrade,
            ),
            (Direction::Downgrade, "ae1027a6:-2", Code::WalkedTooFar),
            (Direction::Upgrade, "nolabel@head", Code::UnknownLabel),
        ] {
            let result = match direction {
                Direction::Upgrade => g.plan_upgrade(range),
                Direction::Downgrade => g.plan_downgrade(range),
            };
            match result {
                Ok(_) => panic!("{range} should fail"),
                Err(d) => assert_eq!(d.code, code, "{range}: {}", d.message),
            }
        }
        let err = g.resolve("ae10", None).unwrap_err();
        assert!(
            err.message.contains("`ae1027a6`, `ae10ff00`"),
            "{}",
            err.message
        );
        assert_eq!(names(&g, &g.resolve("c0ff", None).unwrap()), ["c0ffee11"]);
        assert_eq!(
            names(&g, &g.resolve("ae1027a6+1", None).unwrap()),
            ["ae10ff00"]
        );
        let typo = g.resolve("c0ffee12", None).unwrap_err();
        assert_eq!(typo.help, ["did you mean `c0ffee11`?"]);
    }

    #[test]
    fn diamond_upgrade_version_rows_follow_alembic() {
        let g = diamond();
        let up = g.plan_upgrade("heads").unwrap();
        assert_eq!(
            step_ids(&g, &up),
            ["t32base", "t32a1", "t32a2", "t32b1", "t32m"]
        );
        let rows: Vec<&[VersionOp]> = up.steps.iter().map(|s| &s.version[..]).collect();
        assert_eq!(
            rows,
            [
                &[ins("t32base")][..],
                &[upd("t32base", "t32a1")],
                &[upd("t32a1", "t32a2")],
                &[ins("t32b1")],
                &[del("t32a2"), upd("t32b1", "t32m")],
            ]
        );
        let merge = &up.steps[4];
        assert_eq!(
            merge.from,
            [RevisionId("t32a2".into()), RevisionId("t32b1".into())]
        );
        // Alembic's `upgrade t32b1:t32m`: only b1 is current, a1 starts a new row.
        let partial = g.plan_upgrade("t32b1:t32m").unwrap();
        assert_eq!(step_ids(&g, &partial), ["t32a1", "t32a2", "t32m"]);
        assert_eq!(partial.steps[0].version, [ins("t32a1")]);
        assert_eq!(
            partial.steps[2].version,
            [del("t32a2"), upd("t32b1", "t32m")]
        );
    }

    #[test]
    fn diamond_downgrade_is_deterministic() {
        let g = diamond();
        let down = g.plan_downgrade("heads:base").unwrap();
        assert_eq!(
            step_ids(&g, &down),
            ["t32m", "t32b1", "t32a2", "t32a1", "t32base"]
        );
        let rows: Vec<&[VersionOp]> = down.steps.iter().map(|s| &s.version[..]).collect();
        assert_eq!(
            rows,
            [
                &[ins("t32a2"), upd("t32m", "t32b1")][..],
                &[del("t32b1")],
                &[upd("t32a2", "t32a1")],
                &[upd("t32a1", "t32base")],
                &[del("t32base")],
            ]
        );
        let to_a2 = g.plan_downgrade("t32m:t32a2").unwrap();
        assert_eq!(step_ids(&g, &to_a2), ["t32m", "t32b1"]);
        assert_eq!(names(&g, &to_a2.end), ["t32a2"]);
    }

    #[test]
    fn two_heads_need_a_choice_for_head_but_not_heads() {
        let g = build(vec![
            rev("base1", &[]),
            rev("left", &["base1"]),
            rev("right", &["base1"]),
        ]);
        let err = g.plan_upgrade("head").unwrap_err();
        assert_eq!(err.code, Code::MultipleHeads);
        assert!(err.message.contains("`left`, `right`"), "{}", err.message);
        assert_eq!(err.secondary.len(), 2);
        let all = g.plan_upgrade("heads").unwrap();
        assert_eq!(names(&g, &all.end), ["left", "right"]);
        assert_eq!(g.plan_upgrade("+2").unwrap_err().code, Code::AmbiguousWalk);
        // Two bases are fine, as in Alembic: each starts its own row.
        let g = build(vec![rev("aaaa", &[]), rev("bbbb", &[])]);
        let up = g.plan_upgrade("heads").unwrap();
        assert_eq!(up.steps[1].version, [ins("bbbb")]);
    }

    #[test]
    fn labels_select_a_branch() {
        let mut billing = rev("bill1", &["core"]);
        billing.labels = vec!["billing".into()];
        let g = build(vec![
            rev("core", &[]),
            billing,
            rev("bill2", &["bill1"]),
            rev("other", &["core"]),
        ]);
        assert_eq!(
            names(&g, &g.resolve("billing@head", None).unwrap()),
            ["bill2"]
        );
        assert_eq!(names(&g, &g.resolve("billing", None).unwrap()), ["bill1"]);
        assert_eq!(
            g.resolve("billing@other", None).unwrap_err().code,
            Code::NotInBranch
        );
        let up = g.plan_upgrade("billing@head").unwrap();
        assert_eq!(step_ids(&g, &up), ["core", "bill1", "bill2"]);
    }

    #[test]
    fn an_upgrade_that_goes_down_is_refused() {
        let g = chain();
        for range in [
            "head:base",
            "r3cc:r1aa",
            "head:-1",
            "r2bb:r1aa",
            "heads:base",
        ] {
            let err = g.plan_upgrade(range).unwrap_err();
            assert_eq!(err.code, Code::NotAnUpgrade, "{range}: {}", err.message);
            assert!(err.message.contains("is not an upgrade"), "{}", err.message);
            assert_eq!(
                err.help,
                [format!("to go back, use `ddlc downgrade {range}`")]
            );
        }
        assert!(g.plan_upgrade("head:head").unwrap().steps.is_empty());
        assert!(g.plan_upgrade("base:base").unwrap().steps.is_empty());
        // A bare `-1` has no current revision to count from; `head-1` does.
        let err = g.plan_upgrade("-1").unwrap_err();
        assert_eq!(err.code, Code::InvalidTarget);
        assert!(err.help[0].contains("`head-1`"), "{:?}", err.help);
        assert_eq!(
            step_ids(&g, &g.plan_upgrade("head-1").unwrap()),
            ["r1aa", "r2bb", "r3cc"]
        );
        assert_eq!(
            step_ids(&g, &g.plan_downgrade("head:-1").unwrap()),
            ["r4dd"]
        );
    }

    #[test]
    fn label_steps_walk_along_the_branch() {
        let mut billing = rev("bill1", &["core"]);
        billing.labels = vec!["billing".into()];
        let g = build(vec![
            rev("core", &[]),
            billing,
            rev("bill2", &["bill1"]),
            rev("other", &["core"]),
        ]);
        // From base, `+2` reaches the branch point and cannot choose; the label can.
        assert_eq!(g.plan_upgrade("+2").unwrap_err().code, Code::AmbiguousWalk);
        let up = g.plan_upgrade("billing@+2").unwrap();
        assert_eq!(step_ids(&g, &up), ["core", "bill1"]);
        assert_eq!(
            step_ids(&g, &g.plan_upgrade("billing@+1").unwrap()),
            ["core"]
        );
        // From `other`, the branch stands at `core`: one step is `bill1`.
        let up = g.plan_upgrade("other:billing@+1").unwrap();
        assert_eq!(step_ids(&g, &up), ["bill1"]);
        assert_eq!(names(&g, &up.end), ["bill1", "other"]);
        let down = g.plan_downgrade("heads:billing@-1").unwrap();
        assert_eq!(names(&g, &down.end), ["bill1"]);
        assert_eq!(
            g.plan_upgrade("billing@+4").unwrap_err().code,
            Code::WalkedTooFar
        );
        let err = g.plan_upgrade("nolabel@+1").unwrap_err();
        assert_eq!(err.code, Code::UnknownLabel);
        assert!(err.message.contains("`nolabel`"), "{}", err.message);
        let err = g.plan_upgrade("biling@+1").unwrap_err();
        assert_eq!(err.help, ["did you mean `billing`?"]);
        let err = g.plan_upgrade("@+1").unwrap_err();
        assert_eq!(err.code, Code::InvalidTarget);
        assert!(
            err.message.contains("names no branch label"),
            "{}",
            err.message
        );
        let err = g.plan_upgrade("billing@-1").unwrap_err();
        assert_eq!(err.code, Code::InvalidTarget);
        assert!(err.help[0].contains("`billing@head-1`"), "{:?}", err.help);
        assert_eq!(
            names(&g, &g.resolve("billing@head-1", None).unwrap()),
            ["bill1"]
        );
    }

    #[test]
    fn ids_and_labels_that_targets_cannot_name_are_located_errors() {
        let mut labelled = rev("good1", &[]);
        labelled.labels = vec!["head".into(), "rel-2".into(), "ok".into()];
        labelled.id_span = Span::new(FileId(0), 9, 16);
        let bad_ids = [
            "",
            "base",
            "head",
            "heads",
            "a,b",
            "a b",
            "a:b",
            "a@b",
            "x+1",
            "x-1",
            "a\u{0}b",
            "a\u{202E}b",
            "tab\t",
        ];
        let mut revs = vec![labelled];
        for id in bad_ids {
            let mut r = rev(id, &[]);
            r.id_span = Span::new(FileId(0), 100, 101);
            revs.push(r);
        }
        let diags = build_err(revs);
        let codes: Vec<&str> = diags.iter().map(|d| d.code.id()).collect();
        let mut want = vec![Code::InvalidLabel, Code::InvalidLabel];
        want.extend(std::iter::repeat_n(Code::InvalidRevisionId, bad_ids.len()));
        assert_eq!(codes, want, "{diags:#?}");
        assert!(
            diags[0]
                .message
                .contains("`head` of revision `good1` is a target keyword"),
            "{}",
            diags[0].message
        );
        assert!(
            diags[1].message.contains("contains `-`"),
            "{}",
            diags[1].message
        );
        assert_eq!(diags[0].primary.as_ref().map(|l| l.span.start), Some(9));
        assert_eq!(diags[2].message, "revision id `` is empty");
        assert!(
            diags[3].message.contains("`base` is a target keyword"),
            "{}",
            diags[3].message
        );
        assert!(
            diags[6].message.contains("contains `,`"),
            "{}",
            diags[6].message
        );
        assert!(
            diags[13].message.contains("contains `\\u{202e}`"),
            "{}",
            diags[13].message
        );
        assert!(diags
            .iter()
            .skip(2)
            .all(|d| d.primary.as_ref().map(|l| l.span.start) == Some(100)));
    }

    #[test]
    fn ids_longer_than_the_version_column_are_located_errors() {
        let mut long = rev(&"a".repeat(33), &[]);
        long.id_span = Span::new(FileId(0), 9, 44);
        let revs = vec![rev(&"b".repeat(32), &[]), long, rev("ééééé", &[])];
        let mut diags = Diagnostics::new();
        let _ = overlong_ids(
            &revs,
            32,
            "`[version_table] column_length`, 32 by default",
            &mut diags,
        );
        let diags = diags.into_vec();
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, Code::RevisionIdTooLong);
        assert!(
            diags[0]
                .message
                .contains("is 33 characters; the version table's column holds 32"),
            "{}",
            diags[0].message
        );
        assert!(diags[0].message.contains("column_length"));
        assert_eq!(diags[0].primary.as_ref().map(|l| l.span.start), Some(9));
        // Characters, not bytes: the engines size VARCHAR in characters.
        let mut diags = Diagnostics::new();
        assert!(overlong_ids(&revs, 5, "x", &mut diags).is_err());
        assert_eq!(diags.len(), 2);
    }

    #[test]
    fn build_errors_are_all_reported_and_located() {
        let mut dup = rev("aaaa", &[]);
        dup.id_span = Span::new(FileId(1), 9, 15);
        let diags = build_err(vec![
            rev("aaaa", &[]),
            dup,
            rev("bbbb", &["aaab"]),
            rev("cccc", &["dddd"]),
            rev("dddd", &["cccc"]),
            rev("eeee", &["eeee"]),
            rev("bad-id", &[]),
        ]);
        let codes: Vec<&str> = diags.iter().map(|d| d.code.id()).collect();
        assert_eq!(
            codes,
            [
                Code::DuplicateRevision,
                Code::InvalidRevisionId,
                Code::UnknownParent,
                Code::RevisionCycle,
                Code::RevisionCycle
            ]
        );
        assert_eq!(diags[0].primary.as_ref().map(|l| l.span.start), Some(9));
        assert_eq!(diags[2].help, ["did you mean `aaaa`?"]);
        assert_eq!(
            diags[3].message,
            "revisions form a cycle: cccc -> dddd -> cccc"
        );
        assert_eq!(diags[4].message, "revisions form a cycle: eeee -> eeee");
    }

    #[test]
    fn a_cycle_without_any_base_is_named() {
        let diags = build_err(vec![
            rev("x1xx", &["x3xx"]),
            rev("x2xx", &["x1xx"]),
            rev("x3xx", &["x2xx"]),
        ]);
        assert_eq!(
            diags[0].message,
            "revisions form a cycle: x1xx -> x2xx -> x3xx -> x1xx"
        );
        assert_eq!(diags[0].secondary.len(), 3);
        assert_eq!(diags[1].code, Code::NoBase);
    }

    #[test]
    fn ten_thousand_revisions_plan_in_linear_time() {
        let count = 10_000;
        let revs: Vec<Revision> = (0..count)
            .map(|i| {
                let id = format!("rev{i:05}");
                let parent = format!("rev{:05}", i.max(1) - 1);
                if i == 0 {
                    rev(&id, &[])
                } else {
                    rev(&id, &[&parent])
                }
            })
            .collect();
        let started = std::time::Instant::now();
        let g = build(revs);
        let up = g.plan_upgrade("heads").unwrap();
        let down = g.plan_downgrade("head:base").unwrap();
        let middle = g.plan_upgrade("rev05000:head").unwrap();
        assert_eq!(up.steps.len(), count);
        assert_eq!(down.steps.len(), count);
        assert_eq!(middle.replay.len(), 5001);
        assert_eq!(middle.steps[0].version, [upd("rev05000", "rev05001")]);
        // Quadratic work on 10,000 nodes is ~10^8 steps; linear is well under a second.
        assert!(
            started.elapsed().as_secs() < 5,
            "took {:?}",
            started.elapsed()
        );
    }

    /// `rev` with `depends_on`.
    fn rev_dep(id: &str, parents: &[&str], depends: &[&str]) -> Revision {
        let mut r = rev(id, parents);
        r.depends_on = depends
            .iter()
            .map(|d| (RevisionId(d.to_string()), Span::NONE))
            .collect();
        r
    }

    /// Alembic's DependsOnBranchTestOne: a1 (lib1) -> b1 -> c1 -> d1 -> e1 -> f1,
    /// and a2 -> b2 -> c2 where c2 depends on c1.
    fn depends_on_branch() -> Graph {
        let mut a1 = rev("a1aa", &[]);
        a1.labels = vec!["lib1".into()];
        build(vec![
            a1,
            rev("b1bb", &["a1aa"]),
            rev("c1cc", &["b1bb"]),
            rev("a2aa", &[]),
            rev("b2bb", &["a2aa"]),
            rev_dep("c2cc", &["b2bb"], &["c1cc"]),
            rev("d1dd", &["c1cc"]),
            rev("e1ee", &["d1dd"]),
            rev("f1ff", &["e1ee"]),
        ])
    }

    #[test]
    fn a_dependency_orders_the_graph_and_the_version_table_but_keeps_its_branch() {
        let g = depends_on_branch();
        // c1 is still revised only by d1: c2 does not continue lib1's branch.
        assert_eq!(names(&g, g.heads()), ["c2cc", "f1ff"]);
        let up = g.plan_upgrade("c2cc").unwrap();
        assert_eq!(
            step_ids(&g, &up),
            ["a1aa", "b1bb", "c1cc", "a2aa", "b2bb", "c2cc"]
        );
        // c2 takes over both rows it stands on, as a merge would.
        assert_eq!(up.steps[5].version, [del("b2bb"), upd("c1cc", "c2cc")]);
        // `Running upgrade b2bb -> c2cc`: Alembic names the parents only.
        assert_eq!(up.steps[5].from, [RevisionId("b2bb".into())]);
        assert_eq!(names(&g, &up.end), ["c2cc"]);
        // lib1@head is f1: the dependent is not on the branch.
        assert_eq!(names(&g, &g.resolve("lib1@head", None).unwrap()), ["f1ff"]);
        // Taking c2 away gives b2 its row back and c2's returns to c1, as
        // Alembic's `downgrade c2cc:b2bb` writes; the target names the state
        // to reach, so c1's branch goes too (see docs/alembic-differences.md).
        let down = g.plan_downgrade("c2cc:b2bb").unwrap();
        assert_eq!(step_ids(&g, &down), ["c2cc", "c1cc", "b1bb", "a1aa"]);
        assert_eq!(down.steps[0].version, [ins("b2bb"), upd("c2cc", "c1cc")]);
        assert_eq!(names(&g, &down.end), ["b2bb"]);
        // Downgrading to c1 takes its dependent c2 and c2's own branch away.
        let down = g.plan_downgrade("c2cc:c1cc").unwrap();
        assert_eq!(step_ids(&g, &down), ["c2cc", "b2bb", "a2aa"]);
        assert_eq!(names(&g, &down.end), ["c1cc"]);
        // Alembic's test_downgrade_to_dependency: at c2 and d1, taking d1 away
        // leaves c2 alone (c1 stays applied, under c2).
        let both = g.plan_upgrade("heads").unwrap();
        assert_eq!(names(&g, &both.end), ["c2cc", "f1ff"]);
        let back = g.plan_downgrade("heads:c2cc").unwrap();
        assert_eq!(step_ids(&g, &back), ["f1ff", "e1ee", "d1dd"]);
        assert_eq!(back.steps[2].version, [del("d1dd")]);
        assert_eq!(names(&g, &back.end), ["c2cc"]);
    }

    #[test]
    fn dependency_errors_are_located() {
        let errs = build_err(vec![
            rev("r1aa", &[]),
            rev_dep("r2bb", &["r1aa"], &["r1aa", "nope"]),
        ]);
        let text: Vec<String> = errs.iter().map(|d| d.message.clone()).collect();
        assert_eq!(
            text,
            [
                "`r1aa` is both revised and depended on",
                "revision `nope` does not exist",
            ]
        );
        // A dependency cycle is a cycle like any other.
        let errs = build_err(vec![
            rev("r1aa", &[]),
            rev_dep("r2bb", &["r1aa"], &["r3cc"]),
            rev("r3cc", &["r2bb"]),
        ]);
        assert_eq!(errs[0].code, Code::RevisionCycle, "{errs:?}");
        assert!(errs[0].message.contains("r2bb -> r3cc -> r2bb"), "{errs:?}");
    }

    #[test]
    fn a_dependency_already_below_a_parent_is_dropped() {
        let g = build(vec![
            rev("r1aa", &[]),
            rev("r2bb", &["r1aa"]),
            rev_dep("r3cc", &["r2bb"], &["r1aa"]),
        ]);
        assert!(g.node(2).depends.is_empty());
        assert!(g.node(0).dependents.is_empty());
        let up = g.plan_upgrade("head").unwrap();
        assert_eq!(up.steps[2].version, [upd("r2bb", "r3cc")]);
    }
}

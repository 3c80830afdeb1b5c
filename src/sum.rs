//! `ddlc.sum`, the integrity lock of a project's revisions (compare Atlas's
//! `atlas.sum`): an edit, a removal, a rename, a reorder or an inserted file
//! after the revisions were locked is caught and named.
//!
//! The file lives beside `versions/` (`<migrations>/ddlc.sum`). Format v1,
//! UTF-8, one `\n` after every line:
//!
//! ```text
//! # ddlc.sum v1 <SHA-256 of every line below, each with its \n>
//! <SHA-256 of the file>  versions/<file>.mig
//! ...
//! ```
//!
//! One line per revision file, in graph order (parents first, ties by file
//! order: the order `upgrade base:heads` runs them). The list lines are
//! `sha256sum`'s own format and the first line is a comment to it, so an
//! auditor needs no ddlc: `cd migrations && sha256sum -c ddlc.sum` checks every
//! file, and `tail -n +2 ddlc.sum | sha256sum` recomputes the first line's hash,
//! which catches a list edited by hand (or joined by a merge of two branches).
//!
//! `ddlc new` and `ddlc merge` rewrite the lock with the file they add; `ddlc
//! sum` rewrites it deliberately; [`verify`] compares a project with it.

use crate::config::{display_path, is_migration_name, Config};
use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, Error, Severity};
use crate::graph::Graph;
use crate::source::{FileId, SourceMap, Span};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// The lock file's name (a layout fact, kept with the others in `config`).
pub use crate::config::SUM_FILE_NAME as FILE_NAME;

/// The first line's prefix; the list's SHA-256 follows.
const HEADER: &str = "# ddlc.sum v1 ";

/// Largest lock file read (a 10,000-revision lock is about 1 MB).
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// What to do with a project that does not match its lock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// Every difference is an error: nothing is compiled from revisions that
    /// differ from the ones locked (the default).
    Enforce,
    /// Differences are reported as warnings (`--ignore-sum`).
    Warn,
}

/// One locked file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// The path relative to the lock's folder: `versions/<file>.mig`.
    pub path: String,
    /// The file in the project's sources, when computed from them.
    file: Option<FileId>,
}

/// The lock a project has now: its revision files in graph order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lock {
    /// One entry per revision file, in graph order.
    pub entries: Vec<Entry>,
}

impl Lock {
    /// The lock of a linked project: every revision's file, in graph order.
    pub fn of_graph(graph: &Graph, sources: &SourceMap) -> Result<Lock, Error> {
        let files: Vec<FileId> = graph
            .topo_order()
            .iter()
            .map(|&n| graph.revision(n).file)
            .collect();
        Lock::of_files(&files, sources)
    }

    /// The lock of `files`, in the order given.
    fn of_files(files: &[FileId], sources: &SourceMap) -> Result<Lock, Error> {
        let mut entries = Vec::with_capacity(files.len());
        for &file in files {
            let source = sources.file(file);
            let name = source.path.file_name().unwrap_or(source.path.as_str());
            if let Some(c) = name.chars().find(|&c| c.is_control() || c == '\\') {
                return Err(Error::Message(format!(
                    "`{}` cannot be locked in {FILE_NAME}: its name holds `{}`; rename the file",
                    source.path,
                    c.escape_default()
                )));
            }
            entries.push(Entry {
                sha256: sha256_hex(source.text.as_bytes()),
                path: format!("versions/{name}"),
                file: Some(file),
            });
        }
        Ok(Lock { entries })
    }

    /// The list lines, each with its `\n`.
    fn list(&self) -> String {
        self.entries
            .iter()
            .map(|e| format!("{}  {}\n", e.sha256, e.path))
            .collect()
    }

    /// The SHA-256 of the list: the lock's first line.
    pub fn total(&self) -> String {
        sha256_hex(self.list().as_bytes())
    }

    /// The file's text.
    pub fn render(&self) -> String {
        let list = self.list();
        format!("{HEADER}{}\n{list}", sha256_hex(list.as_bytes()))
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The first 12 hex digits, for messages.
fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// A line of the lock as read: the entry and where it stands.
struct Locked {
    sha256: String,
    path: String,
    span: Span,
}

/// The lock as read from disk.
struct Recorded {
    /// The first line's hash, when the line is well-formed.
    total: Option<String>,
    /// The text after the first line: what the first line hashes.
    list: String,
    entries: Vec<Locked>,
}

/// Compares the project with its lock. `sources` holds the project's files
/// (the lock is added to it, so diagnostics can point at its lines); `graph`
/// is the linked project, or `None` when it did not link (then files are
/// compared by name and content only, not by order).
///
/// A project without a lock gets one warning (`sum-missing`), whatever the
/// policy: projects that predate the lock keep compiling until `ddlc sum`
/// creates it. Under [`Policy::Warn`] every difference is a warning.
pub fn verify(
    config: &Config,
    sources: &mut SourceMap,
    graph: Option<&Graph>,
    policy: Policy,
) -> Result<Diagnostics, Error> {
    let current = match graph {
        Some(graph) => Lock::of_graph(graph, sources)?,
        None => {
            let files: Vec<FileId> = (0..sources.len() as u32).map(FileId).collect();
            Lock::of_files(&files, sources)?
        }
    };
    let path = config.sum_file();
    let shown = display_path(&path, &config.root);
    let mut diags = Diagnostics::default();
    let text = match read(&path)? {
        Some(text) => text,
        None => {
            diags.push(
                Diagnostic::warning(
                    Code::SumMissing,
                    format!(
                        "no `{shown}`: edits to revisions that were already released go unnoticed"
                    ),
                )
                .with_help("run `ddlc sum` to lock the revisions as they are now"),
            );
            return Ok(diags);
        }
    };
    let sum_file = sources.add(shown.clone(), text);
    let recorded = parse(sources, sum_file, &mut diags);
    let folder = path.parent().unwrap_or(&config.root);
    compare(
        &current,
        &recorded,
        sources,
        graph,
        (folder, &shown),
        &mut diags,
    );
    if policy == Policy::Enforce {
        return Ok(diags);
    }
    let mut diags = diags.into_vec();
    for d in &mut diags {
        if d.severity == Severity::Error {
            d.severity = Severity::Warning;
            d.notes
                .push("reported as a warning: --ignore-sum was given".into());
        }
    }
    Ok(diags.into())
}

/// The lock's text, `None` when there is none. A lock that is not UTF-8 or
/// too large is an error: it cannot be a lock ddlc wrote.
fn read(path: &camino::Utf8Path) -> Result<Option<String>, Error> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io(e)),
    };
    if !meta.is_file() {
        return Err(Error::Message(format!("`{path}` is not a file")));
    }
    if meta.len() > MAX_BYTES {
        return Err(Error::Message(format!(
            "`{path}` is {} bytes: not a lock ddlc wrote",
            meta.len()
        )));
    }
    let bytes = std::fs::read(path).map_err(io)?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| Error::Message(format!("`{path}` is not UTF-8: not a lock ddlc wrote")))
}

/// Reads the lock's lines; a line that is not of the format is an error at it.
fn parse(sources: &SourceMap, file: FileId, diags: &mut Diagnostics) -> Recorded {
    let text = sources.file(file).text.as_str();
    let shown = sources.path(file).to_string();
    let mut lines = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        lines.push((start, line.trim_end_matches('\n')));
        start += line.len();
    }
    let span = |at: usize, line: &str| Span::new(file, at, at + line.len());
    let mut recorded = Recorded {
        total: None,
        list: String::new(),
        entries: Vec::new(),
    };
    let Some(&(_, first)) = lines.first() else {
        diags.push(
            Diagnostic::error(Code::SumMalformed, format!("`{shown}` is empty"))
                .with_help("run `ddlc sum` to write it"),
        );
        return recorded;
    };
    recorded.list = text[first.len().min(text.len())..]
        .strip_prefix('\n')
        .unwrap_or("")
        .to_string();
    recorded.total = header_hash(first, &shown, span(0, first), diags);
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for &(at, line) in lines.iter().skip(1) {
        let parsed = line
            .split_once("  ")
            .filter(|(hash, path)| is_sha256(hash) && is_entry_path(path));
        let Some((hash, path)) = parsed else {
            diags.push(
                Diagnostic::error(
                    Code::SumMalformed,
                    format!("a line of `{shown}` is not `<sha256>  versions/<file>.mig`"),
                )
                .at(span(at, line), "not a lock entry")
                .with_help("run `ddlc sum` to rewrite the lock"),
            );
            continue;
        };
        let here = span(at, line);
        if let Some(&first) = seen.get(path) {
            diags.push(
                Diagnostic::error(
                    Code::SumMalformed,
                    format!("`{path}` is listed twice in `{shown}`"),
                )
                .at(here, "listed again here")
                .with_secondary(first, "first listed here")
                .with_help("run `ddlc sum` to rewrite the lock"),
            );
            continue;
        }
        seen.insert(path, here);
        recorded.entries.push(Locked {
            sha256: hash.to_string(),
            path: path.to_string(),
            span: here,
        });
    }
    recorded
}

/// The hash on the lock's first line (at `span`), or None, reported.
fn header_hash(first: &str, shown: &str, span: Span, diags: &mut Diagnostics) -> Option<String> {
    match first.strip_prefix(HEADER) {
        Some(hash) if is_sha256(hash) => Some(hash.to_string()),
        _ => {
            let newer = first.starts_with("# ddlc.sum v") && !first.starts_with(HEADER);
            diags.push(
                Diagnostic::error(
                    Code::SumMalformed,
                    if newer {
                        format!("`{shown}` was written in a format this ddlc does not read")
                    } else {
                        format!("the first line of `{shown}` is not `{HEADER}<sha256>`")
                    },
                )
                .at(span, "expected the lock's header")
                .with_help("run `ddlc sum` to rewrite the lock"),
            );
            None
        }
    }
}

/// `versions/<name>.mig`, the only paths a lock lists.
fn is_entry_path(path: &str) -> bool {
    path.strip_prefix("versions/")
        .is_some_and(|name| !name.contains('/') && is_migration_name(name))
}

fn is_sha256(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Names every difference between the project now and its lock.
fn compare(
    current: &Lock,
    recorded: &Recorded,
    sources: &SourceMap,
    graph: Option<&Graph>,
    (folder, shown): (&camino::Utf8Path, &camino::Utf8Path),
    diags: &mut Diagnostics,
) {
    if let Some(total) = &recorded.total {
        if *total != sha256_hex(recorded.list.as_bytes()) {
            diags.push(
                Diagnostic::error(
                    Code::SumTampered,
                    format!("`{shown}` was edited by hand: its first line is not the SHA-256 of the list below it"),
                )
                .with_note("a merge of two branches that both added revisions leaves the lock like this")
                .with_help("review the revisions, then run `ddlc sum` to rewrite the lock"),
            );
        }
    }
    let now: HashMap<&str, (usize, &Entry)> = current
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.path.as_str(), (i, e)))
        .collect();
    let locked: HashMap<&str, &Locked> = recorded
        .entries
        .iter()
        .map(|l| (l.path.as_str(), l))
        .collect();
    let at = |d: Diagnostic, entry: &Entry, label: String| at_file(sources, d, entry, label);
    let removed = edited(recorded, &now, shown, diags, &at);
    let mut added: Vec<&Entry> = current
        .entries
        .iter()
        .filter(|e| !locked.contains_key(e.path.as_str()))
        .collect();
    let removed = renamed(removed, &mut added, shown, diags, &at);
    for gone in removed {
        if std::fs::symlink_metadata(folder.join(&gone.path)).is_ok() {
            continue; // there, but unreadable: reported where the project was read
        }
        diags.push(
            Diagnostic::error(
                Code::SumRemoved,
                format!(
                    "`{}` is locked in `{shown}` but no longer exists",
                    gone.path
                ),
            )
            .at(gone.span, "locked here")
            .with_help("restore it: databases that ran this revision still record it")
            .with_help("if it was never released, run `ddlc sum` to drop it from the lock"),
        );
    }
    let inserted = graph.map(|g| inserted_before(g, current, &locked));
    for entry in added {
        let before = inserted
            .as_ref()
            .and_then(|m| entry.file.and_then(|f| m.get(&f)));
        diags.push(at(
            unlocked(entry, before, shown),
            entry,
            "not locked".into(),
        ));
    }
    if graph.is_some() {
        reordered(current, recorded, &now, shown, diags, at);
    }
}

/// A diagnostic about a whole file, located at the start of its first line
/// (when the file is in the sources).
fn at_file(sources: &SourceMap, d: Diagnostic, entry: &Entry, label: String) -> Diagnostic {
    let Some(file) = entry.file else {
        return d;
    };
    let text = &sources.file(file).text;
    d.at(
        Span::new(file, 0, text.find('\n').unwrap_or(text.len())),
        label,
    )
}

/// Reports each locked file whose bytes changed; the locked files that are
/// gone come back.
fn edited<'r>(
    recorded: &'r Recorded,
    now: &HashMap<&str, (usize, &Entry)>,
    shown: &camino::Utf8Path,
    diags: &mut Diagnostics,
    at_file: &impl Fn(Diagnostic, &Entry, String) -> Diagnostic,
) -> Vec<&'r Locked> {
    let mut removed: Vec<&Locked> = Vec::new();
    for entry in &recorded.entries {
        match now.get(entry.path.as_str()) {
            None => removed.push(entry),
            Some((_, e)) if e.sha256 != entry.sha256 => diags.push(
                at_file(
                    Diagnostic::error(
                        Code::SumEdited,
                        format!("`{}` was edited after it was locked in `{shown}`", entry.path),
                    ),
                    e,
                    format!("its SHA-256 is now {}…", short(&e.sha256)),
                )
                .with_secondary(entry.span, format!("locked as {}…", short(&entry.sha256)))
                .with_help("if the revision was released, restore the file and put the change in a new revision (`ddlc new`)")
                .with_help("if it was not released yet, run `ddlc sum` to lock the new content"),
            ),
            Some(_) => {}
        }
    }
    removed
}

/// A locked file that is gone while an unlocked one holds the same bytes: a
/// rename, reported (and taken out of `added`); the other gone files come back.
fn renamed<'r>(
    mut removed: Vec<&'r Locked>,
    added: &mut Vec<&Entry>,
    shown: &camino::Utf8Path,
    diags: &mut Diagnostics,
    at_file: &impl Fn(Diagnostic, &Entry, String) -> Diagnostic,
) -> Vec<&'r Locked> {
    removed.retain(|gone| {
        let Some(pos) = added.iter().position(|a| a.sha256 == gone.sha256) else {
            return true;
        };
        let new = added.remove(pos);
        diags.push(
            at_file(
                Diagnostic::error(
                    Code::SumRenamed,
                    format!(
                        "`{}` was renamed to `{}` after it was locked in `{shown}`",
                        gone.path, new.path
                    ),
                ),
                new,
                "renamed".into(),
            )
            .with_secondary(gone.span, "locked under its old name")
            .with_note("file names order revisions on parallel branches, so a rename can change the order scripts run them in")
            .with_help("rename it back, or run `ddlc sum` to lock the new name"),
        );
        false
    });
    removed
}

/// The error for a file that is not in the lock: inserted before the locked
/// `before`, or added.
fn unlocked(entry: &Entry, before: Option<&String>, shown: &camino::Utf8Path) -> Diagnostic {
    match before {
        Some(later) => Diagnostic::error(
            Code::SumInserted,
            format!(
                "`{}` is not in `{shown}`, and runs before the locked `{later}`",
                entry.path
            ),
        )
        .with_note(format!(
            "databases already past `{later}` will never run it"
        ))
        .with_help("revise the newest head instead (`ddlc new`), or run `ddlc sum` if nothing after it was released"),
        None => Diagnostic::error(
            Code::SumAdded,
            format!("`{}` is not in `{shown}`", entry.path),
        )
        .with_help("`ddlc new` and `ddlc merge` lock the files they write; review a file written otherwise, then run `ddlc sum`"),
    }
}

/// For each unlocked revision file with a locked descendant: the first such
/// descendant's path, in graph order.
fn inserted_before(
    graph: &Graph,
    current: &Lock,
    locked: &HashMap<&str, &Locked>,
) -> HashMap<FileId, String> {
    let path_of: HashMap<FileId, &str> = current
        .entries
        .iter()
        .filter_map(|e| e.file.map(|f| (f, e.path.as_str())))
        .collect();
    let is_locked = |n: usize| {
        path_of
            .get(&graph.revision(n).file)
            .is_some_and(|p| locked.contains_key(p))
    };
    let mut out = HashMap::new();
    for &n in graph.topo_order() {
        if is_locked(n) {
            continue;
        }
        let below = graph.descendants_or_self(&[n]);
        if let Some(&later) = graph
            .topo_order()
            .iter()
            .find(|&&m| m != n && below[m] && is_locked(m))
        {
            let file = graph.revision(n).file;
            out.insert(file, path_of[&graph.revision(later).file].to_string());
        }
    }
    out
}

/// Locked files whose place among the other locked files changed: those off
/// a longest run that kept its order.
fn reordered(
    current: &Lock,
    recorded: &Recorded,
    now: &HashMap<&str, (usize, &Entry)>,
    shown: &camino::Utf8Path,
    diags: &mut Diagnostics,
    at_file: impl Fn(Diagnostic, &Entry, String) -> Diagnostic,
) {
    let kept: Vec<(&Locked, usize)> = recorded
        .entries
        .iter()
        .filter_map(|l| now.get(l.path.as_str()).map(|&(i, _)| (l, i)))
        .collect();
    let positions: Vec<usize> = kept.iter().map(|&(_, i)| i).collect();
    let in_order = longest_increasing(&positions);
    for (k, &(locked, i)) in kept.iter().enumerate() {
        if in_order[k] {
            continue;
        }
        let rank_now = kept.iter().filter(|&&(_, j)| j < i).count() + 1;
        diags.push(
            at_file(
                Diagnostic::error(
                    Code::SumReordered,
                    format!(
                        "`{}` moved in the graph order since it was locked in `{shown}`: it was {} of {n}, it is now {rank_now}",
                        locked.path,
                        k + 1,
                        n = kept.len()
                    ),
                ),
                &current.entries[i],
                "runs at a different place now".into(),
            )
            .with_secondary(locked.span, "locked at this place")
            .with_note("the order decides which revision of two parallel branches a script runs first")
            .with_help("restore the old order (file names and `revises`), or run `ddlc sum` if nothing was released"),
        );
    }
}

/// Marks a longest strictly increasing subsequence of `values` (patience
/// sorting, O(n log n)). Of several, the one with the smallest values: the
/// answer is the same on every run.
fn longest_increasing(values: &[usize]) -> Vec<bool> {
    let mut tails: Vec<usize> = Vec::new(); // index into values of the tail of each length
    let mut previous: Vec<Option<usize>> = vec![None; values.len()];
    for (i, &v) in values.iter().enumerate() {
        let len = tails.partition_point(|&t| values[t] < v);
        previous[i] = len.checked_sub(1).map(|l| tails[l]);
        if len == tails.len() {
            tails.push(i);
        } else {
            tails[len] = i;
        }
    }
    let mut marked = vec![false; values.len()];
    let mut at = tails.last().copied();
    while let Some(i) = at {
        marked[i] = true;
        at = previous[i];
    }
    marked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::tests::rev;

    fn sources(files: &[(&str, &str)]) -> SourceMap {
        let mut map = SourceMap::new();
        for (path, text) in files {
            map.add(format!("migrations/versions/{path}"), *text);
        }
        map
    }

    #[test]
    fn the_lock_is_sha256sum_format_under_a_hash_of_its_list() {
        let map = sources(&[("a.mig", "first\n"), ("b.mig", "")]);
        let lock = Lock::of_files(&[FileId(1), FileId(0)], &map).unwrap();
        let text = lock.render();
        let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let first = sha256_hex(b"first\n");
        let list = format!("{empty}  versions/b.mig\n{first}  versions/a.mig\n");
        assert_eq!(
            text,
            format!("# ddlc.sum v1 {}\n{list}", sha256_hex(list.as_bytes()))
        );
        assert_eq!(lock.total(), sha256_hex(list.as_bytes()));
        assert_eq!(
            Lock::default().render(),
            format!("# ddlc.sum v1 {empty}\n"),
            "an empty project's lock hashes the empty list"
        );
    }

    #[test]
    fn names_that_cannot_be_a_line_are_refused() {
        let map = sources(&[("a\nb.mig", "x")]);
        let err = Lock::of_files(&[FileId(0)], &map).unwrap_err().to_string();
        assert!(err.contains("cannot be locked"), "{err}");
    }

    #[test]
    fn longest_increasing_run_keeps_the_most_files_in_place() {
        let marks = |v: &[usize]| {
            longest_increasing(v)
                .iter()
                .enumerate()
                .filter(|(_, &m)| !m)
                .map(|(i, _)| v[i])
                .collect::<Vec<_>>()
        };
        assert_eq!(marks(&[0, 1, 2, 3]), Vec::<usize>::new());
        // Two swapped files: either one moved; the same one is named every time.
        assert_eq!(marks(&[0, 2, 1, 3]), [2]);
        assert_eq!(marks(&[3, 0, 1, 2]), [3]);
        assert_eq!(marks(&[]), Vec::<usize>::new());
    }

    /// A project folder with `files`, a lock of `locked` (as `(path, text)`),
    /// and the verification of the one against the other.
    fn verify_against(files: &[(&str, &str)], locked: &[(&str, &str)]) -> Vec<(String, String)> {
        let dir = tempfile::tempdir().unwrap();
        let root = camino::Utf8PathBuf::from_path_buf(dir.path().to_path_buf()).unwrap();
        std::fs::create_dir_all(root.join("migrations/versions")).unwrap();
        let config = Config::defaults(root);
        let old = sources(locked);
        let ids: Vec<FileId> = (0..old.len() as u32).map(FileId).collect();
        let lock = Lock::of_files(&ids, &old).unwrap();
        std::fs::write(config.sum_file(), lock.render()).unwrap();
        let mut map = sources(files);
        let diags = verify(&config, &mut map, None, Policy::Enforce).unwrap();
        diags
            .as_slice()
            .iter()
            .map(|d| (d.code.to_string(), d.message.clone()))
            .collect()
    }

    #[test]
    fn every_kind_of_change_is_named() {
        let same = [("a.mig", "A"), ("b.mig", "B")];
        assert!(verify_against(&same, &same).is_empty());
        let found = verify_against(
            &[("a.mig", "A edited"), ("c.mig", "C"), ("d.mig", "B")],
            &[("a.mig", "A"), ("b.mig", "B"), ("x.mig", "X")],
        );
        let codes: Vec<&str> = found.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(
            codes,
            [
                Code::SumEdited,
                Code::SumRenamed,
                Code::SumRemoved,
                Code::SumAdded
            ],
            "{found:?}"
        );
        assert!(
            found[0].1.contains("`versions/a.mig` was edited"),
            "{found:?}"
        );
        assert!(
            found[1]
                .1
                .contains("`versions/b.mig` was renamed to `versions/d.mig`"),
            "{found:?}"
        );
        assert!(found[2].1.contains("`versions/x.mig`"), "{found:?}");
        assert!(found[3].1.contains("`versions/c.mig`"), "{found:?}");
    }

    #[test]
    fn a_list_edited_by_hand_and_bad_lines_are_caught() {
        let dir = tempfile::tempdir().unwrap();
        let root = camino::Utf8PathBuf::from_path_buf(dir.path().to_path_buf()).unwrap();
        let config = Config::defaults(root);
        std::fs::create_dir_all(config.versions_dir()).unwrap();
        let mut map = sources(&[("a.mig", "A")]);
        let lock = Lock::of_files(&[FileId(0)], &map).unwrap();
        // The entry is right; the header no longer hashes the list.
        let list = lock.render().split_once('\n').unwrap().1.to_string();
        let text = format!("{HEADER}{}\n{list}", "0".repeat(64));
        std::fs::write(config.sum_file(), &text).unwrap();
        let codes = |map: &mut SourceMap| -> Vec<&'static str> {
            verify(&config, map, None, Policy::Enforce)
                .unwrap()
                .as_slice()
                .iter()
                .map(|d| d.code.id())
                .collect()
        };
        assert_eq!(codes(&mut map.clone()), [Code::SumTampered]);
        std::fs::write(
            config.sum_file(),
            format!("{}garbage line\n", lock.render()),
        )
        .unwrap();
        assert_eq!(
            codes(&mut map.clone()),
            [Code::SumMalformed, Code::SumTampered]
        );
        let outside = format!("{}  ../../etc/passwd\n", sha256_hex(b""));
        std::fs::write(config.sum_file(), format!("{}{outside}", lock.render())).unwrap();
        assert_eq!(
            codes(&mut map.clone()),
            [Code::SumMalformed, Code::SumTampered],
            "a path outside versions/ is not an entry"
        );
        let diags = verify(&config, &mut map, None, Policy::Warn).unwrap();
        assert!(!diags.has_errors(), "--ignore-sum makes them warnings");
        std::fs::remove_file(config.sum_file()).unwrap();
        let diags = verify(&config, &mut map, None, Policy::Enforce).unwrap();
        assert_eq!(diags.len(), 1);
        assert_eq!(diags.as_slice()[0].code, Code::SumMissing);
        assert!(
            !diags.has_errors(),
            "a project without a lock still compiles"
        );
    }

    #[test]
    fn order_and_insertions_need_the_graph() {
        let mut map = sources(&[("a.mig", "A"), ("b.mig", "B"), ("c.mig", "C")]);
        let mut a = rev("aaaa", &[]);
        a.file = FileId(0);
        let mut b = rev("bbbb", &["cccc"]);
        b.file = FileId(1);
        let mut c = rev("cccc", &["aaaa"]);
        c.file = FileId(2);
        let graph = Graph::build(vec![a, b, c], &map, &mut Diagnostics::new()).unwrap();
        // Locked: a then b (b revised a back then); c is new and runs before b now.
        let dir = tempfile::tempdir().unwrap();
        let root = camino::Utf8PathBuf::from_path_buf(dir.path().to_path_buf()).unwrap();
        let config = Config::defaults(root);
        std::fs::create_dir_all(config.versions_dir()).unwrap();
        let old = Lock::of_files(&[FileId(0), FileId(1)], &map).unwrap();
        std::fs::write(config.sum_file(), old.render()).unwrap();
        let diags = verify(&config, &mut map, Some(&graph), Policy::Enforce).unwrap();
        let codes: Vec<&str> = diags.as_slice().iter().map(|d| d.code.id()).collect();
        assert_eq!(codes, [Code::SumInserted], "{diags:?}");
        assert!(
            diags.as_slice()[0]
                .message
                .contains("runs before the locked `versions/b.mig`"),
            "{}",
            diags.as_slice()[0].message
        );
        // Locked in another order than the graph's.
        let swapped = Lock::of_files(&[FileId(2), FileId(1), FileId(0)], &map).unwrap();
        std::fs::write(config.sum_file(), swapped.render()).unwrap();
        let mut map2 = sources(&[("a.mig", "A"), ("b.mig", "B"), ("c.mig", "C")]);
        let diags = verify(&config, &mut map2, Some(&graph), Policy::Enforce).unwrap();
        let codes: Vec<&str> = diags.as_slice().iter().map(|d| d.code.id()).collect();
        assert_eq!(codes, [Code::SumReordered], "{diags:?}");
        assert!(
            diags.as_slice()[0]
                .message
                .contains("`versions/a.mig` moved"),
            "{}",
            diags.as_slice()[0].message
        );
    }
}

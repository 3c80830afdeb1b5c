//! Diagnostics: problems in the user's input, kept as data until printed.
//!
//! Every stage reports [`Diagnostic`]s with byte [`Span`]s; [`render`] turns them
//! into the `--> file:line:col` caret form with annotate-snippets. Plain output is
//! used for files, pipes and snapshots; colour only when stderr is a terminal.

pub mod code;

pub use code::Code;

use crate::source::{SourceMap, Span};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::fmt;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Stops compilation; no script is written.
    Error,
    /// Reported, compilation goes on.
    Warning,
}

/// A labelled span: the primary one says what is wrong, secondary ones give context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What to say under the caret (may be empty).
    pub message: String,
}

/// One problem in the user's input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable kebab-case id, e.g. `unknown-column`; also the fixture name in tests.
    pub code: Code,
    /// One-line summary: "table `users` has no column `emial`".
    pub message: String,
    /// Where the problem is, when it is in a file.
    pub primary: Option<Label>,
    /// Related places ("the table was dropped here").
    pub secondary: Vec<Label>,
    /// `= help:` lines: how to fix it ("did you mean `email`?").
    pub help: Vec<String>,
    /// `= note:` lines: background.
    pub notes: Vec<String>,
    /// A lint rule's id, printed (and given as `code` in JSON) in place of
    /// [`Code::Lint`]'s, which a lint finding carries as its code.
    pub rule: Option<&'static str>,
}

impl Diagnostic {
    /// An error with a code and message, located at `span`, labelled `label`.
    pub fn error(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            help: Vec::new(),
            notes: Vec::new(),
            rule: None,
        }
    }

    /// A warning.
    pub fn warning(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Sets the primary location.
    /// [`Span::NONE`] sets nothing: the diagnostic stays unlocated.
    pub fn at(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        if span.is_none() {
            return self;
        }
        self.primary = Some(Label {
            span,
            message: label.into(),
        });
        self
    }

    /// Adds a secondary location.
    pub fn with_secondary(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        if span.is_none() {
            return self;
        }
        self.secondary.push(Label {
            span,
            message: label.into(),
        });
        self
    }

    /// Adds a `= help:` line.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help.push(help.into());
        self
    }

    /// Adds a `= note:` line.
    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// Adds "did you mean `x`?" when a candidate is close to `wrong`.
    pub fn with_suggestion<'a>(
        self,
        wrong: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Diagnostic {
        match closest(wrong, candidates) {
            Some(best) => self.with_help(format!("did you mean `{best}`?")),
            None => self,
        }
    }

    /// The id printed as `error[id]`: the lint rule's, else the code's.
    pub fn id(&self) -> &'static str {
        self.rule.unwrap_or(self.code.id())
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Proof that an error was pushed into a [`Diagnostics`]: what a stage
/// returns instead of its diagnostics, which are already in the sink. Only the
/// sink makes one (the field is private), so an `Err(Reported)` always has an
/// error behind it.
#[must_use]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reported(());

/// A position in a [`Diagnostics`], to ask whether a stage added errors
/// ([`Diagnostics::check_since`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark(usize);

/// The one sink of a run: every stage pushes into it, in the order found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// An empty sink.
    pub fn new() -> Diagnostics {
        Diagnostics(Vec::new())
    }

    /// Adds one (a warning, or an error whose proof is not needed).
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Adds an error and hands back the proof that it was reported.
    pub fn error(&mut self, d: Diagnostic) -> Reported {
        debug_assert!(d.is_error(), "Diagnostics::error with a warning: {d:?}");
        self.0.push(d);
        Reported(())
    }

    /// The proof that an error was reported, if one was.
    pub fn reported(&self) -> Option<Reported> {
        self.has_errors().then_some(Reported(()))
    }

    /// The current end, for [`Diagnostics::check_since`].
    pub fn mark(&self) -> Mark {
        Mark(self.0.len())
    }

    /// Err when an error was pushed after `mark`.
    pub fn check_since(&self, mark: Mark) -> Result<(), Reported> {
        match self.0[mark.0.min(self.0.len())..]
            .iter()
            .any(Diagnostic::is_error)
        {
            true => Err(Reported(())),
            false => Ok(()),
        }
    }

    /// Err when any error was pushed.
    pub fn check(&self) -> Result<(), Reported> {
        self.check_since(Mark(0))
    }

    /// True when any is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// Number of diagnostics.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// All of them, in the order found.
    pub fn as_slice(&self) -> &[Diagnostic] {
        &self.0
    }

    /// The last one pushed.
    pub fn last(&self) -> Option<&Diagnostic> {
        self.0.last()
    }

    /// The ones pushed after `mark`.
    pub fn since(&self, mark: Mark) -> &[Diagnostic] {
        &self.0[mark.0.min(self.0.len())..]
    }

    /// Forgets the ones pushed after `mark` (work that is redone from there).
    pub fn rewind(&mut self, mark: Mark) {
        self.0.truncate(mark.0);
    }

    /// Takes them all out, leaving the sink empty.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.0
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(v: Vec<Diagnostic>) -> Diagnostics {
        Diagnostics(v)
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, iter: I) {
        self.0.extend(iter)
    }
}

/// The process exit codes: [`Failure::exit_code`] is the one mapping to them.
pub mod exit {
    /// Success (also a closed stdout pipe).
    pub const SUCCESS: u8 = 0;
    /// Problems in the migrations: diagnostics on stderr, nothing written.
    pub const PROBLEMS: u8 = 1;
    /// Usage, configuration, a template that fails to render, I/O.
    pub const USAGE: u8 = 2;
}

/// Why a stage (or a command) produced nothing.
#[derive(Debug)]
pub enum Failure {
    /// Problems in the user's input, in the sink: exit 1.
    Reported,
    /// A usage error in the sink, rendered like a diagnostic (a target that
    /// names nothing may point at the heads it could have meant): exit 2.
    Usage,
    /// Not the migrations' fault (configuration, I/O, a template bug): exit 2.
    Error(Error),
}

impl Failure {
    /// The exit code of a process that stops with this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Reported => exit::PROBLEMS,
            Failure::Usage => exit::USAGE,
            // Nobody is reading any more: not a failure of ddlc's.
            Failure::Error(Error::Io { source, .. })
                if source.kind() == std::io::ErrorKind::BrokenPipe =>
            {
                exit::SUCCESS
            }
            Failure::Error(_) => exit::USAGE,
        }
    }
}

impl From<Reported> for Failure {
    fn from(_: Reported) -> Failure {
        Failure::Reported
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Error(e)
    }
}

/// Output style of [`render`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// ASCII, no colour: files, pipes, snapshots.
    Plain,
    /// Colour, for a terminal.
    Styled,
}

/// Renders diagnostics in the caret form, one blank line between them.
pub fn render(diags: &[Diagnostic], sources: &SourceMap, style: Style) -> String {
    let renderer = match style {
        Style::Plain => Renderer::plain(),
        Style::Styled => Renderer::styled(),
    };
    let mut out = String::new();
    for d in diags {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(render_one(d, sources, &renderer).trim_end());
        out.push('\n');
    }
    out
}

/// The largest excerpt of a file handed to the renderer whole: annotate-snippets
/// reads all the text it is given, so a diagnostic must not give it a whole
/// file (or one 8 MiB line), or many diagnostics cost time quadratic in the file.
const MAX_EXCERPT: usize = 16 * 1024;

/// Bytes kept on each side of a label when its lines are longer than
/// [`MAX_EXCERPT`]: more than a terminal shows, so the renderer still cuts the
/// line itself (and marks the cut with `...`).
const CONTEXT: usize = 512;

fn render_one(d: &Diagnostic, sources: &SourceMap, renderer: &Renderer) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level.primary_title(d.message.as_str()).id(d.id());
    // One snippet per file; the primary label's file first.
    let mut labels: Vec<(&Label, bool)> = Vec::new();
    if let Some(p) = &d.primary {
        labels.push((p, true));
    }
    labels.extend(d.secondary.iter().map(|l| (l, false)));
    let mut files: Vec<crate::source::FileId> = Vec::new();
    for (label, _) in &labels {
        if !files.contains(&label.span.file) && (label.span.file.0 as usize) < sources.len() {
            files.push(label.span.file);
        }
    }
    let mut elements: Vec<annotate_snippets::Element> = Vec::new();
    // `path:line:col` headers the renderer gets wrong on a cut line: (wrong, right).
    let mut fixes: Vec<(String, String)> = Vec::new();
    for file in files {
        let source = sources.file(file);
        let here: Vec<(&Label, bool)> = labels
            .iter()
            .copied()
            .filter(|(l, _)| l.span.file == file)
            .collect();
        let first = here.iter().map(|(l, _)| l.span.start).min().unwrap_or(0);
        let last = here.iter().map(|(l, _)| l.span.end).max().unwrap_or(0);
        let first_line = source.line(first);
        let (lo, hi) = (
            source.line_start(first_line),
            source.line_start(source.line(last) + 1),
        );
        if hi - lo <= MAX_EXCERPT {
            // The lines the labels cover, whole: what the renderer would show anyway.
            let mut snippet = Snippet::source(&source.text[lo..hi])
                .line_start(first_line)
                .path(source.path.as_str());
            for (label, primary) in &here {
                snippet = snippet.annotation(annotation(label, *primary, &source.text, lo, hi));
            }
            elements.push(snippet.into());
            continue;
        }
        cut_excerpts(&here, source, &mut elements, &mut fixes);
    }
    for note in &d.notes {
        elements.push(Level::NOTE.message(note.as_str()).into());
    }
    for help in &d.help {
        elements.push(Level::HELP.message(help.as_str()).into());
    }
    let report: Vec<Group> = vec![title.elements(elements)];
    let mut out = renderer.render(&report);
    // The renderer counts columns from the start of the excerpt; put back the
    // file's own, in order.
    let mut from = 0;
    for (wrong, right) in fixes {
        if let Some(at) = out[from..].find(&wrong).map(|i| i + from) {
            out.replace_range(at..at + wrong.len(), &right);
            from = at + right.len();
        }
    }
    out
}

/// Labels far apart or on very long lines: one cut excerpt per label. The
/// `path:line:col` headers the renderer gets wrong on a cut line go to
/// `fixes`, as (wrong, right).
fn cut_excerpts<'a>(
    here: &[(&'a Label, bool)],
    source: &'a crate::source::SourceFile,
    elements: &mut Vec<annotate_snippets::Element<'a>>,
    fixes: &mut Vec<(String, String)>,
) {
    for (label, primary) in here {
        let (line, col) = source.line_col(label.span.start);
        let line_lo = source.line_start(line);
        let line_hi = source.line_start(line + 1);
        let start = clamp(label.span.range(), &source.text).start;
        let lo = floor_boundary(&source.text, start.saturating_sub(CONTEXT).max(line_lo));
        let hi = ceil_boundary(&source.text, (start + CONTEXT).min(line_hi));
        let snippet = Snippet::source(&source.text[lo..hi])
            .line_start(line)
            .path(source.path.as_str())
            .annotation(annotation(label, *primary, &source.text, lo, hi));
        elements.push(snippet.into());
        let shown = source.text[lo..start].chars().count() + 1;
        if shown != col {
            fixes.push((
                format!("{}:{line}:{shown}", source.path),
                format!("{}:{line}:{col}", source.path),
            ));
        }
    }
}

/// The annotation of `label` in the excerpt `text[lo..hi]`, clipped to it.
fn annotation<'a>(
    label: &'a Label,
    primary: bool,
    text: &str,
    lo: usize,
    hi: usize,
) -> annotate_snippets::Annotation<'a> {
    let kind = if primary {
        AnnotationKind::Primary
    } else {
        AnnotationKind::Context
    };
    let range = clamp(label.span.range(), text);
    let (start, end) = (range.start.clamp(lo, hi), range.end.clamp(lo, hi));
    kind.span(start - lo..end - lo)
        .label(label.message.as_str())
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Keeps a range inside the text and on char boundaries, so rendering never panics.
fn clamp(range: std::ops::Range<usize>, text: &str) -> std::ops::Range<usize> {
    let mut start = range.start.min(text.len());
    let mut end = range.end.clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// The candidate closest to `wrong` by edit distance, if close enough to be a likely typo.
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = wrong.chars().count();
    let limit = (len / 3).max(1);
    let lower = wrong.to_lowercase();
    candidates
        .into_iter()
        .filter(|c| *c != wrong)
        // The distance is at least the difference in length: skip the
        // quadratic comparison of a 10,000-char name with a keyword.
        .filter(|c| c.chars().count().abs_diff(len) <= limit)
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// Edit distance over chars counting a swap of two adjacent chars as one edit
/// (optimal string alignment), so `emial` is one edit from `email`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// Failures that are not about the user's migrations: I/O, configuration files,
/// template bugs. Shown once, with the path involved.
#[derive(Debug)]
pub enum Error {
    /// Reading or writing a file failed.
    Io {
        /// The path involved.
        path: camino::Utf8PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A template failed to render (a bug in a template, or a user override).
    Template(String),
    /// Anything else that is not a located diagnostic (bad ddlc.toml, bad CLI target).
    Message(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{path}: {source}"),
            Error::Template(m) => write!(f, "template error: {m}"),
            Error::Message(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        let words = ["create_table", "drop_table", "add_column"];
        assert_eq!(closest("create_tabel", words), Some("create_table"));
        assert_eq!(closest("add_colum", words), Some("add_column"));
        assert_eq!(closest("emial", ["email", "name"]), Some("email"));
        assert_eq!(closest("frobnicate", words), None);
    }

    /// What rendering with the whole file as the excerpt gives (the renderer's own cut).
    fn render_whole(d: &Diagnostic, map: &SourceMap) -> String {
        let label = d.primary.as_ref().unwrap();
        let source = map.file(label.span.file);
        let snippet = Snippet::source(source.text.as_str())
            .path(source.path.as_str())
            .annotation(
                AnnotationKind::Primary
                    .span(label.span.range())
                    .label(label.message.as_str()),
            );
        let title = Level::ERROR
            .primary_title(d.message.as_str())
            .id(d.code.id());
        let report = vec![title.elements([annotate_snippets::Element::from(snippet)])];
        format!("{}\n", Renderer::plain().render(&report).trim_end())
    }

    #[test]
    fn a_cut_excerpt_renders_like_the_whole_line() {
        let mut map = SourceMap::new();
        let line: String = (0..4000).map(|i| format!("w{i}é ")).collect();
        let text = format!("first line\n{line}\nlast line\n");
        let file = map.add("v/long.mig", text.as_str());
        let len = line.len();
        for at in [0, 7, 600, len / 2, len - 700, len - 3] {
            let at = floor_boundary(&text, 11 + at);
            let end = ceil_boundary(&text, at + 2);
            let d = Diagnostic::error(Code::UnknownOp, "bad").at(Span::new(file, at, end), "here");
            assert_eq!(
                render(std::slice::from_ref(&d), &map, Style::Plain),
                render_whole(&d, &map),
                "label at {at}"
            );
        }
    }

    #[test]
    fn labels_far_apart_each_get_their_line() {
        let mut map = SourceMap::new();
        let text = format!("a\n{}b\n", "x\n".repeat(20_000));
        let file = map.add("v/far.mig", text.as_str());
        let d = Diagnostic::error(Code::DuplicateColumn, "twice")
            .at(
                Span::new(file, text.len() - 2, text.len() - 1),
                "again here",
            )
            .with_secondary(Span::new(file, 0, 1), "first here");
        let out = render(&[d], &map, Style::Plain);
        assert!(out.contains("--> v/far.mig:20002:1"), "{out}");
        assert!(out.contains("::: v/far.mig:1:1"), "{out}");
        assert!(
            out.contains("first here") && out.contains("again here"),
            "{out}"
        );
    }

    #[test]
    fn renders_file_line_col_and_caret() {
        let mut map = SourceMap::new();
        let file = map.add("v/a.mig", "upgrade {\n    add_colum t.c : integer\n}\n");
        let d = Diagnostic::error(Code::UnknownOp, "unknown operation `add_colum`")
            .at(Span::new(file, 14, 23), "not an operation")
            .with_suggestion("add_colum", ["add_column"]);
        let text = render(&[d], &map, Style::Plain);
        assert!(text.contains("--> v/a.mig:2:5"), "{text}");
        assert!(text.contains("^^^^^^^^^ not an operation"), "{text}");
        assert!(text.contains("help: did you mean `add_column`?"), "{text}");
    }
}

//! How the CLI talks on stderr: colour or not (`--color`, `NO_COLOR`,
//! `CLICOLOR_FORCE`, `CLICOLOR`, `TERM=dumb`), text or JSON (`--format`), and
//! how much (`-q`).

use super::json;
use crate::diag::{self, Diagnostic, Error, Style};
use crate::source::SourceMap;
use std::io::{IsTerminal, Write};

/// `--color`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when stderr is a terminal, unless the environment says otherwise.
    #[default]
    Auto,
    /// Always colour, whatever the environment says.
    Always,
    /// Never colour.
    Never,
}

/// `--format`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The `--> file:line:col` caret form, for people.
    #[default]
    Text,
    /// One JSON object per line per diagnostic, for editors and CI.
    Json,
    /// `ddlc lint` only: its findings as one SARIF 2.1.0 log on stdout
    /// (GitHub code scanning); other diagnostics are printed as text.
    Sarif,
}

/// Whether to colour, given `--color`, the environment and whether stderr is a
/// terminal. An explicit `--color always|never` wins; under `auto`, a non-empty
/// `NO_COLOR` turns colour off, then a `CLICOLOR_FORCE` other than empty or `0`
/// turns it on, then `CLICOLOR=0` or `TERM=dumb` turn it off; otherwise colour
/// follows the terminal. (The order cargo and the `anstream` crate use.)
pub fn use_color(
    choice: ColorChoice,
    env: impl Fn(&str) -> Option<String>,
    is_terminal: bool,
) -> bool {
    let set = |name: &str| env(name).filter(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if set("NO_COLOR").is_some() {
                false
            } else if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
                true
            } else if set("CLICOLOR").is_some_and(|v| v == "0")
                || set("TERM").is_some_and(|v| v == "dumb")
            {
                false
            } else {
                is_terminal
            }
        }
    }
}

/// The stderr side of one run.
#[derive(Clone, Copy, Debug)]
pub struct Term {
    /// Colour the text form.
    pub color: bool,
    /// Text or JSON.
    pub format: Format,
    /// Errors only.
    pub quiet: bool,
}

impl Term {
    /// From the global options and the process's environment.
    pub fn new(color: ColorChoice, format: Format, quiet: bool) -> Term {
        Term {
            color: use_color(
                color,
                |name| std::env::var(name).ok(),
                std::io::stderr().is_terminal(),
            ),
            format,
            quiet,
        }
    }

    fn style(&self) -> Style {
        if self.color {
            Style::Styled
        } else {
            Style::Plain
        }
    }

    /// Prints diagnostics that stop the command, then (as text) the closing
    /// `error: aborting: ...` line; `what` says what was not done.
    pub fn abort(&self, diags: &[Diagnostic], sources: &SourceMap, what: &str) {
        let shown: Vec<Diagnostic> = diags
            .iter()
            .filter(|d| d.is_error() || !self.quiet)
            .cloned()
            .collect();
        match self.format {
            Format::Json => self.json_lines(&shown, sources),
            Format::Text | Format::Sarif => {
                let mut text = diag::render(&shown, sources, self.style());
                text.push_str(&summary(diags, what));
                text.push('\n');
                write_stderr(&text);
            }
        }
    }

    /// Prints warnings of a command that goes on (nothing under `-q`).
    pub fn warn(&self, diags: &[Diagnostic], sources: &SourceMap) {
        if self.quiet || diags.is_empty() {
            return;
        }
        match self.format {
            Format::Json => self.json_lines(diags, sources),
            Format::Text | Format::Sarif => {
                let mut text = diag::render(diags, sources, self.style());
                text.push('\n');
                write_stderr(&text);
            }
        }
    }

    /// Prints the diagnostics a command reports as its result (`ddlc lint`'s
    /// findings): all of them, or only the errors under `-q`.
    pub fn report(&self, diags: &[Diagnostic], sources: &SourceMap) {
        let shown: Vec<Diagnostic> = diags
            .iter()
            .filter(|d| d.is_error() || !self.quiet)
            .cloned()
            .collect();
        if shown.is_empty() {
            return;
        }
        match self.format {
            Format::Json => self.json_lines(&shown, sources),
            Format::Text | Format::Sarif => {
                let mut text = diag::render(&shown, sources, self.style());
                text.push('\n');
                write_stderr(&text);
            }
        }
    }

    /// Prints an error that is not a diagnostic (usage, configuration, I/O).
    pub fn error(&self, e: &Error) {
        match self.format {
            Format::Json => write_stderr(&format!("{}\n", json::error(e))),
            Format::Text | Format::Sarif => write_stderr(&format!("error: {e}\n")),
        }
    }

    /// Prints a line saying what was done (nothing under `-q` or `--format json`).
    pub fn info(&self, line: &str) {
        if !self.quiet && self.format != Format::Json {
            write_stderr(&format!("{line}\n"));
        }
    }

    fn json_lines(&self, diags: &[Diagnostic], sources: &SourceMap) {
        let text: String = diags
            .iter()
            .map(|d| format!("{}\n", json::diagnostic(d, sources)))
            .collect();
        write_stderr(&text);
    }
}

fn write_stderr(text: &str) {
    // Nothing sensible is left to do if stderr itself is gone.
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// `error: aborting: 3 errors in 2 files (no script written)`.
pub fn summary(diags: &[Diagnostic], what: &str) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let mut files: Vec<u32> = diags
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| d.primary.as_ref().map(|p| p.span.file.0))
        .collect();
    files.sort_unstable();
    files.dedup();
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

/// `1 error`, `2 errors`.
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::source::{FileId, Span};

    #[test]
    fn colour_follows_the_flag_then_the_environment_then_the_terminal() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        use ColorChoice::*;
        for (choice, vars, tty, want) in [
            (Auto, &[][..], true, true),
            (Auto, &[], false, false),
            (Auto, &[("NO_COLOR", "1")], true, false),
            (Auto, &[("NO_COLOR", "")], true, true),
            (Auto, &[("CLICOLOR_FORCE", "1")], false, true),
            (Auto, &[("CLICOLOR_FORCE", "0")], false, false),
            (
                Auto,
                &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
                true,
                false,
            ),
            (
                Auto,
                &[("CLICOLOR_FORCE", "1"), ("TERM", "dumb")],
                false,
                true,
            ),
            (Auto, &[("TERM", "dumb")], true, false),
            (Auto, &[("TERM", "xterm-256color")], true, true),
            (Auto, &[("CLICOLOR", "0")], true, false),
            (Always, &[("NO_COLOR", "1"), ("TERM", "dumb")], false, true),
            (Never, &[("CLICOLOR_FORCE", "1")], true, false),
        ] {
            assert_eq!(
                use_color(choice, env(vars), tty),
                want,
                "{choice:?} {vars:?} tty={tty}"
            );
        }
    }

    #[test]
    fn summary_counts_errors_and_files() {
        let at = |file| {
            Diagnostic::error(Code::InternalError, "x").at(Span::new(FileId(file), 0, 1), "")
        };
        let diags = vec![
            at(0),
            at(1),
            at(1),
            Diagnostic::warning(Code::InternalError, "w"),
        ];
        assert_eq!(
            summary(&diags, " (no script written)"),
            "error: aborting: 3 errors in 2 files (no script written)"
        );
        assert_eq!(
            summary(&[Diagnostic::error(Code::InternalError, "x")], ""),
            "error: aborting: 1 error"
        );
    }
}

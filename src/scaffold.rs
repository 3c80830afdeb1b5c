//! New revision files, as `ddlc new` and `ddlc merge` write them: a random id,
//! a file name from the message, the header, and the body from the project's
//! template. What is written is parsed and linked with the project before it
//! reaches the disk, so a file ddlc writes is always a revision ddlc reads.

use crate::config::{display_path, Config};
use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, Error, Failure};
use crate::graph::{overlong_ids, Graph};
use crate::project::Project;
use crate::source::SourceMap;
use crate::syntax;
use crate::syntax::token::TokenKind;
use camino::Utf8PathBuf;

/// Hex digits in a generated id: 48 random bits, as Alembic's 12-hex ids.
pub const ID_DIGITS: usize = 12;

/// Longest slug in a file name, cut at a word boundary (Alembic's default).
pub const SLUG_LENGTH: usize = 40;

/// The built-in template: the header, an empty upgrade, a derived downgrade.
pub const BUILTIN_TEMPLATE: &str = "{{ header }}\n\nupgrade {\n}\n\ndowngrade auto\n";

/// A revision to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRevision {
    /// Its id.
    pub id: String,
    /// The ids it revises (none: `revises base`).
    pub parents: Vec<String>,
    /// `depends_on (...)`: full ids it needs applied without revising them.
    pub depends_on: Vec<String>,
    /// `message`.
    pub message: String,
    /// `labels (...)`.
    pub labels: Vec<String>,
}

/// Where the body comes from.
#[derive(Clone, Debug)]
pub enum Template {
    /// [`BUILTIN_TEMPLATE`] (also what `--empty` writes).
    Builtin,
    /// The project's `revision_template`: its path and text.
    Custom(Utf8PathBuf, String),
}

impl Template {
    /// The project's template, read from `revision_template` when set.
    pub fn of_project(config: &Config) -> Result<Template, Error> {
        match &config.revision_template {
            None => Ok(Template::Builtin),
            Some(path) => std::fs::read_to_string(path)
                .map(|text| Template::Custom(path.clone(), text))
                .map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                }),
        }
    }
}

/// A fresh id: [`ID_DIGITS`] hex digits from the operating system's
/// randomness, never one the graph already has.
pub fn random_id(graph: &Graph) -> Result<String, Error> {
    for _ in 0..100 {
        let mut bytes = [0u8; ID_DIGITS / 2];
        getrandom::fill(&mut bytes).map_err(|e| {
            Error::Message(format!(
                "cannot read the system's randomness for an id: {e}"
            ))
        })?;
        let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        if graph.find(&id).is_none() {
            return Ok(id);
        }
    }
    Err(Error::Message(
        "no unused random id after 100 draws: the system's randomness is broken".into(),
    ))
}

/// The message's words, lower-cased and joined by `_`, cut to at most
/// [`SLUG_LENGTH`] characters at a word boundary.
pub fn slug(message: &str) -> String {
    let words: Vec<String> = message
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut out = String::new();
    for word in words {
        let extra = word.chars().count() + usize::from(!out.is_empty());
        if out.chars().count() + extra > SLUG_LENGTH {
            if out.is_empty() {
                out = word.chars().take(SLUG_LENGTH).collect();
            }
            break;
        }
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(&word);
    }
    out
}

/// `<id>_<slug>.mig`, or `<id>.mig` when the message has no word.
pub fn file_name(id: &str, message: &str) -> String {
    match slug(message) {
        s if s.is_empty() => format!("{id}.mig"),
        s => format!("{id}_{s}.mig"),
    }
}

/// `text` as a `.mig` text literal that reads back as exactly `text`: `"..."`
/// with `""` for a quote, else `"""..."""`; `None` when neither does.
pub fn quote_text(text: &str) -> Option<String> {
    let plain = format!("\"{}\"", text.replace('"', "\"\""));
    let triple = format!("\"\"\"{text}\"\"\"");
    [plain, triple].into_iter().find(|candidate| {
        let token = syntax::lexer::next_token(candidate, 0);
        matches!(token.kind, TokenKind::Str | TokenKind::TripleStr)
            && (token.start, token.end) == (0, candidate.len())
            && syntax::lexer::unquote(token.kind, candidate) == text
    })
}

/// Why an id given on the command line cannot name a file, if it cannot
/// (the graph's own rules for ids are checked when the file is linked).
pub fn unusable_file_id(id: &str) -> Option<&'static str> {
    if id.contains(['/', '\\', '\0']) {
        Some("contains a path separator")
    } else if id.starts_with('.') {
        Some("starts with `.` (a hidden file, or a path)")
    } else {
        None
    }
}

impl NewRevision {
    /// The header lines: `revision`, `revises`, `depends_on`, `message` and `labels`.
    pub fn header(&self) -> Result<String, Error> {
        let quote = |what: &str, text: &str| {
            quote_text(text).ok_or_else(|| {
                Error::Message(format!(
                    "the {what} {text:?} cannot be written as a .mig text literal"
                ))
            })
        };
        let revises = match &self.parents[..] {
            [] => "base".to_string(),
            [one] => quote("parent id", one)?,
            many => {
                let quoted: Result<Vec<String>, Error> =
                    many.iter().map(|p| quote("parent id", p)).collect();
                format!("({})", quoted?.join(", "))
            }
        };
        let mut out = format!("revision {}\nrevises  {revises}", quote("id", &self.id)?);
        if !self.depends_on.is_empty() {
            let quoted: Result<Vec<String>, Error> = self
                .depends_on
                .iter()
                .map(|d| quote("dependency id", d))
                .collect();
            out.push_str(&format!("\ndepends_on ({})", quoted?.join(", ")));
        }
        out.push_str(&format!("\nmessage  {}", quote("message", &self.message)?));
        if !self.labels.is_empty() {
            let quoted: Result<Vec<String>, Error> =
                self.labels.iter().map(|l| quote("label", l)).collect();
            out.push_str(&format!("\nlabels   ({})", quoted?.join(", ")));
        }
        Ok(out)
    }

    /// The file's text from `template`. The template sees `header` (the header
    /// lines), `id`, `parents` and `labels` (lists of ids), `message`, `slug`
    /// and `merge` (true for `ddlc merge`); unknown names are errors.
    pub fn render(&self, template: &Template) -> Result<String, Error> {
        let (name, text) = match template {
            Template::Builtin => (
                "the built-in revision template".to_string(),
                BUILTIN_TEMPLATE,
            ),
            Template::Custom(path, text) => (format!("`{path}`"), text.as_str()),
        };
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        let fail = |e: minijinja::Error| {
            let mut message = format!("{name}: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(inner) = source {
                message.push_str(&format!(": {inner}"));
                source = inner.source();
            }
            Error::Template(message)
        };
        let template = env.template_from_str(text).map_err(fail)?;
        let mut out = template
            .render(minijinja::context! {
                header => self.header()?,
                id => &self.id,
                parents => &self.parents,
                depends_on => &self.depends_on,
                labels => &self.labels,
                message => &self.message,
                slug => slug(&self.message),
                merge => self.parents.len() > 1,
            })
            .map_err(fail)?;
        if !out.ends_with('\n') {
            out.push('\n');
        }
        Ok(out)
    }
}

/// The project with one more revision, linked, ready to be written.
#[derive(Debug)]
pub struct Added {
    /// The graph with the new revision.
    pub graph: Graph,
    /// The new file's path, relative to the project root.
    pub path: Utf8PathBuf,
}

/// Parses `text` as `file_name` in the project's versions folder and links it
/// with the project's revisions; the parsed header must be `wanted`'s (a
/// custom template that rewrites it is an error naming the template).
/// `sources` holds the project's files when called, and the new one after
/// them, under the path it would have, so that `diags` can point into it.
#[allow(clippy::too_many_arguments)]
pub fn add(
    project: &Project,
    config: &Config,
    wanted: &NewRevision,
    file_name: &str,
    text: &str,
    template: &Template,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Result<Added, Failure> {
    let path = display_path(&config.versions_dir().join(file_name), &config.root);
    let file = sources.add(path.clone(), text);
    let revision = syntax::parse_revision(sources, file, &config.naming, diags)?;
    let ids = |links: &[(crate::ir::RevisionId, crate::source::Span)]| -> Vec<String> {
        links.iter().map(|(p, _)| p.0.clone()).collect()
    };
    if revision.id.0 != wanted.id
        || ids(&revision.parents) != wanted.parents
        || ids(&revision.depends_on) != wanted.depends_on
        || revision.message != wanted.message
        || revision.labels != wanted.labels
    {
        let from = match template {
            Template::Custom(path, _) => format!("the revision template `{path}`"),
            Template::Builtin => "the built-in revision template".into(),
        };
        return Err(Failure::Error(Error::Message(format!(
            "{from} wrote a header other than the one asked for (revision `{}`, revises {:?}): \
             write `{{{{ header }}}}` where the header goes",
            wanted.id, wanted.parents
        ))));
    }
    let overlong = overlong_ids(
        std::slice::from_ref(&revision),
        config.version_table.column_length as usize,
        &config.column_length_setting(),
        diags,
    );
    let mut revisions: Vec<_> = project
        .graph
        .nodes()
        .iter()
        .map(|n| n.revision.clone())
        .collect();
    // In file order, as a later load reads it: the order breaks ties in the
    // graph order, which the lock records.
    let at = revisions
        .iter()
        .position(|r| sources.path(r.file) > path.as_path())
        .unwrap_or(revisions.len());
    revisions.insert(at, revision);
    let graph = Graph::build(revisions, sources, diags);
    overlong?;
    Ok(Added {
        graph: graph?,
        path,
    })
}

/// The diagnostic for a `revises` the user must choose: several heads.
pub fn several_heads(graph: &Graph) -> Diagnostic {
    let names: Vec<String> = graph
        .heads()
        .iter()
        .map(|&h| format!("`{}`", graph.revision(h).id))
        .collect();
    let mut d = Diagnostic::error(
        Code::MultipleHeads,
        format!(
            "there are {} heads: {}; which one does the new revision revise?",
            names.len(),
            names.join(", ")
        ),
    );
    for &h in graph.heads() {
        d = d.with_secondary(graph.revision(h).id_span, "a head");
    }
    d.with_help("name one with `--head <id>` (or `--head <label>@head`)")
        .with_help("or join them first: `ddlc merge heads -m \"merge\"`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_words_cut_at_a_boundary() {
        assert_eq!(
            slug("Add invoices & credit-notes!"),
            "add_invoices_credit_notes"
        );
        assert_eq!(slug("  "), "");
        assert_eq!(slug("Ça marche: naïve café"), "ça_marche_naïve_café");
        let long = "one two three four five six seven eight nine ten";
        let cut = slug(long);
        assert_eq!(cut, "one_two_three_four_five_six_seven_eight");
        assert!(cut.chars().count() <= SLUG_LENGTH);
        assert_eq!(slug(&"x".repeat(60)).chars().count(), SLUG_LENGTH);
        assert_eq!(file_name("ab12", "Add users"), "ab12_add_users.mig");
        assert_eq!(file_name("ab12", "!!"), "ab12.mig");
    }

    #[test]
    fn text_is_quoted_so_it_reads_back_as_itself() {
        for text in [
            "plain",
            "say \"hi\"",
            "\"leading quote",
            "trailing\"",
            "",
            "a\"\"\"b",
        ] {
            let Some(quoted) = quote_text(text) else {
                continue;
            };
            let token = syntax::lexer::next_token(&quoted, 0);
            assert_eq!(
                syntax::lexer::unquote(token.kind, &quoted),
                text,
                "{quoted}"
            );
        }
        assert_eq!(quote_text("say \"hi\"").unwrap(), "\"say \"\"hi\"\"\"");
        assert!(quote_text("\"leading quote").is_some());
    }

    #[test]
    fn headers_and_templates() {
        let new = NewRevision {
            id: "ab12cd34ef56".into(),
            parents: vec!["p1".into(), "p2".into()],
            depends_on: vec!["d1".into()],
            message: "merge \"a\" and b".into(),
            labels: vec!["core".into()],
        };
        assert_eq!(
            new.header().unwrap(),
            "revision \"ab12cd34ef56\"\nrevises  (\"p1\", \"p2\")\ndepends_on (\"d1\")\nmessage  \"merge \"\"a\"\" and b\"\nlabels   (\"core\")"
        );
        let text = new.render(&Template::Builtin).unwrap();
        assert!(
            text.ends_with("\n\nupgrade {\n}\n\ndowngrade auto\n"),
            "{text}"
        );
        let custom = Template::Custom(
            "t.mig".into(),
            "{{ header }}\ndoc \"\"\"{{ slug }} {{ merge }} {{ parents | join(',') }}\"\"\"\nupgrade { }\ndowngrade auto".into(),
        );
        let text = new.render(&custom).unwrap();
        assert!(
            text.contains("doc \"\"\"merge_a_and_b True p1,p2\"\"\"\n"),
            "{text}"
        );
        let bad = Template::Custom("t.mig".into(), "{{ heder }}".into());
        let err = new.render(&bad).unwrap_err().to_string();
        assert!(err.contains("`t.mig`"), "{err}");
        assert!(err.contains("undefined"), "{err}");
    }

    #[test]
    fn ids_that_would_be_paths_are_refused() {
        for id in ["../x", "a/b", "a\\b", ".hidden"] {
            assert!(unusable_file_id(id).is_some(), "{id}");
        }
        assert!(unusable_file_id("ab12cd34ef56").is_none());
    }
}

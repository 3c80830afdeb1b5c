//! An imported revision as a .mig file.

use super::body::Item;
use super::revision::Revision;
use super::text::text;
use crate::scaffold::NewRevision;

/// What rendering found: the file's text and the review items' lines.
pub struct Rendered {
    /// The .mig text.
    pub text: String,
    /// Ops written.
    pub ops: usize,
    /// 1-based lines in the .py of the code left for review.
    pub reviews: Vec<(usize, String)>,
    /// Whether the downgrade became `auto`.
    pub auto: bool,
}

/// The .mig of `rev`, read from `py` (its path, as the review lines name it).
pub fn render(rev: &Revision, py: &str) -> Result<Rendered, String> {
    let header = NewRevision {
        id: rev.id.clone(),
        parents: rev.parents.clone(),
        depends_on: rev.depends_on.clone(),
        message: rev.message.clone(),
        labels: rev.labels.clone(),
    }
    .header()
    .map_err(|e| e.to_string())?;
    let mut out = Rendered {
        text: header,
        ops: 0,
        reviews: vec![],
        auto: false,
    };
    if !rev.doc.is_empty() {
        if let Ok(doc) = text(&rev.doc) {
            out.text.push_str(&format!("\ndoc {doc}"));
        }
    }
    out.text
        .push_str(&format!("\n\n# imported from {py}\n\nupgrade {{\n"));
    out.text
        .push_str(&block(&rev.upgrade, 1, py, &mut out.ops, &mut out.reviews));
    out.text.push_str("}\n\n");
    if let Some(Item::Irreversible(code)) = rev
        .downgrade
        .iter()
        .find(|i| matches!(i, Item::Irreversible(_)))
    {
        let why = format!(
            "the Alembic downgrade raises: {}",
            code.lines().next().unwrap_or("")
        );
        out.text.push_str(&format!(
            "downgrade irreversible {}\n",
            text(&why.replace('"', "'"))?
        ));
    } else if is_inverse(&rev.upgrade, &rev.downgrade) {
        out.auto = true;
        out.text.push_str("downgrade auto\n");
    } else {
        out.text.push_str("downgrade {\n");
        out.text.push_str(&block(
            &rev.downgrade,
            1,
            py,
            &mut out.ops,
            &mut out.reviews,
        ));
        out.text.push_str("}\n");
    }
    Ok(out)
}

/// Whether `down` is what ddlc's `downgrade auto` derives from `up`.
fn is_inverse(up: &[Item], down: &[Item]) -> bool {
    let mut inverses = vec![];
    for i in up {
        match i {
            Item::Op(op) => match &op.inverse {
                Some(inv) => inverses.push(inv.clone()),
                None => return false,
            },
            Item::Comment(_) => {}
            _ => return false,
        }
    }
    inverses.reverse();
    let mut keys = vec![];
    for i in down {
        match i {
            Item::Op(op) => keys.push(op.key.clone()),
            Item::Comment(_) => {}
            _ => return false,
        }
    }
    inverses == keys
}

/// `s` indented by `level`, except the lines that continue a literal (a
/// multi-line string value or text), which must stay as they are.
fn indent(s: &str, level: usize) -> String {
    let pad = "    ".repeat(level);
    let mut out = String::new();
    let mut inside = Quote::None;
    for line in s.lines() {
        if inside == Quote::None && !line.is_empty() {
            out.push_str(&pad);
        }
        out.push_str(line);
        out.push('\n');
        inside = quote_after(line, inside);
    }
    out
}

/// Which literal is open.
#[derive(Clone, Copy, PartialEq)]
enum Quote {
    None,
    Sql,
    Text,
    Triple,
}

/// The literal open at the end of `line`, given the one open at its start.
fn quote_after(line: &str, mut q: Quote) -> Quote {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        match q {
            Quote::None if rest.starts_with(b"\"\"\"") => (q, i) = (Quote::Triple, i + 3),
            Quote::None if b[i] == b'"' => (q, i) = (Quote::Text, i + 1),
            Quote::None if b[i] == b'\'' => (q, i) = (Quote::Sql, i + 1),
            Quote::None if b[i] == b'#' => return q,
            Quote::Triple if rest.starts_with(b"\"\"\"") => (q, i) = (Quote::None, i + 3),
            // A doubled quote stays inside; `(q, i)` moves past both.
            Quote::Text if rest.starts_with(b"\"\"") => i += 2,
            Quote::Sql if rest.starts_with(b"''") => i += 2,
            Quote::Text if b[i] == b'"' => (q, i) = (Quote::None, i + 1),
            Quote::Sql if b[i] == b'\'' => (q, i) = (Quote::None, i + 1),
            _ => i += 1,
        }
    }
    q
}

fn block(
    items: &[Item],
    level: usize,
    py: &str,
    ops: &mut usize,
    reviews: &mut Vec<(usize, String)>,
) -> String {
    let mut out = String::new();
    for i in items {
        match i {
            Item::Op(op) => {
                *ops += 1;
                out.push_str(&indent(&op.text, level));
            }
            Item::Comment(c) => out.push_str(&indent(&format!("# {c}"), level)),
            Item::Only {
                dialects,
                then,
                otherwise,
            } => {
                out.push_str(&indent(
                    &format!("only ({}) {{", dialects.join(", ")),
                    level,
                ));
                out.push_str(&block(then, level + 1, py, ops, reviews));
                if otherwise.is_empty() {
                    out.push_str(&indent("}", level));
                } else {
                    out.push_str(&indent("} else {", level));
                    out.push_str(&block(otherwise, level + 1, py, ops, reviews));
                    out.push_str(&indent("}", level));
                }
            }
            Item::Review { why, line, code } => {
                reviews.push((*line, why.clone()));
                out.push_str(&review(why, *line, code, py, level));
            }
            Item::Irreversible(code) => {
                reviews.push((0, "a `raise` in the upgrade".into()));
                out.push_str(&review("a `raise`", 0, code, py, level));
            }
        }
    }
    out
}

/// `review "<py>:<line>: <why>" """<code>"""`.
fn review(why: &str, line: usize, code: &str, py: &str, level: usize) -> String {
    let message = format!("{py}:{line}: {why}").replace('"', "'");
    let mut code = code.replace("\"\"\"", "'''").replace('\r', "");
    if !code.ends_with('\n') {
        code.push('\n');
    }
    let head = indent(&format!("review \"{message}\" \"\"\""), level);
    format!("{head}{code}{}", indent("\"\"\"", level))
}

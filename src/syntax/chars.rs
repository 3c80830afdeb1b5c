//! Which characters a migration file may hold, and how odd ones are named.
//!
//! A migration is read by people (in review, in a terminal, on a code host) and
//! its text ends up in SQL run by clients (psql, mariadb, sqlite3, sqlcmd) that
//! each cut lines and statements their own way. A character on which those
//! readers disagree is refused anywhere in the file (in names, literals,
//! comments, messages, docs and SQL fragments alike), so it never gets past the
//! front end: docs/dsl.md ("Characters") gives the list and the reasons.

use crate::diag::Code;
use crate::diag::Diagnostic;
use crate::source::{FileId, Span};

/// Why `c` (followed by `next`) may not appear anywhere in a migration file.
pub fn refused(c: char, next: Option<char>) -> Option<&'static str> {
    Some(match c {
        '\0' => "psql and the sqlite3 shell end the line at a NUL and the mariadb client refuses it, so the rest of the line would be lost or shift",
        '\r' if next == Some('\n') => return None,
        '\r' => "psql ends a `--` comment at a carriage return where sqlite3 and mariadb do not, so text reviewed as a comment could run as SQL",
        '\t' | '\n' | '\x0c' => return None,
        '\x08' | '\x1b' => "a terminal acts on it (moving the cursor, changing colours), so the SQL shown in review would not be the SQL that runs",
        '\x1a' => "Windows reads it as the end of a text file",
        '\u{1}'..='\u{1f}' | '\u{7f}' => "a control character has no visible form and clients do not agree on it",
        '\u{80}'..='\u{9f}' => "a C1 control character has no visible form (U+0085 is a line break to some tools, U+009B a terminal command)",
        '\u{2028}' | '\u{2029}' => "editors and code review show a line break where SQL clients and engines see none",
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => "it reorders how the text around it is displayed, so the code reviewed is not the code that runs (\"Trojan Source\")",
        '\u{feff}' => "a byte order mark inside a file is invisible and belongs to no token (at the very start of the file it is accepted)",
        _ => return None,
    })
}

/// Every refused character of `text`, one located error each (at most `limit`,
/// then one `too-many-errors`).
pub fn check(text: &str, file: FileId, limit: usize) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Plain ASCII text without control characters is the common case: one
    // byte scan, no char decoding.
    if !text
        .bytes()
        .any(|b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b >= 0x7f)
        && !text.contains('\r')
    {
        return out;
    }
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let Some(why) = refused(c, next) else {
            continue;
        };
        if out.len() == limit {
            out.push(
                Diagnostic::error(
                    Code::TooManyErrors,
                    format!("too many refused characters in this file (more than {limit}); stopped looking"),
                )
                .at(Span::new(file, i, i + c.len_utf8()), "and more from here"),
            );
            break;
        }
        out.push(
            Diagnostic::error(
                Code::RefusedCharacter,
                format!("{} is not allowed in a migration file", describe(c)),
            )
            .at(Span::new(file, i, i + c.len_utf8()), "refused character")
            .with_note(why.to_string())
            .with_help(help(c)),
        );
    }
    out
}

fn help(c: char) -> String {
    match c {
        '\r' => "save the file with LF (or CRLF) line endings".into(),
        '\u{feff}' => "remove it (a file made by joining files can carry one from each)".into(),
        '\0' => "remove it (PostgreSQL cannot store a NUL in text at all)".into(),
        _ => format!(
            "remove it; a value that needs it can be built with an SQL expression (on PostgreSQL: `chr({})`)",
            c as u32
        ),
    }
}

/// A character as messages show it: `` `@` `` when visible, else its code
/// point and name: "U+200B (zero-width space)".
pub fn describe(c: char) -> String {
    match name(c) {
        Some(name) => format!("U+{:04X} ({name})", c as u32),
        None if is_invisible(c) => format!("U+{:04X}", c as u32),
        None => format!("`{c}`"),
    }
}

/// A character that stands out of view: controls, spaces other than U+0020,
/// Unicode's default-ignorable characters (zero-width, joiners, variation
/// selectors, tags) and the others [`name`] knows.
pub fn is_invisible(c: char) -> bool {
    c.is_control() || (c.is_whitespace() && c != ' ') || is_default_ignorable(c)
}

/// Unicode's Default_Ignorable_Code_Point: shown as nothing by most renderers.
fn is_default_ignorable(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}'..='\u{1160}' | '\u{17b4}'..='\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}'
        | '\u{ffa0}' | '\u{fff0}'..='\u{fff8}' | '\u{1bca0}'..='\u{1bca3}'
        | '\u{1d173}'..='\u{1d17a}' | '\u{e0000}'..='\u{e0fff}')
}

/// The name of an invisible or easily mistaken character.
pub fn name(c: char) -> Option<&'static str> {
    Some(match c {
        '\0' => "NUL",
        '\x07' => "bell",
        '\x08' => "backspace",
        '\t' => "tab",
        '\n' => "line feed",
        '\x0b' => "vertical tab",
        '\x0c' => "form feed",
        '\r' => "carriage return",
        '\x1a' => "substitute, Ctrl-Z",
        '\x1b' => "escape",
        '\x7f' => "delete",
        '\u{85}' => "next line",
        '\u{a0}' => "no-break space",
        '\u{ad}' => "soft hyphen",
        '\u{61c}' => "Arabic letter mark",
        '\u{180e}' => "Mongolian vowel separator",
        '\u{2000}'..='\u{200a}' => "a typographic space",
        '\u{200b}' => "zero-width space",
        '\u{200c}' => "zero-width non-joiner",
        '\u{200d}' => "zero-width joiner",
        '\u{200e}' => "left-to-right mark",
        '\u{200f}' => "right-to-left mark",
        '\u{2028}' => "line separator",
        '\u{2029}' => "paragraph separator",
        '\u{202a}' => "left-to-right embedding",
        '\u{202b}' => "right-to-left embedding",
        '\u{202c}' => "pop directional formatting",
        '\u{202d}' => "left-to-right override",
        '\u{202e}' => "right-to-left override",
        '\u{202f}' => "narrow no-break space",
        '\u{205f}' => "medium mathematical space",
        '\u{2060}' => "word joiner",
        '\u{2061}'..='\u{2064}' => "an invisible operator",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        '\u{2069}' => "pop directional isolate",
        '\u{3000}' => "ideographic space",
        '\u{3164}' | '\u{ffa0}' => "Hangul filler",
        '\u{feff}' => "byte order mark",
        '\u{fffd}' => "replacement character: the file was not valid text where it was made",
        '\u{2018}' | '\u{2019}' => "a typographic quote; SQL strings use `'`",
        '\u{201c}' | '\u{201d}' => "a typographic quote; quoted names and texts use `\"`",
        '\u{2013}' | '\u{2014}' => "a dash; the minus sign and `->` use `-`",
        _ => return None,
    })
}

/// A character a quoted name may not hold although the file may: one that
/// cannot be seen, so two names that look the same would differ (`users` and
/// `us<U+200B>ers`).
pub fn refused_in_name(c: char) -> bool {
    c != ' ' && is_invisible(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_clients_disagree_on_and_keeps_layout_characters() {
        for c in [
            '\0', '\x01', '\x08', '\x0b', '\x1a', '\x1b', '\x7f', '\u{85}', '\u{9b}',
        ] {
            assert!(refused(c, None).is_some(), "{c:?}");
        }
        for c in ['\u{2028}', '\u{2029}', '\u{202e}', '\u{2066}', '\u{feff}'] {
            assert!(refused(c, None).is_some(), "{c:?}");
        }
        assert!(refused('\r', Some('x')).is_some());
        assert!(refused('\r', None).is_some());
        for c in ['\t', '\n', '\x0c', ' ', 'é', '\u{200d}', '😀'] {
            assert!(refused(c, None).is_none(), "{c:?}");
        }
        assert!(refused('\r', Some('\n')).is_none());
    }

    #[test]
    fn check_locates_each_and_stops_at_the_limit() {
        let text = "a\0b\r\nc\rd\u{202e}";
        let found = check(text, FileId(0), 10);
        let at: Vec<u32> = found
            .iter()
            .map(|d| d.primary.as_ref().unwrap().span.start)
            .collect();
        assert_eq!(at, [1, 6, 8]);
        assert!(
            found[0].message.contains("U+0000 (NUL)"),
            "{}",
            found[0].message
        );
        assert!(found[1].message.contains("carriage return"));
        assert!(found[2].message.contains("right-to-left override"));
        let many = check(&"\x01".repeat(50), FileId(0), 10);
        assert_eq!(many.len(), 11);
        assert_eq!(many[10].code, Code::TooManyErrors);
        assert!(check("plain text\r\nwith CRLF\n", FileId(0), 10).is_empty());
    }

    #[test]
    fn describes_invisible_characters_by_name() {
        assert_eq!(describe('@'), "`@`");
        assert_eq!(describe('\u{200b}'), "U+200B (zero-width space)");
        assert_eq!(describe('\u{feff}'), "U+FEFF (byte order mark)");
        assert_eq!(describe('\u{e0001}'), "U+E0001");
        assert!(describe('\u{2019}').contains("typographic quote"));
        assert!(refused_in_name('\u{200b}') && refused_in_name('\u{a0}'));
        assert!(!refused_in_name(' ') && !refused_in_name('é') && !refused_in_name('\u{2019}'));
    }
}

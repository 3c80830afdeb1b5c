//! A dump's text cut into statements: what `pg_dump --schema-only`,
//! `mariadb-dump --no-data` and `sqlite3 .schema` write, with the dump tools'
//! comments removed and MySQL's versioned comments (`/*!50001 ... */`) opened,
//! since their content is SQL the server runs. Offsets stay those of the
//! file, so a statement's problems point at its line.

/// One statement: where it starts in the file and its text (comments blanked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// Byte offset of its first character in the file.
    pub start: usize,
    /// Its text, without the terminating `;`.
    pub text: String,
}

/// Versioned comments at or above this version are for no real server
/// (MariaDB's `/*M!999999\- enable the sandbox mode */`): plain comments.
const NO_SERVER_VERSION: u32 = 999_000;

/// The statements of `text`, in order. `backslash_escapes`: a `\` inside a
/// quoted string escapes the next character (MySQL).
pub fn statements(text: &str, backslash_escapes: bool) -> Vec<Statement> {
    let blanked = blank_comments(text, backslash_escapes);
    let bytes = blanked.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut start) = (0, None::<usize>);
    while i < bytes.len() {
        let c = bytes[i];
        if start.is_none() {
            if c.is_ascii_whitespace() {
                i += 1;
                continue;
            }
            // A psql meta-command (`\restrict ...`) is one line, not SQL.
            if c == b'\\' {
                i = line_end(bytes, i);
                continue;
            }
            start = Some(i);
        }
        match c {
            b'\'' | b'"' | b'`' => i = quoted_end(bytes, i, backslash_escapes && c != b'`'),
            b'$' => i = dollar_end(bytes, i),
            b';' => {
                push(&mut out, &blanked, start.take().unwrap_or(i), i);
                i += 1;
            }
            _ => i += 1,
        }
    }
    if let Some(s) = start {
        push(&mut out, &blanked, s, bytes.len());
    }
    out
}

fn push(out: &mut Vec<Statement>, text: &str, start: usize, end: usize) {
    let body = text[start..end].trim_end();
    if !body.is_empty() {
        out.push(Statement {
            start,
            text: body.to_string(),
        });
    }
}

fn line_end(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |n| i + n)
}

/// The offset after the string that opens at `i`.
fn quoted_end(bytes: &[u8], i: usize, backslash: bool) -> usize {
    let quote = bytes[i];
    let mut j = i + 1;
    while j < bytes.len() {
        if backslash && bytes[j] == b'\\' {
            j += 2;
            continue;
        }
        if bytes[j] == quote {
            if bytes.get(j + 1) == Some(&quote) {
                j += 2;
                continue;
            }
            return j + 1;
        }
        j += 1;
    }
    bytes.len()
}

/// After a PostgreSQL dollar-quoted body `$tag$ ... $tag$`, or after the `$`
/// when it opens none (a `$1` parameter).
fn dollar_end(bytes: &[u8], i: usize) -> usize {
    let tag_len = bytes[i + 1..]
        .iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_'));
    let Some(n) = tag_len.filter(|&n| bytes.get(i + 1 + n) == Some(&b'$')) else {
        return i + 1;
    };
    let tag = &bytes[i..i + n + 2];
    let body = i + n + 2;
    bytes[body..]
        .windows(tag.len())
        .position(|w| w == tag)
        .map_or(bytes.len(), |p| body + p + tag.len())
}

/// `text` with `--` and `/* */` comments replaced by spaces (line breaks
/// kept) and the markers of versioned comments `/*!NNNNN` / `*/` blanked
/// around their SQL.
fn blank_comments(text: &str, backslash: bool) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let mut i = 0;
    let blank = |b: &mut [u8]| {
        b.iter_mut()
            .filter(|c| **c != b'\n')
            .for_each(|c| *c = b' ')
    };
    while i < bytes.len() {
        match bytes[i] {
            b'\'' | b'"' | b'`' => i = quoted_end(&bytes, i, backslash && bytes[i] != b'`'),
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                let end = line_end(&bytes, i);
                blank(&mut bytes[i..end]);
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let close = find(&bytes, i + 2, b"*/").unwrap_or(bytes.len());
                let end = (close + 2).min(bytes.len());
                match versioned(&bytes[i..close]) {
                    Some(marker) => {
                        blank(&mut bytes[i..i + marker]);
                        blank(&mut bytes[close..end]);
                        i += marker;
                    }
                    None => {
                        blank(&mut bytes[i..end]);
                        i = end;
                    }
                }
            }
            _ => i += 1,
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}

/// The length of the marker `/*!50001` (or `/*M!100100`) when `comment`
/// opens a versioned comment a real server runs.
fn versioned(comment: &[u8]) -> Option<usize> {
    let rest = comment.strip_prefix(b"/*")?;
    let (rest, skip) = match rest.strip_prefix(b"M!") {
        Some(r) => (r, 4),
        None => (rest.strip_prefix(b"!")?, 3),
    };
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let version: u32 = std::str::from_utf8(&rest[..digits])
        .ok()?
        .parse()
        .unwrap_or(0);
    (version < NO_SERVER_VERSION).then_some(skip + digits)
}

fn find(bytes: &[u8], from: usize, what: &[u8]) -> Option<usize> {
    bytes[from..]
        .windows(what.len())
        .position(|w| w == what)
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_meta_commands_and_quotes() {
        let text = "\\restrict abc\n-- x;\nSET a = 'b;c';\n/* c; */ CREATE TABLE t (a int); \
                    /*!50001 CREATE VIEW v AS SELECT 1 */;\n/*M!999999\\- sandbox */\nSELECT $f$;$f$";
        let got: Vec<String> = statements(text, true).into_iter().map(|s| s.text).collect();
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(got[0], "SET a = 'b;c'");
        assert_eq!(got[1], "CREATE TABLE t (a int)");
        assert_eq!(got[2].trim(), "CREATE VIEW v AS SELECT 1");
        assert_eq!(got[3], "SELECT $f$;$f$");
        let first = &statements(text, true)[0];
        assert_eq!(&text[first.start..first.start + 3], "SET");
    }

    #[test]
    fn backslashes_escape_only_where_the_dialect_says() {
        assert_eq!(statements("SELECT 'a\\';b'", true).len(), 1);
        assert_eq!(statements("SELECT 'a\\';b'", false).len(), 2);
    }
}

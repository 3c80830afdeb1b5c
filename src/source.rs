//! Source files and byte spans.
//!
//! Every stage keeps byte-offset [`Span`]s into a file held by the [`SourceMap`];
//! line and column are computed only when a diagnostic is rendered.

use camino::{Utf8Path, Utf8PathBuf};

/// Index of a file in the [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

impl FileId {
    /// No file: the file of [`Span::NONE`], which indexes nothing.
    pub const NONE: FileId = FileId(u32::MAX);
}

/// A byte range `start..end` in one source file, or [`Span::NONE`] for
/// something the compiler made (a derived op, a generated name) that was
/// written nowhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    /// The file the range lies in.
    pub file: FileId,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

/// The default span is [`Span::NONE`]: a struct that derives `Default` gets
/// "written nowhere", never byte 0 of the first file.
impl Default for Span {
    fn default() -> Span {
        Span::NONE
    }
}

impl Span {
    /// No place: what the compiler made was written nowhere. It cannot be
    /// mistaken for a place (its file indexes no file); diagnostics drop it.
    pub const NONE: Span = Span {
        file: FileId::NONE,
        start: 0,
        end: 0,
    };

    /// True for [`Span::NONE`].
    pub fn is_none(self) -> bool {
        self.file == FileId::NONE
    }

    /// This span, or `other` when this one is [`Span::NONE`].
    pub fn or(self, other: Span) -> Span {
        if self.is_none() {
            other
        } else {
            self
        }
    }

    /// A span over `start..end` in `file`.
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    /// The empty span just after this one: where something missing was expected.
    pub fn after(self) -> Span {
        Span {
            start: self.end,
            ..self
        }
    }

    /// The smallest span covering both (same file assumed); NONE covers nothing.
    pub fn to(self, other: Span) -> Span {
        if self.is_none() {
            return other;
        }
        if other.is_none() {
            return self;
        }
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The byte range, for slicing the file's text.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Bytes between two char-count marks: a column costs at most this many byte
/// reads, however long the line (one 8 MiB line must not make every lookup
/// scan the line from its start).
const MARK_EVERY: usize = 4096;

/// One loaded source file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given to the user (relative to the project root when possible).
    pub path: Utf8PathBuf,
    /// The whole text.
    pub text: String,
    line_starts: Vec<u32>,
    /// `char_marks[k]`: chars in the first `k * MARK_EVERY` bytes.
    char_marks: Vec<u32>,
}

impl SourceFile {
    fn new(path: Utf8PathBuf, text: String) -> SourceFile {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0u32];
        line_starts.extend(
            (0..bytes.len())
                .filter(|&i| bytes[i] == b'\n')
                .map(|i| i as u32 + 1),
        );
        let mut char_marks = Vec::with_capacity(bytes.len() / MARK_EVERY + 1);
        let mut chars = 0u32;
        char_marks.push(0);
        for chunk in bytes.chunks(MARK_EVERY) {
            chars += count_chars(chunk) as u32;
            char_marks.push(chars);
        }
        SourceFile {
            path,
            text,
            line_starts,
            char_marks,
        }
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: u32) -> usize {
        self.line_index(offset) + 1
    }

    /// 1-based line and 1-based column (counted in chars) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let line = self.line_index(offset);
        let start = self.line_starts[line] as usize;
        let end = (offset as usize).clamp(start, self.text.len());
        (
            line + 1,
            self.chars_before(end) - self.chars_before(start) + 1,
        )
    }

    /// Byte offset where the 1-based `line` starts (the end of the text past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line.saturating_sub(1))
            .map_or(self.text.len(), |&s| s as usize)
    }

    /// Number of lines (a text ending in a newline has an empty last line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    fn line_index(&self, offset: u32) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Chars in `text[..offset]`, in at most `MARK_EVERY` byte reads.
    fn chars_before(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        let mark = offset / MARK_EVERY;
        self.char_marks[mark] as usize
            + count_chars(&self.text.as_bytes()[mark * MARK_EVERY..offset])
    }
}

/// Chars in a run of UTF-8 bytes: every byte that does not continue a char starts one.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// Why a file's bytes are not text: where the first bad byte is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotUtf8 {
    /// The text with every bad sequence replaced by U+FFFD, for showing the place.
    pub lossy: String,
    /// Byte offset in `lossy` of the first replacement.
    pub at: usize,
    /// The first bad byte.
    pub byte: u8,
    /// The file starts with a UTF-16 byte order mark.
    pub utf16: bool,
}

/// The text of a file's bytes, or where they stop being UTF-8.
pub fn decode(bytes: Vec<u8>) -> Result<String, NotUtf8> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            Err(NotUtf8 {
                // The valid prefix is kept as is, so `at` holds in `lossy` too.
                lossy: String::from_utf8_lossy(&bytes).into_owned(),
                at,
                byte: bytes[at],
                utf16: bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]),
            })
        }
    }
}

/// All source files of one run. Files are only ever added, so a [`FileId`] stays valid.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Adds a file and returns its id. The text is kept as the language reads
    /// it: a byte order mark at the start dropped, CRLF line ends made LF (so
    /// a checkout with either line ending compiles to the same bytes, and no
    /// value carries a CR that only some clients strip).
    pub fn add(&mut self, path: impl Into<Utf8PathBuf>, text: impl Into<String>) -> FileId {
        let mut text = text.into();
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        if text.contains("\r\n") {
            text = text.replace("\r\n", "\n");
        }
        self.files.push(SourceFile::new(path.into(), text));
        FileId(self.files.len() as u32 - 1)
    }

    /// Adds a file that is not UTF-8, as its lossy text, and returns the span
    /// of its first bad byte (for a diagnostic: the file is not parsed).
    pub fn add_not_utf8(&mut self, path: impl Into<Utf8PathBuf>, bad: &NotUtf8) -> Span {
        let before = &bad.lossy[..bad.at];
        let dropped = usize::from(before.starts_with('\u{feff}')) * '\u{feff}'.len_utf8()
            + before.matches("\r\n").count();
        let file = self.add(path, bad.lossy.as_str());
        let at = bad.at - dropped;
        Span::new(file, at, at + '\u{fffd}'.len_utf8())
    }

    /// The file behind an id.
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// The file's path.
    pub fn path(&self, id: FileId) -> &Utf8Path {
        &self.file(id).path
    }

    /// The text a span covers.
    pub fn slice(&self, span: Span) -> &str {
        self.file(span.file)
            .text
            .get(span.range())
            .unwrap_or_default()
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when no file was added.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_from_one() {
        let mut map = SourceMap::new();
        let id = map.add("a.mig", "ab\nçd e\n");
        let file = map.file(id);
        for (offset, want) in [
            (0, (1, 1)),
            (1, (1, 2)),
            (3, (2, 1)),
            (5, (2, 2)),
            (7, (2, 4)),
        ] {
            assert_eq!(file.line_col(offset), want, "offset {offset}");
        }
    }

    #[test]
    fn a_leading_bom_is_dropped_and_crlf_read_as_lf() {
        let mut map = SourceMap::new();
        let id = map.add("a.mig", "\u{feff}ab\r\ncd\r\n");
        assert_eq!(map.file(id).text, "ab\ncd\n");
        assert_eq!(map.file(id).line_col(3), (2, 1));
        // Only at the start: one further in is the file's own (and refused later).
        let id = map.add("b.mig", "a\u{feff}");
        assert_eq!(map.file(id).text, "a\u{feff}");
    }

    #[test]
    fn decode_finds_the_first_bad_byte() {
        assert_eq!(decode(b"ok".to_vec()), Ok("ok".to_string()));
        let bad = decode(b"ab\ncd\xe9f\xff".to_vec()).unwrap_err();
        assert_eq!((bad.at, bad.byte, bad.utf16), (5, 0xe9, false));
        assert_eq!(bad.lossy, "ab\ncd\u{fffd}f\u{fffd}");
        assert!(decode(vec![0xff, 0xfe, b'a', 0]).unwrap_err().utf16);
        let mut map = SourceMap::new();
        let bad = decode(b"\xef\xbb\xbfa\r\nb\r\n \xe9".to_vec()).unwrap_err();
        let span = map.add_not_utf8("a.mig", &bad);
        let file = map.file(span.file);
        assert_eq!(&file.text[span.range()], "\u{fffd}");
        assert_eq!(file.line_col(span.start), (3, 2));
    }

    #[test]
    fn columns_on_a_long_line_use_the_marks() {
        // Multi-byte chars straddle the mark boundaries.
        let line = "é".repeat(3 * MARK_EVERY) + "x";
        let text = format!("ab\n{line}\nz");
        let mut map = SourceMap::new();
        let id = map.add("a.mig", text.as_str());
        let file = map.file(id);
        let x = text.find('x').unwrap() as u32;
        assert_eq!(file.line_col(x), (2, 3 * MARK_EVERY + 1));
        assert_eq!(file.line_col(x + 2), (3, 1));
        assert_eq!(file.line(x), 2);
        // Past the end: the end of the last line.
        assert_eq!(file.line_col(u32::MAX), (3, 2));
        for offset in (0..text.len()).step_by(997) {
            let start = file.line_start(file.line(offset as u32));
            let slow = text.as_bytes()[start..offset]
                .iter()
                .filter(|&&b| b & 0xC0 != 0x80)
                .count()
                + 1;
            assert_eq!(file.line_col(offset as u32).1, slow, "offset {offset}");
        }
    }
}

//! Loading a project: every `<migrations>/versions/*.mig` in sorted path order
//! into a [`SourceMap`], parsed with [`syntax::parse_revision`], linked into a
//! [`Graph`]. Every problem in every file is collected before failing.

use crate::config::{display_path, is_migration_name, Config};
use crate::diag::Code;
use crate::diag::{Diagnostic, Diagnostics, Error, Failure};
use crate::graph::Graph;
use crate::source::{FileId, NotUtf8, SourceMap};
use crate::sum;
use crate::syntax;
use camino::{Utf8Path, Utf8PathBuf};
use std::io::Read;

/// Largest `.mig` file read; a bigger one is an error, not a read.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A loaded project: its sources and its revision graph.
#[derive(Debug)]
pub struct Project {
    /// Every loaded file; diagnostics point into it.
    pub sources: SourceMap,
    /// The revisions, linked.
    pub graph: Graph,
}

impl Project {
    /// Reads, parses and links every revision of the project. The files go
    /// into `sources` (empty when called) and every problem in every file
    /// into `diags`; [`Failure::Reported`] when any is an error.
    pub fn load(
        config: &Config,
        sources: &mut SourceMap,
        diags: &mut Diagnostics,
    ) -> Result<Graph, Failure> {
        let mark = diags.mark();
        read_sources(config, sources, diags)?;
        // A file that could not be read as text is in `sources` only to show where.
        let unreadable: Vec<FileId> = diags
            .since(mark)
            .iter()
            .filter_map(|d| d.primary.as_ref().map(|l| l.span.file))
            .collect();
        // Parsed on every core, each file into a sink of its own; the sinks
        // are then joined in file order, as one parse after another would leave them.
        let files: Vec<FileId> = (0..sources.len() as u32)
            .map(FileId)
            .filter(|file| !unreadable.contains(file))
            .collect();
        let shared: &SourceMap = sources;
        let parsed = crate::par::map(&files, |&file| {
            let mut found = Diagnostics::new();
            let revision = syntax::parse_revision(shared, file, &config.naming, &mut found);
            (revision, found)
        });
        let mut revisions = Vec::with_capacity(parsed.len());
        for (revision, found) in parsed {
            diags.extend(found.into_vec());
            if let Ok(revision) = revision {
                revisions.push(revision);
            }
        }
        let _ = crate::graph::overlong_ids(
            &revisions,
            config.version_table.column_length as usize,
            &config.column_length_setting(),
            diags,
        );
        // Link only what parsed: graph errors about a half-read project would
        // mostly be echoes of the parse errors (an unknown parent that failed to parse).
        diags.check_since(mark)?;
        Ok(Graph::build(revisions, sources, diags)?)
    }

    /// [`Project::load`], then the project compared with its lock, `ddlc.sum`
    /// ([`crate::sum::verify`]). Under [`sum::Policy::Enforce`] a difference
    /// stops the load like any problem in the files; otherwise it is left in
    /// `diags` as a warning. A project without a lock loads, with a warning.
    /// Problems in the files are reported with the lock's differences.
    pub fn load_locked(
        config: &Config,
        policy: sum::Policy,
        sources: &mut SourceMap,
        diags: &mut Diagnostics,
    ) -> Result<Graph, Failure> {
        let loaded = Project::load(config, sources, diags);
        let graph = match &loaded {
            Ok(graph) => Some(graph),
            Err(Failure::Reported) => None,
            Err(_) => return loaded,
        };
        let mark = diags.mark();
        diags.extend(sum::verify(config, sources, graph, policy)?.into_vec());
        let locked = diags.check_since(mark);
        let graph = loaded?;
        locked?;
        Ok(graph)
    }
}

/// Reads every `.mig` file, sorted by path. Entries that cannot be used (not a
/// readable file, not UTF-8, too large) become diagnostics; a missing folder, or
/// a read that fails half-way, is an [`Error`].
pub fn read_sources(
    config: &Config,
    sources: &mut SourceMap,
    diags: &mut Diagnostics,
) -> Result<(), Error> {
    let dir = config.versions_dir();
    let entries = std::fs::read_dir(&dir).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => Error::Message(format!(
            "no migrations folder: `{dir}` does not exist{}",
            match &config.file {
                Some(file) => format!(" (configured in `{file}`)"),
                None => format!(" (and no {} was found)", crate::config::FILE_NAME),
            }
        )),
        _ => Error::Io {
            path: dir.clone(),
            source,
        },
    })?;
    let (paths, mut unusable) = migration_paths(entries, &dir, &config.root)?;
    // Checked and read on every core, one open per file; the entries that
    // cannot be read are reported first (sorted by path), then the files in
    // path order, as a check of every entry and then a read of each leaves them.
    let opened = crate::par::map(&paths, |(path, plain)| {
        let file = check_entry(path, *plain, &config.root)?;
        Ok(read_limited(path, file).map(|loaded| match loaded {
            Loaded::Bytes(bytes) => Decoded::Text(crate::source::decode(bytes)),
            Loaded::TooLarge(size) => Decoded::TooLarge(size),
        }))
    });
    let mut read = Vec::with_capacity(paths.len());
    for ((path, _), opened) in paths.into_iter().zip(opened) {
        match opened {
            Ok(loaded) => read.push((path, loaded)),
            Err(d) => unusable.push((path, d)),
        }
    }
    unusable.sort_by(|a, b| a.0.cmp(&b.0));
    diags.extend(unusable.into_iter().map(|(_, d)| d));
    for (path, read) in read {
        let shown = display_path(&path, &config.root);
        match read? {
            Decoded::TooLarge(size) => diags.push(
                Diagnostic::error(
                    Code::FileTooLarge,
                    format!("`{shown}` is {size} bytes; migration files are limited to {MAX_FILE_BYTES} bytes (8 MiB)"),
                )
                .with_help("split it into several revisions, or load bulk data outside the migrations"),
            ),
            Decoded::Text(decoded) => match decoded {
                Ok(text) => {
                    sources.add(shown, text);
                }
                Err(bad) => {
                    let d = not_utf8(sources, shown, &bad);
                    let _ = diags.error(d);
                }
            },
        }
    }
    Ok(())
}

/// The `*.mig` entries of `dir`, sorted by path ([`check_entry`] then checks
/// each). An entry that cannot be read as a file (a folder, a dangling or
/// looping symlink, a FIFO, a file without read permission, a name that is
/// not UTF-8) is a diagnostic naming it, never skipped: a migration must not
/// vanish from a release because its file is broken. Symlinks to files are
/// followed. Only a folder that cannot be listed is an [`Error`].
fn migration_paths(
    entries: std::fs::ReadDir,
    dir: &Utf8Path,
    root: &Utf8Path,
) -> Result<Candidates, Error> {
    let mut paths: Vec<(Utf8PathBuf, bool)> = Vec::new();
    let mut unusable: Vec<(Utf8PathBuf, Diagnostic)> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            let lossy = name.to_string_lossy().into_owned();
            if is_migration_name(&lossy) {
                let shown = display_path(&dir.join(&lossy), root);
                unusable.push((
                    shown.clone(),
                    Diagnostic::error(
                        Code::UnreadableMigration,
                        format!("`{shown}`: the file name is not valid UTF-8"),
                    )
                    .with_help("rename the file"),
                ));
            }
            continue;
        };
        if !is_migration_name(name) {
            continue;
        }
        // The listing says a plain file (not a link): no need to stat it.
        let plain = entry.file_type().is_ok_and(|t| t.is_file());
        paths.push((dir.join(name), plain));
    }
    // All in one folder: the order of paths is the order of their names.
    paths.sort_unstable_by(|a, b| a.0.file_name().cmp(&b.0.file_name()));
    Ok((paths, unusable))
}

/// The `*.mig` entries of a folder, sorted, each with whether the listing
/// showed it as a plain file; and the entries already known to be unusable.
type Candidates = (Vec<(Utf8PathBuf, bool)>, Vec<(Utf8PathBuf, Diagnostic)>);

/// Opens `path` for reading, checking that it is a regular file (`plain`:
/// the folder's listing already showed one).
fn check_entry(path: &Utf8Path, plain: bool, root: &Utf8Path) -> Result<std::fs::File, Diagnostic> {
    let shown = display_path(path, root);
    let unreadable = |why: String| {
        // Only a broken entry needs to know whether it is a link.
        let via = match std::fs::read_link(path) {
            Ok(target) => format!(" (a symbolic link to `{}`)", target.display()),
            Err(_) => String::new(),
        };
        Diagnostic::error(Code::UnreadableMigration, format!("cannot read `{shown}`{via}: {why}"))
            .with_help("every `*.mig` entry of the versions folder is a revision: fix it, or move it out of the folder")
    };
    if !plain {
        let meta = std::fs::metadata(path).map_err(|e| unreadable(e.to_string()))?;
        if meta.is_dir() {
            return Err(unreadable("it is a folder, not a migration file".into()));
        }
        if !meta.is_file() {
            return Err(unreadable(
                "not a regular file (a FIFO, socket or device)".into(),
            ));
        }
    }
    std::fs::File::open(path).map_err(|e| unreadable(e.to_string()))
}

/// The error for a file that is not UTF-8, located at its first bad byte (the
/// file is kept, as lossy text, only to show that place; it is not parsed).
fn not_utf8(sources: &mut SourceMap, shown: Utf8PathBuf, bad: &NotUtf8) -> Diagnostic {
    let message = format!("`{shown}` is not valid UTF-8");
    let span = sources.add_not_utf8(shown, bad);
    if bad.utf16 {
        return Diagnostic::error(Code::InvalidUtf8, message)
            .at(span, "a UTF-16 byte order mark")
            .with_help("the file is UTF-16: save it as UTF-8");
    }
    Diagnostic::error(Code::InvalidUtf8, message)
        .at(span, format!("byte 0x{:02X} is not UTF-8 here", bad.byte))
        .with_help(
            "save the file as UTF-8 (a lone byte from 0x80 up usually means Latin-1 or Windows-1252)",
        )
}

/// A file as read and decoded (off the main thread).
enum Decoded {
    Text(Result<String, NotUtf8>),
    TooLarge(u64),
}

enum Loaded {
    Bytes(Vec<u8>),
    TooLarge(u64),
}

/// Reads at most [`MAX_FILE_BYTES`] + 1 bytes of `file` (opened from
/// `path`), so a huge file is never held in memory.
fn read_limited(path: &Utf8Path, file: std::fs::File) -> Result<Loaded, Error> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let size = file.metadata().map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Ok(Loaded::TooLarge(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Ok(Loaded::TooLarge(bytes.len() as u64));
    }
    Ok(Loaded::Bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(config: &Config) -> Result<(SourceMap, Diagnostics), Error> {
        let (mut sources, mut diags) = (SourceMap::new(), Diagnostics::new());
        read_sources(config, &mut sources, &mut diags)?;
        Ok((sources, diags))
    }

    fn project(files: &[(&str, &[u8])]) -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().unwrap();
        let root = Utf8PathBuf::from_path_buf(dir.path().to_path_buf()).unwrap();
        let versions = root.join("migrations/versions");
        std::fs::create_dir_all(&versions).unwrap();
        for (name, bytes) in files {
            std::fs::write(versions.join(name), bytes).unwrap();
        }
        (dir, Config::defaults(root))
    }

    #[test]
    fn reads_mig_files_in_sorted_order_with_relative_paths() {
        let (_dir, config) = project(&[
            ("b.mig", b"second"),
            ("a.mig", b"first"),
            ("notes.txt", b"ignored"),
        ]);
        let (sources, diags) = read(&config).unwrap();
        assert!(diags.is_empty());
        assert_eq!(sources.len(), 2);
        assert_eq!(
            sources.path(crate::source::FileId(0)),
            "migrations/versions/a.mig"
        );
        assert_eq!(sources.file(crate::source::FileId(1)).text, "second");
    }

    #[test]
    fn bad_files_are_all_reported() {
        let big = vec![b'#'; MAX_FILE_BYTES as usize + 1];
        let (_dir, config) = project(&[
            ("a.mig", b"ok \xff\xfe"),
            ("b.mig", &big),
            ("c.mig", b"fine"),
        ]);
        let (sources, diags) = read(&config).unwrap();
        // The file that is not UTF-8 is kept only to show where it breaks.
        assert_eq!(sources.len(), 2);
        let codes: Vec<&str> = diags.as_slice().iter().map(|d| d.code.id()).collect();
        assert_eq!(codes, [Code::InvalidUtf8, Code::FileTooLarge]);
        let rendered =
            crate::diag::render(&diags.as_slice()[..1], &sources, crate::diag::Style::Plain);
        assert!(
            rendered.contains("--> migrations/versions/a.mig:1:4"),
            "{rendered}"
        );
        assert!(
            rendered.contains("byte 0xFF is not UTF-8 here"),
            "{rendered}"
        );
        assert!(diags.as_slice()[0]
            .message
            .contains("migrations/versions/a.mig"));
    }

    #[test]
    fn migration_names_exclude_editor_files_only() {
        for name in ["0001_users.mig", ".hidden.mig", "x.mig"] {
            assert!(is_migration_name(name), "{name}");
        }
        for name in [
            ".#x.mig",
            "x.mig~",
            ".x.mig.swp",
            "#x.mig#",
            ".mig",
            "x.MIG",
            "x.sql",
        ] {
            assert!(!is_migration_name(name), "{name}");
        }
    }

    #[test]
    fn a_file_that_is_not_utf8_is_located_by_line_and_column_and_not_parsed() {
        let (_dir, config) = project(&[
            (
                "a.mig",
                b"revision \"a\"\r\nrevises base\nmessage \"caf\xe9\"\n",
            ),
            ("b.mig", b"\xff\xfer\x00e\x00"),
        ]);
        let (mut sources, mut diags) = (SourceMap::new(), Diagnostics::new());
        let Err(Failure::Reported) = Project::load(&config, &mut sources, &mut diags) else {
            panic!("expected diagnostics");
        };
        let rendered = crate::diag::render(diags.as_slice(), &sources, crate::diag::Style::Plain);
        // Only the two decoding errors: neither file is parsed.
        assert_eq!(diags.len(), 2, "{rendered}");
        assert!(
            rendered.contains("--> migrations/versions/a.mig:3:13"),
            "{rendered}"
        );
        assert!(
            rendered.contains("byte 0xE9 is not UTF-8 here"),
            "{rendered}"
        );
        assert!(
            rendered.contains("--> migrations/versions/b.mig:1:1"),
            "{rendered}"
        );
        assert!(rendered.contains("the file is UTF-16"), "{rendered}");
    }

    #[test]
    fn missing_folder_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = Utf8PathBuf::from_path_buf(dir.path().to_path_buf()).unwrap();
        let err = read(&Config::defaults(root)).unwrap_err().to_string();
        assert!(err.contains("migrations/versions` does not exist"), "{err}");
    }
}

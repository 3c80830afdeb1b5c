//! `-o FILE`: writing the script where the user asked, the way a shell's `>`
//! would, except that a regular file is replaced atomically.
//!
//! - `-` is stdout.
//! - A symlink is followed (to its final target, which may not exist yet): the
//!   file it points to is written, the link stays a link.
//! - A regular file is replaced through a temporary file in the same folder and a
//!   rename, so a reader sees the old script or the new one, never half of one.
//!   The new file keeps the old one's mode (and owner, where permitted); a new
//!   file gets `0666 & !umask`, as `>` gives it. An existing file that `>` could
//!   not open for writing is refused, not replaced behind its owner's back.
//! - Anything else that exists (a device such as `/dev/null`, a FIFO) is opened
//!   and written in place: replacing it would destroy it.
//!
//! [`create_new`] is the other way a command writes a file: only where none is.
//!
//! Every error names the path as the user wrote it, never the temporary file,
//! and the temporary file is removed on every error path.

use crate::diag::Error;
use camino::Utf8Path;
use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Symlinks followed before giving up, as the kernel's own limit (`ELOOP`).
const MAX_LINKS: usize = 40;

/// Writes `text` to `shown` (as the user wrote it), resolved against `cwd`.
pub fn write(shown: &Utf8Path, cwd: &Utf8Path, text: &str) -> Result<(), Error> {
    let io = |source: io::Error| Error::Io {
        path: shown.to_path_buf(),
        source,
    };
    let (target, existing) = follow_links(&cwd.join(shown).into_std_path_buf(), shown)?;
    match existing {
        Some(meta) if meta.is_dir() => Err(Error::Message(format!(
            "cannot write `{shown}`: it is a folder"
        ))),
        Some(meta) if meta.is_file() => {
            // `>` would fail here (a read-only file, for a user other than root): so do we.
            OpenOptions::new().write(true).open(&target).map_err(io)?;
            replace(&target, Some(&meta), text).map_err(io)
        }
        // A device, a FIFO, a socket: write through it, as `>` does.
        Some(_) => write_in_place(&target, text).map_err(io),
        None => replace(&target, None, text).map_err(io),
    }
}

/// Writes a file that must not exist yet (`init`, `new`): never over another
/// file, even one created a moment ago; a failure half-way removes it.
pub fn create_new(path: &Utf8Path, text: &str) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(io)?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| {
            let _ = fs::remove_file(path);
            io(e)
        })
}

/// Follows `path` through symlinks to what they finally name, with its
/// metadata (`None`: nothing there yet, so the file is created there).
fn follow_links(path: &Path, shown: &Utf8Path) -> Result<(PathBuf, Option<Metadata>), Error> {
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let meta = match fs::symlink_metadata(&at) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((at, None)),
            Err(source) => {
                return Err(Error::Io {
                    path: shown.to_path_buf(),
                    source,
                })
            }
        };
        if !meta.file_type().is_symlink() {
            return Ok((at, Some(meta)));
        }
        let link = fs::read_link(&at).map_err(|source| Error::Io {
            path: shown.to_path_buf(),
            source,
        })?;
        at = match at.parent() {
            Some(dir) => dir.join(link),
            None => link,
        };
    }
    Err(Error::Message(format!(
        "cannot write `{shown}`: more than {MAX_LINKS} symbolic links (a loop?)"
    )))
}

fn write_in_place(target: &Path, text: &str) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).open(target)?;
    file.write_all(text.as_bytes())?;
    file.flush()
}

/// Writes a temporary file beside `target` and renames it over `target`.
fn replace(target: &Path, existing: Option<&Metadata>, text: &str) -> io::Result<()> {
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let mut temp = Temp::create(dir, &name.to_string_lossy())?;
    temp.file.write_all(text.as_bytes())?;
    if let Some(meta) = existing {
        keep_mode_and_owner(&temp.file, meta)?;
    }
    temp.file.sync_all()?;
    fs::rename(&temp.path, target)?;
    temp.persisted = true;
    // The rename itself is durable once the folder is synced; some file
    // systems cannot sync a folder, and the script is written either way.
    if let Ok(folder) = File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

#[cfg(unix)]
fn keep_mode_and_owner(file: &File, meta: &Metadata) -> io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    // Owner first: changing the owner may clear set-id bits, which the mode restores.
    // Only root may give a file away; anyone else keeps owning what they wrote.
    if let Err(e) = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid())) {
        if e.kind() != io::ErrorKind::PermissionDenied {
            return Err(e);
        }
    }
    file.set_permissions(fs::Permissions::from_mode(meta.mode() & 0o7777))
}

#[cfg(not(unix))]
fn keep_mode_and_owner(file: &File, meta: &Metadata) -> io::Result<()> {
    file.set_permissions(meta.permissions())
}

/// A temporary file that is removed when dropped unless it was renamed.
struct Temp {
    path: PathBuf,
    file: File,
    persisted: bool,
}

impl Temp {
    /// `.NAME.ddlc-PID-N.tmp` in `dir`, created exclusively (never an existing
    /// file) with mode 0666 less the umask, as a new file written by `>` gets.
    fn create(dir: &Path, name: &str) -> io::Result<Temp> {
        let (path, file) = beside(dir, name, |path| {
            let mut options = OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o666);
            options.open(path)
        })?;
        Ok(Temp {
            path,
            file,
            persisted: false,
        })
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.persisted {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Writes `files` as the whole content of folder `shown` (resolved against
/// `cwd`): into a new folder beside it first, which then takes its place, so
/// the folder holds the old release or the new one, never a mix or a part.
/// An existing folder is replaced only when everything in it is a file
/// `is_ours` recognises (an earlier release); anything else is refused.
pub fn replace_dir(
    shown: &Utf8Path,
    cwd: &Utf8Path,
    files: &[(String, String)],
    is_ours: impl Fn(&str) -> bool,
) -> Result<(), Error> {
    let target = cwd.join(shown).into_std_path_buf();
    let io = |source: io::Error| Error::Io {
        path: shown.to_path_buf(),
        source,
    };
    let existing = match fs::symlink_metadata(&target) {
        Ok(meta) if meta.is_dir() => true,
        Ok(_) => {
            return Err(Error::Message(format!(
                "cannot write the release into `{shown}`: it exists and is not a folder"
            )))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => return Err(io(e)),
    };
    if existing {
        for entry in fs::read_dir(&target).map_err(io)? {
            let entry = entry.map_err(io)?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if !entry.file_type().map_err(io)?.is_file() || !is_ours(&name) {
                return Err(Error::Message(format!(
                    "cannot write the release into `{shown}`: it holds `{name}`, which ddlc \
                     did not write; use a new or empty folder"
                )));
            }
        }
    }
    let parent = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::Message(format!("cannot write the release into `{shown}`")))?;
    // A release folder is made with its parents, as `mkdir -p` would.
    fs::create_dir_all(&parent).map_err(io)?;
    let fresh = TempDir::create(&parent, &name).map_err(io)?;
    for (file, text) in files {
        let mut out = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(fresh.path.join(file))
            .map_err(io)?;
        out.write_all(text.as_bytes())
            .and_then(|()| out.sync_all())
            .map_err(io)?;
    }
    if existing {
        let old = TempDir::create(&parent, &name).map_err(io)?;
        let aside = old.path.join("previous");
        fs::rename(&target, &aside).map_err(io)?;
        if let Err(e) = fs::rename(&fresh.path, &target) {
            let _ = fs::rename(&aside, &target);
            return Err(io(e));
        }
        drop(old);
    } else {
        fs::rename(&fresh.path, &target).map_err(io)?;
    }
    std::mem::forget(fresh);
    if let Ok(folder) = File::open(&parent) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// A temporary folder beside the one being written, removed with what it
/// holds when dropped (unless forgotten after its rename).
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// `.NAME.ddlc-PID-N.tmp` in `dir`, created exclusively with mode 0777
    /// less the umask, as `mkdir` gives it.
    fn create(dir: &Path, name: &str) -> io::Result<TempDir> {
        beside(dir, name, |path| fs::create_dir(path)).map(|(path, ())| TempDir { path })
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// Makes something new at `.NAME.ddlc-PID-N.tmp` in `dir` with `make`, which
/// must fail with `AlreadyExists` where something is (so nothing that exists,
/// even made a moment ago by another process, is ever reused).
fn beside<T>(
    dir: &Path,
    name: &str,
    make: impl Fn(&Path) -> io::Result<T>,
) -> io::Result<(PathBuf, T)> {
    let pid = std::process::id();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let mut last = None;
    for attempt in 0..100u32 {
        let path = dir.join(format!(".{name}.ddlc-{pid}-{nanos:x}{attempt}.tmp"));
        match make(&path) {
            Ok(made) => return Ok((path, made)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::from(io::ErrorKind::AlreadyExists)))
}

//! Hostile inputs through the real `ddlc` binary, each in a temporary project:
//! malformed text, huge and deep inputs, broken revision graphs.
//!
//! Every case asserts the exit code, a located message (`file:line:col`)
//! where there is an error, no panic (exit code 101 or "panicked" on stderr)
//! and a bounded time: a run is killed after [`LIMIT`] and the case fails.
//! Sizes are chosen so the suite stays well under a minute in a debug build
//! while still catching a blow-up (a quadratic step at these sizes takes
//! minutes). One file per area; add yours.

mod encoding;
mod graph;
mod output;
mod size;
mod structure;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest a single run may take (a debug build on a loaded machine).
pub const LIMIT: Duration = Duration::from_secs(20);

/// A temporary project: `ddlc.toml` and `migrations/versions/`.
pub struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    pub fn new() -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("migrations/versions")).expect("versions dir");
        std::fs::write(
            dir.path().join("ddlc.toml"),
            "[project]\nmigrations = \"migrations\"\n",
        )
        .expect("ddlc.toml");
        Project { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `migrations/versions/<name>`.
    pub fn mig(&self, name: &str, bytes: impl AsRef<[u8]>) {
        std::fs::write(self.root().join("migrations/versions").join(name), bytes)
            .expect("write migration");
    }

    /// Runs ddlc with `args` in the project, killed after [`LIMIT`].
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_in(Command::new(env!("CARGO_BIN_EXE_ddlc")), args)
    }

    /// Runs ddlc with at most `kib` KiB of address space (`ulimit -v`): an
    /// allocation past it fails and the run aborts.
    pub fn run_with_memory(&self, kib: u64, args: &[&str]) -> Run {
        let mut sh = Command::new("sh");
        sh.arg("-c")
            .arg(format!("ulimit -v {kib} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_ddlc"));
        self.run_in(sh, args)
    }

    fn run_in(&self, mut command: Command, args: &[&str]) -> Run {
        let started = Instant::now();
        let mut child = command
            .args(args)
            .current_dir(self.root())
            .env_remove("RUST_BACKTRACE")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run ddlc");
        // Read both pipes while waiting: a large script must not block the child.
        let drain = |mut pipe: Box<dyn Read + Send>| {
            std::thread::spawn(move || {
                let mut out = Vec::new();
                let _ = pipe.read_to_end(&mut out);
                out
            })
        };
        let stdout = drain(Box::new(child.stdout.take().expect("stdout")));
        let stderr = drain(Box::new(child.stderr.take().expect("stderr")));
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for ddlc") {
                break status;
            }
            if started.elapsed() > LIMIT {
                let _ = child.kill();
                let _ = child.wait();
                panic!("ddlc {args:?} still running after {LIMIT:?}: killed");
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        let run = Run {
            args: args.iter().map(|a| a.to_string()).collect(),
            code: status.code(),
            stdout: stdout.join().expect("stdout reader"),
            stderr: String::from_utf8_lossy(&stderr.join().expect("stderr reader")).into_owned(),
            elapsed: started.elapsed(),
        };
        run.assert_no_panic();
        run
    }
}

/// The outcome of one run.
pub struct Run {
    pub args: Vec<String>,
    /// `None` when killed by a signal (a stack overflow, an abort).
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    fn assert_no_panic(&self) {
        assert!(
            self.code.is_some() && self.code != Some(101) && !self.stderr.contains("panicked"),
            "ddlc {:?} crashed (exit {:?}):\n{}",
            self.args,
            self.code,
            self.tail()
        );
    }

    /// The end of stderr, for messages (a hostile case can print a lot).
    pub fn tail(&self) -> &str {
        let s = self.stderr.as_str();
        let mut from = s.len().saturating_sub(3000);
        while !s.is_char_boundary(from) {
            from += 1;
        }
        &s[from..]
    }

    /// Exit 0 with a script on stdout; returns it.
    pub fn ok(&self) -> String {
        assert_eq!(
            self.code,
            Some(0),
            "ddlc {:?} failed:\n{}",
            self.args,
            self.tail()
        );
        assert!(
            !self.stdout.is_empty(),
            "ddlc {:?}: empty output",
            self.args
        );
        String::from_utf8(self.stdout.clone()).expect("output is UTF-8")
    }

    /// Exit 1 (errors in the migrations), `code` reported at `at`
    /// (`file:line:col`, the file relative to `migrations/versions/`), and
    /// nothing on stdout.
    pub fn error_at(&self, code: &str, at: &str) -> &Run {
        assert_eq!(
            self.code,
            Some(1),
            "ddlc {:?}: expected errors:\n{}",
            self.args,
            self.tail()
        );
        assert!(
            self.stdout.is_empty(),
            "ddlc {:?}: a script was written",
            self.args
        );
        assert!(
            self.stderr.contains(&format!("error[{code}]")),
            "ddlc {:?}: expected error[{code}]:\n{}",
            self.args,
            self.tail()
        );
        let location = format!("--> migrations/versions/{at}");
        assert!(
            self.stderr.contains(&location),
            "ddlc {:?}: expected `{location}`:\n{}",
            self.args,
            self.tail()
        );
        self
    }

    /// Every `-->` location in stderr has a line and a column.
    pub fn all_located(&self) -> &Run {
        for line in self.stderr.lines().filter(|l| l.contains("--> ")) {
            let at = line.split("--> ").nth(1).unwrap_or_default();
            let parts: Vec<&str> = at.rsplitn(3, ':').collect();
            assert!(
                parts.len() == 3
                    && parts[0].parse::<u32>().is_ok()
                    && parts[1].parse::<u32>().is_ok(),
                "not file:line:col: {line}"
            );
        }
        self
    }
}

/// A revision file: header, upgrade ops, `downgrade auto`.
pub fn revision(id: &str, parent: Option<&str>, ops: &str) -> String {
    let revises = match parent {
        None => "base".to_string(),
        Some(p) => format!("\"{p}\""),
    };
    format!("revision \"{id}\"\nrevises {revises}\nmessage \"m\"\n\nupgrade {{\n{ops}\n}}\n\ndowngrade auto\n")
}

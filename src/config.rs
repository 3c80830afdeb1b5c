//! `ddlc.toml`: where the migrations live, the default dialect, the version
//! table and the naming convention. Found by searching upward from the current
//! directory (or in `--project DIR`); without one, defaults apply with
//! `migrations/` under the current directory. Unknown keys are errors.

use crate::diag::Error;
use crate::dialect::Dialect;
use crate::naming::Convention;
use camino::{Utf8Path, Utf8PathBuf};
use indexmap::IndexMap;
use serde::Deserialize;

/// The configuration file's name.
pub const FILE_NAME: &str = "ddlc.toml";

/// The integrity lock's file name, in the migrations folder (see `sum`).
pub const SUM_FILE_NAME: &str = "ddlc.sum";

/// The project's settings, with defaults filled in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The project root: the folder holding `ddlc.toml` (or the starting folder).
    pub root: Utf8PathBuf,
    /// The `ddlc.toml` that was read, if any.
    pub file: Option<Utf8PathBuf>,
    /// The migrations folder, relative to `root` (it holds `versions/*.mig`).
    pub migrations: Utf8PathBuf,
    /// The dialect used when `--dialect` is not given.
    pub dialect: Dialect,
    /// Template overrides folder, resolved against `root`.
    pub templates: Option<Utf8PathBuf>,
    /// The dialects `ddlc check` compiles for (default: `[dialect]`), in the
    /// order written, without repeats.
    pub dialects: Vec<Dialect>,
    /// The template `ddlc new` and `ddlc merge` write new revisions from,
    /// resolved against `root` (default: the built-in one).
    pub revision_template: Option<Utf8PathBuf>,
    /// Where the applied revisions are recorded.
    pub version_table: VersionTable,
    /// Names for constraints and indexes the user left unnamed.
    pub naming: Convention,
    /// `[project] transaction_per_migration`: scripts commit after each
    /// revision instead of once (Alembic's env.py option of that name).
    pub transaction_per_migration: bool,
    /// `[lint]`: rule levels and `fail_on`, as written (checked against the
    /// rules by `lint::Settings::from_config`).
    pub lint: LintConfig,
    /// `[scripts]`: session settings each upgrade and downgrade script sets
    /// first (its header).
    pub scripts: Scripts,
}

/// `[scripts]`: `lock_timeout = "5s"`, `statement_timeout = "15min"`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scripts {
    /// How long a statement waits for a lock before it fails (PostgreSQL's
    /// `lock_timeout`, MySQL's and MariaDB's `lock_wait_timeout`).
    pub lock_timeout: Option<Timeout>,
    /// How long a statement may run (PostgreSQL's `statement_timeout`).
    pub statement_timeout: Option<Timeout>,
}

/// A duration written `"500ms"`, `"5s"`, `"2min"` or `"1h"`, in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeout(pub u64);

impl Timeout {
    /// Reads `"5s"`: a whole number, then `ms`, `s`, `min` or `h`; more than zero.
    pub fn parse(text: &str) -> Result<Timeout, String> {
        let digits = text.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let unit = &text[digits.len()..];
        let scale = match unit {
            "ms" => 1,
            "s" => 1_000,
            "min" => 60_000,
            "h" => 3_600_000,
            _ => {
                return Err(format!(
                    "`{text}`: write a whole number and ms, s, min or h, e.g. \"5s\""
                ))
            }
        };
        match digits
            .parse::<u64>()
            .ok()
            .and_then(|n| n.checked_mul(scale))
        {
            Some(ms) if ms > 0 && ms <= 86_400_000 => Ok(Timeout(ms)),
            _ => Err(format!(
                "`{text}`: must be more than 0 and at most a day (\"24h\")"
            )),
        }
    }

    /// As PostgreSQL takes it, in the largest unit that is whole: `1h`,
    /// `15min`, `5s`, `500ms`.
    pub fn postgres(self) -> String {
        let ms = self.0;
        match ms {
            _ if ms % 3_600_000 == 0 => format!("{}h", ms / 3_600_000),
            _ if ms % 60_000 == 0 => format!("{}min", ms / 60_000),
            _ if ms % 1_000 == 0 => format!("{}s", ms / 1_000),
            _ => format!("{ms}ms"),
        }
    }

    /// Whole seconds, rounded up (MySQL's `lock_wait_timeout` takes seconds, 1 at least).
    pub fn seconds(self) -> u64 {
        self.0.div_ceil(1_000)
    }
}

/// `[lint]` as written: `fail_on = "warning"`, `[lint.rules] drop-table = "error"`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LintConfig {
    /// Rule id → `off`, `warning` or `error`, in file order.
    pub rules: IndexMap<String, String>,
    /// `warning` or `error`.
    pub fail_on: Option<String>,
    /// `[lint.versions]`: dialect name → the engine's major version, for the
    /// rules whose answer depends on it.
    pub versions: IndexMap<String, i64>,
}

/// The version table (Alembic's `alembic_version`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionTable {
    /// Table name.
    pub name: String,
    /// Schema, when not the connection's default.
    pub schema: Option<String>,
    /// Column holding a revision id.
    pub column: String,
    /// The column's length in characters (`VARCHAR(32)`, as Alembic's); a
    /// longer revision id is an error.
    pub column_length: u32,
}

/// Alembic's `VARCHAR(32)`, so a table it created and one ddlc creates agree.
pub const DEFAULT_COLUMN_LENGTH: u32 = 32;

/// The longest `column_length`: a 255-character key fits every engine's
/// primary-key limit (MySQL's 3072 bytes at 4 bytes a character, SQL Server's
/// 900 bytes) and outgrows any revision id people write.
pub const MAX_COLUMN_LENGTH: u32 = 255;

impl Default for VersionTable {
    fn default() -> VersionTable {
        VersionTable {
            name: "alembic_version".into(),
            schema: None,
            column: "version_num".into(),
            column_length: DEFAULT_COLUMN_LENGTH,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    project: RawProject,
    #[serde(default)]
    version_table: RawVersionTable,
    /// A BTreeMap because indexmap is built without serde; order does not matter here.
    #[serde(default)]
    naming_convention: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    lint: RawLint,
    #[serde(default)]
    scripts: RawScripts,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawScripts {
    lock_timeout: Option<String>,
    statement_timeout: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLint {
    fail_on: Option<String>,
    #[serde(default)]
    rules: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    versions: std::collections::BTreeMap<String, i64>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawProject {
    migrations: Option<String>,
    dialect: Option<String>,
    templates: Option<String>,
    dialects: Option<Vec<String>>,
    revision_template: Option<String>,
    transaction_per_migration: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawVersionTable {
    name: Option<String>,
    schema: Option<String>,
    column: Option<String>,
    column_length: Option<i64>,
}

impl Config {
    /// The defaults, for a project rooted at `root` without `ddlc.toml`.
    pub fn defaults(root: Utf8PathBuf) -> Config {
        Config {
            root,
            file: None,
            migrations: "migrations".into(),
            dialect: Dialect::DEFAULT,
            templates: None,
            dialects: vec![Dialect::DEFAULT],
            revision_template: None,
            version_table: VersionTable::default(),
            naming: Convention::default(),
            transaction_per_migration: false,
            lint: LintConfig::default(),
            scripts: Scripts::default(),
        }
    }

    /// Finds and reads the project's configuration: `DIR/ddlc.toml` when
    /// `project` is given, else the nearest `ddlc.toml` at or above `cwd`.
    pub fn discover(project: Option<&Utf8Path>, cwd: &Utf8Path) -> Result<Config, Error> {
        let root = match project {
            Some(dir) => {
                let dir = cwd.join(dir);
                if !dir.is_dir() {
                    return Err(Error::Message(format!(
                        "project folder `{dir}` does not exist"
                    )));
                }
                let file = dir.join(FILE_NAME);
                return if file.is_file() {
                    Config::load(&file, dir)
                } else {
                    Ok(Config::defaults(dir))
                };
            }
            None => cwd,
        };
        for dir in root.ancestors() {
            let file = dir.join(FILE_NAME);
            if file.is_file() {
                return Config::load(&file, dir.to_path_buf());
            }
        }
        Ok(Config::defaults(root.to_path_buf()))
    }

    /// Reads `file` for a project rooted at `root`.
    pub fn load(file: &Utf8Path, root: Utf8PathBuf) -> Result<Config, Error> {
        let text = std::fs::read_to_string(file).map_err(|source| Error::Io {
            path: file.to_path_buf(),
            source,
        })?;
        Config::parse(&text, file, root)
    }

    /// Parses the text of `ddlc.toml`; `file` names it in errors.
    pub fn parse(text: &str, file: &Utf8Path, root: Utf8PathBuf) -> Result<Config, Error> {
        let fail = |message: String| Error::Message(format!("{file}: {message}"));
        let raw: RawFile = toml::from_str(text).map_err(|e| fail(e.to_string()))?;
        check_text(&raw).map_err(fail)?;
        let mut config = Config::defaults(root);
        config.file = Some(file.to_path_buf());
        if let Some(migrations) = raw.project.migrations {
            config.migrations = migrations.into();
        }
        if let Some(dialect) = raw.project.dialect {
            config.dialect = dialect
                .parse()
                .map_err(|e: String| fail(format!("[project] dialect: {e}")))?;
        }
        config.templates = raw.project.templates.map(|t| config.root.join(t));
        config.transaction_per_migration = raw.project.transaction_per_migration.unwrap_or(false);
        config.revision_template = raw.project.revision_template.map(|t| config.root.join(t));
        config.dialects = match raw.project.dialects {
            None => vec![config.dialect],
            Some(names) if names.is_empty() => {
                return Err(fail(
                    "[project] dialects is empty: list at least one dialect, or leave it out \
                     to check the project's `dialect`"
                        .into(),
                ))
            }
            Some(names) => {
                let mut dialects = Vec::new();
                for name in names {
                    let dialect: Dialect = name
                        .parse()
                        .map_err(|e: String| fail(format!("[project] dialects: {e}")))?;
                    if !dialects.contains(&dialect) {
                        dialects.push(dialect);
                    }
                }
                dialects
            }
        };
        let defaults = VersionTable::default();
        let column_length = match raw.version_table.column_length {
            None => defaults.column_length,
            Some(n) if (1..=i64::from(MAX_COLUMN_LENGTH)).contains(&n) => n as u32,
            Some(n) => {
                return Err(fail(format!(
                    "[version_table] column_length = {n}: must be between 1 and {MAX_COLUMN_LENGTH}"
                )))
            }
        };
        config.version_table = VersionTable {
            name: raw.version_table.name.unwrap_or(defaults.name),
            schema: raw.version_table.schema,
            column: raw.version_table.column.unwrap_or(defaults.column),
            column_length,
        };
        for (key, value) in [
            ("name", Some(&config.version_table.name)),
            ("column", Some(&config.version_table.column)),
            ("schema", config.version_table.schema.as_ref()),
        ] {
            if value.is_some_and(|v| v.is_empty()) {
                return Err(fail(format!("[version_table] {key} must not be empty")));
            }
        }
        config.lint = LintConfig {
            rules: raw.lint.rules.into_iter().collect(),
            fail_on: raw.lint.fail_on,
            versions: raw.lint.versions.into_iter().collect(),
        };
        config.scripts = scripts(&raw.scripts).map_err(fail)?;
        let naming: IndexMap<String, String> = raw.naming_convention.into_iter().collect();
        config.naming =
            naming_convention(&naming).map_err(|e| fail(format!("[naming_convention] {e}")))?;
        Ok(config)
    }

    /// Where `[version_table] column_length` comes from, for messages.
    pub fn column_length_setting(&self) -> String {
        match &self.file {
            Some(file) if self.version_table.column_length != DEFAULT_COLUMN_LENGTH => {
                format!("`[version_table] column_length` in `{file}`")
            }
            _ => format!("`[version_table] column_length`, {DEFAULT_COLUMN_LENGTH} by default"),
        }
    }

    /// The folder holding the `.mig` files.
    pub fn versions_dir(&self) -> Utf8PathBuf {
        self.root.join(&self.migrations).join("versions")
    }

    /// The integrity lock, `<migrations>/ddlc.sum` (see [`crate::sum`]): it
    /// lives beside `versions/`, so it travels with the migrations.
    pub fn sum_file(&self) -> Utf8PathBuf {
        self.root.join(&self.migrations).join(SUM_FILE_NAME)
    }
}

/// `[scripts]`, each timeout read by [`Timeout::parse`].
fn scripts(raw: &RawScripts) -> Result<Scripts, String> {
    let timeout = |key: &str, v: Option<&String>| {
        v.map(|t| Timeout::parse(t).map_err(|e| format!("[scripts] {key}: {e}")))
            .transpose()
    };
    Ok(Scripts {
        lock_timeout: timeout("lock_timeout", raw.lock_timeout.as_ref())?,
        statement_timeout: timeout("statement_timeout", raw.statement_timeout.as_ref())?,
    })
}

/// The end of [`commented_file`]: `[scripts]` and `[lint]`, which have no defaults to fill in.
const COMMENTED_TAIL: &str = r#"[scripts]
# Set first by every upgrade and downgrade script, for the whole session (so
# also around statements run outside the transaction, such as CREATE INDEX
# CONCURRENTLY): how long a statement waits for a lock (PostgreSQL
# lock_timeout, MySQL and MariaDB lock_wait_timeout, in whole seconds) and how
# long it may run (PostgreSQL statement_timeout). ms, s, min or h.
# lock_timeout = "5s"
# statement_timeout = "15min"

[lint]
# `ddlc lint` (also run by `ddlc check`; docs/lint.md lists the rules): the
# lowest severity that makes `ddlc lint` fail (default "error").
# fail_on = "warning"

[lint.rules]
# A rule's level, "off", "warning" or "error", by its id.
# drop-table = "error"

[lint.versions]
# The engine's major version, where a rule's answer depends on it (default:
# a current one). PostgreSQL before 11 rewrites a table for any ADD COLUMN default.
# postgresql = 15
"#;

/// The `ddlc.toml` that `ddlc init` writes: every option, with what it does and
/// its default. `migrations` and `dialect` are set; the rest is commented out,
/// so a later ddlc's defaults apply until the project says otherwise.
pub fn commented_file(dialect: Dialect) -> String {
    let names: Vec<&str> = Dialect::ALL.iter().map(|d| d.name()).collect();
    let defaults = VersionTable::default();
    let naming = Convention::default();
    format!(
        r#"# ddlc project configuration. Paths are relative to this file.
# Unknown keys are errors; so is any value holding a control character.

[project]
# The folder holding versions/*.mig (the revisions) and ddlc.sum (their lock).
migrations = "migrations"
# The dialect scripts are written for when --dialect is not given:
# {dialects}.
dialect = "{dialect}"
# The dialects `ddlc check` compiles every revision for (default: `dialect`).
# dialects = ["{dialect}", "sqlite"]
# A folder of SQL template overrides, laid out as <folder>/<dialect>/<name>.sql.
# templates = "sql-templates"
# The minijinja template `ddlc new` and `ddlc merge` write new revisions from
# (see `ddlc new --help`); default: the built-in one.
# revision_template = "revision.mig.j2"
# Commit after each revision, its version-table change included, instead of
# once around the whole script (Alembic's env.py `transaction_per_migration`;
# also `--transaction-per-migration` on upgrade, downgrade and stamp). A failed
# revision then leaves the ones before it applied. Where DDL is not
# transactional (MySQL, MariaDB, Oracle) scripts are the same either way.
# transaction_per_migration = false

[version_table]
# Where a database records the revisions applied to it: Alembic's table, so a
# database managed by Alembic can be continued by ddlc.
# name = "{name}"
# schema = "ops"
# column = "{column}"
# The column's length (1 to {max}); a longer revision id is an error.
# column_length = {length}

[naming_convention]
# Names for the constraints and indexes a migration leaves unnamed, with
# SQLAlchemy's placeholders; set a key to change it. A template set here that
# uses %(constraint_name)s also shapes the names a migration gives, as in
# SQLAlchemy (`ck_account_positive` for `check positive`); `conv(name)` keeps a
# name as written.
# ix = "{ix}"
# uq = "{uq}"
# ck = "{ck}"
# fk = "{fk}"
# pk = "{pk}"

{tail}"#,
        tail = COMMENTED_TAIL,
        dialects = names.join(", "),
        dialect = dialect.name(),
        name = defaults.name,
        column = defaults.column,
        max = MAX_COLUMN_LENGTH,
        length = defaults.column_length,
        ix = naming.ix,
        uq = naming.uq,
        ck = naming.ck,
        fk = naming.fk,
        pk = naming.pk,
    )
}

/// The one place the `[naming_convention]` table becomes a [`Convention`].
///
/// The `[naming_convention]` table, checked key by key and placeholder by
/// placeholder; a template that can only ever yield an empty name is refused
/// here, since it would become `CONSTRAINT ""`.
fn naming_convention(map: &IndexMap<String, String>) -> Result<Convention, String> {
    let convention = Convention::from_map(map)?;
    for (key, template) in map {
        if let Some(why) = empty_name(key, template) {
            return Err(format!("`{key} = {template:?}` {why}"));
        }
    }
    Ok(convention)
}

/// Why `template` (for kind `key`) can yield an empty name, if it can: it has
/// no literal text, and none of its placeholders is sure to be non-empty for
/// that kind (every constraint and index has a table; indexes, unique, primary
/// and foreign keys have columns; only foreign keys refer to a table; an
/// unnamed check's `constraint_name` is derived from its expression).
fn empty_name(key: &str, template: &str) -> Option<String> {
    if template.is_empty() {
        return Some("is empty: every generated name would be empty".into());
    }
    let mut literal = String::new();
    let mut placeholders = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find("%(") {
        literal.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let j = after.find(")s")?; // unclosed: already refused by from_map
        placeholders.push(&after[..j]);
        rest = &after[j + 2..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        return None;
    }
    let never_empty = |ph: &str| {
        ph == "table_name"
            || (ph.starts_with("column_0") && key != "ck")
            || (ph.starts_with("referred_") && key == "fk")
            || (ph == "constraint_name" && key == "ck")
    };
    if placeholders.iter().any(|ph| never_empty(ph)) {
        return None;
    }
    Some(format!(
        "can yield an empty name: {} can be empty for `{key}`; add literal text or `%(table_name)s`",
        placeholders
            .iter()
            .map(|ph| format!("`%({ph})s`"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// Refuses control characters (NUL, newlines, ...), and line separators and
/// invisible formatting characters, in every string of ddlc.toml: these
/// values reach SQL and SQL comments, where a client may cut a line or a
/// reviewer may misread it.
fn check_text(raw: &RawFile) -> Result<(), String> {
    let values = [
        ("[project] migrations", raw.project.migrations.as_ref()),
        ("[project] dialect", raw.project.dialect.as_ref()),
        ("[project] templates", raw.project.templates.as_ref()),
        (
            "[project] revision_template",
            raw.project.revision_template.as_ref(),
        ),
        ("[version_table] name", raw.version_table.name.as_ref()),
        ("[version_table] schema", raw.version_table.schema.as_ref()),
        ("[version_table] column", raw.version_table.column.as_ref()),
    ]
    .into_iter()
    .filter_map(|(key, value)| value.map(|v| (key.to_string(), v)))
    .chain(
        raw.naming_convention
            .iter()
            .map(|(key, value)| (format!("[naming_convention] {key}"), value)),
    );
    for (key, value) in values {
        if let Some(c) = value.chars().find(|&c| is_forbidden_char(c)) {
            return Err(format!(
                "{key}: contains the character U+{:04X}; control characters, line \
                 separators and invisible formatting characters are not allowed",
                c as u32
            ));
        }
    }
    Ok(())
}

/// Characters no ddlc.toml value may hold (nor a message `ddlc new` writes):
/// control characters, line separators, and invisible or bidirectional
/// formatting characters that make text read other than it is.
pub fn is_forbidden_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}'
        )
}

/// Whether a folder entry is meant as a migration: `*.mig`, except Emacs' lock
/// files (`.#x.mig`, a symlink to nowhere while the file is being edited).
/// Backups and swap files (`x.mig~`, `.x.mig.swp`, `#x.mig#`) do not end in
/// `.mig`, so they are not read either.
pub fn is_migration_name(name: &str) -> bool {
    name.ends_with(".mig") && name.len() > ".mig".len() && !name.starts_with(".#")
}

/// The path relative to the project root, with `/` separators, so output and
/// diagnostics never carry an absolute path.
pub fn display_path(path: &Utf8Path, root: &Utf8Path) -> Utf8PathBuf {
    let relative = path.strip_prefix(root).unwrap_or(path);
    Utf8PathBuf::from(relative.as_str().replace('\\', "/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(text, Utf8Path::new("proj/ddlc.toml"), "proj".into())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn empty_file_gives_defaults() {
        let config = parse("").unwrap();
        assert_eq!(config.dialect, Dialect::PostgreSql);
        assert_eq!(config.versions_dir(), "proj/migrations/versions");
        assert_eq!(config.version_table, VersionTable::default());
        assert_eq!(config.naming, Convention::default());
    }

    #[test]
    fn every_key_is_read() {
        let config = parse(
            r#"
[project]
migrations = "db"
dialect = "oracle"
templates = "tpl"

[version_table]
name = "schema_migrations"
schema = "extra"
column = "rev"

[naming_convention]
ix = "idx_%(column_0_label)s"
"#,
        )
        .unwrap();
        assert_eq!(config.dialect, Dialect::Oracle);
        assert_eq!(config.versions_dir(), "proj/db/versions");
        assert_eq!(config.templates.as_deref(), Some(Utf8Path::new("proj/tpl")));
        assert_eq!(config.version_table.schema.as_deref(), Some("extra"));
        assert_eq!(config.version_table.column, "rev");
        assert_eq!(config.naming.ix, "idx_%(column_0_label)s");
        assert_eq!(config.naming.uq, Convention::default().uq);
    }

    #[test]
    fn unknown_keys_and_bad_values_name_the_key_and_file() {
        for (text, want) in [
            (
                "[project]\nmigration = \"m\"\n",
                "unknown field `migration`",
            ),
            ("[projekt]\n", "unknown field `projekt`"),
            ("[version_table]\ntable = \"x\"\n", "unknown field `table`"),
            (
                "[naming_convention]\nidx = \"x\"\n",
                "unknown naming convention key `idx`",
            ),
            (
                "[naming_convention]\nix = \"ix_%(colum_0_name)s\"\n",
                "colum_0_name",
            ),
            ("[project]\ndialect = \"db2\"\n", "unknown dialect `db2`"),
            ("[version_table]\nname = \"\"\n", "name must not be empty"),
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.starts_with("proj/ddlc.toml: "), "{err}");
            assert!(err.contains(want), "{text:?}: {err}");
        }
    }

    #[test]
    fn column_length_is_read_and_bounded() {
        assert_eq!(parse("").unwrap().version_table.column_length, 32);
        let config = parse("[version_table]\ncolumn_length = 64\n").unwrap();
        assert_eq!(config.version_table.column_length, 64);
        assert_eq!(
            config.column_length_setting(),
            "`[version_table] column_length` in `proj/ddlc.toml`"
        );
        for bad in ["0", "-1", "256", "4294967328"] {
            let err = parse(&format!("[version_table]\ncolumn_length = {bad}\n")).unwrap_err();
            assert!(
                err.contains(&format!(
                    "[version_table] column_length = {bad}: must be between 1 and 255"
                )),
                "{err}"
            );
        }
    }

    #[test]
    fn control_characters_are_refused_naming_the_key_and_file() {
        for (text, key, code) in [
            (
                "[version_table]\nname = \"a\\u0000b\"\n",
                "[version_table] name",
                "U+0000",
            ),
            (
                "[version_table]\nschema = \"s\\nDROP\"\n",
                "[version_table] schema",
                "U+000A",
            ),
            (
                "[version_table]\ncolumn = \"c\\r\"\n",
                "[version_table] column",
                "U+000D",
            ),
            (
                "[naming_convention]\nix = \"ix_\\u001b[2J%(column_0_name)s\"\n",
                "[naming_convention] ix",
                "U+001B",
            ),
            (
                "[naming_convention]\nuq = \"uq\\u2028%(table_name)s\"\n",
                "[naming_convention] uq",
                "U+2028",
            ),
            (
                "[project]\nmigrations = \"m\\u202e\"\n",
                "[project] migrations",
                "U+202E",
            ),
            (
                "[project]\ntemplates = \"t\\u0085\"\n",
                "[project] templates",
                "U+0085",
            ),
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.starts_with("proj/ddlc.toml: "), "{err}");
            assert!(
                err.contains(&format!("{key}: contains the character {code}")),
                "{text:?}: {err}"
            );
        }
    }

    #[test]
    fn naming_templates_that_yield_empty_names_are_refused() {
        for (key, template, want) in [
            ("ix", "", "`ix = \"\"` is empty"),
            ("pk", "", "`pk = \"\"` is empty"),
            (
                "ix",
                "%(constraint_name)s",
                "`%(constraint_name)s` can be empty for `ix`",
            ),
            ("uq", "%(referred_table_name)s", "can yield an empty name"),
            (
                "ck",
                "%(column_0_name)s",
                "`%(column_0_name)s` can be empty for `ck`",
            ),
        ] {
            let err = parse(&format!("[naming_convention]\n{key} = {template:?}\n")).unwrap_err();
            assert!(
                err.starts_with("proj/ddlc.toml: [naming_convention] "),
                "{err}"
            );
            assert!(err.contains(want), "{key} = {template:?}: {err}");
        }
        for (key, template) in [
            ("ix", "%(column_0_name)s"),
            ("ck", "%(constraint_name)s"),
            ("fk", "%(referred_table_name)s"),
            ("pk", "%(table_name)s"),
            ("ck", "ck_%(column_0_name)s"),
        ] {
            let text = format!("[naming_convention]\n{key} = {template:?}\n");
            assert!(parse(&text).is_ok(), "{text}");
        }
    }

    #[test]
    fn dialects_default_to_the_dialect_and_are_checked() {
        assert_eq!(parse("").unwrap().dialects, [Dialect::PostgreSql]);
        let config = parse("[project]\ndialect = \"mysql\"\n").unwrap();
        assert_eq!(config.dialects, [Dialect::MySql]);
        let config = parse("[project]\ndialects = [\"sqlite\", \"oracle\", \"sqlite\"]\n").unwrap();
        assert_eq!(config.dialects, [Dialect::Sqlite, Dialect::Oracle]);
        assert_eq!(config.dialect, Dialect::PostgreSql);
        let err = parse("[project]\ndialects = []\n").unwrap_err();
        assert!(err.contains("[project] dialects is empty"), "{err}");
        let err = parse("[project]\ndialects = [\"db2\"]\n").unwrap_err();
        assert!(
            err.contains("[project] dialects: unknown dialect `db2`"),
            "{err}"
        );
        let config = parse("[project]\nrevision_template = \"t/new.mig\"\n").unwrap();
        assert_eq!(
            config.revision_template.as_deref(),
            Some(Utf8Path::new("proj/t/new.mig"))
        );
    }

    #[test]
    fn the_commented_file_gives_the_defaults_and_every_line_of_it_parses() {
        for dialect in Dialect::ALL {
            let text = commented_file(dialect);
            let config = parse(&text).unwrap();
            let mut want = Config::defaults("proj".into());
            want.file = config.file.clone();
            want.dialect = dialect;
            want.dialects = vec![dialect];
            assert_eq!(config, want, "{dialect}");
            // Uncommenting every option still parses: each is a real key with a valid value.
            let uncommented: String = text
                .lines()
                .map(|l| match l.strip_prefix("# ") {
                    Some(rest) if rest.contains(" = ") => rest,
                    _ => l,
                })
                .map(|l| format!("{l}\n"))
                .collect();
            assert!(uncommented.contains("\ncolumn_length = 32\n"));
            let all = parse(&uncommented).unwrap_or_else(|e| panic!("{e}\n{uncommented}"));
            assert_eq!(all.version_table.schema.as_deref(), Some("ops"));
            // The same templates, now set by the project.
            assert_eq!(
                Convention {
                    configured: Vec::new(),
                    ..all.naming.clone()
                },
                Convention::default()
            );
            assert_eq!(all.naming.configured.len(), 5);
        }
    }

    #[test]
    fn transaction_per_migration_is_a_boolean_off_by_default() {
        assert!(!parse("").unwrap().transaction_per_migration);
        let on = parse("[project]\ntransaction_per_migration = true\n").unwrap();
        assert!(on.transaction_per_migration);
        let err = parse("[project]\ntransaction_per_migration = \"yes\"\n").unwrap_err();
        assert!(err.contains("transaction_per_migration"), "{err}");
    }

    #[test]
    fn discovery_searches_upward() {
        let dir = tempfile::tempdir().unwrap();
        let root = Utf8PathBuf::from_path_buf(dir.path().to_path_buf()).unwrap();
        std::fs::write(root.join(FILE_NAME), "[project]\ndialect = \"sqlite\"\n").unwrap();
        let deep = root.join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        let config = Config::discover(None, &deep).unwrap();
        assert_eq!(config.root, root);
        assert_eq!(config.dialect, Dialect::Sqlite);
        let explicit = Config::discover(Some(Utf8Path::new("a")), &root).unwrap();
        assert_eq!(explicit.root, root.join("a"));
        assert_eq!(explicit.dialect, Dialect::PostgreSql);
        assert!(Config::discover(Some(Utf8Path::new("nope")), &root).is_err());
    }
}

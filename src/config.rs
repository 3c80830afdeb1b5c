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
    /// Where the applied revisions are recorded.
    pub version_table: VersionTable,
    /// Names for constraints and indexes the user left unnamed.
    pub naming: Convention,
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
}

impl Default for VersionTable {
    fn default() -> VersionTable {
        VersionTable {
            name: "alembic_version".into(),
            schema: None,
            column: "version_num".into(),
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
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawProject {
    migrations: Option<String>,
    dialect: Option<String>,
    templates: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawVersionTable {
    name: Option<String>,
    schema: Option<String>,
    column: Option<String>,
}

impl Config {
    /// The defaults, for a project rooted at `root` without `ddlc.toml`.
    pub fn defaults(root: Utf8PathBuf) -> Config {
        Config {
            root,
            file: None,
            migrations: "migrations".into(),
            dialect: Dialect::PostgreSql,
            templates: None,
            version_table: VersionTable::default(),
            naming: Convention::default(),
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
        let defaults = VersionTable::default();
        config.version_table = VersionTable {
            name: raw.version_table.name.unwrap_or(defaults.name),
            schema: raw.version_table.schema,
            column: raw.version_table.column.unwrap_or(defaults.column),
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
        let naming: IndexMap<String, String> = raw.naming_convention.into_iter().collect();
        config.naming =
            naming_convention(&naming).map_err(|e| fail(format!("[naming_convention] {e}")))?;
        Ok(config)
    }

    /// The folder holding the `.mig` files.
    pub fn versions_dir(&self) -> Utf8PathBuf {
        self.root.join(&self.migrations).join("versions")
    }
}

/// The one place the `[naming_convention]` table becomes a [`Convention`].
///
/// The `[naming_convention]` table, checked key by key and placeholder by placeholder.
fn naming_convention(map: &IndexMap<String, String>) -> Result<Convention, String> {
    Convention::from_map(map)
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

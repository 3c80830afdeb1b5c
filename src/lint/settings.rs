//! `[lint]` in ddlc.toml, checked against the rules: which rules run and how
//! serious each one is (`rules.<id> = "off" | "warning" | "error"`), and the
//! severity that makes `ddlc lint` fail (`fail_on`), and the engines' major
//! versions (`[lint.versions] postgresql = 10`) for rules that depend on them.

use super::{all_rules, Rule};
use crate::config::Config;
use crate::diag::{Error, Severity};
use crate::dialect::Dialect;
use indexmap::IndexMap;

/// A rule's level as configured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Not run.
    Off,
    /// Reported at this severity.
    On(Severity),
}

impl Level {
    /// `off`, `warning` or `error`.
    pub fn parse(word: &str) -> Option<Level> {
        match word {
            "off" => Some(Level::Off),
            "warning" => Some(Level::On(Severity::Warning)),
            "error" => Some(Level::On(Severity::Error)),
            _ => None,
        }
    }
}

/// The linter's settings, from `[lint]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    /// Rule id → level, for the rules ddlc.toml names.
    pub levels: IndexMap<&'static str, Level>,
    /// The lowest severity that makes `ddlc lint` exit 1 (default: error).
    pub fail_on: Option<Severity>,
    /// `[lint.versions]`: the engine's major version per dialect, where set.
    pub versions: IndexMap<Dialect, u32>,
    /// `[scripts]`: the timeouts the scripts set (`missing-lock-timeout`).
    pub scripts: crate::config::Scripts,
}

impl Settings {
    /// The settings of `config`; an unknown rule or level is an error naming ddlc.toml.
    pub fn from_config(config: &Config) -> Result<Settings, Error> {
        let file = config
            .file
            .as_ref()
            .map_or_else(|| crate::config::FILE_NAME.to_string(), |f| f.to_string());
        let fail = |m: String| Error::Message(format!("{file}: [lint] {m}"));
        let mut settings = Settings {
            scripts: config.scripts,
            ..Settings::default()
        };
        for (id, word) in &config.lint.rules {
            let Some(rule) = super::rule(id) else {
                let ids = all_rules().iter().map(|r| r.id());
                let hint = crate::diag::closest(id, ids)
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                return Err(fail(format!(
                    "rules: no rule `{id}`{hint}; see docs/lint.md"
                )));
            };
            let level = Level::parse(word).ok_or_else(|| {
                fail(format!(
                    "rules.{id} = \"{word}\": expected \"off\", \"warning\" or \"error\""
                ))
            })?;
            settings.levels.insert(rule.id(), level);
        }
        for (name, &version) in &config.lint.versions {
            let dialect: Dialect = name
                .parse()
                .map_err(|e: String| fail(format!("versions: {e}")))?;
            let version = u32::try_from(version)
                .ok()
                .filter(|v| (1..=1000).contains(v))
                .ok_or_else(|| {
                    fail(format!(
                        "versions.{name} = {version}: expected a major version such as 15"
                    ))
                })?;
            settings.versions.insert(dialect, version);
        }
        if let Some(word) = &config.lint.fail_on {
            settings.fail_on = match Level::parse(word) {
                Some(Level::On(s)) => Some(s),
                _ => {
                    return Err(fail(format!(
                        "fail_on = \"{word}\": expected \"warning\" or \"error\""
                    )))
                }
            };
        }
        Ok(settings)
    }

    /// The level of `rule`: as configured, else on at its default severity.
    pub fn level(&self, rule: &dyn Rule) -> Level {
        self.levels
            .get(rule.id())
            .copied()
            .unwrap_or(Level::On(rule.default_severity()))
    }

    /// The severity `rule` reports at (its default when it is off).
    pub fn severity(&self, rule: &dyn Rule) -> Severity {
        match self.level(rule) {
            Level::On(s) => s,
            Level::Off => rule.default_severity(),
        }
    }

    /// The rules that run, in registry order.
    pub fn enabled(&self) -> Vec<&'static dyn Rule> {
        all_rules()
            .iter()
            .copied()
            .filter(|r| self.level(*r) != Level::Off)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Result<Settings, Error> {
        let config = Config::parse(text, "ddlc.toml".into(), "/p".into())?;
        Settings::from_config(&config)
    }

    #[test]
    fn rules_are_turned_off_or_raised_by_id() {
        let s = config("[lint]\nfail_on = \"warning\"\n[lint.rules]\ndrop-table = \"error\"\nrename-column = \"off\"\n").unwrap();
        let drop = super::super::rule("drop-table").unwrap();
        let rename = super::super::rule("rename-column").unwrap();
        assert_eq!(s.level(drop), Level::On(Severity::Error));
        assert_eq!(s.level(rename), Level::Off);
        assert!(!s.enabled().iter().any(|r| r.id() == "rename-column"));
        assert_eq!(s.fail_on, Some(Severity::Warning));
    }

    #[test]
    fn versions_are_major_versions_of_known_dialects() {
        let s = config("[lint.versions]\npostgresql = 10\n").unwrap();
        assert_eq!(s.versions.get(&Dialect::DEFAULT), Some(&10));
        let e = config("[lint.versions]\npostgres = 10\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("[lint] versions:"), "{e}");
        let e = config("[lint.versions]\npostgresql = 0\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("versions.postgresql = 0"), "{e}");
    }

    #[test]
    fn an_unknown_rule_or_level_is_an_error_naming_the_file() {
        let e = config("[lint.rules]\ndrop-tabel = \"off\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("ddlc.toml: [lint] rules: no rule `drop-tabel`"),
            "{e}"
        );
        assert!(e.contains("did you mean `drop-table`?"), "{e}");
        let e = config("[lint.rules]\ndrop-table = \"loud\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("rules.drop-table = \"loud\""), "{e}");
        let e = config("[lint]\nfail_on = \"off\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("fail_on = \"off\""), "{e}");
    }
}

//! Constraint and index names from the project's naming convention
//! (SQLAlchemy's placeholders: `%(table_name)s`, `%(column_0_name)s`, ...).
//!
//! `resolve` calls [`Convention::name`] for every constraint and index the user
//! left unnamed, and, as SQLAlchemy does, for those the user named when the
//! project's ddlc.toml sets the kind's template and it uses `%(constraint_name)s`
//! ([`Convention::takes_given_names`]): `ck = "ck_%(table_name)s_%(constraint_name)s"`
//! makes `check positive (..)` on `account` into `ck_account_positive`, unless
//! the name is written `conv(positive)`. ddlc's own default templates only name
//! what the author left unnamed: a name the author wrote is kept as written.
//! Names are not truncated here: lowering does that per dialect.

use indexmap::IndexMap;

/// The naming convention, one template per object kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Convention {
    /// Indexes: `ix_%(column_0_label)s`.
    pub ix: String,
    /// Unique constraints: `uq_%(table_name)s_%(column_0_name)s`.
    pub uq: String,
    /// Check constraints: `ck_%(table_name)s_%(constraint_name)s`.
    pub ck: String,
    /// Foreign keys: `fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s`.
    pub fk: String,
    /// Primary keys: `pk_%(table_name)s`.
    pub pk: String,
    /// The kinds whose template the project set (SQLAlchemy applies a
    /// convention to given names only where one was configured).
    pub configured: Vec<Kind>,
}

impl Default for Convention {
    fn default() -> Convention {
        Convention {
            ix: "ix_%(column_0_label)s".into(),
            uq: "uq_%(table_name)s_%(column_0_name)s".into(),
            ck: "ck_%(table_name)s_%(constraint_name)s".into(),
            fk: "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s".into(),
            pk: "pk_%(table_name)s".into(),
            configured: Vec::new(),
        }
    }
}

/// Which template of the convention to use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Index (`ix`).
    Index,
    /// Unique constraint (`uq`).
    Unique,
    /// Check constraint (`ck`).
    Check,
    /// Foreign key (`fk`).
    ForeignKey,
    /// Primary key (`pk`).
    PrimaryKey,
}

/// What a name is made from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parts<'a> {
    /// The table (without schema).
    pub table: &'a str,
    /// The constrained / indexed columns, in order.
    pub columns: Vec<&'a str>,
    /// Referenced table (foreign keys).
    pub referred_table: &'a str,
    /// Referenced columns (foreign keys).
    pub referred_columns: Vec<&'a str>,
    /// `%(constraint_name)s`: for an unnamed CHECK, a short name derived from its expression.
    pub constraint_name: &'a str,
}

/// The placeholders SQLAlchemy knows (for `column_0` and `referred_column_0`:
/// `_name`, `_key`, `_label`, each also as `0N` (joined without separator) and
/// `0_N` (joined with `_`)).
const PLACEHOLDERS: &[&str] = &[
    "table_name",
    "referred_table_name",
    "constraint_name",
    "column_0_name",
    "column_0N_name",
    "column_0_N_name",
    "column_0_key",
    "column_0N_key",
    "column_0_N_key",
    "column_0_label",
    "column_0N_label",
    "column_0_N_label",
    "referred_column_0_name",
    "referred_column_0N_name",
    "referred_column_0_N_name",
    "referred_column_0_key",
    "referred_column_0N_key",
    "referred_column_0_N_key",
];

impl Convention {
    /// Reads `[naming]` from ddlc.toml: keys `ix`, `uq`, `ck`, `fk`, `pk`; the
    /// ones not given keep their default. Unknown keys and placeholders are errors.
    pub fn from_map(map: &IndexMap<String, String>) -> Result<Convention, String> {
        let mut c = Convention::default();
        for (key, template) in map {
            let (slot, kind) = match key.as_str() {
                "ix" => (&mut c.ix, Kind::Index),
                "uq" => (&mut c.uq, Kind::Unique),
                "ck" => (&mut c.ck, Kind::Check),
                "fk" => (&mut c.fk, Kind::ForeignKey),
                "pk" => (&mut c.pk, Kind::PrimaryKey),
                _ => {
                    return Err(format!(
                        "unknown naming convention key `{key}` (expected ix, uq, ck, fk or pk)"
                    ))
                }
            };
            check_template(key, template)?;
            *slot = template.clone();
            if !c.configured.contains(&kind) {
                c.configured.push(kind);
            }
        }
        Ok(c)
    }

    /// The template for one kind.
    pub fn template(&self, kind: Kind) -> &str {
        match kind {
            Kind::Index => &self.ix,
            Kind::Unique => &self.uq,
            Kind::Check => &self.ck,
            Kind::ForeignKey => &self.fk,
            Kind::PrimaryKey => &self.pk,
        }
    }

    /// The name of an unnamed constraint or index, or (with
    /// `parts.constraint_name` set to it) of a named one whose template takes
    /// given names.
    pub fn name(&self, kind: Kind, parts: &Parts<'_>) -> String {
        expand(self.template(kind), |ph| value(ph, parts)).unwrap_or_default()
    }

    /// True when the project set the template for `kind` and it uses
    /// `%(constraint_name)s`: a name the user gives then goes through it, as in
    /// SQLAlchemy (unless written `conv(name)`).
    pub fn takes_given_names(&self, kind: Kind) -> bool {
        self.configured.contains(&kind) && self.template(kind).contains("%(constraint_name)s")
    }

    /// The name `kind`'s template makes of the name `given` on `table` where
    /// only those two are known (a drop): Err with the first placeholder that
    /// needs more (the columns of the dropped constraint, say).
    pub fn name_for_drop(&self, kind: Kind, table: &str, given: &str) -> Result<String, String> {
        expand(self.template(kind), |ph| match ph {
            "table_name" => Ok(table.to_string()),
            "constraint_name" => Ok(given.to_string()),
            other => Err(other.to_string()),
        })
    }
}

impl Kind {
    /// The kind `drop_constraint ... type <word>` names.
    pub fn of_word(word: &str) -> Option<Kind> {
        let words = crate::ir::ConstraintKind::TYPE_WORDS;
        words
            .iter()
            .position(|w| *w == word)
            .map(|i| Kind::CONSTRAINTS[i])
    }

    /// Every constraint kind (not indexes), in `type` keyword order.
    pub const CONSTRAINTS: [Kind; 4] = [
        Kind::PrimaryKey,
        Kind::Unique,
        Kind::Check,
        Kind::ForeignKey,
    ];
}

/// Checks that every `%(...)s` in a template is known.
fn check_template(key: &str, template: &str) -> Result<(), String> {
    expand(template, |ph| {
        PLACEHOLDERS.contains(&ph).then(String::new).ok_or_else(|| {
            format!(
                "unknown placeholder `%({ph})s` in naming convention `{key}` (known: {})",
                PLACEHOLDERS.join(", ")
            )
        })
    })
    .map(|_| ())
}

/// Replaces each `%(name)s` with `f(name)`; an unclosed `%(` is an error.
fn expand(
    template: &str,
    mut f: impl FnMut(&str) -> Result<String, String>,
) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(i) = rest.find("%(") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let Some(j) = after.find(")s") else {
            return Err(format!("unclosed placeholder in `{template}`"));
        };
        out.push_str(&f(&after[..j])?);
        rest = &after[j + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

fn value(ph: &str, p: &Parts<'_>) -> Result<String, String> {
    let (cols, table, rest) = match ph.strip_prefix("referred_column_0") {
        Some(rest) => (&p.referred_columns, p.referred_table, rest),
        None => match ph.strip_prefix("column_0") {
            Some(rest) => (&p.columns, p.table, rest),
            None => {
                return Ok(match ph {
                    "table_name" => p.table.to_string(),
                    "referred_table_name" => p.referred_table.to_string(),
                    "constraint_name" => p.constraint_name.to_string(),
                    _ => String::new(),
                })
            }
        },
    };
    let label = |c: &&str| format!("{table}_{c}");
    let first = cols.first();
    Ok(match rest {
        "_name" | "_key" => first.map(|c| c.to_string()).unwrap_or_default(),
        "_label" => first.map(label).unwrap_or_default(),
        // SQLAlchemy: `0N` joins without a separator, `0_N` with `_`.
        "N_name" | "N_key" => cols.concat(),
        "_N_name" | "_N_key" => cols.join("_"),
        "N_label" => cols.iter().map(label).collect::<String>(),
        "_N_label" => cols.iter().map(label).collect::<Vec<_>>().join("_"),
        _ => String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts() -> Parts<'static> {
        Parts {
            table: "account",
            columns: vec!["bank_id", "branch"],
            referred_table: "bank",
            referred_columns: vec!["id", "code"],
            constraint_name: "positive",
        }
    }

    #[test]
    fn expands_every_placeholder() {
        let cases = [
            ("%(table_name)s", "account"),
            ("%(column_0_name)s", "bank_id"),
            ("%(column_0_label)s", "account_bank_id"),
            ("%(column_0N_name)s", "bank_idbranch"),
            ("%(column_0_N_name)s", "bank_id_branch"),
            ("%(column_0_N_label)s", "account_bank_id_account_branch"),
            ("%(referred_table_name)s", "bank"),
            ("%(referred_column_0_name)s", "id"),
            ("%(referred_column_0_N_name)s", "id_code"),
            ("%(constraint_name)s", "positive"),
            (
                "x_%(table_name)s_%(column_0_name)s_y",
                "x_account_bank_id_y",
            ),
        ];
        for (template, want) in cases {
            let c = Convention {
                ix: template.into(),
                ..Convention::default()
            };
            assert_eq!(c.name(Kind::Index, &parts()), want, "{template}");
        }
    }

    #[test]
    fn defaults_match_sqlalchemy_recipe() {
        let c = Convention::default();
        assert_eq!(c.name(Kind::Index, &parts()), "ix_account_bank_id");
        assert_eq!(c.name(Kind::Unique, &parts()), "uq_account_bank_id");
        assert_eq!(
            c.name(Kind::ForeignKey, &parts()),
            "fk_account_bank_id_bank"
        );
        assert_eq!(c.name(Kind::PrimaryKey, &parts()), "pk_account");
        assert_eq!(c.name(Kind::Check, &parts()), "ck_account_positive");
    }

    #[test]
    fn from_map_overrides_and_rejects() {
        let mut m = IndexMap::new();
        m.insert("pk".to_string(), "%(table_name)s_pkey".to_string());
        let c = Convention::from_map(&m).unwrap();
        assert_eq!(c.pk, "%(table_name)s_pkey");
        assert_eq!(c.ix, Convention::default().ix);

        let bad = [
            ("zz", "x", "unknown naming convention key `zz`"),
            (
                "ix",
                "ix_%(colum_0_name)s",
                "unknown placeholder `%(colum_0_name)s`",
            ),
            ("ix", "ix_%(table_name", "unclosed placeholder"),
        ];
        for (k, v, want) in bad {
            let mut m = IndexMap::new();
            m.insert(k.to_string(), v.to_string());
            let err = Convention::from_map(&m).unwrap_err();
            assert!(err.contains(want), "{err}");
        }
    }
}

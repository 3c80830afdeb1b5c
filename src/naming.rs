//! Constraint and index names from the project's naming convention
//! (SQLAlchemy's placeholders: `%(table_name)s`, `%(column_0_name)s`, ...).

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
}

impl Default for Convention {
    fn default() -> Convention {
        Convention {
            ix: "ix_%(column_0_label)s".into(),
            uq: "uq_%(table_name)s_%(column_0_name)s".into(),
            ck: "ck_%(table_name)s_%(constraint_name)s".into(),
            fk: "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s".into(),
            pk: "pk_%(table_name)s".into(),
        }
    }
}

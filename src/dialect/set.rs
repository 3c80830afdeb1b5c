//! A set of dialects: what an `only (...)` block or qualifier applies to.

use super::Dialect;
use std::fmt;

/// A set of [`Dialect`]s, as a bit per dialect of [`Dialect::ALL`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct DialectSet(u8);

impl DialectSet {
    /// No dialect.
    pub const EMPTY: DialectSet = DialectSet(0);
    /// Every dialect.
    pub const ALL: DialectSet = DialectSet((1 << Dialect::ALL.len()) - 1);

    fn bit(d: Dialect) -> u8 {
        let i = Dialect::ALL.iter().position(|&x| x == d).unwrap_or(0);
        1 << i
    }

    /// The set holding `d` alone.
    pub fn one(d: Dialect) -> DialectSet {
        DialectSet(Self::bit(d))
    }

    /// This set with `d` added.
    pub fn with(self, d: Dialect) -> DialectSet {
        DialectSet(self.0 | Self::bit(d))
    }

    /// Whether `d` is in the set.
    pub fn contains(self, d: Dialect) -> bool {
        self.0 & Self::bit(d) != 0
    }

    /// The dialects in both sets.
    pub fn and(self, other: DialectSet) -> DialectSet {
        DialectSet(self.0 & other.0)
    }

    /// The dialects not in this set.
    pub fn complement(self) -> DialectSet {
        DialectSet(!self.0 & Self::ALL.0)
    }

    /// Whether the set holds no dialect.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The dialects of the set, in [`Dialect::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Dialect> {
        Dialect::ALL.into_iter().filter(move |&d| self.contains(d))
    }
}

impl FromIterator<Dialect> for DialectSet {
    fn from_iter<I: IntoIterator<Item = Dialect>>(iter: I) -> DialectSet {
        iter.into_iter().fold(DialectSet::EMPTY, DialectSet::with)
    }
}

/// `postgresql, sqlite`: the names, in [`Dialect::ALL`] order.
impl fmt::Display for DialectSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(Dialect::name).collect();
        f.write_str(&names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_hold_what_was_put_in_and_complement_within_the_six() {
        let s: DialectSet = [Dialect::PostgreSql, Dialect::Sqlite].into_iter().collect();
        assert!(s.contains(Dialect::Sqlite) && !s.contains(Dialect::MySql));
        assert_eq!(s.to_string(), "postgresql, sqlite");
        assert_eq!(s.complement().iter().count(), 4);
        assert!(s.and(s.complement()).is_empty());
        assert_eq!(s.complement().complement(), s);
        assert_eq!(DialectSet::ALL.iter().count(), 6);
    }
}

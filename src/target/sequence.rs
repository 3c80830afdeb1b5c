//! Sequences and identities in a dump: `CREATE SEQUENCE` and `ALTER
//! SEQUENCE .. OWNED BY` (read by their words: sqlparser reads sequence
//! options in one order only and has no ALTER SEQUENCE), a `serial` column
//! (its own sequence's `nextval` as default) read as an identity, and
//! identity options in any order.

use super::ddl::Reader;
use super::unsupported;
use crate::diag::Diagnostic;
use crate::ir::{CreateSequence, Identity, QualifiedName};
use crate::source::Span;
use sqlparser::ast as sql;

impl Reader<'_> {
    /// A column whose default is the `nextval` of a sequence it owns is a
    /// `serial`: an identity, and its sequence is the engine's.
    pub(super) fn serials(&mut self) {
        let owned = std::mem::take(&mut self.owned);
        let default_schema = self.dialect.rules().default_schema();
        let key = |q: &QualifiedName| match &q.schema {
            Some(s) if Some(s.name.as_str()) != default_schema => q.key(),
            _ => q.name.name.clone(),
        };
        for (seq, (table, column)) in owned {
            let Some(col) = self
                .tables
                .get_mut(&table)
                .and_then(|t| t.columns.iter_mut().find(|c| c.name.name == column))
            else {
                continue;
            };
            if matches!(&col.default, Some(crate::ir::DefaultValue::NextVal(q)) if key(q) == seq) {
                col.default = None;
                col.identity = Some(Box::default());
                self.sequences.shift_remove(&seq);
            }
        }
        for t in self.tables.values_mut() {
            for c in &mut t.columns {
                if let Some(crate::ir::DefaultValue::NextVal(q)) = &mut c.default {
                    if q.schema.as_ref().map(|s| s.name.as_str())
                        == self.dialect.rules().default_schema()
                    {
                        q.schema = None;
                    }
                }
            }
        }
    }

    /// The key of a sequence named in a `nextval`, the default schema dropped.
    fn sequence_key(&self, q: &QualifiedName) -> String {
        match &q.schema {
            Some(s) if Some(s.name.as_str()) != self.dialect.rules().default_schema() => q.key(),
            _ => q.name.name.clone(),
        }
    }

    /// `ALTER SEQUENCE seq OWNED BY table.column`, read by its words (sqlparser
    /// has no ALTER SEQUENCE).
    pub fn sequence_owned(&mut self, words: &[&str], span: Span) -> Result<(), Diagnostic> {
        let [_, _, seq, owned, by, owner] = words else {
            return Err(unsupported(
                "an `ALTER SEQUENCE` other than `OWNED BY table.column`",
                span,
            ));
        };
        if !owned.eq_ignore_ascii_case("OWNED") || !by.eq_ignore_ascii_case("BY") {
            return Err(unsupported(
                "an `ALTER SEQUENCE` other than `OWNED BY table.column`",
                span,
            ));
        }
        let seq = self.sequence_key(&super::value::seq_name(seq, span));
        let Some((table, column)) = owner.rsplit_once('.') else {
            return Ok(()); // OWNED BY NONE
        };
        let table = self.sequence_key(&super::value::seq_name(table, span));
        self.owned
            .insert(seq, (table, column.trim_matches('"').to_string()));
        Ok(())
    }

    /// `CREATE SEQUENCE name [AS type] options`, by its words.
    pub fn create_sequence(&mut self, words: &[&str], span: Span) {
        let name = super::value::seq_name(words[2], span);
        let name = match &name.schema {
            Some(s) if Some(s.name.as_str()) == self.dialect.rules().default_schema() => {
                QualifiedName::bare(name.name)
            }
            _ => name,
        };
        let mut id = Identity::default();
        let upper: Vec<String> = words[3..].iter().map(|w| w.to_ascii_uppercase()).collect();
        identity_words(&mut id, &upper);
        self.sequences.insert(
            name.key(),
            CreateSequence {
                name,
                start: id.start,
                increment: id.increment,
            },
        );
    }
}

/// An identity from `GENERATED .. AS IDENTITY (options)`: options at the
/// engine's defaults (start 1, step 1, cache 1) are left unset.
pub(super) fn identity(
    generated: Option<&sql::GeneratedAs>,
    options: Option<&[sql::SequenceOptions]>,
) -> Identity {
    let mut id = Identity {
        always: matches!(generated, Some(sql::GeneratedAs::Always)),
        ..Identity::default()
    };
    let number = |e: &sql::Expr| e.to_string().parse::<i64>().ok();
    for o in options.unwrap_or_default() {
        match o {
            sql::SequenceOptions::StartWith(e, _) => id.start = number(e).filter(|&n| n != 1),
            sql::SequenceOptions::IncrementBy(e, _) => id.increment = number(e).filter(|&n| n != 1),
            sql::SequenceOptions::Cache(e) => id.cache = number(e).filter(|&n| n != 1),
            sql::SequenceOptions::Cycle(c) => id.cycle = *c,
            sql::SequenceOptions::MinValue(e) => id.minvalue = e.as_ref().and_then(number),
            sql::SequenceOptions::MaxValue(e) => id.maxvalue = e.as_ref().and_then(number),
        }
    }
    id
}

/// Identity options as words (`START WITH 5 INCREMENT BY 2 NO MINVALUE
/// CACHE 1 CYCLE`), in any order; values at the engine's defaults are left unset.
pub fn identity_words(id: &mut Identity, words: &[String]) {
    let number = |i: usize| words.get(i).and_then(|w| w.parse::<i64>().ok());
    for (i, w) in words.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| words[p].as_str());
        match w.as_str() {
            "START" => id.start = number(i + 2).or(number(i + 1)).filter(|&n| n != 1),
            "INCREMENT" => id.increment = number(i + 2).or(number(i + 1)).filter(|&n| n != 1),
            "CACHE" => id.cache = number(i + 1).filter(|&n| n != 1),
            "MINVALUE" if prev != Some("NO") => id.minvalue = number(i + 1),
            "MAXVALUE" if prev != Some("NO") => id.maxvalue = number(i + 1),
            "CYCLE" => id.cycle = prev != Some("NO"),
            _ => {}
        }
    }
}

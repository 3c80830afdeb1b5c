//! The rules, one file each (its tests beside it), and [`ALL`], the one
//! list the registry, ddlc.toml, suppressions, SARIF and docs/lint.md read.

mod add_not_null_column;
mod add_unique_constraint;
mod alter_column_type;
mod constraint_without_not_valid;
mod downgrade_incomplete;
mod drop_column;
mod drop_constraint;
mod drop_enum_value;
mod drop_table;
mod execute_destructive;
mod execute_unchecked;
mod foreign_key_without_index;
mod identifier_too_long;
mod index_not_online;
mod index_without_concurrently;
mod invalid_suppression;
mod irreversible_without_reason;
mod missing_lock_timeout;
pub(crate) mod released_migration_edited;
mod rename_column;
mod rename_table;
mod set_not_null;
mod table_rebuild;
mod unbounded_data_change;
mod unused_suppression;
mod volatile_default;

use super::Rule;

/// The id of the rule that reads ddlc.sum (run once per lint, not per dialect).
pub(crate) const RELEASED_EDITED: &str = "released-migration-edited";

/// Every rule, in the order docs/lint.md documents them.
pub static ALL: &[&dyn Rule] = &[
    &drop_table::DropTable,
    &drop_column::DropColumn,
    &drop_constraint::DropConstraint,
    &drop_enum_value::DropEnumValue,
    &rename_table::RenameTable,
    &rename_column::RenameColumn,
    &add_not_null_column::AddNotNullColumn,
    &volatile_default::VolatileDefault,
    &set_not_null::SetNotNull,
    &alter_column_type::AlterColumnType,
    &constraint_without_not_valid::ConstraintWithoutNotValid,
    &index_without_concurrently::IndexWithoutConcurrently,
    &index_not_online::IndexNotOnline,
    &missing_lock_timeout::MissingLockTimeout,
    &add_unique_constraint::AddUniqueConstraint,
    &table_rebuild::TableRebuild,
    &foreign_key_without_index::ForeignKeyWithoutIndex,
    &identifier_too_long::IdentifierTooLong,
    &irreversible_without_reason::IrreversibleWithoutReason,
    &downgrade_incomplete::DowngradeIncomplete,
    &released_migration_edited::ReleasedMigrationEdited,
    &unbounded_data_change::UnboundedDataChange,
    &execute_destructive::ExecuteDestructive,
    &execute_unchecked::ExecuteUnchecked,
    &unused_suppression::UnusedSuppression,
    &invalid_suppression::InvalidSuppression,
];

/// The statements of an `execute` op's body for the linted dialect, parsed
/// as that engine reads them, with the body's span; None when the op has no
/// body for the dialect or the body does not parse (resolve reported that).
pub(super) fn execute_statements(
    e: &crate::ir::Execute,
    cx: &super::Cx,
) -> Option<(Vec<sqlparser::ast::Statement>, crate::source::Span)> {
    let body = cx.dialect.pick(&e.variants).or(e.default.as_ref())?;
    let grammar = cx.rules.sqlparser_grammar();
    let statements = sqlparser::parser::Parser::parse_sql(grammar.as_ref(), &body.text).ok()?;
    Some((statements, body.span))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_with_a_summary() {
        let mut seen = std::collections::BTreeSet::new();
        for r in ALL {
            assert!(seen.insert(r.id()), "{} twice", r.id());
            assert!(
                r.id().bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}",
                r.id()
            );
            assert!(!r.summary().is_empty());
        }
    }
}

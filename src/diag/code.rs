//! The registry of diagnostic codes: each code is declared once here, with its
//! kebab-case id (printed as `error[id]`, used in JSON output and as the name
//! of its fixture) and a one-line meaning. docs/errors.md is generated from
//! this table and kept in step by a test, like rustc's error index.

macro_rules! codes {
    ($($variant:ident = $id:literal : $meaning:literal,)*) => {
        /// A diagnostic code. Every diagnostic carries exactly one.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(#[doc = $meaning] $variant,)*
        }

        impl Code {
            /// Every code, in registry order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable kebab-case id: `unknown-table`.
            pub fn id(self) -> &'static str {
                match self { $(Code::$variant => $id,)* }
            }

            /// What the code means, in one line.
            pub fn meaning(self) -> &'static str {
                match self { $(Code::$variant => $meaning,)* }
            }
        }
    };
}

codes! {
    // --- reading files ---
    InvalidUtf8 = "invalid-utf8": "a migration file is not valid UTF-8",
    FileTooLarge = "file-too-large": "a migration file is larger than the 8 MiB ddlc reads",
    EmptyFile = "empty-file": "a migration file holds no tokens (empty, or only comments)",
    UnreadableMigration = "unreadable-migration": "an entry named *.mig cannot be read as a file (a folder, a dangling or looping symlink, no permission)",
    RefusedCharacter = "refused-character": "a character refused anywhere in a file (NUL, controls, bidirectional overrides, line separators)",
    // --- syntax ---
    UnexpectedToken = "unexpected-token": "a token that does not fit the grammar at this place",
    UnexpectedEof = "unexpected-eof": "the file ends in the middle of something",
    UnterminatedString = "unterminated-string": "a quote is never closed",
    TooManyErrors = "too-many-errors": "a file has more than 100 syntax errors; the rest is not read",
    InternalError = "internal-error": "ddlc itself went wrong (a bug): please report it with the input",
    UnknownOp = "unknown-op": "a word that is not an operation",
    UnknownType = "unknown-type": "a word that is not a ddlc type",
    UnknownAttribute = "unknown-attribute": "a word that is not a column attribute or alter_column change",
    UnknownDialect = "unknown-dialect": "a word that is not one of the six dialects",
    UnknownOption = "unknown-option": "an option not known for this op and dialect",
    InvalidOptionValue = "invalid-option-value": "an option value outside the values the option takes",
    BadOption = "bad-option": "a table option value that is not a plain word",
    InvalidNumber = "invalid-number": "a number out of range or not a whole number where one is needed",
    InvalidIdentifier = "invalid-identifier": "a name that is empty, holds an invisible or control character, or that the dialect or its client cannot take",
    NameTooLong = "name-too-long": "a written name longer than the dialect's identifier limit",
    InvalidText = "invalid-text": "a literal or comment the dialect cannot store as written",
    InvalidSql = "invalid-sql": "an SQL fragment (default, check, where, index expression, using) that does not parse",
    InvalidExecuteSql = "invalid-execute-sql": "an `execute` body that does not parse for its dialect",
    UnsafeSql = "unsafe-sql": "SQL that the dialect or its client would read differently from what ddlc checked",
    // --- headers and the revision graph ---
    MissingHeader = "missing-header": "a revision without `revision`, `revises` or `message`",
    DuplicateHeader = "duplicate-header": "a header line given twice",
    NeedsReview = "needs-review": "a `review` block: code `ddlc import` could not translate, for a person to write as ops",
    InvalidBaseline = "invalid-baseline": "a `baseline` revision that does not revise base, holds data ops or `execute`, or has a downgrade of its own",
    InvalidRevisionId = "invalid-revision-id": "a revision id that targets could not name (empty, `base`, `head`, or holding `:@,+-`, spaces or controls)",
    RevisionIdTooLong = "revision-id-too-long": "a revision id longer than the version table's column",
    InvalidLabel = "invalid-label": "a branch label that targets could not name",
    DuplicateRevision = "duplicate-revision": "two files declare the same revision id",
    DuplicateParent = "duplicate-parent": "a revision lists the same parent twice",
    DuplicateLabel = "duplicate-label": "two revisions carry the same branch label",
    UnknownParent = "unknown-parent": "a revision revises an id no file declares",
    RevisionCycle = "revision-cycle": "revisions revise each other in a cycle",
    NoBase = "no-base": "no revision revises base",
    NoRevisions = "no-revisions": "the project has no revisions",
    // --- targets ---
    UnknownRevision = "unknown-revision": "a target names no revision",
    AmbiguousRevision = "ambiguous-revision": "a target prefix matches several revisions",
    UnknownLabel = "unknown-label": "a target names a branch label no revision has",
    MultipleHeads = "multiple-heads": "`head` was asked for where there are several heads",
    AmbiguousWalk = "ambiguous-walk": "a relative step (`+1`, `-1`) meets a branch or a merge",
    WalkedTooFar = "walked-too-far": "a relative step goes beyond base or a head",
    NotInBranch = "not-in-branch": "a target is not on the branch its label names",
    InvalidTarget = "invalid-target": "a target that is not a revision, label, relative step or range",
    InvalidRange = "invalid-range": "a range whose ends are not related",
    MissingStart = "missing-start": "a downgrade or range without its start",
    NotAnUpgrade = "not-an-upgrade": "an upgrade range that goes down",
    NotADowngrade = "not-a-downgrade": "a downgrade range that goes up",
    NotAHead = "not-a-head": "`merge` or `new --head` names a revision that is not a head",
    NothingToMerge = "nothing-to-merge": "`merge` was given fewer than two heads",
    MergeOfAncestor = "merge-of-ancestor": "`merge` was given a head and one of its ancestors",
    // --- the schema model ---
    UnknownTable = "unknown-table": "a name refers to a table the schema model does not have at that point",
    UnknownColumn = "unknown-column": "a name refers to a column the table does not have at that point",
    UnknownConstraint = "unknown-constraint": "a name refers to a constraint the table does not have",
    UnknownIndex = "unknown-index": "a name refers to an index the schema model does not have",
    UnknownSequence = "unknown-sequence": "a name refers to a sequence the schema model does not have",
    DuplicateTable = "duplicate-table": "a table that already exists is created",
    DuplicateColumn = "duplicate-column": "a column that already exists is added (or two columns share a name)",
    DuplicateConstraint = "duplicate-constraint": "a constraint name already used on the table",
    DuplicateIndex = "duplicate-index": "an index name already used in the schema",
    DuplicateSequence = "duplicate-sequence": "a sequence that already exists is created",
    DuplicatePrimaryKey = "duplicate-primary-key": "a second primary key on one table",
    DuplicateAttribute = "duplicate-attribute": "an attribute, option or change given twice",
    ConflictingAttributes = "conflicting-attributes": "attributes that exclude each other (`default` with `computed`, `primary_key` with `null`)",
    EmptyTable = "empty-table": "`create_table` without columns",
    DropLastColumn = "drop-last-column": "dropping the only column of a table",
    ColumnInUse = "column-in-use": "dropping a column that something wider also uses (a multi-column key, another table's foreign key, a computed column)",
    TableReferenced = "table-referenced": "dropping a table that another table's foreign key references",
    UnknownView = "unknown-view": "a name refers to a view the schema model does not have",
    DuplicateView = "duplicate-view": "a view is created under the name of a view or table that exists",
    UsedByView = "used-by-view": "dropping, renaming or retyping a table, column or view that a view reads",
    UnknownRoutine = "unknown-routine": "a name refers to a function, procedure or trigger the schema model does not have",
    DuplicateRoutine = "duplicate-routine": "a function, procedure or trigger that exists is created",
    TableHasTrigger = "table-has-trigger": "dropping or renaming a table that a trigger of the model is on",
    EnumMismatch = "enum-mismatch": "two columns give one enum type different values",
    UnknownEnum = "unknown-enum": "an enum op names an enum type no column uses, or a value the enum does not have",
    DuplicateEnumValue = "duplicate-enum-value": "an enum op adds a value the enum already has (or renames one to it)",
    EnumValueInUse = "enum-value-in-use": "dropping an enum value that is the last one, or that a column's default uses",
    RowArity = "row-arity": "a `bulk_insert` row with the wrong number of values",
    BulkInsertRowLength = "bulk-insert-row-length": "a `bulk_insert` row longer or shorter than its column list",
    FkArity = "fk-arity": "a foreign key whose column lists differ in length",
    ForeignKeyColumnCount = "foreign-key-column-count": "a foreign key that names a different number of columns than the key it references",
    NamingConvention = "naming-convention": "a naming-convention template cannot make the name asked for (a drop needs columns the template uses)",
    AmbiguousConstraint = "ambiguous-constraint": "a drop without `type` that two convention templates fit",
    // --- downgrades ---
    IrreversibleOp = "irreversible-op": "`downgrade auto` cannot invert this op",
    IrreversibleRevision = "irreversible-revision": "a downgrade crosses a revision declared irreversible",
    DowngradeIncomplete = "downgrade-incomplete": "a hand-written downgrade does not bring the schema back to what it was before its revision (`ddlc check`; a warning with `--allow-incomplete-downgrades`)",
    // --- dialects ---
    UnsupportedOp = "unsupported-op": "the dialect cannot do what this op asks",
    UnsupportedOption = "unsupported-option": "the dialect cannot express an option of this op",
    UnsupportedType = "unsupported-type": "the dialect has no type for this portable type",
    TemplateError = "template-error": "a template failed to render (a bug in a template, or in an override): an error that exits 2, naming the op being lowered",
    // --- the integrity lock (ddlc.sum) ---
    SumMissing = "sum-missing": "the project has no ddlc.sum: edits to released revisions go unnoticed",
    SumMalformed = "sum-malformed": "a line of ddlc.sum is not a lock line",
    SumTampered = "sum-tampered": "ddlc.sum's own hash does not match its lines (edited by hand)",
    SumEdited = "sum-edited": "a locked revision file was edited",
    SumRemoved = "sum-removed": "a locked revision file is gone",
    SumAdded = "sum-added": "a revision file is not in ddlc.sum yet",
    SumRenamed = "sum-renamed": "a locked revision file was renamed",
    SumReordered = "sum-reordered": "locked revisions changed their order",
    SumInserted = "sum-inserted": "a new revision runs before a locked one",
    // --- the linter ---
    Lint = "lint": "a migration-safety finding of `ddlc lint` (and `ddlc check`), printed under its rule's id: `warning[drop-column]`; the rules are in docs/lint.md",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// Lets tests and tools compare a code with its id: `d.code == "unknown-table"`.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.id() == *other
    }
}

/// The same comparison the other way round: `"unknown-table" == d.code`.
impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.id()
    }
}

/// A code against an id held in a `String`.
impl PartialEq<String> for Code {
    fn eq(&self, other: &String) -> bool {
        self.id() == other
    }
}

impl Code {
    /// The code with this id.
    pub fn from_id(id: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.id() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_and_every_code_means_something() {
        let mut seen = std::collections::BTreeSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.id()), "{} twice", c.id());
            assert!(
                c.id()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                c.id()
            );
            assert!(!c.meaning().is_empty());
            assert_eq!(Code::from_id(c.id()), Some(*c));
        }
    }
}

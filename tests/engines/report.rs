//! The printed report: one table per part (Alembic corpus check; ddlc on the example, the
//! corpus scenarios and the op fixtures) with a cell per row x column, a summary line per
//! ddlc dialect, then failures (first error line + failing statement), notes, warnings about
//! engines not run, and the last line `N passed, N failed[, N skipped]`.

use std::collections::BTreeMap;

/// How a note of the mysql dialect on MariaDB that nothing explains starts.
pub const SURPRISING: &str = "(mysql dialect on MariaDB, SURPRISING";
/// How an explained note of the mysql dialect on MariaDB starts.
pub const EXPECTED: &str = "(mysql dialect on MariaDB, EXPECTED";

/// Picks the notes that go into one section of the report.
type NotePick = dyn Fn(&str) -> bool;

/// The result of one row x column test.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// Which table: "self", "alembic", "example", "corpus" or "ops".
    pub part: &'static str,
    /// Row: scenario or project name.
    pub row: String,
    /// Column: engine (alembic) or dialect (ddlc).
    pub column: String,
    /// Short marks for the cell, e.g. `A+ R+ =+`.
    pub marks: Vec<String>,
    /// Failures; any makes the test fail.
    pub failures: Vec<String>,
    /// Things worth reading that are not failures.
    pub notes: Vec<String>,
    /// The engine was not configured: reported loudly, counted as skipped.
    pub not_run: bool,
    /// ddlc: base:head applied (with the right version rows).
    pub applied: bool,
    /// ddlc: every step round-tripped.
    pub round_tripped: bool,
    /// ddlc on a corpus scenario: Some(same schema as Alembic's, listed differences
    /// allowed) when compared.
    pub alembic_equal: Option<bool>,
    /// ddlc: Some(refused with a located diagnostic) where expect.toml says ddlc_rejects.
    pub rejected: Option<bool>,
    /// mysql dialect on MariaDB: notes explained by MySQL 8 syntax MariaDB lacks.
    pub expected_notes: usize,
    /// mysql dialect on MariaDB: notes nothing explains (worth reading).
    pub surprising_notes: usize,
}

impl Outcome {
    /// A fresh outcome for `row` x `column`.
    pub fn new(part: &'static str, row: &str, column: &str) -> Outcome {
        Outcome {
            part,
            row: row.to_string(),
            column: column.to_string(),
            ..Outcome::default()
        }
    }

    /// Adds a mark.
    pub fn mark(&mut self, m: impl Into<String>) {
        self.marks.push(m.into());
    }

    /// Records a failure.
    pub fn fail(&mut self, msg: impl Into<String>) {
        self.failures.push(msg.into());
    }

    /// Records a note.
    pub fn note(&mut self, msg: impl Into<String>) {
        self.notes.push(msg.into());
    }
}

/// Prints everything and returns (passed, failed, skipped).
pub fn print(
    outcomes: &[Outcome],
    warnings: &[String],
    legend: &[(&str, &str)],
) -> (usize, usize, usize) {
    let banner = |w: &[String]| {
        for line in w {
            println!("!!! WARNING: {line}");
        }
    };
    banner(warnings);
    for part in ["self", "alembic", "example", "corpus", "ops"] {
        let rows: Vec<&Outcome> = outcomes.iter().filter(|o| o.part == part).collect();
        if rows.is_empty() {
            continue;
        }
        let (_, title) = legend
            .iter()
            .find(|(p, _)| *p == part)
            .copied()
            .unwrap_or((part, part));
        println!("\n== {title}");
        let mut columns: Vec<String> = Vec::new();
        for o in &rows {
            if !columns.contains(&o.column) {
                columns.push(o.column.clone());
            }
        }
        let mut table: BTreeMap<&str, BTreeMap<&str, String>> = BTreeMap::new();
        for o in &rows {
            let cell = if o.not_run {
                "NOT RUN".to_string()
            } else {
                let status = if !o.failures.is_empty() { "FAIL" } else { "ok" };
                format!("{status} {}", o.marks.join(" "))
            };
            table
                .entry(o.row.as_str())
                .or_default()
                .insert(o.column.as_str(), cell);
        }
        let w0 = table.keys().map(|k| k.len()).max().unwrap_or(8).max(8);
        let widths: Vec<usize> = columns
            .iter()
            .map(|c| {
                table
                    .values()
                    .filter_map(|r| r.get(c.as_str()))
                    .map(String::len)
                    .max()
                    .unwrap_or(0)
                    .max(c.len())
            })
            .collect();
        let mut header = format!("{:w0$}", "");
        for (c, w) in columns.iter().zip(&widths) {
            header.push_str(&format!(" | {c:w$}"));
        }
        println!("{header}");
        for (row, cells) in &table {
            let mut line = format!("{row:w0$}");
            for (c, w) in columns.iter().zip(&widths) {
                let cell = cells.get(c.as_str()).map(String::as_str).unwrap_or("-");
                line.push_str(&format!(" | {cell:w$}"));
            }
            println!("{line}");
        }
    }
    summary(outcomes);
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| !o.failures.is_empty()).collect();
    if !failed.is_empty() {
        println!("\n== Failures");
        for o in &failed {
            println!("-- [{}] {} x {}", o.part, o.row, o.column);
            for f in &o.failures {
                for (i, l) in f.lines().enumerate() {
                    println!("{}{l}", if i == 0 { "   * " } else { "     " });
                }
            }
        }
    }
    // The mysql dialect's notes on MariaDB get their own sections, surprising ones first.
    let sections: [(&str, &NotePick); 3] = [
        (
            "Notes: mysql dialect on MariaDB, SURPRISING (not counted, but read these)",
            &|n| n.starts_with(SURPRISING),
        ),
        (
            "Notes: mysql dialect on MariaDB, expected (MySQL 8 syntax or refusals MariaDB \
             does not need, or failing on the mariadb dialect too)",
            &|n| n.starts_with(EXPECTED),
        ),
        ("Notes", &|n| {
            !n.starts_with(SURPRISING) && !n.starts_with(EXPECTED)
        }),
    ];
    for (title, pick) in sections {
        let noted: Vec<(&Outcome, Vec<&String>)> = outcomes
            .iter()
            .map(|o| (o, o.notes.iter().filter(|n| pick(n)).collect::<Vec<_>>()))
            .filter(|(_, n)| !n.is_empty())
            .collect();
        if noted.is_empty() {
            continue;
        }
        println!("\n== {title}");
        for (o, notes) in &noted {
            println!("-- [{}] {} x {}", o.part, o.row, o.column);
            for n in notes {
                for (i, l) in n.lines().enumerate() {
                    println!("{}{l}", if i == 0 { "   - " } else { "     " });
                }
            }
        }
    }
    let skipped = outcomes.iter().filter(|o| o.not_run).count();
    let failed = failed.len();
    let passed = outcomes.len() - failed - skipped;
    if !warnings.is_empty() {
        println!();
        banner(warnings);
    }
    if skipped > 0 {
        println!("{passed} passed, {failed} failed, {skipped} skipped");
    } else {
        println!("{passed} passed, {failed} failed");
    }
    (passed, failed, skipped)
}

/// One line per ddlc dialect: counts over the example, corpus and op fixture rows.
fn summary(outcomes: &[Outcome]) {
    let ddlc: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| ["example", "corpus", "ops"].contains(&o.part) && !o.not_run)
        .collect();
    if ddlc.is_empty() {
        return;
    }
    let mut columns: Vec<&str> = Vec::new();
    for o in &ddlc {
        if !columns.contains(&o.column.as_str()) {
            columns.push(o.column.as_str());
        }
    }
    println!("\n== Summary per dialect (ddlc)");
    for c in columns {
        let rows: Vec<&&Outcome> = ddlc.iter().filter(|o| o.column == c).collect();
        let runs = rows.iter().filter(|o| o.rejected.is_none()).count();
        let count = |f: &dyn Fn(&Outcome) -> bool| rows.iter().filter(|o| f(o)).count();
        let applied = count(&|o| o.rejected.is_none() && o.applied);
        let tripped = count(&|o| o.rejected.is_none() && o.round_tripped);
        let compared = count(&|o| o.alembic_equal.is_some());
        let equal = count(&|o| o.alembic_equal == Some(true));
        let to_reject = count(&|o| o.rejected.is_some());
        let rejected = count(&|o| o.rejected == Some(true));
        let failed = count(&|o| !o.failures.is_empty());
        let mut line = format!(
            "{c:10} applied {applied}/{runs}, round-tripped {tripped}/{runs}, equal to Alembic \
             {equal}/{compared}, rejected as expected {rejected}/{to_reject}, failed {failed}"
        );
        let expected: usize = rows.iter().map(|o| o.expected_notes).sum();
        let surprising: usize = rows.iter().map(|o| o.surprising_notes).sum();
        if expected + surprising > 0 {
            line.push_str(&format!(
                " (notes, not counted: {expected} expected, {surprising} surprising)"
            ));
        }
        println!("{line}");
    }
}

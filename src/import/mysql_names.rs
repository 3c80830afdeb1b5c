//! The names MySQL and MariaDB give what a `create_table` leaves unnamed, for
//! a project without a naming convention (whose ddlc.toml names them as
//! PostgreSQL does): a foreign key is `<table>_ibfk_<n>`, counted in the
//! order of the CREATE TABLE; a unique key is named for its first column
//! (`<col>_2` when that is taken); a foreign key's column that leads no index
//! gets an index named for the column. Each is written for `mysql, mariadb`
//! only, beside the unqualified form for the other dialects.

use super::table::Column;
use super::text::name;

const MYSQL: &str = "only (mysql, mariadb)";
const OTHERS: &str = "only (postgresql, sqlite, mssql, oracle)";

/// Rewrites the columns and table items of table `t`.
pub fn apply(t: &str, cols: &mut [Column], items: &mut Vec<String>) {
    let mut taken: Vec<String> = vec![];
    let mut leading: Vec<String> = leading_columns(cols, items);
    let mut extra = vec![];
    let mut n = 0;
    for c in cols.iter_mut() {
        if let Some(def) = without_unique(&c.def) {
            c.def = def;
            let k = free(&c.name, &mut taken);
            let cols = super::table::names(std::slice::from_ref(&c.name));
            extra.push(format!("{MYSQL} unique conv({}) {cols}", name(&k)));
            extra.push(format!("{OTHERS} unique {cols}"));
            leading.push(c.name.clone());
        }
        if let Some((at, end)) = unnamed_fk(&c.def) {
            n += 1;
            let fk = c.def[at..end].to_string();
            let named = fk.replacen(
                "references ",
                &format!("references conv({}) ", name(&format!("{t}_ibfk_{n}"))),
                1,
            );
            c.def = format!(
                "{}{MYSQL} {named} {OTHERS} {fk}{}",
                &c.def[..at],
                &c.def[end..]
            );
            if !leading.contains(&c.name) {
                let cols = super::table::names(std::slice::from_ref(&c.name));
                extra.push(format!(
                    "{MYSQL} index conv({}) {cols}",
                    name(&free(&c.name, &mut taken))
                ));
                leading.push(c.name.clone());
            }
        } else if c.def.contains("references ") {
            n += 1;
        }
    }
    for i in items.iter_mut() {
        if let Some(rest) = i.strip_prefix("unique (") {
            let first = first_name(rest);
            let k = free(&first, &mut taken);
            *i = format!(
                "{MYSQL} unique conv({}) ({rest}\n    {OTHERS} {i}",
                name(&k)
            );
        } else if i.starts_with("foreign_key (") {
            n += 1;
            let named = i.replacen(
                "foreign_key ",
                &format!("foreign_key conv({}) ", name(&format!("{t}_ibfk_{n}"))),
                1,
            );
            *i = format!("{MYSQL} {named}\n    {OTHERS} {i}");
        } else if i.starts_with("foreign_key ") {
            n += 1;
        }
    }
    items.extend(extra);
}

/// A name MySQL would take for a key on `col`: `col`, else `col_2`, ...
fn free(col: &str, taken: &mut Vec<String>) -> String {
    let mut k = col.to_string();
    let mut i = 2;
    while taken.contains(&k) {
        k = format!("{col}_{i}");
        i += 1;
    }
    taken.push(k.clone());
    k
}

/// The column definition without its `unique` attribute, if it has one.
fn without_unique(def: &str) -> Option<String> {
    let words: Vec<&str> = def.split(' ').collect();
    let at = words.iter().position(|w| *w == "unique")?;
    // Only the attribute: nothing quoted or parenthesised before it.
    let before = words[..at].join(" ");
    if before.contains('(') && before.matches('(').count() != before.matches(')').count() {
        return None;
    }
    let mut kept = words.clone();
    kept.remove(at);
    Some(kept.join(" "))
}

/// Where an unnamed `references table (col) ...` attribute is in `def`.
fn unnamed_fk(def: &str) -> Option<(usize, usize)> {
    let at = def.find("references ")?;
    let end = def[at..].find(" only (").map_or(def.len(), |e| at + e);
    let fk = &def[at..end];
    let words: Vec<&str> = fk.split_whitespace().collect();
    let named =
        fk.starts_with("references conv(") || (words.len() > 2 && !words[2].starts_with('('));
    (!named).then_some((at, end))
}

/// The first name of `a, b)` or `"a b", c)`.
fn first_name(rest: &str) -> String {
    let first = rest.split([',', ')']).next().unwrap_or("").trim();
    first.trim_matches('"').replace("\"\"", "\"")
}

/// Columns that lead a key or an index already (MySQL needs none for them).
fn leading_columns(cols: &[Column], items: &[String]) -> Vec<String> {
    let mut out: Vec<String> = cols
        .iter()
        .filter(|c| c.primary_key)
        .take(1)
        .map(|c| c.name.clone())
        .collect();
    for i in items.iter().chain(cols.iter().flat_map(|c| &c.items)) {
        for kw in ["primary_key ", "unique ", "index "] {
            if let Some(rest) = i.strip_prefix(kw) {
                if let Some(open) = rest.find('(') {
                    out.push(first_name(&rest[open + 1..]));
                }
            }
        }
    }
    out
}

//! Ops written back in ddlc's language, as `ddlc diff` puts them in a new
//! revision's `upgrade { }`: one op per line (a table block over several),
//! each op that destroys data preceded by a `# destructive:` comment. What is
//! written parses back into the same ops (checked when the file is linked).

use crate::ir::{
    AlterColumn, AlterEnum, Column, Constraint, ConstraintKind, CreateTable, DefaultValue,
    EnumChange, EnumPosition, FkAction, ForeignKey, Ident, Identity, Index, IndexPart, Op, OpKind,
    QualifiedName, TypeKind,
};
use crate::naming::{Convention, Kind};
use crate::scaffold::quote_text;
use crate::snapshot::json::{default_text, type_text};

/// The ops as the body of an `upgrade` block, indented by four spaces.
pub fn ops_text(ops: &[Op], naming: &Convention) -> String {
    let mut out = String::new();
    for op in ops {
        if let Some(why) = destructive(op) {
            out.push_str(&format!("    # destructive: {why}\n"));
        }
        for line in op_text(op, naming).lines() {
            out.push_str(&format!("    {line}\n"));
        }
    }
    out
}

/// What a destructive op destroys, for the comment above it.
pub fn destructive(op: &Op) -> Option<String> {
    match &op.kind {
        OpKind::DropTable(d) => Some(format!("drops table `{}` and its rows", d.name)),
        OpKind::DropSequence(d) => Some(format!("drops sequence `{}` and its position", d.name)),
        OpKind::DropColumn(d) => Some(format!(
            "drops column `{}.{}` and its values",
            d.table, d.column
        )),
        OpKind::AlterEnum(AlterEnum {
            change: EnumChange::Drop(v),
            name,
            ..
        }) => Some(format!(
            "drops value '{v}' of enum `{name}`: rows must not hold it"
        )),
        OpKind::AlterColumn(a) if a.new_type.is_some() => Some(format!(
            "changes the type of `{}.{}`: values may be converted or refused",
            a.table, a.column
        )),
        _ => None,
    }
}

/// One op in the language.
pub fn op_text(op: &Op, naming: &Convention) -> String {
    let p = Printer { naming };
    match &op.kind {
        OpKind::CreateTable(c) => p.create_table(c),
        OpKind::DropTable(d) => format!("drop_table {}", qname(&d.name)),
        OpKind::RenameTable(r) => format!("rename_table {} -> {}", qname(&r.from), name(&r.to)),
        OpKind::AddColumn(a) => format!("add_column {}.{}", qname(&a.table), p.column(&a.column)),
        OpKind::DropColumn(d) => format!("drop_column {}.{}", qname(&d.table), name(&d.column)),
        OpKind::AlterColumn(a) => p.alter_column(a),
        OpKind::AddConstraint(a) => p.add_constraint(&a.table, &a.constraint),
        OpKind::DropConstraint(d) => {
            format!("drop_constraint {} on {}", name(&d.name), qname(&d.table))
        }
        OpKind::CreateIndex(c) => {
            let i = &c.index;
            let head = format!(
                "create_index {} on {}",
                p.cname(Kind::Index, &i.name),
                qname(&i.table)
            );
            format!("{head} {}", index_rest(i))
        }
        OpKind::DropIndex(d) => match &d.table {
            Some(t) => format!("drop_index {} on {}", name(&d.name.name), qname(t)),
            None => format!("drop_index {}", qname(&d.name)),
        },
        OpKind::SetTableComment(c) => match &c.comment {
            Some(text) => format!(
                "create_table_comment {} {}",
                qname(&c.table),
                sql_string(text)
            ),
            None => format!("drop_table_comment {}", qname(&c.table)),
        },
        OpKind::AlterEnum(a) => enum_op(a),
        OpKind::CreateView(v) => format!("create_view {} as ({})", qname(&v.name), v.query.text),
        OpKind::ReplaceView(v) => format!("replace_view {} as ({})", qname(&v.name), v.query.text),
        OpKind::DropView(d) => format!("drop_view {}", qname(&d.name)),
        OpKind::CreateSequence(c) => {
            let mut out = format!("create_sequence {}", qname(&c.name));
            if let Some(n) = c.start {
                out.push_str(&format!(" start {n}"));
            }
            if let Some(n) = c.increment {
                out.push_str(&format!(" increment {n}"));
            }
            out
        }
        OpKind::DropSequence(d) => format!("drop_sequence {}", qname(&d.name)),
        other => format!("# (not written by ddlc diff: {other:?})"),
    }
}

struct Printer<'a> {
    naming: &'a Convention,
}

impl Printer<'_> {
    /// A constraint or index name: `conv(name)` where the project's
    /// convention would otherwise rewrite a given name.
    fn cname(&self, kind: Kind, n: &Ident) -> String {
        if self.naming.takes_given_names(kind) {
            format!("conv({})", name(n))
        } else {
            name(n)
        }
    }

    fn create_table(&self, c: &CreateTable) -> String {
        let mut out = format!("create_table {} {{\n", qname(&c.name));
        let width = c
            .columns
            .iter()
            .map(|col| name(&col.name).chars().count())
            .max()
            .unwrap_or(0);
        for col in &c.columns {
            let n = name(&col.name);
            let pad = " ".repeat(width - n.chars().count());
            out.push_str(&format!("    {n}{pad} : {}\n", self.column_rest(col)));
        }
        for con in &c.constraints {
            out.push_str(&format!("    {}\n", self.constraint_item(con)));
        }
        for i in &c.indexes {
            out.push_str(&format!(
                "    index {} {}\n",
                self.cname(Kind::Index, &i.name),
                index_rest(i)
            ));
        }
        if let Some(text) = &c.comment {
            out.push_str(&format!("    table_comment {}\n", sql_string(text)));
        }
        out.push('}');
        out
    }

    fn column(&self, c: &Column) -> String {
        format!("{} : {}", name(&c.name), self.column_rest(c))
    }

    /// The type and attributes of a column.
    fn column_rest(&self, c: &Column) -> String {
        let mut out = column_type(c);
        if !c.nullable {
            out.push_str(" not_null");
        }
        if let Some(d) = &c.default {
            out.push_str(&format!(" default {}", default(d)));
        }
        if let Some(i) = &c.identity {
            out.push_str(&format!(" {}", identity(i)));
        }
        if let Some(k) = &c.computed {
            let how = if k.stored { "stored" } else { "virtual" };
            out.push_str(&format!(" computed ({}) {how}", k.expr.text));
        }
        if let Some(text) = &c.comment {
            out.push_str(&format!(" comment {}", sql_string(text)));
        }
        out
    }

    fn constraint_item(&self, c: &Constraint) -> String {
        let kind = constraint_kind(&c.kind);
        let n = self.cname(kind, &c.name);
        match &c.kind {
            ConstraintKind::PrimaryKey(cols) => format!("primary_key {n} {}", names(cols)),
            ConstraintKind::Unique(cols) => format!("unique {n} {}", names(cols)),
            ConstraintKind::Check(e) => format!("check {n} ({})", e.text),
            ConstraintKind::ForeignKey(fk) => format!("foreign_key {n} {}", fk_rest(fk)),
        }
    }

    fn add_constraint(&self, table: &QualifiedName, c: &Constraint) -> String {
        let n = self.cname(constraint_kind(&c.kind), &c.name);
        let t = qname(table);
        match &c.kind {
            ConstraintKind::PrimaryKey(cols) => {
                format!("create_primary_key {n} on {t} {}", names(cols))
            }
            ConstraintKind::Unique(cols) => {
                format!("create_unique_constraint {n} on {t} {}", names(cols))
            }
            ConstraintKind::Check(e) => format!("create_check_constraint {n} on {t} ({})", e.text),
            ConstraintKind::ForeignKey(fk) => {
                format!("create_foreign_key {n} on {t} {}", fk_rest(fk))
            }
        }
    }

    fn alter_column(&self, a: &AlterColumn) -> String {
        let mut out = format!("alter_column {}.{}", qname(&a.table), name(&a.column));
        if let Some(new) = &a.rename {
            return format!(
                "rename_column {}.{} -> {}",
                qname(&a.table),
                name(&a.column),
                name(new)
            );
        }
        if let Some(ty) = &a.new_type {
            let probe = Column {
                name: a.column.clone(),
                ty: ty.clone(),
                nullable: true,
                default: None,
                identity: None,
                computed: None,
                comment: None,
                span: ty.span,
            };
            out.push_str(&format!(" type {}", column_type(&probe)));
        }
        match a.nullable {
            Some(true) => out.push_str(" null"),
            Some(false) => out.push_str(" not_null"),
            None => {}
        }
        match &a.default {
            Some(Some(d)) => out.push_str(&format!(" default {}", default(d))),
            Some(None) => out.push_str(" drop_default"),
            None => {}
        }
        match &a.identity {
            Some(Some(i)) => out.push_str(&format!(" {}", identity(i))),
            Some(None) => out.push_str(" drop_identity"),
            None => {}
        }
        match &a.comment {
            Some(Some(c)) => out.push_str(&format!(" comment {}", sql_string(c))),
            Some(None) => out.push_str(" drop_comment"),
            None => {}
        }
        out
    }
}

fn constraint_kind(k: &ConstraintKind) -> Kind {
    match k {
        ConstraintKind::PrimaryKey(_) => Kind::PrimaryKey,
        ConstraintKind::Unique(_) => Kind::Unique,
        ConstraintKind::Check(_) => Kind::Check,
        ConstraintKind::ForeignKey(_) => Kind::ForeignKey,
    }
}

/// A name: bare when it is a plain word, else quoted.
pub fn name(i: &Ident) -> String {
    let n = i.name.as_str();
    let plain = n
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        n.to_string()
    } else {
        format!("\"{}\"", n.replace('"', "\"\""))
    }
}

fn qname(q: &QualifiedName) -> String {
    match &q.schema {
        Some(s) => format!("{}.{}", name(s), name(&q.name)),
        None => name(&q.name),
    }
}

fn names(cols: &[Ident]) -> String {
    let parts: Vec<String> = cols.iter().map(name).collect();
    format!("({})", parts.join(", "))
}

fn sql_string(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn column_type(c: &Column) -> String {
    let mut out = match &c.ty.kind {
        TypeKind::Raw(sql) => format!(
            "raw({})",
            quote_text(sql).unwrap_or_else(|| format!("{sql:?}"))
        ),
        TypeKind::Enum(e) => {
            let values: Vec<String> = e.values.iter().map(|v| sql_string(v)).collect();
            format!("enum({}: {})", name(&e.name), values.join(", "))
        }
        other => type_text(other),
    };
    for (dialect, sql) in &c.ty.variants {
        let text = quote_text(sql).unwrap_or_else(|| format!("{sql:?}"));
        out.push_str(&format!(" variant {dialect} {text}"));
    }
    out
}

fn default(d: &DefaultValue) -> String {
    match d {
        DefaultValue::NextVal(seq) => format!("nextval({})", qname(seq)),
        other => default_text(other),
    }
}

fn identity(i: &Identity) -> String {
    let mut opts: Vec<String> = Vec::new();
    if i.always {
        opts.push("always".into());
    }
    let numbers = [
        ("start", i.start),
        ("increment", i.increment),
        ("minvalue", i.minvalue),
        ("maxvalue", i.maxvalue),
        ("cache", i.cache),
    ];
    opts.extend(
        numbers
            .iter()
            .filter_map(|(w, n)| n.map(|n| format!("{w} {n}"))),
    );
    for (w, set) in [
        ("cycle", i.cycle),
        ("on_null", i.on_null),
        ("order", i.order),
    ] {
        if set {
            opts.push(w.into());
        }
    }
    if opts.is_empty() {
        "autoincrement".into()
    } else {
        format!("identity({})", opts.join(" "))
    }
}

fn fk_rest(fk: &ForeignKey) -> String {
    let mut out = format!(
        "{} -> {} {}",
        names(&fk.columns),
        qname(&fk.ref_table),
        names(&fk.ref_columns)
    );
    let action = |a: FkAction| match a {
        FkAction::Cascade => "cascade",
        FkAction::SetNull => "set_null",
        FkAction::SetDefault => "set_default",
        FkAction::Restrict => "restrict",
        FkAction::NoAction => "no_action",
    };
    if let Some(a) = fk.on_delete {
        out.push_str(&format!(" on_delete {}", action(a)));
    }
    if let Some(a) = fk.on_update {
        out.push_str(&format!(" on_update {}", action(a)));
    }
    match fk.deferrable {
        Some(true) => out.push_str(" deferrable"),
        Some(false) => out.push_str(" not_deferrable"),
        None => {}
    }
    if let Some(d) = fk.initially_deferred {
        out.push_str(if d {
            " initially deferred"
        } else {
            " initially immediate"
        });
    }
    out
}

/// An index part: `email`, `"Mixed Case" desc`, `title(20)`, `(lower(email))`.
fn part(p: &IndexPart) -> String {
    match p {
        IndexPart::Column {
            name: n,
            desc,
            length,
        } => {
            let mut out = name(n);
            if let Some(l) = length {
                out.push_str(&format!("({l})"));
            }
            if *desc {
                out.push_str(" desc");
            }
            out
        }
        IndexPart::Expr(e) => format!("({})", e.text),
    }
}

/// An index's parts and options: `(a, b desc) unique where (x > 0)`.
fn index_rest(i: &Index) -> String {
    let parts: Vec<String> = i.parts.iter().map(part).collect();
    let mut out = format!("({})", parts.join(", "));
    if i.unique {
        out.push_str(" unique");
    }
    if let Some(w) = &i.where_clause {
        out.push_str(&format!(" where ({})", w.text));
    }
    if !i.include.is_empty() {
        out.push_str(&format!(" include {}", names(&i.include)));
    }
    for (dialect, options) in &i.options.0 {
        for (key, value) in options {
            let plain = value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            let value = if plain {
                value.clone()
            } else {
                quote_text(value).unwrap_or_else(|| format!("{value:?}"))
            };
            out.push_str(&format!(" {dialect}.{key} = {value}"));
        }
    }
    out
}

/// `add_enum_value` / `drop_enum_value`.
fn enum_op(a: &AlterEnum) -> String {
    let n = qname(&a.name);
    match &a.change {
        EnumChange::Add(v, EnumPosition::Last) => format!("add_enum_value {n} {}", sql_string(v)),
        EnumChange::Add(v, EnumPosition::After(p, _)) => {
            format!(
                "add_enum_value {n} {} after {}",
                sql_string(v),
                sql_string(p)
            )
        }
        EnumChange::Add(v, EnumPosition::Before(p, _)) => {
            format!(
                "add_enum_value {n} {} before {}",
                sql_string(v),
                sql_string(p)
            )
        }
        EnumChange::Rename(a, b) => format!(
            "rename_enum_value {n} {} -> {}",
            sql_string(a),
            sql_string(b)
        ),
        EnumChange::Drop(v) => format!("drop_enum_value {n} {}", sql_string(v)),
    }
}

//! Front-end tests: every op to IR, spans, suggestions, recovery, robustness,
//! and the fixture folders (`tests/fixtures/{ok,err}`).

use super::parse_revision;
use crate::diag::Code;
use crate::diag::{render, Diagnostic, Diagnostics, Style};
use crate::dialect::Dialect;
use crate::ir::*;
use crate::naming::Convention;
use crate::source::SourceMap;

const HEADER: &str = "revision \"a1\"\nrevises \"a0\"\nmessage \"m\"\n";

fn parse(text: &str) -> (SourceMap, Result<Revision, Vec<Diagnostic>>) {
    let mut map = SourceMap::new();
    let file = map.add("t.mig", text);
    let mut diags = Diagnostics::new();
    let r = parse_revision(&map, file, &Convention::default(), &mut diags);
    (map, r.map_err(|_| diags.into_vec()))
}

/// Parses `ops` inside an upgrade block and returns them (panics on errors, in tests only).
fn ops(ops: &str) -> Vec<Op> {
    let text = format!("{HEADER}upgrade {{\n{ops}\n}}\ndowngrade auto\n");
    let (map, r) = parse(&text);
    match r {
        Ok(rev) => rev.upgrade,
        Err(d) => panic!("{}", render(&d, &map, Style::Plain)),
    }
}

/// The errors of a file whose upgrade holds `ops`.
fn errors(ops: &str) -> (SourceMap, Vec<Diagnostic>) {
    let text = format!("{HEADER}upgrade {{\n{ops}\n}}\ndowngrade auto\n");
    let (map, r) = parse(&text);
    match r {
        Ok(_) => panic!("expected errors for {ops}"),
        Err(d) => (map, d),
    }
}

fn id(s: &str) -> Ident {
    Ident::synthetic(s)
}

fn q(s: &str) -> QualifiedName {
    match s.split_once('.') {
        Some((a, b)) => QualifiedName {
            schema: Some(id(a)),
            name: id(b),
        },
        None => QualifiedName::bare(id(s)),
    }
}

fn expr(s: &str) -> SqlExpr {
    SqlExpr {
        text: s.into(),
        span: Default::default(),
    }
}

#[test]
fn header_and_downgrade_forms() {
    let (_, r) = parse(
        "revision \"m1\" revises (\"a\", \"b\") message \"merge\" doc \"\"\"hi\"\"\" labels (\"x\")\nupgrade { } downgrade irreversible \"why\"",
    );
    let rev = r.unwrap();
    assert_eq!(rev.id.0, "m1");
    let parents: Vec<&str> = rev.parents.iter().map(|(p, _)| p.0.as_str()).collect();
    assert_eq!(parents, ["a", "b"]);
    assert_eq!(rev.doc.as_deref(), Some("hi"));
    assert_eq!(rev.labels, ["x"]);
    assert!(matches!(rev.downgrade, Downgrade::Irreversible { ref reason, .. } if reason == "why"));

    let (_, r) =
        parse("revision \"a\" revises base message \"m\" upgrade {} downgrade { drop_table t }");
    let rev = r.unwrap();
    assert!(rev.parents.is_empty());
    assert!(matches!(&rev.downgrade, Downgrade::Ops(o) if o.len() == 1));
}

#[test]
fn create_table_to_ir() {
    let o = ops("create_table bank {
            id   : integer primary_key autoincrement
            name : string(100) not_null unique
            code : char(8) check (code = upper(code))
            bank_id : integer references bank (id) on_delete cascade
            data : json variant postgresql \"JSONB\"
            index (name desc, (lower(code))) unique where (code <> '')
            table_comment 'Banks'
            mysql.engine = InnoDB
        }");
    let OpKind::CreateTable(t) = &o[0].kind else {
        panic!("{o:?}")
    };
    assert_eq!(t.name, q("bank"));
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["id", "name", "code", "bank_id", "data"]);
    assert!(!t.columns[0].nullable, "primary key is NOT NULL");
    assert_eq!(
        t.columns[0].identity.as_deref(),
        Some(&Identity {
            always: false,
            start: None,
            increment: None,
            ..Default::default()
        })
    );
    assert_eq!(t.columns[1].ty.kind, TypeKind::String(Some(100)));
    assert!(t.columns[2].nullable);
    assert_eq!(
        t.columns[4]
            .ty
            .variants
            .get(&Dialect::PostgreSql)
            .map(String::as_str),
        Some("JSONB")
    );
    let cons: Vec<(&str, bool)> = t
        .constraints
        .iter()
        .map(|c| (c.name.as_str(), c.generated_name))
        .collect();
    assert_eq!(
        cons,
        [
            ("pk_bank", true),
            ("uq_bank_name", true),
            ("ck_bank_code", true),
            ("fk_bank_bank_id_bank", true),
        ]
    );
    assert_eq!(
        t.constraints[0].kind,
        ConstraintKind::PrimaryKey(vec![id("id")])
    );
    assert_eq!(
        t.constraints[2].kind,
        ConstraintKind::Check(expr("code = upper(code)"))
    );
    let ConstraintKind::ForeignKey(fk) = &t.constraints[3].kind else {
        panic!()
    };
    assert_eq!(fk.on_delete, Some(FkAction::Cascade));
    assert_eq!(t.indexes.len(), 1);
    let ix = &t.indexes[0];
    assert_eq!(ix.name.as_str(), "ix_bank_name");
    assert!(ix.unique);
    assert_eq!(ix.where_clause, Some(expr("code <> ''")));
    assert_eq!(
        ix.parts,
        [
            IndexPart::Column {
                name: id("name"),
                desc: true,
                length: None
            },
            IndexPart::Expr(expr("lower(code)"))
        ]
    );
    assert_eq!(t.comment.as_deref(), Some("Banks"));
    assert_eq!(t.options.get(Dialect::MySql, "engine"), Some("InnoDB"));
}

#[test]
fn composite_primary_key_and_named_constraints() {
    let o = ops("create_table s.items {
            a : integer
            b : integer
            primary_key (a, b)
            unique uq_ab (a, b)
            foreign_key (a, b) -> s.other (x, y)
        }");
    let OpKind::CreateTable(t) = &o[0].kind else {
        panic!()
    };
    assert_eq!(t.name, q("s.items"));
    assert!(t.columns.iter().all(|c| !c.nullable));
    assert_eq!(t.constraints[0].name.as_str(), "pk_items");
    assert_eq!(
        t.constraints[0].kind,
        ConstraintKind::PrimaryKey(vec![id("a"), id("b")])
    );
    assert_eq!(t.constraints[1].name.as_str(), "uq_ab");
    assert!(!t.constraints[1].generated_name);
    assert_eq!(t.constraints[2].name.as_str(), "fk_items_a_other");
}

#[test]
fn add_column_splits_inline_constraints() {
    let o = ops("add_column account.bank_id : integer not_null unique references bank (id)");
    assert_eq!(o.len(), 3);
    let OpKind::AddColumn(a) = &o[0].kind else {
        panic!()
    };
    assert_eq!(a.table, q("account"));
    assert!(!a.column.nullable);
    let kinds: Vec<&str> = o.iter().map(|op| op.kind.name()).collect();
    assert_eq!(
        kinds,
        [
            "add_column",
            "create_unique_constraint",
            "create_foreign_key"
        ]
    );
    // Each constraint op carries the span of the attribute that made it.
    let text = format!("{HEADER}upgrade {{\nadd_column account.bank_id : integer not_null unique references bank (id)\n}}\ndowngrade auto\n");
    let slice = |sp: crate::source::Span| text[sp.range()].to_string();
    assert_eq!(slice(o[1].span), "unique");
    assert_eq!(slice(o[2].span), "references bank (id)");
}

#[test]
fn every_other_op_to_ir() {
    let o = ops("drop_table t if_exists
         rename_table t -> u
         drop_column t.c
         alter_column t.c type string(20) not_null default 'x' comment 'y'
         alter_column t.c drop_default drop_comment null
         rename_column t.a -> b
         create_index ix on t (c)
         drop_index s.ix on t if_exists
         create_primary_key on t (id)
         create_unique_constraint uq on t (a, b)
         create_check_constraint on t (a > 0)
         create_foreign_key on t (b) -> u (id) on_update restrict
         drop_constraint uq on t type unique
         create_table_comment t 'c'
         drop_table_comment t
         create_sequence sq start -5 increment 2
         drop_sequence sq
         bulk_insert t (a, b) { (1, 'O''Neil') (-2.5, null) }
         execute \"SELECT 1\"");
    use OpKind as K;
    assert_eq!(
        o[0].kind,
        K::DropTable(DropTable {
            name: q("t"),
            if_exists: true
        })
    );
    assert_eq!(
        o[1].kind,
        K::RenameTable(RenameTable {
            from: q("t"),
            to: id("u")
        })
    );
    assert_eq!(
        o[2].kind,
        K::DropColumn(DropColumn {
            table: q("t"),
            column: id("c"),
            if_exists: false
        })
    );
    let K::AlterColumn(a) = &o[3].kind else {
        panic!()
    };
    assert_eq!(
        a.new_type.as_ref().map(|t| &t.kind),
        Some(&TypeKind::String(Some(20)))
    );
    assert_eq!(a.nullable, Some(false));
    assert_eq!(
        a.default,
        Some(Some(DefaultValue::Literal(Literal::String("x".into()))))
    );
    assert_eq!(a.comment, Some(Some("y".into())));
    let K::AlterColumn(a) = &o[4].kind else {
        panic!()
    };
    assert_eq!(
        (a.default.clone(), a.comment.clone(), a.nullable),
        (Some(None), Some(None), Some(true))
    );
    assert_eq!(
        o[5].kind,
        K::AlterColumn(AlterColumn {
            table: q("t"),
            column: id("a"),
            rename: Some(id("b")),
            ..AlterColumn::default()
        })
    );
    let K::CreateIndex(ci) = &o[6].kind else {
        panic!()
    };
    assert_eq!(
        (ci.index.name.as_str(), ci.index.generated_name),
        ("ix", false)
    );
    assert_eq!(
        o[7].kind,
        K::DropIndex(DropIndex {
            name: q("s.ix"),
            table: Some(q("t")),
            concurrently: false,
            if_exists: true,
            options: Default::default()
        })
    );
    let name = |op: &Op| match &op.kind {
        K::AddConstraint(c) => c.constraint.name.name.clone(),
        _ => panic!(),
    };
    assert_eq!(name(&o[8]), "pk_t");
    assert_eq!(name(&o[9]), "uq");
    assert_eq!(name(&o[10]), "ck_t_a");
    assert_eq!(name(&o[11]), "fk_t_b_u");
    assert_eq!(
        o[12].kind,
        K::DropConstraint(DropConstraint {
            table: q("t"),
            name: id("uq"),
            convention_names: Vec::new(),
            if_exists: false,
        })
    );
    assert_eq!(
        o[13].kind,
        K::SetTableComment(SetTableComment {
            table: q("t"),
            comment: Some("c".into())
        })
    );
    assert_eq!(o[14].kind.name(), "drop_table_comment");
    assert_eq!(
        o[15].kind,
        K::CreateSequence(CreateSequence {
            name: q("sq"),
            start: Some(-5),
            increment: Some(2)
        })
    );
    assert_eq!(o[16].kind, K::DropSequence(DropSequence { name: q("sq") }));
    let K::BulkInsert(b) = &o[17].kind else {
        panic!()
    };
    assert_eq!(
        b.rows,
        [
            vec![
                Literal::Integer("1".into()),
                Literal::String("O'Neil".into())
            ],
            vec![Literal::Decimal("-2.5".into()), Literal::Null],
        ]
    );
    let K::Execute(e) = &o[18].kind else { panic!() };
    assert_eq!(
        e.default.as_ref().map(|s| s.text.as_str()),
        Some("SELECT 1")
    );
}

#[test]
fn defaults_map_to_ir() {
    let o = ops("create_table t {
            a : timestamp(tz) default now()
            b : date default current_date
            c : bigint default nextval(s.seq)
            d : numeric(10, 2) default -12.50
            e : boolean default true
            f : string default ('a' || 'b')
            g : raw(\"TSVECTOR\") variant mysql \"TEXT\"
            h : integer identity(always start 10 increment 5)
        }");
    let OpKind::CreateTable(t) = &o[0].kind else {
        panic!()
    };
    let d: Vec<Option<DefaultValue>> = t.columns.iter().map(|c| c.default.clone()).collect();
    assert_eq!(d[0], Some(DefaultValue::CurrentTimestamp));
    assert_eq!(d[1], Some(DefaultValue::CurrentDate));
    assert_eq!(d[2], Some(DefaultValue::NextVal(q("s.seq"))));
    assert_eq!(
        d[3],
        Some(DefaultValue::Literal(Literal::Decimal("-12.50".into())))
    );
    assert_eq!(d[4], Some(DefaultValue::Literal(Literal::Bool(true))));
    assert_eq!(d[5], Some(DefaultValue::Expr(expr("'a' || 'b'"))));
    assert_eq!(t.columns[0].ty.kind, TypeKind::Timestamp { tz: true });
    assert_eq!(
        t.columns[3].ty.kind,
        TypeKind::Numeric {
            precision: Some(10),
            scale: Some(2)
        }
    );
    assert_eq!(t.columns[6].ty.kind, TypeKind::Raw("TSVECTOR".into()));
    assert_eq!(
        t.columns[7].identity.as_deref(),
        Some(&Identity {
            always: true,
            start: Some(10),
            increment: Some(5),
            ..Default::default()
        })
    );
}

#[test]
fn spans_point_at_the_text() {
    let text = format!("{HEADER}upgrade {{\n    add_column t.c : strng\n}}\ndowngrade auto\n");
    let (_, r) = parse(&text);
    let d = &r.unwrap_err()[0];
    assert_eq!(d.code, Code::UnknownType);
    let sp = d.primary.as_ref().unwrap().span;
    assert_eq!(&text[sp.range()], "strng");

    // Missing things are pointed at just after the previous token.
    let text = format!("{HEADER}upgrade {{\n    rename_table t ->\n}}\ndowngrade auto\n");
    let (_, r) = parse(&text);
    let d = &r.unwrap_err()[0];
    let sp = d.primary.as_ref().unwrap().span;
    assert_eq!(sp.start, sp.end);
    assert_eq!(
        &text[..sp.start as usize].trim_end().chars().last(),
        &Some('>')
    );
    assert!(text[..sp.start as usize].ends_with("->"));

    // An SQL error points inside the fragment.
    let text = format!(
        "{HEADER}upgrade {{\n    create_check_constraint on t (a >> > 1)\n}}\ndowngrade auto\n"
    );
    let (_, r) = parse(&text);
    let d = &r.unwrap_err()[0];
    assert_eq!(d.code, Code::InvalidSql);
    let sp = d.primary.as_ref().unwrap().span;
    let frag_start = text.find("(a >>").unwrap();
    assert!(sp.start as usize > frag_start && (sp.end as usize) < text.find("1)").unwrap() + 2);
}

#[test]
fn suggests_typos() {
    let cases = [
        (
            "craete_table t { id : integer }",
            Code::UnknownOp,
            "create_table",
        ),
        ("add_column t.c : integr", Code::UnknownType, "integer"),
        (
            "add_column t.c : integer not_nul",
            Code::UnknownAttribute,
            "not_null",
        ),
        ("execute mysq \"SELECT 1\"", Code::UnknownDialect, "mysql"),
        (
            "create_table t { id : integer mysql.engin = x }",
            Code::UnknownOption,
            "engine",
        ),
        (
            "alter_column t.c drop_defualt",
            Code::UnknownAttribute,
            "drop_default",
        ),
    ];
    for (src, code, want) in cases {
        let (_, d) = errors(src);
        assert_eq!(d[0].code, code, "{src}");
        assert_eq!(d[0].help[0], format!("did you mean `{want}`?"), "{src}");
    }
}

#[test]
fn recovers_and_reports_every_error() {
    let (map, d) = errors(
        "create_tabel t { id : integer }
         add_column t.c : strng
         drop_table
         rename_table a -> b
         add_column t.d : integer not_nul
         create_table u {
             id : integer
             name string
             x : flot
         }",
    );
    let codes: Vec<&str> = d.iter().map(|d| d.code.id()).collect();
    assert_eq!(
        codes,
        [
            Code::UnknownOp,
            Code::UnknownType,
            Code::UnexpectedToken,
            Code::UnknownAttribute,
            Code::UnexpectedToken,
            Code::UnknownType
        ],
        "{}",
        render(&d, &map, Style::Plain)
    );
}

#[test]
fn non_ascii_names_and_strings() {
    let o = ops("create_table café {
            naïve : string(10) default 'héllo wörld ✓' comment '日本語'
            \"Ordre d'achat\" : integer
        }");
    let OpKind::CreateTable(t) = &o[0].kind else {
        panic!()
    };
    assert_eq!(t.name, q("café"));
    assert_eq!(t.columns[0].name.as_str(), "naïve");
    assert_eq!(
        t.columns[0].default,
        Some(DefaultValue::Literal(Literal::String(
            "héllo wörld ✓".into()
        )))
    );
    assert_eq!(t.columns[0].comment.as_deref(), Some("日本語"));
    assert_eq!(t.columns[1].name.as_str(), "Ordre d'achat");
}

#[test]
fn nested_parens_in_fragments() {
    let deep = format!("{}a{}", "(".repeat(30), ")".repeat(30));
    let o = ops(&format!(
        "create_check_constraint on t ({deep} > 0 AND b = ')')"
    ));
    let OpKind::AddConstraint(c) = &o[0].kind else {
        panic!()
    };
    assert_eq!(
        c.constraint.kind,
        ConstraintKind::Check(expr(&format!("{deep} > 0 AND b = ')'")))
    );
    // Far deeper than sqlparser allows: an error, not a crash.
    let deeper = format!("{}a{}", "(".repeat(2000), ")".repeat(2000));
    let (_, d) = errors(&format!("create_check_constraint on t ({deeper})"));
    assert_eq!(d[0].code, Code::InvalidSql);
}

#[test]
fn very_long_line() {
    let values: Vec<String> = (0..5000).map(|i| format!("({i}, 'v{i}')")).collect();
    let o = ops(&format!("bulk_insert t (a, b) {{ {} }}", values.join(" ")));
    let OpKind::BulkInsert(b) = &o[0].kind else {
        panic!()
    };
    assert_eq!(b.rows.len(), 5000);
    let long_name = "x".repeat(10_000);
    let o = ops(&format!("drop_table {long_name}"));
    assert_eq!(o.len(), 1);
}

#[test]
fn never_panics_on_truncations_or_garbage() {
    let full = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/ok/create_table.mig"
    ))
    .unwrap();
    for (i, _) in full.char_indices() {
        let _ = parse(&full[..i]);
    }
    // A deterministic pseudo-random byte soup from the language's own alphabet.
    let alphabet: Vec<char> = "create_table{}():.,->='\"\"\" #\n0-9aé(()) not_null default"
        .chars()
        .collect();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..300 {
        let len = (seed % 200) as usize;
        let mut s = String::from(HEADER);
        s.push_str("upgrade {");
        for _ in 0..len {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            s.push(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        let (map, r) = parse(&s);
        if let Err(d) = r {
            let _ = render(&d, &map, Style::Plain);
        }
    }
}

fn fixture_files(dir: &str) -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "mig"))
        .collect();
    files.sort();
    files
}

#[test]
fn ok_fixtures_parse_without_errors() {
    let files = fixture_files("tests/fixtures/ok");
    assert!(files.len() >= 20);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let (map, r) = parse(&text);
        if let Err(d) = r {
            panic!("{}: {}", path.display(), render(&d, &map, Style::Plain));
        }
    }
}

#[test]
fn err_fixtures_report_their_code() {
    let files = fixture_files("tests/fixtures/err");
    assert!(files.len() >= 20);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let expected = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{name}: first line must be `# expect: <code>`"))
            .trim()
            .to_string();
        let mut map = SourceMap::new();
        let file = map.add(format!("tests/fixtures/err/{name}"), text);
        let mut diags = Diagnostics::new();
        if parse_revision(&map, file, &Convention::default(), &mut diags).is_ok() {
            panic!("{name}: no error");
        }
        let diags = diags.into_vec();
        let rendered = render(&diags, &map, Style::Plain);
        assert!(
            diags.iter().any(|d| d.code == expected),
            "{name}: expected `{expected}`, got:\n{rendered}"
        );
        insta::with_settings!({
            snapshot_path => "../../snapshots/diagnostics",
            prepend_module_to_snapshot => false,
            description => format!("tests/fixtures/err/{name}"),
        }, {
            insta::assert_snapshot!(expected.clone(), rendered);
        });
    }
}

#[test]
fn examples_in_the_operations_docs_parse() {
    let doc = include_str!("../../docs/dsl.md");
    let ops_section = &doc[doc.find("## Operations").unwrap()..doc.find("## Errors").unwrap()];
    let blocks: Vec<&str> = ops_section.split("```").skip(1).step_by(2).collect();
    assert!(blocks.len() >= 20, "one example per op");
    for block in blocks {
        let text = format!("{HEADER}upgrade {{\n{block}\n}}\ndowngrade auto\n");
        let (map, r) = parse(&text);
        if let Err(d) = r {
            panic!("{}", render(&d, &map, Style::Plain));
        }
    }
}

#[test]
fn an_sql_type_name_is_answered_with_the_ddlc_type() {
    for (written, help) in [
        ("varchar(20)", "ddlc writes `varchar` as `string(n)`"),
        ("INT", "ddlc writes `int` as `integer`"),
        (
            "timestamptz",
            "ddlc writes `timestamptz` as `timestamp(tz)`",
        ),
        ("jsonb", "ddlc writes `jsonb` as `json`"),
        ("bytea", "ddlc writes `bytea` as `binary`"),
    ] {
        let text =
            format!("{HEADER}upgrade {{\n    add_column t.c : {written}\n}}\ndowngrade auto\n");
        let (_, r) = parse(&text);
        let d = &r.unwrap_err()[0];
        assert_eq!(d.code, Code::UnknownType, "{written}");
        assert_eq!(d.help.first().map(String::as_str), Some(help), "{written}");
        assert!(d.help.iter().any(|h| h.contains("raw(")), "{written}");
    }
    // A misspelt ddlc type still gets "did you mean".
    let text = format!("{HEADER}upgrade {{\n    add_column t.c : integr\n}}\ndowngrade auto\n");
    let (_, r) = parse(&text);
    let d = &r.unwrap_err()[0];
    assert_eq!(
        d.help.first().map(String::as_str),
        Some("did you mean `integer`?")
    );
}

/// `primary_key identity(always)` once read `identity` as the primary key's
/// name and `(always)` as its columns ("table t has no column always"): an
/// attribute word after `primary_key` / `unique` is that attribute, in either order.
#[test]
fn an_attribute_after_primary_key_is_no_constraint_name() {
    let always = Some(Identity {
        always: true,
        start: Some(5),
        increment: None,
        ..Default::default()
    });
    for col in [
        "id : bigint primary_key identity(always start 5)",
        "id : bigint identity(always start 5) primary_key",
    ] {
        let o = ops(&format!(
            "create_table t {{\n{col}\nn : integer unique check (n > 0)\n}}"
        ));
        let OpKind::CreateTable(t) = &o[0].kind else {
            panic!("{o:?}")
        };
        assert_eq!(t.columns[0].identity.as_deref(), always.as_ref(), "{col}");
        let cons: Vec<(&str, &ConstraintKind)> = t
            .constraints
            .iter()
            .map(|c| (c.name.as_str(), &c.kind))
            .collect();
        assert_eq!(
            cons,
            [
                ("pk_t", &ConstraintKind::PrimaryKey(vec![id("id")])),
                ("uq_t_n", &ConstraintKind::Unique(vec![id("n")])),
                ("ck_t_n", &ConstraintKind::Check(expr("n > 0"))),
            ],
            "{col}"
        );
    }
    // A constraint named like an attribute is still written, quoted.
    let o = ops("create_table t {\na : integer\nunique \"identity\" (a)\n}");
    let OpKind::CreateTable(t) = &o[0].kind else {
        panic!("{o:?}")
    };
    assert_eq!(t.constraints[0].name.as_str(), "identity");
}

#[test]
fn identity_options_to_ir_and_their_errors() {
    let o = ops("create_table t {
            id : bigint identity(start 5 increment 2 minvalue 1 maxvalue 99 cycle cache 10 order on_null)
        }");
    let OpKind::CreateTable(t) = &o[0].kind else {
        panic!("{o:?}")
    };
    let want = Identity {
        always: false,
        start: Some(5),
        increment: Some(2),
        minvalue: Some(1),
        maxvalue: Some(99),
        cycle: true,
        cache: Some(10),
        on_null: true,
        order: true,
    };
    assert_eq!(t.columns[0].identity.as_deref(), Some(&want));
    let cases = [
        ("identity(increment 0)", Code::InvalidNumber, "0"),
        ("identity(cache 0)", Code::InvalidNumber, "0"),
        (
            "identity(minvalue 10 maxvalue 10)",
            Code::InvalidNumber,
            "10",
        ),
        ("identity(start 1 minvalue 2)", Code::InvalidNumber, "1"),
        (
            "identity(always on_null)",
            Code::ConflictingAttributes,
            "on_null",
        ),
        (
            "identity(start 1 nocycle)",
            Code::UnexpectedToken,
            "nocycle",
        ),
    ];
    for (attr, code, at) in cases {
        let src = format!("add_column t.c : bigint {attr}");
        let (map, d) = errors(&src);
        assert_eq!(d[0].code, code, "{attr}");
        let sp = d[0].primary.as_ref().expect("located").span;
        assert_eq!(map.slice(sp), at, "{attr}");
    }
}

/// An inline `references` takes a name after the keyword, as `check` does;
/// without one the naming convention names it.
#[test]
fn an_inline_reference_takes_a_name() {
    let o = ops("create_table t {
            a : integer references fk_t_a users (id)
            b : integer references conv(fk_b) billing.users (id) on_delete cascade
            c : integer references billing.users (id)
            d : integer references users (id)
        }");
    let OpKind::CreateTable(t) = &o[0].kind else {
        panic!("{o:?}")
    };
    let names: Vec<(&str, bool, String)> = t
        .constraints
        .iter()
        .map(|c| {
            let ConstraintKind::ForeignKey(fk) = &c.kind else {
                panic!("{c:?}")
            };
            (c.name.as_str(), c.generated_name, fk.ref_table.key())
        })
        .collect();
    assert_eq!(
        names,
        [
            ("fk_t_a", false, "users".into()),
            ("fk_b", false, "billing.users".into()),
            ("fk_t_c_users", true, "billing.users".into()),
            ("fk_t_d_users", true, "users".into()),
        ]
    );
    let o = ops("add_column t.e : integer references fk_e users (id)");
    let OpKind::AddConstraint(c) = &o[1].kind else {
        panic!("{o:?}")
    };
    assert_eq!(c.constraint.name.as_str(), "fk_e");
}

#[test]
fn constraint_options_to_ir() {
    let o = ops(
        "create_foreign_key fk_a on t (a) -> u (id) match full on_delete cascade not_valid
        create_check_constraint ck_a on t (a > 0) not_valid
        create_unique_constraint uq_a on t (a)
        validate_constraint fk_a on t
        drop_constraint ck_a on t if_exists",
    );
    let kind = |i: usize| &o[i].kind;
    let OpKind::AddConstraint(fk) = kind(0) else {
        panic!("{o:?}")
    };
    let ConstraintKind::ForeignKey(f) = &fk.constraint.kind else {
        panic!("{fk:?}")
    };
    assert!(fk.not_valid);
    assert_eq!(f.match_kind, Some(FkMatch::Full));
    assert_eq!(f.on_delete, Some(FkAction::Cascade));
    let not_valid: Vec<bool> = o[..3]
        .iter()
        .map(|op| matches!(&op.kind, OpKind::AddConstraint(a) if a.not_valid))
        .collect();
    assert_eq!(not_valid, [true, true, false]);
    assert_eq!(
        *kind(3),
        OpKind::ValidateConstraint(ValidateConstraint {
            table: q("t"),
            name: id("fk_a"),
        })
    );
    assert!(
        matches!(kind(4), OpKind::DropConstraint(d) if d.if_exists && d.name.as_str() == "ck_a")
    );
    let (_, d) = errors("create_foreign_key fk_a on t (a) -> u (id) match half");
    assert_eq!(d[0].code, Code::UnexpectedToken);
}

#[test]
fn views_and_routines_to_ir() {
    let got = ops(r#"create_view billing.v as ( SELECT id FROM billing.t )
replace_view v2 as (SELECT 1 AS one)
drop_view v2
create_trigger tr on t { raw sqlite "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END" }
drop_trigger tr on t
drop_procedure p"#);
    let kinds: Vec<OpName> = got.iter().map(|o| o.kind.op_name()).collect();
    assert_eq!(
        kinds,
        [
            OpName::CreateView,
            OpName::ReplaceView,
            OpName::DropView,
            OpName::CreateTrigger,
            OpName::DropTrigger,
            OpName::DropProcedure
        ]
    );
    match &got[0].kind {
        OpKind::CreateView(v) => {
            assert_eq!(v.name, q("billing.v"));
            assert_eq!(v.query.text, "SELECT id FROM billing.t", "trimmed");
        }
        other => panic!("{other:?}"),
    }
    match &got[3].kind {
        OpKind::CreateRoutine(r) => {
            assert_eq!(r.table, Some(q("t")));
            assert!(r.bodies.variants[&Dialect::Sqlite].raw);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn views_and_routines_refuse_what_is_not_their_form() {
    let code = |text: &str| errors(text).1[0].code;
    assert_eq!(code("create_view v as (SELECT 1 FROM)"), Code::InvalidSql);
    assert_eq!(
        code("create_view v as (UPDATE t SET a = 1)"),
        Code::InvalidSql
    );
    assert_eq!(code("create_view v as (SELECT 1) extra"), Code::UnknownOp);
    assert_eq!(code("create_view v (SELECT 1)"), Code::UnexpectedToken);
    assert_eq!(code("create_function f { }"), Code::InvalidExecuteSql);
    assert_eq!(
        code("create_function f \"CREATE FUNCTION f\""),
        Code::UnexpectedToken
    );
    assert_eq!(
        code("create_trigger tr { default \"x\" }"),
        Code::UnexpectedToken
    );
}

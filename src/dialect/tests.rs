//! Tests of the dialect facts: quoting, escaping, names, the parent relation.

use super::*;
use Dialect::*;

#[test]
fn quotes_only_when_needed_and_doubles_quote_chars() {
    for (dialect, name, want) in [
        (PostgreSql, "users", "users"),
        (PostgreSql, "user", "\"user\""),
        (PostgreSql, "Users", "\"Users\""),
        (PostgreSql, "a\"b", "\"a\"\"b\""),
        (MySql, "order", "`order`"),
        (MySql, "a`b", "`a``b`"),
        (MsSql, "a]b", "[a]]b]"),
        (MsSql, "Order Items", "[Order Items]"),
        (Oracle, "level", "\"level\""),
        (Sqlite, "1st", "\"1st\""),
    ] {
        assert_eq!(dialect.quote_ident(name), want, "{dialect} {name}");
    }
}

#[test]
fn escapes_string_literals_per_dialect() {
    for (dialect, s, want) in [
        (PostgreSql, "O'Neil", "'O''Neil'"),
        (PostgreSql, "a\\b", "E'a\\\\b'"),
        (PostgreSql, "a\\'b", "E'a\\\\''b'"),
        (MySql, "a\\b", "'a\\\\b'"),
        (MariaDb, "it's", "'it''s'"),
        (MsSql, "café", "N'café'"),
    ] {
        assert_eq!(dialect.quote_str(s), want, "{dialect} {s}");
    }
}

#[test]
fn line_clients_get_no_line_break_inside_a_literal() {
    for (dialect, s, want) in [
        (
            MsSql,
            "a\nGO\nb",
            "('a' + CHAR(10) + 'GO' + CHAR(10) + 'b')",
        ),
        (MsSql, "\r\n", "(CHAR(13) + CHAR(10))"),
        (MsSql, "é\n", "(N'é' + CHAR(10))"),
        (MsSql, "x$(PATH)", "('x$' + '(PATH)')"),
        (Oracle, "a\n/\n", "('a' || CHR(10) || '/' || CHR(10))"),
        (Oracle, "it's\u{2028}", "('it''s' || UNISTR('\\2028'))"),
        // Clients that track quotes take line breaks inside a literal.
        (PostgreSql, "a\nb", "'a\nb'"),
        (MariaDb, "a\n\\", "'a\n\\\\'"),
        (Oracle, "$(x)", "'$(x)'"),
        // The sqlite3 shell drops the CR of a CR LF, even inside quotes.
        (Sqlite, "a\r\nb", "('a' || char(13) || '\nb')"),
        (Sqlite, "a\rb\n", "'a\rb\n'"),
        (MariaDb, "a\r\nb", "'a\\r\nb'"),
    ] {
        assert_eq!(dialect.quote_str(s), want, "{dialect} {s:?}");
        assert!(!dialect.quote_str(s).contains('\n') || !dialect.rules().client().reads_lines());
    }
    assert!(Oracle.is_plain_literal("a&b") && !Oracle.is_plain_literal("a\rb"));
}

#[test]
fn names_the_engine_or_its_client_cannot_take() {
    for (dialect, name) in [
        (PostgreSql, "a\0b"),
        (Sqlite, ""),
        (MsSql, "a\nGO"),
        (MsSql, "$(x)"),
        (Oracle, "a\rb"),
        (Oracle, "a\"b"),
        (Sqlite, "a\r\nb"),
        (MariaDb, "smile😀"),
        (MySql, "trailing "),
    ] {
        assert!(dialect.check_name(name).is_err(), "{dialect} {name:?}");
    }
    for (dialect, name) in [
        (PostgreSql, "a\nb\"c'd"),
        (MariaDb, "a\tb`c\\"),
        (Sqlite, "😀 ]["),
        (MsSql, "a]b$x"),
        (Oracle, "a&b'c"),
    ] {
        assert!(dialect.check_name(name).is_ok(), "{dialect} {name:?}");
    }
    let long = "x".repeat(64);
    assert!(PostgreSql.check_name_length(&long[..63]).is_ok());
    assert!(PostgreSql.check_name_length(&long).is_err());
    // MySQL counts characters, PostgreSQL bytes.
    let wide = "é".repeat(40);
    assert!(MySql.check_name_length(&wide).is_ok());
    assert!(PostgreSql.check_name_length(&wide).is_err());
    assert!(Sqlite.check_name_length(&"x".repeat(5000)).is_ok());
}

#[test]
fn sqlcmd_command_words_are_quoted() {
    assert_eq!(MsSql.quote_ident("go"), "[go]");
    assert_eq!(MsSql.quote_ident("reset"), "[reset]");
    assert_eq!(PostgreSql.quote_ident("go"), "go");
}

#[test]
fn mariadb_takes_mysql_settings_it_does_not_override() {
    let map: IndexMap<Dialect, &str> = [(MySql, "my")].into_iter().collect();
    assert_eq!(MariaDb.pick(&map), Some(&"my"));
    assert_eq!(PostgreSql.pick(&map), None);
    let both: IndexMap<Dialect, &str> = [(MySql, "my"), (MariaDb, "maria")].into_iter().collect();
    assert_eq!(MariaDb.pick(&both), Some(&"maria"));
    assert_eq!(MySql.pick(&both), Some(&"my"));
    // MariaDB accepts MySQL's option keys; MySQL does not gain MariaDB's.
    let keys = |d: Dialect| {
        d.options(OptionsOf::Table)
            .map(|(k, _)| k)
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(MariaDb), keys(MySql));
    assert!(keys(MySql).contains(&"engine"));
    assert!(!keys(Sqlite).contains(&"engine"));
    let chain = |d: Dialect| d.template_chain().collect::<Vec<_>>();
    assert_eq!(chain(MariaDb), ["mariadb", "mysql", "common"]);
    assert_eq!(chain(Oracle), ["oracle", "common"]);
}

#[test]
fn names_round_trip() {
    for d in Dialect::ALL {
        assert_eq!(d.name().parse::<Dialect>(), Ok(d));
    }
}

#[test]
fn mariadb_asks_mysql_where_it_overrides_nothing() {
    // Its own answers...
    assert!(MariaDb.rules().sequences() && !MySql.rules().sequences());
    assert!(!MariaDb.rules().expression_index() && MySql.rules().expression_index());
    // ...and MySQL's everywhere else.
    assert_eq!(MariaDb.rules().quote(), ('`', '`'));
    assert!(MariaDb.rules().alter_column_restates_column());
    assert!(MariaDb.rules().parent().is_some() && MySql.rules().parent().is_none());
}

#[test]
fn rules_belong_to_their_dialect() {
    for d in Dialect::ALL {
        assert_eq!(d.rules().dialect(), d);
    }
}

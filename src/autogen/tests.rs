use super::{plan, print};
use crate::diag::Style;
use crate::dialect::Dialect;
use crate::naming::Convention;
use crate::schema::Schema;
use crate::source::SourceMap;

fn schema(dialect: Dialect, sql: &str) -> Schema {
    let mut sources = SourceMap::new();
    let file = sources.add("t.sql", sql);
    crate::target::read_sql(
        dialect,
        file,
        sql,
        "alembic_version",
        &Convention::default(),
    )
    .unwrap_or_else(|d| panic!("{}", crate::diag::render(&d, &sources, Style::Plain)))
}

/// Plans `from` → `to`, checks the written ops reach `to`, returns the text.
fn roundtrip(dialect: Dialect, from: &str, to: &str) -> String {
    let (head, target) = (schema(dialect, from), schema(dialect, to));
    let p = plan(dialect, &head, &target, &[]).expect("a plan");
    let text = print::ops_text(&p.ops, &Convention::default());
    let left = super::verify(dialect, &head, &target, &text, &Convention::default())
        .unwrap_or_else(|(sources, d)| {
            panic!(
                "{}\n{text}",
                crate::diag::render(&d, &sources, Style::Plain)
            )
        });
    assert!(left.is_empty(), "{text}\nleft: {left:?}");
    text
}

const SHOP: &str = "
CREATE TYPE public.state AS ENUM ('new', 'paid');
CREATE TABLE public.customer (id integer NOT NULL, email character varying(255) NOT NULL, CONSTRAINT pk_customer PRIMARY KEY (id));
CREATE TABLE public.orders (id bigint NOT NULL, customer_id integer, state public.state DEFAULT 'new'::public.state NOT NULL,
    CONSTRAINT pk_orders PRIMARY KEY (id),
    CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES public.customer(id) ON DELETE CASCADE);
CREATE INDEX ix_orders_open ON public.orders USING btree (customer_id) WHERE (state = 'new'::public.state);
CREATE INDEX ix_customer_email ON public.customer USING btree (lower((email)::text));
COMMENT ON TABLE public.customer IS 'who buys';
";

#[test]
fn a_whole_schema_is_created_referenced_tables_first() {
    let text = roundtrip(Dialect::PostgreSql, "", SHOP);
    let customer = text.find("create_table customer").expect("customer");
    let orders = text.find("create_table orders").expect("orders");
    assert!(customer < orders, "{text}");
    assert!(
        text.contains("state       : enum(state: 'new', 'paid') not_null default 'new'"),
        "{text}"
    );
    assert!(
        text.contains("index ix_orders_open (customer_id) where (state = 'new'::public.state)"),
        "{text}"
    );
    assert!(
        text.contains("index ix_customer_email ((lower((email)::TEXT)))"),
        "{text}"
    );
    assert!(text.contains("table_comment 'who buys'"), "{text}");
}

#[test]
fn drops_come_after_the_keys_that_point_at_them_and_are_marked() {
    let text = roundtrip(Dialect::PostgreSql, SHOP, "CREATE TYPE public.state AS ENUM ('new', 'paid');\nCREATE TABLE public.orders (id bigint NOT NULL, state public.state);");
    let fk = text
        .find("drop_constraint fk_orders_customer on orders")
        .expect("fk dropped");
    let table = text.find("drop_table customer").expect("table dropped");
    assert!(fk < table, "{text}");
    assert!(
        text.contains(
            "# destructive: drops table `customer` and its rows\n    drop_table customer"
        ),
        "{text}"
    );
    assert!(
        text.contains("# destructive: drops column `orders.customer_id` and its values"),
        "{text}"
    );
    assert!(
        text.contains("alter_column orders.state null drop_default"),
        "{text}"
    );
}

#[test]
fn enum_values_are_added_in_place_and_types_compare_as_the_dialect_spells_them() {
    let grown = SHOP.replace("('new', 'paid')", "('new', 'sent', 'paid')");
    let text = roundtrip(Dialect::PostgreSql, SHOP, &grown);
    assert_eq!(text, "    add_enum_value state 'sent' after 'new'\n");
    let spelled = SHOP
        .replace("id integer NOT NULL", "id int4 NOT NULL")
        .replace("character varying(255)", "varchar(255)");
    let same = plan(
        Dialect::PostgreSql,
        &schema(Dialect::PostgreSql, SHOP),
        &schema(Dialect::PostgreSql, &spelled),
        &[],
    )
    .unwrap();
    assert!(same.ops.is_empty(), "{:?}", same.ops);
}

#[test]
fn a_cycle_of_foreign_keys_is_closed_after_both_tables() {
    let sql = "CREATE TABLE a (id integer PRIMARY KEY, b_id integer REFERENCES b (id));\nCREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a (id));";
    let text = roundtrip(Dialect::Sqlite, "", sql);
    let last_table = text.rfind("create_table").unwrap();
    let fk = text
        .find("create_foreign_key")
        .expect("the key closing the cycle");
    assert!(last_table < fk, "{text}");
}

#[test]
fn a_table_that_looks_renamed_is_a_hint_and_a_rename_when_asked() {
    let (from, to) = (
        schema(
            Dialect::Sqlite,
            "CREATE TABLE client (id INTEGER NOT NULL, name TEXT);",
        ),
        schema(
            Dialect::Sqlite,
            "CREATE TABLE customer (id INTEGER NOT NULL, name TEXT);",
        ),
    );
    let guessed = plan(Dialect::Sqlite, &from, &to, &[]).unwrap();
    assert_eq!(guessed.hints.len(), 1, "{:?}", guessed.hints);
    assert!(
        guessed.hints[0].contains("`--rename client=customer`"),
        "{:?}",
        guessed.hints
    );
    let renamed = plan(Dialect::Sqlite, &from, &to, &["client=customer".into()]).unwrap();
    let text = print::ops_text(&renamed.ops, &Convention::default());
    assert_eq!(text, "    rename_table client -> customer\n");
    let wrong = plan(Dialect::Sqlite, &from, &to, &["client=nobody".into()]).unwrap_err();
    assert_eq!(wrong.code, crate::diag::Code::UnknownRename);
}

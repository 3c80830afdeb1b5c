INSERT INTO {{ table }} ({{ columns | join_sql(", ") }}) SELECT {{ exprs | join_sql(", ") }} FROM {{ source }}

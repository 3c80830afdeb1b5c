{# Copies the rows into the rebuilt table: each of `exprs` is a source `column`, `cast` to its new type when that changed. #}
INSERT INTO {{ table }} ({{ columns | join_sql(", ") }}) SELECT {% for e in exprs %}{% if e.cast is none %}{{ e.column }}{% else %}CAST({{ e.column }} AS {{ e.cast }}){% endif %}{% if not loop.last %}, {% endif %}{% endfor %} FROM {{ source }}

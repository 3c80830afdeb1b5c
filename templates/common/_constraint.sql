{# Table constraints: `CONSTRAINT name <body>`, shared by every dialect. #}
{# A foreign key's ON DELETE / ON UPDATE action, named by lowering. #}
{% macro fk_action(a) %}
{% if a == "cascade" %}CASCADE{% elif a == "set_null" %}SET NULL{% elif a == "set_default" %}SET DEFAULT{% else %}RESTRICT{% endif %}
{%- endmacro %}

{% macro fk_tail(con) %}
REFERENCES {{ con.ref_table }} ({{ con.ref_columns | join_sql(", ") }})
{%- if con.match == "full" %} MATCH FULL{% elif con.match == "simple" %} MATCH SIMPLE{% endif %}
{%- if con.on_delete %} ON DELETE {{ fk_action(con.on_delete) }}{% endif %}
{%- if con.on_update %} ON UPDATE {{ fk_action(con.on_update) }}{% endif %}
{%- if con.deferrable is true %} DEFERRABLE{% elif con.deferrable is false %} NOT DEFERRABLE{% endif %}
{%- if con.initially_deferred is true %} INITIALLY DEFERRED{% elif con.initially_deferred is false %} INITIALLY IMMEDIATE{% endif %}
{%- endmacro %}

{# The condition of the CHECK a column's type needs (see lower/column.rs `type_check`). #}
{% macro type_check(check) %}
{% if check.kind == "boolean" %}
{{ check.column }} IN (0, 1)
{%- elif check.kind == "json" %}
{{ check.column }} IS JSON
{%- else %}
{{ check.column }} IN ({{ check.values | join_sql(", ") }})
{%- endif %}
{%- endmacro %}

{% macro body(con) %}
{% if con.kind == "primary" %}
PRIMARY KEY ({{ con.columns | join_sql(", ") }})
{%- elif con.kind == "unique" %}
UNIQUE ({{ con.columns | join_sql(", ") }})
{%- elif con.kind == "check" %}
CHECK ({{ con.expr }})
{%- elif con.kind == "type_check" %}
CHECK ({{ type_check(con.check) }})
{%- else %}
FOREIGN KEY ({{ con.columns | join_sql(", ") }}) {{ fk_tail(con) }}
{%- endif %}
{%- endmacro %}

{% macro constraint(con) %}
CONSTRAINT {{ con.name }} {{ body(con) }}
{%- endmacro %}

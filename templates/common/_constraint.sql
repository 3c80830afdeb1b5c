{# Table constraints: `CONSTRAINT name <body>`, shared by every dialect. #}
{% macro fk_tail(con) %}
REFERENCES {{ con.ref_table }} ({{ con.ref_columns | join_sql(", ") }})
{%- if con.on_delete %} ON DELETE {{ con.on_delete }}{% endif %}
{%- if con.on_update %} ON UPDATE {{ con.on_update }}{% endif %}
{%- if con.deferrable is true %} DEFERRABLE{% elif con.deferrable is false %} NOT DEFERRABLE{% endif %}
{%- if con.initially_deferred is true %} INITIALLY DEFERRED{% elif con.initially_deferred is false %} INITIALLY IMMEDIATE{% endif %}
{%- endmacro %}

{% macro body(con) %}
{% if con.kind == "primary" %}
PRIMARY KEY ({{ con.columns | join_sql(", ") }})
{%- elif con.kind == "unique" %}
UNIQUE ({{ con.columns | join_sql(", ") }})
{%- elif con.kind == "check" %}
CHECK ({{ con.expr }})
{%- else %}
FOREIGN KEY ({{ con.columns | join_sql(", ") }}) {{ fk_tail(con) }}
{%- endif %}
{%- endmacro %}

{% macro constraint(con) %}
CONSTRAINT {{ con.name }} {{ body(con) }}
{%- endmacro %}

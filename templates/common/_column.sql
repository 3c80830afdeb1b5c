{% import "_constraint.sql" as k %}
{# Shared pieces of column and constraint definitions. Every value is already
   quoted by the lowering code; these macros only decide the spelling. #}
{% macro identity(i) %}
GENERATED {% if i.always %}ALWAYS{% else %}BY DEFAULT{% endif %} AS IDENTITY
{%- if i.start is not none or i.increment is not none %} (
{%- if i.increment is not none %}INCREMENT BY {{ i.increment }}{% endif %}
{%- if i.start is not none and i.increment is not none %} {% endif %}
{%- if i.start is not none %}START WITH {{ i.start }}{% endif %})
{%- endif %}
{%- endmacro %}

{# A rowid-alias primary key is declared INTEGER: only that exact type name makes the column the rowid (SQLite). #}
{% macro column(col) %}
{{ col.name }} {% if col.rowid_pk %}INTEGER{% else %}{{ col.type }}{% endif %}
{%- if col.rowid_pk %} CONSTRAINT {{ col.rowid_pk.name }} PRIMARY KEY{% if col.rowid_pk.autoincrement %} AUTOINCREMENT{% endif %}{% endif %}
{%- if col.computed %} GENERATED ALWAYS AS ({{ col.computed.expr }}) {% if col.computed.stored %}STORED{% else %}VIRTUAL{% endif %}{% endif %}
{%- if col.identity %} {{ identity(col.identity) }}{% endif %}
{%- if col.default is not none %} DEFAULT {{ col.default }}{% endif %}
{%- if col.not_null %} NOT NULL{% endif %}
{%- for check in col.checks %} CONSTRAINT {{ check.name }} CHECK ({{ k.type_check(check.check) }}){% endfor %}
{%- endmacro %}

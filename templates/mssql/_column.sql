{% import "_constraint.sql" as k %}
{# SQL Server: computed columns have no declared type, so the expression is CAST
   to the column's type (else it would be whatever the expression yields); defaults are named constraints;
   NULL is spelled out so ALTER COLUMN restates it. #}
{% macro column(col) %}
{% if col.computed %}
{{ col.name }} AS (CAST(({{ col.computed.expr }}) AS {{ col.type }})){% if col.computed.stored %} PERSISTED{% endif %}
{%- else %}
{{ col.name }} {{ col.type }}
{%- if col.identity %} IDENTITY({{ col.identity.start if col.identity.start is not none else 1 }}, {{ col.identity.increment if col.identity.increment is not none else 1 }}){% endif %}
{%- if col.default is not none %} CONSTRAINT {{ col.default_name }} DEFAULT {{ col.default }}{% endif %}
{%- if col.not_null %} NOT NULL{% else %} NULL{% endif %}
{%- for check in col.checks %} CONSTRAINT {{ check.name }} CHECK ({{ k.type_check(check.check) }}){% endfor %}
{%- endif %}
{%- endmacro %}

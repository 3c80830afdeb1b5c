{% import "_constraint.sql" as k %}
{# MySQL / MariaDB: NULL is spelled out so MODIFY/CHANGE restate it; AUTO_INCREMENT
   and COMMENT are column attributes. #}
{% macro column(col) %}
{{ col.name }} {{ col.type }}
{%- if col.computed %} GENERATED ALWAYS AS ({{ col.computed.expr }}) {% if col.computed.stored %}STORED{% else %}VIRTUAL{% endif %}{% endif %}
{#- MariaDB refuses NULL on a generated column; MySQL takes either. #}
{%- if col.not_null %} NOT NULL{% elif not col.computed %} NULL{% endif %}
{%- if col.default is not none %} DEFAULT {{ col.default }}{% endif %}
{%- if col.identity %} AUTO_INCREMENT{% endif %}
{%- if col.comment is not none %} COMMENT {{ col.comment }}{% endif %}
{%- for check in col.checks %} CONSTRAINT {{ check.name }} CHECK ({{ k.type_check(check.check) }}){% endfor %}
{%- endmacro %}

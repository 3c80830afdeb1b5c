{% import "_constraint.sql" as k %}
{# Shared pieces of column and constraint definitions. Every value is already
   quoted by the lowering code; these macros only decide the spelling. #}
{# The options of an identity, space-separated (PostgreSQL's sequence options,
   Oracle's identity options); lowering refuses those the dialect has not,
   and says `nocache` where a cache of 1 is spelled so (Oracle). #}
{% macro identity_options(i) %}
{%- set ns = namespace(sep=false) %}
{%- if i.increment is not none %}INCREMENT BY {{ i.increment }}{% set ns.sep = true %}{% endif %}
{%- if i.start is not none %}{% if ns.sep %} {% endif %}START WITH {{ i.start }}{% set ns.sep = true %}{% endif %}
{%- if i.minvalue is not none %}{% if ns.sep %} {% endif %}MINVALUE {{ i.minvalue }}{% set ns.sep = true %}{% endif %}
{%- if i.maxvalue is not none %}{% if ns.sep %} {% endif %}MAXVALUE {{ i.maxvalue }}{% set ns.sep = true %}{% endif %}
{%- if i.cycle %}{% if ns.sep %} {% endif %}CYCLE{% set ns.sep = true %}{% endif %}
{%- if i.nocache %}{% if ns.sep %} {% endif %}NOCACHE{% set ns.sep = true %}
{%- elif i.cache is not none %}{% if ns.sep %} {% endif %}CACHE {{ i.cache }}{% set ns.sep = true %}{% endif %}
{%- if i.order %}{% if ns.sep %} {% endif %}ORDER{% endif %}
{%- endmacro %}

{% macro identity(i) %}
GENERATED {% if i.always %}ALWAYS{% else %}BY DEFAULT{% if i.on_null %} ON NULL{% endif %}{% endif %} AS IDENTITY
{%- if i.increment is not none or i.start is not none or i.minvalue is not none or i.maxvalue is not none
      or i.cycle or i.cache is not none or i.order %} ({{ identity_options(i) }}){% endif %}
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

{% import "_column.sql" as c %}
{% import "_constraint.sql" as k %}
{# Options arrive only for their own dialect: unlogged/tablespace (postgresql,
   oracle), strict/without_rowid (sqlite). #}
{% set unlogged = options.unlogged is defined and options.unlogged == "true" %}
{% set without_rowid = options.without_rowid is defined and options.without_rowid == "true" %}
{% set strict = options.strict is defined and options.strict == "true" %}
CREATE {% if unlogged %}UNLOGGED {% endif %}TABLE {% if if_not_exists %}IF NOT EXISTS {% endif %}{{ table }} (
    {{ ((columns | each(c.column)) + (constraints | each(k.constraint))) | join_sql(",\n    ") }}
)
{%- if options.tablespace is defined %} TABLESPACE {{ options.tablespace }}{% endif %}
{%- if without_rowid %} WITHOUT ROWID{% if strict %},{% endif %}{% endif %}
{%- if strict %} STRICT{% endif %}

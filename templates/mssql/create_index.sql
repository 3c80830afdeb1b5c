{% import "_index.sql" as i %}
{# clustered is none when the option was not given: the engine's default (NONCLUSTERED). #}
CREATE {% if unique %}UNIQUE {% endif %}{% if clustered is true %}CLUSTERED {% elif clustered is false %}NONCLUSTERED {% endif %}INDEX {{ name }} ON {{ table }} ({{ i.parts(parts) }})
{%- if include %} INCLUDE ({{ include | join_sql(", ") }}){% endif %}
{%- if where is not none %} WHERE {{ where }}{% endif %}
{%- if online %} WITH (ONLINE = ON){% endif %}

{# clustered is none when the option was not given: the engine's default (NONCLUSTERED). #}
CREATE {% if unique %}UNIQUE {% endif %}{% if clustered is true %}CLUSTERED {% elif clustered is false %}NONCLUSTERED {% endif %}INDEX {{ name }} ON {{ table }} ({{ parts | join_sql(", ") }})
{%- if include %} INCLUDE ({{ include | join_sql(", ") }}){% endif %}
{%- if where is not none %} WHERE {{ where }}{% endif %}

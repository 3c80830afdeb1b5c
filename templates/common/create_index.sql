{% import "_index.sql" as i %}
CREATE {% if unique %}UNIQUE {% endif %}INDEX {% if if_not_exists %}IF NOT EXISTS {% endif %}{{ name }} ON {{ table }} ({{ i.parts(parts) }})
{%- if include %} INCLUDE ({{ include | join_sql(", ") }}){% endif %}
{%- if where is not none %} WHERE {{ where }}{% endif %}

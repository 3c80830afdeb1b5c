{% import "_index.sql" as i %}
CREATE {% if unique %}UNIQUE {% endif %}INDEX {% if concurrently %}CONCURRENTLY {% endif %}{% if if_not_exists %}IF NOT EXISTS {% endif %}{{ name }} ON {{ table }}
{%- if using is not none %} USING {{ using }}{% endif %} ({{ i.parts(parts) }})
{%- if include %} INCLUDE ({{ include | join_sql(", ") }}){% endif %}
{%- if tablespace is not none %} TABLESPACE {{ tablespace }}{% endif %}
{%- if where is not none %} WHERE {{ where }}{% endif %}

CREATE {% if unique %}UNIQUE {% endif %}INDEX {% if if_not_exists %}IF NOT EXISTS {% endif %}{{ name }} ON {{ table }} ({{ parts | join_sql(", ") }})
{%- if include %} INCLUDE ({{ include | join_sql(", ") }}){% endif %}
{%- if where is not none %} WHERE {{ where }}{% endif %}

{% import "_index.sql" as i %}
{# SQLite puts the schema on the index name; the table stays unqualified. #}
CREATE {% if unique %}UNIQUE {% endif %}INDEX {% if if_not_exists %}IF NOT EXISTS {% endif %}{{ name_qualified }} ON {{ table_bare }} ({{ i.parts(parts) }})
{%- if where is not none %} WHERE {{ where }}{% endif %}

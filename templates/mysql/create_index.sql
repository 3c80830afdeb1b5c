{% import "_index.sql" as i %}
CREATE {% if unique %}UNIQUE {% elif prefix is not none %}{{ prefix }} {% endif %}INDEX {% if if_not_exists %}IF NOT EXISTS {% endif %}{{ name }} ON {{ table }} ({{ i.parts(parts) }})
{%- if algorithm is not none %} ALGORITHM={{ algorithm }}{% endif %}
{%- if lock is not none %} LOCK={{ lock }}{% endif %}

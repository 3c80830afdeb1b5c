CREATE {% if bitmap %}BITMAP {% elif unique %}UNIQUE {% endif %}INDEX {{ name_qualified }} ON {{ table }} ({{ parts | join_sql(", ") }})
{%- if tablespace is not none %} TABLESPACE {{ tablespace }}{% endif %}

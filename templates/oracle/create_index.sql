{% import "_index.sql" as i %}
CREATE {% if bitmap %}BITMAP {% elif unique %}UNIQUE {% endif %}INDEX {{ name_qualified }} ON {{ table }} ({{ i.parts(parts) }})
{%- if tablespace is not none %} TABLESPACE {{ tablespace }}{% endif %}
{%- if online %} ONLINE{% endif %}

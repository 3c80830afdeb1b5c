INSERT INTO {{ table }} ({{ columns | join_sql(", ") }}){% if overriding %} OVERRIDING SYSTEM VALUE{% endif %} VALUES
{% for row in rows %}
    ({{ row | join_sql(", ") }}){% if not loop.last %},{% endif +%}
{% endfor %}

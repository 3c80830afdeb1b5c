{% import "_column.sql" as c %}
{% import "_constraint.sql" as k %}
{% set ns = namespace(items=[]) %}
{% for col in columns %}{% set ns.items = ns.items + [c.column(col)] %}{% endfor %}
{% for con in constraints %}{% set ns.items = ns.items + [k.constraint(con)] %}{% endfor %}
CREATE TABLE {% if if_not_exists %}IF NOT EXISTS {% endif %}{{ table }} (
    {{ ns.items | join_sql(",\n    ") }}
)

{% import "_column.sql" as c %}
ALTER TABLE {{ table }} ADD COLUMN {% if if_not_exists %}IF NOT EXISTS {% endif %}{{ c.column(column) }}
{%- if position is not none %} {% if position.after is none %}FIRST{% else %}AFTER {{ position.after }}{% endif %}{% endif %}

{% import "_column.sql" as c %}
ALTER TABLE {{ table }} ADD {{ c.column(column) }}
